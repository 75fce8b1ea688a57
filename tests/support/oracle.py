"""An independent implementation of metrics.md, to check ``smmkit kpis`` against.

Written from ``../shared/metrics.md`` and ``../shared/data-contract.md`` only,
without reading ``smmkit/engine.py`` or ``smmkit/metrics.py``. It takes the
canonical tables of ``smmkit.load_client`` (the loaders are tested on their
own) and nothing else from the kit but the list of KPI keys. Slow, plain and
literal on purpose: one small function per family of keys, Python ``None``
for null.

Readings of the text (and of the team's decisions) that this oracle fixes:

- Blocks: every network with a row in posts, audience, ads, inbox or web
  (social sessions, ``other`` included) anywhere in the loaded data.
- Known: a metric is known for a network when a row of that network anywhere
  in the loaded data has a value for it; then it is 0 in a period without
  events. A network's count of posts, questions or mentions is known when the
  network has any row in that table.
- ``followers_start``/``followers_end``: the last value on or before the day;
  null when there is none.
- ``net_follower_growth``: ``new - lost`` (unknown term as 0) when joins or
  leaves are exported, else ``followers_end - followers_start``.
- ``er_day``: null if the followers are unknown (or 0) on any day of the
  period; ``er_post``: null if they are on any publish day.
- Web: a daily row belongs to its day; a row of a GA4 table without a Date
  column counts only when its ``Start..End`` range lies inside the period;
  when such a range straddles the period, every web KPI (``social_*``,
  ``site_*``, ``conversions``, ``conversion_rate`` and the web part of
  ``leads``) is null; a range wholly outside the period is not counted.
- Mentions: a network's counts are known when an own or competitor mention
  of that network exists anywhere; its sentiment counts when one of those
  carries a sentiment.
- ``total``: counts summed over the networks where known; every rate from
  sums over the networks where each input of its formula is known; means over
  posts/days/questions pooled over those networks.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

import pandas as pd

from smmkit.catalogue import KPI_KEYS

NETWORKS = (
    "facebook", "instagram", "x", "vk", "ok", "telegram", "linkedin", "youtube", "tiktok", "pinterest",
)  # fmt: skip

# metrics.md, "Social source mapping".
SOURCES = {
    "facebook.com": "facebook", "fb.com": "facebook", "facebook": "facebook", "fb": "facebook",
    "instagram.com": "instagram", "instagram": "instagram", "ig": "instagram",
    "t.co": "x", "twitter.com": "x", "x.com": "x", "twitter": "x",
    "vk.com": "vk", "away.vk.com": "vk", "vk": "vk",
    "ok.ru": "ok", "odnoklassniki.ru": "ok",
    "linkedin.com": "linkedin", "lnkd.in": "linkedin", "linkedin": "linkedin",
    "t.me": "telegram", "telegram.org": "telegram", "web.telegram.org": "telegram",
    "youtube.com": "youtube", "youtu.be": "youtube",
    "tiktok.com": "tiktok", "pinterest.com": "pinterest",
}  # fmt: skip

#: metrics.md, report conventions: organic and paid rows, both leading into the web stages
FUNNEL = {
    "organic": (("impressions", "impressions"), ("engagements", "engagements"), ("clicks", "clicks")),
    "paid": (("ad_impressions", "ad_impressions"), ("ad_clicks", "ad_clicks")),
    "web": (("sessions", "social_sessions"), ("conversions", "conversions")),
}


# ----------------------------------------------------------------------------- small helpers


def val(x):
    """A pandas cell as a Python number, or None."""
    if x is None or x is pd.NA or x is pd.NaT:
        return None
    try:
        if pd.isna(x):
            return None
    except (TypeError, ValueError):
        pass
    return float(x)


def div(a, b, scale: float = 1.0):
    if a is None or b is None or b == 0:
        return None
    return a / b * scale


def add(*terms):
    """metrics.md: an unknown term counts as 0 while one term is known."""
    known = [t for t in terms if t is not None]
    return sum(known) if known else None


def col_sum(frame: pd.DataFrame, col: str, known: bool):
    if not known:
        return None
    return float(sum(v for v in (val(x) for x in frame[col]) if v is not None))


def mean(values: list[float]):
    return sum(values) / len(values) if values else None


def map_source(source, channel_group):
    s = "" if source is None or source is pd.NA else str(source).strip().lower()
    if s.startswith("utm_source="):
        s = s[len("utm_source=") :]
    for prefix in ("https://", "http://"):
        if s.startswith(prefix):
            s = s[len(prefix) :]
    s = s.split("/")[0].strip()  # "fb / paid": any medium
    stripped = True
    while stripped:
        stripped = False
        for p in ("www.", "m.", "l.", "lm."):
            if s.startswith(p):
                s, stripped = s[len(p) :], True
    if s in SOURCES:
        return SOURCES[s]
    if s.endswith(".linkedin.com"):  # LinkedIn's country sites (de.linkedin.com)
        return "linkedin"
    cg = "" if channel_group is None or channel_group is pd.NA else str(channel_group).strip().lower()
    return "other" if cg in ("organic social", "paid social") else None


def local_day(ts) -> dt.date:
    return ts.tz_localize(None).date() if ts.tzinfo is not None else ts.date()


def days_of(start: dt.date, end: dt.date) -> list[dt.date]:
    return [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]


# ----------------------------------------------------------------------------- data


@dataclass
class Data:
    """The client's tables, with local days and a few derived columns."""

    name: str
    monthly_cost: float
    cost_overrides: dict
    costs_given: bool  # client.yaml states fixed costs (metrics.md: else costs are unknown)
    own: set
    competitors: set
    posts: pd.DataFrame
    audience: pd.DataFrame
    ads: pd.DataFrame
    inbox: pd.DataFrame
    mentions: pd.DataFrame
    web: pd.DataFrame
    blocks: list
    #: network -> source -> (first day, last day) its exports cover (metrics.md, Coverage)
    cover: dict = field(default_factory=dict)


