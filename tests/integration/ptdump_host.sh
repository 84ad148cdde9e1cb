#!/usr/bin/env bash
# The guest's page tables seen from outside: the guest prints its own dump
# (ptdump=kernel,request), then asks the VMM for one through
# PTDUMP_REQUEST_PORT; ./vmm --dump-pagetables walks the same tables from
# the host. The two dumps must agree line by line (markers and ranges), at
# several lowmem= values and layouts. Also: the exit section, a request
# without --dump-pagetables, a file that cannot be created, a parked guest
# stopped by --timeout. See docs/pagetable-dump.md.
. "$(dirname "$0")/../lib.sh"

require_kvm_or_skip_all || exit 0

# The dump lines of a text: from the first "---[ User Space ]---", every
# marker and range line up to the first line that is neither. (No {n}
# intervals in the awk regexes: Debian's mawk does not know them.)
dump_lines() {
	awk '/^---\[ User Space \]---$/ { on = 1 }
	     on && !/^(---\[ .* \]---|0x[0-9a-f]+-0x[0-9a-f]+ .*)$/ { exit }
	     on { print }' "$1"
}

# The lines of section WHAT ("request 1", "exit") of dump file FILE.
section() {
	awk -v what="$2" '
		index($0, "# memlab ptdump " what) == 1 && $0 !~ /^# memlab ptdump end / { on = 1; next }
		index($0, "# memlab ptdump end " what) == 1 { on = 0 }
		on { print }' "$1"
}

# compare NAME VMM-ARGS...: boot with ptdump=kernel,request (plus CMDLINE
# from the environment) and compare the guest's dump with the VMM's.
compare() {
	local name=$1 dump diff guest_n
	shift
	dump=$OUT/ptdump_$name.txt
	diff=$OUT/ptdump_$name.diff
	rm -f "$dump"
	run_vmm "ptdump_$name" --dump-pagetables "$dump" \
		--cmdline "ptdump=kernel,request${CMDLINE:+ $CMDLINE}" "$@" "$GUEST"

	begin "ptdump $name: guest and VMM dumps agree line by line"
	check_rc 0
	check_line "$STDOUT_FILE" "ptdump: asked the host for a dump (port 0x520, tag 1)"
	dump_lines "$STDOUT_FILE" >"$OUT/ptdump_$name.guest"
	section "$dump" "request 1 tag 0x1:" | dump_lines /dev/stdin >"$OUT/ptdump_$name.vmm"
	guest_n=$(wc -l <"$OUT/ptdump_$name.guest")
	[ "$guest_n" -ge 10 ] || fail_because "the guest's dump has only $guest_n lines"
	if ! diff "$OUT/ptdump_$name.guest" "$OUT/ptdump_$name.vmm" >"$diff"; then
		fail_because "first difference (< guest, > vmm): $(grep -m4 '^[<>]' "$diff" | tr '\n' '|')"
	fi
	end

	begin "ptdump $name: request and exit sections complete, no problem found"
	check_grep "$dump" '^# memlab ptdump end request 1 tag 0x1: [0-9]+ lines, [0-9]+ tables, 0 problems$'
	check_grep "$dump" '^# memlab ptdump end exit status 0: [0-9]+ lines, [0-9]+ tables, 0 problems$'
	check_count "$dump" '^# memlab ptdump (request|exit)' 2
	check_no_grep "$STDERR_FILE" '^vmm: ptdump:'
	end
}

THREE_DIMMS=(--dimm 512M@0 --dimm 256M@1G --dimm 1G@4G)

CMDLINE="" compare m4G_default -m 4G
CMDLINE="lowmem=256M" compare m4G_lowmem256M -m 4G
CMDLINE="lowmem=2G" compare m4G_lowmem2G -m 4G
CMDLINE="lowmem=64G" compare m4G_nohighmem -m 4G
CMDLINE="" compare three_dimms_default "${THREE_DIMMS[@]}"
CMDLINE="lowmem=256M" compare three_dimms_lowmem256M "${THREE_DIMMS[@]}"
CMDLINE="lowmem=64G" compare three_dimms_nohighmem "${THREE_DIMMS[@]}"
# Tables above 4 GiB are possible when all 64 GiB are lowmem.
CMDLINE="lowmem=64G" compare m64G_nohighmem -m 64G

# The lowmem= values really change the direct map: 896M, 256M, 2G, and all
# of RAM below the 3 GiB hole with lowmem=64G.
begin "ptdump: the direct map ends where lowmem= says"
check_grep "$OUT/ptdump_m4G_default.vmm" '^0xffff888000200000-0xffff888038000000 .* pmd$'
check_grep "$OUT/ptdump_m4G_lowmem256M.vmm" '^0xffff888000200000-0xffff888010000000 .* pmd$'
check_grep "$OUT/ptdump_m4G_lowmem2G.vmm" '^0xffff888000200000-0xffff888080000000 .* pmd$'
check_grep "$OUT/ptdump_m4G_nohighmem.vmm" '^0xffff888000200000-0xffff8880c0000000 .* pmd$'
check_grep "$OUT/ptdump_m4G_nohighmem.vmm" '^0xffff888100000000-0xffff888140000000 .* pmd$'
end

