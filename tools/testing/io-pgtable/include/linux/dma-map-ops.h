/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _SHIM_LINUX_DMA_MAP_OPS_H
#define _SHIM_LINUX_DMA_MAP_OPS_H

#include <linux/dma-mapping.h>

static inline bool dev_is_dma_coherent(struct device *dev)
{
	return dev->dma_coherent;
}

#endif
