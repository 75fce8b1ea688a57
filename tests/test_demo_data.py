"""The demo clients of ``data/clients/``: reproducible, and consistent where the brief says so.

The generator (``scripts/make_demo_data.py``) is re-run into a temporary folder once
and compared byte for byte with the committed files. The other checks read the
committed files with the plain ``csv`` module (not the kit's loaders, which are
tested on their own) and check the invariants and scenario events the README
promises: follower identities, ``impressions >= reach``, the contest, bought
followers and crisis days, and the XSS strings that reports must show as text.
"""

from __future__ import annotations

import ast
import csv
import io
import statistics
import subprocess
import sys
from collections import Counter
from datetime import datetime
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CLIENTS = ROOT / "data" / "clients"
SCRIPT = ROOT / "scripts" / "make_demo_data.py"
PACKAGE = ROOT / "scripts" / "demo_data"
SLUGS = ("coffee-point", "nimbus-crm", "atelier-nord")
XSS_IMG = "<img src=x onerror=alert(1)>"
XSS_SCRIPT = "<script>alert('x')</script>"


def rows(path: Path, *, encoding: str = "utf-8", delimiter: str = ",") -> list[dict[str, str]]:
    text = path.read_bytes().decode(encoding)
    return list(csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter))


def num(value: str) -> int:
    """``'1 234'`` / ``'1\\xa0234'`` / ``'1234'`` -> 1234."""
    return int(value.replace(" ", "").replace("\xa0", ""))


def files_of(folder: Path) -> dict[str, Path]:
    """The folder's files, without the kit's git-ignored caches (``<client>/.smmkit-cache/``,
    written beside a client whenever it is loaded)."""
    return {
        p.relative_to(folder).as_posix(): p
        for p in sorted(folder.rglob("*"))
        if p.is_file() and ".smmkit-cache" not in p.relative_to(folder).parts
    }


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo")
    subprocess.run([sys.executable, str(SCRIPT), "--out", str(out)], check=True, capture_output=True)
    return out


def test_generator_reproduces_the_committed_files_byte_for_byte(regenerated: Path) -> None:
    committed, fresh = files_of(CLIENTS), files_of(regenerated)
    assert sorted(fresh) == sorted(committed)
    differing = [name for name in fresh if fresh[name].read_bytes() != committed[name].read_bytes()]
    assert differing == []


def test_python_m_runs_the_same_command_line() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "scripts.demo_data", "--help"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    assert "Generate the three demo clients" in done.stdout and "--out OUT" in done.stdout


def _generator_sources() -> dict[str, ast.Module]:
    paths = [SCRIPT, *sorted(PACKAGE.rglob("*.py"))]
    return {p.relative_to(ROOT).as_posix(): ast.parse(p.read_text(encoding="utf-8")) for p in paths}


