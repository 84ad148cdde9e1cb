// SPDX-License-Identifier: MIT
/*
 * Selftests of the vmalloc area (mm/vmalloc.h), suite "vmalloc": round
 * trips, contents, guard pages (unmapped, and faulting through an
 * exception-table probe with the handler naming them), no two areas
 * without a guard page between them, vmap of highmem pages, VmallocUsed,
 * refusals, one flush per vfree, and no page leaked. Each case frees what
 * it takes.
 */
#include "asm/extable.h"
#include "asm/fault.h"
#include "asm/page.h"
#include "asm/pgtable.h"
#include "asm/pgtable_types.h"
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "kernel/selftest.h"
#include "kernel/sprintf.h"
#include "kernel/string.h"
#include "mm/mm_init.h"
#include "mm/page_alloc.h"
#include "mm/slab.h"
#include "mm/vmalloc.h"

#define NR_SPREAD 8         /* areas in the overlap test */
#define PATTERN_BASE 0x5eed0000u
#define TLB_FLUSH_CEILING_PAGES 64 /* above pgtable.c's 33-page ceiling: one full flush */

/* Whether every page of [@va, @va + @size) is mapped by a 4 KiB leaf. */
static bool mapped_4k(unsigned long va, unsigned long size)
{
	for (unsigned long a = va; a < va + size; a += PAGE_SIZE) {
		unsigned int shift;

		if (!pgtable_leaf_ptr(a, &shift) || shift != PAGE_SHIFT)
			return false;
	}
	return true;
}

/* vmalloc, look at the area, vfree: everything is back where it was. */
static void alloc_free_round_trip(struct selftest *t)
{
	unsigned long areas = vmalloc_nr_areas(), size = 3 * PAGE_SIZE + 1;
	struct vm_struct *area;
	void *p = vmalloc(size);
	unsigned int shift;

	ASSERT_TRUE(t, p);
	EXPECT_TRUE(t, is_vmalloc_addr(p));
	EXPECT_EQ(t, (unsigned long)p & ~PAGE_MASK, 0);
	area = find_vm_area(p);
	ASSERT_TRUE(t, area);
	EXPECT_EQ(t, area->addr, p);
	EXPECT_EQ(t, area->size, 5 * PAGE_SIZE); /* four pages and the guard page */
	EXPECT_EQ(t, get_vm_area_size(area), 4 * PAGE_SIZE);
	EXPECT_EQ(t, area->nr_pages, 4);
	EXPECT_EQ(t, area->flags, VM_ALLOC);
	EXPECT_EQ(t, find_vm_area((char *)p + 4 * PAGE_SIZE + 17), area); /* the guard page too */
	EXPECT_EQ(t, vmalloc_nr_areas(), areas + 1);
	EXPECT_TRUE(t, mapped_4k((unsigned long)p, 4 * PAGE_SIZE));
	/* Kernel data bits: writable, not executable where NX is on, global, write-back. */
	EXPECT_EQ(t, pgtable_lookup((unsigned long)p, &shift) & ~PTE_PFN_MASK,
		  vmalloc_prot_kernel());
	for (unsigned int i = 0; i < 4; i++)
		EXPECT_EQ(t, vmalloc_to_page((char *)p + i * PAGE_SIZE), area->pages[i]);
	vfree(p);
	EXPECT_EQ(t, find_vm_area(p), NULL);
	EXPECT_EQ(t, vmalloc_nr_areas(), areas);
	EXPECT_EQ(t, pgtable_leaf_ptr((unsigned long)p, &shift), NULL);
	EXPECT_EQ(t, vmalloc_to_page(p), NULL);
	vfree(NULL); /* a no-op, as in Linux */
}

/* What is written through the mapping stays there while other areas come and go. */
static void content_survives(struct selftest *t)
{
	const unsigned int nr = 16;
	u32 *p = vmalloc(nr * PAGE_SIZE), *q;
	unsigned int bad = 0;

	ASSERT_TRUE(t, p);
	for (unsigned int i = 0; i < nr * PAGE_SIZE / sizeof(u32); i += 61)
		p[i] = PATTERN_BASE + i;
	q = vmalloc(2 * PAGE_SIZE);
	EXPECT_TRUE(t, q);
	if (q)
		memset(q, 0xee, 2 * PAGE_SIZE);
	vfree(q);
	for (unsigned int i = 0; i < nr * PAGE_SIZE / sizeof(u32); i += 61)
		bad += p[i] != PATTERN_BASE + i;
	EXPECT_EQ(t, bad, 0);
	vfree(p);
}

