#!/usr/bin/env bash
# What the VMM does when the guest touches nothing, crashes, hangs or asks
# to exit: hole accesses reported once, exceptions, triple faults, the
# watchdog, the debug-exit protocol.
. "$(dirname "$0")/../lib.sh"
require_kvm_or_skip_all || exit 0

run_vmm probe_hole --cmdline probe=0xc0000000,0xc0000000,0xd0000010 "$GUEST"
begin "guest read of the 3G hole: all ones, reported once per address"
check_rc 0
check_count "$STDOUT_FILE" '^probe: read 0xffffffff at 0xc0000000$' 2
check_line "$STDOUT_FILE" "probe: read 0xffffffff at 0xd0000010"
check_line "$STDOUT_FILE" "probe: wrote 0xffffffff at 0xd0000010"
check_count "$STDERR_FILE" 'unhandled MMIO read of 4 bytes at GPA 0xc0000000 \(hole\) from RIP 0xffffffff8[0-9a-f]+: reads return all ones$' 1
check_count "$STDERR_FILE" 'unhandled MMIO write of 4 bytes at GPA 0xc0000000 \(hole\) value 0xffffffff, next RIP 0x[0-9a-f]+: ignored$' 1
check_count "$STDERR_FILE" 'unhandled MMIO read of 4 bytes at GPA 0xd0000010 \(hole\)' 1
check_line "$STDERR_FILE" "vmm: 6 unhandled guest accesses, 4 distinct (address, direction)"
end

run_vmm probe_high --dimm 1G@0 --dimm 1G@8G --cmdline probe=0x100000000,0x200000100 "$GUEST"
begin "guest probes above 4 GiB: hole reported, RAM read normally"
check_rc 0
check_grep "$STDERR_FILE" 'unhandled MMIO read of 4 bytes at GPA 0x100000000 \(hole\)'
check_no_grep "$STDERR_FILE" 'GPA 0x200000100'
check_line "$STDOUT_FILE" "probe: read 0x00000000 at 0x200000100"
end

for c in de:0:'#DE' ud:6:'#UD' gp:13:'#GP' pf:14:'#PF'; do
	IFS=: read -r name vec mnem <<<"$c"
	run_vmm "crash_$name" --cmdline "crash=$name" "$GUEST"
	begin "crash=$name: guest reports exception $vec ($mnem) and exits with 3"
	check_rc 3
	check_grep "$STDOUT_FILE" "$mnem"
	check_grep "$STDOUT_FILE" 'RIP'
	end
done
begin "crash=pf: the report names CR2"
check_grep "$OUT/crash_pf.out" 'CR2'
end

run_vmm crash_panic --cmdline crash=panic "$GUEST"
begin "crash=panic: Linux-style panic line, exit 2"
check_rc 2
check_grep "$STDOUT_FILE" '^Kernel panic - not syncing: '
end

run_vmm crash_triple --cmdline crash=triple "$GUEST"
begin "crash=triple: VMM reports the triple fault with registers, exit 72"
check_rc 72
check_line "$STDERR_FILE" "vmm: guest crashed: triple fault (KVM_EXIT_SHUTDOWN)"
check_grep "$STDERR_FILE" '^vmm: RIP=0x[0-9a-f]{16} RSP=0x[0-9a-f]{16} '
check_grep "$STDERR_FILE" '^vmm: CR0=0x[0-9a-f]+ CR2=0x[0-9a-f]+ CR3=0x[0-9a-f]+ CR4=0x[0-9a-f]+ EFER=0x[0-9a-f]+$'
check_grep "$STDERR_FILE" '^vmm: last exception: '
end

run_vmm exit_5 --cmdline exit=5 "$GUEST"
begin "exit=5: the guest's code is the VMM's exit status"
check_rc 5
end
run_vmm exit_63 --cmdline exit=63 "$GUEST"
begin "exit=63: the largest guest code passes through"
check_rc 63
end
run_vmm exit_200 --cmdline exit=200 "$GUEST"
begin "exit=200: out-of-range exit value is a protocol error (71) named on one line"
check_rc 71
check_line "$STDERR_FILE" "vmm: guest wrote exit value 200 (0xc8) to port 0xf4; guest exit codes are 0..63"
end

start=$(date +%s%N)
run_vmm timeout_spin --timeout 1 --cmdline spin "$GUEST"
elapsed_ms=$(( ($(date +%s%N) - start) / 1000000 ))
begin "--timeout 1 on a spinning guest: exit 124 after about a second ($elapsed_ms ms)"
check_rc 124
check_grep "$STDERR_FILE" '^vmm: timeout: guest still running after 1000 ms, stopped$'
[ "$elapsed_ms" -ge 900 ] && [ "$elapsed_ms" -lt 20000 ] || fail_because "took $elapsed_ms ms"
end

run_vmm timeout_short --timeout 0.3 --cmdline spin "$GUEST"
begin "--timeout 0.3 (fractional seconds)"
check_rc 124
check_grep "$STDERR_FILE" 'after 300 ms'
end

run_vmm timeout_unused --timeout 30 "$GUEST"
begin "--timeout does not disturb a guest that ends in time"
check_rc 0
check_quiet "$STDERR_FILE"
end

# SIGTERM while the guest spins: a clean stop with 128 + 15.
"$VMM" --cmdline spin "$GUEST" >"$OUT/sigterm.out" 2>"$OUT/sigterm.err" &
pid=$!
sleep 0.5
kill -TERM $pid
wait $pid
RC=$?
STDERR_FILE=$OUT/sigterm.err
begin "SIGTERM stops the VMM cleanly with status 143"
check_rc 143
check_grep "$STDERR_FILE" '^vmm: stopped by signal 15'
end
