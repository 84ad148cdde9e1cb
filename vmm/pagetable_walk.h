/* SPDX-License-Identifier: MIT */
/*
 * A walk of the guest's 4-level page tables from the host, for
 * --dump-pagetables (pagetable_dump.h). Every table is read through
 * guest_mem_ptr(), the one checked door to guest RAM, and every value the
 * guest wrote is hostile: a table pointer into a hole or beyond RAM, a
 * loop back into the walk path, reserved bits, a large page where the
 * level has none, paging modes the walker does not know. Each problem is
 * reported once as one line naming it, and the walk goes on; it never
 * reads outside guest RAM and its work is bounded (PT_WALK_MAX_TABLES).
 */
#ifndef VMM_PAGETABLE_WALK_H
#define VMM_PAGETABLE_WALK_H

#include <stdbool.h>
#include <stdint.h>

#include "guest_mem.h"

/* Levels of 4-level paging, top first, named as Linux's ptdump names them. */
enum pt_level { PT_LEVEL_PGD, PT_LEVEL_PUD, PT_LEVEL_PMD, PT_LEVEL_PTE, PT_NR_LEVELS };

/* Entry bits (Intel SDM vol. 3, 4.5). */
#define PT_PRESENT (1ULL << 0)
#define PT_RW (1ULL << 1)
#define PT_USER (1ULL << 2)
#define PT_PWT (1ULL << 3)
#define PT_PCD (1ULL << 4)
#define PT_ACCESSED (1ULL << 5)
#define PT_DIRTY (1ULL << 6)
#define PT_PSE (1ULL << 7)       /* a large page above the PTE level */
#define PT_PAT (1ULL << 7)       /* PAT index bit 2 in a 4 KiB PTE */
#define PT_GLOBAL (1ULL << 8)
#define PT_PAT_LARGE (1ULL << 12) /* PAT index bit 2 in a 2 MiB or 1 GiB leaf */
#define PT_NX (1ULL << 63)
#define PT_ADDR_MASK 0x000ffffffffff000ULL /* bits 12..51: the frame or table */

/* The bits the dump prints (bit 7 is PSE above the PTE level, PAT in a PTE). */
#define PT_PRINTED_BITS \
	(PT_PRESENT | PT_USER | PT_RW | PT_PWT | PT_PCD | PT_PSE | PT_GLOBAL | PT_NX)
#define PT_PRINTED_BITS_LARGE (PT_PRINTED_BITS | PT_PAT_LARGE)

#define PT_ENTRIES 512
#define PT_TABLE_SIZE 4096

/*
 * At most this many tables are read per walk (1 GiB of tables, enough for
 * 512 GiB mapped with 4 KiB pages): tables reached again and again from
 * many entries cannot make the walk run for hours.
 */
#define PT_WALK_MAX_TABLES (1u << 18)

/* The paging state the walk starts from (KVM_GET_SREGS, and the CPUID the VMM gave). */
struct pt_walk_cpu {
	uint64_t cr0, cr3, cr4, efer;
	unsigned phys_bits; /* MAXPHYADDR: address bits above it are reserved */
	bool gbpages;       /* CPUID.80000001H:EDX[26]: 1 GiB pages exist */
};

/* Where the walk reports. */
struct pt_walk_ops {
	/*
	 * One entry covering [@addr, @addr + its size at @level), in address
	 * order: @prot is 0 for an empty entry, else the entry's printed bits
	 * (PT_PRINTED_BITS_LARGE above the PTE level). An entry pointing to a
	 * table is not reported itself (its table's entries are), except when
	 * the table cannot be walked: then it is reported as a leaf with
	 * PT_PSE cleared, as the guest's own dump shows a table it cannot
	 * reach.
	 */
	void (*note)(void *ctx, uint64_t addr, enum pt_level level, uint64_t prot);
	/* One problem, as one line without newline ("ptdump: ..."). */
	void (*problem)(void *ctx, const char *line);
};

struct pt_walk_result {
	unsigned tables;   /* tables read */
	unsigned problems; /* problem lines reported */
	bool walked;       /* the paging mode allowed a walk at all */
};

/*
 * Walk the tables under @cpu->cr3 in @mem, reporting to @ops with @ctx.
 * When paging is off or not 4-level long mode, one problem line says so
 * and nothing is noted (result.walked false).
 */
struct pt_walk_result pt_walk(const struct guest_mem *mem, const struct pt_walk_cpu *cpu,
			      const struct pt_walk_ops *ops, void *ctx);

/* "pgd", "pud", "pmd", "pte"; "?" out of range. */
const char *pt_level_name(enum pt_level level);

/* log2 of the bytes one entry of @level maps (39, 30, 21, 12). */
unsigned pt_level_shift(enum pt_level level);

#endif /* VMM_PAGETABLE_WALK_H */
