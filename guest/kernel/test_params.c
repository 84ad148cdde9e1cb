// SPDX-License-Identifier: MIT
/*
 * The test parameters (see kernel/test_params.h): parsed early, with the
 * other parameters, so the unknown-parameter report knows them; run after
 * the boot report, in the order probe, crash, spin, exit.
 */
#include "abi/ports.h"
#include "asm/crash.h"
#include "asm/early_ioremap.h"
#include "asm/processor.h"
#include "kernel/cmdline.h"
#include "kernel/compiler.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/test_params.h"

#define U32_MAX_VALUE 0xffffffffull

enum crash_kind { CRASH_NONE, CRASH_DE, CRASH_UD, CRASH_GP, CRASH_PF, CRASH_PANIC, CRASH_TRIPLE };

static const struct {
	const char *name;
	enum crash_kind kind;
} crash_kinds[] = {
	{ "de", CRASH_DE }, { "ud", CRASH_UD },		{ "gp", CRASH_GP },
	{ "pf", CRASH_PF }, { "panic", CRASH_PANIC }, { "triple", CRASH_TRIPLE },
};

static u64 probe_addrs[PROBE_MAX_ADDRS];
static unsigned int nr_probes;
static enum crash_kind crash_kind;
static bool spin;
static u32 exit_code = GUEST_EXIT_SUCCESS;

/* probe=: up to PROBE_MAX_ADDRS addresses, each u32 below PROBE_ADDR_LIMIT. */
static void parse_probe(void)
{
	const char *val = cmdline_get("probe");
	unsigned int i;

	if (!val)
		return;
	if (cmdline_get_u64_list("probe", probe_addrs, PROBE_MAX_ADDRS, &nr_probes))
		bad_boot("probe=: bad value \"%s\" (expected 1 to %u comma-separated addresses)",
			 val, PROBE_MAX_ADDRS);
	for (i = 0; i < nr_probes; i++) {
		if (probe_addrs[i] > PROBE_ADDR_LIMIT - sizeof(u32))
			bad_boot("probe=: address 0x%lx: a u32 there does not end below 2^48",
				 probe_addrs[i]);
	}
}

/* crash=: one of the names in crash_kinds. */
static void parse_crash(void)
{
	const char *val = cmdline_get("crash");
	size_t i;

	if (!val)
		return;
	for (i = 0; i < ARRAY_SIZE(crash_kinds); i++) {
		if (strcmp(val, crash_kinds[i].name) == 0) {
			crash_kind = crash_kinds[i].kind;
			return;
		}
	}
	bad_boot("crash=: unknown value \"%s\" (expected de, ud, gp, pf, panic or triple)", val);
}

/* exit=: any 32-bit value, passed to the debug-exit port unchanged. */
static void parse_exit(void)
{
	const char *val = cmdline_get("exit");
	u64 v;

	if (!val)
		return;
	if (cmdline_get_u64("exit", &v) || v > U32_MAX_VALUE)
		bad_boot("exit=: bad value \"%s\" (expected a number from 0 to 0xffffffff)", val);
	exit_code = (u32)v;
}

/* Read and check every test parameter. */
void test_params_parse(void)
{
	parse_probe();
	parse_crash();
	spin = cmdline_has("spin");
	parse_exit();
}

/*
 * Read a u32 at each probe address through the uncached early mapping,
 * then write the same value back: both accesses reach the address once, so
 * a VMM can see and report them (a hole reads as 0xffffffff there).
 */
static void run_probes(void)
{
	unsigned int i;

	for (i = 0; i < nr_probes; i++) {
		u64 addr = probe_addrs[i];
		volatile u32 *p = early_ioremap(addr, sizeof(u32));
		u32 v;

		if (!p)
			bad_boot("probe=: cannot map 0x%lx (beyond this CPU's %u-bit physical "
				 "addresses?)", addr, boot_cpu_data.x86_phys_bits);
		v = *p;
		printk("probe: read 0x%08x at 0x%lx\n", v, addr);
		*p = v;
		printk("probe: wrote 0x%08x at 0x%lx\n", v, addr);
		early_iounmap((void *)p, sizeof(u32));
	}
}

/* Raise the fault crash= asked for; does not return. */
static void __noreturn run_crash(enum crash_kind kind)
{
	static const char *const what[] = {
		[CRASH_DE] = "#DE (divide by zero)",
		[CRASH_UD] = "#UD (ud2)",
		[CRASH_GP] = "#GP (load from a non-canonical address)",
		[CRASH_PF] = "#PF (load from an unmapped address)",
		[CRASH_PANIC] = "panic()",
		[CRASH_TRIPLE] = "a triple fault (empty IDT, then ud2)",
	};

	printk("crash: raising %s\n", what[kind]);
	switch (kind) {
	case CRASH_DE:
		crash_divide_error();
	case CRASH_UD:
		crash_invalid_opcode();
	case CRASH_GP:
		crash_general_protection();
	case CRASH_PF:
		crash_page_fault();
	case CRASH_TRIPLE:
		crash_triple_fault();
	default:
		panic("crash=panic requested on the command line");
	}
}

/* Probe, crash, spin; return the exit code. */
u32 test_params_run(void)
{
	run_probes();
	if (crash_kind != CRASH_NONE)
		run_crash(crash_kind);
	if (spin) {
		printk("spin: looping forever with interrupts off\n");
		local_irq_disable();
		for (;;)
			cpu_relax();
	}
	return exit_code;
}
