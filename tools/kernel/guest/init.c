// SPDX-License-Identifier: GPL-2.0-only
/*
 * The guest's /init for `make run`: drive real DMA through the SMMUv3 and our
 * page tables, verify every byte, and report to the host on the console.
 *
 *   groups  every PCI device sits in an IOMMU group with a translated DMA
 *           domain (DMA with iommu.strict=1, DMA-FQ with lazy invalidation)
 *   disk    O_DIRECT writes of a pseudo-random image to /dev/vda in mixed
 *           sizes, disk offsets and buffer offsets, in shuffled order; read
 *           back with a different split and verify every byte
 *   net     AF_PACKET frames of mixed sizes from eth0 to eth1 and back over
 *           QEMU's hub; verify every payload, in order
 *   log     no SMMU event or fault in the kernel log
 *   debug   (iopt.debug=1, the make run DEBUG=1 kernel) two kmemleak scans
 *           after every test, the report read back; the DMA-API debug error
 *           count; whether lockdep is still on; the kernel's taint
 *
 * Lines starting with "IOPT " are for the host (tools/kernel/boot.py).
 * Parameters come from the kernel command line: iopt.seed=, iopt.mib=,
 * iopt.frames=, iopt.strict=, iopt.debug=.  Built static against the cross
 * toolchain's libc; it powers the machine off when done, whatever happened.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/klog.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "pattern.h"

#define MiB		(1024UL * 1024)
#define SECTOR		512UL
#define MIN_IO		(4 * 1024UL)
#define MAX_IO		(4 * MiB)
#define BUF_SLACK	(64 * 1024UL)	/* room for the buffer offsets */
#define ETH_P_IOPT	0x88b5		/* IEEE local experimental */
#define NET_WINDOW	32

static uint64_t seed = 1;
static unsigned long disk_mib = 256;
static unsigned long nframes = 10000;
static int strict = 1;
static int debug;
static int failures;
static struct timespec t_start;

static double elapsed(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t_start.tv_sec) + (t.tv_nsec - t_start.tv_nsec) / 1e9;
}

