// SPDX-License-Identifier: MIT
/*
 * The highmem selftest suite (`selftest=highmem`): kmap()/kunmap() count
 * semantics, the pkmap wrap and its single flush, exhaustion, the
 * kmap_local stack's LIFO check and guard slots, and that highmem is
 * reachable only through them (its direct-map address faults). Faults are
 * taken on purpose through the probes of asm/extable.h, and misuse through
 * kmap_expect_bug().
 *
 * The cases need highmem (RAM above `lowmem=`); without it (QEMU's 512M
 * boot of tests/run.sh selftests) they skip, and tests/integration/
 * highmem.sh boots with lowmem=256M to run them under ./vmm and QEMU.
 * Each page touched is touched in one quadword: guest instructions are slow.
 */
#include "asm/extable.h"
#include "asm/fixmap.h"
#include "asm/pgtable.h"
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "kernel/selftest.h"
#include "kernel/sprintf.h"
#include "kernel/string.h"
#include "mm/gfp.h"
#include "mm/highmem.h"
#include "mm/mm_init.h"
#include "mm/page_alloc.h"
#include "mm/slab.h"

/* The pkmap wrap case: LAST_PKMAP + 1 distinct pages from one order-10 block. */
#define WRAP_ORDER 10
/* A recognisable value per pfn: "kmap" in ASCII, xor the pfn. */
#define PATTERN(pfn) (0x6b6d6170ull << 32 ^ (u64)(pfn))
/* Pages on the kmap_local stack in the LIFO case. */
#define LIFO_DEPTH 3

/* 2^@order highmem pages, or NULL with the case skipped if there is no highmem. */
static struct page *alloc_high(struct selftest *t, unsigned int order)
{
	struct page *page;

	if (!fixmap_ready()) {
		selftest_skip(t, "kmap_init() has not run");
		return NULL;
	}
	if (max_low_pfn >= max_pfn) {
		selftest_skip(t, "no highmem: lowmem= covers all RAM (boot with lowmem=256M)");
		return NULL;
	}
	/*
	 * Highmem lives in ZONE_HIGHMEM, or in ZONE_MOVABLE when kernelcore= or
	 * movablecore= moved it there; GFP_HIGHUSER falls back to lowmem (as
	 * in Linux) only when ZONE_HIGHMEM is empty, so ask the movable way too.
	 */
	page = alloc_pages(GFP_HIGHUSER | __GFP_NOWARN, order);
	if (page && !PageHighMem(page)) {
		if (managed_zone(&NODE_DATA(0)->node_zones[ZONE_HIGHMEM])) {
			selftest_check(t, false, __FILE__, __LINE__,
				       "GFP_HIGHUSER order %u gave lowmem pfn 0x%lx (max_low_pfn 0x%lx) "
				       "with a populated ZONE_HIGHMEM",
				       order, page_to_pfn(page), max_low_pfn);
			__free_pages(page, order);
			return NULL;
		}
		__free_pages(page, order);
		page = alloc_pages(GFP_HIGHUSER_MOVABLE | __GFP_NOWARN, order);
		if (page && !PageHighMem(page)) {
			__free_pages(page, order);
			page = NULL;
		}
	}
	if (!page) {
		selftest_skip(t, "no free highmem block of the order needed");
		return NULL;
	}
	return page;
}

/* Whether @va lies in the pkmap window. */
static bool in_pkmap(const void *va)
{
	return (unsigned long)va >= PKMAP_BASE && (unsigned long)va < PKMAP_END;
}

/* __GFP_HIGHMEM lands above the lowmem limit; plain GFP_KERNEL below it. */
static void gfp_highmem_lands_in_highmem(struct selftest *t)
{
	struct page *high = alloc_high(t, 0), *low;

	if (!high)
		return;
	EXPECT_TRUE(t, page_to_pfn(high) >= max_low_pfn);
	low = alloc_page(GFP_KERNEL);
	ASSERT_TRUE(t, low);
	EXPECT_FALSE(t, PageHighMem(low));
	EXPECT_TRUE(t, page_to_pfn(low) < max_low_pfn);
	__free_page(low);
	__free_page(high);
}

/* No permanent mapping: page_address() is NULL and the direct-map address faults, named. */
static void highmem_only_through_kmap(struct selftest *t)
{
	struct page *page = alloc_high(t, 0);
	unsigned long pfn, va;
	const struct fault_info *f;
	void *kva;
	u8 byte;

	if (!page)
		return;
	pfn = page_to_pfn(page);
	va = (unsigned long)__va(PFN_PHYS(pfn));
	EXPECT_TRUE(t, page_address(page) == NULL);
	EXPECT_EQ(t, probe_read_u8((void *)va, &byte), -EFAULT);
	f = probe_last_fault();
	EXPECT_EQ(t, f->addr, va);
	EXPECT_EQ(t, f->error_code, 0); /* supervisor read, not present */
	EXPECT_TRUE(t, strstr(f->what, "direct map beyond lowmem"));
	printk("    # direct-map access: %s\n", f->what);
	/* Through kmap the same frame is reachable. */
	kva = kmap(page);
	ASSERT_TRUE(t, kva);
	EXPECT_EQ(t, probe_write_u64(kva, PATTERN(pfn)), 0);
	EXPECT_EQ(t, *(volatile u64 *)kva, PATTERN(pfn));
	kunmap(page);
	__free_page(page);
}

