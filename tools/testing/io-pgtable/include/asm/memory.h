/* SPDX-License-Identifier: GPL-2.0-only */
/* Userspace shim: the linear map is in asm/page.h. */
#ifndef _SHIM_ASM_MEMORY_H
#define _SHIM_ASM_MEMORY_H

#include <asm/page.h>

#endif
