// SPDX-License-Identifier: MIT
/*
 * The x86-64 side of the sparse memory model: back the vmemmap (the
 * struct page array at VMEMMAP_START) with memblock memory, and say how
 * early code reaches memblock memory (sparse_early_va()).
 *
 * The memmap of a run of present sections is one virtual range; its
 * 2 MiB-aligned middle gets 2 MiB pages from as few memblock allocations
 * as memblock can satisfy (the whole middle at once if it can, Linux's
 * sparse_buffer_init() idea), its ragged ends (a lone section's 1 MiB)
 * get 4 KiB pages.
 *
 * Zeroing. The memmap must read as zero before the page allocator looks
 * at it (mm/page.h). Under this project's VMM fresh memblock memory is
 * already zero, provably (vmemmap_ram_is_zero()), and is left alone;
 * anywhere else it is cleared with `rep stosq`, the fastest general-register
 * method measured, which still costs about 0.12 s per MiB of memmap (0.9 s
 * per GiB of RAM) on this project's KVM host: every iteration is emulated
 * (docs/physical-memory.md has the figures).
 */
#include "abi/hypervisor.h"
#include "asm/clear_page.h"
#include "asm/cpuid.h"
#include "asm/page.h"
#include "asm/pgtable.h"
#include "asm/vmemmap.h"
#include "kernel/errno.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "mm/memblock.h"
#include "mm/page.h"
#include "mm/sparse.h"

/* The end of the vmemmap the model can need: one struct page per pfn below 2^46. */
#define VMEMMAP_END (VMEMMAP_START + MAX_PHYS_PFN * sizeof(struct page))

/* CPUID.1:ECX bit 31: running under a hypervisor. */
#define CPUID_LEAF_FEATURES 1

unsigned long vmemmap_nr_2m_pages;
unsigned long vmemmap_nr_4k_pages;
unsigned long vmemmap_cleared_bytes;
unsigned long vmemmap_zero_samples;
unsigned long vmemmap_nonzero_samples;

/*
 * Whether memory memblock hands out at this point of the boot reads as
 * zero without being cleared. True when the hypervisor promises it
 * (MemLabVMM's CPUID leaf 0x40000001, MEMLAB_HV_FEATURE_ZEROED_RAM, see
 * shared/hypervisor.h), because three facts then hold together:
 *  - the VMM backs guest RAM with memory that reads as zero (fresh private
 *    anonymous mappings, vmm/guest_mem.c) and says so;
 *  - it writes nothing into RAM but the ELF segments and the PVH start
 *    info, memory map and command line, all of which the boot reserves in
 *    memblock (setup_memblock.c), so memblock's free ranges were never
 *    written by the loader;
 *  - nothing in the guest writes memory before sparse_init() except the
 *    image itself and memblock allocations (reserved, and zeroed by whoever
 *    allocated them), so free ranges were never written by the guest either.
 * QEMU (and any other loader) promises nothing of the sort: there the
 * memmap is cleared.
 */
static bool vmemmap_ram_is_zero(void)
{
	static const char sig[] = VMM_CPUID_SIGNATURE;
	struct cpuid_regs r;

	if (!(cpuid(CPUID_LEAF_FEATURES).ecx & CPUID_1_ECX_HYPERVISOR))
		return false;
	r = cpuid(CPUID_HV_VENDOR_LEAF);
	/* Only our own VMM's leaf 0x40000001 has this meaning (KVM's differs). */
	if (memcmp(&r.ebx, sig, sizeof(u32)) || memcmp(&r.ecx, sig + 4, sizeof(u32)) ||
	    memcmp(&r.edx, sig + 8, sizeof(u32)) || r.eax < CPUID_HV_FEATURES_LEAF)
		return false;
	return cpuid(CPUID_HV_FEATURES_LEAF).eax & MEMLAB_HV_FEATURE_ZEROED_RAM;
}

/* vmemmap_ram_is_zero(), asked once (CPUID is a VM exit). */
static bool vmemmap_needs_clear(void)
{
	static bool known, needs_clear;

	if (!known) {
		needs_clear = !vmemmap_ram_is_zero();
		known = true;
	}
	return needs_clear;
}

/* Early memblock memory is reached through the boot identity map: va == pa. */
void *sparse_early_va(phys_addr_t pa)
{
	if (pa >= EARLY_IDENT_MAP_SIZE)
		panic("sparse: early memory at 0x%lx is outside the identity map", (unsigned long)pa);
	return (void *)pa;
}

