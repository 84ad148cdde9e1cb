#!/usr/bin/env bash
# Cross-check: the same images/guest.elf under QEMU's microvm machine, with
# KVM and with TCG. QEMU's isa-debug-exit turns the guest's exit value V
# into status (V << 1) | 1.
. "$(dirname "$0")/../lib.sh"

if ! command -v qemu-system-x86_64 >/dev/null; then
	not_ok "qemu-system-x86_64 is installed (scripts/deps.sh test installs it)"
	exit 0
fi

MEM_MB=512
qemu() {
	local name=$1 accel=$2
	shift 2
	run "$name" 120 qemu-system-x86_64 -M microvm -accel "$accel" -m "${MEM_MB}M" -smp 1 \
		-nodefaults -no-user-config -nographic -no-reboot -serial stdio \
		-device isa-debug-exit,iobase=0xf4,iosize=4 -kernel "$GUEST" "$@"
}

for accel in tcg kvm; do
	if [ "$accel" = kvm ] && ! have_kvm; then
		echo "# WARNING: /dev/kvm missing: QEMU -accel kvm runs SKIPPED" >&2
		skip "QEMU microvm -accel kvm" "/dev/kvm missing"
		continue
	fi
	qemu "qemu_${accel}_boot" "$accel" -append "cross=check"
	begin "QEMU microvm -accel $accel: guest boots and exits 0 (QEMU status 1)"
	check_rc 1
	check_line "$STDOUT_FILE" "Boot complete: exiting with code 0"
	check_line "$STDOUT_FILE" "Command line: cross=check"
	end

	begin "QEMU microvm -accel $accel: usable RAM = -m ${MEM_MB}M minus what QEMU keeps"
	# QEMU microvm's firmware (qboot) passes: usable [0, 0x9fc00), reserved
	# [0x9fc00, 0xa0000) (EBDA), ACPI NVS [0xd0000, 0xf0000), reserved
	# [0xf0000, 1 MiB) (BIOS), usable [1 MiB, -m). So usable RAM is -m minus
	# the 0x9fc00..1 MiB gap: 512 MiB - 0x60400 = 536476672 bytes.
	total=$(( MEM_MB * 1024 * 1024 - (0x100000 - 0x9fc00) ))
	check_line "$STDOUT_FILE" "e820: usable RAM: $total bytes ($((total / 1024)) KiB) in 2 ranges"
	check_line "$STDOUT_FILE" "BIOS-e820: [mem 0x0000000000000000-0x000000000009fbff] usable"
	check_line "$STDOUT_FILE" "$(printf 'BIOS-e820: [mem 0x0000000000100000-0x%016x] usable' $((MEM_MB * 1024 * 1024 - 1)))"
	end

	begin "QEMU microvm -accel $accel: CPU report"
	check_grep "$STDOUT_FILE" '^CPU: address sizes: [0-9]+ bits physical, [0-9]+ bits virtual$'
	check_grep "$STDOUT_FILE" '^CPU: mm features: '
	if [ "$accel" = tcg ]; then sig=TCGTCGTCGTCG; else sig=KVMKVMKVM; fi
	check_line "$STDOUT_FILE" "Hypervisor detected: $sig"
	end

	qemu "qemu_${accel}_ud" "$accel" -append "crash=ud"
	begin "QEMU microvm -accel $accel: crash=ud gives guest code 3 (QEMU status 7)"
	check_rc 7
	check_grep "$STDOUT_FILE" '#UD'
	end

	qemu "qemu_${accel}_exit" "$accel" -append "exit=9"
	begin "QEMU microvm -accel $accel: exit=9 gives QEMU status 19"
	check_rc 19
	end
done

# The same image, the same report: given the same RAM (-m ${MEM_MB}M), the
# guest finds the same usable ranges and total under ./vmm and under QEMU.
# (The reserved entries of the low megabyte differ: qboot describes EBDA,
# ACPI NVS and BIOS separately, ./vmm reserves [0x9fc00, 1 MiB) as one.)
usable_map() { guest_e820 "$1" | grep -vE '^BIOS-e820: .*\] (reserved|ACPI NVS)$'; }
if have_kvm; then
	run_vmm qemu_vs_vmm -m "${MEM_MB}M" "$GUEST"
	begin "./vmm -m ${MEM_MB}M and QEMU microvm agree on usable ranges and total"
	if ! diff <(usable_map "$STDOUT_FILE") <(usable_map "$OUT/qemu_tcg_boot.out") >"$OUT/qemu_vs_vmm.diff"; then
		fail_because "differs: $(head -c 500 "$OUT/qemu_vs_vmm.diff" | tr '\n' '|')"
	fi
	end
fi
