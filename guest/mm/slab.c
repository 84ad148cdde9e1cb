// SPDX-License-Identifier: MIT
/*
 * The slab allocator's core, after Linux's SLUB: caches, slabs, the
 * per-CPU slab and its freelist, partial lists, and the reports.
 *
 * A slab is one block of 2^order pages cut into s->objects objects of
 * s->size bytes. Its free objects are chained through a free pointer
 * stored in each free object at s->offset. Every piece of bookkeeping
 * lives in the block's struct pages (slab_internal.h, docs/slab.md), so
 * the slab memory is objects only.
 *
 * States of a slab (SLUB's):
 *  - frozen: the CPU slab. Its free objects are on the CPU freelist
 *    (c->freelist), owned by the CPU; its own freelist is empty and
 *    inuse == objects when it is frozen.
 *  - partial: on s->partial, some objects free on its own freelist
 *    (possibly all: empty slabs are kept there up to s->min_partial).
 *  - full: no free object; on no list (debug caches: on s->full, so
 *    kmem_cache_validate() reaches every slab).
 *
 * Locking: one CPU and no interrupts, so nothing. Once interrupt handlers
 * allocate, the fast paths need the CPU freelist and CPU slab updated as
 * one step (SLUB's this_cpu_cmpxchg_double with a transaction id, or
 * interrupts off around the two stores) and the slow paths a per-cache
 * spinlock for the lists; with several CPUs the slab's own freelist and
 * counters also change under that lock or a cmpxchg on the head page.
 */
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "slab_internal.h"


#define SLAB_DEFAULT_ALIGN 8u     /* sizeof(void *): the free pointer's alignment */
#define SLAB_REDZONE_BYTES 8u     /* a right red zone is at least this long */
#define L1_CACHE_BYTES 64u        /* SLAB_HWCACHE_ALIGN's line */
#define SLAB_MIN_OBJECTS 8u       /* Linux's 4 * (fls(nr_cpus) + 1) for one CPU */
#define SLAB_MAX_ORDER_PREFERRED 3u /* Linux's slub_max_order (PAGE_ALLOC_COSTLY_ORDER) */
#define SLAB_WASTE_FRACTION 16u   /* at most 1/16 of a slab left over */
#define MIN_PARTIAL 5ul           /* Linux's bounds of min_partial */
#define MAX_PARTIAL 10ul

struct kmem_cache *slab_cache_table[SLAB_MAX_CACHES];
struct list_head slab_caches = LIST_HEAD_INIT(slab_caches);
unsigned long slab_pages_reclaimable, slab_pages_unreclaimable;

/* The cache the kmem_cache structs of kmem_cache_create() come from. */
static struct kmem_cache kmem_cache_boot;
static bool slab_up;

/* The free list's first object of the slab at @base, or NULL. */
void *slab_get_freelist(const struct page *page, char *base)
{
	unsigned int off = page->private >> SLAB_FREELIST_SHIFT;

	return off == SLAB_FREELIST_NONE ? NULL : base + off;
}

/* Make @obj (or NULL) the first free object of the slab at @base. */
void slab_set_freelist(struct page *page, char *base, void *obj)
{
	unsigned int off = obj ? (unsigned int)((char *)obj - base) : SLAB_FREELIST_NONE;

	page->private = (page->private & SLAB_INUSE_MASK) | (off << SLAB_FREELIST_SHIFT);
}

/* Whether @obj starts an object of the slab at @base; @index gets which. */
bool slab_object_index(const struct kmem_cache *s, const char *base, const void *obj,
		       unsigned int *index)
{
	unsigned long off = (unsigned long)((const char *)obj - base);

	if ((const char *)obj < base + s->red_left_pad)
		return false;
	off -= s->red_left_pad;
	if (off % s->size || off / s->size >= s->objects)
		return false;
	*index = (unsigned int)(off / s->size);
	return true;
}

