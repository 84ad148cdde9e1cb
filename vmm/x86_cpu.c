/* SPDX-License-Identifier: MIT */
#include "x86_cpu.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "../shared/hypervisor.h"

/* KVM's local APIC timer counts at 1 GHz (APIC_BUS_CYCLE_NS = 1). */
#define KVM_APIC_BUS_KHZ 1000000u

#define CPUID_LEAF_FEATURES 0x1
#define CPUID_LEAF_TOPOLOGY 0xbu
#define CPUID_LEAF_TOPOLOGY_V2 0x1fu
#define CPUID_LEAF_AMD_TOPOLOGY 0x8000001eu
#define CPUID_LEAF_ADDR_SIZES 0x80000008u
#define CPUID_1_EBX_APIC_ID_SHIFT 24
#define CPUID_1_ECX_TSC_DEADLINE (1u << 24)

/* Initial guess for KVM_GET_SUPPORTED_CPUID; doubled on E2BIG. */
#define CPUID_ENTRIES_START 64
#define CPUID_ENTRIES_LIMIT 4096

/* Room for the three hypervisor leaves we add. */
#define CPUID_ENTRIES_ADDED 3

/* Segment descriptor cache values for the flat 32-bit PVH entry. */
#define SEG_TYPE_CODE_XR_ACCESSED 0xb
#define SEG_TYPE_DATA_RW_ACCESSED 0x3
#define SEG_TYPE_TSS32_BUSY 0xb
#define SEG_LIMIT_4G 0xffffffffu
#define X86_CR0_PE (1ull << 0)
#define X86_CR0_ET (1ull << 4)
#define X86_RFLAGS_RESERVED1 (1ull << 1)

static struct kvm_cpuid_entry2 *cpuid_find(struct kvm_cpuid2 *c, uint32_t fn, uint32_t index)
{
	for (uint32_t i = 0; i < c->nent; i++)
		if (c->entries[i].function == fn && c->entries[i].index == index)
			return &c->entries[i];
	return NULL;
}

int x86_cpu_probe(struct kvm_vm *vm, struct x86_cpu_info *info, struct vmm_err *err)
{
	unsigned n = CPUID_ENTRIES_START;
	struct kvm_cpuid_entry2 *e;
	int ret;

	memset(info, 0, sizeof(*info));
	for (;;) {
		/* Zeroed, so valgrind sees defined memory after the ioctl. */
		struct kvm_cpuid2 *c = calloc(1, sizeof(*c) + (n + CPUID_ENTRIES_ADDED) *
								 sizeof(c->entries[0]));
		if (!c)
			return err_set(err, "out of memory for %u CPUID entries", n);
		c->nent = n;
		if (ioctl(vm->kvm_fd, KVM_GET_SUPPORTED_CPUID, c) == 0) {
			info->cpuid = c;
			break;
		}
		ret = errno;
		free(c);
		if (ret != E2BIG || n >= CPUID_ENTRIES_LIMIT)
			return err_set(err, "KVM_GET_SUPPORTED_CPUID (%u entries): %s", n,
				       strerror(ret));
		n *= 2;
	}

	e = cpuid_find(info->cpuid, CPUID_LEAF_ADDR_SIZES, 0);
	info->phys_bits = e ? (e->eax & 0xff) : 36; /* 36: the pre-long-mode default */
	if (info->phys_bits < 32 || info->phys_bits > 52)
		return err_set(err, "CPUID 0x80000008 reports %u physical address bits",
			       info->phys_bits);

	ret = ioctl(vm->vcpu_fd, KVM_GET_TSC_KHZ, 0);
	info->tsc_khz = ret > 0 ? (uint32_t)ret : 0;
	return 0;
}

void x86_cpu_info_free(struct x86_cpu_info *info)
{
	free(info->cpuid);
	info->cpuid = NULL;
}

/* Drop every entry of the hypervisor range 0x40000000-0x4fffffff. */
static void cpuid_drop_hypervisor_leaves(struct kvm_cpuid2 *c)
{
	uint32_t out = 0;

	for (uint32_t i = 0; i < c->nent; i++) {
		if ((c->entries[i].function & 0xf0000000u) == CPUID_HV_VENDOR_LEAF)
			continue;
		c->entries[out++] = c->entries[i];
	}
	c->nent = out;
}

