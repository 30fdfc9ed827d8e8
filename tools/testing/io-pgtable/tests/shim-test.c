// SPDX-License-Identifier: GPL-2.0-only
/*
 * Self-tests of the kernel-API shim: the properties the io-pgtable suites
 * rely on must hold, or those suites prove nothing.
 */
#include <kunit/device.h>
#include <kunit/test.h>
#include <linux/atomic.h>
#include <linux/bitfield.h>
#include <linux/completion.h>
#include <linux/dma-mapping.h>
#include <linux/gfp.h>
#include <linux/iommu.h>
#include <linux/kthread.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/sizes.h>
#include <linux/spinlock.h>

#include <pthread.h>

#include "iommu-pages.h"
#include "shim.h"

#define BELOW_4G(p)	((u64)virt_to_phys(p) + 1 <= SZ_4G)

/* ---------------- where memory comes from ---------------- */

static void shim_test_normal_memory_above_4g(struct kunit *test)
{
	void *k = kmalloc(64, GFP_KERNEL);
	unsigned long p = __get_free_pages(GFP_KERNEL, 0);
	struct kmem_cache *c = kmem_cache_create("t", 256, 256, 0, NULL);
	void *o;

	KUNIT_ASSERT_NOT_NULL(test, k);
	KUNIT_ASSERT_NE(test, p, 0);
	KUNIT_ASSERT_NOT_NULL(test, c);
	o = kmem_cache_alloc(c, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, o);
	KUNIT_EXPECT_GE(test, virt_to_phys(k), SZ_4G);
	KUNIT_EXPECT_GE(test, virt_to_phys((void *)p), SZ_4G);
	KUNIT_EXPECT_GE(test, virt_to_phys(o), SZ_4G);
	KUNIT_EXPECT_FALSE(test, shim_is_low(k));
	kmem_cache_free(c, o);
	kmem_cache_destroy(c);
	free_pages(p, 0);
	kfree(k);
}

static void shim_test_dma32_memory_below_4g(struct kunit *test)
{
	unsigned long p32 = __get_free_pages(GFP_DMA32 | __GFP_ZERO, get_order(SZ_16K));
	unsigned long p = __get_free_pages(GFP_DMA, 0);
	struct kmem_cache *c32 = kmem_cache_create("l2", SZ_1K, SZ_1K,
						   SLAB_CACHE_DMA32, NULL);
	struct kmem_cache *c = kmem_cache_create("dma", 64, 0, SLAB_CACHE_DMA,
						 NULL);
	void *k = kmalloc(100, GFP_KERNEL | GFP_DMA);
	void *o32[8], *o;
	int i;

	KUNIT_ASSERT_NE(test, p32, 0);
	KUNIT_ASSERT_NE(test, p, 0);
	KUNIT_ASSERT_NOT_NULL(test, k);
	KUNIT_EXPECT_TRUE(test, BELOW_4G((void *)p32));
	KUNIT_EXPECT_TRUE(test, IS_ALIGNED(p32, SZ_16K));
	KUNIT_EXPECT_TRUE(test, BELOW_4G((void *)p));
	KUNIT_EXPECT_TRUE(test, BELOW_4G(k));
	KUNIT_EXPECT_TRUE(test, shim_is_low(k));
	for (i = 0; i < ARRAY_SIZE(o32); i++) {
		o32[i] = kmem_cache_zalloc(c32, GFP_ATOMIC);
		KUNIT_ASSERT_NOT_NULL(test, o32[i]);
		KUNIT_EXPECT_TRUE(test, BELOW_4G(o32[i]));
		KUNIT_EXPECT_TRUE(test, IS_ALIGNED((unsigned long)o32[i], SZ_1K));
		KUNIT_EXPECT_EQ(test, shim_footprint(o32[i]), SZ_1K);
	}
	KUNIT_EXPECT_EQ(test, shim_cache_live_objects(c32), ARRAY_SIZE(o32));
	o = kmem_cache_alloc(c, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, o);
	KUNIT_EXPECT_TRUE(test, BELOW_4G(o));

	kmem_cache_free(c, o);
	for (i = 0; i < ARRAY_SIZE(o32); i++)
		kmem_cache_free(c32, o32[i]);
	kmem_cache_destroy(c);
	kmem_cache_destroy(c32);
	kfree(k);
	free_pages(p, 0);
	free_pages(p32, get_order(SZ_16K));
}

/* __GFP_DMA32 is meaningless to slab: the kernel strips it and complains */
static void shim_test_slab_gfp_dma32_is_a_bug(struct kunit *test)
{
	unsigned long fails = shim_fail_count();
	void *k = kmalloc(32, GFP_KERNEL | GFP_DMA32);

	KUNIT_ASSERT_NOT_NULL(test, k);
	KUNIT_EXPECT_EQ(test, shim_fail_count(), fails + 1);
	KUNIT_EXPECT_FALSE(test, BELOW_4G(k));
	kfree(k);
	/* the runner would fail this case for the shim failure: take it back */
	shim_forgive_failures(fails);
}

/* ---------------- sizes and alignment ---------------- */