/* Linux's fls(): the 1-based index of the highest set bit, 0 for 0. */
static unsigned int slab_fls(unsigned long x)
{
	return x ? 64u - (unsigned int)__builtin_clzl(x) : 0;
}

/*
 * Where everything goes in an object's slot (docs/slab.md):
 *   [left red zone][object][right red zone][free pointer][track][pad]
 * with the free pointer inside the object (offset 0) unless a constructor,
 * poison or red zones need the object's bytes while it is free.
 */
static void calculate_sizes(struct kmem_cache *s)
{
	unsigned int size = s->object_size;
	bool fp_outside = s->ctor || slab_poisons(s) || (s->flags & SLAB_RED_ZONE);

	if (s->flags & SLAB_RED_ZONE)
		size = (size + SLAB_DEFAULT_ALIGN - 1) / SLAB_DEFAULT_ALIGN * SLAB_DEFAULT_ALIGN +
		       SLAB_REDZONE_BYTES;
	else
		size = (size + SLAB_DEFAULT_ALIGN - 1) & ~(SLAB_DEFAULT_ALIGN - 1);
	s->inuse = size;
	s->offset = 0;
	if (fp_outside) {
		s->offset = size;
		size += sizeof(void *);
	}
	s->track_offset = 0;
	if (s->flags & SLAB_STORE_USER) {
		s->track_offset = size;
		size += 2 * sizeof(void *); /* alloc caller, free caller */
	}
	s->red_left_pad = 0;
	if (s->flags & SLAB_RED_ZONE) {
		s->red_left_pad = s->align > SLAB_REDZONE_BYTES ? s->align : SLAB_REDZONE_BYTES;
		size += s->red_left_pad;
	}
	s->size = (size + s->align - 1) & ~(s->align - 1);
}

/*
 * The slab order (Linux's calculate_order()): the smallest order up to 3
 * holding SLAB_MIN_OBJECTS objects with at most 1/16 wasted, asking for
 * fewer objects if none does, and at last any order up to SLAB_MAX_ORDER
 * holding one. Returns false if even that cannot hold one object.
 */
static bool calculate_order(struct kmem_cache *s)
{
	unsigned int min_objects, order;

	for (min_objects = SLAB_MIN_OBJECTS; min_objects > 1; min_objects /= 2)
		for (order = 0; order <= SLAB_MAX_ORDER_PREFERRED; order++) {
			unsigned long slab_size = PAGE_SIZE << order;
			unsigned long objects = slab_size / s->size;

			if (objects >= min_objects &&
			    (slab_size - objects * s->size) * SLAB_WASTE_FRACTION <= slab_size)
				goto found;
		}
	for (order = 0; order <= SLAB_MAX_ORDER; order++)
		if ((PAGE_SIZE << order) >= s->size)
			goto found;
	return false;
found:
	s->order = order;
	s->objects = (unsigned int)((PAGE_SIZE << order) / s->size);
	return true;
}

/* Linux's calculate_alignment(): cache-line alignment only as wide as small objects need. */
static unsigned int calculate_alignment(slab_flags_t flags, unsigned int align, unsigned int size)
{
	if (flags & SLAB_HWCACHE_ALIGN) {
		unsigned int ralign = L1_CACHE_BYTES;

		while (size <= ralign / 2)
			ralign /= 2;
		if (ralign > align)
			align = ralign;
	}
	return align < SLAB_DEFAULT_ALIGN ? SLAB_DEFAULT_ALIGN : align;
}

/* Caches are few: a walk of the list finds one by name. */
struct kmem_cache *kmem_cache_find(const char *name)
{
	struct kmem_cache *s;

	list_for_each_entry(s, &slab_caches, list)
		if (!strcmp(s->name, name))
			return s;
	return NULL;
}

