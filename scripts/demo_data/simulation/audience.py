"""Daily followers, joins and leaves of one network, with the client's events."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..scenario import Client, NetSpec, stream
from ..timeline import DAYS, N_DAYS


def contest_days(client: Client, network: str) -> list[pd.Timestamp]:
    """The days of the client's contests on ``network``."""
    return [pd.Timestamp(c.day) for c in client.contests if c.network == network]


def simulate_audience(client: Client, spec: NetSpec) -> pd.DataFrame:
    """Daily followers, joins, leaves, bots, page views of one network.

    ``followers[d] = followers[d-1] + new[d] - lost[d]`` (end-of-day counts).
    """
    rng = stream(client, f"audience/{spec.network}")
    wk = np.array([client.weekday[d.weekday()] for d in DAYS])
    season = 1 + 0.15 * np.sin(2 * np.pi * (DAYS.day_of_year.to_numpy() - 60) / 365.25)
    campaign = np.ones(N_DAYS)
    for c in client.campaigns:
        if c.network == spec.network:
            campaign[DAYS.isin(c.days())] = 1.6
    contest_frac = np.zeros(N_DAYS)
    for day in contest_days(client, spec.network):
        i = DAYS.get_loc(day)
        contest_frac[i : i + 3] += [0.03, 0.015, 0.006]
    bought = np.zeros(N_DAYS, dtype=int)
    for b in client.bought:
        if b.network == spec.network:
            i = DAYS.get_loc(pd.Timestamp(b.day))
            bought[i], bought[i + 1] = round(b.size * 0.62), b.size - round(b.size * 0.62)
    crisis = np.ones(N_DAYS)
    if client.crisis and spec.network in client.crisis_networks:
        i = DAYS.get_loc(pd.Timestamp(client.crisis))
        crisis[i : i + 3] = [2.5, 2.0, 1.4]

    followers = np.zeros(N_DAYS, dtype=int)
    new = np.zeros(N_DAYS, dtype=int)
    lost = np.zeros(N_DAYS, dtype=int)
    wave = np.zeros(N_DAYS + 8)
    f = spec.followers0
    for i in range(N_DAYS):
        contest_new = rng.poisson(f * contest_frac[i]) if contest_frac[i] else 0
        if contest_new:
            wave[i + 4 : i + 7] += contest_new * np.array([0.2, 0.12, 0.08])
        new[i] = rng.poisson(f * spec.new_rate * wk[i] * season[i] * campaign[i]) + contest_new + bought[i]
        lost[i] = rng.poisson(f * spec.lost_rate * crisis[i]) + round(wave[i])
        f += new[i] - lost[i]
        followers[i] = f
    bots = np.cumsum(bought)
    visitors = rng.poisson(followers * 0.012 * wk)
    return pd.DataFrame(
        {
            "date": DAYS,
            "followers": followers,
            "new_followers": new,
            "lost_followers": lost,
            "bots": bots,
            "unique_visitors": visitors,
            "page_views": visitors + rng.poisson(visitors * 0.6),
        }
    )
