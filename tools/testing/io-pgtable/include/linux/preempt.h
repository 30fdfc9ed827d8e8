/* SPDX-License-Identifier: GPL-2.0-only */
/* Userspace shim: preemption control lives in linux/spinlock.h here. */
#ifndef _SHIM_LINUX_PREEMPT_H
#define _SHIM_LINUX_PREEMPT_H

#include <linux/spinlock.h>

bool in_atomic(void);

#endif
