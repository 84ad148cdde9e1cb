#!/usr/bin/env bash
# The memstat device from the VMM's side (docs/memstat-device.md): the
# region reserved in E820 and announced on the command line, the handshake
# seen by the VMM, the final meminfo it prints against the guest's own,
# --no-memstat, --e820-file, --stats-period, and the layouts it refuses
# with one line. tests/integration/memstat.sh covers the guest's side and
# the hostile guest.
. "$(dirname "$0")/../lib.sh"
require_kvm_or_skip_all || exit 0

REGION_LINE="BIOS-e820: [mem 0x00000000feb00000-0x00000000feb04fff] reserved"

# The value in kB of /proc/meminfo line LABEL in FILE (the first one).
kb_of() { grep -m1 -E "^$2: +[0-9]+ kB$" "$1" | awk '{print $2}'; }
# The labels of the /proc/meminfo lines in FILE.
labels_of() { sed -nE 's/^([A-Za-z0-9_()]+): +[0-9]+ kB$/\1/p' "$1"; }

run_vmm msv_default -v --cmdline "report=meminfo" "$GUEST"
begin "default: region reserved in E820, announced, DRIVER_OK, final meminfo under its heading"
check_rc 0
check_line "$STDOUT_FILE" "$REGION_LINE"
check_line "$STDOUT_FILE" "Command line: report=meminfo $MEMSTAT_PARAM"
check_grep "$STDOUT_FILE" '^memstat: DRIVER_OK: device at 0xfeb00000, GSI 5 -> vector [0-9]+, features 0x1f, '
check_line "$STDERR_FILE" "vmm: memstat device: 20K@0xfeb00000, GSI 5, doorbell port 0x510, stats period 1000 ms"
check_grep "$STDERR_FILE" '^vmm: e820\[[0-9]+\]: addr 0xfeb00000 size 0x5000 type 2$'
check_count "$STDERR_FILE" '^vmm: memstat: final guest meminfo \([0-9]+ updates\):$' 1
check_no_grep "$STDERR_FILE" 'FAILED'
end

# The guest's report=meminfo runs after drain_all_pages() (report.c), its
# last publication before it: the free figures may differ by the per-CPU
# page lists, the same pages in each (all lowmem), nothing else may.
begin "default: every meminfo field the VMM prints equals the guest's own (free ones up to the per-CPU lists)"
guest_meminfo=$OUT/msv_default.guest_meminfo
sed -n '/^report: meminfo$/,/^DirectMap/p' "$STDOUT_FILE" >"$guest_meminfo"
vmm_meminfo=$OUT/msv_default.vmm_meminfo
sed -n '/^vmm: memstat: final guest meminfo/,$p' "$STDERR_FILE" >"$vmm_meminfo"
n=0
pcp=
for label in $(labels_of "$vmm_meminfo"); do
	g=$(kb_of "$guest_meminfo" "$label")
	h=$(kb_of "$vmm_meminfo" "$label")
	[ -n "$g" ] || continue
	n=$((n + 1))
	case $label in
	MemFree | MemAvailable | LowFree)
		d=$((g - h))
		[ -z "$pcp" ] && pcp=$d
		[ "$d" -ge 0 ] && [ "$d" = "$pcp" ] ||
			fail_because "$label: guest $g kB, VMM $h kB (differences must all be $pcp kB >= 0)"
		;;
	*)
		[ "$g" = "$h" ] || fail_because "$label: guest $g kB, VMM $h kB"
		;;
	esac
done
[ "$n" -ge 12 ] || fail_because "only $n fields in common: $(labels_of "$vmm_meminfo" | tr '\n' ' ')"
end

run_vmm msv_none --no-memstat --cmdline "report=meminfo" "$GUEST"
begin "--no-memstat: no E820 entry, no announcement, no final meminfo"
check_rc 0
check_no_line "$STDOUT_FILE" "$REGION_LINE"
check_line "$STDOUT_FILE" "Command line: report=meminfo"
check_line "$STDOUT_FILE" "memstat: no device (no memstat.device= parameter): statistics go to the console only"
check_empty "$STDERR_FILE"
end

run_vmm msv_e820file --e820-file "$TOP/tests/data/e820/touching-pieces.e820" "$GUEST"
begin "--e820-file: the table stays verbatim, so no device"
check_rc 0
check_no_line "$STDOUT_FILE" "$REGION_LINE"
check_no_grep "$STDOUT_FILE" '^Command line: .*memstat\.device='
check_empty "$STDERR_FILE"
end

run_vmm msv_period0 --stats-period 0 "$GUEST"
begin "--stats-period 0: the header says 0, the guest publishes on request only"
check_rc 0
check_grep "$STDOUT_FILE" '^memstat: DRIVER_OK: .* period 0 ms$'
end

run_vmm msv_extra --e820 reserved@0x20000000+1M "$GUEST"
begin "--e820 elsewhere: the device's entry goes in beside it"
check_rc 0
check_line "$STDOUT_FILE" "$REGION_LINE"
check_line "$STDOUT_FILE" "BIOS-e820: [mem 0x0000000020000000-0x00000000200fffff] reserved"
check_grep "$STDOUT_FILE" '^memstat: DRIVER_OK: '
end

# refused NAME LINES EXPECTED-LINE VMM-ARGS...: exit 64, the line on stderr
# (LINES in all: option errors add the "Try 'vmm --help'" hint), nothing run.
refused() {
	local name=$1 lines=$2 want=$3
	shift 3
	run_vmm "msv_refused_$name" "$@" "$GUEST"
	begin "refused with one line: $name"
	check_rc 64
	check_nr_lines "$STDERR_FILE" "$lines"
	check_line "$STDERR_FILE" "$want"
	check_empty "$STDOUT_FILE"
	end
}
refused dimm_over_region 1 \
	"vmm: the memstat device region (--no-memstat to go without) [0xfeb00000-0xfeb04fff] overlaps DIMM 2M@0xfea00000" \
	--dimm 1G@0 --dimm 2M@0xfea00000
refused e820_over_region 1 \
	"vmm: the memstat device region (--no-memstat to go without) [0xfeb00000-0xfeb04fff] overlaps E820 entry acpi@0xfeb04000+4K" \
	--e820 acpi@0xfeb04000+4K
long=$(head -c 4070 /dev/zero | tr '\0' x)
refused cmdline_too_long 1 \
	"vmm: --cmdline plus \"$MEMSTAT_PARAM\" is 4102 bytes, more than the 4095 the boot page holds (shorten it or use --no-memstat)" \
	--cmdline "$long"
for bad in -1 1x "" 3600001 99999999999999999999; do
	refused "stats_period_'$bad'" 2 \
		"vmm: invalid period '$bad' for --stats-period (milliseconds, 0 to 3600000)" \
		--stats-period "$bad"
done

# The same layouts boot without the device.
run_vmm msv_dimm_nodev --no-memstat --dimm 1G@0 --dimm 2M@0xfea00000 "$GUEST"
begin "--no-memstat: a DIMM where the region would be is fine"
check_rc 0
check_line "$STDOUT_FILE" "BIOS-e820: [mem 0x00000000fea00000-0x00000000febfffff] usable"
end
run_vmm msv_cmdline_nodev --no-memstat --cmdline "$long" "$GUEST"
begin "--no-memstat: a 4070-byte command line fits"
check_rc 0
check_line "$STDOUT_FILE" "Command line: $long"
end
