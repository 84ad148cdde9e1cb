/* SPDX-License-Identifier: MIT */
/*
 * The command line: getopt_long() with our own one-line messages (opterr is
 * off), each naming the option and the value. Syntax and self-contained
 * values are checked here; how DIMMs fit together is layout_check()'s job.
 */
#include "cli.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stddef.h>
#include <string.h>
#include <strings.h>
#include <sys/un.h>

#include "memstat_dev.h"
#include "size.h"
#include "stats_out.h"

#define VMM_NAME "vmm"

/* A SIZE or ADDR field of --dimm / --e820 longer than this is not a number. */
#define FIELD_MAX 64

/* Width of the option column in --help; keeps every line within 80 columns. */
#define HELP_COLUMN "23"

/* Long-only options get values above any character getopt could return. */
enum {
	OPT_LONG_ONLY = 256,
	OPT_DIMM = OPT_LONG_ONLY,
	OPT_E820,
	OPT_E820_FILE,
	OPT_CMDLINE,
	OPT_TIMEOUT,
	OPT_STATS,
	OPT_STATS_INTERVAL,
	OPT_CONTROL,
	OPT_MONITOR,
	OPT_MONITOR_INTERVAL,
	OPT_MONITOR_UFFD_WINDOW,
	OPT_DUMP_PAGETABLES,
	OPT_STATS_PERIOD,
	OPT_NO_MEMSTAT,
	OPT_VERSION,
};

/* One table drives getopt_long(), --help and the names in messages. */
struct cli_option {
	const char *long_name; /* NULL: short option only */
	int val;               /* short option character or OPT_* */
	int has_arg;
	const char *arg;       /* argument name for --help, NULL if none */
	const char *help;
};

static const struct cli_option cli_options[] = {
	{ NULL, 'm', required_argument, "SIZE",
	  "total RAM, default 4G (up to 3G, the rest from 4G)" },
	{ "dimm", OPT_DIMM, required_argument, "SIZE@ADDR",
	  "one DIMM (a KVM memslot) instead of -m; repeatable" },
	{ "e820", OPT_E820, required_argument, "TYPE@ADDR+SIZE",
	  "add reserved|acpi|nvs|unusable|pmem; repeatable" },
	{ "e820-file", OPT_E820_FILE, required_argument, "FILE",
	  "give the guest this raw E820 table verbatim" },
	{ "cmdline", OPT_CMDLINE, required_argument, "STR", "guest kernel command line" },
	{ "timeout", OPT_TIMEOUT, required_argument, "SECONDS",
	  "stop the guest after SECONDS, exit 124" },
	{ "stats", OPT_STATS, required_argument, "FILE",
	  "write statistics records to FILE (JSON Lines)" },
	{ "stats-interval", OPT_STATS_INTERVAL, required_argument, "MS",
	  "one --stats record every MS, default 1000" },
	{ "control", OPT_CONTROL, required_argument, "PATH",
	  "QMP-like control socket (docs/control.md)" },
	{ "dump-pagetables", OPT_DUMP_PAGETABLES, required_argument, "FILE",
	  "write the guest's page tables at exit and on request" },
	{ "monitor", OPT_MONITOR, required_argument, "LIST",
	  "kvm-stats,uffd,dirty,mmio or all (docs/monitoring.md)" },
	{ "monitor-interval", OPT_MONITOR_INTERVAL, required_argument, "MS",
	  "sampling period of kvm-stats and dirty, default 100" },
	{ "monitor-uffd-window", OPT_MONITOR_UFFD_WINDOW, required_argument, "N",
	  "uffd read-ahead, N pages, default 16, 1 = none" },
	{ "stats-period", OPT_STATS_PERIOD, required_argument, "MS",
	  "memstat: guest republishes every MS, default 1000" },
	{ "no-memstat", OPT_NO_MEMSTAT, no_argument, NULL,
	  "no memstat device (docs/memstat-device.md)" },
	{ NULL, 'v', no_argument, NULL, "more messages on stderr (repeatable)" },
	{ "help", 'h', no_argument, NULL, "print this help and exit" },
	{ "version", OPT_VERSION, no_argument, NULL, "print the version and exit" },
};

#define CLI_NR_OPTIONS (sizeof(cli_options) / sizeof(cli_options[0]))

