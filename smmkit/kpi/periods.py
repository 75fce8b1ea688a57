"""Report periods: closed ranges of local calendar days.

A period is ``[start, end]``, both days included, in the client's timezone
(metrics.md, "General rules"). The previous period has the same number of
days and ends the day before ``start``, so a 28-day window, its previous
window and the one before that tile the calendar with no gap and no overlap;
except for a calendar month (a period from the first to the last day of one
month, :attr:`Period.is_month`), whose previous period is the calendar month
before it, so that its trend steps by calendar months. A period is a calendar
month by its days, however it was made (``--month``, or ``--start``/``--end``
as the report notebooks receive it), except a standard window (:func:`window`,
``--window``) and the periods before it: 1-28 February of a common year made by
``--window 28d`` stays a 28-day window.

Ways to make one (all return :class:`Period`):

- ``Period(start, end)`` or :func:`period` with ``start=``/``end=``: a custom range;
- :func:`window` (``"7d"``, ``"28d"``, ``"90d"``) ending on a day;
- :func:`calendar_month` (``"2026-10"``);
- :func:`period_from_args`: the command-line options ``--start/--end``,
  ``--window --end`` or ``--month``.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from smmkit.errors import UsageError

__all__ = [
    "in_days",
    "WINDOWS",
    "Period",
    "parse_day",
    "window",
    "calendar_month",
    "period",
    "period_from_args",
]

#: The standard windows and their length in days (metrics.md: week, "month", quarter).
WINDOWS: dict[str, int] = {"7d": 7, "28d": 28, "90d": 90}

_DAY_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
_MONTH_RE = re.compile(r"(\d{4})-(0[1-9]|1[0-2])")


@dataclass(frozen=True, order=True)
class Period:
    """A closed range of local calendar days ``[start, end]``.

    Parameters
    ----------
    start, end
        First and last day, both included (``datetime.date``; ``end >= start``).
    calendar
        Whether it is a calendar month: ``None`` (default) decides by its days, ``False``
        keeps a standard window a window. Not part of equality.
    """

    start: dt.date
    end: dt.date
    calendar: bool | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        for name in ("start", "end"):
            value = getattr(self, name)
            if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
                raise UsageError(f"Period `{name}` must be a datetime.date; got {value!r}")
        if self.end < self.start:
            raise UsageError(f"the period end {self.end} is before its start {self.start}")

    @property
    def days(self) -> int:
        """Number of days in the period, both ends included."""
        return (self.end - self.start).days + 1

    @property
    def is_month(self) -> bool:
        """Whether the period is a calendar month: exactly one month's first to last day, unless
        made as a standard window (``calendar=False``)."""
        if self.calendar is False:
            return False
        last = calendar.monthrange(self.start.year, self.start.month)[1]
        return self.start.day == 1 and self.end == self.start.replace(day=last)

    def previous(self) -> Period:
        """The previous period: the calendar month before a calendar month (:attr:`is_month`),
        else the period of the same length ending the day before ``start``."""
        end = self.start - dt.timedelta(days=1)
        if self.is_month:
            return Period(end.replace(day=1), end, calendar=True)
        return Period(end - dt.timedelta(days=self.days - 1), end, calendar=self.calendar)

    def back(self, n: int) -> list[Period]:
        """The ``n`` consecutive periods ending with this one, oldest first (for trend charts):
        calendar months for a calendar month, else periods of its length."""
        if n < 1:
            raise UsageError(f"`n` must be at least 1; got {n!r}")
        out = [self]
        for _ in range(n - 1):
            out.append(out[-1].previous())
        return out[::-1]

    def dates(self) -> pd.DatetimeIndex:
        """Every day of the period as naive midnight timestamps (the dtype of ``audience.date``)."""
        return pd.date_range(self.start, self.end, freq="D")

    def mask(self, days: pd.Series) -> np.ndarray:
        """Which of ``days`` (naive local days, see :func:`smmkit.io.schema.local_day`) lie in the period."""
        return in_days(days, self.start, self.end)

    def to_dict(self) -> dict[str, object]:
        """``{"start": "YYYY-MM-DD", "end": "YYYY-MM-DD", "days": n}`` as in the JSON output."""
        return {"start": self.start.isoformat(), "end": self.end.isoformat(), "days": self.days}

    def __str__(self) -> str:
        return f"{self.start.isoformat()}..{self.end.isoformat()}"


def parse_day(value: str | dt.date | pd.Timestamp, *, name: str = "day") -> dt.date:
    """A calendar day from ``'YYYY-MM-DD'``, a ``date``, a ``datetime`` or a ``Timestamp``.

    Raises
    ------
    UsageError
        When ``value`` is not a day; the message names ``name`` and the value.
    """
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and _DAY_RE.fullmatch(value.strip()):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:  # e.g. 2026-02-30
            pass
    raise UsageError(f"{name} must be a day as YYYY-MM-DD; got {value!r}")


def window(end: str | dt.date, size: str | int) -> Period:
    """The standard window of ``size`` days ending on ``end`` (included).

    Parameters
    ----------
    end
        The last day of the window.
    size
        ``"7d"``, ``"28d"`` or ``"90d"`` (or the number of days 7, 28, 90).
    """
    days = _window_days(size)
    last = parse_day(end, name="end")
    return Period(last - dt.timedelta(days=days - 1), last, calendar=False)


def _window_days(size: str | int, name: str = "window") -> int:
    if isinstance(size, int) and not isinstance(size, bool) and size in WINDOWS.values():
        return size
    if isinstance(size, str) and size.strip().lower() in WINDOWS:
        return WINDOWS[size.strip().lower()]
    raise UsageError(f"{name} must be one of {', '.join(WINDOWS)}; got {size!r}")


def calendar_month(month: str) -> Period:
    """The calendar month ``'YYYY-MM'``, first to last day."""
    m = _MONTH_RE.fullmatch(month.strip()) if isinstance(month, str) else None
    if m is None:
        raise UsageError(f"month must be YYYY-MM (e.g. 2026-10); got {month!r}")
    year, mon = int(m.group(1)), int(m.group(2))
    last = calendar.monthrange(year, mon)[1]
    return Period(dt.date(year, mon, 1), dt.date(year, mon, last), calendar=True)


def period(
    *,
    start: str | dt.date | None = None,
    end: str | dt.date | None = None,
    window: str | int | None = None,
    month: str | None = None,
) -> Period:
    """Build a period from one of the allowed combinations of options.

    ``start`` + ``end`` (a custom range), ``window`` + ``end`` (a standard
    window), or ``month`` alone (a calendar month). Any other combination is
    a :class:`~smmkit.errors.UsageError` saying what is missing or conflicts.
    """
    return period_from_args(start=start, end=end, window=window, month=month, _api=True)


def period_from_args(
    *,
    start: str | dt.date | None,
    end: str | dt.date | None,
    window: str | int | None,
    month: str | None,
    _api: bool = False,
) -> Period:
    """The period chosen by the ``--start/--end``, ``--window --end`` or ``--month`` options.

    Raises
    ------
    UsageError
        When no period is given, options conflict (``--month`` with another
        option, ``--window`` with ``--start``), one is missing (``--end``),
        a day or month is malformed, or ``end`` is before ``start``.
    """
    opt = (lambda s: f"`{s}`") if _api else (lambda s: f"--{s}")
    if month is not None:
        given = [opt(n) for n, v in (("start", start), ("end", end), ("window", window)) if v is not None]
        if given:
            raise UsageError(f"{opt('month')} cannot be combined with {' or '.join(given)}")
        return calendar_month(month)
    if window is not None:
        if start is not None:
            raise UsageError(
                f"{opt('window')} ends on {opt('end')}; it cannot be combined with {opt('start')}"
            )
        if end is None:
            raise UsageError(
                f"{opt('window')} {window} needs {opt('end')} YYYY-MM-DD (the window's last day)"
            )
        days = _window_days(window, opt("window"))
        last = parse_day(end, name=opt("end"))
        return Period(last - dt.timedelta(days=days - 1), last, calendar=False)
    if start is None and end is None:
        raise UsageError(
            f"no period given: use {opt('start')} and {opt('end')}, {opt('window')} 7d|28d|90d "
            f"with {opt('end')}, or {opt('month')} YYYY-MM"
        )
    if start is None:
        raise UsageError(f"{opt('end')} needs {opt('start')} (or {opt('window')} 7d|28d|90d)")
    if end is None:
        raise UsageError(f"{opt('start')} needs {opt('end')}")
    first, last = parse_day(start, name=opt("start")), parse_day(end, name=opt("end"))
    if last < first:
        raise UsageError(f"{opt('end')} {last} is before {opt('start')} {first}")
    return Period(first, last)


def in_days(days: pd.Series, start: dt.date, end: dt.date) -> np.ndarray:
    """The one "is this day in ``[start, end]``" filter: a boolean array, False for a missing day."""
    values = np.asarray(days)
    if values.dtype.kind != "M":
        values = pd.to_datetime(pd.Series(days)).to_numpy()
    values = values.astype("datetime64[ns]", copy=False)
    first, last = np.datetime64(start, "ns"), np.datetime64(end, "ns")
    return (values >= first) & (values <= last)  # NaT compares False
