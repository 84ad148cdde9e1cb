/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for vmm/size.c: numbers, sizes with suffixes, durations and the
 * sizes printed in messages. A rejected input must leave the output alone.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "../../vmm/size.h"

#define SENTINEL 0x5a5a5a5a5a5a5a5aull
#define GiB (1ull << 30)
#define MiB (1ull << 20)
#define KiB (1ull << 10)
#define TiB (1ull << 40)

/* parse_u64() must accept @s and give @want. */
static void expect_u64(const char *s, uint64_t want)
{
	uint64_t v = SENTINEL;

	assert_int_equal(parse_u64(s, &v), 0);
	assert_true(v == want);
}

/* parse_u64() must refuse @s without writing the output. */
static void reject_u64(const char *s)
{
	uint64_t v = SENTINEL;

	assert_int_equal(parse_u64(s, &v), -1);
	assert_true(v == SENTINEL);
}

/* parse_size() must accept @s and give @want. */
static void expect_size(const char *s, uint64_t want)
{
	uint64_t v = SENTINEL;

	assert_int_equal(parse_size(s, &v), 0);
	assert_true(v == want);
}

/* parse_size() must refuse @s without writing the output. */
static void reject_size(const char *s)
{
	uint64_t v = SENTINEL;

	assert_int_equal(parse_size(s, &v), -1);
	assert_true(v == SENTINEL);
}

/* parse_seconds_ms() must accept @s and give @want_ms. */
static void expect_ms(const char *s, uint64_t want_ms)
{
	uint64_t v = SENTINEL;

	assert_int_equal(parse_seconds_ms(s, &v), 0);
	assert_true(v == want_ms);
}

/* parse_seconds_ms() must refuse @s without writing the output. */
static void reject_ms(const char *s)
{
	uint64_t v = SENTINEL;

	assert_int_equal(parse_seconds_ms(s, &v), -1);
	assert_true(v == SENTINEL);
}

static void test_u64_decimal(void **state)
{
	(void)state;
	expect_u64("4096", 4096);
	expect_u64("0", 0);
	expect_u64("1", 1);
}

static void test_u64_hex_either_case(void **state)
{
	(void)state;
	expect_u64("0x1000", 0x1000);
	expect_u64("0XABCdef", 0xabcdef);
	expect_u64("0x0", 0);
}

static void test_u64_leading_zero_is_decimal_not_octal(void **state)
{
	(void)state;
	expect_u64("0755", 755);
	expect_u64("010", 10);
}

static void test_u64_largest_values(void **state)
{
	(void)state;
	expect_u64("18446744073709551615", UINT64_MAX);
	expect_u64("0xffffffffffffffff", UINT64_MAX);
	expect_u64("0x0000000000000000000001", 1); /* leading zeros are not overflow */
}

static void test_u64_overflow_decimal(void **state)
{
	(void)state;
	reject_u64("18446744073709551616");
	reject_u64("99999999999999999999999");
}

static void test_u64_overflow_hex(void **state)
{
	(void)state;
	reject_u64("0x10000000000000000");
	reject_u64("0x1ffffffffffffffff");
}

static void test_u64_rejects_empty_and_null(void **state)
{
	uint64_t v = SENTINEL;

	(void)state;
	reject_u64("");
	assert_int_equal(parse_u64(NULL, &v), -1);
	assert_int_equal(parse_u64("1", NULL), -1);
	assert_true(v == SENTINEL);
}

static void test_u64_rejects_signs(void **state)
{
	(void)state;
	reject_u64("-1");
	reject_u64("+1");
	reject_u64("-0");
}

static void test_u64_rejects_blanks(void **state)
{
	(void)state;
	reject_u64(" 4");
	reject_u64("4 ");
	reject_u64("4\n");
	reject_u64("\t4");
}

static void test_u64_rejects_bare_or_bad_hex(void **state)
{
	(void)state;
	reject_u64("0x");
	reject_u64("0xg");
	reject_u64("x10");
	reject_u64("0x 1");
	reject_u64("12ab"); /* hex digits without the prefix */
}

static void test_u64_rejects_suffix(void **state)
{
	(void)state;
	reject_u64("4G");
	reject_u64("4k");
}

