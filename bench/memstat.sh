#!/usr/bin/env bash
# Cost of the guest's statistics publication (issue 5, docs/memstat-device.md):
# a CPU-bound guest workload (the order-0 page alloc/free benchmark, about
# 1 s under KVM here) with the memstat device republishing every 10, 100 and
# 1000 ms, against the device asking for no periodic publication
# (--stats-period 0), the configurations alternating round by round. The
# timer interrupts and publications land inside the timed loop, so the
# ratio of its ns per operation is the cost. Also printed: the guest's own
# TSC cycles per publication.
#   bench/memstat.sh [RUNS]   (default 5)
set -euo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
RUNS=${1:-5}
VMM=${VMM:-$TOP/bin/vmm}
GUEST=${GUEST:-$TOP/images/guest.elf}
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || { echo "memstat.sh: RUNS must be a positive number, not '$RUNS'" >&2; exit 2; }
[ -r /dev/kvm ] || { echo "memstat.sh: /dev/kvm missing: this benchmark needs KVM" >&2; exit 1; }
WORK="bench=order0_pair_pcp bench_iters=1500"
PERIODS=(0 1000 100 10)

median() { sort -g | awk '{a[NR]=$1} END {printf "%.1f\n", (NR % 2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

# run_one PERIOD: "NS_PER_OP CYCLES_PER_PUBLICATION UPDATES" of one run.
run_one() {
	local period=$1 out rc ns pub upd
	out=$(mktemp)
	set +e
	"$VMM" -m 1G --stats-period "$period" --cmdline "$WORK" "$GUEST" >"$out" 2>/dev/null
	rc=$?
	set -e
	[ "$rc" = 0 ] || { echo "memstat.sh: --stats-period $period exited $rc" >&2; exit 1; }
	ns=$(sed -nE 's/.*"bench":"order0_pair_pcp".*"ns_per_op":([0-9.]+).*/\1/p' "$out")
	pub=$(sed -nE 's/^memstat: stats published at end of boot: .*update ([0-9]+) \(([0-9]+) TSC cycles each\).*/\2/p' "$out")
	upd=$(sed -nE 's/^memstat: stats published at end of boot: .*update ([0-9]+) .*/\1/p' "$out")
	[ -n "$ns" ] && [ -n "$pub" ] || { echo "memstat.sh: no benchmark or publication line (period $period)" >&2; exit 1; }
	rm -f "$out"
	echo "$ns $pub $upd"
}

declare -A NS PUB UPD
run_one 0 >/dev/null # warm-up
for round in $(seq 1 "$RUNS"); do
	for p in "${PERIODS[@]}"; do
		read -r ns pub upd < <(run_one "$p")
		NS[$p]+="$ns " PUB[$p]+="$pub " UPD[$p]+="$upd "
	done
	echo "round $round/$RUNS done" >&2
done

base=$(printf '%s\n' ${NS[0]} | median)
echo "CPU-bound guest loop ($WORK) with periodic statistics publication; medians of $RUNS alternating runs"
printf '%-10s %14s %8s %12s %14s\n' period "ns per op" ratio publications "cycles/publ."
for p in "${PERIODS[@]}"; do
	ns=$(printf '%s\n' ${NS[$p]} | median)
	pub=$(printf '%s\n' ${PUB[$p]} | median)
	upd=$(printf '%s\n' ${UPD[$p]} | median)
	label=$([ "$p" = 0 ] && echo "none" || echo "${p} ms")
	awk -v l="$label" -v n="$ns" -v b="$base" -v u="$upd" -v c="$pub" \
		'BEGIN { printf "%-10s %14.1f %7.3fx %12.0f %14.0f\n", l, n, n / b, u, c }'
	awk -v p="$p" -v n="$ns" -v b="$base" -v u="$upd" -v c="$pub" -v r="$RUNS" 'BEGIN {
		printf "{\"bench\":\"memstat-publication\",\"period_ms\":%d,\"runs\":%d,", p, r
		printf "\"ns_per_op_median\":%.1f,\"ratio\":%.4f,\"cost_pct\":%.2f,", n, n / b, (n / b - 1) * 100
		printf "\"publications_median\":%d,\"cycles_per_publication_median\":%d}\n", u, c }'
done
echo "goal (issue 5): publication every 10 ms costs under 1% of a CPU-bound workload"
