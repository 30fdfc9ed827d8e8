/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Userspace shim: WARN and BUG.  Every WARN that fires is printed and
 * counted (shim_warn_count()), so tests can assert that code warned or
 * stayed quiet.  BUG aborts the process, as an oops would end the test.
 */
#ifndef _SHIM_LINUX_BUG_H
#define _SHIM_LINUX_BUG_H

#include <linux/build_bug.h>
#include <linux/compiler.h>
#include <linux/types.h>

void shim_warn(const char *file, int line, const char *func,
	       const char *fmt, ...) __printf(4, 5);
void __noreturn shim_bug(const char *file, int line, const char *func,
			 const char *cond);

#define __WARN_printf(fmt, ...)						\
	shim_warn(__FILE__, __LINE__, __func__, fmt, ##__VA_ARGS__)

#define WARN(condition, fmt...)						\
	({								\
		int __ret_warn_on = !!(condition);			\
		if (unlikely(__ret_warn_on))				\
			__WARN_printf(fmt);				\
		unlikely(__ret_warn_on);				\
	})

#define WARN_ON(condition)						\
	({								\
		int __ret_warn_on = !!(condition);			\
		if (unlikely(__ret_warn_on))				\
			__WARN_printf("%s", "WARN_ON(" #condition ")");	\
		unlikely(__ret_warn_on);				\
	})

#define WARN_ONCE(condition, fmt...)					\
	({								\
		static bool __warned;					\
		int __ret_warn_once = !!(condition);			\
		if (unlikely(__ret_warn_once && !__warned)) {		\
			__warned = true;				\
			__WARN_printf(fmt);				\
		}							\
		unlikely(__ret_warn_once);				\
	})

#define WARN_ON_ONCE(condition)						\
	({								\
		static bool __warned;					\
		int __ret_warn_once = !!(condition);			\
		if (unlikely(__ret_warn_once && !__warned)) {		\
			__warned = true;				\
			__WARN_printf("%s",				\
				      "WARN_ON_ONCE(" #condition ")");	\
		}							\
		unlikely(__ret_warn_once);				\
	})

#define BUG()	shim_bug(__FILE__, __LINE__, __func__, "BUG()")
#define BUG_ON(condition)						\
	do {								\
		if (unlikely(condition))				\
			shim_bug(__FILE__, __LINE__, __func__,		\
				 "BUG_ON(" #condition ")");		\
	} while (0)

/* CONFIG_DEBUG_VM is on: stricter than a production kernel, never looser */
#define VM_BUG_ON(cond)		BUG_ON(cond)
#define VM_WARN_ON(cond)	((void)WARN_ON(cond))
#define VM_WARN_ON_ONCE(cond)	((void)WARN_ON_ONCE(cond))

#endif
