/* SPDX-License-Identifier: GPL-2.0-only */
/* Userspace shim: delays. */
#ifndef _SHIM_LINUX_DELAY_H
#define _SHIM_LINUX_DELAY_H

#include <linux/kernel.h>

void msleep(unsigned int msecs);
void udelay(unsigned long usecs);
#define ndelay(n)	udelay(((n) + 999) / 1000)
#define mdelay(n)	udelay((n) * 1000UL)
#define usleep_range(min, max)	do { might_sleep(); udelay(min); } while (0)

#endif
