"""Membership rules of the law and of Yantai practice, checked on a whole roster: every finding at once."""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from coopcore.errors import InvalidValue, RuleViolation
from coopcore.rules.findings import Finding, Severity
from coopcore.terms import MemberKind

# Kinds are MemberKind values, or the strings an applicant's form carries (a StrEnum equals its value).
FARMER = MemberKind.FARMER
COOPERATIVE = MemberKind.COOPERATIVE
PUBLIC_AFFAIRS_UNIT = "public_affairs_unit"  # barred by [L-19]: never a MemberKind, only a refused applicant
PERSON_KINDS = frozenset(kind for kind in MemberKind if kind.is_person)
# A village collective is a legal person [JJ-6], so [L-20] counts it with the organisations (domain.md §1.1).
ORGANISATION_KINDS = frozenset(kind for kind in MemberKind if kind.is_organisation)
MEMBER_KINDS = frozenset(MemberKind)

FARMER_RATIO = "Farmers are {farmers} of {members} members; at least 80% ({required}) are required (Art. 20)."
FARMER_RATIO_DEADLINE = (
    "Farmers are {farmers} of {members} members; at least 80% ({required}) are required (Art. 20). "
    "The ratio has been broken since {broken_on}: restore it by {deadline} (Shandong Regulations Art. 19)."
)
ORGANISATION_LIMIT = (
    "{organisations} of {members} members are enterprises, institutions, social organisations or village "
    "collectives; at most {allowed} are allowed (Art. 20)."
)
FOUNDERS = "The cooperative has {founders} founding members; at least 5 are needed to register it (Art. 12)."
FOUNDERS_NOT_MARKED = (
    "No founding members are marked and only {founders} joined by the founding date. The cooperative is registered, "
    "so its founders were checked then: mark them in the column 设立成员 (yes/no) to check Art. 12 here."
)
ADDITIONAL_VOTES = (
    "Members hold {additional} additional votes; with {members} members at most {allowed} are allowed "
    "(20% of the basic votes, Art. 22)."
)
COOPERATIVE_MEMBER = (
    "Member {member} is a cooperative; cooperatives may join a federation, not another cooperative (Arts. 19 and 56)."
)
FEDERATION_SIZE = "The federation has {cooperatives} member cooperatives; at least 3 are required (Art. 56)."
FEDERATION_MEMBER_KIND = "Member {member} is not a cooperative; only cooperatives may join a federation (Art. 56)."
FEDERATION_ADDITIONAL_VOTES = (
    "Member {member} holds {additional} additional votes; in a federation each member cooperative has exactly "
    "one vote (Art. 60)."
)
INDIVIDUAL_CAP = (
    "Member {member} has contributed {contribution:,} of {total:,} yuan ({share_percent}%); in a party-branch-led "
    "cooperative no individual should hold more than {cap_percent}% (Yantai practice)."
)
PROVIDENT_RATE = (
    "The provident fund rate is {rate_percent}%; party-branch-led cooperatives take {minimum_percent}% to "
    "{maximum_percent}% (Yantai practice)."
)
UNKNOWN_KIND = "Unknown member kind {value!r}."
NEGATIVE_VOTES = "Additional votes of member {member} cannot be negative: {value}."
TEMPLATES = (
    FARMER_RATIO,
    FARMER_RATIO_DEADLINE,
    ORGANISATION_LIMIT,
    FOUNDERS,
    FOUNDERS_NOT_MARKED,
    ADDITIONAL_VOTES,
    COOPERATIVE_MEMBER,
    FEDERATION_SIZE,
    FEDERATION_MEMBER_KIND,
    FEDERATION_ADDITIONAL_VOTES,
    INDIVIDUAL_CAP,
    PROVIDENT_RATE,
    UNKNOWN_KIND,
    NEGATIVE_VOTES,
)

ERROR, WARNING = Severity.ERROR, Severity.WARNING


class PublicAffairsUnitBarred(RuleViolation):
    """A unit with public-affairs administrative functions may not join a cooperative (Art. 19)."""


@dataclass(frozen=True)
class MemberFacts:
    """What the membership rules need to know of one member on the roster."""

    code: str
    kind: str  # a MemberKind value
    is_founder: bool = False
    additional_votes: int = 0
    contribution: Decimal = Decimal("0.00")  # 出资 recorded in the member account

    def __post_init__(self) -> None:
        if self.kind not in MEMBER_KINDS:
            raise InvalidValue(UNKNOWN_KIND, value=self.kind)
        if self.additional_votes < 0:
            raise InvalidValue(NEGATIVE_VOTES, member=self.code, value=self.additional_votes)


