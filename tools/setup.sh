#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# tools/setup.sh [GROUP|PACKAGE]...: install the Debian packages the given
# targets need, the one set-up step of every entry point (make check,
# make check-fast, make run and the other kernel targets, make bench).
#
#   userspace  the userspace suites (gcc with ASan/UBSan, libc headers, make)
#   kernel     the kernel targets: 6.12 source, arm64 cross compiler, QEMU,
#              kernel build tools, sparse, checkpatch/kernel-doc (perl),
#              kunit.py and rst-check (python3, docutils)
#   bench      the benchmark (6.12 source and gcc)
#   all        every group (the default)
# Anything else is taken as a package name.
#
# Idempotent and quick: one dpkg-query when everything is installed (no
# output then); otherwise apt-get update and apt-get install
# --no-install-recommends of exactly the missing packages (as root, or with
# sudo).  So every package needed must be listed here, dependencies that
# are only Recommends included.  IOPT_NO_SETUP=1 skips the step (a machine
# set up by other means).
#
# QEMU: make run needs QEMU 10 (an SMMUv3 with stage 2, for make run
# STAGE=2); bookworm has 7.2.  On bookworm the step adds the suite
# bookworm-backports (an apt source in
# /etc/apt/sources.list.d/io-pgtable-backports.sources, unless a source
# already names that suite; mirror $IOPT_BACKPORTS_MIRROR, default
# http://deb.debian.org/debian) and asks for qemu-system-arm,
# qemu-system-common and qemu-system-data from it by name
# (PACKAGE/bookworm-backports, in the one apt-get install), so that apt
# takes from there only those and what their versioned dependencies need
# (libbpf1).  Not -t bookworm-backports: that prefers the suite for every
# new package, libelf1 among them, and then bookworm's libelf-dev cannot
# be installed.  A qemu-system-arm older than $QEMU_MIN counts as missing.

set -u

pkgs_userspace="gcc libc6-dev make"
# gcc-12 depends on libgcc-12-dev, which brings libasan8 and libubsan1.
# libc6-dev and libc6-dev-arm64-cross are only Recommends of the compilers.
# qemu-system-data (Depends of qemu-system-arm) is enough: the NICs of
# make run are created with romfile= and need no ipxe-qemu option ROM.
pkgs_kernel="$pkgs_userspace linux-source-6.12 git xz-utils
	gcc-aarch64-linux-gnu libc6-dev-arm64-cross binutils-aarch64-linux-gnu
	qemu-system-arm flex bison bc libssl-dev libelf-dev cpio kmod
	sparse ccache perl python3 python3-docutils"
pkgs_bench="$pkgs_userspace linux-source-6.12 xz-utils"
QEMU_MIN=1:10.0
BACKPORTS_MIRROR=${IOPT_BACKPORTS_MIRROR:-http://deb.debian.org/debian}

want=""
[ $# -gt 0 ] || set -- all
for g in "$@"; do
	case $g in
	userspace) want="$want $pkgs_userspace" ;;
	kernel) want="$want $pkgs_kernel" ;;
	bench) want="$want $pkgs_bench" ;;
	all) want="$want $pkgs_kernel $pkgs_bench" ;;
	-*) echo "usage: $0 [userspace|kernel|bench|all|PACKAGE]..." >&2; exit 2 ;;
	*) want="$want $g" ;;
	esac
done
want=$(printf '%s\n' $want | sort -u | tr '\n' ' ')

[ "${IOPT_NO_SETUP:-0}" = 1 ] && exit 0
if ! command -v dpkg-query >/dev/null; then
	echo "setup: not a Debian system; install by hand: $want" >&2
	exit 0
fi

