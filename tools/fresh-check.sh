#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# tools/fresh-check.sh: `make check` on a freshly built Debian bookworm.
#
# Builds a minimal root (debootstrap --variant=minbase) from this machine's
# configured Debian mirror, installs only git and make in it, clones the repo
# at a given commit into it and runs `make check` there in a chroot (its own
# mount and PID namespaces: /proc, /sys, /dev, /dev/pts, /dev/shm and a tmpfs
# /tmp; nothing leaks into the host's mounts, and every process in it dies
# with the script).  Everything else the check needs, `make check` must
# install by itself: that is the test.  As root.
#
#   tools/fresh-check.sh [options]
#     --ref REF        commit to test (default: HEAD of --repo)
#     --repo PATH|URL  repository to clone (default: the one this script is in)
#     --stages "..."   CHECK_STAGES for make check (default: $CHECK_STAGES, or
#                      every stage)
#     --cmd "..."      run this instead of make check, e.g. "make check-fast"
#                      or "make run" (each must set itself up too)
#     --keep           keep the root afterwards (default: remove it)
#     --reuse          reuse the root a --keep run left, packages, ccache and
#                      all (not fresh: for shaking out a script); the repo is
#                      cloned again
#     --rebootstrap    run debootstrap even if a cached base root exists
#     --dir DIR        work directory (default /var/tmp/io-pgtable-fresh):
#                      root/, base.tar (the bootstrapped minbase + git + make,
#                      reused by the next run unless older than 7 days),
#                      logs/<date>/
#     --mirror URI     Debian mirror (default: from /etc/apt/sources*)
#     --suite NAME     default bookworm
#
# The last line is make check's "N passed, N failed"; the exit status is 0
# only if make check passed.

# The whole script is one brace group: bash reads it completely before it
# runs any of it, so a checkout or an edit of this file during a run (which
# lasts most of an hour) cannot change what the run executes.
{
set -euo pipefail

SELF_REPO=$(cd "$(dirname "$0")/.." && pwd)
REPO=$SELF_REPO
REF=HEAD
STAGES=${CHECK_STAGES:-}
CMD="make check"
KEEP=0
REUSE=0
REBOOT=0
WORK=/var/tmp/io-pgtable-fresh
MIRROR=""
SECURITY=""
SUITE=bookworm
BASE_MAX_AGE=$((7 * 86400))

usage() { sed -n '/^#   tools/,/^# only if/p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }

while [ $# -gt 0 ]; do
	case $1 in
	--ref) REF=$2; shift ;;
	--repo) REPO=$2; shift ;;
	--stages) STAGES=$2; shift ;;
	--cmd) CMD=$2; shift ;;
	--keep) KEEP=1 ;;
	--reuse) REUSE=1; KEEP=1 ;;
	--rebootstrap) REBOOT=1 ;;
	--dir) WORK=$2; shift ;;
	--mirror) MIRROR=$2; shift ;;
	--suite) SUITE=$2; shift ;;
	-h|--help) usage ;;
	*) echo "fresh-check: unknown option $1" >&2; usage ;;
	esac
	shift
done

T0=$(date +%s)
now() { date +%s; }
log() { printf '[%5ss] fresh-check: %s\n' "$(( $(now) - T0 ))" "$*"; }
die() { log "ERROR: $*" >&2; echo "fresh-check: 0 passed, 1 failed"; exit 1; }

[ "$(id -u)" = 0 ] || die "must run as root (debootstrap, chroot, mounts)"
for c in unshare chroot findmnt tar git; do
	command -v $c >/dev/null || die "needs $c"
done

mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
ROOT=$WORK/root
BASE=$WORK/base.tar
STAMP=$(date +%Y%m%d-%H%M%S)
LOGS=$WORK/logs/$STAMP
mkdir -p "$LOGS"
exec 9>"$WORK/.lock"
flock -n 9 || die "another fresh-check runs in $WORK"

