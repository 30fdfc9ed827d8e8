/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Userspace shim: the IOVA dirty bitmap.  In the kernel it wraps user
 * memory and is opaque; here it is a plain bitmap that tests create with
 * shim_iova_bitmap_alloc() and inspect with shim_iova_bitmap_test().
 * Recording an IOVA outside the bitmap's range fails the running test.
 */
#ifndef _SHIM_LINUX_IOVA_BITMAP_H
#define _SHIM_LINUX_IOVA_BITMAP_H

#include <linux/types.h>

struct iova_bitmap;

void iova_bitmap_set(struct iova_bitmap *bitmap, unsigned long iova,
		     size_t length);

struct iova_bitmap *shim_iova_bitmap_alloc(unsigned long iova, size_t length,
					   unsigned long page_size);
void shim_iova_bitmap_free(struct iova_bitmap *bitmap);
bool shim_iova_bitmap_test(const struct iova_bitmap *bitmap,
			   unsigned long iova);
unsigned long shim_iova_bitmap_weight(const struct iova_bitmap *bitmap);
void shim_iova_bitmap_clear(struct iova_bitmap *bitmap);

#endif
