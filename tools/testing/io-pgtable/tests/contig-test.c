// SPDX-License-Identifier: GPL-2.0-only
/*
 * Contiguous runs (IO_PGTABLE_QUIRK_ARM_CONTIG) seen from a non-coherent
 * device, the driver's side: an arm-smmu-v3-like configuration
 * (ARM_64_LPAE_S1, 4K granule, ias/oas 48) whose walker fetches what the
 * format synced (the shim's DMA model), not what the CPU wrote. The flush
 * callbacks look at the device's view when they run, as an SMMU would
 * right after the invalidation they stand for: nothing they invalidate may
 * still translate (arm-smmu's SMMUv2 invalidates in tlb_add_page itself),
 * and no run around it may be malformed.
 */
#include <kunit/test.h>
#include <linux/dma-mapping.h>
#include <linux/io-pgtable.h>
#include <linux/kernel.h>
#include <linux/sizes.h>

#include "shim.h"

#include "../../../../drivers/iommu/io-pgtable-arm-ref.h"
#include "../../../../drivers/iommu/io-pgtable-kunit-helpers.h"

#define CT_ITERS	600
#define CT_SHADOW	512
/* the random sequence's IOVA window: two 32M runs of blocks */
#define CT_BASE		(1ULL << 32)
#define CT_WINDOW	SZ_64M

struct ct {
	struct kunit		*test;
	struct iopt_test_ctx	*ctx;
	struct io_pgtable_cfg	cfg;
	struct io_pgtable_ops	*ops;
	struct arm_lpae_ref	ref;
	/* what the flush callbacks saw */
	unsigned int		walks, pages;
	unsigned int		stale, malformed;
	/* the last callback's range and granule */
	u64			last_iova, last_size;
};

/* the tables under test, for the flush callbacks (one test at a time) */
static struct ct *ct_cur;

static u64 ct_read_desc(void *ctx, phys_addr_t pa)
{
	return shim_dma_read64(pa);
}

/* The descriptor the device sees for @iova at the last level it reaches. */
static u64 ct_dev_pte(struct ct *t, u64 iova, phys_addr_t *pa)
{
	struct arm_lpae_ref_leaf l;

	arm_lpae_ref_walk(&t->ref, iova, &l);
	if (pa)
		*pa = l.pte_pa;
	return l.pte;
}

/*
 * At an invalidation of [@iova, @iova + @size): the device translates none
 * of it, and no walk in the runs around it finds a malformed run.
 */
static void ct_inval_check(struct ct *t, u64 iova, u64 size)
{
	u64 run = size >= SZ_2M ? SZ_32M : SZ_64K;
	u64 a, lo = ALIGN_DOWN(iova, run), hi = ALIGN(iova + size, run);
	struct arm_lpae_ref_leaf l;

	t->last_iova = iova;
	t->last_size = size;
	for (a = lo; a < hi; a += SZ_4K) {
		bool ok = arm_lpae_ref_walk(&t->ref, a, &l);

		if (l.malformed && t->malformed++ < 4)
			KUNIT_FAIL(t->test, "invalidation of %#llx+%#llx: malformed run at %#llx (pte %#llx)",
				   iova, size, a, l.pte);
		if (ok && a >= iova && a - iova < size && t->stale++ < 4)
			KUNIT_FAIL(t->test, "invalidation of %#llx+%#llx: the device still translates %#llx (pte %#llx)",
				   iova, size, a, l.pte);
	}
}

static void ct_flush_walk(unsigned long iova, size_t size, size_t granule,
			  void *cookie)
{
	iopt_test_tlb_flush_walk(iova, size, granule, cookie);
	if (ct_cur) {
		ct_cur->walks++;
		ct_inval_check(ct_cur, iova, size);
	}
}

static void ct_add_page(struct iommu_iotlb_gather *gather, unsigned long iova,
			size_t granule, void *cookie)
{
	iopt_test_tlb_add_page(gather, iova, granule, cookie);
	if (ct_cur) {
		ct_cur->pages++;
		ct_inval_check(ct_cur, iova, granule);
	}
}

static const struct iommu_flush_ops ct_flush_ops = {
	.tlb_flush_all	= iopt_test_tlb_flush_all,
	.tlb_flush_walk	= ct_flush_walk,
	.tlb_add_page	= ct_add_page,
};

