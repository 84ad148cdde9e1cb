#!/usr/bin/env bash
# The control socket (--control, a QMP-like protocol) and the statistics
# file (--stats), on a guest that spins (`spin`) so the VM lives as long as
# the test needs it: every command, capabilities negotiation, malformed and
# hostile input, several clients, stop/cont really stopping the vCPU, quit,
# the JSON Lines records, refused options; then the same protocol run under
# the ASan+UBSan VMM. Messages are compared as whole canonical JSON lines
# (tests/tools/qmp.py -n sorts keys and hides event timestamps).
. "$(dirname "$0")/../lib.sh"
require_kvm_or_skip_all || exit 0
command -v python3 >/dev/null || { skip "control socket tests" "python3 missing"; exit 0; }

QMP=(python3 "$TOP/tests/tools/qmp.py" -n)
CHECK_STATS=(python3 "$TOP/tests/tools/check_stats.py")
SOCK=$OUT/control.sock
STATS=$OUT/control_stats.jsonl
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=99
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:exitcode=98

NEG='{"execute": "qmp_capabilities"}'
R_EMPTY='{"return": {}}'
generic() { printf '{"error": {"class": "GenericError", "desc": "%s"}}' "$1"; }
notfound() { printf '{"error": {"class": "CommandNotFound", "desc": "%s"}}' "$1"; }

# start_vmm NAME BINARY ARGS...: run the VMM in the background; wait for the socket.
start_vmm() {
	local name=$1 bin=$2
	shift 2
	rm -f "$SOCK"
	STDOUT_FILE=$OUT/$name.out
	STDERR_FILE=$OUT/$name.err
	# Not under timeout(1): it would deliver our SIGTERM twice (to the VMM and its group).
	"$bin" "$@" >"$STDOUT_FILE" 2>"$STDERR_FILE" </dev/null &
	VMM_PID=$!
	for _ in $(seq 200); do
		[ -S "$SOCK" ] && return 0
		kill -0 "$VMM_PID" 2>/dev/null || break
		sleep 0.05
	done
	echo "# the VMM did not create $SOCK: $(head -c 300 "$STDERR_FILE")"
	return 1
}

# wait_vmm: its exit status in RC; killed after 60 s (every run has a --timeout below that).
wait_vmm() {
	local i
	for i in $(seq 600); do
		kill -0 "$VMM_PID" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL "$VMM_PID" 2>/dev/null
	wait "$VMM_PID"
	RC=$?
}

# q NAME STEP...: one client session; its output in $Q_FILE.
q() {
	local name=$1
	shift
	Q_FILE=$OUT/control_$name.q
	"${QMP[@]}" "$SOCK" "$@" >"$Q_FILE" 2>&1
	Q_RC=$?
}

check_q_rc() {
	[ "$Q_RC" = 0 ] || fail_because "the client exited with $Q_RC: $(tail -2 "$Q_FILE" | tr '\n' '|')"
}

