"""Every post of one network with its lifetime numbers (generic columns, local naive times)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..scenario import XSS_IMG, XSS_SCRIPT, Client, NetSpec, stream
from ..timeline import DAYS
from .audience import contest_days


def pick_text(client: Client, rng: np.random.Generator, *, emoji: bool) -> str:
    """One of the client's texts, half of them with an emoji when ``emoji``."""
    text = client.texts[rng.integers(len(client.texts))]
    if emoji and rng.random() < 0.5:
        text += client.emoji[rng.integers(len(client.emoji))]
    return text


def post_days(client: Client, spec: NetSpec, rng: np.random.Generator) -> list[pd.Timestamp]:
    """The publishing days: ``spec.posts_per_week`` a week on busier weekdays, plus every contest day."""
    weekday_w = np.array(client.weekday)
    days_out: list[pd.Timestamp] = []
    for _, week in pd.Series(DAYS).groupby(DAYS.to_period("W-SUN")):
        days = list(week)
        k = round(rng.integers(spec.posts_per_week[0], spec.posts_per_week[1] + 1) * len(days) / 7)
        w = weekday_w[[d.weekday() for d in days]]
        chosen = rng.choice(len(days), size=k, replace=k > len(days), p=w / w.sum())
        days_out += [days[j] for j in sorted(chosen)]
    for day in contest_days(client, spec.network):
        if day not in days_out:
            days_out.append(day)
    days_out.sort()
    return days_out


def boosted_days(client: Client, network: str) -> set[pd.Timestamp]:
    """The days of the client's campaigns that pay for reach on ``network``'s posts."""
    boosted: set[pd.Timestamp] = set()
    for c in client.campaigns:
        if c.network == network and c.boost_posts:
            boosted |= set(c.days())
    return boosted


def post_numbers(
    client: Client,
    spec: NetSpec,
    rng: np.random.Generator,
    day: pd.Timestamp,
    *,
    real: int,
    eng: float,
    is_contest: bool,
    boosted: set[pd.Timestamp],
) -> dict[str, object]:
    """One post: type, time and lifetime numbers (``real``: followers that are not bots; ``eng``:
    engagement factor, lower once bots were bought)."""
    weekday_w = np.array(client.weekday)
    labels = [t[0] for t in spec.post_types]
    weights = np.array([t[1] for t in spec.post_types])
    t = int(rng.choice(len(labels), p=weights / weights.sum()))
    label, _, type_factor, is_video = spec.post_types[t]
    reach = real * spec.reach_frac * type_factor * np.sqrt(weekday_w[day.weekday()]) * rng.lognormal(0, 0.35)
    comment_x, share_x = 1.0, 1.0
    if is_contest:
        reach *= 3.5
        comment_x, share_x = 9.0, 5.0
    reach_organic = int(reach)
    paid = day in boosted and (is_contest is False) and rng.random() < 0.6
    reach_paid = int(reach_organic * rng.uniform(0.8, 2.5)) if paid else 0
    reach_total = reach_organic + reach_paid
    impressions = int(reach_total * rng.uniform(1.12, 1.6))
    engaging = reach_organic + 0.3 * reach_paid  # paid audiences engage less
    likes = rng.poisson(engaging * spec.like_rate * eng * rng.lognormal(0, 0.25))
    minute = int(rng.integers(spec.hours[0] * 60, spec.hours[1] * 60))
    return {
        "published_at": day + pd.Timedelta(minutes=minute),
        "post_type": label,
        "is_video": is_video,
        "is_contest": is_contest,
        "paid": paid,
        "text": client.contest_text if is_contest else (client.ad_text if paid else None),
        "impressions": impressions,
        "reach": reach_total,
        "reach_organic": reach_organic,
        "reach_paid": reach_paid,
        "reach_viral": int(reach_organic * rng.uniform(0.02, 0.12)),
        "likes": likes,
        "comments": rng.poisson(likes * spec.comment_ratio * comment_x * rng.lognormal(0, 0.3)),
        "shares": rng.poisson(likes * spec.share_ratio * share_x * rng.lognormal(0, 0.3)),
        "saves": rng.poisson(likes * spec.save_ratio),
        "clicks": rng.poisson(reach_total * spec.click_rate * (3 if is_contest else 1)),
        "video_views": int(reach_total * rng.uniform(0.6, 1.3)) if is_video else 0,
        "complaints": rng.poisson(reach_total * 0.0002),
        "duration_s": int(rng.integers(12, 90)) if is_video else 0,
    }


