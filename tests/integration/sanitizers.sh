#!/usr/bin/env bash
# The VMM built with ASan+UBSan, and the plain VMM under valgrind, on boots
# that exercise every exit path: clean exit, hole accesses, crash, timeout.
. "$(dirname "$0")/../lib.sh"
require_kvm_or_skip_all || exit 0
SAN=$TOP/bin/vmm-san
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=99
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:exitcode=98

for c in "0::" "0:probe=0xc0000000,0xfee00000:" "72:crash=triple:" "124:spin:--timeout 0.5"; do
	IFS=: read -r want cmd extra <<<"$c"
	name=san_$(echo "${cmd:-plain}" | tr -c 'a-z0-9\n' '_')
	# shellcheck disable=SC2086
	run "$name" 60 "$SAN" $extra --cmdline "$cmd" "$GUEST"
	begin "ASan+UBSan VMM: '${cmd:-plain boot}' exits $want with no report"
	check_rc "$want"
	check_no_grep "$STDERR_FILE" 'Sanitizer|runtime error|LeakSanitizer'
	end
done

if command -v valgrind >/dev/null; then
	for c in "0::" "72:crash=triple:" "3:crash=ud:"; do
		IFS=: read -r want cmd extra <<<"$c"
		name=vg_$(echo "${cmd:-plain}" | tr -c 'a-z0-9\n' '_')
		run "$name" 120 valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect \
			"$VMM" --cmdline "$cmd" "$GUEST"
		begin "valgrind: '${cmd:-plain boot}' exits $want, no errors, no leaks"
		check_rc "$want"
		check_no_grep "$STDERR_FILE" '^==[0-9]+== [A-Z].*(Invalid|uninitialised|definitely lost|indirectly lost)'
		end
	done
else
	skip "valgrind runs" "valgrind not installed"
fi
