/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Userspace shim: the kernel's IS_ENABLED() family.  CONFIG_ symbols are
 * defined to 1 on the compiler command line by the harness Makefile, and
 * this file is force-included (-include) as in a kernel build.
 */
#ifndef _SHIM_LINUX_KCONFIG_H
#define _SHIM_LINUX_KCONFIG_H

#define __ARG_PLACEHOLDER_1 0,
#define __take_second_arg(__ignored, val, ...) val
#define __is_defined(x)			___is_defined(x)
#define ___is_defined(val)		____is_defined(__ARG_PLACEHOLDER_##val)
#define ____is_defined(arg1_or_junk)	__take_second_arg(arg1_or_junk 1, 0)

#define __or(x, y)			___or(x, y)
#define ___or(x, y)			____or(__ARG_PLACEHOLDER_##x, y)
#define ____or(arg1_or_junk, y)		__take_second_arg(arg1_or_junk 1, y)

#define IS_BUILTIN(option)	__is_defined(option)
#define IS_MODULE(option)	__is_defined(option##_MODULE)
#define IS_REACHABLE(option)	__or(IS_BUILTIN(option), IS_MODULE(option))
#define IS_ENABLED(option)	__or(IS_BUILTIN(option), IS_MODULE(option))

#endif
