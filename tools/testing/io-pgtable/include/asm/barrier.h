/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Userspace shim: memory barriers as compiler fences of the matching
 * strength.  dma_wmb() orders normal-memory writes before a following
 * write that publishes them, which is a release fence here.
 *
 * wmb() is also the barrier that orders memory writes before a relaxed
 * MMIO write (a driver's writel_relaxed() of a TTBR), which no fence here
 * can show: each wmb() is counted per thread (shim_wmb_count) and runs the
 * thread's shim_wmb_hook, so a test can see that one came, and when.
 */
#ifndef _SHIM_ASM_BARRIER_H
#define _SHIM_ASM_BARRIER_H

#define mb()		__atomic_thread_fence(__ATOMIC_SEQ_CST)
#define rmb()		__atomic_thread_fence(__ATOMIC_ACQUIRE)
#define wmb()		shim_wmb()
#define dma_mb()	mb()
#define dma_rmb()	rmb()
#define dma_wmb()	__atomic_thread_fence(__ATOMIC_RELEASE)
#define smp_mb()	mb()
#define smp_rmb()	rmb()
#define smp_wmb()	__atomic_thread_fence(__ATOMIC_RELEASE)
#define __smp_mb()	mb()
#define smp_mb__before_atomic()	mb()
#define smp_mb__after_atomic()	mb()

extern __thread unsigned long shim_wmb_count;
extern __thread void (*shim_wmb_hook)(void);

static inline void shim_wmb(void)
{
	__atomic_thread_fence(__ATOMIC_RELEASE);
	shim_wmb_count++;
	if (__builtin_expect(shim_wmb_hook != 0, 0))
		shim_wmb_hook();
}

#define smp_store_release(p, v)	__atomic_store_n((p), (v), __ATOMIC_RELEASE)
#define smp_load_acquire(p)	__atomic_load_n((p), __ATOMIC_ACQUIRE)
#define smp_store_mb(var, value)					\
	do { __atomic_store_n(&(var), (value), __ATOMIC_SEQ_CST); } while (0)

#endif
