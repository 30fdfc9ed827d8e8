/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Userspace shim: cmpxchg() and xchg() families with the kernel's
 * semantics: cmpxchg() returns the value found at *ptr (equal to @old on
 * success); try_cmpxchg() returns success and on failure updates *@oldp to
 * the value found.  The unsuffixed forms are fully ordered, _relaxed ones
 * unordered, _acquire/_release one-sided.
 *
 * Under ThreadSanitizer (SHIM_TSAN, linux/compiler.h):
 * - the value a _relaxed form returns is read with acquire semantics, as
 *   READ_ONCE() is: a mapper that loses the race to install a table gets
 *   the winner's entry from its failed cmpxchg and walks into the table it
 *   points to; the address dependency orders that in the kernel.
 * - a _relaxed (_acquire) form that follows a release fence is an acq_rel
 *   one: see asm/barrier.h.
 */
#ifndef _SHIM_ASM_CMPXCHG_H
#define _SHIM_ASM_CMPXCHG_H

#include <linux/build_bug.h>
#include <linux/compiler.h>

#define __shim_cmpxchg(ptr, old, new, succ, fail)			\
	({								\
		__typeof__(*(ptr)) __old = (old);			\
		__typeof__(*(ptr)) __new = (new);			\
		__atomic_compare_exchange_n((ptr), &__old, __new, false, \
					    succ, fail);		\
		__old;							\
	})

#define __shim_try_cmpxchg(ptr, oldp, new, succ, fail)			\
	({								\
		__typeof__(*(ptr)) __new = (new);			\
		_Static_assert(__same_type(*(ptr), *(oldp)),		\
			       "try_cmpxchg: *ptr and *oldp differ");	\
		__atomic_compare_exchange_n((ptr), (oldp), __new, false, \
					    succ, fail);		\
	})

#ifdef SHIM_TSAN
/* the order of a _relaxed form, and of one after a release fence */
#define __SHIM_RLX	__ATOMIC_ACQUIRE
#define __SHIM_RLX_REL	__ATOMIC_ACQ_REL
/*
 * A release fence pending in the thread (asm/barrier.h) turns the next
 * relaxed or acquire read-modify-write into a release one, for TSan.
 */
#define __shim_cmpxchg_upg(ptr, old, new, succ, fail, usucc)		\
	(shim_tsan_take_release() ?					\
	 __shim_cmpxchg(ptr, old, new, usucc, fail) :			\
	 __shim_cmpxchg(ptr, old, new, succ, fail))
#define __shim_try_cmpxchg_upg(ptr, oldp, new, succ, fail, usucc)	\
	(shim_tsan_take_release() ?					\
	 __shim_try_cmpxchg(ptr, oldp, new, usucc, fail) :		\
	 __shim_try_cmpxchg(ptr, oldp, new, succ, fail))
#define __shim_xchg_upg(p, v, order, uorder)				\
	(shim_tsan_take_release() ?					\
	 __atomic_exchange_n((p), (v), uorder) :			\
	 __atomic_exchange_n((p), (v), order))
#else
#define __SHIM_RLX	__ATOMIC_RELAXED
#define __SHIM_RLX_REL	__ATOMIC_RELEASE
#define __shim_cmpxchg_upg(ptr, old, new, succ, fail, usucc)		\
	__shim_cmpxchg(ptr, old, new, succ, fail)
#define __shim_try_cmpxchg_upg(ptr, oldp, new, succ, fail, usucc)	\
	__shim_try_cmpxchg(ptr, oldp, new, succ, fail)
#define __shim_xchg_upg(p, v, order, uorder)				\
	__atomic_exchange_n((p), (v), order)
#endif

#define cmpxchg(p, o, n)	__shim_cmpxchg(p, o, n, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)
#define cmpxchg_relaxed(p, o, n) __shim_cmpxchg_upg(p, o, n, __SHIM_RLX, \
						     __SHIM_RLX, __SHIM_RLX_REL)
#define cmpxchg_acquire(p, o, n) __shim_cmpxchg_upg(p, o, n, __ATOMIC_ACQUIRE, \
						     __ATOMIC_ACQUIRE, __ATOMIC_ACQ_REL)
#define cmpxchg_release(p, o, n) __shim_cmpxchg(p, o, n, __ATOMIC_RELEASE, __ATOMIC_RELAXED)

#define __shim_is64(p)	_Static_assert(sizeof(*(p)) == 8, "cmpxchg64 on a non-64-bit object")
#define cmpxchg64(p, o, n)	 ({ __shim_is64(p); cmpxchg(p, o, n); })
#define cmpxchg64_relaxed(p, o, n) ({ __shim_is64(p); cmpxchg_relaxed(p, o, n); })
#define cmpxchg64_acquire(p, o, n) ({ __shim_is64(p); cmpxchg_acquire(p, o, n); })
#define cmpxchg64_release(p, o, n) ({ __shim_is64(p); cmpxchg_release(p, o, n); })

#define try_cmpxchg(p, op, n)	__shim_try_cmpxchg(p, op, n, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)
#define try_cmpxchg_relaxed(p, op, n) __shim_try_cmpxchg_upg(p, op, n, __SHIM_RLX, \
							__SHIM_RLX, __SHIM_RLX_REL)
#define try_cmpxchg_acquire(p, op, n) __shim_try_cmpxchg_upg(p, op, n, __ATOMIC_ACQUIRE, \
							__ATOMIC_ACQUIRE, __ATOMIC_ACQ_REL)
#define try_cmpxchg_release(p, op, n) __shim_try_cmpxchg(p, op, n, __ATOMIC_RELEASE, __ATOMIC_RELAXED)
#define try_cmpxchg64(p, op, n)	({ __shim_is64(p); try_cmpxchg(p, op, n); })
#define try_cmpxchg64_relaxed(p, op, n) ({ __shim_is64(p); try_cmpxchg_relaxed(p, op, n); })
#define try_cmpxchg64_release(p, op, n) ({ __shim_is64(p); try_cmpxchg_release(p, op, n); })

#define xchg(p, v)		__atomic_exchange_n((p), (v), __ATOMIC_SEQ_CST)
#define xchg_relaxed(p, v)	__shim_xchg_upg(p, v, __SHIM_RLX, __SHIM_RLX_REL)
#define xchg_acquire(p, v)	__shim_xchg_upg(p, v, __ATOMIC_ACQUIRE, __ATOMIC_ACQ_REL)
#define xchg_release(p, v)	__atomic_exchange_n((p), (v), __ATOMIC_RELEASE)

#endif
