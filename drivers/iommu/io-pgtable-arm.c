// SPDX-License-Identifier: GPL-2.0-only
/*
 * ARM long-descriptor (LPAE) page tables for IOMMUs and Mali GPUs:
 * ARM_32_LPAE_S1, ARM_32_LPAE_S2, ARM_64_LPAE_S1, ARM_64_LPAE_S2 and
 * ARM_MALI_LPAE.
 *
 * The file reads top-down: descriptor encoding, geometry, the shared
 * descents, the operations (map, unmap, iova_to_phys, dirty tracking, free)
 * and last the configuration of each format.
 *
 * Concurrency: map and unmap of disjoint IOVA ranges run without a lock.
 * New tables are published with a cmpxchg on an empty entry; the loser of
 * a race frees its own table and walks into the winner's. A block split
 * by two unmappers of different parts of it goes to the first to swap
 * the block entry; the other waits out the break and walks again. A
 * table is freed by a call that covers its whole range, which no other
 * caller may touch at the same time (an unmap of that range, or a block
 * mapped over an empty table), by free_io_pgtable_ops(), or, when unmap
 * has emptied it page by page, by the reclaim of emptied tables, which
 * waits until no mapper can be inside it ("Returning emptied tables").
 */

/**
 * DOC: LPAE descriptor encodings
 *
 * Leaves carry the attributes 6.12 gives them for the same IOMMU_* flags,
 * bit for bit, except where the architecture decides otherwise:
 *
 * - Stage-2 execute-never is XN[1:0] = 0b10 (bit 54): never-execute at
 *   every exception level with and without FEAT_XNX. 6.12 writes 0b11,
 *   which under FEAT_XNX leaves the page executable at EL1.
 * - Device memory (IOMMU_MMIO) is marked Outer Shareable whatever
 *   IOMMU_CACHE says: the architecture treats every Device and
 *   Non-cacheable location as Outer Shareable and ignores SH for them.
 *   6.12 writes Inner Shareable for IOMMU_MMIO | IOMMU_CACHE.
 *
 * ARM_MALI_LPAE leaves are 6.12's exactly, since no Mali GPU checks ours:
 * the access flag stays clear and execute-never sets bits 53 and 54.
 * The full list of where we differ from 6.12, with the reasons, is
 * tools/testing/io-pgtable/fuzz/deviations.h, which the differential
 * fuzzer checks against.
 */

#include <linux/atomic.h>
#include <linux/bitops.h>
#include <linux/bug.h>
#include <linux/io-pgtable.h>
#include <linux/irqflags.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/processor.h>
#include <linux/rcupdate.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/types.h>

#include <asm/barrier.h>

#include "io-pgtable-arm.h"

typedef u64 arm_lpae_iopte;

#define ARM_LPAE_MAX_LEVELS		4
#define ARM_LPAE_LAST_LEVEL		(ARM_LPAE_MAX_LEVELS - 1)
/* The most tables a stage-2 walk may concatenate at its first level. */
#define ARM_LPAE_S2_MAX_CONCAT_BITS	4

/*
 * Descriptor encoding
 */
#define ARM_LPAE_PTE_VALID		BIT_ULL(0)
#define ARM_LPAE_PTE_TYPE_MASK		GENMASK_ULL(1, 0)
#define ARM_LPAE_PTE_TYPE_BLOCK		1ULL
#define ARM_LPAE_PTE_TYPE_TABLE		3ULL
#define ARM_LPAE_PTE_TYPE_PAGE		3ULL

/* Leaf attributes shared by all formats */
#define ARM_LPAE_PTE_SH_OS		(2ULL << 8)
#define ARM_LPAE_PTE_SH_IS		(3ULL << 8)
#define ARM_LPAE_PTE_AF			BIT_ULL(10)

/* Stage 1 (and Mali's attribute index) */
#define ARM_LPAE_PTE_ATTRINDX_SHIFT	2
#define ARM_LPAE_PTE_NS			BIT_ULL(5)
#define ARM_LPAE_PTE_AP_UNPRIV		BIT_ULL(6)
#define ARM_LPAE_PTE_AP_RDONLY		BIT_ULL(7)
#define ARM_LPAE_PTE_NG			BIT_ULL(11)
#define ARM_LPAE_PTE_CONT		BIT_ULL(52)
#define ARM_LPAE_PTE_DBM		BIT_ULL(51)
#define ARM_LPAE_PTE_PXN		BIT_ULL(53)
#define ARM_LPAE_PTE_UXN		BIT_ULL(54)

/* Stage 2 (and Mali's permissions) */
#define ARM_LPAE_PTE_MEMATTR_SHIFT	2
#define ARM_LPAE_PTE_S2AP_READ		BIT_ULL(6)
#define ARM_LPAE_PTE_S2AP_WRITE		BIT_ULL(7)
/* XN[1:0] = 0b10: execute-never at every exception level */
#define ARM_LPAE_PTE_S2_XN		BIT_ULL(54)

/* MemAttr[3:0] of stage-2 leaves */
#define ARM_LPAE_S2_MEMATTR_DEV		0x1ULL	/* Device-nGnRE */
#define ARM_LPAE_S2_MEMATTR_NC		0x5ULL	/* Normal, inner and outer NC */
#define ARM_LPAE_S2_MEMATTR_WB		0xfULL	/* Normal, inner and outer WB */
#define ARM_LPAE_S2_MEMATTR_FWB_WB	0x6ULL	/* FEAT_S2FWB: forced WB */

/* Table descriptors */
#define ARM_LPAE_PTE_NSTABLE		BIT_ULL(63)

/*
 * An invalid entry (bit 0 clear: the walker faults on it) that stands for
 * a block being split, between the break and the make. Another caller
 * that finds it waits for the table that follows.
 */
#define ARM_LPAE_PTE_SW_BREAK		BIT_ULL(58)

/*
 * Software bit of table descriptors: the entry has been cleaned to memory
 * for a non-coherent walker. A mapper that walks through an entry another
 * CPU installed cannot otherwise know the walker can see it yet.
 */
#define ARM_LPAE_PTE_SW_SYNCED		BIT_ULL(55)

/*
 * Software bit of table descriptors: the table below looked empty to an
 * unmapper and waits to be reclaimed; a mapper that walks through the
 * entry clears it, and the table stays.
 */
#define ARM_LPAE_PTE_SW_DYING		BIT_ULL(56)

/* Emptied tables on their way back, per set of tables */
#define LPAE_RECLAIM_SLOTS		64

/* Output address: bits [47:12]; with FEAT_LPA, PA[51:48] in bits [15:12] */
#define ARM_LPAE_PTE_ADDR_MASK		GENMASK_ULL(47, 12)
#define ARM_LPAE_PTE_ADDR_LPA_HI	GENMASK_ULL(15, 12)
#define ARM_LPAE_LPA_HI_SHIFT		36

/* MAIR attribute indices, and the attributes behind them */
#define ARM_LPAE_MAIR_ATTR_IDX_NC	0
#define ARM_LPAE_MAIR_ATTR_IDX_CACHE	1
#define ARM_LPAE_MAIR_ATTR_IDX_DEV	2
#define ARM_LPAE_MAIR_ATTR_IDX_INC_OCACHE 3
#define ARM_LPAE_MAIR_ATTR_NC		0x44ULL	/* Normal, inner/outer NC */
#define ARM_LPAE_MAIR_ATTR_WBRWA	0xffULL	/* Normal, inner/outer WB RW-alloc */
#define ARM_LPAE_MAIR_ATTR_DEVICE	0x04ULL	/* Device-nGnRE */
#define ARM_LPAE_MAIR_ATTR_INC_OWBRWA	0xf4ULL	/* Normal, inner NC, outer WB */
#define ARM_LPAE_MAIR_ATTR(attr, idx)	((attr) << ((idx) * 8))

/* Mali's AS_TRANSTAB and AS_MEMATTR */
#define ARM_MALI_LPAE_TTBR_ADRMODE_TABLE	(3ULL << 0)
#define ARM_MALI_LPAE_TTBR_READ_INNER		BIT_ULL(2)
#define ARM_MALI_LPAE_TTBR_SHARE_OUTER		BIT_ULL(4)
#define ARM_MALI_LPAE_MEMATTR_IMP_DEF		0x88ULL
#define ARM_MALI_LPAE_MEMATTR_WRITE_ALLOC	0x8dULL

/*
 * The descents the hot paths are specialised for: 48-bit output addresses
 * from each possible start level. Anything else takes the generic one.
 */
enum {
	LPAE_WALK_FROM_L0,
	LPAE_WALK_FROM_L1,
	LPAE_WALK_FROM_L2,
	LPAE_WALK_GENERIC,
};

/* The IOMMU_* flags that select leaf attributes */
#define LPAE_PROT_MASK	(IOMMU_READ | IOMMU_WRITE | IOMMU_CACHE |	\
			 IOMMU_NOEXEC | IOMMU_MMIO | IOMMU_PRIV)

/* The largest table address an LPAE descriptor holds */
#define ARM_LPAE_TABLE_LIMIT		(BIT_ULL(48) - 1)
#define ARM_LPAE_TABLE_LIMIT_LPA	(BIT_ULL(52) - 1)

/* An emptied table on its way back: marked, being flushed, or detached */
struct lpae_reclaim_slot {
	arm_lpae_iopte	*table;
	unsigned long	iova;
	unsigned long	cookie;
	u8		lvl;
	bool		flushing;
	bool		detached;
};

/**
 * struct arm_lpae_io_pgtable - one set of LPAE tables and its geometry
 * @iop:            The generic part; first, for io_pgtable_ops_to_pgtable().
 * @pgd:            The top-level table (with concatenated tables, all of
 *                  them, contiguous).
 * @start_level:    Level of @pgd, 0 to 3.
 * @pgd_bits:       log2 of the entries in @pgd.
 * @bits_per_level: log2 of the entries in every other table.
 * @stage2:         Stage-2 descriptors.
 * @mali:           Mali's variant: stage-1 attributes, stage-2 permissions,
 *                  block-typed level-3 leaves.
 * @lpa:            52-bit output addresses (64K granule, FEAT_LPA).
 * @shift:          Per level, the IOVA bit where its index starts.
 * @idx_mask:       Per level, the mask of its index.
 * @pgsize_level:   Per log2(page size), the level that maps it, or -1.
 * @pgsize_run:     Per log2(page size), log2 of the entries of a run with
 *                  the contiguous hint it is mapped as, or 0.
 * @run_bits:       Per level, log2 of the entries of a contiguous run there,
 *                  or 0 when the hint is not used at that level.
 * @va_top:         The value bits ias..63 of an IOVA must have: 0, or all
 *                  ones for TTBR1.
 * @oa_max:         The largest output address.
 * @table_limit:    The largest physical address of a table.
 * @table_attrs:    Attributes of every table descriptor.
 * @ias:            Copy of the configuration's, next to what uses it.
 * @coherent:       Copy of the configuration's coherent_walk.
 * @page_type:      Descriptor type of level-3 leaves.
 * @prot_pte:       Leaf attributes for each combination of IOMMU_* flags,
 *                  computed once so that mapping a page only indexes them.
 * @walk:           Which specialised descent the hot paths use.
 * @rsv:            The reservation map and unmap take tables from and give
 *                  them back to, or NULL.
 * @reclaim:        Emptied tables are returned (IO_PGTABLE_QUIRK_ARM_RECLAIM).
 * @reclaim_lock:   Serialises @slot, setting and acting on
 *                  ARM_LPAE_PTE_SW_DYING, and the removal of any table.
 * @pinners:        Maps between counting their tables and installing them,
 *                  which may sleep in between: no table is detached while
 *                  one is in flight.
 * @nr_slots:       Slots in use.
 * @missed:         Empty tables found no slot, somewhere in
 * @missed_lo:      [@missed_lo,
 * @missed_hi:      @missed_hi].
 * @slot:           The emptied tables being returned, LPAE_RECLAIM_SLOTS
 *                  of them (allocated with the quirk only).
 */
struct arm_lpae_io_pgtable {
	struct io_pgtable	iop;
	arm_lpae_iopte		*pgd;
	u8			start_level;
	u8			pgd_bits;
	u8			bits_per_level;
	u8			ias;
	bool			coherent;
	bool			stage2;
	bool			mali;
	bool			lpa;
	u8			walk;
	u8			shift[ARM_LPAE_MAX_LEVELS];
	u32			idx_mask[ARM_LPAE_MAX_LEVELS];
	u64			va_top;
	phys_addr_t		oa_max;
	arm_lpae_iopte		page_type;
	s8			pgsize_level[64];
	u8			pgsize_run[64];
	u8			run_bits[ARM_LPAE_MAX_LEVELS];
	phys_addr_t		table_limit;
	arm_lpae_iopte		table_attrs;
	arm_lpae_iopte		prot_pte[LPAE_PROT_MASK + 1];
	struct io_pgtable_reservation *rsv;
	bool			reclaim;
	spinlock_t		reclaim_lock;	/* see @reclaim_lock above */
	atomic_t		pinners;
	unsigned int		nr_slots;
	bool			missed;
	u64			missed_lo, missed_hi;
	struct lpae_reclaim_slot slot[];
};

#define to_lpae(ops) \
	container_of(io_pgtable_ops_to_pgtable(ops), struct arm_lpae_io_pgtable, iop)

/*
 * Geometry
 */
static inline unsigned int lpae_idx(const struct arm_lpae_io_pgtable *d,
				    unsigned int lvl, unsigned long iova)
{
	return (iova >> d->shift[lvl]) & d->idx_mask[lvl];
}

static inline u64 lpae_block_size(const struct arm_lpae_io_pgtable *d,
				  unsigned int lvl)
{
	return BIT_ULL(d->shift[lvl]);
}

/* Entries of the table at @lvl from @iova's entry to the table's end */
static inline u64 lpae_entries_left(const struct arm_lpae_io_pgtable *d,
				    unsigned int lvl, unsigned long iova)
{
	return (u64)d->idx_mask[lvl] + 1 - lpae_idx(d, lvl, iova);
}

static inline size_t lpae_table_size(const struct arm_lpae_io_pgtable *d,
				     unsigned int lvl)
{
	unsigned int bits = lvl == d->start_level ? d->pgd_bits :
						     d->bits_per_level;

	return sizeof(arm_lpae_iopte) << bits;
}

static inline size_t lpae_granule(const struct arm_lpae_io_pgtable *d)
{
	return BIT(d->shift[ARM_LPAE_LAST_LEVEL]);
}

/* [@iova, @iova + @size) lies in the input range, without wrapping. */
static inline bool lpae_iova_ok(const struct arm_lpae_io_pgtable *d,
				unsigned long iova, u64 size)
{
	u64 first = iova, last = first + size - 1;
	unsigned int ias = d->ias;

	return last >= first && !((first ^ d->va_top) >> ias) &&
	       !((last ^ d->va_top) >> ias);
}

static inline bool lpae_oa_ok(const struct arm_lpae_io_pgtable *d,
			      phys_addr_t paddr, u64 size)
{
	u64 last = (u64)paddr + size - 1;

	return last >= paddr && last <= d->oa_max;
}

/*
 * Descriptors
 */
static inline bool lpae_pte_is_table(arm_lpae_iopte pte, unsigned int lvl)
{
	return lvl < ARM_LPAE_LAST_LEVEL &&
	       (pte & ARM_LPAE_PTE_TYPE_MASK) == ARM_LPAE_PTE_TYPE_TABLE;
}

static inline bool lpae_pte_is_leaf(arm_lpae_iopte pte, unsigned int lvl)
{
	return (pte & ARM_LPAE_PTE_VALID) && !lpae_pte_is_table(pte, lvl);
}

/*
 * Output addresses. The hot paths pass @lpa as a constant so that the
 * common layout costs no test.
 */
