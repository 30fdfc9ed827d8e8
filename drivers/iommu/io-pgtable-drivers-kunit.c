// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests: the io-pgtable configurations and call patterns of the
 * in-tree users of Linux 6.12.
 *
 * Each case is named after the driver function it mirrors and builds the
 * io_pgtable_cfg that function builds, from the ID registers or features
 * of a typical device, with the flush callbacks shaped as that driver's
 * are (which ones exist, whether tlb_add_page invalidates at once or
 * dereferences the gather). It then checks:
 *
 *  - alloc_io_pgtable_ops() succeeds, or fails exactly where 6.12 fails;
 *  - the outputs, packed into the registers the driver writes (TCR, TCR2,
 *    VTCR, the SMMUv3 CD and STE words, TTBRs, Mali TRANSTAB/MEMATTR, the
 *    MediaTek PT base), and a reference walker configured from those
 *    registers alone translates what was mapped;
 *  - map_pages/unmap_pages/iova_to_phys in the driver's own loops, with
 *    its gathers: NULL (panfrost, panthor, msm) means no tlb_add_page at
 *    all; a queued gather (DMA-FQ) means no tlb_add_page; otherwise every
 *    tlb_add_page and tlb_flush_walk finds, at the moment it runs, the
 *    entry it covers already cleared as the walker sees it.
 *
 * "As the walker sees it" is the device's view of table memory: every
 * descriptor the reference walkers read goes through
 * iopt_test_walker_read64/32(). The definitions here read memory, which is
 * what a walker reads in the kernel (under QEMU the device view is
 * memory); the userspace harness links a strong definition that reads its
 * DMA model instead, so there a write that was not synced is not seen.
 */

#include <kunit/test.h>
#include <linux/bitfield.h>
#include <linux/io-pgtable.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/sizes.h>
#include <linux/slab.h>

#include "io-pgtable-arm.h"
#include "io-pgtable-arm-ref.h"
#include "io-pgtable-arm-v7s-ref.h"
#include "io-pgtable-kunit-helpers.h"

/* The default device view: memory. The harness overrides both. */
u64 __weak iopt_test_walker_read64(phys_addr_t pa, bool coherent)
{
	return READ_ONCE(*(u64 *)phys_to_virt(pa));
}

u32 __weak iopt_test_walker_read32(phys_addr_t pa, bool coherent)
{
	return READ_ONCE(*(u32 *)phys_to_virt(pa));
}

/* arm-smmu context bank registers (SMMU architecture v2). */
#define SMMU_TCR_EAE		BIT(31)
#define SMMU_TCR_TG1		GENMASK(31, 30)
#define SMMU_TCR_EPD1		BIT(23)
#define SMMU_TCR_A1		BIT(22)
#define SMMU_TCR_T1SZ		GENMASK(21, 16)
#define SMMU_TCR_TG0		GENMASK(15, 14)
#define SMMU_TCR_SH0		GENMASK(13, 12)
#define SMMU_TCR_ORGN0		GENMASK(11, 10)
#define SMMU_TCR_IRGN0		GENMASK(9, 8)
#define SMMU_TCR_EPD0		BIT(7)
#define SMMU_TCR_T0SZ		GENMASK(5, 0)
#define SMMU_TCR2_SEP		GENMASK(17, 15)
#define SMMU_TCR2_AS		BIT(4)
#define SMMU_TCR2_PASIZE	GENMASK(3, 0)
#define SMMU_VTCR_RES1		BIT(31)
#define SMMU_VTCR_PS		GENMASK(18, 16)
#define SMMU_VTCR_SL0		GENMASK(7, 6)
#define SMMU_TTBR_ASID		GENMASK_ULL(63, 48)
#define SMMU_TTBR_BADDR		GENMASK_ULL(47, 0)

/* SMMUv3 context descriptor and stream table entry fields. */
#define CD0_T0SZ		GENMASK_ULL(5, 0)
#define CD0_TG0			GENMASK_ULL(7, 6)
#define CD0_IRGN0		GENMASK_ULL(9, 8)
#define CD0_ORGN0		GENMASK_ULL(11, 10)
#define CD0_SH0			GENMASK_ULL(13, 12)
#define CD0_IPS			GENMASK_ULL(34, 32)
#define CD0_HD			BIT_ULL(42)
#define CD0_HA			BIT_ULL(43)
#define CD1_TTB0		GENMASK_ULL(51, 4)
#define STE2_S2T0SZ		GENMASK_ULL(5, 0)
#define STE2_S2SL0		GENMASK_ULL(7, 6)
#define STE2_S2IR0		GENMASK_ULL(9, 8)
#define STE2_S2OR0		GENMASK_ULL(11, 10)
#define STE2_S2SH0		GENMASK_ULL(13, 12)
#define STE2_S2TG		GENMASK_ULL(15, 14)
#define STE2_S2PS		GENMASK_ULL(18, 16)
#define STE3_S2TTB		GENMASK_ULL(51, 4)

/* Mali AS_TRANSTAB (panfrost). */
#define MALI_TRANSTAB_ADDR	GENMASK_ULL(63, 12)
#define MALI_TRANSTAB_TABLE	0x3
#define MALI_TRANSTAB_RD_INNER	BIT(2)
#define MALI_TRANSTAB_SH_OUTER	BIT(4)

#define DRV_SZ_4T		BIT_ULL(42)
#define DRV_POOL_MAX		64
#define DRV_RW			(IOMMU_READ | IOMMU_WRITE)

/**
 * enum drv_gather - the gather a driver hands unmap_pages()
 * @DRV_GATHER_STRICT: The IOMMU core's, flushed by iotlb_sync afterwards.
 * @DRV_GATHER_QUEUED: The IOMMU core's under DMA-FQ (gather->queued).
 * @DRV_GATHER_NULL:   None (panfrost, panthor, msm).
 */
enum drv_gather {
	DRV_GATHER_STRICT,
	DRV_GATHER_QUEUED,
	DRV_GATHER_NULL,
};

/**
 * enum drv_split - how a driver splits a range into map_pages() calls
 * @DRV_SPLIT_CORE: The IOMMU core (iommu_pgsize()); msm does the same.
 * @DRV_SPLIT_MALI: panfrost and panthor: 4K pages up to a 2M boundary,
 *                  then 2M blocks up to a 1G boundary.
 */
enum drv_split {
	DRV_SPLIT_CORE,
	DRV_SPLIT_MALI,
};

/**
 * struct drv_pool - pages reserved before a VM_BIND operation
 * @pages:     The reserved pages.
 * @count:     How many were reserved.
 * @ptr:       How many the allocator handed out.
 * @root:      The top-level table (allocated at creation, not reserved).
 * @root_size: Its size.
 * @page_size: The size of every other table.
 * @live:      Tables handed out and not freed, the root included.
 * @empty:     Allocations that found the reservation exhausted.
 * @bad_size:  Allocations of another size than @page_size.
 */
struct drv_pool {
	void		*pages[DRV_POOL_MAX];
	unsigned int	count;
	unsigned int	ptr;
	void		*root;
	size_t		root_size;
	size_t		page_size;
	unsigned int	live;
	unsigned int	empty;
	unsigned int	bad_size;
};

/**
 * struct drv_t - one driver's tables, and what its callbacks saw
 * @test:          The test.
 * @name:          The driver function, for messages.
 * @cfg:           The configuration the driver built, completed by the
 *                 format.
 * @ops:           The tables.
 * @fmt:           The format.
 * @granule:       The granule the format chose.
 * @base:          The lowest IOVA (the TTBR1 half, or 0).
 * @ia_bits:       The input address size the walker was programmed with.
 * @v7s:           The tables are ARM_V7S.
 * @ref:           The LPAE walker, set up from the programmed registers.
 * @vref:          The v7s walker, likewise.
 * @armed:         The walker is set up: callbacks may use it.
 * @add_page:      tlb_add_page calls.
 * @null_gather:   tlb_add_page calls with a NULL gather.
 * @queued_gather: tlb_add_page calls with a queued gather.
 * @flush_walk:    tlb_flush_walk calls.
 * @flush_all:     tlb_flush_all calls.
 * @stale:         Callbacks that ran while the walker still translated
 *                 an address they cover.
 * @stale_iova:    The first such address.
 * @stale_what:    The first such callback.
 * @inv_lo:        Lowest IOVA a tlb_add_page or tlb_flush_walk covered.
 * @inv_hi:        Highest such IOVA.
 * @v3_syncs:      SMMUv3: syncs forced by a disjoint or other-size page.
 * @pool:          A driver's reservation (panthor, msm with VM_BIND).
 * @deferred:      Tables a queued gather took, freed by the flush queue.
 */
struct drv_t {
	struct kunit			*test;
	const char			*name;
	struct io_pgtable_cfg		cfg;
	struct io_pgtable_ops		*ops;
	enum io_pgtable_fmt		fmt;
	unsigned long			granule;
	u64				base;
	unsigned int			ia_bits;
	bool				v7s;
	struct arm_lpae_ref		ref;
	struct v7s_ref			vref;
	bool				armed;

	unsigned int			add_page;
	unsigned int			null_gather;
	unsigned int			queued_gather;
	unsigned int			flush_walk;
	unsigned int			flush_all;
	unsigned int			stale;
	unsigned long			stale_iova;
	const char			*stale_what;
	u64				inv_lo;
	u64				inv_hi;
	unsigned int			v3_syncs;

	struct drv_pool			pool;
	unsigned int			deferred;
};

static u64 drv_read64(void *arg, phys_addr_t pa)
{
	struct drv_t *t = arg;

	return iopt_test_walker_read64(pa, t->cfg.coherent_walk);
}

static u32 drv_read32(void *arg, phys_addr_t pa)
{
	struct drv_t *t = arg;

	return iopt_test_walker_read32(pa, t->cfg.coherent_walk);
}

/* Whether the device translates @iova now; *@pa is where to. */
static bool drv_walk(struct drv_t *t, u64 iova, phys_addr_t *pa)
{
	if (t->v7s)
		return v7s_ref_xlate(&t->vref, iova, pa);

	{
		struct arm_lpae_ref_leaf leaf;

		if (!arm_lpae_ref_walk(&t->ref, iova, &leaf))
			return false;
		*pa = leaf.oa;
		return true;
	}
}

/*
 * Called from the flush callbacks: they may run in atomic context, so
 * they only record; drv_expect_callbacks() reports.
 */
static void drv_check_cleared(struct drv_t *t, unsigned long iova,
			      const char *what)
{
	phys_addr_t pa;

	if (!t->armed || !drv_walk(t, iova, &pa))
		return;
	if (!t->stale++) {
		t->stale_iova = iova;
		t->stale_what = what;
	}
}

/* What the callbacks invalidated, as one range (the workloads' are one). */
static void drv_note_inv(struct drv_t *t, u64 iova, u64 size)
{
	t->inv_lo = min(t->inv_lo, iova);
	t->inv_hi = max(t->inv_hi, iova + size - 1);
}

static void drv_tlb_flush_all(void *cookie)
{
	struct drv_t *t = cookie;

	t->flush_all++;
}

/* Every driver's walk flush: the entries it covers are gone first. */
static void drv_tlb_flush_walk(unsigned long iova, size_t size,
			       size_t granule, void *cookie)
{
	struct drv_t *t = cookie;

	t->flush_walk++;
	drv_note_inv(t, iova, size);
	drv_check_cleared(t, iova, "tlb_flush_walk");
	drv_check_cleared(t, iova + size - granule, "tlb_flush_walk");
}

/*
 * arm-smmu (TLBIVA/TLBIIPAS2L/TLBIVMID) and qcom_iommu (TLBIVAL): the
 * invalidation is issued from tlb_add_page itself; the gather is not used.
 */
static void drv_tlb_add_page_now(struct iommu_iotlb_gather *gather,
				 unsigned long iova, size_t granule,
				 void *cookie)
{
	struct drv_t *t = cookie;

	t->add_page++;
	t->null_gather += !gather;
	t->queued_gather += gather && gather->queued;
	drv_note_inv(t, iova, granule);
	drv_check_cleared(t, iova, "tlb_add_page");
}

/*
 * arm-smmu-v3: tlb_add_page adds the page to the gather
 * (iommu_iotlb_gather_add_page()), syncing first when the page is of
 * another size or disjoint from it. A NULL gather would be dereferenced.
 */
