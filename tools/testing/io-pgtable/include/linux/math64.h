/* SPDX-License-Identifier: GPL-2.0-only */
/* Userspace shim: 64-bit division helpers live in linux/math.h here. */
#ifndef _SHIM_LINUX_MATH64_H
#define _SHIM_LINUX_MATH64_H

#include <linux/math.h>

#endif
