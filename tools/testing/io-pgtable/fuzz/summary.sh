#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Sum the per-format logs of "make run": summary.sh LOGDIR FORMAT...
# Prints each format's statistics and closing line, then the total as
# "N passed, N failed" (also in LOGDIR/summary.txt); exit status 1 if any
# format failed or ended without its closing line.
dir=$1
shift
pass=0 fail=0
{
	for f in "$@"; do
		log=$dir/$f.log
		echo "# ---- $f"
		grep -E '^# (ARM|    |failures|seed)' "$log" 2>/dev/null | grep -v '^# format'
		line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" 2>/dev/null | tail -n 1)
		if [ -z "$line" ]; then
			echo "# $f: no result (crashed? see $log)"
			fail=$((fail + 1))
			continue
		fi
		read -r p _ f2 _ <<< "$line"
		pass=$((pass + p))
		fail=$((fail + f2))
	done
	echo "$pass passed, $fail failed"
} | tee "$dir/summary.txt"
[ "$fail" -eq 0 ]
