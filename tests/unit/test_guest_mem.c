/* SPDX-License-Identifier: MIT */
/*
 * Guest RAM lookups at every edge, and real mappings. The fake layout
 * (malloc'ed backing, tiny DIMMs) used by the lookup tests:
 *
 *   0x0    0x1000      0x3000      0x5000  0x6000            2^64-0x1000  2^64
 *   +------+-----------+-----------+-------+------ ... -------+------------+
 *   | D0   |   hole    |    D1     |  D2   |      hole        |     D3     |
 *   +------+-----------+-----------+-------+------ ... -------+------------+
 *                                  ^ D1 and D2 touch: two DIMMs, no hole
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../../vmm/guest_mem.h"

#define PAGE 0x1000ull
#define TOP_BASE (0ull - PAGE) /* D3 ends exactly at 2^64 */
#define NR_FAKE 4

/* Many-DIMM layout for the binary search test. */
#define MANY_DIMMS 100
#define MANY_ARENA (MANY_DIMMS * 4 * PAGE)

static const struct {
	uint64_t gpa, size;
} fake_layout[NR_FAKE] = {
	{ 0x0, PAGE },
	{ 0x3000, 2 * PAGE },
	{ 0x5000, PAGE },
	{ TOP_BASE, PAGE },
};

/* A guest_mem over malloc'ed buffers, for lookups without mmap. */
struct fake {
	struct guest_mem mem;
	struct guest_dimm d[NR_FAKE];
};

/* Build the fake layout above; each DIMM gets its own exactly-sized buffer. */
static int fake_setup(void **state)
{
	struct fake *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	for (unsigned i = 0; i < NR_FAKE; i++) {
		f->d[i].gpa = fake_layout[i].gpa;
		f->d[i].size = fake_layout[i].size;
		f->d[i].slot = i;
		f->d[i].hva = malloc(fake_layout[i].size);
		if (!f->d[i].hva)
			return -1;
	}
	f->mem.dimms = f->d;
	f->mem.nr = NR_FAKE;
	*state = f;
	return 0;
}

/* Free the fake layout's buffers. */
static int fake_teardown(void **state)
{
	struct fake *f = *state;

	for (unsigned i = 0; i < NR_FAKE; i++)
		free(f->d[i].hva);
	free(f);
	return 0;
}

/* The fake layout's guest_mem from the cmocka state. */
static struct guest_mem *fake_mem(void **state)
{
	return &((struct fake *)*state)->mem;
}

static void test_find_first_and_last_byte_of_each_dimm(void **state)
{
	struct guest_mem *m = fake_mem(state);

	for (unsigned i = 0; i < NR_FAKE; i++) {
		uint64_t first = m->dimms[i].gpa, last = first + m->dimms[i].size - 1;

		assert_ptr_equal(guest_mem_find(m, first), &m->dimms[i]);
		assert_ptr_equal(guest_mem_find(m, last), &m->dimms[i]);
	}
}

static void test_find_in_holes_returns_null(void **state)
{
	struct guest_mem *m = fake_mem(state);

	assert_null(guest_mem_find(m, 0x1000));          /* just after D0 */
	assert_null(guest_mem_find(m, 0x2fff));          /* just before D1 */
	assert_null(guest_mem_find(m, 0x6000));          /* just after D2 */
	assert_null(guest_mem_find(m, 1ull << 32));      /* the big hole */
	assert_null(guest_mem_find(m, TOP_BASE - 1));    /* just below D3 */
	/* D1 and D2 touch: the boundary byte belongs to D2, the one before to D1. */
	assert_ptr_equal(guest_mem_find(m, 0x4fff), &m->dimms[1]);
	assert_ptr_equal(guest_mem_find(m, 0x5000), &m->dimms[2]);
}

static void test_find_below_first_dimm_returns_null(void **state)
{
	struct guest_dimm d = { .gpa = 0x10000, .size = PAGE };
	struct guest_mem m = { .dimms = &d, .nr = 1 };

	(void)state;
	assert_null(guest_mem_find(&m, 0));
	assert_null(guest_mem_find(&m, 0xffff));
	assert_ptr_equal(guest_mem_find(&m, 0x10000), &d);
	assert_null(guest_mem_find(&m, 0x11000));
}

