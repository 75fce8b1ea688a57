"""kpis() caches per-client work, but never returns numbers of data that has since changed."""

from __future__ import annotations

import math

import smmkit
from smmkit.config import CLIENTS_DIR


def test_editing_a_table_in_place_gives_fresh_numbers():
    client = smmkit.load_client(CLIENTS_DIR / "coffee-point")
    before = smmkit.kpis(client, window="28d", end="2026-10-31").total
    assert before["likes"] > 0
    client.posts["likes"] = 0  # in place: same DataFrame object, same length
    after = smmkit.kpis(client, window="28d", end="2026-10-31").total
    assert after["likes"] == 0
    # engagements = likes + comments + shares: only the likes term went away.
    assert after["engagements"] == before["engagements"] - before["likes"]


def test_replacing_a_table_gives_fresh_numbers():
    client = smmkit.load_client(CLIENTS_DIR / "coffee-point")
    before = smmkit.kpis(client, window="28d", end="2026-10-31")
    vk_posts = before.networks.loc["vk", "posts"]
    assert vk_posts > 0
    client.posts = client.posts[client.posts["network"] != "vk"].reset_index(drop=True)
    after = smmkit.kpis(client, window="28d", end="2026-10-31")
    assert after.total["posts"] == before.total["posts"] - vk_posts
    assert "vk" in after.networks.index  # vk still has audience data, so it keeps its block
    # vk has no post rows left at all: its post counts are unknown (null), not 0 (metrics.md).
    assert math.isnan(after.networks.loc["vk", "posts"])


# --------------------------------------------------------------------------- results are values
def _snapshot(report) -> str:
    return report.to_json()


def _vandalise(frame) -> None:
    """Change every value of a frame or Series in place, the way a notebook might."""
    import pandas as pd

    if isinstance(frame, pd.Series):
        frame[:] = 123456.0 if frame.dtype.kind in "fi" else "x"
        return
    for column in list(frame.columns):
        kind = frame[column].dtype.kind
        if kind in "fi":
            frame[column] = 123456.0
        elif kind == "b":
            frame[column] = True
        elif kind == "O":
            frame[column] = "x"


def test_mutating_what_kpis_returns_never_changes_a_later_result():
    client = smmkit.load_client(CLIENTS_DIR / "coffee-point")
    first = smmkit.kpis(client, window="28d", end="2026-10-31")
    expected = _snapshot(first)
    assert len(first.top_posts) and len(first.funnel) and len(first.spikes) and len(first.targets)
    for frame in (
        first.total, first.networks, first.previous.total, first.previous.networks,
        first.change.total, first.change.networks, first.funnel, first.top_posts, first.spikes,
        first.targets,
    ):  # fmt: skip
        _vandalise(frame)
    for items in first.signals.values():
        for item in items:
            item.clear()
    first.signals["audience_quality"].append({"date": "x"})
    first.notes.append("vandalised")
    again = smmkit.kpis(client, window="28d", end="2026-10-31")
    assert _snapshot(again) == expected
    assert _snapshot(first) != expected  # the vandalism did happen, to the first result only


def test_mutating_a_per_post_table_never_changes_a_later_result():
    from smmkit.kpi.engine import post_table
    from smmkit.kpi.tables import period_posts

    client = smmkit.load_client(CLIENTS_DIR / "coffee-point")
    expected = _snapshot(smmkit.kpis(client, window="28d", end="2026-10-31"))
    period = smmkit.kpis(client, window="28d", end="2026-10-31").period
    for table in (post_table(client), period_posts(client, period)):
        assert len(table) > 0
        _vandalise(table)
    assert _snapshot(smmkit.kpis(client, window="28d", end="2026-10-31")) == expected
    assert post_table(client)["engagements"].ne(123456.0).all()


def test_a_client_no_longer_referenced_is_freed():
    import gc
    import weakref

    from smmkit.kpi.context import cached_clients

    gc.collect()
    held_before = cached_clients()
    client = smmkit.load_client(CLIENTS_DIR / "nimbus-crm")
    report = smmkit.kpis(client, window="28d", end="2026-10-31")
    assert cached_clients() == held_before + 1
    alive = weakref.ref(client)
    del client
    gc.collect()
    assert alive() is None, "the KPI cache (or the report) keeps the client alive"
    assert cached_clients() == held_before
    assert report.total["posts"] > 0  # the result outlives the client: it is a value


def test_editing_a_cell_in_place_gives_fresh_numbers_and_fresh_texts():
    client = smmkit.load_client(CLIENTS_DIR / "coffee-point")
    before = smmkit.kpis(client, window="28d", end="2026-10-31")
    top = before.top_posts.iloc[0]
    row = client.posts.index[(client.posts["post_id"] == top["post_id"]).to_numpy()][0]
    client.posts.loc[row, "reach"] = int(top["reach"]) + 1_000_000  # one cell, in place
    client.posts.loc[row, "text"] = "<b>edited</b>"  # a label column: not in the stamp, read live
    after = smmkit.kpis(client, window="28d", end="2026-10-31")
    assert after.total["reach"] == before.total["reach"] + 1_000_000
    assert after.top_posts.iloc[0]["text"] == "<b>edited</b>"
    from smmkit.kpi.engine import post_table

    assert (post_table(client)["text"] == "<b>edited</b>").sum() == 1
