// SPDX-License-Identifier: MIT
/*
 * The PVH start info, read as hostile input: whatever the loader wrote is
 * checked before it is used, and a bad field stops the boot with one line
 * naming it and its value (exit GUEST_EXIT_BAD_BOOT).
 *
 * Every structure must lie inside the identity map the boot page tables
 * built ([0, 4 GiB)), without wrapping, and outside the kernel image: the
 * image's page tables and BSS were zeroed on entry, so anything the loader
 * put there is already gone. The start info and the command line are copied
 * into the kernel, so later code does not depend on the loader's pages.
 */
#include "abi/pvh.h"
#include "asm/page.h"
#include "asm/pvh.h"
#include "kernel/compiler.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "mm/e820.h"

/* The end of the image (linker script). */
extern char _end[];

static struct hvm_start_info pvh_start_info;
static u32 pvh_start_info_pa;
static char pvh_cmdline_copy[PVH_CMDLINE_MAX + 1] __noinit;

/* Physical end (exclusive) of the loaded image: .bss and page tables included. */
static u64 kernel_phys_end(void)
{
	return __pa_symbol(_end);
}

/* Whether [@addr, @addr + @size) lies inside the identity map, without wrapping. */
static bool pvh_range_mapped(u64 addr, u64 size)
{
	return addr < EARLY_IDENT_MAP_SIZE && size <= EARLY_IDENT_MAP_SIZE - addr;
}

/* Whether [@addr, @addr + @size) (already known to be mapped) meets the image. */
static bool pvh_range_hits_kernel(u64 addr, u64 size)
{
	return addr < kernel_phys_end() && addr + size > KERNEL_PHYS_START;
}

#define BAD "PVH: bad start_info: "

/* Refuse a range that is not mapped or that the kernel image has overwritten. */
static void pvh_check_range(const char *field, u64 addr, u64 size)
{
	if (addr == 0)
		bad_boot(BAD "%s 0x0", field);
	if (!pvh_range_mapped(addr, size))
		bad_boot(BAD "%s 0x%lx (%lu bytes) is not inside the identity-mapped [0, 4 GiB)",
			 field, addr, size);
	if (pvh_range_hits_kernel(addr, size))
		bad_boot(BAD "%s 0x%lx (%lu bytes) overlaps the kernel image [0x%lx-0x%lx)", field,
			 addr, size, KERNEL_PHYS_START, kernel_phys_end());
}

/* Copy the command line at @pa, which must end within PVH_CMDLINE_MAX + 1 bytes. */
static void pvh_copy_cmdline(u64 pa)
{
	u64 room = PVH_CMDLINE_MAX + 1;
	const char *s;
	size_t len;

	if (pa == 0) {
		pvh_cmdline_copy[0] = '\0';
		return;
	}
	if (pa >= EARLY_IDENT_MAP_SIZE)
		bad_boot(BAD "cmdline_paddr 0x%lx is not inside the identity-mapped [0, 4 GiB)",
			 pa);
	/* Look for the NUL only as far as the identity map goes. */
	if (room > EARLY_IDENT_MAP_SIZE - pa)
		room = EARLY_IDENT_MAP_SIZE - pa;
	s = (const char *)pa;
	len = strnlen(s, room);
	if (len == room)
		bad_boot(BAD "cmdline_paddr 0x%lx: no NUL within %lu bytes", pa, room);
	pvh_check_range("cmdline_paddr", pa, len + 1);
	memcpy(pvh_cmdline_copy, s, len + 1);
}

/* Check the start info at @pa and what it points to; see asm/pvh.h. */
const struct hvm_start_info *pvh_start_info_check(u32 pa)
{
	const struct hvm_start_info *si = &pvh_start_info;

	pvh_check_range("start_info address", pa, sizeof(*si));
	/* Byte copy: the loader need not have aligned it. */
	memcpy(&pvh_start_info, (const void *)(u64)pa, sizeof(pvh_start_info));
	pvh_start_info_pa = pa;

	if (si->magic != HVM_START_MAGIC_VALUE)
		bad_boot(BAD "magic 0x%08x, expected 0x%08x", si->magic,
			 HVM_START_MAGIC_VALUE);
	if (si->version < HVM_START_INFO_VERSION)
		bad_boot(BAD "version %u, expected >= %u (no memory map before)",
			 si->version, HVM_START_INFO_VERSION);
	if (si->memmap_entries == 0 || si->memmap_entries > E820_MAX_ENTRIES)
		bad_boot(BAD "memmap_entries %u, expected 1..%u",
			 si->memmap_entries, E820_MAX_ENTRIES);
	pvh_check_range("memmap_paddr", si->memmap_paddr,
			(u64)si->memmap_entries * sizeof(struct hvm_memmap_table_entry));
	pvh_copy_cmdline(si->cmdline_paddr);
	return si;
}

/* The copied command line. */
const char *pvh_cmdline(void)
{
	return pvh_cmdline_copy;
}

/* The memory map in the loader's memory (checked to be mapped and intact). */
const struct hvm_memmap_table_entry *pvh_memmap(void)
{
	return (const struct hvm_memmap_table_entry *)pvh_start_info.memmap_paddr;
}

/* One line saying where the loader put what. */
void pvh_print_start_info(void)
{
	const struct hvm_start_info *si = &pvh_start_info;

	printk("PVH: start_info at 0x%x, version %u, %u memmap entries at 0x%lx, "
	       "cmdline at 0x%lx\n", pvh_start_info_pa, si->version, si->memmap_entries,
	       si->memmap_paddr, si->cmdline_paddr);
}
