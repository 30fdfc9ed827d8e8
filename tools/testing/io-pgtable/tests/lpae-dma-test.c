// SPDX-License-Identifier: GPL-2.0-only
/*
 * The LPAE formats with a non-coherent walker, seen from the device: the
 * reference walker reads every descriptor through the shim's DMA model
 * (what the walker would fetch, not what the CPU wrote), after every map
 * and unmap, and every DMA mapping of table memory must hold what the CPU
 * wrote. Also the WARN()s the kernel-doc promises, which only the shim can
 * count.
 */
#include <kunit/device.h>
#include <kunit/test.h>
#include <linux/dma-mapping.h>
#include <linux/io-pgtable.h>
#include <linux/kernel.h>
#include <linux/sizes.h>

#include "shim.h"

#include "../../../../drivers/iommu/io-pgtable-arm-ref.h"
#include "../../../../drivers/iommu/io-pgtable-kunit-helpers.h"

#define DMA_TEST_ITERS		200
#define DMA_TEST_SHADOW		256

struct dma_param {
	enum io_pgtable_fmt	fmt;
	unsigned long		granule;
	unsigned int		ias;
	unsigned int		oas;
	unsigned long		quirks;
	char			desc[40];
};

static const struct dma_param dma_params[] = {
	{ ARM_64_LPAE_S1, SZ_4K, 48, 48, 0, "64-S1 4K" },
	{ ARM_64_LPAE_S1, SZ_16K, 48, 48, 0, "64-S1 16K" },
	{ ARM_64_LPAE_S1, SZ_64K, 48, 52, 0, "64-S1 64K oas52" },
	{ ARM_64_LPAE_S1, SZ_4K, 39, 40, IO_PGTABLE_QUIRK_ARM_TTBR1,
	  "64-S1 4K TTBR1" },
	{ ARM_64_LPAE_S2, SZ_4K, 40, 40, 0, "64-S2 4K concat" },
	{ ARM_64_LPAE_S2, SZ_16K, 48, 48, 0, "64-S2 16K concat" },
	{ ARM_64_LPAE_S2, SZ_64K, 48, 48, 0, "64-S2 64K" },
	{ ARM_32_LPAE_S1, SZ_4K, 32, 40, 0, "32-S1 4K" },
	{ ARM_32_LPAE_S2, SZ_4K, 40, 40, 0, "32-S2 4K" },
	{ ARM_MALI_LPAE, SZ_4K, 48, 40, 0, "Mali 4K" },
};

KUNIT_ARRAY_PARAM_DESC(dma, dma_params, desc);

struct dma_t {
	struct kunit		*test;
	struct iopt_test_ctx	*ctx;
	struct io_pgtable_cfg	cfg;
	struct io_pgtable_ops	*ops;
	struct arm_lpae_ref	ref;
	u64			g;
	u64			span;	/* one last-level table */
	u64			base;
};

static u64 dma_read_desc(void *ctx, phys_addr_t pa)
{
	return shim_dma_read64(pa);
}

static void dma_free_action(void *arg)
{
	struct dma_t *t = arg;

	free_io_pgtable_ops(t->ops);
}

