"""An inline SVG bar chart of the villages' operating income against the weak line and their targets."""

from __future__ import annotations

import math
from collections.abc import Callable
from decimal import Decimal

from markupsafe import Markup, escape

from admin.i18n import _, money, quantity
from coopcore.services.villages import VillageRow
from coopcore.terms import VillageStatus

COLOURS = {
    VillageStatus.EMPTY_SHELL: "#6c757d",
    VillageStatus.WEAK: "#dc3545",
    VillageStatus.ABOVE_LINE: "#ffc107",
    VillageStatus.ACHIEVED: "#28a745",
    VillageStatus.NOT_REPORTED: "#adb5bd",
}
ROW, LABEL, WIDTH, TOP, VALUES, AXIS = 26, 110, 560, 34, 130, 30
WAN = Decimal(10_000)  # the scale is in 万元: weak lines and targets are whole 万 (10万元 and up)
GRID = "#dee2e6"


def scale_ticks(top: Decimal) -> list[Decimal]:
    """Round ticks in 万元 from 0 to at least top yuan: steps of 1, 2 or 5 × 10ⁿ, at most six of them."""
    highest = max(top, WAN) / WAN
    steps = (Decimal(m).scaleb(highest.adjusted() - 1) for m in (1, 2, 5, 10, 20, 50))
    step = next(step for step in steps if highest / step <= 6)
    return [step * i for i in range(math.ceil(highest / step) + 1)]


def income_chart(rows: list[VillageRow]) -> Markup:
    """One bar per village (colour by status), a dashed line at the weak line, a black tick at the target."""
    if not rows:
        return Markup("")
    top = max(
        (value for row in rows for value in (row.income, row.target, row.threshold.weak_below) if value is not None),
        default=Decimal(1),
    ) or Decimal(1)
    ticks = scale_ticks(top)
    end = ticks[-1] * WAN  # the bars are drawn to the scale's last tick, so the ticks tell their length

    def x(value: Decimal) -> float:
        return LABEL + float(value / end) * WIDTH

    bottom = TOP + ROW * len(rows)
    height = bottom + AXIS
    right = LABEL + WIDTH + VALUES
    parts = [
        f'<svg class="coop-chart" viewBox="0 0 {right} {height}" role="img" '
        f'aria-label="{escape(_("Operating income by village"))}" xmlns="http://www.w3.org/2000/svg">',
        # The legend: a bar, the dashed weak line, the black target tick.
        f'<rect x="{LABEL}" y="8" width="14" height="12" fill="{COLOURS[VillageStatus.WEAK]}"/>'
        f'<rect x="{LABEL + 16}" y="8" width="14" height="12" fill="{COLOURS[VillageStatus.ACHIEVED]}"/>'
        f'<text x="{LABEL + 36}" y="18" font-size="12">{escape(_("Operating income"))}</text>'
        f'<line x1="{LABEL + 170}" x2="{LABEL + 170}" y1="6" y2="22" stroke="#343a40" stroke-dasharray="3,2"/>'
        f'<text x="{LABEL + 178}" y="18" font-size="12">{escape(_("weak line"))}</text>'
        f'<rect x="{LABEL + 300}" y="6" width="3" height="16" fill="#000"/>'
        f'<text x="{LABEL + 309}" y="18" font-size="12">{escape(_("target"))}</text>',
        _axis(ticks, x, bottom),
    ]
    for index, row in enumerate(rows):
        y = TOP + index * ROW
        income = row.income or Decimal(0)
        parts.append(
            f'<text x="{LABEL - 6}" y="{y + 15}" font-size="12" text-anchor="end">{escape(row.village)}</text>'
        )
        parts.append(
            f'<rect class="coop-bar" x="{LABEL}" y="{y + 3}" width="{max(x(income) - LABEL, 0):.1f}" '
            f'height="{ROW - 8}" fill="{COLOURS[row.status]}">'
            f"<title>{escape(row.village)} {escape(money(row.income))}</title></rect>"
        )
        line = x(row.threshold.weak_below)
        parts.append(
            f'<line x1="{line:.1f}" x2="{line:.1f}" y1="{y}" y2="{y + ROW}" stroke="#343a40" stroke-dasharray="3,2"/>'
        )
        if row.target is not None:
            target = x(row.target)
            parts.append(f'<rect x="{target - 1.5:.1f}" y="{y + 1}" width="3" height="{ROW - 4}" fill="#000"/>')
        shown = money(row.income) if row.income is not None else _("not reported")
        parts.append(f'<text x="{right - 4}" y="{y + 15}" font-size="11" text-anchor="end">{escape(shown)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def _axis(ticks: list[Decimal], x: Callable[[Decimal], float], bottom: int) -> str:
    """Grid lines behind the bars, the axis under them, each tick labelled in 万元 and the unit after the last."""
    parts = ['<g class="coop-axis" font-size="11" fill="#495057">']
    for tick in ticks:
        at = x(tick * WAN)
        parts.append(f'<line x1="{at:.1f}" x2="{at:.1f}" y1="{TOP}" y2="{bottom + 4}" stroke="{GRID}"/>')
        parts.append(
            f'<text class="coop-tick" x="{at:.1f}" y="{bottom + 17}" text-anchor="middle">{quantity(tick)}</text>'
        )
    parts.append(f'<line x1="{LABEL}" x2="{LABEL + WIDTH}" y1="{bottom}" y2="{bottom}" stroke="#6c757d"/>')
    parts.append(
        f'<text class="coop-unit" x="{LABEL + WIDTH + 22}" y="{bottom + 17}">{escape(_("10,000 yuan"))}</text>'
    )
    parts.append("</g>")
    return "".join(parts)
