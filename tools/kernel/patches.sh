#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# make patches: generate the git format-patch series against pristine 6.12
# into build/patches/ and check that it is well formed: a filled-in cover
# letter, a Signed-off-by on every patch, and git am of the whole series on a
# fresh branch of pristine.

. "$(dirname "$0")/lib.sh"

CHECK_NAME=patches

ensure_packages
ensure_tree
if gen_series; then
	result 0 "generate the series"
else
	result 1 "generate the series"
	finish
fi

cover=$PATCHES/0000-cover-letter.patch
! grep -q '\*\*\* \(SUBJECT\|BLURB\) HERE \*\*\*' "$cover"
result $? "cover letter filled in"

for p in $(series_patches); do
	grep -q "^Signed-off-by: " "$p"
	result $? "$(basename "$p"): Signed-off-by"
done

AM=$KB/am-check
git -C "$SRC" worktree remove --force "$AM" >/dev/null 2>&1 || true
rm -rf "$AM"
git -C "$SRC" worktree prune
git -C "$SRC" worktree add -q --detach "$AM" pristine
git -C "$AM" am -q $(series_patches) >"$KB/am-check.log" 2>&1
result $? "git am of the whole series on pristine 6.12"
git -C "$SRC" worktree remove --force "$AM" >/dev/null 2>&1 || true

echo
ls -1 "$PATCHES"
grep -h '^Subject:' "$PATCHES"/*.patch | sed 's/^/  /'
finish
