#!/usr/bin/env python3
"""Convert scikit-learn's digits.csv.gz into arithsim's compact data/digits/digits.bin.

Standard library only. Run once from the repository root:

    pip download --no-deps --only-binary=:all: scikit-learn==1.9.1 -d /tmp/sk
    python3 scripts/convert_digits.py /tmp/sk/scikit_learn-1.9.1-*.whl data/digits/digits.bin

The first argument is either the wheel (the CSV is read from inside it) or the extracted
`sklearn/datasets/data/digits.csv.gz`. Each CSV row is 64 pixels (0..=16, row-major 8x8)
followed by the label (0..=9).

Byte layout of the output (all integers little-endian), 16 + 65 * N bytes:

    offset  size    field
    0       8       magic b"ARSDIGT1"
    8       4       N, number of images (u32) = 1797
    12      1       height = 8
    13      1       width = 8
    14      1       maximum pixel value = 16
    15      1       number of classes = 10
    16      64*N    pixels, one u8 each, image after image, row-major within an image
    16+64N  N       labels, one u8 each (0..=9), in image order

Images keep the order of the CSV.
"""

import gzip
import hashlib
import sys
import zipfile

CSV_IN_WHEEL = "sklearn/datasets/data/digits.csv.gz"
MAGIC = b"ARSDIGT1"
HEIGHT, WIDTH, MAX_PIXEL, CLASSES = 8, 8, 16, 10


def read_csv_gz(path):
    if path.endswith(".whl"):
        with zipfile.ZipFile(path) as z:
            raw = z.read(CSV_IN_WHEEL)
    else:
        with open(path, "rb") as f:
            raw = f.read()
    print(f"source sha256 {hashlib.sha256(raw).hexdigest()}  {CSV_IN_WHEEL}")
    return gzip.decompress(raw).decode("ascii")


def parse(text):
    pixels, labels = bytearray(), bytearray()
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        fields = [int(float(x)) for x in line.split(",")]
        if len(fields) != HEIGHT * WIDTH + 1:
            sys.exit(f"line {lineno}: {len(fields)} fields, expected {HEIGHT * WIDTH + 1}")
        *px, label = fields
        if any(p < 0 or p > MAX_PIXEL for p in px) or not 0 <= label < CLASSES:
            sys.exit(f"line {lineno}: value out of range")
        pixels.extend(px)
        labels.append(label)
    return pixels, labels


def main():
    if len(sys.argv) != 3:
        sys.exit(f"usage: {sys.argv[0]} WHEEL_OR_DIGITS_CSV_GZ OUT.bin")
    pixels, labels = parse(read_csv_gz(sys.argv[1]))
    n = len(labels)
    header = MAGIC + n.to_bytes(4, "little") + bytes([HEIGHT, WIDTH, MAX_PIXEL, CLASSES])
    out = header + bytes(pixels) + bytes(labels)
    with open(sys.argv[2], "wb") as f:
        f.write(out)
    counts = [labels.count(c) for c in range(CLASSES)]
    print(f"{n} images, per class {counts}, {len(out)} bytes")
    print(f"output sha256 {hashlib.sha256(out).hexdigest()}  {sys.argv[2]}")


if __name__ == "__main__":
    main()
