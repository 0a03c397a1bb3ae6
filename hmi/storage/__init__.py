"""SQLite through sqlite-utils: one writer, migrations in PRAGMA user_version.

Empty until the operator records (issue 3) and the tag history (issue 4) land.
"""
