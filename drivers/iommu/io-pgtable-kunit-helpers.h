/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Helpers shared by the io-pgtable KUnit suites (core, LPAE, v7s): a
 * recorder for the TLB callbacks, instrumented table allocators, a shadow
 * model of what was mapped and snapshots of table memory.
 *
 * One struct iopt_test_ctx is the cookie of the tables under test, so the
 * flush callbacks and the allocator hooks, which the core hands the same
 * cookie, log into one ordered record: a test can then tell whether a
 * table was freed before or after the walk cache was invalidated.
 *
 * Everything here is static inline so that a suite pays only for what it
 * uses.
 */
#ifndef __IO_PGTABLE_KUNIT_HELPERS_H
#define __IO_PGTABLE_KUNIT_HELPERS_H

#include <kunit/device.h>
#include <kunit/test.h>
#include <linux/atomic.h>
#include <linux/device.h>
#include <linux/dma-mapping.h>
#include <linux/err.h>
#include <linux/io-pgtable.h>
#include <linux/kernel.h>
#include <linux/limits.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#include "iommu-pages.h"
#include <linux/types.h>

#define IOPT_TEST_LOG_LEN	512
#define IOPT_TEST_MAX_ALLOCS	1024

/**
 * enum iopt_test_ev - what the ordering log records
 * @IOPT_TEST_EV_FLUSH_ALL:  tlb_flush_all.
 * @IOPT_TEST_EV_FLUSH_WALK: tlb_flush_walk; @addr/@size the range.
 * @IOPT_TEST_EV_ADD_PAGE:   tlb_add_page; @addr the IOVA, @size the granule.
 * @IOPT_TEST_EV_ALLOC:      cfg->alloc succeeded; @addr the table's PA.
 * @IOPT_TEST_EV_FREE:       cfg->free; @addr the table's PA.
 */
enum iopt_test_ev {
	IOPT_TEST_EV_FLUSH_ALL,
	IOPT_TEST_EV_FLUSH_WALK,
	IOPT_TEST_EV_ADD_PAGE,
	IOPT_TEST_EV_ALLOC,
	IOPT_TEST_EV_FREE,
};

/**
 * struct iopt_test_event - one entry of the ordering log
 * @type:    What happened.
 * @addr:    IOVA (flushes) or physical address (allocator).
 * @size:    Range or table size.
 * @granule: tlb_flush_walk's granule.
 */
struct iopt_test_event {
	enum iopt_test_ev	type;
	u64			addr;
	u64			size;
	size_t			granule;
};

/**
 * struct iopt_test_alloc_rec - a live allocation of the test allocator
 * @table: What the hook returned.
 * @base:  What it must give back to kfree().
 * @size:  The size asked for.
 */
struct iopt_test_alloc_rec {
	void	*table;
	void	*base;
	size_t	size;
};

/**
 * struct iopt_test_ctx - the cookie of tables under test
 * @test:           The test, for allocations and reports.
 * @lock:           Serialises the callbacks (tables may be used from two
 *                  threads at once).
 * @flush_all:      tlb_flush_all calls.
 * @flush_walk:     tlb_flush_walk calls.
 * @add_page:       tlb_add_page calls.
 * @walk_iova:      Last tlb_flush_walk range start.
 * @walk_size:      Last tlb_flush_walk range size.
 * @walk_granule:   Last tlb_flush_walk granule.
 * @page_iova:      Last tlb_add_page IOVA.
 * @page_granule:   Last tlb_add_page granule.
 * @page_gather:    Last tlb_add_page gather.
 * @bad_cookie:     Callbacks that were handed another cookie (never, unless
 *                  the format passes the wrong one).
 * @log:            Ordering log.
 * @log_len:        Capacity of @log: %IOPT_TEST_LOG_LEN unless
 *                  iopt_test_ctx_log_len() changed it.
 * @nlog:           Events logged; may exceed @log_len, the excess is
 *                  counted, not kept.
 * @allocs:         Successful allocations.
 * @frees:          Frees.
 * @alloc_calls:    Calls of the alloc hook, failed ones included.
 * @fail_after:     Allocations that succeed before the hook returns NULL.
 * @misalign_after: Allocations that are aligned before the hook returns
 *                  memory misaligned to its size.
 * @live:           Tables allocated and not freed.
 * @live_bytes:     Their bytes.
 * @peak_bytes:     The high-water mark of @live_bytes.
 * @bad_frees:      Frees of memory the hook did not hand out, or with
 *                  another size.
 * @first_size:     Size of the first allocation (the PGD, for a format).
 * @first_table:    The first allocation.
 * @recs:           The live allocations.
 * @nrecs:          Entries in @recs.
 * @max_recs:       Capacity of @recs; beyond it allocations fail.
 */
