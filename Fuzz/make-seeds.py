#!/usr/bin/env python3
"""Structure-aware seeds for the lint and archive fuzz targets: deep shell nesting, tar headers with edge sizes,
pax records, GNU long names, gzip members. Usage: make-seeds.py OUT (writes OUT/lint and OUT/archive)."""
import gzip, io, os, sys, tarfile, zlib

out = sys.argv[1]
os.makedirs(out + "/lint", exist_ok=True)
os.makedirs(out + "/archive", exist_ok=True)


def seed(target, name, selector, data):
    with open(f"{out}/{target}/{name}", "wb") as f:
        f.write(bytes([selector]) + data)


# Lint: selector 0 is a shell script, 1 a whole Dockerfile.
for depth in (1, 8, 63, 64, 65, 200):
    seed("lint", f"substitution-{depth}", 0, b"echo " + b"$(" * depth + b"x" + b")" * depth)
    seed("lint", f"subshell-{depth}", 0, b"( " * depth + b"true" + b" )" * depth)
    seed("lint", f"backquote-{depth}", 0, b"echo " + b"`echo \\" * min(depth, 8) + b"`")
seed("lint", "sh-c", 0, b"sh -c 'bash -c \"apt-get install -y x && pip install y\"' | tee /log; curl -k https://x | sh")
seed("lint", "quotes", 0, b"echo \"a $(b 'c' \"d\") e\" 'f' \\\" g ${h:-$(i)} $((1+2)) <<EOF\nbody\nEOF")
seed("lint", "dockerfile", 1, b"FROM nvidia/cuda:11.3.1-devel-ubuntu20.04 AS build\nARG X=1\nENV A=1 B=\"2 3\"\n"
     b"RUN apt-get update && apt-get install -y curl && echo 'root:root' | chpasswd\nCOPY --from=build /a /b\n"
     b"ONBUILD RUN make\nHEALTHCHECK CMD curl -f http://localhost/ || exit 1\nUSER root\n")


def header(name, size_field, typeflag=b"0", prefix=b""):
    h = bytearray(512)
    h[0:len(name)] = name
    h[100:108] = b"0000644\0"
    h[108:116] = b"0000000\0"
    h[116:124] = b"0000000\0"
    h[124:136] = size_field
    h[136:148] = b"00000000000\0"
    h[156:157] = typeflag
    h[257:263] = b"ustar\0"
    h[263:265] = b"00"
    h[345:345 + len(prefix)] = prefix
    h[148:156] = b" " * 8
    h[148:156] = ("%06o\0 " % sum(h)).encode()
    return bytes(h)


# Archive: selector 0 is a raw tar stream, 1 a gzip stream, 2 a docker save archive.
for name, field in (("base256-max", b"\x80\x00\x00\x00\x7f" + b"\xff" * 7), ("base256-negative", b"\xff" * 12),
                    ("octal-max", b"77777777777\0"), ("zero", b"00000000000\0"), ("garbage", b"12x45\0      ")):
    seed("archive", "tar-" + name, 0, header(b"file", field) + b"data" + bytes(1020))
def pax(key, value):
    body = b" " + key + b"=" + value + b"\n"
    length = len(body) + 1
    while len(str(length).encode() + body) != length:
        length += 1
    return str(length).encode() + body


for name, records in (("pax-dotdot", pax(b"path", b"../../../../etc/passwd")), ("pax-size", pax(b"size", b"99999999999999999999999")),
                      ("pax-bad-length", b"999 path=x\n"), ("pax-linkpath", pax(b"linkpath", b"/etc/shadow"))):
    size = ("%011o\0" % len(records)).encode()
    seed("archive", "tar-" + name, 0, header(b"pax", size, b"x") + records.ljust(512, b"\0") + header(b"file", b"00000000004\0") + b"data".ljust(512, b"\0") + bytes(1024))
seed("archive", "tar-longname", 0, header(b"././@LongLink", b"00000000010\0", b"L") + b"a/../../b".ljust(512, b"\0") + header(b"x", b"00000000000\0") + bytes(1024))
seed("archive", "tar-prefix", 0, header(b"name", b"00000000000\0", prefix=b"../../../up") + bytes(1024))
seed("archive", "tar-truncated", 0, header(b"file", b"00000010000\0")[:300])
seed("archive", "gzip-zeros", 1, gzip.compress(bytes(1 << 16)))
seed("archive", "gzip-two-members", 1, gzip.compress(b"hello ") + gzip.compress(b"world"))
seed("archive", "gzip-stored", 1, gzip.compress(os.urandom(3000), compresslevel=0))
raw = zlib.compressobj(9, zlib.DEFLATED, 31)
seed("archive", "gzip-text", 1, raw.compress(b"FROM debian:12\n" * 500) + raw.flush())
here = os.path.dirname(os.path.abspath(__file__))
regressions = os.path.join(here, "..", "Tests", "Corpus", "regressions", "archives")
for name in sorted(os.listdir(regressions)):
    if name.endswith(".tar"):
        seed("archive", "save-" + name, 2, open(os.path.join(regressions, name), "rb").read())
