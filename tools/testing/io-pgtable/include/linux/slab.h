/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Userspace shim: kmalloc and kmem caches.  kmalloc rounds to the kernel's
 * size classes (8 .. 2 * PAGE_SIZE, then whole pages), power-of-two sizes
 * are naturally aligned, GFP_DMA objects and SLAB_CACHE_DMA/DMA32 caches
 * live below 4 GiB, everything else above.  __GFP_DMA32 or __GFP_HIGHMEM
 * passed to a slab allocator is a caller bug, reported and stripped as the
 * kernel does.  See shim.h for accounting and fault injection.
 */
#ifndef _SHIM_LINUX_SLAB_H
#define _SHIM_LINUX_SLAB_H

#include <linux/cache.h>
#include <linux/gfp.h>
#include <linux/overflow.h>
#include <linux/types.h>

#define SLAB_HWCACHE_ALIGN	((slab_flags_t)0x00002000u)
#define SLAB_CACHE_DMA		((slab_flags_t)0x00004000u)
#define SLAB_CACHE_DMA32	((slab_flags_t)0x00008000u)
#define SLAB_PANIC		((slab_flags_t)0x00040000u)
#define SLAB_TYPESAFE_BY_RCU	((slab_flags_t)0x00080000u)
#define SLAB_ACCOUNT		((slab_flags_t)0x04000000u)
#define SLAB_RECLAIM_ACCOUNT	((slab_flags_t)0x00020000u)
#define SLAB_NO_MERGE		((slab_flags_t)0x01000000u)

#define KMALLOC_MAX_CACHE_SIZE	(2 * PAGE_SIZE)
#define KMALLOC_MAX_SIZE	(PAGE_SIZE << MAX_PAGE_ORDER)
#define ZERO_SIZE_PTR		((void *)16)
#define ZERO_OR_NULL_PTR(x)	((unsigned long)(x) <= (unsigned long)ZERO_SIZE_PTR)

struct kmem_cache;

void *shim_kmalloc(size_t size, gfp_t gfp, const char *file, int line);
void shim_kfree(const void *objp, const char *file, int line);
size_t ksize(const void *objp);
size_t kmalloc_size_roundup(size_t size);

struct kmem_cache *kmem_cache_create(const char *name, unsigned int size,
				     unsigned int align, slab_flags_t flags,
				     void (*ctor)(void *));
void *shim_kmem_cache_alloc(struct kmem_cache *s, gfp_t gfp,
			    const char *file, int line);
void kmem_cache_free(struct kmem_cache *s, void *objp);
void kmem_cache_destroy(struct kmem_cache *s);
unsigned int kmem_cache_size(struct kmem_cache *s);

#define kmalloc(size, gfp)	shim_kmalloc((size), (gfp), __FILE__, __LINE__)
#define kzalloc(size, gfp)	kmalloc((size), (gfp) | __GFP_ZERO)
#define kmalloc_node(size, gfp, node)	kmalloc((size), (gfp))
#define kzalloc_node(size, gfp, node)	kzalloc((size), (gfp))
#define kmalloc_array(n, size, gfp)	kmalloc(size_mul((n), (size)), (gfp))
#define kcalloc(n, size, gfp)	kmalloc_array((n), (size), (gfp) | __GFP_ZERO)
#define kvmalloc(size, gfp)	kmalloc((size), (gfp))
#define kvzalloc(size, gfp)	kzalloc((size), (gfp))
#define kvcalloc(n, size, gfp)	kcalloc((n), (size), (gfp))
#define kvmalloc_array(n, size, gfp)	kmalloc_array((n), (size), (gfp))
#define kfree(p)		shim_kfree((p), __FILE__, __LINE__)
#define kvfree(p)		kfree(p)
#define kfree_sensitive(p)	kfree(p)

#define kmem_cache_alloc(s, gfp)					\
	shim_kmem_cache_alloc((s), (gfp), __FILE__, __LINE__)
#define kmem_cache_zalloc(s, gfp)	kmem_cache_alloc((s), (gfp) | __GFP_ZERO)
#define kmem_cache_alloc_node(s, gfp, node)	kmem_cache_alloc((s), (gfp))

#define KMEM_CACHE(__struct, __flags)					\
	kmem_cache_create(#__struct, sizeof(struct __struct),		\
			  __alignof__(struct __struct), (__flags), NULL)

#endif
