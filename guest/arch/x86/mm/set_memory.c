// SPDX-License-Identifier: MIT
/*
 * Change page attributes of the direct map (asm/set_memory.h), after
 * Linux's arch/x86/mm/pat/set_memory.c: a change is a pair of masks (bits
 * to clear, bits to set, in the 4 KiB encoding) applied to every leaf of
 * the range; a large leaf is kept when the change covers it entirely or
 * changes nothing in it (Linux's try_preserve_large_page()), split one
 * level down otherwise. The splits all come first, the bit changes after
 * them, so a split that fails (no page for the table) changes nothing;
 * Linux stops half-way instead.
 */
#include "asm/cpuid.h"
#include "asm/direct_map.h"
#include "asm/memtype.h"
#include "asm/page.h"
#include "asm/pat.h"
#include "asm/pgtable.h"
#include "asm/pgtable_types.h"
#include "asm/set_memory.h"
#include "kernel/errno.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "mm/mm_init.h"
#include "mm/page.h"

/* The PTE bits that select the cache mode, 4 KiB encoding (Linux's _PAGE_CACHE_MASK). */
#define _PAGE_CACHE_MASK (_PAGE_PWT | _PAGE_PCD | _PAGE_PAT)

/* Linux's tlb_single_page_flush_ceiling: above this many pages, flush everything. */
#define CPA_FLUSH_CEILING 33

/* CPUID.1:EDX bit 19: CLFLUSH; EBX[15:8]: its line size in 8-byte units. */
#define CPUID_1_EDX_CLFLUSH (1u << 19)
#define CPUID_1_EBX_CLFLUSH_SHIFT 8
#define CPUID_1_EBX_CLFLUSH_MASK 0xffu
#define CLFLUSH_UNIT 8

struct cpa_stats cpa_stats;

/* What to change: Linux's struct cpa_data, for one virtually contiguous range. */
struct cpa_data {
	unsigned long start, end; /* [start, end), page aligned */
	u64 mask_set, mask_clr;   /* 4 KiB encoding: PAT at bit 7 */
	bool cache;		  /* a cache-mode change: write the lines back */
};

/* @bits (4 KiB encoding) as a large leaf's: the PAT bit moves from bit 7 to bit 12. */
static u64 bits_for_large(u64 bits)
{
	if (bits & _PAGE_PAT)
		bits = (bits & ~_PAGE_PAT) | _PAGE_PAT_LARGE;
	return bits;
}

/* Whether @x is a multiple of @size (a power of two). */
static bool aligned_to(unsigned long x, unsigned long size)
{
	return !(x & (size - 1));
}

/* @entry with the change applied (@large: a 2 MiB / 1 GiB leaf, PSE stays). */
static u64 cpa_apply(const struct cpa_data *cpa, u64 entry, bool large)
{
	u64 set = large ? bits_for_large(cpa->mask_set) : cpa->mask_set;
	u64 clr = large ? bits_for_large(cpa->mask_clr) : cpa->mask_clr;

	return (entry & ~clr) | set;
}

/*
 * Check that [@addr, @addr + @numpages pages) is direct-mapped lowmem,
 * every page of it present, before anything is changed (Linux would stop
 * half-way with "CPA: called for zero pte"). Fills @cpa's range.
 */
static int cpa_check_range(const char *who, unsigned long addr, int numpages,
			   struct cpa_data *cpa)
{
	unsigned long end, va;
	unsigned int shift;

	if (numpages < 0) {
		printk("%s: negative page count %d\n", who, numpages);
		return -EINVAL;
	}
	if (addr & ~PAGE_MASK) {
		/* Linux WARNs once and works on the page holding @addr. */
		printk("%s: misaligned address 0x%lx, using its page\n", who, addr);
		addr &= PAGE_MASK;
	}
	end = addr + ((unsigned long)numpages << PAGE_SHIFT);
	if (addr < PAGE_OFFSET || end < addr || __pa(end) > PFN_PHYS(max_low_pfn)) {
		printk("%s: 0x%lx (%d pages) is not in the direct map of lowmem\n", who, addr,
		       numpages);
		return -EINVAL;
	}
	for (va = addr; va < end; va = (va | ((1ul << shift) - 1)) + 1) {
		if (!pgtable_leaf_ptr(va, &shift)) {
			printk("%s: 0x%lx (%d pages): 0x%lx is not mapped (a hole in lowmem)\n",
			       who, addr, numpages, va);
			return -EINVAL;
		}
	}
	cpa->start = addr;
	cpa->end = end;
	return 0;
}

