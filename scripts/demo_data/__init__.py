"""Generate the three demo clients of ``data/clients/`` (deterministic).

Each client folder gets ``client.yaml``, ``logo.png`` and ``exports/`` with
every export written in its *native* format as ``../shared/data-contract.md``
section 2 describes it (header names, encodings, delimiters, date formats,
description rows, ``Total`` rows, disclaimers, ...). The numbers come from a
small simulation per network, so that they hang together:

- followers: ``followers(d) = followers(d-1) + new(d) - lost(d)``, with weekly
  seasonality, contests (a spike of joins, then an unfollow wave 4-6 days
  later), bought followers (a lump of joins; engagement per post falls
  afterwards), paid campaigns (more joins, paid reach) and crises;
- posts: 3-10 a week per network, reach proportional to the real (non-bot)
  followers, ``impressions >= reach``, likes/comments/shares drawn around the
  reach;
- web sessions from social sources follow post clicks, ad clicks and contests;
- inbox and mentions follow the crisis and contest days.

Everything is drawn from ``numpy.random.default_rng`` streams seeded by
constants, no wall clock is read, XLSX archives get fixed timestamps and the
PNG logos are encoded by hand, so re-running writes the same bytes::

    python scripts/make_demo_data.py                 # -> data/clients/
    python scripts/make_demo_data.py --out /tmp/demo  # e.g. for a test
    python -m scripts.demo_data --out /tmp/demo       # the same, from the repository root

The package follows the data, as smmkit does (and never imports smmkit: the demo
exports are the test of its readers)::

    timeline.py     the days 2025-07-01..2026-10-31; a post's numbers spread over the days after it
    scenario.py     what a client is: networks (NetSpec), contests, bought followers, campaigns, crisis
    simulation/     numbers, no formats: audience, posts, ads, community (inbox, mentions), web (GA4 rows)
    writers/        one module per export family: base (CSV, XLSX), canonical, ads, vk, meta,
                    facebook (legacy Page Insights), linkedin, x, tiktok, youtube, google (GA4)
    clients/        one module per demo client (its scenario, sources, notes, files), the demo agency
    logo.py         hand-encoded PNG logos
    readme.py       the generated README.md (files and scenario of each client)
    build.py        build(out) and the command line (main)

The scenario (events and their dates) is listed in the generated
``data/clients/README.md``.
"""

from __future__ import annotations

from .build import DEFAULT_OUT, build, main

__all__ = ["DEFAULT_OUT", "build", "main"]
