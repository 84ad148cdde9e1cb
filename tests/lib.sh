#!/usr/bin/env bash
# Helpers for integration tests. Each test script sources this file and
# prints TAP lines ("ok - name", "not ok - name", "ok - name # SKIP why");
# tests/run.sh counts them. Paths are relative to the repository root.

TOP=${TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
VMM=${VMM:-$TOP/bin/vmm}
GUEST=${GUEST:-$TOP/images/guest.elf}
OUT=${OUT:-$TOP/tests/out}
mkdir -p "$OUT"

ok() { echo "ok - $*"; }
not_ok() { echo "not ok - $1"; shift; for l in "$@"; do echo "#   $l"; done; }
skip() { echo "ok - $1 # SKIP $2"; }

have_kvm() { [ -r /dev/kvm ] && [ -w /dev/kvm ]; }

# Loud, once per script, when /dev/kvm is missing.
require_kvm_or_skip_all() {
	if ! have_kvm; then
		echo "# WARNING: /dev/kvm is missing or not usable: the tests of $(basename "$0") are SKIPPED" >&2
		echo "# WARNING: /dev/kvm is missing: $(basename "$0") skipped (QEMU TCG tests still check the guest)"
		return 1
	fi
	return 0
}

# run NAME TIMEOUT CMD...: run CMD with a hard wall-clock limit, keeping
# $OUT/NAME.out, .err and .rc. Sets RC, STDOUT_FILE, STDERR_FILE.
run() {
	local name=$1 limit=$2
	shift 2
	STDOUT_FILE=$OUT/$name.out
	STDERR_FILE=$OUT/$name.err
	timeout -k 5 "$limit" "$@" >"$STDOUT_FILE" 2>"$STDERR_FILE" </dev/null
	RC=$?
	echo "$RC" >"$OUT/$name.rc"
}

# run_vmm NAME VMM-ARGS...: the VMM with a 60 s safety limit.
run_vmm() {
	local name=$1
	shift
	run "$name" 60 "$VMM" "$@"
}

# Accumulating checks for one test: begin NAME; check_* ...; end
begin() { T_NAME=$1; T_ERRS=(); }
fail_because() { T_ERRS+=("$1"); }
check_rc() {
	[ "$RC" = "$1" ] || fail_because "exit status $RC, expected $1 (stderr: $(head -c 300 "$STDERR_FILE" | tr '\n' '|'))"
}
# check_line FILE LINE: LINE appears exactly as a whole line.
check_line() {
	grep -qxF -- "$2" "$1" || fail_because "missing line in $(basename "$1"): '$2'"
}
check_no_line() {
	! grep -qxF -- "$2" "$1" || fail_because "unexpected line in $(basename "$1"): '$2'"
}
# check_grep FILE REGEX: some line matches the extended regex.
check_grep() {
	grep -qE -- "$2" "$1" || fail_because "no line in $(basename "$1") matches /$2/"
}
check_no_grep() {
	! grep -qE -- "$2" "$1" || fail_because "a line in $(basename "$1") matches /$2/: $(grep -m1 -E -- "$2" "$1")"
}
# check_count FILE REGEX N: exactly N lines match.
check_count() {
	local n
	n=$(grep -cE -- "$2" "$1")
	[ "$n" = "$3" ] || fail_because "$n lines of $(basename "$1") match /$2/, expected $3"
}
# The memstat device's announcement bin/vmm appends to the guest command
# line (docs/memstat-device.md), for tests that check the whole line.
MEMSTAT_PARAM="memstat.device=20K@0xfeb00000:5"
# check_quiet FILE: the VMM wrote nothing to stderr but, at exit, the final
# guest meminfo (a heading and /proc/meminfo lines, docs/memstat-device.md).
check_quiet() {
	local rest
	rest=$(grep -vE '^vmm: memstat: final guest meminfo \([^)]*\):$|^[A-Za-z0-9_()]+: +[0-9]+ kB$' "$1")
	[ -z "$rest" ] || fail_because "$(basename "$1") has VMM messages: $(printf '%s' "$rest" | head -c 300 | tr '\n' '|')"
}
check_empty() {
	[ ! -s "$1" ] || fail_because "$(basename "$1") not empty: $(head -c 300 "$1" | tr '\n' '|')"
}
# check_lines FILE N: exactly N lines.
check_nr_lines() {
	local n
	n=$(wc -l <"$1")
	[ "$n" = "$2" ] || fail_because "$(basename "$1") has $n lines, expected $2: $(head -c 300 "$1" | tr '\n' '|')"
}
end() {
	if [ ${#T_ERRS[@]} -eq 0 ]; then ok "$T_NAME"; else not_ok "$T_NAME" "${T_ERRS[@]}"; fi
}

# The guest's sanitized map: BIOS-e820 lines plus the usable-RAM line.
guest_e820() { grep -E '^(BIOS-e820: |e820: usable RAM: )' "$1"; }
