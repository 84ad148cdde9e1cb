// SPDX-License-Identifier: MIT
/*
 * Selftests of ioremap and memremap (asm/ioremap.h), suite "ioremap": RAM
 * refused, the PTE cache bits and the memtype of every flavour, the page
 * offset kept, memtype conflicts resolved as Linux resolves them, iounmap
 * giving back the area and the memtype, memremap of RAM, and a real
 * device register read through a mapping (the IOAPIC's version).
 *
 * Mappings that need no device go to TEST_HOLE, a physical address far
 * above the RAM of any boot the tests use and inside the CPU's physical
 * width here and under QEMU (40 bits); nothing is read or written there.
 */
#include "asm/io_apic.h"
#include "asm/ioremap.h"
#include "asm/memtype.h"
#include "asm/mtrr.h"
#include "asm/page.h"
#include "asm/pat.h"
#include "asm/pgtable.h"
#include "asm/pgtable_types.h"
#include "asm/processor.h"
#include "kernel/printk.h"
#include "kernel/selftest.h"
#include "mm/memblock.h"
#include "mm/page_alloc.h"
#include "mm/slab.h"
#include "mm/vmalloc.h"

/* 1012 GiB: no RAM, no device, below 2^40. */
#define TEST_HOLE 0xfd00000000ull
/* The IOAPIC's register window: index register, then the data window at +0x10. */
#define IOAPIC_IOREGSEL 0x00
#define IOAPIC_IOWIN 0x10
#define IOAPIC_WINDOW_SIZE 0x20
#define IOAPIC_MAX_REDIR_SHIFT 16

/* Why TEST_HOLE cannot be used in this boot, or NULL if it can. */
static const char *hole_unusable(void)
{
	if (!pat_enabled())
		return "PAT is not enabled: no cache modes to check";
	if (memblock_is_region_memory(TEST_HOLE, 8 * PAGE_SIZE) ||
	    (boot_cpu_data.x86_phys_bits && TEST_HOLE >> boot_cpu_data.x86_phys_bits))
		return "the test hole is RAM or beyond the physical width in this boot";
	return NULL;
}

/* Whether TEST_HOLE can be used here; if not, the case is skipped. */
static bool hole_usable(struct selftest *t)
{
	const char *why = hole_unusable();

	if (why)
		selftest_skip(t, why);
	return !why;
}

/* The cache mode the PTE mapping @p selects (4 KiB leaf), or _PAGE_CACHE_MODE_NUM if none. */
static enum page_cache_mode pte_mode(const void *p)
{
	unsigned int shift;
	u64 pte = pgtable_lookup((unsigned long)p, &shift);

	if (!pte || shift != PAGE_SHIFT)
		return _PAGE_CACHE_MODE_NUM;
	return pgprot2cachemode(pte, false);
}

/* What a WB request for @pa becomes (Linux's pat_x_mtrr_type()): WB only where the MTRRs say WB. */
static enum page_cache_mode wb_request_type(u64 pa)
{
	u8 uniform;

	return mtrr_type_lookup(pa, pa + PAGE_SIZE, &uniform) == MTRR_TYPE_WRBACK
		       ? _PAGE_CACHE_MODE_WB
		       : _PAGE_CACHE_MODE_UC_MINUS;
}

/* The end of the first RAM region followed by a hole, or 0. */
static phys_addr_t ram_end_before_hole(void)
{
	struct memblock_region *r;

	for_each_mem_region(r)
		if (r->base + r->size >= 2 * PAGE_SIZE && !memblock_is_memory(r->base + r->size))
			return r->base + r->size;
	return 0;
}

