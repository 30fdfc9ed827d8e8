// SPDX-License-Identifier: GPL-2.0-only
/*
 * io-pgtable benchmark: our io-pgtable against Linux 6.12's own
 * drivers/iommu/io-pgtable-arm.c (and -v7s.c), both built into this one
 * binary against the same userspace shim.  See README.md.
 *
 * Ours is reached through alloc_io_pgtable_ops(); upstream's through its
 * (renamed) init_fns->alloc(), as 6.12's alloc_io_pgtable_ops() would.
 * Every timed workload runs for ours and upstream alternately, the figure
 * is the median over the repetitions, and a few translations are checked
 * after each run (through ->iova_to_phys() and through an independent walk
 * of the raw table memory), so that a broken implementation cannot look
 * fast: a wrong translation ends the run with exit status 2.
 */
#include <linux/io-pgtable.h>
#include <linux/iommu.h>
#include <linux/gfp.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/rcupdate.h>

#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "iommu-pages.h"
#include "shim.h"

/* the reference walker, for the TLB model of the contiguous hint */
#include "../../../../drivers/iommu/io-pgtable-arm-ref.h"

/* 6.12's formats, renamed on the compiler command line (see Makefile) */
#include "upstream.h"

#define NREPS		31	/* timed repetitions (after one warm-up) */

/* --verbose: print every repetition of the bulk rows */
static bool verbose;
#define PROT		(IOMMU_READ | IOMMU_WRITE | IOMMU_CACHE)

/* ------------------------------------------------------------------ */
/* the two implementations                                             */
/* ------------------------------------------------------------------ */

struct impl {
	const char *name;
	struct io_pgtable_ops *(*alloc)(enum io_pgtable_fmt fmt,
					struct io_pgtable_cfg *cfg, void *cookie);
	void (*free)(struct io_pgtable_ops *ops);
};


enum { OURS, UPSTREAM, NR_IMPLS, FLOOR = NR_IMPLS, FLOOR_CHECK };

static const struct impl impls[NR_IMPLS] = {
	[OURS] = { "ours", alloc_io_pgtable_ops, free_io_pgtable_ops },
	[UPSTREAM] = { "upstream", upstream_alloc, upstream_free },
};

/* ------------------------------------------------------------------ */
/* flush callbacks: count, nothing more                                */
/* ------------------------------------------------------------------ */

static unsigned long nr_flush_all, nr_flush_walk, nr_add_page;
/*
 * What the tlb_flush_walk calls would cost an SMMU that invalidates one
 * granule per command (arm-smmu's TLBIVA loop, arm-smmu-v3 without
 * range invalidation): size / granule each.
 */
static unsigned long nr_walk_cmds;

static void bench_tlb_flush_all(void *cookie)
{
	nr_flush_all++;
}

static void bench_tlb_flush_walk(unsigned long iova, size_t size,
				 size_t granule, void *cookie)
{
	nr_flush_walk++;
	nr_walk_cmds += granule ? size / granule : 0;
}

static void bench_tlb_add_page(struct iommu_iotlb_gather *gather,
			       unsigned long iova, size_t granule, void *cookie)
{
	nr_add_page++;
}

static const struct iommu_flush_ops bench_flush_ops = {
	.tlb_flush_all	= bench_tlb_flush_all,
	.tlb_flush_walk	= bench_tlb_flush_walk,
	.tlb_add_page	= bench_tlb_add_page,
};

static struct device *bench_dev;

/* ------------------------------------------------------------------ */
/* helpers                                                             */
/* ------------------------------------------------------------------ */

/*
 * The thread's CPU time: the machine is shared (kernel builds run beside
 * us), and time spent preempted must not count for whichever
 * implementation happened to be running.
 */
static inline u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (u64)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static inline u64 wall_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	double s[NREPS + 1];

	memcpy(s, v, n * sizeof(*v));
	qsort(s, n, sizeof(*s), cmp_double);
	return n & 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

static u64 rnd_state = 0x9e3779b97f4a7c15ull;

static inline u64 rnd(void)
{
	/* xorshift64*: cheap and reproducible */
	rnd_state ^= rnd_state >> 12;
	rnd_state ^= rnd_state << 25;
	rnd_state ^= rnd_state >> 27;
	return rnd_state * 0x2545f4914f6cdd1dull;
}

static __attribute__((noreturn)) void die(const char *what)
{
	fprintf(stderr, "bench: %s\n", what);
	exit(2);
}

/* The physical address the workloads map @iova to (keeps the offset). */
static inline phys_addr_t pa_of(u64 iova)
{
	return 0x8000000000ull + (iova & 0x3fffffffffull);
}

/* v7s: 32-bit output addresses */
static inline phys_addr_t pa32_of(u64 iova)
{
	return iova - 0x30000000ull;	/* v7s IOVAs are in [1 GiB, 3 GiB) */
}

/* ------------------------------------------------------------------ */
/* independent walkers of raw table memory (phys == virt in the shim)  */
/* ------------------------------------------------------------------ */

#define LPAE_ADDR_MASK	0x0000fffffffff000ull

/* VMSAv8-64, 4K granule, stage 1: returns the output address or ~0. */
static u64 raw_lpae4k_walk(u64 ttbr, unsigned int ias, u64 iova)
{
	unsigned int levels = (ias - 12 + 8) / 9, lvl = 4 - levels;
	const u64 *table = (const u64 *)(uintptr_t)(ttbr & 0x0000ffffffffffc0ull);

	for (;; lvl++) {
		unsigned int shift = 12 + 9 * (3 - lvl);
		unsigned int bits = min(9u, ias - shift);
		u64 pte = table[(iova >> shift) & ((1ull << bits) - 1)];
		u64 blk = 1ull << shift;

		if (!(pte & 1))
			return ~0ull;
		if (lvl < 3 && (pte & 2)) {
			table = (const u64 *)(uintptr_t)(pte & LPAE_ADDR_MASK);
			continue;
		}
		if (lvl == 3 && !(pte & 2))
			return ~0ull;
		return (pte & LPAE_ADDR_MASK & ~(blk - 1)) | (iova & (blk - 1));
	}
}

/* ARMv7 short descriptors: returns the output address or ~0. */
static u64 raw_v7s_walk(u32 ttbr, u64 iova)
{
	const u32 *l1 = (const u32 *)(uintptr_t)(ttbr & ~0x3fffu);
	u32 pte = l1[(iova >> 20) & 0xfff];

	switch (pte & 3) {
	case 1: {
		const u32 *l2 = (const u32 *)(uintptr_t)(pte & ~0x3ffu);
		u32 pte2 = l2[(iova >> 12) & 0xff];

		if (pte2 & 2)
			return (pte2 & ~0xfffu) | (iova & 0xfff);
		if ((pte2 & 3) == 1)
			return (pte2 & ~0xffffu) | (iova & 0xffff);
		return ~0ull;
	}
	case 2:
		if (pte & (1u << 18))
			return (pte & 0xff000000u) | (iova & 0xffffff);
		return (pte & 0xfff00000u) | (iova & 0xfffff);
	default:
		return ~0ull;
	}
}

/* A set of tables of one implementation and format, with its walker. */
struct pt {
	const struct impl *impl;
	struct io_pgtable_cfg cfg;
	struct io_pgtable_ops *ops;
	bool v7s;
};

static void pt_check(struct pt *pt, u64 iova, u64 want, const char *where)
{
	u64 got = pt->ops->iova_to_phys(pt->ops, iova);
	u64 raw = pt->v7s ? raw_v7s_walk(pt->cfg.arm_v7s_cfg.ttbr, iova) :
		  raw_lpae4k_walk(pt->cfg.arm_lpae_s1_cfg.ttbr, pt->cfg.ias, iova);

	if (want == ~0ull ? (got != 0 || raw != ~0ull) : (got != want || raw != want)) {
		fprintf(stderr,
			"bench: %s (%s): iova %#llx: iova_to_phys %#llx, raw walk %#llx, expected %#llx\n",
			where, pt->impl->name, (unsigned long long)iova,
			(unsigned long long)got, (unsigned long long)raw,
			(unsigned long long)want);
		exit(2);
	}
}

static void pt_alloc(struct pt *pt, const struct impl *impl,
		     enum io_pgtable_fmt fmt, const struct io_pgtable_cfg *cfg)
{
	pt->impl = impl;
	pt->cfg = *cfg;
	pt->v7s = fmt != ARM_64_LPAE_S1;
	pt->ops = impl->alloc(fmt, &pt->cfg, NULL);
	if (!pt->ops) {
		fprintf(stderr, "bench: %s: cannot allocate io-pgtable (fmt %d)\n",
			impl->name, fmt);
		exit(2);
	}
}

static void pt_free(struct pt *pt)
{
	pt->impl->free(pt->ops);
	pt->ops = NULL;
}

/*
 * Map @count pages of @pgsize from @iova, asking for as many as the
 * implementation accepts in one call and calling again for the rest, as
 * the IOMMU core's iommu_map() does. Returns the calls made.
 */
static unsigned long pt_map_range(struct pt *pt, u64 iova, phys_addr_t pa,
				  size_t pgsize, size_t count)
{
	unsigned long calls = 0;

	while (count) {
		size_t mapped = 0;
		int ret = pt->ops->map_pages(pt->ops, iova, pa, pgsize, count,
					     PROT, GFP_KERNEL, &mapped);

		calls++;
		if (ret || !mapped || mapped % pgsize) {
			fprintf(stderr, "bench: %s: map_pages(iova %#llx, pgsize %#zx, pgcount %zu) = %d, mapped %#zx\n",
				pt->impl->name, (unsigned long long)iova, pgsize,
				count, ret, mapped);
			die("bulk map failed");
		}
		iova += mapped;
		pa += mapped;
		count -= mapped / pgsize;
	}
	return calls;
}

static unsigned long pt_unmap_range(struct pt *pt, u64 iova, size_t pgsize,
				    size_t count)
{
	struct iommu_iotlb_gather gather;
	unsigned long calls = 0;

	iommu_iotlb_gather_init(&gather);
	while (count) {
		size_t done = pt->ops->unmap_pages(pt->ops, iova, pgsize, count,
						   &gather);

		calls++;
		if (!done || done % pgsize) {
			fprintf(stderr, "bench: %s: unmap_pages(iova %#llx, pgsize %#zx, pgcount %zu) = %#zx\n",
				pt->impl->name, (unsigned long long)iova, pgsize,
				count, done);
			die("bulk unmap failed");
		}
		iova += done;
		count -= done / pgsize;
	}
	return calls;
}

/* Check the first, the last and a few random pages of a mapped range. */
static void pt_check_range(struct pt *pt, u64 iova, size_t pgsize,
			   size_t count, bool mapped, bool v7s_pa,
			   const char *where)
{
	for (int i = 0; i < 18; i++) {
		u64 idx = i == 0 ? 0 : i == 1 ? count - 1 : rnd() % count;
		u64 off = rnd() % pgsize & ~7ull;
		u64 va = iova + idx * pgsize + off;
		u64 want = !mapped ? ~0ull : v7s_pa ? pa32_of(va) : pa_of(va);

		pt_check(pt, va, want, where);
	}
}

/* ------------------------------------------------------------------ */
/* results                                                             */
/* ------------------------------------------------------------------ */

/* ns per op of each repetition: ours, upstream and (some rows) the floor */
struct timing {
	double v[NR_IMPLS + 2][NREPS];
};

static double med(struct timing *t, int impl)
{
	return median(t->v[impl], NREPS);
}

/*
 * The median of the per-repetition ratios @a / @b: each repetition ran
 * both back to back, so a ratio of a pair sees the same machine load.
 */
static double ratio(struct timing *t, int a, int b)
{
	double r[NREPS];

	for (int i = 0; i < NREPS; i++)
		r[i] = t->v[a][i] / t->v[b][i];
	return median(r, NREPS);
}

/* ------------------------------------------------------------------ */
/* configurations                                                      */
/* ------------------------------------------------------------------ */

static struct io_pgtable_cfg lpae_cfg(unsigned int ias)
{
	return (struct io_pgtable_cfg) {
		.pgsize_bitmap	= SZ_4K | SZ_2M | SZ_1G,
		.ias		= ias,
		.oas		= 48,
		.coherent_walk	= true,
		.tlb		= &bench_flush_ops,
		.iommu_dev	= bench_dev,
	};
}

#ifdef BENCH_V7S
static struct io_pgtable_cfg v7s_cfg(void)
{
	return (struct io_pgtable_cfg) {
		.pgsize_bitmap	= SZ_4K | SZ_64K | SZ_1M | SZ_16M,
		.ias		= 32,
		.oas		= 32,
		.coherent_walk	= true,
		.tlb		= &bench_flush_ops,
		.iommu_dev	= bench_dev,
	};
}
#endif

/* ------------------------------------------------------------------ */
/* timed workloads                                                     */
/* ------------------------------------------------------------------ */

/*
 * Single 4K map and unmap (pgcount 1) over fresh IOVAs with the tables
 * already present: @ntables last-level tables, each kept alive by a
 * sentinel page in its last slot; every other slot is mapped, one call per
 * page, in IOVA order, then unmapped the same way.
 */
struct single_ctx {
	u64 base;
	size_t ntables, per_table;	/* slots per last-level table */
	size_t table_span;
	bool v7s;
};

static void single_setup(struct pt *pt, const struct single_ctx *c)
{
	for (size_t t = 0; t < c->ntables; t++) {
		u64 va = c->base + t * c->table_span + c->per_table * SZ_4K;
		size_t mapped = 0;

		if (pt->ops->map_pages(pt->ops, va,
				       c->v7s ? pa32_of(va) : pa_of(va),
				       SZ_4K, 1, PROT, GFP_KERNEL, &mapped))
			die("sentinel map failed");
	}
}

static void single_round(struct pt *pt, const struct single_ctx *c,
			 double *map_ns, double *unmap_ns)
{
	struct io_pgtable_ops *ops = pt->ops;
	size_t n = c->ntables * c->per_table;
	struct iommu_iotlb_gather gather;
	u64 t0, t1, t2;

	t0 = now_ns();
	for (size_t t = 0; t < c->ntables; t++) {
		u64 va = c->base + t * c->table_span;

		for (size_t s = 0; s < c->per_table; s++, va += SZ_4K) {
			size_t mapped = 0;

			if (unlikely(ops->map_pages(ops, va,
					c->v7s ? pa32_of(va) : pa_of(va),
					SZ_4K, 1, PROT, GFP_ATOMIC, &mapped)))
				die("single map failed");
		}
	}
	t1 = now_ns();
	*map_ns = (double)(t1 - t0) / n;
	for (int i = 0; i < 16; i++) {
		u64 va = c->base + (rnd() % c->ntables) * c->table_span +
			 (rnd() % c->per_table) * SZ_4K + 8;

		pt_check(pt, va, c->v7s ? pa32_of(va) : pa_of(va), "single map");
	}
	iommu_iotlb_gather_init(&gather);
	t2 = now_ns();
	for (size_t t = 0; t < c->ntables; t++) {
		u64 va = c->base + t * c->table_span;

		for (size_t s = 0; s < c->per_table; s++, va += SZ_4K)
			if (unlikely(ops->unmap_pages(ops, va, SZ_4K, 1,
						      &gather) != SZ_4K))
				die("single unmap failed");
	}
	*unmap_ns = (double)(now_ns() - t2) / n;
	for (int i = 0; i < 16; i++) {
		u64 va = c->base + (rnd() % c->ntables) * c->table_span +
			 (rnd() % c->per_table) * SZ_4K;

		pt_check(pt, va, ~0ull, "single unmap");
	}
	/* the sentinels are still there */
	pt_check(pt, c->base + c->per_table * SZ_4K,
		 c->v7s ? pa32_of(c->base + c->per_table * SZ_4K) :
			  pa_of(c->base + c->per_table * SZ_4K), "sentinel");
}

