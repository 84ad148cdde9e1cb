/* SPDX-License-Identifier: MIT */
/*
 * Guest physical layout: the DIMMs (one KVM memslot each, holes between
 * them) and the E820 table the guest is given. Pure computation, no KVM:
 * unit-tested on the host.
 */
#ifndef VMM_LAYOUT_H
#define VMM_LAYOUT_H

#include <stdint.h>

#include "../shared/e820.h"
#include "../shared/pvh.h"
#include "error.h"

#define PAGE_SIZE_4K 0x1000ull

/* Default machine: RAM below the 32-bit hole, the hole, RAM from 4 GiB on. */
#define LAYOUT_DEFAULT_MEM (4ull << 30)
#define LAYOUT_HOLE32_START (3ull << 30)
#define LAYOUT_HOLE32_END (4ull << 30)

/*
 * x86 interrupt controllers and firmware live here on every PC (IOAPIC at
 * 0xfec00000, local APIC at 0xfee00000, reset vector below 4 GiB): no DIMM
 * may cover it. It also holds the TSS/identity pages KVM needs on VMX.
 */
#define LAYOUT_X86_MMIO_START 0xfec00000ull
#define LAYOUT_X86_MMIO_END 0x100000000ull

/* x86-64's architectural limit; main() lowers it to the CPU's MAXPHYADDR. */
#define LAYOUT_PHYS_BITS_MAX 52
#define LAYOUT_PHYS_BITS_DEFAULT 48

/* KVM maps at most 2^31 - 1 pages in one memslot (KVM_MEM_MAX_NR_PAGES). */
#define LAYOUT_DIMM_MAX_SIZE (((1ull << 31) - 1) * PAGE_SIZE_4K)

/* Most DIMMs the command line accepts (each needs at least one E820 entry). */
#define LAYOUT_MAX_DIMMS E820_MAX_ENTRIES

struct dimm {
	uint64_t base; /* guest physical address, 4 KiB aligned */
	uint64_t size; /* bytes, 4 KiB multiple, > 0 */
};

/* An entry in the E820 table, as the VMM builds it. */
struct e820_entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type;
};

/*
 * The DIMMs for "-m @total": [0, min(total, 3G)) and, when total > 3 GiB,
 * [4G, 4G + total - 3G). Writes 1 or 2 DIMMs. Returns 0, or -1 with @err if
 * @total is 0, not 4 KiB aligned, below 1 MiB, or overflows.
 */
int layout_from_total(uint64_t total, struct dimm *out, unsigned *nr_out, struct vmm_err *err);

/*
 * Check a DIMM list and sort it by address in place. Refused: zero size,
 * base or size not 4 KiB aligned, larger than one memslot maps,
 * wrap-around, end beyond 2^@phys_bits,
 * overlap with another DIMM, a DIMM that starts in (0, 1 MiB) and reaches
 * the low megabyte's reserved area [0x9fc00, 1 MiB), overlap with the x86
 * MMIO area, more than @max_slots DIMMs, no DIMM holding the PVH boot area.
 * Messages name the DIMM as SIZE@ADDR, as the user wrote it.
 */
int layout_check(struct dimm *dimms, unsigned nr, unsigned phys_bits, unsigned max_slots,
		 struct vmm_err *err);

/*
 * Build the E820 table from checked, sorted DIMMs and the user's extra
 * entries: every DIMM is usable RAM, except that a DIMM at 0 gets the PC low
 * megabyte (usable below 0x9fc00, reserved up to 1 MiB); extra entries
 * (which must not overlap one another) are carved out of RAM they cover.
 * Output is sorted, non-overlapping, without empty entries. Returns the
 * number of entries, or -1 with @err if extras overlap or the table would
 * exceed @max entries.
 */
int layout_build_e820(const struct dimm *dimms, unsigned nr_dimms, const struct e820_entry *extras,
		      unsigned nr_extras, struct e820_entry *out, unsigned max,
		      struct vmm_err *err);

/*
 * Reserve [@addr, @addr + @size) for a device (@what names it in errors):
 * refused if it overlaps a DIMM or an entry of @e820, or the table is full
 * (@max); else inserted as E820_TYPE_RESERVED before the first entry above
 * it (*@nr grows by one).
 */
int layout_reserve_region(const struct dimm *dimms, unsigned nr_dimms, struct e820_entry *e820,
			  unsigned *nr, unsigned max, uint64_t addr, uint64_t size, const char *what,
			  struct vmm_err *err);

/* Name for an E820 type as --e820 and --e820-file accept it; NULL if none. */
const char *e820_type_cli_name(uint32_t type);

/*
 * Parse an E820 type: a name (usable/ram, reserved, acpi, nvs, unusable,
 * pmem, pram, soft-reserved) or a number. Returns 0 or -1.
 */
int e820_type_parse(const char *s, uint32_t *type);

#endif /* VMM_LAYOUT_H */
