"""The demo period: its days, and how a post's lifetime numbers spread over the days after it."""

from __future__ import annotations

import numpy as np
import pandas as pd

START = pd.Timestamp("2025-07-01")
END = pd.Timestamp("2026-10-31")
DAYS = pd.date_range(START, END, freq="D")
N_DAYS = len(DAYS)

#: Share of a post's lifetime activity that happens on day 0, 1, 2, ... after publishing.
DECAY = np.array([0.45, 0.22, 0.12, 0.08, 0.05, 0.04, 0.02, 0.02])


def day_index(ts: pd.Series) -> np.ndarray:
    """Index into :data:`DAYS` of each timestamp's day."""
    return ((ts.dt.normalize() - START).dt.days).to_numpy()


def spread_daily(days: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Spread lifetime totals of posts over the days after publishing (:data:`DECAY`)."""
    by_day = np.zeros(N_DAYS)
    np.add.at(by_day, days, values)
    return np.convolve(by_day, DECAY)[:N_DAYS]
