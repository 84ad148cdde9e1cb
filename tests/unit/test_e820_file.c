/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for vmm/e820_file.c: the raw table must reach the guest
 * exactly as written (order, overlaps, empty and wrapping entries), and
 * every malformed line must be refused naming FILE:LINE and the problem.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../vmm/e820_file.h"

#define KiB (1ull << 10)
#define MiB (1ull << 20)
#define GiB (1ull << 30)
#define LINE_MAX_CHARS 512
#define FILE_BYTES_MAX (1u << 20)
#define PATH_BUF 64

/* Parse @text (a C string) with room for @max entries into @out. */
static int parse(const char *text, struct e820_entry *out, unsigned max, struct vmm_err *err)
{
	strcpy(err->msg, "(no message)");
	return e820_file_parse(text, strlen(text), out, max, err);
}

/* @text must be refused with exactly @msg. */
static void expect_error(const char *text, const char *msg)
{
	struct e820_entry out[E820_MAX_ENTRIES];
	struct vmm_err err;

	assert_int_equal(parse(text, out, E820_MAX_ENTRIES, &err), -1);
	assert_string_equal(err.msg, msg);
}

/* One parsed entry must be exactly (addr, size, type). */
static void assert_entry(const struct e820_entry *e, uint64_t addr, uint64_t size, uint32_t type)
{
	if (e->addr != addr || e->size != size || e->type != type)
		fail_msg("got [%#llx +%#llx type %#x], want [%#llx +%#llx type %#x]",
			 (unsigned long long)e->addr, (unsigned long long)e->size, e->type,
			 (unsigned long long)addr, (unsigned long long)size, type);
}

