/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Userspace shim: page size and the linear map.  PAGE_SHIFT is chosen at
 * compile time (-DPAGE_SHIFT=12|14|16).  Physical address == virtual
 * address: every kernel allocation in the shim comes from an arena whose
 * virtual addresses stand for physical ones, so __pa()/__va() cost nothing.
 */
#ifndef _SHIM_ASM_PAGE_H
#define _SHIM_ASM_PAGE_H

#include <linux/types.h>

#ifndef PAGE_SHIFT
#define PAGE_SHIFT	12
#endif
#if PAGE_SHIFT != 12 && PAGE_SHIFT != 14 && PAGE_SHIFT != 16
#error "PAGE_SHIFT must be 12, 14 or 16"
#endif
#define PAGE_SIZE	(1UL << PAGE_SHIFT)
#define PAGE_MASK	(~(PAGE_SIZE - 1))
#define PAGE_ALIGN(addr)	(((addr) + PAGE_SIZE - 1) & PAGE_MASK)
#define PAGE_ALIGNED(addr)	((((unsigned long)(addr)) & (PAGE_SIZE - 1)) == 0)
#define MAX_PAGE_ORDER	10

#define __pa(x)		((phys_addr_t)(unsigned long)(x))
#define __va(x)		((void *)(unsigned long)(x))
#define __pa_symbol(x)	__pa(x)

static inline phys_addr_t virt_to_phys(const volatile void *address)
{
	return (phys_addr_t)(unsigned long)address;
}

static inline void *phys_to_virt(phys_addr_t address)
{
	return (void *)(unsigned long)address;
}

#define PHYS_PFN(x)	((unsigned long)((x) >> PAGE_SHIFT))
#define PFN_PHYS(x)	((phys_addr_t)(x) << PAGE_SHIFT)
#define PFN_UP(x)	(((x) + PAGE_SIZE - 1) >> PAGE_SHIFT)
#define PFN_DOWN(x)	((x) >> PAGE_SHIFT)

static inline __attribute__((const)) int get_order(unsigned long size)
{
	if (size <= PAGE_SIZE)
		return 0;
	return 64 - __builtin_clzl((size - 1) >> PAGE_SHIFT);
}

#endif