static void bench_single(enum io_pgtable_fmt fmt, struct io_pgtable_cfg cfg,
			 const struct single_ctx *c, struct timing *map,
			 struct timing *unmap)
{
	struct pt pt[NR_IMPLS];
	double m, u;

	for (int i = 0; i < NR_IMPLS; i++) {
		pt_alloc(&pt[i], &impls[i], fmt, &cfg);
		single_setup(&pt[i], c);
	}
	for (int r = -1; r < NREPS; r++) {
		for (int i = 0; i < NR_IMPLS; i++) {
			single_round(&pt[i], c, &m, &u);
			if (r >= 0) {
				map->v[i][r] = m;
				unmap->v[i][r] = u;
			}
		}
	}
	for (int i = 0; i < NR_IMPLS; i++)
		pt_free(&pt[i]);
}

/*
 * Bulk: map @count pages of @pgsize from @iova, then unmap them, with
 * pgcount as large as each implementation accepts per call. With
 * @present (the entries per last-level table), the tables exist and are
 * empty when the timed map starts; without, the io-pgtable is new and
 * table allocation is part of the map. @with_floor: time the PTE-store
 * floor in the same repetitions.
 */
struct bulk_stats {
	unsigned long map_calls, unmap_calls, add_page, flush_walk;
};

static void floor_stores(u64 **tables, u64 pte);
static bool floor_check_stores(u64 **tables, u64 pte);
static u64 *floor_tables[512];

static void bench_bulk(enum io_pgtable_fmt fmt, struct io_pgtable_cfg cfg,
		       u64 iova, size_t pgsize, size_t count,
		       unsigned int present,
		       bool with_floor, struct timing *map,
		       struct timing *unmap, struct bulk_stats *st)
{
	bool v7s = fmt == ARM_V7S;
	phys_addr_t pa = v7s ? pa32_of(iova) : pa_of(iova);

	for (int r = -1; r < NREPS; r++) {
		for (int i = 0; i < NR_IMPLS + (with_floor ? 2 : 0); i++) {
			struct pt pt;
			unsigned long mc, uc, ap, fw;
			u64 t0, t1, t2;

			if (i >= FLOOR) {
				/*
				 * Leave the tables as the prefill leaves the
				 * real ones: just cleared.
				 */
				for (int k = 0; k < 512; k++)
					memset(floor_tables[k], 0, SZ_4K);
				t0 = now_ns();
				if (i == FLOOR)
					floor_stores(floor_tables, pa | 0x743);
				else if (!floor_check_stores(floor_tables,
							     pa | 0x743))
					die("floor: an entry was not empty");
				map->v[i][r < 0 ? 0 : r] =
					(double)(now_ns() - t0) / count;
				continue;
			}
			pt_alloc(&pt, &impls[i], fmt, &cfg);
			if (present) {
				/*
				 * Build the tables, then empty them half a
				 * table per call: neither implementation
				 * frees a table that no single call covers.
				 */
				size_t half = (size_t)present / 2, live;

				pt_map_range(&pt, iova, pa, pgsize, count);
				live = shim_live_bytes();
				for (size_t k = 0; k < count; k += half)
					pt_unmap_range(&pt, iova + k * pgsize,
						       pgsize, half);
				if (shim_live_bytes() != live && r < 0)
					fprintf(stderr, "bench: %s freed tables emptied by partial unmaps: its 'tables present' row includes allocation\n",
						impls[i].name);
			}
			t0 = now_ns();
			mc = pt_map_range(&pt, iova, pa, pgsize, count);
			t1 = now_ns();
			pt_check_range(&pt, iova, pgsize, count, true, v7s,
				       "bulk map");
			ap = nr_add_page;
			fw = nr_flush_walk;
			t2 = now_ns();
			uc = pt_unmap_range(&pt, iova, pgsize, count);
			unmap->v[i][r < 0 ? 0 : r] = (double)(now_ns() - t2) / count;
			map->v[i][r < 0 ? 0 : r] = (double)(t1 - t0) / count;
			pt_check_range(&pt, iova, pgsize, count, false, v7s,
				       "bulk unmap");
			st[i] = (struct bulk_stats) {
				.map_calls = mc, .unmap_calls = uc,
				.add_page = nr_add_page - ap,
				.flush_walk = nr_flush_walk - fw,
			};
			pt_free(&pt);
		}
		if (verbose && r >= 0)
			fprintf(stderr, "bulk pgsize %#zx rep %2d: ours %.3f upstream %.3f floor %.3f check+store %.3f | unmap ours %.3f upstream %.3f\n",
				pgsize, r, map->v[OURS][r], map->v[UPSTREAM][r],
				with_floor ? map->v[FLOOR][r] : 0.0,
				with_floor ? map->v[FLOOR_CHECK][r] : 0.0,
				unmap->v[OURS][r], unmap->v[UPSTREAM][r]);
	}
}

/*
 * iova_to_phys of random IOVAs in 1 GiB of mapped 4K pages; the floor is
 * the same loop over a plain 4-level radix tree of the same shape (a
 * pointer chase through 4 levels).
 */
#define NLOOKUPS	(1 << 18)

static u64 *lookup_iovas;

struct floor_radix {
	u64 *l0, *l1, *l2;
};

static struct floor_radix floor_tree;

/* A 4K table from the shim's page allocator, as the real tables are. */
static u64 *floor_table(void)
{
	u64 *t = (u64 *)__get_free_pages(GFP_KERNEL | __GFP_ZERO,
					 get_order(SZ_4K));

	if (!t)
		die("out of memory");
	return t;
}

static void floor_build(u64 base)
{
	struct floor_radix *f = &floor_tree;

	f->l0 = floor_table();
	f->l1 = floor_table();
	f->l2 = floor_table();
	f->l0[(base >> 39) & 511] = (u64)(uintptr_t)f->l1 | 3;
	f->l1[(base >> 30) & 511] = (u64)(uintptr_t)f->l2 | 3;
	for (u64 t = 0; t < 512; t++) {
		u64 *l3 = floor_table();

		f->l2[t] = (u64)(uintptr_t)l3 | 3;
		for (u64 i = 0; i < 512; i++) {
			u64 va = base + (t << 21) + (i << 12);

			l3[i] = pa_of(va) | 0x743;
		}
	}
}

static noinline u64 floor_lookup(const u64 *iovas, size_t n)
{
	const struct floor_radix *f = &floor_tree;
	u64 sum = 0;

	for (size_t i = 0; i < n; i++) {
		u64 va = iovas[i];
		const volatile u64 *t = f->l0;
		u64 e;

		e = t[(va >> 39) & 511];
		t = (const volatile u64 *)(uintptr_t)(e & LPAE_ADDR_MASK);
		e = t[(va >> 30) & 511];
		t = (const volatile u64 *)(uintptr_t)(e & LPAE_ADDR_MASK);
		e = t[(va >> 21) & 511];
		t = (const volatile u64 *)(uintptr_t)(e & LPAE_ADDR_MASK);
		e = t[(va >> 12) & 511];
		sum += (e & LPAE_ADDR_MASK) | (va & 0xfff);
	}
	return sum;
}

static u64 pt_lookup(struct pt *pt, const u64 *iovas, size_t n)
{
	struct io_pgtable_ops *ops = pt->ops;
	u64 sum = 0;

	for (size_t i = 0; i < n; i++)
		sum += ops->iova_to_phys(ops, iovas[i]);
	return sum;
}

static void bench_lookup(enum io_pgtable_fmt fmt, struct io_pgtable_cfg cfg,
			 u64 iova, size_t count, bool with_floor,
			 struct timing *t)
{
	bool v7s = fmt == ARM_V7S;
	struct pt pt[NR_IMPLS];
	u64 want = 0;

	for (size_t k = 0; k < NLOOKUPS; k++) {
		lookup_iovas[k] = iova + (rnd() % count) * SZ_4K + (rnd() & 0xff8);
		want += v7s ? pa32_of(lookup_iovas[k]) : pa_of(lookup_iovas[k]);
	}
	for (int i = 0; i < NR_IMPLS; i++) {
		pt_alloc(&pt[i], &impls[i], fmt, &cfg);
		pt_map_range(&pt[i], iova, v7s ? pa32_of(iova) : pa_of(iova),
			     SZ_4K, count);
	}
	for (int r = -1; r < NREPS; r++) {
		for (int i = 0; i < NR_IMPLS + with_floor; i++) {
			u64 t0 = now_ns(), sum;
			double ns;

			if (i < NR_IMPLS)
				sum = pt_lookup(&pt[i], lookup_iovas, NLOOKUPS);
			else
				sum = floor_lookup(lookup_iovas, NLOOKUPS);
			ns = (double)(now_ns() - t0) / NLOOKUPS;
			if (sum != want)
				die("iova_to_phys returned a wrong address");
			if (r >= 0)
				t->v[i][r] = ns;
		}
	}
	for (int i = 0; i < NR_IMPLS; i++) {
		pt_check_range(&pt[i], iova, SZ_4K, count, true, v7s, "lookup");
		pt_free(&pt[i]);
	}
}

/*
 * The floor of a bulk map of 1 GiB of 4K pages: 262144 8-byte descriptor
 * stores (WRITE_ONCE-style, as the kernel writes PTEs) into 512 preallocated,
 * already-touched 4K tables.
 */
static noinline void floor_stores(u64 **tables, u64 pte)
{
	for (size_t t = 0; t < 512; t++) {
		volatile u64 *p = (volatile u64 *)tables[t];

		for (size_t i = 0; i < 512; i++) {
			p[i] = pte;
			pte += SZ_4K;
		}
	}
}

/*
 * The floor of a map that must refuse occupied entries: read each cache
 * line of entries, and store only if all 8 are empty.
 */
static noinline bool floor_check_stores(u64 **tables, u64 pte)
{
	for (size_t t = 0; t < 512; t++) {
		volatile u64 *p = (volatile u64 *)tables[t];

		for (size_t i = 0; i < 512; i += 8) {
			u64 any = 0;

			for (size_t k = 0; k < 8; k++)
				any |= p[i + k];
			if (any)
				return false;
			for (size_t k = 0; k < 8; k++, pte += SZ_4K)
				p[i + k] = pte;
		}
	}
	return true;
}

static void floor_stores_verify(void)
{
	if ((floor_tables[511][511] & LPAE_ADDR_MASK) !=
	    pa_of((1ull << 32) + (512ull * 512 - 1) * SZ_4K))
		die("floor stores");
}

/* What the shim charges for allocating (zeroed) and freeing 512 4K tables. */
static double bench_floor_alloc(void)
{
	static void *tables[512];
	double v[NREPS];

	for (int r = -1; r < NREPS; r++) {
		u64 t0 = now_ns();

		for (int i = 0; i < 512; i++)
			tables[i] = (void *)__get_free_pages(GFP_KERNEL | __GFP_ZERO,
							     get_order(SZ_4K));
		for (int i = 0; i < 512; i++)
			free_pages((unsigned long)tables[i], get_order(SZ_4K));
		if (r >= 0)
			v[r] = (double)(now_ns() - t0) / (512 * 512);
	}
	return median(v, NREPS);
}

/* ------------------------------------------------------------------ */
/* block splits                                                        */
/* ------------------------------------------------------------------ */

/*
 * The cost of a split: unmap one 4K page out of each of @nblk blocks of
 * @blk, in the middle of the block, with our break-before-make split
 * (tables from the allocator, GFP_ATOMIC; from an attached reservation;
 * with IO_PGTABLE_QUIRK_ARM_BBML2) and with 6.12's split in place. The
 * blocks are restored between repetitions, untimed.
 */
enum {
	SPLIT_OURS = OURS, SPLIT_UPSTREAM = UPSTREAM, SPLIT_RSV, SPLIT_BBML2,
	SPLIT_NR
};

struct split_res {
	struct timing t;
	bool ok[SPLIT_NR];
	const char *why[SPLIT_NR];
	double walk[SPLIT_NR], add[SPLIT_NR];	/* per split */
	double cmds[SPLIT_NR];	/* per split: per-granule TLBIs + add_page */
	size_t tables[SPLIT_NR];		/* taken per split (RSV) */
};

static void bench_split(u64 base, size_t blk, unsigned int nblk,
			struct split_res *sr)
{
	struct pt pt[SPLIT_NR];

	memset(sr, 0, sizeof(*sr));
	for (int v = 0; v < SPLIT_NR; v++) {
		struct io_pgtable_cfg cfg = lpae_cfg(48);

		if (v == SPLIT_BBML2)
			cfg.quirks |= IO_PGTABLE_QUIRK_ARM_BBML2;
		pt[v].cfg = cfg;
		pt[v].impl = &impls[v == SPLIT_UPSTREAM ? UPSTREAM : OURS];
		pt[v].v7s = false;
		pt[v].ops = pt[v].impl->alloc(ARM_64_LPAE_S1, &pt[v].cfg, NULL);
		sr->ok[v] = !!pt[v].ops;
		if (!sr->ok[v]) {
			sr->why[v] = "the quirk is refused";
			continue;
		}
		pt_map_range(&pt[v], base, pa_of(base), blk, nblk);
	}
	for (int r = -1; r < NREPS; r++) {
		for (int v = 0; v < SPLIT_NR; v++) {
			struct io_pgtable_reservation rsv = { 0 };
			struct iommu_iotlb_gather gather;
			unsigned long w0, a0, c0;
			size_t need = 0;
			u64 t0, t1;

			if (!sr->ok[v])
				continue;
			if (v == SPLIT_RSV) {
				size_t n;

				for (unsigned int b = 0; b < nblk; b++) {
					if (io_pgtable_count_unmap(pt[v].ops,
						base + b * blk + blk / 2, SZ_4K,
						0, &n)) {
						sr->ok[v] = false;
						sr->why[v] = "io_pgtable_count_unmap() fails";
						break;
					}
					need += n;
				}
				if (!sr->ok[v])
					continue;
				if (io_pgtable_reserve(pt[v].ops, &rsv, need,
						       GFP_KERNEL)) {
					sr->ok[v] = false;
					sr->why[v] = "io_pgtable_reserve() fails";
					continue;
				}
				io_pgtable_attach_reservation(pt[v].ops, &rsv);
			}
			iommu_iotlb_gather_init(&gather);
			w0 = nr_flush_walk;
			a0 = nr_add_page;
			c0 = nr_walk_cmds;
			t0 = now_ns();
			for (unsigned int b = 0; b < nblk; b++) {
				u64 va = base + b * blk + blk / 2;

				if (pt[v].ops->unmap_pages(pt[v].ops, va, SZ_4K,
							   1, &gather) != SZ_4K) {
					sr->ok[v] = false;
					break;
				}
			}
			t1 = now_ns();
			if (v == SPLIT_RSV) {
				io_pgtable_attach_reservation(pt[v].ops, NULL);
				sr->tables[v] = rsv.taken;
				if (sr->ok[v] && rsv.taken != need)
					fprintf(stderr, "bench: split %#zx: io_pgtable_count_unmap() counted %zu tables for %u splits, they took %zu\n",
						blk, need, nblk, rsv.taken);
				io_pgtable_unreserve(pt[v].ops, &rsv, 0);
			}
			if (!sr->ok[v]) {
				sr->why[v] = "unmap of 4K out of a block returns 0";
				if (v == SPLIT_UPSTREAM)
					die("split: upstream did not split");
				continue;
			}
			sr->t.v[v][r < 0 ? 0 : r] = (double)(t1 - t0) / nblk;
			sr->walk[v] = (double)(nr_flush_walk - w0) / nblk;
			sr->add[v] = (double)(nr_add_page - a0) / nblk;
			sr->cmds[v] = (double)(nr_walk_cmds - c0 +
					       nr_add_page - a0) / nblk;
			/* the hole, its neighbours and the blocks' ends */
			for (unsigned int b = 0; b < nblk; b += 1 + nblk / 8) {
				u64 va = base + b * blk + blk / 2;

				pt_check(&pt[v], va + 8, ~0ull, "split hole");
				pt_check(&pt[v], va - 8, pa_of(va - 8), "split");
				pt_check(&pt[v], va + SZ_4K, pa_of(va + SZ_4K),
					 "split");
				pt_check(&pt[v], base + b * blk,
					 pa_of(base + b * blk), "split");
				pt_check(&pt[v], base + (b + 1) * blk - 8,
					 pa_of(base + (b + 1) * blk - 8), "split");
			}
			/*
			 * Restore the blocks: unmapping whole blocks frees the
			 * tables of the split in both implementations.
			 */
			pt_unmap_range(&pt[v], base, blk, nblk);
			pt_map_range(&pt[v], base, pa_of(base), blk, nblk);
		}
	}
	for (int v = 0; v < SPLIT_NR; v++)
		if (pt[v].ops)
			pt[v].impl->free(pt[v].ops);
}

