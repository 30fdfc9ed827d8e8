// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests: GPU VM_BIND on the LPAE formats, played as the drivers play
 * it. Each request is prepared where the driver may sleep (the tables it
 * needs counted with io_pgtable_count_map()/io_pgtable_count_unmap() and
 * reserved with io_pgtable_reserve(GFP_KERNEL)) and run later, as the
 * job's run_job() runs it: the reservation attached, map_pages() and
 * unmap_pages() in the driver's own loops, detached. The allocator of the
 * tables records any call made while a reservation is attached, and each
 * such call fails the test.
 *
 * The cases are named after what they mirror: panthor (6.12's
 * panthor_vm_prepare_map_op_ctx(), panthor_vm_prepare_unmap_op_ctx(),
 * panthor_vm_map_pages() and panthor_vm_unmap_pages(): 4K and 2M pages,
 * a NULL gather, flush callbacks that do nothing synchronously) and msm
 * (a reservation per request, pages of every size the IOMMU core picks,
 * 1G included). After every job:
 *
 *  - the count was exact: what the job took from the reservation is what
 *    the count said, and the reservation holds the rest (plus what unmap
 *    gave back);
 *  - every leaf the reference walker finds is one the shadow model holds,
 *    at the right output address, and together they cover it all;
 *  - every table the allocator has out is one the walker reaches, once
 *    the reservation is emptied.
 *
 * Block splits are checked from the device's side: a model of the walker
 * reads the tables at every TLB callback (through
 * iopt_test_walker_read64(): memory in the kernel, the DMA model of a
 * non-coherent walker in the userspace harness) and proves the
 * break-before-make order: the block entry is invalid when its range is
 * invalidated, the new table comes after, and no callback ever finds a
 * table that translates only part of what it must.
 */

#include <kunit/test.h>
#include <linux/io-pgtable.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/sizes.h>
#include <linux/slab.h>

#include "io-pgtable-arm-ref.h"
#include "io-pgtable-kunit-helpers.h"

/* The default device view: memory. The harness overrides it. */
u64 __weak iopt_test_walker_read64(phys_addr_t pa, bool coherent)
{
	return READ_ONCE(*(u64 *)phys_to_virt(pa));
}

#define VB_SHADOW_MAX		1024
#define VB_RSV_MAX		64
#define VB_EVENTS		32
#define VB_PROBES		16384
#define VB_PA_OFFSET		(64ULL * SZ_1G)
#define VB_RW			(IOMMU_READ | IOMMU_WRITE | IOMMU_CACHE)

/**
 * enum vb_split - how a driver cuts a request into map/unmap_pages() calls
 * @VB_SPLIT_PANTHOR: panthor's get_pgsize(): 4K pages up to a 2M boundary,
 *                    2M blocks up to a 1G boundary.
 * @VB_SPLIT_CORE:    The IOMMU core's iommu_pgsize(), which msm uses: the
 *                    largest page the alignment allows, as many as fit
 *                    before the next larger page's boundary.
 */
enum vb_split {
	VB_SPLIT_PANTHOR,
	VB_SPLIT_CORE,
};

/**
 * enum vb_state - what the device finds where a split block was
 * @VB_BLOCK:   The block entry, still valid.
 * @VB_CLEARED: An invalid entry at the block's level.
 * @VB_TABLE:   A table in its place.
 */
enum vb_state {
	VB_BLOCK,
	VB_CLEARED,
	VB_TABLE,
};

/**
 * struct vb_event - the device's view at one TLB callback of a split
 * @what:      0 tlb_flush_walk, 1 tlb_flush_all, 2 tlb_add_page.
 * @iova:      The range the callback covers.
 * @size:      Its size.
 * @state:     What the block entry is.
 * @rest_ok:   Probes of the rest of the block that translate correctly.
 * @rest_bad:  Probes that translate somewhere else (or malformed).
 * @hole:      The unmapped page translates.
 */
struct vb_event {
	unsigned int	what;
	u64		iova;
	u64		size;
	enum vb_state	state;
	unsigned int	rest_ok;
	unsigned int	rest_bad;
	bool		hole;
};

/**
 * struct vb_watch - a block being split, watched from the device
 * @blk:     The block's IOVA.
 * @blk_sz:  Its size.
 * @pa:      Its output address.
 * @hole:    The page being unmapped from it.
 * @hole_sz: Its size.
 * @probes:  Addresses of the rest, sampled at every table the split builds.
 * @nprobes: Their number.
 * @ev:      One entry per callback.
 * @nev:     Callbacks seen (may exceed %VB_EVENTS; the excess is counted).
 */
struct vb_watch {
	u64		blk;
	u64		blk_sz;
	u64		pa;
	u64		hole;
	u64		hole_sz;
	u64		probes[VB_PROBES];
	unsigned int	nprobes;
	struct vb_event	ev[VB_EVENTS];
	unsigned int	nev;
};

/**
 * struct vb_t - one GPU VM: its tables, its driver's allocator, its model
 * @test:          The test.
 * @cfg:           The configuration.
 * @ops:           The tables.
 * @ref:           The reference walker, configured from the outputs.
 * @sh:            What is mapped, as the driver's VMAs would say.
 * @rsv:           The VM's reservation (panthor's op_ctx, msm's prealloc).
 * @split:         How the driver cuts requests.
 * @granule:       The granule: the size of every table but the top level.
 * @attached:      A reservation is attached: the allocator must not be
 *                 called.
 * @pgd:           The first table allocated, the top level.
 * @allocs:        cfg->alloc calls that returned a table.
 * @frees:         cfg->free calls.
 * @bad_alloc:     cfg->alloc calls while a reservation was attached.
 * @bad_free:      cfg->free calls while a reservation was attached.
 * @bad_size:      Tables other than the top level not of the granule.
 * @fail_in:       Fail the allocation this many calls from now (0: never).
 * @pool:          The driver's own pool (6.12 panthor's rsvd_page_tables),
 *                 from which cfg->alloc takes every table but the first
 *                 while @pool_n is not 0.
 * @pool_n:        Tables in @pool.
 * @pool_used:     Tables taken from it.
 * @pool_empty:    Calls that found it empty.
 * @pool_gfp:      The gfp of the last call that took from it.
 * @recording:     Record the tables allocated, in @rec.
 * @rec:           Tables allocated while @recording.
 * @nrec:          Their number.
 * @flush_walk:    tlb_flush_walk calls.
 * @flush_all:     tlb_flush_all calls.
 * @add_page:      tlb_add_page calls (none with a NULL gather).
 * @watch:         A split watched at every callback, or NULL.
 * @jobs:          Jobs run.
 * @check_every:   Check the whole VM from the device every this many jobs
 *                 (0 or 1: after each).
 * @reserved:      Tables reserved by our count, over all jobs.
 * @taken:         Tables the jobs took.
 * @formula:       Tables panthor's formula (one per level per span) would have
 *                 reserved.
 */
struct vb_t {
	struct kunit			*test;
	struct io_pgtable_cfg		cfg;
	struct io_pgtable_ops		*ops;
	struct arm_lpae_ref		ref;
	struct iopt_shadow		sh;
	struct io_pgtable_reservation	rsv;
	enum vb_split			split;
	u64				granule;

	bool				attached;
	void				*pgd;
	unsigned int			allocs;
	unsigned int			frees;
	unsigned int			bad_alloc;
	unsigned int			bad_free;
	unsigned int			bad_size;
	unsigned int			fail_in;
	void				*pool[4];
	unsigned int			pool_n;
	unsigned int			pool_used;
	unsigned int			pool_empty;
	gfp_t				pool_gfp;
	bool				recording;
	phys_addr_t			rec[VB_RSV_MAX];
	unsigned int			nrec;

	unsigned int			flush_walk;
	unsigned int			flush_all;
	unsigned int			add_page;
	struct vb_watch			*watch;

	unsigned int			jobs;
	unsigned int			check_every;
	u64				reserved;
	u64				taken;
	u64				formula;
};

static u64 vb_read(void *arg, phys_addr_t pa)
{
	struct vb_t *t = arg;

	return iopt_test_walker_read64(pa, t->cfg.coherent_walk);
}

static bool vb_xlate(void *arg, u64 iova, phys_addr_t *pa)
{
	struct vb_t *t = arg;
	struct arm_lpae_ref_leaf leaf;

	if (!arm_lpae_ref_walk(&t->ref, iova, &leaf))
		return false;
	*pa = leaf.oa;
	return true;
}

/* ------------------------------------------------------------------ */
/* The driver's allocator: panthor's alloc_pt()/free_pt(), instrumented */

static void *vb_alloc(void *cookie, size_t size, gfp_t gfp)
{
	struct vb_t *t = cookie;
	void *table;

	/* run_job() may not allocate: the reservation holds everything */
	if (t->attached) {
		t->bad_alloc++;
		return NULL;
	}
	if (t->pgd && size != t->granule)
		t->bad_size++;
	if (t->fail_in && !--t->fail_in)
		return NULL;
	/* 6.12 panthor's alloc_pt(): the op's own pages, or nothing */
	if (t->pgd && t->pool_n) {
		if (t->pool_used >= t->pool_n) {
			t->pool_empty++;
			return NULL;
		}
		t->pool_gfp = gfp;
		table = t->pool[t->pool_used++];
		memset(table, 0, size);
		t->allocs++;
		return table;
	}
	/* DMA zones are the format's business; kmalloc() has none */
	table = kzalloc(size, gfp & ~(__GFP_DMA | __GFP_DMA32));
	if (!table)
		return NULL;
	if (!t->pgd)
		t->pgd = table;
	else if (t->recording && t->nrec < VB_RSV_MAX)
		t->rec[t->nrec++] = virt_to_phys(table);
	t->allocs++;
	return table;
}

