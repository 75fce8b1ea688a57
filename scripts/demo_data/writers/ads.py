"""The kit's canonical ads table (data-contract.md section 2)."""

from __future__ import annotations

import pandas as pd

from .base import fmt_dec, fmt_int

ADS_HEADER = ["date", "network", "campaign", "spend", "impressions", "reach", "clicks", "leads"]


def ads_rows(ads: pd.DataFrame, *, decimal: str = ".", sep: str = "") -> list:
    """Rows of the canonical ads file (``decimal`` and thousands ``sep`` as the tool writes them)."""
    return [
        [a.date.strftime("%Y-%m-%d"), a.network, a.campaign, fmt_dec(a.spend, decimal=decimal, sep=sep),
         fmt_int(a.impressions, sep), fmt_int(a.reach, sep), fmt_int(a.clicks, sep), fmt_int(a.leads, sep)]
        for a in ads.itertuples()
    ]  # fmt: skip
