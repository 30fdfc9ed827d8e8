// SPDX-License-Identifier: GPL-2.0-only
/*
 * Concurrency stress for io-pgtable: threads map and unmap disjoint IOVA
 * ranges that share tables at every level, a reader translates beside
 * them, and everything each call returns is checked against a per-thread
 * shadow; at the end of each round the tables are compared with the
 * shadows by the reference walkers, and every table must be reachable or
 * freed. Built twice (ThreadSanitizer, AddressSanitizer) by the Makefile
 * next to this file; see README.md there.
 *
 * A round: a fresh set of tables for one configuration, so that all
 * threads race to install the tables of every level on their first calls.
 * The window of IOVA a round uses, in leaf tables (LT, the span of one
 * last-level table) and level-2 tables (the span of one table of blocks):
 *
 *   A   2 LT      shared: groups of G pages, owned round-robin; the last
 *                 group of the first table and the first of the second
 *                 belong to one thread, which also maps both in one call
 *                 (across into a table that may be missing)
 *   B   1 LT each owned whole: the table mapped in one call or as a block,
 *                 unmapped whole (the table is removed beside the other
 *                 threads' tables), or page runs
 *   S   1 LT      stable: in "warm" rounds mapped before the threads start
 *                 and only read during the round
 *   C   1 L2 each owned whole (when the level above exists): block runs,
 *                 a whole table of blocks (removed whole), and with the 4K
 *                 granule a 1G block over it
 *   P   1 L2      reclaim configurations (IO_PGTABLE_QUIRK_ARM_RECLAIM):
 *                 the first 4 LT of a table of its own, pages by the
 *                 boundaries between them in pairs owned round-robin,
 *                 mapped (GFP_KERNEL or GFP_ATOMIC, a page or a pair, the
 *                 middle pair across the boundary) and unmapped with the
 *                 gather page by page, so that the leaf tables and the L2
 *                 table are emptied, reclaimed and installed again while
 *                 the neighbours map into them
 *
 * Readers translate S (must translate exactly), A and P (what they get
 * must be the right address or 0; a hole of P, 0); they never read B or
 * C, whose tables are freed during the round (a reader there would be a
 * use after free in the kernel as well: iova_to_phys() of a range being
 * unmapped is the caller's bug). P's tables go only by the reclaim,
 * which frees a grace period after the detach: reading there is safe.
 *
 * Allocation failures: in half of the rounds the tables come from a custom
 * cfg->alloc that fails at random, per thread, so that each thread knows
 * whether its own call saw a failure: -ENOMEM is then expected, -EEXIST
 * never is (issue 7, 2.3). A -EEXIST on a disjoint range without a failure
 * is issue 7, 2.2. Both are counted and reported.
 */

#include <linux/io-pgtable.h>
#include <linux/iommu.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include "io-pgtable-arm-ref.h"
#include "io-pgtable-arm-v7s-ref.h"
#include "shim.h"

#include <getopt.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_THREADS	8

enum kind { K_S1, K_S2, K_MALI, K_V7S };

struct rconf {
	const char		*name;
	enum io_pgtable_fmt	fmt;
	enum kind		kind;
	unsigned long		pgsizes;
	unsigned int		ias, oas;
	unsigned long		quirks;
};

static const struct rconf confs[] = {
	{ "s1-4k-l0",  ARM_64_LPAE_S1, K_S1, SZ_4K | SZ_2M | SZ_1G, 48, 48 },
	{ "s1-4k-l1",  ARM_64_LPAE_S1, K_S1, SZ_4K | SZ_2M | SZ_1G, 39, 48 },
	{ "s1-4k-l1-bbml2", ARM_64_LPAE_S1, K_S1, SZ_4K | SZ_2M | SZ_1G, 39, 48,
	  IO_PGTABLE_QUIRK_ARM_BBML2 },
	{ "s1-4k-l1-ias32", ARM_64_LPAE_S1, K_S1, SZ_4K | SZ_2M | SZ_1G, 32, 48 },
	{ "s1-16k-l0", ARM_64_LPAE_S1, K_S1, SZ_16K | SZ_32M, 48, 48 },
	{ "s1-16k-l1", ARM_64_LPAE_S1, K_S1, SZ_16K | SZ_32M, 47, 48 },
	{ "s1-16k-l2", ARM_64_LPAE_S1, K_S1, SZ_16K | SZ_32M, 36, 48 },
	{ "s1-64k-l1", ARM_64_LPAE_S1, K_S1, SZ_64K | SZ_512M, 48, 48 },
	{ "s1-64k-l2", ARM_64_LPAE_S1, K_S1, SZ_64K | SZ_512M, 42, 48 },
	{ "s2-4k-concat", ARM_64_LPAE_S2, K_S2, SZ_4K | SZ_2M | SZ_1G, 40, 48 },
	{ "s2-16k-concat", ARM_64_LPAE_S2, K_S2, SZ_16K | SZ_32M, 48, 48 },
	{ "mali-4k",   ARM_MALI_LPAE, K_MALI, SZ_4K | SZ_2M | SZ_1G, 48, 40 },
	{ "v7s",       ARM_V7S, K_V7S, SZ_4K | SZ_64K | SZ_1M | SZ_16M, 32, 32 },
	/* the reclaim of emptied tables: every region, and P (see below) */
	{ "s1-4k-l1-reclaim", ARM_64_LPAE_S1, K_S1, SZ_4K | SZ_2M | SZ_1G, 39, 48,
	  IO_PGTABLE_QUIRK_ARM_RECLAIM },
	{ "s1-16k-l1-reclaim", ARM_64_LPAE_S1, K_S1, SZ_16K | SZ_32M, 47, 48,
	  IO_PGTABLE_QUIRK_ARM_RECLAIM },
	{ "s2-4k-concat-reclaim", ARM_64_LPAE_S2, K_S2, SZ_4K | SZ_2M | SZ_1G, 40, 48,
	  IO_PGTABLE_QUIRK_ARM_RECLAIM },
	/* the contiguous hint: every region, and K (see below) */
	{ "s1-4k-l1-contig", ARM_64_LPAE_S1, K_S1, SZ_4K | SZ_2M | SZ_1G, 39, 48,
	  IO_PGTABLE_QUIRK_ARM_CONTIG },
	{ "s1-16k-l1-contig", ARM_64_LPAE_S1, K_S1, SZ_16K | SZ_32M, 47, 48,
	  IO_PGTABLE_QUIRK_ARM_CONTIG },
};

#define NR_CONFS	ARRAY_SIZE(confs)

/* -------- results -------- */

enum counter {
	C_OPS, C_MAPS, C_UNMAPS, C_XLATES, C_READER, C_REF_WALKS,
	C_ENOMEM,		/* expected -ENOMEM (own allocation failed) */
	C_FALSE_EEXIST,		/* 2.2: -EEXIST on a free range, no failure */
	C_ENOMEM_AS_EEXIST,	/* 2.3: -EEXIST where -ENOMEM was due */
	C_BAD_MAP,		/* any other wrong map result */
	C_BAD_MAPPED,		/* *mapped disagrees with the tables */
	C_BAD_UNMAP,		/* unmap returned other than what was mapped */
	C_BAD_SPLIT,		/* a page out of a block: not unmapped alone */
	C_BAD_XLATE_OWN,	/* a thread's own page translated wrongly */
	C_BAD_XLATE_STABLE,	/* a stable page did not translate exactly */
	C_BAD_XLATE_MOVING,	/* a changing page translated to a wrong PA */
	C_BAD_SHADOW,		/* end of round: tables differ from a shadow */
	C_STRAY_LEAF,		/* end of round: a leaf nobody mapped */
	C_TABLE_LEAK,		/* tables allocated but not reachable */
	C_ALLOC_LEAK,		/* memory left after free_io_pgtable_ops() */
	C_DMA_INCOHERENT,	/* a write never synced for the walker */
	C_HOLE_XLATE,		/* a page nobody maps translated */
	C_NOT_RECLAIMED,	/* P emptied page by page: a table stayed */
	C_NO_RECLAIM,		/* a reclaim configuration never reclaimed */
	C_SHIM_FAIL,		/* the shim caught an error (double free, ...) */
	C_ROUNDS,
	C_SPLITS,		/* pages unmapped out of a block (D) */
	C_SPLIT_WINDOW,		/* own mapped page of D translated to 0 */
	C_SPLIT_MET,		/* a page unmap began inside another's flush */
	C_P_OPS,		/* maps and unmaps in P */
	C_P_SLOW,		/* of which GFP_KERNEL maps (pinned, slow path) */
	C_P_CROSS,		/* of which calls across a leaf-table boundary */
	C_RECLAIM_LT,		/* P leaf tables detached while racing */
	C_RECLAIM_L2,		/* P level-2 tables detached while racing */
	C_RECLAIM_END,		/* P tables detached by the final drain */
	C_K_UNMAPS,		/* units unmapped out of a shared run (K) */
	C_K_HINTED,		/* of which with the run hinted before */
	C_K_BREAKS,		/* breaks of a shared run (its walk flush) */
	C_K_MET_ZERO,		/* a K unmap whose own unit read 0 just before */
	C_K_MET_FLUSH,		/* a K unmap began inside another's flush */
	C_K_WINDOW,		/* own mapped unit of K translated to 0 */
	C_K_READER_WINDOW,	/* a stable unit of K read 0 (a break) */
	C_K_SPLITS,		/* pages out of a block of a run (K[1]) */
	NR_COUNTERS
};

static const char *const counter_names[NR_COUNTERS] = {
	"ops (threads' own)", "maps", "unmaps", "iova_to_phys (own)",
	"iova_to_phys (reader)", "ref walks",
	"expected -ENOMEM", "false -EEXIST (2.2)", "-ENOMEM as -EEXIST (2.3)",
	"bad map result", "*mapped wrong", "bad unmap result",
	"bad split unmap",
	"own page mistranslated", "stable page mistranslated",
	"changing page wrong PA", "shadow mismatch", "stray leaf",
	"table leak", "allocation leak", "unsynced write",
	"hole translated", "emptied P table stayed", "no reclaim at all",
	"shim failure",
	"rounds", "split unmaps (D)", "D page in the break window",
	"D unmap met another's flush",
	"P maps and unmaps", "P maps GFP_KERNEL", "P calls across tables",
	"P leaf tables reclaimed", "P L2 tables reclaimed",
	"P tables reclaimed at drain",
	"K unit unmaps (shared run)", "K unmaps of a hinted run",
	"K runs broken", "K unmap found the run broken",
	"K unmap met another's flush", "K own unit in a break",
	"K stable unit in a break", "K blocks of a run split",
};

/* Counters that are failures */
static bool counter_is_failure(int c)
{
	return c >= C_FALSE_EEXIST && c <= C_SHIM_FAIL;
}

static unsigned long counters[NR_COUNTERS];
static unsigned long conf_fail[NR_CONFS * 2];
/* P tables the workers reclaimed, and rounds, per configuration and walker */
static unsigned long conf_reclaims[NR_CONFS * 2], conf_rounds[NR_CONFS * 2];

static void count(int c, unsigned long n)
{
	__atomic_fetch_add(&counters[c], n, __ATOMIC_RELAXED);
}

static unsigned long max_reports = 20;
static unsigned long nr_reports;

static void report(int c, const char *fmt, ...) __printf(2, 3);
static void report(int c, const char *fmt, ...)
{
	va_list ap;

	count(c, 1);
	if (__atomic_fetch_add(&nr_reports, 1, __ATOMIC_RELAXED) >= max_reports)
		return;
	va_start(ap, fmt);
	printf("# FAIL [%s] ", counter_names[c]);
	vprintf(fmt, ap);
	printf("\n");
	va_end(ap);
	fflush(stdout);
}

/* -------- per-thread random numbers -------- */

static u64 rnd_next(u64 *s)
{
	u64 x = *s;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*s = x;
	return x * 0x2545f4914f6cdd1dULL;
}

static u64 rnd_below(u64 *s, u64 n)
{
	return n ? rnd_next(s) % n : 0;
}

/* -------- the custom allocator -------- */

static __thread u64 tl_rng = 0x9e3779b97f4a7c15ULL;
static __thread unsigned int tl_fail_one_in;	/* 0: never fail */
static __thread unsigned long tl_failed;	/* failures injected so far */

