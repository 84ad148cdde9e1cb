#!/usr/bin/env bash
# QEMU as an outside witness of the guest's page tables. The guest boots
# under QEMU microvm with ptdump=kernel park=after-ptdump: it prints its
# dump, its own translation of the first and last page of every present
# range ("park: translate VA -> PA"), then parks (PAUSE loop, interrupts
# off). Through QMP (human-monitor-command) the test reads `info registers`,
# `info mem` and `info tlb`, quits QEMU, and compares:
#   - CR3 in `info registers` = the CR3 the guest printed when parking;
#   - `info mem` = the guest's present ranges, after merging neighbours with
#     the same user/write bits (info mem's only attributes);
#   - every `info tlb` leaf lies in a present range of the guest's dump with
#     the same NX, GLB, PCD, PWT, USR, RW and PSE bits, and the leaves cover
#     exactly the present bytes of the dump;
#   - `info tlb` translates each sampled VA to the PA the guest gave.
# What this does and does not check: docs/pagetable-dump.md.
. "$(dirname "$0")/../lib.sh"

if ! command -v qemu-system-x86_64 >/dev/null; then
	not_ok "qemu-system-x86_64 is installed (scripts/deps.sh test installs it)"
	exit 0
fi
if ! command -v python3 >/dev/null; then
	not_ok "python3 is installed (scripts/deps.sh test installs it)"
	exit 0
fi

PARK_WAIT_S=90 # a KVM boot under QEMU clears its memmap at about 117 ms/MiB here

# qmp SOCKET OUTPREFIX: info registers/mem/tlb into OUTPREFIX.{regs,mem,tlb}, then quit.
qmp() {
	python3 - "$1" "$2" <<'EOF'
import json, socket, sys

sock_path, prefix = sys.argv[1], sys.argv[2]
s = socket.socket(socket.AF_UNIX)
s.settimeout(60)
s.connect(sock_path)
f = s.makefile("rw")

def reply():
    while True:
        line = f.readline()
        if not line:
            sys.exit("qmp: QEMU closed the connection")
        msg = json.loads(line)
        if "return" in msg or "error" in msg:
            return msg

def execute(cmd, **args):
    f.write(json.dumps({"execute": cmd, "arguments": args} if args else {"execute": cmd}))
    f.write("\n")
    f.flush()
    msg = reply()
    if "error" in msg:
        sys.exit("qmp: %s: %s" % (cmd, msg["error"]))
    return msg["return"]

json.loads(f.readline())  # greeting
execute("qmp_capabilities")
for what, suffix in (("registers", "regs"), ("mem", "mem"), ("tlb", "tlb")):
    text = execute("human-monitor-command", **{"command-line": "info " + what})
    with open(prefix + "." + suffix, "w") as out:
        out.write(text.replace("\r\n", "\n"))
execute("quit")
EOF
}

