// SPDX-License-Identifier: GPL-2.0-only
/*
 * GPU VM_BIND reservations, where only the shim can look: with no
 * cfg->alloc (tables from the page allocator) or with cfg->table_cache,
 * map and unmap with a reservation attached make no allocation and no
 * free at all, as the shim's allocator counts them; every table of a
 * table cache is one the walker reaches or one reserved; and a
 * reservation too small for its request WARNs (which only the shim can
 * count, since a WARN at boot fails the run) and changes nothing: not
 * the tables, bit for bit, not the reservation.
 *
 * The suite in drivers/iommu/io-pgtable-vmbind-kunit.c plays the drivers'
 * flows through a custom allocator; this one covers the other two table
 * sources and the driver's bug.
 */
#include <kunit/device.h>
#include <kunit/test.h>
#include <linux/dma-mapping.h>
#include <linux/io-pgtable.h>
#include <linux/kernel.h>
#include <linux/sizes.h>
#include <linux/slab.h>

#include "shim.h"

#include "../../../../drivers/iommu/io-pgtable-arm-ref.h"
#include "../../../../drivers/iommu/io-pgtable-kunit-helpers.h"

#define VT_PA		(64ULL * SZ_1G)
#define VT_RW		(IOMMU_READ | IOMMU_WRITE)

struct vt_t {
	struct kunit		*test;
	struct iopt_test_ctx	*ctx;
	struct io_pgtable_cfg	cfg;
	struct io_pgtable_ops	*ops;
	struct arm_lpae_ref	ref;
	struct io_pgtable_reservation rsv;
	struct kmem_cache	*cache;
};

static u64 vt_read(void *arg, phys_addr_t pa)
{
	struct vt_t *t = arg;

	if (t->cfg.coherent_walk)
		return READ_ONCE(*(u64 *)phys_to_virt(pa));
	return shim_dma_read64(pa);
}

static void vt_free_action(void *arg)
{
	struct vt_t *t = arg;

	io_pgtable_unreserve(t->ops, &t->rsv, 0);
	free_io_pgtable_ops(t->ops);
	kmem_cache_destroy(t->cache);
}

/* panthor's VM with the library's allocator: pages, or a table cache. */
static struct vt_t *vt_new(struct kunit *test, bool cache, bool coherent)
{
	struct vt_t *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, t);
	t->test = test;
	t->ctx = iopt_test_ctx_alloc(test);
	t->cfg.pgsize_bitmap = SZ_4K | SZ_2M | SZ_1G;
	t->cfg.ias = 48;
	t->cfg.oas = 48;
	t->cfg.coherent_walk = coherent;
	t->cfg.tlb = &iopt_test_flush_ops;
	t->cfg.iommu_dev = iopt_test_dma_device(test);
	if (cache) {
		t->cache = kmem_cache_create("vmbind-test-tables", SZ_4K, SZ_4K,
					     0, NULL);
		KUNIT_ASSERT_NOT_NULL(test, t->cache);
		t->cfg.table_cache = t->cache;
	}
	t->ops = alloc_io_pgtable_ops(ARM_64_LPAE_S1, &t->cfg, t->ctx);
	if (!t->ops && t->cache)
		kmem_cache_destroy(t->cache);
	KUNIT_ASSERT_NOT_NULL(test, t->ops);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, vt_free_action,
							t), 0);
	t->ref.stage = ARM_LPAE_REF_S1;
	t->ref.granule_shift = 12;
	t->ref.ias = 48;
	t->ref.start_level = 0;
	t->ref.pgd = t->cfg.arm_lpae_s1_cfg.ttbr;
	t->ref.mair = t->cfg.arm_lpae_s1_cfg.mair;
	t->ref.read = vt_read;
	t->ref.ctx = t;
	/* the top level never comes from the cache */
	if (cache)
		KUNIT_EXPECT_EQ(test, shim_cache_live_objects(t->cache), 0);
	return t;
}

static int vt_map(struct vt_t *t, u64 iova, size_t pgsize, size_t count)
{
	size_t mapped = 0;
	int ret;

	ret = t->ops->map_pages(t->ops, iova, iova + VT_PA, pgsize, count,
				VT_RW, GFP_KERNEL, &mapped);
	if (!ret)
		KUNIT_EXPECT_EQ(t->test, mapped, pgsize * count);
	return ret;
}

