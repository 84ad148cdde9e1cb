// SPDX-License-Identifier: MIT
/*
 * Host unit tests of the guest's highmem mappings (guest/mm/highmem.c):
 * kmap()/kunmap() and the pkmap pool, page_address() of kmapped pages,
 * kmap_local_page()/kunmap_local() and their checks, the fault describer
 * and the kmap_local_debug parameter.
 *
 * Test doubles stand in for the arch and mm below it: the pkmap window's
 * page table and the fixmap slots are plain arrays (highmem.c writes PTEs
 * straight into them), TLB flushes are counted, panic() and bad_boot()
 * jump back into the test, the struct page array is a static one with
 * lowmem below LOW_PFNS.
 *
 * The random case drives a model: every user of every page is tracked, and
 * after each operation the pool must agree with it (pkmap_count = users + 1
 * or 1 or 0, PTE present exactly when the count is not 0, pointing at its
 * page, page_address() finding it) and no entry may be reused for another
 * page while a TLB could still hold its old translation (a cleared PTE
 * must see a full flush before it is set again).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asm/fault.h"
#include "asm/fixmap.h"
#include "asm/pgtable.h"
#include "asm/pgtable_types.h"
#include "guest_log.h"
#include "kernel/cmdline.h"
#include "kernel/errno.h"
#include "kernel/panic.h"
#include "kernel/sprintf.h"
#include "mm/highmem.h"
#include "mm/mm_init.h"
#include "mm/slab.h"

#define LOW_PFNS 64
#define HIGH_PFNS 1536 /* three pools' worth */
#define NR_PFNS (LOW_PFNS + HIGH_PFNS)
#define FAKE_DIRECT_MAP PAGE_OFFSET /* the double's lowmem: its direct-map addresses */
#define KMAP_PROT (_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY | _PAGE_NX)
#define SINGLE_FLUSH_CEILING 33 /* pages: above this a range flush is a full one */
#define RANDOM_SEED 4242u
#define RANDOM_OPS 60000
#define RANDOM_PAGES 700 /* more than LAST_PKMAP, so the pool can fill */
#define MAX_USERS 3

/* ---- test doubles ---- */

static struct page pages[NR_PFNS];
struct page *vmemmap = pages;
unsigned long max_low_pfn = LOW_PFNS;
unsigned long max_pfn = NR_PFNS;
unsigned long nr_tlb_flush_all;

static u64 pkmap_table[PTRS_PER_TABLE];
static u64 fixmap_table[NR_FIX_SLOTS]; /* [NR_FIX_SLOTS - 1 - idx] is slot idx, as fixmap.c */
static bool fixmap_inited;
static fault_describer_fn describer;
static unsigned long nr_invlpg, last_invlpg;
static const char *cmdline_value;
static jmp_buf panic_jmp;
static bool panic_armed;
static char panic_msg[256];

void fixmap_init(void)
{
	fixmap_inited = true;
}

bool fixmap_ready(void)
{
	return fixmap_inited;
}

u64 *fixmap_pte(unsigned int idx)
{
	assert_true(idx < NR_FIX_SLOTS);
	return &fixmap_table[NR_FIX_SLOTS - 1 - idx];
}

u64 *pgtable_pte_alloc(unsigned long va)
{
	assert_int_equal(va, PKMAP_BASE);
	return pkmap_table;
}

u64 pgtable_prot_kernel_data(void)
{
	return KMAP_PROT;
}

/* The model's TLB: entries cleared since the last full flush may still be cached. */
static bool tlb_may_hold[LAST_PKMAP];

void flush_tlb_all(void)
{
	nr_tlb_flush_all++;
	memset(tlb_may_hold, 0, sizeof(tlb_may_hold));
}

void flush_tlb_one_kernel(unsigned long va)
{
	nr_invlpg++;
	last_invlpg = va;
}

void flush_tlb_kernel_range(unsigned long start, unsigned long end)
{
	if ((end - start) >> PAGE_SHIFT > SINGLE_FLUSH_CEILING) {
		flush_tlb_all();
		return;
	}
	for (unsigned long va = start; va < end; va += PAGE_SIZE)
		flush_tlb_one_kernel(va);
}

void fault_register_describer(fault_describer_fn fn)
{
	describer = fn;
}

const char *cmdline_get(const char *key)
{
	assert_string_equal(key, "kmap_local_debug");
	return cmdline_value;
}

