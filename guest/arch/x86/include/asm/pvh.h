/* SPDX-License-Identifier: MIT */
/* The PVH start info, checked as hostile input (pvh.c). */
#ifndef ASM_PVH_H
#define ASM_PVH_H

#include "abi/pvh.h"
#include "kernel/types.h"

/*
 * Check the start info at physical @pa and everything it points to, and
 * keep a copy. Bad boot information is reported on one line naming the
 * field and its value, and the guest exits with GUEST_EXIT_BAD_BOOT.
 */
const struct hvm_start_info *pvh_start_info_check(u32 pa);

/* The checked command line ("" if the loader gave none). */
const char *pvh_cmdline(void);

/* The checked memory map (pvh_start_info_check() made sure it is readable). */
const struct hvm_memmap_table_entry *pvh_memmap(void);

/* "PVH: start_info at 0x..., version N, N memmap entries at 0x..., cmdline at 0x..." */
void pvh_print_start_info(void);

#endif /* ASM_PVH_H */
