/* SPDX-License-Identifier: MIT */
/*
 * The firmware memory map as the kernel keeps it (guest/mm/e820.c): read
 * from the PVH start info, sanitized, printed as Linux prints it.
 */
#ifndef MM_E820_SETUP_H
#define MM_E820_SETUP_H

#include "abi/pvh.h"
#include "kernel/types.h"
#include "mm/e820.h"

/* The sanitized map, valid after e820__memory_setup_pvh(). */
extern struct e820_table e820_table;

/*
 * Copy the @nr entries of @map (checked by the caller to be readable and
 * at most E820_MAX_ENTRIES) into e820_table, print them as given
 * ("PVH-e820: ..."), sanitize them, and print the result ("BIOS-e820: ...")
 * and the usable total. A map the sanitizer rejects is a panic.
 */
void e820__memory_setup_pvh(const struct hvm_memmap_table_entry *map, u32 nr);

#endif /* MM_E820_SETUP_H */
