// SPDX-License-Identifier: GPL-2.0-only
/*
 * The ARMv7 short-descriptor format as mtk_iommu uses it (a walker that
 * does not snoop, the MediaTek quirks), seen from the device: the
 * reference walker reads every descriptor through the shim's DMA model,
 * at the moment each TLB callback runs. A driver may invalidate from
 * inside tlb_add_page() or tlb_flush_walk(), so by then the walker must no
 * longer find what the callback covers, and a table must still be there
 * (not freed, still DMA-mapped) until the walk flush that covers it.
 *
 * Also what only the shim can see: kmemleak_ignore() on every table that
 * only a descriptor points to, the wmb() between zeroing the level-1 table
 * and handing out the TTBR, and the zone the tables come from.
 */
#include <kunit/test.h>
#include <linux/dma-mapping.h>
#include <linux/gfp.h>
#include <linux/io-pgtable.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/sizes.h>
#include <linux/string.h>

#include "shim.h"

#include "../../../../drivers/iommu/io-pgtable-arm-ref.h"
#include "../../../../drivers/iommu/io-pgtable-arm-v7s-ref.h"
#include "../../../../drivers/iommu/io-pgtable-kunit-helpers.h"

#define V7D_PGSIZES	(SZ_4K | SZ_64K | SZ_1M | SZ_16M)
#define V7D_MTK		(IO_PGTABLE_QUIRK_ARM_NS | IO_PGTABLE_QUIRK_NO_PERMS | \
			 IO_PGTABLE_QUIRK_ARM_MTK_EXT)
#define V7D_L1_MAX	(1U << (34 - 20))

struct v7d_param {
	unsigned long	quirks;
	unsigned int	ias;
	unsigned int	oas;
	u64		pa_base;	/* output addresses start here */
	char		desc[40];
};

/* What mtk_iommu_domain_finalise() builds, and the plain format. */
static const struct v7d_param v7d_params[] = {
	{ 0, 32, 32, 0x40000000, "v7s" },
	{ V7D_MTK, 32, 32, 0x40000000, "mtk 4GB mode off" },
	{ V7D_MTK, 32, 33, 0x140000000ULL, "mtk 4GB mode (oas 33)" },
	{ V7D_MTK, 34, 35, 0x640000000ULL, "mtk IOVA_34_EN (oas 35)" },
};

KUNIT_ARRAY_PARAM_DESC(v7d, v7d_params, desc);

/**
 * struct v7d - one set of tables, and what its callbacks saw
 * @test:         The test.
 * @cfg:          The configuration as alloc_io_pgtable_ops() completed it.
 * @ops:          The tables.
 * @ref:          The reference walker, reading the device's view.
 * @sh:           What is mapped.
 * @l1_before:    The level-1 table as the CPU had it before the operation.
 * @l1_n:         Its entries.
 * @forbid_add_page: tlb_add_page() fails the test.
 * @add_pages:    tlb_add_page() calls.
 * @walks:        tlb_flush_walk() calls.
 * @stale:        Callbacks at which the device still translated what they
 *                cover, or still reached a table they cover.
 * @unsynced:     Callbacks at which a CPU write was not yet in memory.
 * @early_free:   Tables freed or DMA-unmapped before their walk flush.
 * @pgd:          The level-1 table, when the test's allocator gave it.
 * @pgd_size:     Its size.
 * @pgd_copy:     Its contents at the last wmb() after it was allocated.
 * @wmbs_after:   wmb()s after the level-1 table was allocated.
 * @wmb_seq:      shim_seq() at the last wmb().
 */
struct v7d {
	struct kunit		*test;
	struct io_pgtable_cfg	cfg;
	struct io_pgtable_ops	*ops;
	struct v7s_ref		ref;
	struct iopt_shadow	sh;
	u32			*l1_before;
	unsigned int		l1_n;
	bool			forbid_add_page;
	unsigned int		add_pages;
	unsigned int		walks;
	unsigned int		stale;
	unsigned int		unsynced;
	unsigned int		early_free;
	void			*pgd;
	size_t			pgd_size;
	u8			*pgd_copy;
	unsigned int		wmbs_after;
	u64			wmb_seq;
};

static u32 v7d_dma_read(void *arg, phys_addr_t pa)
{
	return shim_dma_read32(pa);
}

/* 4K steps of [@iova, @iova + @size) the device still translates. */
static unsigned int v7d_translating(struct v7d *t, u64 iova, u64 size)
{
	struct v7s_ref_leaf leaf;
	unsigned int n = 0;
	u64 a;

	for (a = iova; a - iova < size; a += SZ_4K)
		n += v7s_ref_walk(&t->ref, a, &leaf);
	return n;
}

static void v7d_check_synced(struct v7d *t, const char *what)
{
	if (!shim_dma_coherent_check() && t->unsynced++ < 4)
		KUNIT_FAIL(t->test, "%s: a descriptor write is not in memory yet",
			   what);
}