/* As physmem.c: the direct map for lowmem, the pkmap address (or NULL) above. */
void *page_address(const struct page *page)
{
	unsigned long pfn = page_to_pfn(page);

	if (pfn >= max_low_pfn)
		return kmap_high_page_address(page);
	return (void *)(FAKE_DIRECT_MAP + pfn * PAGE_SIZE);
}

static void __noreturn jump_back(const char *fmt, va_list args)
{
	vsnprintf(panic_msg, sizeof(panic_msg), fmt, args);
	if (!panic_armed)
		fail_msg("unexpected panic: %s", panic_msg);
	panic_armed = false;
	longjmp(panic_jmp, 1);
}

void panic(const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	jump_back(fmt, args);
}

void bad_boot(const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	jump_back(fmt, args);
}

/* Run @stmt expecting a panic or bad_boot; true if it came. */
#define EXPECT_PANIC(stmt)                          \
	({                                          \
		bool came = false;                  \
		panic_armed = true;                 \
		if (setjmp(panic_jmp) == 0)         \
			stmt;                       \
		else                                \
			came = true;                \
		panic_armed = false;                \
		came;                               \
	})

/* ---- helpers ---- */

static struct page *high(unsigned int i)
{
	return &pages[LOW_PFNS + i];
}

static unsigned long pte_pfn(u64 pte)
{
	return (unsigned long)((pte & PTE_PFN_MASK) >> PAGE_SHIFT);
}

static u64 *kmap_local_pte(unsigned int slot)
{
	return fixmap_pte(FIX_KMAP_BEGIN + slot);
}

static bool has(const char *s, const char *needle)
{
	return s && strstr(s, needle);
}

/* kmap_init() once; every case then starts with an empty pool and stack. */
static int setup(void **state)
{
	static bool inited;

	(void)state;
	if (!inited) {
		kmap_init();
		inited = true;
	}
	kmap_flush_unused();
	assert_int_equal(kmap_local_depth(), 0);
	assert_int_equal(kmap_local_set_debug(false), 0);
	log_reset();
	return 0;
}

/* Every case gives back what it took: no user left, no kmap_local entry. */
static int teardown(void **state)
{
	(void)state;
	for (unsigned int nr = 0; nr < LAST_PKMAP; nr++)
		assert_true(pkmap_count_of(nr) <= 1);
	assert_int_equal(kmap_local_depth(), 0);
	return 0;
}

/* ---- cases ---- */

static void init_registers_describer_and_prints_layout(void **state)
{
	(void)state;
	assert_non_null(describer);
	assert_true(fixmap_ready());
	assert_int_equal(PKMAP_BASE, 0xffffffffff200000ul);
	assert_int_equal(FIXADDR_START, 0xffffffffff5dc000ul);
	assert_int_equal(__fix_to_virt(FIX_KMAP_BEGIN), 0xffffffffff5fc000ul);
}

static void lowmem_is_the_direct_map(void **state)
{
	struct page *low = &pages[5];
	unsigned long flushes = nr_tlb_flush_all;

	(void)state;
	assert_false(PageHighMem(low));
	assert_true(PageHighMem(high(0)));
	assert_ptr_equal(kmap(low), (void *)(FAKE_DIRECT_MAP + 5 * PAGE_SIZE));
	kunmap(low);
	assert_ptr_equal(kmap_local_page(low), page_address(low));
	assert_int_equal(kmap_local_depth(), 0);
	kunmap_local(page_address(low));
	assert_int_equal(kmap_local_depth(), 0);
	assert_int_equal(nr_tlb_flush_all, flushes);
	for (unsigned int nr = 0; nr < LAST_PKMAP; nr++)
		assert_true(pkmap_count_of(nr) <= 1);
}

static void count_semantics_and_page_address(void **state)
{
	struct page *p = high(7);
	unsigned int nr;
	void *va;

	(void)state;
	assert_null(page_address(p));
	va = kmap(p);
	assert_non_null(va);
	nr = PKMAP_NR((unsigned long)va);
	assert_int_equal(pkmap_count_of(nr), 2);
	assert_int_equal(pkmap_table[nr], PFN_PHYS(LOW_PFNS + 7) | KMAP_PROT);
	assert_ptr_equal(page_address(p), va);
	assert_ptr_equal(kmap(p), va);
	assert_int_equal(pkmap_count_of(nr), 3);
	kunmap(p);
	kunmap(p);
	assert_int_equal(pkmap_count_of(nr), 1);
	assert_ptr_equal(page_address(p), va);
	assert_true(pkmap_table[nr] & _PAGE_PRESENT); /* still mapped until a flush */
	assert_ptr_equal(kmap(p), va);                /* found again, no new entry */
	assert_int_equal(pkmap_count_of(nr), 2);
	kunmap(p);
	kmap_flush_unused();
	assert_int_equal(pkmap_count_of(nr), 0);
	assert_int_equal(pkmap_table[nr], 0);
	assert_null(page_address(p));
	assert_int_equal(pkmap_count_of(LAST_PKMAP), -1);
}

