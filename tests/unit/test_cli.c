/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for vmm/cli.c: every option, every refusal with its exact
 * message, repeats, and the --help / --version text (captured with
 * open_memstream). cli_parse() is called many times in one process, which
 * also checks that it resets getopt's state.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../vmm/cli.h"

#define KiB (1ull << 10)
#define MiB (1ull << 20)
#define GiB (1ull << 30)
#define MAX_ARGS 300
#define HELP_WIDTH_MAX 80

/* Parse "vmm" plus the NULL-terminated @args; help/version text goes to @out. */
static enum cli_result parse_argv(struct vmm_config *cfg, struct vmm_err *err, FILE *out,
				  const char *const *args)
{
	static char *argv[MAX_ARGS + 2];
	int argc = 0;

	argv[argc++] = "vmm";
	while (*args) {
		assert_true(argc <= MAX_ARGS);
		argv[argc++] = (char *)*args++;
	}
	argv[argc] = NULL;
	strcpy(err->msg, "(no message)");
	return cli_parse(argc, argv, cfg, out, err);
}

#define PARSE(cfg, err, ...) parse_argv(cfg, err, NULL, (const char *const[]){ __VA_ARGS__, NULL })

/* The arguments must be refused with exactly @msg. */
#define EXPECT_USAGE(want, ...)                                                             \
	do {                                                                               \
		struct vmm_config c_;                                                      \
		struct vmm_err e_;                                                         \
		assert_int_equal(PARSE(&c_, &e_, __VA_ARGS__), CLI_USAGE);                 \
		assert_string_equal(e_.msg, (want));                                       \
	} while (0)

/* The arguments must parse into a runnable configuration in @cfg. */
#define EXPECT_RUN(cfg, ...)                                                               \
	do {                                                                               \
		struct vmm_err e_;                                                         \
		if (PARSE((cfg), &e_, __VA_ARGS__) != CLI_RUN)                            \
			fail_msg("refused: %s", e_.msg);                                   \
	} while (0)

/* Capture what cli_parse() prints for @args; returns a malloc()ed string. */
static char *capture(enum cli_result want, const char *const *args)
{
	struct vmm_config cfg;
	struct vmm_err err;
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	assert_non_null(f);
	assert_int_equal(parse_argv(&cfg, &err, f, args), want);
	fclose(f);
	return text;
}

static void test_defaults_with_only_elf(void **state)
{
	struct vmm_config cfg;

	(void)state;
	EXPECT_RUN(&cfg, "guest.elf");
	assert_string_equal(cfg.elf_path, "guest.elf");
	assert_true(cfg.mem_size == LAYOUT_DEFAULT_MEM);
	assert_false(cfg.mem_given);
	assert_int_equal(cfg.nr_dimms, 0);
	assert_int_equal(cfg.nr_e820_extra, 0);
	assert_null(cfg.e820_file);
	assert_string_equal(cfg.cmdline, "");
	assert_true(cfg.timeout_ms == 0);
	assert_int_equal(cfg.verbose, 0);
}

static void test_m_sets_memory(void **state)
{
	struct vmm_config cfg;

	(void)state;
	EXPECT_RUN(&cfg, "-m", "2G", "guest.elf");
	assert_true(cfg.mem_size == 2 * GiB);
	assert_true(cfg.mem_given);
	EXPECT_RUN(&cfg, "-m512m", "guest.elf");
	assert_true(cfg.mem_size == 512 * MiB);
	EXPECT_RUN(&cfg, "-m", "0x40000000", "guest.elf");
	assert_true(cfg.mem_size == GiB);
}

static void test_m_invalid_size_refused(void **state)
{
	(void)state;
	EXPECT_USAGE("invalid size 'abc' for -m", "-m", "abc", "guest.elf");
	EXPECT_USAGE("invalid size '4GG' for -m", "-m", "4GG", "guest.elf");
	EXPECT_USAGE("invalid size '' for -m", "-m", "", "guest.elf");
	EXPECT_USAGE("invalid size '-1' for -m", "-m", "-1", "guest.elf");
}

static void test_m_missing_argument_refused(void **state)
{
	(void)state;
	EXPECT_USAGE("option '-m' needs an argument", "guest.elf", "-m");
}

