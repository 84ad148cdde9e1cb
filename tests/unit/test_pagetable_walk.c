/* SPDX-License-Identifier: MIT */
/*
 * The host-side page-table walk (vmm/pagetable_walk.c) and the dump text
 * (vmm/pagetable_dump.c) on crafted fake guest memory: every level's
 * leaves, and every kind of hostile table (loops, pointers into holes and
 * beyond RAM, past the end of a DIMM, PS at PML4 level, reserved bits,
 * 1 GiB leaves on a CPU without them, too many tables, too many problems).
 *
 * Fake guest RAM (malloc'ed backing):
 *
 *   0x0              1 MiB                      4 GiB       4 GiB + 0x1800
 *   +----------------+------------ ... ---------+-----------+
 *   | D0: page n at  |          hole            | D1: 1.5   |   beyond RAM
 *   | n * 0x1000     |                          | pages     |
 *   +----------------+------------ ... ---------+-----------+
 *
 * Page 0 is the PML4 (CR3 0) unless a test says otherwise.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../vmm/pagetable_dump.h"
#include "../../vmm/pagetable_walk.h"

#define PAGE 0x1000ull
#define D0_SIZE (1ull << 20)
#define D0_PAGES (D0_SIZE / PAGE)
#define D1_BASE (4ull << 30)
#define D1_SIZE 0x1800ull
#define HOLE_ADDR 0x80000000ull     /* between D0 and D1 */
#define BEYOND_ADDR (8ull << 30)    /* above D1 */

#define CR0_PE 0x1ull
#define CR0_PG (1ull << 31)
#define CR4_PAE (1ull << 5)
#define CR4_LA57 (1ull << 12)
#define EFER_LME (1ull << 8)
#define EFER_LMA (1ull << 10)
#define EFER_NXE (1ull << 11)

#define TABLE (PT_PRESENT | PT_RW) /* a kernel table pointer's bits */
#define MAX_NOTES 4096
#define MAX_PROBLEMS 128

static uint8_t *d0, *d1;
static struct guest_dimm dimms[2];
static struct guest_mem mem = { dimms, 2 };

struct note {
	uint64_t addr;
	enum pt_level level;
	uint64_t prot;
};

/* What a walk reported. */
struct rec {
	unsigned long nr_notes; /* all of them; the first MAX_NOTES are kept */
	struct note notes[MAX_NOTES];
	unsigned nr_problems;
	char problems[MAX_PROBLEMS][256];
};

static struct rec *rec;

static void rec_note(void *ctx, uint64_t addr, enum pt_level level, uint64_t prot)
{
	struct rec *r = ctx;

	if (r->nr_notes < MAX_NOTES)
		r->notes[r->nr_notes] = (struct note){ addr, level, prot };
	r->nr_notes++;
}

static void rec_problem(void *ctx, const char *line)
{
	struct rec *r = ctx;

	if (r->nr_problems < MAX_PROBLEMS)
		snprintf(r->problems[r->nr_problems], sizeof(r->problems[0]), "%s", line);
	r->nr_problems++;
}

static const struct pt_walk_ops rec_ops = { rec_note, rec_problem };

/* Page @n of D0 as a table. */
static uint64_t *tbl(unsigned n)
{
	assert_true(n < D0_PAGES);
	return (uint64_t *)(d0 + n * PAGE);
}

/* A long-mode CPU with NX, 40 physical address bits and 1 GiB pages. */
static struct pt_walk_cpu cpu_default(void)
{
	struct pt_walk_cpu c = {
		.cr0 = CR0_PE | CR0_PG,
		.cr3 = 0,
		.cr4 = CR4_PAE,
		.efer = EFER_LME | EFER_LMA | EFER_NXE,
		.phys_bits = 40,
		.gbpages = true,
	};
	return c;
}

static struct pt_walk_result walk(const struct pt_walk_cpu *c)
{
	memset(rec, 0, sizeof(*rec));
	return pt_walk(&mem, c, &rec_ops, rec);
}

/* The prot of the note at @addr and @level; fails the test if there is none. */
static uint64_t note_at(uint64_t addr, enum pt_level level)
{
	for (unsigned long i = 0; i < rec->nr_notes && i < MAX_NOTES; i++)
		if (rec->notes[i].addr == addr && rec->notes[i].level == level)
			return rec->notes[i].prot;
	fail_msg("no %s note at 0x%016llx", pt_level_name(level), (unsigned long long)addr);
	return 0;
}