def _span(days: list, files: list, ranges: dict):
    """First and last of ``days``, widened to the first and last day of each file they come from."""
    days = [d for d in days if d is not None and not pd.isna(d)]
    if not days:
        return None
    for f in files:
        days.extend(ranges.get(str(f), ()))
    return (min(days), max(days))


def coverage(client, posts, audience, ads, inbox, web, blocks) -> dict:
    """Each network's sources and the days their exports hold (metrics.md, General rules: Coverage)."""
    ranges = {str(f.path): (f.first_day.date(), f.last_day.date()) for f in client.files
              if f.first_day is not None and f.last_day is not None}  # fmt: skip
    files = lambda frame: list(frame["_file"].dropna().unique()) if "_file" in frame else []  # noqa: E731
    out = {n: {} for n in blocks}
    for net in blocks:
        for source, frame, last_col in (
            ("posts", posts, "day"), ("audience", audience, "day"), ("ads", ads, "last"), ("inbox", inbox, "day"),
        ):  # fmt: skip
            rows = frame[frame["net"] == net]
            span = _span([*rows["day"], *rows[last_col]], files(rows), ranges)
            if span:
                out[net][source] = span
        # Posts and questions are events: they also cover the days the network's audience export holds.
        days = out[net].get("audience")
        for source in ("posts", "inbox"):
            if days and source in out[net]:
                first, last = out[net][source]
                out[net][source] = (min(first, days[0]), max(last, days[1]))
    mentions = [local_day(t) for t in client.mentions["published_at"]]
    for source, days, frame in (
        ("web", [*web["start"], *web["end"]], web),
        ("mentions", mentions, client.mentions),
    ):
        span = _span(days, files(frame), ranges)
        for net in blocks if span else ():
            out[net][source] = span
    return out


def status(span, start: dt.date, end: dt.date) -> str:
    if span is None:
        return ""
    if span[1] < start or span[0] > end:
        return "none"
    return "full" if span[0] <= start and span[1] >= end else "partial"