static void vb_free(void *cookie, void *table, size_t size)
{
	struct vb_t *t = cookie;

	if (t->attached)
		t->bad_free++;
	if (table == t->pgd)
		t->pgd = NULL;
	t->frees++;
	/* a walk through a freed table reads garbage, not a stale table */
	memset(table, 0x5a, size);
	kfree(table);
}

/* ------------------------------------------------------------------ */
/* The device's view of a split, at each TLB callback                   */

static void vb_watch_event(struct vb_t *t, unsigned int what, u64 iova,
			   u64 size)
{
	struct vb_watch *w = t->watch;
	struct arm_lpae_ref_leaf leaf;
	struct vb_event *ev;
	unsigned int i;

	if (!w)
		return;
	if (w->nev >= VB_EVENTS) {
		w->nev++;
		return;
	}
	ev = &w->ev[w->nev++];
	memset(ev, 0, sizeof(*ev));
	ev->what = what;
	ev->iova = iova;
	ev->size = size;

	ev->hole = arm_lpae_ref_walk(&t->ref, w->hole, &leaf);
	if (ev->hole && leaf.size == w->blk_sz)
		ev->state = VB_BLOCK;
	else if (leaf.size == w->blk_sz ||
		 arm_lpae_ref_level_shift(t->ref.granule_shift, leaf.level) ==
		 ilog2(w->blk_sz))
		ev->state = ev->hole ? VB_BLOCK : VB_CLEARED;
	else
		ev->state = VB_TABLE;

	for (i = 0; i < w->nprobes; i++) {
		u64 p = w->probes[i];

		if (!arm_lpae_ref_walk(&t->ref, p, &leaf))
			continue;
		if (leaf.oa == w->pa + (p - w->blk))
			ev->rest_ok++;
		else
			ev->rest_bad++;
	}
}

static void vb_tlb_flush_all(void *cookie)
{
	struct vb_t *t = cookie;

	t->flush_all++;
	vb_watch_event(t, 1, 0, U64_MAX);
}

/* panthor's mmu_tlb_flush_walk(): nothing synchronous to do */
static void vb_tlb_flush_walk(unsigned long iova, size_t size, size_t granule,
			      void *cookie)
{
	struct vb_t *t = cookie;

	t->flush_walk++;
	vb_watch_event(t, 0, iova, size);
}

/* panthor has none; its gathers are NULL, so it must never be called */
static void vb_tlb_add_page(struct iommu_iotlb_gather *gather,
			    unsigned long iova, size_t granule, void *cookie)
{
	struct vb_t *t = cookie;

	t->add_page++;
	vb_watch_event(t, 2, iova, granule);
}

static const struct iommu_flush_ops vb_tlb_ops = {
	.tlb_flush_all	= vb_tlb_flush_all,
	.tlb_flush_walk	= vb_tlb_flush_walk,
	.tlb_add_page	= vb_tlb_add_page,
};

/* ------------------------------------------------------------------ */
/* Set-up                                                               */

static void vb_free_action(void *arg)
{
	struct vb_t *t = arg;

	if (!t->ops)
		return;
	io_pgtable_unreserve(t->ops, &t->rsv, 0);
	free_io_pgtable_ops(t->ops);
	t->ops = NULL;
}

/* Tables of any LPAE format, with the driver's allocator. */
static struct vb_t *vb_new_fmt(struct kunit *test, enum io_pgtable_fmt fmt,
			       unsigned long pgsizes, unsigned int ias,
			       unsigned int oas, bool coherent,
			       unsigned long quirks, enum vb_split split)
{
	struct vb_t *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	unsigned int gshift;
	int level;

	KUNIT_ASSERT_NOT_NULL(test, t);
	t->test = test;
	t->split = split;
	t->granule = pgsizes & -pgsizes;
	gshift = ilog2(t->granule);
	iopt_shadow_init(test, &t->sh, VB_SHADOW_MAX);
	t->cfg = (struct io_pgtable_cfg) {
		.quirks		= quirks,
		.pgsize_bitmap	= pgsizes,
		.ias		= ias,
		.oas		= oas,
		.coherent_walk	= coherent,
		.tlb		= &vb_tlb_ops,
		.iommu_dev	= iopt_test_dma_device(test),
		.alloc		= vb_alloc,
		.free		= vb_free,
	};
	t->ops = alloc_io_pgtable_ops(fmt, &t->cfg, t);
	KUNIT_ASSERT_NOT_NULL(test, t->ops);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, vb_free_action,
							t), 0);
	KUNIT_ASSERT_EQ(test, t->cfg.pgsize_bitmap, pgsizes);
	KUNIT_ASSERT_NOT_NULL(test, t->pgd);

	/* the walk the architecture makes of these outputs */
	level = arm_lpae_ref_min_start_level(gshift, ias);
	switch (fmt) {
	case ARM_64_LPAE_S2:
	case ARM_32_LPAE_S2:
		t->ref.stage = ARM_LPAE_REF_S2;
		t->ref.pgd = t->cfg.arm_lpae_s2_cfg.vttbr;
		/* up to 16 concatenated tables rather than a level-0 one */
		if (level == 0 && ias - arm_lpae_ref_level_shift(gshift, 0) <= 4)
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
	t->ref.ias = ias;
	t->ref.start_level = level;
	t->ref.lpa52 = oas > 48;
	t->ref.read = vb_read;
	t->ref.ctx = t;
	KUNIT_EXPECT_EQ(test, t->ref.pgd, virt_to_phys(t->pgd));
	return t;
}

/*
 * A VM as panthor_vm_create() (custom allocator, ARM_64_LPAE_S1, 4K and 2M
 * pages, ias from the GPU's VA bits) or msm makes it (@pgsizes 4K|2M|1G).
 */
static struct vb_t *vb_new(struct kunit *test, unsigned long pgsizes,
			   unsigned int ias, bool coherent, unsigned long quirks,
			   enum vb_split split)
{
	return vb_new_fmt(test, ARM_64_LPAE_S1, pgsizes, ias, 40, coherent,
			  quirks, split);
}

/* ------------------------------------------------------------------ */
/* The drivers' loops                                                   */

/* The page size and count a driver hands map/unmap_pages() next. */
static size_t vb_pgsize(const struct vb_t *t, u64 iova, u64 pa, u64 size,
			size_t *count)
{
	unsigned long sizes = t->cfg.pgsize_bitmap;
	u64 addr = iova | pa, pgsize, next, room;

	if (t->split == VB_SPLIT_PANTHOR) {
		/* 4K until 2M-aligned with 2M to go, then 2M until 1G */
		if ((addr & (SZ_2M - 1)) || size < SZ_2M) {
			room = SZ_2M - (addr & (SZ_2M - 1));
			*count = min(room, size) / SZ_4K;
			return SZ_4K;
		}
		room = SZ_1G - (addr & (SZ_1G - 1));
		*count = min(room, size) / SZ_2M;
		return SZ_2M;
	}

	/* the largest page the alignment and the size allow */
	sizes &= GENMASK_ULL(fls64(size) - 1, 0);
	if (addr)
		sizes &= GENMASK_ULL(fls64(addr & -addr) - 1, 0);
	pgsize = BIT_ULL(fls64(sizes) - 1);
	/* as many as fit before the next larger page size's boundary */
	next = t->cfg.pgsize_bitmap & ~GENMASK_ULL(ilog2(pgsize), 0);
	room = size;
	if (next) {
		u64 nsz = next & -next;

		room = min(room, nsz - (iova & (nsz - 1)));
	}
	*count = room >> ilog2(pgsize);
	return pgsize;
}

/* panthor_vm_map_pages() for one contiguous chunk; msm's iommu_map(). */
static int vb_map(struct vb_t *t, u64 iova, u64 pa, u64 size)
{
	while (size) {
		size_t count, mapped = 0;
		size_t pgsize = vb_pgsize(t, iova, pa, size, &count);
		int ret;

		ret = t->ops->map_pages(t->ops, iova, pa, pgsize, count, VB_RW,
					GFP_KERNEL, &mapped);
		if (ret)
			return ret;
		if (mapped != pgsize * count) {
			KUNIT_FAIL(t->test, "map %#llx: %zu of %zu bytes", iova,
				   mapped, pgsize * count);
			return -EIO;
		}
		iova += mapped;
		pa += mapped;
		size -= mapped;
	}
	return 0;
}

/* panthor_vm_unmap_pages(): NULL gather, every step must unmap it all. */
static u64 vb_unmap(struct vb_t *t, u64 iova, u64 size)
{
	u64 done = 0;

	while (done < size) {
		size_t count, got;
		size_t pgsize = vb_pgsize(t, iova + done, 0, size - done,
					  &count);

		got = t->ops->unmap_pages(t->ops, iova + done, pgsize, count,
					  NULL);
		if (got != pgsize * count) {
			KUNIT_FAIL(t->test, "unmap %#llx, %zu x %#zx: %zu bytes",
				   iova + done, count, pgsize, got);
			return done + got;
		}
		done += got;
	}
	return done;
}

/* panthor_vm_prepare_map_op_ctx()'s count: one table per level per span. */
static u64 vb_formula_map(u64 va, u64 size)
{
	u64 n = 0;
	unsigned int shift;

	for (shift = 21; shift <= 39; shift += 9)
		n += (ALIGN(va + size, BIT_ULL(shift)) -
		      ALIGN_DOWN(va, BIT_ULL(shift))) >> shift;
	return n;
}

