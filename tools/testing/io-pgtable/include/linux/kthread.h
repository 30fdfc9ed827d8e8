/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Userspace shim: kernel threads are pthreads.  kthread_create() makes a
 * thread that waits for wake_up_process(); kthread_stop() asks it to stop
 * (kthread_should_stop()) and waits for its return value.
 */
#ifndef _SHIM_LINUX_KTHREAD_H
#define _SHIM_LINUX_KTHREAD_H

#include <linux/err.h>
#include <linux/sched.h>

struct task_struct *kthread_create(int (*threadfn)(void *data), void *data,
				   const char *namefmt, ...) __printf(3, 4);
int wake_up_process(struct task_struct *tsk);
int kthread_stop(struct task_struct *k);
bool kthread_should_stop(void);

#define kthread_run(threadfn, data, namefmt, ...)			\
	({								\
		struct task_struct *__k =				\
			kthread_create(threadfn, data, namefmt, ##__VA_ARGS__); \
		if (!IS_ERR(__k))					\
			wake_up_process(__k);				\
		__k;							\
	})

#endif