def test_generator_never_imports_smmkit() -> None:
    """The demo exports test smmkit's readers, so the generator must not share code with them."""
    imported = []
    for name, tree in _generator_sources().items():
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                imported += [(name, alias.name) for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                imported.append((name, node.module or ""))
    assert len(_generator_sources()) > 10  # the package, not one script
    assert [(name, mod) for name, mod in imported if mod.split(".")[0] == "smmkit"] == []


def test_generator_functions_are_at_most_60_lines() -> None:
    long = [
        (name, node.name, node.end_lineno - node.lineno + 1)
        for name, tree in _generator_sources().items()
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.end_lineno - node.lineno >= 60
    ]
    assert long == []


def test_demo_data_is_under_15_mb() -> None:
    assert sum(p.stat().st_size for p in files_of(CLIENTS).values()) < 15 * 1024 * 1024


@pytest.mark.parametrize(
    ("path", "encoding", "delimiter", "networks"),
    [
        ("coffee-point/exports/audience_vk_ok_telegram.csv", "cp1251", ";", {"vk", "ok"}),
        ("coffee-point/exports/instagram_audience.csv", "utf-8", ",", {"instagram"}),
        ("atelier-nord/exports/audience.csv", "utf-8", ",", {"instagram", "facebook", "tiktok", "youtube"}),
    ],
)
def test_canonical_audience_followers_follow_joins_and_leaves(path, encoding, delimiter, networks) -> None:
    table = rows(CLIENTS / path, encoding=encoding, delimiter=delimiter)
    for network in networks:
        days = [r for r in table if r["network"] == network]
        assert len(days) == 488  # 2025-07-01..2026-10-31: 184 + 304 days
        for prev, cur in zip(days, days[1:], strict=False):
            expected = num(prev["followers"]) + num(cur["new_followers"]) - num(cur["lost_followers"])
            assert num(cur["followers"]) == expected, (network, cur["date"])


def test_telegram_audience_has_followers_only() -> None:
    table = rows(
        CLIENTS / "coffee-point/exports/audience_vk_ok_telegram.csv", encoding="cp1251", delimiter=";"
    )
    telegram = [r for r in table if r["network"] == "telegram"]
    assert telegram and all(
        r["followers"] and not r["new_followers"] and not r["lost_followers"] for r in telegram
    )


def test_facebook_page_level_likes_are_consistent_across_both_files() -> None:
    folder = CLIENTS / "nimbus-crm/exports/facebook"
    old = rows(folder / "Facebook Insights Data Export - Nimbus CRM - 2025.csv")
    new = rows(folder / "Facebook Insights Data Export - Nimbus CRM - 2026.csv")
    assert old[0]["Date"] == "" and new[0]["Date"] == ""  # row 2: descriptions
    assert (old[1]["Date"], new[1]["Date"], new[-1]["Date"]) == ("2025-07-01", "1/1/2026", "10/31/2026")
    days = old[1:] + new[1:]
    for prev, cur in zip(days, days[1:], strict=False):
        expected = int(prev["Lifetime Total Likes"]) + int(cur["Daily New Likes"]) - int(cur["Daily Unlikes"])
        assert int(cur["Lifetime Total Likes"]) == expected, cur["Date"]


def test_tiktok_follower_history_crosses_new_year_and_matches_the_audience_file() -> None:
    history = rows(CLIENTS / "atelier-nord/exports/tiktok/2026-01-20/FollowerHistory.csv")
    names = [r["Date"] for r in history]
    assert names[0] == "November 15" and names[-1] == "January 20" and "January 1" in names
    assert len(history) == 67  # 16 (Nov 15..30) + 31 + 20
    audience = {
        r["date"]: r for r in rows(CLIENTS / "atelier-nord/exports/audience.csv") if r["network"] == "tiktok"
    }
    jan1 = history[names.index("January 1")]
    assert int(jan1["Followers"]) == num(audience["2026-01-01"]["followers"])
    dec31 = audience["2025-12-31"]
    assert int(jan1["Difference in followers from previous day"]) == int(jan1["Followers"]) - num(
        dec31["followers"]
    )


def _post_files():
    canonical = [
        ("coffee-point/exports/vk/vk_posts_2025.csv", "cp1251", ";"),
        ("coffee-point/exports/vk/vk_posts_2026.csv", "cp1251", ";"),
        ("coffee-point/exports/ok_posts.csv", "cp1251", ";"),
        ("atelier-nord/exports/tiktok/tiktok_posts.csv", "utf-8", ","),
    ]
    for path, enc, sep in canonical:
        yield path, enc, sep, "impressions", "reach"
    for path in ("coffee-point/exports/instagram/Jul-01-2025_Oct-31-2026_1482.csv",
                 "atelier-nord/exports/meta/Jul-01-2025_Oct-31-2026_2213.csv",
                 "atelier-nord/exports/meta/Jul-01-2025_Oct-31-2026_2214.csv"):  # fmt: skip
        yield path, "utf-8-sig", ",", "Views", "Reach"


@pytest.mark.parametrize(("path", "encoding", "delimiter", "impressions", "reach"), list(_post_files()))
def test_post_impressions_are_at_least_reach(path, encoding, delimiter, impressions, reach) -> None:
    table = rows(CLIENTS / path, encoding=encoding, delimiter=delimiter)
    assert len(table) > 50
    assert all(num(r[impressions]) >= num(r[reach]) > 0 for r in table)


def test_vk_january_posts_are_in_both_files_with_higher_numbers_later() -> None:
    folder = CLIENTS / "coffee-point/exports/vk"
    old = {r["post_id"]: r for r in rows(folder / "vk_posts_2025.csv", encoding="cp1251", delimiter=";")}
    new = {r["post_id"]: r for r in rows(folder / "vk_posts_2026.csv", encoding="cp1251", delimiter=";")}
    both = old.keys() & new.keys()
    assert both and all(old[i]["published_at"].startswith("2026-01") for i in both)
    assert all(num(new[i]["reach"]) > num(old[i]["reach"]) for i in both if num(new[i]["reach"]) >= 15)


def _all_text(slug: str) -> str:
    """Every CSV export of a client as text (UTF-8, else Windows-1251)."""
    parts = []
    for path in files_of(CLIENTS / slug / "exports").values():
        if path.suffix == ".csv":
            raw = path.read_bytes()
            try:
                parts.append(raw.decode("utf-8"))
            except UnicodeDecodeError:
                parts.append(raw.decode("cp1251"))
    return "\n".join(parts)


@pytest.mark.parametrize("slug", SLUGS)
def test_each_client_has_each_xss_string_in_exactly_one_post(slug: str) -> None:
    text = _all_text(slug)
    if slug == "nimbus-crm":  # LinkedIn post titles live in the xlsx
        from openpyxl import load_workbook

        for path in (CLIENTS / slug / "exports/linkedin").glob("*content*.xlsx"):
            sheet = load_workbook(path, read_only=True)["All posts"]
            text += "\n".join(str(row[0]) for row in sheet.iter_rows(values_only=True))
    assert text.count(XSS_IMG) == 1
    assert text.count(XSS_SCRIPT) == 1


def _by_day(table, network: str, column: str) -> dict[str, int]:
    return {r["date"]: num(r[column]) for r in table if r["network"] == network}


def test_coffee_october_contest_then_unfollow_wave_and_bought_followers() -> None:
    table = rows(
        CLIENTS / "coffee-point/exports/audience_vk_ok_telegram.csv", encoding="cp1251", delimiter=";"
    )
    new, lost = _by_day(table, "vk", "new_followers"), _by_day(table, "vk", "lost_followers")
    september_new = statistics.median(v for d, v in new.items() if d.startswith("2026-09"))
    september_lost = statistics.median(v for d, v in lost.items() if d.startswith("2026-09"))
    assert new["2026-10-05"] > 10 * september_new  # contest
    assert min(lost[d] for d in ("2026-10-09", "2026-10-10", "2026-10-11")) > 3 * september_lost  # wave
    assert new["2026-08-11"] + new["2026-08-12"] > 3200  # bought lump of 3200 on top of ~60 a day


def test_bought_followers_lower_engagement_per_post_afterwards() -> None:
    table = rows(CLIENTS / "atelier-nord/exports/meta/Jul-01-2025_Oct-31-2026_2213.csv", encoding="utf-8-sig")

    def per_post(start: str, end: str) -> float:
        lo, hi = datetime.fromisoformat(start), datetime.fromisoformat(end)
        chosen = [r for r in table if lo <= datetime.strptime(r["Publish time"], "%m/%d/%Y %H:%M") < hi]
        return statistics.median(int(r["Likes"]) + int(r["Comments"]) + int(r["Shares"]) for r in chosen)

    # 4 weeks before the 2026-08-12 purchase vs the 4 weeks after (before the October campaign)
    assert per_post("2026-08-15", "2026-09-12") < 0.8 * per_post("2026-07-13", "2026-08-10")


@pytest.mark.parametrize(("slug", "crisis"), [("coffee-point", "2026-10-20"), ("atelier-nord", "2026-10-21")])
def test_crisis_day_has_a_negative_mention_spike_and_more_messages(slug: str, crisis: str) -> None:
    mentions = rows(CLIENTS / slug / "exports/mentions.csv")
    negative = Counter(r["published_at"][:10] for r in mentions if r["sentiment"] == "negative")
    typical = statistics.median(negative.values())
    assert negative[crisis] >= 60 > 5 * typical
    inbox = Counter(r["received_at"][:10] for r in rows(CLIENTS / slug / "exports/inbox.csv"))
    assert inbox[crisis] >= 12
    assert all(3 <= n <= 15 for day, n in inbox.items() if day != crisis)


def test_ga4_files_have_the_preamble_and_nimbus_has_a_second_table() -> None:
    path = CLIENTS / "nimbus-crm/exports/ga4/Traffic_acquisition_Session_source_medium_2025.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    assert lines[0] == "# ----------------------------------------"
    assert "# Start date: 20250701" in lines and "# End date: 20251231" in lines
    assert lines[8].startswith("Date,Session source / medium,Session default channel group,")
    assert ",Conversions," in lines[8]
    blank = lines.index("")
    assert lines[blank + 1] == "Session source,Users,Sessions,Key events"
