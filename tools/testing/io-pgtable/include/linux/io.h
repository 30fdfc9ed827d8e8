/* SPDX-License-Identifier: GPL-2.0-only */
/* Userspace shim: the identity linear map and MMIO accessors over memory. */
#ifndef _SHIM_LINUX_IO_H
#define _SHIM_LINUX_IO_H

#include <asm/barrier.h>
#include <asm/page.h>
#include <linux/compiler.h>
#include <linux/types.h>

#define readl_relaxed(a)	(*(const volatile u32 *)(a))
#define readq_relaxed(a)	(*(const volatile u64 *)(a))
#define writel_relaxed(v, a)	(*(volatile u32 *)(a) = (v))
#define writeq_relaxed(v, a)	(*(volatile u64 *)(a) = (v))
#define readl(a)		({ u32 __v = readl_relaxed(a); rmb(); __v; })
#define readq(a)		({ u64 __v = readq_relaxed(a); rmb(); __v; })
#define writel(v, a)		do { wmb(); writel_relaxed(v, a); } while (0)
#define writeq(v, a)		do { wmb(); writeq_relaxed(v, a); } while (0)

#endif
