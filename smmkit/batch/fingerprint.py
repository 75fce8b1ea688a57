"""Step 2, fingerprint and skip: what a client's report depends on, as one sha256.

An unchanged client (same inputs, notebooks, period, agency config and kit code) is skipped
unless ``--force``: the fingerprint covers all of them.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from collections.abc import Sequence
from pathlib import Path

from smmkit.config import (
    AgencyConfig,
)

__all__ = ["input_fingerprint", "kit_digest"]


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@functools.cache
def kit_digest() -> str:
    """sha256 over the package's own files (code, JSON schema, templates)."""
    package = Path(__file__).resolve().parents[1]  # the whole smmkit package
    h = hashlib.sha256()
    for path in sorted(p for p in package.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        h.update(f"{path.relative_to(package).as_posix()} {_sha256(path.read_bytes())}\n".encode())
    return h.hexdigest()


def input_fingerprint(
    client_dir: str | Path,
    *,
    notebooks: Sequence[Path],
    start: dt.date,
    end: dt.date,
    agency: AgencyConfig | None = None,
) -> str:
    """A sha256 over everything a client's report depends on.

    Hashes the smmkit version, the period, every file of the client folder
    (``client.yaml``, exports, logo: relative path, size and content hash;
    hidden files and folders are ignored, as the loader ignores them),
    every notebook's name and content, the kit itself (its code, schema and page
    templates: a fixed formula or a new look re-renders) and the agency's
    ``smmkit.yaml`` and logo (a changed footer re-renders).
    """
    from smmkit._version import __version__

    client_dir = Path(client_dir)
    h = hashlib.sha256()
    h.update(f"smmkit {__version__}\nperiod {start.isoformat()} {end.isoformat()}\n".encode())
    files = sorted(
        p
        for p in client_dir.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(client_dir).parts)
    )
    for path in files:
        data = path.read_bytes()
        h.update(f"file {path.relative_to(client_dir).as_posix()} {len(data)} {_sha256(data)}\n".encode())
    for nb in notebooks:
        h.update(f"notebook {nb.name} {_sha256(nb.read_bytes())}\n".encode())
    h.update(f"kit {kit_digest()}\n".encode())
    if agency is not None:
        for what, path in (("agency", agency.path), ("agency-logo", agency.logo)):
            if path is not None:
                h.update(f"{what} {_sha256(Path(path).read_bytes())}\n".encode())
    return h.hexdigest()