/* Make @s a cache: check the arguments, lay out the slots, register it. */
int slab_cache_setup(struct kmem_cache *s, const char *name, unsigned int size,
		     unsigned int align, slab_flags_t flags, void (*ctor)(void *))
{
	unsigned int id;
	size_t len;

	if (!name || !name[0] || (len = strnlen(name, SLAB_NAME_MAX)) == SLAB_NAME_MAX) {
		printk("kmem_cache_create: bad name \"%.40s\" (1 to %u characters)\n",
		       name ? name : "(null)", SLAB_NAME_MAX - 1);
		return -EINVAL;
	}
	if (kmem_cache_find(name)) {
		printk("kmem_cache_create: a cache named %s exists already\n", name);
		return -EINVAL;
	}
	if (!size || size > (PAGE_SIZE << SLAB_MAX_ORDER) / 2) {
		printk("kmem_cache_create %s: bad object size %u (1 to %lu)\n", name, size,
		       (PAGE_SIZE << SLAB_MAX_ORDER) / 2);
		return -EINVAL;
	}
	if (align & (align - 1) || align > PAGE_SIZE) {
		printk("kmem_cache_create %s: bad alignment %u (a power of two up to %lu)\n", name,
		       align, PAGE_SIZE);
		return -EINVAL;
	}
	if (flags & ~(SLAB_CREATE_MASK | SLAB_KMALLOC)) {
		printk("kmem_cache_create %s: unknown flags %#x\n", name,
		       flags & ~(SLAB_CREATE_MASK | SLAB_KMALLOC));
		return -EINVAL;
	}
	for (id = 0; id < SLAB_MAX_CACHES && slab_cache_table[id]; id++)
		;
	if (id == SLAB_MAX_CACHES) {
		printk("kmem_cache_create %s: too many caches (%u)\n", name, SLAB_MAX_CACHES);
		return -ENOSPC;
	}

	memset(s, 0, sizeof(*s));
	memcpy(s->name, name, len + 1);
	s->object_size = size;
	s->flags = flags | slub_debug_flags(name);
	s->ctor = ctor;
	s->align = calculate_alignment(flags, align, size);
	s->allocflags = (flags & SLAB_RECLAIM_ACCOUNT) ? __GFP_RECLAIMABLE : 0;
	calculate_sizes(s);
	if (!calculate_order(s)) {
		printk("kmem_cache_create %s: objects of %u bytes with metadata fit no slab\n",
		       name, s->size);
		return -EINVAL;
	}
	/* Linux's set_min_partial(): ilog2(size) / 2, clamped. */
	s->min_partial = slab_fls(s->size) / 2;
	if (s->min_partial < MIN_PARTIAL)
		s->min_partial = MIN_PARTIAL;
	if (s->min_partial > MAX_PARTIAL)
		s->min_partial = MAX_PARTIAL;
	INIT_LIST_HEAD(&s->partial);
	INIT_LIST_HEAD(&s->full);
	s->id = id;
	slab_cache_table[id] = s;
	list_add(&s->list, &slab_caches);
	return 0;
}

/* Slab memory must be lowmem and unmovable: strip what says otherwise. */
gfp_t slab_fix_gfp(gfp_t gfp)
{
	if (slab_unlikely(gfp & GFP_SLAB_BUG_MASK)) {
		printk("slab: unexpected gfp %#x: %#x removed (slab memory is lowmem, unmovable)\n",
		       gfp, gfp & GFP_SLAB_BUG_MASK);
		gfp &= ~GFP_SLAB_BUG_MASK;
	}
	return gfp;
}

/* The counter the pages of @s count in. */
static unsigned long *slab_pages_counter(const struct kmem_cache *s)
{
	return (s->flags & SLAB_RECLAIM_ACCOUNT) ? &slab_pages_reclaimable :
						   &slab_pages_unreclaimable;
}

/*
 * A new slab for @s: every object on its own freelist in address order,
 * constructed (ctor) or, for debug caches, poisoned and red-zoned. The
 * tail pages are pointed at the head here, the only time they are written.
 */