static void v7d_flush_all(void *cookie)
{
}

static void v7d_flush_walk(unsigned long iova, size_t size, size_t granule,
			   void *cookie)
{
	struct v7d *t = cookie;
	unsigned int n, i;
	u64 a;

	t->walks++;
	n = v7d_translating(t, iova, size);
	if (n && t->stale++ < 4)
		KUNIT_FAIL(t->test, "tlb_flush_walk(%#lx, %#zx): %u pages still translate",
			   iova, size, n);
	/* Every table the flush covers: unhooked, yet still there. */
	for (a = iova; a - iova < size; a += SZ_1M) {
		u32 before, now;
		phys_addr_t l2;

		i = (a >> 20) & (t->l1_n - 1);
		before = t->l1_before[i];
		if ((before & 3) != 1)
			continue;
		now = shim_dma_read32(t->ref.pgd + i * 4);
		if (now == before && t->stale++ < 4)
			KUNIT_FAIL(t->test, "tlb_flush_walk(%#lx): table at %#llx still reached",
				   iova, a);
		l2 = v7s_ref_table_pa(&t->ref, before);
		if (!shim_dma_is_mapped(l2, SZ_1K) && t->early_free++ < 4)
			KUNIT_FAIL(t->test, "tlb_flush_walk(%#lx): table %pa freed first",
				   iova, &l2);
	}
	v7d_check_synced(t, "tlb_flush_walk");
}

static void v7d_add_page(struct iommu_iotlb_gather *gather,
			 unsigned long iova, size_t granule, void *cookie)
{
	struct v7d *t = cookie;
	unsigned int n;

	if (t->forbid_add_page && t->add_pages < 4)
		KUNIT_FAIL(t->test, "tlb_add_page(%p, %#lx, %#zx) with a NULL gather",
			   gather, iova, granule);
	t->add_pages++;
	n = v7d_translating(t, iova, granule);
	if (n && t->stale++ < 4)
		KUNIT_FAIL(t->test, "tlb_add_page(%#lx, %#zx): %u pages still translate",
			   iova, granule, n);
	v7d_check_synced(t, "tlb_add_page");
}

static const struct iommu_flush_ops v7d_flush_ops = {
	.tlb_flush_all	= v7d_flush_all,
	.tlb_flush_walk	= v7d_flush_walk,
	.tlb_add_page	= v7d_add_page,
};

static void v7d_free_action(void *arg)
{
	struct v7d *t = arg;

	free_io_pgtable_ops(t->ops);
}

static void v7d_cfg(struct kunit *test, struct io_pgtable_cfg *cfg,
		    const struct v7d_param *p, unsigned long extra_quirks)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->quirks = p->quirks | extra_quirks;
	cfg->pgsize_bitmap = V7D_PGSIZES;
	cfg->ias = p->ias;
	cfg->oas = p->oas;
	cfg->coherent_walk = false;
	cfg->tlb = &v7d_flush_ops;
	cfg->iommu_dev = iopt_test_dma_device(test);
}

static struct v7d *v7d_alloc(struct kunit *test)
{
	struct v7d *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, t);
	t->test = test;
	return t;
}

/* The walker learns the level-1 table from the TTBR alone. */
static void v7d_start(struct v7d *t)
{
	struct kunit *test = t->test;
	bool mtk = t->cfg.quirks & IO_PGTABLE_QUIRK_ARM_MTK_EXT;

	KUNIT_ASSERT_NOT_NULL(test, t->ops);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, v7d_free_action,
							t), 0);
	t->ref.ias = t->cfg.ias;
	t->ref.mtk = mtk;
	t->ref.mtk_table = t->cfg.quirks & IO_PGTABLE_QUIRK_ARM_MTK_TTBR_EXT;
	t->ref.pgd = v7s_ref_ttbr_base(t->cfg.arm_v7s_cfg.ttbr, t->cfg.ias,
				       mtk);
	t->ref.read = v7d_dma_read;
	t->l1_n = v7s_ref_l1_entries(&t->ref);
	t->l1_before = kunit_kcalloc(test, t->l1_n, sizeof(u32), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t->l1_before);
	iopt_shadow_init(test, &t->sh, 64);
	if (!t->cfg.coherent_walk)
		KUNIT_EXPECT_TRUE(test, shim_dma_is_mapped(t->ref.pgd,
							   t->l1_n * 4));
}

static struct v7d *v7d_new(struct kunit *test, const struct v7d_param *p)
{
	struct v7d *t = v7d_alloc(test);

	v7d_cfg(test, &t->cfg, p, 0);
	t->ops = alloc_io_pgtable_ops(ARM_V7S, &t->cfg, t);
	KUNIT_ASSERT_NOT_NULL_MSG(test, t->ops, "%s refused", p->desc);
	v7d_start(t);
	return t;
}