struct iopt_test_ctx {
	struct kunit			*test;
	spinlock_t			lock;	/* the callbacks may race */

	unsigned int			flush_all;
	unsigned int			flush_walk;
	unsigned int			add_page;
	unsigned long			walk_iova;
	size_t				walk_size;
	size_t				walk_granule;
	unsigned long			page_iova;
	size_t				page_granule;
	struct iommu_iotlb_gather	*page_gather;
	unsigned int			bad_cookie;

	struct iopt_test_event		*log;
	unsigned int			log_len;
	unsigned int			nlog;

	unsigned int			allocs;
	unsigned int			frees;
	unsigned int			alloc_calls;
	unsigned int			fail_after;
	unsigned int			misalign_after;
	unsigned int			live;
	size_t				live_bytes;
	size_t				peak_bytes;
	unsigned int			bad_frees;
	size_t				first_size;
	void				*first_table;
	struct iopt_test_alloc_rec	*recs;
	unsigned int			nrecs;
	unsigned int			max_recs;
};

/**
 * iopt_test_ctx_alloc() - a fresh cookie, freed with the test
 * @test: The test.
 *
 * The allocator neither fails nor misaligns until told to.
 *
 * Return: The context; the test is aborted if memory runs out.
 */
static inline struct iopt_test_ctx *iopt_test_ctx_alloc(struct kunit *test)
{
	struct iopt_test_ctx *ctx;

	ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ctx);
	ctx->recs = kunit_kcalloc(test, IOPT_TEST_MAX_ALLOCS,
				  sizeof(*ctx->recs), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ctx->recs);
	ctx->log = kunit_kcalloc(test, IOPT_TEST_LOG_LEN, sizeof(*ctx->log),
				 GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ctx->log);
	ctx->log_len = IOPT_TEST_LOG_LEN;
	ctx->test = test;
	ctx->max_recs = IOPT_TEST_MAX_ALLOCS;
	ctx->fail_after = UINT_MAX;
	ctx->misalign_after = UINT_MAX;
	spin_lock_init(&ctx->lock);
	return ctx;
}

/**
 * iopt_test_ctx_log_len() - make room for @len events in the ordering log
 * @ctx: The context, before the tables are in use.
 * @len: Events to keep.
 *
 * For tests whose one call logs more than %IOPT_TEST_LOG_LEN events. The
 * log is emptied.
 */