static void shim_test_kmalloc_natural_alignment(struct kunit *test)
{
	size_t sz;

	for (sz = 8; sz <= 2 * PAGE_SIZE; sz <<= 1) {
		void *a = kmalloc(sz, GFP_KERNEL);
		void *b = kmalloc(sz, GFP_KERNEL);

		KUNIT_ASSERT_NOT_NULL(test, a);
		KUNIT_ASSERT_NOT_NULL(test, b);
		KUNIT_EXPECT_TRUE_MSG(test, IS_ALIGNED((unsigned long)a, sz),
				      "kmalloc(%zu) = %p", sz, a);
		KUNIT_EXPECT_TRUE_MSG(test, IS_ALIGNED((unsigned long)b, sz),
				      "kmalloc(%zu) = %p", sz, b);
		KUNIT_EXPECT_EQ(test, shim_footprint(a), sz);
		kfree(b);
		kfree(a);
	}
}

static void shim_test_kmalloc_size_classes(struct kunit *test)
{
	static const struct { size_t req, fp; } t[] = {
		{ 1, 8 }, { 9, 16 }, { 33, 64 }, { 65, 96 }, { 97, 128 },
		{ 129, 192 }, { 193, 256 }, { 257, 512 }, { 1025, 2048 },
		{ PAGE_SIZE + 1, 2 * PAGE_SIZE },
		{ 2 * PAGE_SIZE + 1, 4 * PAGE_SIZE },
	};
	struct shim_mem_stats before, after;
	int i;

	for (i = 0; i < ARRAY_SIZE(t); i++) {
		void *p;
		char *c;

		shim_mem_stats(&before);
		p = kzalloc(t[i].req, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, p);
		shim_mem_stats(&after);
		KUNIT_EXPECT_EQ_MSG(test, shim_footprint(p), t[i].fp,
				    "kmalloc(%zu)", t[i].req);
		KUNIT_EXPECT_EQ(test, ksize(p), t[i].fp);
		KUNIT_EXPECT_EQ(test, kmalloc_size_roundup(t[i].req), t[i].fp);
		KUNIT_EXPECT_EQ(test, after.bytes[SHIM_MEM_KMALLOC] -
				before.bytes[SHIM_MEM_KMALLOC], t[i].fp);
		/* interior pointers find their allocation */
		c = p;
		KUNIT_EXPECT_PTR_EQ(test, shim_alloc_base(c + t[i].req - 1), p);
		KUNIT_EXPECT_TRUE(test, mem_is_zero(p, t[i].req));
		kfree(p);
	}
}

static void shim_test_pages_aligned_and_zeroed(struct kunit *test)
{
	unsigned int order;

	for (order = 0; order <= 4; order++) {
		struct page *pg = alloc_pages(GFP_KERNEL | __GFP_ZERO, order);
		void *va;

		KUNIT_ASSERT_NOT_NULL(test, pg);
		va = page_address(pg);
		KUNIT_EXPECT_TRUE(test, IS_ALIGNED((unsigned long)va,
						   PAGE_SIZE << order));
		KUNIT_EXPECT_TRUE(test, mem_is_zero(va, PAGE_SIZE << order));
		KUNIT_EXPECT_PTR_EQ(test, virt_to_page(va), pg);
		KUNIT_EXPECT_EQ(test, shim_footprint(va + 8), PAGE_SIZE << order);
		KUNIT_EXPECT_EQ(test, page_to_phys(pg), virt_to_phys(va));
		KUNIT_EXPECT_PTR_EQ(test, phys_to_virt(virt_to_phys(va)), va);
		__free_pages(pg, order);
	}
}

