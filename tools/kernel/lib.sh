# SPDX-License-Identifier: GPL-2.0-only
#
# Shared helpers for the kernel-integration scripts: set-up of the host,
# the pristine 6.12 tree, the patch series and the out-of-tree builds.
# Sourced, never executed.  Everything lands under build/ in the repo root.

set -euo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
KT=$TOP/tools/kernel
B=$TOP/build
KB=$B/kernel			# everything kernel-side
SRC=$KB/src			# the unpacked 6.12 tree, a git repo
PATCHES=$B/patches		# the git format-patch output
LINUX_TARBALL=${LINUX_TARBALL:-/usr/src/linux-source-6.12.tar.xz}
NPROC=$(nproc)
CROSS=aarch64-linux-gnu-

T0=${T0:-$(date +%s)}
export T0

# The paths the series touches; only these are tracked in the tree's git repo,
# which keeps `git add` and `git am` fast on an 80k-file tree.
TRACKED_PATHS="drivers/iommu include/linux/io-pgtable.h MAINTAINERS
	Documentation/subsystem-apis.rst"

now() { date +%s; }

# "[ 12s] stage: message" -- elapsed time since the target started.
log() { printf '[%4ss] %s\n' "$(( $(now) - T0 ))" "$*"; }

die() { log "ERROR: $*" >&2; exit 1; }

# Install whatever Debian packages are missing (fresh bookworm machine):
# tools/setup.sh, the one set-up step of every target; quick when all is there.
ensure_packages() {
	bash "$TOP/tools/setup.sh" kernel "$@" || die "set-up failed (tools/setup.sh)"
}

# ccache: reuse ~/.ccache across clones unless the caller chose a directory.
setup_ccache() {
	CC_ARM64="${CROSS}gcc"
	CC_HOST=gcc
	if command -v ccache >/dev/null; then
		export CCACHE_DIR=${CCACHE_DIR:-$HOME/.ccache}
		export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-5G}
		# Paths relative to the clone, so that every clone (CI's, a
		# fresh one) hits what another one compiled.
		export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$TOP}
		# The series rewrites files on each apply; hash contents, not mtimes.
		export CCACHE_SLOPPINESS=${CCACHE_SLOPPINESS:-time_macros,include_file_mtime,include_file_ctime}
		CC_ARM64="ccache ${CROSS}gcc"
		CC_HOST="ccache gcc"
	fi
}

# Unpack the pristine 6.12 once and make it a git repo that tracks only the
# paths the series touches.  The base commit is tagged "pristine".
ensure_tree() {
	if [ -f "$KB/.unpacked" ] && git -C "$SRC" rev-parse -q --verify pristine >/dev/null; then
		return 0
	fi
	local t=$(now)
	[ -f "$LINUX_TARBALL" ] || die "missing $LINUX_TARBALL (linux-source-6.12)"
	log "unpack: $LINUX_TARBALL"
	rm -rf "$SRC" "$KB/unpack.tmp"
	mkdir -p "$KB/unpack.tmp"
	tar -C "$KB/unpack.tmp" -xf "$LINUX_TARBALL"
	mv "$KB"/unpack.tmp/linux-source-6.12 "$SRC"
	rmdir "$KB/unpack.tmp"
	(
		cd "$SRC"
		git init -q
		git config user.name "io-pgtable build"
		git config user.email "build@localhost"
		git config status.showUntrackedFiles no
		git config core.untrackedCache false
		git config gc.auto 0
		git config am.threeWay false
		# shellcheck disable=SC2086
		git add -f -- $TRACKED_PATHS
		GIT_AUTHOR_DATE="2024-11-17 14:15:00 -0800" \
		GIT_COMMITTER_DATE="2024-11-17 14:15:00 -0800" \
			git commit -q -m "Linux 6.12 (Debian linux-source-6.12)"
		git tag pristine
	)
	touch "$KB/.unpacked"
	log "unpack: done in $(( $(now) - t ))s"
}

