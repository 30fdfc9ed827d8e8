// SPDX-License-Identifier: GPL-2.0-only
/*
 * ARMv7 short-descriptor (v7s) IOMMU page tables.
 *
 * Two levels of 32-bit descriptors: a level-1 table of 4096 entries (more
 * with the MediaTek input-space extension), each a 1 MiB section, one of 16
 * copies of a 16 MiB supersection, or a pointer to a 1 KiB level-2 table of
 * 256 entries, each a 4 KiB small page or one of 16 copies of a 64 KiB large
 * page.
 *
 * The walkers that use this format reach only 32-bit (or, on MediaTek parts,
 * 35-bit) physical addresses, so every table lives where its descriptor can
 * point to it: level-1 tables in GFP_DMA32 pages, level-2 tables in a
 * SLAB_CACHE_DMA32 kmem cache, and any table that still lands out of reach
 * (a custom allocator's, say) is refused. With the MediaTek TTBR extension
 * (IO_PGTABLE_QUIRK_ARM_MTK_TTBR_EXT) the TTBR and table descriptors hold
 * 35 bits, and no table comes from a DMA zone.
 *
 * Contract of the operations, on top of struct io_pgtable_ops:
 *
 * - map_pages() checks the whole range before it writes anything, so an
 *   -EEXIST (or -EINVAL/-ERANGE) leaves the tables exactly as they were.
 *   -ENOMEM (a level-2 table could not be allocated) leaves the pages before
 *   the failure mapped and counted in *mapped. A level-2 table left empty by
 *   earlier unmaps does not count as a mapping: a section may replace it.
 * - unmap_pages() unmaps whole pages of @pgsize; a page is mapped when any
 *   leaf lies inside it, and every leaf inside it goes. It stops at the
 *   first page with nothing mapped. Pages that cover only part of a
 *   larger leaf (4 KiB of a large page, 1 MiB of a supersection) split
 *   it, as 6.12 does, but by break-before-make ("Splitting a leaf"): a
 *   section becomes a level-2 table, a large page 16 small pages, a
 *   supersection 16 sections (one of them a table when part of its
 *   megabyte goes), and the pages unmapped count as any. The table comes
 *   from cfg->alloc or the level-2 cache with GFP_ATOMIC (unmap has no
 *   gfp); without it the call returns what it unmapped before, with
 *   nothing changed. With IO_PGTABLE_QUIRK_NO_SPLIT the page is refused
 *   instead: the call returns what it unmapped before, 0 and a WARN
 *   (unless IO_PGTABLE_QUIRK_NO_WARN) when that is nothing, even for
 *   pages that cover the larger leaf whole, which otherwise remove it as
 *   the one leaf it is. Every leaf
 *   removed is reported with tlb_add_page() unless the gather is NULL or
 *   queued; a level-2 table that the call empties entirely is unhooked,
 *   invalidated with tlb_flush_walk() and freed. Each callback comes after
 *   the entries it covers are cleared and, for a non-coherent walker,
 *   cleaned to memory, since a driver may invalidate from inside it; a
 *   table is freed only after its tlb_flush_walk().
 * - iova_to_phys() takes no lock and returns 0 for an unmapped IOVA.
 * - Level-2 tables are installed with cmpxchg(): map and unmap may run
 *   concurrently on disjoint ranges; the loser of an install race frees its
 *   own table. A split starts with a cmpxchg() too, of the leaf's first
 *   entry: an unmap of another part of the leaf waits for the split to
 *   end and walks again; a map finds the leaf's entries in use.
 * - For a non-coherent walker every descriptor write is cleaned to memory
 *   with io_pgtable_sync() before the walker may depend on it.
 */

#define pr_fmt(fmt)	"arm-v7s io-pgtable: " fmt

#include <linux/atomic.h>
#include <linux/bitfield.h>
#include <linux/bitops.h>
#include <linux/bug.h>
#include <linux/err.h>
#include <linux/gfp.h>
#include <linux/io-pgtable.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/processor.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/types.h>

#include <asm/barrier.h>

/*
 * Descriptor encoding
 */
typedef u32 arm_v7s_iopte;

#define ARM_V7S_PTE_SIZE		sizeof(arm_v7s_iopte)

/* Bits [1:0]: the descriptor type. */
#define ARM_V7S_TYPE_MASK		GENMASK(1, 0)
#define ARM_V7S_L1_TYPE_TABLE		0x1
#define ARM_V7S_L1_TYPE_SECTION		0x2	/* bit 0 is PXN: left clear */
#define ARM_V7S_L2_TYPE_LARGE		0x1
#define ARM_V7S_L2_TYPE_SMALL		0x2	/* bit 0 is XN */

#define ARM_V7S_L1_SUPERSECTION		BIT(18)

/*
 * A descriptor no mapping writes, of type 0b00 (the walker faults on it):
 * it stands in the entries of a leaf being split, between the break and
 * the make. A map finds the slot in use (-EEXIST); an unmap waits for the
 * split to end and walks again.
 */
#define ARM_V7S_PTE_BREAK		((arm_v7s_iopte)~ARM_V7S_TYPE_MASK)

/* Output address fields of each kind of descriptor. */
#define ARM_V7S_TABLE_ADDR		GENMASK(31, 10)
#define ARM_V7S_SUPERSECTION_ADDR	GENMASK(31, 24)
#define ARM_V7S_SECTION_ADDR		GENMASK(31, 20)
#define ARM_V7S_LARGE_ADDR		GENMASK(31, 16)
#define ARM_V7S_SMALL_ADDR		GENMASK(31, 12)

/* Memory type: with TEX remap, TEX[0]:C:B index PRRR/NMRR. */
#define ARM_V7S_B			BIT(2)
#define ARM_V7S_C			BIT(3)
#define ARM_V7S_TABLE_NS		BIT(3)
#define ARM_V7S_SECTION_XN		BIT(4)
#define ARM_V7S_SECTION_NS		BIT(19)
#define ARM_V7S_SMALL_XN		BIT(0)
#define ARM_V7S_LARGE_XN		BIT(15)

/*
 * AP[1:0], TEX, AP[2], S and nG sit in the same order in sections and
 * small pages, as one field at bit 10 (level 1) or bit 4 (level 2). Large
 * pages keep that field but move TEX up to bits [14:12].
 */
#define ARM_V7S_ATTR_AF			BIT(0)	/* AP[0] with AFE=1 */
#define ARM_V7S_ATTR_UNPRIV		BIT(1)	/* AP[1] */
#define ARM_V7S_ATTR_TEX0		BIT(2)
#define ARM_V7S_ATTR_RDONLY		BIT(5)	/* AP[2] */
#define ARM_V7S_ATTR_S			BIT(6)
#define ARM_V7S_ATTR_NG			BIT(7)
#define ARM_V7S_ATTR_SHIFT_L1		10
#define ARM_V7S_ATTR_SHIFT_L2		4
#define ARM_V7S_SMALL_TEX0		(ARM_V7S_ATTR_TEX0 << ARM_V7S_ATTR_SHIFT_L2)
#define ARM_V7S_LARGE_TEX0		BIT(12)

/* MediaTek: physical address bits 32, 33 and 34 in descriptor bits 9/4/5. */
#define ARM_V7S_MTK_PA32		BIT(9)
#define ARM_V7S_MTK_PA33		BIT(4)
#define ARM_V7S_MTK_PA34		BIT(5)
#define ARM_V7S_MTK_PA_BITS		35

/* Memory region attributes (write-back write-allocate), for NMRR. */
#define ARM_V7S_RGN_WBWA		1

/*
 * TTBR0 walk attributes (with the multiprocessing extensions). Region
 * 0b01 is write-back write-allocate; IRGN is split, IRGN[0] in bit 6 and
 * IRGN[1] in bit 0. Non-cacheable walks (region 0b00) set neither.
 */
#define ARM_V7S_TTBR_S			BIT(1)
#define ARM_V7S_TTBR_NOS		BIT(5)
#define ARM_V7S_TTBR_IRGN_WBWA		BIT(6)
#define ARM_V7S_TTBR_ORGN_WBWA		BIT(3)

/*
 * PRRR and NMRR for the three TEX remap indices the descriptors use:
 * 1 (B) for device memory, 4 (TEX[0]) for non-cacheable normal memory and
 * 7 (TEX[0]|C|B) for write-back write-allocate normal memory.
 */
