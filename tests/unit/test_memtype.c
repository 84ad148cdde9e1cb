// SPDX-License-Identifier: MIT
/*
 * Host unit tests of the guest's memtype reservations
 * (guest/arch/x86/mm/memtype.c): Linux's messages byte for byte, the
 * conflict rules for non-RAM, one type per RAM page, the MTRR hint, frees,
 * the untracked ISA hole, PAT off, allocation failures, and a random run
 * checked against a page-by-page model.
 *
 * Test doubles: the E820 table (RAM [0, 0x9f000) and [1 MiB, 256 MiB), the
 * rest not RAM), mtrr_type_lookup() answering what the case sets,
 * pat_enabled(), and kmalloc()/kfree() on malloc() with a failure switch.
 *
 *   0     0x9f000  0xa0000     1M                         256M
 *   [ RAM ]        [ ISA hole ] [ RAM ..................... ] [ non-RAM ...
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "asm/memtype.h"
#include "asm/mtrr.h"
#include "asm/page.h"
#include "asm/pat.h"
#include "guest_log.h"
#include "kernel/errno.h"
#include "mm/e820_setup.h"
#include "mm/slab.h"

#define MIB (1ull << 20)
#define RAM_END (256 * MIB)
#define NONRAM (4096 * MIB) /* 4 GiB: above RAM, not in the E820 table */
#define P PAGE_SIZE
#define RANDOM_SEED 777u
#define RANDOM_OPS 20000
#define MODEL_PAGES 64 /* pages of each region the random run works in */
#define MODEL_MAX_ENTRIES 4096

/* ---- test doubles ---- */

struct e820_table e820_table;
static u8 mtrr_answer = MTRR_TYPE_WRBACK;
static bool pat_on = true;
static bool kmalloc_fails;
static unsigned long nr_allocated;

u8 mtrr_type_lookup(u64 start, u64 end, u8 *uniform)
{
	(void)start;
	(void)end;
	*uniform = 1;
	return mtrr_answer;
}

bool pat_enabled(void)
{
	return pat_on;
}

bool slab_is_available(void)
{
	return true;
}

void *kmalloc(size_t size, gfp_t gfp)
{
	void *p;

	(void)gfp;
	if (kmalloc_fails)
		return NULL;
	p = malloc(size);
	assert_non_null(p);
	nr_allocated++;
	return p;
}

void kfree(const void *obj)
{
	if (!obj)
		return;
	nr_allocated--;
	free((void *)obj);
}

/* ---- helpers ---- */

static void add_e820(u64 addr, u64 size, u32 type)
{
	e820_table.entries[e820_table.nr_entries++] = (struct e820_entry){ addr, size, type };
}

static int setup(void **state)
{
	(void)state;
	memset(&e820_table, 0, sizeof(e820_table));
	add_e820(0, 0x9f000, E820_TYPE_RAM);
	add_e820(0x9f000, 0x61000, 2 /* reserved */);
	add_e820(MIB, RAM_END - MIB, E820_TYPE_RAM);
	mtrr_answer = MTRR_TYPE_WRBACK;
	pat_on = true;
	kmalloc_fails = false;
	log_reset();
	return 0;
}

/* Every case must leave nothing reserved and nothing allocated. */
static int teardown(void **state)
{
	(void)state;
	assert_int_equal(memtype_nr_entries(), 0);
	assert_int_equal(nr_allocated, 0);
	return 0;
}

/* ---- cases ---- */