static size_t vt_unmap(struct vt_t *t, u64 iova, size_t pgsize, size_t count)
{
	return t->ops->unmap_pages(t->ops, iova, pgsize, count, NULL);
}

static bool vt_translates(struct vt_t *t, u64 iova)
{
	struct arm_lpae_ref_leaf leaf;

	return arm_lpae_ref_walk(&t->ref, iova, &leaf) &&
	       leaf.oa == iova + VT_PA &&
	       t->ops->iova_to_phys(t->ops, iova) == iova + VT_PA;
}

static bool vt_faults(struct vt_t *t, u64 iova)
{
	struct arm_lpae_ref_leaf leaf;

	return !arm_lpae_ref_walk(&t->ref, iova, &leaf) &&
	       !t->ops->iova_to_phys(t->ops, iova);
}

static int vt_count_table(void *arg, int level, phys_addr_t pa, size_t size,
			  u64 iova)
{
	unsigned int *n = arg;

	if (level)
		(*n)++;
	return 0;
}

/* Tables the walker reaches, the top level aside. */
static unsigned int vt_tables(struct vt_t *t)
{
	unsigned int n = 0;
	struct arm_lpae_ref_visitor v = {
		.table = vt_count_table,
		.arg = &n,
	};

	arm_lpae_ref_for_each(&t->ref, &v);
	return n;
}

static int vt_snap_table(void *arg, int level, phys_addr_t pa, size_t size,
			 u64 iova)
{
	return iopt_snapshot_add(arg, pa, size);
}

static void vt_snapshot(struct vt_t *t, struct iopt_snapshot *s)
{
	struct arm_lpae_ref_visitor v = {
		.table = vt_snap_table,
		.arg = s,
	};

	iopt_snapshot_init(t->test, s, 32);
	KUNIT_EXPECT_EQ(t->test, arm_lpae_ref_for_each(&t->ref, &v), 0);
}

static size_t vt_count_map(struct vt_t *t, u64 iova, u64 size)
{
	size_t n = SIZE_MAX;

	KUNIT_EXPECT_EQ(t->test, io_pgtable_count_map(t->ops, iova, iova + VT_PA,
						      size, t->cfg.pgsize_bitmap,
						      0, &n), 0);
	return n;
}

static size_t vt_count_unmap(struct vt_t *t, u64 iova, u64 size)
{
	size_t n = SIZE_MAX;

	KUNIT_EXPECT_EQ(t->test, io_pgtable_count_unmap(t->ops, iova, size, 0,
							&n), 0);
	return n;
}

/* Attach and note the allocator, as run_job() starts. */
struct vt_job {
	unsigned long	attempts;
	size_t		live;
	size_t		taken;
	size_t		returned;
};

static void vt_attach(struct vt_t *t, struct vt_job *j)
{
	io_pgtable_attach_reservation(t->ops, &t->rsv);
	j->taken = t->rsv.taken;
	j->returned = t->rsv.returned;
	j->attempts = shim_alloc_attempts();
	j->live = shim_live_allocs();
}

static void vt_detach(struct vt_t *t, struct vt_job *j, const char *what)
{
	KUNIT_EXPECT_EQ_MSG(t->test, shim_alloc_attempts() - j->attempts, 0,
			    "%s: an allocation with a reservation attached", what);
	KUNIT_EXPECT_EQ_MSG(t->test, shim_live_allocs(), j->live,
			    "%s: memory allocated or freed with a reservation attached",
			    what);
	io_pgtable_attach_reservation(t->ops, NULL);
}

/*
 * The VM_BIND flow on tables from the library's own allocator (pages, or
 * @cache): maps that need tables, a split of a 1G and a 2M block, an
 * unmap that removes whole tables; none allocates or frees while the
 * reservation is attached, and each takes exactly what was counted.
 */
