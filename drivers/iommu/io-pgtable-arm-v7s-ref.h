/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Reference walker for ARMv7 short-descriptor translation tables, for the
 * KUnit suite and the userspace harness.
 *
 * It decodes raw table memory by the architecture's rules (ARM ARM, ARMv7-A
 * VMSA, short-descriptor format, with TEX remap and the access flag
 * enabled) and the MediaTek extension, sharing nothing with
 * io-pgtable-arm-v7s.c, so that a mistake in the format's encoding shows up
 * as a disagreement instead of being repeated. Every descriptor is fetched
 * through a caller-supplied reader, so a harness can show the walker what a
 * non-coherent device would really read.
 */
#ifndef __IO_PGTABLE_ARM_V7S_REF_H
#define __IO_PGTABLE_ARM_V7S_REF_H

#include <linux/bitfield.h>
#include <linux/bits.h>
#include <linux/compiler.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/sizes.h>
#include <linux/string.h>
#include <linux/types.h>

/* First-level descriptors. */
#define V7S_REF_L1_TYPE		GENMASK(1, 0)
#define V7S_REF_L1_FAULT	0x0
#define V7S_REF_L1_PAGETABLE	0x1
#define V7S_REF_L1_PXN		BIT(0)	/* sections, with bit 1 set */
#define V7S_REF_L1_SECTION	BIT(1)
#define V7S_REF_SEC_B		BIT(2)
#define V7S_REF_SEC_C		BIT(3)
#define V7S_REF_SEC_XN		BIT(4)
#define V7S_REF_SEC_DOMAIN	GENMASK(8, 5)
#define V7S_REF_SEC_IMP		BIT(9)
#define V7S_REF_SEC_AP0		BIT(10)
#define V7S_REF_SEC_AP1		BIT(11)
#define V7S_REF_SEC_TEX		GENMASK(14, 12)
#define V7S_REF_SEC_AP2		BIT(15)
#define V7S_REF_SEC_S		BIT(16)
#define V7S_REF_SEC_NG		BIT(17)
#define V7S_REF_SEC_SUPER	BIT(18)
#define V7S_REF_SEC_NS		BIT(19)
#define V7S_REF_PT_NS		BIT(3)
#define V7S_REF_PT_BASE		GENMASK(31, 10)
#define V7S_REF_SEC_BASE	GENMASK(31, 20)
#define V7S_REF_SUPER_BASE	GENMASK(31, 24)
#define V7S_REF_SUPER_EXT1	GENMASK(23, 20)	/* PA[35:32], non-MediaTek */
#define V7S_REF_SUPER_EXT2	GENMASK(8, 5)	/* PA[39:36], non-MediaTek */

/* Second-level descriptors. */
#define V7S_REF_L2_TYPE		GENMASK(1, 0)
#define V7S_REF_L2_LARGE	0x1
#define V7S_REF_L2_SMALL	BIT(1)
#define V7S_REF_SP_XN		BIT(0)
#define V7S_REF_PG_B		BIT(2)
#define V7S_REF_PG_C		BIT(3)
#define V7S_REF_PG_AP0		BIT(4)
#define V7S_REF_PG_AP1		BIT(5)
#define V7S_REF_SP_TEX		GENMASK(8, 6)
#define V7S_REF_PG_AP2		BIT(9)
#define V7S_REF_PG_S		BIT(10)
#define V7S_REF_PG_NG		BIT(11)
#define V7S_REF_LP_TEX		GENMASK(14, 12)
#define V7S_REF_LP_XN		BIT(15)
#define V7S_REF_SP_BASE		GENMASK(31, 12)
#define V7S_REF_LP_BASE		GENMASK(31, 16)

/* MediaTek: PA[32], PA[33], PA[34] in descriptor bits 9, 4, 5. */
#define V7S_REF_MTK_PA32	BIT(9)
#define V7S_REF_MTK_PA33	BIT(4)
#define V7S_REF_MTK_PA34	BIT(5)

