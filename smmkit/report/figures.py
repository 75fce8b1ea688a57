"""Report figures: what a page shows for a matplotlib chart.

A page shows each chart as inline SVG whose text is SVG ``<text>`` (``svg.fonttype: none``): the
browser sets the labels in the page's font, crisp at any screen density, and a chart costs no PNG
encoding (``benchmarks/figures.py``). Every chart panel is drawn at the size it is shown, at most
:data:`PANEL_WIDTH_IN` wide: at its natural size on a wide screen, shrunk only on a phone, where
its smallest label (:data:`MIN_FONT_PT`) still measures 9 CSS px (at 358 px of a 390 px screen:
12 px x 358 / 461 = 9.3 px). Small multiples are separate panels (:class:`Panels`) that a CSS grid
lays out two per row on a wide screen and one per row on a phone, with one HTML legend.

A panel is laid out once (:func:`fit`): the margins come from measuring the few texts outside the
plot area (tick labels, axis labels, titles, an outside legend), not from ``tight_layout``'s
measurement of every artist before the draw measures them again. Titles and axis labels longer
than their room are wrapped, not clipped.

:func:`figure_image` (a PNG, laid out once and drawn once) stays for notebooks that want one.
:func:`as_figure` finds the figure behind what a chart helper returned (an Axes, an array of Axes,
a Figure, several Axes of separate figures as :class:`Panels`).
"""

from __future__ import annotations

import html
import io
import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

__all__ = [
    "MIN_FONT_PT",
    "PANEL_WIDTH_IN",
    "PNG_OPTIONS",
    "Panels",
    "as_figure",
    "chart",
    "figure_image",
    "figure_svg",
    "fit",
]

#: PNG options of :func:`figure_image`: Pillow's default compression level.
PNG_OPTIONS: dict[str, Any] = {}

#: The widest a chart panel is drawn (inches; an SVG inch is 96 CSS px): 461 px.
PANEL_WIDTH_IN = 4.8
#: The smallest text of a chart (points; 12 CSS px at natural size, >= 9 px on a 390 px phone).
MIN_FONT_PT = 9.0
#: The blank margin around a panel's texts (points).
PAD_PT = 5.0

#: The SVG settings of a page's charts: text as <text>, ids that do not change from run to run.
_SVG_RC = {"svg.fonttype": "none", "svg.hashsalt": "smmkit", "svg.image_inline": True}
_SVG_METADATA = {"Date": None, "Creator": None, "Format": None, "Type": None}


@dataclass
class Panels:
    """Charts shown side by side (one per row on a phone), each its own figure, with one legend.

    ``legend`` holds ``(name, colour, style)`` entries, ``style`` one of ``"solid"``,
    ``"dashed"``, ``"hollow"`` (a point drawn with a white face).
    """

    axes: list[Any]
    legend: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def figures(self) -> list[Any]:
        return [ax.figure for ax in self.axes]


def as_figure(value: Any) -> Any:
    """A matplotlib Axes (or an array of them) as its Figure; several Axes of separate figures as
    :class:`Panels`; anything else (HTML, None, Panels) as it is."""
    if value is None:
        return None
    if isinstance(value, list | tuple | np.ndarray):
        flat = [a for a in np.asarray(value, dtype=object).flat if a is not None]
        figures = {id(getattr(a, "figure", None)) for a in flat}
        if len(figures) > 1:
            return Panels(flat)
        value = flat[0] if flat else None
        if value is None:
            return None
    figure = getattr(value, "figure", None)
    if figure is not None and hasattr(figure, "savefig") and not hasattr(value, "savefig"):
        return figure
    return value


# --------------------------------------------------------------------------- layout
def _renderer(figure: Any) -> Any:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = figure.canvas if isinstance(figure.canvas, FigureCanvasAgg) else FigureCanvasAgg(figure)
    return canvas.get_renderer()


def _small_texts(figure: Any, *, every: bool = False) -> list[Any]:
    """The texts a chart shows besides its tick labels (titles, axis labels, annotations, legends)
    that are smaller than :data:`MIN_FONT_PT`, without walking every artist of the figure."""
    texts = [*figure.texts]
    for legend in figure.legends:
        texts += legend.get_texts()
    for ax in figure.axes:
        texts += [*_titles(ax), *ax.texts, ax.xaxis.label, ax.yaxis.label, ax.yaxis.get_offset_text()]
        legend = ax.get_legend()
        if legend is not None:
            texts += [*legend.get_texts(), legend.get_title()]
    return texts if every else [t for t in texts if t.get_fontsize() < MIN_FONT_PT]


