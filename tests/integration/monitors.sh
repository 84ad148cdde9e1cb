#!/usr/bin/env bash
# --monitor=LIST (docs/monitoring.md): the guest workload touch=N@ADDR
# writes exactly N fresh pages; uffd must count exactly N first touches in
# that range and N more in that DIMM than a run without it, dirty must see
# them written, kvm-stats must count exits, mmio every hole access with its
# RIP. Bad values are refused with one line and exit 64. ASan and valgrind
# runs with the monitors on.
. "$(dirname "$0")/../lib.sh"

# Refusals need no KVM: one "vmm: ..." line naming the value, exit 64.
while IFS='|' read -r opt val why; do
	run "mon_bad_$(echo "$opt$val" | tr -c 'a-z0-9\n' '_')" 10 "$VMM" "$opt=$val" "$GUEST"
	begin "$opt '$val' is refused ($why) with one line and exit 64"
	check_rc 64
	check_nr_lines "$STDERR_FILE" 1
	check_grep "$STDERR_FILE" "^vmm: .*'$val'"
	end
done <<'EOF'
--monitor|foo|unknown name
--monitor|uffd,uffd|repeated name
--monitor|uffd,|empty item
--monitor|,uffd|empty item
--monitor|all,mmio|all then a name
--monitor|UFFD|names are lower case
--monitor|kvm-stats,dirty,mmio,uffd,x|unknown last item
--monitor-interval|0|below 1 ms
--monitor-interval|3600001|above an hour
--monitor-interval|-5|negative
--monitor-interval|10ms|suffix
--monitor-uffd-window|0|zero
--monitor-uffd-window|3|not a power of two
--monitor-uffd-window|1024|above 512
EOF
run mon_bad_empty 10 "$VMM" --monitor= "$GUEST"
begin "--monitor '' is refused with one line and exit 64"
check_rc 64
check_nr_lines "$STDERR_FILE" 1
check_grep "$STDERR_FILE" '^vmm: empty --monitor list'
end
run mon_bad_twice 10 "$VMM" --monitor=uffd --monitor=dirty "$GUEST"
begin "--monitor given twice is refused with exit 64"
check_rc 64
check_grep "$STDERR_FILE" "^vmm: option '--monitor' given twice"
end

require_kvm_or_skip_all || exit 0

LAYOUT=(--dimm 1G@0 --dimm 1G@8G)

# The guest refuses a bad touch= with one line and GUEST_EXIT_BAD_BOOT (4).
while IFS='|' read -r arg msg; do
	run "mon_touch_bad_$(echo "$arg" | tr -c 'a-zA-Z0-9\n' '_')" 30 "$VMM" -m 1G \
		--cmdline "touch=$arg" "$GUEST"
	begin "guest: touch=$arg is refused with exit 4: $msg"
	check_rc 4
	check_line "$STDOUT_FILE" "$msg"
	end
done <<'EOF'
0@1M|touch=0@1M: page count "0" is not a number above 0
x@1M|touch=x@1M: page count "x" is not a number above 0
5|touch=5: expected N@ADDR (N pages, or bytes with K/M/G/T)
3K@1M|touch=3K@1M: size "3K" is not a non-zero multiple of 4K
1@|touch=1@: address "" is not a number
1@0xa0000|touch=: 0xa0000 is not in a usable E820 RAM range
1@1T|touch=: 0x10000000000 is not in a usable E820 RAM range
1G@1M|touch=: 262144 pages do not fit in [mem 0x0000000000100000-0x000000003fffffff]
EOF

