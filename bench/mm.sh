#!/usr/bin/env bash
# Memory-manager benchmarks (issue 3), measured inside the guest with the TSC
# (guest/kernel/bench.c, docs/physical-memory.md "Benchmarks"):
#   1. bench=all under ./vmm (KVM) at -m 4G;
#   2. bench=all under QEMU microvm with TCG at -m 512M, lowmem=256M so the
#      kmap benchmarks have highmem (QEMU gives no TSC
#      rate to the guest; TCG's RDTSC reads the host TSC, so cycles are
#      turned into ns with the rate ./vmm's CPUID leaf 0x40000010 gave);
#   3. memmap init and boot wall time at -m 1G, 4G, 16G, 64G under ./vmm;
#   4. the direct map's build time at -m = lowmem= 1G, 4G, 16G under ./vmm.
# RUNS runs of each (default 5); prints medians, where they were measured,
# the issue's goals beside them and whether each is met, then every JSON
# line the guest printed, tagged with monitor, memory and run number.
#   bench/mm.sh [RUNS]
set -euo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
RUNS=${1:-5}
VMM=$TOP/bin/vmm
GUEST=$TOP/images/guest.elf
VMM_MEM=4G
QEMU_MEM=512M
# TCG runs the guest about a thousand times faster than KVM here: more operations.
QEMU_ITERS=20000
MEMMAP_SIZES="1G 4G 16G 64G"
# Direct-map build (arch_map_lowmem) with all of -m as lowmem.
DIRECT_MAP_SIZES="1G 4G 16G"
# Goals of issue 3.
GOAL_ORDER0_NS=40
GOAL_KMALLOC_NS=20
GOAL_MEMMAP_MS_PER_GIB=2
GOAL_STRUCT_PAGE_BYTES=64

case "$RUNS" in '' | *[!0-9]*) echo "mm.sh: RUNS must be a number, not '$RUNS'" >&2; exit 2 ;; esac
[ "$RUNS" -ge 1 ] || { echo "mm.sh: at least 1 run" >&2; exit 2; }
[ -r /dev/kvm ] || { echo "mm.sh: /dev/kvm missing: this benchmark needs KVM" >&2; exit 1; }
for f in "$VMM" "$GUEST"; do
	[ -x "$f" ] || [ -r "$f" ] || { echo "mm.sh: $f missing (make bin/vmm images/guest.elf)" >&2; exit 1; }
done
HAVE_QEMU=1
command -v qemu-system-x86_64 >/dev/null || HAVE_QEMU=0

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
JSON=$TMP/all.json
: >"$JSON"

# run_guest TAG MONITOR MEM RUN CMD...: run, check the exit status, keep the
# JSON lines (tagged) in $JSON and the wall time in ns in $TMP/TAG.wall.
run_guest() {
	local tag=$1 mon=$2 mem=$3 run=$4 want t0 t1 rc out=$TMP/$1.$4.out
	shift 4
	want=0
	[ "$mon" = qemu-tcg ] && want=1 # isa-debug-exit: (0 << 1) | 1
	t0=$(date +%s%N)
	set +e
	"$@" >"$out" 2>&1
	rc=$?
	set -e
	t1=$(date +%s%N)
	if [ "$rc" != "$want" ]; then
		echo "mm.sh: '$*' exited $rc, expected $want; last lines:" >&2
		tail -5 "$out" >&2
		exit 1
	fi
	grep '^{"bench"' "$out" | sed "s/^{/{\"set\":\"$tag\",\"monitor\":\"$mon\",\"mem\":\"$mem\",\"run\":$run,/" >>"$JSON"
	echo $((t1 - t0)) >>"$TMP/$tag.wall"
}

# values TAG-FILTER BENCH FIELD: the FIELD of every line of BENCH whose tags match.
values() {
	grep -F "$1" "$JSON" | grep -F "\"bench\":\"$2\"" | sed -n "s/.*\"$3\":\([^,}]*\).*/\1/p" |
		grep -v '^null$' || true
}