static void test_size_plain_and_hex(void **state)
{
	(void)state;
	expect_size("4096", 4096);
	expect_size("0x1000", 0x1000);
	expect_size("0", 0);
}

static void test_size_each_suffix_upper(void **state)
{
	(void)state;
	expect_size("4K", 4 * KiB);
	expect_size("512M", 512 * MiB);
	expect_size("4G", 4 * GiB);
	expect_size("2T", 2 * TiB);
}

static void test_size_each_suffix_lower(void **state)
{
	(void)state;
	expect_size("4k", 4 * KiB);
	expect_size("512m", 512 * MiB);
	expect_size("4g", 4 * GiB);
	expect_size("2t", 2 * TiB);
}

static void test_size_hex_with_suffix(void **state)
{
	(void)state;
	expect_size("0x10M", 16 * MiB);
	expect_size("0x1G", GiB);
}

static void test_size_rejects_double_suffix(void **state)
{
	(void)state;
	reject_size("4GG");
	reject_size("4KM");
	reject_size("4Gk");
}

static void test_size_rejects_fraction(void **state)
{
	(void)state;
	reject_size("1.5G");
	reject_size("1.0");
}

static void test_size_rejects_blanks(void **state)
{
	(void)state;
	reject_size(" 4G");
	reject_size("4G ");
	reject_size("4 G");
}

static void test_size_rejects_empty_and_bare_suffix(void **state)
{
	(void)state;
	reject_size("");
	reject_size("G");
	reject_size("k");
}

static void test_size_rejects_bare_hex_prefix(void **state)
{
	(void)state;
	reject_size("0x");
	reject_size("0xG");
	reject_size("0xM");
}

static void test_size_rejects_signs(void **state)
{
	(void)state;
	reject_size("-1");
	reject_size("-4G");
	reject_size("+4G");
}

static void test_size_rejects_unknown_suffix(void **state)
{
	(void)state;
	reject_size("4B");
	reject_size("4P");
	reject_size("4KiB");
	reject_size("4GB");
}

static void test_size_number_overflow(void **state)
{
	(void)state;
	reject_size("0x10000000000000000");
	reject_size("18446744073709551616");
	expect_size("18446744073709551615", UINT64_MAX);
}

static void test_size_suffix_overflow(void **state)
{
	(void)state;
	/* 2^34 G = 2^64 bytes: one past the end; one less still fits. */
	reject_size("17179869184G");
	expect_size("17179869183G", 17179869183ull * GiB);
	reject_size("16777216T");
	expect_size("16777215T", 16777215ull * TiB);
	reject_size("0x40000000000000K"); /* 2^54 K */
	expect_size("0x3fffffffffffffK", 0x3fffffffffffffull * KiB);
}

static void test_size_rejects_null(void **state)
{
	uint64_t v = SENTINEL;

	(void)state;
	assert_int_equal(parse_size(NULL, &v), -1);
	assert_int_equal(parse_size("4G", NULL), -1);
	assert_true(v == SENTINEL);
}

static void test_seconds_whole(void **state)
{
	(void)state;
	expect_ms("10", 10000);
	expect_ms("1", 1000);
	expect_ms("0", 0); /* the CLI, not the parser, insists on > 0 */
}

static void test_seconds_fractions(void **state)
{
	(void)state;
	expect_ms("0.5", 500);
	expect_ms("2.25", 2250);
	expect_ms("1.001", 1001);
	expect_ms("0.050", 50);
	expect_ms("0.05", 50);
}

static void test_seconds_rejects_more_than_ms(void **state)
{
	(void)state;
	reject_ms("1.2345");
	reject_ms("0.0001");
}

static void test_seconds_rejects_malformed(void **state)
{
	(void)state;
	reject_ms("");
	reject_ms(".5");
	reject_ms("1.");
	reject_ms("-1");
	reject_ms("+1");
	reject_ms("1e3");
	reject_ms("0x10");
	reject_ms(" 1");
	reject_ms("1 ");
	reject_ms("1s");
	reject_ms("1.2.3");
	reject_ms("1.-5");
}

static void test_seconds_limit_30_days(void **state)
{
	(void)state;
	expect_ms("2592000", 2592000000ull);
	expect_ms("2592000.000", 2592000000ull);
	expect_ms("2591999.999", 2591999999ull);
	reject_ms("2592000.001");
	reject_ms("2592001");
	reject_ms("18446744073709551615");
	reject_ms("99999999999999999999999");
}

