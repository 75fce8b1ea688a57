"""``make bench``, part "Forecast": how often the 80 % band holds the outcome, per kind of series.

The kit's forecast (:mod:`smmkit.kpi.forecast`) is made from every period end of every series
that leaves a whole next period of truth, stepping back one period at a time from the last
day (so the outcomes of one series do not overlap), exactly as a report ending there would
make it: its point and its band from the data up to that day only
(:func:`smmkit.kpi.forecast.backtest` with every origin). The clients:

- the demo clients of ``data/clients``;
- the demo scenarios simulated again with ``--seeds`` other seeds (``scripts/demo_data/reseeded.py``);
- the large client of ``scripts/make_big_client.py`` at ``--big-posts`` posts (10 networks,
  5 years; iid reach, Poisson joins and leaves), unless ``--big-posts 0``.

Series: ``followers_end`` (a level) and ``reach`` (a flow), in total and per network; periods of
``--windows`` days. The target: for each kind of series, 75-85 % of the outcomes inside the
band. Writes (or replaces) its own section of BENCHMARKS.md; exits 1 when a kind misses the
target. Seconds, not minutes (the clients are generated into a temporary folder)::

    python benchmarks/forecast.py [--out BENCHMARKS.md] [--seeds 3] [--windows 7,28,30] [--big-posts 50000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if __name__ == "__main__" and str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # run as a script: `scripts.demo_data` from the repository root

import smmkit  # noqa: E402
from smmkit.config import CLIENTS_DIR  # noqa: E402
from smmkit.kpi import forecast as F  # noqa: E402
from smmkit.kpi.context import context as kpi_context  # noqa: E402

BEGIN, END = "<!-- forecast -->", "<!-- /forecast -->"
TARGET = (0.75, 0.85)
KINDS = {"followers_end": "followers (level)", "reach": "reach (flow)"}
GROUPS = {"demo": "demo clients", "reseeded": "reseeded demo scenarios", "big": "the large client"}


def clients(folder: Path, *, demos: Iterable[str] | None = None, seeds: int = 3, big_posts: int = 50_000
            ) -> list[tuple[str, str, Path]]:  # fmt: skip
    """``(name, group, folder)`` of each client of the backtest; generated ones are written into ``folder``."""
    from scripts.demo_data.reseeded import BASES, build_reseeded
    from scripts.make_big_client import write as write_big

    slugs = sorted(p.parent.name for p in CLIENTS_DIR.glob("*/client.yaml")) if demos is None else list(demos)
    out = [(slug, "demo", CLIENTS_DIR / slug) for slug in slugs]
    for seed in range(1, seeds + 1):
        for base in BASES:
            path = build_reseeded(base, seed, folder)
            out.append((path.name, "reseeded", path))
    if big_posts:
        out.append(("big-client", "big", write_big(folder / "big-client", big_posts)))
    return out


def outcomes(name: str, group: str, folder: Path, windows: Iterable[int]) -> list[dict]:
    """One row per series and window: the backtest of every period end with a whole next period."""
    ctx = kpi_context(smmkit.load_client(folder))
    last = max(ctx.followers.index.max(), ctx.posts["day"].max()).date()
    series = F.daily_series(ctx.followers, ctx.posts, networks=ctx.networks, end=last)
    rows = []
    for key, kind in F.FORECAST_KEYS.items():
        for scope, s in series[key].items():
            if s is None:
                continue
            for days in windows:
                res = F.backtest(s, days=days, kind=kind, origins=None)
                if res["banded"]:
                    rows.append(
                        {"client": name, "group": group, "key": key, "scope": scope, "days": days, **res}
                    )
    return rows


def summarise(rows: list[dict], by: tuple[str, ...]) -> dict[tuple, tuple[int, int]]:
    """``(outcomes, inside)`` for each value of the fields ``by``."""
    out: dict[tuple, tuple[int, int]] = {}
    for r in rows:
        k = tuple(r[f] for f in by)
        n, inside = out.get(k, (0, 0))
        out[k] = (n + r["banded"], inside + r["inside"])
    return dict(sorted(out.items(), key=lambda kv: tuple((str(type(x)), x) for x in kv[0])))


def coverage(rows: list[dict]) -> dict[str, float]:
    """The share of outcomes inside the band, per forecast KPI (kind of series)."""
    return {k[0]: inside / n for k, (n, inside) in summarise(rows, ("key",)).items()}


def met(rows: list[dict]) -> bool:
    """Every kind of series within :data:`TARGET`."""
    cov = coverage(rows)
    return set(cov) == set(KINDS) and all(TARGET[0] <= c <= TARGET[1] for c in cov.values())


def _cell(n: int, inside: int) -> str:
    return f"{100 * inside / n:.1f} % ({n:,})" if n else ""


def _matrix(rows: list[dict], windows: list[int]) -> list[str]:
    """Coverage (outcomes) by kind and group of clients (rows) and period length (columns)."""
    cells = summarise(rows, ("key", "group", "days"))
    lines = [
        "| kind of series, clients | " + " | ".join(f"{d}-day periods" for d in windows) + " |",
        "|---|" + "---:|" * len(windows),
    ]
    for key, group in summarise(rows, ("key", "group")):
        row = [_cell(*cells.get((key, group, d), (0, 0))) for d in windows]
        lines.append(f"| {KINDS[key]}, {GROUPS[group]} | " + " | ".join(row) + " |")
    return lines


def report(rows: list[dict], *, took: float, names: list[str], windows: list[int]) -> str:
    """The BENCHMARKS.md section: coverage per kind of series (the target), then by clients and periods."""
    when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    groups = ", ".join(f"{GROUPS[g[0]]}: {n:,} outcomes" for g, (n, _) in summarise(rows, ("group",)).items())
    scopes = summarise([{**r, "scope": r["scope"] == "total"} for r in rows], ("key", "scope"))
    lines = [
        BEGIN,
        "## Forecast: the 80 % band's coverage",
        "",
        f"Written by `benchmarks/forecast.py` (`make bench`; alone: `make bench-forecast`) on {when}, in "
        f"{took:.1f} s. Every period end of every series that leaves a whole next period of truth, stepping "
        "back one period at a time (the outcomes of one series do not overlap), gets the forecast a report "
        "ending there would show: its point and its band from the data up to that day only "
        "(docs/forecast.md). An outcome counts when its forecast has a band (13 periods of history). "
        f"Clients: {len(names)} ({groups}): {', '.join(names)}. Periods of {', '.join(map(str, windows))} "
        "days; the total and every network.",
        "",
        "| kind of series | outcomes | inside the band | coverage | total / networks |",
        "|---|---:|---:|---:|---|",
    ]
    for (key,), (n, inside) in summarise(rows, ("key",)).items():
        split = " / ".join(_cell(*scopes.get((key, total), (0, 0))) for total in (True, False))
        lines.append(f"| **{KINDS[key]}** | {n:,} | {inside:,} | {100 * inside / n:.1f} % | {split} |")
    lines += ["", *_matrix(rows, windows)]
    cov = coverage(rows)
    lines += [
        "",
        "- Target: each kind of series 75-85 % inside its 80 % band: "
        + ", ".join(f"{KINDS[k]} {100 * c:.1f} %" for k, c in cov.items())
        + f": {'met' if met(rows) else 'NOT met'}.",
        "- Monthly periods on the demo scenarios have few outcomes: a band needs 13 x 30 of their 488 days, so "
        "only the last 3-4 months count, and those hold the scenarios' paid campaigns, contests and bought "
        "followers (August-October 2026), growth the months before never showed. Followers at 30 days stay "
        "near 72 % under every seed tried (1-8): an honest miss of the band where the future is unlike the "
        "past, not noise; the weekly periods over the same clients, with many times the outcomes, hold 80 %.",
        "- Before this work (a Student-t band on the in-sample spread), on the same kind of set: followers "
        "36-44 % for 28- and 30-day periods on the demo scenarios, reach 64-75 % (issue 24: 43-78 % in the "
        "old backtest of the last 12 periods).",
        END,
    ]  # fmt: skip
    return "\n".join(lines)


def run(
    *, seeds: int, windows: list[int], big_posts: int, demos: Iterable[str] | None = None
) -> tuple[list[dict], list[str]]:
    """Generate the clients, backtest them; the rows of :func:`outcomes` and the clients' names."""
    rows, names = [], []
    with tempfile.TemporaryDirectory(prefix="smmkit-forecast-") as tmp:
        for name, group, folder in clients(Path(tmp), demos=demos, seeds=seeds, big_posts=big_posts):
            rows += outcomes(name, group, folder, windows)
            names.append(name)
    return rows, names


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="write the section into this Markdown file (BENCHMARKS.md)")
    parser.add_argument(
        "--seeds", type=int, default=3, help="reseeded copies of each demo scenario (default 3)"
    )
    parser.add_argument("--windows", default="7,28,30", help="period lengths in days (default 7,28,30)")
    parser.add_argument("--big-posts", type=int, default=50_000, help="posts of the large client; 0: none")
    args = parser.parse_args(argv)
    windows = [int(w) for w in args.windows.split(",")]
    start = time.perf_counter()
    rows, names = run(seeds=args.seeds, windows=windows, big_posts=args.big_posts)
    text = report(rows, took=time.perf_counter() - start, names=names, windows=windows)
    print(text)
    if args.out is not None:
        from sections import write_section  # benchmarks/sections.py, beside this file

        write_section(args.out, text, BEGIN, END)
    return 0 if met(rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
