"""The public JSON format of a distribution case and its result (`coop distribution simulate`, `plan --json`)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from coopcore.errors import InvalidValue
from coopcore.models import Distribution
from coopcore.money import to_decimal
from coopcore.rules.distribution import Case, Policy, Position, Result

MONEY_FIELDS = ("surplus", "loss_covered", "carried_loss", "retained_from_prior_years", "provident_fund",
                "distributable", "patronage_pool", "residual_pool")  # fmt: skip
MEMBER_FIELDS = ("provident_share_added", "subsidy_share", "donation_share", "residual_weight",
                 "patronage_return", "residual_distribution", "total")  # fmt: skip


def case_from_json(data: Any) -> Case:
    """Read a case; every problem is an InvalidValue naming the field."""
    document = _mapping(data, "the case")
    policy = _mapping(document.get("policy", {}), "policy")
    members = document.get("members")
    if not isinstance(members, list) or not members:
        raise InvalidValue("members must be a non-empty list")
    return Case(
        year=_year(document.get("year")),
        surplus=_amount(document, "surplus"),
        opening_undistributed=_amount(document, "opening_undistributed", default="0"),
        policy=Policy(
            provident_fund_rate=_amount(policy, "provident_fund_rate", places=6, where="policy"),
            patronage_ratio=_amount(policy, "patronage_ratio", places=6, where="policy"),
            provident_basis=str(policy.get("provident_basis", "transactions")),
        ),
        subsidy_property=_amount(document, "subsidy_property", default="0"),
        donation_property=_amount(document, "donation_property", default="0"),
        members=[_position(member, index) for index, member in enumerate(members, start=1)],
    )


def result_to_json(result: Result) -> dict[str, Any]:
    """Write a result: amounts as strings with exactly two decimals, members in code order."""
    document: dict[str, Any] = {"year": result.year}
    document.update({name: _fen(getattr(result, name)) for name in MONEY_FIELDS})
    document["members"] = [
        {"code": share.code, **{name: _fen(getattr(share, name)) for name in MEMBER_FIELDS}}
        for share in sorted(result.members, key=lambda share: share.code)
    ]
    return document


def stored_to_json(distribution: Distribution) -> dict[str, Any]:
    """The same format for a stored distribution."""
    document: dict[str, Any] = {"year": distribution.year}
    document.update({name: _fen(getattr(distribution, name)) for name in MONEY_FIELDS})
    document["members"] = [
        {"code": line.member_code, **{name: _fen(getattr(line, name)) for name in MEMBER_FIELDS}}
        for line in sorted(distribution.lines, key=lambda line: line.member_code)
    ]
    return document


def _fen(amount: Decimal) -> str:
    return f"{amount.quantize(Decimal('0.01'))}"


def _mapping(value: Any, name: str) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise InvalidValue("{name} must be a JSON object", name=name)
    return value


def _year(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 1990 <= value <= 2200:
        raise InvalidValue("year must be a whole number between 1990 and 2200, not {value!r}", value=value)
    return value


def _amount(
    document: Mapping[str, Any], name: str, *, default: str | None = None, places: int = 2, where: str = ""
) -> Decimal:
    label = f"{where}.{name}" if where else name
    value = document.get(name, default)
    if value is None:
        raise InvalidValue("{name} is missing", name=label)
    if isinstance(value, float | bool):
        # The JSON reader gives floats only for number literals; amounts travel as strings to stay exact.
        raise InvalidValue(
            '{name} must be a string such as "123.45", not the number {value!r}', name=label, value=value
        )
    try:
        number = to_decimal(value)
    except (InvalidValue, TypeError):
        raise InvalidValue("{name} is not a number: {value!r}", name=label, value=value) from None
    if number != number.quantize(Decimal(1).scaleb(-places)):
        raise InvalidValue(
            "{name} has more than {places} decimal places: {value}", name=label, places=places, value=value
        )
    return number


def _position(data: Any, index: int) -> Position:
    member = _mapping(data, f"member {index}")
    code = member.get("code")
    if not isinstance(code, str) or not code.strip():
        raise InvalidValue("member {index} has no code", index=index)
    where = f"members[{code}]"
    return Position(
        code=code,
        contribution=_amount(member, "contribution", default="0", where=where),
        provident_share=_amount(member, "provident_share", default="0", where=where),
        patronage=_amount(member, "transactions", default="0", places=4, where=where),
    )
