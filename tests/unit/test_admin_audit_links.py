"""Every many-to-many table that SQLAlchemy-Continuum versions has a place in the admin's audit log (no database)."""

from __future__ import annotations

from sqlalchemy_continuum import versioning_manager

from admin.views.audit import LINKS


def test_every_many_to_many_table_continuum_versions_has_a_place_in_the_audit_log() -> None:
    kept = {table.name for table in versioning_manager.association_version_tables}
    assert kept == {f"{name}_version" for name in LINKS}