static void say(const char *fmt, ...)
{
	va_list ap;

	printf("IOPT [%7.2fs] ", elapsed());
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

static void fail(const char *fmt, ...)
{
	va_list ap;

	failures++;
	printf("IOPT FAIL ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

static int read_file(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = 0;
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = 0;
	return 0;
}

static void parse_cmdline(void)
{
	char line[4096], *tok, *save;

	if (read_file("/proc/cmdline", line, sizeof(line)))
		return;
	for (tok = strtok_r(line, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		if (!strncmp(tok, "iopt.seed=", 10))
			seed = strtoull(tok + 10, NULL, 0);
		else if (!strncmp(tok, "iopt.mib=", 9))
			disk_mib = strtoul(tok + 9, NULL, 0);
		else if (!strncmp(tok, "iopt.frames=", 12))
			nframes = strtoul(tok + 12, NULL, 0);
		else if (!strncmp(tok, "iopt.strict=", 12))
			strict = atoi(tok + 12);
		else if (!strncmp(tok, "iopt.debug=", 11))
			debug = atoi(tok + 11);
	}
}

/* ---- groups ------------------------------------------------------------ */

static void check_groups(void)
{
	const char *want = strict ? "DMA" : "DMA-FQ";
	char path[512], buf[256], type[64];
	int ndev = 0, nvirtio = 0;
	struct dirent *de;
	DIR *d;

	say("groups: checking IOMMU domains (want %s)", want);
	d = opendir("/sys/bus/pci/devices");
	if (!d) {
		fail("groups: no /sys/bus/pci/devices");
		return;
	}
	while ((de = readdir(d))) {
		char vendor[32] = "?", device[32] = "?", *grp;
		ssize_t n;

		if (de->d_name[0] == '.')
			continue;
		ndev++;
		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/vendor", de->d_name);
		read_file(path, vendor, sizeof(vendor));
		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/device", de->d_name);
		read_file(path, device, sizeof(device));
		if (!strcmp(vendor, "0x1af4"))
			nvirtio++;
		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/iommu_group", de->d_name);
		n = readlink(path, buf, sizeof(buf) - 1);
		if (n < 0) {
			char class[32] = "";

			/* A host bridge does no DMA and needs no translation. */
			snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/class",
				 de->d_name);
			read_file(path, class, sizeof(class));
			if (!strncmp(class, "0x0600", 6)) {
				say("groups: %s %s:%s host bridge, no DMA, no group",
				    de->d_name, vendor, device);
				continue;
			}
			fail("groups: %s (%s:%s) has no IOMMU group", de->d_name, vendor, device);
			continue;
		}
		buf[n] = 0;
		grp = strrchr(buf, '/');
		grp = grp ? grp + 1 : buf;
		snprintf(path, sizeof(path), "/sys/kernel/iommu_groups/%s/type", grp);
		if (read_file(path, type, sizeof(type))) {
			fail("groups: cannot read %s", path);
			continue;
		}
		say("groups: %s %s:%s group %s type %s", de->d_name, vendor, device, grp, type);
		if (strcmp(type, "DMA") && strcmp(type, "DMA-FQ"))
			fail("groups: %s group %s is %s, not a translated DMA domain",
			     de->d_name, grp, type);
		else if (strcmp(type, want))
			fail("groups: %s group %s is %s, want %s", de->d_name, grp, type, want);
	}
	closedir(d);
	if (nvirtio < 3)
		fail("groups: %d virtio devices, want 3 (1 blk + 2 net)", nvirtio);
	say("groups: %d PCI devices, %d virtio, all checked", ndev, nvirtio);
	printf("IOPT-RESULT groups=%d virtio=%d\n", ndev, nvirtio);
}

/* ---- disk -------------------------------------------------------------- */

struct io {
	uint64_t pos;
	uint32_t len;
};

/* Split [base, base + total) into I/Os of 4K..4M (multiples of a sector). */
static struct io *split(uint64_t *rng, uint64_t base, uint64_t total, size_t *count)
{
	size_t cap = total / MIN_IO + 1, n = 0;
	struct io *ios = malloc(cap * sizeof(*ios));
	uint64_t pos = base, end = base + total;

	while (pos < end) {
		/* Log-uniform between 4K and 4M: many small, some large. */
		unsigned int shift = 12 + iopt_next(rng) % 11;
		uint64_t len = (1UL << shift) + (iopt_next(rng) % (1UL << shift));

		len = len / SECTOR * SECTOR;
		if (len > MAX_IO)
			len = MAX_IO;
		if (len > end - pos)
			len = end - pos;
		ios[n].pos = pos;
		ios[n].len = len;
		pos += len;
		n++;
	}
	*count = n;
	return ios;
}

static void shuffle(uint64_t *rng, struct io *ios, size_t n)
{
	size_t i;

	for (i = n - 1; i > 0; i--) {
		size_t j = iopt_next(rng) % (i + 1);
		struct io t = ios[i];

		ios[i] = ios[j];
		ios[j] = t;
	}
}

static void check_disk(void)
{
	uint64_t rng = seed ^ 0x6469736bULL, size = 0, base, total, done = 0;
	size_t n, i, bad = 0;
	struct io *ios;
	uint8_t *mem;
	double t;
	int fd;

	fd = open("/dev/vda", O_RDWR | O_DIRECT);
	if (fd < 0) {
		fail("disk: open /dev/vda: %s", strerror(errno));
		return;
	}
	ioctl(fd, BLKGETSIZE64, &size);
	total = disk_mib * MiB;
	/* An unaligned start, so that no I/O is 4K-aligned on the disk by luck. */
	base = MiB + SECTOR * (1 + iopt_next(&rng) % 255);
	if (base + total > size) {
		fail("disk: /dev/vda has %llu bytes, need %llu",
		     (unsigned long long)size, (unsigned long long)(base + total));
		close(fd);
		return;
	}
	if (posix_memalign((void **)&mem, 65536, MAX_IO + BUF_SLACK)) {
		fail("disk: no memory");
		close(fd);
		return;
	}
	printf("IOPT-RESULT disk-region base=%llu len=%llu size=%llu\n",
	       (unsigned long long)base, (unsigned long long)total,
	       (unsigned long long)size);

	ios = split(&rng, base, total, &n);
	shuffle(&rng, ios, n);
	say("disk: writing %lu MiB in %zu O_DIRECT writes (4K..4M, shuffled)", disk_mib, n);
	t = elapsed();
	for (i = 0; i < n; i++) {
		/* A buffer offset in the first 64K: every sub-page alignment. */
		uint8_t *buf = mem + SECTOR * (iopt_next(&rng) % (BUF_SLACK / SECTOR));
		ssize_t r;

		iopt_disk_fill(seed, ios[i].pos, buf, ios[i].len);
		r = pwrite(fd, buf, ios[i].len, ios[i].pos);
		if (r != (ssize_t)ios[i].len) {
			fail("disk: pwrite %u at %llu: %zd (%s)", ios[i].len,
			     (unsigned long long)ios[i].pos, r, strerror(errno));
			bad++;
			break;
		}
		if ((i + 1) % (n / 4 + 1) == 0)
			say("disk: written %zu/%zu", i + 1, n);
	}
	if (fsync(fd))
		fail("disk: fsync: %s", strerror(errno));
	say("disk: write done in %.1fs", elapsed() - t);
	free(ios);
	if (bad)
		goto out;

	/* Read back with a different split and order. */
	ios = split(&rng, base, total, &n);
	shuffle(&rng, ios, n);
	say("disk: reading back in %zu O_DIRECT reads, verifying every byte", n);
	t = elapsed();
	for (i = 0; i < n; i++) {
		uint8_t *buf = mem + SECTOR * (iopt_next(&rng) % (BUF_SLACK / SECTOR));
		ssize_t r;
		long at;

		memset(buf, 0xa5, ios[i].len);
		r = pread(fd, buf, ios[i].len, ios[i].pos);
		if (r != (ssize_t)ios[i].len) {
			fail("disk: pread %u at %llu: %zd (%s)", ios[i].len,
			     (unsigned long long)ios[i].pos, r, strerror(errno));
			bad++;
			continue;
		}
		at = iopt_disk_check(seed, ios[i].pos, buf, ios[i].len);
		if (at >= 0) {
			if (bad < 10)
				fail("disk: mismatch at disk byte %llu (read of %u at %llu)",
				     (unsigned long long)(ios[i].pos + at), ios[i].len,
				     (unsigned long long)ios[i].pos);
			bad++;
			continue;
		}
		done += ios[i].len;
	}
	say("disk: read done in %.1fs", elapsed() - t);
	free(ios);
out:
	close(fd);
	free(mem);
	if (bad)
		fail("disk: %zu bad I/Os", bad);
	say("disk: %llu MiB verified", (unsigned long long)(done / MiB));
	printf("IOPT-RESULT disk-verified-bytes=%llu bad=%zu\n",
	       (unsigned long long)done, bad);
}

/* ---- net --------------------------------------------------------------- */

struct nic {
	char name[IFNAMSIZ];
	int ifindex;
	uint8_t mac[6];
	int sock;
};

static int nic_open(struct nic *nic, const char *name)
{
	struct sockaddr_ll sll = { 0 };
	struct ifreq ifr = { 0 };
	int one = 1, bufsz = 4 * 1024 * 1024;
	int ctl = socket(AF_PACKET, SOCK_DGRAM, 0);

	if (ctl < 0) {
		fail("net: socket: %s", strerror(errno));
		return -1;
	}
	snprintf(nic->name, sizeof(nic->name), "%s", name);
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (ioctl(ctl, SIOCGIFINDEX, &ifr)) {
		fail("net: %s: SIOCGIFINDEX: %s", name, strerror(errno));
		close(ctl);
		return -1;
	}
	nic->ifindex = ifr.ifr_ifindex;
	if (ioctl(ctl, SIOCGIFHWADDR, &ifr)) {
		fail("net: %s: SIOCGIFHWADDR: %s", name, strerror(errno));
		close(ctl);
		return -1;
	}
	memcpy(nic->mac, ifr.ifr_hwaddr.sa_data, 6);
	if (ioctl(ctl, SIOCGIFFLAGS, &ifr) == 0) {
		ifr.ifr_flags |= IFF_UP;
		if (ioctl(ctl, SIOCSIFFLAGS, &ifr))
			fail("net: %s: SIOCSIFFLAGS: %s", name, strerror(errno));
	}
	close(ctl);

	nic->sock = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_IOPT));
	if (nic->sock < 0) {
		fail("net: AF_PACKET socket: %s", strerror(errno));
		return -1;
	}
	setsockopt(nic->sock, SOL_SOCKET, SO_RCVBUF, &bufsz, sizeof(bufsz));
	setsockopt(nic->sock, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof(one));
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(ETH_P_IOPT);
	sll.sll_ifindex = nic->ifindex;
	if (bind(nic->sock, (struct sockaddr *)&sll, sizeof(sll))) {
		fail("net: bind %s: %s", name, strerror(errno));
		return -1;
	}
	say("net: %s ifindex %d mac %02x:%02x:%02x:%02x:%02x:%02x up", name,
	    nic->ifindex, nic->mac[0], nic->mac[1], nic->mac[2], nic->mac[3],
	    nic->mac[4], nic->mac[5]);
	return 0;
}

/*
 * Frame layout: Ethernet header, then a 12-byte IOPT header (direction,
 * sequence, length), then pseudo-random bytes derived from (seed, dir, seq).
 */
#define HDR_LEN		(ETH_HLEN + 12)
#define MIN_FRAME	60
#define MAX_FRAME	1514

static size_t frame_build(uint8_t *f, const struct nic *from, const struct nic *to,
			  uint32_t dir, uint32_t seq, uint64_t *rng)
{
	size_t len = MIN_FRAME + iopt_next(rng) % (MAX_FRAME - MIN_FRAME + 1);
	uint64_t s = seed ^ ((uint64_t)dir << 40) ^ ((uint64_t)seq << 8);
	uint32_t v;
	size_t i;

	memcpy(f, to->mac, 6);
	memcpy(f + 6, from->mac, 6);
	f[12] = ETH_P_IOPT >> 8;
	f[13] = ETH_P_IOPT & 0xff;
	v = htonl(dir);
	memcpy(f + 14, &v, 4);
	v = htonl(seq);
	memcpy(f + 18, &v, 4);
	v = htonl(len);
	memcpy(f + 22, &v, 4);
	for (i = HDR_LEN; i < len; i += 8) {
		uint64_t w = iopt_next(&s);

		memcpy(f + i, &w, len - i < 8 ? len - i : 8);
	}
	return len;
}

static unsigned long send_frames(struct nic *from, struct nic *to, uint32_t dir)
{
	static uint8_t tx[MAX_FRAME], want[MAX_FRAME], rx[2048];
	uint64_t rng = seed ^ 0x6e6574ULL ^ dir, rng_check = rng;
	unsigned long sent = 0, ok = 0, bad = 0, seq_rx = 0;
	struct sockaddr_ll sll = { 0 };

	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(ETH_P_IOPT);
	sll.sll_ifindex = from->ifindex;
	sll.sll_halen = 6;
	memcpy(sll.sll_addr, to->mac, 6);

	while (seq_rx < nframes) {
		unsigned long window = nframes - sent < NET_WINDOW ? nframes - sent : NET_WINDOW;
		unsigned long i;

		for (i = 0; i < window; i++) {
			size_t len = frame_build(tx, from, to, dir, sent, &rng);

			if (sendto(from->sock, tx, len, 0, (struct sockaddr *)&sll,
				   sizeof(sll)) != (ssize_t)len) {
				fail("net: send %s seq %lu: %s", from->name, sent, strerror(errno));
				return ok;
			}
			sent++;
		}
		/* Receive the window back, in order. */
		while (seq_rx < sent) {
			struct pollfd pfd = { .fd = to->sock, .events = POLLIN };
			size_t len;
			ssize_t r;

			if (poll(&pfd, 1, 3000) <= 0) {
				fail("net: %s: frame %lu of %lu lost (timeout)", to->name,
				     seq_rx, sent);
				return ok;
			}
			r = recv(to->sock, rx, sizeof(rx), 0);
			if (r < 0)
				continue;
			len = frame_build(want, from, to, dir, seq_rx, &rng_check);
			if ((size_t)r < len || memcmp(rx, want, len)) {
				uint32_t seq;

				memcpy(&seq, rx + 18, 4);
				if (bad++ < 10)
					fail("net: %s->%s frame %lu: got %zd bytes seq %u, want %zu bytes",
					     from->name, to->name, seq_rx, r, ntohl(seq), len);
			} else {
				ok++;
			}
			seq_rx++;
		}
		if (sent % 2048 < NET_WINDOW)
			say("net: %s->%s %lu/%lu frames", from->name, to->name, sent, nframes);
	}
	return ok;
}

static void check_net(void)
{
	struct nic a, b;
	unsigned long ok0, ok1;
	double t = elapsed();

	if (nic_open(&a, "eth0") || nic_open(&b, "eth1"))
		return;
	say("net: %lu frames each way, 60..1514 bytes, verified in order", nframes);
	ok0 = send_frames(&a, &b, 0);
	ok1 = send_frames(&b, &a, 1);
	if (ok0 != nframes || ok1 != nframes)
		fail("net: verified %lu + %lu frames, want %lu each way", ok0, ok1, nframes);
	say("net: %lu frames verified in %.1fs", ok0 + ok1, elapsed() - t);
	printf("IOPT-RESULT net-verified-frames=%lu\n", ok0 + ok1);
}

/* ---- kernel log ---------------------------------------------------------- */

static int has(const char *s, const char *w)
{
	return strcasestr(s, w) != NULL;
}

static void check_log(void)
{
	int len = klogctl(10 /* SYSLOG_ACTION_SIZE_BUFFER */, NULL, 0);
	int faults = 0, warns = 0, n;
	char *buf, *line, *save;

	if (len <= 0)
		len = 1 << 20;
	buf = malloc(len + 1);
	n = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, buf, len);
	if (n < 0) {
		fail("log: klogctl: %s", strerror(errno));
		return;
	}
	buf[n] = 0;
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (has(line, "smmu") &&
		    (has(line, "event") || has(line, "fault") || has(line, "gerror") ||
		     has(line, "timeout") || has(line, "abort") || has(line, "stall") ||
		     has(line, "unexpected") || has(line, "unhandled"))) {
			faults++;
			if (faults <= 10)
				printf("IOPT FAULT %s\n", line);
		}
		if (strstr(line, "WARNING:") || strstr(line, "BUG:") || strstr(line, "Oops"))
			warns++;
	}
	free(buf);
	if (faults)
		fail("log: %d SMMU event/fault lines in the kernel log", faults);
	say("log: %d SMMU events/faults, %d kernel warnings (KUnit may warn on purpose)",
	    faults, warns);
	printf("IOPT-RESULT smmu-faults=%d kernel-warnings=%d\n", faults, warns);
}

