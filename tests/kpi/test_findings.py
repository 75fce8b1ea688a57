"""Findings (smmkit.kpi.findings facts, smmkit.report.findings sentences) on clients built so the answer is known."""

from __future__ import annotations

import pandas as pd
import pytest
from support.findings_clients import daily_posts, write_client

from smmkit.io.loading import load_client
from smmkit.kpi.engine import kpis
from smmkit.kpi.findings import MAX_FINDINGS
from smmkit.report.findings import href, insights, phrase
from smmkit.report.i18n import Labels

PERIOD = {"start": "2026-10-04", "end": "2026-10-31"}  # previous: 09-06 .. 10-03


def _campaign(root, lang="en"):
    """VK reach doubles in the period (1000 -> 2000 a day, the extra paid); Telegram stays at 800 a day."""
    in_period = lambda i: i >= 28  # noqa: E731  (day index 28 = 2026-10-04)
    posts = daily_posts("vk", "2026-09-06", "2026-10-31", lambda i: 2000 if in_period(i) else 1000,
                        paid=lambda i: 1000 if in_period(i) else 0)  # fmt: skip
    posts += daily_posts("telegram", "2026-09-06", "2026-10-31", 800)
    return load_client(write_client(root, yaml=f"name: Acme\nlanguage: {lang}\n", posts=posts))


def test_a_campaign_that_doubles_vk_reach_names_reach_then_vk_first(tmp_path):
    report = kpis(_campaign(tmp_path / "c"), **PERIOD)
    first, second = report.findings[:2]
    assert (first.kind, first.key, first.network) == ("change", "reach", None)
    assert first.value == 28 * 2800 and first.change == pytest.approx((2800 / 1800 - 1) * 100)
    assert (second.kind, second.key, second.network) == ("driver", "reach", "vk")
    assert second.value == 28 * 1000  # VK's own change in reach
    assert second.change == pytest.approx(100.0)
    out = insights(report, Labels("en"))
    # 28 x 1,800 = 50,400 before; VK 28 x 1,000 = 28,000 before
    assert out[0]["text"] == "Total post reach: 78,400, +55.6% against the previous period (50,400)."
    assert out[0]["previous"] == 50_400 and out[0]["change_unit"] == "%"
    assert out[1]["text"].startswith(
        "Total post reach: most of the change came from VK, +28,000 (+100.0% on its own, from 28,000)"
    )
    assert out[1]["previous"] == 28_000 and out[1]["day"] == "2026-10-04" and out[1]["post_reach"] == 2000
    assert "its top post (Oct 4) reached 2,000" in out[1]["text"]  # the earliest of the tied top posts
    assert href(report.findings[1]) == "networks.html#s-nw-reach"
    assert href(report.findings[1], page="networks") == "#s-nw-reach"


def test_russian_sentences_use_the_locale_and_network_names(tmp_path):
    report = kpis(_campaign(tmp_path / "c", lang="ru"), **PERIOD)
    out = insights(report, Labels("ru"))
    assert out[0]["text"] == "Суммарный охват: 78\xa0400, +55,6\xa0% к прошлому периоду (50\xa0400)."
    assert out[1]["text"].startswith("Суммарный охват: главный вклад — ВКонтакте, +28\xa0000")


def _ads_client(root, lang="en"):
    ads = [{"date": str(d.date()), "network": "vk", "campaign": "leads", "spend": 250, "impressions": 10_000,
            "clicks": 100, "leads": 1 if i % 2 == 0 else 0}
           for i, d in enumerate(pd.date_range("2026-09-06", "2026-10-31"))]  # fmt: skip
    yaml = f"name: Acme\nlanguage: {lang}\ncurrency: USD\ntargets: {{cpl: 400, leads: 10}}\n"
    return load_client(write_client(root, yaml=yaml, ads=ads))


def test_a_missed_cpl_target_says_missed_and_by_how_much(tmp_path):
    report = kpis(_ads_client(tmp_path / "a"), **PERIOD)
    assert report.total["cpl"] == 500.0  # 28 x 250 / 14 leads
    target = next(f for f in report.findings if f.kind == "target" and f.key == "cpl")
    assert target.value == 500.0 and target.change == 100.0
    assert phrase(target, Labels("en", currency="USD")) == (
        "Target missed for CPL by $100: $500 against a ceiling of $400 (80.0% attainment)."
    )
    assert phrase(target, Labels("ru", currency="USD")) == (
        "Цель по показателю «CPL» не выполнена, превышение на 100\xa0$: 500\xa0$ при цели не выше 400\xa0$ "
        "(выполнение 80,0\xa0%)."
    )
    met = next(f for f in report.findings if f.kind == "target" and f.key == "leads")
    assert met.rule == "target.met" and met.value == 14 and met.change == 4
    # a missed target ranks above a met one
    assert report.findings.index(target) < report.findings.index(met)