/* vzalloc() zeroes pages that were dirty before (the same pages, reused). */
static void vzalloc_zeroes(struct selftest *t)
{
	const unsigned long size = 4 * PAGE_SIZE;
	unsigned char *p = vmalloc(size);
	unsigned long nonzero = 0;

	ASSERT_TRUE(t, p);
	memset(p, 0xa5, size);
	vfree(p);
	p = vzalloc(size);
	ASSERT_TRUE(t, p);
	for (unsigned long i = 0; i < size; i++)
		nonzero += p[i] != 0;
	EXPECT_EQ(t, nonzero, 0);
	vfree(p);
}

/* The page after every area has no mapping at all. */
static void guard_page_unmapped(struct selftest *t)
{
	unsigned long sizes[] = { 1, PAGE_SIZE, 2 * PAGE_SIZE + 5, 9 * PAGE_SIZE };
	void *p[ARRAY_SIZE(sizes)];

	for (unsigned int i = 0; i < ARRAY_SIZE(sizes); i++) {
		unsigned long used;
		unsigned int shift;

		p[i] = vmalloc(sizes[i]);
		if (!EXPECT_TRUE(t, p[i]))
			continue;
		used = get_vm_area_size(find_vm_area(p[i]));
		EXPECT_TRUE(t, mapped_4k((unsigned long)p[i], used));
		EXPECT_EQ(t, pgtable_leaf_ptr((unsigned long)p[i] + used, &shift), NULL);
	}
	for (unsigned int i = 0; i < ARRAY_SIZE(sizes); i++)
		vfree(p[i]);
}

/*
 * Touching the guard page faults, and the handler names it with the
 * area; touching freed space names it unused.
 */
static void guard_page_faults(struct selftest *t)
{
	char *p = vmalloc(2 * PAGE_SIZE), expect[FAULT_WHAT_LEN];
	unsigned long guard, faults = nr_page_faults;
	const struct fault_info *f;
	u8 byte = 0x11;

	ASSERT_TRUE(t, p);
	guard = (unsigned long)p + 2 * PAGE_SIZE;
	/* The last byte of the area is fine, the first byte after it is not. */
	EXPECT_EQ(t, probe_write_u8(p + 2 * PAGE_SIZE - 1, 0x42), 0);
	EXPECT_EQ(t, nr_page_faults, faults);
	EXPECT_EQ(t, probe_read_u8((void *)guard, &byte), -EFAULT);
	EXPECT_EQ(t, byte, 0x11);
	f = probe_last_fault();
	EXPECT_EQ(t, f->addr, guard);
	snprintf(expect, sizeof(expect),
		 "not-present page: vmalloc guard page of area 0x%lx-0x%lx (%lu bytes, caller 0x",
		 (unsigned long)p, guard, 2 * PAGE_SIZE);
	EXPECT_TRUE(t, strstr(f->what, expect));
	printk("    # %s\n", f->what);
	EXPECT_EQ(t, probe_write_u64((void *)(guard + PAGE_SIZE - 8), 1), -EFAULT);
	EXPECT_TRUE(t, strstr(probe_last_fault()->what, "vmalloc guard page of area"));
	vfree(p);
	/* Use after vfree faults too: the pages are unmapped, the space unused. */
	EXPECT_EQ(t, probe_read_u8(p, &byte), -EFAULT);
	EXPECT_TRUE(t,
		    strstr(probe_last_fault()->what, "not-present page: unused vmalloc space"));
	EXPECT_EQ(t, nr_page_faults, faults + 3);
}

/*
 * Areas of mixed sizes, some freed and reallocated in the holes: no two
 * overlap, and each one's guard page lies outside every other.
 */
