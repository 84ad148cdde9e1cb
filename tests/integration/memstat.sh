#!/usr/bin/env bash
# The memstat device from the guest's side (docs/guest-interrupts.md): the
# local APIC and I/O APIC come up, the handshake reaches DRIVER_OK, the
# statistics reach the VMM (and agree with the guest's own meminfo), the
# period timer and host commands arrive as interrupts, idle= waits, bad
# memstat.device= values are refused, and every memstat.hostile= kind makes
# the ASan+UBSan VMM mark the device FAILED with one line while the guest
# and the VMM both exit 0.
. "$(dirname "$0")/../lib.sh"
require_kvm_or_skip_all || exit 0
SAN=$TOP/bin/vmm-san
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=99
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:exitcode=98

# A field of the last JSON line of FILE (a python3 expression on `r`).
json_last() {
	python3 -c 'import json, sys
r = json.loads(open(sys.argv[1]).read().splitlines()[-1])
print(eval(sys.argv[2]))' "$1" "$2" 2>/dev/null
}

# The value in kB of /proc/meminfo line LABEL in FILE (the first one).
kb_of() { grep -m1 -E "^$2: +[0-9]+ kB$" "$1" | awk '{print $2}'; }

# ---------------------------------------------------------------- default boot
run_vmm memstat_default --cmdline "report=meminfo" "$GUEST"
begin "default boot: APIC, I/O APIC, memstat DRIVER_OK with every feature, stats published"
check_rc 0
check_line "$STDOUT_FILE" "APIC: x2APIC mode, ID 0x0, version 0x50014, 6 LVT entries"
check_line "$STDOUT_FILE" "IOAPIC: id 0x0 at 0xfec00000, version 0x11, 24 pins (GSI 0-23), all masked"
check_grep "$STDOUT_FILE" '^Command line: report=meminfo memstat\.device=20K@0xfeb00000:5$'
check_line "$STDOUT_FILE" "memstat: DRIVER_OK: device at 0xfeb00000, GSI 5 -> vector 48, features 0x1f, rings 64/64, period 1000 ms"
check_grep "$STDOUT_FILE" '^memstat: stats published at end of boot: [0-9]+ entries, update 1 \([0-9]+ TSC cycles each\), 0 interrupts, 0 commands '
check_line "$STDOUT_FILE" "Boot complete: exiting with code 0"
check_grep "$STDERR_FILE" '^vmm: memstat: final guest meminfo \(1 updates\):$'
check_no_grep "$STDERR_FILE" 'FAILED'
end

begin "default boot: the VMM's copy of the statistics says what the guest's meminfo says"
for label in MemTotal HighTotal LowTotal; do
	g=$(kb_of "$STDOUT_FILE" "$label")
	h=$(kb_of "$STDERR_FILE" "$label")
	[ -n "$g" ] && [ "$g" = "$h" ] || fail_because "$label: guest '$g' kB, VMM '$h' kB"
done
end

# ---------------------------------------------------------------- the period timer
run_vmm memstat_period --stats-period 100 --cmdline "idle=1000" "$GUEST"
begin "--stats-period 100, idle=1000: the APIC timer republishes about 10 times, each seen by the VMM"
check_rc 0
check_line "$STDOUT_FILE" "APIC timer: 1000000 kHz (hypervisor CPUID leaf 0x40000010), TSC $(grep -oE '^tsc: [0-9]+' "$STDOUT_FILE" | awk '{print $2}') kHz (hypervisor CPUID leaf 0x40000010)"
check_grep "$STDOUT_FILE" '^memstat: DRIVER_OK: .* period 100 ms$'
check_grep "$STDOUT_FILE" '^idle: 1000 ms with interrupts on \(halting between interrupts\)$'
ticks=$(sed -nE 's/^idle: done after [0-9]+ ms: [0-9]+ wake-ups, ([0-9]+) timer interrupts$/\1/p' "$STDOUT_FILE")
updates=$(sed -nE 's/^vmm: memstat: final guest meminfo \(([0-9]+) updates\):$/\1/p' "$STDERR_FILE")
# 10 expected; a loaded host coalesces ticks (KVM delivers one pending tick
# at a time while the vCPU waits for a CPU), so the lower bound only says
# "periodic": not a timing test. More than 12 would be a wrong period.
[ -n "$ticks" ] && [ "$ticks" -ge 2 ] && [ "$ticks" -le 12 ] ||
	fail_because "timer interrupts during 1000 ms at 100 ms: '$ticks', expected 2..12"
# One per tick, one at the end of boot, one at the end of idle.
[ -n "$updates" ] && [ -n "$ticks" ] && [ "$updates" -ge $((ticks + 2)) ] ||
	fail_because "the VMM saw '$updates' snapshots for '$ticks' ticks (expected ticks + 2 or more)"
