#!/usr/bin/env bash
# Boot benchmarks, ./vmm against QEMU microvm (KVM) on the same image and
# RAM, runs alternating so both see the same machine noise; medians and
# ratios are printed, plus one JSON line per comparison.
#   1. the whole default boot of images/guest.elf (guest work included);
#   2. the monitor's own cost: a PVH ELF that only writes the exit port;
#   3. the guest instruction rate under ./vmm: a 1M-iteration loop minus (2).
# See docs/platform-notes.md for why (1) and (2) differ so much here.
#   bench/boot.sh [RUNS]   (default 15, at least 10)
set -euo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
RUNS=${1:-15}
[ "$RUNS" -ge 10 ] || { echo "boot.sh: at least 10 runs" >&2; exit 2; }
[ -r /dev/kvm ] || { echo "boot.sh: /dev/kvm missing: this benchmark needs KVM" >&2; exit 1; }
MEM=4G

qemu_cmd() {
	echo qemu-system-x86_64 -M microvm -accel kvm -m "$MEM" -smp 1 -nodefaults -no-user-config \
		-nographic -no-reboot -serial stdio -device isa-debug-exit,iobase=0xf4,iosize=4 -kernel "$1"
}

# ns of wall time for one run; checks the exit status.
time_one() {
	local want=$1
	shift
	local t0 t1 rc
	t0=$(date +%s%N)
	set +e
	"$@" >/dev/null 2>&1
	rc=$?
	set -e
	t1=$(date +%s%N)
	[ "$rc" = "$want" ] || { echo "boot.sh: '$*' exited $rc, expected $want" >&2; exit 1; }
	echo $((t1 - t0))
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2)}'; }

# compare NAME ELF: alternate ./vmm and QEMU, print medians and the ratio.
compare() {
	local name=$1 elf=$2 v q vm qm ratio
	local -a vmm_t=() qemu_t=()
	# shellcheck disable=SC2207
	local -a qcmd=($(qemu_cmd "$elf"))
	time_one 0 "$TOP/bin/vmm" -m "$MEM" "$elf" >/dev/null # warm-up
	time_one 1 "${qcmd[@]}" >/dev/null
	for _ in $(seq 1 "$RUNS"); do
		vmm_t+=("$(time_one 0 "$TOP/bin/vmm" -m "$MEM" "$elf")")
		qemu_t+=("$(time_one 1 "${qcmd[@]}")")
	done
	vm=$(printf '%s\n' "${vmm_t[@]}" | median)
	qm=$(printf '%s\n' "${qemu_t[@]}" | median)
	ratio=$(awk -v v="$vm" -v q="$qm" 'BEGIN { printf "%.1f", q / v }')
	awk -v n="$RUNS" -v name="$name" -v v="$vm" -v q="$qm" -v r="$ratio" -v vs="${vmm_t[*]}" -v qs="${qemu_t[*]}" 'BEGIN {
		printf "%s: median of %d alternating runs: vmm %.2f ms, qemu microvm (kvm) %.2f ms: vmm is %sx faster\n", name, n, v / 1e6, q / 1e6, r
		nv = split(vs, a, " "); nq = split(qs, b, " ")
		printf "  vmm runs (ms): "; for (i = 1; i <= nv; i++) printf "%.1f ", a[i] / 1e6; printf "\n"
		printf "  qemu runs (ms): "; for (i = 1; i <= nq; i++) printf "%.1f ", b[i] / 1e6; printf "\n" }'
	printf '{"bench":"%s","mem":"%s","runs":%d,"vmm_median_ns":%d,"qemu_microvm_kvm_median_ns":%d,"ratio":%s}\n' \
		"$name" "$MEM" "$RUNS" "$vm" "$qm" "$ratio" >>"$JSON"
	eval "${name//-/_}_vmm=$vm"
}

JSON=$(mktemp)
trap 'rm -f "$JSON"' EXIT
compare boot-default "$TOP/images/guest.elf"
compare boot-empty "$TOP/bin/bench/pvh_exit.elf"

# Guest instruction rate: (loop - empty) / 2M instructions.
loop_t=()
for _ in $(seq 1 5); do loop_t+=("$(time_one 0 "$TOP/bin/vmm" "$TOP/bin/bench/pvh_loop1m.elf")"); done
lm=$(printf '%s\n' "${loop_t[@]}" | median)
awk -v l="$lm" -v e="$boot_empty_vmm" 'BEGIN {
	printf "guest instruction rate under vmm: %.2f M instructions/s (1M-iteration two-instruction loop, median of 5)\n", 2e6 / ((l - e) / 1e9) / 1e6 }'
awk -v l="$lm" -v e="$boot_empty_vmm" 'BEGIN {
	printf "{\"bench\":\"guest-insn-rate\",\"vmm_minsn_per_s\":%.3f}\n", 2e6 / ((l - e) / 1e9) / 1e6 }' >>"$JSON"

echo "--- JSON lines"
cat "$JSON"
echo "goal (issue 2): vmm at least 10x faster than qemu microvm on the default boot"