# No request from the guest: only the exit section.
run_vmm ptdump_exit_only --dump-pagetables "$OUT/ptdump_exit_only.txt" "$GUEST"
begin "ptdump: without a guest request, only the exit section is written"
check_rc 0
check_count "$OUT/ptdump_exit_only.txt" '^# memlab ptdump ' 2
check_grep "$OUT/ptdump_exit_only.txt" '^# memlab ptdump exit status 0: cr3 0x[0-9a-f]{16}$'
check_line "$OUT/ptdump_exit_only.txt" '---[ High Kernel Mapping ]---'
end

# A request with no --dump-pagetables: an unhandled port, reported once; the guest goes on.
run_vmm ptdump_no_file --cmdline "ptdump=kernel,request" "$GUEST"
begin "ptdump: a request without --dump-pagetables is reported as an unhandled port"
check_rc 0
check_grep "$STDERR_FILE" 'port 0x520'
check_line "$STDOUT_FILE" "Boot complete: exiting with code 0"
end

# The file cannot be created: one line naming it, exit 70, the guest never runs.
run_vmm ptdump_bad_path --dump-pagetables "$OUT/no/such/dir/dump.txt" "$GUEST"
begin "ptdump: a dump file that cannot be created is refused before the guest runs"
check_rc 70
check_grep "$STDERR_FILE" "^vmm: cannot create --dump-pagetables file '.*/no/such/dir/dump.txt': No such file or directory$"
check_no_grep "$STDOUT_FILE" '^Boot complete'
end

# A parked guest stopped by --timeout still gets its exit section.
run_vmm ptdump_parked --timeout 5 --dump-pagetables "$OUT/ptdump_parked.txt" \
	--cmdline "park=before-exit" "$GUEST"
begin "ptdump: park=before-exit spins until --timeout; the exit section is still written"
check_rc 124
check_grep "$STDOUT_FILE" '^park: parked at before-exit, cr3 0x[0-9a-f]{16}, spinning with interrupts off$'
check_grep "$STDOUT_FILE" '^park: translate 0xffff888000200000 -> 0x0000000000200000$'
check_grep "$OUT/ptdump_parked.txt" '^# memlab ptdump end exit status 124: [0-9]+ lines, [0-9]+ tables, 0 problems$'
end

# The guest refuses bad values of its new parameters.
run_vmm ptdump_bad_param --cmdline "ptdump=kernel,bogus" "$GUEST"
begin "ptdump: ptdump=kernel,bogus is refused by the guest"
check_rc 4
check_grep "$STDOUT_FILE" 'ptdump=kernel,bogus: not a valid setting'
end
run_vmm ptdump_bad_park --cmdline "park=nowhere" "$GUEST"
begin "ptdump: park=nowhere is refused by the guest"
check_rc 4
check_grep "$STDOUT_FILE" 'park=nowhere: not a valid point'
end

# The walk and the file under ASan+UBSan and valgrind: a request, the exit
# dump, and a parked guest stopped by the watchdog.
SAN=$TOP/bin/vmm-san
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=99
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:exitcode=98
if [ -x "$SAN" ]; then
	run ptdump_san 60 "$SAN" --dump-pagetables "$OUT/ptdump_san.txt" \
		--cmdline "ptdump=kernel,request lowmem=256M" "$GUEST"
	begin "ptdump: ASan+UBSan VMM dumps on request and at exit with no report"
	check_rc 0
	check_no_grep "$STDERR_FILE" 'Sanitizer|runtime error'
	check_count "$OUT/ptdump_san.txt" '^# memlab ptdump end .*, 0 problems$' 2
	end
else
	not_ok "ptdump: bin/vmm-san exists (make test-build)"
fi
if command -v valgrind >/dev/null; then
	run ptdump_vg 120 valgrind -q --error-exitcode=99 --leak-check=full \
		--errors-for-leak-kinds=definite,indirect "$VMM" --timeout 5 \
		--dump-pagetables "$OUT/ptdump_vg.txt" --cmdline "ptdump=kernel,request park=before-exit" "$GUEST"
	begin "ptdump: valgrind: request and watchdog-stopped exit dump, no errors, no leaks"
	check_rc 124
	check_no_grep "$STDERR_FILE" '^==[0-9]+== [A-Z].*(Invalid|uninitialised|definitely lost|indirectly lost)'
	check_count "$OUT/ptdump_vg.txt" '^# memlab ptdump end .*, 0 problems$' 2
	end
fi

# Command-line refusals: one line naming the problem, exit 64.
run_vmm ptdump_cli_empty --dump-pagetables "" "$GUEST"
begin "ptdump: --dump-pagetables with an empty file name is refused"
check_rc 64
check_grep "$STDERR_FILE" "^vmm: empty file name for --dump-pagetables$"
end
run_vmm ptdump_cli_twice --dump-pagetables "$OUT/a.txt" --dump-pagetables "$OUT/b.txt" "$GUEST"
begin "ptdump: --dump-pagetables given twice is refused"
check_rc 64
check_grep "$STDERR_FILE" "^vmm: option '--dump-pagetables' given twice"
end