static struct dma_t *dma_new_tlb(struct kunit *test,
				 const struct dma_param *p,
				 unsigned long extra_quirks,
				 const struct iommu_flush_ops *tlb)
{
	struct dma_t *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	unsigned int gshift = __ffs(p->granule);
	int level;

	KUNIT_ASSERT_NOT_NULL(test, t);
	t->test = test;
	t->ctx = iopt_test_ctx_alloc(test);
	t->cfg.pgsize_bitmap = p->granule == SZ_4K ? SZ_4K | SZ_2M | SZ_1G :
			       p->granule == SZ_16K ? SZ_16K | SZ_32M :
			       SZ_64K | SZ_512M;
	t->cfg.ias = p->ias;
	t->cfg.oas = p->oas;
	t->cfg.quirks = p->quirks | extra_quirks;
	t->cfg.coherent_walk = false;
	t->cfg.tlb = tlb;
	t->cfg.iommu_dev = iopt_test_dma_device(test);
	iopt_test_use_allocator(&t->cfg);
	t->ops = alloc_io_pgtable_ops(p->fmt, &t->cfg, t->ctx);
	KUNIT_ASSERT_NOT_NULL_MSG(test, t->ops, "%s refused", p->desc);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, dma_free_action,
							t), 0);
	KUNIT_ASSERT_EQ(test, t->cfg.pgsize_bitmap & -t->cfg.pgsize_bitmap,
			p->granule);

	t->g = p->granule;
	t->span = p->granule / 8 * p->granule;
	if (t->cfg.quirks & IO_PGTABLE_QUIRK_ARM_TTBR1)
		t->base = ~0ULL << p->ias;

	/* the walk the architecture makes of this configuration */
	level = arm_lpae_ref_min_start_level(gshift, p->ias);
	switch (p->fmt) {
	case ARM_64_LPAE_S2:
	case ARM_32_LPAE_S2:
		t->ref.stage = ARM_LPAE_REF_S2;
		t->ref.pgd = t->cfg.arm_lpae_s2_cfg.vttbr;
		/* up to 16 concatenated tables rather than a level-0 one */
		if (level == 0 &&
		    p->ias - arm_lpae_ref_level_shift(gshift, 0) <= 4)
			level = 1;
		break;
	case ARM_MALI_LPAE:
		t->ref.stage = ARM_LPAE_REF_MALI;
		t->ref.pgd = t->cfg.arm_mali_lpae_cfg.transtab & ~0xfffULL;
		t->ref.mair = t->cfg.arm_mali_lpae_cfg.memattr;
		level = 0;
		break;
	default:
		t->ref.stage = ARM_LPAE_REF_S1;
		t->ref.pgd = t->cfg.arm_lpae_s1_cfg.ttbr;
		t->ref.mair = t->cfg.arm_lpae_s1_cfg.mair;
		break;
	}
	t->ref.granule_shift = gshift;
	t->ref.ias = p->ias;
	t->ref.start_level = level;
	t->ref.ttbr1 = t->cfg.quirks & IO_PGTABLE_QUIRK_ARM_TTBR1;
	t->ref.lpa52 = p->oas > 48;
	t->ref.read = dma_read_desc;

	/* the PGD is the device's from the start */
	KUNIT_EXPECT_TRUE(test, shim_dma_is_mapped(t->ref.pgd, 64));
	KUNIT_EXPECT_TRUE(test, shim_dma_coherent_check());
	return t;
}

static struct dma_t *dma_new(struct kunit *test, const struct dma_param *p,
			     unsigned long extra_quirks)
{
	return dma_new_tlb(test, p, extra_quirks, &iopt_test_flush_ops);
}

static int dma_map(struct dma_t *t, u64 iova, u64 pa, size_t pgsize,
		   size_t pgcount, int prot, size_t *mapped)
{
	return iopt_test_map(t->ops, iova, pa, pgsize, pgcount, prot, mapped);
}

static size_t dma_unmap(struct dma_t *t, u64 iova, size_t pgsize,
			size_t pgcount)
{
	return iopt_test_unmap(t->ops, iova, pgsize, pgcount);
}

struct dma_census {
	struct dma_t			*t;
	const struct iopt_shadow	*sh;
	u64				bytes;
	unsigned int			bad;
	unsigned int			tables;
};

static int dma_census_table(void *arg, int level, phys_addr_t pa,
			    size_t size, u64 iova)
{
	struct dma_census *c = arg;

	c->tables++;
	if (!shim_dma_is_mapped(pa, size) && c->bad++ < 4)
		KUNIT_FAIL(c->t->test, "level %d table %pa is not DMA-mapped",
			   level, &pa);
	return 0;
}

