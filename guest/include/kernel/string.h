/* SPDX-License-Identifier: MIT */
/*
 * The string and memory functions of guest/lib/string.c. GCC may emit calls
 * to memcpy, memset, memmove and memcmp even in freestanding code, so they
 * must exist. On the host (unit tests) the C library provides them.
 */
#ifndef KERNEL_STRING_H
#define KERNEL_STRING_H

#ifdef HOST_UNIT_TEST
#include <string.h>
#else
#include "kernel/types.h"

void *memset(void *dst, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
char *strstr(const char *hay, const char *needle);
#endif

#endif /* KERNEL_STRING_H */