/* kmap() of lowmem is the direct map, takes no entry, and kunmap() of it does nothing. */
static void kmap_lowmem_is_direct_map(struct selftest *t)
{
	struct page *page = alloc_page(GFP_KERNEL);
	unsigned int depth = kmap_local_depth();

	ASSERT_TRUE(t, page);
	EXPECT_TRUE(t, kmap(page) == page_address(page));
	kunmap(page);
	EXPECT_TRUE(t, kmap_local_page(page) == page_address(page));
	EXPECT_EQ(t, kmap_local_depth(), depth); /* no slot for lowmem, as Linux */
	kunmap_local(page_address(page));
	EXPECT_EQ(t, kmap_local_depth(), depth);
	__free_page(page);
}

/*
 * pkmap_count: 2 after one kmap(), n + 1 with n users, 1 after the last
 * kunmap() (still mapped: page_address() still finds it), 0 after a flush
 * (unmapped: the old address faults and is named a stale kmap slot).
 */
static void kmap_count_semantics(struct selftest *t)
{
	struct page *page = alloc_high(t, 0);
	char what[FAULT_WHAT_LEN];
	unsigned long pfn;
	unsigned int nr;
	void *va, *va2;
	u64 v;

	if (!page)
		return;
	pfn = page_to_pfn(page);
	va = kmap(page);
	ASSERT_TRUE(t, in_pkmap(va));
	nr = PKMAP_NR((unsigned long)va);
	EXPECT_EQ(t, pkmap_count_of(nr), 2);
	EXPECT_TRUE(t, page_address(page) == va);
	va2 = kmap(page);
	EXPECT_TRUE(t, va2 == va);
	EXPECT_EQ(t, pkmap_count_of(nr), 3);
	*(volatile u64 *)va = PATTERN(pfn);
	kunmap(page);
	EXPECT_EQ(t, pkmap_count_of(nr), 2);
	kunmap(page);
	EXPECT_EQ(t, pkmap_count_of(nr), 1);
	EXPECT_TRUE(t, page_address(page) == va);
	EXPECT_EQ(t, probe_read_u64(va, &v), 0);
	EXPECT_EQ(t, v, PATTERN(pfn));
	/* Count 1 does not fault (still mapped), but the handler would name it stale. */
	fault_describe((unsigned long)va, X86_PF_WRITE, what, sizeof(what));
	EXPECT_TRUE(t, strstr(what, "stale kmap slot"));
	EXPECT_TRUE(t, strstr(what, "pkmap_count 1: unused but still mapped"));
	kmap_flush_unused();
	EXPECT_EQ(t, pkmap_count_of(nr), 0);
	EXPECT_TRUE(t, page_address(page) == NULL);
	EXPECT_EQ(t, probe_read_u64(va, &v), -EFAULT);
	EXPECT_EQ(t, probe_last_fault()->addr, (unsigned long)va);
	EXPECT_TRUE(t, strstr(probe_last_fault()->what, "stale kmap slot"));
	EXPECT_TRUE(t, strstr(probe_last_fault()->what, "pkmap_count 0"));
	printk("    # stale kmap access: %s\n", probe_last_fault()->what);
	__free_page(page);
}

/* An unbalanced kunmap() is a BUG, caught here instead of panicking. */
static void kunmap_unbalanced_caught(struct selftest *t)
{
	struct page *page = alloc_high(t, 0);
	const char *msg;
	unsigned int nr;
	void *va;

	if (!page)
		return;
	va = kmap(page);
	ASSERT_TRUE(t, va);
	nr = PKMAP_NR((unsigned long)va);
	kunmap(page);
	kmap_expect_bug();
	kunmap(page); /* one too many: count 1 means no user */
	msg = kmap_bug_caught();
	EXPECT_TRUE(t, msg && strstr(msg, "unbalanced kunmap"));
	EXPECT_EQ(t, pkmap_count_of(nr), 1); /* refused: unchanged */
	kmap_flush_unused();
	kmap_expect_bug();
	kunmap(page); /* not mapped at all */
	msg = kmap_bug_caught();
	EXPECT_TRUE(t, msg && strstr(msg, "is not kmapped"));
	__free_page(page);
}