/* TTBR0: the table base and, for MediaTek, PA[34:32] in bits [2:0]. */
#define V7S_REF_TTBR_MTK_HI	GENMASK(2, 0)

/**
 * struct v7s_ref - what the walker knows, as the hardware would
 * @pgd:       Physical address of the first-level table.
 * @ias:       Input address size (32, or up to 34 on MediaTek).
 * @mtk:       Leaf descriptors carry PA[34:32] (MediaTek 4GB mode).
 * @mtk_table: Table descriptors carry them too (MediaTek PA_35_EN).
 * @read:      Fetches the 32-bit descriptor at a physical address.
 * @arg:       Passed to @read.
 */
struct v7s_ref {
	phys_addr_t	pgd;
	unsigned int	ias;
	bool		mtk;
	bool		mtk_table;
	u32		(*read)(void *arg, phys_addr_t pa);
	void		*arg;
};

/**
 * struct v7s_ref_leaf - a translation, decoded
 * @pa:       Output address of the IOVA walked.
 * @size:     Size of the leaf: 4K, 64K, 1M or 16M.
 * @level:    Level of the leaf descriptor (1 or 2).
 * @desc:     The leaf descriptor.
 * @l2_table: Physical address of the level-2 table walked, or 0.
 * @memidx:   TEX remap index, TEX[0]:C:B.
 * @xn:       Execute-never.
 * @af:       AP[0], the access flag.
 * @unpriv:   AP[1], unprivileged access.
 * @rdonly:   AP[2], read-only.
 * @s:        Shareable.
 * @ng:       Not global.
 * @ns:       Non-secure (from the section, or the page table entry).
 */
struct v7s_ref_leaf {
	phys_addr_t	pa;
	u64		size;
	int		level;
	u32		desc;
	phys_addr_t	l2_table;
	unsigned int	memidx;
	bool		xn;
	bool		af;
	bool		unpriv;
	bool		rdonly;
	bool		s;
	bool		ng;
	bool		ns;
};

/**
 * v7s_ref_read_mem() - the default reader: the CPU's view of memory
 * @arg: Unused.
 * @pa:  Physical address of a descriptor.
 *
 * Return: The descriptor.
 */
static inline u32 v7s_ref_read_mem(void *arg, phys_addr_t pa)
{
	return READ_ONCE(*(u32 *)phys_to_virt(pa));
}

static inline u32 v7s_ref_fetch(const struct v7s_ref *ref, phys_addr_t pa)
{
	return ref->read ? ref->read(ref->arg, pa) : v7s_ref_read_mem(NULL, pa);
}

/**
 * v7s_ref_ttbr_base() - the first-level table a TTBR0 value points to
 * @ttbr: The register value.
 * @ias:  Input address size; the table is 4 << (ias - 20) bytes, at least
 *        16 KiB, and aligned to its size.
 * @mtk:  MediaTek encoding: PA[34:32] in bits [2:0], no walk attributes.
 *
 * Return: The physical address.
 */
static inline phys_addr_t v7s_ref_ttbr_base(u32 ttbr, unsigned int ias,
					    bool mtk)
{
	unsigned int bits = max(ias, 32U) - 20 + 2;
	u64 pa = ttbr & ~(u32)(BIT(bits) - 1);

	if (mtk)
		pa |= (u64)(ttbr & V7S_REF_TTBR_MTK_HI) << 32;
	return pa;
}

/**
 * v7s_ref_l1_entries() - number of first-level descriptors
 * @ref: The walker.
 *
 * Return: 4096 for a 32-bit input space, more for MediaTek's wider one.
 */
static inline unsigned int v7s_ref_l1_entries(const struct v7s_ref *ref)
{
	return 1U << (max(ref->ias, 32U) - 20);
}

static inline u64 v7s_ref_mtk_hi(u32 desc)
{
	return ((desc & V7S_REF_MTK_PA32) ? BIT_ULL(32) : 0) |
	       ((desc & V7S_REF_MTK_PA33) ? BIT_ULL(33) : 0) |
	       ((desc & V7S_REF_MTK_PA34) ? BIT_ULL(34) : 0);
}

