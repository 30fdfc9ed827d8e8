/* SPDX-License-Identifier: GPL-2.0-only */
/* Userspace shim: annotations that mean nothing outside the kernel. */
#ifndef _SHIM_LINUX_COMPILER_TYPES_H
#define _SHIM_LINUX_COMPILER_TYPES_H

#define __iomem
#define __user
#define __kernel
#define __force
#define __bitwise
#define __rcu
#define __percpu
#define __must_hold(x)
#define __acquires(x)
#define __releases(x)
#define __acquire(x)	(void)0
#define __release(x)	(void)0
#define __cond_acquires(x)
#define __private
#define __nocast
#define __safe

#define __always_inline		inline __attribute__((__always_inline__))
#define noinline		__attribute__((__noinline__))
#define __noipa			__attribute__((__noipa__))
#define __maybe_unused		__attribute__((__unused__))
#define __always_unused		__attribute__((__unused__))
#define __used			__attribute__((__used__))
#define __must_check		__attribute__((__warn_unused_result__))
#define __aligned(x)		__attribute__((__aligned__(x)))
#define __packed		__attribute__((__packed__))
#define __printf(a, b)		__attribute__((__format__(printf, a, b)))
#define __scanf(a, b)		__attribute__((__format__(scanf, a, b)))
#define __cold			__attribute__((__cold__))
#define __pure			__attribute__((__pure__))
#define __weak			__attribute__((__weak__))
#define __section(s)		__attribute__((__section__(s)))
#define __noreturn		__attribute__((__noreturn__))
#define __malloc		__attribute__((__malloc__))
#define __alloc_size(x, ...)
#define __counted_by(m)
#define __nonstring
#define __randomize_layout
#define __no_randomize_layout
#define __read_mostly
#define __ro_after_init
#define __cacheline_aligned	__aligned(64)
#define ____cacheline_aligned	__aligned(64)
#define notrace
#define __visible
#define asmlinkage

#ifndef fallthrough
#define fallthrough		__attribute__((__fallthrough__))
#endif

#endif
