#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Generate the git format-patch series against pristine 6.12 from the repo's
# current files, one commit per logical step, into build/patches/.  Files that
# do not exist in the repo yet are skipped (upstream's stay).  Deterministic:
# fixed dates, so an unchanged repo gives byte-identical patches.

. "$(dirname "$0")/lib.sh"

ensure_tree
GEN=$KB/gen
git -C "$SRC" worktree remove --force "$GEN" >/dev/null 2>&1 || true
rm -rf "$GEN"
git -C "$SRC" worktree prune
git -C "$SRC" worktree add -q --detach "$GEN" pristine

AUTHOR_NAME=${SERIES_AUTHOR_NAME:-$(git -C "$TOP" config user.name || echo "io-pgtable developers")}
AUTHOR_EMAIL=${SERIES_AUTHOR_EMAIL:-$(git -C "$TOP" config user.email || echo "io-pgtable@localhost")}
export GIT_AUTHOR_NAME=$AUTHOR_NAME GIT_COMMITTER_NAME=$AUTHOR_NAME
export GIT_AUTHOR_EMAIL=$AUTHOR_EMAIL GIT_COMMITTER_EMAIL=$AUTHOR_EMAIL
STEP=0
KUNIT_SYMS=""			# KUnit symbols whose suite exists
NCOMMITS=0

# commit <subject> <body-file>: commit the staged step if it changes anything.
commit() {
	local subject=$1 body=$2 date
	git -C "$GEN" add -A -- .
	if git -C "$GEN" diff --cached --quiet; then
		echo "series: step '$subject': nothing to commit, skipped"
		return 0
	fi
	STEP=$((STEP + 1))
	date="2024-11-18 09:$(printf %02d $STEP):00 +0000"
	{ echo "$subject"; echo; cat "$body"; echo; echo "Signed-off-by: $AUTHOR_NAME <$AUTHOR_EMAIL>"; } \
		>"$KB/msg"
	GIT_AUTHOR_DATE=$date GIT_COMMITTER_DATE=$date \
		git -C "$GEN" commit -q --cleanup=verbatim -F "$KB/msg"
	NCOMMITS=$((NCOMMITS + 1))
	echo "series: $STEP $subject"
}

# take <repo-path>: copy a file of ours into the tree if the repo has it.
take() {
	[ -f "$TOP/$1" ] || return 1
	mkdir -p "$GEN/$(dirname "$1")"
	cp "$TOP/$1" "$GEN/$1"
}

body() { cat >"$KB/body"; echo "$KB/body"; }

# ---- 1. core and API -------------------------------------------------------
take include/linux/io-pgtable.h || true
take drivers/iommu/io-pgtable.c || true
for h in "$TOP"/drivers/iommu/io-pgtable*.h; do
	[ -f "$h" ] || continue
	case ${h##*/} in
	io-pgtable-arm.h|io-pgtable-arm-v7s*|*kunit*|*-ref.h|*test*) ;;
	*) take "drivers/iommu/${h##*/}" ;;
	esac
done
commit "iommu/io-pgtable: rework the core and document the API" "$(body <<'EOF'
Rework the io-pgtable core around what every format shares, and keep the
6.12 API a drop-in for its users.

The core now owns the format table, alloc_io_pgtable_ops() and
free_io_pgtable_ops(), the validation of custom allocators (both hooks or
neither, and only for formats that advertise
IO_PGTABLE_CAP_CUSTOM_ALLOCATOR), and the table-memory helpers: allocation
and freeing through cfg->alloc/free or the kernel allocators, DMA
mapping and syncing for walkers that are not cache coherent, and the
alignment and address checks that keep a table the walker cannot reach
from being used.

include/linux/io-pgtable.h keeps every name, type and meaning the in-tree
users rely on.  It adds IO_PGTABLE_QUIRK_ARM_S2FWB and
IO_PGTABLE_QUIRK_NO_WARN, and kernel-doc for every public symbol and
member, including the errors each operation returns.
EOF
)"

# ---- 2. LPAE -------------------------------------------------------------------
take drivers/iommu/io-pgtable-arm.c || true
take drivers/iommu/io-pgtable-arm.h || true
commit "iommu/io-pgtable-arm: rewrite the LPAE formats" "$(body <<'EOF'
Rewrite the ARM long-descriptor formats (ARM_64_LPAE_S1/S2,
ARM_32_LPAE_S1/S2 and ARM_MALI_LPAE) around a per-table geometry computed
once at allocation and a single descent shared by map, unmap,
iova_to_phys, the dirty walk and free.