/* panthor_vm_prepare_unmap_op_ctx()'s: an L3 table per unaligned end. */
static u64 vb_formula_unmap(u64 va, u64 size)
{
	u64 n = 0;

	if (!IS_ALIGNED(va, SZ_2M))
		n++;
	if (!IS_ALIGNED(va + size, SZ_2M) &&
	    ALIGN(va + size, SZ_2M) != ALIGN(va, SZ_2M))
		n++;
	return n;
}

/* ------------------------------------------------------------------ */
/* What the device finds, against the shadow                            */

struct vb_census {
	struct vb_t	*t;
	unsigned int	tables;
	unsigned int	bad;
	u64		bytes;
};

static int vb_census_table(void *arg, int level, phys_addr_t pa, size_t size,
			   u64 iova)
{
	struct vb_census *c = arg;

	if (level != c->t->ref.start_level)
		c->tables++;
	return 0;
}

static int vb_census_leaf(void *arg, u64 iova,
			  const struct arm_lpae_ref_leaf *leaf)
{
	struct vb_census *c = arg;
	const struct iopt_shadow_ent *e = iopt_shadow_find(&c->t->sh, iova);

	if (!leaf->malformed) {
		c->bytes += leaf->size;
		if (e && iova + leaf->size - e->iova <= e->size &&
		    leaf->oa == e->paddr + (iova - e->iova))
			return 0;
	}
	if (c->bad++ < 4)
		KUNIT_FAIL(c->t->test, "device: %#llx+%#llx -> %pa (pte %#llx), shadow: %#llx",
			   iova, leaf->size, &leaf->oa, leaf->pte,
			   e ? e->paddr + (iova - e->iova) : 0ULL);
	return 0;
}

/* The tables the walker reaches, the top level aside. */
static unsigned int vb_census(struct vb_t *t, const char *what)
{
	struct vb_census c = { .t = t };
	struct arm_lpae_ref_visitor v = {
		.table = vb_census_table,
		.leaf = vb_census_leaf,
		.arg = &c,
	};
	u64 want = 0;
	unsigned int i;

	for (i = 0; i < t->sh.n; i++)
		want += t->sh.ents[i].size;
	arm_lpae_ref_for_each(&t->ref, &v);
	KUNIT_EXPECT_EQ_MSG(t->test, c.bad, 0, "after %s", what);
	KUNIT_EXPECT_EQ_MSG(t->test, c.bytes, want, "after %s", what);
	KUNIT_EXPECT_EQ_MSG(t->test, iopt_shadow_check(t->test, &t->sh, t->ops,
						       vb_xlate, t), 0,
			    "after %s", what);
	return c.tables;
}

/* The allocator's tables, the top level aside: reachable or reserved. */
static void vb_expect_tables(struct vb_t *t, const char *what)
{
	unsigned int reachable = vb_census(t, what);

	KUNIT_EXPECT_EQ_MSG(t->test, t->allocs - t->frees - 1,
			    reachable + t->rsv.count,
			    "after %s: tables out of the allocator", what);
	KUNIT_EXPECT_EQ_MSG(t->test, t->bad_size, 0, "after %s", what);
}

/* The pages at both ends of a range and just outside, against the shadow. */
static void vb_expect_range(struct vb_t *t, u64 iova, u64 size)
{
	u64 probe[] = { iova - SZ_4K, iova, iova + size / 2, iova + size - 1,
			iova + size };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(probe); i++) {
		const struct iopt_shadow_ent *e = iopt_shadow_find(&t->sh,
								   probe[i]);
		phys_addr_t want = e ? e->paddr + (probe[i] - e->iova) : 0;
		phys_addr_t got = 0;

		if (!vb_xlate(t, probe[i], &got))
			got = 0;
		KUNIT_EXPECT_EQ_MSG(t->test, got, want, "walker at %#llx",
				    probe[i]);
		KUNIT_EXPECT_EQ_MSG(t->test, t->ops->iova_to_phys(t->ops,
								  probe[i]),
				    want, "iova_to_phys(%#llx)", probe[i]);
	}
}

/* ------------------------------------------------------------------ */
/* A VM_BIND job: prepare (may sleep), then run_job() (may not allocate) */

/**
 * struct vb_job - one VM_BIND request
 * @unmap: Unmap rather than map.
 * @iova:  Start.
 * @pa:    Output address (map).
 * @size:  Bytes.
 * @count: Tables the prepare step counted and reserved.
 * @taken: Tables run_job() took from the reservation.
 * @given: Tables it gave back to it.
 */
struct vb_job {
	bool	unmap;
	u64	iova;
	u64	pa;
	u64	size;
	size_t	count;
	size_t	taken;
	size_t	given;
};

/* The prepare step: count, then fill the reservation with GFP_KERNEL. */
static int vb_prepare(struct vb_t *t, struct vb_job *job)
{
	size_t worst = 0, before = t->allocs;
	int ret;

	if (job->unmap) {
		ret = io_pgtable_count_unmap(t->ops, job->iova, job->size, 0,
					     &job->count);
		KUNIT_EXPECT_EQ(t->test, io_pgtable_count_unmap(t->ops, job->iova,
								job->size,
								IO_PGTABLE_COUNT_WORST,
								&worst), 0);
		t->formula += vb_formula_unmap(job->iova, job->size);
	} else {
		ret = io_pgtable_count_map(t->ops, job->iova, job->pa,
					   job->size, t->cfg.pgsize_bitmap, 0,
					   &job->count);
		KUNIT_EXPECT_EQ(t->test, io_pgtable_count_map(t->ops, job->iova,
							      job->pa, job->size,
							      t->cfg.pgsize_bitmap,
							      IO_PGTABLE_COUNT_WORST,
							      &worst), 0);
		t->formula += vb_formula_map(job->iova, job->size);
	}
	if (ret)
		return ret;
	KUNIT_EXPECT_GE_MSG(t->test, worst, job->count,
			    "%s %#llx+%#llx: the worst case below the exact count",
			    job->unmap ? "unmap" : "map", job->iova, job->size);
	KUNIT_ASSERT_LE(t->test, job->count, VB_RSV_MAX);

	t->recording = true;
	t->nrec = 0;
	ret = io_pgtable_reserve(t->ops, &t->rsv, job->count, GFP_KERNEL);
	t->recording = false;
	KUNIT_ASSERT_EQ(t->test, ret, 0);
	KUNIT_EXPECT_EQ(t->test, t->rsv.count, job->count);
	KUNIT_EXPECT_EQ(t->test, t->allocs - before, job->count);
	t->reserved += job->count;
	return 0;
}

/* run_job(): attach, map or unmap, detach. No allocator call allowed. */
static u64 vb_run(struct vb_t *t, struct vb_job *job)
{
	size_t taken = t->rsv.taken, given = t->rsv.returned;
	unsigned int bad_alloc = t->bad_alloc, bad_free = t->bad_free;
	u64 done;

	io_pgtable_attach_reservation(t->ops, &t->rsv);
	t->attached = true;
	if (job->unmap)
		done = vb_unmap(t, job->iova, job->size);
	else
		done = vb_map(t, job->iova, job->pa, job->size) ? 0 : job->size;
	t->attached = false;
	io_pgtable_attach_reservation(t->ops, NULL);

	job->taken = t->rsv.taken - taken;
	job->given = t->rsv.returned - given;
	t->taken += job->taken;
	KUNIT_EXPECT_EQ_MSG(t->test, t->bad_alloc - bad_alloc, 0,
			    "%s %#llx+%#llx: the allocator called in run_job()",
			    job->unmap ? "unmap" : "map", job->iova, job->size);
	KUNIT_EXPECT_EQ_MSG(t->test, t->bad_free - bad_free, 0,
			    "%s %#llx+%#llx: a table freed in run_job()",
			    job->unmap ? "unmap" : "map", job->iova, job->size);
	/* what is left is what was not used, and what unmap gave back */
	KUNIT_EXPECT_EQ_MSG(t->test, t->rsv.count,
			    job->count - job->taken + job->given,
			    "%s %#llx+%#llx", job->unmap ? "unmap" : "map",
			    job->iova, job->size);
	t->jobs++;
	return done;
}

/*
 * The whole job, as the driver queues and runs one request at a time.
 * Returns the tables it gave back to the reservation.
 */
static size_t vb_job(struct vb_t *t, bool unmap, u64 iova, u64 size)
{
	struct vb_job job = {
		.unmap = unmap,
		.iova = iova,
		.pa = iova + VB_PA_OFFSET,
		.size = size,
	};
	const char *what = unmap ? "unmap" : "map";

	KUNIT_ASSERT_EQ_MSG(t->test, vb_prepare(t, &job), 0, "%s %#llx+%#llx",
			    what, iova, size);
	KUNIT_EXPECT_EQ_MSG(t->test, vb_run(t, &job), size, "%s %#llx+%#llx",
			    what, iova, size);
	/* counted on the tables as they are: exact */
	KUNIT_EXPECT_EQ_MSG(t->test, job.taken, job.count,
			    "%s %#llx+%#llx: reserved %zu, used %zu", what, iova,
			    size, job.count, job.taken);
	if (unmap)
		KUNIT_EXPECT_TRUE(t->test, iopt_shadow_remove(&t->sh, iova,
							      size));
	else
		KUNIT_EXPECT_TRUE(t->test, iopt_shadow_add(&t->sh, iova,
							   job.pa, size,
							   SZ_4K, VB_RW));
	/* panthor_vm_cleanup_op_ctx(): what is left goes back */
	io_pgtable_unreserve(t->ops, &t->rsv, 0);
	KUNIT_EXPECT_EQ(t->test, t->rsv.count, 0);
	/* the whole VM from the device now and then, the job's range always */
	if (t->check_every <= 1 || !(t->jobs % t->check_every))
		vb_expect_tables(t, what);
	else
		vb_expect_range(t, iova, size);
	return job.given;
}