# touched_in_range ERRFILE DIMM FIRST LAST: touched pages of DIMM's runs inside [FIRST, LAST].
touched_in_range() {
	local runs lo hi a b n=0 r
	runs=$(sed -n "s/^monitor uffd: DIMM $2 touched runs://p" "$1")
	lo=$(($3)) hi=$(($4))
	for r in $runs; do
		[[ $r == 0x* ]] || continue
		a=$((${r%-*})) b=$((${r#*-}))
		((a < lo)) && a=$lo
		((b > hi)) && b=$hi
		((a <= b)) && n=$((n + (b - a + 1) / 4096))
	done
	echo "$n"
}
# dimm_figure ERRFILE MONITOR DIMM: the "N of M pages" figure of that DIMM's line.
dimm_figure() {
	sed -nE "s/^monitor $2: DIMM $3 at [^:]*: ([0-9]+) of .*/\1/p" "$1"
}
# The guest's line: "workload: touched N pages [mem 0xS-0xE] in C TSC cycles (T us)".
workload_range() {
	sed -nE 's/^workload: touched [0-9]+ pages \[mem (0x[0-9a-f]+)-(0x[0-9a-f]+)\].*/\1 \2/p' "$1"
}

# uffd, exact (window 1) and with read-ahead (default 16): N pages in DIMM 1 and DIMM 0.
for window in 1 16; do
	run "mon_uffd_w${window}_base" 60 "$VMM" "${LAYOUT[@]}" --monitor=uffd \
		--monitor-uffd-window "$window" "$GUEST"
	base_err=$STDERR_FILE
	begin "uffd window $window: a boot without workload runs, each DIMM has a line and runs"
	check_rc 0
	check_grep "$base_err" "^monitor uffd: [0-9]+ faults, 0 raced, 0 failed, .*read-ahead window $window pages"
	check_grep "$base_err" '^monitor uffd: DIMM 0 at 0x0: [1-9][0-9]* of 262144 pages touched'
	check_grep "$base_err" '^monitor uffd: DIMM 1 at 0x200000000: 0 of 262144 pages touched'
	end
	for c in "1000@8G:1:1000" "4M@0x200000000:1:1024" "777@1M:0:777"; do
		IFS=: read -r arg dimm n <<<"$c"
		run "mon_uffd_w${window}_$(echo "$arg" | tr -c 'a-zA-Z0-9\n' '_')" 60 "$VMM" \
			"${LAYOUT[@]}" --monitor=uffd --monitor-uffd-window "$window" \
			--cmdline "touch=$arg" "$GUEST"
		if [ "$dimm" = 0 ]; then
			begin "uffd window $window: touch=$arg gives exactly $n touched pages in the range, about $n more in DIMM $dimm"
		else
			begin "uffd window $window: touch=$arg gives exactly $n touched pages in the range and $n more in DIMM $dimm"
		fi
		check_rc 0
		check_grep "$STDOUT_FILE" "^workload: touched $n pages \[mem "
		read -r first last < <(workload_range "$STDOUT_FILE")
		if [ -n "$first" ]; then
			got=$(touched_in_range "$STDERR_FILE" "$dimm" "$first" "$last")
			[ "$got" = "$n" ] || fail_because "$got pages touched in [$first, $last], expected $n"
		fi
		with=$(dimm_figure "$STDERR_FILE" uffd "$dimm")
		without=$(dimm_figure "$base_err" uffd "$dimm")
		# DIMM 0 also holds the kernel's own allocations, which the reservation
		# moves and changes a little: the reserved pages' 32-byte struct pages
		# are initialised (N/128 pages), boot allocations land elsewhere. The
		# count inside the range (above) is the exact one there.
		slack=0
		[ "$dimm" = 0 ] && slack=$((n / 128 + 8))
		if [ -z "$with" ] || [ -z "$without" ] || [ $((with - without)) -lt $((n - slack)) ] ||
			[ $((with - without)) -gt $((n + slack)) ]; then
			fail_because "DIMM $dimm: $with touched with the workload, $without without: not $n more (+-$slack)"
		fi
		end
	done
done

# The fault events are attributed to vCPU 0 (UFFD_FEATURE_THREAD_ID).
begin "uffd: the workload's faults come from the vCPU thread, none from VMM threads"
check_grep "$OUT/mon_uffd_w1_1000_8G.err" '^monitor uffd: DIMM 1 at [^:]*: 1000 of 262144 pages touched \(faults: vcpu 1000, vmm 0, read 0, write 1000;'
end

# dirty: the written set of DIMM 1 is the workload's pages.
run mon_dirty_base 60 "$VMM" "${LAYOUT[@]}" --monitor=dirty --monitor-interval 20 "$GUEST"
run mon_dirty_touch 60 "$VMM" "${LAYOUT[@]}" --monitor=dirty --monitor-interval 20 \
	--cmdline "touch=1000@8G" "$GUEST"
begin "dirty: touch=1000@8G makes DIMM 1's written set at least 1000 pages (0 without)"
check_rc 0
check_grep "$STDERR_FILE" '^monitor dirty: [0-9]+ samples, 0 errors'
with=$(dimm_figure "$STDERR_FILE" dirty 1)
without=$(dimm_figure "$OUT/mon_dirty_base.err" dirty 1)
[ -n "$with" ] && [ "$with" -ge 1000 ] || fail_because "DIMM 1: $with pages written, expected >= 1000"
[ "$without" = 0 ] || fail_because "DIMM 1 without the workload: $without pages written, expected 0"
end
begin "dirty: the sampler ran at 20 ms (several samples during the boot)"
samples=$(sed -nE 's/^monitor dirty: ([0-9]+) samples.*/\1/p' "$STDERR_FILE")
[ -n "$samples" ] && [ "$samples" -ge 3 ] || fail_because "$samples samples"
end

# kvm-stats and mmio together: exits counted, every hole access counted with its RIP.
run mon_kvm_mmio 60 "$VMM" --monitor=kvm-stats,mmio \
	--cmdline "probe=0xd0000000,0xfebff000,0xd0000000" "$GUEST"
begin "kvm-stats: vCPU exits rise while monitored, the descriptors are read"
check_rc 0
check_grep "$STDERR_FILE" '^monitor kvm-stats: [0-9]+ samples, [1-9][0-9]* VM and [1-9][0-9]* vCPU statistics'
check_grep "$STDERR_FILE" '^monitor kvm-stats: vcpu0 exits [1-9][0-9]* \(\+[1-9][0-9]* while monitored\)'
end
begin "mmio: 6 hole accesses (3 probes, read and write), counted per address and RIP"
check_grep "$STDERR_FILE" '^monitor mmio: 6 accesses \(3 reads, 3 writes; 6 to holes, 0 to unbacked RAM\), 4 distinct \(address, direction, RIP\), 0 beyond'
check_grep "$STDERR_FILE" '^monitor mmio: read of 4 bytes at GPA 0xd0000000 \(hole\) RIP 0xffffffff[0-9a-f]+: count 2$'
check_grep "$STDERR_FILE" '^monitor mmio: write of 4 bytes at GPA 0xd0000000 \(hole\) next RIP 0xffffffff[0-9a-f]+: count 2$'
check_grep "$STDERR_FILE" '^monitor mmio: read of 4 bytes at GPA 0xfebff000 \(hole\) RIP 0xffffffff[0-9a-f]+: count 1$'
end
begin "kvm-stats and mmio agree: KVM's mmio_exits equals the mmio monitor's count"
check_grep "$STDERR_FILE" '^monitor kvm-stats: vcpu0 mmio_exits 6 \(\+6 while monitored\)'
end

# kvm-stats: a workload that faults in pages costs more exits than none.
run mon_kvm_base 60 "$VMM" -m 1G --monitor=kvm-stats "$GUEST"
run mon_kvm_touch 60 "$VMM" -m 1G --monitor=kvm-stats --cmdline "touch=16M@16M" "$GUEST"
begin "kvm-stats: a counter of vCPU 0 (exits or pf_*) rises with touch=16M"
check_rc 0
rose=0
while read -r name val; do
	before=$(sed -nE "s/^monitor kvm-stats: vcpu0 $name ([0-9]+) .*/\1/p" "$OUT/mon_kvm_base.err")
	[ "${val:-0}" -gt "${before:-0}" ] && rose=1
done < <(sed -nE 's/^monitor kvm-stats: vcpu0 (exits|pf_[a-z_]+|tlb_flush) ([0-9]+) .*/\1 \2/p' "$STDERR_FILE")
[ "$rose" = 1 ] || fail_because "no exits/pf_*/tlb_flush counter rose: $(grep -E 'vcpu0 (exits|pf_)' "$STDERR_FILE" | tr '\n' '|')"
end

# Every monitor at once, also under ASan+UBSan.
run mon_all 60 "$VMM" "${LAYOUT[@]}" --monitor=all --monitor-interval 10 \
	--cmdline "touch=300@8G probe=0xd0000000" "$GUEST"
begin "--monitor=all: every monitor reports, uffd and dirty agree on DIMM 1"
check_rc 0
for m in kvm-stats uffd dirty mmio; do check_grep "$STDERR_FILE" "^monitor $m: "; done
check_grep "$STDERR_FILE" '^monitor uffd: DIMM 1 at [^:]*: 300 of '
check_grep "$STDERR_FILE" '^monitor dirty: DIMM 1 at [^:]*: 300 of '
end

SAN=$TOP/bin/vmm-san
if [ -x "$SAN" ]; then
	export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=99
	export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:exitcode=98
	for cmd in "touch=300@8G probe=0xd0000000" "crash=triple" ; do
		want=0
		[ "$cmd" = crash=triple ] && want=72
		run "mon_san_$(echo "$cmd" | tr -c 'a-z0-9\n' '_')" 120 "$SAN" "${LAYOUT[@]}" \
			--monitor=all --monitor-interval 5 --cmdline "$cmd" "$GUEST"
		begin "ASan+UBSan VMM with --monitor=all: '$cmd' exits $want with no report"
		check_rc "$want"
		check_no_grep "$STDERR_FILE" 'Sanitizer|runtime error|LeakSanitizer'
		check_grep "$STDERR_FILE" '^monitor uffd: DIMM 1 at '
		end
	done
else
	skip "ASan+UBSan VMM with --monitor=all" "bin/vmm-san not built (make test-build)"
fi

if command -v valgrind >/dev/null; then
	VG=(valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect)
	run mon_vg 180 "${VG[@]}" "$VMM" --monitor=kvm-stats,dirty,mmio --monitor-interval 5 \
		-m 256M --cmdline "touch=100@16M probe=0xd0000000" "$GUEST"
	begin "valgrind: kvm-stats, dirty and mmio monitors, no errors, no leaks"
	check_rc 0
	check_no_grep "$STDERR_FILE" '^==[0-9]+== [A-Z].*(Invalid|uninitialised|definitely lost|indirectly lost)'
	check_grep "$STDERR_FILE" '^monitor dirty: DIMM 0 at 0x0: [0-9]+ of 65536 pages written'
	check_grep "$STDERR_FILE" '^monitor mmio: 2 accesses'
	end
	# Valgrind has no userfaultfd(2) (syscall 323 is "unhandled"): the uffd
	# monitor cannot run under it. It must refuse cleanly; ASan covers it.
	run mon_vg_uffd 120 "${VG[@]}" "$VMM" --monitor=uffd -m 256M "$GUEST"
	if grep -q 'userfaultfd: Function not implemented' "$STDERR_FILE"; then
		echo "# WARNING: valgrind does not implement userfaultfd(2): the uffd monitor is NOT checked under valgrind (the ASan+UBSan runs above cover it)" >&2
		echo "# WARNING: valgrind does not implement userfaultfd(2): uffd under valgrind SKIPPED"
		begin "valgrind: --monitor=uffd is refused with one line and exit 70, not a crash"
		check_rc 70
		check_grep "$STDERR_FILE" '^vmm: uffd: userfaultfd: Function not implemented$'
		check_no_grep "$STDERR_FILE" '^==[0-9]+== [A-Z].*(Invalid|uninitialised|definitely lost|indirectly lost)'
		end
		skip "valgrind: the uffd monitor resolving faults" "valgrind does not implement userfaultfd(2)"
	else
		begin "valgrind: --monitor=uffd, no errors, no leaks"
		check_rc 0
		check_no_grep "$STDERR_FILE" '^==[0-9]+== [A-Z].*(Invalid|uninitialised|definitely lost|indirectly lost)'
		end
	fi
else
	skip "valgrind runs with monitors" "valgrind not installed"
fi