median() { sort -g | awk '{a[NR]=$1} END {if (NR) print (NR % 2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

# met VALUE GOAL: "yes" if VALUE < GOAL.
met() { awk -v v="$1" -v g="$2" 'BEGIN { print (v != "" && v + 0 < g + 0) ? "yes" : "no" }'; }

echo "mm.sh: $RUNS runs each; guest $GUEST"
for r in $(seq 1 "$RUNS"); do
	run_guest vmm vmm "$VMM_MEM" "$r" "$VMM" -m "$VMM_MEM" --cmdline "bench=all" "$GUEST"
	if [ "$HAVE_QEMU" = 1 ]; then
		run_guest qemu qemu-tcg "$QEMU_MEM" "$r" qemu-system-x86_64 -M microvm -accel tcg \
			-m "$QEMU_MEM" -smp 1 -nodefaults -no-user-config -nographic -no-reboot \
			-serial stdio -device isa-debug-exit,iobase=0xf4,iosize=4 -kernel "$GUEST" \
			-append "bench=all bench_iters=$QEMU_ITERS lowmem=256M"
	fi
	for m in $MEMMAP_SIZES; do
		run_guest "memmap-$m" vmm "$m" "$r" "$VMM" -m "$m" --cmdline "bench=memmap_init" "$GUEST"
	done
	for m in $DIRECT_MAP_SIZES; do
		run_guest "dmap-$m" vmm "$m" "$r" "$VMM" -m "$m" \
			--cmdline "lowmem=$m bench=direct_map_build" "$GUEST"
	done
done

VMM_TAG='"set":"vmm"'
QEMU_TAG='"set":"qemu"'
HOST_KHZ=$(values "$VMM_TAG" order0_pair_pcp tsc_khz | median)
WHERE_VMM="vmm/KVM -m $VMM_MEM ($(values "$VMM_TAG" order0_pair_pcp where | head -1 | tr -d '"'))"
WHERE_QEMU="QEMU microvm TCG -m $QEMU_MEM"

echo
printf '%-22s %-34s %14s %14s %8s %5s\n' benchmark where cycles/op ns/op goal met
# row BENCH GOAL_NS: one line per monitor.
row() {
	local b=$1 goal=$2 cyc ns goal_txt met_txt
	goal_txt=${goal:+"< $goal ns"}
	cyc=$(values "$VMM_TAG" "$b" cycles_per_op | median)
	ns=$(values "$VMM_TAG" "$b" ns_per_op | median)
	met_txt=${goal:+$(met "$ns" "$goal")}
	printf '%-22s %-34s %14s %14s %8s %5s\n' "$b" "$WHERE_VMM" "${cyc:-n/a}" "${ns:-n/a}" \
		"${goal_txt:--}" "${met_txt:--}"
	[ "$HAVE_QEMU" = 1 ] || return 0
	cyc=$(values "$QEMU_TAG" "$b" cycles_per_op | median)
	ns=""
	[ -n "$cyc" ] && [ -n "$HOST_KHZ" ] && ns=$(awk -v c="$cyc" -v k="$HOST_KHZ" 'BEGIN { printf "%.1f", c * 1e6 / k }')
	met_txt=${goal:+$(met "$ns" "$goal")}
	printf '%-22s %-34s %14s %14s %8s %5s\n' "$b" "$WHERE_QEMU" "${cyc:-n/a}" "${ns:-n/a}*" \
		"${goal_txt:--}" "${met_txt:--}"
}
row order0_pair_pcp "$GOAL_ORDER0_NS"
row order0_pair_buddy_dma ""
row order1_pair_buddy ""
row order3_pair ""
row kmalloc64_pair "$GOAL_KMALLOC_NS"
row set_memory_uc_4k_split ""
row set_memory_wb_4k ""
row set_memory_uc_4k_nosplit ""
row kmap_pair ""
row kmap_pair_new ""
row kmap_local_pair ""
row vmalloc_64k_pair ""
if [ "$HAVE_QEMU" = 1 ]; then
	echo "  * QEMU TCG gives the guest no TSC rate; its RDTSC reads the host TSC, converted"
	echo "    at the ${HOST_KHZ} kHz ./vmm's CPUID leaf 0x40000010 reported"
else
	echo "  (qemu-system-x86_64 not installed: no TCG figures)"
fi
echo "  order0_pair_buddy_dma and order1_pair_buddy stand in for 'order-0 without per-CPU lists':"
echo "  the allocator has no switch to bypass them (see docs/physical-memory.md)."

spb=$(values "$VMM_TAG" struct_page_bytes bytes_per_page | median)
printf '%-22s %-34s %14s bytes per 4 KiB page (%s%%)   goal < %s bytes   met %s\n' struct_page_bytes \
	"$WHERE_VMM" "$spb" "$(values "$VMM_TAG" struct_page_bytes overhead_pct | head -1)" \
	"$GOAL_STRUCT_PAGE_BYTES" "$(met "$spb" "$GOAL_STRUCT_PAGE_BYTES")"

echo
echo "memmap init under vmm/KVM (sparse_init: sections, vmemmap, struct pages; mm_core_init: zones,"
echo "free memory to the buddy, watermarks), medians of $RUNS;"
echo "goal: memmap init < $GOAL_MEMMAP_MS_PER_GIB ms per GiB"
printf '%-5s %14s %16s %5s %16s %20s %15s %5s %13s\n' "-m" sparse_init_ms sparse_ms_per_GiB met \
	mm_core_init_ms core_ms_per_GiB total_ms_per_GiB met boot_wall_ms
for m in $MEMMAP_SIZES; do
	tag="\"set\":\"memmap-$m\""
	sp=$(values "$tag" memmap_init sparse_init_ms | median)
	spg=$(values "$tag" memmap_init ms_per_gib | median)
	core=$(values "$tag" memmap_init mm_core_init_ms | median)
	coreg=$(values "$tag" memmap_init mm_core_init_ms_per_gib | median)
	totg=$(values "$tag" memmap_init total_ms_per_gib | median)
	wall=$(median <"$TMP/memmap-$m.wall")
	printf '%-5s %14s %16s %5s %16s %20s %15s %5s %13s\n' "$m" "$sp" "$spg" \
		"$(met "$spg" "$GOAL_MEMMAP_MS_PER_GIB")" "$core" "$coreg" "$totg" \
		"$(met "$totg" "$GOAL_MEMMAP_MS_PER_GIB")" "$(awk -v w="$wall" 'BEGIN { printf "%.1f", w / 1e6 }')"
done
if [ "$HAVE_QEMU" = 1 ]; then
	spc=$(values "$QEMU_TAG" memmap_init sparse_init_cycles | median)
	awk -v c="$spc" -v k="$HOST_KHZ" -v m="$QEMU_MEM" 'BEGIN {
		printf "QEMU microvm TCG -m %s: sparse_init %d cycles = %.3f ms*", m, c, c / k
		printf " (the memmap is cleared there: no zero guarantee)\n" }'
fi

echo
echo "direct map build under vmm/KVM (arch_map_lowmem, lowmem = -m), medians of $RUNS"
printf '%-5s %10s %10s %12s\n' "-m" mapped_MiB ms ms_per_GiB
for m in $DIRECT_MAP_SIZES; do
	tag="\"set\":\"dmap-$m\""
	printf '%-5s %10s %10s %12s\n' "$m" "$(values "$tag" direct_map_build mapped_mib | median)" \
		"$(values "$tag" direct_map_build ms | median)" \
		"$(values "$tag" direct_map_build ms_per_gib | median)"
done

echo
echo "--- JSON lines"
cat "$JSON"
