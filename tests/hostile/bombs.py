"""Compression bombs: a small real page followed by hundreds of MiB of spaces, compressed.

A gzip or zlib bomb is assembled from one compressed MiB of padding repeated: after a full
flush (``Z_FULL_FLUSH``) deflate starts from an empty window, so every further MiB of the
same bytes compresses to the same block.  The checksums are computed over the whole
uncompressed stream, so a decoder that reads to the end finds a valid stream.  Brotli and
zstd bombs are compressed as a stream.  Results are cached per process.
"""

from __future__ import annotations

import struct
import zlib
from functools import cache

MIB = 1024 * 1024
PAD = b" " * MIB


def _deflate(prefix: bytes, mib: int) -> bytes:
    """A raw deflate stream (no header, no checksum) of ``prefix`` + ``mib`` MiB of spaces."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = c.compress(prefix) + c.flush(zlib.Z_FULL_FLUSH)
    first = c.compress(PAD) + c.flush(zlib.Z_FULL_FLUSH)
    block = c.compress(PAD) + c.flush(zlib.Z_FULL_FLUSH)
    if first != block:  # pragma: no cover - a zlib that does not restart after a full flush
        raise RuntimeError("deflate blocks differ after a full flush")
    return head + block * mib + c.flush()


def _checksum(prefix: bytes, mib: int, func) -> int:
    value = func(prefix)
    for _ in range(mib):
        value = func(PAD, value)
    return value


@cache
def gzip_bomb(prefix: bytes, mib: int) -> bytes:
    """A gzip member (RFC 1952) inflating to ``prefix`` + ``mib`` MiB of spaces."""
    raw = _deflate(prefix, mib)
    size = (len(prefix) + mib * MIB) & 0xFFFFFFFF
    crc = _checksum(prefix, mib, zlib.crc32)
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
    return header + raw + struct.pack("<II", crc, size)


@cache
def zlib_bomb(prefix: bytes, mib: int) -> bytes:
    """A zlib stream (RFC 1950; HTTP's ``deflate``) inflating to the same."""
    raw = _deflate(prefix, mib)
    return b"\x78\xda" + raw + struct.pack(">I", _checksum(prefix, mib, zlib.adler32))


@cache
def raw_deflate_bomb(prefix: bytes, mib: int) -> bytes:
    """Raw deflate (RFC 1951), as some servers wrongly send for ``deflate``."""
    return _deflate(prefix, mib)


@cache
def brotli_bomb(prefix: bytes, mib: int) -> bytes:
    import brotli

    c = brotli.Compressor(quality=1)
    parts = [c.process(prefix)]
    parts.extend(c.process(PAD) for _ in range(mib))
    parts.append(c.finish())
    return b"".join(parts)


@cache
def zstd_bomb(prefix: bytes, mib: int) -> bytes:
    try:
        from compression import zstd  # type: ignore[import-not-found]
    except ImportError:
        from backports import zstd  # type: ignore[import-not-found,no-redef]

    c = zstd.ZstdCompressor(level=1)
    parts = [c.compress(prefix)]
    parts.extend(c.compress(PAD) for _ in range(mib))
    parts.append(c.flush())
    return b"".join(parts)
