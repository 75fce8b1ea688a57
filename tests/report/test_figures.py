"""smmkit.report.figures: a report figure becomes one PNG, laid out once and drawn once."""

from __future__ import annotations

import matplotlib
import pytest

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from smmkit.report.figures import as_figure, figure_image  # noqa: E402


def _size(png: bytes) -> tuple[int, int]:
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def test_figure_image_draws_once_and_keeps_a_finished_layout():
    fig, axes = plt.subplots(1, 2, figsize=(6, 3))
    axes[0].set_ylabel("a long label that needs room " * 2)
    fig.tight_layout(rect=(0, 0.1, 1, 1))  # room kept at the bottom, as trend_grid does
    laid_out = [ax.get_position().bounds for ax in axes]
    draws = []
    fig.canvas.mpl_connect("draw_event", lambda event: draws.append(event))
    image = figure_image(fig)
    assert len(draws) == 1  # savefig and the inline backend draw twice
    assert [ax.get_position().bounds for ax in axes] == laid_out  # not laid out again
    assert _size(image.data) == (600, 300)

    bare, ax = plt.subplots(figsize=(4, 2))
    ax.set_ylabel("label")
    before = ax.get_position().bounds
    figure_image(bare)  # never laid out: laid out as tight_layout does, within its size
    assert ax.get_position().bounds != before
    plt.close("all")


def test_close_closes_the_figure_shown_and_as_figure_finds_it():
    fig, axes = plt.subplots(1, 2)
    assert as_figure(axes) is fig and as_figure(axes[1]) is fig and as_figure(fig) is fig
    assert as_figure(None) is None and as_figure("text") == "text"
    image = figure_image(fig, close=True)
    assert image.data[:8] == b"\x89PNG\r\n\x1a\n" and _size(image.data) == (640, 480)
    assert plt.get_fignums() == []


# --------------------------------------------------------------------------- inline SVG panels (issue 24/25)
import re  # noqa: E402

from matplotlib.transforms import Bbox  # noqa: E402

from smmkit.report import plots  # noqa: E402
from smmkit.report.figures import MIN_FONT_PT, PANEL_WIDTH_IN, Panels, chart, figure_svg, fit  # noqa: E402


def _font_sizes(svg: str) -> list[float]:
    return [float(x) for x in re.findall(r"font(?:-size)?:\s*(?:[a-z ]*?)\s*([\d.]+)px", svg)]


def test_figure_svg_is_drawn_at_the_panel_width_with_text_as_text_of_at_least_9_pt():
    fig, ax = plt.subplots(figsize=(10, 3))
    ax.plot([1, 2, 3], [10, 2000, 30])
    ax.set_xticks([1, 2, 3], ["a", "b", "c"], fontsize=7)  # too small for a phone: raised to 9 pt
    ax.set_title("A title")
    ax.annotate("note", (2, 2000), fontsize=6)
    svg = figure_svg(fig, close=True)
    assert plt.get_fignums() == []
    # 10 in wide is drawn 4.8 in wide (345.6 pt = 461 CSS px), the height kept (3 in = 216 pt)
    assert re.match(r'<svg [^>]*width="345\.6pt" height="216pt" viewBox="0 0 345\.6 216"', svg)
    assert pytest.approx(345.6) == PANEL_WIDTH_IN * 72
    texts = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    assert {"a", "b", "c", "A title", "note", "2000"} <= set(texts)
    assert min(_font_sizes(svg)) == MIN_FONT_PT
    assert "<metadata>" not in svg and "<?xml" not in svg and "<!DOCTYPE" not in svg


def test_figure_svg_is_the_same_from_run_to_run():
    def draw() -> str:
        fig, ax = plt.subplots()
        ax.plot([1, 2, 3])
        return figure_svg(fig, close=True)

    assert draw() == draw()  # stable ids (svg.hashsalt), no date


def _panel(dpi: float = 100.0, size: float = 10.0) -> str:
    fig, ax = plt.subplots(figsize=(4.8, 3.2), dpi=dpi)
    ax.plot([1, 2, 3], [10, 2000, 30])
    ax.set_xticks([1, 2, 3], ["Sep 06", "Oct 04", "Nov 01"], fontsize=size)
    ax.set_title("Reach\n4 Oct - 31 Oct 2026")
    ax.set_ylabel("Reach, people", fontsize=size)
    return figure_svg(fig, close=True)


