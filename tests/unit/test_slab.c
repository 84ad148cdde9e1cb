// SPDX-License-Identifier: MIT
/*
 * Host unit tests of the guest's slab allocator and kmalloc
 * (guest/mm/slab.c, slab_debug.c, kmalloc.c) over a page allocator test
 * double (fake_page_alloc.c) that counts pages and checks that every block
 * comes back with its struct pages as it handed them out.
 *
 * printk is provided here: the guest's vsnprintf formats into a log the
 * tests search, so the report lines checked are the console's.
 *
 * The slab allocator is one global state initialised once; every case
 * leaves it as it found it: the teardown shrinks the kmalloc caches, then
 * requires that no page is left with the page allocator, no free was bad
 * and kmem_cache_validate() finds nothing in any kmalloc cache. Cases that
 * need debug flags use caches of their own (the kmalloc caches are made
 * once, before any slub_debug setting here).
 *
 * Diagrams: "[o]" an object, "[.]" a free one, "|" slab boundaries.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake_page_alloc.h"
#include "kernel/printk.h"
#include "kernel/sprintf.h"
#include "mm/slab.h"
#include "../../guest/mm/slab_internal.h"

#define LOG_SIZE (1 << 16)
#define RANDOM_SEED 12345u
#define RANDOM_OPS 20000
#define RANDOM_SLOTS 512

static char log_buf[LOG_SIZE];
static size_t log_len;

/* The guest's printk, into log_buf, formatted by the guest's vsnprintf. */
int printk(const char *fmt, ...)
{
	size_t room = sizeof(log_buf) - log_len;
	va_list args;
	int n;

	va_start(args, fmt);
	n = vsnprintf(log_buf + log_len, room, fmt, args); /* kernel_vsnprintf */
	va_end(args);
	if (n < 0 || (size_t)n >= room) {
		log_len = 0; /* a runaway log: start over rather than overflow */
		return 0;
	}
	log_len += (size_t)n;
	return n;
}

static void log_reset(void)
{
	log_len = 0;
	log_buf[0] = '\0';
}

/* Fail unless @want occurs in the log. */
static void expect_log_has(const char *want)
{
	if (!strstr(log_buf, want)) {
		print_error("log lacks \"%s\"\n--- got:\n%s---\n", want, log_buf);
		fail();
	}
}

static void expect_log_empty(void)
{
	if (log_len) {
		print_error("unexpected log:\n%s---\n", log_buf);
		fail();
	}
}

/* Number of lines of the log. */
static unsigned int log_lines(void)
{
	unsigned int n = 0;

	for (size_t i = 0; i < log_len; i++)
		n += log_buf[i] == '\n';
	return n;
}

static int group_setup(void **state)
{
	(void)state;
	fake_page_alloc_reset();
	kmem_cache_init();
	return slab_is_available() ? 0 : -1;
}

static int setup(void **state)
{
	(void)state;
	log_reset();
	slub_debug_setup(NULL);
	fake_page_alloc_fail_after(-1);
	return 0;
}

/* Everything given back, nothing wrong anywhere. */
static int teardown(void **state)
{
	(void)state;
	slub_debug_setup(NULL);
	fake_page_alloc_fail_after(-1);
	for (size_t size = KMALLOC_MIN_SIZE; size <= KMALLOC_MAX_CACHE_SIZE; size++) {
		struct kmem_cache *s = kmalloc_slab(size);

		kmem_cache_shrink(s);
		assert_int_equal(kmem_cache_validate(s), 0);
		assert_int_equal(s->nr_slabs, 0);
		size = s->object_size;
	}
	kmem_cache_shrink(kmem_cache_find("kmem_cache"));
	assert_int_equal(fake_stats.bad_frees, 0);
	assert_int_equal(fake_stats.pages_in_use, 0);
	assert_int_equal(slab_pages_reclaimable + slab_pages_unreclaimable, 0);
	return 0;
}

/* The kmalloc cache an object came from. */
static struct kmem_cache *cache_of(const void *obj)
{
	struct page *page = slab_head_page(virt_to_page(obj));

	return PageSlab(page) ? slab_page_cache(page) : NULL;
}

/*
 * Every size class: kmalloc(N) comes from kmalloc-N, ksize() is N, the
 * whole of it is writable without touching a neighbour.
 */
static void kmalloc_each_size_class(void **state)
{
	static const unsigned int sizes[] = { 8, 16, 32, 64, 96, 128, 192, 256,
					      512, 1024, 2048, 4096, 8192 };
	static const char *const names[] = { "kmalloc-8", "kmalloc-16", "kmalloc-32",
					     "kmalloc-64", "kmalloc-96", "kmalloc-128",
					     "kmalloc-192", "kmalloc-256", "kmalloc-512",
					     "kmalloc-1k", "kmalloc-2k", "kmalloc-4k",
					     "kmalloc-8k" };
	(void)state;

	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		unsigned char *a = kmalloc(sizes[i], GFP_KERNEL);
		unsigned char *b = kmalloc(sizes[i], GFP_KERNEL);

		assert_non_null(a);
		assert_non_null(b);
		assert_string_equal(cache_of(a)->name, names[i]);
		assert_ptr_equal(kmalloc_slab(sizes[i]), cache_of(a));
		assert_int_equal(ksize(a), sizes[i]);
		memset(a, 0x11, sizes[i]);
		memset(b, 0x22, sizes[i]);
		for (unsigned int j = 0; j < sizes[i]; j++)
			assert_int_equal(a[j], 0x11);
		kfree(a);
		kfree(b);
	}
	expect_log_empty();
}

/* Boundary sizes pick the next class up; above 8k the page allocator. */
static void kmalloc_boundary_sizes(void **state)
{
	static const struct {
		size_t size, ksize;
	} cases[] = {
		{ 1, 8 },      { 8, 8 },       { 9, 16 },      { 17, 32 },    { 65, 96 },
		{ 96, 96 },    { 97, 128 },    { 129, 192 },   { 192, 192 },  { 193, 256 },
		{ 257, 512 },  { 4097, 8192 }, { 8192, 8192 }, { 8193, 16384 },
	};
	(void)state;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		void *p = kmalloc(cases[i].size, GFP_KERNEL);

		assert_non_null(p);
		if (ksize(p) != cases[i].ksize)
			fail_msg("kmalloc(%zu): ksize %zu, want %zu", cases[i].size, ksize(p),
				 cases[i].ksize);
		kfree(p);
	}
}

