"""The networks page's forecast chart (smmkit.report.forecast): the 80 % band, or "not enough history"."""

from __future__ import annotations

import copy

from matplotlib.collections import PolyCollection

import smmkit
from smmkit.config import CLIENTS_DIR
from smmkit.report.forecast import forecast_axes
from smmkit.report.i18n import Labels


def _texts(ax) -> list[str]:
    return [t.get_text() for t in ax.texts]


def test_the_chart_draws_the_band_or_says_it_cannot_be_sized():
    client = smmkit.load_client(CLIENTS_DIR / "nimbus-crm")
    report = smmkit.kpis(client, start="2026-10-04", end="2026-10-31")
    left, right = forecast_axes(client, report, labels="en")
    assert any(isinstance(c, PolyCollection) for c in left.collections)  # the band
    assert _texts(left) == [] and right.containers  # bars and the band's error bar

    unsized = copy.deepcopy(report)
    for entry in unsized.forecast["total"].values():
        entry.update(low=None, high=None)
    left, right = forecast_axes(client, unsized, labels="ru")
    words = Labels("ru")("forecast.no_band")
    assert not any(isinstance(c, PolyCollection) for c in left.collections)
    assert _texts(left) == [words] and _texts(right) == [words]
