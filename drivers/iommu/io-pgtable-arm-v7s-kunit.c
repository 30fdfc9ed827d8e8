// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests for the ARMv7 short-descriptor io-pgtable format.
 *
 * Every translation is checked through the reference walker of
 * io-pgtable-arm-v7s-ref.h, which decodes raw table memory by the
 * architecture's rules, against a shadow of what the test mapped; every
 * descriptor the tests look at bit by bit is spelt out here as a literal,
 * not computed with the format's own macros.
 */

#include <kunit/test.h>
#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/dma-mapping.h>
#include <linux/gfp.h>
#include <linux/io-pgtable.h>
#include <linux/kernel.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/sizes.h>
#include <linux/slab.h>

#include "io-pgtable-arm-v7s-ref.h"
#include "io-pgtable-kunit-helpers.h"

#define V7S_PGSIZES	(SZ_4K | SZ_64K | SZ_1M | SZ_16M)
#define V7S_4G		BIT_ULL(32)
#define V7S_LOW_GFP	(IS_ENABLED(CONFIG_ZONE_DMA32) ? GFP_DMA32 : GFP_DMA)

/**
 * struct v7s_test - one set of tables under test
 * @test:  The test.
 * @ctx:   The cookie: TLB recorder and allocator bookkeeping.
 * @cfg:   The configuration as alloc_io_pgtable_ops() completed it.
 * @ops:   The tables.
 * @ref:   The reference walker, set up from @cfg's TTBR alone.
 * @shadow: What the test believes is mapped.
 */
struct v7s_test {
	struct kunit		*test;
	struct iopt_test_ctx	*ctx;
	struct io_pgtable_cfg	cfg;
	struct io_pgtable_ops	*ops;
	struct v7s_ref		ref;
	struct iopt_shadow	shadow;
};

static void v7s_cfg_init(struct io_pgtable_cfg *cfg, unsigned long quirks)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->quirks = quirks;
	cfg->pgsize_bitmap = V7S_PGSIZES;
	cfg->ias = 32;
	cfg->oas = 32;
	cfg->coherent_walk = true;
	cfg->tlb = &iopt_test_flush_ops;
	if (quirks & IO_PGTABLE_QUIRK_ARM_MTK_EXT) {
		cfg->ias = 32;
		cfg->oas = 35;
	}
}

/*
 * A custom allocator whose memory always sits below 4 GiB (pages from the
 * DMA32 zone), with the same bookkeeping, failure and misalignment knobs
 * as iopt_test_alloc(), whose kmalloc() memory may sit anywhere.
 */
static void *v7s_low_alloc(void *cookie, size_t size, gfp_t gfp)
{
	struct iopt_test_ctx *ctx = iopt_test_cookie(cookie);
	unsigned int order;
	unsigned long addr;
	bool misalign;
	void *table;

	if (!iopt_test_alloc_admit(ctx, &misalign))
		return NULL;

	order = get_order(misalign ? 2 * size : size);
	gfp &= ~(__GFP_DMA | __GFP_DMA32 | __GFP_HIGHMEM);
	addr = __get_free_pages(gfp | V7S_LOW_GFP | __GFP_ZERO, order);
	if (!addr)
		return NULL;
	table = (void *)addr + (misalign ? size / 2 : 0);

	if (!iopt_test_alloc_record(ctx, (void *)addr, table, size)) {
		free_pages(addr, order);
		return NULL;
	}
	return table;
}

static void v7s_low_free(void *cookie, void *table, size_t size)
{
	void *base = iopt_test_free_record(iopt_test_cookie(cookie), table,
					   size);

	if (base)
		free_pages((unsigned long)base,
			   get_order(table == base ? size : 2 * size));
}

static void v7s_use_low_allocator(struct io_pgtable_cfg *cfg)
{
	cfg->alloc = v7s_low_alloc;
	cfg->free = v7s_low_free;
}

/* Allocate tables for @t->cfg; the walker learns the PGD from the TTBR. */
static void v7s_alloc(struct v7s_test *t)
{
	bool mtk = t->cfg.quirks & IO_PGTABLE_QUIRK_ARM_MTK_EXT;

	t->ops = alloc_io_pgtable_ops(ARM_V7S, &t->cfg, t->ctx);
	KUNIT_ASSERT_NOT_NULL(t->test, t->ops);
	t->ref.ias = t->cfg.ias;
	t->ref.mtk = mtk;
	t->ref.mtk_table = t->cfg.quirks & IO_PGTABLE_QUIRK_ARM_MTK_TTBR_EXT;
	t->ref.pgd = v7s_ref_ttbr_base(t->cfg.arm_v7s_cfg.ttbr, t->cfg.ias,
				       mtk);
	t->ref.read = NULL;
}

static struct v7s_test *v7s_new(struct kunit *test, unsigned long quirks)
{
	struct v7s_test *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, t);
	t->test = test;
	t->ctx = iopt_test_ctx_alloc(test);
	iopt_shadow_init(test, &t->shadow, 256);
	v7s_cfg_init(&t->cfg, quirks);
	return t;
}

/* Quirks, defaults, and tables allocated. */
static struct v7s_test *v7s_setup(struct kunit *test, unsigned long quirks)
{
	struct v7s_test *t = v7s_new(test, quirks);

	v7s_alloc(t);
	return t;
}

/* The same, with tables from below 4 GiB that any walker can reach. */
static struct v7s_test *v7s_setup_low(struct kunit *test,
				      unsigned long quirks)
{
	struct v7s_test *t = v7s_new(test, quirks);

	v7s_use_low_allocator(&t->cfg);
	v7s_alloc(t);
	return t;
}

static void v7s_free(struct v7s_test *t)
{
	free_io_pgtable_ops(t->ops);
	t->ops = NULL;
}

static int v7s_map(struct v7s_test *t, u64 iova, u64 pa, size_t pgsize,
		   size_t pgcount, int prot, size_t *mapped)
{
	*mapped = 0;
	return t->ops->map_pages(t->ops, iova, pa, pgsize, pgcount, prot,
				 GFP_KERNEL, mapped);
}

/* Map, expect success, and remember it in the shadow. */
static void v7s_map_ok(struct v7s_test *t, u64 iova, u64 pa, size_t pgsize,
		       size_t pgcount, int prot)
{
	size_t mapped;
	int ret = v7s_map(t, iova, pa, pgsize, pgcount, prot, &mapped);

	KUNIT_ASSERT_EQ_MSG(t->test, ret, 0, "map %#llx -> %#llx (%zx x %zu)",
			    iova, pa, pgsize, pgcount);
	KUNIT_ASSERT_EQ(t->test, mapped, pgsize * pgcount);
	KUNIT_ASSERT_TRUE(t->test, iopt_shadow_add(&t->shadow, iova, pa,
						   pgsize * pgcount, pgsize,
						   prot));
}

/* Unmap with a gather of its own, as the IOMMU core does. */
static size_t v7s_unmap(struct v7s_test *t, u64 iova, size_t pgsize,
			size_t pgcount)
{
	struct iommu_iotlb_gather gather;

	iommu_iotlb_gather_init(&gather);
	return t->ops->unmap_pages(t->ops, iova, pgsize, pgcount, &gather);
}

static void v7s_unmap_ok(struct v7s_test *t, u64 iova, size_t pgsize,
			 size_t pgcount)
{
	KUNIT_ASSERT_EQ(t->test, v7s_unmap(t, iova, pgsize, pgcount),
			pgsize * pgcount);
	iopt_shadow_remove(&t->shadow, iova, pgsize * pgcount);
}

/* The descriptor the walker finds for @iova, 0 when it does not translate. */
static u32 v7s_leaf_desc(struct v7s_test *t, u64 iova)
{
	struct v7s_ref_leaf leaf;

	return v7s_ref_walk(&t->ref, iova, &leaf) ? leaf.desc : 0;
}

static u32 v7s_l1_desc(struct v7s_test *t, u64 iova)
{
	return v7s_ref_read_mem(NULL, t->ref.pgd + (iova >> 20) * 4);
}

/*
 * The shadow agrees with iova_to_phys() and the walker, the tables obey
 * the architecture's rules, and every table sits where its descriptor (or
 * the TTBR) can point: below 4 GiB unless @limit says otherwise.
 */
static void v7s_check_limit(struct v7s_test *t, u64 limit)
{
	struct v7s_ref_stats stats;

	iopt_shadow_check(t->test, &t->shadow, t->ops, v7s_ref_xlate, &t->ref);
	KUNIT_EXPECT_EQ(t->test, v7s_ref_check_tables(&t->ref, &stats), 0);
	KUNIT_EXPECT_LT(t->test, stats.highest_table, limit);
}

static void v7s_check(struct v7s_test *t)
{
	v7s_check_limit(t, V7S_4G);
}

/* Snapshot the level-1 table and every level-2 table. */
static void v7s_snapshot(struct v7s_test *t, struct iopt_snapshot *snap)
{
	unsigned int i, n = v7s_ref_l1_entries(&t->ref);
	u32 d;

	iopt_snapshot_init(t->test, snap, n + 1);
	iopt_snapshot_add(snap, t->ref.pgd, n * 4);
	for (i = 0; i < n; i++) {
		d = v7s_ref_read_mem(NULL, t->ref.pgd + i * 4);
		if ((d & V7S_REF_L1_TYPE) == V7S_REF_L1_PAGETABLE)
			iopt_snapshot_add(snap, v7s_ref_table_pa(&t->ref, d),
					  SZ_1K);
	}
}

/*
 * Configuration
 */

static void v7s_test_cfg_outputs_coherent(struct kunit *test)
{
	struct v7s_test *t = v7s_new(test, 0);

	t->cfg.pgsize_bitmap = V7S_PGSIZES | SZ_2M | SZ_8K | SZ_1G;
	v7s_use_low_allocator(&t->cfg);
	v7s_alloc(t);
	KUNIT_EXPECT_EQ(test, t->cfg.pgsize_bitmap, V7S_PGSIZES);
	/* S, NOS, inner and outer write-back write-allocate walks */
	KUNIT_EXPECT_EQ(test, t->cfg.arm_v7s_cfg.ttbr,
			(u32)virt_to_phys(t->ctx->first_table) | 0x6a);
	KUNIT_EXPECT_EQ(test, t->cfg.arm_v7s_cfg.tcr, 0);
	KUNIT_EXPECT_EQ(test, t->cfg.arm_v7s_cfg.prrr, 0x800b8204);
	KUNIT_EXPECT_EQ(test, t->cfg.arm_v7s_cfg.nmrr, 0x40004000);
	KUNIT_EXPECT_EQ(test, t->ctx->first_size, SZ_16K);
	v7s_free(t);
}

static void v7s_test_cfg_outputs_noncoherent(struct kunit *test)
{
	struct v7s_test *t = v7s_new(test, 0);

	t->cfg.coherent_walk = false;
	t->cfg.iommu_dev = iopt_test_dma_device(test);
	v7s_use_low_allocator(&t->cfg);
	v7s_alloc(t);
	/* Shareable, non-cacheable walks */
	KUNIT_EXPECT_EQ(test, t->cfg.arm_v7s_cfg.ttbr,
			(u32)virt_to_phys(t->ctx->first_table) | 0x2);
	KUNIT_EXPECT_EQ(test, t->cfg.arm_v7s_cfg.tcr, 0);
	KUNIT_EXPECT_EQ(test, t->cfg.arm_v7s_cfg.prrr, 0x800b8204);
	KUNIT_EXPECT_EQ(test, t->cfg.arm_v7s_cfg.nmrr, 0x40004000);
	v7s_free(t);
}

static void v7s_test_cfg_mtk_ttbr(struct kunit *test)
{
	struct v7s_test *t = v7s_new(test, IO_PGTABLE_QUIRK_ARM_MTK_EXT |
					   IO_PGTABLE_QUIRK_NO_PERMS |
					   IO_PGTABLE_QUIRK_ARM_NS);

	if (!IS_ENABLED(CONFIG_PHYS_ADDR_T_64BIT))
		kunit_skip(test, "MediaTek extension needs 64-bit phys_addr_t");
	v7s_use_low_allocator(&t->cfg);
	v7s_alloc(t);
	/* mtk_iommu writes the TTBR as is: the table address, nothing else */
	KUNIT_EXPECT_EQ(test, t->cfg.arm_v7s_cfg.ttbr,
			(u32)virt_to_phys(t->ctx->first_table));
	v7s_free(t);
}

static void v7s_test_refuse_quirks(struct kunit *test)
{
	static const unsigned long bad[] = {
		IO_PGTABLE_QUIRK_ARM_TTBR1, IO_PGTABLE_QUIRK_ARM_OUTER_WBWA,
		IO_PGTABLE_QUIRK_ARM_HD, IO_PGTABLE_QUIRK_ARM_S2FWB, BIT(2),
		BIT(20),
		/* FEAT_BBM is VMSAv8-64's: no such walker reads this format */
		IO_PGTABLE_QUIRK_ARM_BBML2,
		/* MediaTek's PA bits live where AP and XN would */
		IO_PGTABLE_QUIRK_ARM_MTK_EXT,
		/* the TTBR extension only exists with the PA extension */
		IO_PGTABLE_QUIRK_ARM_MTK_TTBR_EXT | IO_PGTABLE_QUIRK_NO_PERMS,
	};
	struct iopt_test_ctx *ctx = iopt_test_ctx_alloc(test);
	struct io_pgtable_cfg cfg;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		v7s_cfg_init(&cfg, bad[i]);
		KUNIT_EXPECT_NULL_MSG(test, alloc_io_pgtable_ops(ARM_V7S, &cfg,
								 ctx),
				      "quirks %#lx", bad[i]);
	}
}

static void v7s_test_refuse_sizes(struct kunit *test)
{
	static const struct { unsigned long quirks; unsigned int ias, oas; }
	bad[] = {
		{ 0, 33, 32 }, { 0, 32, 33 }, { 0, 0, 32 }, { 0, 32, 0 },
		{ 0, 48, 48 },
		{ IO_PGTABLE_QUIRK_ARM_MTK_EXT | IO_PGTABLE_QUIRK_NO_PERMS,
		  35, 35 },
		{ IO_PGTABLE_QUIRK_ARM_MTK_EXT | IO_PGTABLE_QUIRK_NO_PERMS,
		  34, 36 },
	};
	struct iopt_test_ctx *ctx = iopt_test_ctx_alloc(test);
	struct io_pgtable_cfg cfg;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		v7s_cfg_init(&cfg, bad[i].quirks);
		cfg.ias = bad[i].ias;
		cfg.oas = bad[i].oas;
		KUNIT_EXPECT_NULL_MSG(test, alloc_io_pgtable_ops(ARM_V7S, &cfg,
								 ctx),
				      "ias %u oas %u", cfg.ias, cfg.oas);
	}
	v7s_cfg_init(&cfg, 0);
	cfg.pgsize_bitmap = SZ_2M | SZ_1G | SZ_8K;
	KUNIT_EXPECT_NULL(test, alloc_io_pgtable_ops(ARM_V7S, &cfg, ctx));
}

