// SPDX-License-Identifier: MIT
/*
 * start_kernel(): the C side of the boot, called by head.S in long mode
 * with the physical address of the PVH start info.
 *
 * The order matters: the console first (everything after prints), then
 * the GDT/IDT (every fault after is reported), then the boot information,
 * checked before use; the parameters are all read before the unknown ones
 * are reported; the report (memory map, CPU, PAT, MTRRs) comes before the
 * test actions, so a crash= run still shows it.
 */
#include "abi/ports.h"
#include "asm/apic.h"
#include "asm/early_ioremap.h"
#include "asm/io_apic.h"
#include "asm/irq.h"
#include "asm/mtrr.h"
#include "asm/pat.h"
#include "asm/processor.h"
#include "asm/ptdump.h"
#include "asm/pvh.h"
#include "asm/set_memory.h"
#include "asm/setup.h"
#include "asm/traps.h"
#include "kernel/bench.h"
#include "kernel/cmdline.h"
#include "kernel/compiler.h"
#include "kernel/console.h"
#include "drivers/memstat.h"
#include "kernel/errno.h"
#include "kernel/exit.h"
#include "kernel/idle.h"
#include "kernel/panic.h"
#include "kernel/park.h"
#include "kernel/printk.h"
#include "kernel/report.h"
#include "kernel/selftest.h"
#include "kernel/test_params.h"
#include "kernel/workload.h"
#include "mm/e820_setup.h"
#include "mm/highmem.h"
#include "mm/memblock.h"
#include "mm/mm_init.h"
#include "mm/slab.h"
#include "mm/sparse.h"
#include "mm/vmalloc.h"

void __noreturn start_kernel(u32 start_info_pa);

/* Split the command line; too many words is unusable boot information. */
static void parse_cmdline(const char *line)
{
	int ret = cmdline_parse(line);

	if (ret == -ENOSPC)
		bad_boot("cmdline: more than %u parameters", CMDLINE_MAX_PARAMS);
	if (ret)
		bad_boot("cmdline: cannot parse (error %d)", ret);
}

/* Linux's line for parameters no code asked for. */
static void print_unknown_params(void)
{
	static char unknown[CMDLINE_MAX + 1] __noinit;

	if (cmdline_unknown(unknown, sizeof(unknown)))
		printk("Unknown kernel command line parameters \"%s\"\n", unknown);
}

/* From head.S: boot the kernel, report, run the tests asked for, exit. */
void __noreturn start_kernel(u32 start_info_pa)
{
	const struct hvm_start_info *si;
	bool selftests_ok;
	u64 memmap_t0, memmap_t1;
	u32 code;

	early_console_init();
	trap_init();

	si = pvh_start_info_check(start_info_pa);
	printk("Command line: %s\n", pvh_cmdline());
	pvh_print_start_info();
	parse_cmdline(pvh_cmdline());
	test_params_parse();
	selftest_parse_cmdline();
	memblock_early_param(cmdline_get("memblock"));
	mm_parse_cmdline();
	mtrr_parse_cmdline();
	ptdump_parse_cmdline();
	highmem_parse_cmdline();
	park_parse_cmdline();
	report_parse_cmdline();
	bench_parse_cmdline();
	workload_parse_cmdline();
	apic_parse_cmdline();
	memstat_parse_cmdline();
	idle_parse_cmdline();
	if (cmdline_has("slub_debug") && slub_debug_setup(cmdline_get("slub_debug")))
		bad_boot("slub_debug=%s: not a valid setting", cmdline_get("slub_debug"));
	print_unknown_params();

	e820__memory_setup_pvh(pvh_memmap(), si->memmap_entries);
	x86_memblock_setup(start_info_pa, si);
	workload_reserve(); /* touch=: before any allocator can take its pages */
	memmap_t0 = bench_rdtsc(); /* bench=memmap_init: the memmap and zones, timed */
	sparse_init();
	memmap_t1 = bench_rdtsc();
	mm_core_init();
	bench_note_memmap_init(memmap_t1 - memmap_t0, bench_rdtsc() - memmap_t1);
	kmem_cache_init();
	vmalloc_init(); /* vmalloc and ioremap space: needs kmalloc */

	identify_boot_cpu();
	print_cpu_info();
	pat_init();
	pat_print_config();
	mtrr_print_state();
	mtrr_init();
	early_ioremap_init();
	kmap_init(); /* the fixmap and the pkmap window, from the buddy allocator */
	apic_init();
	irq_init();
	io_apic_init();
	memstat_init();
	mark_rodata_ro(); /* init done: text ro+x, the rest of the image NX (as Linux) */
	if (apic_present())
		local_irq_enable(); /* the device and its period timer, from here on */

	selftests_ok = selftest_run_cmdline();
	selftests_ok &= bench_run_cmdline();
	workload_run();
	code = test_params_run();
	memstat_publish_now("end of boot");
	idle_run();
	ptdump_show();
	park_at(PARK_AFTER_PTDUMP);
	report_show();
	if (!selftests_ok && code == GUEST_EXIT_SUCCESS)
		code = GUEST_EXIT_FAILURE;
	park_at(PARK_BEFORE_EXIT);
	printk("Boot complete: exiting with code %u\n", code);
	guest_exit(code);
}
