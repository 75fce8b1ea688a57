"""Hand-made PNG logos: a geometric mark in the brand colour (no image library, no metadata)."""

from __future__ import annotations

import struct
import zlib

import numpy as np


def png_bytes(rgba: np.ndarray) -> bytes:
    """Encode an ``(h, w, 4)`` uint8 array as PNG (no metadata, fixed zlib level)."""
    h, w, _ = rgba.shape
    raw = b"".join(b"\x00" + rgba[y].tobytes() for y in range(h))

    def chunk(kind: bytes, data: bytes) -> bytes:
        """A PNG chunk: length, kind, data, CRC."""
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", w, h, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def logo(color: str, slug: str, size: int = 96, ss: int = 4) -> bytes:
    """A simple geometric logo in the brand colour, antialiased by supersampling."""
    n = size * ss
    y, x = (np.mgrid[0:n, 0:n] + 0.5) / n  # unit square
    disc = (x - 0.5) ** 2 + (y - 0.5) ** 2 <= 0.48**2
    if slug == "coffee-point":  # a cup with a handle
        cup = (x > 0.28) & (x < 0.62) & (y > 0.36) & (y < 0.7)
        ring = np.abs(np.hypot(x - 0.64, y - 0.5) - 0.08) < 0.03
        mark = cup | (ring & (x > 0.6))
    elif slug == "nimbus-crm":  # a cloud
        mark = (
            (np.hypot(x - 0.38, y - 0.55) < 0.14)
            | (np.hypot(x - 0.55, y - 0.45) < 0.17)
            | (np.hypot(x - 0.68, y - 0.58) < 0.11)
            | ((x > 0.38) & (x < 0.68) & (y > 0.55) & (y < 0.69))
        )
    else:  # an N of three bars
        bars = ((x > 0.3) & (x < 0.4)) | ((x > 0.6) & (x < 0.7))
        diag = np.abs((y - 0.28) - (x - 0.3) * (0.44 / 0.4)) < 0.06
        mark = (bars | (diag & (x > 0.3) & (x < 0.7))) & (y > 0.28) & (y < 0.72)
    rgb = np.array([int(color[i : i + 2], 16) for i in (1, 3, 5)], dtype=float)
    img = np.zeros((n, n, 4))
    img[disc, :3] = rgb
    img[disc, 3] = 255
    img[disc & mark, :3] = 255
    small = img.reshape(size, ss, size, ss, 4).mean(axis=(1, 3))
    return png_bytes(np.round(small).astype(np.uint8))