static void v7d_snap_l1(struct v7d *t)
{
	const u32 *l1 = phys_to_virt(t->ref.pgd);
	unsigned int i;

	for (i = 0; i < t->l1_n; i++)
		t->l1_before[i] = READ_ONCE(l1[i]);
}

/* The device sees what the shadow holds, and nothing is left unsynced. */
static void v7d_check(struct v7d *t, const char *what)
{
	struct v7s_ref_stats stats;

	KUNIT_EXPECT_EQ_MSG(t->test, iopt_shadow_check(t->test, &t->sh, t->ops,
						       v7s_ref_xlate, &t->ref),
			    0, "after %s", what);
	KUNIT_EXPECT_EQ_MSG(t->test, v7s_ref_check_tables(&t->ref, &stats), 0,
			    "after %s", what);
	KUNIT_EXPECT_TRUE_MSG(t->test, shim_dma_coherent_check(), "after %s",
			      what);
}

static void v7d_map(struct v7d *t, u64 iova, u64 pa, size_t pgsize,
		    size_t count)
{
	size_t mapped = 0;

	v7d_snap_l1(t);
	KUNIT_ASSERT_EQ_MSG(t->test, iopt_test_map(t->ops, iova, pa, pgsize,
						   count, IOMMU_READ |
						   IOMMU_WRITE, &mapped),
			    0, "map %#llx %#zx x %zu", iova, pgsize, count);
	KUNIT_ASSERT_EQ(t->test, mapped, pgsize * count);
	KUNIT_ASSERT_TRUE(t->test, iopt_shadow_add(&t->sh, iova, pa,
						   pgsize * count, pgsize,
						   IOMMU_READ | IOMMU_WRITE));
	v7d_check(t, "map");
}

/*
 * Unmap with @gather (NULL allowed), expecting all of it to go; every
 * table the call unhooked is gone afterwards.
 */
static void v7d_unmap_gather(struct v7d *t, u64 iova, size_t pgsize,
			     size_t count, struct iommu_iotlb_gather *gather)
{
	const u32 *l1 = phys_to_virt(t->ref.pgd);
	unsigned int i;

	v7d_snap_l1(t);
	KUNIT_EXPECT_EQ_MSG(t->test, t->ops->unmap_pages(t->ops, iova, pgsize,
							 count, gather),
			    pgsize * count, "unmap %#llx %#zx x %zu", iova,
			    pgsize, count);
	iopt_shadow_remove(&t->sh, iova, pgsize * count);
	v7d_check(t, "unmap");
	for (i = 0; i < t->l1_n; i++) {
		phys_addr_t l2;

		if ((t->l1_before[i] & 3) != 1 ||
		    READ_ONCE(l1[i]) == t->l1_before[i])
			continue;
		l2 = v7s_ref_table_pa(&t->ref, t->l1_before[i]);
		KUNIT_EXPECT_FALSE_MSG(t->test, shim_dma_is_mapped(l2, SZ_1K),
				       "table %pa unhooked but not freed", &l2);
	}
}

static void v7d_unmap(struct v7d *t, u64 iova, size_t pgsize, size_t count)
{
	struct iommu_iotlb_gather gather;

	iommu_iotlb_gather_init(&gather);
	v7d_unmap_gather(t, iova, pgsize, count, &gather);
}

/*
 * Every way v7s takes a translation away, each callback checked from the
 * device at the moment it runs (defect 2.1 of issue 7 for v7s).
 */
