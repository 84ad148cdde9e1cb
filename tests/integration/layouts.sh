#!/usr/bin/env bash
# Guest RAM as DIMMs with holes between them: what the guest is told and
# what it sums up.
. "$(dirname "$0")/../lib.sh"
require_kvm_or_skip_all || exit 0

# 0      512M        1G   1.25G              4G        5G
# |DIMM 0 | hole    |DIMM1| hole ...         |DIMM 2   |
run_vmm layout_three --dimm 512M@0 --dimm 256M@1G --dimm 1G@4G "$GUEST"
begin "three DIMMs with holes: map"
check_rc 0
check_line "$STDOUT_FILE" "BIOS-e820: [mem 0x0000000000000000-0x000000000009fbff] usable"
check_line "$STDOUT_FILE" "BIOS-e820: [mem 0x000000000009fc00-0x00000000000fffff] reserved"
check_line "$STDOUT_FILE" "BIOS-e820: [mem 0x0000000000100000-0x000000001fffffff] usable"
check_line "$STDOUT_FILE" "BIOS-e820: [mem 0x0000000040000000-0x000000004fffffff] usable"
check_line "$STDOUT_FILE" "BIOS-e820: [mem 0x0000000100000000-0x000000013fffffff] usable"
# The memstat device's region (docs/memstat-device.md).
check_line "$STDOUT_FILE" "BIOS-e820: [mem 0x00000000feb00000-0x00000000feb04fff] reserved"
check_count "$STDOUT_FILE" '^BIOS-e820: ' 6
end
begin "three DIMMs with holes: total = 512M + 256M + 1G - low-megabyte reserve"
total=$(( (512 << 20) + (256 << 20) + (1 << 30) - (0x100000 - 0x9fc00) ))
check_line "$STDOUT_FILE" "e820: usable RAM: $total bytes ($((total / 1024)) KiB) in 4 ranges"
end
begin "three DIMMs with holes: MTRRs make [512M,1G) and [1.25G,4G) uncachable"
# [0x20000000,0x40000000) 512M; [0x50000000,0x60000000) 256M;
# [0x60000000,0x80000000) 512M; [0x80000000,0x100000000) 2G
check_grep "$STDOUT_FILE" 'base 0+20000000 mask 0*FFFFE0000000 uncachable$'
check_grep "$STDOUT_FILE" 'base 0+50000000 mask 0*FFFFF0000000 uncachable$'
check_grep "$STDOUT_FILE" 'base 0+60000000 mask 0*FFFFE0000000 uncachable$'
check_grep "$STDOUT_FILE" 'base 0+80000000 mask 0*FFFF80000000 uncachable$'
end

for m in 1G 3G 5G 64G; do
	run_vmm "layout_m_$m" -m "$m" "$GUEST"
	bytes=$(numfmt --from=iec "$m")
	low=$(( bytes < (3 << 30) ? bytes : (3 << 30) ))
	high=$(( bytes - low ))
	ranges=$(( high > 0 ? 3 : 2 ))
	total=$(( bytes - (0x100000 - 0x9fc00) ))
	begin "-m $m: $ranges usable ranges totalling $total bytes"
	check_rc 0
	check_line "$STDOUT_FILE" "e820: usable RAM: $total bytes ($((total / 1024)) KiB) in $ranges ranges"
	check_line "$STDOUT_FILE" "$(printf 'BIOS-e820: [mem 0x%016x-0x%016x] usable' 0x100000 $((low - 1)))"
	if [ $high -gt 0 ]; then
		check_line "$STDOUT_FILE" "$(printf 'BIOS-e820: [mem 0x%016x-0x%016x] usable' $((4 << 30)) $(((4 << 30) + high - 1)))"
	fi
	end
done

# A DIMM that starts in the middle of a 128 MiB section, and one 4 KiB DIMM.
run_vmm layout_midsection --dimm 64M@0 --dimm 8M@0x0a400000 --dimm 4K@0x10000000 "$GUEST"
begin "DIMMs starting mid-section and a 4 KiB DIMM"
check_rc 0
check_line "$STDOUT_FILE" "BIOS-e820: [mem 0x000000000a400000-0x000000000abfffff] usable"
check_line "$STDOUT_FILE" "BIOS-e820: [mem 0x0000000010000000-0x0000000010000fff] usable"
end

# 40 DIMMs of 16 MiB with 16 MiB holes between them, from 128 MiB on
# (a DIMM right after the first one would merge with it in the guest's map).
args=(--dimm 64M@0)
for i in $(seq 0 39); do args+=(--dimm "16M@$(printf '0x%x' $(( (128 << 20) + i * (32 << 20) )))"); done
run_vmm layout_many "${args[@]}" "$GUEST"
begin "41 DIMMs, 41 memslots, 42 usable ranges"
check_rc 0
check_count "$STDOUT_FILE" '^BIOS-e820: .* usable$' 42
total=$(( (64 << 20) + 40 * (16 << 20) - (0x100000 - 0x9fc00) ))
check_line "$STDOUT_FILE" "e820: usable RAM: $total bytes ($((total / 1024)) KiB) in 42 ranges"
end

# --e820 entries are carved out of the RAM they cover.
run_vmm layout_extra --e820 reserved@0x2000000+0x100000 --e820 acpi@0x3000000+0x10000 \
	--e820 pmem@0x140000000+256M -m 5G "$GUEST"
begin "--e820 entries carve reserved, ACPI and pmem ranges"
check_rc 0
check_line "$STDOUT_FILE" "BIOS-e820: [mem 0x0000000000100000-0x0000000001ffffff] usable"
check_line "$STDOUT_FILE" "BIOS-e820: [mem 0x0000000002000000-0x00000000020fffff] reserved"
check_line "$STDOUT_FILE" "BIOS-e820: [mem 0x0000000002100000-0x0000000002ffffff] usable"
check_line "$STDOUT_FILE" "BIOS-e820: [mem 0x0000000003000000-0x000000000300ffff] ACPI data"
check_line "$STDOUT_FILE" "BIOS-e820: [mem 0x0000000003010000-0x00000000bfffffff] usable"
check_line "$STDOUT_FILE" "BIOS-e820: [mem 0x0000000140000000-0x000000014fffffff] persistent (type 7)"
end