/*
 * Trust, but verify: memory taken as already zero is sampled (first and
 * last word of every 2 MiB, a few instructions per 2 MiB) and, should a
 * sample be non-zero, reported and cleared after all. The selftests check
 * the counters.
 */
static bool vmemmap_samples_zero(unsigned long va, unsigned long size)
{
	unsigned long off;

	for (off = 0; off < size; off += PMD_SIZE) {
		unsigned long len = size - off < PMD_SIZE ? size - off : PMD_SIZE;
		const volatile u64 *first = (const volatile u64 *)(va + off);
		const volatile u64 *last = (const volatile u64 *)(va + off + len) - 1;

		vmemmap_zero_samples += 2;
		if (*first || *last) {
			vmemmap_nonzero_samples++;
			printk("vmemmap: memory at 0x%lx should be zero but is not: clearing\n",
			       va + off);
			return false;
		}
	}
	return true;
}

/*
 * Map [@va, @va + @size) with fresh memory aligned to @align, which also
 * picks the page size (PMD_SIZE: 2 MiB pages), and zero it. Tries the
 * whole size first, then halves (in @align units) while memblock cannot
 * find that much in one piece. Returns 0 or a negative errno.
 */
static int vmemmap_map_fresh(unsigned long va, unsigned long size, unsigned long align)
{
	unsigned int flags = align == PMD_SIZE ? PGTABLE_MAP_LARGE : 0;

	while (size) {
		unsigned long chunk = size;
		phys_addr_t pa = 0;
		int ret;

		for (;;) {
			pa = memblock_phys_alloc(chunk, align);
			if (pa || chunk == align)
				break;
			chunk = (chunk / 2 + align - 1) & ~(align - 1);
		}
		if (!pa)
			return -ENOMEM;
		ret = kernel_map_range(va, pa, chunk, pgtable_prot_kernel_data(), flags);
		if (ret)
			return ret;
		if (vmemmap_needs_clear() || !vmemmap_samples_zero(va, chunk)) {
			clear_qwords((void *)va, chunk);
			vmemmap_cleared_bytes += chunk;
		}
		if (flags)
			vmemmap_nr_2m_pages += chunk / PMD_SIZE;
		else
			vmemmap_nr_4k_pages += chunk / PAGE_SIZE;
		va += chunk;
		size -= chunk;
	}
	return 0;
}

/* Back a run of sections' struct pages: 2 MiB pages in the middle, 4 KiB at the ends. */
int vmemmap_populate(unsigned long start_va, unsigned long end_va)
{
	unsigned long mid_start = (start_va + PMD_SIZE - 1) & ~(PMD_SIZE - 1);
	unsigned long mid_end = end_va & ~(PMD_SIZE - 1);
	int ret;

	if (start_va >= end_va || start_va < VMEMMAP_START || end_va > VMEMMAP_END ||
	    (start_va | end_va) & ~PAGE_MASK) {
		printk("vmemmap: bad range [0x%lx-0x%lx)\n", start_va, end_va);
		return -EINVAL;
	}
	/* No whole 2 MiB chunk inside: all of it in 4 KiB pages. */
	if (mid_start >= mid_end)
		return vmemmap_map_fresh(start_va, end_va - start_va, PAGE_SIZE);
	if (start_va < mid_start) {
		ret = vmemmap_map_fresh(start_va, mid_start - start_va, PAGE_SIZE);
		if (ret)
			return ret;
	}
	ret = vmemmap_map_fresh(mid_start, mid_end - mid_start, PMD_SIZE);
	if (ret)
		return ret;
	if (mid_end < end_va)
		return vmemmap_map_fresh(mid_end, end_va - mid_end, PAGE_SIZE);
	return 0;
}

/* The second boot line of sparse_init(): how the memmap was mapped and zeroed. */
void vmemmap_print_summary(void)
{
	printk("vmemmap: %lu x 2 MiB + %lu x 4 KiB pages, %lu page-table pages, %s\n",
	       vmemmap_nr_2m_pages, vmemmap_nr_4k_pages, pgtable_nr_tables,
	       vmemmap_cleared_bytes ? "cleared with rep stosq" :
				       "fresh RAM from MemLabVMM, already zero");
}
