#!/usr/bin/env bash
# The VMM under ThreadSanitizer: its threads (the vCPU, the event loop of
# --control and --stats, the monitors' sampler and uffd resolvers) share
# counters, the memstat device and the pause state; TSan names any access
# to shared data that is not ordered by a lock or an atomic. The VMM is
# built here, into $OUT (the Makefile builds only ASan+UBSan), then runs a
# guest that idles with interrupts on while a client drives every command
# and --stats writes a record every 10 ms with all monitors on.
. "$(dirname "$0")/../lib.sh"
require_kvm_or_skip_all || exit 0
command -v python3 >/dev/null || { skip "ThreadSanitizer VMM" "python3 missing"; exit 0; }

TSAN_VMM=$OUT/vmm-tsan
SOCK=$OUT/tsan.sock
QMP=(python3 "$TOP/tests/tools/qmp.py" -n)
# TSan's own exit status for a report; halt at the first so the run is short.
export TSAN_OPTIONS="exitcode=66 halt_on_error=1 second_deadlock_stack=1"

# shellcheck disable=SC2046
if ! gcc -std=c11 -D_GNU_SOURCE -O1 -g -fsanitize=thread -fno-omit-frame-pointer \
	$(ls "$TOP"/vmm/*.c) -o "$TSAN_VMM" -lelf -ljansson -lpthread >"$OUT/tsan_build.err" 2>&1; then
	if grep -q "cannot find -ltsan\|libtsan" "$OUT/tsan_build.err"; then
		echo "# WARNING: no libtsan: the ThreadSanitizer run is SKIPPED"
		skip "ThreadSanitizer VMM" "libtsan missing"
		exit 0
	fi
	not_ok "ThreadSanitizer VMM builds" "$(head -5 "$OUT/tsan_build.err" | tr '\n' '|')"
	exit 0
fi

rm -f "$SOCK"
STDOUT_FILE=$OUT/tsan.out
STDERR_FILE=$OUT/tsan.err
"$TSAN_VMM" --control "$SOCK" --stats "$OUT/tsan.jsonl" --stats-interval 10 --monitor=all \
	--timeout 120 --cmdline "idle=0" "$GUEST" >"$STDOUT_FILE" 2>"$STDERR_FILE" </dev/null &
pid=$!
for _ in $(seq 400); do
	[ -S "$SOCK" ] && break
	kill -0 "$pid" 2>/dev/null || break
	sleep 0.05
done
# Until the guest idles (its driver at DRIVER_OK): TSan makes the boot slow.
for _ in $(seq 600); do
	grep -q '^idle: ' "$STDOUT_FILE" && break
	kill -0 "$pid" 2>/dev/null || break
	sleep 0.1
done
# Two clients at once, each with every command; the guest keeps printing meanwhile.
client() {
	"${QMP[@]}" "$SOCK" '{"execute": "qmp_capabilities"}' '{"execute": "query-stats"}' \
		'{"execute": "query-faults"}' '{"execute": "query-dimms"}' \
		'{"execute": "memstat-ping"}' \
		'{"execute": "memstat-set-period", "arguments": {"period-ms": 20}}' @sleep:0.5 \
		'{"execute": "stop"}' '{"execute": "query-stats"}' '{"execute": "cont"}' \
		'{"execute": "query-status"}' @sleep:0.3 '{"execute": "query-stats"}' \
		'{"execute": "memstat-set-period", "arguments": {"period-ms": 0}}' >"$OUT/tsan_$1.q" 2>&1
}
client a &
ca=$!
client b
wait $ca
"${QMP[@]}" "$SOCK" '{"execute": "qmp_capabilities"}' '{"execute": "quit"}' @eof >"$OUT/tsan_quit.q" 2>&1
for _ in $(seq 600); do
	kill -0 "$pid" 2>/dev/null || break
	sleep 0.1
done
kill -KILL "$pid" 2>/dev/null
wait "$pid"
RC=$?
begin "ThreadSanitizer VMM: control clients, --stats every 10 ms, all monitors, quit: no race"
check_rc 0
check_no_grep "$STDERR_FILE" 'ThreadSanitizer'
check_grep "$OUT/tsan_a.q" '"latency-ns"'
check_grep "$OUT/tsan_b.q" '"latency-ns"'
check_grep "$OUT/tsan_quit.q" '"event": "SHUTDOWN"'
end