# wait_line FILE LINE: until FILE has LINE (a background client got there), 30 s at most.
wait_line() {
	for _ in $(seq 300); do
		grep -qxF -- "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

alive() {
	kill -0 "$VMM_PID" 2>/dev/null || fail_because "the VMM died (stderr: $(head -c 300 "$STDERR_FILE" | tr '\n' '|'))"
}

# jq-like: print python expression EXPR over the JSON on line N of FILE (r = that object).
jline() { python3 -c 'import json,sys; r=json.loads(open(sys.argv[1]).read().split("\n")[int(sys.argv[2])-1]); print(eval(sys.argv[3]))' "$@"; }

# ------------------------------------------------------------ refused options
for c in "--stats-interval 5 --stats $OUT/x.jsonl|invalid interval '5' for --stats-interval (milliseconds, 10 to 3600000)" \
	"--stats-interval 1e3 --stats $OUT/x.jsonl|invalid interval '1e3' for --stats-interval (milliseconds, 10 to 3600000)" \
	"--stats-interval 3600001 --stats $OUT/x.jsonl|invalid interval '3600001' for --stats-interval (milliseconds, 10 to 3600000)" \
	"--stats-interval 100|--stats-interval 100 needs --stats FILE" \
	"--stats $OUT/x.jsonl --stats $OUT/y.jsonl|option '--stats' given twice ('$OUT/x.jsonl', then '$OUT/y.jsonl')" \
	"--control $(printf 'x%.0s' $(seq 120))|--control path '$(printf 'x%.0s' $(seq 120))' is 120 bytes; a UNIX socket path holds at most 107"; do
	IFS='|' read -r args msg <<<"$c"
	# shellcheck disable=SC2086
	run_vmm control_bad_option $args "$GUEST"
	begin "usage: ${args:0:60}"
	check_rc 64
	check_nr_lines "$STDERR_FILE" 2
	check_line "$STDERR_FILE" "vmm: $msg"
	check_line "$STDERR_FILE" "Try 'vmm --help' for more information."
	end
done
# Refused when opened, before the VM starts: one line, exit 64.
for c in "--stats /|cannot open --stats file '/': Is a directory" \
	"--stats $OUT/no/such/dir/s.jsonl|cannot open --stats file '$OUT/no/such/dir/s.jsonl': No such file or directory" \
	"--control $GUEST|--control path '$GUEST' exists and is not a socket" \
	"--control $OUT/no/such/dir/c.sock|cannot create --control socket '$OUT/no/such/dir/c.sock': No such file or directory"; do
	IFS='|' read -r args msg <<<"$c"
	# shellcheck disable=SC2086
	run_vmm control_bad_path $args "$GUEST"
	begin "refused: ${args:0:60}"
	check_rc 64
	check_nr_lines "$STDERR_FILE" 1
	check_line "$STDERR_FILE" "vmm: $msg"
	end
done
run_vmm control_bad_empty --control "" "$GUEST"
begin "refused: an empty --control path"
check_rc 64
check_line "$STDERR_FILE" "vmm: empty path for --control"
end

# ------------------------------------------------------------ one long session
start_vmm control_main "$VMM" --control "$SOCK" --stats "$STATS" --stats-interval 50 \
	--timeout 120 --cmdline spin "$GUEST" || { not_ok "VMM with --control started"; exit 1; }

begin "the socket is created with mode 0600"
[ "$(stat -c %a "$SOCK")" = 600 ] || fail_because "mode $(stat -c %a "$SOCK")"
end

q greeting @close
begin "greeting: QMP's shape, our version, no capabilities"
check_line "$Q_FILE" '{"QMP": {"capabilities": [], "version": {"package": "memlab 0.1.0", "qemu": {"major": 0, "micro": 0, "minor": 1}}}}'
end

q negotiation '{"execute": "query-status"}' '{"execute": "no-such"}' \
	'{"execute": "qmp_capabilities", "arguments": {"enable": 5}}' \
	'{"execute": "qmp_capabilities", "arguments": {"enable": [3]}}' \
	'{"execute": "qmp_capabilities", "arguments": {"enable": ["oob"]}}' \
	'{"execute": "qmp_capabilities", "arguments": {"enable": ["foo"]}}' \
	'{"execute": "qmp_capabilities", "arguments": {"other": 1}}' \
	'{"execute": "qmp_capabilities", "arguments": {"enable": []}, "id": "n1"}' \
	"$NEG" '{"execute": "qmp_capabilities", "id": {"a": [1]}}' '{"execute": "query-status"}'
begin "capabilities negotiation is required first and happens once, as in QMP"
check_q_rc
mapfile -t L <"$Q_FILE"
want=("$(notfound "Expecting capabilities negotiation with 'qmp_capabilities'")"
	"$(notfound "Expecting capabilities negotiation with 'qmp_capabilities'")"
	"$(generic "Invalid parameter type for 'enable', expected: array")"
	"$(generic "Invalid parameter type for 'enable[0]', expected: string")"
	"$(generic "Capability 'oob' not available")"
	"$(generic "Parameter 'enable[0]' does not accept value 'foo'")"
	"$(generic "Parameter 'other' is unexpected")"
	'{"id": "n1", "return": {}}'
	'{"error": {"class": "CommandNotFound", "desc": "Capabilities negotiation is already complete, command ignored"}}'
	'{"error": {"class": "CommandNotFound", "desc": "Capabilities negotiation is already complete, command ignored"}, "id": {"a": [1]}}'
	'{"return": {"running": true, "status": "running"}}')
for i in "${!want[@]}"; do
	[ "${L[$((i + 1))]}" = "${want[$i]}" ] || fail_because "reply $((i + 1)): '${L[$((i + 1))]}', expected '${want[$i]}'"
done
[ ${#L[@]} -eq $((${#want[@]} + 1)) ] || fail_because "${#L[@]} lines, expected $((${#want[@]} + 1))"
end

q commands "$NEG" '{"execute": "query-commands"}'
begin "query-commands lists every command"
check_line "$Q_FILE" '{"return": [{"name": "qmp_capabilities"}, {"name": "query-commands"}, {"name": "query-status"}, {"name": "query-stats"}, {"name": "query-faults"}, {"name": "query-dimms"}, {"name": "stop"}, {"name": "cont"}, {"name": "quit"}, {"name": "memstat-set-period"}, {"name": "memstat-ping"}]}'
end

q bad_input "$NEG" '{bad json' '5' '"execute"' '[{"execute": "stop"}]' '{"foo": 1}' '{"execute": 5}' \
	'{"execute": "stop", "arguments": []}' '{"execute": "stop", "arguments": {"x": 1}}' \
	'{"execute": "query-stats", "bar": 1}' '{"execute": "no-such", "id": 7}' \
	'{"execute": "stop", "execute": "cont"}' '{"execute": "query-status"} {"execute": "quit"}' \
	'@raw: \t \n' '{"execute": "query-status", "id": "still here"}'
begin "malformed messages: QMP's errors, the id echoed, nothing executed"
check_q_rc
mapfile -t L <"$Q_FILE"
want=("$R_EMPTY"
	"$(generic "JSON parse error, string or '}' expected near 'bad' (at byte 4)")"
	"$(generic "QMP input must be a JSON object")"
	"$(generic "QMP input must be a JSON object")"
	"$(generic "QMP input must be a JSON object")"
	"$(generic "QMP input member 'foo' is unexpected")"
	"$(generic "QMP input member 'execute' must be a string")"
	"$(generic "QMP input member 'arguments' must be an object")"
	"$(generic "Parameter 'x' is unexpected")"
	"$(generic "QMP input member 'bar' is unexpected")"
	'{"error": {"class": "CommandNotFound", "desc": "The command no-such has not been found"}, "id": 7}'
	"$(generic "JSON parse error, duplicate object key near '\\\"execute\\\"' (at byte 29)")"
	"$(generic "JSON parse error, end of file expected near '{' (at byte 29)")"
	'{"id": "still here", "return": {"running": true, "status": "running"}}')
for i in "${!want[@]}"; do
	[ "${L[$((i + 1))]}" = "${want[$i]}" ] || fail_because "reply $((i + 1)): '${L[$((i + 1))]}', expected '${want[$i]}'"
done
[ ${#L[@]} -eq $((${#want[@]} + 1)) ] || fail_because "${#L[@]} lines, expected $((${#want[@]} + 1)) (a blank line gets no reply)"
alive
end

deep=$(printf '[%.0s' $(seq 5000))
q hostile_json "$NEG" "$deep" '@raw:{"execute": "query-status", "id": "\xff\xfe"}\n' @reply \
	'@raw:{"execute": "query-\x00status"}\n' @reply '{"execute": "query-status"}'
begin "hostile JSON: 5000-deep nesting, invalid UTF-8, a NUL byte: errors, then business as usual"
check_q_rc
check_count "$Q_FILE" '"class": "GenericError", "desc": "JSON parse error' 3
check_line "$Q_FILE" '{"return": {"running": true, "status": "running"}}'
alive
end

q huge "$NEG" @bytes:65537:x @eof
begin "65537 bytes without a newline (one too many): an error, then the connection is closed"
check_line "$Q_FILE" "$(generic "message longer than 65536 bytes without a newline: closing the connection")"
check_line "$Q_FILE" EOF
check_grep "$STDERR_FILE" '^vmm: control: client [0-9]+ sent more than 65536 bytes without a newline: closing it$'
alive
end

# Exactly 65536 bytes before the newline: the longest message accepted.
long_id=$(printf 'y%.0s' $(seq $((65536 - 37))))
q long_ok "$NEG" "{\"execute\": \"query-status\", \"id\": \"$long_id\"}"
begin "a message of exactly 64 KiB is answered, its id echoed whole"
check_line "$Q_FILE" "{\"id\": \"$long_id\", \"return\": {\"running\": true, \"status\": \"running\"}}"
end

q dimms "$NEG" '{"execute": "query-dimms"}' '{"execute": "query-faults"}'
begin "query-dimms: the default layout's two DIMMs; query-faults without --monitor: an error"
check_line "$Q_FILE" '{"return": [{"gpa": 0, "pages": 786432, "size": 3221225472, "slot": 0}, {"gpa": 4294967296, "pages": 262144, "size": 1073741824, "slot": 1}]}'
check_line "$Q_FILE" "$(generic "no monitor is running: start the VMM with --monitor=uffd (or kvm-stats, dirty, mmio)")"
end

# A second client, negotiated, watches the events a first one causes; a third, not negotiated, sees none.
"${QMP[@]}" "$SOCK" "$NEG" @event @event >"$OUT/control_watcher.q" 2>&1 &
watcher=$!
"${QMP[@]}" "$SOCK" @sleep:2 '{"execute": "query-status"}' >"$OUT/control_silent.q" 2>&1 &
silent=$!
wait_line "$OUT/control_watcher.q" "$R_EMPTY"
wait_line "$OUT/control_silent.q" "$(head -1 "$OUT/control_greeting.q")"
q pause "$NEG" '{"execute": "stop"}' '{"execute": "query-status"}' '{"execute": "stop"}' \
	'{"execute": "query-stats"}' @sleep:0.4 '{"execute": "query-stats"}' \
	'{"execute": "cont"}' '{"execute": "query-status"}' '{"execute": "cont"}' @sleep:0.3 \
	'{"execute": "query-stats"}'
wait $watcher
wait $silent
begin "stop: STOP event, then paused; a second stop is a no-op; cont: RESUME, running"
mapfile -t L <"$Q_FILE"
[ "${L[2]}" = '{"event": "STOP", "timestamp": "T"}' ] || fail_because "line 3: ${L[2]}"
[ "${L[3]}" = "$R_EMPTY" ] || fail_because "line 4: ${L[3]}"
[ "${L[4]}" = '{"return": {"running": false, "status": "paused"}}' ] || fail_because "line 5: ${L[4]}"
[ "${L[5]}" = "$R_EMPTY" ] || fail_because "line 6: ${L[5]} (second stop)"
[ "${L[8]}" = '{"event": "RESUME", "timestamp": "T"}' ] || fail_because "line 9: ${L[8]}"
[ "${L[9]}" = "$R_EMPTY" ] || fail_because "line 10: ${L[9]}"
[ "${L[10]}" = '{"return": {"running": true, "status": "running"}}' ] || fail_because "line 11: ${L[10]}"
[ "${L[11]}" = "$R_EMPTY" ] || fail_because "line 12: ${L[11]} (second cont)"
end

begin "while paused the vCPU is really stopped: no time in KVM_RUN, no exits, for 400 ms"
p1=$(jline "$Q_FILE" 7 'r["return"]["vmm"]["in_guest_ns"], r["return"]["vmm"]["exits"], r["return"]["status"]')
p2=$(jline "$Q_FILE" 8 'r["return"]["vmm"]["in_guest_ns"], r["return"]["vmm"]["exits"], r["return"]["status"]')
t1=$(jline "$Q_FILE" 7 'r["return"]["time"]["ms"]')
t2=$(jline "$Q_FILE" 8 'r["return"]["time"]["ms"]')
[ "$p1" = "$p2" ] || fail_because "paused: $p1 then $p2"
case "$p1" in *"'paused')") ;; *) fail_because "status in query-stats: $p1" ;; esac
[ $((t2 - t1)) -ge 350 ] || fail_because "the two queries were only $((t2 - t1)) ms apart"
end

begin "after cont the vCPU runs again: in_guest_ns grows by most of the 300 ms"
g2=$(jline "$Q_FILE" 8 'r["return"]["vmm"]["in_guest_ns"]')
g3=$(jline "$Q_FILE" 13 'r["return"]["vmm"]["in_guest_ns"]')
[ $((g3 - g2)) -ge 200000000 ] || fail_because "in_guest_ns grew by $((g3 - g2)) ns"
[ "$(jline "$Q_FILE" 13 'r["return"]["vmm"]["pauses"]')" = 1 ] || fail_because "pauses is not 1"
end

begin "a second, negotiated client gets STOP and RESUME; an unnegotiated one gets no event"
check_line "$OUT/control_watcher.q" '{"event": "STOP", "timestamp": "T"}'
check_line "$OUT/control_watcher.q" '{"event": "RESUME", "timestamp": "T"}'
check_no_grep "$OUT/control_silent.q" '"event"'
check_line "$OUT/control_silent.q" "$(notfound "Expecting capabilities negotiation with 'qmp_capabilities'")"
end

begin "the stats file shows the pause: records with status paused and a frozen in_guest_ns"
python3 - "$STATS" >"$OUT/control_pause_records.txt" <<'EOF' || fail_because "$(head -3 "$OUT/control_pause_records.txt" | tr '\n' '|')"
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
paused = [r for r in recs if r["status"] == "paused"]
assert len(paused) >= 4, f"{len(paused)} paused records"
assert len({r["vmm"]["in_guest_ns"] for r in paused}) == 1, "in_guest_ns moved while paused"
assert any(r["status"] == "running" for r in recs), "no running record"
EOF
end

# Disconnect mid-line and mid-command: nothing happens.
q midline "$NEG" '@raw:{"execute": "st' @close
q midcmd "$NEG" '@raw:{"execute": "stop"' @sleep:0.1 @close
q sigpipe "$NEG" '@raw:{"execute": "query-commands"}\n{"execute": "query-stats"}\n' @close
q after_disconnects "$NEG" '{"execute": "query-status"}'
begin "clients that leave mid-line, mid-command or before their replies change nothing"
check_line "$Q_FILE" '{"return": {"running": true, "status": "running"}}'
alive
end

# Too many clients: 16 stay connected, the 17th is refused, then a slot frees.
pids=()
for i in $(seq 16); do
	"${QMP[@]}" "$SOCK" "$NEG" @sleep:60 >"$OUT/control_many_$i.q" 2>&1 &
	pids+=($!)
done
# Python starts slowly on a loaded machine: wait until all 16 have negotiated.
for _ in $(seq 300); do
	[ "$(cat "$OUT"/control_many_*.q 2>/dev/null | grep -cxF "$R_EMPTY")" = 16 ] && break
	sleep 0.1
done
q seventeenth @eof
kill "${pids[@]}" 2>/dev/null
for p in "${pids[@]}"; do wait "$p"; done
q after_many "$NEG" '{"execute": "query-status"}'
begin "at most 16 clients: the 17th gets an error and is closed; later clients are served"
check_line "$OUT/control_seventeenth.q" "$(generic "too many clients: at most 16 at a time")"
check_line "$OUT/control_seventeenth.q" EOF
check_line "$Q_FILE" '{"return": {"running": true, "status": "running"}}'
for i in $(seq 16); do check_line "$OUT/control_many_$i.q" "$R_EMPTY"; done
end

# A client that never reads its replies is dropped when 4 MiB pile up.
q noread "$NEG" '@noread:30000:{"execute": "query-commands"}' @sleep:2 @close
q after_noread "$NEG" '{"execute": "query-status"}'
begin "a client that never reads is dropped at 4 MiB of unread output; others are served"
check_grep "$STDERR_FILE" '^vmm: control: client [0-9]+ dropped: it does not read its replies \(output buffer full\)$'
check_line "$Q_FILE" '{"return": {"running": true, "status": "running"}}'
alive
end

q quit "$NEG" '{"execute": "quit", "id": "bye"}' @eof
wait_vmm
begin "quit: the reply, SHUTDOWN (host-qmp-quit), the connection closed, exit 0"
check_rc 0
mapfile -t L <"$Q_FILE"
[ "${L[2]}" = '{"id": "bye", "return": {}}' ] || fail_because "line 3: ${L[2]}"
[ "${L[3]}" = '{"data": {"exit_status": 0, "guest": false, "reason": "host-qmp-quit"}, "event": "SHUTDOWN", "timestamp": "T"}' ] || fail_because "line 4: ${L[3]}"
[ "${L[4]}" = EOF ] || fail_because "line 5: ${L[4]}"
check_line "$STDERR_FILE" "vmm: quit requested on the control socket"
check_count "$STDERR_FILE" '^vmm: control: ' 2
[ ! -e "$SOCK" ] || fail_because "the socket file is still there"
end

begin "--stats: valid JSON Lines, seq 0..N-1, one final record naming host-qmp-quit"
"${CHECK_STATS[@]}" "$STATS" 20 host-qmp-quit 0 >"$OUT/control_stats_check.txt" ||
	fail_because "$(head -5 "$OUT/control_stats_check.txt" | tr '\n' '|')"
python3 -m json.tool --json-lines "$STATS" >/dev/null 2>&1 || fail_because "python3 -m json.tool --json-lines refuses it"
end

# ------------------------------------------------------------ --stats without --control
rm -f "$OUT/control_stats_exit.jsonl"
run_vmm control_stats_exit --stats "$OUT/control_stats_exit.jsonl" --stats-interval 10 \
	--cmdline "exit=5" "$GUEST"
begin "--stats with a guest that exits 5: records every 10 ms, the final one says guest-shutdown"
check_rc 5
"${CHECK_STATS[@]}" "$OUT/control_stats_exit.jsonl" 3 guest-shutdown 5 >"$OUT/control_stats_exit.txt" ||
	fail_because "$(head -5 "$OUT/control_stats_exit.txt" | tr '\n' '|')"
n=$(wc -l <"$OUT/control_stats_exit.jsonl")
ms=$(tail -1 "$OUT/control_stats_exit.jsonl" | python3 -c 'import json,sys; print(json.load(sys.stdin)["time"]["ms"])')
# At least a quarter of the records the run's length allows: a loaded
# machine delays timers and coalesces expirations (not a timing test; it
# catches an interval not applied, which gives ten or a hundred times fewer).
[ "$n" -ge $((ms / 10 / 4)) ] || fail_because "$n records in $ms ms at 10 ms"
# Nothing from the VMM but the memstat device's final meminfo.
grep '^vmm: ' "$STDERR_FILE" | grep -v '^vmm: memstat: final guest meminfo' >"$OUT/control_stats_exit.vmm" || true
check_empty "$OUT/control_stats_exit.vmm"
end

run_vmm control_stats_crash --stats "$OUT/control_stats_crash.jsonl" --cmdline "crash=triple" "$GUEST"
begin "--stats with a guest that triple-faults: a single final record, guest-panic, 72"
check_rc 72
"${CHECK_STATS[@]}" "$OUT/control_stats_crash.jsonl" 1 guest-panic 72 >"$OUT/control_stats_crash.txt" ||
	fail_because "$(head -5 "$OUT/control_stats_crash.txt" | tr '\n' '|')"
end

run_vmm control_stats_full --stats /dev/full --stats-interval 10 --cmdline "exit=0" "$GUEST"
begin "--stats on a full disk (/dev/full): one line, the guest runs to its end, then exit 70"
check_rc 70
check_count "$STDERR_FILE" '^vmm: writing --stats file' 1
check_line "$STDERR_FILE" "vmm: writing --stats file '/dev/full' failed at record 0: No space left on device; no more records"
check_line "$STDERR_FILE" "vmm: --stats file '/dev/full': records were lost (see above)"
check_line "$STDOUT_FILE" 'Boot complete: exiting with code 0'
end

# ------------------------------------------------------------ with the host monitors
start_vmm control_monitor "$VMM" --control "$SOCK" --monitor=uffd,kvm-stats --timeout 60 \
	--cmdline spin "$GUEST"
q monitor "$NEG" '{"execute": "query-dimms"}' '{"execute": "query-faults"}' \
	'{"execute": "query-stats"}' '{"execute": "quit"}'
wait_vmm
begin "with --monitor=uffd: query-dimms counts touched pages, query-faults and query-stats carry the monitors"
check_rc 0
python3 - "$Q_FILE" >"$OUT/control_monitor.txt" <<'EOF2' || fail_because "$(head -3 "$OUT/control_monitor.txt" | tr '\n' '|')"
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
dimms, faults, stats = lines[2]["return"], lines[3]["return"], lines[4]["return"]
assert [d["slot"] for d in dimms] == [0, 1], dimms
assert dimms[0]["touched_pages"] > 0, dimms
assert all(0 <= d["touched_pages"] <= d["pages"] for d in dimms), dimms
assert faults["uffd"]["touched_pages"] >= dimms[0]["touched_pages"] + dimms[1]["touched_pages"], faults["uffd"]
assert "kvm_stats" in stats["monitors"] and "uffd" in stats["monitors"], stats.keys()
EOF2
end

# The guest idles with interrupts on (idle=0) and answers the refresh every query-stats
# asks for: while paused its published statistics and TSC stand still, after cont they move.
start_vmm control_idle "$VMM" --control "$SOCK" --timeout 60 --cmdline "idle=0" "$GUEST"
q idle "$NEG" '{"execute": "query-stats"}' @sleep:1 '{"execute": "query-stats"}' \
	'{"execute": "stop"}' '{"execute": "query-stats"}' @sleep:0.5 '{"execute": "query-stats"}' \
	'{"execute": "cont"}' @sleep:1 '{"execute": "query-stats"}' '{"execute": "quit"}'
wait_vmm
begin "stop freezes the guest itself: its published TSC and sequence stand still, and move after cont"
check_rc 0
python3 - "$Q_FILE" >"$OUT/control_idle.txt" <<'EOF2' || fail_because "$(head -3 "$OUT/control_idle.txt" | tr '\n' '|')"
import json, sys
recs = [r["return"] for r in map(json.loads, open(sys.argv[1]))
        if isinstance(r.get("return"), dict) and "seq" in r["return"]]
def fig(r):
    g = r["guest"]
    return (g["stats"]["seq"], g["stats"]["tsc"], g["counters"]["commands_acked"],
            r["vmm"]["in_guest_ns"], r["vmm"]["exits"])
a, b, c, d = fig(recs[1]), fig(recs[2]), fig(recs[3]), fig(recs[4])
assert recs[2]["status"] == recs[3]["status"] == "paused", [r["status"] for r in recs]
assert b == c, f"paused: {b} then {c}"
assert d[0] > c[0] and d[1] > c[1] and d[2] > c[2] and d[3] > c[3], f"after cont: {c} then {d}"
assert b[1] >= a[1], f"TSC went back: {a} then {b}"
EOF2
end

# ------------------------------------------------------------ memstat-ping, memstat-set-period
# The guest idles (interrupts on, HLT between them) under the default 1000 ms period; the
# host pings it, then sets the period to 50 ms, then 0, and counts the guest's publications
# (stats_updates) over one second at each: about 1, 20, 0 (plus the one refresh each
# query-stats asks for). The guest's own end-of-idle line counts the commands it served.
# wait_idle: until the guest idles (its driver is at DRIVER_OK by then), 30 s at most.
wait_idle() {
	for _ in $(seq 300); do
		grep -q '^idle: ' "$STDOUT_FILE" && return 0
		kill -0 "$VMM_PID" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}
start_vmm control_memstat "$VMM" --control "$SOCK" --timeout 60 --cmdline "idle=8000" "$GUEST"
wait_idle
SP() { printf '{"execute": "memstat-set-period", "arguments": {"period-ms": %s}}' "$1"; }
q memstat "$NEG" '{"execute": "memstat-ping", "id": "p1"}' '{"execute": "memstat-ping"}' \
	'{"execute": "query-stats"}' @sleep:1 '{"execute": "query-stats"}' \
	"$(SP 50)" '{"execute": "query-stats"}' @sleep:1 '{"execute": "query-stats"}' \
	"$(SP 0)" '{"execute": "query-stats"}' @sleep:1 '{"execute": "query-stats"}' \
	'{"execute": "memstat-set-period"}' "$(SP '"50"')" "$(SP -1)" "$(SP 3600001)" \
	'{"execute": "memstat-ping", "arguments": {"x": 1}}' \
	'{"execute": "stop"}' '{"execute": "memstat-ping"}' '{"execute": "cont"}' \
	'{"execute": "memstat-ping"}'
check_q_rc
wait_vmm # the guest ends its idle= and exits by itself, printing what it served
begin "memstat-ping and memstat-set-period reach the guest: acks, the publication rate follows"
check_rc 0
check_grep "$STDOUT_FILE" '^memstat: stats published at end of idle: .*, [0-9]+ commands \([0-9]+ refresh, 2 set-period, 4 ping, 0 rejected\)$'
check_line "$Q_FILE" "$(generic "Parameter 'period-ms' is missing")"
check_line "$Q_FILE" "$(generic "Invalid parameter type for 'period-ms', expected: integer")"
check_line "$Q_FILE" "$(generic "Parameter 'period-ms' expects a value from 0 to 3600000 (milliseconds), not -1")"
check_line "$Q_FILE" "$(generic "Parameter 'period-ms' expects a value from 0 to 3600000 (milliseconds), not 3600001")"
check_line "$Q_FILE" "$(generic "Parameter 'x' is unexpected")"
check_grep "$Q_FILE" '^\{"error": \{"class": "GenericError", "desc": "PING posted as command [0-9]+, but the vCPU is paused: the guest acknowledges it when it runs"\}\}$'
python3 - "$Q_FILE" >"$OUT/control_memstat.txt" <<'EOF2' || fail_because "$(head -3 "$OUT/control_memstat.txt" | tr '\n' '|')"
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
pings = [r for r in lines if isinstance(r.get("return"), dict) and "latency-ns" in r["return"]]
assert len(pings) == 3, pings
assert pings[0].get("id") == "p1", pings[0]
assert all(p["return"]["latency-ns"] > 0 and p["return"]["id"] > 0 for p in pings), pings
ids = [p["return"]["id"] for p in pings]
assert ids == sorted(set(ids)), ids
recs = [r["return"] for r in lines if isinstance(r.get("return"), dict) and "seq" in r["return"]]
assert len(recs) == 6, len(recs)
up = [r["guest"]["counters"]["stats_updates"] for r in recs]
period = [r["guest"]["stats_period_ms"] for r in recs]
d1000, d50, d0 = up[1] - up[0], up[3] - up[2], up[5] - up[4]
assert period == [1000, 1000, 50, 50, 0, 0], period
assert d1000 <= 4, f"1000 ms period: {d1000} publications in 1 s ({up})"
assert d50 >= 8, f"50 ms period: only {d50} publications in 1 s ({up})"
assert d0 <= 2, f"period 0: {d0} publications in 1 s ({up})"
g = recs[-1]["guest"]["counters"]
assert g["commands_nacked"] == 0 and g["commands_outstanding"] == 0, g
EOF2
end

# A guest without an APIC (nolapic) takes no PERIODIC: it refuses SET_PERIOD (-EINVAL),
# still answers PING (polled by its idle loop); with --no-memstat there is no device.
start_vmm control_memstat_nolapic "$VMM" --control "$SOCK" --timeout 60 \
	--cmdline "nolapic idle=0" "$GUEST"
wait_idle
q memstat_nolapic "$NEG" '{"execute": "memstat-ping"}' "$(SP 100)" '{"execute": "quit"}'
check_q_rc
wait_vmm
begin "memstat-set-period on a guest without a timer: the guest's refusal is the reply"
check_rc 0
check_grep "$Q_FILE" '^\{"return": \{"id": [0-9]+, "latency-ns": [0-9]+\}\}$'
check_grep "$Q_FILE" '^\{"error": \{"class": "GenericError", "desc": "the guest refused SET_PERIOD 100 ms \(command [0-9]+\): error -22"\}\}$'
end
start_vmm control_memstat_none "$VMM" --control "$SOCK" --timeout 60 --no-memstat \
	--cmdline "idle=0" "$GUEST"
wait_idle
q memstat_none "$NEG" '{"execute": "memstat-ping"}' "$(SP 100)" '{"execute": "quit"}'
wait_vmm
begin "memstat commands with --no-memstat: one clear error each"
check_rc 0
check_count "$Q_FILE" 'no memstat device \(the VMM runs with --no-memstat or --e820-file\)"' 2
end

# ------------------------------------------------------------ stale socket, socket in use
rm -f "$SOCK"
python3 -c 'import socket,sys; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])' "$SOCK"
start_vmm control_stale "$VMM" --control "$SOCK" --timeout 30 --cmdline spin "$GUEST"
run_vmm control_in_use --control "$SOCK" "$GUEST"
begin "a second VMM on a socket in use is refused; the first is not disturbed"
check_rc 64
check_line "$STDERR_FILE" "vmm: --control path '$SOCK' is a socket another process listens on"
end
STDERR_FILE=$OUT/control_stale.err

# ------------------------------------------------------------ the watchdog and signals while paused
q stale "$NEG" '{"execute": "stop"}'
kill -TERM "$VMM_PID"
wait_vmm
begin "a stale socket file is replaced; SIGTERM while paused stops the VMM with 143"
check_line "$Q_FILE" "$R_EMPTY"
check_rc 143
check_line "$STDERR_FILE" "vmm: stopped by signal 15 (Terminated)"
[ ! -e "$SOCK" ] || fail_because "the socket file is still there"
end

start_vmm control_timeout "$VMM" --control "$SOCK" --timeout 5 --cmdline spin "$GUEST"
q timeout "$NEG" '{"execute": "stop"}' @eof
wait_vmm
begin "--timeout fires while the vCPU is paused: exit 124, SHUTDOWN host-signal"
check_rc 124
check_line "$Q_FILE" '{"event": "STOP", "timestamp": "T"}'
check_grep "$STDERR_FILE" '^vmm: timeout: guest still running after 5000 ms, stopped$'
check_line "$Q_FILE" '{"data": {"exit_status": 124, "guest": false, "reason": "host-signal"}, "event": "SHUTDOWN", "timestamp": "T"}'
end

# ------------------------------------------------------------ under ASan+UBSan
# Out of file descriptors: 20 clients at once against a VMM limited to 18
# descriptors. The ones it cannot take are shed (accepted and closed) rather
# than left pending, which would spin the loop; one line says so, and the
# socket works again once clients leave.
(ulimit -n 18 && exec "$VMM" --control "$SOCK" --timeout 30 --cmdline spin "$GUEST" \
	>"$OUT/control_emfile.out" 2>"$OUT/control_emfile.err" </dev/null) &
VMM_PID=$!
STDERR_FILE=$OUT/control_emfile.err
for _ in $(seq 200); do [ -S "$SOCK" ] && break; sleep 0.05; done
python3 - "$SOCK" >"$OUT/control_emfile.py" 2>&1 <<'PY'
import socket, sys, time
path = sys.argv[1]
held = []
for _ in range(20):
    s = socket.socket(socket.AF_UNIX)
    s.connect(path)
    held.append(s)
time.sleep(1)
for s in held:
    s.close()
time.sleep(0.5)
s = socket.socket(socket.AF_UNIX)
s.settimeout(5)
s.connect(path)
print(s.recv(4096).decode().split("\n")[0][:9])
PY
begin "--control out of file descriptors: excess clients shed, one line, the socket works again"
check_line "$OUT/control_emfile.py" '{"QMP": {'
check_count "$STDERR_FILE" '^vmm: control: out of file descriptors' 1
alive
end
kill -TERM "$VMM_PID" 2>/dev/null
wait "$VMM_PID" 2>/dev/null

# valgrind on the threaded VMM: event loop, stats writer, control clients
# (one of them hostile), the memstat device and the kvm-stats/dirty
# monitors (valgrind has no userfaultfd), then quit: no errors, no leaks.
if command -v valgrind >/dev/null; then
	rm -f "$OUT/control_vg.jsonl"
	start_vmm control_vg valgrind -q --error-exitcode=99 --leak-check=full \
		--errors-for-leak-kinds=definite,indirect "$VMM" --control "$SOCK" \
		--stats "$OUT/control_vg.jsonl" --stats-interval 50 --monitor=kvm-stats,dirty,mmio \
		--timeout 60 --cmdline "idle=0" "$GUEST"
	for _ in $(seq 600); do grep -q '^memstat: DRIVER_OK' "$STDOUT_FILE" && break; sleep 0.1; done
	q vg_a "$NEG" '{"execute": "query-stats"}' '{"execute": "query-faults"}' \
		'{"execute": "query-dimms"}' '{"execute": "memstat-ping"}' '{"execute": "stop"}' \
		'{"execute": "cont"}' '{bad'
	q vg_mid "$NEG" '@raw:{"execute": "qu' @close
	q vg_quit "$NEG" '{"execute": "quit"}' @eof
	wait_vmm
	begin "valgrind: --control, --stats, monitors and the memstat device, then quit: no errors, no leaks"
	check_rc 0
	check_count "$OUT/control_vg_a.q" '"error"' 1
	check_count "$OUT/control_vg_a.q" '"return"' 7
	end
else
	skip "valgrind with --control" "valgrind not installed"
fi

SAN=$TOP/bin/vmm-san
if [ -x "$SAN" ]; then
	rm -f "$OUT/control_san.jsonl"
	start_vmm control_san "$SAN" --control "$SOCK" --stats "$OUT/control_san.jsonl" \
		--stats-interval 20 --timeout 120 --cmdline spin "$GUEST"
	"${QMP[@]}" "$SOCK" "$NEG" @event @event >"$OUT/control_san_watch.q" 2>&1 &
	watcher=$!
	wait_line "$OUT/control_san_watch.q" "$R_EMPTY"
	q san_a '{"execute": "query-status"}' "$NEG" '{bad' '[1]' "$deep" '{"execute": "x", "id": [1]}' \
		'{"execute": "query-stats"}' '{"execute": "query-dimms"}' '{"execute": "query-faults"}' \
		'{"execute": "query-commands"}' '{"execute": "stop"}' '{"execute": "query-stats"}' \
		'{"execute": "cont"}'
	q san_huge "$NEG" @bytes:70000:x @eof
	q san_mid "$NEG" '@raw:{"execute": "qu' @close
	q san_noread "$NEG" '@noread:30000:{"execute": "query-commands"}' @sleep:2 @close
	wait $watcher
	q san_quit "$NEG" '{"execute": "quit"}' @eof
	wait_vmm
	begin "ASan+UBSan VMM: the whole protocol, hostile clients, quit: exit 0, no report"
	check_rc 0
	check_no_grep "$STDERR_FILE" 'Sanitizer|runtime error|LeakSanitizer'
	check_count "$Q_FILE" '"event": "SHUTDOWN"' 1
	check_count "$OUT/control_san_a.q" '"error"' 6
	check_line "$OUT/control_san_watch.q" '{"event": "RESUME", "timestamp": "T"}'
	"${CHECK_STATS[@]}" "$OUT/control_san.jsonl" 5 host-qmp-quit 0 >"$OUT/control_san_stats.txt" ||
		fail_because "$(head -5 "$OUT/control_san_stats.txt" | tr '\n' '|')"
	end
else
	skip "ASan+UBSan VMM with --control" "bin/vmm-san not built (make test-build)"
fi
