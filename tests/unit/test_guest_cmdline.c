/* SPDX-License-Identifier: MIT */
/*
 * The guest's command line (guest/kernel/cmdline.c) and strict number
 * parsing (guest/lib/kstrtox.c), built for the host: word splitting and
 * Linux's quoting, repeated and bare keys, length and word-count bounds,
 * numbers in every base and every way to get them wrong, the unknown-
 * parameter report.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "kernel/cmdline.h"
#include "kernel/kstrtox.h"

/* A value cmdline_get_u64() must leave alone when it fails. */
#define UNTOUCHED 0x5a5a5a5a5a5a5a5aull

/* Parse @line, which must be accepted. */
static void parse_ok(const char *line)
{
	assert_int_equal(cmdline_parse(line), 0);
}

static void test_empty_lines_have_no_words(void **state)
{
	(void)state;
	parse_ok("");
	assert_int_equal(cmdline_nr_params(), 0);
	parse_ok(NULL);
	assert_int_equal(cmdline_nr_params(), 0);
	parse_ok(" \t\n  ");
	assert_int_equal(cmdline_nr_params(), 0);
	assert_false(cmdline_has(""));
	assert_null(cmdline_get("anything"));
}

static void test_key_value_and_bare_keys(void **state)
{
	(void)state;
	parse_ok("a=1 bare c= d=x=y");
	assert_int_equal(cmdline_nr_params(), 4);
	assert_string_equal(cmdline_get("a"), "1");
	assert_true(cmdline_has("bare"));
	assert_string_equal(cmdline_get("bare"), "");
	assert_true(cmdline_has("c"));
	assert_string_equal(cmdline_get("c"), "");
	/* Only the first '=' separates. */
	assert_string_equal(cmdline_get("d"), "x=y");
	assert_false(cmdline_has("e"));
	assert_null(cmdline_get("e"));
	/* Keys match whole, case included. */
	assert_false(cmdline_has("A"));
	assert_false(cmdline_has("bar"));
}

static void test_any_white_space_separates(void **state)
{
	(void)state;
	parse_ok("  a=1\tb=2\n\nc=3 \r d   ");
	assert_int_equal(cmdline_nr_params(), 4);
	assert_string_equal(cmdline_get("a"), "1");
	assert_string_equal(cmdline_get("b"), "2");
	assert_string_equal(cmdline_get("c"), "3");
	assert_true(cmdline_has("d"));
}

static void test_quoted_value_keeps_spaces(void **state)
{
	(void)state;
	parse_ok("key=\"a b  c\" next=1");
	assert_int_equal(cmdline_nr_params(), 2);
	assert_string_equal(cmdline_get("key"), "a b  c");
	assert_string_equal(cmdline_get("next"), "1");
}

static void test_quoted_word_keeps_spaces(void **state)
{
	(void)state;
	/* Linux's other form: the quote opens the whole word. */
	parse_ok("foo=bar \"quoted=a b\" bare");
	assert_int_equal(cmdline_nr_params(), 3);
	assert_string_equal(cmdline_get("quoted"), "a b");
	assert_string_equal(cmdline_get("foo"), "bar");
	assert_true(cmdline_has("bare"));
	parse_ok("\"bare key\"");
	assert_true(cmdline_has("bare key"));
}

static void test_unterminated_quote_runs_to_the_end(void **state)
{
	(void)state;
	parse_ok("a=1 k=\"x y z");
	assert_int_equal(cmdline_nr_params(), 2);
	assert_string_equal(cmdline_get("k"), "x y z");
}

static void test_quotes_inside_a_value_stay(void **state)
{
	(void)state;
	parse_ok("k=a\"b c\"d n=2");
	assert_int_equal(cmdline_nr_params(), 2);
	assert_string_equal(cmdline_get("k"), "a\"b c\"d");
	parse_ok("e=\"\" f=\"");
	assert_string_equal(cmdline_get("e"), "");
	assert_string_equal(cmdline_get("f"), "");
}

