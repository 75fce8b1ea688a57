"""Every HTML table the kit renders has as many cells in each row as header columns (issue 24).

The networks page's forecast table had six headers over five cells, so every number sat one
column left of its header. Here every function of the report layer that builds a table
(found by reading the source: a call of ``html_table``) runs on every demo client in English and
in Russian, and every row of every table it returns is counted, colspans included; the rendered
demo pages are counted too (slow: the notebooks run).
"""

from __future__ import annotations

import copy
import datetime as dt
import importlib
import inspect
import pkgutil
from collections.abc import Callable

import pytest
from support.tables import misshapen, table_shapes

import smmkit
import smmkit.report
from smmkit.config import CLIENTS_DIR
from smmkit.report import forecast as RF
from smmkit.report import fragments as RFr
from smmkit.report.i18n import Labels
from smmkit.report.sections import AUDIENCE, COST, FEEDBACK, INBOX, MONTHLY, REACH

DEMOS = sorted(p.parent.name for p in CLIENTS_DIR.glob("*/client.yaml"))
START, END = dt.date(2026, 10, 4), dt.date(2026, 10, 31)  # the demo period (make reports)


def _html(out) -> str:
    return "" if out is None else getattr(out, "data", out)


def _kpi_tables(report, client, L):
    return [RFr.kpi_table(report, keys, L) for keys in (MONTHLY, AUDIENCE, REACH, FEEDBACK, COST, INBOX)]


def _posts_tables(report, client, L):
    posts = smmkit.report.period_posts(client, report.period)
    return [
        RFr.posts_table(report.top_posts, L),
        RFr.posts_table(posts, L, columns=("er_post", "engagements", "reach"), limit=10),
        RFr.posts_table(posts.iloc[:0], L),
    ]


def _type_table(report, client, L):
    types = smmkit.report.by_post_type(smmkit.report.period_posts(client, report.period))
    kinds = {
        "posts": "posts",
        "reach": "reach_per_post",
        "engagements": "engagements_per_post",
        "er_post": "er_post",
    }
    return [RFr.table(types.rename_axis(L("post_type")), L, kinds=kinds)]


def _funnel_tables(report, client, L):
    return [RFr.funnel_table(report.funnel, L, scope=s) for s in ["total", *map(str, report.networks.index)]]


def _forecast_tables(report, client, L):
    """The forecast as computed, and with the band of every other entry unsized (not enough history)."""
    unsized = copy.deepcopy(report)
    entries = [e for scope in [unsized.forecast["total"], *unsized.forecast["networks"].values()]
               for e in scope.values() if e is not None]  # fmt: skip
    for entry in entries[::2]:
        entry.update(low=None, high=None)
    return [RF.forecast_table_html(report, L), RF.forecast_table_html(unsized, L)]


#: Each table-building function of the report layer -> what calls it as the pages do.
CALLS: dict[str, Callable] = {
    "smmkit.report.fragments.kpi_table": _kpi_tables,
    "smmkit.report.fragments.targets_table": lambda r, c, L: [RFr.targets_table(r, L)],
    "smmkit.report.fragments.social_vs_site": lambda r, c, L: [RFr.social_vs_site(r, L)],
    "smmkit.report.fragments.posts_table": _posts_tables,
    "smmkit.report.fragments.table": _type_table,
    "smmkit.report.fragments.funnel_table": _funnel_tables,
    "smmkit.report.fragments.spikes_table": lambda r, c, L: [
        RFr.spikes_table(r, L, signal=s) for s in sorted(set(r.spikes["signal"])) or ["mentions"]
    ],
    "smmkit.report.fragments.signals_table": lambda r, c, L: [RFr.signals_table(r, L)],
    "smmkit.report.forecast.forecast_table_html": _forecast_tables,
}


def _table_functions() -> set[str]:
    """The functions of smmkit.report whose body calls ``html_table`` (which builds every table)."""
    found = set()
    for info in pkgutil.iter_modules(smmkit.report.__path__, "smmkit.report."):
        module = importlib.import_module(info.name)
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if fn.__module__ == info.name and name != "html_table" and "html_table(" in inspect.getsource(fn):
                found.add(f"{info.name}.{name}")
    return found


def test_every_table_function_is_called_here():
    assert _table_functions() == set(CALLS), "a table function to add to CALLS (or one gone from the kit)"


@pytest.fixture(scope="module")
def demo_reports_in_memory() -> dict[str, tuple]:
    out = {}
    for slug in DEMOS:
        client = smmkit.load_client(CLIENTS_DIR / slug)
        out[slug] = (client, smmkit.kpis(client, start=START, end=END))
    return out


@pytest.mark.parametrize("language", ["en", "ru"])
@pytest.mark.parametrize("slug", DEMOS)
def test_every_table_row_has_as_many_cells_as_headers(demo_reports_in_memory, slug, language):
    client, report = demo_reports_in_memory[slug]
    L = Labels(language, currency=client.config.currency)
    problems, tables = [], 0
    for name, call in CALLS.items():
        for out in call(report, client, L):
            html = _html(out)
            tables += len(table_shapes(html))
            problems += misshapen(html, f"{name} ({slug}, {language}):")
    assert tables >= 15  # the demo clients have data for every kind of table
    assert problems == []


def test_the_forecast_table_puts_each_number_under_its_header(demo_reports_in_memory):
    _, report = demo_reports_in_memory["nimbus-crm"]
    L = Labels("en")
    (table,) = table_shapes(RF.forecast_table_html(report, L))
    assert [r.widths for r in table.rows[:1]] == [[(1, 1)] * 5]
    head = table.rows[0].text.split(" | ")
    assert head == ["Network", "KPI", "Forecast", "Low (80 %)", "High (80 %)"]
    entry = report.forecast["total"]["followers_end"]
    assert entry["low"] is not None  # the demo's 488 days size a 28-day band (13 x 28 - 1 days needed)
    total = table.rows[1].text.split(" | ")
    assert total == [L.network("total"), L.kpi("followers_end"),
                     *(L.value("followers_end", round(entry[k])) for k in ("value", "low", "high"))]  # fmt: skip


def test_an_unsized_band_says_not_enough_history_across_both_bounds(demo_reports_in_memory):
    _, report = demo_reports_in_memory["nimbus-crm"]
    unsized = copy.deepcopy(report)
    unsized.forecast["total"]["reach"].update(low=None, high=None)
    for language, words in (("en", "not enough history"), ("ru", "недостаточно истории")):
        html = RF.forecast_table_html(unsized, Labels(language))
        (row,) = [r for r in table_shapes(html)[0].rows if words in r.text]
        assert row.text.startswith(f"{Labels(language).network('total')} | {Labels(language).kpi('reach')}")
        assert row.widths == [
            (1, 1),
            (1, 1),
            (1, 1),
            (2, 1),
        ]  # network, KPI, forecast, then one cell for both bounds
        assert misshapen(html) == []


@pytest.mark.slow
def test_every_table_of_every_rendered_demo_page(demo_reports):
    pages = sorted(demo_reports.rglob("*.html"))
    assert len(pages) >= 5 * len(DEMOS)
    problems, tables = [], 0
    for page in pages:
        html = page.read_text(encoding="utf-8")
        tables += len(table_shapes(html))
        problems += misshapen(html, str(page.relative_to(demo_reports)))
    assert tables >= 10 * len(DEMOS)
    assert problems == []