/* Whether some problem line contains @text. */
static bool problem_has(const char *text)
{
	for (unsigned i = 0; i < rec->nr_problems && i < MAX_PROBLEMS; i++)
		if (strstr(rec->problems[i], text))
			return true;
	return false;
}

#define assert_problem(text)                                                              \
	do {                                                                              \
		if (!problem_has(text))                                                   \
			fail_msg("no problem line contains '%s' (%u problems, first: '%s')", \
				 text, rec->nr_problems,                                  \
				 rec->nr_problems ? rec->problems[0] : "");               \
	} while (0)

static int setup(void **state)
{
	(void)state;
	d0 = calloc(1, D0_SIZE);
	d1 = calloc(1, D1_SIZE);
	rec = calloc(1, sizeof(*rec));
	assert_non_null(d0);
	assert_non_null(d1);
	assert_non_null(rec);
	dimms[0] = (struct guest_dimm){ .gpa = 0, .size = D0_SIZE, .hva = d0, .slot = 0 };
	dimms[1] = (struct guest_dimm){ .gpa = D1_BASE, .size = D1_SIZE, .hva = d1, .slot = 1 };
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	free(d0);
	free(d1);
	free(rec);
	return 0;
}

/*
 * The dump text of a walk of @c (at most @max_lines lines), in a malloc'ed
 * string; problem lines to *@diag_text.
 */
static char *dump_text_max(const struct pt_walk_cpu *c, unsigned max_lines, char **diag_text)
{
	char *text = NULL, *dtext = NULL;
	size_t len = 0, dlen = 0;
	FILE *out = open_memstream(&text, &len);
	FILE *diag = open_memstream(&dtext, &dlen);

	assert_non_null(out);
	assert_non_null(diag);
	pagetable_dump_write(out, diag, &mem, c, max_lines, NULL);
	fclose(out);
	fclose(diag);
	if (diag_text)
		*diag_text = dtext;
	else
		free(dtext);
	return text;
}

/* The same without a line limit. */
static char *dump_text(const struct pt_walk_cpu *c, char **diag_text)
{
	return dump_text_max(c, UINT32_MAX, diag_text);
}

/* ---------------------------------------------------------------- paging modes */

static void test_paging_off(void **state)
{
	struct pt_walk_cpu c = cpu_default();
	struct pt_walk_result r;

	(void)state;
	c.cr0 = CR0_PE;
	r = walk(&c);
	assert_false(r.walked);
	assert_int_equal(rec->nr_notes, 0);
	assert_int_equal(rec->nr_problems, 1);
	assert_problem("paging is off");
}

static void test_not_long_mode(void **state)
{
	struct pt_walk_cpu c = cpu_default();
	struct pt_walk_result r;

	(void)state;
	c.efer = 0; /* PAE paging without long mode */
	r = walk(&c);
	assert_false(r.walked);
	assert_int_equal(rec->nr_notes, 0);
	assert_problem("not in long mode");
	c = cpu_default();
	c.cr4 = 0;
	r = walk(&c);
	assert_false(r.walked);
	assert_problem("not in long mode");
}

/* 5-level paging would give 57-bit addresses the 4-level walk cannot form canonically. */
static void test_la57_not_walked(void **state)
{
	struct pt_walk_cpu c = cpu_default();
	struct pt_walk_result r;

	(void)state;
	c.cr4 |= CR4_LA57;
	r = walk(&c);
	assert_false(r.walked);
	assert_int_equal(rec->nr_notes, 0);
	assert_problem("5-level paging");
}

static void test_cr3_reserved_bits(void **state)
{
	struct pt_walk_cpu c = cpu_default();
	struct pt_walk_result r;

	(void)state;
	c.cr3 = 1ull << 44; /* above MAXPHYADDR 40 */
	r = walk(&c);
	assert_false(r.walked);
	assert_problem("CR3 0x100000000000 has reserved bits 0x100000000000");
}