static void test_repeated_key_last_value_wins(void **state)
{
	u64 v = 0;

	(void)state;
	parse_ok("exit=1 x exit=2 exit=3");
	assert_string_equal(cmdline_get("exit"), "3");
	assert_int_equal(cmdline_get_u64("exit", &v), 0);
	assert_int_equal(v, 3);
	/* A bare repeat after a value: the last word counts. */
	parse_ok("spin=1 spin");
	assert_string_equal(cmdline_get("spin"), "");
}

static void test_line_length_is_bounded(void **state)
{
	static char line[CMDLINE_MAX + 2];

	(void)state;
	memset(line, 'a', CMDLINE_MAX);
	line[CMDLINE_MAX] = '\0';
	parse_ok(line);
	assert_int_equal(cmdline_nr_params(), 1);
	assert_true(cmdline_has(line));

	line[CMDLINE_MAX] = 'a';
	line[CMDLINE_MAX + 1] = '\0';
	assert_int_equal(cmdline_parse(line), -E2BIG);
	/* A failed parse leaves nothing behind. */
	assert_int_equal(cmdline_nr_params(), 0);
}

static void test_word_count_is_bounded(void **state)
{
	static char line[CMDLINE_MAX + 1];
	size_t pos = 0;
	unsigned int i;

	(void)state;
	for (i = 0; i < CMDLINE_MAX_PARAMS; i++)
		pos += (size_t)sprintf(line + pos, "k%u=%u ", i, i);
	parse_ok(line);
	assert_int_equal(cmdline_nr_params(), CMDLINE_MAX_PARAMS);
	assert_string_equal(cmdline_get("k63"), "63");

	sprintf(line + pos, "one-more");
	assert_int_equal(cmdline_parse(line), -ENOSPC);
	assert_int_equal(cmdline_nr_params(), 0);
	assert_null(cmdline_get("k0"));
}