static void drv_tlb_add_page_gather(struct iommu_iotlb_gather *gather,
				    unsigned long iova, size_t granule,
				    void *cookie)
{
	struct drv_t *t = cookie;

	t->add_page++;
	if (!gather) {
		t->null_gather++;
		return;
	}
	t->queued_gather += gather->queued;
	drv_note_inv(t, iova, granule);
	drv_check_cleared(t, iova, "tlb_add_page");
	if ((gather->pgsize && gather->pgsize != granule) ||
	    iommu_iotlb_gather_is_disjoint(gather, iova, granule)) {
		t->v3_syncs++;
		iommu_iotlb_gather_init(gather);
	}
	gather->pgsize = granule;
	iommu_iotlb_gather_add_range(gather, iova, granule);
}

/* msm's per-process tables: tlb_add_page does nothing. */
static void drv_tlb_add_page_nop(struct iommu_iotlb_gather *gather,
				 unsigned long iova, size_t granule,
				 void *cookie)
{
	struct drv_t *t = cookie;

	t->add_page++;
	t->null_gather += !gather;
	t->queued_gather += gather && gather->queued;
}

/* The flush ops of each driver, with the callbacks it sets and no others. */
/*
 * arm-smmu's stage-1 and stage-2 ops (SMMUv2, and SMMUv1 whose stage-2
 * tlb_add_page invalidates the whole VMID) and qcom_iommu's: every one
 * invalidates from tlb_add_page at once, which is all the tables can see.
 */
static const struct iommu_flush_ops drv_invalidate_now_ops = {
	.tlb_flush_all	= drv_tlb_flush_all,
	.tlb_flush_walk	= drv_tlb_flush_walk,
	.tlb_add_page	= drv_tlb_add_page_now,
};

static const struct iommu_flush_ops arm_smmu_v3_flush_ops = {
	.tlb_flush_all	= drv_tlb_flush_all,
	.tlb_flush_walk	= drv_tlb_flush_walk,
	.tlb_add_page	= drv_tlb_add_page_gather,
};

static const struct iommu_flush_ops ipmmu_flush_ops = {
	.tlb_flush_all	= drv_tlb_flush_all,
	.tlb_flush_walk	= drv_tlb_flush_walk,
};

static const struct iommu_flush_ops mali_tlb_ops = {
	.tlb_flush_all	= drv_tlb_flush_all,
	.tlb_flush_walk	= drv_tlb_flush_walk,
};

static const struct iommu_flush_ops msm_tlb_ops = {
	.tlb_flush_all	= drv_tlb_flush_all,
	.tlb_flush_walk	= drv_tlb_flush_walk,
	.tlb_add_page	= drv_tlb_add_page_nop,
};

static void drv_reset_callbacks(struct drv_t *t)
{
	t->add_page = 0;
	t->null_gather = 0;
	t->queued_gather = 0;
	t->flush_walk = 0;
	t->deferred = 0;
	t->flush_all = 0;
	t->stale = 0;
	t->v3_syncs = 0;
	t->inv_lo = U64_MAX;
	t->inv_hi = 0;
}

/* What every unmap of every driver must have seen. */
static void drv_expect_callbacks(struct drv_t *t, enum drv_gather gather,
				 const char *what)
{
	struct kunit *test = t->test;

	KUNIT_EXPECT_EQ_MSG(test, t->stale, 0,
			    "%s, %s: %s ran while the walker still translated %#lx",
			    t->name, what, t->stale_what ?: "-", t->stale_iova);
	KUNIT_EXPECT_EQ_MSG(test, t->null_gather, 0,
			    "%s, %s: tlb_add_page with a NULL gather", t->name,
			    what);
	KUNIT_EXPECT_EQ_MSG(test, t->queued_gather, 0,
			    "%s, %s: tlb_add_page with a queued gather",
			    t->name, what);
	if (gather != DRV_GATHER_STRICT)
		KUNIT_EXPECT_EQ_MSG(test, t->add_page, 0,
				    "%s, %s: tlb_add_page without a gather to fill",
				    t->name, what);
}

static void drv_free_action(void *arg)
{
	struct drv_t *t = arg;

	t->armed = false;
	if (t->ops)
		free_io_pgtable_ops(t->ops);
	t->ops = NULL;
}

/*
 * The granule 6.12 picks from a bitmap: PAGE_SIZE, else the nearest size
 * below it, else the smallest above.
 */
static unsigned long drv_expect_granule(unsigned long bitmap)
{
	if (bitmap & PAGE_SIZE)
		return PAGE_SIZE;
	if (bitmap & (PAGE_SIZE - 1))
		return 1UL << __fls(bitmap & (PAGE_SIZE - 1));
	return 1UL << __ffs(bitmap & ~(PAGE_SIZE - 1));
}

static struct drv_t *drv_new(struct kunit *test, const char *name)
{
	struct drv_t *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, t);
	t->test = test;
	t->name = name;
	return t;
}

/* alloc_io_pgtable_ops() as the driver calls it; NULL ops if refused. */
static bool drv_alloc(struct drv_t *t, enum io_pgtable_fmt fmt)
{
	t->fmt = fmt;
	t->v7s = fmt == ARM_V7S;
	t->ops = alloc_io_pgtable_ops(fmt, &t->cfg, t);
	if (!t->ops)
		return false;
	KUNIT_ASSERT_EQ(t->test, kunit_add_action_or_reset(t->test,
							   drv_free_action, t),
			0);
	t->granule = t->cfg.pgsize_bitmap & -t->cfg.pgsize_bitmap;
	return true;
}

static void drv_free(struct drv_t *t)
{
	drv_free_action(t);
}

static unsigned int drv_tg0_shift(unsigned int tg)
{
	switch (tg) {
	case ARM_LPAE_TCR_TG0_4K:
		return 12;
	case ARM_LPAE_TCR_TG0_16K:
		return 14;
	case ARM_LPAE_TCR_TG0_64K:
		return 16;
	}
	return 0;
}

static unsigned int drv_tg1_shift(unsigned int tg)
{
	switch (tg) {
	case ARM_LPAE_TCR_TG1_4K:
		return 12;
	case ARM_LPAE_TCR_TG1_16K:
		return 14;
	case ARM_LPAE_TCR_TG1_64K:
		return 16;
	}
	return 0;
}

static unsigned int drv_ps_bits(unsigned int ps)
{
	static const unsigned int bits[] = { 32, 36, 40, 42, 44, 48, 52 };

	return ps < ARRAY_SIZE(bits) ? bits[ps] : 0;
}

static int drv_ps_of(unsigned int oas)
{
	int i;

	for (i = 0; i <= 6; i++)
		if (drv_ps_bits(i) == oas)
			return i;
	return -1;
}

/* Arm the LPAE walker from what the hardware was programmed with. */
static void drv_arm_lpae(struct drv_t *t, enum arm_lpae_ref_stage stage,
			 unsigned int gshift, unsigned int ias, int level,
			 phys_addr_t pgd, bool ttbr1, bool lpa52, u64 mair)
{
	struct kunit *test = t->test;

	KUNIT_ASSERT_NE_MSG(test, gshift, 0, "%s: no granule programmed",
			    t->name);
	KUNIT_ASSERT_EQ_MSG(test, 1UL << gshift, t->granule,
			    "%s: the programmed granule is not the tables'",
			    t->name);
	memset(&t->ref, 0, sizeof(t->ref));
	t->ref.stage = stage;
	t->ref.granule_shift = gshift;
	t->ref.ias = ias;
	t->ref.start_level = level;
	t->ref.pgd = pgd;
	t->ref.ttbr1 = ttbr1;
	t->ref.lpa52 = lpa52;
	t->ref.mair = mair;
	t->ref.read = drv_read64;
	t->ref.ctx = t;
	t->ia_bits = ias;
	t->base = ttbr1 ? ~0ULL << ias : 0;
	t->armed = true;
}

/* The start level of a stage-1 walk of @ias bits (TnSZ alone decides). */
static int drv_s1_level(unsigned int gshift, unsigned int ias)
{
	return arm_lpae_ref_min_start_level(gshift, ias);
}

/* VTCR.SL0 to the start level, by the granule. */
static int drv_s2_level(unsigned int gshift, unsigned int sl0)
{
	/* with 4K, 0b11 is level 3 (FEAT_TTST) */
	if (gshift == 12)
		return sl0 == 3 ? 3 : 2 - (int)sl0;
	return 3 - (int)sl0;
}

/* The registers the arm-smmu driver writes for a stage-1 context. */
struct drv_smmu_cb {
	u32	tcr;
	u32	tcr2;
	u64	ttbr[2];
	u32	mair[2];
};

/* arm_smmu_lpae_tcr() and its TTBR1 form. */
static u32 drv_smmu_lpae_tcr(const struct io_pgtable_cfg *cfg)
{
	u32 tcr = FIELD_PREP(SMMU_TCR_TG0, cfg->arm_lpae_s1_cfg.tcr.tg) |
		  FIELD_PREP(SMMU_TCR_SH0, cfg->arm_lpae_s1_cfg.tcr.sh) |
		  FIELD_PREP(SMMU_TCR_ORGN0, cfg->arm_lpae_s1_cfg.tcr.orgn) |
		  FIELD_PREP(SMMU_TCR_IRGN0, cfg->arm_lpae_s1_cfg.tcr.irgn) |
		  FIELD_PREP(SMMU_TCR_T0SZ, cfg->arm_lpae_s1_cfg.tcr.tsz);

	if (cfg->quirks & IO_PGTABLE_QUIRK_ARM_TTBR1)
		return ((tcr << 16) & ~SMMU_TCR_A1) | SMMU_TCR_EPD0;
	return tcr | SMMU_TCR_EPD1;
}

static u32 drv_smmu_vtcr(const struct io_pgtable_cfg *cfg)
{
	return SMMU_VTCR_RES1 |
	       FIELD_PREP(SMMU_VTCR_PS, cfg->arm_lpae_s2_cfg.vtcr.ps) |
	       FIELD_PREP(SMMU_TCR_TG0, cfg->arm_lpae_s2_cfg.vtcr.tg) |
	       FIELD_PREP(SMMU_TCR_SH0, cfg->arm_lpae_s2_cfg.vtcr.sh) |
	       FIELD_PREP(SMMU_TCR_ORGN0, cfg->arm_lpae_s2_cfg.vtcr.orgn) |
	       FIELD_PREP(SMMU_TCR_IRGN0, cfg->arm_lpae_s2_cfg.vtcr.irgn) |
	       FIELD_PREP(SMMU_VTCR_SL0, cfg->arm_lpae_s2_cfg.vtcr.sl) |
	       FIELD_PREP(SMMU_TCR_T0SZ, cfg->arm_lpae_s2_cfg.vtcr.tsz);
}

/* Walk attributes by coherency, as 6.12 reports them. */
static void drv_expect_walk_attrs(struct drv_t *t, unsigned int sh,
				  unsigned int irgn, unsigned int orgn,
				  bool outer_wbwa)
{
	struct kunit *test = t->test;

	if (t->cfg.coherent_walk) {
		KUNIT_EXPECT_EQ(test, sh, ARM_LPAE_TCR_SH_IS);
		KUNIT_EXPECT_EQ(test, irgn, ARM_LPAE_TCR_RGN_WBWA);
		KUNIT_EXPECT_EQ(test, orgn, ARM_LPAE_TCR_RGN_WBWA);
	} else {
		KUNIT_EXPECT_EQ(test, sh, ARM_LPAE_TCR_SH_OS);
		KUNIT_EXPECT_EQ(test, irgn, ARM_LPAE_TCR_RGN_NC);
		KUNIT_EXPECT_EQ(test, orgn, outer_wbwa ? ARM_LPAE_TCR_RGN_WBWA :
					    ARM_LPAE_TCR_RGN_NC);
	}
}

/*
 * arm_smmu_init_context_bank() for a stage-1 LPAE context, then the walker
 * armed from the registers: TTBR0 or TTBR1 by the quirk, TnSZ, TGn (each
 * half has its own TG encoding), TCR2.PASIZE, MAIR0/1.
 */
