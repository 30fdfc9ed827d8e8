/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The io-pgtable userspace harness: what tests and benchmarks can ask the
 * kernel-API shim.  Kernel code never includes this; it sees only the
 * kernel's own headers (include/linux/, include/asm/ here).
 *
 * Memory model: physical address == virtual address.  Ordinary memory
 * (kmalloc, pages, kmem caches) comes from an arena above 4 GiB; GFP_DMA
 * and GFP_DMA32 pages, GFP_DMA kmalloc and SLAB_CACHE_DMA/DMA32 cache
 * objects from an arena below 4 GiB.  Every allocation is recorded with its
 * footprint (what the kernel would spend: the kmalloc size class, the slab
 * object size, PAGE_SIZE << order) and the place that made it.
 *
 * DMA model: see linux/dma-mapping.h.
 */
#ifndef _SHIM_H
#define _SHIM_H

#include <linux/device.h>
#include <linux/types.h>

struct kmem_cache;

/* -------- failures found by the shim -------- */

/* Report a harness-detected failure; it fails the running KUnit case. */
void shim_fail(const char *fmt, ...) __printf(1, 2);
/* Failures reported so far. */
unsigned long shim_fail_count(void);
/*
 * For tests that provoke shim failures on purpose: set the count back to
 * @count (taken before), so the runner does not fail the case for them.
 */
void shim_forgive_failures(unsigned long count);

/* Called by BUG() before it aborts; the KUnit runner ends the case instead. */
extern void (*shim_bug_handler)(const char *msg);

/* WARN()s that fired so far (monotonic). */
unsigned long shim_warn_count(void);
/* Do not print WARN()s (they are still counted). */
void shim_warn_quiet(bool quiet);

/* -------- memory accounting -------- */

enum shim_mem_kind {
	SHIM_MEM_KMALLOC,	/* kmalloc() and friends */
	SHIM_MEM_PAGES,		/* the page allocator */
	SHIM_MEM_CACHE,		/* objects of kmem caches */
	SHIM_MEM_NR_KINDS,
};

struct shim_mem_stats {
	size_t count[SHIM_MEM_NR_KINDS];	/* live allocations */
	size_t bytes[SHIM_MEM_NR_KINDS];	/* their footprint */
	size_t total_count;
	size_t total_bytes;
	size_t low_bytes;			/* footprint below 4 GiB */
	size_t peak_bytes;			/* high-water total_bytes */
	size_t nr_caches;			/* live kmem caches */
};

void shim_mem_stats(struct shim_mem_stats *st);
void shim_mem_reset_peak(void);
size_t shim_live_allocs(void);
size_t shim_live_bytes(void);
/* Live objects and their footprint in one kmem cache. */
size_t shim_cache_live_objects(const struct kmem_cache *s);
size_t shim_cache_object_size(const struct kmem_cache *s);
/*
 * kmem caches created so far (monotonic) whose objects come from the low
 * arena (SLAB_CACHE_DMA/DMA32) and from ordinary memory.
 */
void shim_caches_created(unsigned long *low, unsigned long *high);
/*
 * What kmemleak would make of the live allocation starting at @ptr: -1 not
 * tracked (page allocator memory, or no such allocation), 0 tracked (a
 * slab object), 1 tracked and kmemleak_ignore()d.
 */
int shim_kmemleak_state(const void *ptr);
/*
 * The footprint of the live allocation containing @p (0 if none): the
 * kmalloc size class, the cache's object size, or PAGE_SIZE << order.
 */
size_t shim_footprint(const void *p);
/* The start of the live allocation containing @p, or NULL. */
void *shim_alloc_base(const void *p);
/* Print which allocation @p belongs to, its size and where it was made. */
void shim_describe(const void *p);
/* True if @p is in the low (below 4 GiB) arena. */
bool shim_is_low(const void *p);

/*
 * A sequence number that grows with every allocation, DMA mapping and
 * cache creation; allocations made after shim_seq() are "since" it.
 */
u64 shim_seq(void);
/*
 * Print every allocation/DMA mapping/kmem cache created since @seq that is
 * still live; with @release, free them too.  Returns how many.
 */
size_t shim_leaks_since(u64 seq, bool release);

/* -------- fault injection -------- */

/* Make the @n-th next allocation (of any kind) fail; 0 cancels. */
void shim_fail_nth_alloc(unsigned long n);
/* Make every allocation fail from the @n-th next on; 0 cancels. */
void shim_fail_allocs_from(unsigned long n);
/* Injected allocation failures so far (monotonic). */
unsigned long shim_injected_failures(void);
/* Allocation attempts so far (monotonic). */
unsigned long shim_alloc_attempts(void);
/* Make the @n-th next dma_map_single() fail; 0 cancels. */
void shim_fail_nth_dma_map(unsigned long n);

/* -------- DMA model -------- */

/* The device's view of memory at @pa: fails the test if not DMA-mapped. */
u64 shim_dma_read64(phys_addr_t pa);
u32 shim_dma_read32(phys_addr_t pa);
/* True if @pa..@pa+@size is inside a live DMA mapping. */
bool shim_dma_is_mapped(phys_addr_t pa, size_t size);
/*
 * True when every live mapping's device view equals CPU memory; otherwise
 * prints each differing range (a CPU write never synced) and returns false.
 */
bool shim_dma_coherent_check(void);
/*
 * The same, comparing 64-bit words and ignoring differences in the bits of
 * @ignore: software bits a walker never reads (upstream LPAE sets its
 * SW_SYNC bit, 55, with a CPU write it does not sync).
 */
bool shim_dma_coherent_check_mask(u64 ignore);
size_t shim_dma_live_mappings(void);
unsigned long shim_dma_sync_count(void);
/* dma_get_cache_alignment(): 64 unless set (e.g. 128) */
void shim_dma_set_cache_alignment(unsigned int align);
/* Bounce every streaming mapping (like swiotlb=force). */
void shim_dma_force_bounce(bool force);

/* -------- devices, outside KUnit -------- */

struct device *shim_device_create(const char *name);
void shim_device_destroy(struct device *dev);

/* -------- barriers -------- */

/*
 * wmb()s the calling thread has executed, and a hook it runs at each (see
 * asm/barrier.h); both per thread, so other threads' barriers do not count.
 */
extern __thread unsigned long shim_wmb_count;
extern __thread void (*shim_wmb_hook)(void);

/* -------- atomic context -------- */

bool shim_in_atomic(void);

/* -------- the harness -------- */

/* Restore every knob above to its default (the runner does, per case). */
void shim_reset_knobs(void);

#endif
