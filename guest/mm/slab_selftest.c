// SPDX-License-Identifier: MIT
/*
 * The slab selftest suite (`selftest=slab`): the guest's own slab
 * allocator over the real page allocator and the kernel's page_address()/
 * virt_to_page(). tests/unit/test_slab.c covers the allocator at length
 * on the host; here each case is a few thousand guest instructions at most
 * (the guest may run emulated at about a million instructions a second).
 *
 * Every case skips while the slab allocator is not up (kmem_cache_init()
 * not called, or the page allocator has no memory yet). After every case
 * the kmalloc caches and the cache of caches are shrunk, so the suite gives
 * back the pages it took (MemFree returns to where it was) and the slab
 * memory counters come back to their value before the case.
 */
#include "kernel/printk.h"
#include "kernel/selftest.h"
#include "kernel/string.h"
#include "mm/page_alloc.h"
#include "mm/slab.h"

#define SZ_16K 0x4000u

static const unsigned int kmalloc_class_sizes[KMALLOC_NR_CACHES] = {
	8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096, 8192,
};

static struct slab_meminfo meminfo_before;

/* Whether the slab allocator can run; skips the case if not. */
static bool slab_ready(struct selftest *t)
{
	if (!slab_is_available() || !totalram_pages()) {
		selftest_skip(t, "slab allocator not initialised");
		return false;
	}
	return true;
}

/* Give back every empty slab the case left in the boot caches. */
static void shrink_boot_caches(void)
{
	for (unsigned int i = 0; i < KMALLOC_NR_CACHES; i++)
		kmem_cache_shrink(kmalloc_slab(kmalloc_class_sizes[i]));
	kmem_cache_shrink(kmem_cache_find("kmem_cache"));
}

static void slab_case_init(struct selftest *t)
{
	(void)t;
	if (!slab_is_available())
		return;
	shrink_boot_caches();
	slab_get_meminfo(&meminfo_before);
}

/* After every case: the slab holds no more memory than before it. */
static void slab_case_exit(struct selftest *t)
{
	struct slab_meminfo after;

	if (!slab_is_available())
		return;
	shrink_boot_caches();
	slab_get_meminfo(&after);
	EXPECT_EQ(t, after.slab, meminfo_before.slab);
	EXPECT_EQ(t, after.sreclaimable, meminfo_before.sreclaimable);
}

/* kmalloc(64) is writable, ksize 64, and the same object comes back after kfree (LIFO). */
static void kmalloc_kfree_roundtrip(struct selftest *t)
{
	char *p, *q;

	if (!slab_ready(t))
		return;
	p = kmalloc(64, GFP_KERNEL);
	ASSERT_TRUE(t, p != NULL);
	memset(p, 0x42, 64);
	EXPECT_EQ(t, ksize(p), 64);
	EXPECT_EQ(t, (unsigned long)p % 64, 0);
	kfree(p);
	q = kmalloc(64, GFP_KERNEL);
	EXPECT_EQ(t, q, p);
	kfree(q);
	EXPECT_EQ(t, kmalloc(0, GFP_KERNEL), ZERO_SIZE_PTR);
	kfree(NULL);
}

/* Boundary sizes land in the expected classes; 16 KiB comes from the page allocator. */
static void kmalloc_size_classes(struct selftest *t)
{
	static const struct {
		unsigned int size, ksize;
	} cases[] = { { 1, 8 }, { 96, 96 }, { 97, 128 }, { 8192, 8192 }, { SZ_16K, SZ_16K } };

	if (!slab_ready(t))
		return;
	for (unsigned int i = 0; i < ARRAY_SIZE(cases); i++) {
		void *p = kmalloc(cases[i].size, GFP_KERNEL);

		if (!EXPECT_TRUE(t, p != NULL))
			continue;
		if (!EXPECT_EQ(t, ksize(p), cases[i].ksize))
			printk("    # %s: kmalloc(%u)\n", t->name, cases[i].size);
		kfree(p);
	}
}

static unsigned int ctor_calls;

/* Counts constructor calls and marks the object. */
static void count_ctor(void *obj)
{
	ctor_calls++;
	*(u32 *)obj = 0xc0ffee;
}

/*
 * A cache of 256-byte objects (16 per slab): the constructor runs on the
 * whole slab at the first allocation; destroying with a live object is
 * refused, then works once it is freed.
 */
static void cache_ctor_and_destroy(struct selftest *t)
{
	struct kmem_cache *s;
	u32 *obj;

	if (!slab_ready(t))
		return;
	s = kmem_cache_create("selftest-256", 256, 0, 0, count_ctor);
	ASSERT_TRUE(t, s != NULL);
	ctor_calls = 0;
	obj = kmem_cache_alloc(s, GFP_KERNEL);
	if (EXPECT_TRUE(t, obj != NULL)) {
		EXPECT_EQ(t, *obj, 0xc0ffee);
		EXPECT_EQ(t, ctor_calls, s->objects);
		printk("    # %s: one \"still has objects\" line expected\n", t->name);
		EXPECT_FALSE(t, kmem_cache_destroy(s));
		kmem_cache_free(s, obj);
	}
	EXPECT_TRUE(t, kmem_cache_destroy(s));
}

/* A red zone overwrite in a debug cache is reported and the free refused. */
static void red_zone_overwrite_refused(struct selftest *t)
{
	struct kmem_cache *s;
	u8 *obj;

	if (!slab_ready(t))
		return;
	s = kmem_cache_create("selftest-rz", 24, 0, SLAB_RED_ZONE | SLAB_CONSISTENCY_CHECKS, NULL);
	ASSERT_TRUE(t, s != NULL);
	obj = kmem_cache_alloc(s, GFP_KERNEL);
	if (EXPECT_TRUE(t, obj != NULL)) {
		printk("    # %s: two \"red zone\" reports expected (free, validate)\n",
		       t->name);
		obj[24] = 0;
		kmem_cache_free(s, obj);
		EXPECT_EQ(t, kmem_cache_validate(s), 1);
		obj[24] = SLUB_RED_ACTIVE;
		kmem_cache_free(s, obj);
		EXPECT_EQ(t, kmem_cache_validate(s), 0);
	}
	EXPECT_TRUE(t, kmem_cache_destroy(s));
}

/* A reclaimable cache's slab counts in SReclaimable while it exists. */
static void reclaimable_accounting(struct selftest *t)
{
	struct kmem_cache *s;
	struct slab_meminfo mi;
	void *obj;

	if (!slab_ready(t))
		return;
	s = kmem_cache_create("selftest-rcl", 128, 0, SLAB_RECLAIM_ACCOUNT, NULL);
	ASSERT_TRUE(t, s != NULL);
	obj = kmem_cache_alloc(s, GFP_KERNEL);
	slab_get_meminfo(&mi);
	EXPECT_EQ(t, mi.sreclaimable - meminfo_before.sreclaimable, PAGE_SIZE << s->order);
	kmem_cache_free(s, obj);
	EXPECT_TRUE(t, kmem_cache_destroy(s));
}

static const struct selftest_case slab_cases[] = {
	SELFTEST_CASE(kmalloc_kfree_roundtrip),
	SELFTEST_CASE(kmalloc_size_classes),
	SELFTEST_CASE(cache_ctor_and_destroy),
	SELFTEST_CASE(red_zone_overwrite_refused),
	SELFTEST_CASE(reclaimable_accounting),
};

SELFTEST_SUITE_HOOKS(slab, slab_cases, slab_case_init, slab_case_exit);
