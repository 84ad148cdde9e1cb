#!/usr/bin/env bash
# Highmem kmap/kmap_local and the page-fault handler (docs/highmem.md):
# the `highmem` and `fault` selftest suites at several lowmem= values under
# ./vmm and under QEMU microvm TCG (tests/run.sh selftests boots QEMU with
# 512M and no highmem, where the highmem cases skip), the kmap_local_debug
# parameter, the oops of an unexpected #PF, the pkmap and fixmap markers in
# the page-table dump, and the benchmarks' JSON lines.
. "$(dirname "$0")/../lib.sh"

# suites_pass FILE: KTAP of both suites, nothing failed, and highmem ran every case.
suites_pass() {
	local f=$1
	check_line "$f" "ok 1 fault"
	check_line "$f" "ok 2 highmem"
	check_no_grep "$f" '^ *not ok '
	check_grep "$f" '^    # highmem: pass:11 fail:0 skip:0 total:11$'
	check_grep "$f" '^    # fault: pass:9 fail:0 skip:0 total:9$'
}

HM_LINE='^highmem: pkmap 512 entries at \[0xffffffffff200000-0xffffffffff3fffff\], kmap_local 1 x 33 slots at \[0xffffffffff5dc000-0xffffffffff5fcfff\]'

if have_kvm; then
	run_vmm hm_default --cmdline "selftest=highmem,fault" "$GUEST"
	begin "./vmm -m 4G (lowmem 896M): highmem and fault suites pass, every case run"
	check_rc 0
	suites_pass "$STDOUT_FILE"
	check_grep "$STDOUT_FILE" "$HM_LINE\$"
	check_line "$STDOUT_FILE" "fixmap: 36 slots at [0xffffffffff5dc000-0xffffffffff5fffff], FIXADDR_TOP 0xffffffffff5ff000"
	end

	begin "the faults the suites expected were named and reported in KTAP diagnostics"
	check_grep "$STDOUT_FILE" '# direct-map access: not-present page: direct map beyond lowmem \(pfn 0x[0-9a-f]+ is above the lowmem limit 0x38000'
	check_grep "$STDOUT_FILE" '# stale kmap access: not-present page: stale kmap slot: pkmap entry [0-9]+ at 0xffffffffff2[0-9a-f]{5} \(pkmap_count 0: free and flushed'
	check_grep "$STDOUT_FILE" '# stale kmap_local access: not-present page: stale kmap_local slot 0 at 0xffffffffff5fc000 \(entry 0, above the stack top: depth 0'
	check_grep "$STDOUT_FILE" '# overrun: not-present page: kmap_local guard slot 2 at 0xffffffffff5fa000'
	check_grep "$STDOUT_FILE" '# caught: BUG: kunmap_local\(0xffffffffff5fb000\): not the top of the kmap_local stack \(top 0xffffffffff5fa000, depth 3\)'
	check_grep "$STDOUT_FILE" 'err 0x3 rip 0x[0-9a-f]+: write to a read-only mapping: fixmap slot 1 \(FIX_FAULT_TEST_RO\)'
	check_grep "$STDOUT_FILE" 'err 0x11 rip 0xffffffffff5fd000: instruction fetch from an NX mapping: fixmap slot 2'
	check_count "$STDOUT_FILE" '^kmap: all 512 pkmap entries are in use, cannot map pfn 0x[0-9a-f]+: returning NULL' 1
	check_no_grep "$STDOUT_FILE" '^BUG: '
	end

	for lm in 256M 2G; do
		run_vmm "hm_lowmem_$lm" --cmdline "selftest=highmem,fault lowmem=$lm" "$GUEST"
		begin "./vmm lowmem=$lm: highmem and fault suites pass, every case run"
		check_rc 0
		suites_pass "$STDOUT_FILE"
		end
	done

	run_vmm hm_none --cmdline "selftest=highmem,fault lowmem=64G" "$GUEST"
	begin "./vmm lowmem=64G (no highmem): the highmem cases that need it skip, fault passes"
	check_rc 0
	check_line "$STDOUT_FILE" "ok 2 highmem"
	check_grep "$STDOUT_FILE" '^    # highmem: pass:1 fail:0 skip:10 total:11$'
	check_grep "$STDOUT_FILE" '^    # fault: pass:9 fail:0 skip:0 total:9$'
	end

	run_vmm hm_debug --cmdline "selftest=highmem,fault kmap_local_debug" "$GUEST"
	begin "kmap_local_debug: guard slots announced, suites pass"
	check_rc 0
	check_grep "$STDOUT_FILE" "$HM_LINE, kmap_local_debug \\(guard slots\\)\$"
	suites_pass "$STDOUT_FILE"
	end

	run_vmm hm_debug_bad --cmdline "kmap_local_debug=maybe" "$GUEST"
	begin "kmap_local_debug=maybe: refused on one line, bad-boot exit 4"
	check_rc 4
	check_line "$STDOUT_FILE" "kmap_local_debug=maybe: expected on, off, 1 or 0"
	end

	run_vmm hm_crash_pf --cmdline crash=pf "$GUEST"
	begin "an unexpected #PF still ends the boot (exit 3), with Linux's lines and what was hit"
	check_rc 3
	check_grep "$STDOUT_FILE" '^BUG: unable to handle page fault for address: [0-9a-f]{16}$'
	check_grep "$STDOUT_FILE" '^#PF: supervisor (read|write) access in kernel mode$'
	check_grep "$STDOUT_FILE" '^#PF: error_code\(0x[0-9a-f]{4}\) - '
	check_grep "$STDOUT_FILE" '^#PF: hit [a-zA-Z -]+: .* \[(no mapping|pte .*)\]$'
	check_grep "$STDOUT_FILE" '^RIP: 0008:'
	end

	run_vmm hm_ptdump --cmdline ptdump=kernel "$GUEST"
	begin "ptdump=kernel: the pkmap and fixmap regions have their markers"
	check_rc 0
	check_line "$STDOUT_FILE" "---[ Persistent kmap() Area ]---"
	check_line "$STDOUT_FILE" "---[ Fixmap Area ]---"
	end

	run_vmm hm_bench --cmdline "bench=kmap_pair,kmap_pair_new,kmap_local_pair bench_iters=200" "$GUEST"
	begin "bench: kmap_pair, kmap_pair_new and kmap_local_pair print JSON lines"
	check_rc 0
	for b in kmap_pair kmap_local_pair; do
		check_grep "$STDOUT_FILE" "^\\{\"bench\":\"$b\",\"iterations\":200,\"cycles_per_op\":[0-9.]+,\"ns_per_op\":[0-9.]+,"
	done
	check_grep "$STDOUT_FILE" '^\{"bench":"kmap_pair_new","iterations":200,.*,"pkmap_flushes":[01]\}$'
	end

	run_vmm hm_bench_none --cmdline "bench=kmap_pair lowmem=64G" "$GUEST"
	begin "bench without highmem: a skipped line, exit 0"
	check_rc 0
	check_grep "$STDOUT_FILE" '^\{"bench":"kmap_pair","skipped":'
	end
else
	require_kvm_or_skip_all
fi

if command -v qemu-system-x86_64 >/dev/null; then
	qemu_run() {
		local name=$1
		shift
		run "$name" 300 qemu-system-x86_64 -M microvm -accel tcg -m 512M -smp 1 -nodefaults \
			-no-user-config -nographic -no-reboot -serial stdio \
			-device isa-debug-exit,iobase=0xf4,iosize=4 -kernel "$GUEST" -append "$*"
	}
	qemu_run hm_qemu "selftest=highmem,fault lowmem=256M"
	begin "QEMU microvm TCG lowmem=256M: highmem and fault suites pass (QEMU status 1)"
	check_rc 1
	suites_pass "$STDOUT_FILE"
	end

	qemu_run hm_qemu_debug "selftest=highmem,fault lowmem=256M kmap_local_debug"
	begin "QEMU microvm TCG, kmap_local_debug: suites pass"
	check_rc 1
	suites_pass "$STDOUT_FILE"
	end
else
	not_ok "qemu-system-x86_64 is installed (scripts/deps.sh test installs it)"
fi
