// SPDX-License-Identifier: MIT
/*
 * The kernel page-table dump (see asm/ptdump.h), after Linux's
 * arch/x86/mm/dump_pagetables.c: walk from the top table, merge
 * consecutive entries with the same printed flags at the same level into
 * one line, and print a region marker when a line starts past one.
 *
 * Cost: guest instructions are slow here, so a non-present entry is one
 * comparison, large pages are never descended into, and only present
 * table entries are walked. Unlike Linux, runs are merged on the printed
 * flags only (not on the accessed and dirty bits the CPU sets as it goes),
 * so the dump does not depend on what the boot happened to touch.
 */
#include "abi/ports.h"
#include "abi/ptdump_markers.h"
#include "asm/io.h"
#include "asm/page.h"
#include "asm/pgtable_types.h"
#include "asm/processor.h"
#include "asm/ptdump.h"
#include "asm/vmemmap.h"
#include "kernel/cmdline.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "mm/mm_init.h"
#include "mm/page.h"
#include "mm/slab.h"

/* Levels of 4-level paging, top first, as the dump names them. */
enum ptdump_level { LEVEL_PGD, LEVEL_PUD, LEVEL_PMD, LEVEL_PTE, NR_LEVELS };

static const char *const level_name[NR_LEVELS] = { "pgd", "pud", "pmd", "pte" };
static const unsigned int level_shift[NR_LEVELS] = { PGDIR_SHIFT, PUD_SHIFT, PMD_SHIFT,
						     PAGE_SHIFT };

/* Bits above the 48 of a virtual address: copies of bit 47 (canonical form). */
#define VA_BITS 48
#define SIGN_EXTEND_SHIFT (64 - VA_BITS)
#define VA_MASK ((_AC(1, UL) << VA_BITS) - 1)
#define LOWER_HALF_END (_AC(1, UL) << (VA_BITS - 1))
#define UPPER_HALF_START (~VA_MASK | LOWER_HALF_END)

/* The guest's own layout constants must be where the shared markers say. */
_Static_assert(PAGE_OFFSET == PTDUMP_LOW_KERNEL_START, "direct map marker");
_Static_assert(VMEMMAP_START == PTDUMP_VMEMMAP_START, "vmemmap marker");
_Static_assert(__START_KERNEL_map == PTDUMP_HIGH_KERNEL_START, "kernel image marker");

/*
 * In address order; a marker is printed before the first line starting at
 * or past it. Shared with the VMM's --dump-pagetables (shared/ptdump_markers.h).
 */
static const struct ptdump_marker markers[] = PTDUMP_MARKERS;

/* The bits the dump prints; bit 7 is PSE above the PTE level and PAT in a PTE. */
#define PRINTED_BITS (_PAGE_PRESENT | _PAGE_USER | _PAGE_RW | _PAGE_PWT | _PAGE_PCD | \
		      _PAGE_PSE | _PAGE_GLOBAL | _PAGE_NX)
#define PRINTED_BITS_LARGE (PRINTED_BITS | _PAGE_PAT_LARGE)

#define LINE_MAX 128
#define HEX_DIGITS 16
#define DEC_DIGITS_MAX 20 /* 2^64 - 1 */
#define SIZE_WIDTH 9
#define SIZE_UNIT_SHIFT 10

/* The run being accumulated and where it goes. */
struct ptdump_state {
	struct ptdump_buf *out;
	unsigned long start;
	u64 prot; /* printed bits of the run, 0 if not present */
	enum ptdump_level level;
	unsigned int next_marker;
	bool started; /* a run is open */
};

static bool ptdump_requested;
static bool ptdump_host_request; /* ptdump=kernel,request: then ask the VMM too */
static u32 ptdump_host_requests; /* requests made, the tag of the last one */

/* Send @n bytes of finished text at @s (NUL-terminated) to the console or the buffer. */
static void emit(struct ptdump_state *st, const char *s, size_t n)
{
	struct ptdump_buf *out = st->out;

	if (!out) {
		printk("%s", s);
		return;
	}
	if (out->truncated || out->len + n >= out->size) {
		out->truncated = true;
		return;
	}
	memcpy(out->buf + out->len, s, n + 1);
	out->len += n;
}

/*
 * Hand-rolled formatting: vsnprintf() costs thousands of (slow, emulated)
 * guest instructions per line, more than the walk itself.
 */
static char *put_str(char *p, const char *s)
{
	while (*s)
		*p++ = *s++;
	return p;
}

/* "0x" and @v in 16 lower-case hex digits, as %016lx. */
static char *put_hex(char *p, unsigned long v)
{
	static const char digits[] = "0123456789abcdef";

	*p++ = '0';
	*p++ = 'x';
	for (int i = HEX_DIGITS - 1; i >= 0; i--) {
		p[i] = digits[v & 0xf];
		v >>= 4;
	}
	return p + HEX_DIGITS;
}