static void test_empty_mem_has_nothing(void **state)
{
	struct guest_mem m = { .dimms = NULL, .nr = 0 };

	(void)state;
	assert_null(guest_mem_find(&m, 0));
	assert_null(guest_mem_find(&m, UINT64_MAX));
	assert_null(guest_mem_ptr(&m, 0, 1));
	assert_null(guest_mem_ptr(&m, 0, 0));
}

static void test_ptr_is_hva_plus_offset(void **state)
{
	struct guest_mem *m = fake_mem(state);
	uint8_t *d1 = m->dimms[1].hva;

	assert_ptr_equal(guest_mem_ptr(m, 0x3000, 2 * PAGE), d1);
	assert_ptr_equal(guest_mem_ptr(m, 0x3001, 2 * PAGE - 1), d1 + 1);
	assert_ptr_equal(guest_mem_ptr(m, 0x4fff, 1), d1 + 2 * PAGE - 1);
	assert_ptr_equal(guest_mem_ptr(m, 0x0, PAGE), m->dimms[0].hva);
}

static void test_ptr_one_byte_past_end_is_null(void **state)
{
	struct guest_mem *m = fake_mem(state);

	assert_null(guest_mem_ptr(m, 0x0, PAGE + 1));
	assert_null(guest_mem_ptr(m, 0x3000, 2 * PAGE + 1));
	assert_null(guest_mem_ptr(m, 0x5fff, 2));
	assert_null(guest_mem_ptr(m, 0x1000, 1)); /* first byte of a hole */
}

static void test_ptr_len_zero_counts_as_one_byte(void **state)
{
	struct guest_mem *m = fake_mem(state);

	assert_ptr_equal(guest_mem_ptr(m, 0xfff, 0), (uint8_t *)m->dimms[0].hva + 0xfff);
	assert_null(guest_mem_ptr(m, 0x1000, 0));
	assert_null(guest_mem_ptr(m, 0x2fff, 0));
	assert_ptr_equal(guest_mem_ptr(m, 0x3000, 0), m->dimms[1].hva);
}

static void test_ptr_range_across_hole_is_null(void **state)
{
	struct guest_mem *m = fake_mem(state);

	assert_null(guest_mem_ptr(m, 0xfff, 0x2002)); /* D0 .. hole .. D1 */
	assert_null(guest_mem_ptr(m, 0x0, 0x6000));   /* every low DIMM and the hole */
}

static void test_ptr_range_across_touching_dimms_is_null(void **state)
{
	struct guest_mem *m = fake_mem(state);

	/* D1 and D2 are contiguous in GPA space but separate host mappings. */
	assert_null(guest_mem_ptr(m, 0x4fff, 2));
	assert_null(guest_mem_ptr(m, 0x3000, 3 * PAGE));
}

static void test_ptr_huge_len_is_null(void **state)
{
	struct guest_mem *m = fake_mem(state);

	for (unsigned i = 0; i < NR_FAKE; i++) {
		assert_null(guest_mem_ptr(m, m->dimms[i].gpa, UINT64_MAX));
		assert_null(guest_mem_ptr(m, m->dimms[i].gpa, 1ull << 63));
		assert_null(guest_mem_ptr(m, m->dimms[i].gpa, m->dimms[i].size + 1));
	}
}

static void test_ptr_wrapping_range_is_null(void **state)
{
	struct guest_mem *m = fake_mem(state);

	/* gpa + len wraps around 2^64 back into D1: must not be taken as inside. */
	assert_null(guest_mem_ptr(m, 0x3001, UINT64_MAX));
	assert_null(guest_mem_ptr(m, 0x3010, 0ull - 0x8));
	/* From D3 at the top, a wrap lands on D0. */
	assert_null(guest_mem_ptr(m, UINT64_MAX, 2));
	assert_null(guest_mem_ptr(m, TOP_BASE, PAGE + 1));
}