/* getopt's optstring: leading ':' makes a missing argument return ':'. */
static const char cli_short_options[] = ":m:vh";

/* What getopt_long() needs, built from cli_options[] (NULL-terminated). */
static void build_long_options(struct option *lo)
{
	size_t i, n = 0;

	for (i = 0; i < CLI_NR_OPTIONS; i++) {
		if (!cli_options[i].long_name)
			continue;
		lo[n].name = cli_options[i].long_name;
		lo[n].has_arg = cli_options[i].has_arg;
		lo[n].flag = NULL;
		lo[n].val = cli_options[i].val;
		n++;
	}
	memset(&lo[n], 0, sizeof(lo[n]));
}

/* The option with getopt value @val, or NULL. */
static const struct cli_option *option_by_val(int val)
{
	size_t i;

	for (i = 0; i < CLI_NR_OPTIONS; i++)
		if (cli_options[i].val == val)
			return &cli_options[i];
	return NULL;
}

/* "--dimm" or "-m": how messages name an option. */
static const char *option_name(int val, char *buf, size_t len)
{
	const struct cli_option *o = option_by_val(val);

	if (o && o->long_name)
		snprintf(buf, len, "--%s", o->long_name);
	else if (val > 0 && val < UCHAR_MAX && isgraph(val))
		snprintf(buf, len, "-%c", val);
	else
		snprintf(buf, len, "-\\x%02x", (unsigned)val & UCHAR_MAX);
	return buf;
}

/* The text --help prints, generated from the option table. */
static void print_usage(FILE *out)
{
	char left[FIELD_MAX];
	size_t i;

	fprintf(out, "Usage: %s [OPTIONS] guest.elf\n"
		     "Boot a PVH guest kernel (ELF with a Xen PHYS32_ENTRY note) on KVM.\n\n"
		     "Options:\n", VMM_NAME);
	for (i = 0; i < CLI_NR_OPTIONS; i++) {
		const struct cli_option *o = &cli_options[i];

		if (o->long_name && o->val < OPT_LONG_ONLY)
			snprintf(left, sizeof(left), "-%c, --%s", o->val, o->long_name);
		else if (o->long_name)
			snprintf(left, sizeof(left), "--%s", o->long_name);
		else
			snprintf(left, sizeof(left), "-%c", o->val);
		if (o->arg) {
			size_t l = strlen(left);

			snprintf(left + l, sizeof(left) - l, " %s", o->arg);
		}
		fprintf(out, "  %-" HELP_COLUMN "s %s\n", left, o->help);
	}
	fprintf(out, "\nSizes and addresses: decimal or 0x hex, optional K/M/G/T suffix.\n"
		     "See docs/cli.md for the layout rules and the --e820-file format.\n");
}

/* Split "A<sep>B" at the first @sep into a bounded copy of A and a pointer to B. */
static int split_field(const char *s, char sep, char *head, size_t head_len, const char **tail)
{
	static const char clip[] = "...";
	const char *p = strchr(s, sep);
	size_t n;

	if (!p)
		return -1;
	n = (size_t)(p - s);
	if (n < head_len) {
		memcpy(head, s, n);
		head[n] = '\0';
	} else {
		/* Too long for any number: clipped, and the "..." makes it fail to parse. */
		n = head_len - sizeof(clip);
		memcpy(head, s, n);
		memcpy(head + n, clip, sizeof(clip));
	}
	*tail = p + 1;
	return 0;
}

/* --dimm SIZE@ADDR: one more DIMM in @cfg. */
static int parse_dimm(const char *arg, struct vmm_config *cfg, struct vmm_err *err)
{
	char size[FIELD_MAX];
	const char *addr;
	struct dimm d;

	if (cfg->nr_dimms >= LAYOUT_MAX_DIMMS)
		return err_set(err, "too many DIMMs: --dimm '%s' would be number %u, at most %u",
			       arg, cfg->nr_dimms + 1, (unsigned)LAYOUT_MAX_DIMMS);
	if (split_field(arg, '@', size, sizeof(size), &addr))
		return err_set(err, "invalid DIMM '%s' for --dimm: expected SIZE@ADDR, e.g. 1G@4G",
			       arg);
	if (parse_size(size, &d.size))
		return err_set(err, "invalid size '%s' in --dimm '%s'", size, arg);
	if (parse_size(addr, &d.base))
		return err_set(err, "invalid address '%s' in --dimm '%s'", addr, arg);
	cfg->dimms[cfg->nr_dimms++] = d;
	return 0;
}