end

# ---------------------------------------------------------------- host commands
run_vmm memstat_cmds --stats "$OUT/memstat_cmds.jsonl" --stats-interval 200 --stats-period 0 \
	--cmdline "idle=1500" "$GUEST"
begin "--stats every 200 ms, idle=1500: REFRESH commands arrive as interrupts and are all acked"
check_rc 0
check_grep "$STDOUT_FILE" '^memstat: DRIVER_OK: .* period 0 ms$'
summary=$(grep -E '^memstat: stats published at end of idle: ' "$STDOUT_FILE")
irqs=$(sed -nE 's/.* ([0-9]+) interrupts, ([0-9]+) commands \(([0-9]+) refresh, 0 set-period, 0 ping, 0 rejected\)$/\1 \2 \3/p' <<<"$summary")
read -r n_irq n_cmd n_refresh <<<"$irqs"
[ -n "$n_cmd" ] && [ "$n_cmd" -ge 4 ] && [ "$n_cmd" = "$n_refresh" ] && [ "$n_irq" -ge 1 ] ||
	fail_because "guest summary '$summary': expected >= 4 refresh commands, no other, >= 1 interrupt"
posted=$(json_last "$OUT/memstat_cmds.jsonl" 'r["guest"]["counters"]["commands_posted"]')
acked=$(json_last "$OUT/memstat_cmds.jsonl" 'r["guest"]["counters"]["commands_acked"]')
nacked=$(json_last "$OUT/memstat_cmds.jsonl" 'r["guest"]["counters"]["commands_nacked"]')
status=$(json_last "$OUT/memstat_cmds.jsonl" 'r["guest"]["status"]')
# At the end a command may race the exit: served after the guest's summary
# line (acked, not in the summary), or posted as the guest exits (not acked).
[ -n "$posted" ] && [ -n "$acked" ] && [ -n "$n_cmd" ] && [ "$nacked" = 0 ] &&
	[ $((posted - acked)) -ge 0 ] && [ $((posted - acked)) -le 1 ] &&
	[ $((acked - n_cmd)) -ge 0 ] && [ $((acked - n_cmd)) -le 1 ] ||
	fail_because "VMM: posted '$posted', acked '$acked', nacked '$nacked'; guest served '$n_cmd'"
[ "$status" = DRIVER_OK ] || fail_because "VMM device status '$status' at exit"
end

# ---------------------------------------------------------------- no interrupts
run_vmm memstat_nolapic --stats "$OUT/memstat_nolapic.jsonl" --stats-interval 200 \
	--cmdline "nolapic idle=1500" "$GUEST"
begin "nolapic (as without an irqchip): no IRQ nor PERIODIC taken, commands polled and acked"
check_rc 0
check_line "$STDOUT_FILE" "APIC: disabled by nolapic: no interrupts, devices are polled"
check_no_grep "$STDOUT_FILE" '^IOAPIC: '
check_line "$STDOUT_FILE" "memstat: DRIVER_OK: device at 0xfeb00000, GSI 5 -> no interrupt (polled), features 0xd, rings 64/64, period 0 ms"
check_line "$STDOUT_FILE" "idle: 1500 ms polling the device (no local APIC)"
check_grep "$STDOUT_FILE" '^memstat: stats published at end of idle: .* 0 interrupts, [1-9][0-9]* commands \([1-9][0-9]* refresh, 0 set-period, 0 ping, 0 rejected\)$'
posted=$(json_last "$OUT/memstat_nolapic.jsonl" 'r["guest"]["counters"]["commands_posted"]')
acked=$(json_last "$OUT/memstat_nolapic.jsonl" 'r["guest"]["counters"]["commands_acked"]')
irqs=$(json_last "$OUT/memstat_nolapic.jsonl" 'r["guest"]["counters"]["irqs"]')
[ -n "$posted" ] && [ "$posted" -ge 4 ] && [ -n "$acked" ] && [ $((posted - acked)) -le 1 ] ||
	fail_because "VMM: posted '$posted', acked '$acked'"
[ "$irqs" = 0 ] || fail_because "VMM injected '$irqs' interrupts without the IRQ feature"
end

# ---------------------------------------------------------------- idle without the device
run_vmm memstat_idle_nodev --no-memstat --cmdline "idle=300" "$GUEST"
begin "--no-memstat, idle=300: device absent, a one-shot timer ends the wait"
check_rc 0
check_line "$STDOUT_FILE" "memstat: no device (no memstat.device= parameter): statistics go to the console only"
ms=$(sed -nE 's/^idle: done after ([0-9]+) ms: [0-9]+ wake-ups, [0-9]+ timer interrupts$/\1/p' "$STDOUT_FILE")
# At least the time asked for; the upper bound only catches a wait that
# misses its end (a lost one-shot timer), not scheduling noise.
[ -n "$ms" ] && [ "$ms" -ge 300 ] && [ "$ms" -lt 5000 ] || fail_because "idle lasted '$ms' ms"
check_line "$STDOUT_FILE" "Boot complete: exiting with code 0"
end

