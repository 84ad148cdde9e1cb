// SPDX-License-Identifier: MIT
/*
 * Selftests of the page-table dump: dump the live tables into a buffer,
 * parse the text back, and check it against what head.S and the mm code
 * set up and, line by line, against an independent walk (pgtable_lookup()).
 */
#include "abi/ptdump_markers.h"
#include "asm/page.h"
#include "asm/pgtable.h"
#include "asm/pgtable_types.h"
#include "asm/processor.h"
#include "asm/ptdump.h"
#include "asm/vmemmap.h"
#include "kernel/selftest.h"
#include "kernel/string.h"

#define DUMP_BUF_SIZE 16384
#define MAX_LINES 256
#define SMALL_BUF_SIZE 64

/* Offsets in a dump line (Linux's fixed columns). */
#define FLAGS_LEN 30
#define COL_USR 0
#define COL_RW 4
#define COL_PWT 7
#define COL_PCD 11
#define COL_PSE 15
#define COL_GLB 23
#define COL_NX 27
#define LEVEL_LEN 3
#define UNIT_SHIFT 10

/* One parsed range line, or a marker (name set, the rest unused). */
struct dump_line {
	const char *marker; /* points into the buffer, up to " ]---" */
	unsigned long start, end, size; /* end 0 means the top of the address space */
	char flags[FLAGS_LEN + 1];
	char level[LEVEL_LEN + 1];
};

static char dump_buf[DUMP_BUF_SIZE];
static struct dump_line lines[MAX_LINES];
static unsigned int nr_lines;

/* Parse one range line at @p into @l; returns the next line or NULL if malformed. */
static const char *parse_range(const char *p, struct dump_line *l)
{
	static const char units[] = "BKMGTPE";
	const char *u;

	if (!ptdump_parse_addr(p, &l->start) || p[PTDUMP_ADDR_LEN] != '-' ||
	    !ptdump_parse_addr(p + PTDUMP_ADDR_LEN + 1, &l->end))
		return NULL;
	p += 2 * PTDUMP_ADDR_LEN + 1;
	while (*p == ' ')
		p++;
	l->size = 0;
	while (*p >= '0' && *p <= '9')
		l->size = l->size * 10 + (unsigned long)(*p++ - '0');
	for (u = units; *u && *u != *p; u++)
		l->size <<= UNIT_SHIFT;
	if (!*u || p[1] != ' ')
		return NULL;
	p += 2;
	if (strnlen(p, FLAGS_LEN + LEVEL_LEN + 1) < FLAGS_LEN + LEVEL_LEN + 1 ||
	    p[FLAGS_LEN + LEVEL_LEN] != '\n')
		return NULL;
	memcpy(l->flags, p, FLAGS_LEN);
	l->flags[FLAGS_LEN] = '\0';
	memcpy(l->level, p + FLAGS_LEN, LEVEL_LEN);
	l->level[LEVEL_LEN] = '\0';
	l->marker = NULL;
	return p + FLAGS_LEN + LEVEL_LEN + 1;
}

/* The line after the one at @p (or its terminating NUL). */
static const char *next_line(const char *p)
{
	while (*p && *p != '\n')
		p++;
	return *p ? p + 1 : p;
}

/* Whether marker line @l names @name ("---[ name ]---"). */
static bool marker_is(const struct dump_line *l, const char *name)
{
	size_t n = strlen(name);

	return l->marker && !memcmp(l->marker, name, n) && !memcmp(l->marker + n, " ]---\n", 6);
}

/* Whether range @l is present (a present range always shows RW or ro). */
static bool present(const struct dump_line *l)
{
	return !l->marker && l->flags[COL_RW] != ' ';
}

/* Whether column @col of @l's flags reads @text. */
static bool flag(const struct dump_line *l, unsigned int col, const char *text)
{
	return !memcmp(l->flags + col, text, strlen(text));
}

/* The range line containing @va, or NULL. */
static const struct dump_line *line_at(unsigned long va)
{
	for (unsigned int i = 0; i < nr_lines; i++) {
		const struct dump_line *l = &lines[i];

		if (!l->marker && va >= l->start && (va < l->end || !l->end))
			return l;
	}
	return NULL;
}

/* Dump the live tables and parse them into lines[]; false (and a failed check) if that fails. */
static bool take_dump(struct selftest *t)
{
	struct ptdump_buf out = { .buf = dump_buf, .size = sizeof(dump_buf) };
	const char *p = dump_buf;

	ptdump_walk(read_cr3() & PTE_PFN_MASK, &out);
	if (!EXPECT_FALSE(t, out.truncated) || !EXPECT_EQ(t, strlen(dump_buf), out.len))
		return false;
	nr_lines = 0;
	while (*p) {
		struct dump_line *l = &lines[nr_lines];

		if (!EXPECT_TRUE(t, nr_lines < MAX_LINES))
			return false;
		if (!memcmp(p, "---[ ", 5)) {
			l->marker = p + 5;
			p = next_line(p);
		} else {
			p = parse_range(p, l);
			if (!selftest_check(t, p != NULL, __FILE__, __LINE__,
					    "dump line %u parses", nr_lines))
				return false;
		}
		nr_lines++;
	}
	return EXPECT_TRUE(t, nr_lines > 0);
}

