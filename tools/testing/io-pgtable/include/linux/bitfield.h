/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Userspace shim: FIELD_PREP()/FIELD_GET() over a constant contiguous mask.
 */
#ifndef _SHIM_LINUX_BITFIELD_H
#define _SHIM_LINUX_BITFIELD_H

#include <linux/build_bug.h>
#include <linux/bits.h>

#define __bf_shf(x)	(__builtin_ffsll(x) - 1)

#define __BF_FIELD_CHECK(_mask, _reg, _val, _pfx)			\
	({								\
		BUILD_BUG_ON_MSG(!__builtin_constant_p(_mask),		\
				 _pfx "mask is not constant");		\
		BUILD_BUG_ON_MSG((_mask) == 0, _pfx "mask is zero");	\
		BUILD_BUG_ON_MSG(__builtin_constant_p(_val) ?		\
				 ~((_mask) >> __bf_shf(_mask)) &	\
				 (0 + (_val)) : 0,			\
				 _pfx "value too large for the field");	\
		BUILD_BUG_ON_MSG(((_mask) + (1ULL << __bf_shf(_mask))) & \
				 ((_mask) + (1ULL << __bf_shf(_mask)) - 1), \
				 _pfx "mask is not contiguous");	\
	})

#define FIELD_MAX(_mask)	((typeof(_mask))((_mask) >> __bf_shf(_mask)))
#define FIELD_FIT(_mask, _val)						\
	(!((((typeof(_mask))(_val)) << __bf_shf(_mask)) & ~(_mask)))

#define FIELD_PREP(_mask, _val)						\
	({								\
		__BF_FIELD_CHECK(_mask, 0ULL, _val, "FIELD_PREP: ");	\
		((typeof(_mask))(_val) << __bf_shf(_mask)) & (_mask);	\
	})

#define FIELD_GET(_mask, _reg)						\
	({								\
		__BF_FIELD_CHECK(_mask, _reg, 0U, "FIELD_GET: ");	\
		(typeof(_mask))(((_reg) & (_mask)) >> __bf_shf(_mask));	\
	})

#define u32_encode_bits(v, field)	FIELD_PREP((u32)(field), (v))
#define u64_encode_bits(v, field)	FIELD_PREP((u64)(field), (v))
#define u32_get_bits(v, field)		FIELD_GET((u32)(field), (v))
#define u64_get_bits(v, field)		FIELD_GET((u64)(field), (v))

#endif
