"""The two database backends behind the store, and the few statements written per backend.

`Database` is what every store mixin talks to: `execute` (a `Result` with rows and rowcount),
`executemany`, `query` (rows as dicts) and `transaction()`, all with `?` placeholders. SQL in the
mixins is the subset both engines speak (`insert … on conflict … do nothing / do update`,
`is not distinct from`, `rowid` — a real column on PostgreSQL); what differs (full text search,
the lock that orders story marks) is a method here.

- SQLite (`SITREP_DB` a file): one connection in WAL mode with a busy timeout, shared by the
  process's threads; migrations by sqlite_utils (briefings/store/schema.py).
- PostgreSQL (`SITREP_DB=postgresql://…`): a psycopg 3 connection pool; a transaction pins one
  connection to its thread. Migrations in briefings/store/schema_pg.py.
"""

from __future__ import annotations

import contextlib
import functools
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from briefings.database_url import is_server_url, without_password
from briefings.errors import ConfigError

BUSY_TIMEOUT_MS = 30_000
POOL_SIZE = 8  # connections per process (the web process's listener threads share them)
CONNECT_TIMEOUT_S = 10
PING_TIMEOUT_S = 3  # /healthz answers within this even when the server is gone


@dataclass(slots=True)
class Result:
    """What a statement gave: its rows (all fetched) and how many rows it changed."""

    rows: list[tuple] = field(default_factory=list)
    rowcount: int = 0

    def fetchone(self) -> tuple | None:
        return self.rows[0] if self.rows else None

    def fetchall(self) -> list[tuple]:
        return self.rows

    def __iter__(self) -> Iterator[tuple]:
        return iter(self.rows)


class Database:
    """One backend's connection(s). Subclasses implement the primitives."""

    dialect = ""
    location = ""

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Result:
        raise NotImplementedError

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        raise NotImplementedError

    def query(self, sql: str, params: Sequence[Any] = ()) -> Iterator[dict]:
        raise NotImplementedError

    def transaction(self) -> contextlib.AbstractContextManager[None]:
        raise NotImplementedError

    def load(self, table: str, rows: Sequence[dict]) -> None:
        """Bulk-insert new rows (all with the first row's columns), as fast as the backend
        can: for archives and benchmark databases."""
        insert_many(self, table, rows)

    def exclusive(self, name: str) -> None:
        """Inside a transaction: hold the lock `name` until it ends, so two processes doing the
        same thing take turns. SQLite's writers always take turns (BEGIN IMMEDIATE); on
        PostgreSQL it is an advisory lock. "stories" makes story marks (rowids) commit in order,
        so a window "after mark N" never misses a story that committed late with a lower mark."""

    def search(self, match: str, limit: int) -> list[int]:
        """The rowids of the `limit` newest stories matching `match` (a safe expression of
        quoted phrases joined by OR, see briefings.queries.fts_query), newest first."""
        raise NotImplementedError

    def ping(self) -> None:
        """Raise unless the database answers within a few seconds."""
        self.execute("select 1")

    def schema_version(self) -> str:
        """The newest migration applied."""
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError


def open_database(location: Path | str) -> Database:
    """Open (creating and migrating if needed) the database at SITREP_DB."""
    if is_server_url(location):
        return PostgresDatabase(location)
    return SqliteDatabase(location)


@contextlib.contextmanager
def transaction(db: Database) -> Iterator[None]:
    """One atomic write; nested use becomes a savepoint."""
    with db.transaction():
        yield


def insert(db: Database, table: str, row: dict, *, on_conflict: str = "",
           update: Sequence[str] = ()) -> int:
    """Insert one row; `on_conflict` names the key columns ("id", "channel, topic_key"): with
    `update` their row gets those columns' new values, without it the row is left as it was.
    Returns how many rows were written (0: the key existed and nothing was updated)."""
    columns = list(row)
    sql = _insert_sql(table, columns, on_conflict, update)
    return db.execute(sql, [row[c] for c in columns]).rowcount


def upsert(db: Database, table: str, row: dict, key: str) -> int:
    """Insert `row`, or update the given columns of the row with its `key`."""
    return insert(db, table, row, on_conflict=key, update=[c for c in row if c != key])


def insert_many(db: Database, table: str, rows: Iterable[dict], *,
                on_conflict: str = "") -> None:
    """Insert rows (all with the first row's columns); with `on_conflict`, existing keys are
    skipped."""
    rows = list(rows)
    if not rows:
        return
    columns = list(rows[0])
    db.executemany(_insert_sql(table, columns, on_conflict),
                   [[row[c] for c in columns] for row in rows])


