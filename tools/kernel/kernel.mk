# SPDX-License-Identifier: GPL-2.0-only
#
# Kernel-integration targets, run from the repo root by the top-level
# Makefile as `make -f tools/kernel/kernel.mk <target>`.  See README.md here.
#
#   run            boot our series in QEMU with SMMUv3 DMA and KUnit at boot
#                  (PAGE=4K|16K|64K, STRICT=1|0, DEBUG=0|1, STAGE=1|2)
#   run-stage2     make run STAGE=2: the same kernel, its DMA domains at
#                  stage 2 (ARM_64_LPAE_S2) walked by QEMU 10's SMMUv3
#   run-debug      make run DEBUG=1: the same in a KASAN, kmemleak, lockdep,
#                  DEBUG_VM and DMA-API debug kernel, failing on any report
#   kunit          kunit.py run --arch=arm64 on drivers/iommu/.kunitconfig
#   patches        generate the format-patch series into build/patches
#   check-patches  apply and build after every patch, checkpatch, sparse, W=1,
#                  kernel-doc
#   compat         every 6.12 in-tree user builds against the series

KDIR := tools/kernel
PAGE ?= 4K
STRICT ?= 1
DEBUG ?= 0
STAGE ?= 1
export PAGE STRICT DEBUG STAGE

.PHONY: run run-debug run-stage2 kunit patches check-patches compat

run:
	@bash $(KDIR)/run.sh

run-debug:
	@DEBUG=1 bash $(KDIR)/run.sh

run-stage2:
	@STAGE=2 bash $(KDIR)/run.sh

kunit:
	@bash $(KDIR)/kunit.sh

patches:
	@bash $(KDIR)/patches.sh

check-patches:
	@bash $(KDIR)/check-patches.sh

compat:
	@bash $(KDIR)/compat.sh
