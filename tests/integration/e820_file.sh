#!/usr/bin/env bash
# Raw, broken E820 tables passed verbatim with --e820-file: the guest's
# sanitizer must turn each into the known result in its .expect file (or
# reject it, for "REJECT").
. "$(dirname "$0")/../lib.sh"
require_kvm_or_skip_all || exit 0

shopt -s nullglob
fixtures=("$TOP"/tests/data/e820/*.e820)
[ ${#fixtures[@]} -gt 0 ] || { not_ok "e820 fixtures exist in tests/data/e820"; exit 0; }
for f in "${fixtures[@]}"; do
	name=$(basename "$f" .e820)
	expect=${f%.e820}.expect
	run_vmm "e820file_$name" --e820-file "$f" "$GUEST"
	begin "--e820-file $name: guest prints the raw table it was given"
	nraw=$(grep -cvE '^[[:space:]]*(#|$)' "$f")
	check_count "$STDOUT_FILE" '^PVH-e820: ' "$nraw"
	end
	if [ "$(cat "$expect")" = REJECT ]; then
		begin "--e820-file $name: guest rejects the table and panics"
		check_rc 2
		check_grep "$STDOUT_FILE" '^e820: memory map rejected: '
		check_grep "$STDOUT_FILE" '^Kernel panic - not syncing: '
		end
		continue
	fi
	begin "--e820-file $name: sanitized map matches $(basename "$expect")"
	check_rc 0
	if ! diff -u "$expect" <(guest_e820 "$STDOUT_FILE") >"$OUT/e820file_$name.diff"; then
		fail_because "diff: $(head -c 600 "$OUT/e820file_$name.diff" | tr '\n' '|')"
	fi
	end
done

# The file may be combined with -m/--dimm only through its own entries: a
# file naming RAM that no DIMM backs is the firmware's lie, and the guest
# believes it (it is only told, not checked, until mm touches it).
begin "--e820-file with a syntax error is refused before boot"
printf '0x0 0x9fc00 usable\n0x100000 bogus usable\n' >"$OUT/bad_e820.txt"
run_vmm e820file_bad --e820-file "$OUT/bad_e820.txt" "$GUEST"
check_rc 65
check_nr_lines "$STDERR_FILE" 1
check_grep "$STDERR_FILE" "bad_e820.txt:2: .*bogus"
end