/* without __GFP_ZERO, memory is not zero: code must not rely on luck */
static void shim_test_uninitialised_is_not_zero(struct kunit *test)
{
	u8 *p = kmalloc(64, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_FALSE(test, mem_is_zero(p, 64));
	kfree(p);
}

/* ---------------- leak accounting ---------------- */

static void shim_test_leak_detection(struct kunit *test)
{
	u64 seq = shim_seq();
	struct kmem_cache *c;
	void *a, *b;
	unsigned long pg;

	a = kmalloc(100, GFP_KERNEL);
	pg = __get_free_page(GFP_KERNEL);
	c = kmem_cache_create("leaky", 48, 16, 0, NULL);
	KUNIT_ASSERT_NOT_NULL(test, c);
	b = kmem_cache_alloc(c, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_ASSERT_NE(test, pg, 0);
	KUNIT_EXPECT_EQ(test, shim_cache_object_size(c), 48);

	kfree(a);
	/* the page, the cache object and the cache itself are still live */
	KUNIT_EXPECT_EQ(test, shim_leaks_since(seq, false), 3);
	kmem_cache_free(c, b);
	free_page(pg);
	KUNIT_EXPECT_EQ(test, shim_leaks_since(seq, false), 1);
	kmem_cache_destroy(c);
	KUNIT_EXPECT_EQ(test, shim_leaks_since(seq, false), 0);
}

static void shim_test_live_counts(struct kunit *test)
{
	struct shim_mem_stats s0, s1;
	void *p[10];
	int i;

	shim_mem_stats(&s0);
	for (i = 0; i < 10; i++)
		p[i] = kmalloc(200, GFP_KERNEL);
	shim_mem_stats(&s1);
	KUNIT_EXPECT_EQ(test, s1.count[SHIM_MEM_KMALLOC] - s0.count[SHIM_MEM_KMALLOC], 10);
	KUNIT_EXPECT_EQ(test, s1.bytes[SHIM_MEM_KMALLOC] - s0.bytes[SHIM_MEM_KMALLOC], 10 * 256);
	KUNIT_EXPECT_EQ(test, s1.total_bytes - s0.total_bytes, 10 * 256);
	KUNIT_EXPECT_GE(test, s1.peak_bytes, s1.total_bytes);
	for (i = 0; i < 10; i++)
		kfree(p[i]);
	KUNIT_EXPECT_EQ(test, shim_live_bytes(), s0.total_bytes);
	KUNIT_EXPECT_EQ(test, shim_live_allocs(), s0.total_count);
}

static void shim_test_bad_free_detected(struct kunit *test)
{
	unsigned long fails = shim_fail_count();
	struct page *pg = alloc_pages(GFP_KERNEL, 2);
	char *k = kmalloc(64, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, pg);
	KUNIT_ASSERT_NOT_NULL(test, k);
	__free_pages(pg, 1);			/* wrong order */
	KUNIT_EXPECT_EQ(test, shim_fail_count(), fails + 1);
	kfree(k + 8);				/* not the start */
	KUNIT_EXPECT_EQ(test, shim_fail_count(), fails + 2);
	kfree(page_address(pg));		/* pages are not kmalloc */
	KUNIT_EXPECT_EQ(test, shim_fail_count(), fails + 3);
	__free_pages(pg, 2);
	kfree(k);
	kfree(k);				/* double free */
	KUNIT_EXPECT_EQ(test, shim_fail_count(), fails + 4);
	shim_forgive_failures(fails);
}

/* ---------------- fault injection ---------------- */

static void shim_test_fault_injection_nth(struct kunit *test)
{
	unsigned long inj = shim_injected_failures();
	void *a, *b, *c;

	shim_fail_nth_alloc(2);
	a = kmalloc(16, GFP_KERNEL);
	b = (void *)__get_free_page(GFP_KERNEL);
	c = kmalloc(16, GFP_KERNEL);
	KUNIT_EXPECT_NOT_NULL(test, a);
	KUNIT_EXPECT_NULL(test, b);
	KUNIT_EXPECT_NOT_NULL(test, c);
	KUNIT_EXPECT_EQ(test, shim_injected_failures(), inj + 1);
	kfree(a);
	kfree(c);
}

static void shim_test_fault_injection_from(struct kunit *test)
{
	struct kmem_cache *cache = kmem_cache_create("fi", 32, 0, 0, NULL);
	void *a, *b, *c;

	KUNIT_ASSERT_NOT_NULL(test, cache);
	shim_fail_allocs_from(2);
	a = kmem_cache_alloc(cache, GFP_KERNEL);
	b = kmem_cache_alloc(cache, GFP_KERNEL);
	c = kmalloc(8, GFP_KERNEL);
	KUNIT_EXPECT_NOT_NULL(test, a);
	KUNIT_EXPECT_NULL(test, b);
	KUNIT_EXPECT_NULL(test, c);
	shim_fail_allocs_from(0);
	c = kmalloc(8, GFP_KERNEL);
	KUNIT_EXPECT_NOT_NULL(test, c);
	kfree(c);
	kmem_cache_free(cache, a);
	kmem_cache_destroy(cache);
}

static void shim_test_fault_injection_dma_map(struct kunit *test)
{
	struct device *dev = shim_device_create("fi-dev");
	void *buf = kzalloc(128, GFP_KERNEL);
	dma_addr_t d;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	shim_fail_nth_dma_map(1);
	d = dma_map_single(dev, buf, 128, DMA_TO_DEVICE);
	KUNIT_EXPECT_TRUE(test, dma_mapping_error(dev, d));
	d = dma_map_single(dev, buf, 128, DMA_TO_DEVICE);
	KUNIT_EXPECT_FALSE(test, dma_mapping_error(dev, d));
	dma_unmap_single(dev, d, 128, DMA_TO_DEVICE);
	kfree(buf);
	shim_device_destroy(dev);
}

/* ---------------- the DMA model ---------------- */

static void shim_test_dma_unsynced_write(struct kunit *test)
{
	struct device *dev = kunit_device_register(test, "walker");
	u64 *table;
	dma_addr_t dma;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, dev);
	KUNIT_ASSERT_EQ(test, dma_set_mask_and_coherent(dev, DMA_BIT_MASK(64)), 0);
	table = (u64 *)__get_free_page(GFP_KERNEL | __GFP_ZERO);
	KUNIT_ASSERT_NOT_NULL(test, table);
	dma = dma_map_single(dev, table, PAGE_SIZE, DMA_TO_DEVICE);
	KUNIT_ASSERT_FALSE(test, dma_mapping_error(dev, dma));
	KUNIT_EXPECT_EQ(test, dma, virt_to_phys(table));
	KUNIT_EXPECT_TRUE(test, shim_dma_coherent_check());

	/* a CPU write the device cannot see yet */
	WRITE_ONCE(table[3], 0x1234567ULL);
	KUNIT_EXPECT_EQ(test, shim_dma_read64(dma + 3 * 8), 0);
	KUNIT_EXPECT_FALSE(test, shim_dma_coherent_check());

	/* synced: now it can */
	dma_sync_single_for_device(dev, dma + 3 * 8, 8, DMA_TO_DEVICE);
	KUNIT_EXPECT_EQ(test, shim_dma_read64(dma + 3 * 8), 0x1234567ULL);
	KUNIT_EXPECT_EQ(test, shim_dma_read32(dma + 3 * 8), 0x1234567U);
	KUNIT_EXPECT_TRUE(test, shim_dma_coherent_check());
	KUNIT_EXPECT_EQ(test, shim_dma_live_mappings(), 1);

	/* a software bit written without a sync: only the masked check passes */
	WRITE_ONCE(table[3], table[3] | BIT_ULL(55));
	KUNIT_EXPECT_FALSE(test, shim_dma_coherent_check());
	KUNIT_EXPECT_TRUE(test, shim_dma_coherent_check_mask(BIT_ULL(55)));
	KUNIT_EXPECT_FALSE(test, shim_dma_coherent_check_mask(BIT_ULL(54)));

	dma_unmap_single(dev, dma, PAGE_SIZE, DMA_TO_DEVICE);
	KUNIT_EXPECT_EQ(test, shim_dma_live_mappings(), 0);
	free_page((unsigned long)table);
}

static void shim_test_dma_errors(struct kunit *test)
{
	struct device *dev = shim_device_create("err-dev");
	unsigned long fails = shim_fail_count();
	void *buf = kzalloc(256, GFP_KERNEL);
	u64 stack_var = 0, seq;
	dma_addr_t d;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	/* unmapping what was never mapped */
	dma_unmap_single(dev, virt_to_phys(buf), 256, DMA_TO_DEVICE);
	KUNIT_EXPECT_EQ(test, shim_fail_count(), fails + 1);
	/* a walker reading memory that is not mapped */
	KUNIT_EXPECT_EQ(test, shim_dma_read64(virt_to_phys(buf)), 0);
	KUNIT_EXPECT_EQ(test, shim_fail_count(), fails + 2);
	/* mapping memory that is not a kernel allocation */
	d = dma_map_single(dev, &stack_var, 8, DMA_TO_DEVICE);
	KUNIT_EXPECT_TRUE(test, dma_mapping_error(dev, d));
	KUNIT_EXPECT_EQ(test, shim_fail_count(), fails + 3);

	d = dma_map_single(dev, buf, 256, DMA_TO_DEVICE);
	KUNIT_ASSERT_FALSE(test, dma_mapping_error(dev, d));
	/* syncing beyond the mapping */
	dma_sync_single_for_device(dev, d + 248, 16, DMA_TO_DEVICE);
	KUNIT_EXPECT_EQ(test, shim_fail_count(), fails + 4);
	/* size mismatch on unmap (the mapping still goes) */
	dma_unmap_single(dev, d, 128, DMA_TO_DEVICE);
	KUNIT_EXPECT_EQ(test, shim_fail_count(), fails + 5);
	KUNIT_EXPECT_EQ(test, shim_dma_live_mappings(), 0);

	/* freeing memory that is still mapped */
	seq = shim_seq();
	d = dma_map_single(dev, buf, 256, DMA_TO_DEVICE);
	KUNIT_ASSERT_FALSE(test, dma_mapping_error(dev, d));
	kfree(buf);
	KUNIT_EXPECT_EQ(test, shim_fail_count(), fails + 6);
	KUNIT_EXPECT_EQ(test, shim_leaks_since(seq, true), 1);	/* drop it */
	shim_device_destroy(dev);
	shim_forgive_failures(fails);
}

/* a device limited to 32 bits cannot reach high memory: swiotlb bounces */
static void shim_test_dma_mask_bounce(struct kunit *test)
{
	struct device *dev = kunit_device_register(test, "dev32");
	void *hi = (void *)__get_free_page(GFP_KERNEL);
	void *lo = (void *)__get_free_page(GFP_DMA32);
	dma_addr_t d;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, dev);
	KUNIT_ASSERT_NOT_NULL(test, hi);
	KUNIT_ASSERT_NOT_NULL(test, lo);
	KUNIT_EXPECT_EQ(test, *dev->dma_mask, DMA_BIT_MASK(32));
	d = dma_map_single(dev, hi, PAGE_SIZE, DMA_TO_DEVICE);
	KUNIT_ASSERT_FALSE(test, dma_mapping_error(dev, d));
	KUNIT_EXPECT_NE(test, d, virt_to_phys(hi));
	dma_unmap_single(dev, d, PAGE_SIZE, DMA_TO_DEVICE);
	d = dma_map_single(dev, lo, PAGE_SIZE, DMA_TO_DEVICE);
	KUNIT_ASSERT_FALSE(test, dma_mapping_error(dev, d));
	KUNIT_EXPECT_EQ(test, d, virt_to_phys(lo));
	dma_unmap_single(dev, d, PAGE_SIZE, DMA_TO_DEVICE);
	free_page((unsigned long)lo);
	free_page((unsigned long)hi);
}

