/* SPDX-License-Identifier: MIT */
/* Descriptor-table formats: GDTR/IDTR operand, 64-bit TSS, IDT gate. */
#ifndef ASM_DESC_H
#define ASM_DESC_H

#include "kernel/compiler.h"
#include "kernel/types.h"

/* The operand of LGDT/LIDT. */
struct desc_ptr {
	u16 size; /* limit: bytes - 1 */
	u64 address;
} __packed;

/* The 64-bit task-state segment (only the stack pointers matter in long mode). */
struct x86_hw_tss {
	u32 reserved1;
	u64 sp0, sp1, sp2; /* stacks for privilege changes to ring 0..2 */
	u64 reserved2;
	u64 ist[7]; /* interrupt stack table: IST1..IST7 */
	u64 reserved3;
	u16 reserved4;
	u16 io_bitmap_base; /* beyond the limit: no I/O permission bitmap */
} __packed;

_Static_assert(sizeof(struct x86_hw_tss) == 104, "the 64-bit TSS is 104 bytes");

/* A 64-bit IDT gate. */
struct gate_struct {
	u16 offset_low;
	u16 segment;
	u8 ist;  /* bits 0-2: IST slot, 0 = current stack */
	u8 type; /* P, DPL, gate type */
	u16 offset_middle;
	u32 offset_high;
	u32 reserved;
} __packed;

_Static_assert(sizeof(struct gate_struct) == 16, "a 64-bit IDT gate is 16 bytes");

#define GATE_PRESENT 0x80
#define GATE_INTERRUPT 0x0e /* interrupt gate: IF cleared on entry */
#define DESC_TSS_AVAILABLE 0x9 /* 64-bit TSS, not busy */
#define DESC_PRESENT 0x80

#endif /* ASM_DESC_H */