#define ARM_V7S_IDX_DEVICE		1
#define ARM_V7S_IDX_NORMAL_NC		4
#define ARM_V7S_IDX_NORMAL_WB		7
#define ARM_V7S_PRRR_DEVICE		1
#define ARM_V7S_PRRR_NORMAL		2
#define ARM_V7S_PRRR_TR(idx, type)	((type) << ((idx) * 2))
#define ARM_V7S_PRRR_DS0		BIT(16)
#define ARM_V7S_PRRR_DS1		BIT(17)
#define ARM_V7S_PRRR_NS1		BIT(19)
#define ARM_V7S_PRRR_NOS(idx)		BIT(24 + (idx))
#define ARM_V7S_NMRR_IR(idx, rgn)	((rgn) << ((idx) * 2))
#define ARM_V7S_NMRR_OR(idx, rgn)	((rgn) << (16 + (idx) * 2))

/*
 * Geometry
 */
#define ARM_V7S_ADDR_BITS		32
#define ARM_V7S_MTK_IAS_MAX		34
#define ARM_V7S_L1_SHIFT		20
#define ARM_V7S_L2_SHIFT		12
#define ARM_V7S_L2_ENTRIES		256
#define ARM_V7S_L2_TABLE_SIZE		(ARM_V7S_L2_ENTRIES * ARM_V7S_PTE_SIZE)
#define ARM_V7S_CONT_SHIFT		4	/* 16 copies per large leaf */
#define ARM_V7S_CONT_ENTRIES		BIT(ARM_V7S_CONT_SHIFT)
#define ARM_V7S_PGSIZES			(SZ_4K | SZ_64K | SZ_1M | SZ_16M)

/* The IOMMU_* flags that select leaf attributes. */
#define ARM_V7S_PROT_MASK		(IOMMU_READ | IOMMU_WRITE | IOMMU_CACHE | \
					 IOMMU_NOEXEC | IOMMU_MMIO | IOMMU_PRIV)

#define ARM_V7S_TABLE_GFP_ZONE						\
	(IS_ENABLED(CONFIG_ZONE_DMA32) ? GFP_DMA32 : GFP_DMA)
#define ARM_V7S_TABLE_SLAB_ZONE						\
	(IS_ENABLED(CONFIG_ZONE_DMA32) ? SLAB_CACHE_DMA32 : SLAB_CACHE_DMA)

/*
 * What one page of a given size is in the tables. Each is 16 times the
 * size of the one before, so log2 of the size gives the kind.
 */
enum arm_v7s_leaf {
	ARM_V7S_SMALL,		/* 4K: one level-2 entry */
	ARM_V7S_LARGE,		/* 64K: 16 level-2 entries */
	ARM_V7S_SECTION,	/* 1M: one level-1 entry */
	ARM_V7S_SUPERSECTION,	/* 16M: 16 level-1 entries */
};

#define ARM_V7S_LEAF_KINDS		(ARM_V7S_SUPERSECTION + 1)

/**
 * struct arm_v7s_io_pgtable - a set of v7s page tables
 * @iop:         The common part; first, so that the core's pointer and ours
 *               are the same.
 * @pgd:         The level-1 table.
 * @pgd_size:    Its architectural size in bytes.
 * @l1_cache:    Cache of level-1 tables when they are smaller than a page
 *               and must sit low, else NULL.
 * @l2_cache:    Cache of level-2 tables; NULL with a custom allocator.
 * @l1_limit:    Highest physical address a level-1 table byte may have.
 * @l2_limit:    The same for level-2 tables.
 * @iova_limit:  Last IOVA the tables translate.
 * @pa_limit:    Last physical address a leaf may map.
 * @pgsizes:     The page sizes the tables map, as in cfg->pgsize_bitmap
 *               when they were allocated.
 * @l1_mask:     Mask of the level-1 index.
 * @table_attrs: Attribute bits of every table descriptor.
 * @mtk_pa:      Leaf descriptors carry PA bits 32-34 (MediaTek).
 * @mtk_table:   Table descriptors carry them too (MediaTek TTBR extension).
 * @leaf_attrs:  Attribute bits of a leaf of each kind for each combination
 *               of the IOMMU_* flags in ARM_V7S_PROT_MASK, worked out once
 *               so that map only looks them up.
 */
struct arm_v7s_io_pgtable {
	struct io_pgtable	iop;
	arm_v7s_iopte		*pgd;
	size_t			pgd_size;
	struct kmem_cache	*l1_cache;
	struct kmem_cache	*l2_cache;
	phys_addr_t		l1_limit;
	phys_addr_t		l2_limit;
	unsigned long		iova_limit;
	phys_addr_t		pa_limit;
	unsigned long		pgsizes;
	unsigned int		l1_mask;
	arm_v7s_iopte		table_attrs;
	bool			mtk_pa;
	bool			mtk_table;
	arm_v7s_iopte		leaf_attrs[ARM_V7S_LEAF_KINDS][ARM_V7S_PROT_MASK + 1];
};

#define to_v7s(x)	container_of((x), struct arm_v7s_io_pgtable, iop)

static inline int arm_v7s_leaf_level(enum arm_v7s_leaf kind)
{
	return kind >= ARM_V7S_SECTION ? 1 : 2;
}

static inline unsigned int arm_v7s_leaf_span_shift(enum arm_v7s_leaf kind)
{
	return kind == ARM_V7S_LARGE || kind == ARM_V7S_SUPERSECTION ?
	       ARM_V7S_CONT_SHIFT : 0;
}

static inline unsigned int arm_v7s_l1_index(const struct arm_v7s_io_pgtable *data,
					    unsigned long iova)
{
	return (iova >> ARM_V7S_L1_SHIFT) & data->l1_mask;
}

static inline unsigned int arm_v7s_l2_index(unsigned long iova)
{
	return (iova >> ARM_V7S_L2_SHIFT) & (ARM_V7S_L2_ENTRIES - 1);
}

static inline bool arm_v7s_l1_is_table(arm_v7s_iopte pte)
{
	return (pte & ARM_V7S_TYPE_MASK) == ARM_V7S_L1_TYPE_TABLE;
}

static inline bool arm_v7s_l1_is_leaf(arm_v7s_iopte pte)
{
	return pte & ARM_V7S_L1_TYPE_SECTION;
}

static inline bool arm_v7s_l1_is_super(arm_v7s_iopte pte)
{
	return arm_v7s_l1_is_leaf(pte) && (pte & ARM_V7S_L1_SUPERSECTION);
}

static inline bool arm_v7s_l2_is_large(arm_v7s_iopte pte)
{
	return (pte & ARM_V7S_TYPE_MASK) == ARM_V7S_L2_TYPE_LARGE;
}

/* Physical address to descriptor bits, MediaTek's high bits included. */
static inline arm_v7s_iopte arm_v7s_pa_to_pte(phys_addr_t pa, arm_v7s_iopte mask,
					      bool mtk)
{
	u64 addr = pa;
	arm_v7s_iopte pte = lower_32_bits(addr) & mask;

	if (mtk) {
		if (addr & BIT_ULL(32))
			pte |= ARM_V7S_MTK_PA32;
		if (addr & BIT_ULL(33))
			pte |= ARM_V7S_MTK_PA33;
		if (addr & BIT_ULL(34))
			pte |= ARM_V7S_MTK_PA34;
	}
	return pte;
}

static inline phys_addr_t arm_v7s_pte_to_pa(arm_v7s_iopte pte,
					    arm_v7s_iopte mask, bool mtk)
{
	u64 addr = pte & mask;

	if (mtk) {
		if (pte & ARM_V7S_MTK_PA32)
			addr |= BIT_ULL(32);
		if (pte & ARM_V7S_MTK_PA33)
			addr |= BIT_ULL(33);
		if (pte & ARM_V7S_MTK_PA34)
			addr |= BIT_ULL(34);
	}
	return addr;
}

static inline arm_v7s_iopte *
arm_v7s_table_va(const struct arm_v7s_io_pgtable *data, arm_v7s_iopte pte)
{
	return phys_to_virt(arm_v7s_pte_to_pa(pte, ARM_V7S_TABLE_ADDR,
					      data->mtk_table));
}

/*
 * The attribute bits of a leaf of @kind for IOMMU_* @prot; map looks them
 * up in leaf_attrs[], filled from here at allocation.
 */
