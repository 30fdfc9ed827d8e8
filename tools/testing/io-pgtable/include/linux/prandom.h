/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Userspace shim: the kernel's seeded pseudo-random state (a small
 * xorshift generator here; the kernel uses Tausworthe, sequences differ).
 */
#ifndef _SHIM_LINUX_PRANDOM_H
#define _SHIM_LINUX_PRANDOM_H

#include <linux/random.h>
#include <linux/types.h>

struct rnd_state {
	u64 s;
};

static inline void prandom_seed_state(struct rnd_state *state, u64 seed)
{
	state->s = seed ? seed : 0x9e3779b97f4a7c15ULL;
}

static inline u32 prandom_u32_state(struct rnd_state *state)
{
	u64 x = state->s;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	state->s = x;
	return (u32)(x >> 32);
}

static inline void prandom_bytes_state(struct rnd_state *state, void *buf,
				       size_t nbytes)
{
	u8 *p = buf;

	while (nbytes--)
		*p++ = (u8)prandom_u32_state(state);
}

#endif
