/* SPDX-License-Identifier: MIT */
/*
 * The monitors' pure parts (docs/monitoring.md): --monitor LIST,
 * --monitor-interval and --monitor-uffd-window parsing; the page bitmaps
 * (checked against a byte-per-page model); log2 histograms and their
 * percentiles; the bounded mmio table.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../vmm/monitor.h"
#include "../../vmm/monitor_internal.h"

#define KS MONITOR_BIT(MONITOR_KVM_STATS)
#define UF MONITOR_BIT(MONITOR_UFFD)
#define DI MONITOR_BIT(MONITOR_DIRTY)
#define MM MONITOR_BIT(MONITOR_MMIO)

static void test_parse_valid(void **state)
{
	static const struct {
		const char *list;
		unsigned mask;
	} cases[] = {
		{ "kvm-stats", KS }, { "uffd", UF }, { "dirty", DI }, { "mmio", MM },
		{ "all", KS | UF | DI | MM }, { "uffd,dirty", UF | DI },
		{ "mmio,kvm-stats,dirty,uffd", KS | UF | DI | MM }, { "dirty,mmio", DI | MM },
	};
	struct vmm_err err;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		unsigned mask = 0xdead;

		assert_int_equal(monitors_parse(cases[i].list, &mask, &err), 0);
		assert_int_equal(mask, cases[i].mask);
	}
}

static void test_parse_invalid(void **state)
{
#define VALID "expected kvm-stats, uffd, dirty, mmio or all"
	static const struct {
		const char *list, *msg;
	} cases[] = {
		{ "", "empty --monitor list: " VALID },
		{ "foo", "unknown monitor 'foo' in --monitor 'foo': " VALID },
		{ "uffd,", "empty item in --monitor 'uffd,': " VALID },
		{ ",uffd", "empty item in --monitor ',uffd': " VALID },
		{ "uffd,,dirty", "empty item in --monitor 'uffd,,dirty': " VALID },
		{ "uffd,uffd", "monitor 'uffd' given twice in --monitor 'uffd,uffd'" },
		{ "all,dirty", "monitor 'dirty' given twice in --monitor 'all,dirty'" },
		{ "dirty,all", "monitor 'all' given twice in --monitor 'dirty,all'" },
		{ "UFFD", "unknown monitor 'UFFD' in --monitor 'UFFD': " VALID },
		{ "uffd ", "unknown monitor 'uffd ' in --monitor 'uffd ': " VALID },
		{ "kvm", "unknown monitor 'kvm' in --monitor 'kvm': " VALID },
		{ "uffdx", "unknown monitor 'uffdx' in --monitor 'uffdx': " VALID },
	};
#undef VALID
	struct vmm_err err;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		unsigned mask = 0xdead;

		assert_int_equal(monitors_parse(cases[i].list, &mask, &err), -1);
		assert_string_equal(err.msg, cases[i].msg);
		assert_int_equal(mask, 0xdead);
	}
	assert_int_equal(monitors_parse(NULL, &(unsigned){ 0 }, &err), -1);
}

/* A very long unknown name is clipped in the message, the message stays one line. */
static void test_parse_long_name(void **state)
{
	char list[4000];
	struct vmm_err err;

	(void)state;
	memset(list, 'x', sizeof(list) - 1);
	list[sizeof(list) - 1] = '\0';
	assert_int_equal(monitors_parse(list, &(unsigned){ 0 }, &err), -1);
	assert_non_null(strstr(err.msg, "unknown monitor 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx' in"));
	assert_null(strchr(err.msg, '\n'));
	assert_true(strlen(err.msg) < VMM_ERR_MAX);
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(monitors_name(MONITOR_KVM_STATS), "kvm-stats");
	assert_string_equal(monitors_name(MONITOR_UFFD), "uffd");
	assert_string_equal(monitors_name(MONITOR_DIRTY), "dirty");
	assert_string_equal(monitors_name(MONITOR_MMIO), "mmio");
	assert_string_equal(monitors_name(MONITOR_NR), "?");
	assert_string_equal(monitors_name((enum monitor_kind)-1), "?");
}

