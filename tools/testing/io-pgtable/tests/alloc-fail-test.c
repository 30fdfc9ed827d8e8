// SPDX-License-Identifier: GPL-2.0-only
/*
 * Every allocation failure of map_pages(), for every format.
 *
 * For one request (a page, pages over several leaf tables, pages across
 * a level-1 boundary, blocks) on tables where some neighbours are already
 * mapped, the n-th allocation the request makes is failed, for n = 1, 2,
 * ... until the request no longer needs an n-th: through cfg->alloc, through
 * the kernel's allocators (the shim's fail-nth), and, for a non-coherent
 * walker, through the n-th dma_map_single() of a new table. After each
 * failure, from the walker's side (the reference walkers read what the
 * device would fetch, through the shim's DMA model):
 *
 * - the return is -ENOMEM, no WARN fired;
 * - *mapped says exactly what is mapped: the first *mapped bytes of the
 *   range, contiguous, at the right output addresses with the requested
 *   permissions, and nothing of the rest;
 * - every other mapping, and every descriptor that was there before, is
 *   bit for bit as it was;
 * - every table allocation still live is reachable from the PGD (and,
 *   for a non-coherent walker, DMA-mapped, with every write synced);
 * - once what was reported is unmapped, the same request succeeds and
 *   leaves the tables a clean run leaves; after free_io_pgtable_ops()
 *   every allocation and DMA mapping is gone.
 *
 * alloc_io_pgtable_ops() gets the same treatment: NULL, nothing left.
 *
 * Both contracts for what -ENOMEM keeps are accepted (the pages mapped
 * before the failure, or nothing), as long as *mapped tells the truth;
 * each case reports which it saw.
 */
#include <kunit/device.h>
#include <kunit/test.h>
#include <linux/dma-mapping.h>
#include <linux/io-pgtable.h>
#include <linux/kernel.h>
#include <linux/sizes.h>

#include "shim.h"

#include "../../../../drivers/iommu/io-pgtable-arm-ref.h"
#include "../../../../drivers/iommu/io-pgtable-arm-v7s-ref.h"
#include "../../../../drivers/iommu/io-pgtable-kunit-helpers.h"

/* No request here needs anywhere near this many allocations. */
#define AF_MAX_N		32
#define AF_MAX_NEIGH		8
#define AF_MAPPED_BIAS		777	/* map_pages() adds to *mapped */

/**
 * struct af_param - one configuration of tables
 * @fmt:      The format.
 * @granule:  LPAE granule; 0 for v7s.
 * @ias:      Input address size.
 * @oas:      Output address size.
 * @quirks:   IO_PGTABLE_QUIRK_*.
 * @coherent: cfg->coherent_walk.
 * @desc:     Its name.
 */
struct af_param {
	enum io_pgtable_fmt	fmt;
	unsigned long		granule;
	unsigned int		ias;
	unsigned int		oas;
	unsigned long		quirks;
	bool			coherent;
	char			desc[64];
};

static const struct af_param af_lpae_params[] = {
	{ ARM_64_LPAE_S1, SZ_4K, 48, 48, 0, true,
	  "64-S1 4K ias48 L0 coherent" },
	{ ARM_64_LPAE_S1, SZ_4K, 48, 48, 0, false,
	  "64-S1 4K ias48 L0 non-coherent" },
	{ ARM_64_LPAE_S1, SZ_4K, 39, 44, 0, true,
	  "64-S1 4K ias39 L1 coherent" },
	{ ARM_64_LPAE_S1, SZ_4K, 39, 44, 0, false,
	  "64-S1 4K ias39 L1 non-coherent" },
	{ ARM_64_LPAE_S1, SZ_4K, 39, 40, IO_PGTABLE_QUIRK_ARM_TTBR1, true,
	  "64-S1 4K ias39 TTBR1 coherent" },
	{ ARM_64_LPAE_S1, SZ_4K, 39, 40, IO_PGTABLE_QUIRK_ARM_TTBR1, false,
	  "64-S1 4K ias39 TTBR1 non-coherent" },
	{ ARM_64_LPAE_S1, SZ_16K, 48, 48, 0, true,
	  "64-S1 16K ias48 L0 coherent" },
	{ ARM_64_LPAE_S1, SZ_16K, 48, 48, 0, false,
	  "64-S1 16K ias48 L0 non-coherent" },
	{ ARM_64_LPAE_S1, SZ_16K, 47, 48, 0, true,
	  "64-S1 16K ias47 L1 coherent" },
	{ ARM_64_LPAE_S1, SZ_16K, 47, 48, 0, false,
	  "64-S1 16K ias47 L1 non-coherent" },
	{ ARM_64_LPAE_S1, SZ_16K, 36, 40, 0, true,
	  "64-S1 16K ias36 L2 coherent" },
	{ ARM_64_LPAE_S1, SZ_16K, 36, 40, 0, false,
	  "64-S1 16K ias36 L2 non-coherent" },
	{ ARM_64_LPAE_S1, SZ_64K, 48, 48, 0, true,
	  "64-S1 64K ias48 L1 coherent" },
	{ ARM_64_LPAE_S1, SZ_64K, 48, 48, 0, false,
	  "64-S1 64K ias48 L1 non-coherent" },
	{ ARM_64_LPAE_S1, SZ_64K, 48, 52, 0, true,
	  "64-S1 64K ias48 oas52 coherent" },
	{ ARM_64_LPAE_S1, SZ_64K, 48, 52, 0, false,
	  "64-S1 64K ias48 oas52 non-coherent" },
	{ ARM_64_LPAE_S1, SZ_64K, 42, 48, 0, true,
	  "64-S1 64K ias42 L2 coherent" },
	{ ARM_64_LPAE_S1, SZ_64K, 42, 48, 0, false,
	  "64-S1 64K ias42 L2 non-coherent" },
	{ ARM_64_LPAE_S2, SZ_4K, 40, 40, 0, true,
	  "64-S2 4K ias40 concat coherent" },
	{ ARM_64_LPAE_S2, SZ_4K, 40, 40, 0, false,
	  "64-S2 4K ias40 concat non-coherent" },
	{ ARM_64_LPAE_S2, SZ_4K, 48, 48, 0, true,
	  "64-S2 4K ias48 L0 coherent" },
	{ ARM_64_LPAE_S2, SZ_4K, 48, 48, 0, false,
	  "64-S2 4K ias48 L0 non-coherent" },
	{ ARM_64_LPAE_S2, SZ_16K, 48, 48, 0, true,
	  "64-S2 16K ias48 concat coherent" },
	{ ARM_64_LPAE_S2, SZ_16K, 48, 48, 0, false,
	  "64-S2 16K ias48 concat non-coherent" },
	{ ARM_64_LPAE_S2, SZ_64K, 48, 48, 0, true, "64-S2 64K ias48 coherent" },
	{ ARM_64_LPAE_S2, SZ_64K, 48, 48, 0, false,
	  "64-S2 64K ias48 non-coherent" },
	{ ARM_32_LPAE_S1, SZ_4K, 32, 40, 0, true, "32-S1 4K coherent" },
	{ ARM_32_LPAE_S1, SZ_4K, 32, 40, 0, false, "32-S1 4K non-coherent" },
	{ ARM_32_LPAE_S2, SZ_4K, 40, 40, 0, true, "32-S2 4K concat coherent" },
	{ ARM_32_LPAE_S2, SZ_4K, 40, 40, 0, false,
	  "32-S2 4K concat non-coherent" },
	{ ARM_MALI_LPAE, SZ_4K, 48, 40, 0, true, "Mali 4K coherent" },
	{ ARM_MALI_LPAE, SZ_4K, 48, 40, 0, false, "Mali 4K non-coherent" },
};