static void ct_free_action(void *arg)
{
	struct ct *t = arg;

	ct_cur = NULL;
	free_io_pgtable_ops(t->ops);
}

static struct ct *ct_new(struct kunit *test, unsigned long quirks)
{
	struct ct *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, t);
	t->test = test;
	t->ctx = iopt_test_ctx_alloc(test);
	/* arm-smmu-v3 with a 4K granule */
	t->cfg.pgsize_bitmap = SZ_4K | SZ_2M | SZ_1G;
	t->cfg.ias = 48;
	t->cfg.oas = 48;
	t->cfg.quirks = quirks;
	t->cfg.coherent_walk = false;
	t->cfg.tlb = &ct_flush_ops;
	t->cfg.iommu_dev = iopt_test_dma_device(test);
	iopt_test_use_allocator(&t->cfg);
	t->ops = alloc_io_pgtable_ops(ARM_64_LPAE_S1, &t->cfg, t->ctx);
	KUNIT_ASSERT_NOT_NULL(test, t->ops);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, ct_free_action,
							t), 0);

	t->ref.stage = ARM_LPAE_REF_S1;
	t->ref.granule_shift = 12;
	t->ref.ias = 48;
	t->ref.start_level = arm_lpae_ref_min_start_level(12, 48);
	t->ref.pgd = t->cfg.arm_lpae_s1_cfg.ttbr;
	t->ref.mair = t->cfg.arm_lpae_s1_cfg.mair;
	t->ref.read = ct_read_desc;
	ct_cur = t;
	return t;
}

static int ct_map(struct ct *t, u64 iova, u64 pa, size_t pgsize,
		  size_t pgcount, size_t *mapped)
{
	return iopt_test_map(t->ops, iova, pa, pgsize, pgcount,
			     IOMMU_READ | IOMMU_WRITE, mapped);
}

static size_t ct_unmap(struct ct *t, u64 iova, size_t pgsize, size_t pgcount)
{
	return iopt_test_unmap(t->ops, iova, pgsize, pgcount);
}

static void ct_reset(struct ct *t)
{
	t->walks = t->pages = t->stale = t->malformed = 0;
	t->ctx->add_page = t->ctx->flush_walk = 0;
}

/*
 * From the device: the @n entries of @es bytes from @iova all translate to
 * @pa on, hinted or not as @hinted says, but entry @skip, which does not
 * translate.
 */
static void ct_check_run(struct ct *t, u64 iova, u64 pa, u64 es,
			 unsigned int n, bool hinted, int skip)
{
	struct arm_lpae_ref_leaf l;
	unsigned int i;

	for (i = 0; i < n; i++) {
		bool ok = arm_lpae_ref_walk(&t->ref, iova + i * es, &l);

		KUNIT_EXPECT_FALSE_MSG(t->test, l.malformed,
				       "device: %#llx malformed (pte %#llx)",
				       iova + i * es, l.pte);
		if ((int)i == skip) {
			KUNIT_EXPECT_FALSE_MSG(t->test, ok,
					       "device: unmapped %#llx translates",
					       iova + i * es);
			continue;
		}
		KUNIT_EXPECT_TRUE_MSG(t->test, ok, "device: %#llx entry %u",
				      iova, i);
		KUNIT_EXPECT_EQ_MSG(t->test, l.contiguous, hinted,
				    "device: %#llx entry %u", iova, i);
		KUNIT_EXPECT_EQ(t->test, (u64)l.size, es);
		KUNIT_EXPECT_EQ(t->test, (u64)l.oa, pa + i * es);
	}
}

/* The quirk advertises 64K and 32M with the 4K granule, and only then. */
static void ct_test_sizes(struct kunit *test)
{
	struct ct *plain = ct_new(test, 0);
	struct ct *t = ct_new(test, IO_PGTABLE_QUIRK_ARM_CONTIG);

	KUNIT_EXPECT_EQ(test, plain->cfg.pgsize_bitmap,
			(unsigned long)(SZ_4K | SZ_2M | SZ_1G));
	KUNIT_EXPECT_EQ(test, t->cfg.pgsize_bitmap,
			(unsigned long)(SZ_4K | SZ_64K | SZ_2M | SZ_32M |
					SZ_1G));
}