static void areas_never_adjacent(struct selftest *t)
{
	static const unsigned long pages[NR_SPREAD] = { 1, 3, 1, 8, 2, 1, 5, 1 };
	void *p[NR_SPREAD];

	for (unsigned int i = 0; i < NR_SPREAD; i++)
		p[i] = vmalloc(pages[i] * PAGE_SIZE);
	/* Punch holes, then fill them with smaller and equal areas. */
	for (unsigned int i = 1; i < NR_SPREAD; i += 2) {
		vfree(p[i]);
		p[i] = vmalloc((pages[i] > 1 ? pages[i] - 1 : 1) * PAGE_SIZE);
	}
	for (unsigned int i = 0; i < NR_SPREAD; i++) {
		struct vm_struct *a = p[i] ? find_vm_area(p[i]) : NULL;

		if (!EXPECT_TRUE(t, a))
			continue;
		for (unsigned int j = 0; j < NR_SPREAD; j++) {
			struct vm_struct *b = p[j] ? find_vm_area(p[j]) : NULL;
			unsigned long as = (unsigned long)a->addr, bs;

			if (j == i || !b)
				continue;
			bs = (unsigned long)b->addr;
			/* [start, start + size) includes the guard page: disjoint means guarded. */
			EXPECT_TRUE(t, as + a->size <= bs || bs + b->size <= as);
		}
	}
	for (unsigned int i = 0; i < NR_SPREAD; i++)
		vfree(p[i]);
}

/* A write to a read-only vmap() faults, and the handler names the area it hit. */
static void readonly_vmap_write_named(struct selftest *t)
{
	struct page *page = alloc_page(GFP_KERNEL);
	char expect[FAULT_WHAT_LEN];
	u64 *va, v = 0;

	ASSERT_TRUE(t, page);
	va = vmap(&page, 1, VM_MAP, vmalloc_prot_kernel() & ~_PAGE_RW);
	if (EXPECT_TRUE(t, va)) {
		EXPECT_EQ(t, probe_read_u64(va, &v), 0);
		EXPECT_EQ(t, probe_write_u64(va + 1, 7), -EFAULT);
		snprintf(expect, sizeof(expect),
			 "inside vmalloc area 0x%lx-0x%lx (4096 bytes, caller 0x",
			 (unsigned long)va, (unsigned long)va + PAGE_SIZE);
		EXPECT_TRUE(t, strstr(probe_last_fault()->what, expect));
		EXPECT_TRUE(t, strstr(probe_last_fault()->what, ", vmap)"));
		EXPECT_EQ(t, probe_last_fault()->error_code & X86_PF_PROT, X86_PF_PROT);
		printk("    # %s\n", probe_last_fault()->what);
		vunmap(va);
	}
	__free_page(page);
}

/* A highmem page for the caller, or NULL (and the case skipped) when there is no highmem. */
static struct page *highmem_page(struct selftest *t)
{
	struct page *page = alloc_page(GFP_HIGHUSER | __GFP_NOWARN);

	if (page && !page_address(page))
		return page;
	if (page)
		__free_page(page);
	selftest_skip(t, "no highmem in this boot (lowmem= covers all RAM)");
	return NULL;
}

/*
 * vmap() of highmem pages: readable and writable through the mapping,
 * not reachable through the direct map; vunmap() leaves the pages alone.
 */
static void vmap_highmem(struct selftest *t)
{
	struct page *pages[3] = { NULL, NULL, NULL };
	unsigned long used = vmalloc_nr_pages();
	u32 *va;
	u8 byte;

	for (unsigned int i = 0; i < ARRAY_SIZE(pages); i++) {
		pages[i] = highmem_page(t);
		if (!pages[i])
			goto out;
	}
	va = vmap(pages, ARRAY_SIZE(pages), VM_MAP, 0);
	if (!EXPECT_TRUE(t, va))
		goto out;
	EXPECT_EQ(t, find_vm_area(va)->flags, VM_MAP);
	EXPECT_EQ(t, vmalloc_nr_pages(), used); /* the caller owns them: not VmallocUsed */
	for (unsigned int i = 0; i < ARRAY_SIZE(pages); i++) {
		unsigned long pa = PFN_PHYS(page_to_pfn(pages[i]));

		va[i * PAGE_SIZE / sizeof(u32)] = PATTERN_BASE + i;
		EXPECT_EQ(t, vmalloc_to_page((char *)va + i * PAGE_SIZE), pages[i]);
		EXPECT_EQ(t, page_address(pages[i]), NULL);
		/* The direct map stops at lowmem: that address faults. */
		EXPECT_EQ(t, probe_read_u8(__va(pa), &byte), -EFAULT);
		EXPECT_TRUE(t, strstr(probe_last_fault()->what, "not-present page"));
	}
	vunmap(va);
	EXPECT_EQ(t, find_vm_area(va), NULL);
	/* A second mapping sees what the first wrote: the pages kept their contents. */
	va = vmap(pages, ARRAY_SIZE(pages), VM_MAP, 0);
	EXPECT_TRUE(t, va);
	for (unsigned int i = 0; va && i < ARRAY_SIZE(pages); i++)
		EXPECT_EQ(t, va[i * PAGE_SIZE / sizeof(u32)], PATTERN_BASE + i);
	vunmap(va);
out:
	for (unsigned int i = 0; i < ARRAY_SIZE(pages); i++)
		if (pages[i])
			__free_page(pages[i]);
}

