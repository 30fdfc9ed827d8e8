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

#define READ_ONCE(x)							\
	({ __unqual_scalar_typeof(x) __ro_val =				\
		*(const volatile typeof(x) *)&(x); __ro_val; })

#define WRITE_ONCE(x, val)						\
	do { *(volatile typeof(x) *)&(x) = (val); } while (0)

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
