"""An inline SVG bar chart of the villages' operating income against the weak line and their targets."""

from __future__ import annotations

from decimal import Decimal

from markupsafe import Markup, escape

from admin.i18n import _, money
from coopcore.rules.weak_village import VillageStatus
from coopcore.services.villages import VillageRow

COLOURS = {
    VillageStatus.EMPTY_SHELL: "#6c757d",
    VillageStatus.WEAK: "#dc3545",
    VillageStatus.ABOVE_LINE: "#ffc107",
    VillageStatus.ACHIEVED: "#28a745",
    VillageStatus.NOT_REPORTED: "#adb5bd",
}
ROW, LABEL, WIDTH, TOP, VALUES = 26, 110, 560, 34, 130


def income_chart(rows: list[VillageRow]) -> Markup:
    """One bar per village (colour by status), a dashed line at the weak line, a black tick at the target."""
    if not rows:
        return Markup("")
    top = max(
        (value for row in rows for value in (row.income, row.target, row.threshold.weak_below) if value is not None),
        default=Decimal(1),
    ) or Decimal(1)

    def x(value: Decimal) -> float:
        return LABEL + float(value / top) * WIDTH

    height = TOP + ROW * len(rows) + 10
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
    ]
    for index, row in enumerate(rows):
        y = TOP + index * ROW
        income = row.income or Decimal(0)
        parts.append(
            f'<text x="{LABEL - 6}" y="{y + 15}" font-size="12" text-anchor="end">{escape(row.village)}</text>'
        )
        parts.append(
            f'<rect x="{LABEL}" y="{y + 3}" width="{max(x(income) - LABEL, 0):.1f}" height="{ROW - 8}" '
            f'fill="{COLOURS[row.status]}"><title>{escape(row.village)} {escape(money(row.income))}</title></rect>'
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
