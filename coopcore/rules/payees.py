"""The rules of a household's payee details (收款账户): all three parts together, and whose name the account is in."""

from __future__ import annotations

from coopcore.rules.findings import Finding, Severity, error
from coopcore.validation.folding import fold

INCOMPLETE = "The bank, the account number and the holder's name go together: fill in all three, or none."
NOT_THE_HEAD = (
    "The account is in the name of {holder}, not of the head of household {head}: make sure the household "
    "wants to be paid there (a son or daughter may hold the card)."
)
NOT_THE_MEMBER = (
    "The account is in the name of {holder}, not of the member {member}: make sure the member wants to be paid there."
)
TEMPLATES = (INCOMPLETE, NOT_THE_HEAD, NOT_THE_MEMBER)


def check_payee(
    payee_bank: str | None, payee_account: str | None, payee_name: str | None, household_head: str | None, name: str
) -> list[Finding]:
    """Refuse a payee with a part missing; warn when the holder is not the household's head (or the member).

    A different holder is a warning, not a refusal: a household is often paid to a grown child's card. The names
    are compared as typed, apart from spaces and full-width characters (张 三 is 张三).
    """
    parts = [fold(part or "") for part in (payee_bank, payee_account, payee_name)]
    if not any(parts):
        return []
    if not all(parts):
        missing = "payee_bank" if not parts[0] else "payee_account" if not parts[1] else "payee_name"
        return error("payee_incomplete", INCOMPLETE, key=missing)
    holder = parts[2]
    head = fold(household_head or "")
    if head:
        if holder == head:
            return []
        fields: dict[str, object] = {"holder": payee_name, "head": household_head}
        return [Finding("payee_not_head", Severity.WARNING, NOT_THE_HEAD, fields, key="payee_name")]
    if holder == fold(name):
        return []
    fields = {"holder": payee_name, "member": name}
    return [Finding("payee_not_member", Severity.WARNING, NOT_THE_MEMBER, fields, key="payee_name")]
