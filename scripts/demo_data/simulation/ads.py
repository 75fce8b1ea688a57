"""Daily rows of the client's paid campaigns (those with ``ads``)."""

from __future__ import annotations

import pandas as pd

from ..scenario import Client, stream


def simulate_ads(client: Client) -> pd.DataFrame:
    """One row per campaign day: spend around ``daily_spend``, impressions from ``cpm``, clicks from
    ``ctr``, leads from ``cvr``; sorted by date and network."""
    rng = stream(client, "ads")
    rows = []
    for c in client.campaigns:
        if not c.ads:
            continue
        for d in c.days():
            spend = c.daily_spend * rng.uniform(0.85, 1.15) * client.weekday[d.weekday()]
            impressions = int(spend / c.cpm * 1000)
            clicks = int(rng.binomial(impressions, c.ctr))
            rows.append(
                {
                    "date": d,
                    "network": c.network,
                    "campaign": c.name,
                    "spend": round(spend, 2),
                    "impressions": impressions,
                    "reach": int(impressions / rng.uniform(1.3, 1.9)),
                    "clicks": clicks,
                    "leads": int(rng.binomial(clicks, c.cvr)),
                }
            )
    return pd.DataFrame(rows).sort_values(["date", "network"], kind="stable").reset_index(drop=True)