/*
 * Break-before-make of a run, from the device: at the tlb_flush_walk of the
 * break every entry of the run is invalid in memory (not only in the CPU's
 * cache), and after the unmap the rest of the run is valid, without the
 * hint. The neighbouring run keeps its hint. For a run of 64K (16 pages)
 * and of 32M (16 blocks of 2M).
 */
static void ct_test_break(struct kunit *test)
{
	struct ct *t = ct_new(test, IO_PGTABLE_QUIRK_ARM_CONTIG);
	static const u64 runs[] = { SZ_64K, SZ_32M };
	unsigned int k;

	for (k = 0; k < ARRAY_SIZE(runs); k++) {
		u64 cs = runs[k], es = cs / 16, r = CT_BASE + 2 * cs;
		u64 pa = SZ_1G + cs, pte0, pte;
		phys_addr_t pte_pa;
		unsigned int i;

		KUNIT_ASSERT_EQ(test, ct_map(t, r, pa, cs, 2, NULL), 0);
		ct_check_run(t, r, pa, es, 32, true, -1);
		pte0 = ct_dev_pte(t, r, &pte_pa);
		KUNIT_EXPECT_TRUE(test, pte0 & ARM_REF_CONT);

		/* entry 3 of the first run */
		ct_reset(t);
		KUNIT_EXPECT_EQ(test, ct_unmap(t, r + 3 * es, es, 1), es);
		KUNIT_EXPECT_EQ(test, t->walks, 1);
		KUNIT_EXPECT_EQ(test, t->ctx->walk_iova, r);
		KUNIT_EXPECT_EQ(test, t->ctx->walk_size, cs);
		KUNIT_EXPECT_EQ(test, t->ctx->walk_granule, es);
		KUNIT_EXPECT_EQ(test, t->pages, 1);
		KUNIT_EXPECT_EQ(test, t->ctx->page_iova, r + 3 * es);
		KUNIT_EXPECT_EQ(test, t->ctx->page_granule, es);
		KUNIT_EXPECT_EQ(test, t->stale, 0);
		KUNIT_EXPECT_EQ(test, t->malformed, 0);
		ct_check_run(t, r, pa, es, 16, false, 3);
		ct_check_run(t, r + cs, pa + cs, es, 16, true, -1);
		for (i = 0; i < 16; i++) {
			pte = shim_dma_read64(pte_pa + i * 8);
			KUNIT_EXPECT_FALSE_MSG(test, pte & ARM_REF_CONT,
					       "entry %u: %#llx", i, pte);
		}
		KUNIT_EXPECT_TRUE(test, shim_dma_coherent_check());

		/* a granule out of a block of the second run (32M only) */
		if (es > SZ_4K) {
			ct_reset(t);
			KUNIT_EXPECT_EQ(test, ct_unmap(t, r + cs + 5 * es + SZ_4K,
						       SZ_4K, 1), SZ_4K);
			KUNIT_EXPECT_GE(test, t->walks, 2);
			KUNIT_EXPECT_EQ(test, t->stale, 0);
			KUNIT_EXPECT_EQ(test, t->malformed, 0);
			/* the other 15 blocks are plain blocks now */
			ct_check_run(t, r + cs, pa + cs, es, 5, false, -1);
			ct_check_run(t, r + cs + 6 * es, pa + cs + 6 * es, es,
				     10, false, -1);
			ct_check_run(t, r + cs + 5 * es, pa + cs + 5 * es,
				     SZ_4K, 4, false, 1);
			KUNIT_EXPECT_EQ(test, ct_unmap(t, r + cs + 5 * es, SZ_4K,
						       1), SZ_4K);
			KUNIT_EXPECT_EQ(test, ct_unmap(t, r + cs + 5 * es +
						       2 * SZ_4K, SZ_4K,
						       es / SZ_4K - 2),
					es - 2 * SZ_4K);
			KUNIT_EXPECT_EQ(test, ct_unmap(t, r + cs, es, 5),
					5 * es);
			KUNIT_EXPECT_EQ(test, ct_unmap(t, r + cs + 6 * es, es,
						       10), 10 * es);
		} else {
			KUNIT_EXPECT_EQ(test, ct_unmap(t, r + cs, cs, 1), cs);
		}
		KUNIT_EXPECT_EQ(test, ct_unmap(t, r, es, 3), 3 * es);
		KUNIT_EXPECT_EQ(test, ct_unmap(t, r + 4 * es, es, 12),
				12 * es);
		KUNIT_EXPECT_EQ(test, t->stale, 0);
		KUNIT_EXPECT_EQ(test, t->malformed, 0);
		KUNIT_EXPECT_TRUE(test, shim_dma_coherent_check());
	}
}