struct alloc_ctx {
	bool low;		/* v7s: below 4 GiB */
	long live;		/* tables live */
	unsigned long allocs, frees, failed;
};

static void *race_alloc(void *cookie, size_t size, gfp_t gfp)
{
	struct alloc_ctx *a = cookie;
	void *p;

	if (tl_fail_one_in && !rnd_below(&tl_rng, tl_fail_one_in)) {
		tl_failed++;
		__atomic_fetch_add(&a->failed, 1, __ATOMIC_RELAXED);
		return NULL;
	}
	gfp = (gfp & ~(__GFP_DMA | __GFP_DMA32 | __GFP_HIGHMEM)) | __GFP_ZERO;
	if (size >= PAGE_SIZE)
		p = (void *)__get_free_pages(gfp | (a->low ? GFP_DMA32 : 0),
					     get_order(size));
	else
		p = kmalloc(size, gfp | (a->low ? GFP_DMA : 0));
	if (p) {
		__atomic_fetch_add(&a->live, 1, __ATOMIC_RELAXED);
		__atomic_fetch_add(&a->allocs, 1, __ATOMIC_RELAXED);
	}
	return p;
}

static void race_free(void *cookie, void *pages, size_t size)
{
	struct alloc_ctx *a = cookie;

	__atomic_fetch_sub(&a->live, 1, __ATOMIC_RELAXED);
	__atomic_fetch_add(&a->frees, 1, __ATOMIC_RELAXED);
	if (size >= PAGE_SIZE)
		free_pages((unsigned long)pages, get_order(size));
	else
		kfree(pages);
}

/* -------- TLB callbacks: they only count -------- */

static unsigned long tlb_calls;

static void tlb_flush_all(void *cookie)
{
	__atomic_fetch_add(&tlb_calls, 1, __ATOMIC_RELAXED);
}

static u64 now_ns(void);

/*
 * The range each worker is flushing (walk), while it spins in the
 * callback: [lo, hi), hi 0 when none. Only for the counter below.
 */
static __thread int tl_id = -1;
static u64 flush_lo[MAX_THREADS], flush_hi[MAX_THREADS];

/* Does another worker flush a range holding @iova right now? */
static bool in_others_flush(u64 iova)
{
	for (int t = 0; t < MAX_THREADS; t++) {
		u64 hi = __atomic_load_n(&flush_hi[t], __ATOMIC_RELAXED);

		if (t != tl_id && hi && iova < hi &&
		    iova >= __atomic_load_n(&flush_lo[t], __ATOMIC_RELAXED))
			return true;
	}
	return false;
}

/*
 * A walk flush is synchronous and slow on hardware (a CMD_SYNC): in half
 * of them, spin for a few microseconds, so that the other threads meet a
 * block held broken for its split (and a table being removed).
 */
static void count_reclaim(unsigned long iova, size_t size, size_t granule);
static void count_kbreak(unsigned long iova, size_t size, size_t granule);

static void tlb_flush_walk(unsigned long iova, size_t size, size_t granule,
			   void *cookie)
{
	__atomic_fetch_add(&tlb_calls, 1, __ATOMIC_RELAXED);
	count_reclaim(iova, size, granule);
	count_kbreak(iova, size, granule);
	if (rnd_below(&tl_rng, 2)) {
		u64 t = now_ns() + 2000 + rnd_below(&tl_rng, 8000);

		if (tl_id >= 0) {
			__atomic_store_n(&flush_lo[tl_id], iova, __ATOMIC_RELAXED);
			__atomic_store_n(&flush_hi[tl_id], iova + size,
					 __ATOMIC_RELAXED);
		}
		while (now_ns() < t)
			shim_cpu_relax();
		if (tl_id >= 0)
			__atomic_store_n(&flush_hi[tl_id], 0, __ATOMIC_RELAXED);
	}
}

static void tlb_add_page(struct iommu_iotlb_gather *gather,
			 unsigned long iova, size_t granule, void *cookie)
{
	__atomic_fetch_add(&tlb_calls, 1, __ATOMIC_RELAXED);
}

static const struct iommu_flush_ops race_tlb = {
	.tlb_flush_all	= tlb_flush_all,
	.tlb_flush_walk	= tlb_flush_walk,
	.tlb_add_page	= tlb_add_page,
};

/* -------- a round -------- */

/*
 * One shadow entry per unit (a page, or a block in C): the leaf size it
 * is mapped with (log2; 0 when unmapped) and the prot. The output address
 * is a function of the IOVA (round_pa()), so readers need no shadow.
 */
struct unit {
	u8 shift;
	u8 prot;
	u8 cont;	/* K: mapped with the contiguous hint */
};

struct region {
	u64 base;		/* first IOVA */
	unsigned int ushift;	/* log2 of a unit */
	size_t nr;		/* units */
	struct unit *u;
};

/* P: leaf tables, pages each side of a boundary, groups of two pages */
#define P_TABLES	4
#define P_SIDE		3
#define P_GROUPS	((P_TABLES - 1) * P_SIDE)

struct round {
	const struct rconf *rc;
	bool coherent, custom, warm, fail;
	unsigned int nthreads;
	unsigned long ops_per_thread;
	u64 seed;

	struct io_pgtable_ops *ops;
	struct io_pgtable_cfg cfg;
	struct alloc_ctx actx;
	struct device *dev;
	size_t shim_base;	/* shim allocations before the tables */
	size_t dma_base;	/* and DMA mappings */

	/* geometry */
	unsigned int gshift, lt_shift, l2_shift;	/* page, LT, L2-table span */
	unsigned int block_shift;	/* block at the leaf tables' parent level */
	unsigned int big_shift;		/* block over a C table (4K: 1G), or 0 */
	unsigned int e_shift;		/* log2 entries of a leaf table */
	unsigned int group;		/* pages per group in A */
	bool have_c;
	u64 base, pa_base;

	struct region A, S, B[MAX_THREADS], C[MAX_THREADS];
	/*
	 * D: one block of the leaf tables' span (4K: 2M), DG: one 1G block
	 * (4K granule, when there is room), remapped whole at each epoch;
	 * their pages are owned round-robin and unmapped one by one, so
	 * that several threads split the same block at once. Units are
	 * pages; their shift says the leaf size until something of the
	 * block is unmapped, and is recomputed at the end of the round.
	 */
	struct region D, DG;
	bool have_d, have_dg, d_mapped;
	/*
	 * P (reclaim configurations): the first P_TABLES leaf tables of a
	 * level-2 table of its own, [p_lo, p_hi). Around each boundary
	 * between two of them, P_SIDE pages each side, in groups of two
	 * owned round-robin: the middle group straddles the boundary.
	 * The other pages of P are holes nobody maps.
	 */
	struct region P;
	bool have_p;
	/*
	 * K (IO_PGTABLE_QUIRK_ARM_CONTIG): K[0] pages of a leaf table,
	 * K[1] blocks of a table of blocks (when there is room), in runs
	 * of 1 << k_bits entries. Run 0 is shared: its units owned
	 * round-robin by the threads and nobody (unit i by i % (nthreads
	 * + 1); nthreads: stable, only read), mapped whole with the hint
	 * at each epoch and broken by the threads' unmaps of a unit each;
	 * run 1 + t is thread t's, next to it. k_broken[k]: a unit of run
	 * 0 was unmapped since it was mapped whole (atomic); k_gen: odd
	 * while thread 0 maps run 0 anew.
	 */
	struct region K[2];
	bool have_k[2];
	unsigned int k_bits[2];
	int k_broken[2];
	unsigned long k_gen;
	u64 p_lo, p_hi;
	u8 p_owner[P_GROUPS];
	u8 *a_owner;		/* per group of A */
	unsigned int nr_groups, straddle;	/* straddle: first group of pair */

	struct arm_lpae_ref lref;
	struct v7s_ref vref;
};

static struct round R;

/*
 * A walk flush whose granule is its size, inside P's level-2 span: P maps
 * no block, so nothing but the reclaim's detach of a table makes one.
 * Counted apart for the workers (while they race) and the main thread
 * (the drain at the end of a round).
 */
static void count_reclaim(unsigned long iova, size_t size, size_t granule)
{
	if (!R.have_p || size != granule || iova < R.p_lo ||
	    iova + size > R.p_hi)
		return;
	if (tl_id < 0)
		count(C_RECLAIM_END, 1);
	else if (size == (size_t)1 << R.lt_shift)
		count(C_RECLAIM_LT, 1);
	else if (size == (size_t)1 << R.l2_shift)
		count(C_RECLAIM_L2, 1);
}

/*
 * A worker's walk flush of exactly a shared run of K, one invalidation per
 * entry: the break of the run (an unmap of a unit flushes the unit).
 */
static void count_kbreak(unsigned long iova, size_t size, size_t granule)
{
	for (unsigned int k = 0; k < 2; k++)
		if (R.have_k[k] && tl_id >= 0 && iova == R.K[k].base &&
		    granule == (size_t)1 << R.K[k].ushift &&
		    size == granule << R.k_bits[k])
			count(C_K_BREAKS, 1);
}

static phys_addr_t round_pa(u64 iova)
{
	return R.pa_base + (iova - R.base);
}

static unsigned int level_shift(unsigned int gshift, int lvl)
{
	return gshift + (3 - lvl) * (gshift - 3);
}

static int prot_of(u64 *rng)
{
	static const int prots[] = {
		IOMMU_READ, IOMMU_READ | IOMMU_WRITE, IOMMU_WRITE,
		IOMMU_READ | IOMMU_WRITE | IOMMU_CACHE,
		IOMMU_READ | IOMMU_CACHE | IOMMU_NOEXEC,
	};

	return prots[rnd_below(rng, ARRAY_SIZE(prots))];
}

static void region_init(struct region *r, u64 base, unsigned int ushift,
			size_t nr)
{
	r->base = base;
	r->ushift = ushift;
	r->nr = nr;
	r->u = calloc(nr, sizeof(*r->u));
	if (!r->u)
		abort();
}

static void region_fini(struct region *r)
{
	free(r->u);
	r->u = NULL;
	r->nr = 0;
}

static u64 region_iova(const struct region *r, size_t i)
{
	return r->base + ((u64)i << r->ushift);
}

/* -------- the reference walkers -------- */

static u64 read_dev64(void *ctx, phys_addr_t pa)
{
	return shim_dma_read64(pa);
}

static u32 read_dev32(void *arg, phys_addr_t pa)
{
	return shim_dma_read32(pa);
}

/* Translate @iova as the walker would, through the CPU's or the device's view. */
static bool ref_walk(u64 iova, bool device, phys_addr_t *pa,
		     unsigned int *shift, bool *write, bool *cont)
{
	*cont = false;
	count(C_REF_WALKS, 1);
	if (R.rc->kind == K_V7S) {
		struct v7s_ref ref = R.vref;
		struct v7s_ref_leaf leaf;

		if (device)
			ref.read = read_dev32;
		if (!v7s_ref_walk(&ref, iova, &leaf))
			return false;
		*pa = leaf.pa;
		*shift = __ffs(leaf.size);
		*write = !leaf.rdonly;
		return true;
	}
	{
		struct arm_lpae_ref ref = R.lref;
		struct arm_lpae_ref_leaf leaf;

		if (device)
			ref.read = read_dev64;
		if (!arm_lpae_ref_walk(&ref, iova, &leaf))
			return false;
		*pa = leaf.oa;
		*shift = __ffs(leaf.size);
		*write = leaf.write;
		*cont = leaf.contiguous;
		return true;
	}
}

/* -------- per-thread work -------- */

struct worker {
	unsigned int id;
	u64 rng;
	struct iommu_iotlb_gather gather;
	pthread_t thread;
};

static struct worker workers[MAX_THREADS + 1];
static pthread_barrier_t bar_start, bar_end, bar_epoch;
static unsigned long epoch_ops = 4;
static u64 go_at;	/* when the racing calls of an epoch start */

static u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/*
 * The threads leave a barrier one by one, each in a few microseconds;
 * a call is over before the next thread runs. Wait for a common start
 * instead, spinning, so that the calls meet.
 */