static arm_v7s_iopte arm_v7s_leaf_attrs(const struct io_pgtable_cfg *cfg,
					int prot, enum arm_v7s_leaf kind)
{
	bool perms = !(cfg->quirks & IO_PGTABLE_QUIRK_NO_PERMS);
	bool l1 = arm_v7s_leaf_level(kind) == 1;
	arm_v7s_iopte field = ARM_V7S_ATTR_NG | ARM_V7S_ATTR_S;
	bool xn = perms && (prot & IOMMU_NOEXEC);
	arm_v7s_iopte pte;

	if (!(prot & IOMMU_MMIO))
		field |= ARM_V7S_ATTR_TEX0;
	if (perms) {
		field |= ARM_V7S_ATTR_AF;
		if (!(prot & IOMMU_PRIV))
			field |= ARM_V7S_ATTR_UNPRIV;
		if (!(prot & IOMMU_WRITE))
			field |= ARM_V7S_ATTR_RDONLY;
	}
	pte = field << (l1 ? ARM_V7S_ATTR_SHIFT_L1 : ARM_V7S_ATTR_SHIFT_L2);

	if (prot & IOMMU_MMIO)
		pte |= ARM_V7S_B;
	else if (prot & IOMMU_CACHE)
		pte |= ARM_V7S_B | ARM_V7S_C;

	switch (kind) {
	case ARM_V7S_SMALL:
		pte |= ARM_V7S_L2_TYPE_SMALL | (xn ? ARM_V7S_SMALL_XN : 0);
		break;
	case ARM_V7S_LARGE:
		if (pte & ARM_V7S_SMALL_TEX0)
			pte ^= ARM_V7S_SMALL_TEX0 | ARM_V7S_LARGE_TEX0;
		pte |= ARM_V7S_L2_TYPE_LARGE | (xn ? ARM_V7S_LARGE_XN : 0);
		break;
	case ARM_V7S_SUPERSECTION:
		pte |= ARM_V7S_L1_SUPERSECTION;
		fallthrough;
	case ARM_V7S_SECTION:
		pte |= ARM_V7S_L1_TYPE_SECTION | (xn ? ARM_V7S_SECTION_XN : 0);
		if (cfg->quirks & IO_PGTABLE_QUIRK_ARM_NS)
			pte |= ARM_V7S_SECTION_NS;
		break;
	}
	return pte;
}

static inline arm_v7s_iopte arm_v7s_leaf_addr_mask(enum arm_v7s_leaf kind)
{
	switch (kind) {
	case ARM_V7S_SMALL:
		return ARM_V7S_SMALL_ADDR;
	case ARM_V7S_LARGE:
		return ARM_V7S_LARGE_ADDR;
	case ARM_V7S_SECTION:
		return ARM_V7S_SECTION_ADDR;
	default:
		return ARM_V7S_SUPERSECTION_ADDR;
	}
}

/*
 * Argument checks map and unmap share: @pgsize one of the page sizes,
 * @addrs (the addresses ORed together) aligned to it, @pgcount at least 1.
 */
static __always_inline bool
arm_v7s_args_bad(const struct arm_v7s_io_pgtable *data, size_t pgsize,
		 size_t pgcount, u64 addrs)
{
	return !(pgsize & data->pgsizes) || (pgsize & (pgsize - 1)) ||
	       !pgcount || (addrs & (pgsize - 1));
}

/* Whether @pgcount pages of 1 << @shift bytes from @addr end by @limit. */
static __always_inline bool arm_v7s_fits(u64 addr, size_t pgcount,
					 unsigned int shift, u64 limit)
{
	return addr <= limit && pgcount - 1 <= (limit - addr) >> shift;
}

/* The kind of leaf that maps a page of 1 << @shift bytes, a valid size. */
static __always_inline enum arm_v7s_leaf
arm_v7s_shift_to_leaf(unsigned int shift)
{
	return (shift - ARM_V7S_L2_SHIFT) / ARM_V7S_CONT_SHIFT;
}

/* log2 of the size of a page of @kind. */
static inline unsigned int arm_v7s_leaf_shift(enum arm_v7s_leaf kind)
{
	return ARM_V7S_L2_SHIFT + kind * ARM_V7S_CONT_SHIFT;
}

/*
 * Table memory
 *
 * Sub-page tables that must sit low come from kmem caches created with
 * SLAB_CACHE_DMA32 (kmalloc has no zones); with the MediaTek TTBR extension
 * level-2 tables may sit anywhere in the 35 bits a descriptor holds, and
 * come from a cache without a zone, so that they do not drain ZONE_DMA32.
 * The caches are shared by every set of tables and destroyed with the last
 * one, so that many small domains do not each pin partly used slabs.
 */
struct arm_v7s_table_cache {
	const char		*name;
	unsigned int		size;
	bool			low;
	unsigned int		users;
	struct kmem_cache	*cache;
};

static DEFINE_MUTEX(arm_v7s_caches_lock);
static struct arm_v7s_table_cache arm_v7s_caches[] = {
	{ .name = "io-pgtable-v7s-1k",		.size = SZ_1K,	.low = true },
	{ .name = "io-pgtable-v7s-1k-any",	.size = SZ_1K },
	{ .name = "io-pgtable-v7s-16k",		.size = SZ_16K,	.low = true },
	{ .name = "io-pgtable-v7s-32k",		.size = SZ_32K,	.low = true },
	{ .name = "io-pgtable-v7s-64k",		.size = SZ_64K,	.low = true },
};

/*
 * A cache of @size-byte tables, from ZONE_DMA32 (ZONE_DMA without it) when
 * @low; NULL when there is none or it cannot be made.
 */
static struct kmem_cache *arm_v7s_get_cache(size_t size, bool low)
{
	struct arm_v7s_table_cache *c;
	struct kmem_cache *cache = NULL;
	int i;

	mutex_lock(&arm_v7s_caches_lock);
	for (i = 0; i < ARRAY_SIZE(arm_v7s_caches); i++) {
		c = &arm_v7s_caches[i];
		if (c->size != size || c->low != low)
			continue;
		if (!c->users)
			c->cache = kmem_cache_create(c->name, size, size,
						     low ? ARM_V7S_TABLE_SLAB_ZONE : 0,
						     NULL);
		if (c->cache) {
			c->users++;
			cache = c->cache;
		}
		break;
	}
	mutex_unlock(&arm_v7s_caches_lock);
	return cache;
}

static void arm_v7s_put_cache(struct kmem_cache *cache)
{
	int i;

	if (!cache)
		return;
	mutex_lock(&arm_v7s_caches_lock);
	for (i = 0; i < ARRAY_SIZE(arm_v7s_caches); i++) {
		struct arm_v7s_table_cache *c = &arm_v7s_caches[i];

		if (c->cache != cache)
			continue;
		if (!--c->users) {
			kmem_cache_destroy(c->cache);
			c->cache = NULL;
		}
		break;
	}
	mutex_unlock(&arm_v7s_caches_lock);
}

static arm_v7s_iopte *arm_v7s_alloc_l2(struct arm_v7s_io_pgtable *data,
				       gfp_t gfp)
{
	return io_pgtable_alloc_table(&data->iop.cfg, data->iop.cookie,
				      ARM_V7S_L2_TABLE_SIZE, gfp,
				      data->l2_cache, data->l2_limit);
}

static void arm_v7s_free_l2(struct arm_v7s_io_pgtable *data,
			    arm_v7s_iopte *table)
{
	io_pgtable_free_table(&data->iop.cfg, data->iop.cookie, table,
			      ARM_V7S_L2_TABLE_SIZE, data->l2_cache);
}

static inline void arm_v7s_sync(struct arm_v7s_io_pgtable *data,
				arm_v7s_iopte *ptep, unsigned int num)
{
	io_pgtable_sync(&data->iop.cfg, ptep, num * ARM_V7S_PTE_SIZE);
}

static bool arm_v7s_table_empty(const arm_v7s_iopte *table)
{
	int i;

	for (i = 0; i < ARM_V7S_L2_ENTRIES; i++)
		if (READ_ONCE(table[i]))
			return false;
	return true;
}

/*
 * Break-before-make steps
 */

/*
 * Hook a new, empty level-2 table into the level-1 slot @l1p, which was
 * seen empty. Returns the descriptor now in the slot (ours, or that of a
 * racing mapper whose table won), or 0 when no table could be allocated.
 */
static arm_v7s_iopte arm_v7s_install_table(struct arm_v7s_io_pgtable *data,
					   arm_v7s_iopte *l1p, gfp_t gfp)
{
	arm_v7s_iopte *table = arm_v7s_alloc_l2(data, gfp);
	arm_v7s_iopte new, old;

	if (!table)
		return 0;

	new = arm_v7s_pa_to_pte(virt_to_phys(table), ARM_V7S_TABLE_ADDR,
				data->mtk_table) |
	      data->table_attrs;
	/* Fully ordered: the zeroed table is visible before its pointer. */
	old = cmpxchg(l1p, 0, new);
	/*
	 * Winner or not, clean the slot: the loser may otherwise return and
	 * let the device walk before the winner's clean lands.
	 */
	arm_v7s_sync(data, l1p, 1);
	if (old) {
		arm_v7s_free_l2(data, table);
		return old;
	}
	return new;
}

