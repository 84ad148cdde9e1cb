#!/usr/bin/env bash
# The physical memory manager as a whole, on many layouts: MemTotal against
# usable E820 RAM (the guest's "mm: MemTotal ... = E820 usable ..." line,
# each term recomputed here from the printed E820 map and the zone reports),
# zone boundaries and sizes, buddyinfo against the zones, every selftest
# passing, no page leaked by the selftests, and bad parameters refused.
. "$(dirname "$0")/../lib.sh"
require_kvm_or_skip_all || exit 0

# One private copy of the guest for every boot: other builds may replace
# images/guest.elf meanwhile, and some tests compare two boots.
cp "$GUEST" "$OUT/physmem_guest.elf" || { not_ok "copy $GUEST"; exit 0; }
GUEST=$OUT/physmem_guest.elf

K=$((1 << 10))
M=$((1 << 20))
G=$((1 << 30))
PAGE=4096
LOWMEM_DEFAULT=$((896 * M))
# A MAX_ORDER block (order 10) in pages: ZONE_MOVABLE starts on one.
MAX_ORDER_PAGES=1024
REPORTS=report=meminfo,buddyinfo,zoneinfo,vmstat
SUM_RE='^mm: MemTotal ([0-9]+)K = E820 usable ([0-9]+)K - partial pages ([0-9]+)K'
SUM_RE+=' - page 0 ([0-9]+)K - reserved ([0-9]+)K$'
# Available, present and reserved KiB in the "Memory:" line.
MEMORY_RE='^Memory: ([0-9]+)K\/([0-9]+)K available \(.*, ([0-9]+)K reserved, .*'

min() { echo $(($1 < $2 ? $1 : $2)); }
oneline() { tr '\n' '|'; }

# check_eq GOT WANT WHAT: one failure line naming both values.
check_eq() { [ "$1" = "$2" ] || fail_because "$3: got '$1', want '$2'"; }

# meminfo_kb FILE KEY: the kB value of one meminfo line.
meminfo_kb() { awk -v k="$2:" '$1 == k && $3 == "kB" { print $2; exit }' "$1"; }

# zones FILE: "NAME free spanned present managed" per zone of zoneinfo.
zones() {
	sed -n '/^report: zoneinfo$/,/^report: /p' "$1" | awk '
		/^Node 0, zone/ { if (n) print n, f, s, p, m; n = $4; f = s = p = m = "" }
		$1 == "pages" && $2 == "free" { f = $3 }
		$1 == "spanned" { s = $2 }
		$1 == "present" { p = $2 }
		$1 == "managed" { m = $2 }
		END { if (n) print n, f, s, p, m }'
}

# zone_field FILE ZONE COLUMN (2 free, 3 spanned, 4 present, 5 managed).
zone_field() { zones "$1" | awk -v z="$2" -v c="$3" '$1 == z { print $c }'; }

# zones_sum FILE COLUMN [ZONE-TO-SKIP]: a column summed over the zones.
zones_sum() {
	zones "$1" | awk -v c="$2" -v skip="${3:-}" '$1 != skip { t += $c } END { print t + 0 }'
}

# vmstat_value FILE NAME
vmstat_value() {
	sed -n '/^report: vmstat$/,/^report: /p' "$1" | awk -v k="$2" '$1 == k { print $2; exit }'
}

# e820_terms FILE: "RAM PARTIAL PAGE0" in bytes, from the sanitized map the
# guest printed, by the rule the issue states: page 0 is never the
# kernel's, RAM in no whole page cannot be used.
e820_terms() {
	local ram=0 partial=0 page0=0 s e first last whole
	while read -r s e; do
		s=$((s)) e=$((e + 1))
		first=$(((s + PAGE - 1) / PAGE))
		last=$((e / PAGE))
		whole=$((last > first ? (last - first) * PAGE : 0))
		ram=$((ram + e - s))
		partial=$((partial + e - s - whole))
		[ "$first" = 0 ] && [ "$last" -gt 0 ] && page0=$PAGE
	done < <(sed -nE 's/^BIOS-e820: \[mem (0x[0-9a-f]+)-(0x[0-9a-f]+)\] usable$/\1 \2/p' "$1")
	echo "$ram $partial $page0"
}

