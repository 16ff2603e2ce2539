"""Money and areas stay exact in the database: sums, ordering, bounds and refusal of floats."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import Engine, exc, func, select
from sqlalchemy.orm import Session

from coopcore.errors import InvalidValue
from coopcore.models import Bylaws, Cooperative, IncomeCategory, IncomeExpense, Township, Village


def root_cause(error: BaseException) -> BaseException:
    """The driver-independent error behind SQLAlchemy's wrapper, if any."""
    return error.orig if isinstance(error, exc.StatementError) and error.orig is not None else error


def make_cooperative(session: Session) -> Cooperative:
    township = Township(name="测试镇")
    village = Village(township=township, name="测试村")
    cooperative = Cooperative(name="测试果业专业合作社", credit_code="93370602MA3TEST01X", village=village)
    session.add(cooperative)
    session.flush()
    return cooperative


def add_income(session: Session, cooperative: Cooperative, amounts: list[str]) -> None:
    for amount in amounts:
        session.add(
            IncomeExpense(
                cooperative_id=cooperative.id,
                recorded_on=dt.date(2024, 5, 1),
                category=IncomeCategory.OPERATING_INCOME,
                amount=Decimal(amount),
            )
        )
    session.flush()


def test_sum_of_ten_dimes_is_exactly_one_yuan(session: Session) -> None:
    cooperative = make_cooperative(session)
    add_income(session, cooperative, ["0.10"] * 10)
    total = session.scalar(select(func.sum(IncomeExpense.amount)))
    assert total == Decimal("1.00")
    assert isinstance(total, Decimal)


def test_large_sums_keep_every_fen(session: Session) -> None:
    cooperative = make_cooperative(session)
    add_income(session, cooperative, ["999999999.99", "0.01", "123456789.12", "0.07"])
    assert session.scalar(select(func.sum(IncomeExpense.amount))) == Decimal("1123456789.19")


def test_ordering_and_comparison_are_numeric_not_textual(session: Session) -> None:
    cooperative = make_cooperative(session)
    add_income(session, cooperative, ["10.00", "9.99", "100.01", "0.01", "2.50"])
    ordered = session.scalars(select(IncomeExpense.amount).order_by(IncomeExpense.amount)).all()
    assert ordered == [Decimal(v) for v in ["0.01", "2.50", "9.99", "10.00", "100.01"]]
    above = session.scalars(select(IncomeExpense.amount).where(IncomeExpense.amount > Decimal("9.99"))).all()
    assert sorted(above) == [Decimal("10.00"), Decimal("100.01")]


def unsaved_income(amount: object) -> IncomeExpense:
    return IncomeExpense(
        cooperative_id=1,
        recorded_on=dt.date(2024, 5, 1),
        category=IncomeCategory.OPERATING_INCOME,
        amount=amount,
    )


# These two run on their own session: the value is refused while binding, before the database sees anything.
def test_a_float_never_reaches_a_money_column(engine: Engine) -> None:
    with Session(engine) as session:
        session.add(unsaved_income(0.1 + 0.2))
        with pytest.raises((TypeError, exc.StatementError)) as caught:
            session.flush()
    assert isinstance(root_cause(caught.value), TypeError)


def test_more_decimals_than_the_column_holds_are_refused_not_rounded(engine: Engine) -> None:
    with Session(engine) as session:
        session.add(unsaved_income(Decimal("1.239")))
        with pytest.raises((InvalidValue, exc.StatementError)) as caught:
            session.flush()
    assert isinstance(root_cause(caught.value), InvalidValue)


@pytest.mark.parametrize(("ratio", "accepted"), [("0.60", True), ("0.70", True), ("0.599999", False), ("1.01", False)])
def test_patronage_ratio_below_sixty_percent_is_refused_by_the_database(
    session: Session, ratio: str, accepted: bool
) -> None:
    cooperative = make_cooperative(session)
    bylaws = Bylaws(
        cooperative_id=cooperative.id,
        effective_on=dt.date(2024, 1, 1),
        provident_fund_rate=Decimal("0.10"),
        patronage_ratio=Decimal(ratio),
    )
    with session.begin_nested():
        session.add(bylaws)
        if accepted:
            session.flush()
            assert session.scalar(select(Bylaws.patronage_ratio)) == Decimal(ratio)
            return
        # MariaDB reports a failed CHECK as an OperationalError, the others as an IntegrityError.
        with pytest.raises(exc.DBAPIError, match="ck_bylaws_patronage_ratio"):
            session.flush()