static void v7s_test_pgsize_subset(struct kunit *test)
{
	struct v7s_test *t = v7s_new(test, 0);
	size_t mapped;

	t->cfg.pgsize_bitmap = SZ_4K | SZ_1M;
	v7s_alloc(t);
	KUNIT_EXPECT_EQ(test, t->cfg.pgsize_bitmap, SZ_4K | SZ_1M);
	KUNIT_EXPECT_EQ(test, v7s_map(t, 0, 0, SZ_64K, 1, IOMMU_READ, &mapped),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, v7s_map(t, 0, 0, SZ_16M, 1, IOMMU_READ, &mapped),
			-EINVAL);
	v7s_map_ok(t, SZ_1M, SZ_1M, SZ_1M, 1, IOMMU_READ);
	v7s_check(t);
	v7s_free(t);
}

/* The level-1 table: 16 KiB, 32 or 64 KiB for MediaTek's wider IOVAs. */
static void v7s_test_pgd_sizes(struct kunit *test)
{
	static const struct { unsigned int ias; size_t size; } geo[] = {
		{ 32, SZ_16K }, { 33, SZ_32K }, { 34, SZ_64K },
	};
	unsigned int i;

	if (!IS_ENABLED(CONFIG_PHYS_ADDR_T_64BIT))
		kunit_skip(test, "MediaTek extension needs 64-bit phys_addr_t");
	for (i = 0; i < ARRAY_SIZE(geo); i++) {
		struct v7s_test *t = v7s_new(test, IO_PGTABLE_QUIRK_ARM_MTK_EXT |
						   IO_PGTABLE_QUIRK_NO_PERMS);

		t->cfg.ias = geo[i].ias;
		v7s_use_low_allocator(&t->cfg);
		v7s_alloc(t);
		KUNIT_EXPECT_EQ(test, t->ctx->first_size, geo[i].size);
		KUNIT_EXPECT_TRUE(test, IS_ALIGNED(virt_to_phys(t->ctx->first_table),
						   geo[i].size));
		KUNIT_EXPECT_EQ(test, t->ctx->allocs, 1);
		v7s_free(t);
		KUNIT_EXPECT_EQ(test, t->ctx->live, 0);
	}
}

/* Without a custom allocator: DMA32 pages and the DMA32 cache. */
static void v7s_test_default_tables_low(struct kunit *test)
{
	struct v7s_test *t = v7s_setup(test, 0);
	unsigned int i;

	KUNIT_EXPECT_TRUE(test, IS_ALIGNED(t->ref.pgd, SZ_16K));
	for (i = 0; i < 64; i++)
		v7s_map_ok(t, (u64)i * 61 * SZ_1M + i * SZ_4K,
			   0x80000000ULL + i * SZ_64K, SZ_4K, 3,
			   IOMMU_READ | IOMMU_WRITE);
	v7s_check(t);
	for (i = 0; i < 64; i++) {
		struct v7s_ref_leaf leaf;

		KUNIT_ASSERT_TRUE(test, v7s_ref_walk(&t->ref,
						     (u64)i * 61 * SZ_1M + i * SZ_4K,
						     &leaf));
		KUNIT_EXPECT_TRUE(test, IS_ALIGNED(leaf.l2_table, SZ_1K));
		KUNIT_EXPECT_LT(test, (u64)leaf.l2_table, V7S_4G);
	}
	v7s_free(t);
}

/* 17 KiB of tables for one page: the level-1 table and one level-2. */
static void v7s_test_memory_one_page(struct kunit *test)
{
	struct v7s_test *t = v7s_setup_low(test, 0);

	v7s_map_ok(t, 0x12345000, 0x54321000, SZ_4K, 1, IOMMU_READ);
	KUNIT_EXPECT_EQ(test, t->ctx->live_bytes, SZ_16K + SZ_1K);
	KUNIT_EXPECT_EQ(test, t->ctx->allocs, 2);
	v7s_map_ok(t, 0x12346000, 0x54322000, SZ_4K, 255 - 0x45,
		   IOMMU_READ);
	KUNIT_EXPECT_EQ(test, t->ctx->live_bytes, SZ_16K + SZ_1K);
	v7s_check(t);
	v7s_free(t);
	KUNIT_EXPECT_EQ(test, t->ctx->live, 0);
}

/*
 * Descriptors, bit by bit
 */

static const int v7s_prots[] = {
	IOMMU_READ,
	IOMMU_WRITE,
	IOMMU_READ | IOMMU_WRITE,
	IOMMU_READ | IOMMU_WRITE | IOMMU_CACHE,
	IOMMU_READ | IOMMU_NOEXEC,
	IOMMU_READ | IOMMU_WRITE | IOMMU_PRIV,
	IOMMU_READ | IOMMU_WRITE | IOMMU_MMIO,
	IOMMU_READ | IOMMU_WRITE | IOMMU_CACHE | IOMMU_NOEXEC | IOMMU_PRIV,
};

/*
 * Attribute bits for each of v7s_prots, by the ARMv7 VMSA: nG and S always;
 * TEX[0] for normal memory; AP[0] (access flag), AP[1] unless PRIV, AP[2]
 * unless WRITE; C|B for CACHE, B alone for MMIO; XN for NOEXEC.
 */
static const u32 v7s_small_attrs[] = {
	0xe72, 0xc72, 0xc72, 0xc7e, 0xe73, 0xc52, 0xc36, 0xc5f,
};

static const u32 v7s_large_attrs[] = {
	0x1e31, 0x1c31, 0x1c31, 0x1c3d, 0x9e31, 0x1c11, 0xc35, 0x9c1d,
};

static const u32 v7s_section_attrs[] = {
	0x39c02, 0x31c02, 0x31c02, 0x31c0e, 0x39c12, 0x31402, 0x30c06, 0x3141e,
};

#define V7S_SUPERSECTION	0x40000
#define V7S_SECTION_NS		0x80000
#define V7S_TABLE_NS		0x8

static void v7s_check_prots(struct kunit *test, size_t pgsize,
			    const u32 *attrs, u32 extra, unsigned long quirks)
{
	unsigned int i, copies = pgsize == SZ_64K || pgsize == SZ_16M ? 16 : 1;
	u64 iova, pa;

	for (i = 0; i < ARRAY_SIZE(v7s_prots); i++) {
		struct v7s_test *t = v7s_setup(test, quirks);
		struct v7s_ref_leaf leaf;
		unsigned int j;

		iova = 0x40000000ULL + i * (u64)SZ_16M * 2;
		pa = 0xa0000000ULL + i * (u64)SZ_16M;
		v7s_map_ok(t, iova, pa, pgsize, 1, v7s_prots[i]);
		v7s_check(t);
		for (j = 0; j < copies; j++) {
			u64 at = iova + j * (pgsize / copies);

			KUNIT_ASSERT_TRUE(test, v7s_ref_walk(&t->ref, at, &leaf));
			KUNIT_EXPECT_EQ_MSG(test, leaf.desc,
					    (u32)pa | attrs[i] | extra,
					    "pgsize %zx prot %#x copy %u",
					    pgsize, v7s_prots[i], j);
			KUNIT_EXPECT_EQ(test, leaf.size, (u64)pgsize);
		}
		v7s_free(t);
	}
}

static void v7s_test_prot_small(struct kunit *test)
{
	v7s_check_prots(test, SZ_4K, v7s_small_attrs, 0, 0);
}

static void v7s_test_prot_large(struct kunit *test)
{
	v7s_check_prots(test, SZ_64K, v7s_large_attrs, 0, 0);
}

static void v7s_test_prot_section(struct kunit *test)
{
	v7s_check_prots(test, SZ_1M, v7s_section_attrs, 0, 0);
}

static void v7s_test_prot_supersection(struct kunit *test)
{
	v7s_check_prots(test, SZ_16M, v7s_section_attrs, V7S_SUPERSECTION, 0);
}

static void v7s_test_ns_sections(struct kunit *test)
{
	v7s_check_prots(test, SZ_1M, v7s_section_attrs, V7S_SECTION_NS,
			IO_PGTABLE_QUIRK_ARM_NS);
	v7s_check_prots(test, SZ_16M, v7s_section_attrs,
			V7S_SECTION_NS | V7S_SUPERSECTION,
			IO_PGTABLE_QUIRK_ARM_NS);
}

/* NS goes in the table descriptor; pages have no NS bit of their own. */
static void v7s_test_ns_tables(struct kunit *test)
{
	struct v7s_test *t = v7s_setup(test, IO_PGTABLE_QUIRK_ARM_NS);
	struct v7s_ref_leaf leaf;
	u32 l1;

	v7s_map_ok(t, 0x300000, 0x400000, SZ_4K, 1, IOMMU_READ | IOMMU_WRITE);
	v7s_map_ok(t, 0x310000, 0x410000, SZ_64K, 1, IOMMU_READ | IOMMU_WRITE);
	l1 = v7s_l1_desc(t, 0x300000);
	KUNIT_EXPECT_EQ(test, l1 & 0x3ff, 0x1 | V7S_TABLE_NS);
	KUNIT_ASSERT_TRUE(test, v7s_ref_walk(&t->ref, 0x300000, &leaf));
	KUNIT_EXPECT_TRUE(test, leaf.ns);
	KUNIT_EXPECT_EQ(test, leaf.desc, 0x400000 | 0xc72);
	KUNIT_EXPECT_EQ(test, v7s_leaf_desc(t, 0x310000), 0x410000 | 0x1c31);
	v7s_check(t);
	v7s_free(t);
}

static void v7s_test_table_desc(struct kunit *test)
{
	struct v7s_test *t = v7s_setup_low(test, 0);
	struct v7s_ref_leaf leaf;
	u32 l1;

	v7s_map_ok(t, 0x7ff000, 0x1000, SZ_4K, 1, IOMMU_READ);
	l1 = v7s_l1_desc(t, 0x7ff000);
	KUNIT_ASSERT_TRUE(test, v7s_ref_walk(&t->ref, 0x7ff000, &leaf));
	/* Base address of the level-2 table, type 0b01, nothing else */
	KUNIT_EXPECT_EQ(test, l1, (u32)leaf.l2_table | 0x1);
	KUNIT_EXPECT_NOT_NULL(test, iopt_test_alloc_find(t->ctx, leaf.l2_table));
	v7s_free(t);
}

/* NO_PERMS: full access, no AP, no XN, whatever prot says. */
static void v7s_test_no_perms(struct kunit *test)
{
	static const struct { size_t pgsize; u32 attrs; } want[] = {
		{ SZ_4K, 0xc42 }, { SZ_64K, 0x1c01 },
		{ SZ_1M, 0x31002 }, { SZ_16M, 0x71002 },
	};
	static const int prots[] = {
		IOMMU_READ, IOMMU_READ | IOMMU_WRITE | IOMMU_NOEXEC,
		IOMMU_WRITE | IOMMU_PRIV,
	};
	unsigned int i, p;

	for (p = 0; p < ARRAY_SIZE(prots); p++) {
		struct v7s_test *t = v7s_setup(test, IO_PGTABLE_QUIRK_NO_PERMS);

		for (i = 0; i < ARRAY_SIZE(want); i++) {
			u64 iova = (u64)(i + 1) * SZ_16M * 4;
			u64 pa = (u64)(i + 1) * SZ_16M * 8;

			v7s_map_ok(t, iova, pa, want[i].pgsize, 1, prots[p]);
			KUNIT_EXPECT_EQ_MSG(test, v7s_leaf_desc(t, iova),
					    (u32)pa | want[i].attrs,
					    "pgsize %zx prot %#x",
					    want[i].pgsize, prots[p]);
		}
		v7s_check(t);
		v7s_free(t);
	}
}

/* Offsets inside each leaf size come out of iova_to_phys and the walker. */
static void v7s_test_iova_to_phys_offsets(struct kunit *test)
{
	static const size_t sizes[] = { SZ_4K, SZ_64K, SZ_1M, SZ_16M };
	struct v7s_test *t = v7s_setup(test, 0);
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		u64 iova = (u64)(i + 1) * SZ_16M * 8;
		u64 pa = 0x10000000ULL * (i + 1) + sizes[i] * 3;
		u64 off;

		v7s_map_ok(t, iova, pa, sizes[i], 2, IOMMU_READ);
		for (off = 0; off < 2 * sizes[i]; off += sizes[i] / 4 + 0x123)
			KUNIT_EXPECT_EQ(test,
					(u64)t->ops->iova_to_phys(t->ops, iova + off),
					pa + off);
		KUNIT_EXPECT_EQ(test, t->ops->iova_to_phys(t->ops, iova - 1), 0);
		KUNIT_EXPECT_EQ(test,
				t->ops->iova_to_phys(t->ops, iova + 2 * sizes[i]),
				0);
	}
	KUNIT_EXPECT_EQ(test, t->ops->iova_to_phys(t->ops, 0), 0);
	if (BITS_PER_LONG == 64)
		KUNIT_EXPECT_EQ(test, t->ops->iova_to_phys(t->ops,
							   (unsigned long)V7S_4G),
				0);
	v7s_check(t);
	v7s_free(t);
}

/*
 * MediaTek: physical addresses above 4 GiB
 */

static void v7s_need_mtk(struct kunit *test)
{
	if (!IS_ENABLED(CONFIG_PHYS_ADDR_T_64BIT))
		kunit_skip(test, "MediaTek extension needs 64-bit phys_addr_t");
}

#define V7S_MTK_QUIRKS	(IO_PGTABLE_QUIRK_ARM_MTK_EXT | IO_PGTABLE_QUIRK_NO_PERMS)