static void test_format_size_units(void **state)
{
	char buf[24];

	(void)state;
	assert_string_equal(format_size(4 * GiB, buf, sizeof(buf)), "4G");
	assert_string_equal(format_size(512 * MiB, buf, sizeof(buf)), "512M");
	assert_string_equal(format_size(4 * KiB, buf, sizeof(buf)), "4K");
	assert_string_equal(format_size(TiB, buf, sizeof(buf)), "1T");
	assert_string_equal(format_size(1536 * MiB, buf, sizeof(buf)), "1536M");
	assert_string_equal(format_size(MiB + 4 * KiB, buf, sizeof(buf)), "1028K");
}

static void test_format_size_bytes_and_zero(void **state)
{
	char buf[24];

	(void)state;
	assert_string_equal(format_size(0, buf, sizeof(buf)), "0");
	assert_string_equal(format_size(1000, buf, sizeof(buf)), "1000");
	assert_string_equal(format_size(4097, buf, sizeof(buf)), "4097");
	assert_string_equal(format_size(UINT64_MAX, buf, sizeof(buf)), "18446744073709551615");
}

static void test_format_size_round_trips(void **state)
{
	static const uint64_t values[] = {
		0, 1, 1023, 1024, 4096, 4097, 640 * KiB, 3 * GiB, 3 * GiB + 4 * KiB,
		17179869183ull * GiB, UINT64_MAX, UINT64_MAX - 1023,
	};
	char buf[24];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(values) / sizeof(values[0]); i++)
		expect_size(format_size(values[i], buf, sizeof(buf)), values[i]);
}

static void test_format_size_small_buffer_terminated(void **state)
{
	char buf[4];

	(void)state;
	memset(buf, 'x', sizeof(buf));
	assert_string_equal(format_size(123456, buf, sizeof(buf)), "123");
	assert_string_equal(format_size(1, buf, 0), "");
	assert_string_equal(format_size(1, NULL, 8), "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_u64_decimal),
		cmocka_unit_test(test_u64_hex_either_case),
		cmocka_unit_test(test_u64_leading_zero_is_decimal_not_octal),
		cmocka_unit_test(test_u64_largest_values),
		cmocka_unit_test(test_u64_overflow_decimal),
		cmocka_unit_test(test_u64_overflow_hex),
		cmocka_unit_test(test_u64_rejects_empty_and_null),
		cmocka_unit_test(test_u64_rejects_signs),
		cmocka_unit_test(test_u64_rejects_blanks),
		cmocka_unit_test(test_u64_rejects_bare_or_bad_hex),
		cmocka_unit_test(test_u64_rejects_suffix),
		cmocka_unit_test(test_size_plain_and_hex),
		cmocka_unit_test(test_size_each_suffix_upper),
		cmocka_unit_test(test_size_each_suffix_lower),
		cmocka_unit_test(test_size_hex_with_suffix),
		cmocka_unit_test(test_size_rejects_double_suffix),
		cmocka_unit_test(test_size_rejects_fraction),
		cmocka_unit_test(test_size_rejects_blanks),
		cmocka_unit_test(test_size_rejects_empty_and_bare_suffix),
		cmocka_unit_test(test_size_rejects_bare_hex_prefix),
		cmocka_unit_test(test_size_rejects_signs),
		cmocka_unit_test(test_size_rejects_unknown_suffix),
		cmocka_unit_test(test_size_number_overflow),
		cmocka_unit_test(test_size_suffix_overflow),
		cmocka_unit_test(test_size_rejects_null),
		cmocka_unit_test(test_seconds_whole),
		cmocka_unit_test(test_seconds_fractions),
		cmocka_unit_test(test_seconds_rejects_more_than_ms),
		cmocka_unit_test(test_seconds_rejects_malformed),
		cmocka_unit_test(test_seconds_limit_30_days),
		cmocka_unit_test(test_format_size_units),
		cmocka_unit_test(test_format_size_bytes_and_zero),
		cmocka_unit_test(test_format_size_round_trips),
		cmocka_unit_test(test_format_size_small_buffer_terminated),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