/*
 * The return of emptied tables (the test-only arm_smmu_v3.pgtable_reclaim):
 * whether it was on, and the walk flushes of whole table spans it issued.
 */
static void check_reclaim(void)
{
	char on[8] = "", walks[32] = "";
	FILE *f;

	f = fopen("/sys/module/arm_smmu_v3/parameters/pgtable_reclaim", "r");
	if (f) {
		if (!fgets(on, sizeof(on), f))
			on[0] = 0;
		fclose(f);
	}
	f = fopen("/sys/module/arm_smmu_v3/parameters/reclaim_walks", "r");
	if (f) {
		if (!fgets(walks, sizeof(walks), f))
			walks[0] = 0;
		fclose(f);
	}
	say("reclaim: pgtable_reclaim=%c, %ld walk flushes of whole table spans",
	    on[0] ? on[0] : '?', walks[0] ? atol(walks) : -1L);
	printf("IOPT-RESULT reclaim=%c reclaim-walks=%ld\n", on[0] == 'Y' ? 'Y' : 'N',
	       walks[0] ? atol(walks) : -1L);
}

/* ---- debug kernel ------------------------------------------------------ */

#define DEBUGFS		"/sys/kernel/debug"
#define KMEMLEAK	DEBUGFS "/kmemleak"