static void test_m_given_twice_refused(void **state)
{
	(void)state;
	EXPECT_USAGE("option '-m' given twice ('4G', then '2G')", "-m", "4G", "-m", "2G",
		     "guest.elf");
}

static void test_dimm_one(void **state)
{
	struct vmm_config cfg;

	(void)state;
	EXPECT_RUN(&cfg, "--dimm", "1G@0", "guest.elf");
	assert_int_equal(cfg.nr_dimms, 1);
	assert_true(cfg.dimms[0].base == 0 && cfg.dimms[0].size == GiB);
	assert_false(cfg.mem_given);
}

/* --dimm 512M@0 --dimm 256M@1G --dimm 1G@4G, kept in command-line order. */
static void test_dimm_repeated_keeps_order(void **state)
{
	struct vmm_config cfg;

	(void)state;
	EXPECT_RUN(&cfg, "--dimm", "1G@4G", "--dimm=256M@1G", "--dimm", "512M@0x0", "guest.elf");
	assert_int_equal(cfg.nr_dimms, 3);
	assert_true(cfg.dimms[0].base == 4 * GiB && cfg.dimms[0].size == GiB);
	assert_true(cfg.dimms[1].base == GiB && cfg.dimms[1].size == 256 * MiB);
	assert_true(cfg.dimms[2].base == 0 && cfg.dimms[2].size == 512 * MiB);
}

static void test_dimm_malformed_refused(void **state)
{
	(void)state;
	EXPECT_USAGE("invalid DIMM '1G' for --dimm: expected SIZE@ADDR, e.g. 1G@4G", "--dimm",
		     "1G", "guest.elf");
	EXPECT_USAGE("invalid size 'x' in --dimm 'x@0'", "--dimm", "x@0", "guest.elf");
	EXPECT_USAGE("invalid size '' in --dimm '@0'", "--dimm", "@0", "guest.elf");
	EXPECT_USAGE("invalid address '' in --dimm '1G@'", "--dimm", "1G@", "guest.elf");
	EXPECT_USAGE("invalid address '0@0' in --dimm '1G@0@0'", "--dimm", "1G@0@0", "guest.elf");
	EXPECT_USAGE("invalid address '4 G' in --dimm '1G@4 G'", "--dimm", "1G@4 G", "guest.elf");
}

/* A SIZE far too long to be a number is refused, not truncated into one. */
static void test_dimm_overlong_field_refused(void **state)
{
	char arg[200];

	(void)state;
	memset(arg, '1', sizeof(arg));
	strcpy(arg + 150, "@0");
	{
		struct vmm_config cfg;
		struct vmm_err err;

		assert_int_equal(PARSE(&cfg, &err, "--dimm", arg, "guest.elf"), CLI_USAGE);
		assert_non_null(strstr(err.msg, "invalid size '111"));
		assert_non_null(strstr(err.msg, "...' in --dimm '"));
		assert_non_null(strstr(err.msg, arg));
	}
}

static void test_dimm_missing_argument_refused(void **state)
{
	(void)state;
	EXPECT_USAGE("option '--dimm' needs an argument", "guest.elf", "--dimm");
}

static void test_dimm_too_many_refused(void **state)
{
	const char *args[LAYOUT_MAX_DIMMS * 2 + 4];
	static char vals[LAYOUT_MAX_DIMMS + 1][32];
	struct vmm_config cfg;
	struct vmm_err err;
	unsigned i, n = 0;

	(void)state;
	for (i = 0; i <= LAYOUT_MAX_DIMMS; i++) {
		snprintf(vals[i], sizeof(vals[i]), "1G@%uG", 4 + i);
		args[n++] = "--dimm";
		args[n++] = vals[i];
	}
	args[n++] = "guest.elf";
	args[n] = NULL;
	assert_int_equal(parse_argv(&cfg, &err, NULL, args), CLI_USAGE);
	assert_string_equal(err.msg,
			    "too many DIMMs: --dimm '1G@132G' would be number 129, at most 128");
	/* One fewer is accepted. */
	args[n - 3] = "guest.elf";
	args[n - 2] = NULL;
	assert_int_equal(parse_argv(&cfg, &err, NULL, args), CLI_RUN);
	assert_int_equal(cfg.nr_dimms, LAYOUT_MAX_DIMMS);
}