/*
 * A whole run unmapped: one tlb_add_page for it, with the run's size, and
 * at that call every entry of the run is already cleared in the device's
 * view (SMMUv2 invalidates there and then; a walker that refetches a
 * still-valid entry caches it again). Unmapped as the run size, as its
 * pages, and two runs with a page after them in one call. A page beside
 * them keeps the table, so that the leaves are cleared one by one.
 */
static void ct_test_whole_run(struct kunit *test)
{
	struct ct *t = ct_new(test, IO_PGTABLE_QUIRK_ARM_CONTIG);
	static const struct {
		u64 cs;		/* the run */
		u64 upg;	/* unmapped with this page size */
		unsigned int runs;
		bool page_after;
		const char *what;
	} c[] = {
		{ SZ_64K, SZ_64K, 1, false, "64K run as 64K" },
		{ SZ_64K, SZ_4K, 1, false, "64K run as 16 x 4K" },
		{ SZ_64K, SZ_64K, 2, false, "two 64K runs" },
		{ SZ_64K, SZ_4K, 2, true, "two 64K runs and a page" },
		{ SZ_32M, SZ_32M, 1, false, "32M run as 32M" },
		{ SZ_32M, SZ_2M, 1, false, "32M run as 16 x 2M" },
	};
	unsigned int k;

	for (k = 0; k < ARRAY_SIZE(c); k++) {
		u64 cs = c[k].cs, es = cs / 16, r = CT_BASE + 2 * SZ_32M;
		u64 keep = r - es, bytes = c[k].runs * cs;
		unsigned int want = c[k].runs;

		/* a neighbour in the same table */
		KUNIT_ASSERT_EQ(test, ct_map(t, keep, 0, es, 1, NULL), 0);
		KUNIT_ASSERT_EQ(test, ct_map(t, r, SZ_1G, cs, c[k].runs, NULL),
				0);
		if (c[k].page_after) {
			KUNIT_ASSERT_EQ(test, ct_map(t, r + bytes, 0, es, 1,
						     NULL), 0);
			bytes += es;
		}
		ct_reset(t);
		KUNIT_EXPECT_EQ_MSG(test, ct_unmap(t, r, c[k].upg,
						   bytes / c[k].upg), bytes,
				    "%s", c[k].what);
		/*
		 * Leaves of a call that are not all in whole runs are
		 * invalidated one by one (correct, if more than needed).
		 */
		if (c[k].page_after)
			KUNIT_EXPECT_EQ_MSG(test, t->pages, bytes / es, "%s",
					    c[k].what);
		else
			KUNIT_EXPECT_EQ_MSG(test, t->pages, want, "%s",
					    c[k].what);
		KUNIT_EXPECT_EQ_MSG(test, t->walks, 0, "%s", c[k].what);
		if (!c[k].page_after)
			KUNIT_EXPECT_EQ_MSG(test, t->ctx->page_granule, cs,
					    "%s", c[k].what);
		KUNIT_EXPECT_EQ_MSG(test, t->stale, 0, "%s", c[k].what);
		KUNIT_EXPECT_EQ_MSG(test, t->malformed, 0, "%s", c[k].what);
		KUNIT_EXPECT_TRUE_MSG(test, shim_dma_coherent_check(), "%s",
				      c[k].what);
		KUNIT_EXPECT_EQ(test, ct_unmap(t, keep, es, 1), es);
	}
}

/* The device's census of the window against the shadow. */
struct ct_census {
	struct ct			*t;
	const struct iopt_shadow	*sh;
	u64				bytes;
	unsigned int			bad;
	unsigned int			hinted;
};

static bool ct_is_run_size(u64 pgsize)
{
	return pgsize == SZ_64K || pgsize == SZ_32M;
}

