/* SPDX-License-Identifier: MIT */
/*
 * Loading a PVH guest kernel with libelf: an ELF64 x86-64 executable whose
 * PT_NOTE segments carry Xen's PHYS32_ENTRY note, loaded by physical
 * address (p_paddr) like QEMU and Firecracker do.
 */
#ifndef VMM_ELF_LOADER_H
#define VMM_ELF_LOADER_H

#include <stdint.h>

#include "error.h"
#include "guest_mem.h"

#define ELF_MAX_LOAD_SEGMENTS 32

struct elf_segment {
	uint64_t paddr, vaddr;
	uint64_t offset;
	uint64_t filesz, memsz;
	uint32_t flags; /* PF_R/PF_W/PF_X */
};

struct elf_image {
	uint32_t pvh_entry; /* 32-bit physical entry point from the note */
	struct elf_segment seg[ELF_MAX_LOAD_SEGMENTS];
	unsigned nr_seg;
	uint64_t phys_start, phys_end; /* lowest paddr, highest paddr + memsz */
};

/*
 * Validate the ELF in memory (@buf, @len bytes) for loading into @mem:
 * ELF64, little endian, x86-64, ET_EXEC; every PT_LOAD with p_filesz <=
 * p_memsz, inside the file, no 64-bit overflow, entirely within one DIMM,
 * clear of [@reserved_start, @reserved_end) (the PVH boot area) and of
 * every other segment; a PVH note whose entry lies in an executable
 * segment. On failure @err names @name, the segment and the problem.
 */
int elf_inspect(const char *name, const void *buf, uint64_t len, const struct guest_mem *mem,
		uint64_t reserved_start, uint64_t reserved_end, struct elf_image *img,
		struct vmm_err *err);

/* Copy the inspected segments into guest memory and zero their BSS. */
void elf_copy(const void *buf, const struct guest_mem *mem, const struct elf_image *img);

/* Read @path, inspect it and copy it in. Errors name the file. */
int elf_load_file(const char *path, const struct guest_mem *mem, uint64_t reserved_start,
		  uint64_t reserved_end, struct elf_image *img, struct vmm_err *err);

#endif /* VMM_ELF_LOADER_H */
