"""closed years in the database and row versions

Three guards that hold whoever writes (issue 12, items 2, 3, 9):
- triggers on every table with a date in a fiscal year refuse inserting, changing or deleting a row of a closed
  year of its cooperative, checking the old and the new row (SQLite RAISE(ABORT), PostgreSQL plpgsql,
  MariaDB SIGNAL SQLSTATE '45000'); on PostgreSQL and MariaDB they lock the fiscal year rows they read (FOR SHARE /
  LOCK IN SHARE MODE), so a year being closed by another transaction is waited for, not read as still open;
- member_account_entry.distribution_id with a unique key (distribution, member, kind): a distribution's entries
  cannot be written twice; an entry is reversed at most once (unique reverses_id);
- a `version` column (optimistic locking) on every record the admin edits.

The trigger message starts with "coop_period_closed" (coopcore.db.errors turns it into PeriodClosed).

Revision ID: 16d8e29af6dc
Revises: 5e55a0c1d2b3
Create Date: 2026-11-26 09:00:00.000000
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '16d8e29af6dc'
down_revision: str | None = '5e55a0c1d2b3'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Every record the admin edits (admin/views/): each gets a row version.
EDITED = (
    'bylaws', 'contract', 'cooperative', 'delivery', 'enterprise', 'funding_line', 'improvement_plan', 'income_expense',
    'land_parcel', 'land_share', 'member', 'milestone', 'party_branch', 'product', 'progress_entry', 'project',
    'special_fund', 'township', 'trade', 'user', 'village', 'village_collective', 'village_income',
    'weak_village_threshold',
)
# The tables with a date in a fiscal year (coopcore.models.period_guard.DATED): the date column, and how a row
# `r` reaches its cooperative.
DATED = {
    'trade': ('traded_on', 'r.cooperative_id'),
    'income_expense': ('recorded_on', 'r.cooperative_id'),
    'special_fund': ('received_on', 'r.cooperative_id'),
    'member_account_entry': ('entry_on', '(SELECT m.cooperative_id FROM member m WHERE m.id = r.member_id)'),
}
EVENTS = {'ins': 'INSERT', 'upd': 'UPDATE', 'del': 'DELETE'}
MESSAGE = 'coop_period_closed'


def upgrade() -> None:
    for table in EDITED:
        op.add_column(table, sa.Column('version', sa.Integer(), server_default=sa.text('1'), nullable=False))
    with op.batch_alter_table('member_account_entry') as batch:
        batch.add_column(sa.Column('distribution_id', sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f('fk_member_account_entry_distribution_id_distribution'), 'distribution', ['distribution_id'], ['id']
        )
        batch.create_unique_constraint(
            op.f('uq_member_account_entry_distribution_id_member_id_kind'), ['distribution_id', 'member_id', 'kind']
        )
        batch.create_unique_constraint(op.f('uq_member_account_entry_reverses_id'), ['reverses_id'])
        batch.create_check_constraint(
            op.f('ck_member_account_entry_reversal_or_distribution'), 'distribution_id IS NULL OR reverses_id IS NULL'
        )
    # Last: rebuilding a SQLite table (batch mode above) would drop its triggers.
    dialect = op.get_bind().dialect.name
    create = {'sqlite': _sqlite_triggers, 'postgresql': _postgresql_triggers, 'mysql': _mariadb_triggers}[dialect]
    for statement in create():
        op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for table in DATED:
        for suffix in EVENTS:
            if dialect == 'postgresql':
                op.execute(f'DROP TRIGGER IF EXISTS coop_closed_year_{table}_{suffix} ON {table}')
            else:
                op.execute(f'DROP TRIGGER IF EXISTS coop_closed_year_{table}_{suffix}')
        if dialect == 'postgresql':
            op.execute(f'DROP FUNCTION IF EXISTS coop_closed_year_{table}()')
    if dialect == 'mysql':
        op.execute('DROP PROCEDURE IF EXISTS coop_refuse_closed_year')
    # MariaDB lets a foreign key use a unique key as its index: drop the keys first, then restore reverses_id's.
    reverses_fk = op.f('fk_member_account_entry_reverses_id_member_account_entry')
    with op.batch_alter_table('member_account_entry') as batch:
        batch.drop_constraint(op.f('ck_member_account_entry_reversal_or_distribution'), type_='check')
        batch.drop_constraint(op.f('fk_member_account_entry_distribution_id_distribution'), type_='foreignkey')
        if dialect == 'mysql':
            batch.drop_constraint(reverses_fk, type_='foreignkey')
        batch.drop_constraint(op.f('uq_member_account_entry_reverses_id'), type_='unique')
        batch.drop_constraint(op.f('uq_member_account_entry_distribution_id_member_id_kind'), type_='unique')
        batch.drop_column('distribution_id')
    if dialect == 'mysql':
        op.create_foreign_key(reverses_fk, 'member_account_entry', 'member_account_entry', ['reverses_id'], ['id'])
    for table in EDITED:
        op.drop_column(table, 'version')


def _sqlite_triggers() -> list[str]:
    # SQLite's RAISE takes only a literal: the message cannot name the year (coopcore.db.errors says so).
    def closed(row: str, table: str) -> str:
        day, cooperative = DATED[table]
        return (
            f"EXISTS (SELECT 1 FROM fiscal_year f WHERE f.state = 'closed'"
            f" AND f.cooperative_id = {cooperative.replace('r.', row + '.')}"
            f" AND f.year = CAST(strftime('%Y', {row}.{day}) AS INTEGER))"
        )

    statements = []
    for table in DATED:
        conditions = {'ins': closed('NEW', table), 'upd': f"{closed('OLD', table)} OR {closed('NEW', table)}",
                      'del': closed('OLD', table)}
        for suffix, event in EVENTS.items():
            statements.append(
                f'CREATE TRIGGER coop_closed_year_{table}_{suffix} BEFORE {event} ON {table} '
                f'WHEN {conditions[suffix]} '
                f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
            )
    return statements


def _postgresql_triggers() -> list[str]:
    # Statement-level triggers over the transition tables: one check per statement, also for COPY.
    def check(rows: str, table: str) -> str:
        day, cooperative = DATED[table]
        touched = (
            f'SELECT DISTINCT {cooperative} AS cooperative_id, extract(year FROM r.{day})::integer AS year'
            f' FROM {rows} r'
        )
        return f"""
        -- Wait for any transaction that is closing one of these years, then read the state it left.
        PERFORM 1 FROM fiscal_year f WHERE (f.cooperative_id, f.year) IN ({touched}) ORDER BY f.id FOR SHARE;
        SELECT f.year, c.name INTO closed FROM fiscal_year f JOIN cooperative c ON c.id = f.cooperative_id
         WHERE f.state = 'closed' AND (f.cooperative_id, f.year) IN ({touched}) ORDER BY f.year LIMIT 1;
        IF FOUND THEN
            RAISE EXCEPTION '{MESSAGE}:%:%', closed.year, closed.name USING ERRCODE = 'check_violation';
        END IF;"""

    statements = []
    for table in DATED:
        statements.append(f"""
