#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# tools/fuzz.sh run|check: the randomized suites of tools/testing/io-pgtable,
# one after the other, with one closing line for both.
#
#   fuzz/  differential fuzzing against 6.12's own io-pgtable
#   race/  the concurrency stress, under ThreadSanitizer and under ASan
#
# run:   the long forms (make fuzz): 10^8 operations per format (and 10^7
#        per LPAE stage 1/2 format in the reclaim mode), 10^7 racing
#        operations; the make variables of each (FUZZ_OPS, RECLAIM_OPS,
#        ITER, ...) pass through the environment.
# check: their short fixed-seed slices (make fuzz-check, a stage of make
#        check).
set -u
cd "$(dirname "$0")/.." || exit 2

mode=${1:-check}
case $mode in
run|check) ;;
*) echo "usage: $0 run|check" >&2; exit 2 ;;
esac

H=tools/testing/io-pgtable
logs=build/logs
mkdir -p "$logs"
bash tools/setup.sh bench || exit 1

total_p=0
total_f=0
for part in fuzz race; do
	start=$(date +%s)
	make --no-print-directory -C "$H/$part" "$mode" 2>&1 |
		tee "$logs/fuzz-$mode-$part.log"
	rc=${PIPESTATUS[0]}
	line=$(grep -aE '^[0-9]+ passed, [0-9]+ failed' \
		"$logs/fuzz-$mode-$part.log" | tail -n 1)
	p=0
	f=0
	if [ -n "$line" ]; then
		p=$(sed -E 's/^([0-9]+) passed.*/\1/' <<<"$line")
		f=$(sed -E 's/.* ([0-9]+) failed.*/\1/' <<<"$line")
	fi
	[ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && f=1
	echo "# $part: $p passed, $f failed in $(($(date +%s) - start)) s"
	total_p=$((total_p + p))
	total_f=$((total_f + f))
done
echo "$total_p passed, $total_f failed"
[ "$total_f" -eq 0 ]