/* Split the large leaf at @va, moving the DirectMap counters with it. */
static int cpa_split(unsigned long va, unsigned int shift)
{
	int err = pgtable_split_large(va);

	if (err) {
		printk("CPA: cannot split the leaf mapping 0x%lx (error %d)\n", va, err);
		return err;
	}
	if (shift == PUD_SHIFT) {
		direct_map_pages_1g--;
		direct_map_pages_2m += PTRS_PER_TABLE;
		cpa_stats.splits_1g++;
	} else {
		direct_map_pages_2m--;
		direct_map_pages_4k += PTRS_PER_TABLE;
		cpa_stats.splits_2m++;
	}
	return 0;
}

/* The CLFLUSH line size in bytes, or 0 without CLFLUSH (asked once). */
static unsigned int clflush_size(void)
{
	static unsigned int size;
	static bool known;

	if (!known) {
		struct cpuid_regs r = cpuid(1);

		if (r.edx & CPUID_1_EDX_CLFLUSH)
			size = ((r.ebx >> CPUID_1_EBX_CLFLUSH_SHIFT) & CPUID_1_EBX_CLFLUSH_MASK) *
			       CLFLUSH_UNIT;
		known = true;
	}
	return size;
}

/*
 * Write back the lines of a range whose cache mode changed, so no stale
 * WB line outlives the new type: line by line for a few pages (Linux's
 * clflush_cache_range()), WBINVD for more, where one trapped instruction
 * is cheaper here than thousands of CLFLUSHes.
 */
static void cpa_flush_cache(unsigned long start, unsigned long end)
{
	unsigned int line = clflush_size();

	if (!line || (end - start) >> PAGE_SHIFT > CPA_FLUSH_CEILING) {
		asm volatile("wbinvd" : : : "memory");
		return;
	}
	asm volatile("mfence" : : : "memory");
	for (unsigned long p = start; p < end; p += line)
		asm volatile("clflush %0" : "+m"(*(volatile char *)p));
	asm volatile("mfence" : : : "memory");
}

/*
 * Whether the large leaf @entry of 1 << @shift bytes at @va must be split
 * for @cpa: the change would alter it and does not cover all of it from
 * @va on (Linux's try_preserve_large_page() keeping it otherwise).
 */
static bool cpa_needs_split(const struct cpa_data *cpa, unsigned long va, u64 entry,
			    unsigned int shift)
{
	unsigned long size = 1ul << shift;

	if (cpa_apply(cpa, entry, true) == entry)
		return false;
	return !aligned_to(va, size) || cpa->end - va < size;
}

/*
 * First pass: split every large leaf of the range that needs it, before
 * any attribute changes. A split that fails for want of a page then
 * leaves the range as it was (the splits made so far keep every
 * attribute, so they change nothing but DirectMap counts).
 */
static int cpa_split_as_needed(const struct cpa_data *cpa)
{
	unsigned long va = cpa->start;

	while (va < cpa->end) {
		unsigned int shift;
		u64 *leaf = pgtable_leaf_ptr(va, &shift);
		int err;

		if (!leaf) /* cpa_check_range() saw it mapped: the tables changed under us */
			return -EFAULT;
		if (shift == PAGE_SHIFT || !cpa_needs_split(cpa, va, *leaf, shift)) {
			va = (va | ((1ul << shift) - 1)) + 1;
			continue;
		}
		err = cpa_split(va, shift);
		if (err)
			return err;
		/* Again at @va, now one level down (a 1 GiB leaf may need a second split). */
	}
	return 0;
}

/*
 * Second pass: rewrite every leaf the change alters (a large one is, by
 * now, covered whole: kept large). Cannot fail. Whether anything changed.
 */
static bool cpa_apply_range(const struct cpa_data *cpa)
{
	unsigned long va = cpa->start;
	bool changed = false;

	while (va < cpa->end) {
		unsigned int shift;
		u64 *leaf = pgtable_leaf_ptr(va, &shift);
		bool large;
		u64 new;

		if (!leaf || (shift != PAGE_SHIFT && cpa_needs_split(cpa, va, *leaf, shift)))
			panic("CPA: 0x%lx changed between the split and the change", va);
		large = shift != PAGE_SHIFT;
		new = cpa_apply(cpa, *leaf, large);
		if (new != *leaf) {
			*leaf = new;
			changed = true;
			if (large)
				cpa_stats.large_kept++;
		}
		va = (va | ((1ul << shift) - 1)) + 1;
	}
	return changed;
}

/*
 * Linux's __change_page_attr_set_clr(): apply @cpa to its range, then
 * flush once. All or nothing: on error (-ENOMEM for a split) no attribute
 * has changed.
 */
