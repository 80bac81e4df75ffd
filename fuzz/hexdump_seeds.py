#!/usr/bin/env python3
"""hexdump_seeds.py OUT_DIR FILE...: the PF_KEY messages of recorded hex dumps as seeds.

tests/golden/pfkey keeps the kernel's messages as `setkey -H` hex dumps (offset, colon,
bytes), not as binary; the PF_KEY fuzzers want bytes. Each dump that starts at offset 0
becomes one seed file, and every message of a file back to back one more (a dump stream
for the splitter).
"""
import pathlib
import re
import sys

LINE = re.compile(r"^([0-9a-f]{8}): ((?:[0-9a-f]{2} ?)+)")


def messages(text):
    current = None
    for line in text.splitlines():
        m = LINE.match(line)
        if not m:
            continue
        if int(m.group(1), 16) == 0:
            if current:
                yield bytes(current)
            current = bytearray()
        if current is not None:
            current += bytes.fromhex(m.group(2))
    if current:
        yield bytes(current)


def main():
    out = pathlib.Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    count = 0
    for name in sys.argv[2:]:
        found = list(messages(pathlib.Path(name).read_text(errors="replace")))
        stem = pathlib.Path(name).stem
        for i, message in enumerate(found):
            (out / f"{stem}-{i}.msg").write_bytes(message)
        if found:
            (out / f"{stem}-all.msgs").write_bytes(b"".join(found))
        count += len(found)
    print(f"{count} messages from {len(sys.argv) - 2} files into {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