#: Which sources each KPI reads (metrics.md's definitions): its change is null when the previous
#: period is less than fully covered by one of them.
SOURCES_OF: dict[str, set] = {
    **dict.fromkeys(("followers_start", "followers_end", "new_followers", "lost_followers",
                     "net_follower_growth", "follower_growth_rate", "unique_visitors"), {"audience"}),
    **dict.fromkeys(("posts", "posts_per_week", "impressions", "reach", "reach_organic", "reach_paid",
                     "reach_viral", "reach_per_post", "video_views", "likes", "comments", "shares", "saves",
                     "clicks", "engagements", "amplification_rate", "err", "er_view", "engagements_per_post",
                     "clicks_per_post", "ctr", "complaints"), {"posts"}),
    **dict.fromkeys(("reach_rate", "love_rate", "talk_rate", "er", "er_day", "er_post",
                     "engagements_per_follower", "er_unique"), {"posts", "audience"}),
    **dict.fromkeys(("questions", "answered", "response_rate", "avg_response_time_h",
                     "median_response_time_h", "response_time_change"), {"inbox"}),
    **dict.fromkeys(("social_sessions", "social_new_users_pct", "social_bounce_rate",
                     "social_pages_per_session", "social_avg_session_s", "site_new_users_pct",
                     "site_bounce_rate", "site_pages_per_session", "site_avg_session_s", "conversions",
                     "conversion_rate"), {"web"}),
    **dict.fromkeys(("ad_spend", "ad_impressions", "ad_clicks", "ad_leads", "ad_ctr", "total_cost"), {"ads"}),
    "leads": {"ads", "web"}, "cpl": {"ads", "web"}, "cpc": {"ads", "posts"},
    "cost_per_follower": {"ads", "audience"},
    **dict.fromkeys(("mentions", "mentions_positive", "mentions_negative", "share_of_voice"), {"mentions"}),
}  # fmt: skip


def prepare(client) -> Data:
    cfg = client.config
    posts = client.posts.copy()
    posts["day"] = [local_day(t) for t in posts["published_at"]]
    posts["net"] = posts["network"].astype("string")
    audience = client.audience.copy()
    audience["day"] = [t.date() for t in audience["date"]]
    audience["net"] = audience["network"].astype("string")
    ads = client.ads.copy()
    ads["day"] = [t.date() for t in ads["date"]]
    ads["last"] = [t.date() for t in (ads["date_end"] if "date_end" in ads else ads["date"])]
    ads["net"] = ads["network"].astype("string")
    inbox = client.inbox.copy()
    inbox["day"] = [local_day(t) for t in inbox["received_at"]]
    inbox["net"] = inbox["network"].astype("string")
    mentions = client.mentions.copy()
    mentions["day"] = [local_day(t) for t in mentions["published_at"]]
    mentions["net"] = [None if n is pd.NA else str(n).strip().lower() for n in mentions["network"]]
    own = {s.strip().casefold() for s in (cfg.name, *cfg.aliases)}
    comp = {s.strip().casefold() for s in cfg.competitors}
    kinds = []
    for b in mentions["brand"]:
        b = "" if b is pd.NA else str(b).strip().casefold()
        kinds.append("own" if b in own else "competitor" if b in comp else None)
    mentions["kind"] = kinds
    mentions = mentions[mentions["kind"].notna()]
    web = client.web.copy()
    web["start"] = [t.date() for t in web["date_start"]]
    web["end"] = [t.date() for t in web["date_end"]]
    web["net"] = [map_source(s, c) for s, c in zip(web["source"], web["channel_group"], strict=True)]
    seen = set()
    for frame in (posts, audience, ads, inbox, web):
        seen.update(n for n in frame["net"] if n is not None and n is not pd.NA)
    blocks = [n for n in (*NETWORKS, "other") if n in seen]
    return Data(
        cfg.name, cfg.monthly_cost, dict(cfg.cost_overrides), _costs_given(cfg), own, comp,
        posts, audience, ads, inbox, mentions, web, blocks,
        coverage(client, posts, audience, ads, inbox, web, blocks),
    )  # fmt: skip


def known(frame: pd.DataFrame, net: str, col: str) -> bool:
    return bool(frame.loc[frame["net"] == net, col].notna().any())


def in_period(frame: pd.DataFrame, start: dt.date, end: dt.date) -> pd.DataFrame:
    return frame.loc[[start <= d <= end for d in frame["day"]]]


# ----------------------------------------------------------------------------- one network


def followers_on(data: Data, net: str, day: dt.date):
    """Last known follower count on or before ``day`` (None when there is none)."""
    a = data.audience[(data.audience["net"] == net) & data.audience["followers"].notna()]
    a = a.loc[[d <= day for d in a["day"]]]
    if a.empty:
        return None
    return val(a.sort_values("day")["followers"].iloc[-1])