The granule is chosen from pgsize_bitmap independently of PAGE_SIZE, and
table memory is sized by the granule, so a 4K granule on a 64K-page
kernel no longer costs a page per table.  The PGD is allocated at exactly
its size and aligned to it, the stage-2 initial level is concatenated by
the architecture's rules, and 52-bit output addresses are supported with
the 64K granule.  map_pages() and unmap_pages() accept any pgcount and
cross table boundaries within one call.

The boot-time selftests are dropped from the implementation; KUnit suites
replace them later in this series.
EOF
)"

# ---- 3. v7s --------------------------------------------------------------------
HAVE_V7S=0
if take drivers/iommu/io-pgtable-arm-v7s.c; then HAVE_V7S=1; fi
for h in "$TOP"/drivers/iommu/io-pgtable-arm-v7s*.h; do
	[ -f "$h" ] && case ${h##*/} in *kunit*|*-ref.h|*test*) ;; *) take "drivers/iommu/${h##*/}" ;; esac
done
commit "iommu/io-pgtable-arm-v7s: rewrite the short-descriptor format" "$(body <<'EOF'
Rewrite the ARMv7 short-descriptor format on the shared core helpers.

Level-1 tables are 16K from GFP_DMA32 pages and level-2 tables 1K from a
kmem cache created with SLAB_CACHE_DMA32 (or the DMA zone where there is no
DMA32 zone); any table whose physical address does not fit the descriptor
is refused.  Sections, supersections, small and large pages, and the
MediaTek extensions (PA bits 32-34 and a level-1 table above 4G) are
supported as before.

The boot-time selftests are dropped from the implementation; a KUnit suite
replaces them later in this series.
EOF
)"

# ---- 4. Kconfig and MAINTAINERS ------------------------------------------------
# Which KUnit suites exist (symbol:file).
for pair in IOMMU_IO_PGTABLE_KUNIT_TEST:io-pgtable-kunit \
	    IOMMU_IO_PGTABLE_LPAE_KUNIT_TEST:io-pgtable-arm-kunit \
	    IOMMU_IO_PGTABLE_ARMV7S_KUNIT_TEST:io-pgtable-arm-v7s-kunit \
	    IOMMU_IO_PGTABLE_DRIVERS_KUNIT_TEST:io-pgtable-drivers-kunit \
	    IOMMU_IO_PGTABLE_VMBIND_KUNIT_TEST:io-pgtable-vmbind-kunit; do
	[ -f "$TOP/drivers/iommu/${pair#*:}.c" ] && KUNIT_SYMS="$KUNIT_SYMS ${pair%%:*}"
done
ALL_KUNIT="IOMMU_IO_PGTABLE_KUNIT_TEST IOMMU_IO_PGTABLE_LPAE_KUNIT_TEST IOMMU_IO_PGTABLE_ARMV7S_KUNIT_TEST IOMMU_IO_PGTABLE_DRIVERS_KUNIT_TEST IOMMU_IO_PGTABLE_VMBIND_KUNIT_TEST"
MISSING_KUNIT=""
for s in $ALL_KUNIT; do
	case " $KUNIT_SYMS " in *" $s "*) ;; *) MISSING_KUNIT="$MISSING_KUNIT $s" ;; esac
done

# kconfig_fragment <with-kunit>: our options, for drivers/iommu/Kconfig.
kconfig_fragment() {
	local drop=$MISSING_KUNIT
	[ "$1" = 1 ] || drop="$ALL_KUNIT"
	# shellcheck disable=SC2086
	python3 "$KT/series.py" kconfig-drop "$TOP/Kconfig" $drop
	# While upstream's v7s stays, so does its selftest option.
	if [ $HAVE_V7S = 0 ]; then
		echo
		python3 "$KT/series.py" kconfig-block "$SRC/drivers/iommu/Kconfig" \
			IOMMU_IO_PGTABLE_ARMV7S_SELFTEST
	fi
}

kconfig_fragment 0 >"$KB/Kconfig.io-pgtable"
python3 "$KT/series.py" kconfig-replace "$GEN/drivers/iommu/Kconfig" \
	IOMMU_IO_PGTABLE,IOMMU_IO_PGTABLE_LPAE,IOMMU_IO_PGTABLE_LPAE_SELFTEST,IOMMU_IO_PGTABLE_ARMV7S,IOMMU_IO_PGTABLE_ARMV7S_SELFTEST \
	"$KB/Kconfig.io-pgtable"