static __always_inline arm_lpae_iopte
__lpae_oa_to_pte(phys_addr_t pa, bool lpa)
{
	arm_lpae_iopte pte = pa;

	if (lpa)
		pte |= pte >> ARM_LPAE_LPA_HI_SHIFT;
	return pte & ARM_LPAE_PTE_ADDR_MASK;
}

static __always_inline phys_addr_t
__lpae_pte_to_oa(arm_lpae_iopte pte, bool lpa)
{
	u64 pa = pte & ARM_LPAE_PTE_ADDR_MASK;

	if (lpa)
		pa = (pa & ~ARM_LPAE_PTE_ADDR_LPA_HI) |
		     (pa & ARM_LPAE_PTE_ADDR_LPA_HI) << ARM_LPAE_LPA_HI_SHIFT;
	return pa;
}

static inline arm_lpae_iopte lpae_oa_to_pte(const struct arm_lpae_io_pgtable *d,
					    phys_addr_t pa)
{
	return __lpae_oa_to_pte(pa, d->lpa);
}

static inline phys_addr_t lpae_pte_to_oa(const struct arm_lpae_io_pgtable *d,
					 arm_lpae_iopte pte)
{
	return __lpae_pte_to_oa(pte, d->lpa);
}

static inline arm_lpae_iopte *lpae_deref(const struct arm_lpae_io_pgtable *d,
					 arm_lpae_iopte pte)
{
	return phys_to_virt(lpae_pte_to_oa(d, pte));
}

static arm_lpae_iopte lpae_prot_to_pte(const struct arm_lpae_io_pgtable *d,
				       int prot)
{
	const struct io_pgtable_cfg *cfg = &d->iop.cfg;
	bool xn = prot & IOMMU_NOEXEC;
	arm_lpae_iopte pte = 0;
	u64 attr;

	/*
	 * Mali's access flag stays clear, as 6.12 leaves it: its descriptors
	 * are matched bit for bit since no Mali GPU runs these tests.
	 */
	if (!d->mali)
		pte |= ARM_LPAE_PTE_AF;

	if (d->stage2) {
		if (prot & IOMMU_MMIO)
			attr = ARM_LPAE_S2_MEMATTR_DEV;
		else if (!(prot & IOMMU_CACHE))
			attr = ARM_LPAE_S2_MEMATTR_NC;
		else if (cfg->quirks & IO_PGTABLE_QUIRK_ARM_S2FWB)
			attr = ARM_LPAE_S2_MEMATTR_FWB_WB;
		else
			attr = ARM_LPAE_S2_MEMATTR_WB;
		pte |= attr << ARM_LPAE_PTE_MEMATTR_SHIFT;
	} else {
		if (prot & IOMMU_MMIO)
			attr = ARM_LPAE_MAIR_ATTR_IDX_DEV;
		else if (prot & IOMMU_CACHE)
			attr = ARM_LPAE_MAIR_ATTR_IDX_CACHE;
		else
			attr = ARM_LPAE_MAIR_ATTR_IDX_NC;
		pte |= attr << ARM_LPAE_PTE_ATTRINDX_SHIFT;
	}

	if (d->stage2 || d->mali) {
		if (prot & IOMMU_READ)
			pte |= ARM_LPAE_PTE_S2AP_READ;
		if (prot & IOMMU_WRITE)
			pte |= ARM_LPAE_PTE_S2AP_WRITE;
		/*
		 * Stage 2: XN[1:0] = 0b10 is never-execute with and without
		 * FEAT_XNX (0b11 would be EL1-executable with it). Mali: both
		 * bits, as 6.12 writes them.
		 */
		if (xn)
			pte |= d->mali ? ARM_LPAE_PTE_UXN | ARM_LPAE_PTE_PXN :
					 ARM_LPAE_PTE_S2_XN;
	} else {
		pte |= ARM_LPAE_PTE_NG;
		if (cfg->quirks & IO_PGTABLE_QUIRK_ARM_NS)
			pte |= ARM_LPAE_PTE_NS;
		if (!(prot & IOMMU_PRIV))
			pte |= ARM_LPAE_PTE_AP_UNPRIV;
		if (!(prot & IOMMU_WRITE))
			pte |= ARM_LPAE_PTE_AP_RDONLY;
		else if (cfg->quirks & IO_PGTABLE_QUIRK_ARM_HD)
			pte |= ARM_LPAE_PTE_DBM;	/* writable, dirty */
		if (xn)
			pte |= ARM_LPAE_PTE_UXN | ARM_LPAE_PTE_PXN;
	}

	/*
	 * Non-cacheable and device memory are outer shareable whatever the
	 * descriptor says; Mali's inner domain is the GPU alone.
	 */
	if ((prot & IOMMU_CACHE) && !(prot & IOMMU_MMIO) && !d->mali)
		pte |= ARM_LPAE_PTE_SH_IS;
	else
		pte |= ARM_LPAE_PTE_SH_OS;

	return pte;
}

/*
 * Table memory. Every table but the top level comes from the driver's
 * table cache if it gave one, and while a reservation is attached from
 * the reservation alone, to which freed tables then return.
 */
static inline struct kmem_cache *lpae_cache(const struct arm_lpae_io_pgtable *d,
					    unsigned int lvl)
{
	return lvl == d->start_level ? NULL : d->iop.cfg.table_cache;
}

static arm_lpae_iopte *lpae_alloc_table(struct arm_lpae_io_pgtable *d,
					unsigned int lvl, gfp_t gfp)
{
	return io_pgtable_alloc_table(&d->iop.cfg, d->iop.cookie,
				      lpae_table_size(d, lvl), gfp,
				      lpae_cache(d, lvl), d->table_limit);
}

static void lpae_release_table(struct arm_lpae_io_pgtable *d,
			       unsigned int lvl, arm_lpae_iopte *table)
{
	io_pgtable_free_table(&d->iop.cfg, d->iop.cookie, table,
			      lpae_table_size(d, lvl), lpae_cache(d, lvl));
}

/* Reservations hold zeroed tables, linked through their first entry. */
static void lpae_rsv_push(struct io_pgtable_reservation *rsv,
			  arm_lpae_iopte *table)
{
	table[0] = (arm_lpae_iopte)(uintptr_t)rsv->tables;
	rsv->tables = table;
	rsv->count++;
}

static arm_lpae_iopte *lpae_rsv_pop(struct io_pgtable_reservation *rsv)
{
	arm_lpae_iopte *table = rsv->tables;

	if (table) {
		rsv->tables = (void *)(uintptr_t)table[0];
		rsv->count--;
	}
	return table;
}

static inline void lpae_sync(struct arm_lpae_io_pgtable *d,
			     arm_lpae_iopte *ptep, size_t n)
{
	io_pgtable_sync(&d->iop.cfg, ptep, n * sizeof(*ptep));
}

/* Put a table that held entries back into the reservation, clean. */
static void lpae_rsv_recycle(struct arm_lpae_io_pgtable *d,
			     arm_lpae_iopte *table)
{
	size_t n = lpae_table_size(d, ARM_LPAE_LAST_LEVEL) / sizeof(*table);

	memset(table, 0, n * sizeof(*table));
	lpae_sync(d, table, n);
	lpae_rsv_push(d->rsv, table);
}

/*
 * A table below the top level that the walker can no longer reach; onto
 * @gather's freelist when lpae_can_defer() said so for its tree.
 */
static void lpae_free_table(struct arm_lpae_io_pgtable *d, unsigned int lvl,
			    arm_lpae_iopte *table,
			    struct iommu_iotlb_gather *gather)
{
	if (d->rsv && lvl != d->start_level) {
		lpae_rsv_recycle(d, table);
		d->rsv->returned++;
		return;
	}
	/* Cannot fail: every table below the top level is alike. */
	if (gather && io_pgtable_defer_table(&d->iop.cfg, table,
					     lpae_table_size(d, lvl),
					     lpae_cache(d, lvl), gather))
		return;
	WARN_ON_ONCE(gather);
	lpae_release_table(d, lvl, table);
}

/* A table taken for a request but never made reachable. */
static void lpae_unused_table(struct arm_lpae_io_pgtable *d,
			      arm_lpae_iopte *table)
{
	if (d->rsv) {
		lpae_rsv_recycle(d, table);
		d->rsv->taken--;
		return;
	}
	lpae_release_table(d, ARM_LPAE_LAST_LEVEL, table);
}

/*
 * Free @table at @lvl and every table below it; with @gather, onto its
 * freelist instead.
 */
static void lpae_free_tree(struct arm_lpae_io_pgtable *d, unsigned int lvl,
			   arm_lpae_iopte *table,
			   struct iommu_iotlb_gather *gather)
{
	size_t i, n = lpae_table_size(d, lvl) / sizeof(*table);

	if (lvl < ARM_LPAE_LAST_LEVEL) {
		for (i = 0; i < n; i++) {
			arm_lpae_iopte pte = READ_ONCE(table[i]);

			if (lpae_pte_is_table(pte, lvl))
				lpae_free_tree(d, lvl + 1, lpae_deref(d, pte),
					       gather);
		}
	}
	lpae_free_table(d, lvl, table, gather);
}

/* True when nothing below @table (at @lvl) maps anything. */
static bool lpae_tree_is_empty(const struct arm_lpae_io_pgtable *d,
			       unsigned int lvl, arm_lpae_iopte *table)
{
	size_t i, n = lpae_table_size(d, lvl) / sizeof(*table);

	for (i = 0; i < n; i++) {
		arm_lpae_iopte pte = READ_ONCE(table[i]);

		if (!pte)
			continue;
		if (!lpae_pte_is_table(pte, lvl) ||
		    !lpae_tree_is_empty(d, lvl + 1, lpae_deref(d, pte)))
			return false;
	}
	return true;
}

/*
 * Make a table entry visible to a non-coherent walker and record that it
 * is: whoever installed it may not have synced it yet. The mark itself is
 * synced too, so that memory and cache agree again. Returns the entry.
 */
static arm_lpae_iopte lpae_sync_table_entry(struct arm_lpae_io_pgtable *d,
					    arm_lpae_iopte *ptep,
					    arm_lpae_iopte pte)
{
	lpae_sync(d, ptep, 1);
	if (cmpxchg64_relaxed(ptep, pte, pte | ARM_LPAE_PTE_SW_SYNCED) != pte)
		return READ_ONCE(*ptep);
	lpae_sync(d, ptep, 1);
	return pte | ARM_LPAE_PTE_SW_SYNCED;
}

/*
 * Whether the tables removed from below a level-@lvl entry can all wait
 * for @gather's flush: a queued gather, a coherent walker, page-sized
 * tables from the page allocator (io_pgtable_table_deferrable()), and no
 * reservation, to which they return at once. Every table below the top
 * level is alike, so the answer for the first is the answer for the tree.
 */
static bool lpae_can_defer(struct arm_lpae_io_pgtable *d, unsigned int lvl,
			   struct iommu_iotlb_gather *gather)
{
	return !d->rsv &&
	       io_pgtable_table_deferrable(&d->iop.cfg,
					   lpae_table_size(d, lvl + 1),
					   lpae_cache(d, lvl + 1), gather);
}

/*
 * Break the entry at @ptep (level @lvl, covering @iova), which points to a
 * table: clear it, flush the walk caches for its range (which takes the
 * leaves below, of @granule or larger, with them), and only then free the
 * table and everything below it. With a queued @gather that can take the
 * tables, the flush queue's full invalidation comes before their free
 * instead, and there is no walk flush here. The reclaim of emptied
 * tables may have taken the table first: then there is nothing to do.
 */
static void lpae_remove_table(struct arm_lpae_io_pgtable *d,
			      arm_lpae_iopte *ptep, unsigned int lvl,
			      unsigned long iova, size_t granule,
			      struct iommu_iotlb_gather *gather)
{
	unsigned long flags;
	arm_lpae_iopte pte;

	if (!lpae_can_defer(d, lvl, gather))
		gather = NULL;
	if (d->reclaim) {
		/* 64-bit xchg is not on every architecture; cmpxchg64 is */
		spin_lock_irqsave(&d->reclaim_lock, flags);
		do {
			pte = READ_ONCE(*ptep);
		} while (pte && cmpxchg64_relaxed(ptep, pte, 0) != pte);
		spin_unlock_irqrestore(&d->reclaim_lock, flags);
		if (!pte)
			return;
	} else {
		pte = READ_ONCE(*ptep);
		WRITE_ONCE(*ptep, 0);
	}
	lpae_sync(d, ptep, 1);
	if (!gather)
		io_pgtable_tlb_flush_walk(&d->iop, iova,
					  lpae_block_size(d, lvl), granule);
	lpae_free_tree(d, lvl + 1, lpae_deref(d, pte), gather);
}

/*
 * The tables one map request may install, reserved before it changes
 * anything: a stack of zeroed tables and a stack of tables that will be
 * filled whole (leaf tables the request covers), each linked through its
 * first entry. Prepare counts them, commit takes them, and what a race
 * left unused is freed at the end.
 */
struct lpae_pool {
	arm_lpae_iopte	*zeroed;
	arm_lpae_iopte	*whole;
};

static void lpae_pool_push(arm_lpae_iopte **stack, arm_lpae_iopte *table)
{
	table[0] = (arm_lpae_iopte)(uintptr_t)*stack;
	*stack = table;
}

static arm_lpae_iopte *lpae_pool_pop(arm_lpae_iopte **stack)
{
	arm_lpae_iopte *table = *stack;

	if (table)
		*stack = (arm_lpae_iopte *)(uintptr_t)table[0];
	return table;
}

/*
 * Point the empty entry @ptep at @table, whose contents are written and
 * synced. Returns the entry now in place: ours, or another mapper's if it
 * won the race, and then @table is still the caller's.
 */
static arm_lpae_iopte lpae_publish_table(struct arm_lpae_io_pgtable *d,
					 arm_lpae_iopte *ptep,
					 arm_lpae_iopte *table)
{
	arm_lpae_iopte new, old;

	new = lpae_oa_to_pte(d, virt_to_phys(table)) | d->table_attrs |
	      ARM_LPAE_PTE_TYPE_TABLE;
	/* The walker must see the table's contents before the entry to it. */
	dma_wmb();
	old = cmpxchg64_relaxed(ptep, 0, new);
	if (old)
		return old;
	if (!d->coherent)
		return lpae_sync_table_entry(d, ptep, new);
	return new;
}

/*
 * Publish an empty table from @pool at @ptep. Returns the entry now in
 * place, another mapper's if it won the race (our table goes back to the
 * pool), or 0 if the pool is empty, which prepare makes sure it is not.
 */
static arm_lpae_iopte lpae_install_table(struct arm_lpae_io_pgtable *d,
					 arm_lpae_iopte *ptep,
					 struct lpae_pool *pool)
{
	arm_lpae_iopte *table = lpae_pool_pop(&pool->zeroed), pte;

	if (WARN_ON(!table))
		return 0;
	/* The link was the only entry written; the walker must see it 0. */
	table[0] = 0;
	lpae_sync(d, table, 1);
	pte = lpae_publish_table(d, ptep, table);
	if (lpae_deref(d, pte) != table)
		lpae_pool_push(&pool->zeroed, table);
	return pte;
}

/*
 * A mapper found the entry @ptep to a table marked for reclaim: clear the
 * mark, which keeps the table (the reclaim's cmpxchg of the marked entry
 * fails). Returns the entry as it is now: the table, or what replaced it
 * if the reclaim came first (0, or another mapper's table).
 */