def post_engagements(row, eng_known: bool):
    if not eng_known:
        return None
    return sum(val(row[c]) or 0.0 for c in ("likes", "comments", "shares"))


def audience_kpis(data: Data, net: str, start, end) -> dict:
    a = in_period(data.audience[data.audience["net"] == net], start, end)
    fs = followers_on(data, net, start - dt.timedelta(days=1))
    fe = followers_on(data, net, end)
    new = col_sum(a, "new_followers", known(data.audience, net, "new_followers"))
    lost = col_sum(a, "lost_followers", known(data.audience, net, "lost_followers"))
    if new is not None or lost is not None:
        net_growth = (new or 0.0) - (lost or 0.0)
    else:
        net_growth = None if fs is None or fe is None else fe - fs
    return {
        "followers_start": fs,
        "followers_end": fe,
        "new_followers": new,
        "lost_followers": lost,
        "net_follower_growth": net_growth,
        "follower_growth_rate": div(net_growth, fs, 100),
        "unique_visitors": col_sum(a, "unique_visitors", known(data.audience, net, "unique_visitors")),
    }


def post_kpis(data: Data, net: str, start, end, fe) -> tuple[dict, dict]:
    allp = data.posts[data.posts["net"] == net]
    p = in_period(allp, start, end)
    has_posts = not allp.empty
    k = {c: known(data.posts, net, c) for c in data.posts.columns if c not in ("net", "day")}
    out = {"posts": float(len(p)) if has_posts else None}
    out["posts_per_week"] = div(out["posts"], (end - start).days + 1, 7)
    for c in ("impressions", "reach", "reach_organic", "reach_paid", "reach_viral", "video_views"):
        out[c] = col_sum(p, c, k[c])
    for c in ("likes", "comments", "shares", "saves", "clicks", "complaints"):
        out[c] = col_sum(p, c, k[c])
    engaged_users = col_sum(p, "engaged_users", k["engaged_users"])
    eng_known = k["likes"] or k["comments"] or k["shares"]
    eng = add(out["likes"], out["comments"], out["shares"])
    out["engagements"] = eng
    posts = out["posts"]
    out["reach_per_post"] = div(out["reach"], posts)
    out["reach_rate"] = div(out["reach_per_post"], fe, 100)
    out["love_rate"] = div(out["likes"], fe, 100)
    out["talk_rate"] = div(out["comments"], fe, 100)
    out["amplification_rate"] = div(out["shares"], posts, 100)
    out["er"] = div(eng, fe, 100)
    out["err"] = div(eng, out["reach"], 100)
    out["engagements_per_post"] = div(eng, posts)
    out["engagements_per_follower"] = div(div(eng, posts), fe)
    out["clicks_per_post"] = div(out["clicks"], posts)
    out["ctr"] = div(out["clicks"], out["impressions"], 100)
    out["er_unique"] = div(engaged_users, fe, 100)

    # per-post and per-day rates
    per_post = []  # (row, engagements, followers on publish day)
    for _, row in p.iterrows():
        aud = data.cover.get(net, {}).get("audience")
        fol = followers_on(data, net, row["day"]) if aud is None or row["day"] <= aud[1] else None
        per_post.append((row, post_engagements(row, eng_known), fol))
    day_eng: dict[dt.date, float] = {}
    for row, e, _f in per_post:
        day_eng[row["day"]] = day_eng.get(row["day"], 0.0) + (e or 0.0)
    day_fol = {d: followers_on(data, net, d) for d in days_of(start, end)}
    if eng_known and has_posts and all(f for f in day_fol.values()):
        out["er_day"] = mean([day_eng.get(d, 0.0) / f * 100 for d, f in day_fol.items()])
    else:
        out["er_day"] = None
    post_rates = [div(e, f, 100) for _row, e, f in per_post]
    out["er_post"] = None if not post_rates or None in post_rates else mean(post_rates)
    view_rates = []
    for row, e, _f in per_post:
        imp = val(row["impressions"])
        if e is not None and imp is not None and imp > 0:
            view_rates.append(e / imp * 100)
    out["er_view"] = mean(view_rates)
    raw = {
        "engaged_users": engaged_users,
        "day_eng": day_eng if out["er_day"] is not None else None,
        "day_fol": day_fol if out["er_day"] is not None else None,
        "post_rates": post_rates if out["er_post"] is not None else [],
        "view_rates": view_rates,
        "posts_rows": [(row, e, div(e, f, 100)) for row, e, f in per_post],
    }
    return out, raw


