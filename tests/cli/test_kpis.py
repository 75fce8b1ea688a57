"""`smmkit kpis` through the command line, on every demo client (data-contract.md section 3)."""

from __future__ import annotations

import csv
import io
import json
import math

import jsonschema
import pytest

from smmkit.catalogue import KPI_KEYS
from smmkit.cli import main
from smmkit.config import CLIENTS_DIR
from smmkit.io.loading import load_client
from smmkit.kpi.result import load_schema

DEMOS = sorted(p.parent for p in CLIENTS_DIR.glob("*/client.yaml"))

#: For each kind of data a network has, the KPIs that must then be numbers in a 28-day report.
CORE = {
    "posts": ("posts", "posts_per_week"),
    "audience": ("net_follower_growth",),
    "ads": ("ad_spend", "ad_clicks", "total_cost"),
    "inbox": ("questions", "answered", "response_rate"),
    "web": ("social_sessions", "conversions", "conversion_rate"),
}


def _run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture(scope="module")
def schema():
    return load_schema()


@pytest.mark.parametrize("client_dir", DEMOS, ids=[d.name for d in DEMOS])
def test_demo_kpis_json_has_core_kpis_for_every_network_with_data(capsys, schema, client_dir):
    code, out, err = _run(
        capsys, "kpis", str(client_dir), "--window", "28d", "--end", "2026-10-31", "--format", "json"
    )
    assert code == 0, err
    data = json.loads(out)
    jsonschema.validate(data, schema)
    assert data["client"] == client_dir.name
    assert data["period"] == {"start": "2026-10-04", "end": "2026-10-31", "days": 28}
    assert data["previous_period"] == {"start": "2026-09-06", "end": "2026-10-03", "days": 28}

    client = load_client(client_dir)
    for kind, keys in CORE.items():
        frame = client.table(kind)
        nets = set(frame["network"].dropna().astype(str))
        for net in nets:
            block = data["networks"][net]
            for key in keys:
                value = block[key]
                assert value is not None and math.isfinite(value), f"{client_dir.name}.{net}.{key} = {value}"
    for key in (
        "posts",
        "impressions",
        "engagements",
        "total_cost",
        "mentions" if len(client.mentions) else "posts",
    ):
        assert data["total"][key] is not None, key


@pytest.mark.parametrize("client_dir", DEMOS, ids=[d.name for d in DEMOS])
def test_demo_kpis_json_start_end_prints_every_key(capsys, client_dir):
    code, out, _ = _run(
        capsys, "kpis", str(client_dir), "--start", "2026-10-01", "--end", "2026-10-28", "--format", "json"
    )
    assert code == 0
    data = json.loads(out)
    assert list(data["total"]) == list(KPI_KEYS)
    assert data["networks"], "a demo client has networks"
    for block in data["networks"].values():
        assert list(block) == list(KPI_KEYS)
    # Totals sum the networks' counts where known: posts has no unknown network in the demos.
    assert data["total"]["posts"] == sum(b["posts"] or 0 for b in data["networks"].values())


def _csv(capsys, client_dir) -> str:
    code, out, err = _run(
        capsys, "kpis", str(client_dir), "--window", "28d", "--end", "2026-10-31", "--format", "csv"
    )
    assert code == 0, err
    return out


def _json(capsys, client_dir) -> dict:
    code, out, err = _run(
        capsys, "kpis", str(client_dir), "--window", "28d", "--end", "2026-10-31", "--format", "json"
    )
    assert code == 0, err
    return json.loads(out)