/* WB then UC over part of it: refused with Linux's two lines; new_type gets the WB. */
static void nonram_conflict_messages(void **state)
{
	enum page_cache_mode nt = _PAGE_CACHE_MODE_NUM;

	(void)state;
	assert_int_equal(memtype_reserve(NONRAM, NONRAM + 2 * P, _PAGE_CACHE_MODE_WB, &nt), 0);
	assert_int_equal(nt, _PAGE_CACHE_MODE_WB);
	log_reset();
	assert_int_equal(memtype_reserve(NONRAM + P, NONRAM + 3 * P, _PAGE_CACHE_MODE_UC, NULL),
			 -EBUSY);
	expect_log("x86/PAT: swapper:0 conflicting memory types 100001000-100003000 "
		   "uncached<->write-back\n"
		   "x86/PAT: memtype_reserve failed [mem 0x100001000-0x100002fff], track uncached, "
		   "req uncached\n");
	assert_int_equal(memtype_reserve(NONRAM + P, NONRAM + 3 * P, _PAGE_CACHE_MODE_UC, &nt), 0);
	assert_int_equal(nt, _PAGE_CACHE_MODE_WB);
	assert_int_equal(memtype_lookup(NONRAM + 2 * P), _PAGE_CACHE_MODE_WB);
	assert_int_equal(memtype_lookup(NONRAM + 3 * P), _PAGE_CACHE_MODE_UC_MINUS);
	assert_int_equal(memtype_free(NONRAM + P, NONRAM + 3 * P), 0);
	assert_int_equal(memtype_free(NONRAM, NONRAM + 2 * P), 0);
}

/* The second mismatch, after a first overlap of the same type, names the two existing types. */
static void nonram_two_existing_types(void **state)
{
	enum page_cache_mode nt;

	(void)state;
	assert_int_equal(memtype_reserve(NONRAM, NONRAM + P, _PAGE_CACHE_MODE_WC, NULL), 0);
	assert_int_equal(memtype_reserve(NONRAM + P, NONRAM + 2 * P, _PAGE_CACHE_MODE_UC, NULL), 0);
	log_reset();
	assert_int_equal(memtype_reserve(NONRAM, NONRAM + 2 * P, _PAGE_CACHE_MODE_WT, &nt), -EBUSY);
	expect_log("x86/PAT: swapper:0 conflicting memory types 100000000-100002000 "
		   "write-combining<->uncached\n"
		   "x86/PAT: memtype_reserve failed [mem 0x100000000-0x100001fff], track "
		   "write-through, req write-through\n");
	assert_int_equal(memtype_free(NONRAM, NONRAM + P), 0);
	assert_int_equal(memtype_free(NONRAM + P, NONRAM + 2 * P), 0);
}

/* Frees: exact or tail only; anything else is Linux's "freeing invalid memtype". */
static void nonram_free_rules(void **state)
{
	(void)state;
	assert_int_equal(memtype_free(NONRAM, NONRAM + P), -EINVAL);
	expect_log("x86/PAT: swapper:0 freeing invalid memtype [mem 0x100000000-0x100000fff]\n");
	assert_int_equal(memtype_reserve(NONRAM, NONRAM + 4 * P, _PAGE_CACHE_MODE_WC, NULL), 0);
	assert_int_equal(memtype_free(NONRAM, NONRAM + 2 * P), -EINVAL);
	assert_int_equal(memtype_free(NONRAM + P, NONRAM + 2 * P), -EINVAL);
	assert_int_equal(memtype_free(NONRAM + 2 * P, NONRAM + 4 * P), 0);
	assert_int_equal(memtype_lookup(NONRAM + P), _PAGE_CACHE_MODE_WC);
	assert_int_equal(memtype_lookup(NONRAM + 2 * P), _PAGE_CACHE_MODE_UC_MINUS);
	assert_int_equal(memtype_free(NONRAM, NONRAM + 2 * P), 0);
	assert_int_equal(memtype_free(NONRAM, NONRAM + 2 * P), -EINVAL);
}