@dataclass(frozen=True)
class MembershipSpan:
    """One membership over time, for replaying the roster: on it from joined_on through left_on."""

    kind: str
    joined_on: dt.date
    left_on: dt.date | None = None


@dataclass(frozen=True)
class YantaiPractice:
    """Yantai party-branch-cooperative practice (domain.md §8.2, D13, D14): defaults, not law."""

    individual_cap: Decimal = Decimal("0.20")
    provident_rate_min: Decimal = Decimal("0.05")
    provident_rate_max: Decimal = Decimal("0.10")


@dataclass(frozen=True)
class RosterContext:
    """What the membership rules need to know of the cooperative itself."""

    is_federation: bool = False
    is_party_branch_led: bool = False
    provident_fund_rate: Decimal | None = None  # from the bylaws in force; None when there are none
    ratio_broken_on: dt.date | None = None  # when a roster change took farmers below 80%: the [SD-19] clock
    departed_founders: int = 0  # founders who have left still count for the founding minimum [L-12]
    is_registered: bool = False  # the cooperative has its founding (registration) date
    founders_stated: bool = True  # False when no one said who the founders are (they were inferred)
    practice: YantaiPractice = field(default_factory=YantaiPractice)


def check_membership(members: Sequence[MemberFacts], context: RosterContext) -> list[Finding]:
    """Return every finding on a roster at once: errors of the law first, then warnings of practice."""
    findings = _federation_findings(members) if context.is_federation else _cooperative_findings(members, context)
    if context.is_party_branch_led:
        findings += _yantai_findings(members, context)
    return findings


def check_applicant_kind(kind: str) -> None:
    """Refuse an applicant the law bars from membership, and kinds coopcore does not know."""
    if kind == PUBLIC_AFFAIRS_UNIT:
        # [L-19]: 具有管理公共事务职能的单位，不得加入农民专业合作社.
        raise PublicAffairsUnitBarred(kind=kind)
    if kind not in MEMBER_KINDS:
        raise InvalidValue(UNKNOWN_KIND, value=kind)


def enough_farmers(farmers: int, members: int) -> bool:
    """[L-20]: farmers are at least 80% of all members (integers, so 16 of 20 passes exactly)."""
    return 5 * farmers >= 4 * members


def farmer_ratio_broken_on(spans: Iterable[MembershipSpan], on: dt.date) -> dt.date | None:
    """Return the day since which farmers have been below 80% without a break up to on, or None if they are not."""
    changes: dict[dt.date, list[int]] = defaultdict(lambda: [0, 0])  # day -> [change in farmers, in members]
    for span in spans:
        step = 1 if span.kind == FARMER else 0
        changes[span.joined_on][0] += step
        changes[span.joined_on][1] += 1
        if span.left_on is not None:
            # A leaver is on the roster through left_on and off it from the next day.
            changes[span.left_on + dt.timedelta(days=1)][0] -= step
            changes[span.left_on + dt.timedelta(days=1)][1] -= 1
    farmers = members = 0
    broken_on: dt.date | None = None
    for day in sorted(d for d in changes if d <= on):
        farmers, members = farmers + changes[day][0], members + changes[day][1]
        if enough_farmers(farmers, members):
            broken_on = None
        elif broken_on is None:
            broken_on = day
    return broken_on


