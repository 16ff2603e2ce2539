"""Properties of the journal entries: whatever the amounts and members, every entry balances and names members
exactly on 114, 221, 222 and 301; a distribution's 各项分配 always closes to zero. Also the chart and the catalog."""

from __future__ import annotations

import csv
import string
from decimal import Decimal
from pathlib import Path

from babel.messages.pofile import read_po
from hypothesis import given, settings
from hypothesis import strategies as st

from coopcore.i18n import translate
from coopcore.rules import entries
from coopcore.rules.distribution import Case, Policy, Position, distribute
from coopcore.rules.entries import accounts
from coopcore.rules.exits import settle_exit
from coopcore.rules.ledger import EntryLine
from coopcore.terms import FundSource, IncomeCategory, LandGuaranteeTreatment, TradeModel
from tests.unit.entry_checks import Books, assert_well_formed

D = Decimal
ROOT = Path(entries.__file__).parents[3]
money = st.integers(min_value=0, max_value=10**10).map(lambda fen: D(fen).scaleb(-2))
signed = st.integers(min_value=-(10**10), max_value=10**10).map(lambda fen: D(fen).scaleb(-2))
codes = st.lists(st.from_regex(r"M[0-9]{2,4}", fullmatch=True), min_size=1, max_size=8, unique=True)
party = st.sampled_from(["鲁果公司", "烟台果业联合社", "散户"])


@st.composite
def events(draw: st.DrawFn) -> list[list[EntryLine]]:
    """A handful of business events of random members and amounts."""
    members = draw(codes)
    member = st.sampled_from(members)
    model = draw(st.sampled_from(list(TradeModel)))
    a, b, c = draw(money), draw(money), draw(money)
    contract = draw(money)
    return [
        entries.cash_contribution(draw(member), a, b),
        entries.land_contribution(draw(member), a, c, poverty_asset=draw(st.booleans())),
        entries.in_kind_contribution(draw(member), draw(st.sampled_from(["121", "141", "142", "151"])), b, a),
        entries.poverty_asset_contribution(draw(member), "151", c),
        entries.exit_refund(draw(member), settle_exit(members[0], {m: (a, b) for m in members}, c)),
        entries.intake(model, a, member=draw(member)),
        entries.sale(model, a + b, contract_value=contract, cost=c, buyer=draw(party), advance=a, received=b),
        entries.input_purchase(draw(member), a, fee=b),
        entries.land_guarantee(draw(member), c, draw(st.sampled_from(list(LandGuaranteeTreatment)))),
        entries.subsidy_spent_on_asset(a, poverty_asset=draw(st.booleans())),
        entries.asset_received(draw(st.sampled_from(list(FundSource))), draw(st.none() | money), costs=b),
        entries.income_expense(draw(st.sampled_from(list(IncomeCategory))), a),
        entries.income_expense(IncomeCategory.INVESTMENT_INCOME, -b),
        entries.pay_returns([entries.Payable(m, draw(money), draw(money)) for m in members]),
        entries.convert_returns([entries.Payable(m, draw(money), draw(money)) for m in members], "决议"),
        entries.federation_return_declared(draw(party), c),
    ]


@settings(max_examples=150, deadline=None)
@given(events())
def test_random_events_always_balance_with_members_exactly_on_the_per_member_accounts(
    booked: list[list[EntryLine]],
) -> None:
    for lines in booked:
        assert_well_formed(lines)


@st.composite
def cases(draw: st.DrawFn) -> tuple[Case, dict[str, Decimal]]:
    members = draw(codes)
    # Every weight positive: a pool nobody can share needs the assembly (AssemblyDecisionNeeded), no entries.
    positions = [Position(m, draw(money) + D("0.01"), draw(money), draw(money) + D("0.01")) for m in members]
    rate = D(draw(st.integers(0, 30))) / 100
    ratio = D(draw(st.integers(60, 100))) / 100
    case = Case(2024, draw(signed), draw(signed), Policy(rate, ratio), positions, draw(money), draw(money))
    result = distribute(case)
    conversions = {m.code: draw(st.integers(0, int(m.total * 100))) for m in result.members}
    return case, {code: D(fen).scaleb(-2) for code, fen in conversions.items()}


@settings(max_examples=150, deadline=None)
@given(cases())
def test_any_distribution_books_balanced_vouchers_and_closes_331_and_various_distributions_to_zero(
    drawn: tuple[Case, dict[str, Decimal]],
) -> None:
    case, conversions = drawn
    result = distribute(case)
    books = Books({"33202": -case.opening_undistributed, "501": -case.surplus})
    for voucher in entries.distribution_vouchers(result, conversions=conversions, resolution="决议"):
        assert voucher.lines and {line.summary for line in voucher.lines} == {voucher.summary}
        books.post(voucher.lines)
    for voucher in entries.year_end_vouchers(dict(books.balances)):
        books.post(voucher.lines)
    assert books["33201"] == 0 and books["331"] == 0 and books["501"] == 0
    # What stays undistributed is the 02表 line 20: the carried loss (debit) or retained prior surplus (credit).
    assert books["33202"] == result.carried_loss - result.retained_from_prior_years
    for share in result.members:
        declared = -(books.by_member["221", share.code] + books.by_member["222", share.code])
        assert declared + -books.by_member["301", share.code] == share.total


def test_every_account_the_builders_name_is_in_the_2021_chart() -> None:
    with (ROOT / "coopcore" / "charts" / "cooperative_2021.csv").open(encoding="utf-8") as handle:
        chart = {row["code"]: row for row in csv.DictReader(handle)}
    named = {value for name, value in vars(accounts).items() if name.isupper() and isinstance(value, str)}
    named |= set().union(*(v for v in vars(accounts).values() if isinstance(v, frozenset)))
    assert {code for code in named if code.isdigit()} <= set(chart)
    assert {code for code, row in chart.items() if row["member_detail"] == "yes"} == accounts.MEMBER_DETAIL
    assert {code for code, row in chart.items() if row["poverty_split"] == "yes"} == accounts.POVERTY_SPLIT
    assert {code for code, row in chart.items() if row["class"] in ("income", "expense")} == accounts.PROFIT_AND_LOSS


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_the_builders_refusals_are_exactly_the_entries_catalog_with_the_same_placeholders() -> None:
    path = ROOT / "coopcore" / "i18n" / "locale" / "zh_CN" / "LC_MESSAGES" / "entries.po"
    with path.open("rb") as handle:
        assert {message.id for message in read_po(handle) if message.id} == set(entries.MESSAGES)
    for template in entries.MESSAGES:
        chinese = translate(template, "zh")
        assert chinese != template and placeholders(chinese) == placeholders(template)