static void v7s_check_mtk(struct kunit *test, size_t pgsize, u32 attrs)
{
	/* PA[34:32] = 1, 2, 4, 7, 0 -> bits 9, 4, 5 */
	static const struct { u64 hi; u32 bits; } hi[] = {
		{ 1, 0x200 }, { 2, 0x10 }, { 4, 0x20 }, { 7, 0x230 }, { 0, 0 },
	};
	struct v7s_test *t;
	unsigned int i;

	v7s_need_mtk(test);
	t = v7s_setup(test, V7S_MTK_QUIRKS);
	for (i = 0; i < ARRAY_SIZE(hi); i++) {
		u64 iova = (u64)(i + 1) * SZ_16M * 4;
		u64 pa = (hi[i].hi << 32) | 0x5f000000ULL;
		u64 at = iova + pgsize + 0x804;

		v7s_map_ok(t, iova, pa, pgsize, 2, IOMMU_READ | IOMMU_WRITE);
		KUNIT_EXPECT_EQ_MSG(test, v7s_leaf_desc(t, iova),
				    (u32)pa | attrs | hi[i].bits,
				    "pgsize %zx pa %#llx", pgsize, pa);
		KUNIT_EXPECT_EQ(test, (u64)t->ops->iova_to_phys(t->ops, at),
				pa + pgsize + 0x804);
	}
	v7s_check(t);
	v7s_free(t);
}

static void v7s_test_mtk_small(struct kunit *test)
{
	v7s_check_mtk(test, SZ_4K, 0xc42);
}

static void v7s_test_mtk_large(struct kunit *test)
{
	v7s_check_mtk(test, SZ_64K, 0x1c01);
}

static void v7s_test_mtk_section(struct kunit *test)
{
	v7s_check_mtk(test, SZ_1M, 0x31002);
}

static void v7s_test_mtk_supersection(struct kunit *test)
{
	v7s_check_mtk(test, SZ_16M, 0x71002);
}

/* A run of pages that crosses 4 GiB in PA carries the bit over. */
static void v7s_test_mtk_cross_4g(struct kunit *test)
{
	struct v7s_test *t;

	v7s_need_mtk(test);
	t = v7s_setup(test, V7S_MTK_QUIRKS);
	v7s_map_ok(t, 0x100000, V7S_4G - 2 * SZ_4K, SZ_4K, 4,
		   IOMMU_READ | IOMMU_WRITE);
	KUNIT_EXPECT_EQ(test, v7s_leaf_desc(t, 0x101000), 0xfffff000 | 0xc42);
	KUNIT_EXPECT_EQ(test, v7s_leaf_desc(t, 0x102000), 0x200 | 0xc42);
	v7s_check(t);
	v7s_free(t);
}

/* oas bounds the output; 4GB mode (oas 33) refuses PA bit 33. */
static void v7s_test_mtk_oas(struct kunit *test)
{
	struct v7s_test *t;
	size_t mapped;

	v7s_need_mtk(test);
	t = v7s_new(test, V7S_MTK_QUIRKS);
	t->cfg.oas = 33;
	v7s_alloc(t);
	KUNIT_EXPECT_EQ(test, v7s_map(t, 0, 1ULL << 33, SZ_4K, 1, IOMMU_READ,
				      &mapped), -ERANGE);
	KUNIT_EXPECT_EQ(test, v7s_map(t, 0, (1ULL << 33) - SZ_4K, SZ_4K, 2,
				      IOMMU_READ, &mapped), -ERANGE);
	KUNIT_EXPECT_EQ(test, mapped, 0);
	v7s_map_ok(t, 0, (1ULL << 33) - SZ_4K, SZ_4K, 1, IOMMU_READ);
	v7s_check(t);
	v7s_free(t);
}

/* ias 34: a 64 KiB level-1 table and IOVAs up to 16 GiB. */
static void v7s_test_mtk_ias34(struct kunit *test)
{
	struct v7s_test *t;
	size_t mapped;

	v7s_need_mtk(test);
	if (BITS_PER_LONG < 64)
		kunit_skip(test, "34-bit IOVAs need a 64-bit unsigned long");
	t = v7s_new(test, V7S_MTK_QUIRKS);
	t->cfg.ias = 34;
	v7s_alloc(t);
	KUNIT_EXPECT_TRUE(test, IS_ALIGNED(t->ref.pgd, SZ_64K));
	v7s_map_ok(t, 0x3fff00000ULL, 0x140000000ULL, SZ_4K, 256,
		   IOMMU_READ | IOMMU_WRITE);
	v7s_map_ok(t, 0x200000000ULL, 0x180000000ULL, SZ_16M, 1, IOMMU_READ);
	v7s_map_ok(t, 0x100000000ULL, 0x1000000ULL, SZ_1M, 3, IOMMU_READ);
	KUNIT_EXPECT_EQ(test, v7s_map(t, 0x400000000ULL, 0, SZ_4K, 1,
				      IOMMU_READ, &mapped), -ERANGE);
	KUNIT_EXPECT_EQ(test, v7s_map(t, 0x3fffff000ULL, 0, SZ_4K, 2,
				      IOMMU_READ, &mapped), -ERANGE);
	/* Index 0 of the wider table must not alias the 4 GiB windows */
	KUNIT_EXPECT_EQ(test, t->ops->iova_to_phys(t->ops, 0x0), 0);
	KUNIT_EXPECT_EQ(test, t->ops->iova_to_phys(t->ops, 0x300000000ULL), 0);
	v7s_check(t);
	v7s_unmap_ok(t, 0x3fff00000ULL, SZ_4K, 256);
	v7s_unmap_ok(t, 0x200000000ULL, SZ_16M, 1);
	v7s_check(t);
	v7s_free(t);
}

/*
 * The MediaTek TTBR extension: the level-1 table (and with it the level-2
 * tables, whose descriptors then carry PA[34:32]) may sit above 4 GiB.
 */
static void v7s_test_mtk_ttbr_ext_high(struct kunit *test)
{
	struct v7s_test *t;
	u64 pgd, l2;
	u32 l1;

	v7s_need_mtk(test);
	t = v7s_new(test, V7S_MTK_QUIRKS | IO_PGTABLE_QUIRK_ARM_MTK_TTBR_EXT);
	iopt_test_use_allocator(&t->cfg);
	t->ops = alloc_io_pgtable_ops(ARM_V7S, &t->cfg, t->ctx);
	if (!t->ops) {
		/* Refused only if the memory was beyond even 35 bits */
		int i = iopt_test_log_find(t->ctx, IOPT_TEST_EV_ALLOC, 0,
					   U64_MAX);

		KUNIT_ASSERT_GE(test, i, 0);
		KUNIT_EXPECT_GE(test, t->ctx->log[i].addr, BIT_ULL(35));
		KUNIT_EXPECT_EQ(test, t->ctx->live, 0);
		/* Go on with memory below 4 GiB: the encoding still holds */
		t->ctx = iopt_test_ctx_alloc(test);
		v7s_cfg_init(&t->cfg, V7S_MTK_QUIRKS |
				      IO_PGTABLE_QUIRK_ARM_MTK_TTBR_EXT);
		v7s_use_low_allocator(&t->cfg);
	} else {
		/* A fresh record, so that first_table is the new level-1 table */
		free_io_pgtable_ops(t->ops);
		KUNIT_EXPECT_EQ(test, t->ctx->live, 0);
		t->ctx = iopt_test_ctx_alloc(test);
		v7s_cfg_init(&t->cfg, V7S_MTK_QUIRKS |
				      IO_PGTABLE_QUIRK_ARM_MTK_TTBR_EXT);
		iopt_test_use_allocator(&t->cfg);
	}
	v7s_alloc(t);
	pgd = virt_to_phys(t->ctx->first_table);
	KUNIT_EXPECT_EQ(test, t->cfg.arm_v7s_cfg.ttbr,
			(u32)pgd | (u32)(pgd >> 32));
	KUNIT_EXPECT_EQ(test, (u64)t->ref.pgd, pgd);
	v7s_map_ok(t, 0x1000, 0x123456000ULL, SZ_4K, 1, IOMMU_READ);
	l1 = v7s_l1_desc(t, 0x1000);
	l2 = v7s_ref_table_pa(&t->ref, l1);
	KUNIT_EXPECT_NOT_NULL(test, iopt_test_alloc_find(t->ctx, l2));
	KUNIT_EXPECT_EQ(test, l1 & 0x3, 0x1);
	v7s_check_limit(t, 1ULL << 35);
	v7s_free(t);
	KUNIT_EXPECT_EQ(test, t->ctx->live, 0);
}

/* Without the TTBR extension, the same high memory is refused. */
static void v7s_test_high_tables_refused(struct kunit *test)
{
	struct iopt_test_ctx *ctx = iopt_test_ctx_alloc(test);
	struct io_pgtable_ops *ops;
	struct io_pgtable_cfg cfg;
	size_t mapped = 0;
	u64 pa;

	v7s_cfg_init(&cfg, 0);
	iopt_test_use_allocator(&cfg);
	ops = alloc_io_pgtable_ops(ARM_V7S, &cfg, ctx);
	if (ops) {
		pa = virt_to_phys(ctx->first_table);
		free_io_pgtable_ops(ops);
		KUNIT_EXPECT_LT(test, pa, V7S_4G);
		KUNIT_EXPECT_EQ(test, ctx->live, 0);
		kunit_skip(test, "kmalloc() gave memory below 4 GiB");
	}
	/* Refused, given back, nothing leaked */
	KUNIT_EXPECT_EQ(test, ctx->alloc_calls, 1);
	KUNIT_EXPECT_EQ(test, ctx->live, 0);
	KUNIT_EXPECT_EQ(test, ctx->bad_frees, 0);

	/* A low level-1 table, then high level-2 tables: -ENOMEM, no leak */
	ctx = iopt_test_ctx_alloc(test);
	v7s_cfg_init(&cfg, 0);
	cfg.alloc = v7s_low_alloc;
	cfg.free = iopt_test_free;
	ops = alloc_io_pgtable_ops(ARM_V7S, &cfg, ctx);
	KUNIT_ASSERT_NOT_NULL(test, ops);
	/* From now on the hook must hand out kmalloc() memory */
	cfg.alloc = iopt_test_alloc;
	io_pgtable_ops_to_pgtable(ops)->cfg.alloc = iopt_test_alloc;
	KUNIT_EXPECT_EQ(test, ops->map_pages(ops, 0, 0, SZ_4K, 1, IOMMU_READ,
					     GFP_KERNEL, &mapped), -ENOMEM);
	KUNIT_EXPECT_EQ(test, mapped, 0);
	KUNIT_EXPECT_EQ(test, ops->iova_to_phys(ops, 0), 0);
	KUNIT_EXPECT_EQ(test, ctx->live, 1);
	/* The level-1 table came from pages: give it back the same way */
	io_pgtable_ops_to_pgtable(ops)->cfg.free = v7s_low_free;
	free_io_pgtable_ops(ops);
	KUNIT_EXPECT_EQ(test, ctx->live, 0);
	KUNIT_EXPECT_EQ(test, ctx->bad_frees, 0);
}

/*
 * Bad input
 */

static void v7s_test_einval(struct kunit *test)
{
	static const struct {
		u64 iova, pa; size_t pgsize, count; int prot;
	} bad[] = {
		{ 0x1800, 0x2000, SZ_4K, 1, IOMMU_READ },
		{ 0x2000, 0x1800, SZ_4K, 1, IOMMU_READ },
		{ 0x1000, 0x10000, SZ_64K, 1, IOMMU_READ },
		{ 0x100000, 0x80000, SZ_1M, 1, IOMMU_READ },
		{ 0x100000, 0x1000000, SZ_16M, 1, IOMMU_READ },
		{ 0x0, 0x0, SZ_8K, 1, IOMMU_READ },
		{ 0x0, 0x0, SZ_2M, 1, IOMMU_READ },
		{ 0x0, 0x0, SZ_4K | SZ_64K, 1, IOMMU_READ },
		{ 0x0, 0x0, 0, 1, IOMMU_READ },
		{ 0x0, 0x0, SZ_4K, 0, IOMMU_READ },
		{ 0x0, 0x0, SZ_4K, 1, 0 },
		{ 0x0, 0x0, SZ_4K, 1, IOMMU_CACHE | IOMMU_NOEXEC },
	};
	struct v7s_test *t = v7s_setup(test, 0);
	struct iopt_snapshot before, after;
	unsigned int i;
	size_t mapped;

	v7s_map_ok(t, 0x800000, 0x800000, SZ_4K, 1, IOMMU_READ);
	v7s_snapshot(t, &before);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		KUNIT_EXPECT_EQ_MSG(test, v7s_map(t, bad[i].iova, bad[i].pa,
						  bad[i].pgsize, bad[i].count,
						  bad[i].prot, &mapped),
				    -EINVAL, "case %u", i);
		KUNIT_EXPECT_EQ(test, mapped, 0);
	}
	v7s_snapshot(t, &after);
	iopt_snapshot_expect_equal(test, &before, &after);
	v7s_check(t);
	v7s_free(t);
}

static void v7s_test_erange(struct kunit *test)
{
	struct iopt_snapshot before, after;
	struct v7s_test *t;
	size_t mapped;

	t = v7s_new(test, 0);
	t->cfg.oas = 30;
	v7s_alloc(t);
	v7s_snapshot(t, &before);
	KUNIT_EXPECT_EQ(test, v7s_map(t, 0, 1ULL << 30, SZ_4K, 1, IOMMU_READ,
				      &mapped), -ERANGE);
	KUNIT_EXPECT_EQ(test, v7s_map(t, 0, (1ULL << 30) - SZ_1M, SZ_1M, 2,
				      IOMMU_READ, &mapped), -ERANGE);
	KUNIT_EXPECT_EQ(test, v7s_map(t, 0xffff0000UL, 0, SZ_4K, 17,
				      IOMMU_READ, &mapped), -ERANGE);
	KUNIT_EXPECT_EQ(test, v7s_map(t, 0xff000000UL, 0, SZ_16M, 2,
				      IOMMU_READ, &mapped), -ERANGE);
	KUNIT_EXPECT_EQ(test, v7s_map(t, 0, 0, SZ_4K, SIZE_MAX, IOMMU_READ,
				      &mapped), -ERANGE);
	if (BITS_PER_LONG == 64)
		KUNIT_EXPECT_EQ(test, v7s_map(t, (unsigned long)V7S_4G, 0, SZ_4K,
					      1, IOMMU_READ, &mapped), -ERANGE);
	KUNIT_EXPECT_EQ(test, mapped, 0);
	v7s_snapshot(t, &after);
	iopt_snapshot_expect_equal(test, &before, &after);
	/* The last page of the IOVA space is fine */
	v7s_map_ok(t, 0xfffff000UL, (1ULL << 30) - SZ_4K, SZ_4K, 1, IOMMU_READ);
	v7s_check(t);
	v7s_free(t);
}