def inbox_kpis(data: Data, net: str, start, end) -> tuple[dict, list]:
    alli = data.inbox[data.inbox["net"] == net]
    q = in_period(alli, start, end)
    q = q.loc[[v is True or (v is not pd.NA and bool(v)) for v in q["is_question"]]]
    if alli.empty:
        return {"questions": None, "answered": None}, []
    delays = [
        (r - s).total_seconds() / 3600
        for s, r in zip(q["received_at"], q["first_reply_at"], strict=True)
        if r is not pd.NaT and not pd.isna(r)
    ]
    return {"questions": float(len(q)), "answered": float(len(delays))}, delays


def response_kpis(k: dict, delays: list) -> dict:
    return {
        "response_rate": div(k["answered"], k["questions"], 100),
        "avg_response_time_h": mean(delays),
        "median_response_time_h": statistics.median(delays) if delays else None,
    }


WEB_COLS = (
    "users", "new_users", "sessions", "engaged_sessions", "engagement_time_s", "views", "conversions", "leads",
)  # fmt: skip


def web_rows(data: Data, start, end) -> pd.DataFrame:
    w = data.web
    inside = [start <= s and e <= end for s, e in zip(w["start"], w["end"], strict=True)]
    return w.loc[inside]


def web_straddles(data: Data, start, end) -> bool:
    """data-contract.md, GA4: a date-less table's range that is not inside the period (but meets it):
    "leave the web KPIs null instead of guessing"."""
    w = data.web
    return any(
        s <= end and e >= start and not (start <= s and e <= end)
        for s, e in zip(w["start"], w["end"], strict=True)
    )


def web_sums(frame: pd.DataFrame, known_cols: dict) -> dict:
    return {c: col_sum(frame, c, known_cols[c]) for c in WEB_COLS}


def web_rates(s: dict, prefix: str) -> dict:
    bounce = div(s["engaged_sessions"], s["sessions"], 100)
    return {
        f"{prefix}_new_users_pct": div(s["new_users"], s["users"], 100),
        f"{prefix}_bounce_rate": None if bounce is None else 100 - bounce,
        f"{prefix}_pages_per_session": div(s["views"], s["sessions"]),
        f"{prefix}_avg_session_s": div(s["engagement_time_s"], s["sessions"]),
    }


def site_kpis(data: Data, start, end) -> dict:
    w = web_rows(data, start, end)
    kc = {c: bool(data.web[c].notna().any()) and not web_straddles(data, start, end) for c in WEB_COLS}
    return web_rates(web_sums(w, kc), "site")


def ads_kpis(data: Data, net: str, start, end) -> dict:
    a = in_period(data.ads[data.ads["net"] == net], start, end)
    out = {
        "ad_spend": col_sum(a, "spend", known(data.ads, net, "spend")),
        "ad_impressions": col_sum(a, "impressions", known(data.ads, net, "impressions")),
        "ad_clicks": col_sum(a, "clicks", known(data.ads, net, "clicks")),
        "ad_leads": col_sum(a, "leads", known(data.ads, net, "leads")),
    }
    out["ad_ctr"] = div(out["ad_clicks"], out["ad_impressions"], 100)
    return out


def mention_counts(m: pd.DataFrame, start, end) -> dict:
    """``m``: the own and competitor mentions of one network (or all, for ``total``), all days."""
    if m.empty:
        return dict.fromkeys(("mentions", "mentions_positive", "mentions_negative", "share_of_voice"))
    sentiment_known = bool(m["sentiment"].notna().any())
    m = in_period(m, start, end)
    own = m[m["kind"] == "own"]
    sent = [None if s is pd.NA else str(s).strip().lower() for s in own["sentiment"]]
    n_own, n_comp = float(len(own)), float((m["kind"] == "competitor").sum())
    return {
        "mentions": n_own,
        "mentions_positive": float(sent.count("positive")) if sentiment_known else None,
        "mentions_negative": float(sent.count("negative")) if sentiment_known else None,
        "share_of_voice": div(n_own, n_own + n_comp, 100),
    }