/* E820 types --e820 accepts: RAM comes from DIMMs, the rest is for --e820-file. */
static const uint32_t cli_e820_types[] = {
	E820_TYPE_RESERVED, E820_TYPE_ACPI, E820_TYPE_NVS, E820_TYPE_UNUSABLE, E820_TYPE_PMEM,
};

/* The --e820 type named @s (by name only, not by number), or -1. */
static int parse_cli_e820_type(const char *s, uint32_t *type)
{
	size_t i;

	for (i = 0; i < sizeof(cli_e820_types) / sizeof(cli_e820_types[0]); i++) {
		if (!strcasecmp(s, e820_type_cli_name(cli_e820_types[i]))) {
			*type = cli_e820_types[i];
			return 0;
		}
	}
	return -1;
}

/* --e820 TYPE@ADDR+SIZE: one more extra E820 entry in @cfg. */
static int parse_e820(const char *arg, struct vmm_config *cfg, struct vmm_err *err)
{
	char type[FIELD_MAX], addr[FIELD_MAX];
	const char *rest, *size;
	struct e820_entry e;

	if (cfg->nr_e820_extra >= E820_MAX_ENTRIES)
		return err_set(err,
			       "too many E820 entries: --e820 '%s' would be number %u, at most %u",
			       arg, cfg->nr_e820_extra + 1, (unsigned)E820_MAX_ENTRIES);
	if (split_field(arg, '@', type, sizeof(type), &rest) ||
	    split_field(rest, '+', addr, sizeof(addr), &size))
		return err_set(err,
			       "invalid E820 entry '%s' for --e820: expected TYPE@ADDR+SIZE, "
			       "e.g. reserved@0xfed00000+4K",
			       arg);
	if (parse_cli_e820_type(type, &e.type))
		return err_set(err,
			       "invalid E820 type '%s' in --e820 '%s' "
			       "(reserved, acpi, nvs, unusable or pmem)",
			       type, arg);
	if (parse_size(addr, &e.addr))
		return err_set(err, "invalid address '%s' in --e820 '%s'", addr, arg);
	if (parse_size(size, &e.size))
		return err_set(err, "invalid size '%s' in --e820 '%s'", size, arg);
	if (e.size == 0)
		return err_set(err, "--e820 '%s': size is zero", arg);
	if (e.size > UINT64_MAX - e.addr)
		return err_set(err, "--e820 '%s' wraps around the 64-bit address space", arg);
	cfg->e820_extra[cfg->nr_e820_extra++] = e;
	return 0;
}

/* --timeout SECONDS: positive, at most 30 days, millisecond resolution. */
static int parse_timeout(const char *arg, struct vmm_config *cfg, struct vmm_err *err)
{
	if (parse_seconds_ms(arg, &cfg->timeout_ms))
		return err_set(err,
			       "invalid timeout '%s' for --timeout (seconds, at most 3 decimals "
			       "and 30 days)",
			       arg);
	if (cfg->timeout_ms == 0)
		return err_set(err, "--timeout '%s' must be more than 0", arg);
	return 0;
}

/* --stats-interval MS: whole milliseconds within the stats_out.h bounds. */
static int parse_stats_interval(const char *arg, struct vmm_config *cfg, struct vmm_err *err)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(arg, &end, 10);
	if (!isdigit((unsigned char)*arg) || *end || errno || v < STATS_INTERVAL_MIN_MS ||
	    v > STATS_INTERVAL_MAX_MS)
		return err_set(err, "invalid interval '%s' for --stats-interval (milliseconds, "
				    "%u to %u)", arg, STATS_INTERVAL_MIN_MS, STATS_INTERVAL_MAX_MS);
	cfg->stats_interval_ms = v;
	return 0;
}

/* --control PATH: a UNIX socket path must fit sun_path with its NUL. */
static int parse_control(const char *arg, struct vmm_config *cfg, struct vmm_err *err)
{
	struct sockaddr_un sun;

	if (!*arg)
		return err_set(err, "empty path for --control");
	if (strlen(arg) >= sizeof(sun.sun_path))
		return err_set(err, "--control path '%s' is %zu bytes; a UNIX socket path holds "
				    "at most %zu", arg, strlen(arg), sizeof(sun.sun_path) - 1);
	cfg->control_path = arg;
	return 0;
}

