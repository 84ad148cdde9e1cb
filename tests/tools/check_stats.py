#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Check a --stats JSON Lines file (docs/control.md, "Statistics records").

    check_stats.py FILE MIN_RECORDS [FINAL_REASON [EXIT_STATUS]]

Every line must be one JSON object with the record's members and types;
"seq" must count 0, 1, 2, ...; "time.ms" must not go back; exactly one
record, the last, has "final": true, with "exit" naming FINAL_REASON and
EXIT_STATUS when given. Prints "ok N records" or one line per problem
(exit status 1).
"""
import json
import re
import sys

UTC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
STATUSES = {"not-started", "running", "paused", "finished"}
VMM_KEYS = ("exits", "console_bytes", "in_guest_ns", "pauses", "kicks")


def check(path, min_records, reason, status):
    problems = []
    with open(path, "rb") as f:
        data = f.read()
    if data and not data.endswith(b"\n"):
        problems.append("the file does not end with a newline (torn last line)")
    lines = data.split(b"\n")[:-1] if data else []
    last_ms = -1
    for i, raw in enumerate(lines):
        try:
            rec = json.loads(raw)
        except ValueError as e:
            problems.append(f"line {i + 1}: not JSON ({e})")
            continue
        if not isinstance(rec, dict):
            problems.append(f"line {i + 1}: not an object")
            continue
        if rec.get("seq") != i:
            problems.append(f"line {i + 1}: seq {rec.get('seq')!r}, expected {i}")
        final = rec.get("final")
        if final is not (i == len(lines) - 1):
            problems.append(f"line {i + 1}: final {final!r}")
        t = rec.get("time", {})
        ms = t.get("ms") if isinstance(t, dict) else None
        if not isinstance(ms, int) or ms < last_ms:
            problems.append(f"line {i + 1}: time.ms {ms!r} after {last_ms}")
        else:
            last_ms = ms
        if not isinstance(t, dict) or not UTC.match(str(t.get("utc"))):
            problems.append(f"line {i + 1}: time.utc {t!r} is not ISO 8601 UTC with ms")
        if rec.get("status") not in STATUSES:
            problems.append(f"line {i + 1}: status {rec.get('status')!r}")
        vmm = rec.get("vmm")
        if not isinstance(vmm, dict) or any(not isinstance(vmm.get(k), int) for k in VMM_KEYS):
            problems.append(f"line {i + 1}: vmm {vmm!r} lacks an integer of {VMM_KEYS}")
        if final is True:
            ex = rec.get("exit", {})
            if reason is not None and ex.get("reason") != reason:
                problems.append(f"final record: exit.reason {ex.get('reason')!r}, expected {reason!r}")
            if status is not None and ex.get("status") != status:
                problems.append(f"final record: exit.status {ex.get('status')!r}, expected {status}")
        elif "exit" in rec:
            problems.append(f"line {i + 1}: 'exit' in a record that is not final")
    if len(lines) < min_records:
        problems.append(f"{len(lines)} records, expected at least {min_records}")
    return problems, len(lines)


def main(argv):
    if len(argv) < 2:
        sys.exit(__doc__)
    reason = argv[2] if len(argv) > 2 else None
    status = int(argv[3]) if len(argv) > 3 else None
    problems, n = check(argv[0], int(argv[1]), reason, status)
    for p in problems:
        print(p)
    if not problems:
        print(f"ok {n} records")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
