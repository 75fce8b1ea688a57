"""Write the demo clients folder: each client's ``client.yaml``, logo, exports and notes, the README,
and the demo agency (``smmkit.yaml``, its logo)."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from .clients import AGENCY_YAML, BUILDERS, CLIENTS, NOTES
from .logo import logo
from .readme import readme

PROJ_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_OUT = PROJ_ROOT / "data" / "clients"


def build(out: Path) -> None:
    """Write every demo client into ``out/<slug>/`` and ``out/README.md``."""
    out.mkdir(parents=True, exist_ok=True)
    built: dict[str, dict[str, str]] = {}
    for client in CLIENTS:
        folder = out / client.slug
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "client.yaml").write_bytes(client.yaml.encode("utf-8"))
        (folder / "logo.png").write_bytes(logo(client.color, client.slug))
        files = {"client.yaml": "client configuration", "logo.png": "brand logo (96x96 PNG)"}
        files |= BUILDERS[client.slug](client, folder)
        for month, text in NOTES.get(client.slug, {}).items():
            (folder / "notes").mkdir(exist_ok=True)
            (folder / "notes" / f"{month}.md").write_bytes(text.encode("utf-8"))
            files[f"notes/{month}.md"] = f"the analyst's notes for {month} (Markdown)"
        built[client.slug] = files
    (out / "README.md").write_bytes(readme(built).encode("utf-8"))
    # The demo agency: its brand on every page and on the index (smmkit.yaml, see README).
    (out / "smmkit.yaml").write_bytes(AGENCY_YAML.encode("utf-8"))
    (out / "agency-logo.png").write_bytes(logo("#0e7490", "northwind-social"))


def main(argv: Sequence[str] | None = None) -> int:
    """``python scripts/make_demo_data.py [--out DIR]`` (or ``python -m scripts.demo_data``); returns 0."""
    parser = argparse.ArgumentParser(
        description="Generate the three demo clients of ``data/clients/`` (deterministic)."
    )
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help=f"target folder (default: {DEFAULT_OUT})"
    )
    args = parser.parse_args(argv)
    build(args.out)
    return 0