static noinline arm_lpae_iopte lpae_rescue(struct arm_lpae_io_pgtable *d,
					   arm_lpae_iopte *ptep,
					   arm_lpae_iopte pte)
{
	arm_lpae_iopte old;

	while (pte & ARM_LPAE_PTE_SW_DYING) {
		old = cmpxchg64_relaxed(ptep, pte, pte & ~ARM_LPAE_PTE_SW_DYING);
		if (old == pte) {
			pte &= ~ARM_LPAE_PTE_SW_DYING;
			lpae_sync(d, ptep, 1);
			break;
		}
		pte = old;
	}
	return pte;
}

/*
 * One step of the descent at level @l: follow @iova's entry of *@table
 * into the next table, installing one from @pool where there is none.
 * A mapper (@map) keeps a table marked for reclaim.
 * False when the entry is not a table: *@stop is then the value it was
 * decided on (empty, or a leaf). Callers decide on that value, never on
 * a second read: the entry is shared with mappers of the rest of its
 * span, who may install a table there at any time.
 */
static __always_inline bool lpae_step(struct arm_lpae_io_pgtable *d, bool lpa,
				      unsigned long iova, unsigned int l,
				      bool map, struct lpae_pool *pool,
				      arm_lpae_iopte **table,
				      arm_lpae_iopte **up, arm_lpae_iopte *stop)
{
	arm_lpae_iopte *ptep = *table + lpae_idx(d, l, iova);
	arm_lpae_iopte pte = READ_ONCE(*ptep);

	if (map && unlikely(pte & ARM_LPAE_PTE_SW_DYING))
		pte = lpae_rescue(d, ptep, pte);
	if (pool && unlikely(!pte))
		pte = lpae_install_table(d, ptep, pool);
	/* l < the last level: a table is typed as one */
	if (unlikely((pte & ARM_LPAE_PTE_TYPE_MASK) != ARM_LPAE_PTE_TYPE_TABLE)) {
		*stop = pte;
		return false;
	}
	/* Only a mapper needs the walker to see the path it used. */
	if (map && unlikely(!d->coherent) && !(pte & ARM_LPAE_PTE_SW_SYNCED))
		lpae_sync_table_entry(d, ptep, pte);
	*table = phys_to_virt(__lpae_pte_to_oa(pte, lpa));
	*up = ptep;
	return true;
}

/*
 * The descent every operation shares: from the top level towards @lvl for
 * @iova. Returns the table holding the entry at the deepest level reached,
 * which *@reached gives: @lvl, or the first level whose entry is not a
 * table; *@stop is then the value of that entry the descent decided on
 * (0 when it reached @lvl). A mapper (@map) makes sure a non-coherent
 * walker sees the path, and with @pool installs the tables missing on it.
 * With @parent, *@parent is the entry pointing to the returned table (NULL
 * for the top level). @start and @lpa repeat the geometry's start level
 * and address layout: callers that dispatch on them pass constants, and
 * with a constant @lvl the steps fold away.
 */
static __always_inline arm_lpae_iopte *
lpae_descend(struct arm_lpae_io_pgtable *d, unsigned int start, bool lpa,
	     unsigned long iova, unsigned int lvl, bool map,
	     struct lpae_pool *pool, unsigned int *reached,
	     arm_lpae_iopte **parent, arm_lpae_iopte *stop)
{
	arm_lpae_iopte *table = d->pgd, *up = NULL;
	unsigned int l = lvl;

	*stop = 0;
	if (start <= 0 && lvl > 0 &&
	    !lpae_step(d, lpa, iova, 0, map, pool, &table, &up, stop))
		l = 0;
	else if (start <= 1 && lvl > 1 &&
		 !lpae_step(d, lpa, iova, 1, map, pool, &table, &up, stop))
		l = 1;
	else if (start <= 2 && lvl > 2 &&
		 !lpae_step(d, lpa, iova, 2, map, pool, &table, &up, stop))
		l = 2;
	*reached = max(l, start);
	if (parent)
		*parent = up;
	return table;
}

typedef int (*lpae_visit_fn)(struct arm_lpae_io_pgtable *d,
			     arm_lpae_iopte *ptep, unsigned int lvl,
			     unsigned long iova, u64 span, void *arg);

/*
 * Visit, in order, every entry that covers part of [@iova, @iova + @size):
 * tables are descended into down to @max_lvl, and @visit sees the rest
 * (empty entries, leaves, and tables at @max_lvl) with the part of the
 * range they cover. Inlined into each caller with its own visitor.
 */
static __always_inline int lpae_walk_range(struct arm_lpae_io_pgtable *d,
					   unsigned long iova, u64 size,
					   unsigned int max_lvl,
					   lpae_visit_fn visit, void *arg)
{
	arm_lpae_iopte *tables[ARM_LPAE_MAX_LEVELS];
	unsigned int lvl = d->start_level;
	int ret;

	tables[lvl] = d->pgd;
	while (size) {
		arm_lpae_iopte *ptep = tables[lvl] + lpae_idx(d, lvl, iova);
		arm_lpae_iopte pte = READ_ONCE(*ptep);
		u64 blk = lpae_block_size(d, lvl), span;

		if (lvl < max_lvl && lpae_pte_is_table(pte, lvl)) {
			tables[lvl + 1] = lpae_deref(d, pte);
			lvl++;
			continue;
		}
		span = min(blk - (iova & (blk - 1)), size);
		ret = visit(d, ptep, lvl, iova, span, arg);
		if (ret)
			return ret;
		iova += span;
		size -= span;
		/* Climb out of every table the step has left. */
		while (lvl > d->start_level && !lpae_idx(d, lvl, iova))
			lvl--;
	}
	return 0;
}

/*
 * Returning emptied tables. Mappers walk into tables without a lock, so
 * a table that unmap leaves empty (any table below the top level) goes
 * back in three steps:
 *
 * 1. Mark: the unmapper that empties it sets ARM_LPAE_PTE_SW_DYING in the
 *    entry above (the walker ignores the bit), and takes a grace-period
 *    cookie. A mapper that walks through a marked entry clears the mark
 *    (lpae_rescue()), and the table stays.
 * 2. Detach, in a later unmap once the grace period has passed. Map and
 *    unmap walk inside rcu_read_lock() (lpae_read_lock()), so every
 *    mapper that read the entry unmarked has finished, and its leaves are
 *    visible. If the table
 *    is still empty, one cmpxchg of the marked entry to 0 takes it (a
 *    rescue makes it fail), the walk caches for its span are invalidated
 *    with tlb_flush_walk(), and the table above is looked at in turn.
 * 3. Free, after a second grace period: lookups and unmaps of holes that
 *    were still reading the table are done.
 *
 * A map that may sleep between counting its tables and installing them,
 * and the dirty-tracking walk (whose recording may sleep), hold @pinners
 * instead of rcu_read_lock(), and no step is taken while one is in
 * flight: the detach would take a table the map counted on, and the free
 * one the walk may be reading (it takes @pinners before it reads an
 * entry, the detach clears the entry before it looks at @pinners).
 *
 * Only unmaps with a gather take part: drivers that pass none (the GPU
 * ones) flush only the range of each call after it, and their
 * tlb_flush_walk() may do nothing. A table that finds no free slot is
 * left unmarked and its span noted; once half the slots are free again,
 * the noted range is swept for empty tables.
 */

/*
 * The read side: map, unmap and lookups walk inside it when tables may
 * be reclaimed, and pay nothing otherwise.
 */
static __always_inline void lpae_read_lock(const struct arm_lpae_io_pgtable *d)
	__acquires(RCU)
{
	if (unlikely(d->reclaim))
		rcu_read_lock();
	else
		__acquire(RCU);
}

static __always_inline void lpae_read_unlock(const struct arm_lpae_io_pgtable *d)
	__releases(RCU)
{
	if (unlikely(d->reclaim))
		rcu_read_unlock();
	else
		__release(RCU);
}

/* Whether every entry of @table (at @lvl) is empty. */
static bool lpae_table_empty(const struct arm_lpae_io_pgtable *d,
			     unsigned int lvl, arm_lpae_iopte *table)
{
	size_t i, n = lpae_table_size(d, lvl) / sizeof(*table);

	for (i = 0; i < n; i++)
		if (READ_ONCE(table[i]))
			return false;
	return true;
}

/* Start the grace period a cookie waits for, where RCU lets us. */
static void lpae_reclaim_kick(void)
{
	if (!irqs_disabled())
		start_poll_synchronize_rcu();
}

/*
 * With reclaim_lock held: mark @table (at @lvl, for @iova, under the
 * entry @ptep) if it is empty, and give it a slot.
 */
static void lpae_reclaim_mark_locked(struct arm_lpae_io_pgtable *d,
				     arm_lpae_iopte *ptep, arm_lpae_iopte *table,
				     unsigned int lvl, unsigned long iova)
{
	arm_lpae_iopte pte = READ_ONCE(*ptep);
	struct lpae_reclaim_slot *s;
	unsigned int i;

	if (!lpae_pte_is_table(pte, lvl - 1) || (pte & ARM_LPAE_PTE_SW_DYING) ||
	    lpae_deref(d, pte) != table || !lpae_table_empty(d, lvl, table))
		return;
	/* A table marked before, then rescued, keeps its slot. */
	for (i = 0; i < d->nr_slots; i++)
		if (d->slot[i].table == table)
			break;
	if (i == LPAE_RECLAIM_SLOTS) {
		u64 span = lpae_block_size(d, lvl - 1);
		u64 lo = iova & ~(span - 1), hi = lo + span - 1;

		d->missed_lo = d->missed ? min(d->missed_lo, lo) : lo;
		d->missed_hi = d->missed ? max(d->missed_hi, hi) : hi;
		d->missed = true;
		return;
	}
	if (cmpxchg64_relaxed(ptep, pte, pte | ARM_LPAE_PTE_SW_DYING) != pte)
		return;
	lpae_sync(d, ptep, 1);
	s = &d->slot[i];
	s->table = table;
	s->iova = iova;
	s->lvl = lvl;
	s->flushing = false;
	s->detached = false;
	/* after the mark: the grace period covers whoever did not see it */
	s->cookie = get_state_synchronize_rcu();
	if (i == d->nr_slots)
		WRITE_ONCE(d->nr_slots, i + 1);
}

/*
 * An unmap cleared @n entries of @table from @iova's (at @lvl, under
 * @ptep, not the top level): if that left it empty, mark it. Inside
 * rcu_read_lock().
 */
static noinline void lpae_reclaim_look(struct arm_lpae_io_pgtable *d,
				       arm_lpae_iopte *ptep,
				       arm_lpae_iopte *table, unsigned int lvl,
				       unsigned long iova, size_t n)
{
	size_t idx = lpae_idx(d, lvl, iova), per = (size_t)d->idx_mask[lvl] + 1;
	size_t i, lo = round_down(idx, 8), hi = min(round_up(idx + n, 8), per);
	unsigned long flags;

	/*
	 * Two unmappers clearing the last entries of a table (neighbours,
	 * say) each read the other's after clearing their own: with a full
	 * barrier in between, one of them sees both cleared.
	 */
	smp_mb();
	/* the neighbours, the rest of their cache lines, then the table */
	if ((idx && READ_ONCE(table[idx - 1])) ||
	    (idx + n < per && READ_ONCE(table[idx + n])))
		return;
	for (i = lo; i < hi; i++)
		if ((i < idx || i >= idx + n) && READ_ONCE(table[i]))
			return;
	if (!lpae_table_empty(d, lvl, table))
		return;
	spin_lock_irqsave(&d->reclaim_lock, flags);
	lpae_reclaim_mark_locked(d, ptep, table, lvl, iova);
	spin_unlock_irqrestore(&d->reclaim_lock, flags);
	lpae_reclaim_kick();
}

/* After an unmap cleared @n entries of @table from @iova's at @lvl. */
static __always_inline void lpae_reclaim_check(struct arm_lpae_io_pgtable *d,
					       arm_lpae_iopte *ptep,
					       arm_lpae_iopte *table,
					       unsigned int lvl,
					       unsigned long iova, size_t n,
					       struct iommu_iotlb_gather *gather)
{
	if (likely(!d->reclaim) || !gather || !ptep || !n)
		return;
	lpae_reclaim_look(d, ptep, table, lvl, iova, n);
}

/*
 * The level-@lvl table for @iova, and in *@ptep the entry to it; NULL when
 * the walk stops above @lvl.
 */
static arm_lpae_iopte *lpae_table_at(struct arm_lpae_io_pgtable *d,
				     unsigned long iova, unsigned int lvl,
				     arm_lpae_iopte **ptep)
{
	arm_lpae_iopte *table, stop;
	unsigned int reached;

	table = lpae_descend(d, d->start_level, d->lpa, iova, lvl, false, NULL,
			     &reached, ptep, &stop);
	return reached == lvl ? table : NULL;
}

/* After a table below it went: the level-@lvl table for @iova. */
static noinline void lpae_reclaim_above(struct arm_lpae_io_pgtable *d,
					unsigned long iova, unsigned int lvl,
					struct iommu_iotlb_gather *gather)
{
	arm_lpae_iopte *table, *ptep;

	table = lpae_table_at(d, iova, lvl, &ptep);
	if (table)
		lpae_reclaim_check(d, ptep, table, lvl, iova, 1, gather);
}

/*
 * With reclaim_lock held: the table of @s, marked a grace period ago and
 * with no mapper pinning tables, goes if it is still marked and empty.
 * Returns true when the entry to it was cleared: the walk flush is then
 * the caller's, outside the lock.
 */
static bool lpae_reclaim_detach(struct arm_lpae_io_pgtable *d,
				struct lpae_reclaim_slot *s)
{
	arm_lpae_iopte *ptep, pte;
	bool done = false;

	rcu_read_lock();
	if (lpae_table_at(d, s->iova, s->lvl, &ptep) != s->table)
		goto out;
	pte = READ_ONCE(*ptep);
	if (!(pte & ARM_LPAE_PTE_SW_DYING) || lpae_deref(d, pte) != s->table)
		goto out;
	if (!lpae_table_empty(d, s->lvl, s->table)) {
		/* a mapper that did not see the mark used it */
		if (cmpxchg64_relaxed(ptep, pte,
				      pte & ~ARM_LPAE_PTE_SW_DYING) == pte)
			lpae_sync(d, ptep, 1);
		goto out;
	}
	if (cmpxchg64_relaxed(ptep, pte, 0) != pte)
		goto out;
	lpae_sync(d, ptep, 1);
	done = true;
out:
	rcu_read_unlock();
	return done;
}

/*
 * With reclaim_lock held: the walk flush of the detached table of @s is
 * done; its free waits for a second grace period, and the table that
 * held the entry to it may be empty now.
 */
static void lpae_reclaim_flushed(struct arm_lpae_io_pgtable *d,
				 struct lpae_reclaim_slot *s)
{
	arm_lpae_iopte *table, *ptep;

	s->flushing = false;
	s->detached = true;
	s->cookie = get_state_synchronize_rcu();
	if (s->lvl - 1 <= d->start_level)
		return;
	rcu_read_lock();
	table = lpae_table_at(d, s->iova, s->lvl - 1, &ptep);
	if (table)
		lpae_reclaim_mark_locked(d, ptep, table, s->lvl - 1, s->iova);
	rcu_read_unlock();
}

/*
 * With reclaim_lock held, inside rcu_read_lock(): mark the empty tables
 * below @table (at @lvl) that cover part of [@lo, @hi], deepest first
 * (a table above one that is marked is not empty yet; the detach of the
 * last below it looks at it).
 */
