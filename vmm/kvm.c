/* SPDX-License-Identifier: MIT */
#include "kvm.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "size.h"

#define KVM_DEVICE "/dev/kvm"
#define KVM_API_VERSION_EXPECTED 12

/*
 * Physical pages KVM needs on Intel VMX hosts for real-mode emulation (TSS,
 * 3 pages) and the EPT identity map (1 page). They must not be guest RAM:
 * they sit just below the BIOS area, inside the x86 MMIO window that
 * layout_check() keeps free of DIMMs.
 */
#define KVM_TSS_ADDR 0xfffbc000ull
#define KVM_IDENTITY_MAP_ADDR 0xfffbf000ull

/* Capabilities the VMM cannot work without, and why. */
static const struct {
	int cap;
	const char *name;
} required_caps[] = {
	{ KVM_CAP_USER_MEMORY, "KVM_CAP_USER_MEMORY (memslots)" },
	{ KVM_CAP_SET_TSS_ADDR, "KVM_CAP_SET_TSS_ADDR" },
	{ KVM_CAP_EXT_CPUID, "KVM_CAP_EXT_CPUID (KVM_GET_SUPPORTED_CPUID)" },
	{ KVM_CAP_IMMEDIATE_EXIT, "KVM_CAP_IMMEDIATE_EXIT (timeouts and signals)" },
	{ KVM_CAP_IRQCHIP, "KVM_CAP_IRQCHIP (in-kernel PIC, IOAPIC and local APIC)" },
};

int kvm_vm_create(struct kvm_vm *vm, struct vmm_err *err)
{
	int ret;

	memset(vm, 0, sizeof(*vm));
	vm->kvm_fd = vm->vm_fd = vm->vcpu_fd = -1;

	vm->kvm_fd = open(KVM_DEVICE, O_RDWR | O_CLOEXEC);
	if (vm->kvm_fd < 0)
		return err_set(err, "cannot open %s: %s", KVM_DEVICE, strerror(errno));

	ret = ioctl(vm->kvm_fd, KVM_GET_API_VERSION, 0);
	if (ret != KVM_API_VERSION_EXPECTED)
		return err_set(err, "%s: KVM API version %d, need %d", KVM_DEVICE, ret,
			       KVM_API_VERSION_EXPECTED);

	for (size_t i = 0; i < sizeof(required_caps) / sizeof(required_caps[0]); i++) {
		if (ioctl(vm->kvm_fd, KVM_CHECK_EXTENSION, required_caps[i].cap) <= 0)
			return err_set(err, "%s: missing capability %s", KVM_DEVICE,
				       required_caps[i].name);
	}

	ret = ioctl(vm->kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_NR_MEMSLOTS);
	/* KVM before 2.6.30 did not report it; it then had 32 slots. */
	vm->max_memslots = ret > 0 ? (unsigned)ret : 32;

	vm->vm_fd = ioctl(vm->kvm_fd, KVM_CREATE_VM, 0);
	if (vm->vm_fd < 0)
		return err_set(err, "KVM_CREATE_VM: %s", strerror(errno));

	if (ioctl(vm->vm_fd, KVM_SET_TSS_ADDR, (unsigned long)KVM_TSS_ADDR) < 0)
		return err_set(err, "KVM_SET_TSS_ADDR 0x%llx: %s", KVM_TSS_ADDR, strerror(errno));
	uint64_t ident = KVM_IDENTITY_MAP_ADDR;
	if (ioctl(vm->vm_fd, KVM_CHECK_EXTENSION, KVM_CAP_SET_IDENTITY_MAP_ADDR) > 0 &&
	    ioctl(vm->vm_fd, KVM_SET_IDENTITY_MAP_ADDR, &ident) < 0)
		return err_set(err, "KVM_SET_IDENTITY_MAP_ADDR 0x%llx: %s", KVM_IDENTITY_MAP_ADDR,
			       strerror(errno));
	/*
	 * The interrupt controllers live in KVM (PIC, IOAPIC at 0xfec00000,
	 * a local APIC per vCPU): created before any vCPU, as KVM requires.
	 * From here on a guest HLT waits in KVM for an interrupt instead of
	 * exiting to us.
	 */
	if (ioctl(vm->vm_fd, KVM_CREATE_IRQCHIP, 0) < 0)
		return err_set(err, "KVM_CREATE_IRQCHIP: %s", strerror(errno));
	return 0;
}