static int write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, s, strlen(s));
	n = n < 0 ? -errno : 0;
	close(fd);
	return n;
}

/*
 * kmemleak reports an object only when it was unreferenced in two scans in a
 * row with the same contents (the first scan records its checksum) and is at
 * least 5 s old, so scan, wait, scan again, then read the report.  Every line
 * goes to the host as "IOPT-KMEMLEAK <line>"; the host names what each leak
 * points at.
 */
static void check_kmemleak(void)
{
	char line[512];
	int i, r, leaks = 0, lines = 0;
	FILE *f;

	for (i = 0; i < 2; i++) {
		if (i)
			sleep(6);
		say("debug: kmemleak scan %d of 2", i + 1);
		r = write_str(KMEMLEAK, "scan");
		if (r) {
			fail("debug: kmemleak scan: %s (kmemleak off?)", strerror(-r));
			printf("IOPT-RESULT kmemleak-scans=%d\n", i);
			return;
		}
	}
	f = fopen(KMEMLEAK, "r");
	if (!f) {
		fail("debug: open %s: %s", KMEMLEAK, strerror(errno));
		printf("IOPT-RESULT kmemleak-scans=2\n");
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = 0;
		if (!strncmp(line, "unreferenced object", 19))
			leaks++;
		printf("IOPT-KMEMLEAK %s\n", line);
		lines++;
	}
	fclose(f);
	say("debug: kmemleak: %d suspected leaks (%d lines)", leaks, lines);
	printf("IOPT-RESULT kmemleak-scans=2 kmemleak-leaks=%d\n", leaks);
}

