/* SPDX-License-Identifier: MIT */
/*
 * Unhandled-access reporting (vmm/access_log.c): once per address and
 * direction, bounded memory, exact counts, and the one-line formats.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../vmm/access_log.h"

struct fixture {
	struct access_log log;
	char *buf;
	size_t len;
	FILE *out;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	f->out = open_memstream(&f->buf, &f->len);
	assert_non_null(f->out);
	access_log_init(&f->log, f->out);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	fclose(f->out);
	free(f->buf);
	free(f);
	return 0;
}

static const char *text(struct fixture *f)
{
	fflush(f->out);
	return f->buf;
}

static void test_first_access_is_new_repeat_is_not(void **state)
{
	struct fixture *f = *state;

	assert_true(access_log_note(&f->log, ACCESS_MMIO, 0xc0000000, false));
	assert_false(access_log_note(&f->log, ACCESS_MMIO, 0xc0000000, false));
	assert_false(access_log_note(&f->log, ACCESS_MMIO, 0xc0000000, false));
	assert_int_equal(f->log.total, 3);
	assert_int_equal(f->log.nr_addrs, 1);
}

static void test_read_and_write_are_distinct(void **state)
{
	struct fixture *f = *state;

	assert_true(access_log_note(&f->log, ACCESS_MMIO, 0x1000, false));
	assert_true(access_log_note(&f->log, ACCESS_MMIO, 0x1000, true));
	assert_int_equal(f->log.nr_addrs, 2);
}

static void test_port_and_mmio_are_distinct(void **state)
{
	struct fixture *f = *state;

	assert_true(access_log_note(&f->log, ACCESS_PIO, 0x80, true));
	assert_true(access_log_note(&f->log, ACCESS_MMIO, 0x80, true));
	assert_false(access_log_note(&f->log, ACCESS_PIO, 0x80, true));
}

static void test_high_addresses(void **state)
{
	struct fixture *f = *state;
	const uint64_t top = (1ull << 52) - 4;

	assert_true(access_log_note(&f->log, ACCESS_MMIO, top, false));
	assert_true(access_log_note(&f->log, ACCESS_MMIO, 0, false));
	assert_false(access_log_note(&f->log, ACCESS_MMIO, top, false));
	assert_false(access_log_note(&f->log, ACCESS_MMIO, 0, false));
}

/* A guest sweeping memory fills the table, then is only counted, once said. */
static void test_table_is_bounded(void **state)
{
	struct fixture *f = *state;
	unsigned news = 0;

	for (uint64_t a = 0; a < 3 * ACCESS_LOG_MAX_ADDRS; a++)
		news += access_log_note(&f->log, ACCESS_MMIO, a * 4096, false);
	assert_int_equal(news, ACCESS_LOG_MAX_ADDRS);
	assert_int_equal(f->log.nr_addrs, ACCESS_LOG_MAX_ADDRS);
	assert_int_equal(f->log.nr_unlogged, 2 * ACCESS_LOG_MAX_ADDRS);
	assert_int_equal(f->log.total, 3 * ACCESS_LOG_MAX_ADDRS);
	/* the overflow is announced exactly once */
	const char *t = text(f);
	const char *first = strstr(t, "further new ones are only counted");
	assert_non_null(first);
	assert_null(strstr(first + 1, "further new ones are only counted"));
	/* addresses already in the table are still recognised */
	assert_false(access_log_note(&f->log, ACCESS_MMIO, 0, false));
}

static void test_report_formats(void **state)
{
	struct fixture *f = *state;

	access_log_report(&f->log, ACCESS_MMIO, 0xc0000000, 4, false, 0, 0xffffffff80100000ull,
			  "hole");
	access_log_report(&f->log, ACCESS_MMIO, 0xc0000000, 1, true, 0xab, 0x1000, "hole");
	access_log_report(&f->log, ACCESS_PIO, 0x80, 1, true, 0x12, 0x2000, NULL);
	access_log_report(&f->log, ACCESS_PIO, 0x61, 2, false, 0, 0x3000, NULL);
	assert_string_equal(text(f),
		"vmm: unhandled MMIO read of 4 bytes at GPA 0xc0000000 (hole) from RIP "
		"0xffffffff80100000: reads return all ones\n"
		"vmm: unhandled MMIO write of 1 byte at GPA 0xc0000000 (hole) value 0xab, next RIP "
		"0x1000: ignored\n"
		"vmm: unhandled port I/O write of 1 byte to port 0x80 value 0x12, next RIP 0x2000: "
		"ignored\n"
		"vmm: unhandled port I/O read of 2 bytes from port 0x61 from RIP 0x3000: reads "
		"return all ones\n");
}

static void test_summary(void **state)
{
	struct fixture *f = *state;

	access_log_summary(&f->log);
	assert_true(f->len == 0 || text(f)[0] == '\0'); /* nothing unhandled: silent */
	access_log_note(&f->log, ACCESS_PIO, 0x80, true);
	access_log_note(&f->log, ACCESS_PIO, 0x80, true);
	access_log_note(&f->log, ACCESS_MMIO, 0xd0000000, false);
	access_log_summary(&f->log);
	assert_string_equal(text(f),
			    "vmm: 3 unhandled guest accesses, 2 distinct (address, direction)\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_first_access_is_new_repeat_is_not, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_and_write_are_distinct, setup, teardown),
		cmocka_unit_test_setup_teardown(test_port_and_mmio_are_distinct, setup, teardown),
		cmocka_unit_test_setup_teardown(test_high_addresses, setup, teardown),
		cmocka_unit_test_setup_teardown(test_table_is_bounded, setup, teardown),
		cmocka_unit_test_setup_teardown(test_report_formats, setup, teardown),
		cmocka_unit_test_setup_teardown(test_summary, setup, teardown),
	};
	return cmocka_run_group_tests_name("access_log", tests, NULL, NULL);
}