/*
 * Unhook the level-2 table of the 1 MiB at @iova, make the walker forget it
 * (and every leaf under it), then free it.
 */
static void arm_v7s_break_table(struct arm_v7s_io_pgtable *data,
				arm_v7s_iopte *l1p, arm_v7s_iopte pte,
				unsigned long iova)
{
	WRITE_ONCE(*l1p, 0);
	arm_v7s_sync(data, l1p, 1);
	io_pgtable_tlb_flush_walk(&data->iop, iova & ~(unsigned long)(SZ_1M - 1),
				  SZ_1M, SZ_4K);
	arm_v7s_free_l2(data, arm_v7s_table_va(data, pte));
}

/* Write @pages leaves of @span_shift copies each, from @paddr on. */
static inline void arm_v7s_make_leaves(struct arm_v7s_io_pgtable *data,
				       arm_v7s_iopte *ptep, unsigned int pages,
				       unsigned int span_shift,
				       phys_addr_t paddr, size_t pgsize,
				       arm_v7s_iopte attrs, arm_v7s_iopte mask)
{
	unsigned int i, j, span = 1U << span_shift;
	arm_v7s_iopte pte;

	/*
	 * One entry per page, no MediaTek bits: step the output address
	 * field by the page size (the range check keeps it below 4 GiB).
	 */
	if (!span_shift && !data->mtk_pa) {
		pte = arm_v7s_pa_to_pte(paddr, mask, false) | attrs;
		for (i = 0; i < pages; i++, pte += (arm_v7s_iopte)pgsize)
			WRITE_ONCE(ptep[i], pte);
		arm_v7s_sync(data, ptep, pages);
		return;
	}

	for (i = 0; i < pages; i++) {
		pte = arm_v7s_pa_to_pte(paddr, mask, data->mtk_pa) | attrs;
		for (j = 0; j < span; j++)
			WRITE_ONCE(ptep[j], pte);
		ptep += span;
		paddr += pgsize;
	}
	arm_v7s_sync(data, ptep - (pages << span_shift), pages << span_shift);
}

/* Clear @num slots from @ptep; the caller reports them to the TLB. */
static inline void arm_v7s_clear_leaves(struct arm_v7s_io_pgtable *data,
					arm_v7s_iopte *ptep, unsigned int num)
{
	unsigned int i;

	for (i = 0; i < num; i++)
		WRITE_ONCE(ptep[i], 0);
	arm_v7s_sync(data, ptep, num);
}

static inline void arm_v7s_add_pages(struct arm_v7s_io_pgtable *data,
				     struct iommu_iotlb_gather *gather,
				     unsigned long iova, unsigned int num,
				     size_t size)
{
	unsigned int i;

	/*
	 * No gather: the caller invalidates the range itself when the call
	 * returns (panfrost, panthor, msm), and a driver's tlb_add_page()
	 * may not expect NULL (arm-smmu-v3 dereferences it). A queued gather
	 * is flushed whole later.
	 */
	if (!gather || iommu_iotlb_gather_queued(gather))
		return;
	for (i = 0; i < num; i++, iova += size)
		io_pgtable_tlb_add_page(&data->iop, gather, iova, size);
}

/*
 * Splitting a leaf
 *
 * Unmapping part of a section, large page or supersection leaves the rest
 * mapped, as in 6.12, by break-before-make: whatever maps the rest (a
 * level-2 table under a section) is built and cleaned aside; the leaf's
 * entries are replaced by ARM_V7S_PTE_BREAK and cleaned; the leaf's range
 * is invalidated with a synchronous tlb_flush_walk(), whose granule is the
 * leaf's size (the walker holds it as one TLB entry); only then are the
 * new entries written. The marker goes into the first entry of the leaf
 * with cmpxchg(), so that of two callers unmapping disjoint parts of one
 * leaf only one splits it; the other finds the marker (or a changed
 * entry), waits for the split to end and walks again.
 */

/* Wait until the split that put ARM_V7S_PTE_BREAK at @ptep is over. */
static void arm_v7s_wait_break(arm_v7s_iopte *ptep)
{
	/* Acquire: pairs with the release of the entry's new value */
	while (smp_load_acquire(ptep) == ARM_V7S_PTE_BREAK)
		cpu_relax();
}

/*
 * The attributes a leaf of @to takes for what the leaf @pte of @from maps,
 * the same as map would write for the same IOMMU_* flags; 0 for a
 * descriptor that map could not have written.
 */
static arm_v7s_iopte arm_v7s_split_attrs(const struct arm_v7s_io_pgtable *data,
					 arm_v7s_iopte pte,
					 enum arm_v7s_leaf from,
					 enum arm_v7s_leaf to)
{
	arm_v7s_iopte attrs = pte & ~arm_v7s_leaf_addr_mask(from);
	int prot;

	if (data->mtk_pa)
		attrs &= ~(ARM_V7S_MTK_PA32 | ARM_V7S_MTK_PA33 |
			   ARM_V7S_MTK_PA34);
	/* Flags that map to the same attributes of one kind do for all. */
	for (prot = 0; prot <= ARM_V7S_PROT_MASK; prot++)
		if (data->leaf_attrs[from][prot] == attrs)
			return data->leaf_attrs[to][prot];
	return 0;
}

/*
 * Fill @table with leaves of @kind (small or large pages) that map the
 * 1 MiB at @pa with @attrs, except [@off, @off + @len), and clean it.
 */
static void arm_v7s_fill_l2(struct arm_v7s_io_pgtable *data,
			    arm_v7s_iopte *table, phys_addr_t pa,
			    arm_v7s_iopte attrs, enum arm_v7s_leaf kind,
			    unsigned long off, unsigned long len)
{
	unsigned int i, j, span = 1U << arm_v7s_leaf_span_shift(kind);
	arm_v7s_iopte mask = arm_v7s_leaf_addr_mask(kind);
	unsigned long at;
	arm_v7s_iopte pte;

	for (i = 0; i < ARM_V7S_L2_ENTRIES; i += span) {
		at = (unsigned long)i << ARM_V7S_L2_SHIFT;
		pte = 0;
		if (at < off || at >= off + len)
			pte = arm_v7s_pa_to_pte(pa + at, mask, data->mtk_pa) |
			      attrs;
		for (j = 0; j < span; j++)
			table[i + j] = pte;
	}
	arm_v7s_sync(data, table, ARM_V7S_L2_ENTRIES);
}

/* A level-2 table for a split: unmap has no gfp, so GFP_ATOMIC, as 6.12. */
static arm_v7s_iopte *arm_v7s_split_table(struct arm_v7s_io_pgtable *data)
{
	return io_pgtable_alloc_table_unzeroed(&data->iop.cfg, data->iop.cookie,
					       ARM_V7S_L2_TABLE_SIZE, GFP_ATOMIC,
					       data->l2_cache, data->l2_limit);
}

static inline arm_v7s_iopte arm_v7s_table_pte(struct arm_v7s_io_pgtable *data,
					      arm_v7s_iopte *table)
{
	return arm_v7s_pa_to_pte(virt_to_phys(table), ARM_V7S_TABLE_ADDR,
				 data->mtk_table) | data->table_attrs;
}

/*
 * Split the leaf @blk of @from whose entries start at @ptep (its 16 copies
 * for a large page or supersection), unmapping [@iova, @iova + @len) of it
 * in pages of @kind. The rest is mapped by leaves of the size below
 * @from's, and, for a supersection unmapped in part of one of its
 * megabytes, a level-2 table of leaves of @kind there. Returns the pages
 * unmapped; 0 when the table could not be had, with nothing changed;
 * -EAGAIN when another caller changed the leaf first.
 */
static noinline ssize_t arm_v7s_split(struct arm_v7s_io_pgtable *data,
				      arm_v7s_iopte *ptep, arm_v7s_iopte blk,
				      enum arm_v7s_leaf from,
				      unsigned long iova, unsigned long len,
				      enum arm_v7s_leaf kind,
				      struct iommu_iotlb_gather *gather)
{
	unsigned int i, n = 1U << arm_v7s_leaf_span_shift(from);
	unsigned int shift = arm_v7s_leaf_shift(kind);
	size_t bsize = 1UL << arm_v7s_leaf_shift(from);
	unsigned long base = iova & ~(bsize - 1), at;
	/* The leaves below @from's, or under a section its table's */
	enum arm_v7s_leaf to = from == ARM_V7S_SECTION ? kind : from - 1;
	size_t esize = 1UL << arm_v7s_leaf_shift(from - 1);
	arm_v7s_iopte mask = arm_v7s_leaf_addr_mask(to);
	arm_v7s_iopte attrs, l2_attrs, pte;
	arm_v7s_iopte *table = NULL;
	phys_addr_t pa;