/* --stats-period MS: whole milliseconds, 0 (on request only) to the device's limit. */
static int parse_stats_period(const char *arg, struct vmm_config *cfg, struct vmm_err *err)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(arg, &end, 10);
	if (!isdigit((unsigned char)*arg) || *end || errno || v > MEMSTAT_DEV_PERIOD_MAX_MS)
		return err_set(err, "invalid period '%s' for --stats-period (milliseconds, 0 to %u)",
			       arg, MEMSTAT_DEV_PERIOD_MAX_MS);
	cfg->stats_period_ms = (uint32_t)v;
	return 0;
}

/* Single-valued options: a second one is refused rather than guessed at. */
static int once(const char **seen, const char *arg, const char *name, struct vmm_err *err)
{
	if (*seen)
		return err_set(err, "option '%s' given twice ('%s', then '%s')", name, *seen, arg);
	*seen = arg;
	return 0;
}

/*
 * A string option kept as given (NULL until then, so the field itself says
 * whether it was seen): refused the second time, and when empty if
 * @nonempty (a file name).
 */
static int set_string_once(const char **dest, const char *arg, const char *name, bool nonempty,
			   struct vmm_err *err)
{
	if (once(dest, arg, name, err))
		return -1;
	if (nonempty && !*arg)
		return err_set(err, "empty file name for %s", name);
	return 0;
}

/*
 * Values of single-valued options as given, for messages about repeats
 * (string options kept as given need none: see set_string_once()).
 */
struct cli_seen {
	const char *mem, *cmdline, *timeout;
	const char *first_dimm; /* for the -m/--dimm conflict message */
	const char *stats_interval, *control;
	const char *stats_period;
};

/* Apply one recognised option; -1 with @err on a bad value. */
static int apply_option(int c, const char *arg, struct vmm_config *cfg, struct cli_seen *seen,
			struct vmm_err *err)
{
	switch (c) {
	case 'm':
		if (once(&seen->mem, arg, "-m", err))
			return -1;
		if (parse_size(arg, &cfg->mem_size))
			return err_set(err, "invalid size '%s' for -m", arg);
		cfg->mem_given = true;
		return 0;
	case OPT_DIMM:
		if (!seen->first_dimm)
			seen->first_dimm = arg;
		return parse_dimm(arg, cfg, err);
	case OPT_E820:
		return parse_e820(arg, cfg, err);
	case OPT_E820_FILE:
		return set_string_once(&cfg->e820_file, arg, "--e820-file", true, err);
	case OPT_CMDLINE:
		if (once(&seen->cmdline, arg, "--cmdline", err))
			return -1;
		if (strlen(arg) > PVH_CMDLINE_MAX)
			return err_set(err, "--cmdline is %zu bytes, more than the %u the "
					    "boot page holds",
				       strlen(arg), PVH_CMDLINE_MAX);
		cfg->cmdline = arg;
		return 0;
	case OPT_TIMEOUT:
		if (once(&seen->timeout, arg, "--timeout", err))
			return -1;
		return parse_timeout(arg, cfg, err);
	/* The three monitor options are checked by main(): the names live with the monitors. */
	case OPT_MONITOR:
		return set_string_once(&cfg->monitor, arg, "--monitor", false, err);
	case OPT_MONITOR_INTERVAL:
		return set_string_once(&cfg->monitor_interval, arg, "--monitor-interval", false, err);
	case OPT_MONITOR_UFFD_WINDOW:
		return set_string_once(&cfg->monitor_uffd_window, arg, "--monitor-uffd-window", false,
				       err);
	case OPT_DUMP_PAGETABLES:
		return set_string_once(&cfg->dump_pagetables, arg, "--dump-pagetables", true, err);
	case OPT_STATS:
		return set_string_once(&cfg->stats_path, arg, "--stats", true, err);
	case OPT_STATS_INTERVAL:
		if (once(&seen->stats_interval, arg, "--stats-interval", err))
			return -1;
		return parse_stats_interval(arg, cfg, err);
	case OPT_CONTROL:
		if (once(&seen->control, arg, "--control", err))
			return -1;
		return parse_control(arg, cfg, err);
	case OPT_STATS_PERIOD:
		if (once(&seen->stats_period, arg, "--stats-period", err))
			return -1;
		return parse_stats_period(arg, cfg, err);
	case OPT_NO_MEMSTAT:
		cfg->no_memstat = true;
		return 0;
	case 'v':
		cfg->verbose++;
		return 0;
	default:
		return err_set(err, "internal error: option value %d not handled", c);
	}
}

