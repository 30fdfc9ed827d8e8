/* SPDX-License-Identifier: GPL-2.0-only */
/* Userspace shim: might_sleep() and cond_resched() are in linux/kernel.h. */
#ifndef _SHIM_LINUX_SCHED_H
#define _SHIM_LINUX_SCHED_H

#include <linux/kernel.h>
#include <linux/preempt.h>

#endif
