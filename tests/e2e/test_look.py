"""The report's look, white-label and language (issue 5).

Unit tests of the page chrome (agency config, colours, labels, the index page),
then headless Chromium on every page of every demo client at 1280 px and 390 px:
no horizontal overflow on a phone, no console error, every image loaded, the
client's brand colour and logo, the agency's footer; the Russian client's report
in Russian with ``1 234,5``-style numbers. Screenshots go to a tmp folder; with
``SMMKIT_UPDATE_SCREENSHOT=1`` the README's ``docs/report-screenshot.png`` is rewritten from
nimbus-crm's overview at 1280 px, and ``docs/report-screenshot-390.png`` from it on a phone.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import pytest

from smmkit.batch.discover import agency_dir
from smmkit.batch.fingerprint import input_fingerprint
from smmkit.batch.render import (
    footer_lines,
    format_headline_change,
    format_value,
    nav_label,
    on_color,
    page_title,
    period_text,
    render_index,
)
from smmkit.config import AgencyConfig, load_agency_config, load_config
from smmkit.errors import ConfigError, UsageError
from smmkit.report.i18n import LABELS

ROOT = Path(__file__).resolve().parents[2]
CLIENTS = ROOT / "data" / "clients"
SCREENSHOT = ROOT / "docs" / "report-screenshot.png"
PAGES = ("overview", "networks", "funnel", "content", "community")
DEMO = ("atelier-nord", "coffee-point", "nimbus-crm")
NBSP = "\u00a0"
# A 1x1 PNG.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
)


# -- the agency config (smmkit.yaml) -------------------------------------------------------------


def test_agency_config_defaults_without_a_file(tmp_path):
    assert load_agency_config(tmp_path) == AgencyConfig()


def test_agency_config_reads_every_key(tmp_path):
    (tmp_path / "brand").mkdir()
    (tmp_path / "brand" / "logo.png").write_bytes(PNG)
    (tmp_path / "smmkit.yaml").write_text(
        "name: Northwind Social\nlogo: brand/logo.png\nfooter: 'hello@example.org'\n"
        "language: ru\ncolor: '#0e7490'\ncredit: true\n",
        encoding="utf-8",
    )
    agency = load_agency_config(tmp_path)
    assert agency == AgencyConfig(
        name="Northwind Social",
        logo=tmp_path / "brand" / "logo.png",
        footer="hello@example.org",
        language="ru",
        color="#0e7490",
        credit=True,
        path=tmp_path / "smmkit.yaml",
    )


@pytest.mark.parametrize(
    ("text", "line", "key", "message"),
    [
        ("name: A\nfooter: x\nfoter: y\n", 3, "foter", r"unknown key 'foter'; expected one of: name, logo"),
        ("name: A\nlanguage: de\n", 2, "language", r"`language` must be one of en, ru; got 'de'"),
        ("color: red\n", 1, "color", r"`color` must be a hex colour like '#0e7490'; got 'red'"),
        ("credit: 'yes'\n", 1, "credit", r"`credit` must be true or false; got 'yes'"),
        ("logo: ../logo.png\n", 1, "logo", r"`logo` must be a path inside"),
        ("logo: missing.png\n", 1, "logo", r"`logo` file not found: 'missing.png'"),
        ("name: [a, b]\n", 1, "name", r"`name` must be text; got \['a', 'b'\]"),
    ],
)
def test_agency_config_errors_name_the_file_line_and_key(tmp_path, text, line, key, message):
    (tmp_path / "smmkit.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=message) as info:
        load_agency_config(tmp_path)
    assert (Path(info.value.path), info.value.line, info.value.column) == (
        tmp_path / "smmkit.yaml",
        line,
        key,
    )


def test_demo_agency_config_loads():
    agency = load_agency_config(CLIENTS)
    assert agency.name == "Northwind Social"
    assert agency.logo is not None and agency.logo.stat().st_size < 10_000
    assert agency.credit is False


def test_agency_dir_follows_the_clients_folder(tmp_path):
    a, b = tmp_path / "x" / "a", tmp_path / "y" / "b"
    assert agency_dir([], tmp_path) == tmp_path
    assert agency_dir([a, tmp_path / "x" / "c"], None) == (tmp_path / "x").resolve()
    assert agency_dir([a, b], None) is None  # clients in two folders: no single agency


def test_fingerprint_includes_the_agency_config(tmp_path):
    client = tmp_path / "acme"
    client.mkdir()
    (client / "client.yaml").write_text("name: Acme\n", encoding="utf-8")
    kw = dict(notebooks=[], start=dt.date(2026, 10, 1), end=dt.date(2026, 10, 28))
    (tmp_path / "smmkit.yaml").write_text("footer: one\n", encoding="utf-8")
    first = input_fingerprint(client, agency=load_agency_config(tmp_path), **kw)
    (tmp_path / "smmkit.yaml").write_text("footer: two\n", encoding="utf-8")
    second = input_fingerprint(client, agency=load_agency_config(tmp_path), **kw)
    assert first != second
    assert input_fingerprint(client, agency=load_agency_config(tmp_path), **kw) == second


# -- chrome helpers ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("color", "text"),
    [
        ("#6b3fa0", "#ffffff"),  # coffee-point purple: luminance ~0.09
        ("#0f6cbd", "#ffffff"),
        ("#ffffff", "#111111"),  # luminance 1.0
        ("#f0e442", "#111111"),  # Okabe-Ito yellow: luminance ~0.74
        ("#fff", "#111111"),
    ],
)
def test_on_color_picks_readable_text(color, text):
    assert on_color(color) == text


def test_on_color_rejects_a_non_hex_colour():
    with pytest.raises(UsageError, match=r"`color` must be a hex colour like '#6b3fa0'; got 'red'"):
        on_color("red")


@pytest.mark.parametrize(
    ("slug", "lang", "nav", "title"),
    [
        ("overview", "en", "Overview", "Overview"),
        ("funnel", "en", "Funnel", "Funnel and cost"),
        ("funnel", "ru", "Воронка", "Воронка и затраты"),
        ("community", "ru", "Сообщество", "Сообщество и мониторинг"),
        ("index", "ru", "Все клиенты", "Все клиенты"),
        ("top-posts", "ru", "Top posts", "Top posts"),  # not in the catalogue: from the slug
    ],
)
def test_nav_labels_and_page_titles(slug, lang, nav, title):
    assert nav_label(slug, lang) == nav
    assert page_title(slug, lang) == title


@pytest.mark.parametrize(
    ("start", "end", "lang", "text"),
    [
        ("2026-10-04", "2026-10-31", "en", "Oct 4 – Oct 31, 2026"),
        ("2026-10-04", "2026-10-31", "ru", "4 октября – 31 октября 2026"),
        ("2025-12-08", "2026-01-04", "en", "Dec 8, 2025 – Jan 4, 2026"),
    ],
)
def test_period_text(start, end, lang, text):
    assert period_text(start, end, lang) == text


def test_footer_has_no_kit_branding_unless_asked():
    agency = AgencyConfig(name="Northwind Social", footer="hello@example.org")
    assert footer_lines(agency, "en") == ["Prepared by Northwind Social", "hello@example.org"]
    assert footer_lines(AgencyConfig(), "en") == []
    assert footer_lines(None, "ru") == []
    credited = footer_lines(AgencyConfig(credit=True), "ru")
    assert len(credited) == 1 and credited[0].startswith("Сделано в smmkit ")


@pytest.mark.parametrize(
    ("key", "value", "lang", "text"),
    [
        ("reach", 1234.0, "ru", f"1{NBSP}234"),
        ("er", 2.314, "ru", f"2,3{NBSP}%"),
        ("leads", None, "ru", "н/д"),
    ],
)
def test_index_values_follow_the_language(key, value, lang, text):
    assert format_value(key, value, lang) == text


def test_index_change_follows_the_language():
    # (125 / 100 - 1) x 100 = 25.0; cpl: lower is better, so a rise is bad.
    assert format_headline_change("cpl", 25.0, "ru") == (f"▲ +25,0{NBSP}%", "bad")
    assert format_headline_change("reach", -0.04, "ru") == (f"= 0,0{NBSP}%", "flat")


def manifest() -> dict:
    return {
        "period": {"start": "2026-10-04", "end": "2026-10-31", "days": 28},
        "generated_at": "2026-11-01T08:05:00+00:00",
        "clients": {
            "kofe": {
                "name": "Кофе",
                "status": "ok",
                "pages": [{"label": "Funnel", "href": "kofe/funnel.html"}],
                "headline": {
                    "followers_end": {"value": 1234.5, "change": 10.0},
                    "er_post": {"value": 2.0, "change": -20.0, "previous": 2.5, "comparable": True},
                    "reach": {"value": None, "change": None},
                    "leads": {"value": 3.0, "change": 0.0},
                },
                "duration_s": 2.0,
            },
            "bad": {
                "name": "Bad",
                "status": "failed",
                "error": "2-networks.ipynb: cell 3 raised KeyError",
                "error_file": "2-networks.ipynb",
                "notebook": "2-networks.ipynb",
                "cell": 3,
                "failed_notebook": "bad/networks.failed.ipynb",
                "pages": [],
                "headline": {},
            },
        },
    }


def test_index_in_russian_with_agency_and_brands(tmp_path):
    logo = tmp_path / "logo.png"
    logo.write_bytes(PNG)
    agency = AgencyConfig(name="Northwind", logo=logo, footer="hello@example.org", language="ru")
    html = render_index(manifest(), agency=agency, brands={"kofe": {"color": "#6b3fa0", "logo": logo}})
    assert '<html lang="ru">' in html
    assert "Отчёты клиентов" in html and "4 октября – 31 октября 2026" in html
    assert "Клиентов: 2; готово: 1, с ошибкой: 1" in html
    assert re.findall(r'data-slug="([^"]+)"', html) == ["bad", "kofe"]  # by name: Bad, Кофе
    kofe = html[html.index('data-slug="kofe"') :]
    assert "--client-brand: #6b3fa0" in kofe and 'src="data:image/png;base64,' in kofe
    assert f"1{NBSP}234" in kofe  # followers_end 1234.5 in ru: a count is whole (issue 24; half to even)
    assert "▲ +10,0" in kofe and f"▼ -0,50{NBSP}п.{NBSP}п." in kofe  # ER per post fell 2.5 -> 2.0: bad, in pp
    assert re.search(r'class="change bad"[^>]*>▼ -0,50', kofe)
    assert '<a href="kofe/funnel.html" class="primary">Воронка</a>' in kofe  # label in the index's language
    bad = html[html.index('data-slug="bad"') : html.index('data-slug="kofe"')]
    assert "2-networks.ipynb, ячейка 3" in bad and 'href="bad/networks.failed.ipynb"' in bad
    assert "Подготовлено: Northwind" in html and "hello@example.org" in html
    assert "Сформировано 1 ноября 2026, 08:05 UTC" in html
    assert "Сделано в smmkit" not in html and "Made with smmkit" not in html  # no kit branding


def test_index_ignores_a_brand_colour_that_is_not_hex():
    html = render_index(manifest(), brands={"kofe": {"color": "red;}", "logo": None}})
    assert "red;}" not in html  # never reaches CSS


# -- the rendered demo reports in a browser ------------------------------------------------------


def rgb(color: str) -> str:
    """``"#6b3fa0"`` -> ``"rgb(107, 63, 160)"`` (computed-style notation)."""
    r, g, b = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgb({r}, {g}, {b})"


def visit(browser, path: Path, width: int, shot: Path | None = None) -> tuple[object, list[str]]:
    """Open ``path`` at ``width`` px; return the page and its console errors / page errors / failed requests."""
    page = browser.new_page(viewport={"width": width, "height": 900})
    problems: list[str] = []
    page.on("console", lambda msg: msg.type == "error" and problems.append(msg.text))
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.on("requestfailed", lambda req: problems.append(f"failed: {req.url}"))
    page.goto(path.as_uri(), wait_until="load")
    if shot is not None:
        page.screenshot(path=str(shot), full_page=True)
    return page, problems


IMAGES_BROKEN = "[...document.images].filter(i => !i.complete || i.naturalWidth === 0).map(i => i.alt)"
OVERFLOW = "document.documentElement.scrollWidth - window.innerWidth"


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("screenshots")


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("slug", DEMO)
def test_report_pages_look(browser, demo_reports, shots, slug, width):
    config = load_config(CLIENTS / slug)
    agency = load_agency_config(CLIENTS)
    for name in PAGES:
        page, problems = visit(
            browser, demo_reports / slug / f"{name}.html", width, shots / f"{slug}-{name}-{width}.png"
        )
        try:
            assert problems == [], name
            assert page.evaluate(IMAGES_BROKEN) == [], name
            if width == 390:
                assert page.evaluate(OVERFLOW) <= 0, f"{name} overflows a 390 px screen"
            nav = page.locator("nav.smmkit-nav")
            assert nav.evaluate("e => getComputedStyle(e).backgroundColor") == rgb(config.brand["color"])
            logo = nav.locator("img.smmkit-logo")
            assert logo.get_attribute("src").startswith("data:image/png;base64,")
            assert logo.evaluate("i => i.complete && i.naturalWidth > 0")
            assert page.locator("html").get_attribute("lang") == config.language
            footer = page.inner_text("footer.smmkit-footer")
            assert agency.footer in footer and agency.name in footer
            assert "smmkit" not in footer.lower()  # no kit branding unless asked
            assert page.locator("footer img.smmkit-agency-logo").evaluate("i => i.naturalWidth > 0")
            assert page.locator("main .smmkit-toc").count() == 1  # a table of contents per page
        finally:
            page.close()
    if slug == "nimbus-crm" and os.environ.get("SMMKIT_UPDATE_SCREENSHOT") == "1":
        path = SCREENSHOT if width == 1280 else SCREENSHOT.with_name(f"{SCREENSHOT.stem}-{width}.png")
        page, _ = visit(browser, demo_reports / slug / "overview.html", width)
        try:
            page.screenshot(
                path=str(path), full_page=True, clip={"x": 0, "y": 0, "width": width, "height": 1600}
            )
        finally:
            page.close()
        assert path.stat().st_size < 400_000


ENGLISH_ONLY = sorted(
    v["en"] for k, v in LABELS.items() if k.startswith(("kpi.", "nav.")) and v["en"] != v["ru"]
)


@pytest.mark.browser
@pytest.mark.slow
def test_russian_report_speaks_russian(browser, demo_reports):
    page, problems = visit(browser, demo_reports / "coffee-point" / "overview.html", 1280)
    try:
        assert problems == []
        assert page.locator("html").get_attribute("lang") == "ru"
        assert page.locator("nav.smmkit-nav a").all_inner_texts() == [
            "Обзор", "Соцсети", "Воронка", "Контент", "Сообщество", "Все клиенты",
        ]  # fmt: skip
        assert page.title() == "Coffee Point - Обзор"
        assert page.locator("main h1").first.inner_text().startswith("Обзор")
        headings = page.locator("main h2").all_inner_texts()
        # the analyst's notes and the key findings come first (#12), then the headline KPIs
        assert headings[:4] == ["Заметки аналитика", "Главное за период", "Главные показатели", "Цели"]
        assert "4 октября – 31 октября 2026" in page.inner_text("nav.smmkit-nav")
        names = page.locator(".smmkit-card-name").all_inner_texts()
        assert "Подписчики" in names and not set(names) & set(ENGLISH_ONLY)
        values = " ".join(page.locator(".smmkit-card-value").all_inner_texts())
        assert re.search(r"\d{1,3}[\u00a0\u202f ]\d{3}(?!\d)", values)  # 108 130: grouped thousands
        assert re.search(r"\d,\d", values)  # 35,2 %: decimal comma
        assert not re.search(r"\d\.\d|\d,\d{3}(?:\D|$)", values)  # no 1,234 or 1.5
        assert "Подготовлено: Northwind Social" in page.inner_text("footer")
    finally:
        page.close()
    page, _ = visit(browser, demo_reports / "coffee-point" / "content.html", 390)
    try:
        main = page.inner_text("main")
        assert re.search(r"\d{1,3}(?:\u00a0|\u202f| )\d{3}(?!\d)", main)  # 1 235 (reach per post: whole)
        assert re.search(r"\d,\d", main)  # 1,2 %: decimal comma
    finally:
        page.close()


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("width", [1280, 390])
def test_index_is_a_product_page(browser, demo_reports, shots, width):
    page, problems = visit(browser, demo_reports / "index.html", width, shots / f"index-{width}.png")
    try:
        assert problems == []
        assert page.evaluate(IMAGES_BROKEN) == []
        if width == 390:
            assert page.evaluate(OVERFLOW) <= 0
        assert page.locator("header .agency-name").inner_text() == "Northwind Social"
        assert page.locator("header img.agency-logo").evaluate("i => i.naturalWidth > 0")
        assert page.locator("header .summary").inner_text() == "3 clients: 3 ok, 0 failed"
        for slug in DEMO:
            card = page.locator(f"li.client[data-slug='{slug}']")
            config = load_config(CLIENTS / slug)
            assert card.locator(".badge").inner_text() == "Ready"
            head = card.locator(".client-head")
            assert head.evaluate("e => getComputedStyle(e).backgroundColor") == rgb(config.brand["color"])
            assert card.locator("img.client-logo").evaluate("i => i.naturalWidth > 0")
            assert card.locator("h2").inner_text() == config.name
            assert card.locator("nav.pages a").all_inner_texts() == [
                "Overview", "Networks", "Funnel", "Content", "Community",
            ]  # fmt: skip
            assert card.locator(".kpi").count() == 4
        assert "smmkit" not in page.inner_text("footer").lower()  # no kit branding unless asked
    finally:
        page.close()