python3 "$KT/series.py" maintainers-insert "$GEN/MAINTAINERS" "$TOP/MAINTAINERS" \
	'Documentation/|\.kunitconfig'
if [ $HAVE_V7S = 1 ]; then
	SELFTEST_NOTE="Both selftest options go with the code they built."
else
	SELFTEST_NOTE="The LPAE selftest option goes with the code it built."
fi
commit "iommu/io-pgtable: update the Kconfig options, add a MAINTAINERS entry" "$(body <<EOF
The boot-time selftests were removed from the implementation earlier in
this series. $SELFTEST_NOTE
The format options keep their names and dependencies; their help now says
what the rewritten formats support and who uses them.

Add a MAINTAINERS entry for the io-pgtable core, its ARM formats and the
public header.
EOF
)"

# ---- 5. KUnit suites -------------------------------------------------------------
for f in "$TOP"/drivers/iommu/*-kunit.c "$TOP"/drivers/iommu/io-pgtable-*.h; do
	[ -f "$f" ] || continue
	case ${f##*/} in
	*-kunit.c|*kunit*.h|*-ref.h|*test*.h) take "drivers/iommu/${f##*/}" ;;
	esac
done
if [ -n "$KUNIT_SYMS" ]; then
	kconfig_fragment 1 >"$KB/Kconfig.io-pgtable"
	python3 "$KT/series.py" kconfig-replace "$GEN/drivers/iommu/Kconfig" \
		IOMMU_IO_PGTABLE,IOMMU_IO_PGTABLE_LPAE,IOMMU_IO_PGTABLE_ARMV7S,IOMMU_IO_PGTABLE_ARMV7S_SELFTEST \
		"$KB/Kconfig.io-pgtable"
	{
		for pair in IOMMU_IO_PGTABLE_KUNIT_TEST:io-pgtable-kunit \
			    IOMMU_IO_PGTABLE_LPAE_KUNIT_TEST:io-pgtable-arm-kunit \
			    IOMMU_IO_PGTABLE_ARMV7S_KUNIT_TEST:io-pgtable-arm-v7s-kunit \
			    IOMMU_IO_PGTABLE_DRIVERS_KUNIT_TEST:io-pgtable-drivers-kunit \
			    IOMMU_IO_PGTABLE_VMBIND_KUNIT_TEST:io-pgtable-vmbind-kunit; do
			case " $KUNIT_SYMS " in
			*" ${pair%%:*} "*) echo "obj-\$(CONFIG_${pair%%:*}) += ${pair#*:}.o" ;;
			esac
		done
	} >"$KB/mk.add"
	python3 - "$GEN/drivers/iommu/Makefile" "$KB/mk.add" <<'EOF'
import sys
path, add = sys.argv[1], open(sys.argv[2]).read().rstrip('\n').split('\n')
lines = open(path).read().rstrip('\n').split('\n')
# After the last io-pgtable object line.
at = max(i for i, l in enumerate(lines) if 'io-pgtable' in l) + 1
lines[at:at] = add
open(path, 'w').write('\n'.join(lines) + '\n')
EOF
	# The .kunitconfig names only the suites that exist.
	grep -v -E "$(echo "$MISSING_KUNIT" | sed 's/^ //; s/ /|/g; s/^$/^$/')" \
		"$TOP/drivers/iommu/.kunitconfig" >"$GEN/drivers/iommu/.kunitconfig" ||
		cp "$TOP/drivers/iommu/.kunitconfig" "$GEN/drivers/iommu/.kunitconfig"
	python3 "$KT/series.py" maintainers-insert "$GEN/MAINTAINERS" "$TOP/MAINTAINERS" \
		'Documentation/'
fi
commit "iommu/io-pgtable: add KUnit suites for the core and formats" "$(body <<EOF
Add KUnit suites that replace the boot-time selftests: the core (format
table, custom allocator validation, table-memory helpers) and each ARM
format, covering every granule and address size, prot flag and quirk, the
documented error cases, dirty tracking and custom allocators.  They check
the descriptors bit-exactly against the architecture rules.  One more
suite configures and calls the formats as each in-tree user does (the
io_pgtable_cfg it builds, the registers it programs, its map and unmap
loops, gathers and TLB callbacks), and another plays the VM_BIND flow of
the GPU drivers: tables counted and reserved before each job, taken only
from the reservation in it, block splits checked for break-before-make
from the device's side.

