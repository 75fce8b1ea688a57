"""``make bench``, part "Figures": what a page's charts cost, before and after issue 25.

The networks page of a demo client draws three trend grids (audience, reach, feedback: 4, 4 and 12
panels of coffee-point) and the forecast's two panels. Each is drawn the way pages drew them before
(one figure per grid, ``tight_layout``, a PNG: :func:`~smmkit.report.plots.trend_grid` and
:func:`~smmkit.report.figures.figure_image`) and the way they draw them now (a figure per panel
drawn at the size shown, laid out once by :func:`~smmkit.report.figures.fit`, inline SVG with text
as text: :func:`~smmkit.report.plots.trend_panels` and :func:`~smmkit.report.figures.chart`), plus
the same panels as PNG (the layout's share of the saving apart from the format's). CPU seconds
(``process_time``), medians of ``--repeats`` runs in this one process. Writes (or replaces) its own
section of BENCHMARKS.md.

    python benchmarks/figures.py [--out BENCHMARKS.md] [--repeats 5]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from sections import write_section  # benchmarks/sections.py (run as scripts)

ROOT = Path(__file__).resolve().parents[1]
BEGIN, END = "<!-- figures -->", "<!-- /figures -->"


def measure(repeats: int) -> list[tuple[str, float, int]]:
    import matplotlib

    matplotlib.use("agg")
    import matplotlib.pyplot as plt

    matplotlib.rcParams["figure.max_open_warning"] = 0  # a page's panels are open until shown
    import smmkit.report as R
    from smmkit.report import plots, theme
    from smmkit.report.figures import Panels, chart, figure_image
    from smmkit.report.forecast import forecast_axes

    client, report = R.preload_page(
        ROOT / "data" / "clients" / "coffee-point", start="2026-10-04", end="2026-10-31"
    )  # what open_page computes, without showing a header
    theme.use(brand_color=client.config.brand.get("color"))
    labels = R.Labels(client.config.language, currency=client.config.currency)
    keys = [*R.AUDIENCE, *R.REACH, *R.FEEDBACK]
    history = R.trend(client, end=report.period.end, days=28, periods=6, keys=keys)
    grids = (
        (["followers_end", "net_follower_growth", "new_followers", "lost_followers"], 2),
        (["reach", "impressions", "reach_organic", "reach_paid"], 2),
        (list(R.FEEDBACK), 3),
    )

    def before() -> int:  # one figure per grid, tight_layout, PNG (the forecast's figure too)
        size = 0
        for grid, ncols in grids:
            axes = plots.trend_grid(history, grid, ncols=ncols, labels=labels)
            size += len(figure_image(axes.flat[0].figure, close=True).data)
        left, right = forecast_axes(
            client, report, labels=labels, axes=tuple(plt.subplots(1, 2, figsize=(10, 3.4))[1])
        )
        left.figure.tight_layout()
        return size + len(figure_image(left.figure, close=True).data)

    def panels() -> list[Panels]:
        out = [plots.trend_panels(history, grid, labels=labels) for grid, _ in grids]
        return [*out, Panels(list(forecast_axes(client, report, labels=labels)))]

    def after() -> int:  # a figure per panel at the size shown, laid out once, inline SVG
        return sum(len(chart(p).data.encode()) for p in panels())

    def after_png() -> int:  # the same panels as PNG
        return sum(len(figure_image(ax.figure, close=True).data) for p in panels() for ax in p.axes)

    ways = {
        "before: a figure per grid, `tight_layout`, PNG": before,
        "now: a figure per panel at the size shown, `fit`, inline SVG": after,
        "the same panels as PNG (`figure_image`)": after_png,
    }
    times: dict[str, list[float]] = {name: [] for name in ways}
    sizes: dict[str, int] = {}
    for _ in range(repeats):
        for name, make in ways.items():
            t = time.process_time()
            sizes[name] = make()
            times[name].append(time.process_time() - t)
            plt.close("all")
    return [(name, statistics.median(times[name]), sizes[name]) for name in ways]


def section(rows: list[tuple[str, float, int]], repeats: int) -> str:
    base = rows[0][1]
    lines = [
        BEGIN,
        "## Figures: the networks page's charts, drawn at the size shown",
        "",
        "coffee-point's networks page: three trend grids (4, 4 and 12 panels) and the forecast's two panels, "
        f"CPU seconds, median of {repeats} (`benchmarks/figures.py`, one process).",
        "",
        "| way | CPU s | vs before | bytes in the page (KB) |",
        "|---|---:|---:|---:|",
    ]
    lines += [f"| {name} | {s:.3f} | {base / s:.2f}x | {size / 1024:.0f} |" for name, s, size in rows]
    lines += ["", "A PNG's bytes are its base64 in the page, 4/3 of the table's.", "", END]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "BENCHMARKS.md")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    rows = measure(args.repeats)
    text = section(rows, args.repeats)
    print(text)
    write_section(args.out, text, BEGIN, END)


if __name__ == "__main__":
    main()
