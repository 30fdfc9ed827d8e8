// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests for the ARM LPAE io-pgtable formats (ARM_32/64_LPAE_S1/S2,
 * ARM_MALI_LPAE).
 *
 * Expectations are written from the architecture (and from the encoding
 * the format documents), never from the format's own helpers: every
 * translation is checked through the reference walker in
 * io-pgtable-arm-ref.h and through iova_to_phys(), every descriptor
 * bit-exactly, and every refused request by a snapshot of every table.
 */

#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/dma-mapping.h>
#include <linux/io-pgtable.h>
#include <linux/kernel.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/rcupdate.h>
#include <linux/sizes.h>

#include "io-pgtable-arm-ref.h"
#include "io-pgtable-kunit-helpers.h"

enum lpae_kind {
	LPAE_S1,
	LPAE_S2,
	LPAE_MALI,
};

/* The attribute indices and registers the encoding promises. */
#define LPAE_ATTR_NC		0
#define LPAE_ATTR_WB		1
#define LPAE_ATTR_DEV		2
#define LPAE_MAIR		0xf404ff44ULL
#define LPAE_MALI_MEMATTR	0x888d88ULL

#define LPAE_S2_MEMATTR_DEV	0x1
#define LPAE_S2_MEMATTR_WB	0xf
#define LPAE_S2_MEMATTR_FWB_WB	0x6
#define LPAE_S2_MEMATTR_NC	0x5

#define LPAE_SH_OS		2
#define LPAE_SH_IS		3

#define LPAE_PROT_ALL	(IOMMU_READ | IOMMU_WRITE | IOMMU_CACHE | \
			 IOMMU_NOEXEC | IOMMU_MMIO | IOMMU_PRIV)

#define LPAE_MAX_TABLES	4096

/* A level-1 block of the 64K granule with 52-bit output addresses. */
#define LPAE_SZ_4T	BIT_ULL(42)

/**
 * struct lpae_param - one configuration to test
 * @fmt:      The format.
 * @granule:  Granule (the pgsize_bitmap holds it and its block sizes).
 * @ias:      Input address size.
 * @oas:      Output address size.
 * @quirks:   IO_PGTABLE_QUIRK_* flags.
 * @coherent: Coherent walker.
 * @desc:     Name of the parameter.
 */
struct lpae_param {
	enum io_pgtable_fmt	fmt;
	unsigned long		granule;
	unsigned int		ias;
	unsigned int		oas;
	unsigned long		quirks;
	bool			coherent;
	char			desc[48];
};

/* The tables under test and what the test knows about them. */
struct lpae_t {
	struct kunit		*test;
	struct iopt_test_ctx	*ctx;
	struct io_pgtable_cfg	cfg;
	struct io_pgtable_ops	*ops;
	enum io_pgtable_fmt	fmt;
	enum lpae_kind		kind;
	unsigned long		granule;
	unsigned int		gshift;
	u64			base;	/* lowest IOVA: 0, or the TTBR1 half */
	struct arm_lpae_ref	ref;
};

static enum lpae_kind lpae_kind_of(enum io_pgtable_fmt fmt)
{
	switch (fmt) {
	case ARM_64_LPAE_S2:
	case ARM_32_LPAE_S2:
		return LPAE_S2;
	case ARM_MALI_LPAE:
		return LPAE_MALI;
	default:
		return LPAE_S1;
	}
}

/* Every size a granule can map, before any restriction. */
static unsigned long lpae_all_sizes(unsigned long granule)
{
	switch (granule) {
	case SZ_4K:
		return SZ_4K | SZ_2M | SZ_1G;
	case SZ_16K:
		return SZ_16K | SZ_32M;
	case SZ_64K:
		return SZ_64K | SZ_512M | LPAE_SZ_4T;
	}
	return 0;
}

/* What the format must give back for a full input bitmap. */
static unsigned long lpae_expect_sizes(unsigned long granule, unsigned int ias,
				       unsigned int oas)
{
	unsigned long sizes = lpae_all_sizes(granule);

	/* 4T blocks need FEAT_LPA and a level-1 table (ias above 42 bits) */
	if (granule == SZ_64K && (oas != 52 || ias <= 42))
		sizes &= ~(unsigned long)LPAE_SZ_4T;
	return sizes;
}

/* The start level by the ARM ARM, and our concatenation choice for S2. */
static int lpae_expect_start_level(enum lpae_kind kind, unsigned int gshift,
				   unsigned int ias)
{
	int level;

	if (kind == LPAE_MALI)
		return 0;
	level = arm_lpae_ref_min_start_level(gshift, ias);
	/*
	 * Stage 2 cannot start at level 0 with the 16K granule (no SL0
	 * encoding) and need not with 4K: up to 16 level-0 entries become
	 * as many concatenated level-1 tables.
	 */
	if (kind == LPAE_S2 && level == 0 &&
	    ias - arm_lpae_ref_level_shift(gshift, 0) <= 4)
		level = 1;
	return level;
}

static void lpae_free_action(void *arg)
{
	struct lpae_t *t = arg;

	if (t->ops)
		free_io_pgtable_ops(t->ops);
	t->ops = NULL;
}

static void lpae_free(struct lpae_t *t)
{
	lpae_free_action(t);
}

static phys_addr_t lpae_pgd_pa(const struct lpae_t *t)
{
	switch (t->kind) {
	case LPAE_S1:
		return t->cfg.arm_lpae_s1_cfg.ttbr;
	case LPAE_S2:
		return t->cfg.arm_lpae_s2_cfg.vttbr;
	case LPAE_MALI:
		/*
		 * The GPU ignores bits [11:0] of the address; if the PGD is
		 * not 4K-aligned that is one failure, reported here, and the
		 * walker follows the real PGD rather than a page the GPU
		 * would walk but the test does not own.
		 */
		KUNIT_EXPECT_EQ_MSG(t->test,
				    t->cfg.arm_mali_lpae_cfg.transtab & 0xfe0, 0,
				    "Mali PGD not 4K-aligned");
		return t->cfg.arm_mali_lpae_cfg.transtab & ~0x1fULL;
	}
	return 0;
}

/*
 * Allocate tables; t->ops is NULL when the format refused. The tables go
 * through the test allocator when @custom, and are freed with the test
 * unless the test frees them first.
 */
static struct lpae_t *lpae_new(struct kunit *test, enum io_pgtable_fmt fmt,
			       unsigned long pgsize_bitmap, unsigned int ias,
			       unsigned int oas, unsigned long quirks,
			       bool coherent, bool custom)
{
	struct lpae_t *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, t);
	t->test = test;
	t->ctx = iopt_test_ctx_alloc(test);
	t->fmt = fmt;
	t->kind = lpae_kind_of(fmt);
	t->cfg.pgsize_bitmap = pgsize_bitmap;
	t->cfg.ias = ias;
	t->cfg.oas = oas;
	t->cfg.quirks = quirks;
	t->cfg.coherent_walk = coherent;
	t->cfg.tlb = &iopt_test_flush_ops;
	if (!coherent)
		t->cfg.iommu_dev = iopt_test_dma_device(test);
	if (custom)
		iopt_test_use_allocator(&t->cfg);

	t->ops = alloc_io_pgtable_ops(fmt, &t->cfg, t->ctx);
	if (!t->ops)
		return t;
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, lpae_free_action,
							t), 0);

	t->granule = t->cfg.pgsize_bitmap & -t->cfg.pgsize_bitmap;
	t->gshift = __ffs(t->granule);
	/* the sizes the format clamped them to, as 6.12 writes them back */
	ias = t->cfg.ias;
	oas = t->cfg.oas;
	if (quirks & IO_PGTABLE_QUIRK_ARM_TTBR1)
		t->base = ~0ULL << ias;

	t->ref.stage = t->kind == LPAE_S1 ? ARM_LPAE_REF_S1 :
		       t->kind == LPAE_S2 ? ARM_LPAE_REF_S2 : ARM_LPAE_REF_MALI;
	t->ref.granule_shift = t->gshift;
	t->ref.ias = ias;
	t->ref.start_level = lpae_expect_start_level(t->kind, t->gshift, ias);
	t->ref.pgd = lpae_pgd_pa(t);
	t->ref.ttbr1 = quirks & IO_PGTABLE_QUIRK_ARM_TTBR1;
	t->ref.lpa52 = oas > 48;
	t->ref.s2fwb = quirks & IO_PGTABLE_QUIRK_ARM_S2FWB;
	if (t->kind == LPAE_S1)
		t->ref.mair = t->cfg.arm_lpae_s1_cfg.mair;
	else if (t->kind == LPAE_MALI)
		t->ref.mair = t->cfg.arm_mali_lpae_cfg.memattr;
	return t;
}

static struct lpae_t *lpae_new_param(struct kunit *test,
				     const struct lpae_param *p,
				     unsigned long extra_quirks, bool custom)
{
	struct lpae_t *t = lpae_new(test, p->fmt, lpae_all_sizes(p->granule),
				    p->ias, p->oas, p->quirks | extra_quirks,
				    p->coherent, custom);

	KUNIT_ASSERT_NOT_NULL_MSG(test, t->ops, "%s refused", p->desc);
	return t;
}

static int lpae_map(struct lpae_t *t, u64 iova, u64 pa, size_t pgsize,
		    size_t pgcount, int prot, size_t *mapped)
{
	return iopt_test_map(t->ops, iova, pa, pgsize, pgcount, prot, mapped);
}

static size_t lpae_unmap(struct lpae_t *t, u64 iova, size_t pgsize,
			 size_t pgcount)
{
	return iopt_test_unmap(t->ops, iova, pgsize, pgcount);
}

/* Unmap as a caller that defers its TLB invalidation does. */
static size_t lpae_unmap_queued(struct lpae_t *t, u64 iova, size_t pgsize,
				size_t pgcount)
{
	struct iommu_iotlb_gather gather;

	size_t n;

	iommu_iotlb_gather_init(&gather);
	gather.queued = true;
	n = t->ops->unmap_pages(t->ops, iova, pgsize, pgcount, &gather);
	/* and then the flush queue: tlb_flush_all, the tables freed */
	iopt_test_fq_flush(&t->cfg, t->ctx, &gather);
	return n;
}

/* The output-address field of a descriptor for @pa. */
static u64 lpae_oa_bits(const struct lpae_t *t, u64 pa)
{
	u64 pte = pa & GENMASK_ULL(47, t->gshift);

	if (t->ref.lpa52)
		pte |= ((pa >> 48) & 0xf) << 12;
	return pte;
}

/* The leaf descriptor the encoding promises, bit for bit. */
static u64 lpae_expect_pte(const struct lpae_t *t, int prot, u64 pa,
			   int level)
{
	unsigned long q = t->cfg.quirks;
	u64 pte = lpae_oa_bits(t, pa);
	unsigned int attr, memattr;

	/* 6.12 leaves Mali's access flag clear, on purpose: so do we */
	if (t->kind != LPAE_MALI)
		pte |= ARM_REF_AF;

	if (level == 3 && t->kind != LPAE_MALI)
		pte |= 3;
	else
		pte |= 1;

	/* Device memory is Outer Shareable whatever SH says: OS for MMIO */
	if ((prot & IOMMU_CACHE) && !(prot & IOMMU_MMIO) &&
	    t->kind != LPAE_MALI)
		pte |= (u64)LPAE_SH_IS << 8;
	else
		pte |= (u64)LPAE_SH_OS << 8;

	if (prot & IOMMU_MMIO)
		attr = LPAE_ATTR_DEV;
	else if (prot & IOMMU_CACHE)
		attr = LPAE_ATTR_WB;
	else
		attr = LPAE_ATTR_NC;

	switch (t->kind) {
	case LPAE_S1:
		pte |= ARM_REF_NG | (u64)attr << 2;
		if (q & IO_PGTABLE_QUIRK_ARM_NS)
			pte |= ARM_REF_NS;
		if (!(prot & IOMMU_WRITE))
			pte |= ARM_REF_AP2;
		else if (q & IO_PGTABLE_QUIRK_ARM_HD)
			pte |= ARM_REF_DBM;
		if (!(prot & IOMMU_PRIV))
			pte |= ARM_REF_AP1;
		if (prot & IOMMU_NOEXEC)
			pte |= ARM_REF_UXN | ARM_REF_PXN;
		break;
	case LPAE_S2:
		if (prot & IOMMU_MMIO)
			memattr = LPAE_S2_MEMATTR_DEV;
		else if (prot & IOMMU_CACHE)
			memattr = (q & IO_PGTABLE_QUIRK_ARM_S2FWB) ?
				  LPAE_S2_MEMATTR_FWB_WB : LPAE_S2_MEMATTR_WB;
		else
			memattr = LPAE_S2_MEMATTR_NC;
		pte |= (u64)memattr << 2;
		fallthrough;
	case LPAE_MALI:
		if (t->kind == LPAE_MALI)
			pte |= (u64)attr << 2;
		if (prot & IOMMU_READ)
			pte |= ARM_REF_AP1;
		if (prot & IOMMU_WRITE)
			pte |= ARM_REF_AP2;
		/*
		 * Stage 2: XN[1:0] = 0b10, never-execute at every level with
		 * or without FEAT_XNX (6.12's 0b11 means EL1-executable with
		 * it). Mali: both bits, as 6.12 writes them.
		 */
		if (prot & IOMMU_NOEXEC)
			pte |= ARM_REF_UXN |
			       (t->kind == LPAE_MALI ? ARM_REF_PXN : 0);
		break;
	}
	return pte;
}

static int lpae_level_of(const struct lpae_t *t, size_t size)
{
	int level;

	for (level = 3; level >= 0; level--)
		if (size == 1ULL << arm_lpae_ref_level_shift(t->gshift, level))
			return level;
	return -1;
}

/*
 * Check one leaf through the walker (descriptor bit-exact, then what the
 * hardware would make of it) and through iova_to_phys().
 */
static bool lpae_check_leaf(struct lpae_t *t, u64 iova, u64 pa, size_t size,
			    int prot)
{
	struct kunit *test = t->test;
	struct arm_lpae_ref_leaf l;
	int level = lpae_level_of(t, size);
	u64 want;

	if (!arm_lpae_ref_walk(&t->ref, iova + size / 2, &l)) {
		KUNIT_FAIL(test, "iova %#llx (size %#zx) does not translate: level %d pte %#llx%s",
			   iova, size, l.level, l.pte,
			   l.malformed ? " (malformed)" : "");
		return false;
	}
	want = lpae_expect_pte(t, prot, pa, level);
	KUNIT_EXPECT_EQ_MSG(test, l.pte, want, "iova %#llx prot %#x", iova,
			    prot);
	KUNIT_EXPECT_EQ_MSG(test, l.level, level, "iova %#llx", iova);
	KUNIT_EXPECT_EQ_MSG(test, l.size, (u64)size, "iova %#llx", iova);
	KUNIT_EXPECT_EQ_MSG(test, (u64)l.oa, pa + size / 2, "iova %#llx", iova);
	KUNIT_EXPECT_EQ(test, l.af, t->kind != LPAE_MALI);

	/* semantics, as the walker reads them */
	KUNIT_EXPECT_EQ_MSG(test, l.write, !!(prot & IOMMU_WRITE),
			    "iova %#llx prot %#x", iova, prot);
	KUNIT_EXPECT_EQ_MSG(test, l.exec_unpriv, !(prot & IOMMU_NOEXEC),
			    "iova %#llx prot %#x", iova, prot);
	KUNIT_EXPECT_EQ_MSG(test, l.exec_priv, !(prot & IOMMU_NOEXEC),
			    "iova %#llx prot %#x", iova, prot);
	if (t->kind == LPAE_S1) {
		KUNIT_EXPECT_TRUE(test, l.read);
		KUNIT_EXPECT_EQ(test, l.unpriv, !(prot & IOMMU_PRIV));
		KUNIT_EXPECT_TRUE(test, l.ng);
		KUNIT_EXPECT_EQ(test, l.ns,
				!!(t->cfg.quirks & IO_PGTABLE_QUIRK_ARM_NS));
	} else {
		KUNIT_EXPECT_EQ_MSG(test, l.read, !!(prot & IOMMU_READ),
				    "iova %#llx prot %#x", iova, prot);
	}
	if (t->kind != LPAE_MALI) {
		enum arm_lpae_ref_memtype mt = ARM_LPAE_REF_MEM_NORMAL_NC;

		if (prot & IOMMU_MMIO)
			mt = ARM_LPAE_REF_MEM_DEVICE;
		else if (prot & IOMMU_CACHE)
			mt = ARM_LPAE_REF_MEM_NORMAL_WB;
		KUNIT_EXPECT_EQ_MSG(test, l.memtype, mt, "iova %#llx prot %#x",
				    iova, prot);
	}

	KUNIT_EXPECT_EQ_MSG(test, (u64)t->ops->iova_to_phys(t->ops, iova),
			    pa, "iova %#llx", iova);
	KUNIT_EXPECT_EQ_MSG(test,
			    (u64)t->ops->iova_to_phys(t->ops, iova + size - 1),
			    pa + size - 1, "iova %#llx", iova);
	return l.pte == want;
}

static bool lpae_unmapped(struct lpae_t *t, u64 iova)
{
	struct arm_lpae_ref_leaf l;

	return !arm_lpae_ref_walk(&t->ref, iova, &l) && !l.malformed &&
	       !t->ops->iova_to_phys(t->ops, iova);
}

static int lpae_snap_table(void *arg, int level, phys_addr_t pa, size_t size,
			   u64 iova)
{
	return iopt_snapshot_add(arg, pa, size);
}

static void lpae_snapshot(struct lpae_t *t, struct iopt_snapshot *snap)
{
	struct arm_lpae_ref_visitor v = {
		.table = lpae_snap_table,
		.arg = snap,
	};

	iopt_snapshot_init(t->test, snap, LPAE_MAX_TABLES);
	arm_lpae_ref_for_each(&t->ref, &v);
}

/* Every table reads as it did when @before was taken. */
static void lpae_expect_unchanged(struct lpae_t *t,
				  const struct iopt_snapshot *before)
{
	struct iopt_snapshot after;

	lpae_snapshot(t, &after);
	iopt_snapshot_expect_equal(t->test, before, &after);
}

struct lpae_census {
	struct lpae_t	*t;
	unsigned int	tables;
	size_t		bytes;
	unsigned int	leaves;
	unsigned int	malformed;
	unsigned int	misaligned;
	unsigned int	unowned;	/* custom allocator: not from the hook */
};

static int lpae_census_table(void *arg, int level, phys_addr_t pa,
			     size_t size, u64 iova)
{
	struct lpae_census *c = arg;
	struct lpae_t *t = c->t;
	size_t fp = io_pgtable_table_footprint(&t->cfg, size);
	u64 reach = t->ref.lpa52 ? BIT_ULL(52) : BIT_ULL(48);

	/* Mali's AS_TRANSTAB ignores address bits [11:0]: a 4K PGD */
	if (t->kind == LPAE_MALI && pa == t->ref.pgd)
		fp = max_t(size_t, fp, SZ_4K);

	c->tables++;
	c->bytes += fp;
	if (!IS_ALIGNED(pa, fp) || (u64)pa >= reach)
		c->misaligned++;
	if (t->cfg.alloc) {
		const struct iopt_test_alloc_rec *r;

		r = iopt_test_alloc_find(t->ctx, pa);
		if (!r || virt_to_phys(r->table) != pa || r->size != fp)
			c->unowned++;
	}
	return 0;
}

static int lpae_census_leaf(void *arg, u64 iova,
			    const struct arm_lpae_ref_leaf *leaf)
{
	struct lpae_census *c = arg;

	if (leaf->malformed)
		c->malformed++;
	else
		c->leaves++;
	return 0;
}

/* Count and vet every reachable table and leaf. */
static struct lpae_census lpae_census(struct lpae_t *t)
{
	struct lpae_census c = { .t = t };
	struct arm_lpae_ref_visitor v = {
		.table = lpae_census_table,
		.leaf = lpae_census_leaf,
		.arg = &c,
	};

	arm_lpae_ref_for_each(&t->ref, &v);
	KUNIT_EXPECT_EQ(t->test, c.malformed, 0);
	KUNIT_EXPECT_EQ(t->test, c.misaligned, 0);
	KUNIT_EXPECT_EQ(t->test, c.unowned, 0);
	return c;
}

static bool lpae_ref_xlate(void *arg, u64 iova, phys_addr_t *pa)
{
	struct arm_lpae_ref_leaf l;

	if (!arm_lpae_ref_walk(arg, iova, &l))
		return false;
	*pa = l.oa;
	return true;
}

/*
 * The table of @level that holds @iova's entry, as the walker reaches it,
 * or 0 when the walk stops above @level.
 */
static phys_addr_t lpae_table_of(struct lpae_t *t, u64 iova, int level)
{
	const struct arm_lpae_ref *ref = &t->ref;
	phys_addr_t table = ref->pgd;
	int lvl;

	for (lvl = ref->start_level; lvl < level; lvl++) {
		unsigned int shift = arm_lpae_ref_level_shift(t->gshift, lvl);
		u64 n = lvl == ref->start_level ?
			arm_lpae_ref_pgd_entries(ref) : t->granule / 8;
		u64 pte = arm_lpae_ref_read(ref, table +
					    ((iova >> shift) & (n - 1)) * 8);

		if ((pte & 3) != 3)
			return 0;
		table = arm_lpae_ref_desc_addr(ref, pte);
	}
	return table;
}

/*
 * Map @entries pages from @iova, a last-level table's worth when @iova
 * starts one, and return that table.
 */
static phys_addr_t lpae_map_table(struct lpae_t *t, u64 iova, u64 entries)
{
	phys_addr_t table;

	KUNIT_ASSERT_EQ(t->test, lpae_map(t, iova, 0, t->granule, entries,
					  IOMMU_READ, NULL), 0);
	table = lpae_table_of(t, iova, 3);
	KUNIT_ASSERT_NE(t->test, table, 0);
	return table;
}

/* The bytes one table of @level translates: its entries times their size. */
static u64 lpae_table_span(const struct lpae_t *t, int level)
{
	return (t->granule / 8) << arm_lpae_ref_level_shift(t->gshift, level);
}

/*
 * Since the last iopt_test_reset_flushes(), the table at @pa, which
 * translated [@iova, @iova + @span) with leaves of @leaf bytes, was
 * removed as the unmap_pages() kernel-doc says: unreachable, freed once,
 * after a tlb_flush_walk that covers its whole range at the leaf size, and
 * without a tlb_add_page for any of its leaves.
 */
static void lpae_expect_table_removed(struct lpae_t *t, phys_addr_t pa,
				      u64 iova, u64 span, size_t leaf)
{
	struct kunit *test = t->test;
	struct iopt_test_ctx *ctx = t->ctx;
	unsigned int i, n = min_t(unsigned int, ctx->nlog, ctx->log_len);
	int ev_free = -1, walk = -1, frees = 0, pages = 0;

	KUNIT_EXPECT_LE(test, ctx->nlog, ctx->log_len);
	for (i = 0; i < n; i++) {
		const struct iopt_test_event *e = &ctx->log[i];

		switch (e->type) {
		case IOPT_TEST_EV_FREE:
			if (e->addr != pa)
				break;
			frees++;
			if (ev_free < 0)
				ev_free = i;
			break;
		case IOPT_TEST_EV_FLUSH_WALK:
			if (ev_free < 0 && e->addr <= iova &&
			    e->addr + e->size >= iova + span &&
			    e->granule == leaf)
				walk = i;
			break;
		case IOPT_TEST_EV_ADD_PAGE:
			if (e->addr >= iova && e->addr - iova < span)
				pages++;
			break;
		default:
			break;
		}
	}
	KUNIT_EXPECT_EQ_MSG(test, frees, 1, "table %pa for %#llx+%#llx freed",
			    &pa, iova, span);
	KUNIT_EXPECT_GE_MSG(test, walk, 0,
			    "table %pa for %#llx+%#llx freed without a tlb_flush_walk covering it at granule %#zx first",
			    &pa, iova, span, leaf);
	KUNIT_EXPECT_EQ_MSG(test, pages, 0,
			    "tlb_add_page for leaves removed with their table at %#llx",
			    iova);
	KUNIT_EXPECT_NE_MSG(test, (u64)lpae_table_of(t, iova,
						     lpae_level_of(t, leaf)),
			    (u64)pa, "removed table %pa still reachable", &pa);
}

/* Free the tables and check every allocation came back, at its size. */
static void lpae_free_and_check(struct lpae_t *t)
{
	lpae_free(t);
	if (!t->cfg.alloc)
		return;
	KUNIT_EXPECT_EQ(t->test, t->ctx->live, 0);
	KUNIT_EXPECT_EQ(t->test, t->ctx->live_bytes, 0);
	KUNIT_EXPECT_EQ(t->test, t->ctx->bad_frees, 0);
}

/* ------------------------------------------------------------------ */
/* Parameters                                                         */

static const struct lpae_param lpae_params[] = {
	{ ARM_64_LPAE_S1, SZ_4K, 48, 48, 0, true, "64-S1 4K ias48" },
	{ ARM_64_LPAE_S1, SZ_16K, 48, 48, 0, true, "64-S1 16K ias48" },
	{ ARM_64_LPAE_S1, SZ_64K, 48, 52, 0, true, "64-S1 64K oas52" },
	{ ARM_64_LPAE_S1, SZ_4K, 39, 40, IO_PGTABLE_QUIRK_ARM_TTBR1, true,
	  "64-S1 4K TTBR1 ias39" },
	{ ARM_64_LPAE_S1, SZ_4K, 48, 48, 0, false, "64-S1 4K non-coherent" },
	{ ARM_64_LPAE_S2, SZ_4K, 40, 40, 0, true, "64-S2 4K ias40 concat" },
	{ ARM_64_LPAE_S2, SZ_4K, 48, 48, 0, true, "64-S2 4K ias48" },
	{ ARM_64_LPAE_S2, SZ_16K, 48, 48, 0, true, "64-S2 16K ias48 concat" },
	{ ARM_64_LPAE_S2, SZ_64K, 48, 52, 0, false, "64-S2 64K oas52 non-coh" },
	{ ARM_32_LPAE_S1, SZ_4K, 32, 40, 0, true, "32-S1 4K" },
	{ ARM_32_LPAE_S2, SZ_4K, 40, 40, 0, true, "32-S2 4K" },
	{ ARM_MALI_LPAE, SZ_4K, 48, 40, 0, true, "Mali ias48" },
	{ ARM_MALI_LPAE, SZ_4K, 32, 40, 0, false, "Mali ias32 non-coherent" },
};