static void wait_for_go(u64 delay)
{
	u64 t = __atomic_load_n(&go_at, __ATOMIC_ACQUIRE) + delay;

	while (now_ns() < t)
		shim_cpu_relax();
}

/* Set by the main thread before the last bar_start: the threads leave. */
static bool all_done;
static unsigned int workers_done;

static size_t pages_of(unsigned int ushift, unsigned int leaf_shift)
{
	return (size_t)1 << (leaf_shift - ushift);
}

/*
 * After a map that failed, or whose result was wrong: find out from the
 * tables what the call left mapped in [@first, @first + @n) units of @r
 * (leaves of @lshift), and make the shadow say so. Returns the units, from
 * the start, that translate; sets *@holes when a later one does too (the
 * mapped part is not a prefix).
 */
static size_t resync(struct region *r, size_t first, size_t n,
		     unsigned int lshift, int prot, bool *holes)
{
	size_t step = pages_of(r->ushift, lshift), i, prefix = 0;
	bool gap = false;

	*holes = false;
	for (i = 0; i < n; i += step) {
		u64 iova = region_iova(r, first + i);
		phys_addr_t pa = R.ops->iova_to_phys(R.ops, iova);
		size_t k;

		if (pa && pa != round_pa(iova))
			report(C_BAD_MAPPED, "%s: %#llx translates to %#llx, not %#llx",
			       R.rc->name, iova, (unsigned long long)pa,
			       (unsigned long long)round_pa(iova));
		for (k = 0; k < step; k++) {
			r->u[first + i + k].shift = pa ? lshift : 0;
			r->u[first + i + k].prot = prot;
		}
		if (!pa) {
			gap = true;
		} else {
			if (gap)
				*holes = true;
			else
				prefix += step;
		}
	}
	return prefix;
}

/*
 * Map units [@first, @first + @n) of @r with leaves of 1 << @lshift,
 * allocating with @gfp.
 */
static void do_map_gfp(struct worker *w, struct region *r, size_t first,
		       size_t n, unsigned int lshift, gfp_t gfp)
{
	size_t step = pages_of(r->ushift, lshift), mapped = 0, i, got;
	size_t pgcount = n / step, pgsize = (size_t)1 << lshift;
	u64 iova = region_iova(r, first);
	unsigned long failed = tl_failed;
	int prot = prot_of(&w->rng), ret;
	bool holes;

	for (i = 0; i < n; i++)
		if (r->u[first + i].shift)
			return;		/* only free ranges */

	count(C_MAPS, 1);
	count(C_OPS, 1);
	ret = R.ops->map_pages(R.ops, iova, round_pa(iova), pgsize, pgcount,
			       prot, gfp, &mapped);
	failed = tl_failed - failed;

	if (!ret && mapped == n << r->ushift) {
		for (i = 0; i < n; i++) {
			r->u[first + i].shift = lshift;
			r->u[first + i].prot = prot;
		}
		return;
	}

	if (ret == -EEXIST && failed)
		report(C_ENOMEM_AS_EEXIST,
		       "%s: map %#llx +%zu x %#zx: -EEXIST after an allocation failure (*mapped %#zx)",
		       R.rc->name, iova, pgcount, pgsize, mapped);
	else if (ret == -EEXIST)
		report(C_FALSE_EEXIST,
		       "%s: map %#llx +%zu x %#zx on a free range: -EEXIST (*mapped %#zx)",
		       R.rc->name, iova, pgcount, pgsize, mapped);
	else if (ret == -ENOMEM && failed)
		count(C_ENOMEM, 1);
	else
		report(C_BAD_MAP, "%s: map %#llx +%zu x %#zx (%s): %d, *mapped %#zx%s",
		       R.rc->name, iova, pgcount, pgsize,
		       gfpflags_allow_blocking(gfp) ? "may sleep" : "atomic",
		       ret, mapped,
		       failed ? " (after an allocation failure)" : "");

	got = resync(r, first, n, lshift, prot, &holes) << r->ushift;
	if (holes || got != mapped)
		report(C_BAD_MAPPED,
		       "%s: map %#llx +%zu x %#zx returned %d, *mapped %#zx, but %#zx is mapped%s",
		       R.rc->name, iova, pgcount, pgsize, ret, mapped, got,
		       holes ? " (not a prefix)" : "");
}

static void do_map(struct worker *w, struct region *r, size_t first, size_t n,
		   unsigned int lshift)
{
	do_map_gfp(w, r, first, n, lshift, GFP_KERNEL);
}

/*
 * Unmap units [@first, @first + @n) of @r in leaves of 1 << @lshift: only
 * when all of it is mapped with such leaves (expect all of it back) or
 * none of it is (expect 0). With a gather always when @gather, else in
 * half of the calls.
 */
static void do_unmap_g(struct worker *w, struct region *r, size_t first,
		       size_t n, unsigned int lshift, bool gather)
{
	size_t step = pages_of(r->ushift, lshift), i, want, got;
	size_t pgcount = n / step, pgsize = (size_t)1 << lshift;
	u64 iova = region_iova(r, first);
	bool all = true, none = true;

	for (i = 0; i < n; i++) {
		if (r->u[first + i].shift != lshift)
			all = false;
		if (r->u[first + i].shift)
			none = false;
	}
	if (!all && !none)
		return;
	/*
	 * An LPAE block-sized unmap over a table removes the table, mapped
	 * or not (as 6.12 does), so "nothing there" is known only for pages.
	 */
	if (none && R.rc->kind != K_V7S && lshift != R.gshift)
		return;
	want = all ? n << r->ushift : 0;

	count(C_UNMAPS, 1);
	count(C_OPS, 1);
	got = R.ops->unmap_pages(R.ops, iova, pgsize, pgcount,
				 gather || rnd_below(&w->rng, 2) ? &w->gather : NULL);
	if (got != want) {
		bool holes;

		report(C_BAD_UNMAP, "%s: unmap %#llx +%zu x %#zx returned %#zx, expected %#zx",
		       R.rc->name, iova, pgcount, pgsize, got, want);
		resync(r, first, n, lshift, 0, &holes);
		return;
	}
	for (i = 0; i < n; i++)
		r->u[first + i].shift = 0;
}

static void do_unmap(struct worker *w, struct region *r, size_t first,
		     size_t n, unsigned int lshift)
{
	do_unmap_g(w, r, first, n, lshift, false);
}

/* Translate one unit of a region the thread owns. */
static void do_xlate_own(struct worker *w, struct region *r, size_t i)
{
	u64 iova = region_iova(r, i) + (rnd_next(&w->rng) & ((1ULL << r->ushift) - 1) & ~7ULL);
	phys_addr_t pa = R.ops->iova_to_phys(R.ops, iova);
	phys_addr_t want = r->u[i].shift ? round_pa(iova) : 0;

	count(C_XLATES, 1);
	count(C_OPS, 1);
	if (pa != want)
		report(C_BAD_XLATE_OWN, "%s: own %#llx translates to %#llx, expected %#llx",
		       R.rc->name, iova, (unsigned long long)pa, (unsigned long long)want);
}

/* A group of A: its first page and its size in pages */
static void a_group(unsigned int k, size_t *first, size_t *n)
{
	*first = (size_t)k * R.group;
	*n = R.group;
}

static void op_region_a(struct worker *w)
{
	unsigned int k, tries;
	size_t first, n;

	/* a group of ours */
	for (tries = 0; tries < 8; tries++) {
		k = rnd_below(&w->rng, R.nr_groups);
		if (R.a_owner[k] == w->id)
			break;
	}
	if (R.a_owner[k] != w->id)
		return;
	a_group(k, &first, &n);

	switch (rnd_below(&w->rng, 8)) {
	case 0: case 1:
		do_map(w, &R.A, first, n, R.gshift);
		break;
	case 2:
		do_map(w, &R.A, first + rnd_below(&w->rng, n), 1, R.gshift);
		break;
	case 3:
		/* the pair across the tables' boundary, in one call */
		if (k == R.straddle || k == R.straddle + 1) {
			do_map(w, &R.A, (size_t)R.straddle * R.group,
			       2 * R.group, R.gshift);
			break;
		}
		fallthrough;
	case 4:
		if (R.rc->kind == K_V7S) {
			/* a 64K large page over the group */
			if (rnd_below(&w->rng, 2))
				do_map(w, &R.A, first, n, 16);
			else
				do_unmap(w, &R.A, first, n, 16);
			break;
		}
		do_unmap(w, &R.A, first, n, R.gshift);
		break;
	case 5:
		if (k == R.straddle || k == R.straddle + 1) {
			do_unmap(w, &R.A, (size_t)R.straddle * R.group,
				 2 * R.group, R.gshift);
			break;
		}
		fallthrough;
	case 6:
		do_unmap(w, &R.A, first, n, R.gshift);
		break;
	default:
		do_unmap(w, &R.A, first + rnd_below(&w->rng, n), 1, R.gshift);
		break;
	}
}

/* B: two leaf tables of the thread's own, next to everybody's */
static void op_region_b(struct worker *w)
{
	struct region *r = &R.B[w->id];
	size_t e = r->nr / 2, i, len;
	size_t half = rnd_below(&w->rng, 2) * e;
	unsigned int bshift = R.lt_shift;	/* a block over a whole table */

	switch (rnd_below(&w->rng, 12)) {
	case 0:
		/* both tables, in one call: each built aside and published */
		do_map(w, r, 0, 2 * e, R.gshift);
		break;
	case 1:
		do_map(w, r, half, e, R.gshift);	/* one whole table */
		break;
	case 2:
		do_unmap(w, r, 0, 2 * e, R.gshift);	/* removes both */
		break;
	case 3:
		do_unmap(w, r, half, e, R.gshift);	/* removes one */
		break;
	case 4:
		do_map(w, r, half, e, bshift);		/* a block over one */
		break;
	case 5:
		do_map(w, r, 0, 2 * e, bshift);
		break;
	case 6:
		do_unmap(w, r, half, e, bshift);
		break;
	case 7:
		do_unmap(w, r, 0, 2 * e, bshift);
		break;
	case 8: case 9:
		i = rnd_below(&w->rng, r->nr);
		len = 1 + rnd_below(&w->rng, min_t(size_t, r->nr - i, 64));
		do_map(w, r, i, len, R.gshift);
		break;
	default:
		i = rnd_below(&w->rng, r->nr);
		len = 1 + rnd_below(&w->rng, min_t(size_t, r->nr - i, 64));
		do_unmap(w, r, i, len, R.gshift);
		break;
	}
}

static void op_region_c(struct worker *w)
{
	struct region *r = &R.C[w->id];
	size_t n = r->nr, i, len;

	switch (rnd_below(&w->rng, 8)) {
	case 0:
		do_map(w, r, 0, n, r->ushift);		/* whole table of blocks */
		break;
	case 1:
		do_unmap(w, r, 0, n, r->ushift);	/* removes the table */
		break;
	case 2:
		if (R.big_shift)
			do_map(w, r, 0, n, R.big_shift);
		break;
	case 3:
		if (R.big_shift)
			do_unmap(w, r, 0, n, R.big_shift);
		break;
	case 4: case 5:
		i = rnd_below(&w->rng, n);
		len = 1 + rnd_below(&w->rng, min_t(size_t, n - i, 16));
		do_map(w, r, i, len, r->ushift);
		break;
	default:
		i = rnd_below(&w->rng, n);
		len = 1 + rnd_below(&w->rng, min_t(size_t, n - i, 16));
		do_unmap(w, r, i, len, r->ushift);
		break;
	}
}

/*
 * D and DG: pages of one block, owned round-robin (unit i by thread
 * i % nthreads). A page of ours in [@lo, @hi) units, or -1.
 */
static long d_pick(struct worker *w, size_t lo, size_t hi)
{
	size_t u = lo + rnd_below(&w->rng, hi - lo);

	u = u - u % R.nthreads + w->id;
	if (u >= hi)
		u -= R.nthreads;
	return u >= lo && u < hi ? (long)u : -1;
}

/*
 * Unmap one page of ours out of D or DG: while the block is whole, the
 * call splits it, racing with the other threads that split the same
 * block for their pages (and with the neighbours' maps and unmaps).
 * Exactly the page goes; then the page reads 0 and another page of ours
 * still translates (with BBML2 always; otherwise 0 while another thread
 * holds the block broken, which is counted).
 */
