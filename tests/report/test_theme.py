"""smmkit.report.theme in a live kernel: charts always show, fonts exist, no warnings (issue 13).

The kernel tests run code cells in a fresh "Python (smmkit)" kernel with the inline
backend, as JupyterLab does, and look at what each cell displays.
"""

from __future__ import annotations

import io
import logging
import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib as mpl  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from matplotlib import font_manager  # noqa: E402

from smmkit.report import theme  # noqa: E402


def test_context_sets_and_restores_only_the_style_keys():
    mpl.rcParams["interactive"] = True
    try:
        before = dict(mpl.rcParams)
        with theme.context(brand_color="#6b3fa0"):
            assert mpl.rcParams["axes.titleweight"] == "bold"
            mpl.rcParams["interactive"] = False  # as if a backend switched it inside the block
        after = dict(mpl.rcParams)
        assert after.pop("interactive") is False  # left as the block set it, not restored
        before.pop("interactive")
        assert after == before
    finally:
        mpl.rcParams["interactive"] = False


def test_the_style_never_sets_the_backend_or_the_interactive_state():
    assert not {"backend", "interactive", "backend_fallback"} & set(theme.rc())


@pytest.mark.parametrize("weight", sorted({theme.RC["axes.titleweight"], "normal"}))
def test_every_theme_weight_exists_in_the_theme_font(weight, caplog):
    """findfont finds the exact weight (no "Failed to find font weight" warning) in the first family."""
    font_manager.fontManager._findfont_cached.cache_clear()
    with caplog.at_level(logging.WARNING, logger="matplotlib.font_manager"):
        path = font_manager.findfont(
            font_manager.FontProperties(family=theme.RC["font.sans-serif"], weight=weight),
            fallback_to_default=False,
        )
    assert caplog.records == []
    assert font_manager.get_font(path).family_name == theme.RC["font.sans-serif"][0]


def test_a_themed_chart_with_cyrillic_draws_without_warnings(caplog):
    font_manager.fontManager._findfont_cached.cache_clear()
    with warnings.catch_warnings(), caplog.at_level(logging.WARNING, logger="matplotlib"):
        warnings.simplefilter("error")  # e.g. "Glyph ... missing from font(s)"
        with theme.context():
            fig, ax = plt.subplots()
            ax.plot([1, 2, 3])
            ax.set_title("Подписчики · Followers\n4 октября 2026")
            ax.set_ylabel("Суммарный охват, количество")
            fig.savefig(io.BytesIO(), format="png")
    assert [r.getMessage() for r in caplog.records] == []


# --------------------------------------------------------------------------- a live kernel (slow)
def _run_cells(sources: list[str]):
    import nbclient
    import nbformat

    from smmkit.batch.runner import ensure_kernel

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(s) for s in sources]
    nbclient.NotebookClient(nb, kernel_name=ensure_kernel(), timeout=120).execute()
    return [c.outputs for c in nb.cells]


def _images(outputs) -> int:
    return sum("image/png" in o.get("data", {}) for o in outputs)


def _stderr(cells) -> list[str]:
    return [o.text for outs in cells for o in outs if o.output_type == "stream" and o.name == "stderr"]


@pytest.mark.slow
def test_issue_repro_both_charts_show_in_a_fresh_kernel():
    """The first figure of the kernel made inside theme.context(); a plain plot after it shows too."""
    cells = _run_cells(
        [
            "import matplotlib.pyplot as plt\nfrom smmkit.report import theme\n"
            "with theme.context():\n    plt.subplots()",
            "plt.plot([1, 2, 3])",
            "print(plt.get_fignums(), plt.isinteractive())",
        ]
    )
    assert _images(cells[0]) == 1
    assert _images(cells[1]) == 1
    assert [o.text for o in cells[2] if o.output_type == "stream"] == ["[] True\n"]  # every figure shown
    assert _stderr(cells) == []


@pytest.mark.slow
def test_helper_then_pandas_plot_each_get_their_own_figure():
    """A helper's chart, then plain pandas: two images, and pandas does not draw on the helper's axes."""
    cells = _run_cells(
        [
            "import pandas as pd\nimport matplotlib.pyplot as plt\nfrom smmkit.report import plots\n"
            "trend = pd.DataFrame({'period_end': pd.to_datetime(['2026-10-03', '2026-10-31'] * 2),\n"
            "    'scope': ['vk', 'vk', 'total', 'total'], 'followers_end': [10.0, 12.0, 10.0, 12.0]})\n"
            "ax = plots.trend_lines(trend, 'followers_end', labels='ru')",
            "days = pd.Series([1.0, 3.0, 2.0], index=pd.date_range('2026-10-01', periods=3))\n"
            "ax2 = days.plot()\nprint(repr(ax2.get_ylabel()), ax2 is ax, len(ax2.lines))",
            "print(plt.get_fignums())",
        ]
    )
    assert _images(cells[0]) == 1
    assert _images(cells[1]) == 1
    assert [o.text for o in cells[1] if o.output_type == "stream"] == ["'' False 1\n"]
    assert [o.text for o in cells[2] if o.output_type == "stream"] == ["[]\n"]
    assert _stderr(cells) == []