KUNIT_ARRAY_PARAM_DESC(lpae_cfg, lpae_params, desc);

/* Every quirk each format accepts, alone. */
static const struct lpae_param lpae_quirk_params[] = {
	{ ARM_64_LPAE_S1, SZ_4K, 48, 48, IO_PGTABLE_QUIRK_ARM_NS, true,
	  "S1 ARM_NS" },
	{ ARM_64_LPAE_S1, SZ_16K, 47, 48, IO_PGTABLE_QUIRK_ARM_TTBR1, true,
	  "S1 ARM_TTBR1 16K" },
	{ ARM_64_LPAE_S1, SZ_4K, 48, 48, IO_PGTABLE_QUIRK_ARM_OUTER_WBWA,
	  false, "S1 ARM_OUTER_WBWA" },
	{ ARM_64_LPAE_S1, SZ_4K, 48, 48, IO_PGTABLE_QUIRK_ARM_HD, true,
	  "S1 ARM_HD" },
	{ ARM_64_LPAE_S1, SZ_64K, 48, 48, IO_PGTABLE_QUIRK_NO_WARN, true,
	  "S1 NO_WARN 64K" },
	{ ARM_32_LPAE_S1, SZ_4K, 32, 40, IO_PGTABLE_QUIRK_ARM_NS, true,
	  "32-S1 ARM_NS" },
	{ ARM_64_LPAE_S2, SZ_4K, 40, 48, IO_PGTABLE_QUIRK_ARM_S2FWB, true,
	  "S2 ARM_S2FWB" },
	{ ARM_64_LPAE_S2, SZ_16K, 48, 48, IO_PGTABLE_QUIRK_NO_WARN, true,
	  "S2 NO_WARN 16K" },
	{ ARM_MALI_LPAE, SZ_4K, 48, 40, IO_PGTABLE_QUIRK_NO_WARN, true,
	  "Mali NO_WARN" },
};

KUNIT_ARRAY_PARAM_DESC(lpae_quirk, lpae_quirk_params, desc);

/* Format x granule, for the ias/oas crossing. */
static const struct lpae_param lpae_fmt_granule_params[] = {
	{ ARM_64_LPAE_S1, SZ_4K, .desc = "64-S1 4K" },
	{ ARM_64_LPAE_S1, SZ_16K, .desc = "64-S1 16K" },
	{ ARM_64_LPAE_S1, SZ_64K, .desc = "64-S1 64K" },
	{ ARM_64_LPAE_S2, SZ_4K, .desc = "64-S2 4K" },
	{ ARM_64_LPAE_S2, SZ_16K, .desc = "64-S2 16K" },
	{ ARM_64_LPAE_S2, SZ_64K, .desc = "64-S2 64K" },
	{ ARM_32_LPAE_S1, SZ_4K, .desc = "32-S1 4K" },
	{ ARM_32_LPAE_S1, SZ_16K, .desc = "32-S1 16K" },
	{ ARM_32_LPAE_S1, SZ_64K, .desc = "32-S1 64K" },
	{ ARM_32_LPAE_S2, SZ_4K, .desc = "32-S2 4K" },
	{ ARM_32_LPAE_S2, SZ_16K, .desc = "32-S2 16K" },
	{ ARM_32_LPAE_S2, SZ_64K, .desc = "32-S2 64K" },
	{ ARM_MALI_LPAE, SZ_4K, .desc = "Mali 4K" },
	{ ARM_MALI_LPAE, SZ_16K, .desc = "Mali 16K" },
	{ ARM_MALI_LPAE, SZ_64K, .desc = "Mali 64K" },
};

KUNIT_ARRAY_PARAM_DESC(lpae_fmt_granule, lpae_fmt_granule_params, desc);

static const enum io_pgtable_fmt lpae_fmts[] = {
	ARM_32_LPAE_S1, ARM_32_LPAE_S2, ARM_64_LPAE_S1, ARM_64_LPAE_S2,
	ARM_MALI_LPAE,
};

/* ------------------------------------------------------------------ */
/* Geometry and configuration                                         */

/*
 * What 6.12 accepts, from its rules rather than its code: the 32-bit
 * formats and Mali check their limits first and keep the 4K granule's
 * sizes; then ias and oas are clamped to what the granule can translate
 * (48 bits, 52 with 64K) and written back; the VMSA formats need an oas
 * that TCR.IPS/VTCR.PS can encode. Below one level of input bits 6.12
 * computes no valid geometry; we refuse that (a listed deviation).
 */
static bool lpae_accepts_as_6_12(enum io_pgtable_fmt fmt,
				 unsigned long granule, unsigned int *ias,
				 unsigned int *oas)
{
	unsigned int max = granule == SZ_64K ? 52 : 48;

	switch (fmt) {
	case ARM_32_LPAE_S1:
		if (*ias > 32 || *oas > 40 || granule != SZ_4K)
			return false;
		break;
	case ARM_32_LPAE_S2:
		if (*ias > 40 || *oas > 40 || granule != SZ_4K)
			return false;
		break;
	case ARM_MALI_LPAE:
		if (*ias > 48 || *oas > 40 || granule != SZ_4K)
			return false;
		break;
	default:
		break;
	}
	*ias = min(*ias, max);
	*oas = min(*oas, max);
	if (*ias <= __ffs(granule))
		return false;
	if (fmt == ARM_MALI_LPAE)
		return true;
	switch (*oas) {
	case 32: case 36: case 40: case 42: case 44: case 48: case 52:
		return true;
	}
	return false;
}

/* PS/IPS encoding: the smallest encodable size holding @oas bits. */
static unsigned int lpae_expect_ps(unsigned int oas)
{
	static const unsigned int sizes[] = { 32, 36, 40, 42, 44, 48, 52 };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(sizes); i++)
		if (oas <= sizes[i])
			return i;
	return ~0U;
}

static unsigned int lpae_expect_tg0(unsigned long granule)
{
	return granule == SZ_4K ? 0 : granule == SZ_64K ? 1 : 2;
}

static unsigned int lpae_expect_tg1(unsigned long granule)
{
	return granule == SZ_16K ? 1 : granule == SZ_4K ? 2 : 3;
}

/* VTCR.SL0 by the ARM ARM: with 4K, 0b11 is level 3 (FEAT_TTST). */
static unsigned int lpae_expect_sl0(unsigned long granule, int level)
{
	if (granule != SZ_4K)
		return 3 - level;
	return level == 3 ? 3 : 2 - level;
}

/* Check the PGD: exactly sized, naturally aligned, from the allocator. */
static void lpae_check_pgd(struct lpae_t *t, const char *what)
{
	struct kunit *test = t->test;
	size_t size = arm_lpae_ref_pgd_entries(&t->ref) * sizeof(u64);
	size_t fp = max_t(size_t, size, IO_PGTABLE_MIN_TABLE_SIZE);
	phys_addr_t pgd = t->ref.pgd;

	/* Mali's AS_TRANSTAB ignores address bits [11:0]: a 4K-aligned PGD */
	if (t->kind == LPAE_MALI)
		fp = SZ_4K;

	if (!t->cfg.coherent_walk)
		fp = max_t(size_t, fp, dma_get_cache_alignment());
	KUNIT_EXPECT_TRUE_MSG(test, IS_ALIGNED(pgd, fp), "%s: pgd %pa", what,
			      &pgd);
	if (!t->cfg.alloc)
		return;
	KUNIT_EXPECT_EQ_MSG(test, t->ctx->first_size, fp, "%s", what);
	KUNIT_EXPECT_EQ_MSG(test, (u64)virt_to_phys(t->ctx->first_table),
			    (u64)pgd, "%s", what);
	KUNIT_EXPECT_EQ_MSG(test, t->ctx->live, 1, "%s", what);
}

static void lpae_check_regs(struct lpae_t *t, const char *what)
{
	struct kunit *test = t->test;
	unsigned long q = t->cfg.quirks;
	bool coh = t->cfg.coherent_walk;

	switch (t->kind) {
	case LPAE_S1: {
		typeof(t->cfg.arm_lpae_s1_cfg) *s1 = &t->cfg.arm_lpae_s1_cfg;

		KUNIT_EXPECT_EQ_MSG(test, (u32)s1->tcr.tsz, 64 - t->cfg.ias, "%s", what);
		KUNIT_EXPECT_EQ_MSG(test, (u32)s1->tcr.ips, lpae_expect_ps(t->cfg.oas),
				    "%s", what);
		KUNIT_EXPECT_EQ_MSG(test, (u32)s1->tcr.tg,
				    (q & IO_PGTABLE_QUIRK_ARM_TTBR1) ?
				    lpae_expect_tg1(t->granule) :
				    lpae_expect_tg0(t->granule), "%s", what);
		KUNIT_EXPECT_EQ_MSG(test, (u32)s1->tcr.sh, coh ? 3 : 2, "%s", what);
		KUNIT_EXPECT_EQ_MSG(test, (u32)s1->tcr.irgn, coh ? 1 : 0, "%s", what);
		KUNIT_EXPECT_EQ_MSG(test, (u32)s1->tcr.orgn,
				    coh || (q & IO_PGTABLE_QUIRK_ARM_OUTER_WBWA) ?
				    1 : 0, "%s", what);
		KUNIT_EXPECT_EQ_MSG(test, s1->mair, LPAE_MAIR, "%s", what);
		break;
	}
	case LPAE_S2: {
		typeof(t->cfg.arm_lpae_s2_cfg) *s2 = &t->cfg.arm_lpae_s2_cfg;

		KUNIT_EXPECT_EQ_MSG(test, (u32)s2->vtcr.tsz, 64 - t->cfg.ias, "%s",
				    what);
		KUNIT_EXPECT_EQ_MSG(test, (u32)s2->vtcr.ps, lpae_expect_ps(t->cfg.oas),
				    "%s", what);
		KUNIT_EXPECT_EQ_MSG(test, (u32)s2->vtcr.tg, lpae_expect_tg0(t->granule),
				    "%s", what);
		KUNIT_EXPECT_EQ_MSG(test, (u32)s2->vtcr.sh, coh ? 3 : 2, "%s", what);
		KUNIT_EXPECT_EQ_MSG(test, (u32)s2->vtcr.irgn, coh ? 1 : 0, "%s", what);
		KUNIT_EXPECT_EQ_MSG(test, (u32)s2->vtcr.orgn, coh ? 1 : 0, "%s", what);
		KUNIT_EXPECT_EQ_MSG(test, (u32)s2->vtcr.sl,
				    lpae_expect_sl0(t->granule,
						    t->ref.start_level),
				    "%s", what);
		break;
	}
	case LPAE_MALI: {
		u64 tt = t->cfg.arm_mali_lpae_cfg.transtab;

		KUNIT_EXPECT_EQ_MSG(test, tt & 0xfff,
				    0x3ULL | BIT(2) | (coh ? BIT(4) : 0),
				    "%s", what);
		KUNIT_EXPECT_EQ_MSG(test, t->cfg.arm_mali_lpae_cfg.memattr,
				    LPAE_MALI_MEMATTR, "%s", what);
		break;
	}
	}
}

/*
 * Map a page at the bottom and the top of the input range, and a block of
 * every size at the top of the input range, each at the top of the output
 * range; check them; unmap; check everything went.
 */
static void lpae_exercise_range(struct lpae_t *t, const char *what)
{
	struct kunit *test = t->test;
	u64 top_iova = t->base + (1ULL << t->cfg.ias);
	u64 top_pa = 1ULL << t->cfg.oas;
	unsigned long sizes = t->cfg.pgsize_bitmap;
	struct lpae_census before, after;
	unsigned int bit;
	int prot = IOMMU_READ | IOMMU_WRITE | IOMMU_CACHE;
	phys_addr_t table;
	u64 span;

	KUNIT_EXPECT_EQ_MSG(test, lpae_map(t, t->base, 0, t->granule, 1, prot,
					   NULL), 0, "%s", what);
	lpae_check_leaf(t, t->base, 0, t->granule, prot);
	KUNIT_EXPECT_EQ_MSG(test, lpae_map(t, top_iova - t->granule,
					   top_pa - t->granule, t->granule, 1,
					   prot, NULL), 0, "%s", what);
	lpae_check_leaf(t, top_iova - t->granule, top_pa - t->granule,
			t->granule, prot);

	for_each_set_bit(bit, &sizes, BITS_PER_LONG) {
		u64 bs = 1ULL << bit;

		if (bs == t->granule || 2 * bs >= (1ULL << t->cfg.ias) ||
		    bs > top_pa)
			continue;
		KUNIT_EXPECT_EQ_MSG(test, lpae_map(t, top_iova - 2 * bs,
						   top_pa - bs, bs, 1, prot,
						   NULL), 0,
				    "%s block %#llx", what, bs);
		lpae_check_leaf(t, top_iova - 2 * bs, top_pa - bs, bs, prot);
	}
	before = lpae_census(t);

	KUNIT_EXPECT_EQ(test, lpae_unmap(t, t->base, t->granule, 1), t->granule);
	KUNIT_EXPECT_EQ(test, lpae_unmap(t, top_iova - t->granule, t->granule,
					 1), t->granule);
	for_each_set_bit(bit, &sizes, BITS_PER_LONG) {
		u64 bs = 1ULL << bit;

		if (bs == t->granule || 2 * bs >= (1ULL << t->cfg.ias) ||
		    bs > top_pa)
			continue;
		KUNIT_EXPECT_EQ_MSG(test, (u64)lpae_unmap(t, top_iova - 2 * bs,
							  bs, 1), bs,
				    "%s block %#llx", what, bs);
		KUNIT_EXPECT_TRUE(test, lpae_unmapped(t, top_iova - 2 * bs));
	}
	KUNIT_EXPECT_TRUE(test, lpae_unmapped(t, t->base));
	KUNIT_EXPECT_TRUE(test, lpae_unmapped(t, top_iova - 1));
	/*
	 * Leaf by leaf, no call unmapped a table's whole range: every table
	 * stays, empty, since a concurrent mapper may be walking it.
	 */
	after = lpae_census(t);
	KUNIT_EXPECT_EQ_MSG(test, after.leaves, 0, "%s", what);
	KUNIT_EXPECT_EQ_MSG(test, after.tables, before.tables, "%s", what);
	if (t->cfg.alloc) {
		KUNIT_EXPECT_EQ_MSG(test, t->ctx->live, after.tables, "%s", what);
		KUNIT_EXPECT_EQ_MSG(test, t->ctx->frees, 0, "%s", what);
	}

	/* one call over a whole last-level table of pages removes it */
	span = lpae_table_span(t, 3);
	KUNIT_EXPECT_EQ_MSG(test, lpae_map(t, t->base + span, 0, t->granule,
					   span / t->granule, prot, NULL), 0,
			    "%s", what);
	table = lpae_table_of(t, t->base + span, 3);
	KUNIT_EXPECT_NE_MSG(test, (u64)table, 0, "%s", what);
	before = lpae_census(t);
	iopt_test_reset_flushes(t->ctx);
	KUNIT_EXPECT_EQ_MSG(test, (u64)lpae_unmap(t, t->base + span, t->granule,
						  span / t->granule), span,
			    "%s", what);
	after = lpae_census(t);
	KUNIT_EXPECT_EQ_MSG(test, after.leaves, 0, "%s", what);
	KUNIT_EXPECT_EQ_MSG(test, after.tables, before.tables - 1, "%s", what);
	KUNIT_EXPECT_EQ_MSG(test, t->ctx->add_page, 0, "%s", what);
	if (t->cfg.alloc) {
		KUNIT_EXPECT_EQ_MSG(test, t->ctx->live, after.tables, "%s", what);
		lpae_expect_table_removed(t, table, t->base + span, span,
					  t->granule);
	}
}

/* Every ias x oas for one format and granule: refused or fully right. */
static void lpae_test_geometry(struct kunit *test)
{
	static const unsigned int ias_list[] = { 31, 32, 33, 36, 39, 40, 41,
						 42, 43, 44, 47, 48, 49, 50,
						 52 };
	static const unsigned int oas_list[] = { 31, 32, 33, 36, 40, 41, 42,
						 44, 48, 52, 53 };
	const struct lpae_param *p = test->param_value;
	unsigned int i, j, valid = 0;
	char what[64];

	for (i = 0; i < ARRAY_SIZE(ias_list); i++) {
		for (j = 0; j < ARRAY_SIZE(oas_list); j++) {
			unsigned int ias = ias_list[i], oas = oas_list[j];
			struct lpae_t *t;

			snprintf(what, sizeof(what), "%s ias %u oas %u",
				 p->desc, ias, oas);
			unsigned int wi = ias, wo = oas;

			t = lpae_new(test, p->fmt, lpae_all_sizes(p->granule),
				     ias, oas, 0, true, true);
			if (!lpae_accepts_as_6_12(p->fmt, p->granule, &wi,
						  &wo)) {
				KUNIT_EXPECT_NULL_MSG(test, t->ops, "%s", what);
				lpae_free(t);
				KUNIT_EXPECT_EQ_MSG(test, t->ctx->live, 0, "%s",
						    what);
				continue;
			}
			KUNIT_EXPECT_NOT_NULL_MSG(test, t->ops, "%s", what);
			if (!t->ops)
				continue;
			valid++;
			KUNIT_EXPECT_EQ_MSG(test, t->cfg.pgsize_bitmap,
					    lpae_expect_sizes(p->granule, wi, wo),
					    "%s", what);
			lpae_check_regs(t, what);
			lpae_check_pgd(t, what);
			lpae_exercise_range(t, what);
			lpae_free_and_check(t);
		}
	}
	if (p->fmt == ARM_64_LPAE_S1 || p->fmt == ARM_64_LPAE_S2 ||
	    p->granule == SZ_4K)
		KUNIT_EXPECT_GT(test, valid, 0);
}

static void lpae_test_granule_select(struct kunit *test)
{
	unsigned long all = SZ_4K | SZ_16K | SZ_64K | SZ_2M | SZ_32M | SZ_512M;
	unsigned long want;
	struct lpae_t *t;

	/* PAGE_SIZE if offered */
	t = lpae_new(test, ARM_64_LPAE_S1, all, 48, 48, 0, true, false);
	KUNIT_ASSERT_NOT_NULL(test, t->ops);
	want = min_t(unsigned long, PAGE_SIZE, SZ_64K);
	KUNIT_EXPECT_EQ(test, t->granule, want);
	lpae_free(t);

	/* else the largest below PAGE_SIZE */
	if (PAGE_SIZE >= SZ_64K) {
		t = lpae_new(test, ARM_64_LPAE_S1, SZ_4K | SZ_16K, 48, 48, 0,
			     true, false);
		KUNIT_ASSERT_NOT_NULL(test, t->ops);
		KUNIT_EXPECT_EQ(test, t->granule, SZ_16K);
		lpae_free(t);
	}

	/* else the smallest above */
	if (PAGE_SIZE == SZ_4K) {
		t = lpae_new(test, ARM_64_LPAE_S1, SZ_16K | SZ_64K, 48, 48, 0,
			     true, false);
		KUNIT_ASSERT_NOT_NULL(test, t->ops);
		KUNIT_EXPECT_EQ(test, t->granule, SZ_16K);
		KUNIT_EXPECT_EQ(test, t->cfg.pgsize_bitmap, SZ_16K);
		lpae_free(t);
	}

	/* no granule at all, or only block sizes: refused */
	t = lpae_new(test, ARM_64_LPAE_S1, SZ_2M | SZ_1G, 48, 48, 0, true,
		     false);
	KUNIT_EXPECT_NULL(test, t->ops);
	t = lpae_new(test, ARM_64_LPAE_S1, 0, 48, 48, 0, true, false);
	KUNIT_EXPECT_NULL(test, t->ops);
}

static void lpae_test_pgsize_bitmap_masked(struct kunit *test)
{
	const struct lpae_param *p = test->param_value;
	unsigned long all = lpae_all_sizes(p->granule);
	struct lpae_t *t;

	/* only the granule: no blocks appear */
	t = lpae_new(test, p->fmt, p->granule, p->ias, p->oas, p->quirks,
		     p->coherent, false);
	KUNIT_ASSERT_NOT_NULL(test, t->ops);
	KUNIT_EXPECT_EQ(test, t->cfg.pgsize_bitmap, p->granule);
	lpae_free(t);

	/*
	 * foreign sizes go, the granule's blocks stay (sizes that would
	 * change the granule 6.12 picks are another test's)
	 */
	t = lpae_new(test, p->fmt, all | SZ_1M | SZ_4M,
		     p->ias, p->oas, p->quirks, p->coherent, false);
	KUNIT_ASSERT_NOT_NULL(test, t->ops);
	KUNIT_EXPECT_EQ(test, t->cfg.pgsize_bitmap,
			lpae_expect_sizes(p->granule, p->ias, p->oas));
	lpae_free(t);
}

struct lpae_s2_geom {
	unsigned long	granule;
	unsigned int	ias;
	int		level;
	unsigned int	pgd_bytes;
	char		desc[32];
};

/* Written out from the ARM ARM, not computed: VTCR_EL2.{SL0,T0SZ}. */
static const struct lpae_s2_geom lpae_s2_geoms[] = {
	{ SZ_4K, 32, 1, 32, "4K ias32 L1 4 entries" },
	{ SZ_4K, 36, 1, 512, "4K ias36 L1" },
	{ SZ_4K, 39, 1, SZ_4K, "4K ias39 L1 full" },
	{ SZ_4K, 40, 1, SZ_8K, "4K ias40 L1 2 tables" },
	{ SZ_4K, 42, 1, SZ_32K, "4K ias42 L1 8 tables" },
	{ SZ_4K, 43, 1, SZ_64K, "4K ias43 L1 16 tables" },
	{ SZ_4K, 44, 0, 256, "4K ias44 L0" },
	{ SZ_4K, 48, 0, SZ_4K, "4K ias48 L0" },
	{ SZ_16K, 32, 2, SZ_1K, "16K ias32 L2" },
	{ SZ_16K, 36, 2, SZ_16K, "16K ias36 L2 full" },
	{ SZ_16K, 40, 1, 128, "16K ias40 L1" },
	{ SZ_16K, 47, 1, SZ_16K, "16K ias47 L1 full" },
	{ SZ_16K, 48, 1, SZ_32K, "16K ias48 L1 2 tables" },
	{ SZ_64K, 32, 2, 64, "64K ias32 L2" },
	{ SZ_64K, 42, 2, SZ_64K, "64K ias42 L2 full" },
	{ SZ_64K, 44, 1, 32, "64K ias44 L1" },
	{ SZ_64K, 48, 1, 512, "64K ias48 L1" },
};

KUNIT_ARRAY_PARAM_DESC(lpae_s2_geom, lpae_s2_geoms, desc);

static void lpae_test_s2_start_level(struct kunit *test)
{
	const struct lpae_s2_geom *g = test->param_value;
	size_t fp = max_t(size_t, g->pgd_bytes, IO_PGTABLE_MIN_TABLE_SIZE);
	struct lpae_t *t;
	u64 iova;

	t = lpae_new(test, ARM_64_LPAE_S2, lpae_all_sizes(g->granule), g->ias,
		     40, 0, true, true);
	KUNIT_ASSERT_NOT_NULL(test, t->ops);
	KUNIT_EXPECT_EQ(test, t->ref.start_level, g->level);
	KUNIT_EXPECT_EQ(test, (u32)t->cfg.arm_lpae_s2_cfg.vtcr.sl,
			lpae_expect_sl0(g->granule, g->level));
	KUNIT_EXPECT_EQ(test, (u32)t->cfg.arm_lpae_s2_cfg.vtcr.tsz, 64 - g->ias);
	KUNIT_EXPECT_EQ(test, t->ctx->first_size, fp);
	KUNIT_EXPECT_TRUE(test, IS_ALIGNED(t->cfg.arm_lpae_s2_cfg.vttbr, fp));
	KUNIT_EXPECT_EQ(test, t->cfg.arm_lpae_s2_cfg.vttbr,
			(u64)virt_to_phys(t->ctx->first_table));

	/* the last page of the input range sits in the last PGD entry */
	iova = (1ULL << g->ias) - g->granule;
	KUNIT_ASSERT_EQ(test, lpae_map(t, iova, SZ_1G, g->granule, 1,
				       IOMMU_READ, NULL), 0);
	lpae_check_leaf(t, iova, SZ_1G, g->granule, IOMMU_READ);
	KUNIT_EXPECT_EQ(test, *(u64 *)(t->ctx->first_table + g->pgd_bytes - 8) &
			3, 3);
	lpae_free_and_check(t);
}

static void lpae_test_s1_pgd_32bit(struct kunit *test)
{
	struct lpae_t *t;

	/* ias 32, 4K: level 1 with 4 entries, a 32-byte table in 64 bytes */
	t = lpae_new(test, ARM_32_LPAE_S1, SZ_4K | SZ_2M | SZ_1G, 32, 40, 0,
		     true, true);
	KUNIT_ASSERT_NOT_NULL(test, t->ops);
	KUNIT_EXPECT_EQ(test, t->ref.start_level, 1);
	KUNIT_EXPECT_EQ(test, t->ctx->first_size, 64);
	KUNIT_EXPECT_TRUE(test, IS_ALIGNED(t->cfg.arm_lpae_s1_cfg.ttbr, 64));
	KUNIT_ASSERT_EQ(test, lpae_map(t, SZ_1G * 3ULL, SZ_1G, SZ_1G, 1,
				       IOMMU_READ, NULL), 0);
	lpae_check_leaf(t, SZ_1G * 3ULL, SZ_1G, SZ_1G, IOMMU_READ);
	/* entry 3 of the PGD, nothing beyond the 32 bytes */
	KUNIT_EXPECT_NE(test, ((u64 *)t->ctx->first_table)[3], 0);
	KUNIT_EXPECT_EQ(test, ((u64 *)t->ctx->first_table)[4], 0);
	lpae_free_and_check(t);

	/* a non-coherent walker never shares a cache line with its PGD */
	t = lpae_new(test, ARM_64_LPAE_S1, SZ_4K, 32, 40, 0, false, true);
	KUNIT_ASSERT_NOT_NULL(test, t->ops);
	KUNIT_EXPECT_EQ(test, t->ctx->first_size,
			max_t(size_t, 64, dma_get_cache_alignment()));
	lpae_free_and_check(t);
}

