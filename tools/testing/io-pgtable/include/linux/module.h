/* SPDX-License-Identifier: GPL-2.0-only */
/* Userspace shim: module metadata is dropped. */
#ifndef _SHIM_LINUX_MODULE_H
#define _SHIM_LINUX_MODULE_H

#include <linux/export.h>
#include <linux/init.h>

struct module;

#define MODULE_LICENSE(x)		struct __shim_module_unused
#define MODULE_AUTHOR(x)		struct __shim_module_unused
#define MODULE_DESCRIPTION(x)		struct __shim_module_unused
#define MODULE_ALIAS(x)			struct __shim_module_unused
#define MODULE_IMPORT_NS(x)		struct __shim_module_unused
#define MODULE_SOFTDEP(x)		struct __shim_module_unused
#define MODULE_DEVICE_TABLE(t, n)	struct __shim_module_unused

#define module_init(fn)							\
	static initcall_t __used __shim_module_init_##fn = fn
#define module_exit(fn)							\
	static exitcall_t __used __shim_module_exit_##fn = fn

#define module_param(name, type, perm)	struct __shim_module_unused
#define MODULE_PARM_DESC(name, desc)	struct __shim_module_unused

#endif
