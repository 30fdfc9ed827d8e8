/* SPDX-License-Identifier: GPL-2.0-only */
/* Userspace shim: see linux/io.h. */
#ifndef _SHIM_ASM_IO_H
#define _SHIM_ASM_IO_H

#include <linux/io.h>

#endif