static void test_cr3_in_hole(void **state)
{
	struct pt_walk_cpu c = cpu_default();
	struct pt_walk_result r;

	(void)state;
	c.cr3 = HOLE_ADDR;
	r = walk(&c);
	assert_false(r.walked);
	assert_int_equal(r.tables, 0);
	assert_problem("pgd table at 0x80000000 (for 0x0000000000000000) is in a hole");
}

static void test_cr3_beyond_ram(void **state)
{
	struct pt_walk_cpu c = cpu_default();

	(void)state;
	c.cr3 = BEYOND_ADDR;
	assert_false(walk(&c).walked);
	assert_problem("pgd table at 0x200000000 (for 0x0000000000000000) is beyond the top of "
		       "RAM (0x100001800)");
}

/* CR3's low bits (PWT, PCD, a PCID) are not part of the table address. */
static void test_cr3_low_bits_ignored(void **state)
{
	struct pt_walk_cpu c = cpu_default();
	struct pt_walk_result r;

	(void)state;
	memset(d0, 0, D0_SIZE);
	c.cr3 = 0x18; /* PWT | PCD */
	r = walk(&c);
	assert_true(r.walked);
	assert_int_equal(r.tables, 1);
	assert_int_equal(rec->nr_notes, PT_ENTRIES);
	assert_int_equal(rec->nr_problems, 0);
}

/* ---------------------------------------------------------------- good tables */

/*
 * A tree with a leaf at every level:
 *   PML4[0] -> PDPT (page 1); PDPT[0] -> PD (page 2); PD[0] -> PT (page 3)
 *   PT[1]: 4 KiB, RW NX GLB at 0x5000; PT[2]: ro USR PWT PCD PAT(bit 7)
 *   PD[1]: 2 MiB RW PSE at 0x200000; PD[2]: 2 MiB with PAT (bit 12)
 *   PDPT[1]: 1 GiB RW PSE at 0x40000000
 *   PML4[511] -> PDPT (page 4); PDPT[510] -> 1 GiB at 0 (the kernel image)
 */
static void build_tree(void)
{
	memset(d0, 0, D0_SIZE);
	tbl(0)[0] = 1 * PAGE | TABLE;
	tbl(1)[0] = 2 * PAGE | TABLE;
	tbl(2)[0] = 3 * PAGE | TABLE;
	tbl(3)[1] = 0x5000 | PT_PRESENT | PT_RW | PT_NX | PT_GLOBAL | PT_ACCESSED | PT_DIRTY;
	tbl(3)[2] = 0x6000 | PT_PRESENT | PT_USER | PT_PWT | PT_PCD | PT_PAT;
	tbl(2)[1] = 0x200000 | PT_PRESENT | PT_RW | PT_PSE;
	tbl(2)[2] = 0x400000 | PT_PRESENT | PT_RW | PT_PSE | PT_PAT_LARGE;
	tbl(1)[1] = 0x40000000 | PT_PRESENT | PT_RW | PT_PSE;
	tbl(0)[511] = 4 * PAGE | TABLE;
	tbl(4)[510] = 0 | PT_PRESENT | PT_RW | PT_PSE | PT_GLOBAL;
}

static void test_leaves_at_every_level(void **state)
{
	struct pt_walk_cpu c = cpu_default();
	struct pt_walk_result r;

	(void)state;
	build_tree();
	r = walk(&c);
	assert_true(r.walked);
	assert_int_equal(r.tables, 5);
	assert_int_equal(rec->nr_problems, 0);
	/* 512 entries per table, minus the 4 table pointers (their tables are noted instead). */
	assert_int_equal(rec->nr_notes, 5 * PT_ENTRIES - 4);
	assert_int_equal(note_at(0x0, PT_LEVEL_PTE), 0);
	/* Accessed and dirty are not printed bits. */
	assert_int_equal(note_at(0x1000, PT_LEVEL_PTE), PT_PRESENT | PT_RW | PT_NX | PT_GLOBAL);
	assert_int_equal(note_at(0x2000, PT_LEVEL_PTE),
			 PT_PRESENT | PT_USER | PT_PWT | PT_PCD | PT_PAT);
	assert_int_equal(note_at(0x200000, PT_LEVEL_PMD), PT_PRESENT | PT_RW | PT_PSE);
	assert_int_equal(note_at(0x400000, PT_LEVEL_PMD),
			 PT_PRESENT | PT_RW | PT_PSE | PT_PAT_LARGE);
	assert_int_equal(note_at(0x40000000, PT_LEVEL_PUD), PT_PRESENT | PT_RW | PT_PSE);
	assert_int_equal(note_at(0x80000000, PT_LEVEL_PUD), 0);
	assert_int_equal(note_at(0x8000000000, PT_LEVEL_PGD), 0);
	/* Upper-half addresses are canonical (sign-extended from bit 47). */
	assert_int_equal(note_at(0xffff800000000000, PT_LEVEL_PGD), 0);
	assert_int_equal(note_at(0xffffffff80000000, PT_LEVEL_PUD),
			 PT_PRESENT | PT_RW | PT_PSE | PT_GLOBAL);
	assert_int_equal(note_at(0xffffffffc0000000, PT_LEVEL_PUD), 0);
}

