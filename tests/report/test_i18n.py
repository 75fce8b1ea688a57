"""smmkit.report.i18n: the label catalogue and locale formatting (issue 5, report language)."""

from __future__ import annotations

import datetime as dt
import math
import re

import pytest

from smmkit.catalogue import KPI_KEYS
from smmkit.errors import UsageError
from smmkit.kpi.periods import Period
from smmkit.report.i18n import (
    LABELS,
    LANGUAGES,
    NBSP,
    Labels,
    change_class,
    format_change,
    format_date,
    format_kpi,
    format_number,
    format_period,
    kpi_kind,
    t,
)


@pytest.mark.parametrize(
    ("value", "lang", "kind", "currency", "expected"),
    [
        # counts: thousands separators; ru uses a no-break space
        (1234567.0, "en", "count", None, "1,234,567"),
        (1234567.0, "ru", "count", None, f"1{NBSP}234{NBSP}567"),
        (0.0, "ru", "count", None, "0"),
        (-1500.0, "en", "count", None, "-1,500"),
        # a count is whole (a mean count below 10 keeps 1 decimal: a typical day's 2.5 mentions)
        (1234.56, "en", "count", None, "1,235"),
        (2.5, "en", "count", None, "2.5"),
        # ratios (the per-post means) as people write them (issue 24): whole from 10, 1 decimal from 0.1,
        # 2 significant digits below; ru 1 235 / en 1,235 (reach per post, not 1,234.56)
        (1234.56, "ru", "ratio", None, f"1{NBSP}235"),
        (1234.56, "en", "ratio", None, "1,235"),
        (45.3, "en", "ratio", None, "45"),
        (2.345, "en", "ratio", None, "2.3"),
        (2.45, "ru", "ratio", None, "2,5"),  # 2.45 is 2.4500000000000002 in binary
        (0.0012, "en", "ratio", None, "0.0012"),
        (0.05123, "en", "ratio", None, "0.051"),
        # percent: 1 decimal; 2 below 1 % (ER per post is typically 0.5-5 %)
        (12.345, "en", "percent", None, "12.3%"),
        (12.345, "ru", "percent", None, f"12,3{NBSP}%"),
        (0.456, "en", "percent", None, "0.46%"),
        (0.65, "en", "percent", None, "0.65%"),
        (0.042, "ru", "percent", None, f"0,04{NBSP}%"),
        (0.0, "en", "percent", None, "0.0%"),
        (150.0, "en", "percent", None, "150.0%"),
        # currency: 2 decimals below 1,000 unless whole, 0 above; symbol or code
        (1234.56, "en", "currency", "USD", "$1,235"),
        (12.5, "en", "currency", "USD", "$12.50"),
        (12.0, "en", "currency", "EUR", "€12"),
        (1234.5, "ru", "currency", "RUB", f"1{NBSP}234{NBSP}₽"),
        (399.99, "ru", "currency", "RUB", f"399,99{NBSP}₽"),
        (1234.0, "en", "currency", "RUB", f"1,234{NBSP}RUB"),
        (50.0, "en", "currency", "CHF", f"50{NBSP}CHF"),
        # hours and seconds
        (3.25, "en", "hours", None, "3.2 h"),  # 3.25 is exact in binary: round half to even
        (3.75, "ru", "hours", None, f"3,8{NBSP}ч"),
        (74.4, "en", "seconds", None, "74 s"),
        (74.4, "ru", "seconds", None, f"74{NBSP}с"),
        # unknown
        (float("nan"), "en", "count", None, "n/a"),
        (None, "ru", "percent", None, "н/д"),
        (math.inf, "en", "percent", None, "n/a"),
    ],
)
def test_format_number(value, lang, kind, currency, expected):
    assert format_number(value, lang, kind=kind, currency=currency) == expected


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: format_number(1.0, "de"), "`lang` must be one of en, ru; got 'de'"),
        (lambda: format_number(1.0, "en", kind="money"), "`kind` must be one of .*; got 'money'"),
        (lambda: t("no.such.key", "en"), "no label 'no.such.key'"),
        (lambda: kpi_kind("reach_total"), "unknown KPI key 'reach_total'"),
    ],
)
def test_errors_name_the_bad_value(call, match):
    with pytest.raises(UsageError, match=match):
        call()


def test_every_kpi_has_a_name_and_formula_in_both_languages():
    for key in KPI_KEYS:
        for lang in LANGUAGES:
            assert t(f"kpi.{key}", lang).strip(), key
            assert t(f"formula.{key}", lang).strip(), key
    # and every catalogue entry has both languages
    assert all(set(entry) == set(LANGUAGES) for entry in LABELS.values())


def test_russian_labels_are_russian():
    assert t("kpi.followers_end", "ru") == "Подписчики"
    assert t("ov.top", "ru") == "Топ-5 публикаций по охвату"
    assert t("net.vk", "ru") == "ВКонтакте"
    assert t("net.vk", "en") == "VK"


