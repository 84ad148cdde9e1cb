/* SPDX-License-Identifier: MIT */
/*
 * PVH boot ABI (Xen's HVM direct boot, as used by QEMU, Firecracker and
 * cloud-hypervisor): the ELF note that names the 32-bit entry point and the
 * start-of-day structures the loader leaves in guest memory.
 *
 * Included by the VMM (C11, hosted) and by the guest (freestanding, also
 * from assembly, where only the constants are visible): only <stdint.h>
 * and fixed-size types, little endian, no padding.
 */
#ifndef SHARED_PVH_H
#define SHARED_PVH_H

/* ELF note: owner "Xen", this type, descriptor = 32-bit physical entry. */
#define XEN_ELFNOTE_PHYS32_ENTRY 18
#define XEN_ELFNOTE_OWNER "Xen"

#define HVM_START_MAGIC_VALUE 0x336ec578u
#define HVM_START_INFO_VERSION 1 /* version 1 carries the memory map */

#ifndef __ASSEMBLY__
#include <stdint.h>

struct hvm_start_info {
	uint32_t magic;          /* HVM_START_MAGIC_VALUE */
	uint32_t version;        /* >= 1: memmap_paddr/memmap_entries valid */
	uint32_t flags;          /* SIF_xxx, unused here */
	uint32_t nr_modules;     /* entries at modlist_paddr */
	uint64_t modlist_paddr;  /* struct hvm_modlist_entry[] */
	uint64_t cmdline_paddr;  /* NUL-terminated ASCII, 0 if none */
	uint64_t rsdp_paddr;     /* ACPI RSDP, 0 if none */
	uint64_t memmap_paddr;   /* struct hvm_memmap_table_entry[] */
	uint32_t memmap_entries;
	uint32_t reserved;
};

struct hvm_memmap_table_entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type; /* E820 type, see shared/e820.h */
	uint32_t reserved;
};

_Static_assert(sizeof(struct hvm_start_info) == 56, "hvm_start_info is 56 bytes");
_Static_assert(__builtin_offsetof(struct hvm_start_info, cmdline_paddr) == 24, "cmdline @24");
_Static_assert(__builtin_offsetof(struct hvm_start_info, memmap_paddr) == 40, "memmap @40");
_Static_assert(__builtin_offsetof(struct hvm_start_info, memmap_entries) == 48, "entries @48");
_Static_assert(sizeof(struct hvm_memmap_table_entry) == 24, "memmap entry is 24 bytes");
#endif /* __ASSEMBLY__ */

/*
 * Where this VMM puts the boot structures (Firecracker's and
 * cloud-hypervisor's addresses). All three pages lie in the low 640 KiB
 * and the guest must treat them as reserved until it has copied them.
 */
#define PVH_START_INFO_ADDR 0x6000u
#define PVH_MEMMAP_ADDR 0x7000u
#define PVH_CMDLINE_ADDR 0x8000u
#define PVH_BOOT_AREA_START PVH_START_INFO_ADDR
#define PVH_BOOT_AREA_END 0x9000u /* exclusive */

/* The command line fills its page, NUL included. */
#define PVH_CMDLINE_MAX 4095u

#endif /* SHARED_PVH_H */