static void v7s_test_eexist_same(struct kunit *test)
{
	static const size_t sizes[] = { SZ_4K, SZ_64K, SZ_1M, SZ_16M };
	struct v7s_test *t = v7s_setup(test, IO_PGTABLE_QUIRK_NO_WARN);
	struct iopt_snapshot before, after;
	unsigned int i;
	size_t mapped;

	for (i = 0; i < ARRAY_SIZE(sizes); i++)
		v7s_map_ok(t, (u64)(i + 1) * SZ_32M, (u64)(i + 1) * SZ_32M,
			   sizes[i], 1, IOMMU_READ);
	v7s_snapshot(t, &before);
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		KUNIT_EXPECT_EQ(test, v7s_map(t, (u64)(i + 1) * SZ_32M, 0,
					      sizes[i], 1, IOMMU_WRITE, &mapped),
				-EEXIST);
		KUNIT_EXPECT_EQ(test, mapped, 0);
	}
	v7s_snapshot(t, &after);
	iopt_snapshot_expect_equal(test, &before, &after);
	v7s_check(t);
	v7s_free(t);
}

/* Every size over every other: small inside large, section over pages... */
static void v7s_test_eexist_mixed(struct kunit *test)
{
	static const size_t sizes[] = { SZ_4K, SZ_64K, SZ_1M, SZ_16M };
	const u64 probe = SZ_64M + 0x951000;
	unsigned int a, b;
	size_t mapped;

	for (a = 0; a < ARRAY_SIZE(sizes); a++) {
		struct v7s_test *t = v7s_setup(test, IO_PGTABLE_QUIRK_NO_WARN);
		struct iopt_snapshot before, after;

		/* Both the old and the new mapping hold @probe */
		v7s_map_ok(t, ALIGN_DOWN(probe, sizes[a]), 0, sizes[a], 1,
			   IOMMU_READ);
		v7s_snapshot(t, &before);
		for (b = 0; b < ARRAY_SIZE(sizes); b++)
			KUNIT_EXPECT_EQ_MSG(test,
					    v7s_map(t, ALIGN_DOWN(probe, sizes[b]),
						    0, sizes[b], 1, IOMMU_READ,
						    &mapped),
					    -EEXIST, "%zx over %zx", sizes[b],
					    sizes[a]);
		v7s_snapshot(t, &after);
		iopt_snapshot_expect_equal(test, &before, &after);
		v7s_check(t);
		v7s_free(t);
	}
}

/* A long range that meets a mapping near its end changes nothing at all. */
static void v7s_test_eexist_atomic_range(struct kunit *test)
{
	struct v7s_test *t = v7s_setup_low(test, IO_PGTABLE_QUIRK_NO_WARN);
	struct iopt_snapshot before, after;
	unsigned int allocs;
	size_t mapped;

	v7s_map_ok(t, 0x2345000, 0x1000, SZ_4K, 1, IOMMU_READ);
	v7s_snapshot(t, &before);
	allocs = t->ctx->alloc_calls;
	/* Six level-2 tables' worth, five of them absent */
	KUNIT_EXPECT_EQ(test, v7s_map(t, 0x2000000 - 0x200000, 0x0, SZ_4K,
				      0x600, IOMMU_READ, &mapped), -EEXIST);
	KUNIT_EXPECT_EQ(test, mapped, 0);
	KUNIT_EXPECT_EQ(test, t->ctx->alloc_calls, allocs);
	KUNIT_EXPECT_EQ(test, v7s_map(t, 0x2000000, 0x0, SZ_64K, 0x40,
				      IOMMU_READ, &mapped), -EEXIST);
	KUNIT_EXPECT_EQ(test, v7s_map(t, 0x0, 0x0, SZ_1M, 0x30, IOMMU_READ,
				      &mapped), -EEXIST);
	v7s_snapshot(t, &after);
	iopt_snapshot_expect_equal(test, &before, &after);
	v7s_check(t);
	v7s_free(t);
	KUNIT_EXPECT_EQ(test, t->ctx->live, 0);
}

/*
 * Mapping across tables, and table reuse
 */

static void v7s_test_map_across_tables(struct kunit *test)
{
	struct v7s_test *t = v7s_setup(test, 0);

	v7s_map_ok(t, 0x1ff000, 0x7ff000, SZ_4K, 600, IOMMU_READ | IOMMU_WRITE);
	v7s_map_ok(t, 0x4f0000, 0x20000000, SZ_64K, 40, IOMMU_READ);
	v7s_map_ok(t, 0x10000000, 0x30000000, SZ_1M, 100, IOMMU_WRITE);
	v7s_map_ok(t, 0x20000000, 0x40000000, SZ_16M, 5, IOMMU_READ);
	v7s_check(t);
	KUNIT_EXPECT_EQ(test, v7s_leaf_desc(t, 0x200000), 0x800000 | 0xc72);
	KUNIT_EXPECT_EQ(test, v7s_leaf_desc(t, 0x5f0000),
			0x20100000 | 0x1e31);
	v7s_free(t);
}

/* A section may replace a level-2 table that unmaps left empty. */
static void v7s_test_section_over_empty_table(struct kunit *test)
{
	struct v7s_test *t = v7s_setup_low(test, 0);
	int walk, freed;

	v7s_map_ok(t, 0x500000, 0x1000, SZ_4K, 1, IOMMU_READ);
	v7s_unmap_ok(t, 0x500000, SZ_4K, 1);
	KUNIT_EXPECT_EQ(test, t->ctx->live, 2);
	iopt_test_reset_flushes(t->ctx);
	v7s_map_ok(t, 0x500000, 0x100000, SZ_1M, 1, IOMMU_READ);
	KUNIT_EXPECT_EQ(test, t->ctx->live, 1);
	walk = iopt_test_log_find(t->ctx, IOPT_TEST_EV_FLUSH_WALK, 0, 0x500000);
	freed = iopt_test_log_find(t->ctx, IOPT_TEST_EV_FREE, 0, U64_MAX);
	KUNIT_EXPECT_GE(test, walk, 0);
	KUNIT_EXPECT_GT(test, freed, walk);
	v7s_check(t);
	v7s_free(t);
	KUNIT_EXPECT_EQ(test, t->ctx->live, 0);
}

/*
 * Allocation failures and custom allocators
 */

static void v7s_test_enomem_partial(struct kunit *test)
{
	struct v7s_test *t = v7s_setup_low(test, 0);
	size_t mapped;

	/* The level-1 table, then one level-2 table, then nothing */
	t->ctx->fail_after = 2;
	KUNIT_EXPECT_EQ(test, v7s_map(t, 0x1000000, 0x1000000, SZ_4K, 512,
				      IOMMU_READ, &mapped), -ENOMEM);
	KUNIT_EXPECT_EQ(test, mapped, SZ_1M);
	iopt_shadow_add(&t->shadow, 0x1000000, 0x1000000, SZ_1M, SZ_4K,
			IOMMU_READ);
	KUNIT_EXPECT_EQ(test, t->ops->iova_to_phys(t->ops, 0x1100000), 0);
	v7s_check(t);
	/* mapped only grows: a second failure adds nothing */
	KUNIT_EXPECT_EQ(test, t->ops->map_pages(t->ops, 0x1100000, 0, SZ_64K, 1,
						IOMMU_READ, GFP_KERNEL,
						&mapped), -ENOMEM);
	KUNIT_EXPECT_EQ(test, mapped, SZ_1M);
	/* Sections need no table */
	v7s_map_ok(t, 0x1200000, 0x1200000, SZ_1M, 2, IOMMU_READ);
	v7s_check(t);
	v7s_free(t);
	KUNIT_EXPECT_EQ(test, t->ctx->live, 0);
	KUNIT_EXPECT_EQ(test, t->ctx->bad_frees, 0);
}

static void v7s_test_enomem_pgd(struct kunit *test)
{
	struct iopt_test_ctx *ctx = iopt_test_ctx_alloc(test);
	struct io_pgtable_cfg cfg;

	v7s_cfg_init(&cfg, 0);
	v7s_use_low_allocator(&cfg);
	ctx->fail_after = 0;
	KUNIT_EXPECT_NULL(test, alloc_io_pgtable_ops(ARM_V7S, &cfg, ctx));
	KUNIT_EXPECT_EQ(test, ctx->alloc_calls, 1);
	KUNIT_EXPECT_EQ(test, ctx->live, 0);
}

/* Every table through the hooks, each freed once with its size. */
static void v7s_test_custom_alloc_all(struct kunit *test)
{
	struct v7s_test *t = v7s_setup_low(test, 0);
	unsigned int i;

	KUNIT_EXPECT_EQ(test, t->ctx->first_size, SZ_16K);
	for (i = 0; i < 10; i++)
		v7s_map_ok(t, (u64)i * 3 * SZ_1M, (u64)i * SZ_1M, SZ_4K, 1,
			   IOMMU_READ);
	KUNIT_EXPECT_EQ(test, t->ctx->allocs, 11);
	KUNIT_EXPECT_EQ(test, t->ctx->live_bytes, SZ_16K + 10 * SZ_1K);
	v7s_check(t);
	for (i = 0; i < 10; i++) {
		struct v7s_ref_leaf leaf;

		KUNIT_ASSERT_TRUE(test, v7s_ref_walk(&t->ref, (u64)i * 3 * SZ_1M,
						     &leaf));
		KUNIT_EXPECT_NOT_NULL(test, iopt_test_alloc_find(t->ctx,
								 leaf.l2_table));
	}
	v7s_free(t);
	KUNIT_EXPECT_EQ(test, t->ctx->frees, 11);
	KUNIT_EXPECT_EQ(test, t->ctx->live, 0);
	KUNIT_EXPECT_EQ(test, t->ctx->bad_frees, 0);
	KUNIT_EXPECT_EQ(test, t->ctx->flush_all, 1);
}

static void v7s_test_custom_alloc_misaligned(struct kunit *test)
{
	struct iopt_test_ctx *ctx = iopt_test_ctx_alloc(test);
	struct io_pgtable_cfg cfg;
	struct v7s_test *t;
	size_t mapped;

	/* A misaligned level-1 table: no tables at all */
	v7s_cfg_init(&cfg, 0);
	v7s_use_low_allocator(&cfg);
	ctx->misalign_after = 0;
	KUNIT_EXPECT_NULL(test, alloc_io_pgtable_ops(ARM_V7S, &cfg, ctx));
	KUNIT_EXPECT_EQ(test, ctx->live, 0);
	KUNIT_EXPECT_EQ(test, ctx->bad_frees, 0);

	/* A misaligned level-2 table: -ENOMEM, nothing mapped or leaked */
	t = v7s_setup_low(test, 0);
	t->ctx->misalign_after = 1;
	KUNIT_EXPECT_EQ(test, v7s_map(t, 0x3000, 0x3000, SZ_4K, 1, IOMMU_READ,
				      &mapped), -ENOMEM);
	KUNIT_EXPECT_EQ(test, mapped, 0);
	KUNIT_EXPECT_EQ(test, t->ctx->live, 1);
	KUNIT_EXPECT_EQ(test, v7s_l1_desc(t, 0x3000), 0);
	v7s_check(t);
	v7s_free(t);
	KUNIT_EXPECT_EQ(test, t->ctx->live, 0);
	KUNIT_EXPECT_EQ(test, t->ctx->bad_frees, 0);
}

/*
 * Unmap
 */

static void v7s_test_unmap_each_size(struct kunit *test)
{
	static const size_t sizes[] = { SZ_4K, SZ_64K, SZ_1M, SZ_16M };
	struct v7s_test *t = v7s_setup(test, 0);
	struct iommu_iotlb_gather gather;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(sizes); i++)
		v7s_map_ok(t, (u64)(i + 1) * SZ_32M, SZ_32M, sizes[i], 2,
			   IOMMU_READ);
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		u64 iova = (u64)(i + 1) * SZ_32M;

		iommu_iotlb_gather_init(&gather);
		iopt_test_reset_flushes(t->ctx);
		KUNIT_EXPECT_EQ(test, t->ops->unmap_pages(t->ops, iova + sizes[i],
							  sizes[i], 1, &gather),
				sizes[i]);
		iopt_shadow_remove(&t->shadow, iova + sizes[i], sizes[i]);
		KUNIT_EXPECT_EQ(test, t->ctx->add_page, 1);
		KUNIT_EXPECT_EQ(test, t->ctx->page_iova, iova + sizes[i]);
		KUNIT_EXPECT_EQ(test, t->ctx->page_granule, sizes[i]);
		KUNIT_EXPECT_PTR_EQ(test, t->ctx->page_gather, &gather);
		KUNIT_EXPECT_EQ(test, t->ctx->flush_walk, 0);
		v7s_check(t);
	}
	v7s_free(t);
}

static void v7s_test_unmap_nothing(struct kunit *test)
{
	struct v7s_test *t = v7s_setup(test, 0);

	KUNIT_EXPECT_EQ(test, v7s_unmap(t, 0x1000, SZ_4K, 1), 0);
	KUNIT_EXPECT_EQ(test, v7s_unmap(t, 0x1000000, SZ_16M, 4), 0);
	KUNIT_EXPECT_EQ(test, v7s_unmap(t, 0x100000, SZ_1M, 1), 0);
	v7s_map_ok(t, 0x200000, 0x200000, SZ_4K, 1, IOMMU_READ);
	KUNIT_EXPECT_EQ(test, v7s_unmap(t, 0x201000, SZ_4K, 1), 0);
	KUNIT_EXPECT_EQ(test, v7s_unmap(t, 0x210000, SZ_64K, 1), 0);
	KUNIT_EXPECT_EQ(test, t->ctx->add_page, 0);
	KUNIT_EXPECT_EQ(test, t->ctx->flush_walk, 0);
	v7s_check(t);
	v7s_free(t);
}

