#!/usr/bin/env bash
# Hostile or mistaken input on the command line: each case gets exactly one
# line on stderr that names the problem and the value, a non-zero exit, no
# guest output, and (under ASan/UBSan) no sanitizer report. None of these
# needs /dev/kvm: everything is checked before the VM is created.
. "$(dirname "$0")/../lib.sh"
VMM=${VMM_SAN:-$TOP/bin/vmm-san}
[ -x "$VMM" ] || VMM=$TOP/bin/vmm

printf 'this is not an ELF file\n' >"$OUT/not_elf.txt"
: >"$OUT/empty.elf"
mkdir -p "$OUT/a_directory.elf"
# The guest image without its PVH note (section names from kernel.lds).
objcopy --remove-section=.note.Xen "$GUEST" "$OUT/no_pvh_note.elf" 2>/dev/null
head -c 200 "$GUEST" >"$OUT/truncated.elf"
many=()
for i in $(seq 0 128); do many+=(--dimm "4K@$(printf '0x%x' $(( (1 << 32) + i * 0x2000 )))"); done

# case NAME EXPECTED-STATUS REGEX-ON-THE-ONE-LINE ARGS...
case_() {
	local name=$1 want=$2 re=$3
	shift 3
	run "bad_$name" 30 "$VMM" "$@"
	begin "bad input: $name -> exit $want, one line naming it"
	check_rc "$want"
	check_empty "$STDOUT_FILE"
	# usage errors add the "Try 'vmm --help'" hint as a second line
	if [ "$want" = 64 ] && grep -q "^Try 'vmm --help'" "$STDERR_FILE"; then
		check_nr_lines "$STDERR_FILE" 2
	else
		check_nr_lines "$STDERR_FILE" 1
	fi
	check_grep "$STDERR_FILE" "^vmm: .*$re"
	check_no_grep "$STDERR_FILE" 'Sanitizer|runtime error'
	end
}

case_ unknown_option 64 "'--frob'" --frob "$GUEST"
case_ missing_elf 64 "missing guest ELF" -m 1G
case_ extra_arg 64 "'extra.elf'" "$GUEST" extra.elf
case_ bad_size 64 "'12Q'" -m 12Q "$GUEST"
case_ size_overflow 64 "'99999999999T'" -m 99999999999T "$GUEST"
case_ zero_mem 64 "" -m 0 "$GUEST"
case_ m_and_dimm 64 "" -m 1G --dimm 1G@0 "$GUEST"
case_ dimm_syntax 64 "'1G'" --dimm 1G "$GUEST"
case_ dimm_zero 64 "0@0x40000000" --dimm 1G@0 --dimm 0@1G "$GUEST"
case_ dimm_unaligned 64 "0x40000800" --dimm 1G@0 --dimm 1M@0x40000800 "$GUEST"
case_ dimm_unaligned_size 64 "" --dimm 1G@0 --dimm 1001@1G "$GUEST"
case_ dimm_overlap 64 "overlap" --dimm 1G@0 --dimm 512M@0x20000000 "$GUEST"
case_ dimm_low_megabyte 64 "0xa0000" --dimm 1M@0xa0000 --dimm 1G@1G "$GUEST"
case_ dimm_beyond_48bit 64 "0xffffc0000000" --dimm 1G@0 --dimm 2G@0xffffc0000000 "$GUEST"
case_ dimm_x86_mmio 64 "0xfe000000" --dimm 1G@0 --dimm 32M@0xfe000000 "$GUEST"
case_ dimm_no_boot_area 64 "0x6000" --dimm 1G@1G "$GUEST"
case_ too_many_dimms 64 "" --dimm 1G@0 "${many[@]}" "$GUEST"
case_ e820_bad_type 64 "'ram'" --e820 ram@0x1000000+4K "$GUEST"
case_ e820_overlap 64 "" --e820 reserved@0x1000000+1M --e820 acpi@0x1080000+1M "$GUEST"
case_ e820_file_missing 65 "no_such_file" --e820-file "$OUT/no_such_file" "$GUEST"
case_ cmdline_too_long 64 "4096" --cmdline "$(head -c 4096 /dev/zero | tr '\0' x)" "$GUEST"
case_ timeout_bad 64 "'soon'" --timeout soon "$GUEST"
case_ timeout_zero 64 "'0'" --timeout 0 "$GUEST"
case_ elf_missing 65 "No such file" "$OUT/does_not_exist.elf"
case_ elf_directory 65 "a_directory.elf" "$OUT/a_directory.elf"
case_ elf_empty 65 "empty.elf" "$OUT/empty.elf"
case_ elf_not_elf 65 "not_elf.txt" "$OUT/not_elf.txt"
case_ elf_truncated 65 "truncated.elf" "$OUT/truncated.elf"
case_ elf_no_pvh_note 65 "PVH" "$OUT/no_pvh_note.elf"
case_ elf_host_binary 65 "" /bin/true
# The kernel is loaded at 1 MiB: a layout without RAM there cannot hold it.
case_ elf_in_hole 65 "" --dimm 512K@0 --dimm 1G@1G "$GUEST"