static void d_unmap_page(struct worker *w, struct region *r, size_t u)
{
	u64 iova = region_iova(r, u);
	size_t pgsize = (size_t)1 << R.gshift, got;
	unsigned long failed = tl_failed;
	phys_addr_t pa;
	long v;

	if (!r->u[u].shift)
		return;
	count(C_UNMAPS, 1);
	count(C_OPS, 1);
	count(C_SPLITS, r->u[u].shift > R.gshift);
	count(C_SPLIT_MET, in_others_flush(iova));
	got = R.ops->unmap_pages(R.ops, iova, pgsize, 1,
				 rnd_below(&w->rng, 2) ? &w->gather : NULL);
	if (!got && tl_failed != failed) {
		/* no memory for the split: 0, nothing changed */
		count(C_ENOMEM, 1);
		pa = R.ops->iova_to_phys(R.ops, iova);
		if (!pa && !(R.cfg.quirks & IO_PGTABLE_QUIRK_ARM_BBML2))
			count(C_SPLIT_WINDOW, 1);	/* another's split */
		else if (pa != round_pa(iova))
			report(C_BAD_SPLIT, "%s: split of %#llx failed for memory, but the page now translates to %#llx",
			       R.rc->name, iova, (unsigned long long)pa);
		return;
	}
	if (got != pgsize) {
		report(C_BAD_SPLIT, "%s: unmap of page %#llx out of a %s: returned %#zx",
		       R.rc->name, iova, r->u[u].shift > R.gshift ?
		       "block (a split)" : "split block", got);
		if (!got)
			return;
	}
	r->u[u].shift = 0;
	pa = R.ops->iova_to_phys(R.ops, iova);
	if (pa)
		report(C_BAD_SPLIT, "%s: page %#llx still translates to %#llx after its unmap",
		       R.rc->name, iova, (unsigned long long)pa);
	/*
	 * another page of ours, in the same block: in DG, in the other of
	 * the first two 2M, which another thread may be splitting now
	 */
	if (r == &R.DG) {
		size_t per = (size_t)1 << R.e_shift, other = u < per ? per : 0;

		v = d_pick(w, other, other + per);
	} else {
		v = d_pick(w, 0, r->nr);
	}
	if (v < 0 || !r->u[v].shift)
		return;
	iova = region_iova(r, v);
	pa = R.ops->iova_to_phys(R.ops, iova);
	count(C_XLATES, 1);
	if (!pa && !(R.cfg.quirks & IO_PGTABLE_QUIRK_ARM_BBML2))
		count(C_SPLIT_WINDOW, 1);
	else if (pa != round_pa(iova))
		report(C_BAD_XLATE_OWN, "%s: own %#llx of a block being split translates to %#llx, expected %#llx",
		       R.rc->name, iova, (unsigned long long)pa,
		       (unsigned long long)round_pa(iova));
}

/*
 * D or DG, between epochs: a page of ours out of the block, or one we
 * unmapped mapped again into the split tables. In DG, pages of the
 * first two 2M (the leaf tables' span) only, so that the threads split
 * the 1G block and then the same 2M blocks.
 */
static void op_region_d(struct worker *w)
{
	bool dg = R.have_dg && rnd_below(&w->rng, 2);
	struct region *r = dg ? &R.DG : &R.D;
	size_t hi = dg ? 2ULL << R.e_shift : r->nr;
	long u;

	if (!R.d_mapped || (u = d_pick(w, 0, hi)) < 0)
		return;
	if (r->u[u].shift)
		d_unmap_page(w, r, u);
	else
		do_map(w, r, u, 1, R.gshift);
}

/*
 * Thread 0, alone, at an epoch: D and DG become whole blocks again (a
 * block-size unmap removes the split tables, mapped or not).
 */
static void d_reset(struct worker *w)
{
	struct region *rs[] = { &R.D, &R.DG };
	bool have[] = { R.have_d, R.have_dg };

	for (unsigned int k = 0; k < 2; k++) {
		struct region *r = rs[k];
		unsigned int shift, fail = tl_fail_one_in;
		size_t size, mapped = 0, got;
		int ret;

		if (!have[k])
			continue;
		shift = r->ushift + __ffs(r->nr);
		size = (size_t)1 << shift;
		if (R.d_mapped) {
			got = R.ops->unmap_pages(R.ops, r->base, size, 1, NULL);
			if (got != size)
				report(C_BAD_UNMAP, "%s: unmap of the split block %#llx: %#zx",
				       R.rc->name, r->base, got);
		}
		tl_fail_one_in = 0;
		ret = R.ops->map_pages(R.ops, r->base, round_pa(r->base), size,
				       1, IOMMU_READ | IOMMU_WRITE, GFP_KERNEL,
				       &mapped);
		tl_fail_one_in = fail;
		if (ret || mapped != size) {
			report(C_BAD_MAP, "%s: map of the block %#llx: %d, %#zx mapped",
			       R.rc->name, r->base, ret, mapped);
			R.have_d = R.have_dg = false;
			return;
		}
		for (size_t i = 0; i < r->nr; i++) {
			r->u[i].shift = shift;
			r->u[i].prot = IOMMU_READ | IOMMU_WRITE;
		}
	}
	R.d_mapped = true;
}

/*
 * End of round: the leaf sizes D and DG must have now. A leaf-table
 * span with something unmapped or mapped again is pages; the rest of a
 * DG with anything split is blocks of that span.
 */
static void d_fixup(void)
{
	struct region *rs[] = { &R.D, &R.DG };

	for (unsigned int k = 0; k < 2; k++) {
		struct region *r = rs[k];
		unsigned int bshift = r->ushift + (r->nr ? __ffs(r->nr) : 0);
		size_t per = (size_t)1 << R.e_shift, i, j;
		bool any = false;

		if (!r->nr)
			continue;
		for (i = 0; i < r->nr; i++)
			any |= r->u[i].shift != bshift;
		if (!any)
			continue;
		for (i = 0; i < r->nr; i += per) {
			bool split = false;

			for (j = i; j < i + per; j++)
				split |= r->u[j].shift != bshift;
			for (j = i; j < i + per; j++)
				if (r->u[j].shift)
					r->u[j].shift = split ? R.gshift :
						R.gshift + R.e_shift;
		}
	}
}

/* -------- K: contiguous runs broken under each other -------- */

static size_t k_run(unsigned int k)
{
	return (size_t)1 << R.k_bits[k];
}

/* The owner of unit @u of K's shared run: a thread, or nthreads (stable) */
static unsigned int k_owner(size_t u)
{
	return u % (R.nthreads + 1);
}

/* A unit of ours in the shared run of K[@k], or -1 */
static long k_pick(struct worker *w, unsigned int k)
{
	size_t n = k_run(k), m = R.nthreads + 1;
	size_t u = rnd_below(&w->rng, n);

	u = u - u % m + w->id;
	if (u >= n)
		u -= m;
	return u < n ? (long)u : -1;
}

/*
 * Map units [@first, @first + @n) of K[@k]: a run with the hint (@hint;
 * the units are whole runs), or units without it.
 */
static void k_map(struct worker *w, unsigned int k, size_t first, size_t n,
		  bool hint)
{
	struct region *r = &R.K[k];
	unsigned int lshift = r->ushift + (hint ? R.k_bits[k] : 0);
	size_t i;

	do_map_gfp(w, r, first, n, lshift,
		   rnd_below(&w->rng, 2) ? GFP_KERNEL : GFP_ATOMIC);
	/* the leaves are entries of the level, hinted or not */
	for (i = first; i < first + n; i++) {
		r->u[i].cont = r->u[i].shift == lshift && hint;
		if (r->u[i].shift)
			r->u[i].shift = r->ushift;
	}
}

/*
 * Unmap units [@first, @first + @n) of K[@k] (all mapped or none),
 * with one call of run-sized pages (@as_run) or of units. Part of a
 * hinted run breaks it first: another thread's unmap of the shared run
 * may be breaking it now, or find it broken by this one. Exactly what
 * was mapped comes back, and then reads 0.
 */
static void k_unmap(struct worker *w, unsigned int k, size_t first, size_t n,
		    bool as_run)
{
	struct region *r = &R.K[k];
	size_t run = k_run(k), i, want, got;
	size_t pgsize = (size_t)1 << (r->ushift + (as_run ? R.k_bits[k] : 0));
	size_t pgcount = as_run ? n / run : n;
	u64 iova = region_iova(r, first);
	bool all = true, none = true, shared = first < run, holes;
	phys_addr_t pa;

	for (i = first; i < first + n; i++) {
		if (r->u[i].shift)
			none = false;
		else
			all = false;
	}
	if (!all && !none)
		return;
	want = all ? n << r->ushift : 0;
	if (shared && all) {
		count(C_K_UNMAPS, 1);
		count(C_K_HINTED, !__atomic_load_n(&R.k_broken[k], __ATOMIC_RELAXED));
		count(C_K_MET_FLUSH, in_others_flush(iova));
		/* ours and mapped: 0 only while another thread breaks it */
		count(C_K_MET_ZERO, !R.ops->iova_to_phys(R.ops, iova));
	}
	count(C_UNMAPS, 1);
	count(C_OPS, 1);
	got = R.ops->unmap_pages(R.ops, iova, pgsize, pgcount,
				 rnd_below(&w->rng, 2) ? &w->gather : NULL);
	if (got != want) {
		report(C_BAD_UNMAP, "%s: K%u: unmap %#llx +%zu x %#zx returned %#zx, expected %#zx",
		       R.rc->name, k, iova, pgcount, pgsize, got, want);
		resync(r, first, n, r->ushift, 0, &holes);
		for (i = first; i < first + n; i++)
			r->u[i].cont = 0;
		return;
	}
	for (i = first; i < first + n; i++)
		r->u[i] = (struct unit){ 0 };
	if (!want)
		return;
	/* the rest of the run is plain now */
	if (shared)
		__atomic_store_n(&R.k_broken[k], 1, __ATOMIC_RELAXED);
	else if (n < run)
		for (i = first & ~(run - 1); i < (first & ~(run - 1)) + run; i++)
			r->u[i].cont = 0;
	pa = R.ops->iova_to_phys(R.ops, iova);
	if (pa)
		report(C_BAD_UNMAP, "%s: K%u: %#llx still translates to %#llx after its unmap",
		       R.rc->name, k, iova, (unsigned long long)pa);
}

/*
 * After each of a thread's calls in K[@k]: its units of the shared run
 * and of its own run translate as its shadow says; a mapped unit of the
 * shared run may read 0 while another thread breaks the run (counted).
 * Up to 32 units of the own run, at random when it is longer.
 */
static void k_check(struct worker *w, unsigned int k)
{
	struct region *r = &R.K[k];
	size_t run = k_run(k), own = (1 + w->id) * run, i, j;

	for (j = 0; j < run + min_t(size_t, run, 32); j++) {
		u64 iova;
		phys_addr_t pa, want;

		if (j < run) {
			i = j;
			if (k_owner(i) != w->id)
				continue;
		} else {
			i = own + (run <= 32 ? j - run : rnd_below(&w->rng, run));
		}
		iova = region_iova(r, i) +
		       (rnd_next(&w->rng) & ((1ULL << r->ushift) - 1) & ~7ULL);
		pa = R.ops->iova_to_phys(R.ops, iova);
		want = r->u[i].shift ? round_pa(iova) : 0;
		count(C_XLATES, 1);
		if (pa == want)
			continue;
		if (!pa && j < run) {
			count(C_K_WINDOW, 1);
			continue;
		}
		report(C_BAD_XLATE_OWN,
		       "%s: K%u: own %#llx (%s run) translates to %#llx, expected %#llx",
		       R.rc->name, k, iova, j < run ? "shared" : "own",
		       (unsigned long long)pa, (unsigned long long)want);
	}
}

/*
 * K[1]: a page out of a block of ours in the shared run of blocks: the
 * run is broken (or found broken), then the block split. The page then
 * reads 0 and another of the block its address; then the rest of the
 * block goes with a block-sized unmap, which takes the split table.
 */