The suites run at boot (default KUNIT_ALL_TESTS) or with:

  ./tools/testing/kunit/kunit.py run --arch=arm64 \\
	--kunitconfig=drivers/iommu/.kunitconfig

The same files also build unmodified in a userspace harness outside the
kernel tree.
EOF
)"

# ---- 6. Documentation ------------------------------------------------------------
if take Documentation/iommu/io-pgtable.rst; then
	cat >"$GEN/Documentation/iommu/index.rst" <<'EOF'
.. SPDX-License-Identifier: GPL-2.0

=====
IOMMU
=====

.. toctree::
   :maxdepth: 2

   io-pgtable
EOF
	python3 - "$GEN/Documentation/subsystem-apis.rst" <<'EOF'
import sys
path = sys.argv[1]
lines = open(path).read().split('\n')
if '   iommu/index' not in lines:
    at = lines.index('   PCI/index') + 1
    lines[at:at] = ['   iommu/index']
open(path, 'w').write('\n'.join(lines))
EOF
	python3 "$KT/series.py" maintainers-insert "$GEN/MAINTAINERS" "$TOP/MAINTAINERS"
fi
commit "Documentation/iommu: add a guide to io-pgtable for driver authors" "$(body <<'EOF'
Document how an IOMMU driver uses io-pgtable: choosing a format, filling
in struct io_pgtable_cfg, the flush ops and the iotlb gather, custom
allocators, the errors each operation returns and what may run
concurrently.  The reference part is the kernel-doc of the header and the
core, pulled in by the guide.
EOF
)"

# ---- format-patch ----------------------------------------------------------------
rm -rf "$PATCHES"
mkdir -p "$PATCHES"
printf 'MAINTAINERS\nDocumentation/*\n*Kconfig*\n*Makefile\n*.h\n*.c\n' >"$KB/orderfile"
git -C "$GEN" format-patch -q --cover-letter --no-signature -O"$KB/orderfile" \
	--base=pristine -o "$PATCHES" pristine..HEAD >/dev/null
python3 - "$PATCHES"/0000-cover-letter.patch "$NCOMMITS" "$KUNIT_SYMS" "$HAVE_V7S" <<'EOF'
import sys
path, n, syms, v7s = sys.argv[1], sys.argv[2], sys.argv[3].split(), sys.argv[4]
text = open(path).read()
blurb = """This series rewrites io-pgtable, the page-table allocator behind the ARM
SMMU, ipmmu-vmsa, qcom_iommu, MediaTek and Mali drivers, against Linux 6.12.
The API in include/linux/io-pgtable.h stays a drop-in for every in-tree
user; additions are documented and the errors each call returns are now a
written contract.

The core owns what the formats share: the format table, custom allocator
validation and the table-memory helpers (allocation, DMA sync for walkers
that are not coherent, freeing).  Each format is one file that reads
top-down: descriptor encoding, a geometry computed once per table, one
descent shared by every operation, then the operations.  Table memory is
sized by the granule rather than PAGE_SIZE and the PGD by the
configuration, so a 4K-granule table on a 64K-page kernel no longer costs
a page per table.  The boot-time selftests give way to KUnit suites.

Order of the patches: the implementation first (core, LPAE, v7s), then the
Kconfig update that drops the selftest options once no code uses them and
adds the MAINTAINERS entry, then the KUnit suites together with their Kconfig
options and Makefile lines, then the documentation.  Every patch builds on
its own.

Tested on arm64 under QEMU (virt, SMMUv3, 4K/16K/64K pages, strict and lazy
invalidation): virtio-blk and virtio-net DMA through the new tables, with
every byte verified, and the KUnit suites at boot and through kunit.py.
"""
if v7s != '1':
    blurb += "\nThe v7s rewrite is not part of this posting yet; upstream's file stays.\n"
text = text.replace('*** SUBJECT HERE ***', 'iommu/io-pgtable: rewrite the allocator and its ARM formats')
text = text.replace('*** BLURB HERE ***', blurb.rstrip('\n'))
open(path, 'w').write(text)
EOF
echo "series: $NCOMMITS patches in $PATCHES (KUnit suites:${KUNIT_SYMS:- none}; v7s: $([ $HAVE_V7S = 1 ] && echo ours || echo upstream))"
git -C "$SRC" worktree remove --force "$GEN" >/dev/null 2>&1 || true