static void split_row(const char *name, struct split_res *sr, int v)
{
	char tgt[64];

	if (!sr->ok[v]) {
		printf("%-44s %12s %12.1f %9s  (ours not measured: %s)\n", name,
		       "n/a", med(&sr->t, UPSTREAM), "", sr->why[v]);
		return;
	}
	snprintf(tgt, sizeof(tgt), "info: ours %.2fx upstream's time",
		 ratio(&sr->t, v, UPSTREAM));
	printf("%-44s %12.1f %12.1f %8.2fx  %-34s\n", name, med(&sr->t, v),
	       med(&sr->t, UPSTREAM), ratio(&sr->t, UPSTREAM, v), tgt);
}

/* ------------------------------------------------------------------ */
/* GPU VM_BIND: what a trace reserves, and what it uses                */
/* ------------------------------------------------------------------ */

/*
 * The page sizes iommu_map()/iommu_unmap() would pick for the next call:
 * the largest size in @bitmap that fits in @size and to which @iova and
 * @pa are both aligned, and how many of it before a larger size becomes
 * usable (or @size ends).
 */
static size_t vb_pgsize(unsigned long bitmap, u64 iova, u64 pa, u64 size,
			size_t *count)
{
	u64 merge = iova | pa, sizes, next;
	unsigned int shift;

	sizes = bitmap & GENMASK_ULL(__fls(size), 0);
	if (merge)
		sizes &= GENMASK_ULL(__ffs(merge), 0);
	shift = __fls(sizes);
	sizes = bitmap & ~GENMASK_ULL(shift, 0);
	if (sizes) {
		/* stop where the next larger size becomes aligned */
		next = 1ull << __ffs(sizes);
		u64 to_next = next - (merge & (next - 1));

		if (to_next + next <= size)
			size = to_next;
	}
	*count = size >> shift;
	return 1ull << shift;
}

/*
 * Map as iommu_map() does. 0, or the error of the failing call; @done
 * (if not NULL) says how much was mapped.
 */
static int vb_map_done(struct pt *pt, u64 iova, phys_addr_t pa, u64 size,
		       u64 *done)
{
	struct io_pgtable_ops *ops = pt->ops;

	if (done)
		*done = 0;
	while (size) {
		size_t count, mapped = 0;
		size_t pgsize = vb_pgsize(pt->cfg.pgsize_bitmap, iova, pa, size,
					  &count);
		int ret = ops->map_pages(ops, iova, pa, pgsize, count, PROT,
					 GFP_KERNEL, &mapped);

		if (ret)
			return ret;
		if (!mapped)
			return -EIO;
		iova += mapped;
		pa += mapped;
		size -= mapped;
		if (done)
			*done += mapped;
	}
	return 0;
}

static int vb_map(struct pt *pt, u64 iova, phys_addr_t pa, u64 size)
{
	return vb_map_done(pt, iova, pa, size, NULL);
}

/* Unmap as iommu_unmap() does. Returns the bytes unmapped. */
static u64 vb_unmap(struct pt *pt, u64 iova, u64 size)
{
	struct io_pgtable_ops *ops = pt->ops;
	struct iommu_iotlb_gather gather;
	u64 done = 0;

	iommu_iotlb_gather_init(&gather);
	while (done < size) {
		size_t count, n;
		size_t pgsize = vb_pgsize(pt->cfg.pgsize_bitmap, iova, iova,
					  size - done, &count);

		n = ops->unmap_pages(ops, iova, pgsize, count, &gather);
		if (!n)
			break;
		iova += n;
		done += n;
	}
	return done;
}

/*
 * The drivers' formulas, as functions of the range alone.
 *
 * panthor (6.12, panthor_vm_prepare_map_op_ctx()): one table per 512 GiB,
 * 1 GiB and 2 MiB aligned span the range touches (levels 1, 2 and 3),
 * whatever exists already. panthor_vm_prepare_unmap_op_ctx(): one level-3
 * table for each end of the range that is not 2 MiB aligned (one if both
 * ends fall in the same 2 MiB).
 */
static u64 span_count(u64 iova, u64 size, unsigned int shift)
{
	u64 a = 1ull << shift;

	return (ALIGN(iova + size, a) - ALIGN_DOWN(iova, a)) >> shift;
}

static u64 panthor_map_formula(u64 iova, u64 size)
{
	return span_count(iova, size, 39) + span_count(iova, size, 30) +
	       span_count(iova, size, 21);
}

static u64 panthor_unmap_formula(u64 iova, u64 size)
{
	u64 n = 0;

	if (iova != ALIGN(iova, SZ_2M))
		n++;
	if (iova + size != ALIGN(iova + size, SZ_2M) &&
	    ALIGN(iova + size, SZ_2M) != ALIGN(iova, SZ_2M))
		n++;
	return n;
}

/*
 * msm (msm_iommu_pagetable_prealloc_count() and vm_bind_prealloc_count(),
 * added with msm's VM_BIND after 6.12): the same per-level count for each
 * MAP op (ops of one job that continue in the same 2 MiB are counted as
 * one range; every request here is a job of one op), nothing for UNMAP ops:
 * msm maps only PAGE_SIZE pages under VM_BIND, so nothing ever splits.
 */
static u64 msm_map_formula(u64 iova, u64 size)
{
	return panthor_map_formula(iova, size);
}

/* the trace */
enum vb_kind { VB_BUF, VB_SMALL, VB_HOLE, VB_FREE, VB_NR_KINDS };

static const char *const vb_kind_name[VB_NR_KINDS] = {
	[VB_BUF]	= "buffer maps, 64M-1G",
	[VB_SMALL]	= "4K-256K maps (heap growth, sparse)",
	[VB_HOLE]	= "partial unmaps, 4K-1M holes",
	[VB_FREE]	= "whole-buffer / tile / heap unmaps",
};

struct vb_req {
	u8 unmap, kind;
	u64 iova, size;
	u64 pa;		/* maps */
};

#define VB_SEED		0x5642494e44ull	/* "VBIND" */
#define VB_STEPS	3000
#define VB_MAX_REQS	(VB_STEPS * 8)
#define VB_MAX_BUFS	12
#define VB_MAX_HOLES	8
#define VB_HEAP		0x100000000ull		/* 4 GiB: the growable heap */
#define VB_HEAP_MAX	SZ_512M
#define VB_SPARSE	0x200000000ull		/* 8 GiB: sparse, 64K tiles */
#define VB_TILES	4096			/* 256 MiB of tiles */
#define VB_BUFS		0x1000000000ull		/* 64 GiB: buffers from here */

struct vb_buf {
	u64 iova, size, pa;
	int nholes;
	u64 hole[VB_MAX_HOLES][2];	/* sorted by start */
};

static struct vb_req *vb_reqs;
static size_t vb_nreqs;
static u64 vb_rnd_state;

static u64 vb_rnd(void)
{
	vb_rnd_state ^= vb_rnd_state >> 12;
	vb_rnd_state ^= vb_rnd_state << 25;
	vb_rnd_state ^= vb_rnd_state >> 27;
	return vb_rnd_state * 0x2545f4914f6cdd1dull;
}

static u64 vb_range(u64 lo, u64 hi)	/* in [lo, hi] */
{
	return lo + vb_rnd() % (hi - lo + 1);
}

static void vb_emit(bool unmap, int kind, u64 iova, u64 size, u64 pa)
{
	if (vb_nreqs == VB_MAX_REQS)
		die("vmbind: trace too long");
	vb_reqs[vb_nreqs++] = (struct vb_req) {
		.unmap = unmap, .kind = kind, .iova = iova, .size = size,
		.pa = pa,
	};
}

/* The mapped pieces of a buffer, between its holes, one unmap each. */
static void vb_free_buf(struct vb_buf *b)
{
	u64 at = b->iova;

	for (int h = 0; h < b->nholes; h++) {
		if (b->hole[h][0] > at)
			vb_emit(true, VB_FREE, at, b->hole[h][0] - at, 0);
		at = b->hole[h][0] + b->hole[h][1];
	}
	if (b->iova + b->size > at)
		vb_emit(true, VB_FREE, at, b->iova + b->size - at, 0);
}

/*
 * A hole of 4K-1M at a page of @b that keeps a mapped page on each side
 * and between it and any other hole. False if none was found.
 */
static bool vb_add_hole(struct vb_buf *b)
{
	static const u64 sizes[] = { SZ_4K, SZ_4K, SZ_16K, SZ_64K, SZ_256K, SZ_1M };
	u64 size, off;
	int h;

	if (b->nholes == VB_MAX_HOLES)
		return false;
	size = vb_rnd() & 1 ? sizes[vb_rnd() % ARRAY_SIZE(sizes)] :
			      vb_range(1, SZ_1M / SZ_4K) * SZ_4K;
	for (int tries = 0; tries < 16; tries++) {
		off = vb_range(1, (b->size - size) / SZ_4K - 1) * SZ_4K;
		for (h = 0; h < b->nholes; h++)
			if (b->iova + off < b->hole[h][0] + b->hole[h][1] + SZ_4K &&
			    b->hole[h][0] < b->iova + off + size + SZ_4K)
				break;
		if (h < b->nholes)
			continue;
		for (h = b->nholes; h > 0 && b->hole[h - 1][0] > b->iova + off; h--) {
			b->hole[h][0] = b->hole[h - 1][0];
			b->hole[h][1] = b->hole[h - 1][1];
		}
		b->hole[h][0] = b->iova + off;
		b->hole[h][1] = size;
		b->nholes++;
		vb_emit(true, VB_HOLE, b->iova + off, size, 0);
		return true;
	}
	return false;
}

/*
 * The trace: VB_STEPS steps of a GPU context's life (see README.md). Every
 * buffer gets a fresh IOVA; its physical address keeps the IOVA's
 * alignment (blocks where the IOVA allows them) except for the
 * "fragmented" buffers, 4K off, which map with 4K pages only.
 */
static void vb_build_trace(void)
{
	struct vb_buf bufs[VB_MAX_BUFS];
	static u8 tiles[VB_TILES];
	u64 heap_top = 0, next_va = VB_BUFS;
	int nbufs = 0;

	vb_rnd_state = VB_SEED;
	vb_nreqs = 0;
	memset(tiles, 0, sizeof(tiles));
	for (int step = 0; step < VB_STEPS; step++) {
		unsigned int dice = vb_rnd() % 100;

		if (dice < 8 && nbufs == VB_MAX_BUFS) {
			/* no room: free one instead */
			int i = vb_rnd() % nbufs;

			vb_free_buf(&bufs[i]);
			bufs[i] = bufs[--nbufs];
		} else if (dice < 8) {
			/* a buffer: 64M..1G */
			struct vb_buf *b = &bufs[nbufs++];
			unsigned int shape = vb_rnd() % 10;
			u64 align = SZ_2M, skew = 0, delta = 0;

			b->size = vb_range(SZ_64M / SZ_2M, SZ_1G / SZ_2M) * SZ_2M;
			if (shape < 2) {		/* 1G-aligned, 1G */
				align = SZ_1G;
				b->size = SZ_1G;
			} else if (shape < 4) {		/* 4K-aligned start and size */
				skew = vb_range(1, 511) * SZ_4K;
				b->size -= vb_range(1, 511) * SZ_4K;
			} else if (shape < 5) {		/* fragmented: 4K off */
				delta = SZ_4K;
				b->size = vb_range(SZ_64M / SZ_2M, SZ_256M / SZ_2M) * SZ_2M;
			}
			next_va = ALIGN(next_va + vb_range(0, 64) * SZ_2M, align);
			b->iova = next_va + skew;
			b->pa = pa_of(b->iova) + delta;
			b->nholes = 0;
			next_va = b->iova + b->size;
			vb_emit(false, VB_BUF, b->iova, b->size, b->pa);
		} else if (dice < 40) {
			/* heap growth: 4K..256K chunks, contiguous */
			u64 size = (vb_rnd() & 3 ? 1 : vb_range(2, 64)) * SZ_4K;

			if (heap_top + size > VB_HEAP_MAX) {
				vb_emit(true, VB_FREE, VB_HEAP, heap_top, 0);
				heap_top = 0;
			}
			vb_emit(false, VB_SMALL, VB_HEAP + heap_top, size,
				pa_of(VB_HEAP + heap_top));
			heap_top += size;
		} else if (dice < 72) {
			/* sparse: bind (4K or 64K) or unbind a 64K tile */
			u64 t = vb_rnd() % VB_TILES, va = VB_SPARSE + t * SZ_64K;

			if (!tiles[t]) {
				tiles[t] = vb_rnd() % 3 ? 16 : 1;
				vb_emit(false, VB_SMALL, va, tiles[t] * SZ_4K,
					pa_of(va));
			} else if (vb_rnd() % 4 == 0) {
				vb_emit(true, VB_FREE, va, tiles[t] * SZ_4K, 0);
				tiles[t] = 0;
			}
		} else if (dice < 92 && nbufs) {
			/* partial unmap: prefer a 1G buffer now and then */
			int i = vb_rnd() % nbufs;

			for (int k = 0; k < nbufs && vb_rnd() % 3 == 0; k++)
				if (IS_ALIGNED(bufs[k].iova, SZ_1G))
					i = k;
			vb_add_hole(&bufs[i]);
		} else if (dice >= 92 && nbufs) {
			/* free a buffer */
			int i = vb_rnd() % nbufs;

			vb_free_buf(&bufs[i]);
			bufs[i] = bufs[--nbufs];
		}
	}
	/* the context ends: everything goes */
	for (int i = 0; i < nbufs; i++)
		vb_free_buf(&bufs[i]);
	if (heap_top)
		vb_emit(true, VB_FREE, VB_HEAP, heap_top, 0);
	for (int t = 0; t < VB_TILES; t++)
		if (tiles[t])
			vb_emit(true, VB_FREE, VB_SPARSE + t * SZ_64K,
				tiles[t] * SZ_4K, 0);
}

#define VB_QUEUE	16	/* jobs in flight, for the peak */

/* per configuration, per kind of request */
struct vb_sum {
	u64 reqs, used, ours, worst, panthor, msm;
	u64 panthor_short, msm_short;	/* requests whose formula < used */
	u64 peak_ours, peak_worst, peak_panthor, peak_msm;
};

struct vb_result {
	const char *name;
	bool measured;
	const char *why;		/* when not measured */
	struct vb_sum k[VB_NR_KINDS], all;
	/* reserved by the last VB_QUEUE requests: ours, worst, panthor, msm */
	u64 ring[4][VB_QUEUE], win[4], peak_win[4];
	u64 mismatches;			/* requests with count != used */
	u64 max_tables;			/* live tables at the peak (not PGD) */
	u64 returned;
	u64 upstream_allocs;		/* tables 6.12 allocated, same trace */
	/* VB_QUEUE jobs counted before any of them runs */
	u64 q_reserved, q_used, q_worst, q_short, q_peak_win;
	bool q_measured;
	struct vb_sum up;		/* the formulas against those */
	double seconds;
};