def network_block(data: Data, net: str, start, end, site: dict) -> tuple[dict, dict]:
    k: dict = {}
    k.update(audience_kpis(data, net, start, end))
    pk, raw = post_kpis(data, net, start, end, k["followers_end"])
    k.update(pk)
    ik, delays = inbox_kpis(data, net, start, end)
    k.update(ik)
    k.update(response_kpis(ik, delays))
    raw["delays"] = delays
    # web
    wn = data.web[data.web["net"] == net]
    w = web_rows(data, start, end)
    w = w[w["net"] == net]
    straddle = web_straddles(data, start, end)
    sums = web_sums(w, {c: bool(wn[c].notna().any()) and not straddle for c in WEB_COLS})
    raw["web"] = sums
    rates = web_rates(sums, "social")
    k["social_sessions"] = sums["sessions"]
    k.update(rates)
    k.update(site)
    k["conversions"] = sums["conversions"]
    k["conversion_rate"] = div(sums["conversions"], sums["sessions"], 100)
    k.update(ads_kpis(data, net, start, end))
    k["total_cost"] = k["ad_spend"]
    k["leads"] = add(k["ad_leads"], sums["leads"])
    k["cpc"] = div(k["total_cost"], add(k["clicks"], k["ad_clicks"]))
    k["cpl"] = div(k["total_cost"], k["leads"])
    k["cost_per_follower"] = div(k["total_cost"], k["new_followers"])
    m = data.mentions.loc[[n == net for n in data.mentions["net"]]]
    k.update(mention_counts(m, start, end))
    return k, raw


# ----------------------------------------------------------------------------- total


COUNTS = (
    "followers_start", "followers_end", "new_followers", "lost_followers", "net_follower_growth",
    "unique_visitors", "posts", "impressions", "reach", "reach_organic", "reach_paid", "reach_viral",
    "video_views", "likes", "comments", "shares", "saves", "clicks", "engagements", "questions",
    "answered", "complaints", "social_sessions", "conversions", "ad_spend", "ad_impressions",
    "ad_clicks", "ad_leads", "leads",
)  # fmt: skip


def pooled(blocks: Iterable[dict], num: str, *dens: str, scale: float = 1.0):
    """sum(num) / sum(den1) / sum(den2) ... over the blocks where every input is known."""
    rows = [b for b in blocks if all(b[key] is not None for key in (num, *dens))]
    if not rows:
        return None
    out = sum(b[num] for b in rows)
    for d in dens:
        out = div(out, sum(b[d] for b in rows))
    return None if out is None else out * scale


def _costs_given(cfg) -> bool:
    """Whether the client's client.yaml states fixed costs (read from the file itself)."""
    if cfg.path is None:
        return cfg.monthly_cost > 0 or bool(cfg.cost_overrides)
    import yaml

    raw = yaml.safe_load((cfg.path / "client.yaml").read_text(encoding="utf-8")) or {}
    return "monthly_cost" in raw or bool(raw.get("cost_overrides"))


def fixed_cost(data: Data, start, end) -> float:
    total = 0.0
    for d in days_of(start, end):
        month = f"{d.year:04d}-{d.month:02d}"
        amount = float(data.cost_overrides.get(month, data.monthly_cost))
        total += amount / calendar.monthrange(d.year, d.month)[1]
    return total


