"""smmkit.report.figures: a report figure becomes one PNG, laid out once and drawn once."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

from smmkit.report.figures import as_figure, figure_image  # noqa: E402


def _size(png: bytes) -> tuple[int, int]:
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def test_figure_image_draws_once_and_keeps_a_finished_layout():
    fig, axes = plt.subplots(1, 2, figsize=(6, 3))
    axes[0].set_ylabel("a long label that needs room " * 2)
    fig.tight_layout(rect=(0, 0.1, 1, 1))  # room kept at the bottom, as trend_grid does
    laid_out = [ax.get_position().bounds for ax in axes]
    draws = []
    fig.canvas.mpl_connect("draw_event", lambda event: draws.append(event))
    image = figure_image(fig)
    assert len(draws) == 1  # savefig and the inline backend draw twice
    assert [ax.get_position().bounds for ax in axes] == laid_out  # not laid out again
    assert _size(image.data) == (600, 300)

    bare, ax = plt.subplots(figsize=(4, 2))
    ax.set_ylabel("label")
    before = ax.get_position().bounds
    figure_image(bare)  # never laid out: laid out as tight_layout does, within its size
    assert ax.get_position().bounds != before
    plt.close("all")


def test_close_closes_the_figure_shown_and_as_figure_finds_it():
    fig, axes = plt.subplots(1, 2)
    assert as_figure(axes) is fig and as_figure(axes[1]) is fig and as_figure(fig) is fig
    assert as_figure(None) is None and as_figure("text") == "text"
    image = figure_image(fig, close=True)
    assert image.data[:8] == b"\x89PNG\r\n\x1a\n" and _size(image.data) == (640, 480)
    assert plt.get_fignums() == []
