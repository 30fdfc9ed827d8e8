#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# make kunit: the series applied, tools/testing/kunit/kunit.py run --arch=arm64
# on drivers/iommu/.kunitconfig (QEMU virt, cross-built with
# aarch64-linux-gnu-), the KTAP kept in build/kernel/kunit/results.ktap.

. "$(dirname "$0")/lib.sh"

OBJ=$KB/kunit

fail_early() {
	log "kunit: $*"
	echo "kunit: 0 passed, 1 failed"
	exit 1
}

log "setup: packages"
ensure_packages
setup_ccache
ensure_tree
gen_series || fail_early "series generation failed"
apply_series || fail_early "the series does not apply"
[ -f "$SRC/drivers/iommu/.kunitconfig" ] ||
	fail_early "the series has no KUnit suites yet (no drivers/iommu/.kunitconfig)"

# kunit.py's arm64 QEMU parameters (-machine virt -cpu max,pauth-impdef=on)
# work with QEMU 7.2 as they are; no custom --qemu_config is needed.
mkdir -p "$OBJ"
t=$(now)
log "kunit: kunit.py run --arch=arm64 --kunitconfig=drivers/iommu/.kunitconfig"
rc=0
(
	cd "$SRC"
	python3 tools/testing/kunit/kunit.py run --arch=arm64 \
		--cross_compile="$CROSS" --build_dir="$OBJ" --jobs="$NPROC" \
		--kunitconfig=drivers/iommu/.kunitconfig --timeout=900 \
		--make_options="CC=$CC_ARM64" --make_options="HOSTCC=$CC_HOST"
) || rc=$?
log "kunit: kunit.py finished in $(( $(now) - t ))s (exit $rc)"
[ -f "$OBJ/test.log" ] || fail_early "no test.log: the kernel did not build or boot"
sed -n '/KTAP version/,$p' "$OBJ/test.log" >"$OBJ/results.ktap"
log "kunit: KTAP results in $OBJ/results.ktap"
python3 "$KT/ktap.py" "$OBJ/test.log" >"$OBJ/summary.txt" || rc=1
cat "$OBJ/summary.txt"
exit $rc