/*
 * LAST_PKMAP + 1 kmap()/kunmap() pairs of distinct pages move the cursor
 * through every entry and across entry 0 exactly once with entries to tear
 * down: exactly one TLB flush, a full one. The data written through the
 * first mappings is read back through kmap_local afterwards.
 */
static void pkmap_wrap_flushes_once(struct selftest *t)
{
	struct page *block = alloc_high(t, WRAP_ORDER);
	unsigned long flushes, full_flushes, base;
	bool all_ok = true;

	if (!block)
		return;
	base = page_to_pfn(block);
	kmap_flush_unused(); /* start with no unused entry: the wrap is the only flush */
	flushes = pkmap_nr_flushes;
	full_flushes = nr_tlb_flush_all;
	for (unsigned int i = 0; i <= LAST_PKMAP; i++) {
		struct page *page = block + i;
		void *va = kmap(page);

		if (!va || !in_pkmap(va)) {
			all_ok = false;
			break;
		}
		*(volatile u64 *)va = PATTERN(base + i);
		kunmap(page);
	}
	EXPECT_TRUE(t, all_ok);
	EXPECT_EQ(t, pkmap_nr_flushes - flushes, 1);
	EXPECT_EQ(t, nr_tlb_flush_all - full_flushes, 1);
	for (unsigned int i = 0; i <= LAST_PKMAP; i += LAST_PKMAP / 4) {
		u64 *p = kmap_local_page(block + i);

		EXPECT_EQ(t, *p, PATTERN(base + i));
		kunmap_local(p);
	}
	kmap_flush_unused();
	__free_pages(block, WRAP_ORDER);
}

/* All entries with users: the next kmap() is NULL with one warning; freeing one entry helps. */
static void pkmap_exhaustion_reported(struct selftest *t)
{
	struct page *block = alloc_high(t, WRAP_ORDER);
	unsigned long exhausted;
	unsigned int mapped = 0;

	if (!block)
		return;
	kmap_flush_unused();
	exhausted = pkmap_nr_exhausted;
	for (; mapped < LAST_PKMAP; mapped++) {
		if (!kmap(block + mapped))
			break;
	}
	EXPECT_EQ(t, mapped, LAST_PKMAP);
	EXPECT_TRUE(t, kmap(block + LAST_PKMAP) == NULL);
	EXPECT_EQ(t, pkmap_nr_exhausted - exhausted, 1);
	/* A page already mapped still gets its entry: no new one is needed. */
	EXPECT_TRUE(t, kmap(block) != NULL);
	kunmap(block);
	kunmap(block + 1);
	EXPECT_TRUE(t, kmap(block + LAST_PKMAP) != NULL);
	kunmap(block + LAST_PKMAP);
	for (unsigned int i = 0; i < mapped; i++) {
		if (i != 1) /* its user is gone already */
			kunmap(block + i);
	}
	kmap_flush_unused();
	for (unsigned int nr = 0; nr < LAST_PKMAP; nr++) {
		if (pkmap_count_of(nr) != 0) {
			EXPECT_EQ(t, pkmap_count_of(nr), 0);
			break;
		}
	}
	__free_pages(block, WRAP_ORDER);
}

/* Strict LIFO: unmapping a lower entry is a BUG naming both addresses, and changes nothing. */
static void kmap_local_lifo_violation_caught(struct selftest *t)
{
	struct page *block = alloc_high(t, 2);
	char top[20], bad[20];
	void *va[LIFO_DEPTH];
	const char *msg;

	if (!block)
		return;
	ASSERT_EQ(t, kmap_local_depth(), 0);
	for (unsigned int i = 0; i < LIFO_DEPTH; i++) {
		va[i] = kmap_local_page(block + i);
		ASSERT_TRUE(t, va[i] && is_fixmap_addr((unsigned long)va[i]));
		*(volatile u64 *)va[i] = PATTERN(page_to_pfn(block + i));
	}
	EXPECT_EQ(t, kmap_local_depth(), LIFO_DEPTH);
	EXPECT_TRUE(t, va[0] != va[1] && va[1] != va[2]);
	for (unsigned int i = 0; i < LIFO_DEPTH; i++)
		EXPECT_EQ(t, *(volatile u64 *)va[i], PATTERN(page_to_pfn(block + i)));
	kmap_expect_bug();
	kunmap_local(va[1]);
	msg = kmap_bug_caught();
	snprintf(top, sizeof(top), "0x%lx", (unsigned long)va[2]);
	snprintf(bad, sizeof(bad), "0x%lx", (unsigned long)va[1]);
	EXPECT_TRUE(t, msg && strstr(msg, "not the top"));
	EXPECT_TRUE(t, msg && strstr(msg, top) && strstr(msg, bad));
	if (msg)
		printk("    # caught: BUG: %s\n", msg);
	EXPECT_EQ(t, kmap_local_depth(), LIFO_DEPTH);
	for (int i = LIFO_DEPTH - 1; i >= 0; i--)
		kunmap_local(va[i]);
	EXPECT_EQ(t, kmap_local_depth(), 0);
	kmap_expect_bug();
	kunmap_local(va[0]); /* the stack is empty now */
	msg = kmap_bug_caught();
	EXPECT_TRUE(t, msg && strstr(msg, "stack is empty"));
	__free_pages(block, 2);
}

