"""``make reports``: render every client for its period (README, "Add a client").

``MONTH=YYYY-MM`` renders that calendar month for every client; ``END=YYYY-MM-DD [WINDOW=28d]`` that
window; with neither, the demo clients get the demo period (28 days ending 2026-10-31) and every
other client the last calendar month its exports hold to the end (smmkit.kpi.coverage), each said in
the output. ``smmkit run`` itself always needs a period (data-contract.md section 3).

Usage: python scripts/reports.py CLIENTS_DIR [--month M | --end D [--window W]] [--demo SLUG ...]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

DEMO_WINDOW, DEMO_END = "28d", "2026-10-31"


def _default_period(client_dir: Path, demo: set[str]) -> tuple[tuple[str, ...], str]:
    """The ``smmkit run`` period options for one client, and why."""
    if client_dir.name in demo:
        return ("--window", DEMO_WINDOW, "--end", DEMO_END), f"demo period ({DEMO_WINDOW} ending {DEMO_END})"
    from smmkit.io.loading import load_client
    from smmkit.kpi.context import context
    from smmkit.kpi.coverage import last_complete_month

    try:
        month = last_complete_month(context(load_client(client_dir, strict=False)).coverage)
    except Exception as exc:  # noqa: BLE001 - the run reports the client's error in its manifest
        return (
            "--window",
            DEMO_WINDOW,
            "--end",
            DEMO_END,
        ), f"demo period (its data could not be read: {exc})"
    if month is None:
        return ("--window", DEMO_WINDOW, "--end", DEMO_END), "demo period (no dated data)"
    return ("--month", month), f"last complete month of its data, {month}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("clients_dir", type=Path)
    parser.add_argument("--month")
    parser.add_argument("--end")
    parser.add_argument("--window", default="28d")
    parser.add_argument("--demo", nargs="*", default=[])
    args = parser.parse_args(argv)
    run = [sys.executable, "-m", "smmkit", "run"]
    if args.month or args.end:
        period = ("--month", args.month) if args.month else ("--window", args.window, "--end", args.end)
        print(f"make reports: every client, {' '.join(period)}", flush=True)
        return subprocess.call([*run, "--clients-dir", str(args.clients_dir), *period])
    from smmkit.batch.discover import discover_clients

    groups: dict[tuple[str, ...], list[Path]] = defaultdict(list)
    for client_dir in discover_clients(args.clients_dir):
        period, why = _default_period(client_dir, set(args.demo))
        print(f"make reports: {client_dir.name}: {why}", flush=True)
        groups[period].append(client_dir)
    code = 0
    for period, dirs in groups.items():
        code = max(code, subprocess.call([*run, *map(str, dirs), *period]))
    return code


if __name__ == "__main__":
    sys.exit(main())