static void v7s_test_unmap_bad_args(struct kunit *test)
{
	struct v7s_test *t = v7s_setup(test, 0);
	struct iopt_snapshot before, after;

	v7s_map_ok(t, 0x400000, 0x400000, SZ_1M, 1, IOMMU_READ);
	v7s_map_ok(t, 0x500000, 0x400000, SZ_4K, 16, IOMMU_READ);
	v7s_snapshot(t, &before);
	KUNIT_EXPECT_EQ(test, v7s_unmap(t, 0x400800, SZ_4K, 1), 0);
	KUNIT_EXPECT_EQ(test, v7s_unmap(t, 0x400000, SZ_2M, 1), 0);
	KUNIT_EXPECT_EQ(test, v7s_unmap(t, 0x400000, 0, 1), 0);
	KUNIT_EXPECT_EQ(test, v7s_unmap(t, 0x400000, SZ_1M, 0), 0);
	KUNIT_EXPECT_EQ(test, v7s_unmap(t, 0x501000, SZ_64K, 1), 0);
	KUNIT_EXPECT_EQ(test, v7s_unmap(t, 0x500000, SZ_4K, SIZE_MAX), 0);
	if (BITS_PER_LONG == 64)
		KUNIT_EXPECT_EQ(test, v7s_unmap(t, (unsigned long)V7S_4G, SZ_4K,
						1), 0);
	v7s_snapshot(t, &after);
	iopt_snapshot_expect_equal(test, &before, &after);
	KUNIT_EXPECT_EQ(test, t->ctx->add_page, 0);
	v7s_check(t);
	v7s_free(t);
}

static void v7s_test_unmap_stops_at_hole(struct kunit *test)
{
	struct v7s_test *t = v7s_setup(test, 0);

	v7s_map_ok(t, 0x0, 0x0, SZ_4K, 2, IOMMU_READ);
	v7s_map_ok(t, 0x3000, 0x3000, SZ_4K, 1, IOMMU_READ);
	KUNIT_EXPECT_EQ(test, v7s_unmap(t, 0x0, SZ_4K, 4), 2 * SZ_4K);
	iopt_shadow_remove(&t->shadow, 0, 2 * SZ_4K);
	KUNIT_EXPECT_EQ(test, t->ctx->add_page, 2);
	v7s_check(t);
	v7s_map_ok(t, 0x100000, 0x0, SZ_1M, 1, IOMMU_READ);
	v7s_map_ok(t, 0x300000, 0x0, SZ_1M, 1, IOMMU_READ);
	KUNIT_EXPECT_EQ(test, v7s_unmap(t, 0x100000, SZ_1M, 3), SZ_1M);
	iopt_shadow_remove(&t->shadow, 0x100000, SZ_1M);
	v7s_check(t);
	v7s_free(t);
}

/* Unmapping a whole level-2 table's worth frees it, after the walk flush. */
static void v7s_test_unmap_frees_table(struct kunit *test)
{
	struct v7s_test *t = v7s_setup_low(test, 0);
	int walk, freed;

	v7s_map_ok(t, 0x700000, 0x0, SZ_4K, 256, IOMMU_READ);
	v7s_map_ok(t, 0x800000, 0x0, SZ_64K, 16, IOMMU_READ);
	KUNIT_EXPECT_EQ(test, t->ctx->live, 3);
	iopt_test_reset_flushes(t->ctx);
	v7s_unmap_ok(t, 0x700000, SZ_4K, 256);
	KUNIT_EXPECT_EQ(test, t->ctx->add_page, 256);
	KUNIT_EXPECT_EQ(test, t->ctx->flush_walk, 1);
	KUNIT_EXPECT_EQ(test, t->ctx->walk_iova, 0x700000);
	KUNIT_EXPECT_EQ(test, t->ctx->walk_size, SZ_1M);
	KUNIT_EXPECT_EQ(test, t->ctx->live, 2);
	walk = iopt_test_log_find(t->ctx, IOPT_TEST_EV_FLUSH_WALK, 0, U64_MAX);
	freed = iopt_test_log_find(t->ctx, IOPT_TEST_EV_FREE, 0, U64_MAX);
	KUNIT_EXPECT_GT(test, freed, walk);
	KUNIT_EXPECT_EQ(test, v7s_l1_desc(t, 0x700000), 0);

	v7s_unmap_ok(t, 0x800000, SZ_64K, 16);
	KUNIT_EXPECT_EQ(test, t->ctx->live, 1);
	v7s_check(t);
	v7s_free(t);
	KUNIT_EXPECT_EQ(test, t->ctx->live, 0);
}

/* A larger pgsize over smaller leaves unmaps all of them. */
static void v7s_test_unmap_over_smaller(struct kunit *test)
{
	struct v7s_test *t = v7s_setup_low(test, 0);

	/* 64K over small pages, one of them missing */
	v7s_map_ok(t, 0x10000, 0x0, SZ_4K, 5, IOMMU_READ);
	v7s_map_ok(t, 0x16000, 0x0, SZ_4K, 10, IOMMU_READ);
	iopt_test_reset_flushes(t->ctx);
	v7s_unmap_ok(t, 0x10000, SZ_64K, 1);
	KUNIT_EXPECT_EQ(test, t->ctx->add_page, 15);
	KUNIT_EXPECT_EQ(test, t->ctx->page_granule, SZ_4K);
	v7s_check(t);

	/* 1M over a level-2 table: the table goes, after a walk flush */
	v7s_map_ok(t, 0x300000, 0x0, SZ_64K, 2, IOMMU_READ);
	v7s_map_ok(t, 0x3f0000, 0x0, SZ_4K, 1, IOMMU_READ);
	iopt_test_reset_flushes(t->ctx);
	v7s_unmap_ok(t, 0x300000, SZ_1M, 1);
	KUNIT_EXPECT_EQ(test, t->ctx->flush_walk, 1);
	KUNIT_EXPECT_EQ(test, t->ctx->walk_iova, 0x300000);
	KUNIT_EXPECT_EQ(test, v7s_l1_desc(t, 0x300000), 0);

	/* 16M over sections and a table */
	v7s_map_ok(t, 0x5000000, 0x0, SZ_1M, 3, IOMMU_READ);
	v7s_map_ok(t, 0x5f00000, 0x0, SZ_4K, 1, IOMMU_READ);
	iopt_test_reset_flushes(t->ctx);
	v7s_unmap_ok(t, 0x5000000, SZ_16M, 1);
	KUNIT_EXPECT_EQ(test, t->ctx->add_page, 3);
	KUNIT_EXPECT_EQ(test, t->ctx->flush_walk, 1);
	KUNIT_EXPECT_EQ(test, t->ctx->live, 2);	/* pgd and 0x10000's table */
	v7s_check(t);
	v7s_free(t);
	KUNIT_EXPECT_EQ(test, t->ctx->live, 0);
}

static void v7s_test_unmap_across_tables(struct kunit *test)
{
	struct v7s_test *t = v7s_setup(test, 0);

	v7s_map_ok(t, 0xf80000, 0x0, SZ_4K, 1024, IOMMU_READ);
	v7s_map_ok(t, 0x4000000, 0x0, SZ_64K, 64, IOMMU_READ);
	v7s_check(t);
	v7s_unmap_ok(t, 0xfc0000, SZ_4K, 700);
	KUNIT_EXPECT_EQ(test, t->ctx->add_page, 700);
	v7s_unmap_ok(t, 0x4080000, SZ_64K, 40);
	v7s_check(t);
	v7s_free(t);
}

/* A queued gather takes no per-page invalidation; tables still flush. */
static void v7s_test_gather_queued(struct kunit *test)
{
	struct v7s_test *t = v7s_setup(test, 0);
	struct iommu_iotlb_gather gather;

	v7s_map_ok(t, 0x100000, 0x0, SZ_4K, 512, IOMMU_READ);
	v7s_map_ok(t, 0x1000000, 0x0, SZ_16M, 1, IOMMU_READ);
	iommu_iotlb_gather_init(&gather);
	gather.queued = true;
	KUNIT_EXPECT_EQ(test, t->ops->unmap_pages(t->ops, 0x100000, SZ_4K, 512,
						  &gather), SZ_2M);
	KUNIT_EXPECT_EQ(test, t->ops->unmap_pages(t->ops, 0x1000000, SZ_16M, 1,
						  &gather), SZ_16M);
	iopt_shadow_remove(&t->shadow, 0x100000, SZ_2M);
	iopt_shadow_remove(&t->shadow, 0x1000000, SZ_16M);
	KUNIT_EXPECT_EQ(test, t->ctx->add_page, 0);
	KUNIT_EXPECT_EQ(test, t->ctx->flush_walk, 2);
	v7s_check(t);
	v7s_free(t);
}

/*
 * A NULL gather (panfrost, panthor and msm pass one to the LPAE formats;
 * the contract is the same here): no tlb_add_page() at all, as 6.12; a
 * table that goes is still flushed with tlb_flush_walk().
 */
static void v7s_test_null_gather(struct kunit *test)
{
	static const size_t sizes[] = { SZ_4K, SZ_64K, SZ_1M, SZ_16M };
	struct v7s_test *t = v7s_setup(test, 0);
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(sizes); i++)
		v7s_map_ok(t, (u64)(i + 1) * SZ_32M, SZ_32M, sizes[i], 2,
			   IOMMU_READ);
	v7s_map_ok(t, 0x100000, 0x0, SZ_4K, 256, IOMMU_READ);
	iopt_test_reset_flushes(t->ctx);
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		u64 iova = (u64)(i + 1) * SZ_32M;

		/* one page (the fast path for 4K), then one more */
		KUNIT_EXPECT_EQ(test, t->ops->unmap_pages(t->ops, iova,
							  sizes[i], 1, NULL),
				sizes[i]);
		KUNIT_EXPECT_EQ(test, t->ops->unmap_pages(t->ops,
							  iova + sizes[i],
							  sizes[i], 1, NULL),
				sizes[i]);
		iopt_shadow_remove(&t->shadow, iova, 2 * sizes[i]);
	}
	KUNIT_EXPECT_EQ(test, t->ops->unmap_pages(t->ops, 0x100000, SZ_4K, 256,
						  NULL), SZ_1M);
	iopt_shadow_remove(&t->shadow, 0x100000, SZ_1M);
	KUNIT_EXPECT_EQ(test, t->ctx->add_page, 0);
	KUNIT_EXPECT_EQ(test, t->ctx->flush_walk, 1);
	KUNIT_EXPECT_EQ(test, t->ctx->walk_iova, 0x100000);
	v7s_check(t);
	v7s_free(t);
}

static void v7s_test_no_tlb_ops(struct kunit *test)
{
	struct v7s_test *t = v7s_new(test, 0);

	t->cfg.tlb = NULL;
	v7s_alloc(t);
	v7s_map_ok(t, 0x0, 0x0, SZ_4K, 256, IOMMU_READ);
	v7s_unmap_ok(t, 0x0, SZ_4K, 256);
	v7s_map_ok(t, 0x0, 0x0, SZ_1M, 1, IOMMU_READ);
	v7s_check(t);
	v7s_free(t);
}

/*
 * Non-coherent walkers
 */

static void v7s_test_noncoherent(struct kunit *test)
{
	struct v7s_test *t = v7s_new(test, IO_PGTABLE_QUIRK_NO_WARN);
	size_t mapped;

	t->cfg.coherent_walk = false;
	t->cfg.iommu_dev = iopt_test_dma_device(test);
	v7s_alloc(t);
	v7s_map_ok(t, 0x0, 0x10000000, SZ_4K, 300, IOMMU_READ | IOMMU_CACHE);
	v7s_map_ok(t, 0x200000, 0x20000000, SZ_64K, 3, IOMMU_READ);
	v7s_map_ok(t, 0x1000000, 0x30000000, SZ_16M, 1, IOMMU_WRITE);
	v7s_map_ok(t, 0x2000000, 0x30000000, SZ_1M, 1, IOMMU_WRITE);
	KUNIT_EXPECT_EQ(test, v7s_map(t, 0x0, 0x0, SZ_4K, 1, IOMMU_READ,
				      &mapped), -EEXIST);
	v7s_check(t);
	v7s_unmap_ok(t, 0x0, SZ_4K, 256);
	v7s_unmap_ok(t, 0x210000, SZ_64K, 1);
	v7s_unmap_ok(t, 0x1000000, SZ_16M, 1);
	v7s_check(t);
	v7s_map_ok(t, 0x0, 0x40000000, SZ_1M, 1, IOMMU_READ);
	v7s_check(t);
	v7s_free(t);
}

static void v7s_test_noncoherent_custom(struct kunit *test)
{
	struct v7s_test *t = v7s_new(test, 0);

	t->cfg.coherent_walk = false;
	t->cfg.iommu_dev = iopt_test_dma_device(test);
	v7s_use_low_allocator(&t->cfg);
	v7s_alloc(t);
	v7s_map_ok(t, 0x7000000, 0x10000000, SZ_4K, 1000, IOMMU_READ);
	v7s_check(t);
	v7s_unmap_ok(t, 0x7000000, SZ_4K, 1000);
	v7s_check(t);
	v7s_free(t);
	KUNIT_EXPECT_EQ(test, t->ctx->live, 0);
}

/*
 * Concurrency
 */

/**
 * struct v7s_racer - one of two threads sharing level-2 tables
 * @t:      The tables.
 * @done:   Completed when the thread is finished.
 * @id:     0 or 1: which of the interleaved pages are this thread's.
 * @errors: Operations that did not do what they should.
 */
struct v7s_racer {
	struct v7s_test		*t;
	struct completion	done;
	unsigned int		id;
	unsigned int		errors;
};

/*
 * Both threads map every other page of the same megabytes, so each
 * level-2 table is installed by whichever wins the cmpxchg; then they read
 * their pages back lock-free and unmap them.
 */
static int v7s_racer_fn(void *arg)
{
	struct v7s_racer *r = arg;
	struct io_pgtable_ops *ops = r->t->ops;
	unsigned int round, i;
	size_t mapped;

	for (round = 0; round < 48; round++) {
		unsigned long base = 0x10000000UL + (round % 12) * SZ_1M;

		for (i = r->id; i < 64; i += 2) {
			mapped = 0;
			if (ops->map_pages(ops, base + i * SZ_4K, base + i * SZ_4K,
					   SZ_4K, 1, IOMMU_READ, GFP_KERNEL,
					   &mapped) || mapped != SZ_4K)
				r->errors++;
		}
		for (i = r->id; i < 64; i += 2)
			if (ops->iova_to_phys(ops, base + i * SZ_4K + 8) !=
			    base + i * SZ_4K + 8)
				r->errors++;
		for (i = r->id; i < 64; i += 2)
			if (ops->unmap_pages(ops, base + i * SZ_4K, SZ_4K, 1,
					     NULL) != SZ_4K)
				r->errors++;
	}
	complete(&r->done);
	return 0;
}

