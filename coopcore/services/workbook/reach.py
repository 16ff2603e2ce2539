"""What an import may change for whom: an accountant's workbook keeps to the books of their own cooperatives.

The rules are coopcore.services.access, the same the admin's forms follow: only an administrator adds or moves
a cooperative, creates townships, villages, party branches, village collectives or shared products, or links
a member to a village collective outside the villages of the accountant's cooperatives. Each row that would
do one of these gets one problem naming what needs an administrator; the rest of the workbook is still checked.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from coopcore.i18n import Lang
from coopcore.models import PartyBranch, Township, Village, VillageCollective
from coopcore.services.access import Area, Scope
from coopcore.services.workbook.format import Column, Sheet
from coopcore.services.workbook.plan import Plan
from coopcore.services.workbook.plan_members import NEW_COLLECTIVE
from coopcore.services.workbook.reader import Book, Row
from coopcore.services.workbook.report import Problems, Words
from coopcore.services.workbook.schema import COOPERATIVE, MEMBERS, TRANSACTIONS
from coopcore.services.workbook.stored import Stored, party_branch_id

NEEDS_ADMINISTRATOR = "This row needs an administrator: {actions}."
TEMPLATES = (NEEDS_ADMINISTRATOR,)


@dataclass(frozen=True)
class Actions:
    """The things one row does that need an administrator, shown as one list."""

    items: tuple[Words, ...]

    def label(self, lang: Lang) -> str:
        return ("；" if lang == "zh" else "; ").join(item.label(lang) for item in self.items)


def check_reach(session: Session, actor: Scope, book: Book, row: Row, plan: Plan, stored: Stored, p: Problems) -> None:
    """Add one problem per row that the actor may not import (nothing to do for an administrator)."""
    if actor.is_admin:
        return
    _check_cooperative(session, actor, row, plan, stored, p)
    _check_members(session, actor, book, plan, stored, p)
    _check_products(actor, book, plan, p)


def _refuse(problems: Problems, sheet: Sheet, row: Row, found: list[tuple[Column, Words]]) -> None:
    if found:
        column = found[0][0]
        actions = Actions(tuple(words for _, words in found))
        where = {"sheet": sheet, "row": row.number, "column": column, "value": row.get(column.key)}
        problems.error(NEEDS_ADMINISTRATOR, **where, actions=actions)


def _check_cooperative(session: Session, actor: Scope, row: Row, plan: Plan, stored: Stored, p: Problems) -> None:
    cooperative, found = stored.cooperative, []
    if cooperative is None:
        if not actor.adds_cooperatives:
            found.append((COOPERATIVE.column("uscc"), Words("it adds a new cooperative", "新建合作社")))
    elif not actor.has_cooperative(cooperative.id):
        code = cooperative.credit_code
        words = Words(f"the cooperative {code} is not one of yours", f"合作社{code}不在您负责的范围内")
        _refuse(p, COOPERATIVE, row, [(COOPERATIVE.column("uscc"), words)])
        return  # everything else of the workbook is someone else's business
    new = plan.cooperative
    township, village = row.get("township"), row.get("village")
    if township is None or village is None:
        return
    if cooperative is not None and (cooperative.village.township.name, cooperative.village.name) != (township, village):
        old = f"{cooperative.village.township.name}{cooperative.village.name}"
        to = f"{township}{village}"
        words = Words(f"it moves the cooperative from {old} to {to}", f"把合作社从{old}迁到{to}")
        if not actor.moves_cooperatives:
            found.append((COOPERATIVE.column("village"), words))
    places = actor.writes(Area.PLACES)
    if session.scalar(select(Township.id).where(Township.name == township)) is None and not places:
        words = Words(f"it creates the township {township}", f"新建乡镇“{township}”")
        found.append((COOPERATIVE.column("township"), words))
    if stored.village_id is None and not places:
        found.append((COOPERATIVE.column("village"), Words(f"it creates the village {village}", f"新建村“{village}”")))
    branch = new.get("party_branch")
    old_branch = cooperative.party_branch.name if cooperative is not None and cooperative.party_branch else None
    if branch and branch != old_branch:
        column = COOPERATIVE.column("party_branch")
        branch_id = party_branch_id(session, branch, stored.village_id)
        if branch_id is None and not places:
            found.append((column, Words(f"it creates the party branch {branch}", f"新建党支部“{branch}”")))
        elif branch_id is not None:
            village_id = session.scalar(select(PartyBranch.village_id).where(PartyBranch.id == branch_id))
            if village_id is not None and not actor.links_to_village(village_id):
                words = Words(f"it links the party branch {branch} of another village", f"关联其他村的党支部“{branch}”")
                found.append((column, words))
    _refuse(p, COOPERATIVE, row, found)


def _check_members(session: Session, actor: Scope, book: Book, plan: Plan, stored: Stored, p: Problems) -> None:
    """Refuse linking a member to a village collective the actor does not reach, or creating one."""
    linked: dict[int, list[Row]] = {}
    column = MEMBERS.column("id_number")
    for row in book.rows(MEMBERS):
        code = row.get("member_code")
        new = plan.roster.get(code, {}).get("village_collective_id") if code else None
        old = stored.members.get(code, {}).get("village_collective_id") if code else None
        if new is None or new == old:
            continue
        if new == NEW_COLLECTIVE:
            if not actor.writes(Area.PLACES):
                name = row.get("name")
                words = Words(f"it creates the village collective {name}", f"新建村集体经济组织“{name}”")
                _refuse(p, MEMBERS, row, [(column, words)])
        else:
            linked.setdefault(new, []).append(row)
    if not linked:
        return
    query = (
        select(VillageCollective.id, VillageCollective.credit_code, VillageCollective.village_id, Village.name)
        .join(Village, Village.id == VillageCollective.village_id)
        .where(VillageCollective.id.in_(sorted(linked)))
    )
    for collective_id, code, village_id, village in session.execute(query):
        if not actor.links_to_village(village_id):
            words = Words(
                f"it links the member to the village collective {code} of {village}, "
                "a village none of your cooperatives is in",
                f"把成员关联到{village}的村集体经济组织{code}，该村不在您负责的合作社所在村之内",
            )
            for row in linked[collective_id]:
                _refuse(p, MEMBERS, row, [(column, words)])


def _check_products(actor: Scope, book: Book, plan: Plan, p: Problems) -> None:
    """Refuse the first row naming each product the import would add to the shared list."""
    if not plan.new_products or actor.writes(Area.REFERENCE):
        return
    seen: set[str] = set()
    for row in book.rows(TRANSACTIONS):
        product = row.get("product")
        if product in plan.new_products and product not in seen:
            seen.add(product)
            words = Words(f"it creates the shared product {product}", f"新建共享产品“{product}”")
            _refuse(p, TRANSACTIONS, row, [(TRANSACTIONS.column("product"), words)])