/* [0, 4 GiB) is head.S's identity map: 2 MiB pages, writable, nothing else. */
static void identity_map_is_2m_rw(struct selftest *t)
{
	unsigned long va = 0;

	if (!take_dump(t))
		return;
	while (va < EARLY_IDENT_MAP_SIZE) {
		const struct dump_line *l = line_at(va);

		if (!selftest_check(t, l && present(l) && !strcmp(l->level, "pmd") &&
				       flag(l, COL_RW, "RW") && flag(l, COL_PSE, "PSE") &&
				       flag(l, COL_USR, "   "),
				    __FILE__, __LINE__, "0x%lx: 2 MiB RW line (%s)", va,
				    l ? l->flags : "none"))
			return;
		va = l->end;
	}
	EXPECT_EQ(t, va, EARLY_IDENT_MAP_SIZE);
}

/*
 * The image is mapped at __START_KERNEL_map, after the "High Kernel Mapping"
 * marker; mark_rodata_ro() made its text one read-only, executable run of
 * 4 KiB pages from _text (guest/arch/x86/mm/kernel_image.c).
 */
static void kernel_image_mapped(struct selftest *t)
{
	extern char _text[], _etext[];
	const struct dump_line *l;
	unsigned int i;

	if (!take_dump(t))
		return;
	for (i = 0; i + 1 < nr_lines && !marker_is(&lines[i], "High Kernel Mapping"); i++)
		;
	ASSERT_TRUE(t, i + 1 < nr_lines);
	EXPECT_EQ(t, lines[i + 1].start, __START_KERNEL_map);
	l = line_at((unsigned long)&kernel_image_mapped);
	ASSERT_TRUE(t, l != NULL);
	EXPECT_TRUE(t, present(l));
	EXPECT_EQ(t, l->start, (unsigned long)_text);
	EXPECT_EQ(t, l->end, ((unsigned long)_etext + PAGE_SIZE - 1) & PAGE_MASK);
	EXPECT_TRUE(t, !strcmp(l->level, "pte") && flag(l, COL_RW, "ro") && flag(l, COL_NX, "x "));
}

/* The direct map starts with 4 KiB pages (page 0 is not mapped) and goes on in 2 MiB pages. */
static void direct_map_4k_then_2m(struct selftest *t)
{
	const struct dump_line *l;
	unsigned int i;
	bool large = false;

	if (!take_dump(t))
		return;
	for (i = 0; i + 1 < nr_lines && !marker_is(&lines[i], "Low Kernel Mapping"); i++)
		;
	ASSERT_TRUE(t, i + 1 < nr_lines);
	EXPECT_EQ(t, lines[i + 1].start, PAGE_OFFSET);
	l = line_at(PAGE_OFFSET + PAGE_SIZE);
	ASSERT_TRUE(t, l != NULL);
	EXPECT_TRUE(t, present(l));
	EXPECT_EQ(t, l->start, PAGE_OFFSET + PAGE_SIZE);
	EXPECT_TRUE(t, !strcmp(l->level, "pte") && flag(l, COL_RW, "RW"));
	for (i++; i < nr_lines && !lines[i].marker; i++) {
		l = &lines[i];
		if (present(l) && !strcmp(l->level, "pmd")) {
			large = true;
			EXPECT_TRUE(t, flag(l, COL_PSE, "PSE") && flag(l, COL_RW, "RW"));
			EXPECT_EQ(t, l->start & (PMD_SIZE - 1), 0);
		}
	}
	EXPECT_TRUE(t, large);
}

/* The vmemmap region has its marker and starts with the (writable) struct pages of pfn 0. */
static void vmemmap_mapped(struct selftest *t)
{
	const struct dump_line *l;
	unsigned int i;

	if (!take_dump(t))
		return;
	for (i = 0; i + 1 < nr_lines && !marker_is(&lines[i], "Vmemmap"); i++)
		;
	ASSERT_TRUE(t, i + 1 < nr_lines);
	l = &lines[i + 1];
	EXPECT_EQ(t, l->start, VMEMMAP_START);
	EXPECT_TRUE(t, present(l));
	EXPECT_TRUE(t, flag(l, COL_RW, "RW"));
	/* 2 MiB pages where the memmap chunk allows, 4 KiB pages otherwise (small RAM pieces). */
	EXPECT_TRUE(t, (!strcmp(l->level, "pmd") && flag(l, COL_PSE, "PSE")) ||
			       (!strcmp(l->level, "pte") && flag(l, COL_PSE, "   ")));
}