# compare CONSOLE MEM TLB: the checks above; prints "CHECK: ok ..." or
# "CHECK: FAIL ..." lines, one per check (mem, tlb, translate).
compare() {
	python3 - "$@" <<'EOF'
import re, sys

console, mem_file, tlb_file = sys.argv[1:4]
TOP = 1 << 64
LEVEL_SIZE = {"pte": 1 << 12, "pmd": 1 << 21, "pud": 1 << 30, "pgd": 1 << 39}

# The guest's dump: range lines from "---[ User Space ]---" on.
ranges, translations = [], []
line_re = re.compile(r"^0x([0-9a-f]{16})-0x([0-9a-f]{16}) +[0-9]+[BKMGTPE] (.{30})(pte|pmd|pud|pgd)$")
tr_re = re.compile(r"^park: translate 0x([0-9a-f]{16}) -> 0x([0-9a-f]{16})$")
in_dump = False
for line in open(console, errors="replace"):
    line = line.rstrip("\n")
    if line == "---[ User Space ]---":
        in_dump = True
    m = line_re.match(line)
    if in_dump and m:
        start, end = int(m.group(1), 16), int(m.group(2), 16) or TOP
        flags, level = m.group(3), m.group(4)
        if flags[4] != " ":  # RW or ro: present
            ranges.append({
                "start": start, "end": end, "level": level,
                "U": flags[0:3] == "USR", "W": flags[4:6] == "RW",
                "PWT": flags[7:10] == "PWT", "PCD": flags[11:14] == "PCD",
                "PSE": flags[15:18] == "PSE", "GLB": flags[23:26] == "GLB",
                "NX": flags[27:29] == "NX"})
    m = tr_re.match(line)
    if m:
        translations.append((int(m.group(1), 16), int(m.group(2), 16)))

def report(name, errors, detail):
    if errors:
        print("CHECK: FAIL %s: %s" % (name, " | ".join(errors[:4])))
    else:
        print("CHECK: ok %s: %s" % (name, detail))

if not ranges:
    print("CHECK: FAIL dump: no present range in the guest's dump")
    sys.exit(0)

def canon_end(end):
    # info mem prints the end of the last range as the linear 1 << 48 (canonical form
    # of nothing): that is the top of the address space.
    return TOP if end == 1 << 48 else end

# info mem: "START-END SIZE urw"; compare with the guest's ranges merged on (U, W).
mem = []
for line in open(mem_file):
    m = re.match(r"^([0-9a-f]{16})-([0-9a-f]{16}) ([0-9a-f]{16}) ([u-])r([w-])$", line.strip())
    if m:
        mem.append((int(m.group(1), 16), canon_end(int(m.group(2), 16)),
                    m.group(4) == "u", m.group(5) == "w"))
merged = []
for r in ranges:
    if merged and merged[-1][1] == r["start"] and merged[-1][2:] == (r["U"], r["W"]):
        merged[-1] = (merged[-1][0], r["end"]) + merged[-1][2:]
    else:
        merged.append((r["start"], r["end"], r["U"], r["W"]))
errors = []
def fmt(t):
    return "0x%x-0x%x %s%s" % (t[0], t[1], "u" if t[2] else "-", "w" if t[3] else "-")
for i in range(max(len(merged), len(mem))):
    g = merged[i] if i < len(merged) else None
    q = mem[i] if i < len(mem) else None
    if g != q:
        errors.append("range %d: guest %s, info mem %s" % (i, fmt(g) if g else "none",
                                                          fmt(q) if q else "none"))
report("info mem", errors, "%d ranges (%d guest lines merged) identical" %
       (len(mem), len(ranges)))

# info tlb: "VA: PA XGPDACTUW" per leaf.
tlb = []
for line in open(tlb_file):
    m = re.match(r"^([0-9a-f]{16}): ([0-9a-f]{16}) ([X-])([G-])([P-])[D-][A-]([C-])([T-])([U-])([W-])$",
                 line.strip())
    if m:
        tlb.append((int(m.group(1), 16), int(m.group(2), 16), m.group(3) == "X",
                    m.group(4) == "G", m.group(5) == "P", m.group(6) == "C",
                    m.group(7) == "T", m.group(8) == "U", m.group(9) == "W"))

def range_of(va):
    for r in ranges:
        if r["start"] <= va < r["end"]:
            return r
    return None

errors, covered, pages = [], 0, {}
for va, pa, nx, g, p, c, t, u, w in tlb:
    r = range_of(va)
    if not r:
        errors.append("info tlb maps 0x%x, not present in the guest's dump" % va)
        continue
    size = LEVEL_SIZE[r["level"]]
    covered += size
    pages[va] = (pa, size)
    want = (r["NX"], r["GLB"], r["PSE"] if r["level"] != "pte" else False, r["PCD"],
            r["PWT"], r["U"], r["W"])
    if (nx, g, p, c, t, u, w) != want:
        errors.append("0x%x: info tlb NX,G,PSE,PCD,PWT,U,W %s, guest %s" %
                      (va, (nx, g, p, c, t, u, w), want))
present = sum(r["end"] - r["start"] for r in ranges)
if covered != present:
    errors.append("info tlb leaves cover %d bytes, the guest's present ranges %d" %
                  (covered, present))
report("info tlb", errors, "%d leaves, flags agree, %d bytes covered" % (len(tlb), covered))

# The guest's translations of the first and last page of each range.
errors = []
if len(translations) != 2 * len(ranges):
    errors.append("%d translate lines for %d present ranges" % (len(translations), len(ranges)))
for va, pa in translations:
    r = range_of(va)
    size = LEVEL_SIZE[r["level"]] if r else 1 << 12
    base = va & ~(size - 1)
    if base not in pages:
        errors.append("0x%x: no info tlb leaf" % va)
    elif pages[base][0] + (va - base) != pa:
        errors.append("0x%x: guest 0x%x, info tlb 0x%x" % (va, pa, pages[base][0] + va - base))
report("translate", errors, "%d sampled pages translate alike" % len(translations))
EOF
}

