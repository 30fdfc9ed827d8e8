/* SPDX-License-Identifier: GPL-2.0-only */
/* Userspace shim: the kernel string helpers on top of libc's. */
#ifndef _SHIM_LINUX_STRING_H
#define _SHIM_LINUX_STRING_H

#include <linux/types.h>
#include <string.h>

#ifndef E2BIG
#include <linux/errno.h>
#endif

/* strscpy(): copies at most size - 1 bytes; -E2BIG when truncated */
static inline ssize_t strscpy(char *dst, const char *src, size_t size)
{
	size_t i;

	if (!size)
		return -E2BIG;
	for (i = 0; i < size - 1 && src[i]; i++)
		dst[i] = src[i];
	dst[i] = '\0';
	return src[i] ? -E2BIG : (ssize_t)i;
}

/* Word at a time over the aligned middle, as the kernel's lib/string.c. */
static inline void *memchr_inv(const void *start, int c, size_t bytes)
{
	const u8 *p = start, *end = p + bytes;
	u64 pattern = 0x0101010101010101ULL * (u8)c;

	while (p < end && ((unsigned long)p & 7))
		if (*p++ != (u8)c)
			return (void *)(p - 1);
	for (; end - p >= 8; p += 8) {
		u64 v;

		__builtin_memcpy(&v, p, 8);
		if (v != pattern)
			break;
	}
	for (; p < end; p++)
		if (*p != (u8)c)
			return (void *)p;
	return NULL;
}

static inline bool mem_is_zero(const void *s, size_t n)
{
	return !memchr_inv(s, 0, n);
}

char *kstrdup(const char *s, gfp_t gfp);
const char *kstrdup_const(const char *s, gfp_t gfp);
void *kmemdup(const void *src, size_t len, gfp_t gfp);

#endif
