# SPDX-License-Identifier: MIT
"""Statistics of a PNG that headless Chromium rendered, for the tests that check SVG output.

Usage: png_stats.py PNG [c0 c1 r0 r1] [--colour RRGGBB x0 y0 x1 y1]...
Prints: width height, the number of distinct colours, the fraction of pixels that are not white,
then (with c0 c1 r0 r1) how many rows in [r0, r1] have a violet pixel (the kink line's #7c3aed,
blended) in the columns [c0, c1], then for each --colour query how many pixels of the box
[x0, x1] x [y0, y1] are within 60 (per channel) of that colour. Decodes 8-bit RGB/RGBA PNGs
(no interlace) with zlib alone.
"""
import struct
import sys
import zlib

data = open(sys.argv[1], 'rb').read()
assert data[:8] == b'\x89PNG\r\n\x1a\n', 'not a PNG'
pos, idat, w, h, ctype = 8, b'', 0, 0, 0
while pos < len(data):
    n, kind = struct.unpack('>I4s', data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + n]
    if kind == b'IHDR':
        w, h, depth, ctype, _, _, interlace = struct.unpack('>IIBBBBB', body)
        assert depth == 8 and ctype in (2, 6) and interlace == 0, (depth, ctype, interlace)
    elif kind == b'IDAT':
        idat += body
    pos += 12 + n
bpp = 3 if ctype == 2 else 4
raw, stride, rows, prev = zlib.decompress(idat), w * bpp, [], bytearray(w * bpp)
for y in range(h):
    f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
    for i in range(stride):
        a = line[i - bpp] if i >= bpp else 0
        b, c = prev[i], prev[i - bpp] if i >= bpp else 0
        if f == 1: line[i] = (line[i] + a) & 255
        elif f == 2: line[i] = (line[i] + b) & 255
        elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    rows.append(line)
    prev = line
px = lambda x, y: tuple(rows[y][x * bpp:x * bpp + 3])
colours = {px(x, y) for y in range(h) for x in range(w)}
ink = sum(px(x, y) != (255, 255, 255) for y in range(h) for x in range(w)) / (w * h)
out = [w, h, len(colours), round(ink, 4)]
args = sys.argv[2:]
if args and args[0] != '--colour':
    c0, c1, r0, r1 = map(int, args[:4])
    args = args[4:]
    violet = 0
    for y in range(r0, r1 + 1):
        if any((lambda r, g, b: b > r > g + 15 and b > g + 40)(*px(x, y)) for x in range(c0, c1 + 1)):
            violet += 1
    out.append(violet)
while args:
    assert args[0] == '--colour' and len(args) >= 6, 'usage: --colour RRGGBB x0 y0 x1 y1'
    want = tuple(int(args[1][i:i + 2], 16) for i in (0, 2, 4))
    x0, y0, x1, y1 = (int(v) for v in args[2:6])
    args = args[6:]
    out.append(sum(max(abs(p - q) for p, q in zip(px(x, y), want)) <= 60
                   for y in range(max(y0, 0), min(y1, h - 1) + 1)
                   for x in range(max(x0, 0), min(x1, w - 1) + 1)))
print(*out)