static void v7d_test_callbacks_after_sync(struct kunit *test)
{
	const struct v7d_param *p = test->param_value;
	struct v7d *t = v7d_new(test, p);
	u64 pa = p->pa_base;
	unsigned int walks;

	/* 4K pages one by one (the DMA API's path), then several at once */
	v7d_map(t, 0x100000, pa, SZ_4K, 8);
	v7d_unmap(t, 0x100000, SZ_4K, 1);
	v7d_unmap(t, 0x101000, SZ_4K, 1);
	v7d_unmap(t, 0x102000, SZ_4K, 6);

	/* 64K large pages */
	v7d_map(t, 0x200000, pa + SZ_1M, SZ_64K, 4);
	v7d_unmap(t, 0x200000, SZ_64K, 1);
	v7d_unmap(t, 0x210000, SZ_64K, 3);

	/* 64K over small pages, some missing */
	v7d_map(t, 0x300000, pa, SZ_4K, 5);
	v7d_map(t, 0x308000, pa + SZ_64K, SZ_4K, 8);
	v7d_unmap(t, 0x300000, SZ_64K, 1);

	/* 1M sections, 16M supersections */
	v7d_map(t, 0x1000000, pa + SZ_16M, SZ_1M, 3);
	v7d_unmap(t, 0x1000000, SZ_1M, 1);
	v7d_unmap(t, 0x1100000, SZ_1M, 2);
	v7d_map(t, 0x4000000, ALIGN(pa, SZ_16M) + SZ_32M, SZ_16M, 2);
	v7d_unmap(t, 0x4000000, SZ_16M, 2);

	/* 16M over sections and a level-2 table */
	v7d_map(t, 0x5000000, pa, SZ_1M, 1);
	v7d_map(t, 0x5300000, pa, SZ_4K, 3);
	v7d_map(t, 0x5500000, pa, SZ_1M, 4);
	walks = t->walks;
	v7d_unmap(t, 0x5000000, SZ_16M, 1);
	KUNIT_EXPECT_EQ(test, t->walks - walks, 1);

	/* A whole level-2 table in one call: unhooked, flushed, freed */
	v7d_map(t, 0x6000000, pa, SZ_4K, 256);
	walks = t->walks;
	v7d_unmap(t, 0x6000000, SZ_4K, 256);
	KUNIT_EXPECT_EQ(test, t->walks - walks, 1);

	/* Across level-2 tables: one whole, two in part */
	v7d_map(t, 0x70f0000, pa, SZ_4K, 300);
	v7d_unmap(t, 0x70f0000, SZ_4K, 300);

	/* 1M over a level-2 table */
	v7d_map(t, 0x9000000, pa, SZ_64K, 2);
	v7d_map(t, 0x9040000, pa, SZ_4K, 2);
	walks = t->walks;
	v7d_unmap(t, 0x9000000, SZ_1M, 1);
	KUNIT_EXPECT_EQ(test, t->walks - walks, 1);

	/* A section over a level-2 table that unmaps left empty */
	v7d_map(t, 0xa000000, pa, SZ_4K, 1);
	v7d_unmap(t, 0xa000000, SZ_4K, 1);
	walks = t->walks;
	v7d_map(t, 0xa000000, pa, SZ_1M, 1);
	KUNIT_EXPECT_EQ(test, t->walks - walks, 1);
	v7d_map(t, 0xb100000, pa, SZ_4K, 1);
	v7d_unmap(t, 0xb100000, SZ_4K, 1);
	v7d_map(t, 0xb000000, ALIGN(pa, SZ_16M), SZ_16M, 1);
	v7d_unmap(t, 0xb000000, SZ_16M, 1);

	KUNIT_EXPECT_EQ(test, t->stale, 0);
	KUNIT_EXPECT_EQ(test, t->unsynced, 0);
	KUNIT_EXPECT_EQ(test, t->early_free, 0);
	/* the workload did reach the callbacks */
	KUNIT_EXPECT_GE(test, t->add_pages, 8 + 4 + 13 + 3 + 2 + 5 + 256 + 300);
	KUNIT_EXPECT_GE(test, t->walks, 6);
}

/*
 * unmap_pages() with a NULL gather (panfrost, panthor and msm pass one):
 * no tlb_add_page() at all, as 6.12 does; tables are still flushed, and
 * the device sees every page go.
 */
static void v7d_test_null_gather(struct kunit *test)
{
	const struct v7d_param *p = test->param_value;
	struct v7d *t = v7d_new(test, p);
	u64 pa = p->pa_base;
	unsigned int walks;

	v7d_map(t, 0x100000, pa, SZ_4K, 4);
	v7d_map(t, 0x200000, pa, SZ_64K, 2);
	v7d_map(t, 0x1000000, pa, SZ_1M, 2);
	v7d_map(t, 0x4000000, ALIGN(pa, SZ_16M), SZ_16M, 1);
	v7d_map(t, 0x6000000, pa, SZ_4K, 256);
	v7d_map(t, 0x9000000, pa, SZ_4K, 16);

	t->forbid_add_page = true;
	v7d_unmap_gather(t, 0x100000, SZ_4K, 1, NULL);
	v7d_unmap_gather(t, 0x101000, SZ_4K, 3, NULL);
	v7d_unmap_gather(t, 0x200000, SZ_64K, 2, NULL);
	v7d_unmap_gather(t, 0x1000000, SZ_1M, 2, NULL);
	v7d_unmap_gather(t, 0x4000000, SZ_16M, 1, NULL);
	v7d_unmap_gather(t, 0x9000000, SZ_64K, 1, NULL);
	walks = t->walks;
	v7d_unmap_gather(t, 0x6000000, SZ_4K, 256, NULL);
	KUNIT_EXPECT_EQ(test, t->walks - walks, 1);
	KUNIT_EXPECT_EQ(test, t->add_pages, 0);
	KUNIT_EXPECT_EQ(test, t->stale, 0);
}

/*
 * kmemleak sees slab memory that only a physical address in a descriptor
 * points to as leaked: every level-2 table must have been
 * kmemleak_ignore()d, including objects the cache hands out again.
 */
