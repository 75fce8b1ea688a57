"""Sparse clients from the demo simulation: some networks, some sources, some days (issue 23).

Real clients do not have every network, every source and every day as the demo clients do. A
:class:`Sparse` names what a client keeps of a demo client's simulated numbers (its networks,
its sources, a date range, sources that stop early, posts that stop, a few posts only, every
number 0) and :func:`build_sparse` writes it as a client folder in the kit's canonical formats
(``client.yaml`` and ``exports/``). The numbers are the demo simulation's, so a sparse client
is as deterministic as the demo clients and :mod:`demo_data.build`'s output is not touched::

    from scripts.demo_data.sparse import Sparse, build_sparse
    build_sparse(Sparse("x-quiet", networks=("x",), sources=("posts", "audience"),
                        start="2026-09-01", posts_until="2026-09-30"), out)

:data:`FIXTURES` writes the fixture clients of ``tests/fixtures/clients/sparse/`` (one per case
of issue 23, some in the networks' own formats)::

    python -m scripts.demo_data.sparse tests/fixtures/clients/sparse
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

import pandas as pd

from .clients import CLIENTS, atelier_nord, coffee_point, nimbus_crm
from .scenario import Client, stream
from .simulation import ByNetwork, ga4_rows, simulate, simulate_inbox, simulate_mentions
from .timeline import DAYS
from .writers.ads import ADS_HEADER, ads_rows
from .writers.base import write_csv
from .writers.canonical import (
    AUDIENCE_HEADER,
    FULL_AUDIENCE,
    INBOX_HEADER,
    MENTIONS_HEADER,
    POSTS_HEADER,
    canonical_audience_rows,
    canonical_post_rows,
)
from .writers.facebook import fb_page_rows, write_fb_legacy_page, write_fb_legacy_posts
from .writers.google import write_ga4
from .writers.x import write_x_content, write_x_overview, x_extras

#: Every source a sparse client may keep.
SOURCES = ("posts", "audience", "ads", "web", "inbox", "mentions")
#: Per demo client: its traffic sources (GA4) and how its inbox and mentions are simulated.
_BASES = {
    "coffee-point": (coffee_point.SOURCES, {"own": ["Coffee Point"], "competitors": ["Brew Bros"],
                                            "unrelated": ["Cofix"], "lang": "ru"}),
    "nimbus-crm": (nimbus_crm.SOURCES, {"own": ["Nimbus CRM"], "competitors": ["PipeFlow"],
                                        "unrelated": ["Salesforce"], "lang": "en"}),
    "atelier-nord": (atelier_nord.SOURCES, {"own": ["Atelier Nord"], "competitors": ["Maison Verte"],
                                            "unrelated": ["Zara"], "lang": "en"}),
}  # fmt: skip
_NUMBERS = POSTS_HEADER[6:]


@dataclass(frozen=True)
class Sparse:
    """What a sparse client keeps of demo client ``base``'s simulated numbers.

    ``networks`` (of ``base``'s) give posts and audience; ``sources`` (of :data:`SOURCES`) the
    files written; every row lies in ``start..end``, a source of ``stale`` ends at ``stale_end``;
    no post is published after ``posts_until`` (and from then on the audience does not move);
    ``max_posts`` keeps the latest posts only; ``zeros`` makes every number 0.
    """

    slug: str
    base: str = "nimbus-crm"
    networks: tuple[str, ...] = ()
    sources: tuple[str, ...] = ("posts", "audience")
    start: str = "2025-07-01"
    end: str = "2026-10-31"
    stale: tuple[str, ...] = ()
    stale_end: str = "2026-03-31"
    posts_until: str | None = None
    max_posts: int | None = None
    zeros: bool = False

    def days(self, source: str) -> tuple[pd.Timestamp, pd.Timestamp]:
        """The first and last day of ``source``'s rows."""
        end = min(self.end, self.stale_end) if source in self.stale else self.end
        return pd.Timestamp(self.start), pd.Timestamp(end)


@cache
def base_numbers(slug: str) -> tuple[Client, ByNetwork, ByNetwork, pd.DataFrame]:
    """Demo client ``slug`` and its simulated audience, posts (by network) and ads (computed once)."""
    client = next(c for c in CLIENTS if c.slug == slug)
    return (client, *simulate(client))


def client_yaml(name: str, client: Client) -> str:
    """A minimal ``client.yaml``: name, the demo client's time zone and currency, English."""
    currency = next(
        line.split(":", 1)[1].strip() for line in client.yaml.splitlines() if line.startswith("currency")
    )
    return f"name: {name}\ntimezone: {client.tz}\ncurrency: {currency}\nlanguage: en\n"


def _within(frame: pd.DataFrame, column: str, days: tuple[pd.Timestamp, pd.Timestamp]) -> pd.DataFrame:
    day = frame[column].dt.normalize()
    return frame.loc[(day >= days[0]) & (day <= days[1])]


def sparse_posts(spec: Sparse, posts: pd.DataFrame) -> pd.DataFrame:
    """A network's posts as ``spec`` keeps them."""
    kept = _within(posts, "published_at", spec.days("posts"))
    if spec.posts_until is not None:
        kept = kept.loc[kept.published_at.dt.normalize() <= pd.Timestamp(spec.posts_until)]
    if spec.max_posts is not None:
        kept = kept.sort_values("published_at").iloc[len(kept) - min(spec.max_posts, len(kept)) :]
    if spec.zeros:
        kept = kept.assign(**{c: 0 for c in _NUMBERS})
    return kept


def sparse_audience(spec: Sparse, aud: pd.DataFrame) -> pd.DataFrame:
    """A network's daily audience as ``spec`` keeps it (flat after ``posts_until``: zero days)."""
    aud = aud.assign(date=DAYS).reset_index(drop=True)
    if spec.posts_until is not None:
        quiet = (aud.date > pd.Timestamp(spec.posts_until)).to_numpy()
        if quiet.any():
            last = aud.loc[~quiet, "followers"].iloc[-1] if (~quiet).any() else aud.followers.iloc[0]
            aud.loc[quiet, ["new_followers", "lost_followers", "unique_visitors", "page_views"]] = 0
            aud.loc[quiet, "followers"] = last
    kept = _within(aud, "date", spec.days("audience"))
    if spec.zeros:
        kept = kept.assign(**{c: 0 for c in FULL_AUDIENCE})
    return kept


def _rows_within(
    rows: list[list[str]], column: int, days: tuple[pd.Timestamp, pd.Timestamp]
) -> list[list[str]]:
    first, last = (f"{d:%Y-%m-%d}" for d in days)
    return [r for r in rows if first <= str(r[column])[:10] <= last]


def write_web(spec: Sparse, ex: Path, client: Client, posts: ByNetwork, ads: pd.DataFrame) -> None:
    """The GA4 traffic acquisition file of ``spec``'s days (the demo client's traffic sources)."""
    first, last = spec.days("web")
    rows = [r for r in ga4_rows(client, _BASES[spec.base][0], posts, ads, revenue_per_event=0)
            if f"{first:%Y%m%d}" <= r[0] <= f"{last:%Y%m%d}"]  # fmt: skip
    if spec.zeros:
        rows = [[*r[:3], *(0 for _ in r[3:])] for r in rows]
    write_ga4(ex / "ga4_traffic_acquisition.csv", rows, account=spec.slug, prop=f"{spec.slug} - GA4",
              start=first, end=last)  # fmt: skip


def write_community(spec: Sparse, ex: Path, client: Client) -> None:
    """The inbox and mentions files ``spec`` keeps (canonical, UTF-8)."""
    who = _BASES[spec.base][1]
    nets = [n.network for n in client.nets]
    if "inbox" in spec.sources:
        # Times in UTC: the demo's "always" offsets cannot place a local time of a DST change's
        # repeated hour (America/New_York, 2025-11-02 01:33).
        rows = simulate_inbox(replace(client, tz="UTC"), nets, offsets="always")
        write_csv(ex / "inbox.csv", INBOX_HEADER, _rows_within(rows, 2, spec.days("inbox")))
    if "mentions" in spec.sources:
        rows = simulate_mentions(client, networks=[*nets, "web"], **who)
        write_csv(ex / "mentions.csv", MENTIONS_HEADER, _rows_within(rows, 0, spec.days("mentions")))


def build_sparse(spec: Sparse, out: Path) -> Path:
    """Write the client ``spec`` describes into ``out/<slug>/``; return its folder.

    A client without any source gets an ``exports/`` folder with no file.
    """
    client, aud, posts, ads = base_numbers(spec.base)
    unknown = sorted(set(spec.networks) - set(posts)) + sorted(set(spec.sources) - set(SOURCES))
    if unknown:
        raise ValueError(
            f"{spec.slug}: {unknown} not among {spec.base}'s networks {sorted(posts)} or {SOURCES}"
        )
    folder = out / spec.slug
    ex = folder / "exports"
    ex.mkdir(parents=True, exist_ok=True)
    (folder / "client.yaml").write_text(
        client_yaml(spec.slug.replace("-", " ").title(), client), encoding="utf-8"
    )
    if "posts" in spec.sources and spec.networks:
        rows = [row for net in spec.networks
                for row in canonical_post_rows(net, sparse_posts(spec, posts[net]),
                                               url=lambda pid, net=net: f"https://example.com/{net}/{pid}",
                                               keep=_NUMBERS)]  # fmt: skip
        write_csv(ex / "posts.csv", POSTS_HEADER, rows)
    if "audience" in spec.sources and spec.networks:
        rows = [row for net in spec.networks
                for row in canonical_audience_rows(net, sparse_audience(spec, aud[net]), keep=FULL_AUDIENCE)]  # fmt: skip
        write_csv(ex / "audience.csv", AUDIENCE_HEADER, rows)
    if "ads" in spec.sources:
        kept = _within(ads, "date", spec.days("ads"))
        if spec.zeros:
            kept = kept.assign(spend=0.0, impressions=0, reach=0, clicks=0, leads=0)
        write_csv(ex / "ads.csv", ADS_HEADER, ads_rows(kept))
    if "web" in spec.sources:
        write_web(spec, ex, client, posts, ads)
    write_community(spec, ex, client)
    return folder


# --------------------------------------------------------------------------- the fixture clients
def stale_facebook(out: Path) -> Path:
    """Facebook only, in the legacy Page Insights formats, whose exports end on 14 Feb 2016.

    Nimbus CRM's Facebook numbers of 2025-08-15..2026-02-14, dated ten years earlier.
    """
    client, aud, posts, _ = base_numbers("nimbus-crm")
    folder = out / "stale-facebook"
    ex = folder / "exports" / "facebook"
    (folder / "exports").mkdir(parents=True, exist_ok=True)
    (folder / "client.yaml").write_text(client_yaml("Stale Facebook", client), encoding="utf-8")
    back = pd.DateOffset(years=10)
    days = DAYS[(DAYS >= "2025-08-15") & (DAYS <= "2026-02-14")]
    fb = posts["facebook"].assign(post_id=lambda f: "104800000000001_" + f.post_id.str[-15:])
    rng = stream(client, "sparse-facebook")
    page_rows = fb_page_rows(fb, aud["facebook"], rng)
    fb = _within(fb, "published_at", (days[0], days[-1])).assign(published_at=lambda f: f.published_at - back)
    write_fb_legacy_posts(ex / "Facebook Insights Data Export (Post Level) - Stale Facebook.csv", fb,
                          page_id="104800000000001", rng=rng)  # fmt: skip
    write_fb_legacy_page(ex / "Facebook Insights Data Export - Stale Facebook.csv", days, page_rows,
                         date_fmt=lambda d: f"{(d - back):%Y-%m-%d}")  # fmt: skip
    return folder


def x_only(out: Path) -> Path:
    """X only, as the README says: the 2024+ content export and the account overview (2026-07..2026-10)."""
    client, aud, posts, _ = base_numbers("nimbus-crm")
    folder = out / "x-only"
    ex = folder / "exports" / "x"
    (folder / "exports").mkdir(parents=True, exist_ok=True)
    (folder / "client.yaml").write_text(client_yaml("X Only", client), encoding="utf-8")
    x = x_extras(posts["x"], stream(client, "sparse-x"))
    x = _within(x, "published_at", (pd.Timestamp("2026-07-01"), pd.Timestamp("2026-10-31")))
    write_x_content(ex / "account_analytics_content_2026-07-01_2026-10-31.csv", x, handle="xonly")
    overview = ex / "account_overview_analytics.csv"
    write_x_overview(overview, x, aud["x"])
    lines = overview.read_text(encoding="utf-8").splitlines(keepends=True)
    # the overview of 2026-07-01..2026-10-31 (newest first): the header, then 123 days
    overview.write_text(
        "".join(lines[: 1 + (DAYS[-1] - pd.Timestamp("2026-07-01")).days + 1]), encoding="utf-8"
    )
    return folder


#: The fixture clients of ``tests/fixtures/clients/sparse/``: folder name -> writer (``out`` -> folder).
FIXTURES: dict[str, Callable[[Path], Path]] = {
    "stale-facebook": stale_facebook,
    "x-only": x_only,
    "quiet-month": lambda out: build_sparse(
        Sparse(
            "quiet-month",
            base="coffee-point",
            networks=("vk",),
            sources=("posts", "audience"),
            start="2026-07-01",
            posts_until="2026-09-30",
        ),
        out,
    ),  # fmt: skip
    "only-ads": lambda out: build_sparse(Sparse("only-ads", networks=(), sources=("ads",)), out),
}


def main(argv: list[str] | None = None) -> int:
    """``python -m scripts.demo_data.sparse OUT``: write the :data:`FIXTURES` clients into ``OUT``."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m scripts.demo_data.sparse OUT", file=sys.stderr)
        return 2
    for write in FIXTURES.values():
        write(Path(args[0]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
