"""The input sections of the `.text` output section in a GNU gold or ld link map (-Map): (address, size, name, file)."""
import re


def text_sections(path):
    lines = open(path, errors="replace").read().split("\n")
    start = next((k for k, line in enumerate(lines) if line.startswith(".text ")), None)
    if start is None:
        raise SystemExit(f"{path}: no .text output section in the link map")
    out, pending = [], None
    for line in lines[start + 1:]:
        if line and not line.startswith(" "):
            break  # the next output section
        m = re.match(r"^ (\.text\S*)\s*$", line)
        if m:
            pending = m.group(1)  # a long name: address, size and file follow on the next line
            continue
        m = re.match(r"^ (\.text\S*)?\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+(\S+)", line)
        if m:
            name, pending = m.group(1) or pending, None
            if name and int(m.group(3), 16):
                out.append((int(m.group(2), 16), int(m.group(3), 16), name, m.group(4)))
    out.sort()
    return out