static void v7d_check_kmemleak(struct v7d *t, unsigned int want_tables)
{
	const u32 *l1 = phys_to_virt(t->ref.pgd);
	unsigned int i, tables = 0;

	for (i = 0; i < t->l1_n; i++) {
		phys_addr_t l2;
		int state;

		if ((READ_ONCE(l1[i]) & 3) != 1)
			continue;
		tables++;
		l2 = v7s_ref_table_pa(&t->ref, l1[i]);
		state = shim_kmemleak_state(phys_to_virt(l2));
		/* page memory (state -1) is not tracked; slab memory must be ignored */
		KUNIT_EXPECT_NE_MSG(t->test, state, 0,
				    "level-2 table %pa is a kmemleak false positive",
				    &l2);
	}
	KUNIT_EXPECT_EQ(t->test, tables, want_tables);
}

static void v7d_test_kmemleak(struct kunit *test)
{
	const struct v7d_param *p = test->param_value;
	struct v7d *t = v7d_new(test, p);
	const u32 *l1 = phys_to_virt(t->ref.pgd);
	u64 pa = p->pa_base;
	phys_addr_t l2;

	v7d_map(t, 0x1f0000, pa, SZ_4K, 3 * 256);
	v7d_map(t, 0x800000, pa, SZ_64K, 16);
	v7d_check_kmemleak(t, 5);
	/* freed, then handed out again */
	v7d_unmap(t, 0x1f0000, SZ_4K, 3 * 256);
	v7d_unmap(t, 0x800000, SZ_64K, 16);
	v7d_map(t, 0x3000000, pa, SZ_4K, 2 * 256);
	v7d_check_kmemleak(t, 4);
	/* the level-2 tables came from the slab, so the check had teeth */
	l2 = v7s_ref_table_pa(&t->ref, l1[0x3000000 >> 20]);
	KUNIT_EXPECT_EQ(test, shim_kmemleak_state(phys_to_virt(l2)), 1);
}

struct v7d_lpae_census {
	struct kunit	*test;
	unsigned int	tracked;
	unsigned int	tables;
};

static int v7d_lpae_table(void *arg, int level, phys_addr_t pa, size_t size,
			  u64 iova)
{
	struct v7d_lpae_census *c = arg;
	int state = shim_kmemleak_state(phys_to_virt(pa));

	c->tables++;
	if (state >= 0)
		c->tracked++;
	KUNIT_EXPECT_NE_MSG(c->test, state, 0,
			    "level %d table %pa (%zu bytes) is a kmemleak false positive",
			    level, &pa, size);
	return 0;
}

/*
 * The same for the LPAE formats, whose tables smaller than a page (a 4K
 * granule on a 16K or 64K kernel, a small PGD) come from kmalloc() through
 * the core's io_pgtable_alloc_table(), which marks them.
 */
static void v7d_test_kmemleak_lpae(struct kunit *test)
{
	static const struct {
		enum io_pgtable_fmt fmt; unsigned int ias;
	} fmts[] = {
		{ ARM_64_LPAE_S1, 48 },
		{ ARM_64_LPAE_S1, 36 },
		{ ARM_32_LPAE_S1, 32 },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(fmts); i++) {
		struct v7d_lpae_census c = { .test = test };
		struct arm_lpae_ref_visitor v = {
			.table = v7d_lpae_table,
			.arg = &c,
		};
		struct iopt_test_ctx *ctx = iopt_test_ctx_alloc(test);
		struct io_pgtable_cfg cfg = {
			.pgsize_bitmap	= SZ_4K | SZ_2M | SZ_1G,
			.ias		= fmts[i].ias,
			.oas		= 40,
			.coherent_walk	= true,
			.tlb		= &iopt_test_flush_ops,
		};
		struct arm_lpae_ref ref = {};
		struct io_pgtable_ops *ops;

		ops = alloc_io_pgtable_ops(fmts[i].fmt, &cfg, ctx);
		KUNIT_ASSERT_NOT_NULL(test, ops);
		KUNIT_EXPECT_EQ(test, iopt_test_map(ops, 0x1ff000, 0x1000,
						    SZ_4K, 3, IOMMU_READ,
						    NULL), 0);
		KUNIT_EXPECT_EQ(test, iopt_test_map(ops, 0x80000000, 0x1000,
						    SZ_4K, 1, IOMMU_READ,
						    NULL), 0);
		ref.stage = ARM_LPAE_REF_S1;
		ref.pgd = cfg.arm_lpae_s1_cfg.ttbr;
		ref.mair = cfg.arm_lpae_s1_cfg.mair;
		ref.granule_shift = 12;
		ref.ias = fmts[i].ias;
		ref.start_level = arm_lpae_ref_min_start_level(12, fmts[i].ias);
		arm_lpae_ref_for_each(&ref, &v);
		KUNIT_EXPECT_GE(test, c.tables, 4);
		kunit_info(test, "fmt %d ias %u: %u tables, %u from the slab",
			   fmts[i].fmt, fmts[i].ias, c.tables, c.tracked);
		free_io_pgtable_ops(ops);
	}
}

