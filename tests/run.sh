#!/usr/bin/env bash
# Runs every test: host unit tests (plain and ASan/UBSan builds), guest and
# VMM integration tests on /dev/kvm, QEMU cross-checks. Prints TAP-style
# lines and ends with "N passed, N failed, N skipped".
#   tests/run.sh [PATTERN]   only test files whose name contains PATTERN
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP" || exit 1
export TOP
export OUT=${OUT:-$TOP/tests/out} # a private OUT= lets two runs share a tree
rm -rf "$OUT"
mkdir -p "$OUT"
filter=${1:-}

pass=0 fail=0 skipped=0
failed_names=()

# Count the TAP lines of one test program's output (from stdin).
tally() {
	local src=$1 line n_ok=0 n_notok=0
	while IFS= read -r line; do
		case "$line" in
		"not ok"*"# SKIP"* | "not ok"*"# skip"*) skipped=$((skipped + 1)); echo "$line" ;;
		"not ok"*) fail=$((fail + 1)); n_notok=$((n_notok + 1)); failed_names+=("$src: ${line#not ok }"); echo "$line" ;;
		"ok "*"# SKIP"* | "ok "*"# skip"*) skipped=$((skipped + 1)); echo "$line" ;;
		"ok "*) pass=$((pass + 1)); n_ok=$((n_ok + 1)); echo "$line" ;;
		"#"*) echo "$line" ;;
		*) ;;
		esac
	done
	echo "# $src: $n_ok passed, $n_notok failed"
}

run_program() {
	local src=$1
	shift
	local log=$OUT/$(basename "$src").tap rc
	"$@" >"$log" 2>"$log.err"
	rc=$?
	tally "$src" <"$log"
	# A program that died (or printed no result at all) is a failure of its own.
	if [ $rc -ne 0 ] && ! grep -q '^not ok' "$log"; then
		fail=$((fail + 1))
		failed_names+=("$src: exited with status $rc without a failing test")
		echo "not ok - $src exited with status $rc"
		tail -5 "$log.err" | sed 's/^/#   /'
	fi
}

echo "TAP version 14"
echo "# host unit tests (cmocka), plain and with ASan+UBSan"
for t in bin/tests/test_*; do
	[ -x "$t" ] || continue
	case "$t" in *"$filter"*) ;; *) continue ;; esac
	CMOCKA_MESSAGE_OUTPUT=TAP run_program "$t" "$t"
done

if [ ! -r /dev/kvm ]; then
	echo "# ************************************************************"
	echo "# WARNING: /dev/kvm is not available: every ./vmm test is SKIPPED."
	echo "# Only host unit tests and QEMU TCG runs check the guest."
	echo "# ************************************************************"
fi

for dir in tests/integration tests/qemu; do
	echo "# $dir"
	for t in "$dir"/*.sh; do
		[ -f "$t" ] || continue
		case "$t" in *"$filter"*) ;; *) continue ;; esac
		run_program "$t" bash "$t"
	done
done

if [ ${#failed_names[@]} -gt 0 ]; then
	echo "# failures:"
	for n in "${failed_names[@]}"; do echo "#   $n"; done
fi
echo "$pass passed, $fail failed, $skipped skipped"
[ "$fail" -eq 0 ]
