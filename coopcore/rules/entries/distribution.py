"""The year's distribution as vouchers: from the waterfall's result to the entries of domain.md §2.4 and Example 1."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from types import MappingProxyType

from coopcore.errors import InvalidValue, RuleViolation
from coopcore.money import ZERO
from coopcore.rules.distribution import MemberShare, Result
from coopcore.rules.entries.accounts import (
    DISTRIBUTIONS,
    RESIDUAL_PAYABLE,
    RETURNS_PAYABLE,
    SHARE_CAPITAL,
    SURPLUS_RESERVE,
    UNDISTRIBUTED,
)
from coopcore.rules.entries.income import transfer_year_surplus
from coopcore.rules.entries.lines import Aux, JournalEntry, amount, balanced, cr, dr, fit, require_resolution
from coopcore.rules.ledger import EntryLine

NOTHING: Mapping[str, Decimal] = MappingProxyType({})

TRANSFER = "{year}年结转本年盈余"
TRANSFER_LOSS = "{year}年结转本年亏损"
LOSS_COVERED = "盈余公积弥补亏损"
PROVIDENT = "{year}年提取盈余公积"
PATRONAGE = "{year}年盈余返还"
RESIDUAL = "{year}年剩余盈余分配"
CONVERTED = "{year}年盈余转为成员出资（{resolution}）"
CLOSE_OUT = "{year}年结转各项分配"
CLOSED = "结转各项分配"


NOT_POSITIVE = "Member {member} cannot convert {value} into contribution: the amount must be more than zero."


class ConversionExceedsShare(RuleViolation):
    """Member {member} cannot convert {value} into contribution: the distribution gives them {share}."""


class CoverResolutionRequired(RuleViolation):
    """Covering a loss from the surplus reserve needs the member assembly's resolution (Art. 29, 42): name it."""


class CoverExceedsLoss(RuleViolation):
    """{value} cannot be taken from the surplus reserve: the loss left after the {year} surplus is {loss}."""


class CoverExceedsReserve(RuleViolation):
    """{value} cannot be taken from the surplus reserve: 322 (surplus reserve) holds {reserve} on {day}."""


class CoverExceedsShares(RuleViolation):
    """{value} cannot be taken from the surplus reserve: members' provident-fund shares add up to {shares} on {day}."""


NOT_A_COVER = "{value} cannot be taken from the surplus reserve: the amount must be more than zero."


def distribution_vouchers(
    result: Result,
    *,
    conversions: Mapping[str, Decimal] = NOTHING,
    resolution: str = "",
    loss_covered_by_provident_fund: Decimal = ZERO,
    other_distributions: Decimal = ZERO,
    transfer_surplus: bool = True,
) -> list[JournalEntry]:
    """The distribution's vouchers, dated 31 December, in order; those with nothing to book are left out.

    1. the year's surplus from 331 to 332—未分配盈余; 2. a loss covered by the provident fund, as the assembly
    decided; 3. the provident fund extracted; 4. patronage returns to 221 and 5. the residual to 222, per member;
    6. what the assembly converted into contributions as part of the distribution (conversions: member code to
    amount, with its resolution), to 301 per member; 7. 各项分配 closed into 未分配盈余, including
    other_distributions already charged to 各项分配 this year (land guarantees under the capital view).
    Example 1 gives 1, 3, 4, 5 and 7 (domain.md §4). The year-end close (year_end_vouchers) moves only what 331
    still holds, so it may follow; transfer_surplus=False leaves entry 1 out when the close has already moved it.
    """
    year = result.year
    patronage, residual, converted = _declared(result, conversions)
    if any(converted.values()):
        resolution = require_resolution(resolution)
    extracted = amount(result.provident_fund)
    distributed = extracted + sum(patronage.values(), ZERO) + sum(residual.values(), ZERO)
    distributed += sum(converted.values(), ZERO) + amount(other_distributions)
    transferred = (TRANSFER if result.surplus >= 0 else TRANSFER_LOSS).format(year=year)
    vouchers = [
        # [KJ 331 三]: Example 1 entry 1.
        JournalEntry(
            transferred, transfer_year_surplus(result.surplus, summary=transferred) if transfer_surplus else []
        ),
        # [KJ 332 二; 322]: 02表 line 14 其他转入.
        JournalEntry(LOSS_COVERED, provident_fund_covers_loss(loss_covered_by_provident_fund)),
        # [L-42; KJ 322 二; 332 三]: Example 1 entry 2; quantifying it to members is a member-account entry only.
        _declare(PROVIDENT.format(year=year), SURPLUS_RESERVE, {"": extracted}),
        # [L-44; KJ 221 二; 332 四]: Example 1 entry 3.
        _declare(PATRONAGE.format(year=year), RETURNS_PAYABLE, patronage),
        # [L-44; KJ 222 二; 332 五]: Example 1 entry 4.
        _declare(RESIDUAL.format(year=year), RESIDUAL_PAYABLE, residual),
        # [L-44; KJ 332 六]: §15 rule 25b, 02表 line 19.
        _declare(CONVERTED.format(year=year, resolution=resolution), SHARE_CAPITAL, converted),
        # [KJ 332 七]: Example 1 entry 5; 各项分配 is then zero.
        JournalEntry(
            CLOSE_OUT.format(year=year), close_distributions(distributed, summary=CLOSE_OUT.format(year=year))
        ),
    ]
    return [JournalEntry(fit(voucher.summary), voucher.lines) for voucher in vouchers if voucher.lines]


