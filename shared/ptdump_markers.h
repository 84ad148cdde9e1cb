/* SPDX-License-Identifier: MIT */
/*
 * The region markers of the kernel page-table dump ("---[ Vmemmap ]---"),
 * shared by the guest's ptdump=kernel (guest/arch/x86/mm/ptdump.c) and the
 * VMM's --dump-pagetables (vmm/pagetable_dump.c), so the two dumps can be
 * compared line by line. Names and addresses are Linux's x86-64 4-level
 * layout without KASLR (Documentation/arch/x86/x86_64/mm.rst and
 * arch/x86/mm/dump_pagetables.c).
 *
 * A marker is printed before the first line that starts at or past its
 * address, and a run of entries never crosses one. To add a region, add
 * its address and a line to PTDUMP_MARKERS, in address order: both dumps
 * pick it up, and tests/integration/ptdump_host.sh checks they agree.
 */
#ifndef SHARED_PTDUMP_MARKERS_H
#define SHARED_PTDUMP_MARKERS_H

/* Only <stdint.h>: the VMM (hosted C11) and the guest (freestanding) both include it. */
#include <stdint.h>

#define PTDUMP_USER_SPACE_START 0x0000000000000000ULL
/* Bit 63: the first address of the upper half, reached as 0xffff800000000000. */
#define PTDUMP_KERNEL_SPACE_START 0x8000000000000000ULL
#define PTDUMP_LOW_KERNEL_START 0xffff888000000000ULL /* PAGE_OFFSET: direct map */
#define PTDUMP_VMALLOC_START 0xffffc90000000000ULL
#define PTDUMP_VMEMMAP_START 0xffffea0000000000ULL
#define PTDUMP_HIGH_KERNEL_START 0xffffffff80000000ULL /* __START_KERNEL_map */
/* MODULES_VADDR with the 1 GiB KERNEL_IMAGE_SIZE of a CONFIG_RANDOMIZE_BASE kernel. */
#define PTDUMP_MODULES_START 0xffffffffc0000000ULL
/*
 * kmap()'s pkmap window (32-bit Linux's marker; x86-64 Linux has no pkmap)
 * and the fixmap: PKMAP_BASE and FIXADDR_START of guest asm/fixmap.h,
 * which checks at build time that they still match.
 */
#define PTDUMP_PKMAP_START 0xffffffffff200000ULL
#define PTDUMP_FIXMAP_START 0xffffffffff5dc000ULL

struct ptdump_marker {
	uint64_t start;
	const char *name;
};

/* Initializer of a struct ptdump_marker array, in address order. */
#define PTDUMP_MARKERS                                            \
	{                                                         \
		{ PTDUMP_USER_SPACE_START, "User Space" },        \
		{ PTDUMP_KERNEL_SPACE_START, "Kernel Space" },    \
		{ PTDUMP_LOW_KERNEL_START, "Low Kernel Mapping" }, \
		{ PTDUMP_VMALLOC_START, "vmalloc() Area" },       \
		{ PTDUMP_VMEMMAP_START, "Vmemmap" },              \
		{ PTDUMP_HIGH_KERNEL_START, "High Kernel Mapping" }, \
		{ PTDUMP_MODULES_START, "Modules" },              \
		{ PTDUMP_PKMAP_START, "Persistent kmap() Area" }, \
		{ PTDUMP_FIXMAP_START, "Fixmap Area" },           \
	}

#endif /* SHARED_PTDUMP_MARKERS_H */
