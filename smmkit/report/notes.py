"""The analyst's notes rendered safely for the overview (issue #12).

The Markdown of ``notes/<YYYY-MM>.md`` (:mod:`smmkit.io.notes`) becomes HTML
with raw HTML disabled (a ``<script>`` in the file is printed as text), links
and images only for ``http``/``https`` URLs (``javascript:``, ``data:`` and
relative links stay plain text) and every link opened with
``rel="noopener noreferrer nofollow"``. Images are shown as their alt text:
a report must not load anything from the network when it is opened.
:func:`analyst_notes` shows the block on a page.
"""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path
from typing import TYPE_CHECKING

from IPython.display import HTML

from smmkit.io.notes import markdown, read_notes
from smmkit.report.i18n import Labels, as_labels
from smmkit.report.theme import FINDINGS_CSS

if TYPE_CHECKING:
    from smmkit.report.page import Page

__all__ = ["analyst_notes", "notes_block_html", "render_markdown"]


def _parser():
    md = markdown()
    md.disable("image")

    def link_open(self, tokens, idx, options, env):
        tokens[idx].attrSet("rel", "noopener noreferrer nofollow")
        return self.renderToken(tokens, idx, options, env)

    md.add_render_rule("link_open", link_open)
    return md


def render_markdown(text: str) -> str:
    """Safe HTML of a note's Markdown (see the module doc)."""
    return _parser().render(text)


def notes_block_html(
    client_dir: str | Path | None, end: dt.date, *, analyst: str | None, labels: Labels | str | None = None
) -> str | None:
    """The overview's notes block (title, the analyst's name, the note), or None without a notes file."""
    text = read_notes(client_dir, end)
    if text is None or not text.strip():
        return None
    L = as_labels(labels)
    by = f'<p class="smmkit-meta">{html.escape(L("notes.by", analyst=analyst))}</p>' if analyst else ""
    return (
        f'<section class="smmkit-notes"><h2 id="s-notes">{html.escape(L("notes.title"))}</h2>{by}'
        f'<div class="smmkit-notes-body">{render_markdown(text)}</div></section>'
    )


def analyst_notes(page: Page) -> HTML:
    """The analyst's ``notes/<YYYY-MM>.md`` for the period's end month, rendered safely (nothing without one)."""
    cfg = page.client.config
    block = notes_block_html(cfg.path, page.period.end, analyst=cfg.analyst, labels=page.labels)
    return HTML("") if block is None else HTML(f'{FINDINGS_CSS}<div class="smmkit-block">{block}</div>')
