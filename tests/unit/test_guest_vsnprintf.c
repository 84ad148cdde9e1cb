/* SPDX-License-Identifier: MIT */
/*
 * The guest's vsnprintf (guest/lib/vsprintf.c), built for the host and
 * compared with glibc's snprintf case by case: same return value, same
 * bytes in the whole destination buffer (so a write past the NUL or past
 * the size shows up too). Where C leaves the output open (unknown
 * conversions, clamped widths) the expected text is the guest's own rule.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <string.h>

/* glibc's formatter, captured before kernel/sprintf.h renames snprintf. */
static int __attribute__((format(printf, 3, 4))) libc_snprintf(char *buf, size_t size,
							       const char *fmt, ...)
{
	va_list args;
	int ret;

	va_start(args, fmt);
	ret = vsnprintf(buf, size, fmt, args);
	va_end(args);
	return ret;
}

#include "kernel/sprintf.h"

#define BUF_SIZE 256
#define FILL 'X' /* what both buffers hold before formatting */

/* Report both outputs on a mismatch, then fail through cmocka. */
static void compare(const char *what, size_t size, const char *want, int want_ret, const char *got,
		    int got_ret)
{
	if (want_ret != got_ret || memcmp(want, got, BUF_SIZE) != 0)
		print_error("%s (size %zu): glibc \"%s\" (%d), guest \"%s\" (%d)\n", what, size,
			    want, want_ret, got, got_ret);
	assert_int_equal(got_ret, want_ret);
	assert_memory_equal(got, want, BUF_SIZE);
}

