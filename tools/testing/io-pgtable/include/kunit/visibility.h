/* SPDX-License-Identifier: GPL-2.0-only */
/* Userspace KUnit: CONFIG_KUNIT is on, so KUnit-visible symbols are global. */
#ifndef _SHIM_KUNIT_VISIBILITY_H
#define _SHIM_KUNIT_VISIBILITY_H

#define VISIBLE_IF_KUNIT
#define EXPORT_SYMBOL_IF_KUNIT(symbol)	extern typeof(symbol) symbol

#endif