# ---- clean-up: the namespaces take their mounts and processes with them;
# this is for a run killed half-way (and for the host's view, which should
# never have a mount under the root).
CHILD=""
unmount_root() {
	local m
	for m in $(findmnt -rn -o TARGET | grep -E "^$ROOT(/|\$)" | sort -r); do
		umount -l "$m" 2>/dev/null || true
	done
}
remove_root() {
	unmount_root
	if findmnt -rn -o TARGET | grep -qE "^$ROOT(/|\$)"; then
		log "mounts remain under $ROOT; not removing it"
		return 1
	fi
	if [ -e "$ROOT" ]; then
		log "removing the old root $ROOT"
		rm -rf --one-file-system "$ROOT"
	fi
}
cleanup() {
	local rc=$?
	if [ -n "$CHILD" ] && kill -0 "$CHILD" 2>/dev/null; then
		# unshare --fork blocks SIGTERM and SIGINT while it waits; when
		# it is killed, --kill-child kills the namespace's init, and with
		# it every process of the run.
		kill -KILL "$CHILD" 2>/dev/null || true
		wait "$CHILD" 2>/dev/null || true
	fi
	unmount_root
	if [ "$KEEP" = 0 ] && [ -d "$ROOT" ]; then
		remove_root || true
	fi
	exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# in_root CMD...: run CMD in the root, in new mount and PID namespaces.
in_root() {
	unshare --mount --propagation private --pid --fork --kill-child -- \
		/bin/bash -euc '
		r=$1; shift
		mount -t proc proc "$r/proc"
		mount -t sysfs -o ro sysfs "$r/sys"
		mount --bind /dev "$r/dev"
		mkdir -p "$r/dev/pts" "$r/dev/shm"
		mount -t devpts -o newinstance,ptmxmode=0666 devpts "$r/dev/pts"
		mount -t tmpfs -o mode=1777 tmpfs "$r/dev/shm"
		mount -t tmpfs -o mode=1777 tmpfs "$r/tmp"
		exec chroot "$r" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM=dumb \
			PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
			${http_proxy:+http_proxy=$http_proxy} \
			"$@"' in_root "$ROOT" "$@" &
	CHILD=$!
	local rc=0
	wait "$CHILD" || rc=$?
	CHILD=""
	return $rc
}

# ---- the mirror this machine uses (deb822 .sources or one-line lists)
find_mirror() {
	local f uris
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		uris=$(sed -n 's/^URIs: *//p' "$f" | tr ' ' '\n')
		[ -n "$MIRROR" ] || MIRROR=$(grep -E '/debian/?$' <<<"$uris" | head -n 1 || true)
		[ -n "$SECURITY" ] || SECURITY=$(grep -E '/debian-security/?$' <<<"$uris" | head -n 1 || true)
	done
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -f "$f" ] || continue
		uris=$(awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { print $i; break } }' "$f")
		[ -n "$MIRROR" ] || MIRROR=$(grep -E '/debian/?$' <<<"$uris" | head -n 1 || true)
		[ -n "$SECURITY" ] || SECURITY=$(grep -E '/debian-security/?$' <<<"$uris" | head -n 1 || true)
	done
	MIRROR=${MIRROR:-http://deb.debian.org/debian}
	MIRROR=${MIRROR%/}
	SECURITY=${SECURITY:-${MIRROR%/debian}/debian-security}
	SECURITY=${SECURITY%/}
}
find_mirror

# ---- the commit under test
if [ -d "$REPO" ]; then
	REPO=$(cd "$REPO" && pwd)
	SHA=$(git -C "$REPO" rev-parse --verify "$REF^{commit}") ||
		die "no commit $REF in $REPO"
	SUBJECT=$(git -C "$REPO" log -1 --format=%s "$SHA")
else
	SHA=""		# a URL: resolved after the clone
	SUBJECT=""
fi

log "work dir $WORK, logs in $LOGS"
log "mirror $MIRROR ($SUITE, $SUITE-updates), security $SECURITY ($SUITE-security)"

# ---- the base root: minbase + git + make
T_BOOT=0
T_BASE=0
BASE_HOW=""
make_base() {
	local t
	if ! command -v debootstrap >/dev/null; then
		log "installing debootstrap on the host"
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
			debootstrap >/dev/null || die "cannot install debootstrap"
	fi
	remove_root || die "cannot remove the old root"
	t=$(now)
	log "debootstrap --variant=minbase $SUITE from $MIRROR"
	debootstrap --variant=minbase "$SUITE" "$ROOT" "$MIRROR" \
		>"$LOGS/debootstrap.log" 2>&1 ||
		{ tail -n 20 "$LOGS/debootstrap.log"; die "debootstrap failed (log: $LOGS/debootstrap.log)"; }
	T_BOOT=$(( $(now) - t ))
	log "debootstrap: done in ${T_BOOT}s"

	# A standard bookworm install's sources: the release, its updates and
	# security (where linux-source-6.12 lives).
	rm -f "$ROOT/etc/apt/sources.list"
	cat >"$ROOT/etc/apt/sources.list.d/debian.sources" <<-EOF
	Types: deb
	URIs: $MIRROR
	Suites: $SUITE $SUITE-updates
	Components: main
	Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

	Types: deb
	URIs: $SECURITY
	Suites: $SUITE-security
	Components: main
	Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
	EOF
	# No daemon starts from a package's postinst in the chroot.
	printf '#!/bin/sh\nexit 101\n' >"$ROOT/usr/sbin/policy-rc.d"
	chmod 755 "$ROOT/usr/sbin/policy-rc.d"
	cp -L /etc/resolv.conf "$ROOT/etc/resolv.conf" 2>/dev/null || true

	t=$(now)
	log "apt-get install git make (nothing else)"
	in_root /bin/sh -c 'apt-get update -qq &&
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends git make &&
		apt-get clean' >"$LOGS/base.log" 2>&1 ||
		{ tail -n 20 "$LOGS/base.log"; die "installing git and make failed (log: $LOGS/base.log)"; }
	T_BASE=$(( $(now) - t ))
	log "git and make: installed in ${T_BASE}s"
	printf '%s %s %s\n' "$SUITE" "$MIRROR" "$SECURITY" >"$ROOT/.fresh-check-base"

	log "caching the base root in $BASE"
	tar --numeric-owner -C "$ROOT" -cf "$BASE.tmp" . && mv "$BASE.tmp" "$BASE"
	BASE_HOW="debootstrap ${T_BOOT}s, git+make ${T_BASE}s"
}

base_ok() {
	[ -f "$BASE" ] && [ "$REBOOT" = 0 ] &&
	[ $(( $(now) - $(stat -c %Y "$BASE") )) -lt $BASE_MAX_AGE ] &&
	tar -xOf "$BASE" ./.fresh-check-base 2>/dev/null |
		grep -qxF "$SUITE $MIRROR $SECURITY"
}

if [ "$REUSE" = 1 ] && [ -f "$ROOT/.fresh-check-base" ]; then
	BASE_HOW="reused $ROOT as it was (packages and ccache kept: NOT a fresh machine)"
	log "$BASE_HOW"
elif base_ok; then
	remove_root || die "cannot remove the old root"
	t=$(now)
	mkdir -p "$ROOT"
	tar --numeric-owner -C "$ROOT" -xpf "$BASE"
	cp -L /etc/resolv.conf "$ROOT/etc/resolv.conf" 2>/dev/null || true
	BASE_HOW="minbase + git + make from $BASE ($(date -r "$BASE" '+%F %R')), unpacked in $(( $(now) - t ))s"
	log "base root: $BASE_HOW"
else
	[ "$REUSE" = 1 ] && log "no root to reuse in $ROOT: building one"
	make_base
fi

# ---- the repo, at the commit under test
t=$(now)
DST=$ROOT/src/io-pgtable
rm -rf "$DST"
mkdir -p "$ROOT/src"
git clone -q --no-checkout "$REPO" "$DST" || die "git clone $REPO failed"
if [ -z "$SHA" ]; then
	SHA=$(git -C "$DST" rev-parse --verify "$REF^{commit}" 2>/dev/null ||
	      git -C "$DST" rev-parse --verify "origin/$REF^{commit}") || die "no commit $REF in $REPO"
	SUBJECT=$(git -C "$DST" log -1 --format=%s "$SHA")
fi
git -C "$DST" cat-file -e "$SHA^{commit}" 2>/dev/null ||
	git -C "$DST" fetch -q "$REPO" "$SHA" || die "cannot fetch $SHA from $REPO"
git -C "$DST" checkout -q -B fresh-check "$SHA"
T_CLONE=$(( $(now) - t ))
log "cloned $REPO at ${SHA:0:12} ($SUBJECT) in ${T_CLONE}s"

# ---- make check, as a user of a fresh machine would run it
log "$CMD${STAGES:+ (CHECK_STAGES=$STAGES)}: log in $LOGS/make-check.log"
t=$(now)
rc=0
envs=()
[ -z "$STAGES" ] || envs=("CHECK_STAGES=$STAGES")
# Not a pipeline: in_root must run in this shell, for the clean-up to see it.
in_root "${envs[@]}" /bin/bash -c "cd /src/io-pgtable && exec $CMD" \
	> >(tee "$LOGS/make-check.log") 2>&1 || rc=$?
wait $! 2>/dev/null || true
T_CHECK=$(( $(now) - t ))
cp -r "$DST/build/logs" "$LOGS/stage-logs" 2>/dev/null || true

final=$(grep -aE '^([A-Za-z0-9_-]+: )?[0-9]+ passed, [0-9]+ failed' "$LOGS/make-check.log" | tail -n 1 || true)
pkgs=$(in_root /bin/sh -c "dpkg-query -W -f='\${binary:Package}\n' | wc -l" 2>/dev/null || echo '?')

echo
echo "==== fresh-check summary ===="
echo "  commit       ${SHA:0:12} $SUBJECT"
echo "  repo         $REPO"
echo "  root         $ROOT ($SUITE minbase from $MIRROR)"
echo "  base         $BASE_HOW"
echo "  clone        ${T_CLONE}s"
printf '  %-12s %s\n' "$CMD" "${T_CHECK}s${STAGES:+ (CHECK_STAGES=$STAGES)}, exit $rc"
sed -n '/^=== make check summary/,$p' "$LOGS/make-check.log" | sed 's/^/    /'
echo "  packages     $pkgs installed in the root at the end"
echo "  total        $(( $(now) - T0 ))s"
echo "  logs         $LOGS"
[ "$KEEP" = 1 ] && echo "  root kept    chroot $ROOT, or tools/fresh-check.sh --reuse"
if [ "$rc" = 0 ] && [ -n "$final" ]; then
	echo "fresh-check: PASS"
else
	echo "fresh-check: FAIL"
	rc=1
fi
echo "${final:-0 passed, 1 failed}"
exit $rc
}
