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
    assert out[0]["text"] == "Total post reach: 78,400, +55.6% against the previous period."
    assert out[1]["text"].startswith(
        "Total post reach: most of the change came from VK, +28,000 (+100.0% on its own)"
    )
    assert "its top post (Oct 4) reached 2,000" in out[1]["text"]  # the earliest of the tied top posts
    assert href(report.findings[1]) == "networks.html#s-nw-reach"
    assert href(report.findings[1], page="networks") == "#s-nw-reach"


def test_russian_sentences_use_the_locale_and_network_names(tmp_path):
    report = kpis(_campaign(tmp_path / "c", lang="ru"), **PERIOD)
    out = insights(report, Labels("ru"))
    assert out[0]["text"] == "Суммарный охват: 78\xa0400, +55,6\xa0% к прошлому периоду."
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