/* kmalloc(0) is ZERO_SIZE_PTR; kfree() of it and of NULL does nothing. */
static void kmalloc_zero_and_kfree_null(void **state)
{
	unsigned long allocs = fake_stats.allocs;
	(void)state;

	assert_ptr_equal(kmalloc(0, GFP_KERNEL), ZERO_SIZE_PTR);
	assert_true(ZERO_OR_NULL_PTR(ZERO_SIZE_PTR));
	kfree(ZERO_SIZE_PTR);
	kfree(NULL);
	kmem_cache_free(kmalloc_slab(8), NULL);
	assert_int_equal(ksize(ZERO_SIZE_PTR), 0);
	assert_int_equal(ksize(NULL), 0);
	assert_int_equal(fake_stats.allocs, allocs);
	expect_log_empty();
}

/*
 * 100 KiB: an order-5 block from the page allocator, the order kept in the
 * head page; counted as SUnreclaim; every page comes back at kfree().
 */
static void kmalloc_large_from_page_allocator(void **state)
{
	struct slab_meminfo mi;
	char *p;
	(void)state;

	p = kmalloc(100 * 1024, GFP_KERNEL);
	assert_non_null(p);
	assert_int_equal(fake_stats.pages_in_use, 32);
	assert_int_equal(ksize(p), 128 * 1024);
	assert_int_equal((unsigned long)p % PAGE_SIZE, 0);
	assert_int_equal(virt_to_page(p)->private, 5);
	/* A tail page leads to the head. */
	assert_ptr_equal(slab_head_page(virt_to_page(p + 77 * 1024)), virt_to_page(p));
	slab_get_meminfo(&mi);
	assert_int_equal(mi.sunreclaim - slab_pages_unreclaimable * PAGE_SIZE, 0);
	assert_true(mi.sunreclaim >= 128 * 1024);
	memset(p, 0x5c, 100 * 1024);
	kfree(p);
	assert_int_equal(fake_stats.pages_in_use, 0);
}

/* Above KMALLOC_MAX_SIZE: NULL, with a line unless __GFP_NOWARN. */
static void kmalloc_too_large_fails(void **state)
{
	(void)state;

	assert_null(kmalloc(KMALLOC_MAX_SIZE + 1, GFP_KERNEL));
	expect_log_has("kmalloc: 4194305 bytes is above KMALLOC_MAX_SIZE (4194304)\n");
	log_reset();
	assert_null(kmalloc(KMALLOC_MAX_SIZE + 1, GFP_KERNEL | __GFP_NOWARN));
	expect_log_empty();
	assert_null(kmalloc_array(SIZE_MAX / 2, 4, GFP_KERNEL));
}

/* Power-of-two classes are naturally aligned; every object at least 8-aligned. */
static void kmalloc_alignment(void **state)
{
	static const size_t sizes[KMALLOC_NR_CACHES] = { 8, 16, 32, 64, 96, 128, 192,
							 256, 512, 1024, 2048, 4096, 8192 };
	void *p[KMALLOC_NR_CACHES][3];
	(void)state;

	for (size_t i = 0; i < KMALLOC_NR_CACHES; i++) {
		size_t size = sizes[i];

		for (int j = 0; j < 3; j++) {
			p[i][j] = kmalloc(size, GFP_KERNEL);
			assert_int_equal((uintptr_t)p[i][j] % KMALLOC_MIN_SIZE, 0);
			if (!(size & (size - 1)))
				assert_int_equal((uintptr_t)p[i][j] % size, 0);
		}
	}
	for (size_t i = 0; i < KMALLOC_NR_CACHES; i++)
		for (int j = 0; j < 3; j++)
			kfree(p[i][j]);
}

/* kzalloc() zeroes an object that was dirty when freed. */
static void kzalloc_zeroes_reused_object(void **state)
{
	unsigned char *p, *q;
	(void)state;

	p = kmalloc(200, GFP_KERNEL);
	memset(p, 0xff, 256);
	kfree(p);
	q = kzalloc(200, GFP_KERNEL);
	assert_ptr_equal(p, q); /* LIFO CPU freelist */
	for (int i = 0; i < 256; i++)
		assert_int_equal(q[i], 0);
	kfree(q);
	q = kcalloc(10, 30, GFP_KERNEL);
	for (int i = 0; i < 300; i++)
		assert_int_equal(q[i], 0);
	kfree(q);
}

/* krealloc() growing out of the class moves and copies; the old object is freed. */
static void krealloc_grows_and_copies(void **state)
{
	unsigned char *p, *q, *r;
	(void)state;

	p = kmalloc(24, GFP_KERNEL);
	for (int i = 0; i < 24; i++)
		p[i] = (unsigned char)i;
	q = krealloc(p, 100, GFP_KERNEL);
	assert_non_null(q);
	assert_int_equal(ksize(q), 128);
	for (int i = 0; i < 24; i++)
		assert_int_equal(q[i], i);
	r = kmalloc(24, GFP_KERNEL);
	assert_ptr_equal(r, p); /* p went back to kmalloc-32 */
	q = krealloc(q, 20000, GFP_KERNEL);
	assert_int_equal(ksize(q), 32768);
	for (int i = 0; i < 24; i++)
		assert_int_equal(q[i], i);
	kfree(q);
	kfree(r);
}

/* Shrinking, or growing within ksize(), keeps the object in place. */
static void krealloc_shrinks_in_place(void **state)
{
	char *p;
	(void)state;

	p = kmalloc(100, GFP_KERNEL);
	strcpy(p, "hello");
	assert_ptr_equal(krealloc(p, 10, GFP_KERNEL), p);
	assert_ptr_equal(krealloc(p, 128, GFP_KERNEL), p);
	assert_string_equal(p, "hello");
	kfree(p);
}

/* krealloc(NULL) is kmalloc(); krealloc(p, 0) frees p and returns ZERO_SIZE_PTR. */
static void krealloc_null_and_zero(void **state)
{
	void *p;
	unsigned long slabs;
	(void)state;

	p = krealloc(NULL, 40, GFP_KERNEL);
	assert_non_null(p);
	assert_int_equal(ksize(p), 64);
	slabs = kmalloc_slab(64)->nr_slabs;
	assert_ptr_equal(krealloc(p, 0, GFP_KERNEL), ZERO_SIZE_PTR);
	assert_ptr_equal(kmalloc(64, GFP_KERNEL), p); /* freed: handed out again */
	assert_int_equal(kmalloc_slab(64)->nr_slabs, slabs);
	kfree(p);
	p = krealloc(ZERO_SIZE_PTR, 8, GFP_KERNEL);
	assert_int_equal(ksize(p), 8);
	kfree(p);
}