def _insert_sql(table: str, columns: Sequence[str], on_conflict: str = "",
                update: Sequence[str] = ()) -> str:
    sql = (f"insert into {table} ({', '.join(columns)}) "
           f"values ({', '.join('?' * len(columns))})")
    if on_conflict:
        changes = ", ".join(f"{c} = excluded.{c}" for c in update)
        sql += (f" on conflict ({on_conflict}) do update set {changes}" if update
                else f" on conflict ({on_conflict}) do nothing")
    return sql


def update(db: Database, table: str, key: tuple[str, Any], values: dict) -> int:
    """Set `values` on the row whose `key` column (name, value) matches."""
    sets = ", ".join(f"{column} = ?" for column in values)
    return db.execute(f"update {table} set {sets} where {key[0]} = ?",
                      [*values.values(), key[1]]).rowcount


# --- SQLite --------------------------------------------------------------------------------------

class SqliteDatabase(Database):
    dialect = "sqlite"

    def __init__(self, path: Path | str) -> None:
        self.location = str(path)
        memory = self.location == ":memory:"
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
            self.conn = sqlite3.connect(
                self.location, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False,
                isolation_level=None,
            )
            self.conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            if not memory:
                self.conn.execute("PRAGMA journal_mode = WAL")
            self.conn.execute("PRAGMA synchronous = NORMAL")
            self.conn.execute("PRAGMA foreign_keys = ON")
            from sqlite_utils import Database as Migrated

            from briefings.store.schema import adopt_old_records, migrations

            migrated = Migrated(self.conn)
            adopt_old_records(migrated)
            migrations.apply(migrated)
        except sqlite3.DatabaseError as exc:
            raise ConfigError(f"{where}: cannot use the database ({exc}) — check that the file "
                              "is a Sitrep database and that this user may write to it and its "
                              "directory") from exc

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Result:
        cursor = self.conn.execute(sql, params)
        rows = cursor.fetchall() if cursor.description else []
        return Result(rows, cursor.rowcount)

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        self.conn.executemany(sql, rows)

    def query(self, sql: str, params: Sequence[Any] = ()) -> Iterator[dict]:
        cursor = self.conn.execute(sql, params)
        names = [d[0] for d in cursor.description]
        for row in cursor:
            yield dict(zip(names, row, strict=True))

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """BEGIN IMMEDIATE takes the write lock up front, so a concurrent writer waits out the
        busy timeout instead of failing with "database is locked" on lock upgrade."""
        if self.conn.in_transaction:
            self.conn.execute("SAVEPOINT nested")
            try:
                yield
            except BaseException:
                self.conn.execute("ROLLBACK TO nested")
                self.conn.execute("RELEASE nested")
                raise
            self.conn.execute("RELEASE nested")
            return
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def schema_version(self) -> str:
        row = self.execute("select name from _sqlite_migrations where migration_set = 'sitrep' "
                           "order by rowid desc limit 1").fetchone()
        return row[0] if row else "none"

    def search(self, match: str, limit: int) -> list[int]:
        # FTS5 walks its rowids backwards without scoring every match, so a topic named in
        # half a million stories costs no more than a rare one
        return [row[0] for row in self.execute(
            "select rowid from stories_fts where stories_fts match ? order by rowid desc limit ?",
            [match, limit])]

    def close(self) -> None:
        self.conn.close()


# --- PostgreSQL ----------------------------------------------------------------------------------

def _reason(exc: Exception) -> str:
    """libpq's error in one line: the server's FATAL message, else what failed."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    for marker in ("FATAL:", "failed:"):
        for line in lines:
            if marker in line:
                return line.rsplit(marker, 1)[1].strip()
    return lines[0] if lines else type(exc).__name__


@functools.lru_cache(maxsize=2048)
def _pg_sql(sql: str) -> str:
    """Our `?` placeholders as psycopg's `%s` (a literal % doubled first)."""
    return sql.replace("%", "%%").replace("?", "%s")


