// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests for the io-pgtable core: what alloc_io_pgtable_ops() refuses
 * before any format sees the configuration, what free_io_pgtable_ops()
 * owes the driver, and the table-memory helpers the formats share.
 */

#include <kunit/test.h>
#include <linux/dma-mapping.h>
#include <linux/io-pgtable.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/sizes.h>
#include <linux/slab.h>

#include "io-pgtable-kunit-helpers.h"

/* A configuration every LPAE build accepts: 64-bit stage 1, 4K granule. */
static void core_lpae_cfg(struct io_pgtable_cfg *cfg,
			  const struct iommu_flush_ops *tlb)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->pgsize_bitmap = SZ_4K | SZ_2M | SZ_1G;
	cfg->ias = 48;
	cfg->oas = 48;
	cfg->coherent_walk = true;
	cfg->tlb = tlb;
}

static void core_need_lpae(struct kunit *test)
{
	if (!IS_ENABLED(CONFIG_IOMMU_IO_PGTABLE_LPAE))
		kunit_skip(test, "LPAE formats not built");
}

static void core_test_bad_fmt(struct kunit *test)
{
	static const int bad[] = { IO_PGTABLE_NUM_FMTS, IO_PGTABLE_NUM_FMTS + 1,
				   -1, INT_MAX };
	struct iopt_test_ctx *ctx = iopt_test_ctx_alloc(test);
	struct io_pgtable_cfg cfg;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		core_lpae_cfg(&cfg, &iopt_test_flush_ops);
		iopt_test_use_allocator(&cfg);
		KUNIT_EXPECT_NULL_MSG(test,
				      alloc_io_pgtable_ops((enum io_pgtable_fmt)bad[i],
							   &cfg, ctx),
				      "fmt %d", bad[i]);
	}
	KUNIT_EXPECT_EQ(test, ctx->alloc_calls, 0);
}

static void core_test_null_cfg(struct kunit *test)
{
	KUNIT_EXPECT_NULL(test, alloc_io_pgtable_ops(ARM_64_LPAE_S1, NULL,
						     NULL));
}

/* AMD and DART stay in the enum but are not built on arm64 test configs. */
static int core_absent_fmt(void)
{
	if (!IS_ENABLED(CONFIG_AMD_IOMMU))
		return AMD_IOMMU_V1;
	if (!IS_ENABLED(CONFIG_IOMMU_IO_PGTABLE_DART))
		return APPLE_DART;
	return -1;
}

static void core_test_absent_fmt(struct kunit *test)
{
	int fmt = core_absent_fmt();
	struct io_pgtable_cfg cfg;

	if (fmt < 0)
		kunit_skip(test, "every format is built");
	core_lpae_cfg(&cfg, NULL);
	KUNIT_EXPECT_NULL(test, alloc_io_pgtable_ops(fmt, &cfg, NULL));
}

static void core_test_unknown_quirk(struct kunit *test)
{
	struct iopt_test_ctx *ctx = iopt_test_ctx_alloc(test);
	struct io_pgtable_cfg cfg;

	core_need_lpae(test);
	core_lpae_cfg(&cfg, &iopt_test_flush_ops);
	iopt_test_use_allocator(&cfg);
	cfg.quirks = BIT(20);
	KUNIT_EXPECT_NULL(test, alloc_io_pgtable_ops(ARM_64_LPAE_S1, &cfg, ctx));
	cfg.quirks = BIT(BITS_PER_LONG - 1);
	KUNIT_EXPECT_NULL(test, alloc_io_pgtable_ops(ARM_64_LPAE_S1, &cfg, ctx));
	KUNIT_EXPECT_EQ(test, ctx->live, 0);
}

static void core_test_alloc_without_free(struct kunit *test)
{
	struct iopt_test_ctx *ctx = iopt_test_ctx_alloc(test);
	struct io_pgtable_cfg cfg;

	core_need_lpae(test);
	core_lpae_cfg(&cfg, &iopt_test_flush_ops);
	cfg.alloc = iopt_test_alloc;
	KUNIT_EXPECT_NULL(test, alloc_io_pgtable_ops(ARM_64_LPAE_S1, &cfg, ctx));
	KUNIT_EXPECT_EQ(test, ctx->alloc_calls, 0);
}