def _min_font(figure: Any) -> None:
    """No text of the figure smaller than :data:`MIN_FONT_PT` (tick labels drawn at 8 pt become 9 pt).
    Tick labels are looked at in the ticks' settings, not made (making them formats every tick)."""
    for ax in figure.axes:
        for axis in (ax.xaxis, ax.yaxis):
            ticks = axis.get_major_ticks(1)  # the first tick carries the axis' label settings
            if ticks and ticks[0].label1.get_fontsize() < MIN_FONT_PT:
                axis.set_tick_params(labelsize=MIN_FONT_PT)
    for text in _small_texts(figure):
        text.set_fontsize(MIN_FONT_PT)


def _wrap(text: Any, room: float, renderer: Any, boxes: dict[Any, Any]) -> None:
    """Wrap ``text`` (a Text) to lines no longer than ``room`` px, by words (each line of it).
    A text left as it is keeps its measured box in ``boxes`` (:func:`_box`)."""
    if room <= 0:
        return
    horizontal = text.get_rotation() % 180 == 0
    box = text.get_window_extent(renderer)
    size = box.width if horizontal else box.height
    if size <= room:
        boxes[text] = box
        return
    lines = text.get_text().split("\n")
    longest = max(len(line) for line in lines) or 1
    chars = max(8, int(longest * room / size))
    text.set_text("\n".join(textwrap.fill(line, chars, break_long_words=False) for line in lines))


def _union(boxes: Sequence[Any]) -> Any:
    from matplotlib.transforms import Bbox

    return Bbox.union(list(boxes))


def fit(figure: Any, renderer: Any = None) -> None:
    """Lay a figure out once: its plot areas as large as the texts around them allow.

    The texts outside the plot areas (tick labels, titles, axis labels, annotations, legends,
    colour bars) are measured; the union of the axes is moved so that they all lie inside the
    figure with :data:`PAD_PT` to spare (each axes keeps its place within the union). Titles wider
    than their room and axis labels longer than their axis are wrapped. A text placed in data
    units (a value at the end of a bar) moves when the plot area shrinks, so the texts are measured
    once more and, only when one still sticks out, the figure is laid out again (at most twice).
    A figure with a layout engine (constrained, tight) is left to it. ``renderer`` is the one that
    will draw the figure (its text measurements are cached for the draw; Agg's when omitted).
    """
    if figure.get_layout_engine() is not None:
        return
    axes = [ax for ax in figure.axes if ax.get_visible()]
    if not axes:
        return
    renderer = renderer or _renderer(figure)
    for _ in range(3):
        # the texts' boxes where they are now: each measured once until the plot areas move
        boxes: dict[Any, Any] = {}
        _wrap_labels(figure, axes, renderer, boxes)
        _place(figure, axes, *_measure(figure, axes, renderer, boxes))
        # the plot area is final in width now (its ticks too: an automatic locator's depend on it)
        crowded = [_turn_crowded(ax, renderer) for ax in axes]
        if _inside(figure, axes, renderer) and not any(crowded):
            return


def _box(text: Any, renderer: Any, boxes: dict[Any, Any]) -> Any:
    """The box of ``text`` (display px), measured once while the plot areas stay where they are."""
    box = boxes.get(text)
    if box is None:
        box = boxes[text] = text.get_window_extent(renderer)
    return box


def _turn_crowded(ax: Any, renderer: Any) -> bool:
    """Turn the x tick labels of ``ax`` by 30 degrees when two of them overlap; whether it did."""
    labels = _drawn_tick_labels(ax.xaxis)
    if len(labels) < 2 or labels[0].get_rotation() != 0:
        return False
    boxes = sorted((t.get_window_extent(renderer) for t in labels), key=lambda b: b.x0)
    if all(a.x1 + 2 <= b.x0 for a, b in zip(boxes, boxes[1:], strict=False)):
        return False
    for label in labels:
        label.set_rotation(30)
        label.set_horizontalalignment("right")
        label.set_rotation_mode("anchor")
    ax.xaxis.set_tick_params(labelrotation=30)
    return True