KUNIT_ARRAY_PARAM_DESC(af_lpae, af_lpae_params, desc);

/* The level the walk starts at, as the architecture has it. */
static int af_lpae_start_level(const struct af_param *p)
{
	unsigned int gshift = __ffs(p->granule);
	int level = arm_lpae_ref_min_start_level(gshift, p->ias);

	switch (p->fmt) {
	case ARM_64_LPAE_S2:
	case ARM_32_LPAE_S2:
		/* up to 16 concatenated tables rather than a level-0 one */
		if (level == 0 && p->ias - arm_lpae_ref_level_shift(gshift, 0) <= 4)
			level = 1;
		return level;
	case ARM_MALI_LPAE:
		return 0;
	default:
		return level;
	}
}

/* The next of af_lpae_params after @prev that @ok takes. */
static const void *af_lpae_next(const void *prev, char *desc,
				bool (*ok)(const struct af_param *p))
{
	const struct af_param *p = prev ? (const struct af_param *)prev + 1 :
					  af_lpae_params;

	for (; p < af_lpae_params + ARRAY_SIZE(af_lpae_params); p++) {
		if (ok(p)) {
			strscpy(desc, p->desc, KUNIT_PARAM_DESC_SIZE);
			return p;
		}
	}
	return NULL;
}

/* Two level-2 tables under one level-1 entry or PGD: not from level 2. */
static bool af_lpae_has_level1(const struct af_param *p)
{
	return af_lpae_start_level(p) <= 1;
}

static const void *af_lpae_level1_gen_params(const void *prev, char *desc)
{
	return af_lpae_next(prev, desc, af_lpae_has_level1);
}

/* Level-1 blocks: the 4K granule (64K has them only with FEAT_LPA) */
static bool af_lpae_has_level1_blocks(const struct af_param *p)
{
	return p->granule == SZ_4K && af_lpae_start_level(p) <= 1;
}

static const void *af_lpae_level1_blocks_gen_params(const void *prev,
						    char *desc)
{
	return af_lpae_next(prev, desc, af_lpae_has_level1_blocks);
}

/* MediaTek's PA bits sit where the permissions were: NO_PERMS is a must */
#define AF_MTK	(IO_PGTABLE_QUIRK_ARM_MTK_EXT | IO_PGTABLE_QUIRK_NO_PERMS)

static const struct af_param af_v7s_params[] = {
	{ ARM_V7S, 0, 32, 32, 0, true, "v7s coherent" },
	{ ARM_V7S, 0, 32, 32, 0, false, "v7s non-coherent" },
	{ ARM_V7S, 0, 32, 35, AF_MTK, true, "v7s MTK_EXT coherent" },
	{ ARM_V7S, 0, 32, 35, AF_MTK, false, "v7s MTK_EXT non-coherent" },
	{ ARM_V7S, 0, 32, 35,
	  AF_MTK | IO_PGTABLE_QUIRK_ARM_MTK_TTBR_EXT, true,
	  "v7s MTK_EXT TTBR_EXT coherent" },
	{ ARM_V7S, 0, 32, 35,
	  AF_MTK | IO_PGTABLE_QUIRK_ARM_MTK_TTBR_EXT, false,
	  "v7s MTK_EXT TTBR_EXT non-coherent" },
};

KUNIT_ARRAY_PARAM_DESC(af_v7s, af_v7s_params, desc);

/**
 * enum af_mode - what fails
 * @AF_HOOK:        cfg->alloc returns NULL from the n-th call on.
 * @AF_KERNEL:      The n-th allocation of the kernel's allocators (pages,
 *                  kmalloc, kmem caches) fails, no cfg->alloc.
 * @AF_DMA_KERNEL:  The n-th dma_map_single() fails, no cfg->alloc.
 * @AF_DMA_HOOK:    The n-th dma_map_single() fails, tables from cfg->alloc.
 * @AF_NR_MODES:    How many.
 */
enum af_mode {
	AF_HOOK,
	AF_KERNEL,
	AF_DMA_KERNEL,
	AF_DMA_HOOK,
	AF_NR_MODES,
};

static const char * const af_mode_name[AF_NR_MODES] = {
	[AF_HOOK]	= "cfg->alloc",
	[AF_KERNEL]	= "kernel allocator",
	[AF_DMA_KERNEL]	= "dma_map_single",
	[AF_DMA_HOOK]	= "dma_map_single of cfg->alloc memory",
};

static bool af_mode_hook(enum af_mode mode)
{
	return mode == AF_HOOK || mode == AF_DMA_HOOK;
}

static bool af_mode_dma(enum af_mode mode)
{
	return mode == AF_DMA_KERNEL || mode == AF_DMA_HOOK;
}

/**
 * struct af_map - a mapping: a request, or a neighbour
 * @iova:    Start.
 * @pa:      Output address.
 * @pgsize:  Page size.
 * @pgcount: Pages.
 * @prot:    IOMMU_* flags.
 */
struct af_map {
	u64	iova;
	u64	pa;
	size_t	pgsize;
	size_t	pgcount;
	int	prot;
};

/**
 * struct af_leafrec - a leaf as the walker found it
 * @iova:   Its input address.
 * @size:   Bytes.
 * @pte:    The raw descriptor.
 * @pte_pa: Where it sits.
 */
struct af_leafrec {
	u64		iova;
	u64		size;
	u64		pte;
	phys_addr_t	pte_pa;
};

#define AF_SNAP_MAX		16
#define AF_SNAP_SIZE		SZ_64K	/* the largest table, 64K granule */

/**
 * struct af_snap - a table as it was before the request
 * @pa:   Where it is.
 * @size: Its size.
 * @copy: Its contents (%AF_SNAP_SIZE bytes of room).
 */
struct af_snap {
	phys_addr_t	pa;
	size_t		size;
	void		*copy;
};

/**
 * struct af_case - what a test case keeps across its attempts
 * @test:    The test.
 * @p:       The configuration.
 * @v7s:     The format is ARM_V7S.
 * @ctx:     Cookie and cfg->alloc bookkeeping (reused by every attempt).
 * @dev:     The walker's device.
 * @req:     The request.
 * @neigh:   Mappings made before it.
 * @nneigh:  How many.
 * @what:    Names the request in failure messages.
 * @sh:      Shadow of the neighbours and what the request mapped.
 * @base:    Leaves of the neighbours, recorded before the request.
 * @nbase:   How many.
 * @snap:    The tables, recorded before the request.
 * @nsnap:   How many.
 * @partial: Failures that kept pages mapped.
 * @none:    Failures that kept nothing.
 * @fails:   Failures injected and seen, over the case.
 * @empty:   The most tables beyond those of the neighbours that remain
 *           after a failure once *mapped is unmapped: reachable, empty,
 *           reused by the next attempt, freed with the tables.
 */
