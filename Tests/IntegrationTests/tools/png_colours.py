#!/usr/bin/env python3
"""Reads a PNG (8-bit RGB or RGBA, as rsvg-convert writes) and prints, as JSON, its size, how many distinct colours
it has, and for each colour given as #rrggbb how many pixels are within 24 of it on every channel. Standard library
only: the tests check that a picture lookout drew is not blank and has its theme's colours."""
import json
import struct
import sys
import zlib


def pixels(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise SystemExit("not a PNG")
    pos, idat, width, height, depth, kind = 8, b"", 0, 0, 0, 0
    while pos < len(data):
        length, tag = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if tag == b"IHDR":
            width, height, depth, kind, _, _, interlace = struct.unpack(">IIBBBBB", body)
            if depth != 8 or kind not in (2, 6) or interlace != 0:
                raise SystemExit(f"unsupported PNG: depth {depth}, colour type {kind}, interlace {interlace}")
        elif tag == b"IDAT":
            idat += body
        pos += 12 + length
    channels = 4 if kind == 6 else 3
    raw = zlib.decompress(idat)
    stride = width * channels
    rows, previous = [], bytearray(stride)
    for y in range(height):
        filter_type = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - channels] if i >= channels else 0
            b = previous[i]
            c = previous[i - channels] if i >= channels else 0
            if filter_type == 1:
                line[i] = (line[i] + a) & 255
            elif filter_type == 2:
                line[i] = (line[i] + b) & 255
            elif filter_type == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif filter_type == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else (b if pb <= pc else c))) & 255
        rows.append(line)
        previous = line
    return width, height, channels, rows


def main():
    width, height, channels, rows = pixels(sys.argv[1])
    wanted = {h: tuple(int(h[i:i + 2], 16) for i in (1, 3, 5)) for h in sys.argv[2:]}
    counts = {h: 0 for h in wanted}
    distinct = set()
    for line in rows:
        for x in range(0, width * channels, channels):
            rgb = (line[x], line[x + 1], line[x + 2])
            distinct.add(rgb)
            for h, target in wanted.items():
                if all(abs(p - q) <= 24 for p, q in zip(rgb, target)):
                    counts[h] += 1
    print(json.dumps({"width": width, "height": height, "colours": len(distinct), "matches": counts}))


main()
