#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# make check: every test stage in order. Each stage ends with a line
# "<stage>: N passed, N failed"; a stage that exits non-zero without
# counting a failure counts as one. The last line is the sum.
set -u
cd "$(dirname "$0")/.." || exit 2

stages=(${CHECK_STAGES:-check-userspace fuzz-check kunit check-patches compat run run-stage2 run-debug})
logs=build/logs
mkdir -p "$logs"

total_p=0
total_f=0
summary=()
t0=$(date +%s)

# Set-up first, for every stage that will run: a fresh machine must not
# meet a missing compiler in the first stage. A failed set-up counts as one
# failure (the stages still run, and say what they miss).
groups=""
for st in "${stages[@]}"; do
	case $st in
	check-fast|check-userspace) groups="$groups userspace" ;;
	bench|fuzz-check|fuzz) groups="$groups bench" ;;
	*) groups="$groups kernel" ;;
	esac
done
groups=$(printf ' %s' $(printf '%s\n' $groups | sort -u))
start=$(date +%s)
echo "=== set-up (tools/setup.sh$groups)"
bash tools/setup.sh $groups 2>&1 | tee "$logs/setup.log"
rc=${PIPESTATUS[0]}
if [ "$rc" -ne 0 ]; then
	echo "setup: 0 passed, 1 failed"
	total_f=1
fi
summary+=("$(printf '%-14s %6s        %4d failed  exit %d  %4ds' \
	setup "$([ "$rc" = 0 ] && echo ok || echo FAILED)" $((rc != 0)) "$rc" \
	$(($(date +%s) - start)))")

for st in "${stages[@]}"; do
	start=$(date +%s)
	echo "=== make $st"
	make --no-print-directory "$st" 2>&1 | tee "$logs/$st.log"
	rc=${PIPESTATUS[0]}
	line=$(grep -aE '^([A-Za-z0-9_-]+: )?[0-9]+ passed, [0-9]+ failed' "$logs/$st.log" | tail -n 1)
	p=0
	f=0
	if [ -n "$line" ]; then
		p=$(sed -E 's/^([A-Za-z0-9_-]+: )?([0-9]+) passed.*/\2/' <<<"$line")
		f=$(sed -E 's/.* ([0-9]+) failed.*/\1/' <<<"$line")
	fi
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
	fi
	total_p=$((total_p + p))
	total_f=$((total_f + f))
	summary+=("$(printf '%-14s %6d passed %4d failed  exit %d  %4ds' \
		"$st" "$p" "$f" "$rc" $(($(date +%s) - start)))")
done

echo
echo "=== make check summary ($(($(date +%s) - t0))s)"
printf '%s\n' "${summary[@]}"
echo "$total_p passed, $total_f failed"
[ "$total_f" -eq 0 ]