static void vb_window(struct vb_result *res, size_t i, const u64 v[4])
{
	for (int m = 0; m < 4; m++) {
		res->win[m] += v[m] - res->ring[m][i % VB_QUEUE];
		res->ring[m][i % VB_QUEUE] = v[m];
		res->peak_win[m] = max(res->peak_win[m], res->win[m]);
	}
}

static int vb_mismatch_prints;
/* contract violations found by the trace (the run exits with status 2) */
static unsigned long vb_errors;

static void vb_note(struct vb_result *res, const struct vb_req *q, size_t i,
		    const char *what, long long want, long long got)
{
	if (vb_mismatch_prints++ < 8)
		fprintf(stderr, "bench: vmbind %s: request %zu (%s %#llx+%#llx, %s): %s: expected %lld, got %lld\n",
			res->name, i, q->unmap ? "unmap" : "map",
			(unsigned long long)q->iova, (unsigned long long)q->size,
			vb_kind_name[q->kind], what, want, got);
}

static void vb_add(struct vb_sum *s, u64 used, u64 ours, u64 worst,
		   u64 panthor, u64 msm)
{
	s->reqs++;
	s->used += used;
	s->ours += ours;
	s->worst += worst;
	s->panthor += panthor;
	s->msm += msm;
	s->panthor_short += panthor < used;
	s->msm_short += msm < used;
	s->peak_ours = max(s->peak_ours, ours);
	s->peak_worst = max(s->peak_worst, worst);
	s->peak_panthor = max(s->peak_panthor, panthor);
	s->peak_msm = max(s->peak_msm, msm);
}

/* A few pages of a request: mapped where they should be, or not. */
static void vb_probe(struct pt *pt, const struct vb_req *q)
{
	for (int i = 0; i < 6; i++) {
		u64 pages = q->size / SZ_4K;
		u64 idx = i == 0 ? 0 : i == 1 ? pages - 1 : vb_rnd() % pages;
		u64 va = q->iova + idx * SZ_4K + 8 * i;

		pt_check(pt, va, q->unmap ? ~0ull : q->pa + (va - q->iova),
			 "vmbind trace");
	}
}

/*
 * Play the trace on our tables with @pgsizes: each request is counted
 * (exactly, and with IO_PGTABLE_COUNT_WORST), reserved, run with the
 * reservation attached (an allocator call in between is an error), and
 * the tables it took are its "used" pages.
 */
static void vb_play(struct vb_result *res, unsigned long pgsizes)
{
	struct io_pgtable_cfg cfg = lpae_cfg(48);
	struct pt pt;
	u64 t0 = wall_ns(), live = 0;

	cfg.pgsize_bitmap = pgsizes;
	cfg.quirks |= IO_PGTABLE_QUIRK_NO_WARN;
	memset(&res->k, 0, sizeof(res->k));
	memset(&res->all, 0, sizeof(res->all));
	res->mismatches = res->max_tables = res->returned = 0;
	memset(res->ring, 0, sizeof(res->ring));
	memset(res->win, 0, sizeof(res->win));
	memset(res->peak_win, 0, sizeof(res->peak_win));
	res->measured = false;
	pt_alloc(&pt, &impls[OURS], ARM_64_LPAE_S1, &cfg);
	for (size_t i = 0; i < vb_nreqs; i++) {
		const struct vb_req *q = &vb_reqs[i];
		struct io_pgtable_reservation rsv = { 0 };
		size_t n = 0, worst = 0, pool;
		unsigned long allocs;
		u64 formula_p, formula_m, v[4];
		int ret;

		if (q->unmap) {
			ret = io_pgtable_count_unmap(pt.ops, q->iova, q->size,
						     0, &n);
			if (!ret)
				ret = io_pgtable_count_unmap(pt.ops, q->iova,
					q->size, IO_PGTABLE_COUNT_WORST, &worst);
			formula_p = panthor_unmap_formula(q->iova, q->size);
			formula_m = 0;
		} else {
			ret = io_pgtable_count_map(pt.ops, q->iova, q->pa,
						   q->size, pgsizes, 0, &n);
			if (!ret)
				ret = io_pgtable_count_map(pt.ops, q->iova,
					q->pa, q->size, pgsizes,
					IO_PGTABLE_COUNT_WORST, &worst);
			formula_p = panthor_map_formula(q->iova, q->size);
			formula_m = msm_map_formula(q->iova, q->size);
		}
		if (ret == -EOPNOTSUPP) {
			res->why = "io_pgtable_count_map/unmap() return -EOPNOTSUPP";
			goto out;
		}
		if (ret) {
			vb_note(res, q, i, "count returned", 0, ret);
			die("vmbind: count failed");
		}
		ret = io_pgtable_reserve(pt.ops, &rsv, n, GFP_KERNEL);
		if (ret == -EOPNOTSUPP) {
			res->why = "io_pgtable_reserve() returns -EOPNOTSUPP";
			goto out;
		}
		if (ret)
			die("vmbind: io_pgtable_reserve() failed");
		io_pgtable_attach_reservation(pt.ops, &rsv);
		allocs = shim_alloc_attempts();
		/*
		 * A request the reservation does not cover fails (a count
		 * too small): note it, check that the failing call changed
		 * nothing, and finish the request without the reservation.
		 */
		if (q->unmap) {
			u64 done = vb_unmap(&pt, q->iova, q->size);

			allocs = shim_alloc_attempts() - allocs;
			io_pgtable_attach_reservation(pt.ops, NULL);
			if (done != q->size) {
				vb_errors++;
				vb_note(res, q, i, "bytes unmapped with the reservation",
					q->size, done);
				if (vb_unmap(&pt, q->iova + done, q->size - done) !=
				    q->size - done)
					die("vmbind: unmap failed");
			}
		} else {
			u64 done;

			ret = vb_map_done(&pt, q->iova, q->pa, q->size, &done);
			allocs = shim_alloc_attempts() - allocs;
			io_pgtable_attach_reservation(pt.ops, NULL);
			if (ret) {
				vb_errors++;
				vb_note(res, q, i, "map_pages with the reservation",
					0, ret);
				pt_check(&pt, q->iova + done, ~0ull,
					 "vmbind: a map that failed");
				if (vb_map(&pt, q->iova + done, q->pa + done,
					   q->size - done))
					die("vmbind: map failed");
			}
		}
		if (allocs) {
			vb_errors++;
			vb_note(res, q, i, "allocator calls while attached", 0,
				allocs);
		}
		pool = n - rsv.taken + rsv.returned;
		if (rsv.taken > n || rsv.count != pool) {
			vb_errors++;
			vb_note(res, q, i, "tables left in the reservation",
				pool, rsv.count);
		}
		if (rsv.taken != n) {
			res->mismatches++;
			vb_note(res, q, i, "tables taken (the count)", n,
				rsv.taken);
		}
		if (worst < n) {
			vb_errors++;
			vb_note(res, q, i, "IO_PGTABLE_COUNT_WORST at least the count",
				n, worst);
		}
		live += rsv.taken;
		live -= min_t(u64, live, rsv.returned);
		res->max_tables = max(res->max_tables, live);
		res->returned += rsv.returned;
		io_pgtable_unreserve(pt.ops, &rsv, 0);
		vb_probe(&pt, q);
		vb_add(&res->k[q->kind], rsv.taken, n, worst, formula_p,
		       formula_m);
		vb_add(&res->all, rsv.taken, n, worst, formula_p, formula_m);
		v[0] = n;
		v[1] = worst;
		v[2] = formula_p;
		v[3] = formula_m;
		vb_window(res, i, v);
	}
	res->measured = true;
out:
	pt_free(&pt);
	res->seconds = (wall_ns() - t0) / 1e9;
}

/* Does [a, a + as) share a 1 GiB span with [b, b + bs)? */
static bool vb_same_gib(u64 a, u64 as, u64 b, u64 bs)
{
	return a >> 30 <= (b + bs - 1) >> 30 && b >> 30 <= (a + as - 1) >> 30;
}

/*
 * The trace with VB_QUEUE jobs in flight: every request of a batch is
 * counted and reserved before any of them runs (a driver's ioctls queue
 * jobs faster than they run), then they run in order, each with its own
 * reservation. The driver follows the rule of io_pgtable_count_map()'s
 * kernel-doc: a request with one ahead of it in the queue in the same
 * 1 GiB is counted with IO_PGTABLE_COUNT_WORST, the others exactly. A
 * reservation that falls short is a violation of that rule.
 */
static void vb_play_queued(struct vb_result *res, unsigned long pgsizes)
{
	struct io_pgtable_reservation rsv[VB_QUEUE];
	struct io_pgtable_cfg cfg = lpae_cfg(48);
	struct pt pt;

	cfg.pgsize_bitmap = pgsizes;
	cfg.quirks |= IO_PGTABLE_QUIRK_NO_WARN;
	res->q_reserved = res->q_used = res->q_worst = res->q_short = 0;
	res->q_peak_win = 0;
	res->q_measured = false;
	pt_alloc(&pt, &impls[OURS], ARM_64_LPAE_S1, &cfg);
	for (size_t first = 0; first < vb_nreqs; first += VB_QUEUE) {
		size_t nq = min_t(size_t, VB_QUEUE, vb_nreqs - first);
		u64 held = 0;

		/* prepare: count and reserve the whole batch */
		for (size_t j = 0; j < nq; j++) {
			const struct vb_req *q = &vb_reqs[first + j];
			unsigned int flags = 0;
			size_t n = 0;
			int ret;

			for (size_t k = 0; k < j; k++) {
				const struct vb_req *p = &vb_reqs[first + k];

				if (vb_same_gib(p->iova, p->size, q->iova, q->size))
					flags = IO_PGTABLE_COUNT_WORST;
			}
			if (q->unmap)
				ret = io_pgtable_count_unmap(pt.ops, q->iova,
							     q->size, flags, &n);
			else
				ret = io_pgtable_count_map(pt.ops, q->iova,
							   q->pa, q->size,
							   pgsizes, flags, &n);
			if (ret) {
				vb_note(res, q, first + j, "queued count", 0, ret);
				die("vmbind: queued count failed");
			}
			memset(&rsv[j], 0, sizeof(rsv[j]));
			if (io_pgtable_reserve(pt.ops, &rsv[j], n, GFP_KERNEL))
				die("vmbind: io_pgtable_reserve() failed");
			res->q_reserved += n;
			res->q_worst += !!flags;
			held += n;
		}
		res->q_peak_win = max(res->q_peak_win, held);
		/* run_job: in order, each with its reservation */
		for (size_t j = 0; j < nq; j++) {
			const struct vb_req *q = &vb_reqs[first + j];
			bool ok;

			io_pgtable_attach_reservation(pt.ops, &rsv[j]);
			if (q->unmap)
				ok = vb_unmap(&pt, q->iova, q->size) == q->size;
			else
				ok = !vb_map(&pt, q->iova, q->pa, q->size);
			io_pgtable_attach_reservation(pt.ops, NULL);
			res->q_used += rsv[j].taken;
			if (!ok) {
				/* finish it without the reservation */
				res->q_short++;
				vb_errors++;
				vb_note(res, q, first + j,
					"queued request with its reservation", 1, 0);
				if (q->unmap) {
					for (u64 va = q->iova; va < q->iova + q->size;
					     va += SZ_4K)
						vb_unmap(&pt, va, SZ_4K);
				} else {
					die("vmbind: a queued map failed");
				}
			}
			io_pgtable_unreserve(pt.ops, &rsv[j], 0);
			vb_probe(&pt, q);
		}
	}
	res->q_measured = true;
	pt_free(&pt);
}

/*
 * The same trace on 6.12's tables (which split blocks in place), without
 * reservations: the tables it allocates, request by request, are what an
 * exact count would have had to reserve for it; a cross-check of "used".
 */
static void vb_play_upstream(struct vb_result *res, unsigned long pgsizes)
{
	struct io_pgtable_cfg cfg = lpae_cfg(48);
	struct pt pt;

	cfg.pgsize_bitmap = pgsizes;
	res->upstream_allocs = 0;
	memset(&res->up, 0, sizeof(res->up));
	pt_alloc(&pt, &impls[UPSTREAM], ARM_64_LPAE_S1, &cfg);
	for (size_t i = 0; i < vb_nreqs; i++) {
		const struct vb_req *q = &vb_reqs[i];
		unsigned long allocs = shim_alloc_attempts();

		if (q->unmap) {
			u64 done = vb_unmap(&pt, q->iova, q->size);

			if (done != q->size) {
				vb_note(res, q, i, "6.12: bytes unmapped",
					q->size, done);
				die("vmbind: 6.12 unmap failed");
			}
		} else if (vb_map(&pt, q->iova, q->pa, q->size)) {
			die("vmbind: 6.12 map failed");
		}
		allocs = shim_alloc_attempts() - allocs;
		res->upstream_allocs += allocs;
		vb_probe(&pt, q);
		if (q->unmap)
			vb_add(&res->up, allocs, 0, 0,
			       panthor_unmap_formula(q->iova, q->size), 0);
		else
			vb_add(&res->up, allocs, 0, 0,
			       panthor_map_formula(q->iova, q->size),
			       msm_map_formula(q->iova, q->size));
	}
	pt_free(&pt);
}

static void vb_ratio(char *buf, size_t n, u64 reserved, u64 used)
{
	if (used)
		snprintf(buf, n, "%.2fx", (double)reserved / used);
	else
		snprintf(buf, n, reserved ? "inf" : "-");
}

static void vb_row(const char *name, const struct vb_sum *s, bool total,
		   bool ours)
{
	char ro[16] = "-", rw[16] = "-", rp[16], rm[16], label[64];
	char no[24] = "-", nw[24] = "-";

	if (ours) {
		vb_ratio(ro, sizeof(ro), s->ours, s->used);
		vb_ratio(rw, sizeof(rw), s->worst, s->used);
		snprintf(no, sizeof(no), "%llu", (unsigned long long)s->ours);
		snprintf(nw, sizeof(nw), "%llu", (unsigned long long)s->worst);
	}
	vb_ratio(rp, sizeof(rp), s->panthor, s->used);
	vb_ratio(rm, sizeof(rm), s->msm, s->used);
	snprintf(label, sizeof(label), "%s (%llu)", name,
		 (unsigned long long)s->reqs);
	printf("  %-42s %7llu %7s %6s %7s %7s %8llu %7s %7llu %7s",
	       label, (unsigned long long)s->used, no, ro, nw, rw,
	       (unsigned long long)s->panthor, rp,
	       (unsigned long long)s->msm, rm);
	if (total)
		printf("  <= 1.1x %s", s->used && s->ours * 10 <= s->used * 11 ?
		       "PASS" : "MISS");
	printf("\n");
}