struct af_case {
	struct kunit		*test;
	const struct af_param	*p;
	bool			v7s;
	struct iopt_test_ctx	*ctx;
	struct device		*dev;
	struct af_map		req;
	struct af_map		neigh[AF_MAX_NEIGH];
	unsigned int		nneigh;
	char			what[160];
	struct iopt_shadow	sh;
	struct af_leafrec	base[AF_MAX_NEIGH * 16];
	unsigned int		nbase;
	struct af_snap		snap[AF_SNAP_MAX];
	unsigned int		nsnap;
	unsigned int		partial;
	unsigned int		none;
	unsigned int		fails;
	unsigned int		empty;
};

/**
 * struct af_tables - one set of tables under test
 * @c:    The case.
 * @mode: What fails.
 * @cfg:  Its configuration, as alloc_io_pgtable_ops() completed it.
 * @ops:  The tables.
 * @ref:  LPAE reference walker.
 * @vref: v7s reference walker.
 */
struct af_tables {
	struct af_case		*c;
	enum af_mode		mode;
	struct io_pgtable_cfg	cfg;
	struct io_pgtable_ops	*ops;
	struct arm_lpae_ref	ref;
	struct v7s_ref		vref;
};

static u64 af_dma_read64(void *ctx, phys_addr_t pa)
{
	return shim_dma_read64(pa);
}

static u32 af_dma_read32(void *arg, phys_addr_t pa)
{
	return shim_dma_read32(pa);
}

/* v7s tables a walker limited to 32 bits can reach, for cfg->alloc */
static void *af_low_alloc(void *cookie, size_t size, gfp_t gfp)
{
	struct iopt_test_ctx *ctx = iopt_test_cookie(cookie);
	unsigned long addr;
	bool misalign;

	if (!iopt_test_alloc_admit(ctx, &misalign))
		return NULL;
	gfp &= ~(__GFP_DMA | __GFP_DMA32 | __GFP_HIGHMEM);
	addr = __get_free_pages(gfp | GFP_DMA32 | __GFP_ZERO, get_order(size));
	if (!addr)
		return NULL;
	if (!iopt_test_alloc_record(ctx, (void *)addr, (void *)addr, size)) {
		free_pages(addr, get_order(size));
		return NULL;
	}
	return (void *)addr;
}

static void af_low_free(void *cookie, void *table, size_t size)
{
	void *base = iopt_test_free_record(iopt_test_cookie(cookie), table,
					   size);

	if (base)
		free_pages((unsigned long)base, get_order(size));
}

/* The configuration of @c's tables in @mode. */
static void af_tables_cfg(struct af_case *c, enum af_mode mode,
			  struct af_tables *t)
{
	const struct af_param *p = c->p;

	memset(t, 0, sizeof(*t));
	t->c = c;
	t->mode = mode;
	t->cfg.quirks = p->quirks | IO_PGTABLE_QUIRK_NO_WARN;
	t->cfg.ias = p->ias;
	t->cfg.oas = p->oas;
	t->cfg.coherent_walk = p->coherent;
	t->cfg.tlb = &iopt_test_flush_ops;
	t->cfg.iommu_dev = c->dev;
	if (c->v7s) {
		t->cfg.pgsize_bitmap = SZ_4K | SZ_64K | SZ_1M | SZ_16M;
		if (af_mode_hook(mode)) {
			t->cfg.alloc = af_low_alloc;
			t->cfg.free = af_low_free;
		}
	} else {
		t->cfg.pgsize_bitmap = p->granule == SZ_4K ? SZ_4K | SZ_2M | SZ_1G :
				       p->granule == SZ_16K ? SZ_16K | SZ_32M :
				       SZ_64K | SZ_512M;
		if (af_mode_hook(mode))
			iopt_test_use_allocator(&t->cfg);
	}
}

/* Fresh tables for @c in @mode; false (and a failed test) if refused. */
static bool af_tables_new(struct af_case *c, enum af_mode mode,
			  struct af_tables *t)
{
	const struct af_param *p = c->p;
	int level;

	af_tables_cfg(c, mode, t);
	t->ops = alloc_io_pgtable_ops(p->fmt, &t->cfg, c->ctx);
	if (!t->ops) {
		KUNIT_FAIL(c->test, "%s refused", p->desc);
		return false;
	}

	if (c->v7s) {
		bool mtk = p->quirks & IO_PGTABLE_QUIRK_ARM_MTK_EXT;

		t->vref.ias = t->cfg.ias;
		t->vref.mtk = mtk;
		t->vref.mtk_table = p->quirks &
				    IO_PGTABLE_QUIRK_ARM_MTK_TTBR_EXT;
		t->vref.pgd = v7s_ref_ttbr_base(t->cfg.arm_v7s_cfg.ttbr,
						t->cfg.ias, mtk);
		if (!p->coherent)
			t->vref.read = af_dma_read32;
		return true;
	}

	level = af_lpae_start_level(p);
	switch (p->fmt) {
	case ARM_64_LPAE_S2:
	case ARM_32_LPAE_S2:
		t->ref.stage = ARM_LPAE_REF_S2;
		t->ref.pgd = t->cfg.arm_lpae_s2_cfg.vttbr;
		break;
	case ARM_MALI_LPAE:
		t->ref.stage = ARM_LPAE_REF_MALI;
		t->ref.pgd = t->cfg.arm_mali_lpae_cfg.transtab & ~0xfffULL;
		t->ref.mair = t->cfg.arm_mali_lpae_cfg.memattr;
		break;
	default:
		t->ref.stage = ARM_LPAE_REF_S1;
		t->ref.pgd = t->cfg.arm_lpae_s1_cfg.ttbr;
		t->ref.mair = t->cfg.arm_lpae_s1_cfg.mair;
		break;
	}
	t->ref.granule_shift = __ffs(p->granule);
	t->ref.ias = p->ias;
	t->ref.start_level = level;
	t->ref.ttbr1 = p->quirks & IO_PGTABLE_QUIRK_ARM_TTBR1;
	t->ref.lpa52 = p->oas > 48;
	if (!p->coherent)
		t->ref.read = af_dma_read64;
	return true;
}

/*
 * The census: every table and leaf the walker can reach, each leaf checked
 * against what must be there. Recording (@rec) keeps the leaves instead.
 */
struct af_census {
	struct af_tables	*t;
	bool			rec;
	u64			delta;	/* bytes of the request mapped */
	u64			req_bytes;
	unsigned int		matched;
	unsigned int		tables;
	unsigned int		bad;
	const char		*when;
};