static int dma_census_leaf(void *arg, u64 iova,
			   const struct arm_lpae_ref_leaf *leaf)
{
	struct dma_census *c = arg;
	const struct iopt_shadow_ent *e = iopt_shadow_find(c->sh, iova);

	if (leaf->malformed) {
		if (c->bad++ < 4)
			KUNIT_FAIL(c->t->test, "device sees a malformed descriptor %#llx at %#llx",
				   leaf->pte, iova);
		return 0;
	}
	c->bytes += leaf->size;
	if (!e || iova + leaf->size - e->iova > e->size ||
	    leaf->size != e->pgsize ||
	    leaf->oa != e->paddr + (iova - e->iova)) {
		if (c->bad++ < 4)
			KUNIT_FAIL(c->t->test, "device: %#llx+%#llx -> %pa, shadow: %#llx",
				   iova, leaf->size, &leaf->oa,
				   e ? e->paddr + (iova - e->iova) : 0ULL);
	}
	return 0;
}

/*
 * Every translation the device can make, against the shadow: each leaf it
 * finds is one the shadow holds, at the right output address and size, and
 * together they cover as many bytes as the shadow (so all of it, the
 * shadow's entries being disjoint). And no CPU write is left unsynced.
 */
static void dma_check(struct dma_t *t, const struct iopt_shadow *sh,
		      const char *what)
{
	struct dma_census c = { .t = t, .sh = sh };
	struct arm_lpae_ref_visitor v = {
		.table = dma_census_table,
		.leaf = dma_census_leaf,
		.arg = &c,
	};
	u64 want = 0;
	unsigned int i;

	for (i = 0; i < sh->n; i++)
		want += sh->ents[i].size;
	arm_lpae_ref_for_each(&t->ref, &v);
	KUNIT_EXPECT_EQ_MSG(t->test, c.bad, 0, "after %s", what);
	KUNIT_EXPECT_EQ_MSG(t->test, c.bytes, want, "after %s", what);
	KUNIT_EXPECT_EQ_MSG(t->test, c.tables, t->ctx->live, "after %s", what);
	KUNIT_EXPECT_TRUE_MSG(t->test, shim_dma_coherent_check(),
			      "after %s", what);
}

static bool dma_xlate(void *arg, u64 iova, phys_addr_t *pa)
{
	struct arm_lpae_ref_leaf l;

	if (!arm_lpae_ref_walk(arg, iova, &l))
		return false;
	*pa = l.oa;
	return true;
}

/*
 * Random maps and unmaps over a few last-level tables' worth of IOVA, some
 * large enough to cover whole tables (which unmap then removes), some
 * colliding (refused, whatever they wrote taken back), checked from the
 * device after every call.
 */
