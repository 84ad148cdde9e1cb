/* SPDX-License-Identifier: MIT */
/*
 * The slab allocator and kmalloc (guest/mm/slab.c, slab_debug.c,
 * kmalloc.c), with the names and semantics of Linux's SLUB: caches of
 * equal-sized objects carved out of page-allocator blocks ("slabs"), a
 * per-CPU slab whose freelist serves alloc and free without touching a
 * list, partial lists per cache, constructors run when a slab is made, and
 * `slub_debug` red zones, poisoning and free checks. Layout of the metadata
 * (all of it in the 32-byte struct page) and the fast path: docs/slab.md.
 *
 * Hooks the rest of the kernel provides (the host unit test provides its
 * own, tests/unit/fake_page_alloc.c):
 *  - alloc_pages() / __free_pages() (mm/page_alloc.h);
 *  - page_address(): the kernel virtual address of a page frame (lowmem);
 *  - virt_to_page(): the struct page of a kernel virtual address that
 *    page_address() returned (or points inside such a page).
 */
#ifndef MM_SLAB_H
#define MM_SLAB_H

#include "kernel/list.h"
#include "kernel/types.h"
#include "mm/gfp.h"
#include "mm/page.h"

typedef unsigned int slab_flags_t;

/* Cache flags: Linux's bit values (include/linux/slab.h). */
#define SLAB_CONSISTENCY_CHECKS 0x00000100u /* slub_debug F: free sanity checks */
#define SLAB_RED_ZONE 0x00000400u           /* slub_debug Z: red zones around objects */
#define SLAB_POISON 0x00000800u             /* slub_debug P: poison free objects */
#define SLAB_KMALLOC 0x00001000u            /* one of the kmalloc-N caches */
#define SLAB_HWCACHE_ALIGN 0x00002000u      /* align objects on cache lines */
#define SLAB_STORE_USER 0x00010000u         /* slub_debug U: remember alloc/free callers */
#define SLAB_RECLAIM_ACCOUNT 0x00020000u    /* pages count as SReclaimable */
#define SLAB_DEBUG_FLAGS \
	(SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER)
/* Flags kmem_cache_create() accepts from callers. */
#define SLAB_CREATE_MASK (SLAB_DEBUG_FLAGS | SLAB_HWCACHE_ALIGN | SLAB_RECLAIM_ACCOUNT)

/* Byte patterns, Linux's include/linux/poison.h values. */
#define POISON_INUSE 0x5a      /* allocated, not initialised by the caller yet */
#define POISON_FREE 0x6b       /* free object */
#define POISON_END 0xa5        /* last byte of a free object */
#define SLUB_RED_INACTIVE 0xbb /* red zone around a free object */
#define SLUB_RED_ACTIVE 0xcc   /* red zone around an allocated object */

/* kmalloc(0) returns this: not NULL, faults when used, kfree() ignores it. */
#define ZERO_SIZE_PTR ((void *)16)
#define ZERO_OR_NULL_PTR(x) ((unsigned long)(x) <= (unsigned long)ZERO_SIZE_PTR)

#define KMALLOC_MIN_SIZE 8u          /* smallest size class (and kmalloc alignment) */
#define KMALLOC_MAX_CACHE_SIZE 8192u /* larger requests go to the page allocator */
#define KMALLOC_NR_CACHES 13u        /* 8 16 32 64 96 128 192 256 512 1k 2k 4k 8k */
/* Largest kmalloc(): one block of the page allocator's top order (4 MiB). */
#define KMALLOC_MAX_SIZE (PAGE_SIZE << 10)

#define SLAB_NAME_MAX 32     /* bytes of a cache name, NUL included */
#define SLAB_NR_CPUS 1       /* per-CPU structures are arrays of this many */
#define SLAB_MAX_ORDER 4     /* largest slab: 64 KiB (the page encodes offsets in 16 bits) */

/*
 * What one CPU owns of a cache: the CPU slab ("frozen": on no list) and the
 * freelist of its objects that only this CPU uses. kmem_cache_alloc() pops
 * from @freelist, kfree() of an object of @slab pushes onto it; neither
 * takes a lock or touches a list. Debug caches never have a CPU slab.
 */
struct kmem_cache_cpu {
	void *freelist;
	struct page *slab;
};

struct kmem_cache {
	struct kmem_cache_cpu cpu_slab[SLAB_NR_CPUS]; /* first: the fast path's base */
	unsigned int offset;       /* free pointer, from the object's start */
	unsigned int size;         /* stride of the objects in the slab, metadata included */
	unsigned int object_size;  /* what the user asked for */
	unsigned int align;
	unsigned int red_left_pad; /* bytes of left red zone before each object */
	unsigned int inuse;        /* end of object + right red zone, from the object's start */
	unsigned int track_offset; /* slub_debug U: alloc/free callers, from the object's start */
	unsigned int order;        /* each slab is 2^order pages */
	unsigned int objects;      /* per slab */
	unsigned int id;           /* index in the table the struct pages refer to */
	slab_flags_t flags;
	gfp_t allocflags;          /* added to every page allocation */
	void (*ctor)(void *obj);
	unsigned long min_partial; /* empty slabs kept on the partial list */
	unsigned long nr_partial;
	struct list_head partial;  /* slabs with free objects, not frozen */
	struct list_head full;     /* debug caches only: slabs with no free object */
	unsigned long nr_slabs;
	struct list_head list;     /* in slab_caches, newest first (as /proc/slabinfo lists) */
	char name[SLAB_NAME_MAX];
};