class PostgresDatabase(Database):
    dialect = "postgresql"

    def __init__(self, url: str) -> None:
        import psycopg
        from psycopg_pool import ConnectionPool

        self.location = without_password(url)
        self._local = threading.local()
        # JIT compiles any query whose estimate looks big — ours are LIMITed index reads,
        # where compiling costs ten times the query
        options = {"autocommit": True, "connect_timeout": CONNECT_TIMEOUT_S,
                   "options": "-c jit=off"}
        try:
            # one plain connection first: a wrong host, database or password is said at once,
            # in the server's words, instead of after the pool's retries
            psycopg.connect(url, **options).close()
        except psycopg.Error as exc:
            raise ConfigError(f"SITREP_DB={self.location}: cannot connect ({_reason(exc)}) — check "
                              "that the PostgreSQL server is up, the database exists and the "
                              "user and password are right") from exc
        try:
            self.pool = ConnectionPool(
                url, min_size=1, max_size=POOL_SIZE, open=True, timeout=CONNECT_TIMEOUT_S,
                kwargs=options, name="sitrep",
            )
            self.pool.wait(timeout=CONNECT_TIMEOUT_S)
            from briefings.store.schema_pg import migrate

            migrate(self)
        except ConfigError:
            raise
        except (psycopg.Error, OSError, RuntimeError) as exc:  # the pool's timeout included
            if hasattr(self, "pool"):
                self.pool.close()
            raise ConfigError(f"SITREP_DB={self.location}: cannot use the database ({exc}) — "
                              "check that the PostgreSQL server is up, the database exists and "
                              "this user may create tables in it") from exc

    @contextlib.contextmanager
    def _connection(self) -> Iterator[Any]:
        pinned = getattr(self._local, "conn", None)
        if pinned is not None:
            yield pinned
            return
        with self.pool.connection() as conn:
            yield conn

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Result:
        with self._connection() as conn:
            cursor = conn.execute(_pg_sql(sql), params)
            rows = cursor.fetchall() if cursor.description else []
            return Result(rows, cursor.rowcount)

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        rows = list(rows)
        if not rows:
            return
        with self._connection() as conn, conn.cursor() as cursor:
            cursor.executemany(_pg_sql(sql), rows)

    def query(self, sql: str, params: Sequence[Any] = ()) -> Iterator[dict]:
        with self._connection() as conn, conn.cursor() as cursor:
            cursor.execute(_pg_sql(sql), params)
            names = [d.name for d in cursor.description]
            rows = cursor.fetchall()
        for row in rows:
            yield dict(zip(names, row, strict=True))

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        pinned = getattr(self._local, "conn", None)
        if pinned is not None:
            with pinned.transaction():
                yield
            return
        with self.pool.connection() as conn:
            self._local.conn = conn
            try:
                with conn.transaction():
                    yield
            finally:
                self._local.conn = None

    def load(self, table: str, rows: Sequence[dict]) -> None:
        if not rows:
            return
        columns = list(rows[0])
        with self._connection() as conn, conn.cursor() as cursor, cursor.copy(
            f"copy {table} ({', '.join(columns)}) from stdin"
        ) as copy:
            for row in rows:
                copy.write_row([row[c] for c in columns])

    def exclusive(self, name: str) -> None:
        # (for "stories": sequence values are handed out at insert, not at commit)
        self.execute("select pg_advisory_xact_lock(hashtext(?))", [f"sitrep:{name}"])

    def search(self, match: str, limit: int) -> list[int]:
        # Walking the newest stories backwards finds a frequent topic's matches at once, but
        # reads the whole table for a rare one; the GIN index finds a rare topic's few matches
        # at once, but every match of a frequent one. So: the newest RECENT_SCAN stories
        # first, and the index only when they hold too few.
        query = "websearch_to_tsquery('simple', sitrep_unaccent(?))"
        rows = self.execute(
            f"select rowid from (select rowid, search from stories order by rowid desc "
            f"limit ?) recent where search @@ {query} order by rowid desc limit ?",
            [RECENT_SCAN, match, limit]).rows
        if len(rows) < limit:
            rows = self.execute(
                f"with matched as materialized (select rowid from stories "
                f"where search @@ {query}) "
                f"select rowid from matched order by rowid desc limit ?", [match, limit]).rows
        return [row[0] for row in rows]

    def ping(self) -> None:
        with self.pool.connection(timeout=PING_TIMEOUT_S) as conn:
            conn.execute("select 1")

    def schema_version(self) -> str:
        from briefings.store.schema_pg import version

        return version(self)

    def close(self) -> None:
        self.pool.close()


RECENT_SCAN = 20_000  # newest stories searched row by row before the index is asked
