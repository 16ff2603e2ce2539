"""Database plumbing: the declarative base, exact column types, engines and the audit trail."""