static void vt_flow(struct kunit *test, bool cache, bool coherent)
{
	struct vt_t *t = vt_new(test, cache, coherent);
	u64 a = 8ULL * SZ_1G, b = a + SZ_1G;
	struct {
		bool	unmap;
		u64	iova;
		size_t	pgsize;
		size_t	count;
		size_t	tables;
	} steps[] = {
		{ false, a, SZ_1G, 1, 1 },		/* an L1 table */
		{ false, b, SZ_4K, 3, 2 },		/* L2, L3 */
		{ false, b + SZ_2M, SZ_2M, 2, 0 },
		{ true, a + SZ_4K, SZ_4K, 1, 2 },	/* split the 1G */
		{ true, b + SZ_2M + SZ_4K, SZ_4K, 2, 1 },	/* split a 2M */
		{ true, b, SZ_4K, 3, 0 },
		{ true, a, SZ_2M, 1, 0 },		/* the L3 table goes */
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(steps); i++) {
		struct vt_job j;
		size_t n, left;

		n = steps[i].unmap ?
		    vt_count_unmap(t, steps[i].iova,
				   steps[i].pgsize * steps[i].count) :
		    vt_count_map(t, steps[i].iova,
				 steps[i].pgsize * steps[i].count);
		KUNIT_EXPECT_EQ_MSG(test, n, steps[i].tables, "step %u", i);
		KUNIT_ASSERT_EQ(test, io_pgtable_reserve(t->ops, &t->rsv, n,
							 GFP_KERNEL), 0);
		KUNIT_EXPECT_EQ(test, t->rsv.count, n);
		if (cache)
			KUNIT_EXPECT_EQ_MSG(test, shim_cache_live_objects(t->cache),
					    vt_tables(t) + t->rsv.count,
					    "step %u: tables not from the cache", i);

		vt_attach(t, &j);
		if (steps[i].unmap)
			KUNIT_EXPECT_EQ_MSG(test, vt_unmap(t, steps[i].iova,
							   steps[i].pgsize,
							   steps[i].count),
					    steps[i].pgsize * steps[i].count,
					    "step %u", i);
		else
			KUNIT_EXPECT_EQ_MSG(test, vt_map(t, steps[i].iova,
							 steps[i].pgsize,
							 steps[i].count), 0,
					    "step %u", i);
		vt_detach(t, &j, "run_job");

		KUNIT_EXPECT_EQ_MSG(test, t->rsv.taken - j.taken, n, "step %u", i);
		left = n - (t->rsv.taken - j.taken) +
		       (t->rsv.returned - j.returned);
		KUNIT_EXPECT_EQ_MSG(test, t->rsv.count, left, "step %u", i);
		if (cache)
			KUNIT_EXPECT_EQ_MSG(test, shim_cache_live_objects(t->cache),
					    vt_tables(t) + t->rsv.count,
					    "step %u: tables not from the cache", i);
		io_pgtable_unreserve(t->ops, &t->rsv, 0);
		KUNIT_EXPECT_EQ(test, t->rsv.count, 0);
		if (cache)
			KUNIT_EXPECT_EQ_MSG(test, shim_cache_live_objects(t->cache),
					    vt_tables(t), "step %u", i);
	}
	/* what is left: the 1G block split down, 2M blocks around the hole */
	KUNIT_EXPECT_TRUE(test, vt_translates(t, a + SZ_2M));
	KUNIT_EXPECT_TRUE(test, vt_translates(t, a + SZ_1G - 1));
	KUNIT_EXPECT_TRUE(test, vt_faults(t, a + SZ_4K));
	KUNIT_EXPECT_TRUE(test, vt_faults(t, a));
	KUNIT_EXPECT_TRUE(test, vt_translates(t, b + SZ_2M));
	KUNIT_EXPECT_TRUE(test, vt_faults(t, b + SZ_2M + SZ_4K));
	KUNIT_EXPECT_TRUE(test, vt_faults(t, b + SZ_2M + 2 * SZ_4K));
	KUNIT_EXPECT_TRUE(test, vt_translates(t, b + SZ_2M + 3 * SZ_4K));
	KUNIT_EXPECT_TRUE(test, vt_translates(t, b + 2 * SZ_2M));
	KUNIT_EXPECT_TRUE(test, vt_faults(t, b));
	KUNIT_EXPECT_TRUE(test, shim_dma_coherent_check());
}

static void vmbind_page_allocator(struct kunit *test)
{
	vt_flow(test, false, false);
}

static void vmbind_page_allocator_coherent(struct kunit *test)
{
	vt_flow(test, false, true);
}

static void vmbind_table_cache(struct kunit *test)
{
	vt_flow(test, true, false);
}

/*
 * A reservation too small for its request is the driver's bug: map WARNs
 * and fails with -ENOMEM, unmap of part of a block WARNs and returns 0,
 * and neither changes a bit of the tables nor the reservation, nor calls
 * the allocator.
 */
