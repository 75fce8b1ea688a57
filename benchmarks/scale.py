"""``make bench``, part "A million posts": ``kpis()`` against a bare groupby, and the whole report.

On the 1M-post client of ``scripts/make_big_client.py`` (generated once into data/derived/):

- in ``--repeats`` fresh processes (the client loaded from its Parquet cache, untimed): the
  first 28-day ``kpis()`` (it builds the client's KPI context), ``kpis()`` of another period,
  a 6-period trend of six other periods (:func:`smmkit.kpi.tables.trend`, as the networks page
  draws it), and a bare pandas groupby-sum of the period's post counts by network;
- ``smmkit run --jobs 1`` of that one client, once without the cache (cold) and once with it:
  the whole report (five pages), its wall time and its largest page.

Medians of the repeats; writes (or replaces) its own section of BENCHMARKS.md.

    python benchmarks/scale.py [--out BENCHMARKS.md] [--repeats 3]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sections import write_section  # benchmarks/sections.py (run as scripts)

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
BEGIN, END = "<!-- million-posts -->", "<!-- /million-posts -->"
KPIS_TARGET_S, REPORT_TARGET_S, PAGE_LIMIT = 2.0, 60.0, 3_000_000

_KPIS = r"""
import datetime as dt, json, sys, time
import numpy as np
import smmkit
from smmkit.kpi.periods import Period
from smmkit.kpi.tables import trend
client = smmkit.load_client(sys.argv[1])
end = dt.date(2026, 10, 31)
period = Period(end - dt.timedelta(days=27), end)
out = {}
t = time.perf_counter(); smmkit.kpis(client, period); out["first"] = time.perf_counter() - t
other = Period(dt.date(2026, 5, 4), dt.date(2026, 5, 31))
t = time.perf_counter(); smmkit.kpis(client, other); out["other"] = time.perf_counter() - t
t = time.perf_counter(); trend(client, end=dt.date(2025, 12, 31), days=28, periods=6); out["trend"] = time.perf_counter() - t
posts = client.posts
cols = ["likes", "comments", "shares", "reach", "impressions"]
t = time.perf_counter()
when = posts["published_at"]
first = np.datetime64(period.start, "ns"); last = np.datetime64(period.end + dt.timedelta(days=1), "ns")
local = when.dt.tz_localize(None).to_numpy()
rows = posts.loc[(local >= first) & (local < last)]
rows.groupby("network", observed=True)[cols].sum()
out["bare"] = time.perf_counter() - t
print(json.dumps(out))
"""


def big_client() -> Path:
    client = ROOT / "data" / "derived" / "big-client"
    if not (client / "client.yaml").is_file():
        subprocess.run([sys.executable, str(ROOT / "scripts" / "make_big_client.py")], check=True)
    return client


def kpis_runs(client: Path, repeats: int) -> dict[str, float]:
    subprocess.run(
        [sys.executable, "-c", "import smmkit,sys; smmkit.load_client(sys.argv[1])", str(client)], check=True
    )
    runs = []
    for _ in range(repeats):
        out = subprocess.run(
            [sys.executable, "-c", _KPIS, str(client)], check=True, capture_output=True, text=True
        )
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
    return {key: statistics.median(r[key] for r in runs) for key in runs[0]}


def report_run(clients: Path, out: Path) -> tuple[float, int, str]:
    t = time.perf_counter()
    done = subprocess.run(
        [str(BIN / "smmkit"), "run", "--clients-dir", str(clients), "--window", "28d", "--end", "2026-10-31",
         "--out", str(out), "--jobs", "1", "--force"],
        capture_output=True, text=True, env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )  # fmt: skip
    wall = time.perf_counter() - t
    pages = sorted(out.glob("*/big-client/*.html"), key=lambda p: p.stat().st_size)
    status = "ok" if done.returncode == 0 and len(pages) == 5 else f"FAILED (exit {done.returncode})"
    return wall, pages[-1].stat().st_size if pages else 0, status


def section(kp: dict[str, float], cold: tuple, warm: tuple, repeats: int) -> str:
    def met(ok: bool) -> str:
        return "met" if ok else "NOT met"

    lines = [
        BEGIN,
        "## A million posts: KPIs and the whole report",
        "",
        "The 1M-post client of `scripts/make_big_client.py` (10 networks, 5 years of daily audience). "
        f"`kpis()`: wall seconds, median of {repeats} fresh processes (client loaded from its cache, untimed). "
        "The report: `smmkit run --jobs 1 --force` of that one client, one run each.",
        "",
        "| work | s | reference | ratio |",
        "|---|---:|---|---:|",
        f"| first 28-day `kpis()` (builds the client's KPI context) | {kp['first']:.2f} | bare groupby-sum of the "
        f"period {kp['bare']:.2f} s | {kp['first'] / kp['bare']:.1f}x |",
        f"| `kpis()` of another period | {kp['other']:.2f} | bare groupby {kp['bare']:.2f} s | "
        f"{kp['other'] / kp['bare']:.1f}x |",
        f"| 6-period trend (six other periods) | {kp['trend']:.2f} | one period's `kpis()` {kp['other']:.2f} s | "
        f"{kp['trend'] / kp['other']:.2f}x |",
        f"| whole report, cold (no cache) | {cold[0]:.1f} | | |",
        f"| whole report, cache warm | {warm[0]:.1f} | | |",
        "",
        "### Targets",
        "",
        f"- A 28-day `kpis()` under {KPIS_TARGET_S:.0f} s: first call {kp['first']:.2f} s, another period "
        f"{kp['other']:.2f} s: {met(kp['first'] < KPIS_TARGET_S)}.",
        f"- The whole report under {REPORT_TARGET_S:.0f} s: cold {cold[0]:.1f} s ({cold[2]}), "
        f"cache warm {warm[0]:.1f} s ({warm[2]}): {met(max(cold[0], warm[0]) < REPORT_TARGET_S)}.",
        f"- Every page under 3 MB: largest {max(cold[1], warm[1]) / 1e6:.2f} MB: "
        f"{met(max(cold[1], warm[1]) < PAGE_LIMIT)} (tables show the top posts, never every post).",
        "",
        END,
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "BENCHMARKS.md")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    client = big_client()
    kp = kpis_runs(client, args.repeats)
    with tempfile.TemporaryDirectory(prefix="smmkit-scale-") as tmp:
        clients = Path(tmp) / "clients"
        shutil.copytree(client, clients / "big-client", ignore=shutil.ignore_patterns(".smmkit-cache"))
        cold = report_run(clients, Path(tmp) / "cold")
        warm = report_run(clients, Path(tmp) / "warm")
    text = section(kp, cold, warm, args.repeats)
    print(text)
    write_section(args.out, text, BEGIN, END)


if __name__ == "__main__":
    main()
