/* SPDX-License-Identifier: MIT */
/*
 * Take every free lowmem page for a while (guest/mm/lowmem_hog.c), so a
 * selftest can make the next GFP_KERNEL allocation fail and check that
 * the code under test fails cleanly (page-table pages for splits and new
 * mappings come from GFP_KERNEL).
 */
#ifndef MM_LOWMEM_HOG_H
#define MM_LOWMEM_HOG_H

#include "kernel/types.h"

/* The blocks taken: a chain through the blocks themselves (lowmem: direct-mapped). */
struct lowmem_hog {
	void *chain;
	unsigned long pages;
};

/* Allocate GFP_KERNEL blocks, largest first, until even one page fails. */
void lowmem_hog_take(struct lowmem_hog *hog);

/* Give every block back. */
void lowmem_hog_release(struct lowmem_hog *hog);

#endif /* MM_LOWMEM_HOG_H */