# check_memtotal_sum FILE: the arithmetic line adds up, and each of its
# terms agrees with another report: E820 with the map, MemTotal with
# meminfo and zoneinfo's managed pages, reserved and present with the
# "Memory:" line and zoneinfo's present pages.
check_memtotal_sum() {
	local f=$1 line total ram partial page0 reserved present e_ram e_partial e_page0 mem
	check_count "$f" '^mm: MemTotal ' 1
	line=$(grep -E "$SUM_RE" "$f") || { fail_because "no line matches /$SUM_RE/"; return; }
	[[ $line =~ $SUM_RE ]]
	total=${BASH_REMATCH[1]} ram=${BASH_REMATCH[2]} partial=${BASH_REMATCH[3]}
	page0=${BASH_REMATCH[4]} reserved=${BASH_REMATCH[5]}
	present=$((ram - partial - page0))
	check_eq $((present - reserved)) "$total" "E820 - partial - page 0 - reserved (MemTotal)"
	check_eq "$(meminfo_kb "$f" MemTotal)" "$total" "meminfo MemTotal (kB)"
	check_eq $(($(zones_sum "$f" 5) * PAGE / K)) "$total" "zoneinfo managed pages (KiB)"
	read -r e_ram e_partial e_page0 < <(e820_terms "$f")
	check_grep "$f" "^e820: usable RAM: $e_ram bytes \\($((e_ram / K)) KiB\\) in "
	check_eq "$ram" $((e_ram / K)) "E820 usable (KiB), against the usable entries printed"
	check_eq "$partial" $((e_partial / K)) "partial pages (KiB), against the usable entries"
	check_eq "$page0" $((e_page0 / K)) "page 0 (KiB), against the usable entries"
	mem=$(sed -nE "s/$MEMORY_RE/\\1 \\2 \\3/p" "$f")
	check_eq "$mem" "$total $present $reserved" "Memory: line's available/present/reserved"
	check_eq $(($(zones_sum "$f" 4) * PAGE / K)) "$present" "zoneinfo present pages (KiB)"
}

# zone_range NAME START END: one "Zone ranges:" line for [START, END).
zone_range() {
	if [ "$2" -ge "$3" ]; then
		printf '  %-8s empty\n' "$1"
	else
		printf '  %-8s [mem 0x%016x-0x%016x]\n' "$1" "$2" $(($3 - 1))
	fi
}

# expected_zone_ranges START TOP LOWMEM [MOVABLE_START]: the four lines
# for RAM [START, TOP): DMA ends at 16M, DMA32 at min(4G, lowmem), Normal
# runs to the lowmem limit, HighMem from it. As in Linux, these are the
# ranges before ZONE_MOVABLE is cut out of them (its start is its own line).
expected_zone_ranges() {
	local top=$2 low z s e
	local -a names=(DMA DMA32 Normal HighMem) bounds
	low=$(min "$3" "$top")
	bounds=("$1" "$(min $((16 * M)) "$low")" "$(min $((4 * G)) "$low")" "$low" "$top")
	for z in 0 1 2 3; do
		e=${bounds[z + 1]}
		s=$(min "${bounds[z]}" "$e")
		zone_range "${names[z]}" "$s" "$e"
	done
}

# check_zone_ranges FILE START TOP LOWMEM [MOVABLE_START]
check_zone_ranges() {
	local got want
	got=$(sed -n '/^Zone ranges:$/,/^Movable zone start for each node$/p' "$1" | sed '1d;$d')
	want=$(expected_zone_ranges "$2" "$3" "$4")
	check_eq "$(echo "$got" | oneline)" "$(echo "$want" | oneline)" "Zone ranges:"
	if [ -n "${5:-}" ]; then
		check_line "$1" "$(printf '  Node 0: 0x%016x' "$5")"
	else
		check_no_grep "$1" '^  Node 0: '
	fi
}