static void dma_test_random(struct kunit *test)
{
	const struct dma_param *p = test->param_value;
	struct dma_t *t = dma_new(test, p, IO_PGTABLE_QUIRK_NO_WARN);
	unsigned long sizes = t->cfg.pgsize_bitmap;
	u64 window = min_t(u64, 1ULL << p->ias, 8 * t->span);
	u64 seed = 0xd3a5eedULL + p->fmt * 131 + t->g;
	unsigned int refused = 0;
	struct iopt_shadow sh;
	char what[96];
	int iter;

	iopt_shadow_init(test, &sh, DMA_TEST_SHADOW);
	shim_warn_quiet(true);
	for (iter = 0; iter < DMA_TEST_ITERS; iter++) {
		u32 r = iopt_test_lcg(&seed), op = r % 8;
		bool whole = op == 3;
		u64 pgsize = t->g, iova, count, max;

		/* blocks now and then, if the window holds a few */
		if (!whole && (r & 0x30) == 0x30 && (sizes & t->span) &&
		    window >= 4 * t->span)
			pgsize = t->span;
		max = window / pgsize;
		/* a whole table's worth, or up to one and a bit */
		if (whole)
			count = t->span / t->g;
		else
			count = 1 + iopt_test_lcg(&seed) %
				min_t(u64, max / 2, t->span / t->g + 16);
		iova = (iopt_test_lcg(&seed) % (max - count + 1)) * pgsize;
		if (whole)
			iova = ALIGN_DOWN(iova, t->span);
		iova += t->base;

		if (op < 4) {
			u64 pa = ((u64)iopt_test_lcg(&seed) * pgsize) &
				 (BIT_ULL(min(p->oas, 40U)) - 1);
			size_t mapped = 777;
			int ret;

			pa = ALIGN_DOWN(pa, pgsize);
			if (pa + count * pgsize > BIT_ULL(p->oas))
				pa = 0;
			ret = dma_map(t, iova, pa, pgsize, count,
				      IOMMU_READ | IOMMU_WRITE, &mapped);
			snprintf(what, sizeof(what),
				 "map %#llx %#llx x %llu: %d", iova, pgsize,
				 count, ret);
			if (iopt_shadow_overlaps(&sh, iova, count * pgsize)) {
				KUNIT_EXPECT_EQ_MSG(test, ret, -EEXIST, "%s",
						    what);
				refused++;
				KUNIT_EXPECT_EQ_MSG(test, mapped, 777, "%s",
						    what);
			} else {
				KUNIT_EXPECT_EQ_MSG(test, ret, 0, "%s", what);
				KUNIT_EXPECT_EQ_MSG(test, (u64)mapped,
						    777 + count * pgsize, "%s",
						    what);
				if (!ret)
					iopt_shadow_add(&sh, iova, pa,
							count * pgsize, pgsize,
							IOMMU_READ |
							IOMMU_WRITE);
			}
		} else if (sh.n) {
			/* a run of pages of one mapping, or all of it */
			const struct iopt_shadow_ent e =
				sh.ents[iopt_test_lcg(&seed) % sh.n];
			u64 pages = e.size / e.pgsize, first = 0, n = pages;
			size_t got;

			if (op >= 6) {
				first = iopt_test_lcg(&seed) % pages;
				n = 1 + iopt_test_lcg(&seed) % (pages - first);
			}
			got = dma_unmap(t, e.iova + first * e.pgsize, e.pgsize,
					n);
			snprintf(what, sizeof(what), "unmap %#llx %#zx x %llu",
				 e.iova + first * e.pgsize, e.pgsize, n);
			KUNIT_EXPECT_EQ_MSG(test, (u64)got, n * e.pgsize, "%s",
					    what);
			iopt_shadow_remove(&sh, e.iova + first * e.pgsize,
					   n * e.pgsize);
		} else {
			continue;
		}
		dma_check(t, &sh, what);
		iopt_shadow_check(test, &sh, t->ops, dma_xlate, &t->ref);
	}
	KUNIT_EXPECT_EQ(test, t->ctx->bad_frees, 0);
	/* the workload did reach what it is for */
	KUNIT_EXPECT_GT(test, refused, 0);
	KUNIT_EXPECT_GT(test, t->ctx->frees, 0);
	kunit_info(test, "%u refused, %u tables freed, %u live", refused,
		   t->ctx->frees, t->ctx->live);
}

/*
 * -EEXIST over several tables, from the device: nothing of the refused
 * range is visible to it, and nothing unsynced is left behind.
 */