def _cooperative_findings(members: Sequence[MemberFacts], context: RosterContext) -> list[Finding]:
    findings: list[Finding] = []
    n = len(members)
    farmers = sum(1 for m in members if m.kind == FARMER)
    organisations = sum(1 for m in members if m.kind in ORGANISATION_KINDS)
    if not enough_farmers(farmers, n):
        fields: dict[str, object] = {"farmers": farmers, "members": n, "required": -(-4 * n // 5)}
        if context.ratio_broken_on is None:
            findings.append(Finding("farmer_ratio", ERROR, FARMER_RATIO, fields, "L-20"))
        else:
            # [SD-19]: six months from the change that broke the ratio (自事由发生之日起) to restore it.
            fields |= {"broken_on": context.ratio_broken_on, "deadline": _add_months(context.ratio_broken_on, 6)}
            findings.append(Finding("farmer_ratio", ERROR, FARMER_RATIO_DEADLINE, fields, "L-20, SD-19"))
    # [L-20]: 20 or fewer members allow one organisation; more than 20 allow 5% (不得超过: 5% itself is allowed).
    within_limit = organisations <= 1 if n <= 20 else 20 * organisations <= n
    if not within_limit:
        allowed = 1 if n <= 20 else n // 20
        fields = {"organisations": organisations, "members": n, "allowed": allowed}
        findings.append(Finding("organisation_limit", ERROR, ORGANISATION_LIMIT, fields, "L-20"))
    # [L-12]: at least five founding members.
    founders = sum(1 for m in members if m.is_founder) + context.departed_founders
    if founders < 5 and context.is_registered and not context.founders_stated:
        # The registration authority checked the five founders [L-12]; a roster that does not say who they were
        # proves nothing against it, but the check here needs them marked.
        findings.append(Finding("founders", WARNING, FOUNDERS_NOT_MARKED, {"founders": founders}, "L-12"))
    elif founders < 5:
        findings.append(Finding("founders", ERROR, FOUNDERS, {"founders": founders}, "L-12"))
    # [L-22]: additional votes at most 20% of the basic votes (one per member).
    additional = sum(m.additional_votes for m in members)
    if 5 * additional > n:
        fields = {"additional": additional, "members": n, "allowed": n // 5}
        findings.append(Finding("additional_votes", ERROR, ADDITIONAL_VOTES, fields, "L-22"))
    # [L-19] lists who may join a cooperative; cooperatives join each other through a federation [L-56].
    for m in members:
        if m.kind == COOPERATIVE:
            findings.append(Finding("cooperative_member", ERROR, COOPERATIVE_MEMBER, {"member": m.code}, "L-19, L-56"))
    return findings


def _federation_findings(members: Sequence[MemberFacts]) -> list[Finding]:
    findings: list[Finding] = []
    # [L-56]: three or more cooperatives form a federation; its members are cooperatives only.
    cooperatives = sum(1 for m in members if m.kind == COOPERATIVE)
    if cooperatives < 3:
        findings.append(Finding("federation_size", ERROR, FEDERATION_SIZE, {"cooperatives": cooperatives}, "L-56"))
    for m in members:
        if m.kind != COOPERATIVE:
            fields: dict[str, object] = {"member": m.code}
            findings.append(Finding("federation_member_kind", ERROR, FEDERATION_MEMBER_KIND, fields, "L-56"))
        # [L-60]: 一社一票, so no additional votes (INFERRED, domain.md §11).
        if m.additional_votes:
            fields = {"member": m.code, "additional": m.additional_votes}
            findings.append(Finding("federation_additional_votes", ERROR, FEDERATION_ADDITIONAL_VOTES, fields, "L-60"))
    return findings


def _yantai_findings(members: Sequence[MemberFacts], context: RosterContext) -> list[Finding]:
    findings: list[Finding] = []
    practice = context.practice
    total = sum((m.contribution for m in members), Decimal("0.00"))
    cap = Fraction(practice.individual_cap)
    for m in members:
        # D13: 单个社员出资比例不得超过20% applies to natural persons; the collective and organisations are exempt.
        # Fractions keep the comparison exact (5 * c > total for the 20% default).
        if m.kind in PERSON_KINDS and total > 0 and Fraction(m.contribution) > cap * Fraction(total):
            fields = {
                "member": m.code,
                "contribution": m.contribution,
                "total": total,
                "share_percent": _percent(m.contribution / total),
                "cap_percent": _percent(practice.individual_cap),
            }
            findings.append(Finding("individual_cap", WARNING, INDIVIDUAL_CAP, fields, "Yantai practice"))
    rate = context.provident_fund_rate
    # D14: party-branch cooperatives take a 5-10% provident fund; the law leaves the rate to the charter [L-42].
    if rate is not None and not practice.provident_rate_min <= rate <= practice.provident_rate_max:
        fields = {
            "rate_percent": _percent(rate),
            "minimum_percent": _percent(practice.provident_rate_min),
            "maximum_percent": _percent(practice.provident_rate_max),
        }
        findings.append(Finding("provident_rate", WARNING, PROVIDENT_RATE, fields, "Yantai practice"))
    return findings


def _percent(ratio: Decimal) -> str:
    """Return a ratio as a percentage for people: 0.230769 -> 23.08, 0.10 -> 10 (rounded half-up)."""
    percent = (ratio * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return f"{percent:f}".rstrip("0").rstrip(".")


def _add_months(day: dt.date, months: int) -> dt.date:
    """Return the same day some months later, or that month's last day (民法典 Art. 202)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))