static void vb_print(const struct vb_result *res)
{
	const struct vb_sum *a = &res->all;

	printf("%s\n", res->name);
	if (!res->measured) {
		printf("  (ours not measured: %s)\n", res->why);
		vb_row("6.12's tables: all requests", &res->up, false, false);
		return;
	}
	for (int k = 0; k < VB_NR_KINDS; k++)
		vb_row(vb_kind_name[k], &res->k[k], false, true);
	vb_row("all requests", a, true, true);
	printf("  %-42s %7s %6.0fK %6s %6.0fK %7s %7.0fK %7s %6.0fK\n",
	       "peak: largest single reservation (KiB)", "",
	       a->peak_ours * 4.0, "", a->peak_worst * 4.0, "",
	       a->peak_panthor * 4.0, "", a->peak_msm * 4.0);
	printf("  %-42s %7s %6.0fK %6s %6.0fK %7s %7.0fK %7s %6.0fK\n",
	       "peak: 16 requests in flight (KiB)", "",
	       res->peak_win[0] * 4.0, "", res->peak_win[1] * 4.0, "",
	       res->peak_win[2] * 4.0, "", res->peak_win[3] * 4.0);
	printf("  count != used in %llu requests; formula short of used in: panthor %llu, msm %llu requests\n"
	       "  tables live at most %llu; 6.12 allocated %llu tables on the same trace; %.2f s\n",
	       (unsigned long long)res->mismatches,
	       (unsigned long long)a->panthor_short,
	       (unsigned long long)a->msm_short,
	       (unsigned long long)res->max_tables,
	       (unsigned long long)res->upstream_allocs, res->seconds);
	if (res->q_measured)
		printf("  16 jobs queued, each counted before any ran (WORST for the %llu with one ahead in the\n"
		       "  same 1 GiB): ours reserved %llu, used %llu, %.2fx; at most %.0fK held; short in %llu\n",
		       (unsigned long long)res->q_worst,
		       (unsigned long long)res->q_reserved,
		       (unsigned long long)res->q_used,
		       res->q_used ? (double)res->q_reserved / res->q_used : 0.0,
		       res->q_peak_win * 4.0, (unsigned long long)res->q_short);
}

/* ------------------------------------------------------------------ */
/* table memory                                                        */
/* ------------------------------------------------------------------ */

/*
 * Table bytes: the growth of the shim's live footprint (kmalloc size
 * classes, slab object sizes, PAGE_SIZE << order) from before the tables
 * were allocated to after the mappings, minus the footprint of the
 * format's private structure (the allocation containing the struct
 * io_pgtable, which both implementations place at offset 0).
 */
struct mem_case {
	enum io_pgtable_fmt fmt;
	struct io_pgtable_cfg cfg;
	u64 iova;
	size_t pgsize, count;
	u64 iova2;	/* v7s: a second page in another section (0: none) */
};

static size_t measure_bytes(const struct impl *impl, const struct mem_case *mc,
			    size_t *second)
{
	bool v7s = mc->fmt == ARM_V7S;
	size_t before = shim_live_bytes(), after, priv;
	struct pt pt;

	pt_alloc(&pt, impl, mc->fmt, &mc->cfg);
	pt_map_range(&pt, mc->iova, v7s ? pa32_of(mc->iova) : pa_of(mc->iova),
		     mc->pgsize, mc->count);
	pt_check_range(&pt, mc->iova, mc->pgsize, mc->count, true, v7s, "bytes");
	after = shim_live_bytes();
	priv = shim_footprint(io_pgtable_ops_to_pgtable(pt.ops));
	if (second && mc->iova2) {
		pt_map_range(&pt, mc->iova2, v7s ? pa32_of(mc->iova2) : pa_of(mc->iova2),
			     SZ_4K, 1);
		*second = shim_live_bytes() - after;
	}
	pt_free(&pt);
	if (shim_live_bytes() != before)
		fprintf(stderr, "bench: %s leaks %zd bytes over alloc/free\n",
			impl->name, (ssize_t)(shim_live_bytes() - before));
	return after - before - priv;
}

/* ------------------------------------------------------------------ */
/* the table                                                           */
/* ------------------------------------------------------------------ */

static void hdr(void)
{
	printf("%-44s %12s %12s %9s  %-34s %s\n", "workload", "ours",
	       "upstream", "ratio", "target", "");
	printf("%.*s\n", 118, "--------------------------------------------------------------------------------------------------------------------------------------");
}

/* a time row: ratio = upstream / ours (how many times faster ours is) */
static void row_time(const char *name, struct timing *t, double want)
{
	double r = ratio(t, UPSTREAM, OURS);
	char tgt[64] = "";

	if (want > 0)
		snprintf(tgt, sizeof(tgt), ">= %.1fx faster", want);
	printf("%-44s %12.2f %12.2f %8.2fx  %-34s %s\n", name, med(t, OURS),
	       med(t, UPSTREAM), r, tgt,
	       want > 0 ? (r >= want ? "PASS" : "MISS") : "");
}

static void fmt_bytes(char *buf, size_t n, size_t b)
{
	if (b >= 10 * 1024)
		snprintf(buf, n, "%.1f KiB", b / 1024.0);
	else
		snprintf(buf, n, "%zu B", b);
}

static void section(const char *s)
{
	printf("%s\n", s);
}

/* --only NAME: run one workload (for a profiler), print nothing */
static const char *only;
/* --ours VERSION: which of our sources were built (printed only) */
static const char *ours_version;


static bool run(const char *name)
{
	return !only || !strcmp(only, name);
}

/* ------------------------------------------------------------------ */
/* the contiguous hint: a TLB model and the cost of runs               */
/* ------------------------------------------------------------------ */

/*
 * A TLB model: the entries a walker needs to hold the whole of what is
 * mapped, each leaf one, a contiguous run one for all its entries. The
 * tables are read by the reference walker (which calls an inconsistent
 * run malformed: the bench then fails).
 */
struct tlb_model {
	u64 leaves, entries, bytes, malformed, calls;
};

static int tlb_model_leaf(void *arg, u64 iova,
			  const struct arm_lpae_ref_leaf *l)
{
	struct tlb_model *m = arg;
	u64 run;

	if (l->malformed) {
		m->malformed++;
		return 0;
	}
	m->leaves++;
	m->bytes += l->size;
	run = l->size << arm_lpae_ref_run_bits(12, l->level);
	/* a run is one entry: counted at its first */
	if (!l->contiguous || !(iova & (run - 1)))
		m->entries++;
	return 0;
}

static void tlb_model_count(struct pt *pt, struct tlb_model *m)
{
	struct arm_lpae_ref ref = {
		.stage		= ARM_LPAE_REF_S1,
		.granule_shift	= 12,
		.ias		= pt->cfg.ias,
		.start_level	= arm_lpae_ref_min_start_level(12, pt->cfg.ias),
		.pgd		= pt->cfg.arm_lpae_s1_cfg.ttbr & 0x0000ffffffffffc0ull,
		.mair		= pt->cfg.arm_lpae_s1_cfg.mair,
	};
	struct arm_lpae_ref_visitor v = { .leaf = tlb_model_leaf, .arg = m };

	m->leaves = m->entries = m->bytes = m->malformed = 0;
	arm_lpae_ref_for_each(&ref, &v);
}

#define DMA_TRAFFIC_SEED	0xd4a7aff1c5eedull
#define DMA_TRAFFIC_REQS	2048

static u64 dma_rnd_state;

/*
 * iommu_pgsize() of 6.12: the largest size in @bitmap that fits @size and
 * both addresses' alignment; as many of it as there are before the next
 * larger size could be used, which is only when @iova and @pa sit at the
 * same offset in it.
 */
static size_t dma_pgsize(unsigned long bitmap, u64 iova, u64 pa, u64 size,
			 size_t *count)
{
	u64 merge = iova | pa, sizes = bitmap & GENMASK_ULL(__fls(size), 0);
	unsigned int shift;

	if (merge)
		sizes &= GENMASK_ULL(__ffs(merge), 0);
	shift = __fls(sizes);
	sizes = bitmap & ~GENMASK_ULL(shift, 0);
	if (sizes) {
		u64 next = 1ull << __ffs(sizes);
		u64 to_next = next - (merge & (next - 1));

		if (!((iova ^ pa) & (next - 1)) && to_next + next <= size)
			size = to_next;
	}
	*count = size >> shift;
	return 1ull << shift;
}

static u64 dma_rnd(void)
{
	dma_rnd_state ^= dma_rnd_state >> 12;
	dma_rnd_state ^= dma_rnd_state << 25;
	dma_rnd_state ^= dma_rnd_state >> 27;
	return dma_rnd_state * 0x2545f4914f6cdd1dull;
}

/*
 * DMA-API-shaped traffic from a kernel of PAGE_SIZE pages, the same
 * requests whatever PAGE_SIZE: 60% single buffers (dma_map_single/page),
 * 40% scatterlists of 2 to 16 buffers; each buffer 4K << (0..9) plus up to
 * as much again, at most 2M, rounded up to whole CPU pages (the DMA API
 * maps pages), physically contiguous and aligned as the buddy allocator
 * gives it (to its size rounded up to a power of two). A request's IOVA is
 * aligned to its length rounded up to a power of two (the IOVA allocator's
 * size_aligned), its buffers follow each other, and each is mapped as
 * iommu_map() does, with the configuration's pgsize_bitmap. Returns the
 * bytes mapped.
 */
static u64 dma_traffic(struct pt *pt, unsigned long *calls)
{
	u64 iova_next = 1ull << 32, total = 0;

	dma_rnd_state = DMA_TRAFFIC_SEED;
	*calls = 0;
	for (int i = 0; i < DMA_TRAFFIC_REQS; i++) {
		unsigned int nseg = dma_rnd() % 10 < 6 ? 1 : 2 + dma_rnd() % 15;
		u64 seg[16], pa[16], len = 0, iova;

		for (unsigned int s = 0; s < nseg; s++) {
			u64 b = SZ_4K << (dma_rnd() % 10), align;

			b = min_t(u64, b + (dma_rnd() % b & ~(u64)(SZ_4K - 1)),
				  SZ_2M);
			seg[s] = ALIGN(b, PAGE_SIZE);
			align = roundup_pow_of_two(seg[s]);
			pa[s] = (dma_rnd() & ((1ull << 39) - 1) & ~(align - 1)) |
				(1ull << 39);
			len += seg[s];
		}
		iova = ALIGN(iova_next, roundup_pow_of_two(len));
		iova_next = iova + len;
		for (unsigned int s = 0; s < nseg; s++) {
			u64 a = iova, p = pa[s], left = seg[s];

			while (left) {
				size_t count, mapped = 0;
				size_t pgsize = dma_pgsize(pt->cfg.pgsize_bitmap,
							   a, p, left, &count);

				if (pt->ops->map_pages(pt->ops, a, p, pgsize,
						       count, PROT, GFP_KERNEL,
						       &mapped) || !mapped)
					die("DMA traffic: map failed");
				(*calls)++;
				a += mapped;
				p += mapped;
				left -= mapped;
			}
			if (pt->ops->iova_to_phys(pt->ops, iova) != pa[s] ||
			    pt->ops->iova_to_phys(pt->ops, iova + seg[s] - 1) !=
			    pa[s] + seg[s] - 1)
				die("DMA traffic: wrong translation");
			iova += seg[s];
			total += seg[s];
		}
	}
	return total;
}

/* The TLB entries the traffic needs, without the hint [0] and with it [1]. */
static void tlb_model_run(struct tlb_model m[2])
{
	for (int hint = 0; hint < 2; hint++) {
		struct io_pgtable_cfg cfg = lpae_cfg(48);
		unsigned long calls;
		struct pt pt;
		u64 bytes;

		if (hint)
			cfg.quirks |= IO_PGTABLE_QUIRK_ARM_CONTIG;
		pt_alloc(&pt, &impls[OURS], ARM_64_LPAE_S1, &cfg);
		bytes = dma_traffic(&pt, &calls);
		tlb_model_count(&pt, &m[hint]);
		m[hint].calls = calls;
		if (m[hint].malformed || m[hint].bytes != bytes)
			die("TLB model: malformed run or bytes missing");
		pt_free(&pt);
	}
}

/*
 * Map and unmap cost of runs against the same bytes without the hint,
 * ours both times, in tables kept present by a page in the last 64K of
 * each 2M: @nbuf buffers of @size (64K, or 32M at 1 << 36), one iommu_map()
 * and one iommu_unmap() each, in IOVA order. ns per @unit.
 */
struct contig_cost {
	struct timing map, unmap;	/* [OURS] with the hint, [UPSTREAM] without */
	unsigned long add_page[2];	/* per buffer unmapped */
};

static void contig_cost(u64 base, u64 size, unsigned int nbuf, u64 unit,
			struct contig_cost *cc)
{
	struct pt pt[2];
	u64 stride = size == SZ_64K ? SZ_64K : size;

	for (int hint = 0; hint < 2; hint++) {
		struct io_pgtable_cfg cfg = lpae_cfg(48);

		if (hint)
			cfg.quirks |= IO_PGTABLE_QUIRK_ARM_CONTIG;
		pt_alloc(&pt[hint], &impls[OURS], ARM_64_LPAE_S1, &cfg);
		/* sentinels: the tables stay whatever the rows unmap */
		for (u64 a = base; a < base + (u64)nbuf * stride * 32 / 31 + SZ_2M;
		     a += SZ_2M)
			if (size == SZ_64K &&
			    vb_map(&pt[hint], a + SZ_2M - SZ_64K,
				   pa_of(a + SZ_2M - SZ_64K), SZ_4K))
				die("contig: sentinel");
	}
	for (int rep = -1; rep < NREPS; rep++) {
		for (int hint = 1; hint >= 0; hint--) {
			struct pt *p = &pt[hint];
			int k = hint ? OURS : UPSTREAM;
			u64 t0, t1, a;
			unsigned int i;

			t0 = now_ns();
			for (i = 0, a = base; i < nbuf; i++, a += stride) {
				if (size == SZ_64K && (a & (SZ_2M - 1)) ==
				    SZ_2M - SZ_64K)
					a += SZ_64K;	/* the sentinel */
				if (vb_map(p, a, pa_of(a), size))
					die("contig: map failed");
			}
			t1 = now_ns();
			pt_check(p, base + 5, pa_of(base + 5), "contig map");
			pt_check(p, a - 8, pa_of(a - 8), "contig map");
			nr_add_page = 0;
			for (i = 0, a = base; i < nbuf; i++, a += stride) {
				if (size == SZ_64K && (a & (SZ_2M - 1)) ==
				    SZ_2M - SZ_64K)
					a += SZ_64K;
				if (vb_unmap(p, a, size) != size)
					die("contig: unmap failed");
			}
			if (rep >= 0) {
				cc->map.v[k][rep] = (t1 - t0) /
					((double)nbuf * size / unit);
				cc->unmap.v[k][rep] = (now_ns() - t1) /
					((double)nbuf * size / unit);
			}
			cc->add_page[hint] = nr_add_page / nbuf;
			pt_check(p, base + 5, ~0ull, "contig unmap");
		}
	}
	pt_free(&pt[0]);
	pt_free(&pt[1]);
}

/*
 * Unmapping one entry out of a run: break-before-make of the run (entries
 * invalid, synced, the run's range flushed entry by entry, rewritten
 * without the hint) before the entry goes, against the same unmap in
 * plain entries. @nrun runs of @size (64K or 32M), the entry is @es (4K or
 * 2M); the map of the runs is not timed. ns per partial unmap, and the
 * walk flushes and their one-granule commands.
 */
struct contig_break {
	struct timing t;		/* [OURS] run, [UPSTREAM] plain */
	double walks, cmds;		/* per break */
};

static void contig_break(u64 base, u64 size, u64 es, unsigned int nrun,
			 struct contig_break *cb)
{
	for (int rep = -1; rep < NREPS; rep++) {
		for (int hint = 1; hint >= 0; hint--) {
			struct io_pgtable_cfg cfg = lpae_cfg(48);
			struct iommu_iotlb_gather g;
			struct pt pt;
			u64 t0;

			if (hint)
				cfg.quirks |= IO_PGTABLE_QUIRK_ARM_CONTIG;
			pt_alloc(&pt, &impls[OURS], ARM_64_LPAE_S1, &cfg);
			for (unsigned int i = 0; i < nrun; i++)
				if (vb_map(&pt, base + i * size,
					   pa_of(base + i * size), size))
					die("contig break: map failed");
			nr_flush_walk = nr_walk_cmds = 0;
			iommu_iotlb_gather_init(&g);
			t0 = now_ns();
			for (unsigned int i = 0; i < nrun; i++)
				if (pt.ops->unmap_pages(pt.ops,
							base + i * size + 3 * es,
							es, 1, &g) != es)
					die("contig break: unmap failed");
			if (rep >= 0)
				cb->t.v[hint ? OURS : UPSTREAM][rep] =
					(now_ns() - t0) / (double)nrun;
			if (hint) {
				cb->walks = (double)nr_flush_walk / nrun;
				cb->cmds = (double)nr_walk_cmds / nrun;
			}
			pt_check(&pt, base + 3 * es, ~0ull, "contig break");
			pt_check(&pt, base + 4 * es, pa_of(base + 4 * es),
				 "contig break");
			pt_free(&pt);
		}
	}
}