static void core_test_free_without_alloc(struct kunit *test)
{
	struct iopt_test_ctx *ctx = iopt_test_ctx_alloc(test);
	struct io_pgtable_cfg cfg;

	core_need_lpae(test);
	core_lpae_cfg(&cfg, &iopt_test_flush_ops);
	cfg.free = iopt_test_free;
	KUNIT_EXPECT_NULL(test, alloc_io_pgtable_ops(ARM_64_LPAE_S1, &cfg, ctx));
	KUNIT_EXPECT_EQ(test, ctx->bad_frees, 0);
}

static void core_test_custom_alloc_no_cap(struct kunit *test)
{
	struct iopt_test_ctx *ctx = iopt_test_ctx_alloc(test);
	int fmt = core_absent_fmt();
	struct io_pgtable_cfg cfg;

	if (fmt < 0)
		kunit_skip(test, "no format lacks the capability here");
	core_lpae_cfg(&cfg, &iopt_test_flush_ops);
	iopt_test_use_allocator(&cfg);
	KUNIT_EXPECT_NULL(test, alloc_io_pgtable_ops(fmt, &cfg, ctx));
	KUNIT_EXPECT_EQ(test, ctx->alloc_calls, 0);
}

static void core_test_noncoherent_needs_dev(struct kunit *test)
{
	struct io_pgtable_cfg cfg;

	core_need_lpae(test);
	core_lpae_cfg(&cfg, NULL);
	cfg.coherent_walk = false;
	KUNIT_EXPECT_NULL(test, alloc_io_pgtable_ops(ARM_64_LPAE_S1, &cfg, NULL));
}

static void core_test_free_null(struct kunit *test)
{
	free_io_pgtable_ops(NULL);
	KUNIT_SUCCEED(test);
}

static void core_test_flush_all_on_free(struct kunit *test)
{
	struct iopt_test_ctx *ctx = iopt_test_ctx_alloc(test);
	struct io_pgtable_ops *ops;
	struct io_pgtable_cfg cfg;
	size_t mapped = 0;

	core_need_lpae(test);
	core_lpae_cfg(&cfg, &iopt_test_flush_ops);
	iopt_test_use_allocator(&cfg);
	ops = alloc_io_pgtable_ops(ARM_64_LPAE_S1, &cfg, ctx);
	KUNIT_ASSERT_NOT_NULL(test, ops);
	KUNIT_ASSERT_EQ(test, ops->map_pages(ops, SZ_1G, SZ_1G, SZ_4K, 1,
					     IOMMU_READ, GFP_KERNEL, &mapped), 0);
	KUNIT_EXPECT_EQ(test, ctx->flush_all, 0);

	free_io_pgtable_ops(ops);
	KUNIT_EXPECT_EQ(test, ctx->flush_all, 1);
	KUNIT_EXPECT_EQ(test, ctx->bad_cookie, 0);
	/* the TLB goes before the memory the walker may still be caching */
	KUNIT_EXPECT_GE(test, iopt_test_log_find(ctx, IOPT_TEST_EV_FLUSH_ALL,
						 0, U64_MAX), 0);
	KUNIT_EXPECT_LT(test, iopt_test_log_find(ctx, IOPT_TEST_EV_FLUSH_ALL,
						 0, U64_MAX),
			iopt_test_log_find(ctx, IOPT_TEST_EV_FREE, 0, U64_MAX));
	KUNIT_EXPECT_EQ(test, ctx->live, 0);
	KUNIT_EXPECT_EQ(test, ctx->bad_frees, 0);
}

