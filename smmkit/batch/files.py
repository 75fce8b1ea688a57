"""Files a run writes: never half-written (a temporary name, then an atomic rename)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

__all__ = ["publish", "write_atomic"]


def write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def publish(staging: Path, final: Path) -> None:
    """Replace ``final`` by the finished ``staging`` folder."""
    old = final.with_name(f".{final.name}.old-{os.getpid()}")
    if final.exists():
        os.replace(final, old)
    os.replace(staging, final)
    shutil.rmtree(old, ignore_errors=True)