/* Every size column equals end - start (end 0: the top of the address space). */
static void sizes_match_ranges(struct selftest *t)
{
	if (!take_dump(t))
		return;
	for (unsigned int i = 0; i < nr_lines; i++)
		if (!lines[i].marker)
			EXPECT_EQ(t, lines[i].size, lines[i].end - lines[i].start);
}

/* The ranges tile the whole address space in order: no overlap, no gap. */
static void ranges_sorted_and_contiguous(struct selftest *t)
{
	unsigned long next = 0;
	bool first = true;

	if (!take_dump(t))
		return;
	for (unsigned int i = 0; i < nr_lines; i++) {
		const struct dump_line *l = &lines[i];

		if (l->marker)
			continue;
		EXPECT_EQ(t, l->start, next);
		if (!first)
			EXPECT_NE(t, l->start, 0);
		EXPECT_TRUE(t, l->end > l->start || !l->end);
		next = l->end;
		first = false;
	}
	EXPECT_EQ(t, next, 0);
}

/*
 * The markers come in the shared table's order (shared/ptdump_markers.h,
 * Linux's names), once each, before the first line of their region.
 */
static void markers_in_order(struct selftest *t)
{
	static const struct ptdump_marker table[] = PTDUMP_MARKERS;
	const char *names[ARRAY_SIZE(table)];
	unsigned int m = 0;

	for (unsigned int i = 0; i < ARRAY_SIZE(table); i++)
		names[i] = table[i].name;

	if (!take_dump(t))
		return;
	for (unsigned int i = 0; i < nr_lines; i++) {
		if (!lines[i].marker)
			continue;
		if (!selftest_check(t, m < ARRAY_SIZE(names) && marker_is(&lines[i], names[m]),
				    __FILE__, __LINE__, "marker %u is %s", m,
				    m < ARRAY_SIZE(names) ? names[m] : "(none)"))
			return;
		m++;
	}
	EXPECT_EQ(t, m, ARRAY_SIZE(names));
	EXPECT_TRUE(t, lines[0].marker && marker_is(&lines[0], "User Space"));
}

/* Each line agrees at both ends with pgtable_lookup(), a separate walk. */
static void lines_agree_with_lookup(struct selftest *t)
{
	static const char *const level_of_shift[] = { [PAGE_SHIFT] = "pte", [PMD_SHIFT] = "pmd",
						       [PUD_SHIFT] = "pud" };

	if (!take_dump(t))
		return;
	for (unsigned int i = 0; i < nr_lines; i++) {
		const struct dump_line *l = &lines[i];
		unsigned long probe[2];

		if (l->marker)
			continue;
		probe[0] = l->start;
		probe[1] = l->end - 1;
		for (int j = 0; j < 2; j++) {
			unsigned int shift = 0;
			u64 e = pgtable_lookup(probe[j], &shift);

			EXPECT_EQ(t, !!e, present(l));
			if (!e || !present(l))
				continue;
			EXPECT_TRUE(t, shift < ARRAY_SIZE(level_of_shift) && level_of_shift[shift] &&
					       !strcmp(level_of_shift[shift], l->level));
			EXPECT_EQ(t, !!(e & _PAGE_RW), flag(l, COL_RW, "RW"));
			EXPECT_EQ(t, !!(e & _PAGE_USER), flag(l, COL_USR, "USR"));
			EXPECT_EQ(t, !!(e & _PAGE_PWT), flag(l, COL_PWT, "PWT"));
			EXPECT_EQ(t, !!(e & _PAGE_PCD), flag(l, COL_PCD, "PCD"));
			EXPECT_EQ(t, !!(e & _PAGE_GLOBAL), flag(l, COL_GLB, "GLB"));
			EXPECT_EQ(t, !!(e & _PAGE_NX), flag(l, COL_NX, "NX"));
		}
	}
}

/* A buffer too small for the dump is marked truncated and stays a valid string. */
static void small_buffer_truncates(struct selftest *t)
{
	char small[SMALL_BUF_SIZE];
	struct ptdump_buf out = { .buf = small, .size = sizeof(small) };

	ptdump_walk(read_cr3() & PTE_PFN_MASK, &out);
	EXPECT_TRUE(t, out.truncated);
	EXPECT_TRUE(t, out.len < sizeof(small));
	EXPECT_EQ(t, strnlen(small, sizeof(small)), out.len);
}

static const struct selftest_case ptdump_cases[] = {
	SELFTEST_CASE(identity_map_is_2m_rw),
	SELFTEST_CASE(kernel_image_mapped),
	SELFTEST_CASE(direct_map_4k_then_2m),
	SELFTEST_CASE(vmemmap_mapped),
	SELFTEST_CASE(sizes_match_ranges),
	SELFTEST_CASE(ranges_sorted_and_contiguous),
	SELFTEST_CASE(markers_in_order),
	SELFTEST_CASE(lines_agree_with_lookup),
	SELFTEST_CASE(small_buffer_truncates),
};
SELFTEST_SUITE(ptdump, ptdump_cases);
