"""What a rendered report page shows against ``smmkit kpis --format json`` (issue 23's tests).

:func:`shown_numbers` reads every number a page marks (``data-kpi``/``data-scope``/``data-value``
cells and cards, ``data-post`` top-post cells, ``data-stage`` funnel cells) with the text shown;
:func:`mismatches` lists each one that differs from the JSON, or whose null is not shown as
"n/a". The sparse clients come from ``scripts/demo_data/sparse.py``.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
from pathlib import Path

from smmkit.cli import main
from smmkit.report.i18n import Labels

ROOT = Path(__file__).resolve().parents[2]

PAGES = ("overview", "networks", "funnel", "content", "community")

_CELL = re.compile(r'<td data-kpi="(\w+)" data-scope="(\w+)" data-value="([^"]*)">([^<]*)<')
_CARD = re.compile(
    r'<div class="smmkit-card" data-kpi="(\w+)" data-scope="(\w+)" data-value="([^"]*)">'
    r'<div class="smmkit-card-name">[^<]*</div><div class="smmkit-card-value">([^<]*)<'
)
_POST = re.compile(r'<td data-post="([^"]*)" data-kpi="(\w+)" data-value="([^"]*)">([^<]*)<')
#: A funnel value cell; its attributes in either order (the rendered page sorts them, a notebook's output does not).
_STAGE = re.compile(r'<td ((?:data-stage|data-scope)="\w+" (?:data-stage|data-scope)="\w+")>([^<]*)<')


def kpis_json(client: Path, start: str, end: str) -> dict:
    """``smmkit kpis CLIENT --start --end --format json``, run in this process."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["kpis", str(client), "--start", start, "--end", end, "--format", "json"])
    assert code == 0, f"smmkit kpis {client.name} exited {code}"
    return json.loads(out.getvalue())


def shown_numbers(page: str) -> dict[str, list[tuple[str, ...]]]:
    """Every marked number of a page's HTML: ``{"kpi": [(key, scope, raw, text)], "post": [...], "stage": [...]}``.

    Fails when a ``data-kpi`` mark is neither a table cell nor a card (a number this reader would miss).
    """
    kpi = _CELL.findall(page) + _CARD.findall(page)
    assert len(kpi) == page.count("data-kpi=") - page.count("data-post="), "a data-kpi mark of unknown shape"
    stages = []
    for attrs, text in _STAGE.findall(page):
        found = dict(re.findall(r'(data-stage|data-scope)="(\w+)"', attrs))
        stages.append((found["data-scope"], found["data-stage"], text))
    assert len(stages) == page.count("data-stage="), "a data-stage mark of unknown shape"
    posts = _POST.findall(page)
    assert len(posts) == page.count("data-post="), "a data-post mark of unknown shape"
    return {"kpi": kpi, "post": posts, "stage": stages}


def mismatches(page: str, expected: dict, L: Labels) -> list[str]:
    """The marked numbers of ``page`` that differ from ``expected`` (the JSON), as readable lines.

    A KPI cell or card must carry the JSON's unrounded value (``""`` for null) and show
    ``L.value`` of it ("n/a" for null); a top-post cell its post's value; a funnel cell its
    stage's value ("n/a" for null).
    """
    bad = []
    shown = shown_numbers(page)
    for key, scope, raw, text in shown["kpi"]:
        table = expected["total"] if scope == "total" else expected["networks"].get(scope, {})
        value = table.get(key)
        if not ((raw == "" and value is None) or (raw != "" and value is not None and float(raw) == value)):
            bad.append(f"{key}/{scope}: data-value {raw!r}, JSON {value!r}")
        if text != L.value(key, value):
            bad.append(f"{key}/{scope}: shows {text!r}, JSON {value!r} reads {L.value(key, value)!r}")
    top = {p["post_id"]: p for p in expected["top_posts"]}
    for pid, key, raw, text in shown["post"]:
        # a top post's number is the JSON's; a cell the JSON does not carry (the content page's
        # list of every post; impressions, where no network knows reach) must still show its own
        # unrounded value
        post = top.get(pid, {})
        value = post[key] if key in post else (None if raw == "" else float(raw))
        if (
            (raw != "" and float(raw) != value)
            or (raw == "" and value is not None)
            or text != L.value(key, value)
        ):
            bad.append(f"post {pid} {key}: {raw!r} shown {text!r}, JSON {value!r}")
    for scope, stage, text in shown["stage"]:
        rows = (
            expected["funnel"]["total"] if scope == "total" else expected["funnel"]["networks"].get(scope, [])
        )
        value = next((r["value"] for r in rows if r["stage"] == stage), None)
        if text != L.number(value):
            bad.append(f"funnel {scope}/{stage}: shows {text!r}, JSON {value!r}")
    return bad


def check_client_pages(folder: Path, client: Path, start: str, end: str) -> dict:
    """Assert every page of ``client`` under ``folder`` (a period folder's client folder) matches the
    JSON and shows no error; return the JSON."""
    expected = kpis_json(client, start, end)
    L = Labels("en", currency=expected["currency"])
    for name in PAGES:
        page = (folder / f"{name}.html").read_text(encoding="utf-8")
        assert "Traceback" not in page and "smmkit-error" not in page, (client.name, name)
        assert not mismatches(page, expected, L), (client.name, name, mismatches(page, expected, L))
    return expected
