#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# make kunit: the series applied, tools/testing/kunit/kunit.py run --arch=arm64
# on drivers/iommu/.kunitconfig (QEMU virt, cross-built with
# aarch64-linux-gnu-), the KTAP kept in build/kernel/run-4K/results.ktap.
#
# kunit.py builds in the `make run` tree (build/kernel/run-4K): its .config is
# a superset of the .kunitconfig and of kunit.py's arm64 QEMU options, so
# kunit.py keeps it (it only regenerates a .config that lacks an option), and
# one kernel build serves both targets.  kunit.py's arm64 QEMU parameters
# (-machine virt -cpu max,pauth-impdef=on) work with QEMU 7.2 as they are, so
# no custom --qemu_config is needed.

. "$(dirname "$0")/lib.sh"

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

t=$(now)
log "kunit: configure the shared tree (build/kernel/run-4K)"
configure_run_tree 4K || fail_early "configuration did not take the fragment"
# What kunit.py compares with the .kunitconfig of its last run in this tree:
# the .kunitconfig plus its arm64 QEMU options.
{
	cat "$SRC/drivers/iommu/.kunitconfig"
	grep -oE '^CONFIG_[A-Za-z0-9_]+=[ymn0-9]+' \
		"$SRC/tools/testing/kunit/qemu_configs/arm64.py"
} >"$OBJ/last_used_kunitconfig"

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
python3 "$KT/ktap.py" "$OBJ/test.log" >"$OBJ/kunit-summary.txt" || rc=1
cat "$OBJ/kunit-summary.txt"
exit $rc
