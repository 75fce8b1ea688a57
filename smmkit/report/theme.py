"""The report look: a colour-blind-safe palette, one colour per network, matplotlib style and page CSS.

Colours come from the Okabe-Ito palette (safe for the common colour-vision
deficiencies) with three from Paul Tol's set where eight were not enough. A
network keeps its colour on every chart of every page (:data:`NETWORK_COLORS`).

Nothing here changes matplotlib's global state on import. The plot helpers of
:mod:`smmkit.report.plots` draw inside :func:`context`; a notebook calls :func:`use`
once to make the theme the default for every figure it draws itself.

>>> import smmkit.report.theme as theme
>>> theme.network_color("vk")
'#56B4E9'
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import matplotlib as mpl
from cycler import cycler

from smmkit.config import is_hex_color
from smmkit.errors import UsageError

__all__ = [
    "BAD",
    "CSS",
    "FLAT",
    "GOOD",
    "NETWORK_COLORS",
    "PALETTE",
    "RC",
    "SENTIMENT_COLORS",
    "TOTAL_COLOR",
    "context",
    "network_color",
    "network_palette",
    "page_css",
    "rc",
    "use",
]

#: Okabe-Ito, in the order the charts cycle through them.
PALETTE: tuple[str, ...] = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#000000",
    "#F0E442",
)

#: One colour per network, the same on every chart and page.
NETWORK_COLORS: dict[str, str] = {
    "facebook": "#0072B2",  # blue
    "instagram": "#CC79A7",  # reddish purple
    "x": "#000000",  # black
    "vk": "#56B4E9",  # sky blue
    "ok": "#E69F00",  # orange
    "telegram": "#009E73",  # bluish green
    "linkedin": "#332288",  # Tol indigo
    "youtube": "#D55E00",  # vermillion
    "tiktok": "#882255",  # Tol wine
    "pinterest": "#999933",  # Tol olive
    "other": "#AAAAAA",  # grey
}
#: The ``total`` line/bar: a neutral dark grey, drawn dashed in line charts.
TOTAL_COLOR = "#555555"

#: Change arrows: good / bad / flat (blue-green vs vermillion stay apart for colour-blind readers;
#: the arrow's direction and sign carry the meaning too).
GOOD, BAD, FLAT = "#007A5A", "#C0392B", "#666666"

SENTIMENT_COLORS: dict[str, str] = {"positive": "#009E73", "neutral": "#BBBBBB", "negative": "#D55E00"}

#: DejaVu Sans first: matplotlib bundles it (regular and bold, Cyrillic included), so the theme's
#: weights exist on every machine; the others are fallbacks only.
_FONT = ["DejaVu Sans", "Liberation Sans", "Arial", "sans-serif"]

#: The matplotlib style of the reports: a figure is a panel as wide as a page shows it
#: (:data:`smmkit.report.figures.PANEL_WIDTH_IN`, 461 CSS px), its smallest text 9 pt.
RC: dict[str, Any] = {
    "figure.figsize": (4.8, 3.2),
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "figure.facecolor": "white",
    "figure.titlesize": 13,
    "font.family": "sans-serif",
    "font.sans-serif": _FONT,
    "font.size": 10,
    "axes.titlesize": 12,
    "axes.titleweight": "bold",  # a weight DejaVu Sans has (matplotlib ships it): no findfont warning
    "axes.titlelocation": "left",
    "axes.titlepad": 10,
    "axes.labelsize": 10,
    "axes.labelcolor": "#333333",
    "axes.edgecolor": "#BBBBBB",
    "axes.linewidth": 0.8,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.grid.axis": "y",
    "axes.axisbelow": True,
    "axes.prop_cycle": cycler(color=list(PALETTE)),
    "grid.color": "#E5E5E5",
    "grid.linewidth": 0.8,
    "xtick.color": "#555555",
    "ytick.color": "#555555",
    "xtick.labelsize": 9,
    "ytick.labelsize": 9,
    "legend.frameon": False,
    "legend.fontsize": 9,
    "lines.linewidth": 2.0,
    "lines.markersize": 5,
    "image.cmap": "cividis",
}


def rc(*, brand_color: str | None = None) -> dict[str, Any]:
    """The style as an rcParams mapping; ``brand_color`` (``client.yaml: brand.color``) leads the cycle."""
    params = dict(RC)
    if brand_color is not None:
        if not is_hex_color(brand_color):
            raise UsageError(f"`brand_color` must be a hex colour like '#6b3fa0'; got {brand_color!r}")
        params["axes.prop_cycle"] = cycler(color=[brand_color, *PALETTE])
    return params


@contextlib.contextmanager
def context(*, brand_color: str | None = None) -> Iterator[None]:
    """Draw with the report style inside a ``with`` block; the style's rcParams are restored afterwards.

    Only the keys of :data:`RC` are set and restored. Unlike ``matplotlib.rc_context``, which
    restores every rcParam, this never touches ``backend`` or ``interactive``: when a kernel's
    first figure is made inside the block, the inline backend switches ``interactive`` on, and
    restoring it to off would stop every later figure from showing (issue 13).
    """
    params = rc(brand_color=brand_color)
    saved = {key: mpl.rcParams[key] for key in params}
    mpl.rcParams.update(params)
    try:
        yield
    finally:
        mpl.rcParams.update(saved)


def use(*, brand_color: str | None = None) -> None:
    """Make the report style the default of this process (call once at the top of a notebook)."""
    mpl.rcParams.update(rc(brand_color=brand_color))


def network_color(network: str) -> str:
    """The colour of a network (``"total"`` -> :data:`TOTAL_COLOR`; unknown names -> grey)."""
    if network == "total":
        return TOTAL_COLOR
    return NETWORK_COLORS.get(str(network), NETWORK_COLORS["other"])


def network_palette(networks: Iterable[str]) -> dict[str, str]:
    """``{network: colour}`` for a seaborn ``palette=`` or a legend."""
    return {str(n): network_color(str(n)) for n in networks}


def _css(brand: str) -> str:
    return f"""
