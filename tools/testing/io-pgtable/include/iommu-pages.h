/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Userspace shim: drivers/iommu/iommu-pages.h of Linux 6.12 (the tree's own
 * file, which this repository does not carry).  Zeroed page allocations
 * accounted as NR_IOMMU_PAGES, readable with
 * shim_node_page_state(NR_IOMMU_PAGES).
 */
#ifndef __IOMMU_PAGES_H
#define __IOMMU_PAGES_H

#include <linux/gfp.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/vmstat.h>

static inline void __iommu_alloc_account(struct page *page, int order)
{
	mod_node_page_state(page_pgdat(page), NR_IOMMU_PAGES, 1L << order);
	mod_lruvec_page_state(page, NR_SECONDARY_PAGETABLE, 1L << order);
}

static inline void __iommu_free_account(struct page *page, int order)
{
	mod_node_page_state(page_pgdat(page), NR_IOMMU_PAGES, -(1L << order));
	mod_lruvec_page_state(page, NR_SECONDARY_PAGETABLE, -(1L << order));
}

static inline struct page *__iommu_alloc_pages(gfp_t gfp, int order)
{
	struct page *page = alloc_pages(gfp | __GFP_ZERO, order);

	if (unlikely(!page))
		return NULL;
	__iommu_alloc_account(page, order);
	return page;
}

static inline void __iommu_free_pages(struct page *page, int order)
{
	if (!page)
		return;
	__iommu_free_account(page, order);
	__free_pages(page, order);
}

static inline void *iommu_alloc_pages_node(int nid, gfp_t gfp, int order)
{
	struct page *page = alloc_pages_node(nid, gfp | __GFP_ZERO, order);

	if (unlikely(!page))
		return NULL;
	__iommu_alloc_account(page, order);
	return page_address(page);
}

static inline void *iommu_alloc_pages(gfp_t gfp, int order)
{
	struct page *page = __iommu_alloc_pages(gfp, order);

	return page ? page_address(page) : NULL;
}

static inline void *iommu_alloc_page_node(int nid, gfp_t gfp)
{
	return iommu_alloc_pages_node(nid, gfp, 0);
}

static inline void *iommu_alloc_page(gfp_t gfp)
{
	return iommu_alloc_pages(gfp, 0);
}

static inline void iommu_free_pages(void *virt, int order)
{
	if (!virt)
		return;
	__iommu_free_pages(virt_to_page(virt), order);
}

static inline void iommu_free_page(void *virt)
{
	iommu_free_pages(virt, 0);
}

static inline void iommu_put_pages_list(struct list_head *page)
{
	while (!list_empty(page)) {
		struct page *p = list_entry(page->prev, struct page, lru);

		list_del(&p->lru);
		__iommu_free_account(p, 0);
		put_page(p);
	}
}

#endif
