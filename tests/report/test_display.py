"""Rich display of KPIReport and Client.files in a notebook; plain text in a terminal (issue 13)."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from IPython.core.formatters import DisplayFormatter

import smmkit
from smmkit.report import display
from smmkit.report.i18n import NBSP

CLEAN_CAFE = Path(__file__).resolve().parents[1] / "fixtures" / "clients" / "clean-cafe"


@pytest.fixture(scope="module")
def client():
    return smmkit.load_client(CLEAN_CAFE)  # language: ru, currency: RUB


@pytest.fixture(scope="module")
def report(client):
    rep = smmkit.kpis(client, start="2026-10-01", end="2026-10-04")
    # An `other` network with web data only (as GA4's unmapped social sources give): no known headline KPI.
    nets = rep.networks.copy()
    nets.loc["other"] = np.nan
    nets.loc["other", "social_bounce_rate"] = 40.0
    change = rep.change.total.copy()
    change["followers_end"] = 5.0  # (5041 / 4801 - 1) x 100: a rise, good for followers
    previous = rep.previous.total.copy()
    previous["followers_end"] = 4801.0
    return dataclasses.replace(
        rep,
        networks=nets,
        change=dataclasses.replace(rep.change, total=change),
        previous=dataclasses.replace(rep.previous, total=previous),
        uncovered={},  # the test compares with a previous period as if the exports covered it
    )


def _formatted(obj) -> dict[str, str]:
    formatter = DisplayFormatter()
    assert display.register(SimpleNamespace(display_formatter=formatter))
    data, _ = formatter.format(obj)
    return data


def test_report_shows_as_the_report_renders_it(report):
    html = _formatted(report)["text/html"]
    # Headline cards in the client's language, with units, the change arrow and the formula beside.
    assert 'class="smmkit-card" data-kpi="followers_end" data-scope="total" data-value="5041.0"' in html
    assert f">5{NBSP}041<" in html  # 5 041 (ru)
    assert f">5,4{NBSP}%<" in html  # er = 5.38 % in ru format
    assert f'smmkit-card-change smmkit-good">▲ +5,0{NBSP}%' in html
    assert "вовлечения / подписчики × 100" in html  # er's formula
    assert "Подписчики" in html and "Followers" not in html
    assert "<style>" in html  # the report's CSS comes along
    # The per-network table: networks with data only; `other` has no known value among its KPIs.
    assert 'data-scope="vk"' in html and 'data-scope="instagram"' in html
    assert 'data-scope="other"' not in html and "Другие соцсети" not in html
    assert "nan" not in html.lower().replace("nan-", "")


def test_report_in_a_terminal_is_one_line_saying_where_the_numbers_are(report):
    text = repr(report)
    assert _formatted(report)["text/plain"] == text
    assert text == (
        "<KPIReport clean-cafe: 2026-10-01..2026-10-04 (4 days) against 2026-09-27..2026-09-30; "
        "instagram, vk, other; .total, .networks, .change, .to_json()>"
    )


def test_labels_follow_the_report_language_unless_given(report):
    assert display.labels_for(report).lang == "ru"
    assert "Followers" in display.cards(report, ["followers_end"], labels="en").data
    assert display.labels_for(SimpleNamespace(currency="USD")).lang == "en"


def test_networks_and_funnel_parts(report):
    table = display.networks(report, ["followers_end", "social_bounce_rate"]).data
    assert 'data-kpi="social_bounce_rate" data-scope="other"' in table  # other has data for this KPI
    funnel = display.funnel(report).data
    assert "Показы публикаций" in funnel and f"22{NBSP}400" in funnel
    # 14,900 + 7,500 post impressions -> 864 + 271 engagements (5.07 %); no link clicks in the exports
    assert f'data-stage="engagements" data-scope="total">1{NBSP}135<' in funnel
    assert f">{display.labels_for(report).number(1135 / 22400 * 100, kind='percent')}<" in funnel
    # no ad export: the paid row is left out and named; sessions have no rate from unknown clicks
    assert (
        "Нет в выгрузках клиента за этот период: Реклама." in funnel
        and 'data-stage="ad_clicks"' not in funnel
    )
    assert '<td class="smmkit-norate">—</td>' in funnel


def test_register_without_ipython_is_a_no_op():
    assert display.register(SimpleNamespace()) is False


def test_files_show_as_a_table_and_as_aligned_text(client):
    html = _formatted(client.files)["text/html"]
    assert html.count("<tr") == 1 + len(client.files)
    assert "None" not in html and "error" not in html  # no file failed: no error column
    assert "<td>instagram/content.csv</td>" in html and "<td>meta_instagram_content</td>" in html
    lines = repr(client.files).splitlines()
    assert lines[0].split() == ["file", "format", "networks", "rows", "first_day", "last_day"]
    starts = {line.index("canonical") if "canonical" in line else None for line in lines} - {None}
    assert len(starts) == 1  # the format column starts at one place, however long the file name
    frame = client.files.to_frame()
    assert list(frame["file"]) == ["audience.csv", "ga4.csv", "instagram/content.csv", "vk_posts.csv"]
    assert client.files == list(client.files)  # still a list


@pytest.mark.slow
def test_import_smmkit_alone_gives_the_rich_display_in_a_kernel():
    """No import of smmkit.report by the user: ``import smmkit`` in a running IPython registers the display."""
    import nbclient
    import nbformat

    from smmkit.batch.runner import ensure_kernel

    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell(
            f"import smmkit\nclient = smmkit.load_client({str(CLEAN_CAFE)!r})\n"
            "report = smmkit.kpis(client, start='2026-10-01', end='2026-10-04')\nreport"
        ),
        nbformat.v4.new_code_cell("client.files"),
    ]
    nbclient.NotebookClient(nb, kernel_name=ensure_kernel(), timeout=120).execute()
    (result,) = nb.cells[0].outputs
    assert "smmkit-card" in result.data["text/html"] and "Подписчики" in result.data["text/html"]
    assert result.data["text/plain"].startswith("<KPIReport clean-cafe: 2026-10-01..2026-10-04")
    (files,) = nb.cells[1].outputs
    assert "<table" in files.data["text/html"] and files.data["text/plain"].startswith("file ")
