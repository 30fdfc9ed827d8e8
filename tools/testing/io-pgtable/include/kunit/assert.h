/* SPDX-License-Identifier: GPL-2.0-only */
/* Userspace KUnit: assertion kinds. */
#ifndef _SHIM_KUNIT_ASSERT_H
#define _SHIM_KUNIT_ASSERT_H

enum kunit_assert_type {
	KUNIT_ASSERTION,
	KUNIT_EXPECTATION,
};

#endif
