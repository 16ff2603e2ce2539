"""Write a checked plan inside the caller's transaction: bulk INSERT, UPDATE and DELETE statements, no commit.

The cooperative, its bylaws and places are single rows written through the ORM (so the audit trail has
them); members and everything below them go in bulk, many rows per statement. Bulk statements bypass the
ORM's closed-year guard and Continuum's versions: the plan has already refused closed years, and the database's
triggers refuse a year closed since the plan read it (PeriodClosed, coopcore.db.errors). Changed rows get their
versions from write_versions, so that a stale workbook's import sees them as changed after its export
(coopcore.services.workbook.newer); inserted ones, by the ten thousand, are told by their ids instead.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import replace
from typing import Any

from sqlalchemy import delete, insert, inspect, select, update
from sqlalchemy.orm import Session
from sqlalchemy_continuum.operation import Operation

from coopcore.db.audit import write_versions
from coopcore.db.base import Base
from coopcore.db.errors import driver_errors
from coopcore.models import (
    Bylaws,
    Cooperative,
    FiscalYear,
    FiscalYearState,
    IncomeExpense,
    LandGuaranteeTreatment,
    LandParcel,
    LandShare,
    Member,
    MemberAccountEntry,
    PartyBranch,
    PatronageMeasure,
    Product,
    ProvidentBasis,
    SpecialFund,
    SpecialPayable,
    Township,
    Trade,
    TradeModel,
    Village,
    VillageCollective,
    Voucher,
    VoucherState,
)
from coopcore.rules.findings import Finding, Severity
from coopcore.services import ledger
from coopcore.services.ledger.books import hold_books
from coopcore.services.ledger.carried_events import PREFIX as CARRIED_PREFIX
from coopcore.services.ledger.sync import sync_events
from coopcore.services.workbook.plan import Changes, Plan
from coopcore.services.workbook.plan_members import NEW_COLLECTIVE
from coopcore.services.workbook.reader import Progress
from coopcore.services.workbook.stored import Record, Stored, party_branch_id

IMPORTER = "工作簿导入"  # who closes and audits what an import closes (the workbook's 年度结转 已结账)
BATCH = 10_000  # rows per statement group: bounds memory and paces the progress bar
COPY_FROM = 1000  # rows: below this, COPY's setup is not worth it


def apply_plan(session: Session, plan: Plan, stored: Stored, progress: Progress | None = None) -> list[Finding]:
    """Write the plan and flush; return where the member register and the books differ after the years it closed.

    The differences do not stop the import, as they do not stop a close: they are the report's warnings.
    """
    if stored.cooperative is not None:
        # The books' lock before any row: each row written below refers to the cooperative, and its foreign key
        # share-locks the cooperative's row, which the books' lock (sync_events) then waits for. Two imports of one
        # cooperative that had both written rows waited for each other there (PostgreSQL: a deadlock).
        hold_books(session, stored.cooperative)
    cooperative = _write_cooperative(session, plan, stored)
    collective_id = None
    if plan.new_collective is not None:
        code, name = plan.new_collective
        collective = VillageCollective(village_id=cooperative.village_id, name=name, credit_code=code)
        session.add(collective)
        session.flush()
        collective_id = collective.id
    coop_id = cooperative.id
    members = _write_members(session, plan, coop_id, collective_id)
    _write_entries(session, plan, members, progress)
    _write_trades(session, plan, stored, coop_id, members, progress)
    _write(session, IncomeExpense, _owned(plan.income, coop_id), progress, "income_expense")
    _write(session, SpecialFund, _owned(plan.funds, coop_id), progress, "special_funds")
    _write(session, SpecialPayable, _owned(plan.payables, coop_id), progress, "special_payables")
    _write(session, FiscalYear, _owned(plan.fiscal_years, coop_id), progress, "fiscal_years")
    _write_land(session, plan, coop_id, members, progress)
    session.flush()
    sync_events(session, cooperative)  # the books follow what the workbook brought in (and took out)
    return _close_books(session, cooperative, stored)


def _close_books(session: Session, cooperative: Cooperative, stored: Stored) -> list[Finding]:
    """A year the workbook closes (年度结转 已结账) is closed as every year is: by closing its December in the books,
    which posts its vouchers and carries its result; the months before close with it, in order.

    The voucher carrying in the years before the books is audited by the import: the accountant who brings in
    those years closed accepts the books as they stood (its assumption stays written on its line, and a voucher in
    an open month corrects it). A month that cannot close stops the import with the close's own reasons.
    """
    closed = select(FiscalYear.year).where(
        FiscalYear.cooperative_id == cooperative.id, FiscalYear.state == FiscalYearState.CLOSED
    )
    closing = set(session.scalars(closed)) - stored.closed_years
    if not closing:
        return []
    last = max(closing)
    latest = ledger.latest_closed(session, cooperative)
    if latest is not None and (latest.year, latest.month) >= (last, 12):
        return []
    carried = select(Voucher).where(
        Voucher.cooperative_id == cooperative.id,
        Voucher.source_ref.startswith(CARRIED_PREFIX + ":"),
        Voucher.state == VoucherState.DRAFT,
        Voucher.year <= last,
    )
    for voucher in session.scalars(carried):
        ledger.audit_voucher(session, voucher, by=IMPORTER)
    result = ledger.close_period(session, cooperative, last, 12, by=IMPORTER)
    return [replace(finding, severity=Severity.WARNING) for finding in result.differences]


def _write_cooperative(session: Session, plan: Plan, stored: Stored) -> Cooperative:
    values = plan.cooperative
    township = session.scalar(select(Township).where(Township.name == values["township"]))
    if township is None:
        township = Township(name=values["township"])
        session.add(township)
    village = session.scalar(select(Village).where(Village.township == township, Village.name == values["village"]))
    if village is None:
        village = Village(township=township, name=values["village"])
        session.add(village)
        session.flush()
    branch_id = None
    if values["party_branch"]:
        branch_id = party_branch_id(session, values["party_branch"], village.id)
        if branch_id is None:
            branch = PartyBranch(village_id=village.id, name=values["party_branch"])
            session.add(branch)
            session.flush()
            branch_id = branch.id
    cooperative = stored.cooperative or Cooperative(credit_code=values["credit_code"])
    cooperative.name = values["name"]
    cooperative.village_id = village.id
    cooperative.party_branch_id = branch_id
    for key in ("founded_on", "business_type", "brand", "is_federation"):
        setattr(cooperative, key, values[key])
    cooperative.trade_model = TradeModel(values["trade_model"])
    session.add(cooperative)
    session.flush()
    terms = plan.bylaws
    bylaws = stored.bylaws.get(terms["effective_on"]) or Bylaws(cooperative_id=cooperative.id)
    bylaws.effective_on = terms["effective_on"]
    bylaws.provident_fund_rate = terms["provident_fund_rate"]
    bylaws.patronage_ratio = terms["patronage_ratio"]
    # The plan holds the workbook's values as text; the model's attributes hold the enums themselves.
    bylaws.provident_basis = ProvidentBasis(terms["provident_basis"])
    bylaws.patronage_measure = PatronageMeasure(terms["patronage_measure"])
    bylaws.land_guarantee_treatment = LandGuaranteeTreatment(terms["land_guarantee"])
    bylaws.resolution = terms["resolution"]
    session.add(bylaws)
    session.flush()
    return cooperative


def _write_members(session: Session, plan: Plan, coop_id: int, collective_id: int | None) -> dict[str, int]:
    def resolved(record: Record) -> Record:
        if record["village_collective_id"] == NEW_COLLECTIVE:
            return {**record, "village_collective_id": collective_id}
        return record

    inserts = [{"cooperative_id": coop_id, **resolved(record)} for record in plan.members.inserts]
    if inserts:
        session.execute(insert(Member), inserts)
    _update(session, Member, [resolved(record) for record in plan.members.updates])
    return dict(session.execute(select(Member.code, Member.id).where(Member.cooperative_id == coop_id)).all())


def _write_entries(session: Session, plan: Plan, members: dict[str, int], progress: Progress | None) -> None:
    rows = []
    for entry in plan.entries.inserts:
        code = entry.get("member_code")
        row = {key: value for key, value in entry.items() if key != "member_code"}
        if code is not None:
            row["member_id"] = members[code]
        rows.append(row)
    _write(session, MemberAccountEntry, Changes(inserts=rows), progress, "contributions")


def _write_trades(
    session: Session, plan: Plan, stored: Stored, coop_id: int, members: dict[str, int], progress: Progress | None
) -> None:
    products = dict(stored.products)
    if plan.new_products:
        new = [{"name": name, "default_unit": unit} for name, unit in plan.new_products.items()]
        session.execute(insert(Product), new)
        names = list(plan.new_products)
        products |= dict(session.execute(select(Product.name, Product.id).where(Product.name.in_(names))).all())

    def row(trade: Record) -> Record:
        code = trade["member_code"]
        values = {key: value for key, value in trade.items() if key not in ("member_code", "product")}
        values["member_id"] = None if code is None else members[code]
        values["product_id"] = products[trade["product"]]
        return values

    changes = Changes(
        inserts=[{"cooperative_id": coop_id, **row(trade)} for trade in plan.trades.inserts],
        updates=[row(trade) for trade in plan.trades.updates],
        deletes=plan.trades.deletes,
    )
    plan.trades.inserts.clear()  # the converted rows replace them: one copy of 200,000 tickets is enough
    _write(session, Trade, changes, progress, "transactions")


def _write_land(session: Session, plan: Plan, coop_id: int, members: dict[str, int], progress: Progress | None) -> None:
    def with_member(record: Record) -> Record:
        values = {key: value for key, value in record.items() if key != "member_code"}
        values["member_id"] = members[record["member_code"]]
        return values

    parcels = Changes(
        inserts=[{"cooperative_id": coop_id, **with_member(p)} for p in plan.parcels.inserts],
        updates=[with_member(p) for p in plan.parcels.updates],
    )
    _write(session, LandParcel, parcels, None, "land_shares")
    query = select(LandParcel.code, LandParcel.id).where(LandParcel.cooperative_id == coop_id)
    codes: dict[str, int] = dict(session.execute(query).all())
    shares = Changes(
        inserts=[
            {"parcel_id": codes[s["parcel_code"]], **with_member({k: v for k, v in s.items() if k != "parcel_code"})}
            for s in plan.shares.inserts
        ],
        updates=[with_member(s) for s in plan.shares.updates],
        deletes=plan.shares.deletes,
    )
    _write(session, LandShare, shares, progress, "land_shares")


def _owned(changes: Changes, coop_id: int) -> Changes:
    inserts = [{"cooperative_id": coop_id, **record} for record in changes.inserts]
    return Changes(inserts=inserts, updates=changes.updates, deletes=changes.deletes)


def _write(session: Session, model: type[Base], changes: Changes, progress: Progress | None, stage_key: str) -> None:
    """Delete, update, then insert a table's rows in batches."""
    total = len(changes.deletes) + len(changes.updates) + len(changes.inserts)
    done = 0
    table: Any = model
    for ids in _batches(changes.deletes, 500):
        session.execute(delete(table).where(table.id.in_(ids)))
        done += len(ids)
    for batch in _batches(changes.updates, BATCH):
        _update(session, model, batch)
        done += len(batch)
        _report(progress, stage_key, done, total)
    copy = session.get_bind().dialect.name == "postgresql" and len(changes.inserts) >= COPY_FROM
    core_table: Any = model.__table__
    for batch in _batches(changes.inserts, BATCH):
        if copy:
            _copy(session, core_table, batch)
        else:
            # Core INSERT of the table: the rows are plain column values already, the ORM would only copy them.
            session.execute(insert(core_table), batch)
        done += len(batch)
        _report(progress, stage_key, done, total)