# Generate the series from the repo's current files (fast; deterministic).
gen_series() {
	bash "$KT/gen-series.sh" >"$KB/gen-series.log" 2>&1 ||
		{ cat "$KB/gen-series.log"; die "series generation failed"; }
	grep -h '^series:' "$KB/gen-series.log" || true
}

series_patches() {
	ls "$PATCHES"/[0-9][0-9][0-9][0-9]-*.patch 2>/dev/null | grep -v '/0000-' || true
}

# The test-only kernel changes of make run (tools/kernel/test-patches/):
# never part of the series, applied on top of it for make run's kernel only.
test_patches() {
	ls "$KT"/test-patches/[0-9][0-9][0-9][0-9]-*.patch 2>/dev/null || true
}

# apply_series [PATCH]...: check the series out on branch "series" of the
# full tree, then the given extra patches (make run's test-only ones) on top,
# unless exactly these are already applied (keeps mtimes, so incremental
# builds stay small).
apply_series() {
	local note=""
	[ $# = 0 ] || note=" (the last $# test-only)"
	apply_on_pristine "$note" $(series_patches) "$@"
}

# apply_on_pristine NOTE [PATCH]...: the same for any list of patches; NOTE
# ends the log line.
apply_on_pristine() {
	local sum cur extra=$1 n
	shift
	n=$#
	# The same sum as check-patches.sh writes after the whole series.
	sum=$(cat /dev/null "$@" | sha256sum | cut -d' ' -f1)
	cur=$(cat "$KB/series.applied" 2>/dev/null || true)
	if [ "$sum" = "$cur" ] && [ "$(git -C "$SRC" rev-parse --abbrev-ref HEAD)" = series ] &&
	   git -C "$SRC" diff --quiet HEAD; then
		log "series: already applied ($n patches$extra)"
		return 0
	fi
	rm -f "$KB/series.applied"
	git -C "$SRC" am --abort >/dev/null 2>&1 || true
	git -C "$SRC" checkout -q -f -B series pristine
	[ $# = 0 ] || git -C "$SRC" am -q "$@" || die "git am of the series failed"
	echo "$sum" >"$KB/series.applied"
	log "series: applied $n patches on pristine 6.12$extra"
}

# Leave the full tree on a fresh branch at pristine (for per-patch checks).
reset_to_pristine() {
	rm -f "$KB/series.applied"
	git -C "$SRC" am --abort >/dev/null 2>&1 || true
	git -C "$SRC" checkout -q -f -B series pristine
}

# kmake <objdir> <arch> args...: make in the full tree, out of tree.
kmake() {
	local obj=$1 arch=$2
	shift 2
	if [ "$arch" = arm64 ]; then
		make -C "$SRC" O="$obj" ARCH=arm64 CROSS_COMPILE=$CROSS \
			CC="$CC_ARM64" HOSTCC="$CC_HOST" -j"$NPROC" "$@"
	else
		make -C "$SRC" O="$obj" ARCH=x86_64 CC="$CC_HOST" HOSTCC="$CC_HOST" \
			-j"$NPROC" "$@"
	fi
}

# configure <objdir> <arch> <fragment>...: allnoconfig + fragments, then
# verify that every symbol the fragments ask for got the asked value.
configure() {
	local obj=$1 arch=$2
	shift 2
	mkdir -p "$obj"
	cat "$@" >"$obj/fragment.config"
	# Reconfigure from scratch when the fragment changed or when something
	# else (kunit.py) rewrote the .config.
	if [ -f "$obj/.config" ] && [ -f "$obj/fragment.used" ] &&
	   cmp -s "$obj/fragment.config" "$obj/fragment.used" &&
	   [ "$(sha1sum <"$obj/.config")" = "$(cat "$obj/config.sum" 2>/dev/null)" ]; then
		kmake "$obj" "$arch" -s olddefconfig >/dev/null
	else
		kmake "$obj" "$arch" -s KCONFIG_ALLCONFIG="$obj/fragment.config" \
			allnoconfig >/dev/null
		cp "$obj/fragment.config" "$obj/fragment.used"
	fi
	sha1sum <"$obj/.config" >"$obj/config.sum"
	check_config "$obj" "$obj/fragment.config"
}

# Fail if a requested CONFIG_X=y/m/n did not stick (a missing dependency).
check_config() {
	local obj=$1 frag=$2 line sym val bad=0
	while IFS= read -r line; do
		case "$line" in
		CONFIG_*=*)
			sym=${line%%=*}; val=${line#*=}
			if [ "$val" = n ]; then
				grep -q "^$sym=" "$obj/.config" && { log "config: $sym is set, wanted n"; bad=1; }
			else
				grep -qx "$sym=$val" "$obj/.config" || { log "config: $sym != $val"; bad=1; }
			fi ;;
		"# CONFIG_"*" is not set")
			sym=${line#\# }; sym=${sym%% *}
			grep -q "^$sym=" "$obj/.config" && { log "config: $sym is set, wanted unset"; bad=1; } ;;
		esac
	done <"$frag"
	return $bad
}

# Which of our KUnit symbols the current tree (series applied) defines.
tree_has_symbol() {
	grep -rqs "^config $1\$" "$SRC"/drivers/iommu/Kconfig*
}

# configure_run_tree <PAGE> [debug]: the make-run kernel (allnoconfig +
# run.config + page-<PAGE>.config + every KUnit suite of ours the tree
# defines) in build/kernel/run-<PAGE>; with "debug", + debug.config in
# build/kernel/run-<PAGE>-debug, so that both stay built.  make kunit shares
# the 4K tree.  Sets OBJ, NSUITES.
configure_run_tree() {
	local s debug=
	[ "${2:-}" = debug ] && debug=$KT/configs/debug.config
	OBJ=$KB/run-$1${debug:+-debug}
	NSUITES=0
	mkdir -p "$OBJ"
	: >"$OBJ/kunit.config.new"
	for s in IOMMU_IO_PGTABLE_KUNIT_TEST IOMMU_IO_PGTABLE_LPAE_KUNIT_TEST \
		 IOMMU_IO_PGTABLE_ARMV7S_KUNIT_TEST \
		 IOMMU_IO_PGTABLE_DRIVERS_KUNIT_TEST \
		 IOMMU_IO_PGTABLE_VMBIND_KUNIT_TEST; do
		if tree_has_symbol "$s"; then
			echo "CONFIG_$s=y" >>"$OBJ/kunit.config.new"
			NSUITES=$((NSUITES + 1))
		fi
	done
	cmp -s "$OBJ/kunit.config.new" "$OBJ/kunit.config" ||
		mv "$OBJ/kunit.config.new" "$OBJ/kunit.config"
	rm -f "$OBJ/kunit.config.new"
	configure "$OBJ" arm64 "$KT/configs/run.config" "$KT/configs/page-$1.config" \
		"$OBJ/kunit.config" ${debug:+"$debug"}
}

# Counted checks, shared by the targets: result <ok:0|1> <name> [detail]
# counts one check; finish prints "<target>: N passed, N failed" and exits
# with the verdict. CHECK_NAME names the target.
PASS=0
FAIL=0
FAILED=()

result() {
	if [ "$1" = 0 ]; then
		PASS=$((PASS + 1)); log "PASS $2${3:+: $3}"
	else
		FAIL=$((FAIL + 1)); FAILED+=("$2"); log "FAIL $2${3:+: $3}"
	fi
}

finish() {
	echo
	[ $FAIL = 0 ] || printf '  failed: %s\n' "${FAILED[@]}"
	log "$CHECK_NAME: done in $(( $(now) - T0 ))s"
	echo "$CHECK_NAME: $PASS passed, $FAIL failed"
	[ $FAIL = 0 ]
	exit
}