static void dma_test_eexist_across_tables(struct kunit *test)
{
	const struct dma_param *p = test->param_value;
	struct dma_t *t = dma_new(test, p, IO_PGTABLE_QUIRK_NO_WARN);
	u64 r = t->base + t->span, start = r + t->span / 2;
	u64 busy = r + 2 * t->span + 3 * t->g;
	size_t count = 3 * t->span / t->g, mapped = 5;
	struct iopt_shadow sh;

	iopt_shadow_init(test, &sh, 4);
	KUNIT_ASSERT_EQ(test, dma_map(t, busy, SZ_1G, t->g, 1, IOMMU_READ,
				      NULL), 0);
	iopt_shadow_add(&sh, busy, SZ_1G, t->g, t->g, IOMMU_READ);
	dma_check(t, &sh, "the first page");
	KUNIT_EXPECT_EQ(test, dma_map(t, start, 0, t->g, count, IOMMU_READ,
				      &mapped), -EEXIST);
	KUNIT_EXPECT_EQ(test, mapped, 5);
	dma_check(t, &sh, "the refused range");

	KUNIT_EXPECT_EQ(test, dma_unmap(t, busy, t->g, 1), t->g);
	sh.n = 0;
	dma_check(t, &sh, "unmapping the page");
	KUNIT_EXPECT_EQ(test, dma_map(t, start, 0, t->g, count, IOMMU_READ,
				      &mapped), 0);
	iopt_shadow_add(&sh, start, 0, count * t->g, t->g, IOMMU_READ);
	dma_check(t, &sh, "the range");
	/* over two whole tables and half of two more */
	KUNIT_EXPECT_EQ(test, dma_unmap(t, start, t->g, count), count * t->g);
	sh.n = 0;
	dma_check(t, &sh, "unmapping the range");
}

/*
 * The WARN()s of the kernel-doc: -EEXIST, and unmapping part of a block
 * that IO_PGTABLE_QUIRK_NO_SPLIT keeps, warn once each unless the driver
 * asked for IO_PGTABLE_QUIRK_NO_WARN.
 */
static void dma_test_warns(struct kunit *test)
{
	const struct dma_param *p = test->param_value;
	unsigned int pass;

	shim_warn_quiet(true);
	for (pass = 0; pass < 2; pass++) {
		bool quiet = pass;
		struct dma_t *t = dma_new(test, p, IO_PGTABLE_QUIRK_NO_SPLIT |
					  (quiet ? IO_PGTABLE_QUIRK_NO_WARN : 0));
		unsigned long warns = quiet ? 0 : 1;
		u64 r = t->base + t->span, g = t->g;
		unsigned long w;
		size_t mapped = 0;

		KUNIT_ASSERT_EQ(test, dma_map(t, r + 2 * t->span, 0, g, 1,
					      IOMMU_READ, NULL), 0);

		/* a page over a page */
		w = shim_warn_count();
		KUNIT_EXPECT_EQ(test, dma_map(t, r + 2 * t->span, 0, g, 1,
					      IOMMU_READ, &mapped), -EEXIST);
		KUNIT_EXPECT_EQ_MSG(test, shim_warn_count() - w, warns,
				    "quiet %d", quiet);

		/* a range over three tables meeting it in the third */
		w = shim_warn_count();
		KUNIT_EXPECT_EQ(test, dma_map(t, r, 0, g, 3 * t->span / g,
					      IOMMU_READ, &mapped), -EEXIST);
		KUNIT_EXPECT_EQ_MSG(test, shim_warn_count() - w, warns,
				    "quiet %d", quiet);
		KUNIT_EXPECT_EQ(test, mapped, 0);

		/* part of a block */
		if (t->cfg.pgsize_bitmap & t->span &&
		    8 * t->span <= BIT_ULL(p->ias)) {
			u64 blk = r + 4 * t->span;

			KUNIT_ASSERT_EQ(test, dma_map(t, blk, 0, t->span, 1,
						      IOMMU_READ, NULL), 0);
			w = shim_warn_count();
			KUNIT_EXPECT_EQ(test, dma_unmap(t, blk + g, g, 1), 0);
			KUNIT_EXPECT_EQ(test, dma_unmap(t, blk, g, 1), 0);
			KUNIT_EXPECT_EQ_MSG(test, shim_warn_count() - w,
					    2 * warns, "quiet %d", quiet);
			KUNIT_EXPECT_EQ(test, t->ops->iova_to_phys(t->ops,
								   blk + g), g);
		}

		/* what is allowed never warns */
		w = shim_warn_count();
		KUNIT_EXPECT_EQ(test, dma_unmap(t, r + 2 * t->span, g, 1), g);
		KUNIT_EXPECT_EQ(test, dma_unmap(t, r, g, 1), 0);
		KUNIT_EXPECT_EQ(test, dma_map(t, r, 0, g, 3 * t->span / g,
					      IOMMU_READ, &mapped), 0);
		KUNIT_EXPECT_EQ(test, dma_unmap(t, r, g, 3 * t->span / g),
				3 * t->span);
		KUNIT_EXPECT_EQ_MSG(test, shim_warn_count() - w, 0, "quiet %d",
				    quiet);
		KUNIT_EXPECT_TRUE(test, shim_dma_coherent_check());
	}
}

