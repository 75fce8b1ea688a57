"""smmkit.report.plots: each helper returns its axes, draws what it should and leaves no figure behind."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from types import SimpleNamespace

import matplotlib

matplotlib.use("Agg")

import matplotlib as mpl  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.collections import PathCollection  # noqa: E402
from matplotlib.image import AxesImage  # noqa: E402
from matplotlib.patches import Rectangle  # noqa: E402

from smmkit.errors import UsageError  # noqa: E402
from smmkit.kpi.periods import Period  # noqa: E402
from smmkit.report import plots, theme  # noqa: E402
from smmkit.report.i18n import NBSP, Labels  # noqa: E402

PERIOD = Period(dt.date(2026, 10, 4), dt.date(2026, 10, 31))


@pytest.fixture(autouse=True)
def _no_figures():
    plt.close("all")
    yield
    plt.close("all")


def _bars(ax):
    return [p for p in ax.patches if isinstance(p, Rectangle)]


def _close_and_check(ax):
    assert len(plt.get_fignums()) == 1  # the helper made exactly one figure and did not show/close it
    plt.close(ax.figure)
    assert plt.get_fignums() == []


@pytest.mark.parametrize("module", ["smmkit.report.theme", "smmkit.report.plots"])
def test_theme_is_not_applied_on_import(module):
    """A fresh interpreter: rcParams are the same before and after importing the module."""
    code = (
        "import matplotlib as mpl, sys\n"
        "before = {k: repr(v) for k, v in mpl.rcParams.items()}\n"
        f"import {module}\n"
        "after = {k: repr(v) for k, v in mpl.rcParams.items()}\n"
        "changed = sorted(k for k in before if before[k] != after[k])\n"
        "sys.exit(f'changed on import: {changed}' if changed else 0)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env={**os.environ, "MPLBACKEND": "Agg"}
    )
    assert done.returncode == 0, done.stderr


def test_theme_context_restores():
    before = dict(mpl.rcParams)
    with theme.context(brand_color="#6b3fa0"):
        assert mpl.rcParams["axes.prop_cycle"].by_key()["color"][0] == "#6b3fa0"
        assert mpl.rcParams["figure.dpi"] == 100
    assert dict(mpl.rcParams) == before
    with pytest.raises(UsageError, match="got 'purple'"):
        theme.rc(brand_color="purple")


def test_one_colour_per_network():
    colours = list(theme.NETWORK_COLORS.values())
    assert len(colours) == len(set(colours))
    assert theme.network_color("vk") == theme.network_palette(["vk"])["vk"]
    assert theme.network_color("total") == theme.TOTAL_COLOR


def test_network_bars_one_bar_per_known_network_in_its_colour():
    values = pd.Series({"vk": 1200.0, "ok": np.nan, "telegram": 300.0, "total": 1500.0})
    ax = plots.network_bars(values, key="reach", period=PERIOD, labels=Labels("ru"))
    bars = _bars(ax)
    assert len(bars) == 2  # ok is unknown, total is dropped
    widths = sorted(b.get_width() for b in bars)
    assert widths == [300.0, 1200.0]
    colours = {mpl.colors.to_hex(b.get_facecolor()).upper() for b in bars}
    assert colours == {theme.NETWORK_COLORS["vk"].upper(), theme.NETWORK_COLORS["telegram"].upper()}
    assert ax.get_title("left").startswith("Суммарный охват\n4 октября 2026")
    assert ax.get_xlabel() == "Суммарный охват, количество"
    texts = {t.get_text() for t in ax.texts}
    assert f"1{NBSP}200" in texts  # value labels in the ru locale
    _close_and_check(ax)


def test_bars_draws_on_a_given_axes():
    fig, ax = plt.subplots()
    out = plots.bars(pd.Series({"reel": 2.5, "photo": 1.0}), ax=ax, kind="percent", title="ER by type")
    assert out is ax
    assert len(_bars(ax)) == 2
    assert ax.get_title("left") == "ER by type"
    _close_and_check(ax)


def _trend():
    rows = []
    for i, end in enumerate(pd.date_range("2026-05-31", periods=3, freq="28D")):
        rows += [
            {"period_end": end, "scope": "vk", "er": 1.0 + i},
            {"period_end": end, "scope": "ok", "er": np.nan},
            {"period_end": end, "scope": "total", "er": 2.0 + i},
        ]
    return pd.DataFrame(rows)


def test_trend_lines_one_line_per_known_scope_total_dashed():
    ax = plots.trend_lines(_trend(), "er")
    lines = ax.get_lines()
    assert len(lines) == 2  # ok is unknown everywhere: no line
    by_label = {ln.get_label(): ln for ln in lines}
    assert set(by_label) == {"VK", "Total"}
    assert by_label["Total"].get_linestyle() == "--"
    assert list(by_label["VK"].get_ydata()) == [1.0, 2.0, 3.0]
    assert ax.get_ylabel() == "ER for the period, %"
    with pytest.raises(UsageError, match="`key` 'cpl' is not a column"):
        plots.trend_lines(_trend(), "cpl")
    _close_and_check(ax)


@pytest.mark.parametrize(
    "cut",
    [
        lambda t: t,
        lambda t: t.iloc[::-1],  # rows in any order
        lambda t: t.drop(index=[0, 4]),  # pairs without a row: null
        lambda t: t.assign(er=np.nan),
    ],
)
def test_trend_by_period_is_the_pivot_table(cut):
    frame = cut(_trend().assign(**{"coverage:er": ["full", "", "partial"] * 3}))
    want = frame.pivot_table(index="period_end", columns="scope", values="er", aggfunc="first", dropna=False)
    pd.testing.assert_frame_equal(plots._by_period(frame, "er"), want, check_exact=True)
    status = plots._coverage_wide(frame, "er", want)
    pivot = frame.pivot_table(index="period_end", columns="scope", values="coverage:er", aggfunc="first")
    expected = pivot.reindex(index=want.index, columns=want.columns).fillna("full")
    assert status.index.equals(want.index) and status.columns.equals(want.columns)
    assert status.to_numpy().tolist() == expected.to_numpy().tolist()


def test_trend_by_period_leaves_repeated_pairs_to_the_pivot_table():
    frame = pd.concat([_trend(), _trend().iloc[:1].assign(er=9.0)], ignore_index=True)
    assert plots._by_period(frame, "er") is None
    ax = plots.trend_lines(frame, "er")  # the pivot's first value of the pair
    assert list({ln.get_label(): ln for ln in ax.get_lines()}["VK"].get_ydata()) == [1.0, 2.0, 3.0]
    _close_and_check(ax)


def test_trend_grid_hides_unused_panels():
    frame = _trend().assign(reach=[10.0, np.nan, 10.0] * 3, cpl=np.nan)
    axes = plots.trend_grid(frame, ["er", "reach", "cpl"], ncols=2)
    assert axes.shape == (1, 2)  # cpl is unknown: 2 panels
    assert [len(a.get_lines()) for a in axes.flat] == [2, 2]
    assert len(axes.flat[0].figure.legends) == 1
    _close_and_check(axes.flat[0])
    assert plots.trend_grid(frame, ["cpl"]) is None  # nothing to draw: no figure, the page says "no data"
    assert plt.get_fignums() == []


def _stage(path, stage, value, input_, rate_prev, rate_top):
    return {"scope": "total", "path": path, "stage": stage, "value": value, "input": input_,
            "rate_prev": rate_prev, "rate_top": rate_top, "flagged": bool(rate_prev > 100)}  # fmt: skip


def _funnel(organic=(50000.0, 2500.0, 1000.0), paid=(20000.0, 400.0), web=(1500.0, 30.0)):
    """A funnel as KPIReport.funnel holds it; rates by hand: 2,500 / 50,000 = 5 %; 1,000 / 2,500 = 40 %;
    400 / 20,000 = 2 %; sessions 1,500 / (1,000 link + 400 ad clicks) = 107.1 % (flagged); 30 / 1,500 = 2 %."""
    (i, e, c), (ai, ac), (s, v) = organic, paid, web

    def pct(a, b):
        return a / b * 100 if b else np.nan  # no rate from a zero (or unknown: NaN) stage

    clicks = np.nansum([c, ac]) if not (np.isnan(c) and np.isnan(ac)) else np.nan
    return pd.DataFrame([
        _stage("organic", "impressions", i, np.nan, np.nan, pct(i, i)),
        _stage("organic", "engagements", e, i, pct(e, i), pct(e, i)),
        _stage("organic", "clicks", c, e, pct(c, e), pct(c, i)),
        _stage("paid", "ad_impressions", ai, np.nan, np.nan, pct(ai, ai)),
        _stage("paid", "ad_clicks", ac, ai, pct(ac, ai), pct(ac, ai)),
        _stage("web", "sessions", s, clicks, pct(s, clicks), pct(s, s)),
        _stage("web", "conversions", v, s, pct(v, s), pct(v, s)),
    ])  # fmt: skip


def _labels(ax):
    return [t.get_text() for t in ax.get_yticklabels()]


def test_funnel_labelled_bars_on_a_linear_scale_organic_and_paid_apart():
    L = Labels("en")
    ax = plots.funnel(_funnel(), labels=L, period=PERIOD)
    assert ax.get_xscale() == "linear"  # not a log scale (issue 24)
    bars = sorted(_bars(ax), key=lambda b: -b.get_y())  # top to bottom
    assert [b.get_width() for b in bars] == [50000.0, 2500.0, 1000.0, 20000.0, 400.0, 1500.0, 30.0]
    colors = [mpl.colors.to_hex(b.get_facecolor()) for b in bars]
    assert colors == [plots.FUNNEL_COLORS[p].lower() for p in ["organic"] * 3 + ["paid"] * 2 + ["web"] * 2]
    assert _labels(ax) == ["Post impressions", "Engagements", "Link clicks", "Ad impressions", "Ad clicks",
                           "Social sessions", "Conversions"]  # fmt: skip
    texts = [t.get_text() for t in ax.texts]
    # each path under its heading, above its bars: organic, then paid, then the website
    headings = ["Organic posts", "Ads", "Website (sessions from link and ad clicks)"]
    assert [t for t in texts if t in headings] == headings
    heading_y = {t.get_text(): t.get_position()[1] for t in ax.texts if t.get_text() in headings}
    assert (
        heading_y["Organic posts"] > bars[0].get_y() and bars[2].get_y() > heading_y["Ads"] > bars[3].get_y()
    )
    # each bar labelled with its value and its rate from the previous stage; 107.1 % flagged, not clipped
    pct = lambda v: L.number(v, kind="percent")  # noqa: E731
    assert texts[1:4] == ["50,000", f"2,500 · {pct(5.0)}", f"1,000 · {pct(40.0)}"]
    assert f"1,500 · {pct(1500 / 1400 * 100)} ⚑" in texts and f"400 · {pct(2.0)}" in texts
    assert ax.get_xlim() == (0.0, pytest.approx(50000 / 0.58))  # the longest bar leaves room for its label
    with pytest.raises(UsageError, match="`scope` 'vk' is not in the funnel"):
        plots.funnel(_funnel(), scope="vk")
    _close_and_check(ax)


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_funnel_is_drawn_for_a_phone(lang):
    """A modest width, text of at least 11 px at natural size (15 px: 9.8 px on a 390 px phone), nothing cut."""
    ax = plots.funnel(_funnel(), labels=lang, period=PERIOD)
    fig = ax.figure
    from smmkit.report.figures import figure_image

    png = figure_image(fig)
    width = int.from_bytes(png.data[16:20], "big")
    assert width == fig.dpi * 5.6 == 560
    texts = [*ax.texts, *ax.get_yticklabels(), fig._suptitle]  # noqa: SLF001
    assert min(t.get_fontsize() * fig.dpi / 72 for t in texts) >= 11
    renderer = fig.canvas.get_renderer()
    for t in texts:  # every label inside the figure: none cut at its edge
        box = t.get_window_extent(renderer)
        assert box.x0 >= 0 and box.x1 <= fig.bbox.width and box.y0 >= 0 and box.y1 <= fig.bbox.height, t
    _close_and_check(ax)


def test_funnel_leaves_out_a_path_without_data():
    nan = np.nan
    organic = plots.funnel(_funnel(paid=(nan, nan), web=(nan, nan)), labels="en")  # X alone: posts only
    assert _labels(organic) == ["Post impressions", "Engagements", "Link clicks"] and len(_bars(organic)) == 3
    assert "Ads" not in [t.get_text() for t in organic.texts]
    plt.close(organic.figure)
    paid = plots.funnel(_funnel(organic=(nan, nan, nan), web=(nan, nan)), labels="ru")  # ads only
    assert _labels(paid) == ["Показы рекламы", "Клики по рекламе"]
    assert [t.get_text() for t in paid.texts] == [
        "Реклама",
        f"20{NBSP}000",
        f"400 · {Labels('ru').number(2.0, kind='percent')}",
    ]
    _close_and_check(paid)


def test_funnel_of_a_quiet_period_draws_nothing():
    """Every stage 0 or unknown (posts stopped): no chart (issue 23: a log scale failed the client's page)."""
    nan = np.nan
    quiet = _funnel(organic=(0.0, 0.0, 0.0), paid=(nan, nan), web=(nan, nan))
    assert plots.funnel(quiet, labels="en") is None
    assert plt.get_fignums() == []


def test_funnel_with_zero_stages_draws_the_others_and_no_rate_from_a_zero():
    ax = plots.funnel(_funnel(organic=(12.0, 0.0, 0.0), web=(1.0, np.nan)), labels="en")
    ax.figure.canvas.draw()
    assert sorted(b.get_width() for b in _bars(ax)) == [1.0, 12.0, 400.0, 20000.0]
    texts = [t.get_text() for t in ax.texts]
    pct = Labels("en").number(0.0, kind="percent")
    # 0 engagements of 12 impressions is a rate (0 %); 0 clicks of 0 engagements is not
    assert texts[1:4] == ["12", f"0 · {pct}", "0"]
    assert "n/a" in texts  # conversions unknown: no bar, its value
    assert ax.get_xlim()[0] == 0.0
    _close_and_check(ax)


def test_funnel_on_a_given_axes_keeps_its_figure_title_free():
    fig, (left, right) = plt.subplots(1, 2)
    ax = plots.funnel(_funnel(), ax=right, labels="en", period=PERIOD)
    assert ax is right and fig._suptitle is None  # noqa: SLF001
    assert ax.get_title(loc="left").startswith("Funnel: Total\n")


def _trend_of(values, scope="total"):
    ends = pd.date_range("2026-05-31", periods=len(values), freq="28D")
    return pd.DataFrame({"period_end": ends, "scope": scope, "er": values})


@pytest.mark.parametrize(
    "draw",
    [
        pytest.param(lambda: plots.bars(pd.Series({"a": 0.0, "b": np.nan})), id="bars-zero"),
        pytest.param(lambda: plots.bars(pd.Series([], dtype=float)), id="bars-empty"),
        pytest.param(lambda: plots.network_bars(pd.Series({"vk": 0.0, "total": 0.0}), key="reach"), id="network"),
        pytest.param(lambda: plots.trend_lines(_trend_of([0.0, 0.0, np.nan]), "er"), id="trend-zero"),
        pytest.param(lambda: plots.trend_lines(_trend_of([]), "er"), id="trend-empty"),
        pytest.param(lambda: plots.trend_grid(_trend_of([0.0, 0.0]), ["er"]), id="grid-zero"),
        pytest.param(lambda: plots.heatmap(pd.DataFrame(np.nan, index=range(7), columns=range(24))), id="heatmap"),
        pytest.param(lambda: plots.daily_counts(pd.Series(0.0, index=pd.date_range("2026-10-01", periods=5))),
                     id="daily-zero"),
        pytest.param(lambda: plots.daily_counts(pd.Series([], dtype=float, index=pd.DatetimeIndex([]))),
                     id="daily-empty"),
        pytest.param(lambda: plots.stacked_bars(pd.DataFrame({"positive": [0.0, 0.0], "negative": [0.0, np.nan]})),
                     id="stacked-zero"),
        pytest.param(lambda: plots.scatter_frequency(pd.DataFrame(columns=["network", "posts", "er_post"])),
                     id="scatter-empty"),
    ],
)  # fmt: skip
def test_empty_or_all_zero_data_is_not_drawn(draw):
    """No chart of nothing: None and no figure left, so the page shows its one "no data" line."""
    assert draw() is None
    assert plt.get_fignums() == []


def test_trend_lines_leave_out_an_all_zero_scope():
    frame = pd.concat([_trend_of([1.0, 0.0, 2.0], "vk"), _trend_of([0.0, 0.0, 0.0], "ok")])
    ax = plots.trend_lines(frame, "er")
    assert [ln.get_label() for ln in ax.get_lines()] == ["VK"]
    _close_and_check(ax)


def test_one_point_and_negative_values_draw():
    ax = plots.trend_lines(_trend_of([-3.0]), "er")  # one period, a negative value
    ax.figure.canvas.draw()
    (line,) = ax.get_lines()
    assert list(line.get_ydata()) == [-3.0] and line.get_marker() == "o"
    _close_and_check(ax)
    ax = plots.bars(pd.Series({"vk": -40.0}), kind="count")  # e.g. a net follower loss
    ax.figure.canvas.draw()
    assert [b.get_width() for b in _bars(ax)] == [-40.0]
    _close_and_check(ax)
    ax = plots.daily_counts(pd.Series([4.0], index=pd.DatetimeIndex(["2026-10-01"])))
    ax.figure.canvas.draw()
    assert [b.get_height() for b in _bars(ax)] == [4.0]
    _close_and_check(ax)


def test_heatmap_masks_empty_cells():
    grid = pd.DataFrame(np.nan, index=range(7), columns=range(24))
    grid.loc[0, 9] = 2.0
    grid.loc[4, 18] = 4.0
    ax = plots.heatmap(grid, labels="ru")
    images = [a for a in ax.get_children() if isinstance(a, AxesImage)]
    assert len(images) == 1
    data = images[0].get_array()
    assert int(np.ma.count(data)) == 2  # 166 of 168 cells are masked (no post)
    assert [t.get_text() for t in ax.get_yticklabels()][0] == "Пн"
    assert len(plt.get_fignums()) == 1
    plt.close("all")


def test_daily_counts_marks_spikes():
    days = pd.date_range("2026-10-01", periods=10, freq="D")
    counts = pd.Series([2.0, 3, 2, 30, 2, 1, 2, 3, 2, 2], index=days)
    ax = plots.daily_counts(counts, spikes=[pd.Timestamp("2026-10-04")])
    assert len(_bars(ax)) == 10
    marks = [c for c in ax.collections if isinstance(c, PathCollection)]
    assert len(marks) == 1 and len(marks[0].get_offsets()) == 1
    _close_and_check(ax)


@pytest.mark.parametrize("as_type", [pd.DatetimeIndex, pd.Series, list])
def test_daily_counts_takes_spikes_as_a_datetime_index_series_or_list(as_type):
    # KPIReport.spikes["date"] is a datetime column; notebooks may pass it as an index or a Series.
    days = pd.date_range("2026-10-01", periods=10, freq="D")
    counts = pd.Series([2.0, 3, 2, 30, 2, 1, 2, 3, 2, 2], index=days)
    spikes = as_type(pd.to_datetime(["2026-10-04", "2026-10-09", "2026-11-15"]))  # 11-15: not a day shown
    ax = plots.daily_counts(counts, spikes=spikes)
    (marks,) = [c for c in ax.collections if isinstance(c, PathCollection)]
    x, y = marks.get_offsets().T
    assert [mpl.dates.num2date(v).date() for v in x] == [dt.date(2026, 10, 4), dt.date(2026, 10, 9)]
    # a mark sits at value x 1.05 + 0.5: 30 x 1.05 + 0.5 = 32.0; 2 x 1.05 + 0.5 = 2.6
    np.testing.assert_allclose(y, [32.0, 2.6])
    _close_and_check(ax)


def test_daily_counts_without_spikes_marks_nothing():
    counts = pd.Series([1.0, 2.0], index=pd.date_range("2026-10-01", periods=2, freq="D"))
    for spikes in (None, [], pd.DatetimeIndex([])):
        ax = plots.daily_counts(counts, spikes=spikes)
        assert not [c for c in ax.collections if isinstance(c, PathCollection)]
        assert ax.get_legend() is None
        plt.close(ax.figure)


def test_stacked_bars_one_segment_per_cell():
    weeks = pd.date_range("2026-10-05", periods=3, freq="7D")
    frame = pd.DataFrame(
        {"positive": [3.0, 1, 0], "neutral": [5.0, 2, 1], "negative": [1.0, 0, 4]}, index=weeks
    )
    ax = plots.stacked_bars(frame, labels="ru", title="Тональность")
    assert len(_bars(ax)) == 9  # 3 weeks x 3 sentiments
    # the negative segment of week 3 sits on 0 + 1 = 1
    negative = [b for b in _bars(ax) if mpl.colors.to_hex(b.get_facecolor()).upper() == "#D55E00"]
    assert [b.get_y() for b in negative] == [8.0, 3.0, 1.0]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["позитивные", "нейтральные", "негативные"]
    _close_and_check(ax)


def test_scatter_frequency_one_collection_per_network():
    frame = pd.DataFrame(
        {"network": ["vk", "vk", "telegram"], "posts": [3.0, 5.0, 7.0], "er_post": [1.0, 2.0, 0.5]}
    )
    ax = plots.scatter_frequency(frame)
    cols = [c for c in ax.collections if isinstance(c, PathCollection)]
    assert sorted(len(c.get_offsets()) for c in cols) == [1, 2]
    assert ax.get_ylabel() == "ER per post, %"
    _close_and_check(ax)


# --------------------------------------------------------------------------- what the charts are given
def test_spike_days_of_one_signal():
    spikes = pd.DataFrame(
        {
            "signal": ["mentions", "posts", "mentions"],
            "date": pd.to_datetime(["2026-10-07", "2026-10-08", "2026-10-15"]),
            "value": [30.0, 9.0, 25.0],
        }
    )
    rep = SimpleNamespace(spikes=spikes)
    days = plots.spike_days(rep, signal="mentions")
    assert isinstance(days, pd.DatetimeIndex)
    assert list(days) == [pd.Timestamp("2026-10-07"), pd.Timestamp("2026-10-15")]  # not the posts spike
    assert list(plots.spike_days(rep, signal="posts")) == [pd.Timestamp("2026-10-08")]


def test_voice_colors_mark_the_client_and_grey_the_competitors():
    brands = pd.Index(["Coffee Point", "Brew Bros", "Latte Land"])
    assert plots.voice_colors(brands, own="Coffee Point", color="#6b3fa0") == {
        "Coffee Point": "#6b3fa0",
        "Brew Bros": theme.FLAT,
        "Latte Land": theme.FLAT,
    }
    # no brand colour: the theme's first colour (Okabe-Ito blue)
    assert plots.voice_colors(brands, own="Coffee Point")["Coffee Point"] == "#0072B2"


def _hollow_points(ax) -> list[tuple[float, ...]]:
    """The points drawn with a white face: (x as a matplotlib date number, y)."""
    out = []
    for line in ax.get_lines():
        if mpl.colors.same_color(line.get_markerfacecolor(), "white") and line.get_marker() == "o":
            out += list(zip(mpl.dates.date2num(line.get_xdata()), line.get_ydata(), strict=True))
    return out


def _legend_texts(fig) -> list[str]:
    return [t.get_text() for legend in fig.legends for t in legend.get_texts()]


def test_a_trend_point_partly_covered_is_hollow_and_labelled(make_client):
    """Exports from 16 Sep: September's point is hollow (white face) and the legend says why;
    August, wholly before the exports, is not drawn; October is a normal point."""
    from support.trend_clients import vk_client

    import smmkit
    from smmkit.kpi.tables import trend

    client = smmkit.load_client(vk_client(make_client, "2026-09-16"), cache=False)
    history = trend(client, end="2026-10-31", days=31, periods=3, keys=["followers_end", "posts"])
    axes = plots.trend_grid(history, ["followers_end", "posts"], scopes=["vk"], labels="ru")
    ax = axes.flat[0]
    sep = mpl.dates.date2num(pd.Timestamp("2026-09-30"))
    assert _hollow_points(ax) == [(sep, 1030.0)]
    line = next(ln for ln in ax.get_lines() if ln.get_label() == "ВКонтакте")
    assert list(line.get_ydata()[1:]) == [1030.0, 1092.0] and np.isnan(line.get_ydata()[0])  # August: null
    assert mpl.colors.same_color(line.get_markerfacecolor(), theme.network_color("vk"))
    assert line.get_markevery() == [0, 2]  # no filled marker under the hollow one
    assert "полые точки: период покрыт выгрузками не полностью" in _legend_texts(ax.figure)
    _close_and_check(ax)
    one = plots.trend_lines(history, "posts")  # one panel: its own legend
    assert len(_hollow_points(one)) == 2  # VK and the total, both in September
    assert "hollow: partly covered by the exports" in [t.get_text() for t in one.get_legend().get_texts()]
    _close_and_check(one)


def test_a_fully_covered_trend_has_no_hollow_point_and_no_label(make_client):
    from support.trend_clients import vk_client

    import smmkit
    from smmkit.kpi.tables import trend

    client = smmkit.load_client(vk_client(make_client, "2026-09-01"), cache=False)
    history = trend(client, end="2026-10-31", days=31, periods=2, keys=["followers_end", "posts"])
    axes = plots.trend_grid(history, ["followers_end", "posts"])
    assert [_hollow_points(ax) for ax in axes.flat] == [[], []]
    assert all(ln.get_markevery() is None for ax in axes.flat for ln in ax.get_lines())
    assert _legend_texts(axes.flat[0].figure) == ["Total", "VK"]
    _close_and_check(axes.flat[0])


def test_trend_panels_a_figure_per_kpi_and_one_legend_with_the_total_last():
    frame = _trend().assign(reach=[10.0, np.nan, 10.0] * 3, cpl=np.nan)
    panels = plots.trend_panels(frame, ["er", "reach", "cpl"], labels="ru")
    assert len(panels.axes) == 2  # cpl is unknown: no panel
    assert len({id(ax.figure) for ax in panels.axes}) == 2  # each its own figure
    assert [ax.get_legend() for ax in panels.axes] == [None, None]  # one legend, under the panels
    assert panels.legend[-1][2] == "dashed" and panels.legend[-1][0] == "Итого"
    assert {name for name, _, _ in panels.legend} == {"ВКонтакте", "Итого"}
    assert plots.trend_panels(frame, ["cpl"]) is None
    plt.close("all")
