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