	attrs = arm_v7s_split_attrs(data, blk, from, to);
	l2_attrs = arm_v7s_split_attrs(data, blk, from, kind);
	if (WARN_ON(!attrs || !l2_attrs))
		return 0;
	pa = arm_v7s_pte_to_pa(blk, arm_v7s_leaf_addr_mask(from),
			       data->mtk_pa);

	/* A section is one entry, which becomes a level-2 table */
	if (from == ARM_V7S_SECTION) {
		n = 1;
		esize = bsize;
	}
	/* Part of one megabyte goes: a table maps the rest of it */
	if (from >= ARM_V7S_SECTION && kind < ARM_V7S_SECTION &&
	    len < SZ_1M) {
		table = arm_v7s_split_table(data);
		if (!table)
			return 0;
		at = iova & ~(unsigned long)(SZ_1M - 1);
		arm_v7s_fill_l2(data, table, pa + (at - base), l2_attrs, kind,
				iova - at, len);
		/* The walker must find the table in memory before its entry. */
		dma_wmb();
	}

	/* Break: the first entry decides between racing callers */
	if (cmpxchg(ptep, blk, ARM_V7S_PTE_BREAK) != blk) {
		if (table)
			arm_v7s_free_l2(data, table);
		return -EAGAIN;
	}
	for (i = 1; i < n; i++)
		WRITE_ONCE(ptep[i], ARM_V7S_PTE_BREAK);
	arm_v7s_sync(data, ptep, n);
	io_pgtable_tlb_flush_walk(&data->iop, base, bsize, bsize);

	/* Make: the last entry first, so that the first ends the split */
	for (i = n; i--; ) {
		at = base + i * esize;
		if (table && at <= iova && iova - at < esize)
			pte = arm_v7s_table_pte(data, table);
		else if (at >= iova && at - iova < len)
			pte = 0;
		else
			pte = arm_v7s_pa_to_pte(pa + (at - base), mask,
						data->mtk_pa) | attrs;
		/* Release: a waiter then finds the table filled too */
		smp_store_release(&ptep[i], pte);
	}
	arm_v7s_sync(data, ptep, n);

	arm_v7s_add_pages(data, gather, iova, len >> shift, 1UL << shift);
	return len >> shift;
}

/*
 * The shared descent
 */

/**
 * struct arm_v7s_walk - where a descent ended
 * @ptep: The slot for the IOVA at @lvl.
 * @l1:   The level-1 descriptor as the descent read it.
 * @lvl:  1 when the level-1 entry is a leaf or empty (or @lvl 1 was asked
 *        for), 2 when @ptep is in a level-2 table.
 */
struct arm_v7s_walk {
	arm_v7s_iopte	*ptep;
	arm_v7s_iopte	l1;
	int		lvl;
};

/*
 * Find the slot for @iova at level @lvl. With @install an empty level-1
 * slot gets a new level-2 table on the way (-ENOMEM when that fails).
 * Inlined into each operation so that the constant arguments fold away.
 */
static __always_inline int arm_v7s_descend(struct arm_v7s_io_pgtable *data,
					   unsigned long iova, int lvl,
					   bool install, gfp_t gfp,
					   struct arm_v7s_walk *walk)
{
	arm_v7s_iopte *l1p = data->pgd + arm_v7s_l1_index(data, iova);
	arm_v7s_iopte pte = READ_ONCE(*l1p);

	walk->ptep = l1p;
	walk->l1 = pte;
	walk->lvl = 1;
	if (lvl == 1)
		return 0;

	if (install && !pte) {
		pte = arm_v7s_install_table(data, l1p, gfp);
		if (!pte)
			return -ENOMEM;
		walk->l1 = pte;
	}
	if (arm_v7s_l1_is_table(pte)) {
		walk->ptep = arm_v7s_table_va(data, pte) + arm_v7s_l2_index(iova);
		walk->lvl = 2;
	}
	return 0;
}

/*
 * Operations
 */

static void arm_v7s_warn_conflict(const struct io_pgtable_cfg *cfg)
{
	WARN_ON(!(cfg->quirks & IO_PGTABLE_QUIRK_NO_WARN));
}

static bool arm_v7s_slots_free(const arm_v7s_iopte *ptep, unsigned int num)
{
	arm_v7s_iopte any = 0;
	unsigned int i;

	/* A conflict is the rare case: no early exit, no branch per entry. */
	for (i = 0; i < num; i++)
		any |= READ_ONCE(ptep[i]);
	return !any;
}

/*
 * Level-1 slots may hold a section only when empty or when they point to
 * a level-2 table that earlier unmaps left empty.
 */
static bool arm_v7s_l1_slots_free(struct arm_v7s_io_pgtable *data,
				  const arm_v7s_iopte *ptep, unsigned int num)
{
	unsigned int i;
	arm_v7s_iopte pte;

	for (i = 0; i < num; i++) {
		pte = READ_ONCE(ptep[i]);
		if (!pte)
			continue;
		if (!arm_v7s_l1_is_table(pte) ||
		    !arm_v7s_table_empty(arm_v7s_table_va(data, pte)))
			return false;
	}
	return true;
}

/* Whether @num level-2 slots from @iova on, across tables, are all free. */
static bool arm_v7s_l2_range_free(struct arm_v7s_io_pgtable *data,
				  unsigned long iova, unsigned long num)
{
	struct arm_v7s_walk walk;
	unsigned int n;

	while (num) {
		n = ARM_V7S_L2_ENTRIES - arm_v7s_l2_index(iova);
		if (n > num)
			n = num;
		arm_v7s_descend(data, iova, 2, false, 0, &walk);
		if (walk.lvl == 2 ? !arm_v7s_slots_free(walk.ptep, n) : walk.l1)
			return false;
		num -= n;
		iova += (unsigned long)n << ARM_V7S_L2_SHIFT;
	}
	return true;
}

/* Sections over level-2 tables that are empty: unhook those first. */
static void arm_v7s_break_empty_tables(struct arm_v7s_io_pgtable *data,
				       arm_v7s_iopte *ptep, unsigned int num,
				       unsigned long iova)
{
	unsigned int i;
	arm_v7s_iopte pte;

	for (i = 0; i < num; i++, iova += SZ_1M) {
		pte = READ_ONCE(ptep[i]);
		if (arm_v7s_l1_is_table(pte))
			arm_v7s_break_table(data, ptep + i, pte, iova);
	}
}

/*
 * Map @pgcount pages of @kind after the argument checks: all in the
 * level-1 table, or across level-2 tables, installing those missing. Kept
 * out of line so that the fast path in map_pages() needs next to no
 * stack frame.
 */
static noinline int arm_v7s_map_range(struct arm_v7s_io_pgtable *data,
				      unsigned long iova, phys_addr_t paddr,
				      enum arm_v7s_leaf kind, size_t pgcount,
				      arm_v7s_iopte attrs, gfp_t gfp,
				      size_t *mapped)
{
	unsigned int span_shift = arm_v7s_leaf_span_shift(kind);
	unsigned long entries = (unsigned long)pgcount << span_shift;
	arm_v7s_iopte mask = arm_v7s_leaf_addr_mask(kind);
	unsigned int shift = arm_v7s_leaf_shift(kind);
	size_t pgsize = 1UL << shift;
	struct arm_v7s_walk walk;
	unsigned long pages;
	unsigned int n;
	int ret;

	if (arm_v7s_leaf_level(kind) == 1) {
		/* All in the one level-1 table: check, then write. */
		arm_v7s_descend(data, iova, 1, false, 0, &walk);
		if (!arm_v7s_l1_slots_free(data, walk.ptep, entries))
			goto out_exist;
		arm_v7s_break_empty_tables(data, walk.ptep, entries, iova);
		arm_v7s_make_leaves(data, walk.ptep, pgcount, span_shift,
				    paddr, pgsize, attrs, mask);
		*mapped += pgcount << shift;
		return 0;
	}

	/*
	 * Across level-2 tables, check everything before the first write; in
	 * one table the check rides on the write walk.
	 */
	if (arm_v7s_l2_index(iova) + entries > ARM_V7S_L2_ENTRIES &&
	    !arm_v7s_l2_range_free(data, iova, entries))
		goto out_exist;

	while (entries) {
		n = ARM_V7S_L2_ENTRIES - arm_v7s_l2_index(iova);
		if (n > entries)
			n = entries;
		ret = arm_v7s_descend(data, iova, 2, true, gfp, &walk);
		if (ret)
			return ret;
		if (walk.lvl != 2 || !arm_v7s_slots_free(walk.ptep, n))
			goto out_exist;
		pages = n >> span_shift;
		arm_v7s_make_leaves(data, walk.ptep, pages, span_shift, paddr,
				    pgsize, attrs, mask);
		*mapped += pages << shift;
		entries -= n;
		iova += pages << shift;
		paddr += (phys_addr_t)pages << shift;
	}
	return 0;

out_exist:
	arm_v7s_warn_conflict(&data->iop.cfg);
	return -EEXIST;
}