static void af_census_leaf(struct af_census *k, u64 iova, u64 size, u64 oa,
			   bool read, bool write, bool malformed, u64 pte,
			   phys_addr_t pte_pa)
{
	struct af_case *c = k->t->c;
	const struct af_map *r = &c->req;
	u64 total = (u64)r->pgsize * r->pgcount;
	unsigned int i;

	if (k->rec) {
		if (c->nbase < ARRAY_SIZE(c->base))
			c->base[c->nbase++] = (struct af_leafrec) {
				iova, size, pte, pte_pa };
		else
			k->bad++;
		return;
	}
	if (malformed) {
		if (k->bad++ < 4)
			KUNIT_FAIL(c->test, "%s, %s: malformed descriptor %#llx for %#llx",
				   c->what, k->when, pte, iova);
		return;
	}
	if (iova - r->iova < total || r->iova - iova < size) {
		/* in the request's range: only what *mapped says */
		if (iova < r->iova || iova + size - r->iova > k->delta ||
		    size != r->pgsize || oa != r->pa + (iova - r->iova) ||
		    (!(c->p->quirks & IO_PGTABLE_QUIRK_NO_PERMS) &&
		     (!read || write))) {
			if (k->bad++ < 4)
				KUNIT_FAIL(c->test,
					   "%s, %s: %#llx+%#llx -> %#llx r%d w%d; *mapped %#llx",
					   c->what, k->when, iova, size, oa,
					   read, write, k->delta);
			return;
		}
		k->req_bytes += size;
		return;
	}
	for (i = 0; i < c->nbase; i++) {
		const struct af_leafrec *b = &c->base[i];

		if (b->iova == iova && b->size == size && b->pte == pte &&
		    b->pte_pa == pte_pa) {
			k->matched++;
			return;
		}
	}
	if (k->bad++ < 4)
		KUNIT_FAIL(c->test, "%s, %s: %#llx+%#llx (%#llx at %pa) is new",
			   c->what, k->when, iova, size, pte, &pte_pa);
}

static void af_census_table(struct af_census *k, phys_addr_t pa, size_t size)
{
	struct af_case *c = k->t->c;

	if (k->rec) {
		/* the tables as they are before the request */
		if (c->nsnap < AF_SNAP_MAX && size <= AF_SNAP_SIZE) {
			c->snap[c->nsnap].pa = pa;
			c->snap[c->nsnap].size = size;
			memcpy(c->snap[c->nsnap].copy, phys_to_virt(pa), size);
			c->nsnap++;
		} else {
			k->bad++;
		}
	}
	k->tables++;
	if (!c->p->coherent && !shim_dma_is_mapped(pa, size) && k->bad++ < 4)
		KUNIT_FAIL(c->test, "%s, %s: table %pa is not DMA-mapped",
			   c->what, k->when, &pa);
}

static int af_lpae_table(void *arg, int level, phys_addr_t pa, size_t size,
			 u64 iova)
{
	af_census_table(arg, pa, size);
	return 0;
}

static int af_lpae_leaf(void *arg, u64 iova,
			const struct arm_lpae_ref_leaf *l)
{
	af_census_leaf(arg, iova, l->size, l->oa, l->read, l->write,
		       l->malformed, l->pte, l->pte_pa);
	return 0;
}

static void af_v7s_census(struct af_census *k)
{
	const struct v7s_ref *ref = &k->t->vref;
	unsigned int i, j, n = v7s_ref_l1_entries(ref);
	struct v7s_ref_stats stats;
	struct v7s_ref_leaf l;
	u32 d1, d2;

	af_census_table(k, ref->pgd, n * 4);
	for (i = 0; i < n; i++) {
		u64 iova = (u64)i << 20;
		phys_addr_t l2;

		d1 = v7s_ref_fetch(ref, ref->pgd + i * 4);
		if ((d1 & V7S_REF_L1_TYPE) == V7S_REF_L1_FAULT)
			continue;
		if (d1 & V7S_REF_L1_SECTION) {
			v7s_ref_walk(ref, iova, &l);
			af_census_leaf(k, iova, l.size, l.pa, true, !l.rdonly,
				       false, d1, ref->pgd + i * 4);
			if (d1 & V7S_REF_SEC_SUPER)
				i += 15;
			continue;
		}
		l2 = v7s_ref_table_pa(ref, d1);
		af_census_table(k, l2, 1024);
		for (j = 0; j < 256; j++) {
			d2 = v7s_ref_fetch(ref, l2 + j * 4);
			if (!(d2 & V7S_REF_L2_TYPE))
				continue;
			v7s_ref_walk(ref, iova + j * SZ_4K, &l);
			af_census_leaf(k, iova + j * SZ_4K, l.size, l.pa, true,
				       !l.rdonly, false, d2, l2 + j * 4);
			if ((d2 & V7S_REF_L2_TYPE) == V7S_REF_L2_LARGE)
				j += 15;
		}
	}
	if (v7s_ref_check_tables(ref, &stats) && k->bad++ < 4)
		KUNIT_FAIL(k->t->c->test, "%s, %s: %u descriptors break the rules",
			   k->t->c->what, k->when, stats.bad);
}

/*
 * Walk everything; unless recording, every leaf must be one of the
 * neighbours' leaves as recorded, or the first @delta bytes of the request.
 * Returns the number of tables reachable.
 *
 * With @device the walk reads what the device would fetch. Without, it
 * reads what the CPU wrote, which is as good once every table is known
 * to be DMA-mapped and shim_dma_coherent_check() finds no write the
 * device cannot see, and much faster.
 */
static unsigned int af_census(struct af_tables *t, bool rec, u64 delta,
			      const char *when, bool device)
{
	struct af_census k = {
		.t = t, .rec = rec, .delta = delta, .when = when,
	};
	struct af_case *c = t->c;

	if (rec) {
		c->nbase = 0;
		c->nsnap = 0;
	}
	if (c->v7s) {
		struct v7s_ref ref = t->vref;

		if (!device)
			t->vref.read = NULL;
		af_v7s_census(&k);
		t->vref = ref;
	} else {
		struct arm_lpae_ref_visitor v = {
			.table = af_lpae_table,
			.leaf = af_lpae_leaf,
			.arg = &k,
		};
		struct arm_lpae_ref ref = t->ref;

		if (!device)
			ref.read = NULL;
		arm_lpae_ref_for_each(&ref, &v);
	}
	KUNIT_EXPECT_EQ_MSG(c->test, k.bad, 0, "%s, %s", c->what, when);
	if (!rec) {
		KUNIT_EXPECT_EQ_MSG(c->test, k.req_bytes, delta,
				    "%s, %s: bytes of the request mapped",
				    c->what, when);
		KUNIT_EXPECT_EQ_MSG(c->test, k.matched, c->nbase,
				    "%s, %s: leaves of the neighbours",
				    c->what, when);
	}
	if (!c->p->coherent)
		KUNIT_EXPECT_TRUE_MSG(c->test, shim_dma_coherent_check(),
				      "%s, %s: a write the walker cannot see",
				      c->what, when);
	return k.tables;
}

/*
 * Every descriptor that was there before the request still is, bit for
 * bit (but for the software bits an LPAE table entry may gain when the
 * format records that it synced it): no table of the neighbours was
 * moved, freed or given other attributes. Empty entries may have been
 * filled; the census judges what with.
 */