/* The test's allocator: zeroed pages below 4 GiB; the first is the PGD. */
static void *v7d_wmb_alloc(void *cookie, size_t size, gfp_t gfp)
{
	struct v7d *t = cookie;
	void *table;

	gfp &= ~(__GFP_DMA | __GFP_DMA32 | __GFP_HIGHMEM);
	table = (void *)__get_free_pages(gfp | GFP_DMA32 | __GFP_ZERO,
					 get_order(size));
	if (table && !t->pgd) {
		t->pgd = table;
		t->pgd_size = size;
	}
	return table;
}

static void v7d_wmb_free(void *cookie, void *table, size_t size)
{
	free_pages((unsigned long)table, get_order(size));
}

static struct v7d *v7d_wmb_target;

/* At each wmb(): what the level-1 table held, and when. */
static void v7d_wmb_hook(void)
{
	struct v7d *t = v7d_wmb_target;

	if (!t)
		return;
	t->wmb_seq = shim_seq();
	if (t->pgd) {
		t->wmbs_after++;
		memcpy(t->pgd_copy, t->pgd, t->pgd_size);
	}
}

static void v7d_wmb_unhook(void *arg)
{
	shim_wmb_hook = NULL;
	v7d_wmb_target = NULL;
}

/*
 * A driver may write the TTBR with writel_relaxed() as soon as
 * alloc_io_pgtable_ops() returns (arm-smmu does), which orders nothing
 * before it: a wmb() must come between the last write to the level-1
 * table (zeroing it) and the return.
 */
static void v7d_test_wmb_before_ttbr(struct kunit *test)
{
	const struct v7d_param *p = test->param_value;
	unsigned int pass;

	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, v7d_wmb_unhook,
							NULL), 0);
	for (pass = 0; pass < 4; pass++) {
		bool custom = pass & 1, coherent = pass & 2;
		struct v7d *t = v7d_alloc(test);
		unsigned long wmbs;
		u64 seq, seq_after;

		v7d_cfg(test, &t->cfg, p, 0);
		t->cfg.coherent_walk = coherent;
		if (custom) {
			t->cfg.alloc = v7d_wmb_alloc;
			t->cfg.free = v7d_wmb_free;
			t->pgd_copy = kunit_kzalloc(test, SZ_64K, GFP_KERNEL);
			KUNIT_ASSERT_NOT_NULL(test, t->pgd_copy);
		}
		v7d_wmb_target = t;
		shim_wmb_hook = v7d_wmb_hook;
		wmbs = shim_wmb_count;
		seq = shim_seq();
		t->ops = alloc_io_pgtable_ops(ARM_V7S, &t->cfg, t);
		seq_after = shim_seq();
		shim_wmb_hook = NULL;
		v7d_wmb_target = NULL;
		v7d_start(t);

		KUNIT_EXPECT_GT_MSG(test, shim_wmb_count, wmbs,
				    "custom %d coherent %d", custom, coherent);
		/* nothing allocated or DMA-mapped after the last wmb() */
		KUNIT_EXPECT_GT(test, seq_after, seq);
		KUNIT_EXPECT_EQ_MSG(test, t->wmb_seq, seq_after,
				    "custom %d coherent %d", custom, coherent);
		if (custom) {
			/* and the table as it is now was written before it */
			KUNIT_ASSERT_NOT_NULL(test, t->pgd);
			KUNIT_EXPECT_EQ(test, (u64)virt_to_phys(t->pgd),
					(u64)t->ref.pgd);
			KUNIT_EXPECT_GT(test, t->wmbs_after, 0);
			KUNIT_EXPECT_EQ(test, memcmp(t->pgd_copy, t->pgd,
						     t->pgd_size), 0);
		}
	}
}

/*
 * With IO_PGTABLE_QUIRK_ARM_MTK_TTBR_EXT descriptors and the TTBR reach 35
 * bits, so no table need come from ZONE_DMA32: 6.12 takes the level-1
 * table from GFP_KERNEL pages and level-2 tables from a cache without
 * SLAB_CACHE_DMA32. Without the quirk both stay below 4 GiB.
 *
 * Under ASan ordinary memory sits above 2^44, out of even 35 bits' reach,
 * so the tables are refused; what can be seen then is which kind of cache
 * the level-2 tables were to come from.
 */