def total_block(data: Data, nets: dict, raws: dict, start, end, site: dict) -> dict:
    blocks = list(nets.values())
    t: dict = {key: None for key in KPI_KEYS}
    for key in COUNTS:
        t[key] = add(*(b[key] for b in blocks))
    t["follower_growth_rate"] = pooled(blocks, "net_follower_growth", "followers_start", scale=100)
    t["posts_per_week"] = div(t["posts"], (end - start).days + 1, 7)
    t["reach_per_post"] = pooled(blocks, "reach", "posts")
    t["reach_rate"] = pooled(blocks, "reach", "posts", "followers_end", scale=100)
    t["love_rate"] = pooled(blocks, "likes", "followers_end", scale=100)
    t["talk_rate"] = pooled(blocks, "comments", "followers_end", scale=100)
    t["amplification_rate"] = pooled(blocks, "shares", "posts", scale=100)
    t["er"] = pooled(blocks, "engagements", "followers_end", scale=100)
    t["err"] = pooled(blocks, "engagements", "reach", scale=100)
    t["engagements_per_post"] = pooled(blocks, "engagements", "posts")
    t["engagements_per_follower"] = pooled(blocks, "engagements", "posts", "followers_end")
    t["clicks_per_post"] = pooled(blocks, "clicks", "posts")
    t["ctr"] = pooled(blocks, "clicks", "impressions", scale=100)
    eu = [dict(b, engaged_users=raws[n]["engaged_users"]) for n, b in nets.items()]
    t["er_unique"] = pooled(eu, "engaged_users", "followers_end", scale=100)
    # er_day: per day, sums over the networks whose er_day is defined
    day_nets = [raws[n] for n in nets if raws[n]["day_eng"] is not None]
    if day_nets:
        rates = []
        for d in days_of(start, end):
            e = sum(r["day_eng"].get(d, 0.0) for r in day_nets)
            f = sum(r["day_fol"][d] for r in day_nets)
            rates.append(e / f * 100)
        t["er_day"] = mean(rates)
    t["er_post"] = mean([x for n in nets for x in raws[n]["post_rates"]])
    t["er_view"] = mean([x for n in nets for x in raws[n]["view_rates"]])
    delays = [x for n in nets for x in raws[n]["delays"]]
    t.update(response_kpis(t, delays))
    # web
    web_blocks = [raws[n]["web"] for n in nets]
    sums = {c: add(*(w[c] for w in web_blocks)) for c in WEB_COLS}
    rates = {
        "social_new_users_pct": pooled(web_blocks, "new_users", "users", scale=100),
        "social_bounce_rate": pooled(web_blocks, "engaged_sessions", "sessions", scale=100),
        "social_pages_per_session": pooled(web_blocks, "views", "sessions"),
        "social_avg_session_s": pooled(web_blocks, "engagement_time_s", "sessions"),
    }
    if rates["social_bounce_rate"] is not None:
        rates["social_bounce_rate"] = 100 - rates["social_bounce_rate"]
    t.update(rates)
    t.update(site)
    t["conversion_rate"] = pooled(blocks, "conversions", "social_sessions", scale=100)
    del sums
    t["ad_ctr"] = pooled(blocks, "ad_clicks", "ad_impressions", scale=100)
    no_cost_data = t["ad_spend"] is None and not data.costs_given
    t["total_cost"] = None if no_cost_data else (t["ad_spend"] or 0.0) + fixed_cost(data, start, end)
    t["cpc"] = div(t["total_cost"], add(*(add(b["clicks"], b["ad_clicks"]) for b in blocks)))
    t["cpl"] = div(t["total_cost"], t["leads"])
    t["cost_per_follower"] = div(t["total_cost"], t["new_followers"])
    t.update(mention_counts(data.mentions, start, end))
    return t


# ----------------------------------------------------------------------------- report


def outside(data: Data, net: str | None, start: dt.date, end: dt.date) -> Data:
    """``data`` without the rows of the sources whose exports lie wholly outside ``[start, end]``:
    what they would say is unknown, as if the network had no such data (metrics.md, Coverage)."""
    changes = {}
    for source in ("web", "mentions") if net is None else ("posts", "audience", "ads", "inbox"):
        spans = [c.get(source) for n, c in data.cover.items() if net is None or n == net]
        if spans and spans[0] is not None and status(spans[0], start, end) == "none":
            frame = getattr(data, source)
            changes[source] = frame.iloc[0:0] if net is None else frame[frame["net"] != net]
    return replace(data, **changes) if changes else data


def period_kpis(data: Data, start: dt.date, end: dt.date) -> tuple[dict, dict, dict]:
    data = outside(data, None, start, end)
    site = site_kpis(data, start, end)
    nets, raws = {}, {}
    for net in data.blocks:
        nets[net], raws[net] = network_block(outside(data, net, start, end), net, start, end, site)
    total = total_block(data, nets, raws, start, end, site)
    # response_time_change needs the previous period: filled by the caller.
    return total, nets, raws