static void lpae_reclaim_sweep(struct arm_lpae_io_pgtable *d,
			       arm_lpae_iopte *table, unsigned int lvl,
			       u64 lo, u64 hi)
{
	u64 last, blk = lpae_block_size(d, lvl);
	arm_lpae_iopte *ptep, pte;

	for (;;) {
		ptep = table + lpae_idx(d, lvl, lo);
		pte = READ_ONCE(*ptep);
		last = lo | (blk - 1);
		if (lpae_pte_is_table(pte, lvl)) {
			if (lvl + 1 < ARM_LPAE_LAST_LEVEL)
				lpae_reclaim_sweep(d, lpae_deref(d, pte), lvl + 1,
						   lo, min(last, hi));
			lpae_reclaim_mark_locked(d, ptep, lpae_deref(d, pte),
						 lvl + 1, lo);
		}
		if (last >= hi)
			break;
		lo = last + 1;
	}
}

/* Tables one pass of the reclaim flushes or frees at most */
#define LPAE_RECLAIM_BATCH		8

/*
 * One pass over the slots: detach the tables whose first grace period has
 * passed and take those whose second has. Under the lock only the slots
 * and the entries change; the driver's tlb_flush_walk() and the frees
 * (the driver's cfg->free, perhaps) come after it, so that they may take
 * their own locks. Returns true when it did something.
 */
static bool lpae_reclaim_pass(struct arm_lpae_io_pgtable *d)
{
	struct lpae_reclaim_slot flush[LPAE_RECLAIM_BATCH];
	struct lpae_reclaim_slot done[LPAE_RECLAIM_BATCH];
	unsigned int i = 0, j, nflush = 0, ndone = 0;
	unsigned long flags;

	if (!spin_trylock_irqsave(&d->reclaim_lock, flags))
		return false;
	if (d->missed && d->nr_slots <= LPAE_RECLAIM_SLOTS / 2) {
		u64 lo = d->missed_lo, hi = d->missed_hi;

		d->missed = false;
		rcu_read_lock();
		lpae_reclaim_sweep(d, d->pgd, d->start_level, lo, hi);
		rcu_read_unlock();
	}
	while (i < d->nr_slots) {
		struct lpae_reclaim_slot *s = &d->slot[i];

		if (s->flushing || !poll_state_synchronize_rcu(s->cookie) ||
		    atomic_read_acquire(&d->pinners) ||
		    (s->detached ? ndone : nflush) == LPAE_RECLAIM_BATCH) {
			i++;
			continue;
		}
		if (s->detached) {
			done[ndone++] = *s;
		} else if (lpae_reclaim_detach(d, s)) {
			s->flushing = true;
			flush[nflush++] = *s;
			i++;
			continue;
		}
		*s = d->slot[d->nr_slots - 1];
		WRITE_ONCE(d->nr_slots, d->nr_slots - 1);
	}
	spin_unlock_irqrestore(&d->reclaim_lock, flags);

	for (j = 0; j < nflush; j++) {
		u64 span = lpae_block_size(d, flush[j].lvl - 1);

		/* An empty table: one invalidation of the entry to it. */
		io_pgtable_tlb_flush_walk(&d->iop, flush[j].iova & ~(span - 1),
					  span, span);
	}
	for (j = 0; j < ndone; j++)
		lpae_free_table(d, done[j].lvl, done[j].table, NULL);
	if (nflush) {
		spin_lock_irqsave(&d->reclaim_lock, flags);
		for (i = 0; i < d->nr_slots; i++)
			for (j = 0; j < nflush; j++)
				if (d->slot[i].flushing &&
				    d->slot[i].table == flush[j].table)
					lpae_reclaim_flushed(d, &d->slot[i]);
		spin_unlock_irqrestore(&d->reclaim_lock, flags);
	}
	return nflush || ndone;
}

/*
 * Move every slot whose grace period has passed on, as far as they go.
 * Called by unmaps with a gather, outside rcu_read_lock(); another caller
 * already at it is left to it.
 */
static noinline void lpae_reclaim_run(struct arm_lpae_io_pgtable *d)
{
	unsigned int pass;

	for (pass = 0; pass < 2 * ARM_LPAE_MAX_LEVELS; pass++)
		if (!lpae_reclaim_pass(d))
			break;
	if (READ_ONCE(d->nr_slots))
		lpae_reclaim_kick();
}

/*
 * Argument checks shared by map and unmap: @pgsize one of the page sizes,
 * @iova aligned to it, @pgcount at least 1 and the range inside the input
 * space. Returns the level that maps @pgsize, or -EINVAL/-ERANGE.
 */
static __always_inline int lpae_check_range(const struct arm_lpae_io_pgtable *d,
					    unsigned long iova, size_t pgsize,
					    size_t pgcount)
{
	unsigned int shift;
	int lvl;

	if (unlikely(!(pgsize & d->iop.cfg.pgsize_bitmap) ||
		     (pgsize & (pgsize - 1)) || (iova & (pgsize - 1)) ||
		     !pgcount))
		return -EINVAL;
	shift = __ffs(pgsize);
	lvl = d->pgsize_level[shift];
	if (unlikely(lvl < 0))
		return -EINVAL;
	if (unlikely((u64)pgcount > (U64_MAX >> shift) ||
		     !lpae_iova_ok(d, iova, (u64)pgcount << shift)))
		return -ERANGE;
	return lvl;
}

/*
 * Contiguous runs (IO_PGTABLE_QUIRK_ARM_CONTIG): a naturally aligned run of
 * entries with the contiguous hint maps as one TLB entry, and must stay
 * consistent: every entry valid, with the hint, the same attributes and
 * consecutive output addresses. An unmap of part of a run first rewrites
 * the run without the hint, by break-before-make. Its first entry is
 * swapped for ARM_LPAE_PTE_SW_BREAK, the others lose their valid bit and
 * keep the rest (a dirty state the walker set included); after the sync
 * and the walk flush they are valid again, the first last, and callers
 * that found the run mid-break wait for that.
 */

/* Wait until another caller's break-before-make of @ptep is over. */
static void lpae_wait_break(arm_lpae_iopte *ptep)
{
	arm_lpae_iopte pte;

	/* Acquire: pairs with the release of the entry that ends the break */
	while ((pte = smp_load_acquire(ptep)) && !(pte & ARM_LPAE_PTE_VALID))
		cpu_relax();
}

/*
 * Rewrite the run at entry @r of @table (level @lvl, the run mapping from
 * @riova) without the hint. Returns once the run is plain, whoever made it
 * so; the caller reads its entries again.
 */
static noinline void lpae_break_run(struct arm_lpae_io_pgtable *d,
				    arm_lpae_iopte *table, size_t r,
				    unsigned int lvl, unsigned long riova)
{
	size_t i, n = (size_t)1 << d->run_bits[lvl];
	arm_lpae_iopte *run = table + r, first, pte;

	first = READ_ONCE(run[0]);
	if (!(first & ARM_LPAE_PTE_VALID)) {
		lpae_wait_break(run);
		return;
	}
	if (!(first & ARM_LPAE_PTE_CONT) ||
	    cmpxchg64_relaxed(&run[0], first, ARM_LPAE_PTE_SW_BREAK) != first)
		return;
	for (i = 1; i < n; i++) {
		pte = READ_ONCE(run[i]);
		while (!try_cmpxchg64_relaxed(&run[i], &pte,
					      pte & ~ARM_LPAE_PTE_VALID))
			;
	}
	lpae_sync(d, run, n);
	/* Walkers may cache the entries apart: one invalidation each. */
	io_pgtable_tlb_flush_walk(&d->iop, riova,
				  lpae_block_size(d, lvl) << d->run_bits[lvl],
				  lpae_block_size(d, lvl));
	for (i = 1; i < n; i++)
		WRITE_ONCE(run[i], (READ_ONCE(run[i]) | ARM_LPAE_PTE_VALID) &
				   ~ARM_LPAE_PTE_CONT);
	lpae_sync(d, run + 1, n - 1);
	/* Release: the others are rewritten before a waiter sees the first */
	smp_store_release(&run[0], first & ~ARM_LPAE_PTE_CONT);
	lpae_sync(d, run, 1);
}

/*
 * Before @n entries from @iova's in @table (level @lvl) are unmapped:
 * break the runs they cover only in part, at either end. True when one
 * was broken or being broken, and the caller reads the entries again.
 */
static noinline bool lpae_break_edge_runs(struct arm_lpae_io_pgtable *d,
					  arm_lpae_iopte *table,
					  unsigned int lvl, unsigned long iova,
					  size_t n)
{
	size_t run = (size_t)1 << d->run_bits[lvl], idx = lpae_idx(d, lvl, iova);
	size_t ends[2] = { idx, idx + n - 1 }, e, r;
	u64 pgsize = lpae_block_size(d, lvl);
	bool broke = false;
	unsigned int k;

	for (k = 0; k < 2; k++) {
		arm_lpae_iopte pte;

		e = ends[k];
		pte = READ_ONCE(table[e]);
		if (pte && !(pte & ARM_LPAE_PTE_VALID)) {
			/* another caller's break, of a block or a run */
			lpae_wait_break(&table[e]);
			return true;
		}
		if (!(pte & ARM_LPAE_PTE_CONT))
			continue;
		r = e & ~(run - 1);
		if (r >= idx && r + run <= idx + n)
			continue;
		lpae_break_run(d, table, r, lvl,
			       iova - (idx - r) * pgsize);
		broke = true;
	}
	return broke;
}

/*
 * Map
 *
 * One algorithm, prepare then commit. Prepare walks the range without
 * changing anything: it refuses what must be refused (-EEXIST) and counts
 * the tables the request needs; then they are all allocated (-ENOMEM
 * changes nothing either). Commit installs them and writes the leaves,
 * and cannot fail: the entries of the range belong to this request alone,
 * and the only thing another mapper can do meanwhile is install a table
 * where prepare saw none, which commit then uses. The DMA API's case, one
 * table's worth into tables that exist, is the same algorithm with
 * nothing to count: one descent, the check, the writes.
 */

/* Write @n leaves from @ptep: @attrs, output addresses from @paddr. */
static __always_inline void lpae_make_leaves(struct arm_lpae_io_pgtable *d,
					     bool lpa, arm_lpae_iopte *ptep,
					     size_t n, arm_lpae_iopte attrs,
					     phys_addr_t paddr, size_t pgsize)
{
	arm_lpae_iopte pte = attrs | __lpae_oa_to_pte(paddr, lpa);
	size_t i;

	if (lpa) {
		/* PA[51:48] moves to bits [15:12]: no plain increment */
		for (i = 0; i < n; i++)
			WRITE_ONCE(ptep[i], attrs |
				   __lpae_oa_to_pte(paddr + i * pgsize, true));
	} else {
		for (i = 0; i < n; i++, pte += pgsize)
			WRITE_ONCE(ptep[i], pte);
	}
	lpae_sync(d, ptep, n);
}

/*
 * The @n entries from @ptep (level @lvl) where leaves are to go: 0 when
 * all are empty, 1 when some hold tables that map nothing (commit breaks
 * them), -EEXIST when any maps something.
 */
static noinline int lpae_check_leaves(struct arm_lpae_io_pgtable *d,
				      arm_lpae_iopte *ptep, size_t n,
				      unsigned int lvl)
{
	int ret = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		arm_lpae_iopte pte = READ_ONCE(ptep[i]);

		if (!pte)
			continue;
		if (!lpae_pte_is_table(pte, lvl) ||
		    !lpae_tree_is_empty(d, lvl + 1, lpae_deref(d, pte)))
			return -EEXIST;
		ret = 1;
	}
	return ret;
}

/* What a request needs, as prepare counts it. */
struct lpae_needs {
	size_t	zeroed;		/* empty tables to install */
	size_t	whole;		/* leaf tables it fills whole */
	bool	breaks;		/* empty tables where its leaves go */
	/* Per level, 1 + the index of the entry above the last table counted */
	u64	last[ARM_LPAE_MAX_LEVELS + 1];
};

/*
 * The tables a map of [@iova, @last] at @lvl needs below an empty entry of
 * level @r that covers it: at each level below @r, one per entry of the
 * level above that the range touches, a table an earlier piece of the
 * request counted (iommu_map()'s pieces of other sizes) once. Leaf tables
 * the range covers whole are counted apart: commit fills them before it
 * publishes them.
 */
static void lpae_count_tables(const struct arm_lpae_io_pgtable *d,
			      unsigned int r, unsigned int lvl, u64 iova,
			      u64 last, struct lpae_needs *needs)
{
	unsigned int k;

	for (k = r + 1; k <= lvl; k++) {
		unsigned int s = d->shift[k - 1];
		u64 mask = BIT_ULL(s) - 1, first = iova >> s, end = last >> s;
		bool head = iova & mask, tail = ~last & mask;
		s64 n, whole;

		if (needs->last[k] == first + 1) {
			first++;
			head = false;
		}
		needs->last[k] = end + 1;
		n = (s64)end - (s64)first + 1;
		if (n <= 0)
			continue;
		whole = n - head - tail;
		if (k == lvl && whole > 0) {
			needs->whole += whole;
			n -= whole;
		}
		needs->zeroed += n;
	}
}

/*
 * Whether a table on @iova's path above @lvl, where prepare's descent
 * found tables all the way, is marked for reclaim: it may be gone by the
 * time commit walks there. One that is gone already counts too.
 */
static bool lpae_path_dying(const struct arm_lpae_io_pgtable *d,
			    unsigned long iova, unsigned int lvl)
{
	arm_lpae_iopte *table = d->pgd, pte;
	unsigned int l;

	for (l = d->start_level; l < lvl; l++) {
		pte = READ_ONCE(table[lpae_idx(d, l, iova)]);
		if (!lpae_pte_is_table(pte, l))
			return true;
		if (pte & ARM_LPAE_PTE_SW_DYING)
			return true;
		table = lpae_deref(d, pte);
	}
	return false;
}

/*
 * Prepare: refuse the request (-EEXIST) if anything in the range is
 * mapped, and count what it needs, without changing anything. A table
 * marked for reclaim on the way counts as one more to have at hand.
 */
static noinline int lpae_map_prepare(struct arm_lpae_io_pgtable *d,
				     unsigned long iova, unsigned int lvl,
				     size_t pgcount, bool worst,
				     struct lpae_needs *needs)
{
	unsigned int reached, shift = d->shift[lvl];
	arm_lpae_iopte *table, stop;
	size_t n;
	int ret;

	while (pgcount) {
		if (worst) {
			/* what it would need with nothing below the top */
			table = d->pgd;
			reached = d->start_level;
			stop = 0;
		} else {
			table = lpae_descend(d, d->start_level, d->lpa, iova,
					     lvl, false, NULL, &reached, NULL,
					     &stop);
			if (unlikely(READ_ONCE(d->nr_slots)) &&
			    lpae_path_dying(d, iova, reached))
				needs->zeroed++;
		}
		if (reached < lvl) {
			u64 blk = lpae_block_size(d, reached);

			if (stop)
				return -EEXIST;
			n = min_t(u64, pgcount, (blk - (iova & (blk - 1))) >> shift);
			lpae_count_tables(d, reached, lvl, iova,
					  iova + ((u64)n << shift) - 1, needs);
		} else {
			n = min_t(u64, pgcount, lpae_entries_left(d, lvl, iova));
			if (worst)
				goto next;
			ret = lpae_check_leaves(d, table + lpae_idx(d, lvl, iova),
						n, lvl);
			if (ret < 0)
				return ret;
			needs->breaks |= ret;
		}
next:
		pgcount -= n;
		iova += (u64)n << shift;
	}
	return 0;
}

static void lpae_pool_free(struct arm_lpae_io_pgtable *d,
			   struct lpae_pool *pool)
{
	arm_lpae_iopte *table;

	while ((table = lpae_pool_pop(&pool->zeroed)))
		lpae_unused_table(d, table);
	while ((table = lpae_pool_pop(&pool->whole)))
		lpae_unused_table(d, table);
}

/*
 * Every table @needs says, or none: false when memory ran out. With a
 * reservation attached they come from it alone; a reservation that falls
 * short is the driver's miscount.
 */