static void core_test_free_without_flush_ops(struct kunit *test)
{
	static const struct iommu_flush_ops empty = {};
	struct io_pgtable_ops *ops;
	struct io_pgtable_cfg cfg;

	core_need_lpae(test);
	core_lpae_cfg(&cfg, NULL);
	ops = alloc_io_pgtable_ops(ARM_64_LPAE_S1, &cfg, NULL);
	KUNIT_ASSERT_NOT_NULL(test, ops);
	free_io_pgtable_ops(ops);

	core_lpae_cfg(&cfg, &empty);
	ops = alloc_io_pgtable_ops(ARM_64_LPAE_S1, &cfg, NULL);
	KUNIT_ASSERT_NOT_NULL(test, ops);
	free_io_pgtable_ops(ops);
}

static void core_test_cfg_copied(struct kunit *test)
{
	struct iopt_test_ctx *ctx = iopt_test_ctx_alloc(test);
	struct io_pgtable_ops *ops;
	struct io_pgtable_cfg cfg;
	struct io_pgtable *iop;

	core_need_lpae(test);
	core_lpae_cfg(&cfg, &iopt_test_flush_ops);
	cfg.pgsize_bitmap = SZ_4K | SZ_1M | SZ_2M | SZ_1G | SZ_512G;
	ops = alloc_io_pgtable_ops(ARM_64_LPAE_S1, &cfg, ctx);
	KUNIT_ASSERT_NOT_NULL(test, ops);

	iop = io_pgtable_ops_to_pgtable(ops);
	KUNIT_EXPECT_EQ(test, iop->fmt, ARM_64_LPAE_S1);
	KUNIT_EXPECT_PTR_EQ(test, iop->cookie, (void *)ctx);
	/* the caller's cfg and the kept one carry the same outputs */
	KUNIT_EXPECT_EQ(test, iop->cfg.pgsize_bitmap, cfg.pgsize_bitmap);
	KUNIT_EXPECT_EQ(test, cfg.pgsize_bitmap,
			(unsigned long)(SZ_4K | SZ_2M | SZ_1G));
	KUNIT_EXPECT_EQ(test, iop->cfg.arm_lpae_s1_cfg.ttbr,
			cfg.arm_lpae_s1_cfg.ttbr);
	KUNIT_EXPECT_NE(test, cfg.arm_lpae_s1_cfg.ttbr, 0);
	KUNIT_EXPECT_EQ(test, iop->cfg.arm_lpae_s1_cfg.mair,
			cfg.arm_lpae_s1_cfg.mair);
	KUNIT_EXPECT_EQ(test, memcmp(&iop->cfg.arm_lpae_s1_cfg.tcr,
				     &cfg.arm_lpae_s1_cfg.tcr,
				     sizeof(cfg.arm_lpae_s1_cfg.tcr)), 0);
	KUNIT_EXPECT_PTR_EQ(test, iop->cfg.tlb, &iopt_test_flush_ops);
	KUNIT_EXPECT_EQ(test, iop->cfg.ias, 48);
	KUNIT_EXPECT_EQ(test, iop->cfg.oas, 48);
	free_io_pgtable_ops(ops);
}

static void core_test_failed_alloc_leaks_nothing(struct kunit *test)
{
	struct iopt_test_ctx *ctx = iopt_test_ctx_alloc(test);
	struct io_pgtable_cfg cfg;

	core_need_lpae(test);
	core_lpae_cfg(&cfg, &iopt_test_flush_ops);
	iopt_test_use_allocator(&cfg);
	ctx->fail_after = 0;
	KUNIT_EXPECT_NULL(test, alloc_io_pgtable_ops(ARM_64_LPAE_S1, &cfg, ctx));
	KUNIT_EXPECT_GE(test, ctx->alloc_calls, 1);
	KUNIT_EXPECT_EQ(test, ctx->live, 0);
	KUNIT_EXPECT_EQ(test, ctx->flush_all, 0);
}