_PANEL_ALONE = """
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
from smmkit.report.figures import figure_svg
{panel}
print(_panel(), end="")
"""


def test_a_chart_is_drawn_the_same_after_other_charts_measured_its_texts():
    # every chart is measured through one renderer (text sizes kept per renderer object): the
    # texts another chart measured (other dpi, other sizes) change nothing in the next one
    import inspect
    import subprocess
    import sys

    first = _panel()
    _panel(dpi=150, size=13)
    _panel(dpi=72, size=9)
    assert _panel() == first
    code = _PANEL_ALONE.format(panel=inspect.getsource(_panel))
    alone = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert alone == first  # as a process that drew nothing before draws it


def test_text_from_an_export_stays_text_in_the_svg():
    evil = "<script>alert(1)</script>"
    ax = plots.bars(pd.Series([3.0, 5.0], index=[evil, "ok & co"]), key="posts")
    svg = figure_svg(ax.figure, close=True)
    assert "<script" not in svg and "&lt;script&gt;alert(1)&lt;/script&gt;" in svg and "ok &amp; co" in svg


def _inside(fig) -> list[str]:
    """The texts of a drawn figure that stick out of it."""
    from matplotlib.text import Text

    renderer = fig.canvas.get_renderer()
    box = Bbox.from_bounds(0, 0, fig.bbox.width, fig.bbox.height).padded(1)
    return [
        t.get_text()
        for t in fig.findobj(Text)
        if t.get_visible()
        and t.get_text()
        and not box.contains(*t.get_window_extent(renderer).p0)
        or t.get_visible()
        and t.get_text()
        and not box.contains(*t.get_window_extent(renderer).p1)
    ]


def test_fit_keeps_long_labels_titles_and_bar_values_inside_the_figure():
    # a Russian title and axis label longer than the panel, long tick labels, values at the bars' ends
    values = pd.Series([1_430_314.0, 22_815.0, 471_060.0], index=["Одноклассники", "ВКонтакте", "Instagram"])
    ax = plots.bars(
        values, key="reach", labels="ru", title="Суммарный охват публикаций по соцсетям за период"
    )
    ax.set_ylabel("Коэффициент вовлечённости по просмотрам за период, %")
    fig = ax.figure
    fig.set_size_inches(PANEL_WIDTH_IN, 3.0)
    fit(fig)
    fig.canvas.draw()
    assert _inside(fig) == []
    assert "\n" in ax.get_title(loc="left")  # wrapped, not cut
    assert "\n" in ax.get_ylabel()


def test_fit_leaves_a_figure_with_a_layout_engine_to_it():
    fig, ax = plt.subplots(layout="constrained")
    before = ax.get_position().bounds
    fit(fig)
    assert ax.get_position().bounds == before


def test_chart_lays_panels_out_in_a_grid_with_one_escaped_legend():
    axes = [plt.subplots()[1] for _ in range(3)]
    for ax in axes:
        ax.plot([1, 2])
        ax.set_title("<b>x</b>")
    html = chart(Panels(axes, [("VK <i>", "#56B4E9", "solid"), ("Total", "#555555", "dashed")])).data
    assert html.startswith('<div class="smmkit-figure"><div class="smmkit-panels">')
    assert html.count('<div class="smmkit-chart" role="img" aria-label="&lt;b&gt;x&lt;/b&gt;">') == 3
    assert html.count("<svg") == 3
    assert '<ul class="smmkit-legend">' in html and "VK &lt;i&gt;" in html and "smmkit-key-dashed" in html
    assert plt.get_fignums() == []  # every panel closed once shown


def test_as_figure_makes_panels_of_axes_of_several_figures():
    a, b = plt.subplots()[1], plt.subplots()[1]
    panels = as_figure([a, b])
    assert isinstance(panels, Panels) and panels.figures == [a.figure, b.figure]
    fig, both = plt.subplots(1, 2)
    assert as_figure(both) is fig and as_figure([None]) is None


def test_figure_image_says_its_smallest_font_at_natural_size():
    fig, ax = plt.subplots(dpi=100)
    ax.plot([1, 2])
    ax.tick_params(labelsize=6)  # raised to 9 pt: 9 x 100 / 72 = 12.5 px
    _, metadata = figure_image(fig, close=True)._repr_png_()
    assert metadata == {"smmkit_min_font_px": 12.5}


