/* SPDX-License-Identifier: GPL-2.0-only */
/* Userspace KUnit: static stubs are not supported; the hooks compile away. */
#ifndef _SHIM_KUNIT_STATIC_STUB_H
#define _SHIM_KUNIT_STATIC_STUB_H

#define KUNIT_STATIC_STUB_REDIRECT(real_fn_name, args...)	do { } while (0)

#endif
