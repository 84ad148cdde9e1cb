/* SPDX-License-Identifier: MIT */
/*
 * What slab.c, slab_debug.c and kmalloc.c share and nobody else needs (as
 * Linux's mm/slab.h): how a slab is described by its struct pages, the
 * fast paths, and the debug hooks. See docs/slab.md for the layout.
 *
 * Head page of a slab (the first struct page of its 2^order block):
 *   flags   bits 0..15  page flags: PG_slab (+ PG_head from the allocator)
 *           bit 16      SLAB_PAGE_FROZEN: the slab is a CPU slab
 *           bits 32..47 the cache's id (index in slab_cache_table[])
 *   lru     the cache's partial list (or its full list, debug caches)
 *   private bits 0..15  inuse: objects not on the slab's own freelist
 *           bits 16..31 offset of the first free object from the slab's
 *                       start, SLAB_FREELIST_NONE when the freelist is empty
 *   _refcount           the page allocator's (1)
 * Tail pages: lru.next = head + SLAB_TAIL_MARK, all else as the allocator
 * left it (zero). Large kmalloc blocks use the same tail encoding and
 * SLAB_PAGE_LARGE in the head's flags (the order stays in @private).
 */
#ifndef MM_SLAB_INTERNAL_H
#define MM_SLAB_INTERNAL_H

#include "mm/page_alloc.h"
#include "mm/slab.h"

#define slab_likely(x) __builtin_expect(!!(x), 1)
#define slab_unlikely(x) __builtin_expect(!!(x), 0)

#define SLAB_PAGE_FROZEN (1ul << 16)
#define SLAB_PAGE_LARGE (1ul << 17)
#define SLAB_PAGE_CACHE_SHIFT 32
#define SLAB_PAGE_CACHE_MASK 0xfffful
#define SLAB_PAGE_OWN_FLAGS \
	((1ul << PG_slab) | SLAB_PAGE_FROZEN | SLAB_PAGE_LARGE | \
	 (SLAB_PAGE_CACHE_MASK << SLAB_PAGE_CACHE_SHIFT))
_Static_assert(NR_PAGEFLAGS <= 16, "page flags leave bits 16.. to the slab allocator");

#define SLAB_INUSE_MASK 0xffffu
#define SLAB_FREELIST_SHIFT 16
#define SLAB_FREELIST_NONE 0xffffu /* no object starts there: objects are 8-aligned */
_Static_assert((PAGE_SIZE << SLAB_MAX_ORDER) <= 0x10000, "slab offsets fit 16 bits");

/* Tail pages point at their head with this bit set (pointers are aligned). */
#define SLAB_TAIL_MARK 1ul

/*
 * Zone modifiers slab memory cannot have: it must stay mapped (no highmem)
 * and never move. Linux warns and strips them too (GFP_SLAB_BUG_MASK).
 */
#define GFP_SLAB_BUG_MASK (__GFP_HIGHMEM | __GFP_MOVABLE | __GFP_DMA32)

/* @gfp without GFP_SLAB_BUG_MASK, reported once per call if it had some. */
gfp_t slab_fix_gfp(gfp_t gfp);

/* The most caches at once: ids fit SLAB_PAGE_CACHE_MASK, the table is in .bss. */
#define SLAB_MAX_CACHES 256u

extern struct kmem_cache *slab_cache_table[SLAB_MAX_CACHES];
extern struct list_head slab_caches;

/* The one CPU's index (a per-CPU variable read once there are several). */
static inline unsigned int slab_this_cpu(void)
{
	return 0;
}

/* The head page of the block @page belongs to (slab or large kmalloc). */
static inline struct page *slab_head_page(struct page *page)
{
	unsigned long next = (unsigned long)page->lru.next;

	if (slab_unlikely(next & SLAB_TAIL_MARK))
		return (struct page *)(next - SLAB_TAIL_MARK);
	return page;
}

/* The cache a slab head page belongs to. */
static inline struct kmem_cache *slab_page_cache(const struct page *page)
{
	return slab_cache_table[(page->flags >> SLAB_PAGE_CACHE_SHIFT) & SLAB_PAGE_CACHE_MASK];
}

static inline unsigned int slab_inuse(const struct page *page)
{
	return page->private & SLAB_INUSE_MASK;
}

static inline void slab_set_inuse(struct page *page, unsigned int inuse)
{
	page->private = (page->private & ~SLAB_INUSE_MASK) | inuse;
}