# One dpkg-query for all of them; a package it does not know is missing,
# and so is a qemu-system-arm older than $QEMU_MIN.
missing() {
	local installed p v
	installed=" $(dpkg-query -W -f='${db:Status-Status} ${Package}\n' $want 2>/dev/null |
		sed -n 's/^installed //p' | tr '\n' ' ') "
	for p in $want; do
		case $installed in
		*" $p "*)
			[ "$p" = qemu-system-arm ] || continue
			v=$(dpkg-query -W -f='${Version}' qemu-system-arm 2>/dev/null)
			dpkg --compare-versions "$v" ge "$QEMU_MIN" || printf '%s ' "$p" ;;
		*) printf '%s ' "$p" ;;
		esac
	done
}

codename() {
	( . /etc/os-release 2>/dev/null && echo "${VERSION_CODENAME:-}" )
}

# On bookworm: an apt source for bookworm-backports, unless one is there.
ensure_backports() {
	local f=/etc/apt/sources.list.d/io-pgtable-backports.sources
	[ "$(codename)" = bookworm ] || return 0
	if grep -rqsE '^[^#]*bookworm-backports' /etc/apt/sources.list \
		/etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; then
		return 0
	fi
	echo "setup: adding bookworm-backports ($BACKPORTS_MIRROR) in $f"
	{
		echo "# tools/setup.sh (io-pgtable): QEMU 10 for make run"
		echo "Types: deb"
		echo "URIs: $BACKPORTS_MIRROR"
		echo "Suites: bookworm-backports"
		echo "Components: main"
		[ -f /usr/share/keyrings/debian-archive-keyring.gpg ] &&
			echo "Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg"
	} | $sudo tee "$f.tmp" >/dev/null && $sudo mv "$f.tmp" "$f"
}

miss=$(missing)
[ -z "$miss" ] && exit 0

sudo=""
if [ "$(id -u)" != 0 ]; then
	if command -v sudo >/dev/null; then
		sudo="sudo"
	else
		echo "setup: missing packages: $miss" >&2
		echo "setup: not root and no sudo: run as root: apt-get install --no-install-recommends $miss" >&2
		exit 1
	fi
fi

t0=$(date +%s)
echo "setup: installing $miss"
# QEMU from bookworm-backports on bookworm, its three packages by name.
install=$miss
case " $miss " in
*" qemu-system-arm "*)
	if [ "$(codename)" = bookworm ]; then
		ensure_backports || { echo "setup: could not add bookworm-backports" >&2; exit 1; }
		install=$(printf '%s\n' $miss | grep -vx qemu-system-arm | tr '\n' ' ')
		for p in qemu-system-arm qemu-system-common qemu-system-data; do
			install="$install $p/bookworm-backports"
		done
	fi ;;
esac
if ! $sudo apt-get update -qq; then
	echo "setup: apt-get update failed" >&2
	exit 1
fi
if ! $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $install >/tmp/iopt-setup.$$.log 2>&1; then
	tail -n 30 /tmp/iopt-setup.$$.log >&2
	rm -f /tmp/iopt-setup.$$.log
	for p in $miss; do
		apt-cache show "$p" >/dev/null 2>&1 && continue
		echo "setup: no package $p in the configured apt sources" >&2
		case $p in
		linux-source-6.12)
			echo "setup: linux-source-6.12 is in bookworm-security (and bookworm-backports):" \
				"add 'deb http://deb.debian.org/debian-security bookworm-security main'" \
				"to /etc/apt/sources.list" >&2 ;;
		esac
	done
	echo "setup: apt-get install failed" >&2
	exit 1
fi
rm -f /tmp/iopt-setup.$$.log
case " $install " in *" qemu-system-arm/"*)
	echo "setup: $(dpkg-query -W -f='qemu-system-arm ${Version}' qemu-system-arm)" ;;
esac
miss=$(missing)
if [ -n "$miss" ]; then
	echo "setup: still missing after apt-get install: $miss" >&2
	case " $miss " in *" qemu-system-arm "*)
		echo "setup: qemu-system-arm must be $QEMU_MIN or newer (make run STAGE=2)" >&2 ;;
	esac
	exit 1
fi
echo "setup: installed in $(( $(date +%s) - t0 ))s"
