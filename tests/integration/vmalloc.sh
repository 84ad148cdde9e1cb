#!/usr/bin/env bash
# vmalloc and ioremap seen from the console: the selftest suites at several
# lowmem= values (with and without highmem) under ./vmm and QEMU, the
# Linux-style refusal messages, the meminfo Vmalloc lines, the vmallocinfo
# report and the vmalloc benchmark line.
. "$(dirname "$0")/../lib.sh"

# VmallocTotal of Linux x86-64 4-level: (0xffffe8ffffffffff - 0xffffc90000000000) >> 10.
VMALLOC_TOTAL_KB=34359738367

if have_kvm; then
	run_vmm vmalloc_default --cmdline \
		"selftest=vmalloc,ioremap report=meminfo,vmallocinfo bench=vmalloc_64k_pair" "$GUEST"
	begin "vmalloc and ioremap suites under ./vmm (highmem present): every case passes"
	check_rc 0
	check_grep "$STDOUT_FILE" '^ok [0-9]+ vmalloc$'
	check_grep "$STDOUT_FILE" '^ok [0-9]+ ioremap$'
	check_no_grep "$STDOUT_FILE" '^ *not ok '
	check_no_grep "$STDOUT_FILE" '# SKIP'
	end

	begin "refusals print Linux's messages"
	check_grep "$STDOUT_FILE" '^WARNING: Trying to vfree\(\) nonexistent vm area \(0xffffc9[0-9a-f]+\)$'
	check_grep "$STDOUT_FILE" '^WARNING: Trying to vfree\(\) bad address \(0xffffc9[0-9a-f]+\)$'
	check_grep "$STDOUT_FILE" '^swapper/0: vmalloc error: size 0, zero size refused, mode:0xcc2\(GFP_KERNEL\|__GFP_HIGHMEM\), nodemask=\(null\)$'
	check_grep "$STDOUT_FILE" '^swapper/0: vmalloc error: size [0-9]+, exceeds total pages, mode:0xcc2'
	check_grep "$STDOUT_FILE" '^WARNING: ioremap on RAM at 0x[0-9a-f]{16} - 0x[0-9a-f]{16}$'
	check_grep "$STDOUT_FILE" '^ioremap error for 0xfd00000000-0xfd00001000, requested 0x1, got 0x0$'
	check_grep "$STDOUT_FILE" '^ioremap memtype_reserve failed -16$'
	check_grep "$STDOUT_FILE" '^WARNING: memremap attempted on ram 0x[0-9a-f]{16} size: 0x1000$'
	check_grep "$STDOUT_FILE" '^iounmap: bad address 0xffffc9[0-9a-f]+$'
	end

	begin "the guard-page fault is named with its area"
	check_grep "$STDOUT_FILE" '# not-present page: vmalloc guard page of area 0xffffc9[0-9a-f]+-0xffffc9[0-9a-f]+ \(8192 bytes, caller 0xffffffff8[0-9a-f]+\)'
	end

	begin "meminfo: VmallocTotal is Linux's, no vmalloc page left in use, nearly all space free"
	check_line "$STDOUT_FILE" "VmallocTotal:   $VMALLOC_TOTAL_KB kB"
	check_line "$STDOUT_FILE" "VmallocUsed:           0 kB"
	# All of it but VMALLOC_END's partial page (3 kB) when nothing is mapped; a
	# driver's boot-time ioremap would only take a little of it.
	check_grep "$STDOUT_FILE" '^VmallocChunk:   343597[0-9]{5} kB$'
	check_no_grep "$STDOUT_FILE" "^VmallocChunk: +$VMALLOC_TOTAL_KB kB"
	check_line "$STDOUT_FILE" "report: vmallocinfo"
	end

	begin "bench=vmalloc_64k_pair prints one JSON line"
	check_count "$STDOUT_FILE" '^\{"bench":"vmalloc_64k_pair","iterations":[0-9]+,"cycles_per_op":[0-9.]+,"ns_per_op":[0-9.]+,.*"bytes":65536\}$' 1
	end

	run_vmm vmalloc_nohigh --cmdline "lowmem=64G selftest=vmalloc,ioremap" "$GUEST"
	begin "lowmem=64G (no highmem): the suites pass, the highmem cases skip"
	check_rc 0
	check_no_grep "$STDOUT_FILE" '^ *not ok '
	check_grep "$STDOUT_FILE" '^    ok [0-9]+ vmap_highmem # SKIP no highmem'
	end

	run_vmm vmalloc_small --dimm 256M@0 --cmdline "lowmem=128M selftest=vmalloc,ioremap" "$GUEST"
	begin "256 MiB with lowmem=128M: the suites pass with highmem"
	check_rc 0
	check_no_grep "$STDOUT_FILE" '^ *not ok '
	check_no_grep "$STDOUT_FILE" '# SKIP'
	end
else
	require_kvm_or_skip_all
fi

if command -v qemu-system-x86_64 >/dev/null; then
	run vmalloc_qemu 300 qemu-system-x86_64 -M microvm -accel tcg -m 512M -smp 1 -nodefaults \
		-no-user-config -nographic -no-reboot -serial stdio \
		-device isa-debug-exit,iobase=0xf4,iosize=4 -kernel "$GUEST" \
		-append "lowmem=256M selftest=vmalloc,ioremap"
	begin "vmalloc and ioremap suites under QEMU microvm TCG with highmem (QEMU status 1)"
	check_rc 1
	check_grep "$STDOUT_FILE" '^ok [0-9]+ vmalloc$'
	check_grep "$STDOUT_FILE" '^ok [0-9]+ ioremap$'
	check_no_grep "$STDOUT_FILE" '^ *not ok '
	check_no_grep "$STDOUT_FILE" '# SKIP'
	end
else
	not_ok "qemu-system-x86_64 is installed (scripts/deps.sh test installs it)"
fi