static void drv_arm_smmu_s1_regs(struct drv_t *t, bool aarch64, u16 asid)
{
	struct kunit *test = t->test;
	const struct io_pgtable_cfg *cfg = &t->cfg;
	bool ttbr1 = cfg->quirks & IO_PGTABLE_QUIRK_ARM_TTBR1;
	struct drv_smmu_cb cb = {};
	unsigned int gshift, tsz, ias;
	u64 ttbr;
	u32 low;

	cb.tcr = drv_smmu_lpae_tcr(cfg);
	cb.tcr2 = FIELD_PREP(SMMU_TCR2_PASIZE, cfg->arm_lpae_s1_cfg.tcr.ips) |
		  FIELD_PREP(SMMU_TCR2_SEP, 7);
	if (aarch64)
		cb.tcr2 |= SMMU_TCR2_AS;
	else
		cb.tcr |= SMMU_TCR_EAE;
	cb.ttbr[0] = FIELD_PREP(SMMU_TTBR_ASID, asid);
	cb.ttbr[1] = FIELD_PREP(SMMU_TTBR_ASID, asid);
	cb.ttbr[ttbr1] |= cfg->arm_lpae_s1_cfg.ttbr;
	cb.mair[0] = cfg->arm_lpae_s1_cfg.mair;
	cb.mair[1] = cfg->arm_lpae_s1_cfg.mair >> 32;

	/* decode, as the SMMU does */
	KUNIT_EXPECT_TRUE(test, cb.tcr & (ttbr1 ? SMMU_TCR_EPD0 : SMMU_TCR_EPD1));
	if (ttbr1) {
		low = cb.tcr >> 16;
		gshift = drv_tg1_shift(FIELD_GET(SMMU_TCR_TG1, cb.tcr));
		tsz = FIELD_GET(SMMU_TCR_T1SZ, cb.tcr);
	} else {
		low = cb.tcr;
		gshift = drv_tg0_shift(FIELD_GET(SMMU_TCR_TG0, cb.tcr));
		tsz = FIELD_GET(SMMU_TCR_T0SZ, cb.tcr);
	}
	/* AArch32 long descriptors: T0SZ is 3 bits, of a 32-bit space */
	ias = aarch64 ? 64 - tsz : 32 - (tsz & 7);
	KUNIT_EXPECT_EQ_MSG(test, ias, cfg->ias, "%s: TnSZ", t->name);
	drv_expect_walk_attrs(t, FIELD_GET(SMMU_TCR_SH0, low),
			      FIELD_GET(SMMU_TCR_IRGN0, low),
			      FIELD_GET(SMMU_TCR_ORGN0, low),
			      cfg->quirks & IO_PGTABLE_QUIRK_ARM_OUTER_WBWA);
	KUNIT_EXPECT_EQ_MSG(test, drv_ps_bits(FIELD_GET(SMMU_TCR2_PASIZE, cb.tcr2)),
			    cfg->oas, "%s: TCR2.PASIZE", t->name);
	ttbr = cb.ttbr[ttbr1];
	KUNIT_EXPECT_EQ(test, ttbr >> 48, asid);
	KUNIT_EXPECT_EQ_MSG(test, cfg->arm_lpae_s1_cfg.ttbr & ~SMMU_TTBR_BADDR,
			    0, "%s: the TTBR would clobber the ASID", t->name);
	drv_arm_lpae(t, ARM_LPAE_REF_S1, gshift, ias, drv_s1_level(gshift, ias),
		     ttbr & SMMU_TTBR_BADDR, ttbr1,
		     FIELD_GET(SMMU_TCR2_PASIZE, cb.tcr2) == 6,
		     cb.mair[0] | (u64)cb.mair[1] << 32);
}

/* arm_smmu_init_context_bank() for stage 2: VTCR and VTTBR alone. */
static void drv_arm_smmu_s2_regs(struct drv_t *t, bool aarch64)
{
	struct kunit *test = t->test;
	const struct io_pgtable_cfg *cfg = &t->cfg;
	u32 vtcr = drv_smmu_vtcr(cfg);
	unsigned int gshift, tsz, ias;

	gshift = drv_tg0_shift(FIELD_GET(SMMU_TCR_TG0, vtcr));
	tsz = FIELD_GET(SMMU_TCR_T0SZ, vtcr);
	/* AArch32 VTCR.T0SZ: 4 bits, signed, of a 32-bit space */
	ias = aarch64 ? 64 - tsz : 32 - (((int)(tsz & 0xf) ^ 8) - 8);
	KUNIT_EXPECT_EQ_MSG(test, ias, cfg->ias, "%s: VTCR.T0SZ", t->name);
	if (!aarch64)
		KUNIT_EXPECT_EQ_MSG(test, !!(tsz & BIT(4)), !!(tsz & BIT(3)),
				    "%s: VTCR.S must equal T0SZ[3]", t->name);
	drv_expect_walk_attrs(t, FIELD_GET(SMMU_TCR_SH0, vtcr),
			      FIELD_GET(SMMU_TCR_IRGN0, vtcr),
			      FIELD_GET(SMMU_TCR_ORGN0, vtcr), false);
	KUNIT_EXPECT_EQ_MSG(test, drv_ps_bits(FIELD_GET(SMMU_VTCR_PS, vtcr)),
			    cfg->oas, "%s: VTCR.PS", t->name);
	drv_arm_lpae(t, ARM_LPAE_REF_S2, gshift, ias,
		     drv_s2_level(gshift, FIELD_GET(SMMU_VTCR_SL0, vtcr)),
		     cfg->arm_lpae_s2_cfg.vttbr, false,
		     FIELD_GET(SMMU_VTCR_PS, vtcr) == 6, 0);
}

/* arm_smmu_make_s1_cd(): the CD's TCR, TTB0 and MAIR words. */
static void drv_arm_smmu_v3_cd(struct drv_t *t)
{
	struct kunit *test = t->test;
	const struct io_pgtable_cfg *cfg = &t->cfg;
	u64 cd0, cd1;
	unsigned int gshift, ias;

	cd0 = FIELD_PREP(CD0_T0SZ, cfg->arm_lpae_s1_cfg.tcr.tsz) |
	      FIELD_PREP(CD0_TG0, cfg->arm_lpae_s1_cfg.tcr.tg) |
	      FIELD_PREP(CD0_IRGN0, cfg->arm_lpae_s1_cfg.tcr.irgn) |
	      FIELD_PREP(CD0_ORGN0, cfg->arm_lpae_s1_cfg.tcr.orgn) |
	      FIELD_PREP(CD0_SH0, cfg->arm_lpae_s1_cfg.tcr.sh) |
	      FIELD_PREP(CD0_IPS, cfg->arm_lpae_s1_cfg.tcr.ips);
	if (cfg->quirks & IO_PGTABLE_QUIRK_ARM_HD)
		cd0 |= CD0_HA | CD0_HD;
	cd1 = cfg->arm_lpae_s1_cfg.ttbr & CD1_TTB0;

	KUNIT_EXPECT_EQ_MSG(test, cfg->arm_lpae_s1_cfg.ttbr & ~CD1_TTB0, 0,
			    "%s: TTB0 loses bits", t->name);
	gshift = drv_tg0_shift(FIELD_GET(CD0_TG0, cd0));
	ias = 64 - FIELD_GET(CD0_T0SZ, cd0);
	KUNIT_EXPECT_EQ(test, ias, cfg->ias);
	KUNIT_EXPECT_EQ(test, drv_ps_bits(FIELD_GET(CD0_IPS, cd0)), cfg->oas);
	drv_expect_walk_attrs(t, FIELD_GET(CD0_SH0, cd0),
			      FIELD_GET(CD0_IRGN0, cd0),
			      FIELD_GET(CD0_ORGN0, cd0), false);
	drv_arm_lpae(t, ARM_LPAE_REF_S1, gshift, ias, drv_s1_level(gshift, ias),
		     cd1, false, FIELD_GET(CD0_IPS, cd0) == 6,
		     cfg->arm_lpae_s1_cfg.mair);
}

/* arm_smmu_make_s2_domain_ste(): the STE's VTCR and S2TTB. */
static void drv_arm_smmu_v3_ste(struct drv_t *t)
{
	struct kunit *test = t->test;
	const struct io_pgtable_cfg *cfg = &t->cfg;
	u64 ste2, ste3;
	unsigned int gshift, ias;

	ste2 = FIELD_PREP(STE2_S2T0SZ, cfg->arm_lpae_s2_cfg.vtcr.tsz) |
	       FIELD_PREP(STE2_S2SL0, cfg->arm_lpae_s2_cfg.vtcr.sl) |
	       FIELD_PREP(STE2_S2IR0, cfg->arm_lpae_s2_cfg.vtcr.irgn) |
	       FIELD_PREP(STE2_S2OR0, cfg->arm_lpae_s2_cfg.vtcr.orgn) |
	       FIELD_PREP(STE2_S2SH0, cfg->arm_lpae_s2_cfg.vtcr.sh) |
	       FIELD_PREP(STE2_S2TG, cfg->arm_lpae_s2_cfg.vtcr.tg) |
	       FIELD_PREP(STE2_S2PS, cfg->arm_lpae_s2_cfg.vtcr.ps);
	ste3 = cfg->arm_lpae_s2_cfg.vttbr & STE3_S2TTB;

	KUNIT_EXPECT_EQ_MSG(test, cfg->arm_lpae_s2_cfg.vttbr & ~STE3_S2TTB, 0,
			    "%s: S2TTB loses bits", t->name);
	gshift = drv_tg0_shift(FIELD_GET(STE2_S2TG, ste2));
	ias = 64 - FIELD_GET(STE2_S2T0SZ, ste2);
	KUNIT_EXPECT_EQ(test, ias, cfg->ias);
	KUNIT_EXPECT_EQ(test, drv_ps_bits(FIELD_GET(STE2_S2PS, ste2)), cfg->oas);
	drv_expect_walk_attrs(t, FIELD_GET(STE2_S2SH0, ste2),
			      FIELD_GET(STE2_S2IR0, ste2),
			      FIELD_GET(STE2_S2OR0, ste2), false);
	drv_arm_lpae(t, ARM_LPAE_REF_S2, gshift, ias,
		     drv_s2_level(gshift, FIELD_GET(STE2_S2SL0, ste2)), ste3,
		     false, FIELD_GET(STE2_S2PS, ste2) == 6, 0);
	/* the concatenated PGD is aligned to its size */
	KUNIT_EXPECT_EQ(test, ste3 & (arm_lpae_ref_pgd_entries(&t->ref) * 8 - 1),
			0);
}

/*
 * The IOMMU core's split of a range into map_pages() calls (msm's
 * calc_pgsize() is the same): the largest size the alignment of iova and
 * pa allows, as many as fit before the next larger size could be used.
 */
static size_t drv_core_pgsize(unsigned long bitmap, u64 iova, u64 pa,
			      u64 size, size_t *count)
{
	u64 addr = iova | pa, sizes, next, nsz, off;
	size_t pgsize;

	sizes = bitmap & GENMASK_ULL(__fls(size), 0);
	if (addr)
		sizes &= GENMASK_ULL(__ffs(addr), 0);
	if (!sizes) {
		*count = 0;
		return 0;
	}
	pgsize = BIT_ULL(__fls(sizes));
	*count = size / pgsize;
	next = bitmap & ~GENMASK_ULL(__ffs(pgsize), 0);
	if (!next)
		return pgsize;
	nsz = next & -next;
	if ((iova ^ pa) & (nsz - 1))
		return pgsize;
	off = nsz - (addr & (nsz - 1));
	if (off + nsz <= size)
		*count = off / pgsize;
	return pgsize;
}

/* panfrost's and panthor's get_pgsize(). */
static size_t drv_mali_pgsize(u64 addr, u64 size, size_t *count)
{
	u64 to_2m = -addr & (SZ_2M - 1), to_1g;

	if (to_2m || size < SZ_2M) {
		*count = (to_2m ? min(to_2m, size) : size) / SZ_4K;
		return SZ_4K;
	}
	to_1g = -addr & (SZ_1G - 1);
	if (!to_1g)
		to_1g = SZ_1G;
	*count = min(to_1g, size) / SZ_2M;
	return SZ_2M;
}

static size_t drv_pgsize(struct drv_t *t, enum drv_split split, u64 iova,
			 u64 pa, u64 size, size_t *count)
{
	if (split == DRV_SPLIT_MALI)
		return drv_mali_pgsize(iova | pa, size, count);
	return drv_core_pgsize(t->cfg.pgsize_bitmap, iova, pa, size, count);
}

/* map_pages() in the driver's loop: advance by what was mapped. */
static void drv_map(struct drv_t *t, enum drv_split split, u64 iova, u64 pa,
		    u64 size, int prot)
{
	struct kunit *test = t->test;

	while (size) {
		size_t count, pgsize, mapped = 0;
		int ret;

		pgsize = drv_pgsize(t, split, iova, pa, size, &count);
		KUNIT_ASSERT_NE_MSG(test, pgsize, 0, "%s: no page size for %#llx",
				    t->name, iova);
		ret = t->ops->map_pages(t->ops, iova, pa, pgsize, count, prot,
					GFP_KERNEL, &mapped);
		KUNIT_ASSERT_EQ_MSG(test, ret, 0,
				    "%s: map_pages(%#llx, %#llx, %#zx x %zu)",
				    t->name, iova, pa, pgsize, count);
		KUNIT_ASSERT_NE_MSG(test, mapped, 0,
				    "%s: map_pages(%#llx) mapped nothing", t->name,
				    iova);
		KUNIT_ASSERT_LE(test, (u64)mapped, size);
		iova += mapped;
		pa += mapped;
		size -= mapped;
	}
}

