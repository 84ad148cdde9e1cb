// SPDX-License-Identifier: MIT
/*
 * How generic mm reaches physical memory on x86: lowmem through the direct
 * map at PAGE_OFFSET (built here: 1 GiB pages where the CPU has them and
 * alignment allows, else 2 MiB, 4 KiB at unaligned edges; NX, global),
 * boot-time metadata through the boot identity map of [0, 4 GiB) that
 * memblock's limit keeps early allocations in, highmem through an
 * early_ioremap() slot. These are the hooks mm/page_alloc.h, mm/slab.h and
 * mm/mm_init.h ask the arch for.
 */
#include "asm/clear_page.h"
#include "asm/cpuid.h"
#include "asm/early_ioremap.h"
#include "asm/direct_map.h"
#include "asm/page.h"
#include "asm/pgtable.h"
#include "asm/pgtable_types.h"
#include "asm/processor.h"
#include "asm/processor-flags.h"
#include "kernel/bench.h"
#include "kernel/panic.h"
#include "mm/highmem.h"
#include "mm/memblock.h"
#include "mm/mm_init.h"
#include "mm/page.h"
#include "mm/page_alloc.h"
#include "mm/slab.h"

/* Boot-time metadata (pageblock bitmaps...): zeroed memblock memory, identity mapped. */
void *mm_boot_alloc(size_t bytes)
{
	phys_addr_t pa = memblock_phys_alloc(bytes, sizeof(unsigned long));
	void *va;

	if (!pa)
		return NULL;
	va = (void *)(unsigned long)pa; /* memblock's limit keeps it inside the identity map */
	clear_qwords(va, (bytes + 7) & ~7ul);
	return va;
}

void arch_clear_page(unsigned long pfn)
{
	phys_addr_t pa = PFN_PHYS(pfn);
	void *va;

	if (pa < EARLY_IDENT_MAP_SIZE) {
		clear_page((void *)(unsigned long)pa);
		return;
	}
	va = early_ioremap(pa, PAGE_SIZE);
	if (!va)
		panic("arch_clear_page: cannot map pfn 0x%lx", pfn);
	clear_page(va);
	early_iounmap(va, PAGE_SIZE);
}

unsigned long direct_map_pages_4k, direct_map_pages_2m, direct_map_pages_1g;
u64 direct_map_build_cycles, direct_map_build_bytes;

/* CPUID leaf 0x80000001 EDX bit 26: 1 GiB pages (pdpe1gb). */
#define CPUID_EXT_MAX_LEAF 0x80000000u
#define CPUID_EXT_FEATURE_LEAF 0x80000001u
#define CPUID_80000001_EDX_GBPAGES (1u << 26)

/* Linux's direct_gbpages: 1 GiB leaves in the direct map (set when it is built). */
bool direct_gbpages;

/*
 * Whether the CPU maps 1 GiB pages. Asked of CPUID directly: the direct
 * map is built before identify_boot_cpu() fills boot_cpu_data.
 */
static bool cpu_has_gbpages(void)
{
	if (cpuid(CPUID_EXT_MAX_LEAF).eax < CPUID_EXT_FEATURE_LEAF)
		return false;
	return cpuid(CPUID_EXT_FEATURE_LEAF).edx & CPUID_80000001_EDX_GBPAGES;
}

/*
 * Count the leaves kernel_map_range() makes for [@start, @end): greedy,
 * largest first, so 1 GiB leaves (if @gb) in the aligned middle, 2 MiB
 * ones around them, 4 KiB at the unaligned edges.
 */
static void count_leaves(phys_addr_t start, phys_addr_t end, bool gb)
{
	phys_addr_t g0 = (start + PUD_SIZE - 1) & ~((phys_addr_t)PUD_SIZE - 1);
	phys_addr_t g1 = end & ~((phys_addr_t)PUD_SIZE - 1);
	phys_addr_t m0 = (start + PMD_SIZE - 1) & ~((phys_addr_t)PMD_SIZE - 1);
	phys_addr_t m1 = end & ~((phys_addr_t)PMD_SIZE - 1);

	if (gb && g0 < g1) {
		direct_map_pages_1g += (g1 - g0) >> PUD_SHIFT;
		count_leaves(start, g0, false);
		count_leaves(g1, end, false);
	} else if (m0 < m1) {
		direct_map_pages_2m += (m1 - m0) >> PMD_SHIFT;
		direct_map_pages_4k += ((m0 - start) + (end - m1)) >> PAGE_SHIFT;
	} else if (start < end) {
		direct_map_pages_4k += (end - start) >> PAGE_SHIFT;
	}
}

/*
 * Map [@start, @end) of RAM at PAGE_OFFSET + pa: data, so no-execute, and
 * global where CR4.PGE is on (head.S turns it on if the CPU has it).
 */
static void map_lowmem_range(phys_addr_t start, phys_addr_t end)
{
	u64 prot = pgtable_prot_kernel_data() | ((read_cr4() & X86_CR4_PGE) ? _PAGE_GLOBAL : 0);
	unsigned int flags = PGTABLE_MAP_LARGE | (direct_gbpages ? PGTABLE_MAP_HUGE : 0);
	int ret = kernel_map_range((unsigned long)__va(start), start, end - start, prot, flags);

	if (ret)
		panic("direct map: cannot map [0x%lx-0x%lx] (error %d)", (unsigned long)start,
		      (unsigned long)end - 1, ret);
	count_leaves(start, end, direct_gbpages);
}

/* The direct map (Linux's init_mem_mapping()): every RAM range below the lowmem limit. */
void arch_map_lowmem(unsigned long low_pfn)
{
	phys_addr_t start, end, limit = PFN_PHYS(low_pfn);
	u64 i, t0 = bench_rdtsc();

	direct_gbpages = cpu_has_gbpages();

	for_each_mem_range(i, &start, &end) {
		if (start >= limit)
			break;
		map_lowmem_range(start, end < limit ? end : limit);
		direct_map_build_bytes += (end < limit ? end : limit) - start;
	}
	direct_map_build_cycles = bench_rdtsc() - t0;
}

/*
 * Lowmem: the direct map. Highmem has no permanent mapping: its pkmap
 * address while kmap()ped, else NULL (Linux's page_address_htable).
 */
void *page_address(const struct page *page)
{
	unsigned long pfn = page_to_pfn(page);

	if (pfn >= max_low_pfn)
		return kmap_high_page_address(page);
	return __va(PFN_PHYS(pfn));
}

struct page *virt_to_page(const void *addr)
{
	unsigned long va = (unsigned long)addr;

	if (va < PAGE_OFFSET || __pa(va) >= PFN_PHYS(max_low_pfn))
		panic("virt_to_page: 0x%lx is not a direct-map (lowmem) address", va);
	return pfn_to_page(PHYS_PFN(__pa(va)));
}