static unsigned int ctor_calls;

/* A constructor that counts its calls and stamps the object. */
static void stamp_ctor(void *obj)
{
	ctor_calls++;
	memcpy(obj, "constructed", 12);
}

/*
 * SLUB semantics: the constructor runs on every object when a slab is made,
 * never at allocation; a freed object keeps what the user left in it.
 */
static void ctor_runs_when_slab_is_made(void **state)
{
	struct kmem_cache *s = kmem_cache_create("stamped", 48, 0, 0, stamp_ctor);
	char *a, *b;
	(void)state;

	assert_non_null(s);
	ctor_calls = 0;
	a = kmem_cache_alloc(s, GFP_KERNEL);
	assert_int_equal(ctor_calls, s->objects);
	assert_string_equal(a, "constructed");
	b = kmem_cache_alloc(s, GFP_KERNEL);
	assert_int_equal(ctor_calls, s->objects);
	assert_string_equal(b, "constructed");
	strcpy(a, "changed");
	kmem_cache_free(s, a);
	a = kmem_cache_alloc(s, GFP_KERNEL);
	assert_string_equal(a, "changed"); /* no constructor on reuse */
	assert_int_equal(ctor_calls, s->objects);
	kmem_cache_free(s, a);
	kmem_cache_free(s, b);
	assert_true(kmem_cache_destroy(s));
}

/* Bad arguments are refused with one line each. */
static void cache_create_rejects_bad_arguments(void **state)
{
	struct kmem_cache *s;
	(void)state;

	assert_null(kmem_cache_create(NULL, 8, 0, 0, NULL));
	assert_null(kmem_cache_create("", 8, 0, 0, NULL));
	assert_null(kmem_cache_create("a-name-longer-than-thirty-one-chars", 8, 0, 0, NULL));
	assert_null(kmem_cache_create("kmalloc-64", 8, 0, 0, NULL));
	assert_null(kmem_cache_create("zero", 0, 0, 0, NULL));
	assert_null(kmem_cache_create("huge", 1 << 20, 0, 0, NULL));
	assert_null(kmem_cache_create("odd-align", 8, 24, 0, NULL));
	assert_null(kmem_cache_create("bad-flags", 8, 0, 0x80000000u, NULL));
	assert_null(kmem_cache_create("kmalloc-flag", 8, 0, SLAB_KMALLOC, NULL));
	assert_int_equal(log_lines(), 9);
	expect_log_has("kmem_cache_create: a cache named kmalloc-64 exists already\n");
	expect_log_has("kmem_cache_create zero: bad object size 0 (1 to 32768)\n");
	expect_log_has("kmem_cache_create odd-align: bad alignment 24");
	s = kmem_cache_create("good", 8, 0, 0, NULL);
	assert_non_null(s);
	assert_true(kmem_cache_destroy(s));
	assert_null(kmem_cache_find("good"));
}

/* Destroying a cache with live objects is refused and names the count. */
static void cache_destroy_refused_with_live_objects(void **state)
{
	struct kmem_cache *s = kmem_cache_create("busy", 100, 0, 0, NULL);
	void *a, *b;
	(void)state;

	a = kmem_cache_alloc(s, GFP_KERNEL);
	b = kmem_cache_alloc(s, GFP_KERNEL);
	assert_false(kmem_cache_destroy(s));
	expect_log_has("kmem_cache_destroy busy: Slab cache still has objects (2 live)\n");
	assert_ptr_equal(kmem_cache_find("busy"), s);
	kmem_cache_free(s, a);
	assert_false(kmem_cache_destroy(s));
	expect_log_has("(1 live)\n");
	kmem_cache_free(s, b);
	assert_true(kmem_cache_destroy(s));
	assert_null(kmem_cache_find("busy"));
	assert_true(kmem_cache_destroy(NULL));
	assert_false(kmem_cache_destroy(kmalloc_slab(8)));
	expect_log_has("kmem_cache_destroy kmalloc-8: a boot cache cannot be destroyed\n");
}

/* Destroying an empty cache gives every page of it back. */
static void cache_destroy_returns_pages(void **state)
{
	struct kmem_cache *s = kmem_cache_create("pages", 300, 0, 0, NULL);
	void *objs[100];
	unsigned long before = fake_stats.pages_in_use;
	(void)state;

	for (int i = 0; i < 100; i++)
		objs[i] = kmem_cache_alloc(s, GFP_KERNEL);
	assert_true(fake_stats.pages_in_use > before);
	for (int i = 0; i < 100; i++)
		kmem_cache_free(s, objs[i]);
	assert_true(kmem_cache_destroy(s));
	assert_int_equal(fake_stats.pages_in_use, before);
}

/* SLAB_HWCACHE_ALIGN: a 64-byte line, halved while the object fits in half. */
static void hwcache_align_rule(void **state)
{
	static const struct {
		unsigned int size, align;
	} cases[] = { { 8, 8 }, { 16, 16 }, { 20, 32 }, { 33, 64 }, { 40, 64 }, { 200, 64 } };
	(void)state;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct kmem_cache *s = kmem_cache_create("hw", cases[i].size, 0, SLAB_HWCACHE_ALIGN,
							 NULL);
		void *a = kmem_cache_alloc(s, GFP_KERNEL), *b = kmem_cache_alloc(s, GFP_KERNEL);

		assert_int_equal(s->align, cases[i].align);
		assert_int_equal((uintptr_t)a % cases[i].align, 0);
		assert_int_equal((uintptr_t)b % cases[i].align, 0);
		kmem_cache_free(s, a);
		kmem_cache_free(s, b);
		assert_true(kmem_cache_destroy(s));
	}
}

