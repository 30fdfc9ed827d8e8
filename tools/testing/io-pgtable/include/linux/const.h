/* SPDX-License-Identifier: GPL-2.0-only */
/* Userspace shim: _AC()/_BITUL() from uapi, plus the kernel's UL()/ULL(). */
#ifndef _SHIM_LINUX_CONST_H
#define _SHIM_LINUX_CONST_H

#include_next <linux/const.h>

#define UL(x)		(_UL(x))
#define ULL(x)		(_ULL(x))

#endif