/* KM_MAX_IDX entries fit; one more is a BUG (NULL when caught). */
static void kmap_local_overflow_caught(struct selftest *t)
{
	struct page *page = alloc_high(t, 0);
	void *va[KM_MAX_IDX];
	const char *msg;

	if (!page)
		return;
	for (unsigned int i = 0; i < KM_MAX_IDX; i++) {
		va[i] = kmap_local_page(page); /* the same page in every slot is allowed */
		ASSERT_TRUE(t, va[i]);
	}
	kmap_expect_bug();
	EXPECT_TRUE(t, kmap_local_page(page) == NULL);
	msg = kmap_bug_caught();
	EXPECT_TRUE(t, msg && strstr(msg, "stack overflow"));
	for (int i = KM_MAX_IDX - 1; i >= 0; i--)
		kunmap_local(va[i]);
	EXPECT_EQ(t, kmap_local_depth(), 0);
	__free_page(page);
}

/* A slot above the stack top is unmapped: touching it faults and is named stale. */
static void kmap_local_stale_slot_faults(struct selftest *t)
{
	struct page *page = alloc_high(t, 0);
	u8 byte;
	void *va;

	if (!page)
		return;
	va = kmap_local_page(page);
	ASSERT_TRUE(t, va);
	EXPECT_EQ(t, probe_read_u8(va, &byte), 0);
	kunmap_local(va);
	EXPECT_EQ(t, probe_read_u8(va, &byte), -EFAULT);
	EXPECT_EQ(t, probe_last_fault()->addr, (unsigned long)va);
	EXPECT_TRUE(t, strstr(probe_last_fault()->what, "stale kmap_local slot"));
	printk("    # stale kmap_local access: %s\n", probe_last_fault()->what);
	__free_page(page);
}

/* Debug mode: entries two slots apart, an unmapped guard on each side; an overrun faults. */
static void kmap_local_guard_slots_fault(struct selftest *t)
{
	struct page *block = alloc_high(t, 1);
	bool was = kmap_local_debug_enabled();
	u8 *a, *b, byte;

	if (!block)
		return;
	ASSERT_EQ(t, kmap_local_set_debug(true), 0);
	a = kmap_local_page(block);
	b = kmap_local_page(block + 1);
	ASSERT_TRUE(t, a && b);
	EXPECT_EQ(t, (unsigned long)a - (unsigned long)b, 2 * PAGE_SIZE);
	EXPECT_EQ(t, kmap_local_set_debug(false), -EBUSY); /* not with entries on the stack */
	/* Running off the end of b goes up into the guard between a and b. */
	EXPECT_EQ(t, probe_write_u8(b + PAGE_SIZE, 1), -EFAULT);
	EXPECT_TRUE(t, strstr(probe_last_fault()->what, "kmap_local guard slot"));
	EXPECT_EQ(t, probe_last_fault()->error_code, X86_PF_WRITE);
	printk("    # overrun: %s\n", probe_last_fault()->what);
	/* And below b, the guard under it. */
	EXPECT_EQ(t, probe_read_u8(b - 1, &byte), -EFAULT);
	EXPECT_TRUE(t, strstr(probe_last_fault()->what, "kmap_local guard slot"));
	kunmap_local(b);
	kunmap_local(a);
	EXPECT_EQ(t, kmap_local_set_debug(was), 0);
	__free_pages(block, 1);
}

static const struct selftest_case highmem_cases[] = {
	SELFTEST_CASE(gfp_highmem_lands_in_highmem),
	SELFTEST_CASE(highmem_only_through_kmap),
	SELFTEST_CASE(kmap_lowmem_is_direct_map),
	SELFTEST_CASE(kmap_count_semantics),
	SELFTEST_CASE(kunmap_unbalanced_caught),
	SELFTEST_CASE(pkmap_wrap_flushes_once),
	SELFTEST_CASE(pkmap_exhaustion_reported),
	SELFTEST_CASE(kmap_local_lifo_violation_caught),
	SELFTEST_CASE(kmap_local_overflow_caught),
	SELFTEST_CASE(kmap_local_stale_slot_faults),
	SELFTEST_CASE(kmap_local_guard_slots_fault),
};
SELFTEST_SUITE(highmem, highmem_cases);