static void test_interval(void **state)
{
	static const char *const bad[] = { "", "0", "-1", "+5", " 5", "5 ", "5ms", "0x10",
					   "3600001", "99999999999999999999999", "1.5" };
	struct vmm_err err;
	uint64_t ms = 7;

	(void)state;
	assert_int_equal(monitors_parse_interval("1", &ms, &err), 0);
	assert_int_equal(ms, 1);
	assert_int_equal(monitors_parse_interval("100", &ms, &err), 0);
	assert_int_equal(ms, 100);
	assert_int_equal(monitors_parse_interval("3600000", &ms, &err), 0);
	assert_int_equal(ms, 3600000);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ms = 7;
		assert_int_equal(monitors_parse_interval(bad[i], &ms, &err), -1);
		assert_int_equal(ms, 7);
		assert_non_null(strstr(err.msg, "--monitor-interval"));
	}
}

static void test_window(void **state)
{
	static const char *const bad[] = { "", "0", "3", "6", "1024", "-16", "16k", "0x10" };
	struct vmm_err err;
	unsigned w = 7;

	(void)state;
	for (unsigned v = 1; v <= MONITOR_UFFD_WINDOW_MAX; v *= 2) {
		char s[16];

		snprintf(s, sizeof(s), "%u", v);
		assert_int_equal(monitors_parse_window(s, &w, &err), 0);
		assert_int_equal(w, v);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		w = 7;
		assert_int_equal(monitors_parse_window(bad[i], &w, &err), -1);
		assert_int_equal(w, 7);
	}
	assert_string_equal(err.msg, "invalid window '0x10' for --monitor-uffd-window (pages: a "
				     "power of two, 1 to 512)");
}

/* Every bitmap operation against a byte-per-page model, on awkward sizes. */
static void test_bitmap_model(void **state)
{
	static const uint64_t sizes[] = { 1, 63, 64, 65, 127, 128, 1000, 4099 };

	(void)state;
	srand(12345);
	for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		uint64_t n = sizes[s], set = 0;
		struct page_bitmap b;
		uint8_t *model = calloc(n, 1);
		uint64_t *raw = calloc(n / 64 + 1, sizeof(uint64_t));

		assert_non_null(model);
		assert_non_null(raw);
		assert_int_equal(page_bitmap_init(&b, n), 0);
		for (unsigned op = 0; op < 4 * n + 50; op++) {
			uint64_t p = (uint64_t)rand() % (n + 3); /* some out of range */
			bool in = p < n;

			if (rand() % 3) {
				bool was = in && model[p];

				assert_int_equal(page_bitmap_set(&b, p), in && !was);
				if (in && !was) {
					model[p] = 1;
					set++;
				}
			} else {
				bool was = in && model[p];

				assert_int_equal(page_bitmap_clear(&b, p), was);
				if (was) {
					model[p] = 0;
					set--;
				}
			}
			assert_int_equal(b.nr_set, set);
		}
		for (uint64_t p = 0; p < n + 2; p++)
			assert_int_equal(page_bitmap_test(&b, p), p < n && model[p]);
		/* count_range over every (first, len) class, clipped at the end. */
		for (uint64_t first = 0; first <= n; first += 1 + first / 3) {
			for (uint64_t len = 0; len <= n + 70; len += 1 + len / 2) {
				uint64_t want = 0;

				for (uint64_t p = first; p < n && p < first + len; p++)
					want += model[p];
				assert_int_equal(page_bitmap_count_range(&b, first, len), want);
			}
		}
		assert_int_equal(page_bitmap_count_range(&b, 0, UINT64_MAX), set);
		/* next_set walks exactly the model's set pages. */
		for (uint64_t p = 0, q = page_bitmap_next_set(&b, 0);;
		     q = page_bitmap_next_set(&b, q + 1)) {
			while (p < n && !model[p])
				p++;
			assert_int_equal(q, p);
			if (p >= n)
				break;
			p++;
		}
		assert_int_equal(page_bitmap_next_set(&b, n + 5), n);
		/* OR of a raw map with garbage past the end: only in-range bits count. */
		memset(raw, 0xa5, (n / 64 + 1) * sizeof(uint64_t));
		{
			uint64_t added = 0, want_added = 0, weight = 0;

			for (uint64_t p = 0; p < n; p++) {
				bool bit = raw[p / 64] >> (p % 64) & 1;

				weight += bit;
				want_added += bit && !model[p];
			}
			assert_int_equal(bitmap_weight(raw, n), weight);
			added = page_bitmap_or_words(&b, raw);
			assert_int_equal(added, want_added);
			assert_int_equal(b.nr_set, set + want_added);
			assert_int_equal(page_bitmap_count_range(&b, 0, n), set + want_added);
		}
		page_bitmap_free(&b);
		page_bitmap_free(&b); /* twice is fine */
		free(model);
		free(raw);
	}
}