static bool lpae_pool_fill(struct arm_lpae_io_pgtable *d,
			   struct lpae_pool *pool,
			   const struct lpae_needs *needs, gfp_t gfp)
{
	size_t size = lpae_table_size(d, ARM_LPAE_LAST_LEVEL), i;
	size_t total = needs->zeroed + needs->whole;
	arm_lpae_iopte *table;

	if (d->rsv) {
		if (WARN_ON(d->rsv->count < total))
			return false;
		for (i = 0; i < total; i++)
			lpae_pool_push(i < needs->zeroed ? &pool->zeroed :
				       &pool->whole, lpae_rsv_pop(d->rsv));
		d->rsv->taken += total;
		return true;
	}
	for (i = 0; i < total; i++) {
		if (i < needs->zeroed)
			table = lpae_alloc_table(d, ARM_LPAE_LAST_LEVEL, gfp);
		else
			table = io_pgtable_alloc_table_unzeroed(&d->iop.cfg,
								d->iop.cookie,
								size, gfp,
								d->iop.cfg.table_cache,
								d->table_limit);
		if (!table) {
			lpae_pool_free(d, pool);
			return false;
		}
		lpae_pool_push(i < needs->zeroed ? &pool->zeroed : &pool->whole,
			       table);
	}
	return true;
}

/*
 * Commit, one table's worth at a time: install what is missing, break
 * the empty tables in the way, write the leaves. A whole leaf table that
 * does not exist is filled aside and published full, so that its memory
 * is written once.
 */
static noinline void lpae_map_commit(struct arm_lpae_io_pgtable *d,
				     unsigned long iova, phys_addr_t paddr,
				     unsigned int lvl, size_t pgcount,
				     arm_lpae_iopte attrs,
				     const struct lpae_needs *needs,
				     struct lpae_pool *pool, size_t *mapped)
{
	size_t i, n, pgsize = lpae_block_size(d, lvl);
	size_t per = (size_t)d->idx_mask[lvl] + 1;
	unsigned int reached, shift = d->shift[lvl];
	arm_lpae_iopte *table, *ptep, pte, stop;

	while (pgcount) {
		n = min_t(u64, pgcount, lpae_entries_left(d, lvl, iova));
		table = lpae_descend(d, d->start_level, d->lpa, iova, lvl, true,
				     NULL, &reached, NULL, &stop);
		if (reached < lvl) {
			/* the tables above the leaf table first */
			if (reached < lvl - 1)
				table = lpae_descend(d, d->start_level, d->lpa,
						     iova, lvl - 1, true, pool,
						     &reached, NULL, &stop);
			ptep = table + lpae_idx(d, lvl - 1, iova);
			/* No one else maps in this table: it stays ours. */
			if (reached == lvl - 1 && n == per && pool->whole &&
			    !READ_ONCE(*ptep)) {
				table = lpae_pool_pop(&pool->whole);
				lpae_make_leaves(d, d->lpa, table, n, attrs,
						 paddr, pgsize);
				pte = lpae_publish_table(d, ptep, table);
				if (WARN_ON(lpae_deref(d, pte) != table))
					lpae_unused_table(d, table);
				goto next;
			}
			table = lpae_descend(d, d->start_level, d->lpa, iova,
					     lvl, true, pool, &reached, NULL,
					     &stop);
		}
		/* prepare saw to it that this cannot happen */
		if (WARN_ON(reached < lvl))
			return;
		ptep = table + lpae_idx(d, lvl, iova);
		if (needs->breaks) {
			for (i = 0; i < n; i++)
				if (READ_ONCE(ptep[i]))
					lpae_remove_table(d, &ptep[i], lvl,
							  iova + i * pgsize,
							  lpae_granule(d),
							  NULL);
		}
		lpae_make_leaves(d, d->lpa, ptep, n, attrs, paddr, pgsize);
next:
		*mapped += n << shift;
		iova += (u64)n << shift;
		paddr += (u64)n << shift;
		pgcount -= n;
	}
}

static noinline int lpae_map_range(struct arm_lpae_io_pgtable *d,
				   unsigned long iova, phys_addr_t paddr,
				   unsigned int lvl, size_t pgcount,
				   arm_lpae_iopte attrs, gfp_t gfp,
				   size_t *mapped)
{
	bool sleep = gfpflags_allow_blocking(gfp), pin = sleep && d->reclaim;
	struct lpae_needs needs = {};
	struct lpae_pool pool = {};
	int ret;

	/*
	 * A map that may sleep for its tables leaves rcu_read_lock() to
	 * allocate them; the tables it counted on must stay meanwhile.
	 */
	lpae_read_lock(d);
	if (pin)
		atomic_inc(&d->pinners);
	ret = lpae_map_prepare(d, iova, lvl, pgcount, false, &needs);
	if (sleep) {
		lpae_read_unlock(d);
		if (!ret && !lpae_pool_fill(d, &pool, &needs, gfp))
			ret = -ENOMEM;
		lpae_read_lock(d);
	} else if (!ret && !lpae_pool_fill(d, &pool, &needs, gfp)) {
		ret = -ENOMEM;
	}
	if (!ret)
		lpae_map_commit(d, iova, paddr, lvl, pgcount, attrs, &needs,
				&pool, mapped);
	lpae_read_unlock(d);
	if (pin) {
		/* the reclaim that sees the count drop sees our entries */
		smp_mb__before_atomic();
		atomic_dec(&d->pinners);
	}
	/* Tables other mappers installed first are left over. */
	lpae_pool_free(d, &pool);
	return ret;
}

/*
 * The DMA API's case: @pgcount leaves within one table, the tables on the
 * way there already in place. Prepare and commit in one descent. Returns
 * 0, -EEXIST, or -EAGAIN when tables are missing or in the way and the
 * general path must count and install them.
 */
static __always_inline int lpae_map_in_table(struct arm_lpae_io_pgtable *d,
					     unsigned int start, bool lpa,
					     unsigned long iova,
					     phys_addr_t paddr,
					     unsigned int lvl, size_t pgcount,
					     arm_lpae_iopte attrs)
{
	arm_lpae_iopte *table, *ptep, stop;
	unsigned int reached;

	table = lpae_descend(d, start, lpa, iova, lvl, true, NULL, &reached,
			     NULL, &stop);
	if (unlikely(reached < lvl))
		return stop ? -EEXIST : -EAGAIN;
	ptep = table + lpae_idx(d, lvl, iova);
	if (unlikely(pgcount == 1 ? READ_ONCE(*ptep) :
		     !!memchr_inv(ptep, 0, pgcount * sizeof(*ptep))))
		return lpae_check_leaves(d, ptep, pgcount, lvl) < 0 ? -EEXIST :
								      -EAGAIN;
	lpae_make_leaves(d, lpa, ptep, pgcount, attrs, paddr,
			 lpae_block_size(d, lvl));
	return 0;
}

static int lpae_map_pages(struct io_pgtable_ops *ops, unsigned long iova,
			  phys_addr_t paddr, size_t pgsize, size_t pgcount,
			  int prot, gfp_t gfp, size_t *mapped)
{
	struct arm_lpae_io_pgtable *d = to_lpae(ops);
	arm_lpae_iopte attrs;
	int ret = -EAGAIN;
	int lvl;

	lvl = lpae_check_range(d, iova, pgsize, pgcount);
	if (unlikely(lvl < 0))
		return lvl;
	if (unlikely((paddr & (pgsize - 1)) ||
		     !(prot & (IOMMU_READ | IOMMU_WRITE)) ||
		     WARN_ON(gfp & __GFP_HIGHMEM)))
		return -EINVAL;
	if (unlikely(!lpae_oa_ok(d, paddr, (u64)pgcount * pgsize)))
		return -ERANGE;

	attrs = d->prot_pte[prot & LPAE_PROT_MASK];
	if (lvl == ARM_LPAE_LAST_LEVEL)
		attrs |= d->page_type;
	else
		attrs |= ARM_LPAE_PTE_TYPE_BLOCK;
	/* A contiguous size: runs of entries of the level, with the hint */
	if (unlikely(d->pgsize_run[__ffs(pgsize)])) {
		pgcount <<= d->pgsize_run[__ffs(pgsize)];
		pgsize = lpae_block_size(d, lvl);
		attrs |= ARM_LPAE_PTE_CONT;
	}

	if (likely(pgcount <= lpae_entries_left(d, lvl, iova))) {
		lpae_read_lock(d);
		/* Pages of the granule, the DMA API's case, get it unrolled. */
		switch (lvl == ARM_LPAE_LAST_LEVEL ? d->walk : LPAE_WALK_GENERIC) {
		case LPAE_WALK_FROM_L0:
			ret = lpae_map_in_table(d, 0, false, iova, paddr,
						ARM_LPAE_LAST_LEVEL, pgcount,
						attrs);
			break;
		case LPAE_WALK_FROM_L1:
			ret = lpae_map_in_table(d, 1, false, iova, paddr,
						ARM_LPAE_LAST_LEVEL, pgcount,
						attrs);
			break;
		case LPAE_WALK_FROM_L2:
			ret = lpae_map_in_table(d, 2, false, iova, paddr,
						ARM_LPAE_LAST_LEVEL, pgcount,
						attrs);
			break;
		default:
			ret = lpae_map_in_table(d, d->start_level, d->lpa, iova,
						paddr, lvl, pgcount, attrs);
		}
		lpae_read_unlock(d);
		if (likely(!ret))
			*mapped += pgsize * pgcount;
	}
	if (ret == -EAGAIN)
		ret = lpae_map_range(d, iova, paddr, lvl, pgcount, attrs, gfp,
				     mapped);
	if (likely(!ret)) {
		/*
		 * As in 6.12: the new entries are in memory before anything
		 * the caller does next can start a walk of them, even a
		 * relaxed MMIO write to a device.
		 */
		wmb();
		return 0;
	}
	WARN_ON(ret == -EEXIST &&
		!(d->iop.cfg.quirks & IO_PGTABLE_QUIRK_NO_WARN));
	return ret;
}

/*
 * Unmap
 */

/*
 * Remove a whole table of leaves at once when the request covers it: one
 * entry to clear and one walk-cache flush (which invalidates the leaves
 * below the entry too) instead of a TLB invalidation per leaf.
 */
static bool lpae_unmap_whole_table(struct arm_lpae_io_pgtable *d,
				   arm_lpae_iopte *parent, unsigned int lvl,
				   arm_lpae_iopte *table, unsigned long iova,
				   struct iommu_iotlb_gather *gather)
{
	size_t i, n = (size_t)d->idx_mask[lvl] + 1;

	for (i = 0; i < n; i++)
		if (!lpae_pte_is_leaf(READ_ONCE(table[i]), lvl))
			return false;

	lpae_remove_table(d, parent, lvl - 1, iova, lpae_block_size(d, lvl),
			  gather);
	return true;
}

/*
 * @n leaves from @ptep, for [@iova, @iova + @n * @pgsize), were cleared:
 * make that visible to the walker, then have the driver invalidate them.
 * The order matters: arm-smmu invalidates from tlb_add_page() itself, and
 * a walk between the two would cache the old entries again. Drivers that
 * pass no gather (the GPU ones) invalidate after the call, and a queued
 * gather is flushed whole later: no tlb_add_page() for them, as in 6.12.
 */
static __always_inline void
lpae_invalidate_leaves(struct arm_lpae_io_pgtable *d, arm_lpae_iopte *ptep,
		       size_t n, unsigned long iova, size_t pgsize,
		       struct iommu_iotlb_gather *gather)
{
	size_t i;

	lpae_sync(d, ptep, n);
	if (gather && !gather->queued)
		for (i = 0; i < n; i++)
			io_pgtable_tlb_add_page(&d->iop, gather,
						iova + i * pgsize, pgsize);
}

/*
 * As lpae_invalidate_leaves(), for leaves at @lvl whose values, ANDed
 * together, were @all: whole contiguous runs are invalidated once each,
 * as the one TLB entry they are.
 */
static __always_inline void
lpae_invalidate_cleared(struct arm_lpae_io_pgtable *d, arm_lpae_iopte *ptep,
			size_t n, unsigned long iova, unsigned int lvl,
			arm_lpae_iopte all, struct iommu_iotlb_gather *gather)
{
	size_t pgsize = lpae_block_size(d, lvl), i;
	unsigned int run = d->run_bits[lvl];

	if (likely(!run || !(all & ARM_LPAE_PTE_CONT)) || !n ||
	    (n & ((1UL << run) - 1)) ||
	    (lpae_idx(d, lvl, iova) & ((1UL << run) - 1))) {
		lpae_invalidate_leaves(d, ptep, n, iova, pgsize, gather);
		return;
	}
	/* every cleared entry synced, then one invalidation per run */
	lpae_sync(d, ptep, n);
	if (gather && !gather->queued)
		for (i = 0; i < n >> run; i++)
			io_pgtable_tlb_add_page(&d->iop, gather,
						iova + (i << run) * pgsize,
						pgsize << run);
}

/*
 * Splitting a block. Unmapping part of a block needs tables that keep
 * mapping the rest of it; the architecture does not let a block become a
 * table in one write (the walker could cache both, or report a conflict),
 * so it goes by break-before-make: the tables are built aside, the block
 * entry is replaced by an invalid one and synced, the block's range is
 * invalidated, and only then is the table installed. With
 * IO_PGTABLE_QUIRK_ARM_BBML2 the walker tolerates the table in place of
 * the block directly, and the invalidation follows it.
 */

/* A table for a split: from the reservation, else taken in atomic context. */
static arm_lpae_iopte *lpae_take_table(struct arm_lpae_io_pgtable *d)
{
	if (d->rsv) {
		if (WARN_ON(!d->rsv->count))
			return NULL;
		d->rsv->taken++;
		return lpae_rsv_pop(d->rsv);
	}
	return io_pgtable_alloc_table_unzeroed(&d->iop.cfg, d->iop.cookie,
					       lpae_table_size(d, ARM_LPAE_LAST_LEVEL),
					       GFP_ATOMIC, d->iop.cfg.table_cache,
					       d->table_limit);
}

static arm_lpae_iopte lpae_table_pte(const struct arm_lpae_io_pgtable *d,
				     arm_lpae_iopte *table)
{
	arm_lpae_iopte pte = lpae_oa_to_pte(d, virt_to_phys(table)) |
			     d->table_attrs | ARM_LPAE_PTE_TYPE_TABLE;

	/* Split tables are synced whole before they are reachable. */
	return d->coherent ? pte : pte | ARM_LPAE_PTE_SW_SYNCED;
}

/*
 * Fill the chain of tables @tables[@bl + 1 .. @deepest] that maps what the
 * block @blk (level @bl) mapped, but [@iova, @iova + @len): @len lies in
 * one entry of each level above @deepest, so one entry per table leads to
 * the next, and the rest are leaves of the block's attributes.
 */
static void lpae_fill_split(struct arm_lpae_io_pgtable *d,
			    arm_lpae_iopte **tables, unsigned int bl,
			    unsigned int deepest, arm_lpae_iopte blk,
			    unsigned long iova, u64 len)
{
	arm_lpae_iopte attrs = blk & ~(ARM_LPAE_PTE_ADDR_MASK |
				       ARM_LPAE_PTE_TYPE_MASK |
				       ARM_LPAE_PTE_CONT);
	u64 base = iova & ~(lpae_block_size(d, bl) - 1);
	phys_addr_t oa = lpae_pte_to_oa(d, blk);
	size_t i, n = (size_t)1 << d->bits_per_level;
	unsigned int k;

	for (k = deepest; k > bl; k--) {
		u64 esz = lpae_block_size(d, k);
		u64 e = iova & ~(lpae_block_size(d, k - 1) - 1);
		arm_lpae_iopte type = k == ARM_LPAE_LAST_LEVEL ? d->page_type :
					ARM_LPAE_PTE_TYPE_BLOCK;
		arm_lpae_iopte *table = tables[k];

		for (i = 0; i < n; i++, e += esz) {
			if (e >= iova && e - iova + esz <= len)
				table[i] = 0;
			else if (e <= iova && iova - e < esz)
				table[i] = lpae_table_pte(d, tables[k + 1]);
			else
				table[i] = attrs | type |
					   lpae_oa_to_pte(d, oa + (e - base));
		}
		lpae_sync(d, table, n);
	}
}

