/* SPDX-License-Identifier: MIT */
/* x86 port I/O. */
#ifndef ASM_IO_H
#define ASM_IO_H

#include "kernel/types.h"

/* Read a byte from I/O port @port. */
static inline u8 inb(u16 port)
{
	u8 v;

	asm volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

/* Write a byte to I/O port @port. */
static inline void outb(u8 v, u16 port)
{
	asm volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

/* Write 32 bits to I/O port @port in one access (the debug-exit port wants that). */
static inline void outl(u32 v, u16 port)
{
	asm volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

/* Write @count bytes from @src to port @port with one string instruction. */
static inline void outsb(u16 port, const void *src, size_t count)
{
	asm volatile("rep outsb" : "+S"(src), "+c"(count) : "d"(port) : "memory");
}

#endif /* ASM_IO_H */