static void test_hist_buckets(void **state)
{
	(void)state;
	assert_int_equal(log2_hist_bucket(0), 0);
	assert_int_equal(log2_hist_bucket(1), 1);
	assert_int_equal(log2_hist_bucket(2), 2);
	assert_int_equal(log2_hist_bucket(3), 2);
	assert_int_equal(log2_hist_bucket(4), 3);
	assert_int_equal(log2_hist_bucket(4095), 12);
	assert_int_equal(log2_hist_bucket(4096), 13);
	assert_int_equal(log2_hist_bucket(UINT64_MAX), 64);
	for (unsigned k = 1; k < 64; k++) {
		assert_int_equal(log2_hist_bucket(1ull << (k - 1)), k);
		assert_int_equal(log2_hist_bucket((1ull << k) - 1), k);
	}
}

static void test_hist_percentiles(void **state)
{
	struct log2_hist h;

	(void)state;
	memset(&h, 0, sizeof(h));
	assert_int_equal(log2_hist_percentile(&h, 50), 0);
	/* 90 values of 1000 (bucket [512, 1024)), 10 of 100000 (bucket [65536, 131072)). */
	for (int i = 0; i < 90; i++)
		log2_hist_add(&h, 1000);
	for (int i = 0; i < 10; i++)
		log2_hist_add(&h, 100000);
	assert_int_equal(h.count, 100);
	assert_int_equal(h.sum, 90 * 1000 + 10 * 100000);
	assert_int_equal(h.min, 1000);
	assert_int_equal(h.max, 100000);
	assert_int_equal(log2_hist_percentile(&h, 0), 1024);
	assert_int_equal(log2_hist_percentile(&h, 50), 1024);
	assert_int_equal(log2_hist_percentile(&h, 90), 1024);
	assert_int_equal(log2_hist_percentile(&h, 91), 131072);
	assert_int_equal(log2_hist_percentile(&h, 99), 131072);
	assert_int_equal(log2_hist_percentile(&h, 100), 131072);
	assert_int_equal(log2_hist_percentile(&h, 1000), 131072);
	log2_hist_add(&h, 0);
	log2_hist_add(&h, UINT64_MAX);
	assert_int_equal(h.min, 0);
	assert_int_equal(h.max, UINT64_MAX);
	assert_int_equal(log2_hist_percentile(&h, 100), UINT64_MAX);
}

static void test_hist_json(void **state)
{
	struct log2_hist h;
	json_t *o, *b;

	(void)state;
	memset(&h, 0, sizeof(h));
	log2_hist_add(&h, 5);
	log2_hist_add(&h, 6);
	log2_hist_add(&h, 300);
	o = log2_hist_json(&h);
	assert_non_null(o);
	assert_int_equal(json_integer_value(json_object_get(o, "count")), 3);
	assert_int_equal(json_integer_value(json_object_get(o, "sum")), 311);
	assert_int_equal(json_integer_value(json_object_get(o, "min")), 5);
	assert_int_equal(json_integer_value(json_object_get(o, "max")), 300);
	b = json_object_get(o, "buckets");
	assert_int_equal(json_array_size(b), 2);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(b, 0), "lt")), 8);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(b, 0), "count")), 2);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(b, 1), "lt")), 512);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(b, 1), "count")), 1);
	json_decref(o);
}