/*
 * unmap_pages() in the driver's loop, with its gather; then what the
 * driver does next (iotlb_sync, a flush queue's flush, FLUSH_PT): by then
 * the walker must see nothing of the range.
 */
static void drv_unmap(struct drv_t *t, enum drv_split split,
		      enum drv_gather kind, u64 iova, u64 size,
		      const char *what)
{
	struct kunit *test = t->test;
	struct iommu_iotlb_gather gather, *g = NULL;
	u64 start = iova, left = size;

	if (kind != DRV_GATHER_NULL) {
		iommu_iotlb_gather_init(&gather);
		gather.queued = kind == DRV_GATHER_QUEUED;
		g = &gather;
	}
	drv_reset_callbacks(t);
	while (left) {
		size_t count, pgsize, unmapped;

		pgsize = drv_pgsize(t, split, iova, iova, left, &count);
		KUNIT_ASSERT_NE(test, pgsize, 0);
		if (g && t->v7s)
			/* mtk_iommu_unmap(): the range goes in first */
			iommu_iotlb_gather_add_range(g, iova, pgsize * count);
		unmapped = t->ops->unmap_pages(t->ops, iova, pgsize, count, g);
		KUNIT_ASSERT_NE_MSG(test, unmapped, 0,
				    "%s, %s: unmap_pages(%#llx, %#zx x %zu) unmapped nothing",
				    t->name, what, iova, pgsize, count);
		KUNIT_ASSERT_LE(test, (u64)unmapped, left);
		iova += unmapped;
		left -= unmapped;
	}
	drv_expect_callbacks(t, kind, what);
	/* DMA-FQ: the full flush, then the tables unmap left on the list */
	if (g && kind == DRV_GATHER_QUEUED)
		t->deferred += iopt_test_fq_flush(&t->cfg, t, g);
	if (g && kind == DRV_GATHER_QUEUED)
		KUNIT_EXPECT_EQ_MSG(test, gather.pgsize, 0,
				    "%s, %s: a queued gather was filled", t->name,
				    what);
	/*
	 * With a strict gather and a tlb_add_page, nothing is left for
	 * iotlb_sync but what the callbacks were told: together they cover
	 * the range. (arm-smmu-v3 then syncs the gather they filled.)
	 */
	if (kind == DRV_GATHER_STRICT && t->cfg.tlb && t->cfg.tlb->tlb_add_page)
		KUNIT_EXPECT_TRUE_MSG(test, t->inv_lo <= start &&
				      t->inv_hi >= start + size - 1,
				      "%s, %s: [%#llx, %#llx] invalidated, [%#llx, %#llx] unmapped",
				      t->name, what, t->inv_lo, t->inv_hi, start,
				      start + size - 1);
	if (g && t->cfg.tlb == &arm_smmu_v3_flush_ops && t->add_page &&
	    !t->v3_syncs)
		KUNIT_EXPECT_TRUE_MSG(test, gather.pgsize &&
				      gather.start >= t->inv_lo &&
				      gather.end <= t->inv_hi,
				      "%s, %s: the gather holds [%#lx, %#lx]",
				      t->name, what, gather.start, gather.end);

	/* iotlb_sync (or the flush queue, or FLUSH_PT) comes next */
	for (iova = start; iova < start + size;
	     iova += max_t(u64, t->granule, size / 16)) {
		phys_addr_t pa;

		KUNIT_EXPECT_FALSE_MSG(test, drv_walk(t, iova, &pa),
				       "%s, %s: %#llx still translates", t->name,
				       what, iova);
		KUNIT_EXPECT_EQ(test, t->ops->iova_to_phys(t->ops, iova), 0);
	}
}

/*
 * A mapping translates, for the walker and for iova_to_phys(), at its
 * first and last byte and at up to 16 points between.
 */
static void drv_expect_mapped(struct drv_t *t, u64 iova, u64 pa, u64 size,
			      int prot)
{
	struct kunit *test = t->test;
	u64 step = max_t(u64, t->granule, size / 16), off;

	for (off = 0; off <= size; off += step) {
		u64 o = min(off + 8, size - 1);
		phys_addr_t got = 0;

		KUNIT_EXPECT_TRUE_MSG(test, drv_walk(t, iova + o, &got) &&
				      got == pa + o,
				      "%s: the walker: %#llx -> %pa, want %#llx",
				      t->name, iova + o, &got, pa + o);
		KUNIT_EXPECT_EQ_MSG(test, t->ops->iova_to_phys(t->ops, iova + o),
				    pa + o, "%s: iova_to_phys(%#llx)", t->name,
				    iova + o);
	}

	if (!t->v7s && t->ref.stage == ARM_LPAE_REF_S1) {
		struct arm_lpae_ref_leaf leaf;

		/* what the MAIR the driver programmed makes of the leaf */
		KUNIT_ASSERT_TRUE(test, arm_lpae_ref_walk(&t->ref, iova, &leaf));
		KUNIT_EXPECT_EQ_MSG(test, leaf.memtype,
				    prot & IOMMU_CACHE ?
				    ARM_LPAE_REF_MEM_NORMAL_WB :
				    ARM_LPAE_REF_MEM_NORMAL_NC,
				    "%s: memory type at %#llx", t->name, iova);
		KUNIT_EXPECT_EQ(test, leaf.write, !!(prot & IOMMU_WRITE));
	}
}

/* Nothing at all translates for the walker. */
static int drv_count_leaf(void *arg, u64 iova,
			  const struct arm_lpae_ref_leaf *leaf)
{
	(*(unsigned int *)arg)++;
	return 0;
}

static void drv_expect_empty(struct drv_t *t)
{
	unsigned int leaves = 0;
	struct arm_lpae_ref_visitor v = {
		.leaf = drv_count_leaf,
		.arg = &leaves,
	};

	if (t->v7s) {
		struct v7s_ref_stats st;

		KUNIT_EXPECT_EQ(t->test, v7s_ref_check_tables(&t->vref, &st), 0);
		leaves = st.leaves;
	} else {
		arm_lpae_ref_for_each(&t->ref, &v);
	}
	KUNIT_EXPECT_EQ_MSG(t->test, leaves, 0, "%s: leaves left", t->name);
}

/*
 * The workload every LPAE user runs in its own loops: pages across a
 * last-level table boundary, a block, a whole last-level table of pages
 * (which the unmap removes), unmapped one after the other with the
 * driver's gather.
 */
static void drv_exercise_lpae(struct drv_t *t, enum drv_split split,
			      enum drv_gather kind, int prot)
{
	struct kunit *test = t->test;
	u64 g = t->granule, span = g / 8 * g, b = t->base;
	bool blocks = t->cfg.pgsize_bitmap & span;
	u64 pa_lim = BIT_ULL(min(t->cfg.oas, 40U));
	u64 r1 = b + span - 2 * g, r2 = b + 2 * span, r3 = b + 4 * span;
	u64 p1 = pa_lim / 2 - 2 * g, p2 = pa_lim / 4, p3 = pa_lim / 8 + g;

	KUNIT_ASSERT_LE(test, 5 * span, BIT_ULL(t->ia_bits));

	drv_map(t, split, r1, p1, 4 * g, prot);
	drv_map(t, split, r2, p2, span, prot);
	drv_map(t, split, r3, p3, span, prot);
	drv_expect_mapped(t, r1, p1, 4 * g, prot);
	drv_expect_mapped(t, r2, p2, span, prot);
	drv_expect_mapped(t, r3, p3, span, prot);

	drv_unmap(t, split, kind, r1, 4 * g, "pages across two tables");
	if (kind == DRV_GATHER_STRICT && t->cfg.tlb && t->cfg.tlb->tlb_add_page)
		KUNIT_EXPECT_EQ_MSG(test, t->add_page, 4,
				    "%s: one tlb_add_page per page", t->name);
	/* pages of one size, adjacent: no early sync of the gather */
	KUNIT_EXPECT_EQ(test, t->v3_syncs, 0);
	drv_expect_mapped(t, r2, p2, span, prot);

	drv_unmap(t, split, kind, r2, span, blocks ? "a block" : "a table's pages");
	if (blocks && kind == DRV_GATHER_STRICT && t->cfg.tlb &&
	    t->cfg.tlb->tlb_add_page)
		KUNIT_EXPECT_EQ_MSG(test, t->add_page, 1,
				    "%s: one tlb_add_page for the block", t->name);
	drv_expect_mapped(t, r3, p3, span, prot);

	drv_unmap(t, split, kind, r3, span, "a whole table");
	/* or, from a flush queue, after its tlb_flush_all */
	if (blocks && t->cfg.tlb && t->cfg.tlb->tlb_flush_walk)
		KUNIT_EXPECT_GE_MSG(test, t->flush_walk + t->deferred, 1,
				    "%s: the table went without a walk flush",
				    t->name);
	drv_expect_empty(t);
}

/* ----------------------------------------------------------------------- */
/* arm-smmu: arm_smmu_init_domain_context()                                 */

/**
 * struct drv_arm_smmu - what arm_smmu_init_domain_context() starts from
 * @s2:       The domain's stage is 2.
 * @aarch64:  ARM_SMMU_CTX_FMT_AARCH64 (else AARCH32_L).
 * @va_size:  From ID2.UBS.
 * @ipa_size: From ID2.IAS.
 * @pa_size:  From ID2.OAS.
 * @pgsizes:  smmu->pgsize_bitmap, from the supported formats.
 * @coherent: ARM_SMMU_FEAT_COHERENT_WALK.
 * @v1:       SMMUv1 (stage-2 TLB ops invalidate the whole VMID).
 * @adreno:   qcom adreno impl, GPU device: the TTBR1 quirk.
 * @quirks:   smmu_domain->pgtbl_quirks (arm_smmu_set_pgtable_quirks()).
 */
struct drv_arm_smmu {
	bool		s2;
	bool		aarch64;
	unsigned int	va_size;
	unsigned int	ipa_size;
	unsigned int	pa_size;
	unsigned long	pgsizes;
	bool		coherent;
	bool		v1;
	bool		adreno;
	unsigned long	quirks;
};

#define SMMU_PGSIZES_4K		(SZ_4K | SZ_2M | SZ_1G)
#define SMMU_PGSIZES_ALL	(SZ_4K | SZ_2M | SZ_1G | SZ_16K | SZ_32M | \
				 SZ_64K | SZ_512M)

static bool drv_arm_smmu_init(struct drv_t *t, const struct drv_arm_smmu *s)
{
	enum io_pgtable_fmt fmt;
	unsigned long ias, oas;

	if (!s->s2) {
		ias = s->va_size;
		oas = s->ipa_size;
		if (s->aarch64) {
			fmt = ARM_64_LPAE_S1;
		} else {
			fmt = ARM_32_LPAE_S1;
			ias = min(ias, 32UL);
			oas = min(oas, 40UL);
		}
	} else {
		ias = s->ipa_size;
		oas = s->pa_size;
		if (s->aarch64) {
			fmt = ARM_64_LPAE_S2;
		} else {
			fmt = ARM_32_LPAE_S2;
			ias = min(ias, 40UL);
			oas = min(oas, 40UL);
		}
	}
	t->cfg = (struct io_pgtable_cfg) {
		.pgsize_bitmap	= s->pgsizes,
		.ias		= ias,
		.oas		= oas,
		.coherent_walk	= s->coherent,
		.tlb		= &drv_invalidate_now_ops,
		.iommu_dev	= s->coherent ? NULL : iopt_test_dma_device(t->test),
	};
	/* qcom_adreno_smmu_init_context() */
	if (s->adreno && !s->s2 && s->aarch64)
		t->cfg.quirks |= IO_PGTABLE_QUIRK_ARM_TTBR1;
	t->cfg.quirks |= s->quirks;
	return drv_alloc(t, fmt);
}

static void drv_arm_smmu_case(struct kunit *test, const char *name,
			      const struct drv_arm_smmu *s)
{
	struct drv_t *t = drv_new(test, name);
	unsigned long want = s->aarch64 ? s->pgsizes :
			     s->pgsizes & SMMU_PGSIZES_4K;

	KUNIT_ASSERT_TRUE_MSG(test, drv_arm_smmu_init(t, s), "%s refused", name);
	KUNIT_EXPECT_EQ(test, t->granule, drv_expect_granule(want));
	if (s->s2)
		drv_arm_smmu_s2_regs(t, s->aarch64);
	else
		drv_arm_smmu_s1_regs(t, s->aarch64, 3);
	drv_exercise_lpae(t, DRV_SPLIT_CORE, DRV_GATHER_STRICT,
			  DRV_RW | (s->s2 ? 0 : IOMMU_CACHE));
	/* the DMA API's other flavour: a flush queue */
	drv_exercise_lpae(t, DRV_SPLIT_CORE, DRV_GATHER_QUEUED, DRV_RW);
}