/*
 * Unmap @n pages of level @lvl from @iova, within one table of that level,
 * out of the block @blk at @ptep (level @bl). Returns @n; 0 when the
 * tables could not be had, with nothing changed; -EAGAIN when another
 * caller changed the entry first, and the caller walks again.
 */
static noinline ssize_t lpae_split_block(struct arm_lpae_io_pgtable *d,
					 arm_lpae_iopte *ptep, unsigned int bl,
					 arm_lpae_iopte blk, unsigned long iova,
					 unsigned int lvl, size_t n,
					 struct iommu_iotlb_gather *gather)
{
	bool bbml2 = d->iop.cfg.quirks & IO_PGTABLE_QUIRK_ARM_BBML2;
	arm_lpae_iopte *tables[ARM_LPAE_MAX_LEVELS + 1] = {};
	size_t i, pgsize = lpae_block_size(d, lvl);
	u64 bsize = lpae_block_size(d, bl), len = (u64)n * pgsize;
	u64 above = lpae_block_size(d, lvl - 1);
	unsigned int k, deepest = lvl;
	arm_lpae_iopte new = 0, old;
	ssize_t ret = n;

	/* A whole entry of the level above needs no table of this level. */
	if (!(iova & (above - 1)) && len == above)
		deepest = lvl - 1;
	for (k = bl + 1; k <= deepest; k++) {
		tables[k] = lpae_take_table(d);
		if (!tables[k]) {
			ret = 0;
			goto out_unused;
		}
	}
again:
	if (deepest > bl) {
		lpae_fill_split(d, tables, bl, deepest, blk, iova, len);
		new = lpae_table_pte(d, tables[bl + 1]);
		/* The walker must see the tables before the entry to them. */
		dma_wmb();
	}
	old = cmpxchg64_relaxed(ptep, blk, !new ? 0 : bbml2 ? new :
					    ARM_LPAE_PTE_SW_BREAK);
	if (old != blk) {
		/* The walker marked the block dirty meanwhile: keep that. */
		if (lpae_pte_is_leaf(old, bl) &&
		    (old ^ blk) == ARM_LPAE_PTE_AP_RDONLY) {
			blk = old;
			goto again;
		}
		ret = -EAGAIN;
		goto out_unused;
	}
	lpae_sync(d, ptep, 1);
	if (new) {
		/* The block is the one leaf there: one invalidation of it. */
		io_pgtable_tlb_flush_walk(&d->iop, iova & ~(bsize - 1), bsize,
					  bsize);
		if (!bbml2) {
			WRITE_ONCE(*ptep, new);
			lpae_sync(d, ptep, 1);
		}
	}
	if (gather && !gather->queued)
		for (i = 0; i < n; i++)
			io_pgtable_tlb_add_page(&d->iop, gather,
						iova + i * pgsize, pgsize);
	return ret;

out_unused:
	for (k = bl + 1; k <= deepest; k++)
		if (tables[k])
			lpae_unused_table(d, tables[k]);
	return ret;
}

/*
 * The unmap of @pgcount pages at @lvl from @iova, @n of them in the first
 * table of that level, found the entry @stop at @ptep (level @bl) instead
 * of a table: nothing mapped (0), a block being split by another caller
 * (wait for it: -EAGAIN), a block the request covers whole (it goes at
 * once: the pages it held), or a block to split (@n pages).
 */
static noinline ssize_t lpae_unmap_in_block(struct arm_lpae_io_pgtable *d,
					    arm_lpae_iopte *ptep,
					    unsigned int bl, arm_lpae_iopte stop,
					    unsigned long iova, unsigned int lvl,
					    size_t n, size_t pgcount,
					    struct iommu_iotlb_gather *gather)
{
	u64 bsize = lpae_block_size(d, bl);

	if (stop && !(stop & ARM_LPAE_PTE_VALID)) {
		/* another caller's break, of a block or a run */
		lpae_wait_break(ptep);
		return -EAGAIN;
	}
	if (!lpae_pte_is_leaf(stop, bl))
		return 0;
	if (d->iop.cfg.quirks & IO_PGTABLE_QUIRK_NO_SPLIT) {
		WARN_ON(!(d->iop.cfg.quirks & IO_PGTABLE_QUIRK_NO_WARN));
		return 0;
	}
	if (stop & ARM_LPAE_PTE_CONT) {
		/* One block of a run: make the run plain blocks first. */
		size_t idx = lpae_idx(d, bl, iova);
		size_t r = idx & ~(((size_t)1 << d->run_bits[bl]) - 1);

		lpae_break_run(d, ptep - idx, r, bl,
			       (iova & ~(bsize - 1)) - (idx - r) * bsize);
		return -EAGAIN;
	}
	if (!(iova & (bsize - 1)) &&
	    pgcount >= bsize >> d->shift[lvl]) {
		/* No one else may use any of it: clear it like a leaf. */
		WRITE_ONCE(*ptep, 0);
		lpae_invalidate_leaves(d, ptep, 1, iova, bsize, gather);
		return bsize >> d->shift[lvl];
	}
	return lpae_split_block(d, ptep, bl, stop, iova, lvl, n, gather);
}

/*
 * Unmap up to @pgcount leaves at @lvl from @iova, within one table.
 * Returns the number unmapped; fewer than asked for at a hole or a larger
 * block.
 */
static __always_inline size_t
lpae_unmap_in_table(struct arm_lpae_io_pgtable *d, unsigned int start,
		    bool lpa, unsigned long iova, unsigned int lvl,
		    size_t pgcount, struct iommu_iotlb_gather *gather)
{
	size_t i, first, n, pgsize = lpae_block_size(d, lvl);
	arm_lpae_iopte *table, *ptep, *parent, pte, stop, all = ~0ULL;
	unsigned int reached;
	ssize_t ret;

again:
	table = lpae_descend(d, start, lpa, iova, lvl, false, NULL, &reached,
			     &parent, &stop);
	ptep = table + lpae_idx(d, reached, iova);
	n = min_t(u64, pgcount, lpae_entries_left(d, lvl, iova));
	if (unlikely(reached < lvl)) {
		ret = lpae_unmap_in_block(d, ptep, reached, stop, iova, lvl, n,
					  pgcount, gather);
		if (ret == -EAGAIN)
			goto again;
		if (ret > 0 && !READ_ONCE(*ptep))
			lpae_reclaim_check(d, parent, table, reached, iova, 1,
					   gather);
		return ret;
	}
	if (unlikely(n == (size_t)d->idx_mask[lvl] + 1) && parent &&
	    lpae_unmap_whole_table(d, parent, lvl, table, iova, gather)) {
		if (unlikely(d->reclaim) && gather)
			lpae_reclaim_above(d, iova, lvl - 1, gather);
		return n;
	}
	if (unlikely(d->run_bits[lvl]) &&
	    lpae_break_edge_runs(d, table, lvl, iova, n))
		goto again;

	for (i = first = 0; i < n; i++) {
		pte = READ_ONCE(ptep[i]);
		if (unlikely(!pte))
			break;
		if (likely(!lpae_pte_is_table(pte, lvl))) {
			WRITE_ONCE(ptep[i], 0);
			all &= pte;
			continue;
		}
		/* Its walk flush covers the leaves below; none of their own. */
		lpae_invalidate_cleared(d, ptep + first, i - first,
					iova + first * pgsize, lvl, all, gather);
		lpae_remove_table(d, &ptep[i], lvl, iova + i * pgsize,
				  lpae_granule(d), gather);
		first = i + 1;
		all = ~0ULL;
	}
	lpae_invalidate_cleared(d, ptep + first, i - first,
				iova + first * pgsize, lvl, all, gather);
	lpae_reclaim_check(d, parent, table, lvl, iova, i, gather);
	return i;
}

/*
 * After unmapping [@iova, @iova + @size): remove the tables below @table
 * (at @lvl) that lie wholly inside the range and were left empty. No other
 * caller may use them, so they can go; tables only partly inside may be
 * in use by a mapper of the rest.
 */
static void lpae_prune(struct arm_lpae_io_pgtable *d, arm_lpae_iopte *table,
		       unsigned int lvl, unsigned long iova, u64 size,
		       struct iommu_iotlb_gather *gather)
{
	u64 blk = lpae_block_size(d, lvl);

	while (size) {
		arm_lpae_iopte *ptep = table + lpae_idx(d, lvl, iova);
		arm_lpae_iopte pte = READ_ONCE(*ptep);
		u64 off = iova & (blk - 1), span = min(blk - off, size);

		if (lpae_pte_is_table(pte, lvl)) {
			if (off || span < blk)
				lpae_prune(d, lpae_deref(d, pte), lvl + 1, iova,
					   span, gather);
			else if (lpae_tree_is_empty(d, lvl + 1,
						    lpae_deref(d, pte)))
				lpae_remove_table(d, ptep, lvl, iova,
						  lpae_granule(d), gather);
		}
		iova += span;
		size -= span;
	}
}

static noinline size_t lpae_unmap_range(struct arm_lpae_io_pgtable *d,
					unsigned long iova, unsigned int lvl,
					size_t pgcount,
					struct iommu_iotlb_gather *gather)
{
	size_t n, left, unmapped = 0;
	u64 pgsize = lpae_block_size(d, lvl);

	do {
		left = min_t(u64, pgcount, lpae_entries_left(d, lvl, iova));
		n = lpae_unmap_in_table(d, d->start_level, d->lpa, iova, lvl,
					pgcount, gather);
		unmapped += n * pgsize;
		iova += n * pgsize;
		pgcount -= n;
		/* more than a table's worth when a whole block went */
	} while (n >= left && pgcount);

	/* Leaf tables went whole; tables of them may now be empty too. */
	if (lvl > d->start_level + 1 &&
	    unmapped >= lpae_block_size(d, lvl - 2))
		lpae_prune(d, d->pgd, d->start_level, iova - unmapped,
			   unmapped, gather);
	return unmapped;
}

static size_t lpae_unmap_pages(struct io_pgtable_ops *ops, unsigned long iova,
			       size_t pgsize, size_t pgcount,
			       struct iommu_iotlb_gather *gather)
{
	struct arm_lpae_io_pgtable *d = to_lpae(ops);
	int lvl = lpae_check_range(d, iova, pgsize, pgcount);
	size_t n;

	if (unlikely(lvl < 0))
		return 0;
	if (unlikely(d->pgsize_run[__ffs(pgsize)])) {
		pgcount <<= d->pgsize_run[__ffs(pgsize)];
		pgsize = lpae_block_size(d, lvl);
	}
	lpae_read_lock(d);
	if (unlikely(pgcount > lpae_entries_left(d, lvl, iova))) {
		n = lpae_unmap_range(d, iova, lvl, pgcount, gather);
		goto out;
	}

	switch (lvl == ARM_LPAE_LAST_LEVEL ? d->walk : LPAE_WALK_GENERIC) {
	case LPAE_WALK_FROM_L0:
		n = lpae_unmap_in_table(d, 0, false, iova, ARM_LPAE_LAST_LEVEL,
					pgcount, gather);
		break;
	case LPAE_WALK_FROM_L1:
		n = lpae_unmap_in_table(d, 1, false, iova, ARM_LPAE_LAST_LEVEL,
					pgcount, gather);
		break;
	case LPAE_WALK_FROM_L2:
		n = lpae_unmap_in_table(d, 2, false, iova, ARM_LPAE_LAST_LEVEL,
					pgcount, gather);
		break;
	default:
		n = lpae_unmap_in_table(d, d->start_level, d->lpa, iova, lvl,
					pgcount, gather);
	}
	n *= pgsize;
out:
	lpae_read_unlock(d);
	/* Emptied tables whose grace period has passed move on. */
	if (unlikely(d->reclaim) && gather &&
	    (READ_ONCE(d->nr_slots) || READ_ONCE(d->missed)))
		lpae_reclaim_run(d);
	return n;
}

/*
 * Reservations (GPU VM_BIND): the count of the tables a request needs,
 * and the pool it is reserved in. A map is counted by map's own prepare,
 * one piece per page size as iommu_map() splits it.
 */

/*
 * The page size iommu_map() picks for the start of [@iova, @iova + @size)
 * to @paddr from @bitmap, and in *@count how many of them before a larger
 * size can take over.
 */
static size_t lpae_split_pgsize(unsigned long bitmap, unsigned long iova,
				phys_addr_t paddr, size_t size, size_t *count)
{
	unsigned long merged = iova | paddr, sizes, larger;
	size_t pgsize, next, offset;
	unsigned int shift;

	sizes = bitmap & GENMASK(__fls(size), 0);
	if (merged)
		sizes &= GENMASK(__ffs(merged), 0);
	if (!sizes)
		return 0;
	shift = __fls(sizes);
	pgsize = BIT(shift);
	*count = size >> shift;
	larger = bitmap & ~GENMASK(shift, 0);
	if (larger) {
		next = BIT(__ffs(larger));
		offset = next - (merged & (next - 1));
		/* The larger size only if iova and paddr agree within it */
		if (!((iova ^ paddr) & (next - 1)) && offset <= size - next &&
		    next <= size)
			*count = offset >> shift;
	}
	return pgsize;
}

static int lpae_count_map(struct arm_lpae_io_pgtable *d, unsigned long iova,
			  phys_addr_t paddr, size_t size, unsigned long pgsizes,
			  bool worst, struct lpae_needs *c)
{
	unsigned long bitmap = pgsizes & d->iop.cfg.pgsize_bitmap;
	size_t pgsize, count;
	int ret;

	if (!bitmap || !size || ((iova | paddr | size) & (BIT(__ffs(bitmap)) - 1)) ||
	    !lpae_iova_ok(d, iova, size) || !lpae_oa_ok(d, paddr, size))
		return -EINVAL;
	while (size) {
		pgsize = lpae_split_pgsize(bitmap, iova, paddr, size, &count);
		if (WARN_ON(!pgsize))
			return -EINVAL;
		ret = lpae_map_prepare(d, iova, d->pgsize_level[__ffs(pgsize)],
				       count << d->pgsize_run[__ffs(pgsize)],
				       worst, c);
		if (ret)
			return ret;
		iova += pgsize * count;
		paddr += pgsize * count;
		size -= pgsize * count;
	}
	return 0;
}

/*
 * An unmap that starts or ends at @e, inside a block, splits it: one table
 * per level from below the block's to the first level @e is aligned to.
 */
static void lpae_count_split(struct arm_lpae_io_pgtable *d, u64 e, bool worst,
			     struct lpae_needs *c)
{
	unsigned int bl, k;
	arm_lpae_iopte stop;

	if (!lpae_iova_ok(d, e, 1))
		return;
	if (worst) {
		for (bl = d->start_level; bl < ARM_LPAE_LAST_LEVEL; bl++)
			if (d->pgsize_level[d->shift[bl]] == bl)
				break;
	} else {
		lpae_descend(d, d->start_level, d->lpa, e, ARM_LPAE_LAST_LEVEL,
			     false, NULL, &bl, NULL, &stop);
		if (bl == ARM_LPAE_LAST_LEVEL || !lpae_pte_is_leaf(stop, bl))
			return;
	}
	for (k = bl + 1; k <= ARM_LPAE_LAST_LEVEL &&
	     (e & (lpae_block_size(d, k - 1) - 1)); k++) {
		if (c->last[k] != (e >> d->shift[k - 1]) + 1)
			c->zeroed++;
		c->last[k] = (e >> d->shift[k - 1]) + 1;
	}
}

