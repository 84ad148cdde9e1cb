/* SPDX-License-Identifier: MIT */
/*
 * The VM as KVM sees it: /dev/kvm, the VM file descriptor, the in-kernel
 * irqchip, one memslot per DIMM (and one per device region), and the vCPU
 * with its shared kvm_run page. Generic KVM calls only;
 * x86 register and CPUID set-up lives in x86_cpu.c.
 */
#ifndef VMM_KVM_H
#define VMM_KVM_H

#include <linux/kvm.h>
#include <stdint.h>

#include "error.h"
#include "guest_mem.h"

struct kvm_vm {
	int kvm_fd;             /* /dev/kvm */
	int vm_fd;              /* KVM_CREATE_VM */
	int vcpu_fd;            /* KVM_CREATE_VCPU, id 0 */
	struct kvm_run *run;    /* mmap of vcpu_fd */
	size_t run_size;
	unsigned max_memslots;  /* KVM_CAP_NR_MEMSLOTS */
};

/*
 * Open /dev/kvm, check the API version (12) and the capabilities this VMM
 * relies on, and create the VM with KVM's in-kernel irqchip. Returns 0, or
 * -1 with @err.
 */
int kvm_vm_create(struct kvm_vm *vm, struct vmm_err *err);

/* Register every DIMM of @mem as its own memslot. */
int kvm_vm_add_memslots(struct kvm_vm *vm, const struct guest_mem *mem, struct vmm_err *err);

/*
 * One edge on interrupt line @gsi of the in-kernel irqchip (KVM_IRQ_LINE
 * raised then lowered: the IOAPIC pin and, below 16, the PIC line).
 * Thread-safe. Returns 0 or -errno.
 */
int kvm_vm_irq_edge(struct kvm_vm *vm, uint32_t gsi);

/*
 * Map @size bytes at @hva as guest physical [@gpa, @gpa + @size) in memslot
 * @slot: memory that is not a DIMM (the memstat device region).
 */
int kvm_vm_add_region(struct kvm_vm *vm, unsigned slot, uint64_t gpa, uint64_t size, void *hva,
		      struct vmm_err *err);

/* Create vCPU 0 and map its kvm_run page. */
int kvm_vm_create_vcpu(struct kvm_vm *vm, struct vmm_err *err);

/* Close everything that was opened; safe on a partly created VM. */
void kvm_vm_destroy(struct kvm_vm *vm);

#endif /* VMM_KVM_H */
