"""Small client folders built for the findings, forecast and alerts tests (the right answer known by construction)."""

from __future__ import annotations

import csv
import textwrap
from pathlib import Path

import pandas as pd

POST_COLS = ["network", "post_id", "published_at", "post_type", "text", "url", "impressions", "reach",
             "reach_paid", "likes", "comments", "shares"]  # fmt: skip


def write_client(root: Path, *, yaml: str = "name: Acme\n", **tables: list[dict]) -> Path:
    """Write ``root/client.yaml`` and ``root/exports/<table>.csv`` (canonical headers) for each table given."""
    (root / "exports").mkdir(parents=True, exist_ok=True)
    (root / "client.yaml").write_text(textwrap.dedent(yaml), encoding="utf-8")
    for name, rows in tables.items():
        cols = POST_COLS if name == "posts" else list(rows[0])
        with open(root / "exports" / f"{name}.csv", "w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fieldnames=cols)
            writer.writeheader()
            for row in rows:
                writer.writerow({c: row.get(c, "") for c in cols})
    return root


def daily_posts(network: str, first: str, last: str, reach, *, paid=None, prefix: str = "p") -> list[dict]:
    """One post a day at noon with the given reach (a number or a function of the day index)."""
    rows = []
    for i, day in enumerate(pd.date_range(first, last)):
        r = reach(i) if callable(reach) else reach
        rows.append(
            {
                "network": network,
                "post_id": f"{prefix}{network}{i}",
                "published_at": f"{day.date()} 12:00",
                "post_type": "photo",
                "text": f"post {i}",
                "url": f"https://example.com/{network}/{i}",
                "impressions": int(r * 1.5),
                "reach": int(r),
                "reach_paid": "" if paid is None else int(paid(i) if callable(paid) else paid),
                "likes": 10,
                "comments": 1,
                "shares": 1,
            }
        )
    return rows