def test_russian_plural_forms_in_the_response_sentence(tmp_path):
    inbox = [{"network": "vk", "message_id": f"m{i}", "received_at": f"2026-10-{5 + i % 20:02d} 10:00",
              "is_question": "true", "first_reply_at": f"2026-10-{5 + i % 20:02d} 12:00" if i < 20 else ""}
             for i in range(21)]  # fmt: skip
    client = load_client(write_client(tmp_path / "r", yaml="name: Acme\nlanguage: ru\n", inbox=inbox))
    report = kpis(client, **PERIOD)
    finding = next(f for f in report.findings if f.key == "response_rate")
    text = phrase(finding, Labels("ru"))
    assert text.startswith(
        "Команда ответила на 20 из 21 вопроса (95,2\xa0%); медианное время ответа 2,0\xa0ч"
    )
    assert phrase(finding, Labels("en")).startswith("The team answered 20 of 21 questions (95.2%)")


def test_too_little_data_says_nothing(tmp_path):
    posts = daily_posts("vk", "2026-10-20", "2026-10-22", 100)  # 3 posts, no previous period, no followers
    report = kpis(load_client(write_client(tmp_path / "t", posts=posts)), **PERIOD)
    assert report.findings == []
    assert report.to_dict()["forecast"] is None


def test_findings_are_deterministic_and_capped():
    from smmkit.config import CLIENTS_DIR

    client = load_client(CLIENTS_DIR / "coffee-point")
    a = insights(kpis(client, window="7d", end="2026-10-31"), "ru")
    b = insights(kpis(client, window="7d", end="2026-10-31"), "ru")
    assert a == b and 0 < len(a) <= MAX_FINDINGS


def test_a_change_on_a_tiny_base_is_not_a_finding(tmp_path):
    # 2 leads, then 4: "+100 %" on a base too small to mean anything (MIN_LEADS = 5)
    ads = [{"date": str(d.date()), "network": "vk", "campaign": "c", "spend": 10, "impressions": 1000, "clicks": 10,
            "leads": 1 if d.day in ((7, 20) if d.month == 9 else (5, 12, 19, 26)) else 0}
           for d in pd.date_range("2026-09-06", "2026-10-31")]  # fmt: skip
    report = kpis(load_client(write_client(tmp_path / "tiny", ads=ads)), **PERIOD)
    assert (report.previous.total["leads"], report.total["leads"]) == (2, 4)
    assert report.change.total["leads"] == 100.0
    assert [f for f in report.findings if f.key in ("leads", "cpl")] == []


# --------------------------------------------------------------------------- issue 24: findings that tell the story
def _demo(slug: str):
    from smmkit.config import CLIENTS_DIR

    return kpis(load_client(CLIENTS_DIR / slug), window="28d", end="2026-10-31")  # the demo period


def test_the_negative_mention_spike_of_the_issue_leads_atelier_nords_findings():
    # atelier-nord, Oct 4-31: 61 negative mentions on Oct 21 against a typical day of 1 (z = 40.5);
    # 80 in the period against 28 before: +185.7 %
    report = _demo("atelier-nord")
    first = report.findings[0]
    assert (first.kind, first.key, first.priority) == ("spike", "mentions_negative", 10)
    out = insights(report, "en")[0]
    assert {k: out[k] for k in ("day", "value", "basis", "ratio", "period_total", "previous", "source")} == {
        "day": "2026-10-21", "value": 61, "basis": 1, "ratio": 61, "period_total": 80, "previous": 28, "source": "mshk",
    }  # fmt: skip
    assert out["z"] == pytest.approx(40.469, abs=1e-3) and out["change"] == pytest.approx(80 / 28 * 100 - 100)
    assert out["text"] == (
        "Negative mentions spiked on Oct 21: 61 in one day, about 61x a typical day; most from mshk; "
        "80 in the period, +185.7% against the previous period (28)."
    )
    assert href(first) == "community.html#s-cm-mentions"


