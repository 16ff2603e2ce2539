"""The annual surplus distribution (盈余分配) of Art. 42-44: a pure waterfall from the year's surplus to each member."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from coopcore.errors import InvalidValue, RuleViolation
from coopcore.money import ZERO, allocate, ceil_to_fen, round_half_up, to_money
from coopcore.terms import ProvidentBasis

# [L-44]: returns by patronage are "不得低于可分配盈余的百分之六十".
STATUTORY_PATRONAGE_FLOOR = Decimal("0.60")
BASES = tuple(ProvidentBasis)


class PatronageShareTooLow(RuleViolation):
    """The patronage ratio {ratio} is below the 60% of distributable surplus that Art. 44 requires."""


class AssemblyDecisionNeeded(RuleViolation):
    """{pool} of {amount} yuan cannot be split: every member's {weight} is zero. The member assembly must decide."""


@dataclass(frozen=True)
class Policy:
    """The bylaws that drive a distribution: provident-fund rate, patronage ratio and quantification basis."""

    provident_fund_rate: Decimal
    patronage_ratio: Decimal
    provident_basis: str = ProvidentBasis.TRANSACTIONS

    def __post_init__(self) -> None:
        if not ZERO <= self.provident_fund_rate < 1:
            raise InvalidValue(
                "the provident-fund rate must be at least 0 and below 1, not {value}", value=self.provident_fund_rate
            )
        if self.patronage_ratio < STATUTORY_PATRONAGE_FLOOR:
            raise PatronageShareTooLow(ratio=self.patronage_ratio)
        if self.patronage_ratio > 1:
            raise InvalidValue("the patronage ratio cannot exceed 1, not {value}", value=self.patronage_ratio)
        if self.provident_basis not in BASES:
            raise InvalidValue(
                "the provident-fund basis must be one of {choices}, not {value}",
                choices=", ".join(BASES),
                value=self.provident_basis,
            )


@dataclass(frozen=True)
class Position:
    """A member on the roster on the last day of the year, with year-end balances and the year's patronage."""

    code: str
    contribution: Decimal  # 出资 at year end
    provident_share: Decimal  # 公积金份额 before this year's quantification
    patronage: Decimal  # the bylaws' patronage measure: amount (default), quantity or mu
    transaction_amount: Decimal | None = None  # basis for provident quantification; defaults to patronage


@dataclass(frozen=True)
class Case:
    """Everything the waterfall needs for one cooperative (or federation) and year."""

    year: int
    surplus: Decimal  # 本年盈余 S
    opening_undistributed: Decimal  # negative = uncovered loss carried in
    policy: Policy
    members: Sequence[Position]
    subsidy_property: Decimal = ZERO  # 国家财政直接补助形成的财产 held at year end
    donation_property: Decimal = ZERO  # 他人捐赠形成的财产 held at year end


@dataclass(frozen=True)
class MemberShare:
    """What the distribution gives one member, and the weights behind it."""

    code: str
    provident_share_added: Decimal
    subsidy_share: Decimal
    donation_share: Decimal
    residual_weight: Decimal
    patronage_return: Decimal
    residual_distribution: Decimal

    @property
    def total(self) -> Decimal:
        """The member's dividend (分红): patronage return plus residual distribution."""
        return self.patronage_return + self.residual_distribution


@dataclass(frozen=True)
class Result:
    """The waterfall's figures (02表 lines 12-20) and each member's share, members in code order."""

    year: int
    surplus: Decimal
    loss_covered: Decimal
    carried_loss: Decimal
    retained_from_prior_years: Decimal
    provident_fund: Decimal
    distributable: Decimal
    patronage_pool: Decimal
    residual_pool: Decimal
    members: tuple[MemberShare, ...]

    @property
    def patronage_share(self) -> Decimal:
        """The patronage pool as a share of distributable surplus (for the ≥ 60% check)."""
        return self.patronage_pool / self.distributable if self.distributable else ZERO


