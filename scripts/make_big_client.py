"""Write a large client for the benchmarks: 1,000,000 canonical posts over 10 networks and five
years of daily audience (deterministic: the same bytes every run).

    .venv/bin/python scripts/make_big_client.py [OUT_DIR] [--posts N]

OUT_DIR defaults to data/derived/big-client (git-ignored). The files are the kit's canonical
posts and audience CSVs (data-contract.md section 2), so loading measures the readers, not a
native format's quirks.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from smmkit.io.schema import NETWORKS

ROOT = Path(__file__).resolve().parents[1]
TYPES = ("photo", "video", "link", "text", "clip")
LAST_DAY = dt.date(2026, 10, 31)
YEARS = 5


def write(out: Path, posts: int = 1_000_000) -> Path:
    rng = np.random.default_rng(20261031)
    first = LAST_DAY - dt.timedelta(days=365 * YEARS - 1)
    days = pd.date_range(first, LAST_DAY, freq="D")
    (out / "exports").mkdir(parents=True, exist_ok=True)
    (out / "client.yaml").write_text(
        "name: Big Brand\ntimezone: Europe/Moscow\ncurrency: EUR\nmonthly_cost: 50000\n", encoding="utf-8"
    )

    net = rng.integers(0, len(NETWORKS), posts)
    seconds = rng.integers(0, len(days) * 86400, posts)
    published = pd.Timestamp(first) + pd.to_timedelta(np.sort(seconds), unit="s")
    reach = rng.gamma(2.0, 1500.0, posts).round()
    likes = rng.binomial(reach.astype(np.int64), 0.03)
    frame = pd.DataFrame(
        {
            "network": np.asarray(NETWORKS)[net],
            "post_id": [f"p{i}" for i in range(posts)],
            "published_at": published.strftime("%Y-%m-%d %H:%M:%S"),
            "post_type": np.asarray(TYPES)[rng.integers(0, len(TYPES), posts)],
            "text": "post",
            "url": "",
            "impressions": (reach * rng.uniform(1.0, 1.8, posts)).round().astype(np.int64),
            "reach": reach.astype(np.int64),
            "likes": likes,
            "comments": rng.binomial(likes, 0.1),
            "shares": rng.binomial(likes, 0.05),
            "clicks": rng.binomial(reach.astype(np.int64), 0.01),
        }
    )
    frame.to_csv(out / "exports" / "posts.csv", index=False)

    rows = []
    for i, network in enumerate(NETWORKS):
        joins = rng.poisson(40 + 5 * i, len(days))
        leaves = rng.poisson(25 + 3 * i, len(days))
        followers = 10_000 * (i + 1) + np.cumsum(joins - leaves)
        rows.append(
            pd.DataFrame(
                {
                    "network": network,
                    "date": days.strftime("%Y-%m-%d"),
                    "followers": followers,
                    "new_followers": joins,
                    "lost_followers": leaves,
                }
            )
        )
    pd.concat(rows).to_csv(out / "exports" / "audience.csv", index=False)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", type=Path, default=ROOT / "data" / "derived" / "big-client")
    parser.add_argument("--posts", type=int, default=1_000_000)
    args = parser.parse_args()
    print(write(args.out, args.posts))


if __name__ == "__main__":
    main()
