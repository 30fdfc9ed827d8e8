// SPDX-License-Identifier: GPL-2.0-only
/*
 * The kernel-API shim of the io-pgtable userspace harness: the allocators
 * (kmalloc, kmem caches, pages) over two arenas, the streaming DMA API with
 * a device-side view, WARN/BUG, printk.  See shim.h and README.md.
 */
#include <linux/device.h>
#include <linux/dma-mapping.h>
#include <linux/gfp.h>
#include <linux/iova_bitmap.h>
#include <linux/delay.h>
#include <linux/kernel.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/random.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/vmstat.h>

#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/membarrier.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <time.h>

#include "shim.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SHIM_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define SHIM_ASAN 1
#endif

#ifdef SHIM_ASAN
#include <sanitizer/asan_interface.h>
#define poison(a, s)	ASAN_POISON_MEMORY_REGION((void *)(a), (s))
#define unpoison(a, s)	ASAN_UNPOISON_MEMORY_REGION((void *)(a), (s))
#else
#define SHIM_ASAN 0
#define poison(a, s)	do { (void)(a); (void)(s); } while (0)
#define unpoison(a, s)	do { (void)(a); (void)(s); } while (0)
#endif

/* slub_debug's patterns: uninitialised, freed, and the redzone */
/*
 * Poisoning allocations and frees catches use of uninitialised and freed
 * memory; the benchmark turns it off (-DSHIM_POISON=0), as a kernel without
 * init_on_alloc/init_on_free does not pay for it.
 */
#ifndef SHIM_POISON
#define SHIM_POISON	1
#endif

#define POISON_INUSE	0x5a
#define POISON_FREE	0x6b
#define POISON_RED	0xcc

#define SZ_4G_ADDR	(1ULL << 32)

static pthread_mutex_t shim_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t print_lock = PTHREAD_MUTEX_INITIALIZER;

#ifdef SHIM_TSAN
/* asm/barrier.h: a release fence not yet taken by a marked store */
__thread int shim_tsan_release_pending;
#endif

/*
 * Copy table memory the CPU may be updating elsewhere into a device view.
 * A cache clean is no CPU access in the kernel; here it reads memory that
 * other threads write with marked accesses (a table entry another mapper
 * sets a software bit in), so under TSan it reads with relaxed atomic
 * loads too, which is what it is: a snapshot, word by word.
 */
static void copy_from_cpu(void *dst, const void *src, size_t size)
{
#ifdef SHIM_TSAN
	uintptr_t s = (uintptr_t)src;
	u8 *d = dst;

	while (size) {
		if (!(s % 8) && size >= 8) {
			u64 v = __atomic_load_n((const u64 *)s, __ATOMIC_RELAXED);

			memcpy(d, &v, 8);
			s += 8; d += 8; size -= 8;
		} else if (!(s % 4) && size >= 4) {
			u32 v = __atomic_load_n((const u32 *)s, __ATOMIC_RELAXED);

			memcpy(d, &v, 4);
			s += 4; d += 4; size -= 4;
		} else {
			*d++ = __atomic_load_n((const u8 *)s, __ATOMIC_RELAXED);
			s++; size--;
		}
	}
#else
	memcpy(dst, src, size);
#endif
}

/* ------------------------------------------------------------------ */
/* failures, WARN, BUG, printk                                         */
/* ------------------------------------------------------------------ */

static unsigned long fail_count;
/* Weak: the benchmark and the stress programs link the shim without KUnit. */
struct kunit;
struct kunit *kunit_get_current_test(void) __weak;
void __kunit_fail_current_test(const char *file, int line,
			       const char *fmt, ...) __weak;

static unsigned long warn_count;
static bool warn_quiet;

static int shim_vsnprintf_ext(char *buf, size_t size, const char *fmt,
			      va_list *ap);

static void shim_puts(const char *prefix, const char *msg)
{
	pthread_mutex_lock(&print_lock);
	fputs(prefix, stdout);
	fputs(msg, stdout);
	if (!*msg || msg[strlen(msg) - 1] != '\n')
		fputc('\n', stdout);
	fflush(stdout);
	pthread_mutex_unlock(&print_lock);
}

void shim_fail(const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	shim_vsnprintf_ext(buf, sizeof(buf), fmt, &ap);
	va_end(ap);
	__atomic_fetch_add(&fail_count, 1, __ATOMIC_RELAXED);
	shim_puts("    # SHIM FAILURE: ", buf);
}

unsigned long shim_fail_count(void)
{
	return __atomic_load_n(&fail_count, __ATOMIC_RELAXED);
}

void shim_forgive_failures(unsigned long count)
{
	__atomic_store_n(&fail_count, count, __ATOMIC_RELAXED);
}

void shim_warn(const char *file, int line, const char *func,
	       const char *fmt, ...)
{
	char msg[768], buf[1024];
	va_list ap;

	__atomic_fetch_add(&warn_count, 1, __ATOMIC_RELAXED);
	if (__atomic_load_n(&warn_quiet, __ATOMIC_RELAXED))
		return;
	va_start(ap, fmt);
	shim_vsnprintf_ext(msg, sizeof(msg), fmt, &ap);
	va_end(ap);
	snprintf(buf, sizeof(buf), "at %s:%d %s(): %s", file, line, func, msg);
	shim_puts("    # WARNING: ", buf);
	/*
	 * A WARN no test asked for fails the test, as make run DEBUG=1
	 * fails the kernel that printed it (and panic_on_warn would stop
	 * it). Tests that expect one say so with shim_warn_quiet(). The
	 * benchmark links no KUnit.
	 */
	if (kunit_get_current_test && kunit_get_current_test())
		__kunit_fail_current_test(file, line, "unexpected WARN in %s()",
					  func);
}

unsigned long shim_warn_count(void)
{
	return __atomic_load_n(&warn_count, __ATOMIC_RELAXED);
}

void shim_warn_quiet(bool quiet)
{
	__atomic_store_n(&warn_quiet, quiet, __ATOMIC_RELAXED);
}

void (*shim_bug_handler)(const char *msg);

void shim_bug(const char *file, int line, const char *func, const char *cond)
{
	char buf[512];

	snprintf(buf, sizeof(buf), "kernel BUG at %s:%d %s(): %s",
		 file, line, func, cond);
	shim_puts("    # ", buf);
	/* the KUnit runner ends the case, as the kernel's kills its thread */
	if (shim_bug_handler)
		shim_bug_handler(buf);
	abort();
}

/*
 * vsnprintf with the kernel's %p extensions used around io-pgtable:
 * %pa[p] (phys_addr_t *), %pad (dma_addr_t *), %px/%pK/%pS/%ps/%pB.
 * Everything else is handed to the C library one conversion at a time.
 */
static int shim_vsnprintf_ext(char *buf, size_t size, const char *fmt,
			      va_list *ap)
{
	size_t pos = 0;

#define EMIT(...)							\
	do {								\
		int __n = snprintf(buf + pos, pos < size ? size - pos : 0, \
				   __VA_ARGS__);			\
		if (__n > 0)						\
			pos += __n;					\
	} while (0)

	if (size)
		buf[0] = '\0';
	while (*fmt) {
		char spec[32];
		const char *start = fmt;
		size_t len;
		char conv;
		int lng = 0;	/* 1: l, 2: ll, 3: z/t/j, -1: h, -2: hh */

		if (*fmt != '%') {
			const char *next = strchr(fmt, '%');

			len = next ? (size_t)(next - fmt) : strlen(fmt);
			EMIT("%.*s", (int)len, fmt);
			fmt += len;
			continue;
		}
		fmt++;
		if (*fmt == '%') {
			EMIT("%%");
			fmt++;
			continue;
		}
		while (*fmt && strchr("-+ #0", *fmt))
			fmt++;
		if (*fmt == '*') {
			fmt++;
		} else {
			while (*fmt >= '0' && *fmt <= '9')
				fmt++;
		}
		if (*fmt == '.') {
			fmt++;
			if (*fmt == '*')
				fmt++;
			else
				while (*fmt >= '0' && *fmt <= '9')
					fmt++;
		}
		for (;;) {
			if (*fmt == 'l') {
				lng = lng == 1 ? 2 : 1;
			} else if (*fmt == 'h') {
				lng = lng == -1 ? -2 : -1;
			} else if (*fmt == 'z' || *fmt == 't' || *fmt == 'j') {
				lng = 3;
			} else if (*fmt == 'L' || *fmt == 'q') {
				lng = 2;
			} else {
				break;
			}
			fmt++;
		}
		conv = *fmt;
		if (!conv)
			break;
		fmt++;
		/* a '*' width or precision takes an int: fold it in */
		len = 0;
		for (const char *s = start; s < fmt && len < sizeof(spec) - 12; s++) {
			if (*s == '*')
				len += snprintf(spec + len, sizeof(spec) - len,
						"%d", va_arg(*ap, int));
			else
				spec[len++] = *s;
		}
		spec[len] = '\0';

		switch (conv) {
		case 'd': case 'i': case 'u': case 'x': case 'X': case 'o':
		case 'c':
			if (lng >= 1) {
				long long v = lng == 1 ? (long long)va_arg(*ap, long) :
					      lng == 2 ? va_arg(*ap, long long) :
					      (long long)va_arg(*ap, size_t);

				/* re-spell the length as ll for one code path */
				char s2[40];
				size_t k = 0;

				for (const char *s = spec; *s && k < sizeof(s2) - 4; s++)
					if (!strchr("lzjtLq", *s) && *s != conv)
						s2[k++] = *s;
				s2[k++] = 'l';
				s2[k++] = 'l';
				s2[k++] = conv;
				s2[k] = '\0';
				EMIT(s2, v);
			} else {
				EMIT(spec, va_arg(*ap, int));
			}
			break;
		case 'f': case 'F': case 'e': case 'E': case 'g': case 'G':
		case 'a': case 'A':
			EMIT(spec, va_arg(*ap, double));
			break;
		case 's': {
			const char *s = va_arg(*ap, const char *);

			EMIT(spec, s ? s : "(null)");
			break;
		}
		case 'p': {
			void *p = va_arg(*ap, void *);

			if (*fmt == 'a') {
				fmt++;
				if (*fmt == 'd' || *fmt == 'p')
					fmt++;
				if (p)
					EMIT("0x%016llx", *(unsigned long long *)p);
				else
					EMIT("(null)");
			} else if (*fmt && strchr("xKSsBFfe", *fmt)) {
				fmt++;
				EMIT("0x%016lx", (unsigned long)p);
			} else {
				EMIT("%p", p);
			}
			break;
		}
		case 'n':
			(void)va_arg(*ap, void *);
			break;
		default:
			EMIT("%s", spec);
			break;
		}
	}
#undef EMIT
	if (size && pos >= size)
		buf[size - 1] = '\0';
	return (int)pos;
}

