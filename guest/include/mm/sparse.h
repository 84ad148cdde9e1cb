/* SPDX-License-Identifier: MIT */
/*
 * The sparse memory model (guest/mm/sparse.c), Linux's SPARSEMEM_EXTREME
 * with SPARSEMEM_VMEMMAP: physical memory is cut into 128 MiB sections; a
 * section that holds any RAM is "present" and gets struct pages (1 MiB of
 * vmemmap), every other section costs nothing.
 *
 * Bookkeeping: mem_section[] is a static array of NR_SECTION_ROOTS root
 * pointers, each to one page of SECTIONS_PER_ROOT struct mem_section,
 * allocated from memblock the first time a section of its range is
 * marked. So the memory used is one page per 32 GiB of address space that
 * holds RAM, plus the 16 KiB root array, which lives in .noinit and is
 * cleared lazily up to the highest root used (clearing it in .bss would
 * cost the boot a 16 KiB fill for nothing on a small guest).
 *
 * pfn_valid() is per section, as in Linux: every pfn of a present section
 * is valid and has a struct page, including pfns in a hole inside the
 * section (below a DIMM that starts mid-section, E820 reserved areas).
 * Those struct pages stay all zero (not PG_reserved: marking them would be
 * work proportional to pages); the page allocator never frees them, since
 * it frees memblock's free ranges only.
 */
#ifndef MM_SPARSE_H
#define MM_SPARSE_H

#include "asm/page.h"
#include "asm/vmemmap.h"
#include "kernel/types.h"

#define SECTION_SIZE_BITS 27 /* 128 MiB, x86-64's value */
#define PFN_SECTION_SHIFT (SECTION_SIZE_BITS - PAGE_SHIFT)
#define PAGES_PER_SECTION (1ul << PFN_SECTION_SHIFT)
#define PAGE_SECTION_MASK (~(PAGES_PER_SECTION - 1))
#define SECTION_SIZE (1ul << SECTION_SIZE_BITS)

#define SECTIONS_SHIFT (MAX_PHYSMEM_BITS - SECTION_SIZE_BITS)
#define NR_MEM_SECTIONS (1ul << SECTIONS_SHIFT)
/* The first pfn past the physical address space the model covers. */
#define MAX_PHYS_PFN (1ul << (MAX_PHYSMEM_BITS - PAGE_SHIFT))

/* Pageblocks (the page allocator's migratetype unit): 2 MiB, 4 bits each. */
#define PAGEBLOCK_ORDER (PMD_SHIFT - PAGE_SHIFT)
#define PAGEBLOCK_NR_PAGES (1ul << PAGEBLOCK_ORDER)
#define NR_PAGEBLOCK_BITS 4
#define PAGEBLOCKS_PER_SECTION (PAGES_PER_SECTION / PAGEBLOCK_NR_PAGES)
/* Bytes of usemap one section needs: 64 pageblocks x 4 bits. */
#define SECTION_USEMAP_BYTES (PAGEBLOCKS_PER_SECTION * NR_PAGEBLOCK_BITS / 8)

/* Bits of mem_section.flags. */
#define SECTION_MARKED_PRESENT (1ul << 0) /* holds some memblock.memory */
#define SECTION_HAS_MEM_MAP (1ul << 1)    /* its struct pages are mapped and zeroed */

struct mem_section {
	unsigned long flags;
	/*
	 * Pageblock migratetype bits (NR_PAGEBLOCK_BITS per pageblock,
	 * SECTION_USEMAP_BYTES per section), for the page allocator to attach;
	 * NULL until it does. sparse.c never reads it.
	 */
	unsigned long *usemap;
};

#define SECTIONS_PER_ROOT (PAGE_SIZE / sizeof(struct mem_section))
#define NR_SECTION_ROOTS ((NR_MEM_SECTIONS + SECTIONS_PER_ROOT - 1) / SECTIONS_PER_ROOT)
#define SECTION_ROOT_MASK (SECTIONS_PER_ROOT - 1)