# --------------------------------------------------------------------------- cheaper panels (issue 25)
def _trend_panel(monkeypatch=None, *, auto_title: bool = False):
    """A trend panel as the networks page draws it; ``auto_title``: its title placed by matplotlib."""
    if auto_title:
        monkeypatch.setattr(plots, "_nothing_above", lambda ax: False)
    index = pd.to_datetime(
        ["2026-06-13", "2026-07-11", "2026-08-08", "2026-09-05", "2026-10-03", "2026-10-31"]
    )
    trend = pd.DataFrame(
        {"period_end": [*index, *index], "scope": ["facebook"] * 6 + ["total"] * 6,
         "reach": [1180.0, 900, 1010, 870, 640, 1020, 2360, 1800, 2020, 1740, 1280, 2040]}
    )  # fmt: skip
    panels = plots.trend_panels(trend, ["reach"], labels="en")
    return panels.axes[0]


def test_a_title_given_its_place_is_drawn_where_matplotlib_would_place_it(monkeypatch):
    # the kit's formatter shows no offset ("1e6"), no ticks on top: the title needs no measuring of
    # the y axis at every draw, and lands where matplotlib's own placement puts it
    ax = _trend_panel()
    assert plots._nothing_above(ax)
    given = figure_svg(ax.figure, close=True)
    placed = figure_svg(_trend_panel(monkeypatch, auto_title=True).figure, close=True)
    assert given == placed
    _, scalar = plt.subplots()
    scalar.plot([1, 2], [1e6, 3e6])  # matplotlib's formatter: an offset text may lift the title
    assert not plots._nothing_above(scalar)
    plt.close("all")


def test_a_panel_makes_and_measures_only_the_ticks_it_draws():
    from smmkit.report.figures import _drawn_tick_labels

    ax = _trend_panel()
    svg = figure_svg(ax.figure)
    low, high = ax.get_ylim()
    locs = ax.yaxis.get_majorticklocs()
    assert len(locs) >= 3 and all(low <= v <= high for v in locs)  # MaxNLocator alone adds one above
    assert len(ax.yaxis.get_major_ticks()) == len(locs)
    drawn = [t.get_text() for t in _drawn_tick_labels(ax.yaxis)]
    texts = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    assert drawn and all(t in texts for t in drawn)
    plt.close("all")


def test_fit_leaves_no_room_for_a_tick_label_that_is_not_drawn():
    from matplotlib.ticker import MaxNLocator

    from smmkit.report.figures import _drawn_tick_labels

    def laid_out(ticks) -> tuple[float, list[str]]:
        fig, ax = plt.subplots(figsize=(4.8, 3.2))
        ax.plot([0, 1, 2], [0, 1180, 640])
        ax.set_ylim(0, 1180)
        ax.set_title("Reach")
        ticks(ax)
        fit(fig)
        undrawn = [t.get_text() for t in ax.yaxis.get_ticklabels() if t not in _drawn_tick_labels(ax.yaxis)]
        plt.close(fig)
        return ax.get_position().y1, undrawn

    # MaxNLocator rounds outwards: 0 ... 1250, a tick above the view that matplotlib never draws
    outward, undrawn = laid_out(lambda ax: ax.yaxis.set_major_locator(MaxNLocator(5)))
    assert undrawn == ["1250"]
    drawn_only, none = laid_out(lambda ax: ax.set_yticks([0, 250, 500, 750, 1000]))
    assert none == [] and outward == pytest.approx(drawn_only)


def test_fit_measures_the_tick_labels_drawn_on_the_far_side_of_a_colour_bar():
    import numpy as np

    from smmkit.report.figures import _drawn_tick_labels

    grid = pd.DataFrame(np.linspace(0.003, 0.997, 7 * 24).reshape(7, 24), index=range(7), columns=range(24))
    ax = plots.heatmap(grid, key="er_post")
    bar = ax.figure.axes[1].yaxis  # its labels are label2, on the right; 0.0 and 1.0 lie outside the view
    assert [t.get_text() for t in _drawn_tick_labels(bar)] == ["0.2", "0.4", "0.6", "0.8"]
    fig = ax.figure
    fig.set_size_inches(PANEL_WIDTH_IN, 3.0)
    fit(fig)
    fig.canvas.draw()
    assert _inside(fig) == []
    plt.close(fig)
