/* SPDX-License-Identifier: GPL-2.0-only */
/* Userspace shim: cpu_relax() comes with the scheduling shim. */
#ifndef _SHIM_LINUX_PROCESSOR_H
#define _SHIM_LINUX_PROCESSOR_H

#include <linux/sched.h>

#endif