int shim_vsnprintf(char *buf, size_t size, const char *fmt, va_list args)
{
	va_list ap;
	int n;

	va_copy(ap, args);
	n = shim_vsnprintf_ext(buf, size, fmt, &ap);
	va_end(ap);
	return n;
}

int vscnprintf(char *buf, size_t size, const char *fmt, va_list args)
{
	int n = shim_vsnprintf(buf, size, fmt, args);

	if (!size)
		return 0;
	return (size_t)n >= size ? (int)size - 1 : n;
}

int scnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vscnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

int vprintk(const char *fmt, va_list args)
{
	char buf[1024];
	const char *prefix = "";

	if (fmt[0] == KERN_SOH[0] && fmt[1]) {
		if (fmt[1] <= '3')
			prefix = "    # [err] ";
		else if (fmt[1] == '4')
			prefix = "    # [warn] ";
		else
			prefix = "    # ";
		fmt += 2;
	}
	shim_vsnprintf(buf, sizeof(buf), fmt, args);
	/* KUnit's own lines come indented and formatted already */
	if (buf[0] == ' ')
		prefix = "";
	shim_puts(prefix, buf);
	return (int)strlen(buf);
}

int printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintk(fmt, ap);
	va_end(ap);
	return n;
}

/* ------------------------------------------------------------------ */
/* atomic context                                                      */
/* ------------------------------------------------------------------ */

static __thread int atomic_depth;

void shim_atomic_enter(void)
{
	atomic_depth++;
}

void shim_atomic_exit(void)
{
	if (--atomic_depth < 0) {
		atomic_depth = 0;
		shim_fail("unbalanced spin_unlock/preempt_enable");
	}
}

bool shim_in_atomic(void)
{
	return atomic_depth > 0 || shim_rcu_reading();
}

bool in_atomic(void)
{
	return shim_in_atomic();
}

void might_sleep(void)
{
	if (shim_in_atomic())
		shim_fail("BUG: sleeping function called from invalid context");
}

/* ------------------------------------------------------------------ */
/* RCU (linux/rcupdate.h says what is modelled)                        */
/* ------------------------------------------------------------------ */

#define SHIM_RCU_READERS	1024

__thread struct shim_rcu_reader *shim_rcu_self;
unsigned long shim_rcu_gp = 1;
int shim_rcu_fence;
static struct shim_rcu_reader shim_rcu_readers[SHIM_RCU_READERS];
static pthread_key_t shim_rcu_key;
static pthread_once_t shim_rcu_once = PTHREAD_ONCE_INIT;

static void shim_rcu_exit(void *arg)
{
	struct shim_rcu_reader *r = arg;

	if (r->nest)
		shim_fail("thread exits inside rcu_read_lock()");
	__atomic_store_n(&r->ctr, 0, __ATOMIC_RELEASE);
	__atomic_store_n(&r->used, 0, __ATOMIC_RELEASE);
}

static void shim_rcu_init(void)
{
	if (pthread_key_create(&shim_rcu_key, shim_rcu_exit))
		abort();
#ifndef SHIM_TSAN
	if (syscall(__NR_membarrier, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED,
		    0, 0))
		shim_rcu_fence = 1;
#endif
}

struct shim_rcu_reader *shim_rcu_register(void)
{
	int i;

	pthread_once(&shim_rcu_once, shim_rcu_init);
	for (i = 0; i < SHIM_RCU_READERS; i++) {
		int zero = 0;

		if (__atomic_compare_exchange_n(&shim_rcu_readers[i].used, &zero,
						1, false, __ATOMIC_ACQ_REL,
						__ATOMIC_RELAXED)) {
			shim_rcu_self = &shim_rcu_readers[i];
			pthread_setspecific(shim_rcu_key, shim_rcu_self);
			return shim_rcu_self;
		}
	}
	shim_fail("more than %d threads use RCU", SHIM_RCU_READERS);
	abort();
}

unsigned long get_state_synchronize_rcu(void)
{
	return __atomic_add_fetch(&shim_rcu_gp, 1, __ATOMIC_SEQ_CST);
}

unsigned long start_poll_synchronize_rcu(void)
{
	return get_state_synchronize_rcu();
}

bool poll_state_synchronize_rcu(unsigned long cookie)
{
	int i;

	pthread_once(&shim_rcu_once, shim_rcu_init);
#ifndef SHIM_TSAN
	if (!shim_rcu_fence)
		syscall(__NR_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0);
#endif
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	for (i = 0; i < SHIM_RCU_READERS; i++) {
		unsigned long c = __atomic_load_n(&shim_rcu_readers[i].ctr,
						  __ATOMIC_ACQUIRE);

		if (c && (long)(c - cookie) < 0)
			return false;
	}
	return true;
}

void synchronize_rcu(void)
{
	unsigned long cookie;

	might_sleep();
	cookie = start_poll_synchronize_rcu();
	while (!poll_state_synchronize_rcu(cookie))
		sched_yield();
}

void cond_resched(void)
{
	might_sleep();
}

/* ------------------------------------------------------------------ */
/* arenas, regions, pools                                              */
/* ------------------------------------------------------------------ */

/*
 * Memory comes from two arenas reserved at start-up: HIGH above 4 GiB and
 * LOW below it.  An arena is carved into regions; a region holds objects
 * of one pool (a kmalloc size class, a kmem cache, a page order) at a fixed
 * stride: the object's footprint plus a redzone, rounded to its alignment.
 * Each PAGE_SIZE of an arena has a struct page whose shim_region points to
 * its region, so any address maps to its object in O(1).
 */
enum { ARENA_HIGH, ARENA_LOW, NR_ARENAS };

struct arena {
	const char *name;
	uintptr_t base, end, bump;
	struct page *memmap;
};

static struct arena arenas[NR_ARENAS];

struct shim_obj {
	struct shim_obj *fnext;
	struct shim_region *region;
	const char *file;
	int line;
	bool live;
	bool ksized;
	bool kmemleak_ignored;
	size_t size;		/* requested */
	u64 seq;
};

struct pool {
	char name[48];
	enum shim_mem_kind kind;
	int arena;
	size_t footprint, align, stride, region_bytes;
	unsigned int order;	/* page pools */
	struct shim_obj *fhead, *ftail;
	struct shim_region *cur;
	struct kmem_cache *cache;
	size_t live, live_bytes;
};

struct shim_region {
	struct shim_region *next_all;
	struct pool *pool;
	uintptr_t base;
	size_t stride;
	unsigned int nr, used;
	struct shim_obj objs[];
};

struct kmem_cache {
	struct pool pool;
	char name[64];
	unsigned int size;
	slab_flags_t flags;
	void (*ctor)(void *);
	u64 seq;
	bool live;
	struct kmem_cache *next;
};

static struct shim_region *all_regions;
static struct kmem_cache *all_caches;

#define NR_KMALLOC_CLASSES	24
static size_t kmalloc_class_size[NR_KMALLOC_CLASSES];
static unsigned int nr_kmalloc_classes;
static struct pool kmalloc_pools[NR_ARENAS][NR_KMALLOC_CLASSES];
/* kmalloc beyond KMALLOC_MAX_CACHE_SIZE and the page allocator, by order */
static struct pool kmalloc_large_pools[NR_ARENAS][MAX_PAGE_ORDER + 1];
static struct pool page_pools[NR_ARENAS][MAX_PAGE_ORDER + 1];

