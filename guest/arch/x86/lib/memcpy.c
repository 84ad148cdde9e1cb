// SPDX-License-Identifier: MIT
/*
 * memset, memcpy and memmove as single x86 string instructions. GCC calls
 * them on its own (struct copies, zeroing) even in freestanding code, and
 * printk's formatter copies with them: one "rep movsb" costs far fewer
 * guest instructions than a byte loop, which matters on this project's
 * KVM host (docs/platform-notes.md). Written in assembly also because GCC
 * would compile a C byte loop named memset into a call to memset.
 */
#include "kernel/string.h"

/* Fill @n bytes at @dst with the byte @c. */
void *memset(void *dst, int c, size_t n)
{
	void *d = dst;

	asm volatile("rep stosb" : "+D"(d), "+c"(n) : "a"(c) : "memory");
	return dst;
}

/* Copy @n bytes; the ranges must not overlap. */
void *memcpy(void *dst, const void *src, size_t n)
{
	void *d = dst;

	asm volatile("rep movsb" : "+D"(d), "+S"(src), "+c"(n) : : "memory");
	return dst;
}

/* Copy @n bytes between ranges that may overlap: backwards if @dst is above @src. */
void *memmove(void *dst, const void *src, size_t n)
{
	unsigned long d = (unsigned long)dst, s = (unsigned long)src;

	if (d <= s || d - s >= n)
		return memcpy(dst, src, n);
	/* Copy from the last byte down (DF=1), then restore DF=0 as the ABI wants. */
	d += n - 1;
	s += n - 1;
	asm volatile("std\n\t"
		     "rep movsb\n\t"
		     "cld"
		     : "+D"(d), "+S"(s), "+c"(n)
		     :
		     : "memory");
	return dst;
}
