#!/usr/bin/env bash
# Default boot (-m 4G: DIMM [0, 3G), hole [3G, 4G), DIMM [4G, 5G)) and the
# guest's report of it: E820 map, usable total, CPU, MTRRs the VMM set up.
. "$(dirname "$0")/../lib.sh"
require_kvm_or_skip_all || exit 0

run_vmm boot_default "$GUEST"
begin "default boot exits 0"
check_rc 0
check_line "$STDOUT_FILE" "Boot complete: exiting with code 0"
end

begin "default boot: sanitized E820 as Linux prints it"
check_line "$STDOUT_FILE" "BIOS-provided physical RAM map:"
check_line "$STDOUT_FILE" "BIOS-e820: [mem 0x0000000000000000-0x000000000009fbff] usable"
check_line "$STDOUT_FILE" "BIOS-e820: [mem 0x000000000009fc00-0x00000000000fffff] reserved"
check_line "$STDOUT_FILE" "BIOS-e820: [mem 0x0000000000100000-0x00000000bfffffff] usable"
check_line "$STDOUT_FILE" "BIOS-e820: [mem 0x00000000feb00000-0x00000000feb04fff] reserved"
check_line "$STDOUT_FILE" "BIOS-e820: [mem 0x0000000100000000-0x000000013fffffff] usable"
check_count "$STDOUT_FILE" '^BIOS-e820: ' 5
end

# 4 GiB of DIMMs minus the low megabyte's reserved part [0x9fc00, 1 MiB).
begin "default boot: usable RAM = 4 GiB - (1 MiB - 0x9fc00)"
total=$(( (4 << 30) - (0x100000 - 0x9fc00) ))
check_line "$STDOUT_FILE" "e820: usable RAM: $total bytes ($((total / 1024)) KiB) in 3 ranges"
end

begin "default boot: PVH start info, memmap and command line where the VMM put them"
check_grep "$STDOUT_FILE" '^PVH: start_info at 0x6000, version 1, 5 memmap entries at 0x7000, cmdline at 0x8000'
end

begin "default boot: hypervisor leaf names this VMM"
check_line "$STDOUT_FILE" "Hypervisor detected: MemLabVMM"
end

begin "default boot: firmware MTRRs (default WB, hole [3G,4G) UC)"
check_line "$STDOUT_FILE" "MTRR default type: write-back"
check_grep "$STDOUT_FILE" '^  0 base 0+C0000000 mask 0*FFFFC0000000 uncachable$'
check_line "$STDOUT_FILE" "  1 disabled"
end

begin "default boot: the VMM leaves PAT at its reset value, the guest programs Linux's layout"
check_line "$STDOUT_FILE" "x86/PAT: firmware left 0x0007040600070406"
check_line "$STDOUT_FILE" "x86/PAT: Configuration [0-7]: WB  WC  UC- UC  WB  WP  UC- WT  "
end

begin "default boot: nothing unhandled, no VMM message but the final guest meminfo"
check_quiet "$STDERR_FILE"
end

run_vmm boot_cmdline --cmdline 'foo=bar "quoted=a b" bare' "$GUEST"
begin "command line reaches the guest"
check_rc 0
check_line "$STDOUT_FILE" "Command line: foo=bar \"quoted=a b\" bare $MEMSTAT_PARAM"
end

run_vmm boot_verbose -v "$GUEST"
begin "-v describes DIMMs, E820, ELF and MTRRs on stderr"
check_rc 0
check_grep "$STDERR_FILE" '^vmm: DIMM 0: 3G@0x0 '
check_grep "$STDERR_FILE" '^vmm: DIMM 1: 1G@0x100000000 '
check_grep "$STDERR_FILE" '^vmm: PVH entry 0x[0-9a-f]+'
check_grep "$STDERR_FILE" '^vmm: MTRR: 1 variable ranges'
end

# memblock (issue 3's first piece): E820 RAM in, the boot's own memory reserved.
run_vmm boot_memblock --cmdline memblock=debug "$GUEST"
begin "memblock=debug: RAM from E820 (page 0 and partial page left out), low megabyte, image and PVH data reserved"
check_rc 0
check_line "$STDOUT_FILE" "MEMBLOCK configuration:"
check_line "$STDOUT_FILE" " memory.cnt  = 0x3"
check_line "$STDOUT_FILE" "e820: update [mem 0x00000000-0x00000fff] usable ==> reserved"
check_line "$STDOUT_FILE" "$(printf ' memory[0x0]\t[0x0000000000001000-0x000000000009efff], 0x000000000009e000 bytes flags: 0x0')"
check_line "$STDOUT_FILE" "$(printf ' memory[0x1]\t[0x0000000000100000-0x00000000bfffffff], 0x00000000bff00000 bytes flags: 0x0')"
check_line "$STDOUT_FILE" "$(printf ' memory[0x2]\t[0x0000000100000000-0x000000013fffffff], 0x0000000040000000 bytes flags: 0x0')"
check_line "$STDOUT_FILE" "memblock_reserve: [0x0000000000000000-0x00000000000fffff]"
check_line "$STDOUT_FILE" "memblock_reserve: [0x0000000000006000-0x0000000000006037]"
check_grep "$STDOUT_FILE" '^memblock_reserve: \[0x0000000000100000-0x00000000001[0-9a-f]{5}\]$'
check_no_grep "$STDOUT_FILE" '^Unknown kernel command line'
end

# MTRR lookup over the firmware MTRRs (issue 4's piece): /proc/mtrr lines.
run_vmm boot_mtrr_show --dimm 512M@0 --dimm 256M@1G --dimm 1G@4G --cmdline "mtrr=show selftest=mtrr" "$GUEST"
begin "mtrr=show prints /proc/mtrr lines for the VMM's hole ranges; selftest=mtrr passes"
check_rc 0
check_line "$STDOUT_FILE" "reg00: base=0x020000000 (  512MB), size=  512MB, count=1: uncachable"
check_line "$STDOUT_FILE" "reg03: base=0x080000000 ( 2048MB), size= 2048MB, count=1: uncachable"
check_no_grep "$STDOUT_FILE" '^ *not ok '
end

# ptdump=kernel: the kernel page tables in Linux's debugfs format.
run_vmm boot_ptdump --cmdline "ptdump=kernel" "$GUEST"
begin "ptdump=kernel: markers and the direct map of lowmem in Linux's page_tables format"
check_rc 0
check_line "$STDOUT_FILE" "---[ Low Kernel Mapping ]---"
check_line "$STDOUT_FILE" "---[ High Kernel Mapping ]---"
# The direct map: data, so NX, and global (CR4.PGE); the image: text ro+x, the rest NX.
check_grep "$STDOUT_FILE" '^0xffff888000200000-0xffff888038000000 +894M +RW +PSE +GLB NX pmd$'
check_grep "$STDOUT_FILE" '^0xffffffff80101000-0xffffffff80[0-9a-f]{6} +[0-9]+K +ro +GLB x +pte$'
check_grep "$STDOUT_FILE" '^0xffffffff80200000-0xffffffffc0000000 +1022M +RW +PSE +GLB NX pmd$'
end