static int lpae_count_op(struct io_pgtable_ops *ops, bool unmap,
			 unsigned long iova, phys_addr_t paddr, size_t size,
			 unsigned long pgsizes, unsigned int flags,
			 size_t *tables)
{
	struct arm_lpae_io_pgtable *d = to_lpae(ops);
	bool worst = flags & IO_PGTABLE_COUNT_WORST;
	struct lpae_needs c = {};
	int ret = 0;

	if (flags & ~IO_PGTABLE_COUNT_WORST)
		return -EINVAL;
	lpae_read_lock(d);
	if (!unmap) {
		ret = lpae_count_map(d, iova, paddr, size, pgsizes, worst, &c);
	} else if (!size || ((iova | size) & (lpae_granule(d) - 1)) ||
		   !lpae_iova_ok(d, iova, size)) {
		ret = -EINVAL;
	} else if (!(d->iop.cfg.quirks & IO_PGTABLE_QUIRK_NO_SPLIT)) {
		lpae_count_split(d, iova, worst, &c);
		lpae_count_split(d, (u64)iova + size, worst, &c);
	}
	lpae_read_unlock(d);
	*tables = ret ? 0 : c.zeroed + c.whole;
	return ret;
}

static int lpae_reserve(struct io_pgtable_ops *ops,
			struct io_pgtable_reservation *rsv, size_t count,
			gfp_t gfp)
{
	struct arm_lpae_io_pgtable *d = to_lpae(ops);
	struct io_pgtable_reservation more = {};
	arm_lpae_iopte *table;

	if ((rsv->ops && rsv->ops != ops) || WARN_ON(d->rsv == rsv) ||
	    WARN_ON(gfp & __GFP_HIGHMEM))
		return -EINVAL;
	while (more.count < count) {
		table = lpae_alloc_table(d, ARM_LPAE_LAST_LEVEL, gfp);
		if (!table) {
			while ((table = lpae_rsv_pop(&more)))
				lpae_release_table(d, ARM_LPAE_LAST_LEVEL, table);
			return -ENOMEM;
		}
		lpae_rsv_push(&more, table);
	}
	while ((table = lpae_rsv_pop(&more)))
		lpae_rsv_push(rsv, table);
	rsv->ops = ops;
	return 0;
}

static void lpae_unreserve(struct io_pgtable_ops *ops,
			   struct io_pgtable_reservation *rsv, size_t keep)
{
	struct arm_lpae_io_pgtable *d = to_lpae(ops);

	if (WARN_ON(d->rsv == rsv) || WARN_ON(rsv->ops && rsv->ops != ops))
		return;
	while (rsv->count > keep)
		lpae_release_table(d, ARM_LPAE_LAST_LEVEL, lpae_rsv_pop(rsv));
}

static void lpae_attach_reservation(struct io_pgtable_ops *ops,
				    struct io_pgtable_reservation *rsv)
{
	struct arm_lpae_io_pgtable *d = to_lpae(ops);

	if (rsv) {
		if (WARN_ON(rsv->ops && rsv->ops != ops))
			return;
		rsv->ops = ops;
	}
	d->rsv = rsv;
}

/*
 * Translation
 */
static __always_inline phys_addr_t
lpae_lookup(struct arm_lpae_io_pgtable *d, unsigned int start, bool lpa,
	    unsigned long iova)
{
	arm_lpae_iopte *table, pte;
	unsigned int lvl;

	table = lpae_descend(d, start, lpa, iova, ARM_LPAE_LAST_LEVEL, false,
			     NULL, &lvl, NULL, &pte);
	if (lvl == ARM_LPAE_LAST_LEVEL)
		pte = READ_ONCE(table[lpae_idx(d, lvl, iova)]);
	if (unlikely(!lpae_pte_is_leaf(pte, lvl)))
		return 0;
	return __lpae_pte_to_oa(pte, lpa) |
	       (iova & (lpae_block_size(d, lvl) - 1));
}

static phys_addr_t lpae_iova_to_phys(struct io_pgtable_ops *ops,
				     unsigned long iova)
{
	struct arm_lpae_io_pgtable *d = to_lpae(ops);
	phys_addr_t pa;

	if (unlikely(!lpae_iova_ok(d, iova, 1)))
		return 0;
	lpae_read_lock(d);
	switch (d->walk) {
	case LPAE_WALK_FROM_L0:
		pa = lpae_lookup(d, 0, false, iova);
		break;
	case LPAE_WALK_FROM_L1:
		pa = lpae_lookup(d, 1, false, iova);
		break;
	case LPAE_WALK_FROM_L2:
		pa = lpae_lookup(d, 2, false, iova);
		break;
	default:
		pa = lpae_lookup(d, d->start_level, d->lpa, iova);
	}
	lpae_read_unlock(d);
	return pa;
}

/*
 * Dirty tracking (stage 1 with IO_PGTABLE_QUIRK_ARM_HD): a writable leaf
 * carries DBM; the walker clears AP[2] when it writes through it, and
 * setting AP[2] again makes it clean.
 */
struct lpae_dirty_walk {
	unsigned long flags;
	struct iommu_dirty_bitmap *dirty;
	u64 start, last;
};

static inline bool lpae_pte_dirty(arm_lpae_iopte pte)
{
	return (pte & (ARM_LPAE_PTE_DBM | ARM_LPAE_PTE_AP_RDONLY)) ==
	       ARM_LPAE_PTE_DBM;
}

/* Mark @n leaves from @ptep clean, racing the walker's dirty updates. */
static void lpae_clean_leaves(struct arm_lpae_io_pgtable *d,
			      arm_lpae_iopte *ptep, size_t n)
{
	arm_lpae_iopte pte;
	size_t i;

	for (i = 0; i < n; i++) {
		pte = READ_ONCE(ptep[i]);
		if (!lpae_pte_dirty(pte))
			continue;
		while (!try_cmpxchg64_relaxed(&ptep[i], &pte,
					      pte | ARM_LPAE_PTE_AP_RDONLY))
			;
	}
	lpae_sync(d, ptep, n);
}

/*
 * A contiguous run is one TLB entry: the walker records a write through it
 * in any one of its entries. So the run is dirty if any entry is, and the
 * part of it in the range is reported and cleaned at its first entry
 * there; the others are skipped.
 */
static int lpae_visit_dirty_run(struct arm_lpae_io_pgtable *d,
				arm_lpae_iopte *ptep, unsigned int lvl,
				unsigned long iova, struct lpae_dirty_walk *w)
{
	size_t n = (size_t)1 << d->run_bits[lvl], idx = lpae_idx(d, lvl, iova);
	size_t r = idx & ~(n - 1), i, m;
	u64 esz = lpae_block_size(d, lvl);
	u64 first = iova & ~(esz - 1), end;
	arm_lpae_iopte *run = ptep - (idx - r);
	bool dirty = false;

	if (idx != r && iova != w->start)
		return 0;
	for (i = 0; i < n; i++)
		dirty |= lpae_pte_dirty(READ_ONCE(run[i]));
	if (!dirty)
		return 0;
	/* from @iova to the end of the run or of the range */
	end = min_t(u64, first + (n - (idx - r)) * esz - 1, w->last);
	iommu_dirty_bitmap_record(w->dirty, iova, end - iova + 1);
	if (w->flags & IOMMU_DIRTY_NO_CLEAR)
		return 0;
	m = (end - first) / esz + 1;
	lpae_clean_leaves(d, ptep, m);
	return 0;
}

static int lpae_visit_dirty(struct arm_lpae_io_pgtable *d,
			    arm_lpae_iopte *ptep, unsigned int lvl,
			    unsigned long iova, u64 span, void *arg)
{
	struct lpae_dirty_walk *w = arg;
	arm_lpae_iopte pte = READ_ONCE(*ptep);

	if (!lpae_pte_is_leaf(pte, lvl))
		return 0;
	if (unlikely(pte & ARM_LPAE_PTE_CONT))
		return lpae_visit_dirty_run(d, ptep, lvl, iova, w);
	if (!lpae_pte_dirty(pte))
		return 0;

	iommu_dirty_bitmap_record(w->dirty, iova, span);
	if (w->flags & IOMMU_DIRTY_NO_CLEAR)
		return 0;
	/* The walker may be setting the dirty state at the same time. */
	lpae_clean_leaves(d, ptep, 1);
	return 0;
}

static int lpae_read_and_clear_dirty(struct io_pgtable_ops *ops,
				     unsigned long iova, size_t size,
				     unsigned long flags,
				     struct iommu_dirty_bitmap *dirty)
{
	struct arm_lpae_io_pgtable *d = to_lpae(ops);
	struct lpae_dirty_walk w = {
		.flags = flags, .dirty = dirty,
		.start = iova, .last = (u64)iova + size - 1,
	};
	int ret;

	/*
	 * As 6.12: every format has the op, only ARM_64_LPAE_S1 walks, and
	 * without IO_PGTABLE_QUIRK_ARM_HD no leaf carries DBM, so nothing
	 * is dirty.
	 */
	if (d->iop.fmt != ARM_64_LPAE_S1 || !size || !dirty ||
	    !lpae_iova_ok(d, iova, size))
		return -EINVAL;
	/*
	 * Recording may sleep (iova_bitmap pins the next user pages), so the
	 * walk pins the tables instead of holding rcu_read_lock().
	 */
	if (d->reclaim) {
		atomic_inc(&d->pinners);
		/* pinned before any entry is read; see lpae_reclaim_run() */
		smp_mb__after_atomic();
	}
	ret = lpae_walk_range(d, iova, size, ARM_LPAE_LAST_LEVEL,
			      lpae_visit_dirty, &w);
	if (d->reclaim) {
		/* every entry read before the tables are let go */
		smp_mb__before_atomic();
		atomic_dec(&d->pinners);
	}
	return ret;
}

/*
 * Configuration
 */
/* TCR.IPS/VTCR.PS for @oas bits, which must be one it encodes; or -1. */
static int lpae_ps(unsigned int oas)
{
	static const u8 sizes[] = { 32, 36, 40, 42, 44, 48, 52 };
	unsigned int ps;

	for (ps = 0; ps < ARRAY_SIZE(sizes); ps++)
		if (oas == sizes[ps])
			return ps;
	return -1;
}

/*
 * The granule, chosen from the page sizes as 6.12 chooses it: the CPU's
 * page size when the walker has it, otherwise the largest smaller size,
 * otherwise the smallest larger one; 0 when that is no granule. Table
 * memory follows the granule, not PAGE_SIZE.
 */
static unsigned int lpae_granule_shift(unsigned long pgsize_bitmap)
{
	unsigned int shift = 0;

	if (pgsize_bitmap & PAGE_SIZE)
		shift = PAGE_SHIFT;
	else if (pgsize_bitmap & (PAGE_SIZE - 1))
		shift = __fls(pgsize_bitmap & (PAGE_SIZE - 1));
	else if (pgsize_bitmap)
		shift = __ffs(pgsize_bitmap);
	return shift == 12 || shift == 14 || shift == 16 ? shift : 0;
}

/*
 * log2 of the entries of a contiguous run at @lvl for a granule, for the
 * sizes IO_PGTABLE_QUIRK_ARM_CONTIG advertises (levels 2 and 3), or 0.
 */
static unsigned int lpae_run_bits(unsigned int granule_shift, unsigned int lvl)
{
	if (lvl < 2)
		return 0;
	switch (granule_shift) {
	case 12:
		return 4;			/* 16 x 4K, 16 x 2M */
	case 14:
		return lvl == 3 ? 7 : 5;	/* 128 x 16K, 32 x 32M */
	case 16:
		return 5;			/* 32 x 64K, 32 x 512M */
	}
	return 0;
}

/* Sizes a granule can map: the page, and the blocks the levels allow. */
static unsigned long lpae_granule_sizes(unsigned int granule_shift, bool lpa)
{
	switch (granule_shift) {
	case 12:
		return SZ_4K | SZ_2M | SZ_1G;
	case 14:
		return SZ_16K | SZ_32M;
	case 16:
		return SZ_64K | SZ_512M | (lpa ? (unsigned long)BIT_ULL(42) : 0);
	}
	return 0;
}

static void lpae_free_pgtable(struct io_pgtable *iop)
{
	struct arm_lpae_io_pgtable *d = container_of(iop, typeof(*d), iop);

	/* Tables go back to the allocator, not to a reservation left attached */
	unsigned int i;

	WARN_ON(d->rsv);
	d->rsv = NULL;
	/* Marked tables are still in the tree; detached ones are not. */
	for (i = 0; i < d->nr_slots; i++)
		if (d->slot[i].detached || d->slot[i].flushing)
			lpae_free_table(d, d->slot[i].lvl, d->slot[i].table,
					NULL);
	lpae_free_tree(d, d->start_level, d->pgd, NULL);
	kfree(d);
}

/*
 * Allocate the structure and the top table for @cfg, deriving the
 * geometry. @quirks bounds the quirks; @ias_max and @oas_max bound the
 * sizes asked for (the 32-bit formats and Mali refuse more, as 6.12
 * does); @only_4k keeps the 4K granule's sizes; @stage2 and @mali select
 * the descriptor flavour. Then, as in 6.12, ias and oas are clamped to
 * what the granule translates (48 bits, 52 with 64K) and written back, and
 * the VMSA formats need an oas their PS field encodes. Below one level of
 * index bits there is no geometry: NULL, where 6.12 computes a broken one.
 * Returns NULL when @cfg asks for what the format cannot do, with @cfg
 * unchanged. The format's caller completes the outputs in @cfg; the core
 * copies it into the io_pgtable afterwards.
 */