static void lpae_test_cfg_regs(struct kunit *test)
{
	const struct lpae_param *p = test->param_value;
	struct lpae_t *t = lpae_new_param(test, p, 0, true);

	lpae_check_regs(t, p->desc);
	lpae_check_pgd(t, p->desc);
	KUNIT_EXPECT_EQ(test, t->cfg.pgsize_bitmap,
			lpae_expect_sizes(p->granule, p->ias, p->oas));
	lpae_free_and_check(t);
}

static void lpae_test_cfg_regs_quirks(struct kunit *test)
{
	lpae_test_cfg_regs(test);
}

static void lpae_test_mali_cfg(struct kunit *test)
{
	struct lpae_t *t;

	t = lpae_new(test, ARM_MALI_LPAE, SZ_4K | SZ_2M | SZ_1G, 48, 40, 0,
		     true, true);
	KUNIT_ASSERT_NOT_NULL(test, t->ops);
	KUNIT_EXPECT_EQ(test, t->cfg.arm_mali_lpae_cfg.transtab,
			(u64)virt_to_phys(t->ctx->first_table) | 0x3 | BIT(2) |
			BIT(4));
	KUNIT_EXPECT_EQ(test, t->cfg.arm_mali_lpae_cfg.memattr,
			LPAE_MALI_MEMATTR);
	KUNIT_EXPECT_EQ(test, t->cfg.pgsize_bitmap,
			(unsigned long)(SZ_4K | SZ_2M | SZ_1G));
	lpae_free_and_check(t);

	/*
	 * 4 levels even for ias 32: a 1-entry level-0 table, in a 4K one
	 * since AS_TRANSTAB holds the address from bit 12 up only.
	 */
	t = lpae_new(test, ARM_MALI_LPAE, SZ_4K | SZ_2M, 32, 32, 0, false,
		     true);
	KUNIT_ASSERT_NOT_NULL(test, t->ops);
	KUNIT_EXPECT_EQ(test, t->cfg.arm_mali_lpae_cfg.transtab & 0xfff,
			0x3ULL | BIT(2));
	KUNIT_EXPECT_EQ(test, t->ctx->first_size, SZ_4K);
	KUNIT_ASSERT_EQ(test, lpae_map(t, SZ_2M * 7ULL, SZ_4K * 3ULL, SZ_4K, 1,
				       IOMMU_READ | IOMMU_WRITE, NULL), 0);
	lpae_check_leaf(t, SZ_2M * 7ULL, SZ_4K * 3ULL, SZ_4K,
			IOMMU_READ | IOMMU_WRITE);
	KUNIT_EXPECT_EQ(test, lpae_census(t).tables, 4);
	lpae_free_and_check(t);

	t = lpae_new(test, ARM_MALI_LPAE, SZ_4K, 48, 41, 0, true, false);
	KUNIT_EXPECT_NULL(test, t->ops);
	t = lpae_new(test, ARM_MALI_LPAE, SZ_16K, 48, 40, 0, true, false);
	KUNIT_EXPECT_NULL(test, t->ops);
}

/*
 * The quirks each format takes, as 6.12 takes them, plus our additive
 * NO_WARN (every format) and S2FWB (stage 2). NO_PERMS is a v7s quirk:
 * 6.12 refuses it on every LPAE format, and OUTER_WBWA with a coherent
 * walker, and so do we.
 */
static void lpae_test_quirks_accepted(struct kunit *test)
{
	unsigned long s1 = IO_PGTABLE_QUIRK_ARM_NS | IO_PGTABLE_QUIRK_ARM_TTBR1 |
			   IO_PGTABLE_QUIRK_ARM_OUTER_WBWA |
			   IO_PGTABLE_QUIRK_ARM_HD | IO_PGTABLE_QUIRK_NO_WARN |
			   IO_PGTABLE_QUIRK_NO_SPLIT | IO_PGTABLE_QUIRK_ARM_BBML2 |
			   IO_PGTABLE_QUIRK_ARM_CONTIG | IO_PGTABLE_QUIRK_ARM_RECLAIM;
	unsigned long s2 = IO_PGTABLE_QUIRK_ARM_S2FWB | IO_PGTABLE_QUIRK_NO_WARN |
			   IO_PGTABLE_QUIRK_NO_SPLIT | IO_PGTABLE_QUIRK_ARM_BBML2 |
			   IO_PGTABLE_QUIRK_ARM_CONTIG | IO_PGTABLE_QUIRK_ARM_RECLAIM;
	unsigned long mali = IO_PGTABLE_QUIRK_NO_WARN | IO_PGTABLE_QUIRK_NO_SPLIT;
	unsigned int i, bit, coherent;

	for (i = 0; i < ARRAY_SIZE(lpae_fmts); i++) {
		enum io_pgtable_fmt fmt = lpae_fmts[i];
		enum lpae_kind kind = lpae_kind_of(fmt);
		unsigned int ias = fmt == ARM_32_LPAE_S1 ? 32 : 40;

		for (coherent = 0; coherent < 2; coherent++) {
			unsigned long ok = kind == LPAE_S1 ? s1 :
					   kind == LPAE_S2 ? s2 : mali;

			if (coherent)
				ok &= ~IO_PGTABLE_QUIRK_ARM_OUTER_WBWA;
			/* FEAT_BBM: VMSAv8-64 walkers only */
			if (fmt == ARM_32_LPAE_S1 || fmt == ARM_32_LPAE_S2)
				ok &= ~IO_PGTABLE_QUIRK_ARM_BBML2;
			for (bit = 0; bit < 16; bit++) {
				unsigned long q = BIT(bit);
				struct lpae_t *t;

				t = lpae_new(test, fmt, SZ_4K | SZ_2M, ias, 40,
					     q, coherent, true);
				KUNIT_EXPECT_EQ_MSG(test, !!t->ops, !!(ok & q),
						    "fmt %d quirk %#lx coherent %u",
						    fmt, q, coherent);
				lpae_free_and_check(t);
			}
			/* all accepted ones together */
			KUNIT_EXPECT_NOT_NULL_MSG(test,
						  lpae_new(test, fmt, SZ_4K,
							   ias, 40, ok,
							   coherent,
							   false)->ops,
						  "fmt %d quirks %#lx", fmt, ok);
		}
	}
}

/*
 * Every ias/oas pair from 32 to 52 bits for every format and granule, as
 * arm-smmu-v3 passes them (arm_smmu_domain_finalise(): S1 oas = the SMMU's
 * larger of IAS and OAS, 52 on any SMMU with a 52-bit OAS; S2 ias the
 * same): accepted exactly when 6.12 accepts, with the clamped sizes
 * written back, and a page at the top of both spaces translates.
 */
static void lpae_test_ias_oas_as_6_12(struct kunit *test)
{
	static const unsigned long granules[] = { SZ_4K, SZ_16K, SZ_64K };
	unsigned int i, g, ias, oas, accepted = 0;

	for (i = 0; i < ARRAY_SIZE(lpae_fmts); i++) {
		for (g = 0; g < ARRAY_SIZE(granules); g++) {
			for (ias = 32; ias <= 52; ias++) {
				for (oas = 32; oas <= 52; oas++) {
					unsigned int wi = ias, wo = oas;
					bool ok = lpae_accepts_as_6_12(lpae_fmts[i],
								       granules[g],
								       &wi, &wo);
					struct lpae_t *t;
					u64 top, pa;

					t = lpae_new(test, lpae_fmts[i],
						     lpae_all_sizes(granules[g]),
						     ias, oas, 0, true, false);
					KUNIT_EXPECT_EQ_MSG(test, !!t->ops, ok,
							    "fmt %d granule %#lx ias %u oas %u",
							    lpae_fmts[i],
							    granules[g], ias,
							    oas);
					if (!t->ops || !ok) {
						lpae_free(t);
						continue;
					}
					accepted++;
					KUNIT_EXPECT_EQ(test, t->cfg.ias, wi);
					KUNIT_EXPECT_EQ(test, t->cfg.oas, wo);
					top = BIT_ULL(wi) - t->granule;
					pa = BIT_ULL(wo) - t->granule;
					KUNIT_EXPECT_EQ_MSG(test,
							    lpae_map(t, top, pa,
								     t->granule,
								     1,
								     IOMMU_READ,
								     NULL), 0,
							    "fmt %d granule %#lx ias %u oas %u",
							    lpae_fmts[i],
							    granules[g], ias,
							    oas);
					KUNIT_EXPECT_EQ(test,
							(u64)t->ops->iova_to_phys(t->ops,
										  top),
							pa);
					lpae_free(t);
				}
			}
		}
	}
	/* the sweep reached both sides */
	KUNIT_EXPECT_GT(test, accepted, 500);
}

/* Input sizes below 32 bits, down to one level of index bits. */
static void lpae_test_small_ias(struct kunit *test)
{
	static const unsigned long granules[] = { SZ_4K, SZ_16K, SZ_64K };
	unsigned int i, g, ias;

	for (i = 0; i < ARRAY_SIZE(lpae_fmts); i++) {
		for (g = 0; g < ARRAY_SIZE(granules); g++) {
			for (ias = 8; ias < 32; ias++) {
				unsigned int wi = ias, wo = 32;
				bool ok = lpae_accepts_as_6_12(lpae_fmts[i],
							       granules[g],
							       &wi, &wo);
				struct lpae_t *t;

				t = lpae_new(test, lpae_fmts[i],
					     lpae_all_sizes(granules[g]), ias,
					     32, 0, true, false);
				KUNIT_EXPECT_EQ_MSG(test, !!t->ops, ok,
						    "fmt %d granule %#lx ias %u",
						    lpae_fmts[i], granules[g],
						    ias);
				if (t->ops) {
					u64 top = BIT_ULL(ias) - t->granule;

					KUNIT_EXPECT_EQ(test,
							lpae_map(t, top, 0,
								 t->granule, 1,
								 IOMMU_READ,
								 NULL), 0);
					KUNIT_EXPECT_EQ(test,
							(u64)t->ops->iova_to_phys(t->ops,
										  top),
							0);
					KUNIT_EXPECT_EQ(test,
							lpae_map(t, top + t->granule,
								 0, t->granule,
								 1, IOMMU_READ,
								 NULL), -ERANGE);
				}
				lpae_free(t);
			}
		}
	}
}

/* ------------------------------------------------------------------ */
/* Descriptors                                                        */

/* Map every prot combination at every size and check each descriptor. */
static void lpae_check_all_prots(struct lpae_t *t)
{
	struct kunit *test = t->test;
	unsigned long sizes = t->cfg.pgsize_bitmap;
	unsigned int bit;
	u64 iova = t->base + (1ULL << 31);
	int prot;

	for_each_set_bit(bit, &sizes, BITS_PER_LONG) {
		u64 bs = 1ULL << bit;

		/* 64 blocks of 4T do not fit any ias we test */
		if (bs > SZ_1G)
			continue;
		iova = ALIGN(iova, bs);
		for (prot = 0; prot <= LPAE_PROT_ALL; prot++) {
			u64 pa = (1ULL << 32) + (u64)prot * bs;

			if (!(prot & (IOMMU_READ | IOMMU_WRITE)))
				continue;
			if (iova + bs - t->base > (1ULL << t->cfg.ias))
				return;
			KUNIT_ASSERT_EQ_MSG(test, lpae_map(t, iova, pa, bs, 1,
							   prot, NULL), 0,
					    "prot %#x size %#llx", prot, bs);
			lpae_check_leaf(t, iova, pa, bs, prot);
			iova += bs;
		}
	}
}

static void lpae_test_prot_bits(struct kunit *test)
{
	const struct lpae_param *p = test->param_value;
	struct lpae_t *t = lpae_new_param(test, p, 0, false);

	lpae_check_all_prots(t);
	lpae_census(t);
	lpae_free(t);
}

static void lpae_test_prot_bits_quirks(struct kunit *test)
{
	lpae_test_prot_bits(test);
}

static void lpae_test_prot_needs_rw(struct kunit *test)
{
	const struct lpae_param *p = test->param_value;
	struct lpae_t *t = lpae_new_param(test, p, IO_PGTABLE_QUIRK_NO_WARN,
					  false);
	struct iopt_snapshot a;
	size_t mapped = 0;
	int prot;

	KUNIT_ASSERT_EQ(test, lpae_map(t, t->base, 0, t->granule, 1,
				       IOMMU_READ, NULL), 0);
	lpae_snapshot(t, &a);
	for (prot = 0; prot <= LPAE_PROT_ALL; prot++) {
		if (prot & (IOMMU_READ | IOMMU_WRITE))
			continue;
		KUNIT_EXPECT_EQ_MSG(test, lpae_map(t, t->base + t->granule,
						   t->granule, t->granule, 4,
						   prot, &mapped),
				    -EINVAL, "prot %#x", prot);
	}
	KUNIT_EXPECT_EQ(test, mapped, 0);
	lpae_expect_unchanged(t, &a);
}

/*
 * mtk_iommu passes IO_PGTABLE_QUIRK_NO_PERMS to v7s only; an LPAE format
 * that took it would ignore the permissions the caller asked for. 6.12
 * refuses it, and so must we.
 */
static void lpae_test_quirk_no_perms_refused(struct kunit *test)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(lpae_fmts); i++) {
		unsigned int ias = lpae_fmts[i] == ARM_32_LPAE_S1 ? 32 : 40;
		struct lpae_t *t = lpae_new(test, lpae_fmts[i], SZ_4K | SZ_2M,
					    ias, 40, IO_PGTABLE_QUIRK_NO_PERMS,
					    true, true);

		KUNIT_EXPECT_NULL_MSG(test, t->ops, "fmt %d", lpae_fmts[i]);
		KUNIT_EXPECT_EQ(test, t->ctx->live, 0);
	}
}

/* Descriptors of every table: exactly type | address (| NSTable). */
struct lpae_tdesc {
	struct lpae_t	*t;
	unsigned int	checked;
	unsigned int	bad;
	u64		want_extra;
};

static int lpae_tdesc_table(void *arg, int level, phys_addr_t pa, size_t size,
			    u64 iova)
{
	struct lpae_tdesc *d = arg;
	struct lpae_t *t = d->t;
	u64 *tbl = phys_to_virt(pa);
	size_t i;

	for (i = 0; i < size / 8; i++) {
		u64 pte = READ_ONCE(tbl[i]);

		if ((pte & 3) != 3 || level == 3)
			continue;
		d->checked++;
		/* bits [58:55] are the software's: the walker ignores them */
		pte &= ~GENMASK_ULL(58, 55);
		if (pte != (lpae_oa_bits(t, arm_lpae_ref_desc_addr(&t->ref, pte)) |
			    3 | d->want_extra)) {
			d->bad++;
			KUNIT_FAIL(t->test, "table descriptor %#llx at level %d",
				   pte, level);
		}
	}
	return 0;
}

static void lpae_check_table_descs(struct lpae_t *t, u64 want_extra)
{
	struct lpae_tdesc d = { .t = t, .want_extra = want_extra };
	struct arm_lpae_ref_visitor v = {
		.table = lpae_tdesc_table,
		.arg = &d,
	};

	arm_lpae_ref_for_each(&t->ref, &v);
	KUNIT_EXPECT_GT(t->test, d.checked, 0);
	KUNIT_EXPECT_EQ(t->test, d.bad, 0);
}

static void lpae_test_table_descriptors(struct kunit *test)
{
	const struct lpae_param *p = test->param_value;
	struct lpae_t *t = lpae_new_param(test, p, 0, false);
	u64 ns = (t->cfg.quirks & IO_PGTABLE_QUIRK_ARM_NS) ? ARM_REF_NSTABLE : 0;

	KUNIT_ASSERT_EQ(test, lpae_map(t, t->base + (1ULL << 31), SZ_1G,
				       t->granule, 3, IOMMU_READ, NULL), 0);
	lpae_check_table_descs(t, ns);
	lpae_free(t);
}

static void lpae_test_quirk_ns(struct kunit *test)
{
	struct lpae_t *t;

	t = lpae_new(test, ARM_64_LPAE_S1, SZ_4K | SZ_2M, 48, 48,
		     IO_PGTABLE_QUIRK_ARM_NS, true, false);
	KUNIT_ASSERT_NOT_NULL(test, t->ops);
	KUNIT_ASSERT_EQ(test, lpae_map(t, SZ_1G, SZ_1G, SZ_4K, 1, IOMMU_READ,
				       NULL), 0);
	KUNIT_ASSERT_EQ(test, lpae_map(t, SZ_2G, SZ_2G, SZ_2M, 1, IOMMU_READ,
				       NULL), 0);
	lpae_check_leaf(t, SZ_1G, SZ_1G, SZ_4K, IOMMU_READ);
	lpae_check_leaf(t, SZ_2G, SZ_2G, SZ_2M, IOMMU_READ);
	lpae_check_table_descs(t, ARM_REF_NSTABLE);
	lpae_free(t);

	/* and neither NS nor NSTable without it */
	t = lpae_new(test, ARM_64_LPAE_S1, SZ_4K | SZ_2M, 48, 48, 0, true,
		     false);
	KUNIT_ASSERT_NOT_NULL(test, t->ops);
	KUNIT_ASSERT_EQ(test, lpae_map(t, SZ_1G, SZ_1G, SZ_4K, 1, IOMMU_READ,
				       NULL), 0);
	lpae_check_leaf(t, SZ_1G, SZ_1G, SZ_4K, IOMMU_READ);
	lpae_check_table_descs(t, 0);
	lpae_free(t);
}

static void lpae_test_quirk_ttbr1(struct kunit *test)
{
	static const unsigned long granules[] = { SZ_4K, SZ_16K, SZ_64K };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(granules); i++) {
		unsigned long g = granules[i];
		struct iopt_snapshot a;
		struct lpae_t *t;
		u64 top = ~0ULL - g + 1;
		size_t mapped = 0;

		t = lpae_new(test, ARM_64_LPAE_S1, lpae_all_sizes(g), 48, 48,
			     IO_PGTABLE_QUIRK_ARM_TTBR1 |
			     IO_PGTABLE_QUIRK_NO_WARN, true, false);
		KUNIT_ASSERT_NOT_NULL(test, t->ops);
		KUNIT_EXPECT_EQ(test, (u32)t->cfg.arm_lpae_s1_cfg.tcr.tg,
				lpae_expect_tg1(g));
		KUNIT_EXPECT_EQ(test, (u32)t->cfg.arm_lpae_s1_cfg.tcr.tsz, 16);

		KUNIT_ASSERT_EQ(test, lpae_map(t, top, SZ_1G, g, 1,
					       IOMMU_READ, NULL), 0);
		lpae_check_leaf(t, top, SZ_1G, g, IOMMU_READ);
		KUNIT_ASSERT_EQ(test, lpae_map(t, t->base, SZ_2G, g, 1,
					       IOMMU_READ, NULL), 0);
		lpae_check_leaf(t, t->base, SZ_2G, g, IOMMU_READ);

		/* the lower half, and the gap between, are out of range */
		lpae_snapshot(t, &a);
		KUNIT_EXPECT_EQ(test, lpae_map(t, 0, 0, g, 1, IOMMU_READ,
					       &mapped), -ERANGE);
		KUNIT_EXPECT_EQ(test, lpae_map(t, 1ULL << 47, 0, g, 1,
					       IOMMU_READ, &mapped), -ERANGE);
		KUNIT_EXPECT_EQ(test, lpae_map(t, t->base - g, 0, g, 2,
					       IOMMU_READ, &mapped), -ERANGE);
		KUNIT_EXPECT_EQ(test, mapped, 0);
		KUNIT_EXPECT_EQ(test, t->ops->iova_to_phys(t->ops, 0), 0);
		KUNIT_EXPECT_EQ(test, t->ops->iova_to_phys(t->ops,
							   t->base - g), 0);
		KUNIT_EXPECT_EQ(test, lpae_unmap(t, t->base & ~(1ULL << 63), g,
						 1), 0);
		lpae_expect_unchanged(t, &a);

		KUNIT_EXPECT_EQ(test, lpae_unmap(t, top, g, 1), g);
		KUNIT_EXPECT_EQ(test, lpae_unmap(t, t->base, g, 1), g);
		lpae_free(t);
	}
}

static void lpae_test_quirk_s2fwb(struct kunit *test)
{
	struct lpae_t *t;
	int prots[] = { IOMMU_READ | IOMMU_CACHE, IOMMU_READ | IOMMU_MMIO,
			IOMMU_READ, IOMMU_WRITE | IOMMU_CACHE | IOMMU_NOEXEC };
	unsigned int i;

	t = lpae_new(test, ARM_64_LPAE_S2, SZ_4K | SZ_2M, 40, 40,
		     IO_PGTABLE_QUIRK_ARM_S2FWB, true, false);
	KUNIT_ASSERT_NOT_NULL(test, t->ops);
	for (i = 0; i < ARRAY_SIZE(prots); i++) {
		u64 iova = SZ_1G + i * SZ_2M;
		struct arm_lpae_ref_leaf l;

		KUNIT_ASSERT_EQ(test, lpae_map(t, iova, iova, SZ_4K, 1,
					       prots[i], NULL), 0);
		lpae_check_leaf(t, iova, iova, SZ_4K, prots[i]);
		KUNIT_ASSERT_TRUE(test, arm_lpae_ref_walk(&t->ref, iova, &l));
		if (prots[i] & IOMMU_CACHE)
			KUNIT_EXPECT_EQ(test, l.attr, LPAE_S2_MEMATTR_FWB_WB);
	}
	lpae_free(t);
}

static void lpae_test_lpa52(struct kunit *test)
{
	static const enum io_pgtable_fmt fmts[] = { ARM_64_LPAE_S1,
						    ARM_64_LPAE_S2 };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(fmts); i++) {
		struct lpae_t *t;
		u64 pa = 0xa123456780000ULL;	/* PA[51:48] = 0xa */

		t = lpae_new(test, fmts[i], SZ_64K | SZ_512M | LPAE_SZ_4T, 48, 52, 0,
			     true, false);
		KUNIT_ASSERT_NOT_NULL(test, t->ops);
		KUNIT_EXPECT_EQ(test, t->cfg.pgsize_bitmap,
				(unsigned long)(SZ_64K | SZ_512M | LPAE_SZ_4T));
		if (fmts[i] == ARM_64_LPAE_S1)
			KUNIT_EXPECT_EQ(test, (u32)t->cfg.arm_lpae_s1_cfg.tcr.ips, 6);
		else
			KUNIT_EXPECT_EQ(test, (u32)t->cfg.arm_lpae_s2_cfg.vtcr.ps, 6);

		KUNIT_ASSERT_EQ(test, lpae_map(t, SZ_1G, pa, SZ_64K, 1,
					       IOMMU_READ, NULL), 0);
		if (lpae_check_leaf(t, SZ_1G, pa, SZ_64K, IOMMU_READ)) {
			struct arm_lpae_ref_leaf l;

			arm_lpae_ref_walk(&t->ref, SZ_1G, &l);
			KUNIT_EXPECT_EQ(test, (l.pte >> 12) & 0xf, 0xa);
		}
		/* a 4T block at level 1, at the top of the output range */
		KUNIT_ASSERT_EQ(test, lpae_map(t, LPAE_SZ_4T, (1ULL << 52) - LPAE_SZ_4T,
					       LPAE_SZ_4T, 1, IOMMU_READ, NULL), 0);
		lpae_check_leaf(t, LPAE_SZ_4T, (1ULL << 52) - LPAE_SZ_4T, LPAE_SZ_4T,
				IOMMU_READ);
		KUNIT_EXPECT_EQ(test, lpae_unmap(t, LPAE_SZ_4T, LPAE_SZ_4T, 1), LPAE_SZ_4T);
		lpae_free(t);
	}
}

static void lpae_test_non_coherent(struct kunit *test)
{
	static const struct lpae_param ps[] = {
		{ ARM_64_LPAE_S1, SZ_4K, 48, 48, 0, false, "S1 4K" },
		{ ARM_64_LPAE_S2, SZ_16K, 40, 40, 0, false, "S2 16K" },
		{ ARM_MALI_LPAE, SZ_4K, 48, 40, 0, false, "Mali" },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ps); i++) {
		struct lpae_t *t = lpae_new_param(test, &ps[i], 0, true);
		struct lpae_census c;

		KUNIT_ASSERT_EQ(test, lpae_map(t, SZ_1G, SZ_1G, t->granule, 8,
					       IOMMU_READ | IOMMU_WRITE, NULL), 0);
		lpae_check_leaf(t, SZ_1G + 7 * t->granule,
				SZ_1G + 7 * t->granule, t->granule,
				IOMMU_READ | IOMMU_WRITE);
		c = lpae_census(t);
		KUNIT_EXPECT_EQ(test, c.leaves, 8);
		KUNIT_EXPECT_GE(test, t->ctx->first_size,
				(size_t)dma_get_cache_alignment());
		KUNIT_EXPECT_EQ(test, lpae_unmap(t, SZ_1G, t->granule, 8),
				8 * t->granule);
		KUNIT_EXPECT_TRUE(test, lpae_unmapped(t, SZ_1G));
		lpae_free_and_check(t);
	}
}

/* ------------------------------------------------------------------ */
/* Dirty tracking                                                     */

static struct lpae_t *lpae_new_hd(struct kunit *test)
{
	struct lpae_t *t = lpae_new(test, ARM_64_LPAE_S1, SZ_4K | SZ_2M, 48, 48,
				    IO_PGTABLE_QUIRK_ARM_HD, true, false);