static void af_snap_check(struct af_tables *t, const char *when)
{
	struct af_case *c = t->c;
	u64 sw = c->v7s ? 0 : GENMASK_ULL(58, 55);
	unsigned int i, bad = 0;
	size_t off;

	for (i = 0; i < c->nsnap; i++) {
		const struct af_snap *sn = &c->snap[i];
		const void *now = phys_to_virt(sn->pa);

		for (off = 0; off < sn->size; off += c->v7s ? 4 : 8) {
			u64 was, is;

			if (c->v7s) {
				was = *(const u32 *)(sn->copy + off);
				is = READ_ONCE(*(const u32 *)(now + off));
			} else {
				was = *(const u64 *)(sn->copy + off);
				is = READ_ONCE(*(const u64 *)(now + off));
			}
			if (!was || !((was ^ is) & ~sw))
				continue;
			if (bad++ < 4)
				KUNIT_FAIL(c->test, "%s, %s: table %pa+%#zx: %#llx -> %#llx",
					   c->what, when, &sn->pa, off, was, is);
		}
	}
}

static bool af_xlate(void *arg, u64 iova, phys_addr_t *pa)
{
	struct af_tables *t = arg;

	struct arm_lpae_ref_leaf l;

	if (t->c->v7s)
		return v7s_ref_xlate(&t->vref, iova, pa);
	if (!arm_lpae_ref_walk(&t->ref, iova, &l))
		return false;
	*pa = l.oa;
	return true;
}

/* iova_to_phys() and the walker, probed inside and around each mapping */
static void af_probe(struct af_tables *t, u64 delta)
{
	struct af_case *c = t->c;
	struct iopt_shadow *sh = &c->sh;
	unsigned int i;

	sh->n = 0;
	for (i = 0; i < c->nneigh; i++) {
		const struct af_map *m = &c->neigh[i];

		iopt_shadow_add(sh, m->iova, m->pa, m->pgsize * m->pgcount,
				m->pgsize, m->prot);
	}
	if (delta)
		iopt_shadow_add(sh, c->req.iova, c->req.pa, delta,
				c->req.pgsize, c->req.prot);
	KUNIT_EXPECT_EQ_MSG(c->test, iopt_shadow_check(c->test, sh, t->ops,
						       af_xlate, t), 0,
			    "%s", c->what);
	/* the first page *mapped leaves out translates nowhere */
	if (delta < (u64)c->req.pgsize * c->req.pgcount) {
		phys_addr_t pa;
		u64 iova = c->req.iova + delta;

		KUNIT_EXPECT_EQ_MSG(c->test,
				    (u64)t->ops->iova_to_phys(t->ops, iova), 0,
				    "%s: %#llx", c->what, iova);
		KUNIT_EXPECT_FALSE_MSG(c->test, af_xlate(t, iova, &pa),
				       "%s: %#llx", c->what, iova);
	}
}

/* Arm the failure of the @n-th allocation of @mode; 0 disarms. */
static void af_arm(struct af_tables *t, unsigned int n)
{
	struct iopt_test_ctx *ctx = t->c->ctx;

	switch (t->mode) {
	case AF_HOOK:
		ctx->fail_after = n ? ctx->allocs + n - 1 : UINT_MAX;
		break;
	case AF_KERNEL:
		shim_fail_nth_alloc(n);
		break;
	default:
		shim_fail_nth_dma_map(n);
		break;
	}
}

/* Failures the injectors made so far, whichever the mode. */
static unsigned long af_failures(struct af_case *c)
{
	return shim_injected_failures() + c->ctx->alloc_calls - c->ctx->allocs;
}

/*
 * The allocations one clean run of the request makes, and the tables it
 * leaves when mapped and when unmapped again.
 */
struct af_clean {
	unsigned int	allocs;
	unsigned int	tables_mapped;
	size_t		live_mapped;
	size_t		live_unmapped;
};

/* Map the neighbours and record their leaves; returns the tables. */
static unsigned int af_prepare(struct af_tables *t)
{
	struct af_case *c = t->c;
	unsigned int i;

	for (i = 0; i < c->nneigh; i++) {
		const struct af_map *m = &c->neigh[i];

		KUNIT_ASSERT_EQ_MSG(c->test,
				    iopt_test_map(t->ops, m->iova, m->pa,
						  m->pgsize, m->pgcount,
						  m->prot, NULL), 0,
				    "neighbour %#llx", m->iova);
	}
	return af_census(t, true, 0, "the neighbours", false);
}

static void af_free(struct af_tables *t, size_t live0, size_t dma0)
{
	struct af_case *c = t->c;

	free_io_pgtable_ops(t->ops);
	t->ops = NULL;
	KUNIT_EXPECT_EQ_MSG(c->test, shim_live_allocs(), live0,
			    "%s: allocations after free_io_pgtable_ops()",
			    c->what);
	KUNIT_EXPECT_EQ_MSG(c->test, shim_dma_live_mappings(), dma0,
			    "%s: DMA mappings after free_io_pgtable_ops()",
			    c->what);
	KUNIT_EXPECT_EQ_MSG(c->test, c->ctx->live, 0, "%s", c->what);
	KUNIT_EXPECT_EQ_MSG(c->test, c->ctx->bad_frees, 0, "%s", c->what);
}

static void af_clean_run(struct af_case *c, enum af_mode mode,
			 struct af_clean *cl)
{
	const struct af_map *r = &c->req;
	u64 total = (u64)r->pgsize * r->pgcount;
	size_t live0 = shim_live_allocs(), dma0 = shim_dma_live_mappings();
	size_t mapped = AF_MAPPED_BIAS, live1, dma1;
	unsigned long attempts, calls;
	struct af_tables t;
	unsigned int tables0;

	snprintf(c->what, sizeof(c->what), "%s: clean run",
		 af_mode_name[mode]);
	if (!af_tables_new(c, mode, &t))
		return;
	tables0 = af_prepare(&t);
	live1 = shim_live_allocs();
	dma1 = shim_dma_live_mappings();
	attempts = shim_alloc_attempts();
	calls = c->ctx->alloc_calls;
	KUNIT_EXPECT_EQ_MSG(c->test, iopt_test_map(t.ops, r->iova, r->pa,
						   r->pgsize, r->pgcount,
						   r->prot, &mapped), 0,
			    "%s", c->what);
	KUNIT_EXPECT_EQ_MSG(c->test, (u64)mapped, AF_MAPPED_BIAS + total, "%s",
			    c->what);
	switch (mode) {
	case AF_HOOK:
		cl->allocs = c->ctx->alloc_calls - calls;
		break;
	case AF_KERNEL:
		cl->allocs = shim_alloc_attempts() - attempts;
		break;
	default:
		cl->allocs = shim_dma_live_mappings() - dma1;
		break;
	}
	cl->live_mapped = shim_live_allocs() - live1;
	cl->tables_mapped = af_census(&t, false, total, "the clean map",
				      false) - tables0;
	KUNIT_EXPECT_EQ_MSG(c->test, cl->live_mapped, cl->tables_mapped,
			    "%s: allocations and tables", c->what);
	af_probe(&t, total);
	KUNIT_EXPECT_EQ_MSG(c->test, (u64)iopt_test_unmap(t.ops, r->iova,
							  r->pgsize,
							  r->pgcount),
			    total, "%s", c->what);
	cl->live_unmapped = shim_live_allocs() - live1;
	KUNIT_EXPECT_EQ_MSG(c->test,
			    af_census(&t, false, 0, "the clean unmap", false),
			    tables0 + cl->live_unmapped, "%s", c->what);
	af_free(&t, live0, dma0);
}