static void core_test_footprint(struct kunit *test)
{
	struct io_pgtable_cfg cfg = { .coherent_walk = true };
	size_t dma_align = dma_get_cache_alignment();
	static const size_t sizes[] = { 8, 32, 64, 128, 256, SZ_4K, SZ_16K,
					SZ_64K };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		size_t s = sizes[i];

		cfg.coherent_walk = true;
		KUNIT_EXPECT_EQ_MSG(test, io_pgtable_table_footprint(&cfg, s),
				    max_t(size_t, s, IO_PGTABLE_MIN_TABLE_SIZE),
				    "coherent, size %zu", s);
		cfg.coherent_walk = false;
		KUNIT_EXPECT_EQ_MSG(test, io_pgtable_table_footprint(&cfg, s),
				    max3(s, (size_t)IO_PGTABLE_MIN_TABLE_SIZE,
					 dma_align),
				    "non-coherent, size %zu", s);
	}
}

struct core_size_param {
	size_t	size;
	bool	coherent;
	char	desc[32];
};

static const struct core_size_param core_size_params[] = {
	{ 8, true, "8B coherent" },
	{ 64, true, "64B coherent" },
	{ 512, true, "512B coherent" },
	{ SZ_4K, true, "4K coherent" },
	{ SZ_16K, true, "16K coherent" },
	{ SZ_64K, true, "64K coherent" },
	{ 32, false, "32B non-coherent" },
	{ SZ_4K, false, "4K non-coherent" },
	{ SZ_64K, false, "64K non-coherent" },
};

KUNIT_ARRAY_PARAM_DESC(core_size, core_size_params, desc);

static void core_cfg_for(struct kunit *test, struct io_pgtable_cfg *cfg,
			 bool coherent)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->coherent_walk = coherent;
	if (!coherent)
		cfg->iommu_dev = iopt_test_dma_device(test);
}

static bool core_all_zero(const void *p, size_t size)
{
	const u8 *b = p;
	size_t i;

	for (i = 0; i < size; i++)
		if (b[i])
			return false;
	return true;
}

static void core_test_alloc_table_default(struct kunit *test)
{
	const struct core_size_param *p = test->param_value;
	struct io_pgtable_cfg cfg;
	size_t fp;
	void *t;

	core_cfg_for(test, &cfg, p->coherent);
	fp = io_pgtable_table_footprint(&cfg, p->size);
	t = io_pgtable_alloc_table(&cfg, NULL, p->size, GFP_KERNEL, NULL,
				   PHYS_ADDR_MAX);
	KUNIT_ASSERT_NOT_NULL(test, t);
	KUNIT_EXPECT_TRUE(test, IS_ALIGNED(virt_to_phys(t), fp));
	KUNIT_EXPECT_TRUE(test, core_all_zero(t, fp));
	/* write all of it: the footprint must really be ours */
	memset(t, 0xa5, fp);
	io_pgtable_sync(&cfg, t, fp);
	io_pgtable_free_table(&cfg, NULL, t, p->size, NULL);
}

/*
 * A table its caller fills before publishing it: the same placement and
 * footprint as a zeroed one, from the same allocators; through a custom
 * allocator it is zeroed all the same, since cfg->alloc always zeroes.
 */
static void core_test_alloc_table_unzeroed(struct kunit *test)
{
	const struct core_size_param *p = test->param_value;
	struct iopt_test_ctx *ctx = iopt_test_ctx_alloc(test);
	struct io_pgtable_cfg cfg;
	size_t fp;
	void *t;

	core_cfg_for(test, &cfg, p->coherent);
	fp = io_pgtable_table_footprint(&cfg, p->size);
	t = io_pgtable_alloc_table_unzeroed(&cfg, NULL, p->size, GFP_KERNEL,
					    NULL, PHYS_ADDR_MAX);
	KUNIT_ASSERT_NOT_NULL(test, t);
	KUNIT_EXPECT_TRUE(test, IS_ALIGNED(virt_to_phys(t), fp));
	memset(t, 0xa5, fp);
	io_pgtable_sync(&cfg, t, fp);
	io_pgtable_free_table(&cfg, NULL, t, p->size, NULL);

	iopt_test_use_allocator(&cfg);
	t = io_pgtable_alloc_table_unzeroed(&cfg, ctx, p->size, GFP_KERNEL,
					    NULL, PHYS_ADDR_MAX);
	KUNIT_ASSERT_NOT_NULL(test, t);
	KUNIT_EXPECT_EQ(test, ctx->allocs, 1);
	KUNIT_EXPECT_EQ(test, ctx->first_size, fp);
	KUNIT_EXPECT_TRUE(test, core_all_zero(t, fp));
	io_pgtable_free_table(&cfg, ctx, t, p->size, NULL);
	KUNIT_EXPECT_EQ(test, ctx->live, 0);
	KUNIT_EXPECT_EQ(test, ctx->bad_frees, 0);
}