/* An explicit alignment holds for every object, with and without red zones. */
static void explicit_alignment_with_and_without_debug(void **state)
{
	slab_flags_t flags[] = { 0, SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER };
	(void)state;

	for (size_t f = 0; f < ARRAY_SIZE(flags); f++) {
		struct kmem_cache *s = kmem_cache_create("aligned", 72, 256, flags[f], NULL);
		void *o[20];

		for (int i = 0; i < 20; i++) {
			o[i] = kmem_cache_alloc(s, GFP_KERNEL);
			assert_int_equal((uintptr_t)o[i] % 256, 0);
		}
		for (int i = 0; i < 20; i++)
			kmem_cache_free(s, o[i]);
		assert_true(kmem_cache_destroy(s));
	}
	expect_log_empty();
}

/*
 * 5000 objects of kmalloc-64 over many slabs; freeing them all leaves at
 * most min_partial empty slabs plus the CPU slab; shrinking returns every
 * page (checked by the teardown too).
 */
static void many_objects_all_pages_returned(void **state)
{
	enum { N = 5000 };
	struct kmem_cache *s = kmalloc_slab(64);
	void **objs = calloc(N, sizeof(*objs));
	unsigned long slabs;
	(void)state;

	for (int i = 0; i < N; i++) {
		objs[i] = kmalloc(64, GFP_KERNEL);
		assert_non_null(objs[i]);
	}
	assert_int_equal(s->nr_slabs, (N + s->objects - 1) / s->objects);
	assert_int_equal(fake_stats.pages_in_use, s->nr_slabs << s->order);
	for (int i = 0; i < N; i++)
		kfree(objs[i]);
	assert_true(s->nr_slabs <= s->min_partial + 1);
	assert_true(s->nr_partial <= s->min_partial);
	slabs = s->nr_slabs;
	assert_int_equal(kmem_cache_shrink(s), slabs);
	assert_int_equal(s->nr_slabs, 0);
	assert_int_equal(fake_stats.pages_in_use, 0);
	free(objs);
}

/*
 * The CPU slab: when its freelist runs out the next allocation takes a
 * new slab; the old full one is on no list.
 *   |[o][o]...[o]| full, no list     |[o][.]...[.]| CPU slab
 */
static void cpu_slab_switches_when_exhausted(void **state)
{
	struct kmem_cache *s = kmem_cache_create("switch", 512, 0, 0, NULL);
	void *objs[64] = { 0 };
	struct page *first;
	unsigned int n;
	(void)state;

	objs[0] = kmem_cache_alloc(s, GFP_KERNEL);
	first = s->cpu_slab[0].slab;
	assert_non_null(first);
	n = s->objects;
	for (unsigned int i = 1; i < n; i++)
		objs[i] = kmem_cache_alloc(s, GFP_KERNEL);
	assert_ptr_equal(s->cpu_slab[0].slab, first);
	assert_null(s->cpu_slab[0].freelist);
	objs[n] = kmem_cache_alloc(s, GFP_KERNEL);
	assert_ptr_not_equal(s->cpu_slab[0].slab, first);
	assert_int_equal(s->nr_slabs, 2);
	assert_int_equal(s->nr_partial, 0);
	assert_false(slab_frozen(first));
	assert_int_equal(slab_inuse(first), n);
	for (unsigned int i = 0; i <= n; i++)
		kmem_cache_free(s, objs[i]);
	assert_true(kmem_cache_destroy(s));
}

/*
 * A free into a full slab that is not the CPU's puts it on the partial
 * list, and the next refill takes that object before any new slab.
 */
static void partial_slab_used_before_new_slab(void **state)
{
	struct kmem_cache *s = kmem_cache_create("partial", 1000, 0, 0, NULL);
	void *objs[40] = { 0 }, *again;
	unsigned int n, i;
	unsigned long allocs;
	(void)state;

	n = s->objects;
	for (i = 0; i < n + 1; i++)
		objs[i] = kmem_cache_alloc(s, GFP_KERNEL);
	/* objs[0..n-1] fill slab 1 (no list), objs[n] is in the CPU slab. */
	kmem_cache_free(s, objs[3]);
	assert_int_equal(s->nr_partial, 1);
	for (i = n + 1; i < 2 * n; i++)
		objs[i] = kmem_cache_alloc(s, GFP_KERNEL);
	allocs = fake_stats.allocs;
	again = kmem_cache_alloc(s, GFP_KERNEL);
	assert_ptr_equal(again, objs[3]);
	assert_int_equal(fake_stats.allocs, allocs);
	assert_int_equal(s->nr_partial, 0);
	objs[3] = again;
	for (i = 0; i < 2 * n; i++)
		kmem_cache_free(s, objs[i]);
	assert_true(kmem_cache_destroy(s));
}

/* Alloc and free of CPU-slab objects touch neither the lists nor the page allocator. */
static void fast_path_touches_no_list(void **state)
{
	struct kmem_cache *s = kmalloc_slab(32);
	void *warm = kmalloc(32, GFP_KERNEL), *p;
	unsigned long allocs = fake_stats.allocs, frees = fake_stats.frees;
	unsigned long partial = s->nr_partial;
	struct page *slab = s->cpu_slab[0].slab;
	(void)state;

	for (int i = 0; i < 1000; i++) {
		p = kmalloc(32, GFP_KERNEL);
		kfree(p);
	}
	assert_int_equal(fake_stats.allocs, allocs);
	assert_int_equal(fake_stats.frees, frees);
	assert_int_equal(s->nr_partial, partial);
	assert_ptr_equal(s->cpu_slab[0].slab, slab);
	assert_int_equal(slab_inuse(slab), s->objects); /* frozen: counts unchanged */
	kfree(warm);
}

/* SLAB_RECLAIM_ACCOUNT slabs are __GFP_RECLAIMABLE pages counted as SReclaimable. */
static void reclaim_account_counts_sreclaimable(void **state)
{
	struct kmem_cache *r = kmem_cache_create("dentry-like", 192, 0, SLAB_RECLAIM_ACCOUNT, NULL);
	struct slab_meminfo before, mi;
	void *a, *b;
	(void)state;

	slab_get_meminfo(&before);
	a = kmem_cache_alloc(r, GFP_KERNEL);
	b = kmalloc(192, GFP_KERNEL);
	slab_get_meminfo(&mi);
	assert_int_equal(fake_stats.reclaimable_pages_in_use, 1u << r->order);
	assert_int_equal(mi.sreclaimable - before.sreclaimable, PAGE_SIZE << r->order);
	assert_int_equal(mi.sunreclaim - before.sunreclaim,
			 PAGE_SIZE << kmalloc_slab(192)->order);
	assert_int_equal(mi.slab, mi.sreclaimable + mi.sunreclaim);
	kmem_cache_free(r, a);
	kfree(b);
	assert_true(kmem_cache_destroy(r));
	slab_get_meminfo(&mi);
	assert_int_equal(mi.sreclaimable, before.sreclaimable);
	assert_int_equal(fake_stats.reclaimable_pages_in_use, 0);
}

