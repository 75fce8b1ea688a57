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
