"""Charts for the reports, drawn by matplotlib (Agg) in the Chinese font and returned as PNG bytes.

Amounts reach matplotlib as floats only here, at the last step; labels printed on the charts are formatted
from the Decimals. Figures are built without pyplot, so nothing global is left behind between reports.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO
from typing import Any, Literal, TypedDict

from reports.fonts import configure_matplotlib

DPI = 200
POINTS_PER_INCH = 72
# Sizes of text as printed, in points: a figure drawn at its printed width (trends_figure) prints them as they are.
TICK_PT, LABEL_PT, LEGEND_PT, TITLE_PT = 8.0, 8.5, 9.0, 10.0
BLUE, ORANGE, GREY, RED, GREEN = "#3b6ea8", "#e08a2c", "#8c8c8c", "#c0392b", "#2e8b57"


class LineStyle(TypedDict, total=False):
    """How a line is drawn: the same keywords draw it in a panel and in the legend."""

    color: str
    linestyle: Literal["-", "--", ":", "-."]
    linewidth: float
    marker: str
    markersize: float


def _figure(
    width_in: float, height_in: float, layout: Literal["constrained", "compressed", "tight"] | None = None
) -> Any:
    configure_matplotlib()
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width_in, height_in), dpi=DPI, layout=layout)
    FigureCanvasAgg(figure)
    return figure


def _png(figure: Any) -> bytes:
    buffer = BytesIO()
    if figure.get_layout_engine() is None:  # a constrained figure lays itself out when it is drawn
        figure.tight_layout()
    # Transparent, so that a draft's watermark shows through the chart as on the rest of the page.
    figure.savefig(buffer, format="png", dpi=DPI, transparent=True)
    return buffer.getvalue()


def _yuan(value: Decimal) -> float:
    return float(value)  # the last step: matplotlib draws floats


def horizontal_bars(
    labels: Sequence[str],
    stacks: Sequence[tuple[str, Sequence[Decimal], str]],
    value_labels: Sequence[str],
    title: str,
    axis_label: str,
    *,
    size: tuple[float, float] = (7.0, 3.2),
) -> bytes:
    """Stacked horizontal bars, first label at the top, each bar's total written at its end."""
    return _png(horizontal_bars_figure(labels, stacks, value_labels, title, axis_label, size=size))


def horizontal_bars_figure(
    labels: Sequence[str],
    stacks: Sequence[tuple[str, Sequence[Decimal], str]],
    value_labels: Sequence[str],
    title: str,
    axis_label: str,
    *,
    size: tuple[float, float] = (7.0, 3.2),
) -> Any:
    """The figure of `horizontal_bars`; its legend sits above the bars, where no bar or total can be."""
    figure = _figure(*size)
    axes = figure.add_subplot()
    positions = list(range(len(labels)))[::-1]
    left = [0.0] * len(labels)
    for name, values, colour in stacks:
        widths = [_yuan(v) for v in values]
        axes.barh(positions, widths, left=left, color=colour, label=name, height=0.62)
        left = [a + b for a, b in zip(left, widths, strict=True)]
    top = max(left, default=0.0) or 1.0
    for position, end, text in zip(positions, left, value_labels, strict=True):
        axes.text(end + top * 0.01, position, text, va="center", fontsize=7.5)
    axes.set_yticks(positions, list(labels), fontsize=8)
    axes.set_xlim(0, top * 1.22)
    axes.set_title(title, fontsize=10, pad=22 if len(stacks) > 1 else 6)
    axes.set_xlabel(axis_label, fontsize=8)
    axes.tick_params(axis="x", labelsize=7.5)
    axes.xaxis.set_major_formatter(_thousands())
    axes.spines[["top", "right"]].set_visible(False)
    if len(stacks) > 1:
        axes.legend(fontsize=8, frameon=False, ncols=len(stacks), loc="lower center", bbox_to_anchor=(0.5, 1.0))
    return figure


def share_bar(
    parts: Sequence[tuple[str, Decimal, str]],
    floor: Decimal,
    floor_label: str,
    title: str,
    *,
    size: tuple[float, float] = (7.0, 1.6),
) -> bytes:
    """One 100% bar split into parts (e.g. patronage vs residual), with a dashed line at a statutory floor."""
    figure = _figure(*size)
    axes = figure.add_subplot()
    whole = sum((value for _, value, _ in parts), Decimal(0)) or Decimal(1)
    left = 0.0
    for name, value, colour in parts:
        share = _yuan(value * 100 / whole)
        axes.barh([0], [share], left=left, color=colour, height=0.55)
        if share > 6:
            axes.text(left + share / 2, 0, f"{name}\n{share:.2f}%", ha="center", va="center", color="white", fontsize=8)
        left += share
    axes.axvline(_yuan(floor * 100), color=RED, linestyle="--", linewidth=1.2)
    axes.text(_yuan(floor * 100) + 0.8, 0.42, floor_label, color=RED, fontsize=7.5, ha="left", va="bottom")
    axes.set_xlim(0, 100)
    axes.set_ylim(-0.45, 0.7)
    axes.set_yticks([])
    axes.set_xticks(range(0, 101, 20), [f"{x}%" for x in range(0, 101, 20)], fontsize=7.5)
    axes.set_title(title, fontsize=10)
    axes.spines[["top", "right", "left"]].set_visible(False)
    return _png(figure)