CREATE FUNCTION coop_closed_year_{table}() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    closed record;
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN{check('old_rows', table)}
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN{check('new_rows', table)}
    END IF;
    RETURN NULL;
END
$$""")
        transition = {'ins': 'NEW TABLE AS new_rows', 'upd': 'OLD TABLE AS old_rows NEW TABLE AS new_rows',
                      'del': 'OLD TABLE AS old_rows'}
        for suffix, event in EVENTS.items():
            statements.append(
                f'CREATE TRIGGER coop_closed_year_{table}_{suffix} AFTER {event} ON {table} '
                f'REFERENCING {transition[suffix]} FOR EACH STATEMENT EXECUTE FUNCTION coop_closed_year_{table}()'
            )
    return statements


def _mariadb_triggers() -> list[str]:
    statements = [f"""
CREATE PROCEDURE coop_refuse_closed_year(IN coop INTEGER, IN day DATE)
BEGIN
    DECLARE found_state VARCHAR(32) DEFAULT NULL;
    DECLARE found_name VARCHAR(100) DEFAULT '';
    DECLARE message VARCHAR(128);
    DECLARE CONTINUE HANDLER FOR NOT FOUND SET found_state = NULL;
    IF coop IS NOT NULL AND day IS NOT NULL THEN
        -- A locking read: waits for a transaction closing the year, and reads past a stale snapshot.
        SELECT state INTO found_state FROM fiscal_year
         WHERE cooperative_id = coop AND year = YEAR(day) LOCK IN SHARE MODE;
        IF found_state = 'closed' THEN
            SELECT name INTO found_name FROM cooperative WHERE id = coop;
            SET message = CONCAT('{MESSAGE}:', YEAR(day), ':', LEFT(found_name, 100));
            SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = message;
        END IF;
    END IF;
END"""]
    for table in DATED:
        day, cooperative = DATED[table]

        def call(row: str) -> str:
            return f"CALL coop_refuse_closed_year({cooperative.replace('r.', row + '.')}, {row}.{day});"  # noqa: B023

        bodies = {'ins': call('NEW'), 'upd': f"{call('OLD')} {call('NEW')}", 'del': call('OLD')}
        for suffix, event in EVENTS.items():
            statements.append(
                f'CREATE TRIGGER coop_closed_year_{table}_{suffix} BEFORE {event} ON {table} '
                f'FOR EACH ROW BEGIN {bodies[suffix]} END'
            )
    return statements
