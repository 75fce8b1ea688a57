"""The KPI layer's house rules: public pandas APIs only, imports at the top, per-client state on
the client's KPI context (not in module-level dicts)."""

from __future__ import annotations

import ast
import datetime as dt

import smmkit
from smmkit.config import CLIENTS_DIR, PROJ_ROOT
from smmkit.kpi import context as kpi_context
from smmkit.kpi import forecast
from smmkit.kpi.periods import Period

KPI_DIR = PROJ_ROOT / "smmkit" / "kpi"


def _modules():
    """Every module of the KPI layer, parsed (none is left out: alerts.py included)."""
    paths = sorted(KPI_DIR.glob("*.py"))
    assert {"alerts.py", "engine.py", "context.py", "__init__.py"} <= {p.name for p in paths}
    for path in paths:
        yield path, ast.parse(path.read_text(encoding="utf-8"))


def test_no_private_pandas_api_in_the_kpi_layer():
    for path, tree in _modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr in ("_mgr", "_data", "_values", "_ndarray"):
                raise AssertionError(f"{path.name}:{node.lineno}: private pandas API .{node.attr}")


def test_no_import_inside_a_function_in_the_kpi_layer():
    for path, tree in _modules():
        for fn in ast.walk(tree):
            if isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
                for node in ast.walk(fn):
                    assert not isinstance(node, ast.Import | ast.ImportFrom), (
                        f"{path.name}:{node.lineno}: import inside {fn.name}()"
                    )


def test_the_forecast_series_lives_on_the_client_context():
    assert not hasattr(forecast, "_SERIES")  # no module-level cache of per-client series
    client = smmkit.load_client(CLIENTS_DIR / "coffee-point")
    late = smmkit.kpis(client, window="28d", end="2026-10-31")
    ctx = kpi_context.context(client)
    end, series = ctx.forecast_series
    assert end == dt.date(2026, 10, 31) and set(series) == {"followers_end", "reach"}
    early = smmkit.kpis(client, window="28d", end="2026-09-30")
    assert ctx.forecast_series[1] is series  # an earlier end reads the same series
    assert early.forecast is not None and late.forecast is not None
    other = smmkit.load_client(CLIENTS_DIR / "coffee-point")
    assert kpi_context.context(other).forecast_series is None  # each client its own


def test_the_stamp_changes_with_an_in_place_edit_only():
    client = smmkit.load_client(CLIENTS_DIR / "nimbus-crm")
    first = kpi_context.stamp(client)
    assert kpi_context.stamp(client) == first
    client.posts.loc[client.posts.index[0], "likes"] = 10**9  # one cell, in place
    edited = kpi_context.stamp(client)
    assert edited != first and kpi_context.stamp(client) == edited


def test_the_context_and_the_period_keep_no_member_nobody_reads():
    fields = set(kpi_context.Context.__dataclass_fields__)
    assert not fields & {"tz", "new_known", "lost_known"}
    assert not any(hasattr(Period, name) for name in ("contains", "start_ts", "end_ts"))
