#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
#
# Boot the `make run` kernel under QEMU (virt, GICv3, SMMUv3), watch the
# console, parse the KUnit KTAP and the guest's "IOPT" lines, check the disk
# image on the host, print the summary and the "run: N passed, N failed" line.
# With --debug (make run DEBUG=1: KASAN, kmemleak, lockdep, DEBUG_VM and
# DMA-API debugging) it also counts every report of those on the console and
# in the guest's kmemleak scan, and fails on any.  With --stage 2 (make run
# STAGE=2) it boots with arm_smmu_v3.force_stage2=1 (the test-only patch)
# and QEMU's trace must show walks at stage 2 and none at stage 1.

import argparse
import os
import re
import select
import subprocess
import sys
import threading
import time

sys.dont_write_bytecode = True		# no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ktap  # noqa: E402

MIN_MIB = 256
MIN_FRAMES = 10000

# QEMU's SMMU trace (-trace; QEMU writes it to its stderr, which a thread
# counts as it comes, so nothing of it lands on disk but its head): each
# level of each walk (one walk per IOTLB miss; they give the stage, 1 or 2,
# the level and the index into the table), walks to a leaf, walks that met
# an invalid descriptor, CDs decoded (stage 1 only: a stage-2 STE has
# none), and anything that bypassed or aborted translation.  Not the
# per-access smmuv3_translate_success: 256 MiB of I/O would make that
# gigabytes.
TRACE_EVENTS = ['smmu_ptw_level', 'smmu_ptw_page_pte', 'smmu_ptw_block_pte',
                'smmu_ptw_invalid_pte', 'smmuv3_decode_cd', 'smmuv3_translate_bypass',
                'smmuv3_translate_abort', 'smmuv3_record_event']
PTW = re.compile(r'(smmu_ptw_(?:page|block|invalid)_pte) stage=(\d+) level=(\d+)')
PTW_LEVEL = re.compile(r'smmu_ptw_level stage=(\d+) level=(\d+) .* offset=(\d+) ')
TRACE_HEAD = 2000	# lines of the trace kept in <console log>.qemu-trace
# The driver's probe line and the test-only patch's line.
SMMU_PROBE = re.compile(r'arm-smmu-v3 \S+: ias (\d+)-bit, oas (\d+)-bit \(features (0x[0-9a-f]+)\)')
FORCE_S2 = 'TEST ONLY: force_stage2: stage 1 ignored'

# KUnit taints the kernel with TAINT_TEST ('N') when a suite runs.
TAINT_TEST = 1 << 18

# The debug kernel's reports, by the first line each prints.  A generic
# WARN() prints "WARNING: CPU: n PID: n at <file>:<line> <function>"; it is
# filed under the checker whose source file raised it.
REPORTS = [
    ('KASAN', re.compile(r'^BUG: KASAN: ')),
    ('lockdep', re.compile(
        r'^(WARNING: (possible circular locking|possible recursive locking|'
        r'inconsistent lock state|possible irq lock inversion|'
        r'\S+-safe -> \S+-unsafe lock order|suspicious RCU usage|'
        r'bad unlock balance|held lock freed|lock held when returning|'
        r'Nested lock was not taken|bad contention|\S+ still has locks held|'
        r'chain_key collision)|'
        r'\[ BUG: Invalid wait context \]|BUG: MAX_\w+ too low|'
        r'BUG: key \S+ has not been registered|BUG: looking up invalid subclass|'
        r'INFO: trying to register non-static key|DEBUG_LOCKS_WARN_ON\()')),
    ('DMA-API', re.compile(r'DMA-API: (?!preallocated \d+ debug entries|'
                           r'debugging enabled by kernel config|'
                           r'dma_debug_entry pool grown|Mapped at:)')),
    ('WARNING/BUG/Oops', re.compile(
        r'^(WARNING: |BUG: |BUG \S+ \((Not tainted|Tainted: [^)]*)\): |'
        r'kernel BUG at |Internal error: |Kernel panic|Unable to handle kernel|'
        r'Oops|page dumped because: |rcu: INFO: )')),
]
WARN_AT = re.compile(r'^WARNING: CPU: \d+ PID: \d+ at (\S+)')
WARN_FILES = [('KASAN', 'mm/kasan/'), ('lockdep', 'kernel/locking/'),
              ('lockdep', 'kernel/rcu/'), ('DMA-API', 'kernel/dma/debug.c')]