static void arm_smmu_init_domain_context_s1_64(struct kunit *test)
{
	/* MMU-500 on a coherent interconnect: 48-bit VA, IPA, PA */
	static const struct drv_arm_smmu s = {
		.aarch64 = true, .va_size = 48, .ipa_size = 48, .pa_size = 48,
		.pgsizes = SMMU_PGSIZES_ALL, .coherent = true,
	};

	drv_arm_smmu_case(test, __func__, &s);
}

static void arm_smmu_init_domain_context_s1_64_noncoherent(struct kunit *test)
{
	/* 48-bit VA -> 36-bit IPA, no coherent walk (4K and 64K formats) */
	static const struct drv_arm_smmu s = {
		.aarch64 = true, .va_size = 48, .ipa_size = 36, .pa_size = 36,
		.pgsizes = SZ_4K | SZ_2M | SZ_1G | SZ_64K | SZ_512M,
	};

	drv_arm_smmu_case(test, __func__, &s);
}

static void arm_smmu_init_domain_context_s1_32(struct kunit *test)
{
	/* AArch32 long-descriptor contexts: ias 32, oas 40 at most */
	static const struct drv_arm_smmu s = {
		.aarch64 = false, .va_size = 48, .ipa_size = 48, .pa_size = 48,
		.pgsizes = SMMU_PGSIZES_ALL,
	};

	drv_arm_smmu_case(test, __func__, &s);
}

static void arm_smmu_init_domain_context_s2_64(struct kunit *test)
{
	/* stage 2 of 40 bits: two concatenated level-1 tables for 4K */
	static const struct drv_arm_smmu s = {
		.s2 = true, .aarch64 = true, .va_size = 48, .ipa_size = 40,
		.pa_size = 40, .pgsizes = SMMU_PGSIZES_ALL,
	};

	drv_arm_smmu_case(test, __func__, &s);
}

static void arm_smmu_init_domain_context_s2_32(struct kunit *test)
{
	/* SMMUv1 stage 2 (tlb_add_page is a TLBIVMID), AArch32 format */
	static const struct drv_arm_smmu s = {
		.s2 = true, .aarch64 = false, .va_size = 40, .ipa_size = 40,
		.pa_size = 40, .pgsizes = SMMU_PGSIZES_4K, .v1 = true,
		.coherent = true,
	};

	drv_arm_smmu_case(test, __func__, &s);
}

/* The adreno GPU's context: TTBR1, and OUTER_WBWA from msm for its LLC. */
static const struct drv_arm_smmu drv_adreno_smmu = {
	.aarch64 = true, .va_size = 48, .ipa_size = 36, .pa_size = 36,
	.pgsizes = SZ_4K | SZ_2M | SZ_1G | SZ_64K | SZ_512M, .adreno = true,
	.quirks = IO_PGTABLE_QUIRK_ARM_OUTER_WBWA,
};

static void arm_smmu_init_domain_context_qcom_adreno_ttbr1(struct kunit *test)
{
	drv_arm_smmu_case(test, __func__, &drv_adreno_smmu);
}

static void arm_smmu_set_pgtable_quirks_outer_wbwa_coherent(struct kunit *test)
{
	/* 6.12 refuses OUTER_WBWA for a coherent walker: -ENOMEM to attach */
	static const struct drv_arm_smmu s = {
		.aarch64 = true, .va_size = 48, .ipa_size = 48, .pa_size = 48,
		.pgsizes = SMMU_PGSIZES_4K, .coherent = true,
		.quirks = IO_PGTABLE_QUIRK_ARM_OUTER_WBWA,
	};
	struct drv_t *t = drv_new(test, __func__);

	KUNIT_EXPECT_FALSE_MSG(test, drv_arm_smmu_init(t, &s),
			       "OUTER_WBWA with a coherent walker accepted");
}

/* ----------------------------------------------------------------------- */
/* arm-smmu-v3: arm_smmu_domain_finalise()                                  */

/**
 * struct drv_smmu_v3 - the SMMUv3 features arm_smmu_domain_finalise() reads
 * @s2:       The domain is stage 2.
 * @vax:      IDR5.VAX says 52 bits.
 * @va_bits:  The kernel's VA_BITS.
 * @aarch32:  IDR0.TTF includes AArch32 (smmu->ias starts at 40).
 * @oas:      From IDR5.OAS.
 * @pgsizes:  From IDR5.GRAN*, and 4T with a 52-bit OAS.
 * @coherent: ARM_SMMU_FEAT_COHERENCY.
 * @dirty:    IOMMU_HWPT_ALLOC_DIRTY_TRACKING.
 */
struct drv_smmu_v3 {
	bool		s2;
	bool		vax;
	unsigned int	va_bits;
	bool		aarch32;
	unsigned int	oas;
	unsigned long	pgsizes;
	bool		coherent;
	bool		dirty;
};

static unsigned long drv_v3_pgsizes(unsigned long granules, unsigned int oas)
{
	unsigned long sizes = 0;

	if (granules & SZ_64K)
		sizes |= SZ_64K | SZ_512M;
	if (granules & SZ_16K)
		sizes |= SZ_16K | SZ_32M;
	if (granules & SZ_4K)
		sizes |= SZ_4K | SZ_2M | SZ_1G;
	if (oas == 52)
		sizes |= DRV_SZ_4T;
	return sizes;
}

static bool drv_arm_smmu_v3_finalise(struct drv_t *t,
				     const struct drv_smmu_v3 *s)
{
	unsigned int smmu_ias = max(s->aarch32 ? 40U : 0U, s->oas);

	t->cfg = (struct io_pgtable_cfg) {
		.pgsize_bitmap	= drv_v3_pgsizes(s->pgsizes, s->oas),
		.coherent_walk	= s->coherent,
		.tlb		= &arm_smmu_v3_flush_ops,
		.iommu_dev	= s->coherent ? NULL : iopt_test_dma_device(t->test),
	};
	if (!s->s2) {
		t->cfg.ias = min(s->vax ? 52U : 48U, s->va_bits);
		t->cfg.oas = smmu_ias;
		if (s->dirty)
			t->cfg.quirks |= IO_PGTABLE_QUIRK_ARM_HD;
		return drv_alloc(t, ARM_64_LPAE_S1);
	}
	t->cfg.ias = smmu_ias;
	t->cfg.oas = s->oas;
	return drv_alloc(t, ARM_64_LPAE_S2);
}

/*
 * The sizes 6.12 leaves in an SMMUv3's bitmap for granule @g, with @oas
 * asked for and @ias as clamped. A 4T block needs a level-1 table, so a
 * 64K walk of 42 bits or less has none: 6.12 still lists the size there,
 * we do not (no call could use it); that one bit is not compared.
 */
static void drv_expect_v3_sizes(struct drv_t *t, unsigned long in,
				unsigned long g, unsigned int oas,
				unsigned int ias)
{
	unsigned long sizes, ignore = 0;

	switch (g) {
	case SZ_4K:
		sizes = SZ_4K | SZ_2M | SZ_1G;
		break;
	case SZ_16K:
		sizes = SZ_16K | SZ_32M;
		break;
	default:
		sizes = SZ_64K | SZ_512M | (oas > 48 ? DRV_SZ_4T : 0);
		if (ias <= 42)
			ignore = DRV_SZ_4T;
		break;
	}
	KUNIT_EXPECT_EQ_MSG(t->test, t->cfg.pgsize_bitmap & ~ignore,
			    in & sizes & ~ignore,
			    "%s: pgsize_bitmap for ias %u oas %u", t->name, ias,
			    oas);
}

/* ias/oas as 6.12 writes them back: 48 bits for 4K/16K, 52 for 64K. */
static unsigned int drv_clamp(unsigned long granule, unsigned int bits)
{
	return min(bits, granule == SZ_64K ? 52U : 48U);
}

/*
 * arm_smmu_read_and_clear_dirty() on an HD domain (the CD sets HA and HD):
 * a writable leaf starts dirty (DBM, AP[2] clear), is reported through the
 * dirty bitmap's gather, and is clean and still writable-by-DBM after.
 */
static void drv_arm_smmu_v3_dirty(struct drv_t *t)
{
	struct kunit *test = t->test;
	struct iommu_iotlb_gather gather;
	struct iommu_dirty_bitmap dirty;
	struct arm_lpae_ref_leaf leaf;
	u64 iova = SZ_1G, g = t->granule;

	KUNIT_ASSERT_NOT_NULL(test, t->ops->read_and_clear_dirty);
	KUNIT_ASSERT_EQ(test, iopt_test_map(t->ops, iova, SZ_2G, g, 1, DRV_RW,
					    NULL), 0);
	KUNIT_ASSERT_TRUE(test, arm_lpae_ref_walk(&t->ref, iova, &leaf));
	KUNIT_EXPECT_TRUE(test, leaf.dbm && leaf.dirty);

	iommu_dirty_bitmap_init(&dirty, NULL, &gather);
	KUNIT_EXPECT_EQ(test, t->ops->read_and_clear_dirty(t->ops, iova, g, 0,
							   &dirty), 0);
	KUNIT_EXPECT_EQ(test, (u64)gather.start, iova);
	KUNIT_EXPECT_EQ(test, (u64)gather.end, iova + g - 1);
	KUNIT_ASSERT_TRUE(test, arm_lpae_ref_walk(&t->ref, iova, &leaf));
	KUNIT_EXPECT_TRUE(test, leaf.dbm && !leaf.dirty && leaf.write);
	KUNIT_EXPECT_EQ(test, iopt_test_unmap(t->ops, iova, g, 1), g);
}

static void drv_arm_smmu_v3_case(struct kunit *test, const char *name,
				 const struct drv_smmu_v3 *s)
{
	struct drv_t *t = drv_new(test, name);
	unsigned int ias, oas;
	unsigned long g;

	KUNIT_ASSERT_TRUE_MSG(test, drv_arm_smmu_v3_finalise(t, s),
			      "%s refused", name);
	g = drv_expect_granule(s->pgsizes);
	KUNIT_EXPECT_EQ(test, t->granule, g);
	ias = s->s2 ? max(s->aarch32 ? 40U : 0U, s->oas) :
		      min(s->vax ? 52U : 48U, s->va_bits);
	oas = s->s2 ? s->oas : max(s->aarch32 ? 40U : 0U, s->oas);
	KUNIT_EXPECT_EQ(test, t->cfg.ias, drv_clamp(g, ias));
	KUNIT_EXPECT_EQ(test, t->cfg.oas, drv_clamp(g, oas));
	drv_expect_v3_sizes(t, drv_v3_pgsizes(s->pgsizes, s->oas), g, oas,
			    drv_clamp(g, ias));
	if (s->s2)
		drv_arm_smmu_v3_ste(t);
	else
		drv_arm_smmu_v3_cd(t);
	if (s->dirty)
		drv_arm_smmu_v3_dirty(t);

	drv_exercise_lpae(t, DRV_SPLIT_CORE, DRV_GATHER_STRICT,
			  DRV_RW | IOMMU_CACHE);
}

static void arm_smmu_v3_domain_finalise_s1(struct kunit *test)
{
	/* QEMU's SMMUv3: 44-bit OAS, 4K and 64K, coherent */
	static const struct drv_smmu_v3 s = {
		.va_bits = 48, .oas = 44, .pgsizes = SZ_4K | SZ_64K,
		.coherent = true,
	};

	drv_arm_smmu_v3_case(test, __func__, &s);
}

static void arm_smmu_v3_domain_finalise_s1_oas52(struct kunit *test)
{
	/* OAS 52: oas = smmu->ias = 52, clamped to 48 unless 64K */
	static const struct drv_smmu_v3 s = {
		.va_bits = 48, .oas = 52, .pgsizes = SZ_4K | SZ_16K | SZ_64K,
		.coherent = true,
	};

	drv_arm_smmu_v3_case(test, __func__, &s);
}

static void arm_smmu_v3_domain_finalise_s1_oas52_4k(struct kunit *test)
{
	static const struct drv_smmu_v3 s = {
		.va_bits = 48, .oas = 52, .pgsizes = SZ_4K, .coherent = true,
	};

	drv_arm_smmu_v3_case(test, __func__, &s);
}

static void arm_smmu_v3_domain_finalise_s1_vax52_64k(struct kunit *test)
{
	/* VAX and a 52-bit VA kernel: ias 52 on the 64K granule */
	static const struct drv_smmu_v3 s = {
		.vax = true, .va_bits = 52, .oas = 52, .pgsizes = SZ_64K,
		.coherent = true,
	};

	drv_arm_smmu_v3_case(test, __func__, &s);
}