/* RAM, a range crossing into RAM, and bad arguments are all refused, and change nothing. */
static void ram_refused(struct selftest *t)
{
	unsigned long areas = vmalloc_nr_areas(), entries = memtype_nr_entries();
	struct page *low = alloc_page(GFP_KERNEL), *high = alloc_page(GFP_HIGHUSER);
	phys_addr_t end = ram_end_before_hole();

	ASSERT_TRUE(t, low && high);
	EXPECT_EQ(t, ioremap(PFN_PHYS(page_to_pfn(low)), PAGE_SIZE), NULL);
	EXPECT_EQ(t, ioremap_wc(PFN_PHYS(page_to_pfn(low)) + 8, 8), NULL);
	EXPECT_EQ(t, ioremap_cache(PFN_PHYS(page_to_pfn(high)), PAGE_SIZE), NULL);
	EXPECT_TRUE(t, end);
	if (end) {
		/* From the last RAM page into the hole, and from the hole back into RAM. */
		EXPECT_EQ(t, ioremap(end - PAGE_SIZE, 2 * PAGE_SIZE), NULL);
		EXPECT_EQ(t, ioremap_uc(end - 1, 2), NULL);
	}
	EXPECT_EQ(t, ioremap(TEST_HOLE, 0), NULL);
	EXPECT_EQ(t, ioremap(~0ull - PAGE_SIZE, 2 * PAGE_SIZE), NULL); /* wraps */
	EXPECT_EQ(t, ioremap(1ull << 52, PAGE_SIZE), NULL);           /* beyond any width */
	EXPECT_EQ(t, vmalloc_nr_areas(), areas);
	EXPECT_EQ(t, memtype_nr_entries(), entries);
	__free_page(low);
	__free_page(high);
}

/* One flavour: the PTE, the memtype and the area say @want; iounmap gives it all back. */
static void check_flavour(struct selftest *t, void *(*fn)(phys_addr_t, unsigned long),
			  enum page_cache_mode want)
{
	unsigned long areas = vmalloc_nr_areas(), entries = memtype_nr_entries();
	void *p = fn(TEST_HOLE, PAGE_SIZE);
	struct vm_struct *area;
	unsigned int shift;
	u64 pte;

	if (!EXPECT_TRUE(t, p))
		return;
	EXPECT_TRUE(t, is_vmalloc_addr(p));
	EXPECT_EQ(t, pte_mode(p), want);
	EXPECT_EQ(t, memtype_lookup(TEST_HOLE), want);
	pte = pgtable_lookup((unsigned long)p, &shift);
	EXPECT_EQ(t, pte & PTE_PFN_MASK, TEST_HOLE);
	/* PAGE_KERNEL_IO: the vmalloc bits plus the cache mode's. */
	EXPECT_EQ(t, pte & ~(PTE_PFN_MASK | _PAGE_PWT | _PAGE_PCD | _PAGE_PAT),
		  vmalloc_prot_kernel());
	area = find_vm_area(p);
	EXPECT_TRUE(t, area && area->flags == VM_IOREMAP && area->phys_addr == TEST_HOLE);
	/* Page-sized ioremap areas are aligned to their size, and guarded. */
	EXPECT_TRUE(t, area && area->size == 2 * PAGE_SIZE);
	EXPECT_EQ(t, vmalloc_nr_areas(), areas + 1);
	iounmap(p);
	EXPECT_EQ(t, vmalloc_nr_areas(), areas);
	EXPECT_EQ(t, memtype_nr_entries(), entries);
	EXPECT_EQ(t, memtype_lookup(TEST_HOLE), _PAGE_CACHE_MODE_UC_MINUS); /* nobody's */
	EXPECT_EQ(t, pgtable_lookup((unsigned long)p, &shift), 0);
}

/* Each flavour's cache mode, in the PTE bits and in the memtype list. */
static void cache_bits(struct selftest *t)
{
	if (!hole_usable(t))
		return;
	check_flavour(t, ioremap, _PAGE_CACHE_MODE_UC_MINUS);
	check_flavour(t, ioremap_uc, _PAGE_CACHE_MODE_UC);
	check_flavour(t, ioremap_wc, _PAGE_CACHE_MODE_WC);
	check_flavour(t, ioremap_wt, _PAGE_CACHE_MODE_WT);
	check_flavour(t, ioremap_cache, wb_request_type(TEST_HOLE));
}