static void core_test_alloc_table_custom(struct kunit *test)
{
	const struct core_size_param *p = test->param_value;
	struct iopt_test_ctx *ctx = iopt_test_ctx_alloc(test);
	struct io_pgtable_cfg cfg;
	size_t fp;
	void *t;

	core_cfg_for(test, &cfg, p->coherent);
	iopt_test_use_allocator(&cfg);
	fp = io_pgtable_table_footprint(&cfg, p->size);
	t = io_pgtable_alloc_table(&cfg, ctx, p->size, GFP_KERNEL, NULL,
				   PHYS_ADDR_MAX);
	KUNIT_ASSERT_NOT_NULL(test, t);
	KUNIT_EXPECT_EQ(test, ctx->allocs, 1);
	KUNIT_EXPECT_PTR_EQ(test, ctx->first_table, t);
	KUNIT_EXPECT_EQ(test, ctx->first_size, fp);
	io_pgtable_free_table(&cfg, ctx, t, p->size, NULL);
	KUNIT_EXPECT_EQ(test, ctx->frees, 1);
	KUNIT_EXPECT_EQ(test, ctx->live, 0);
	KUNIT_EXPECT_EQ(test, ctx->bad_frees, 0);
}

static void core_test_alloc_table_misaligned(struct kunit *test)
{
	const struct core_size_param *p = test->param_value;
	struct iopt_test_ctx *ctx = iopt_test_ctx_alloc(test);
	struct io_pgtable_cfg cfg;

	core_cfg_for(test, &cfg, p->coherent);
	iopt_test_use_allocator(&cfg);
	ctx->misalign_after = 0;
	KUNIT_EXPECT_NULL(test, io_pgtable_alloc_table(&cfg, ctx, p->size,
						       GFP_KERNEL, NULL,
						       PHYS_ADDR_MAX));
	KUNIT_EXPECT_EQ(test, ctx->alloc_calls, 1);
	/* refused memory goes back through the hook, at its size */
	KUNIT_EXPECT_EQ(test, ctx->live, 0);
	KUNIT_EXPECT_EQ(test, ctx->frees, 1);
	KUNIT_EXPECT_EQ(test, ctx->bad_frees, 0);
}

static void core_test_alloc_table_fail(struct kunit *test)
{
	const struct core_size_param *p = test->param_value;
	struct iopt_test_ctx *ctx = iopt_test_ctx_alloc(test);
	struct io_pgtable_cfg cfg;

	core_cfg_for(test, &cfg, p->coherent);
	iopt_test_use_allocator(&cfg);
	ctx->fail_after = 0;
	KUNIT_EXPECT_NULL(test, io_pgtable_alloc_table(&cfg, ctx, p->size,
						       GFP_KERNEL, NULL,
						       PHYS_ADDR_MAX));
	KUNIT_EXPECT_EQ(test, ctx->alloc_calls, 1);
	KUNIT_EXPECT_EQ(test, ctx->frees, 0);
}

/* A hook that hands out one buffer the test chose, to know its address. */
struct core_fixed {
	void	*buf;
	size_t	size;
	int	allocs;
	int	frees;
};

