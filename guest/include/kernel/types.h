/* SPDX-License-Identifier: MIT */
/*
 * Basic types of the guest kernel. Only the compiler's freestanding headers
 * (stdint, stddef, stdbool, stdarg) are used, so the same code also builds
 * for the host in unit tests.
 */
#ifndef KERNEL_TYPES_H
#define KERNEL_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;

/* A physical address (Linux's phys_addr_t, 64-bit on x86-64 and PAE). */
typedef u64 phys_addr_t;
#define PHYS_ADDR_MAX (~(phys_addr_t)0)

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif /* KERNEL_TYPES_H */