static void test_ptr_at_top_of_address_space(void **state)
{
	struct guest_mem *m = fake_mem(state);
	uint8_t *d3 = m->dimms[3].hva;

	assert_ptr_equal(guest_mem_ptr(m, UINT64_MAX, 1), d3 + PAGE - 1);
	assert_ptr_equal(guest_mem_ptr(m, UINT64_MAX, 0), d3 + PAGE - 1);
	assert_ptr_equal(guest_mem_ptr(m, TOP_BASE, PAGE), d3);
	assert_null(guest_mem_ptr(m, UINT64_MAX, UINT64_MAX));
	assert_ptr_equal(guest_mem_find(m, UINT64_MAX), &m->dimms[3]);
}

/* The reference: a linear scan written the obvious way. */
static const struct guest_dimm *linear_find(const struct guest_mem *m, uint64_t gpa)
{
	for (unsigned i = 0; i < m->nr; i++)
		if (gpa >= m->dimms[i].gpa && gpa - m->dimms[i].gpa < m->dimms[i].size)
			return &m->dimms[i];
	return NULL;
}

static void test_binary_search_matches_linear_scan(void **state)
{
	struct guest_dimm d[MANY_DIMMS];
	struct guest_mem m = { .dimms = d, .nr = MANY_DIMMS };
	uint8_t *arena = malloc(MANY_ARENA);
	uint64_t gpa = PAGE, seed = 12345, used = 0;

	(void)state;
	assert_non_null(arena);
	/* Sizes of 1..4 pages, gaps of 0..3 pages: touching DIMMs and holes mixed. */
	for (unsigned i = 0; i < MANY_DIMMS; i++) {
		seed = seed * 6364136223846793005ull + 1442695040888963407ull;
		d[i].gpa = gpa;
		d[i].size = ((seed >> 33) % 4 + 1) * PAGE;
		d[i].hva = arena + used;
		d[i].slot = i;
		used += d[i].size;
		gpa += d[i].size + ((seed >> 40) % 4) * PAGE;
	}
	for (unsigned i = 0; i < MANY_DIMMS; i++) {
		const uint64_t probes[] = { d[i].gpa - 1, d[i].gpa, d[i].gpa + 1,
					    d[i].gpa + d[i].size - 1, d[i].gpa + d[i].size };

		for (unsigned k = 0; k < sizeof(probes) / sizeof(probes[0]); k++) {
			const struct guest_dimm *want = linear_find(&m, probes[k]);

			assert_ptr_equal(guest_mem_find(&m, probes[k]), want);
			if (want)
				assert_ptr_equal(guest_mem_ptr(&m, probes[k], 1),
						 want->hva + (probes[k] - want->gpa));
			else
				assert_null(guest_mem_ptr(&m, probes[k], 1));
		}
		/* The whole DIMM, and one byte more. */
		assert_ptr_equal(guest_mem_ptr(&m, d[i].gpa, d[i].size), d[i].hva);
		assert_null(guest_mem_ptr(&m, d[i].gpa, d[i].size + 1));
	}
	assert_null(guest_mem_find(&m, 0));
	assert_null(guest_mem_find(&m, gpa + PAGE * 8));
	free(arena);
}

/* ------------------------------------------------------------ real mappings */