static int ct_census_leaf(void *arg, u64 iova,
			  const struct arm_lpae_ref_leaf *leaf)
{
	struct ct_census *c = arg;
	const struct iopt_shadow_ent *e = iopt_shadow_find(c->sh, iova);
	bool want_hint = false;
	u64 r;

	if (leaf->malformed) {
		if (c->bad++ < 4)
			KUNIT_FAIL(c->t->test, "device: malformed descriptor %#llx at %#llx",
				   leaf->pte, iova);
		return 0;
	}
	c->bytes += leaf->size;
	c->hinted += leaf->contiguous;
	if (!e || iova + leaf->size - e->iova > e->size ||
	    leaf->oa != e->paddr + (iova - e->iova)) {
		if (c->bad++ < 4)
			KUNIT_FAIL(c->t->test, "device: %#llx+%#llx -> %pa, shadow: %#llx",
				   iova, leaf->size, &leaf->oa,
				   e ? e->paddr + (iova - e->iova) : 0ULL);
		return 0;
	}
	/*
	 * Hinted exactly when its run was mapped as one and is still whole:
	 * a run that lost part of itself is not inside one shadow entry.
	 */
	if (ct_is_run_size(e->pgsize)) {
		r = ALIGN_DOWN(iova, e->pgsize);
		want_hint = r >= e->iova && r + e->pgsize - e->iova <= e->size;
	}
	if (leaf->contiguous != want_hint && c->bad++ < 4)
		KUNIT_FAIL(c->t->test, "device: %#llx+%#llx hinted %d, shadow %#llx+%#llx of %#zx",
			   iova, leaf->size, leaf->contiguous, e->iova,
			   e->size, e->pgsize);
	return 0;
}

static void ct_check(struct ct *t, const struct iopt_shadow *sh,
		     const char *what)
{
	struct ct_census c = { .t = t, .sh = sh };
	struct arm_lpae_ref_visitor v = { .leaf = ct_census_leaf, .arg = &c };
	u64 want = 0;
	unsigned int i;

	for (i = 0; i < sh->n; i++)
		want += sh->ents[i].size;
	arm_lpae_ref_for_each(&t->ref, &v);
	KUNIT_EXPECT_EQ_MSG(t->test, c.bad, 0, "after %s", what);
	KUNIT_EXPECT_EQ_MSG(t->test, c.bytes, want, "after %s", what);
	KUNIT_EXPECT_EQ_MSG(t->test, t->stale + t->malformed, 0, "during %s",
			    what);
	KUNIT_EXPECT_TRUE_MSG(t->test, shim_dma_coherent_check(),
			      "after %s", what);
}

static bool ct_xlate(void *arg, u64 iova, phys_addr_t *pa)
{
	struct arm_lpae_ref_leaf l;

	if (!arm_lpae_ref_walk(arg, iova, &l))
		return false;
	*pa = l.oa;
	return true;
}

/*
 * A fixed-seed sequence of maps (pages, runs of 64K, 2M blocks, runs of
 * 32M) and unmaps (whole mappings, or part of one by 4K, 64K or 2M, which
 * breaks the runs it cuts) in 64M of IOVA; after every call the device's
 * view holds no malformed run and exactly the shadow's translations, with
 * the hint where a whole run is left, and iova_to_phys() agrees.
 */