static struct page *allocate_slab(struct kmem_cache *s, gfp_t gfp)
{
	struct page *page;
	unsigned long i, nr_pages = 1ul << s->order;
	char *base, *obj;

	page = alloc_pages((slab_fix_gfp(gfp) & ~__GFP_ZERO) | s->allocflags, s->order);
	if (!page)
		return NULL;
	base = page_address(page);
	page->flags |= (1ul << PG_slab) | ((unsigned long)s->id << SLAB_PAGE_CACHE_SHIFT);
	INIT_LIST_HEAD(&page->lru);
	for (i = 1; i < nr_pages; i++) {
		page[i].lru.next = (struct list_head *)((unsigned long)page | SLAB_TAIL_MARK);
		page[i].lru.prev = NULL;
	}
	page->private = 0;
	obj = base + s->red_left_pad;
	for (i = 0; i < s->objects; i++, obj += s->size) {
		if (s->flags & SLAB_DEBUG_FLAGS)
			slab_debug_init_object(s, obj);
		if (s->ctor)
			s->ctor(obj);
		set_freepointer(s, obj, i + 1 < s->objects ? obj + s->size : NULL);
	}
	slab_set_freelist(page, base, base + s->red_left_pad);
	slab_set_inuse(page, 0);
	s->nr_slabs++;
	*slab_pages_counter(s) += nr_pages;
	return page;
}

/* Give slab @page of @s back to the page allocator, struct pages as it gave them. */
static void discard_slab(struct kmem_cache *s, struct page *page)
{
	unsigned long i, nr_pages = 1ul << s->order;

	for (i = 1; i < nr_pages; i++) {
		page[i].lru.next = NULL;
		page[i].lru.prev = NULL;
	}
	page->flags &= ~SLAB_PAGE_OWN_FLAGS;
	page->private = s->order;
	s->nr_slabs--;
	*slab_pages_counter(s) -= nr_pages;
	__free_pages(page, s->order);
}

/* Take the whole own freelist of @page for the CPU: it becomes the CPU slab. */
static void *freeze_slab(struct kmem_cache *s, struct page *page)
{
	char *base = page_address(page);
	void *obj = slab_get_freelist(page, base);

	page->flags |= SLAB_PAGE_FROZEN;
	slab_set_freelist(page, base, NULL);
	slab_set_inuse(page, s->objects);
	return obj;
}

/*
 * End @c's CPU slab (SLUB's deactivate_slab()): its CPU freelist goes back
 * on the slab's own list, and the slab to the partial list, to the page
 * allocator if empty and enough are kept, or to no list if full.
 */
static void deactivate_slab(struct kmem_cache *s, struct kmem_cache_cpu *c)
{
	struct page *page = c->slab;
	char *base;
	void *obj, *next;

	if (!page)
		return;
	base = page_address(page);
	for (obj = c->freelist; obj; obj = next) {
		next = get_freepointer(s, obj);
		set_freepointer(s, obj, slab_get_freelist(page, base));
		slab_set_freelist(page, base, obj);
		slab_set_inuse(page, slab_inuse(page) - 1);
	}
	c->freelist = NULL;
	c->slab = NULL;
	page->flags &= ~SLAB_PAGE_FROZEN;
	if (!slab_inuse(page) && s->nr_partial >= s->min_partial) {
		discard_slab(s, page);
	} else if (slab_get_freelist(page, base)) {
		list_add(&page->lru, &s->partial);
		s->nr_partial++;
	}
}

/*
 * Debug caches: objects come one at a time from the slab's own freelist
 * (no CPU slab), with the checks of slab_debug_alloc().
 */