static void v7d_test_ttbr_ext_zone(struct kunit *test)
{
	static const struct v7d_param mtk = {
		V7D_MTK, 32, 35, 0x640000000ULL, "mtk"
	};
	unsigned int pass;

	/* with the quirk first, while no other v7s tables hold a cache */
	for (pass = 0; pass < 2; pass++) {
		bool ext = !pass;
		unsigned long low0, high0, low1, high1;
		struct v7d *t = v7d_alloc(test);
		const u32 *l1;
		unsigned int i, tables = 0;
		phys_addr_t l2;

		v7d_cfg(test, &t->cfg, &mtk,
			ext ? IO_PGTABLE_QUIRK_ARM_MTK_TTBR_EXT : 0);
		shim_caches_created(&low0, &high0);
		t->ops = alloc_io_pgtable_ops(ARM_V7S, &t->cfg, t);
		shim_caches_created(&low1, &high1);
		/*
		 * A level-2 cache of the right kind, none of the other (and,
		 * on a 64K kernel without the quirk, one for level 1).
		 */
		if (ext) {
			KUNIT_EXPECT_EQ(test, low1 - low0, 0);
			KUNIT_EXPECT_EQ(test, high1 - high0, 1);
		} else {
			KUNIT_EXPECT_GE(test, low1 - low0, 1);
			KUNIT_EXPECT_EQ(test, high1 - high0, 0);
		}
		if (!t->ops) {
			/* only if ordinary memory is beyond the reach */
			void *probe = kmalloc(64, GFP_KERNEL);

			KUNIT_EXPECT_TRUE(test, ext);
			KUNIT_EXPECT_GE(test, (u64)virt_to_phys(probe),
					BIT_ULL(35));
			kfree(probe);
			kunit_info(test, "ordinary memory beyond 35 bits: placement unchecked");
			continue;
		}
		v7d_start(t);
		KUNIT_EXPECT_EQ_MSG(test, shim_is_low(phys_to_virt(t->ref.pgd)),
				    !ext, "level-1 table, ext %d", ext);
		v7d_map(t, 0x0ff000, mtk.pa_base, SZ_4K, 3);
		v7d_map(t, 0x300000, mtk.pa_base, SZ_64K, 1);
		l1 = phys_to_virt(t->ref.pgd);
		for (i = 0; i < t->l1_n; i++) {
			if ((l1[i] & 3) != 1)
				continue;
			tables++;
			l2 = v7s_ref_table_pa(&t->ref, l1[i]);
			KUNIT_EXPECT_EQ_MSG(test, shim_is_low(phys_to_virt(l2)),
					    !ext, "level-2 table %u, ext %d", i,
					    ext);
		}
		KUNIT_EXPECT_EQ(test, tables, 3);
	}
}

/*
 * As in 6.12, map_pages() ends with wmb(): mtk_iommu's users may start
 * the device right after it. At that wmb() the device must already see
 * every page of the request.
 */
static struct v7d *v7d_map_wmb_t;
static u64 v7d_map_wmb_iova, v7d_map_wmb_size;
static unsigned int v7d_map_wmb_seen;

static void v7d_map_wmb_hook(void)
{
	struct v7d *t = v7d_map_wmb_t;

	if (v7d_translating(t, v7d_map_wmb_iova, v7d_map_wmb_size) ==
	    v7d_map_wmb_size / SZ_4K)
		v7d_map_wmb_seen++;
}

static void v7d_test_map_ends_with_wmb(struct kunit *test)
{
	static const struct {
		u64 iova;
		size_t pgsize, count;
	} reqs[] = {
		{ 0x100000, SZ_4K, 1 },		/* the one-store fast path */
		{ 0x101000, SZ_4K, 1 },
		{ 0x2ff000, SZ_4K, 3 },		/* across two new tables */
		{ 0x400000, SZ_64K, 2 },
		{ 0x1000000, SZ_1M, 2 },
		{ 0x4000000, SZ_16M, 1 },
	};
	const struct v7d_param *p = test->param_value;
	struct v7d *t = v7d_new(test, p);
	unsigned int i;

	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, v7d_wmb_unhook,
							NULL), 0);
	v7d_map_wmb_t = t;
	shim_wmb_hook = v7d_map_wmb_hook;
	for (i = 0; i < ARRAY_SIZE(reqs); i++) {
		unsigned long before = shim_wmb_count;

		v7d_map_wmb_iova = reqs[i].iova;
		v7d_map_wmb_size = reqs[i].pgsize * reqs[i].count;
		v7d_map_wmb_seen = 0;
		v7d_map(t, reqs[i].iova, ALIGN(p->pa_base, reqs[i].pgsize),
			reqs[i].pgsize, reqs[i].count);
		KUNIT_EXPECT_GT_MSG(test, shim_wmb_count, before, "request %u",
				    i);
		KUNIT_EXPECT_GT_MSG(test, v7d_map_wmb_seen, 0,
				    "request %u: no wmb() once the device saw it",
				    i);
	}
	shim_wmb_hook = NULL;
}

/*
 * Splitting a larger leaf, seen from a walker that does not snoop: at the
 * walk flush of the leaf, nothing of its range translates in the device's
 * view of memory (its entries are invalid there, no table hooked in yet)
 * and every CPU write is cleaned; afterwards the device sees the rest of
 * the leaf, through level-2 tables that are DMA-mapped and
 * kmemleak_ignore()d as every other level-2 table.
 */