/* A row of the hint: with, without, without/with. */
static void contig_row(const char *name, struct timing *t, const char *info)
{
	printf("%-44s %12.2f %12.2f %8.2fx  %s\n", name, med(t, OURS),
	       med(t, UPSTREAM), ratio(t, UPSTREAM, OURS), info);
}

/*
 * Lazy mode (dma-iommu's flush queue): unmap 1 GiB of 4K pages in 2M
 * pieces, one queued gather per piece as __iommu_dma_unmap() makes them.
 * Ours defers each leaf table to the gather's freelist, and the "flush
 * queue" here does what dma-iommu's does later (tlb_flush_all, then
 * iommu_put_pages_list(), timed too); today's path (ours with the
 * deferral out of reach: a strict gather, which takes the same road for a
 * whole table) flushes the walk and frees each table at once; 6.12
 * clears the 512 leaves and keeps the table. Prints its own section.
 */
static void bench_lazy_unmap(void)
{
	enum { LAZY, TODAY, UP6, NR_LAZY };
	static const char *const name[NR_LAZY] = {
		"ours, queued gather (deferred frees)",
		"ours, today's path (walk flush + free)",
		"6.12, queued gather (tables kept)",
	};
	const u64 base = 1ull << 32;
	const size_t per = SZ_2M / SZ_4K, pieces = SZ_1G / SZ_2M;
	unsigned long walks[NR_LAZY], alls[NR_LAZY], deferred[NR_LAZY];
	double v[NR_LAZY][NREPS];

	for (int rep = -1; rep < NREPS; rep++) {
		for (int k = 0; k < NR_LAZY; k++) {
			struct io_pgtable_cfg cfg = lpae_cfg(48);
			unsigned long ndef = 0;
			struct pt pt;
			u64 t0;

			pt_alloc(&pt, &impls[k == UP6 ? UPSTREAM : OURS],
				 ARM_64_LPAE_S1, &cfg);
			pt_map_range(&pt, base, pa_of(base), SZ_4K,
				     SZ_1G / SZ_4K);
			nr_flush_walk = nr_flush_all = 0;
			t0 = now_ns();
			for (size_t i = 0; i < pieces; i++) {
				struct iommu_iotlb_gather g;
				struct page *pg;

				iommu_iotlb_gather_init(&g);
				g.queued = k != TODAY;
				if (pt.ops->unmap_pages(pt.ops, base + i * SZ_2M,
							SZ_4K, per, &g) != SZ_2M)
					die("lazy unmap failed");
				if (list_empty(&g.freelist))
					continue;
				list_for_each_entry(pg, &g.freelist, lru)
					ndef++;
				bench_flush_ops.tlb_flush_all(NULL);
				iommu_put_pages_list(&g.freelist);
			}
			if (rep >= 0)
				v[k][rep] = (now_ns() - t0) / (double)pieces;
			walks[k] = nr_flush_walk;
			alls[k] = nr_flush_all;
			deferred[k] = ndef;
			pt_check_range(&pt, base, SZ_4K, SZ_1G / SZ_4K, false,
				       false, "lazy unmap");
			pt_free(&pt);
		}
	}

	section("lazy-mode unmap of whole tables: 1 GiB of 4K in 2M pieces   [ns per 2M piece]");
	for (int k = 0; k < NR_LAZY; k++)
		printf("%-44s %12.2f   tlb_flush_walk %lu, tlb_flush_all %lu, tables deferred %lu\n",
		       name[k], median(v[k], NREPS), walks[k], alls[k],
		       deferred[k]);
	printf("synchronous tlb_flush_walk calls avoided per GiB: %lu (each a command and a wait on an SMMU)\n",
	       walks[TODAY] - walks[LAZY]);
}

/* ------------------------------------------------------------------ */
/* emptied tables (IO_PGTABLE_QUIRK_ARM_RECLAIM)                       */
/* ------------------------------------------------------------------ */

/*
 * Our io-pgtable-arm.c as it was before the reclaim (the Makefile's
 * BEFORE, renamed before_*), and as it is with a free RCU read side
 * (norcu_*): NULL (weak) when not built.
 */
extern struct io_pgtable_init_fns before_arm_64_lpae_s1_init_fns __weak;
extern struct io_pgtable_init_fns norcu_arm_64_lpae_s1_init_fns __weak;
static const char *before_version;

/* What alloc_io_pgtable_ops() does around the format's alloc(). */
static struct io_pgtable_ops *alloc_with(const struct io_pgtable_init_fns *fns,
					 enum io_pgtable_fmt fmt,
					 struct io_pgtable_cfg *cfg,
					 void *cookie)
{
	struct io_pgtable *iop;

	if (fmt != ARM_64_LPAE_S1 || !fns)
		return NULL;
	iop = fns->alloc(cfg, cookie);
	if (!iop)
		return NULL;
	iop->fmt = fmt;
	iop->cookie = cookie;
	iop->cfg = *cfg;
	return &iop->ops;
}

static struct io_pgtable_ops *before_alloc(enum io_pgtable_fmt fmt,
					   struct io_pgtable_cfg *cfg,
					   void *cookie)
{
	return alloc_with(&before_arm_64_lpae_s1_init_fns, fmt, cfg, cookie);
}

static struct io_pgtable_ops *norcu_alloc(enum io_pgtable_fmt fmt,
					  struct io_pgtable_cfg *cfg,
					  void *cookie)
{
	return alloc_with(&norcu_arm_64_lpae_s1_init_fns, fmt, cfg, cookie);
}

/* ... and free_io_pgtable_ops() (the format is LPAE stage 1 here) */
static void before_free(struct io_pgtable_ops *ops)
{
	struct io_pgtable *iop = io_pgtable_ops_to_pgtable(ops);

	io_pgtable_tlb_flush_all(iop);
	before_arm_64_lpae_s1_init_fns.free(iop);
}

static void norcu_free(struct io_pgtable_ops *ops)
{
	struct io_pgtable *iop = io_pgtable_ops_to_pgtable(ops);

	io_pgtable_tlb_flush_all(iop);
	norcu_arm_64_lpae_s1_init_fns.free(iop);
}

static const struct impl before_impl = { "ours before", before_alloc,
					 before_free };
static const struct impl norcu_impl = { "ours, free RCU read side",
					norcu_alloc, norcu_free };

/* The tables reachable from @ttbr (4K granule, stage 1), the top included. */
static unsigned long raw_lpae4k_tables(const u64 *table, unsigned int lvl,
				       unsigned int n)
{
	unsigned long count = 1;

	if (lvl == 3)
		return count;
	for (unsigned int i = 0; i < n; i++)
		if ((table[i] & 3) == 3)
			count += raw_lpae4k_tables((const u64 *)(uintptr_t)
						   (table[i] & LPAE_ADDR_MASK),
						   lvl + 1, 512);
	return count;
}

static unsigned long pt_count_tables(struct pt *pt)
{
	unsigned int ias = pt->cfg.ias, levels = (ias - 12 + 8) / 9;
	unsigned int top = ias - (12 + 9 * (levels - 1));

	return raw_lpae4k_tables((const u64 *)(uintptr_t)
				 (pt->cfg.arm_lpae_s1_cfg.ttbr &
				  0x0000ffffffffffc0ull),
				 4 - levels, 1u << top);
}

/*
 * The per-repetition ratios @a / @b: their median, and in @lo and @hi
 * their middle half (the 25th and 75th percentiles), for how noisy.
 */
static double ratio_spread(const double *a, const double *b, double *lo,
			   double *hi)
{
	double r[NREPS];

	for (int i = 0; i < NREPS; i++)
		r[i] = a[i] / b[i];
	qsort(r, NREPS, sizeof(*r), cmp_double);
	*lo = r[NREPS / 4];
	*hi = r[NREPS - 1 - NREPS / 4];
	return r[NREPS / 2];
}

enum { RC_UP, RC_OFF, RC_ON, RC_NR };

static const char *const rc_name[RC_NR] = {
	"6.12", "ours, no quirk", "ours, ARM_RECLAIM",
};

static void rc_pt_alloc(struct pt *pt, int k)
{
	struct io_pgtable_cfg cfg = lpae_cfg(48);

	if (k == RC_ON)
		cfg.quirks |= IO_PGTABLE_QUIRK_ARM_RECLAIM;
	pt_alloc(pt, &impls[k == RC_UP ? UPSTREAM : OURS], ARM_64_LPAE_S1,
		 &cfg);
}

#define RC_SEED		0x7265636c61696dull	/* "reclaim": the shuffle */

/* Grace periods as long as this many unmaps, for the kernel-like rows */
static const size_t rc_gp_unmaps[] = { 1024, 16384 };

/* One page-by-page unmap of 1 GiB, and what it left. */
struct rc_gib {
	double ns[NREPS];
	unsigned long tables, walks, cmds, add_page;
	size_t bytes, bytes_max;
	/*
	 * @gp: after a grace period and one more map and unmap elsewhere,
	 * and after as many more as change anything (@rounds of them)
	 */
	unsigned long tables_later, tables_end, rounds;
	size_t bytes_later, bytes_end;
};

/*
 * Map 1 GiB of 4K pages at @base (untimed), then unmap it one page per
 * call in the order of @order (page indices), each call with a fresh
 * non-queued gather, as iommu_unmap() makes one for dma-iommu's strict
 * mode; time the unmaps and see what table memory is left before the
 * io-pgtable is freed.
 *
 * @gp: 0, or a grace period that lasts @gp unmaps: the bench stays in a
 * read-side section of its own over each @gp unmaps, so that a cookie
 * taken inside one elapses only at the first unmap after it. Then, the
 * last grace period over, one page at @base + 2 GiB is mapped and
 * unmapped (the next DMA mapping of the device), and what is left after
 * that is what stays.
 */
static void rc_unmap_gib(int k, u64 base, const u32 *order, size_t gp,
			 int rep, struct rc_gib *res)
{
	const size_t n = SZ_1G / SZ_4K;
	size_t before = shim_live_bytes(), left;
	struct pt pt;
	u64 t0;

	rc_pt_alloc(&pt, k);
	pt_map_range(&pt, base, pa_of(base), SZ_4K, n);
	nr_flush_walk = nr_walk_cmds = nr_add_page = 0;
	t0 = now_ns();
	for (size_t i = 0; i < n; i++) {
		struct iommu_iotlb_gather g;

		if (gp && i % gp == 0) {
			if (i)
				rcu_read_unlock();
			rcu_read_lock();
		}
		iommu_iotlb_gather_init(&g);
		if (unlikely(pt.ops->unmap_pages(pt.ops, base +
						 (u64)order[i] * SZ_4K, SZ_4K,
						 1, &g) != SZ_4K))
			die("page-by-page unmap failed");
	}
	if (gp)
		rcu_read_unlock();
	if (rep >= 0)
		res->ns[rep] = (double)(now_ns() - t0) / n;
	pt_check_range(&pt, base, SZ_4K, n, false, false, "page-by-page unmap");
	left = shim_live_bytes() - before -
	       shim_footprint(io_pgtable_ops_to_pgtable(pt.ops));
	if (rep <= 0 || left > res->bytes_max)
		res->bytes_max = left;
	res->bytes = left;
	res->tables = pt_count_tables(&pt);
	res->walks = nr_flush_walk;
	res->cmds = nr_walk_cmds;
	res->add_page = nr_add_page;
	for (size_t r = 0; gp && r < 64; r++) {
		u64 va = base + SZ_2G;
		struct iommu_iotlb_gather g;
		size_t mapped = 0, was = res->bytes_end;

		if (pt.ops->map_pages(pt.ops, va, pa_of(va), SZ_4K, 1, PROT,
				      GFP_ATOMIC, &mapped))
			die("map after the page-by-page unmap failed");
		iommu_iotlb_gather_init(&g);
		if (pt.ops->unmap_pages(pt.ops, va, SZ_4K, 1, &g) != SZ_4K)
			die("unmap after the page-by-page unmap failed");
		res->bytes_end = shim_live_bytes() - before -
			shim_footprint(io_pgtable_ops_to_pgtable(pt.ops));
		res->tables_end = pt_count_tables(&pt);
		if (!r) {
			res->bytes_later = res->bytes_end;
			res->tables_later = res->tables_end;
		} else if (res->bytes_end == was) {
			break;
		}
		res->rounds = r + 1;
	}
	pt_free(&pt);
}

/*
 * Emptied tables (issue 9, part 2): the table memory a page-by-page unmap
 * of 1 GiB leaves, in IOVA order and shuffled; what the reclaim costs per
 * unmap and in walk flushes; and the single 4K map/unmap of the DMA API
 * with and without the quirk against ours before the reclaim. Prints its
 * own section.
 */