static void *debug_slab_alloc(struct kmem_cache *s, gfp_t gfp, void *caller)
{
	struct page *page;
	char *base;
	void *obj;
	unsigned int index;

	if (list_empty(&s->partial)) {
		page = allocate_slab(s, gfp);
		if (!page)
			return NULL;
		list_add(&page->lru, &s->partial);
		s->nr_partial++;
	}
	page = list_first_entry(&s->partial, struct page, lru);
	base = page_address(page);
	obj = slab_get_freelist(page, base);
	if (!slab_object_index(s, base, obj, &index)) {
		/* Should not happen: the free list was cut off in a bad free check. */
		slab_report(s, "slab %p: freelist head %p is not an object; slab isolated", base,
			    obj);
		list_move(&page->lru, &s->full);
		s->nr_partial--;
		return debug_slab_alloc(s, gfp, caller);
	}
	slab_set_freelist(page, base, get_freepointer(s, obj));
	slab_set_inuse(page, slab_inuse(page) + 1);
	if (!slab_get_freelist(page, base)) {
		list_move(&page->lru, &s->full);
		s->nr_partial--;
	}
	slab_debug_alloc(s, obj, caller);
	return obj;
}

/* Allocation slow path: refill the CPU freelist from the CPU slab, a partial slab or a new one. */
void *__slab_alloc(struct kmem_cache *s, gfp_t gfp, void *caller)
{
	struct kmem_cache_cpu *c = &s->cpu_slab[slab_this_cpu()];
	struct page *page;
	void *obj;

	if (slab_unlikely(!s->objects)) {
		printk("kmem_cache_alloc: cache %p is not set up (kmem_cache_init() not run?)\n",
		       (void *)s);
		return NULL;
	}
	if (s->flags & SLAB_DEBUG_FLAGS)
		obj = debug_slab_alloc(s, gfp, caller);
	else {
		/* Objects freed to the CPU slab's own list (by another CPU, one day). */
		if (c->slab) {
			obj = freeze_slab(s, c->slab);
			if (obj)
				goto got_freelist;
			deactivate_slab(s, c);
		}
		if (!list_empty(&s->partial)) {
			page = list_first_entry(&s->partial, struct page, lru);
			list_del(&page->lru);
			s->nr_partial--;
		} else {
			page = allocate_slab(s, gfp);
			if (!page)
				return NULL;
		}
		obj = freeze_slab(s, page);
		c->slab = page;
got_freelist:
		c->freelist = get_freepointer(s, obj);
	}
	if (obj && (gfp & __GFP_ZERO))
		memset(obj, 0, s->object_size);
	return obj;
}

/*
 * Free slow path: the object is not of the CPU slab. Checks that it is an
 * object of @s at all (any cache), then the debug checks; the object goes
 * on its slab's own freelist and the slab moves between lists.
 */
void __slab_free(struct kmem_cache *s, struct page *page, void *obj, void *caller)
{
	char *base;
	bool was_full;
	unsigned int index;

	if (!PageSlab(page) || slab_page_cache(page) != s) {
		slab_report(s,
			    "object %p freed to the wrong cache: it belongs to %s (free refused)",
			    obj, PageSlab(page) ? slab_page_cache(page)->name : "no slab cache");
		return;
	}
	base = page_address(page);
	if (!slab_object_index(s, base, obj, &index)) {
		slab_report(s, "free of %p, not an object start (slab %p, object size %u) "
			    "(free refused)", obj, base, s->size);
		return;
	}
	if ((s->flags & SLAB_DEBUG_FLAGS) && !slab_debug_free(s, page, obj, caller))
		return;
	if (slab_unlikely(obj == slab_get_freelist(page, base))) {
		slab_report_double_free(s, obj);
		return;
	}
	was_full = !slab_get_freelist(page, base);
	set_freepointer(s, obj, slab_get_freelist(page, base));
	slab_set_freelist(page, base, obj);
	slab_set_inuse(page, slab_inuse(page) - 1);
	if (slab_frozen(page))
		return; /* a CPU slab: whoever owns it sees the object on its next refill */

	if (!slab_inuse(page) && s->nr_partial >= s->min_partial) {
		if (!was_full)
			s->nr_partial--;
		if (!was_full || (s->flags & SLAB_DEBUG_FLAGS))
			list_del(&page->lru);
		discard_slab(s, page);
		return;
	}
	if (was_full) {
		if (s->flags & SLAB_DEBUG_FLAGS)
			list_del(&page->lru);
		list_add_tail(&page->lru, &s->partial);
		s->nr_partial++;
	}
}

