"""What every report shares: file names, the issuer line, and how a plan's state is shown."""

from __future__ import annotations

import re
from pathlib import Path

from coopcore.i18n import Lang
from coopcore.labels import label
from coopcore.models import Cooperative, Distribution, DistributionState
from reports import pdf, text

UNSAFE = re.compile(r"[\\/:*?\"<>|\s]+")
FINAL_STATES = (DistributionState.APPROVED, DistributionState.POSTED, DistributionState.PAID)


def output_path(
    out_dir: Path, year: int | str, owner: str, label: str, suffix: str, lang: Lang, detail: str = ""
) -> Path:
    """Where a report goes: DIR/2024-<credit code or township>-<translated report name>[-<detail>].<suffix>.

    `year` may be a month (2024-03); `detail` names a part of the report (an account, a member).
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    name = UNSAFE.sub("-", f"{year}-{owner}-{text.tr(label, lang)}" + (f"-{detail}" if detail else "")).strip("-")
    return out_dir / f"{name}.{suffix}"


def issuer(cooperative: Cooperative, lang: Lang) -> str:
    """The cooperative with its unified social credit code, for the running header."""
    return text.tr("{name} (credit code {code})", lang, name=cooperative.name, code=cooperative.credit_code)


def state_label(distribution: Distribution, lang: Lang) -> str:
    """The plan's state in a word: 草案, 已公示, 已通过, 已记账, 已支付."""
    return label(distribution.state, lang)


def watermark(distribution: Distribution, lang: Lang) -> str | None:
    """The word printed across every page of a plan the member assembly has not approved; None once approved."""
    template = text.WATERMARKS.get(distribution.state)
    return text.tr(template, lang) if template else None


def status_line(distribution: Distribution, lang: Lang) -> str | None:
    """The footer's words on an unapproved plan; None once approved."""
    template = text.STATUS_LINES.get(distribution.state)
    return text.tr(template, lang) if template else None


def letterhead(title: str, cooperative: Cooperative, distribution: Distribution, lang: Lang) -> pdf.Letterhead:
    """Header and footer of a distribution document: the cooperative, the title, the plan's state."""
    return pdf.Letterhead(
        title, issuer(cooperative, lang), lang, watermark(distribution, lang), status_line(distribution, lang)
    )


def state_sentence(distribution: Distribution, lang: Lang) -> str:
    """A sentence on where the plan stands, for the top of the first page."""
    state = state_label(distribution, lang)
    if distribution.state is DistributionState.DRAFT:
        return text.tr(
            "Plan state: {state}. Not yet approved by the member assembly; pay nothing on it.", lang, state=state
        )
    if distribution.state is DistributionState.PUBLISHED:
        return text.tr(
            "Plan state: {state} on {published_on}. Not yet approved by the member assembly; pay nothing on it.",
            lang,
            state=state,
            published_on=text.day(distribution.published_on, lang),
        )
    return text.tr(
        "Plan state: {state}. Approved by the member assembly on {assembly_on} ({present} present, {votes} votes for).",
        lang,
        state=state,
        assembly_on=text.day(distribution.assembly_on, lang),
        present=distribution.members_present or 0,
        votes=distribution.votes_for or 0,
    )


def is_final(distribution: Distribution) -> bool:
    """True once the member assembly approved the plan."""
    return distribution.state in FINAL_STATES
