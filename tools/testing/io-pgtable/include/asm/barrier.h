/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Userspace shim: memory barriers as thread fences of the matching
 * strength.  dma_wmb() orders normal-memory writes before a following
 * write that publishes them, which is a release fence here.
 *
 * wmb() is also the barrier that orders memory writes before a relaxed
 * MMIO write (a driver's writel_relaxed() of a TTBR), which no fence here
 * can show: each wmb() is counted per thread (shim_wmb_count) and runs the
 * thread's shim_wmb_hook, so a test can see that one came, and when.
 *
 * ThreadSanitizer does not model fences (and GCC warns about them with
 * -Wtsan).  Under SHIM_TSAN (linux/compiler.h) a fence that orders earlier
 * writes before later ones (wmb(), dma_wmb(), smp_wmb(), mb() and their
 * kin) also marks a release as pending in the thread; the next marked
 * store or read-modify-write of the thread (WRITE_ONCE(), the _relaxed
 * cmpxchg() and xchg() forms, atomic_set/add/sub) is then performed as a
 * release and takes the mark.  That is the C11 meaning of a release fence
 * followed by a relaxed store, limited to the first such store: a
 * publication the barrier does not immediately precede is not covered,
 * which can only add reports, never hide one.  The reading side needs
 * nothing here: READ_ONCE() is an acquire load under SHIM_TSAN.
 */
#ifndef _SHIM_ASM_BARRIER_H
#define _SHIM_ASM_BARRIER_H

#include <linux/compiler.h>

#ifdef SHIM_TSAN
#define __shim_fence_release(order)					\
	do {								\
		__atomic_thread_fence(order);				\
		shim_tsan_release_pending = 1;				\
	} while (0)
#else
#define __shim_fence_release(order)	__atomic_thread_fence(order)
#endif

#define mb()		__shim_fence_release(__ATOMIC_SEQ_CST)
#define rmb()		__atomic_thread_fence(__ATOMIC_ACQUIRE)
#define wmb()		shim_wmb()
#define dma_mb()	mb()
#define dma_rmb()	rmb()
#define dma_wmb()	__shim_fence_release(__ATOMIC_RELEASE)
#if defined(__x86_64__) && !defined(SHIM_TSAN)
/* The kernel's x86-64 smp_mb(): a locked add, cheaper than mfence. */
#define smp_mb()							\
	__asm__ __volatile__("lock; addl $0,-4(%%rsp)" : : : "memory", "cc")
#else
#define smp_mb()	mb()
#endif
#define smp_rmb()	rmb()
#define smp_wmb()	__shim_fence_release(__ATOMIC_RELEASE)
#define __smp_mb()	mb()
#define smp_mb__before_atomic()	mb()
#define smp_mb__after_atomic()	mb()

extern __thread unsigned long shim_wmb_count;
extern __thread void (*shim_wmb_hook)(void);

static inline void shim_wmb(void)
{
	__shim_fence_release(__ATOMIC_RELEASE);
	shim_wmb_count++;
	if (__builtin_expect(shim_wmb_hook != 0, 0))
		shim_wmb_hook();
}

#define smp_store_release(p, v)	__atomic_store_n((p), (v), __ATOMIC_RELEASE)
#define smp_load_acquire(p)	__atomic_load_n((p), __ATOMIC_ACQUIRE)
#define smp_store_mb(var, value)					\
	do { __atomic_store_n(&(var), (value), __ATOMIC_SEQ_CST); } while (0)

#endif