static u64 seq_counter;
static struct shim_mem_stats stats;
static unsigned long caches_created[NR_ARENAS];
static long node_stat[NR_VM_NODE_STAT_ITEMS];
struct pglist_data shim_node0;

/* fault injection */
static unsigned long fail_nth, fail_from, injected, attempts;
static bool fail_all;
static unsigned long dma_fail_nth;

static size_t redzone_for(size_t footprint)
{
	if (footprint >= PAGE_SIZE)
		return PAGE_SIZE;
	return footprint < 16 ? 16 : footprint;
}

static void pool_init(struct pool *p, const char *name, enum shim_mem_kind kind,
		      int arena, size_t footprint, size_t align)
{
	memset(p, 0, sizeof(*p));
	snprintf(p->name, sizeof(p->name), "%s%s", name,
		 arena == ARENA_LOW ? "-dma" : "");
	p->kind = kind;
	p->arena = arena;
	p->footprint = footprint;
	p->align = align;
	p->stride = ALIGN(footprint + redzone_for(footprint), align);
	if (p->stride >= PAGE_SIZE)
		p->region_bytes = ALIGN(p->stride, PAGE_SIZE);
	else
		p->region_bytes = 4 * PAGE_SIZE;
}

/*
 * Where "physical" memory sits.  Real systems have DRAM just above 4 GiB,
 * so ordinary memory starts there, at fixed addresses for reproducible
 * runs.  ASan reserves [2 GiB, 2^44 + 2 GiB) for its shadow, so under ASan
 * ordinary memory sits above that: physical addresses of 45 bits.
 */
#if SHIM_ASAN
#define HIGH_ARENA_HINT	0x100080000000UL
#else
#define HIGH_ARENA_HINT	0x100000000UL
#endif

static void *arena_map(size_t size, bool low)
{
	int flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE;
	void *p = MAP_FAILED;

	if (!low)
		p = mmap((void *)HIGH_ARENA_HINT, size, PROT_READ | PROT_WRITE,
			 flags | MAP_FIXED_NOREPLACE, -1, 0);
#ifdef MAP_32BIT
	if (low)
		flags |= MAP_32BIT;
#endif
	if (p == MAP_FAILED)
		p = mmap(NULL, size, PROT_READ | PROT_WRITE, flags, -1, 0);
	if (p == MAP_FAILED && low) {
		/* no MAP_32BIT: ask for a low hint and refuse anything else */
		p = mmap((void *)(1UL << 30), size, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE |
			 MAP_FIXED_NOREPLACE, -1, 0);
	}
	return p == MAP_FAILED ? NULL : p;
}

