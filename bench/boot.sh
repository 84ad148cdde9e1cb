#!/usr/bin/env bash
# Whole-boot benchmark: the default guest from process start to exit under
# ./vmm and under QEMU microvm (KVM), same image, same RAM, alternating so
# both see the same machine noise. Prints each run, the medians and the
# ratio, and a JSON line for collection.
#   bench/boot.sh [RUNS]   (default 15, at least 10)
set -euo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
RUNS=${1:-15}
[ "$RUNS" -ge 10 ] || { echo "boot.sh: at least 10 runs" >&2; exit 2; }
GUEST=$TOP/images/guest.elf
MEM=4G
[ -r /dev/kvm ] || { echo "boot.sh: /dev/kvm missing: this benchmark needs KVM" >&2; exit 1; }

vmm_cmd=("$TOP/bin/vmm" -m "$MEM" "$GUEST")
qemu_cmd=(qemu-system-x86_64 -M microvm -accel kvm -cpu host -m "$MEM" -smp 1 -nodefaults -no-user-config
	-nographic -no-reboot -serial stdio -device isa-debug-exit,iobase=0xf4,iosize=4 -kernel "$GUEST")

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

# One warm-up run each (page cache, QEMU's shared libraries).
time_one 0 "${vmm_cmd[@]}" >/dev/null
time_one 1 "${qemu_cmd[@]}" >/dev/null

vmm_t=() qemu_t=()
for i in $(seq 1 "$RUNS"); do
	vmm_t+=("$(time_one 0 "${vmm_cmd[@]}")")
	qemu_t+=("$(time_one 1 "${qemu_cmd[@]}")")
	awk -v i="$i" -v v="${vmm_t[-1]}" -v q="${qemu_t[-1]}" \
		'BEGIN { printf "run %2d: vmm %8.2f ms   qemu microvm %8.2f ms\n", i, v / 1e6, q / 1e6 }'
done
vm=$(printf '%s\n' "${vmm_t[@]}" | median)
qm=$(printf '%s\n' "${qemu_t[@]}" | median)
ratio=$(awk -v v="$vm" -v q="$qm" 'BEGIN { printf "%.1f", q / v }')
awk -v n="$RUNS" -v v="$vm" -v q="$qm" -v r="$ratio" 'BEGIN {
	printf "median over %d runs: vmm %.2f ms, qemu microvm %.2f ms: vmm is %sx faster (goal: >= 10x)\n", n, v / 1e6, q / 1e6, r }'
printf '{"bench":"boot","mem":"%s","runs":%d,"vmm_median_ns":%d,"qemu_microvm_median_ns":%d,"ratio":%s}\n' \
	"$MEM" "$RUNS" "$vm" "$qm" "$ratio"