static void arm_smmu_v3_domain_finalise_s1_noncoherent(struct kunit *test)
{
	static const struct drv_smmu_v3 s = {
		.va_bits = 39, .aarch32 = true, .oas = 36, .pgsizes = SZ_4K,
	};

	drv_arm_smmu_v3_case(test, __func__, &s);
}

static void arm_smmu_v3_domain_finalise_s1_dirty(struct kunit *test)
{
	/* dirty tracking asks for HD; only with coherency (dbm_capable) */
	static const struct drv_smmu_v3 s = {
		.va_bits = 48, .oas = 48, .pgsizes = SZ_4K, .coherent = true,
		.dirty = true,
	};

	drv_arm_smmu_v3_case(test, __func__, &s);
}

static void arm_smmu_v3_domain_finalise_s2(struct kunit *test)
{
	static const struct drv_smmu_v3 s = {
		.s2 = true, .oas = 44, .pgsizes = SZ_4K | SZ_64K,
		.coherent = true,
	};

	drv_arm_smmu_v3_case(test, __func__, &s);
}

static void arm_smmu_v3_domain_finalise_s2_oas52(struct kunit *test)
{
	/* ias = smmu->ias = 52: 6.12 clamps it to 48 for 4K */
	static const struct drv_smmu_v3 s = {
		.s2 = true, .oas = 52, .pgsizes = SZ_4K | SZ_64K,
		.coherent = true,
	};

	drv_arm_smmu_v3_case(test, __func__, &s);
}

static void arm_smmu_v3_domain_finalise_s2_noncoherent(struct kunit *test)
{
	static const struct drv_smmu_v3 s = {
		.s2 = true, .aarch32 = true, .oas = 36, .pgsizes = SZ_4K,
	};

	drv_arm_smmu_v3_case(test, __func__, &s);
}

static void arm_smmu_v3_unmap_pages_dma_fq(struct kunit *test)
{
	/* a DMA-FQ domain: the gather is queued, tlb_add_page is not called */
	static const struct drv_smmu_v3 s = {
		.va_bits = 48, .oas = 48, .pgsizes = SZ_4K, .coherent = false,
	};
	struct drv_t *t = drv_new(test, __func__);

	KUNIT_ASSERT_TRUE(test, drv_arm_smmu_v3_finalise(t, &s));
	drv_arm_smmu_v3_cd(t);
	drv_exercise_lpae(t, DRV_SPLIT_CORE, DRV_GATHER_QUEUED, DRV_RW);
}

/**
 * struct drv_sweep - one granule and stage of the ias/oas sweep
 * @granule: The only granule the SMMU supports.
 * @s2:      Stage 2.
 * @desc:    Name.
 */
struct drv_sweep {
	unsigned long	granule;
	bool		s2;
	char		desc[16];
};

static const struct drv_sweep drv_sweeps[] = {
	{ SZ_4K, false, "s1 4K" },
	{ SZ_16K, false, "s1 16K" },
	{ SZ_64K, false, "s1 64K" },
	{ SZ_4K, true, "s2 4K" },
	{ SZ_16K, true, "s2 16K" },
	{ SZ_64K, true, "s2 64K" },
};

KUNIT_ARRAY_PARAM_DESC(drv_sweep, drv_sweeps, desc);

/*
 * Every ias/oas pair from 32 to 52 bits with each granule alone: accepted
 * exactly when 6.12 accepts it (the clamped oas is one of the PS sizes),
 * the clamped sizes written back, and the page at the top of the input
 * range translating to the top of the output range through the registers.
 */
static void arm_smmu_v3_domain_finalise_ias_oas(struct kunit *test)
{
	const struct drv_sweep *p = test->param_value;
	unsigned int ias, oas, accepted = 0, wrong = 0;

	for (ias = 32; ias <= 52; ias++) {
		for (oas = 32; oas <= 52; oas++) {
			struct drv_t *t = drv_new(test, "arm_smmu_domain_finalise");
			unsigned int cias = drv_clamp(p->granule, ias);
			unsigned int coas = drv_clamp(p->granule, oas);
			bool want = drv_ps_of(coas) >= 0;
			u64 g = p->granule, iova, pa;
			phys_addr_t got = 0;
			bool ok;

			t->cfg = (struct io_pgtable_cfg) {
				.pgsize_bitmap	= drv_v3_pgsizes(p->granule, oas),
				.ias		= ias,
				.oas		= oas,
				.coherent_walk	= true,
				.tlb		= &arm_smmu_v3_flush_ops,
			};
			ok = drv_alloc(t, p->s2 ? ARM_64_LPAE_S2 : ARM_64_LPAE_S1);
			if (ok != want) {
				/* the first few in detail, then a count */
				if (wrong++ < 8)
					KUNIT_FAIL(test, "ias %u oas %u: %s, 6.12 %s it",
						   ias, oas,
						   ok ? "accepted" : "refused",
						   want ? "accepts" : "refuses");
				if (ok)
					drv_free(t);
				continue;
			}
			if (!ok)
				continue;
			accepted++;
			KUNIT_EXPECT_EQ_MSG(test, t->cfg.ias, cias,
					    "ias %u oas %u: ias written back",
					    ias, oas);
			KUNIT_EXPECT_EQ_MSG(test, t->cfg.oas, coas,
					    "ias %u oas %u: oas written back",
					    ias, oas);
			KUNIT_EXPECT_EQ(test, t->granule, p->granule);
			drv_expect_v3_sizes(t, drv_v3_pgsizes(p->granule, oas),
					    p->granule, oas, cias);
			if (t->cfg.ias != cias || t->cfg.oas != coas) {
				drv_free(t);
				continue;
			}
			if (p->s2)
				drv_arm_smmu_v3_ste(t);
			else
				drv_arm_smmu_v3_cd(t);

			/* the top of the input range to the top of the output */
			iova = BIT_ULL(cias) - g;
			pa = BIT_ULL(coas) - g;
			KUNIT_EXPECT_EQ_MSG(test, iopt_test_map(t->ops, iova, pa, g,
								1, DRV_RW, NULL),
					    0, "ias %u oas %u", ias, oas);
			KUNIT_EXPECT_TRUE_MSG(test, drv_walk(t, iova + 8, &got) &&
					      got == pa + 8,
					      "ias %u oas %u: the walker from the registers",
					      ias, oas);
			KUNIT_EXPECT_EQ(test, t->ops->iova_to_phys(t->ops, iova),
					pa);
			drv_free(t);
		}
	}
	KUNIT_EXPECT_EQ_MSG(test, wrong, 0,
			    "%u of 441 ias/oas pairs accepted or refused unlike 6.12",
			    wrong);
	kunit_info(test, "%u accepted, as 6.12", accepted);
}

/* ----------------------------------------------------------------------- */
/* qcom_iommu: qcom_iommu_init_domain()                                     */

static void qcom_iommu_init_domain(struct kunit *test)
{
	struct drv_t *t = drv_new(test, __func__);
	u32 tcr;

	t->cfg = (struct io_pgtable_cfg) {
		.pgsize_bitmap	= SZ_4K | SZ_64K | SZ_1M | SZ_16M,
		.ias		= 32,
		.oas		= 40,
		.tlb		= &drv_invalidate_now_ops,
		.iommu_dev	= iopt_test_dma_device(test),
	};
	KUNIT_ASSERT_TRUE(test, drv_alloc(t, ARM_32_LPAE_S1));
	/* only 4K of the driver's sizes exist in the LPAE formats */
	KUNIT_EXPECT_EQ(test, t->cfg.pgsize_bitmap, SZ_4K);
	KUNIT_EXPECT_EQ(test, t->cfg.ias, 32);
	KUNIT_EXPECT_EQ(test, t->cfg.oas, 40);
	/* TCR = arm_smmu_lpae_tcr() | EAE: a 32-bit TTBR0 space */
	tcr = drv_smmu_lpae_tcr(&t->cfg) | SMMU_TCR_EAE;
	KUNIT_EXPECT_EQ(test, FIELD_GET(SMMU_TCR_T0SZ, tcr) & 7, 0);
	drv_arm_smmu_s1_regs(t, false, 1);
	drv_exercise_lpae(t, DRV_SPLIT_CORE, DRV_GATHER_STRICT,
			  DRV_RW | IOMMU_CACHE);
}

/* ----------------------------------------------------------------------- */
/* ipmmu-vmsa: ipmmu_domain_init_context()                                  */

static void ipmmu_domain_init_context(struct kunit *test)
{
	struct drv_t *t = drv_new(test, __func__);
	struct arm_lpae_ref_leaf leaf;
	u32 ttlbr0, ttubr0, mair0;

	t->cfg.quirks = IO_PGTABLE_QUIRK_ARM_NS;
	t->cfg.pgsize_bitmap = SZ_1G | SZ_2M | SZ_4K;
	t->cfg.ias = 32;
	t->cfg.oas = 40;
	t->cfg.tlb = &ipmmu_flush_ops;
	t->cfg.coherent_walk = false;
	t->cfg.iommu_dev = iopt_test_dma_device(test);
	KUNIT_ASSERT_TRUE(test, drv_alloc(t, ARM_32_LPAE_S1));

	/* ipmmu_domain_setup_context(): TTBR0 in two halves, SL0 = level 1 */
	ttlbr0 = t->cfg.arm_lpae_s1_cfg.ttbr;
	ttubr0 = t->cfg.arm_lpae_s1_cfg.ttbr >> 32;
	mair0 = t->cfg.arm_lpae_s1_cfg.mair;
	KUNIT_EXPECT_EQ(test, (u32)t->cfg.arm_lpae_s1_cfg.tcr.tsz, 32);
	drv_arm_lpae(t, ARM_LPAE_REF_S1, 12, 32, 1,
		     ttlbr0 | (u64)ttubr0 << 32, false, false, mair0);
	KUNIT_EXPECT_EQ(test, drv_s1_level(12, t->cfg.ias), 1);

	drv_exercise_lpae(t, DRV_SPLIT_CORE, DRV_GATHER_STRICT,
			  DRV_RW | IOMMU_CACHE);

	/* the IPMMU faults unless NS is set on every leaf (and NSTable) */
	KUNIT_ASSERT_EQ(test, iopt_test_map(t->ops, SZ_1G, SZ_1G, SZ_4K, 1,
					    DRV_RW, NULL), 0);
	KUNIT_ASSERT_TRUE(test, arm_lpae_ref_walk(&t->ref, SZ_1G, &leaf));
	KUNIT_EXPECT_TRUE(test, leaf.pte & ARM_REF_NS);
}

/* ----------------------------------------------------------------------- */
/* mtk_iommu: mtk_iommu_domain_finalise()                                   */

/**
 * struct drv_mtk - the plat_data flags mtk_iommu_domain_finalise() reads
 * @iova34:   IOVA_34_EN.
 * @pa35:     PGTABLE_PA_35_EN (MTK_TTBR_EXT).
 * @has_4gb:  HAS_4GB_MODE.
 * @enable_4gb: The 4GB mode is on (DRAM above 4 GiB only).
 */
struct drv_mtk {
	bool	iova34;
	bool	pa35;
	bool	has_4gb;
	bool	enable_4gb;
};

