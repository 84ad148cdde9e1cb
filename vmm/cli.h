/* SPDX-License-Identifier: MIT */
/*
 * The command line: ./vmm [OPTIONS] guest.elf. Parsing only checks syntax
 * and values that need nothing else; layout_check() and the ELF loader do
 * the rest. See docs/cli.md.
 */
#ifndef VMM_CLI_H
#define VMM_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "error.h"
#include "layout.h"

/* The version --version prints and the control socket's greeting reports. */
#define VMM_PROJECT "memlab"
#define VMM_VERSION_MAJOR 0
#define VMM_VERSION_MINOR 1
#define VMM_VERSION_MICRO 0
#define VMM_STRINGIFY_(x) #x
#define VMM_STRINGIFY(x) VMM_STRINGIFY_(x)
#define VMM_VERSION VMM_STRINGIFY(VMM_VERSION_MAJOR) "." VMM_STRINGIFY(VMM_VERSION_MINOR) "." \
	VMM_STRINGIFY(VMM_VERSION_MICRO)

struct vmm_config {
	const char *elf_path;
	uint64_t mem_size;                        /* -m, LAYOUT_DEFAULT_MEM if absent */
	bool mem_given;                           /* -m was given */
	struct dimm dimms[LAYOUT_MAX_DIMMS];      /* --dimm, in command-line order */
	unsigned nr_dimms;
	struct e820_entry e820_extra[E820_MAX_ENTRIES]; /* --e820 */
	unsigned nr_e820_extra;
	const char *e820_file;                    /* --e820-file, NULL if absent */
	const char *cmdline;                      /* --cmdline, "" if absent */
	uint64_t timeout_ms;                      /* --timeout, 0 = none */
	const char *stats_path;                   /* --stats FILE, NULL if absent */
	uint64_t stats_interval_ms;               /* --stats-interval, STATS_INTERVAL_DEFAULT_MS */
	const char *control_path;                 /* --control PATH, NULL if absent */
	const char *dump_pagetables;              /* --dump-pagetables FILE, NULL if absent */
	const char *monitor;                      /* --monitor LIST, NULL if absent */
	const char *monitor_interval;             /* --monitor-interval MS, NULL if absent */
	const char *monitor_uffd_window;          /* --monitor-uffd-window PAGES, NULL if absent */
	uint32_t stats_period_ms;                 /* --stats-period, memstat republish period */
	bool no_memstat;                          /* --no-memstat */
	int verbose;                              /* -v, repeatable */
};

enum cli_result {
	CLI_RUN,        /* configuration complete: boot the guest */
	CLI_DONE,       /* --help or --version printed: exit 0 */
	CLI_USAGE,      /* bad command line: @err says why */
};

/*
 * Parse @argv into @cfg (which it initialises). --help and --version are
 * printed to @out. Never exits, never prints errors itself.
 */
enum cli_result cli_parse(int argc, char **argv, struct vmm_config *cfg, FILE *out,
			  struct vmm_err *err);

#endif /* VMM_CLI_H */