/*
 * Fail the @n-th allocation of @mode in one fresh set of tables, check,
 * recover. Returns whether the failure fired (else the request succeeded).
 */
static bool af_attempt(struct af_case *c, enum af_mode mode, unsigned int n,
		       const struct af_clean *cl)
{
	const struct af_map *r = &c->req;
	u64 total = (u64)r->pgsize * r->pgcount, delta;
	size_t live0 = shim_live_allocs(), dma0 = shim_dma_live_mappings();
	size_t mapped = AF_MAPPED_BIAS, live1, dma1, live2, dma2;
	unsigned int tables0, tables;
	unsigned long fails, warns;
	struct af_tables t;
	bool fired;
	int ret;

	snprintf(c->what, sizeof(c->what), "%s fails at #%u",
		 af_mode_name[mode], n);
	if (!af_tables_new(c, mode, &t))
		return false;
	tables0 = af_prepare(&t);
	live1 = shim_live_allocs();
	dma1 = shim_dma_live_mappings();
	warns = shim_warn_count();
	fails = af_failures(c);

	af_arm(&t, n);
	ret = t.ops->map_pages(t.ops, r->iova, r->pa, r->pgsize, r->pgcount,
			       r->prot, GFP_KERNEL, &mapped);
	af_arm(&t, 0);
	fired = af_failures(c) != fails;
	live2 = shim_live_allocs();
	dma2 = shim_dma_live_mappings();

	KUNIT_EXPECT_EQ_MSG(c->test, shim_warn_count(), warns, "%s: WARN",
			    c->what);
	delta = (u64)mapped - AF_MAPPED_BIAS;
	if (!fired) {
		/* the request needs fewer than @n: it must simply work */
		KUNIT_EXPECT_EQ_MSG(c->test, ret, 0, "%s", c->what);
		KUNIT_EXPECT_EQ_MSG(c->test, delta, total, "%s", c->what);
	} else {
		c->fails++;
		KUNIT_EXPECT_EQ_MSG(c->test, ret, -ENOMEM, "%s", c->what);
		KUNIT_EXPECT_LT_MSG(c->test, delta, total, "%s", c->what);
		KUNIT_EXPECT_EQ_MSG(c->test, delta % r->pgsize, 0, "%s",
				    c->what);
		if (delta > total)
			delta = 0;	/* reported; check nothing is mapped */
		if (delta)
			c->partial++;
		else
			c->none++;
	}

	/* nothing leaked: every allocation since is a table the walker sees */
	tables = af_census(&t, false, delta, "after the failure", true);
	af_snap_check(&t, "after the failure");
	KUNIT_EXPECT_EQ_MSG(c->test, live2 - live1, tables - tables0,
			    "%s: allocations and reachable tables", c->what);
	KUNIT_EXPECT_EQ_MSG(c->test, dma2 - dma1,
			    c->p->coherent ? 0 : tables - tables0,
			    "%s: DMA mappings and reachable tables", c->what);
	KUNIT_EXPECT_EQ_MSG(c->test, c->ctx->live,
			    af_mode_hook(mode) ? tables : 0,
			    "%s: cfg->alloc tables and reachable tables",
			    c->what);
	af_probe(&t, delta);

	if (fired) {
		/* give back what *mapped reported, then the request works */
		if (delta) {
			KUNIT_EXPECT_EQ_MSG(c->test,
					    (u64)iopt_test_unmap(t.ops, r->iova,
								 r->pgsize,
								 delta / r->pgsize),
					    delta, "%s: unmapping *mapped",
					    c->what);
			tables = af_census(&t, false, 0,
					   "after unmapping *mapped", false);
			KUNIT_EXPECT_EQ_MSG(c->test, shim_live_allocs() - live1,
					    tables - tables0, "%s", c->what);
		}
		c->empty = max(c->empty, tables - tables0);

		mapped = AF_MAPPED_BIAS;
		KUNIT_EXPECT_EQ_MSG(c->test,
				    iopt_test_map(t.ops, r->iova, r->pa,
						  r->pgsize, r->pgcount,
						  r->prot, &mapped), 0,
				    "%s: the second attempt", c->what);
		KUNIT_EXPECT_EQ_MSG(c->test, (u64)mapped,
				    AF_MAPPED_BIAS + total,
				    "%s: the second attempt", c->what);
		af_probe(&t, total);
	}

	/* whatever happened, the tables are now those of a clean run */
	tables = af_census(&t, false, total, "mapped", false);
	KUNIT_EXPECT_EQ_MSG(c->test, tables - tables0, cl->tables_mapped,
			    "%s: tables, against a clean run", c->what);
	KUNIT_EXPECT_EQ_MSG(c->test, shim_live_allocs() - live1,
			    cl->live_mapped,
			    "%s: allocations, against a clean run", c->what);
	KUNIT_EXPECT_EQ_MSG(c->test, (u64)iopt_test_unmap(t.ops, r->iova,
							  r->pgsize,
							  r->pgcount),
			    total, "%s: unmapping the request", c->what);
	KUNIT_EXPECT_EQ_MSG(c->test, shim_live_allocs() - live1,
			    cl->live_unmapped,
			    "%s: allocations, against a clean run", c->what);
	KUNIT_EXPECT_EQ_MSG(c->test, shim_warn_count(), warns, "%s: WARN",
			    c->what);
	af_free(&t, live0, dma0);
	return fired;
}

static bool af_mode_applies(struct af_case *c, enum af_mode mode)
{
	if (af_mode_dma(mode) && c->p->coherent)
		return false;
	/*
	 * Normal memory of the shim lies above 2^44, out of a 35-bit
	 * descriptor's reach: only cfg->alloc can give these tables.
	 */
	return af_mode_hook(mode) ||
	       !(c->p->quirks & IO_PGTABLE_QUIRK_ARM_MTK_TTBR_EXT);
}

/* Every failure of every mode, for the request and neighbours in @c. */
static void af_run(struct af_case *c)
{
	enum af_mode mode;

	for (mode = 0; mode < AF_NR_MODES; mode++) {
		struct af_clean cl = {};
		unsigned int n, fired = 0;

		if (!af_mode_applies(c, mode))
			continue;
		af_clean_run(c, mode, &cl);
		for (n = 1; n <= AF_MAX_N; n++) {
			if (!af_attempt(c, mode, n, &cl))
				break;
			fired++;
		}
		KUNIT_EXPECT_LE_MSG(c->test, n, AF_MAX_N,
				    "%s: never succeeded", af_mode_name[mode]);
		/* each allocation of a clean run was failed once */
		KUNIT_EXPECT_EQ_MSG(c->test, fired, cl.allocs,
				    "%s: failures injected", af_mode_name[mode]);
	}
}

/*
 * Neighbours before each request, sharing less and less of its path: none
 * but far ones, a page in its first leaf table, one in the leaf table
 * before, one in the level-2 table before. Failures then happen at every
 * depth. A neighbour that is the same as an earlier one is skipped.
 */
#define AF_NR_SETS	4