static void k_split_unit(struct worker *w, size_t u)
{
	struct region *r = &R.K[1];
	size_t bsize = (size_t)1 << r->ushift, psize = (size_t)1 << R.gshift;
	size_t pages = bsize / psize, p = rnd_below(&w->rng, pages), got;
	u64 base = region_iova(r, u), iova = base + p * psize;
	u64 other = base + ((p + 1 + rnd_below(&w->rng, pages - 1)) % pages) * psize;
	unsigned long failed = tl_failed;
	phys_addr_t pa;

	count(C_K_UNMAPS, 1);
	count(C_K_HINTED, !__atomic_load_n(&R.k_broken[1], __ATOMIC_RELAXED));
	count(C_K_MET_FLUSH, in_others_flush(iova));
	count(C_K_MET_ZERO, !R.ops->iova_to_phys(R.ops, iova));
	count(C_K_SPLITS, 1);
	count(C_UNMAPS, 1);
	count(C_OPS, 1);
	got = R.ops->unmap_pages(R.ops, iova, psize, 1,
				 rnd_below(&w->rng, 2) ? &w->gather : NULL);
	/* the run is broken before the split needs its table */
	__atomic_store_n(&R.k_broken[1], 1, __ATOMIC_RELAXED);
	if (!got && tl_failed != failed) {
		/* no memory for the split: the block stays whole */
		count(C_ENOMEM, 1);
		pa = R.ops->iova_to_phys(R.ops, iova);
		if (pa != round_pa(iova))
			report(C_BAD_SPLIT,
			       "%s: K1: split of %#llx failed for memory, but the page translates to %#llx",
			       R.rc->name, iova, (unsigned long long)pa);
		return;
	}
	if (got != psize) {
		report(C_BAD_SPLIT, "%s: K1: unmap of page %#llx out of a block of a run: %#zx",
		       R.rc->name, iova, got);
		if (!got)
			return;
	}
	pa = R.ops->iova_to_phys(R.ops, iova);
	if (pa)
		report(C_BAD_SPLIT, "%s: K1: page %#llx still translates to %#llx after its unmap",
		       R.rc->name, iova, (unsigned long long)pa);
	pa = R.ops->iova_to_phys(R.ops, other);
	count(C_XLATES, 1);
	if (pa != round_pa(other))
		report(C_BAD_XLATE_OWN,
		       "%s: K1: %#llx of a block split out of a run translates to %#llx, expected %#llx",
		       R.rc->name, other, (unsigned long long)pa,
		       (unsigned long long)round_pa(other));
	count(C_UNMAPS, 1);
	count(C_OPS, 1);
	got = R.ops->unmap_pages(R.ops, base, bsize, 1,
				 rnd_below(&w->rng, 2) ? &w->gather : NULL);
	if (got != bsize)
		report(C_BAD_UNMAP, "%s: K1: unmap of the split block %#llx: %#zx",
		       R.rc->name, base, got);
	r->u[u] = (struct unit){ 0 };
	pa = R.ops->iova_to_phys(R.ops, other);
	if (pa)
		report(C_BAD_UNMAP,
		       "%s: K1: %#llx still translates to %#llx after the block's unmap",
		       R.rc->name, other, (unsigned long long)pa);
}

/*
 * A unit of ours out of the shared run (breaking it, or while another
 * thread does; of blocks, in a third of the calls a page out of the
 * block, which splits it too), or back into it; or our own run next to it: mapped whole
 * with the hint (or without), unmapped whole (run-sized or unit-sized
 * pages), or a unit of it (breaking it alone).
 */
static void op_region_k(struct worker *w)
{
	unsigned int k = R.have_k[1] && rnd_below(&w->rng, 2);
	struct region *r = &R.K[k];
	size_t run = k_run(k), own = (1 + w->id) * run, i;
	bool any = false, all = true;
	long u;

	if (rnd_below(&w->rng, 2)) {
		u = k_pick(w, k);
		if (u >= 0 && r->u[u].shift && k && !rnd_below(&w->rng, 3))
			k_split_unit(w, u);
		else if (u >= 0 && r->u[u].shift)
			k_unmap(w, k, u, 1, false);
		else if (u >= 0)
			k_map(w, k, u, 1, false);
	} else {
		for (i = own; i < own + run; i++) {
			any |= !!r->u[i].shift;
			all &= !!r->u[i].shift;
		}
		i = own + rnd_below(&w->rng, run);
		if (!any)
			k_map(w, k, own, run, rnd_below(&w->rng, 4));
		else if (all && rnd_below(&w->rng, 2))
			k_unmap(w, k, own, run, rnd_below(&w->rng, 2));
		else if (r->u[i].shift)
			k_unmap(w, k, i, 1, false);
		else
			k_map(w, k, i, 1, false);
	}
	k_check(w, k);
}

/*
 * Thread 0, alone, at an epoch (and the main thread at the set-up): the
 * shared runs mapped whole with the hint again. k_gen is odd meanwhile,
 * for the reader.
 */
static void k_reset(void)
{
	unsigned int fail = tl_fail_one_in, k;

	__atomic_fetch_add(&R.k_gen, 1, __ATOMIC_RELEASE);
	tl_fail_one_in = 0;
	for (k = 0; k < 2; k++) {
		struct region *r = &R.K[k];
		size_t run = k_run(k), unit = (size_t)1 << r->ushift;
		size_t mapped = 0, got, i;
		bool holes;
		int ret;

		if (!R.have_k[k])
			continue;
		for (i = 0; i < run; i++) {
			if (!r->u[i].shift)
				continue;
			got = R.ops->unmap_pages(R.ops, region_iova(r, i), unit,
						 1, NULL);
			if (got != unit)
				report(C_BAD_UNMAP, "%s: K%u: reset: unmap %#llx: %#zx",
				       R.rc->name, k, region_iova(r, i), got);
		}
		ret = R.ops->map_pages(R.ops, r->base, round_pa(r->base),
				       unit << R.k_bits[k], 1,
				       IOMMU_READ | IOMMU_WRITE, GFP_KERNEL,
				       &mapped);
		for (i = 0; i < run; i++) {
			r->u[i].shift = r->ushift;
			r->u[i].prot = IOMMU_READ | IOMMU_WRITE;
			r->u[i].cont = 1;
		}
		if (ret || mapped != unit << R.k_bits[k]) {
			report(C_BAD_MAP, "%s: K%u: map of the run %#llx: %d, %#zx mapped",
			       R.rc->name, k, r->base, ret, mapped);
			resync(r, 0, run, r->ushift, IOMMU_READ | IOMMU_WRITE,
			       &holes);
		}
		__atomic_store_n(&R.k_broken[k], 0, __ATOMIC_RELAXED);
	}
	tl_fail_one_in = fail;
	__atomic_fetch_add(&R.k_gen, 1, __ATOMIC_RELEASE);
}

/* End of round: a shared run a unit of which went is plain. */
static void k_fixup(void)
{
	for (unsigned int k = 0; k < 2; k++)
		if (R.have_k[k] && R.k_broken[k])
			for (size_t i = 0; i < k_run(k); i++)
				R.K[k].u[i].cont = 0;
}

/*
 * The reader in K's shared runs: any unit right or 0; a stable unit 0
 * only while a break of the run is under way: it must come back (unless
 * thread 0 maps the run anew meanwhile), at the latest once the workers
 * are done. In the run of blocks only stable units: the table of a
 * block split out of it is freed by its owner's next unmap (reading
 * there would be a use after free in the kernel as well).
 */
static void k_read(struct worker *w)
{
	unsigned int k = R.have_k[1] && rnd_below(&w->rng, 2);
	struct region *r = &R.K[k];
	size_t u = rnd_below(&w->rng, k_run(k)), m = R.nthreads + 1;
	unsigned long gen;
	phys_addr_t want, pa;
	u64 iova;

	if (k) {
		u = u - u % m + R.nthreads;
		if (u >= k_run(k))
			u -= m;
	}
	iova = region_iova(r, u) +
	       (rnd_next(&w->rng) & ((1ULL << r->ushift) - 1) & ~7ULL);
	want = round_pa(iova);
	gen = __atomic_load_n(&R.k_gen, __ATOMIC_ACQUIRE);
	if (gen & 1)
		return;
	pa = R.ops->iova_to_phys(R.ops, iova);
	if (pa && pa != want) {
		report(C_BAD_XLATE_MOVING,
		       "%s: K%u: %#llx translates to %#llx, expected %#llx or 0",
		       R.rc->name, k, iova, (unsigned long long)pa,
		       (unsigned long long)want);
		return;
	}
	if (pa || k_owner(u) != R.nthreads)
		return;
	count(C_K_READER_WINDOW, 1);
	for (;;) {
		bool done = __atomic_load_n(&workers_done, __ATOMIC_ACQUIRE) ==
			    R.nthreads;

		if (__atomic_load_n(&R.k_gen, __ATOMIC_ACQUIRE) != gen)
			return;
		pa = R.ops->iova_to_phys(R.ops, iova);
		if (pa == want)
			return;
		if (pa || done) {
			report(C_BAD_XLATE_STABLE,
			       "%s: K%u: stable %#llx of a run translates to %#llx after the break, expected %#llx",
			       R.rc->name, k, iova, (unsigned long long)pa,
			       (unsigned long long)want);
			return;
		}
		sched_yield();
	}
}

/* -------- P: tables emptied and reclaimed under the neighbours -------- */

/*
 * The first unit of group @g of P: groups of two pages, P_SIDE / 2 ... at
 * each boundary between P's leaf tables, the middle one across it.
 */
static size_t p_group_first(unsigned int g)
{
	unsigned int b = 1 + g / P_SIDE, j = g % P_SIDE;

	return ((size_t)b << R.e_shift) - P_SIDE + 2 * j;
}

static bool p_group_crosses(unsigned int g)
{
	return g % P_SIDE == P_SIDE / 2;
}

/* A unit of P nobody maps: the middle of one of P's leaf tables. */
static size_t p_hole_unit(struct worker *w)
{
	size_t e = (size_t)1 << R.e_shift;

	return rnd_below(&w->rng, P_TABLES) * e + P_SIDE +
	       rnd_below(&w->rng, e - 2 * P_SIDE);
}

/* A hole of P's level-2 span: in P's leaf tables, or in one never used */
static u64 p_hole(struct worker *w)
{
	u64 nlt = (R.p_hi - R.p_lo) >> R.lt_shift;

	if (rnd_below(&w->rng, 2))
		return region_iova(&R.P, p_hole_unit(w));
	return R.p_lo +
	       ((P_TABLES + rnd_below(&w->rng, nlt - P_TABLES)) << R.lt_shift) +
	       (rnd_below(&w->rng, 1ULL << R.e_shift) << R.gshift);
}

static void p_check_hole(struct worker *w)
{
	u64 iova = p_hole(w);
	phys_addr_t pa = R.ops->iova_to_phys(R.ops, iova);

	count(C_XLATES, 1);
	if (pa)
		report(C_HOLE_XLATE, "%s: hole %#llx translates to %#llx",
		       R.rc->name, iova, (unsigned long long)pa);
}

/*
 * After each of a thread's calls in P: all its pages there translate as
 * its shadow says (none lost to a reclaim, none left behind), and a hole
 * to nothing.
 */
static void p_check(struct worker *w, const char *after)
{
	unsigned int g;

	for (g = 0; g < P_GROUPS; g++) {
		size_t u = p_group_first(g), k;

		if (R.p_owner[g] != w->id)
			continue;
		for (k = u; k < u + 2; k++) {
			u64 iova = region_iova(&R.P, k);
			phys_addr_t pa = R.ops->iova_to_phys(R.ops, iova);
			phys_addr_t want = R.P.u[k].shift ? round_pa(iova) : 0;

			count(C_XLATES, 1);
			if (pa != want)
				report(C_BAD_XLATE_OWN,
				       "%s: P: own %#llx translates to %#llx after %s, expected %#llx",
				       R.rc->name, iova, (unsigned long long)pa,
				       after, (unsigned long long)want);
		}
	}
	p_check_hole(w);
}