static inline bool slab_frozen(const struct page *page)
{
	return page->flags & SLAB_PAGE_FROZEN;
}

/* The free pointer stored in free object @obj. */
static inline void *get_freepointer(const struct kmem_cache *s, void *obj)
{
	return *(void **)((char *)obj + s->offset);
}

static inline void set_freepointer(const struct kmem_cache *s, void *obj, void *next)
{
	*(void **)((char *)obj + s->offset) = next;
}

/* The slab's own freelist (objects freed while the slab is not a CPU slab). */
void *slab_get_freelist(const struct page *page, char *base);
void slab_set_freelist(struct page *page, char *base, void *obj);

/* Slow paths (slab.c), out of line. */
void *__slab_alloc(struct kmem_cache *s, gfp_t gfp, void *caller);
void __slab_free(struct kmem_cache *s, struct page *page, void *obj, void *caller);
/* Report a free the naive check found already at the head of the CPU freelist. */
void slab_report_double_free(struct kmem_cache *s, const void *obj);

/*
 * Allocation fast path: pop the CPU freelist. A debug cache never has one,
 * so it always takes the slow path, where its checks are.
 */
static inline void *slab_alloc(struct kmem_cache *s, gfp_t gfp, void *caller)
{
	struct kmem_cache_cpu *c = &s->cpu_slab[slab_this_cpu()];
	void *obj = c->freelist;

	if (slab_unlikely(!obj))
		return __slab_alloc(s, gfp, caller);
	c->freelist = get_freepointer(s, obj);
	if (slab_unlikely(gfp & __GFP_ZERO))
		__builtin_memset(obj, 0, s->object_size);
	return obj;
}

/*
 * Free fast path: an object of the CPU slab goes on the CPU freelist.
 * Freeing the object already at the head of that list is the one double
 * free caught here, for one compare (Linux's FREELIST_HARDENED check).
 */
static inline void slab_free(struct kmem_cache *s, struct page *page, void *obj, void *caller)
{
	struct kmem_cache_cpu *c = &s->cpu_slab[slab_this_cpu()];

	if (slab_likely(page == c->slab)) {
		if (slab_unlikely(obj == c->freelist)) {
			slab_report_double_free(s, obj);
			return;
		}
		set_freepointer(s, obj, c->freelist);
		c->freelist = obj;
		return;
	}
	__slab_free(s, page, obj, caller);
}

/* Whether @obj is the start of an object of slab @page (at @base) of @s; its index if so. */
bool slab_object_index(const struct kmem_cache *s, const char *base, const void *obj,
		       unsigned int *index);

/* ---- slab_debug.c ---- */

/* The slub_debug flags the parameter gives cache @name. */
slab_flags_t slub_debug_flags(const char *name);

/* Whether objects of @s are poisoned (SLAB_POISON and no constructor). */
static inline bool slab_poisons(const struct kmem_cache *s)
{
	return (s->flags & SLAB_POISON) && !s->ctor;
}

/* A new slab's object: inactive red zones and free poison. */
void slab_debug_init_object(struct kmem_cache *s, void *obj);
/* @obj leaves the freelist: check poison and red zones, mark it active. */
void slab_debug_alloc(struct kmem_cache *s, void *obj, void *caller);
/*
 * @obj is being freed into slab @page of @s: whether the free is sound
 * (reported and refused otherwise); marks it free (poison, red zones).
 */
bool slab_debug_free(struct kmem_cache *s, struct page *page, void *obj, void *caller);
/* Problems in the objects of one slab of a debug cache (for kmem_cache_validate). */
unsigned int slab_debug_check_slab(struct kmem_cache *s, struct page *page);
/* One report line: "slub: <cache>: <what>". */
void slab_report(const struct kmem_cache *s, const char *fmt, ...) __printf(2, 3);

/* ---- kmalloc.c ---- */

/* Create the kmalloc-N caches (called by kmem_cache_init()). */
void kmalloc_init(void);

/* ---- slab.c, for kmalloc.c ---- */

/* Set up @s (static storage) as a cache; 0 or -EINVAL / -ENOSPC with a message. */
int slab_cache_setup(struct kmem_cache *s, const char *name, unsigned int size,
		     unsigned int align, slab_flags_t flags, void (*ctor)(void *));
/* Pages held by slabs and large kmalloc blocks, by reclaimability. */
extern unsigned long slab_pages_reclaimable, slab_pages_unreclaimable;

#endif /* MM_SLAB_INTERNAL_H */
