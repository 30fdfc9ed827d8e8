// SPDX-License-Identifier: GPL-2.0-only
/*
 * Generic page-table allocator for IOMMUs: the format table, and the table
 * memory helpers that every format shares.
 */

#include <linux/bug.h>
#include <linux/device.h>
#include <linux/dma-mapping.h>
#include <linux/gfp.h>
#include <linux/io-pgtable.h>
#include <linux/iommu.h>
#include <linux/kernel.h>
#include <linux/kmemleak.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/types.h>

#include "iommu-pages.h"

static const struct io_pgtable_init_fns *
io_pgtable_init_table[IO_PGTABLE_NUM_FMTS] = {
#ifdef CONFIG_IOMMU_IO_PGTABLE_LPAE
	[ARM_32_LPAE_S1] = &io_pgtable_arm_32_lpae_s1_init_fns,
	[ARM_32_LPAE_S2] = &io_pgtable_arm_32_lpae_s2_init_fns,
	[ARM_64_LPAE_S1] = &io_pgtable_arm_64_lpae_s1_init_fns,
	[ARM_64_LPAE_S2] = &io_pgtable_arm_64_lpae_s2_init_fns,
	[ARM_MALI_LPAE] = &io_pgtable_arm_mali_lpae_init_fns,
#endif
#ifdef CONFIG_IOMMU_IO_PGTABLE_DART
	[APPLE_DART] = &io_pgtable_apple_dart_init_fns,
	[APPLE_DART2] = &io_pgtable_apple_dart_init_fns,
#endif
#ifdef CONFIG_IOMMU_IO_PGTABLE_ARMV7S
	[ARM_V7S] = &io_pgtable_arm_v7s_init_fns,
#endif
#ifdef CONFIG_AMD_IOMMU
	[AMD_IOMMU_V1] = &io_pgtable_amd_iommu_v1_init_fns,
	[AMD_IOMMU_V2] = &io_pgtable_amd_iommu_v2_init_fns,
#endif
};

/* What every format needs of a configuration, whatever its layout. */
static bool io_pgtable_cfg_valid(const struct io_pgtable_init_fns *fns,
				 const struct io_pgtable_cfg *cfg)
{
	/* A half-set allocator would free through the wrong allocator. */
	if (!cfg->alloc != !cfg->free)
		return false;
	if (cfg->alloc && !(fns->caps & IO_PGTABLE_CAP_CUSTOM_ALLOCATOR))
		return false;
	if (cfg->table_cache &&
	    (cfg->alloc || !(fns->caps & IO_PGTABLE_CAP_TABLE_CACHE)))
		return false;
	/* The DMA API needs the walker's device to clean caches for it. */
	if (!cfg->coherent_walk && !cfg->iommu_dev)
		return false;
	return true;
}

/**
 * alloc_io_pgtable_ops() - allocate a set of page tables
 * @fmt:    The page-table format.
 * @cfg:    The configuration. On success the format writes back the outputs:
 *          the restricted pgsize_bitmap and the register values in the
 *          format's member of the union.
 * @cookie: The driver's token, passed back to the flush callbacks and to
 *          the custom allocator.
 *
 * Context: May sleep: the top-level table is allocated with GFP_KERNEL.
 * Return: The operations on the new, empty tables; NULL when @fmt is
 * unknown or not built in, when @cfg is not one the format supports
 * (unknown quirks, sizes, a custom allocator the format does not take or
 * @alloc without @free, a non-coherent walker without @cfg->iommu_dev), or
 * when memory runs out. Nothing is left allocated on failure.
 */
struct io_pgtable_ops *alloc_io_pgtable_ops(enum io_pgtable_fmt fmt,
					    struct io_pgtable_cfg *cfg,
					    void *cookie)
{
	const struct io_pgtable_init_fns *fns;
	struct io_pgtable *iop;

	if (!cfg || (unsigned int)fmt >= IO_PGTABLE_NUM_FMTS)
		return NULL;

	fns = io_pgtable_init_table[fmt];
	if (!fns || !io_pgtable_cfg_valid(fns, cfg))
		return NULL;

	iop = fns->alloc(cfg, cookie);
	if (!iop)
		return NULL;

	iop->fmt = fmt;
	iop->cookie = cookie;
	iop->cfg = *cfg;

	return &iop->ops;
}
EXPORT_SYMBOL_GPL(alloc_io_pgtable_ops);

