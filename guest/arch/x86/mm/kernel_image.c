// SPDX-License-Identifier: MIT
/*
 * The kernel image mapping's final protections (Linux's mark_rodata_ro()
 * and cleanup of the high mapping, arch/x86/mm/init_64.c): head.S maps
 * physical [0, 1 GiB) at __START_KERNEL_map with 2 MiB pages, writable and
 * executable, through the identity map's first page directory. Once the
 * buddy allocator is up, the image gets a page directory of its own and:
 *
 *   [__START_KERNEL_map, _text)     RW  NX   (low memory, 32-bit boot code)
 *   [_text, _etext)                 ro  x    text
 *   [rodata, .data)                 ro  NX   .rodata, selftests, ex_table
 *   [.data, _end)                   RW  NX   data, boot page tables, bss, noinit
 *   [_end, +1 GiB)                  RW  NX   (RAM beyond the image, 2 MiB pages)
 *
 * global where CR4.PGE is on. The 2 MiB pages the image lies in become
 * 4 KiB ones; the rest stay 2 MiB. Linux unmaps the part beyond _end;
 * here it stays mapped (NX), since nothing guarantees no code reads through
 * it, and an unmapped page would end the boot.
 */
#include "asm/page.h"
#include "asm/pgtable.h"
#include "asm/pgtable_types.h"
#include "asm/processor.h"
#include "asm/processor-flags.h"
#include "asm/set_memory.h"
#include "kernel/printk.h"
#include "mm/page.h"

/* head.S's tables and the linker's section bounds (kernel.lds). */
extern u64 early_pdpt_kernel[PTRS_PER_TABLE];
extern u64 early_pd_ident[PTRS_PER_TABLE];
extern u64 early_pml4[PTRS_PER_TABLE];
extern char _text[], _etext[], _end[];

/* .data starts with head.S's early_pml4 (.data..pgtables comes first in kernel.lds). */
#define DATA_START ((unsigned long)early_pml4)
#define RODATA_START (((unsigned long)_etext + PAGE_SIZE - 1) & PAGE_MASK)

/* The leaf bits for the kernel-map page at @va (4 KiB encoding), per the table above. */
static u64 image_prot(unsigned long va, u64 nx, u64 global)
{
	u64 base = _PAGE_PRESENT | _PAGE_ACCESSED | _PAGE_DIRTY | global;

	if (va >= (unsigned long)_text && va < (unsigned long)_etext)
		return base;
	if (va >= RODATA_START && va < DATA_START)
		return base | nx;
	return base | _PAGE_RW | nx;
}

/* Give back the new directory and the page tables already below it: nothing was linked. */
static void free_new_tables(u64 *pd, phys_addr_t pd_pa, unsigned long img_start,
			    unsigned long end)
{
	for (unsigned long va = img_start; va < end; va += PMD_SIZE)
		pgtable_free_table(pd[pmd_index(va)] & PTE_PFN_MASK);
	pgtable_free_table(pd_pa);
}

/*
 * Give the image its own page directory with the protections above. The
 * whole new tree is built first and linked last, with one store: under
 * shadow paging (this project's KVM host) a page-table write takes effect
 * at once, and a half-built directory would make the running code NX.
 */
void mark_rodata_ro(void)
{
	unsigned long img_start = (unsigned long)_text & ~(PMD_SIZE - 1);
	unsigned long img_end = ((unsigned long)_end + PMD_SIZE - 1) & ~(PMD_SIZE - 1);
	u64 nx = pgtable_prot_kernel_data() & _PAGE_NX;
	u64 global = (read_cr4() & X86_CR4_PGE) ? _PAGE_GLOBAL : 0;
	unsigned long text = 0, ro = 0, rw = 0;
	phys_addr_t pd_pa;
	u64 *pd;

	pd = pgtable_alloc_table(&pd_pa);
	if (!pd) {
		printk("Write protecting the kernel: no page for its page directory, left RWX\n");
		return;
	}
	/* Outside the image: the same 2 MiB leaves as the shared directory, now NX and global. */
	for (unsigned int i = 0; i < PTRS_PER_TABLE; i++)
		pd[i] = early_pd_ident[i] ? early_pd_ident[i] | nx | global : 0;
	for (unsigned long va = img_start; va < img_end; va += PMD_SIZE) {
		u64 base = early_pd_ident[pmd_index(va)] & PTE_PFN_MASK;
		phys_addr_t pt_pa;
		u64 *pt = pgtable_alloc_table(&pt_pa);

		if (!pt) {
			printk("Write protecting the kernel: no page table left, left RWX\n");
			free_new_tables(pd, pd_pa, img_start, va);
			return;
		}
		for (unsigned int j = 0; j < PTRS_PER_TABLE; j++) {
			unsigned long p = va + j * PAGE_SIZE;
			u64 prot = image_prot(p, nx, global);

			pt[j] = (base + j * PAGE_SIZE) | prot;
			if (p < (unsigned long)_text || p >= (unsigned long)_end)
				continue;
			if (prot & _PAGE_RW)
				rw++;
			else if (p < (unsigned long)_etext)
				text++;
			else
				ro++;
		}
		pd[pmd_index(va)] = pt_pa | _PAGE_TABLE | _PAGE_ACCESSED;
	}
	early_pdpt_kernel[pud_index(__START_KERNEL_map)] = pd_pa | _PAGE_TABLE;
	flush_tlb_all();
	printk("Write protecting the kernel: text %lu KiB (ro, x), rodata %lu KiB (ro, NX), "
	       "data %lu KiB (NX)\n", text * 4, ro * 4, rw * 4);
}