/* The notes come in strictly increasing address order. */
static void test_notes_in_address_order(void **state)
{
	struct pt_walk_cpu c = cpu_default();

	(void)state;
	build_tree();
	walk(&c);
	for (unsigned long i = 1; i < rec->nr_notes && i < MAX_NOTES; i++)
		assert_true(rec->notes[i].addr > rec->notes[i - 1].addr);
}

static const char tree_dump[] =
	"---[ User Space ]---\n"
	"0x0000000000000000-0x0000000000001000           4K                               pte\n"
	"0x0000000000001000-0x0000000000002000           4K     RW                 GLB NX pte\n"
	"0x0000000000002000-0x0000000000003000           4K USR ro PWT PCD     PAT     x  pte\n"
	"0x0000000000003000-0x0000000000200000        2036K                               pte\n"
	"0x0000000000200000-0x0000000000400000           2M     RW         PSE         x  pmd\n"
	"0x0000000000400000-0x0000000000600000           2M     RW         PSE PAT     x  pmd\n"
	"0x0000000000600000-0x0000000040000000        1018M                               pmd\n"
	"0x0000000040000000-0x0000000080000000           1G     RW         PSE         x  pud\n"
	"0x0000000080000000-0x0000008000000000         510G                               pud\n"
	"0x0000008000000000-0xffff800000000000   17179737600G                               pgd\n"
	"---[ Kernel Space ]---\n"
	"0xffff800000000000-0xffff888000000000        8704G                               pgd\n"
	"---[ Low Kernel Mapping ]---\n"
	"0xffff888000000000-0xffffc90000000000       66048G                               pgd\n"
	"---[ vmalloc() Area ]---\n"
	"0xffffc90000000000-0xffffea0000000000          33T                               pgd\n"
	"---[ Vmemmap ]---\n"
	"0xffffea0000000000-0xffffff8000000000       22016G                               pgd\n"
	"0xffffff8000000000-0xffffffff80000000         510G                               pud\n"
	"---[ High Kernel Mapping ]---\n"
	"0xffffffff80000000-0xffffffffc0000000           1G     RW         PSE     GLB x  pud\n"
	"---[ Modules ]---\n"
	"0xffffffffc0000000-0x0000000000000000           1G                               pud\n";

/*
 * The dump text of the tree, written out by hand from the format (Linux's
 * "0x%016lx-0x%016lx   %9lu%c " + 30 flag columns + level) and the markers.
 */
static void test_dump_text_of_tree(void **state)
{
	struct pt_walk_cpu c = cpu_default();
	char *diag, *text;

	(void)state;
	build_tree();
	text = dump_text(&c, &diag);
	assert_string_equal(text, tree_dump);
	assert_string_equal(diag, "");
	free(text);
	free(diag);
}

static const char empty_pml4_dump[] =
	"---[ User Space ]---\n"
	"0x0000000000000000-0xffff800000000000    16777088T                               pgd\n"
	"---[ Kernel Space ]---\n"
	"0xffff800000000000-0xffff888000000000        8704G                               pgd\n"
	"---[ Low Kernel Mapping ]---\n"
	"0xffff888000000000-0xffffc90000000000       66048G                               pgd\n"
	"---[ vmalloc() Area ]---\n"
	"0xffffc90000000000-0xffffea0000000000          33T                               pgd\n"
	"---[ Vmemmap ]---\n"
	"0xffffea0000000000-0x0000000000000000          22T                               pgd\n";