static void arena_init(struct arena *a, const char *name, size_t size, bool low)
{
	size_t npages;
	void *base = NULL;

	for (; size >= (64UL << 20); size >>= 1) {
		base = arena_map(size, low);
		if (base)
			break;
	}
	if (!base) {
		fprintf(stderr, "shim: cannot reserve the %s arena\n", name);
		abort();
	}
	a->name = name;
	a->base = (uintptr_t)base;
	a->end = a->base + size;
	/* keep physical address 0..PAGE_SIZE of the arena unused */
	a->bump = a->base + PAGE_SIZE;
	if (low ? a->end > SZ_4G_ADDR : a->base < SZ_4G_ADDR) {
		fprintf(stderr, "shim: %s arena at %#lx-%#lx is on the wrong side of 4 GiB\n",
			name, (unsigned long)a->base, (unsigned long)a->end);
		abort();
	}
	npages = size >> PAGE_SHIFT;
	a->memmap = mmap(NULL, npages * sizeof(struct page),
			 PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (a->memmap == MAP_FAILED) {
		fprintf(stderr, "shim: cannot allocate the %s memmap\n", name);
		abort();
	}
}

__attribute__((constructor(101)))
static void shim_init(void)
{
	size_t sz;
	unsigned int n = 0;

	arena_init(&arenas[ARENA_HIGH], "high", 8UL << 30, false);
	arena_init(&arenas[ARENA_LOW], "low", 1UL << 30, true);

	/* the kernel's kmalloc classes: 8 .. 192, then powers of two */
	for (sz = 8; sz <= 64; sz <<= 1)
		kmalloc_class_size[n++] = sz;
	kmalloc_class_size[n++] = 96;
	kmalloc_class_size[n++] = 128;
	kmalloc_class_size[n++] = 192;
	for (sz = 256; sz <= KMALLOC_MAX_CACHE_SIZE; sz <<= 1)
		kmalloc_class_size[n++] = sz;
	nr_kmalloc_classes = n;

	for (int a = 0; a < NR_ARENAS; a++) {
		for (unsigned int i = 0; i < n; i++) {
			char name[32];
			size_t fp = kmalloc_class_size[i];
			/* natural alignment for powers of two, as SLUB gives */
			size_t align = is_power_of_2(fp) ? fp : (fp == 96 ? 32 : 64);

			snprintf(name, sizeof(name), "kmalloc-%zu", fp);
			pool_init(&kmalloc_pools[a][i], name, SHIM_MEM_KMALLOC,
				  a, fp, align);
		}
		for (unsigned int o = 0; o <= MAX_PAGE_ORDER; o++) {
			char name[32];

			snprintf(name, sizeof(name), "kmalloc-large-o%u", o);
			pool_init(&kmalloc_large_pools[a][o], name,
				  SHIM_MEM_KMALLOC, a, PAGE_SIZE << o,
				  PAGE_SIZE << o);
			kmalloc_large_pools[a][o].order = o;
			snprintf(name, sizeof(name), "pages-o%u", o);
			pool_init(&page_pools[a][o], name, SHIM_MEM_PAGES, a,
				  PAGE_SIZE << o, PAGE_SIZE << o);
			page_pools[a][o].order = o;
		}
	}
}

static struct arena *arena_of(uintptr_t addr)
{
	for (int i = 0; i < NR_ARENAS; i++)
		if (addr >= arenas[i].base && addr < arenas[i].end)
			return &arenas[i];
	return NULL;
}

static struct page *memmap_page(uintptr_t addr)
{
	struct arena *a = arena_of(addr);

	if (!a)
		return NULL;
	return &a->memmap[(addr - a->base) >> PAGE_SHIFT];
}

static struct shim_region *region_new(struct pool *p)
{
	struct arena *a = &arenas[p->arena];
	size_t align = max_t(size_t, p->align, PAGE_SIZE);
	uintptr_t base = ALIGN(a->bump, align);
	unsigned int nr = p->region_bytes / p->stride;
	struct shim_region *r;

	if (base + p->region_bytes > a->end || base + p->region_bytes < base) {
		shim_fail("the %s arena is exhausted (%s)", a->name, p->name);
		return NULL;
	}
	r = calloc(1, sizeof(*r) + nr * sizeof(struct shim_obj));
	if (!r)
		abort();
	r->pool = p;
	r->base = base;
	r->stride = p->stride;
	r->nr = nr;
	poison(a->bump, base + p->region_bytes - a->bump);
	for (uintptr_t pg = base; pg < base + p->region_bytes; pg += PAGE_SIZE)
		memmap_page(pg)->shim_region = r;
	a->bump = base + p->region_bytes;
	r->next_all = all_regions;
	all_regions = r;
	return r;
}

static inline uintptr_t obj_addr(const struct shim_obj *o)
{
	const struct shim_region *r = o->region;

	return r->base + (size_t)(o - r->objs) * r->stride;
}

/* the object containing @addr (live or free), or NULL */
static struct shim_obj *obj_lookup(uintptr_t addr)
{
	struct page *pg = memmap_page(addr);
	struct shim_region *r;
	size_t idx;

	if (!pg || !(r = pg->shim_region) || addr < r->base)
		return NULL;
	idx = (addr - r->base) / r->stride;
	if (idx >= r->used)
		return NULL;
	if (addr - (r->base + idx * r->stride) >= r->pool->footprint)
		return NULL;
	return &r->objs[idx];
}

static bool inject_failure(void)
{
	attempts++;
	if (fail_all) {
		injected++;
		return true;
	}
	if (fail_nth && --fail_nth == 0) {
		injected++;
		return true;
	}
	if (fail_from && --fail_from == 0) {
		fail_all = true;
		injected++;
		return true;
	}
	return false;
}

static void stats_add(struct pool *p, long sign)
{
	size_t fp = p->footprint;

	if (sign > 0) {
		p->live++;
		p->live_bytes += fp;
		stats.count[p->kind]++;
		stats.bytes[p->kind] += fp;
		stats.total_count++;
		stats.total_bytes += fp;
		if (p->arena == ARENA_LOW)
			stats.low_bytes += fp;
		if (stats.total_bytes > stats.peak_bytes)
			stats.peak_bytes = stats.total_bytes;
	} else {
		p->live--;
		p->live_bytes -= fp;
		stats.count[p->kind]--;
		stats.bytes[p->kind] -= fp;
		stats.total_count--;
		stats.total_bytes -= fp;
		if (p->arena == ARENA_LOW)
			stats.low_bytes -= fp;
	}
}

/* lock held */
static void *pool_alloc(struct pool *p, size_t size, gfp_t gfp,
			const char *file, int line)
{
	struct shim_obj *o = p->fhead;
	uintptr_t addr;

	if (o) {
		p->fhead = o->fnext;
		if (!p->fhead)
			p->ftail = NULL;
	} else {
		struct shim_region *r = p->cur;

		if (!r || r->used == r->nr) {
			r = region_new(p);
			if (!r)
				return NULL;
			p->cur = r;
		}
		o = &r->objs[r->used++];
		o->region = r;
	}
	o->fnext = NULL;
	o->live = true;
	o->ksized = false;
	o->kmemleak_ignored = false;
	o->size = size;
	o->file = file;
	o->line = line;
	o->seq = ++seq_counter;
	addr = obj_addr(o);
	unpoison(addr, size);
	if (gfp & __GFP_ZERO)
		memset((void *)addr, 0, size);
	else if (SHIM_POISON)
		memset((void *)addr, POISON_INUSE, size);
	if (SHIM_POISON && !SHIM_ASAN && size < p->footprint)
		memset((void *)(addr + size), POISON_RED, p->footprint - size);
	stats_add(p, 1);
	return (void *)addr;
}

static bool dma_overlaps_locked(uintptr_t start, size_t size);

/* lock held */
static void pool_free(struct shim_obj *o, const char *file, int line)
{
	struct pool *p = o->region->pool;
	uintptr_t addr = obj_addr(o);

	if (dma_overlaps_locked(addr, p->footprint))
		shim_fail("%s:%d frees %s object %#lx (from %s:%d) while it is still DMA-mapped",
			  file, line, p->name, (unsigned long)addr, o->file, o->line);
	if (SHIM_POISON && !SHIM_ASAN && !o->ksized && o->size < p->footprint) {
		const u8 *red = memchr_inv((void *)(addr + o->size), POISON_RED,
					   p->footprint - o->size);

		if (red)
			shim_fail("%s object %#lx (%zu bytes, from %s:%d): written beyond its end at +%#lx",
				  p->name, (unsigned long)addr, o->size, o->file,
				  o->line, (unsigned long)((uintptr_t)red - addr));
	}
	unpoison(addr, p->footprint);
	if (SHIM_POISON)
		memset((void *)addr, POISON_FREE, p->footprint);
	poison(addr, p->footprint);
	o->live = false;
	o->file = file;
	o->line = line;
	stats_add(p, -1);
	/* FIFO reuse: a freed object stays poisoned as long as possible */
	if (p->ftail)
		p->ftail->fnext = o;
	else
		p->fhead = o;
	p->ftail = o;
}

static bool check_nid(int nid, const char *file, int line)
{
	if (nid == NUMA_NO_NODE || nid == 0)
		return true;
	shim_fail("%s:%d allocates on NUMA node %d, which does not exist",
		  file, line, nid);
	return false;
}

static bool allocation_may_proceed(gfp_t gfp, const char *file, int line)
{
	if (gfpflags_allow_blocking(gfp) && atomic_depth > 0)
		shim_fail("%s:%d: sleeping allocation (gfp %#x) in atomic context",
			  file, line, gfp);
	return !inject_failure();
}

/* ---------------- kmalloc ---------------- */

static int kmalloc_index(size_t size)
{
	for (unsigned int i = 0; i < nr_kmalloc_classes; i++)
		if (size <= kmalloc_class_size[i])
			return i;
	return -1;
}

size_t kmalloc_size_roundup(size_t size)
{
	int i;

	if (!size)
		return 0;
	i = kmalloc_index(size);
	if (i >= 0)
		return kmalloc_class_size[i];
	return PAGE_SIZE << get_order(size);
}

static gfp_t slab_fix_gfp(gfp_t gfp, const char *file, int line)
{
	if (gfp & (__GFP_DMA32 | __GFP_HIGHMEM)) {
		shim_fail("%s:%d: Unexpected gfp %#x for a slab allocation (__GFP_DMA32/__GFP_HIGHMEM). Fix your code!",
			  file, line, gfp);
		gfp &= ~(__GFP_DMA32 | __GFP_HIGHMEM);
	}
	return gfp;
}

void *shim_kmalloc(size_t size, gfp_t gfp, const char *file, int line)
{
	int arena, idx;
	struct pool *p;
	void *ret = NULL;

	gfp = slab_fix_gfp(gfp, file, line);
	if (!size)
		return ZERO_SIZE_PTR;
	arena = (gfp & __GFP_DMA) ? ARENA_LOW : ARENA_HIGH;
	idx = kmalloc_index(size);
	if (idx >= 0) {
		p = &kmalloc_pools[arena][idx];
	} else {
		int order = get_order(size);

		if (order > MAX_PAGE_ORDER) {
			if (!(gfp & __GFP_NOWARN))
				WARN(1, "kmalloc of %zu bytes from %s:%d is beyond KMALLOC_MAX_SIZE",
				     size, file, line);
			return NULL;
		}
		p = &kmalloc_large_pools[arena][order];
	}
	pthread_mutex_lock(&shim_lock);
	if (allocation_may_proceed(gfp, file, line))
		ret = pool_alloc(p, size, gfp, file, line);
	pthread_mutex_unlock(&shim_lock);
	return ret;
}

void shim_kfree(const void *objp, const char *file, int line)
{
	struct shim_obj *o;

	if (ZERO_OR_NULL_PTR(objp))
		return;
	pthread_mutex_lock(&shim_lock);
	o = obj_lookup((uintptr_t)objp);
	if (!o || !o->live || obj_addr(o) != (uintptr_t)objp) {
		shim_fail("%s:%d: kfree(%p): %s", file, line, objp,
			  !o ? "not a kernel allocation" :
			  !o->live ? "double free" : "not the start of an object");
	} else if (o->region->pool->kind == SHIM_MEM_PAGES) {
		shim_fail("%s:%d: kfree(%p) of memory from the page allocator (allocated at %s:%d)",
			  file, line, objp, o->file, o->line);
	} else {
		pool_free(o, file, line);
	}
	pthread_mutex_unlock(&shim_lock);
}

size_t ksize(const void *objp)
{
	struct shim_obj *o;
	size_t ret = 0;

	if (ZERO_OR_NULL_PTR(objp))
		return 0;
	pthread_mutex_lock(&shim_lock);
	o = obj_lookup((uintptr_t)objp);
	if (!o || !o->live || obj_addr(o) != (uintptr_t)objp) {
		shim_fail("ksize(%p): not a live object", objp);
	} else {
		ret = o->region->pool->footprint;
		/* the caller may now use all of it, as KASAN allows */
		if (!o->ksized) {
			unpoison(objp, ret);
			o->ksized = true;
		}
	}
	pthread_mutex_unlock(&shim_lock);
	return ret;
}

char *kstrdup(const char *s, gfp_t gfp)
{
	size_t len;
	char *p;

	if (!s)
		return NULL;
	len = strlen(s) + 1;
	p = kmalloc(len, gfp);
	if (p)
		memcpy(p, s, len);
	return p;
}

const char *kstrdup_const(const char *s, gfp_t gfp)
{
	return kstrdup(s, gfp);
}

void *kmemdup(const void *src, size_t len, gfp_t gfp)
{
	void *p = kmalloc(len, gfp);

	if (p)
		memcpy(p, src, len);
	return p;
}

/* ---------------- kmem caches ---------------- */

struct kmem_cache *kmem_cache_create(const char *name, unsigned int size,
				     unsigned int align, slab_flags_t flags,
				     void (*ctor)(void *))
{
	struct kmem_cache *s;
	size_t a = max_t(size_t, align, ARCH_SLAB_MINALIGN);
	int arena = (flags & (SLAB_CACHE_DMA | SLAB_CACHE_DMA32)) ?
		    ARENA_LOW : ARENA_HIGH;

	if (!size || (align & (align - 1))) {
		shim_fail("kmem_cache_create(%s): bad size %u or align %u",
			  name, size, align);
		return NULL;
	}
	if (flags & SLAB_HWCACHE_ALIGN)
		a = max_t(size_t, a, L1_CACHE_BYTES);
	s = calloc(1, sizeof(*s));
	if (!s)
		abort();
	snprintf(s->name, sizeof(s->name), "%s", name);
	s->size = size;
	s->flags = flags;
	s->ctor = ctor;
	pthread_mutex_lock(&shim_lock);
	pool_init(&s->pool, s->name, SHIM_MEM_CACHE, arena, ALIGN(size, a), a);
	s->pool.cache = s;
	s->seq = ++seq_counter;
	caches_created[arena]++;
	s->live = true;
	s->next = all_caches;
	all_caches = s;
	stats.nr_caches++;
	pthread_mutex_unlock(&shim_lock);
	return s;
}

void *shim_kmem_cache_alloc(struct kmem_cache *s, gfp_t gfp,
			    const char *file, int line)
{
	void *ret = NULL;

	gfp = slab_fix_gfp(gfp, file, line);
	pthread_mutex_lock(&shim_lock);
	if (!s || !s->live)
		shim_fail("%s:%d: kmem_cache_alloc from a destroyed cache",
			  file, line);
	else if (allocation_may_proceed(gfp, file, line))
		ret = pool_alloc(&s->pool, s->size, gfp, file, line);
	pthread_mutex_unlock(&shim_lock);
	if (ret && s->ctor)
		s->ctor(ret);
	return ret;
}

unsigned int kmem_cache_size(struct kmem_cache *s)
{
	return s->size;
}

void kmem_cache_free(struct kmem_cache *s, void *objp)
{
	struct shim_obj *o;

	if (!objp)
		return;
	pthread_mutex_lock(&shim_lock);
	o = obj_lookup((uintptr_t)objp);
	if (!o || !o->live || obj_addr(o) != (uintptr_t)objp)
		shim_fail("kmem_cache_free(%s, %p): %s", s ? s->name : "NULL",
			  objp, !o ? "not a kernel allocation" :
			  !o->live ? "double free" : "not the start of an object");
	else if (o->region->pool != &s->pool)
		shim_fail("kmem_cache_free(%s, %p): object belongs to %s",
			  s->name, objp, o->region->pool->name);
	else
		pool_free(o, "kmem_cache_free", 0);
	pthread_mutex_unlock(&shim_lock);
}

/* lock held */
static void cache_destroy_locked(struct kmem_cache *s)
{
	struct shim_region *r;

	s->live = false;
	stats.nr_caches--;
	/* its regions stay (address lookups must keep working) but are dead */
	for (r = all_regions; r; r = r->next_all)
		if (r->pool == &s->pool)
			r->used = 0;
}

void kmem_cache_destroy(struct kmem_cache *s)
{
	if (!s)
		return;
	pthread_mutex_lock(&shim_lock);
	if (!s->live)
		shim_fail("kmem_cache_destroy(%s): already destroyed", s->name);
	else if (s->pool.live)
		shim_fail("kmem_cache_destroy %s: Slab cache still has %zu objects",
			  s->name, s->pool.live);
	else
		cache_destroy_locked(s);
	pthread_mutex_unlock(&shim_lock);
}

size_t shim_cache_live_objects(const struct kmem_cache *s)
{
	return s ? __atomic_load_n(&s->pool.live, __ATOMIC_RELAXED) : 0;
}

size_t shim_cache_object_size(const struct kmem_cache *s)
{
	return s ? s->pool.footprint : 0;
}

void shim_caches_created(unsigned long *low, unsigned long *high)
{
	pthread_mutex_lock(&shim_lock);
	*low = caches_created[ARENA_LOW];
	*high = caches_created[ARENA_HIGH];
	pthread_mutex_unlock(&shim_lock);
}

/* ---------------- kmemleak ---------------- */

/*
 * kmemleak tracks slab objects (kmalloc, kmem caches, large kmalloc), not
 * the page allocator; painting an object it does not know is a kernel
 * warning ("Trying to color unknown object"), a failure here.
 */
void kmemleak_ignore(const void *ptr)
{
	struct shim_obj *o;

	if (ZERO_OR_NULL_PTR(ptr))
		return;
	pthread_mutex_lock(&shim_lock);
	o = obj_lookup((uintptr_t)ptr);
	if (!o || !o->live || obj_addr(o) != (uintptr_t)ptr ||
	    o->region->pool->kind == SHIM_MEM_PAGES)
		shim_fail("%s(%p): not an object kmemleak tracks", __func__,
			  ptr);
	else
		o->kmemleak_ignored = true;
	pthread_mutex_unlock(&shim_lock);
}

int shim_kmemleak_state(const void *ptr)
{
	struct shim_obj *o;
	int ret = -1;

	pthread_mutex_lock(&shim_lock);
	o = obj_lookup((uintptr_t)ptr);
	if (o && o->live && obj_addr(o) == (uintptr_t)ptr &&
	    o->region->pool->kind != SHIM_MEM_PAGES)
		ret = o->kmemleak_ignored;
	pthread_mutex_unlock(&shim_lock);
	return ret;
}

/* ---------------- barriers ---------------- */

__thread unsigned long shim_wmb_count;
__thread void (*shim_wmb_hook)(void);

/* ---------------- pages ---------------- */

struct page *shim_alloc_pages(gfp_t gfp, unsigned int order, int nid,
			      const char *file, int line)
{
	int arena = (gfp & (__GFP_DMA | __GFP_DMA32)) ? ARENA_LOW : ARENA_HIGH;
	struct page *page = NULL;
	void *addr = NULL;

	if ((gfp & __GFP_DMA) && (gfp & __GFP_DMA32))
		shim_fail("%s:%d: both __GFP_DMA and __GFP_DMA32", file, line);
	if (order > MAX_PAGE_ORDER) {
		if (!(gfp & __GFP_NOWARN))
			WARN(1, "alloc_pages of order %u from %s:%d", order,
			     file, line);
		return NULL;
	}
	check_nid(nid, file, line);
	pthread_mutex_lock(&shim_lock);
	if (allocation_may_proceed(gfp, file, line))
		addr = pool_alloc(&page_pools[arena][order], PAGE_SIZE << order,
				  gfp, file, line);
	if (addr) {
		page = memmap_page((uintptr_t)addr);
		page->flags = 0;
		page->private = 0;
		INIT_LIST_HEAD(&page->lru);
		atomic_set(&page->_refcount, 1);
	}
	pthread_mutex_unlock(&shim_lock);
	return page;
}

void *shim_page_address(const struct page *page)
{
	for (int i = 0; i < NR_ARENAS; i++) {
		struct arena *a = &arenas[i];
		size_t npages = (a->end - a->base) >> PAGE_SHIFT;

		if (page >= a->memmap && page < a->memmap + npages)
			return (void *)(a->base +
					((size_t)(page - a->memmap) << PAGE_SHIFT));
	}
	shim_fail("page_address(%p): not a struct page", (const void *)page);
	return NULL;
}

struct page *shim_virt_to_page_quiet(const void *addr)
{
	return memmap_page((uintptr_t)addr);
}

struct page *shim_virt_to_page(const void *addr)
{
	struct page *pg = memmap_page((uintptr_t)addr);

	if (!pg)
		shim_fail("virt_to_page(%p): not in the linear map", addr);
	return pg;
}

static void free_pages_locked(struct page *page, unsigned int order,
			      const char *file, int line)
{
	uintptr_t addr = (uintptr_t)shim_page_address(page);
	struct shim_obj *o = addr ? obj_lookup(addr) : NULL;

	if (!o || !o->live || obj_addr(o) != addr) {
		shim_fail("%s:%d: __free_pages(%#lx, %u): %s", file, line,
			  (unsigned long)addr, order,
			  !o ? "not allocated" : !o->live ? "double free" :
			  "not the first page of an allocation");
		return;
	}
	if (o->region->pool->kind != SHIM_MEM_PAGES) {
		shim_fail("%s:%d: __free_pages(%#lx) of a %s object", file, line,
			  (unsigned long)addr, o->region->pool->name);
		return;
	}
	if (o->region->pool->order != order) {
		shim_fail("%s:%d: __free_pages(%#lx, order %u) of an order-%u allocation from %s:%d",
			  file, line, (unsigned long)addr, order,
			  o->region->pool->order, o->file, o->line);
		return;
	}
	atomic_set(&page->_refcount, 0);
	pool_free(o, file, line);
}

void shim_free_pages(struct page *page, unsigned int order,
		     const char *file, int line)
{
	if (!page)
		return;
	pthread_mutex_lock(&shim_lock);
	free_pages_locked(page, order, file, line);
	pthread_mutex_unlock(&shim_lock);
}

void shim_put_page(struct page *page)
{
	uintptr_t addr = (uintptr_t)shim_page_address(page);
	struct shim_obj *o;

	pthread_mutex_lock(&shim_lock);
	o = addr ? obj_lookup(addr) : NULL;
	if (!o || !o->live || o->region->pool->kind != SHIM_MEM_PAGES) {
		shim_fail("put_page(%#lx): not an allocated page",
			  (unsigned long)addr);
	} else if (o->region->pool->order) {
		/*
		 * Nothing here asks for __GFP_COMP: the kernel would free the
		 * first page alone and leak the rest, and
		 * iommu_put_pages_list() would uncount one page of them.
		 */
		shim_fail("put_page(%#lx) of an order-%u allocation from %s:%d: only its first page would be freed",
			  (unsigned long)addr, o->region->pool->order, o->file,
			  o->line);
	} else if (atomic_dec_return(&page->_refcount) == 0) {
		free_pages_locked(page, o->region->pool->order, "put_page", 0);
	}
	pthread_mutex_unlock(&shim_lock);
}

void mod_node_page_state(struct pglist_data *pgdat, enum node_stat_item item,
			 long delta)
{
	(void)pgdat;
	__atomic_fetch_add(&node_stat[item], delta, __ATOMIC_RELAXED);
}

long shim_node_page_state(enum node_stat_item item)
{
	return __atomic_load_n(&node_stat[item], __ATOMIC_RELAXED);
}

/*
 * ASan knows nothing of the arenas' objects: when it reports, say which
 * object the bad address belongs to and where it was allocated or freed.
 */
static void describe_addr(uintptr_t addr)
{
	struct shim_obj *o = obj_lookup(addr);
	struct page *pg = memmap_page(addr);
	struct shim_region *r = pg ? pg->shim_region : NULL;

	if (!pg) {
		fprintf(stderr, "shim: %#lx is not in the shim's arenas\n",
			(unsigned long)addr);
		return;
	}
	if (!o && r && addr >= r->base) {
		size_t idx = (addr - r->base) / r->stride;
		uintptr_t base = r->base + idx * r->stride;

		fprintf(stderr, "shim: %#lx is %#lx bytes past the end of %s object %#lx (redzone)\n",
			(unsigned long)addr,
			(unsigned long)(addr - base - r->pool->footprint),
			r->pool->name, (unsigned long)base);
		if (idx < r->used)
			o = &r->objs[idx];
		else
			return;
	} else if (!o) {
		fprintf(stderr, "shim: %#lx is in the %s arena, outside any object\n",
			(unsigned long)addr, arena_of(addr)->name);
		return;
	}
	fprintf(stderr, "shim: %s object %#lx, %zu bytes requested, %zu footprint, %s at %s:%d; %#lx is at offset %#lx\n",
		o->region->pool->name, (unsigned long)obj_addr(o), o->size,
		o->region->pool->footprint, o->live ? "allocated" : "freed",
		o->file, o->line, (unsigned long)addr,
		(unsigned long)(addr - obj_addr(o)));
}

void shim_describe(const void *p)
{
	bool locked = pthread_mutex_trylock(&shim_lock) == 0;

	describe_addr((uintptr_t)p);
	if (locked)
		pthread_mutex_unlock(&shim_lock);
}

#if SHIM_ASAN
void __asan_on_error(void);
void __asan_on_error(void)
{
	uintptr_t addr = (uintptr_t)__asan_get_report_address();
	bool locked = pthread_mutex_trylock(&shim_lock) == 0;

	if (addr)
		describe_addr(addr);
	if (locked)
		pthread_mutex_unlock(&shim_lock);
}
#endif

/* ---------------- accounting queries ---------------- */

void shim_mem_stats(struct shim_mem_stats *st)
{
	pthread_mutex_lock(&shim_lock);
	*st = stats;
	pthread_mutex_unlock(&shim_lock);
}

void shim_mem_reset_peak(void)
{
	pthread_mutex_lock(&shim_lock);
	stats.peak_bytes = stats.total_bytes;
	pthread_mutex_unlock(&shim_lock);
}

size_t shim_live_allocs(void)
{
	return __atomic_load_n(&stats.total_count, __ATOMIC_RELAXED);
}

size_t shim_live_bytes(void)
{
	return __atomic_load_n(&stats.total_bytes, __ATOMIC_RELAXED);
}

size_t shim_footprint(const void *p)
{
	struct shim_obj *o;
	size_t ret = 0;

	pthread_mutex_lock(&shim_lock);
	o = obj_lookup((uintptr_t)p);
	if (o && o->live)
		ret = o->region->pool->footprint;
	pthread_mutex_unlock(&shim_lock);
	return ret;
}

void *shim_alloc_base(const void *p)
{
	struct shim_obj *o;
	void *ret = NULL;

	pthread_mutex_lock(&shim_lock);
	o = obj_lookup((uintptr_t)p);
	if (o && o->live)
		ret = (void *)obj_addr(o);
	pthread_mutex_unlock(&shim_lock);
	return ret;
}

bool shim_is_low(const void *p)
{
	uintptr_t a = (uintptr_t)p;

	return a >= arenas[ARENA_LOW].base && a < arenas[ARENA_LOW].end;
}

u64 shim_seq(void)
{
	u64 s;

	pthread_mutex_lock(&shim_lock);
	s = seq_counter;
	pthread_mutex_unlock(&shim_lock);
	return s;
}

/* ---------------- fault injection ---------------- */

void shim_fail_nth_alloc(unsigned long n)
{
	pthread_mutex_lock(&shim_lock);
	fail_nth = n;
	pthread_mutex_unlock(&shim_lock);
}

void shim_fail_allocs_from(unsigned long n)
{
	pthread_mutex_lock(&shim_lock);
	fail_from = n;
	fail_all = false;
	pthread_mutex_unlock(&shim_lock);
}

unsigned long shim_injected_failures(void)
{
	return __atomic_load_n(&injected, __ATOMIC_RELAXED);
}

unsigned long shim_alloc_attempts(void)
{
	return __atomic_load_n(&attempts, __ATOMIC_RELAXED);
}

void shim_fail_nth_dma_map(unsigned long n)
{
	pthread_mutex_lock(&shim_lock);
	dma_fail_nth = n;
	pthread_mutex_unlock(&shim_lock);
}

/* ------------------------------------------------------------------ */
/* DMA                                                                  */
/* ------------------------------------------------------------------ */

/*
 * Live streaming mappings, sorted by DMA address.  dma == cpu unless the
 * mapping was bounced, in which case dma is the bounce buffer (the shadow
 * itself), as swiotlb would hand out.
 */
struct dma_map {
	dma_addr_t dma;
	uintptr_t cpu;
	size_t size;
	u8 *shadow;
	struct device *dev;
	enum dma_data_direction dir;
	bool bounced;
	u64 seq;
};

static struct dma_map *maps;
static size_t nr_maps, cap_maps, nr_bounced;
static unsigned long dma_syncs;
static unsigned int dma_cache_align = 64;
static bool dma_force_bounce;

/* index of the last mapping with dma <= addr, or -1 */
static long map_floor(dma_addr_t addr)
{
	long lo = 0, hi = (long)nr_maps - 1, ret = -1;

	while (lo <= hi) {
		long mid = (lo + hi) / 2;

		if (maps[mid].dma <= addr) {
			ret = mid;
			lo = mid + 1;
		} else {
			hi = mid - 1;
		}
	}
	return ret;
}

static struct dma_map *map_containing(dma_addr_t addr, size_t size)
{
	long i = map_floor(addr);

	if (i < 0)
		return NULL;
	if (addr + size > maps[i].dma + maps[i].size || addr + size < addr)
		return NULL;
	return &maps[i];
}

static bool dma_overlaps_locked(uintptr_t start, size_t size)
{
	long i = map_floor(start + size - 1);

	if (i >= 0 && maps[i].dma + maps[i].size > start && !maps[i].bounced)
		return true;
	if (nr_bounced)
		for (size_t k = 0; k < nr_maps; k++)
			if (maps[k].bounced && maps[k].cpu < start + size &&
			    maps[k].cpu + maps[k].size > start)
				return true;
	return false;
}

unsigned int dma_get_cache_alignment(void)
{
	return __atomic_load_n(&dma_cache_align, __ATOMIC_RELAXED);
}

void shim_dma_set_cache_alignment(unsigned int align)
{
	__atomic_store_n(&dma_cache_align, align, __ATOMIC_RELAXED);
}

void shim_dma_force_bounce(bool force)
{
	__atomic_store_n(&dma_force_bounce, force, __ATOMIC_RELAXED);
}

int dma_mapping_error(struct device *dev, dma_addr_t dma_addr)
{
	(void)dev;
	return dma_addr == DMA_MAPPING_ERROR ? -ENOMEM : 0;
}

int dma_set_mask(struct device *dev, u64 mask)
{
	if (!dev || !dev->dma_mask)
		return -EIO;
	*dev->dma_mask = mask;
	return 0;
}

int dma_set_coherent_mask(struct device *dev, u64 mask)
{
	dev->coherent_dma_mask = mask;
	return 0;
}

static bool kmalloc_size_dma_aligned(size_t size)
{
	return size >= 2 * ARCH_DMA_MINALIGN ||
	       IS_ALIGNED(kmalloc_size_roundup(size), dma_get_cache_alignment());
}

dma_addr_t dma_map_single_attrs(struct device *dev, void *ptr, size_t size,
				enum dma_data_direction dir,
				unsigned long attrs)
{
	uintptr_t cpu = (uintptr_t)ptr;
	struct shim_obj *o;
	struct dma_map m = { 0 };
	dma_addr_t ret = DMA_MAPPING_ERROR;
	size_t usable;
	long pos;

	(void)attrs;
	if (!dev) {
		shim_fail("dma_map_single(NULL device, %p)", ptr);
		return DMA_MAPPING_ERROR;
	}
	if (WARN_ON_ONCE(!dev->dma_mask))
		return DMA_MAPPING_ERROR;
	if (!size || dir > DMA_FROM_DEVICE) {
		shim_fail("dma_map_single(%s, %p, size %zu, dir %d): bad arguments",
			  dev_name(dev), ptr, size, dir);
		return DMA_MAPPING_ERROR;
	}
	pthread_mutex_lock(&shim_lock);
	if (dma_fail_nth && --dma_fail_nth == 0) {
		injected++;
		goto out;
	}
	o = obj_lookup(cpu);
	usable = o ? (o->ksized || o->region->pool->kind == SHIM_MEM_PAGES ?
		      o->region->pool->footprint : o->size) : 0;
	if (!o || !o->live || cpu + size > obj_addr(o) + usable) {
		shim_fail("dma_map_single(%s, %p, %zu): not inside a live kernel allocation",
			  dev_name(dev), ptr, size);
		goto out;
	}
	if (dma_overlaps_locked(cpu, size)) {
		shim_fail("dma_map_single(%s, %p, %zu): overlaps a live mapping",
			  dev_name(dev), ptr, size);
		goto out;
	}
	m.cpu = cpu;
	m.size = size;
	m.dev = dev;
	m.dir = dir;
	m.bounced = dma_force_bounce ||
		    /* beyond the device's reach: swiotlb */
		    (u64)(cpu + size - 1) > *dev->dma_mask ||
		    /* DMA_BOUNCE_UNALIGNED_KMALLOC */
		    (o->region->pool->kind == SHIM_MEM_KMALLOC &&
		     !dev->dma_coherent && dir != DMA_TO_DEVICE &&
		     !kmalloc_size_dma_aligned(size));
	m.shadow = malloc(size);
	if (!m.shadow)
		abort();
	memcpy(m.shadow, ptr, size);
	m.dma = m.bounced ? (dma_addr_t)(uintptr_t)m.shadow : (dma_addr_t)cpu;
	m.seq = ++seq_counter;
	if (nr_maps == cap_maps) {
		cap_maps = cap_maps ? 2 * cap_maps : 256;
		maps = realloc(maps, cap_maps * sizeof(*maps));
		if (!maps)
			abort();
	}
	pos = map_floor(m.dma) + 1;
	memmove(&maps[pos + 1], &maps[pos], (nr_maps - pos) * sizeof(*maps));
	maps[pos] = m;
	nr_maps++;
	if (m.bounced)
		nr_bounced++;
	ret = m.dma;
out:
	pthread_mutex_unlock(&shim_lock);
	return ret;
}

static void map_remove(struct dma_map *m)
{
	size_t i = m - maps;

	if (m->bounced)
		nr_bounced--;
	free(m->shadow);
	memmove(&maps[i], &maps[i + 1], (nr_maps - i - 1) * sizeof(*maps));
	nr_maps--;
}

void dma_unmap_single_attrs(struct device *dev, dma_addr_t addr, size_t size,
			    enum dma_data_direction dir, unsigned long attrs)
{
	struct dma_map *m;
	long i;

	(void)attrs;
	pthread_mutex_lock(&shim_lock);
	i = map_floor(addr);
	m = i >= 0 && maps[i].dma == addr ? &maps[i] : NULL;
	if (!m) {
		shim_fail("dma_unmap_single(%s, %#llx, %zu): not mapped",
			  dev_name(dev), (unsigned long long)addr, size);
		goto out;
	}
	if (m->size != size)
		shim_fail("dma_unmap_single(%s, %#llx): mapped %zu bytes, unmapping %zu",
			  dev_name(dev), (unsigned long long)addr, m->size, size);
	if (m->dir != dir)
		shim_fail("dma_unmap_single(%s, %#llx): mapped with direction %d, unmapped with %d",
			  dev_name(dev), (unsigned long long)addr, m->dir, dir);
	if (m->dev != dev)
		shim_fail("dma_unmap_single(%s, %#llx): mapped for device %s",
			  dev_name(dev), (unsigned long long)addr,
			  dev_name(m->dev));
	if (m->bounced && dir != DMA_TO_DEVICE)
		memcpy((void *)m->cpu, m->shadow, m->size);
	map_remove(m);
out:
	pthread_mutex_unlock(&shim_lock);
}

void dma_sync_single_for_device(struct device *dev, dma_addr_t addr,
				size_t size, enum dma_data_direction dir)
{
	struct dma_map *m;

	pthread_mutex_lock(&shim_lock);
	m = map_containing(addr, size);
	if (!m) {
		shim_fail("dma_sync_single_for_device(%s, %#llx, %zu): not inside a mapping",
			  dev_name(dev), (unsigned long long)addr, size);
	} else {
		size_t off = addr - m->dma;

		if (m->dev != dev)
			shim_fail("dma_sync_single_for_device(%s, %#llx): mapped for device %s",
				  dev_name(dev), (unsigned long long)addr,
				  dev_name(m->dev));
		if (dir == DMA_FROM_DEVICE && m->dir == DMA_TO_DEVICE)
			shim_fail("dma_sync_single_for_device(%s, %#llx): direction %d on a DMA_TO_DEVICE mapping",
				  dev_name(dev), (unsigned long long)addr, dir);
		copy_from_cpu(m->shadow + off, (void *)(m->cpu + off), size);
		dma_syncs++;
	}
	pthread_mutex_unlock(&shim_lock);
}

void dma_sync_single_for_cpu(struct device *dev, dma_addr_t addr, size_t size,
			     enum dma_data_direction dir)
{
	struct dma_map *m;

	pthread_mutex_lock(&shim_lock);
	m = map_containing(addr, size);
	if (!m) {
		shim_fail("dma_sync_single_for_cpu(%s, %#llx, %zu): not inside a mapping",
			  dev_name(dev), (unsigned long long)addr, size);
	} else if (dir != DMA_TO_DEVICE) {
		size_t off = addr - m->dma;

		memcpy((void *)(m->cpu + off), m->shadow + off, size);
	}
	pthread_mutex_unlock(&shim_lock);
}

static bool dma_read(phys_addr_t pa, void *val, size_t size)
{
	struct dma_map *m;
	bool ok;

	pthread_mutex_lock(&shim_lock);
	m = map_containing(pa, size);
	ok = m != NULL;
	if (ok)
		memcpy(val, m->shadow + (pa - m->dma), size);
	pthread_mutex_unlock(&shim_lock);
	if (!ok) {
		memset(val, 0, size);
		shim_fail("device read of %zu bytes at %#llx: memory not DMA-mapped",
			  size, (unsigned long long)pa);
	}
	return ok;
}

u64 shim_dma_read64(phys_addr_t pa)
{
	u64 v;

	dma_read(pa, &v, sizeof(v));
	return v;
}

u32 shim_dma_read32(phys_addr_t pa)
{
	u32 v;

	dma_read(pa, &v, sizeof(v));
	return v;
}

bool shim_dma_is_mapped(phys_addr_t pa, size_t size)
{
	bool ret;

	pthread_mutex_lock(&shim_lock);
	ret = map_containing(pa, size) != NULL;
	pthread_mutex_unlock(&shim_lock);
	return ret;
}

static bool map_differs(const struct dma_map *m, u64 ignore, size_t *first,
			size_t *last)
{
	const u8 *cpu = (const u8 *)m->cpu;
	bool found = false;

	if (!ignore || (m->size % 8) || (m->cpu % 8)) {
		if (!memcmp(cpu, m->shadow, m->size))
			return false;
		for (*first = 0; cpu[*first] == m->shadow[*first]; (*first)++)
			;
		for (*last = m->size - 1; cpu[*last] == m->shadow[*last]; (*last)--)
			;
		return true;
	}
	for (size_t i = 0; i < m->size; i += 8) {
		u64 a, b;

		memcpy(&a, cpu + i, 8);
		memcpy(&b, m->shadow + i, 8);
		if ((a ^ b) & ~ignore) {
			if (!found)
				*first = i;
			*last = i + 7;
			found = true;
		}
	}
	return found;
}

bool shim_dma_coherent_check_mask(u64 ignore)
{
	bool ok = true;

	pthread_mutex_lock(&shim_lock);
	for (size_t i = 0; i < nr_maps; i++) {
		struct dma_map *m = &maps[i];
		size_t first = 0, last = 0;

		if (!map_differs(m, ignore, &first, &last))
			continue;
		ok = false;
		printk(KERN_ERR "unsynced CPU write: mapping %#lx+%#zx (%s), bytes %#zx..%#zx differ from the device's view\n",
		       (unsigned long)m->cpu, m->size, dev_name(m->dev),
		       first, last);
	}
	pthread_mutex_unlock(&shim_lock);
	return ok;
}

bool shim_dma_coherent_check(void)
{
	return shim_dma_coherent_check_mask(0);
}

size_t shim_dma_live_mappings(void)
{
	size_t n;

	pthread_mutex_lock(&shim_lock);
	n = nr_maps;
	pthread_mutex_unlock(&shim_lock);
	return n;
}

unsigned long shim_dma_sync_count(void)
{
	return __atomic_load_n(&dma_syncs, __ATOMIC_RELAXED);
}

/* ------------------------------------------------------------------ */
/* leaks                                                                */
/* ------------------------------------------------------------------ */

size_t shim_leaks_since(u64 seq, bool release)
{
	size_t n = 0;

	pthread_mutex_lock(&shim_lock);
	for (size_t i = 0; i < nr_maps; i++) {
		struct dma_map *m = &maps[i];

		if (m->seq <= seq)
			continue;
		n++;
		/* The device may be gone with the test: its address only */
		printk(KERN_ERR "leak: DMA mapping of %#lx+%#zx for device %p still live\n",
		       (unsigned long)m->cpu, m->size, (void *)m->dev);
		if (release) {
			map_remove(m);
			i--;
		}
	}
	for (struct shim_region *r = all_regions; r; r = r->next_all) {
		for (unsigned int i = 0; i < r->used; i++) {
			struct shim_obj *o = &r->objs[i];

			if (!o->live || o->seq <= seq)
				continue;
			n++;
			printk(KERN_ERR "leak: %s object %#lx (%zu bytes) allocated at %s:%d\n",
			       r->pool->name, (unsigned long)obj_addr(o),
			       o->size, o->file, o->line);
			if (release)
				pool_free(o, "leak check", 0);
		}
	}
	for (struct kmem_cache *s = all_caches; s; s = s->next) {
		if (!s->live || s->seq <= seq)
			continue;
		n++;
		printk(KERN_ERR "leak: kmem cache %s never destroyed\n", s->name);
		if (release && !s->pool.live)
			cache_destroy_locked(s);
	}
	pthread_mutex_unlock(&shim_lock);
	return n;
}

void shim_reset_knobs(void)
{
	pthread_mutex_lock(&shim_lock);
	fail_nth = 0;
	fail_from = 0;
	fail_all = false;
	dma_fail_nth = 0;
	dma_cache_align = 64;
	dma_force_bounce = false;
	pthread_mutex_unlock(&shim_lock);
	shim_warn_quiet(false);
	atomic_depth = 0;
}

/* ------------------------------------------------------------------ */
/* devices, dirty bitmaps, random numbers                               */
/* ------------------------------------------------------------------ */

struct device *shim_device_create(const char *name)
{
	struct device *dev = calloc(1, sizeof(*dev));

	if (!dev)
		abort();
	snprintf(dev->shim_name, sizeof(dev->shim_name), "%s", name);
	dev->numa_node = NUMA_NO_NODE;
	dev->shim_dma_mask = DMA_BIT_MASK(64);
	dev->dma_mask = &dev->shim_dma_mask;
	dev->coherent_dma_mask = DMA_BIT_MASK(64);
	return dev;
}

void shim_device_destroy(struct device *dev)
{
	free(dev);
}

struct iova_bitmap {
	unsigned long iova;
	size_t length;
	unsigned int pgshift;
	unsigned long *bits;
};

struct iova_bitmap *shim_iova_bitmap_alloc(unsigned long iova, size_t length,
					   unsigned long page_size)
{
	struct iova_bitmap *bm = calloc(1, sizeof(*bm));
	size_t nbits;

	if (!bm || !is_power_of_2(page_size) || !length)
		abort();
	bm->iova = iova;
	bm->length = length;
	bm->pgshift = ilog2(page_size);
	nbits = ((length - 1) >> bm->pgshift) + 1;
	bm->bits = calloc(BITS_TO_LONGS(nbits), sizeof(unsigned long));
	if (!bm->bits)
		abort();
	return bm;
}

void shim_iova_bitmap_free(struct iova_bitmap *bm)
{
	if (bm) {
		free(bm->bits);
		free(bm);
	}
}

void iova_bitmap_set(struct iova_bitmap *bm, unsigned long iova, size_t length)
{
	unsigned long first, last;

	if (!length)
		return;
	if (iova < bm->iova || iova + length - 1 > bm->iova + bm->length - 1) {
		shim_fail("iova_bitmap_set(%#lx, %#zx) outside the bitmap %#lx+%#zx",
			  iova, length, bm->iova, bm->length);
		return;
	}
	first = (iova - bm->iova) >> bm->pgshift;
	last = (iova + length - 1 - bm->iova) >> bm->pgshift;
	for (unsigned long b = first; b <= last; b++)
		set_bit(b, bm->bits);
}

bool shim_iova_bitmap_test(const struct iova_bitmap *bm, unsigned long iova)
{
	if (iova < bm->iova || iova - bm->iova >= bm->length)
		return false;
	return test_bit((iova - bm->iova) >> bm->pgshift, bm->bits);
}

unsigned long shim_iova_bitmap_weight(const struct iova_bitmap *bm)
{
	size_t nbits = ((bm->length - 1) >> bm->pgshift) + 1;
	unsigned long w = 0;

	for (size_t i = 0; i < BITS_TO_LONGS(nbits); i++)
		w += hweight_long(bm->bits[i]);
	return w;
}

void shim_iova_bitmap_clear(struct iova_bitmap *bm)
{
	size_t nbits = ((bm->length - 1) >> bm->pgshift) + 1;

	memset(bm->bits, 0, BITS_TO_LONGS(nbits) * sizeof(unsigned long));
}

static u64 rng_state = 0x2545f4914f6cdd1dULL;

void shim_random_seed(u64 seed)
{
	__atomic_store_n(&rng_state, seed ? seed : 0x2545f4914f6cdd1dULL,
			 __ATOMIC_RELAXED);
}

u64 get_random_u64(void)
{
	u64 x = __atomic_load_n(&rng_state, __ATOMIC_RELAXED);

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	__atomic_store_n(&rng_state, x, __ATOMIC_RELAXED);
	return x * 0x2545f4914f6cdd1dULL;
}

/* ------------------------------------------------------------------ */
/* kernel threads, sleeping                                             */
/* ------------------------------------------------------------------ */

struct task_struct {
	pthread_t thread;
	int (*fn)(void *data);
	void *data;
	char comm[32];
	int ret;
	bool woken, exited, should_stop;
	pthread_mutex_t lock;
	pthread_cond_t cond;
};

static __thread struct task_struct *current_kthread;

static void kthread_exited(void *arg)
{
	struct task_struct *k = arg;

	pthread_mutex_lock(&k->lock);
	k->exited = true;
	pthread_cond_broadcast(&k->cond);
	pthread_mutex_unlock(&k->lock);
}

static void *kthread_trampoline(void *arg)
{
	struct task_struct *k = arg;
	int ret;

	pthread_mutex_lock(&k->lock);
	while (!k->woken && !k->should_stop)
		pthread_cond_wait(&k->cond, &k->lock);
	pthread_mutex_unlock(&k->lock);
	current_kthread = k;
	/* a failed KUNIT_ASSERT ends the thread with pthread_exit() */
	k->ret = -EINTR;
	pthread_cleanup_push(kthread_exited, k);
	ret = k->should_stop && !k->woken ? -EINTR : k->fn(k->data);
	k->ret = ret;
	pthread_cleanup_pop(1);
	return NULL;
}

struct task_struct *kthread_create(int (*threadfn)(void *data), void *data,
				   const char *namefmt, ...)
{
	struct task_struct *k = calloc(1, sizeof(*k));
	va_list ap;

	if (!k)
		return ERR_PTR(-ENOMEM);
	k->fn = threadfn;
	k->data = data;
	va_start(ap, namefmt);
	vscnprintf(k->comm, sizeof(k->comm), namefmt, ap);
	va_end(ap);
	pthread_mutex_init(&k->lock, NULL);
	pthread_cond_init(&k->cond, NULL);
	if (pthread_create(&k->thread, NULL, kthread_trampoline, k)) {
		free(k);
		return ERR_PTR(-EAGAIN);
	}
	/* nobody joins a thread that is never stopped: it cleans up itself */
	pthread_detach(k->thread);
	return k;
}

int wake_up_process(struct task_struct *k)
{
	pthread_mutex_lock(&k->lock);
	k->woken = true;
	pthread_cond_broadcast(&k->cond);
	pthread_mutex_unlock(&k->lock);
	return 1;
}

bool kthread_should_stop(void)
{
	struct task_struct *k = current_kthread;
	bool ret;

	if (!k)
		return false;
	pthread_mutex_lock(&k->lock);
	ret = k->should_stop;
	pthread_mutex_unlock(&k->lock);
	return ret;
}

int kthread_stop(struct task_struct *k)
{
	int ret;

	might_sleep();
	pthread_mutex_lock(&k->lock);
	k->should_stop = true;
	pthread_cond_broadcast(&k->cond);
	while (!k->exited)
		pthread_cond_wait(&k->cond, &k->lock);
	ret = k->ret;
	pthread_mutex_unlock(&k->lock);
	free(k);
	return ret;
}

void schedule(void)
{
	might_sleep();
	sched_yield();
}

void yield(void)
{
	sched_yield();
}

void msleep(unsigned int msecs)
{
	struct timespec ts = { msecs / 1000, (long)(msecs % 1000) * 1000000L };

	might_sleep();
	nanosleep(&ts, NULL);
}

void udelay(unsigned long usecs)
{
	struct timespec ts = { usecs / 1000000, (long)(usecs % 1000000) * 1000L };

	nanosleep(&ts, NULL);
}
