"""``make bench``, part "Figures": how a report figure becomes a PNG, and which PNG settings.

The networks page's largest chart (a 12-panel trend grid of a demo client) is turned into a
PNG the way the inline backend does it (``display(fig)``: ``print_figure(bbox_inches="tight")``,
which draws the figure twice) and the way report pages do it
(:func:`smmkit.report.figures.figure_image`: laid out once, drawn once), then with Pillow's
compression levels 1, 6 (its default) and 9. CPU seconds (``process_time``), medians of
``--repeats`` runs in this one process. Writes (or replaces) its own section of BENCHMARKS.md.

    python benchmarks/figures.py [--out BENCHMARKS.md] [--repeats 7]
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
    from IPython.core.pylabtools import print_figure

    import smmkit.report as R
    from smmkit.report import plots, theme
    from smmkit.report.figures import PNG_OPTIONS

    client, report = R.preload_page(
        ROOT / "data" / "clients" / "coffee-point", start="2026-10-04", end="2026-10-31"
    )  # what open_page computes, without showing a header
    theme.use(brand_color=client.config.brand.get("color"))
    labels = R.Labels(client.config.language, currency=client.config.currency)
    history = R.trend(client, end=report.period.end, days=28, periods=6, keys=list(R.FEEDBACK))

    def figure():
        return plots.trend_grid(history, R.FEEDBACK, ncols=3, labels=labels).flat[0].figure

    def inline():
        return print_figure(figure(), "png", bbox_inches="tight")

    def once(level: int | None):
        def make():
            saved = dict(PNG_OPTIONS)
            PNG_OPTIONS.clear()
            if level is not None:
                PNG_OPTIONS["compress_level"] = level
            try:
                return R.figure_image(figure()).data
            finally:
                PNG_OPTIONS.clear()
                PNG_OPTIONS.update(saved)

        return make

    ways = {
        "inline backend (`display(fig)`: bbox tight, two draws)": inline,
        "`figure_image`: one layout, one draw (Pillow default level 6)": once(None),
        "`figure_image`, PNG compress_level 1": once(1),
        "`figure_image`, PNG compress_level 9": once(9),
    }
    times: dict[str, list[float]] = {name: [] for name in ways}
    sizes: dict[str, int] = {}
    for _ in range(repeats):
        for name, make in ways.items():
            t = time.process_time()
            png = make()
            times[name].append(time.process_time() - t)
            sizes[name] = len(png)
            plt.close("all")
    return [(name, statistics.median(times[name]), sizes[name]) for name in ways]


def section(rows: list[tuple[str, float, int]], repeats: int) -> str:
    base = rows[0][1]
    lines = [
        BEGIN,
        "## Figures: one draw per chart, and the PNG settings",
        "",
        f"The 12-panel trend grid of coffee-point's networks page, CPU seconds, median of {repeats} "
        "(`benchmarks/figures.py`, one process).",
        "",
        "| way | CPU s | vs inline | PNG KB |",
        "|---|---:|---:|---:|",
    ]
    lines += [f"| {name} | {s:.3f} | {base / s:.2f}x | {size / 1024:.0f} |" for name, s, size in rows]
    lines += ["", END]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "BENCHMARKS.md")
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    rows = measure(args.repeats)
    text = section(rows, args.repeats)
    print(text)
    write_section(args.out, text, BEGIN, END)


if __name__ == "__main__":
    main()