/* The one line of a double free caught without debug flags. */
void slab_report_double_free(struct kmem_cache *s, const void *obj)
{
	slab_report(s, "double free of object %p: already on the freelist (free refused)", obj);
}

/* An object of @s: the inline fast path, caller kept for slub_debug U. */
void *kmem_cache_alloc(struct kmem_cache *s, gfp_t gfp)
{
	return slab_alloc(s, gfp, __builtin_return_address(0));
}

/* Free @obj into @s; the slow path checks it really is one of @s. */
void kmem_cache_free(struct kmem_cache *s, void *obj)
{
	if (slab_unlikely(!obj))
		return;
	slab_free(s, slab_head_page(virt_to_page(obj)), obj, __builtin_return_address(0));
}

/* Flush the CPU slabs, then free every empty partial slab. */
unsigned long kmem_cache_shrink(struct kmem_cache *s)
{
	struct page *page, *next;
	unsigned long freed = 0;

	for (unsigned int cpu = 0; cpu < SLAB_NR_CPUS; cpu++)
		deactivate_slab(s, &s->cpu_slab[cpu]);
	list_for_each_entry_safe(page, next, &s->partial, lru) {
		if (slab_inuse(page))
			continue;
		list_del(&page->lru);
		s->nr_partial--;
		discard_slab(s, page);
		freed++;
	}
	return freed;
}

/* Free objects of @s: on partial slabs, on the CPU freelists and CPU slabs' own lists. */
static unsigned long count_free(const struct kmem_cache *s)
{
	const struct page *page;
	unsigned long nr = 0;
	void *obj;

	list_for_each_entry(page, &s->partial, lru)
		nr += s->objects - slab_inuse(page);
	for (unsigned int cpu = 0; cpu < SLAB_NR_CPUS; cpu++) {
		const struct kmem_cache_cpu *c = &s->cpu_slab[cpu];

		if (c->slab)
			nr += s->objects - slab_inuse(c->slab);
		for (obj = c->freelist; obj; obj = get_freepointer(s, obj))
			nr++;
	}
	return nr;
}

/* Free @s and its slabs, unless objects are still allocated. */
bool kmem_cache_destroy(struct kmem_cache *s)
{
	unsigned long live;

	if (!s)
		return true;
	if (s->flags & SLAB_KMALLOC || s == &kmem_cache_boot) {
		printk("kmem_cache_destroy %s: a boot cache cannot be destroyed\n", s->name);
		return false;
	}
	kmem_cache_shrink(s);
	live = s->nr_slabs * s->objects - count_free(s);
	if (live) {
		printk("kmem_cache_destroy %s: Slab cache still has objects (%lu live)\n", s->name,
		       live);
		return false;
	}
	/* Only empty slabs kept as partial ones remain (shrink freed those too). */
	list_del(&s->list);
	slab_cache_table[s->id] = NULL;
	kmem_cache_free(&kmem_cache_boot, s);
	return true;
}