def _wrap_labels(figure: Any, axes: list[Any], renderer: Any, boxes: dict[Any, Any]) -> None:
    width, height = figure.bbox.width, figure.bbox.height
    pad = PAD_PT * figure.dpi / 72
    for ax in axes:
        left = ax.get_position().x0 * width
        for title in _titles(ax):  # a left title starts at the figure's edge (:func:`_place`)
            room = width - (pad if title.get_horizontalalignment() == "left" else left) - pad
            _wrap(title, room, renderer, boxes)
        # the plot area shrinks by the texts around it: a vertical label gets at most 60 % of the figure
        _wrap(ax.yaxis.label, min(0.95 * ax.get_position().height, 0.6) * height, renderer, boxes)
        _wrap(ax.xaxis.label, 0.95 * ax.get_position().width * width, renderer, boxes)


def _measure(
    figure: Any, axes: list[Any], renderer: Any, boxes: dict[Any, Any] | None = None
) -> tuple[Any, Any]:
    """The union of the plot areas and the union of everything drawn around them (display px)."""
    union = _union([ax.get_position().transformed(figure.transFigure) for ax in axes])
    return union, _union([union, *(_extent(ax, renderer, boxes) for ax in axes)])


def _inside(figure: Any, axes: list[Any], renderer: Any) -> bool:
    """Whether the texts that move with the plot area (titles, texts placed in data units) lie within
    the figure (half a pad of slack) once it is placed; tick and axis labels keep their overhang."""
    from matplotlib.transforms import Bbox

    slack = PAD_PT * figure.dpi / 72 / 2
    inner = Bbox.from_extents(slack, slack, figure.bbox.width - slack, figure.bbox.height - slack)
    texts = [t for ax in axes for t in (*_titles(ax), *ax.texts) if t.get_visible() and t.get_text()]
    boxes = [t.get_window_extent(renderer) for t in texts]
    return all(inner.x0 <= b.x0 and b.x1 <= inner.x1 and inner.y0 <= b.y0 and b.y1 <= inner.y1 for b in boxes)


def _place(figure: Any, axes: list[Any], union: Any, extent: Any) -> None:
    """Move and scale the plot areas so that ``extent`` fits the figure less its pads."""
    from matplotlib.transforms import Bbox

    width, height = figure.bbox.width, figure.bbox.height
    pad = PAD_PT * figure.dpi / 72
    x0 = pad + (union.x0 - extent.x0)
    x1 = width - pad - (extent.x1 - union.x1)
    y0 = pad + (union.y0 - extent.y0)
    y1 = height - pad - (extent.y1 - union.y1)
    if x1 - x0 < 0.25 * width or y1 - y0 < 0.2 * height:  # texts larger than the figure: keep a plot
        x0, x1 = min(x0, 0.6 * width), max(x1, 0.85 * width)
        y0, y1 = min(y0, 0.6 * height), max(y1, 0.8 * height)
    sx, sy = (x1 - x0) / union.width, (y1 - y0) / union.height
    for ax in axes:
        box = ax.get_position().transformed(figure.transFigure)
        new = Bbox.from_extents(
            x0 + (box.x0 - union.x0) * sx,
            y0 + (box.y0 - union.y0) * sy,
            x0 + (box.x1 - union.x0) * sx,
            y0 + (box.y1 - union.y0) * sy,
        )
        ax.set_position(new.transformed(figure.transFigure.inverted()))
        for title in _titles(ax):  # a left title starts at the figure's edge, above the tick labels
            if title.get_horizontalalignment() == "left":
                title.set_x((pad - new.x0) / new.width)


def _titles(ax: Any) -> list[Any]:
    """The title texts of ``ax`` (left, centre, right) that are not empty."""
    from matplotlib.text import Text

    titles = {ax.get_title(loc) for loc in ("left", "center", "right")} - {""}
    return [c for c in ax.get_children() if isinstance(c, Text) and c.get_text() in titles]


def _drawn_tick_labels(axis: Any) -> list[Any]:
    """The major tick labels ``axis`` draws (either side): shown, not empty, at a location within the view.

    A locator may give locations beyond the view (``MaxNLocator`` rounds outwards); matplotlib makes
    a tick for each and draws only those in view (within 1e-10 of its width), but its
    ``get_ticklabels`` lists them all: a label that is never drawn must not take room.
    """
    axis.get_ticklabels()  # the ticks' locations and texts brought up to date
    locs = axis.get_majorticklocs()
    scale = axis.get_transform()  # compared where matplotlib compares them: on the axis' scale
    lo, hi = sorted(scale.transform(np.asarray(axis.get_view_interval(), dtype=float)))
    slack = (hi - lo) * 1e-10
    ticks = axis.get_major_ticks(len(locs))[: len(locs)]
    return [
        label
        for tick, loc in zip(ticks, scale.transform(np.asarray(locs, dtype=float)), strict=True)
        if lo - slack <= loc <= hi + slack
        for label in (tick.label1, tick.label2)  # label2: on the other side (a colour bar's right)
        if label.get_visible() and label.get_text()
    ]