/* Slab in meminfo is exactly the pages slab holds from the page allocator. */
static void meminfo_matches_page_allocator(void **state)
{
	void *p[300];
	struct slab_meminfo mi;
	(void)state;

	for (int i = 0; i < 300; i++)
		p[i] = kmalloc((size_t)(i * 37 % 9000) + 1, GFP_KERNEL);
	slab_get_meminfo(&mi);
	assert_int_equal(mi.slab, fake_stats.pages_in_use * PAGE_SIZE);
	for (int i = 0; i < 300; i++)
		kfree(p[i]);
}

/* The exact /proc/slabinfo text for a new cache with 3 objects in use. */
static void slabinfo_format(void **state)
{
	struct kmem_cache *s = kmem_cache_create("slabinfo-test", 100, 0, 0, NULL);
	void *a = kmem_cache_alloc(s, GFP_KERNEL), *b = kmem_cache_alloc(s, GFP_KERNEL);
	void *c = kmem_cache_alloc(s, GFP_KERNEL);
	/* Newest cache first; fields "%-17s %6lu %6lu %6u %4u %4d" then the tails. */
	static const char want_head[] =
		"slabinfo - version: 2.1\n"
		"# name            <active_objs> <num_objs> <objsize> <objperslab> "
		"<pagesperslab> : tunables <limit> <batchcount> <sharedfactor> : "
		"slabdata <active_slabs> <num_slabs> <sharedavail>\n"
		"slabinfo-test    " " " "     2" " " "    39" " " "   104" " " "  39" " " "   1"
		" : tunables    0    0    0 : slabdata      1      1      0\n";
	static const char want_8k[] =
		"\nkmalloc-8k       " " " "     0" " " "     0" " " "  8192" " " "   4" " " "   8"
		" : tunables    0    0    0 : slabdata      0      0      0\n";
	(void)state;

	kmem_cache_free(s, b);
	log_reset();
	slabinfo_show();
	if (strncmp(log_buf, want_head, strlen(want_head))) {
		print_error("--- want:\n%s--- got:\n%s---\n", want_head, log_buf);
		fail();
	}
	expect_log_has(want_8k);
	/* Every cache once, kmem_cache (the first made) last. */
	assert_int_equal(log_lines(), 2 + 1 + KMALLOC_NR_CACHES + 1);
	assert_non_null(strstr(log_buf, "\nkmem_cache  "));
	assert_int_equal(log_buf[log_len - 1], '\n');
	kmem_cache_free(s, a);
	kmem_cache_free(s, c);
	assert_true(kmem_cache_destroy(s));
}

/* Objects of the kmalloc classes per slab and slab orders are Linux's for one CPU. */
static void kmalloc_slab_geometry(void **state)
{
	static const struct {
		unsigned int size, objects, order;
	} want[] = {
		{ 8, 512, 0 },  { 64, 64, 0 },  { 96, 42, 0 },  { 192, 21, 0 }, { 512, 8, 0 },
		{ 1024, 8, 1 }, { 2048, 8, 2 }, { 4096, 8, 3 }, { 8192, 4, 3 },
	};
	(void)state;

	for (size_t i = 0; i < ARRAY_SIZE(want); i++) {
		struct kmem_cache *s = kmalloc_slab(want[i].size);

		assert_int_equal(s->size, want[i].size);
		assert_int_equal(s->objects, want[i].objects);
		assert_int_equal(s->order, want[i].order);
	}
}

/* A slub_debug Z cache with one 24-byte object in hand. */
static struct kmem_cache *debug_cache(const char *name, slab_flags_t flags, unsigned char **obj)
{
	struct kmem_cache *s = kmem_cache_create(name, 24, 0, flags, NULL);

	assert_non_null(s);
	*obj = kmem_cache_alloc(s, GFP_KERNEL);
	assert_non_null(*obj);
	return s;
}

/* A write one byte past the object is caught at free; the free is refused. */
static void redzone_overwrite_after_detected(void **state)
{
	unsigned char *o;
	struct kmem_cache *s = debug_cache("rz-after", SLAB_RED_ZONE, &o);
	char want[160];
	(void)state;

	o[24] = 0x41;
	kmem_cache_free(s, o);
	snprintf(want, sizeof(want),
		 "slub: rz-after: right red zone of object %p overwritten: byte +24 is 0x41, "
		 "expected 0xcc (free refused)\n", (void *)o);
	expect_log_has(want);
	assert_int_equal(log_lines(), 1);
	assert_int_equal(kmem_cache_validate(s), 1);
	o[24] = SLUB_RED_ACTIVE;
	log_reset();
	kmem_cache_free(s, o);
	expect_log_empty();
	assert_true(kmem_cache_destroy(s));
}

/* A write one byte before the object is caught at free. */
static void redzone_overwrite_before_detected(void **state)
{
	unsigned char *o;
	struct kmem_cache *s = debug_cache("rz-before", SLAB_RED_ZONE | SLAB_POISON, &o);
	char want[160];
	(void)state;

	o[-1] = 0;
	kmem_cache_free(s, o);
	snprintf(want, sizeof(want),
		 "slub: rz-before: left red zone of object %p overwritten: byte -1 is 0x00, "
		 "expected 0xcc (free refused)\n", (void *)o);
	expect_log_has(want);
	o[-1] = SLUB_RED_ACTIVE;
	log_reset();
	kmem_cache_free(s, o);
	expect_log_empty();
	assert_true(kmem_cache_destroy(s));
}

/*
 * Poison: a free object reads 0x6b..0x6b 0xa5, a new one 0x5a, red zones
 * 0xbb free and 0xcc allocated.
 */
