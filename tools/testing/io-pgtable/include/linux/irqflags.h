/* SPDX-License-Identifier: GPL-2.0-only */
/* Userspace shim: interrupts are "disabled" in atomic context. */
#ifndef _SHIM_LINUX_IRQFLAGS_H
#define _SHIM_LINUX_IRQFLAGS_H

#include <linux/types.h>

bool shim_in_atomic(void);

static inline bool irqs_disabled(void)
{
	return shim_in_atomic();
}

#endif
