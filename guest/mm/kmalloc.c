// SPDX-License-Identifier: MIT
/*
 * kmalloc and friends: the kmalloc-N caches (Linux's size classes 8 to 8k,
 * with 96 and 192), and blocks straight from the page allocator above
 * 8 KiB ("large kmalloc": the head page keeps the order, the tail pages
 * point at the head, so kfree() and ksize() work from the pointer alone).
 * Large blocks count as SUnreclaim, as in Linux.
 */
#include "kernel/printk.h"
#include "kernel/string.h"
#include "slab_internal.h"

/* Size classes, smallest first; index = kmalloc cache index. */
static const unsigned int kmalloc_sizes[KMALLOC_NR_CACHES] = {
	8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096, 8192,
};
static const char *const kmalloc_names[KMALLOC_NR_CACHES] = {
	"kmalloc-8",   "kmalloc-16",  "kmalloc-32",  "kmalloc-64", "kmalloc-96",
	"kmalloc-128", "kmalloc-192", "kmalloc-256", "kmalloc-512", "kmalloc-1k",
	"kmalloc-2k",  "kmalloc-4k",  "kmalloc-8k",
};

#define KMALLOC_SMALL_MAX 192u    /* sizes up to this use size_index[] */
#define KMALLOC_SMALL_STEP 8u     /* ...in steps of this */
#define KMALLOC_INDEX_256 7u      /* index of kmalloc-256, the first power-of-two-only class */
#define KMALLOC_SHIFT_256 8u      /* log2(256) */

/* Cache index for sizes 1..192, by (size - 1) / 8 (Linux's size_index[]). */
static const u8 size_index[KMALLOC_SMALL_MAX / KMALLOC_SMALL_STEP] = {
	0,                   /* 8 */
	1,                   /* 16 */
	2, 2,                /* 32 */
	3, 3, 3, 3,          /* 64 */
	4, 4, 4, 4,          /* 96 */
	5, 5, 5, 5,          /* 128 */
	6, 6, 6, 6, 6, 6, 6, 6, /* 192 */
};

static struct kmem_cache kmalloc_caches[KMALLOC_NR_CACHES];

/* The cache index of @size (1..KMALLOC_MAX_CACHE_SIZE). */
static inline unsigned int kmalloc_index(size_t size)
{
	if (size <= KMALLOC_SMALL_MAX)
		return size_index[(size - 1) / KMALLOC_SMALL_STEP];
	/* 193..256 -> 7, 257..512 -> 8, ... 4097..8192 -> 12 */
	return KMALLOC_INDEX_256 + (64u - (unsigned int)__builtin_clzl(size - 1)) -
	       KMALLOC_SHIFT_256;
}

/* The class a size maps to (tests and callers sizing their own caches). */
struct kmem_cache *kmalloc_slab(size_t size)
{
	if (!size || size > KMALLOC_MAX_CACHE_SIZE || !slab_is_available())
		return NULL;
	return &kmalloc_caches[kmalloc_index(size)];
}

/* Set up the 13 kmalloc-N caches in static storage (no allocation needed). */
void kmalloc_init(void)
{
	for (unsigned int i = 0; i < KMALLOC_NR_CACHES; i++) {
		unsigned int size = kmalloc_sizes[i];
		/* Power-of-two sizes are naturally aligned (Linux guarantees it too). */
		unsigned int align = (size & (size - 1)) ? 0 : size;

		if (align > PAGE_SIZE)
			align = PAGE_SIZE;
		slab_cache_setup(&kmalloc_caches[i], kmalloc_names[i], size, align, SLAB_KMALLOC,
				 NULL);
	}
}

/* The smallest order whose block holds @size bytes. */
static unsigned int large_order(size_t size)
{
	unsigned int order = 0;

	while ((PAGE_SIZE << order) < size)
		order++;
	return order;
}

