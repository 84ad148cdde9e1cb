/* SPDX-License-Identifier: MIT */
/*
 * Memory-type (PAT) reservations of physical ranges
 * (guest/arch/x86/mm/memtype.c), after Linux's arch/x86/mm/pat/memtype.c:
 * every mapping that wants a cache mode other than the direct map's WB
 * (ioremap, set_memory_uc/wc) reserves [start, end) with that mode first,
 * so two mappings of one page never disagree on its type.
 *
 * Linux semantics followed:
 *  - A WB request becomes UC- where the MTRRs do not say WB for the whole
 *    range (pat_x_mtrr_type()); other requests are kept.
 *  - RAM (E820 usable) and non-RAM are tracked apart. RAM pages carry one
 *    type each, WB by default: a reservation succeeds only if every page
 *    is still WB (WP is refused, UC is downgraded to UC-), and a free sets
 *    them back to WB. Non-RAM ranges go to a list of reservations that may
 *    overlap when their types agree; a free must name a reserved range
 *    exactly (or its tail, as Linux's mremap case).
 *  - A range that is partly RAM is refused (-EINVAL).
 *  - The legacy ISA hole [0xa0000, 0x100000) is untracked: always WB.
 *  - Without PAT nothing is tracked and every request is granted as asked.
 *
 * Messages are Linux's, with "swapper:0" as the task (comm:pid).
 * One CPU and no preemption here: callers need no lock.
 */
#ifndef ASM_MEMTYPE_H
#define ASM_MEMTYPE_H

#include "asm/pat.h"
#include "kernel/types.h"

/*
 * Reserve [@start, @end) with @req_type. With @new_type NULL the request
 * must match every overlapping reservation exactly, else it is refused:
 *   x86/PAT: swapper:0 conflicting memory types START-END REQ<->EXISTING
 * and -EBUSY. With @new_type non-NULL an overlap whose reservations all
 * agree on one type grants that type instead (the caller, like ioremap,
 * decides with is_new_memtype_allowed() whether it can live with it);
 * *@new_type is always the type actually reserved (or, on failure, the
 * type in the way). Returns 0, -EINVAL (empty or partly-RAM range, WP on
 * RAM), -EBUSY (conflict), -ENOMEM.
 */
int memtype_reserve(u64 start, u64 end, enum page_cache_mode req_type,
		    enum page_cache_mode *new_type);

/*
 * Free a reservation made by memtype_reserve(). A non-RAM range that was
 * never reserved is refused: "x86/PAT: swapper:0 freeing invalid memtype
 * [mem 0x...-0x...]" and -EINVAL. RAM pages just go back to WB.
 */
int memtype_free(u64 start, u64 end);

/*
 * The cache mode the page at @paddr is tracked with (Linux's
 * lookup_memtype()): WB in the ISA hole and for RAM never reserved; the
 * reserved type for reserved pages; UC- for non-RAM nobody reserved.
 */
enum page_cache_mode memtype_lookup(u64 paddr);

/*
 * Print the reservations as Linux's debugfs x86/pat_memtype_list (what
 * `report=memtype` shows):
 *   PAT memtype list:
 *   PAT: [mem 0x%016llx-0x%016llx] write-back
 * with the end exclusive, as Linux prints it. Linux lists the non-RAM
 * tree only; the RAM ranges that are not WB (page flags in Linux) follow
 * under "PAT RAM memtypes:" in the same line format.
 */
void memtype_show(void);

/* Linux's cattr_name(): "write-back", "uncached-minus", ... ("broken" if unknown). */
const char *cattr_name(enum page_cache_mode pcm);

/*
 * Whether a mapping asked as @pcm may use @new_pcm, the type
 * memtype_reserve() granted (Linux's is_new_memtype_allowed()): UC-, WC
 * or WT asked may not become WB, WT asked may not become WC; anything
 * goes in the untracked ISA hole.
 */
bool is_new_memtype_allowed(u64 paddr, unsigned long size, enum page_cache_mode pcm,
			    enum page_cache_mode new_pcm);

/* [@start, @end) all RAM (1), none (0) or a mix (-1): Linux's pat_pagerange_is_ram(). */
int pat_pagerange_is_ram(u64 start, u64 end);

/* Number of reservations currently held (non-RAM entries + RAM ranges), for tests. */
unsigned long memtype_nr_entries(void);

#endif /* ASM_MEMTYPE_H */