/* DMA_BOUNCE_UNALIGNED_KMALLOC: small kmalloc buffers, not to-device */
static void shim_test_dma_kmalloc_bounce(struct kunit *test)
{
	struct device *dev = shim_device_create("nc-dev");
	void *small = kmalloc(64, GFP_KERNEL);
	dma_addr_t d;

	KUNIT_ASSERT_NOT_NULL(test, small);
	shim_dma_set_cache_alignment(128);
	KUNIT_EXPECT_EQ(test, dma_get_cache_alignment(), 128);
	d = dma_map_single(dev, small, 64, DMA_TO_DEVICE);
	KUNIT_EXPECT_EQ(test, d, virt_to_phys(small));
	dma_unmap_single(dev, d, 64, DMA_TO_DEVICE);
	d = dma_map_single(dev, small, 64, DMA_BIDIRECTIONAL);
	KUNIT_EXPECT_NE(test, d, virt_to_phys(small));
	dma_unmap_single(dev, d, 64, DMA_BIDIRECTIONAL);
	shim_dma_set_cache_alignment(64);
	d = dma_map_single(dev, small, 64, DMA_BIDIRECTIONAL);
	KUNIT_EXPECT_EQ(test, d, virt_to_phys(small));
	dma_unmap_single(dev, d, 64, DMA_BIDIRECTIONAL);
	kfree(small);
	shim_device_destroy(dev);
}