static void bench_reclaim(void)
{
	enum { SEQ, SHUF, NR_ORDER };
	static const char *const oname[NR_ORDER] = { "IOVA order", "shuffled" };
	const u64 base = 1ull << 32;
	const size_t n = SZ_1G / SZ_4K;
	static struct rc_gib g[NR_ORDER][RC_NR];
	u32 *order[NR_ORDER];

	for (int o = 0; o < NR_ORDER; o++) {
		order[o] = malloc(n * sizeof(*order[o]));
		if (!order[o])
			die("out of memory");
		for (size_t i = 0; i < n; i++)
			order[o][i] = i;
	}
	/* the same shuffle on every run, whatever ran before */
	u64 saved = rnd_state;

	rnd_state = RC_SEED;
	for (size_t i = n - 1; i > 0; i--) {
		size_t j = rnd() % (i + 1);
		u32 t = order[SHUF][i];

		order[SHUF][i] = order[SHUF][j];
		order[SHUF][j] = t;
	}
	rnd_state = saved;
	for (int rep = -1; rep < NREPS; rep++)
		for (int o = 0; o < NR_ORDER; o++)
			for (int k = 0; k < RC_NR; k++)
				rc_unmap_gib(k, base, order[o], 0, rep, &g[o][k]);
	/*
	 * Untimed: grace periods as long as rc_gp_unmaps[] unmaps. The shim's
	 * poll runs membarrier() each time unless readers fence themselves;
	 * with slots waiting, every unmap polls each, so readers fence
	 * meanwhile (the bench is one thread: nothing else changes).
	 */
	static struct rc_gib lg[NR_ORDER][ARRAY_SIZE(rc_gp_unmaps)];
	int fence = shim_rcu_fence;

	shim_rcu_fence = 1;
	for (int o = 0; o < NR_ORDER; o++)
		for (size_t j = 0; j < ARRAY_SIZE(rc_gp_unmaps); j++)
			rc_unmap_gib(RC_ON, base, order[o], rc_gp_unmaps[j], -1,
				     &lg[o][j]);
	shim_rcu_fence = fence;
	for (int o = 0; o < NR_ORDER; o++)
		free(order[o]);

	/* the single 4K map / unmap rows: before, without, with the quirk */
	enum { SG_BEFORE, SG_NORCU, SG_OFF, SG_ON, SG_NR };
	static const char *const sname[SG_NR] = {
		"before", "free RCU", "no quirk", "ARM_RECLAIM",
	};
	struct single_ctx c = {
		.base = 1ull << 32, .ntables = 256, .per_table = 511,
		.table_span = SZ_2M,
	};
	bool have[SG_NR] = {
		[SG_BEFORE] = &before_arm_64_lpae_s1_init_fns != NULL,
		[SG_NORCU] = &norcu_arm_64_lpae_s1_init_fns != NULL,
		[SG_OFF] = true, [SG_ON] = true,
	};
	static double sm[SG_NR][NREPS], su[SG_NR][NREPS];
	struct pt pt[SG_NR];

	for (int k = 0; k < SG_NR; k++) {
		struct io_pgtable_cfg cfg = lpae_cfg(48);

		if (!have[k])
			continue;
		if (k == SG_ON)
			cfg.quirks |= IO_PGTABLE_QUIRK_ARM_RECLAIM;
		pt_alloc(&pt[k], k == SG_BEFORE ? &before_impl :
			 k == SG_NORCU ? &norcu_impl : &impls[OURS],
			 ARM_64_LPAE_S1, &cfg);
		single_setup(&pt[k], &c);
	}
	for (int rep = -1; rep < NREPS; rep++) {
		/* each in turn first, so that none always follows another */
		for (int j = 0; j < SG_NR; j++) {
			int k = (j + rep + SG_NR) % SG_NR;
			double m, u;

			if (!have[k])
				continue;
			single_round(&pt[k], &c, &m, &u);
			if (rep >= 0) {
				sm[k][rep] = m;
				su[k][rep] = u;
			}
		}
	}
	for (int k = 0; k < SG_NR; k++)
		if (have[k])
			pt_free(&pt[k]);

	section("emptied tables (IO_PGTABLE_QUIRK_ARM_RECLAIM): 1 GiB of 4K, mapped, then unmapped one page per call,");
	section("  each with a fresh strict gather (dma-iommu's); what is left before free_io_pgtable_ops()");
	printf("  %-42s %8s %12s %10s %9s %9s\n", "", "tables", "table bytes",
	       "ns/unmap", "walks", "add_page");
	for (int o = 0; o < NR_ORDER; o++) {
		for (int k = 0; k < RC_NR; k++) {
			char name[64], b[32];

			snprintf(name, sizeof(name), "%s, %s", rc_name[k], oname[o]);
			fmt_bytes(b, sizeof(b), g[o][k].bytes);
			printf("  %-42s %8lu %12s %10.2f %9lu %9lu %s\n", name,
			       g[o][k].tables, b, median(g[o][k].ns, NREPS),
			       g[o][k].walks, g[o][k].add_page,
			       k != RC_ON ? "" :
			       g[o][k].tables == 1 && g[o][k].bytes_max <= SZ_4K ?
			       "only the PGD: PASS" : "only the PGD: MISS");
			if (g[o][k].bytes_max != g[o][k].bytes)
				printf("  (table bytes varied between repetitions: up to %zu)\n",
				       g[o][k].bytes_max);
		}
	}
	for (int o = 0; o < NR_ORDER; o++) {
		struct rc_gib *on = &g[o][RC_ON], *off = &g[o][RC_OFF];
		unsigned long gone = off->tables - on->tables;
		double lo, hi, md = ratio_spread(on->ns, off->ns, &lo, &hi);

		printf("  reclaim, %-10s: %lu tables returned, %lu tlb_flush_walk added (%.2f per table,\n"
		       "    %lu commands of a one-granule-per-command SMMU); unmap %.2fx the time without\n"
		       "    (per-repetition ratios: median %.2fx, middle half %.2f-%.2fx)\n",
		       oname[o], gone, on->walks - off->walks,
		       gone ? (double)(on->walks - off->walks) / gone : 0.0,
		       on->cmds - off->cmds,
		       median(on->ns, NREPS) / median(off->ns, NREPS), md, lo,
		       hi);
	}

	section("  kernel-like: each grace period lasts GP unmaps; left right after the loop, then after the last");
	section("  grace period and one more map and unmap of a page 2 GiB on (a device's next DMA mapping), and");
	section("  after as many more (a grace period, a map and an unmap each) as change anything");
	for (int o = 0; o < NR_ORDER; o++)
		for (size_t j = 0; j < ARRAY_SIZE(rc_gp_unmaps); j++) {
			char name[80], b[32], info[96];

			snprintf(name, sizeof(name), "ARM_RECLAIM, %s, GP %zu unmaps",
				 oname[o], rc_gp_unmaps[j]);
			fmt_bytes(b, sizeof(b), lg[o][j].bytes);
			snprintf(info, sizeof(info),
				 "then %lu, %zu KiB; after %lu: %lu, %zu KiB",
				 lg[o][j].tables_later,
				 lg[o][j].bytes_later / 1024, lg[o][j].rounds,
				 lg[o][j].tables_end,
				 lg[o][j].bytes_end / 1024);
			printf("  %-42s %8lu %12s %10s %9lu %9lu %s\n", name,
			       lg[o][j].tables, b, "untimed", lg[o][j].walks,
			       lg[o][j].add_page, info);
		}
	section("  map fast path: single 4K map / unmap, pgcount 1, GFP_ATOMIC (the rows of the table), ours");
	printf("  %-30s", "  [ns/op]");
	for (int k = 0; k < SG_NR; k++)
		printf(" %11s", k == SG_BEFORE && before_version ?
		       before_version : sname[k]);
	printf("   ratio to %s (middle half)\n", before_version ?
	       before_version : "before");
	for (int r = 0; r < 2; r++) {
		double (*v)[NREPS] = r ? su : sm;

		printf("  %-30s", r ? "single 4K unmap (ns/op)" :
				      "single 4K map (ns/op)");
		for (int k = 0; k < SG_NR; k++) {
			if (have[k])
				printf(" %11.2f", median(v[k], NREPS));
			else
				printf(" %11s", "-");
		}
		for (int k = SG_NORCU; k < SG_NR && have[SG_BEFORE]; k++) {
			double lo, hi, md;

			if (!have[k])
				continue;
			md = ratio_spread(v[k], v[SG_BEFORE], &lo, &hi);
			printf("  %.2fx (%.2f-%.2f)", md, lo, hi);
		}
		printf("\n");
	}
	if (!have[SG_BEFORE])
		printf("  (ours before the reclaim was not built: no git, or no such commit)\n");
	printf("  (ratio: median of the per-repetition ratios, in brackets their middle half; the four\n"
	       "   run in turn in each of %d repetitions; free RCU: ours with rcu_read_lock() a compiler\n"
	       "   barrier, as without CONFIG_PREEMPT_COUNT; both rows never empty a table)\n", NREPS);
}

int main(int argc, char **argv)
{
	const char *p64k = NULL;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--page64k") && i + 1 < argc) {
			p64k = argv[++i];
		} else if (!strcmp(argv[i], "--ours") && i + 1 < argc) {
			ours_version = argv[++i];
		} else if (!strcmp(argv[i], "--before") && i + 1 < argc) {
			before_version = argv[++i];
		} else if (!strcmp(argv[i], "--verbose")) {
			verbose = true;
		} else if (!strcmp(argv[i], "--only") && i + 1 < argc) {
			only = argv[++i];
		} else {
			fprintf(stderr, "usage: %s [--page64k FILE] [--ours VERSION] [--before VERSION] [--verbose] [--only single|lookup|bulk|fresh|blocks|lazy|reclaim|contig|v7s-single|v7s-lookup|v7s-bulk|v7s-fresh|v7s-sections|split|vmbind]\n",
				argv[0]);
			return 1;
		}
	}
	/*
	 * Stay on one CPU: a migration in the middle of a repetition would
	 * charge cold caches to whichever implementation was running.
	 */
	{
		cpu_set_t set;
		int cpu = sched_getcpu();

		CPU_ZERO(&set);
		CPU_SET(cpu < 0 ? 0 : cpu, &set);
		sched_setaffinity(0, sizeof(set), &set);
	}
	shim_warn_quiet(false);
	bench_dev = shim_device_create("bench-iommu");

#if PAGE_SHIFT != 12
	(void)p64k;
	/*
	 * The 64K-page build: only table memory for a 4K granule, printed as
	 * "key ours upstream" lines for the 4K build to put into its table.
	 */
	{
		struct mem_case one = {
			.fmt = ARM_64_LPAE_S1, .cfg = lpae_cfg(48),
			.iova = 1ull << 32, .pgsize = SZ_4K, .count = 1,
		};
		struct mem_case gib = one;

		gib.count = SZ_1G / SZ_4K;
		printf("p64k-one-page-ias48 %zu %zu\n",
		       measure_bytes(&impls[OURS], &one, NULL),
		       measure_bytes(&impls[UPSTREAM], &one, NULL));
		printf("p64k-1g-4k %zu %zu\n",
		       measure_bytes(&impls[OURS], &gib, NULL),
		       measure_bytes(&impls[UPSTREAM], &gib, NULL));
	}
	/* the TLB model on a 64K-page kernel's DMA traffic: plain, hinted */
	{
		struct tlb_model m[2];

		tlb_model_run(m);
		printf("p64k-tlb-entries %llu %llu\n", m[0].entries, m[1].entries);
		printf("p64k-tlb-leaves %llu %llu\n", m[0].leaves, m[1].leaves);
		printf("p64k-tlb-bytes %llu %llu\n", m[0].bytes, m[1].bytes);
		printf("p64k-tlb-calls %llu %llu\n", m[0].calls, m[1].calls);
		if (shim_fail_count())
			return 2;
		return 0;
	}
#else
	struct timing smap, sunmap, bmap, bunmap, fmap, funmap, blkmap, blkunmap,
		      lookup;
	struct bulk_stats bst[NR_IMPLS], fst[NR_IMPLS], blkst[NR_IMPLS];

	(void)fst;
	double floor_alloc;
	u64 t_start = wall_ns();
	char b1[32], b2[32], tgt[64];

	lookup_iovas = malloc(NLOOKUPS * sizeof(*lookup_iovas));
	if (!lookup_iovas)
		die("out of memory");
	for (int i = 0; i < 512; i++)
		floor_tables[i] = floor_table();

	/* LPAE: ARM_64_LPAE_S1, 4K granule, ias 48, coherent walker */
	{
		struct single_ctx c = {
			.base = 1ull << 32, .ntables = 256, .per_table = 511,
			.table_span = SZ_2M,
		};

		if (run("single"))
			bench_single(ARM_64_LPAE_S1, lpae_cfg(48), &c, &smap,
				     &sunmap);
	}
	floor_build(1ull << 32);
	if (run("lookup"))
		bench_lookup(ARM_64_LPAE_S1, lpae_cfg(48), 1ull << 32,
			     SZ_1G / SZ_4K, true, &lookup);
	if (run("bulk")) {
		bench_bulk(ARM_64_LPAE_S1, lpae_cfg(48), 1ull << 32, SZ_4K,
			   SZ_1G / SZ_4K, 512, true, &bmap, &bunmap, bst);
		floor_stores_verify();
	}
	if (run("fresh"))
		bench_bulk(ARM_64_LPAE_S1, lpae_cfg(48), 1ull << 32, SZ_4K,
			   SZ_1G / SZ_4K, 0, false, &fmap, &funmap, fst);
	floor_alloc = only ? 0 : bench_floor_alloc();
	if (run("blocks"))
		bench_bulk(ARM_64_LPAE_S1, lpae_cfg(48), 1ull << 36, SZ_2M,
			   SZ_64G / SZ_2M, 0, false, &blkmap, &blkunmap,
			   blkst);
	if (run("lazy"))
		bench_lazy_unmap();
	if (run("reclaim"))
		bench_reclaim();

	/* the contiguous hint */
	struct tlb_model tlb4k[2] = { 0 };
	struct contig_cost c64k, c32m;
	struct contig_break b64k, b32m;
	bool contig = run("contig");

	if (contig) {
		tlb_model_run(tlb4k);
		contig_cost(1ull << 32, SZ_64K, 4096, SZ_64K, &c64k);
		contig_cost(1ull << 36, SZ_32M, 64, SZ_2M, &c32m);
		contig_break(1ull << 32, SZ_64K, SZ_4K, 4096, &b64k);
		contig_break(1ull << 36, SZ_32M, SZ_2M, 64, &b32m);
	}

#ifdef BENCH_V7S
	struct timing vsmap, vsunmap, vbmap, vbunmap, vfmap, vfunmap, vsecmap,
		      vsecunmap, vlookup;
	struct bulk_stats vbst[NR_IMPLS], vfst[NR_IMPLS], vsecst[NR_IMPLS];
	{
		struct single_ctx c = {
			.base = 0x40000000, .ntables = 512, .per_table = 255,
			.table_span = SZ_1M, .v7s = true,
		};

		if (run("v7s-single"))
			bench_single(ARM_V7S, v7s_cfg(), &c, &vsmap, &vsunmap);
	}
	if (run("v7s-lookup"))
		bench_lookup(ARM_V7S, v7s_cfg(), 0x40000000, SZ_1G / SZ_4K,
			     false, &vlookup);
	if (run("v7s-bulk"))
		bench_bulk(ARM_V7S, v7s_cfg(), 0x40000000, SZ_4K,
			   SZ_1G / SZ_4K, 256, false, &vbmap, &vbunmap, vbst);
	if (run("v7s-fresh"))
		bench_bulk(ARM_V7S, v7s_cfg(), 0x40000000, SZ_4K,
			   SZ_1G / SZ_4K, 0, false, &vfmap, &vfunmap, vfst);
	if (run("v7s-sections"))
		bench_bulk(ARM_V7S, v7s_cfg(), 0x40000000, SZ_1M,
			   SZ_2G / SZ_1M, 0, false, &vsecmap, &vsecunmap,
			   vsecst);
#endif
	/* block splits, and the VM_BIND trace */
	struct split_res split2m, split1g;
	struct vb_result vb[3] = {
		{ .name = "ARM_64_LPAE_S1 ias 48, pgsize 4K|2M (panthor's)" },
		{ .name = "ARM_64_LPAE_S1 ias 48, pgsize 4K|2M|1G" },
		{ .name = "ARM_64_LPAE_S1 ias 48, pgsize 4K only (msm's VM_BIND)" },
	};
	static const unsigned long vb_pgsizes[3] = {
		SZ_4K | SZ_2M, SZ_4K | SZ_2M | SZ_1G, SZ_4K,
	};

	if (run("split")) {
		bench_split(1ull << 36, SZ_2M, 256, &split2m);
		bench_split(1ull << 38, SZ_1G, 16, &split1g);
	}
	if (run("vmbind")) {
		vb_reqs = calloc(VB_MAX_REQS, sizeof(*vb_reqs));
		if (!vb_reqs)
			die("out of memory");
		vb_build_trace();
		for (int i = 0; i < 3; i++) {
			vb_play_upstream(&vb[i], vb_pgsizes[i]);
			vb_play(&vb[i], vb_pgsizes[i]);
			if (vb[i].measured)
				vb_play_queued(&vb[i], vb_pgsizes[i]);
		}
	}
	if (only)
		return shim_fail_count() || vb_errors ? 2 : 0;

	/* table memory */
	struct mem_case m32 = {
		.fmt = ARM_64_LPAE_S1, .cfg = lpae_cfg(32),
		.iova = 0x10000000, .pgsize = SZ_4K, .count = 1,
	};
	struct mem_case m48 = m32, m1g;

	m48.cfg = lpae_cfg(48);
	m48.iova = 1ull << 32;
	m1g = m48;
	m1g.count = SZ_1G / SZ_4K;
	size_t by32[NR_IMPLS], by48[NR_IMPLS], by1g[NR_IMPLS];

	for (int i = 0; i < NR_IMPLS; i++) {
		by32[i] = measure_bytes(&impls[i], &m32, NULL);
		by48[i] = measure_bytes(&impls[i], &m48, NULL);
		by1g[i] = measure_bytes(&impls[i], &m1g, NULL);
	}