/* WB asked becomes UC- where the MTRRs do not say WB (UC, or MTRRs disabled); others stand. */
static void mtrr_hint(void **state)
{
	static const u8 answers[] = { MTRR_TYPE_UNCACHABLE, MTRR_TYPE_INVALID, MTRR_TYPE_WRTHROUGH };
	enum page_cache_mode nt;

	(void)state;
	for (unsigned int i = 0; i < sizeof(answers); i++) {
		mtrr_answer = answers[i];
		assert_int_equal(memtype_reserve(NONRAM, NONRAM + P, _PAGE_CACHE_MODE_WB, &nt), 0);
		assert_int_equal(nt, _PAGE_CACHE_MODE_UC_MINUS);
		assert_int_equal(memtype_lookup(NONRAM), _PAGE_CACHE_MODE_UC_MINUS);
		assert_int_equal(memtype_free(NONRAM, NONRAM + P), 0);
		assert_int_equal(memtype_reserve(NONRAM, NONRAM + P, _PAGE_CACHE_MODE_WC, &nt), 0);
		assert_int_equal(nt, _PAGE_CACHE_MODE_WC);
		assert_int_equal(memtype_free(NONRAM, NONRAM + P), 0);
	}
	/* RAM keeps WB whatever the MTRRs say (Linux: reserve_ram_pages_type() sets it). */
	mtrr_answer = MTRR_TYPE_UNCACHABLE;
	assert_int_equal(memtype_reserve(2 * MIB, 2 * MIB + P, _PAGE_CACHE_MODE_WB, &nt), 0);
	assert_int_equal(nt, _PAGE_CACHE_MODE_WB);
	assert_int_equal(memtype_free(2 * MIB, 2 * MIB + P), 0);
}

/* RAM: one type per page; the failure line is Linux's, with the numeric types. */
static void ram_one_type(void **state)
{
	enum page_cache_mode nt;

	(void)state;
	assert_int_equal(pat_pagerange_is_ram(2 * MIB, 2 * MIB + P), 1);
	assert_int_equal(memtype_reserve(2 * MIB, 2 * MIB + 2 * P, _PAGE_CACHE_MODE_WC, NULL), 0);
	log_reset();
	assert_int_equal(memtype_reserve(2 * MIB + P, 2 * MIB + 3 * P, _PAGE_CACHE_MODE_UC_MINUS,
					 &nt), -EBUSY);
	assert_int_equal(nt, _PAGE_CACHE_MODE_WC);
	expect_log("x86/PAT: reserve_ram_pages_type failed [mem 0x00201000-0x00202fff], "
		   "track 0x1, req 0x2\n");
	assert_int_equal(memtype_lookup(2 * MIB + P), _PAGE_CACHE_MODE_WC);
	assert_int_equal(memtype_lookup(2 * MIB + 2 * P), _PAGE_CACHE_MODE_WB);
	/* A free of more than was reserved is fine for RAM: the pages go back to WB. */
	assert_int_equal(memtype_free(2 * MIB - P, 2 * MIB + 4 * P), 0);
	assert_int_equal(memtype_lookup(2 * MIB), _PAGE_CACHE_MODE_WB);
	/* WP refused, UC downgraded (one warning line, once). */
	assert_int_equal(memtype_reserve(2 * MIB, 2 * MIB + P, _PAGE_CACHE_MODE_WP, &nt), -EINVAL);
	assert_int_equal(nt, _PAGE_CACHE_MODE_UC_MINUS);
	log_reset();
	assert_int_equal(memtype_reserve(2 * MIB, 2 * MIB + P, _PAGE_CACHE_MODE_UC, &nt), 0);
	assert_int_equal(nt, _PAGE_CACHE_MODE_UC_MINUS);
	expect_log("WARNING: x86/PAT: strong UC asked for RAM [mem 0x00200000-0x00200fff], "
		   "UC- used\n");
	assert_int_equal(memtype_lookup(2 * MIB), _PAGE_CACHE_MODE_UC_MINUS);
	assert_int_equal(memtype_free(2 * MIB, 2 * MIB + P), 0);
	log_reset();
	assert_int_equal(memtype_reserve(2 * MIB, 2 * MIB + P, _PAGE_CACHE_MODE_UC, &nt), 0);
	expect_log(""); /* once */
	assert_int_equal(memtype_free(2 * MIB, 2 * MIB + P), 0);
}