FRAME = re.compile(r'^\s*(?:\[<[0-9a-f]+>\] )?([A-Za-z_][\w.]*)\+0x[0-9a-f]+/0x[0-9a-f]+')
# Frames of the reporting machinery itself, not of the code reported on.
NOISE = re.compile(
    r'^(dump_backtrace|show_stack|dump_stack\w*|print_\w+|kasan_\w+|__kasan_\w+|'
    r'__asan_\w+|__warn|warn_slowpath\w*|report_bug|bug_handler|call_break_hook|'
    r'\w*brk_handler|do_debug_exception|el1_\w+|el1h_64_\w+|lockdep_\w+|'
    r'__lock_acquire|lock_acquire|lock_release|__lock_release|check_\w+|'
    r'validate_chain|debug_check_\w+|err_printk|kmemleak_\w+|__kmalloc\w*|'
    r'kmalloc\w*|__kmem_cache_\w+|kmem_cache_alloc\w*|slab_post_alloc_hook|'
    r'__slab_alloc\w*|alloc_debug_processing|trace_\w+|__might_\w+|'
    r'___might_\w+|might_\w+|mark_lock\w*|mark_usage|__mutex_lock\w*|'
    r'mutex_lock\w*|_raw_spin_\w+|do_raw_spin_\w+)$')


def strip_ts(line):
    return re.sub(r'^\[\s*\d+\.\d+\]\s?', '', line)


class DebugReports:
    """Counts the debug kernel's reports on the console, keeps each one's
    first lines, and names the frames it points at."""

    def __init__(self):
        self.reports = []	# [kind, header, [lines]]
        self.current = None
        self.prev = ''
        self.seen = {'kasan': False, 'kmemleak': False, 'lockdep': False,
                     'dma': False}

    def feed(self, line):
        msg = strip_ts(line)
        if 'KernelAddressSanitizer initialized' in msg:
            self.seen['kasan'] = True
        if 'kmemleak: Kernel memory leak detector initialized' in msg:
            self.seen['kmemleak'] = True
        if msg.startswith('Lock dependency validator'):
            self.seen['lockdep'] = True
        if 'DMA-API: debugging enabled by kernel config' in msg:
            self.seen['dma'] = True
        kind = None
        for k, rx in REPORTS:
            if rx.search(msg):
                kind = k
                break
        m = WARN_AT.search(msg)
        if m:
            kind = next((k for k, f in WARN_FILES if f in m.group(1)),
                        'WARNING/BUG/Oops')
            cur = self.current
            if (cur and cur[0] == kind and not WARN_AT.search(cur[1]) and
                    len(cur[2]) < 3):
                # WARN(1, fmt) prints its message first, then this line: the
                # DMA-API or DEBUG_LOCKS_WARN_ON() message opened the report.
                cur[2].append(msg)
                return None
            if self.prev and 'cut here' not in self.prev:
                msg += ' [' + self.prev + ']'
        self.prev = msg
        if kind and msg.startswith('page dumped because: ') and self.current:
            kind = None	# dump_page() inside a KASAN or DEBUG_VM report
        if kind:
            self.current = [kind, msg, []]
            self.reports.append(self.current)
            return self.current
        if self.current is not None:
            if (len(self.current[2]) >= 60 or '---[ end trace' in msg or
                    msg.startswith('=====') or msg.startswith('IOPT')):
                self.current = None
            else:
                self.current[2].append(msg)
        return None

    def count(self, kind):
        return sum(1 for r in self.reports if r[0] == kind)

    @staticmethod
    def frames(lines, n=6):
        out = []
        for ln in lines:
            m = FRAME.search(ln)
            if m and not NOISE.match(m.group(1)) and m.group(1) not in out:
                out.append(m.group(1))
        return out[:n]


