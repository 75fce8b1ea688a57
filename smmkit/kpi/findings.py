"""The period's findings as structured facts: deterministic rules over a :class:`KPIReport`.

Each rule reads numbers the report already holds (``total``, ``networks``,
``change``, ``previous``, ``top_posts``, ``targets``, ``signals``) and returns
:class:`Finding` facts; the sentences are built from them in the client's
language by :mod:`smmkit.report.findings` (the KPI layer knows no language:
the layer contract lets only the report layer use :mod:`smmkit.report.i18n`).
Every number a finding quotes (:attr:`Finding.fields`) is a value of the
report's JSON or the finding's own ``value``/``change``.

Rules (a rule with too little data says nothing):

- ``change``: followers (``followers_end``, ``|change| >= 1 %``), ``reach``,
  ``er``, ``leads``, ``cpl`` (``|change| >= 5 %``), when the previous value is
  known and not 0 (leads and CPL: at least :data:`MIN_LEADS` leads in both
  periods). Impact: ``|change|`` (followers x 5), capped at 300.
- ``driver`` (after the change of an additive KPI: followers, reach, leads,
  with at least two networks): the network whose own change (``value`` =
  current - previous, in the KPI's unit) moves most in the total's direction,
  and for reach its post with the highest reach among ``top_posts``.
- ``target``: each ``client.yaml`` target with a known actual: met or missed;
  ``change`` = actual - target in the KPI's unit. Impact: 100 + the shortfall
  (missed), 30 + the surplus up to 50 (met).
- ``signal``: the audience-quality and post-contest signals, one each per
  network (its largest day; impact 200, 150).
- response (kind ``change``, key ``response_rate``): with at least
  :data:`MIN_QUESTIONS` questions.
- ``best_post``: the post with the highest ER per post among at least
  :data:`MIN_POSTS` posts with a known one, when it is at least 50 % above
  the period's median post (``change`` = how far above, in percent).

At most :data:`MAX_FINDINGS`, by impact (ties: rule order above).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from smmkit.catalogue import LOWER_IS_BETTER

__all__ = ["CHANGE_KEYS", "MAX_FINDINGS", "MIN_LEADS", "MIN_POSTS", "MIN_QUESTIONS", "Finding", "find"]

MAX_FINDINGS = 8
MIN_POSTS = 5
MIN_QUESTIONS = 5
MIN_LEADS = 5
#: KPI key -> the smallest |change| in percent worth a finding.
CHANGE_KEYS: dict[str, float] = {"followers_end": 1.0, "reach": 5.0, "er": 5.0, "leads": 5.0, "cpl": 5.0}
_ADDITIVE = ("followers_end", "reach", "leads")
_WEIGHT = {"followers_end": 5.0}
#: KPI -> (count, minimum in both periods) below which its change is noise, not a finding.
_BASE = {"leads": ("leads", MIN_LEADS), "cpl": ("leads", MIN_LEADS)}
_CAP = 300.0


@dataclass
class Finding:
    """One finding: the JSON fields of data-contract.md and what its sentence needs.

    ``rule`` names the sentence template (``finding.<rule>`` in
    :mod:`smmkit.report.i18n`); ``fields`` maps each placeholder to
    ``(format, value)``, the format being ``"kpi:<key>"``, ``"diff:<key>"`` (a gap between two
    values of the KPI), ``"change"``,
    ``"count"``, ``"signed"`` (a signed count), ``"date"``, ``"network"``,
    ``"days"`` or ``"text"``.
    """

    kind: str
    rule: str
    key: str | None
    network: str | None
    value: float | None
    change: float | None
    impact: float
    fields: dict[str, tuple[str, Any]] = field(default_factory=dict)
    url: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "key": self.key,
            "network": self.network,
            "value": _num(self.value),
            "change": _num(self.change),
        }


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


def _changes(report: Any) -> list[Finding]:
    out = []
    for key, threshold in CHANGE_KEYS.items():
        value, change = report.total.get(key, np.nan), report.change.total.get(key, np.nan)
        if not (_ok(value) and _ok(change)) or abs(change) < threshold:
            continue
        base = _BASE.get(key)
        if base is not None and not all(
            _ok(t.get(base[0])) and t.get(base[0]) >= base[1] for t in (report.total, report.previous.total)
        ):
            continue  # 2 -> 4 leads is "+100 %" and says nothing
        impact = min(_CAP, abs(change) * _WEIGHT.get(key, 1.0))
        rule = "change.up" if change > 0 else "change.down"
        fields = {"kpi": ("kpi_name", key), "value": (f"kpi:{key}", value), "change": ("change", change)}
        out.append(Finding("change", rule, key, None, value, change, impact, fields))
        if key in _ADDITIVE:
            driver = _driver(report, key, change, impact)
            if driver is not None:
                out.append(driver)
    return out


def _driver(report: Any, key: str, total_change: float, impact: float) -> Finding | None:
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
        "delta": ("signed", float(delta[net])),
    }
    net_change = report.change.networks.loc[net, key]
    rule = "driver"
    if _ok(net_change):
        fields["net_change"] = ("change", float(net_change))
        rule = "driver.change"
    url = None
    if key == "reach" and len(report.top_posts):
        top = report.top_posts.loc[report.top_posts["network"].astype(str) == net]
        if len(top) and _ok(top.iloc[0]["reach"]):
            post = top.iloc[0]
            fields["post_date"] = ("date", pd.Timestamp(post["published_at"]).date())
            fields["post_reach"] = ("kpi:reach", float(post["reach"]))
            rule += ".post"
            url = None if pd.isna(post["url"]) else str(post["url"])
    return Finding("driver", rule, key, net, float(delta[net]), _num(net_change), impact - 1e-6, fields, url)


def _targets(report: Any) -> list[Finding]:
    out = []
    for row in report.targets.to_dict("records"):
        key, target, actual, attainment = row["key"], row["target"], row["actual"], row["attainment"]
        if not (_ok(actual) and _ok(target) and _ok(attainment)):
            continue
        gap = float(actual) - float(target)
        met = attainment >= 100
        impact = 30 + min(50.0, attainment - 100) if met else 100 + min(100.0, 100 - attainment)
        lower = key in LOWER_IS_BETTER
        fields = {
            "kpi": ("kpi_name", key),
            "actual": (f"kpi:{key}", actual),
            "target": (f"kpi:{key}", target),
            "gap": (f"diff:{key}", abs(gap)),  # percentage points for a percent KPI
            "attainment": ("percent", attainment),
        }
        rule = f"target.{'met' if met else 'missed'}{'.lower' if lower else ''}"
        out.append(Finding("target", rule, key, None, float(actual), gap, impact, fields))
    return out


def _largest(signals: list[dict], value: str) -> list[dict]:
    """One signal per network: its largest day (ties: the earlier), networks in order of first appearance."""
    best: dict[str, dict] = {}
    for s in signals:
        if s["network"] not in best or s[value] > best[s["network"]][value]:
            best[s["network"]] = s
    return list(best.values())


def _signals(report: Any) -> list[Finding]:
    out = []
    for s in _largest(report.signals.get("audience_quality", []), "new_followers"):
        fields = {
            "network": ("network", s["network"]),
            "date": ("date", s["date"]),
            "new_followers": ("count", s["new_followers"]),
            "before": ("kpi:er_post", s["er_post_before"]),
            "after": ("kpi:er_post", s["er_post_after"]),
        }
        out.append(
            Finding(
                "signal",
                "signal.quality",
                "new_followers",
                s["network"],
                s["new_followers"],
                None,
                200,
                fields,
            )
        )
    for s in _largest(report.signals.get("contest_unfollows", []), "lost_followers"):
        fields = {
            "network": ("network", s["network"]),
            "date": ("date", s["date"]),
            "lost_followers": ("count", s["lost_followers"]),
            "days": ("days", s["days_after"]),
            "new_date": ("date", s["new_followers_date"]),
        }
        out.append(
            Finding(
                "signal",
                "signal.contest",
                "lost_followers",
                s["network"],
                s["lost_followers"],
                None,
                150,
                fields,
            )
        )
    return out


def _response(report: Any) -> list[Finding]:
    t = report.total
    questions, rate = t.get("questions", np.nan), t.get("response_rate", np.nan)
    if not (_ok(questions) and _ok(rate)) or questions < MIN_QUESTIONS:
        return []
    fields = {
        "answered": ("count", t["answered"]),
        "questions": ("count", questions),
        "rate": ("kpi:response_rate", rate),
    }
    rule = "response"
    if _ok(t.get("median_response_time_h")):
        fields["median"] = ("kpi:median_response_time_h", t["median_response_time_h"])
        rule += ".median"
    speed = t.get("response_time_change", np.nan)
    if _ok(speed) and abs(speed) >= 5:
        fields["speed"] = ("percent", abs(speed))
        rule += ".faster" if speed > 0 else ".slower"
    change = report.change.total.get("response_rate", np.nan)
    impact = 20 + min(60.0, 100 - rate) + (min(40.0, abs(speed)) if _ok(speed) else 0)
    return [Finding("change", rule, "response_rate", None, rate, _num(change), impact, fields)]


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
        "date": ("date", pd.Timestamp(best["day"]).date()),
        "er_post": ("kpi:er_post", float(best["er_post"])),
        "above": ("percent", above),
    }
    url = None if pd.isna(best.get("url")) else str(best["url"])
    impact = 25 + min(25.0, above / 20)
    return [
        Finding(
            "best_post",
            "best_post",
            "er_post",
            str(best["network"]),
            float(best["er_post"]),
            above,
            impact,
            fields,
            url,
        )
    ]


def find(report: Any, *, posts: pd.DataFrame) -> list[Finding]:
    """The report's findings, most important first (at most :data:`MAX_FINDINGS`).

    Parameters
    ----------
    report
        A :class:`smmkit.kpi.engine.KPIReport`.
    posts
        Every post of the client as the engine sees it (:func:`smmkit.kpi.engine.post_table`).
    """
    found = [
        *_changes(report),
        *_targets(report),
        *_signals(report),
        *_response(report),
        *_best_post(report, posts),
    ]
    order = sorted(range(len(found)), key=lambda i: (-found[i].impact, i))
    return [found[i] for i in order][:MAX_FINDINGS]