/* The first MiB is non-RAM for PAT (Linux), the ISA hole untracked, part-RAM refused. */
static void ram_boundaries(void **state)
{
	enum page_cache_mode nt;

	(void)state;
	assert_int_equal(pat_pagerange_is_ram(0x1000, 0x2000), 0);
	assert_int_equal(pat_pagerange_is_ram(RAM_END - P, RAM_END), 1);
	assert_int_equal(pat_pagerange_is_ram(RAM_END - P, RAM_END + P), -1);
	assert_int_equal(memtype_reserve(RAM_END - P, RAM_END + P, _PAGE_CACHE_MODE_WC, NULL),
			 -EINVAL);
	assert_int_equal(memtype_reserve(0xa0000, 0xc0000, _PAGE_CACHE_MODE_UC, &nt), 0);
	assert_int_equal(nt, _PAGE_CACHE_MODE_WB);
	assert_int_equal(memtype_lookup(0xb0000), _PAGE_CACHE_MODE_WB);
	assert_int_equal(memtype_nr_entries(), 0);
	assert_int_equal(memtype_free(0xa0000, 0xc0000), 0);
	/*
	 * Crossing out of the ISA hole is tracked, and as Linux does it: the RAM
	 * check skips the low MiB, so this is RAM ([1 MiB, 0x110000) is), UC
	 * becomes UC-; the ISA pages still look up WB.
	 */
	assert_int_equal(memtype_reserve(0xf0000, 0x110000, _PAGE_CACHE_MODE_UC, &nt), 0);
	assert_int_equal(nt, _PAGE_CACHE_MODE_UC_MINUS);
	assert_int_equal(memtype_lookup(0x10f000), _PAGE_CACHE_MODE_UC_MINUS);
	assert_int_equal(memtype_lookup(0xf0000), _PAGE_CACHE_MODE_WB);
	assert_int_equal(memtype_free(0xf0000, 0x110000), 0);
	/* RAM below 1 MiB counts as non-RAM: it goes to the list. */
	assert_int_equal(memtype_reserve(0x1000, 0x2000, _PAGE_CACHE_MODE_UC, NULL), 0);
	assert_int_equal(memtype_lookup(0x1000), _PAGE_CACHE_MODE_UC);
	assert_int_equal(memtype_free(0x1000, 0x2000), 0);
}

/* Bad ranges: one line each, -EINVAL, nothing reserved. */
static void bad_ranges(void **state)
{
	(void)state;
	assert_int_equal(memtype_reserve(NONRAM, NONRAM, _PAGE_CACHE_MODE_WB, NULL), -EINVAL);
	expect_log("memtype_reserve failed: [mem 0x100000000-0xffffffff], req write-back\n");
	assert_int_equal(memtype_reserve(NONRAM + P, NONRAM, _PAGE_CACHE_MODE_WB, NULL), -EINVAL);
	assert_int_equal(memtype_reserve(1ull << 52, (1ull << 52) + P, _PAGE_CACHE_MODE_WB, NULL),
			 -EINVAL);
	assert_int_equal(memtype_reserve(~0ull - P, ~0ull, _PAGE_CACHE_MODE_WB, NULL), -EINVAL);
	assert_int_equal(memtype_free(NONRAM + P, NONRAM), -EINVAL);
}

/* Without PAT: granted as asked, nothing tracked, frees always fine. */
static void pat_off(void **state)
{
	enum page_cache_mode nt;

	(void)state;
	pat_on = false;
	assert_int_equal(memtype_reserve(NONRAM, NONRAM + P, _PAGE_CACHE_MODE_WT, &nt), 0);
	assert_int_equal(nt, _PAGE_CACHE_MODE_WT);
	assert_int_equal(memtype_reserve(NONRAM, NONRAM + P, _PAGE_CACHE_MODE_UC, &nt), 0);
	assert_int_equal(memtype_nr_entries(), 0);
	assert_int_equal(memtype_free(NONRAM, NONRAM + P), 0);
}

/* No memory for an entry: -ENOMEM, and nothing changed. */
static void allocation_failure(void **state)
{
	(void)state;
	kmalloc_fails = true;
	assert_int_equal(memtype_reserve(NONRAM, NONRAM + P, _PAGE_CACHE_MODE_WC, NULL), -ENOMEM);
	assert_int_equal(memtype_reserve(2 * MIB, 2 * MIB + P, _PAGE_CACHE_MODE_WC, NULL), -ENOMEM);
	assert_int_equal(memtype_nr_entries(), 0);
	kmalloc_fails = false;
	/* Freeing the middle of a RAM range needs a second entry. */
	assert_int_equal(memtype_reserve(2 * MIB, 2 * MIB + 3 * P, _PAGE_CACHE_MODE_WC, NULL), 0);
	kmalloc_fails = true;
	assert_int_equal(memtype_free(2 * MIB + P, 2 * MIB + 2 * P), -ENOMEM);
	assert_int_equal(memtype_lookup(2 * MIB + P), _PAGE_CACHE_MODE_WC);
	kmalloc_fails = false;
	assert_int_equal(memtype_free(2 * MIB, 2 * MIB + 3 * P), 0);
}