/*
 * Empty top table: one run per region; the markers past the last run's
 * start (High Kernel Mapping, Modules) are not printed, as in the guest.
 */
static void test_dump_text_of_empty_pml4(void **state)
{
	struct pt_walk_cpu c = cpu_default();
	char *text;

	(void)state;
	memset(d0, 0, D0_SIZE);
	text = dump_text(&c, NULL);
	assert_string_equal(text, empty_pml4_dump);
	free(text);
}

/* A dump that cannot start prints the first marker and the problem only. */
static void test_dump_text_when_not_walked(void **state)
{
	struct pt_walk_cpu c = cpu_default();
	char *diag, *text;

	(void)state;
	c.cr3 = HOLE_ADDR;
	text = dump_text(&c, &diag);
	assert_string_equal(text, "---[ User Space ]---\n"
				  "ptdump: pgd table at 0x80000000 (for 0x0000000000000000) is in "
				  "a hole (no RAM there)\n");
	assert_string_equal(diag, "vmm: ptdump: pgd table at 0x80000000 (for 0x0000000000000000) "
				  "is in a hole (no RAM there)\n");
	free(text);
	free(diag);
}

/* ---------------------------------------------------------------- hostile tables */

/* PML4[0] points back at the PML4. */
static void test_loop_to_self(void **state)
{
	struct pt_walk_cpu c = cpu_default();
	struct pt_walk_result r;

	(void)state;
	memset(d0, 0, D0_SIZE);
	tbl(0)[0] = 0 | TABLE;
	r = walk(&c);
	assert_true(r.walked);
	assert_int_equal(r.tables, 1);
	assert_int_equal(rec->nr_problems, 1);
	assert_problem("pud table at 0x0 (for 0x0000000000000000) is a loop: it is the pgd table");
	/* Shown as a leaf of its level, without PSE. */
	assert_int_equal(note_at(0, PT_LEVEL_PGD), TABLE);
}

/* PD entries pointing back at the PDPT and at the PML4 above them. */
static void test_loop_to_ancestor(void **state)
{
	struct pt_walk_cpu c = cpu_default();

	(void)state;
	memset(d0, 0, D0_SIZE);
	tbl(0)[1] = 1 * PAGE | TABLE;
	tbl(1)[2] = 2 * PAGE | TABLE;
	tbl(2)[3] = 1 * PAGE | TABLE; /* back to the PDPT */
	tbl(2)[4] = 0 * PAGE | TABLE; /* back to the PML4 */
	walk(&c);
	assert_int_equal(rec->nr_problems, 2);
	assert_problem("pte table at 0x1000 (for 0x0000008080600000) is a loop: "
		       "it is the pud table");
	assert_problem("pte table at 0x0 (for 0x0000008080800000) is a loop: it is the pgd table");
	assert_int_equal(note_at(0x8080600000, PT_LEVEL_PMD), TABLE);
}

/* Table pointers into the hole, beyond RAM, and running past the end of a DIMM. */
static void test_tables_outside_ram(void **state)
{
	struct pt_walk_cpu c = cpu_default();
	struct pt_walk_result r;

	(void)state;
	memset(d0, 0, D0_SIZE);
	tbl(0)[0] = 1 * PAGE | TABLE;
	tbl(1)[0] = HOLE_ADDR | TABLE;
	tbl(1)[1] = BEYOND_ADDR | TABLE;
	tbl(1)[2] = (D1_BASE + PAGE) | TABLE; /* D1 has only half a page there */
	tbl(1)[3] = D1_BASE | TABLE;          /* a whole page: fine */
	tbl(0)[2] = HOLE_ADDR | TABLE;        /* at PGD level too */
	r = walk(&c);
	assert_int_equal(r.tables, 3);
	assert_int_equal(rec->nr_problems, 4);
	assert_problem("pmd table at 0x80000000 (for 0x0000000000000000) is in a hole");
	assert_problem("pmd table at 0x200000000 (for 0x0000000040000000) is beyond the top "
		       "of RAM");
	assert_problem("pmd table at 0x100001000 (for 0x0000000080000000) runs past the end of "
		       "its DIMM");
	assert_problem("pud table at 0x80000000 (for 0x0000010000000000) is in a hole");
	assert_int_equal(note_at(0x0, PT_LEVEL_PUD), TABLE);
	assert_int_equal(note_at(0xc0000000, PT_LEVEL_PMD), 0); /* D1's table was walked */
	assert_int_equal(note_at(0x10000000000, PT_LEVEL_PGD), TABLE);
}