def provident_fund_covers_loss(value: Decimal, *, summary: str = "") -> list[EntryLine]:
    """Cover a loss with the provident fund, as the assembly decided: Dr 322 / Cr 332—未分配盈余."""
    # [L-42]: the provident fund covers losses; [KJ 332 二], 02表 line 14 其他转入.
    text = summary or LOSS_COVERED
    return balanced([dr(SURPLUS_RESERVE, value, text), cr(UNDISTRIBUTED, value, text)])


def close_distributions(value: Decimal, *, summary: str = "") -> list[EntryLine]:
    """Close 332—各项分配 into 332—未分配盈余: Dr 33202 / Cr 33201."""
    # [KJ 332 七]: at the year end 各项分配 has no balance.
    text = summary or CLOSED
    return balanced([dr(UNDISTRIBUTED, value, text), cr(DISTRIBUTIONS, value, text)])


def _declare(summary: str, account: str, amounts: Mapping[str, Decimal]) -> JournalEntry:
    """Dr 332—各项分配 for the total / Cr the account, one line per member ("" for an account not kept per member)."""
    total = sum(amounts.values(), ZERO)
    # Lines of 0.00 are left out (balanced() would drop them): most members convert nothing, and building 20,000
    # lines only to drop them cost as much as the lines kept.
    credits = [cr(account, value, summary, Aux(member=code or None)) for code, value in amounts.items() if value]
    return JournalEntry(summary, balanced([dr(DISTRIBUTIONS, total, summary), *credits]))


def _declared(
    result: Result, conversions: Mapping[str, Decimal]
) -> tuple[dict[str, Decimal], dict[str, Decimal], dict[str, Decimal]]:
    """Each member's patronage return, residual and conversion, the conversion taken out of the first two."""
    members: dict[str, MemberShare] = {share.code: share for share in result.members}
    check_conversions(result, conversions)
    patronage: dict[str, Decimal] = {}
    residual: dict[str, Decimal] = {}
    converted: dict[str, Decimal] = {}
    for code, member in members.items():
        taken = amount(conversions.get(code, ZERO))
        kept = net_of_conversion(member.patronage_return, member.residual_distribution, taken)
        patronage[code], residual[code] = kept
        converted[code] = taken
    return patronage, residual, converted


def check_conversions(result: Result, conversions: Mapping[str, Decimal], *, positive: bool = False) -> None:
    """Refuse a conversion beyond the member's share ([L-44] "全部或者部分"); positive=True refuses 0.00 too."""
    members: dict[str, MemberShare] = {share.code: share for share in result.members}
    for code, value in conversions.items():
        entitled = members[code].total if code in members else ZERO
        if positive and amount(value) == ZERO:  # what the assembly decides converts something
            raise InvalidValue(NOT_POSITIVE, member=code, value=value)
        if amount(value) > entitled:
            raise ConversionExceedsShare(member=code, value=value, share=entitled)


def loss_left(result: Result) -> Decimal:
    """The loss the year's surplus leaves uncovered (332—未分配盈余 in debit after the year's result), 0 if none."""
    return max(ZERO, result.carried_loss - result.retained_from_prior_years)


def check_loss_cover(
    result: Result, value: Decimal, *, reserve: Decimal, shares: Decimal, resolution: str, day: object
) -> Decimal:
    """Refuse covering more than the loss left, or than 322 (`reserve`) or the members' provident shares hold.

    [L-44] the year's surplus covers losses first; the assembly may cover what it leaves from the provident fund
    ([L-29(八), L-42]). Covering only that loss keeps the plan as published: nothing is distributed from a year
    that leaves a loss, so the provident fund extracted and the members' shares stay 0.00.
    """
    value = amount(value)
    if not value:
        return value
    if value < 0:
        raise InvalidValue(NOT_A_COVER, value=value)
    if not resolution.strip():
        raise CoverResolutionRequired()
    if value > loss_left(result):
        raise CoverExceedsLoss(value=value, year=result.year, loss=loss_left(result))
    if value > reserve:
        raise CoverExceedsReserve(value=value, reserve=reserve, day=day)
    if value > shares:
        raise CoverExceedsShares(value=value, shares=shares, day=day)
    return value


def net_of_conversion(patronage_return: Decimal, residual: Decimal, converted: Decimal) -> tuple[Decimal, Decimal]:
    """The patronage return and residual still declared payable once `converted` became contribution.

    ⚠️ DEFAULT: a conversion comes out of the member's residual first, then out of the patronage return, so
    02表 line 17 keeps the patronage return whole as long as it can ([L-44] lets all or part be converted and
    says nothing about which part; lines 17-18 exclude what is converted, §15 rule 25b).
    """
    from_residual = min(converted, residual)
    return patronage_return - (converted - from_residual), residual - from_residual
