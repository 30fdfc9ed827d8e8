/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Userspace shim: min()/max() and friends.  Like the kernel's, min() and
 * max() refuse to compare a signed with an unsigned non-constant operand.
 */
#ifndef _SHIM_LINUX_MINMAX_H
#define _SHIM_LINUX_MINMAX_H

#include <linux/compiler.h>
#include <linux/build_bug.h>

#define __shim_signed_ok(x, y)						\
	(__builtin_constant_p(x) || __builtin_constant_p(y) ||		\
	 (((typeof(x))-1 < (typeof(x))1) == ((typeof(y))-1 < (typeof(y))1)))

#define __shim_cmp(op, x, y)						\
	({								\
		typeof(x) __x = (x);					\
		typeof(y) __y = (y);					\
		_Static_assert(__builtin_choose_expr(			\
			__builtin_constant_p(__shim_signed_ok(x, y)),	\
			__shim_signed_ok(x, y), 1),			\
			"min/max of signed and unsigned");		\
		__x op __y ? __x : __y;					\
	})

#define min(x, y)	__shim_cmp(<, x, y)
#define max(x, y)	__shim_cmp(>, x, y)
#define min3(x, y, z)	min((typeof(x))min(x, y), z)
#define max3(x, y, z)	max((typeof(x))max(x, y), z)
#define min_t(type, x, y)	({ type __a = (x); type __b = (y); __a < __b ? __a : __b; })
#define max_t(type, x, y)	({ type __a = (x); type __b = (y); __a > __b ? __a : __b; })
#define umin(x, y)	min_t(unsigned long long, x, y)
#define umax(x, y)	max_t(unsigned long long, x, y)
#define clamp(val, lo, hi)	min((typeof(val))max(val, lo), hi)
#define clamp_t(type, val, lo, hi)	min_t(type, max_t(type, val, lo), hi)
#define clamp_val(val, lo, hi)	clamp_t(typeof(val), val, lo, hi)
#define swap(a, b)							\
	do { typeof(a) __tmp = (a); (a) = (b); (b) = __tmp; } while (0)

#endif