static void v7d_split_flush_walk(unsigned long iova, size_t size,
				 size_t granule, void *cookie)
{
	struct v7d *t = cookie;
	unsigned int n;

	t->walks++;
	n = v7d_translating(t, iova, size);
	if (n && t->stale++ < 4)
		KUNIT_FAIL(t->test, "split: tlb_flush_walk(%#lx, %#zx): %u pages still translate",
			   iova, size, n);
	if (granule != size && t->stale++ < 4)
		KUNIT_FAIL(t->test, "split: tlb_flush_walk(%#lx, %#zx) granule %#zx",
			   iova, size, granule);
	v7d_check_synced(t, "split's tlb_flush_walk");
}

static const struct iommu_flush_ops v7d_split_flush_ops = {
	.tlb_flush_all	= v7d_flush_all,
	.tlb_flush_walk	= v7d_split_flush_walk,
	.tlb_add_page	= v7d_add_page,
};

static void v7d_test_split(struct kunit *test)
{
	static const struct {
		u64	iova;
		size_t	bsize;
		u64	hole;
		size_t	pgsize;
		size_t	count;
		bool	table;
	} cases[] = {
		{ 0x100000, SZ_1M, 0x1ff000, SZ_4K, 1, true },
		{ 0x200000, SZ_1M, 0x230000, SZ_64K, 2, true },
		{ 0x410000, SZ_64K, 0x413000, SZ_4K, 3, false },
		{ 0x1000000, SZ_16M, 0x1300000, SZ_1M, 2, false },
		{ 0x2000000, SZ_16M, 0x2a0f000, SZ_4K, 1, true },
		{ 0x3000000, SZ_16M, 0x3f00000, SZ_64K, 16, false },
	};
	const struct v7d_param *p = test->param_value;
	struct v7d *t = v7d_alloc(test);
	const u32 *l1;
	unsigned int i, walks, tables = 1;	/* 0x410000's */

	v7d_cfg(test, &t->cfg, p, 0);
	t->cfg.tlb = &v7d_split_flush_ops;
	t->ops = alloc_io_pgtable_ops(ARM_V7S, &t->cfg, t);
	v7d_start(t);
	l1 = phys_to_virt(t->ref.pgd);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		u64 pa = ALIGN(p->pa_base, SZ_16M) + cases[i].iova;

		v7d_map(t, cases[i].iova, pa, cases[i].bsize, 1);
		walks = t->walks;
		v7d_unmap(t, cases[i].hole, cases[i].pgsize, cases[i].count);
		/* one walk flush, of the leaf; none when it went whole */
		KUNIT_EXPECT_EQ_MSG(test, t->walks - walks, 1, "case %u", i);
		KUNIT_EXPECT_EQ(test, v7d_translating(t, cases[i].iova,
						      cases[i].bsize),
				(cases[i].bsize - cases[i].pgsize *
				 cases[i].count) / SZ_4K);
		tables += cases[i].table;
	}
	v7d_check_kmemleak(t, tables);
	for (i = 0; i < t->l1_n; i++) {
		phys_addr_t l2;

		if ((READ_ONCE(l1[i]) & 3) != 1)
			continue;
		l2 = v7s_ref_table_pa(&t->ref, l1[i]);
		KUNIT_EXPECT_TRUE(test, shim_dma_is_mapped(l2, SZ_1K));
	}
	KUNIT_EXPECT_EQ(test, t->stale, 0);
	KUNIT_EXPECT_EQ(test, t->unsynced, 0);
	/* the pages unmapped, reported as any: 1 + 2 + 3 + 2 + 1 + 16 */
	KUNIT_EXPECT_EQ(test, t->add_pages, 25);
}

static struct kunit_case v7s_dma_test_cases[] = {
	KUNIT_CASE_PARAM(v7d_test_callbacks_after_sync, v7d_gen_params),
	KUNIT_CASE_PARAM(v7d_test_null_gather, v7d_gen_params),
	KUNIT_CASE_PARAM(v7d_test_kmemleak, v7d_gen_params),
	KUNIT_CASE(v7d_test_kmemleak_lpae),
	KUNIT_CASE_PARAM(v7d_test_wmb_before_ttbr, v7d_gen_params),
	KUNIT_CASE_PARAM(v7d_test_map_ends_with_wmb, v7d_gen_params),
	KUNIT_CASE(v7d_test_ttbr_ext_zone),
	KUNIT_CASE_PARAM(v7d_test_split, v7d_gen_params),
	{}
};

static struct kunit_suite v7s_dma_test_suite = {
	.name = "io-pgtable-arm-v7s-dma",
	.test_cases = v7s_dma_test_cases,
};

kunit_test_suite(v7s_dma_test_suite);