/* ---------------- WARN, atomics, locks ---------------- */

static void shim_test_warn_counted(struct kunit *test)
{
	unsigned long w = shim_warn_count();
	int i;

	shim_warn_quiet(true);
	KUNIT_EXPECT_FALSE(test, WARN_ON(0));
	KUNIT_EXPECT_EQ(test, shim_warn_count(), w);
	KUNIT_EXPECT_TRUE(test, WARN_ON(1));
	KUNIT_EXPECT_EQ(test, shim_warn_count(), w + 1);
	KUNIT_EXPECT_TRUE(test, WARN(2 > 1, "value %d", 3));
	KUNIT_EXPECT_EQ(test, shim_warn_count(), w + 2);
	for (i = 0; i < 3; i++)
		WARN_ON_ONCE(1);
	KUNIT_EXPECT_EQ(test, shim_warn_count(), w + 3);
}

static void shim_test_cmpxchg_semantics(struct kunit *test)
{
	u64 v = 5, old;
	u32 w = 7;
	int i = 1;
	atomic_t a = ATOMIC_INIT(3);

	KUNIT_EXPECT_EQ(test, cmpxchg64(&v, 5, 9), 5);	/* success: old */
	KUNIT_EXPECT_EQ(test, v, 9);
	KUNIT_EXPECT_EQ(test, cmpxchg64_relaxed(&v, 5, 1), 9); /* failure: current */
	KUNIT_EXPECT_EQ(test, v, 9);
	KUNIT_EXPECT_EQ(test, cmpxchg_relaxed(&w, 7, 8), 7);
	KUNIT_EXPECT_EQ(test, w, 8);
	KUNIT_EXPECT_EQ(test, cmpxchg(&i, 1, -1), 1);
	KUNIT_EXPECT_EQ(test, i, -1);

	old = 1;
	KUNIT_EXPECT_FALSE(test, try_cmpxchg64(&v, &old, 2));
	KUNIT_EXPECT_EQ(test, old, 9);			/* updated on failure */
	KUNIT_EXPECT_TRUE(test, try_cmpxchg64(&v, &old, 2));
	KUNIT_EXPECT_EQ(test, v, 2);
	KUNIT_EXPECT_EQ(test, xchg(&v, 11), 2);
	KUNIT_EXPECT_EQ(test, v, 11);

	/* 64-bit values survive whole */
	v = 0;
	KUNIT_EXPECT_EQ(test, cmpxchg64(&v, 0, 0xdeadbeef00000001ULL), 0);
	KUNIT_EXPECT_EQ(test, v, 0xdeadbeef00000001ULL);

	KUNIT_EXPECT_EQ(test, atomic_cmpxchg(&a, 3, 4), 3);
	KUNIT_EXPECT_EQ(test, atomic_inc_return(&a), 5);
	KUNIT_EXPECT_TRUE(test, atomic_try_cmpxchg(&a, &i, 0) == false);
	KUNIT_EXPECT_EQ(test, i, 5);
}

#define RACE_THREADS	4
#define RACE_SLOTS	512
#define RACE_ROUNDS	2000

struct race {
	u64 slots[RACE_SLOTS];
	u64 counter;
	atomic_t wins[RACE_THREADS];
	pthread_barrier_t barrier;
};

struct race_arg {
	struct race *r;
	int id;
};

/*
 * Each thread tries to install its id in every slot, as racing maps try
 * to install a table: exactly one must win each slot, and a cmpxchg
 * increment loop must lose no update.
 */
