/* SPDX-License-Identifier: MIT */
/*
 * ./vmm [OPTIONS] guest.elf: check the command line, lay out guest RAM as
 * DIMMs, load the PVH kernel, let KVM run it, and exit with the guest's
 * code or a VMM code (exit_codes.h, docs/exit-codes.md).
 *
 * Everything that can be refused without KVM (options, layout, E820 file,
 * ELF) is checked before /dev/kvm is opened.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "../shared/pvh.h"
#include "cli.h"
#include "e820_file.h"
#include "elf_loader.h"
#include "event_loop.h"
#include "exit_codes.h"
#include "guest_mem.h"
#include "kvm.h"
#include "layout.h"
#include "memstat_dev.h"
#include "monitor.h"
#include "mtrr.h"
#include "pagetable_dump.h"
#include "pvh_boot.h"
#include "size.h"
#include "stop.h"
#include "vcpu_run.h"
#include "x86_cpu.h"

struct vmm {
	struct vmm_config cfg;
	struct dimm dimms[LAYOUT_MAX_DIMMS];
	unsigned nr_dimms;
	struct e820_entry e820[E820_MAX_ENTRIES];
	unsigned nr_e820;
	struct guest_mem mem;
	struct elf_image image;
	struct kvm_vm vm;
	struct x86_cpu_info cpu;
	struct mtrr_plan mtrr;
	struct vcpu_run_ctx run;
	struct pagetable_dump ptdump; /* --dump-pagetables */
	unsigned monitor_mask;        /* --monitor */
	uint64_t monitor_interval_ms; /* --monitor-interval */
	struct monitors monitors;
	struct event_loop *loop;      /* --stats, --control; NULL: neither */
	struct memstat_dev *memstat;  /* NULL with --no-memstat */
	char cmdline[PVH_CMDLINE_MAX + 1]; /* --cmdline plus the memstat announcement */
};

static int fail(int code, const struct vmm_err *err)
{
	fprintf(stderr, "vmm: %s\n", err->msg);
	return code;
}

/* The E820 table: from --e820-file verbatim, or built from the DIMMs. */
static int build_e820(struct vmm *v, struct vmm_err *err)
{
	const struct vmm_config *c = &v->cfg;
	int n;

	if (!c->e820_file) {
		n = layout_build_e820(v->dimms, v->nr_dimms, c->e820_extra, c->nr_e820_extra,
				      v->e820, E820_MAX_ENTRIES, err);
		if (n < 0)
			return VMM_EXIT_USAGE;
		v->nr_e820 = (unsigned)n;
		return 0;
	}
	n = e820_file_load(c->e820_file, v->e820, E820_MAX_ENTRIES, err);
	if (n < 0)
		return VMM_EXIT_BAD_INPUT;
	v->nr_e820 = (unsigned)n;
	/* --e820 entries go after the raw table, unchecked like the rest of it. */
	if (v->nr_e820 + c->nr_e820_extra > E820_MAX_ENTRIES) {
		err_set(err, "%s has %u entries; with %u --e820 entries that exceeds %u",
			c->e820_file, v->nr_e820, c->nr_e820_extra, E820_MAX_ENTRIES);
		return VMM_EXIT_USAGE;
	}
	for (unsigned i = 0; i < c->nr_e820_extra; i++)
		v->e820[v->nr_e820++] = c->e820_extra[i];
	return 0;
}

/* The memstat device's interrupt: an edge on its IOAPIC pin. */
static int memstat_irq(void *vm, uint32_t gsi)
{
	return kvm_vm_irq_edge(vm, gsi);
}

/*
 * The memstat device (docs/memstat-device.md): its region reserved in
 * E820, the device created, and "memstat.device=SIZE@ADDR:GSI" appended to
 * the guest command line. Refusals are usage errors.
 */
