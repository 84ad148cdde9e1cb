/* SPDX-License-Identifier: MIT */
/*
 * The host-side page-table walk (pagetable_walk.h). Each table is copied
 * out of guest RAM once, through guest_mem_ptr(), before its entries are
 * looked at, so every entry is read exactly once even if the guest were
 * running. The walk is a recursion four levels deep at most; loops are
 * caught on the path, and the number of tables read is capped, so a guest
 * that points every entry at one table gets a bounded walk.
 */
#include "pagetable_walk.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Paging control bits the walk depends on (Intel SDM vol. 3, 2.5 and 2.2.1). */
#define CR0_PG (1ULL << 31)
#define CR4_PAE (1ULL << 5)
#define CR4_LA57 (1ULL << 12)
#define EFER_LMA (1ULL << 10)
#define EFER_NXE (1ULL << 11)

/* Physical addresses of 4-level paging end at bit 51 (the address field's top). */
#define PT_MAX_PHYS_BITS 52
/* Bits of a 2 MiB / 1 GiB leaf between the PAT bit and the frame: reserved. */
#define PT_PMD_LEAF_RSVD 0x00000000001fe000ULL /* bits 13..20 */
#define PT_PUD_LEAF_RSVD 0x000000003fffe000ULL /* bits 13..29 */

/* Sign extension of 48-bit linear addresses. */
#define VA_BITS 48
#define SIGN_EXTEND_SHIFT (64 - VA_BITS)

/*
 * At most this many problem lines per walk; the rest are counted and
 * summed up in one line, so a hostile table cannot fill the disk.
 */
#define PT_WALK_MAX_PROBLEM_LINES 64

#define PROBLEM_LINE_MAX 256
#define REASONS_MAX 160

static const char *const level_names[PT_NR_LEVELS] = { "pgd", "pud", "pmd", "pte" };
static const unsigned level_shifts[PT_NR_LEVELS] = { 39, 30, 21, 12 };

/* Names of the levels in messages and in the dump (see header). */
const char *pt_level_name(enum pt_level level)
{
	return (unsigned)level < PT_NR_LEVELS ? level_names[level] : "?";
}

/* Bytes one entry maps, as a shift (see header). */
unsigned pt_level_shift(enum pt_level level)
{
	return (unsigned)level < PT_NR_LEVELS ? level_shifts[level] : 0;
}

/* One walk in progress. */
struct walk {
	const struct guest_mem *mem;
	const struct pt_walk_cpu *cpu;
	const struct pt_walk_ops *ops;
	void *ctx;
	uint64_t rsvd_addr;               /* address bits at or above MAXPHYADDR */
	uint64_t ram_last;                /* last byte of the highest DIMM (it may end at 2^64) */
	uint64_t path[PT_NR_LEVELS];      /* physical address of the table at each level */
	uint64_t tables[PT_NR_LEVELS][PT_ENTRIES]; /* the copies being walked */
	bool budget_hit;
	struct pt_walk_result res;
};

/* Report one problem line (up to the cap; then one line says how many follow). */
static void __attribute__((format(printf, 2, 3))) problem(struct walk *w, const char *fmt, ...)
{
	char line[PROBLEM_LINE_MAX];
	va_list ap;

	w->res.problems++;
	if (w->res.problems > PT_WALK_MAX_PROBLEM_LINES + 1)
		return;
	if (w->res.problems == PT_WALK_MAX_PROBLEM_LINES + 1) {
		snprintf(line, sizeof(line),
			 "ptdump: more than %u problems in this walk: the rest are not shown",
			 PT_WALK_MAX_PROBLEM_LINES);
	} else {
		va_start(ap, fmt);
		vsnprintf(line, sizeof(line), fmt, ap);
		va_end(ap);
	}
	w->ops->problem(w->ctx, line);
}

/* Canonical form of 48-bit linear address @va (bit 47 copied upwards). */
static uint64_t canonical(uint64_t va)
{
	return (uint64_t)((int64_t)(va << SIGN_EXTEND_SHIFT) >> SIGN_EXTEND_SHIFT);
}

/* Append @what to the comma-separated @reasons. */
static void add_reason(char *reasons, const char *what)
{
	size_t n = strlen(reasons);

	snprintf(reasons + n, REASONS_MAX - n, "%s%s", n ? ", " : "", what);
}