int kvm_vm_irq_edge(struct kvm_vm *vm, uint32_t gsi)
{
	struct kvm_irq_level irq = { .irq = gsi, .level = 1 };

	if (ioctl(vm->vm_fd, KVM_IRQ_LINE, &irq) < 0)
		return -errno;
	irq.level = 0;
	if (ioctl(vm->vm_fd, KVM_IRQ_LINE, &irq) < 0)
		return -errno;
	return 0;
}

int kvm_vm_add_region(struct kvm_vm *vm, unsigned slot, uint64_t gpa, uint64_t size, void *hva,
		      struct vmm_err *err)
{
	struct kvm_userspace_memory_region region = {
		.slot = slot,
		.flags = 0,
		.guest_phys_addr = gpa,
		.memory_size = size,
		.userspace_addr = (uintptr_t)hva,
	};

	if (slot >= vm->max_memslots)
		return err_set(err, "memory slot %u for the region at 0x%llx: KVM offers %u slots",
			       slot, (unsigned long long)gpa, vm->max_memslots);
	if (ioctl(vm->vm_fd, KVM_SET_USER_MEMORY_REGION, &region) < 0)
		return err_set(err, "KVM_SET_USER_MEMORY_REGION for 0x%llx bytes at 0x%llx (slot %u): %s",
			       (unsigned long long)size, (unsigned long long)gpa, slot,
			       strerror(errno));
	return 0;
}

int kvm_vm_add_memslots(struct kvm_vm *vm, const struct guest_mem *mem, struct vmm_err *err)
{
	char sz[32];

	if (mem->nr > vm->max_memslots)
		return err_set(err, "%u DIMMs but KVM offers only %u memory slots", mem->nr,
			       vm->max_memslots);
	for (unsigned i = 0; i < mem->nr; i++) {
		const struct guest_dimm *d = &mem->dimms[i];
		struct kvm_userspace_memory_region region = {
			.slot = d->slot,
			.flags = 0,
			.guest_phys_addr = d->gpa,
			.memory_size = d->size,
			.userspace_addr = (uintptr_t)d->hva,
		};

		if (ioctl(vm->vm_fd, KVM_SET_USER_MEMORY_REGION, &region) < 0)
			return err_set(err, "KVM_SET_USER_MEMORY_REGION for DIMM %s@0x%llx (slot %u): %s",
				       format_size(d->size, sz, sizeof(sz)),
				       (unsigned long long)d->gpa, d->slot, strerror(errno));
	}
	return 0;
}

int kvm_vm_create_vcpu(struct kvm_vm *vm, struct vmm_err *err)
{
	int size;

	vm->vcpu_fd = ioctl(vm->vm_fd, KVM_CREATE_VCPU, 0);
	if (vm->vcpu_fd < 0)
		return err_set(err, "KVM_CREATE_VCPU: %s", strerror(errno));

	size = ioctl(vm->kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (size < (int)sizeof(struct kvm_run))
		return err_set(err, "KVM_GET_VCPU_MMAP_SIZE: %d (%s)", size,
			       size < 0 ? strerror(errno) : "too small");
	vm->run_size = (size_t)size;
	vm->run = mmap(NULL, vm->run_size, PROT_READ | PROT_WRITE, MAP_SHARED, vm->vcpu_fd, 0);
	if (vm->run == MAP_FAILED) {
		vm->run = NULL;
		return err_set(err, "mmap of the vCPU's kvm_run (%zu bytes): %s", vm->run_size,
			       strerror(errno));
	}
	return 0;
}

void kvm_vm_destroy(struct kvm_vm *vm)
{
	if (vm->run)
		munmap(vm->run, vm->run_size);
	vm->run = NULL;
	if (vm->vcpu_fd >= 0)
		close(vm->vcpu_fd);
	if (vm->vm_fd >= 0)
		close(vm->vm_fd);
	if (vm->kvm_fd >= 0)
		close(vm->kvm_fd);
	vm->vcpu_fd = vm->vm_fd = vm->kvm_fd = -1;
}