static void poison_and_red_zone_patterns(void **state)
{
	unsigned char *o;
	struct kmem_cache *s = debug_cache("patterns", SLAB_RED_ZONE | SLAB_POISON, &o);
	(void)state;

	for (int i = 0; i < 24; i++)
		assert_int_equal(o[i], POISON_INUSE);
	for (unsigned int i = 1; i <= s->red_left_pad; i++)
		assert_int_equal(o[-(int)i], SLUB_RED_ACTIVE);
	for (unsigned int i = 24; i < s->inuse; i++)
		assert_int_equal(o[i], SLUB_RED_ACTIVE);
	kmem_cache_free(s, o);
	for (int i = 0; i < 23; i++)
		assert_int_equal(o[i], POISON_FREE);
	assert_int_equal(o[23], POISON_END);
	assert_int_equal(o[-1], SLUB_RED_INACTIVE);
	assert_int_equal(o[24], SLUB_RED_INACTIVE);
	expect_log_empty();
	assert_true(kmem_cache_destroy(s));
}

/* A write into a freed object is found when the object is handed out again. */
static void use_after_free_detected_at_next_alloc(void **state)
{
	unsigned char *o, *again;
	struct kmem_cache *s = debug_cache("uaf", SLAB_POISON, &o);
	char want[160];
	(void)state;

	kmem_cache_free(s, o);
	o[5] = 0x00;
	again = kmem_cache_alloc(s, GFP_KERNEL);
	assert_ptr_equal(again, o);
	snprintf(want, sizeof(want),
		 "slub: uaf: use after free: object %p byte +5 is 0x00, expected 0x6b "
		 "(object reused)\n", (void *)o);
	expect_log_has(want);
	kmem_cache_free(s, again);
	assert_true(kmem_cache_destroy(s));
}

/* kmem_cache_validate() finds a use-after-free write without waiting for an alloc. */
static void use_after_free_detected_by_validate(void **state)
{
	unsigned char *o, *keep;
	struct kmem_cache *s = debug_cache("uaf-validate", SLAB_POISON | SLAB_RED_ZONE, &o);
	(void)state;

	keep = kmem_cache_alloc(s, GFP_KERNEL);
	kmem_cache_free(s, o);
	assert_int_equal(kmem_cache_validate(s), 0);
	o[23] = 0x6b; /* the end marker */
	assert_int_equal(kmem_cache_validate(s), 1);
	expect_log_has("byte +23 is 0x6b, expected 0xa5 (found by validate)\n");
	o[23] = POISON_END;
	kmem_cache_free(s, keep);
	assert_true(kmem_cache_destroy(s));
}

/* slub_debug F: freeing an object already on the freelist is refused. */
static void double_free_detected_by_freelist_check(void **state)
{
	unsigned char *o, *other;
	struct kmem_cache *s = debug_cache("df-f", SLAB_CONSISTENCY_CHECKS, &o);
	char want[160];
	(void)state;

	other = kmem_cache_alloc(s, GFP_KERNEL);
	kmem_cache_free(s, o);
	kmem_cache_free(s, other);
	kmem_cache_free(s, o); /* not at the head of the list any more */
	snprintf(want, sizeof(want),
		 "slub: df-f: double free of object %p: already free (free refused)\n",
		 (void *)o);
	expect_log_has(want);
	assert_int_equal(kmem_cache_validate(s), 0);
	assert_true(kmem_cache_destroy(s));
}

/* slub_debug Z alone: an inactive red zone tells the object is free. */
static void double_free_detected_by_red_zone(void **state)
{
	unsigned char *o;
	struct kmem_cache *s = debug_cache("df-z", SLAB_RED_ZONE | SLAB_STORE_USER, &o);
	(void)state;

	kmem_cache_free(s, o);
	kmem_cache_free(s, o);
	expect_log_has("double free of object");
	expect_log_has("(allocated by 0x");
	assert_int_equal(log_lines(), 1);
	assert_int_equal(kmem_cache_validate(s), 0);
	assert_true(kmem_cache_destroy(s));
}

/* Without debug, the fast path still refuses a free of the freelist's head. */
static void double_free_caught_on_fast_path(void **state)
{
	void *p = kmalloc(16, GFP_KERNEL), *q, *r;
	(void)state;

	kfree(p);
	kfree(p);
	expect_log_has("slub: kmalloc-16: double free of object");
	q = kmalloc(16, GFP_KERNEL);
	r = kmalloc(16, GFP_KERNEL);
	assert_ptr_equal(q, p);
	assert_ptr_not_equal(r, p); /* the list was not corrupted into a loop */
	kfree(q);
	kfree(r);
}

/* kmem_cache_free() to the wrong cache is refused and names both caches. */
static void wrong_cache_free_refused(void **state)
{
	struct kmem_cache *a = kmem_cache_create("cache-a", 64, 0, SLAB_CONSISTENCY_CHECKS, NULL);
	struct kmem_cache *b = kmem_cache_create("cache-b", 64, 0, 0, NULL);
	void *obj = kmem_cache_alloc(b, GFP_KERNEL);
	char want[160];
	(void)state;

	kmem_cache_free(a, obj);
	snprintf(want, sizeof(want),
		 "slub: cache-a: object %p freed to the wrong cache: it belongs to cache-b "
		 "(free refused)\n", obj);
	expect_log_has(want);
	log_reset();
	kmem_cache_free(kmalloc_slab(64), obj); /* non-debug cache: caught on the slow path */
	expect_log_has("it belongs to cache-b");
	kmem_cache_free(b, obj);
	assert_true(kmem_cache_destroy(a));
	assert_true(kmem_cache_destroy(b));
}

/* A pointer inside an object, not at its start, is refused. */
static void free_of_interior_pointer_refused(void **state)
{
	unsigned char *o;
	struct kmem_cache *s = debug_cache("interior", SLAB_CONSISTENCY_CHECKS, &o);
	char want[160];
	(void)state;

	kmem_cache_free(s, o + 4);
	snprintf(want, sizeof(want), "slub: interior: free of %p, not an object start",
		 (void *)(o + 4));
	expect_log_has(want);
	expect_log_has("(free refused)\n");
	kmem_cache_free(s, o);
	assert_true(kmem_cache_destroy(s));
}

/* kfree() of memory kmalloc never gave (a free page, inside a large block) is refused. */
static void kfree_of_foreign_pointer_refused(void **state)
{
	char *big = kmalloc(20000, GFP_KERNEL);
	char *stray = fake_arena() + (FAKE_NR_PAGES - 1) * PAGE_SIZE;
	(void)state;

	kfree(stray);
	expect_log_has("kfree: ");
	expect_log_has(" is not a kmalloc object (free refused)\n");
	log_reset();
	kfree(big + 5000);
	expect_log_has(" is not a kmalloc object (free refused)\n");
	assert_int_equal(ksize(big + 5000), 32768); /* ksize looks at the head */
	kfree(big);
}