/*
 * arm-smmu (v1/v2) and qcom_iommu invalidate from tlb_add_page() itself
 * (arm_smmu_tlb_add_page_s1() writes TLBIVA at once), and every driver's
 * tlb_flush_walk() invalidates before it returns. A walker that refetches
 * an entry after that must find it cleared in memory, or it caches the old
 * translation again. These callbacks walk the device's view of the tables
 * at the moment they run.
 */
static struct dma_t *dma_inval_t;
static unsigned int dma_inval_calls, dma_inval_stale;

static void dma_inval_check(unsigned long iova, size_t size)
{
	struct dma_t *t = dma_inval_t;
	struct arm_lpae_ref_leaf l;
	u64 a;

	dma_inval_calls++;
	for (a = iova; a - iova < size; a += t->g) {
		if (!arm_lpae_ref_walk(&t->ref, a, &l))
			continue;
		if (dma_inval_stale++ < 4)
			KUNIT_FAIL(t->test, "invalidation of %#lx+%#zx: the device still translates %#llx",
				   iova, size, a);
		return;
	}
}

static void dma_inval_flush_walk(unsigned long iova, size_t size,
				 size_t granule, void *cookie)
{
	iopt_test_tlb_flush_walk(iova, size, granule, cookie);
	dma_inval_check(iova, size);
}

static void dma_inval_add_page(struct iommu_iotlb_gather *gather,
			       unsigned long iova, size_t granule,
			       void *cookie)
{
	iopt_test_tlb_add_page(gather, iova, granule, cookie);
	dma_inval_check(iova, granule);
}

static const struct iommu_flush_ops dma_inval_flush_ops = {
	.tlb_flush_all	= iopt_test_tlb_flush_all,
	.tlb_flush_walk	= dma_inval_flush_walk,
	.tlb_add_page	= dma_inval_add_page,
};

/* arm_smmu_tlb_add_page_s1(), as seen by a non-coherent SMMU. */
static void dma_test_arm_smmu_tlb_add_page_after_clear(struct kunit *test)
{
	const struct dma_param *p = test->param_value;
	struct dma_t *t = dma_new_tlb(test, p, 0, &dma_inval_flush_ops);
	u64 r = t->base + t->span, g = t->g;
	unsigned int pages = 0;

	dma_inval_t = t;
	dma_inval_calls = 0;
	dma_inval_stale = 0;
	/* a page beside them keeps the table in place */
	KUNIT_ASSERT_EQ(test, dma_map(t, r, 0, g, 1, IOMMU_READ, NULL), 0);
	KUNIT_ASSERT_EQ(test, dma_map(t, r + g, SZ_1M, g, 4,
				      IOMMU_READ | IOMMU_WRITE, NULL), 0);
	KUNIT_EXPECT_EQ(test, dma_unmap(t, r + g, g, 4), 4 * g);
	pages += 4;
	KUNIT_EXPECT_EQ(test, dma_unmap(t, r, g, 1), g);
	pages++;

	/* a block */
	if (t->cfg.pgsize_bitmap & t->span &&
	    8 * t->span <= BIT_ULL(p->ias)) {
		u64 blk = t->base + 4 * t->span;

		KUNIT_ASSERT_EQ(test, dma_map(t, blk, 0, t->span, 1,
					      IOMMU_READ, NULL), 0);
		KUNIT_EXPECT_EQ(test, dma_unmap(t, blk, t->span, 1), t->span);
		pages++;
	}

	/* whole tables, and a table under a block-sized unmap */
	KUNIT_ASSERT_EQ(test, dma_map(t, r, 0, g, 2 * t->span / g,
				      IOMMU_READ, NULL), 0);
	KUNIT_EXPECT_EQ(test, dma_unmap(t, r, g, 2 * t->span / g),
			2 * t->span);
	if (t->cfg.pgsize_bitmap & t->span &&
	    8 * t->span <= BIT_ULL(p->ias)) {
		KUNIT_ASSERT_EQ(test, dma_map(t, r + 3 * g, 0, g, 2,
					      IOMMU_READ, NULL), 0);
		KUNIT_EXPECT_EQ(test, dma_unmap(t, r, t->span, 1), t->span);
	}

	KUNIT_EXPECT_GE(test, dma_inval_calls, pages);
	KUNIT_EXPECT_EQ(test, dma_inval_stale, 0);
	KUNIT_EXPECT_TRUE(test, shim_dma_coherent_check());
	dma_inval_t = NULL;
}

