"""the books: database guards of vouchers and periods, and the cooperative's two ledger settings (issue 15)

- cooperative.ledger_single_person: one person may prepare and audit the same voucher (a small cooperative
  with one accountant); the printed voucher then says so. Off by default: the auditor is another person.
- cooperative.ledger_review_events: vouchers booked from business events wait for an accountant's audit before
  they are posted (at the latest by the month's close). Off by default: they are posted by the close.
- triggers on voucher and voucher_line, whoever writes (SQLite RAISE(ABORT), PostgreSQL plpgsql, MariaDB SIGNAL
  SQLSTATE '45000'), in the pattern of 16d8e29af6dc:
  * nothing is inserted, changed or deleted in a closed period, old and new row checked: a month is closed when
    it or a later month of the cooperative has ledger_period.state = 'closed' (months close in order, so a
    month before the first one closed, which has no row, is closed too); on PostgreSQL and MariaDB the period
    rows are read with a share lock, so a close in progress in another transaction is waited for, not read as
    still open;
  * a posted voucher never changes: its lines are neither inserted, changed nor deleted, the voucher is not
    deleted, and of its own columns only `number` (its place in an open month, closed up when a draft before
    it is deleted or moved) and the row `version` may change; a voucher is never inserted as posted;
  * a voucher becomes posted only with at least two lines whose debits equal its credits;
  * a line carries the cooperative, year and month of its voucher.
  The messages start with "coop_ledger_period_closed", "coop_voucher_posted", "coop_voucher_unbalanced" and
  "coop_voucher_line_mismatch" (coopcore.db.errors turns them into coopcore's errors).

No table is rebuilt in SQLite batch mode, so the closed-year triggers of 16d8e29af6dc stay as they are.

Revision ID: 9ebc1ea3f4b6
Revises: e788321a048e
Create Date: 2026-12-06 09:00:00.000000
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '9ebc1ea3f4b6'
down_revision: str | None = 'e788321a048e'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SETTINGS = ('ledger_single_person', 'ledger_review_events')
CLOSED = 'coop_ledger_period_closed'
POSTED = 'coop_voucher_posted'
UNBALANCED = 'coop_voucher_unbalanced'
MISMATCH = 'coop_voucher_line_mismatch'
# The columns of a posted voucher that never change (number and version may: see above).
FIXED = ('cooperative_id', 'year', 'month', 'word', 'voucher_date', 'summary', 'attachments', 'state',
         'prepared_by', 'audited_by', 'posted_by', 'posted_at', 'origin', 'source_ref', 'reverses_id')
EVENTS = {'ins': 'INSERT', 'upd': 'UPDATE', 'del': 'DELETE'}
TABLES = ('voucher', 'voucher_line')


def upgrade() -> None:
    for column in SETTINGS:
        op.add_column('cooperative', sa.Column(column, sa.Boolean(), server_default=sa.false(), nullable=False))
        op.add_column('cooperative_version', sa.Column(column, sa.Boolean(), autoincrement=False, nullable=True))
    dialect = op.get_bind().dialect.name
    create = {'sqlite': _sqlite_triggers, 'postgresql': _postgresql_triggers, 'mysql': _mariadb_triggers}[dialect]
    for statement in create():
        op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for table in TABLES:
        for suffix in EVENTS:
            if dialect == 'postgresql':
                op.execute(f'DROP TRIGGER IF EXISTS coop_ledger_{table}_{suffix} ON {table}')
            else:
                op.execute(f'DROP TRIGGER IF EXISTS coop_ledger_{table}_{suffix}')
    if dialect == 'postgresql':
        for function in ('coop_ledger_voucher()', 'coop_ledger_voucher_line()',
                         'coop_ledger_refuse_closed(integer, integer, integer)'):
            op.execute(f'DROP FUNCTION IF EXISTS {function}')
    if dialect == 'mysql':
        op.execute('DROP PROCEDURE IF EXISTS coop_ledger_refuse_closed')
    for column in SETTINGS:
        op.drop_column('cooperative_version', column)
        op.drop_column('cooperative', column)


# ----- SQLite ------------------------------------------------------------------------------------------------
def _sqlite_triggers() -> list[str]:
    # SQLite's RAISE takes only a literal: the message cannot name the period (coopcore.db.errors says so).
    def closed(row: str) -> str:
        return (f"EXISTS (SELECT 1 FROM ledger_period p WHERE p.state = 'closed' AND p.cooperative_id = "
                f"{row}.cooperative_id AND (p.year > {row}.year OR (p.year = {row}.year AND p.month >= {row}.month)))")

    def posted(voucher_id: str) -> str:
        return f"EXISTS (SELECT 1 FROM voucher v WHERE v.id = {voucher_id} AND v.state = 'posted')"

    def refuse(message: str, condition: str) -> str:
        return f"SELECT RAISE(ABORT, '{message}') WHERE {condition};"

    changed = ' OR '.join(f'NEW.{column} IS NOT OLD.{column}' for column in FIXED)
    mismatch = ("NOT EXISTS (SELECT 1 FROM voucher v WHERE v.id = NEW.voucher_id AND v.cooperative_id = "
                "NEW.cooperative_id AND v.year = NEW.year AND v.month = NEW.month)")
    unbalanced = ("(SELECT count(*) FROM voucher_line l WHERE l.voucher_id = NEW.id) < 2 OR (SELECT "
                  "coalesce(sum(l.debit), 0) - coalesce(sum(l.credit), 0) FROM voucher_line l WHERE l.voucher_id = "
                  "NEW.id) <> 0")
    bodies = {
        ('voucher', 'ins'): [refuse(CLOSED, closed('NEW')), refuse(POSTED, "NEW.state = 'posted'")],
        ('voucher', 'upd'): [
            refuse(CLOSED, f"{closed('OLD')} OR {closed('NEW')}"),
            refuse(POSTED, f"OLD.state = 'posted' AND ({changed})"),
            refuse(UNBALANCED, f"NEW.state = 'posted' AND OLD.state <> 'posted' AND ({unbalanced})"),
        ],
        ('voucher', 'del'): [refuse(CLOSED, closed('OLD')), refuse(POSTED, "OLD.state = 'posted'")],
        ('voucher_line', 'ins'): [
            refuse(CLOSED, closed('NEW')), refuse(POSTED, posted('NEW.voucher_id')), refuse(MISMATCH, mismatch),
        ],
        ('voucher_line', 'upd'): [
            refuse(CLOSED, f"{closed('OLD')} OR {closed('NEW')}"),
            refuse(POSTED, f"{posted('OLD.voucher_id')} OR {posted('NEW.voucher_id')}"),
            refuse(MISMATCH, mismatch),
        ],
        ('voucher_line', 'del'): [refuse(CLOSED, closed('OLD')), refuse(POSTED, posted('OLD.voucher_id'))],
    }
    return [
        f"CREATE TRIGGER coop_ledger_{table}_{suffix} BEFORE {EVENTS[suffix]} ON {table} "
        f"BEGIN {' '.join(statements)} END"
        for (table, suffix), statements in bodies.items()
    ]


# ----- PostgreSQL --------------------------------------------------------------------------------------------
def _postgresql_triggers() -> list[str]:
    refuse_closed = f"""
