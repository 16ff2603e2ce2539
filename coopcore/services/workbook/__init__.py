"""The accountants' workbook: sheet definitions, reading, checking, writing to the database, export and template."""
