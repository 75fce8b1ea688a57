"""YouTube Studio content export: `Table data.csv`, lifetime totals per video under a `Total` row."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .base import write_csv


def write_youtube(path: Path, posts: pd.DataFrame, rng: np.random.Generator) -> None:
    """YouTube Studio ``Table data.csv``: a ``Total`` row first; some IDs with a leading space."""
    header = ["Content", "Video title", "Video publish time", "Duration", "Views", "Watch time (hours)",
              "Subscribers", "Impressions", "Impressions click-through rate (%)"]  # fmt: skip
    rows = []
    for p in posts.sort_values("video_views", ascending=False, kind="stable").itertuples():
        duration = p.duration_s if p.post_type == "Short" else int(rng.integers(240, 900))
        watch = p.video_views * duration * rng.uniform(0.3, 0.6) / 3600
        clicks_share = rng.uniform(0.03, 0.09)
        impressions = int(p.video_views / clicks_share * 0.6)
        rows.append(
            [(" " if rng.random() < 0.3 else "") + p.post_id, p.text.split("\n")[0], f"{p.published_at:%b} "
             f"{p.published_at.day}, {p.published_at.year}", duration, p.video_views, round(watch, 4),
             int(p.video_views * 0.004), impressions, round(p.video_views * 0.6 / impressions * 100, 2)]
        )  # fmt: skip
    views = sum(r[4] for r in rows)
    impressions = sum(r[7] for r in rows)
    total = ["Total", "", "", "", views, round(sum(r[5] for r in rows), 4), sum(r[6] for r in rows), impressions,
             round(views * 0.6 / impressions * 100, 2)]  # fmt: skip
    write_csv(path, header, [total, *rows])
