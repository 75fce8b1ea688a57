"""The period's findings as structured facts: deterministic rules over a :class:`KPIReport`.

Each rule reads numbers the report already holds (``total``, ``networks``,
``change``, ``previous``, ``top_posts``, ``targets``, ``signals``, ``spikes``)
and the client's daily spikes, and returns :class:`Finding` facts; the
sentences are built from them in the client's language by
:mod:`smmkit.report.findings` (the KPI layer knows no language: the layer
contract lets only the report layer use :mod:`smmkit.report.i18n`). Every
number a sentence quotes is a field of the finding (:attr:`Finding.fields`),
and every field is in its JSON (:meth:`Finding.to_dict`), so each number of
the text can be traced.

Ranking: what a client must hear first
--------------------------------------
Each finding has a *priority* (:data:`PRIORITY`; lower comes first) and a
*size* within it (larger first); ties keep the rule order below. At most
:data:`MAX_FINDINGS` are kept.

=====  ===========  ==========================================================  ===========================
prio.  class        findings                                                    size within the class
=====  ===========  ==========================================================  ===========================
10     crisis       a spike of negative mentions, of complaints                 the day's robust z
20     missed       a missed target                                             the shortfall (100 - attainment)
30     signal       a follower jump followed by a lower ER per post; an         the day's robust z
                    unfollow wave after a follower jump
40     change       a change for the worse (by the catalogue's direction), or   ``|change|`` in %, followers
                    one for the better of at least :data:`LARGE_CHANGE` %,      x 5; the driver right after
                    and the network that drove it                               its change
50     positive     the best post                                               how far above the median
51     positive     a met target                                                the surplus (attainment - 100)
52     positive     a smaller change for the better (the response finding too)  ``|change|``
=====  ===========  ==========================================================  ===========================

Rules (a rule with too little data says nothing):

- ``spike`` (``mentions_negative``, ``complaints``): the period's largest day
  (by z) of the client's negative own mentions, or of the complaints on its
  posts (by the posts' day), when it passes the catalogue's
  :data:`~smmkit.catalogue.SIGNAL_THRESHOLDS`: ``day``, ``value`` (that
  day's count), ``basis`` (the typical day: the median of the 28 days
  before), ``ratio`` (value / basis), ``z``, ``source`` (the top author or
  network), and the period's ``period_total``, ``previous`` and ``change``.
- ``target``: each ``client.yaml`` target with a known actual: met or missed;
  ``value`` = actual, ``change`` = actual - target in the KPI's unit
  (percentage points for a percent KPI), ``attainment``.
- ``signal``: the audience-quality and post-contest signals of
  :mod:`smmkit.kpi.signals`, the largest day per network, each only when it
  passes its thresholds (the catalogue's): ``day``, ``value`` (that day's new
  or lost followers), ``basis``, ``ratio``, ``z``; quality adds the mean
  ``er_post_before`` and ``er_post_after``, the unfollow wave ``jump_day`` and
  ``days_after``. Worded neutrally ("check the source of the spike"), never
  as bought or bot followers.
- ``change``: followers (``followers_end``, ``|change| >= 1 %``), ``reach``,
  ``er_post``, ``leads``, ``cpl`` (``|change| >= 5 %``), when the previous value is
  known and not 0 (leads and CPL: at least :data:`MIN_LEADS` leads in both
  periods): ``value``, ``previous``, ``change`` (relative %, or percentage
  points for a percent KPI: ``change_unit``).
- ``driver`` (after the change of an additive KPI: followers, reach, leads,
  with at least two networks): the network whose own change (``value`` =
  current - previous) moves most in the total's direction, its ``previous``
  and own ``change``, and for reach its post with the highest reach among
  ``top_posts`` (``day``, ``post_reach``).
- response (kind ``change``, key ``response_rate``): with at least
  :data:`MIN_QUESTIONS` questions.
- ``best_post``: the post with the highest ER per post among at least
  :data:`MIN_POSTS` posts with a known one, when it is at least 50 % above
  the period's median post (``basis``; ``change`` = how far above, in %).

The analyst's notes: a finding about a day the notes of its month name
(:func:`smmkit.io.notes.noted_days`) says so (``noted``) instead of
guessing at a cause.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from smmkit.catalogue import LOWER_IS_BETTER, SIGNAL_THRESHOLDS
from smmkit.catalogue import kpi as catalogue_kpi

__all__ = [
    "CHANGE_KEYS",
    "LARGE_CHANGE",
    "MAX_FINDINGS",
    "MIN_LEADS",
    "MIN_POSTS",
    "MIN_QUESTIONS",
    "PRIORITY",
    "Finding",
    "find",
]

MAX_FINDINGS = 6
MIN_POSTS = 5
MIN_QUESTIONS = 5
MIN_LEADS = 5
#: A change for the better at least this large (relative, in %, whatever the KPI's unit) is one of the
#: period's largest changes (priority 40), not a smaller positive (52): a quarter up is a campaign's
#: story rather than the drift of an ordinary month.
LARGE_CHANGE = 25.0
#: Finding class -> priority: lower is told first (the module doc's table).
PRIORITY: dict[str, int] = {
    "crisis": 10,
    "missed": 20,
    "signal": 30,
    "change": 40,
    "best_post": 50,
    "met": 51,
    "positive": 52,
}
#: KPI key -> the smallest |change| in percent worth a finding.
CHANGE_KEYS: dict[str, float] = {"followers_end": 1.0, "reach": 5.0, "er_post": 5.0, "leads": 5.0, "cpl": 5.0}
_ADDITIVE = ("followers_end", "reach", "leads")
_WEIGHT = {"followers_end": 5.0}
#: KPI -> (count, minimum in both periods) below which its change is noise, not a finding.
_BASE = {"leads": ("leads", MIN_LEADS), "cpl": ("leads", MIN_LEADS)}
#: Format of a field that only the JSON carries (the sentence does not quote it).
FACT = "fact"


@dataclass
class Finding:
    """One finding: its JSON fields (data-contract.md) and what its sentence needs.

    ``rule`` names the sentence template (``finding.<rule>`` in
    :mod:`smmkit.report.i18n`); ``fields`` maps each placeholder to
    ``(format, value)`` and is also the finding's JSON (under the same names):
    ``"kpi_name"`` (the KPI key, the JSON's ``key``), ``"network"`` (the JSON's
    ``network``), ``"kpi:<key>"`` (a value in the KPI's unit), ``"gap:<key>"``
    (an unsigned difference in it; percentage points for a percent KPI),
    ``"signed:<key>"`` (a signed one), ``"change"`` (a signed relative change
    in %), ``"points"`` (a signed change in percentage points), ``"percent"``,
    ``"count"``, ``"ratio"`` (a multiple, "about 11x"), ``"date"``, ``"days"``,
    ``"text"`` and :data:`FACT` (JSON only).
    """

    kind: str
    rule: str
    key: str | None
    network: str | None
    value: float | None
    change: float | None
    priority: int
    size: float
    fields: dict[str, tuple[str, Any]] = field(default_factory=dict)
    url: str | None = None

    @property
    def noted(self) -> bool:
        """Whether the analyst's notes name the day this finding is about."""
        return bool(self.fields.get("noted", (FACT, False))[1])

    def to_dict(self) -> dict[str, Any]:
        """The JSON object of the finding (without its ``text``): every field its sentence quotes."""
        out: dict[str, Any] = {
            "kind": self.kind,
            "key": self.key,
            "network": self.network,
            "value": _num(self.value),
            "change": _num(self.change),
            "priority": self.priority,
        }
        for name, (fmt, value) in self.fields.items():
            if fmt in ("kpi_name", "network") or name in out:
                continue
            out[name] = _json(fmt, value)
        return out


def _json(fmt: str, value: Any) -> Any:
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if fmt == "date":
        return None if value is None else pd.Timestamp(value).date().isoformat()
    if fmt == "text" or isinstance(value, str):
        return None if value is None else str(value)
    return _num(value)


def _num(value: Any) -> float | int | None:
    if value is None:
        return None
    try:
        x = float(value)
    except (TypeError, ValueError):
        return None
    if not math.isfinite(x):
        return None
    return int(x) if x.is_integer() and abs(x) < 2**53 else x


def _ok(value: Any) -> bool:
    return _num(value) is not None


def _percent(key: str) -> bool:
    return catalogue_kpi(key).unit == "percent"


def _day(value: Any) -> dt.date:
    return pd.Timestamp(value).date()


# --------------------------------------------------------------------------- crises
def _typical(value: float, basis: float) -> dict[str, tuple[str, Any]]:
    """``basis`` (the typical day) and ``ratio`` (how many typical days the day holds; None from 0)."""
    ratio = value / basis if basis > 0 else None
    return {"basis": ("count", basis), "ratio": ("ratio", ratio)}


def _spike_finding(report: Any, key: str, row: Any, noted: frozenset[dt.date]) -> Finding:
    day = _day(row["date"])
    value, basis, z = float(row["value"]), float(row["median"]), float(row["z"])
    fields: dict[str, tuple[str, Any]] = {
        "kpi": ("kpi_name", key),
        "day": ("date", day),
        "value": ("count", value),
        **_typical(value, basis),
        "z": (FACT, z),
        "source": ("text", None if pd.isna(row["top_source"]) else str(row["top_source"])),
        "period_total": ("count", report.total.get(key, np.nan)),
        "previous": ("count", report.previous.total.get(key, np.nan)),
        "change": ("change", report.change.total.get(key, np.nan)),
        "noted": (FACT, day in noted),
    }
    change = _num(fields["change"][1])
    return Finding("spike", f"spike.{key}", key, None, value, change, PRIORITY["crisis"], z, fields)


def _strongest(rows: pd.DataFrame, signal: str) -> pd.DataFrame:
    """The rows that pass ``signal``'s thresholds (the catalogue's), strongest first (ties: earlier)."""
    limit = SIGNAL_THRESHOLDS[signal]
    keep = (rows["z"] >= limit.z) & (rows["value"] - rows["median"] >= limit.excess)
    return rows.loc[keep.to_numpy()].sort_values(["z", "date"], ascending=[False, True], kind="stable")


def _in_period(frame: pd.DataFrame, report: Any) -> pd.DataFrame:
    days = pd.to_datetime(frame["date"])
    p = report.period
    return frame.loc[((days >= pd.Timestamp(p.start)) & (days <= pd.Timestamp(p.end))).to_numpy()]


def _crises(report: Any, spikes: dict[str, Any], noted: frozenset[dt.date]) -> list[Finding]:
    out = []
    negative = report.spikes.loc[report.spikes["signal"] == "mentions_negative"]
    complaints = spikes.get("complaints")
    for key, rows in (("mentions_negative", negative), ("complaints", complaints)):
        if rows is None or rows.empty:
            continue
        strong = _strongest(_in_period(rows, report), key)
        if len(strong):
            out.append(_spike_finding(report, key, strong.iloc[0], noted))
    return out


# --------------------------------------------------------------------------- targets
def _targets(report: Any) -> list[Finding]:
    out = []
    for row in report.targets.to_dict("records"):
        key, target, actual, attainment = row["key"], row["target"], row["actual"], row["attainment"]
        if not (_ok(actual) and _ok(target) and _ok(attainment)):
            continue
        gap = float(actual) - float(target)
        met = attainment >= 100
        lower = key in LOWER_IS_BETTER
        fields = {
            "kpi": ("kpi_name", key),
            "value": (f"kpi:{key}", actual),
            "target": (f"kpi:{key}", target),
            "change": (f"gap:{key}", gap),
            "attainment": ("percent", attainment),
        }
        rule = f"target.{'met' if met else 'missed'}{'.lower' if lower else ''}"
        priority = PRIORITY["met" if met else "missed"]
        size = attainment - 100 if met else 100 - attainment
        out.append(Finding("target", rule, key, None, float(actual), gap, priority, size, fields))
    return out


# --------------------------------------------------------------------------- audience signals
def _largest(signals: list[dict], value: str) -> list[dict]:
    """One signal per network: its largest day (ties: the earlier), networks in order of first appearance."""
    best: dict[str, dict] = {}
    for s in signals:
        if s["network"] not in best or s[value] > best[s["network"]][value]:
            best[s["network"]] = s
    return list(best.values())


def _basis(frame: pd.DataFrame | None, network: str, day: str) -> float:
    """The typical day (median of the 28 days before) of ``network``'s spike on ``day``; NaN if unknown."""
    if frame is None or frame.empty:
        return float("nan")
    hit = frame.loc[
        (frame["network"] == network).to_numpy()
        & (pd.to_datetime(frame["date"]) == pd.Timestamp(day)).to_numpy()
    ]
    return float(hit["median"].iloc[0]) if len(hit) else float("nan")


def _strong(signal: str, value: float, basis: float, z: float) -> bool:
    limit = SIGNAL_THRESHOLDS[signal]
    return math.isfinite(basis) and z >= limit.z and value - basis >= limit.excess


def _quality(report: Any, spikes: dict[str, Any], noted: frozenset[dt.date]) -> list[Finding]:
    out = []
    strong = []
    for s in report.signals.get("audience_quality", []):
        basis = _basis(spikes.get("new_followers"), s["network"], s["date"])
        if _strong("audience_quality", s["new_followers"], basis, s["z"]):
            strong.append({**s, "basis": basis})
    for s in _largest(strong, "new_followers"):
        day = _day(s["date"])
        fields = {
            "network": ("network", s["network"]),
            "day": ("date", day),
            "value": ("count", s["new_followers"]),
            **_typical(s["new_followers"], s["basis"]),
            "z": (FACT, s["z"]),
            "er_post_before": ("kpi:er_post", s["er_post_before"]),
            "er_post_after": ("kpi:er_post", s["er_post_after"]),
            "noted": (FACT, day in noted),
        }
        rule = "signal.quality.noted" if day in noted else "signal.quality"
        out.append(
            Finding(
                "signal",
                rule,
                "new_followers",
                s["network"],
                s["new_followers"],
                None,
                PRIORITY["signal"],
                s["z"],
                fields,
            )  # fmt: skip
        )
    return out


def _contest(report: Any, spikes: dict[str, Any], noted: frozenset[dt.date]) -> list[Finding]:
    out = []
    strong = []
    for s in report.signals.get("contest_unfollows", []):
        basis = _basis(spikes.get("lost_followers"), s["network"], s["date"])
        if _strong("contest_unfollows", s["lost_followers"], basis, s["z"]):
            strong.append({**s, "basis": basis})
    for s in _largest(strong, "lost_followers"):
        day, jump = _day(s["date"]), _day(s["new_followers_date"])
        fields = {
            "network": ("network", s["network"]),
            "jump_day": ("date", jump),
            "day": ("date", day),
            "value": ("count", s["lost_followers"]),
            **_typical(s["lost_followers"], s["basis"]),
            "z": (FACT, s["z"]),
            "days_after": ("days", s["days_after"]),
            "noted": (FACT, day in noted or jump in noted),
        }
        out.append(
            Finding(
                "signal",
                "signal.contest",
                "lost_followers",
                s["network"],
                s["lost_followers"],
                None,
                PRIORITY["signal"],
                s["z"],
                fields,
            )  # fmt: skip
        )
    return out


# --------------------------------------------------------------------------- changes and drivers
def _good(key: str, change: float) -> bool:
    """Whether a change is good news by the catalogue's direction."""
    return (change < 0) if key in LOWER_IS_BETTER else (change > 0)


def _change_priority(key: str, relative: float) -> int:
    return (
        PRIORITY["positive"] if _good(key, relative) and abs(relative) < LARGE_CHANGE else PRIORITY["change"]
    )


def _changes(report: Any) -> list[Finding]:
    out = []
    for key, threshold in CHANGE_KEYS.items():
        value, relative = report.total.get(key, np.nan), report.change.total.get(key, np.nan)
        previous = report.previous.total.get(key, np.nan)
        if not (_ok(value) and _ok(relative) and _ok(previous)) or abs(relative) < threshold:
            continue
        base = _BASE.get(key)
        if base is not None and not all(
            _ok(t.get(base[0])) and t.get(base[0]) >= base[1] for t in (report.total, report.previous.total)
        ):
            continue  # 2 -> 4 leads is "+100 %" and says nothing
        points = _percent(key)
        change = float(value) - float(previous) if points else float(relative)
        size = abs(relative) * _WEIGHT.get(key, 1.0)
        priority = _change_priority(key, relative)
        fields = {
            "kpi": ("kpi_name", key),
            "value": (f"kpi:{key}", value),
            "change": ("points" if points else "change", change),
            "change_unit": (FACT, "pp" if points else "%"),
            "previous": (f"kpi:{key}", previous),
        }
        rule = "change.up" if relative > 0 else "change.down"
        out.append(Finding("change", rule, key, None, float(value), change, priority, size, fields))
        if key in _ADDITIVE:
            driver = _driver(report, key, relative, priority, size)
            if driver is not None:
                out.append(driver)
    return out


def _driver(report: Any, key: str, total_change: float, priority: int, size: float) -> Finding | None:
    cur, prev = report.networks[key], report.previous.networks.reindex(report.networks.index)[key]
    delta = (cur - prev).dropna()
    if len(delta) < 2:
        return None
    sign = 1.0 if total_change > 0 else -1.0
    moved = (delta * sign).sort_values(ascending=False, kind="stable")
    net = str(moved.index[0])
    if moved.iloc[0] <= 0:
        return None
    fields: dict[str, tuple[str, Any]] = {
        "kpi": ("kpi_name", key),
        "network": ("network", net),
        "value": (f"signed:{key}", float(delta[net])),
        "previous": (f"kpi:{key}", float(prev[net])),
    }
    net_change = report.change.networks.loc[net, key]
    rule = "driver"
    if _ok(net_change):
        fields["change"] = ("change", float(net_change))
        rule = "driver.change"
    url = None
    if key == "reach" and len(report.top_posts):
        top = report.top_posts.loc[report.top_posts["network"].astype(str) == net]
        if len(top) and _ok(top.iloc[0]["reach"]):
            post = top.iloc[0]
            fields["day"] = ("date", _day(post["published_at"]))
            fields["post_reach"] = ("kpi:reach", float(post["reach"]))
            rule += ".post"
            url = None if pd.isna(post["url"]) else str(post["url"])
    return Finding("driver", rule, key, net, float(delta[net]), _num(net_change), priority, size, fields, url)


def _response(report: Any) -> list[Finding]:
    t = report.total
    questions, rate = t.get("questions", np.nan), t.get("response_rate", np.nan)
    if not (_ok(questions) and _ok(rate)) or questions < MIN_QUESTIONS:
        return []
    fields = {
        "answered": ("count", t["answered"]),
        "questions": ("count", questions),
        "value": ("kpi:response_rate", rate),
    }
    rule = "response"
    if _ok(t.get("median_response_time_h")):
        fields["median_response_time_h"] = ("kpi:median_response_time_h", t["median_response_time_h"])
        rule += ".median"
    speed = t.get("response_time_change", np.nan)
    if _ok(speed) and abs(speed) >= 5:
        fields["response_time_change"] = ("percent", speed)  # the sentence says faster or slower
        rule += ".faster" if speed > 0 else ".slower"
    change = report.change.total.get("response_rate", np.nan)
    slower = rule.endswith(".slower")
    size = abs(speed) if _ok(speed) else 0.0
    priority = PRIORITY["change"] if slower or rate < 80 else PRIORITY["positive"]
    return [Finding("change", rule, "response_rate", None, rate, _num(change), priority, size, fields)]


def _best_post(report: Any, posts: pd.DataFrame) -> list[Finding]:
    p = report.period
    rows = posts.loc[
        (posts["day"] >= pd.Timestamp(p.start)).to_numpy()
        & (posts["day"] <= pd.Timestamp(p.end)).to_numpy()
        & posts["er_post"].notna().to_numpy()
    ]
    if len(rows) < MIN_POSTS:
        return []
    median = float(rows["er_post"].median())
    best = rows.sort_values(["er_post", "published_at"], ascending=[False, True], kind="stable").iloc[0]
    if median <= 0:
        return []
    above = (float(best["er_post"]) / median - 1) * 100
    if above < 50:
        return []
    fields = {
        "network": ("network", str(best["network"])),
        "day": ("date", _day(best["day"])),
        "value": ("kpi:er_post", float(best["er_post"])),
        "change": ("percent", above),
        "basis": ("kpi:er_post", median),
    }
    url = None if pd.isna(best.get("url")) else str(best["url"])
    return [
        Finding(
            "best_post",
            "best_post",
            "er_post",
            str(best["network"]),
            float(best["er_post"]),
            above,
            PRIORITY["best_post"],
            above,
            fields,
            url,
        )  # fmt: skip
    ]


def find(
    report: Any,
    *,
    posts: pd.DataFrame,
    spikes: dict[str, Any] | None = None,
    noted: frozenset[dt.date] | set[dt.date] = frozenset(),
) -> list[Finding]:
    """The report's findings, most important first (at most :data:`MAX_FINDINGS`; the module doc's ranking).

    Parameters
    ----------
    report
        A :class:`smmkit.kpi.engine.KPIReport`.
    posts
        Every post of the client as the engine sees it (:func:`smmkit.kpi.engine.post_table`).
    spikes
        The client's daily spikes over its whole data (the engine's spike cache: ``new_followers``
        and ``lost_followers`` per network, ``complaints``): the typical day of each signal.
        Without it, the audience signals and complaint spikes say nothing.
    noted
        The period's days the analyst's notes name (:func:`smmkit.io.notes.period_noted_days`).
    """
    spikes = spikes or {}
    noted = frozenset(noted)
    found = [
        *_crises(report, spikes, noted),
        *_targets(report),
        *_quality(report, spikes, noted),
        *_contest(report, spikes, noted),
        *_changes(report),
        *_response(report),
        *_best_post(report, posts),
    ]
    order = sorted(range(len(found)), key=lambda i: (found[i].priority, -found[i].size, i))
    return [found[i] for i in order][:MAX_FINDINGS]
