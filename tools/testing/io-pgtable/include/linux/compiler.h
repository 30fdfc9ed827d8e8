/* SPDX-License-Identifier: GPL-2.0-only */
/* Userspace shim: compiler attributes and the ONCE accessors. */
#ifndef _SHIM_LINUX_COMPILER_H
#define _SHIM_LINUX_COMPILER_H

#include <linux/compiler_types.h>

#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)

#define barrier()	__asm__ __volatile__("" : : : "memory")

/*
 * A volatile access of the object's own (unqualified) type: one load or
 * store the compiler may not tear, merge or elide, as in the kernel.
 */
#define __unqual_scalar_typeof(x) typeof(_Generic((x),			\
	char: (char)0,							\
	unsigned char: (unsigned char)0,				\
	signed char: (signed char)0,					\
	unsigned short: (unsigned short)0,				\
	signed short: (signed short)0,					\
	unsigned int: (unsigned int)0,					\
	signed int: (signed int)0,					\
	unsigned long: (unsigned long)0,				\
	signed long: (signed long)0,					\
	unsigned long long: (unsigned long long)0,			\
	signed long long: (signed long long)0,				\
	_Bool: (_Bool)0,						\
	default: (x)))

/*
 * Under ThreadSanitizer (SHIM_TSAN) the ONCE accessors are atomic accesses,
 * which is what makes TSan treat them as the kernel memory model's marked
 * accesses instead of reporting every lock-free table walk as a race.
 *
 * - READ_ONCE() is an acquire load. In the kernel, a table walk reads a
 *   descriptor with READ_ONCE() and dereferences the address in it; the
 *   address dependency orders the two, so the walker sees the contents
 *   the publisher wrote before its dma_wmb(). C11 has no usable
 *   equivalent (consume is promoted to acquire anyway), and TSan ignores
 *   fences, so acquire is the closest model. It also stands in for the
 *   rmb()/dma_rmb() that may follow a READ_ONCE(), which TSan cannot see.
 * - WRITE_ONCE() is a relaxed store, or a release store when a release
 *   fence (wmb(), dma_wmb(), smp_wmb(), mb()) is pending in this thread:
 *   see asm/barrier.h.
 *
 * Everywhere else they are volatile accesses, as in the kernel; the code
 * generated for the regular harness does not change.
 */
#if defined(__SANITIZE_THREAD__)
#define SHIM_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define SHIM_TSAN 1
#endif
#endif

#ifdef SHIM_TSAN
/* A release fence was issued and no marked store has consumed it yet. */
extern __thread int shim_tsan_release_pending;

static inline int shim_tsan_take_release(void)
{
	if (!shim_tsan_release_pending)
		return 0;
	shim_tsan_release_pending = 0;
	return 1;
}

#define READ_ONCE(x)							\
	({ __unqual_scalar_typeof(x) __ro_val =				\
		__atomic_load_n(&(x), __ATOMIC_ACQUIRE); __ro_val; })

#define WRITE_ONCE(x, val)						\
	do {								\
		__unqual_scalar_typeof(x) __wo_val = (val);		\
		if (shim_tsan_take_release())				\
			__atomic_store_n(&(x), __wo_val, __ATOMIC_RELEASE); \
		else							\
			__atomic_store_n(&(x), __wo_val, __ATOMIC_RELAXED); \
	} while (0)
#else
#define READ_ONCE(x)							\
	({ __unqual_scalar_typeof(x) __ro_val =				\
		*(const volatile typeof(x) *)&(x); __ro_val; })

#define WRITE_ONCE(x, val)						\
	do { *(volatile typeof(x) *)&(x) = (val); } while (0)
#endif

#define data_race(expr)		(expr)

#define OPTIMIZER_HIDE_VAR(var)	__asm__ ("" : "=r" (var) : "0" (var))

#define __same_type(a, b)	__builtin_types_compatible_p(typeof(a), typeof(b))

#define __PASTE_(a, b)		a##b
#define __PASTE(a, b)		__PASTE_(a, b)
#define __UNIQUE_ID(prefix)	__PASTE(__PASTE(__UNIQUE_ID_, prefix), __COUNTER__)

#define ___stringify(x...)	#x
#define __stringify(x...)	___stringify(x)

#define __is_constexpr(x)	__builtin_constant_p(x)

#define __must_be_array(a)	BUILD_BUG_ON_ZERO(__same_type((a), &(a)[0]))

#ifndef BUILD_BUG_ON_ZERO
#define BUILD_BUG_ON_ZERO(e)	((int)(sizeof(struct { int:(-!!(e)); })))
#endif

#endif