def kmemleak_objects(lines):
    """Split the kmemleak file into objects: (header, [frames])."""
    objs = []
    for ln in lines:
        if ln.startswith('unreferenced object'):
            objs.append([ln.rstrip(':'), []])
        elif objs:
            objs[-1][1].append(ln)
    return [(h, DebugReports.frames(body, 8)) for h, body in objs]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--kernel', required=True)
    ap.add_argument('--initrd', required=True)
    ap.add_argument('--disk', required=True)
    ap.add_argument('--verify', required=True, help='host disk checker')
    ap.add_argument('--log', required=True)
    ap.add_argument('--strict', type=int, default=1)
    ap.add_argument('--seed', default='0x10be11e5')
    ap.add_argument('--mib', type=int, default=MIN_MIB)
    ap.add_argument('--frames', type=int, default=MIN_FRAMES)
    ap.add_argument('--timeout', type=int, default=300)
    ap.add_argument('--kunit-suites', type=int, default=0,
                    help='KUnit suites configured (0: none yet)')
    ap.add_argument('--build-time', type=int, default=0)
    ap.add_argument('--page', default='4K')
    ap.add_argument('--debug', type=int, default=0,
                    help='the debug kernel: count and fail on its reports')
    ap.add_argument('--mem', type=int, default=1024, help='guest MiB')
    ap.add_argument('--stage', type=int, default=1, choices=[1, 2],
                    help='the SMMU stage the DMA domains must use')
    ap.add_argument('--name', default=None, help='the name of the result line')
    ap.add_argument('--forcedac', type=int, default=0,
                    help='iommu.forcedac=1: IOVAs above 4 GiB, up to the top of '
                    'the domain\'s input range')
    ap.add_argument('--s2-ias', type=int, default=0,
                    help='with --stage 2: the stage-2 input size in bits if below '
                    'the SMMU\'s (test-only force_stage2_ias; 0: the SMMU\'s)')
    ap.add_argument('--t0', type=float, default=time.time())
    a = ap.parse_args()

    def log(msg):
        print('[%4ds] %s' % (time.time() - a.t0, msg), flush=True)

    append = ' '.join([
        'console=ttyAMA0', 'panic=-1', 'iommu.strict=%d' % a.strict,
        'kunit.enable=1', 'iopt.seed=%s' % a.seed, 'iopt.mib=%d' % a.mib,
        'iopt.frames=%d' % a.frames, 'iopt.strict=%d' % a.strict])
    if a.debug:
        # Every KASAN report, not just the first.
        append += ' iopt.debug=1 kasan_multi_shot'
    # The test-only patch: the DMA domains return emptied tables.
    append += ' arm_smmu_v3.pgtable_reclaim=1'
    if a.stage == 2:
        # The test-only patch: the driver ignores stage 1 and builds its DMA
        # domains with ARM_64_LPAE_S2.
        append += ' arm_smmu_v3.force_stage2=1'
        if a.s2_ias:
            append += ' arm_smmu_v3.force_stage2_ias=%d' % a.s2_ias
    if a.forcedac:
        append += ' iommu.forcedac=1'
    result_name = a.name or ('run-debug' if a.debug else 'run')
    viommu = 'iommu_platform=on,disable-legacy=on'
    # romfile=: no option ROM for the NICs. QEMU loads efi-virtio.rom (from
    # ipxe-qemu, only a Recommends of qemu-system-arm) for every
    # virtio-net-pci unless told not to, and a kernel booted with -kernel
    # never runs it. With -nodefaults and -kernel nothing else needs a
    # firmware file.
    nic = 'romfile=,' + viommu
    cmd = ['qemu-system-aarch64',
           '-machine', 'virt,gic-version=3,iommu=smmuv3',
           '-cpu', 'max,pauth-impdef=on', '-smp', '2', '-m', str(a.mem),
           '-nodefaults', '-display', 'none', '-serial', 'stdio',
           '-monitor', 'none', '-no-reboot',
           '-kernel', a.kernel, '-initrd', a.initrd, '-append', append,
           '-drive', 'file=%s,if=none,id=disk0,format=raw,cache=unsafe' % a.disk,
           '-device', 'virtio-blk-pci,drive=disk0,' + viommu,
           '-netdev', 'hubport,id=port0,hubid=0',
           '-device', 'virtio-net-pci,netdev=port0,mac=52:54:00:10:00:01,' + nic,
           '-netdev', 'hubport,id=port1,hubid=0',
           '-device', 'virtio-net-pci,netdev=port1,mac=52:54:00:10:00:02,' + nic]
    # QEMU's own account of the SMMU (TRACE_EVENTS), and its complaints
    # about what the guest programmed (guest_errors: a bad STE, VTCR or CD
    # is reported there), both on QEMU's stderr.
    trace_file = a.log + '.qemu-trace'
    for ev in TRACE_EVENTS:
        cmd += ['-trace', 'enable=' + ev]
    cmd += ['-d', 'guest_errors']
    qemu_version = '?'
    try:
        v = subprocess.run(['qemu-system-aarch64', '--version'], stdout=subprocess.PIPE,
                           stderr=subprocess.DEVNULL, text=True)
        m = re.search(r'version (\S+)', v.stdout)
        qemu_version = m.group(1) if m else '?'
    except OSError:
        pass
    log('boot: QEMU %s, SMMU stage %d wanted' % (qemu_version, a.stage))
    log('boot: ' + ' '.join(cmd))

    k = ktap.Ktap()
    res = {}
    fails = []
    t_boot = time.time()
    t_init = None
    kunit_started = None
    kunit_done = None
    panic = False
    smmu_console = 0
    smmu_after_off = 0
    smmu_probe = None
    forced_s2 = False
    powered_down = False
    dbg = DebugReports()
    kmemleak_lines = []
    out = open(a.log, 'w')
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE)
    tr = Trace(trace_file)
    tr_thread = threading.Thread(target=tr.read, args=(p.stderr,), daemon=True)
    tr_thread.start()
    buf = b''
    deadline = t_boot + a.timeout
    timed_out = False
    while True:
        if time.time() > deadline:
            timed_out = True
            p.kill()
            break
        r, _, _ = select.select([p.stdout], [], [], 1.0)
        if not r:
            if p.poll() is not None:
                break
            continue
        chunk = os.read(p.stdout.fileno(), 65536)
        if not chunk:
            break
        buf += chunk
        *lines, buf = buf.split(b'\n')
        for raw in lines:
            line = raw.decode('utf-8', 'replace').rstrip('\r')
            out.write(line + '\n')
            if line.startswith('IOPT-KMEMLEAK '):
                kmemleak_lines.append(line[14:])
                continue
            if line.startswith('IOPT-RESULT '):
                for kv in line.split()[1:]:
                    if '=' in kv:
                        key, val = kv.split('=', 1)
                        res[key] = val
                continue
            if line.startswith('IOPT FAIL'):
                fails.append(line[10:])
                log('guest: ' + line)
                continue
            if line.startswith('IOPT '):
                if t_init is None:
                    t_init = time.time()
                    log('boot: init started, %.1fs after QEMU start' % (t_init - t_boot))
                log('guest: ' + line[5:])
                continue
            if a.debug:
                # KASAN, lockdep and DEBUG_VM reports print "BUG: " too; they
                # are counted apart below, and only a real crash is a panic.
                report = dbg.feed(line)
                if report:
                    log('console: %s report: %s' % (report[0], report[1]))
                if re.search(r'Kernel panic|Internal error: Oops|Unable to handle kernel',
                             line):
                    panic = True
            elif re.search(r'Kernel panic|Internal error: Oops|BUG: |Unable to handle kernel',
                           line):
                panic = True
                log('console: ' + line)
            if 'reboot: Power down' in line:
                powered_down = True
            m = SMMU_PROBE.search(line)
            if m and smmu_probe is None:
                smmu_probe = m.groups()
                log('console: SMMU: ias %s-bit, oas %s-bit, features %s' % smmu_probe)
            if FORCE_S2 in line:
                forced_s2 = True
                log('console: ' + strip_ts(line))
            if re.search(r'smmu', line, re.I) and re.search(
                    r'event|fault|gerror|timeout|abort|stall|unexpected|unhandled', line, re.I):
                # After "reboot: Power down" the SMMU driver has disabled
                # the command queue; a flush-queue timer still firing then
                # (iommu.strict=0) times out on CMD_SYNC. That is teardown
                # in the SMMU driver, not a translation of ours.
                if powered_down:
                    smmu_after_off += 1
                else:
                    smmu_console += 1
                log('console: ' + line)
            if 'KTAP version 1' in line and kunit_started is None:
                kunit_started = time.time()
                log('kunit: started, %.1fs after QEMU start' % (kunit_started - t_boot))
            ev = k.feed(line)
            if ev:
                name, ps, fl, sk, ok = ev
                log('kunit: suite %s: %d passed, %d failed, %d skipped%s' %
                    (name, ps, fl, sk, '' if ok else ' (NOT OK)'))
                if k.top_plan is not None and len(k.suites) >= k.top_plan:
                    kunit_done = time.time()
    try:
        p.wait(timeout=10)
    except subprocess.TimeoutExpired:
        p.kill()
    tr_thread.join(timeout=30)
    for ln in tr.other:
        out.write('qemu: ' + ln + '\n')
    out.close()
    t_end = time.time()

    checks = []

    def check(name, ok, detail=''):
        checks.append((name, ok))
        log('%s %s%s' % ('PASS' if ok else 'FAIL', name, (': ' + detail) if detail else ''))

    check('kernel build', True, '%ds' % a.build_time)
    if timed_out:
        log('boot: TIMEOUT after %ds (a hung virtqueue is the usual sign of a bad '
            'page table); console in %s' % (a.timeout, a.log))
    booted = t_init is not None
    check('boot reached /init', booted and not panic,
          'no init output' if not booted else ('kernel panic/oops' if panic else
                                               '%.1fs' % (t_init - t_boot)))
    # KUnit.
    kunit_failed = k.failed + k.unfinished() + sum(1 for s in k.suites if not s[4])
    if a.kunit_suites:
        check('KUnit at boot', k.passed > 0 and kunit_failed == 0 and
              len(k.suites) >= a.kunit_suites,
              '%d passed, %d failed, %d skipped in %d suites' %
              (k.passed, k.failed + k.unfinished(), k.skipped, len(k.suites)))
    else:
        log('kunit: no io-pgtable KUnit suites in the tree yet (%d passed elsewhere)'
            % k.passed)
    ndev = int(res.get('groups', 0))
    check('IOMMU groups: translated DMA domains', ndev > 0 and
          int(res.get('virtio', 0)) >= 3 and not any(f.startswith('groups') for f in fails),
          '%d PCI devices' % ndev)
    vbytes = int(res.get('disk-verified-bytes', 0))
    mib = vbytes >> 20
    check('disk DMA verified in the guest', mib >= a.mib and res.get('bad') == '0' and
          not any(f.startswith('disk') for f in fails), '%d MiB' % mib)
    host_mib = 0
    if 'base' in res:
        v = subprocess.run([a.verify, a.disk, a.seed, res['base'], res['len']],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        for line in v.stdout.splitlines():
            log('host: ' + line)
        m = re.search(r'(\d+) MiB verified', v.stdout)
        host_mib = int(m.group(1)) if m else 0
        check('disk image verified on the host', v.returncode == 0 and host_mib >= a.mib,
              '%d MiB' % host_mib)
    else:
        check('disk image verified on the host', False, 'the guest wrote no region')
    frames = int(res.get('net-verified-frames', 0))
    check('net DMA frames verified', frames >= a.frames and
          not any(f.startswith('net') for f in fails), '%d frames' % frames)
    faults = int(res.get('smmu-faults', -1))
    check('no SMMU event/fault', faults == 0 and smmu_console == 0,
          '%s in the guest log, %d on the console' % (res.get('smmu-faults', '?'), smmu_console))
    counts = tr.counts
    walks = tr.walks
    other = 3 - a.stage
    if a.stage == 2:
        check('arm-smmu-v3 forced to stage 2 (test-only force_stage2)', forced_s2,
              'features %s' % smmu_probe[2] if smmu_probe and forced_s2 else
              'no force_stage2 line on the console: the kernel lacks the test-only '
              'patch or the SMMU has no stage 2 (QEMU %s)' % qemu_version)
    if a.stage == 2:
        # Where QEMU started its walks (from the VTCR the driver took from
        # our cfg: SL0 and T0SZ) against the geometry the architecture
        # gives the input size and granule, and the highest index it used
        # there, within range.  (With forcedac that is the top of the input
        # range, unless the PCI windows reserved in the IOVA space cover it:
        # with 40 bits they take [2^39, 2^40).)
        ias = a.s2_ias or (int(smmu_probe[0]) if smmu_probe else 0)
        geo = s2_geometry(ias, a.page) if ias else None
        start = tr.start.get(2)
        top = tr.top_index.get((2, start), -1)
        ok = geo is not None and start == geo[0] and 0 <= top < geo[1]
        check('QEMU walked the stage-2 geometry of a %d-bit input on %s pages' % (ias, a.page),
              ok, 'expected start level %s, %s entries%s; QEMU started at level %s, '
              'highest index %d' % (
                  geo[0] if geo else '?', geo[1] if geo else '?',
                  (' (%d tables concatenated)' % geo[2]) if geo and geo[2] > 1 else '',
                  start, top))
    check('QEMU SMMUv3 walked our tables at stage %d only, nothing bypassed or aborted'
          % a.stage,
          walks[a.stage] > 0 and walks[other] == 0 and tr.invalid == 0 and
          (a.stage == 1 or counts['smmuv3_decode_cd'] == 0) and
          counts['smmuv3_translate_bypass'] == 0 and
          counts['smmuv3_translate_abort'] == 0 and counts['smmuv3_record_event'] == 0 and
          not tr.guest_errors and not tr_thread.is_alive(),
          'stage %d: %s; stage %d: %s; %d invalid descriptors met, %d CDs decoded, '
          '%d bypassed, %d aborted, %d events recorded, %d SMMU guest errors' %
          (a.stage, walk_summary(tr, a.stage, a.page), other,
           walk_summary(tr, other, a.page), tr.invalid, counts['smmuv3_decode_cd'],
           counts['smmuv3_translate_bypass'], counts['smmuv3_translate_abort'],
           counts['smmuv3_record_event'], len(tr.guest_errors)))
    for ln in tr.guest_errors[:5]:
        log('qemu: ' + ln)
    for ln in tr.other[:5]:
        log('qemu: ' + ln)
    # The test-only arm_smmu_v3.pgtable_reclaim: emptied tables went back
    # (one walk flush of a whole table span each) while the devices did
    # DMA next to them, and the checks above saw no fault.
    rwalks = int(res.get('reclaim-walks', -1))
    check('emptied tables returned (test-only pgtable_reclaim)',
          res.get('reclaim') == 'Y' and rwalks > 0,
          '%d walk flushes of whole table spans' % rwalks
          if res.get('reclaim') == 'Y' else 'reclaim not on: the kernel lacks the '
          'test-only patch')
    check('guest finished and powered off', not timed_out and res.get('failures') == '0',
          'failures=%s' % res.get('failures', '?'))
    if a.debug:
        debug_checks(a, check, log, dbg, res, kmemleak_lines)

    boot_time = (t_init - t_boot) if t_init else t_end - t_boot
    print()
    print('==== make run summary (PAGE=%s STRICT=%d%s STAGE=%d) ====' % (
        a.page, a.strict, ' DEBUG=1' if a.debug else '', a.stage))
    print('  QEMU             %s, SMMUv3%s' % (
        qemu_version, (': ias %s-bit, oas %s-bit, driver features %s' % smmu_probe)
        if smmu_probe else ''))
    print('  build time       %ds' % a.build_time)
    print('  boot time        %.1fs to /init (KUnit %s)' % (
        boot_time, ('%.1fs' % (kunit_done - kunit_started)) if kunit_done and kunit_started
        else 'n/a'))
    print('  guest tests      %.1fs' % ((t_end - t_init) if t_init else 0))
    print('  KUnit            %d passed, %d failed, %d skipped (%d suites)' %
          (k.passed, k.failed + k.unfinished(), k.skipped, len(k.suites)))
    print('  MiB verified     %d through the SMMU (guest), %d on the host' % (mib, host_mib))
    print('  frames verified  %d' % frames)
    print('  SMMU stage       %s walked (QEMU trace)' % stage_seen(tr))
    for stage in (1, 2):
        print('    stage %d        %s' % (stage, walk_summary(tr, stage, a.page)))
    print('  SMMU config      %d CDs decoded (stage 1 only)%s' % (
        counts['smmuv3_decode_cd'],
        ', force_stage2 on' if forced_s2 else ''))
    print('  SMMU walks       %d to a leaf, %d invalid, %d bypassed, %d aborted' %
          (walks[1] + walks[2], tr.invalid, counts['smmuv3_translate_bypass'],
           counts['smmuv3_translate_abort']))
    print('  table reclaim    %s walk flushes of whole table spans (test-only '
          'pgtable_reclaim)' % res.get('reclaim-walks', '?'))
    print('  SMMU faults      %s%s' % (
        faults + smmu_console if faults >= 0 else 'unknown',
        ('  (and %d SMMU messages after power-off, not counted)' % smmu_after_off)
        if smmu_after_off else ''))
    if a.debug:
        leaks = kmemleak_objects(kmemleak_lines)
        dma_err = res.get('dma-api-errors', '?')
        print('  KASAN reports    %d' % dbg.count('KASAN'))
        print('  kmemleak leaks   %d (after %s scans)' % (len(leaks),
                                                        res.get('kmemleak-scans', 0)))
        print('  lockdep splats   %d (debug_locks=%s at the end)' % (
            dbg.count('lockdep'), res.get('debug-locks', '?')))
        print('  DMA-API reports  %d on the console, error_count %s' % (
            dbg.count('DMA-API'), dma_err))
        print('  WARNING/BUG/Oops %d other (taint %s)' % (
            dbg.count('WARNING/BUG/Oops'), res.get('tainted', '?')))
        for kind, header, lines in dbg.reports:
            print('    %s: %s' % (kind, header))
            print('      at: %s' % (' < '.join(DebugReports.frames(lines)) or '?'))
        for header, frames in leaks:
            print('    kmemleak: %s' % header)
            print('      allocated by: %s' % (' < '.join(frames) or '?'))
    print('  console log      %s' % a.log)
    npass = sum(1 for _, ok in checks if ok)
    nfail = len(checks) - npass
    print('%s: %d passed, %d failed' % (result_name, npass, nfail))
    sys.exit(1 if nfail else 0)


class Trace:
    """QEMU's SMMU trace, counted line by line as QEMU writes it: walks to a
    leaf per stage and leaf level, the start level of the walks and the
    highest index they used there, invalid descriptors met, the other
    events, the SMMU's guest errors (a bad STE, CD or VTCR) and any other
    line QEMU printed.  The first TRACE_HEAD lines go to a file."""

    def __init__(self, path):
        self.path = path
        self.counts = dict.fromkeys(TRACE_EVENTS, 0)
        self.walks = {1: 0, 2: 0}
        self.levels = {}	# (stage, level, kind) -> leaves
        self.start = {}		# stage -> lowest level seen
        self.top_index = {}	# (stage, level) -> highest index
        self.invalid = 0
        self.guest_errors = []
        self.other = []

    def read(self, stream):
        with open(self.path, 'w') as head:
            n = 0
            for raw in stream:
                line = raw.decode('utf-8', 'replace').rstrip('\n')
                if n < TRACE_HEAD:
                    head.write(line + '\n')
                    n += 1
                self.feed(line)

    def feed(self, line):
        m = PTW_LEVEL.search(line)
        if m:
            stage, level, index = int(m.group(1)), int(m.group(2)), int(m.group(3))
            self.counts['smmu_ptw_level'] += 1
            if level < self.start.get(stage, 99):
                self.start[stage] = level
            if index > self.top_index.get((stage, level), -1):
                self.top_index[(stage, level)] = index
            return
        m = PTW.search(line)
        if m:
            ev, stage, level = m.group(1), int(m.group(2)), int(m.group(3))
            self.counts[ev] += 1
            if ev == 'smmu_ptw_invalid_pte':
                self.invalid += 1
                return
            self.walks[stage] = self.walks.get(stage, 0) + 1
            key = (stage, level, 'block' if 'block' in ev else 'page')
            self.levels[key] = self.levels.get(key, 0) + 1
            return
        for ev in TRACE_EVENTS:
            if ev in line:
                self.counts[ev] += 1
                return
        if re.search(r'smmu', line, re.I):
            self.guest_errors.append(line)
        elif line.strip() and len(self.other) < 100:
            self.other.append(line)


def walk_summary(tr, stage, page):
    """One stage's walks: how many, their leaves, and the start level with
    the highest index used there (past one table's entries: the walk went
    into a concatenated table)."""
    n = tr.walks.get(stage, 0)
    if not n:
        return '0 walks'
    lv = ', '.join('%d %ss at level %d' % (c, kind, level)
                   for (s, level, kind), c in sorted(tr.levels.items()) if s == stage)
    out = '%d walks to a leaf (%s)' % (n, lv)
    start = tr.start.get(stage)
    if start is not None:
        top = tr.top_index[(stage, start)]
        per_table = {'4K': 4096, '16K': 16384, '64K': 65536}.get(page, 4096) // 8
        out += ', start level %d, highest index there %d' % (start, top)
        if top >= per_table:
            out += ' (table %d of the concatenated first level)' % (top // per_table + 1)
    return out


def s2_geometry(ias, page):
    """The stage-2 walk of an ias-bit input on a granule (the VMSA rules):
    (start level, entries indexed there, tables concatenated).  A walk that
    would start at level 0 with at most 16 entries starts at level 1 over
    that many concatenated tables."""
    pg = {'4K': 12, '16K': 14, '64K': 16}[page]
    bpl = pg - 3
    levels = -(-(ias - pg) // bpl)
    start = 4 - levels
    entries = 1 << (ias - (pg + (levels - 1) * bpl))
    concat = 1
    if start == 0 and entries <= 16:
        start, concat, entries = 1, entries, entries << bpl
    return start, entries, concat


def stage_seen(tr):
    seen = [s for s in sorted(tr.walks) if tr.walks[s]]
    if not seen:
        return 'no stage'
    return ' and '.join('stage %d' % s for s in seen)


def debug_checks(a, check, log, dbg, res, kmemleak_lines):
    """The debug kernel's own checks: each checker was on and stayed on, and
    none of them reported anything."""
    off = [k for k, v in dbg.seen.items() if not v]
    dma_off = res.get('dma-api-disabled', 'N') != 'N'
    check('debug kernel: KASAN, kmemleak, lockdep, DMA-API debug all active',
          not off and not dma_off and res.get('kmemleak-scans') == '2',
          'not announced on the console: %s' % ', '.join(off) if off else
          ('DMA-API debugging switched itself off' if dma_off else
           'kmemleak scans: %s' % res.get('kmemleak-scans', 0)))
    n = dbg.count('KASAN')
    check('no KASAN report', n == 0, '%d' % n)
    leaks = kmemleak_objects(kmemleak_lines)
    for header, frames in leaks:
        log('kmemleak: %s, allocated by %s' % (header, ' < '.join(frames) or '?'))
    check('no kmemleak leak', res.get('kmemleak-scans') == '2' and
          res.get('kmemleak-leaks') == '0' and not leaks,
          '%d suspected leaks' % len(leaks))
    n = dbg.count('lockdep')
    # Lockdep also turns itself off when another report (KASAN, a bad page)
    # taints the kernel: then it saw only part of the run.
    check('no lockdep splat, lockdep still on', n == 0 and res.get('debug-locks') == '1',
          '%d splats, debug_locks=%s%s' % (
              n, res.get('debug-locks', '?'),
              ' (off after a taint)' if n == 0 and res.get('debug-locks') == '0' else ''))
    n = dbg.count('DMA-API')
    errs = res.get('dma-api-errors', '?')
    check('no DMA-API debug warning', n == 0 and errs == '0',
          '%d on the console, error_count %s' % (n, errs))
    n = dbg.count('WARNING/BUG/Oops')
    try:
        taint = int(res.get('tainted', '-1'))
    except ValueError:
        taint = -1
    check('no other WARNING/BUG/Oops, no taint but KUnit\'s',
          n == 0 and taint >= 0 and (taint & ~TAINT_TEST) == 0,
          '%d reports, taint %s' % (n, res.get('tainted', '?')))


if __name__ == '__main__':
    main()