def _extent(ax: Any, renderer: Any, measured: dict[Any, Any] | None = None) -> Any:
    """What ``ax`` draws outside its plot area, in display px: tick labels, titles, texts, an
    outside legend, and its axis labels where the draw will put them (beyond the tick labels).
    ``measured``: the texts' boxes already measured where they are (:func:`_box`)."""
    from matplotlib.text import Text
    from matplotlib.transforms import Bbox

    measured = {} if measured is None else measured
    box = ax.get_window_extent(renderer)
    boxes = [box]
    xticks = [t.get_window_extent(renderer) for t in _drawn_tick_labels(ax.xaxis)]
    yticks = [t.get_window_extent(renderer) for t in _drawn_tick_labels(ax.yaxis)]
    boxes += xticks + yticks
    texts = [c for c in ax.get_children() if isinstance(c, Text) and c.get_visible() and c.get_text()]
    boxes += [_box(t, renderer, measured) for t in texts]
    offset = ax.yaxis.get_offset_text()  # "1e6" above the axis: the draw lifts the titles over it
    if offset.get_visible() and offset.get_text():
        lift = offset.get_window_extent(renderer).height
        boxes += [_box(t, renderer, measured).translated(0, lift) for t in _titles(ax)]
    legend = ax.get_legend()
    if legend is not None and legend.get_visible():
        boxes.append(legend.get_window_extent(renderer))
    points = renderer.points_to_pixels(1.0)
    for axis, ticks in ((ax.yaxis, yticks), (ax.xaxis, xticks)):
        label = axis.label
        if not (label.get_visible() and label.get_text()):
            continue
        lb = _box(label, renderer, measured)
        gap = (
            axis.labelpad * points
            + (axis.get_major_ticks()[0].get_pad() if axis.get_major_ticks() else 0) * points
        )
        side = axis.get_label_position()
        if axis is ax.yaxis:
            edge = (
                (min([b.x0 for b in ticks], default=box.x0))
                if side == "left"
                else max([b.x1 for b in ticks], default=box.x1)
            )
            x0 = edge - gap - lb.width if side == "left" else edge + gap
            boxes.append(Bbox.from_bounds(x0, box.y0 + (box.height - lb.height) / 2, lb.width, lb.height))
        else:
            edge = (
                min([b.y0 for b in ticks], default=box.y0)
                if side == "bottom"
                else max([b.y1 for b in ticks], default=box.y1)
            )
            y0 = edge - gap - lb.height if side == "bottom" else edge + gap
            boxes.append(Bbox.from_bounds(box.x0 + (box.width - lb.width) / 2, y0, lb.width, lb.height))
    return _union(boxes)


# --------------------------------------------------------------------------- output
class _Renderer:
    """The renderer every chart of the process is measured and drawn through: it forwards each
    call to the renderer of the chart being drawn (:attr:`target`).

    matplotlib keeps the sizes of the texts it has measured per renderer object, and a chart's
    renderer is new for each chart: a tick label, a date or an axis label that every panel of a
    page shows was laid out by FreeType again for each panel. Through this one object a text
    (string, font, size, dpi) is measured once per process; its size does not depend on the SVG
    it is written to (an SVG renderer measures text as paths at 72 dpi, the same for every chart).
    """

    def __init__(self) -> None:
        self.target: Any = None

    def __getattr__(self, name: str) -> Any:
        return getattr(self.target, name)


_RENDERER = _Renderer()


def _laid_out(figure: Any, renderer: Any = None) -> None:
    """:func:`fit` a figure without a layout; then no layout engine measures again in the draw
    (a figure laid out by ``tight_layout`` keeps its layout; a constrained one lays itself out)."""
    from matplotlib.layout_engine import PlaceHolderLayoutEngine

    fit(figure, renderer)
    if isinstance(figure.get_layout_engine(), PlaceHolderLayoutEngine | type(None)):
        figure.set_layout_engine("none")


