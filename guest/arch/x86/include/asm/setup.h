/* SPDX-License-Identifier: MIT */
/* Boot-time set-up steps of the x86 kernel (arch/x86/kernel/). */
#ifndef ASM_SETUP_H
#define ASM_SETUP_H

#include "abi/pvh.h"
#include "kernel/types.h"

/*
 * Feed the sanitized e820_table to memblock (RAM added, partial pages
 * trimmed) and reserve the low megabyte, the kernel image and the PVH
 * start info, memory map and command line. Panics if memblock is full.
 */
void x86_memblock_setup(u32 start_info_pa, const struct hvm_start_info *si);

#endif /* ASM_SETUP_H */
