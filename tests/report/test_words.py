"""Words a client should not see (issue 24): no file names, no internal terms, no KPI keys in prose.

Every page of every demo client is rendered once per session in English and in Russian
(``demo_reports_en_ru``: the real notebooks through ``smmkit run``), and the visible text of
each (text nodes, ``title`` and ``alt`` attributes; not the ``data-*`` attributes, which are for
tools) is searched for each pattern of :data:`FORBIDDEN`.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from smmkit.catalogue import KPI_KEYS
from smmkit.report.sections import PAGE_FILES

#: What no client page may say: (pattern, why). Case-insensitive.
FORBIDDEN: tuple[tuple[str, str], ...] = (
    (r"client\.yaml|smmkit\.yaml", "the kit's configuration file"),
    (r"\b[\w-]+\.(csv|xlsx?|json|ipynb|md|py|parquet)\b", "a file name"),
    (r"canonical|каноническ", "the kit's internal term for its own file formats"),
    (
        r"each finding is a rule|rule over the numbers|правило над числами|правилам не хватило",
        "the findings' machinery",
    ),
    (r"every rule lacked", "the findings' machinery"),
    (r"metrics\.md|data-contract|smmkit\.\w+", "the kit's documents and modules"),
    (r"\b(NaN|None|nan|inf)\b", "a Python value instead of n/a"),
    # as an export writes it (case-sensitive: an analyst's note may well speak of "the launch reels")
    (
        r"(?-i:\b(IG reel|IG image|IG carousel|SharedVideo|Reels|Photos)\b)",
        "a post type as one export names it",
    ),
    (r"\b\d{4}-\d{2}(-\d{2})?\b", "an ISO date where the report writes dates for people"),
    (r"[\w.-]+\s*=\s*None|Traceback|Error:", "a program's output"),
)

#: KPI keys in prose: the keys that are code words (an underscore), whole words only.
KEY_WORDS = re.compile(
    r"\b(" + "|".join(sorted((k for k in KPI_KEYS if "_" in k), key=len, reverse=True)) + r")\b"
)


class _Visible(HTMLParser):
    """The text a reader sees: text nodes outside <style>/<script>, and title/alt attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.skip = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("style", "script"):
            self.skip += 1
        for name, value in attrs:
            if name in ("title", "alt", "aria-label") and value:
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in ("style", "script") and self.skip:
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip and data.strip():
            self.parts.append(" ".join(data.split()))


def visible_text(html: str) -> str:
    reader = _Visible()
    reader.feed(html)
    return "\n".join(reader.parts)


def test_the_checker_catches_each_kind_of_word():
    page = (
        '<p>Costs from client.yaml</p><p title="see posts.csv">x</p><style>.a{}</style>'
        "<p>ER per post (er_post) was nan</p><p>canonical web file</p><td>IG reel</td><p>2026-11</p>"
    )
    text = visible_text(page)
    found = {why for pattern, why in FORBIDDEN if re.search(pattern, text, re.IGNORECASE)}
    assert found == {
        "the kit's configuration file",
        "a file name",
        "a Python value instead of n/a",
        "the kit's internal term for its own file formats",
        "a post type as one export names it",
        "an ISO date where the report writes dates for people",
    }
    assert KEY_WORDS.findall(text) == ["er_post"]
    assert visible_text("<style>client.yaml</style><p>ok</p>") == "ok"


def _pages(folders: dict[str, Path]) -> list[Path]:
    return [folder / name for folder in folders.values() for name in PAGE_FILES.values()]


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "ru"])
def test_no_client_page_shows_a_forbidden_word(demo_reports_en_ru, lang):
    pages = _pages(demo_reports_en_ru[lang])
    assert len(pages) == 5 * len(demo_reports_en_ru[lang]) and all(p.is_file() for p in pages)
    problems = []
    for page in pages:
        text = visible_text(page.read_text(encoding="utf-8"))
        for pattern, why in FORBIDDEN:
            for m in re.finditer(pattern, text, re.IGNORECASE):
                line = text[text.rfind("\n", 0, m.start()) + 1 : text.find("\n", m.end())]
                problems.append(f"{page.parent.name}/{page.name}: {why}: {m.group(0)!r} in {line[:160]!r}")
        for m in KEY_WORDS.finditer(text):
            problems.append(f"{page.parent.name}/{page.name}: a KPI key in prose: {m.group(0)!r}")
    assert not problems, "\n".join(problems)


@pytest.mark.slow
def test_pages_speak_their_language_and_name_post_types_from_the_catalogue(demo_reports_en_ru):
    from smmkit.catalogue import POST_TYPES

    for lang, index in (("en", 0), ("ru", 1)):
        names = {names[index] for names in POST_TYPES.values()}
        content = [
            visible_text((f / "content.html").read_text(encoding="utf-8"))
            for f in demo_reports_en_ru[lang].values()
        ]
        assert any(name in text for text in content for name in names)
        overview = [
            visible_text((f / "overview.html").read_text(encoding="utf-8"))
            for f in demo_reports_en_ru[lang].values()
        ]
        first = "ER per post" if lang == "en" else "ER публикации"
        assert all(first in text for text in overview)  # the engagement rate a client sees first