/*
 * The roots; only entries below mem_section_roots_cleared are meaningful
 * (the others are not cleared yet and read as absent).
 */
extern struct mem_section *mem_section[NR_SECTION_ROOTS];
extern unsigned long mem_section_roots_cleared;

/* Section number of a pfn, first pfn of a section. */
static inline unsigned long pfn_to_section_nr(unsigned long pfn)
{
	return pfn >> PFN_SECTION_SHIFT;
}

static inline unsigned long section_nr_to_pfn(unsigned long nr)
{
	return nr << PFN_SECTION_SHIFT;
}

static inline unsigned long section_nr_to_root(unsigned long nr)
{
	return nr / SECTIONS_PER_ROOT;
}

/* The entry of section @nr, or NULL if its root page was never allocated. */
static inline struct mem_section *__nr_to_section(unsigned long nr)
{
	unsigned long root = section_nr_to_root(nr);

	if (nr >= NR_MEM_SECTIONS || root >= mem_section_roots_cleared || !mem_section[root])
		return NULL;
	return &mem_section[root][nr & SECTION_ROOT_MASK];
}

static inline struct mem_section *__pfn_to_section(unsigned long pfn)
{
	return __nr_to_section(pfn_to_section_nr(pfn));
}

static inline bool present_section(const struct mem_section *ms)
{
	return ms && (ms->flags & SECTION_MARKED_PRESENT);
}

static inline bool valid_section(const struct mem_section *ms)
{
	return ms && (ms->flags & SECTION_HAS_MEM_MAP);
}

static inline bool present_section_nr(unsigned long nr)
{
	return present_section(__nr_to_section(nr));
}

static inline bool valid_section_nr(unsigned long nr)
{
	return valid_section(__nr_to_section(nr));
}

/*
 * Whether @pfn has a struct page: its section is present and its memmap
 * populated. O(1): two loads. Per section, as in Linux (see above).
 */
static inline bool pfn_valid(unsigned long pfn)
{
	if (pfn >= MAX_PHYS_PFN)
		return false;
	return valid_section(__pfn_to_section(pfn));
}

/*
 * The first present section numbered @nr or more, or -1ul if none: skips
 * a whole root at a time where no root page exists, so a walk costs
 * O(roots + present sections), never O(address space).
 */
unsigned long next_present_section_nr(unsigned long nr);

/* Every present section number, ascending: unsigned long nr. */
#define for_each_present_section(nr)                                  \
	for ((nr) = next_present_section_nr(0); (nr) != -1ul;          \
	     (nr) = next_present_section_nr((nr) + 1))

/*
 * Mark every section overlapping [@start_pfn, @end_pfn) present,
 * allocating root pages from memblock as needed. pfns at or beyond
 * MAX_PHYS_PFN are ignored (reported once). Returns 0, or -ENOMEM if
 * memblock has no page for a root.
 */
int memory_present(unsigned long start_pfn, unsigned long end_pfn);

/*
 * Boot: mark the sections of every memblock.memory range present, then
 * populate the vmemmap of each run of consecutive present sections with
 * vmemmap_populate() and print the one-line summary. Panics on failure:
 * without struct pages there is no page allocator.
 */
void sparse_init(void);

/* What sparse_init() did (for reports and tests). */
struct sparse_stats {
	unsigned long present_sections;
	unsigned long memmap_sections; /* populated (== present after boot) */
	unsigned long root_pages;      /* pages of mem_section entries allocated */
	unsigned long populate_calls;  /* vmemmap_populate() calls (one per run) */
};
extern struct sparse_stats sparse_stats;

/*
 * Back to nothing present, no roots (the root pages themselves stay
 * reserved in memblock; host tests reset memblock as well).
 */
void sparse_reset(void);

/*
 * How early code reaches physical memory that memblock returns below its
 * current limit (the arch provides it: the boot identity map on x86-64;
 * the host test, its arena).
 */
void *sparse_early_va(phys_addr_t pa);

#endif /* MM_SPARSE_H */
