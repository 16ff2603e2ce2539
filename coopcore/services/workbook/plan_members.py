"""What an import writes of the roster: members inserted or updated by member code, founders inferred.

A member is never deleted by an import: members carry account entries, trades and land, and leaving is a
date (退社日期), not a removal.
"""

from __future__ import annotations

import datetime as dt

from coopcore.models import MemberKind
from coopcore.services.workbook.plan import Plan, given, usable
from coopcore.services.workbook.reader import Book, Row
from coopcore.services.workbook.report import Problems
from coopcore.services.workbook.schema import MEMBERS
from coopcore.services.workbook.stored import Record, Stored
from coopcore.validation import credit_code, resident_id

UNKNOWN_MEMBER_COOPERATIVE = (
    "No cooperative with credit code {value} is in the database yet, so this member is not linked to it: "
    "import that cooperative first."
)
TEMPLATES = (UNKNOWN_MEMBER_COOPERATIVE,)
NEW_COLLECTIVE = -1  # a member village collective to create in the cooperative's village (resolved on writing)
MEMBER_TEXT = ("household_head", "address", "phone")


def plan_members(book: Book, stored: Stored, plan: Plan, problems: Problems) -> None:
    """Decide inserts and updates of members by code; founders are inferred where not stated ([L-12])."""
    rows = usable(book.rows(MEMBERS), "member_code", "name", "kind", "id_number", "joined_on")
    plan.roster_complete = len(rows) == len(book.rows(MEMBERS))
    founding = plan.cooperative.get("founded_on") or min(
        [row.get("joined_on") for row in rows] + [m["joined_on"] for m in stored.members.values()], default=None
    )
    plan.roster = {code: dict(record) for code, record in stored.members.items()}
    counts = plan.counts[MEMBERS.key]
    for row in rows:
        code = row.get("member_code")
        old = stored.members.get(code)
        new = _member_fields(book, row, old, founding, stored, plan, problems)
        if old is None:
            plan.members.inserts.append({"code": code, **new})
            counts.created += 1
        elif any(old.get(key) != value for key, value in new.items()):
            plan.members.updates.append({"id": old["id"], **new})
            counts.updated += 1
        else:
            counts.unchanged += 1
        plan.roster[code] = {**(old or {"code": code}), **new}


def _member_fields(
    book: Book,
    row: Row,
    old: Record | None,
    founding: dt.date | None,
    stored: Stored,
    plan: Plan,
    problems: Problems,
) -> Record:
    kind = MemberKind(row.get("kind"))
    number = row.get("id_number")
    number = resident_id.compact(number) if kind.is_person else credit_code.compact(number)
    founder = row.get("is_founder") if book.has(MEMBERS, "is_founder") else None
    if founder is None:
        # [L-12] founders are the members at founding: those who joined by the founding date.
        founder = old["is_founder"] if old else bool(founding and row.get("joined_on") <= founding)
    fields: Record = {
        "name": row.get("name"),
        "kind": kind.value,
        "id_number": number,
        "joined_on": row.get("joined_on"),
        "left_on": given(book, MEMBERS, row, "left_on", old, None),
        "is_founder": founder,
        "additional_votes": given(book, MEMBERS, row, "additional_votes", old, 0),
        "household_size": given(book, MEMBERS, row, "household_size", old, None),
        "exit_applied_on": given(book, MEMBERS, row, "exit_applied_on", old, None),
        "member_cooperative_id": None,
        "village_collective_id": None,
    }
    for key in MEMBER_TEXT:
        fields[key] = given(book, MEMBERS, row, key, old, None)
    if kind is MemberKind.COOPERATIVE:
        fields["member_cooperative_id"] = stored.cooperatives.get(number) or (old or {}).get("member_cooperative_id")
        if fields["member_cooperative_id"] is None:
            column = MEMBERS.column("id_number")
            problems.warning(UNKNOWN_MEMBER_COOPERATIVE, sheet=MEMBERS, row=row.number, column=column, value=number)
    elif kind is MemberKind.VILLAGE_COLLECTIVE:
        fields["village_collective_id"] = _collective(number, row.get("name"), old, stored, plan)
    return fields


def _collective(number: str, name: str, old: Record | None, stored: Stored, plan: Plan) -> int | None:
    found = stored.collectives.get(number) or (old or {}).get("village_collective_id")
    if found is not None:
        return found
    # The collective that joins a party-branch-led cooperative is usually its own village's (docs/membership.md):
    # record it there when that village has none yet.
    if not stored.village_has_collective and plan.new_collective in (None, (number, name)):
        plan.new_collective = (number, name)
        return NEW_COLLECTIVE
    return None