static void *race_thread(void *p)
{
	struct race_arg *arg = p;
	struct race *r = arg->r;
	int i;

	pthread_barrier_wait(&r->barrier);
	for (i = 0; i < RACE_SLOTS; i++)
		if (cmpxchg64_relaxed(&r->slots[i], 0, arg->id + 1) == 0)
			atomic_inc(&r->wins[arg->id]);
	for (i = 0; i < RACE_ROUNDS; i++) {
		u64 old = READ_ONCE(r->counter);

		while (!try_cmpxchg64(&r->counter, &old, old + 1))
			;
	}
	return NULL;
}

static void shim_test_cmpxchg_threads(struct kunit *test)
{
	static struct race r;
	struct race_arg args[RACE_THREADS];
	pthread_t th[RACE_THREADS];
	int i, total = 0;

	memset(&r, 0, sizeof(r));
	pthread_barrier_init(&r.barrier, NULL, RACE_THREADS);
	for (i = 0; i < RACE_THREADS; i++) {
		args[i] = (struct race_arg){ &r, i };
		KUNIT_ASSERT_EQ(test, pthread_create(&th[i], NULL, race_thread,
						     &args[i]), 0);
	}
	for (i = 0; i < RACE_THREADS; i++)
		pthread_join(th[i], NULL);
	pthread_barrier_destroy(&r.barrier);

	for (i = 0; i < RACE_THREADS; i++)
		total += atomic_read(&r.wins[i]);
	KUNIT_EXPECT_EQ(test, total, RACE_SLOTS);
	for (i = 0; i < RACE_SLOTS; i++) {
		KUNIT_EXPECT_GE(test, r.slots[i], 1);
		KUNIT_EXPECT_LE(test, r.slots[i], RACE_THREADS);
	}
	KUNIT_EXPECT_EQ(test, r.counter, (u64)RACE_THREADS * RACE_ROUNDS);
}

/* threads allocating and freeing at once: the accounting stays exact */
static void *alloc_thread(void *p)
{
	struct kmem_cache *c = p;
	void *objs[64];
	int round, i;

	for (round = 0; round < 50; round++) {
		for (i = 0; i < 64; i++)
			objs[i] = i & 1 ? kmem_cache_zalloc(c, GFP_KERNEL) :
				  kmalloc(24 * (i + 1), GFP_KERNEL);
		for (i = 0; i < 64; i++)
			if (i & 1)
				kmem_cache_free(c, objs[i]);
			else
				kfree(objs[i]);
	}
	return NULL;
}

static void shim_test_alloc_threads(struct kunit *test)
{
	struct kmem_cache *c = kmem_cache_create("mt", 1024, 1024,
						 SLAB_CACHE_DMA32, NULL);
	size_t live = shim_live_allocs();
	pthread_t th[4];
	int i;

	KUNIT_ASSERT_NOT_NULL(test, c);
	for (i = 0; i < 4; i++)
		KUNIT_ASSERT_EQ(test, pthread_create(&th[i], NULL, alloc_thread, c), 0);
	for (i = 0; i < 4; i++)
		pthread_join(th[i], NULL);
	KUNIT_EXPECT_EQ(test, shim_live_allocs(), live);
	KUNIT_EXPECT_EQ(test, shim_cache_live_objects(c), 0);
	kmem_cache_destroy(c);
}

static void shim_test_sleep_in_atomic(struct kunit *test)
{
	unsigned long fails = shim_fail_count();
	DEFINE_SPINLOCK(lock);
	unsigned long flags;
	void *a, *b;

	spin_lock_irqsave(&lock, flags);
	a = kmalloc(8, GFP_ATOMIC);
	KUNIT_EXPECT_EQ(test, shim_fail_count(), fails);
	b = kmalloc(8, GFP_KERNEL);
	KUNIT_EXPECT_EQ(test, shim_fail_count(), fails + 1);
	spin_unlock_irqrestore(&lock, flags);
	KUNIT_EXPECT_FALSE(test, shim_in_atomic());
	kfree(a);
	kfree(b);
	shim_forgive_failures(fails);
}

struct kt_arg {
	struct completion done;
	atomic_t runs;
};

static int kt_fn(void *p)
{
	struct kt_arg *a = p;

	atomic_inc(&a->runs);
	complete(&a->done);
	return 7;
}

static int kt_loop(void *p)
{
	struct kt_arg *a = p;

	while (!kthread_should_stop())
		atomic_inc(&a->runs);
	return 42;
}

static void shim_test_kthreads(struct kunit *test)
{
	struct kt_arg a, b;
	struct task_struct *k;

	init_completion(&a.done);
	atomic_set(&a.runs, 0);
	k = kthread_run(kt_fn, &a, "kt-%d", 1);
	KUNIT_ASSERT_FALSE(test, IS_ERR(k));
	wait_for_completion(&a.done);
	KUNIT_EXPECT_EQ(test, atomic_read(&a.runs), 1);

	atomic_set(&b.runs, 0);
	k = kthread_run(kt_loop, &b, "kt-loop");
	KUNIT_ASSERT_FALSE(test, IS_ERR(k));
	while (atomic_read(&b.runs) < 10)
		cpu_relax();
	KUNIT_EXPECT_EQ(test, kthread_stop(k), 42);
}

static bool bug_survived;

