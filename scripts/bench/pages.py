#!/usr/bin/env python3
"""Where a running lookout's resident memory is (README, "Performance"; scripts/bench/memory.sh runs it with PAGES=1).

    pages.py PID BINARY [LINK_MAP SECTION_ORDER]

BINARY is the running binary or one with the same layout and a symbol table (the release build before strip). Prints
the binary's resident pages by ELF section and its resident code by Swift module or library, then the process' other
mappings. With the release link's map (-Map) and its section order, the resident code pages are split into those that
hold an ordered section, those in an object's plain .text (code the link cannot reorder: the static Swift runtime's
internal functions) and the rest. Reading /proc/PID/pagemap needs root."""
import bisect
import collections
import os
import re
import struct
import subprocess
import sys

pid, binary = sys.argv[1], sys.argv[2]
real = os.path.realpath(f"/proc/{pid}/exe")
page = 4096
maps = []
for line in open(f"/proc/{pid}/maps"):
    parts = line.split()
    if len(parts) >= 6 and parts[5] == real:
        lo, hi = (int(x, 16) for x in parts[0].split("-"))
        maps.append((lo, hi, int(parts[2], 16), parts[1]))
if not maps:
    raise SystemExit(f"pages.py: process {pid} maps no {real}")
base = min(lo - offset for lo, _, offset, _ in maps)
present = []  # (address in the binary, permissions) of each resident page
with open(f"/proc/{pid}/pagemap", "rb") as pagemap:
    for lo, hi, _, perm in maps:
        pagemap.seek(lo // page * 8)
        data = pagemap.read((hi - lo) // page * 8)
        for i in range((hi - lo) // page):
            if struct.unpack_from("<Q", data, i * 8)[0] >> 63:
                present.append((lo + i * page - base, perm))

sections = []
for line in subprocess.run(["readelf", "-SW", binary], capture_output=True, text=True, check=True).stdout.splitlines():
    m = re.match(r"\s*\[\s*\d+\]\s+(\S+)\s+\S+\s+([0-9a-f]+)\s+[0-9a-f]+\s+([0-9a-f]+)", line)
    if m and int(m.group(2), 16):
        sections.append((int(m.group(2), 16), int(m.group(3), 16), m.group(1)))
by_section = collections.Counter()
for address, perm in present:
    names = [name for start, size, name in sections if start < address + page and start + size > address]
    by_section[",".join(names[:2]) + (" (writable mapping)" if "w" in perm else "")] += 4
print(f"resident pages of the binary: {len(present) * 4} KB")
for name, kb in by_section.most_common(12):
    print(f"  {kb:7d} KB  {name}")

text = next(((start, size) for start, size, name in sections if name == ".text"), None)
if text is None:
    raise SystemExit("pages.py: no .text section")
in_text = [address for address, _ in present if text[0] <= address < text[0] + text[1]]


def module(symbol):
    m = re.match(r"\$s(\d+)", symbol)
    if m:
        return symbol[2 + len(m.group(1)):2 + len(m.group(1)) + int(m.group(1))]
    if symbol.startswith("$s"):
        return "(Swift standard library)"
    if symbol.startswith(("swift", "_swift", "__swift", "_ZN5swift")):
        return "(Swift runtime)"
    return "(C and C++)"


symbols = []
for line in subprocess.run(["nm", "-n", "--defined-only", binary], capture_output=True, text=True).stdout.splitlines():
    parts = line.split(" ", 2)
    if len(parts) == 3 and parts[1] in "tTwW":
        symbols.append((int(parts[0], 16), parts[2]))
if symbols:
    addresses = [a for a, _ in symbols]
    by_module = collections.Counter()
    for address in in_text:
        j = max(bisect.bisect_right(addresses, address) - 1, 0)
        modules = set()
        while j < len(symbols) and symbols[j][0] < address + page:
            modules.add(module(symbols[j][1]))
            j += 1
        for name in modules:
            by_module[name] += 4 / len(modules)
    print("resident code by module (a page shared by modules is split among them):")
    for name, kb in by_module.most_common(15):
        print(f"  {kb:7.0f} KB  {name}")

if len(sys.argv) > 4:
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "release"))
    from linkmap import text_sections

    inputs = text_sections(sys.argv[3])
    starts = [s[0] for s in inputs]
    ordered = set(line.strip() for line in open(sys.argv[4]))
    kinds = collections.Counter()
    for address in in_text:
        i = bisect.bisect_right(starts, address + page - 1) - 1
        here = []
        while i >= 0 and inputs[i][0] + inputs[i][1] > address:
            here.append(inputs[i])
            i -= 1
        if any(name in ordered or name.startswith(".text..L") for _, _, name, _ in here):
            kinds["a page with an ordered section"] += 4
        elif any(name == ".text" for _, _, name, _ in here):
            kinds["plain .text of " + next(f.split("/")[-1] for _, _, name, f in here if name == ".text")] += 4
        else:
            kinds["function sections not in the order"] += 4
    print("resident code by what the link could order:")
    for name, kb in kinds.most_common(10):
        print(f"  {kb:7d} KB  {name}")

print("the process' largest other mappings (Rss, Pss, anonymous; KB):")
rows, current = [], None
for line in open(f"/proc/{pid}/smaps"):
    if re.match(r"^[0-9a-f]+-[0-9a-f]+ ", line):
        parts = line.split()
        current = {"name": parts[5] if len(parts) > 5 else "[anon]", "perm": parts[1]}
        rows.append(current)
    elif current is not None and ":" in line:
        key, value = line.split(":", 1)
        if key in ("Rss", "Pss", "Anonymous"):
            current[key] = int(value.split()[0])
for row in sorted((r for r in rows if r["name"] != real), key=lambda r: -r.get("Pss", 0))[:8]:
    print(f"  {row.get('Rss', 0):6d} {row.get('Pss', 0):6d} {row.get('Anonymous', 0):6d}  {row['perm']} {row['name']}")