/* The reverse of put_hex(), for readers of the dump (see asm/ptdump.h). */
bool ptdump_parse_addr(const char *p, unsigned long *val)
{
	unsigned long v = 0;

	if (p[0] != '0' || p[1] != 'x')
		return false;
	for (int i = 2; i < PTDUMP_ADDR_LEN; i++) {
		char c = p[i];

		if (c >= '0' && c <= '9')
			v = v << 4 | (unsigned long)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v = v << 4 | (unsigned long)(c - 'a' + 10);
		else
			return false;
	}
	*val = v;
	return true;
}

/* @v in decimal, right-aligned in @width columns, as %*lu. */
static char *put_dec(char *p, unsigned long v, int width)
{
	char tmp[DEC_DIGITS_MAX];
	int n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (width-- > n)
		*p++ = ' ';
	while (n)
		*p++ = tmp[--n];
	return p;
}

/* The flag columns of a present run, Linux's widths. */
static char *put_flags(char *p, u64 prot, enum ptdump_level level)
{
	bool large = level == LEVEL_PUD || level == LEVEL_PMD;
	bool pat = level == LEVEL_PTE ? prot & _PAGE_PAT : large && (prot & _PAGE_PAT_LARGE);

	p = put_str(p, prot & _PAGE_USER ? "USR " : "    ");
	p = put_str(p, prot & _PAGE_RW ? "RW " : "ro ");
	p = put_str(p, prot & _PAGE_PWT ? "PWT " : "    ");
	p = put_str(p, prot & _PAGE_PCD ? "PCD " : "    ");
	p = put_str(p, large && (prot & _PAGE_PSE) ? "PSE " : "    ");
	p = put_str(p, pat ? "PAT " : "    ");
	p = put_str(p, prot & _PAGE_GLOBAL ? "GLB " : "    ");
	return put_str(p, prot & _PAGE_NX ? "NX " : "x  ");
}

/* Print the run [st->start, @end) (@end 0 means the top of the address space). */
static void print_run(struct ptdump_state *st, unsigned long end)
{
	static const char units[] = "BKMGTPE";
	unsigned long size = end - st->start;
	unsigned int unit = 0;
	char line[LINE_MAX];
	char *p = line;

	while (!(size & ((1ul << SIZE_UNIT_SHIFT) - 1)) && units[unit + 1]) {
		size >>= SIZE_UNIT_SHIFT;
		unit++;
	}
	/* "0x%016lx-0x%016lx   %9lu%c " */
	p = put_hex(p, st->start);
	*p++ = '-';
	p = put_hex(p, end);
	p = put_str(p, "   ");
	p = put_dec(p, size, SIZE_WIDTH);
	*p++ = units[unit];
	*p++ = ' ';
	if (st->prot & _PAGE_PRESENT)
		p = put_flags(p, st->prot, st->level);
	else
		p = put_str(p, "                              "); /* 30 blank flag columns */
	p = put_str(p, level_name[st->level]);
	*p++ = '\n';
	*p = '\0';
	emit(st, line, (size_t)(p - line));
}

/* Print the markers of the regions @addr has reached. */
static void print_markers(struct ptdump_state *st, unsigned long addr)
{
	char line[LINE_MAX];
	char *p;

	while (st->next_marker < ARRAY_SIZE(markers) &&
	       addr >= markers[st->next_marker].start) {
		p = put_str(line, "---[ ");
		p = put_str(p, markers[st->next_marker].name);
		p = put_str(p, " ]---\n");
		*p = '\0';
		emit(st, line, (size_t)(p - line));
		st->next_marker++;
	}
}

/* Account the entry at @addr: extend the run or print it and start a new one. */
static void note(struct ptdump_state *st, unsigned long addr, enum ptdump_level level, u64 prot)
{
	if (!st->started) {
		st->started = true;
		st->start = addr;
		st->prot = prot;
		st->level = level;
		return;
	}
	if (prot == st->prot && level == st->level &&
	    (st->next_marker >= ARRAY_SIZE(markers) || addr < markers[st->next_marker].start))
		return;
	print_run(st, addr);
	print_markers(st, addr);
	st->start = addr;
	st->prot = prot;
	st->level = level;
}

/*
 * The table at @pa: through the direct map when it is lowmem and the
 * direct map is complete (buddy page-table pages above 4 GiB are reachable
 * only there), else through the boot identity map; NULL if out of reach.
 * The same rule as the mapper's (pgtable.c).
 */
static const u64 *table_at(phys_addr_t pa)
{
	if (slab_is_available() && pa < PFN_PHYS(max_low_pfn))
		return __va(pa);
	if (pa >= EARLY_IDENT_MAP_SIZE)
		return NULL;
	return (const u64 *)pa;
}

/* The table an entry points to, or NULL if out of reach. */
static const u64 *entry_table(u64 entry)
{
	return table_at(entry & PTE_PFN_MASK);
}

/* Canonical form of a 48-bit virtual address. */
static unsigned long canonical(unsigned long va)
{
	return (unsigned long)((long)(va << SIGN_EXTEND_SHIFT) >> SIGN_EXTEND_SHIFT);
}

/* What leaf_prot() returns for an entry pointing to a lower table. */
#define NOT_A_LEAF (~0ull)

/*
 * The printed bits of leaf or empty entry @e at @level, or NOT_A_LEAF if
 * @e points to a lower table.
 */
