// SPDX-License-Identifier: MIT
/*
 * Hand the firmware's memory map to memblock and reserve what the boot
 * already uses, as Linux's e820__memblock_setup() and early_reserve_memory()
 * do: after this, memblock's free ranges are exactly the RAM nobody owns.
 */
#include "abi/pvh.h"
#include "asm/page.h"
#include "asm/pvh.h"
#include "asm/setup.h"
#include "asm/vmemmap.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "mm/e820_setup.h"
#include "mm/memblock.h"

#define SZ_1M 0x100000ul
#define MAX_PHYSMEM_ADDR (1ull << MAX_PHYSMEM_BITS)

/* Linker-script symbols: the image's first and last byte (+1), virtual. */
extern char _text[], _end[];

/* memblock_reserve() that may not fail: an early reservation lost is a corrupt boot. */
static void reserve_or_panic(phys_addr_t base, phys_addr_t size, const char *what)
{
	if (memblock_reserve(base, size))
		panic("memblock: cannot reserve %s [0x%lx-0x%lx]", what, (unsigned long)base,
		      (unsigned long)(base + size - 1));
}

void x86_memblock_setup(u32 start_info_pa, const struct hvm_start_info *si)
{
	for (u32 i = 0; i < e820_table.nr_entries; i++) {
		const struct e820_entry *e = &e820_table.entries[i];
		phys_addr_t base = e->addr, size = e->size;

		/*
		 * Page 0 belongs to the BIOS, never to the kernel (Linux's
		 * trim_bios_range()), so it is not even memory for memblock.
		 */
		if (e->type == E820_TYPE_RAM && base < PAGE_SIZE) {
			printk("e820: update [mem 0x%08lx-0x%08lx] usable ==> reserved\n",
			       (unsigned long)base, PAGE_SIZE - 1);
			size = base + size > PAGE_SIZE ? base + size - PAGE_SIZE : 0;
			base = PAGE_SIZE;
		}
		if (e->type == E820_TYPE_RAM && size && memblock_add(base, size))
			panic("memblock: cannot add RAM [0x%lx-0x%lx]", (unsigned long)base,
			      (unsigned long)(base + size - 1));
		/* Soft-reserved RAM is RAM the kernel must not allocate from. */
		if (e->type == E820_TYPE_SOFT_RESERVED)
			reserve_or_panic(e->addr, e->size, "soft-reserved memory");
	}
	/* Partial pages at the edges of RAM ranges cannot be allocated. */
	memblock_trim_memory(PAGE_SIZE);
	/*
	 * The memory model (sections, vmemmap) reaches 2^MAX_PHYSMEM_BITS:
	 * RAM above it cannot have struct pages, so the kernel ignores it, as
	 * Linux does beyond MAX_ARCH_PFN.
	 */
	if (memblock_end_of_DRAM() > MAX_PHYSMEM_ADDR) {
		printk("e820: ignoring RAM above 0x%lx (the %d-bit physical memory model's limit)\n",
		       (unsigned long)MAX_PHYSMEM_ADDR - 1, MAX_PHYSMEM_BITS);
		memblock_remove(MAX_PHYSMEM_ADDR, PHYS_ADDR_MAX - MAX_PHYSMEM_ADDR);
	}

	/* Page 0 and the whole low megabyte (BIOS, EBDA, the PVH boot data here). */
	reserve_or_panic(0, SZ_1M, "the low megabyte");
	reserve_or_panic(KERNEL_PHYS_START, __pa_symbol(_end) - KERNEL_PHYS_START,
			 "the kernel image");
	/* Wherever the loader put them (QEMU: in its own area), keep the boot data. */
	reserve_or_panic(start_info_pa, sizeof(*si), "the PVH start info");
	reserve_or_panic(si->memmap_paddr,
			 (phys_addr_t)si->memmap_entries * sizeof(struct hvm_memmap_table_entry),
			 "the PVH memory map");
	if (si->cmdline_paddr)
		reserve_or_panic(si->cmdline_paddr, strlen(pvh_cmdline()) + 1,
				 "the PVH command line");

	/* Early allocations must stay inside the boot identity map. */
	memblock_set_current_limit(EARLY_IDENT_MAP_SIZE);
	memblock_dump_all();
}