def distribute(case: Case) -> Result:
    """Cover losses, extract the provident fund, return ≥ 60% by patronage, split the rest (Art. 44)."""
    surplus = _money(case.surplus, "surplus")
    opening = _money(case.opening_undistributed, "opening_undistributed")
    members = sorted(case.members, key=lambda member: member.code)
    _check_members(members)

    uncovered = max(ZERO, -opening)
    base = surplus - uncovered  # [L-44]: losses are covered before anything is extracted
    covered = max(ZERO, min(uncovered, surplus))
    if base > 0:
        provident_fund = round_half_up(base * case.policy.provident_fund_rate)  # [L-42]
        distributable = base - provident_fund
        # [L-44] ≥ 60% by patronage; rounding up keeps the floor even when half-up would land a fen below it.
        patronage_pool = max(
            round_half_up(distributable * case.policy.patronage_ratio),
            ceil_to_fen(distributable * STATUTORY_PATRONAGE_FLOOR),
        )
    else:
        provident_fund = distributable = patronage_pool = ZERO
    residual_pool = distributable - patronage_pool

    codes = [m.code for m in members]
    roster = dict.fromkeys(codes, 1)
    # [L-44] "平均量化到成员": equal shares per member on the year-end roster (docs/distribution.md).
    subsidy = _split(_money(case.subsidy_property, "subsidy_property"), roster, "subsidy property", "membership")
    donation = _split(_money(case.donation_property, "donation_property"), roster, "donation property", "membership")
    provident = _quantify_provident_fund(provident_fund, members, case.policy.provident_basis)
    patronage = _split(patronage_pool, {m.code: m.patronage for m in members}, "the patronage pool", "patronage")
    weights = {
        m.code: m.contribution + m.provident_share + provident[m.code] + subsidy[m.code] + donation[m.code]
        for m in members
    }
    residual = _split(residual_pool, weights, "the residual pool", "contribution and quantified shares")
    # Positionally, in code order: one pass over the member lists instead of six look-ups by code per member.
    columns = (provident, subsidy, donation, weights, patronage, residual)
    shares = tuple(map(MemberShare, codes, *(column.values() for column in columns)))
    return Result(
        year=case.year,
        surplus=surplus,
        loss_covered=covered,
        carried_loss=max(ZERO, uncovered - surplus),
        retained_from_prior_years=max(ZERO, opening),
        provident_fund=provident_fund,
        distributable=distributable,
        patronage_pool=patronage_pool,
        residual_pool=residual_pool,
        members=shares,
    )


def _quantify_provident_fund(pool: Decimal, members: Sequence[Position], basis: str) -> dict[str, Decimal]:
    # [L-42] "按照章程规定量化为每个成员的份额": by transactions (default), by contribution, or half each.
    by_trade = {m.code: m.patronage if m.transaction_amount is None else m.transaction_amount for m in members}
    by_capital = {m.code: m.contribution for m in members}
    if basis == ProvidentBasis.TRANSACTIONS:
        return _split(pool, by_trade, "the provident fund", "transactions")
    if basis == ProvidentBasis.CONTRIBUTIONS:
        return _split(pool, by_capital, "the provident fund", "contribution")
    first_half = round_half_up(pool / 2)
    halves = (
        _split(first_half, by_trade, "the provident fund", "transactions"),
        _split(pool - first_half, by_capital, "the provident fund", "contribution"),
    )
    return {code: halves[0][code] + halves[1][code] for code in by_trade}


def _split(pool: Decimal, weights: Mapping[str, Decimal | int], what: str, weight: str) -> dict[str, Decimal]:
    if pool > 0 and not any(value > 0 for value in weights.values()):
        raise AssemblyDecisionNeeded(pool=what, amount=pool, weight=weight)
    return allocate(pool, weights)


def _money(value: Decimal, name: str) -> Decimal:
    amount = to_money(value)
    if amount != value:
        raise InvalidValue("{name} must be a whole number of fen, not {value}", name=name, value=value)
    return amount


def _check_members(members: Sequence[Position]) -> None:
    codes = {member.code for member in members}
    if len(codes) != len(members):
        raise InvalidValue("member codes must be unique")
    for member in members:
        if member.contribution < 0 or member.provident_share < 0 or member.patronage < 0:
            name = next(name for name in ("contribution", "provident_share", "patronage") if getattr(member, name) < 0)
            raise InvalidValue("{name} of member {code} must not be negative", name=name, code=member.code)