/* Write @len bytes to a new temporary file whose name goes to @path. */
static void write_temp(char *path, const void *data, size_t len)
{
	int fd;

	strcpy(path, "/tmp/test_e820_file.XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	close(fd);
}

static void test_parse_linux_style_table(void **state)
{
	struct e820_entry out[8];
	struct vmm_err err;

	(void)state;
	assert_int_equal(parse("0 0x9fc00 usable\n"
			       "0x9fc00 0x400 reserved\n"
			       "0xf0000 0x10000 reserved\n"
			       "0x100000 0xbff00000 usable\n",
			       out, 8, &err), 4);
	assert_entry(&out[0], 0, 0x9fc00, E820_TYPE_RAM);
	assert_entry(&out[1], 0x9fc00, 0x400, E820_TYPE_RESERVED);
	assert_entry(&out[2], 0xf0000, 0x10000, E820_TYPE_RESERVED);
	assert_entry(&out[3], 0x100000, 0xbff00000, E820_TYPE_RAM);
}

/* Firmware bugs the guest must sort out reach it untouched. */
static void test_parse_keeps_unsorted_order(void **state)
{
	struct e820_entry out[8];
	struct vmm_err err;

	(void)state;
	assert_int_equal(parse("0x100000000 0x40000000 usable\n"
			       "0 0x9f000 usable\n"
			       "0x100000 0x3ff00000 usable\n",
			       out, 8, &err), 3);
	assert_entry(&out[0], 0x100000000ull, GiB, E820_TYPE_RAM);
	assert_entry(&out[1], 0, 0x9f000, E820_TYPE_RAM);
	assert_entry(&out[2], 0x100000, 0x3ff00000, E820_TYPE_RAM);
}

static void test_parse_keeps_overlapping_and_duplicate(void **state)
{
	struct e820_entry out[8];
	struct vmm_err err;

	(void)state;
	assert_int_equal(parse("0x100000 0x1000000 usable\n"
			       "0x200000 0x100000 reserved\n"
			       "0x200000 0x100000 reserved\n",
			       out, 8, &err), 3);
	assert_entry(&out[1], 0x200000, 0x100000, E820_TYPE_RESERVED);
	assert_entry(&out[2], 0x200000, 0x100000, E820_TYPE_RESERVED);
}

static void test_parse_keeps_zero_size_entry(void **state)
{
	struct e820_entry out[8];
	struct vmm_err err;

	(void)state;
	assert_int_equal(parse("0x100000 0 usable\n", out, 8, &err), 1);
	assert_entry(&out[0], 0x100000, 0, E820_TYPE_RAM);
}

static void test_parse_keeps_wrapping_entry(void **state)
{
	struct e820_entry out[8];
	struct vmm_err err;

	(void)state;
	assert_int_equal(parse("0xfffffffffffff000 0x2000 reserved\n"
			       "0xffffffffffffffff 0xffffffffffffffff usable\n",
			       out, 8, &err), 2);
	assert_entry(&out[0], 0xfffffffffffff000ull, 0x2000, E820_TYPE_RESERVED);
	assert_entry(&out[1], UINT64_MAX, UINT64_MAX, E820_TYPE_RAM);
}

/* Comments, blank lines and trailing comments; line numbers count them all. */
static void test_parse_comments_and_blank_lines(void **state)
{
	struct e820_entry out[8];
	struct vmm_err err;

	(void)state;
	assert_int_equal(parse("# a broken BIOS\n"
			       "\n"
			       "   \t \n"
			       "0 0x9fc00 usable   # low memory\n"
			       "#0x100000 0x100000 usable\n"
			       "0x100000 0x100000 usable#no blank before the comment\n",
			       out, 8, &err), 2);
	assert_entry(&out[1], 0x100000, 0x100000, E820_TYPE_RAM);
	expect_error("# one\n\n# three\n0 1 usable\nbogus\n",
		     "line 5: missing SIZE (expected ADDR SIZE TYPE)");
}

static void test_parse_crlf_tabs_and_no_final_newline(void **state)
{
	struct e820_entry out[8];
	struct vmm_err err;

	(void)state;
	assert_int_equal(parse("0\t0x9fc00\tusable\r\n0x100000  0x100000\t \tacpi", out, 8, &err),
			 2);
	assert_entry(&out[0], 0, 0x9fc00, E820_TYPE_RAM);
	assert_entry(&out[1], 0x100000, 0x100000, E820_TYPE_ACPI);
}

static void test_parse_size_suffixes(void **state)
{
	struct e820_entry out[8];
	struct vmm_err err;

	(void)state;
	assert_int_equal(parse("0x100000 1G usable\n4294967296 512m pmem\n", out, 8, &err), 2);
	assert_entry(&out[0], 0x100000, GiB, E820_TYPE_RAM);
	assert_entry(&out[1], 4 * GiB, 512 * MiB, E820_TYPE_PMEM);
}

static void test_parse_every_type_name(void **state)
{
	struct e820_entry out[16];
	struct vmm_err err;

	(void)state;
	assert_int_equal(parse("0 1 usable\n0 1 ram\n0 1 reserved\n0 1 acpi\n0 1 nvs\n"
			       "0 1 unusable\n0 1 pmem\n0 1 pram\n0 1 soft-reserved\n",
			       out, 16, &err), 9);
	assert_int_equal(out[0].type, 1);
	assert_int_equal(out[1].type, 1);
	assert_int_equal(out[2].type, 2);
	assert_int_equal(out[3].type, 3);
	assert_int_equal(out[4].type, 4);
	assert_int_equal(out[5].type, 5);
	assert_int_equal(out[6].type, 7);
	assert_int_equal(out[7].type, 12);
	assert_int_equal(out[8].type, 0xefffffffu);
}

/* Any 32-bit type number passes, so the guest sees types it does not know. */
static void test_parse_numeric_types(void **state)
{
	struct e820_entry out[8];
	struct vmm_err err;

	(void)state;
	assert_int_equal(parse("0 1 0\n0 1 99\n0 1 0xefffffff\n0 1 4294967295\n", out, 8, &err),
			 4);
	assert_int_equal(out[0].type, 0);
	assert_int_equal(out[1].type, 99);
	assert_int_equal(out[2].type, 0xefffffffu);
	assert_int_equal(out[3].type, UINT32_MAX);
	expect_error("0 1 4294967296\n", "line 1: unknown E820 type '4294967296'");
}

static void test_reject_missing_fields(void **state)
{
	(void)state;
	expect_error("0x1000\n", "line 1: missing SIZE (expected ADDR SIZE TYPE)");
	expect_error("0 1 usable\n0x1000 0x1000\n",
		     "line 2: missing TYPE (expected ADDR SIZE TYPE)");
	expect_error("0 1 usable\n0x1000 0x1000 # reserved\n",
		     "line 2: missing TYPE (expected ADDR SIZE TYPE)");
}

static void test_reject_trailing_junk(void **state)
{
	(void)state;
	expect_error("0 0x1000 usable extra\n", "line 1: unexpected 'extra' after TYPE");
	expect_error("0 0x1000 usable  7 8\n", "line 1: unexpected '7' after TYPE");
}

static void test_reject_bad_address(void **state)
{
	(void)state;
	expect_error("zz 0x1000 usable\n", "line 1: invalid address 'zz'");
	expect_error("1G 0x1000 usable\n", "line 1: invalid address '1G'");
	expect_error("-1 0x1000 usable\n", "line 1: invalid address '-1'");
	expect_error("0x10000000000000000 1 usable\n",
		     "line 1: invalid address '0x10000000000000000'");
}

static void test_reject_bad_size(void **state)
{
	(void)state;
	expect_error("0 4X usable\n", "line 1: invalid size '4X'");
	expect_error("0 17179869184G usable\n", "line 1: invalid size '17179869184G'");
	expect_error("0 1.5G usable\n", "line 1: invalid size '1.5G'");
}

static void test_reject_unknown_type_name(void **state)
{
	(void)state;
	expect_error("0 0x1000 ramm\n", "line 1: unknown E820 type 'ramm'");
	expect_error("0 0x1000 -2\n", "line 1: unknown E820 type '-2'");
}

static void test_reject_nul_byte(void **state)
{
	static const char text[] = "0 0x1000 usable\n0x1000 0x1\0000 usable\n";
	struct e820_entry out[8];
	struct vmm_err err;

	(void)state;
	assert_int_equal(e820_file_parse(text, sizeof(text) - 1, out, 8, &err), -1);
	assert_string_equal(err.msg, "line 2: NUL byte in the line");
}

/* 512 characters are a line; 513 are refused before anything is parsed. */
static void test_line_length_limit(void **state)
{
	char text[LINE_MAX_CHARS + 32];
	struct e820_entry out[8];
	struct vmm_err err;
	size_t n;

	(void)state;
	n = (size_t)sprintf(text, "0 0x1000 usable #");
	memset(text + n, 'x', LINE_MAX_CHARS - n);
	text[LINE_MAX_CHARS] = '\n';
	text[LINE_MAX_CHARS + 1] = '\0';
	assert_int_equal(parse(text, out, 8, &err), 1);
	text[LINE_MAX_CHARS] = 'x';
	text[LINE_MAX_CHARS + 1] = '\n';
	text[LINE_MAX_CHARS + 2] = '\0';
	expect_error(text, "line 1: line longer than 512 characters");
}

static void test_max_entries_exact_and_exceeded(void **state)
{
	static char text[(E820_MAX_ENTRIES + 1) * 32];
	struct e820_entry out[E820_MAX_ENTRIES];
	struct vmm_err err;
	size_t n = 0;
	unsigned i;

	(void)state;
	for (i = 0; i < E820_MAX_ENTRIES; i++)
		n += (size_t)sprintf(text + n, "%#x 0x1000 reserved\n", i * 0x1000);
	assert_int_equal(parse(text, out, E820_MAX_ENTRIES, &err), E820_MAX_ENTRIES);
	assert_entry(&out[E820_MAX_ENTRIES - 1], (E820_MAX_ENTRIES - 1) * 0x1000ull, 0x1000,
		     E820_TYPE_RESERVED);
	sprintf(text + n, "# comment\n0 1 usable\n");
	assert_int_equal(parse(text, out, E820_MAX_ENTRIES, &err), -1);
	assert_string_equal(err.msg, "line 130: more than 128 entries");
	assert_int_equal(parse("0 1 usable\n0 2 usable\n", out, 1, &err), -1);
	assert_string_equal(err.msg, "line 2: more than 1 entries");
}

static void test_reject_empty_table(void **state)
{
	struct e820_entry out[8];
	struct vmm_err err;

	(void)state;
	assert_int_equal(e820_file_parse("", 0, out, 8, &err), -1);
	assert_string_equal(err.msg, "no E820 entries in the table");
	expect_error("# nothing but a comment\n\n", "no E820 entries in the table");
}

/* Only @len bytes count: what follows them is not part of the table. */
static void test_parse_respects_length(void **state)
{
	static const char text[] = "0 0x1000 usable\n0x1000 0x1000 reserved\ngarbage";
	struct e820_entry out[8];
	struct vmm_err err;

	(void)state;
	assert_int_equal(e820_file_parse(text, 16, out, 8, &err), 1);
	assert_int_equal(e820_file_parse(text, strlen(text) - strlen("garbage"), out, 8, &err), 2);
	assert_int_equal(e820_file_parse(text, 10, out, 8, &err), -1);
	assert_string_equal(err.msg, "line 1: unknown E820 type 'u'");
	assert_int_equal(e820_file_parse(text, 9, out, 8, &err), -1);
	assert_string_equal(err.msg, "line 1: missing TYPE (expected ADDR SIZE TYPE)");
}

/* Escape sequences in a hostile file never reach the terminal; long tokens are clipped. */
static void test_messages_sanitize_tokens(void **state)
{
	char text[256];

	(void)state;
	expect_error("0 0x1000 \x1b[2Jevil\n", "line 1: unknown E820 type '?[2Jevil'");
	memset(text, 'z', 100);
	strcpy(text + 100, " 1 usable\n");
	expect_error(text, "line 1: invalid address 'zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz...'");
}

static void test_load_file_and_errors_name_it(void **state)
{
	static const char good[] = "# test\n0 0x9fc00 usable\n0x100000 0x100000 usable\n";
	static const char bad[] = "0 0x9fc00 usable\n\n0x100000 oops usable\n";
	char path[PATH_BUF], msg[2 * PATH_BUF];
	struct e820_entry out[8];
	struct vmm_err err;

	(void)state;
	write_temp(path, good, sizeof(good) - 1);
	assert_int_equal(e820_file_load(path, out, 8, &err), 2);
	assert_entry(&out[1], 0x100000, 0x100000, E820_TYPE_RAM);
	unlink(path);

	write_temp(path, bad, sizeof(bad) - 1);
	assert_int_equal(e820_file_load(path, out, 8, &err), -1);
	snprintf(msg, sizeof(msg), "%s:3: invalid size 'oops'", path);
	assert_string_equal(err.msg, msg);
	unlink(path);
}

static void test_load_empty_file_refused(void **state)
{
	char path[PATH_BUF], msg[2 * PATH_BUF];
	struct e820_entry out[8];
	struct vmm_err err;

	(void)state;
	write_temp(path, "", 0);
	assert_int_equal(e820_file_load(path, out, 8, &err), -1);
	snprintf(msg, sizeof(msg), "%s: no E820 entries", path);
	assert_string_equal(err.msg, msg);
	unlink(path);
}

static void test_load_missing_or_unreadable_refused(void **state)
{
	struct e820_entry out[8];
	struct vmm_err err;

	(void)state;
	assert_int_equal(e820_file_load("/nonexistent/table.e820", out, 8, &err), -1);
	assert_string_equal(err.msg, "cannot open E820 file '/nonexistent/table.e820': "
				     "No such file or directory");
	assert_int_equal(e820_file_load("/", out, 8, &err), -1);
	assert_string_equal(err.msg, "cannot read E820 file '/': Is a directory");
	assert_int_equal(e820_file_load("", out, 8, &err), -1);
	assert_string_equal(err.msg, "empty E820 file name");
}

/* A file of comments larger than 1 MiB is refused instead of read forever. */
static void test_load_oversized_file_refused(void **state)
{
	char path[PATH_BUF], msg[2 * PATH_BUF];
	struct e820_entry out[8];
	struct vmm_err err;
	char *big = malloc(FILE_BYTES_MAX + 1);
	size_t i;

	(void)state;
	assert_non_null(big);
	for (i = 0; i <= FILE_BYTES_MAX; i++)
		big[i] = (i % 64 == 63) ? '\n' : '#';
	write_temp(path, big, FILE_BYTES_MAX + 1);
	assert_int_equal(e820_file_load(path, out, 8, &err), -1);
	snprintf(msg, sizeof(msg), "E820 file '%s' is larger than 1048576 bytes", path);
	assert_string_equal(err.msg, msg);
	unlink(path);
	/* Exactly the limit is still read (and then judged on its content). */
	memcpy(big, "0 1 usable\n", 11);
	write_temp(path, big, FILE_BYTES_MAX);
	assert_int_equal(e820_file_load(path, out, 8, &err), 1);
	unlink(path);
	free(big);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_linux_style_table),
		cmocka_unit_test(test_parse_keeps_unsorted_order),
		cmocka_unit_test(test_parse_keeps_overlapping_and_duplicate),
		cmocka_unit_test(test_parse_keeps_zero_size_entry),
		cmocka_unit_test(test_parse_keeps_wrapping_entry),
		cmocka_unit_test(test_parse_comments_and_blank_lines),
		cmocka_unit_test(test_parse_crlf_tabs_and_no_final_newline),
		cmocka_unit_test(test_parse_size_suffixes),
		cmocka_unit_test(test_parse_every_type_name),
		cmocka_unit_test(test_parse_numeric_types),
		cmocka_unit_test(test_reject_missing_fields),
		cmocka_unit_test(test_reject_trailing_junk),
		cmocka_unit_test(test_reject_bad_address),
		cmocka_unit_test(test_reject_bad_size),
		cmocka_unit_test(test_reject_unknown_type_name),
		cmocka_unit_test(test_reject_nul_byte),
		cmocka_unit_test(test_line_length_limit),
		cmocka_unit_test(test_max_entries_exact_and_exceeded),
		cmocka_unit_test(test_reject_empty_table),
		cmocka_unit_test(test_parse_respects_length),
		cmocka_unit_test(test_messages_sanitize_tokens),
		cmocka_unit_test(test_load_file_and_errors_name_it),
		cmocka_unit_test(test_load_empty_file_refused),
		cmocka_unit_test(test_load_missing_or_unreadable_refused),
		cmocka_unit_test(test_load_oversized_file_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
