/* SPDX-License-Identifier: MIT */
/*
 * Guest RAM as the host sees it: one host mapping per DIMM, and the single
 * checked door through which every guest physical address the VMM touches
 * passes (after Solo5's HVT_CHECKED_GPA_P).
 */
#ifndef VMM_GUEST_MEM_H
#define VMM_GUEST_MEM_H

#include <stdint.h>

#include "error.h"
#include "layout.h"

struct guest_dimm {
	uint64_t gpa;  /* guest physical base */
	uint64_t size; /* bytes */
	uint8_t *hva;  /* host mapping */
	unsigned slot; /* KVM memslot number */
};

struct guest_mem {
	struct guest_dimm *dimms; /* sorted by gpa, non-overlapping */
	unsigned nr;
};

/*
 * Map every DIMM (anonymous, private, MAP_NORESERVE) and number the slots
 * in address order. Returns 0, or -1 with @err (mmap failure: which DIMM).
 */
int guest_mem_map(struct guest_mem *mem, const struct dimm *dimms, unsigned nr,
		  struct vmm_err *err);

void guest_mem_unmap(struct guest_mem *mem);

/*
 * Host pointer for [gpa, gpa + len) if the whole range lies in one DIMM
 * (len 0 counts as 1 byte), else NULL. No overflow on any input.
 */
void *guest_mem_ptr(const struct guest_mem *mem, uint64_t gpa, uint64_t len);

/* The DIMM containing @gpa, or NULL for a hole. */
const struct guest_dimm *guest_mem_find(const struct guest_mem *mem, uint64_t gpa);

#endif /* VMM_GUEST_MEM_H */
