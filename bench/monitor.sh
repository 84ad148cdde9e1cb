#!/usr/bin/env bash
# Monitoring overhead (issue 5, docs/monitoring.md): the guest touches
# 256 MiB of fresh memory (touch=256M@16M: 65536 pages, one byte each) with
# each monitor and without, the configurations alternating round by round
# so all see the same machine noise. Per configuration: the median of the
# guest's own TSC cycles for the touch loop and of the VMM's wall time;
# ratios are against no monitor. One JSON line per configuration at the end.
#   bench/monitor.sh [RUNS]   (default 5)
set -euo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
RUNS=${1:-5}
VMM=${VMM:-$TOP/bin/vmm}
GUEST=${GUEST:-$TOP/images/guest.elf}
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || { echo "monitor.sh: RUNS must be a positive number, not '$RUNS'" >&2; exit 2; }
[ -r /dev/kvm ] || { echo "monitor.sh: /dev/kvm missing: this benchmark needs KVM" >&2; exit 1; }
MEM=1G
TOUCH=256M@16M
PAGES=65536

# name|VMM options (none: no monitor)
CONFIGS=(
	"none|"
	"uffd|--monitor=uffd"
	"uffd-w64|--monitor=uffd --monitor-uffd-window 64"
	"uffd-exact|--monitor=uffd --monitor-uffd-window 1"
	"kvm-stats|--monitor=kvm-stats"
	"dirty|--monitor=dirty"
)

# mawk prints big numbers with %.6g and overflows %d: %.0f everywhere.
median() { sort -n | awk '{a[NR]=$1} END {printf "%.0f\n", (NR % 2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

# run_one OPTS: "CYCLES WALL_NS" of one run; checks the exit status and the counts.
run_one() {
	local opts=$1 t0 t1 rc out err cycles
	out=$(mktemp) err=$(mktemp)
	t0=$(date +%s%N)
	set +e
	# shellcheck disable=SC2086
	"$VMM" -m "$MEM" $opts --cmdline "touch=$TOUCH" "$GUEST" >"$out" 2>"$err"
	rc=$?
	set -e
	t1=$(date +%s%N)
	if [ "$rc" != 0 ]; then
		echo "monitor.sh: '$VMM $opts' exited $rc: $(head -3 "$err")" >&2
		exit 1
	fi
	cycles=$(sed -nE "s/^workload: touched $PAGES pages .* in ([0-9]+) TSC cycles.*/\1/p" "$out")
	[ -n "$cycles" ] || { echo "monitor.sh: no workload line from '$opts'" >&2; exit 1; }
	# The monitor must have seen the whole workload, or the figure means nothing.
	case "$opts" in
	*uffd*) grep -qE "^monitor uffd: DIMM 0 at 0x0: [0-9]+ of" "$err" ||
			{ echo "monitor.sh: no uffd summary" >&2; exit 1; } ;;
	esac
	rm -f "$out" "$err"
	echo "$cycles $((t1 - t0))"
}

declare -A CYC WALL
run_one "" >/dev/null # warm-up
for round in $(seq 1 "$RUNS"); do
	for c in "${CONFIGS[@]}"; do
		name=${c%%|*} opts=${c#*|}
		read -r cyc wall < <(run_one "$opts")
		CYC[$name]+="$cyc "
		WALL[$name]+="$wall "
	done
	echo "round $round/$RUNS done" >&2
done

JSON=$(mktemp)
trap 'rm -f "$JSON"' EXIT
base_c=$(printf '%s\n' ${CYC[none]} | median)
base_w=$(printf '%s\n' ${WALL[none]} | median)
# The TSC rate, from the VMM's -v line "KVM: ... TSC N kHz".
khz=$("$VMM" -v -m "$MEM" "$GUEST" 2>&1 >/dev/null | sed -nE 's/.*TSC ([0-9]+) kHz.*/\1/p' | head -1)
echo "guest touches 256 MiB of fresh memory ($PAGES pages), -m $MEM; medians of $RUNS alternating runs"
printf '%-11s %14s %8s %8s %12s %8s\n' config "touch cycles" "us/page" ratio "wall ms" ratio
for c in "${CONFIGS[@]}"; do
	name=${c%%|*}
	mc=$(printf '%s\n' ${CYC[$name]} | median)
	mw=$(printf '%s\n' ${WALL[$name]} | median)
	awk -v n="$name" -v c="$mc" -v w="$mw" -v bc="$base_c" -v bw="$base_w" -v p="$PAGES" -v k="${khz:-0}" 'BEGIN {
		us = k > 0 ? sprintf("%.2f", c / k * 1000 / p) : "?"
		printf "%-11s %14.0f %8s %7.2fx %12.1f %7.2fx\n", n, c, us, c / bc, w / 1e6, w / bw }'
	cl=$(echo ${CYC[$name]} | tr ' ' ',') wl=$(echo ${WALL[$name]} | tr ' ' ',')
	awk -v n="$name" -v c="$mc" -v w="$mw" -v bc="$base_c" -v bw="$base_w" -v r="$RUNS" \
		-v cl="$cl" -v wl="$wl" 'BEGIN {
		printf "{\"bench\":\"monitor-overhead\",\"config\":\"%s\",\"runs\":%d,", n, r
		printf "\"touch_cycles_median\":%.0f,\"wall_ns_median\":%.0f,", c, w
		printf "\"cycles_ratio\":%.3f,\"wall_ratio\":%.3f,", c / bc, w / bw
		printf "\"touch_cycles\":[%s],\"wall_ns\":[%s]}\n", cl, wl }' >>"$JSON"
done
echo "--- JSON lines"
cat "$JSON"
echo "goal (issue 5): uffd at most 2x none; kvm-stats and dirty indistinguishable from none"