# check_zoneinfo FILE: free <= managed <= present <= spanned in every zone;
# spanned is the size of the zone's "Zone ranges:" line up to ZONE_MOVABLE's start; buddyinfo has a
# line for each populated zone, no other, and its blocks add up to the
# zone's free pages.
check_zoneinfo() {
	local f=$1 mov=${2:-} name free spanned present managed r a b e want_buddy got_buddy
	check_eq "$(zones "$f" | wc -l)" 5 "zones in zoneinfo"
	while read -r name free spanned present managed; do
		r="free $free, managed $managed, present $present, spanned $spanned"
		[ "$free" -le "$managed" ] && [ "$managed" -le "$present" ] &&
			[ "$present" -le "$spanned" ] || fail_because "zone $name out of order: $r"
		[ "$name" = Movable ] && continue # its start is a line of its own
		r=$(sed -nE "s/^  $name +\\[mem (0x[0-9a-f]+)-(0x[0-9a-f]+)\\]$/\\1 \\2/p" "$f")
		if [ -n "$r" ]; then
			read -r a b <<<"$r"
			# the printed range is before ZONE_MOVABLE was cut out of it
			e=$((b + 1))
			if [ -n "$mov" ] && [ "$e" -gt "$mov" ]; then e=$mov; fi
			if [ "$e" -lt "$((a))" ]; then e=$((a)); fi
			check_eq "$spanned" $(((e - a) / PAGE)) "zone $name: spanned, range $r"
		else
			check_eq "$spanned" 0 "zone $name: spanned pages of an empty range"
		fi
	done < <(zones "$f")
	want_buddy=$(zones "$f" | awk '$4 > 0 { print $1, $2 }' | oneline)
	got_buddy=$(sed -n '/^report: buddyinfo$/,/^report: /p' "$f" | awk '/^Node 0, zone/ {
		t = 0; for (i = 5; i <= NF; i++) t += $i * 2 ^ (i - 5); print $4, t }' | oneline)
	check_eq "$got_buddy" "$want_buddy" "buddyinfo zones and free pages (zoneinfo)"
}

# check_selftests FILE: every suite ran and none failed (skips allowed:
# the highmem case of page_alloc skips without highmem).
check_selftests() {
	check_rc 0
	check_no_grep "$1" '^ *not ok '
	check_grep "$1" '^# Totals: pass:[1-9][0-9]* fail:0 '
}

# held_pages FILE: pages allocated and not freed since boot, from vmstat:
# pgalloc_* minus the frees that were not boot memory (pgfree counts each
# page the boot gave the buddy allocator once, i.e. MemTotal).
held_pages() {
	local f=$1 alloc=0 z
	for z in dma dma32 normal high movable; do
		alloc=$((alloc + $(vmstat_value "$f" "pgalloc_$z")))
	done
	echo $((alloc - ($(vmstat_value "$f" pgfree) - $(meminfo_kb "$f" MemTotal) * K / PAGE)))
}

# check_memfree FILE: MemFree is MemTotal less what is still allocated
# (vmstat), and what buddyinfo and zoneinfo count as free.
check_memfree() {
	local f=$1 total free held
	total=$(meminfo_kb "$f" MemTotal) free=$(meminfo_kb "$f" MemFree)
	held=$(held_pages "$f")
	check_eq "$free" $((total - held * PAGE / K)) "MemFree (MemTotal less $held pages held)"
	check_eq $(($(zones_sum "$f" 2) * PAGE / K)) "$free" "zoneinfo free pages (KiB) (MemFree)"
	check_eq $(($(vmstat_value "$f" nr_free_pages) * PAGE / K)) "$free" \
		"vmstat nr_free_pages (KiB), against MemFree"
}

# movable_start FILE: where the guest says ZONE_MOVABLE starts.
movable_start() { sed -nE 's/^  Node 0: (0x[0-9a-f]+)$/\1/p' "$1"; }

# layout NAME START TOP LOWMEM MOVABLE CMDLINE VMM-ARGS...: boot with
# every selftest and the reports, check the sum line, the zones, buddyinfo.
# MOVABLE "" means no ZONE_MOVABLE, "guest" takes the start the guest
# prints (left in MOVABLE_START; the caller checks it).
layout() {
	run_vmm "physmem_$1" "${@:7}" --cmdline "selftest=all $REPORTS $6" "$GUEST"
	layout_check "$@"
}

