/* SPDX-License-Identifier: GPL-2.0-only */
/* Userspace shim: see linux/numa.h. */
#ifndef _SHIM_LINUX_TOPOLOGY_H
#define _SHIM_LINUX_TOPOLOGY_H

#include <linux/numa.h>

#endif