#ifdef BENCH_V7S
	struct mem_case mv = {
		.fmt = ARM_V7S, .cfg = v7s_cfg(), .iova = 0x40000000,
		.pgsize = SZ_4K, .count = 1, .iova2 = 0x40300000,
	};
	size_t vby1[NR_IMPLS], vbyl2[NR_IMPLS];

	for (int i = 0; i < NR_IMPLS; i++)
		vby1[i] = measure_bytes(&impls[i], &mv, &vbyl2[i]);
#endif

	/* 64K-page build figures, measured by the other binary */
	size_t p64one[NR_IMPLS] = { 0 }, p64gib[NR_IMPLS] = { 0 };
	/* the TLB model of the 64K-page kernel: [0] plain, [1] hinted */
	size_t p64tlb[4][2] = { { 0 } };
	static const char *const p64tlb_key[4] = {
		"p64k-tlb-entries", "p64k-tlb-leaves", "p64k-tlb-bytes",
		"p64k-tlb-calls",
	};
	bool have64 = false;

	if (p64k) {
		FILE *f = fopen(p64k, "r");
		char key[64];
		size_t o, u;

		while (f && fscanf(f, "%63s %zu %zu", key, &o, &u) == 3) {
			if (!strcmp(key, "p64k-one-page-ias48")) {
				p64one[OURS] = o;
				p64one[UPSTREAM] = u;
				have64 = true;
			} else if (!strcmp(key, "p64k-1g-4k")) {
				p64gib[OURS] = o;
				p64gib[UPSTREAM] = u;
			}
			for (int k = 0; k < 4; k++)
				if (!strcmp(key, p64tlb_key[k])) {
					p64tlb[k][0] = o;
					p64tlb[k][1] = u;
				}
		}
		if (f)
			fclose(f);
	}

	printf("\nio-pgtable bench: ours vs Linux 6.12 upstream, one binary, userspace shim, gcc -O2\n");
	if (ours_version && *ours_version)
		printf("ours: %s; upstream: %s\n", ours_version,
		       "drivers/iommu/io-pgtable-arm{,-v7s}.c of linux-source-6.12");
	printf("thread CPU time; medians of %d repetitions, each running ours, upstream (and the floor) back to back;\n"
	       "ratio = median of the per-repetition ratios; coherent walker; flush callbacks only count calls\n\n",
	       NREPS);
	hdr();
	section("ARM_64_LPAE_S1, 4K granule, ias 48, PAGE_SIZE 4K      [ns; ratio = upstream/ours]");
	row_time("single 4K map, pgcount 1 (ns/op)", &smap, 1.5);
	row_time("single 4K unmap, pgcount 1 (ns/op)", &sunmap, 1.5);
	row_time("iova_to_phys, random in 1 GiB (ns/op)", &lookup, 1.5);
	{
		double vs = ratio(&bmap, OURS, FLOOR);

		snprintf(tgt, sizeof(tgt), "<= 1.3x floor (ours %.2fx)", vs);
		printf("%-44s %12.2f %12.2f %8.2fx  %-34s %s\n",
		       "bulk map 1 GiB of 4K, tables present", med(&bmap, OURS),
		       med(&bmap, UPSTREAM), ratio(&bmap, UPSTREAM, OURS), tgt,
		       vs <= 1.3 ? "PASS" : "MISS");
	}
	row_time("bulk unmap 1 GiB of 4K (ns/page)", &bunmap, 1.5);
	row_time("bulk map 1 GiB of 4K, fresh tables", &fmap, 0);
	row_time("bulk unmap of that (ns/page)", &funmap, 0);
	row_time("2M blocks over 64 GiB: map (ns/block)", &blkmap, 0);
	row_time("2M blocks over 64 GiB: unmap (ns/block)", &blkunmap, 0);
	printf("%-44s %12.2f %12s  (262144 8-byte stores, 512 tables)\n",
	       "floor: PTE stores alone (ns/page)", med(&bmap, FLOOR), "");
	printf("%-44s %12.2f %12s  (ours %.2fx; reads each line first)\n",
	       "info: check-empty-then-store floor (ns/page)",
	       med(&bmap, FLOOR_CHECK), "", ratio(&bmap, OURS, FLOOR_CHECK));
	printf("%-44s %12.2f %12s  (same IOVAs as iova_to_phys)\n",
	       "floor: 4 dependent loads (ns/lookup)", med(&lookup, FLOOR), "");
	printf("%-44s %12.2f %12s  (shim allocator, in 'fresh tables')\n",
	       "info: alloc+free of a zeroed 4K table / 512", floor_alloc, "");
	section("block split: unmap 4K out of a block                  [ns/split; ratio = upstream/ours]");
	split_row("split 2M block, BBM (ns/split)", &split2m, SPLIT_OURS);
	split_row("split 2M block, BBM, reservation attached", &split2m, SPLIT_RSV);
	split_row("split 2M block, ARM_BBML2", &split2m, SPLIT_BBML2);
	split_row("split 1G block, BBM (ns/split)", &split1g, SPLIT_OURS);
	split_row("split 1G block, BBM, reservation attached", &split1g, SPLIT_RSV);
	split_row("split 1G block, ARM_BBML2", &split1g, SPLIT_BBML2);
	if (contig) {
		char info[96];

		section("contiguous hint (IO_PGTABLE_QUIRK_ARM_CONTIG), ours: [ns; columns: with the hint,");
		section("  without it; ratio = without/with]                   with         without");
		snprintf(info, sizeof(info), "tlb_add_page per buffer %lu vs %lu",
			 c64k.add_page[1], c64k.add_page[0]);
		contig_row("64K buffers: map (ns per 64K)", &c64k.map,
			   "one 64K run vs 16 4K pages");
		contig_row("64K buffers: unmap (ns per 64K)", &c64k.unmap, info);
		snprintf(info, sizeof(info), "tlb_add_page per buffer %lu vs %lu",
			 c32m.add_page[1], c32m.add_page[0]);
		contig_row("32M buffers: map (ns per 2M)", &c32m.map,
			   "one run of 2M blocks vs 16 blocks");
		contig_row("32M buffers: unmap (ns per 2M)", &c32m.unmap, info);
		snprintf(info, sizeof(info), "BBM: tlb_flush_walk %.0f (%.0f 4K cmds) per break",
			 b64k.walks, b64k.cmds);
		contig_row("unmap 4K out of a 64K run (ns)", &b64k.t, info);
		snprintf(info, sizeof(info), "BBM: tlb_flush_walk %.0f (%.0f 2M cmds) per break",
			 b32m.walks, b32m.cmds);
		contig_row("unmap 2M out of a 32M run (ns)", &b32m.t, info);
		section("  TLB model: entries to hold all of a DMA-API trace (2048 requests), a run one entry");
		printf("  %-42s %12s %12s %9s  %s\n", "", "with", "without", "ratio", "");
		if (p64tlb[0][1])
			printf("  %-42s %12zu %12zu %8.2fx  (%zu MiB; %zu vs %zu leaves; map calls %zu vs %zu)\n",
			       "PAGE_SIZE 64K, 4K granule: TLB entries",
			       p64tlb[0][1], p64tlb[0][0],
			       (double)p64tlb[0][0] / p64tlb[0][1],
			       p64tlb[2][1] >> 20, p64tlb[1][1], p64tlb[1][0],
			       p64tlb[3][1], p64tlb[3][0]);
		printf("  %-42s %12llu %12llu %8.2fx  (%llu MiB; %llu vs %llu leaves; map calls %llu vs %llu)\n",
		       "PAGE_SIZE 4K, 4K granule: TLB entries",
		       tlb4k[1].entries, tlb4k[0].entries,
		       (double)tlb4k[0].entries / tlb4k[1].entries,
		       tlb4k[1].bytes >> 20, tlb4k[1].leaves, tlb4k[0].leaves,
		       tlb4k[1].calls, tlb4k[0].calls);
	}

#ifdef BENCH_V7S
	section("ARM_V7S, ias 32, oas 32, PAGE_SIZE 4K                  [ns; ratio = upstream/ours]");
	row_time("v7s single 4K map, pgcount 1 (ns/op)", &vsmap, 1.5);
	row_time("v7s single 4K unmap, pgcount 1 (ns/op)", &vsunmap, 1.5);
	row_time("v7s iova_to_phys, random in 1 GiB (ns/op)", &vlookup, 0);
	row_time("v7s bulk map 1 GiB of 4K, tables present", &vbmap, 3.0);
	row_time("v7s bulk unmap 1 GiB of 4K (ns/page)", &vbunmap, 3.0);
	row_time("v7s bulk map 1 GiB of 4K, fresh tables", &vfmap, 0);
	row_time("v7s bulk unmap of that (ns/page)", &vfunmap, 0);
	row_time("v7s 1M sections over 2 GiB: map (ns/sect)", &vsecmap, 0);
	row_time("v7s 1M sections over 2 GiB: unmap (ns/sect)", &vsecunmap, 0);
#endif

	section("table memory (bytes)                                   [ratio = ours/upstream]");
#define ROW_BYTES(name, o, u, tgtstr, pass) do {				\
		fmt_bytes(b1, sizeof(b1), (o));					\
		fmt_bytes(b2, sizeof(b2), (u));					\
		printf("%-44s %12s %12s %8.3f   %-34s %s\n", (name), b1, b2,	\
		       (double)(o) / (double)(u), (tgtstr), (pass));		\
	} while (0)
	ROW_BYTES("one 4K page, ias 32", by32[OURS], by32[UPSTREAM],
		  "<= 8.3 KB (8300 B)", by32[OURS] <= 8300 ? "PASS" : "MISS");
	ROW_BYTES("one 4K page, ias 48", by48[OURS], by48[UPSTREAM], "", "");
	ROW_BYTES("1 GiB of 4K pages, ias 48", by1g[OURS], by1g[UPSTREAM], "", "");
	if (have64) {
		ROW_BYTES("PAGE_SIZE 64K, 4K granule: one page, ias 48",
			  p64one[OURS], p64one[UPSTREAM], "<= 1/8 of upstream",
			  p64one[OURS] * 8 <= p64one[UPSTREAM] ? "PASS" : "MISS");
		ROW_BYTES("PAGE_SIZE 64K, 4K granule: 1 GiB of 4K",
			  p64gib[OURS], p64gib[UPSTREAM], "<= 1/8 of upstream",
			  p64gib[OURS] * 8 <= p64gib[UPSTREAM] ? "PASS" : "MISS");
	} else {
		printf("%-44s (not measured: run with --page64k FILE)\n",
		       "PAGE_SIZE 64K, 4K granule");
	}
#ifdef BENCH_V7S
	ROW_BYTES("v7s: one level-2 table", vbyl2[OURS], vbyl2[UPSTREAM],
		  "1 KiB (1024 B)", vbyl2[OURS] == 1024 ? "PASS" : "MISS");
	ROW_BYTES("v7s: one 4K page", vby1[OURS], vby1[UPSTREAM],
		  "17 KiB (17408 B)", vby1[OURS] <= 17408 ? "PASS" : "MISS");
#endif

	printf("\nVM_BIND trace: seed %#llx, %zu requests; tables reserved per request by our count, our count\n"
	       "with IO_PGTABLE_COUNT_WORST, panthor's formula (6.12) and msm's (its VM_BIND, after 6.12), and\n"
	       "tables used (taken from our reservation); [4K tables; ratio = reserved/used]\n",
	       VB_SEED, vb_nreqs);
	printf("  %-42s %7s %7s %6s %7s %7s %8s %7s %7s %7s\n", "requests (how many)",
	       "used", "ours", "ratio", "WORST", "ratio", "panthor", "ratio", "msm", "ratio");
	for (int i = 0; i < 3; i++)
		vb_print(&vb[i]);
	printf("\nnotes: bulk rows call map_pages/unmap_pages with the whole remaining pgcount, again until\n"
	       "done, as iommu_map() does; 'tables present': the tables were built, then emptied half a table\n"
	       "per call (neither frees a table that way); 'fresh tables': a new io-pgtable, allocation included.\n"
	       "calls per 1 GiB (tables present):\n");
	printf("  LPAE 1 GiB 4K:  map calls ours %lu, upstream %lu; unmap calls ours %lu, upstream %lu;\n"
	       "                  unmap tlb_add_page ours %lu, upstream %lu; tlb_flush_walk ours %lu, upstream %lu\n",
	       bst[OURS].map_calls, bst[UPSTREAM].map_calls,
	       bst[OURS].unmap_calls, bst[UPSTREAM].unmap_calls,
	       bst[OURS].add_page, bst[UPSTREAM].add_page,
	       bst[OURS].flush_walk, bst[UPSTREAM].flush_walk);
	printf("  LPAE 64G of 2M: map calls ours %lu, upstream %lu; unmap calls ours %lu, upstream %lu;\n"
	       "                  unmap tlb_add_page ours %lu, upstream %lu; tlb_flush_walk ours %lu, upstream %lu\n",
	       blkst[OURS].map_calls, blkst[UPSTREAM].map_calls,
	       blkst[OURS].unmap_calls, blkst[UPSTREAM].unmap_calls,
	       blkst[OURS].add_page, blkst[UPSTREAM].add_page,
	       blkst[OURS].flush_walk, blkst[UPSTREAM].flush_walk);
#ifdef BENCH_V7S
	printf("  v7s 1 GiB 4K:   map calls ours %lu, upstream %lu; unmap calls ours %lu, upstream %lu;\n"
	       "                  unmap tlb_add_page ours %lu, upstream %lu; tlb_flush_walk ours %lu, upstream %lu\n",
	       vbst[OURS].map_calls, vbst[UPSTREAM].map_calls,
	       vbst[OURS].unmap_calls, vbst[UPSTREAM].unmap_calls,
	       vbst[OURS].add_page, vbst[UPSTREAM].add_page,
	       vbst[OURS].flush_walk, vbst[UPSTREAM].flush_walk);
	(void)vsecst;
	(void)vfst;
#endif
	printf("  split 2M/1G:    per split, tlb_flush_walk ours %.0f/%.0f (BBML2 %.0f/%.0f), upstream %.0f/%.0f;\n"
	       "                  tlb_add_page ours %.0f/%.0f, upstream %.0f/%.0f; tables ours %.0f/%.0f\n",
	       split2m.walk[SPLIT_OURS], split1g.walk[SPLIT_OURS],
	       split2m.walk[SPLIT_BBML2], split1g.walk[SPLIT_BBML2],
	       split2m.walk[SPLIT_UPSTREAM], split1g.walk[SPLIT_UPSTREAM],
	       split2m.add[SPLIT_OURS], split1g.add[SPLIT_OURS],
	       split2m.add[SPLIT_UPSTREAM], split1g.add[SPLIT_UPSTREAM],
	       split2m.tables[SPLIT_RSV] / 256.0, split1g.tables[SPLIT_RSV] / 16.0);
	printf("                  invalidation commands of a one-granule-per-command SMMU (size/granule of\n"
	       "                  each tlb_flush_walk, plus the add_pages): ours %.0f/%.0f, upstream %.0f/%.0f\n",
	       split2m.cmds[SPLIT_OURS], split1g.cmds[SPLIT_OURS],
	       split2m.cmds[SPLIT_UPSTREAM], split1g.cmds[SPLIT_UPSTREAM]);
	printf("table bytes = growth of the shim's live footprint (kmalloc size class, slab object size,\n"
	       "PAGE_SIZE << order) from before alloc to after the mappings, minus the footprint of the\n"
	       "format's private struct (the allocation holding struct io_pgtable).\n");
	printf("total bench time %.1f s; %lu WARN(s), %lu shim failure(s), %lu VM_BIND contract violation(s)\n",
	       (wall_ns() - t_start) / 1e9, shim_warn_count(), shim_fail_count(),
	       vb_errors);
	return shim_fail_count() || vb_errors ? 2 : 0;
#endif
}
