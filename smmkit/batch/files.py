"""Files a run writes: never half-written (a temporary name, then an atomic rename)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from smmkit.fsutil import write_atomic

__all__ = ["publish", "write_atomic"]


def publish(staging: Path, final: Path) -> None:
    """Replace ``final`` by the finished ``staging`` folder."""
    old = final.with_name(f".{final.name}.old-{os.getpid()}")
    if final.exists():
        os.replace(final, old)
    os.replace(staging, final)
    shutil.rmtree(old, ignore_errors=True)
