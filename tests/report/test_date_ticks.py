"""Dates on charts come from the report's one date formatter (issue 24): months as «нояб. 2026» /
"Nov 2026", days as «13 июня» / "Jun 13", never matplotlib's "2026-11"."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from smmkit.report import plots
from smmkit.report.i18n import Labels, format_month, format_ticks

ISO = re.compile(r"\d{4}-\d{2}")
DEMO = Path(__file__).resolve().parents[2] / "data" / "clients"


def _ticks(ax) -> list[str]:
    ax.figure.canvas.draw()
    return [t.get_text() for t in ax.get_xticklabels() if t.get_text()]


def test_format_month_and_ticks():
    assert format_month("2026-11-30", "en") == "Nov 2026"
    assert format_month(dt.date(2026, 11, 1), "ru") == "нояб. 2026"
    assert format_month("2026-05-31", "ru") == "май 2026"
    # month ends (a monthly trend) and month starts (a month axis) are months; other days are days
    assert format_ticks(["2026-09-30", "2026-10-31", "2026-11-30"], "ru") == [
        "сент. 2026",
        "окт. 2026",
        "нояб. 2026",
    ]
    assert format_ticks(["2026-10-01", "2026-11-01"], "en") == ["Oct 2026", "Nov 2026"]
    assert format_ticks(["2026-06-13", "2026-06-20"], "ru") == ["13 июня", "20 июня"]
    assert format_ticks(["2026-06-13", "2026-06-30"], "en") == ["Jun 13", "Jun 30"]


def _trend(ends: list[str]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "period_end": pd.to_datetime(ends),
            "scope": ["total"] * len(ends),
            "followers_end": [100.0 + i for i in range(len(ends))],
        }
    )


@pytest.mark.parametrize(
    ("lang", "ends", "want"),
    [
        ("ru", ["2026-09-30", "2026-10-31", "2026-11-30"], ["сент. 2026", "окт. 2026", "нояб. 2026"]),
        ("en", ["2026-09-30", "2026-10-31", "2026-11-30"], ["Sep 2026", "Oct 2026", "Nov 2026"]),
        ("ru", ["2026-10-03", "2026-10-31", "2026-11-28"], ["3 октября", "31 октября", "28 ноября"]),
    ],
)
def test_trend_ticks(lang, ends, want):
    ax = plots.trend_lines(_trend(ends), "followers_end", labels=Labels(lang))
    assert _ticks(ax) == want
    plt.close(ax.figure)


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_daily_and_month_axes_use_the_formatter(lang):
    L = Labels(lang)
    days = pd.Series(range(1, 29), index=pd.date_range("2026-06-01", periods=28), dtype="float64")
    ax = plots.daily_counts(days, labels=L)
    got = _ticks(ax)
    assert got and not any(ISO.search(t) for t in got)
    want_days = {L.date(d, year=False) for d in days.index}
    assert set(got) <= want_days  # "13 июня" / "Jun 13"
    plt.close(ax.figure)
    # a long daily axis ticks on month starts: month names
    _, ax = plt.subplots()
    index = pd.date_range("2026-03-01", "2026-11-30")
    ax.plot(index, range(len(index)))
    plots.date_axis(ax, L)
    got = _ticks(ax)
    assert got and all(t in {L.month(d) for d in index} for t in got), got
    plt.close(ax.figure)


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_forecast_chart_ticks(lang):
    import smmkit
    from smmkit.report.forecast import forecast_axes

    client = smmkit.load_client(DEMO / "coffee-point")
    report = smmkit.kpis(client, start="2026-10-04", end="2026-10-31")
    if report.forecast is None:
        pytest.skip("the demo client has too little history for a forecast")
    left, right = forecast_axes(client, report, labels=Labels(lang))
    for ax in (left, right):
        got = _ticks(ax)
        assert got and not any(ISO.search(t) for t in got), got
        assert got == Labels(lang).ticks([pd.Timestamp(t).date() for t in _tick_days(ax)])
    plt.close(left.figure)


def _tick_days(ax) -> list[dt.date]:
    from matplotlib.dates import num2date

    lo, hi = ax.get_xlim()
    return [num2date(v).date() for v in ax.get_xticks() if lo <= v <= hi]