int x86_cpu_set_cpuid(struct kvm_vm *vm, const struct x86_cpu_info *info, struct vmm_err *err)
{
	struct kvm_cpuid2 *c = info->cpuid;
	struct kvm_cpuid_entry2 *e;
	uint32_t sig[3];

	e = cpuid_find(c, CPUID_LEAF_FEATURES, 0);
	if (e) {
		e->ebx &= ~(0xffu << CPUID_1_EBX_APIC_ID_SHIFT); /* vCPU 0 has APIC ID 0 */
		e->ecx |= CPUID_1_ECX_HYPERVISOR;
		/*
		 * KVM_CREATE_IRQCHIP gives vCPU 0 an in-kernel local APIC, so the
		 * APIC and x2APIC bits stay as KVM offers them (KVM api.rst,
		 * "Local APIC features"). TSC-deadline stays hidden: nothing here
		 * has checked that this host's KVM delivers deadline interrupts
		 * (docs/decisions.md).
		 */
		e->ecx &= ~CPUID_1_ECX_TSC_DEADLINE;
	}
	/*
	 * KVM fills the topology leaves with the APIC ID of the host CPU the
	 * VMM happens to run on; vCPU 0 is APIC ID 0, whatever the host.
	 */
	for (uint32_t i = 0; i < c->nent; i++) {
		struct kvm_cpuid_entry2 *t = &c->entries[i];

		if (t->function == CPUID_LEAF_TOPOLOGY || t->function == CPUID_LEAF_TOPOLOGY_V2)
			t->edx = 0;
		else if (t->function == CPUID_LEAF_AMD_TOPOLOGY)
			t->eax = 0;
	}

	/* probe() allocated CPUID_ENTRIES_ADDED spare entries for these. */
	cpuid_drop_hypervisor_leaves(c);
	_Static_assert(sizeof(VMM_CPUID_SIGNATURE) - 1 == sizeof(sig), "12-byte signature");
	memcpy(sig, VMM_CPUID_SIGNATURE, sizeof(sig));
	c->entries[c->nent++] = (struct kvm_cpuid_entry2){
		.function = CPUID_HV_VENDOR_LEAF,
		.eax = CPUID_HV_TIMING_LEAF,
		.ebx = sig[0],
		.ecx = sig[1],
		.edx = sig[2],
	};
	/* Every DIMM is fresh anonymous memory (guest_mem.c): unwritten RAM is zero. */
	c->entries[c->nent++] = (struct kvm_cpuid_entry2){
		.function = CPUID_HV_FEATURES_LEAF,
		.eax = MEMLAB_HV_FEATURE_ZEROED_RAM,
	};
	c->entries[c->nent++] = (struct kvm_cpuid_entry2){
		.function = CPUID_HV_TIMING_LEAF,
		.eax = info->tsc_khz,
		.ebx = KVM_APIC_BUS_KHZ,
	};

	if (ioctl(vm->vcpu_fd, KVM_SET_CPUID2, c) < 0)
		return err_set(err, "KVM_SET_CPUID2 (%u entries): %s", c->nent, strerror(errno));
	return 0;
}

int x86_cpu_get_msr(struct kvm_vm *vm, uint32_t index, uint64_t *value, struct vmm_err *err)
{
	struct {
		struct kvm_msrs hdr;
		struct kvm_msr_entry entry;
	} m;

	memset(&m, 0, sizeof(m));
	m.hdr.nmsrs = 1;
	m.entry.index = index;
	int ret = ioctl(vm->vcpu_fd, KVM_GET_MSRS, &m);

	if (ret != 1)
		return err_set(err, "KVM_GET_MSRS of MSR 0x%x: %s", index,
			       ret < 0 ? strerror(errno) : "refused by KVM");
	*value = m.entry.data;
	return 0;
}

int x86_cpu_set_mtrrs(struct kvm_vm *vm, const struct mtrr_plan *plan, struct vmm_err *err)
{
	struct kvm_msrs *m;
	int ret;

	m = calloc(1, sizeof(*m) + plan->nr_msrs * sizeof(m->entries[0]));
	if (!m)
		return err_set(err, "out of memory for %u MSRs", plan->nr_msrs);
	m->nmsrs = plan->nr_msrs;
	for (unsigned i = 0; i < plan->nr_msrs; i++) {
		m->entries[i].index = plan->msrs[i].index;
		m->entries[i].data = plan->msrs[i].value;
	}
	ret = ioctl(vm->vcpu_fd, KVM_SET_MSRS, m);
	free(m);
	/* KVM_SET_MSRS returns how many it wrote; it stops at the first refusal. */
	if (ret != (int)plan->nr_msrs) {
		if (ret < 0)
			return err_set(err, "KVM_SET_MSRS (MTRRs): %s", strerror(errno));
		return err_set(err, "KVM_SET_MSRS refused MTRR MSR 0x%x = 0x%llx", plan->msrs[ret].index,
			       (unsigned long long)plan->msrs[ret].value);
	}
	return 0;
}

/* A present, flat, 4 GiB, 32-bit segment of @type. */
static struct kvm_segment flat_segment(uint16_t selector, uint8_t type)
{
	return (struct kvm_segment){
		.base = 0,
		.limit = SEG_LIMIT_4G,
		.selector = selector,
		.type = type,
		.present = 1,
		.dpl = 0,
		.db = 1,
		.s = 1,
		.l = 0,
		.g = 1,
	};
}