static void ct_test_random(struct kunit *test)
{
	struct ct *t = ct_new(test, IO_PGTABLE_QUIRK_ARM_CONTIG |
			      IO_PGTABLE_QUIRK_NO_WARN);
	static const u64 map_sizes[] = { SZ_4K, SZ_64K, SZ_2M, SZ_32M };
	static const u64 cut_sizes[] = { SZ_4K, SZ_64K, SZ_2M };
	unsigned int refused = 0, cuts = 0, breaks = 0, iter;
	u64 seed = 0xc0a7195eedULL;
	struct iopt_shadow sh;
	char what[112];

	iopt_shadow_init(test, &sh, CT_SHADOW);
	shim_warn_quiet(true);
	for (iter = 0; iter < CT_ITERS; iter++) {
		u32 r = iopt_test_lcg(&seed), op = r % 8;

		t->stale = t->malformed = 0;
		if (op < 4) {
			/* 32M runs one map in eight */
			unsigned int kind = (r >> 8) % 8 == 0 ? 3 :
					    (r >> 8) % 3;
			u64 pgsize = map_sizes[kind], count, iova, pa;
			size_t mapped = 777;
			int ret;

			count = kind == 0 ? 1 + iopt_test_lcg(&seed) % 48 :
				kind == 1 ? 1 + iopt_test_lcg(&seed) % 8 : 1;
			iova = CT_BASE + (iopt_test_lcg(&seed) %
					  (CT_WINDOW / pgsize - count + 1)) *
					 pgsize;
			pa = ((u64)iopt_test_lcg(&seed) * pgsize) &
			     (BIT_ULL(40) - 1);
			ret = ct_map(t, iova, pa, pgsize, count, &mapped);
			snprintf(what, sizeof(what), "map %#llx -> %#llx, %#llx x %llu: %d",
				 iova, pa, pgsize, count, ret);
			if (iopt_shadow_overlaps(&sh, iova, count * pgsize)) {
				KUNIT_EXPECT_EQ_MSG(test, ret, -EEXIST, "%s",
						    what);
				KUNIT_EXPECT_EQ_MSG(test, mapped, 777, "%s",
						    what);
				refused++;
			} else {
				KUNIT_EXPECT_EQ_MSG(test, ret, 0, "%s", what);
				KUNIT_EXPECT_EQ_MSG(test, (u64)mapped,
						    777 + count * pgsize, "%s",
						    what);
				if (!ret)
					KUNIT_ASSERT_TRUE(test,
						iopt_shadow_add(&sh, iova, pa,
								count * pgsize,
								pgsize,
								IOMMU_READ |
								IOMMU_WRITE));
			}
		} else if (sh.n) {
			const struct iopt_shadow_ent e =
				sh.ents[iopt_test_lcg(&seed) % sh.n];
			u64 u, first, n, end = e.iova + e.size;
			size_t got;

			if (op < 6) {
				/* all of it: as mapped if it still can be */
				u = e.pgsize;
				if ((e.iova | e.size) & (u - 1))
					u = SZ_4K;
				first = e.iova;
				n = e.size / u;
			} else {
				/* part of it, by a size that fits */
				unsigned int i = iopt_test_lcg(&seed) % 3;

				while (i && ALIGN(e.iova, cut_sizes[i]) +
					    cut_sizes[i] > end)
					i--;
				u = cut_sizes[i];
				first = ALIGN(e.iova, u);
				first += (iopt_test_lcg(&seed) %
					  ((end - first) / u)) * u;
				n = 1 + iopt_test_lcg(&seed) %
					((end - first) / u);
				cuts++;
				/* an end inside a run that is still whole */
				if (ct_is_run_size(e.pgsize) &&
				    ((first & (e.pgsize - 1) &&
				      ALIGN_DOWN(first, e.pgsize) >= e.iova) ||
				     ((first + n * u) & (e.pgsize - 1) &&
				      ALIGN(first + n * u, e.pgsize) <= end)))
					breaks++;
			}
			got = ct_unmap(t, first, u, n);
			snprintf(what, sizeof(what), "unmap %#llx, %#llx x %llu (of %#llx+%#llx by %#zx)",
				 first, u, n, e.iova, e.size, e.pgsize);
			KUNIT_EXPECT_EQ_MSG(test, (u64)got, n * u, "%s", what);
			KUNIT_ASSERT_TRUE(test, iopt_shadow_remove(&sh, first,
								   n * u));
		} else {
			continue;
		}
		ct_check(t, &sh, what);
		KUNIT_ASSERT_EQ_MSG(test, iopt_shadow_check(test, &sh, t->ops,
							    ct_xlate, &t->ref),
				    0, "after %s", what);
	}
	KUNIT_EXPECT_EQ(test, t->ctx->bad_frees, 0);
	/* the sequence did reach what it is for */
	KUNIT_EXPECT_GT(test, refused, 0);
	KUNIT_EXPECT_GT(test, breaks, 0);
	kunit_info(test, "%u refused, %u partial unmaps (%u cutting runs), %u tables live",
		   refused, cuts, breaks, t->ctx->live);
}

/* The TLB model: a leaf is one entry, a run one for all its entries. */
struct ct_tlb {
	u64	leaves, entries, bytes;
	unsigned int malformed;
};