def test_the_demo_findings_are_ranked_crises_first_and_capped_at_six():
    report = _demo("coffee-point")
    assert [(f.kind, f.key) for f in report.findings] == [
        ("spike", "mentions_negative"),  # Oct 20: 61 against 1, z = 60
        ("spike", "complaints"),  # Oct 13: 11 against 1, z = 6.7
        ("target", "cpl"),  # missed: 481.85 against at most 400
        ("signal", "new_followers"),  # VK Oct 6, z = 56.8
        ("signal", "lost_followers"),  # VK Oct 10, z = 44.6
        ("change", "reach"),  # +75.0 %
    ]
    assert MAX_FINDINGS == 6
    for slug in ("atelier-nord", "coffee-point", "nimbus-crm"):
        found = _demo(slug).findings
        assert 0 < len(found) <= 6
        assert [f.priority for f in found] == sorted(f.priority for f in found), slug
    nimbus = _demo("nimbus-crm").findings
    assert [(f.kind, f.priority) for f in nimbus][:2] == [("target", 20), ("signal", 30)]
    # the CTR target, a percent: missed by points, not by a percent of a percent
    assert (
        phrase(nimbus[0], Labels("en"))
        == "Target missed for CTR by 0.64 pp: 0.56% against 1.2% (47.0% of target)."
    )
    assert phrase(nimbus[0], Labels("ru")) == (
        "Цель по показателю «CTR» не выполнена, не хватает 0,64\xa0п.\xa0п.: 0,56\xa0% при цели 1,2\xa0% "
        "(47,0\xa0% от цели)."
    )


def test_a_change_of_a_percent_kpi_is_said_in_points():
    er = next(f for f in _demo("nimbus-crm").findings if f.key == "er_post")
    assert er.fields["change_unit"][1] == "pp"
    assert er.change == pytest.approx(er.value - er.fields["previous"][1])
    assert phrase(er, Labels("en")) == "ER per post: 0.18%, +0.04 pp against the previous period (0.14%)."


def test_no_finding_accuses_and_the_weak_bump_of_the_issue_is_not_stated():
    # atelier-nord's Facebook: 36 new followers on Oct 24 against 19 a day (z = 3.8), then a lower ER:
    # an audience-quality signal of the spike table, too weak for a client's findings
    report = _demo("atelier-nord")
    weak = report.signals["audience_quality"]
    assert [(s["network"], s["date"], s["new_followers"]) for s in weak] == [("facebook", "2026-10-24", 36.0)]
    assert weak[0]["z"] == pytest.approx(3.822, abs=1e-3)
    assert not [f for f in report.findings if f.kind == "signal" and f.network == "facebook"]
    for slug in ("atelier-nord", "coffee-point", "nimbus-crm"):
        for lang in ("en", "ru"):
            text = " ".join(i["text"] for i in insights(_demo(slug), lang)).casefold()
            for word in ("bought", "bot ", "bots", "fake", "накрут", "бот", "купл"):
                assert word not in text, (slug, lang, word)
    from smmkit.report.i18n import LABELS  # nor any other text of the pages (the signals' section intro)

    for key, texts in LABELS.items():
        for text in texts.values():
            assert not any(w in text.casefold() for w in ("bought", "bot ", "bots", "накрут", "ботов")), key


def test_the_giveaway_the_analyst_explains_is_not_contradicted():
    # coffee-point's notes: «всплеск подписок 6–7 октября совпал с розыгрышем»
    report = _demo("coffee-point")
    quality = next(f for f in report.findings if f.rule.startswith("signal.quality"))
    assert quality.rule == "signal.quality.noted" and quality.noted
    out = next(i for i in insights(report, "ru") if i["key"] == "new_followers")
    assert (out["day"], out["value"], out["basis"], out["noted"]) == ("2026-10-06", 649, 59.5, True)
    assert out["text"] == (
        "ВКонтакте: всплеск подписок 6 октября (+649, примерно в 11 раз больше обычного дня) объяснён в заметках "
        "аналитика; ER публикаций после него снизился с 0,71\xa0% до 0,65\xa0%."
    )
    contest = next(i for i in insights(report, "en") if i["key"] == "lost_followers")
    assert contest["jump_day"] == "2026-10-07" and contest["noted"] is True
    assert contest["text"].endswith("The analyst's notes explain these days.")


BUMP = pd.Timestamp("2026-10-10")