	KUNIT_ASSERT_NOT_NULL(test, t->ops);
	KUNIT_ASSERT_NOT_NULL(test, t->ops->read_and_clear_dirty);
	return t;
}

/* What the walker does on a write through a DBM leaf: clear AP[2]. */
static void lpae_hw_write(struct lpae_t *t, u64 iova)
{
	struct arm_lpae_ref_leaf l;
	u64 *ptep;

	KUNIT_ASSERT_TRUE(t->test, arm_lpae_ref_walk(&t->ref, iova, &l));
	KUNIT_ASSERT_TRUE(t->test, l.dbm);
	ptep = phys_to_virt(l.pte_pa);
	WRITE_ONCE(*ptep, l.pte & ~ARM_REF_AP2);
}

static bool lpae_is_dirty(struct lpae_t *t, u64 iova)
{
	struct arm_lpae_ref_leaf l;

	KUNIT_EXPECT_TRUE(t->test, arm_lpae_ref_walk(&t->ref, iova, &l));
	return l.dirty;
}

/* Returns the gather's range: [start, end], or start > end if none. */
static int lpae_dirty(struct lpae_t *t, u64 iova, size_t size,
		      unsigned long flags, struct iommu_iotlb_gather *gather)
{
	struct iommu_dirty_bitmap dirty;

	iommu_dirty_bitmap_init(&dirty, NULL, gather);
	return t->ops->read_and_clear_dirty(t->ops, iova, size, flags, &dirty);
}

static void lpae_test_dirty_initial(struct kunit *test)
{
	struct lpae_t *t = lpae_new_hd(test);
	struct arm_lpae_ref_leaf l;

	KUNIT_ASSERT_EQ(test, lpae_map(t, SZ_1G, SZ_1G, SZ_4K, 1,
				       IOMMU_READ | IOMMU_WRITE, NULL), 0);
	KUNIT_ASSERT_EQ(test, lpae_map(t, SZ_1G + SZ_4K, SZ_1G, SZ_4K, 1,
				       IOMMU_READ, NULL), 0);
	KUNIT_ASSERT_EQ(test, lpae_map(t, SZ_2G, SZ_2G, SZ_2M, 1,
				       IOMMU_WRITE, NULL), 0);
	/* writable leaves start dirty: DBM set and AP[2] clear */
	lpae_check_leaf(t, SZ_1G, SZ_1G, SZ_4K, IOMMU_READ | IOMMU_WRITE);
	lpae_check_leaf(t, SZ_2G, SZ_2G, SZ_2M, IOMMU_WRITE);
	KUNIT_EXPECT_TRUE(test, lpae_is_dirty(t, SZ_1G));
	KUNIT_EXPECT_TRUE(test, lpae_is_dirty(t, SZ_2G));
	/* read-only ones have no DBM, so can never become writable */
	lpae_check_leaf(t, SZ_1G + SZ_4K, SZ_1G, SZ_4K, IOMMU_READ);
	KUNIT_ASSERT_TRUE(test, arm_lpae_ref_walk(&t->ref, SZ_1G + SZ_4K, &l));
	KUNIT_EXPECT_FALSE(test, l.dbm);
	KUNIT_EXPECT_FALSE(test, l.write);
	lpae_free(t);
}

/*
 * A contiguous run is one TLB entry: a write through any page of it may set
 * the dirty state of any one of its entries, so the run is dirty if any
 * entry is, and the part of it asked about is reported and cleaned.
 */
static void lpae_test_dirty_contig_run(struct kunit *test)
{
	struct lpae_t *t = lpae_new(test, ARM_64_LPAE_S1, SZ_4K | SZ_2M, 48, 48,
				    IO_PGTABLE_QUIRK_ARM_HD |
				    IO_PGTABLE_QUIRK_ARM_CONTIG, true, false);
	struct iommu_iotlb_gather g;
	u64 run = SZ_1G;
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, t->ops);
	KUNIT_ASSERT_EQ(test, lpae_map(t, run, SZ_1G, SZ_64K, 1,
				       IOMMU_READ | IOMMU_WRITE, NULL), 0);
	/* starts dirty; the first read cleans it all */
	iommu_iotlb_gather_init(&g);
	KUNIT_EXPECT_EQ(test, lpae_dirty(t, run, SZ_64K, 0, &g), 0);
	KUNIT_EXPECT_EQ(test, g.start, run);
	KUNIT_EXPECT_EQ(test, g.end, run + SZ_64K - 1);
	for (i = 0; i < 16; i++)
		KUNIT_EXPECT_FALSE(test, lpae_is_dirty(t, run + i * SZ_4K));

	/* the walker marks entry 5; pages 3 and 4 are asked about */
	lpae_hw_write(t, run + 5 * SZ_4K);
	iommu_iotlb_gather_init(&g);
	KUNIT_EXPECT_EQ(test, lpae_dirty(t, run + 3 * SZ_4K, 2 * SZ_4K, 0, &g),
			0);
	KUNIT_EXPECT_EQ(test, g.start, run + 3 * SZ_4K);
	KUNIT_EXPECT_EQ(test, g.end, run + 5 * SZ_4K - 1);
	/* outside the range, entry 5 keeps the state for the next read */
	KUNIT_EXPECT_TRUE(test, lpae_is_dirty(t, run + 5 * SZ_4K));
	iommu_iotlb_gather_init(&g);
	KUNIT_EXPECT_EQ(test, lpae_dirty(t, run + 8 * SZ_4K, 8 * SZ_4K, 0, &g),
			0);
	KUNIT_EXPECT_EQ(test, g.start, run + 8 * SZ_4K);
	KUNIT_EXPECT_EQ(test, g.end, run + SZ_64K - 1);
	iommu_iotlb_gather_init(&g);
	KUNIT_EXPECT_EQ(test, lpae_dirty(t, run, SZ_64K, 0, &g), 0);
	KUNIT_EXPECT_EQ(test, g.start, run);
	KUNIT_EXPECT_EQ(test, g.end, run + SZ_64K - 1);
	KUNIT_EXPECT_FALSE(test, lpae_is_dirty(t, run + 5 * SZ_4K));
	/* clean now: nothing */
	iommu_iotlb_gather_init(&g);
	KUNIT_EXPECT_EQ(test, lpae_dirty(t, run, SZ_64K, 0, &g), 0);
	KUNIT_EXPECT_GT(test, g.start, g.end);
	lpae_free(t);
}

static void lpae_test_dirty_read_and_clear(struct kunit *test)
{
	struct lpae_t *t = lpae_new_hd(test);
	struct iommu_iotlb_gather g;
	u64 base = SZ_1G, ro = SZ_1G + 8 * SZ_4K;
	struct arm_lpae_ref_leaf l;
	int i;

	KUNIT_ASSERT_EQ(test, lpae_map(t, base, SZ_1G, SZ_4K, 8,
				       IOMMU_READ | IOMMU_WRITE, NULL), 0);
	KUNIT_ASSERT_EQ(test, lpae_map(t, ro, SZ_1G, SZ_4K, 2, IOMMU_READ,
				       NULL), 0);

	/* everything writable was dirty: all reported, all cleaned */
	KUNIT_EXPECT_EQ(test, lpae_dirty(t, base, 10 * SZ_4K, 0, &g), 0);
	KUNIT_EXPECT_EQ(test, g.start, base);
	KUNIT_EXPECT_EQ(test, g.end, base + 8 * SZ_4K - 1);
	for (i = 0; i < 8; i++) {
		KUNIT_ASSERT_TRUE(test, arm_lpae_ref_walk(&t->ref,
							  base + i * SZ_4K, &l));
		/* writable-clean: DBM and AP[2] */
		KUNIT_EXPECT_TRUE(test, l.dbm);
		KUNIT_EXPECT_TRUE(test, l.pte & ARM_REF_AP2);
		KUNIT_EXPECT_TRUE(test, l.write);
		KUNIT_EXPECT_FALSE(test, l.dirty);
		KUNIT_EXPECT_EQ(test, l.pte,
				lpae_expect_pte(t, IOMMU_READ | IOMMU_WRITE,
						SZ_1G + i * SZ_4K, 3) |
				ARM_REF_AP2);
	}
	lpae_check_leaf(t, ro, SZ_1G, SZ_4K, IOMMU_READ);

	/* nothing new: nothing reported */
	KUNIT_EXPECT_EQ(test, lpae_dirty(t, base, 10 * SZ_4K, 0, &g), 0);
	KUNIT_EXPECT_GT(test, g.start, g.end);

	/* the walker writes page 5: exactly page 5 */
	lpae_hw_write(t, base + 5 * SZ_4K);
	KUNIT_EXPECT_EQ(test, lpae_dirty(t, base, 10 * SZ_4K, 0, &g), 0);
	KUNIT_EXPECT_EQ(test, g.start, base + 5 * SZ_4K);
	KUNIT_EXPECT_EQ(test, g.end, base + 6 * SZ_4K - 1);
	KUNIT_EXPECT_FALSE(test, lpae_is_dirty(t, base + 5 * SZ_4K));

	/* a range that leaves the dirty page out does not see it */
	lpae_hw_write(t, base + 2 * SZ_4K);
	KUNIT_EXPECT_EQ(test, lpae_dirty(t, base + 3 * SZ_4K, 5 * SZ_4K, 0,
					 &g), 0);
	KUNIT_EXPECT_GT(test, g.start, g.end);
	KUNIT_EXPECT_TRUE(test, lpae_is_dirty(t, base + 2 * SZ_4K));
	lpae_free(t);
}

static void lpae_test_dirty_no_clear(struct kunit *test)
{
	struct lpae_t *t = lpae_new_hd(test);
	struct iommu_iotlb_gather g;
	u64 base = SZ_1G;

	KUNIT_ASSERT_EQ(test, lpae_map(t, base, SZ_1G, SZ_4K, 4,
				       IOMMU_READ | IOMMU_WRITE, NULL), 0);
	KUNIT_EXPECT_EQ(test, lpae_dirty(t, base, 4 * SZ_4K, 0, &g), 0);
	lpae_hw_write(t, base + SZ_4K);

	KUNIT_EXPECT_EQ(test, lpae_dirty(t, base, 4 * SZ_4K,
					 IOMMU_DIRTY_NO_CLEAR, &g), 0);
	KUNIT_EXPECT_EQ(test, g.start, base + SZ_4K);
	KUNIT_EXPECT_EQ(test, g.end, base + 2 * SZ_4K - 1);
	KUNIT_EXPECT_TRUE(test, lpae_is_dirty(t, base + SZ_4K));
	/* still there for the next reader */
	KUNIT_EXPECT_EQ(test, lpae_dirty(t, base, 4 * SZ_4K,
					 IOMMU_DIRTY_NO_CLEAR, &g), 0);
	KUNIT_EXPECT_EQ(test, g.start, base + SZ_4K);
	KUNIT_EXPECT_EQ(test, lpae_dirty(t, base, 4 * SZ_4K, 0, &g), 0);
	KUNIT_EXPECT_EQ(test, g.start, base + SZ_4K);
	KUNIT_EXPECT_FALSE(test, lpae_is_dirty(t, base + SZ_4K));
	KUNIT_EXPECT_EQ(test, lpae_dirty(t, base, 4 * SZ_4K, 0, &g), 0);
	KUNIT_EXPECT_GT(test, g.start, g.end);
	lpae_free(t);
}

static void lpae_test_dirty_block(struct kunit *test)
{
	struct lpae_t *t = lpae_new_hd(test);
	struct iommu_iotlb_gather g;

	KUNIT_ASSERT_EQ(test, lpae_map(t, SZ_1G, SZ_1G, SZ_2M, 2,
				       IOMMU_READ | IOMMU_WRITE, NULL), 0);
	KUNIT_EXPECT_EQ(test, lpae_dirty(t, SZ_1G, SZ_4M, 0, &g), 0);
	lpae_hw_write(t, SZ_1G + SZ_2M + SZ_8K);
	KUNIT_EXPECT_EQ(test, lpae_dirty(t, SZ_1G, SZ_4M, 0, &g), 0);
	KUNIT_EXPECT_EQ(test, g.start, SZ_1G + SZ_2M);
	KUNIT_EXPECT_EQ(test, g.end, SZ_1G + SZ_4M - 1);
	KUNIT_EXPECT_FALSE(test, lpae_is_dirty(t, SZ_1G + SZ_2M));
	lpae_free(t);
}

static void lpae_test_dirty_unsupported(struct kunit *test)
{
	const struct lpae_param *p = test->param_value;
	struct lpae_t *t = lpae_new_param(test, p, 0, false);
	bool walks = p->fmt == ARM_64_LPAE_S1;
	struct iommu_iotlb_gather g;

	/*
	 * As in 6.12, every format has the op: ARM_64_LPAE_S1 walks and,
	 * without ARM_HD, finds nothing dirty; the others refuse.
	 */
	KUNIT_ASSERT_NOT_NULL(test, t->ops->read_and_clear_dirty);
	KUNIT_ASSERT_EQ(test, lpae_map(t, t->base, 0, t->granule, 1,
				       IOMMU_READ | IOMMU_WRITE, NULL), 0);
	iommu_iotlb_gather_init(&g);
	KUNIT_EXPECT_EQ(test, lpae_dirty(t, t->base, t->granule, 0, &g),
			walks ? 0 : -EINVAL);
	if (!(p->quirks & IO_PGTABLE_QUIRK_ARM_HD))
		KUNIT_EXPECT_EQ(test, g.end, 0);
	lpae_free(t);
}

static void lpae_test_dirty_bad_range(struct kunit *test)
{
	struct lpae_t *t = lpae_new_hd(test);
	struct iommu_iotlb_gather g;

	KUNIT_EXPECT_EQ(test, lpae_dirty(t, 1ULL << 48, SZ_4K, 0, &g), -EINVAL);
	KUNIT_EXPECT_EQ(test, lpae_dirty(t, (1ULL << 48) - SZ_4K, SZ_8K, 0, &g),
			-EINVAL);
	lpae_free(t);
}

/* ------------------------------------------------------------------ */
/* Bad input: an error, and not a bit changed                         */

struct lpae_bad_ctx {
	struct lpae_t		*t;
	struct iopt_snapshot	before;
	u64			page;	/* a mapped page */
	u64			block;	/* a mapped block, 0 if none */
	size_t			bs;
	u64			free;	/* an unmapped, table-backed area */
};

static struct lpae_t *lpae_bad_setup(struct kunit *test,
				     struct lpae_bad_ctx *b)
{
	const struct lpae_param *p = test->param_value;
	struct lpae_t *t = lpae_new_param(test, p, IO_PGTABLE_QUIRK_NO_WARN |
					  IO_PGTABLE_QUIRK_NO_SPLIT, false);
	unsigned long blocks = t->cfg.pgsize_bitmap & ~t->granule;

	b->t = t;
	b->bs = blocks ? 1UL << __ffs(blocks) : 0;
	b->page = t->base + (1ULL << 31);
	b->free = b->page + 4 * t->granule;
	KUNIT_ASSERT_EQ(test, lpae_map(t, b->page, SZ_1G, t->granule, 1,
				       IOMMU_READ, NULL), 0);
	if (b->bs) {
		b->block = t->base + (1ULL << 31) + 4 * (u64)b->bs;
		KUNIT_ASSERT_EQ(test, lpae_map(t, b->block, 4 * (u64)b->bs,
					       b->bs, 1, IOMMU_READ, NULL), 0);
	}
	lpae_snapshot(t, &b->before);
	return t;
}

static void lpae_bad_check(struct kunit *test, struct lpae_bad_ctx *b)
{
	lpae_expect_unchanged(b->t, &b->before);
	lpae_check_leaf(b->t, b->page, SZ_1G, b->t->granule, IOMMU_READ);
	lpae_free(b->t);
}

static void lpae_expect_map_err(struct kunit *test, struct lpae_t *t, u64 iova,
				u64 pa, size_t pgsize, size_t pgcount, int prot,
				int err)
{
	size_t mapped = 0;

	KUNIT_EXPECT_EQ_MSG(test, lpae_map(t, iova, pa, pgsize, pgcount, prot,
					   &mapped), err,
			    "iova %#llx pa %#llx pgsize %#zx count %zu", iova,
			    pa, pgsize, pgcount);
	KUNIT_EXPECT_EQ_MSG(test, mapped, 0, "iova %#llx", iova);
}

static void lpae_test_map_unaligned(struct kunit *test)
{
	struct lpae_bad_ctx b;
	struct lpae_t *t = lpae_bad_setup(test, &b);
	u64 g = t->granule;

	lpae_expect_map_err(test, t, b.free + 0x100, 0, g, 1, IOMMU_READ,
			    -EINVAL);
	lpae_expect_map_err(test, t, b.free + g / 2, 0, g, 2, IOMMU_READ,
			    -EINVAL);
	lpae_expect_map_err(test, t, b.free, 0x800, g, 1, IOMMU_READ, -EINVAL);
	lpae_expect_map_err(test, t, b.free, g + 8, g, 3, IOMMU_READ, -EINVAL);
	if (b.bs) {
		u64 blk = ALIGN(b.free + b.bs * 64ULL, b.bs);

		lpae_expect_map_err(test, t, blk + g, 0, b.bs, 1, IOMMU_READ,
				    -EINVAL);
		lpae_expect_map_err(test, t, blk, g, b.bs, 1, IOMMU_READ,
				    -EINVAL);
	}
	lpae_bad_check(test, &b);
}

static void lpae_test_map_bad_pgsize(struct kunit *test)
{
	struct lpae_bad_ctx b;
	struct lpae_t *t = lpae_bad_setup(test, &b);
	u64 g = t->granule;

	lpae_expect_map_err(test, t, b.free, 0, 0, 1, IOMMU_READ, -EINVAL);
	lpae_expect_map_err(test, t, b.free, 0, 2 * g, 1, IOMMU_READ, -EINVAL);
	lpae_expect_map_err(test, t, b.free, 0, 3 * g, 1, IOMMU_READ, -EINVAL);
	lpae_expect_map_err(test, t, b.free, 0, g / 2, 2, IOMMU_READ, -EINVAL);
	lpae_expect_map_err(test, t, 0, 0, SZ_512G * 2ULL, 1, IOMMU_READ,
			    -EINVAL);
	lpae_bad_check(test, &b);
}

static void lpae_test_map_pgcount_zero(struct kunit *test)
{
	struct lpae_bad_ctx b;

	lpae_bad_setup(test, &b);
	lpae_expect_map_err(test, b.t, b.free, 0, b.t->granule, 0, IOMMU_READ,
			    -EINVAL);
	lpae_bad_check(test, &b);
}

static void lpae_test_map_iova_range(struct kunit *test)
{
	struct lpae_bad_ctx b;
	struct lpae_t *t = lpae_bad_setup(test, &b);
	u64 g = t->granule, end;

	end = t->base + (1ULL << t->cfg.ias);
	if (end)
		lpae_expect_map_err(test, t, end, 0, g, 1, IOMMU_READ, -ERANGE);
	/* starts inside, ends outside: nothing of it is mapped */
	lpae_expect_map_err(test, t, end - 2 * g, 0, g, 4, IOMMU_READ,
			    -ERANGE);
	/* so large it wraps around */
	lpae_expect_map_err(test, t, end - g, 0, g,
			    (SIZE_MAX / g) + 2, IOMMU_READ, -ERANGE);
	if (!t->base) {
		lpae_expect_map_err(test, t, 1ULL << 62, 0, g, 1, IOMMU_READ,
				    -ERANGE);
		lpae_expect_map_err(test, t, ~0ULL - g + 1, 0, g, 1,
				    IOMMU_READ, -ERANGE);
	}
	KUNIT_EXPECT_TRUE(test, lpae_unmapped(t, end - 2 * g));
	lpae_bad_check(test, &b);
}

static void lpae_test_map_paddr_range(struct kunit *test)
{
	struct lpae_bad_ctx b;
	struct lpae_t *t = lpae_bad_setup(test, &b);
	u64 g = t->granule, top;

	top = 1ULL << t->cfg.oas;
	lpae_expect_map_err(test, t, b.free, top, g, 1, IOMMU_READ, -ERANGE);
	lpae_expect_map_err(test, t, b.free, top - g, g, 2, IOMMU_READ,
			    -ERANGE);
	lpae_expect_map_err(test, t, b.free, 1ULL << 52, g, 1, IOMMU_READ,
			    -ERANGE);
	lpae_bad_check(test, &b);
}

static void lpae_test_map_eexist(struct kunit *test)
{
	struct lpae_bad_ctx b;
	struct lpae_t *t = lpae_bad_setup(test, &b);
	u64 g = t->granule;

	/* the page itself, with the same and with other attributes */
	lpae_expect_map_err(test, t, b.page, SZ_1G, g, 1, IOMMU_READ, -EEXIST);
	lpae_expect_map_err(test, t, b.page, 0, g, 1, IOMMU_WRITE, -EEXIST);
	/* a range whose last page collides: its first pages stay unmapped */
	lpae_expect_map_err(test, t, b.page - 3 * g, 0, g, 4, IOMMU_READ,
			    -EEXIST);
	lpae_expect_map_err(test, t, b.page - 3 * g, 0, g, 8, IOMMU_READ,
			    -EEXIST);
	KUNIT_EXPECT_TRUE(test, lpae_unmapped(t, b.page - 3 * g));
	if (b.bs) {
		/* a block over the table that holds the page */
		lpae_expect_map_err(test, t, ALIGN_DOWN(b.page, b.bs), 0, b.bs,
				    1, IOMMU_READ, -EEXIST);
		/* a page, or pages, inside the block */
		lpae_expect_map_err(test, t, b.block + g, 0, g, 1, IOMMU_READ,
				    -EEXIST);
		lpae_expect_map_err(test, t, b.block - g, 0, g, 2, IOMMU_READ,
				    -EEXIST);
		lpae_expect_map_err(test, t, b.block, 0, b.bs, 1, IOMMU_READ,
				    -EEXIST);
		KUNIT_EXPECT_TRUE(test, lpae_unmapped(t, b.block - g));
	}
	lpae_bad_check(test, &b);
}

/*
 * Every page of [@start, @end) is unmapped, for the walker and for
 * iova_to_phys(), except those of [@keep, @keep + @keep_size).
 */
static void lpae_expect_unmapped_except(struct lpae_t *t, u64 start, u64 end,
					u64 keep, u64 keep_size)
{
	u64 iova, bad = 0;

	for (iova = start; iova < end; iova += t->granule) {
		if (iova >= keep && iova - keep < keep_size)
			continue;
		if (!lpae_unmapped(t, iova) && bad++ < 4)
			KUNIT_FAIL(t->test, "%#llx still translates", iova);
	}
	KUNIT_EXPECT_EQ(t->test, bad, 0);
}

/* The log holds a tlb_flush_walk covering [@start, @end) at @granule. */
static bool lpae_walk_flushed(struct lpae_t *t, u64 start, u64 end,
			      size_t granule)
{
	unsigned int i, n = min_t(unsigned int, t->ctx->nlog,
				  t->ctx->log_len);

	for (i = 0; i < n; i++) {
		const struct iopt_test_event *e = &t->ctx->log[i];

		if (e->type == IOPT_TEST_EV_FLUSH_WALK && e->addr <= start &&
		    e->addr + e->size >= end && e->granule == granule)
			return true;
	}
	return false;
}

/*
 * After a refused map over [@start, @end): when the call installed tables
 * it got as far as writing leaves there, which a walker may have cached
 * before they were taken back, so a walk flush must cover what it wrote.
 * A call that checks the whole range first writes nothing, and owes none.
 */
static void lpae_expect_rollback_flushed(struct lpae_t *t, u64 start,
					 u64 end)
{
	if (!iopt_test_log_count(t->ctx, IOPT_TEST_EV_ALLOC))
		return;
	KUNIT_EXPECT_TRUE_MSG(t->test, lpae_walk_flushed(t, start, end,
							 t->granule),
			      "no tlb_flush_walk over the rolled-back %#llx..%#llx",
			      start, end);
}

/*
 * A request over several tables that meets a mapping in its third one:
 * -EEXIST, and nothing of the first two translates afterwards (a call
 * that wrote there takes it back, with a walk flush over it); *mapped is
 * untouched, and only tables the call installed may stay, empty.
 */
static void lpae_test_map_eexist_across_tables(struct kunit *test)
{
	const struct lpae_param *p = test->param_value;
	struct lpae_t *t = lpae_new_param(test, p, IO_PGTABLE_QUIRK_NO_WARN,
					  true);
	unsigned long blocks = t->cfg.pgsize_bitmap & ~t->granule;
	u64 g = t->granule, span = lpae_table_span(t, 3);
	u64 r = t->base + span, start = r + span / 2;
	u64 end = r + 3 * span + span / 2, busy = r + 2 * span + 5 * g;
	size_t count = (end - start) / g, mapped = 12345;
	struct iopt_snapshot a, b;
	phys_addr_t busy_table;
	struct lpae_census c;
	int prot = IOMMU_READ | IOMMU_WRITE;

	KUNIT_ASSERT_EQ(test, lpae_map(t, busy, SZ_1G, g, 1, IOMMU_READ,
				       NULL), 0);
	busy_table = lpae_table_of(t, busy, 3);
	KUNIT_ASSERT_NE(test, busy_table, 0);
	iopt_snapshot_init(test, &a, 1);
	iopt_snapshot_add(&a, busy_table, g);

	iopt_test_reset_flushes(t->ctx);
	KUNIT_EXPECT_EQ(test, lpae_map(t, start, 0, g, count, prot, &mapped),
			-EEXIST);
	KUNIT_EXPECT_EQ(test, mapped, 12345);
	lpae_expect_unmapped_except(t, start, end, busy, g);
	lpae_check_leaf(t, busy, SZ_1G, g, IOMMU_READ);
	iopt_snapshot_init(test, &b, 1);
	iopt_snapshot_add(&b, busy_table, g);
	iopt_snapshot_expect_equal(test, &a, &b);
	lpae_expect_rollback_flushed(t, start, r + 2 * span);
	c = lpae_census(t);
	KUNIT_EXPECT_EQ(test, c.leaves, 1);
	KUNIT_EXPECT_EQ(test, t->ctx->live, c.tables);

	/* with the page gone, the same request maps in full */
	KUNIT_EXPECT_EQ(test, lpae_unmap(t, busy, g, 1), g);
	mapped = 0;
	KUNIT_EXPECT_EQ(test, lpae_map(t, start, 0, g, count, prot, &mapped),
			0);
	KUNIT_EXPECT_EQ(test, (u64)mapped, count * g);
	lpae_check_leaf(t, start, 0, g, prot);
	lpae_check_leaf(t, busy, busy - start, g, prot);
	lpae_check_leaf(t, end - g, end - g - start, g, prot);
	KUNIT_EXPECT_EQ(test, lpae_census(t).leaves, count);
	KUNIT_EXPECT_EQ(test, (u64)lpae_unmap(t, start, g, count), count * g);

	/* a block where the third table would go refuses the same way */
	if (!(blocks & span) || r + 12 * span - t->base > (1ULL << p->ias))
		goto out;
	r += 8 * span;
	start = r + span / 2;
	end = r + 3 * span + span / 2;
	KUNIT_ASSERT_EQ(test, lpae_map(t, r + 2 * span, SZ_1G, span, 1,
				       IOMMU_READ, NULL), 0);
	iopt_test_reset_flushes(t->ctx);
	mapped = 12345;
	KUNIT_EXPECT_EQ(test, lpae_map(t, start, 0, g, count, prot, &mapped),
			-EEXIST);
	KUNIT_EXPECT_EQ(test, mapped, 12345);
	lpae_expect_unmapped_except(t, start, end, r + 2 * span, span);
	lpae_check_leaf(t, r + 2 * span, SZ_1G, span, IOMMU_READ);
	lpae_expect_rollback_flushed(t, start, r + 2 * span);
	c = lpae_census(t);
	KUNIT_EXPECT_EQ(test, c.leaves, 1);
	KUNIT_EXPECT_EQ(test, t->ctx->live, c.tables);
out:
	lpae_free_and_check(t);
}