def test_kpis_csv_is_tidy_and_agrees_with_the_json(capsys):
    client_dir = CLIENTS_DIR / "coffee-point"
    rows = list(csv.DictReader(io.StringIO(_csv(capsys, client_dir))))
    data = _json(capsys, client_dir)
    nets = list(data["networks"])
    assert len(rows) == (1 + len(nets)) * len(KPI_KEYS)
    assert [r["network"] for r in rows[:: len(KPI_KEYS)]] == ["total", *nets]
    assert {(r["client"], r["period_start"], r["period_end"]) for r in rows} == {
        ("coffee-point", "2026-10-04", "2026-10-31")
    }
    by = {(r["network"], r["key"]): r for r in rows}
    # counts are whole, exactly the JSON's; rates rounded to the decimals the report prints
    assert by["total", "posts"]["value"] == str(data["total"]["posts"])
    assert by["vk", "reach"]["value"] == str(data["networks"]["vk"]["reach"])
    assert by["total", "posts"]["previous"] == str(data["previous"]["total"]["posts"])
    assert by["total", "posts"]["change"] == f"{data['change']['total']['posts']:.1f}"
    er = data["total"]["er_post"]
    assert float(by["total", "er_post"]["value"]) == round(er, 2 if er < 1 else 1)
    # a percent KPI's change is in percentage points: the difference of the shown values' exact numbers
    pp = data["total"]["er"] - data["previous"]["total"]["er"]
    assert float(by["total", "er"]["change"]) == round(pp, 2 if abs(pp) < 1 else 1)
    assert by["total", "er"]["label"] == "ER за период" and by["total", "er"]["unit"] == "percent"
    assert by["total", "posts"]["label"] == "Публикации"  # coffee-point's language is ru
    assert by["total", "total_cost"]["unit"] == data["currency"] == "RUB"


def test_kpis_csv_of_two_clients_stack_into_one_table(capsys):
    first, second = _csv(capsys, CLIENTS_DIR / "coffee-point"), _csv(capsys, CLIENTS_DIR / "atelier-nord")
    assert first.splitlines()[0] == second.splitlines()[0]
    stacked = first + "".join(second.splitlines(keepends=True)[1:])
    rows = list(csv.DictReader(io.StringIO(stacked)))
    assert {r["client"] for r in rows} == {"coffee-point", "atelier-nord"}
    assert all(len(r) == 10 and None not in r for r in rows)  # every row has the header's columns
    keys = [(r["client"], r["network"], r["key"]) for r in rows]
    assert len(keys) == len(set(keys))  # (client, network, key) identifies a row
    assert len(rows) == len(first.splitlines()) + len(second.splitlines()) - 2


def test_kpis_usage_errors_exit_2(capsys):
    client_dir = str(CLIENTS_DIR / "coffee-point")
    assert _run(capsys, "kpis", client_dir, "--window", "5d", "--end", "2026-10-31")[0] == 2
    assert _run(capsys, "kpis", client_dir, "--start", "2026-10-31", "--end", "2026-10-01")[0] == 2
    assert (
        _run(capsys, "kpis", client_dir, "--format", "xml", "--window", "7d", "--end", "2026-10-31")[0] == 2
    )
    code, _, err = _run(capsys, "kpis", client_dir, "--end", "2026-10-31")
    assert code == 2 and "Traceback" not in err


def test_kpis_on_a_bad_export_is_an_input_error(capsys, tmp_path):
    client = tmp_path / "bad"
    (client / "exports").mkdir(parents=True)
    (client / "client.yaml").write_text("name: Bad\n", encoding="utf-8")
    (client / "exports" / "posts.csv").write_text(
        "network,post_id,published_at,likes\nvk,1,2026-10-01 10:00,abc\n", encoding="utf-8"
    )
    code, out, err = _run(capsys, "kpis", str(client), "--window", "7d", "--end", "2026-10-31")
    assert code == 1
    assert out == ""
    assert err.splitlines()[0].endswith("posts.csv:2:likes: expected a number, got 'abc'")


def test_kpis_lists_every_unusable_export(capsys, tmp_path):
    client = tmp_path / "two-bad"
    (client / "exports").mkdir(parents=True)
    (client / "client.yaml").write_text("name: Two Bad\n", encoding="utf-8")
    (client / "exports" / "a.csv").write_text(
        "network,post_id,published_at,likes\nvk,1,2026-10-01 10:00,abc\n", encoding="utf-8"
    )
    (client / "exports" / "b.csv").write_text(
        "network,date,followers\nvk,2026-10-01,many\n", encoding="utf-8"
    )
    code, out, err = _run(capsys, "kpis", str(client), "--window", "7d", "--end", "2026-10-31")
    assert code == 1 and out == ""
    lines = err.splitlines()
    assert lines[0].endswith("a.csv:2:likes: expected a number, got 'abc'")
    assert lines[1].endswith("b.csv:2:followers: expected a number, got 'many'")
    assert lines[2] == "2 errors: no KPIs printed (see `smmkit validate`)"
    code, _, err = _run(capsys, "kpis", str(tmp_path / "nope"), "--window", "7d", "--end", "2026-10-31")
    assert code == 2 and "is not a folder" in err