static int setup_memstat(struct vmm *v, struct vmm_err *err)
{
	char param[64];
	int n;

	if (layout_reserve_region(v->dimms, v->nr_dimms, v->e820, &v->nr_e820, E820_MAX_ENTRIES,
				  MEMSTAT_DEV_GPA, MEMSTAT_REGION_SIZE,
				  "memstat device region (--no-memstat to go without)", err) < 0)
		return VMM_EXIT_USAGE;
	v->memstat = memstat_dev_create(MEMSTAT_DEV_GPA, MEMSTAT_DEV_GSI, v->cfg.stats_period_ms,
					memstat_irq, &v->vm, stderr, err);
	if (!v->memstat)
		return VMM_EXIT_HOST_ERROR;
	if (memstat_dev_cmdline(v->memstat, param, sizeof(param)) < 0) {
		err_set(err, "memstat: the announcement does not fit %zu bytes", sizeof(param));
		return VMM_EXIT_HOST_ERROR;
	}
	n = snprintf(v->cmdline, sizeof(v->cmdline), "%s%s%s", v->cfg.cmdline,
		     *v->cfg.cmdline ? " " : "", param);
	if (n < 0 || (size_t)n >= sizeof(v->cmdline)) {
		err_set(err, "--cmdline plus \"%s\" is %d bytes, more than the %u the boot page "
			"holds (shorten it or use --no-memstat)", param, n, PVH_CMDLINE_MAX);
		return VMM_EXIT_USAGE;
	}
	return 0;
}

static void print_plan(const struct vmm *v)
{
	char sz[32];

	for (unsigned i = 0; i < v->mem.nr; i++)
		fprintf(stderr, "vmm: DIMM %u: %s@0x%" PRIx64 " [0x%" PRIx64 "-0x%" PRIx64 "] slot %u\n",
			i, format_size(v->mem.dimms[i].size, sz, sizeof(sz)), v->mem.dimms[i].gpa,
			v->mem.dimms[i].gpa, v->mem.dimms[i].gpa + v->mem.dimms[i].size - 1,
			v->mem.dimms[i].slot);
	for (unsigned i = 0; i < v->nr_e820; i++)
		fprintf(stderr, "vmm: e820[%u]: addr 0x%" PRIx64 " size 0x%" PRIx64 " type %u\n", i,
			v->e820[i].addr, v->e820[i].size, v->e820[i].type);
	for (unsigned i = 0; i < v->image.nr_seg; i++)
		fprintf(stderr, "vmm: ELF segment %u: paddr 0x%" PRIx64 " filesz 0x%" PRIx64
			" memsz 0x%" PRIx64 "\n", i, v->image.seg[i].paddr, v->image.seg[i].filesz,
			v->image.seg[i].memsz);
	fprintf(stderr, "vmm: PVH entry 0x%x, start info at 0x%x\n", v->image.pvh_entry,
		PVH_START_INFO_ADDR);
	if (v->memstat)
		fprintf(stderr, "vmm: memstat device: %uK@0x%llx, GSI %u, doorbell port 0x%x, "
			"stats period %u ms\n", MEMSTAT_REGION_SIZE >> 10, MEMSTAT_DEV_GPA,
			MEMSTAT_DEV_GSI, MEMSTAT_DOORBELL_PORT, v->cfg.stats_period_ms);
}

static void print_cpu(const struct vmm *v)
{
	fprintf(stderr, "vmm: KVM: %u memslots, %u physical address bits, TSC %u kHz\n",
		v->vm.max_memslots, v->cpu.phys_bits, v->cpu.tsc_khz);
	fprintf(stderr, "vmm: MTRR: %u variable ranges for holes (%u needed)", v->mtrr.var_used,
		v->mtrr.var_needed);
	if (v->mtrr.uncovered)
		fprintf(stderr, ", 0x%" PRIx64 " bytes of hole left write-back", v->mtrr.uncovered);
	fputc('\n', stderr);
}

