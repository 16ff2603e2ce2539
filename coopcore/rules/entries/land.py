"""Land shares: the guaranteed rent (保底收益) under the bylaws' treatment, and amortising capitalised land rights."""

from __future__ import annotations

from decimal import Decimal

from coopcore.rules.entries.accounts import (
    AMORTISATION,
    DISTRIBUTIONS,
    MEMBER_ACCOUNTS,
    OPERATING_EXPENSE,
    PRODUCTION_COST,
    RESIDUAL_PAYABLE,
    check_account,
)
from coopcore.rules.entries.lines import Aux, balanced, cr, dr
from coopcore.rules.ledger import EntryLine
from coopcore.terms import LandGuaranteeTreatment

GUARANTEE = "土地入股保底收益"
AMORTISED = "土地经营权摊销"


def land_guarantee(
    member: str,
    rent: Decimal,
    treatment: LandGuaranteeTreatment = LandGuaranteeTreatment.COST,
    *,
    cost_account: str = OPERATING_EXPENSE,
    summary: str = "",
) -> list[EntryLine]:
    """Book a household's guaranteed rent for the year.

    As a cost (view A, the default): the rent is the price of using the land, Dr 521 (or 401) / Cr 114—member, and
    the household is owed it on its current account. As capital (view B): the land is already 161 against 301 and
    amortised (land_amortisation), so the guarantee is no cost but a first claim on the surplus, declared like the
    residual distribution by contribution: Dr 332—各项分配 / Cr 222—member. The distribution's close-out then
    empties it from 各项分配 with the rest (distribution_vouchers, other_distributions).
    """
    text = summary or GUARANTEE
    household = Aux(member=member)
    if treatment == LandGuaranteeTreatment.COST:
        # domain.md §7.3 view A (高海): 惠顾对价, a cost of the year [KJ 114 四; 521].
        expense = check_account(cost_account, {OPERATING_EXPENSE, PRODUCTION_COST})
        return balanced([dr(expense, rent, text), cr(MEMBER_ACCOUNTS, rent, text, household)])
    # ⚠️ INFERRED, domain.md §7.3 view B: charging it as a cost too would count the land twice (amortisation plus
    # rent); a return on share capital is a distribution by contribution [KJ 222 二; 332 五], 02表 line 18.
    return balanced([dr(DISTRIBUTIONS, rent, text), cr(RESIDUAL_PAYABLE, rent, text, household)])


def land_amortisation(value: Decimal, *, summary: str = "") -> list[EntryLine]:
    """Amortise capitalised land-management rights for a period: Dr 401 / Cr 162."""
    # [KJ 162 二]: productive intangibles such as land rights are amortised into 生产成本.
    text = summary or AMORTISED
    return balanced([dr(PRODUCTION_COST, value, text), cr(AMORTISATION, value, text)])