/* vmalloc() takes highmem pages when there are some (GFP_KERNEL | __GFP_HIGHMEM). */
static void vmalloc_uses_highmem(struct selftest *t)
{
	struct page *probe = highmem_page(t);
	void *p;

	if (!probe)
		return;
	__free_page(probe);
	p = vmalloc(2 * PAGE_SIZE);
	ASSERT_TRUE(t, p);
	EXPECT_EQ(t, page_address(vmalloc_to_page(p)), NULL);
	*(volatile u64 *)p = 0x1234;
	EXPECT_EQ(t, *(volatile u64 *)p, 0x1234);
	vfree(p);
}

/* VmallocUsed moves by exactly the pages vmalloc() holds; VmallocChunk shrinks and grows. */
static void vmalloc_used_exact(struct selftest *t)
{
	unsigned long used = vmalloc_nr_pages(), chunk = vmalloc_largest_chunk();
	void *a = vmalloc(5 * PAGE_SIZE), *b = vmalloc(PAGE_SIZE + 1);

	EXPECT_TRUE(t, a && b);
	EXPECT_EQ(t, vmalloc_nr_pages(), used + 7);
	EXPECT_TRUE(t, vmalloc_largest_chunk() <= chunk);
	EXPECT_TRUE(t, chunk > 0 && chunk <= VMALLOC_TOTAL);
	vfree(a);
	EXPECT_EQ(t, vmalloc_nr_pages(), used + 2);
	vfree(b);
	EXPECT_EQ(t, vmalloc_nr_pages(), used);
	EXPECT_EQ(t, vmalloc_largest_chunk(), chunk);
}

/* Bad sizes and bad frees are refused and change nothing. */
static void refusals(struct selftest *t)
{
	unsigned long areas = vmalloc_nr_areas(), used = vmalloc_nr_pages();
	struct page *page;
	void *p;

	EXPECT_EQ(t, vmalloc(0), NULL);
	EXPECT_EQ(t, vmalloc((totalram_pages() + 1) << PAGE_SHIFT), NULL);
	EXPECT_EQ(t, vmalloc(VMALLOC_TOTAL + 1), NULL);
	EXPECT_EQ(t, vmalloc(~0ul), NULL);
	EXPECT_EQ(t, vmalloc_nr_areas(), areas);
	p = vmalloc(2 * PAGE_SIZE);
	ASSERT_TRUE(t, p);
	vfree((char *)p + PAGE_SIZE); /* interior: not an area's start */
	vfree((char *)p + 8);         /* not even page aligned */
	vunmap(p);                    /* a vmalloc area is not vunmap()'s */
	EXPECT_EQ(t, find_vm_area(p)->addr, p);
	EXPECT_EQ(t, vmalloc_nr_pages(), used + 2);
	vfree(p);
	vfree(p); /* double vfree */
	EXPECT_EQ(t, vmalloc_nr_areas(), areas);
	EXPECT_EQ(t, vmalloc_nr_pages(), used);
	/* Not vmalloc addresses at all. */
	page = alloc_page(GFP_KERNEL);
	ASSERT_TRUE(t, page);
	vfree(page_address(page));
	vfree((void *)(VMALLOC_END & PAGE_MASK));
	EXPECT_EQ(t, page->_refcount, 1);
	__free_page(page);
	/* vfree() of a vmap area is refused: its pages are the caller's. */
	page = alloc_page(GFP_KERNEL);
	ASSERT_TRUE(t, page);
	p = vmap(&page, 1, VM_MAP, 0);
	EXPECT_TRUE(t, p);
	vfree(p);
	EXPECT_TRUE(t, p && find_vm_area(p));
	vunmap(p);
	EXPECT_EQ(t, vmap(&page, 0, VM_MAP, 0), NULL);
	EXPECT_EQ(t, vmalloc_nr_areas(), areas);
	__free_page(page);
}

