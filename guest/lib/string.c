// SPDX-License-Identifier: MIT
/*
 * The C string functions the kernel uses. memset, memcpy and memmove are
 * x86 string instructions in arch/x86/lib/memcpy.c.
 */
#include "kernel/string.h"

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

/* The first occurrence of @needle in @hay (an empty @needle is found at once), or NULL. */
char *strstr(const char *hay, const char *needle)
{
	for (;; hay++) {
		size_t i = 0;

		while (needle[i] && hay[i] == needle[i])
			i++;
		if (!needle[i])
			return (char *)hay;
		if (!*hay)
			return NULL;
	}
}
