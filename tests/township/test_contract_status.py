"""Order contracts settled from the database on SQLite, PostgreSQL and MariaDB (§10)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from coopcore.errors import NotFound
from coopcore.models import Cooperative, Enterprise, EnterpriseLevel, PriceRule, Trade
from coopcore.services import contracts
from tests.distribution.builders import make_example_1
from tests.township.builders import deliver, make_contract, make_cooperative
from tests.township.test_village_status import counted

D = Decimal
SEPT, OCT = dt.date(2024, 9, 20), dt.date(2024, 10, 20)


def by_code(report: contracts.ContractReport) -> dict[str, contracts.ContractRow]:
    return {row.code: row for row in report.contracts}


def test_each_price_rule_settles_its_deliveries_to_the_fen(session: Session) -> None:
    cooperative = make_example_1(session)
    terms = {
        "FIX": {"rule": PriceRule.FIXED, "fixed": "3.20"},
        "PRO": {"rule": PriceRule.PROTECTIVE, "protective": "3.00"},
        "MKT": {"rule": PriceRule.MARKET_PLUS, "premium": "0.20"},
        "MAX": {"rule": PriceRule.HIGHER_OF, "protective": "3.00", "premium": "0.20"},
    }
    for code, clause in terms.items():
        contract = make_contract(session, cooperative, code=code, **clause)  # type: ignore[arg-type]
        deliver(session, contract, SEPT, "特级", "1000.5", market="2.70")  # market low: protective wins
        deliver(session, contract, OCT, "二级", "800", market="3.40")  # market high: protective loses
        deliver(session, contract, OCT, "等外", "300", accepted="0", market="3.40")  # rejected
    rows = by_code(contracts.contract_status(session, year=2024, cooperative=cooperative.credit_code))
    amounts = {code: [r.settlement.amount for r in row.fulfilment.deliveries] for code, row in rows.items()}
    assert amounts == {
        "FIX": [D("3681.84"), D("2048.00"), D("0")],  # 3.68 × 1,000.5 = 3,681.84; 2.56 × 800
        "PRO": [D("3451.73"), D("2176.00"), D("0")],  # 3.45 × 1,000.5 = 3,451.725 → .73; 2.72 × 800
        "MKT": [D("3341.67"), D("2304.00"), D("0")],  # 2.90 × 1.15 = 3.335 → 3.34; 3.60 × 0.80 = 2.88
        "MAX": [D("3451.73"), D("2304.00"), D("0")],
    }
    assert {code: row.fulfilment.metrics.protective_count for code, row in rows.items()} == {
        "FIX": 0,
        "PRO": 1,
        "MKT": 0,
        "MAX": 1,
    }
    assert all(row.fulfilment.metrics.rejected == D("300") for row in rows.values())


def test_a_deposit_over_twenty_percent_is_flagged_and_one_within_is_not(session: Session) -> None:
    cooperative = make_example_1(session)
    make_contract(session, cooperative, code="OK", rule=PriceRule.FIXED, fixed="3.00", deposit="6000.00")
    make_contract(session, cooperative, code="OVER", rule=PriceRule.FIXED, fixed="3.00", deposit="7500.00")
    rows = by_code(contracts.contract_status(session, year=2024))
    ok, over = rows["OK"].fulfilment.deposit, rows["OVER"].fulfilment.deposit
    assert ok is not None and not ok.is_over  # 6,000.00 is exactly 20% of 30,000.00
    assert over is not None and over.is_over and over.excess == D("1500.00")


def test_deliveries_trace_back_to_the_members_harvest_intake(session: Session) -> None:
    cooperative = make_example_1(session)
    contract = make_contract(session, cooperative, rule=PriceRule.FIXED, fixed="3.20")
    delivery = deliver(session, contract, SEPT, "一级", "500", paid="1600.00", paid_on=dt.date(2024, 10, 1))
    intakes = session.scalars(select(Trade).where(Trade.cooperative_id == cooperative.id).order_by(Trade.id)).all()
    delivery.trades.extend(intakes[:2])
    session.flush()
    (row,) = contracts.contract_status(session, year=2024).contracts
    assert [t.member_code for t in row.trades[delivery.id]] == ["M02", "M03"]
    assert row.fulfilment.metrics.payment_percent == D("100.00")


def test_contracts_are_chosen_by_year_cooperative_and_enterprise(session: Session) -> None:
    first = make_cooperative(session, "93370602MA3EXMPL1X")
    second = make_cooperative(session, "93370602MA3EXMPL2X")
    juice = Enterprise(name="示例果汁有限公司", credit_code="91370600MA00000011", level=EnterpriseLevel.NATIONAL)
    make_contract(session, first, code="A", rule=PriceRule.FIXED, fixed="3.00", enterprise=juice)
    make_contract(session, second, code="B", rule=PriceRule.FIXED, fixed="3.00")
    assert sorted(by_code(contracts.contract_status(session, year=2024))) == ["A", "B"]
    assert contracts.contract_status(session, year=2023).contracts == []
    assert list(by_code(contracts.contract_status(session, year=2024, cooperative=second.credit_code))) == ["B"]
    for key in ("示例果汁有限公司", "91370600MA00000011"):
        report = contracts.contract_status(session, year=2024, enterprise=key)
        assert list(by_code(report)) == ["A"] and report.enterprises[0].level is EnterpriseLevel.NATIONAL
    with pytest.raises(NotFound):
        contracts.contract_status(session, year=2024, enterprise="没有这家企业")
    with pytest.raises(NotFound):
        contracts.contract_status(session, year=2024, cooperative="93370602MA3NOTHERE")


def test_many_contracts_take_as_many_queries_as_one(session: Session, engine: Engine) -> None:
    def cooperative_with(credit_code: str, count: int) -> Cooperative:
        cooperative = make_cooperative(session, credit_code)
        for number in range(count):
            contract = make_contract(
                session,
                cooperative,
                code=f"{credit_code[-3:]}{number:02d}",
                rule=PriceRule.HIGHER_OF,
                protective="3.00",
                premium="0.20",
            )
            deliver(session, contract, SEPT, "一级", "100", market="2.90")
            deliver(session, contract, OCT, "特级", "100", market="2.50")
        return cooperative

    small, large = cooperative_with("93370602MA3EXMP01X", 1), cooperative_with("93370602MA3EXMP02X", 6)
    session.flush()
    with counted(engine) as one:
        contracts.contract_status(session, year=2024, cooperative=small.credit_code)
    with counted(engine) as six:
        report = contracts.contract_status(session, year=2024, cooperative=large.credit_code)
    assert len(report.contracts) == 6
    assert len(six) == len(one) <= 6