# layout_check NAME START TOP LOWMEM MOVABLE: layout()'s checks on the
# output of the last run.
layout_check() {
	local name=$1 start=$2 top=$3 lowmem=$4 movable=$5
	if [ "$movable" = guest ]; then
		MOVABLE_START=$(($(movable_start "$STDOUT_FILE")))
		movable=$MOVABLE_START
	fi
	begin "$name: MemTotal = E820 usable - partial pages - page 0 - reserved, terms checked"
	check_rc 0
	check_memtotal_sum "$STDOUT_FILE"
	end
	begin "$name: zone ranges, managed <= present <= spanned, buddyinfo per populated zone"
	check_zone_ranges "$STDOUT_FILE" "$start" "$top" "$lowmem" "$movable"
	check_zoneinfo "$STDOUT_FILE" "$movable"
	end
	begin "$name: selftest=all passes and leaves MemFree = MemTotal - pages still held"
	check_selftests "$STDOUT_FILE"
	check_memfree "$STDOUT_FILE"
	end
}

# leak NAME VMM-ARGS...: after selftest=all (layout NAME), MemFree equals
# that of a boot without selftests, less what the kernel keeps on purpose,
# as Linux does: kernel page tables (the selftests map and unmap, and empty
# tables are not freed) and empty slabs of caches that live on (at most
# SLAB_KEPT_MAX_KB: a leak of objects shows as more). The free pages of the
# zones are checked against MemFree in each boot (check_memfree).
SLAB_KEPT_MAX_KB=64
leak() {
	local name=$1 with=$OUT/physmem_$1.out pt slab
	shift
	run_vmm "physmem_${name}_noselftest" "$@" --cmdline "$REPORTS" "$GUEST"
	begin "$name: selftest=all leaks nothing: MemFree as in a boot without selftests, less kept page tables and slabs"
	check_rc 0
	check_memfree "$STDOUT_FILE"
	pt=$(( $(meminfo_kb "$with" PageTables) - $(meminfo_kb "$STDOUT_FILE" PageTables) ))
	slab=$(( $(meminfo_kb "$with" Slab) - $(meminfo_kb "$STDOUT_FILE" Slab) ))
	[ "$pt" -ge 0 ] || fail_because "PageTables shrank after selftest=all ($pt kB)"
	[ "$slab" -ge 0 ] && [ "$slab" -le $SLAB_KEPT_MAX_KB ] ||
		fail_because "Slab grew by $slab kB after selftest=all (at most $SLAB_KEPT_MAX_KB kB of empty slabs expected)"
	check_eq $(( $(meminfo_kb "$with" MemFree) + pt + slab )) "$(meminfo_kb "$STDOUT_FILE" MemFree)" \
		"MemFree + kept PageTables ($pt kB) + kept Slab ($slab kB) after selftest=all, against a boot without"
	end
}

# The 64 GiB sparse boot ([0, 3G) and [4G, 65G)) takes a third of this
# script's time, mostly in the host kernel: run it beside the others and
# check it at the end.
run_vmm physmem_m64G -m 64G --cmdline "selftest=all $REPORTS" "$GUEST" &
m64G_pid=$!

layout default $PAGE $((5 * G)) $LOWMEM_DEFAULT "" "" -m 4G
leak default -m 4G

DIMMS3=(--dimm 512M@0 --dimm 256M@1G --dimm 1G@4G)
layout three_dimms $PAGE $((5 * G)) $LOWMEM_DEFAULT "" "" "${DIMMS3[@]}"
leak three_dimms "${DIMMS3[@]}"

layout m1G $PAGE $G $LOWMEM_DEFAULT "" "" -m 1G
begin "-m 1G: highmem above the default 896M lowmem"
check_line "$OUT/physmem_m1G.out" "$(zone_range HighMem $LOWMEM_DEFAULT $G)"
[ "$(meminfo_kb "$OUT/physmem_m1G.out" HighTotal)" -gt 0 ] || fail_because "HighTotal is 0"
end

layout m1G_lowmem2G $PAGE $G $((2 * G)) "" lowmem=2G -m 1G
begin "-m 1G lowmem=2G: no highmem"
check_line "$OUT/physmem_m1G_lowmem2G.out" "$(zone_range HighMem 0 0)"
check_eq "$(meminfo_kb "$OUT/physmem_m1G_lowmem2G.out" HighTotal)" 0 "HighTotal"
end

