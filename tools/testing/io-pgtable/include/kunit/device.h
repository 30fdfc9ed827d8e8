/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Userspace KUnit: test-managed devices.  As in the kernel, a new device
 * has dma_mask pointing at coherent_dma_mask, set to DMA_BIT_MASK(32): a
 * suite that maps tables above 4 GiB must widen it
 * (dma_set_mask_and_coherent()) or its mappings are bounced.
 */
#ifndef _SHIM_KUNIT_DEVICE_H
#define _SHIM_KUNIT_DEVICE_H

#include <kunit/test.h>
#include <linux/device.h>

struct device *kunit_device_register(struct kunit *test, const char *name);
struct device *kunit_device_register_with_driver(struct kunit *test,
						 const char *name,
						 const struct device_driver *drv);
void kunit_device_unregister(struct kunit *test, struct device *dev);

#endif