def figure_svg(figure: Any, *, close: bool = False) -> str:
    """A matplotlib Figure as an inline ``<svg>`` element (no XML prolog), laid out and drawn once.

    The SVG renderer that draws the figure also measures it for :func:`fit`, so the draw finds
    each text's size in matplotlib's cache instead of measuring it again. Text stays text
    (``svg.fonttype: none``; matplotlib escapes it, so a label from an export cannot become
    markup); ids are stable from run to run (``svg.hashsalt``); no creation date.
    """
    import matplotlib as mpl
    from matplotlib.backends.backend_mixed import MixedModeRenderer
    from matplotlib.backends.backend_svg import RendererSVG

    w, h = figure.get_size_inches()
    if w > PANEL_WIDTH_IN:
        figure.set_size_inches(PANEL_WIDTH_IN, h)
        w = PANEL_WIDTH_IN
    buffer = io.StringIO()
    saved = {key: mpl.rcParams[key] for key in _SVG_RC}
    mpl.rcParams.update(_SVG_RC)
    dpi = figure.dpi
    figure.dpi = 72  # an SVG's unit is the point, as savefig(format="svg") draws it
    try:
        svg = RendererSVG(w * 72, h * 72, buffer, image_dpi=dpi, metadata=_SVG_METADATA)
        _RENDERER.target = MixedModeRenderer(figure, w, h, dpi, svg)
        _min_font(figure)
        _laid_out(figure, _RENDERER)
        figure.draw(_RENDERER)
        _RENDERER.finalize()
    finally:
        figure.dpi = dpi
        mpl.rcParams.update(saved)
        if close:
            import matplotlib.pyplot as plt

            plt.close(figure)
    text = buffer.getvalue()
    text = text[text.index("<svg") :]
    return re.sub(r"<metadata>.*?</metadata>\s*", "", text, count=1, flags=re.S)


def _title_of(figure: Any) -> str:
    for ax in figure.axes:
        for loc in ("left", "center", "right"):
            title = ax.get_title(loc)
            if title:
                return title.replace("\n", " · ")
    return ""


def _legend_html(entries: Sequence[tuple[str, str, str]]) -> str:
    items = "".join(
        f'<li><span class="smmkit-key smmkit-key-{html.escape(style)}" style="--key:{html.escape(color)}"></span>'
        f"{html.escape(name)}</li>"
        for name, color, style in entries
    )
    return f'<ul class="smmkit-legend">{items}</ul>' if items else ""


def _svg_item(figure: Any) -> str:
    label = html.escape(_title_of(figure), quote=True)
    svg = figure_svg(figure, close=True)
    return f'<div class="smmkit-chart" role="img" aria-label="{label}">{svg}</div>'


def chart(value: Any) -> Any:
    """What a page shows for ``value``: a Figure as inline SVG, :class:`Panels` as SVG panels in a
    grid (``.smmkit-panels``) with their legend, closing the figures; anything else as it is."""
    from IPython.display import HTML

    value = as_figure(value)
    if isinstance(value, Panels):
        items = "".join(_svg_item(f) for f in value.figures)
        legend = _legend_html(value.legend)
        return HTML(f'<div class="smmkit-figure"><div class="smmkit-panels">{items}</div>{legend}</div>')
    if hasattr(value, "savefig"):
        return HTML(f'<div class="smmkit-figure">{_svg_item(value)}</div>')
    return value


def figure_image(figure: Any, *, close: bool = False) -> Any:
    """A matplotlib Figure as an IPython PNG image, laid out once (:func:`fit`) and drawn once."""
    from IPython.display import Image
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.image import imsave

    canvas = figure.canvas if isinstance(figure.canvas, FigureCanvasAgg) else FigureCanvasAgg(figure)
    _min_font(figure)
    _laid_out(figure)
    canvas.draw()
    buffer = io.BytesIO()
    imsave(buffer, np.asarray(canvas.buffer_rgba()), format="png", dpi=figure.dpi, pil_kwargs=PNG_OPTIONS)
    if close:
        import matplotlib.pyplot as plt

        plt.close(figure)
    # the smallest text at the PNG's natural size, for a page (data-min-font-px) and its tests
    smallest = _smallest_font_pt(figure) * figure.dpi / 72
    return Image(data=buffer.getvalue(), format="png", metadata={"smmkit_min_font_px": round(smallest, 2)})


def _smallest_font_pt(figure: Any) -> float:
    """The smallest font size (points) of the texts a figure shows, tick labels included."""
    sizes = [t.get_fontsize() for t in _small_texts(figure, every=True) if t.get_visible() and t.get_text()]
    for ax in figure.axes:
        for axis in (ax.xaxis, ax.yaxis):
            sizes += [t.get_fontsize() for t in axis.get_ticklabels() if t.get_visible() and t.get_text()]
    return min(sizes, default=MIN_FONT_PT)
