"""Step 5, the manifest: ``OUT/<start>_<end>/manifest.json``, rewritten (atomically) after each client."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from smmkit.batch.files import write_atomic

__all__ = ["MANIFEST_NAME", "Manifest", "read_manifest"]


MANIFEST_NAME = "manifest.json"


def read_manifest(path: Path) -> dict[str, Any]:
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return manifest if isinstance(manifest, dict) and isinstance(manifest.get("clients"), dict) else {}


class Manifest:
    """``manifest.json`` of one period folder: the entries of earlier runs, updated client by client.

    Holds ``smmkit_version``, ``period``, ``generated_at`` and ``clients`` (slug -> the client's
    :meth:`~smmkit.batch.worker.ClientResult.manifest_entry`); docs/architecture.md lists the fields.
    """

    def __init__(self, path: Path, data: dict[str, Any]) -> None:
        self.path, self.data = path, data

    @classmethod
    def open(cls, period_dir: Path, *, start: dt.date, end: dt.date) -> Manifest:
        """The period's manifest with the entries of earlier runs (none when there is no valid file)."""
        from smmkit._version import __version__

        path = period_dir / MANIFEST_NAME
        earlier = read_manifest(path)
        data = {
            "smmkit_version": __version__,
            "period": {"start": start.isoformat(), "end": end.isoformat(), "days": (end - start).days + 1},
            "generated_at": None,
            "clients": dict(earlier.get("clients", {})),
        }
        return cls(path, data)

    @property
    def clients(self) -> dict[str, Any]:
        return self.data["clients"]

    def entry(self, slug: str) -> dict[str, Any]:
        """The client's entry of an earlier run (empty when there is none)."""
        return self.clients.get(slug) or {}

    def record(self, result) -> None:
        """Store one client's result and save at once (a killed run keeps what finished)."""
        self.clients[result.slug] = result.manifest_entry()
        self.save()

    def save(self) -> None:
        self.data["generated_at"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        write_atomic(self.path, json.dumps(self.data, indent=2, ensure_ascii=False, sort_keys=False) + "\n")
