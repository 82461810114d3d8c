"""Opening the SQLite file (WAL, busy timeout) and the schema migrations."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from sqlite_utils import Database

from briefings.errors import ConfigError

BUSY_TIMEOUT_MS = 30_000

def open_database(path: Path | str) -> Database:
    """Open (creating if needed) a database shared safely by the web process and the worker."""
    memory = str(path) == ":memory:"
    where = f"SITREP_DB={path}"
    if not memory:
        target = Path(path)
        if target.is_dir():
            raise ConfigError(f"{where} is a directory — point SITREP_DB at a file in it, "
                              f"such as {target / 'sitrep.db'}")
        if not target.parent.is_dir():
            # never create a directory nobody asked for: a typo would split web and worker
            raise ConfigError(f"{where}: the directory {target.parent} does not exist — "
                              "create it or fix SITREP_DB")
    try:
        conn = sqlite3.connect(
            str(path), timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False,
            isolation_level=None,
        )
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if not memory:
            conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")
        db = Database(conn)
        from briefings.store.schema import adopt_old_records, migrations

        adopt_old_records(db)
        migrations.apply(db)
    except sqlite3.DatabaseError as exc:
        raise ConfigError(f"{where}: cannot use the database ({exc}) — check that the file is "
                          "a Sitrep database and that this user may write to it and its "
                          "directory") from exc
    return db


@contextlib.contextmanager
def transaction(db: Database) -> Iterator[None]:
    """One atomic write. BEGIN IMMEDIATE takes the write lock up front, so a concurrent writer
    waits out the busy timeout instead of failing with "database is locked" on lock upgrade.
    Nested use becomes a savepoint."""
    if db.conn.in_transaction:
        with db.atomic():
            yield
        return
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")
        raise
    db.conn.execute("COMMIT")
