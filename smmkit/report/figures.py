"""Report figures to PNG: what a page shows for a matplotlib chart.

:func:`figure_image` lays a figure out once and draws it once (``savefig`` and the inline
backend draw it twice); :func:`as_figure` finds the figure behind what a chart helper
returned (an Axes, an array of Axes, a Figure).
"""

from __future__ import annotations

import io
from typing import Any

import numpy as np

__all__ = ["PNG_OPTIONS", "as_figure", "figure_image"]

#: PNG options of report figures, chosen by measurement (``make bench``, "Figures"): Pillow's
#: default compression level.
PNG_OPTIONS: dict[str, Any] = {}


def as_figure(value: Any) -> Any:
    """A matplotlib Axes (or an array of them) as its Figure; anything else (HTML, None) as it is."""
    if value is None:
        return None
    if isinstance(value, np.ndarray) and value.size:
        value = value.flat[0]
    figure = getattr(value, "figure", None)
    if figure is not None and hasattr(figure, "savefig") and not hasattr(value, "savefig"):
        return figure
    return value


def figure_image(figure: Any, *, close: bool = False) -> Any:
    """A matplotlib Figure as an IPython PNG image, laid out once and drawn once.

    ``savefig``/the inline backend draw a figure twice (once to measure it for
    ``bbox_inches="tight"`` or a layout engine, once to paint it), each time measuring every
    text again. Here a figure without a layout is laid out as ``tight_layout`` does (one that
    was laid out keeps its layout; one with a layout engine lays itself out in the draw), then
    painted by one Agg draw whose pixels become the PNG. ``close`` closes the figure afterwards
    (a page shows each figure once).
    """
    from IPython.display import Image
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.image import imsave
    from matplotlib.layout_engine import PlaceHolderLayoutEngine

    canvas = figure.canvas if isinstance(figure.canvas, FigureCanvasAgg) else FigureCanvasAgg(figure)
    if figure.get_layout_engine() is None:
        figure.tight_layout()
    if isinstance(figure.get_layout_engine(), PlaceHolderLayoutEngine):
        figure.set_layout_engine("none")  # laid out already: the draw need not measure again
    canvas.draw()
    buffer = io.BytesIO()
    imsave(buffer, np.asarray(canvas.buffer_rgba()), format="png", dpi=figure.dpi, pil_kwargs=PNG_OPTIONS)
    if close:
        import matplotlib.pyplot as plt

        plt.close(figure)
    return Image(data=buffer.getvalue(), format="png")