/*
 * As in 6.12, map_pages() ends with wmb(): a driver may start the device
 * with a relaxed MMIO write right after it. At that wmb() the device must
 * already see every page of the request.
 */
static struct dma_t *dma_wmb_t;
static u64 dma_wmb_iova, dma_wmb_size;
static unsigned int dma_wmb_seen;

static void dma_wmb_hook(void)
{
	struct dma_t *t = dma_wmb_t;
	struct arm_lpae_ref_leaf l;
	u64 a;

	for (a = dma_wmb_iova; a - dma_wmb_iova < dma_wmb_size; a += t->g)
		if (!arm_lpae_ref_walk(&t->ref, a, &l))
			return;
	dma_wmb_seen++;
}

static void dma_wmb_unhook(void *arg)
{
	shim_wmb_hook = NULL;
	dma_wmb_t = NULL;
}

static void dma_test_map_ends_with_wmb(struct kunit *test)
{
	const struct dma_param *p = test->param_value;
	struct dma_t *t = dma_new(test, p, 0);
	u64 r = t->base + t->span, g = t->g;
	static const unsigned int counts[] = { 1, 3, 0 };
	unsigned int i;

	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, dma_wmb_unhook,
							NULL), 0);
	dma_wmb_t = t;
	shim_wmb_hook = dma_wmb_hook;
	for (i = 0; i < ARRAY_SIZE(counts); i++) {
		/* a page, pages, and a table and a half into new tables */
		size_t n = counts[i] ? counts[i] : t->span / g + t->span / g / 2;
		unsigned long before = shim_wmb_count;

		dma_wmb_iova = r + 4 * i * t->span;
		dma_wmb_size = n * g;
		dma_wmb_seen = 0;
		KUNIT_ASSERT_EQ(test, dma_map(t, dma_wmb_iova, 0, g, n,
					      IOMMU_READ, NULL), 0);
		KUNIT_EXPECT_GT_MSG(test, shim_wmb_count, before, "%zu pages",
				    n);
		KUNIT_EXPECT_GT_MSG(test, dma_wmb_seen, 0,
				    "no wmb() after the device saw %zu pages",
				    n);
	}
}

static struct kunit_case lpae_dma_test_cases[] = {
	KUNIT_CASE_PARAM(dma_test_random, dma_gen_params),
	KUNIT_CASE_PARAM(dma_test_eexist_across_tables, dma_gen_params),
	KUNIT_CASE_PARAM(dma_test_warns, dma_gen_params),
	KUNIT_CASE_PARAM(dma_test_arm_smmu_tlb_add_page_after_clear, dma_gen_params),
	KUNIT_CASE_PARAM(dma_test_map_ends_with_wmb, dma_gen_params),
	{}
};

static struct kunit_suite lpae_dma_test_suite = {
	.name = "io-pgtable-arm-lpae-dma",
	.test_cases = lpae_dma_test_cases,
};

kunit_test_suite(lpae_dma_test_suite);