static int bug_fn(void *p)
{
	BUG_ON(p != NULL);
	bug_survived = true;
	return 0;
}

/* BUG() on a helper thread ends that thread only; the case is failed */
static void shim_test_bug_in_thread(struct kunit *test)
{
	struct task_struct *k;

	bug_survived = false;
	k = kthread_create(bug_fn, test, "bug");
	KUNIT_ASSERT_FALSE(test, IS_ERR(k));
	wake_up_process(k);
	kthread_stop(k);
	KUNIT_EXPECT_FALSE(test, bug_survived);
	KUNIT_EXPECT_EQ(test, test->status, KUNIT_FAILURE);
	/* the failure was the point */
	test->status = KUNIT_SUCCESS;
}

/* ---------------- small helpers the drivers lean on ---------------- */

static void shim_test_bit_helpers(struct kunit *test)
{
	unsigned long bm = BIT(12) | BIT(21) | BIT(30);
	unsigned long bit, n = 0;

	KUNIT_EXPECT_EQ(test, GENMASK_ULL(47, 12), 0x0000fffffffff000ULL);
	KUNIT_EXPECT_EQ(test, FIELD_GET(GENMASK_ULL(9, 8), 0x300ULL), 3);
	KUNIT_EXPECT_EQ(test, FIELD_PREP(GENMASK(7, 6), 2), 0x80);
	KUNIT_EXPECT_EQ(test, ilog2(SZ_4K), 12);
	KUNIT_EXPECT_EQ(test, ilog2((u64)SZ_1T), 40);
	KUNIT_EXPECT_EQ(test, roundup_pow_of_two(3000), 4096);
	KUNIT_EXPECT_TRUE(test, is_power_of_2(SZ_2M));
	KUNIT_EXPECT_FALSE(test, is_power_of_2(0));
	KUNIT_EXPECT_EQ(test, get_order(PAGE_SIZE + 1), 1);
	KUNIT_EXPECT_EQ(test, get_order(1), 0);
	KUNIT_EXPECT_EQ(test, __ffs(bm), 12);
	KUNIT_EXPECT_EQ(test, __fls(bm), 30);
	for_each_set_bit(bit, &bm, BITS_PER_LONG)
		n++;
	KUNIT_EXPECT_EQ(test, n, 3);
	KUNIT_EXPECT_EQ(test, DIV_ROUND_UP(10, 4), 3);
	KUNIT_EXPECT_EQ(test, ALIGN(0x1001, 0x1000), 0x2000);
	KUNIT_EXPECT_EQ(test, min(3, 4), 3);
	KUNIT_EXPECT_EQ(test, max_t(u64, 1, SZ_4G), SZ_4G);
}

static void shim_test_iotlb_gather_and_dirty(struct kunit *test)
{
	struct iommu_iotlb_gather gather;
	struct iommu_dirty_bitmap dirty;
	struct iova_bitmap *bm = shim_iova_bitmap_alloc(0x100000, SZ_1M, SZ_4K);

	iommu_iotlb_gather_init(&gather);
	KUNIT_EXPECT_EQ(test, gather.start, ULONG_MAX);
	KUNIT_EXPECT_EQ(test, gather.end, 0);
	KUNIT_EXPECT_TRUE(test, list_empty(&gather.freelist));
	KUNIT_EXPECT_FALSE(test, iommu_iotlb_gather_queued(&gather));

	iommu_dirty_bitmap_init(&dirty, bm, &gather);
	iommu_dirty_bitmap_record(&dirty, 0x102000, SZ_8K);
	KUNIT_EXPECT_TRUE(test, shim_iova_bitmap_test(bm, 0x102000));
	KUNIT_EXPECT_TRUE(test, shim_iova_bitmap_test(bm, 0x103fff));
	KUNIT_EXPECT_FALSE(test, shim_iova_bitmap_test(bm, 0x104000));
	KUNIT_EXPECT_EQ(test, shim_iova_bitmap_weight(bm), 2);
	KUNIT_EXPECT_EQ(test, gather.start, 0x102000);
	KUNIT_EXPECT_EQ(test, gather.end, 0x103fff);
	shim_iova_bitmap_free(bm);
	KUNIT_EXPECT_EQ(test, IOMMU_READ | IOMMU_WRITE | IOMMU_CACHE |
			IOMMU_NOEXEC | IOMMU_MMIO | IOMMU_PRIV, 0x3f);
}

/* ---------------- the KUnit shim itself ---------------- */

static int action_log[4], nr_actions;

static void log_action(void *ctx)
{
	action_log[nr_actions++] = (int)(long)ctx;
}

static void shim_test_kunit_actions(struct kunit *test)
{
	void *m;

	nr_actions = 0;
	KUNIT_ASSERT_EQ(test, kunit_add_action(test, log_action, (void *)1L), 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action(test, log_action, (void *)2L), 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action(test, log_action, (void *)3L), 0);
	kunit_release_action(test, log_action, (void *)2L);
	KUNIT_EXPECT_EQ(test, nr_actions, 1);
	KUNIT_EXPECT_EQ(test, action_log[0], 2);
	kunit_remove_action(test, log_action, (void *)3L);
	kunit_cleanup(test);
	KUNIT_EXPECT_EQ(test, nr_actions, 2);
	KUNIT_EXPECT_EQ(test, action_log[1], 1);

	m = kunit_kzalloc(test, 100, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, m);
	KUNIT_EXPECT_TRUE(test, mem_is_zero(m, 100));
	kunit_kfree(test, m);
	/* this one is freed by the runner, or the case would leak */
	KUNIT_EXPECT_NOT_NULL(test, kunit_kmalloc(test, 10, GFP_KERNEL));
}

