"""Use cases: load from the database, call the pure rules, persist; they flush and never commit."""