/* Message for getopt's '?': unknown, ambiguous, or an argument given to a flag. */
static int bad_option(int argc, char **argv, const struct option *lo, struct vmm_err *err)
{
	const char *arg = optind > 0 && optind <= argc ? argv[optind - 1] : "";
	char name[FIELD_MAX];
	size_t len, i, matches = 0;

	/* getopt sets optopt to the option's value when it took no argument. */
	if (optopt && option_by_val(optopt))
		return err_set(err, "option '%s' takes no argument",
			       option_name(optopt, name, sizeof(name)));
	if (optopt)
		return err_set(err, "unknown option '%s'", option_name(optopt, name, sizeof(name)));
	/* A long option: unknown, or a prefix of several (getopt allows prefixes). */
	if (strncmp(arg, "--", 2) == 0) {
		len = strcspn(arg + 2, "=");
		for (i = 0; lo[i].name; i++)
			if (len && strncmp(lo[i].name, arg + 2, len) == 0)
				matches++;
		if (matches > 1)
			return err_set(err, "ambiguous option '%.*s'", (int)len + 2, arg);
		return err_set(err, "unknown option '%.*s'", (int)len + 2, arg);
	}
	return err_set(err, "unknown option '%s'", arg);
}

/* Checks across options and the positional argument, once all are read. */
static int check_config(int argc, char **argv, const struct cli_seen *seen,
			struct vmm_config *cfg, struct vmm_err *err)
{
	if (cfg->mem_given && cfg->nr_dimms)
		return err_set(err, "-m and --dimm cannot be combined (-m %s, --dimm %s)",
			       seen->mem, seen->first_dimm);
	if (seen->stats_interval && !cfg->stats_path)
		return err_set(err, "--stats-interval %s needs --stats FILE", seen->stats_interval);
	if (optind >= argc)
		return err_set(err, "missing guest ELF file");
	if (optind + 1 < argc)
		return err_set(err, "unexpected extra argument '%s'", argv[optind + 1]);
	if (!*argv[optind])
		return err_set(err, "empty guest ELF file name");
	cfg->elf_path = argv[optind];
	return 0;
}

enum cli_result cli_parse(int argc, char **argv, struct vmm_config *cfg, FILE *out,
			  struct vmm_err *err)
{
	struct option lo[CLI_NR_OPTIONS + 1];
	struct cli_seen seen = { 0 };
	char name[FIELD_MAX];
	int c;

	memset(cfg, 0, sizeof(*cfg));
	cfg->mem_size = LAYOUT_DEFAULT_MEM;
	cfg->cmdline = "";
	cfg->stats_interval_ms = STATS_INTERVAL_DEFAULT_MS;
	cfg->stats_period_ms = MEMSTAT_DEV_PERIOD_DEFAULT_MS;
	if (!out)
		out = stdout;
	if (argc < 1 || !argv) {
		err_set(err, "missing guest ELF file");
		return CLI_USAGE;
	}

	build_long_options(lo);
	/* optind 0 makes glibc start afresh, so tests can parse again and again. */
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, cli_short_options, lo, NULL)) != -1) {
		switch (c) {
		case 'h':
			print_usage(out);
			return CLI_DONE;
		case OPT_VERSION:
			fprintf(out, "%s (%s) %s\n", VMM_NAME, VMM_PROJECT, VMM_VERSION);
			return CLI_DONE;
		case ':':
			err_set(err, "option '%s' needs an argument",
				option_name(optopt, name, sizeof(name)));
			return CLI_USAGE;
		case '?':
			bad_option(argc, argv, lo, err);
			return CLI_USAGE;
		default:
			if (apply_option(c, optarg, cfg, &seen, err))
				return CLI_USAGE;
		}
	}
	if (check_config(argc, argv, &seen, cfg, err))
		return CLI_USAGE;
	return CLI_RUN;
}
