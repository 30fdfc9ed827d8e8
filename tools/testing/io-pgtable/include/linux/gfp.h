/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Userspace shim: the page allocator.  Pages are naturally aligned to
 * PAGE_SIZE << order; __GFP_DMA/__GFP_DMA32 pages lie below 4 GiB, all
 * others above.  See shim.h for accounting and fault injection.
 */
#ifndef _SHIM_LINUX_GFP_H
#define _SHIM_LINUX_GFP_H

#include <asm/page.h>
#include <linux/gfp_types.h>
#include <linux/numa.h>
#include <linux/types.h>

struct page;

struct page *shim_alloc_pages(gfp_t gfp, unsigned int order, int nid,
			      const char *file, int line);
void shim_free_pages(struct page *page, unsigned int order,
		     const char *file, int line);
struct page *shim_virt_to_page(const void *addr);
void *shim_page_address(const struct page *page);

static inline bool gfpflags_allow_blocking(const gfp_t gfp_flags)
{
	return !!(gfp_flags & __GFP_DIRECT_RECLAIM);
}

#define alloc_pages(gfp, order)						\
	shim_alloc_pages((gfp), (order), NUMA_NO_NODE, __FILE__, __LINE__)
#define alloc_pages_node(nid, gfp, order)				\
	shim_alloc_pages((gfp), (order), (nid), __FILE__, __LINE__)
#define alloc_page(gfp)		alloc_pages((gfp), 0)
#define __get_free_pages(gfp, order)					\
	({								\
		struct page *__p = alloc_pages((gfp), (order));		\
		__p ? (unsigned long)shim_page_address(__p) : 0UL;	\
	})
#define __get_free_page(gfp)	__get_free_pages((gfp), 0)
#define get_zeroed_page(gfp)	__get_free_pages((gfp) | __GFP_ZERO, 0)

#define __free_pages(page, order)					\
	shim_free_pages((page), (order), __FILE__, __LINE__)
#define __free_page(page)	__free_pages((page), 0)
#define free_pages(addr, order)						\
	do {								\
		unsigned long __a = (addr);				\
		if (__a)						\
			__free_pages(shim_virt_to_page((void *)__a), (order)); \
	} while (0)
#define free_page(addr)		free_pages((addr), 0)

#endif
