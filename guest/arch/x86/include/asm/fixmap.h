/* SPDX-License-Identifier: MIT */
/*
 * Fixmap: compile-time virtual addresses whose 4 KiB mapping the kernel
 * changes at run time (arch/x86/mm/fixmap.c), after Linux's
 * arch/x86/include/asm/fixmap.h. Slot @idx is at FIXADDR_TOP - idx pages:
 * indices grow downwards from FIXADDR_TOP, Linux's x86-64 value (the page
 * below the 2 MiB-aligned vsyscall area at 0xffffffffff600000).
 *
 *   0xffffffffff5ff000  FIX_HOLE           never mapped (catches fix_to_virt(0) misuse)
 *   0xffffffffff5fe000  FIX_FAULT_TEST_RO  fault selftest: a read-only page
 *   0xffffffffff5fd000  FIX_FAULT_TEST_NX  fault selftest: a no-execute page
 *   0xffffffffff5fc000  FIX_KMAP_BEGIN     kmap_local slot 0 (per CPU: KM_SLOTS_PER_CPU)
 *   ...
 *   0xffffffffff5dc000  FIX_KMAP_END       kmap_local slot 32 = FIXADDR_START
 *
 * The slots all lie in one 2 MiB page table, allocated once at boot. The
 * pkmap window of kmap() is defined here too, as its place follows from
 * the fixmap's.
 */
#ifndef ASM_FIXMAP_H
#define ASM_FIXMAP_H

#include "asm/page.h"
#include "kernel/const.h"
#include "kernel/types.h"

#define FIXADDR_TOP _AC(0xffffffffff5ff000, UL)

/* One CPU: this kernel brings up the boot CPU only. */
#define NR_CPUS 1

/* kmap_local_page() nesting depth per CPU (Linux's KM_MAX_IDX). */
#define KM_MAX_IDX 16
/*
 * Slots per CPU: room for the debug mode's layout, a guard slot before,
 * between and after the KM_MAX_IDX entries (Linux's CONFIG_DEBUG_KMAP_LOCAL
 * doubles its index step the same way). Without debug only the first
 * KM_MAX_IDX slots are used.
 */
#define KM_SLOTS_PER_CPU (2 * KM_MAX_IDX + 1)

#define FIX_HOLE 0
#define FIX_FAULT_TEST_RO 1
#define FIX_FAULT_TEST_NX 2
#define FIX_KMAP_BEGIN 3
#define FIX_KMAP_END (FIX_KMAP_BEGIN + KM_SLOTS_PER_CPU * NR_CPUS - 1)
#define NR_FIX_SLOTS (FIX_KMAP_END + 1) /* Linux's __end_of_fixed_addresses */

/* The fixmap covers [FIXADDR_START, FIXADDR_END): the lowest slot to the top of slot 0. */
#define FIXADDR_SIZE ((unsigned long)NR_FIX_SLOTS << PAGE_SHIFT)
#define FIXADDR_END (FIXADDR_TOP + PAGE_SIZE)
#define FIXADDR_START (FIXADDR_END - FIXADDR_SIZE)

/*
 * The pkmap window of kmap() (mm/highmem.h): LAST_PKMAP pages in one 2 MiB
 * page table. x86-64 Linux has none (it maps all RAM); 32-bit Linux puts
 * it just below the fixmap, at (FIXADDR_START - (LAST_PKMAP + 1) pages)
 * rounded down to 2 MiB, and so does this kernel:
 * [0xffffffffff200000, 0xffffffffff400000), inside the unused hole
 * between the end of the module space (MODULES_END, 0xffffffffff000000)
 * and the fixmap.
 */
#define LAST_PKMAP 512
#define LAST_PKMAP_MASK (LAST_PKMAP - 1)
#define PKMAP_BASE ((FIXADDR_START - PAGE_SIZE * (LAST_PKMAP + 1)) & ~(PMD_SIZE - 1))
#define PKMAP_END (PKMAP_BASE + ((unsigned long)LAST_PKMAP << PAGE_SHIFT))
#define PKMAP_NR(virt) ((unsigned int)(((virt) - PKMAP_BASE) >> PAGE_SHIFT))
#define PKMAP_ADDR(nr) (PKMAP_BASE + ((unsigned long)(nr) << PAGE_SHIFT))

#define __fix_to_virt(idx) (FIXADDR_TOP - ((unsigned long)(idx) << PAGE_SHIFT))
#define __virt_to_fix(va) ((unsigned int)((FIXADDR_TOP - ((va) & PAGE_MASK)) >> PAGE_SHIFT))

/* The fixed address of slot @idx (a bad index is a build-time constant bug: panic). */
unsigned long fix_to_virt(unsigned int idx);

/* Whether @va lies in the fixmap. */
static inline bool is_fixmap_addr(unsigned long va)
{
	return va >= FIXADDR_START && va < FIXADDR_END;
}

/* Allocate the fixmap's page table and register its fault describer (once, at boot). */
void fixmap_init(void);

/* Whether fixmap_init() ran (selftests skip before it). */
bool fixmap_ready(void);

/*
 * Map slot @idx to physical @pa with leaf bits @prot (present implied) and
 * flush the slot's old TLB entry if it had one. Panics on a bad index.
 */
void __set_fixmap(unsigned int idx, phys_addr_t pa, u64 prot);

/* Unmap slot @idx and flush its TLB entry. */
void clear_fixmap(unsigned int idx);

/* The PTE of slot @idx, for callers that write it on a fast path (kmap_local). */
u64 *fixmap_pte(unsigned int idx);

/* Linux-style name of slot @idx ("FIX_KMAP_BEGIN+5"), for fault reports. */
void fixmap_slot_name(unsigned int idx, char *buf, size_t size);

#endif /* ASM_FIXMAP_H */
