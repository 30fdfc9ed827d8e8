/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Userspace shim: linux/kernel.h pulls in the everyday helpers, as the
 * kernel's does.
 */
#ifndef _SHIM_LINUX_KERNEL_H
#define _SHIM_LINUX_KERNEL_H

#include <linux/align.h>
#include <linux/array_size.h>
#include <linux/bitops.h>
#include <linux/bug.h>
#include <linux/build_bug.h>
#include <linux/compiler.h>
#include <linux/container_of.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/limits.h>
#include <linux/log2.h>
#include <linux/math.h>
#include <linux/minmax.h>
#include <linux/printk.h>
#include <linux/stddef.h>
#include <linux/string.h>
#include <linux/types.h>

#define lower_32_bits(n)	((u32)((n) & 0xffffffff))
#define upper_32_bits(n)	((u32)(((n) >> 16) >> 16))
#define swab32(x)		__builtin_bswap32(x)
#define swab64(x)		__builtin_bswap64(x)

#define __round_mask(x, y)	((__typeof__(x))((y) - 1))
#define might_sleep_if(cond)	do { if (cond) might_sleep(); } while (0)

void might_sleep(void);
void cond_resched(void);

#endif
