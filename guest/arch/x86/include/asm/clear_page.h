/* SPDX-License-Identifier: MIT */
/*
 * Zeroing whole pages with `rep stosq`: 8 bytes per iteration. On this
 * project's KVM host every iteration of a string instruction is emulated
 * (about 0.9 us), so this is 8 times cheaper than memset()'s `rep stosb`
 * and 3 times cheaper than a loop of 8-byte stores (measured; see
 * docs/physical-memory.md). Plain x86-64: the host unit tests use it too.
 */
#ifndef ASM_CLEAR_PAGE_H
#define ASM_CLEAR_PAGE_H

#include "asm/page.h"

/* Zero @bytes (a multiple of 8) at @dst. */
static inline void clear_qwords(void *dst, unsigned long bytes)
{
	unsigned long n = bytes / 8;

	asm volatile("rep stosq" : "+D"(dst), "+c"(n) : "a"(0ul) : "memory");
}

/* Zero one 4 KiB page. */
static inline void clear_page(void *page)
{
	clear_qwords(page, PAGE_SIZE);
}

#endif /* ASM_CLEAR_PAGE_H */
