// SPDX-License-Identifier: GPL-2.0-only
/*
 * The device's view of table memory for the KUnit suites: overrides the
 * __weak iopt_test_walker_read64/32() of drivers/iommu (which read memory,
 * as a walker does in the kernel) with the shim's DMA model, where a
 * non-coherent walker sees only what was synced, and reading a table that
 * is not DMA-mapped fails the test.
 */
#include <linux/compiler.h>
#include <linux/mm.h>
#include <linux/types.h>

#include "shim.h"

u64 iopt_test_walker_read64(phys_addr_t pa, bool coherent);
u32 iopt_test_walker_read32(phys_addr_t pa, bool coherent);

u64 iopt_test_walker_read64(phys_addr_t pa, bool coherent)
{
	if (coherent)
		return READ_ONCE(*(u64 *)phys_to_virt(pa));
	return shim_dma_read64(pa);
}

u32 iopt_test_walker_read32(phys_addr_t pa, bool coherent)
{
	if (coherent)
		return READ_ONCE(*(u32 *)phys_to_virt(pa));
	return shim_dma_read32(pa);
}