CREATE FUNCTION coop_ledger_refuse_closed(coop integer, in_year integer, in_month integer) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    closed record;
BEGIN
    -- Wait for any transaction that is closing this period, then read the state it left.
    PERFORM 1 FROM ledger_period p WHERE p.cooperative_id = coop AND (p.year, p.month) >= (in_year, in_month)
      ORDER BY p.id FOR SHARE;
    SELECT c.name INTO closed FROM ledger_period p JOIN cooperative c ON c.id = p.cooperative_id
     WHERE p.state = 'closed' AND p.cooperative_id = coop AND (p.year, p.month) >= (in_year, in_month) LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION '{CLOSED}:%:%:%', in_year, in_month, closed.name USING ERRCODE = 'check_violation';
    END IF;
END
$$"""
    fixed = ', '.join(FIXED)
    old_fixed = ', '.join(f'OLD.{column}' for column in FIXED)
    new_fixed = ', '.join(f'NEW.{column}' for column in FIXED)
    voucher = f"""
CREATE FUNCTION coop_ledger_voucher() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    totals record;
BEGIN
    -- The fixed columns of a posted voucher: {fixed}.
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM coop_ledger_refuse_closed(OLD.cooperative_id, OLD.year, OLD.month);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM coop_ledger_refuse_closed(NEW.cooperative_id, NEW.year, NEW.month);
    END IF;
    IF (TG_OP = 'INSERT' AND NEW.state = 'posted') OR (TG_OP = 'DELETE' AND OLD.state = 'posted')
       OR (TG_OP = 'UPDATE' AND OLD.state = 'posted' AND ROW({old_fixed}) IS DISTINCT FROM ROW({new_fixed})) THEN
        RAISE EXCEPTION '{POSTED}' USING ERRCODE = 'check_violation';
    END IF;
    IF TG_OP = 'UPDATE' AND NEW.state = 'posted' AND OLD.state <> 'posted' THEN
        SELECT count(*) AS lines, coalesce(sum(debit), 0) AS debit, coalesce(sum(credit), 0) AS credit INTO totals
          FROM voucher_line WHERE voucher_id = NEW.id;
        IF totals.lines < 2 OR totals.debit <> totals.credit THEN
            RAISE EXCEPTION '{UNBALANCED}' USING ERRCODE = 'check_violation';
        END IF;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END
$$"""

    # Lines: statement-level over the transition tables, one check per statement (also for COPY).
    def check(rows: str) -> str:
        return f"""
        PERFORM coop_ledger_refuse_closed(t.cooperative_id, t.year, t.month)
           FROM (SELECT DISTINCT cooperative_id, year, month FROM {rows} ORDER BY 1, 2, 3) t;
        IF EXISTS (SELECT 1 FROM {rows} r JOIN voucher v ON v.id = r.voucher_id WHERE v.state = 'posted') THEN
            RAISE EXCEPTION '{POSTED}' USING ERRCODE = 'check_violation';
        END IF;"""

    line = f"""