static bool af_neighbours(struct af_case *c, unsigned int set, u64 base,
			  u64 end, u64 g, u64 blk1, u64 blk2, u64 npa)
{
	static const char * const names[AF_NR_SETS] = {
		"far neighbours only", "a page before it",
		"a page in the leaf table before", "a page in the level-2 table before",
	};
	u64 cand[AF_NR_SETS] = {
		0,
		c->req.iova - g,
		ALIGN_DOWN(c->req.iova, blk2) - g,
		blk1 ? ALIGN_DOWN(c->req.iova, blk1) - g : 0,
	};
	unsigned int i;

	c->nneigh = 0;
	c->neigh[c->nneigh++] = (struct af_map) {
		base, npa, g, 1, IOMMU_READ | IOMMU_WRITE };
	c->neigh[c->nneigh++] = (struct af_map) {
		end - g, npa + g, g, 1, IOMMU_READ | IOMMU_WRITE };
	if (set) {
		if (!cand[set] || cand[set] <= base)
			return false;
		for (i = 1; i < set; i++)
			if (cand[i] == cand[set])
				return false;
		c->neigh[c->nneigh++] = (struct af_map) {
			cand[set], npa + 2 * g, g, 1,
			IOMMU_READ | IOMMU_WRITE };
	}
	kunit_info(c->test, "%s pgsize %#zx x %zu at %#llx, %s",
		   c->p->desc, c->req.pgsize, c->req.pgcount, c->req.iova,
		   names[set]);
	return true;
}

static struct af_case *af_case_new(struct kunit *test)
{
	const struct af_param *p = test->param_value;
	struct af_case *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, c);
	c->test = test;
	c->p = p;
	c->v7s = p->fmt == ARM_V7S;
	c->ctx = iopt_test_ctx_alloc(test);
	c->dev = iopt_test_dma_device(test);
	iopt_shadow_init(test, &c->sh, AF_MAX_NEIGH + 4);
	for (i = 0; i < AF_SNAP_MAX; i++) {
		c->snap[i].copy = kunit_kmalloc(test, AF_SNAP_SIZE, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, c->snap[i].copy);
	}
	shim_warn_quiet(true);
	return c;
}

static void af_report(struct af_case *c, unsigned int sets)
{
	KUNIT_EXPECT_GT(c->test, sets, 0);
	/* LPAE reserves every table before it writes: all or nothing */
	if (c->p->fmt != ARM_V7S) {
		KUNIT_EXPECT_EQ_MSG(c->test, c->partial, 0, "%s", c->p->desc);
		KUNIT_EXPECT_EQ_MSG(c->test, c->empty, 0, "%s", c->p->desc);
	}
	kunit_info(c->test, "%s: %u failures: %u kept pages mapped, %u kept nothing; up to %u empty tables remain",
		   c->p->desc, c->fails, c->partial, c->none, c->empty);
}

/*
 * alloc_io_pgtable_ops() itself, every allocation of it failed in turn:
 * NULL, and nothing left behind (no allocation, DMA mapping or kmem cache).
 */
static void af_ops_test(struct kunit *test)
{
	struct af_case *c = af_case_new(test);
	enum af_mode mode;

	for (mode = 0; mode < AF_NR_MODES; mode++) {
		unsigned int n, fired = 0;

		if (!af_mode_applies(c, mode))
			continue;
		for (n = 1; n <= AF_MAX_N; n++) {
			size_t live0 = shim_live_allocs();
			size_t dma0 = shim_dma_live_mappings();
			unsigned long fails, warns = shim_warn_count();
			struct shim_mem_stats st0, st1;
			struct io_pgtable_ops *ops;
			struct af_tables t;

			snprintf(c->what, sizeof(c->what),
				 "alloc_io_pgtable_ops(), %s fails at #%u",
				 af_mode_name[mode], n);
			af_tables_cfg(c, mode, &t);
			shim_mem_stats(&st0);
			fails = af_failures(c);
			af_arm(&t, n);
			ops = alloc_io_pgtable_ops(c->p->fmt, &t.cfg, c->ctx);
			af_arm(&t, 0);
			KUNIT_EXPECT_EQ_MSG(test, shim_warn_count(), warns,
					    "%s: WARN", c->what);
			if (af_failures(c) == fails) {
				KUNIT_EXPECT_NOT_NULL_MSG(test, ops, "%s",
							  c->what);
				if (ops)
					free_io_pgtable_ops(ops);
				break;
			}
			fired++;
			KUNIT_EXPECT_NULL_MSG(test, ops, "%s", c->what);
			if (ops)
				free_io_pgtable_ops(ops);
			shim_mem_stats(&st1);
			KUNIT_EXPECT_EQ_MSG(test, shim_live_allocs(), live0,
					    "%s: allocations", c->what);
			KUNIT_EXPECT_EQ_MSG(test, shim_dma_live_mappings(),
					    dma0, "%s: DMA mappings", c->what);
			KUNIT_EXPECT_EQ_MSG(test, st1.nr_caches, st0.nr_caches,
					    "%s: kmem caches", c->what);
			KUNIT_EXPECT_EQ_MSG(test, c->ctx->live, 0, "%s",
					    c->what);
		}
		/* at least the PGD, always through cfg->alloc when set */
		KUNIT_EXPECT_GT_MSG(test, fired, 0, "%s", af_mode_name[mode]);
		KUNIT_EXPECT_LE_MSG(test, n, AF_MAX_N, "%s never succeeded",
				    af_mode_name[mode]);
		kunit_info(test, "%s: %s: %u failures", c->p->desc,
			   af_mode_name[mode], fired);
	}
	KUNIT_EXPECT_EQ(test, c->ctx->bad_frees, 0);
}

static void alloc_fail_lpae_alloc_io_pgtable_ops(struct kunit *test)
{
	af_ops_test(test);
}

static void alloc_fail_v7s_alloc_io_pgtable_ops(struct kunit *test)
{
	af_ops_test(test);
}

/*
 * LPAE requests. The region they use starts half way up the input space
 * (in a top-level entry of its own), and, when the walk starts at level 0,
 * two level-2 tables further so that the level-2 table before it is in the
 * same level-1 table.
 */
enum af_lpae_req {
	AF_PAGE,	/* one page: every level below the top may be new */
	AF_TABLES,	/* pages over three leaf tables, one of them whole */
	AF_CROSS,	/* pages over three leaf tables and two level-2 ones */
	AF_BLOCK,	/* one block of level 2 */
	AF_BLOCKS_CROSS,/* blocks of level 2 across a level-1 boundary */
	AF_BLOCK_L1,	/* blocks of level 1 (4K granule) */
};