static void v7s_test_concurrent_install(struct kunit *test)
{
	struct v7s_test *t = v7s_setup_low(test, 0);
	struct v7s_ref_stats stats;
	struct task_struct *task;
	struct v7s_racer r[2];
	unsigned int i;

	for (i = 0; i < 2; i++) {
		r[i].t = t;
		r[i].id = i;
		r[i].errors = 0;
		init_completion(&r[i].done);
	}
	for (i = 0; i < 2; i++) {
		task = kthread_run(v7s_racer_fn, &r[i], "v7s-racer-%u", i);
		if (IS_ERR(task)) {
			KUNIT_FAIL(test, "kthread_run: %ld", PTR_ERR(task));
			complete(&r[i].done);
		}
	}
	for (i = 0; i < 2; i++)
		wait_for_completion(&r[i].done);
	KUNIT_EXPECT_EQ(test, r[0].errors, 0);
	KUNIT_EXPECT_EQ(test, r[1].errors, 0);
	KUNIT_EXPECT_EQ(test, v7s_ref_check_tables(&t->ref, &stats), 0);
	KUNIT_EXPECT_EQ(test, stats.leaves, 0);
	/* Every loser freed its own table: only the installed ones are live */
	KUNIT_EXPECT_EQ(test, t->ctx->live, 1 + stats.l2_tables);
	KUNIT_EXPECT_LE(test, stats.l2_tables, 12);
	v7s_free(t);
	KUNIT_EXPECT_EQ(test, t->ctx->live, 0);
	KUNIT_EXPECT_EQ(test, t->ctx->bad_frees, 0);
}

/*
 * Splitting a larger leaf (as 6.12's v7s does, with break-before-make)
 */

/*
 * Every 4K of [@base, @base + @size) translates through the walker and
 * iova_to_phys() as the shadow says, or not at all where it has nothing.
 */
static void v7s_check_span(struct v7s_test *t, u64 base, u64 size)
{
	const struct iopt_shadow_ent *e;
	struct v7s_ref_leaf leaf;
	unsigned int bad = 0;
	bool walks, ok;
	phys_addr_t got;
	u64 a;

	for (a = base + 0x24; a - base < size; a += SZ_4K) {
		e = iopt_shadow_find(&t->shadow, a);
		walks = v7s_ref_walk(&t->ref, a, &leaf);
		got = t->ops->iova_to_phys(t->ops, a);
		if (e)
			ok = walks && leaf.pa == e->paddr + (a - e->iova) &&
			     got == leaf.pa;
		else
			ok = !walks && !got;
		if (!ok && bad++ < 4)
			KUNIT_FAIL(t->test, "%#llx: walker %d %pa, iova_to_phys %pa, mapped %d",
				   a, walks, &leaf.pa, &got, !!e);
	}
	KUNIT_EXPECT_EQ(t->test, bad, 0);
}

/* The attribute bits of the leaf for @iova (its address bits cleared). */
static u32 v7s_leaf_attrs(struct v7s_test *t, u64 iova, u32 addr_mask)
{
	return v7s_leaf_desc(t, iova) & ~addr_mask;
}

/*
 * 4K and 64K out of a 1M section, with mtk_iommu's 6.12 configuration and
 * without: a level-2 table from the allocator maps the rest in pages of
 * the size unmapped, with the attributes map gives such pages; one walk
 * flush of the section, then the pages unmapped, one tlb_add_page each;
 * the bytes returned are those 6.12 returns.
 */
static void v7s_test_split_section(struct kunit *test)
{
	static const unsigned long quirks[] = {
		0,
		/* mtk_iommu_domain_finalise() */
		IO_PGTABLE_QUIRK_ARM_NS | IO_PGTABLE_QUIRK_NO_PERMS |
		IO_PGTABLE_QUIRK_ARM_MTK_EXT,
	};
	const int prot = IOMMU_READ | IOMMU_WRITE | IOMMU_CACHE;
	unsigned int q;

	for (q = 0; q < ARRAY_SIZE(quirks); q++) {
		struct v7s_test *t = v7s_setup_low(test, quirks[q]);
		struct iommu_iotlb_gather gather;
		struct v7s_ref_leaf leaf;
		u32 small, large;
		int walk, add;

		/* what map gives a small and a large page of the same prot */
		v7s_map_ok(t, 0x7000000, 0x7000000, SZ_4K, 1, prot);
		v7s_map_ok(t, 0x7010000, 0x7010000, SZ_64K, 1, prot);
		small = v7s_leaf_attrs(t, 0x7000000, 0xfffff000);
		large = v7s_leaf_attrs(t, 0x7010000, 0xffff0000);

		v7s_map_ok(t, 0x100000, 0x40100000, SZ_1M, 2, prot);
		KUNIT_EXPECT_EQ(test, t->ctx->live, 2);
		iopt_test_reset_flushes(t->ctx);
		iommu_iotlb_gather_init(&gather);
		KUNIT_EXPECT_EQ(test, t->ops->unmap_pages(t->ops, 0x105000,
							  SZ_4K, 1, &gather),
				SZ_4K);
		/* one new table, from the driver's allocator */
		KUNIT_EXPECT_EQ(test, t->ctx->live, 3);
		KUNIT_ASSERT_TRUE(test, v7s_ref_walk(&t->ref, 0x100000, &leaf));
		KUNIT_EXPECT_NOT_NULL(test, iopt_test_alloc_find(t->ctx,
								 leaf.l2_table));
		KUNIT_EXPECT_EQ(test, leaf.size, SZ_4K);
		KUNIT_EXPECT_EQ(test, leaf.desc & ~0xfffff000, small);
		KUNIT_EXPECT_EQ(test, t->ctx->flush_walk, 1);
		KUNIT_EXPECT_EQ(test, t->ctx->walk_iova, 0x100000);
		KUNIT_EXPECT_EQ(test, t->ctx->walk_size, SZ_1M);
		KUNIT_EXPECT_EQ(test, t->ctx->walk_granule, SZ_1M);
		KUNIT_EXPECT_EQ(test, t->ctx->add_page, 1);
		KUNIT_EXPECT_EQ(test, t->ctx->page_iova, 0x105000);
		KUNIT_EXPECT_EQ(test, t->ctx->page_granule, SZ_4K);
		KUNIT_EXPECT_PTR_EQ(test, t->ctx->page_gather, &gather);
		/* the invalidation of the section before that of the page */
		walk = iopt_test_log_find(t->ctx, IOPT_TEST_EV_FLUSH_WALK, 0,
					  U64_MAX);
		add = iopt_test_log_find(t->ctx, IOPT_TEST_EV_ADD_PAGE, 0,
					 U64_MAX);
		KUNIT_EXPECT_GE(test, walk, 0);
		KUNIT_EXPECT_GT(test, add, walk);
		iopt_shadow_remove(&t->shadow, 0x105000, SZ_4K);
		v7s_check_span(t, 0x100000, SZ_1M);
		/* the rest are plain small pages: unmapped one by one */
		iopt_test_reset_flushes(t->ctx);
		KUNIT_EXPECT_EQ(test, v7s_unmap(t, 0x106000, SZ_4K, 3),
				3 * SZ_4K);
		KUNIT_EXPECT_EQ(test, t->ctx->flush_walk, 0);
		KUNIT_EXPECT_EQ(test, t->ctx->add_page, 3);
		iopt_shadow_remove(&t->shadow, 0x105000, 4 * SZ_4K);
		v7s_check_span(t, 0x100000, SZ_1M);

		/* 64K out of the next one: large pages, 64K returned */
		iopt_test_reset_flushes(t->ctx);
		KUNIT_EXPECT_EQ(test, v7s_unmap(t, 0x230000, SZ_64K, 2),
				2 * SZ_64K);
		KUNIT_EXPECT_EQ(test, t->ctx->live, 4);
		KUNIT_EXPECT_EQ(test, t->ctx->flush_walk, 1);
		KUNIT_EXPECT_EQ(test, t->ctx->walk_iova, 0x200000);
		KUNIT_EXPECT_EQ(test, t->ctx->walk_granule, SZ_1M);
		KUNIT_EXPECT_EQ(test, t->ctx->add_page, 2);
		KUNIT_EXPECT_EQ(test, t->ctx->page_granule, SZ_64K);
		KUNIT_ASSERT_TRUE(test, v7s_ref_walk(&t->ref, 0x2f0000, &leaf));
		KUNIT_EXPECT_EQ(test, leaf.size, SZ_64K);
		KUNIT_EXPECT_EQ(test, leaf.desc & ~0xffff0000, large);
		iopt_shadow_remove(&t->shadow, 0x230000, 2 * SZ_64K);
		v7s_check_span(t, 0x200000, SZ_1M);
		v7s_check(t);
		v7s_free(t);
		KUNIT_EXPECT_EQ(test, t->ctx->live, 0);
		KUNIT_EXPECT_EQ(test, t->ctx->bad_frees, 0);
	}
}

/*
 * 4K out of a 64K large page: its 16 entries become 15 small pages and a
 * hole, with no memory; one walk flush of the large page, then the page.
 */
static void v7s_test_split_large(struct kunit *test)
{
	struct v7s_test *t = v7s_setup_low(test, 0);
	struct v7s_ref_leaf leaf;
	u32 small;

	v7s_map_ok(t, 0x7000000, 0x7000000, SZ_4K, 1, IOMMU_READ);
	small = v7s_leaf_attrs(t, 0x7000000, 0xfffff000);
	v7s_map_ok(t, 0x300000, 0x40300000, SZ_64K, 3, IOMMU_READ);
	KUNIT_EXPECT_EQ(test, t->ctx->live, 3);
	iopt_test_reset_flushes(t->ctx);
	/* the DMA API's path: one small page */
	KUNIT_EXPECT_EQ(test, v7s_unmap(t, 0x313000, SZ_4K, 1), SZ_4K);
	KUNIT_EXPECT_EQ(test, t->ctx->live, 3);
	KUNIT_EXPECT_EQ(test, t->ctx->flush_walk, 1);
	KUNIT_EXPECT_EQ(test, t->ctx->walk_iova, 0x310000);
	KUNIT_EXPECT_EQ(test, t->ctx->walk_size, SZ_64K);
	KUNIT_EXPECT_EQ(test, t->ctx->walk_granule, SZ_64K);
	KUNIT_EXPECT_EQ(test, t->ctx->add_page, 1);
	KUNIT_EXPECT_EQ(test, t->ctx->page_iova, 0x313000);
	KUNIT_EXPECT_EQ(test, t->ctx->page_granule, SZ_4K);
	KUNIT_ASSERT_TRUE(test, v7s_ref_walk(&t->ref, 0x31f000, &leaf));
	KUNIT_EXPECT_EQ(test, leaf.size, SZ_4K);
	KUNIT_EXPECT_EQ(test, leaf.desc & ~0xfffff000, small);
	iopt_shadow_remove(&t->shadow, 0x313000, SZ_4K);
	v7s_check_span(t, 0x300000, 3 * SZ_64K);

	/* two pages across the end of one large page and into the next */
	iopt_test_reset_flushes(t->ctx);
	KUNIT_EXPECT_EQ(test, v7s_unmap(t, 0x30f000, SZ_4K, 2), 2 * SZ_4K);
	KUNIT_EXPECT_EQ(test, t->ctx->flush_walk, 1);
	KUNIT_EXPECT_EQ(test, t->ctx->walk_iova, 0x300000);
	KUNIT_EXPECT_EQ(test, t->ctx->add_page, 2);
	iopt_shadow_remove(&t->shadow, 0x30f000, 2 * SZ_4K);
	v7s_check_span(t, 0x300000, 3 * SZ_64K);
	iopt_shadow_remove(&t->shadow, 0x300000, 3 * SZ_64K);
	v7s_check(t);
	v7s_free(t);
	KUNIT_EXPECT_EQ(test, t->ctx->live, 0);
}

/*
 * 1M, 64K and 4K out of a 16M supersection: its 16 level-1 entries become
 * sections, and the one the page lies in a level-2 table of pages of its
 * size; one walk flush of the supersection.
 */
static void v7s_test_split_supersection(struct kunit *test)
{
	static const size_t sizes[] = { SZ_1M, SZ_64K, SZ_4K };
	struct v7s_test *t = v7s_setup_low(test, 0);
	struct v7s_ref_leaf leaf;
	unsigned int i, live;
	u32 section;

	v7s_map_ok(t, 0x7000000, 0x7000000, SZ_1M, 1, IOMMU_WRITE);
	section = v7s_leaf_attrs(t, 0x7000000, 0xfff00000);
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		u64 base = 0x10000000 + i * SZ_16M, pa = 0x42000000 + i * SZ_16M;
		u64 hole = base + 5 * SZ_1M + 2 * sizes[i];

		v7s_map_ok(t, base, pa, SZ_16M, 1, IOMMU_WRITE);
		live = t->ctx->live;
		iopt_test_reset_flushes(t->ctx);
		KUNIT_EXPECT_EQ(test, v7s_unmap(t, hole, sizes[i], 1),
				sizes[i]);
		KUNIT_EXPECT_EQ(test, t->ctx->live,
				live + (sizes[i] < SZ_1M));
		KUNIT_EXPECT_EQ(test, t->ctx->flush_walk, 1);
		KUNIT_EXPECT_EQ(test, t->ctx->walk_iova, base);
		KUNIT_EXPECT_EQ(test, t->ctx->walk_size, SZ_16M);
		KUNIT_EXPECT_EQ(test, t->ctx->walk_granule, SZ_16M);
		KUNIT_EXPECT_EQ(test, t->ctx->add_page, 1);
		KUNIT_EXPECT_EQ(test, t->ctx->page_iova, hole);
		KUNIT_EXPECT_EQ(test, t->ctx->page_granule, sizes[i]);
		KUNIT_ASSERT_TRUE(test, v7s_ref_walk(&t->ref, base, &leaf));
		KUNIT_EXPECT_EQ(test, leaf.size, SZ_1M);
		KUNIT_EXPECT_EQ(test, leaf.desc & ~0xfff00000, section);
		KUNIT_ASSERT_TRUE(test, v7s_ref_walk(&t->ref, base + 5 * SZ_1M,
						     &leaf));
		KUNIT_EXPECT_EQ(test, leaf.size, sizes[i]);
		iopt_shadow_remove(&t->shadow, hole, sizes[i]);
		v7s_check_span(t, base, SZ_16M);
		iopt_shadow_remove(&t->shadow, base, SZ_16M);
	}
	v7s_check(t);
	v7s_free(t);
	KUNIT_EXPECT_EQ(test, t->ctx->live, 0);
	KUNIT_EXPECT_EQ(test, t->ctx->bad_frees, 0);
}

/*
 * A request that covers a larger leaf whole in smaller pages removes it as
 * the one leaf it is: no split, no table, one tlb_add_page of its size;
 * the bytes returned are all the pages, as 6.12 returns them.
 */