/* The caller's offset comes back in the pointer; the mapping covers every page touched. */
static void unaligned_offset(struct selftest *t)
{
	char *p, *q;
	unsigned int shift;

	if (!hole_usable(t))
		return;
	p = ioremap(TEST_HOLE + 0x123, 0x10);
	ASSERT_TRUE(t, p);
	EXPECT_EQ(t, (unsigned long)p & ~PAGE_MASK, 0x123);
	EXPECT_EQ(t, get_vm_area_size(find_vm_area(p)), PAGE_SIZE);
	EXPECT_EQ(t, find_vm_area(p)->phys_addr, TEST_HOLE);
	/* 16 bytes across a page boundary: two pages. */
	q = ioremap(TEST_HOLE + 4 * PAGE_SIZE + 0xff8, 16);
	ASSERT_TRUE(t, q);
	EXPECT_EQ(t, (unsigned long)q & ~PAGE_MASK, 0xff8);
	EXPECT_EQ(t, get_vm_area_size(find_vm_area(q)), 2 * PAGE_SIZE);
	EXPECT_EQ(t, pgtable_lookup((unsigned long)q + 8, &shift) & PTE_PFN_MASK,
		  TEST_HOLE + 5 * PAGE_SIZE);
	iounmap(p);      /* the offset pointer itself */
	iounmap(q + 12); /* any address inside the mapping */
	EXPECT_EQ(t, find_vm_area(p), NULL);
	EXPECT_EQ(t, find_vm_area(q), NULL);
}

/*
 * Two mappings of one range: a request that meets a reservation of one
 * other type gets that type if the caller can live with it (UC asked, WC
 * found: WC), is refused if not (WC asked, WB found), and a range over
 * two reservations of different types is refused.
 */
static void memtype_conflict(struct selftest *t)
{
	unsigned long areas = vmalloc_nr_areas(), entries = memtype_nr_entries();
	void *wc, *uc, *uc2, *both, *wb, *wc2;
	enum page_cache_mode got;

	if (!hole_usable(t))
		return;
	wc = ioremap_wc(TEST_HOLE, PAGE_SIZE);
	ASSERT_TRUE(t, wc);
	uc = ioremap_uc(TEST_HOLE, PAGE_SIZE);
	EXPECT_TRUE(t, uc);
	EXPECT_EQ(t, pte_mode(uc), _PAGE_CACHE_MODE_WC);
	uc2 = ioremap_uc(TEST_HOLE + PAGE_SIZE, PAGE_SIZE);
	EXPECT_TRUE(t, uc2);
	EXPECT_EQ(t, pte_mode(uc2), _PAGE_CACHE_MODE_UC);
	both = ioremap(TEST_HOLE, 2 * PAGE_SIZE);
	EXPECT_EQ(t, both, NULL);
	iounmap(wc);
	iounmap(uc);
	iounmap(uc2);
	EXPECT_EQ(t, memtype_nr_entries(), entries);

	wb = ioremap_cache(TEST_HOLE, PAGE_SIZE);
	ASSERT_TRUE(t, wb);
	got = pte_mode(wb);
	EXPECT_EQ(t, got, wb_request_type(TEST_HOLE));
	wc2 = ioremap_wc(TEST_HOLE, PAGE_SIZE);
	if (got == _PAGE_CACHE_MODE_WB) {
		EXPECT_EQ(t, wc2, NULL); /* WC may not become WB */
	} else {
		EXPECT_TRUE(t, wc2); /* WC asked, UC- found: allowed */
		EXPECT_EQ(t, pte_mode(wc2), got);
	}
	iounmap(wc2);
	iounmap(wb);
	EXPECT_EQ(t, vmalloc_nr_areas(), areas);
	EXPECT_EQ(t, memtype_nr_entries(), entries);
}

/* iounmap() of what ioremap() did not give is refused (ignored for the direct map). */
static void bad_iounmap(struct selftest *t)
{
	unsigned long areas;
	void *v = vmalloc(PAGE_SIZE);
	struct page *page = alloc_page(GFP_KERNEL);

	ASSERT_TRUE(t, v && page);
	areas = vmalloc_nr_areas();
	iounmap(v);
	iounmap(page_address(page));
	iounmap((void *)VMALLOC_START);
	iounmap(NULL);
	EXPECT_EQ(t, vmalloc_nr_areas(), areas);
	EXPECT_EQ(t, find_vm_area(v)->addr, v);
	vfree(v);
	__free_page(page);
}