/* get_vm_area() reserves without mapping; ioremap areas align to their size; VM_NO_GUARD. */
static void get_find_remove(struct selftest *t)
{
	struct vm_struct *a = get_vm_area(3 * PAGE_SIZE, VM_IOREMAP), *b, *c;
	unsigned int shift;

	ASSERT_TRUE(t, a);
	EXPECT_EQ(t, a->size, 4 * PAGE_SIZE);
	EXPECT_EQ(t, (unsigned long)a->addr & (4 * PAGE_SIZE - 1), 0); /* 3 pages round up to 4 */
	EXPECT_EQ(t, pgtable_leaf_ptr((unsigned long)a->addr, &shift), NULL);
	EXPECT_EQ(t, find_vm_area((char *)a->addr + 3 * PAGE_SIZE), a);
	b = get_vm_area(PAGE_SIZE, VM_NO_GUARD);
	ASSERT_TRUE(t, b);
	EXPECT_EQ(t, b->size, PAGE_SIZE);
	EXPECT_EQ(t, get_vm_area_size(b), PAGE_SIZE);
	/* Without a guard page the next area may start right after it. */
	c = get_vm_area(PAGE_SIZE, 0);
	ASSERT_TRUE(t, c);
	EXPECT_TRUE(t, (char *)c->addr >= (char *)b->addr + PAGE_SIZE);
	EXPECT_EQ(t, remove_vm_area((char *)a->addr + PAGE_SIZE), NULL); /* not a start */
	EXPECT_EQ(t, remove_vm_area(a->addr), a);
	EXPECT_EQ(t, find_vm_area(a->addr), NULL);
	EXPECT_EQ(t, remove_vm_area(b->addr), b);
	EXPECT_EQ(t, remove_vm_area(c->addr), c);
	kfree(a);
	kfree(b);
	kfree(c);
	EXPECT_EQ(t, get_vm_area(0, 0), NULL);
}

/* A vfree() of more pages than the per-page flush ceiling costs exactly one full flush. */
static void one_flush_per_vfree(struct selftest *t)
{
	void *p = vmalloc(TLB_FLUSH_CEILING_PAGES * PAGE_SIZE);
	unsigned long flushes;

	ASSERT_TRUE(t, p);
	flushes = nr_tlb_flush_all;
	vfree(p);
	EXPECT_EQ(t, nr_tlb_flush_all, flushes + 1);
}

/* /proc/vmallocinfo's line for a vmalloc area and a vmap area. */
static void vmallocinfo_lines(struct selftest *t)
{
	char line[VMALLOCINFO_LINE_MAX], expect[VMALLOCINFO_LINE_MAX];
	void *p = vmalloc(4 * PAGE_SIZE);
	struct vm_struct *a;

	ASSERT_TRUE(t, p);
	a = find_vm_area(p);
	vmallocinfo_format(a, line, sizeof(line));
	snprintf(expect, sizeof(expect), "0x%016lx-0x%016lx   20480 0x%lx pages=4 vmalloc",
		 (unsigned long)p, (unsigned long)p + 5 * PAGE_SIZE, (unsigned long)a->caller);
	EXPECT_EQ(t, strcmp(line, expect), 0);
	/* The caller is this function: its return address lies in the kernel image. */
	EXPECT_TRUE(t, (unsigned long)a->caller >= __START_KERNEL_map);
	printk("    # %s\n", line);
	vfree(p);
}

/*
 * vmap() takes only the flags of a vmap area: an area marked VM_ALLOC would
 * let vfree() free pages it does not own (and a NULL page array).
 */
static void vmap_flags_checked(struct selftest *t)
{
	unsigned long areas = vmalloc_nr_areas();
	struct page *page = alloc_page(GFP_KERNEL);

	ASSERT_TRUE(t, page);
	EXPECT_EQ(t, vmap(&page, 1, VM_MAP | VM_ALLOC, 0), NULL);
	EXPECT_EQ(t, vmap(&page, 1, VM_IOREMAP, 0), NULL);
	EXPECT_EQ(t, vmalloc_nr_areas(), areas);
	EXPECT_EQ(t, page->_refcount, 1);
	__free_page(page);
}

/* A line formatted into a short buffer is cut, never written past the buffer. */
static void vmallocinfo_short_buffer(struct selftest *t)
{
	struct {
		char line[24];
		char canary[VMALLOCINFO_LINE_MAX];
	} b;
	void *p = vmalloc(PAGE_SIZE);

	ASSERT_TRUE(t, p);
	memset(&b, 0x7e, sizeof(b));
	EXPECT_TRUE(t, vmallocinfo_format(find_vm_area(p), b.line, sizeof(b.line)) > 0);
	EXPECT_EQ(t, strlen(b.line), sizeof(b.line) - 1);
	for (unsigned int i = 0; i < sizeof(b.canary); i++) {
		if (!EXPECT_EQ(t, b.canary[i], 0x7e))
			break;
	}
	vfree(p);
}

