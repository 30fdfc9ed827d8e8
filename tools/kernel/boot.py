#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
#
# Boot the `make run` kernel under QEMU (virt, GICv3, SMMUv3), watch the
# console, parse the KUnit KTAP and the guest's "IOPT" lines, check the disk
# image on the host, print the summary and the "run: N passed, N failed" line.

import argparse
import os
import re
import select
import subprocess
import sys
import time

sys.dont_write_bytecode = True		# no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ktap  # noqa: E402

MIN_MIB = 256
MIN_FRAMES = 10000


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
    ap.add_argument('--t0', type=float, default=time.time())
    a = ap.parse_args()

    def log(msg):
        print('[%4ds] %s' % (time.time() - a.t0, msg), flush=True)

    append = ' '.join([
        'console=ttyAMA0', 'panic=-1', 'iommu.strict=%d' % a.strict,
        'kunit.enable=1', 'iopt.seed=%s' % a.seed, 'iopt.mib=%d' % a.mib,
        'iopt.frames=%d' % a.frames, 'iopt.strict=%d' % a.strict])
    viommu = 'iommu_platform=on,disable-legacy=on'
    # romfile=: no option ROM for the NICs. QEMU loads efi-virtio.rom (from
    # ipxe-qemu, only a Recommends of qemu-system-arm) for every
    # virtio-net-pci unless told not to, and a kernel booted with -kernel
    # never runs it. With -nodefaults and -kernel nothing else needs a
    # firmware file.
    nic = 'romfile=,' + viommu
    cmd = ['qemu-system-aarch64',
           '-machine', 'virt,gic-version=3,iommu=smmuv3',
           '-cpu', 'max,pauth-impdef=on', '-smp', '2', '-m', '1024',
           '-nodefaults', '-display', 'none', '-serial', 'stdio',
           '-monitor', 'none', '-no-reboot',
           '-kernel', a.kernel, '-initrd', a.initrd, '-append', append,
           '-drive', 'file=%s,if=none,id=disk0,format=raw,cache=unsafe' % a.disk,
           '-device', 'virtio-blk-pci,drive=disk0,' + viommu,
           '-netdev', 'hubport,id=port0,hubid=0',
           '-device', 'virtio-net-pci,netdev=port0,mac=52:54:00:10:00:01,' + nic,
           '-netdev', 'hubport,id=port1,hubid=0',
           '-device', 'virtio-net-pci,netdev=port1,mac=52:54:00:10:00:02,' + nic]
    # QEMU's own account of the SMMU: walks of our tables (one per IOTLB
    # miss), and anything that bypassed or aborted translation.
    trace_events = ['smmu_ptw_page_pte', 'smmu_ptw_block_pte',
                    'smmuv3_translate_bypass', 'smmuv3_translate_abort',
                    'smmuv3_record_event']
    trace_file = a.log + '.qemu-trace'
    if os.path.exists(trace_file):
        os.unlink(trace_file)
    for ev in trace_events:
        cmd += ['-trace', 'enable=' + ev]
    cmd += ['-D', trace_file]
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
    powered_down = False
    out = open(a.log, 'w')
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT)
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
            if re.search(r'Kernel panic|Internal error: Oops|BUG: |Unable to handle kernel', line):
                panic = True
                log('console: ' + line)
            if 'reboot: Power down' in line:
                powered_down = True
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
    counts = dict.fromkeys(trace_events, 0)
    if os.path.exists(trace_file):
        with open(trace_file, errors='replace') as f:
            for line in f:
                for ev in trace_events:
                    if ev in line:
                        counts[ev] += 1
                        break
    walks = counts['smmu_ptw_page_pte'] + counts['smmu_ptw_block_pte']
    check('QEMU SMMUv3 walked our tables, nothing bypassed or aborted',
          walks > 0 and counts['smmuv3_translate_bypass'] == 0 and
          counts['smmuv3_translate_abort'] == 0 and counts['smmuv3_record_event'] == 0,
          '%d walks to a leaf, %d bypassed, %d aborted, %d events recorded' %
          (walks, counts['smmuv3_translate_bypass'], counts['smmuv3_translate_abort'],
           counts['smmuv3_record_event']))
    check('guest finished and powered off', not timed_out and res.get('failures') == '0',
          'failures=%s' % res.get('failures', '?'))

    boot_time = (t_init - t_boot) if t_init else t_end - t_boot
    print()
    print('==== make run summary (PAGE=%s STRICT=%d) ====' % (a.page, a.strict))
    print('  build time       %ds' % a.build_time)
    print('  boot time        %.1fs to /init (KUnit %s)' % (
        boot_time, ('%.1fs' % (kunit_done - kunit_started)) if kunit_done and kunit_started
        else 'n/a'))
    print('  guest tests      %.1fs' % ((t_end - t_init) if t_init else 0))
    print('  KUnit            %d passed, %d failed, %d skipped (%d suites)' %
          (k.passed, k.failed + k.unfinished(), k.skipped, len(k.suites)))
    print('  MiB verified     %d through the SMMU (guest), %d on the host' % (mib, host_mib))
    print('  frames verified  %d' % frames)
    print('  SMMU walks       %d to a leaf (QEMU trace), %d bypassed, %d aborted' %
          (walks, counts['smmuv3_translate_bypass'], counts['smmuv3_translate_abort']))
    print('  SMMU faults      %s%s' % (
        faults + smmu_console if faults >= 0 else 'unknown',
        ('  (and %d SMMU messages after power-off, not counted)' % smmu_after_off)
        if smmu_after_off else ''))
    print('  console log      %s' % a.log)
    npass = sum(1 for _, ok in checks if ok)
    nfail = len(checks) - npass
    print('run: %d passed, %d failed' % (npass, nfail))
    sys.exit(1 if nfail else 0)


if __name__ == '__main__':
    main()