/* Map a group of ours (the pair in one call, or a page), @gfp at random */
static void p_map(struct worker *w, unsigned int g, bool pair)
{
	gfp_t gfp = rnd_below(&w->rng, 2) ? GFP_KERNEL : GFP_ATOMIC;
	size_t u = p_group_first(g), k;

	count(C_P_OPS, 1);
	count(C_P_SLOW, gfp == GFP_KERNEL);
	if (pair && !R.P.u[u].shift && !R.P.u[u + 1].shift) {
		count(C_P_CROSS, p_group_crosses(g));
		do_map_gfp(w, &R.P, u, 2, R.gshift, gfp);
		return;
	}
	k = rnd_below(&w->rng, 2);
	if (R.P.u[u + k].shift)
		k ^= 1;
	do_map_gfp(w, &R.P, u + k, 1, R.gshift, gfp);
}

static void p_unmap(struct worker *w, unsigned int g, bool pair)
{
	size_t u = p_group_first(g), k;

	count(C_P_OPS, 1);
	if (pair && R.P.u[u].shift && R.P.u[u + 1].shift) {
		count(C_P_CROSS, p_group_crosses(g));
		do_unmap_g(w, &R.P, u, 2, R.gshift, true);
		return;
	}
	k = rnd_below(&w->rng, 2);
	if (!R.P.u[u + k].shift)
		k ^= 1;
	do_unmap_g(w, &R.P, u + k, 1, R.gshift, true);
}

/*
 * A call on a group of ours in P, unmaps (always with the gather, so that
 * they mark and reclaim) more often than maps, so that the tables empty
 * often, while the neighbours map into them.
 */
static void op_region_p(struct worker *w)
{
	unsigned int g = 0, tries;
	bool any, all;
	size_t u;

	for (tries = 0; tries < 8; tries++) {
		g = rnd_below(&w->rng, P_GROUPS);
		if (R.p_owner[g] == w->id)
			break;
	}
	if (R.p_owner[g] != w->id)
		return;
	u = p_group_first(g);
	any = R.P.u[u].shift || R.P.u[u + 1].shift;
	all = R.P.u[u].shift && R.P.u[u + 1].shift;
	if (any && rnd_below(&w->rng, 8) < 7) {
		p_unmap(w, g, rnd_below(&w->rng, 2));
		p_check(w, "an unmap");
	} else if (!all && rnd_below(&w->rng, 2)) {
		p_map(w, g, rnd_below(&w->rng, 2));
		p_check(w, "a map");
	} else {
		p_check(w, "nothing");
	}
}

/* Every page of ours in P unmapped, one call each */
static void p_clear(struct worker *w)
{
	unsigned int g;

	for (g = 0; g < P_GROUPS; g++) {
		size_t u = p_group_first(g);

		if (R.p_owner[g] != w->id)
			continue;
		if (R.P.u[u].shift)
			do_unmap_g(w, &R.P, u, 1, R.gshift, true);
		if (R.P.u[u + 1].shift)
			do_unmap_g(w, &R.P, u + 1, 1, R.gshift, true);
	}
}

/* The reader in P: used pages read right or 0, holes 0 */
static void p_read(struct worker *w)
{
	u64 iova;
	phys_addr_t pa;

	if (rnd_below(&w->rng, 2)) {
		p_check_hole(w);
		return;
	}
	iova = region_iova(&R.P, p_group_first(rnd_below(&w->rng, P_GROUPS)) +
			   rnd_below(&w->rng, 2));
	pa = R.ops->iova_to_phys(R.ops, iova);
	if (pa && pa != round_pa(iova))
		report(C_BAD_XLATE_MOVING,
		       "%s: P: %#llx (being changed) translates to %#llx, expected %#llx or 0",
		       R.rc->name, iova, (unsigned long long)pa,
		       (unsigned long long)round_pa(iova));
}

static void op_xlate(struct worker *w)
{
	struct region *r;
	size_t i;

	switch (rnd_below(&w->rng, 3)) {
	case 0: {
		unsigned int k = rnd_below(&w->rng, R.nr_groups);
		size_t first, n;

		if (R.a_owner[k] != w->id)
			return;
		a_group(k, &first, &n);
		do_xlate_own(w, &R.A, first + rnd_below(&w->rng, n));
		return;
	}
	case 1:
		r = &R.B[w->id];
		break;
	default:
		r = R.have_c ? &R.C[w->id] : &R.B[w->id];
		break;
	}
	i = rnd_below(&w->rng, r->nr);
	do_xlate_own(w, r, i);
}

/*
 * Unmap every page of A's second table that is ours, and the straddling
 * pair's first group, so that the pair can be mapped again.
 */
static void a_clear_second(struct worker *w)
{
	size_t i;

	for (i = (size_t)R.straddle * R.group; i < R.A.nr; i++) {
		unsigned int s;

		if (R.a_owner[i / R.group] != w->id)
			continue;
		s = R.A.u[i].shift;
		if (!s)
			continue;
		if (s > R.A.ushift)	/* a v7s large page: its first page */
			do_unmap(w, &R.A, i & ~(pages_of(R.A.ushift, s) - 1),
				 pages_of(R.A.ushift, s), s);
		else
			do_unmap(w, &R.A, i, 1, s);
		if (R.A.u[i].shift)
			report(C_BAD_UNMAP, "%s: cannot empty %#llx",
			       R.rc->name, region_iova(&R.A, i));
	}
}

/*
 * A new epoch: everybody empties its part of A's second table, thread 0
 * removes the table (a block mapped over it takes the empty table out,
 * then goes), and all race into it again: the straddler across the
 * boundary, in one call, the others with a group each.
 */
static void a_new_epoch(struct worker *w)
{
	size_t e = R.A.nr / 2;
	unsigned int k;

	a_clear_second(w);
	if (R.have_p)
		p_clear(w);
	pthread_barrier_wait(&bar_epoch);
	if (w->id == 0) {
		do_map(w, &R.A, e, e, R.lt_shift);
		do_unmap(w, &R.A, e, e, R.lt_shift);
		if (R.have_d)
			d_reset(w);
		if (R.have_k[0])
			k_reset();
		/*
		 * P is empty: in half of the epochs its tables go now (an
		 * unmap of a hole moves the reclaim on), in the others the
		 * threads below race into them marked, and with the
		 * unmappers' reclaim.
		 */
		if (R.have_p && rnd_below(&w->rng, 2))
			do_unmap_g(w, &R.P, p_hole_unit(w), 1, R.gshift, true);
		__atomic_store_n(&go_at, now_ns() + 30000, __ATOMIC_RELEASE);
	}
	pthread_barrier_wait(&bar_epoch);
	/*
	 * The straddler starts up to 4 us late, so that over the epochs the
	 * check of its range meets the others' installs of the table at
	 * every offset.
	 */
	wait_for_go(R.a_owner[R.straddle] == w->id ?
		    rnd_below(&w->rng, 4000) : 0);
	/*
	 * Everybody splits the same block at once for a page of its own
	 * (every other epoch; in the others the neighbours' maps below race
	 * with the splits of op_region_d())
	 */
	if (R.have_d && rnd_below(&w->rng, 2)) {
		long u = d_pick(w, 0, R.D.nr);

		if (u >= 0)
			d_unmap_page(w, &R.D, u);
		if (R.have_dg && (u = d_pick(w, 0, 2ULL << R.e_shift)) >= 0)
			d_unmap_page(w, &R.DG, u);
	}
	/*
	 * Everybody unmaps a unit of its own out of the same hinted run at
	 * once (in 3 of 4 epochs): one breaks it, the others wait or find
	 * it broken
	 */
	for (k = 0; k < 2; k++) {
		long u;

		if (!R.have_k[k] || !rnd_below(&w->rng, 4))
			continue;
		u = k_pick(w, k);
		if (u < 0 || !R.K[k].u[u].shift)
			continue;
		k_unmap(w, k, u, 1, false);
		k_check(w, k);
	}
	/* a group of ours in P, into the tables left or installed anew */
	if (R.have_p) {
		unsigned int g = rnd_below(&w->rng, P_GROUPS);

		for (k = 0; k < P_GROUPS; k++, g = (g + 1) % P_GROUPS)
			if (R.p_owner[g] == w->id)
				break;
		if (R.p_owner[g] == w->id) {
			p_map(w, g, rnd_below(&w->rng, 2));
			p_check(w, "the epoch's map");
		}
	}
	if (R.a_owner[R.straddle] == w->id) {
		do_map(w, &R.A, (size_t)R.straddle * R.group, 2 * R.group,
		       R.gshift);
		return;
	}
	for (k = R.straddle + 2; k < R.nr_groups; k++) {
		if (R.a_owner[k] == w->id) {
			k += R.nthreads * rnd_below(&w->rng,
						    (R.nr_groups - k) / R.nthreads);
			do_map(w, &R.A, (size_t)k * R.group,
			       rnd_below(&w->rng, 2) ? R.group : 1, R.gshift);
			return;
		}
	}
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;

	for (;;) {
		unsigned long op;

		pthread_barrier_wait(&bar_start);
		if (all_done)
			break;
		/* round_setup() writes the workers' ids before the barrier */
		tl_id = w->id;
		tl_rng = w->rng ^ 0xa5a5a5a5a5a5a5a5ULL;
		tl_fail_one_in = R.fail ? 2 + rnd_below(&w->rng, 14) : 0;
		iommu_iotlb_gather_init(&w->gather);
		/*
		 * Everybody starts at once into tables that do not exist yet,
		 * with a request over several of them (the 2.2 pattern).
		 */
		if (rnd_below(&w->rng, 2))
			do_map(w, &R.B[w->id], 0, R.B[w->id].nr, R.gshift);
		else
			do_map(w, &R.B[w->id], rnd_below(&w->rng, R.B[w->id].nr / 2),
			       R.B[w->id].nr / 2, R.gshift);
		for (op = 0; op < R.ops_per_thread; op++) {
			unsigned int what = rnd_below(&w->rng, 16);

			if (op && !(op % epoch_ops))
				a_new_epoch(w);

			if (R.have_p && rnd_below(&w->rng, 2))
				op_region_p(w);
			else if (R.have_k[0] && !rnd_below(&w->rng, 3))
				op_region_k(w);
			else if (what < 6)
				op_region_a(w);
			else if (what < 9)
				op_region_b(w);
			else if (what < 11 && R.have_d)
				op_region_d(w);
			else if (what < 14 && R.have_c)
				op_region_c(w);
			else
				op_xlate(w);
		}
		tl_fail_one_in = 0;
		__atomic_fetch_add(&workers_done, 1, __ATOMIC_RELEASE);
		pthread_barrier_wait(&bar_end);
	}
	return NULL;
}

/* The reader: stable pages must translate, changing ones right or not at all. */
static void *reader_main(void *arg)
{
	struct worker *w = arg;

	for (;;) {
		unsigned long n = 0, ops_at_start;

		pthread_barrier_wait(&bar_start);
		ops_at_start = __atomic_load_n(&counters[C_OPS], __ATOMIC_RELAXED);
		if (all_done)
			break;
		while (__atomic_load_n(&workers_done, __ATOMIC_ACQUIRE) <
		       R.nthreads || n < 64) {
			bool pread = R.have_p && !rnd_below(&w->rng, 3);
			bool kread = !pread && R.have_k[0] && !rnd_below(&w->rng, 3);
			bool stable = !pread && !kread && R.warm &&
				      rnd_below(&w->rng, 2);
			struct region *r = stable ? &R.S : &R.A;
			/* A's second table is removed now and then: not there */
			size_t i = rnd_below(&w->rng, stable ? r->nr : r->nr / 2);
			u64 iova = region_iova(r, i) + 8 * rnd_below(&w->rng, 64);
			phys_addr_t pa, want = round_pa(iova);

			if (stable && !r->u[i].shift)
				continue;
			n++;
			count(C_READER, 1);
			/* beside the workers, not instead of them */
			if (!(n & 63)) {
				struct timespec ts = { 0, 20000 };

				unsigned long ops = __atomic_load_n(&counters[C_OPS],
								    __ATOMIC_RELAXED);

				if (n > 8 * (ops - ops_at_start + 64))
					nanosleep(&ts, NULL);
				else
					sched_yield();
			}
			if (pread) {
				p_read(w);
				continue;
			}
			if (kread) {
				k_read(w);
				continue;
			}
			pa = R.ops->iova_to_phys(R.ops, iova);
			if (stable && pa != want)
				report(C_BAD_XLATE_STABLE,
				       "%s: stable %#llx translates to %#llx, expected %#llx",
				       R.rc->name, iova, (unsigned long long)pa, (unsigned long long)want);
			else if (!stable && pa && pa != want)
				report(C_BAD_XLATE_MOVING,
				       "%s: %#llx (being changed) translates to %#llx, expected %#llx or 0",
				       R.rc->name, iova, (unsigned long long)pa, (unsigned long long)want);
			/* what a non-coherent walker would fetch, too */
			if (stable && !R.coherent && !(n & 7)) {
				unsigned int shift;
				bool write, cont;

				if (!ref_walk(iova, true, &pa, &shift, &write, &cont) ||
				    pa != want)
					report(C_BAD_XLATE_STABLE,
					       "%s: the walker does not see stable %#llx",
					       R.rc->name, iova);
			}
		}
		pthread_barrier_wait(&bar_end);
	}
	return NULL;
}

