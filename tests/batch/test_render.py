"""Tests of smmkit/render.py: report pages and the index page (no kernel is started)."""

from __future__ import annotations

import base64
import copy
import math
import re
import warnings

import nbformat
import pytest

from smmkit.batch.render import (
    CSP,
    NavLink,
    data_uri,
    format_headline_change,
    format_value,
    page_label,
    page_slug,
    render_index,
    render_notebook,
)
from smmkit.errors import UsageError

# A 1x1 transparent PNG.
PNG_B64 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
PAYLOAD = '<img src=x onerror="window.__xss=1">'


def external_references(html: str) -> list[str]:
    """Every src/href attribute or CSS url() that points at a network host."""
    attrs = re.findall(r"""\b(?:src|href)\s*=\s*["']?\s*((?:https?:)?//[^"'\s>]*)""", html, flags=re.I)
    css = re.findall(r"""url\(\s*["']?\s*((?:https?:)?//[^"')\s]*)""", html, flags=re.I)
    return attrs + css


def executed_notebook() -> nbformat.NotebookNode:
    """A small executed notebook with every kind of output a report may hold."""
    nb = nbformat.v4.new_notebook()
    md = nbformat.v4.new_markdown_cell("# Content of the month\n\nNarrative text.")
    params = nbformat.v4.new_code_cell('client_dir = ""', execution_count=1)
    params.metadata["tags"] = ["parameters"]
    code = nbformat.v4.new_code_cell("SECRET_CODE_LINE = posts.to_html()", execution_count=2)
    table = f"<table><tr><th>text</th></tr><tr><td>{PAYLOAD.replace('<', '&lt;').replace('>', '&gt;')}</td></tr></table>"
    code.outputs = [
        nbformat.v4.new_output("stream", name="stdout", text="printed line\n"),
        nbformat.v4.new_output("stream", name="stderr", text="UserWarning: noisy\n"),
        nbformat.v4.new_output("display_data", data={"image/png": PNG_B64, "text/plain": "<Figure>"}),
        nbformat.v4.new_output("display_data", data={"text/html": table, "text/plain": "df"}),
        nbformat.v4.new_output("display_data", data={"application/javascript": "window.__js = 1"}),
        nbformat.v4.new_output(
            "display_data", data={"application/vnd.smmkit.kpis+json": {"total": {"er": 7.5}}}
        ),
    ]
    hidden = nbformat.v4.new_code_cell("x = 1", execution_count=3)
    hidden.metadata["tags"] = ["remove-cell"]
    hidden.outputs = [nbformat.v4.new_output("stream", name="stdout", text="hidden output\n")]
    nb.cells = [md, params, code, hidden]
    return nb


@pytest.fixture(scope="module")
def page() -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # e.g. nbconvert's "mimetype ... not able to be represented"
        return _page()


def _page() -> str:
    nav = [
        NavLink("Overview", "overview.html"),
        NavLink("Content", "content.html", current=True),
        NavLink("All clients", "../index.html"),
    ]
    return render_notebook(
        executed_notebook(),
        client_name="Evil <b>Co</b>",
        page_title="Content",
        nav=nav,
        period_label="2026-10-01 - 2026-10-28",
        brand_color="#6b3fa0",
    )


@pytest.mark.parametrize(
    ("notebook", "slug", "label"),
    [
        ("1-overview.ipynb", "overview", "Overview"),
        ("02_top-posts.ipynb", "top-posts", "Top posts"),
        ("funnel.ipynb", "funnel", "Funnel"),
        ("01.ipynb", "01", "01"),
    ],
)
def test_page_slug_and_label(notebook, slug, label):
    assert page_slug(notebook) == slug
    assert page_label(slug) == label


def test_page_has_outputs_and_narrative_but_no_code(page):
    assert "printed line" in page
    assert "Content of the month" in page
    assert "SECRET_CODE_LINE" not in page
    assert 'client_dir = ""' not in page
    body = page[page.index("<body") :]
    assert "jp-InputPrompt" not in body and "jp-OutputPrompt" not in body
    assert "In&nbsp;[" not in body and "Out[" not in body


def test_page_has_no_script_and_no_external_reference(page):
    assert "<script" not in page.lower()
    assert "window.__js" not in page
    assert external_references(page) == []
    assert f'content="{CSP}"' in page.replace("&#x27;", "'").replace("&#39;", "'")