/*
 * A vmalloc that finds a page of its area already mapped (bookkeeping
 * broken elsewhere) fails without unmapping what is not its own.
 */
static void failed_map_keeps_foreign_pte(struct selftest *t)
{
	unsigned long areas = vmalloc_nr_areas(), a;
	struct page *page = alloc_page(GFP_KERNEL);
	void *p = vmalloc(2 * PAGE_SIZE);
	phys_addr_t pa;
	unsigned int shift;

	ASSERT_TRUE(t, page && p);
	pa = PFN_PHYS(page_to_pfn(page));
	a = (unsigned long)p;
	vfree(p);
	/* First fit: the next area of this size starts at @a again. */
	ASSERT_EQ(t, kernel_map_range(a + PAGE_SIZE, pa, PAGE_SIZE, vmalloc_prot_kernel(), 0), 0);
	p = __vmalloc_caller(2 * PAGE_SIZE, GFP_KERNEL | __GFP_NOWARN, NULL);
	EXPECT_EQ(t, p, NULL);
	EXPECT_EQ(t, pgtable_lookup(a, &shift), 0);
	EXPECT_EQ(t, pgtable_lookup(a + PAGE_SIZE, &shift) & PTE_PFN_MASK, pa);
	EXPECT_EQ(t, vmalloc_nr_areas(), areas);
	EXPECT_EQ(t, kernel_unmap_range(a + PAGE_SIZE, PAGE_SIZE), 0);
	if (p)
		vfree(p);
	__free_page(page);
}

/*
 * Pages and page tables come back: a warm-up round maps the page tables
 * and grows the slabs, then an identical round must leave the free page
 * count exactly where it started.
 */
static void no_leak(struct selftest *t)
{
	static const unsigned long sizes[] = { PAGE_SIZE, 17 * PAGE_SIZE, 3, 64 * 1024 };
	unsigned long before = 0, tables = 0;

	for (unsigned int round = 0; round < 2; round++) {
		void *p[ARRAY_SIZE(sizes)], *v = NULL;
		struct page *page;

		drain_all_pages();
		if (round == 1) {
			before = nr_free_pages();
			tables = pgtable_nr_tables;
		}
		page = alloc_page(GFP_KERNEL);
		for (unsigned int i = 0; i < ARRAY_SIZE(sizes); i++)
			p[i] = i & 1 ? vzalloc(sizes[i]) : vmalloc(sizes[i]);
		if (page)
			v = vmap(&page, 1, VM_MAP, 0);
		for (unsigned int i = 0; i < ARRAY_SIZE(sizes); i++) {
			EXPECT_TRUE(t, p[i]);
			vfree(p[i]);
		}
		EXPECT_TRUE(t, v);
		vunmap(v);
		if (page)
			__free_page(page);
	}
	drain_all_pages();
	EXPECT_EQ(t, pgtable_nr_tables, tables);
	EXPECT_EQ(t, nr_free_pages(), before);
}

static const struct selftest_case vmalloc_cases[] = {
	SELFTEST_CASE(alloc_free_round_trip),
	SELFTEST_CASE(content_survives),
	SELFTEST_CASE(vzalloc_zeroes),
	SELFTEST_CASE(guard_page_unmapped),
	SELFTEST_CASE(guard_page_faults),
	SELFTEST_CASE(areas_never_adjacent),
	SELFTEST_CASE(readonly_vmap_write_named),
	SELFTEST_CASE(vmap_highmem),
	SELFTEST_CASE(vmalloc_uses_highmem),
	SELFTEST_CASE(vmalloc_used_exact),
	SELFTEST_CASE(refusals),
	SELFTEST_CASE(get_find_remove),
	SELFTEST_CASE(one_flush_per_vfree),
	SELFTEST_CASE(vmallocinfo_lines),
	SELFTEST_CASE(vmap_flags_checked),
	SELFTEST_CASE(vmallocinfo_short_buffer),
	SELFTEST_CASE(failed_map_keeps_foreign_pte),
	SELFTEST_CASE(no_leak),
};
SELFTEST_SUITE(vmalloc, vmalloc_cases);