run_vmm memstat_idle_bad --cmdline "idle=soon" "$GUEST"
begin "idle=soon is refused"
check_rc 4
check_grep "$STDOUT_FILE" '^idle=soon: expected milliseconds from 0 \(forever\) to 86400000'
end

run_vmm memstat_idle_forever --timeout 4 --cmdline "idle=0" "$GUEST"
begin "idle=0 waits until the VMM's --timeout"
check_rc 124
check_line "$STDOUT_FILE" "idle: forever with interrupts on (halting between interrupts)"
end

# ---------------------------------------------------------------- refused parameters
# Without the VMM's device, memstat.device= points at whatever is there.
bad_device() {
	local name=$1 want=$2
	shift 2
	run_vmm "memstat_bad_$name" --no-memstat "$@" "$GUEST"
	begin "memstat.device refused: $name"
	check_rc 0
	check_grep "$STDOUT_FILE" "$want"
	check_line "$STDOUT_FILE" "Boot complete: exiting with code 0"
	check_no_grep "$STDOUT_FILE" 'DRIVER_OK'
	end
}
bad_device syntax '^memstat: memstat\.device=16K@0xfeb00000:5: size 0x4000 is below the device.s 0x5000 bytes: device ignored$' \
	--cmdline "memstat.device=16K@0xfeb00000:5"
bad_device unaligned '^memstat: memstat\.device=20K@0x10000800:5: address 0x10000800 is not page aligned: device ignored$' \
	--cmdline "memstat.device=20K@0x10000800:5"
bad_device ram '^memstat: memstat\.device=20K@0x10000000:5: region \[mem 0x0000000010000000-0x0000000010004fff\] overlaps E820 type 1 ' \
	--cmdline "memstat.device=20K@0x10000000:5"
bad_device hole '^memstat: memstat\.device=20K@0xfeb00000:5: region .* is not reserved in E820 from 0xfeb00000: device ignored$' \
	--cmdline "memstat.device=20K@0xfeb00000:5"
bad_device gsi '^memstat: memstat\.device=20K@0x10000000:24: GSI 24 is not an I/O APIC pin \(it has 24\): device ignored$' \
	--e820 reserved@0x10000000+0x5000 --cmdline "memstat.device=20K@0x10000000:24"
bad_device no_magic '^memstat: no device at 0x10000000: magic 0x0, expected 0x5453454d$' \
	--e820 reserved@0x10000000+0x5000 --cmdline "memstat.device=20K@0x10000000:5"

run_vmm memstat_hostile_unknown --cmdline "memstat.hostile=everything" "$GUEST"
begin "memstat.hostile=everything: unknown kind refused"
check_rc 4
check_grep "$STDOUT_FILE" '^memstat\.hostile=everything: unknown kind'
end

# ---------------------------------------------------------------- hostile guest
# Every kind the guest knows (the list is in guest/drivers/memstat_parse.c).
kinds=$(sed -nE 's/^\t\[MEMSTAT_HOSTILE_[A-Z_]+\] = "([a-z-]+)",$/\1/p' "$TOP/guest/drivers/memstat_parse.c")
[ "$(wc -w <<<"$kinds")" -ge 20 ] || not_ok "memstat hostile kinds found in memstat_parse.c" "only: $kinds"
if [ ! -x "$SAN" ]; then
	skip "hostile memstat kinds under the ASan+UBSan VMM" "bin/vmm-san not built (make test-build)"
	exit 0
fi
for kind in $kinds; do
	run "memstat_hostile_$kind" 60 "$SAN" --cmdline "memstat.hostile=$kind" "$GUEST"
	begin "memstat.hostile=$kind: ASan+UBSan VMM marks the device FAILED in one line, both exit 0"
	check_rc 0
	check_line "$STDOUT_FILE" "memstat: hostile $kind: breaking the device protocol on purpose"
	check_grep "$STDOUT_FILE" "^memstat: hostile $kind: device FAILED \(device status 0x[0-9a-f]+, reason [1-8]: "
	check_line "$STDOUT_FILE" "Boot complete: exiting with code 0"
	check_count "$STDERR_FILE" '^vmm: memstat: .*: device FAILED$' 1
	check_no_grep "$STDERR_FILE" 'Sanitizer|runtime error|LeakSanitizer'
	end
done
