#!/usr/bin/env python3
"""Writes the hostile `docker save` archives the reverse regression tests read (run from this folder)."""
import gzip, hashlib, io, json, tarfile


def member(tar, name, data=b"", kind=tarfile.REGTYPE, link="", mode=0o644):
    info = tarfile.TarInfo(name)
    info.type, info.linkname, info.mode, info.size = kind, link, mode, len(data) if kind == tarfile.REGTYPE else 0
    tar.addfile(info, io.BytesIO(data) if kind == tarfile.REGTYPE else None)


def layer(build, fmt=tarfile.GNU_FORMAT):
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=fmt) as tar:
        build(tar)
    return out.getvalue()


def image(path, layer_bytes, created_by):
    config = json.dumps({
        "config": {"Cmd": ["sh"]},
        "rootfs": {"type": "layers", "diff_ids": ["sha256:" + hashlib.sha256(layer_bytes).hexdigest()]},
        "history": [{"created_by": created_by, "comment": "buildkit.dockerfile.v0"}],
    }).encode()
    manifest = json.dumps([{"Config": "config.json", "RepoTags": ["hostile:1"], "Layers": ["layer.tar"]}]).encode()
    with tarfile.open(path, "w", format=tarfile.USTAR_FORMAT) as tar:
        member(tar, "manifest.json", manifest)
        member(tar, "config.json", config)
        member(tar, "layer.tar", layer_bytes)


def escaping(tar):
    member(tar, "app/", kind=tarfile.DIRTYPE, mode=0o755)
    member(tar, "app/ok.txt", b"inside\n")
    member(tar, "app/../../../victim/x", b"escaped by ..\n")
    member(tar, "app/link", kind=tarfile.SYMTYPE, link="../../../victim")
    member(tar, "app/link/through-symlink", b"escaped through a symlink\n")
    member(tar, "/app/absolute", b"absolute name\n")
    member(tar, "app/hard", kind=tarfile.LNKTYPE, link="etc/shadow")
    member(tar, "app/device", kind=tarfile.CHRTYPE)
    member(tar, "app/fifo", kind=tarfile.FIFOTYPE)
    member(tar, "app/mode-changed", b"x", mode=0o4755)


def pax(tar):
    member(tar, "app/", kind=tarfile.DIRTYPE, mode=0o755)
    info = tarfile.TarInfo("app/" + "../" * 6 + "pax-victim" + "-" * 100)
    info.size = 3
    tar.addfile(info, io.BytesIO(b"pax"))


def root(tar):
    member(tar, "../escaped-from-root", b"root\n")
    member(tar, "etc/", kind=tarfile.DIRTYPE, mode=0o755)
    member(tar, "etc/lab.conf", b"ok\n")


image("escape.tar", layer(escaping), "COPY app /app # buildkit")
image("pax-escape.tar", layer(pax, tarfile.PAX_FORMAT), "COPY app /app # buildkit")
image("copy-to-root.tar", gzip.compress(layer(root), mtime=0), "COPY . / # buildkit")

# A base-256 size field of 2^63-1 in the first member: the reader must refuse it, not overflow.
header = bytearray(512)
header[0:9] = b"huge.bin\0"
header[100:108] = b"0000644\0"
header[108:116] = b"0000000\0"
header[116:124] = b"0000000\0"
header[124:136] = b"\x80\x00\x00\x00\x7f" + b"\xff" * 7
header[136:148] = b"00000000000\0"
header[156:157] = b"0"
header[257:263] = b"ustar\0"
header[263:265] = b"00"
header[148:156] = b" " * 8
header[148:156] = ("%06o\0 " % sum(header)).encode()
open("huge-size.tar", "wb").write(bytes(header) + bytes(1024))