def simulate_posts(client: Client, spec: NetSpec, aud: pd.DataFrame, *, emoji: bool) -> pd.DataFrame:
    """Lifetime metrics of every post of one network (generic columns, local naive times)."""
    rng = stream(client, f"posts/{spec.network}")
    contests = set(contest_days(client, spec.network))
    bought_day = min((pd.Timestamp(b.day) for b in client.bought if b.network == spec.network), default=None)
    boosted = boosted_days(client, spec.network)
    rows = []
    contest_done: set[pd.Timestamp] = set()
    for day in post_days(client, spec, rng):
        i = DAYS.get_loc(day)
        is_contest = day in contests and day not in contest_done
        if is_contest:
            contest_done.add(day)
        eng = 0.55 if bought_day is not None and day >= bought_day else 1.0  # bots never engage
        real = aud.followers[i] - aud.bots[i]
        rows.append(
            post_numbers(client, spec, rng, day, real=real, eng=eng, is_contest=is_contest, boosted=boosted)
        )
    posts = pd.DataFrame(rows)
    texts = [pick_text(client, rng, emoji=emoji) if pd.isna(t) else t for t in posts.text]
    posts["text"] = texts
    engaged = (posts.likes + posts.comments + posts.shares + posts.clicks) * rng.uniform(0.7, 0.9, len(posts))
    posts["engaged_users"] = np.minimum(engaged.round().astype(int), posts.reach)
    posts["post_id"] = make_ids(rng, len(posts), spec.network)
    return posts


def make_ids(rng: np.random.Generator, n: int, network: str) -> list[str]:
    """Increasing native-looking post IDs (strings)."""
    steps = rng.integers(1, 9, n).cumsum()
    if network == "vk":
        return [f"-71234567_{4000 + s}" for s in steps]
    if network == "telegram":
        return [str(1200 + s) for s in steps]
    if network == "youtube":
        alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"
        return ["".join(alphabet[j] for j in rng.integers(0, 64, 11)) for _ in range(n)]
    base = {"ok": 155000000000000, "instagram": 17900000000000000, "facebook": 122100000000000000}
    big = rng.integers(10**6, 10**8, n).cumsum() if network in ("x", "linkedin", "tiktok") else steps
    if network in ("x", "linkedin", "tiktok"):
        start = {"x": 1940000000000000000, "linkedin": 7340000000000000000, "tiktok": 7520000000000000000}
        return [str(start[network] + int(b) * 1000) for b in big]
    return [str(base[network] + int(s) * 37) for s in big]


def place_xss(client: Client, posts: dict[str, pd.DataFrame]) -> None:
    """Put XSS_IMG in one October post and XSS_SCRIPT in another (reports must show them as text)."""
    october = ("2026-10-01", "2026-10-31 23:59")
    img = posts[client.xss_img]
    in_oct = img.published_at.between(*october)
    target = img[in_oct & img.is_contest].index
    target = target if len(target) else img[in_oct].reach.nlargest(1).index
    img.loc[target[0], "text"] = img.loc[target[0], "text"] + " " + XSS_IMG
    scr = posts[client.xss_script]
    cand = scr[scr.published_at.between(*october) & ~scr.is_contest & ~scr.text.str.contains("<img")]
    idx = cand.reach.nlargest(1).index[0]
    scr.loc[idx, "text"] = scr.loc[idx, "text"] + " " + XSS_SCRIPT