# 64 MiB above 4 GiB is enough to see where HighMem starts, and boots fast.
DIMMS_4G=(--dimm 64M@0 --dimm 64M@4G)
layout lowmem4G $PAGE $((4 * G + 64 * M)) $((4 * G)) "" lowmem=4G "${DIMMS_4G[@]}"
begin "lowmem=4G: RAM above 4 GiB is HighMem, Normal is empty"
check_line "$OUT/physmem_lowmem4G.out" "$(zone_range Normal 0 0)"
check_eq "$(meminfo_kb "$OUT/physmem_lowmem4G.out" HighTotal)" $((64 * 1024)) "HighTotal"
end
layout lowmem64G $PAGE $((4 * G + 64 * M)) $((64 * G)) "" lowmem=64G "${DIMMS_4G[@]}"
begin "lowmem=64G above the top of RAM: no highmem, RAM above 4 GiB is Normal, all direct-mapped"
f=$OUT/physmem_lowmem64G.out
check_line "$f" "$(zone_range HighMem 0 0)"
check_line "$f" "$(zone_range Normal $((4 * G)) $((4 * G + 64 * M)))"
check_eq "$(meminfo_kb "$f" HighTotal)" 0 "HighTotal"
# The direct map covers exactly the RAM memblock knows: [4K, 0x9f000),
# [1M, 64M) and [4G, 4G + 64M) (page 0, the partial page and the low
# megabyte's reserved part are not RAM).
check_eq $(($(meminfo_kb "$f" DirectMap4k) + $(meminfo_kb "$f" DirectMap2M))) \
	$(((128 * M - PAGE - (0x100000 - 0x9f000)) / K)) "DirectMap4k + DirectMap2M"
check_no_grep "$f" '^mm: lowmem limited'
end

# ZONE_MOVABLE: the guest picks its start; check it is a MAX_ORDER block
# boundary and holds what was asked for, within one block. RAM [0, 1G)
# and [4G, 4.5G): HighMem spans the hole, Movable takes the top.
DIMMS_MOV=(--dimm 1G@0 --dimm 512M@4G)
layout movablecore $PAGE $((4 * G + 512 * M)) $LOWMEM_DEFAULT guest movablecore=256M \
	"${DIMMS_MOV[@]}"
begin "movablecore=256M: ZONE_MOVABLE at the top, 256 MiB present and managed (to one 4 MiB block)"
f=$OUT/physmem_movablecore.out
[ "$MOVABLE_START" -gt 0 ] && [ $((MOVABLE_START % (MAX_ORDER_PAGES * PAGE))) = 0 ] ||
	fail_because "movable start $MOVABLE_START is not a 4 MiB boundary"
p=$(zone_field "$f" Movable 4) m=$(zone_field "$f" Movable 5) s=$(zone_field "$f" Movable 3)
[ "$p" -ge $((256 * M / PAGE)) ] && [ "$p" -lt $((256 * M / PAGE + MAX_ORDER_PAGES)) ] ||
	fail_because "Movable present $p pages, want 65536 .. 66559"
[ "$m" -ge $((256 * M / PAGE * 99 / 100)) ] || fail_because "Movable managed $m pages, want ~65536"
check_eq $((MOVABLE_START + s * PAGE)) $((4 * G + 512 * M)) "end of ZONE_MOVABLE"
end

layout kernelcore $PAGE $((4 * G + 512 * M)) $LOWMEM_DEFAULT guest kernelcore=512M \
	"${DIMMS_MOV[@]}"
begin "kernelcore=512M: the other zones keep at least 512 MiB; Movable starts no lower than HighMem"
f=$OUT/physmem_kernelcore.out
[ "$MOVABLE_START" -gt 0 ] && [ $((MOVABLE_START % (MAX_ORDER_PAGES * PAGE))) = 0 ] ||
	fail_because "movable start $MOVABLE_START is not a 4 MiB boundary"
# Linux (find_zone_movable_pfns_for_nodes) takes ZONE_MOVABLE only from the
# highest populated zone: here HighMem, from the 896 MiB lowmem limit, so
# the kernel keeps all of lowmem, more than the 512 MiB asked for.
[ "$MOVABLE_START" -ge "$LOWMEM_DEFAULT" ] ||
	fail_because "movable start $MOVABLE_START is below the lowmem limit $LOWMEM_DEFAULT"