static u64 leaf_prot(u64 e, enum ptdump_level level)
{
	if (!(e & _PAGE_PRESENT))
		return 0;
	if (level == LEVEL_PTE)
		return e & PRINTED_BITS;
	if (level != LEVEL_PGD && (e & _PAGE_PSE))
		return e & PRINTED_BITS_LARGE;
	return NOT_A_LEAF;
}

/*
 * The index in a table mapping from @base with entries of 1 << @shift
 * before which the run must stop: the entry reaching the next marker.
 */
static unsigned int run_limit(const struct ptdump_state *st, unsigned long base,
			      unsigned int shift)
{
	unsigned long span = (unsigned long)PTRS_PER_TABLE << shift;
	unsigned long m, off;

	if (st->next_marker >= ARRAY_SIZE(markers))
		return PTRS_PER_TABLE;
	m = markers[st->next_marker].start;
	/* A marker in the non-canonical hole (Kernel Space) is reached at the upper half. */
	if (m >= LOWER_HALF_END && m < UPPER_HALF_START)
		m = UPPER_HALF_START;
	/* Compare 48-bit linear addresses: the tables see no sign extension. */
	m &= VA_MASK;
	base &= VA_MASK;
	off = m - base;
	if (m < base || off >= span)
		return PTRS_PER_TABLE;
	return (unsigned int)((off + (1ul << shift) - 1) >> shift);
}

/* Note every entry of @table, which maps from @base at @level, descending into tables. */
static void walk_table(struct ptdump_state *st, const u64 *table, unsigned long base,
		       enum ptdump_level level)
{
	unsigned int shift = level_shift[level];
	u64 mask = level == LEVEL_PTE ? PRINTED_BITS : PRINTED_BITS_LARGE;
	unsigned int i = 0, limit;
	const u64 *next;

	while (i < PTRS_PER_TABLE) {
		unsigned long addr = canonical(base + ((unsigned long)i << shift));
		u64 e = table[i];
		u64 prot = leaf_prot(e, level);

		if (prot != NOT_A_LEAF) {
			note(st, addr, level, prot);
			/*
			 * Skip the rest of the run in a tight loop (empty entries
			 * and identical large pages are most of the tables), up to
			 * the entry where the next region starts. One mask test
			 * per entry: @prot has PRESENT and, above the PTE level,
			 * PSE, so a match is a leaf like the first.
			 */
			limit = run_limit(st, addr, shift) + i;
			if (limit > PTRS_PER_TABLE)
				limit = PTRS_PER_TABLE;
			for (i++; i < limit && (table[i] & mask) == prot; i++)
				;
			continue;
		}
		next = entry_table(e);
		if (!next) {
			printk("ptdump: %s table at 0x%llx (for 0x%016lx) is out of reach\n",
			       level_name[level + 1], (unsigned long long)(e & PTE_PFN_MASK), addr);
			note(st, addr, level, e & PRINTED_BITS & ~_PAGE_PSE);
		} else {
			walk_table(st, next, addr, level + 1);
		}
		i++;
	}
}

/* Dump the tables under @pgd_pa (see asm/ptdump.h). */
void ptdump_walk(phys_addr_t pgd_pa, struct ptdump_buf *out)
{
	struct ptdump_state st = { .out = out, .level = LEVEL_PGD };

	if (out) {
		out->len = 0;
		out->truncated = false;
		if (out->size)
			out->buf[0] = '\0';
	}
	print_markers(&st, 0);
	if (pgd_pa & ~PTE_PFN_MASK || !table_at(pgd_pa)) {
		printk("ptdump: top table at 0x%llx is not a page the kernel can reach\n",
		       (unsigned long long)pgd_pa);
		return;
	}
	walk_table(&st, table_at(pgd_pa), 0, LEVEL_PGD);
	/* The last run ends at the top of the address space (printed as 0, wrapped). */
	print_run(&st, 0);
}

/* Parse `ptdump=` (see asm/ptdump.h). */
void ptdump_parse_cmdline(void)
{
	const char *val;

	if (!cmdline_has("ptdump"))
		return;
	val = cmdline_get("ptdump");
	if (val && !strcmp(val, "kernel,request"))
		ptdump_host_request = true;
	else if (!val || strcmp(val, "kernel"))
		bad_boot("ptdump=%s: not a valid setting (ptdump=kernel or ptdump=kernel,request)",
			 val ? val : "");
	ptdump_requested = true;
}

/* Print the live tables if asked (see asm/ptdump.h). */
void ptdump_show(void)
{
	if (!ptdump_requested)
		return;
	ptdump_walk(read_cr3() & PTE_PFN_MASK, NULL);
	if (ptdump_host_request)
		ptdump_request_host_dump();
}

/* Ask the VMM for its dump of the same tables (see asm/ptdump.h). */
void ptdump_request_host_dump(void)
{
	ptdump_host_requests++;
	printk("ptdump: asked the host for a dump (port 0x%x, tag %u)\n", PTDUMP_REQUEST_PORT,
	       ptdump_host_requests);
	outl(ptdump_host_requests, PTDUMP_REQUEST_PORT);
}