static void lpae_test_unmap_bad_args(struct kunit *test)
{
	struct lpae_bad_ctx b;
	struct lpae_t *t = lpae_bad_setup(test, &b);
	u64 g = t->granule;

	KUNIT_EXPECT_EQ(test, lpae_unmap(t, b.page + 0x100, g, 1), 0);
	KUNIT_EXPECT_EQ(test, lpae_unmap(t, b.page, g / 2, 2), 0);
	KUNIT_EXPECT_EQ(test, lpae_unmap(t, b.page, 3 * g, 1), 0);
	KUNIT_EXPECT_EQ(test, lpae_unmap(t, b.page, g, 0), 0);
	KUNIT_EXPECT_EQ(test, lpae_unmap(t, b.page, 0, 1), 0);
	KUNIT_EXPECT_EQ(test, lpae_unmap(t, t->base + (1ULL << t->cfg.ias),
					 g, 1), 0);
	/* nothing there */
	KUNIT_EXPECT_EQ(test, lpae_unmap(t, b.free, g, 1), 0);
	KUNIT_EXPECT_EQ(test, lpae_unmap(t, b.free, g, 16), 0);
	KUNIT_EXPECT_EQ(test, lpae_unmap(t, t->base + (1ULL << t->cfg.ias) - g,
					 g, 1), 0);
	if (b.bs) {
		/* part of a block, which NO_SPLIT keeps: 0, block intact */
		KUNIT_EXPECT_EQ(test, lpae_unmap(t, b.block, g, 1), 0);
		KUNIT_EXPECT_EQ(test, lpae_unmap(t, b.block + b.bs - g, g, 1),
				0);
	}
	lpae_bad_check(test, &b);
}

/*
 * Unmapping a granule out of each block size splits the block: the count
 * says how many tables it needs, the unmap takes exactly that many (from a
 * reservation when one is attached, none from the allocator), and the rest
 * of the block still translates.
 */
static void lpae_test_split_block(struct kunit *test)
{
	const struct lpae_param *p = test->param_value;
	struct lpae_t *t = lpae_new_param(test, p, 0, true);
	unsigned long blocks = t->cfg.pgsize_bitmap & ~t->granule;
	unsigned int bits = t->gshift - 3, attach;
	u64 g = t->granule, bs, iova;
	size_t count, live;

	for (; blocks; blocks &= blocks - 1) {
		bs = 1ULL << __ffs(blocks);
		if (4 * bs > (1ULL << t->cfg.ias))
			continue;
		for (attach = 0; attach < 2; attach++) {
			struct io_pgtable_reservation rsv = {};
			size_t chain = (__ffs(bs) - t->gshift) / bits;

			iova = t->base + (2 + attach) * bs;
			KUNIT_ASSERT_EQ(test, lpae_map(t, iova, bs, bs, 1,
						       IOMMU_READ, NULL), 0);
			KUNIT_ASSERT_EQ(test,
					io_pgtable_count_unmap(t->ops, iova + g,
							       g, 0, &count), 0);
			KUNIT_EXPECT_EQ_MSG(test, count, chain, "bs %#llx", bs);
			if (attach) {
				KUNIT_ASSERT_EQ(test,
						io_pgtable_reserve(t->ops, &rsv,
								   count,
								   GFP_KERNEL),
						0);
				io_pgtable_attach_reservation(t->ops, &rsv);
			}
			live = t->ctx->live;
			t->ctx->flush_walk = 0;
			KUNIT_EXPECT_EQ(test, lpae_unmap(t, iova + g, g, 1), g);
			KUNIT_EXPECT_EQ(test, t->ctx->live, live + !attach * chain);
			/* the block is one leaf: one invalidation of it */
			KUNIT_EXPECT_EQ(test, t->ctx->flush_walk, 1);
			KUNIT_EXPECT_EQ(test, t->ctx->walk_iova, iova);
			KUNIT_EXPECT_EQ(test, t->ctx->walk_size, bs);
			KUNIT_EXPECT_EQ(test, t->ctx->walk_granule, bs);
			if (attach) {
				io_pgtable_attach_reservation(t->ops, NULL);
				KUNIT_EXPECT_EQ(test, rsv.count, 0);
				KUNIT_EXPECT_EQ(test, rsv.taken, chain);
			}
			KUNIT_EXPECT_TRUE(test, lpae_unmapped(t, iova + g));
			lpae_check_leaf(t, iova, bs, g, IOMMU_READ);
			lpae_check_leaf(t, iova + 2 * g, bs + 2 * g, g,
					IOMMU_READ);
			/* the last piece: a block of the next level down */
			lpae_check_leaf(t, iova + bs - (bs >> bits * (chain > 1)),
					2 * bs - (bs >> bits * (chain > 1)),
					chain > 1 ? bs >> bits : g, IOMMU_READ);
			/* the rest goes whole, page by page */
			KUNIT_EXPECT_EQ(test, lpae_unmap(t, iova, g, 1), g);
			KUNIT_EXPECT_EQ(test, lpae_unmap(t, iova + 2 * g, g,
							 bs / g - 2),
					bs - 2 * g);
			KUNIT_EXPECT_EQ(test, lpae_census(t).leaves, 0);
			io_pgtable_unreserve(t->ops, &rsv, 0);
		}
	}
	lpae_free(t);
}

/*
 * A request of granule pages that covers a block whole removes the block
 * at once, needing no table, as the count says; one that starts inside it
 * splits it once and then removes the blocks of the split whole.
 */
static void lpae_test_unmap_block_in_pages(struct kunit *test)
{
	const struct lpae_param *p = test->param_value;
	struct lpae_t *t = lpae_new_param(test, p, 0, true);
	unsigned long blocks = t->cfg.pgsize_bitmap & ~t->granule;
	unsigned int bits = t->gshift - 3;
	u64 g = t->granule, bs, iova;
	size_t count, live;

	for (; blocks; blocks &= blocks - 1) {
		bs = 1ULL << __ffs(blocks);
		if (4 * bs > (1ULL << t->cfg.ias))
			continue;
		iova = t->base + 2 * bs;
		KUNIT_ASSERT_EQ(test, lpae_map(t, iova, bs, bs, 2, IOMMU_READ,
					       NULL), 0);
		KUNIT_ASSERT_EQ(test, io_pgtable_count_unmap(t->ops, iova, bs,
							     0, &count), 0);
		KUNIT_EXPECT_EQ(test, count, 0);
		live = t->ctx->live;
		KUNIT_EXPECT_EQ(test, lpae_unmap(t, iova, g, bs / g), bs);
		KUNIT_EXPECT_EQ(test, t->ctx->live, live);
		KUNIT_EXPECT_TRUE(test, lpae_unmapped(t, iova));
		KUNIT_EXPECT_TRUE(test, lpae_unmapped(t, iova + bs - g));
		/* from the second granule of the next block to its end */
		KUNIT_ASSERT_EQ(test, io_pgtable_count_unmap(t->ops,
							     iova + bs + g,
							     bs - g, 0,
							     &count), 0);
		KUNIT_EXPECT_EQ(test, count, (__ffs(bs) - t->gshift) / bits);
		KUNIT_EXPECT_EQ(test, lpae_unmap(t, iova + bs + g, g,
						 bs / g - 1), bs - g);
		KUNIT_EXPECT_EQ(test, t->ctx->live, live + count);
		lpae_check_leaf(t, iova + bs, 2 * bs, g, IOMMU_READ);
		KUNIT_EXPECT_EQ(test, lpae_census(t).leaves, 1);
		KUNIT_EXPECT_EQ(test, lpae_unmap(t, iova + bs, g, 1), g);
	}
	lpae_free(t);
}

/*
 * Contiguous runs (IO_PGTABLE_QUIRK_ARM_CONTIG). A walk flush that sees the
 * run being broken records how many of its entries the walker could still
 * use then: break-before-make wants none.
 */
static struct {
	u64		*run;
	unsigned int	n;
	unsigned int	flushes;
	unsigned int	valid;
} lpae_run_snap;

static void lpae_run_flush_walk(unsigned long iova, size_t size,
				size_t granule, void *cookie)
{
	unsigned int i;

	if (lpae_run_snap.run) {
		lpae_run_snap.flushes++;
		for (i = 0; i < lpae_run_snap.n; i++)
			lpae_run_snap.valid += READ_ONCE(lpae_run_snap.run[i]) &
					       ARM_REF_VALID;
	}
	iopt_test_tlb_flush_walk(iova, size, granule, cookie);
}

static const struct iommu_flush_ops lpae_run_flush_ops = {
	.tlb_flush_all	= iopt_test_tlb_flush_all,
	.tlb_flush_walk	= lpae_run_flush_walk,
	.tlb_add_page	= iopt_test_tlb_add_page,
};

/*
 * Every entry of the run at @iova but @skip translates, hinted or not, to
 * @pa on.
 */
static void lpae_check_run(struct lpae_t *t, u64 iova, u64 pa, u64 es,
			   unsigned int n, bool hinted, int skip)
{
	struct arm_lpae_ref_leaf l;
	unsigned int i;

	for (i = 0; i < n; i++) {
		bool ok;

		if ((int)i == skip)
			continue;
		ok = arm_lpae_ref_walk(&t->ref, iova + i * es, &l);
		KUNIT_EXPECT_TRUE_MSG(t->test, ok && !l.malformed,
				      "iova %#llx entry %u", iova, i);
		KUNIT_EXPECT_EQ_MSG(t->test, l.contiguous, hinted,
				    "iova %#llx entry %u", iova, i);
		KUNIT_EXPECT_EQ(t->test, (u64)l.size, es);
		KUNIT_EXPECT_EQ(t->test, (u64)l.oa, pa + i * es);
	}
}

static void lpae_test_contig(struct kunit *test)
{
	const struct lpae_param *p = test->param_value;
	unsigned long native, runs;
	struct lpae_t *t;
	size_t count, live;

	if (lpae_kind_of(p->fmt) == LPAE_MALI)
		kunit_skip(test, "Mali has no contiguous hint");
	t = lpae_new_param(test, p, IO_PGTABLE_QUIRK_ARM_CONTIG, true);
	io_pgtable_ops_to_pgtable(t->ops)->cfg.tlb = &lpae_run_flush_ops;
	native = t->cfg.pgsize_bitmap & lpae_all_sizes(t->granule);
	runs = t->cfg.pgsize_bitmap & ~native;
	/* runs of pages and of the blocks of level 2 */
	KUNIT_EXPECT_EQ(test, hweight_long(runs), 2);
	for (; runs; runs &= runs - 1) {
		u64 cs = 1ULL << __ffs(runs), es, iova, pa = cs, r2;
		struct arm_lpae_ref_leaf l;
		unsigned int n;

		es = 1ULL << __fls(native & (cs - 1));
		n = cs / es;
		KUNIT_EXPECT_TRUE(test, n == 16 || n == 32 || n == 128);
		if (4 * cs > (1ULL << t->cfg.ias))
			continue;
		iova = t->base + 2 * cs;
		r2 = iova + cs;

		/* two runs: counted, hinted, consistent */
		KUNIT_ASSERT_EQ(test, io_pgtable_count_map(t->ops, iova, pa,
							   2 * cs, cs, 0,
							   &count), 0);
		live = t->ctx->live;
		KUNIT_ASSERT_EQ(test, lpae_map(t, iova, pa, cs, 2,
					       IOMMU_READ | IOMMU_WRITE, NULL),
				0);
		KUNIT_EXPECT_EQ(test, t->ctx->live - live, count);
		lpae_check_run(t, iova, pa, es, 2 * n, true, -1);
		KUNIT_EXPECT_EQ(test, t->ops->iova_to_phys(t->ops, r2 + es + 5),
				pa + cs + es + 5);

		/* a whole run: cleared, invalidated once as the run */
		t->ctx->add_page = 0;
		KUNIT_EXPECT_EQ(test, lpae_unmap(t, iova, cs, 1), cs);
		KUNIT_EXPECT_EQ(test, t->ctx->add_page, 1);
		KUNIT_EXPECT_EQ(test, t->ctx->page_granule, cs);
		KUNIT_EXPECT_EQ(test, t->ctx->page_iova, iova);
		KUNIT_EXPECT_TRUE(test, lpae_unmapped(t, iova));
		KUNIT_EXPECT_TRUE(test, lpae_unmapped(t, iova + cs - es));

		/* one entry of the other: the run is broken first */
		KUNIT_ASSERT_TRUE(test, arm_lpae_ref_walk(&t->ref, r2, &l));
		lpae_run_snap.run = phys_to_virt(l.pte_pa);
		lpae_run_snap.n = n;
		lpae_run_snap.flushes = 0;
		lpae_run_snap.valid = 0;
		KUNIT_EXPECT_EQ(test, lpae_unmap(t, r2 + es, es, 1), es);
		lpae_run_snap.run = NULL;
		KUNIT_EXPECT_EQ(test, lpae_run_snap.flushes, 1);
		KUNIT_EXPECT_EQ(test, lpae_run_snap.valid, 0);
		KUNIT_EXPECT_EQ(test, t->ctx->walk_iova, r2);
		KUNIT_EXPECT_EQ(test, t->ctx->walk_size, cs);
		KUNIT_EXPECT_EQ(test, t->ctx->walk_granule, es);
		lpae_check_run(t, r2, pa + cs, es, n, false, 1);
		KUNIT_EXPECT_TRUE(test, lpae_unmapped(t, r2 + es));

		/* a granule out of a hinted block: run broken, block split */
		if (es > t->granule) {
			u64 g = t->granule;

			KUNIT_ASSERT_EQ(test, lpae_map(t, iova, pa, cs, 1,
						       IOMMU_READ, NULL), 0);
			KUNIT_ASSERT_EQ(test,
					io_pgtable_count_unmap(t->ops,
							       iova + es + g, g,
							       0, &count), 0);
			live = t->ctx->live;
			KUNIT_EXPECT_EQ(test, lpae_unmap(t, iova + es + g, g, 1),
					g);
			KUNIT_EXPECT_EQ(test, t->ctx->live - live, count);
			KUNIT_EXPECT_TRUE(test, lpae_unmapped(t, iova + es + g));
			KUNIT_EXPECT_EQ(test, t->ops->iova_to_phys(t->ops,
								   iova + es),
					pa + es);
			lpae_check_run(t, iova, pa, es, n, false, 1);
			KUNIT_EXPECT_EQ(test, lpae_unmap(t, iova, es, 1), es);
			KUNIT_EXPECT_EQ(test, lpae_unmap(t, iova + es, g, 1), g);
			KUNIT_EXPECT_EQ(test, lpae_unmap(t, iova + es + 2 * g, g,
							 es / g - 2),
					es - 2 * g);
			KUNIT_EXPECT_EQ(test, lpae_unmap(t, iova + 2 * es, es,
							 n - 2),
					(n - 2) * es);
		}
		KUNIT_EXPECT_EQ(test, lpae_unmap(t, r2, es, 1), es);
		KUNIT_EXPECT_EQ(test, lpae_unmap(t, r2 + 2 * es, es, n - 2),
				(n - 2) * es);
		KUNIT_EXPECT_EQ(test, lpae_census(t).leaves, 0);
	}
	lpae_free(t);
}

/* Map as iommu_map() would: the largest size that fits, page by page. */
static int lpae_map_range(struct lpae_t *t, u64 iova, u64 pa, u64 size,
			  unsigned long sizes)
{
	while (size) {
		unsigned long fit = sizes & GENMASK_ULL(__fls(size), 0);
		u64 pgsize;
		int ret;

		if (iova | pa)
			fit &= GENMASK_ULL(__ffs(iova | pa), 0);
		if (!fit)
			return -EINVAL;
		pgsize = 1ULL << __fls(fit);
		ret = lpae_map(t, iova, pa, pgsize, 1, IOMMU_READ, NULL);
		if (ret)
			return ret;
		iova += pgsize;
		pa += pgsize;
		size -= pgsize;
	}
	return 0;
}

/* The count of a map is what the map then allocates, and no more. */
static void lpae_test_count_map_exact(struct kunit *test)
{
	const struct lpae_param *p = test->param_value;
	struct lpae_t *t = lpae_new_param(test, p, 0, true);
	unsigned long sizes = t->cfg.pgsize_bitmap;
	u64 g = t->granule, top = 1ULL << t->cfg.ias;
	static const u64 offs[] = { 0, 1, 7, 511, 512, 4096 };
	size_t count, worst, live, i;

	for (i = 0; i < ARRAY_SIZE(offs); i++) {
		u64 iova = t->base + top / 4 + i * (top / 16) + offs[i] * g;
		u64 pa = SZ_1G + offs[i] * g;
		u64 size = min_t(u64, top / 32, (1 + offs[i] * 37) * g);

		KUNIT_ASSERT_EQ(test, io_pgtable_count_map(t->ops, iova, pa,
							   size, sizes, 0,
							   &count), 0);
		KUNIT_ASSERT_EQ(test, io_pgtable_count_map(t->ops, iova, pa,
							   size, sizes,
							   IO_PGTABLE_COUNT_WORST,
							   &worst), 0);
		KUNIT_EXPECT_GE(test, worst, count);
		live = t->ctx->live;
		KUNIT_ASSERT_EQ(test, lpae_map_range(t, iova, pa, size, sizes),
				0);
		KUNIT_EXPECT_EQ_MSG(test, t->ctx->live - live, count,
				    "iova %#llx size %#llx", iova, size);
		/* mapped now: in the way, and a page beside it needs nothing */
		KUNIT_EXPECT_EQ(test, io_pgtable_count_map(t->ops, iova, pa,
							   g, g, 0, &count),
				-EEXIST);
		KUNIT_EXPECT_EQ(test, io_pgtable_count_map(t->ops, iova + size,
							   pa, g, g, 0,
							   &count), 0);
		KUNIT_EXPECT_LE(test, count, 1);
	}
	lpae_free(t);
}

static void lpae_test_unmap_stops_at_hole(struct kunit *test)
{
	const struct lpae_param *p = test->param_value;
	struct lpae_t *t = lpae_new_param(test, p, 0, false);
	u64 g = t->granule, iova = t->base + SZ_1G;

	KUNIT_ASSERT_EQ(test, lpae_map(t, iova, SZ_1G, g, 2, IOMMU_READ, NULL),
			0);
	KUNIT_ASSERT_EQ(test, lpae_map(t, iova + 3 * g, SZ_1G, g, 2,
				       IOMMU_READ, NULL), 0);
	KUNIT_EXPECT_EQ(test, lpae_unmap(t, iova, g, 5), 2 * g);
	KUNIT_EXPECT_TRUE(test, lpae_unmapped(t, iova));
	KUNIT_EXPECT_TRUE(test, lpae_unmapped(t, iova + g));
	lpae_check_leaf(t, iova + 3 * g, SZ_1G, g, IOMMU_READ);
	lpae_check_leaf(t, iova + 4 * g, SZ_1G + g, g, IOMMU_READ);
	/* a hole first: nothing */
	KUNIT_EXPECT_EQ(test, lpae_unmap(t, iova + 2 * g, g, 3), 0);
	lpae_check_leaf(t, iova + 3 * g, SZ_1G, g, IOMMU_READ);
	KUNIT_EXPECT_EQ(test, lpae_unmap(t, iova + 3 * g, g, 2), 2 * g);
	KUNIT_EXPECT_EQ(test, lpae_census(t).leaves, 0);
	lpae_free(t);
}

static void lpae_test_iova_to_phys(struct kunit *test)
{
	const struct lpae_param *p = test->param_value;
	struct lpae_t *t = lpae_new_param(test, p, 0, false);
	u64 g = t->granule, iova = t->base + SZ_1G;

	KUNIT_EXPECT_EQ(test, t->ops->iova_to_phys(t->ops, iova), 0);
	KUNIT_ASSERT_EQ(test, lpae_map(t, iova, SZ_2G, g, 1, IOMMU_WRITE,
				       NULL), 0);
	KUNIT_EXPECT_EQ(test, t->ops->iova_to_phys(t->ops, iova + 0x123),
			SZ_2G + 0x123);
	KUNIT_EXPECT_EQ(test, t->ops->iova_to_phys(t->ops, iova + g), 0);
	KUNIT_EXPECT_EQ(test, t->ops->iova_to_phys(t->ops, iova - 1), 0);
	KUNIT_EXPECT_EQ(test, t->ops->iova_to_phys(t->ops, t->base +
						   (1ULL << t->cfg.ias)), 0);
	if (!t->base)
		KUNIT_EXPECT_EQ(test, t->ops->iova_to_phys(t->ops,
							   iova | BIT_ULL(63)),
				0);
	lpae_free(t);
}

/* ------------------------------------------------------------------ */
/* pgcount across tables, -ENOMEM                                     */

static void lpae_test_pgcount_across_tables(struct kunit *test)
{
	const struct lpae_param *p = test->param_value;
	struct lpae_t *t = lpae_new_param(test, p, 0, true);
	u64 g = t->granule, entries = g / 8;
	u64 span = entries * g;		/* what one last-level table maps */
	u64 start = t->base + 2 * span - 16 * g;
	size_t count = 2 * entries + 32, mapped = 0, i;
	phys_addr_t full[2];
	unsigned int tables;
	u64 bad = 0;

	KUNIT_ASSERT_EQ(test, lpae_map(t, start, SZ_1G, g, count,
				       IOMMU_READ | IOMMU_WRITE, &mapped), 0);
	KUNIT_EXPECT_EQ(test, mapped, count * g);
	for (i = 0; i < count; i++) {
		struct arm_lpae_ref_leaf l;

		if (!arm_lpae_ref_walk(&t->ref, start + i * g, &l) ||
		    l.oa != SZ_1G + i * g || l.level != 3)
			bad++;
	}
	KUNIT_EXPECT_EQ(test, bad, 0);
	lpae_check_leaf(t, start + (count - 1) * g, SZ_1G + (count - 1) * g, g,
			IOMMU_READ | IOMMU_WRITE);
	KUNIT_EXPECT_EQ(test, lpae_census(t).leaves, count);
	KUNIT_EXPECT_TRUE(test, lpae_unmapped(t, start - g));
	KUNIT_EXPECT_TRUE(test, lpae_unmapped(t, start + count * g));

	/*
	 * Unmap across the same boundaries in one call: the two tables it
	 * covers whole go, the 16 pages at either end are invalidated one
	 * by one and their tables stay.
	 */
	tables = lpae_census(t).tables;
	full[0] = lpae_table_of(t, t->base + 2 * span, 3);
	full[1] = lpae_table_of(t, t->base + 3 * span, 3);
	iopt_test_reset_flushes(t->ctx);
	KUNIT_EXPECT_EQ(test, lpae_unmap(t, start, g, count), count * g);
	KUNIT_EXPECT_EQ(test, lpae_census(t).leaves, 0);
	KUNIT_EXPECT_EQ(test, lpae_census(t).tables, tables - 2);
	KUNIT_EXPECT_EQ(test, t->ctx->live, tables - 2);
	lpae_expect_table_removed(t, full[0], t->base + 2 * span, span, g);
	lpae_expect_table_removed(t, full[1], t->base + 3 * span, span, g);
	KUNIT_EXPECT_EQ(test, t->ctx->flush_walk, 2);
	KUNIT_EXPECT_EQ(test, t->ctx->add_page, 32);
	for (i = 0; i < 16; i++) {
		KUNIT_EXPECT_GE(test, iopt_test_log_find(t->ctx,
							 IOPT_TEST_EV_ADD_PAGE,
							 0, start + i * g), 0);
		KUNIT_EXPECT_GE(test, iopt_test_log_find(t->ctx,
							 IOPT_TEST_EV_ADD_PAGE,
							 0, t->base + 4 * span +
							 i * g), 0);
	}
	KUNIT_EXPECT_NE(test, lpae_table_of(t, start, 3), 0);
	KUNIT_EXPECT_NE(test, lpae_table_of(t, start + (count - 1) * g, 3), 0);
	lpae_free_and_check(t);
}

