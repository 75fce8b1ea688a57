"""Step 5, the manifest: ``OUT/<start>_<end>/manifest.json``, rewritten (atomically) after each client.

Several runs may write into one period folder at once (two ``smmkit run`` of different clients
into the same ``--out``): each update takes the period folder's lock
(:func:`smmkit.batch.files.locked`), reads the manifest again from disk, changes only this run's
client and writes it atomically, so no run's clients are lost. :meth:`Manifest.merged` holds
the lock while the caller writes what is derived from the manifest (``index.html``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from smmkit.batch.files import locked, write_atomic

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
        with self.merged(result.slug):
            pass

    def save(self) -> None:
        """Write the manifest: the entries on disk (other runs' too) with this run's."""
        with self.merged():
            pass

    @contextlib.contextmanager
    def merged(self, *slugs: str) -> Iterator[Manifest]:
        """Under the period folder's lock: read the manifest on disk again, put this manifest's
        entries of ``slugs`` into it, write it atomically and hold the lock while the caller
        writes what depends on it (the index); every other entry is the one on disk."""
        with locked(self.path.parent):
            on_disk = read_manifest(self.path)
            if on_disk:  # else (none yet, or unreadable) this run's view is all there is
                mine = {slug: self.clients[slug] for slug in slugs}
                self.data["clients"] = {**on_disk["clients"], **mine}
            self.data["generated_at"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
            write_atomic(self.path, json.dumps(self.data, indent=2, ensure_ascii=False) + "\n")
            yield self
