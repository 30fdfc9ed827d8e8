#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
#
# A small KTAP reader for KUnit output mixed into a kernel console log.
# Counts every leaf test case (parameterised subtests included; a case with
# subtests counts through its subtests), per suite.
#
#   ktap.py [LOG]     print per-suite and total counts, then
#                     "kunit: N passed, N failed" (skips are reported apart);
#                     exit 1 on any failure or an unfinished suite

import re
import sys

RESULT = re.compile(r'^(\s*)(ok|not ok) (\d+)(?: - | )?([^#]*?)\s*(?:#\s*(.*))?$')
SUBTEST = re.compile(r'^(\s*)# Subtest: (.*)$')
PLAN = re.compile(r'^(\s*)1\.\.(\d+)\s*$')
# Console prefixes: "[    1.234567] " timestamps, kunit.py's own prefixes.
PREFIX = re.compile(r'^\[\s*\d+\.\d+\]\s?')


class Ktap:
    def __init__(self):
        self.passed = self.failed = self.skipped = 0
        self.suites = []            # (name, passed, failed, skipped, ok)
        self.child_seen = {}        # depth -> a result was seen at depth
        self.open = {}              # depth -> suite name from "# Subtest:"
        self.per = {}               # top suite -> [p, f, s]
        self.top_plan = None
        self.failures = []

    def feed(self, line):
        line = PREFIX.sub('', line.rstrip('\r\n'))
        # Some consoles mix tabs; KTAP indents by 4 spaces per level.
        m = SUBTEST.match(line)
        if m:
            depth = len(m.group(1).expandtabs(8)) // 4
            self.open[depth] = m.group(2).strip()
            self.child_seen[depth] = False
            return None
        m = PLAN.match(line)
        if m and len(m.group(1)) == 0 and self.top_plan is None:
            self.top_plan = int(m.group(2))
            return None
        m = RESULT.match(line)
        if not m:
            return None
        depth = len(m.group(1).expandtabs(8)) // 4
        ok = m.group(2) == 'ok'
        name = m.group(4).strip()
        directive = (m.group(5) or '').strip()
        leaf = not self.child_seen.get(depth + 1, False)
        self.child_seen[depth + 1] = False
        self.child_seen[depth] = True
        top = self.open.get(1, self.open.get(0, '?'))
        if depth == 0:
            top = name
        event = None
        if leaf and depth > 0:
            cnt = self.per.setdefault(top, [0, 0, 0])
            if directive.upper().startswith('SKIP'):
                self.skipped += 1
                cnt[2] += 1
            elif ok:
                self.passed += 1
                cnt[0] += 1
            else:
                self.failed += 1
                cnt[1] += 1
                self.failures.append('%s: %s' % (top, name))
        if depth == 0:
            cnt = self.per.setdefault(name, [0, 0, 0])
            self.suites.append((name, cnt[0], cnt[1], cnt[2], ok))
            event = self.suites[-1]
            self.open.pop(1, None)
        return event

    def unfinished(self):
        """Suites announced by the top-level plan but never finished."""
        if self.top_plan is None:
            return 0
        return max(0, self.top_plan - len(self.suites))


def main():
    f = open(sys.argv[1], errors='replace') if len(sys.argv) > 1 else sys.stdin
    k = Ktap()
    for line in f:
        k.feed(line)
    for name, p, fl, s, ok in k.suites:
        print('  %-40s %4d passed %3d failed %3d skipped%s' %
              (name, p, fl, s, '' if ok else '  (suite not ok)'))
    for name in k.failures:
        print('  FAILED: ' + name)
    bad = k.failed + k.unfinished() + sum(1 for s in k.suites if not s[4])
    if k.unfinished():
        print('  %d suite(s) did not finish' % k.unfinished())
    if k.skipped:
        print('  %d skipped' % k.skipped)
    print('kunit: %d passed, %d failed' % (k.passed, k.failed + k.unfinished()))
    sys.exit(1 if bad or (k.passed == 0 and k.suites == []) else 0)


if __name__ == '__main__':
    main()
