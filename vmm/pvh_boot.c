/* SPDX-License-Identifier: MIT */
#include "pvh_boot.h"

#include <string.h>

#include "../shared/pvh.h"

_Static_assert(PVH_START_INFO_ADDR + sizeof(struct hvm_start_info) <= PVH_MEMMAP_ADDR,
	       "start info overlaps the memmap");
_Static_assert(PVH_MEMMAP_ADDR + E820_MAX_ENTRIES * sizeof(struct hvm_memmap_table_entry) <=
		       PVH_CMDLINE_ADDR,
	       "memmap overlaps the command line");
_Static_assert(PVH_CMDLINE_ADDR + PVH_CMDLINE_MAX + 1 <= PVH_BOOT_AREA_END,
	       "command line leaves the boot area");

int pvh_boot_write(const struct guest_mem *mem, const struct e820_entry *e820, unsigned nr,
		   const char *cmdline, struct vmm_err *err)
{
	size_t cmdlen = strlen(cmdline);
	struct hvm_start_info *si;
	struct hvm_memmap_table_entry *map;
	char *cmd;

	if (nr > E820_MAX_ENTRIES)
		return err_set(err, "E820 table has %u entries, the boot area holds %u", nr,
			       E820_MAX_ENTRIES);
	if (cmdlen > PVH_CMDLINE_MAX)
		return err_set(err, "command line is %zu bytes, the limit is %u", cmdlen,
			       PVH_CMDLINE_MAX);

	si = guest_mem_ptr(mem, PVH_START_INFO_ADDR, sizeof(*si));
	map = guest_mem_ptr(mem, PVH_MEMMAP_ADDR, E820_MAX_ENTRIES * sizeof(*map));
	cmd = guest_mem_ptr(mem, PVH_CMDLINE_ADDR, PVH_CMDLINE_MAX + 1);
	if (!si || !map || !cmd)
		return err_set(err, "PVH boot area [0x%x-0x%x] is not in guest RAM",
			       PVH_BOOT_AREA_START, PVH_BOOT_AREA_END - 1);

	memset(map, 0, E820_MAX_ENTRIES * sizeof(*map));
	for (unsigned i = 0; i < nr; i++)
		map[i] = (struct hvm_memmap_table_entry){
			.addr = e820[i].addr,
			.size = e820[i].size,
			.type = e820[i].type,
		};

	memset(cmd, 0, PVH_CMDLINE_MAX + 1);
	memcpy(cmd, cmdline, cmdlen);

	*si = (struct hvm_start_info){
		.magic = HVM_START_MAGIC_VALUE,
		.version = HVM_START_INFO_VERSION,
		.cmdline_paddr = PVH_CMDLINE_ADDR,
		.memmap_paddr = PVH_MEMMAP_ADDR,
		.memmap_entries = nr,
	};
	return 0;
}