static void *core_fixed_alloc(void *cookie, size_t size, gfp_t gfp)
{
	struct core_fixed *f = cookie;

	if (size != f->size || f->allocs != f->frees)
		return NULL;
	f->allocs++;
	memset(f->buf, 0, size);
	return f->buf;
}

static void core_fixed_free(void *cookie, void *pages, size_t size)
{
	struct core_fixed *f = cookie;

	if (pages == f->buf && size == f->size)
		f->frees++;
}

static void core_test_alloc_table_limit(struct kunit *test)
{
	struct io_pgtable_cfg cfg = { .coherent_walk = true };
	struct core_fixed f = { .size = SZ_4K };
	phys_addr_t pa;
	void *t;

	f.buf = kunit_kzalloc(test, f.size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, f.buf);
	KUNIT_ASSERT_TRUE(test, IS_ALIGNED(virt_to_phys(f.buf), f.size));
	pa = virt_to_phys(f.buf);
	cfg.alloc = core_fixed_alloc;
	cfg.free = core_fixed_free;

	/* the last byte of the table at the limit is still in reach */
	t = io_pgtable_alloc_table(&cfg, &f, f.size, GFP_KERNEL, NULL,
				   pa + f.size - 1);
	KUNIT_EXPECT_PTR_EQ(test, t, f.buf);
	if (t)
		io_pgtable_free_table(&cfg, &f, t, f.size, NULL);

	/* one byte short: refused, and given back */
	KUNIT_EXPECT_NULL(test, io_pgtable_alloc_table(&cfg, &f, f.size,
						       GFP_KERNEL, NULL,
						       pa + f.size - 2));
	KUNIT_EXPECT_NULL(test, io_pgtable_alloc_table(&cfg, &f, f.size,
						       GFP_KERNEL, NULL,
						       pa ? pa - 1 : 0));
	KUNIT_EXPECT_EQ(test, f.allocs, 3);
	KUNIT_EXPECT_EQ(test, f.frees, 3);
}

static void core_test_alloc_table_cache(struct kunit *test)
{
	struct io_pgtable_cfg cfg = { .coherent_walk = true };
	struct kmem_cache *cache;
	void *t[4];
	int i;

	cache = kmem_cache_create("io-pgtable-kunit", SZ_1K, SZ_1K, 0, NULL);
	KUNIT_ASSERT_NOT_NULL(test, cache);
	for (i = 0; i < ARRAY_SIZE(t); i++) {
		t[i] = io_pgtable_alloc_table(&cfg, NULL, SZ_1K, GFP_KERNEL,
					      cache, PHYS_ADDR_MAX);
		KUNIT_EXPECT_NOT_NULL(test, t[i]);
		if (t[i]) {
			KUNIT_EXPECT_TRUE(test, IS_ALIGNED(virt_to_phys(t[i]),
							   SZ_1K));
			KUNIT_EXPECT_TRUE(test, core_all_zero(t[i], SZ_1K));
			memset(t[i], 0xff, SZ_1K);
		}
	}
	for (i = 0; i < ARRAY_SIZE(t); i++)
		io_pgtable_free_table(&cfg, NULL, t[i], SZ_1K, cache);
	kmem_cache_destroy(cache);
}

static void core_test_free_table_null(struct kunit *test)
{
	struct iopt_test_ctx *ctx = iopt_test_ctx_alloc(test);
	struct io_pgtable_cfg cfg = { .coherent_walk = true };

	iopt_test_use_allocator(&cfg);
	io_pgtable_free_table(&cfg, ctx, NULL, SZ_4K, NULL);
	KUNIT_EXPECT_EQ(test, ctx->frees, 0);
	KUNIT_EXPECT_EQ(test, ctx->bad_frees, 0);
}