/* ---- hooks the kernel provides ---- */

/* The kernel virtual address of @page's frame. */
void *page_address(const struct page *page);
/* The struct page of the frame holding kernel virtual address @addr. */
struct page *virt_to_page(const void *addr);

/* ---- boot ---- */

/*
 * Read the `slub_debug` parameter (@value: NULL when absent, "" when bare).
 * Must run before kmem_cache_init(). Returns 0, or -EINVAL with a message
 * for a malformed value (unknown letters are reported and skipped, as in
 * Linux).
 */
int slub_debug_setup(const char *value);

/*
 * Create the "kmem_cache" cache and the kmalloc-N caches (no memory is
 * taken until the first allocation). Idempotent.
 */
void kmem_cache_init(void);

/* Whether kmem_cache_init() has run (Linux's slab_is_available()). */
bool slab_is_available(void);

/* ---- caches ---- */

/*
 * A cache of objects of @size bytes aligned to @align (0: the default, 8),
 * with @flags among SLAB_CREATE_MASK, whose slabs run @ctor on every object
 * when the slab is made (not at every allocation). NULL, with a message, if
 * the arguments are wrong (name missing, too long or in use, size 0 or too
 * large, align not a power of two) or memory is short.
 */
struct kmem_cache *kmem_cache_create(const char *name, unsigned int size, unsigned int align,
				     slab_flags_t flags, void (*ctor)(void *));

/*
 * Destroy @s: give every slab back. Refused, with a message naming the
 * cache and the number of live objects, while objects are allocated;
 * returns whether @s was destroyed. NULL is a no-op returning true.
 */
bool kmem_cache_destroy(struct kmem_cache *s);

void *kmem_cache_alloc(struct kmem_cache *s, gfp_t gfp);
void kmem_cache_free(struct kmem_cache *s, void *obj);

static inline void *kmem_cache_zalloc(struct kmem_cache *s, gfp_t gfp)
{
	return kmem_cache_alloc(s, gfp | __GFP_ZERO);
}

/*
 * Give the CPU slab back to the lists and every empty slab back to the page
 * allocator. Returns the number of slabs freed.
 */
unsigned long kmem_cache_shrink(struct kmem_cache *s);

/*
 * Check the slabs of @s on its lists (Linux's validate_slab_cache): every
 * slab of a debug cache; for other caches the partial ones (full slabs and
 * the CPU slab are on no list). Freelists must stay inside their slab and
 * agree with the slab's count; with debug flags, the red zones of every
 * object and the poison of free ones are checked too. One line per
 * problem; returns how many.
 */
unsigned int kmem_cache_validate(struct kmem_cache *s);

/* The object size the cache was created with. */
static inline unsigned int kmem_cache_size(const struct kmem_cache *s)
{
	return s->object_size;
}

/* The cache named @name, or NULL. */
struct kmem_cache *kmem_cache_find(const char *name);

/* ---- kmalloc ---- */

/*
 * @size bytes from the smallest kmalloc-N cache that holds them (8-byte
 * aligned at least; power-of-two sizes naturally aligned), or from the page
 * allocator above KMALLOC_MAX_CACHE_SIZE. kmalloc(0) is ZERO_SIZE_PTR.
 */
void *kmalloc(size_t size, gfp_t gfp);
void kfree(const void *obj);
/* @obj resized to @new_size, contents kept up to the smaller size; kfree() when 0. */
void *krealloc(const void *obj, size_t new_size, gfp_t gfp);
/* Usable bytes at @obj (the size class, or the whole block for large ones). */
size_t ksize(const void *obj);

static inline void *kzalloc(size_t size, gfp_t gfp)
{
	return kmalloc(size, gfp | __GFP_ZERO);
}

/* @n elements of @size bytes, or NULL if the product overflows. */
static inline void *kmalloc_array(size_t n, size_t size, gfp_t gfp)
{
	size_t bytes;

	if (__builtin_mul_overflow(n, size, &bytes))
		return NULL;
	return kmalloc(bytes, gfp);
}

static inline void *kcalloc(size_t n, size_t size, gfp_t gfp)
{
	return kmalloc_array(n, size, gfp | __GFP_ZERO);
}

/* The kmalloc-N cache serving @size (1 .. KMALLOC_MAX_CACHE_SIZE), else NULL. */
struct kmem_cache *kmalloc_slab(size_t size);

/* ---- reports ---- */

/* Slab memory for meminfo, in bytes (Slab = reclaimable + unreclaimable). */
struct slab_meminfo {
	unsigned long slab;
	unsigned long sreclaimable;
	unsigned long sunreclaim;
};
void slab_get_meminfo(struct slab_meminfo *mi);

/* Print /proc/slabinfo (format version 2.1) with printk. */
void slabinfo_show(void);

#endif /* MM_SLAB_H */
