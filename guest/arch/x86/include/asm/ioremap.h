/* SPDX-License-Identifier: MIT */
/*
 * ioremap and memremap (guest/arch/x86/mm/ioremap.c): map device memory
 * into vmalloc space with a cache mode, after Linux's
 * arch/x86/mm/ioremap.c and kernel/iomem.c. Each mapping reserves the
 * memory type of its physical range (asm/memtype.h) and uses the type the
 * reservation grants; iounmap() frees both. RAM is refused: it is mapped
 * already (the direct map) and a second mapping with another cache mode
 * would alias it.
 *
 *   ioremap()        UC-  (uncached, an MTRR may still make it WC)
 *   ioremap_uc()     UC   (strongly uncached)
 *   ioremap_wc()     WC   (write-combining)
 *   ioremap_wt()     WT   (write-through)
 *   ioremap_cache()  WB   (becomes UC- where the MTRRs do not say WB)
 *
 * The returned pointer carries @phys_addr's offset in its page; the
 * mapping covers every page the range touches, plus a guard page.
 */
#ifndef ASM_IOREMAP_H
#define ASM_IOREMAP_H

#include "asm/pat.h"
#include "kernel/types.h"

void *ioremap(phys_addr_t phys_addr, unsigned long size);
void *ioremap_uc(phys_addr_t phys_addr, unsigned long size);
void *ioremap_wc(phys_addr_t phys_addr, unsigned long size);
void *ioremap_wt(phys_addr_t phys_addr, unsigned long size);
void *ioremap_cache(phys_addr_t phys_addr, unsigned long size);

/*
 * Remove a mapping one of the above returned (any address inside it);
 * frees the area and the memtype. Direct-map addresses are ignored, as in
 * Linux; anything else is "iounmap: bad address 0x..." and ignored.
 */
void iounmap(const volatile void *addr);

/* memremap() flags: Linux's values, tried in this order. */
#define MEMREMAP_WB 0x1ul
#define MEMREMAP_WT 0x2ul
#define MEMREMAP_WC 0x4ul

/*
 * Map memory that is not device memory with a cache mode (Linux's
 * memremap()). MEMREMAP_WB of lowmem RAM is its direct-map address; of
 * highmem RAM (no direct map here) a WB mapping in vmalloc space; of
 * anything else ioremap_cache(). WT and WC refuse RAM
 * ("memremap attempted on ram ..."); a range part RAM part not is refused
 * ("memremap attempted on mixed range ..."). NULL on failure.
 */
void *memremap(phys_addr_t offset, size_t size, unsigned long flags);

/* Undo memremap() (a direct-map address is left alone). */
void memunmap(void *addr);

/* MMIO accessors: one access of the given width, never merged or reordered by the compiler. */
static inline u8 readb(const volatile void *addr)
{
	return *(const volatile u8 *)addr;
}

static inline u32 readl(const volatile void *addr)
{
	return *(const volatile u32 *)addr;
}

static inline void writel(u32 v, volatile void *addr)
{
	*(volatile u32 *)addr = v;
}

#endif /* ASM_IOREMAP_H */
