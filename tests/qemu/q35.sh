#!/usr/bin/env bash
# The guest on a PC with real firmware: mtrr_type_lookup() on SeaBIOS's
# MTRRs, and every selftest suite. The guest under QEMU q35 (real
# firmware, which programs the MTRRs itself: fixed ranges for the low MB and
# one variable range making [3 GiB, 4 GiB) uncachable). The mtrr selftest
# suite checks its lookups against whatever MTRRs it finds, and mtrr=show
# prints them as /proc/mtrr does.
#
# TCG only: q35 under this host's KVM takes about 50 s (firmware plus the
# guest clearing its memmap at emulated speed, docs/platform-notes.md);
# under TCG the whole run is about a second.
. "$(dirname "$0")/../lib.sh"

if ! command -v qemu-system-x86_64 >/dev/null; then
	not_ok "qemu-system-x86_64 is installed (scripts/deps.sh test installs it)"
	exit 0
fi

# 3 GiB: q35 puts 2 GiB below the PCI hole and 1 GiB above 4 GiB.
run q35_mtrr 120 qemu-system-x86_64 -M q35 -accel tcg -m 3G -smp 1 \
	-nodefaults -no-user-config -nographic -no-reboot -serial stdio \
	-device isa-debug-exit,iobase=0xf4,iosize=4 -kernel "$GUEST" \
	-append "selftest=mtrr mtrr=show"

begin "QEMU q35 (SeaBIOS): guest boots and exits 0 (QEMU status 1)"
check_rc 1
check_line "$STDOUT_FILE" "Boot complete: exiting with code 0"
end

begin "QEMU q35: SeaBIOS's MTRRs as the guest reads them"
check_line "$STDOUT_FILE" "MTRR default type: write-back"
check_line "$STDOUT_FILE" "MTRR fixed ranges enabled:"
check_line "$STDOUT_FILE" "reg00: base=0x0c0000000 ( 3072MB), size= 1024MB, count=1: uncachable"
end

begin "QEMU q35: the mtrr selftest suite passes on SeaBIOS's MTRRs"
check_grep "$STDOUT_FILE" '^    # mtrr: pass:[0-9]+ fail:0 skip:[0-9]+ total:14$'
check_line "$STDOUT_FILE" "    ok 4 hole_3g_to_4g_uc"
check_line "$STDOUT_FILE" "    ok 7 fixed_vga_uc"
check_line "$STDOUT_FILE" "    ok 8 fixed_rom_wp"
check_line "$STDOUT_FILE" "    ok 11 above_4g_wb"
check_line "$STDOUT_FILE" "ok 1 mtrr"
end

# Every selftest suite on a PC with firmware: SeaBIOS leaves the PIT ticking
# into the 8259 and LINT0 in ExtINT mode, which the guest must take over
# without a stray interrupt at its first STI.
run q35_selftest_all 120 qemu-system-x86_64 -M q35 -accel tcg -m 3G -smp 1 \
	-nodefaults -no-user-config -nographic -no-reboot -serial stdio \
	-device isa-debug-exit,iobase=0xf4,iosize=4 -kernel "$GUEST" -append "selftest=all"

begin "QEMU q35 (SeaBIOS): selftest=all passes, interrupts taken over cleanly"
check_rc 1
check_grep "$STDOUT_FILE" '^# Totals: pass:[1-9][0-9]* fail:0 skip:[0-9]+ total:[0-9]+$'
check_grep "$STDOUT_FILE" '^APIC: '
check_no_grep "$STDOUT_FILE" 'Unhandled exception'
end
