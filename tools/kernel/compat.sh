#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# make compat: with the series applied, every 6.12 in-tree user of io-pgtable
# builds unmodified: on arm64 drivers/iommu (arm-smmu with its qcom parts,
# arm-smmu-v3 with its KUnit test, qcom_iommu, ipmmu-vmsa, mtk_iommu,
# apple-dart) and drivers/gpu/drm/{panthor,panfrost,msm}; on x86_64 with the
# host gcc, drivers/iommu/amd (and our formats under COMPILE_TEST).
# mtk_iommu_v1 depends on ARM (32-bit) and cannot be built on arm64.

. "$(dirname "$0")/lib.sh"

CHECK_NAME=compat

log "setup: packages"
ensure_packages
setup_ccache
ensure_tree
gen_series || { result 1 "generate the series"; finish; }
apply_series || { result 1 "apply the series"; finish; }

kunit_syms() {
	local s
	for s in IOMMU_IO_PGTABLE_KUNIT_TEST IOMMU_IO_PGTABLE_LPAE_KUNIT_TEST \
		 IOMMU_IO_PGTABLE_ARMV7S_KUNIT_TEST \
		 IOMMU_IO_PGTABLE_DRIVERS_KUNIT_TEST \
		 IOMMU_IO_PGTABLE_VMBIND_KUNIT_TEST; do
		tree_has_symbol "$s" && echo "CONFIG_$s=y"
	done
	return 0
}

# build <obj> <arch> <what> <dir>...
build() {
	local obj=$1 arch=$2 what=$3 t
	shift 3
	t=$(now)
	if kmake "$obj" "$arch" -s "$@" >"$obj/build-${what//\//_}.log" 2>&1; then
		result 0 "$arch: $what" "$(( $(now) - t ))s"
	else
		grep -E "error|Error" "$obj/build-${what//\//_}.log" | head -20
		result 1 "$arch: $what" "log: $obj/build-${what//\//_}.log"
	fi
}

# arm64
A=$KB/compat-arm64
mkdir -p "$A"
{ cat "$KT/configs/run.config" "$KT/configs/page-4K.config" \
      "$KT/configs/check.config" "$KT/configs/compat-arm64.config"; kunit_syms; } \
	>"$A/compat.fragment"
t=$(now)
if configure "$A" arm64 "$A/compat.fragment"; then
	result 0 "arm64: configure" "$(( $(now) - t ))s"
	build "$A" arm64 "drivers/iommu (arm-smmu, arm-smmu-v3 + KUnit, qcom_iommu, ipmmu-vmsa, mtk_iommu, apple-dart)" drivers/iommu/
	for d in panthor panfrost msm; do
		build "$A" arm64 "drivers/gpu/drm/$d" "drivers/gpu/drm/$d/"
	done
	for o in arm/arm-smmu/arm-smmu.o arm/arm-smmu/arm-smmu-qcom.o \
		 arm/arm-smmu-v3/arm-smmu-v3.o arm/arm-smmu-v3/arm-smmu-v3-test.o \
		 arm/arm-smmu/qcom_iommu.o ipmmu-vmsa.o mtk_iommu.o apple-dart.o; do
		[ -f "$A/drivers/iommu/$o" ] || result 1 "arm64: drivers/iommu/$o was built"
	done
else
	result 1 "arm64: configure"
fi

# x86_64
X=$KB/compat-x86_64
mkdir -p "$X"
{ cat "$KT/configs/compat-x86_64.config"; kunit_syms; } >"$X/compat.fragment"
t=$(now)
if configure "$X" x86_64 "$X/compat.fragment"; then
	result 0 "x86_64: configure" "$(( $(now) - t ))s"
	build "$X" x86_64 "drivers/iommu (amd, io-pgtable under COMPILE_TEST)" drivers/iommu/
	[ -f "$X/drivers/iommu/amd/io_pgtable.o" ] || result 1 "x86_64: drivers/iommu/amd/io_pgtable.o was built"
else
	result 1 "x86_64: configure"
fi
finish