static void check_debug(void)
{
	char buf[8192], *p;
	long v;

	say("debug: mounting debugfs");
	if (mount("debugfs", DEBUGFS, "debugfs", 0, NULL) && errno != EBUSY) {
		fail("debug: mount debugfs: %s", strerror(errno));
		return;
	}
	check_kmemleak();

	/* Errors DMA-API debugging counted, printed or not (it prints one). */
	if (read_file(DEBUGFS "/dma-api/error_count", buf, sizeof(buf))) {
		fail("debug: no " DEBUGFS "/dma-api/error_count");
	} else {
		v = strtol(buf, NULL, 0);
		printf("IOPT-RESULT dma-api-errors=%ld\n", v);
		if (!read_file(DEBUGFS "/dma-api/disabled", buf, sizeof(buf)))
			printf("IOPT-RESULT dma-api-disabled=%s\n", buf);
		say("debug: DMA-API debug: %ld errors, disabled=%s", v, buf);
	}

	/* Lockdep turns itself off (debug_locks 0) after its first report. */
	if (read_file("/proc/lockdep_stats", buf, sizeof(buf))) {
		fail("debug: no /proc/lockdep_stats");
	} else {
		p = strstr(buf, "debug_locks:");
		v = p ? strtol(p + 12, NULL, 0) : -1;
		printf("IOPT-RESULT debug-locks=%ld\n", v);
		say("debug: lockdep debug_locks=%ld", v);
	}

	if (!read_file("/proc/sys/kernel/tainted", buf, sizeof(buf))) {
		printf("IOPT-RESULT tainted=%s\n", buf);
		say("debug: kernel taint %s", buf);
	}
}

int main(void)
{
	clock_gettime(CLOCK_MONOTONIC, &t_start);
	mkdir("/proc", 0755);
	mkdir("/sys", 0755);
	mkdir("/dev", 0755);
	mount("proc", "/proc", "proc", 0, NULL);
	mount("sysfs", "/sys", "sysfs", 0, NULL);
	mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
	setvbuf(stdout, NULL, _IOLBF, 0);
	parse_cmdline();
	say("init: seed %#llx, %lu MiB, %lu frames each way, strict=%d",
	    (unsigned long long)seed, disk_mib, nframes, strict);

	check_groups();
	check_disk();
	check_net();
	check_reclaim();
	check_log();
	if (debug)
		check_debug();

	printf("IOPT-RESULT failures=%d\n", failures);
	say("init: done, %d failures; powering off", failures);
	fflush(stdout);
	sync();
	/*
	 * With lazy invalidation, let the flush queue drain while the SMMU is
	 * still enabled: its timer runs every 10ms.
	 */
	usleep(200 * 1000);
	reboot(RB_POWER_OFF);
	for (;;)
		pause();
}