static int arm_v7s_map_pages(struct io_pgtable_ops *ops, unsigned long iova,
			     phys_addr_t paddr, size_t pgsize, size_t pgcount,
			     int prot, gfp_t gfp, size_t *mapped)
{
	struct arm_v7s_io_pgtable *data = to_v7s(io_pgtable_ops_to_pgtable(ops));
	struct arm_v7s_walk walk;
	enum arm_v7s_leaf kind;
	arm_v7s_iopte attrs;
	unsigned int shift;
	int ret;

	if (unlikely(arm_v7s_args_bad(data, pgsize, pgcount, (u64)iova | paddr) ||
		     !(prot & (IOMMU_READ | IOMMU_WRITE))))
		return -EINVAL;
	shift = __ffs(pgsize);
	if (unlikely(!arm_v7s_fits(iova, pgcount, shift, data->iova_limit) ||
		     !arm_v7s_fits(paddr, pgcount, shift, data->pa_limit)))
		return -ERANGE;

	kind = arm_v7s_shift_to_leaf(shift);
	attrs = data->leaf_attrs[kind][prot & ARM_V7S_PROT_MASK];

	/*
	 * The DMA API's case: one small page into a level-2 table that is
	 * there, one walk, one store, no call on the way. A new table or a
	 * conflict takes the general path, which walks again.
	 */
	if (likely(kind == ARM_V7S_SMALL && pgcount == 1)) {
		arm_v7s_descend(data, iova, 2, false, 0, &walk);
		if (likely(walk.lvl == 2 && !READ_ONCE(*walk.ptep))) {
			WRITE_ONCE(*walk.ptep,
				   arm_v7s_pa_to_pte(paddr, ARM_V7S_SMALL_ADDR,
						     data->mtk_pa) | attrs);
			*mapped += SZ_4K;
			arm_v7s_sync(data, walk.ptep, 1);
			goto done;
		}
	}
	ret = arm_v7s_map_range(data, iova, paddr, kind, pgcount, attrs, gfp,
				mapped);
	if (ret)
		return ret;
done:
	/*
	 * As in 6.12: the new entries are in memory before anything the
	 * caller does next can start a walk of them, even a relaxed MMIO
	 * write to a device.
	 */
	wmb();
	return 0;
}

/*
 * Unmap up to @pages level-2 pages of @kind from the slot @ptep (for @iova)
 * on, all in one level-2 table. Returns how many were unmapped; fewer when
 * a page had nothing mapped, or a small page was part of a large page (or
 * of one being split).
 */
static unsigned int arm_v7s_unmap_l2(struct arm_v7s_io_pgtable *data,
				     arm_v7s_iopte *ptep, unsigned long iova,
				     enum arm_v7s_leaf kind, unsigned int pages,
				     struct iommu_iotlb_gather *gather)
{
	unsigned int i, j;
	arm_v7s_iopte pte;

	if (kind == ARM_V7S_SMALL) {
		/* Check and clear in one pass, then clean them at once. */
		for (i = 0; i < pages; i++) {
			pte = READ_ONCE(ptep[i]);
			if (!(pte & ARM_V7S_L2_TYPE_SMALL))
				break;
			WRITE_ONCE(ptep[i], 0);
		}
		if (i) {
			arm_v7s_sync(data, ptep, i);
			arm_v7s_add_pages(data, gather, iova, i, SZ_4K);
		}
		return i;
	}

	for (i = 0; i < pages; i++, ptep += ARM_V7S_CONT_ENTRIES,
	     iova += SZ_64K) {
		pte = READ_ONCE(*ptep);
		if (arm_v7s_l2_is_large(pte)) {
			arm_v7s_clear_leaves(data, ptep, ARM_V7S_CONT_ENTRIES);
			arm_v7s_add_pages(data, gather, iova, 1, SZ_64K);
			continue;
		}
		/* 64K over small pages: every one that is there goes. */
		if (arm_v7s_slots_free(ptep, ARM_V7S_CONT_ENTRIES))
			break;
		for (j = 0; j < ARM_V7S_CONT_ENTRIES; j++) {
			if (!READ_ONCE(ptep[j]))
				continue;
			arm_v7s_clear_leaves(data, ptep + j, 1);
			arm_v7s_add_pages(data, gather, iova + j * SZ_4K, 1,
					  SZ_4K);
		}
	}
	return i;
}

/*
 * An unmap of @left pages of @kind from @iova, @n of them within the
 * level-2 table (or, for sections, the level-1 table) it walks, found the
 * leaf @pte of @from at @ptep instead: it goes whole when the request
 * covers it, else it is split. Returns the pages unmapped, 0 when the
 * split's table could not be had (nothing changed), -EAGAIN when another
 * caller changed the leaf first, or -EPERM with IO_PGTABLE_QUIRK_NO_SPLIT,
 * which refuses a larger leaf in smaller pages even when they cover it
 * whole, as the format did before it could split.
 */
static noinline ssize_t arm_v7s_unmap_in_leaf(struct arm_v7s_io_pgtable *data,
					      arm_v7s_iopte *ptep,
					      arm_v7s_iopte pte,
					      enum arm_v7s_leaf from,
					      unsigned long iova,
					      enum arm_v7s_leaf kind,
					      unsigned long n, unsigned long left,
					      struct iommu_iotlb_gather *gather)
{
	unsigned int span_shift = arm_v7s_leaf_span_shift(from);
	unsigned int shift = arm_v7s_leaf_shift(kind);
	unsigned int bshift = arm_v7s_leaf_shift(from);
	unsigned long off = iova & ((1UL << bshift) - 1);
	arm_v7s_iopte *first;

	/* The first of the leaf's copies, each mapping 1 << (bshift - span) */
	/* The refusal of 6.13 and later, whole leaves in smaller pages too */
	if (data->iop.cfg.quirks & IO_PGTABLE_QUIRK_NO_SPLIT)
		return -EPERM;
	first = ptep - ((iova >> (bshift - span_shift)) &
			((1U << span_shift) - 1));
	if (!off && left >= 1UL << (bshift - shift)) {
		/* No one else may use any of it: it goes as one leaf. */
		arm_v7s_clear_leaves(data, first, 1U << span_shift);
		arm_v7s_add_pages(data, gather, iova, 1, 1UL << bshift);
		return 1UL << (bshift - shift);
	}
	n = min(n, ((1UL << bshift) - off) >> shift);
	return arm_v7s_split(data, first, pte, from, iova, n << shift, kind,
			     gather);
}

/* Unmap one 16M page from level-1 slot @ptep that is not a supersection. */
static bool arm_v7s_unmap_l1_group(struct arm_v7s_io_pgtable *data,
				   arm_v7s_iopte *ptep, unsigned long iova,
				   struct iommu_iotlb_gather *gather)
{
	bool mapped = false;
	arm_v7s_iopte pte;
	unsigned int j;

	for (j = 0; j < ARM_V7S_CONT_ENTRIES; j++) {
		pte = READ_ONCE(ptep[j]);
		if (arm_v7s_l1_is_leaf(pte) ||
		    (arm_v7s_l1_is_table(pte) &&
		     !arm_v7s_table_empty(arm_v7s_table_va(data, pte))))
			mapped = true;
	}
	if (!mapped)
		return false;

	for (j = 0; j < ARM_V7S_CONT_ENTRIES; j++, iova += SZ_1M) {
		pte = READ_ONCE(ptep[j]);
		if (arm_v7s_l1_is_table(pte)) {
			arm_v7s_break_table(data, ptep + j, pte, iova);
		} else if (pte) {
			arm_v7s_clear_leaves(data, ptep + j, 1);
			arm_v7s_add_pages(data, gather, iova, 1, SZ_1M);
		}
	}
	return true;
}

