#!/usr/bin/env bash
# The sparse memory model at boot: the one-line report at several -m
# values and DIMM layouts (sections counted by hand below), the vmemmap
# mapping line, memblock=debug showing the memmap allocations, and the
# `sparse` selftest suite (plus all the others) passing on each layout.
. "$(dirname "$0")/../lib.sh"
require_kvm_or_skip_all || exit 0

# report_line SECTIONS PERCENT: the summary for SECTIONS present sections.
report_line() {
	echo "sparse: $1 present sections of 128 MiB, memmap $(($1 * 1024)) KiB (32 bytes per 4 KiB page, $2% of present RAM)"
}

# The VMM's -m N: [0, min(N, 3G)) and the rest from 4 GiB, so -m N has N/128M sections.
for m in 1 4 16 64; do
	run_vmm "sparse_m_${m}G" -m "${m}G" --cmdline selftest=sparse "$GUEST"
	begin "-m ${m}G: $((m * 8)) present sections, memmap 0.78% of RAM, sparse selftests pass"
	check_rc 0
	check_line "$STDOUT_FILE" "$(report_line $((m * 8)) 0.78)"
	# Whole runs of sections: 2 MiB pages only, tables for one PML4 entry.
	check_line "$STDOUT_FILE" "vmemmap: $((m * 4)) x 2 MiB + 0 x 4 KiB pages, 2 page-table pages, fresh RAM from MemLabVMM, already zero"
	check_line "$STDOUT_FILE" "    # sparse: pass:7 fail:0 skip:0 total:7"
	end
done

# Sections 0-3, 8-9, 32-39; 1.75 GiB of RAM (less the low MiB's E820 hole).
run_vmm sparse_three --dimm 512M@0 --dimm 256M@1G --dimm 1G@4G --cmdline selftest=all "$GUEST"
begin "three DIMMs with holes: 14 sections, every selftest passes"
check_rc 0
check_line "$STDOUT_FILE" "$(report_line 14 0.78)"
check_no_grep "$STDOUT_FILE" '^ *not ok '
check_line "$STDOUT_FILE" "    # sparse: pass:7 fail:0 skip:0 total:7"
end

# A DIMM inside section 1 and a 4 KiB one alone in section 2: 3 sections for
# 72 MiB, the lone section's 1 MiB of memmap in 4 KiB pages.
run_vmm sparse_midsection --dimm 64M@0 --dimm 8M@0x0a400000 --dimm 4K@0x10000000 \
	--cmdline selftest=all "$GUEST"
begin "DIMM starting mid-section and a lone 4 KiB DIMM: 3 sections, selftests pass"
check_rc 0
check_grep "$STDOUT_FILE" '^sparse: 3 present sections of 128 MiB, memmap 3072 KiB '
check_line "$STDOUT_FILE" "vmemmap: 1 x 2 MiB + 256 x 4 KiB pages, 3 page-table pages, fresh RAM from MemLabVMM, already zero"
check_no_grep "$STDOUT_FILE" '^ *not ok '
check_line "$STDOUT_FILE" "    # sparse: pass:7 fail:0 skip:0 total:7"
end

run_vmm sparse_debug -m 1G --cmdline memblock=debug "$GUEST"
begin "memblock=debug: the section root, page tables and memmap come from memblock"
check_rc 0
# Before "Zone ranges:" (after it, the direct map takes page tables too).
sed '/^Zone ranges:$/q' "$STDOUT_FILE" >"$OUT/sparse_debug.before_zones"
check_count "$OUT/sparse_debug.before_zones" '^memblock_phys_alloc_range: 4096 bytes align=0x1000 ' 3
check_line "$STDOUT_FILE" "memblock_phys_alloc_range: 8388608 bytes align=0x200000 from=0x0000000000000000 max_addr=0x0000000000000000"
end