static struct arm_lpae_io_pgtable *
lpae_alloc(struct io_pgtable_cfg *cfg, void *cookie, unsigned long quirks,
	   unsigned int ias_max, unsigned int oas_max, bool only_4k,
	   bool stage2, bool mali)
{
	unsigned int gshift, bits, levels, va_bits, lvl, ias, oas, nslots;
	unsigned long sizes, reachable, bitmap = cfg->pgsize_bitmap;
	struct arm_lpae_io_pgtable *d;
	int prot;
	bool lpa;

	if (cfg->quirks & ~quirks || cfg->ias > ias_max || cfg->oas > oas_max)
		return NULL;
	if (only_4k)
		bitmap &= SZ_4K | SZ_2M | SZ_1G;
	gshift = lpae_granule_shift(bitmap);
	if (!gshift)
		return NULL;
	/* Objects too small for a table would be overrun. */
	if (cfg->table_cache && kmem_cache_size(cfg->table_cache) < BIT(gshift))
		return NULL;
	ias = min(cfg->ias, gshift == 16 ? 52U : 48U);
	oas = min(cfg->oas, gshift == 16 ? 52U : 48U);
	if (ias <= gshift || (!mali && lpae_ps(oas) < 0))
		return NULL;
	/* 52-bit output addresses: FEAT_LPA, with the 64K granule only */
	lpa = oas > 48;
	sizes = bitmap & lpae_granule_sizes(gshift, lpa);

	/* the reclaim's slots only for those who asked for it */
	nslots = cfg->quirks & IO_PGTABLE_QUIRK_ARM_RECLAIM ?
		 LPAE_RECLAIM_SLOTS : 0;
	d = kzalloc(struct_size(d, slot, nslots), GFP_KERNEL);
	if (!d)
		return NULL;

	bits = gshift - ilog2(sizeof(arm_lpae_iopte));
	va_bits = ias - gshift;
	levels = DIV_ROUND_UP(va_bits, bits);
	d->bits_per_level = bits;
	d->start_level = ARM_LPAE_MAX_LEVELS - levels;
	d->pgd_bits = va_bits - bits * (levels - 1);

	/*
	 * A stage-2 walk may start one level lower with up to 16 tables
	 * concatenated in place of a top level that small, and must when
	 * the top level would be level 0 of a 16K granule or of AArch32.
	 */
	if (stage2 && d->start_level == 0 &&
	    d->pgd_bits <= ARM_LPAE_S2_MAX_CONCAT_BITS) {
		d->start_level++;
		d->pgd_bits += bits;
	}
	/*
	 * Mali walks four levels whatever the input size, from a full table:
	 * AS_TRANSTAB keeps its attributes in the low 12 bits.
	 */
	if (mali) {
		d->start_level = 0;
		d->pgd_bits = bits;
	}

	for (lvl = d->start_level; lvl < ARM_LPAE_MAX_LEVELS; lvl++) {
		d->shift[lvl] = gshift + (ARM_LPAE_LAST_LEVEL - lvl) * bits;
		d->idx_mask[lvl] = BIT(lvl == d->start_level ? d->pgd_bits :
							       bits) - 1;
	}
	memset(d->pgsize_level, -1, sizeof(d->pgsize_level));
	reachable = 0;
	for (lvl = d->start_level; lvl < ARM_LPAE_MAX_LEVELS; lvl++) {
		unsigned int run = lpae_run_bits(gshift, lvl);

		if (!(sizes & BIT_ULL(d->shift[lvl])))
			continue;
		d->pgsize_level[d->shift[lvl]] = lvl;
		reachable |= BIT_ULL(d->shift[lvl]);
		/* runs fit in any table, and their size in a long */
		if (!(cfg->quirks & IO_PGTABLE_QUIRK_ARM_CONTIG) || !run ||
		    d->shift[lvl] + run >= BITS_PER_LONG ||
		    (lvl == d->start_level && d->pgd_bits < run))
			continue;
		d->run_bits[lvl] = run;
		d->pgsize_level[d->shift[lvl] + run] = lvl;
		d->pgsize_run[d->shift[lvl] + run] = run;
		reachable |= BIT_ULL(d->shift[lvl] + run);
	}

	d->stage2 = stage2;
	d->mali = mali;
	d->lpa = lpa;
	d->ias = ias;
	d->coherent = cfg->coherent_walk;
	d->reclaim = cfg->quirks & IO_PGTABLE_QUIRK_ARM_RECLAIM;
	spin_lock_init(&d->reclaim_lock);
	atomic_set(&d->pinners, 0);
	d->page_type = mali ? ARM_LPAE_PTE_TYPE_BLOCK : ARM_LPAE_PTE_TYPE_PAGE;
	d->walk = lpa || d->start_level > 2 ? LPAE_WALK_GENERIC :
					       d->start_level;
	d->oa_max = BIT_ULL(oas) - 1;
	d->table_limit = lpa ? ARM_LPAE_TABLE_LIMIT_LPA : ARM_LPAE_TABLE_LIMIT;
	if (cfg->quirks & IO_PGTABLE_QUIRK_ARM_TTBR1)
		d->va_top = ~0ULL << ias;
	if (cfg->quirks & IO_PGTABLE_QUIRK_ARM_NS)
		d->table_attrs = ARM_LPAE_PTE_NSTABLE;
	d->iop.cfg = *cfg;
	d->iop.cfg.pgsize_bitmap = reachable;
	d->iop.cfg.ias = ias;
	d->iop.cfg.oas = oas;
	for (prot = 0; prot <= LPAE_PROT_MASK; prot++)
		d->prot_pte[prot] = lpae_prot_to_pte(d, prot);

	/* The core fills these in after we return; tables need them now. */
	d->iop.cookie = cookie;
	d->iop.ops = (struct io_pgtable_ops) {
		.map_pages		= lpae_map_pages,
		.unmap_pages		= lpae_unmap_pages,
		.iova_to_phys		= lpae_iova_to_phys,
		.read_and_clear_dirty	= lpae_read_and_clear_dirty,
		.count_tables		= lpae_count_op,
		.reserve		= lpae_reserve,
		.unreserve		= lpae_unreserve,
		.attach_reservation	= lpae_attach_reservation,
	};

	d->pgd = lpae_alloc_table(d, d->start_level, GFP_KERNEL);
	if (!d->pgd) {
		kfree(d);
		return NULL;
	}

	cfg->pgsize_bitmap = reachable;
	cfg->ias = ias;
	cfg->oas = oas;
	/* The walker may be enabled as soon as the registers are written. */
	wmb();
	return d;
}

static void lpae_walk_attrs(const struct io_pgtable_cfg *cfg, u32 *sh,
			    u32 *irgn, u32 *orgn)
{
	if (cfg->coherent_walk) {
		*sh = ARM_LPAE_TCR_SH_IS;
		*irgn = ARM_LPAE_TCR_RGN_WBWA;
		*orgn = ARM_LPAE_TCR_RGN_WBWA;
	} else {
		*sh = ARM_LPAE_TCR_SH_OS;
		*irgn = ARM_LPAE_TCR_RGN_NC;
		*orgn = cfg->quirks & IO_PGTABLE_QUIRK_ARM_OUTER_WBWA ?
			ARM_LPAE_TCR_RGN_WBWA : ARM_LPAE_TCR_RGN_NC;
	}
}

static u32 lpae_tg0(unsigned int granule_shift)
{
	switch (granule_shift) {
	case 14:
		return ARM_LPAE_TCR_TG0_16K;
	case 16:
		return ARM_LPAE_TCR_TG0_64K;
	default:
		return ARM_LPAE_TCR_TG0_4K;
	}
}

static u32 lpae_tg1(unsigned int granule_shift)
{
	switch (granule_shift) {
	case 14:
		return ARM_LPAE_TCR_TG1_16K;
	case 16:
		return ARM_LPAE_TCR_TG1_64K;
	default:
		return ARM_LPAE_TCR_TG1_4K;
	}
}

/*
 * The quirks of 6.12, and our additive NO_WARN and S2FWB. NO_PERMS is the
 * v7s format's: no LPAE format takes it, as in 6.12.
 */
#define ARM_LPAE_S1_QUIRKS	(IO_PGTABLE_QUIRK_ARM_NS |		\
				 IO_PGTABLE_QUIRK_ARM_TTBR1 |		\
				 IO_PGTABLE_QUIRK_ARM_OUTER_WBWA |	\
				 IO_PGTABLE_QUIRK_ARM_HD |		\
				 IO_PGTABLE_QUIRK_NO_WARN |		\
				 IO_PGTABLE_QUIRK_NO_SPLIT |		\
				 IO_PGTABLE_QUIRK_ARM_BBML2 |		\
				 IO_PGTABLE_QUIRK_ARM_CONTIG |		\
				 IO_PGTABLE_QUIRK_ARM_RECLAIM)
#define ARM_LPAE_S2_QUIRKS	(IO_PGTABLE_QUIRK_ARM_S2FWB |		\
				 IO_PGTABLE_QUIRK_NO_WARN |		\
				 IO_PGTABLE_QUIRK_NO_SPLIT |		\
				 IO_PGTABLE_QUIRK_ARM_BBML2 |		\
				 IO_PGTABLE_QUIRK_ARM_CONTIG |		\
				 IO_PGTABLE_QUIRK_ARM_RECLAIM)
#define ARM_MALI_LPAE_QUIRKS	(IO_PGTABLE_QUIRK_NO_WARN |		\
				 IO_PGTABLE_QUIRK_NO_SPLIT)

/*
 * The VMSA formats: the tables, then the translation control values the
 * driver programs, which stage 1 and stage 2 share but for their fields'
 * names and a few of their own.
 */
static struct io_pgtable *lpae_alloc_vmsa(struct io_pgtable_cfg *cfg,
					  void *cookie, unsigned int ias_max,
					  unsigned int oas_max, bool only_4k,
					  bool stage2)
{
	struct arm_lpae_io_pgtable *d;
	u32 sh, irgn, orgn, tg, ps, tsz;
	unsigned int gshift;

	/* An outer cacheability to override needs a non-coherent walker. */
	if ((cfg->quirks & IO_PGTABLE_QUIRK_ARM_OUTER_WBWA) && cfg->coherent_walk)
		return NULL;
	/* FEAT_BBM is a VMSAv8-64 feature: no AArch32 walker has it. */
	if ((cfg->quirks & IO_PGTABLE_QUIRK_ARM_BBML2) && only_4k)
		return NULL;
	d = lpae_alloc(cfg, cookie,
		       stage2 ? ARM_LPAE_S2_QUIRKS : ARM_LPAE_S1_QUIRKS,
		       ias_max, oas_max, only_4k, stage2, false);
	if (!d)
		return NULL;

	gshift = d->shift[ARM_LPAE_LAST_LEVEL];
	lpae_walk_attrs(cfg, &sh, &irgn, &orgn);
	tg = cfg->quirks & IO_PGTABLE_QUIRK_ARM_TTBR1 ? lpae_tg1(gshift) :
							lpae_tg0(gshift);
	ps = lpae_ps(cfg->oas);
	tsz = 64 - cfg->ias;

	if (stage2) {
		cfg->arm_lpae_s2_cfg.vtcr.sh = sh;
		cfg->arm_lpae_s2_cfg.vtcr.irgn = irgn;
		cfg->arm_lpae_s2_cfg.vtcr.orgn = orgn;
		cfg->arm_lpae_s2_cfg.vtcr.tg = tg;
		cfg->arm_lpae_s2_cfg.vtcr.ps = ps;
		cfg->arm_lpae_s2_cfg.vtcr.tsz = tsz;
		/* SL0 counts up from level 2 (4K) or level 3 (16K, 64K) */
		cfg->arm_lpae_s2_cfg.vtcr.sl = (gshift == 12 ? 2 : 3) -
					       d->start_level;
		cfg->arm_lpae_s2_cfg.vttbr = virt_to_phys(d->pgd);
		return &d->iop;
	}

	cfg->arm_lpae_s1_cfg.tcr.sh = sh;
	cfg->arm_lpae_s1_cfg.tcr.irgn = irgn;
	cfg->arm_lpae_s1_cfg.tcr.orgn = orgn;
	cfg->arm_lpae_s1_cfg.tcr.tg = tg;
	cfg->arm_lpae_s1_cfg.tcr.ips = ps;
	cfg->arm_lpae_s1_cfg.tcr.tsz = tsz;
	cfg->arm_lpae_s1_cfg.mair =
		ARM_LPAE_MAIR_ATTR(ARM_LPAE_MAIR_ATTR_NC,
				   ARM_LPAE_MAIR_ATTR_IDX_NC) |
		ARM_LPAE_MAIR_ATTR(ARM_LPAE_MAIR_ATTR_WBRWA,
				   ARM_LPAE_MAIR_ATTR_IDX_CACHE) |
		ARM_LPAE_MAIR_ATTR(ARM_LPAE_MAIR_ATTR_DEVICE,
				   ARM_LPAE_MAIR_ATTR_IDX_DEV) |
		ARM_LPAE_MAIR_ATTR(ARM_LPAE_MAIR_ATTR_INC_OWBRWA,
				   ARM_LPAE_MAIR_ATTR_IDX_INC_OCACHE);
	cfg->arm_lpae_s1_cfg.ttbr = virt_to_phys(d->pgd);
	return &d->iop;
}

/* The 64-bit formats clamp any size to the granule's; nothing is too big. */
static struct io_pgtable *arm_64_lpae_alloc_s1(struct io_pgtable_cfg *cfg,
					       void *cookie)
{
	return lpae_alloc_vmsa(cfg, cookie, UINT_MAX, UINT_MAX, false, false);
}

static struct io_pgtable *arm_64_lpae_alloc_s2(struct io_pgtable_cfg *cfg,
					       void *cookie)
{
	return lpae_alloc_vmsa(cfg, cookie, UINT_MAX, UINT_MAX, false, true);
}

static struct io_pgtable *arm_32_lpae_alloc_s1(struct io_pgtable_cfg *cfg,
					       void *cookie)
{
	return lpae_alloc_vmsa(cfg, cookie, 32, 40, true, false);
}

static struct io_pgtable *arm_32_lpae_alloc_s2(struct io_pgtable_cfg *cfg,
					       void *cookie)
{
	return lpae_alloc_vmsa(cfg, cookie, 40, 40, true, true);
}

static struct io_pgtable *arm_mali_lpae_alloc(struct io_pgtable_cfg *cfg,
					      void *cookie)
{
	struct arm_lpae_io_pgtable *d;
	u64 transtab;

	d = lpae_alloc(cfg, cookie, ARM_MALI_LPAE_QUIRKS, 48, 40, true, false,
		       true);
	if (!d)
		return NULL;

	/*
	 * Mali has no non-cacheable type: the implementation-defined policy
	 * stands in for it, and for the device index that callers should
	 * never use.
	 */
	cfg->arm_mali_lpae_cfg.memattr =
		ARM_LPAE_MAIR_ATTR(ARM_MALI_LPAE_MEMATTR_IMP_DEF,
				   ARM_LPAE_MAIR_ATTR_IDX_NC) |
		ARM_LPAE_MAIR_ATTR(ARM_MALI_LPAE_MEMATTR_WRITE_ALLOC,
				   ARM_LPAE_MAIR_ATTR_IDX_CACHE) |
		ARM_LPAE_MAIR_ATTR(ARM_MALI_LPAE_MEMATTR_IMP_DEF,
				   ARM_LPAE_MAIR_ATTR_IDX_DEV);
	transtab = virt_to_phys(d->pgd) | ARM_MALI_LPAE_TTBR_READ_INNER |
		   ARM_MALI_LPAE_TTBR_ADRMODE_TABLE;
	if (cfg->coherent_walk)
		transtab |= ARM_MALI_LPAE_TTBR_SHARE_OUTER;
	cfg->arm_mali_lpae_cfg.transtab = transtab;
	return &d->iop;
}

struct io_pgtable_init_fns io_pgtable_arm_64_lpae_s1_init_fns = {
	.caps	= IO_PGTABLE_CAP_CUSTOM_ALLOCATOR | IO_PGTABLE_CAP_TABLE_CACHE,
	.alloc	= arm_64_lpae_alloc_s1,
	.free	= lpae_free_pgtable,
};

struct io_pgtable_init_fns io_pgtable_arm_64_lpae_s2_init_fns = {
	.caps	= IO_PGTABLE_CAP_CUSTOM_ALLOCATOR | IO_PGTABLE_CAP_TABLE_CACHE,
	.alloc	= arm_64_lpae_alloc_s2,
	.free	= lpae_free_pgtable,
};

struct io_pgtable_init_fns io_pgtable_arm_32_lpae_s1_init_fns = {
	.caps	= IO_PGTABLE_CAP_CUSTOM_ALLOCATOR | IO_PGTABLE_CAP_TABLE_CACHE,
	.alloc	= arm_32_lpae_alloc_s1,
	.free	= lpae_free_pgtable,
};

struct io_pgtable_init_fns io_pgtable_arm_32_lpae_s2_init_fns = {
	.caps	= IO_PGTABLE_CAP_CUSTOM_ALLOCATOR | IO_PGTABLE_CAP_TABLE_CACHE,
	.alloc	= arm_32_lpae_alloc_s2,
	.free	= lpae_free_pgtable,
};

struct io_pgtable_init_fns io_pgtable_arm_mali_lpae_init_fns = {
	.caps	= IO_PGTABLE_CAP_CUSTOM_ALLOCATOR | IO_PGTABLE_CAP_TABLE_CACHE,
	.alloc	= arm_mali_lpae_alloc,
	.free	= lpae_free_pgtable,
};