/* PS at PML4 level is reserved: reported, not followed, shown without PSE. */
static void test_pse_at_pml4(void **state)
{
	struct pt_walk_cpu c = cpu_default();
	struct pt_walk_result r;

	(void)state;
	memset(d0, 0, D0_SIZE);
	tbl(0)[3] = 1 * PAGE | TABLE | PT_PSE;
	r = walk(&c);
	assert_int_equal(r.tables, 1);
	assert_int_equal(rec->nr_problems, 1);
	assert_problem("pgd entry 0x0000000000001083 (for 0x0000018000000000) has reserved bits "
		       "0x80 set (PS set at PML4 level): not followed");
	assert_int_equal(note_at(0x18000000000, PT_LEVEL_PGD), TABLE);
}

/* 1 GiB leaves: fine with gbpages, reserved without; misaligned ones either way. */
static void test_1g_leaves(void **state)
{
	struct pt_walk_cpu c = cpu_default();

	(void)state;
	memset(d0, 0, D0_SIZE);
	tbl(0)[0] = 1 * PAGE | TABLE;
	tbl(1)[0] = 0x40000000 | PT_PRESENT | PT_RW | PT_PSE;
	walk(&c);
	assert_int_equal(rec->nr_problems, 0);
	assert_int_equal(note_at(0, PT_LEVEL_PUD), PT_PRESENT | PT_RW | PT_PSE);

	c.gbpages = false;
	walk(&c);
	assert_int_equal(rec->nr_problems, 1);
	assert_problem("(1 GiB page but the CPU has no 1 GiB pages)");
	assert_int_equal(note_at(0, PT_LEVEL_PUD), PT_PRESENT | PT_RW | PT_PSE);

	c.gbpages = true;
	tbl(1)[0] = 0x40200000 | PT_PRESENT | PT_RW | PT_PSE; /* 2 MiB aligned only */
	walk(&c);
	assert_problem("reserved bits 0x200000 set (1 GiB page address not 1 GiB aligned)");
}

/* A 2 MiB leaf with an address bit below 2 MiB (other than PAT, bit 12). */
static void test_2m_leaf_misaligned(void **state)
{
	struct pt_walk_cpu c = cpu_default();

	(void)state;
	memset(d0, 0, D0_SIZE);
	tbl(0)[0] = 1 * PAGE | TABLE;
	tbl(1)[0] = 2 * PAGE | TABLE;
	tbl(2)[0] = 0x202000 | PT_PRESENT | PT_RW | PT_PSE;
	tbl(2)[1] = 0x401000 | PT_PRESENT | PT_RW | PT_PSE; /* bit 12 is PAT: fine */
	walk(&c);
	assert_int_equal(rec->nr_problems, 1);
	assert_problem("pmd entry 0x0000000000202083 (for 0x0000000000000000) has reserved bits "
		       "0x2000 set (2 MiB page address not 2 MiB aligned)");
	assert_int_equal(note_at(0x200000, PT_LEVEL_PMD),
			 PT_PRESENT | PT_RW | PT_PSE | PT_PAT_LARGE);
}

/* Address bits at or above MAXPHYADDR, at every level; a table behind them is not read. */
static void test_address_above_maxphyaddr(void **state)
{
	struct pt_walk_cpu c = cpu_default();
	struct pt_walk_result r;

	(void)state;
	memset(d0, 0, D0_SIZE);
	tbl(0)[0] = 1 * PAGE | TABLE;
	tbl(0)[1] = (1ull << 40) | 2 * PAGE | TABLE; /* would be page 2 if the bit were dropped */
	tbl(1)[0] = 3 * PAGE | TABLE;
	tbl(1)[1] = (1ull << 45) | PT_PRESENT | PT_PSE;
	tbl(3)[0] = 4 * PAGE | TABLE;
	tbl(3)[1] = (1ull << 51) | 0x200000 | PT_PRESENT | PT_PSE;
	tbl(4)[0] = (1ull << 41) | PT_PRESENT;
	r = walk(&c);
	assert_int_equal(r.tables, 4); /* page 2 never read */
	assert_int_equal(rec->nr_problems, 4);
	assert_problem("pgd entry 0x0000010000002003 (for 0x0000008000000000) has reserved bits "
		       "0x10000000000 set (address above MAXPHYADDR)");
	assert_problem("pud entry 0x0000200000000081 (for 0x0000000040000000)");
	assert_problem("pmd entry 0x0008000000200081 (for 0x0000000000200000)");
	assert_problem("pte entry 0x0000020000000001 (for 0x0000000000000000)");
	assert_int_equal(note_at(0x8000000000, PT_LEVEL_PGD), TABLE);
	assert_int_equal(note_at(0x0, PT_LEVEL_PTE), PT_PRESENT);
}