static void v7s_test_split_covered_whole(struct kunit *test)
{
	struct v7s_test *t = v7s_setup_low(test, 0);
	unsigned int live;

	v7s_map_ok(t, 0x400000, 0x400000, SZ_64K, 1, IOMMU_READ);
	v7s_map_ok(t, 0x500000, 0x500000, SZ_1M, 1, IOMMU_READ);
	v7s_map_ok(t, 0x1000000, 0x1000000, SZ_16M, 2, IOMMU_READ);
	live = t->ctx->live;
	iopt_test_reset_flushes(t->ctx);
	v7s_unmap_ok(t, 0x400000, SZ_4K, 16);
	KUNIT_EXPECT_EQ(test, t->ctx->page_granule, SZ_64K);
	v7s_unmap_ok(t, 0x500000, SZ_64K, 16);
	KUNIT_EXPECT_EQ(test, t->ctx->page_granule, SZ_1M);
	v7s_unmap_ok(t, 0x1000000, SZ_1M, 16);
	KUNIT_EXPECT_EQ(test, t->ctx->page_granule, SZ_16M);
	KUNIT_EXPECT_EQ(test, t->ctx->add_page, 3);
	KUNIT_EXPECT_EQ(test, t->ctx->flush_walk, 0);
	KUNIT_EXPECT_EQ(test, t->ctx->live, live);
	/* from inside the second one to its end: split once, then whole */
	KUNIT_EXPECT_EQ(test, v7s_unmap(t, 0x2100000, SZ_1M, 15), 15 * SZ_1M);
	iopt_shadow_remove(&t->shadow, 0x2100000, 15 * SZ_1M);
	KUNIT_EXPECT_EQ(test, t->ctx->flush_walk, 1);
	v7s_check_span(t, 0x2000000, SZ_16M);
	v7s_check(t);
	v7s_free(t);
}

/*
 * IO_PGTABLE_QUIRK_NO_SPLIT: today's refusal (Linux 6.13 and later), bit
 * for bit: 0, no callback, not a byte of the tables changed.
 */
static void v7s_test_split_refused(struct kunit *test)
{
	struct v7s_test *t = v7s_setup(test, IO_PGTABLE_QUIRK_NO_WARN |
					     IO_PGTABLE_QUIRK_NO_SPLIT);
	struct iopt_snapshot before, after;

	v7s_map_ok(t, 0x10000, 0x10000, SZ_64K, 1, IOMMU_READ);
	v7s_map_ok(t, 0x1000000, 0x1000000, SZ_16M, 1, IOMMU_READ);
	v7s_map_ok(t, 0x3000000, 0x3000000, SZ_1M, 1, IOMMU_READ);
	v7s_snapshot(t, &before);
	iopt_test_reset_flushes(t->ctx);
	KUNIT_EXPECT_EQ(test, v7s_unmap(t, 0x10000, SZ_4K, 1), 0);
	KUNIT_EXPECT_EQ(test, v7s_unmap(t, 0x14000, SZ_4K, 2), 0);
	KUNIT_EXPECT_EQ(test, v7s_unmap(t, 0x1000000, SZ_1M, 1), 0);
	KUNIT_EXPECT_EQ(test, v7s_unmap(t, 0x1f00000, SZ_1M, 1), 0);
	KUNIT_EXPECT_EQ(test, v7s_unmap(t, 0x1000000, SZ_4K, 1), 0);
	KUNIT_EXPECT_EQ(test, v7s_unmap(t, 0x1010000, SZ_64K, 1), 0);
	KUNIT_EXPECT_EQ(test, v7s_unmap(t, 0x3000000, SZ_4K, 1), 0);
	KUNIT_EXPECT_EQ(test, v7s_unmap(t, 0x3010000, SZ_64K, 1), 0);
	/* smaller pages that cover one whole: refused as before too */
	KUNIT_EXPECT_EQ(test, v7s_unmap(t, 0x10000, SZ_4K, 16), 0);
	KUNIT_EXPECT_EQ(test, v7s_unmap(t, 0x1000000, SZ_1M, 16), 0);
	KUNIT_EXPECT_EQ(test, v7s_unmap(t, 0x3000000, SZ_64K, 16), 0);
	v7s_snapshot(t, &after);
	iopt_snapshot_expect_equal(test, &before, &after);
	KUNIT_EXPECT_EQ(test, t->ctx->add_page, 0);
	KUNIT_EXPECT_EQ(test, t->ctx->flush_walk, 0);
	/* each as the page size it was mapped with */
	v7s_unmap_ok(t, 0x10000, SZ_64K, 1);
	v7s_unmap_ok(t, 0x1000000, SZ_16M, 1);
	v7s_unmap_ok(t, 0x3000000, SZ_1M, 1);
	v7s_check(t);
	v7s_free(t);
}

/*
 * No memory for the split's table: 0, no callback, the tables as they
 * were. Splits that need no table (a large page; 1M out of a
 * supersection) still go.
 */
static void v7s_test_split_enomem(struct kunit *test)
{
	struct v7s_test *t = v7s_setup_low(test, IO_PGTABLE_QUIRK_NO_WARN);
	struct iopt_snapshot before, after;
	unsigned int live;

	v7s_map_ok(t, 0x100000, 0x100000, SZ_1M, 1, IOMMU_READ);
	v7s_map_ok(t, 0x1000000, 0x1000000, SZ_16M, 2, IOMMU_READ);
	v7s_map_ok(t, 0x400000, 0x400000, SZ_64K, 1, IOMMU_READ);
	live = t->ctx->live;
	t->ctx->fail_after = t->ctx->allocs;
	v7s_snapshot(t, &before);
	iopt_test_reset_flushes(t->ctx);
	KUNIT_EXPECT_EQ(test, v7s_unmap(t, 0x101000, SZ_4K, 1), 0);
	KUNIT_EXPECT_EQ(test, v7s_unmap(t, 0x110000, SZ_64K, 1), 0);
	KUNIT_EXPECT_EQ(test, v7s_unmap(t, 0x1201000, SZ_4K, 1), 0);
	v7s_snapshot(t, &after);
	iopt_snapshot_expect_equal(test, &before, &after);
	KUNIT_EXPECT_EQ(test, t->ctx->add_page, 0);
	KUNIT_EXPECT_EQ(test, t->ctx->flush_walk, 0);
	KUNIT_EXPECT_EQ(test, t->ctx->live, live);
	KUNIT_EXPECT_EQ(test, t->ctx->alloc_calls, t->ctx->allocs + 3);
	v7s_check(t);

	v7s_unmap_ok(t, 0x401000, SZ_4K, 1);
	v7s_unmap_ok(t, 0x2300000, SZ_1M, 1);
	KUNIT_EXPECT_EQ(test, t->ctx->live, live);
	v7s_check(t);
	v7s_free(t);
	KUNIT_EXPECT_EQ(test, t->ctx->live, 0);
	KUNIT_EXPECT_EQ(test, t->ctx->bad_frees, 0);
}

/* A NULL gather: the split's walk flush, and no tlb_add_page(). */
static void v7s_test_split_null_gather(struct kunit *test)
{
	struct v7s_test *t = v7s_setup(test, 0);

	v7s_map_ok(t, 0x100000, 0x100000, SZ_1M, 1, IOMMU_READ);
	v7s_map_ok(t, 0x400000, 0x400000, SZ_64K, 1, IOMMU_READ);
	v7s_map_ok(t, 0x1000000, 0x1000000, SZ_16M, 1, IOMMU_READ);
	iopt_test_reset_flushes(t->ctx);
	KUNIT_EXPECT_EQ(test, t->ops->unmap_pages(t->ops, 0x101000, SZ_4K, 1,
						  NULL), SZ_4K);
	KUNIT_EXPECT_EQ(test, t->ops->unmap_pages(t->ops, 0x401000, SZ_4K, 1,
						  NULL), SZ_4K);
	KUNIT_EXPECT_EQ(test, t->ops->unmap_pages(t->ops, 0x1100000, SZ_1M, 1,
						  NULL), SZ_1M);
	KUNIT_EXPECT_EQ(test, t->ctx->flush_walk, 3);
	KUNIT_EXPECT_EQ(test, t->ctx->add_page, 0);
	iopt_shadow_remove(&t->shadow, 0x101000, SZ_4K);
	v7s_check_span(t, 0x100000, SZ_1M);
	iopt_shadow_remove(&t->shadow, 0x401000, SZ_4K);
	v7s_check_span(t, 0x400000, SZ_64K);
	iopt_shadow_remove(&t->shadow, 0x1100000, SZ_1M);
	v7s_check_span(t, 0x1000000, SZ_16M);
	v7s_free(t);
}

/*
 * Break-before-make, as the walker sees memory at the walk flush: every
 * entry of the leaf being split invalid, nothing of its range translating,
 * no table installed yet. The entries are those of the leaf for @iova.
 */
static struct {
	struct v7s_test	*t;
	u64		first;	/* physical address of the leaf's entries */
	unsigned int	n;
	unsigned int	flushes;
	unsigned int	valid;
	unsigned int	translating;
} v7s_bbm;

static void v7s_bbm_flush_walk(unsigned long iova, size_t size,
			       size_t granule, void *cookie)
{
	struct v7s_ref_leaf leaf;
	unsigned int i;
	u64 a;

	iopt_test_tlb_flush_walk(iova, size, granule, cookie);
	v7s_bbm.flushes++;
	for (i = 0; i < v7s_bbm.n; i++)
		if (v7s_ref_read_mem(NULL, v7s_bbm.first + i * 4) & 3)
			v7s_bbm.valid++;
	for (a = iova; a - iova < size; a += SZ_4K) {
		v7s_bbm.translating += v7s_ref_walk(&v7s_bbm.t->ref, a, &leaf);
		/* iova_to_phys() agrees: nothing there for the while */
		v7s_bbm.translating +=
			!!v7s_bbm.t->ops->iova_to_phys(v7s_bbm.t->ops, a);
	}
}

static const struct iommu_flush_ops v7s_bbm_flush_ops = {
	.tlb_flush_all	= iopt_test_tlb_flush_all,
	.tlb_flush_walk	= v7s_bbm_flush_walk,
	.tlb_add_page	= iopt_test_tlb_add_page,
};

static void v7s_test_split_bbm_order(struct kunit *test)
{
	static const struct {
		u64	base;
		size_t	bsize;
		u64	iova;
		size_t	pgsize;
	} cases[] = {
		{ 0x100000, SZ_1M, 0x1ff000, SZ_4K },
		{ 0x200000, SZ_1M, 0x200000, SZ_64K },
		{ 0x410000, SZ_64K, 0x41e000, SZ_4K },
		{ 0x1000000, SZ_16M, 0x1a00000, SZ_1M },
		{ 0x2000000, SZ_16M, 0x2f0f000, SZ_4K },
	};
	struct v7s_test *t = v7s_new(test, 0);
	struct v7s_ref_leaf leaf;
	unsigned int i;

	t->cfg.tlb = &v7s_bbm_flush_ops;
	v7s_alloc(t);
	memset(&v7s_bbm, 0, sizeof(v7s_bbm));
	v7s_bbm.t = t;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		u64 base = cases[i].base;
		size_t bsize = cases[i].bsize;

		v7s_map_ok(t, base, base, bsize, 1, IOMMU_READ);
		KUNIT_ASSERT_TRUE(test, v7s_ref_walk(&t->ref, base, &leaf));
		if (leaf.level == 1) {
			v7s_bbm.first = t->ref.pgd + (base >> 20) * 4;
		} else {
			v7s_bbm.first = leaf.l2_table +
					((base >> 12) & 0xff) * 4;
		}
		v7s_bbm.n = bsize == SZ_1M ? 1 : 16;
		v7s_bbm.flushes = 0;
		KUNIT_EXPECT_EQ(test, v7s_unmap(t, cases[i].iova,
						cases[i].pgsize, 1),
				cases[i].pgsize);
		KUNIT_EXPECT_EQ_MSG(test, v7s_bbm.flushes, 1, "case %u", i);
		KUNIT_EXPECT_EQ_MSG(test, v7s_bbm.valid, 0, "case %u", i);
		KUNIT_EXPECT_EQ_MSG(test, v7s_bbm.translating, 0, "case %u", i);
		iopt_shadow_remove(&t->shadow, cases[i].iova, cases[i].pgsize);
		v7s_check_span(t, base, bsize);
	}
	v7s_free(t);
}

/*
 * The loser's side, made to happen: from inside the winner's walk flush
 * (the leaf broken, the new entries not yet written) another thread
 * unmaps a different page of the same leaf. It cannot finish before the
 * split does; a map into the leaf meanwhile finds the slot in use.
 */
static struct {
	struct v7s_test		*t;
	unsigned long		other;
	u64			free_iova;
	struct completion	done;
	atomic_t		started;
	atomic_t		finished;
	size_t			ret;
	int			map_ret;
	unsigned int		calls;
} v7s_wait;

static int v7s_wait_fn(void *arg)
{
	struct io_pgtable_ops *ops = v7s_wait.t->ops;

	atomic_set(&v7s_wait.started, 1);
	v7s_wait.ret = ops->unmap_pages(ops, v7s_wait.other, SZ_4K, 1, NULL);
	atomic_set(&v7s_wait.finished, 1);
	complete(&v7s_wait.done);
	return 0;
}

static void v7s_wait_flush_walk(unsigned long iova, size_t size,
				size_t granule, void *cookie)
{
	struct io_pgtable_ops *ops = v7s_wait.t->ops;
	struct task_struct *task;
	size_t mapped = 0;
	unsigned int i;

	iopt_test_tlb_flush_walk(iova, size, granule, cookie);
	if (v7s_wait.calls++)
		return;
	task = kthread_run(v7s_wait_fn, NULL, "v7s-wait");
	if (IS_ERR(task)) {
		KUNIT_FAIL(v7s_wait.t->test, "kthread_run: %ld", PTR_ERR(task));
		complete(&v7s_wait.done);
		return;
	}
	/*
	 * Time for it to meet the broken entries, which it must not get
	 * past. Busy, not asleep: it spins without yielding while it waits,
	 * so on one CPU it only runs once the split is over.
	 */
	for (i = 0; i < 2000 && !atomic_read(&v7s_wait.started); i++)
		udelay(5);
	for (i = 0; i < 2000 && !atomic_read(&v7s_wait.finished); i++)
		udelay(5);
	KUNIT_EXPECT_FALSE(v7s_wait.t->test, atomic_read(&v7s_wait.finished));
	v7s_wait.map_ret = ops->map_pages(ops, v7s_wait.free_iova, 0, SZ_4K, 1,
					  IOMMU_READ, GFP_ATOMIC, &mapped);
}