/**
 * free_io_pgtable_ops() - free a set of page tables
 * @ops: Operations from alloc_io_pgtable_ops(), or NULL.
 *
 * The driver must have stopped the walker from using the tables; the TLB
 * may still hold entries, so it is invalidated with tlb_flush_all first.
 * Every table, mapped or not, goes back to the allocator it came from.
 * Reservations for the tables are the driver's: it detaches and empties
 * them (io_pgtable_unreserve()) first.
 */
void free_io_pgtable_ops(struct io_pgtable_ops *ops)
{
	struct io_pgtable *iop;

	if (!ops)
		return;

	iop = io_pgtable_ops_to_pgtable(ops);
	io_pgtable_tlb_flush_all(iop);
	io_pgtable_init_table[iop->fmt]->free(iop);
}
EXPORT_SYMBOL_GPL(free_io_pgtable_ops);

/**
 * io_pgtable_table_footprint() - the bytes a table really occupies
 * @cfg:  The configuration of the tables.
 * @size: The table's architectural size, a power of two.
 *
 * At least %IO_PGTABLE_MIN_TABLE_SIZE; for a non-coherent walker at least
 * the DMA cache alignment, so that no other data shares a cache line with
 * the table and the DMA API never bounces it (a walker cannot follow a
 * bounce buffer).
 *
 * Return: The size io_pgtable_alloc_table() allocates for @size.
 */
size_t io_pgtable_table_footprint(const struct io_pgtable_cfg *cfg,
				  size_t size)
{
	size = max_t(size_t, size, IO_PGTABLE_MIN_TABLE_SIZE);
	if (!cfg->coherent_walk)
		size = max_t(size_t, size, dma_get_cache_alignment());
	return size;
}
EXPORT_SYMBOL_GPL(io_pgtable_table_footprint);

static int io_pgtable_table_nid(const struct io_pgtable_cfg *cfg)
{
	return cfg->iommu_dev ? dev_to_node(cfg->iommu_dev) : NUMA_NO_NODE;
}

/*
 * Whole pages when the table fills one; kmalloc() below that, whose
 * power-of-two objects are naturally aligned. The choice depends on the
 * footprint alone so that freeing finds the same allocator.
 */
static bool io_pgtable_table_is_pages(size_t footprint)
{
	return footprint >= PAGE_SIZE;
}

static void io_pgtable_release(const struct io_pgtable_cfg *cfg, void *cookie,
			       void *table, size_t footprint,
			       struct kmem_cache *cache)
{
	if (cfg->free)
		cfg->free(cookie, table, footprint);
	else if (cache)
		kmem_cache_free(cache, table);
	else if (io_pgtable_table_is_pages(footprint))
		iommu_free_pages(table, get_order(footprint));
	else
		kfree(table);
}

static void *io_pgtable_alloc_pages(const struct io_pgtable_cfg *cfg,
				    size_t footprint, gfp_t gfp)
{
	unsigned int order = get_order(footprint);
	struct page *page;

	if (gfp & __GFP_ZERO)
		return iommu_alloc_pages_node(io_pgtable_table_nid(cfg), gfp,
					      order);
	/* Accounted as iommu_alloc_pages_node() does; iommu_free_pages() frees */
	page = alloc_pages_node(io_pgtable_table_nid(cfg), gfp, order);
	if (!page)
		return NULL;
	__iommu_alloc_account(page, order);
	return page_address(page);
}