/* NX is reserved while EFER.NXE is clear. */
static void test_nx_without_nxe(void **state)
{
	struct pt_walk_cpu c = cpu_default();

	(void)state;
	memset(d0, 0, D0_SIZE);
	tbl(0)[0] = 1 * PAGE | TABLE;
	tbl(1)[0] = 0x40000000 | PT_PRESENT | PT_PSE | PT_NX;
	walk(&c);
	assert_int_equal(rec->nr_problems, 0);
	c.efer &= ~EFER_NXE;
	walk(&c);
	assert_int_equal(rec->nr_problems, 1);
	assert_problem("has reserved bits 0x8000000000000000 set (NX set but EFER.NXE clear)");
}

/* Several reasons in one entry are named in one line. */
static void test_several_reasons_one_line(void **state)
{
	struct pt_walk_cpu c = cpu_default();

	(void)state;
	memset(d0, 0, D0_SIZE);
	c.efer &= ~EFER_NXE;
	tbl(0)[5] = (1ull << 46) | 1 * PAGE | TABLE | PT_PSE | PT_NX;
	walk(&c);
	assert_int_equal(rec->nr_problems, 1);
	assert_problem("(address above MAXPHYADDR, PS set at PML4 level, NX set but EFER.NXE "
		       "clear)");
}

/* 512 bad entries: 64 lines, then one line saying the rest are not shown. */
static void test_problem_lines_capped(void **state)
{
	struct pt_walk_cpu c = cpu_default();
	struct pt_walk_result r;

	(void)state;
	memset(d0, 0, D0_SIZE);
	for (unsigned i = 0; i < PT_ENTRIES; i++)
		tbl(0)[i] = HOLE_ADDR | TABLE;
	r = walk(&c);
	assert_int_equal(r.problems, PT_ENTRIES);
	assert_int_equal(rec->nr_problems, 65);
	assert_string_equal(rec->problems[64],
			    "ptdump: more than 64 problems in this walk: the rest are not shown");
	assert_int_equal(rec->nr_notes, PT_ENTRIES);
}

/*
 * Every PDPT entry points at one PD whose entries all point at one PT:
 * 512 * 512 PT reads. The walk stops reading at PT_WALK_MAX_TABLES, says so
 * once, and still accounts for every address.
 */
static void test_table_budget(void **state)
{
	struct pt_walk_cpu c = cpu_default();
	struct pt_walk_result r;

	(void)state;
	memset(d0, 0, D0_SIZE);
	tbl(0)[0] = 1 * PAGE | TABLE;
	for (unsigned i = 0; i < PT_ENTRIES; i++) {
		tbl(1)[i] = 2 * PAGE | TABLE;
		tbl(2)[i] = 3 * PAGE | TABLE;
	}
	r = walk(&c);
	assert_int_equal(r.tables, PT_WALK_MAX_TABLES);
	assert_int_equal(rec->nr_problems, 1);
	assert_problem("not read: more than 262144 tables in one walk");
	/* Each PT is 512 notes; each PD entry whose PT was not read is one note. */
	assert_true(rec->nr_notes >
		    (unsigned long)(PT_WALK_MAX_TABLES - 2 - PT_ENTRIES) * PT_ENTRIES);
}

