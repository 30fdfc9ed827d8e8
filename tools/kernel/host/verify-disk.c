// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host-side check of the guest's disk image after `make run`: regenerate the
 * pseudo-random stream (guest/pattern.h) and compare every byte of the region
 * the guest wrote; everything outside it must still be zero.
 *
 *   verify-disk IMAGE SEED BASE LEN
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../guest/pattern.h"

#define CHUNK	(4UL << 20)

int main(int argc, char **argv)
{
	unsigned long long seed, base, len, pos, size, good = 0;
	static uint64_t buf[CHUNK / 8];
	struct stat st;
	int fd, bad = 0;

	if (argc != 5) {
		fprintf(stderr, "usage: %s IMAGE SEED BASE LEN\n", argv[0]);
		return 2;
	}
	seed = strtoull(argv[2], NULL, 0);
	base = strtoull(argv[3], NULL, 0);
	len = strtoull(argv[4], NULL, 0);
	fd = open(argv[1], O_RDONLY);
	if (fd < 0 || fstat(fd, &st)) {
		perror(argv[1]);
		return 1;
	}
	size = st.st_size;
	for (pos = 0; pos < size && bad < 10; pos += CHUNK) {
		size_t n = size - pos < CHUNK ? size - pos : CHUNK, i;

		if (pread(fd, buf, n, pos) != (ssize_t)n) {
			perror("pread");
			return 1;
		}
		for (i = 0; i < n / 8; i++) {
			unsigned long long at = pos + 8 * i;
			uint64_t want = 0;

			if (at >= base && at < base + len)
				want = iopt_disk_word(seed, at);
			if (buf[i] != want) {
				if (bad++ < 10)
					fprintf(stderr, "disk image: word at byte %llu is %#llx, want %#llx\n",
						at, (unsigned long long)buf[i],
						(unsigned long long)want);
			} else if (want || (at >= base && at < base + len)) {
				good += 8;
			}
		}
	}
	close(fd);
	printf("disk image: %llu MiB verified on the host, %d bad words\n",
	       good >> 20, bad);
	return bad ? 1 : 0;
}
