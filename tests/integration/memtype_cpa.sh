#!/usr/bin/env bash
# Memory types and change-page-attribute (docs/memtype-and-cpa.md): the
# guest suites memtype and set_memory under ./vmm and QEMU TCG, Linux's
# messages and pat_memtype_list lines, DirectMap counters, the 1 GiB direct
# map under QEMU TCG with pdpe1gb, and the benchmark lines.
. "$(dirname "$0")/../lib.sh"

HEX='[0-9a-f]+'
LIST_LINE="^PAT: \\[mem 0x[0-9a-f]{16}-0x[0-9a-f]{16}\\]"

if have_kvm; then
	run_vmm memtype_cpa_vmm -m 1G \
		--cmdline "selftest=memtype,set_memory report=meminfo,memtype" "$GUEST"
	begin "./vmm: suites memtype and set_memory pass"
	check_rc 0
	check_grep "$STDOUT_FILE" '^ok [0-9]+ memtype$'
	check_grep "$STDOUT_FILE" '^ok [0-9]+ set_memory$'
	check_no_grep "$STDOUT_FILE" '^ *not ok '
	# ./vmm's MTRRs make the PCI hole UC: the MTRR case runs, it is not skipped.
	check_grep "$STDOUT_FILE" '^    ok [0-9]+ effective_type_follows_mtrr$'
	end

	begin "./vmm: Linux's memtype messages"
	P="^x86/PAT: " MEM="\\[mem 0x$HEX-0x$HEX\\]"
	check_grep "$STDOUT_FILE" "${P}swapper:0 conflicting memory types $HEX-$HEX uncached<->write-back\$"
	check_grep "$STDOUT_FILE" "${P}memtype_reserve failed $MEM, track uncached, req uncached\$"
	check_grep "$STDOUT_FILE" "${P}swapper:0 freeing invalid memtype $MEM\$"
	check_grep "$STDOUT_FILE" "${P}reserve_ram_pages_type failed $MEM, track 0x2, req 0x1\$"
	end

	begin "./vmm: pat_memtype_list lines, and an empty list at the end"
	check_count "$STDOUT_FILE" "$LIST_LINE write-back\$" 3
	check_count "$STDOUT_FILE" "$LIST_LINE write-combining\$" 2
	check_grep "$STDOUT_FILE" '^report: memtype$'
	# Every case freed what it reserved: the final report lists nothing.
	[ "$(grep -A2 '^report: memtype$' "$STDOUT_FILE" | tail -2 | tr '\n' '|')" = \
		"PAT memtype list:|PAT RAM memtypes:|" ] ||
		fail_because "memtype list not empty at the end"
	end

	begin "./vmm: DirectMap lines, no DirectMap1G without pdpe1gb"
	check_grep "$STDOUT_FILE" '^DirectMap4k: +[0-9]+ kB$'
	check_grep "$STDOUT_FILE" '^DirectMap2M: +[0-9]+ kB$'
	check_no_grep "$STDOUT_FILE" '^DirectMap1G:'
	check_grep "$STDOUT_FILE" '^CPU: mm features: .* -pdpe1gb'
	end

	run_vmm memtype_cpa_bench -m 1G \
		--cmdline "bench=set_memory_uc_4k_split,direct_map_build" "$GUEST"
	begin "./vmm: the CPA and direct-map benchmarks print their JSON lines"
	check_rc 0
	check_grep "$STDOUT_FILE" \
		'^\{"bench":"set_memory_uc_4k_split","iterations":8,.*"split":true\}$'
	check_grep "$STDOUT_FILE" '^\{"bench":"set_memory_wb_4k",'
	check_grep "$STDOUT_FILE" '^\{"bench":"set_memory_uc_4k_nosplit",'
	check_grep "$STDOUT_FILE" \
		'^\{"bench":"direct_map_build",.*"mapped_mib":[0-9]+,"ms":[0-9.]+,"ms_per_gib":[0-9.]+\}$'
	end
else
	echo "# WARNING: /dev/kvm missing: the ./vmm runs are SKIPPED" >&2
	skip "memtype and set_memory under ./vmm" "/dev/kvm missing"
fi

if ! command -v qemu-system-x86_64 >/dev/null; then
	not_ok "qemu-system-x86_64 is installed (scripts/deps.sh test installs it)"
	exit 0
fi

# qemu NAME CPU APPEND: QEMU microvm, TCG, 2.5 GiB: lowmem=2G holds a whole 1 GiB leaf.
qemu() {
	run "$1" 300 qemu-system-x86_64 -M microvm -accel tcg -cpu "$2" -m 2560M -smp 1 \
		-nodefaults -no-user-config -nographic -no-reboot -serial stdio \
		-device isa-debug-exit,iobase=0xf4,iosize=4 -kernel "$GUEST" -append "$3"
}

qemu memtype_cpa_qemu_gb qemu64,+pdpe1gb "lowmem=2G report=meminfo"
begin "QEMU TCG with pdpe1gb, lowmem=2G: [1 GiB, 2 GiB) is one 1 GiB leaf"
check_rc 1
check_line "$STDOUT_FILE" "DirectMap1G:     1048576 kB"
# [1 MiB, 2 MiB) in 4 KiB pages, [2 MiB, 1 GiB) in 2 MiB pages (plus page 1..0x9f).
check_line "$STDOUT_FILE" "DirectMap2M:     1046528 kB"
end

qemu memtype_cpa_qemu_gb_st qemu64,+pdpe1gb \
	"lowmem=2G selftest=memtype,set_memory report=meminfo"
begin "QEMU TCG with pdpe1gb: a 4 KiB change splits 1 GiB -> 2 MiB -> 4 KiB"
check_rc 1
check_grep "$STDOUT_FILE" '^    ok [0-9]+ split_1g_twice$'
check_grep "$STDOUT_FILE" '^ok [0-9]+ set_memory$'
check_grep "$STDOUT_FILE" '^ok [0-9]+ memtype$'
check_no_grep "$STDOUT_FILE" '^ *not ok '
check_line "$STDOUT_FILE" "DirectMap1G:           0 kB"
end

qemu memtype_cpa_qemu_nogb qemu64 "lowmem=2G selftest=set_memory report=meminfo"
begin "QEMU TCG without pdpe1gb: 2 MiB leaves only, no DirectMap1G line, suite passes"
check_rc 1
check_no_grep "$STDOUT_FILE" '^DirectMap1G:'
check_grep "$STDOUT_FILE" '^    ok [0-9]+ split_1g_twice # SKIP CPU without pdpe1gb'
check_grep "$STDOUT_FILE" '^ok [0-9]+ set_memory$'
check_no_grep "$STDOUT_FILE" '^ *not ok '
end
