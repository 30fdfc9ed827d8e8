/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The pseudo-random streams shared by the guest's init program and the host's
 * disk check: the disk content is a pure function of (seed, byte offset), so
 * overlapping or reordered writes leave one well-defined image that the host
 * can regenerate without replaying the guest's I/O.
 */
#ifndef IOPT_PATTERN_H
#define IOPT_PATTERN_H

#include <stdint.h>
#include <stddef.h>

/* splitmix64's finaliser: a bijective 64-bit mix. */
static inline uint64_t iopt_mix(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	x ^= x >> 31;
	return x;
}

/* A generator for sizes, offsets and orders. */
static inline uint64_t iopt_next(uint64_t *state)
{
	*state += 0x9e3779b97f4a7c15ULL;
	return iopt_mix(*state);
}

/* The 64-bit word stored at disk byte offset @pos (a multiple of 8). */
static inline uint64_t iopt_disk_word(uint64_t seed, uint64_t pos)
{
	return iopt_mix(seed ^ ((pos >> 3) * 0xd1342543de82ef95ULL));
}

/* Fill @len bytes (a multiple of 8) of the disk image starting at @pos. */
static inline void iopt_disk_fill(uint64_t seed, uint64_t pos, void *buf,
				  size_t len)
{
	uint64_t *w = buf;
	size_t i;

	for (i = 0; i < len / 8; i++)
		w[i] = iopt_disk_word(seed, pos + 8 * i);
}

/* Index of the first differing byte, or -1 when @buf holds the pattern. */
static inline long iopt_disk_check(uint64_t seed, uint64_t pos,
				   const void *buf, size_t len)
{
	const uint64_t *w = buf;
	size_t i;

	for (i = 0; i < len / 8; i++) {
		uint64_t want = iopt_disk_word(seed, pos + 8 * i);

		if (w[i] != want) {
			const uint8_t *g = (const uint8_t *)&w[i];
			const uint8_t *e = (const uint8_t *)&want;
			int b;

			for (b = 0; b < 8 && g[b] == e[b]; b++)
				;
			return (long)(8 * i + b);
		}
	}
	return -1;
}

#endif /* IOPT_PATTERN_H */