static void drv_mtk_case(struct kunit *test, const char *name,
			 const struct drv_mtk *m)
{
	struct drv_t *t = drv_new(test, name);
	u64 base, pa_or = m->enable_4gb ? BIT_ULL(32) : 0;
	u64 pa_hi = m->has_4gb ? 0 : BIT_ULL(34);
	static const struct {
		u64 iova, pa, size;
	} r[] = {
		{ SZ_1M - 2 * SZ_4K, SZ_256M + SZ_4K, 4 * SZ_4K },
		{ 2 * SZ_1M + SZ_64K, SZ_512M + SZ_64K, 2 * SZ_64K },
		{ 5 * SZ_1M, SZ_1G + SZ_1M, SZ_1M },
		{ 2 * SZ_16M, SZ_1G + SZ_16M, SZ_16M },
	};
	unsigned int i;
	u32 pt_base;

	t->cfg = (struct io_pgtable_cfg) {
		.quirks		= IO_PGTABLE_QUIRK_ARM_NS |
				  IO_PGTABLE_QUIRK_NO_PERMS |
				  IO_PGTABLE_QUIRK_ARM_MTK_EXT,
		.pgsize_bitmap	= SZ_4K | SZ_64K | SZ_1M | SZ_16M,
		.ias		= m->iova34 ? 34 : 32,
		.iommu_dev	= iopt_test_dma_device(test),
	};
	if (m->pa35)
		t->cfg.quirks |= IO_PGTABLE_QUIRK_ARM_MTK_TTBR_EXT;
	if (m->has_4gb)
		t->cfg.oas = m->enable_4gb ? 33 : 32;
	else
		t->cfg.oas = 35;
	if (m->pa35) {
		/* the level-1 table comes from GFP_KERNEL: is that in reach? */
		void *probe = kmalloc(SZ_16K, GFP_KERNEL);
		phys_addr_t where;

		KUNIT_ASSERT_NOT_NULL(test, probe);
		where = virt_to_phys(probe);
		kfree(probe);
		if (where >= BIT_ULL(t->cfg.oas))
			kunit_skip(test, "memory at %pa: beyond the 35 bits MTK_TTBR_EXT reaches",
				   &where);
	}
	KUNIT_ASSERT_TRUE_MSG(test, drv_alloc(t, ARM_V7S), "%s refused", name);
	KUNIT_EXPECT_EQ(test, t->cfg.pgsize_bitmap,
			SZ_4K | SZ_64K | SZ_1M | SZ_16M);

	/* writel(ttbr, REG_MMU_PT_BASE_ADDR): PA[34:32] in bits [2:0] */
	pt_base = t->cfg.arm_v7s_cfg.ttbr;
	t->vref.pgd = v7s_ref_ttbr_base(pt_base, t->cfg.ias, true);
	t->vref.ias = t->cfg.ias;
	t->vref.mtk = true;
	t->vref.mtk_table = m->pa35;
	t->vref.read = drv_read32;
	t->vref.arg = t;
	t->ia_bits = t->cfg.ias;
	t->armed = true;
	if (!m->pa35)
		KUNIT_EXPECT_LT(test, (u64)t->vref.pgd, BIT_ULL(32));

	/* IOVA regions above 4 GiB where the IOMMU has them */
	base = m->iova34 ? BIT_ULL(33) + SZ_256M : 0;
	for (i = 0; i < ARRAY_SIZE(r); i++) {
		/* mtk_iommu_map(): the 4GB mode sets PA bit 32 */
		u64 pa = (r[i].pa | pa_hi | pa_or);

		drv_map(t, DRV_SPLIT_CORE, base + r[i].iova, pa, r[i].size,
			DRV_RW);
		drv_expect_mapped(t, base + r[i].iova, pa, r[i].size, DRV_RW);
	}
	for (i = 0; i < ARRAY_SIZE(r); i++) {
		drv_unmap(t, DRV_SPLIT_CORE, DRV_GATHER_STRICT, base + r[i].iova,
			  r[i].size, "an mtk_iommu_unmap()");
		/* mtk_iommu has no flush ops: iotlb_sync does it all */
		KUNIT_EXPECT_EQ(test, t->add_page + t->flush_walk + t->flush_all,
				0);
	}
	drv_expect_empty(t);
}

static void mtk_iommu_domain_finalise_mt8173_4gb(struct kunit *test)
{
	static const struct drv_mtk m = { .has_4gb = true, .enable_4gb = true };

	drv_mtk_case(test, __func__, &m);
}

static void mtk_iommu_domain_finalise_mt8173(struct kunit *test)
{
	static const struct drv_mtk m = { .has_4gb = true };

	drv_mtk_case(test, __func__, &m);
}

static void mtk_iommu_domain_finalise_mt8183(struct kunit *test)
{
	static const struct drv_mtk m = { };

	drv_mtk_case(test, __func__, &m);
}

static void mtk_iommu_domain_finalise_mt8192_iova34(struct kunit *test)
{
	static const struct drv_mtk m = { .iova34 = true };

	drv_mtk_case(test, __func__, &m);
}

static void mtk_iommu_domain_finalise_mt8188_ttbr_ext(struct kunit *test)
{
	static const struct drv_mtk m = { .iova34 = true, .pa35 = true };

	drv_mtk_case(test, __func__, &m);
}

/* ----------------------------------------------------------------------- */
/* panfrost: panfrost_mmu_ctx_create()                                      */

static bool drv_panfrost_create(struct drv_t *t, u32 mmu_features,
				bool coherent)
{
	t->cfg = (struct io_pgtable_cfg) {
		.pgsize_bitmap	= SZ_4K | SZ_2M,
		.ias		= FIELD_GET(0xff, mmu_features),
		.oas		= FIELD_GET(0xff00, mmu_features),
		.coherent_walk	= coherent,
		.tlb		= &mali_tlb_ops,
		.iommu_dev	= iopt_test_dma_device(t->test),
	};
	return drv_alloc(t, ARM_MALI_LPAE);
}

/*
 * The leaves panfrost_mmu_map() makes, bit for bit as 6.12 writes them for
 * the GPU: 0b01 at every level, read/write in [7:6], outer shareable,
 * AttrIndx 0, no access flag, XN[54:53] = 0b11 for a no-exec BO.
 */
static void drv_expect_mali_leaves(struct drv_t *t)
{
	struct kunit *test = t->test;
	static const u64 iova[] = { SZ_32M + SZ_4K, SZ_64M };
	static const u64 size[] = { SZ_4K, SZ_2M };
	struct arm_lpae_ref_leaf leaf;
	unsigned int i, noexec;

	for (noexec = 0; noexec < 2; noexec++) {
		int prot = DRV_RW | (noexec ? IOMMU_NOEXEC : 0);
		u64 want = 0x1 | 0xc0 | 0x200 | (noexec ? 3ULL << 53 : 0);

		for (i = 0; i < ARRAY_SIZE(iova); i++) {
			drv_map(t, DRV_SPLIT_MALI, iova[i], SZ_1G, size[i], prot);
			KUNIT_ASSERT_TRUE(test, arm_lpae_ref_walk(&t->ref, iova[i],
								  &leaf));
			KUNIT_EXPECT_EQ_MSG(test, leaf.size, size[i],
					    "%s: leaf size", t->name);
			KUNIT_EXPECT_EQ_MSG(test,
					    leaf.pte & ~GENMASK_ULL(47, 12), want,
					    "%s: the leaf at %#llx, no-exec %u",
					    t->name, iova[i], noexec);
			drv_unmap(t, DRV_SPLIT_MALI, DRV_GATHER_NULL, iova[i],
				  size[i], "a BO");
		}
	}
}

static void drv_panfrost_case(struct kunit *test, const char *name,
			      bool coherent)
{
	struct drv_t *t = drv_new(test, name);
	u64 transtab, memattr, want_low;

	/* Mali-T860/G52: 48-bit VA, 40-bit PA */
	KUNIT_ASSERT_TRUE(test, drv_panfrost_create(t, 0x2830, coherent));
	KUNIT_EXPECT_EQ(test, t->cfg.pgsize_bitmap, SZ_4K | SZ_2M);

	/* panfrost_mmu_enable(): TRANSTAB and MEMATTR, as 6.12 sets them */
	transtab = t->cfg.arm_mali_lpae_cfg.transtab;
	memattr = t->cfg.arm_mali_lpae_cfg.memattr;
	want_low = MALI_TRANSTAB_TABLE | MALI_TRANSTAB_RD_INNER |
		   (coherent ? MALI_TRANSTAB_SH_OUTER : 0);
	KUNIT_EXPECT_EQ(test, transtab & ~MALI_TRANSTAB_ADDR, want_low);
	KUNIT_EXPECT_EQ(test, memattr, 0x888d88ULL);
	drv_arm_lpae(t, ARM_LPAE_REF_MALI, 12, 48, 0,
		     transtab & MALI_TRANSTAB_ADDR, false, false, memattr);

	drv_exercise_lpae(t, DRV_SPLIT_MALI, DRV_GATHER_NULL, DRV_RW);
	drv_exercise_lpae(t, DRV_SPLIT_MALI, DRV_GATHER_NULL,
			  DRV_RW | IOMMU_NOEXEC);
	drv_expect_mali_leaves(t);
}

static void panfrost_mmu_ctx_create(struct kunit *test)
{
	drv_panfrost_case(test, __func__, false);
}

static void panfrost_mmu_ctx_create_coherent(struct kunit *test)
{
	drv_panfrost_case(test, __func__, true);
}

static void panfrost_mmu_ctx_create_oas48_refused(struct kunit *test)
{
	struct drv_t *t = drv_new(test, __func__);

	/* 6.12 takes no more than 40 output bits for Mali */
	KUNIT_EXPECT_FALSE(test, drv_panfrost_create(t, 0x3030, false));
}

/* ----------------------------------------------------------------------- */
/* panthor: panthor_vm_create() with alloc_pt()/free_pt()                   */

static void *drv_pool_alloc(void *cookie, size_t size, gfp_t gfp)
{
	struct drv_t *t = cookie;
	struct drv_pool *p = &t->pool;
	void *page;

	/* the root comes from the page allocator, at creation */
	if (!p->root) {
		p->root = kzalloc(size, gfp);
		if (p->root) {
			p->root_size = size;
			p->live++;
		}
		return p->root;
	}
	if (size != p->page_size) {
		p->bad_size++;
		return NULL;
	}
	if (p->ptr >= p->count) {
		p->empty++;
		return NULL;
	}
	page = p->pages[p->ptr++];
	memset(page, 0, size);
	p->live++;
	return page;
}

static int drv_find_table(void *arg, int level, phys_addr_t pa, size_t size,
			  u64 iova)
{
	return pa == *(phys_addr_t *)arg;
}

static void drv_pool_free(void *cookie, void *data, size_t size)
{
	struct drv_t *t = cookie;
	struct drv_pool *p = &t->pool;

	/*
	 * A table freed while the tables are in use: the walker can no
	 * longer reach it, and a walk flush came after it was unlinked.
	 */
	if (t->armed && data != p->root) {
		phys_addr_t pa = virt_to_phys(data);
		struct arm_lpae_ref_visitor v = {
			.table = drv_find_table,
			.arg = &pa,
		};

		KUNIT_EXPECT_EQ_MSG(t->test, arm_lpae_ref_for_each(&t->ref, &v), 0,
				    "%s: a table freed while the walker reaches it",
				    t->name);
		KUNIT_EXPECT_GT_MSG(t->test, t->flush_walk, 0,
				    "%s: a table freed without a walk flush",
				    t->name);
	}

	if (data == p->root) {
		KUNIT_EXPECT_EQ(t->test, size, p->root_size);
		p->root = NULL;
	} else {
		KUNIT_EXPECT_EQ(t->test, size, p->page_size);
	}
	p->live--;
	kfree(data);
}