static void test_m_and_dimm_refused(void **state)
{
	(void)state;
	EXPECT_USAGE("-m and --dimm cannot be combined (-m 4G, --dimm 1G@0)", "--dimm", "1G@0",
		     "-m", "4G", "guest.elf");
}

static void test_e820_each_accepted_type(void **state)
{
	static const struct {
		const char *arg;
		uint32_t type;
	} cases[] = {
		{ "reserved@0xfed00000+4K", E820_TYPE_RESERVED },
		{ "acpi@0xfed00000+4K", E820_TYPE_ACPI },
		{ "nvs@0xfed00000+4K", E820_TYPE_NVS },
		{ "unusable@0xfed00000+4K", E820_TYPE_UNUSABLE },
		{ "pmem@0xfed00000+4K", E820_TYPE_PMEM },
	};
	struct vmm_config cfg;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		EXPECT_RUN(&cfg, "--e820", cases[i].arg, "guest.elf");
		assert_int_equal(cfg.nr_e820_extra, 1);
		assert_int_equal(cfg.e820_extra[0].type, cases[i].type);
		assert_true(cfg.e820_extra[0].addr == 0xfed00000ull);
		assert_true(cfg.e820_extra[0].size == 4 * KiB);
	}
}

static void test_e820_repeated_and_suffixes(void **state)
{
	struct vmm_config cfg;

	(void)state;
	EXPECT_RUN(&cfg, "--e820", "pmem@5G+1G", "--e820=acpi@0xe0000+128K", "guest.elf");
	assert_int_equal(cfg.nr_e820_extra, 2);
	assert_true(cfg.e820_extra[0].addr == 5 * GiB && cfg.e820_extra[0].size == GiB);
	assert_int_equal(cfg.e820_extra[0].type, E820_TYPE_PMEM);
	assert_true(cfg.e820_extra[1].addr == 0xe0000 && cfg.e820_extra[1].size == 128 * KiB);
	assert_int_equal(cfg.e820_extra[1].type, E820_TYPE_ACPI);
}

/* RAM comes from DIMMs; numbers and the exotic types belong in --e820-file. */
static void test_e820_type_not_allowed_refused(void **state)
{
	(void)state;
	EXPECT_USAGE("invalid E820 type 'usable' in --e820 'usable@0+4K' (reserved, acpi, nvs, "
		     "unusable or pmem)",
		     "--e820", "usable@0+4K", "guest.elf");
	EXPECT_USAGE("invalid E820 type '2' in --e820 '2@0+4K' (reserved, acpi, nvs, unusable or "
		     "pmem)",
		     "--e820", "2@0+4K", "guest.elf");
	EXPECT_USAGE("invalid E820 type 'soft-reserved' in --e820 'soft-reserved@0+4K' (reserved, "
		     "acpi, nvs, unusable or pmem)",
		     "--e820", "soft-reserved@0+4K", "guest.elf");
}

static void test_e820_malformed_refused(void **state)
{
	(void)state;
	EXPECT_USAGE("invalid E820 entry 'reserved' for --e820: expected TYPE@ADDR+SIZE, e.g. "
		     "reserved@0xfed00000+4K",
		     "--e820", "reserved", "guest.elf");
	EXPECT_USAGE("invalid E820 entry 'reserved@0x1000' for --e820: expected TYPE@ADDR+SIZE, "
		     "e.g. reserved@0xfed00000+4K",
		     "--e820", "reserved@0x1000", "guest.elf");
	EXPECT_USAGE("invalid address 'zz' in --e820 'nvs@zz+4K'", "--e820", "nvs@zz+4K",
		     "guest.elf");
	EXPECT_USAGE("invalid size '4X' in --e820 'nvs@0x1000+4X'", "--e820", "nvs@0x1000+4X",
		     "guest.elf");
	EXPECT_USAGE("invalid size '4K+4K' in --e820 'nvs@0x1000+4K+4K'", "--e820",
		     "nvs@0x1000+4K+4K", "guest.elf");
}

static void test_e820_zero_size_refused(void **state)
{
	(void)state;
	EXPECT_USAGE("--e820 'reserved@0x1000+0': size is zero", "--e820", "reserved@0x1000+0",
		     "guest.elf");
}

static void test_e820_wrapping_refused(void **state)
{
	(void)state;
	EXPECT_USAGE("--e820 'reserved@0xfffffffffffff000+8K' wraps around the 64-bit address "
		     "space",
		     "--e820", "reserved@0xfffffffffffff000+8K", "guest.elf");
}