/* The `slub_debug` parameter: letters, cache lists, prefixes, blocks, "-". */
static void slub_debug_parameter(void **state)
{
	(void)state;

	assert_int_equal(slub_debug_setup(""), 0);
	assert_int_equal(slub_debug_flags("anything"), SLAB_DEBUG_FLAGS);
	assert_int_equal(slub_debug_setup("FZ"), 0);
	assert_int_equal(slub_debug_flags("x"), SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE);
	assert_int_equal(slub_debug_setup("P,foo,kmalloc-*"), 0);
	assert_int_equal(slub_debug_flags("foo"), SLAB_POISON);
	assert_int_equal(slub_debug_flags("kmalloc-64"), SLAB_POISON);
	assert_int_equal(slub_debug_flags("fo"), 0);
	assert_int_equal(slub_debug_flags("foobar"), 0);
	assert_int_equal(slub_debug_setup(",bar"), 0);
	assert_int_equal(slub_debug_flags("bar"), SLAB_DEBUG_FLAGS);
	assert_int_equal(slub_debug_flags("baz"), 0);
	assert_int_equal(slub_debug_setup("U;Z,bar"), 0);
	assert_int_equal(slub_debug_flags("bar"), SLAB_RED_ZONE);
	assert_int_equal(slub_debug_flags("other"), SLAB_STORE_USER);
	assert_int_equal(slub_debug_setup("-"), 0);
	assert_int_equal(slub_debug_flags("x"), 0);
	expect_log_empty();
	assert_int_equal(slub_debug_setup("FXz"), 0);
	expect_log_has("slub_debug option 'X' unknown. skipped\n");
	assert_int_equal(slub_debug_flags("x"), SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE);
	assert_int_equal(slub_debug_setup("F;F;F;F;F"), -EINVAL);
	assert_int_equal(slub_debug_setup(NULL), 0);
	assert_int_equal(slub_debug_flags("x"), 0);
}

/* A cache created while slub_debug names it gets the flags (and no fast path). */
static void slub_debug_applies_at_cache_creation(void **state)
{
	struct kmem_cache *s;
	unsigned char *o;
	(void)state;

	slub_debug_setup("ZP,debugged");
	s = kmem_cache_create("debugged", 40, 0, 0, NULL);
	assert_int_equal(s->flags & SLAB_DEBUG_FLAGS, SLAB_RED_ZONE | SLAB_POISON);
	o = kmem_cache_alloc(s, GFP_KERNEL);
	assert_null(s->cpu_slab[0].slab);
	assert_null(s->cpu_slab[0].freelist);
	assert_int_equal(o[0], POISON_INUSE);
	kmem_cache_free(s, o);
	assert_true(kmem_cache_destroy(s));
}

/* A page allocator failure gives NULL from every entry point and leaks nothing. */
static void allocation_failure_returns_null(void **state)
{
	struct kmem_cache *s = kmem_cache_create("fails", 2000, 0, 0, NULL);
	(void)state;

	fake_page_alloc_fail_after(0);
	assert_null(kmem_cache_alloc(s, GFP_KERNEL));
	assert_null(kmalloc(50000, GFP_KERNEL));
	assert_int_equal(s->nr_slabs, 0);
	fake_page_alloc_fail_after(-1);
	assert_true(kmem_cache_destroy(s));
}

/* Highmem or movable slab memory is refused: the modifiers are reported and removed. */
static void slab_gfp_zone_modifiers_stripped(void **state)
{
	struct kmem_cache *s = kmem_cache_create("no-highmem", 64, 0, SLAB_RECLAIM_ACCOUNT, NULL);
	void *obj, *big;
	(void)state;

	obj = kmem_cache_alloc(s, GFP_HIGHUSER_MOVABLE);
	assert_non_null(obj);
	assert_int_equal(fake_stats.last_gfp & (__GFP_HIGHMEM | __GFP_MOVABLE), 0);
	assert_true(fake_stats.last_gfp & __GFP_RECLAIMABLE);
	expect_log_has("slab: unexpected gfp 0x");
	expect_log_has(" removed (slab memory is lowmem, unmovable)\n");
	log_reset();
	big = kmalloc(10000, GFP_KERNEL | __GFP_MOVABLE);
	assert_int_equal(fake_stats.last_gfp & __GFP_MOVABLE, 0);
	assert_int_equal(log_lines(), 1);
	kfree(big);
	kmem_cache_free(s, obj);
	assert_true(kmem_cache_destroy(s));
}

/* kmem_cache_shrink() hands back empty slabs and the CPU slab, keeps used ones. */
static void shrink_frees_only_empty_slabs(void **state)
{
	struct kmem_cache *s = kmem_cache_create("shrink", 256, 0, 0, NULL);
	void *objs[200] = { 0 };
	unsigned int n;
	(void)state;

	n = s->objects;
	for (unsigned int i = 0; i < 4 * n; i++)
		objs[i] = kmem_cache_alloc(s, GFP_KERNEL);
	for (unsigned int i = 0; i < 4 * n; i++)
		if (i != 1) /* one object keeps slab 0 */
			kmem_cache_free(s, objs[i]);
	/* Slabs 1 and 2 (empty, partial) and 3 (the CPU slab, empty). */
	assert_int_equal(kmem_cache_shrink(s), 3);
	assert_int_equal(s->nr_slabs, 1);
	assert_null(s->cpu_slab[0].slab);
	kmem_cache_free(s, objs[1]);
	assert_true(kmem_cache_destroy(s));
}

/*
 * The free pointer lives outside the object when a constructor, poison or
 * red zones need the object's bytes; otherwise in its first word.
 */
static void free_pointer_placement(void **state)
{
	struct kmem_cache *plain = kmem_cache_create("fp-plain", 24, 0, 0, NULL);
	struct kmem_cache *ctor = kmem_cache_create("fp-ctor", 24, 0, 0, stamp_ctor);
	struct kmem_cache *rz = kmem_cache_create("fp-rz", 24, 0, SLAB_RED_ZONE, NULL);
	(void)state;

	assert_int_equal(plain->offset, 0);
	assert_int_equal(plain->size, 24);
	assert_true(ctor->offset >= 24);
	assert_true(rz->offset >= rz->inuse);
	assert_int_equal(rz->inuse, 32);
	assert_int_equal(rz->red_left_pad, 8);
	assert_true(kmem_cache_destroy(plain));
	assert_true(kmem_cache_destroy(ctor));
	assert_true(kmem_cache_destroy(rz));
}