int x86_cpu_set_pvh_entry(struct kvm_vm *vm, uint32_t entry, uint32_t start_info,
			  struct vmm_err *err)
{
	struct kvm_sregs sregs;
	struct kvm_regs regs;

	memset(&sregs, 0, sizeof(sregs));
	if (ioctl(vm->vcpu_fd, KVM_GET_SREGS, &sregs) < 0)
		return err_set(err, "KVM_GET_SREGS: %s", strerror(errno));

	/* Selectors follow the PVH ABI's suggestion: code 0x10, data 0x18, TSS 0x20. */
	sregs.cs = flat_segment(0x10, SEG_TYPE_CODE_XR_ACCESSED);
	sregs.ds = sregs.es = sregs.fs = sregs.gs = sregs.ss =
		flat_segment(0x18, SEG_TYPE_DATA_RW_ACCESSED);
	/* VMX refuses entry without a usable busy TSS; its contents are never used. */
	sregs.tr = (struct kvm_segment){
		.selector = 0x20,
		.limit = 0x67,
		.type = SEG_TYPE_TSS32_BUSY,
		.present = 1,
	};
	sregs.ldt = (struct kvm_segment){ .type = 0x2, .present = 1, .limit = 0xffff };
	sregs.cr0 = X86_CR0_PE | X86_CR0_ET;
	sregs.cr3 = 0;
	sregs.cr4 = 0;
	sregs.efer = 0;
	if (ioctl(vm->vcpu_fd, KVM_SET_SREGS, &sregs) < 0)
		return err_set(err, "KVM_SET_SREGS (32-bit PVH entry): %s", strerror(errno));

	memset(&regs, 0, sizeof(regs));
	regs.rip = entry;
	regs.rbx = start_info;
	regs.rflags = X86_RFLAGS_RESERVED1; /* IF clear: interrupts off */
	if (ioctl(vm->vcpu_fd, KVM_SET_REGS, &regs) < 0)
		return err_set(err, "KVM_SET_REGS: %s", strerror(errno));
	return 0;
}

static const char *const exception_names[32] = {
	"#DE divide error", "#DB debug", "NMI", "#BP breakpoint", "#OF overflow",
	"#BR bound range", "#UD invalid opcode", "#NM device not available",
	"#DF double fault", "coprocessor segment overrun", "#TS invalid TSS",
	"#NP segment not present", "#SS stack fault", "#GP general protection",
	"#PF page fault", "reserved 15", "#MF x87 error", "#AC alignment check",
	"#MC machine check", "#XM SIMD error", "#VE virtualization", "#CP control protection",
};

void x86_cpu_dump(struct kvm_vm *vm, FILE *out)
{
	struct kvm_regs regs;
	struct kvm_sregs sregs;
	struct kvm_vcpu_events ev;

	memset(&regs, 0, sizeof(regs));
	memset(&sregs, 0, sizeof(sregs));
	memset(&ev, 0, sizeof(ev));
	if (ioctl(vm->vcpu_fd, KVM_GET_REGS, &regs) < 0 ||
	    ioctl(vm->vcpu_fd, KVM_GET_SREGS, &sregs) < 0) {
		fprintf(out, "vmm: cannot read vCPU registers: %s\n", strerror(errno));
		return;
	}
	fprintf(out, "vmm: RIP=0x%016llx RSP=0x%016llx RFLAGS=0x%08llx CS=0x%04x\n",
		(unsigned long long)regs.rip, (unsigned long long)regs.rsp,
		(unsigned long long)regs.rflags, sregs.cs.selector);
	fprintf(out, "vmm: CR0=0x%08llx CR2=0x%016llx CR3=0x%016llx CR4=0x%08llx EFER=0x%llx\n",
		(unsigned long long)sregs.cr0, (unsigned long long)sregs.cr2,
		(unsigned long long)sregs.cr3, (unsigned long long)sregs.cr4,
		(unsigned long long)sregs.efer);
	if (ioctl(vm->vcpu_fd, KVM_GET_VCPU_EVENTS, &ev) < 0) {
		fprintf(out, "vmm: last exception: unknown (KVM_GET_VCPU_EVENTS: %s)\n",
			strerror(errno));
	} else if (ev.exception.injected || ev.exception.pending) {
		unsigned nr = ev.exception.nr;

		fprintf(out, "vmm: last exception: vector %u (%s), %s", nr,
			nr < 32 && exception_names[nr] ? exception_names[nr] : "unknown",
			ev.exception.injected ? "injected" : "pending");
		if (ev.exception.has_error_code)
			fprintf(out, ", error code 0x%x", ev.exception.error_code);
		fputc('\n', out);
	} else {
		fprintf(out, "vmm: last exception: unknown (none pending in KVM)\n");
	}
}
