/* SPDX-License-Identifier: MIT */
/*
 * Writing the PVH start-of-day structures into guest memory: hvm_start_info
 * (version 1), the memory map and the command line, at the addresses in
 * shared/pvh.h.
 */
#ifndef VMM_PVH_BOOT_H
#define VMM_PVH_BOOT_H

#include "error.h"
#include "guest_mem.h"
#include "layout.h"

/*
 * Write start info, @nr E820 entries and @cmdline. The boot area must be in
 * guest RAM (layout_check() ensures it). Returns 0, or -1 with @err if the
 * table or the command line does not fit.
 */
int pvh_boot_write(const struct guest_mem *mem, const struct e820_entry *e820, unsigned nr,
		   const char *cmdline, struct vmm_err *err);

#endif /* VMM_PVH_BOOT_H */