static void wrap_flushes_once_per_cycle(void **state)
{
	unsigned long flushes = pkmap_nr_flushes, full = nr_tlb_flush_all;

	(void)state;
	for (unsigned int i = 0; i <= LAST_PKMAP; i++) {
		assert_non_null(kmap(high(i)));
		kunmap(high(i));
	}
	assert_int_equal(pkmap_nr_flushes - flushes, 1);
	assert_int_equal(nr_tlb_flush_all - full, 1);
	/* Another LAST_PKMAP new pages: exactly one more. */
	for (unsigned int i = LAST_PKMAP + 1; i <= 2 * LAST_PKMAP; i++) {
		assert_non_null(kmap(high(i)));
		kunmap(high(i));
	}
	assert_int_equal(pkmap_nr_flushes - flushes, 2);
	/* kmap_flush_unused() with nothing at count 1 does not flush. */
	kmap_flush_unused();
	full = nr_tlb_flush_all;
	kmap_flush_unused();
	assert_int_equal(nr_tlb_flush_all, full);
}

static void exhaustion_returns_null_with_one_line(void **state)
{
	unsigned long exhausted = pkmap_nr_exhausted;

	(void)state;
	for (unsigned int i = 0; i < LAST_PKMAP; i++)
		assert_non_null(kmap(high(i)));
	log_reset();
	assert_null(kmap(high(LAST_PKMAP)));
	assert_int_equal(pkmap_nr_exhausted - exhausted, 1);
	expect_log("kmap: all 512 pkmap entries are in use, cannot map pfn 0x240: returning NULL (no scheduler to wait on)\n");
	assert_non_null(kmap(high(3))); /* mapped already: fine */
	kunmap(high(3));
	kunmap(high(3)); /* entry of page 3 now unused */
	assert_non_null(kmap(high(LAST_PKMAP)));
	assert_null(page_address(high(3)));
	kunmap(high(LAST_PKMAP));
	for (unsigned int i = 0; i < LAST_PKMAP; i++) {
		if (i != 3)
			kunmap(high(i));
	}
}

static void misuse_is_a_bug(void **state)
{
	void *va;

	(void)state;
	/* Trapped: recorded, nothing changes. */
	kmap_expect_bug();
	kunmap(high(1));
	assert_true(has(kmap_bug_caught(), "kunmap: pfn 0x41 is not kmapped"));
	va = kmap(high(1));
	kunmap(high(1));
	kmap_expect_bug();
	kunmap(high(1));
	assert_true(has(kmap_bug_caught(), "has no user left (pkmap_count 1): unbalanced kunmap"));
	assert_int_equal(pkmap_count_of(PKMAP_NR((unsigned long)va)), 1);
	assert_null(kmap_bug_caught()); /* nothing since */
	/* Not trapped: "BUG:" and panic. */
	log_reset();
	assert_true(EXPECT_PANIC(kunmap(high(1))));
	expect_log_has("BUG: kunmap: pfn 0x41 at 0x");
	assert_true(has(panic_msg, "highmem: kunmap: pfn 0x41"));
}

static void kmap_local_stack(void **state)
{
	void *va[KM_MAX_IDX];
	unsigned long inv;

	(void)state;
	for (unsigned int i = 0; i < KM_MAX_IDX; i++) {
		va[i] = kmap_local_page(high(i));
		assert_ptr_equal(va[i], (void *)__fix_to_virt(FIX_KMAP_BEGIN + i));
		assert_int_equal(*kmap_local_pte(i), PFN_PHYS(LOW_PFNS + i) | KMAP_PROT);
		assert_int_equal(kmap_local_depth(), i + 1);
	}
	kmap_expect_bug();
	assert_null(kmap_local_page(high(0)));
	assert_true(has(kmap_bug_caught(), "stack overflow: 16 entries mapped"));
	kmap_expect_bug();
	kunmap_local(va[3]);
	assert_true(has(kmap_bug_caught(),
			"kunmap_local(0xffffffffff5f9000): not the top of the kmap_local stack (top 0xffffffffff5ed000, depth 16)"));
	assert_int_equal(kmap_local_depth(), KM_MAX_IDX);
	for (int i = KM_MAX_IDX - 1; i >= 0; i--) {
		inv = nr_invlpg;
		kunmap_local((char *)va[i] + 100); /* any address inside the page */
		assert_int_equal(nr_invlpg - inv, 1);
		assert_int_equal(last_invlpg, (unsigned long)va[i]);
		assert_int_equal(*kmap_local_pte(i), 0);
	}
	kmap_expect_bug();
	kunmap_local(va[0]);
	assert_true(has(kmap_bug_caught(), "the kmap_local stack is empty"));
	kmap_expect_bug();
	kunmap_local((void *)0xffffc90000001000ul);
	assert_true(has(kmap_bug_caught(), "neither a kmap_local slot nor a lowmem address"));
	/* Untrapped LIFO violation panics. */
	va[0] = kmap_local_page(high(0));
	va[1] = kmap_local_page(high(1));
	assert_true(EXPECT_PANIC(kunmap_local(va[0])));
	kunmap_local(va[1]);
	kunmap_local(va[0]);
}