/*
 * memremap(): lowmem RAM is its direct-map address, highmem RAM a WB
 * vmalloc mapping, other modes of RAM and mixed ranges are refused, and
 * non-RAM goes through ioremap.
 */
static void memremap_ram(struct selftest *t)
{
	unsigned long areas = vmalloc_nr_areas();
	struct page *low = alloc_page(GFP_KERNEL), *high = alloc_page(GFP_HIGHUSER);
	phys_addr_t lpa, end = ram_end_before_hole();
	u64 *p;

	ASSERT_TRUE(t, low && high);
	lpa = PFN_PHYS(page_to_pfn(low));
	EXPECT_EQ(t, memremap(lpa, PAGE_SIZE, MEMREMAP_WB), __va(lpa));
	EXPECT_EQ(t, memremap(lpa, PAGE_SIZE, MEMREMAP_WC), NULL);
	EXPECT_EQ(t, memremap(lpa, PAGE_SIZE, 0), NULL);
	memunmap(__va(lpa)); /* a no-op */
	EXPECT_EQ(t, vmalloc_nr_areas(), areas);
	if (end)
		EXPECT_EQ(t, memremap(end - PAGE_SIZE, 2 * PAGE_SIZE, MEMREMAP_WB), NULL);
	if (!page_address(high)) {
		phys_addr_t hpa = PFN_PHYS(page_to_pfn(high));

		p = memremap(hpa + 8, 8, MEMREMAP_WB);
		EXPECT_TRUE(t, p && is_vmalloc_addr(p));
		if (p) {
			EXPECT_EQ(t, vmalloc_to_page(p), high);
			EXPECT_EQ(t, pte_mode(p), _PAGE_CACHE_MODE_WB);
			*p = 0x600dull;
			memunmap(p);
		}
		/* Read it back through another mapping of the same page. */
		p = vmap(&high, 1, VM_MAP, 0);
		EXPECT_TRUE(t, p && p[1] == 0x600dull);
		vunmap(p);
	} else {
		printk("    # no highmem in this boot: memremap of highmem not checked\n");
	}
	if (!hole_unusable()) {
		p = memremap(TEST_HOLE, PAGE_SIZE, MEMREMAP_WC);
		EXPECT_TRUE(t, p && pte_mode(p) == _PAGE_CACHE_MODE_WC);
		memunmap(p);
		p = memremap(TEST_HOLE, PAGE_SIZE, MEMREMAP_WB);
		EXPECT_TRUE(t, p && pte_mode(p) == wb_request_type(TEST_HOLE));
		memunmap(p);
	}
	EXPECT_EQ(t, vmalloc_nr_areas(), areas);
	__free_page(low);
	__free_page(high);
}

/* A device register through ioremap(): the IOAPIC's version register names its pin count. */
static void ioapic_register_read(struct selftest *t)
{
	unsigned int pins = io_apic_nr_pins();
	void *base;
	u32 version;

	if (!pins) {
		selftest_skip(t, "no IOAPIC in this machine");
		return;
	}
	base = ioremap(IO_APIC_DEFAULT_PHYS_BASE, IOAPIC_WINDOW_SIZE);
	ASSERT_TRUE(t, base);
	EXPECT_EQ(t, pte_mode(base), memtype_lookup(IO_APIC_DEFAULT_PHYS_BASE));
	writel(IO_APIC_REG_VERSION, (char *)base + IOAPIC_IOREGSEL);
	version = readl((char *)base + IOAPIC_IOWIN);
	EXPECT_EQ(t, ((version >> IOAPIC_MAX_REDIR_SHIFT) & 0xff) + 1, pins);
	iounmap(base);
}

static const struct selftest_case ioremap_cases[] = {
	SELFTEST_CASE(ram_refused),
	SELFTEST_CASE(cache_bits),
	SELFTEST_CASE(unaligned_offset),
	SELFTEST_CASE(memtype_conflict),
	SELFTEST_CASE(bad_iounmap),
	SELFTEST_CASE(memremap_ram),
	SELFTEST_CASE(ioapic_register_read),
};
SELFTEST_SUITE(ioremap, ioremap_cases);
