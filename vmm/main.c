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
#include "exit_codes.h"
#include "guest_mem.h"
#include "kvm.h"
#include "layout.h"
#include "mtrr.h"
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
	if (kvm_vm_add_memslots(&v->vm, &v->mem, err) < 0 ||
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
	/* From here on --timeout and signals apply, loading included. */
	if (stop_init(v->cfg.timeout_ms, &err) < 0)
		return fail(VMM_EXIT_HOST_ERROR, &err);

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

	if (guest_mem_map(&v->mem, v->dimms, v->nr_dimms, &err) < 0)
		return fail(VMM_EXIT_HOST_ERROR, &err);
	if (elf_load_file(v->cfg.elf_path, &v->mem, PVH_BOOT_AREA_START, PVH_BOOT_AREA_END,
			  &v->image, &err) < 0)
		return fail(VMM_EXIT_BAD_INPUT, &err);
	if (pvh_boot_write(&v->mem, v->e820, v->nr_e820, v->cfg.cmdline, &err) < 0)
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
	rc = vcpu_run(&v->run);
	if (v->cfg.verbose)
		fprintf(stderr, "vmm: %" PRIu64 " exits, %" PRIu64 " console bytes, exit status %d\n",
			v->run.exits, v->run.serial.bytes_out, rc);
	return rc;
}

int main(int argc, char **argv)
{
	/* Large (MTRR plan, access log): on the heap, not the stack. */
	struct vmm *v = calloc(1, sizeof(*v));
	int rc;

	if (!v) {
		fputs("vmm: out of memory\n", stderr);
		return VMM_EXIT_HOST_ERROR;
	}
	v->vm.kvm_fd = v->vm.vm_fd = v->vm.vcpu_fd = -1;
	/* Guest console lines and VMM messages interleave in order on a shared pipe. */
	setvbuf(stdout, NULL, _IOLBF, 0);

	rc = vmm_main(v, argc, argv);

	stop_fini();
	kvm_vm_destroy(&v->vm);
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
