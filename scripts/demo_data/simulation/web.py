"""Web sessions by source / medium (GA4 traffic acquisition rows): social sources follow post clicks,
ad clicks and contests."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..scenario import Client, stream
from ..timeline import DAYS, N_DAYS, day_index, spread_daily


@dataclass(frozen=True)
class Source:
    source_medium: str
    channel: str
    base: float  # sessions a day at weekday factor 1
    network: str | None = None  # posts of this network drive it (clicks)
    paid: str | None = None  # ad clicks of this network drive it
    conv: float = 0.02  # key events / session
    engaged: float = 0.6  # engaged sessions / session


def ga4_rows(
    client: Client,
    sources: Sequence[Source],
    posts: dict[str, pd.DataFrame],
    ads: pd.DataFrame,
    *,
    revenue_per_event: float,
) -> list[list[object]]:
    """Daily rows ``[Date, source / medium, channel, users, new users, sessions, engaged,
    avg engagement time, views, key events, revenue]`` (only rows with sessions > 0)."""
    rng = stream(client, "ga4")
    wk = np.array([client.weekday[d.weekday()] for d in DAYS])
    contest_boost: dict[str, np.ndarray] = {}
    for c in client.contests:
        b = contest_boost.setdefault(c.network, np.zeros(N_DAYS))
        i = DAYS.get_loc(pd.Timestamp(c.day))
        b[i : i + 3] += [1.5, 0.8, 0.3]
    clicks = {net: spread_daily(day_index(p.published_at), p.clicks.to_numpy()) for net, p in posts.items()}
    ad_clicks: dict[str, np.ndarray] = {}
    for net, g in ads.groupby("network") if len(ads) else []:
        arr = np.zeros(N_DAYS)
        arr[day_index(g.date)] = g.clicks.to_numpy()
        ad_clicks[net] = arr
    trend = np.linspace(0.85, 1.15, N_DAYS)
    table = []
    for s in sources:
        mean = s.base * wk * trend
        if s.network:
            mean = mean * (1 + contest_boost.get(s.network, 0)) + 0.6 * clicks.get(s.network, 0)
        if s.paid:
            mean = 0.85 * ad_clicks.get(s.paid, np.zeros(N_DAYS))
        sessions = rng.poisson(mean)
        for i in np.flatnonzero(sessions):
            n = int(sessions[i])
            users = max(1, int(n * rng.uniform(0.78, 0.95)))
            new_users = int(rng.binomial(users, 0.62))
            engaged = int(rng.binomial(n, s.engaged))
            events = int(rng.binomial(n, s.conv))
            table.append(
                [
                    DAYS[i].strftime("%Y%m%d"),
                    s.source_medium,
                    s.channel,
                    users,
                    new_users,
                    n,
                    engaged,
                    f"{rng.lognormal(np.log(55), 0.35) * engaged / n:.6f}",
                    n + int(rng.poisson(n * 1.3)),
                    events,
                    f"{events * revenue_per_event * rng.uniform(0.7, 1.3):.2f}" if revenue_per_event else "0",
                ]
            )
    table.sort(key=lambda r: (r[0], -r[5], r[1]))
    return table