/**
 * v7s_ref_table_pa() - the level-2 table a page-table descriptor points to
 * @ref:  The walker.
 * @desc: A first-level page-table descriptor.
 *
 * Return: The physical address.
 */
static inline phys_addr_t v7s_ref_table_pa(const struct v7s_ref *ref, u32 desc)
{
	u64 pa = desc & V7S_REF_PT_BASE;

	if (ref->mtk_table)
		pa |= v7s_ref_mtk_hi(desc);
	return pa;
}

/**
 * v7s_ref_walk() - translate one IOVA by the architecture's rules
 * @ref:  The walker.
 * @iova: The input address.
 * @leaf: The decoded leaf, when there is one.
 *
 * Return: True when @iova translates.
 */
static inline bool v7s_ref_walk(const struct v7s_ref *ref, u64 iova,
				struct v7s_ref_leaf *leaf)
{
	u32 l1, l2;
	u64 pa;

	memset(leaf, 0, sizeof(*leaf));
	if (ref->ias < 64 && iova >> ref->ias)
		return false;

	l1 = v7s_ref_fetch(ref, ref->pgd + (iova >> 20) * 4);
	if ((l1 & V7S_REF_L1_TYPE) == V7S_REF_L1_FAULT)
		return false;

	if (l1 & V7S_REF_L1_SECTION) {
		leaf->level = 1;
		leaf->desc = l1;
		if (l1 & V7S_REF_SEC_SUPER) {
			leaf->size = SZ_16M;
			pa = l1 & V7S_REF_SUPER_BASE;
			if (!ref->mtk)
				pa |= (u64)FIELD_GET(V7S_REF_SUPER_EXT1, l1) << 32 |
				      (u64)FIELD_GET(V7S_REF_SUPER_EXT2, l1) << 36;
		} else {
			leaf->size = SZ_1M;
			pa = l1 & V7S_REF_SEC_BASE;
		}
		if (ref->mtk)
			pa |= v7s_ref_mtk_hi(l1);
		leaf->pa = pa | (iova & (leaf->size - 1));
		leaf->memidx = FIELD_GET(V7S_REF_SEC_TEX, l1) << 2 & 4;
		leaf->memidx |= (l1 & V7S_REF_SEC_C ? 2 : 0) |
				(l1 & V7S_REF_SEC_B ? 1 : 0);
		leaf->xn = l1 & V7S_REF_SEC_XN;
		leaf->af = l1 & V7S_REF_SEC_AP0;
		leaf->unpriv = l1 & V7S_REF_SEC_AP1;
		leaf->rdonly = l1 & V7S_REF_SEC_AP2;
		leaf->s = l1 & V7S_REF_SEC_S;
		leaf->ng = l1 & V7S_REF_SEC_NG;
		leaf->ns = l1 & V7S_REF_SEC_NS;
		return true;
	}

	/* A page table: bits [1:0] == 0b01. */
	leaf->l2_table = v7s_ref_table_pa(ref, l1);
	leaf->ns = l1 & V7S_REF_PT_NS;
	l2 = v7s_ref_fetch(ref, leaf->l2_table + ((iova >> 12) & 0xff) * 4);
	if ((l2 & V7S_REF_L2_TYPE) == 0)
		return false;

	leaf->level = 2;
	leaf->desc = l2;
	if (l2 & V7S_REF_L2_SMALL) {
		leaf->size = SZ_4K;
		pa = l2 & V7S_REF_SP_BASE;
		leaf->memidx = FIELD_GET(V7S_REF_SP_TEX, l2) << 2 & 4;
		leaf->xn = l2 & V7S_REF_SP_XN;
	} else {
		leaf->size = SZ_64K;
		pa = l2 & V7S_REF_LP_BASE;
		leaf->memidx = FIELD_GET(V7S_REF_LP_TEX, l2) << 2 & 4;
		leaf->xn = l2 & V7S_REF_LP_XN;
	}
	if (ref->mtk)
		pa |= v7s_ref_mtk_hi(l2);
	leaf->pa = pa | (iova & (leaf->size - 1));
	leaf->memidx |= (l2 & V7S_REF_PG_C ? 2 : 0) | (l2 & V7S_REF_PG_B ? 1 : 0);
	leaf->af = l2 & V7S_REF_PG_AP0;
	leaf->unpriv = l2 & V7S_REF_PG_AP1;
	leaf->rdonly = l2 & V7S_REF_PG_AP2;
	leaf->s = l2 & V7S_REF_PG_S;
	leaf->ng = l2 & V7S_REF_PG_NG;
	return true;
}

