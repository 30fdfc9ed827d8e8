# SPDX-License-Identifier: GPL-2.0-only
#
# io-pgtable: entry points (see README.md)
#
#   make run         build a 6.12 arm64 kernel with our series, boot it under QEMU with
#                    an SMMUv3, drive DMA through our tables and run KUnit at boot
#   make check       every test: userspace suites, fuzz slices, KUnit in QEMU, patch
#                    checks, compat, make run, make run-stage2, make run-debug
#   make run-debug   make run DEBUG=1: KASAN, kmemleak, lockdep, DEBUG_VM and
#                    DMA-API debugging, failing on any report
#   make run-stage2  make run STAGE=2: the same kernel with its DMA domains at
#                    stage 2 (ARM_64_LPAE_S2), walked by QEMU 10's SMMUv3
#   make check-fast  the userspace suites only (seconds)
#   make check-userspace  the userspace suites for 4K, 16K and 64K kernel pages
#   make bench       our tables against the kernel's own 6.12 io-pgtable
#   make fuzz        differential fuzzing against 6.12's io-pgtable (10^8 ops per
#                    format) and the concurrency stress under TSan and ASan (10^7)
#   make fuzz-check  their short fixed-seed slices (a stage of make check)
#   make kunit       kunit.py run --arch=arm64 on drivers/iommu/.kunitconfig
#   make patches     the git format-patch series against pristine 6.12
#   make compat      every 6.12 in-tree user compiles against our series

HARNESS := tools/testing/io-pgtable
KTOOLS := tools/kernel

.PHONY: all check check-fast check-userspace bench fuzz fuzz-check run \
	run-debug run-stage2 kunit patches check-patches compat clean

all: check-fast

check:
	@bash tools/check.sh

check-fast:
	@$(MAKE) --no-print-directory -C $(HARNESS) check

check-userspace:
	@$(MAKE) --no-print-directory -C $(HARNESS) check-all

bench:
	@$(MAKE) --no-print-directory -C $(HARNESS) bench

# The long randomized runs: differential fuzzing against 6.12 (10^8
# operations per format) and the concurrency stress (10^7 operations,
# under ThreadSanitizer and ASan).
fuzz:
	@bash tools/fuzz.sh run

# Their short fixed-seed slices, a stage of make check.
fuzz-check:
	@bash tools/fuzz.sh check

# make run takes PAGE=4K|16K|64K, STRICT=1|0, DEBUG=0|1 and STAGE=1|2 from
# the command line (passed down to the sub-make).
run run-debug run-stage2 kunit patches check-patches compat:
	@$(MAKE) --no-print-directory -f $(KTOOLS)/kernel.mk $@

clean:
	@$(MAKE) --no-print-directory -C $(HARNESS) clean
	rm -rf build
