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

# One dpkg-query for all of them; a package it does not know is missing.
missing() {
	local installed p
	installed=" $(dpkg-query -W -f='${db:Status-Status} ${Package}\n' $want 2>/dev/null |
		sed -n 's/^installed //p' | tr '\n' ' ') "
	for p in $want; do
		case $installed in *" $p "*) ;; *) printf '%s ' "$p" ;; esac
	done
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
if ! $sudo apt-get update -qq; then
	echo "setup: apt-get update failed" >&2
	exit 1
fi
if ! $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $miss >/tmp/iopt-setup.$$.log 2>&1; then
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
miss=$(missing)
if [ -n "$miss" ]; then
	echo "setup: still missing after apt-get install: $miss" >&2
	exit 1
fi
echo "setup: installed in $(( $(date +%s) - t0 ))s"