static void test_e820_too_many_refused(void **state)
{
	const char *args[E820_MAX_ENTRIES * 2 + 4];
	static char vals[E820_MAX_ENTRIES + 1][48];
	struct vmm_config cfg;
	struct vmm_err err;
	unsigned i, n = 0;

	(void)state;
	for (i = 0; i <= E820_MAX_ENTRIES; i++) {
		snprintf(vals[i], sizeof(vals[i]), "reserved@%uM+4K", 8 + i);
		args[n++] = "--e820";
		args[n++] = vals[i];
	}
	args[n++] = "guest.elf";
	args[n] = NULL;
	assert_int_equal(parse_argv(&cfg, &err, NULL, args), CLI_USAGE);
	assert_string_equal(err.msg, "too many E820 entries: --e820 'reserved@136M+4K' would be "
				     "number 129, at most 128");
}

static void test_e820_file_path_stored_and_combines_with_e820(void **state)
{
	struct vmm_config cfg;

	(void)state;
	EXPECT_RUN(&cfg, "--e820-file", "tests/data/broken.e820", "guest.elf");
	assert_string_equal(cfg.e820_file, "tests/data/broken.e820");
	assert_int_equal(cfg.nr_e820_extra, 0);
	/* main() appends --e820 entries to the file's table (docs/decisions.md). */
	EXPECT_RUN(&cfg, "--e820-file=t.e820", "--e820", "nvs@0x1000+4K", "guest.elf");
	assert_string_equal(cfg.e820_file, "t.e820");
	assert_int_equal(cfg.nr_e820_extra, 1);
}

static void test_e820_file_bad_uses_refused(void **state)
{
	(void)state;
	EXPECT_USAGE("option '--e820-file' given twice ('a', then 'b')", "--e820-file", "a",
		     "--e820-file", "b", "guest.elf");
	EXPECT_USAGE("empty file name for --e820-file", "--e820-file=", "guest.elf");
	EXPECT_USAGE("option '--e820-file' needs an argument", "guest.elf", "--e820-file");
}

static void test_cmdline_stored(void **state)
{
	struct vmm_config cfg;

	(void)state;
	EXPECT_RUN(&cfg, "--cmdline", "lowmem=512M selftest=all", "guest.elf");
	assert_string_equal(cfg.cmdline, "lowmem=512M selftest=all");
	EXPECT_USAGE("option '--cmdline' given twice ('a', then 'b')", "--cmdline", "a",
		     "--cmdline", "b", "guest.elf");
}

/* 4095 bytes plus the NUL fill the command-line page; one more does not fit. */
static void test_cmdline_length_limit(void **state)
{
	static char line[PVH_CMDLINE_MAX + 2];
	struct vmm_config cfg;
	struct vmm_err err;

	(void)state;
	memset(line, 'a', PVH_CMDLINE_MAX);
	line[PVH_CMDLINE_MAX] = '\0';
	EXPECT_RUN(&cfg, "--cmdline", line, "guest.elf");
	assert_int_equal(strlen(cfg.cmdline), PVH_CMDLINE_MAX);
	line[PVH_CMDLINE_MAX] = 'a';
	line[PVH_CMDLINE_MAX + 1] = '\0';
	assert_int_equal(PARSE(&cfg, &err, "--cmdline", line, "guest.elf"), CLI_USAGE);
	assert_string_equal(err.msg,
			    "--cmdline is 4096 bytes, more than the 4095 the boot page holds");
}

static void test_timeout_values(void **state)
{
	struct vmm_config cfg;

	(void)state;
	EXPECT_RUN(&cfg, "--timeout", "10", "guest.elf");
	assert_true(cfg.timeout_ms == 10000);
	EXPECT_RUN(&cfg, "--timeout=0.5", "guest.elf");
	assert_true(cfg.timeout_ms == 500);
	EXPECT_RUN(&cfg, "--timeout", "0.001", "guest.elf");
	assert_true(cfg.timeout_ms == 1);
}