def test_format_kpi_uses_the_kpi_unit():
    assert format_kpi("er", 2.314, "en") == "2.3%"
    assert format_kpi("followers_end", 12840.0, "ru") == f"12{NBSP}840"
    assert format_kpi("cpl", 412.5, "ru", currency="RUB") == f"412,50{NBSP}₽"
    assert format_kpi("avg_response_time_h", 1.5, "en") == "1.5 h"
    assert format_kpi("posts_per_week", 10.25, "en") == "10"  # ratio: whole at >= 10
    assert format_kpi("reach_per_post", 1234.56, "en") == "1,235"  # issue 24: not 1,234.56


def test_format_change_is_signed():
    assert format_change(12.34, "en") == "+12.3%"
    assert format_change(-4.0, "ru") == f"-4,0{NBSP}%"
    assert format_change(0.0, "en") == "0.0%"
    assert format_change(-0.04, "en") == "0.0%"  # rounds to 0: no sign, never -0.0
    assert format_change(float("nan"), "en") == "n/a"


@pytest.mark.parametrize(
    ("key", "change", "expected"),
    [("er", 3.0, "good"), ("er", -3.0, "bad"), ("cpl", 3.0, "bad"), ("cpl", -3.0, "good"),
     ("lost_followers", -1.0, "good"), ("er", 0.04, "flat"), ("er", float("nan"), ""), ("er", None, "")],
)  # fmt: skip
def test_change_class(key, change, expected):
    assert change_class(key, change) == expected


# One sign and arrow rule (smmkit.kpi.result): the cards, the index, the findings and the text table agree.
@pytest.mark.parametrize(
    ("change", "direction", "card", "index", "finding", "plain"),
    [(12.34, "up", "▲ +12.3%", "▲ +12.3%", "+12", "+12.3 %"),
     (-4.0, "down", "▼ -4.0%", "▼ -4.0%", "-4", "-4.0 %"),
     (0.0, "flat", "= 0.0%", "= 0.0%", "0", "0.0 %"),
     (0.04, "flat", "= 0.0%", "= 0.0%", "+0", "+0.0 %"),
     (float("nan"), "", "", "", None, "-"),
     (None, "", "", "", None, "-")],
)  # fmt: skip
def test_one_change_sign_and_arrow_rule(change, direction, card, index, finding, plain):
    from smmkit.batch.render import format_headline_change
    from smmkit.kpi.result import ARROWS, change_direction, plain_change
    from smmkit.report.findings import _format
    from smmkit.report.fragments import kpi_card

    assert change_direction(change) == direction
    html = kpi_card("reach", 2.0, "en", change=change)  # a count: its change is relative (%)
    shown = re.search(r'smmkit-card-change smmkit-\w+">([^<]*) <span', html)
    assert (shown.group(1) if shown else "") == card
    assert format_headline_change("reach", change)[0] == index
    if finding is not None:
        assert _format("signed", change, Labels("en")) == finding
    assert plain_change(change) == plain  # `smmkit kpis --format table`: 0 has no sign, as on the pages
    assert (ARROWS[direction] if direction else "") == (card[:1] if card else "")


def test_the_labels_table_is_labels_not_a_second_catalogue():
    from smmkit import catalogue, config
    from smmkit.report import i18n

    assert not hasattr(i18n, "CATALOGUE")
    assert i18n.LANGUAGES is catalogue.LANGUAGES is config.LANGUAGES  # one list of languages
    assert LABELS["kpi.er"] == {"en": "ER for the period", "ru": "ER за период"}
    assert LABELS["finding.change"]["en"].startswith("{kpi}")


def test_dates_and_periods():
    assert format_date(dt.date(2026, 10, 4), "en") == "Oct 4, 2026"
    assert format_date("2026-10-04", "ru") == "4 октября 2026"
    assert format_date(dt.date(2026, 10, 4), "ru", year=False) == "4 октября"
    p = Period(dt.date(2026, 10, 4), dt.date(2026, 10, 31))  # 31 - 4 + 1 = 28 days
    assert format_period(p, "en") == "Oct 4, 2026 – Oct 31, 2026 (28 days)"
    assert format_period(p, "ru") == "4 октября 2026 – 31 октября 2026 (28 дней)"


@pytest.mark.parametrize(
    ("n", "word"),
    [
        (1, "день"),
        (21, "день"),
        (2, "дня"),
        (24, "дня"),
        (5, "дней"),
        (11, "дней"),
        (12, "дней"),
        (111, "дней"),
    ],
)
def test_russian_day_plural(n, word):
    assert t("days", "ru", n=n) == f"{n} {word}"


def test_labels_bind_language_and_currency():
    L = Labels("ru", currency="RUB")
    assert L.kpi("reach") == "Суммарный охват"
    assert L.axis("er_post") == "ER публикации, %"
    assert L.axis("cpl") == "CPL, RUB"
    assert L.value("total_cost", 120000.0) == f"120{NBSP}000{NBSP}₽"
    assert L.weekdays()[0] == "Пн"
    assert L("no_data", what=L("what.web")) == "Нет данных: веб-аналитика (за этот период у клиента)."
    with pytest.raises(UsageError, match="got 'fr'"):
        Labels("fr")
