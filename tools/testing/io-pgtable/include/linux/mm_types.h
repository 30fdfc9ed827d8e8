/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Userspace shim: struct page.  The shim keeps one per PAGE_SIZE of its
 * arenas (a memmap), so page_address()/virt_to_page() are arithmetic.
 */
#ifndef _SHIM_LINUX_MM_TYPES_H
#define _SHIM_LINUX_MM_TYPES_H

#include <linux/types.h>

struct shim_region;

struct page {
	unsigned long flags;
	struct list_head lru;
	unsigned long private;
	atomic_t _refcount;
	/* private: the shim's bookkeeping */
	struct shim_region *shim_region;
};

#endif