/**
 * v7s_ref_xlate() - v7s_ref_walk() in the shape iopt_shadow_check() takes
 * @arg:  A struct v7s_ref.
 * @iova: The input address.
 * @pa:   The output address, when @iova translates.
 *
 * Return: True when @iova translates.
 */
static inline bool v7s_ref_xlate(void *arg, u64 iova, phys_addr_t *pa)
{
	struct v7s_ref_leaf leaf;

	if (!v7s_ref_walk(arg, iova, &leaf))
		return false;
	*pa = leaf.pa;
	return true;
}

/**
 * struct v7s_ref_stats - what v7s_ref_check_tables() found
 * @l2_tables:     Level-2 tables reachable from the first level.
 * @highest_table: Highest byte address of any table, the first level's
 *                 included.
 * @leaves:        Leaf descriptors (copies of large leaves counted once).
 * @bad:           Descriptors that break the architecture's rules: a
 *                 supersection or large page whose 16 copies differ or
 *                 do not start on a 16-entry boundary, or a reserved type.
 */
struct v7s_ref_stats {
	unsigned int	l2_tables;
	u64		highest_table;
	unsigned int	leaves;
	unsigned int	bad;
};

/* 16 copies, the first one 16-entry aligned, all identical. */
static inline bool v7s_ref_group_ok(const struct v7s_ref *ref,
				    phys_addr_t table, unsigned int idx,
				    u32 desc)
{
	unsigned int j;

	if (idx & 15)
		return false;
	for (j = 1; j < 16; j++)
		if (v7s_ref_fetch(ref, table + (idx + j) * 4) != desc)
			return false;
	return true;
}

/**
 * v7s_ref_check_tables() - walk every table and check its descriptors
 * @ref:   The walker.
 * @stats: Filled in.
 *
 * Return: The number of rule violations (also in @stats->bad).
 */
static inline unsigned int v7s_ref_check_tables(const struct v7s_ref *ref,
						struct v7s_ref_stats *stats)
{
	unsigned int i, j, n = v7s_ref_l1_entries(ref);
	phys_addr_t l2;
	u32 d1, d2;

	memset(stats, 0, sizeof(*stats));
	stats->highest_table = ref->pgd + n * 4 - 1;
	for (i = 0; i < n; i++) {
		d1 = v7s_ref_fetch(ref, ref->pgd + i * 4);
		if ((d1 & V7S_REF_L1_TYPE) == V7S_REF_L1_FAULT)
			continue;
		if (d1 & V7S_REF_L1_SECTION) {
			if (d1 & V7S_REF_SEC_SUPER) {
				if (!v7s_ref_group_ok(ref, ref->pgd, i, d1))
					stats->bad++;
				i += 15;
			}
			stats->leaves++;
			continue;
		}
		stats->l2_tables++;
		l2 = v7s_ref_table_pa(ref, d1);
		stats->highest_table = max_t(u64, stats->highest_table,
					     l2 + 1023);
		for (j = 0; j < 256; j++) {
			d2 = v7s_ref_fetch(ref, l2 + j * 4);
			if ((d2 & V7S_REF_L2_TYPE) == 0)
				continue;
			if ((d2 & V7S_REF_L2_TYPE) == V7S_REF_L2_LARGE) {
				if (!v7s_ref_group_ok(ref, l2, j, d2))
					stats->bad++;
				j += 15;
			}
			stats->leaves++;
		}
	}
	return stats->bad;
}

#endif /* __IO_PGTABLE_ARM_V7S_REF_H */