/* Everything that needs KVM: VM, memslots, vCPU, CPUID, MTRRs, entry state. */
static int setup_kvm(struct vmm *v, struct vmm_err *err)
{
	uint64_t mtrrcap;

	if (kvm_vm_create(&v->vm, err) < 0 || kvm_vm_create_vcpu(&v->vm, err) < 0 ||
	    x86_cpu_probe(&v->vm, &v->cpu, err) < 0)
		return VMM_EXIT_HOST_ERROR;
	/* Now the real limits are known: this CPU's MAXPHYADDR and KVM's slot count. */
	if (layout_check(v->dimms, v->nr_dimms, v->cpu.phys_bits, v->vm.max_memslots, err) < 0)
		return VMM_EXIT_USAGE;
	if (kvm_vm_add_memslots(&v->vm, &v->mem, err) < 0)
		return VMM_EXIT_HOST_ERROR;
	/* The device region: the highest slot, far from the DIMMs' numbers. */
	if (v->memstat && v->mem.nr >= v->vm.max_memslots - 1) {
		err_set(err, "%u DIMMs leave no memory slot for the memstat device "
			"(--no-memstat to go without)", v->mem.nr);
		return VMM_EXIT_USAGE;
	}
	if ((v->memstat &&
	     kvm_vm_add_region(&v->vm, v->vm.max_memslots - 1, MEMSTAT_DEV_GPA,
			       MEMSTAT_REGION_SIZE, memstat_dev_region(v->memstat), err) < 0) ||
	    x86_cpu_set_cpuid(&v->vm, &v->cpu, err) < 0 ||
	    x86_cpu_get_msr(&v->vm, MSR_MTRRcap, &mtrrcap, err) < 0)
		return VMM_EXIT_HOST_ERROR;
	mtrr_plan_build(v->dimms, v->nr_dimms, mtrrcap, v->cpu.phys_bits, &v->mtrr);
	if (v->mtrr.uncovered)
		fprintf(stderr,
			"vmm: warning: %u MTRR ranges needed for the holes below 4 GiB, %u available; "
			"0x%" PRIx64 " bytes of hole stay write-back\n",
			v->mtrr.var_needed, v->mtrr.var_used, v->mtrr.uncovered);
	if (x86_cpu_set_mtrrs(&v->vm, &v->mtrr, err) < 0 ||
	    x86_cpu_set_pvh_entry(&v->vm, v->image.pvh_entry, PVH_START_INFO_ADDR, err) < 0)
		return VMM_EXIT_HOST_ERROR;
	return 0;
}

static int vmm_main(struct vmm *v, int argc, char **argv)
{
	struct vmm_err err = { "" };
	int rc;

	switch (cli_parse(argc, argv, &v->cfg, stdout, &err)) {
	case CLI_DONE:
		return 0;
	case CLI_USAGE:
		fprintf(stderr, "vmm: %s\nTry 'vmm --help' for more information.\n", err.msg);
		return VMM_EXIT_USAGE;
	case CLI_RUN:
		break;
	}
	v->monitor_interval_ms = MONITOR_INTERVAL_DEFAULT_MS;
	if ((v->cfg.monitor && monitors_parse(v->cfg.monitor, &v->monitor_mask, &err) < 0) ||
	    (v->cfg.monitor_interval &&
	     monitors_parse_interval(v->cfg.monitor_interval, &v->monitor_interval_ms, &err) < 0) ||
	    (v->cfg.monitor_uffd_window &&
	     monitors_parse_window(v->cfg.monitor_uffd_window, &v->monitors.uffd_window, &err) < 0))
		return fail(VMM_EXIT_USAGE, &err);
	/* From here on --timeout and signals apply, loading included. */
	if (stop_init(v->cfg.timeout_ms, &err) < 0)
		return fail(VMM_EXIT_HOST_ERROR, &err);
	/* Output files and the control socket exist before the VM does. */
	rc = event_loop_open(&v->loop, &v->cfg, &err);
	if (rc)
		return fail(rc, &err);

	if (v->cfg.nr_dimms) {
		v->nr_dimms = v->cfg.nr_dimms;
		for (unsigned i = 0; i < v->nr_dimms; i++)
			v->dimms[i] = v->cfg.dimms[i];
	} else if (layout_from_total(v->cfg.mem_size, v->dimms, &v->nr_dimms, &err) < 0) {
		return fail(VMM_EXIT_USAGE, &err);
	}
	if (layout_check(v->dimms, v->nr_dimms, LAYOUT_PHYS_BITS_MAX, LAYOUT_MAX_DIMMS, &err) < 0)
		return fail(VMM_EXIT_USAGE, &err);
	rc = build_e820(v, &err);
	if (rc)
		return fail(rc, &err);
	/* --e820-file is passed verbatim: no reserved entry is added, so no device. */
	rc = v->cfg.no_memstat || v->cfg.e820_file ? 0 : setup_memstat(v, &err);
	if (rc)
		return fail(rc, &err);

	if (guest_mem_map(&v->mem, v->dimms, v->nr_dimms, &err) < 0)
		return fail(VMM_EXIT_HOST_ERROR, &err);
	if (elf_load_file(v->cfg.elf_path, &v->mem, PVH_BOOT_AREA_START, PVH_BOOT_AREA_END,
			  &v->image, &err) < 0)
		return fail(VMM_EXIT_BAD_INPUT, &err);
	if (pvh_boot_write(&v->mem, v->e820, v->nr_e820, v->memstat ? v->cmdline : v->cfg.cmdline,
			   &err) < 0)
		return fail(VMM_EXIT_USAGE, &err);
	if (v->cfg.verbose)
		print_plan(v);

	rc = setup_kvm(v, &err);
	if (rc)
		return fail(rc, &err);
	if (v->cfg.verbose)
		print_cpu(v);

	v->run.vm = &v->vm;
	v->run.mem = &v->mem;
	v->run.timeout_ms = v->cfg.timeout_ms;
	v->run.diag = stderr;
	serial_init(&v->run.serial, stdout);
	access_log_init(&v->run.access_log, stderr);
	/* After loading: the loader's pages are present and are not the guest's touches. */
	if (monitors_start(&v->monitors, v->monitor_mask, &v->vm, &v->mem,
			   v->monitor_interval_ms, &err) < 0)
		return fail(VMM_EXIT_HOST_ERROR, &err);
	v->run.monitors = &v->monitors;
	if (v->cfg.dump_pagetables) {
		if (pagetable_dump_open(&v->ptdump, v->cfg.dump_pagetables, &v->mem, &v->vm,
					&v->cpu, stderr, &err) < 0)
			return fail(VMM_EXIT_HOST_ERROR, &err);
		v->run.ptdump = &v->ptdump;
	}
	if (v->loop) {
		struct stats_sources src = { .mem = &v->mem, .run = &v->run, .mon = &v->monitors,
					     .dev = v->memstat };

		if (event_loop_start(v->loop, &src, &err) < 0)
			return fail(VMM_EXIT_HOST_ERROR, &err);
	}
	v->run.memstat = v->memstat;
	rc = vcpu_run(&v->run);
	if (v->memstat)
		memstat_dev_print_final(v->memstat, stderr);
	if (pagetable_dump_close(&v->ptdump, &err) < 0) {
		fprintf(stderr, "vmm: %s\n", err.msg);
		if (rc < VMM_EXIT_USAGE)
			rc = VMM_EXIT_HOST_ERROR;
	}
	monitors_print_summary(&v->monitors, stderr);
	if (v->cfg.verbose)
		fprintf(stderr, "vmm: %" PRIu64 " exits, %" PRIu64 " console bytes, exit status %d\n",
			v->run.exits, v->run.serial.bytes_out, rc);
	return rc;
}