/* pat_memtype_list's format, then the RAM ranges. */
static void show_format(void **state)
{
	(void)state;
	assert_int_equal(memtype_reserve(NONRAM + P, NONRAM + 2 * P, _PAGE_CACHE_MODE_WC, NULL), 0);
	assert_int_equal(memtype_reserve(NONRAM, NONRAM + 2 * P, _PAGE_CACHE_MODE_WC, NULL), 0);
	assert_int_equal(memtype_reserve(2 * MIB, 2 * MIB + P, _PAGE_CACHE_MODE_UC_MINUS, NULL), 0);
	log_reset();
	memtype_show();
	expect_log("PAT memtype list:\n"
		   "PAT: [mem 0x0000000100000000-0x0000000100002000] write-combining\n"
		   "PAT: [mem 0x0000000100001000-0x0000000100002000] write-combining\n"
		   "PAT RAM memtypes:\n"
		   "PAT: [mem 0x0000000000200000-0x0000000000201000] uncached-minus\n");
	assert_int_equal(memtype_free(NONRAM, NONRAM + 2 * P), 0);
	assert_int_equal(memtype_free(NONRAM + P, NONRAM + 2 * P), 0);
	assert_int_equal(memtype_free(2 * MIB, 2 * MIB + P), 0);
}

/* ---- random run against a page-by-page model ---- */

/*
 * The model: RAM pages each have a type (WB default); non-RAM reservations
 * are kept as a plain array, checked by brute force over their pages.
 */
struct model_entry {
	u64 start, end;
	enum page_cache_mode type;
};
static enum page_cache_mode model_ram[MODEL_PAGES];
static struct model_entry model_nonram[MODEL_MAX_ENTRIES];
static unsigned int model_nr;

static unsigned int rnd(unsigned int *seed, unsigned int n)
{
	*seed = *seed * 1103515245u + 12345u;
	return (*seed >> 16) % n;
}

/* What memtype_reserve() must answer for non-RAM [s, e) asking @req (no new_type). */
static int model_nonram_reserve(u64 s, u64 e, enum page_cache_mode req)
{
	for (unsigned int i = 0; i < model_nr; i++)
		if (model_nonram[i].start < e && s < model_nonram[i].end &&
		    model_nonram[i].type != req)
			return -EBUSY;
	model_nonram[model_nr++] = (struct model_entry){ s, e, req };
	return 0;
}

/*
 * memtype_free() of non-RAM [s, e): an exact match first, else the entry
 * ending at @e that starts lowest before @s (the first in the sorted list).
 */
static int model_nonram_free(u64 s, u64 e)
{
	int tail = -1;

	for (unsigned int i = 0; i < model_nr; i++) {
		if (model_nonram[i].start == s && model_nonram[i].end == e) {
			model_nonram[i] = model_nonram[--model_nr];
			return 0;
		}
	}
	for (unsigned int i = 0; i < model_nr; i++)
		if (model_nonram[i].start < s && model_nonram[i].end == e &&
		    (tail < 0 || model_nonram[i].start < model_nonram[tail].start))
			tail = (int)i;
	if (tail < 0)
		return -EINVAL;
	model_nonram[tail].end = s;
	return 0;
}

/* The type memtype_lookup() must give for non-RAM page @pa. */
static enum page_cache_mode model_nonram_lookup(u64 pa)
{
	for (unsigned int i = 0; i < model_nr; i++)
		if (model_nonram[i].start <= pa && pa < model_nonram[i].end)
			return model_nonram[i].type;
	return _PAGE_CACHE_MODE_UC_MINUS;
}