/* A block from the page allocator for a request above the largest class. */
static __attribute__((noinline)) void *kmalloc_large(size_t size, gfp_t gfp)
{
	unsigned int order;
	unsigned long i;
	struct page *page;

	if (size > KMALLOC_MAX_SIZE) {
		if (!(gfp & __GFP_NOWARN))
			printk("kmalloc: %zu bytes is above KMALLOC_MAX_SIZE (%lu)\n", size,
			       KMALLOC_MAX_SIZE);
		return NULL;
	}
	order = large_order(size);
	page = alloc_pages(slab_fix_gfp(gfp), order);
	if (!page)
		return NULL;
	page->flags |= SLAB_PAGE_LARGE;
	INIT_LIST_HEAD(&page->lru);
	for (i = 1; i < (1ul << order); i++) {
		page[i].lru.next = (struct list_head *)((unsigned long)page | SLAB_TAIL_MARK);
		page[i].lru.prev = NULL;
	}
	slab_pages_unreclaimable += 1ul << order;
	return page_address(page);
}

/* The size class fast path, or the page allocator above 8 KiB. */
void *kmalloc(size_t size, gfp_t gfp)
{
	/*
	 * The kmalloc-N caches hold objects from any zone, so a __GFP_DMA
	 * request goes to the page allocator, which honours it (Linux has
	 * kmalloc-dma-N caches instead; rare enough here to cost a page).
	 */
	if (slab_unlikely(size > KMALLOC_MAX_CACHE_SIZE || (gfp & __GFP_DMA)))
		return kmalloc_large(size ? size : 1, gfp);
	if (slab_unlikely(!size))
		return ZERO_SIZE_PTR;
	return slab_alloc(&kmalloc_caches[kmalloc_index(size)], gfp,
			  __builtin_return_address(0));
}

/* Free large block @page holding @obj, or report a pointer kmalloc never returned. */
static __attribute__((noinline)) void kfree_large(struct page *page, const void *obj)
{
	unsigned int order = page->private;
	unsigned long i;

	if (!(page->flags & SLAB_PAGE_LARGE) || obj != page_address(page)) {
		printk("kfree: %p is not a kmalloc object (free refused)\n", obj);
		return;
	}
	for (i = 1; i < (1ul << order); i++) {
		page[i].lru.next = NULL;
		page[i].lru.prev = NULL;
	}
	page->flags &= ~SLAB_PAGE_LARGE;
	slab_pages_unreclaimable -= 1ul << order;
	__free_pages(page, order);
}

/* From the pointer alone: a slab object, or a large block by its head page. */
void kfree(const void *obj)
{
	struct page *page;

	if (slab_unlikely(ZERO_OR_NULL_PTR(obj)))
		return;
	page = slab_head_page(virt_to_page(obj));
	if (slab_unlikely(!PageSlab(page))) {
		kfree_large(page, obj);
		return;
	}
	slab_free(slab_page_cache(page), page, (void *)obj, __builtin_return_address(0));
}

/* What the caller may use: the class size or the whole large block. */
size_t ksize(const void *obj)
{
	struct page *page;

	if (ZERO_OR_NULL_PTR(obj))
		return 0;
	page = slab_head_page(virt_to_page(obj));
	if (PageSlab(page))
		return slab_page_cache(page)->object_size;
	if (page->flags & SLAB_PAGE_LARGE)
		return PAGE_SIZE << page->private;
	printk("ksize: %p is not a kmalloc object\n", obj);
	return 0;
}

/* Resize: in place when ksize() suffices, else allocate, copy and free. */
void *krealloc(const void *obj, size_t new_size, gfp_t gfp)
{
	size_t old_size;
	void *ret;

	if (slab_unlikely(!new_size)) {
		kfree(obj);
		return ZERO_SIZE_PTR;
	}
	old_size = ksize(obj);
	if (new_size <= old_size) {
		/* Shrinking or growing within the size class: the same object. */
		if (gfp & __GFP_ZERO)
			memset((char *)obj + new_size, 0, old_size - new_size);
		return (void *)obj;
	}
	ret = kmalloc(new_size, gfp);
	if (ret && old_size)
		memcpy(ret, obj, old_size);
	if (ret)
		kfree(obj);
	return ret;
}