static void test_timeout_refused(void **state)
{
	(void)state;
	EXPECT_USAGE("--timeout '0' must be more than 0", "--timeout", "0", "guest.elf");
	EXPECT_USAGE("--timeout '0.000' must be more than 0", "--timeout", "0.000", "guest.elf");
	EXPECT_USAGE("invalid timeout 'soon' for --timeout (seconds, at most 3 decimals and 30 "
		     "days)",
		     "--timeout", "soon", "guest.elf");
	EXPECT_USAGE("invalid timeout '-1' for --timeout (seconds, at most 3 decimals and 30 days)",
		     "--timeout", "-1", "guest.elf");
	EXPECT_USAGE("invalid timeout '0.0001' for --timeout (seconds, at most 3 decimals and 30 "
		     "days)",
		     "--timeout", "0.0001", "guest.elf");
	EXPECT_USAGE("option '--timeout' given twice ('1', then '2')", "--timeout", "1",
		     "--timeout", "2", "guest.elf");
	EXPECT_USAGE("option '--timeout' needs an argument", "guest.elf", "--timeout");
}

static void test_verbose_repeatable(void **state)
{
	struct vmm_config cfg;

	(void)state;
	EXPECT_RUN(&cfg, "-v", "guest.elf");
	assert_int_equal(cfg.verbose, 1);
	EXPECT_RUN(&cfg, "-v", "-vv", "guest.elf", "-v");
	assert_int_equal(cfg.verbose, 4);
}