static const struct iommu_flush_ops v7s_wait_flush_ops = {
	.tlb_flush_all	= iopt_test_tlb_flush_all,
	.tlb_flush_walk	= v7s_wait_flush_walk,
	.tlb_add_page	= iopt_test_tlb_add_page,
};

static void v7s_test_split_loser_waits(struct kunit *test)
{
	static const struct {
		u64	base;
		size_t	bsize;
		u64	iova;	/* the winner's page */
		u64	other;	/* the waiter's */
	} cases[] = {
		{ 0x100000, SZ_1M, 0x1ff000, 0x100000 },
		{ 0x410000, SZ_64K, 0x41e000, 0x411000 },
		{ 0x1000000, SZ_16M, 0x1a00000, 0x1f0f000 },
		{ 0x2000000, SZ_16M, 0x2000000, 0x2001000 },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct v7s_test *t = v7s_new(test, IO_PGTABLE_QUIRK_NO_WARN);
		u64 base = cases[i].base;

		v7s_use_low_allocator(&t->cfg);
		t->cfg.tlb = &v7s_wait_flush_ops;
		v7s_alloc(t);
		v7s_map_ok(t, base, base, cases[i].bsize, 1, IOMMU_READ);
		memset(&v7s_wait, 0, sizeof(v7s_wait));
		v7s_wait.t = t;
		v7s_wait.other = cases[i].other;
		v7s_wait.free_iova = cases[i].iova;
		init_completion(&v7s_wait.done);
		KUNIT_EXPECT_EQ(test, v7s_unmap(t, cases[i].iova, SZ_4K, 1),
				SZ_4K);
		wait_for_completion(&v7s_wait.done);
		KUNIT_EXPECT_EQ_MSG(test, v7s_wait.ret, SZ_4K, "case %u", i);
		KUNIT_EXPECT_EQ_MSG(test, v7s_wait.map_ret, -EEXIST, "case %u",
				    i);
		iopt_shadow_remove(&t->shadow, cases[i].iova, SZ_4K);
		iopt_shadow_remove(&t->shadow, cases[i].other, SZ_4K);
		v7s_check_span(t, base, cases[i].bsize);
		v7s_check(t);
		v7s_free(t);
		KUNIT_EXPECT_EQ(test, t->ctx->live, 0);
	}
}

/**
 * struct v7s_splitter - one of two threads unmapping parts of the same leaves
 * @t:      The tables.
 * @done:   Completed when the thread is finished.
 * @step:   Shared by both threads: how far each has come, so that
 *          they start on each leaf together.
 * @off:    Offset of this thread's page in each leaf.
 * @errors: Unmaps that did not return their page.
 */
struct v7s_splitter {
	struct v7s_test		*t;
	struct completion	done;
	atomic_t		*step;
	unsigned long		off[3];
	unsigned int		errors;
};

#define V7S_RACE_LEAVES	16

static const struct {
	u64	base;
	size_t	bsize;
} v7s_race_kinds[] = {
	{ 0x10000000, SZ_1M }, { 0x20000000, SZ_64K }, { 0x30000000, SZ_16M },
};

/* 4K of each leaf in turn, the same leaves as the other thread. */
static int v7s_splitter_fn(void *arg)
{
	struct v7s_splitter *s = arg;
	struct io_pgtable_ops *ops = s->t->ops;
	unsigned int k, i, n = 0;

	for (i = 0; i < V7S_RACE_LEAVES; i++)
		for (k = 0; k < ARRAY_SIZE(v7s_race_kinds); k++) {
			unsigned long iova = v7s_race_kinds[k].base +
					     i * v7s_race_kinds[k].bsize +
					     s->off[k];

			/* wait for the other thread to reach this leaf */
			atomic_inc(s->step);
			n += 2;
			while (atomic_read(s->step) < n)
				cond_resched();
			if (ops->unmap_pages(ops, iova, SZ_4K, 1, NULL) != SZ_4K)
				s->errors++;
		}
	complete(&s->done);
	return 0;
}

/*
 * Two threads unmap different pages of the same sections, large pages and
 * supersections at once (disjoint ranges, no lock): one splits each leaf,
 * the other waits for it and unmaps its page from what the split left.
 */
static void v7s_test_split_concurrent(struct kunit *test)
{
	struct v7s_splitter s[2] = {
		{ .off = { 0x3000, 0x2000, 0x201000 } },
		{ .off = { 0xfe000, 0xf000, 0xa07000 } },
	};
	struct v7s_ref_stats stats;
	struct task_struct *task;
	unsigned int i, k, round;
	atomic_t step;

	for (round = 0; round < 4; round++) {
		struct v7s_test *t = v7s_setup_low(test, 0);

		for (k = 0; k < ARRAY_SIZE(v7s_race_kinds); k++)
			v7s_map_ok(t, v7s_race_kinds[k].base,
				   v7s_race_kinds[k].base,
				   v7s_race_kinds[k].bsize, V7S_RACE_LEAVES,
				   IOMMU_READ);
		atomic_set(&step, 0);
		for (i = 0; i < 2; i++) {
			s[i].t = t;
			s[i].step = &step;
			s[i].errors = 0;
			init_completion(&s[i].done);
		}
		for (i = 0; i < 2; i++) {
			task = kthread_run(v7s_splitter_fn, &s[i],
					   "v7s-splitter-%u", i);
			if (IS_ERR(task)) {
				KUNIT_FAIL(test, "kthread_run: %ld",
					   PTR_ERR(task));
				/* the other thread must not wait for it */
				atomic_add(INT_MAX / 2, &step);
				complete(&s[i].done);
			}
		}
		for (i = 0; i < 2; i++)
			wait_for_completion(&s[i].done);
		KUNIT_EXPECT_EQ(test, s[0].errors, 0);
		KUNIT_EXPECT_EQ(test, s[1].errors, 0);
		for (k = 0; k < ARRAY_SIZE(v7s_race_kinds); k++)
			for (i = 0; i < 2; i++)
				iopt_shadow_remove(&t->shadow,
						   v7s_race_kinds[k].base +
						   s[i].off[k],
						   SZ_4K);
		/* and at the same offset in every leaf of the kind */
		for (k = 0; k < ARRAY_SIZE(v7s_race_kinds); k++)
			for (i = 1; i < V7S_RACE_LEAVES; i++) {
				u64 base = v7s_race_kinds[k].base +
					   i * v7s_race_kinds[k].bsize;

				iopt_shadow_remove(&t->shadow,
						   base + s[0].off[k], SZ_4K);
				iopt_shadow_remove(&t->shadow,
						   base + s[1].off[k], SZ_4K);
			}
		for (k = 0; k < ARRAY_SIZE(v7s_race_kinds); k++)
			v7s_check_span(t, v7s_race_kinds[k].base,
				       V7S_RACE_LEAVES *
				       v7s_race_kinds[k].bsize);
		KUNIT_EXPECT_EQ(test, v7s_ref_check_tables(&t->ref, &stats), 0);
		/*
		 * A table per section, the large pages' one, two per
		 * supersection (the pages are in different megabytes):
		 * every loser freed its own.
		 */
		KUNIT_EXPECT_EQ(test, stats.l2_tables,
				V7S_RACE_LEAVES + 1 + 2 * V7S_RACE_LEAVES);
		KUNIT_EXPECT_EQ(test, t->ctx->live, 1 + stats.l2_tables);
		/* informative only: how often the two did meet */
		kunit_info(test, "round %u: %u split tables lost a race\n",
			   round, t->ctx->frees);
		v7s_free(t);
		KUNIT_EXPECT_EQ(test, t->ctx->live, 0);
		KUNIT_EXPECT_EQ(test, t->ctx->bad_frees, 0);
	}
}

/*
 * Everything at once
 */

/* Random maps and unmaps of every size, checked against the shadow. */
static void v7s_test_random(struct kunit *test)
{
	static const size_t sizes[] = { SZ_4K, SZ_64K, SZ_1M, SZ_16M };
	struct v7s_test *t = v7s_setup(test, IO_PGTABLE_QUIRK_NO_WARN);
	u64 seed = 0x76a5;
	unsigned int i;

	for (i = 0; i < 400; i++) {
		size_t pgsize = sizes[iopt_test_lcg(&seed) & 3];
		size_t count = 1 + (iopt_test_lcg(&seed) % (pgsize >= SZ_1M ?
							    3 : 40));
		/* a 256 MiB window so that operations meet each other */
		u64 iova = ALIGN_DOWN((u64)iopt_test_lcg(&seed) & (SZ_256M - 1),
				      pgsize);
		u64 pa = ALIGN_DOWN((u64)iopt_test_lcg(&seed), pgsize);
		u64 size = (u64)pgsize * count;
		size_t mapped, got;
		int ret;

		if (iova + size > SZ_256M)
			continue;
		if (iopt_test_lcg(&seed) & 1) {
			bool busy = iopt_shadow_overlaps(&t->shadow, iova, size);

			if (!busy && t->shadow.n >= t->shadow.max - 2)
				continue;
			ret = v7s_map(t, iova, pa, pgsize, count,
				      IOMMU_READ | IOMMU_WRITE, &mapped);
			KUNIT_ASSERT_EQ_MSG(test, ret, busy ? -EEXIST : 0,
					    "map %#llx %zx x %zu", iova,
					    pgsize, count);
			if (!busy)
				iopt_shadow_add(&t->shadow, iova, pa, size,
						pgsize, IOMMU_READ);
		} else {
			const struct iopt_shadow_ent *e;

			/* Unmap exactly one whole earlier mapping */
			if (!t->shadow.n)
				continue;
			e = &t->shadow.ents[iopt_test_lcg(&seed) % t->shadow.n];
			iova = e->iova;
			size = e->size;
			pgsize = e->pgsize;
			got = v7s_unmap(t, iova, pgsize, size / pgsize);
			KUNIT_ASSERT_EQ(test, (u64)got, size);
			iopt_shadow_remove(&t->shadow, iova, size);
		}
		if (!(i % 50))
			v7s_check(t);
	}
	v7s_check(t);
	v7s_free(t);
}

static struct kunit_case v7s_test_cases[] = {
	KUNIT_CASE(v7s_test_cfg_outputs_coherent),
	KUNIT_CASE(v7s_test_cfg_outputs_noncoherent),
	KUNIT_CASE(v7s_test_cfg_mtk_ttbr),
	KUNIT_CASE(v7s_test_refuse_quirks),
	KUNIT_CASE(v7s_test_refuse_sizes),
	KUNIT_CASE(v7s_test_pgsize_subset),
	KUNIT_CASE(v7s_test_pgd_sizes),
	KUNIT_CASE(v7s_test_default_tables_low),
	KUNIT_CASE(v7s_test_memory_one_page),
	KUNIT_CASE(v7s_test_prot_small),
	KUNIT_CASE(v7s_test_prot_large),
	KUNIT_CASE(v7s_test_prot_section),
	KUNIT_CASE(v7s_test_prot_supersection),
	KUNIT_CASE(v7s_test_ns_sections),
	KUNIT_CASE(v7s_test_ns_tables),
	KUNIT_CASE(v7s_test_table_desc),
	KUNIT_CASE(v7s_test_no_perms),
	KUNIT_CASE(v7s_test_iova_to_phys_offsets),
	KUNIT_CASE(v7s_test_mtk_small),
	KUNIT_CASE(v7s_test_mtk_large),
	KUNIT_CASE(v7s_test_mtk_section),
	KUNIT_CASE(v7s_test_mtk_supersection),
	KUNIT_CASE(v7s_test_mtk_cross_4g),
	KUNIT_CASE(v7s_test_mtk_oas),
	KUNIT_CASE(v7s_test_mtk_ias34),
	KUNIT_CASE(v7s_test_mtk_ttbr_ext_high),
	KUNIT_CASE(v7s_test_high_tables_refused),
	KUNIT_CASE(v7s_test_einval),
	KUNIT_CASE(v7s_test_erange),
	KUNIT_CASE(v7s_test_eexist_same),
	KUNIT_CASE(v7s_test_eexist_mixed),
	KUNIT_CASE(v7s_test_eexist_atomic_range),
	KUNIT_CASE(v7s_test_map_across_tables),
	KUNIT_CASE(v7s_test_section_over_empty_table),
	KUNIT_CASE(v7s_test_enomem_partial),
	KUNIT_CASE(v7s_test_enomem_pgd),
	KUNIT_CASE(v7s_test_custom_alloc_all),
	KUNIT_CASE(v7s_test_custom_alloc_misaligned),
	KUNIT_CASE(v7s_test_unmap_each_size),
	KUNIT_CASE(v7s_test_unmap_nothing),
	KUNIT_CASE(v7s_test_unmap_bad_args),
	KUNIT_CASE(v7s_test_unmap_stops_at_hole),
	KUNIT_CASE(v7s_test_unmap_frees_table),
	KUNIT_CASE(v7s_test_unmap_over_smaller),
	KUNIT_CASE(v7s_test_unmap_across_tables),
	KUNIT_CASE(v7s_test_gather_queued),
	KUNIT_CASE(v7s_test_null_gather),
	KUNIT_CASE(v7s_test_no_tlb_ops),
	KUNIT_CASE(v7s_test_noncoherent),
	KUNIT_CASE(v7s_test_noncoherent_custom),
	KUNIT_CASE(v7s_test_concurrent_install),
	KUNIT_CASE(v7s_test_split_section),
	KUNIT_CASE(v7s_test_split_large),
	KUNIT_CASE(v7s_test_split_supersection),
	KUNIT_CASE(v7s_test_split_covered_whole),
	KUNIT_CASE(v7s_test_split_refused),
	KUNIT_CASE(v7s_test_split_enomem),
	KUNIT_CASE(v7s_test_split_null_gather),
	KUNIT_CASE(v7s_test_split_bbm_order),
	KUNIT_CASE(v7s_test_split_loser_waits),
	KUNIT_CASE(v7s_test_split_concurrent),
	KUNIT_CASE(v7s_test_random),
	{}
};

static struct kunit_suite v7s_test_suite = {
	.name = "io-pgtable-arm-v7s",
	.test_cases = v7s_test_cases,
};

kunit_test_suite(v7s_test_suite);

MODULE_DESCRIPTION("KUnit tests for the ARMv7 short-descriptor io-pgtable format");
MODULE_LICENSE("GPL");