static void lpae_test_pgcount_blocks(struct kunit *test)
{
	const struct lpae_param *p = test->param_value;
	struct lpae_t *t = lpae_new_param(test, p, 0, true);
	unsigned long blocks = t->cfg.pgsize_bitmap & ~t->granule;
	u64 bs, span, start;
	size_t count, mapped = 0;
	unsigned int tables;
	phys_addr_t table;

	if (!blocks)
		kunit_skip(test, "no block sizes");
	bs = 1ULL << __ffs(blocks);
	span = bs * (t->granule / 8);	/* one level-(n-1) table */
	if (2 * span > (1ULL << t->cfg.ias))
		kunit_skip(test, "input range too small");
	start = t->base + span - 4 * bs;
	count = 12;
	KUNIT_ASSERT_EQ(test, lpae_map(t, start, 0, bs, count, IOMMU_READ,
				       &mapped), 0);
	KUNIT_EXPECT_EQ(test, (u64)mapped, count * bs);
	lpae_check_leaf(t, start, 0, bs, IOMMU_READ);
	lpae_check_leaf(t, start + 4 * bs, 4 * bs, bs, IOMMU_READ);
	lpae_check_leaf(t, start + 11 * bs, 11 * bs, bs, IOMMU_READ);
	KUNIT_EXPECT_EQ(test, lpae_census(t).leaves, count);
	KUNIT_EXPECT_EQ(test, (u64)lpae_unmap(t, start + bs, bs, 10), 10 * bs);
	KUNIT_EXPECT_EQ(test, lpae_census(t).leaves, 2);
	/* blocks cleared one by one: add_page each, their tables stay */
	KUNIT_EXPECT_EQ(test, lpae_census(t).tables, t->ctx->live);

	/* a whole table of blocks in one call: the table goes */
	if (3 * span > (1ULL << t->cfg.ias))
		goto out;
	start = t->base + 2 * span;
	KUNIT_ASSERT_EQ(test, lpae_map(t, start, 0, bs, span / bs, IOMMU_READ,
				       &mapped), 0);
	lpae_check_leaf(t, start + span - bs, span - bs, bs, IOMMU_READ);
	table = lpae_table_of(t, start, lpae_level_of(t, bs));
	KUNIT_ASSERT_NE(test, table, 0);
	tables = lpae_census(t).tables;
	iopt_test_reset_flushes(t->ctx);
	KUNIT_EXPECT_EQ(test, (u64)lpae_unmap(t, start, bs, span / bs), span);
	lpae_expect_table_removed(t, table, start, span, bs);
	KUNIT_EXPECT_EQ(test, t->ctx->add_page, 0);
	KUNIT_EXPECT_EQ(test, lpae_census(t).tables, tables - 1);
	KUNIT_EXPECT_EQ(test, lpae_census(t).leaves, 2);
	KUNIT_EXPECT_EQ(test, t->ctx->live, tables - 1);
out:
	lpae_free_and_check(t);
}

/*
 * The IOMMU core picks the unmap page size from alignment alone, so pages
 * mapped one by one may come back as one block-sized unmap: the whole
 * table under it goes, after a walk flush.
 */
static void lpae_test_unmap_block_over_table(struct kunit *test)
{
	const struct lpae_param *p = test->param_value;
	struct lpae_t *t = lpae_new_param(test, p, 0, true);
	unsigned long blocks = t->cfg.pgsize_bitmap & ~t->granule;
	u64 g = t->granule, entries = g / 8, bs, iova;
	phys_addr_t table;
	unsigned int live;

	if (!blocks)
		kunit_skip(test, "no block sizes");
	bs = 1ULL << __ffs(blocks);
	KUNIT_ASSERT_EQ(test, bs, entries * g);
	iova = t->base + 2 * bs;
	KUNIT_ASSERT_EQ(test, lpae_map(t, iova + bs, 0, g, 1, IOMMU_READ,
				       NULL), 0);
	live = t->ctx->live;
	table = lpae_map_table(t, iova, entries);
	KUNIT_EXPECT_EQ(test, t->ctx->live, live + 1);
	iopt_test_reset_flushes(t->ctx);
	KUNIT_EXPECT_EQ(test, (u64)lpae_unmap(t, iova, bs, 1), bs);
	KUNIT_EXPECT_TRUE(test, lpae_unmapped(t, iova));
	KUNIT_EXPECT_TRUE(test, lpae_unmapped(t, iova + bs - g));
	KUNIT_EXPECT_EQ(test, t->ctx->live, live);
	lpae_expect_table_removed(t, table, iova, bs, g);
	KUNIT_EXPECT_EQ(test, t->ctx->add_page, 0);
	KUNIT_EXPECT_EQ(test, t->ctx->frees, 1);
	lpae_check_leaf(t, iova + bs, 0, g, IOMMU_READ);

	/* and with a queued gather, the same */
	table = lpae_map_table(t, iova, entries);
	iopt_test_reset_flushes(t->ctx);
	KUNIT_EXPECT_EQ(test, (u64)lpae_unmap_queued(t, iova, bs, 1), bs);
	lpae_expect_table_removed(t, table, iova, bs, g);
	KUNIT_EXPECT_EQ(test, t->ctx->add_page, 0);
	KUNIT_EXPECT_EQ(test, t->ctx->live, live);
	lpae_check_leaf(t, iova + bs, 0, g, IOMMU_READ);
	lpae_free_and_check(t);
}

static void lpae_test_mapped_accumulates(struct kunit *test)
{
	struct lpae_t *t = lpae_new(test, ARM_64_LPAE_S1, SZ_4K, 48, 48,
				    IO_PGTABLE_QUIRK_NO_WARN, true, false);
	size_t mapped = 12345;

	KUNIT_ASSERT_NOT_NULL(test, t->ops);
	KUNIT_EXPECT_EQ(test, lpae_map(t, SZ_1G, 0, SZ_4K, 3, IOMMU_READ,
				       &mapped), 0);
	KUNIT_EXPECT_EQ(test, mapped, 12345 + 3 * SZ_4K);
	KUNIT_EXPECT_EQ(test, lpae_map(t, SZ_1G, 0, SZ_4K, 1, IOMMU_READ,
				       &mapped), -EEXIST);
	KUNIT_EXPECT_EQ(test, mapped, 12345 + 3 * SZ_4K);
	lpae_free(t);
}

/*
 * -ENOMEM for a request over several tables, with some of its tables
 * allocated before the failure: nothing changes, nothing leaks, *mapped
 * stays as it was. Every table is reserved before a leaf is written.
 */
static void lpae_test_enomem_mid_range(struct kunit *test)
{
	const struct lpae_param *p = test->param_value;
	struct lpae_t *t = lpae_new_param(test, p, 0, true);
	u64 g = t->granule, entries = g / 8, span = entries * g;
	u64 r = t->base;
	struct iopt_snapshot snap;
	size_t mapped = 0;
	struct lpae_census c;
	phys_addr_t full[3];
	unsigned int live;
	int i;

	/* the first last-level table exists, and all above it */
	KUNIT_ASSERT_EQ(test, lpae_map(t, r, 0, g, 1, IOMMU_READ, NULL), 0);
	lpae_snapshot(t, &snap);
	live = t->ctx->live;
	/* one more table may be allocated, the third fails */
	t->ctx->fail_after = t->ctx->allocs + 1;
	KUNIT_EXPECT_EQ(test, lpae_map(t, r + g, g, g, 3 * entries,
				       IOMMU_READ | IOMMU_WRITE, &mapped),
			-ENOMEM);
	KUNIT_EXPECT_EQ(test, mapped, 0);
	KUNIT_EXPECT_GE(test, t->ctx->alloc_calls, 2);
	lpae_expect_unchanged(t, &snap);
	KUNIT_EXPECT_EQ(test, t->ctx->live, live);

	/* with memory again, all of it goes in */
	t->ctx->fail_after = UINT_MAX;
	KUNIT_EXPECT_EQ(test, lpae_map(t, r + g, g, g, 3 * entries,
				       IOMMU_READ | IOMMU_WRITE, &mapped), 0);
	KUNIT_EXPECT_EQ(test, (u64)mapped, 3 * span);
	lpae_check_leaf(t, r + g, g, g, IOMMU_READ | IOMMU_WRITE);
	lpae_check_leaf(t, r + 3 * span, 3 * span, g,
			IOMMU_READ | IOMMU_WRITE);
	c = lpae_census(t);
	KUNIT_EXPECT_EQ(test, c.leaves, 3 * entries + 1);
	KUNIT_EXPECT_EQ(test, t->ctx->live, c.tables);

	/* the three full tables go whole; the fourth keeps its table */
	for (i = 0; i < 3; i++)
		full[i] = lpae_table_of(t, r + i * span, 3);
	iopt_test_reset_flushes(t->ctx);
	KUNIT_EXPECT_EQ(test, lpae_unmap(t, r, g, 3 * entries + 1),
			(3 * entries + 1) * g);
	for (i = 0; i < 3; i++)
		lpae_expect_table_removed(t, full[i], r + i * span, span, g);
	KUNIT_EXPECT_EQ(test, t->ctx->add_page, 1);
	KUNIT_EXPECT_EQ(test, t->ctx->page_iova, r + 3 * span);
	KUNIT_EXPECT_EQ(test, lpae_census(t).leaves, 0);
	KUNIT_EXPECT_EQ(test, lpae_census(t).tables, c.tables - 3);
	KUNIT_EXPECT_EQ(test, t->ctx->live, c.tables - 3);
	KUNIT_EXPECT_NE(test, lpae_table_of(t, r + 3 * span, 3), 0);
	lpae_free_and_check(t);
}

/*
 * Mapping @pgcount pages at 1 GiB into a table holding only its PGD, with
 * the allocator set to let the next table down: -ENOMEM, nothing mapped,
 * nothing changed, nothing leaked.
 */
static void lpae_expect_map_enomem(struct lpae_t *t, size_t pgcount)
{
	struct kunit *test = t->test;
	struct iopt_snapshot before;
	size_t mapped = 0;

	lpae_snapshot(t, &before);
	KUNIT_EXPECT_EQ(test, lpae_map(t, t->base + SZ_1G, 0, t->granule,
				       pgcount, IOMMU_READ, &mapped), -ENOMEM);
	KUNIT_EXPECT_EQ(test, mapped, 0);
	lpae_expect_unchanged(t, &before);
	KUNIT_EXPECT_EQ(test, t->ctx->live, 1);
}

/*
 * A fresh range over several tables when no table can be had at all: the
 * whole-table path fails as the per-entry one would, and leaves nothing.
 */
static void lpae_test_enomem_fresh_range(struct kunit *test)
{
	const struct lpae_param *p = test->param_value;
	struct lpae_t *t = lpae_new_param(test, p, 0, true);
	u64 g = t->granule, entries = g / 8;
	struct iopt_snapshot snap;
	size_t mapped = 0;

	lpae_snapshot(t, &snap);
	t->ctx->fail_after = t->ctx->allocs;
	KUNIT_EXPECT_EQ(test, lpae_map(t, t->base + SZ_1G, 0, g, 2 * entries,
				       IOMMU_READ, &mapped), -ENOMEM);
	KUNIT_EXPECT_EQ(test, mapped, 0);
	lpae_expect_unchanged(t, &snap);
	KUNIT_EXPECT_EQ(test, t->ctx->live, 1);
	lpae_free_and_check(t);
}

/*
 * Blocks over several tables whose entries hold tables emptied page by
 * page: while one of them still maps a page, -EEXIST and nothing changes,
 * the empty tables included; then each empty table is broken (a walk
 * flush, then the free) and the blocks take their places.
 */
static void lpae_test_blocks_over_emptied_tables(struct kunit *test)
{
	const struct lpae_param *p = test->param_value;
	struct lpae_t *t = lpae_new_param(test, p, IO_PGTABLE_QUIRK_NO_WARN,
					  true);
	u64 g = t->granule, bs = lpae_table_span(t, 3);
	u64 span2 = lpae_table_span(t, 2), iova;
	struct iopt_snapshot snap;
	struct lpae_census c;
	phys_addr_t l3[3];
	int i;

	if (t->ref.start_level >= 2 || !(t->cfg.pgsize_bitmap & bs) ||
	    2 * span2 > (1ULL << t->cfg.ias))
		kunit_skip(test, "no level-2 tables of blocks below the PGD");
	/* three block-sized ranges across the end of a level-2 table */
	iova = t->base + span2 - bs;
	for (i = 0; i < 3; i++) {
		KUNIT_ASSERT_EQ(test, lpae_map(t, iova + i * bs, 0, g, 1,
					       IOMMU_READ, NULL), 0);
		l3[i] = lpae_table_of(t, iova + i * bs, 3);
		KUNIT_ASSERT_NE(test, l3[i], 0);
	}
	for (i = 1; i < 3; i++)
		KUNIT_ASSERT_EQ(test, (u64)lpae_unmap(t, iova + i * bs, g, 1), g);

	lpae_snapshot(t, &snap);
	KUNIT_EXPECT_EQ(test, lpae_map(t, iova, 0, bs, 3, IOMMU_READ, NULL),
			-EEXIST);
	lpae_expect_unchanged(t, &snap);

	KUNIT_ASSERT_EQ(test, (u64)lpae_unmap(t, iova, g, 1), g);
	c = lpae_census(t);
	iopt_test_reset_flushes(t->ctx);
	KUNIT_EXPECT_EQ(test, lpae_map(t, iova, 0, bs, 3,
				       IOMMU_READ | IOMMU_WRITE, NULL), 0);
	for (i = 0; i < 3; i++) {
		lpae_check_leaf(t, iova + i * bs, i * bs, bs,
				IOMMU_READ | IOMMU_WRITE);
		lpae_expect_table_removed(t, l3[i], iova + i * bs, bs, g);
	}
	KUNIT_EXPECT_EQ(test, lpae_census(t).tables, c.tables - 3);
	KUNIT_EXPECT_EQ(test, t->ctx->live, c.tables - 3);
	lpae_free_and_check(t);
}

static void lpae_test_enomem_first_table(struct kunit *test)
{
	const struct lpae_param *p = test->param_value;
	struct lpae_t *t = lpae_new_param(test, p, 0, true);

	t->ctx->fail_after = t->ctx->allocs;
	lpae_expect_map_enomem(t, 4);
	lpae_free_and_check(t);
}

/*
 * Another CPU's step at the exact point: while this call allocates a
 * table, a mapper of a disjoint range in the same span installs one
 * there (cfg->alloc runs it). Then this call's allocation succeeds (it
 * loses the race and must use the winner's table) or fails (-ENOMEM, or
 * the winner's table used: never -EEXIST, which would WARN for nothing).
 */
struct lpae_race {
	struct lpae_t	*t;
	u64		other;		/* the other CPU's page */
	bool		armed;
	bool		fail;		/* this call's allocation fails */
	unsigned int	fired;
};

static struct lpae_race *lpae_race_now;

static void *lpae_race_alloc(void *cookie, size_t size, gfp_t gfp)
{
	struct lpae_race *r = lpae_race_now;

	if (r && r->armed && size == r->t->granule) {
		r->armed = false;
		r->fired++;
		KUNIT_EXPECT_EQ(r->t->test,
				lpae_map(r->t, r->other, SZ_1G, r->t->granule,
					 1, IOMMU_READ, NULL), 0);
		if (r->fail)
			return NULL;
	}
	return iopt_test_alloc(cookie, size, gfp);
}

static void lpae_race_run(struct kunit *test, struct lpae_t *t, u64 iova,
			  size_t pgcount, u64 other, bool fail)
{
	struct lpae_race r = { .t = t, .other = other, .armed = true,
			       .fail = fail };
	size_t mapped = 0, i;
	int ret;

	lpae_race_now = &r;
	ret = lpae_map(t, iova, 0, t->granule, pgcount,
		       IOMMU_READ | IOMMU_WRITE, &mapped);
	lpae_race_now = NULL;

	KUNIT_EXPECT_EQ(test, r.fired, 1);
	KUNIT_EXPECT_NE_MSG(test, ret, -EEXIST,
			    "iova %#llx x %zu, other %#llx, fail %d", iova,
			    pgcount, other, fail);
	if (fail)
		KUNIT_EXPECT_TRUE(test, ret == 0 || ret == -ENOMEM);
	else
		KUNIT_EXPECT_EQ(test, ret, 0);
	if (!ret)
		KUNIT_EXPECT_EQ(test, mapped, pgcount * t->granule);
	KUNIT_EXPECT_EQ(test, mapped % t->granule, 0);
	/* what it reports mapped translates, and nothing else of it */
	for (i = 0; i < pgcount; i++) {
		u64 a = iova + i * t->granule;

		if (i * t->granule < mapped)
			lpae_check_leaf(t, a, i * t->granule, t->granule,
					IOMMU_READ | IOMMU_WRITE);
		else
			KUNIT_EXPECT_TRUE(test, lpae_unmapped(t, a));
	}
	lpae_check_leaf(t, other, SZ_1G, t->granule, IOMMU_READ);
	/* no table lost or leaked: every live one is in the tree */
	KUNIT_EXPECT_EQ(test, lpae_census(t).tables, t->ctx->live);
}

static struct lpae_t *lpae_race_new(struct kunit *test)
{
	const struct lpae_param *p = test->param_value;
	struct lpae_t *t = lpae_new_param(test, p, 0, true);

	t->cfg.alloc = lpae_race_alloc;
	lpae_free(t);
	t->ops = alloc_io_pgtable_ops(p->fmt, &t->cfg, t->ctx);
	KUNIT_ASSERT_NOT_NULL(test, t->ops);
	t->ref.pgd = lpae_pgd_pa(t);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, lpae_free_action,
							t), 0);
	return t;
}

/* One page into a missing last-level table, another mapper beside it. */
static void lpae_test_race_install_one_page(struct kunit *test)
{
	unsigned int fail;

	for (fail = 0; fail < 2; fail++) {
		struct lpae_t *t = lpae_race_new(test);
		u64 span = lpae_table_span(t, 3), g = t->granule;
		u64 base = t->base + 4 * span;

		if (5 * span > (1ULL << t->cfg.ias))
			kunit_skip(test, "input space too small");
		/* the tables above exist: a page in the table before */
		KUNIT_ASSERT_EQ(test, lpae_map(t, base - g, 0, g, 1,
					       IOMMU_READ, NULL), 0);
		lpae_race_run(test, t, base + 3 * g, 1, base + 7 * g, fail);
		lpae_free_and_check(t);
	}
}

/*
 * Pages across two last-level tables, the second missing (the range path,
 * 2.2 of the parity issue), and a whole table's worth into a missing one
 * under a missing parent (the path that builds whole tables aside).
 */
static void lpae_test_race_install_range(struct kunit *test)
{
	unsigned int fail;

	for (fail = 0; fail < 2; fail++) {
		struct lpae_t *t = lpae_race_new(test);
		u64 span = lpae_table_span(t, 3), g = t->granule;
		u64 base = t->base + 4 * span;

		if (8 * span > (1ULL << t->cfg.ias))
			kunit_skip(test, "input space too small");
		KUNIT_ASSERT_EQ(test, lpae_map(t, base, 0, g, 1, IOMMU_READ,
					       NULL), 0);
		lpae_race_run(test, t, base + span - 2 * g, 4,
			      base + span + 9 * g, fail);
		lpae_free_and_check(t);
	}
	for (fail = 0; fail < 2; fail++) {
		struct lpae_t *t = lpae_race_new(test);
		u64 span = lpae_table_span(t, 3), g = t->granule;
		u64 span2 = lpae_table_span(t, 2);
		size_t per = span / g;
		u64 base;

		if (t->ref.start_level >= 2 || 4 * span2 > (1ULL << t->cfg.ias))
			continue;
		base = t->base + 2 * span2;
		/* a whole table and a page, the level-2 table missing too */
		lpae_race_run(test, t, base, per + 1, base + span + 5 * g,
			      fail);
		lpae_free_and_check(t);
	}
}

/*
 * panfrost_mmu_unmap(), panthor_vm_unmap_pages() and msm's unmap pass no
 * gather: no tlb_add_page then (a driver's callback would dereference
 * it), for pages, blocks, ranges and whole tables alike, as in 6.12.
 */
static void lpae_test_unmap_null_gather(struct kunit *test)
{
	const struct lpae_param *p = test->param_value;
	struct lpae_t *t = lpae_new_param(test, p, 0, false);
	u64 g = t->granule, span = lpae_table_span(t, 3);
	u64 iova = t->base + 2 * span;

	if (6 * span > (1ULL << t->cfg.ias))
		kunit_skip(test, "input space too small");
	KUNIT_ASSERT_EQ(test, lpae_map(t, iova, 0, g, 5, IOMMU_READ, NULL), 0);
	KUNIT_ASSERT_EQ(test, lpae_map(t, iova + span - g, 0, g, 3,
				       IOMMU_READ, NULL), 0);
	KUNIT_ASSERT_EQ(test, lpae_map(t, iova + 2 * span, 0, g, span / g,
				       IOMMU_READ, NULL), 0);
	iopt_test_reset_flushes(t->ctx);
	KUNIT_EXPECT_EQ(test, t->ops->unmap_pages(t->ops, iova, g, 5, NULL),
			5 * g);
	KUNIT_EXPECT_EQ(test, t->ops->unmap_pages(t->ops, iova + span - g, g,
						  3, NULL), 3 * g);
	KUNIT_EXPECT_EQ(test, t->ops->unmap_pages(t->ops, iova + 2 * span, g,
						  span / g, NULL), span);
	if (t->cfg.pgsize_bitmap & span) {
		KUNIT_ASSERT_EQ(test, lpae_map(t, iova + 4 * span, 0, span, 1,
					       IOMMU_READ, NULL), 0);
		KUNIT_EXPECT_EQ(test, t->ops->unmap_pages(t->ops,
							  iova + 4 * span,
							  span, 1, NULL),
				span);
	}
	KUNIT_EXPECT_EQ(test, t->ctx->add_page, 0);
	KUNIT_EXPECT_TRUE(test, lpae_unmapped(t, iova));
	KUNIT_EXPECT_TRUE(test, lpae_unmapped(t, iova + span));
	KUNIT_EXPECT_TRUE(test, lpae_unmapped(t, iova + 2 * span));
	lpae_free_and_check(t);
}

/* ------------------------------------------------------------------ */
/* Unmap and the TLB                                                  */

static void lpae_test_unmap_add_page(struct kunit *test)
{
	const struct lpae_param *p = test->param_value;
	struct lpae_t *t = lpae_new_param(test, p, 0, false);
	struct iommu_iotlb_gather gather;
	u64 g = t->granule, iova = t->base + SZ_1G;
	int i;

	KUNIT_ASSERT_EQ(test, lpae_map(t, iova, 0, g, 5, IOMMU_READ, NULL), 0);
	iopt_test_reset_flushes(t->ctx);
	iommu_iotlb_gather_init(&gather);
	KUNIT_EXPECT_EQ(test, t->ops->unmap_pages(t->ops, iova, g, 5, &gather),
			5 * g);
	KUNIT_EXPECT_EQ(test, t->ctx->add_page, 5);
	KUNIT_EXPECT_EQ(test, t->ctx->page_granule, g);
	KUNIT_EXPECT_PTR_EQ(test, t->ctx->page_gather, &gather);
	for (i = 0; i < 5; i++)
		KUNIT_EXPECT_GE_MSG(test,
				    iopt_test_log_find(t->ctx,
						       IOPT_TEST_EV_ADD_PAGE, 0,
						       iova + i * g), 0,
				    "page %d", i);
	KUNIT_EXPECT_EQ(test, t->ctx->flush_all, 0);
	KUNIT_EXPECT_EQ(test, t->ctx->flush_walk, 0);
	KUNIT_EXPECT_NE(test, lpae_table_of(t, iova, 3), 0);
	lpae_free(t);
}

static void lpae_test_unmap_gather_queued(struct kunit *test)
{
	const struct lpae_param *p = test->param_value;
	struct lpae_t *t = lpae_new_param(test, p, 0, true);
	u64 g = t->granule, iova = t->base + SZ_1G;

	KUNIT_ASSERT_EQ(test, lpae_map(t, iova, 0, g, 3, IOMMU_READ, NULL), 0);
	iopt_test_reset_flushes(t->ctx);
	KUNIT_EXPECT_EQ(test, lpae_unmap_queued(t, iova, g, 3), 3 * g);
	KUNIT_EXPECT_EQ(test, t->ctx->add_page, 0);
	/* leaf by leaf: the table stays, so no walk flush either */
	KUNIT_EXPECT_EQ(test, t->ctx->flush_walk, 0);
	KUNIT_EXPECT_EQ(test, t->ctx->flush_all, 0);
	KUNIT_EXPECT_EQ(test, t->ctx->frees, 0);
	KUNIT_EXPECT_EQ(test, lpae_census(t).tables, t->ctx->live);
	KUNIT_EXPECT_NE(test, lpae_table_of(t, iova, 3), 0);
	KUNIT_EXPECT_TRUE(test, lpae_unmapped(t, iova));
	KUNIT_EXPECT_TRUE(test, lpae_unmapped(t, iova + 2 * g));
	lpae_free_and_check(t);
}

static void lpae_test_unmap_block_add_page(struct kunit *test)
{
	const struct lpae_param *p = test->param_value;
	struct lpae_t *t = lpae_new_param(test, p, 0, false);
	unsigned long blocks = t->cfg.pgsize_bitmap & ~t->granule;
	u64 bs, iova;

	if (!blocks)
		kunit_skip(test, "no block sizes");
	bs = 1ULL << __ffs(blocks);
	iova = t->base + 2 * bs;
	KUNIT_ASSERT_EQ(test, lpae_map(t, iova, bs, bs, 2, IOMMU_READ, NULL), 0);
	iopt_test_reset_flushes(t->ctx);
	KUNIT_EXPECT_EQ(test, (u64)lpae_unmap(t, iova, bs, 2), 2 * bs);
	KUNIT_EXPECT_EQ(test, t->ctx->add_page, 2);
	KUNIT_EXPECT_EQ(test, (u64)t->ctx->page_granule, bs);
	KUNIT_EXPECT_EQ(test, t->ctx->page_iova, iova + bs);
	/* no table was removed: no walk flush needed */
	KUNIT_EXPECT_EQ(test, t->ctx->flush_walk, 0);
	lpae_free(t);
}