static void kmap_local_debug_guard_slots(void **state)
{
	void *va[KM_MAX_IDX];
	char buf[FAULT_WHAT_LEN];

	(void)state;
	assert_int_equal(kmap_local_set_debug(true), 0);
	for (unsigned int i = 0; i < KM_MAX_IDX; i++) {
		va[i] = kmap_local_page(high(i));
		assert_ptr_equal(va[i], (void *)__fix_to_virt(FIX_KMAP_BEGIN + 2 * i + 1));
	}
	assert_int_equal(kmap_local_set_debug(false), -EBUSY);
	/* Every even slot is a guard and unmapped. */
	for (unsigned int s = 0; s < KM_SLOTS_PER_CPU; s += 2) {
		assert_int_equal(*kmap_local_pte(s), 0);
		unsigned long va = __fix_to_virt(FIX_KMAP_BEGIN + s);

		assert_ptr_equal(describer(va, buf, sizeof(buf)), buf);
		assert_true(has(buf, "kmap_local guard slot"));
	}
	describer(__fix_to_virt(FIX_KMAP_BEGIN + 2), buf, sizeof(buf));
	assert_true(has(buf, "between entries 0 and 1"));
	describer(__fix_to_virt(FIX_KMAP_BEGIN + 3) + 5, buf, sizeof(buf));
	assert_true(has(buf, "kmap_local slot 3 at 0xffffffffff5f9000 (entry 1 of 16, pfn 0x41)"));
	for (int i = KM_MAX_IDX - 1; i >= 0; i--)
		kunmap_local(va[i]);
	describer(__fix_to_virt(FIX_KMAP_BEGIN + 3), buf, sizeof(buf));
	assert_true(has(buf, "stale kmap_local slot 3"));
	assert_true(has(buf, "above the stack top: depth 0, last pfn 0x41"));
	assert_int_equal(kmap_local_set_debug(false), 0);
	describer(__fix_to_virt(FIX_KMAP_BEGIN + 20), buf, sizeof(buf));
	assert_true(has(buf, "unused without kmap_local_debug"));
}

static void describer_names_pkmap_entries(void **state)
{
	char buf[FAULT_WHAT_LEN];
	unsigned long va;

	(void)state;
	assert_null(describer(PKMAP_BASE - 1, buf, sizeof(buf)));
	assert_null(describer(PKMAP_END, buf, sizeof(buf)));
	assert_null(describer(__fix_to_virt(FIX_FAULT_TEST_RO), buf, sizeof(buf)));
	va = (unsigned long)kmap(high(9));
	kmap(high(9));
	describer(va + 17, buf, sizeof(buf));
	assert_true(has(buf, "(pkmap_count 3: 2 users, pfn 0x49)"));
	kunmap(high(9));
	kunmap(high(9));
	describer(va, buf, sizeof(buf));
	assert_true(has(buf, "stale kmap slot"));
	assert_true(has(buf, "(pkmap_count 1: unused but still mapped, pfn 0x49)"));
	kmap_flush_unused();
	describer(va, buf, sizeof(buf));
	assert_true(has(buf, "(pkmap_count 0: free and flushed, last pfn 0x49)"));
}

static void parameter_values(void **state)
{
	static const struct {
		const char *value;
		bool on;
	} ok[] = { { "", true }, { "on", true }, { "1", true }, { "off", false }, { "0", false } };

	(void)state;
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		cmdline_value = ok[i].value;
		highmem_parse_cmdline();
		assert_int_equal(kmap_local_debug_enabled(), ok[i].on);
	}
	cmdline_value = NULL;
	highmem_parse_cmdline(); /* absent: unchanged */
	assert_false(kmap_local_debug_enabled());
	cmdline_value = "yes";
	assert_true(EXPECT_PANIC(highmem_parse_cmdline()));
	assert_string_equal(panic_msg, "kmap_local_debug=yes: expected on, off, 1 or 0");
	cmdline_value = NULL;
}