static void *__io_pgtable_alloc_table(const struct io_pgtable_cfg *cfg,
				      void *cookie, size_t size, gfp_t gfp,
				      struct kmem_cache *cache,
				      phys_addr_t limit)
{
	size_t footprint = io_pgtable_table_footprint(cfg, size);
	struct device *dev = cfg->iommu_dev;
	phys_addr_t pa;
	dma_addr_t dma;
	void *table;

	if (cfg->alloc)
		table = cfg->alloc(cookie, footprint, gfp & ~__GFP_ZERO);
	else if (cache)
		table = kmem_cache_alloc(cache, gfp);
	else if (io_pgtable_table_is_pages(footprint))
		table = io_pgtable_alloc_pages(cfg, footprint, gfp);
	else if (!WARN_ON(gfp & (__GFP_DMA | __GFP_DMA32)))
		table = kmalloc(footprint, gfp);
	else
		table = NULL;	/* kmalloc() has no zones: a @cache is needed */
	if (!table)
		return NULL;

	pa = virt_to_phys(table);
	if (!IS_ALIGNED(pa, footprint) || pa > limit ||
	    limit - pa < footprint - 1) {
		dev_err(dev, "refusing table at %pa: misaligned or out of reach\n",
			&pa);
		goto out_free;
	}

	if (!cfg->coherent_walk) {
		dma = dma_map_single(dev, table, footprint, DMA_TO_DEVICE);
		if (dma_mapping_error(dev, dma))
			goto out_free;
		/* The walker is handed physical addresses, not DMA addresses. */
		if (dma != pa) {
			dev_err(dev, "DMA translates table memory; refusing it\n");
			dma_unmap_single(dev, dma, footprint, DMA_TO_DEVICE);
			goto out_free;
		}
	}
	/*
	 * A table is reached only through a physical address in a descriptor
	 * or a register, which kmemleak cannot follow, and holds no pointer
	 * it should scan: slab memory would be reported as leaked. Pages are
	 * not tracked, and a custom allocator's memory is its owner's call.
	 */
	if (!cfg->alloc && (cache || !io_pgtable_table_is_pages(footprint)))
		kmemleak_ignore(table);
	return table;

out_free:
	io_pgtable_release(cfg, cookie, table, footprint, cache);
	return NULL;
}

/**
 * io_pgtable_alloc_table() - allocate a zeroed table the walker can reach
 * @cfg:    The configuration of the tables.
 * @cookie: The driver's token, for @cfg->alloc.
 * @size:   The table's architectural size, a power of two; the table is
 *          aligned to it.
 * @gfp:    Allocation flags, with GFP_DMA32 or GFP_DMA when the format's
 *          descriptors cannot hold higher addresses. A table smaller than
 *          a page that needs such a zone must come from a @cache created
 *          with SLAB_CACHE_DMA32 or SLAB_CACHE_DMA.
 * @cache:  A kmem cache for tables of this size, or NULL.
 * @limit:  The highest physical address any byte of the table may have.
 *
 * Tables come from @cfg->alloc when it is set, else from @cache, else from
 * pages or kmalloc(). Memory that is misaligned, ends above @limit, or that
 * the DMA API cannot map one-to-one for a non-coherent walker is given back
 * and refused. For a non-coherent walker the table is DMA-mapped for the
 * walker's device. Slab memory (@cache or kmalloc()) is hidden from
 * kmemleak, which cannot see references by physical address.
 *
 * Context: Sleeps only if @gfp allows it.
 * Return: The table's kernel address, or NULL.
 */
void *io_pgtable_alloc_table(const struct io_pgtable_cfg *cfg, void *cookie,
			     size_t size, gfp_t gfp, struct kmem_cache *cache,
			     phys_addr_t limit)
{
	return __io_pgtable_alloc_table(cfg, cookie, size, gfp | __GFP_ZERO,
					cache, limit);
}
EXPORT_SYMBOL_GPL(io_pgtable_alloc_table);

/**
 * io_pgtable_alloc_table_unzeroed() - allocate a table the caller will fill
 * @cfg:    As for io_pgtable_alloc_table().
 * @cookie: As for io_pgtable_alloc_table().
 * @size:   As for io_pgtable_alloc_table().
 * @gfp:    As for io_pgtable_alloc_table().
 * @cache:  As for io_pgtable_alloc_table().
 * @limit:  As for io_pgtable_alloc_table().
 *
 * For a table whose every entry the caller writes (and syncs) before the
 * walker can reach it: the memory is not zeroed first, unless it comes
 * from @cfg->alloc, whose memory always is.
 *
 * Context: Sleeps only if @gfp allows it.
 * Return: The table's kernel address, or NULL.
 */
void *io_pgtable_alloc_table_unzeroed(const struct io_pgtable_cfg *cfg,
				      void *cookie, size_t size, gfp_t gfp,
				      struct kmem_cache *cache,
				      phys_addr_t limit)
{
	return __io_pgtable_alloc_table(cfg, cookie, size, gfp & ~__GFP_ZERO,
					cache, limit);
}
EXPORT_SYMBOL_GPL(io_pgtable_alloc_table_unzeroed);

/**
 * io_pgtable_free_table() - free a table from io_pgtable_alloc_table()
 * @cfg:    The configuration of the tables.
 * @cookie: The driver's token, for @cfg->free.
 * @table:  The table, or NULL.
 * @size:   The architectural size it was allocated with.
 * @cache:  The kmem cache it was allocated with, or NULL.
 *
 * The walker must no longer be able to reach @table, and any walk-cache
 * entry for it must have been invalidated.
 */