def _bump_client(
    root, *, history, bump: int, notes: str | None = None, lang: str = "en", lost: int | None = None
):
    """One VK page of 10,000 followers: new followers a day by ``history(i)`` from Aug 1, ``bump`` on Oct 10;
    one post a day, 12 engagements before the bump and 7 after it (ER per post 0.12 % -> 0.07 %). With
    ``lost``: unfollows a day by ``history(i)`` too, ``lost`` of them on Oct 12 (else none)."""
    days = pd.date_range("2026-08-01", "2026-10-31")
    unfollows = (
        (lambda i, d: lost if d == BUMP + pd.Timedelta(days=2) else history(i)) if lost else lambda i, d: 0
    )
    audience = [{"network": "vk", "date": str(d.date()), "followers": 10_000, "lost_followers": unfollows(i, d),
                 "new_followers": bump if d == BUMP else history(i)} for i, d in enumerate(days)]  # fmt: skip
    posts = daily_posts("vk", "2026-08-01", "2026-10-31", 1000)
    for row in posts:
        if pd.Timestamp(row["published_at"]).normalize() > BUMP:
            row["likes"] = 5
    path = write_client(root, yaml=f"name: Acme\nlanguage: {lang}\n", audience=audience, posts=posts)
    if notes is not None:
        (path / "notes").mkdir()
        (path / "notes" / "2026-10.md").write_text(notes, encoding="utf-8")
    return load_client(path)


def _alternating(i: int) -> int:
    return 80 if i % 2 else 120  # median 100, MAD 20: scale 1.4826 x 20 = 29.65 a day


@pytest.mark.parametrize(
    ("history", "bump", "z", "stated"),
    [
        (_alternating, 240, 140 / 29.652, False),  # z = 4.72: a spike (> 3.5), below the findings' z = 5
        (_alternating, 260, 160 / 29.652, True),  # z = 5.40
        (lambda i: 10, 50, 40.0, False),  # z = 40 on a flat history, but only 40 above a typical day (< 50)
        (lambda i: 10, 70, 60.0, True),  # 60 above
    ],
)
def test_an_audience_signal_is_stated_only_past_both_thresholds(tmp_path, history, bump, z, stated):
    from smmkit.catalogue import SIGNAL_THRESHOLDS

    assert (SIGNAL_THRESHOLDS["audience_quality"].z, SIGNAL_THRESHOLDS["audience_quality"].excess) == (
        5.0,
        50.0,
    )
    report = kpis(_bump_client(tmp_path / "b", history=history, bump=bump), **PERIOD)
    signal = report.signals["audience_quality"]
    assert [s["date"] for s in signal] == ["2026-10-10"]  # the spike table has it either way
    assert signal[0]["z"] == pytest.approx(z, rel=1e-3)
    found = [f for f in report.findings if f.kind == "signal"]
    assert bool(found) is stated
    if stated:
        assert found[0].fields["basis"][1] == (100 if history is _alternating else 10)


def test_a_strong_signal_asks_to_check_its_source_and_a_noted_one_says_the_notes_explain_it(tmp_path):
    report = kpis(_bump_client(tmp_path / "a", history=_alternating, bump=260), **PERIOD)
    (signal,) = [f for f in report.findings if f.kind == "signal"]
    assert phrase(signal, Labels("en")) == (
        "VK: check the source of the Oct 10 spike (+260 new followers, about 2.6x a typical day); "
        "ER per post then fell from 0.12% to 0.07%."
    )
    assert phrase(signal, Labels("ru")) == (
        "ВКонтакте: проверьте источник всплеска подписок 10 октября (+260 новых подписчиков, примерно в 2,6 раза "
        "больше обычного дня); ER публикаций после него снизился с 0,12\xa0% до 0,07\xa0%."
    )
    noted = kpis(
        _bump_client(
            tmp_path / "n", history=_alternating, bump=260, notes="The giveaway of Oct 10 brought them.\n"
        ),
        **PERIOD,
    )
    (signal,) = [f for f in noted.findings if f.kind == "signal"]
    assert signal.noted and phrase(signal, Labels("en")) == (
        "VK: new followers jumped on Oct 10 (+260, about 2.6x a typical day), a day the analyst's notes explain; "
        "ER per post then fell from 0.12% to 0.07%."
    )


def _mentions_client(root, bump: int, first_author: str = "user0", daily: int = 1):
    """``daily`` negative mentions of Acme a day from Aug 1, ``bump`` of them on Oct 10 (by ``first_author``,
    user1...); with ``daily=0`` one positive mention a day instead (the dates covered)."""
    rows = []
    for d in pd.date_range("2026-08-01", "2026-10-31"):
        if d != BUMP and daily == 0:
            rows.append({"published_at": f"{d.date()} 09:00", "brand": "Acme", "network": "vk",
                         "sentiment": "positive", "author": "fan", "reach": 10, "text": "good",
                         "url": f"https://example.com/{d.date()}"})  # fmt: skip
        for k in range(bump if d == BUMP else daily):
            rows.append({"published_at": f"{d.date()} 10:{k:02d}", "brand": "Acme", "network": "vk",
                         "sentiment": "negative", "author": f"user{k}" if k else first_author, "reach": 10, "text": "bad",
                         "url": f"https://example.com/{d.date()}/{k}"})  # fmt: skip
    return load_client(write_client(root, mentions=rows))


