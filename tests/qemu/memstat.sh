#!/usr/bin/env bash
# The guest's interrupt set-up and the memstat driver under QEMU's microvm
# (TCG and KVM): no memstat device there, so the guest says so and boots
# normally; its local APIC (xAPIC under TCG, x2APIC under KVM) and I/O APIC
# come up; without a timing leaf the APIC timer and the TSC are measured
# against the PIT, and idle= waits on a one-shot APIC timer.
. "$(dirname "$0")/../lib.sh"

if ! command -v qemu-system-x86_64 >/dev/null; then
	not_ok "qemu-system-x86_64 is installed (scripts/deps.sh test installs it)"
	exit 0
fi

qemu() {
	local name=$1 accel=$2
	shift 2
	run "$name" 120 qemu-system-x86_64 -M microvm -accel "$accel" -m 512M -smp 1 \
		-nodefaults -no-user-config -nographic -no-reboot -serial stdio \
		-device isa-debug-exit,iobase=0xf4,iosize=4 -kernel "$GUEST" "$@"
}

for accel in tcg kvm; do
	if [ "$accel" = kvm ] && ! have_kvm; then
		echo "# WARNING: /dev/kvm missing: QEMU -accel kvm runs SKIPPED" >&2
		skip "QEMU microvm -accel kvm: memstat absent, APICs, idle" "/dev/kvm missing"
		continue
	fi
	if [ "$accel" = tcg ]; then mode="xAPIC mode at 0xfee00000 \(uncached at 0xffffeb0000000000\)"; else mode="x2APIC mode"; fi

	qemu "qemu_memstat_${accel}" "$accel" -append "idle=200"
	begin "QEMU microvm -accel $accel: no memstat device, console only; guest exits 0"
	check_rc 1
	check_line "$STDOUT_FILE" "memstat: no device (no memstat.device= parameter): statistics go to the console only"
	check_no_grep "$STDOUT_FILE" 'DRIVER_OK|memstat: stats published'
	check_line "$STDOUT_FILE" "Boot complete: exiting with code 0"
	end

	begin "QEMU microvm -accel $accel: local APIC and I/O APIC"
	check_grep "$STDOUT_FILE" "^APIC: $mode, ID 0x0, version 0x[0-9a-f]+, [0-9]+ LVT entries$"
	check_grep "$STDOUT_FILE" '^IOAPIC: id 0x0 at 0xfec00000, version 0x[0-9a-f]+, 24 pins \(GSI 0-23\), all masked$'
	end

	begin "QEMU microvm -accel $accel: APIC timer and TSC measured against the PIT, idle=200 waits"
	khz=$(sed -nE 's/^APIC timer: ([0-9]+) kHz \(measured against the PIT\), TSC [0-9]+ kHz \(measured against the PIT\)$/\1/p' "$STDOUT_FILE")
	# QEMU's APIC timer runs at 1 GHz (one tick per ns) in both accelerators.
	# A calibration is a measurement: on a loaded host (CI has 2 cores) a
	# vCPU preempted inside the PIT window was seen 40% off, so this checks
	# plausibility (a factor of 2), which still catches a wrong PIT rate,
	# latch or divisor (errors of 2x or orders of magnitude).
	[ -n "$khz" ] && [ "$khz" -ge 500000 ] && [ "$khz" -le 2000000 ] ||
		fail_because "APIC timer '$khz' kHz, expected 1000000 within a factor of 2"
	check_line "$STDOUT_FILE" "idle: 200 ms with interrupts on (halting between interrupts)"
	ms=$(sed -nE 's/^idle: done after ([0-9]+) ms: [0-9]+ wake-ups, [0-9]+ timer interrupts$/\1/p' "$STDOUT_FILE")
	[ -n "$ms" ] && [ "$ms" -ge 200 ] || fail_because "idle lasted '$ms' ms"
	end
done
