/* SPDX-License-Identifier: MIT */
/*
 * Highmem: RAM above the lowmem limit (`lowmem=`, default 896M) has struct
 * pages but no permanent kernel mapping; page_address() is NULL for it
 * unless kmap() mapped it. Two ways in, with Linux's semantics
 * (mm/highmem.c, Documentation/mm/highmem.rst), guest/mm/highmem.c:
 *
 * kmap()/kunmap(): the persistent pool, LAST_PKMAP (512) entries of the
 * pkmap window (asm/fixmap.h). pkmap_count[nr] says:
 *	0	free, and no TLB entry can exist for it (flushed)
 *	1	no user, but still mapped: it needs a TLB flush before reuse
 *	n > 1	mapped, with n - 1 users
 * Unmapping only drops the count; entries at 1 are torn down all together,
 * with one TLB flush, when the allocation cursor wraps to entry 0 (or
 * kmap_flush_unused() asks). A kmapped page's address is found again by
 * page_address() through a hash of the mapped pages (Linux's
 * page_address_htable). When all 512 entries have users, Linux sleeps
 * until one is freed; this kernel has one CPU and no scheduler, so kmap()
 * prints one warning line and returns NULL.
 *
 * kmap_local_page()/kunmap_local(): a per-CPU stack of KM_MAX_IDX (16)
 * fixmap slots, strictly LIFO: kunmap_local() of anything but the top is a
 * BUG naming both addresses. A lowmem page takes no slot (its direct-map
 * address is returned, and kunmap_local() of it does nothing), as in Linux
 * without CONFIG_DEBUG_KMAP_LOCAL_FORCE_MAP. `kmap_local_debug` on the
 * command line (Linux's CONFIG_DEBUG_KMAP_LOCAL) leaves an unmapped guard
 * slot before, between and after the entries, so an overrun faults.
 *
 * Misuse (unbalanced kunmap, LIFO violation, stack overflow) prints
 * "BUG: ..." and panics, unless a selftest armed kmap_expect_bug(): then
 * the message is kept, the faulty call changes nothing and returns (NULL
 * where it returns a pointer), and the test checks the message.
 */
#ifndef MM_HIGHMEM_H
#define MM_HIGHMEM_H

#include "asm/fixmap.h"
#include "kernel/types.h"
#include "mm/page.h"

/*
 * Whether @page is highmem: above the lowmem limit, with no direct-map
 * address (ZONE_HIGHMEM, and the part of ZONE_MOVABLE above the limit).
 */
bool PageHighMem(const struct page *page);

/* Map the pkmap window's page table (from the buddy allocator) and the fixmap. Boot, once. */
void kmap_init(void);

/* Read `kmap_local_debug` with the other parameters. */
void highmem_parse_cmdline(void);

/*
 * A kernel address for @page until kunmap(): the direct map for lowmem,
 * a pkmap entry for highmem (the same one while it is mapped). NULL, with
 * a warning, if all LAST_PKMAP entries have users.
 */
void *kmap(struct page *page);

/* Drop one user of @page's pkmap entry (nothing for lowmem). */
void kunmap(struct page *page);

/* Tear down every unused pkmap entry now (count 1 -> 0), with one TLB flush if any. */
void kmap_flush_unused(void);

/* page_address() for a highmem page: its pkmap address while kmapped, else NULL. */
void *kmap_high_page_address(const struct page *page);

/*
 * A short-lived mapping of @page on this CPU's kmap_local stack (the
 * direct-map address for lowmem). Unmap in reverse order.
 */
void *kmap_local_page(struct page *page);

/* Unmap the kmap_local mapping @vaddr points into: it must be the top of the stack. */
void kunmap_local(const void *vaddr);

/* Entries on this CPU's kmap_local stack. */
unsigned int kmap_local_depth(void);

/* Whether the guard slots of kmap_local_debug are in use. */
bool kmap_local_debug_enabled(void);

/* Switch guard slots on or off; only with an empty stack (-EBUSY otherwise). */
int kmap_local_set_debug(bool on);

/* The pkmap_count of entry @nr (0..LAST_PKMAP-1), or -1 for a bad @nr. */
int pkmap_count_of(unsigned int nr);

/* Times the pool's unused entries were torn down with a TLB flush (wraps included). */
extern unsigned long pkmap_nr_flushes;
/* kmap() calls that found all entries busy. */
extern unsigned long pkmap_nr_exhausted;

/*
 * Expected-BUG trap for selftests: while armed, a misuse is recorded
 * instead of panicking. kmap_expect_bug() arms it and clears the record;
 * kmap_bug_caught() disarms it and returns the message of the first BUG
 * caught since (and forgets it: a second call returns NULL), or NULL if
 * there was none.
 */
void kmap_expect_bug(void);
const char *kmap_bug_caught(void);

#endif /* MM_HIGHMEM_H */