static inline void iopt_test_ctx_log_len(struct iopt_test_ctx *ctx,
					 unsigned int len)
{
	struct iopt_test_event *log;

	log = kunit_kcalloc(ctx->test, len, sizeof(*log), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(ctx->test, log);
	spin_lock(&ctx->lock);
	ctx->log = log;
	ctx->log_len = len;
	ctx->nlog = 0;
	spin_unlock(&ctx->lock);
}

/**
 * iopt_test_reset_flushes() - forget the flushes and the log so far
 * @ctx: The context.
 */
static inline void iopt_test_reset_flushes(struct iopt_test_ctx *ctx)
{
	spin_lock(&ctx->lock);
	ctx->flush_all = 0;
	ctx->flush_walk = 0;
	ctx->add_page = 0;
	ctx->walk_iova = 0;
	ctx->walk_size = 0;
	ctx->walk_granule = 0;
	ctx->page_iova = 0;
	ctx->page_granule = 0;
	ctx->page_gather = NULL;
	ctx->nlog = 0;
	spin_unlock(&ctx->lock);
}

/* Called with ctx->lock held. */
static inline void iopt_test_log(struct iopt_test_ctx *ctx,
				 enum iopt_test_ev type, u64 addr, u64 size,
				 size_t granule)
{
	if (ctx->nlog < ctx->log_len) {
		struct iopt_test_event *ev = &ctx->log[ctx->nlog];

		ev->type = type;
		ev->addr = addr;
		ev->size = size;
		ev->granule = granule;
	}
	ctx->nlog++;
}

/**
 * iopt_test_log_find() - next event of a type, and where
 * @ctx:   The context.
 * @type:  The event type.
 * @from:  First log index to look at.
 * @addr:  Match events whose range contains this address, or U64_MAX for
 *         any.
 *
 * Return: The index of the event, or -1.
 */
static inline int iopt_test_log_find(const struct iopt_test_ctx *ctx,
				     enum iopt_test_ev type, unsigned int from,
				     u64 addr)
{
	unsigned int i, n = min_t(unsigned int, ctx->nlog, ctx->log_len);

	for (i = from; i < n; i++) {
		const struct iopt_test_event *ev = &ctx->log[i];

		if (ev->type != type)
			continue;
		if (addr == U64_MAX ||
		    (addr >= ev->addr && addr - ev->addr < ev->size))
			return i;
	}
	return -1;
}

/**
 * iopt_test_log_count() - events of a type in the log
 * @ctx:  The context.
 * @type: The event type.
 *
 * Return: How many of the kept events have @type.
 */
static inline unsigned int iopt_test_log_count(const struct iopt_test_ctx *ctx,
					       enum iopt_test_ev type)
{
	unsigned int i, cnt = 0, n = min_t(unsigned int, ctx->nlog,
					   ctx->log_len);

	for (i = 0; i < n; i++)
		cnt += ctx->log[i].type == type;
	return cnt;
}

static inline struct iopt_test_ctx *iopt_test_cookie(void *cookie)
{
	return cookie;
}

static inline void iopt_test_tlb_flush_all(void *cookie)
{
	struct iopt_test_ctx *ctx = iopt_test_cookie(cookie);

	spin_lock(&ctx->lock);
	ctx->flush_all++;
	iopt_test_log(ctx, IOPT_TEST_EV_FLUSH_ALL, 0, U64_MAX, 0);
	spin_unlock(&ctx->lock);
}

static inline void iopt_test_tlb_flush_walk(unsigned long iova, size_t size,
					    size_t granule, void *cookie)
{
	struct iopt_test_ctx *ctx = iopt_test_cookie(cookie);

	spin_lock(&ctx->lock);
	ctx->flush_walk++;
	ctx->walk_iova = iova;
	ctx->walk_size = size;
	ctx->walk_granule = granule;
	iopt_test_log(ctx, IOPT_TEST_EV_FLUSH_WALK, iova, size, granule);
	spin_unlock(&ctx->lock);
}

static inline void iopt_test_tlb_add_page(struct iommu_iotlb_gather *gather,
					  unsigned long iova, size_t granule,
					  void *cookie)
{
	struct iopt_test_ctx *ctx = iopt_test_cookie(cookie);

	spin_lock(&ctx->lock);
	ctx->add_page++;
	ctx->page_iova = iova;
	ctx->page_granule = granule;
	ctx->page_gather = gather;
	iopt_test_log(ctx, IOPT_TEST_EV_ADD_PAGE, iova, granule, granule);
	spin_unlock(&ctx->lock);
}

/* The flush callbacks of a test's tables; the cookie is an iopt_test_ctx. */
static const struct iommu_flush_ops iopt_test_flush_ops __maybe_unused = {
	.tlb_flush_all	= iopt_test_tlb_flush_all,
	.tlb_flush_walk	= iopt_test_tlb_flush_walk,
	.tlb_add_page	= iopt_test_tlb_add_page,
};

/**
 * iopt_test_alloc_admit() - count a call to an allocation hook
 * @ctx:      The context.
 * @misalign: Set when the memory is to be misaligned (@misalign_after).
 *
 * The bookkeeping every allocation hook of the tests shares, whatever
 * memory it hands out; iopt_test_alloc_record() completes it.
 *
 * Return: false when the hook must fail: @fail_after allocations have
 * succeeded, or there is no room left to record another.
 */
static inline bool iopt_test_alloc_admit(struct iopt_test_ctx *ctx,
					 bool *misalign)
{
	bool ok;

	spin_lock(&ctx->lock);
	ctx->alloc_calls++;
	ok = ctx->allocs < ctx->fail_after && ctx->nrecs < ctx->max_recs;
	*misalign = ctx->allocs >= ctx->misalign_after;
	spin_unlock(&ctx->lock);
	return ok;
}

/**
 * iopt_test_alloc_record() - record the table an allocation hook made
 * @ctx:   The context.
 * @base:  The memory as allocated, for the hook's free to release.
 * @table: What the hook returns, within @base.
 * @size:  Bytes asked for.
 *
 * Return: false when the records filled up meanwhile; the hook then
 * releases @base and fails.
 */
static inline bool iopt_test_alloc_record(struct iopt_test_ctx *ctx,
					  void *base, void *table, size_t size)
{
	spin_lock(&ctx->lock);
	if (ctx->nrecs >= ctx->max_recs) {
		spin_unlock(&ctx->lock);
		return false;
	}
	ctx->recs[ctx->nrecs].table = table;
	ctx->recs[ctx->nrecs].base = base;
	ctx->recs[ctx->nrecs].size = size;
	ctx->nrecs++;
	if (!ctx->allocs) {
		ctx->first_size = size;
		ctx->first_table = table;
	}
	ctx->allocs++;
	ctx->live++;
	ctx->live_bytes += size;
	ctx->peak_bytes = max(ctx->peak_bytes, ctx->live_bytes);
	iopt_test_log(ctx, IOPT_TEST_EV_ALLOC, virt_to_phys(table), size, 0);
	spin_unlock(&ctx->lock);
	return true;
}

/**
 * iopt_test_free_record() - forget the table a free hook was given
 * @ctx:   The context.
 * @table: What the allocation hook returned.
 * @size:  The size it was allocated with.
 *
 * The memory is poisoned, so that a walk through a freed table reads
 * garbage rather than a plausible stale table; a table the hook did
 * not hand out, or a wrong @size, counts as a bad free.
 *
 * Return: The base recorded for @table, for the hook to release, or
 * NULL after a bad free.
 */
static inline void *iopt_test_free_record(struct iopt_test_ctx *ctx,
					  void *table, size_t size)
{
	unsigned int i;
	void *base;

	spin_lock(&ctx->lock);
	for (i = 0; i < ctx->nrecs; i++)
		if (ctx->recs[i].table == table)
			break;
	if (i == ctx->nrecs || ctx->recs[i].size != size) {
		ctx->bad_frees++;
		spin_unlock(&ctx->lock);
		return NULL;
	}
	base = ctx->recs[i].base;
	ctx->recs[i] = ctx->recs[--ctx->nrecs];
	ctx->frees++;
	ctx->live--;
	ctx->live_bytes -= size;
	iopt_test_log(ctx, IOPT_TEST_EV_FREE, virt_to_phys(table), size, 0);
	spin_unlock(&ctx->lock);

	memset(table, 0x5a, size);
	return base;
}

/**
 * iopt_test_alloc() - the instrumented cfg->alloc hook
 * @cookie: An iopt_test_ctx.
 * @size:   Bytes, a power of two.
 * @gfp:    Allocation flags.
 *
 * Returns zeroed memory naturally aligned to @size (kmalloc() aligns
 * power-of-two sizes), until @fail_after allocations have succeeded;
 * after @misalign_after allocations the memory is deliberately placed
 * @size / 2 bytes into a larger buffer, so misaligned to @size.
 *
 * Return: The table, or NULL.
 */
static inline void *iopt_test_alloc(void *cookie, size_t size, gfp_t gfp)
{
	struct iopt_test_ctx *ctx = iopt_test_cookie(cookie);
	bool misalign;
	void *base, *table;

	if (!iopt_test_alloc_admit(ctx, &misalign))
		return NULL;

	/* GFP_DMA zones are the caller's business; kmalloc() has none */
	gfp &= ~(__GFP_DMA | __GFP_DMA32);
	base = kzalloc(misalign ? 2 * size : size, gfp);
	if (!base)
		return NULL;
	table = misalign ? base + size / 2 : base;

	if (!iopt_test_alloc_record(ctx, base, table, size)) {
		kfree(base);
		return NULL;
	}
	return table;
}

/**
 * iopt_test_free() - the instrumented cfg->free hook
 * @cookie: An iopt_test_ctx.
 * @table:  What iopt_test_alloc() returned.
 * @size:   The size it was allocated with.
 *
 * The memory is poisoned before it is freed (iopt_test_free_record()).
 */
static inline void iopt_test_free(void *cookie, void *table, size_t size)
{
	kfree(iopt_test_free_record(iopt_test_cookie(cookie), table, size));
}

/**
 * iopt_test_alloc_find() - the live allocation holding a physical address
 * @ctx: The context.
 * @pa:  The address.
 *
 * Return: The record, or NULL when no live table of the hook holds @pa.
 */
static inline const struct iopt_test_alloc_rec *
iopt_test_alloc_find(struct iopt_test_ctx *ctx, phys_addr_t pa)
{
	unsigned int i;

	for (i = 0; i < ctx->nrecs; i++) {
		phys_addr_t start = virt_to_phys(ctx->recs[i].table);

		if (pa >= start && pa - start < ctx->recs[i].size)
			return &ctx->recs[i];
	}
	return NULL;
}

/**
 * iopt_test_use_allocator() - route a configuration's tables through the hooks
 * @cfg: The configuration.
 */
static inline void iopt_test_use_allocator(struct io_pgtable_cfg *cfg)
{
	cfg->alloc = iopt_test_alloc;
	cfg->free = iopt_test_free;
}

/*
 * map_pages() and unmap_pages() as the tests call them: GFP_KERNEL, @mapped
 * optional (NULL), and a gather of unmap's own.
 */
static inline int iopt_test_map(struct io_pgtable_ops *ops, u64 iova, u64 pa,
				size_t pgsize, size_t pgcount, int prot,
				size_t *mapped)
{
	size_t dummy = 0;

	return ops->map_pages(ops, iova, pa, pgsize, pgcount, prot, GFP_KERNEL,
			      mapped ? mapped : &dummy);
}

static inline size_t iopt_test_unmap(struct io_pgtable_ops *ops, u64 iova,
				     size_t pgsize, size_t pgcount)
{
	struct iommu_iotlb_gather gather;

	iommu_iotlb_gather_init(&gather);
	return ops->unmap_pages(ops, iova, pgsize, pgcount, &gather);
}

/**
 * iopt_test_fq_flush() - the DMA API's flush queue, for a queued gather
 * @cfg:    The tables' configuration, for its flush callbacks.
 * @cookie: Their cookie.
 * @gather: A queued gather that unmap_pages() was given.
 *
 * What dma-iommu does with the gather's freelist: the full invalidation
 * first (the driver's flush_iotlb_all(), tlb_flush_all), then
 * iommu_put_pages_list(). Only when the list holds tables, so that the
 * callback counts of tests that defer nothing stay as they were.
 *
 * Return: The number of tables the list held.
 */
static inline unsigned int iopt_test_fq_flush(const struct io_pgtable_cfg *cfg,
					      void *cookie,
					      struct iommu_iotlb_gather *gather)
{
	unsigned int n = 0;
	struct page *p;

	list_for_each_entry(p, &gather->freelist, lru)
		n++;
	if (!n)
		return 0;
	if (cfg->tlb && cfg->tlb->tlb_flush_all)
		cfg->tlb->tlb_flush_all(cookie);
	iommu_put_pages_list(&gather->freelist);
	return n;
}

/**
 * struct iopt_shadow_ent - one mapping of the shadow model
 * @iova:   Start.
 * @paddr:  Output address of @iova.
 * @size:   Bytes.
 * @pgsize: Page size it was mapped with.
 * @prot:   IOMMU_* flags.
 */
struct iopt_shadow_ent {
	u64	iova;
	u64	paddr;
	u64	size;
	size_t	pgsize;
	int	prot;
};

/**
 * struct iopt_shadow - what a test believes is mapped
 * @ents: Disjoint mappings, in no particular order.
 * @n:    Entries in use.
 * @max:  Capacity.
 */
struct iopt_shadow {
	struct iopt_shadow_ent	*ents;
	unsigned int		n;
	unsigned int		max;
};

/**
 * iopt_shadow_init() - an empty shadow with room for @max mappings
 * @test:   The test; the memory is freed with it.
 * @shadow: The shadow.
 * @max:    Capacity.
 */
static inline void iopt_shadow_init(struct kunit *test,
				    struct iopt_shadow *shadow,
				    unsigned int max)
{
	shadow->ents = kunit_kcalloc(test, max, sizeof(*shadow->ents),
				     GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, shadow->ents);
	shadow->n = 0;
	shadow->max = max;
}

/**
 * iopt_shadow_add() - record a mapping
 * @shadow: The shadow.
 * @iova:   Start.
 * @paddr:  Output address.
 * @size:   Bytes.
 * @pgsize: Page size.
 * @prot:   IOMMU_* flags.
 *
 * Return: False when the shadow is full.
 */
static inline bool iopt_shadow_add(struct iopt_shadow *shadow, u64 iova,
				   u64 paddr, u64 size, size_t pgsize,
				   int prot)
{
	struct iopt_shadow_ent *e;

	if (shadow->n >= shadow->max)
		return false;
	e = &shadow->ents[shadow->n++];
	e->iova = iova;
	e->paddr = paddr;
	e->size = size;
	e->pgsize = pgsize;
	e->prot = prot;
	return true;
}

/**
 * iopt_shadow_find() - the mapping that covers an IOVA
 * @shadow: The shadow.
 * @iova:   The address.
 *
 * Return: The entry, or NULL.
 */
static inline const struct iopt_shadow_ent *
iopt_shadow_find(const struct iopt_shadow *shadow, u64 iova)
{
	unsigned int i;

	for (i = 0; i < shadow->n; i++) {
		const struct iopt_shadow_ent *e = &shadow->ents[i];

		if (iova >= e->iova && iova - e->iova < e->size)
			return e;
	}
	return NULL;
}

/**
 * iopt_shadow_overlaps() - whether any mapping meets [@iova, @iova + @size)
 * @shadow: The shadow.
 * @iova:   Start.
 * @size:   Bytes.
 *
 * Return: True on overlap.
 */
static inline bool iopt_shadow_overlaps(const struct iopt_shadow *shadow,
					u64 iova, u64 size)
{
	unsigned int i;

	for (i = 0; i < shadow->n; i++) {
		const struct iopt_shadow_ent *e = &shadow->ents[i];

		if (iova < e->iova + e->size && e->iova < iova + size)
			return true;
	}
	return false;
}

/**
 * iopt_shadow_remove() - forget [@iova, @iova + @size)
 * @shadow: The shadow.
 * @iova:   Start.
 * @size:   Bytes.
 *
 * Entries are trimmed or split as needed.
 *
 * Return: False if a split found the shadow full (the tail is lost).
 */
static inline bool iopt_shadow_remove(struct iopt_shadow *shadow, u64 iova,
				      u64 size)
{
	u64 end = iova + size;
	bool ok = true;
	unsigned int i = 0;

	while (i < shadow->n) {
		struct iopt_shadow_ent *e = &shadow->ents[i];
		u64 e_end = e->iova + e->size;

		if (end <= e->iova || e_end <= iova) {
			i++;
			continue;
		}
		if (iova > e->iova && end < e_end) {
			/* split: keep the head here, the tail at the end */
			ok = iopt_shadow_add(shadow, end,
					     e->paddr + (end - e->iova),
					     e_end - end, e->pgsize, e->prot);
			e = &shadow->ents[i];
			e->size = iova - e->iova;
			i++;
		} else if (iova > e->iova) {
			e->size = iova - e->iova;
			i++;
		} else if (end < e_end) {
			e->paddr += end - e->iova;
			e->size = e_end - end;
			e->iova = end;
			i++;
		} else {
			*e = shadow->ents[--shadow->n];
		}
	}
	return ok;
}

/**
 * iopt_shadow_check() - compare the shadow with the tables
 * @test:   The test.
 * @shadow: The shadow.
 * @ops:    The tables' operations, for iova_to_phys().
 * @xlate:  The reference walker: returns true and sets *@pa when @iova
 *          translates. May be NULL.
 * @arg:    Passed to @xlate.
 *
 * Each mapping is probed at its first and last byte and at up to 16 page
 * boundaries in between; the bytes just outside it are probed too when no
 * other mapping covers them. The walker and iova_to_phys() must both
 * agree with the shadow.
 *
 * Return: The number of disagreements (each also fails the test).
 */
static inline unsigned int
iopt_shadow_check(struct kunit *test, const struct iopt_shadow *shadow,
		  struct io_pgtable_ops *ops,
		  bool (*xlate)(void *arg, u64 iova, phys_addr_t *pa),
		  void *arg)
{
	unsigned int i, k, bad = 0;

	for (i = 0; i < shadow->n; i++) {
		const struct iopt_shadow_ent *e = &shadow->ents[i];
		u64 step = max_t(u64, e->pgsize, e->size / 16);
		u64 probe[20];
		unsigned int np = 0;
		u64 off;

		for (off = 0; off < e->size && np < 17; off += step)
			probe[np++] = e->iova + off + (off ? 0 : 0x18);
		probe[np++] = e->iova + e->size - 1;

		for (k = 0; k < np; k++) {
			phys_addr_t want = e->paddr + (probe[k] - e->iova);
			phys_addr_t got = ops->iova_to_phys(ops, probe[k]);
			phys_addr_t ref;

			if (got != want) {
				bad++;
				KUNIT_FAIL(test, "iova_to_phys(%#llx) = %pa, want %pa",
					   probe[k], &got, &want);
			}
			if (xlate && (!xlate(arg, probe[k], &ref) || ref != want)) {
				bad++;
				KUNIT_FAIL(test, "walker: %#llx does not translate to %pa",
					   probe[k], &want);
			}
		}

		probe[0] = e->iova - 1;
		probe[1] = e->iova + e->size;
		for (k = 0; k < 2; k++) {
			phys_addr_t ref, got;

			if (iopt_shadow_find(shadow, probe[k]))
				continue;
			got = ops->iova_to_phys(ops, probe[k]);
			if (got) {
				bad++;
				KUNIT_FAIL(test, "unmapped %#llx translates to %pa",
					   probe[k], &got);
			}
			if (xlate && xlate(arg, probe[k], &ref)) {
				bad++;
				KUNIT_FAIL(test, "walker: unmapped %#llx translates to %pa",
					   probe[k], &ref);
			}
		}
	}
	return bad;
}

/**
 * struct iopt_snap_table - one table's memory at the time of a snapshot
 * @pa:   Physical address.
 * @size: Bytes.
 * @copy: Its contents.
 */
struct iopt_snap_table {
	phys_addr_t	pa;
	size_t		size;
	void		*copy;
};

/**
 * struct iopt_snapshot - the memory of every table, to prove nothing changed
 * @test:   The test owning the memory.
 * @tables: The tables, in the order they were added.
 * @n:      Tables recorded.
 * @max:    Capacity.
 * @full:   A table did not fit; the snapshot is incomplete.
 */
struct iopt_snapshot {
	struct kunit		*test;
	struct iopt_snap_table	*tables;
	unsigned int		n;
	unsigned int		max;
	bool			full;
};

/**
 * iopt_snapshot_init() - an empty snapshot for up to @max tables
 * @test: The test; memory is freed with it.
 * @snap: The snapshot.
 * @max:  Capacity.
 */
static inline void iopt_snapshot_init(struct kunit *test,
				      struct iopt_snapshot *snap,
				      unsigned int max)
{
	memset(snap, 0, sizeof(*snap));
	snap->test = test;
	snap->max = max;
	snap->tables = kunit_kcalloc(test, max, sizeof(*snap->tables),
				     GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, snap->tables);
}

/**
 * iopt_snapshot_add() - copy a table into the snapshot
 * @snap: The snapshot.
 * @pa:   The table's physical address (in the linear map).
 * @size: Its size.
 *
 * Return: 0, or -ENOMEM when the snapshot is full (it is then marked so).
 */
static inline int iopt_snapshot_add(struct iopt_snapshot *snap,
				    phys_addr_t pa, size_t size)
{
	struct iopt_snap_table *t;

	if (snap->n >= snap->max) {
		snap->full = true;
		return -ENOMEM;
	}
	t = &snap->tables[snap->n];
	t->copy = kunit_kmalloc(snap->test, size, GFP_KERNEL);
	if (!t->copy) {
		snap->full = true;
		return -ENOMEM;
	}
	memcpy(t->copy, phys_to_virt(pa), size);
	t->pa = pa;
	t->size = size;
	snap->n++;
	return 0;
}

/**
 * iopt_snapshot_expect_equal() - fail the test unless two snapshots match
 * @test: The test.
 * @a:    The earlier snapshot.
 * @b:    The later one.
 *
 * Same tables at the same addresses with the same sizes and contents; the
 * first difference is reported.
 *
 * Return: True if they match.
 */
static inline bool iopt_snapshot_expect_equal(struct kunit *test,
					      const struct iopt_snapshot *a,
					      const struct iopt_snapshot *b)
{
	unsigned int i;
	size_t off;

	KUNIT_EXPECT_FALSE(test, a->full);
	KUNIT_EXPECT_FALSE(test, b->full);
	if (a->n != b->n) {
		KUNIT_FAIL(test, "table count changed: %u -> %u", a->n, b->n);
		return false;
	}
	for (i = 0; i < a->n; i++) {
		const struct iopt_snap_table *ta = &a->tables[i];
		const struct iopt_snap_table *tb = &b->tables[i];

		if (ta->pa != tb->pa || ta->size != tb->size) {
			KUNIT_FAIL(test, "table %u moved: %pa+%zu -> %pa+%zu",
				   i, &ta->pa, ta->size, &tb->pa, tb->size);
			return false;
		}
		if (!memcmp(ta->copy, tb->copy, ta->size))
			continue;
		for (off = 0; off + 8 <= ta->size; off += 8) {
			u64 va, vb;

			memcpy(&va, ta->copy + off, 8);
			memcpy(&vb, tb->copy + off, 8);
			if (va != vb) {
				KUNIT_FAIL(test, "table %pa offset %#zx: %#llx -> %#llx",
					   &ta->pa, off, va, vb);
				break;
			}
		}
		return false;
	}
	return true;
}

/**
 * iopt_test_dma_device() - a device for a non-coherent walker
 * @test: The test; the device goes away with it.
 *
 * The tables of a non-coherent walker are DMA-mapped for cfg->iommu_dev;
 * the device gets a 64-bit mask so that no table is out of its reach.
 *
 * Return: The device; the test is aborted if it cannot be made.
 */
static inline struct device *iopt_test_dma_device(struct kunit *test)
{
	static atomic_t seq = ATOMIC_INIT(0);
	struct device *dev;
	char name[32];

	/* Each gets a driver of its name, which must not be taken yet. */
	snprintf(name, sizeof(name), "io-pgtable-test-%d",
		 atomic_inc_return(&seq));
	dev = kunit_device_register(test, name);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, dev);
	KUNIT_ASSERT_EQ(test, dma_set_mask_and_coherent(dev, DMA_BIT_MASK(64)),
			0);
	return dev;
}