def test_page_embeds_images(page):
    from html.parser import HTMLParser

    images = []

    class Images(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if tag == "img":
                images.append(dict(attrs))

    Images().feed(page)
    assert {"alt": "Chart", "src": f"data:image/png;base64,{PNG_B64}"} in images
    assert all(image.get("alt") is not None for image in images)  # every image has its text


def test_page_drops_stderr_removed_cells_and_data_outputs(page):
    assert "noisy" not in page
    assert "vnd.smmkit" not in page and "7.5" not in page
    assert "hidden output" not in page


def test_page_escapes_untrusted_text(page):
    assert "Evil &lt;b&gt;Co&lt;/b&gt;" in page
    assert "<b>Co</b>" not in page
    assert "&lt;img src=x onerror=" in page
    assert "<img src=x" not in page


def test_page_nav_links_pages_and_index(page):
    nav = page[page.index("<nav") : page.index("</nav>")]
    hrefs = re.findall(r'href="([^"]+)"', nav)
    assert hrefs == ["overview.html", "content.html", "../index.html"]
    assert re.search(r'<a[^>]*aria-current="page"[^>]*>Content</a>', nav)
    assert "--smmkit-brand: #6b3fa0" in page


def test_page_rejects_a_colour_that_is_not_hex():
    with pytest.raises(UsageError, match=r"`brand_color` must be a hex colour like '#6b3fa0'; got 'red;}'"):
        render_notebook(executed_notebook(), client_name="A", page_title="B", brand_color="red;}")


def test_logo_is_embedded_as_data_uri(tmp_path):
    logo = tmp_path / "logo.png"
    logo.write_bytes(base64.b64decode(PNG_B64))
    assert data_uri(logo) == f"data:image/png;base64,{PNG_B64}"
    html = render_notebook(executed_notebook(), client_name="A", page_title="B", logo=logo)
    assert f'src="data:image/png;base64,{PNG_B64}"' in html


@pytest.mark.parametrize(
    ("key", "value", "text"),
    [
        ("reach", 51234.0, "51,234"),
        ("followers_end", 1100.0, "1,100"),
        ("er", 16 / 1100 * 100, "1.5%"),  # 16 engagements / 1,100 followers x 100 = 1.4545... (1 decimal)
        ("er_post", 5 / 1100 * 100, "0.45%"),  # 5 / 1,100 x 100 = 0.4545...: 2 decimals below 1 %
        ("er_post", 1 / 1100 * 100, "0.09%"),  # 0.0909...: never 0.0 %
        ("leads", None, "n/a"),
        ("er", math.nan, "n/a"),
    ],
)
def test_format_value(key, value, text):
    assert format_value(key, value) == text


@pytest.mark.parametrize(
    ("key", "change", "expected"),
    [
        ("reach", 75.0, ("▲ +75.0%", "good")),  # 350 / 200 - 1 = 0.75
        ("reach", -4.04, ("▼ -4.0%", "bad")),
        ("cpl", 12.5, ("▲ +12.5%", "bad")),  # cost per lead: lower is better
        ("cpl", -12.5, ("▼ -12.5%", "good")),
        ("er", 0.04, ("= 0.0%", "flat")),
        ("er", None, ("", "")),
        ("leads", math.nan, ("", "")),
    ],
)
def test_format_headline_change(key, change, expected):
    assert format_headline_change(key, change) == expected


@pytest.mark.parametrize(
    ("key", "value", "previous", "comparable", "expected"),
    [
        ("er_post", 2.5, 1.3, True, ("▲ +1.2 pp", "good")),  # a percent KPI: 2.5 - 1.3 percentage points
        ("er_post", 1.3, 2.5, True, ("▼ -1.2 pp", "bad")),
        ("reach", 350.0, 200.0, True, ("▲ +75.0%", "good")),  # a count: 350 / 200 - 1
        ("reach", 350.0, 0.0, True, ("▲ new", "good")),  # from 0: new, not n/a
        ("leads", 0.0, 0.0, True, ("= 0.0%", "flat")),
        ("reach", 350.0, 200.0, False, ("", "")),  # previous period not covered: no change
        ("followers_end", 1100.0, None, True, ("", "")),
    ],
)
def test_format_headline_change_with_the_previous_value(key, value, previous, comparable, expected):
    got = format_headline_change(key, None, value=value, previous=previous, comparable=comparable)
    assert got == expected


def manifest() -> dict:
    return {
        "smmkit_version": "0.1.0",
        "period": {"start": "2026-10-01", "end": "2026-10-28", "days": 28},
        "generated_at": "2026-11-01T08:00:00+00:00",
        "clients": {
            "zeta": {
                "name": "Zeta <script>alert(1)</script>",
                "status": "failed",
                "error": "exports/posts.csv:3:likes: expected a number, got '<b>abc</b>'",
                "failed_notebook": None,
                "pages": [],
                "headline": {},
                "duration_s": 0.5,
            },
            "alpha": {
                "name": "Alpha",
                "status": "ok",
                "error": None,
                "pages": [
                    {"label": "Overview", "href": "alpha/overview.html"},
                    {"label": "Content", "href": "alpha/content.html"},
                ],
                "headline": {
                    "followers_end": {"value": 1100.0, "change": 10.0},
                    "er_post": {"value": 1.4545, "change": 45.45, "previous": 1.0, "comparable": True},
                    "reach": {"value": 350.0, "change": 75.0},
                    "leads": {"value": None, "change": None},
                },
                "duration_s": 12.34,
            },
            "broken": {
                "name": "Broken",
                "status": "failed",
                "error": "2-content.ipynb: cell 4 raised ValueError: no posts",
                "failed_notebook": "broken/content.failed.ipynb",
                "pages": [{"label": "Overview", "href": "broken/overview.html"}],
            },
        },
    }


def test_index_lists_clients_by_name_with_status_and_kpis():
    html = render_index(manifest())
    slugs = re.findall(r'data-slug="([^"]+)"', html)
    assert slugs == ["alpha", "broken", "zeta"]  # by name: Alpha, Broken, Zeta
    alpha = html[html.index('data-slug="alpha"') : html.index('data-slug="broken"')]
    assert '<a href="alpha/overview.html">Alpha</a>' in alpha
    assert '<a href="alpha/content.html">Content</a>' in alpha
    assert "1,100" in alpha and "▲ +10.0%" in alpha
    assert "1.5%" in alpha and "▲ +0.45 pp" in alpha  # 1.4545 rounded to 1 decimal; 1.4545 - 1.0 in pp
    assert "350" in alpha and "▲ +75.0%" in alpha
    assert "rendered in 12.3 s" in alpha
    assert "3 clients: 1 ok, 2 failed" in html


def test_index_shows_the_failure_and_links_no_page_of_a_failed_client():
    html = render_index(manifest())
    broken = html[html.index('data-slug="broken"') : html.index('data-slug="zeta"')]
    assert "2-content.ipynb: cell 4 raised ValueError: no posts" in broken
    assert 'href="broken/content.failed.ipynb"' in broken
    assert "broken/overview.html" not in broken


def test_index_escapes_names_and_errors_and_has_no_script():
    html = render_index(manifest())
    assert "<script" not in html.lower()
    assert "Zeta &lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "got &#39;&lt;b&gt;abc&lt;/b&gt;&#39;" in html
    assert external_references(html) == []


def test_page_language_agency_footer_and_text_colour(tmp_path):
    from smmkit.config import AgencyConfig

    logo = tmp_path / "agency.png"
    logo.write_bytes(base64.b64decode(PNG_B64))
    agency = AgencyConfig(name="Northwind <i>Social</i>", logo=logo, footer="hello@example.org")
    html = render_notebook(
        executed_notebook(),
        client_name="Кофе",
        page_title="Обзор",
        brand_color="#f0e442",
        lang="ru",
        agency=agency,
    )
    assert '<html lang="ru">' in html
    assert "<title>Кофе - Обзор</title>" in html
    assert 'aria-label="Страницы отчёта"' in html
    footer = html[html.index('<footer class="smmkit-footer">') : html.index("</footer>")]
    assert "Подготовлено: Northwind &lt;i&gt;Social&lt;/i&gt;" in footer  # escaped
    assert "hello@example.org" in footer and f'src="data:image/png;base64,{PNG_B64}"' in footer
    assert "smmkit" not in footer.replace("smmkit-", "")  # class names aside, no kit branding
    assert "--smmkit-on-brand: #111111" in html  # dark text on a light yellow bar


def test_page_without_agency_has_no_footer():
    html = render_notebook(executed_notebook(), client_name="A", page_title="B")
    assert "<footer" not in html and '<html lang="en">' in html


@pytest.mark.parametrize(
    ("value", "ok"),
    [("#6b3fa0", True), ("#ABC", True), ("#6b3fa", False), ("6b3fa0", False), ("red", False),
     ("#6b3fa0;}", False), (None, False), (0x6B3FA0, False)],
)  # fmt: skip
def test_is_hex_color_is_the_colour_rule_of_render_and_theme(value, ok):
    from smmkit.batch.render import on_color
    from smmkit.config import is_hex_color
    from smmkit.report import theme

    assert is_hex_color(value) is ok
    if ok:
        assert on_color(value) in ("#ffffff", "#111111")
        assert value in theme.page_css(brand={"color": value})
    elif value is not None:  # None means "no brand colour" to theme.rc
        with pytest.raises(UsageError, match="hex colour"):
            theme.rc(brand_color=value)


def test_a_page_is_validated_once_and_its_template_compiled_once_per_process(monkeypatch):
    """The exporter is built once per process and language (its Jinja template compiled once),
    and validates each page once, after its preprocessors, not after every one of them
    (issue 25: 13 validations a page before)."""
    import nbconvert.exporters.exporter as nbconvert_exporter
    from jinja2 import Environment

    validated, compiled = [], []
    real_validate, real_compile = nbformat.validate, Environment.compile

    def counting_validate(nb, *args, **kwargs):
        validated.append(1)
        return real_validate(nb, *args, **kwargs)

    def counting_compile(self, *args, **kwargs):
        compiled.append(1)
        return real_compile(self, *args, **kwargs)

    monkeypatch.setattr(nbconvert_exporter.nbformat, "validate", counting_validate)
    monkeypatch.setattr(Environment, "compile", counting_compile)
    render_notebook(executed_notebook(), client_name="Acme", page_title="Overview", lang="ru")
    first_compiles = len(compiled)
    pages = {title: executed_notebook() for title in ("Content", "Community", "Funnel")}
    validated.clear()
    for title, nb in pages.items():
        html = render_notebook(nb, client_name="Acme", page_title=title, lang="ru")
        assert f"<title>Acme - {title}</title>" in html
    assert len(validated) == 3  # once a page
    assert len(compiled) == first_compiles  # nothing compiled again after the first page


def test_the_templates_are_compiled_once_per_machine(monkeypatch, tmp_path):
    """A page's templates and the index's are compiled into Jinja's bytecode cache; a new process
    (a new exporter here) loads them from there and compiles none of them again."""
    import jinja2

    from smmkit.batch import render

    monkeypatch.setattr(render, "_bytecode_cache", lambda: jinja2.FileSystemBytecodeCache(str(tmp_path)))
    render._exporter.cache_clear()
    notebook = executed_notebook()  # its cells' ids are random: the same notebook twice
    try:
        page = render_notebook(copy.deepcopy(notebook), client_name="Acme", page_title="Overview", lang="en")
        index = render_index(manifest())
        # the report's templates, the lab template's it extends, the index's
        assert len(list(tmp_path.glob("__jinja2_*.cache"))) >= 5
        render._exporter.cache_clear()

        def no_compile(self, *args, **kwargs):
            raise AssertionError("a template was compiled again")

        monkeypatch.setattr(jinja2.Environment, "compile", no_compile)
        assert render_notebook(notebook, client_name="Acme", page_title="Overview", lang="en") == page
        assert render_index(manifest()) == index
    finally:
        render._exporter.cache_clear()  # the next test's exporter is built as usual


def test_without_a_bytecode_cache_the_templates_are_compiled(monkeypatch):
    """Where Jinja cannot make its cache folder (no writable temporary directory, or one that is
    not the user's), pages render as before, compiling their templates."""
    import jinja2

    from smmkit.batch import render

    def refuse(*args, **kwargs):
        raise RuntimeError("Cache directory is not owned by the user")

    monkeypatch.setattr(jinja2, "FileSystemBytecodeCache", refuse)
    assert render._bytecode_cache.__wrapped__() is None
    monkeypatch.setattr(render, "_bytecode_cache", lambda: None)
    render._exporter.cache_clear()
    try:
        html = render_notebook(executed_notebook(), client_name="Acme", page_title="Overview", lang="en")
        assert "<title>Acme - Overview</title>" in html
    finally:
        render._exporter.cache_clear()