def previous(start: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
    """metrics.md: the calendar month before a calendar month, else as many days ending the day before."""
    pend = start - dt.timedelta(days=1)
    if (
        start.day == 1
        and (end + dt.timedelta(days=1)).day == 1
        and (start.year, start.month) == (end.year, end.month)
    ):
        return pend.replace(day=1), pend
    return pend - dt.timedelta(days=(end - start).days), pend


def change(cur, prev):
    if cur is None or prev is None or prev == 0:
        return None
    return (cur / prev - 1) * 100


def funnel(block: dict) -> list[dict]:
    out = []
    for path, stages in FUNNEL.items():
        # the web path's input: the clicks of both paths (link clicks + ad clicks)
        prev = add(block["clicks"], block["ad_clicks"]) if path == "web" else None
        top = block[stages[0][1]]
        for stage, key in stages:
            v = block[key]
            rate = div(v, prev, 100)
            out.append(
                {
                    "path": path,
                    "stage": stage,
                    "value": v,
                    "input": prev,
                    "rate_prev": rate,
                    "rate_top": div(v, top, 100),
                    "flagged": rate is not None and rate > 100,
                }
            )
            prev = v
    return out


def top_posts(data: Data, nets: dict, raws: dict, n: int = 5) -> list[dict]:
    rows = []
    for net in nets:
        for row, e, rate in raws[net]["posts_rows"]:
            reach = val(row["reach"])
            if reach is None:
                continue
            rows.append((row, reach, e, rate))
    rows.sort(key=lambda r: (-r[1], -(r[2] if r[2] is not None else -math.inf), r[0]["published_at"]))
    return [
        {
            "network": row["net"],
            "post_id": str(row["post_id"]),
            "published_at": row["published_at"].isoformat(),
            "reach": reach,
            "engagements": e,
            "er_post": rate,
            "url": None if row["url"] is pd.NA else str(row["url"]),
        }
        for row, reach, e, rate in rows[:n]
    ]


def oracle(client, start: dt.date, end: dt.date) -> dict:
    """The KPI report of metrics.md for ``[start, end]``, shaped like ``smmkit kpis --format json``."""
    data = client if isinstance(client, Data) else prepare(client)
    days = (end - start).days + 1
    pstart, pend = previous(start, end)
    total, nets, raws = period_kpis(data, start, end)
    ptotal, pnets, _ = period_kpis(data, pstart, pend)
    # response_time_change compares with the period before; the previous block's with the one before it.
    pptotal, ppnets, _ = period_kpis(data, *previous(pstart, pend))
    for blk, older in (
        (total, ptotal),
        (ptotal, pptotal),
        *((nets[n], pnets[n]) for n in nets),
        *((pnets[n], ppnets[n]) for n in pnets),
    ):
        faster = div(older["avg_response_time_h"], blk["avg_response_time_h"])
        blk["response_time_change"] = None if faster is None else (faster - 1) * 100
    order = lambda blk: {key: blk[key] for key in KPI_KEYS}  # noqa: E731
    # a change whose previous period a source it reads covers less than fully is null
    short: dict = {"total": set()}
    for n in nets:
        missing = {s for s, span in data.cover.get(n, {}).items() if status(span, pstart, pend) != "full"}
        short[n] = {key for key in KPI_KEYS if SOURCES_OF[key] & missing}
        short["total"] |= short[n]
    return {
        "period": {"start": start.isoformat(), "end": end.isoformat(), "days": days},
        "previous_period": {
            "start": pstart.isoformat(),
            "end": pend.isoformat(),
            "days": (pend - pstart).days + 1,
        },
        "total": order(total),
        "networks": {n: order(b) for n, b in nets.items()},
        "previous": {"total": order(ptotal), "networks": {n: order(b) for n, b in pnets.items()}},
        "change": {
            "total": {
                key: None if key in short["total"] else change(total[key], ptotal[key]) for key in KPI_KEYS
            },
            "networks": {
                n: {key: None if key in short[n] else change(nets[n][key], pnets[n][key]) for key in KPI_KEYS}
                for n in nets
            },
        },
        "funnel": {"total": funnel(total), "networks": {n: funnel(b) for n, b in nets.items()}},
        "top_posts": top_posts(data, nets, raws),
    }
