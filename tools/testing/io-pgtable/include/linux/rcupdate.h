/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Userspace shim: RCU, as a model of its guarantee rather than of its
 * implementation.  Each thread has a reader slot; the outermost
 * rcu_read_lock() stores in it the grace-period count it finds, and
 * rcu_read_unlock() clears it with a release store.  A grace-period cookie
 * is a new count; it has elapsed once no slot holds an older one, that is
 * once every read-side section that began before the cookie has ended.
 *
 * The reader side has no fence, as in the kernel: poll_state_synchronize_rcu()
 * first runs membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED), which makes every
 * running thread of the process execute a full barrier, the part the
 * kernel's grace-period machinery plays.  Where membarrier is not
 * available, and under ThreadSanitizer (which does not model it), readers
 * store with a full fence instead.
 *
 * A read-side section is atomic context: might_sleep() and a sleeping
 * allocation inside one are reported, as lockdep's RCU checks would.
 */
#ifndef _SHIM_LINUX_RCUPDATE_H
#define _SHIM_LINUX_RCUPDATE_H

#include <linux/compiler.h>
#include <linux/types.h>

struct shim_rcu_reader {
	unsigned long	ctr;	/* 0 outside; else the count at entry */
	int		nest;
	int		used;
};

extern __thread struct shim_rcu_reader *shim_rcu_self;
extern unsigned long shim_rcu_gp;
extern int shim_rcu_fence;
struct shim_rcu_reader *shim_rcu_register(void);

static inline void rcu_read_lock(void)
{
	struct shim_rcu_reader *r = shim_rcu_self;

	if (__builtin_expect(!r, 0))
		r = shim_rcu_register();
	if (r->nest++)
		return;
#ifdef SHIM_TSAN
	__atomic_store_n(&r->ctr, __atomic_load_n(&shim_rcu_gp, __ATOMIC_ACQUIRE),
			 __ATOMIC_SEQ_CST);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
#else
	__atomic_store_n(&r->ctr, __atomic_load_n(&shim_rcu_gp, __ATOMIC_ACQUIRE),
			 __ATOMIC_RELAXED);
	if (__builtin_expect(shim_rcu_fence, 0))
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
	__asm__ __volatile__("" : : : "memory");
#endif
}

static inline void rcu_read_unlock(void)
{
	struct shim_rcu_reader *r = shim_rcu_self;

	if (!--r->nest)
		__atomic_store_n(&r->ctr, 0, __ATOMIC_RELEASE);
}

/* Whether the calling thread is inside a read-side section. */
static inline bool shim_rcu_reading(void)
{
	return shim_rcu_self && shim_rcu_self->nest;
}

unsigned long get_state_synchronize_rcu(void);
unsigned long start_poll_synchronize_rcu(void);
bool poll_state_synchronize_rcu(unsigned long cookie);
void synchronize_rcu(void);

#endif
