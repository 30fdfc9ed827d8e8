/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Userspace shim: the streaming DMA API with a device-side view.
 *
 * dma_map_single() registers the buffer and takes a copy of it: the
 * device's view.  dma_sync_single_for_device() refreshes that copy from CPU
 * memory; CPU writes not synced stay invisible to the device, exactly the
 * hazard of a non-coherent page-table walker.  Harness walkers read through
 * shim_dma_read64()/shim_dma_read32() (see shim.h).  Mapping errors (unmap
 * of something not mapped, a size mismatch, syncing outside a mapping,
 * freeing a buffer still mapped) fail the running test.
 *
 * As in the kernel with DMA_BOUNCE_UNALIGNED_KMALLOC, a kmalloc buffer
 * mapped for a non-coherent device in a direction other than
 * DMA_TO_DEVICE, whose size is not cache-aligned, is bounced: the returned
 * DMA address is the bounce buffer's, not the buffer's physical address.
 */
#ifndef _SHIM_LINUX_DMA_MAPPING_H
#define _SHIM_LINUX_DMA_MAPPING_H

#include <linux/device.h>
#include <linux/dma-direction.h>
#include <linux/err.h>
#include <linux/types.h>

#define DMA_MAPPING_ERROR	(~(dma_addr_t)0)
#define DMA_BIT_MASK(n)		(((n) == 64) ? ~0ULL : ((1ULL << (n)) - 1))
#define DMA_ATTR_SKIP_CPU_SYNC	(1UL << 5)

dma_addr_t dma_map_single_attrs(struct device *dev, void *ptr, size_t size,
				enum dma_data_direction dir,
				unsigned long attrs);
void dma_unmap_single_attrs(struct device *dev, dma_addr_t addr, size_t size,
			    enum dma_data_direction dir, unsigned long attrs);
void dma_sync_single_for_device(struct device *dev, dma_addr_t addr,
				size_t size, enum dma_data_direction dir);
void dma_sync_single_for_cpu(struct device *dev, dma_addr_t addr,
			     size_t size, enum dma_data_direction dir);
int dma_mapping_error(struct device *dev, dma_addr_t dma_addr);
unsigned int dma_get_cache_alignment(void);
int dma_set_mask(struct device *dev, u64 mask);
int dma_set_coherent_mask(struct device *dev, u64 mask);

#define dma_map_single(d, a, s, r)	dma_map_single_attrs(d, a, s, r, 0)
#define dma_unmap_single(d, a, s, r)	dma_unmap_single_attrs(d, a, s, r, 0)

static inline int dma_set_mask_and_coherent(struct device *dev, u64 mask)
{
	int ret = dma_set_mask(dev, mask);

	if (!ret)
		ret = dma_set_coherent_mask(dev, mask);
	return ret;
}

static inline u64 dma_get_mask(struct device *dev)
{
	return dev && dev->dma_mask && *dev->dma_mask ? *dev->dma_mask :
	       DMA_BIT_MASK(32);
}

#endif