.smmkit-block {{ --smmkit-accent: {brand}; font-family: system-ui, -apple-system, "Segoe UI", Roboto,
  "DejaVu Sans", "Noto Color Emoji", "Apple Color Emoji", "Segoe UI Emoji", sans-serif; color: #222; line-height: 1.45; }}
.smmkit-block h2 {{ font-size: 1.35rem; margin: 1.8rem 0 0.4rem; padding-bottom: 0.25rem;
  border-bottom: 2px solid var(--smmkit-accent); }}
.smmkit-block p {{ margin: 0.3rem 0 0.6rem; max-width: 60rem; }}
.smmkit-block .smmkit-meta {{ color: #555; font-size: 0.85rem; }}
.smmkit-cards {{ display: grid; grid-template-columns: repeat(auto-fill, minmax(190px, 1fr)); gap: 0.75rem;
  margin: 0.75rem 0 1rem; }}
.smmkit-card {{ border: 1px solid #e2e2e2; border-top: 4px solid var(--smmkit-accent); border-radius: 6px;
  padding: 0.6rem 0.8rem; background: #fff; }}
.smmkit-card .smmkit-card-name {{ font-size: 0.82rem; color: #555; }}
.smmkit-card .smmkit-card-value {{ font-size: 1.55rem; font-weight: 600; margin: 0.15rem 0; }}
.smmkit-card .smmkit-card-change {{ font-size: 0.85rem; font-weight: 600; }}
.smmkit-card .smmkit-card-target, .smmkit-card .smmkit-card-formula {{ font-size: 0.78rem; color: #666; }}
.smmkit-good {{ color: {GOOD}; }}
.smmkit-bad {{ color: {BAD}; }}
.smmkit-flat {{ color: {FLAT}; }}
table.smmkit-table {{ border-collapse: collapse; margin: 0.5rem 0 1rem; font-size: 0.85rem;
  font-variant-numeric: tabular-nums; }}
table.smmkit-table th, table.smmkit-table td {{ padding: 0.3rem 0.6rem; border-bottom: 1px solid #e6e6e6;
  text-align: right; vertical-align: top; }}
table.smmkit-table th:first-child, table.smmkit-table td:first-child,
table.smmkit-table td.smmkit-text {{ text-align: left; }}
table.smmkit-table td.smmkit-text {{ max-width: 28rem; overflow-wrap: anywhere; }}
table.smmkit-table thead th {{ border-bottom: 2px solid #999; font-weight: 600; }}
table.smmkit-table td.smmkit-formula {{ text-align: left; color: #666; font-size: 0.78rem; }}
.smmkit-swatch {{ display: inline-block; width: 0.7em; height: 0.7em; border-radius: 2px;
  margin-right: 0.35em; vertical-align: baseline; }}
.smmkit-nodata {{ color: #666; font-style: italic; }}
.smmkit-toc {{ border-left: 3px solid var(--smmkit-accent); padding: 0.2rem 0 0.2rem 0.8rem; margin: 0.5rem 0 1rem; }}
.smmkit-toc ol {{ margin: 0.2rem 0; padding-left: 1.2rem; }}
.smmkit-flag {{ color: {BAD}; font-weight: 600; }}
.smmkit-panels {{ display: grid; grid-template-columns: repeat(auto-fill, minmax(min(100%, 470px), 1fr));
  gap: 0.5rem 1.25rem; }}
.smmkit-chart svg {{ display: block; max-width: 100%; height: auto; }}
ul.smmkit-legend {{ display: flex; flex-wrap: wrap; gap: 0.25rem 1.1rem; margin: 0.4rem 0 0; padding: 0;
  list-style: none; font-size: 0.85rem; color: #555; }}
ul.smmkit-legend li {{ display: flex; align-items: center; gap: 0.4rem; }}
.smmkit-key {{ display: inline-block; width: 1.4rem; border-top: 2.5px solid var(--key); }}
.smmkit-key-dashed {{ border-top-style: dashed; }}
.smmkit-key-hollow {{ width: 0.55rem; height: 0.55rem; border: 2px solid var(--key); border-radius: 50%; }}
@media print {{
  .smmkit-block h2 {{ break-after: avoid; page-break-after: avoid; }}
  .smmkit-card, table.smmkit-table tr, .jp-OutputArea-output img {{ break-inside: avoid; page-break-inside: avoid; }}
  .smmkit-cards {{ grid-template-columns: repeat(4, 1fr); }}
  .smmkit-toc {{ display: none; }}
  .smmkit-block {{ color: #000; }}
  a {{ color: inherit; text-decoration: none; }}
}}
"""


#: The page CSS of the report blocks (cards, tables, headers), screen and print; emitted once per page.
CSS: str = _css("#34495e")


#: The CSS of the findings, analyst-notes and forecast blocks, emitted with each of them.
FINDINGS_CSS: str = (
    "<style>.smmkit-findings ul{padding-left:1.3em;margin:.4em 0}.smmkit-findings li{margin:.35em 0;"
    "line-height:1.45}.smmkit-findings li a{white-space:nowrap;margin-left:.3em}"
    ".smmkit-findings li[data-alert]"
    "{list-style-type:'⚠ '}.smmkit-notes{border-left:4px solid #999;padding:.2em 1em;margin:.5em 0}"
    ".smmkit-notes-body{overflow-wrap:anywhere}.smmkit-forecast{max-width:100%;display:block;overflow-x:auto}</style>"
)


def page_css(*, brand: Mapping[str, str] | None = None) -> str:
    """:data:`CSS` with the client's brand colour as the accent (validated: it goes into CSS)."""
    color = (brand or {}).get("color")
    if color is None:
        return CSS
    if not is_hex_color(str(color)):
        raise UsageError(f"`brand.color` must be a hex colour like '#6b3fa0'; got {color!r}")
    return _css(str(color))