/* -------- set-up and checks of a round -------- */

static bool round_setup(const struct rconf *rc, bool coherent, bool custom,
			bool warm, bool fail, u64 seed, unsigned int nthreads,
			unsigned long ops)
{
	u64 rng = seed ^ 0x1234567ULL, span, window;
	unsigned int t, lshift;
	size_t i;

	memset(&R, 0, sizeof(R));
	R.rc = rc;
	R.coherent = coherent;
	R.custom = custom;
	R.warm = warm;
	R.fail = fail && custom;
	R.seed = seed;
	R.nthreads = nthreads;
	R.ops_per_thread = ops;

	R.shim_base = shim_live_allocs();
	R.dma_base = shim_dma_live_mappings();
	R.cfg.pgsize_bitmap = rc->pgsizes;
	R.cfg.quirks = rc->quirks;
	R.cfg.ias = rc->ias;
	R.cfg.oas = rc->oas;
	R.cfg.coherent_walk = coherent;
	R.cfg.tlb = &race_tlb;
	if (!coherent) {
		R.dev = shim_device_create("race-walker");
		R.cfg.iommu_dev = R.dev;
	}
	R.actx.low = rc->kind == K_V7S;
	if (custom) {
		R.cfg.alloc = race_alloc;
		R.cfg.free = race_free;
	}
	R.ops = alloc_io_pgtable_ops(rc->fmt, &R.cfg, &R.actx);
	if (!R.ops) {
		printf("# %s: alloc_io_pgtable_ops() refused the configuration\n",
		       rc->name);
		return false;
	}

	if (rc->kind == K_V7S) {
		R.gshift = 12;
		R.lt_shift = 20;
		R.l2_shift = 24;
		R.e_shift = 8;
		R.group = 16;
		R.have_c = true;
		R.big_shift = 24;	/* a supersection over C */
		/* A, B, S in the first 32M; C: 16M per thread after them */
		span = (2ULL << 24) + ((u64)nthreads << 24);
		R.base = rnd_below(&rng, (1ULL << 32) / span) * span;
		R.pa_base = rnd_below(&rng, ((1ULL << 32) - span) >> 24) << 24;
		R.vref.pgd = v7s_ref_ttbr_base(R.cfg.arm_v7s_cfg.ttbr, rc->ias,
					       false);
		R.vref.ias = rc->ias;
		R.vref.read = NULL;
	} else {
		int start;

		R.gshift = __ffs(R.cfg.pgsize_bitmap);
		R.e_shift = R.gshift - 3;
		R.lt_shift = level_shift(R.gshift, 2);
		R.l2_shift = level_shift(R.gshift, 1);
		R.group = 4;
		start = rc->kind == K_MALI ? 0 :
			arm_lpae_ref_min_start_level(R.gshift, rc->ias);
		if (rc->kind == K_S2 && start == 0 &&
		    rc->ias - level_shift(R.gshift, 0) <= 4)
			start = 1;
		/* C needs nthreads + 1 entries of the level-1 table */
		R.have_c = start <= 1 &&
			   rc->ias - R.l2_shift >= order_base_2(nthreads + 1) + 1;
		R.big_shift = R.gshift == 12 ? 30 : 0;
		R.lref.stage = rc->kind == K_S1 ? ARM_LPAE_REF_S1 :
			       rc->kind == K_S2 ? ARM_LPAE_REF_S2 :
			       ARM_LPAE_REF_MALI;
		R.lref.granule_shift = R.gshift;
		R.lref.ias = rc->ias;
		R.lref.start_level = start;
		R.lref.lpa52 = rc->oas > 48;
		if (rc->kind == K_S1) {
			R.lref.pgd = R.cfg.arm_lpae_s1_cfg.ttbr;
			R.lref.mair = R.cfg.arm_lpae_s1_cfg.mair;
		} else if (rc->kind == K_S2) {
			R.lref.pgd = R.cfg.arm_lpae_s2_cfg.vttbr;
		} else {
			R.lref.pgd = R.cfg.arm_mali_lpae_cfg.transtab & ~0x1fULL;
			R.lref.mair = R.cfg.arm_mali_lpae_cfg.memattr;
		}
		/* A, B, S in the first L2 table; C in the next ones */
		window = 1ULL << (R.have_c ? R.l2_shift : R.lt_shift + 5);
		/* D at leaf-table span 20; DG after the C tables */
		R.have_d = true;
		R.have_dg = R.have_c && R.big_shift &&
			    rc->ias - R.l2_shift >= order_base_2(nthreads + 2) + 1;
		/* P: a level-2 table of its own, after the C tables and DG */
		R.have_p = (rc->quirks & IO_PGTABLE_QUIRK_ARM_RECLAIM) &&
			   R.have_c &&
			   rc->ias - R.l2_shift >= order_base_2(nthreads + 3) + 1;
		/*
		 * K: the shared run and one run per thread, of pages in leaf
		 * table 21 and of blocks in a level-2 table of its own
		 */
		R.have_k[0] = rc->quirks & IO_PGTABLE_QUIRK_ARM_CONTIG;
		R.k_bits[0] = R.gshift == 14 ? 7 : R.gshift == 16 ? 5 : 4;
		R.k_bits[1] = R.gshift == 12 ? 4 : 5;
		R.have_k[1] = R.have_k[0] && R.have_c &&
			      rc->ias - R.l2_shift >=
			      order_base_2(nthreads + 2 + R.have_dg + R.have_p) + 1;
		span = R.have_c ? window * (nthreads + 1 + R.have_dg + R.have_p +
					    R.have_k[1]) :
			window;
		span = roundup_pow_of_two(span);
		R.base = rnd_below(&rng, (1ULL << rc->ias) / span) * span;
		lshift = R.have_c ? R.l2_shift : R.lt_shift;
		R.pa_base = rnd_below(&rng, ((1ULL << rc->oas) - span) >> lshift)
			    << lshift;
	}

	/* A: 2 leaf tables; B: one each; S: one; C: one table of blocks each */
	lshift = R.lt_shift;
	region_init(&R.A, R.base, R.gshift, 2ULL << R.e_shift);
	for (t = 0; t < nthreads; t++)
		region_init(&R.B[t], R.base + ((u64)(2 + 2 * t) << lshift),
			    R.gshift, 2ULL << R.e_shift);
	region_init(&R.S, R.base + ((u64)(2 + 2 * MAX_THREADS) << lshift),
		    R.gshift, 1ULL << R.e_shift);
	if (R.have_d)
		region_init(&R.D, R.base + (20ULL << lshift), R.gshift,
			    1ULL << R.e_shift);
	if (R.have_dg)
		region_init(&R.DG, R.base + ((u64)(nthreads + 1) << R.l2_shift),
			    R.gshift, 1ULL << (R.big_shift - R.gshift));
	if (R.have_p) {
		R.p_lo = R.base + ((u64)(nthreads + 1 + R.have_dg) << R.l2_shift);
		R.p_hi = R.p_lo + (1ULL << R.l2_shift);
		region_init(&R.P, R.p_lo, R.gshift,
			    (size_t)P_TABLES << R.e_shift);
		for (i = 0; i < P_GROUPS; i++)
			R.p_owner[i] = (i + seed) % nthreads;
	}
	if (R.have_k[0])
		region_init(&R.K[0], R.base + (21ULL << lshift), R.gshift,
			    (size_t)(nthreads + 1) << R.k_bits[0]);
	if (R.have_k[1])
		region_init(&R.K[1], R.base + ((u64)(nthreads + 1 + R.have_dg +
						     R.have_p) << R.l2_shift),
			    R.lt_shift, (size_t)(nthreads + 1) << R.k_bits[1]);
	if (R.have_c) {
		for (t = 0; t < nthreads; t++) {
			if (rc->kind == K_V7S)
				region_init(&R.C[t], R.base + ((u64)(2 + t) << 24),
					    20, 16);
			else
				region_init(&R.C[t],
					    R.base + ((u64)(1 + t) << R.l2_shift),
					    R.lt_shift, 1ULL << R.e_shift);
		}
	}

	/* A's groups, round-robin; the pair across the boundary is one thread's */
	R.nr_groups = R.A.nr / R.group;
	R.a_owner = calloc(R.nr_groups, 1);
	R.straddle = R.nr_groups / 2 - 1;
	for (i = 0; i < R.nr_groups; i++)
		R.a_owner[i] = (i - (i > R.straddle) + seed) % nthreads;

	/* S: every third page, before anyone starts */
	if (warm) {
		for (i = 0; i < R.S.nr; i += 3) {
			u64 iova = region_iova(&R.S, i);
			size_t mapped = 0;

			if (R.ops->map_pages(R.ops, iova, round_pa(iova),
					     1UL << R.gshift, 1, IOMMU_READ,
					     GFP_KERNEL, &mapped)) {
				printf("# %s: set-up map failed\n", rc->name);
				return false;
			}
			R.S.u[i].shift = R.gshift;
			R.S.u[i].prot = IOMMU_READ;
		}
	}

	if (R.have_k[0])
		k_reset();

	for (t = 0; t <= nthreads; t++) {
		workers[t].id = t;
		workers[t].rng = seed * 0x9e3779b97f4a7c15ULL + t * 7919 + 1;
	}
	return true;
}

struct leaf_count {
	unsigned long leaves, tables;
};

static int count_table(void *arg, int level, phys_addr_t pa, size_t size,
		       u64 iova)
{
	((struct leaf_count *)arg)->tables++;
	return 0;
}

static int count_leaf(void *arg, u64 iova, const struct arm_lpae_ref_leaf *l)
{
	((struct leaf_count *)arg)->leaves++;
	if (l->malformed)
		report(C_STRAY_LEAF, "%s: malformed descriptor %#llx at %#llx",
		       R.rc->name, l->pte, iova);
	return 0;
}

/* Every shadow against the tables; returns the leaves the shadows expect. */
static unsigned long check_region(struct region *r, bool device)
{
	unsigned long leaves = 0;
	size_t i, step;

	for (i = 0; i < r->nr; i += step) {
		u64 iova = region_iova(r, i);
		unsigned int want = r->u[i].shift, shift = 0;
		phys_addr_t pa = 0;
		bool write = false, cont = false, ok;

		/*
		 * Only what is mapped is walked; a leaf where the shadow has
		 * none shows in the count of leaves instead.
		 */
		if (!want) {
			step = 1;
			continue;
		}
		step = pages_of(r->ushift, want);
		ok = ref_walk(iova, device, &pa, &shift, &write, &cont);
		if (want && ok && pa == round_pa(iova) && shift == want &&
		    write == !!(r->u[i].prot & IOMMU_WRITE) &&
		    cont == !!r->u[i].cont) {
			leaves++;
			continue;
		}
		report(C_BAD_SHADOW,
		       "%s%s: %#llx: shadow: leaf 2^%u%s at %#llx, prot %#x; %s walker finds %s (%#llx, leaf 2^%u%s, %s)",
		       R.rc->name, R.coherent ? "" : "/nc", iova, want,
		       r->u[i].cont ? " hinted" : "",
		       (unsigned long long)round_pa(iova), r->u[i].prot,
		       device ? "device" : "CPU", ok ? "a leaf" : "nothing", (unsigned long long)pa,
		       shift, cont ? " hinted" : "", write ? "writable" : "read-only");
	}
	return leaves;
}

