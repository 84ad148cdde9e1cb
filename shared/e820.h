/* SPDX-License-Identifier: MIT */
/*
 * E820 memory types and table limits shared by the VMM (which builds the
 * table) and the guest (which sanitizes it). Numbers are the ACPI/Linux ones.
 */
#ifndef SHARED_E820_H
#define SHARED_E820_H

/* Plain u32 constants: 0xefffffff does not fit an ISO C enum (int). */
#define E820_TYPE_RAM 1u
#define E820_TYPE_RESERVED 2u
#define E820_TYPE_ACPI 3u
#define E820_TYPE_NVS 4u
#define E820_TYPE_UNUSABLE 5u
#define E820_TYPE_PMEM 7u
#define E820_TYPE_PRAM 12u /* legacy persistent memory */
#define E820_TYPE_SOFT_RESERVED 0xefffffffu

/*
 * Most entries a table handed to the guest may have: one 4 KiB page of
 * hvm_memmap_table_entry holds 170; 128 is Linux's E820_MAX_ENTRIES_ZEROPAGE.
 */
#define E820_MAX_ENTRIES 128

/* The PC low megabyte: usable below the EBDA, reserved from there to 1 MiB. */
#define E820_LOWMEM_USABLE_END 0x9fc00ull
#define E820_LOWMEM_END 0x100000ull

#endif /* SHARED_E820_H */