static int change_page_attr(struct cpa_data *cpa)
{
	int err = cpa_split_as_needed(cpa);

	if (err)
		return err;
	if (cpa_apply_range(cpa)) {
		flush_tlb_kernel_range(cpa->start, cpa->end);
		cpa_stats.flushes++;
		if (cpa->cache)
			cpa_flush_cache(cpa->start, cpa->end);
	}
	return 0;
}

/* Check the range, then change @clr/@set bits in it. */
static int change_page_attr_set_clr(const char *who, unsigned long addr, int numpages, u64 set,
				    u64 clr)
{
	struct cpa_data cpa = { .mask_set = set, .mask_clr = clr };
	int err = cpa_check_range(who, addr, numpages, &cpa);

	if (err || !numpages)
		return err;
	cpa.cache = !!(clr & _PAGE_CACHE_MASK);
	return change_page_attr(&cpa);
}

int _set_memory_cachemode(unsigned long addr, int numpages, enum page_cache_mode pcm)
{
	if ((unsigned int)pcm >= _PAGE_CACHE_MODE_NUM) {
		printk("%s: bad cache mode %d\n", __func__, (int)pcm);
		return -EINVAL;
	}
	return change_page_attr_set_clr(__func__, addr, numpages, cachemode2protval(pcm, false),
					_PAGE_CACHE_MASK);
}

/*
 * The memtype side of a cache-mode call: reserve the physical range of a
 * direct-map range (checked first, so memtype never sees a wild address).
 */
static int cpa_reserve(const char *who, unsigned long addr, int numpages,
		       enum page_cache_mode pcm)
{
	struct cpa_data cpa = { 0 };
	int err = cpa_check_range(who, addr, numpages, &cpa);

	if (err || !numpages)
		return err ? err : 1; /* 1: nothing to do */
	return memtype_reserve(__pa(cpa.start), __pa(cpa.end), pcm, NULL);
}

int set_memory_uc(unsigned long addr, int numpages)
{
	int err = cpa_reserve(__func__, addr, numpages, _PAGE_CACHE_MODE_UC_MINUS);

	if (err)
		return err > 0 ? 0 : err;
	addr &= PAGE_MASK; /* cpa_reserve() said so if it was not */
	err = _set_memory_cachemode(addr, numpages, _PAGE_CACHE_MODE_UC_MINUS);
	if (err)
		memtype_free(__pa(addr), __pa(addr) + ((u64)numpages << PAGE_SHIFT));
	return err;
}

int set_memory_wc(unsigned long addr, int numpages)
{
	int err;

	if (!pat_enabled())
		return set_memory_uc(addr, numpages);
	err = cpa_reserve(__func__, addr, numpages, _PAGE_CACHE_MODE_WC);
	if (err)
		return err > 0 ? 0 : err;
	addr &= PAGE_MASK; /* cpa_reserve() said so if it was not */
	/* Through UC- first, as Linux does, so no WB alias and WC one ever coexist. */
	err = _set_memory_cachemode(addr, numpages, _PAGE_CACHE_MODE_UC_MINUS);
	if (!err)
		err = _set_memory_cachemode(addr, numpages, _PAGE_CACHE_MODE_WC);
	if (err)
		memtype_free(__pa(addr), __pa(addr) + ((u64)numpages << PAGE_SHIFT));
	return err;
}

int set_memory_wb(unsigned long addr, int numpages)
{
	int err = _set_memory_cachemode(addr, numpages, _PAGE_CACHE_MODE_WB);

	if (err || !numpages)
		return err;
	memtype_free(__pa(addr & PAGE_MASK),
		     __pa(addr & PAGE_MASK) + ((u64)numpages << PAGE_SHIFT));
	return 0;
}

int set_memory_ro(unsigned long addr, int numpages)
{
	return change_page_attr_set_clr(__func__, addr, numpages, 0, _PAGE_RW);
}

int set_memory_rw(unsigned long addr, int numpages)
{
	return change_page_attr_set_clr(__func__, addr, numpages, _PAGE_RW, 0);
}

/* Whether EFER.NXE is on (else bit 63 is reserved, and Linux's calls do nothing). */
static bool nx_enabled(void)
{
	return pgtable_prot_kernel_data() & _PAGE_NX;
}

int set_memory_nx(unsigned long addr, int numpages)
{
	if (!nx_enabled())
		return 0;
	return change_page_attr_set_clr(__func__, addr, numpages, _PAGE_NX, 0);
}

int set_memory_x(unsigned long addr, int numpages)
{
	if (!nx_enabled())
		return 0;
	return change_page_attr_set_clr(__func__, addr, numpages, 0, _PAGE_NX);
}
