"""``make bench``, part "Loading at scale": the 1M-post client against a bare pyarrow read.

Generates the client once (scripts/make_big_client.py, deterministic, into data/derived/), then
times, each in a fresh subprocess (so peak memory is that run's own: ru_maxrss), the median of
``--repeats`` runs of: ``pd.read_csv(engine="pyarrow")`` of the same files, ``load_client`` cold
(``SMMKIT_CACHE=0``) and ``load_client`` from the cache (its client entry, Arrow IPC; after one untimed run writes it).
Import time is excluded. Writes (or replaces) its own section of BENCHMARKS.md, between markers,
so the batch part of benchmarks/run.py stays separate.

    python benchmarks/load.py [--out BENCHMARKS.md] [--repeats 5] [--posts 1000000]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from sections import write_section  # benchmarks/sections.py (run as scripts)

ROOT = Path(__file__).resolve().parents[1]
BEGIN, END = "<!-- loading-at-scale -->", "<!-- /loading-at-scale -->"
COLD_RATIO, CACHE_RATIO, PEAK_GIB = 3.0, 1.5, 2.0

_RUN = r"""
import json, resource, sys, time
what, client = sys.argv[1], sys.argv[2]
import pandas as pd
import smmkit
t = time.perf_counter()
if what == "bare":
    import pathlib
    for f in sorted(pathlib.Path(client, "exports").glob("*.csv")):
        pd.read_csv(f, engine="pyarrow")
else:
    smmkit.load_client(client)
print(json.dumps({"s": time.perf_counter() - t, "peak": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024}))
"""


def run(what: str, client: Path, *, cache: bool) -> dict:
    env = {**os.environ, "SMMKIT_CACHE": "1" if cache else "0"}
    out = subprocess.run(
        [sys.executable, "-c", _RUN, what, str(client)], env=env, check=True, capture_output=True, text=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def section(client: Path, repeats: int) -> str:
    import shutil

    shutil.rmtree(client / ".smmkit-cache", ignore_errors=True)
    results = {"bare": [], "cold": [], "cache": []}
    run("load", client, cache=True)  # writes the cache (untimed); warms the file cache too
    for _ in range(repeats):
        results["bare"].append(run("bare", client, cache=False))
        results["cold"].append(run("load", client, cache=False))
        results["cache"].append(run("load", client, cache=True))
        print({k: round(v[-1]["s"], 2) for k, v in results.items()}, file=sys.stderr)
    med = {k: statistics.median(r["s"] for r in v) for k, v in results.items()}
    peak = {k: max(r["peak"] for r in v) / 2**30 for k, v in results.items()}
    cold, cached = med["cold"] / med["bare"], med["cache"] / med["bare"]
    # Each repeat's own ratio (its cold run against the bare read just before it): how far noise moves it.
    spread = [c["s"] / b["s"] for b, c in zip(results["bare"], results["cold"], strict=True)]
    size = sum(p.stat().st_size for p in (client / "exports").glob("*.csv")) / 1e6
    ok = lambda good: "met" if good else "NOT met"  # noqa: E731
    lines = [
        BEGIN,
        "## Loading at scale",
        "",
        f"Written by `benchmarks/load.py` (`make bench`). The client of `scripts/make_big_client.py`: "
        f"1,000,000 canonical posts and 5 years of daily audience ({size:.0f} MB of CSV). Each run is a "
        f"fresh process (import time excluded; peak = its max RSS); medians of {repeats} runs, ratios from "
        f"this one run on this machine ({time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC, load average "
        f"{os.getloadavg()[0]:.1f} at the start).",
        "",
        "| what | median s | ratio to bare | peak GiB |",
        "|---|---:|---:|---:|",
        f'| bare `pd.read_csv(engine="pyarrow")` of the same files | {med["bare"]:.2f} | 1.00 | {peak["bare"]:.2f} |',
        f"| `load_client`, cold (`SMMKIT_CACHE=0`) | {med['cold']:.2f} | {cold:.2f} | {peak['cold']:.2f} |",
        f"| `load_client` from the cache (client entry, Arrow IPC) | {med['cache']:.2f} | {cached:.2f} | {peak['cache']:.2f} |",
        "",
        f"- Cold load within {COLD_RATIO:.0f}x of the bare read: **{cold:.2f}x**, {ok(cold <= COLD_RATIO)} "
        f"(the repeats' own ratios {min(spread):.2f}x to {max(spread):.2f}x).",
        f"- Load from the cache within {CACHE_RATIO}x of the bare read: **{cached:.2f}x**, "
        f"{ok(cached <= CACHE_RATIO)}.",
        f"- Peak memory under {PEAK_GIB:.0f} GiB: cold {peak['cold']:.2f} GiB, cache {peak['cache']:.2f} GiB, "
        f"{ok(max(peak['cold'], peak['cache']) < PEAK_GIB)}.",
        "- Before this work (same client, same machine): `load_client` 54.1 s, peak 1.67 GiB.",
        END,
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "BENCHMARKS.md")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--client", type=Path, default=ROOT / "data" / "derived" / "big-client")
    args = parser.parse_args(argv)
    posts = args.client / "exports" / "posts.csv"
    if not posts.is_file() or args.posts != 1_000_000:
        subprocess.run(
            [
                sys.executable,
                str(ROOT / "scripts" / "make_big_client.py"),
                str(args.client),
                "--posts",
                str(args.posts),
            ],
            check=True,
        )
    text = section(args.client, args.repeats)
    write_section(args.out, text, BEGIN, END)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
