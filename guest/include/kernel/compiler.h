/* SPDX-License-Identifier: MIT */
/* Attribute shorthands, with Linux's names. */
#ifndef KERNEL_COMPILER_H
#define KERNEL_COMPILER_H

#define __noreturn __attribute__((__noreturn__))
#define __packed __attribute__((__packed__))
#define __aligned(x) __attribute__((__aligned__(x)))
#define __printf(fmt, args) __attribute__((__format__(printf, fmt, args)))
#define __section(s) __attribute__((__section__(s)))
#define __used __attribute__((__used__))
#define unreachable() __builtin_unreachable()

/*
 * Data that is always written before it is read (stacks, scratch buffers):
 * kept out of .bss, so the boot code's BSS clear stays short. GCC makes a
 * ".noinit" section NOBITS, like .bss.
 */
#define __noinit __section(".noinit")

/* Keep the compiler from moving memory accesses across this point. */
#define barrier() asm volatile("" : : : "memory")

/* Keep the compiler from caching or merging a memory access (READ_ONCE). */
#define READ_ONCE(x) (*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, val) (*(volatile __typeof__(x) *)&(x) = (val))

#endif /* KERNEL_COMPILER_H */