static void random_against_model(void **state)
{
	static const enum page_cache_mode types[] = {
		_PAGE_CACHE_MODE_WB, _PAGE_CACHE_MODE_WC, _PAGE_CACHE_MODE_UC_MINUS,
		_PAGE_CACHE_MODE_WT,
	};
	const u64 ram = 8 * MIB;
	unsigned int seed = RANDOM_SEED;

	(void)state;
	for (unsigned int i = 0; i < MODEL_PAGES; i++)
		model_ram[i] = _PAGE_CACHE_MODE_WB;
	model_nr = 0;
	for (unsigned int op = 0; op < RANDOM_OPS; op++) {
		unsigned int a = rnd(&seed, MODEL_PAGES), n = 1 + rnd(&seed, 4);
		enum page_cache_mode t = types[rnd(&seed, 4)];
		bool is_ram = rnd(&seed, 2);
		bool reserve = rnd(&seed, 2) || (!is_ram && !model_nr);
		u64 base = is_ram ? ram : NONRAM;
		int want = 0, got;

		if (a + n > MODEL_PAGES)
			n = MODEL_PAGES - a;
		log_reset();
		if (is_ram && reserve) {
			for (unsigned int p = a; p < a + n; p++)
				if (model_ram[p] != _PAGE_CACHE_MODE_WB)
					want = -EBUSY;
			if (!want)
				for (unsigned int p = a; p < a + n; p++)
					model_ram[p] = t;
			got = memtype_reserve(base + a * P, base + (a + n) * P, t, NULL);
		} else if (is_ram) {
			for (unsigned int p = a; p < a + n; p++)
				model_ram[p] = _PAGE_CACHE_MODE_WB;
			got = memtype_free(base + a * P, base + (a + n) * P);
		} else if (reserve) {
			if (model_nr == MODEL_MAX_ENTRIES)
				continue;
			want = model_nonram_reserve(base + a * P, base + (a + n) * P, t);
			got = memtype_reserve(base + a * P, base + (a + n) * P, t, NULL);
		} else {
			/* Free an existing entry (or its tail) most of the time, a wild range else. */
			if (rnd(&seed, 4)) {
				const struct model_entry *m = &model_nonram[rnd(&seed, model_nr)];
				u64 pages = (m->end - m->start) / P;
				u64 cut = rnd(&seed, 2) ? rnd(&seed, (unsigned int)pages) : 0;

				a = (unsigned int)((m->start - base) / P + cut);
				n = (unsigned int)(pages - cut);
			}
			want = model_nonram_free(base + a * P, base + (a + n) * P);
			got = memtype_free(base + a * P, base + (a + n) * P);
		}
		if (got != want)
			fail_msg("op %u: %s %s [%u, +%u) type %d: got %d, want %d", op,
				 reserve ? "reserve" : "free", is_ram ? "RAM" : "non-RAM", a, n, t,
				 got, want);
		for (unsigned int p = 0; p < MODEL_PAGES; p++) {
			assert_int_equal(memtype_lookup(ram + p * P), model_ram[p]);
			assert_int_equal(memtype_lookup(NONRAM + p * P),
					 model_nonram_lookup(NONRAM + p * P));
		}
	}
	/* Give everything back so the teardown finds nothing. */
	while (model_nr) {
		struct model_entry m = model_nonram[model_nr - 1];

		assert_int_equal(memtype_free(m.start, m.end), 0);
		model_nr--;
	}
	assert_int_equal(memtype_free(ram, ram + MODEL_PAGES * P), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(nonram_conflict_messages, setup, teardown),
		cmocka_unit_test_setup_teardown(nonram_two_existing_types, setup, teardown),
		cmocka_unit_test_setup_teardown(nonram_free_rules, setup, teardown),
		cmocka_unit_test_setup_teardown(mtrr_hint, setup, teardown),
		cmocka_unit_test_setup_teardown(ram_one_type, setup, teardown),
		cmocka_unit_test_setup_teardown(ram_boundaries, setup, teardown),
		cmocka_unit_test_setup_teardown(bad_ranges, setup, teardown),
		cmocka_unit_test_setup_teardown(pat_off, setup, teardown),
		cmocka_unit_test_setup_teardown(allocation_failure, setup, teardown),
		cmocka_unit_test_setup_teardown(show_format, setup, teardown),
		cmocka_unit_test_setup_teardown(random_against_model, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