/**
 * iopt_test_walker_read64() - a descriptor as the table walker fetches it
 * @pa:       Physical address of the descriptor, in the linear map.
 * @coherent: The walker snoops the CPU caches (cfg->coherent_walk).
 *
 * Reference walkers that must see what the device sees, not what the CPU
 * wrote, read through this. The definition in io-pgtable-drivers-kunit.c
 * is __weak and reads memory: in the kernel that is what a walker reads
 * once the format has synced it. The userspace harness links a strong
 * definition that reads its DMA model for a non-coherent walker, so that a
 * write the format did not sync is not seen and an unmapped table fails.
 *
 * Return: The 64-bit descriptor.
 */
u64 iopt_test_walker_read64(phys_addr_t pa, bool coherent);

/**
 * iopt_test_walker_read32() - iopt_test_walker_read64() for 32-bit
 * descriptors (ARMv7 short descriptors)
 * @pa:       Physical address of the descriptor.
 * @coherent: The walker snoops the CPU caches.
 *
 * Return: The 32-bit descriptor.
 */
u32 iopt_test_walker_read32(phys_addr_t pa, bool coherent);

/**
 * iopt_test_lcg() - a small deterministic pseudo-random sequence
 * @state: The generator's state, updated.
 *
 * Tests must fail the same way every run; this is Knuth's MMIX LCG.
 *
 * Return: 32 pseudo-random bits.
 */
static inline u32 iopt_test_lcg(u64 *state)
{
	*state = *state * 6364136223846793005ULL + 1442695040888963407ULL;
	return *state >> 32;
}

#endif /* __IO_PGTABLE_KUNIT_HELPERS_H */