/* A PT whose entries alternate RW and ro: 512 runs, cut at the limit. */
static void test_dump_lines_capped(void **state)
{
	struct pt_walk_cpu c = cpu_default();
	char *text, *p;
	unsigned n = 0;

	(void)state;
	memset(d0, 0, D0_SIZE);
	tbl(0)[0] = 1 * PAGE | TABLE;
	tbl(1)[0] = 2 * PAGE | TABLE;
	tbl(2)[0] = 3 * PAGE | TABLE;
	for (unsigned i = 0; i < PT_ENTRIES; i++)
		tbl(3)[i] = i * PAGE | PT_PRESENT | (i & 1 ? PT_RW : 0);
	text = dump_text_max(&c, 10, NULL);
	for (p = text; *p; p++)
		n += *p == '\n';
	assert_int_equal(n, 11);
	/*
	 * 524 lines: User Space, 512 PTE runs, the empty rest of the PD, PDPT
	 * and lower half, then 4 markers each with its run; 10 are written.
	 */
	assert_non_null(strstr(text, "ptdump: 514 more lines not written: the limit of 10 lines "
				     "is reached\n"));
	free(text);
}

/*
 * A guest asking for dumps again and again: at most PTDUMP_MAX_REQUESTS
 * sections, then one line on stderr. (No vCPU here: each section says
 * KVM_GET_SREGS failed, which is also what a dead vCPU gives.)
 */
static void test_requests_capped(void **state)
{
	struct pagetable_dump d;
	char *text = NULL, *dtext = NULL, *p;
	size_t len = 0, dlen = 0;
	struct kvm_vm vm = { .kvm_fd = -1, .vm_fd = -1, .vcpu_fd = -1 };
	unsigned sections = 0;

	(void)state;
	memset(&d, 0, sizeof(d));
	d.out = open_memstream(&text, &len);
	d.diag = open_memstream(&dtext, &dlen);
	assert_non_null(d.out);
	assert_non_null(d.diag);
	d.path = "memory";
	d.mem = &mem;
	d.vm = &vm;
	d.lines_left = PTDUMP_FILE_MAX_LINES;
	for (unsigned i = 0; i < PTDUMP_MAX_REQUESTS + 100; i++)
		pagetable_dump_request(&d, i);
	fclose(d.out);
	fclose(d.diag);
	for (p = text; (p = strstr(p, "# memlab ptdump request ")); p++)
		sections++;
	assert_int_equal(sections, PTDUMP_MAX_REQUESTS);
	assert_non_null(strstr(text, "# memlab ptdump request 1024 tag 0x3ff: "
				     "KVM_GET_SREGS failed"));
	/* Said once. */
	p = strstr(dtext, "more than 1024 dumps");
	assert_non_null(p);
	assert_null(strstr(p + 1, "more than 1024 dumps"));
	assert_non_null(strstr(dtext, "vmm: --dump-pagetables: the guest asked for more than 1024 "
				      "dumps; request 1025 (tag 0x400) and later are ignored\n"));
	free(text);
	free(dtext);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_paging_off),
		cmocka_unit_test(test_not_long_mode),
		cmocka_unit_test(test_la57_not_walked),
		cmocka_unit_test(test_cr3_reserved_bits),
		cmocka_unit_test(test_cr3_in_hole),
		cmocka_unit_test(test_cr3_beyond_ram),
		cmocka_unit_test(test_cr3_low_bits_ignored),
		cmocka_unit_test(test_leaves_at_every_level),
		cmocka_unit_test(test_notes_in_address_order),
		cmocka_unit_test(test_dump_text_of_tree),
		cmocka_unit_test(test_dump_text_of_empty_pml4),
		cmocka_unit_test(test_dump_text_when_not_walked),
		cmocka_unit_test(test_loop_to_self),
		cmocka_unit_test(test_loop_to_ancestor),
		cmocka_unit_test(test_tables_outside_ram),
		cmocka_unit_test(test_pse_at_pml4),
		cmocka_unit_test(test_1g_leaves),
		cmocka_unit_test(test_2m_leaf_misaligned),
		cmocka_unit_test(test_address_above_maxphyaddr),
		cmocka_unit_test(test_nx_without_nxe),
		cmocka_unit_test(test_several_reasons_one_line),
		cmocka_unit_test(test_problem_lines_capped),
		cmocka_unit_test(test_table_budget),
		cmocka_unit_test(test_dump_lines_capped),
		cmocka_unit_test(test_requests_capped),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