static int count_p_table(void *arg, int level, phys_addr_t pa, size_t size,
			 u64 iova)
{
	if (level > R.lref.start_level && iova >= R.p_lo && iova < R.p_hi)
		(*(unsigned long *)arg)++;
	return 0;
}

/*
 * End of a round, P: the shadows against the tables, then every page
 * unmapped, one call each with a gather, after one more page in each of
 * P's leaf tables (so that each is emptied by a page unmap of this
 * drain, whatever the round left): with nobody else inside a map or an
 * unmap, every grace period is over at once and each call takes its
 * table, and the last one the level-2 table: nothing of P may stay.
 */
static void p_drain(void)
{
	struct worker m = { .id = MAX_THREADS, .rng = R.seed ^ 0xd7a1 };
	struct arm_lpae_ref_visitor v = { .table = count_p_table };
	size_t e = (size_t)1 << R.e_shift, u;
	unsigned long left = 0, before;
	unsigned int t, pass;

	if (!R.have_p)
		return;
	for (pass = 0; pass < (R.coherent ? 1 : 2); pass++)
		check_region(&R.P, pass == 1);
	iommu_iotlb_gather_init(&m.gather);
	/* the slots the round left, first */
	do_unmap_g(&m, &R.P, p_hole_unit(&m), 1, R.gshift, true);
	for (t = 0; t < P_TABLES; t++)
		do_map(&m, &R.P, t * e + P_SIDE, 1, R.gshift);
	before = counters[C_RECLAIM_END];
	for (u = 0; u < R.P.nr; u++)
		if (R.P.u[u].shift)
			do_unmap_g(&m, &R.P, u, 1, R.gshift, true);
	v.arg = &left;
	arm_lpae_ref_for_each(&R.lref, &v);
	if (left)
		report(C_NOT_RECLAIMED, "%s: %lu table(s) of P left after every page of it went",
		       R.rc->name, left);
	if (counters[C_RECLAIM_END] - before < P_TABLES + 1)
		report(C_NOT_RECLAIMED, "%s: the drain of P detached %lu tables, not %u",
		       R.rc->name, counters[C_RECLAIM_END] - before,
		       P_TABLES + 1);
}

static void round_check(void)
{
	unsigned long want = 0, live;
	struct leaf_count lc = { 0 };
	unsigned int t, pass;

	for (pass = 0; pass < (R.coherent ? 1 : 2); pass++) {
		bool device = pass == 1;

		want = check_region(&R.A, device) + check_region(&R.S, device) +
		       check_region(&R.D, device) + check_region(&R.DG, device) +
		       check_region(&R.P, device) +
		       check_region(&R.K[0], device) +
		       check_region(&R.K[1], device);
		for (t = 0; t < R.nthreads; t++) {
			want += check_region(&R.B[t], device);
			if (R.have_c)
				want += check_region(&R.C[t], device);
		}
	}

	/* every leaf is somebody's; every table allocated is reachable */
	if (R.rc->kind == K_V7S) {
		struct v7s_ref_stats st;

		if (v7s_ref_check_tables(&R.vref, &st))
			report(C_STRAY_LEAF, "%s: %u malformed descriptor(s)",
			       R.rc->name, st.bad);
		lc.leaves = st.leaves;
		lc.tables = st.l2_tables + 1;
	} else {
		struct arm_lpae_ref_visitor v = {
			.table = count_table, .leaf = count_leaf, .arg = &lc,
		};

		arm_lpae_ref_for_each(&R.lref, &v);
	}
	if (lc.leaves != want)
		report(C_STRAY_LEAF, "%s: %lu leaves in the tables, the shadows hold %lu",
		       R.rc->name, lc.leaves, want);

	if (R.custom)
		live = __atomic_load_n(&R.actx.live, __ATOMIC_RELAXED);
	else
		live = shim_live_allocs() - R.shim_base - 1;	/* - struct */
	if (live != lc.tables)
		report(C_TABLE_LEAK, "%s%s: %lu tables live, %lu reachable",
		       R.rc->name, R.coherent ? "" : "/nc", live, lc.tables);
	if (!R.coherent && shim_dma_live_mappings() - R.dma_base != lc.tables)
		report(C_TABLE_LEAK, "%s/nc: %zu tables DMA-mapped, %lu reachable",
		       R.rc->name, shim_dma_live_mappings() - R.dma_base,
		       lc.tables);
	if (!R.coherent &&
	    !(R.rc->kind == K_V7S ? shim_dma_coherent_check() :
	      shim_dma_coherent_check_mask(0)))
		report(C_DMA_INCOHERENT, "%s/nc: a table write the walker cannot see",
		       R.rc->name);
}

static void round_teardown(void)
{
	unsigned int t;

	free_io_pgtable_ops(R.ops);
	if (R.custom && (R.actx.live || R.actx.allocs != R.actx.frees))
		report(C_ALLOC_LEAK, "%s: %ld tables left after free (%lu allocated, %lu freed)",
		       R.rc->name, R.actx.live, R.actx.allocs, R.actx.frees);
	if (shim_live_allocs() > R.shim_base) {
		report(C_ALLOC_LEAK, "%s: %zu allocations left after free",
		       R.rc->name, shim_live_allocs() - R.shim_base);
	}
	if (shim_dma_live_mappings() != R.dma_base)
		report(C_ALLOC_LEAK, "%s: %zu DMA mappings left after free",
		       R.rc->name, shim_dma_live_mappings() - R.dma_base);
	if (R.dev)
		shim_device_destroy(R.dev);
	region_fini(&R.A);
	region_fini(&R.S);
	region_fini(&R.D);
	region_fini(&R.DG);
	region_fini(&R.P);
	region_fini(&R.K[0]);
	region_fini(&R.K[1]);
	for (t = 0; t < MAX_THREADS; t++) {
		region_fini(&R.B[t]);
		region_fini(&R.C[t]);
	}
	free(R.a_owner);
}

/* -------- main -------- */

static void print_usage(const char *prog)
{
	fprintf(stderr,
		"%s [-n OPS] [-s SEED] [-t THREADS] [-r OPS_PER_THREAD_PER_ROUND]\n"
		"\t[-e OPS_PER_EPOCH] [-f CONFIG_SUBSTRING] [-m MAX_REPORTS]\n"
		"Rounds over every configuration (coherent walker and not) until the\n"
		"threads have made OPS calls.\n", prog);
	exit(2);
}

int main(int argc, char **argv)
{
	unsigned long target = 200000, per_round = 400, fails_before;
	unsigned int nthreads = 4, t, c, i;
	const char *filter = NULL;
	u64 seed = 1, rng;
	struct timespec t0, t1;
	bool failed = false;
	int opt;

	while ((opt = getopt(argc, argv, "n:s:t:r:f:m:e:")) != -1) {
		switch (opt) {
		case 'n':
			target = strtoul(optarg, NULL, 0);
			break;
		case 's':
			seed = strtoull(optarg, NULL, 0);
			break;
		case 't':
			nthreads = strtoul(optarg, NULL, 0);
			break;
		case 'r':
			per_round = strtoul(optarg, NULL, 0);
			break;
		case 'f':
			filter = optarg;
			break;
		case 'm':
			max_reports = strtoul(optarg, NULL, 0);
			break;
		case 'e':
			epoch_ops = strtoul(optarg, NULL, 0) ?: 1;
			break;
		default:
			print_usage(argv[0]);
		}
	}
	if (!nthreads || nthreads > MAX_THREADS)
		print_usage(argv[0]);
	setvbuf(stdout, NULL, _IOLBF, 0);
	shim_warn_quiet(true);

	pthread_barrier_init(&bar_start, NULL, nthreads + 2);
	pthread_barrier_init(&bar_end, NULL, nthreads + 2);
	pthread_barrier_init(&bar_epoch, NULL, nthreads);
	for (t = 0; t < nthreads; t++)
		pthread_create(&workers[t].thread, NULL, worker_main, &workers[t]);
	pthread_create(&workers[nthreads].thread, NULL, reader_main,
		       &workers[nthreads]);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	rng = seed;
	for (i = 0; __atomic_load_n(&counters[C_OPS], __ATOMIC_RELAXED) < target; i++) {
		unsigned int ci = i % (NR_CONFS * 2);
		const struct rconf *rc = &confs[ci / 2];
		bool coherent = !(ci & 1);
		u64 rseed = rnd_next(&rng);
		unsigned long before = 0, reclaims, reclaims_before;

		if (filter && !strstr(rc->name, filter)) {
			if (i > 4 * NR_CONFS && !counters[C_ROUNDS])
				break;
			continue;
		}
		for (c = 0; c < NR_COUNTERS; c++)
			if (counter_is_failure(c))
				before += counters[c];
		fails_before = shim_fail_count();
		reclaims_before = counters[C_RECLAIM_LT] + counters[C_RECLAIM_L2];
		if (!round_setup(rc, coherent, rseed & 1, rseed & 2, rseed & 4,
				 rseed, nthreads, per_round)) {
			report(C_BAD_MAP, "%s: set-up failed", rc->name);
			conf_fail[ci]++;
			round_teardown();
			continue;
		}
		__atomic_store_n(&workers_done, 0, __ATOMIC_RELAXED);
		pthread_barrier_wait(&bar_start);
		/* the workers run, the reader until they are done */
		pthread_barrier_wait(&bar_end);
		d_fixup();
		k_fixup();
		reclaims = counters[C_RECLAIM_LT] + counters[C_RECLAIM_L2];
		p_drain();
		round_check();
		round_teardown();
		if (shim_fail_count() != fails_before)
			report(C_SHIM_FAIL, "%s: %lu shim failure(s) in the round",
			       rc->name, shim_fail_count() - fails_before);
		count(C_ROUNDS, 1);
		conf_reclaims[ci] += reclaims - reclaims_before;
		conf_rounds[ci]++;
		for (c = 0; c < NR_COUNTERS; c++)
			if (counter_is_failure(c))
				before -= counters[c];
		if (before)
			conf_fail[ci]++;
	}
	all_done = true;
	pthread_barrier_wait(&bar_start);
	for (t = 0; t <= nthreads; t++)
		pthread_join(workers[t].thread, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t1);

	/*
	 * A reclaim configuration whose threads never reclaimed a table
	 * of P while racing proves nothing: it fails.
	 */
	for (c = 0; c < NR_CONFS * 2; c++) {
		if (!(confs[c / 2].quirks & IO_PGTABLE_QUIRK_ARM_RECLAIM) ||
		    !conf_rounds[c])
			continue;
		printf("# %s%s: %lu P tables reclaimed while racing in %lu rounds\n",
		       confs[c / 2].name, c & 1 ? "/noncoherent" : "/coherent",
		       conf_reclaims[c], conf_rounds[c]);
		if (!conf_reclaims[c]) {
			report(C_NO_RECLAIM, "%s%s: no table reclaimed in %lu rounds",
			       confs[c / 2].name, c & 1 ? "/noncoherent" : "/coherent",
			       conf_rounds[c]);
			conf_fail[c]++;
		}
	}

	printf("# seed %llu, %u threads + 1 reader, %lu ops per thread per round, %.1f s\n",
	       (unsigned long long)seed, nthreads, per_round,
	       (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
	for (c = 0; c < NR_COUNTERS; c++)
		printf("# %-28s %lu\n", counter_names[c], counters[c]);
	if (counters[C_MAPS])
		printf("# false -EEXIST per million maps: %.2f; -ENOMEM as -EEXIST: %lu of %lu\n",
		       counters[C_FALSE_EEXIST] * 1e6 / counters[C_MAPS],
		       counters[C_ENOMEM_AS_EEXIST],
		       counters[C_ENOMEM] + counters[C_ENOMEM_AS_EEXIST]);

	/* one result per configuration and walker */
	{
		unsigned int passed = 0, nfailed = 0;

		for (c = 0; c < NR_CONFS * 2; c++) {
			if (filter && !strstr(confs[c / 2].name, filter))
				continue;
			printf("%s %s%s\n", conf_fail[c] ? "not ok" : "ok",
			       confs[c / 2].name, c & 1 ? "/noncoherent" : "/coherent");
			if (conf_fail[c])
				nfailed++;
			else
				passed++;
		}
		failed = nfailed;
		printf("%u passed, %u failed\n", passed, nfailed);
	}
	return failed ? 1 : 0;
}