/*
 * The reserved bits set in present entry @e at @level (0 if none), each
 * kind reported in one line for the entry mapping @va.
 */
static uint64_t check_reserved(struct walk *w, uint64_t e, enum pt_level level, uint64_t va)
{
	char reasons[REASONS_MAX] = "";
	uint64_t rsvd = 0;
	bool large = e & PT_PSE;

	if (e & w->rsvd_addr) {
		rsvd |= e & w->rsvd_addr;
		add_reason(reasons, "address above MAXPHYADDR");
	}
	if (level == PT_LEVEL_PGD && large) {
		rsvd |= PT_PSE;
		add_reason(reasons, "PS set at PML4 level");
	}
	if (level == PT_LEVEL_PUD && large && !w->cpu->gbpages) {
		rsvd |= PT_PSE;
		add_reason(reasons, "1 GiB page but the CPU has no 1 GiB pages");
	}
	if (level == PT_LEVEL_PUD && large && (e & PT_PUD_LEAF_RSVD)) {
		rsvd |= e & PT_PUD_LEAF_RSVD;
		add_reason(reasons, "1 GiB page address not 1 GiB aligned");
	}
	if (level == PT_LEVEL_PMD && large && (e & PT_PMD_LEAF_RSVD)) {
		rsvd |= e & PT_PMD_LEAF_RSVD;
		add_reason(reasons, "2 MiB page address not 2 MiB aligned");
	}
	if ((e & PT_NX) && !(w->cpu->efer & EFER_NXE)) {
		rsvd |= PT_NX;
		add_reason(reasons, "NX set but EFER.NXE clear");
	}
	if (rsvd)
		problem(w, "ptdump: %s entry 0x%016" PRIx64 " (for 0x%016" PRIx64
			   ") has reserved bits 0x%" PRIx64 " set (%s): not followed",
			level_names[level], e, va, rsvd, reasons);
	return rsvd;
}

/*
 * Copy the table of @level at @pa (reached for @va) into w->tables[@level];
 * false, with the reason reported, if it cannot be walked.
 */
static bool read_table(struct walk *w, uint64_t pa, enum pt_level level, uint64_t va)
{
	const char *name = level_names[level];
	const void *p;

	for (unsigned l = 0; l < (unsigned)level; l++) {
		if (w->path[l] == pa) {
			problem(w, "ptdump: %s table at 0x%" PRIx64 " (for 0x%016" PRIx64
				   ") is a loop: it is the %s table of this walk",
				name, pa, va, level_names[l]);
			return false;
		}
	}
	if (w->res.tables >= PT_WALK_MAX_TABLES) {
		if (!w->budget_hit)
			problem(w, "ptdump: %s table at 0x%" PRIx64 " (for 0x%016" PRIx64
				   ") not read: more than %u tables in one walk",
				name, pa, va, PT_WALK_MAX_TABLES);
		w->budget_hit = true;
		return false;
	}
	p = guest_mem_ptr(w->mem, pa, PT_TABLE_SIZE);
	if (!p) {
		if (!w->mem->nr || pa > w->ram_last)
			problem(w, "ptdump: %s table at 0x%" PRIx64 " (for 0x%016" PRIx64
				   ") is beyond the top of RAM (0x%" PRIx64 ")",
				name, pa, va, w->mem->nr ? w->ram_last + 1 : 0);
		else if (guest_mem_find(w->mem, pa))
			problem(w, "ptdump: %s table at 0x%" PRIx64 " (for 0x%016" PRIx64
				   ") runs past the end of its DIMM",
				name, pa, va);
		else
			problem(w, "ptdump: %s table at 0x%" PRIx64 " (for 0x%016" PRIx64
				   ") is in a hole (no RAM there)",
				name, pa, va);
		return false;
	}
	memcpy(w->tables[level], p, PT_TABLE_SIZE);
	w->path[level] = pa;
	w->res.tables++;
	return true;
}

/*
 * The printed bits of an entry shown as a leaf although it is not followed:
 * a large page keeps PSE (and the large PAT bit); a table pointer, or PS at
 * PML4 level (reserved), shows without PSE, as the guest's dump shows an
 * entry whose table it cannot reach.
 */
