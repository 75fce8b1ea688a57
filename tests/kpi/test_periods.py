"""Periods: closed local-day ranges, standard windows, calendar months, previous periods."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from smmkit.errors import UsageError
from smmkit.kpi.periods import Period, calendar_month, parse_day, period, period_from_args, window

D = dt.date


def test_period_days_and_dates():
    p = Period(D(2026, 10, 1), D(2026, 10, 28))
    assert p.days == 28  # 28 - 1 + 1
    assert p.dates()[0] == pd.Timestamp("2026-10-01") and p.dates()[-1] == pd.Timestamp("2026-10-28")
    assert len(p.dates()) == 28
    days = pd.Series(pd.to_datetime(["2026-09-30", "2026-10-01", "2026-10-28", "2026-10-29"]))
    assert p.mask(days).tolist() == [False, True, True, False]
    assert str(p) == "2026-10-01..2026-10-28"
    assert p.to_dict() == {"start": "2026-10-01", "end": "2026-10-28", "days": 28}


def test_previous_period_of_the_contract_example():
    # data-contract.md: 2026-10-01..10-28 -> previous 2026-09-03..09-30 (28 days)
    p = Period(D(2026, 10, 1), D(2026, 10, 28))
    assert p.previous() == Period(D(2026, 9, 3), D(2026, 9, 30))


def test_windows_end_on_the_day():
    assert window("2026-10-28", "7d") == Period(D(2026, 10, 22), D(2026, 10, 28))  # 28 - 6
    assert window(D(2026, 10, 28), "28d") == Period(D(2026, 10, 1), D(2026, 10, 28))  # 28 - 27
    assert window("2026-10-28", "90d") == Period(
        D(2026, 7, 31), D(2026, 10, 28)
    )  # 28 + 30 + 31 + 1 = 90 days


def test_calendar_month_and_its_previous_period():
    oct_ = calendar_month("2026-10")
    assert oct_ == Period(D(2026, 10, 1), D(2026, 10, 31)) and oct_.days == 31
    assert calendar_month("2028-02").days == 29  # leap year
    # metrics.md (release 3): a calendar month compares with the calendar month before it
    assert oct_.previous() == Period(D(2026, 9, 1), D(2026, 9, 30)) and oct_.previous().days == 30
    assert calendar_month("2026-03").previous() == Period(D(2026, 2, 1), D(2026, 2, 28))
    assert calendar_month("2026-01").previous() == Period(D(2025, 12, 1), D(2025, 12, 31))


def test_a_calendar_month_steps_by_calendar_months_however_it_was_made():
    # --start/--end spanning one whole month (what the report notebooks receive) is a month too
    made = period(start="2026-03-01", end="2026-03-31")
    assert made.is_month
    assert [str(p) for p in made.back(4)] == [
        "2025-12-01..2025-12-31",
        "2026-01-01..2026-01-31",
        "2026-02-01..2026-02-28",
        "2026-03-01..2026-03-31",
    ]
    assert not period(start="2026-03-01", end="2026-03-30").is_month
    assert Period(D(2026, 3, 2), D(2026, 3, 31)).previous() == Period(D(2026, 1, 31), D(2026, 3, 1))


def test_a_28_day_window_that_is_also_february_stays_a_window():
    feb = window("2027-02-28", "28d")
    assert (feb.start, feb.end) == (D(2027, 2, 1), D(2027, 2, 28)) and not feb.is_month
    assert feb.previous() == Period(D(2027, 1, 4), D(2027, 1, 31))
    assert not period(window="28d", end="2027-03-28").previous().is_month  # 1-28 Feb, before a window


def test_back_lists_consecutive_periods():
    periods = window("2026-10-28", "7d").back(3)
    assert [str(p) for p in periods] == [
        "2026-10-08..2026-10-14",
        "2026-10-15..2026-10-21",
        "2026-10-22..2026-10-28",
    ]


@given(
    end=st.dates(min_value=D(2000, 1, 1), max_value=D(2100, 12, 31)),
    size=st.sampled_from(["7d", "28d", "90d"]),
    n=st.integers(min_value=1, max_value=5),
)
def test_windows_and_previous_periods_tile_with_no_gap_or_overlap(end, size, n):
    p = window(end, size)
    assert p.days == int(size[:-1]) and p.end == end
    chain = p.back(n + 1)
    for older, newer in zip(chain, chain[1:], strict=False):
        assert older.days == newer.days
        assert older.end + dt.timedelta(days=1) == newer.start  # no gap, no overlap


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        (
            dict(start="2026-10-01", end="2026-10-28", window=None, month=None),
            (D(2026, 10, 1), D(2026, 10, 28)),
        ),
        (dict(start=None, end="2026-10-28", window="28d", month=None), (D(2026, 10, 1), D(2026, 10, 28))),
        (dict(start=None, end="2026-10-28", window="7d", month=None), (D(2026, 10, 22), D(2026, 10, 28))),
        (dict(start=None, end=None, window=None, month="2026-02"), (D(2026, 2, 1), D(2026, 2, 28))),
        (
            dict(start="2026-10-05", end="2026-10-05", window=None, month=None),
            (D(2026, 10, 5), D(2026, 10, 5)),
        ),
        (dict(start=None, end=None, window=None, month=None), "no period given"),
        (dict(start="2026-10-01", end=None, window=None, month=None), "--start needs --end"),
        (dict(start=None, end="2026-10-28", window=None, month=None), "--end needs --start"),
        (dict(start=None, end=None, window="28d", month=None), "--window 28d needs --end"),
        (
            dict(start="2026-10-01", end="2026-10-28", window="28d", month=None),
            "cannot be combined with --start",
        ),
        (dict(start=None, end="2026-10-28", window="30d", month=None), "7d, 28d, 90d; got '30d'"),
        (
            dict(start="2026-10-01", end=None, window=None, month="2026-10"),
            "--month cannot be combined with --start",
        ),
        (dict(start=None, end=None, window=None, month="2026-13"), "YYYY-MM .*got '2026-13'"),
        (
            dict(start="2026-10-28", end="2026-10-01", window=None, month=None),
            "--end 2026-10-01 is before --start",
        ),
        (
            dict(start="01.10.2026", end="2026-10-28", window=None, month=None),
            "--start must be a day as YYYY-MM-DD",
        ),
        (dict(start="2026-02-30", end="2026-03-01", window=None, month=None), "got '2026-02-30'"),
    ],
)
def test_period_from_args(kwargs, expected):
    if isinstance(expected, str):
        with pytest.raises(UsageError, match=expected):
            period_from_args(**kwargs)
    else:
        p = period_from_args(**kwargs)
        assert (p.start, p.end) == expected


def test_api_messages_name_arguments_not_options():
    with pytest.raises(UsageError, match="`window` 28d needs `end`"):
        period(window="28d")


def test_parse_day_and_bad_periods():
    assert parse_day(pd.Timestamp("2026-10-01 15:00")) == D(2026, 10, 1)
    assert parse_day(" 2026-10-01 ") == D(2026, 10, 1)
    with pytest.raises(UsageError, match="before its start"):
        Period(D(2026, 10, 2), D(2026, 10, 1))
    with pytest.raises(UsageError, match="must be a datetime.date"):
        Period("2026-10-01", D(2026, 10, 2))