/* Unmap up to @pages level-1 pages of @kind from @iova on. */
static unsigned long arm_v7s_unmap_l1(struct arm_v7s_io_pgtable *data,
				      unsigned long iova, enum arm_v7s_leaf kind,
				      unsigned long pages,
				      struct iommu_iotlb_gather *gather,
				      bool *partial)
{
	arm_v7s_iopte *ptep = data->pgd + arm_v7s_l1_index(data, iova);
	unsigned long i = 0;
	arm_v7s_iopte pte;
	ssize_t ret;

	while (i < pages) {
		pte = READ_ONCE(*ptep);
		if (kind == ARM_V7S_SUPERSECTION) {
			if (arm_v7s_l1_is_super(pte)) {
				arm_v7s_clear_leaves(data, ptep,
						     ARM_V7S_CONT_ENTRIES);
				arm_v7s_add_pages(data, gather, iova, 1, SZ_16M);
			} else if (!arm_v7s_unmap_l1_group(data, ptep, iova,
							   gather)) {
				break;
			}
			i++;
			ptep += ARM_V7S_CONT_ENTRIES;
			iova += SZ_16M;
			continue;
		}

		if (pte == ARM_V7S_PTE_BREAK) {
			arm_v7s_wait_break(ptep);
			continue;
		}
		if (arm_v7s_l1_is_super(pte)) {
			ret = arm_v7s_unmap_in_leaf(data, ptep, pte,
						    ARM_V7S_SUPERSECTION, iova,
						    kind, pages - i, pages - i,
						    gather);
			if (ret == -EAGAIN)
				continue;
			if (ret <= 0) {
				*partial = ret == -EPERM;
				break;
			}
			i += ret;
			ptep += ret;
			iova += ret * SZ_1M;
			continue;
		}
		if (arm_v7s_l1_is_leaf(pte)) {
			arm_v7s_clear_leaves(data, ptep, 1);
			arm_v7s_add_pages(data, gather, iova, 1, SZ_1M);
		} else if (arm_v7s_l1_is_table(pte) &&
			   !arm_v7s_table_empty(arm_v7s_table_va(data, pte))) {
			arm_v7s_break_table(data, ptep, pte, iova);
		} else {
			break;
		}
		i++;
		ptep++;
		iova += SZ_1M;
	}
	return i;
}

/*
 * Unmap @pgcount pages of @kind after the argument checks; one small page
 * takes the fast path in unmap_pages().
 */
static noinline size_t arm_v7s_unmap_range(struct arm_v7s_io_pgtable *data,
					   unsigned long iova,
					   enum arm_v7s_leaf kind,
					   size_t pgcount,
					   struct iommu_iotlb_gather *gather)
{
	unsigned int span_shift = arm_v7s_leaf_span_shift(kind);
	unsigned int shift = arm_v7s_leaf_shift(kind);
	unsigned int idx, n, done;
	struct arm_v7s_walk walk;
	enum arm_v7s_leaf from;
	bool partial = false;
	arm_v7s_iopte *ptep;
	unsigned long total;
	arm_v7s_iopte pte;
	ssize_t ret;

	if (arm_v7s_leaf_level(kind) == 1) {
		total = arm_v7s_unmap_l1(data, iova, kind, pgcount, gather,
					 &partial);
		goto out;
	}

	for (total = 0; total < pgcount; ) {
		arm_v7s_descend(data, iova, 2, false, 0, &walk);
		idx = arm_v7s_l2_index(iova);
		n = (ARM_V7S_L2_ENTRIES - idx) >> span_shift;
		if (n > pgcount - total)
			n = pgcount - total;
		if (walk.lvl != 2) {
			/* Nothing there, a split under way, or a larger leaf */
			ptep = walk.ptep;
			pte = walk.l1;
			from = arm_v7s_l1_is_super(pte) ? ARM_V7S_SUPERSECTION :
							  ARM_V7S_SECTION;
		} else {
			done = arm_v7s_unmap_l2(data, walk.ptep, iova, kind, n,
						gather);
			/* The call emptied the whole table: take it out too. */
			if (!idx && done << span_shift == ARM_V7S_L2_ENTRIES)
				arm_v7s_break_table(data, data->pgd +
						    arm_v7s_l1_index(data, iova),
						    walk.l1, iova);
			total += done;
			iova += (unsigned long)done << shift;
			if (done == n)
				continue;
			/* A hole, a split under way, or a large page */
			ptep = walk.ptep + (done << span_shift);
			pte = READ_ONCE(*ptep);
			n -= done;
			from = ARM_V7S_LARGE;
			/* A split of it ended since unmap_l2() looked: again */
			if (kind == ARM_V7S_SMALL &&
			    (pte & ARM_V7S_L2_TYPE_SMALL))
				continue;
			if (kind != ARM_V7S_SMALL && pte != ARM_V7S_PTE_BREAK)
				break;
		}
		if (pte == ARM_V7S_PTE_BREAK) {
			arm_v7s_wait_break(ptep);
			continue;
		}
		if (from == ARM_V7S_LARGE ? !arm_v7s_l2_is_large(pte) :
					    !arm_v7s_l1_is_leaf(pte))
			break;
		ret = arm_v7s_unmap_in_leaf(data, ptep, pte, from, iova, kind,
					    n, pgcount - total, gather);
		if (ret == -EAGAIN)
			continue;
		if (ret <= 0) {
			partial = ret == -EPERM;
			break;
		}
		total += ret;
		iova += (unsigned long)ret << shift;
	}
out:
	if (!total && partial)
		arm_v7s_warn_conflict(&data->iop.cfg);
	return total << shift;
}

static size_t arm_v7s_unmap_pages(struct io_pgtable_ops *ops,
				  unsigned long iova, size_t pgsize,
				  size_t pgcount,
				  struct iommu_iotlb_gather *gather)
{
	struct arm_v7s_io_pgtable *data = to_v7s(io_pgtable_ops_to_pgtable(ops));
	struct arm_v7s_walk walk;
	enum arm_v7s_leaf kind;
	unsigned int shift;
	arm_v7s_iopte pte;

	if (unlikely(arm_v7s_args_bad(data, pgsize, pgcount, iova)))
		return 0;
	shift = __ffs(pgsize);
	if (unlikely(!arm_v7s_fits(iova, pgcount, shift, data->iova_limit)))
		return 0;

	kind = arm_v7s_shift_to_leaf(shift);
	if (unlikely(kind != ARM_V7S_SMALL || pgcount != 1))
		return arm_v7s_unmap_range(data, iova, kind, pgcount, gather);

	/* The DMA API's case: one small page, one walk. */
	arm_v7s_descend(data, iova, 2, false, 0, &walk);
	if (unlikely(walk.lvl != 2)) {
		/* Nothing there, or 4K of a larger leaf to split */
		if (!walk.l1)
			return 0;
		return arm_v7s_unmap_range(data, iova, kind, 1, gather);
	}
	pte = READ_ONCE(*walk.ptep);
	if (unlikely(!(pte & ARM_V7S_L2_TYPE_SMALL))) {
		if (!pte)
			return 0;
		return arm_v7s_unmap_range(data, iova, kind, 1, gather);
	}
	arm_v7s_clear_leaves(data, walk.ptep, 1);
	arm_v7s_add_pages(data, gather, iova, 1, SZ_4K);
	return SZ_4K;
}

static phys_addr_t arm_v7s_iova_to_phys(struct io_pgtable_ops *ops,
					unsigned long iova)
{
	struct arm_v7s_io_pgtable *data = to_v7s(io_pgtable_ops_to_pgtable(ops));
	struct arm_v7s_walk walk;
	arm_v7s_iopte pte, mask;

	if (unlikely(iova > data->iova_limit))
		return 0;

	arm_v7s_descend(data, iova, 2, false, 0, &walk);
	if (likely(walk.lvl == 2)) {
		pte = READ_ONCE(*walk.ptep);
		if (likely(pte & ARM_V7S_L2_TYPE_SMALL))
			mask = ARM_V7S_SMALL_ADDR;
		else if (arm_v7s_l2_is_large(pte))
			mask = ARM_V7S_LARGE_ADDR;
		else	/* nothing, or a large page being split */
			return 0;
	} else {
		pte = walk.l1;
		if (!arm_v7s_l1_is_leaf(pte))
			return 0;
		mask = arm_v7s_l1_is_super(pte) ? ARM_V7S_SUPERSECTION_ADDR :
						  ARM_V7S_SECTION_ADDR;
	}
	/* The offset in the leaf: bits below 32, whatever the input size. */
	return arm_v7s_pte_to_pa(pte, mask, data->mtk_pa) |
	       ((arm_v7s_iopte)iova & ~mask);
}

/*
 * Configuration
 */