/*
 * A last-level table emptied leaf by leaf stays, since a concurrent mapper
 * of another part of it may be walking it; one call over its whole range
 * removes it: the entry cleared, a walk flush over the range at the leaf
 * size, then the free, and no tlb_add_page for its leaves. The flush is
 * owed to the walk cache, so a queued gather does not skip it.
 */
static void lpae_test_unmap_flush_walk_before_free(struct kunit *test)
{
	const struct lpae_param *p = test->param_value;
	struct lpae_t *t = lpae_new_param(test, p, 0, true);
	u64 g = t->granule, span = lpae_table_span(t, 3);
	u64 iova = t->base + 2 * span;
	size_t entries = span / g, half = entries / 2;
	unsigned int tables, allocs;
	phys_addr_t table;

	/* leaf by leaf, in two calls: every leaf through add_page */
	table = lpae_map_table(t, iova, entries);
	tables = lpae_census(t).tables;
	allocs = t->ctx->allocs;
	iopt_test_reset_flushes(t->ctx);
	KUNIT_EXPECT_EQ(test, (u64)lpae_unmap(t, iova, g, half), half * g);
	KUNIT_EXPECT_EQ(test, (u64)lpae_unmap(t, iova + half * g, g,
					      entries - half),
			(entries - half) * g);
	KUNIT_EXPECT_EQ(test, t->ctx->add_page, entries);
	KUNIT_EXPECT_EQ(test, t->ctx->page_granule, g);
	KUNIT_EXPECT_EQ(test, t->ctx->page_iova, iova + span - g);
	KUNIT_EXPECT_EQ(test, t->ctx->flush_walk, 0);
	KUNIT_EXPECT_EQ(test, t->ctx->frees, 0);
	KUNIT_EXPECT_EQ(test, lpae_table_of(t, iova, 3), table);
	KUNIT_EXPECT_EQ(test, lpae_census(t).tables, tables);
	KUNIT_EXPECT_EQ(test, lpae_census(t).leaves, 0);
	KUNIT_EXPECT_TRUE(test, lpae_unmapped(t, iova));
	KUNIT_EXPECT_TRUE(test, lpae_unmapped(t, iova + span - g));

	/* mapping there again reuses the empty table */
	KUNIT_ASSERT_EQ(test, lpae_map(t, iova, 0, g, entries, IOMMU_READ,
				       NULL), 0);
	KUNIT_EXPECT_EQ(test, t->ctx->allocs, allocs);
	KUNIT_EXPECT_EQ(test, lpae_table_of(t, iova, 3), table);

	/* the whole table in one call: removed, the tables above stay */
	iopt_test_reset_flushes(t->ctx);
	KUNIT_EXPECT_EQ(test, (u64)lpae_unmap(t, iova, g, entries), span);
	lpae_expect_table_removed(t, table, iova, span, g);
	KUNIT_EXPECT_EQ(test, t->ctx->flush_walk, 1);
	KUNIT_EXPECT_EQ(test, t->ctx->add_page, 0);
	KUNIT_EXPECT_EQ(test, t->ctx->frees, 1);
	KUNIT_EXPECT_EQ(test, lpae_census(t).tables, tables - 1);
	KUNIT_EXPECT_EQ(test, t->ctx->live, tables - 1);
	KUNIT_EXPECT_NE(test, lpae_table_of(t, iova, 2), 0);
	KUNIT_EXPECT_TRUE(test, lpae_unmapped(t, iova + span / 2));

	/* the same with a queued gather: still flushed before the free */
	table = lpae_map_table(t, iova, entries);
	iopt_test_reset_flushes(t->ctx);
	KUNIT_EXPECT_EQ(test, (u64)lpae_unmap_queued(t, iova, g, entries),
			span);
	lpae_expect_table_removed(t, table, iova, span, g);
	KUNIT_EXPECT_EQ(test, t->ctx->add_page, 0);
	KUNIT_EXPECT_EQ(test, t->ctx->live, tables - 1);
	lpae_free_and_check(t);
}

/*
 * Two levels of tables under one call: every table whose whole range the
 * call unmaps goes, the level-2 table above the last-level ones too.
 */
static void lpae_test_unmap_whole_table_of_tables(struct kunit *test)
{
	const struct lpae_param *p = test->param_value;
	struct lpae_t *t;
	u64 g, span, span2, iova;
	phys_addr_t l2, first, last;
	unsigned int tables;

	if (p->granule != SZ_4K)
		kunit_skip(test, "too much table memory beyond the 4K granule");
	t = lpae_new_param(test, p, 0, true);
	g = t->granule;
	span = lpae_table_span(t, 3);
	span2 = lpae_table_span(t, 2);
	if (t->ref.start_level >= 2 || 2 * span2 > (1ULL << t->cfg.ias))
		kunit_skip(test, "no level-2 table below the PGD");
	iova = t->base + span2;
	/* a flush and a free for each table, and a few more */
	iopt_test_ctx_log_len(t->ctx, 4 * span2 / span);
	KUNIT_ASSERT_EQ(test, lpae_map(t, iova, 0, g, span2 / g, IOMMU_READ,
				       NULL), 0);
	l2 = lpae_table_of(t, iova, 2);
	first = lpae_table_of(t, iova, 3);
	last = lpae_table_of(t, iova + span2 - g, 3);
	KUNIT_ASSERT_NE(test, l2, 0);
	tables = lpae_census(t).tables;
	iopt_test_reset_flushes(t->ctx);
	KUNIT_EXPECT_EQ(test, (u64)lpae_unmap(t, iova, g, span2 / g), span2);
	KUNIT_EXPECT_EQ(test, t->ctx->add_page, 0);
	KUNIT_EXPECT_LE(test, t->ctx->nlog, t->ctx->log_len);
	lpae_expect_table_removed(t, first, iova, span, g);
	lpae_expect_table_removed(t, last, iova + span2 - span, span, g);
	lpae_expect_table_removed(t, l2, iova, span2, g);
	KUNIT_EXPECT_EQ(test, lpae_census(t).tables, tables - 1 - span2 / span);
	KUNIT_EXPECT_EQ(test, t->ctx->live, tables - 1 - span2 / span);
	lpae_free_and_check(t);
}

static void lpae_test_partial_unmap_keeps_table(struct kunit *test)
{
	const struct lpae_param *p = test->param_value;
	struct lpae_t *t = lpae_new_param(test, p, 0, true);
	u64 g = t->granule, iova = t->base + SZ_1G;
	unsigned int tables;

	KUNIT_ASSERT_EQ(test, lpae_map(t, iova, 0, g, 3, IOMMU_READ, NULL), 0);
	tables = t->ctx->live;
	iopt_test_reset_flushes(t->ctx);
	KUNIT_EXPECT_EQ(test, lpae_unmap(t, iova, g, 2), 2 * g);
	/* a table that still maps something stays, and needs no walk flush */
	KUNIT_EXPECT_EQ(test, t->ctx->live, tables);
	KUNIT_EXPECT_EQ(test, t->ctx->flush_walk, 0);
	KUNIT_EXPECT_EQ(test, iopt_test_log_count(t->ctx, IOPT_TEST_EV_FREE), 0);
	lpae_check_leaf(t, iova + 2 * g, 2 * g, g, IOMMU_READ);
	lpae_free_and_check(t);
}

/* ------------------------------------------------------------------ */
/* Returning emptied tables (IO_PGTABLE_QUIRK_ARM_RECLAIM)            */

/* The tables of @p with the reclaim, or a skip where it is refused. */
static struct lpae_t *lpae_reclaim_new(struct kunit *test, unsigned long quirk)
{
	const struct lpae_param *p = test->param_value;
	struct lpae_t *t;

	t = lpae_new(test, p->fmt, lpae_all_sizes(p->granule), p->ias, p->oas,
		     p->quirks | quirk, p->coherent, true);
	if (!t->ops) {
		KUNIT_EXPECT_EQ(test, t->kind, LPAE_MALI);
		kunit_skip(test, "%s: no reclaim (Mali)", p->desc);
	}
	return t;
}

/*
 * What the DMA API's unmaps do after a table was emptied, in the kernel:
 * grace periods pass and later unmaps (of a hole here) come. Each round
 * takes every waiting table one step; four levels need eight.
 */
static void lpae_reclaim_settle_n(struct lpae_t *t, u64 hole,
				  unsigned int rounds)
{
	unsigned int i;

	for (i = 0; i < rounds; i++) {
		synchronize_rcu();
		KUNIT_EXPECT_EQ(t->test, lpae_unmap(t, hole, t->granule, 1), 0);
	}
}

static void lpae_reclaim_settle(struct lpae_t *t, u64 hole)
{
	lpae_reclaim_settle_n(t, hole, 8);
}

/* The raw entry at @level for @iova, or 0 when the walk stops above it. */
static u64 lpae_entry_of(struct lpae_t *t, u64 iova, int level)
{
	phys_addr_t table = lpae_table_of(t, iova, level);
	unsigned int shift = arm_lpae_ref_level_shift(t->gshift, level);
	u64 n = level == t->ref.start_level ?
		arm_lpae_ref_pgd_entries(&t->ref) : t->granule / 8;

	if (!table)
		return 0;
	return arm_lpae_ref_read(&t->ref, table + ((iova >> shift) & (n - 1)) * 8);
}

/* The software bit of a table entry whose table waits to be reclaimed */
#define LPAE_TEST_DYING		BIT_ULL(56)

/*
 * Since the log was reset, the table at @pa, which covered [@iova,
 * @iova + @span) and held nothing, went back: freed once, after one
 * tlb_flush_walk of exactly its span at granule == span (the entry to
 * it is all there is to invalidate), and no longer reachable.
 */
static void lpae_expect_reclaimed(struct lpae_t *t, phys_addr_t pa, u64 iova,
				  u64 span, int level)
{
	struct iopt_test_ctx *ctx = t->ctx;
	unsigned int i, n = min_t(unsigned int, ctx->nlog, ctx->log_len);
	int walks = 0, frees = 0, walk_before_free = 0;

	KUNIT_EXPECT_LE(t->test, ctx->nlog, ctx->log_len);
	for (i = 0; i < n; i++) {
		const struct iopt_test_event *e = &ctx->log[i];

		if (e->type == IOPT_TEST_EV_FLUSH_WALK && e->addr == iova &&
		    e->size == span && e->granule == span) {
			walks++;
			walk_before_free += !frees;
		} else if (e->type == IOPT_TEST_EV_FREE && e->addr == pa) {
			frees++;
		}
	}
	KUNIT_EXPECT_EQ_MSG(t->test, frees, 1, "level-%d table for %#llx",
			    level, iova);
	KUNIT_EXPECT_EQ_MSG(t->test, walks, 1, "level-%d table for %#llx",
			    level, iova);
	KUNIT_EXPECT_EQ_MSG(t->test, walk_before_free, 1,
			    "level-%d table for %#llx freed before its flush",
			    level, iova);
	KUNIT_EXPECT_NE(t->test, (u64)lpae_table_of(t, iova, level), (u64)pa);
}

/*
 * A NIC's ring over days: two last-level tables' worth of pages mapped,
 * then unmapped one page at a time with the DMA API's gather. With the
 * quirk every table below the top level goes back, each with its one
 * walk flush; without it (6.12) they all stay, and so they do when the
 * unmaps pass no gather (the GPU drivers).
 */
static void lpae_test_reclaim_page_by_page(struct kunit *test)
{
	const struct lpae_param *p = test->param_value;
	unsigned int mode;

	for (mode = 0; mode < 3; mode++) {
		bool quirk = mode != 1, null_gather = mode == 2;
		struct lpae_t *t = lpae_reclaim_new(test, quirk ?
					IO_PGTABLE_QUIRK_ARM_RECLAIM : 0);
		u64 g = t->granule, span3 = lpae_table_span(t, 3);
		u64 span2 = lpae_table_span(t, 2), iova, i, n = span3 / g;
		phys_addr_t t3[2], t2;
		unsigned int tables, k;

		if (2 * span2 > (1ULL << t->cfg.ias))
			kunit_skip(test, "input space too small");
		iova = t->base + span2;
		KUNIT_ASSERT_EQ(test, lpae_map(t, iova, 0, g, 2 * n,
					       IOMMU_READ, NULL), 0);
		t3[0] = lpae_table_of(t, iova, 3);
		t3[1] = lpae_table_of(t, iova + span3, 3);
		t2 = lpae_table_of(t, iova, 2);
		tables = lpae_census(t).tables;
		KUNIT_ASSERT_GE(test, tables, 4);
		for (k = 0; k < 2; k++) {
			u64 base = iova + k * span3;

			for (i = 0; i < n; i++) {
				if (i == n - 1)
					iopt_test_reset_flushes(t->ctx);
				if (null_gather)
					KUNIT_EXPECT_EQ(test,
							t->ops->unmap_pages(t->ops, base + i * g,
									    g, 1, NULL),
							g);
				else
					KUNIT_EXPECT_EQ(test,
							lpae_unmap(t, base + i * g, g, 1),
							g);
			}
			lpae_reclaim_settle(t, t->base);
			if (!quirk || null_gather) {
				KUNIT_EXPECT_EQ(test, t->ctx->flush_walk, 0);
				KUNIT_EXPECT_EQ(test, lpae_table_of(t, base, 3),
						t3[k]);
				continue;
			}
			lpae_expect_reclaimed(t, t3[k], base, span3, 3);
			if (k)
				lpae_expect_reclaimed(t, t2, iova, span2, 2);
		}
		/* the top level alone, or everything that was there */
		KUNIT_EXPECT_EQ_MSG(test, lpae_census(t).tables,
				    quirk && !null_gather ? 1 : tables,
				    "%s mode %u", p->desc, mode);
		KUNIT_EXPECT_EQ(test, lpae_census(t).tables, t->ctx->live);
		/* and it maps again as new */
		KUNIT_EXPECT_EQ(test, lpae_map(t, iova + 5 * g, SZ_1G, g, 1,
					       IOMMU_READ, NULL), 0);
		lpae_check_leaf(t, iova + 5 * g, SZ_1G, g, IOMMU_READ);
		lpae_free_and_check(t);
	}
}

/*
 * More tables emptied within one grace period than there are slots (64)
 * for them: those that found none are swept up later, and every table
 * below the top level still goes back.
 */
static void lpae_test_reclaim_more_than_slots(struct kunit *test)
{
	struct lpae_t *t = lpae_reclaim_new(test, IO_PGTABLE_QUIRK_ARM_RECLAIM);
	u64 g = t->granule, span3 = lpae_table_span(t, 3);
	u64 span2 = lpae_table_span(t, 2), iova, k, n = 100;

	if (2 * span2 > (1ULL << t->cfg.ias))
		kunit_skip(test, "input space too small");
	iova = t->base + span2;
	for (k = 0; k < n; k++)
		KUNIT_ASSERT_EQ(test, lpae_map(t, iova + k * span3, 0, g, 1,
					       IOMMU_READ, NULL), 0);
	KUNIT_EXPECT_GE(test, lpae_census(t).tables, n + 2);
	/* no grace period passes while they are emptied */
	rcu_read_lock();
	for (k = 0; k < n; k++)
		KUNIT_EXPECT_EQ(test, lpae_unmap(t, iova + k * span3, g, 1), g);
	rcu_read_unlock();
	lpae_reclaim_settle_n(t, t->base, 16);
	KUNIT_EXPECT_EQ(test, lpae_census(t).tables, 1);
	KUNIT_EXPECT_EQ(test, t->ctx->live, 1);
	KUNIT_EXPECT_EQ(test, lpae_map(t, iova + 7 * span3, SZ_1G, g, 1,
				       IOMMU_READ, NULL), 0);
	lpae_check_leaf(t, iova + 7 * span3, SZ_1G, g, IOMMU_READ);
	lpae_free_and_check(t);
}

/*
 * A mapper walks into a table that an unmapper of its neighbour has just
 * emptied: the table is marked, the mapper clears the mark, and the table
 * stays with the new page. A grace period that cannot pass (the test
 * holds rcu_read_lock(), as a mapper of the same table on another CPU
 * would) keeps the table marked until the map comes.
 */
static void lpae_test_reclaim_rescue(struct kunit *test)
{
	struct lpae_t *t = lpae_reclaim_new(test, IO_PGTABLE_QUIRK_ARM_RECLAIM);
	u64 g = t->granule, span3 = lpae_table_span(t, 3);
	u64 iova = t->base + 4 * span3;
	phys_addr_t table;
	size_t mapped = 0;

	if (6 * span3 > (1ULL << t->cfg.ias))
		kunit_skip(test, "input space too small");
	table = lpae_map_table(t, iova, 1);
	rcu_read_lock();
	KUNIT_EXPECT_EQ(test, lpae_unmap(t, iova, g, 1), g);
	KUNIT_EXPECT_TRUE(test, lpae_entry_of(t, iova, 2) & LPAE_TEST_DYING);
	/* a lookup of the hole walks through it */
	KUNIT_EXPECT_TRUE(test, lpae_unmapped(t, iova + 3 * g));
	/* inside rcu_read_lock(): a map that must not sleep */
	KUNIT_EXPECT_EQ(test, t->ops->map_pages(t->ops, iova + 3 * g, SZ_1G, g,
						1, IOMMU_READ, GFP_ATOMIC,
						&mapped), 0);
	KUNIT_EXPECT_FALSE(test, lpae_entry_of(t, iova, 2) & LPAE_TEST_DYING);
	rcu_read_unlock();
	lpae_reclaim_settle(t, t->base);
	KUNIT_EXPECT_EQ(test, lpae_table_of(t, iova, 3), table);
	KUNIT_EXPECT_EQ(test, t->ctx->flush_walk, 0);
	lpae_check_leaf(t, iova + 3 * g, SZ_1G, g, IOMMU_READ);
	KUNIT_EXPECT_EQ(test, lpae_census(t).tables, t->ctx->live);
	lpae_free_and_check(t);
}

/*
 * The unmap of the whole span of a marked table (6.12 removes a table
 * the call covers at once), and a block mapped over one, race the
 * reclaim: the table is freed exactly once either way.
 */
static void lpae_test_reclaim_whole_span(struct kunit *test)
{
	unsigned int how;

	for (how = 0; how < 2; how++) {
		struct lpae_t *t = lpae_reclaim_new(test,
						    IO_PGTABLE_QUIRK_ARM_RECLAIM);
		u64 g = t->granule, span3 = lpae_table_span(t, 3);
		u64 iova = t->base + 4 * span3;
		phys_addr_t table;
		unsigned int live;
		size_t mapped = 0;

		if (6 * span3 > (1ULL << t->cfg.ias))
			kunit_skip(test, "input space too small");
		table = lpae_map_table(t, iova, 2);
		/* a page in the next table keeps the tables above */
		KUNIT_ASSERT_EQ(test, lpae_map(t, iova + span3, 0, g, 1,
					       IOMMU_READ, NULL), 0);
		live = t->ctx->live;
		rcu_read_lock();
		KUNIT_EXPECT_EQ(test, lpae_unmap(t, iova, g, 2), 2 * g);
		KUNIT_EXPECT_TRUE(test,
				  lpae_entry_of(t, iova, 2) & LPAE_TEST_DYING);
		iopt_test_reset_flushes(t->ctx);
		if (how)
			KUNIT_EXPECT_EQ(test,
					t->ops->map_pages(t->ops, iova, SZ_1G,
							  span3, 1, IOMMU_READ,
							  GFP_ATOMIC, &mapped),
					0);
		else
			KUNIT_EXPECT_EQ(test, lpae_unmap(t, iova, span3, 1),
					span3);
		rcu_read_unlock();
		lpae_reclaim_settle(t, t->base);
		KUNIT_EXPECT_EQ(test, iopt_test_log_count(t->ctx,
							  IOPT_TEST_EV_FREE), 1);
		KUNIT_EXPECT_EQ(test, t->ctx->live, live - 1);
		KUNIT_EXPECT_NE(test, lpae_table_of(t, iova, 3), table);
		if (how)
			lpae_check_leaf(t, iova, SZ_1G, span3, IOMMU_READ);
		else
			KUNIT_EXPECT_TRUE(test, lpae_unmapped(t, iova));
		KUNIT_EXPECT_EQ(test, t->ctx->bad_frees, 0);
		lpae_free_and_check(t);
	}
}

/*
 * A map that allocates a table may sleep (GFP_KERNEL) between counting
 * and installing: meanwhile, on another CPU, the one page of a table it
 * counted on is unmapped and that table emptied, and grace periods pass.
 * The table must stay (the map holds it), and the map must complete.
 * The allocation hook plays the other CPU; with GFP_ATOMIC the map never
 * leaves rcu_read_lock(), and the grace period cannot pass instead.
 */
struct lpae_pin {
	struct lpae_t	*t;
	u64		victim;
	bool		armed;
};

static struct lpae_pin *lpae_pin_now;

static void *lpae_pin_alloc(void *cookie, size_t size, gfp_t gfp)
{
	struct lpae_pin *r = lpae_pin_now;

	if (r && r->armed) {
		r->armed = false;
		KUNIT_EXPECT_EQ(r->t->test, lpae_unmap(r->t, r->victim,
						       r->t->granule, 1),
				r->t->granule);
		if (gfpflags_allow_blocking(gfp))
			lpae_reclaim_settle(r->t, r->t->base);
	}
	return iopt_test_alloc(cookie, size, gfp);
}

static void lpae_test_reclaim_pinned_map(struct kunit *test)
{
	unsigned int atomic;

	for (atomic = 0; atomic < 2; atomic++) {
		struct lpae_t *t = lpae_reclaim_new(test,
						    IO_PGTABLE_QUIRK_ARM_RECLAIM);
		u64 g = t->granule, span3 = lpae_table_span(t, 3);
		u64 iova = t->base + 4 * span3;
		struct lpae_pin r = { .t = t, .victim = iova, .armed = true };
		size_t mapped = 0;
		phys_addr_t table;
		int ret;

		if (6 * span3 > (1ULL << t->cfg.ias))
			kunit_skip(test, "input space too small");
		/* tables through the hook, which stands still until armed */
		lpae_free(t);
		t->cfg.alloc = lpae_pin_alloc;
		t->ops = alloc_io_pgtable_ops(t->fmt, &t->cfg, t->ctx);
		KUNIT_ASSERT_NOT_NULL(test, t->ops);
		t->ref.pgd = lpae_pgd_pa(t);
		KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test,
								lpae_free_action,
								t), 0);
		table = lpae_map_table(t, iova, 1);
		/* from the last page of that table into the next, missing */
		lpae_pin_now = &r;
		ret = t->ops->map_pages(t->ops, iova + span3 - g, SZ_1G, g, 2,
					IOMMU_READ, atomic ? GFP_ATOMIC :
					GFP_KERNEL, &mapped);
		lpae_pin_now = NULL;
		KUNIT_EXPECT_FALSE(test, r.armed);
		KUNIT_EXPECT_EQ(test, ret, 0);
		KUNIT_EXPECT_EQ(test, mapped, 2 * g);
		KUNIT_EXPECT_EQ(test, lpae_table_of(t, iova, 3), table);
		lpae_check_leaf(t, iova + span3 - g, SZ_1G, g, IOMMU_READ);
		lpae_check_leaf(t, iova + span3, SZ_1G + g, g, IOMMU_READ);
		KUNIT_EXPECT_TRUE(test, lpae_unmapped(t, iova));
		KUNIT_EXPECT_EQ(test, lpae_census(t).tables, t->ctx->live);
		lpae_free_and_check(t);
	}
}

/* ------------------------------------------------------------------ */
/* Custom allocators                                                  */

static void lpae_test_custom_alloc_every_table(struct kunit *test)
{
	const struct lpae_param *p = test->param_value;
	struct lpae_t *t = lpae_new_param(test, p, 0, true);
	u64 g = t->granule;
	struct lpae_census c;
	size_t gfp;

	lpae_check_pgd(t, p->desc);
	KUNIT_ASSERT_EQ(test, lpae_map(t, t->base, 0, g, 1, IOMMU_READ, NULL),
			0);
	KUNIT_ASSERT_EQ(test, lpae_map(t, t->base + (1ULL << (p->ias - 1)), 0,
				       g, 1, IOMMU_READ, NULL), 0);
	/* every reachable table is a live allocation of the hook, exactly */
	c = lpae_census(t);
	KUNIT_EXPECT_EQ(test, c.tables, t->ctx->live);
	/* and other tables are one granule, whatever PAGE_SIZE is */
	gfp = io_pgtable_table_footprint(&t->cfg, g);
	KUNIT_EXPECT_EQ(test, t->ctx->live_bytes,
			(c.tables - 1) * gfp + t->ctx->first_size);
	lpae_free_and_check(t);
	KUNIT_EXPECT_EQ(test, t->ctx->frees, t->ctx->allocs);
}

static void lpae_test_custom_alloc_misaligned_pgd(struct kunit *test)
{
	const struct lpae_param *p = test->param_value;
	struct lpae_t *t;
	struct iopt_test_ctx *ctx;
	struct io_pgtable_cfg cfg = {
		.pgsize_bitmap = lpae_all_sizes(p->granule),
		.ias = p->ias,
		.oas = p->oas,
		.quirks = p->quirks,
		.coherent_walk = true,
		.tlb = &iopt_test_flush_ops,
		.alloc = iopt_test_alloc,
		.free = iopt_test_free,
	};

	ctx = iopt_test_ctx_alloc(test);
	ctx->misalign_after = 0;
	KUNIT_EXPECT_NULL(test, alloc_io_pgtable_ops(p->fmt, &cfg, ctx));
	KUNIT_EXPECT_EQ(test, ctx->alloc_calls, 1);
	KUNIT_EXPECT_EQ(test, ctx->live, 0);
	KUNIT_EXPECT_EQ(test, ctx->bad_frees, 0);

	/* and a failing allocator: nothing is left behind either */
	ctx = iopt_test_ctx_alloc(test);
	ctx->fail_after = 0;
	KUNIT_EXPECT_NULL(test, alloc_io_pgtable_ops(p->fmt, &cfg, ctx));
	KUNIT_EXPECT_EQ(test, ctx->live, 0);

	t = lpae_new_param(test, p, 0, true);
	lpae_free_and_check(t);
}