@pytest.mark.parametrize(("bump", "stated"), [(10, False), (11, True)])
def test_a_negative_mention_spike_is_stated_from_ten_above_a_typical_day(tmp_path, bump, stated):
    report = kpis(_mentions_client(tmp_path / "m", bump), **PERIOD)
    spikes = report.spikes.loc[report.spikes["signal"] == "mentions_negative"]
    assert spikes["value"].tolist() == [bump] and spikes["z"].tolist() == [
        bump - 1.0
    ]  # a flat history: scale 1
    found = [f for f in report.findings if f.kind == "spike"]
    assert bool(found) is stated
    if stated:
        assert found[0].to_dict()["period_total"] == 28 + 10  # 27 ordinary days + the 11 of Oct 10
        assert phrase(found[0], Labels("en")).startswith(
            "Negative mentions spiked on Oct 10: 11 in one day, about 11x a typical day; most from user0; 38 in the "
            "period, +35.7% against the previous period (28)."
        )


def test_the_overview_list_marks_what_needs_attention_and_escapes_export_text(tmp_path):
    from smmkit.report.findings import _findings_list

    html = _findings_list(_demo("atelier-nord").findings, Labels("en"), page="overview")
    items = html.split("<li ")[1:]
    assert len(items) == 6
    assert 'data-kind="spike"' in items[0] and 'data-priority="10"' in items[0] and "data-alert" in items[0]
    assert 'data-kind="signal"' in items[1] and "data-alert" not in items[1]  # the giveaway the notes explain
    assert not any("data-alert" in i for i in items[2:])  # changes and positives
    report = kpis(_mentions_client(tmp_path / "x", 11, first_author="<script>alert(1)</script>"), **PERIOD)
    html = _findings_list(report.findings, Labels("en"), page="overview")
    assert "<script>" not in html and "most from &lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.parametrize(("lost", "stated"), [(240, False), (260, True)])  # z = 4.72 and 5.40, as above
def test_an_unfollow_wave_is_stated_only_past_its_thresholds(tmp_path, lost, stated):
    from smmkit.catalogue import SIGNAL_THRESHOLDS

    assert (SIGNAL_THRESHOLDS["contest_unfollows"].z, SIGNAL_THRESHOLDS["contest_unfollows"].excess) == (
        5.0,
        50.0,
    )
    report = kpis(_bump_client(tmp_path / "w", history=_alternating, bump=400, lost=lost), **PERIOD)
    waves = report.signals["contest_unfollows"]
    assert [(w["new_followers_date"], w["date"], w["days_after"]) for w in waves] == [
        ("2026-10-10", "2026-10-12", 2)
    ]
    found = [f for f in report.findings if f.rule == "signal.contest"]
    assert bool(found) is stated
    if stated:
        out = found[0].to_dict()
        assert (out["jump_day"], out["day"], out["value"], out["basis"], out["days_after"]) == (
            "2026-10-10", "2026-10-12", 260, 100, 2,
        )  # fmt: skip
        assert phrase(found[0], Labels("en")) == (
            "VK: an unfollow wave after the follower jump of Oct 10: 260 unfollows on Oct 12, 2 days later "
            "(about 2.6x a typical day)."
        )


def test_a_negative_spike_on_a_quiet_history_says_a_typical_day_has_none(tmp_path):
    # no negative mention for two months, then 11 on Oct 10: z = 11 (scale floor 1), 11 above a typical day of 0
    report = kpis(_mentions_client(tmp_path / "q", 11, daily=0), **PERIOD)
    (spike,) = [f for f in report.findings if f.kind == "spike"]
    out = spike.to_dict()
    assert (out["value"], out["basis"], out["ratio"], out["z"], out["previous"], out["change"]) == (
        11,
        0,
        None,
        11,
        0,
        None,
    )
    assert phrase(spike, Labels("en")) == (
        "Negative mentions spiked on Oct 10: 11 in one day, where a typical day has none; most from user0; "
        "11 in the period."
    )
    assert phrase(spike, Labels("ru")) == (
        "Всплеск негативных упоминаний 10 октября: 11 за день, когда в обычный день их нет; больше всего от user0; "
        "11 за период."
    )