static void core_test_tlb_helpers(struct kunit *test)
{
	struct iopt_test_ctx *ctx = iopt_test_ctx_alloc(test);
	static const struct iommu_flush_ops empty = {};
	struct iommu_iotlb_gather gather;
	struct io_pgtable iop = {};

	iop.cookie = ctx;
	/* no flush ops, or empty ones: nothing to call, nothing to crash */
	io_pgtable_tlb_flush_all(&iop);
	io_pgtable_tlb_flush_walk(&iop, 0, SZ_2M, SZ_4K);
	io_pgtable_tlb_add_page(&iop, NULL, 0, SZ_4K);
	iop.cfg.tlb = &empty;
	io_pgtable_tlb_flush_all(&iop);
	io_pgtable_tlb_flush_walk(&iop, 0, SZ_2M, SZ_4K);
	io_pgtable_tlb_add_page(&iop, NULL, 0, SZ_4K);
	KUNIT_EXPECT_EQ(test, ctx->nlog, 0);

	iop.cfg.tlb = &iopt_test_flush_ops;
	iommu_iotlb_gather_init(&gather);
	io_pgtable_tlb_flush_all(&iop);
	io_pgtable_tlb_flush_walk(&iop, SZ_1G, SZ_2M, SZ_4K);
	io_pgtable_tlb_add_page(&iop, &gather, SZ_1G + SZ_8K, SZ_4K);
	KUNIT_EXPECT_EQ(test, ctx->flush_all, 1);
	KUNIT_EXPECT_EQ(test, ctx->flush_walk, 1);
	KUNIT_EXPECT_EQ(test, ctx->walk_iova, SZ_1G);
	KUNIT_EXPECT_EQ(test, ctx->walk_size, SZ_2M);
	KUNIT_EXPECT_EQ(test, ctx->walk_granule, SZ_4K);
	KUNIT_EXPECT_EQ(test, ctx->add_page, 1);
	KUNIT_EXPECT_EQ(test, ctx->page_iova, SZ_1G + SZ_8K);
	KUNIT_EXPECT_EQ(test, ctx->page_granule, SZ_4K);
	KUNIT_EXPECT_PTR_EQ(test, ctx->page_gather, &gather);
}

static struct kunit_case io_pgtable_core_test_cases[] = {
	KUNIT_CASE(core_test_bad_fmt),
	KUNIT_CASE(core_test_null_cfg),
	KUNIT_CASE(core_test_absent_fmt),
	KUNIT_CASE(core_test_unknown_quirk),
	KUNIT_CASE(core_test_alloc_without_free),
	KUNIT_CASE(core_test_free_without_alloc),
	KUNIT_CASE(core_test_custom_alloc_no_cap),
	KUNIT_CASE(core_test_noncoherent_needs_dev),
	KUNIT_CASE(core_test_free_null),
	KUNIT_CASE(core_test_flush_all_on_free),
	KUNIT_CASE(core_test_free_without_flush_ops),
	KUNIT_CASE(core_test_cfg_copied),
	KUNIT_CASE(core_test_failed_alloc_leaks_nothing),
	KUNIT_CASE(core_test_footprint),
	KUNIT_CASE_PARAM(core_test_alloc_table_default, core_size_gen_params),
	KUNIT_CASE_PARAM(core_test_alloc_table_custom, core_size_gen_params),
	KUNIT_CASE_PARAM(core_test_alloc_table_unzeroed, core_size_gen_params),
	KUNIT_CASE_PARAM(core_test_alloc_table_misaligned, core_size_gen_params),
	KUNIT_CASE_PARAM(core_test_alloc_table_fail, core_size_gen_params),
	KUNIT_CASE(core_test_alloc_table_limit),
	KUNIT_CASE(core_test_alloc_table_cache),
	KUNIT_CASE(core_test_free_table_null),
	KUNIT_CASE(core_test_tlb_helpers),
	{}
};

static struct kunit_suite io_pgtable_core_test_suite = {
	.name = "io-pgtable",
	.test_cases = io_pgtable_core_test_cases,
};

kunit_test_suites(&io_pgtable_core_test_suite);

MODULE_DESCRIPTION("KUnit tests for the io-pgtable core");
MODULE_LICENSE("GPL");