/* Check the pool against the model's user counts; see the file comment. */
static void check_pool(const unsigned int *users, const u64 *before, bool flushed_during)
{
	unsigned int mapped_users = 0, total_users = 0;

	for (unsigned int i = 0; i < RANDOM_PAGES; i++) {
		void *va = page_address(high(i));

		total_users += users[i];
		if (users[i]) {
			assert_non_null(va);
			assert_int_equal(pkmap_count_of(PKMAP_NR((unsigned long)va)), users[i] + 1);
		}
		if (va)
			assert_int_equal(pte_pfn(pkmap_table[PKMAP_NR((unsigned long)va)]),
					 LOW_PFNS + i);
	}
	for (unsigned int nr = 0; nr < LAST_PKMAP; nr++) {
		int count = pkmap_count_of(nr);
		u64 pte = pkmap_table[nr];

		assert_true(count >= 0);
		assert_int_equal(!!(pte & _PAGE_PRESENT), count != 0);
		if (count)
			assert_ptr_equal(page_address(pfn_to_page(pte_pfn(pte))),
					 (void *)PKMAP_ADDR(nr));
		if (count > 1)
			mapped_users += (unsigned int)count - 1;
		/* Cleared without a flush after it: the TLB may still hold the old page. */
		if ((before[nr] & _PAGE_PRESENT) && !pte && !flushed_during)
			tlb_may_hold[nr] = true;
		/* Remapped to another page only across a flush (the wrap's). */
		if ((before[nr] & _PAGE_PRESENT) && pte && pte != before[nr])
			assert_true(flushed_during);
		if (!(before[nr] & _PAGE_PRESENT) && pte)
			assert_false(tlb_may_hold[nr]);
	}
	assert_int_equal(mapped_users, total_users);
}

static void random_against_model(void **state)
{
	static unsigned int users[RANDOM_PAGES];
	static u64 before[LAST_PKMAP];
	unsigned int seed = RANDOM_SEED, busy = 0, nulls = 0;

	(void)state;
	memset(users, 0, sizeof(users));
	for (unsigned long op = 0; op < RANDOM_OPS; op++) {
		unsigned int r = (unsigned int)rand_r(&seed), i = r % RANDOM_PAGES;
		unsigned long flushes = nr_tlb_flush_all;

		memcpy(before, pkmap_table, sizeof(before));
		if (r % 97 == 0) {
			kmap_flush_unused();
		} else if (users[i] && (users[i] >= MAX_USERS || (r >> 16) % 2)) {
			kunmap(high(i));
			users[i]--;
			busy -= !users[i];
		} else {
			bool fits = users[i] || page_address(high(i)) || busy < LAST_PKMAP;
			void *va = kmap(high(i));

			assert_int_equal(va != NULL, fits);
			if (va) {
				busy += !users[i];
				users[i]++;
			} else {
				nulls++;
			}
			log_reset();
		}
		check_pool(users, before, nr_tlb_flush_all != flushes);
	}
	/* The run must have filled the pool at least once, and wrapped often. */
	assert_true(nulls > 0);
	for (unsigned int i = 0; i < RANDOM_PAGES; i++) {
		while (users[i]--)
			kunmap(high(i));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(init_registers_describer_and_prints_layout, setup,
						teardown),
		cmocka_unit_test_setup_teardown(lowmem_is_the_direct_map, setup, teardown),
		cmocka_unit_test_setup_teardown(count_semantics_and_page_address, setup, teardown),
		cmocka_unit_test_setup_teardown(wrap_flushes_once_per_cycle, setup, teardown),
		cmocka_unit_test_setup_teardown(exhaustion_returns_null_with_one_line, setup,
						teardown),
		cmocka_unit_test_setup_teardown(misuse_is_a_bug, setup, teardown),
		cmocka_unit_test_setup_teardown(kmap_local_stack, setup, teardown),
		cmocka_unit_test_setup_teardown(kmap_local_debug_guard_slots, setup, teardown),
		cmocka_unit_test_setup_teardown(describer_names_pkmap_entries, setup, teardown),
		cmocka_unit_test_setup_teardown(parameter_values, setup, teardown),
		cmocka_unit_test_setup_teardown(random_against_model, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
