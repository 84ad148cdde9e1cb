// SPDX-License-Identifier: MIT
/*
 * The fixmap's slots (see asm/fixmap.h): one page table, allocated at boot
 * from the buddy allocator through pgtable_pte_alloc(), whose PTEs are then
 * written directly. A fault in the fixmap is named after its slot.
 */
#include "abi/ptdump_markers.h"
#include "asm/fault.h"
#include "asm/fixmap.h"
#include "asm/pgtable.h"
#include "asm/pgtable_types.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/sprintf.h"

/* All slots in one page table: the pointer to slot NR_FIX_SLOTS - 1 reaches them all. */
_Static_assert((FIXADDR_START & ~(PMD_SIZE - 1)) == ((FIXADDR_END - 1) & ~(PMD_SIZE - 1)),
	       "the fixmap must not cross a 2 MiB boundary");
_Static_assert(FIXADDR_END <= 0xffffffffff600000ul, "the fixmap must stay below the vsyscall page");
/* The page-table dumps' markers name these two regions. */
_Static_assert(FIXADDR_START == PTDUMP_FIXMAP_START, "shared/ptdump_markers.h: Fixmap Area");
_Static_assert(PKMAP_BASE == PTDUMP_PKMAP_START, "shared/ptdump_markers.h: Persistent kmap() Area");

/* PTE of FIXADDR_START (slot NR_FIX_SLOTS - 1); slot i is NR_FIX_SLOTS - 1 - i entries up. */
static u64 *fixmap_ptes;

unsigned long fix_to_virt(unsigned int idx)
{
	if (idx >= NR_FIX_SLOTS)
		panic("fix_to_virt: slot %u is beyond the fixmap (%u slots)", idx, NR_FIX_SLOTS);
	return __fix_to_virt(idx);
}

bool fixmap_ready(void)
{
	return fixmap_ptes != NULL;
}

u64 *fixmap_pte(unsigned int idx)
{
	if (!fixmap_ptes)
		panic("fixmap: slot %u used before fixmap_init()", idx);
	if (idx >= NR_FIX_SLOTS)
		panic("fixmap: slot %u is beyond the fixmap (%u slots)", idx, NR_FIX_SLOTS);
	return &fixmap_ptes[NR_FIX_SLOTS - 1 - idx];
}

void __set_fixmap(unsigned int idx, phys_addr_t pa, u64 prot)
{
	u64 *pte = fixmap_pte(idx);
	bool was_present = *pte & _PAGE_PRESENT;

	if (pa & ~PAGE_MASK || pa > PTE_PFN_MASK)
		panic("__set_fixmap: slot %u: bad physical address 0x%lx", idx, (unsigned long)pa);
	*pte = (pa & PTE_PFN_MASK) | (prot & ~PTE_PFN_MASK) | _PAGE_PRESENT;
	/* A non-present entry is never cached, so only a replaced mapping needs the flush. */
	if (was_present)
		flush_tlb_one_kernel(__fix_to_virt(idx));
}

void clear_fixmap(unsigned int idx)
{
	u64 *pte = fixmap_pte(idx);

	*pte = 0;
	flush_tlb_one_kernel(__fix_to_virt(idx));
}

void fixmap_slot_name(unsigned int idx, char *buf, size_t size)
{
	static const char *const names[FIX_KMAP_BEGIN] = {
		[FIX_HOLE] = "FIX_HOLE",
		[FIX_FAULT_TEST_RO] = "FIX_FAULT_TEST_RO",
		[FIX_FAULT_TEST_NX] = "FIX_FAULT_TEST_NX",
	};

	if (idx < FIX_KMAP_BEGIN)
		snprintf(buf, size, "%s", names[idx]);
	else if (idx <= FIX_KMAP_END)
		snprintf(buf, size, "FIX_KMAP_BEGIN+%u", idx - FIX_KMAP_BEGIN);
	else
		snprintf(buf, size, "beyond the fixmap (%u)", idx);
}

/* Fault describer: the fixmap's own slots; the kmap_local ones are highmem's to name. */
static const char *fixmap_describe(unsigned long addr, char *buf, size_t size)
{
	char name[32];
	unsigned int idx;

	if (!is_fixmap_addr(addr))
		return NULL;
	idx = __virt_to_fix(addr);
	if (idx >= FIX_KMAP_BEGIN)
		return NULL;
	fixmap_slot_name(idx, name, sizeof(name));
	snprintf(buf, size, "fixmap slot %u (%s)", idx, name);
	return buf;
}

void fixmap_init(void)
{
	fixmap_ptes = pgtable_pte_alloc(FIXADDR_START);
	if (!fixmap_ptes)
		panic("fixmap: no page table for 0x%lx", FIXADDR_START);
	fault_register_describer(fixmap_describe);
	printk("fixmap: %u slots at [0x%lx-0x%lx], FIXADDR_TOP 0x%lx\n", NR_FIX_SLOTS,
	       FIXADDR_START, FIXADDR_END - 1, FIXADDR_TOP);
}