/* A tiny xorshift generator, so the random cases are the same on every run. */
static uint32_t rng_state;

static uint32_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 17;
	rng_state ^= rng_state << 5;
	return rng_state;
}

/* The model: what each live slot should hold. */
struct live {
	unsigned char *p;
	size_t size;
	unsigned char fill;
};

/* Fail unless @l still holds its fill byte everywhere. */
static void check_live(const struct live *l)
{
	for (size_t i = 0; i < l->size; i++)
		if (l->p[i] != l->fill)
			fail_msg("object %p byte %zu is 0x%02x, want 0x%02x", (void *)l->p, i,
				 l->p[i], l->fill);
}

/*
 * Seeded random kmalloc/krealloc/kfree against a model of the live
 * objects: contents never change under a live object, no two live
 * objects overlap (each is filled and checked), ksize is never smaller
 * than asked, and at the end every page comes back.
 */
static void random_against_model(void **state, struct kmem_cache *debug_target)
{
	struct live *slots = calloc(RANDOM_SLOTS, sizeof(*slots));
	(void)state;

	rng_state = RANDOM_SEED;
	for (int op = 0; op < RANDOM_OPS; op++) {
		struct live *l = &slots[rng() % RANDOM_SLOTS];
		uint32_t r = rng();
		size_t size = (r & 7) == 0 ? (r >> 8) % 40000 + 1 : (r >> 8) % 600 + 1;

		if (l->p) {
			check_live(l);
			if ((r & 3) == 0) {
				size_t keep = l->size < size ? l->size : size;

				l->p = krealloc(l->p, size, GFP_KERNEL);
				assert_non_null(l->p);
				l->size = size;
				for (size_t i = 0; i < keep; i++)
					assert_int_equal(l->p[i], l->fill);
				memset(l->p, l->fill, size);
			} else {
				kfree(l->p);
				l->p = NULL;
			}
			continue;
		}
		if (debug_target && (r & 1))
			l->p = kmem_cache_alloc(debug_target, GFP_KERNEL), size = 100;
		else
			l->p = kmalloc(size, GFP_KERNEL);
		assert_non_null(l->p);
		assert_true(ksize(l->p) >= size);
		l->size = size;
		l->fill = (unsigned char)(op | 1);
		memset(l->p, l->fill, size);
	}
	for (int i = 0; i < RANDOM_SLOTS; i++)
		if (slots[i].p) {
			check_live(&slots[i]);
			kfree(slots[i].p);
		}
	free(slots);
	expect_log_empty();
}

static void random_alloc_free_against_model(void **state)
{
	random_against_model(state, NULL);
}

/* The same with a fully debugged cache in the mix (kfree() finds its cache). */
static void random_with_debug_cache_against_model(void **state)
{
	struct kmem_cache *s = kmem_cache_create("random-debug", 100, 0, SLAB_DEBUG_FLAGS, NULL);

	random_against_model(state, s);
	assert_int_equal(kmem_cache_validate(s), 0);
	assert_true(kmem_cache_destroy(s));
}

/* The kmem_cache structs of created caches come from the "kmem_cache" cache. */
static void caches_come_from_kmem_cache(void **state)
{
	struct kmem_cache *kc = kmem_cache_find("kmem_cache");
	struct kmem_cache *s[3];
	(void)state;

	assert_non_null(kc);
	for (int i = 0; i < 3; i++) {
		char name[16];

		snprintf(name, sizeof(name), "c%d", i);
		s[i] = kmem_cache_create(name, 8, 0, 0, NULL);
		assert_ptr_equal(cache_of(s[i]), kc);
	}
	/* Newest first, as /proc/slabinfo lists them. */
	assert_ptr_equal(list_first_entry(&slab_caches, struct kmem_cache, list), s[2]);
	for (int i = 0; i < 3; i++)
		assert_true(kmem_cache_destroy(s[i]));
	kmem_cache_shrink(kc);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(kmalloc_each_size_class),
		T(kmalloc_boundary_sizes),
		T(kmalloc_zero_and_kfree_null),
		T(kmalloc_large_from_page_allocator),
		T(kmalloc_too_large_fails),
		T(kmalloc_alignment),
		T(kzalloc_zeroes_reused_object),
		T(krealloc_grows_and_copies),
		T(krealloc_shrinks_in_place),
		T(krealloc_null_and_zero),
		T(ctor_runs_when_slab_is_made),
		T(cache_create_rejects_bad_arguments),
		T(cache_destroy_refused_with_live_objects),
		T(cache_destroy_returns_pages),
		T(hwcache_align_rule),
		T(explicit_alignment_with_and_without_debug),
		T(many_objects_all_pages_returned),
		T(cpu_slab_switches_when_exhausted),
		T(partial_slab_used_before_new_slab),
		T(fast_path_touches_no_list),
		T(reclaim_account_counts_sreclaimable),
		T(meminfo_matches_page_allocator),
		T(slabinfo_format),
		T(kmalloc_slab_geometry),
		T(redzone_overwrite_after_detected),
		T(redzone_overwrite_before_detected),
		T(poison_and_red_zone_patterns),
		T(use_after_free_detected_at_next_alloc),
		T(use_after_free_detected_by_validate),
		T(double_free_detected_by_freelist_check),
		T(double_free_detected_by_red_zone),
		T(double_free_caught_on_fast_path),
		T(wrong_cache_free_refused),
		T(free_of_interior_pointer_refused),
		T(kfree_of_foreign_pointer_refused),
		T(slub_debug_parameter),
		T(slub_debug_applies_at_cache_creation),
		T(allocation_failure_returns_null),
		T(shrink_frees_only_empty_slabs),
		T(slab_gfp_zone_modifiers_stripped),
		T(free_pointer_placement),
		T(random_alloc_free_against_model),
		T(random_with_debug_cache_against_model),
		T(caches_come_from_kmem_cache),
	};

	return cmocka_run_group_tests(tests, group_setup, NULL);
}
