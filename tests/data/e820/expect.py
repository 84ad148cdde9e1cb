#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Expected guest output for the --e820-file fixtures in this directory.

Computed independently of the guest's sanitizer (guest/mm/e820_sanitize.c):
a brute-force model cuts the address space at every start and end of a
non-empty entry, takes for each piece the highest type of the entries
covering it, and glues neighbouring pieces of one type, except PRAM (12) and
soft reserved (0xefffffff), which Linux never merges. A table with more than
128 entries, or an entry whose end reaches 2^64, is rejected ("REJECT").

    expect.py FILE.e820...   print the expected output of each file
    expect.py --write        (re)write every NAME.expect next to NAME.e820
    expect.py --check        compare every NAME.expect with the model; exit 1
                             on any difference

The unit test tests/unit/test_guest_e820.c runs the real sanitizer on the
same fixtures and compares with the same .expect files.
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
MAX_ENTRIES = 128  # E820_MAX_ENTRIES in shared/e820.h
ADDR_LIMIT = 1 << 64
NEVER_MERGED = {12, 0xEFFFFFFF}
NAMES = {1: "usable", 2: "reserved", 3: "ACPI data", 4: "ACPI NVS", 5: "unusable",
         0xEFFFFFFF: "soft reserved"}
CLI_TYPES = {"usable": 1, "ram": 1, "reserved": 2, "acpi": 3, "nvs": 4, "unusable": 5,
             "pmem": 7, "pram": 12, "soft-reserved": 0xEFFFFFFF}
SUFFIX_SHIFT = {"k": 10, "m": 20, "g": 30, "t": 40}


class FixtureError(Exception):
    """A fixture line the VMM's --e820-file parser would refuse too."""


def number(tok, allow_suffix, where):
    """Decimal or 0x hex, sizes with an optional K/M/G/T suffix; below 2^64."""
    shift = 0
    if allow_suffix and tok[-1:].lower() in SUFFIX_SHIFT:
        shift = SUFFIX_SHIFT[tok[-1].lower()]
        tok = tok[:-1]
    try:
        if tok[:2].lower() == "0x":
            if not tok[2:] or not all(c in "0123456789abcdefABCDEF" for c in tok[2:]):
                raise ValueError
            value = int(tok[2:], 16)
        else:
            if not tok.isdigit():
                raise ValueError
            value = int(tok, 10)
    except ValueError:
        raise FixtureError(f"{where}: bad number '{tok}'") from None
    value <<= shift
    if value >= ADDR_LIMIT:
        raise FixtureError(f"{where}: '{tok}' does not fit in 64 bits")
    return value


def parse(path):
    """The (addr, size, type) entries of a fixture, in file order."""
    entries = []
    with open(path, encoding="ascii") as f:
        for lineno, line in enumerate(f, 1):
            where = f"{path}:{lineno}"
            fields = line.split("#", 1)[0].split()
            if not fields:
                continue
            if len(fields) != 3:
                raise FixtureError(f"{where}: want ADDR SIZE TYPE")
            addr = number(fields[0], False, where)
            size = number(fields[1], True, where)
            name = fields[2].lower()
            try:
                etype = CLI_TYPES[name] if name in CLI_TYPES else number(fields[2], False, where)
            except FixtureError:
                raise FixtureError(f"{where}: bad type '{fields[2]}'") from None
            if etype > 0xFFFFFFFF:
                raise FixtureError(f"{where}: type {etype} is not 32-bit")
            entries.append((addr, size, etype))
    if not entries:
        raise FixtureError(f"{path}: no entries")
    return entries


def sanitize(entries):
    """The brute-force model; None when the table is rejected."""
    if len(entries) > MAX_ENTRIES:
        return None
    if any(size and addr + size >= ADDR_LIMIT for addr, size, _ in entries):
        return None
    live = [(addr, addr + size, etype) for addr, size, etype in entries if size]
    cuts = sorted({a for a, _, _ in live} | {e for _, e, _ in live})
    out = []  # [start, end, type]
    for lo, hi in zip(cuts, cuts[1:]):
        etype = max([t for a, e, t in live if a <= lo and hi <= e], default=0)
        if not etype:
            continue
        if out and out[-1][2] == etype and out[-1][1] == lo and etype not in NEVER_MERGED:
            out[-1][1] = hi
        else:
            out.append([lo, hi, etype])
    return out


def type_name(etype):
    """Linux's e820_print_type() names."""
    if etype in NAMES:
        return NAMES[etype]
    if etype in (7, 12):
        return f"persistent (type {etype})"
    return f"type {etype}"


def render(table):
    """What the guest prints: e820 lines with an inclusive end, then the usable total."""
    if table is None:
        return "REJECT\n"
    lines = [f"BIOS-e820: [mem 0x{lo:016x}-0x{hi - 1:016x}] {type_name(t)}"
             for lo, hi, t in table]
    usable = [hi - lo for lo, hi, t in table if t == 1]
    total = sum(usable)
    lines.append(f"e820: usable RAM: {total} bytes ({total // 1024} KiB) in {len(usable)} ranges")
    return "\n".join(lines) + "\n"


def fixtures():
    """Every NAME.e820 of this directory, sorted."""
    return sorted(os.path.join(HERE, n) for n in os.listdir(HERE) if n.endswith(".e820"))


def main(argv):
    if argv in (["--write"], ["--check"]):
        bad = 0
        for path in fixtures():
            try:
                want = render(sanitize(parse(path)))
            except FixtureError as e:
                print(e, file=sys.stderr)
                bad += 1
                continue
            expect = path[:-len(".e820")] + ".expect"
            if argv[0] == "--write":
                with open(expect, "w", encoding="ascii") as f:
                    f.write(want)
                continue
            try:
                with open(expect, encoding="ascii") as f:
                    have = f.read()
            except OSError as e:
                print(f"{expect}: {e.strerror}", file=sys.stderr)
                bad += 1
                continue
            if have != want:
                print(f"{expect}: differs from the model's output for {path}", file=sys.stderr)
                bad += 1
        if argv[0] == "--check":
            print(f"{len(fixtures()) - bad} fixtures agree with the model, {bad} differ")
        return 1 if bad else 0
    if not argv or argv[0].startswith("-"):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    for path in argv:
        sys.stdout.write(render(sanitize(parse(path))))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except FixtureError as e:
        print(e, file=sys.stderr)
        sys.exit(1)