static void af_lpae_test(struct kunit *test, enum af_lpae_req kind)
{
	struct af_case *c = af_case_new(test);
	const struct af_param *p = c->p;
	unsigned int gshift = __ffs(p->granule), start, sets = 0, set;
	u64 g = p->granule, blk1, blk2, base = 0, end, r, npa, pa;
	struct af_map *q = &c->req;

	start = af_lpae_start_level(p);

	blk1 = 1ULL << arm_lpae_ref_level_shift(gshift, 1);
	blk2 = 1ULL << arm_lpae_ref_level_shift(gshift, 2);
	if (p->quirks & IO_PGTABLE_QUIRK_ARM_TTBR1)
		base = ~0ULL << p->ias;
	end = base + (1ULL << p->ias);	/* 0 for the top of TTBR1 */
	r = base + BIT_ULL(p->ias - 1) + (start == 0 ? 2 * blk1 : 0);
	npa = 16 * g;

	pa = 2 * blk1;
	switch (kind) {
	case AF_PAGE:
		*q = (struct af_map) { r + 2 * blk2 + 3 * g, pa, g, 1 };
		break;
	case AF_TABLES:
		*q = (struct af_map) { r + 2 * blk2 - 5 * g, pa, g,
				       blk2 / g + 10 };
		break;
	case AF_CROSS:
		*q = (struct af_map) { r + blk1 - blk2 - 5 * g, pa, g,
				       2 * (blk2 / g) + 10 };
		break;
	case AF_BLOCK:
		*q = (struct af_map) { r + 2 * blk2, pa, blk2, 1 };
		break;
	case AF_BLOCKS_CROSS:
		*q = (struct af_map) { r + blk1 - 2 * blk2, pa, blk2, 4 };
		break;
	case AF_BLOCK_L1:
		/* from level 1, they are PGD entries and need no table */
		*q = (struct af_map) { r + (start == 0 ? blk1 : 0), pa,
				       blk1, start == 0 ? 2 : 1 };
		break;
	}
	q->prot = IOMMU_READ;
	if (q->iova - base + (u64)q->pgsize * q->pgcount > end - base - g)
		kunit_skip(test, "the request does not fit");

	for (set = 0; set < AF_NR_SETS; set++) {
		u64 b1 = start == 0 ? blk1 : 0;

		if (set == 2 && start > 1)
			continue;	/* the leaf table before is in another top entry */
		if (!af_neighbours(c, set, base, end, g, b1, blk2, npa))
			continue;
		sets++;
		af_run(c);
	}
	af_report(c, sets);
}

static void alloc_fail_lpae_page(struct kunit *test)
{
	af_lpae_test(test, AF_PAGE);
}

static void alloc_fail_lpae_pages_over_three_tables(struct kunit *test)
{
	af_lpae_test(test, AF_TABLES);
}

static void alloc_fail_lpae_pages_across_level1(struct kunit *test)
{
	af_lpae_test(test, AF_CROSS);
}

static void alloc_fail_lpae_block(struct kunit *test)
{
	af_lpae_test(test, AF_BLOCK);
}

static void alloc_fail_lpae_blocks_across_level1(struct kunit *test)
{
	af_lpae_test(test, AF_BLOCKS_CROSS);
}

static void alloc_fail_lpae_level1_blocks(struct kunit *test)
{
	af_lpae_test(test, AF_BLOCK_L1);
}

/* v7s requests, from 2 GiB up */
enum af_v7s_req {
	AF_V7S_PAGE,		/* one small page: a new level-2 table */
	AF_V7S_PAGES,		/* small pages over three level-2 tables */
	AF_V7S_LARGE,		/* large pages over three level-2 tables */
	AF_V7S_SECTIONS,	/* 1 MiB sections: no allocation */
	AF_V7S_SUPER,		/* 16 MiB supersections: no allocation */
};

static void af_v7s_test(struct kunit *test, enum af_v7s_req kind)
{
	struct af_case *c = af_case_new(test);
	const struct af_param *p = c->p;
	u64 r = SZ_2G, pa = SZ_1G, g = SZ_4K;
	unsigned int set, sets = 0;
	struct af_map *q = &c->req;

	/* MediaTek: an output address above 4 GiB */
	if (p->quirks & IO_PGTABLE_QUIRK_ARM_MTK_EXT)
		pa += SZ_4G;
	switch (kind) {
	case AF_V7S_PAGE:
		*q = (struct af_map) { r + SZ_2M + 3 * g, pa, g, 1 };
		break;
	case AF_V7S_PAGES:
		*q = (struct af_map) { r + SZ_2M - 5 * g, pa, g, 256 + 10 };
		break;
	case AF_V7S_LARGE:
		*q = (struct af_map) { r + 3 * SZ_1M - 4 * SZ_64K, pa, SZ_64K,
				       32 };
		break;
	case AF_V7S_SECTIONS:
		*q = (struct af_map) { r + SZ_4M, pa, SZ_1M, 3 };
		break;
	case AF_V7S_SUPER:
		*q = (struct af_map) { r + SZ_32M, pa, SZ_16M, 2 };
		break;
	}
	q->prot = IOMMU_READ;

	for (set = 0; set < AF_NR_SETS - 1; set++) {
		if (!af_neighbours(c, set, 0, SZ_4G, g, 0, SZ_1M, SZ_64K))
			continue;
		sets++;
		af_run(c);
	}
	af_report(c, sets);
}

static void alloc_fail_v7s_page(struct kunit *test)
{
	af_v7s_test(test, AF_V7S_PAGE);
}

static void alloc_fail_v7s_pages_over_three_tables(struct kunit *test)
{
	af_v7s_test(test, AF_V7S_PAGES);
}

static void alloc_fail_v7s_large_pages_over_three_tables(struct kunit *test)
{
	af_v7s_test(test, AF_V7S_LARGE);
}

static void alloc_fail_v7s_sections(struct kunit *test)
{
	af_v7s_test(test, AF_V7S_SECTIONS);
}

static void alloc_fail_v7s_supersections(struct kunit *test)
{
	af_v7s_test(test, AF_V7S_SUPER);
}

static struct kunit_case alloc_fail_test_cases[] = {
	KUNIT_CASE_PARAM(alloc_fail_lpae_alloc_io_pgtable_ops,
			 af_lpae_gen_params),
	KUNIT_CASE_PARAM(alloc_fail_lpae_page, af_lpae_gen_params),
	KUNIT_CASE_PARAM(alloc_fail_lpae_pages_over_three_tables,
			 af_lpae_gen_params),
	KUNIT_CASE_PARAM(alloc_fail_lpae_pages_across_level1,
			 af_lpae_level1_gen_params),
	KUNIT_CASE_PARAM(alloc_fail_lpae_block, af_lpae_gen_params),
	KUNIT_CASE_PARAM(alloc_fail_lpae_blocks_across_level1,
			 af_lpae_level1_gen_params),
	KUNIT_CASE_PARAM(alloc_fail_lpae_level1_blocks,
			 af_lpae_level1_blocks_gen_params),
	KUNIT_CASE_PARAM(alloc_fail_v7s_alloc_io_pgtable_ops, af_v7s_gen_params),
	KUNIT_CASE_PARAM(alloc_fail_v7s_page, af_v7s_gen_params),
	KUNIT_CASE_PARAM(alloc_fail_v7s_pages_over_three_tables,
			 af_v7s_gen_params),
	KUNIT_CASE_PARAM(alloc_fail_v7s_large_pages_over_three_tables,
			 af_v7s_gen_params),
	KUNIT_CASE_PARAM(alloc_fail_v7s_sections, af_v7s_gen_params),
	KUNIT_CASE_PARAM(alloc_fail_v7s_supersections, af_v7s_gen_params),
	{}
};

static struct kunit_suite alloc_fail_test_suite = {
	.name = "io-pgtable-alloc-fail",
	.test_cases = alloc_fail_test_cases,
};

kunit_test_suite(alloc_fail_test_suite);
