"""The analyst's notes (#12): safe Markdown (XSS payloads stay text), the month's file, validate's checks."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser

import pytest

from smmkit.io.notes import check_notes, notes_path, read_notes
from smmkit.io.validate import validate_client
from smmkit.report.notes import notes_block_html, render_markdown

XSS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x]( javascript:alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[x](vbscript:msgbox(1))",
    "<javascript:alert(1)>",
    "![x](javascript:alert(1))",
    '[x](https://ok.example/"onmouseover="alert(1))',
    "<svg onload=alert(1)>",
    "<iframe src=https://evil.example></iframe>",
    "[x](//evil.example/path)",
    "[x](/relative/path)",
]


class _Elements(HTMLParser):
    def __init__(self, text: str):
        super().__init__()
        self.found: list[tuple[str, dict]] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


SAFE_TAGS = {
    "p",
    "a",
    "strong",
    "em",
    "ul",
    "ol",
    "li",
    "code",
    "pre",
    "h1",
    "h2",
    "h3",
    "blockquote",
    "br",
    "hr",
}


@pytest.mark.parametrize("payload", XSS)
def test_xss_payloads_never_become_markup(payload):
    out = render_markdown(f"Note with {payload} inside.\n\n{payload}\n")
    elements = _Elements(out).found
    assert {tag for tag, _ in elements} <= SAFE_TAGS, out
    for tag, attrs in elements:
        assert not [a for a in attrs if a.startswith("on")], out
        if tag == "a":
            assert set(attrs) == {"href", "rel"} and re.match(r"https?://", attrs["href"]), out


def test_markdown_keeps_formatting_and_http_links():
    out = render_markdown("**Bold** and *it*\n\n- one\n- [site](https://example.com/a?b=1&c=2)\n")
    assert "<strong>Bold</strong>" in out and "<em>it</em>" in out and "<li>one</li>" in out
    assert '<a href="https://example.com/a?b=1&amp;c=2" rel="noopener noreferrer nofollow">site</a>' in out


def test_the_months_notes_with_the_analysts_name(tmp_path):
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "2026-10.md").write_text("Hello <b>team</b>", encoding="utf-8")
    assert notes_path(tmp_path, dt.date(2026, 10, 31)) == tmp_path / "notes" / "2026-10.md"
    assert read_notes(tmp_path, dt.date(2026, 11, 1)) is None  # another month
    block = notes_block_html(tmp_path, dt.date(2026, 10, 4), analyst="Ann <Admin>", labels="en")
    assert "Analyst&#x27;s notes" in block or "Analyst's notes" in block
    assert "by Ann &lt;Admin&gt;" in block and "&lt;b&gt;team&lt;/b&gt;" in block
    assert notes_block_html(tmp_path, dt.date(2026, 9, 30), analyst="Ann", labels="en") is None


def test_validate_checks_the_notes_folder(make_client):
    root = make_client(
        {"posts.csv": "network,post_id,published_at,likes\nvk,1,2026-10-01 10:00,5\n"},
        yaml="name: Acme\nanalyst: Ann\n",
    )
    notes = root / "notes"
    notes.mkdir()
    (notes / "2026-10.md").write_text(
        "ok\n\n<script>x</script>\n\n[a](javascript:alert(1))\n", encoding="utf-8"
    )
    (notes / "october.md").write_text("misnamed", encoding="utf-8")
    (notes / "2026-09.md").write_bytes(b"caf\xe9")
    report = validate_client(root)
    messages = [str(i) for i in report.issues]
    assert any("2026-10.md:3: raw HTML is shown as text" in m for m in messages), messages
    assert any("2026-10.md:5: link 'javascript:alert(1)' is shown as text" in m for m in messages), messages
    assert any("october.md: not a month's notes file" in m for m in messages)
    assert [str(e) for e in report.errors] == [
        f"{notes / '2026-09.md'}:1: notes must be UTF-8 text (unexpected end of data at byte 3)"
    ]
    assert report.errors


def test_notes_without_an_analyst_warn(tmp_path):
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "2026-10.md").write_text("fine", encoding="utf-8")
    assert [i.message for i in check_notes(tmp_path)] == [
        "notes without `analyst` in client.yaml are shown unsigned"
    ]
    assert check_notes(tmp_path, analyst="Ann") == []


# --------------------------------------------------------------------------- the days a note names (issue 24)
@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("the giveaway of Oct 11 brought followers", ["2026-10-11"]),
        ("всплеск подписок 6–7 октября совпал с розыгрышем", ["2026-10-06", "2026-10-07"]),
        (
            "Публикации с платным продвижением (12, 24 и 25 октября)",
            ["2026-10-12", "2026-10-24", "2026-10-25"],
        ),
        ("On October 9th and the 11th of October; 2026-10-03.", ["2026-10-03", "2026-10-09", "2026-10-11"]),
        ("December 30 recap", ["2026-12-30"]),  # a month named in October's notes: the nearest year
        ("Oct 2026 in 3 parts; 20 posts, 5 ads, the next contest", []),  # a year or a count is not a day
        ("Feb 30; 31 октября", ["2026-10-31"]),  # no such day as Feb 30: none
    ],
)
def test_the_days_a_note_names(text, days):
    import datetime as dt

    from smmkit.io.notes import noted_days

    assert sorted(d.isoformat() for d in noted_days(text, dt.date(2026, 10, 1))) == days


def test_the_period_noted_days_of_a_client_and_an_unreadable_notes_file(tmp_path):
    import datetime as dt

    from smmkit.config import CLIENTS_DIR
    from smmkit.io.notes import NOTES_LIMIT, period_noted_days

    oct4, oct31 = dt.date(2026, 10, 4), dt.date(2026, 10, 31)
    got = period_noted_days(CLIENTS_DIR / "coffee-point", oct4, oct31)
    assert sorted(d.day for d in got) == [6, 7, 12, 24, 25]
    assert period_noted_days(CLIENTS_DIR / "coffee-point", dt.date(2026, 10, 8), oct31) == frozenset(
        {dt.date(2026, 10, d) for d in (12, 24, 25)}
    )
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "2026-10.md").write_bytes(b"Oct 11 " * (NOTES_LIMIT // 7 + 1))  # too big: not read
    (tmp_path / "notes" / "2026-09.md").write_text("Sept recap: the 28 September post.", encoding="utf-8")
    assert period_noted_days(tmp_path, dt.date(2026, 9, 6), oct31) == frozenset({dt.date(2026, 9, 28)})
    assert period_noted_days(None, oct4, oct31) == frozenset()
