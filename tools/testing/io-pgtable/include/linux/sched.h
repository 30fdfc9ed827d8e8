/* SPDX-License-Identifier: GPL-2.0-only */
/* Userspace shim: scheduling; might_sleep()/cond_resched() are in linux/kernel.h. */
#ifndef _SHIM_LINUX_SCHED_H
#define _SHIM_LINUX_SCHED_H

#include <linux/kernel.h>
#include <linux/preempt.h>

struct task_struct;

void schedule(void);
void yield(void);
#define cpu_relax()	shim_cpu_relax()

#endif