k=$(zones_sum "$f" 4 Movable)
[ "$k" -ge $((512 * M / PAGE)) ] || fail_because "kernel zones present $k pages, want >= 131072"
end

# RAM ends 156 bytes short of 1 GiB: the zones end with the last whole page.
layout e820_hole_in_section $PAGE $((G - PAGE)) $LOWMEM_DEFAULT "" "" -m 1G \
	--e820-file "$TOP/tests/data/physmem/hole-in-section.e820"
begin "e820 hole inside a section: holes and partial pages are not present RAM"
f=$OUT/physmem_e820_hole_in_section.out
check_line "$f" "  node   0: [mem 0x0000000000100000-0x0000000003ffffff]"
check_line "$f" "  node   0: [mem 0x0000000005001000-0x0000000008ffffff]"
check_line "$f" "  node   0: [mem 0x0000000009800000-0x000000003fffefff]"
# DMA32 [16M, 896M) less [64M, 80M + 4K) and [144M, 152M).
check_eq "$(zone_field "$f" DMA32 4)" $(((896 - 16 - 16 - 8) * M / PAGE - 1)) "DMA32 present"
end

DIMMS_MID=(--dimm 64M@0 --dimm 8M@0x0a400000)
layout dimm_midsection $PAGE $((0x0a400000 + 8 * M)) $LOWMEM_DEFAULT "" "" "${DIMMS_MID[@]}"
leak dimm_midsection "${DIMMS_MID[@]}"

# bad_value PARAM VALUE MESSAGE: the boot stops with exit 4 and one line
# (besides the command line and start info echo) naming the value.
bad_value() {
	run_vmm "physmem_bad_$1" --cmdline "$1=$2" "$GUEST"
	begin "$1=$2 stops the boot with exit 4 and one line naming the value"
	check_rc 4
	check_count "$STDOUT_FILE" '.' 3
	check_line "$STDOUT_FILE" "Command line: $1=$2 $MEMSTAT_PARAM"
	check_line "$STDOUT_FILE" "$3"
	check_empty "$STDERR_FILE"
	end
}
SIZE_HINT='(want a number with an optional K/M/G/T suffix)'
bad_value lowmem abc "lowmem=: bad size \"abc\" $SIZE_HINT"
bad_value movablecore 1Q "movablecore=: bad size \"1Q\" $SIZE_HINT"
bad_value report nosuch 'report=: unknown report "nosuch" (known: meminfo, buddyinfo, zoneinfo,'\
' vmstat, slabinfo, vmallocinfo, memtype, all)'

wait "$m64G_pid"
RC=$(cat "$OUT/physmem_m64G.rc") STDOUT_FILE=$OUT/physmem_m64G.out
STDERR_FILE=$OUT/physmem_m64G.err
layout_check m64G $PAGE $((65 * G)) $LOWMEM_DEFAULT ""

# RAM beyond the 46-bit memory model: ignored with a message, and the sum
# line names it as its own term so that the identity still holds.
run_vmm physmem_above46 -m 1G --e820-file "$TOP/tests/data/physmem/above-46-bits.e820" "$GUEST"
begin "RAM above 2^46 is ignored, and the MemTotal sum names it"
check_rc 0
check_line "$STDOUT_FILE" "e820: ignoring RAM above 0x3fffffffffff (the 46-bit physical memory model's limit)"
sum=$(sed -nE 's/^mm: MemTotal ([0-9]+)K = E820 usable ([0-9]+)K - partial pages ([0-9]+)K - page 0 ([0-9]+)K - reserved ([0-9]+)K - beyond the memory model ([0-9]+)K$/\1 \2 \3 \4 \5 \6/p' "$STDOUT_FILE")
if [ -z "$sum" ]; then
	fail_because "no sum line with a 'beyond the memory model' term"
else
	read -r mt ram part p0 res beyond <<<"$sum"
	check_eq "$beyond" $((128 * 1024)) "beyond the memory model (KiB)"
	check_eq "$mt" $((ram - part - p0 - res - beyond)) "MemTotal = the terms"
fi
end
