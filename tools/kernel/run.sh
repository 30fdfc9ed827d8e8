#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# make run [PAGE=4K|16K|64K] [STRICT=1|0] [DEBUG=0|1] [STAGE=1|2]: build a
# 6.12 arm64 kernel with our series, boot it under QEMU with an SMMUv3
# walking our tables, run KUnit at boot and drive verified virtio-blk and
# virtio-net DMA through it.  DEBUG=1 (make run-debug): the same in a kernel
# with KASAN, kmemleak, lockdep, DEBUG_VM and DMA-API debugging
# (configs/debug.config, built in build/kernel/run-<PAGE>-debug), failing on
# any of their reports.  STAGE=2 (make run-stage2): the same kernel booted
# with arm_smmu_v3.force_stage2=1 (the test-only patch in test-patches/,
# applied on top of the series to every make-run kernel), so that the
# driver's DMA domains use ARM_64_LPAE_S2 and QEMU 10's SMMUv3 walks our
# stage-2 tables; QEMU's trace must show stage-2 walks and no stage-1 ones.

. "$(dirname "$0")/lib.sh"

PAGE=${PAGE:-4K}
STRICT=${STRICT:-1}
DEBUG=${DEBUG:-0}
STAGE=${STAGE:-1}
case $PAGE in 4K|16K|64K) ;; *) die "PAGE must be 4K, 16K or 64K" ;; esac
case $STRICT in 0|1) ;; *) die "STRICT must be 0 or 1" ;; esac
case $DEBUG in 0|1) ;; *) die "DEBUG must be 0 or 1" ;; esac
case $STAGE in 1|2) ;; *) die "STAGE must be 1 or 2" ;; esac
NAME=run
[ "$DEBUG" = 1 ] && NAME=run-debug
[ "$STAGE" = 2 ] && NAME=$NAME-stage2

fail_early() {
	log "$NAME: $*"
	echo "$NAME: 0 passed, 1 failed"
	exit 1
}

log "setup: packages"
ensure_packages
setup_ccache
ensure_tree
# The test-only patches (never part of the series) go on top, so that
# STAGE=1 and STAGE=2 boot one kernel image.
if [ "${IOPT_SERIES:-1}" = 0 ]; then
	log "series: IOPT_SERIES=0, building pristine 6.12 (+ the test-only patches)"
	apply_on_pristine " (test-only)" $(test_patches) ||
		fail_early "the test-only patches do not apply"
else
	gen_series || fail_early "series generation failed"
	apply_series $(test_patches) || fail_early "the series does not apply"
fi

t=$(now)
if [ "$DEBUG" = 1 ]; then
	log "build: configure arm64 PAGE=$PAGE (allnoconfig + tools/kernel/configs/run.config + debug.config)"
	configure_run_tree "$PAGE" debug ||
		fail_early "configuration did not take the fragment"
	# KASAN's shadow, kmemleak's objects and lockdep slow TCG down.
	DEFAULT_TIMEOUT=1800 MEM=2048
else
	log "build: configure arm64 PAGE=$PAGE (allnoconfig + tools/kernel/configs/run.config)"
	configure_run_tree "$PAGE" || fail_early "configuration did not take the fragment"
	DEFAULT_TIMEOUT=300 MEM=1024
fi
G=$OBJ/guest
mkdir -p "$G"
log "build: Image with -j$NPROC${CCACHE_DIR:+ and ccache ($CCACHE_DIR)}"
if ! kmake "$OBJ" arm64 -s Image >"$OBJ/build.log" 2>&1; then
	tail -40 "$OBJ/build.log"
	fail_early "kernel build failed (log: $OBJ/build.log)"
fi
grep -E "warning:|error:" "$OBJ/build.log" | head -20 || true

log "build: guest /init (static, aarch64) and initramfs"
${CROSS}gcc -O2 -static -Wall -Wextra -o "$G/init" "$KT/guest/init.c" ||
	fail_early "guest init build failed"
gcc -O2 -o "$G/gen_init_cpio" "$SRC/usr/gen_init_cpio.c"
cat >"$G/initramfs.list" <<LIST
dir /dev 0755 0 0
nod /dev/console 0600 0 0 c 5 1
dir /proc 0755 0 0
dir /sys 0755 0 0
file /init $G/init 0755 0 0
LIST
"$G/gen_init_cpio" "$G/initramfs.list" >"$G/initramfs.cpio"
gcc -O2 -Wall -Wextra -o "$G/verify-disk" "$KT/host/verify-disk.c" ||
	fail_early "host disk checker build failed"
BUILD_TIME=$(( $(now) - t ))
log "build: done in ${BUILD_TIME}s"

# A fresh, sparse disk each run; the guest writes at least 256 MiB into it.
rm -f "$G/disk.img"
truncate -s 320M "$G/disk.img"

# STAGE=2 also takes IOVAs above 4 GiB (iommu.forcedac=1), from the top of
# the stage-2 input range down, so that the walks reach the last entries of
# the first level (short of the PCI windows iommu-dma keeps out of the IOVA
# space).
FORCEDAC=${FORCEDAC:-$([ "$STAGE" = 2 ] && echo 1 || echo 0)}
# STAGE=2 on 4K pages also caps the stage-2 input size at 40 bits (the
# test-only arm_smmu_v3.force_stage2_ias): QEMU's SMMU has 44, with which no
# granule gives a concatenated first level; 40 on 4K gives two level-1
# tables concatenated.  S2_IAS= (empty) keeps the SMMU's.
S2_IAS=${S2_IAS-$([ "$STAGE" = 2 ] && [ "$PAGE" = 4K ] && echo 40 || true)}

SEED=${SEED:-$(printf '0x%x' $(( ($(date +%s) * 2654435761) & 0xffffffff )))}
exec python3 "$KT/boot.py" --kernel "$OBJ/arch/arm64/boot/Image" \
	--initrd "$G/initramfs.cpio" --disk "$G/disk.img" --verify "$G/verify-disk" \
	--log "$OBJ/console$([ "$STAGE" = 1 ] || echo -stage2).log" --strict "$STRICT" --seed "$SEED" \
	--timeout "${BOOT_TIMEOUT:-$DEFAULT_TIMEOUT}" --kunit-suites "$NSUITES" \
	--build-time "$BUILD_TIME" --page "$PAGE" --t0 "$T0" \
	--debug "$DEBUG" --mem "$MEM" --stage "$STAGE" --name "$NAME" \
	--forcedac "$FORCEDAC" --s2-ias "${S2_IAS:-0}"