/* --help names every option, one line each, and nothing is parsed after it. */
static void test_help_lists_every_option(void **state)
{
	static const char *const opts[] = {
		"-m SIZE", "--dimm SIZE@ADDR", "--e820 TYPE@ADDR+SIZE", "--e820-file FILE",
		"--cmdline STR", "--timeout SECONDS", "-v ", "-h, --help", "--version",
	};
	char *text = capture(CLI_DONE, (const char *const[]){ "--help", "--frob", NULL });
	char *line, *save = NULL;
	size_t i;

	(void)state;
	assert_non_null(text);
	assert_true(strncmp(text, "Usage: vmm [OPTIONS] guest.elf\n", 31) == 0);
	for (i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
		if (!strstr(text, opts[i]))
			fail_msg("--help does not mention '%s'", opts[i]);
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		assert_true(strlen(line) <= HELP_WIDTH_MAX);
	free(text);
}

static void test_short_h_is_help(void **state)
{
	char *a = capture(CLI_DONE, (const char *const[]){ "-h", NULL });
	char *b = capture(CLI_DONE, (const char *const[]){ "guest.elf", "--help", NULL });

	(void)state;
	assert_string_equal(a, b);
	assert_non_null(strstr(a, "--e820-file"));
	free(a);
	free(b);
}

static void test_version_text(void **state)
{
	char *text = capture(CLI_DONE, (const char *const[]){ "--version", NULL });

	(void)state;
	assert_string_equal(text, "vmm (memlab) 0.1.0\n");
	free(text);
}

static void test_unknown_options_refused(void **state)
{
	(void)state;
	EXPECT_USAGE("unknown option '--frob'", "--frob", "guest.elf");
	EXPECT_USAGE("unknown option '--frob'", "guest.elf", "--frob=1");
	EXPECT_USAGE("unknown option '-x'", "-x", "guest.elf");
	EXPECT_USAGE("unknown option '-x'", "-vx", "guest.elf");
}

/* getopt accepts unique prefixes; a prefix of two options is refused. */
static void test_option_prefixes(void **state)
{
	struct vmm_config cfg;

	(void)state;
	EXPECT_RUN(&cfg, "--time", "5", "guest.elf");
	assert_true(cfg.timeout_ms == 5000);
	EXPECT_USAGE("ambiguous option '--e8'", "--e8", "x", "guest.elf");
}

static void test_flag_with_argument_refused(void **state)
{
	(void)state;
	EXPECT_USAGE("option '--help' takes no argument", "--help=yes", "guest.elf");
	EXPECT_USAGE("option '--version' takes no argument", "--version=2", "guest.elf");
}

static void test_missing_elf_refused(void **state)
{
	struct vmm_config cfg;
	struct vmm_err err;
	char *argv[] = { "vmm", NULL };

	(void)state;
	EXPECT_USAGE("missing guest ELF file", "-m", "2G");
	assert_int_equal(cli_parse(1, argv, &cfg, NULL, &err), CLI_USAGE);
	assert_string_equal(err.msg, "missing guest ELF file");
	assert_int_equal(cli_parse(0, argv, &cfg, NULL, &err), CLI_USAGE);
	EXPECT_USAGE("empty guest ELF file name", "");
}

static void test_extra_argument_refused(void **state)
{
	(void)state;
	EXPECT_USAGE("unexpected extra argument 'x.elf'", "guest.elf", "x.elf");
	EXPECT_USAGE("unexpected extra argument 'x.elf'", "guest.elf", "-v", "x.elf", "y.elf");
}

/* Options may follow the ELF; after "--" a name may start with '-'. */
static void test_options_after_elf_and_double_dash(void **state)
{
	struct vmm_config cfg;

	(void)state;
	EXPECT_RUN(&cfg, "guest.elf", "-m", "2G", "--cmdline", "x=1");
	assert_string_equal(cfg.elf_path, "guest.elf");
	assert_true(cfg.mem_size == 2 * GiB);
	assert_string_equal(cfg.cmdline, "x=1");
	EXPECT_RUN(&cfg, "-v", "--", "-odd.elf");
	assert_string_equal(cfg.elf_path, "-odd.elf");
}

/* A failed parse must not leak into the next one: getopt state is reset. */
static void test_parse_again_after_error(void **state)
{
	struct vmm_config cfg;

	(void)state;
	EXPECT_USAGE("unknown option '-x'", "-vx", "guest.elf");
	EXPECT_RUN(&cfg, "-v", "b.elf");
	assert_int_equal(cfg.verbose, 1);
	assert_string_equal(cfg.elf_path, "b.elf");
	EXPECT_USAGE("option '-m' needs an argument", "a.elf", "-m");
	EXPECT_RUN(&cfg, "c.elf");
	assert_int_equal(cfg.verbose, 0);
	assert_false(cfg.mem_given);
	/* Stopped in the middle of "-xvv": the leftover "vv" must not count next time. */
	EXPECT_USAGE("unknown option '-x'", "-xvv", "guest.elf");
	EXPECT_RUN(&cfg, "d.elf");
	assert_int_equal(cfg.verbose, 0);
	assert_string_equal(cfg.elf_path, "d.elf");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults_with_only_elf),
		cmocka_unit_test(test_m_sets_memory),
		cmocka_unit_test(test_m_invalid_size_refused),
		cmocka_unit_test(test_m_missing_argument_refused),
		cmocka_unit_test(test_m_given_twice_refused),
		cmocka_unit_test(test_dimm_one),
		cmocka_unit_test(test_dimm_repeated_keeps_order),
		cmocka_unit_test(test_dimm_malformed_refused),
		cmocka_unit_test(test_dimm_overlong_field_refused),
		cmocka_unit_test(test_dimm_missing_argument_refused),
		cmocka_unit_test(test_dimm_too_many_refused),
		cmocka_unit_test(test_m_and_dimm_refused),
		cmocka_unit_test(test_e820_each_accepted_type),
		cmocka_unit_test(test_e820_repeated_and_suffixes),
		cmocka_unit_test(test_e820_type_not_allowed_refused),
		cmocka_unit_test(test_e820_malformed_refused),
		cmocka_unit_test(test_e820_zero_size_refused),
		cmocka_unit_test(test_e820_wrapping_refused),
		cmocka_unit_test(test_e820_too_many_refused),
		cmocka_unit_test(test_e820_file_path_stored_and_combines_with_e820),
		cmocka_unit_test(test_e820_file_bad_uses_refused),
		cmocka_unit_test(test_cmdline_stored),
		cmocka_unit_test(test_cmdline_length_limit),
		cmocka_unit_test(test_timeout_values),
		cmocka_unit_test(test_timeout_refused),
		cmocka_unit_test(test_verbose_repeatable),
		cmocka_unit_test(test_help_lists_every_option),
		cmocka_unit_test(test_short_h_is_help),
		cmocka_unit_test(test_version_text),
		cmocka_unit_test(test_unknown_options_refused),
		cmocka_unit_test(test_option_prefixes),
		cmocka_unit_test(test_flag_with_argument_refused),
		cmocka_unit_test(test_missing_elf_refused),
		cmocka_unit_test(test_extra_argument_refused),
		cmocka_unit_test(test_options_after_elf_and_double_dash),
		cmocka_unit_test(test_parse_again_after_error),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