/* Reserve @n tables before an operation, as the VM_BIND paths do. */
static void drv_pool_fill(struct drv_t *t, unsigned int n)
{
	struct drv_pool *p = &t->pool;

	KUNIT_ASSERT_LE(t->test, n, DRV_POOL_MAX);
	p->count = n;
	p->ptr = 0;
	while (n--) {
		p->pages[n] = kmalloc(p->page_size, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(t->test, p->pages[n]);
		memset(p->pages[n], 0xa5, p->page_size);
	}
}

/* After the operation: the reservation sufficed; return what is left. */
static void drv_pool_drain(struct drv_t *t, const char *what)
{
	struct drv_pool *p = &t->pool;

	KUNIT_EXPECT_EQ_MSG(t->test, p->empty, 0,
			    "%s, %s: a table beyond the reservation", t->name,
			    what);
	KUNIT_EXPECT_EQ_MSG(t->test, p->bad_size, 0,
			    "%s, %s: a table of another size", t->name, what);
	while (p->ptr < p->count)
		kfree(p->pages[p->ptr++]);
	p->count = 0;
	p->ptr = 0;
}

/* panthor_vm_prepare_map_op_ctx(): L1, L2 and L3 tables of 4K. */
static unsigned int drv_panthor_pt_count(u64 va, u64 size)
{
	return ((ALIGN(va + size, 1ULL << 39) - ALIGN_DOWN(va, 1ULL << 39)) >> 39) +
	       ((ALIGN(va + size, 1ULL << 30) - ALIGN_DOWN(va, 1ULL << 30)) >> 30) +
	       ((ALIGN(va + size, 1ULL << 21) - ALIGN_DOWN(va, 1ULL << 21)) >> 21);
}

/* A VM_BIND map of a two-chunk sg table, in panthor_vm_map_pages()'s loop. */
static void drv_panthor_bind(struct drv_t *t, u64 va, const u64 *pa,
			     const u64 *len, unsigned int nsg, int prot)
{
	u64 size = 0, iova = va;
	unsigned int i;

	for (i = 0; i < nsg; i++)
		size += len[i];
	drv_pool_fill(t, drv_panthor_pt_count(va, size));
	for (i = 0; i < nsg; i++) {
		drv_map(t, DRV_SPLIT_MALI, iova, pa[i], len[i], prot);
		iova += len[i];
	}
	drv_pool_drain(t, "VM_BIND map");
	iova = va;
	for (i = 0; i < nsg; i++) {
		drv_expect_mapped(t, iova, pa[i], len[i], prot);
		iova += len[i];
	}
}

static void drv_panthor_case(struct kunit *test, const char *name,
			     bool coherent)
{
	struct drv_t *t = drv_new(test, name);
	/* Mali-G610: GPU_MMU_FEATURES 48-bit VA, 40-bit PA */
	u32 mmu_features = 0x2830;
	u32 va_bits = mmu_features & 0xff, pa_bits = (mmu_features >> 8) & 0xff;
	static const u64 pa[] = { SZ_2G - 2 * SZ_4K, SZ_1G };
	static const u64 len[] = { 2 * SZ_4K, SZ_2M + 2 * SZ_4K };
	u64 va = SZ_4G - 2 * SZ_4K;

	t->pool.page_size = SZ_4K;
	t->cfg = (struct io_pgtable_cfg) {
		.pgsize_bitmap	= SZ_4K | SZ_2M,
		.ias		= va_bits,
		.oas		= pa_bits,
		.coherent_walk	= coherent,
		.tlb		= &mali_tlb_ops,
		.iommu_dev	= iopt_test_dma_device(test),
		.alloc		= drv_pool_alloc,
		.free		= drv_pool_free,
	};
	KUNIT_ASSERT_TRUE(test, drv_alloc(t, ARM_64_LPAE_S1));
	KUNIT_EXPECT_EQ(test, t->pool.live, 1);
	KUNIT_EXPECT_EQ(test, t->cfg.pgsize_bitmap, SZ_4K | SZ_2M);

	/*
	 * panthor_vm_active(): TRANSTAB is the TTBR, TRANSCFG says AArch64
	 * 4K with INA_BITS(55 - va_bits); MEMATTR from the MAIR.
	 */
	KUNIT_EXPECT_EQ(test, t->granule, SZ_4K);
	KUNIT_EXPECT_EQ(test, (u32)t->cfg.arm_lpae_s1_cfg.tcr.tsz, 64 - va_bits);
	drv_arm_lpae(t, ARM_LPAE_REF_S1, 12, va_bits, drv_s1_level(12, va_bits),
		     t->cfg.arm_lpae_s1_cfg.ttbr, false, false,
		     t->cfg.arm_lpae_s1_cfg.mair);

	drv_panthor_bind(t, va, pa, len, 2, DRV_RW | IOMMU_CACHE);
	/* panthor_vm_unmap_pages(): NULL gather, in get_pgsize() steps */
	drv_unmap(t, DRV_SPLIT_MALI, DRV_GATHER_NULL, va, len[0] + len[1],
		  "VM_BIND unmap");
	drv_expect_empty(t);

	/* the generic workload, each map with its own reservation */
	drv_pool_fill(t, DRV_POOL_MAX);
	drv_exercise_lpae(t, DRV_SPLIT_MALI, DRV_GATHER_NULL,
			  DRV_RW | IOMMU_CACHE);
	drv_pool_drain(t, "maps");

	drv_free(t);
	KUNIT_EXPECT_EQ_MSG(test, t->pool.live, 0, "tables not given back");
}

static void panthor_vm_create(struct kunit *test)
{
	drv_panthor_case(test, __func__, false);
}

static void panthor_vm_create_coherent(struct kunit *test)
{
	drv_panthor_case(test, __func__, true);
}

/* ----------------------------------------------------------------------- */
/* msm: msm_iommu_pagetable_create()                                        */

/*
 * The adreno SMMU domain, then msm's per-process tables from a copy of its
 * cfg: TTBR1 cleared, msm's flush ops. The context's TCR then carries both
 * halves (qcom_adreno_smmu_set_ttbr0_cfg()).
 */
static struct drv_t *drv_msm_create(struct kunit *test, const char *name,
				    bool vm_bind)
{
	struct drv_t *parent = drv_new(test, "arm_smmu_init_domain_context");
	struct drv_t *t = drv_new(test, name);
	const struct io_pgtable_cfg *ttbr1_cfg;
	u32 tcr;

	KUNIT_ASSERT_TRUE(test, drv_arm_smmu_init(parent, &drv_adreno_smmu));
	drv_arm_smmu_s1_regs(parent, true, 0);
	/* qcom_adreno_smmu_get_ttbr1_cfg(): the format's copy of the cfg */
	ttbr1_cfg = &io_pgtable_ops_to_pgtable(parent->ops)->cfg;

	t->cfg = *ttbr1_cfg;
	t->cfg.quirks &= ~IO_PGTABLE_QUIRK_ARM_TTBR1;
	t->cfg.tlb = &msm_tlb_ops;
	if (vm_bind) {
		/* what later kernels add for VM_BIND */
		t->cfg.quirks |= IO_PGTABLE_QUIRK_NO_WARN;
		t->cfg.alloc = drv_pool_alloc;
		t->cfg.free = drv_pool_free;
		t->pool.page_size = drv_expect_granule(t->cfg.pgsize_bitmap);
	}
	KUNIT_ASSERT_TRUE_MSG(test, drv_alloc(t, ARM_64_LPAE_S1), "%s refused",
			      name);

	/* the context bank's TCR with both halves enabled */
	tcr = drv_smmu_lpae_tcr(&parent->cfg) | drv_smmu_lpae_tcr(&t->cfg);
	tcr &= ~(SMMU_TCR_EPD0 | SMMU_TCR_EPD1);
	KUNIT_EXPECT_EQ(test, drv_tg0_shift(FIELD_GET(SMMU_TCR_TG0, tcr)),
			__ffs(t->granule));
	KUNIT_EXPECT_EQ(test, drv_tg1_shift(FIELD_GET(SMMU_TCR_TG1, tcr)),
			__ffs(parent->granule));
	KUNIT_EXPECT_EQ(test, FIELD_GET(SMMU_TCR_T0SZ, tcr), 64 - t->cfg.ias);
	KUNIT_EXPECT_EQ(test, FIELD_GET(SMMU_TCR_T1SZ, tcr),
			64 - parent->cfg.ias);
	KUNIT_EXPECT_EQ(test, FIELD_GET(SMMU_TCR_ORGN0, tcr),
			ARM_LPAE_TCR_RGN_WBWA);
	drv_arm_smmu_s1_regs(t, true, 0);

	/* the GPU's global mappings in TTBR1 are untouched by TTBR0's */
	KUNIT_ASSERT_EQ(test, iopt_test_map(parent->ops, parent->base, SZ_1G,
					    parent->granule, 1, DRV_RW, NULL),
			0);
	return t;
}

static void msm_iommu_pagetable_create(struct kunit *test)
{
	struct drv_t *t = drv_msm_create(test, __func__, false);

	/* msm_iommu_pagetable_map()/_unmap(): calc_pgsize(), NULL gather */
	drv_exercise_lpae(t, DRV_SPLIT_CORE, DRV_GATHER_NULL,
			  DRV_RW | IOMMU_CACHE);
}

/* Tables enough for [@va, @va + @size) at every level below the top. */
static unsigned int drv_tables_for(struct drv_t *t, u64 va, u64 size)
{
	unsigned int n = 0, gshift = t->ref.granule_shift;
	int level;

	for (level = t->ref.start_level; level < 3; level++) {
		u64 cover = BIT_ULL(arm_lpae_ref_level_shift(gshift, level));

		n += (ALIGN(va + size, cover) - ALIGN_DOWN(va, cover)) / cover;
	}
	return n;
}

/*
 * The pattern of later kernels' msm VM_BIND: tables from a reservation
 * (cfg->alloc/free) and IO_PGTABLE_QUIRK_NO_WARN, since a conflicting
 * request comes from userspace: it fails quietly, changing nothing.
 */
static void msm_iommu_pagetable_create_vm_bind_no_warn(struct kunit *test)
{
	struct drv_t *t = drv_msm_create(test, __func__, true);
	u64 g = t->granule, span = g / 8 * g, va = span - 2 * g, pa = SZ_1G;
	size_t mapped = 0;

	KUNIT_EXPECT_EQ(test, t->pool.live, 1);
	drv_pool_fill(t, drv_tables_for(t, va, 4 * g));
	drv_map(t, DRV_SPLIT_CORE, va, pa, 4 * g, DRV_RW);
	drv_pool_drain(t, "VM_BIND map");
	drv_expect_mapped(t, va, pa, 4 * g, DRV_RW);

	/* over a live page: -EEXIST, nothing mapped, nothing allocated */
	drv_pool_fill(t, drv_tables_for(t, va - g, 2 * g));
	KUNIT_EXPECT_EQ(test, t->ops->map_pages(t->ops, va - g, 0, g, 2, DRV_RW,
						GFP_KERNEL, &mapped), -EEXIST);
	KUNIT_EXPECT_EQ(test, mapped, 0);
	KUNIT_EXPECT_EQ(test, t->pool.ptr, 0);
	drv_pool_drain(t, "a refused map");
	KUNIT_EXPECT_EQ(test, t->ops->iova_to_phys(t->ops, va - g), 0);
	drv_expect_mapped(t, va, pa, 4 * g, DRV_RW);

	/* a hole: 0 bytes, quietly */
	KUNIT_EXPECT_EQ(test, t->ops->unmap_pages(t->ops, va + 8 * g, g, 1,
						  NULL), 0);

	drv_unmap(t, DRV_SPLIT_CORE, DRV_GATHER_NULL, va, 4 * g,
		  "VM_BIND unmap");
	drv_expect_empty(t);
	drv_free(t);
	KUNIT_EXPECT_EQ(test, t->pool.live, 0);
}

static struct kunit_case io_pgtable_drivers_test_cases[] = {
	KUNIT_CASE(arm_smmu_init_domain_context_s1_64),
	KUNIT_CASE(arm_smmu_init_domain_context_s1_64_noncoherent),
	KUNIT_CASE(arm_smmu_init_domain_context_s1_32),
	KUNIT_CASE(arm_smmu_init_domain_context_s2_64),
	KUNIT_CASE(arm_smmu_init_domain_context_s2_32),
	KUNIT_CASE(arm_smmu_init_domain_context_qcom_adreno_ttbr1),
	KUNIT_CASE(arm_smmu_set_pgtable_quirks_outer_wbwa_coherent),
	KUNIT_CASE(arm_smmu_v3_domain_finalise_s1),
	KUNIT_CASE(arm_smmu_v3_domain_finalise_s1_oas52),
	KUNIT_CASE(arm_smmu_v3_domain_finalise_s1_oas52_4k),
	KUNIT_CASE(arm_smmu_v3_domain_finalise_s1_vax52_64k),
	KUNIT_CASE(arm_smmu_v3_domain_finalise_s1_noncoherent),
	KUNIT_CASE(arm_smmu_v3_domain_finalise_s1_dirty),
	KUNIT_CASE(arm_smmu_v3_domain_finalise_s2),
	KUNIT_CASE(arm_smmu_v3_domain_finalise_s2_oas52),
	KUNIT_CASE(arm_smmu_v3_domain_finalise_s2_noncoherent),
	KUNIT_CASE(arm_smmu_v3_unmap_pages_dma_fq),
	KUNIT_CASE_PARAM(arm_smmu_v3_domain_finalise_ias_oas,
			 drv_sweep_gen_params),
	KUNIT_CASE(qcom_iommu_init_domain),
	KUNIT_CASE(ipmmu_domain_init_context),
	KUNIT_CASE(mtk_iommu_domain_finalise_mt8173_4gb),
	KUNIT_CASE(mtk_iommu_domain_finalise_mt8173),
	KUNIT_CASE(mtk_iommu_domain_finalise_mt8183),
	KUNIT_CASE(mtk_iommu_domain_finalise_mt8192_iova34),
	KUNIT_CASE(mtk_iommu_domain_finalise_mt8188_ttbr_ext),
	KUNIT_CASE(panfrost_mmu_ctx_create),
	KUNIT_CASE(panfrost_mmu_ctx_create_coherent),
	KUNIT_CASE(panfrost_mmu_ctx_create_oas48_refused),
	KUNIT_CASE(panthor_vm_create),
	KUNIT_CASE(panthor_vm_create_coherent),
	KUNIT_CASE(msm_iommu_pagetable_create),
	KUNIT_CASE(msm_iommu_pagetable_create_vm_bind_no_warn),
	{}
};

static struct kunit_suite io_pgtable_drivers_test_suite = {
	.name = "io-pgtable-drivers",
	.test_cases = io_pgtable_drivers_test_cases,
};

kunit_test_suites(&io_pgtable_drivers_test_suite);

MODULE_DESCRIPTION("KUnit tests: io-pgtable as its in-tree users configure and call it");
MODULE_LICENSE("GPL");
