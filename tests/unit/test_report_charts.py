"""The reports' charts as matplotlib draws them, checked on the figure (no database): no legend covers a bar, a
total or a line, and the trends print their text at eight points or more."""

from __future__ import annotations

from decimal import Decimal

from matplotlib.text import Text

from reports import charts, pdf
from reports.township import CHARTS_PER_PAGE

D = Decimal


def test_the_dividend_bars_keep_their_legend_clear_of_every_bar_and_total() -> None:
    kinds = ["农民 (116)", "村集体经济组织 (1)", "企业 (2)"]  # the longest bar at the bottom, where a legend sat
    figure = charts.horizontal_bars_figure(
        kinds,
        [("盈余返还", [D("1000.00"), D("2000.00"), D("350000.00")], charts.BLUE),
         ("剩余盈余分配", [D("500.00"), D("800.00"), D("150000.00")], charts.ORANGE)],
        ["1,500.00", "2,800.00", "500,000.00"],
        "各类成员分红",
        "元",
    )  # fmt: skip
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    [axes] = figure.axes
    legend = axes.get_legend().get_window_extent(renderer)
    assert not legend.overlaps(axes.get_window_extent(renderer))
    for text in axes.texts:  # the totals written at the bars' ends
        assert not legend.overlaps(text.get_window_extent(renderer)), text.get_text()
    assert not legend.overlaps(axes.title.get_window_extent(renderer))


TREND_LABELS = {"weak_line": "薄弱村标准", "target": "目标", "income": "经营性收入", "unit": "万元"}


def test_the_income_trends_print_their_text_at_eight_points_and_no_legend_covers_a_line() -> None:
    years = [2020, 2021, 2022, 2023, 2024]
    # Incomes and targets around the weak line in every corner of the panels, where a legend could sit.
    items = [
        charts.Trend(
            f"测试{n}村",
            years,
            [D(v) for v in (99_000, 12_000, 101_000, 98_500, 140_000)],
            [D(100_000)] * 5,
            D(120_000) if n % 2 else None,
            2022,
        )
        for n in range(CHARTS_PER_PAGE)
    ]
    width = pdf.frame_size(pdf.LANDSCAPE)[0]
    figure = charts.trends_figure(items, TREND_LABELS, width=width)
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    printed = width / (figure.get_figwidth() * 72)  # the PDF scales the picture to the frame's width
    texts = [t for t in figure.findobj(Text) if t.get_visible() and t.get_text().strip()]
    assert {"2020", "2024", "万元", "薄弱村标准", "测试0村"} <= {t.get_text() for t in texts}
    small = sorted(
        {(t.get_text(), round(t.get_fontsize() * printed, 1)) for t in texts if t.get_fontsize() * printed < 8}
    )
    assert small == []
    legends = [*figure.legends, *(axes.get_legend() for axes in figure.axes if axes.get_legend())]
    assert len(legends) == 1
    box = legends[0].get_window_extent(renderer)
    for axes in figure.axes:
        assert not box.overlaps(axes.get_window_extent(renderer)), axes.get_title()  # off every plot, every line