# run_case NAME ACCEL MEM APPEND: boot, park, read the monitor, quit, compare.
run_case() {
	local name=$1 accel=$2 mem=$3 append=$4 sock pid rc i out=$OUT/$1
	sock=$OUT/$name.qmp
	rm -f "$sock" "$out".out "$out".regs "$out".mem "$out".tlb
	timeout -k 5 $((PARK_WAIT_S + 60)) qemu-system-x86_64 -M microvm -accel "$accel" \
		-m "$mem" -smp 1 -nodefaults -no-user-config -nographic -no-reboot \
		-serial "file:$out.out" -device isa-debug-exit,iobase=0xf4,iosize=4 \
		-qmp "unix:$sock,server=on,wait=off" -kernel "$GUEST" -append "$append" \
		>"$out.qemu.out" 2>"$out.qemu.err" </dev/null &
	pid=$!
	for ((i = 0; i < PARK_WAIT_S * 5; i++)); do
		grep -q '^park: parked' "$out.out" 2>/dev/null && break
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.2
	done

	begin "QEMU $accel $name: the guest parks after its dump"
	check_grep "$out.out" '^park: parked at after-ptdump, cr3 0x[0-9a-f]{16}, spinning with interrupts off$'
	end

	begin "QEMU $accel $name: the monitor is read and quit ends QEMU"
	if grep -q '^park: parked' "$out.out" 2>/dev/null; then
		qmp "$sock" "$out" >"$out.qmp.log" 2>&1 ||
			fail_because "QMP failed: $(tail -c 300 "$out.qmp.log" | tr '\n' '|')"
	else
		fail_because "the guest did not park within $PARK_WAIT_S s"
		kill "$pid" 2>/dev/null
	fi
	wait "$pid"
	rc=$?
	# QEMU exits 0 on a monitor quit; 124 is timeout(1) giving up on it.
	[ "$rc" = 0 ] || fail_because "QEMU exit status $rc, expected 0 after quit"
	end

	begin "QEMU $accel $name: CR3 in info registers = the CR3 the guest parked with"
	local cr3
	cr3=$(sed -n 's/^park: parked at after-ptdump, cr3 0x\([0-9a-f]*\),.*/\1/p' "$out.out")
	check_grep "$out.regs" "CR3=$cr3 "
	end

	compare "$out.out" "$out.mem" "$out.tlb" >"$out.compare" 2>&1
	for what in "info mem" "info tlb" "translate"; do
		begin "QEMU $accel $name: $what agrees with the guest's dump"
		check_grep "$out.compare" "^CHECK: ok $what: "
		end
	done
	echo "# $name: $(grep '^CHECK: ' "$out.compare" | tr '\n' ' ')"
}

for accel in tcg kvm; do
	if [ "$accel" = kvm ] && ! have_kvm; then
		echo "# WARNING: /dev/kvm missing: QEMU -accel kvm runs SKIPPED" >&2
		skip "QEMU microvm -accel kvm ptdump cross-check" "/dev/kvm missing"
		continue
	fi
	run_case "ptdump_qemu_${accel}_512M" "$accel" 512M "ptdump=kernel park=after-ptdump"
	run_case "ptdump_qemu_${accel}_1G_lowmem256M" "$accel" 1G \
		"ptdump=kernel park=after-ptdump lowmem=256M"
done
