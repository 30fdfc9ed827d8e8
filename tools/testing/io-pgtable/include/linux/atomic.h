/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Userspace shim: atomic_t/atomic64_t over the compiler's __atomic builtins.
 * Value-returning operations are fully ordered, the others relaxed, as the
 * kernel's memory model documents.  Under ThreadSanitizer a relaxed store
 * or read-modify-write that follows a release fence is a release one
 * (asm/barrier.h explains why).
 */
#ifndef _SHIM_LINUX_ATOMIC_H
#define _SHIM_LINUX_ATOMIC_H

#include <asm/barrier.h>
#include <asm/cmpxchg.h>
#include <linux/compiler.h>
#include <linux/types.h>

#ifdef SHIM_TSAN
#define __shim_take_release()	shim_tsan_take_release()
#else
#define __shim_take_release()	0
#endif

#define ATOMIC_INIT(i)		{ (i) }
#define ATOMIC64_INIT(i)	{ (i) }

#define __SHIM_ATOMIC_OPS(pfx, atype, vtype)				\
static inline vtype pfx##_read(const atype *v)				\
{ return __atomic_load_n(&v->counter, __ATOMIC_RELAXED); }		\
static inline vtype pfx##_read_acquire(const atype *v)			\
{ return __atomic_load_n(&v->counter, __ATOMIC_ACQUIRE); }		\
static inline void pfx##_set(atype *v, vtype i)				\
{									\
	if (__shim_take_release())					\
		__atomic_store_n(&v->counter, i, __ATOMIC_RELEASE);	\
	else								\
		__atomic_store_n(&v->counter, i, __ATOMIC_RELAXED);	\
}									\
static inline void pfx##_set_release(atype *v, vtype i)		\
{ __atomic_store_n(&v->counter, i, __ATOMIC_RELEASE); }		\
static inline void pfx##_add(vtype i, atype *v)				\
{									\
	if (__shim_take_release())					\
		__atomic_fetch_add(&v->counter, i, __ATOMIC_RELEASE);	\
	else								\
		__atomic_fetch_add(&v->counter, i, __ATOMIC_RELAXED);	\
}									\
static inline void pfx##_sub(vtype i, atype *v)				\
{									\
	if (__shim_take_release())					\
		__atomic_fetch_sub(&v->counter, i, __ATOMIC_RELEASE);	\
	else								\
		__atomic_fetch_sub(&v->counter, i, __ATOMIC_RELAXED);	\
}									\
static inline void pfx##_inc(atype *v) { pfx##_add(1, v); }		\
static inline void pfx##_dec(atype *v) { pfx##_sub(1, v); }		\
static inline vtype pfx##_add_return(vtype i, atype *v)		\
{ return __atomic_add_fetch(&v->counter, i, __ATOMIC_SEQ_CST); }	\
static inline vtype pfx##_sub_return(vtype i, atype *v)		\
{ return __atomic_sub_fetch(&v->counter, i, __ATOMIC_SEQ_CST); }	\
static inline vtype pfx##_fetch_add(vtype i, atype *v)			\
{ return __atomic_fetch_add(&v->counter, i, __ATOMIC_SEQ_CST); }	\
static inline vtype pfx##_fetch_sub(vtype i, atype *v)			\
{ return __atomic_fetch_sub(&v->counter, i, __ATOMIC_SEQ_CST); }	\
static inline vtype pfx##_fetch_or(vtype i, atype *v)			\
{ return __atomic_fetch_or(&v->counter, i, __ATOMIC_SEQ_CST); }	\
static inline vtype pfx##_fetch_and(vtype i, atype *v)			\
{ return __atomic_fetch_and(&v->counter, i, __ATOMIC_SEQ_CST); }	\
static inline vtype pfx##_inc_return(atype *v)				\
{ return pfx##_add_return(1, v); }					\
static inline vtype pfx##_dec_return(atype *v)				\
{ return pfx##_sub_return(1, v); }					\
static inline bool pfx##_dec_and_test(atype *v)			\
{ return pfx##_dec_return(v) == 0; }					\
static inline bool pfx##_inc_and_test(atype *v)			\
{ return pfx##_inc_return(v) == 0; }					\
static inline vtype pfx##_xchg(atype *v, vtype i)			\
{ return __atomic_exchange_n(&v->counter, i, __ATOMIC_SEQ_CST); }	\
static inline vtype pfx##_cmpxchg(atype *v, vtype old, vtype new)	\
{									\
	__atomic_compare_exchange_n(&v->counter, &old, new, false,	\
				    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST); \
	return old;							\
}									\
static inline bool pfx##_try_cmpxchg(atype *v, vtype *old, vtype new)	\
{									\
	return __atomic_compare_exchange_n(&v->counter, old, new, false, \
					   __ATOMIC_SEQ_CST,		\
					   __ATOMIC_SEQ_CST);		\
}

__SHIM_ATOMIC_OPS(atomic, atomic_t, int)
__SHIM_ATOMIC_OPS(atomic64, atomic64_t, s64)
__SHIM_ATOMIC_OPS(atomic_long, atomic_long_t, s64)

#endif