static void test_map_sorts_slots_by_address_and_is_writable(void **state)
{
	/* Given out of order, as the command line may. */
	const struct dimm dimms[] = {
		{ .base = 1ull << 20, .size = 16 * PAGE },
		{ .base = 0, .size = 16 * PAGE },
		{ .base = 4ull << 30, .size = 32 * PAGE },
	};
	const uint64_t want_gpa[] = { 0, 1ull << 20, 4ull << 30 };
	struct guest_mem m;
	struct vmm_err err = { "" };

	(void)state;
	assert_int_equal(guest_mem_map(&m, dimms, 3, &err), 0);
	assert_int_equal(m.nr, 3);
	for (unsigned i = 0; i < 3; i++) {
		const struct guest_dimm *g = &m.dimms[i];
		uint8_t *p;

		assert_int_equal(g->gpa, want_gpa[i]);
		assert_int_equal(g->slot, i);
		assert_non_null(g->hva);
		p = guest_mem_ptr(&m, g->gpa, g->size);
		assert_ptr_equal(p, g->hva);
		/* Fresh anonymous memory reads as zero, then holds what is written. */
		for (uint64_t o = 0; o < g->size; o += PAGE)
			assert_int_equal(p[o], 0);
		memset(p, 0x40 + i, g->size);
	}
	/* Each DIMM has its own mapping: writes to one never show in another. */
	for (unsigned i = 0; i < 3; i++) {
		const uint8_t *p = guest_mem_ptr(&m, want_gpa[i], m.dimms[i].size);

		assert_int_equal(p[0], 0x40 + i);
		assert_int_equal(p[m.dimms[i].size - 1], 0x40 + i);
	}
	assert_int_equal(m.dimms[2].size, 32 * PAGE);
	guest_mem_unmap(&m);
	assert_null(m.dimms);
	assert_int_equal(m.nr, 0);
}

static void test_map_dimm_ending_at_2_64(void **state)
{
	const struct dimm d = { .base = TOP_BASE, .size = PAGE };
	struct guest_mem m;
	struct vmm_err err = { "" };
	uint8_t *p;

	(void)state;
	assert_int_equal(guest_mem_map(&m, &d, 1, &err), 0);
	p = guest_mem_ptr(&m, UINT64_MAX, 1);
	assert_non_null(p);
	*p = 7;
	assert_int_equal(*(uint8_t *)guest_mem_ptr(&m, TOP_BASE + PAGE - 1, 0), 7);
	guest_mem_unmap(&m);
}

static void test_map_failure_names_dimm_and_strerror(void **state)
{
	/* The second DIMM is larger than any x86-64 user address space. */
	const struct dimm dimms[] = {
		{ .base = 0, .size = 16 * PAGE },
		{ .base = 1ull << 40, .size = 1ull << 56 },
	};
	const char *prefix = "cannot map DIMM 65536T@0x10000000000: ", *why;
	struct guest_mem m;
	struct vmm_err err = { "" };

	(void)state;
	assert_int_equal(guest_mem_map(&m, dimms, 2, &err), -1);
	print_message("# refusal: %s\n", err.msg);
	assert_int_equal(strncmp(err.msg, prefix, strlen(prefix)), 0);
	/* The kernel says ENOMEM; valgrind's mmap says EINVAL. Either is strerror's text. */
	why = err.msg + strlen(prefix);
	if (strcmp(why, strerror(ENOMEM)) != 0 && strcmp(why, strerror(EINVAL)) != 0)
		fail_msg("not a strerror text: '%s'", why);
	/* The first DIMM's mapping and the descriptors are gone: nothing to unmap. */
	assert_null(m.dimms);
	assert_int_equal(m.nr, 0);
	guest_mem_unmap(&m);
}

static void test_map_refuses_overlapping_dimms(void **state)
{
	const struct dimm dimms[] = {
		{ .base = 0x2000, .size = 2 * PAGE },
		{ .base = 0, .size = 3 * PAGE },
	};
	struct guest_mem m;
	struct vmm_err err = { "" };

	(void)state;
	assert_int_equal(guest_mem_map(&m, dimms, 2, &err), -1);
	assert_string_equal(err.msg, "cannot map DIMM 8K@0x2000: overlaps the DIMM below it");
	assert_null(m.dimms);
}

static void test_map_refuses_same_base_twice(void **state)
{
	const struct dimm dimms[] = {
		{ .base = 0x10000, .size = PAGE },
		{ .base = 0x10000, .size = PAGE },
	};
	struct guest_mem m;
	struct vmm_err err = { "" };

	(void)state;
	assert_int_equal(guest_mem_map(&m, dimms, 2, &err), -1);
	assert_non_null(strstr(err.msg, "4K@0x10000: overlaps"));
}

