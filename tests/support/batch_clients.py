"""Clients and notebooks of the runner's tests (tests/batch/test_runner.py, tests/batch/test_cluster.py).

The report notebooks under tests/fixtures/notebooks/report read ``client.yaml`` and draw a figure;
``2-content.ipynb`` raises in its 4th cell for a client named "Broken ..." (the failure path).
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from smmkit.batch.discover import discover_clients, discover_notebooks
from smmkit.errors import UsageError
from smmkit.kpi.periods import Period

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "notebooks"
REPORT = FIXTURES / "report"
OCTOBER = Period(dt.date(2026, 10, 1), dt.date(2026, 10, 28))

POSTS_HEADER = "network,post_id,published_at,text,reach,likes,comments,shares\n"
# Two October posts (reach 100 + 250 = 350) and one in the previous period
# (2026-09-03 .. 2026-09-30) with reach 200: reach change = (350 / 200 - 1) x 100 = 75.0.
GOOD_POSTS = POSTS_HEADER + (
    "vk,1,2026-10-03 10:00,Hello,100,5,1,0\n"
    'vk,2,2026-10-10 12:00,"<img src=x onerror=""window.__xss=1"">",250,7,2,1\n'
    "vk,3,2026-09-15 09:00,Old post,200,2,0,0\n"
)
# Followers 1,000 on the last day of the previous period, 1,100 on the report date:
# followers_end = 1,100, change = (1100 / 1000 - 1) x 100 = 10.0. The first row, on the previous
# period's first day, makes the exports cover that period whole (metrics.md, coverage), so the
# changes are computed (the posts, events, cover the days of the audience export too).
AUDIENCE = "network,date,followers\nvk,2026-09-03,990\nvk,2026-09-30,1000\nvk,2026-10-28,1100\n"


def write_client(root: Path, slug: str, yaml: str, *, posts: str | None = GOOD_POSTS) -> Path:
    folder = root / slug
    (folder / "exports").mkdir(parents=True)
    (folder / "client.yaml").write_text(yaml, encoding="utf-8")
    if posts is not None:
        (folder / "exports" / "posts.csv").write_text(posts, encoding="utf-8")
        (folder / "exports" / "audience.csv").write_text(AUDIENCE, encoding="utf-8")
    return folder


def notebooks_dir(tmp: Path, *names: str) -> Path:
    """A notebooks folder holding copies of the named fixture notebooks."""
    folder = tmp / "notebooks"
    folder.mkdir()
    for name in names:
        shutil.copy(FIXTURES / name, folder / Path(name).name)
    return folder


DEMO_PERIOD = Period(dt.date(2026, 10, 1), dt.date(2026, 10, 28))  # demo data runs 2025-07-01..2026-10-31


def demo_inputs() -> tuple[list[Path], list[Path]]:
    """The real report notebooks and demo clients, or skip while they do not exist yet."""
    from smmkit.config import CLIENTS_DIR, NOTEBOOKS_DIR

    try:
        notebooks = discover_notebooks(NOTEBOOKS_DIR)
        clients = discover_clients(CLIENTS_DIR)
    except UsageError as exc:
        pytest.skip(str(exc))
    if len(clients) < 2:
        pytest.skip("needs two demo clients")
    return notebooks, clients
