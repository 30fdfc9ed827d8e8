# SPDX-License-Identifier: GPL-2.0-only
#
# Linux 6.12's own io-pgtable-arm.c and io-pgtable-arm-v7s.c, built in
# userspace against the harness's shim, for the benchmark (bench/) and the
# differential fuzzer (fuzz/).  The few files needed come straight out of
# the installed linux-source-6.12 package's tarball into build/ (never
# committed); upstream code is compiled there and nowhere else.
#
# Include with TOP and HARNESS set.  Provides:
#   UP            where the files are extracted ($(UP)/.extracted: the rule)
#   UP_CPPFLAGS   the preprocessor flags both implementations build with
#                 (the consumer puts its own -I first)
#   UP_RENAME     6.12's global init_fns renamed upstream_*, so that both
#                 implementations link into one binary
#   up_cc         $(call up_cc,FLAGS,LABEL): the recipe that compiles
#                 upstream's $*.c into $@ (a pattern rule with stem = the
#                 file name without .c, prerequisite $(UP)/.extracted)

# (the including makefile keeps its own default goal)
_up_default_goal := $(.DEFAULT_GOAL)

UP ?= $(TOP)/build/upstream-6.12
TARBALL ?= /usr/src/linux-source-6.12.tar.xz
UP_FILES := drivers/iommu/io-pgtable-arm.c drivers/iommu/io-pgtable-arm.h \
	drivers/iommu/io-pgtable-arm-v7s.c drivers/iommu/iommu-pages.h

UP_CONFIGS := CONFIG_64BIT CONFIG_MMU CONFIG_PHYS_ADDR_T_64BIT \
	CONFIG_ARCH_DMA_ADDR_T_64BIT CONFIG_ZONE_DMA32 \
	CONFIG_IOMMU_API CONFIG_IOMMU_SUPPORT \
	CONFIG_IOMMU_IO_PGTABLE CONFIG_IOMMU_IO_PGTABLE_LPAE

# The shim, then our include/.  iommu-pages.h: the harness's if it has
# one, else 6.12's own (it builds against the shim), found last.
UP_CPPFLAGS = -I$(HARNESS)/include -I$(TOP)/include \
	-idirafter $(UP)/drivers/iommu \
	-include linux/kconfig.h -include linux/compiler_types.h \
	-D_GNU_SOURCE $(addprefix -D,$(addsuffix =1,$(UP_CONFIGS))) \
	-UCONFIG_IOMMU_IO_PGTABLE_LPAE_SELFTEST \
	-UCONFIG_IOMMU_IO_PGTABLE_ARMV7S_SELFTEST

UP_RENAME := \
	-Dio_pgtable_arm_64_lpae_s1_init_fns=upstream_arm_64_lpae_s1_init_fns \
	-Dio_pgtable_arm_64_lpae_s2_init_fns=upstream_arm_64_lpae_s2_init_fns \
	-Dio_pgtable_arm_32_lpae_s1_init_fns=upstream_arm_32_lpae_s1_init_fns \
	-Dio_pgtable_arm_32_lpae_s2_init_fns=upstream_arm_32_lpae_s2_init_fns \
	-Dio_pgtable_arm_mali_lpae_init_fns=upstream_arm_mali_lpae_init_fns \
	-Dio_pgtable_arm_v7s_init_fns=upstream_arm_v7s_init_fns

define up_cc
	@mkdir -p $(dir $@)
	@echo "  CC      $(2) upstream $*.c"
	@$(CC) $(1) $(UP_RENAME) -DKBUILD_MODNAME='"$(subst -,_,$*)"' \
		-MMD -MP -c $(UP)/drivers/iommu/$*.c -o $@
endef

$(UP)/.extracted:
	@if [ ! -f $(TARBALL) ]; then \
		echo "$(TARBALL) is missing: apt-get install -y linux-source-6.12"; \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			apt-get update -qq && \
			DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
				linux-source-6.12 >/dev/null || exit 1; \
		else exit 1; fi; \
	fi
	@echo "  TAR     6.12 $(notdir $(UP_FILES))"
	@mkdir -p $(UP)
	@tar -xJf $(TARBALL) -C $(UP) --strip-components=1 \
		$(addprefix linux-source-6.12/,$(UP_FILES))
	@touch $@

.DEFAULT_GOAL := $(_up_default_goal)