static uint64_t shown_bits(uint64_t e, enum pt_level level)
{
	if (level == PT_LEVEL_PTE)
		return e & PT_PRINTED_BITS;
	if (level != PT_LEVEL_PGD && (e & PT_PSE))
		return e & PT_PRINTED_BITS_LARGE;
	return e & PT_PRINTED_BITS & ~PT_PSE;
}

/* Note every entry of the table copied at @level, mapping from @base, descending into tables. */
static void walk_table(struct walk *w, enum pt_level level, uint64_t base)
{
	unsigned shift = level_shifts[level];

	for (unsigned i = 0; i < PT_ENTRIES; i++) {
		uint64_t e = w->tables[level][i];
		uint64_t va = canonical(base + ((uint64_t)i << shift));

		if (!(e & PT_PRESENT)) {
			w->ops->note(w->ctx, va, level, 0);
			continue;
		}
		if (check_reserved(w, e, level, va)) {
			/* The CPU faults on any use of it: show it as a leaf, follow nothing. */
			w->ops->note(w->ctx, va, level, shown_bits(e, level));
			continue;
		}
		if (level == PT_LEVEL_PTE) {
			w->ops->note(w->ctx, va, level, e & PT_PRINTED_BITS);
			continue;
		}
		if (e & PT_PSE) {
			w->ops->note(w->ctx, va, level, e & PT_PRINTED_BITS_LARGE);
			continue;
		}
		if (read_table(w, e & PT_ADDR_MASK, level + 1, va))
			walk_table(w, level + 1, va);
		else
			w->ops->note(w->ctx, va, level, shown_bits(e, level));
	}
}

/* Whether the paging mode is one this walk knows; reports why not. */
static bool mode_ok(struct walk *w)
{
	const struct pt_walk_cpu *c = w->cpu;

	if (!(c->cr0 & CR0_PG)) {
		problem(w, "ptdump: paging is off (CR0 0x%" PRIx64 "): no page tables to walk",
			c->cr0);
		return false;
	}
	if (!(c->cr4 & CR4_PAE) || !(c->efer & EFER_LMA)) {
		problem(w, "ptdump: not in long mode (CR4 0x%" PRIx64 ", EFER 0x%" PRIx64
			   "): only 4-level paging is walked",
			c->cr4, c->efer);
		return false;
	}
	if (c->cr4 & CR4_LA57) {
		problem(w, "ptdump: CR4.LA57 is set (CR4 0x%" PRIx64 "): 5-level paging with "
			   "57-bit addresses is not walked",
			c->cr4);
		return false;
	}
	if (c->cr3 & w->rsvd_addr) {
		problem(w, "ptdump: CR3 0x%" PRIx64 " has reserved bits 0x%" PRIx64
			   " set (address above MAXPHYADDR %u)",
			c->cr3, c->cr3 & w->rsvd_addr, c->phys_bits);
		return false;
	}
	return true;
}

/* Walk the tables under CR3 (see header). */
struct pt_walk_result pt_walk(const struct guest_mem *mem, const struct pt_walk_cpu *cpu,
			      const struct pt_walk_ops *ops, void *ctx)
{
	/* 16 KiB of table copies: off the stack. */
	struct walk *w = calloc(1, sizeof(*w));
	struct pt_walk_result res = { 0 };
	unsigned bits = cpu->phys_bits;

	if (!w) {
		ops->problem(ctx, "ptdump: out of memory: not walked");
		res.problems = 1;
		return res;
	}
	w->mem = mem;
	w->cpu = cpu;
	w->ops = ops;
	w->ctx = ctx;
	/* A MAXPHYADDR outside 12..52 would be a VMM bug; clamp rather than shift by it. */
	if (bits < 12 || bits > PT_MAX_PHYS_BITS)
		bits = PT_MAX_PHYS_BITS;
	w->rsvd_addr = PT_ADDR_MASK & ~((1ULL << bits) - 1);
	if (mem->nr)
		w->ram_last = mem->dimms[mem->nr - 1].gpa + (mem->dimms[mem->nr - 1].size - 1);
	if (mode_ok(w) && read_table(w, cpu->cr3 & PT_ADDR_MASK, PT_LEVEL_PGD, 0)) {
		w->res.walked = true;
		walk_table(w, PT_LEVEL_PGD, 0);
	}
	res = w->res;
	free(w);
	return res;
}
