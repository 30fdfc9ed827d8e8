/* SPDX-License-Identifier: GPL-2.0-only */
/* Userspace shim: struct page helpers over the shim's memmap. */
#ifndef _SHIM_LINUX_MM_H
#define _SHIM_LINUX_MM_H

#include <asm/page.h>
#include <linux/atomic.h>
#include <linux/gfp.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/mm_types.h>
#include <linux/mmzone.h>
#include <linux/slab.h>

#define page_address(page)	shim_page_address(page)
#define virt_to_page(addr)	shim_virt_to_page((const void *)(addr))
#define page_to_virt(page)	shim_page_address(page)
#define page_to_phys(page)	virt_to_phys(shim_page_address(page))
#define page_to_pfn(page)	PHYS_PFN(page_to_phys(page))
#define pfn_to_page(pfn)	shim_virt_to_page(phys_to_virt(PFN_PHYS(pfn)))
#define virt_to_pfn(addr)	PHYS_PFN(virt_to_phys(addr))
#define virt_addr_valid(addr)	(shim_virt_to_page_quiet((const void *)(addr)) != NULL)
#define offset_in_page(p)	((unsigned long)(p) & ~PAGE_MASK)

struct page *shim_virt_to_page_quiet(const void *addr);
void shim_put_page(struct page *page);

#define page_private(page)		((page)->private)
#define set_page_private(page, v)	((page)->private = (v))

static inline void get_page(struct page *page)
{
	atomic_inc(&page->_refcount);
}

static inline int page_ref_count(const struct page *page)
{
	return atomic_read(&page->_refcount);
}

#define put_page(page)	shim_put_page(page)

#endif