/* A new cache; its struct comes from the "kmem_cache" cache. */
struct kmem_cache *kmem_cache_create(const char *name, unsigned int size, unsigned int align,
				     slab_flags_t flags, void (*ctor)(void *))
{
	struct kmem_cache *s;

	if (!slab_up) {
		printk("kmem_cache_create %s: the slab allocator is not initialised\n",
		       name ? name : "(null)");
		return NULL;
	}
	if (flags & SLAB_KMALLOC) {
		printk("kmem_cache_create %s: SLAB_KMALLOC is kmalloc's own\n", name ? name : "");
		return NULL;
	}
	s = kmem_cache_alloc(&kmem_cache_boot, GFP_KERNEL);
	if (!s)
		return NULL;
	if (slab_cache_setup(s, name, size, align, flags, ctor)) {
		kmem_cache_free(&kmem_cache_boot, s);
		return NULL;
	}
	return s;
}

/* For callers (selftests) that must not run before kmem_cache_init(). */
bool slab_is_available(void)
{
	return slab_up;
}

/* The boot caches: the cache of caches, then the kmalloc classes. */
void kmem_cache_init(void)
{
	if (slab_up)
		return;
	if (slab_cache_setup(&kmem_cache_boot, "kmem_cache", sizeof(struct kmem_cache), 0,
			     SLAB_HWCACHE_ALIGN, NULL))
		return;
	kmalloc_init();
	slab_up = true;
}

/* Walk the listed slabs of @s checking freelists, counts and debug bytes. */
unsigned int kmem_cache_validate(struct kmem_cache *s)
{
	struct list_head *lists[] = { &s->partial, &s->full };
	unsigned int problems = 0, index;
	struct page *page;

	for (unsigned int l = 0; l < ARRAY_SIZE(lists); l++)
		list_for_each_entry(page, lists[l], lru) {
			char *base = page_address(page);
			unsigned int nr_free = 0;
			void *obj;

			if (!PageSlab(page) || slab_page_cache(page) != s) {
				slab_report(s, "slab %p on the lists is not this cache's", base);
				problems++;
				continue;
			}
			for (obj = slab_get_freelist(page, base); obj;
			     obj = get_freepointer(s, obj)) {
				if (!slab_object_index(s, base, obj, &index) ||
				    nr_free >= s->objects) {
					slab_report(s, "slab %p: freelist entry %p is no object",
						    base, obj);
					problems++;
					break;
				}
				nr_free++;
			}
			if (nr_free + slab_inuse(page) != s->objects) {
				slab_report(s, "slab %p: %u free + %u in use != %u objects", base,
					    nr_free, slab_inuse(page), s->objects);
				problems++;
			}
			if (s->flags & SLAB_DEBUG_FLAGS)
				problems += slab_debug_check_slab(s, page);
		}
	return problems;
}

/* The slab lines of meminfo, from the page counters. */
void slab_get_meminfo(struct slab_meminfo *mi)
{
	mi->sreclaimable = slab_pages_reclaimable * PAGE_SIZE;
	mi->sunreclaim = slab_pages_unreclaimable * PAGE_SIZE;
	mi->slab = mi->sreclaimable + mi->sunreclaim;
}

/*
 * /proc/slabinfo, version 2.1, with Linux's spacing (slab_common.c). SLUB
 * has no tunables and counts every slab as active; active_objs here is
 * exact (Linux counts the CPU slab's free objects as active).
 */
void slabinfo_show(void)
{
	const struct kmem_cache *s;

	printk("slabinfo - version: 2.1\n");
	printk("# name            <active_objs> <num_objs> <objsize> <objperslab> "
	       "<pagesperslab> : tunables <limit> <batchcount> <sharedfactor> : slabdata "
	       "<active_slabs> <num_slabs> <sharedavail>\n");
	list_for_each_entry(s, &slab_caches, list) {
		unsigned long num_objs = s->nr_slabs * s->objects;

		printk("%-17s %6lu %6lu %6u %4u %4d : tunables %4u %4u %4u : slabdata %6lu %6lu "
		       "%6lu\n",
		       s->name, num_objs - count_free(s), num_objs, s->size, s->objects,
		       1 << s->order, 0u, 0u, 0u, s->nr_slabs, s->nr_slabs, 0ul);
	}
}