void io_pgtable_free_table(const struct io_pgtable_cfg *cfg, void *cookie,
			   void *table, size_t size, struct kmem_cache *cache)
{
	size_t footprint = io_pgtable_table_footprint(cfg, size);

	if (!table)
		return;
	if (!cfg->coherent_walk)
		dma_unmap_single(cfg->iommu_dev, virt_to_phys(table), footprint,
				 DMA_TO_DEVICE);
	io_pgtable_release(cfg, cookie, table, footprint, cache);
}
EXPORT_SYMBOL_GPL(io_pgtable_free_table);

/**
 * io_pgtable_table_deferrable() - whether a removed table may wait for @gather
 * @cfg:    The configuration of the tables.
 * @size:   The table's architectural size.
 * @cache:  The kmem cache it was allocated with, or NULL.
 * @gather: The unmap caller's gather, or NULL.
 *
 * The rule for io_pgtable_defer_table(): a table goes on @gather's
 * freelist only when @gather is queued (iommu_iotlb_gather_queued()), the
 * walker is coherent, and the table is exactly one page from the page
 * allocator: not from @cfg->alloc, not from @cache, not a kmalloc() object
 * smaller than a page and not a multi-page allocation, since
 * iommu_put_pages_list() puts each page of the list as a single page. A
 * queued gather comes from the DMA API's flush queue alone, which frees
 * the list only after a full invalidation (tlb_flush_all), walk caches
 * included; any other caller never frees the list (strict mode), or
 * invalidates leaf entries only. A non-coherent walker's table stays
 * DMA-mapped until the walk cache cannot reach it, which only a
 * synchronous walk flush ensures here, so its tables are not deferred.
 *
 * Return: true when a table of @size from @cache may be deferred.
 */
bool io_pgtable_table_deferrable(const struct io_pgtable_cfg *cfg, size_t size,
				 struct kmem_cache *cache,
				 struct iommu_iotlb_gather *gather)
{
	return iommu_iotlb_gather_queued(gather) && cfg->coherent_walk &&
	       !cfg->alloc && !cache &&
	       io_pgtable_table_footprint(cfg, size) == PAGE_SIZE;
}
EXPORT_SYMBOL_GPL(io_pgtable_table_deferrable);

/**
 * io_pgtable_defer_table() - free a removed table after the gather's flush
 * @cfg:    The configuration of the tables.
 * @table:  The table, which the walker can no longer reach through memory.
 * @size:   The architectural size it was allocated with.
 * @cache:  The kmem cache it was allocated with, or NULL.
 * @gather: The unmap caller's gather.
 *
 * Instead of io_pgtable_free_table() after a synchronous walk-cache flush:
 * when io_pgtable_table_deferrable() allows it, @table joins
 * @gather->freelist (through its page's lru), and the flush queue frees it
 * with iommu_put_pages_list() after its tlb_flush_all. Until then the
 * walker may still read it through a stale walk-cache entry, so its
 * contents are left as they are.
 *
 * Context: Any; does not sleep.
 * Return: true when @table was put on the list; false when it cannot be
 * deferred, and the caller must flush the walk cache and free it itself.
 */
bool io_pgtable_defer_table(const struct io_pgtable_cfg *cfg, void *table,
			    size_t size, struct kmem_cache *cache,
			    struct iommu_iotlb_gather *gather)
{
	if (!table || !io_pgtable_table_deferrable(cfg, size, cache, gather))
		return false;
	list_add_tail(&virt_to_page(table)->lru, &gather->freelist);
	return true;
}
EXPORT_SYMBOL_GPL(io_pgtable_defer_table);

/**
 * __io_pgtable_sync() - clean table writes to memory for the walker
 * @cfg:  The configuration; its walker is not coherent.
 * @ptr:  First byte written.
 * @size: Number of bytes written.
 *
 * Use io_pgtable_sync(), which skips coherent walkers.
 */
void __io_pgtable_sync(const struct io_pgtable_cfg *cfg, void *ptr,
		       size_t size)
{
	dma_sync_single_for_device(cfg->iommu_dev, virt_to_phys(ptr), size,
				   DMA_TO_DEVICE);
}
EXPORT_SYMBOL_GPL(__io_pgtable_sync);
