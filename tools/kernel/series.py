#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
#
# Text surgery the series generator needs on Kconfig and MAINTAINERS files.
#
#   series.py kconfig-drop FILE SYM...      print FILE without the config blocks
#                                           of SYM... (and without the comment
#                                           that introduces a dropped block)
#   series.py kconfig-block FILE SYM        print the config block of SYM
#   series.py kconfig-replace FILE SYMS NEW replace, in FILE, the config blocks
#                                           of SYMS (comma separated) with the
#                                           blocks of the Kconfig file NEW (its
#                                           leading comment dropped), in place
#   series.py maintainers-insert FILE ENTRY [DROP-REGEX]
#                                           insert (or replace) the section of
#                                           ENTRY into FILE in sorted order, in
#                                           place; F: lines matching DROP-REGEX
#                                           are left out

import re
import sys

KEYWORDS = re.compile(r'^(config|menuconfig|menu|endmenu|choice|endchoice|'
                      r'comment|if|endif|source|mainmenu)\b')


def kconfig_blocks(lines):
    """Split into (symbol or None, [lines]) chunks; a config chunk runs to the
    next top-level keyword or column-0 comment that follows a blank line."""
    chunks = []
    cur_sym, cur = None, []
    prev_blank = True
    for line in lines:
        m = re.match(r'^(?:menu)?config\s+(\S+)', line)
        starts = KEYWORDS.match(line) or (line.startswith('#') and prev_blank)
        if starts:
            if cur:
                chunks.append((cur_sym, cur))
            cur_sym, cur = (m.group(1) if m else None), []
        cur.append(line)
        prev_blank = line.strip() == ''
    if cur:
        chunks.append((cur_sym, cur))
    return chunks


def squeeze(lines):
    out = []
    for line in lines:
        if line.strip() == '' and out and out[-1].strip() == '':
            continue
        out.append(line)
    while out and out[-1].strip() == '':
        out.pop()
    return out


def drop(lines, syms):
    chunks = kconfig_blocks(lines)
    out = []
    for i, (sym, body) in enumerate(chunks):
        if sym in syms:
            continue
        # A comment chunk that only introduces a dropped symbol goes too.
        if sym is None and body[0].startswith('#') and i + 1 < len(chunks) \
                and chunks[i + 1][0] in syms and \
                all(l.startswith('#') or not l.strip() for l in body):
            continue
        out.extend(body)
    return squeeze(out)


def main():
    cmd = sys.argv[1]
    if cmd == 'kconfig-drop':
        lines = open(sys.argv[2]).read().splitlines()
        print('\n'.join(drop(lines, set(sys.argv[3:]))))
    elif cmd == 'kconfig-block':
        for sym, body in kconfig_blocks(open(sys.argv[2]).read().splitlines()):
            if sym == sys.argv[3]:
                print('\n'.join(squeeze(body)))
                return
        sys.exit('no config ' + sys.argv[3])
    elif cmd == 'kconfig-replace':
        path, syms = sys.argv[2], set(sys.argv[3].split(','))
        new = open(sys.argv[4]).read().splitlines()
        # Drop the file's header: the comment paragraph(s) before the first
        # paragraph that holds a keyword.
        while new and (new[0].startswith('#') or not new[0].strip()):
            para = []
            while new and new[0].strip():
                para.append(new.pop(0))
            if any(KEYWORDS.match(l) for l in para):
                new[0:0] = para
                break
            while new and not new[0].strip():
                new.pop(0)
        chunks = kconfig_blocks(open(path).read().splitlines())
        out, done = [], False
        for i, (sym, body) in enumerate(chunks):
            intro = sym is None and body[0].startswith('#') and \
                i + 1 < len(chunks) and chunks[i + 1][0] in syms
            if sym in syms or intro:
                if not done:
                    out += squeeze(new) + ['']
                    done = True
                continue
            out.extend(body)
        if not done:
            sys.exit('none of %s in %s' % (syms, path))
        open(path, 'w').write('\n'.join(squeeze(out)) + '\n')
    elif cmd == 'maintainers-insert':
        path, entry = sys.argv[2], open(sys.argv[3]).read().splitlines()
        dropre = re.compile(sys.argv[4]) if len(sys.argv) > 4 else None
        entry = [l for l in entry if l.strip() and not l.startswith('#')]
        if dropre:
            entry = [l for l in entry
                     if not (l.startswith('F:') and dropre.search(l))]
        title = entry[0]
        lines = open(path).read().split('\n')
        # Sections: a title line followed by a "X:\t" line, after a blank line.
        starts = [i for i in range(1, len(lines) - 1)
                  if lines[i - 1] == '' and lines[i] and
                  re.match(r'^[A-Z]:\t', lines[i + 1])]
        # Drop an older copy of our section.
        for i in starts:
            if lines[i] == title:
                j = i
                while j < len(lines) and lines[j] != '':
                    j += 1
                del lines[i:j + 1]
                starts = [i2 for i2 in range(1, len(lines) - 1)
                          if lines[i2 - 1] == '' and lines[i2] and
                          re.match(r'^[A-Z]:\t', lines[i2 + 1])]
                break
        # After the section with the greatest title below ours: the file is
        # sorted, but not everywhere, so the first title above ours may be
        # far too early.
        below = [i for i in starts if lines[i].upper() < title.upper()]
        if not below:
            sys.exit('no place for ' + title)
        prev = max(below, key=lambda i: lines[i].upper())
        at = prev
        while at < len(lines) and lines[at] != '':
            at += 1
        lines[at + 1:at + 1] = entry + ['']
        open(path, 'w').write('\n'.join(lines))
    else:
        sys.exit('unknown command ' + cmd)


if __name__ == '__main__':
    main()
