/* SPDX-License-Identifier: MIT */
/*
 * Change page attributes of the direct map (guest/arch/x86/mm/set_memory.c),
 * after Linux's arch/x86/mm/pat/set_memory.c: @addr is a direct-map
 * address (PAGE_OFFSET + pa), @numpages 4 KiB pages from there.
 *
 * A large leaf (2 MiB, or 1 GiB where the CPU has them) is split only when
 * the change does not cover all of it and changes something in it; a leaf
 * the change covers entirely is rewritten in place. Splits move the PAT bit
 * (bit 12 -> bit 7) and keep DirectMap4k/2M/1G exact. The TLB is flushed
 * once per call (the pages one by one up to 33 of them, everything above,
 * as Linux's cpa_flush()), and cache lines are written back on cache-mode
 * changes.
 *
 * Only the direct map of lowmem is accepted: any other address (vmalloc,
 * the kernel image, a hole never mapped, beyond lowmem) is refused with one
 * line and -EINVAL, and nothing is changed. (Linux also takes vmalloc
 * addresses and changes the direct-map alias with them; see
 * docs/memtype-and-cpa.md.)
 *
 * Returns 0, -EINVAL, -ENOMEM (no page for a split), or, for the
 * cache-mode calls, what memtype_reserve() refused with (-EBUSY for a
 * conflicting type). On error no attribute of the range has changed
 * (large leaves split before the failure stay split) and a cache-mode
 * call's memtype reservation is given back.
 */
#ifndef ASM_SET_MEMORY_H
#define ASM_SET_MEMORY_H

#include "asm/pat.h"
#include "kernel/types.h"

/* Reserve the range UC- (asm/memtype.h), then map it UC- (Linux: "UC MINUS for now"). */
int set_memory_uc(unsigned long addr, int numpages);
/* Reserve the range WC, then map it WC (through UC-, as Linux does). */
int set_memory_wc(unsigned long addr, int numpages);
/* Map the range WB again, then free its memtype reservation. */
int set_memory_wb(unsigned long addr, int numpages);
/* Clear / set _PAGE_RW. */
int set_memory_ro(unsigned long addr, int numpages);
int set_memory_rw(unsigned long addr, int numpages);
/* Set / clear _PAGE_NX (nothing to do, and 0, when EFER.NXE is off: Linux does the same). */
int set_memory_nx(unsigned long addr, int numpages);
int set_memory_x(unsigned long addr, int numpages);

/*
 * Linux's _set_memory_uc/wc/wt/wb: change the cache-mode bits only, no
 * memtype bookkeeping (for callers that reserved already, as
 * ioremap_change_attr()). @pcm may be any mode, UC and WP included.
 */
int _set_memory_cachemode(unsigned long addr, int numpages, enum page_cache_mode pcm);

/*
 * Give the kernel image mapping its final protections (Linux's
 * mark_rodata_ro(), guest/arch/x86/mm/kernel_image.c): text read-only and
 * executable, rodata read-only NX, everything else NX. Once, after the
 * buddy allocator is up.
 */
void mark_rodata_ro(void);

/* What the CPA code did since boot (tests compare before and after). */
struct cpa_stats {
	unsigned long splits_2m; /* 2 MiB leaves split into 4 KiB */
	unsigned long splits_1g; /* 1 GiB leaves split into 2 MiB */
	unsigned long large_kept; /* large leaves rewritten in place */
	unsigned long flushes; /* TLB flushes (one per call that changed something) */
};
extern struct cpa_stats cpa_stats;

#endif /* ASM_SET_MEMORY_H */
