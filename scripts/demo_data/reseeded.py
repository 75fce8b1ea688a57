"""The demo clients simulated again with other seeds: the same scenario, other numbers.

Each demo client's scenario (networks, contests, bought followers, campaigns, crisis) with the
random streams of another seed gives a client whose series behave like the demo's without
being them: the forecast's backtest (``benchmarks/forecast.py``) measures its band on them, so
that the band is not tuned to three series. Written in the kit's canonical formats (posts and
audience only: what the forecast reads), as deterministic as the demo clients::

    from scripts.demo_data.reseeded import build_reseeded
    build_reseeded("coffee-point", 2, out)  # -> out/coffee-point-s2/
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from .clients import CLIENTS
from .scenario import Client
from .simulation import simulate
from .sparse import client_yaml
from .timeline import DAYS
from .writers.base import write_csv
from .writers.canonical import (
    AUDIENCE_HEADER,
    FULL_AUDIENCE,
    POSTS_HEADER,
    canonical_audience_rows,
    canonical_post_rows,
)

#: The demo clients' slugs, the bases of reseeded clients.
BASES = tuple(c.slug for c in CLIENTS)


def reseeded(slug: str, seed: int) -> Client:
    """Demo client ``slug``'s scenario with the random streams of ``seed`` (``slug-s<seed>``)."""
    base = next((c for c in CLIENTS if c.slug == slug), None)
    if base is None:
        raise ValueError(f"no demo client {slug!r}; one of {', '.join(BASES)}")
    return replace(base, seed=base.seed * 1000 + seed, slug=f"{slug}-s{seed}")


def build_reseeded(slug: str, seed: int, out: Path) -> Path:
    """Write :func:`reseeded` ``(slug, seed)`` into ``out/<slug>-s<seed>/``; return its folder."""
    client = reseeded(slug, seed)
    audiences, posts, _ = simulate(client)
    folder = out / client.slug
    (folder / "exports").mkdir(parents=True, exist_ok=True)
    (folder / "client.yaml").write_text(client_yaml(client.slug, client), encoding="utf-8")
    rows = [row for net, frame in posts.items()
            for row in canonical_post_rows(net, frame, url=lambda pid, net=net: f"https://example.com/{net}/{pid}",
                                           keep=POSTS_HEADER[6:])]  # fmt: skip
    write_csv(folder / "exports" / "posts.csv", POSTS_HEADER, rows)
    rows = [row for net, frame in audiences.items()
            for row in canonical_audience_rows(net, frame.assign(date=DAYS).reset_index(drop=True),
                                               keep=FULL_AUDIENCE)]  # fmt: skip
    write_csv(folder / "exports" / "audience.csv", AUDIENCE_HEADER, rows)
    return folder
