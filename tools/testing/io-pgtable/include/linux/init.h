/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Userspace shim: section annotations are meaningless here; initcalls are
 * referenced (so they are not "unused") but never run: the harness calls
 * what it needs explicitly.
 */
#ifndef _SHIM_LINUX_INIT_H
#define _SHIM_LINUX_INIT_H

#include <linux/compiler.h>

#define __init
#define __exit
#define __initdata
#define __initconst
#define __exitdata
#define __init_or_module
#define __meminit
#define __refdata
#define __ref

typedef int (*initcall_t)(void);
typedef void (*exitcall_t)(void);

#define __shim_initcall(fn, id)						\
	static initcall_t __used __PASTE(__shim_initcall_##fn, id) = fn

#define early_initcall(fn)	__shim_initcall(fn, early)
#define core_initcall(fn)	__shim_initcall(fn, core)
#define postcore_initcall(fn)	__shim_initcall(fn, postcore)
#define arch_initcall(fn)	__shim_initcall(fn, arch)
#define subsys_initcall(fn)	__shim_initcall(fn, subsys)
#define fs_initcall(fn)		__shim_initcall(fn, fs)
#define device_initcall(fn)	__shim_initcall(fn, device)
#define late_initcall(fn)	__shim_initcall(fn, late)

#endif
