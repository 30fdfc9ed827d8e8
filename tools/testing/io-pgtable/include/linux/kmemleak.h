/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Userspace shim: kmemleak hints.  The shim's leak check counts frees, not
 * references, so a kmemleak_ignore()d object must still be freed.
 * kmemleak_ignore() marks the object (shim_kmemleak_state() reads the mark)
 * and fails the test for memory kmemleak does not track (pages).
 */
#ifndef _SHIM_LINUX_KMEMLEAK_H
#define _SHIM_LINUX_KMEMLEAK_H

#include <linux/types.h>

void kmemleak_ignore(const void *ptr);
static inline void kmemleak_not_leak(const void *ptr) { (void)ptr; }
static inline void kmemleak_no_scan(const void *ptr) { (void)ptr; }
static inline void kmemleak_free(const void *ptr) { (void)ptr; }

#endif