static int ct_tlb_leaf(void *arg, u64 iova,
		       const struct arm_lpae_ref_leaf *leaf)
{
	struct ct_tlb *m = arg;
	u64 run = leaf->size << arm_lpae_ref_run_bits(12, leaf->level);

	if (leaf->malformed) {
		m->malformed++;
		return 0;
	}
	m->leaves++;
	m->bytes += leaf->size;
	if (!leaf->contiguous || !(iova & (run - 1)))
		m->entries++;
	return 0;
}

/* Map as iommu_map() does: iommu_pgsize() of 6.12, call after call. */
static int ct_iommu_map(struct ct *t, u64 iova, u64 pa, u64 size)
{
	unsigned long bitmap = t->cfg.pgsize_bitmap;

	while (size) {
		u64 merge = iova | pa, sizes, next, len = size;
		unsigned int shift;
		size_t mapped = 0;
		int ret;

		sizes = bitmap & GENMASK_ULL(__fls(size), 0);
		if (merge)
			sizes &= GENMASK_ULL(__ffs(merge), 0);
		shift = __fls(sizes);
		sizes = bitmap & ~GENMASK_ULL(shift, 0);
		if (sizes) {
			next = 1ULL << __ffs(sizes);
			if (!((iova ^ pa) & (next - 1)) &&
			    next - (merge & (next - 1)) + next <= size)
				len = next - (merge & (next - 1));
		}
		ret = ct_map(t, iova, pa, 1UL << shift, len >> shift, &mapped);
		if (ret)
			return ret;
		iova += mapped;
		pa += mapped;
		size -= mapped;
	}
	return 0;
}

/*
 * What a 64K-page kernel's DMA API asks of a 4K-granule SMMU: buffers of
 * 64K multiples at 64K-aligned IOVAs and physical addresses (never 2M
 * aligned, so no blocks). Without the quirk every 4K page is a TLB entry;
 * with it, 64K is in pgsize_bitmap, iommu_map() uses it, and each 64K is
 * one: exactly 16 times fewer, over the same leaves.
 */
static void ct_test_tlb_model(struct kunit *test)
{
	struct ct_tlb m[2] = { };
	u64 seed = 0x64c0de5eedULL, want = 0;
	unsigned int hint, i;

	for (hint = 0; hint < 2; hint++) {
		struct ct *t = ct_new(test, hint ? IO_PGTABLE_QUIRK_ARM_CONTIG :
					     0);
		struct arm_lpae_ref_visitor v = {
			.leaf = ct_tlb_leaf, .arg = &m[hint],
		};
		u64 iova = CT_BASE;

		seed = 0x64c0de5eedULL;
		for (i = 0; i < 64; i++) {
			u64 size = SZ_64K * (1 + iopt_test_lcg(&seed) % 32);
			u64 pa = SZ_1G + SZ_64K +
				 SZ_2M * (iopt_test_lcg(&seed) % 1024);

			KUNIT_ASSERT_EQ(test, ct_iommu_map(t, iova, pa, size),
					0);
			if (!hint)
				want += size;
			iova += size + SZ_64K * (iopt_test_lcg(&seed) % 4);
		}
		arm_lpae_ref_for_each(&t->ref, &v);
		KUNIT_EXPECT_EQ(test, m[hint].malformed, 0);
		KUNIT_EXPECT_EQ(test, m[hint].bytes, want);
		KUNIT_EXPECT_TRUE(test, shim_dma_coherent_check());
	}
	KUNIT_EXPECT_EQ(test, m[0].leaves, want / SZ_4K);
	KUNIT_EXPECT_EQ(test, m[1].leaves, m[0].leaves);
	KUNIT_EXPECT_EQ(test, m[0].entries, m[0].leaves);
	KUNIT_EXPECT_EQ(test, m[1].entries * 16, m[0].entries);
	kunit_info(test, "TLB entries for %llu MiB: %llu without the hint, %llu with it",
		   want >> 20, m[0].entries, m[1].entries);
}

static struct kunit_case contig_test_cases[] = {
	KUNIT_CASE(ct_test_sizes),
	KUNIT_CASE(ct_test_break),
	KUNIT_CASE(ct_test_whole_run),
	KUNIT_CASE(ct_test_random),
	KUNIT_CASE(ct_test_tlb_model),
	{}
};

static struct kunit_suite contig_test_suite = {
	.name = "io-pgtable-arm-contig-dma",
	.test_cases = contig_test_cases,
};

kunit_test_suite(contig_test_suite);
