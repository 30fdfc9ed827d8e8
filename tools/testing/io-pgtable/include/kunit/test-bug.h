/* SPDX-License-Identifier: GPL-2.0-only */
/* Userspace KUnit: the running test, from anywhere. */
#ifndef _SHIM_KUNIT_TEST_BUG_H
#define _SHIM_KUNIT_TEST_BUG_H

#include <linux/compiler.h>

struct kunit;

struct kunit *kunit_get_current_test(void);
void __kunit_fail_current_test(const char *file, int line,
			       const char *fmt, ...) __printf(3, 4);

#define kunit_fail_current_test(fmt, ...)				\
	__kunit_fail_current_test(__FILE__, __LINE__, fmt, ##__VA_ARGS__)

#endif
