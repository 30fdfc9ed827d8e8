#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# make check-patches: on a fresh branch of pristine 6.12, git am every patch
# of the series and build drivers/iommu/ (arm64, our options, KUnit suites and
# the SMMU drivers =y) after each; checkpatch --strict on each patch; then
# sparse (C=2), W=1 and scripts/kernel-doc on our files.  Every check counts.

. "$(dirname "$0")/lib.sh"

OBJ=$KB/check
CHECK_NAME=patches

log "setup: packages"
ensure_packages
setup_ccache
ensure_tree
if ! gen_series; then result 1 "generate the series"; finish; fi
reset_to_pristine
mkdir -p "$OBJ"

# Our files, as the repo has them now (upstream's stay out of the checks).
OURS_C=""
for f in drivers/iommu/io-pgtable.c drivers/iommu/io-pgtable-arm.c \
	 drivers/iommu/io-pgtable-arm-v7s.c "$TOP"/drivers/iommu/*-kunit.c; do
	f=${f#"$TOP"/}
	[ -f "$TOP/$f" ] && OURS_C="$OURS_C $f"
done
OURS_DOC=""
for f in include/linux/io-pgtable.h drivers/iommu/io-pgtable.c \
	 drivers/iommu/io-pgtable-arm.c drivers/iommu/io-pgtable-arm.h \
	 drivers/iommu/io-pgtable-arm-v7s.c; do
	[ -f "$TOP/$f" ] && OURS_DOC="$OURS_DOC $f"
done
OURS_RE='(drivers/iommu/io-pgtable[^ :]*|include/linux/io-pgtable\.h):[0-9]+'

# The fragment for the tree as it is after the current patch: every option
# it defines of ours, on top of run.config + check.config.
fragment() {
	cat "$KT/configs/run.config" "$KT/configs/check.config" "$KT/configs/page-4K.config"
	for s in IOMMU_IO_PGTABLE_KUNIT_TEST IOMMU_IO_PGTABLE_LPAE_KUNIT_TEST \
		 IOMMU_IO_PGTABLE_ARMV7S_KUNIT_TEST \
		 IOMMU_IO_PGTABLE_DRIVERS_KUNIT_TEST \
		 IOMMU_IO_PGTABLE_VMBIND_KUNIT_TEST; do
		tree_has_symbol "$s" && echo "CONFIG_$s=y"
	done
	return 0
}

n=0
for p in $(series_patches); do
	n=$((n + 1))
	name=$(basename "$p" .patch)
	if ! git -C "$SRC" am -q "$p" >"$KB/am.log" 2>&1; then
		cat "$KB/am.log"
		result 1 "$name: git am"
		finish
	fi
	result 0 "$name: git am"

	fragment >"$OBJ/check.fragment"
	t=$(now)
	if configure "$OBJ" arm64 "$OBJ/check.fragment" >"$OBJ/config.log" 2>&1 &&
	   kmake "$OBJ" arm64 -s drivers/iommu/ >"$OBJ/build-$n.log" 2>&1; then
		w=$(grep -cE "$OURS_RE.*warning:" "$OBJ/build-$n.log" || true)
		result "$([ "$w" = 0 ] && echo 0 || echo 1)" "$name: builds drivers/iommu/" \
			"$(( $(now) - t ))s, $w warnings in our files"
		grep -E "$OURS_RE.*warning:" "$OBJ/build-$n.log" | head -20 || true
	else
		cat "$OBJ/config.log"
		grep -E "error|warning" "$OBJ/build-$n.log" | head -30 || tail -30 "$OBJ/build-$n.log"
		result 1 "$name: builds drivers/iommu/" "log: $OBJ/build-$n.log"
	fi

	(cd "$SRC" && ./scripts/checkpatch.pl --strict --quiet --show-types "$p") \
		>"$OBJ/checkpatch-$n.log" 2>&1 || true
	tot=$(grep -E '^total:' "$OBJ/checkpatch-$n.log" | tail -1 || true)
	[ -n "$tot" ] || tot=$( (cd "$SRC" && ./scripts/checkpatch.pl --strict "$p") 2>&1 | grep '^total:' || true)
	if echo "$tot" | grep -q "total: 0 errors, 0 warnings, 0 checks" ||
	   { [ -z "$tot" ] && [ ! -s "$OBJ/checkpatch-$n.log" ]; }; then
		result 0 "$name: checkpatch --strict" "${tot:-clean}"
	else
		grep -E '^(ERROR|WARNING|CHECK)|^#[0-9]+: FILE:' "$OBJ/checkpatch-$n.log" | head -40
		result 1 "$name: checkpatch --strict" "$tot (log: $OBJ/checkpatch-$n.log)"
	fi
done
[ $n -gt 0 ] || { result 1 "the series has patches"; finish; }
# The tree now holds exactly the series: make run and make kunit need not
# check it out again (which would touch every file of ours).
cat $(series_patches) | sha256sum | cut -d' ' -f1 >"$KB/series.applied"

objs=""
for f in $OURS_C; do
	[ -f "$SRC/$f" ] && objs="$objs ${f%.c}.o"
done

# sparse on our objects; only findings in our files count.
if command -v sparse >/dev/null; then
	kmake "$OBJ" arm64 C=2 $objs >"$OBJ/sparse.log" 2>&1 || true
	w=$(grep -cE "$OURS_RE" "$OBJ/sparse.log" || true)
	grep -E "$OURS_RE" "$OBJ/sparse.log" | head -30 || true
	result "$([ "$w" = 0 ] && echo 0 || echo 1)" "sparse C=2 on our files" "$w findings"
else
	result 1 "sparse C=2 on our files" "sparse is not installed"
fi

# W=1 on our objects (rebuilt with the extra warnings).
kmake "$OBJ" arm64 W=1 $objs >"$OBJ/w1.log" 2>&1 || true
w=$(grep -cE "$OURS_RE.*(warning|error):" "$OBJ/w1.log" || true)
grep -E "$OURS_RE.*(warning|error):" "$OBJ/w1.log" | head -30 || true
result "$([ "$w" = 0 ] && echo 0 || echo 1)" "W=1 on our files" "$w findings"

# kernel-doc reads our files without a warning.
(cd "$SRC" && ./scripts/kernel-doc -none $OURS_DOC) >"$OBJ/kernel-doc.log" 2>&1 || true
w=$(grep -ciE "warning|error" "$OBJ/kernel-doc.log" || true)
head -30 "$OBJ/kernel-doc.log"
result "$([ "$w" = 0 ] && echo 0 || echo 1)" "kernel-doc -none on our files" "$w warnings"

# The guide's kernel-doc directives name files the tree has.
if [ -f "$SRC/Documentation/iommu/io-pgtable.rst" ]; then
	bad=0
	for f in $(sed -n 's/^\.\. kernel-doc:: *//p' "$SRC/Documentation/iommu/io-pgtable.rst" | sort -u); do
		[ -f "$SRC/$f" ] || { log "io-pgtable.rst: no $f"; bad=1; }
	done
	result $bad "Documentation/iommu/io-pgtable.rst: kernel-doc directives resolve"
	python3 "$KT/rst-check.py" "$SRC/Documentation/iommu/io-pgtable.rst"
	result $? "Documentation/iommu/io-pgtable.rst: reST parses (docutils)"
fi
finish