static void test_numbers_decimal_hex_octal(void **state)
{
	u64 v;

	(void)state;
	parse_ok("d=42 h=0x2a H=0X2A o=052 z=0 max=18446744073709551615 hmax=0xffffffffffffffff");
	assert_int_equal(cmdline_get_u64("d", &v), 0);
	assert_int_equal(v, 42);
	assert_int_equal(cmdline_get_u64("h", &v), 0);
	assert_int_equal(v, 42);
	assert_int_equal(cmdline_get_u64("H", &v), 0);
	assert_int_equal(v, 42);
	assert_int_equal(cmdline_get_u64("o", &v), 0);
	assert_int_equal(v, 42);
	assert_int_equal(cmdline_get_u64("z", &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(cmdline_get_u64("max", &v), 0);
	assert_true(v == UINT64_MAX);
	assert_int_equal(cmdline_get_u64("hmax", &v), 0);
	assert_true(v == UINT64_MAX);
}

/* Each value must be refused with @err and leave the result untouched. */
static void expect_bad_number(const char *line, const char *key, int err)
{
	u64 v = UNTOUCHED;

	parse_ok(line);
	assert_int_equal(cmdline_get_u64(key, &v), err);
	assert_true(v == UNTOUCHED);
}

static void test_bad_numbers_are_refused(void **state)
{
	(void)state;
	expect_bad_number("n=", "n", -EINVAL);
	expect_bad_number("n", "n", -EINVAL);
	expect_bad_number("n=0x", "n", -EINVAL);
	expect_bad_number("n=12a", "n", -EINVAL);
	expect_bad_number("n=-1", "n", -EINVAL);
	expect_bad_number("n=+1", "n", -EINVAL);
	expect_bad_number("n=\" 1\"", "n", -EINVAL);
	expect_bad_number("n=\"1 \"", "n", -EINVAL);
	expect_bad_number("n=08", "n", -EINVAL);
	expect_bad_number("n=0xg", "n", -EINVAL);
	expect_bad_number("n=1.5", "n", -EINVAL);
	expect_bad_number("n=18446744073709551616", "n", -ERANGE);
	expect_bad_number("n=0x10000000000000000", "n", -ERANGE);
	expect_bad_number("n=99999999999999999999999", "n", -ERANGE);
	/* Garbage after an overflow is still garbage, not a range error. */
	expect_bad_number("n=99999999999999999999999x", "n", -EINVAL);
	expect_bad_number("other=1", "n", -ENOENT);
}

static void test_kstrtou64_explicit_bases(void **state)
{
	u64 v;

	(void)state;
	assert_int_equal(kstrtou64("010", 10, &v), 0);
	assert_int_equal(v, 10);
	assert_int_equal(kstrtou64("ff", 16, &v), 0);
	assert_int_equal(v, 255);
	assert_int_equal(kstrtou64("0xff", 16, &v), 0);
	assert_int_equal(v, 255);
	assert_int_equal(kstrtou64("17", 8, &v), 0);
	assert_int_equal(v, 15);
	assert_int_equal(kstrtou64("0x10", 10, &v), -EINVAL);
	assert_int_equal(kstrtou64("8", 8, &v), -EINVAL);
	assert_int_equal(kstrtou64("101", 2, &v), -EINVAL);
	assert_int_equal(kstrtou64("", 10, &v), -EINVAL);
}

static void test_number_lists(void **state)
{
	u64 vals[4] = { 0 };
	unsigned int nr = 99;

	(void)state;
	parse_ok("probe=1,0x2,010 one=0xc0000000");
	assert_int_equal(cmdline_get_u64_list("probe", vals, 4, &nr), 0);
	assert_int_equal(nr, 3);
	assert_int_equal(vals[0], 1);
	assert_int_equal(vals[1], 2);
	assert_int_equal(vals[2], 8);
	assert_int_equal(cmdline_get_u64_list("one", vals, 4, &nr), 0);
	assert_int_equal(nr, 1);
	assert_int_equal(vals[0], 0xc0000000);

	nr = 99;
	parse_ok("p=1,2,3,4,5");
	assert_int_equal(cmdline_get_u64_list("p", vals, 4, &nr), -E2BIG);
	assert_int_equal(nr, 99);
	parse_ok("p=1,,2");
	assert_int_equal(cmdline_get_u64_list("p", vals, 4, &nr), -EINVAL);
	parse_ok("p=1,2,");
	assert_int_equal(cmdline_get_u64_list("p", vals, 4, &nr), -EINVAL);
	parse_ok("p=,1");
	assert_int_equal(cmdline_get_u64_list("p", vals, 4, &nr), -EINVAL);
	parse_ok("p=1,zz");
	assert_int_equal(cmdline_get_u64_list("p", vals, 4, &nr), -EINVAL);
	parse_ok("p=1,0x10000000000000000");
	assert_int_equal(cmdline_get_u64_list("p", vals, 4, &nr), -ERANGE);
	parse_ok("p");
	assert_int_equal(cmdline_get_u64_list("p", vals, 4, &nr), -EINVAL);
	assert_int_equal(cmdline_get_u64_list("q", vals, 4, &nr), -ENOENT);
	assert_int_equal(nr, 99);
}

static void test_unknown_report_lists_what_nobody_read(void **state)
{
	char buf[CMDLINE_MAX + 1];

	(void)state;
	parse_ok("foo=bar \"quoted=a b\" exit=3 bare k=\"x y\"");
	assert_true(cmdline_has("exit"));
	assert_int_equal(cmdline_unknown(buf, sizeof(buf)), 4);
	/* Command-line order, quotes removed, as Linux prints them. */
	assert_string_equal(buf, "foo=bar quoted=a b bare k=x y");

	assert_non_null(cmdline_get("foo"));
	assert_true(cmdline_has("bare"));
	assert_int_equal(cmdline_unknown(buf, sizeof(buf)), 2);
	assert_string_equal(buf, "quoted=a b k=x y");

	parse_ok("a b");
	assert_int_equal(cmdline_unknown(buf, sizeof(buf)), 2);
	assert_string_equal(buf, "a b");
	parse_ok("");
	assert_int_equal(cmdline_unknown(buf, sizeof(buf)), 0);
	assert_string_equal(buf, "");
}

static void test_unknown_report_truncates_safely(void **state)
{
	char buf[8];

	(void)state;
	memset(buf, 'X', sizeof(buf));
	parse_ok("alpha=1 beta=2");
	assert_int_equal(cmdline_unknown(buf, 6), 2);
	assert_string_equal(buf, "alpha");
	assert_int_equal(buf[6], 'X');
	assert_int_equal(cmdline_unknown(buf, 0), 2);
}

static void test_repeated_key_lookup_marks_every_copy(void **state)
{
	char buf[64];

	(void)state;
	parse_ok("x=1 y x=2");
	assert_string_equal(cmdline_get("x"), "2");
	assert_int_equal(cmdline_unknown(buf, sizeof(buf)), 1);
	assert_string_equal(buf, "y");
}

static void test_empty_key_is_just_unknown(void **state)
{
	char buf[64];

	(void)state;
	parse_ok("=v");
	assert_int_equal(cmdline_nr_params(), 1);
	assert_string_equal(cmdline_get(""), "v");
	parse_ok("=v");
	assert_int_equal(cmdline_unknown(buf, sizeof(buf)), 1);
	assert_string_equal(buf, "=v");
}

static void test_new_parse_forgets_the_old_line(void **state)
{
	(void)state;
	parse_ok("old=1");
	parse_ok("new=2");
	assert_null(cmdline_get("old"));
	assert_string_equal(cmdline_get("new"), "2");
}

/* kstrtosize(): memparse()'s suffixes, strictly. */
static void test_kstrtosize_suffixes_and_errors(void **state)
{
	static const struct {
		const char *in;
		int ret;
		u64 val;
	} cases[] = {
		{ "896M", 0, 896ull << 20 },   { "4G", 0, 4ull << 30 },
		{ "4g", 0, 4ull << 30 },       { "1T", 0, 1ull << 40 },
		{ "16k", 0, 16ull << 10 },     { "0x1000", 0, 0x1000 },
		{ "0x10M", 0, 16ull << 20 },   { "4096", 0, 4096 },
		{ "0", 0, 0 },                 { "", -EINVAL, 0 },
		{ "M", -EINVAL, 0 },           { "4GB", -EINVAL, 0 },
		{ "-1M", -EINVAL, 0 },         { " 4G", -EINVAL, 0 },
		{ "4 G", -EINVAL, 0 },         { "16777216T", -ERANGE, 0 },
		{ "16777215T", 0, 16777215ull << 40 },
		{ "18446744073709551616", -ERANGE, 0 },
		{ "1234567890123456789012345", -EINVAL, 0 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		u64 v = 0xdead;
		int ret = kstrtosize(cases[i].in, &v);

		if (ret != cases[i].ret)
			fail_msg("kstrtosize(\"%s\") = %d, want %d", cases[i].in, ret, cases[i].ret);
		if (ret == 0 && v != cases[i].val)
			fail_msg("kstrtosize(\"%s\") gave %llu", cases[i].in, (unsigned long long)v);
		if (ret != 0 && v != 0xdead)
			fail_msg("kstrtosize(\"%s\") wrote its result on failure", cases[i].in);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_lines_have_no_words),
		cmocka_unit_test(test_key_value_and_bare_keys),
		cmocka_unit_test(test_any_white_space_separates),
		cmocka_unit_test(test_quoted_value_keeps_spaces),
		cmocka_unit_test(test_quoted_word_keeps_spaces),
		cmocka_unit_test(test_unterminated_quote_runs_to_the_end),
		cmocka_unit_test(test_quotes_inside_a_value_stay),
		cmocka_unit_test(test_repeated_key_last_value_wins),
		cmocka_unit_test(test_line_length_is_bounded),
		cmocka_unit_test(test_word_count_is_bounded),
		cmocka_unit_test(test_numbers_decimal_hex_octal),
		cmocka_unit_test(test_bad_numbers_are_refused),
		cmocka_unit_test(test_kstrtou64_explicit_bases),
		cmocka_unit_test(test_number_lists),
		cmocka_unit_test(test_unknown_report_lists_what_nobody_read),
		cmocka_unit_test(test_unknown_report_truncates_safely),
		cmocka_unit_test(test_repeated_key_lookup_marks_every_copy),
		cmocka_unit_test(test_empty_key_is_just_unknown),
		cmocka_unit_test(test_new_parse_forgets_the_old_line),
		cmocka_unit_test(test_kstrtosize_suffixes_and_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