static void lpae_test_custom_alloc_misaligned_table(struct kunit *test)
{
	const struct lpae_param *p = test->param_value;
	struct lpae_t *t = lpae_new_param(test, p, 0, true);

	t->ctx->misalign_after = t->ctx->allocs;
	lpae_expect_map_enomem(t, 1);

	t->ctx->misalign_after = UINT_MAX;
	KUNIT_EXPECT_EQ(test, lpae_map(t, t->base + SZ_1G, 0, t->granule, 1,
				       IOMMU_READ, NULL), 0);
	lpae_check_leaf(t, t->base + SZ_1G, 0, t->granule, IOMMU_READ);
	lpae_free_and_check(t);
}

static void lpae_test_no_leak_after_use(struct kunit *test)
{
	const struct lpae_param *p = test->param_value;
	struct lpae_t *t = lpae_new_param(test, p, 0, true);
	u64 g = t->granule;
	int i;

	/* leave mappings behind on purpose: free must take every table */
	for (i = 0; i < 8; i++)
		KUNIT_EXPECT_EQ(test, lpae_map(t, t->base + i * g +
					       ((u64)i << (p->ias - 3)), 0, g, 3,
					       IOMMU_READ, NULL), 0);
	KUNIT_EXPECT_GT(test, t->ctx->live, 1);
	iopt_test_reset_flushes(t->ctx);
	lpae_free_and_check(t);
	KUNIT_EXPECT_EQ(test, t->ctx->flush_all, 1);
	KUNIT_EXPECT_LT(test, iopt_test_log_find(t->ctx, IOPT_TEST_EV_FLUSH_ALL,
						 0, U64_MAX),
			iopt_test_log_find(t->ctx, IOPT_TEST_EV_FREE, 0,
					   U64_MAX));
}

/* ------------------------------------------------------------------ */
/* A random workload against the shadow model                         */

static void lpae_test_random_vs_shadow(struct kunit *test)
{
	const struct lpae_param *p = test->param_value;
	struct lpae_t *t = lpae_new_param(test, p, IO_PGTABLE_QUIRK_NO_WARN,
					  true);
	unsigned long sizes = t->cfg.pgsize_bitmap;
	u64 window = min_t(u64, 1ULL << p->ias, 64 * (u64)SZ_1G);
	struct iopt_shadow sh;
	u64 seed = 0x10bad5eedULL;
	int iter, prots[] = { IOMMU_READ, IOMMU_READ | IOMMU_WRITE,
			      IOMMU_WRITE | IOMMU_CACHE, IOMMU_READ | IOMMU_MMIO };

	iopt_shadow_init(test, &sh, 512);
	for (iter = 0; iter < 400; iter++) {
		u32 r = iopt_test_lcg(&seed);
		unsigned int bit;
		u64 pgsize, iova, count;

		/* pick a size the table can map, biased to the granule */
		do {
			bit = iopt_test_lcg(&seed) % BITS_PER_LONG;
		} while (!(sizes & BIT(bit)) || (1ULL << bit) > window / 4);
		if (r & 1)
			bit = __ffs(sizes);
		pgsize = 1ULL << bit;
		count = 1 + (iopt_test_lcg(&seed) %
			     min_t(u64, 8, window / pgsize - 1));
		iova = t->base + ((u64)iopt_test_lcg(&seed) << 20 |
				  iopt_test_lcg(&seed)) % (window - count * pgsize);
		iova = ALIGN_DOWN(iova, pgsize);

		if (r & 2) {
			size_t mapped = 0;
			u64 pa = ALIGN_DOWN(((u64)iopt_test_lcg(&seed) << 12) %
					    (1ULL << 40), pgsize);
			int prot = prots[(r >> 4) % ARRAY_SIZE(prots)];
			int ret = lpae_map(t, iova, pa, pgsize, count, prot,
					   &mapped);

			if (iopt_shadow_overlaps(&sh, iova, count * pgsize)) {
				KUNIT_EXPECT_EQ(test, ret, -EEXIST);
				KUNIT_EXPECT_EQ(test, mapped, 0);
			} else {
				KUNIT_EXPECT_EQ(test, ret, 0);
				KUNIT_EXPECT_EQ(test, (u64)mapped,
						count * pgsize);
				if (!ret)
					iopt_shadow_add(&sh, iova, pa,
							count * pgsize, pgsize,
							prot);
			}
		} else if (sh.n) {
			/* unmap an existing mapping exactly, in its pages */
			const struct iopt_shadow_ent e =
				sh.ents[iopt_test_lcg(&seed) % sh.n];

			KUNIT_EXPECT_EQ(test, (u64)lpae_unmap(t, e.iova,
							      e.pgsize,
							      e.size / e.pgsize),
					e.size);
			iopt_shadow_remove(&sh, e.iova, e.size);
		}
		if (!(iter % 50))
			iopt_shadow_check(test, &sh, t->ops, lpae_ref_xlate,
					  &t->ref);
	}
	iopt_shadow_check(test, &sh, t->ops, lpae_ref_xlate, &t->ref);
	lpae_census(t);
	lpae_free_and_check(t);
}

/* ------------------------------------------------------------------ */
/* Concurrency                                                        */

struct lpae_racer {
	struct lpae_t		*t;
	unsigned int		id;
	unsigned int		errors;
};

/*
 * Two threads interleave pages in the same last-level tables, so both race
 * to install every table on the way down, then to empty them.
 */
static int lpae_racer_fn(void *arg)
{
	struct lpae_racer *r = arg;
	struct lpae_t *t = r->t;
	u64 g = t->granule;
	int round, i;

	for (round = 0; round < 64; round++) {
		u64 off = SZ_1G + (u64)(round % 8) * 4 * g * (g / 8);

		for (i = r->id; i < 64; i += 2)
			if (lpae_map(t, t->base + off + i * g, off + i * g, g, 1,
				     IOMMU_READ, NULL))
				r->errors++;
		for (i = r->id; i < 64; i += 2)
			if (t->ops->iova_to_phys(t->ops, t->base + off + i * g) !=
			    off + i * g)
				r->errors++;
		for (i = r->id; i < 64; i += 2)
			if (lpae_unmap(t, t->base + off + i * g, g, 1) != g)
				r->errors++;
	}
	/* returning before kthread_stop() would free the task under it */
	while (!kthread_should_stop())
		msleep(20);
	return 0;
}

static void lpae_test_concurrent(struct kunit *test)
{
	const struct lpae_param *p = test->param_value;
	struct lpae_t *t = lpae_new_param(test, p, 0, true);
	struct task_struct *task[2];
	struct lpae_racer r[2];
	int i;

	for (i = 0; i < 2; i++) {
		r[i].t = t;
		r[i].id = i;
		r[i].errors = 0;
		task[i] = kthread_run(lpae_racer_fn, &r[i], "lpae-racer-%d", i);
		if (IS_ERR(task[i])) {
			KUNIT_FAIL(test, "kthread_run: %ld", PTR_ERR(task[i]));
			task[i] = NULL;
		}
	}
	for (i = 0; i < 2; i++)
		if (task[i])
			kthread_stop(task[i]);
	KUNIT_EXPECT_EQ(test, r[0].errors, 0);
	KUNIT_EXPECT_EQ(test, r[1].errors, 0);
	KUNIT_EXPECT_EQ(test, lpae_census(t).leaves, 0);
	/* a racer that lost the install freed its table: nothing leaked */
	KUNIT_EXPECT_EQ(test, t->ctx->live, lpae_census(t).tables);
	lpae_free_and_check(t);
}

/* ------------------------------------------------------------------ */
/* Table frees deferred to a queued gather                            */

/*
 * Whether the tables below the top level of @t may wait on a queued
 * gather: one page each (a granule of exactly PAGE_SIZE), from the page
 * allocator, for a coherent walker.
 */
static bool lpae_defers(const struct lpae_t *t)
{
	return t->granule == PAGE_SIZE && t->cfg.coherent_walk &&
	       !t->cfg.alloc && !t->cfg.table_cache;
}

/* Map two last-level tables' worth from @iova; their tables in @tab. */
static void lpae_map_two_tables(struct lpae_t *t, u64 iova, phys_addr_t *tab)
{
	u64 span = lpae_table_span(t, 3), entries = span / t->granule;

	tab[0] = lpae_map_table(t, iova, entries);
	tab[1] = lpae_map_table(t, iova + span, entries);
	iopt_test_reset_flushes(t->ctx);
}

/* Unmap both tables at once with @gather; check what the walker sees. */
static void lpae_unmap_two_tables(struct lpae_t *t, u64 iova,
				  struct iommu_iotlb_gather *gather)
{
	u64 span = lpae_table_span(t, 3);

	KUNIT_EXPECT_EQ(t->test, (u64)t->ops->unmap_pages(t->ops, iova,
							  t->granule,
							  2 * span / t->granule,
							  gather), 2 * span);
	KUNIT_EXPECT_TRUE(t->test, lpae_unmapped(t, iova));
	KUNIT_EXPECT_TRUE(t->test, lpae_unmapped(t, iova + 2 * span - 1));
	KUNIT_EXPECT_EQ(t->test, lpae_table_of(t, iova, 3), 0);
	KUNIT_EXPECT_EQ(t->test, lpae_table_of(t, iova + span, 3), 0);
	KUNIT_EXPECT_EQ(t->test, t->ctx->add_page, 0);
}

/*
 * Lazy mode, as dma-iommu's flush queue: a queued gather takes the removed
 * tables with no walk flush; they stay allocated, their leaves intact for
 * a walker with a stale walk cache, until the queue's tlb_flush_all and
 * iommu_put_pages_list(). Where the tables cannot go on a page list the
 * removal is today's: a walk flush each, then the free.
 */
static void lpae_test_defer_queued(struct kunit *test)
{
	const struct lpae_param *p = test->param_value;
	struct lpae_t *t = lpae_new_param(test, p, 0, false);
	u64 iova = t->base + 4 * lpae_table_span(t, 3);
	struct iommu_iotlb_gather gather;
	unsigned int n = 0;
	phys_addr_t tab[2];
	struct page *pg;

	lpae_map_two_tables(t, iova, tab);
	iommu_iotlb_gather_init(&gather);
	gather.queued = true;
	lpae_unmap_two_tables(t, iova, &gather);
	KUNIT_EXPECT_EQ(test, t->ctx->flush_all, 0);
	if (!lpae_defers(t)) {
		KUNIT_EXPECT_TRUE(test, list_empty(&gather.freelist));
		KUNIT_EXPECT_EQ(test, t->ctx->flush_walk, 2);
		lpae_free(t);
		return;
	}
	KUNIT_EXPECT_EQ(test, t->ctx->flush_walk, 0);
	list_for_each_entry(pg, &gather.freelist, lru) {
		phys_addr_t pa = page_to_phys(pg);

		KUNIT_EXPECT_TRUE_MSG(test, pa == tab[0] || pa == tab[1],
				      "%pa on the freelist", &pa);
		/* not freed: a freed table would fail here, under ASan too */
		KUNIT_EXPECT_EQ(test, page_ref_count(pg), 1);
		KUNIT_EXPECT_NE(test, iopt_test_walker_read64(pa, true), 0);
		n++;
	}
	KUNIT_EXPECT_EQ(test, n, 2);

	/* the flush queue: the full flush, then the list */
	KUNIT_EXPECT_EQ(test, iopt_test_fq_flush(&t->cfg, t->ctx, &gather), 2);
	KUNIT_EXPECT_EQ(test, t->ctx->flush_all, 1);
	KUNIT_EXPECT_EQ(test, t->ctx->flush_walk, 0);
	KUNIT_EXPECT_TRUE(test, list_empty(&gather.freelist));
	/* the harness reports any table left allocated when the test ends */
	lpae_free(t);
}

/* Strict mode: a walk flush and the free per table, nothing on the list. */
static void lpae_test_defer_strict(struct kunit *test)
{
	const struct lpae_param *p = test->param_value;
	struct lpae_t *t = lpae_new_param(test, p, 0, true);
	u64 span = lpae_table_span(t, 3), iova = t->base + 4 * span;
	struct iommu_iotlb_gather gather;
	unsigned int live;
	phys_addr_t tab[2];

	lpae_map_two_tables(t, iova, tab);
	live = t->ctx->live;
	iommu_iotlb_gather_init(&gather);
	lpae_unmap_two_tables(t, iova, &gather);
	KUNIT_EXPECT_TRUE(test, list_empty(&gather.freelist));
	KUNIT_EXPECT_EQ(test, t->ctx->flush_walk, 2);
	KUNIT_EXPECT_EQ(test, t->ctx->live, live - 2);
	lpae_expect_table_removed(t, tab[0], iova, span, t->granule);
	lpae_expect_table_removed(t, tab[1], iova + span, span, t->granule);
	lpae_free_and_check(t);
}

/* A custom allocator's tables cannot go on a page list: today's path. */
static void lpae_test_defer_custom_allocator(struct kunit *test)
{
	const struct lpae_param *p = test->param_value;
	struct lpae_t *t = lpae_new_param(test, p, 0, true);
	u64 span = lpae_table_span(t, 3), iova = t->base + 4 * span;
	struct iommu_iotlb_gather gather;
	unsigned int live;
	phys_addr_t tab[2];

	lpae_map_two_tables(t, iova, tab);
	live = t->ctx->live;
	iommu_iotlb_gather_init(&gather);
	gather.queued = true;
	lpae_unmap_two_tables(t, iova, &gather);
	KUNIT_EXPECT_TRUE(test, list_empty(&gather.freelist));
	KUNIT_EXPECT_EQ(test, t->ctx->live, live - 2);
	lpae_expect_table_removed(t, tab[0], iova, span, t->granule);
	lpae_expect_table_removed(t, tab[1], iova + span, span, t->granule);
	lpae_free_and_check(t);
}

/*
 * A reservation attached: the removed tables go back to it at once, and
 * a queued gather changes nothing of that.
 */
static void lpae_test_defer_reservation(struct kunit *test)
{
	const struct lpae_param *p = test->param_value;
	struct lpae_t *t = lpae_new_param(test, p, 0, false);
	u64 span = lpae_table_span(t, 3), iova = t->base + 4 * span;
	struct io_pgtable_reservation rsv = {};
	struct iommu_iotlb_gather gather;
	phys_addr_t tab[2];

	lpae_map_two_tables(t, iova, tab);
	KUNIT_ASSERT_EQ(test, io_pgtable_reserve(t->ops, &rsv, 1, GFP_KERNEL),
			0);
	io_pgtable_attach_reservation(t->ops, &rsv);
	iommu_iotlb_gather_init(&gather);
	gather.queued = true;
	lpae_unmap_two_tables(t, iova, &gather);
	io_pgtable_attach_reservation(t->ops, NULL);
	KUNIT_EXPECT_TRUE(test, list_empty(&gather.freelist));
	KUNIT_EXPECT_EQ(test, t->ctx->flush_walk, 2);
	KUNIT_EXPECT_EQ(test, rsv.count, 3);
	KUNIT_EXPECT_EQ(test, rsv.returned, 2);
	io_pgtable_unreserve(t->ops, &rsv, 0);
	lpae_free(t);
}

/*
 * The tables an unmap prunes (a level-2 table emptied with the leaf
 * tables under it) and a table under a block-size unmap wait on the
 * list too, all of them or none.
 */
static void lpae_test_defer_prune(struct kunit *test)
{
	const struct lpae_param *p = test->param_value;
	struct lpae_t *t = lpae_new_param(test, p, 0, false);
	u64 g = t->granule, span2 = lpae_table_span(t, 2);
	u64 span3 = lpae_table_span(t, 3), iova = t->base + 2 * span2;
	struct iommu_iotlb_gather gather;
	unsigned int tables;
	size_t n;

	if (t->ref.start_level >= 2 || span2 > SZ_1G)
		kunit_skip(test, "no level-2 table of at most 1G below the PGD");
	/* a whole level-2 table's worth of pages, unmapped in one call */
	KUNIT_ASSERT_EQ(test, lpae_map(t, iova, 0, g, span2 / g, IOMMU_READ,
				       NULL), 0);
	tables = lpae_census(t).tables;
	iopt_test_reset_flushes(t->ctx);
	iommu_iotlb_gather_init(&gather);
	gather.queued = true;
	n = t->ops->unmap_pages(t->ops, iova, g, span2 / g, &gather);
	KUNIT_EXPECT_EQ(test, (u64)n, span2);
	KUNIT_EXPECT_EQ(test, iopt_test_fq_flush(&t->cfg, t->ctx, &gather),
			lpae_defers(t) ? 1 + span2 / span3 : 0);
	KUNIT_EXPECT_TRUE(test, lpae_unmapped(t, iova));
	KUNIT_EXPECT_TRUE(test, lpae_unmapped(t, iova + span2 - 1));
	KUNIT_EXPECT_EQ(test, lpae_census(t).tables,
			tables - 1 - span2 / span3);
	KUNIT_EXPECT_EQ(test, t->ctx->flush_walk,
			lpae_defers(t) ? 0 : 1 + span2 / span3);
	KUNIT_EXPECT_EQ(test, t->ctx->flush_all, lpae_defers(t));

	/* a leaf table under a block-size unmap */
	if (!(t->cfg.pgsize_bitmap & span3))
		goto out;
	lpae_map_table(t, iova, span3 / g);
	tables = lpae_census(t).tables;
	iopt_test_reset_flushes(t->ctx);
	iommu_iotlb_gather_init(&gather);
	gather.queued = true;
	n = t->ops->unmap_pages(t->ops, iova, span3, 1, &gather);
	KUNIT_EXPECT_EQ(test, (u64)n, span3);
	KUNIT_EXPECT_EQ(test, lpae_census(t).tables, tables - 1);
	KUNIT_EXPECT_EQ(test, t->ctx->flush_walk, !lpae_defers(t));
	KUNIT_EXPECT_EQ(test, iopt_test_fq_flush(&t->cfg, t->ctx, &gather),
			lpae_defers(t));
out:
	lpae_free(t);
}

static struct kunit_case io_pgtable_arm_test_cases[] = {
	/* geometry and configuration */
	KUNIT_CASE_PARAM(lpae_test_geometry, lpae_fmt_granule_gen_params),
	KUNIT_CASE(lpae_test_granule_select),
	KUNIT_CASE_PARAM(lpae_test_pgsize_bitmap_masked, lpae_cfg_gen_params),
	KUNIT_CASE_PARAM(lpae_test_s2_start_level, lpae_s2_geom_gen_params),
	KUNIT_CASE(lpae_test_s1_pgd_32bit),
	KUNIT_CASE_PARAM(lpae_test_cfg_regs, lpae_cfg_gen_params),
	KUNIT_CASE_PARAM(lpae_test_cfg_regs_quirks, lpae_quirk_gen_params),
	KUNIT_CASE(lpae_test_mali_cfg),
	KUNIT_CASE(lpae_test_quirks_accepted),
	KUNIT_CASE(lpae_test_ias_oas_as_6_12),
	KUNIT_CASE(lpae_test_small_ias),
	/* descriptors */
	KUNIT_CASE_PARAM(lpae_test_prot_bits, lpae_cfg_gen_params),
	KUNIT_CASE_PARAM(lpae_test_prot_bits_quirks, lpae_quirk_gen_params),
	KUNIT_CASE_PARAM(lpae_test_prot_needs_rw, lpae_cfg_gen_params),
	KUNIT_CASE(lpae_test_quirk_no_perms_refused),
	KUNIT_CASE_PARAM(lpae_test_table_descriptors, lpae_cfg_gen_params),
	KUNIT_CASE(lpae_test_quirk_ns),
	KUNIT_CASE(lpae_test_quirk_ttbr1),
	KUNIT_CASE(lpae_test_quirk_s2fwb),
	KUNIT_CASE(lpae_test_lpa52),
	KUNIT_CASE(lpae_test_non_coherent),
	/* dirty tracking */
	KUNIT_CASE(lpae_test_dirty_initial),
	KUNIT_CASE(lpae_test_dirty_read_and_clear),
	KUNIT_CASE(lpae_test_dirty_no_clear),
	KUNIT_CASE(lpae_test_dirty_block),
	KUNIT_CASE_PARAM(lpae_test_dirty_unsupported, lpae_cfg_gen_params),
	KUNIT_CASE(lpae_test_dirty_bad_range),
	/* bad input */
	KUNIT_CASE_PARAM(lpae_test_map_unaligned, lpae_cfg_gen_params),
	KUNIT_CASE_PARAM(lpae_test_map_bad_pgsize, lpae_cfg_gen_params),
	KUNIT_CASE_PARAM(lpae_test_map_pgcount_zero, lpae_cfg_gen_params),
	KUNIT_CASE_PARAM(lpae_test_map_iova_range, lpae_cfg_gen_params),
	KUNIT_CASE_PARAM(lpae_test_map_paddr_range, lpae_cfg_gen_params),
	KUNIT_CASE_PARAM(lpae_test_map_eexist, lpae_cfg_gen_params),
	KUNIT_CASE_PARAM(lpae_test_map_eexist_across_tables,
			 lpae_cfg_gen_params),
	KUNIT_CASE_PARAM(lpae_test_unmap_bad_args, lpae_cfg_gen_params),
	KUNIT_CASE_PARAM(lpae_test_unmap_stops_at_hole, lpae_cfg_gen_params),
	KUNIT_CASE_PARAM(lpae_test_split_block, lpae_cfg_gen_params),
	KUNIT_CASE_PARAM(lpae_test_count_map_exact, lpae_cfg_gen_params),
	KUNIT_CASE_PARAM(lpae_test_unmap_block_in_pages, lpae_cfg_gen_params),
	KUNIT_CASE_PARAM(lpae_test_contig, lpae_cfg_gen_params),
	KUNIT_CASE(lpae_test_dirty_contig_run),
	KUNIT_CASE_PARAM(lpae_test_iova_to_phys, lpae_cfg_gen_params),
	/* pgcount, -ENOMEM */
	KUNIT_CASE_PARAM(lpae_test_pgcount_across_tables, lpae_cfg_gen_params),
	KUNIT_CASE_PARAM(lpae_test_pgcount_blocks, lpae_cfg_gen_params),
	KUNIT_CASE(lpae_test_mapped_accumulates),
	KUNIT_CASE_PARAM(lpae_test_enomem_mid_range, lpae_cfg_gen_params),
	KUNIT_CASE_PARAM(lpae_test_enomem_first_table, lpae_cfg_gen_params),
	KUNIT_CASE_PARAM(lpae_test_enomem_fresh_range, lpae_cfg_gen_params),
	KUNIT_CASE_PARAM(lpae_test_blocks_over_emptied_tables,
			 lpae_cfg_gen_params),
	/* unmap and the TLB */
	KUNIT_CASE_PARAM(lpae_test_race_install_one_page, lpae_cfg_gen_params),
	KUNIT_CASE_PARAM(lpae_test_race_install_range, lpae_cfg_gen_params),
	KUNIT_CASE_PARAM(lpae_test_unmap_null_gather, lpae_cfg_gen_params),
	KUNIT_CASE_PARAM(lpae_test_unmap_add_page, lpae_cfg_gen_params),
	KUNIT_CASE_PARAM(lpae_test_unmap_gather_queued, lpae_cfg_gen_params),
	KUNIT_CASE_PARAM(lpae_test_unmap_block_add_page, lpae_cfg_gen_params),
	KUNIT_CASE_PARAM(lpae_test_unmap_block_over_table, lpae_cfg_gen_params),
	KUNIT_CASE_PARAM(lpae_test_unmap_flush_walk_before_free,
			 lpae_cfg_gen_params),
	KUNIT_CASE_PARAM(lpae_test_unmap_whole_table_of_tables,
			 lpae_cfg_gen_params),
	KUNIT_CASE_PARAM(lpae_test_partial_unmap_keeps_table,
			 lpae_cfg_gen_params),
	KUNIT_CASE_PARAM(lpae_test_reclaim_page_by_page, lpae_cfg_gen_params),
	KUNIT_CASE_PARAM(lpae_test_reclaim_more_than_slots,
			 lpae_cfg_gen_params),
	KUNIT_CASE_PARAM(lpae_test_reclaim_rescue, lpae_cfg_gen_params),
	KUNIT_CASE_PARAM(lpae_test_reclaim_whole_span, lpae_cfg_gen_params),
	KUNIT_CASE_PARAM(lpae_test_reclaim_pinned_map, lpae_cfg_gen_params),
	/* custom allocators */
	KUNIT_CASE_PARAM(lpae_test_custom_alloc_every_table,
			 lpae_cfg_gen_params),
	KUNIT_CASE_PARAM(lpae_test_custom_alloc_misaligned_pgd,
			 lpae_cfg_gen_params),
	KUNIT_CASE_PARAM(lpae_test_custom_alloc_misaligned_table,
			 lpae_cfg_gen_params),
	KUNIT_CASE_PARAM(lpae_test_no_leak_after_use, lpae_cfg_gen_params),
	/* workloads */
	KUNIT_CASE_PARAM(lpae_test_random_vs_shadow, lpae_cfg_gen_params),
	KUNIT_CASE_PARAM(lpae_test_concurrent, lpae_cfg_gen_params),
	/* table frees deferred to a queued gather */
	KUNIT_CASE_PARAM(lpae_test_defer_queued, lpae_cfg_gen_params),
	KUNIT_CASE_PARAM(lpae_test_defer_strict, lpae_cfg_gen_params),
	KUNIT_CASE_PARAM(lpae_test_defer_custom_allocator, lpae_cfg_gen_params),
	KUNIT_CASE_PARAM(lpae_test_defer_reservation, lpae_cfg_gen_params),
	KUNIT_CASE_PARAM(lpae_test_defer_prune, lpae_cfg_gen_params),
	{}
};

static struct kunit_suite io_pgtable_arm_test_suite = {
	.name = "io-pgtable-arm-lpae",
	.test_cases = io_pgtable_arm_test_cases,
};

kunit_test_suites(&io_pgtable_arm_test_suite);

MODULE_DESCRIPTION("KUnit tests for the ARM LPAE io-pgtable formats");
MODULE_LICENSE("GPL");