/* Format with glibc and with the guest into buffers of @size; compare everything. */
#define CHECK_N(size, ...)                                                               \
	do {                                                                             \
		char want_[BUF_SIZE], got_[BUF_SIZE];                                    \
		int want_ret_, got_ret_;                                                 \
		memset(want_, FILL, sizeof(want_));                                      \
		memset(got_, FILL, sizeof(got_));                                        \
		want_ret_ = libc_snprintf(want_, (size), __VA_ARGS__);                   \
		got_ret_ = snprintf(got_, (size), __VA_ARGS__);                          \
		compare(#__VA_ARGS__, (size), want_, want_ret_, got_, got_ret_);         \
	} while (0)

#define CHECK(...) CHECK_N(BUF_SIZE, __VA_ARGS__)

/*
 * Flag combinations GCC's -Wformat rightly calls odd ('0' with '-', ' '
 * with '+'): C still defines the output, so they are checked through a
 * format the compiler cannot see.
 */
#define CHECK_HIDDEN(fmt, ...)                               \
	do {                                                 \
		const char *volatile hidden_fmt_ = (fmt);    \
		CHECK(hidden_fmt_, __VA_ARGS__);             \
	} while (0)

static void test_signed_decimal(void **state)
{
	(void)state;
	CHECK("%d", 0);
	CHECK("%d", 1);
	CHECK("%d", -1);
	CHECK("%d", INT_MAX);
	CHECK("%d", INT_MIN);
	CHECK("%i", 42);
	CHECK("%i", -42);
	CHECK("%ld", LONG_MIN);
	CHECK("%lld", (long long)INT64_MIN);
	CHECK("%lld", (long long)INT64_MAX);
	CHECK("[%d|%d|%d]", -7, 0, 7);
}

static void test_unsigned_decimal(void **state)
{
	(void)state;
	CHECK("%u", 0u);
	CHECK("%u", UINT_MAX);
	CHECK("%lu", ULONG_MAX);
	CHECK("%llu", (unsigned long long)UINT64_MAX);
	CHECK("%u", (unsigned int)-1);
	CHECK("%lu", 4294573056ul);
}

static void test_hex_and_octal(void **state)
{
	(void)state;
	CHECK("%x", 0u);
	CHECK("%x", 0xdeadbeefu);
	CHECK("%X", 0xdeadbeefu);
	CHECK("%#x", 0u);
	CHECK("%#x", 255u);
	CHECK("%#X", 255u);
	CHECK("%#010x", 255u);
	CHECK("%lx", 0xffffffff80000000ul);
	CHECK("%016lx", 0x9fbfful);
	CHECK("0x%016llx", 0ull);
	CHECK("%o", 8u);
	CHECK("%o", 0u);
	CHECK("%#o", 0u);
	CHECK("%#o", 8u);
	CHECK("%#.3o", 8u);
	CHECK("%#.0o", 0u);
	CHECK("%llo", (unsigned long long)UINT64_MAX);
}

static void test_width_and_flags(void **state)
{
	(void)state;
	CHECK("%5d", 42);
	CHECK("%-5d|", 42);
	CHECK("%05d", -42);
	CHECK("%+d", 42);
	CHECK("%+d", 0);
	CHECK("% d", 42);
	CHECK("% d", -42);
	CHECK("%+05d", 42);
	CHECK("%-+6d|", 42);
	CHECK("% 05d", 42);
	CHECK("%1d", 12345);
	CHECK("%-#8x|", 0xabu);
	CHECK("%#8o", 8u);
	CHECK_HIDDEN("%-05d|", -42);
	CHECK_HIDDEN("%+ d", 42);
	CHECK_HIDDEN("%0-8x|", 0x1fu);
}

static void test_precision(void **state)
{
	(void)state;
	CHECK("%.3d", 7);
	CHECK("%.3d", -7);
	CHECK("%.0d", 0);
	CHECK("%.0x", 0u);
	CHECK("%5.0d|", 0);
	CHECK("%8.3d", -5);
	CHECK("%-8.3d|", 5);
	CHECK("%.10u", 123u);
	CHECK("%#.8x", 0x1234u);
	CHECK("%+.2d", 3);
	CHECK("%.d", 0);
	CHECK_HIDDEN("%08.3d", 5);
	CHECK_HIDDEN("%010.4x", 0xabu);
}

static void test_star_width_and_precision(void **state)
{
	(void)state;
	CHECK("%*d", 6, 42);
	CHECK("%-*d|", 6, 42);
	CHECK("%*d|", -6, 42);
	CHECK("%.*d", 4, 42);
	CHECK("%.*d", -1, 42);
	CHECK("%.*d", 0, 0);
	CHECK("%*.*s|", 8, 3, "abcdef");
	CHECK("%*.*x|", -8, 4, 0xau);
	CHECK("%0*d", 5, -3);
}

static void test_length_modifiers(void **state)
{
	(void)state;
	CHECK("%hhd", 300);
	CHECK("%hhd", -129);
	CHECK("%hhu", -1);
	CHECK("%hhx", 0x1234);
	CHECK("%hd", 70000);
	CHECK("%hu", -1);
	CHECK("%hx", 0x123456);
	CHECK("%zd", (ssize_t)-5);
	CHECK("%zu", SIZE_MAX);
	CHECK("%zx", (size_t)0xabcdef);
	CHECK("%td", (ptrdiff_t)PTRDIFF_MIN);
	CHECK("%tu", (ptrdiff_t)-1);
	CHECK("%tx", (ptrdiff_t)-1);
	CHECK("%jd", INTMAX_MIN);
	CHECK("%ju", UINTMAX_MAX);
	CHECK("%jx", (uintmax_t)0x123456789abcdefull);
	CHECK("%lld %hhd %ld", -1ll, (signed char)-2, -3l);
}

static void test_strings(void **state)
{
	/* volatile: the compiler must not see (and refuse) the NULL argument. */
	const char *volatile null_str = NULL;

	(void)state;
	CHECK("%s", "hello");
	CHECK("%s", "");
	CHECK("%10s|", "hello");
	CHECK("%-10s|", "hello");
	CHECK("%.2s", "hello");
	CHECK("%.0s|", "hello");
	CHECK("%10.3s|", "hello");
	CHECK("%-10.3s|", "hello");
	CHECK("%.10s", "hi");
	CHECK("%s %s", "a", "b");
	/* C leaves NULL undefined; glibc prints "(null)", or nothing below precision 6. */
	CHECK("%s", null_str);
	CHECK("%.3s|", null_str);
	CHECK("%.6s|", null_str);
	CHECK("%10s|", null_str);
}

static void test_strings_not_read_past_precision(void **state)
{
	/* Not NUL-terminated: %.3s must stop after three bytes (ASan checks the reads). */
	static const char abc[3] = { 'a', 'b', 'c' };
	char buf[16];

	(void)state;
	assert_int_equal(snprintf(buf, sizeof(buf), "%.3s|", abc), 4);
	assert_string_equal(buf, "abc|");
}

static void test_chars_and_percent(void **state)
{
	(void)state;
	CHECK("%c", 'a');
	CHECK("%5c|", 'b');
	CHECK("%-3c|", 'c');
	CHECK("%c%c%c", 'x', 'y', 'z');
	CHECK("%c", 0xe9);
	CHECK("100%%");
	CHECK("%%d %d %%", 5);
	CHECK("no conversions at all");
	CHECK("%s", "%d inside an argument stays literal");
}

static void test_pointers(void **state)
{
	(void)state;
	CHECK("%p", (void *)0x1234);
	CHECK("%p", (void *)NULL);
	CHECK("%20p|", (void *)0xffffffff80100000ul);
	CHECK("%-20p|", (void *)0xabc);
	CHECK("%10p|", (void *)NULL);
	CHECK("%p", (void *)UINTPTR_MAX);
}

static void test_truncation(void **state)
{
	(void)state;
	CHECK_N(1, "hello");
	CHECK_N(5, "hello world");
	CHECK_N(6, "hello");
	CHECK_N(2, "%d", -12345);
	CHECK_N(4, "%08x", 0xbeefu);
	CHECK_N(3, "%-10s|", "ab");
	CHECK_N(7, "%s=%lu", "key", 1234567ul);
	CHECK_N(10, "%#018lx", 0xfffful);
	CHECK_N(1, "%s", "");
}

static void test_size_zero_writes_nothing(void **state)
{
	char buf[4] = { FILL, FILL, FILL, FILL };

	(void)state;
	assert_int_equal(snprintf(NULL, 0, "%s %d", "len", 12345), 9);
	assert_int_equal(snprintf(buf, 0, "%d", 42), 2);
	assert_int_equal(buf[0], FILL);
}

static void test_kernel_formats(void **state)
{
	(void)state;
	/* The lines the guest prints, against glibc. */
	CHECK("BIOS-e820: [mem 0x%016lx-0x%016lx] %s", 0x9fc00ul, 0xffffful, "reserved");
	CHECK("e820: usable RAM: %lu bytes (%lu KiB) in %u ranges", 4294573056ul, 4193919ul, 3u);
	CHECK("  %u base %0*X%05X000 mask %0*X%05X000 %s", 0u, 7, 0u, 0xc0000u, 7, 0xffffu,
	      0xc0000u, "uncachable");
	CHECK("  %05X-%05X %s", 0xa0000u, 0xbffffu, "uncachable");
	CHECK("RIP: %04lx:%016lx RFLAGS: %016lx", 8ul, 0xffffffff8010177aul, 0x10046ul);
	CHECK("probe: read 0x%08x at 0x%lx", 0xffffffffu, 0xc0000000ul);
}

static void test_unknown_conversion_printed_as_is(void **state)
{
	char buf[32];

	(void)state;
	/*
	 * C leaves these undefined; the guest prints the specification
	 * unchanged and fetches no argument for it.
	 */
	{
		const char *volatile fmt = "a%";

		assert_int_equal(snprintf(buf, sizeof(buf), fmt, 0), 2);
		assert_string_equal(buf, "a%");
	}
	{
		const char *volatile fmt = "[%5y]";

		assert_int_equal(snprintf(buf, sizeof(buf), fmt, 0), 5);
		assert_string_equal(buf, "[%5y]");
	}
	{
		const char *volatile fmt = "%n|%d";

		/* %n is never honoured: no pointer is fetched, nothing is written. */
		assert_int_equal(snprintf(buf, sizeof(buf), fmt, 7), 4);
		assert_string_equal(buf, "%n|7");
	}
}

static void test_huge_width_is_clamped(void **state)
{
	char buf[8];

	(void)state;
	/* Widths are clamped to 2^23 - 1 (as Linux does): the count stays an int. */
	assert_int_equal(snprintf(buf, sizeof(buf), "%*d", INT_MAX, 1), (1 << 23) - 1);
	assert_string_equal(buf, "       ");
	assert_int_equal(snprintf(buf, sizeof(buf), "%99999999d", 1), (1 << 23) - 1);
	assert_int_equal(snprintf(buf, sizeof(buf), "%.*d", INT_MAX, 1), (1 << 23) - 1);
	assert_string_equal(buf, "0000000");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_signed_decimal),
		cmocka_unit_test(test_unsigned_decimal),
		cmocka_unit_test(test_hex_and_octal),
		cmocka_unit_test(test_width_and_flags),
		cmocka_unit_test(test_precision),
		cmocka_unit_test(test_star_width_and_precision),
		cmocka_unit_test(test_length_modifiers),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_strings_not_read_past_precision),
		cmocka_unit_test(test_chars_and_percent),
		cmocka_unit_test(test_pointers),
		cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_size_zero_writes_nothing),
		cmocka_unit_test(test_kernel_formats),
		cmocka_unit_test(test_unknown_conversion_printed_as_is),
		cmocka_unit_test(test_huge_width_is_clamped),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