static void test_map_refuses_zero_size_and_wrap(void **state)
{
	const struct dimm zero = { .base = 0x1000, .size = 0 };
	const struct dimm wrap = { .base = TOP_BASE, .size = 2 * PAGE };
	struct guest_mem m;
	struct vmm_err err = { "" };

	(void)state;
	assert_int_equal(guest_mem_map(&m, &zero, 1, &err), -1);
	assert_string_equal(err.msg, "cannot map DIMM 0@0x1000: empty or wraps around 2^64");
	assert_int_equal(guest_mem_map(&m, &wrap, 1, &err), -1);
	assert_string_equal(err.msg,
			    "cannot map DIMM 8K@0xfffffffffffff000: empty or wraps around 2^64");
	assert_null(m.dimms);
}

static void test_map_refuses_no_dimms(void **state)
{
	struct guest_mem m;
	struct vmm_err err = { "" };

	(void)state;
	assert_int_equal(guest_mem_map(&m, NULL, 0, &err), -1);
	assert_string_equal(err.msg, "no DIMMs to map");
	assert_int_equal(m.nr, 0);
}

static void test_unmap_is_idempotent(void **state)
{
	const struct dimm d = { .base = 0, .size = 4 * PAGE };
	struct guest_mem m, zeroed = { .dimms = NULL, .nr = 0 };
	struct vmm_err err = { "" };

	(void)state;
	assert_int_equal(guest_mem_map(&m, &d, 1, &err), 0);
	guest_mem_unmap(&m);
	guest_mem_unmap(&m);
	assert_null(m.dimms);
	assert_null(guest_mem_ptr(&m, 0, 1));
	guest_mem_unmap(&zeroed);
	guest_mem_unmap(NULL);
	/* And the memory can be mapped again afterwards. */
	assert_int_equal(guest_mem_map(&m, &d, 1, &err), 0);
	assert_non_null(guest_mem_ptr(&m, 0, 4 * PAGE));
	guest_mem_unmap(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_find_first_and_last_byte_of_each_dimm,
						fake_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_find_in_holes_returns_null, fake_setup,
						fake_teardown),
		cmocka_unit_test(test_find_below_first_dimm_returns_null),
		cmocka_unit_test(test_empty_mem_has_nothing),
		cmocka_unit_test_setup_teardown(test_ptr_is_hva_plus_offset, fake_setup,
						fake_teardown),
		cmocka_unit_test_setup_teardown(test_ptr_one_byte_past_end_is_null, fake_setup,
						fake_teardown),
		cmocka_unit_test_setup_teardown(test_ptr_len_zero_counts_as_one_byte, fake_setup,
						fake_teardown),
		cmocka_unit_test_setup_teardown(test_ptr_range_across_hole_is_null, fake_setup,
						fake_teardown),
		cmocka_unit_test_setup_teardown(test_ptr_range_across_touching_dimms_is_null,
						fake_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_ptr_huge_len_is_null, fake_setup,
						fake_teardown),
		cmocka_unit_test_setup_teardown(test_ptr_wrapping_range_is_null, fake_setup,
						fake_teardown),
		cmocka_unit_test_setup_teardown(test_ptr_at_top_of_address_space, fake_setup,
						fake_teardown),
		cmocka_unit_test(test_binary_search_matches_linear_scan),
		cmocka_unit_test(test_map_sorts_slots_by_address_and_is_writable),
		cmocka_unit_test(test_map_dimm_ending_at_2_64),
		cmocka_unit_test(test_map_failure_names_dimm_and_strerror),
		cmocka_unit_test(test_map_refuses_overlapping_dimms),
		cmocka_unit_test(test_map_refuses_same_base_twice),
		cmocka_unit_test(test_map_refuses_zero_size_and_wrap),
		cmocka_unit_test(test_map_refuses_no_dimms),
		cmocka_unit_test(test_unmap_is_idempotent),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