static void arm_v7s_free_pgtable(struct io_pgtable *iop)
{
	struct arm_v7s_io_pgtable *data = to_v7s(iop);
	unsigned int i;
	arm_v7s_iopte pte;

	for (i = 0; i <= data->l1_mask; i++) {
		pte = data->pgd[i];
		if (arm_v7s_l1_is_table(pte))
			arm_v7s_free_l2(data, arm_v7s_table_va(data, pte));
	}
	io_pgtable_free_table(&iop->cfg, iop->cookie, data->pgd, data->pgd_size,
			      data->l1_cache);
	arm_v7s_put_cache(data->l1_cache);
	arm_v7s_put_cache(data->l2_cache);
	kfree(data);
}

static u32 arm_v7s_ttbr(const struct io_pgtable_cfg *cfg, phys_addr_t pgd,
			bool mtk)
{
	u64 pa = pgd;

	/* MediaTek takes PA[34:32] in the low bits the alignment leaves free. */
	if (mtk)
		return lower_32_bits(pa) | upper_32_bits(pa);
	/* A walker that does not snoop gets non-cacheable walks. */
	if (cfg->coherent_walk)
		return lower_32_bits(pa) | ARM_V7S_TTBR_S | ARM_V7S_TTBR_NOS |
		       ARM_V7S_TTBR_IRGN_WBWA | ARM_V7S_TTBR_ORGN_WBWA;
	return lower_32_bits(pa) | ARM_V7S_TTBR_S;
}

static phys_addr_t arm_v7s_bits_limit(unsigned int bits)
{
	u64 limit = bits >= 64 ? U64_MAX : BIT_ULL(bits) - 1;

	return min_t(u64, limit, (phys_addr_t)~0);
}

#define ARM_V7S_QUIRKS	(IO_PGTABLE_QUIRK_ARM_NS | IO_PGTABLE_QUIRK_NO_PERMS | \
			 IO_PGTABLE_QUIRK_ARM_MTK_EXT |			       \
			 IO_PGTABLE_QUIRK_ARM_MTK_TTBR_EXT |		       \
			 IO_PGTABLE_QUIRK_NO_WARN | IO_PGTABLE_QUIRK_NO_SPLIT)

static struct io_pgtable *arm_v7s_alloc_pgtable(struct io_pgtable_cfg *cfg,
						void *cookie)
{
	bool mtk = IS_ENABLED(CONFIG_PHYS_ADDR_T_64BIT) &&
		   (cfg->quirks & IO_PGTABLE_QUIRK_ARM_MTK_EXT);
	bool ttbr_ext = cfg->quirks & IO_PGTABLE_QUIRK_ARM_MTK_TTBR_EXT;
	struct arm_v7s_io_pgtable *data;
	enum arm_v7s_leaf kind;
	unsigned int l1_bits;
	size_t footprint;
	int prot;
	gfp_t gfp;

	if (cfg->quirks & ~ARM_V7S_QUIRKS)
		return NULL;
	/* MediaTek's PA bits overlap AP and XN: permissions must be off. */
	if ((cfg->quirks & IO_PGTABLE_QUIRK_ARM_MTK_EXT) &&
	    !(cfg->quirks & IO_PGTABLE_QUIRK_NO_PERMS))
		return NULL;
	if (ttbr_ext && !mtk)
		return NULL;
	if (cfg->ias < ARM_V7S_L1_SHIFT ||
	    cfg->ias > (mtk ? ARM_V7S_MTK_IAS_MAX : ARM_V7S_ADDR_BITS) ||
	    !cfg->oas ||
	    cfg->oas > (mtk ? ARM_V7S_MTK_PA_BITS : ARM_V7S_ADDR_BITS))
		return NULL;
	cfg->pgsize_bitmap &= ARM_V7S_PGSIZES;
	if (!cfg->pgsize_bitmap)
		return NULL;

	data = kzalloc(sizeof(*data), GFP_KERNEL);
	if (!data)
		return NULL;

	/* The walker always indexes the level-1 table with VA[31:20] or up. */
	l1_bits = max_t(unsigned int, cfg->ias, ARM_V7S_ADDR_BITS) -
		  ARM_V7S_L1_SHIFT;
	data->l1_mask = BIT(l1_bits) - 1;
	data->pgd_size = BIT(l1_bits) * ARM_V7S_PTE_SIZE;
	data->iova_limit = min_t(u64, BIT_ULL(cfg->ias) - 1, ULONG_MAX);
	data->pa_limit = arm_v7s_bits_limit(cfg->oas);
	data->mtk_pa = mtk;
	data->mtk_table = ttbr_ext;
	/* A descriptor holds 32 address bits, 35 with the TTBR extension. */
	data->l2_limit = ttbr_ext ? data->pa_limit : U32_MAX;
	data->l1_limit = data->l2_limit;
	if (cfg->quirks & IO_PGTABLE_QUIRK_ARM_NS)
		data->table_attrs = ARM_V7S_TABLE_NS;
	data->table_attrs |= ARM_V7S_L1_TYPE_TABLE;
	data->pgsizes = cfg->pgsize_bitmap;
	for (kind = 0; kind < ARM_V7S_LEAF_KINDS; kind++)
		for (prot = 0; prot <= ARM_V7S_PROT_MASK; prot++)
			data->leaf_attrs[kind][prot] =
				arm_v7s_leaf_attrs(cfg, prot, kind);

	/* The format's own fields are read from here from now on. */
	data->iop.cfg = *cfg;
	data->iop.cookie = cookie;

	if (!cfg->alloc) {
		footprint = io_pgtable_table_footprint(cfg,
						       ARM_V7S_L2_TABLE_SIZE);
		data->l2_cache = arm_v7s_get_cache(footprint, !ttbr_ext);
		if (!data->l2_cache)
			goto out_free_data;
	}

	/* With the TTBR extension the level-1 table needs no zone either. */
	gfp = GFP_KERNEL;
	footprint = io_pgtable_table_footprint(cfg, data->pgd_size);
	if (!cfg->alloc && !ttbr_ext) {
		if (footprint < PAGE_SIZE) {
			data->l1_cache = arm_v7s_get_cache(footprint, true);
			if (!data->l1_cache)
				goto out_put_caches;
		} else {
			gfp |= ARM_V7S_TABLE_GFP_ZONE;
		}
	}
	data->pgd = io_pgtable_alloc_table(cfg, cookie, data->pgd_size, gfp,
					   data->l1_cache, data->l1_limit);
	if (!data->pgd)
		goto out_put_caches;
	/*
	 * The driver may write the TTBR with writel_relaxed() as soon as we
	 * return (arm-smmu does), which orders nothing before it.
	 */
	wmb();	/* the zeroed table in memory before the TTBR is written */

	data->iop.ops = (struct io_pgtable_ops) {
		.map_pages	= arm_v7s_map_pages,
		.unmap_pages	= arm_v7s_unmap_pages,
		.iova_to_phys	= arm_v7s_iova_to_phys,
	};

	cfg->arm_v7s_cfg.ttbr = arm_v7s_ttbr(cfg, virt_to_phys(data->pgd), mtk);
	/* TTBCR.N = 0: TTBR0 translates the whole input space. */
	cfg->arm_v7s_cfg.tcr = 0;
	cfg->arm_v7s_cfg.prrr =
		ARM_V7S_PRRR_TR(ARM_V7S_IDX_DEVICE, ARM_V7S_PRRR_DEVICE) |
		ARM_V7S_PRRR_TR(ARM_V7S_IDX_NORMAL_NC, ARM_V7S_PRRR_NORMAL) |
		ARM_V7S_PRRR_TR(ARM_V7S_IDX_NORMAL_WB, ARM_V7S_PRRR_NORMAL) |
		ARM_V7S_PRRR_DS0 | ARM_V7S_PRRR_DS1 | ARM_V7S_PRRR_NS1 |
		ARM_V7S_PRRR_NOS(ARM_V7S_IDX_NORMAL_WB);
	cfg->arm_v7s_cfg.nmrr =
		ARM_V7S_NMRR_IR(ARM_V7S_IDX_NORMAL_WB, ARM_V7S_RGN_WBWA) |
		ARM_V7S_NMRR_OR(ARM_V7S_IDX_NORMAL_WB, ARM_V7S_RGN_WBWA);

	/* The core copies the completed cfg over ours when we return. */
	return &data->iop;

out_put_caches:
	arm_v7s_put_cache(data->l1_cache);
	arm_v7s_put_cache(data->l2_cache);
out_free_data:
	kfree(data);
	return NULL;
}

struct io_pgtable_init_fns io_pgtable_arm_v7s_init_fns = {
	.alloc	= arm_v7s_alloc_pgtable,
	.free	= arm_v7s_free_pgtable,
	.caps	= IO_PGTABLE_CAP_CUSTOM_ALLOCATOR,
};
