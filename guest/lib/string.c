// SPDX-License-Identifier: MIT
/*
 * The C string functions the kernel uses, and the memory functions GCC may
 * call on its own even in freestanding code (struct copies, zeroing).
 *
 * The byte loops go through volatile pointers in memset/memcpy/memmove:
 * otherwise GCC recognises the loop as "memset" and compiles memset() into
 * a call to itself. Speed does not matter at this size; the large clears
 * (BSS, page tables) are done with rep stos in the boot code.
 */
#include "kernel/string.h"

/* Fill @n bytes at @dst with the byte @c. */
void *memset(void *dst, int c, size_t n)
{
	volatile unsigned char *d = dst;

	while (n--)
		*d++ = (unsigned char)c;
	return dst;
}

/* Copy @n bytes; the ranges must not overlap. */
void *memcpy(void *dst, const void *src, size_t n)
{
	volatile unsigned char *d = dst;
	const unsigned char *s = src;

	while (n--)
		*d++ = *s++;
	return dst;
}

/* Copy @n bytes between ranges that may overlap. */
void *memmove(void *dst, const void *src, size_t n)
{
	volatile unsigned char *d = dst;
	const unsigned char *s = src;

	if (d <= s || d >= s + n) {
		while (n--)
			*d++ = *s++;
	} else {
		while (n--)
			d[n] = s[n];
	}
	return dst;
}

/* Compare @n bytes as unsigned chars. */
int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;
	size_t i;

	for (i = 0; i < n; i++) {
		if (x[i] != y[i])
			return x[i] < y[i] ? -1 : 1;
	}
	return 0;
}

/* Length of the NUL-terminated @s. */
size_t strlen(const char *s)
{
	return strnlen(s, (size_t)-1);
}

/* Length of @s, reading no more than @max bytes. */
size_t strnlen(const char *s, size_t max)
{
	size_t n;

	for (n = 0; n < max; n++) {
		/* A volatile read keeps GCC from turning this loop into strlen(). */
		if (((const volatile char *)s)[n] == '\0')
			break;
	}
	return n;
}

/* Compare two NUL-terminated strings as unsigned chars. */
int strcmp(const char *a, const char *b)
{
	const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;

	while (*x && *x == *y) {
		x++;
		y++;
	}
	return *x < *y ? -1 : *x > *y;
}
