#!/usr/bin/env bash
# In-kernel selftests (KTAP) under ./vmm and under QEMU TCG: every suite
# passes, the KTAP is well formed, failures and unknown suites make the
# guest exit 1.
. "$(dirname "$0")/../lib.sh"

# ktap_check FILE: plan matches the top-level results, totals say no failure.
ktap_check() {
	local f=$1 plan results
	check_line "$f" "TAP version 14"
	plan=$(grep -m1 -E '^1\.\.[0-9]+$' "$f" | cut -d. -f3)
	results=$(grep -cE '^(not )?ok [0-9]+ ' "$f")
	[ -n "$plan" ] && [ "$plan" -gt 0 ] || fail_because "no top-level plan (or an empty one)"
	[ "$plan" = "$results" ] || fail_because "plan 1..$plan but $results top-level results"
	check_no_grep "$f" '^ *not ok '
	check_grep "$f" '^# Totals: pass:[1-9][0-9]* fail:0 skip:[0-9]+ total:[0-9]+$'
}

if have_kvm; then
	run_vmm selftest_all --cmdline selftest=all "$GUEST"
	begin "selftest=all under ./vmm: every case passes, exit 0"
	check_rc 0
	ktap_check "$STDOUT_FILE"
	check_line "$STDOUT_FILE" "    # Subtest: memblock"
	end

	run_vmm selftest_unknown --cmdline selftest=memblock,nosuch "$GUEST"
	begin "selftest= naming an unknown suite: a failed test, exit 1"
	check_rc 1
	check_line "$STDOUT_FILE" "not ok 1 nosuch # no such suite"
	check_grep "$STDOUT_FILE" '^ok 2 memblock$'
	end

	run_vmm selftest_exit --cmdline "selftest=nosuch exit=7" "$GUEST"
	begin "exit= wins over a selftest failure"
	check_rc 7
	end
else
	require_kvm_or_skip_all
fi

if command -v qemu-system-x86_64 >/dev/null; then
	run selftest_qemu 300 qemu-system-x86_64 -M microvm -accel tcg -m 512M -smp 1 -nodefaults \
		-no-user-config -nographic -no-reboot -serial stdio \
		-device isa-debug-exit,iobase=0xf4,iosize=4 -kernel "$GUEST" -append selftest=all
	begin "selftest=all under QEMU microvm TCG: every case passes (QEMU status 1)"
	check_rc 1
	ktap_check "$STDOUT_FILE"
	end
else
	not_ok "qemu-system-x86_64 is installed (scripts/deps.sh test installs it)"
fi