struct shim_param {
	int v;
	const char *desc;
};

static const struct shim_param shim_params[] = {
	{ 1, "one" }, { 2, "two" }, { 3, "three" },
};

KUNIT_ARRAY_PARAM_DESC(shim_params, shim_params, desc);

static void shim_test_params(struct kunit *test)
{
	const struct shim_param *p = test->param_value;

	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_EQ(test, p->v, test->param_index + 1);
	KUNIT_EXPECT_STREQ(test, p->desc, shim_params[test->param_index].desc);
}

static int shim_test_init(struct kunit *test)
{
	test->priv = kunit_kzalloc(test, sizeof(int), GFP_KERNEL);
	return test->priv ? 0 : -ENOMEM;
}

/*
 * iommu_put_pages_list(), as dma-iommu's flush queue calls it: every page
 * on the list through its lru, freed and uncounted from NR_IOMMU_PAGES;
 * a page of a larger allocation is a bug the kernel would turn into a leak.
 */
static void shim_test_put_pages_list(struct kunit *test)
{
	long iommu0 = shim_node_page_state(NR_IOMMU_PAGES);
	unsigned long fails = shim_fail_count();
	LIST_HEAD(list);
	void *a = iommu_alloc_page(GFP_KERNEL);
	void *b = iommu_alloc_page(GFP_KERNEL);
	void *c = iommu_alloc_pages(GFP_KERNEL, 1);

	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_ASSERT_NOT_NULL(test, c);
	KUNIT_EXPECT_EQ(test, shim_node_page_state(NR_IOMMU_PAGES), iommu0 + 4);
	list_add_tail(&virt_to_page(a)->lru, &list);
	list_add_tail(&virt_to_page(b)->lru, &list);
	iommu_put_pages_list(&list);
	KUNIT_EXPECT_TRUE(test, list_empty(&list));
	KUNIT_EXPECT_EQ(test, shim_node_page_state(NR_IOMMU_PAGES), iommu0 + 2);
	KUNIT_EXPECT_EQ(test, shim_fail_count(), fails);

	put_page(virt_to_page(c));		/* order 1: refused */
	KUNIT_EXPECT_EQ(test, shim_fail_count(), fails + 1);
	shim_forgive_failures(fails);
	iommu_free_pages(c, 1);
	KUNIT_EXPECT_EQ(test, shim_node_page_state(NR_IOMMU_PAGES), iommu0);
}

static struct kunit_case shim_test_cases[] = {
	KUNIT_CASE(shim_test_normal_memory_above_4g),
	KUNIT_CASE(shim_test_dma32_memory_below_4g),
	KUNIT_CASE(shim_test_slab_gfp_dma32_is_a_bug),
	KUNIT_CASE(shim_test_kmalloc_natural_alignment),
	KUNIT_CASE(shim_test_kmalloc_size_classes),
	KUNIT_CASE(shim_test_pages_aligned_and_zeroed),
	KUNIT_CASE(shim_test_uninitialised_is_not_zero),
	KUNIT_CASE(shim_test_leak_detection),
	KUNIT_CASE(shim_test_live_counts),
	KUNIT_CASE(shim_test_bad_free_detected),
	KUNIT_CASE(shim_test_fault_injection_nth),
	KUNIT_CASE(shim_test_fault_injection_from),
	KUNIT_CASE(shim_test_fault_injection_dma_map),
	KUNIT_CASE(shim_test_dma_unsynced_write),
	KUNIT_CASE(shim_test_dma_errors),
	KUNIT_CASE(shim_test_dma_mask_bounce),
	KUNIT_CASE(shim_test_dma_kmalloc_bounce),
	KUNIT_CASE(shim_test_warn_counted),
	KUNIT_CASE(shim_test_cmpxchg_semantics),
	KUNIT_CASE(shim_test_cmpxchg_threads),
	KUNIT_CASE(shim_test_alloc_threads),
	KUNIT_CASE(shim_test_sleep_in_atomic),
	KUNIT_CASE(shim_test_kthreads),
	KUNIT_CASE(shim_test_bug_in_thread),
	KUNIT_CASE(shim_test_bit_helpers),
	KUNIT_CASE(shim_test_iotlb_gather_and_dirty),
	KUNIT_CASE(shim_test_kunit_actions),
	KUNIT_CASE_PARAM(shim_test_params, shim_params_gen_params),
	KUNIT_CASE(shim_test_put_pages_list),
	{}
};

static struct kunit_suite shim_test_suite = {
	.name = "io-pgtable-shim",
	.init = shim_test_init,
	.test_cases = shim_test_cases,
};

kunit_test_suite(shim_test_suite);