def _update(session: Session, model: type[Base], rows: Sequence[Record]) -> None:
    """UPDATE rows by primary key; a record with a row version gets the next one, and an audited one its version.

    An admin form opened before the import then finds its record changed by someone else (coopcore.db.base).
    """
    if not rows:
        return
    table: Any = model
    ids = [row["id"] for row in rows]
    if inspect(model).version_id_col is not None:
        versions: dict[int, int] = dict(session.execute(select(table.id, table.version).where(table.id.in_(ids))).all())
        rows = [{**row, "version": versions[row["id"]]} for row in rows]
    session.execute(update(model), rows)
    if hasattr(model, "__versioned__"):
        for chunk in _batches(ids, 500):
            write_versions(session, model, table.id.in_(chunk), operation=Operation.UPDATE)


def _copy(session: Session, table: Any, rows: Sequence[Record]) -> None:
    """Send rows with PostgreSQL's COPY, about 2.5 times as fast as multi-row INSERTs through psycopg.

    COPY skips SQLAlchemy's bind processing: the values are already what the columns store (Decimals
    quantized by the reader, enum values as strings), and it runs on the session's own connection, so it
    belongs to the same transaction.
    """
    columns = list(rows[0])
    # INSERT fills Python-side column defaults (memo="", is_poverty_asset=False); COPY must send them itself.
    defaults = {
        column.key: column.default.arg
        for column in table.columns
        if column.key not in columns and column.default is not None and column.default.is_scalar
    }
    connection = session.connection()
    cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
    statement = f"COPY {table.name} ({', '.join([*columns, *defaults])}) FROM STDIN"
    with driver_errors(connection, statement), cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row([*(row[column] for column in columns), *defaults.values()])


def _batches(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _report(progress: Progress | None, stage_key: str, done: int, total: int) -> None:
    if progress is not None:
        progress("write", stage_key, done, total)