/* ------------------------------------------------------------------ */
/* Random VM_BIND sequences                                             */

/**
 * struct vb_param - a driver's VM and workload
 * @desc:     Name.
 * @pgsizes:  pgsize_bitmap.
 * @ias:      The GPU's VA bits.
 * @coherent: cfg->coherent_walk.
 * @split:    The driver's loops.
 * @seed:     Of the job sequence.
 * @jobs:     Jobs to run.
 */
struct vb_param {
	const char	*desc;
	unsigned long	pgsizes;
	unsigned int	ias;
	bool		coherent;
	enum vb_split	split;
	u64		seed;
	unsigned int	jobs;
};

static const struct vb_param vb_random_params[] = {
	{ "panthor, non-coherent", SZ_4K | SZ_2M, 48, false,
	  VB_SPLIT_PANTHOR, 0x1234, 300 },
	{ "panthor, coherent", SZ_4K | SZ_2M, 48, true,
	  VB_SPLIT_PANTHOR, 0xbeef, 300 },
	{ "panthor, 39-bit VA", SZ_4K | SZ_2M, 39, false,
	  VB_SPLIT_PANTHOR, 0x77, 200 },
	{ "msm, 4K 2M 1G", SZ_4K | SZ_2M | SZ_1G, 48, false,
	  VB_SPLIT_CORE, 0x5eed, 300 },
	{ "msm, 4K 2M 1G, coherent", SZ_4K | SZ_2M | SZ_1G, 48, true,
	  VB_SPLIT_CORE, 0xa11ce, 200 },
};

