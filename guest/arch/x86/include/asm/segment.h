/* SPDX-License-Identifier: MIT */
/*
 * GDT layout and selectors (C and assembly). The boot GDT in head.S and the
 * kernel's GDT in gdt.c use the same selectors for code and data, so
 * switching from one to the other needs no segment reload in between.
 */
#ifndef ASM_SEGMENT_H
#define ASM_SEGMENT_H

#include "kernel/const.h"

#define GDT_ENTRY_KERNEL_CS 1
#define GDT_ENTRY_KERNEL_DS 2
#define GDT_ENTRY_TSS 3 /* a 64-bit TSS descriptor takes two entries: 3 and 4 */
#define GDT_ENTRIES 5

#define __KERNEL_CS (GDT_ENTRY_KERNEL_CS * 8)
#define __KERNEL_DS (GDT_ENTRY_KERNEL_DS * 8)
#define __KERNEL_TSS (GDT_ENTRY_TSS * 8)

/*
 * Flat descriptors (base 0, limit 0xfffff, G=1: 4 GiB, ignored in long mode).
 * Bytes 5-6: P=1, DPL=0, S=1 (code/data); code: type 0xa (execute/read),
 * L=1 (64-bit), D=0; data: type 0x2 (read/write), D/B=1.
 */
#define GDT_DESC_KERNEL_CODE64 _AC(0x00af9a000000ffff, ULL)
#define GDT_DESC_KERNEL_DATA _AC(0x00cf92000000ffff, ULL)

#endif /* ASM_SEGMENT_H */