static void vmbind_reservation_too_small(struct kunit *test)
{
	struct vt_t *t = vt_new(test, false, false);
	u64 a = 8ULL * SZ_1G, b = a + SZ_1G;
	struct iopt_snapshot before, after;
	unsigned int short_by;

	KUNIT_ASSERT_EQ(test, vt_map(t, a, SZ_1G, 1), 0);
	KUNIT_ASSERT_EQ(test, vt_map(t, b + SZ_2M, SZ_2M, 1), 0);
	shim_warn_quiet(true);

	for (short_by = 1; short_by <= 2; short_by++) {
		struct {
			bool	unmap;
			u64	iova;
			size_t	tables;
		} req[] = {
			{ false, SZ_1T, 3 },		/* a 4K page, 3 tables */
			{ false, b + 5 * SZ_4K, 1 },	/* an L3 table */
			{ true, a + SZ_2M + SZ_4K, 2 },	/* split the 1G block */
			{ true, b + SZ_2M + SZ_4K, 1 },	/* split the 2M block */
		};
		unsigned int i;

		for (i = 0; i < ARRAY_SIZE(req); i++) {
			struct io_pgtable_reservation old;
			unsigned long warns;
			struct vt_job j;
			size_t n, have;

			n = req[i].unmap ? vt_count_unmap(t, req[i].iova, SZ_4K) :
			    vt_count_map(t, req[i].iova, SZ_4K);
			KUNIT_EXPECT_EQ_MSG(test, n, req[i].tables, "request %u", i);
			if (n < short_by)
				continue;
			have = n - short_by;
			KUNIT_ASSERT_EQ(test, io_pgtable_reserve(t->ops, &t->rsv,
								 have,
								 GFP_KERNEL), 0);
			vt_snapshot(t, &before);
			old = t->rsv;
			warns = shim_warn_count();

			vt_attach(t, &j);
			if (req[i].unmap)
				KUNIT_EXPECT_EQ_MSG(test, vt_unmap(t, req[i].iova,
								   SZ_4K, 1), 0,
						    "request %u, %zu of %zu tables",
						    i, have, n);
			else
				KUNIT_EXPECT_EQ_MSG(test, vt_map(t, req[i].iova,
								 SZ_4K, 1),
						    -ENOMEM,
						    "request %u, %zu of %zu tables",
						    i, have, n);
			vt_detach(t, &j, "a reservation too small");

			KUNIT_EXPECT_EQ_MSG(test, shim_warn_count() - warns, 1,
					    "request %u: no WARN", i);
			vt_snapshot(t, &after);
			iopt_snapshot_expect_equal(test, &before, &after);
			KUNIT_EXPECT_EQ_MSG(test, t->rsv.count, old.count,
					    "request %u", i);
			KUNIT_EXPECT_EQ_MSG(test, t->rsv.taken, old.taken,
					    "request %u", i);
			KUNIT_EXPECT_EQ_MSG(test, t->rsv.returned, old.returned,
					    "request %u", i);
			KUNIT_EXPECT_PTR_EQ(test, t->rsv.tables, old.tables);
			/* (the reservation's tables link through their first word) */
			io_pgtable_unreserve(t->ops, &t->rsv, 0);
			KUNIT_EXPECT_TRUE(test, shim_dma_coherent_check());
		}
	}
	shim_warn_quiet(false);

	/* the block and the rest, still mapped as they were */
	KUNIT_EXPECT_TRUE(test, vt_translates(t, a + SZ_2M + SZ_4K));
	KUNIT_EXPECT_TRUE(test, vt_translates(t, b + SZ_2M + SZ_4K));
	KUNIT_EXPECT_TRUE(test, vt_faults(t, b + 5 * SZ_4K));
	KUNIT_EXPECT_TRUE(test, vt_faults(t, SZ_1T));
}

static struct kunit_case vmbind_test_cases[] = {
	KUNIT_CASE(vmbind_page_allocator),
	KUNIT_CASE(vmbind_page_allocator_coherent),
	KUNIT_CASE(vmbind_table_cache),
	KUNIT_CASE(vmbind_reservation_too_small),
	{}
};

static struct kunit_suite vmbind_test_suite = {
	.name = "vmbind",
	.test_cases = vmbind_test_cases,
};

kunit_test_suites(&vmbind_test_suite);
