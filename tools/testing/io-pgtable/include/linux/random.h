/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Userspace shim: get_random_*() from a deterministic generator, seeded by
 * shim_random_seed() (the KUnit runner seeds it per case from -s SEED).
 */
#ifndef _SHIM_LINUX_RANDOM_H
#define _SHIM_LINUX_RANDOM_H

#include <linux/types.h>

u64 get_random_u64(void);
void shim_random_seed(u64 seed);

static inline u32 get_random_u32(void)
{
	return (u32)(get_random_u64() >> 32);
}

static inline u32 get_random_u32_below(u32 ceil)
{
	return (u32)(((u64)get_random_u32() * ceil) >> 32);
}

static inline u32 get_random_u32_inclusive(u32 floor, u32 ceil)
{
	return floor + get_random_u32_below(ceil - floor + 1);
}

static inline void get_random_bytes(void *buf, size_t len)
{
	u8 *p = buf;

	while (len--)
		*p++ = (u8)get_random_u32();
}

#endif
