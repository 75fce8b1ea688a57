"""`smmkit alerts` (#12): the daily checklist; exit 3 on a spike of the day or the day before, 0 when quiet."""

from __future__ import annotations

import contextlib
import io
import json

import pandas as pd
from support.findings_clients import write_client

from smmkit.cli import main


def _mentions(negative_on: str | None = None, last: str = "2026-10-31") -> list[dict]:
    """Two neutral own mentions a day for 60 days; 12 negative ones by "critic" on ``negative_on``."""
    rows = [
        {"published_at": f"{d.date()} {h}:00", "brand": "Acme", "network": "vk", "sentiment": "neutral",
         "author": "fan", "reach": 10, "text": "ok", "url": ""}
        for d in pd.date_range(end=last, periods=60) for h in (10, 15)
    ]  # fmt: skip
    if negative_on:
        rows += [
            {
                "published_at": f"{negative_on} 18:{i:02d}",
                "brand": "acme",
                "network": "vk",
                "sentiment": "negative",
                "author": "critic",
                "reach": 100,
                "text": "<script>alert(1)</script>",
                "url": f"https://vk.com/c{i}",
            }
            for i in range(12)
        ]  # fmt: skip (distinct rows: identical ones are one mention exported twice)
    return rows


def _run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["alerts", *argv])
    return code, out.getvalue()


def test_a_planted_negative_mention_spike_exits_3_naming_the_day(tmp_path):
    root = write_client(tmp_path / "loud", mentions=_mentions("2026-10-31"))
    code, text = _run(str(root))
    assert code == 3
    lines = text.splitlines()
    assert lines[0].split()[:3] == ["client", "day", "signal"]
    assert lines[1].split()[:4] == ["loud", "2026-10-31", "mentions_negative", "12"]  # negative first
    assert lines[2].split()[:3] == ["loud", "2026-10-31", "mentions"]
    code, text = _run(str(root), "--format", "json")
    doc = json.loads(text)
    assert code == 3 and doc["exit_code"] == 3
    (client,) = doc["clients"]
    assert client["day"] == "2026-10-31"
    assert [(s["signal"], s["date"], s["top_source"]) for s in client["spikes"]][0] == (
        "mentions_negative",
        "2026-10-31",
        "critic",
    )


def test_the_day_before_counts_and_a_later_day_does_not(tmp_path):
    root = write_client(tmp_path / "loud", mentions=_mentions("2026-10-30"))
    assert _run(str(root), "--day", "2026-10-31")[0] == 3  # D-1
    assert _run(str(root), "--day", "2026-10-29")[0] == 0  # the spike is after D


def test_a_quiet_client_exits_0(tmp_path):
    quiet = write_client(tmp_path / "quiet", mentions=_mentions(None))
    code, text = _run(str(quiet))
    assert code == 0
    assert text == "quiet: nothing to look at (2026-10-30 and 2026-10-31)\n"


def test_clients_dir_and_unusable_exports(tmp_path):
    clients = tmp_path / "clients"
    write_client(clients / "a-quiet", mentions=_mentions(None))
    write_client(clients / "b-loud", mentions=_mentions("2026-10-31"))
    code, text = _run("--clients-dir", str(clients))
    assert code == 3 and "b-loud" in text and "a-quiet: nothing to look at" in text
    bad = write_client(clients / "c-bad", mentions=_mentions(None))
    (bad / "exports" / "posts.csv").write_text(
        "network,post_id,published_at,likes\nvk,1,2026-10-01 10:00,abc\n"
    )
    assert _run("--clients-dir", str(clients))[0] == 1  # an unreadable client is never reported as quiet
    assert _run(str(tmp_path / "missing"))[0] == 2
    assert _run(str(clients / "a-quiet"), "--day", "31.10.2026")[0] == 2


def test_days_no_export_covers_are_said_not_covered_not_quiet(tmp_path):
    # issue 23: `alerts` said "nothing to look at" for days with no data at all
    quiet = write_client(tmp_path / "quiet", mentions=_mentions(None))  # mentions up to 2026-10-31
    code, text = _run(str(quiet), "--day", "2026-12-05")
    assert code == 0
    assert text == "quiet: 2026-12-04 and 2026-12-05 not covered by any export (no data, not a quiet day)\n"
    code, text = _run(str(quiet), "--day", "2026-11-01")
    assert text == "quiet: nothing to look at (2026-10-31); 2026-11-01 not covered by any export\n"
    code, text = _run(str(quiet), "--day", "2026-12-05", "--format", "json")
    assert json.loads(text)["clients"][0]["not_covered"] == ["2026-12-04", "2026-12-05"]