CREATE FUNCTION coop_ledger_voucher_line() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN{check('old_rows')}
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN{check('new_rows')}
        IF EXISTS (SELECT 1 FROM new_rows r JOIN voucher v ON v.id = r.voucher_id
                    WHERE (v.cooperative_id, v.year, v.month) <> (r.cooperative_id, r.year, r.month)) THEN
            RAISE EXCEPTION '{MISMATCH}' USING ERRCODE = 'check_violation';
        END IF;
    END IF;
    RETURN NULL;
END
$$"""
    statements = [refuse_closed, voucher, line]
    for suffix, event in EVENTS.items():
        statements.append(
            f'CREATE TRIGGER coop_ledger_voucher_{suffix} BEFORE {event} ON voucher '
            f'FOR EACH ROW EXECUTE FUNCTION coop_ledger_voucher()'
        )
    transition = {'ins': 'NEW TABLE AS new_rows', 'upd': 'OLD TABLE AS old_rows NEW TABLE AS new_rows',
                  'del': 'OLD TABLE AS old_rows'}
    for suffix, event in EVENTS.items():
        statements.append(
            f'CREATE TRIGGER coop_ledger_voucher_line_{suffix} AFTER {event} ON voucher_line '
            f'REFERENCING {transition[suffix]} FOR EACH STATEMENT EXECUTE FUNCTION coop_ledger_voucher_line()'
        )
    return statements


# ----- MariaDB -----------------------------------------------------------------------------------------------
def _mariadb_triggers() -> list[str]:
    procedure = f"""
CREATE PROCEDURE coop_ledger_refuse_closed(IN coop INTEGER, IN in_year INTEGER, IN in_month INTEGER)
BEGIN
    DECLARE found_state VARCHAR(32) DEFAULT NULL;
    DECLARE found_name VARCHAR(100) DEFAULT '';
    DECLARE message VARCHAR(128);
    DECLARE CONTINUE HANDLER FOR NOT FOUND SET found_state = NULL;
    -- A locking read: waits for a transaction closing the period, and reads past a stale snapshot.
    SELECT state INTO found_state FROM ledger_period
     WHERE cooperative_id = coop AND (year > in_year OR (year = in_year AND month >= in_month))
     ORDER BY state = 'closed' DESC LIMIT 1 LOCK IN SHARE MODE;
    IF found_state = 'closed' THEN
        SELECT name INTO found_name FROM cooperative WHERE id = coop;
        SET message = CONCAT('{CLOSED}:', in_year, ':', in_month, ':', LEFT(found_name, 80));
        SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = message;
    END IF;
END"""

    def signal(message: str, condition: str) -> str:
        return f"IF {condition} THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = '{message}'; END IF;"

    def closed(row: str) -> str:
        return f'CALL coop_ledger_refuse_closed({row}.cooperative_id, {row}.year, {row}.month);'

    def posted(voucher_id: str) -> str:
        return f"EXISTS (SELECT 1 FROM voucher v WHERE v.id = {voucher_id} AND v.state = 'posted')"

    changed = ' OR '.join(f'NOT (NEW.{column} <=> OLD.{column})' for column in FIXED)
    mismatch = ("NOT EXISTS (SELECT 1 FROM voucher v WHERE v.id = NEW.voucher_id AND v.cooperative_id = "
                "NEW.cooperative_id AND v.year = NEW.year AND v.month = NEW.month)")
    unbalanced = ("(SELECT count(*) FROM voucher_line l WHERE l.voucher_id = NEW.id) < 2 OR (SELECT "
                  "coalesce(sum(l.debit), 0) - coalesce(sum(l.credit), 0) FROM voucher_line l WHERE l.voucher_id = "
                  "NEW.id) <> 0")
    bodies = {
        ('voucher', 'ins'): [closed('NEW'), signal(POSTED, "NEW.state = 'posted'")],
        ('voucher', 'upd'): [
            closed('OLD'), closed('NEW'),
            signal(POSTED, f"OLD.state = 'posted' AND ({changed})"),
            signal(UNBALANCED, f"NEW.state = 'posted' AND OLD.state <> 'posted' AND ({unbalanced})"),
        ],
        ('voucher', 'del'): [closed('OLD'), signal(POSTED, "OLD.state = 'posted'")],
        ('voucher_line', 'ins'): [closed('NEW'), signal(POSTED, posted('NEW.voucher_id')), signal(MISMATCH, mismatch)],
        ('voucher_line', 'upd'): [
            closed('OLD'), closed('NEW'),
            signal(POSTED, f"{posted('OLD.voucher_id')} OR {posted('NEW.voucher_id')}"),
            signal(MISMATCH, mismatch),
        ],
        ('voucher_line', 'del'): [closed('OLD'), signal(POSTED, posted('OLD.voucher_id'))],
    }
    return [procedure] + [
        f"CREATE TRIGGER coop_ledger_{table}_{suffix} BEFORE {EVENTS[suffix]} ON {table} "
        f"FOR EACH ROW BEGIN {' '.join(statements)} END"
        for (table, suffix), statements in bodies.items()
    ]