int main(int argc, char **argv)
{
	/* Large (MTRR plan, access log): on the heap, not the stack. */
	struct vmm *v = calloc(1, sizeof(*v));
	struct vmm_err err = { "" };
	int rc;

	if (!v) {
		fputs("vmm: out of memory\n", stderr);
		return VMM_EXIT_HOST_ERROR;
	}
	v->vm.kvm_fd = v->vm.vm_fd = v->vm.vcpu_fd = -1;
	/* Guest console lines and VMM messages interleave in order on a shared pipe. */
	setvbuf(stdout, NULL, _IOLBF, 0);

	rc = vmm_main(v, argc, argv);
	/* The final record and SHUTDOWN need the monitors and guest memory: first. */
	if (event_loop_finish(v->loop, rc, &err) < 0) {
		fprintf(stderr, "vmm: %s\n", err.msg);
		if (rc < VMM_EXIT_USAGE)
			rc = VMM_EXIT_HOST_ERROR;
	}

	stop_fini();
	/* Before guest memory and the VM go: the monitors' threads use both. */
	monitors_stop(&v->monitors);
	kvm_vm_destroy(&v->vm);
	/* After the VM: its memslot pointed at the region. */
	memstat_dev_destroy(v->memstat);
	x86_cpu_info_free(&v->cpu);
	guest_mem_unmap(&v->mem);
	free(v);
	/* Console output the guest wrote and nobody received is not a success. */
	if ((fflush(stdout) != 0 || ferror(stdout)) && rc < VMM_EXIT_USAGE) {
		fprintf(stderr, "vmm: writing the guest console to stdout failed: output was lost\n");
		rc = VMM_EXIT_HOST_ERROR;
	}
	return rc;
}
