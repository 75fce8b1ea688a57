"""smmkit.report.blocks: HTML blocks (escaped), KPI cards, tables and the data helpers of the notebooks."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from smmkit.catalogue import KPI_KEYS
from smmkit.errors import UsageError
from smmkit.kpi.periods import Period
from smmkit.report import blocks as R
from smmkit.report.i18n import NBSP, Labels

PAYLOAD = "<img src=x onerror=alert(1)>"
PERIOD = Period(dt.date(2026, 10, 4), dt.date(2026, 10, 31))


def _report(**total):
    """A minimal stand-in for KPIReport: two networks, hand-set totals, changes and targets."""
    nets = ["vk", "telegram"]
    networks = pd.DataFrame(np.nan, index=pd.Index(nets, name="network"), columns=list(KPI_KEYS))
    networks.loc["vk", ["followers_end", "cpl", "er"]] = [40000.0, 300.0, 2.0]
    networks.loc["telegram", ["followers_end", "er"]] = [10000.0, 4.0]
    tot = pd.Series(np.nan, index=list(KPI_KEYS), dtype="float64")
    tot[["followers_end", "cpl", "er"]] = [50000.0, 412.5, 2.4]
    for k, v in total.items():
        tot[k] = v
    change = pd.Series(np.nan, index=list(KPI_KEYS), dtype="float64")
    change[["followers_end", "cpl", "er"]] = [5.0, -10.0, 0.04]
    targets = pd.DataFrame(
        # er: 2.4 / 3.0 x 100 = 80 %; cpl (lower is better): 400 / 412.5 x 100 = 96.97 %
        [{"key": "er", "target": 3.0, "actual": 2.4, "attainment": 80.0},
         {"key": "cpl", "target": 400.0, "actual": 412.5, "attainment": 400 / 412.5 * 100}]
    )  # fmt: skip
    top = pd.DataFrame(
        {
            "network": ["vk", "telegram"],
            "post_id": ["1", "2"],
            "published_at": pd.to_datetime(["2026-10-05 10:00", "2026-10-06 12:00"]).tz_localize(
                "Europe/Moscow"
            ),
            "reach": [5123.0, 400.0],
            "engagements": [233.0, 10.0],
            "er_post": [1.9, 0.1],
            "url": ["https://vk.com/wall-1_2", "javascript:alert(1)"],
            "text": [PAYLOAD, "plain & simple"],
            "post_type": ["photo", None],
        }
    )
    return SimpleNamespace(
        total=tot,
        networks=networks,
        change=SimpleNamespace(total=change),
        targets=targets,
        top_posts=top,
        notes=[f"web analytics: {PAYLOAD}"],
        spikes=pd.DataFrame(
            {
                "signal": ["mentions"],
                "date": [pd.Timestamp("2026-10-05")],
                "value": [43.0],
                "median": [7.0],
                "z": [12.14],
                "top_source": [PAYLOAD],
            }
        ),  # fmt: skip
        signals={"audience_quality": [], "contest_unfollows": []},
        period=PERIOD,
    )


def _text(html_obj) -> str:
    return html_obj.data if hasattr(html_obj, "data") else str(html_obj)


def test_posts_table_escapes_post_text_and_drops_unsafe_links():
    out = _text(R.posts_table(_report().top_posts, Labels("en")))
    assert PAYLOAD not in out
    assert "&lt;img src=x onerror=alert(1)&gt;" in out
    assert "plain &amp; simple" in out
    assert 'href="https://vk.com/wall-1_2"' in out
    assert "javascript:" not in out  # a non-http(s) URL gets no link at all
    assert "<img" not in out and "<script" not in out


def test_every_untrusted_string_is_escaped():
    rep = _report()
    blocks = [
        R.notes(rep.notes, "en"),
        R.spikes_table(rep, "en"),
        R.no_data("en", PAYLOAD),
        R.note(PAYLOAD),
        R.table(pd.DataFrame({"brand": [PAYLOAD]}, index=pd.Index([PAYLOAD], name=PAYLOAD))),
    ]
    for block in blocks:
        html = _text(block)
        assert PAYLOAD not in html
        assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_kpi_cards_value_change_colour_and_target():
    html = _text(R.kpi_cards(_report(), ["followers_end", "cpl", "er", "cpl"], Labels("ru", currency="RUB")))
    cards = re.findall(r'<div class="smmkit-card" (.*?)</div></div>', html)
    assert len(cards) == 3  # "cpl" twice: one card
    followers, cpl, er = cards
    assert f">50{NBSP}000<" in followers
    assert 'data-value="50000.0"' in followers
    assert "smmkit-good" in followers and "▲" in followers  # +5 % followers: good
    # cpl fell by 10 %: a fall of a lower-is-better KPI is good, arrow down
    assert "smmkit-good" in cpl and "▼" in cpl and f"-10,0{NBSP}%" in cpl
    assert f"412,50{NBSP}₽" in cpl
    assert f"97,0{NBSP}% от цели 400{NBSP}₽" in cpl  # 400 / 412.5 x 100 = 96.97 %
    assert "smmkit-flat" in er  # +0.04 % rounds to 0.0 %: flat
    assert f"80,0{NBSP}% от цели 3,0{NBSP}%" in er


@pytest.mark.parametrize(
    ("key", "change", "expected"),
    [("er", 3.0, "good"), ("er", -3.0, "bad"), ("cpl", 3.0, "bad"), ("cpl", -3.0, "good"),
     ("lost_followers", -1.0, "good"), ("er", 0.04, "flat"), ("er", float("nan"), ""), ("er", None, "")],
)  # fmt: skip
def test_change_class(key, change, expected):
    assert R.change_class(key, change) == expected


def test_kpi_table_cells_carry_the_unrounded_value_and_drop_unknown_rows():
    html = _text(R.kpi_table(_report(), ["followers_end", "reach", "er"], "en"))
    assert "Total post reach" not in html  # reach is unknown everywhere: row dropped
    assert 'data-kpi="er" data-scope="telegram" data-value="4.0">4.0%<' in html
    assert 'data-kpi="followers_end" data-scope="total" data-value="50000.0">50,000<' in html
    assert "engagements / followers × 100" in html  # the formula beside the figure


def test_targets_table_and_missing_targets():
    html = _text(R.targets_table(_report(), "en"))
    assert "80.0%" in html and "$400" not in html  # no currency given: the code is empty, no "$"
    rep = _report()
    rep.targets = rep.targets.iloc[:0]
    assert R.targets_table(rep, "en") is None


def test_no_data_is_one_line_in_the_language():
    assert _text(R.no_data("ru", "web")).count("<p") == 1
    assert "Нет данных: веб-аналитика" in _text(R.no_data("ru", "web"))
    assert "No inbox data for this client in the period." in _text(R.no_data("en", "inbox"))


def test_section_and_toc_link_by_anchor():
    sec = _text(R.section("ov.top", "en", sources=["posts"], period=PERIOD))
    toc = _text(R.toc(["ov.top"], "en"))
    anchor = re.search(r'<h2 id="([^"]+)">Top 5 posts by reach</h2>', sec).group(1)
    assert f'href="#{anchor}"' in toc
    assert "Oct 4, 2026 – Oct 31, 2026 (28 days)" in sec
    assert "post exports of the networks" in sec


def test_funnel_table_flags_rates_above_100():
    funnel = pd.DataFrame(
        [{"scope": "total", "stage": "clicks", "value": 1000.0, "rate_prev": 2.0, "rate_top": 2.0, "flagged": False},
         {"scope": "total", "stage": "sessions", "value": 1500.0, "rate_prev": 150.0, "rate_top": 3.0, "flagged": True}]
    )  # fmt: skip
    html = _text(R.funnel_table(funnel, "en"))
    assert "150.0%" in html and html.count("⚑") == 2  # the flagged cell and the footnote


def test_resolve_client_dir(tmp_path, monkeypatch):
    client = tmp_path / "acme"
    client.mkdir()
    (client / "client.yaml").write_text("name: Acme\n")
    assert R.resolve_client_dir(client) == client
    monkeypatch.chdir(tmp_path)
    assert R.resolve_client_dir("acme") == client.resolve()
    with pytest.raises(UsageError, match="client_dir 'nope': no client.yaml found; tried"):
        R.resolve_client_dir("nope")
    assert (
        R.resolve_client_dir("../data/clients/coffee-point").name == "coffee-point"
    )  # from the notebooks folder


def _posts():
    ts = pd.to_datetime(
        ["2026-10-05 09:10", "2026-10-05 09:50", "2026-10-09 18:00", "2026-10-13 09:00"]
    ).tz_localize("Europe/Moscow")  # Mon, Mon, Fri, Tue
    return pd.DataFrame(
        {
            "network": ["vk", "vk", "telegram", "vk"],
            "published_at": ts,
            "day": ts.tz_localize(None).normalize(),
            "weekday": ts.day_of_week,
            "hour": ts.hour,
            "post_type": ["photo", "video", "photo", None],
            "reach": [100.0, 300.0, 50.0, 10.0],
            "engagements": [10.0, 30.0, 1.0, 0.0],
            "er_post": [1.0, 3.0, 0.5, np.nan],
        }
    )


def test_best_time_means_er_per_post_by_weekday_and_hour():
    grid = R.best_time(_posts())
    assert grid.shape == (7, 24)
    assert grid.loc[0, 9] == 2.0  # Monday 9h: (1.0 + 3.0) / 2
    assert grid.loc[4, 18] == 0.5
    assert grid.notna().sum().sum() == 2  # Tuesday's post has no ER


def test_by_post_type():
    out = R.by_post_type(_posts())
    # photo: posts 2, reach (100 + 50) / 2 = 75, er (1.0 + 0.5) / 2 = 0.75; video first (er 3.0)
    assert list(out.index) == ["video", "photo"]
    assert out.loc["photo"].tolist() == [2.0, 75.0, 5.5, 0.75]


def test_weekly_frequency():
    out = R.weekly_frequency(_posts()).set_index(["network", "week"])
    # vk week of Mon Oct 5: 2 posts, mean er (1 + 3) / 2 = 2; week of Oct 12: 1 post, er unknown
    assert out.loc[("vk", pd.Timestamp("2026-10-05"))].tolist() == [2.0, 2.0]
    assert out.loc[("vk", pd.Timestamp("2026-10-12")), "posts"] == 1.0
    assert np.isnan(out.loc[("vk", pd.Timestamp("2026-10-12")), "er_post"])


def test_history_spans_the_last_periods():
    span = R.history(PERIOD, periods=6)  # 6 x 28 = 168 days ending Oct 31
    assert span.end == PERIOD.end and span.days == 168


def test_trend_and_period_posts_follow_the_engine():
    clients = Path(__file__).resolve().parents[2] / "data" / "clients" / "nimbus-crm"
    if not (clients / "client.yaml").is_file():
        pytest.skip("demo client nimbus-crm not generated")
    import smmkit
    from smmkit.kpi.engine import kpis

    client = smmkit.load_client(clients)
    frame = R.trend(client, end="2026-10-31", days=28, periods=2, keys=["posts", "er"])
    assert list(frame["period_end"].unique()) == [pd.Timestamp("2026-10-03"), pd.Timestamp("2026-10-31")]
    last = kpis(client, start="2026-10-04", end="2026-10-31")
    got = frame.loc[frame["period_end"] == pd.Timestamp("2026-10-31")].set_index("scope")
    assert got.loc["total", "posts"] == last.total["posts"]
    pd.testing.assert_series_equal(got["er"].drop("total"), last.networks["er"], check_names=False)
    posts = R.period_posts(client, last.period)
    assert len(posts) == last.total["posts"]
    with pytest.raises(UsageError, match="unknown KPI keys \\['erx'\\]"):
        R.trend(client, end="2026-10-31", keys=["erx"])


# --------------------------------------------------------------------------- listening helpers
TZ = "Europe/Moscow"
TWO_WEEKS = Period(dt.date(2026, 10, 5), dt.date(2026, 10, 18))  # Mon Oct 5 .. Sun Oct 18


def _listening_client():
    from smmkit.config import ClientConfig
    from smmkit.io import schema
    from smmkit.io.client import Client

    def msk(text):
        return pd.Timestamp(text, tz=TZ)

    def utc(text):
        return pd.Timestamp(text, tz="UTC")

    rows = [  # (published_at, brand, network, sentiment)
        (msk("2026-10-05 10:00"), "Coffee Point", "vk", "positive"),  # own, Oct 5
        (utc("2026-10-05 21:30"), " cp ", "telegram", "negative"),  # alias; 00:30 MSK on Oct 6
        (msk("2026-10-06 12:00"), "coffee point", "vk", "neutral"),  # own, Oct 6
        (msk("2026-10-07 09:00"), "Brew Bros", "vk", "negative"),  # competitor
        (msk("2026-10-12 09:00"), "BREW BROS", "vk", None),  # competitor (case-insensitive)
        (msk("2026-10-13 09:00"), "Latte Land", "x", "positive"),  # competitor
        (msk("2026-10-13 10:00"), "Someone Else", "vk", "positive"),  # neither: ignored
        (msk("2026-10-14 10:00"), "Coffee Point", "vk", "Positive "),  # own, sentiment normalised
        (msk("2026-10-04 23:00"), "Coffee Point", "vk", "positive"),  # the day before the period
        (utc("2026-10-18 21:30"), "Coffee Point", "vk", "positive"),  # 00:30 MSK on Oct 19: after it
    ]
    mentions = pd.DataFrame(rows, columns=["published_at", "brand", "network", "sentiment"])
    config = ClientConfig(
        slug="coffee",
        name="Coffee Point",
        timezone=TZ,
        aliases=("CP",),
        competitors=("Brew Bros", "Latte Land"),
    )
    empty = {
        n: schema.conform(pd.DataFrame(), n, tz=TZ) for n in ("posts", "audience", "ads", "inbox", "web")
    }
    return Client(config=config, mentions=schema.conform(mentions, "mentions", tz=TZ), **empty)


def test_mentions_daily_counts_own_mentions_per_local_day():
    daily = R.mentions_daily(_listening_client(), TWO_WEEKS)
    assert len(daily) == 14 and daily.index[0] == pd.Timestamp("2026-10-05")
    # Oct 5: row 1; Oct 6: rows 2 (alias, 00:30 MSK) and 3; Oct 14: row 8; competitors and others not counted
    assert daily[daily > 0].to_dict() == {
        pd.Timestamp("2026-10-05"): 1.0,
        pd.Timestamp("2026-10-06"): 2.0,
        pd.Timestamp("2026-10-14"): 1.0,
    }


def test_sentiment_weekly_counts_own_mentions_per_monday_week():
    weekly = R.sentiment_weekly(_listening_client(), TWO_WEEKS)
    # week of Oct 5: positive row 1, negative row 2, neutral row 3; week of Oct 12: positive row 8
    assert weekly.to_dict("index") == {
        pd.Timestamp("2026-10-05"): {"positive": 1.0, "neutral": 1.0, "negative": 1.0},
        pd.Timestamp("2026-10-12"): {"positive": 1.0, "neutral": 0.0, "negative": 0.0},
    }


def test_voice_counts_the_client_and_each_competitor():
    voices = R.voice(_listening_client(), TWO_WEEKS)
    # own: rows 1, 2, 3, 8 = 4; Brew Bros: rows 4, 5 = 2; Latte Land: row 6 = 1
    assert voices.to_dict() == {"Coffee Point": 4.0, "Brew Bros": 2.0, "Latte Land": 1.0}


def test_spike_days_of_one_signal():
    spikes = pd.DataFrame(
        {
            "signal": ["mentions", "posts", "mentions"],
            "date": pd.to_datetime(["2026-10-07", "2026-10-08", "2026-10-15"]),
            "value": [30.0, 9.0, 25.0],
        }
    )
    rep = SimpleNamespace(spikes=spikes)
    days = R.spike_days(rep, signal="mentions")
    assert isinstance(days, pd.DatetimeIndex)
    assert list(days) == [pd.Timestamp("2026-10-07"), pd.Timestamp("2026-10-15")]  # not the posts spike
    assert list(R.spike_days(rep, signal="posts")) == [pd.Timestamp("2026-10-08")]
    assert len(R.spike_days(SimpleNamespace(spikes=spikes.iloc[:0]))) == 0


def test_voice_colors_mark_the_client_and_grey_the_competitors():
    from smmkit.report import theme

    brands = pd.Index(["Coffee Point", "Brew Bros", "Latte Land"])
    assert R.voice_colors(brands, own="Coffee Point", color="#6b3fa0") == {
        "Coffee Point": "#6b3fa0",
        "Brew Bros": theme.FLAT,
        "Latte Land": theme.FLAT,
    }
    # no brand colour: the theme's first colour (Okabe-Ito blue)
    assert R.voice_colors(brands, own="Coffee Point")["Coffee Point"] == "#0072B2"


@pytest.mark.parametrize("name", ["HEADLINE", "MONTHLY", "AUDIENCE", "REACH", "FEEDBACK", "COST", "INBOX"])
def test_page_key_lists_hold_kpi_keys_once(name):
    keys = getattr(R, name)
    assert [k for k in keys if k not in KPI_KEYS] == []
    assert len(set(keys)) == len(keys)


@pytest.mark.parametrize(
    ("value", "missing"),
    [(None, True), (pd.NA, True), (pd.NaT, True), (np.nan, True), (float("inf"), True),
     (0, False), (0.0, False), (np.int64(3), False), (-2.5, False), ("text", False)],
)  # fmt: skip
def test_is_missing_is_the_one_unknown_rule(value, missing):
    from smmkit.report.i18n import is_missing

    assert is_missing(value) is missing
    # the data-value attribute of the report tables follows it: "" when unknown, else the unrounded float
    if not isinstance(value, str):
        assert R._raw(value) == ("" if missing else repr(float(value)))