@dataclass(frozen=True)
class Trend:
    """One village's operating income over the years, with its weak line and target."""

    name: str
    years: Sequence[int]
    income: Sequence[Decimal | None]  # None: not reported that year
    weak_line: Sequence[Decimal]
    target: Decimal | None
    baseline_year: int | None


def trends(items: Sequence[Trend], labels: dict[str, str], *, width: float, columns: int = 3) -> bytes:
    """Small multiples of each village's income by year against its weak line (a PNG for `width` points)."""
    return _png(trends_figure(items, labels, width=width, columns=columns))


def trends_figure(
    items: Sequence[Trend], labels: dict[str, str], *, width: float, columns: int = 3, panel_height: float = 2.55
) -> Any:
    """Small multiples: each village's income by year, the weak line as a dashed step, the target dotted.

    The figure is `width` points wide, the width it is printed at, so its font sizes are printed sizes. One legend
    above the panels explains them all and covers none of their lines.
    """
    from matplotlib.lines import Line2D

    rows = max(1, -(-len(items) // columns))
    figure = _figure(width / POINTS_PER_INCH, panel_height * rows + 0.35, layout="constrained")
    weak: LineStyle = {"color": RED, "linestyle": "--", "linewidth": 1.1}
    target: LineStyle = {"color": GREEN, "linestyle": ":", "linewidth": 1.4}
    income: LineStyle = {"color": BLUE, "linewidth": 1.6, "marker": "o", "markersize": 3.5}
    for index, item in enumerate(items, start=1):
        axes = figure.add_subplot(rows, columns, index)
        points = [
            (year, _yuan(value)) for year, value in zip(item.years, item.income, strict=True) if value is not None
        ]
        axes.step(list(item.years), [_yuan(v) / 10_000 for v in item.weak_line], where="mid", **weak)
        if item.target is not None:
            axes.axhline(_yuan(item.target) / 10_000, **target)
        if points:
            axes.plot([p[0] for p in points], [p[1] / 10_000 for p in points], **income)
        if item.baseline_year is not None and item.baseline_year in item.years:
            axes.axvline(item.baseline_year, color=GREY, linewidth=0.8, linestyle="-.")
        axes.set_title(item.name, fontsize=TITLE_PT)
        axes.set_xticks(list(item.years), [str(y) for y in item.years])
        axes.tick_params(labelsize=TICK_PT)
        highest = max([_yuan(v) for v in item.weak_line] + [p[1] for p in points] + [_yuan(item.target or Decimal(0))])
        axes.set_ylim(0, highest / 10_000 * 1.15 or 1)
        axes.set_ylabel(labels["unit"], fontsize=LABEL_PT)
        axes.spines[["top", "right"]].set_visible(False)
    handles = [Line2D([], [], **weak), Line2D([], [], **target), Line2D([], [], **income)]
    names = [labels["weak_line"], labels["target"], labels["income"]]
    figure.legend(handles, names, loc="outside upper center", ncols=3, fontsize=LEGEND_PT, frameon=False)
    return figure


def grouped_bars(
    groups: Sequence[str],
    series: Sequence[tuple[str, Sequence[Decimal | None], str]],
    title: str,
    *,
    size: tuple[float, float] = (7.0, 3.0),
) -> bytes:
    """Percentages per group (e.g. fulfilment per enterprise), one bar per series, 100% marked."""
    figure = _figure(*size)
    axes = figure.add_subplot()
    width = 0.8 / max(len(series), 1)
    for offset, (name, values, colour) in enumerate(series):
        xs = [i + (offset - (len(series) - 1) / 2) * width for i in range(len(groups))]
        axes.bar(xs, [_yuan(v) if v is not None else 0.0 for v in values], width=width * 0.95, color=colour, label=name)
    axes.axhline(100, color=GREY, linewidth=0.8, linestyle="--")
    axes.set_xticks(range(len(groups)), list(groups), fontsize=7, rotation=15, ha="right")
    axes.set_ylabel("%", fontsize=8)
    axes.tick_params(axis="y", labelsize=7.5)
    if title:
        axes.set_title(title, fontsize=10, pad=22)
    axes.legend(fontsize=7.5, frameon=False, ncols=len(series), loc="lower center", bbox_to_anchor=(0.5, 1.0))
    axes.spines[["top", "right"]].set_visible(False)
    return _png(figure)


def _thousands() -> Any:
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda value, _: f"{value:,.0f}")