static void vb_random_desc(const struct vb_param *p, char *desc)
{
	strscpy(desc, p->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(vb_random, vb_random_params, vb_random_desc);

/* The VA window: 8 GiB from 4 GiB, so requests meet 1G boundaries. */
#define VB_WIN_BASE	SZ_4G
#define VB_WIN_SIZE	(8ULL * SZ_1G)

static u32 vb_rand(u64 *seed, u32 n)
{
	return n ? iopt_test_lcg(seed) % n : 0;
}

/* A free range of @size at @align in the window, or 0. */
static u64 vb_free_range(struct vb_t *t, u64 *seed, u64 size, u64 align)
{
	unsigned int tries;

	for (tries = 0; tries < 16; tries++) {
		u64 iova = VB_WIN_BASE +
			   (u64)vb_rand(seed, ((VB_WIN_SIZE - size) >> ilog2(align)) + 1) *
			   align;

		if (!iopt_shadow_overlaps(&t->sh, iova, size))
			return iova;
	}
	return 0;
}

static void vb_random_map(struct vb_t *t, u64 *seed)
{
	u32 kind = vb_rand(seed, 10);
	u64 size, align = SZ_4K, iova;

	if (kind < 4) {
		/* a buffer of 4K pages, now and then across a 2M boundary */
		size = (1 + vb_rand(seed, kind < 2 ? 16 : 1100)) * SZ_4K;
	} else if (kind < 7) {
		/* a large buffer: 2M blocks */
		size = (1 + vb_rand(seed, 3)) * SZ_2M;
		align = SZ_2M;
	} else if (kind < 8 && (t->cfg.pgsize_bitmap & SZ_1G)) {
		size = SZ_1G;
		align = SZ_1G;
	} else {
		/* 4K pages up to a 2M boundary, blocks, 4K pages */
		size = SZ_2M + (1 + vb_rand(seed, 1000)) * SZ_4K;
	}
	iova = vb_free_range(t, seed, size, align);
	if (iova)
		vb_job(t, false, iova, size);
}

static void vb_random_unmap(struct vb_t *t, u64 *seed)
{
	const struct iopt_shadow_ent *e;
	u64 pages, first, n, iova, size;

	if (!t->sh.n)
		return;
	e = &t->sh.ents[vb_rand(seed, t->sh.n)];
	pages = e->size >> 12;
	switch (vb_rand(seed, 4)) {
	case 0:		/* the whole VMA */
		iova = e->iova;
		size = e->size;
		break;
	case 1:		/* one page out of it */
		iova = e->iova + (u64)vb_rand(seed, pages) * SZ_4K;
		size = SZ_4K;
		break;
	case 2:		/* a 2M-aligned 2M out of it, if it has one */
		iova = ALIGN(e->iova, SZ_2M);
		if (iova + SZ_2M <= e->iova + e->size) {
			size = SZ_2M;
			break;
		}
		fallthrough;
	default:	/* any part of it */
		first = vb_rand(seed, pages);
		n = 1 + vb_rand(seed, pages - first);
		iova = e->iova + first * SZ_4K;
		size = n * SZ_4K;
		break;
	}
	vb_job(t, true, iova, size);
}

/*
 * Random jobs, fixed seeds: maps of 4K pages, 2M and 1G blocks and mixes,
 * unmaps of whole VMAs, single pages and parts, which split blocks. Every
 * job's count must be exact, run_job() must never call the allocator,
 * and the device must find exactly the shadow after each.
 */
static void vm_bind_random(struct kunit *test)
{
	const struct vb_param *p = test->param_value;
	struct vb_t *t = vb_new(test, p->pgsizes, p->ias, p->coherent, 0,
				p->split);
	u64 seed = p->seed;
	unsigned int i;

	t->check_every = 16;
	for (i = 0; i < p->jobs; i++) {
		if (vb_rand(&seed, 2) || t->sh.n < 2)
			vb_random_map(t, &seed);
		else
			vb_random_unmap(t, &seed);
		if (t->sh.n > VB_SHADOW_MAX - 8)
			break;
	}
	vb_expect_tables(t, "the sequence");
	/* and everything away, VMA by VMA */
	while (t->sh.n)
		vb_job(t, true, t->sh.ents[0].iova, t->sh.ents[0].size);
	vb_expect_tables(t, "the end");

	KUNIT_EXPECT_EQ(test, t->reserved, t->taken);
	KUNIT_EXPECT_LE(test, t->reserved, t->formula);
	KUNIT_EXPECT_EQ(test, t->add_page, 0);
	kunit_info(test, "%s: %u jobs, tables reserved %llu, used %llu, panthor's formula %llu\n",
		   p->desc, t->jobs, t->reserved, t->taken, t->formula);
}

/* ------------------------------------------------------------------ */
/* Fixed cases                                                          */

/* The count of a map; with @flags 0, the worst case is checked not below. */
static size_t vb_count_map(struct vb_t *t, u64 iova, u64 size,
			   unsigned long pgsizes, unsigned int flags)
{
	size_t n = SIZE_MAX;

	KUNIT_EXPECT_EQ(t->test, io_pgtable_count_map(t->ops, iova,
						      iova + VB_PA_OFFSET, size,
						      pgsizes, flags, &n), 0);
	if (!flags)
		KUNIT_EXPECT_GE_MSG(t->test,
				    vb_count_map(t, iova, size, pgsizes,
						 IO_PGTABLE_COUNT_WORST), n,
				    "map %#llx+%#llx: worst below exact", iova,
				    size);
	return n;
}

static size_t vb_count_unmap(struct vb_t *t, u64 iova, u64 size,
			     unsigned int flags)
{
	size_t n = SIZE_MAX;

	KUNIT_EXPECT_EQ(t->test, io_pgtable_count_unmap(t->ops, iova, size,
							flags, &n), 0);
	if (!flags)
		KUNIT_EXPECT_GE_MSG(t->test,
				    vb_count_unmap(t, iova, size,
						   IO_PGTABLE_COUNT_WORST), n,
				    "unmap %#llx+%#llx: worst below exact", iova,
				    size);
	return n;
}

/*
 * The counts on a VM whose tables are known: 0 for a page into tables
 * that exist (where panthor's formula reserves 3), a table per missing
 * level otherwise, the split tables of a partial unmap, and the worst case
 * never below the exact count (and equal to it on empty tables).
 */
static void vm_bind_count_exact(struct kunit *test)
{
	struct vb_t *t = vb_new(test, SZ_4K | SZ_2M | SZ_1G, 48, true, 0,
				VB_SPLIT_CORE);
	struct vb_t *t39 = vb_new(test, SZ_4K | SZ_2M | SZ_1G, 39, true, 0,
				  VB_SPLIT_CORE);
	unsigned long all = SZ_4K | SZ_2M | SZ_1G;
	u64 a = SZ_4G, b = 16ULL * SZ_1G;
	size_t n;

	/* empty: L1, L2, L3 below a level-0 top; L2, L3 below a level-1 top */
	KUNIT_EXPECT_EQ(test, vb_count_map(t, a, SZ_4K, SZ_4K, 0), 3);
	KUNIT_EXPECT_EQ(test, vb_count_map(t, a, SZ_4K, SZ_4K,
					   IO_PGTABLE_COUNT_WORST), 3);
	KUNIT_EXPECT_EQ(test, vb_count_map(t39, a, SZ_4K, SZ_4K, 0), 2);
	KUNIT_EXPECT_EQ(test, vb_count_map(t39, a, SZ_4K, SZ_4K,
					   IO_PGTABLE_COUNT_WORST), 2);
	KUNIT_EXPECT_EQ(test, vb_count_map(t, a, SZ_2M, all, 0), 2);
	KUNIT_EXPECT_EQ(test, vb_count_map(t, a, SZ_1G, all, 0), 1);
	KUNIT_EXPECT_EQ(test, vb_count_map(t39, a, SZ_1G, all, 0), 0);
	/* two L3 tables under one L2, shared tables once */
	KUNIT_EXPECT_EQ(test, vb_count_map(t, a + SZ_2M - SZ_4K, 2 * SZ_4K,
					   SZ_4K, 0), 4);
	KUNIT_EXPECT_EQ(test, vb_count_map(t39, a + SZ_2M - SZ_4K, 2 * SZ_4K,
					   SZ_4K, 0), 3);
	/* a bitmap: 4K, 2M blocks, 4K */
	KUNIT_EXPECT_EQ(test, vb_count_map(t39, a + SZ_2M - SZ_4K,
					   2 * SZ_2M + 2 * SZ_4K, all, 0), 3);
	/* the granule alone: an upper bound, all 4K pages */
	KUNIT_EXPECT_EQ(test, vb_count_map(t39, a, 2 * SZ_2M, SZ_4K, 0), 3);
	KUNIT_EXPECT_EQ(test, vb_count_map(t39, a, 2 * SZ_2M, all, 0), 1);

	vb_job(t, false, a, SZ_4K);
	vb_job(t39, false, a, SZ_4K);
	/* into tables that exist: nothing */
	KUNIT_EXPECT_EQ(test, vb_count_map(t, a + SZ_4K, SZ_4K, SZ_4K, 0), 0);
	KUNIT_EXPECT_EQ(test, vb_count_map(t39, a + SZ_4K, SZ_4K, SZ_4K, 0), 0);
	/* the worst case: as if no table existed below the top level */
	KUNIT_EXPECT_EQ(test, vb_count_map(t, a + SZ_4K, SZ_4K, SZ_4K,
					   IO_PGTABLE_COUNT_WORST), 3);
	KUNIT_EXPECT_EQ(test, vb_count_map(t39, a + SZ_4K, SZ_4K, SZ_4K,
					   IO_PGTABLE_COUNT_WORST), 2);
	KUNIT_EXPECT_EQ(test, vb_formula_map(a + SZ_4K, SZ_4K), 3);
	/* a 2M block beside the L3 table, in the same L2: nothing */
	KUNIT_EXPECT_EQ(test, vb_count_map(t, a + SZ_2M, SZ_2M, all, 0), 0);
	/* the next 1G: an L2 and an L3 under the L1 that exists */
	KUNIT_EXPECT_EQ(test, vb_count_map(t, a + SZ_1G, SZ_4K, SZ_4K, 0), 2);
	KUNIT_EXPECT_EQ(test, vb_count_map(t, a + SZ_2M, SZ_2M, all,
					   IO_PGTABLE_COUNT_WORST), 2);
	KUNIT_EXPECT_EQ(test, vb_count_map(t, a + SZ_1G, SZ_4K, SZ_4K,
					   IO_PGTABLE_COUNT_WORST), 3);
	/* a range partly mapped cannot be counted */
	KUNIT_EXPECT_EQ(test, io_pgtable_count_map(t->ops, a, a, 2 * SZ_4K,
						   SZ_4K, 0, &n), -EEXIST);
	KUNIT_EXPECT_EQ(test, io_pgtable_count_map(t->ops, a + 1, a, SZ_4K,
						   SZ_4K, 0, &n), -EINVAL);

	/* unmaps: blocks split at each end that falls inside one */
	vb_job(t, false, b, SZ_1G);
	vb_job(t, false, b + SZ_1G, 2 * SZ_2M);
	KUNIT_EXPECT_EQ(test, vb_count_unmap(t, b + SZ_2M + SZ_4K, SZ_4K, 0), 2);
	KUNIT_EXPECT_EQ(test, vb_count_unmap(t, b + SZ_1G + SZ_4K, SZ_4K, 0), 1);
	KUNIT_EXPECT_EQ(test, vb_count_unmap(t, b + SZ_1G, SZ_2M, 0), 0);
	KUNIT_EXPECT_EQ(test, vb_count_unmap(t, b, SZ_1G, 0), 0);
	KUNIT_EXPECT_EQ(test, vb_count_unmap(t, b + SZ_2M, SZ_2M, 0), 1);
	/* one end in each 2M block */
	KUNIT_EXPECT_EQ(test, vb_count_unmap(t, b + SZ_1G + SZ_4K, SZ_2M, 0), 2);
	/* one end in the 1G block, the other in a 2M block */
	KUNIT_EXPECT_EQ(test, vb_count_unmap(t, b + SZ_1G - SZ_4K, 2 * SZ_4K,
					     0), 3);
	/* pages in a table: nothing to split */
	KUNIT_EXPECT_EQ(test, vb_count_unmap(t, a, SZ_4K, 0), 0);
	/* the worst case: each end inside a 1G block, the largest */
	KUNIT_EXPECT_EQ(test, vb_count_unmap(t, a, SZ_4K,
					     IO_PGTABLE_COUNT_WORST), 2);
	KUNIT_EXPECT_EQ(test, vb_count_unmap(t, b + SZ_1G - SZ_4K, 2 * SZ_4K,
					     IO_PGTABLE_COUNT_WORST), 4);

	/* both ends in one 1G block, in two of its 2M: the L2 table once */
	KUNIT_EXPECT_EQ(test, vb_count_unmap(t, b + SZ_4K, SZ_2M, 0), 3);

	/* and the counted unmaps run with exactly that */
	vb_job(t, true, b + SZ_4K, SZ_2M);
	vb_job(t, true, b + SZ_1G - SZ_4K, 2 * SZ_4K);
	vb_job(t, true, b + SZ_2M + SZ_4K, SZ_4K);
}

/* The tables below the split block's level on the way to the hole. */
struct vb_split_tables {
	unsigned int	gshift;
	u64		hole;
	int		level;
	phys_addr_t	pa[4];
	unsigned int	n;
};

static int vb_split_table(void *arg, int level, phys_addr_t pa, size_t size,
			  u64 iova)
{
	struct vb_split_tables *s = arg;
	u64 span = (size / sizeof(u64)) <<
		   arm_lpae_ref_level_shift(s->gshift, level);

	if (level > s->level && s->hole >= iova && s->hole - iova < span &&
	    s->n < ARRAY_SIZE(s->pa))
		s->pa[s->n++] = pa;
	return 0;
}

/*
 * Partial unmaps of a 2M block (panthor: 4K and 2M pages) and of a 1G
 * block (msm shape): the bytes unmapped returned as 6.12 returns them,
 * the rest of the block still translating, the new tables those of the
 * reservation.
 */
static void vb_partial_unmap(struct kunit *test, u64 blk_sz)
{
	unsigned long sizes = SZ_4K | SZ_2M | (blk_sz == SZ_1G ? SZ_1G : 0);
	struct vb_t *t = vb_new(test, sizes, 48, false, 0,
				blk_sz == SZ_1G ? VB_SPLIT_CORE :
				VB_SPLIT_PANTHOR);
	u64 blk = 8ULL * SZ_1G, hole = blk + blk_sz / 2 + 3 * SZ_4K;
	size_t want = blk_sz == SZ_1G ? 2 : 1;
	struct vb_job job = { .unmap = true, .iova = hole, .size = SZ_4K };
	struct vb_split_tables split = {};
	struct arm_lpae_ref_visitor v = {
		.table = vb_split_table,
		.arg = &split,
	};
	unsigned int i, j;

	vb_job(t, false, blk, blk_sz);
	vb_job(t, false, blk + blk_sz, blk_sz);
	KUNIT_ASSERT_EQ(test, t->rsv.count, 0);

	KUNIT_ASSERT_EQ(test, vb_prepare(t, &job), 0);
	KUNIT_EXPECT_EQ(test, job.count, want);
	KUNIT_EXPECT_EQ(test, t->nrec, want);
	/* one page out of the block: 4K unmapped, as 6.12 says */
	io_pgtable_attach_reservation(t->ops, &t->rsv);
	t->attached = true;
	KUNIT_EXPECT_EQ(test, t->ops->unmap_pages(t->ops, hole, SZ_4K, 1, NULL),
			SZ_4K);
	t->attached = false;
	io_pgtable_attach_reservation(t->ops, NULL);
	KUNIT_EXPECT_EQ(test, t->bad_alloc + t->bad_free, 0);
	KUNIT_EXPECT_EQ(test, t->rsv.count, 0);
	KUNIT_EXPECT_EQ(test, t->add_page, 0);
	KUNIT_EXPECT_TRUE(test, iopt_shadow_remove(&t->sh, hole, SZ_4K));
	vb_expect_tables(t, "split");
	KUNIT_EXPECT_EQ(test, t->ops->iova_to_phys(t->ops, hole), 0);

	/* the tables that map the rest are those reserved */
	split.gshift = 12;
	split.hole = hole;
	split.level = blk_sz == SZ_1G ? 1 : 2;
	arm_lpae_ref_for_each(&t->ref, &v);
	KUNIT_EXPECT_EQ(test, split.n, want);
	for (i = 0; i < split.n; i++) {
		bool found = false;

		for (j = 0; j < t->nrec; j++)
			found |= split.pa[i] == t->rec[j];
		KUNIT_EXPECT_TRUE_MSG(test, found,
				      "the new table %pa is not one reserved",
				      &split.pa[i]);
	}

	/* the rest of the block: its ends, and around the hole */
	KUNIT_EXPECT_EQ(test, t->ops->iova_to_phys(t->ops, blk),
			blk + VB_PA_OFFSET);
	KUNIT_EXPECT_EQ(test, t->ops->iova_to_phys(t->ops, blk + blk_sz - 1),
			blk + blk_sz - 1 + VB_PA_OFFSET);
	KUNIT_EXPECT_EQ(test, t->ops->iova_to_phys(t->ops, hole - 1),
			hole - 1 + VB_PA_OFFSET);
	KUNIT_EXPECT_EQ(test, t->ops->iova_to_phys(t->ops, hole + SZ_4K),
			hole + SZ_4K + VB_PA_OFFSET);
	io_pgtable_unreserve(t->ops, &t->rsv, 0);

	/* more pages out of the new table, and a range over both blocks */
	vb_job(t, true, hole + 2 * SZ_4K, 5 * SZ_4K);
	vb_job(t, true, blk + blk_sz - SZ_4K, 2 * SZ_4K);
	vb_job(t, true, blk, blk_sz / 2);
	while (t->sh.n)
		vb_job(t, true, t->sh.ents[0].iova, t->sh.ents[0].size);
}

static void panthor_unmap_part_of_2m_block(struct kunit *test)
{
	vb_partial_unmap(test, SZ_2M);
}

static void msm_unmap_part_of_1g_block(struct kunit *test)
{
	vb_partial_unmap(test, SZ_1G);
}

/*
 * panthor binds a 2M buffer where 4K pages were unmapped: the last-level
 * table they left, empty, is replaced by the block, which needs no table,
 * and the table goes back to the reservation, not to the allocator.
 */
static void panthor_map_block_over_emptied_table(struct kunit *test)
{
	struct vb_t *t = vb_new(test, SZ_4K | SZ_2M, 48, false, 0,
				VB_SPLIT_PANTHOR);
	u64 x = 8ULL * SZ_1G;
	unsigned int frees;

	vb_job(t, false, x + 5 * SZ_4K, 16 * SZ_4K);
	vb_job(t, false, x + SZ_2M, SZ_4K);
	KUNIT_EXPECT_EQ(test, vb_job(t, true, x + 5 * SZ_4K, 16 * SZ_4K), 0);
	KUNIT_EXPECT_EQ(test, vb_count_map(t, x, SZ_2M, SZ_4K | SZ_2M, 0), 0);
	frees = t->frees;
	KUNIT_EXPECT_EQ(test, vb_job(t, false, x, SZ_2M), 1);
	/* freed when the reservation was emptied, after the job */
	KUNIT_EXPECT_EQ(test, t->frees - frees, 1);
	/* a table with a page in it is not empty: refused, nothing counted */
	KUNIT_EXPECT_EQ(test, io_pgtable_count_map(t->ops, x + SZ_2M,
						   x + SZ_2M, SZ_2M,
						   SZ_4K | SZ_2M, 0,
						   &(size_t){ 0 }), -EEXIST);
	vb_job(t, true, x, SZ_2M);
	vb_job(t, true, x + SZ_2M, SZ_4K);
}

/*
 * Unmodified 6.12 panthor: no library reservation, its own pool behind
 * cfg->alloc, filled by panthor_vm_prepare_unmap_op_ctx() with an L3 table
 * per unaligned end. Unmapping part of a 2M block splits it as 6.12 did,
 * with the table from that pool, asked for in atomic context
 * (unmap_pages() has no gfp), and only the pages asked for go.
 */
static void panthor_6_12_unmap_part_of_2m_block(struct kunit *test)
{
	struct vb_t *t = vb_new(test, SZ_4K | SZ_2M, 48, false, 0,
				VB_SPLIT_PANTHOR);
	u64 blk = 8ULL * SZ_1G, iova = blk + 7 * SZ_4K;
	unsigned int i;

	vb_job(t, false, blk, 2 * SZ_2M);
	t->pool_n = vb_formula_unmap(iova, 3 * SZ_4K);
	KUNIT_ASSERT_EQ(test, t->pool_n, 1);
	for (i = 0; i < t->pool_n; i++) {
		t->pool[i] = kzalloc(SZ_4K, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, t->pool[i]);
	}
	t->flush_walk = 0;
	KUNIT_EXPECT_EQ(test, vb_unmap(t, iova, 3 * SZ_4K), 3 * SZ_4K);
	KUNIT_EXPECT_EQ(test, t->pool_used, 1);
	KUNIT_EXPECT_EQ(test, t->pool_empty, 0);
	KUNIT_EXPECT_FALSE(test, gfpflags_allow_blocking(t->pool_gfp));
	KUNIT_EXPECT_EQ(test, t->flush_walk, 1);
	KUNIT_EXPECT_EQ(test, t->add_page, 0);
	/* panthor_vm_cleanup_op_ctx(): what is left goes back */
	for (i = t->pool_used; i < t->pool_n; i++)
		kfree(t->pool[i]);
	t->pool_n = 0;
	KUNIT_EXPECT_TRUE(test, iopt_shadow_remove(&t->sh, iova, 3 * SZ_4K));
	vb_expect_tables(t, "6.12 panthor split");

	/* with its pool empty, the split changes nothing */
	t->pool_n = 1;
	t->pool_used = 1;
	KUNIT_EXPECT_EQ(test, t->ops->unmap_pages(t->ops, blk + SZ_2M, SZ_4K, 1,
						  NULL), 0);
	KUNIT_EXPECT_EQ(test, t->pool_empty, 1);
	t->pool_n = 0;
	vb_expect_tables(t, "a split without its table");
	while (t->sh.n)
		vb_job(t, true, t->sh.ents[0].iova, t->sh.ents[0].size);
}

/*
 * A driver that unmaps in granule pages only (msm's VM_BIND, which maps
 * 4K pages): a 2M-aligned 2M of 4K pages out of a 1G block leaves that
 * 2M unmapped whole, so it needs the level-2 table and no level-3 one,
 * as the count says.
 */
static void msm_unmap_granule_pages_of_1g_block(struct kunit *test)
{
	struct vb_t *t = vb_new(test, SZ_4K | SZ_2M | SZ_1G, 48, false, 0,
				VB_SPLIT_CORE);
	u64 blk = 8ULL * SZ_1G, x = blk + 6 * SZ_2M;
	struct vb_job job = { .unmap = true, .iova = x, .size = SZ_2M };
	size_t taken;

	vb_job(t, false, blk, SZ_1G);
	KUNIT_ASSERT_EQ(test, vb_prepare(t, &job), 0);
	taken = t->rsv.taken;
	KUNIT_EXPECT_EQ(test, job.count, 1);
	io_pgtable_attach_reservation(t->ops, &t->rsv);
	t->attached = true;
	KUNIT_EXPECT_EQ(test, t->ops->unmap_pages(t->ops, x, SZ_4K, 512, NULL),
			SZ_2M);
	t->attached = false;
	io_pgtable_attach_reservation(t->ops, NULL);
	KUNIT_EXPECT_EQ(test, t->rsv.taken - taken, 1);
	KUNIT_EXPECT_EQ(test, t->rsv.count, 0);
	KUNIT_EXPECT_EQ(test, t->bad_alloc + t->bad_free, 0);
	KUNIT_EXPECT_TRUE(test, iopt_shadow_remove(&t->sh, x, SZ_2M));
	vb_expect_tables(t, "granule unmap");
	io_pgtable_unreserve(t->ops, &t->rsv, 0);

	/* 4K pages across the end of the next 2M block into the one after */
	KUNIT_EXPECT_EQ(test, vb_count_unmap(t, x + 2 * SZ_2M - SZ_4K,
					     3 * SZ_4K, 0), 2);
	vb_job(t, true, x + 2 * SZ_2M - SZ_4K, 3 * SZ_4K);
	while (t->sh.n)
		vb_job(t, true, t->sh.ents[0].iova, t->sh.ents[0].size);
}

/*
 * The reservation's own contract: filled all or nothing, bound to the
 * tables it was first filled for, emptied down to what the driver keeps.
 */
static void vm_bind_reservation_contract(struct kunit *test)
{
	struct vb_t *t = vb_new(test, SZ_4K | SZ_2M, 48, true, 0,
				VB_SPLIT_PANTHOR);
	struct vb_t *u = vb_new(test, SZ_4K | SZ_2M, 48, true, 0,
				VB_SPLIT_PANTHOR);
	struct io_pgtable_reservation *rsv = &t->rsv;
	unsigned int allocs = t->allocs;

	KUNIT_EXPECT_EQ(test, io_pgtable_reserve(t->ops, rsv, 0, GFP_KERNEL),
			0);
	KUNIT_EXPECT_EQ(test, rsv->count, 0);
	KUNIT_EXPECT_EQ(test, io_pgtable_reserve(t->ops, rsv, 3, GFP_KERNEL),
			0);
	KUNIT_EXPECT_EQ(test, rsv->count, 3);
	KUNIT_EXPECT_EQ(test, t->allocs - allocs, 3);

	/* another VM's tables: refused, nothing allocated */
	KUNIT_EXPECT_EQ(test, io_pgtable_reserve(u->ops, rsv, 1, GFP_KERNEL),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, rsv->count, 3);
	KUNIT_EXPECT_EQ(test, u->allocs, 1);

	/* all or nothing: the third of four fails, the two made go back */
	t->fail_in = 3;
	allocs = t->allocs - t->frees;
	KUNIT_EXPECT_EQ(test, io_pgtable_reserve(t->ops, rsv, 4, GFP_KERNEL),
			-ENOMEM);
	t->fail_in = 0;
	KUNIT_EXPECT_EQ(test, rsv->count, 3);
	KUNIT_EXPECT_EQ(test, t->allocs - t->frees, allocs);

	/* keep one, then none */
	io_pgtable_unreserve(t->ops, rsv, 1);
	KUNIT_EXPECT_EQ(test, rsv->count, 1);
	KUNIT_EXPECT_EQ(test, t->allocs - t->frees, allocs - 2);
	io_pgtable_unreserve(t->ops, rsv, 0);
	KUNIT_EXPECT_EQ(test, rsv->count, 0);
	KUNIT_EXPECT_EQ(test, t->allocs - t->frees, 1);
	KUNIT_EXPECT_EQ(test, rsv->taken, 0);
	KUNIT_EXPECT_EQ(test, rsv->returned, 0);

	/* an empty reservation attached: a map into tables that exist */
	vb_job(t, false, SZ_4G, SZ_4K);
	KUNIT_EXPECT_EQ(test, vb_count_map(t, SZ_4G + SZ_4K, SZ_4K, SZ_4K, 0),
			0);
	vb_job(t, false, SZ_4G + SZ_4K, SZ_4K);
}

/* Every table reachable from the device, copied. */
static int vb_snap_table(void *arg, int level, phys_addr_t pa, size_t size,
			 u64 iova)
{
	return iopt_snapshot_add(arg, pa, size);
}

static void vb_snapshot(struct vb_t *t, struct iopt_snapshot *s)
{
	struct arm_lpae_ref_visitor v = {
		.table = vb_snap_table,
		.arg = s,
	};

	iopt_snapshot_init(t->test, s, 16);
	KUNIT_EXPECT_EQ(t->test, arm_lpae_ref_for_each(&t->ref, &v), 0);
}

/*
 * IO_PGTABLE_QUIRK_NO_SPLIT: the refusal of 6.13 and later. Nothing to
 * count, and a partial unmap returns 0 with the tables unchanged bit for
 * bit (NO_WARN too, since a WARN at boot fails the run).
 */
static void vm_bind_no_split(struct kunit *test)
{
	struct vb_t *t = vb_new(test, SZ_4K | SZ_2M | SZ_1G, 48, false,
				IO_PGTABLE_QUIRK_NO_SPLIT |
				IO_PGTABLE_QUIRK_NO_WARN, VB_SPLIT_CORE);
	u64 blk = 8ULL * SZ_1G;
	struct iopt_snapshot before, after;
	unsigned int allocs;
	size_t taken;

	vb_job(t, false, blk, SZ_1G);
	vb_job(t, false, blk + SZ_1G, SZ_2M);
	KUNIT_EXPECT_EQ(test, vb_count_unmap(t, blk + SZ_4K, SZ_4K, 0), 0);
	KUNIT_EXPECT_EQ(test, vb_count_unmap(t, blk + SZ_1G + SZ_4K, SZ_4K, 0),
			0);
	KUNIT_ASSERT_EQ(test, io_pgtable_reserve(t->ops, &t->rsv, 2,
						 GFP_KERNEL), 0);
	allocs = t->allocs;
	taken = t->rsv.taken;
	vb_snapshot(t, &before);

	io_pgtable_attach_reservation(t->ops, &t->rsv);
	t->attached = true;
	KUNIT_EXPECT_EQ(test, t->ops->unmap_pages(t->ops, blk + SZ_4K, SZ_4K, 1,
						  NULL), 0);
	KUNIT_EXPECT_EQ(test, t->ops->unmap_pages(t->ops, blk + SZ_1G + SZ_4K,
						  SZ_4K, 1, NULL), 0);
	KUNIT_EXPECT_EQ(test, t->ops->unmap_pages(t->ops, blk + SZ_2M, SZ_2M, 1,
						  NULL), 0);
	t->attached = false;
	io_pgtable_attach_reservation(t->ops, NULL);

	vb_snapshot(t, &after);
	iopt_snapshot_expect_equal(test, &before, &after);
	KUNIT_EXPECT_EQ(test, t->rsv.count, 2);
	KUNIT_EXPECT_EQ(test, t->rsv.taken, taken);
	KUNIT_EXPECT_EQ(test, t->allocs, allocs);
	KUNIT_EXPECT_EQ(test, t->bad_alloc + t->bad_free, 0);
	KUNIT_EXPECT_EQ(test, t->flush_walk + t->flush_all + t->add_page, 0);
	io_pgtable_unreserve(t->ops, &t->rsv, 0);
	vb_expect_tables(t, "refused splits");

	/* whole blocks still go */
	vb_job(t, true, blk, SZ_1G);
	vb_job(t, true, blk + SZ_1G, SZ_2M);
}

/* ------------------------------------------------------------------ */
/* Break-before-make, from the device                                   */

/**
 * struct vb_bbm_param - a split to watch
 * @desc:   Name.
 * @blk_sz: The block.
 * @bbml2:  IO_PGTABLE_QUIRK_ARM_BBML2.
 * @gather: A gather, as the IOMMU core passes (not panthor's NULL): the
 *          unmapped page reported through tlb_add_page.
 */
struct vb_bbm_param {
	const char	*desc;
	u64		blk_sz;
	bool		bbml2;
	bool		gather;
};

static const struct vb_bbm_param vb_bbm_params[] = {
	{ "2M block", SZ_2M, false, false },
	{ "1G block", SZ_1G, false, false },
	{ "2M block, BBML2", SZ_2M, true, false },
	{ "1G block, BBML2", SZ_1G, true, false },
	{ "2M block, gather", SZ_2M, false, true },
	{ "1G block, BBML2, gather", SZ_1G, true, true },
};

static void vb_bbm_desc(const struct vb_bbm_param *p, char *desc)
{
	strscpy(desc, p->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(vb_bbm, vb_bbm_params, vb_bbm_desc);

static const char * const vb_what[] = {
	"tlb_flush_walk", "tlb_flush_all", "tlb_add_page"
};

/*
 * A page out of a block, watched by the device at every TLB callback
 * (non-coherent walker: the device reads memory, not the CPU's cache).
 * Without BBML2: when the block's range is invalidated the block entry is
 * already invalid and the new table not yet in; the table comes later; at
 * no callback does the device reach a table that translates only part of
 * the rest. With BBML2: the table replaces the block before the
 * invalidation and the rest never faults.
 */
/*
 * Unmap a granule page from the block @blk of @blk_sz, which @t maps,
 * watched by the device at every TLB callback.
 */
static void vb_watch_split(struct vb_t *t, u64 blk, u64 blk_sz, bool bbml2,
			   bool with_gather)
{
	struct kunit *test = t->test;
	struct vb_watch *w = kunit_kzalloc(test, sizeof(*w), GFP_KERNEL);
	u64 g = t->granule, hole = blk + blk_sz / 2 + 5 * g;
	u64 step = blk_sz / (g / sizeof(u64)), sub = ALIGN_DOWN(hole, step), x;
	struct vb_job job = { .unmap = true, .iova = hole, .size = g };
	int block_flush = -1, first_table = -1;
	struct iommu_iotlb_gather gather;
	unsigned int i;
	size_t taken;

	KUNIT_ASSERT_NOT_NULL(test, w);
	KUNIT_ASSERT_EQ(test, vb_prepare(t, &job), 0);

	w->blk = blk;
	w->blk_sz = blk_sz;
	w->pa = blk + VB_PA_OFFSET;
	w->hole = hole;
	w->hole_sz = g;
	/* each entry of the table below the block, each page around the hole */
	if (step > g) {
		for (x = blk; x < blk + blk_sz; x += step)
			if (x != sub)
				w->probes[w->nprobes++] = x + step / 2;
	} else {
		sub = blk;
		step = blk_sz;
	}
	for (x = sub; x < sub + step; x += g)
		if (x != hole)
			w->probes[w->nprobes++] = x;
	KUNIT_ASSERT_GT(test, w->nprobes, 0);

	t->flush_walk = 0;
	t->flush_all = 0;
	t->add_page = 0;
	taken = t->rsv.taken;
	io_pgtable_attach_reservation(t->ops, &t->rsv);
	t->attached = true;
	t->watch = w;
	iommu_iotlb_gather_init(&gather);
	KUNIT_EXPECT_EQ(test, t->ops->unmap_pages(t->ops, hole, g, 1,
						  with_gather ? &gather : NULL),
			g);
	t->watch = NULL;
	t->attached = false;
	io_pgtable_attach_reservation(t->ops, NULL);
	KUNIT_EXPECT_EQ(test, t->bad_alloc + t->bad_free, 0);
	KUNIT_EXPECT_EQ(test, t->rsv.taken - taken, job.count);
	/* the page unmapped reported as any leaf, through the gather alone */
	KUNIT_EXPECT_EQ(test, t->add_page, with_gather ? 1 : 0);
	KUNIT_ASSERT_LE(test, w->nev, VB_EVENTS);

	for (i = 0; i < w->nev; i++) {
		const struct vb_event *ev = &w->ev[i];
		bool covers = ev->iova <= blk &&
			      ev->iova + (ev->size - 1) >= blk + blk_sz - 1;

		kunit_info(test, "%s(%#llx, %#llx): state %d, rest %u/%u, bad %u, hole %d\n",
			   vb_what[ev->what], ev->iova, ev->size, ev->state,
			   ev->rest_ok, w->nprobes, ev->rest_bad, ev->hole);
		KUNIT_EXPECT_EQ_MSG(test, ev->rest_bad, 0,
				    "callback %u: the rest translates elsewhere", i);
		/* never a half-built table in the device's view */
		if (ev->state == VB_TABLE) {
			KUNIT_EXPECT_EQ_MSG(test, ev->rest_ok, w->nprobes,
					    "callback %u: a table the device reaches maps part of the rest",
					    i);
			KUNIT_EXPECT_FALSE_MSG(test, ev->hole,
					       "callback %u: the hole translates through the new table",
					       i);
			if (first_table < 0)
				first_table = i;
		}
		if (bbml2)
			KUNIT_EXPECT_NE_MSG(test, ev->state, VB_CLEARED,
					    "callback %u: BBML2, yet the block was broken",
					    i);
		if (ev->what == 2) {
			KUNIT_EXPECT_EQ(test, ev->iova, hole);
			KUNIT_EXPECT_FALSE_MSG(test, ev->hole,
					       "tlb_add_page before the page was unmapped");
		}
		if (ev->what == 0 && covers && block_flush < 0) {
			block_flush = i;
			KUNIT_EXPECT_NE_MSG(test, ev->state, VB_BLOCK,
					    "the block's range invalidated before its entry was cleared");
			if (bbml2)
				KUNIT_EXPECT_EQ(test, ev->state, VB_TABLE);
			else
				KUNIT_EXPECT_EQ_MSG(test, ev->state, VB_CLEARED,
						    "no break when the block's range is invalidated");
		}
	}
	KUNIT_EXPECT_GE_MSG(test, block_flush, 0,
			    "no tlb_flush_walk of the block's range");
	if (!bbml2 && first_table >= 0)
		KUNIT_EXPECT_GT_MSG(test, first_table, block_flush,
				    "the table installed before the block's range was invalidated");

	/* in the end: the table, the rest translating, the hole not */
	KUNIT_EXPECT_TRUE(test, iopt_shadow_remove(&t->sh, hole, g));
	vb_expect_tables(t, "split");
	io_pgtable_unreserve(t->ops, &t->rsv, 0);
}

static void vm_bind_split_break_before_make(struct kunit *test)
{
	const struct vb_bbm_param *p = test->param_value;
	struct vb_t *t = vb_new(test, SZ_4K | SZ_2M | SZ_1G, 48, false,
				p->bbml2 ? IO_PGTABLE_QUIRK_ARM_BBML2 : 0,
				VB_SPLIT_CORE);
	u64 blk = 8ULL * SZ_1G;

	vb_job(t, false, blk, p->blk_sz);
	vb_watch_split(t, blk, p->blk_sz, p->bbml2, p->gather);
}

/**
 * struct vb_fmt_param - a split in another format
 * @desc:    Name.
 * @fmt:     The format.
 * @pgsizes: Its page sizes: the granule and its level-2 block.
 * @ias:     Input bits.
 * @oas:     Output bits.
 * @bbml2:   IO_PGTABLE_QUIRK_ARM_BBML2.
 */
struct vb_fmt_param {
	const char		*desc;
	enum io_pgtable_fmt	fmt;
	unsigned long		pgsizes;
	unsigned int		ias;
	unsigned int		oas;
	bool			bbml2;
};

static const struct vb_fmt_param vb_fmt_params[] = {
	{ "64-bit S1 16K", ARM_64_LPAE_S1, SZ_16K | SZ_32M, 48, 48, false },
	{ "64-bit S1 64K", ARM_64_LPAE_S1, SZ_64K | SZ_512M, 48, 48, false },
	{ "64-bit S1 64K, BBML2", ARM_64_LPAE_S1, SZ_64K | SZ_512M, 48, 48,
	  true },
	{ "64-bit S2 4K", ARM_64_LPAE_S2, SZ_4K | SZ_2M, 40, 40, false },
	{ "64-bit S2 16K", ARM_64_LPAE_S2, SZ_16K | SZ_32M, 48, 48, false },
	{ "32-bit S1", ARM_32_LPAE_S1, SZ_4K | SZ_2M, 32, 40, false },
	{ "32-bit S2", ARM_32_LPAE_S2, SZ_4K | SZ_2M, 40, 40, false },
	{ "Mali", ARM_MALI_LPAE, SZ_4K | SZ_2M, 48, 40, false },
};

static void vb_fmt_desc(const struct vb_fmt_param *p, char *desc)
{
	strscpy(desc, p->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(vb_fmt, vb_fmt_params, vb_fmt_desc);

/*
 * Every LPAE format and granule splits the same way: a granule page out
 * of a level-2 block, counted exactly, from the reservation alone, with
 * break-before-make as the device sees it.
 */
static void vm_bind_split_every_format(struct kunit *test)
{
	const struct vb_fmt_param *p = test->param_value;
	struct vb_t *t = vb_new_fmt(test, p->fmt, p->pgsizes, p->ias, p->oas,
				    false,
				    p->bbml2 ? IO_PGTABLE_QUIRK_ARM_BBML2 : 0,
				    VB_SPLIT_CORE);
	u64 blk_sz = p->pgsizes & ~(p->pgsizes & -p->pgsizes);
	u64 blk = 3 * blk_sz;

	vb_job(t, false, blk, 2 * blk_sz);
	vb_watch_split(t, blk + blk_sz, blk_sz, p->bbml2, false);
	/* the ends of both blocks, and the rest */
	vb_job(t, true, blk + blk_sz - t->granule, 2 * t->granule);
	while (t->sh.n)
		vb_job(t, true, t->sh.ents[0].iova, t->sh.ents[0].size);
}

/* ------------------------------------------------------------------ */
/* cfg->table_cache                                                     */

/*
 * A kmem cache for the tables below the top level: alone it works (the
 * VM_BIND flow on it), with cfg->alloc it is refused.
 */
static void vm_bind_table_cache(struct kunit *test)
{
	struct kmem_cache *cache;
	struct io_pgtable_cfg cfg = {
		.pgsize_bitmap	= SZ_4K | SZ_2M,
		.ias		= 48,
		.oas		= 40,
		.coherent_walk	= true,
		.tlb		= &vb_tlb_ops,
	};
	struct io_pgtable_reservation rsv = {};
	struct io_pgtable_ops *ops;
	struct vb_t *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	size_t n = 0, mapped = 0;
	u64 iova = SZ_4G;

	KUNIT_ASSERT_NOT_NULL(test, t);
	t->test = test;
	cache = kmem_cache_create("io-pgtable-vmbind-test", SZ_4K, SZ_4K, 0,
				  NULL);
	KUNIT_ASSERT_NOT_NULL(test, cache);
	cfg.iommu_dev = iopt_test_dma_device(test);
	cfg.table_cache = cache;

	/* not with a custom allocator */
	cfg.alloc = vb_alloc;
	cfg.free = vb_free;
	ops = alloc_io_pgtable_ops(ARM_64_LPAE_S1, &cfg, t);
	KUNIT_EXPECT_NULL(test, ops);
	if (ops)
		free_io_pgtable_ops(ops);
	KUNIT_EXPECT_EQ(test, t->allocs, t->frees);
	cfg.alloc = NULL;
	cfg.free = NULL;

	ops = alloc_io_pgtable_ops(ARM_64_LPAE_S1, &cfg, t);
	KUNIT_EXPECT_NOT_NULL(test, ops);
	if (ops) {
		KUNIT_EXPECT_EQ(test, io_pgtable_count_map(ops, iova, iova,
							   SZ_4K, SZ_4K, 0,
							   &n), 0);
		KUNIT_EXPECT_EQ(test, n, 3);
		KUNIT_EXPECT_EQ(test, io_pgtable_reserve(ops, &rsv, n,
							 GFP_KERNEL), 0);
		io_pgtable_attach_reservation(ops, &rsv);
		KUNIT_EXPECT_EQ(test, ops->map_pages(ops, iova, iova, SZ_4K, 1,
						     VB_RW, GFP_KERNEL,
						     &mapped), 0);
		io_pgtable_attach_reservation(ops, NULL);
		KUNIT_EXPECT_EQ(test, rsv.count, 0);
		KUNIT_EXPECT_EQ(test, rsv.taken, 3);
		KUNIT_EXPECT_EQ(test, ops->iova_to_phys(ops, iova + 8),
				iova + 8);
		/* and without a reservation, from the cache */
		KUNIT_EXPECT_EQ(test, ops->map_pages(ops, iova + SZ_1G, iova,
						     SZ_4K, 1, VB_RW,
						     GFP_KERNEL, &mapped), 0);
		KUNIT_EXPECT_EQ(test, ops->iova_to_phys(ops, iova + SZ_1G),
				iova);
		KUNIT_EXPECT_EQ(test, ops->unmap_pages(ops, iova, SZ_4K, 1,
						       NULL), SZ_4K);
		io_pgtable_unreserve(ops, &rsv, 0);
		free_io_pgtable_ops(ops);
	}
	kmem_cache_destroy(cache);
}

static struct kunit_case io_pgtable_vmbind_test_cases[] = {
	KUNIT_CASE_PARAM(vm_bind_random, vb_random_gen_params),
	KUNIT_CASE(vm_bind_count_exact),
	KUNIT_CASE(panthor_unmap_part_of_2m_block),
	KUNIT_CASE(panthor_6_12_unmap_part_of_2m_block),
	KUNIT_CASE(msm_unmap_part_of_1g_block),
	KUNIT_CASE(panthor_map_block_over_emptied_table),
	KUNIT_CASE(msm_unmap_granule_pages_of_1g_block),
	KUNIT_CASE(vm_bind_reservation_contract),
	KUNIT_CASE(vm_bind_no_split),
	KUNIT_CASE_PARAM(vm_bind_split_break_before_make, vb_bbm_gen_params),
	KUNIT_CASE_PARAM(vm_bind_split_every_format, vb_fmt_gen_params),
	KUNIT_CASE(vm_bind_table_cache),
	{}
};

static struct kunit_suite io_pgtable_vmbind_test_suite = {
	.name = "io-pgtable-vmbind",
	.test_cases = io_pgtable_vmbind_test_cases,
};

kunit_test_suites(&io_pgtable_vmbind_test_suite);

MODULE_DESCRIPTION("KUnit tests: io-pgtable for GPU VM_BIND, as panthor and msm use it");
MODULE_LICENSE("GPL");