/* Counting per (address, direction, RIP), a bounded table that says when it overflowed. */
static void test_mmio_table(void **state)
{
	struct mon_mmio *mm;
	struct vmm_err err;
	json_t *o, *t;
	char *buf = NULL;
	size_t len = 0;
	FILE *out;

	(void)state;
	assert_int_equal(mon_mmio_start(&mm, &err), 0);
	for (int i = 0; i < 5; i++)
		mon_mmio_note(mm, 0xd0000000, 4, false, 0x1000, true);
	mon_mmio_note(mm, 0xd0000000, 4, true, 0x1000, true);
	mon_mmio_note(mm, 0xd0000000, 4, false, 0x2000, true);
	mon_mmio_note(mm, 0x100000000, 8, true, 0x3000, false);
	o = mon_mmio_json(mm, true);
	assert_int_equal(json_integer_value(json_object_get(o, "accesses")), 8);
	assert_int_equal(json_integer_value(json_object_get(o, "reads")), 6);
	assert_int_equal(json_integer_value(json_object_get(o, "writes")), 2);
	assert_int_equal(json_integer_value(json_object_get(o, "hole")), 7);
	assert_int_equal(json_integer_value(json_object_get(o, "unbacked")), 1);
	assert_int_equal(json_integer_value(json_object_get(o, "distinct")), 4);
	assert_int_equal(json_integer_value(json_object_get(o, "overflow")), 0);
	t = json_object_get(o, "table");
	assert_int_equal(json_array_size(t), 4);
	/* Most frequent first. */
	assert_int_equal(json_integer_value(json_object_get(json_array_get(t, 0), "count")), 5);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(t, 0), "rip")), 0x1000);
	assert_string_equal(json_string_value(json_object_get(json_array_get(t, 0), "access")),
			    "read");
	json_decref(o);

	/* Fill the table: distinct keys beyond its size are counted as overflow. */
	for (uint64_t i = 0; i < 5000; i++)
		mon_mmio_note(mm, 0xe0000000 + i * 4, 4, false, 0x4000, true);
	o = mon_mmio_json(mm, false);
	assert_int_equal(json_integer_value(json_object_get(o, "accesses")), 5008);
	assert_int_equal(json_integer_value(json_object_get(o, "distinct")), 4096);
	assert_int_equal(json_integer_value(json_object_get(o, "overflow")), 5000 - (4096 - 4));
	assert_null(json_object_get(o, "table"));
	json_decref(o);
	/* Known keys still count when the table is full. */
	mon_mmio_note(mm, 0xd0000000, 4, false, 0x1000, true);
	o = mon_mmio_json(mm, true);
	t = json_object_get(o, "table");
	assert_int_equal(json_integer_value(json_object_get(json_array_get(t, 0), "count")), 6);
	assert_int_equal(json_array_size(t), 4096);
	json_decref(o);

	out = open_memstream(&buf, &len);
	assert_non_null(out);
	mon_mmio_summary(mm, out);
	fclose(out);
	assert_non_null(strstr(buf, "monitor mmio: 5009 accesses (5007 reads, 2 writes; 5008 to "
				    "holes, 1 to unbacked RAM), 4096 distinct (address, direction, "
				    "RIP), 908 beyond the 4096-entry table\n"));
	assert_non_null(strstr(buf, "monitor mmio: read of 4 bytes at GPA 0xd0000000 (hole) RIP "
				    "0x1000: count 6\n"));
	assert_non_null(strstr(buf, "monitor mmio: 4080 more entries"));
	free(buf);
	mon_mmio_stop(mm);
	mon_mmio_stop(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_valid),
		cmocka_unit_test(test_parse_invalid),
		cmocka_unit_test(test_parse_long_name),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_interval),
		cmocka_unit_test(test_window),
		cmocka_unit_test(test_bitmap_model),
		cmocka_unit_test(test_hist_buckets),
		cmocka_unit_test(test_hist_percentiles),
		cmocka_unit_test(test_hist_json),
		cmocka_unit_test(test_mmio_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
