"""Opening the SQLite file (WAL, busy timeout) and the schema migrations."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from briefings.errors import ConfigError

BUSY_TIMEOUT_MS = 30_000

migrations = Migrations("sitrep")


def open_database(path: Path | str, migration_sets: list[Migrations]) -> Database:
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
        for migration_set in migration_sets:
            migration_set.apply(db)
    except sqlite3.DatabaseError as exc:
        raise ConfigError(f"{where}: cannot use the database ({exc}) — check that the file is "
                          "a Sitrep database and that this user may write to it and its "
                          "directory") from exc
    return db


@migrations()
def m001_sources_and_stories(db: Database) -> None:
    db["sources"].create(
        {
            "id": str, "name": str, "url": str, "outlet": str, "title": str,
            "interval_minutes": int, "etag": str, "last_modified": str,
            "last_polled": str, "last_success": str, "last_error": str, "last_error_at": str,
            "failures": int, "backoff_until": str, "items": int, "stories": int,
        },
        pk="id",
        defaults={"failures": 0, "items": 0, "stories": 0},
    )
    db["stories"].create(
        {
            "id": str, "source_id": str, "outlet": str, "title": str, "url": str, "guid": str,
            "published": str, "fetched": str, "summary": str, "text": str,
            "text_origin": str, "text_note": str, "cluster_id": str, "signature": bytes,
            "extracted_at": str,
        },
        pk="id",
    )
    db["stories"].create_index(["published"])
    db["stories"].create_index(["cluster_id"])
    db["stories"].create_index(["source_id", "published"])
    db["story_keys"].create({"key": str, "story_id": str}, pk=("key", "story_id"))
    db["story_keys"].create_index(["story_id"])
    db["story_bands"].create({"band": str, "story_id": str}, pk=("band", "story_id"))
    db["story_bands"].create_index(["story_id"])
    db["stories"].enable_fts(
        ["title", "text"], create_triggers=True, tokenize="unicode61 remove_diacritics 2"
    )


@migrations()
def m002_figures_and_quotes(db: Database) -> None:
    db["figures"].create(
        {
            "id": int, "story_id": str, "value": float, "low": float, "high": float,
            "approx": str, "what": str, "kind": str, "place": str, "place_key": str,
            "claimant": str, "claimant_key": str, "sentence": str, "words": str,
            "published": str,
        },
        pk="id",
        foreign_keys=[("story_id", "stories", "id")],
    )
    db["figures"].create_index(["story_id"])
    db["figures"].create_index(["place_key", "published"])
    db["figures"].create_index(["kind", "published"])
    db["figures"].create_index(["published"])
    db["quotes"].create(
        {
            "id": int, "story_id": str, "text": str, "speaker": str, "speaker_key": str,
            "cue": str, "sentence": str, "published": str,
        },
        pk="id",
        foreign_keys=[("story_id", "stories", "id")],
    )
    db["quotes"].create_index(["story_id"])
    db["quotes"].create_index(["speaker_key", "published"])
    db["quotes"].create_index(["published"])


@migrations()
def m003_channels(db: Database) -> None:
    db["channels"].create(
        {
            "channel": str, "digest_enabled": int, "digest_time": str, "digest_tz": str,
            "updated": str, "last_error": str, "last_error_at": str,
        },
        pk="channel",
        defaults={"digest_enabled": 0},
    )
    db["subscriptions"].create(
        {"channel": str, "topic": str, "topic_key": str, "created": str},
        pk=("channel", "topic_key"),
    )
    db["subscriptions"].create_index(["topic_key"])


@migrations()
def m004_figure_series_fields_and_extraction_errors(db: Database) -> None:
    db["figures"].add_column("whose", str)
    db["figures"].add_column("scope", str)
    db["figures"].add_column("earlier", int)
    db["stories"].add_column("extract_error", str)


@migrations()
def m005_retired_sources(db: Database) -> None:
    db["sources"].add_column("retired", int)


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
