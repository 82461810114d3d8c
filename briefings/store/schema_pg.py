"""The PostgreSQL schema: its own migration set, applied in order when a store opens (under an
advisory lock, so web and workers starting together migrate once) and by `sitrep migrate`.

The tables and columns are SQLite's (briefings/store/schema.py) with PostgreSQL's types: text
compared byte by byte (`collate "C"`, so ids and ISO timestamps order as on SQLite), `rowid` a
real column on the tables whose insertion order matters (stories: the marks of briefing windows;
deliveries), and full text search as a generated `tsvector` with a GIN index instead of FTS5.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from briefings.store._db import PostgresDatabase

MIGRATION_LOCK = 0x5173_6D67  # advisory lock key: one migrating process at a time

T = 'text collate "C"'

_UNACCENT = """
create or replace function sitrep_unaccent(text) returns text
language sql immutable parallel safe strict
as $$ select public.unaccent('public.unaccent'::regdictionary, $1) $$
"""
# without the unaccent extension (not installed, or not allowed), search keeps diacritics
_KEEP_ACCENTS = """
create or replace function sitrep_unaccent(text) returns text
language sql immutable parallel safe strict as $$ select $1 $$
"""


def _p001_schema(conn: Any) -> None:
    try:
        with conn.transaction():
            conn.execute("create extension if not exists unaccent")
            conn.execute(_UNACCENT)
    except Exception:  # noqa: BLE001 - any refusal: search without folding accents
        conn.execute(_KEEP_ACCENTS)
    for statement in f"""
    create table sources (
        id {T} primary key, name {T}, url {T}, outlet {T}, title {T},
        interval_minutes integer, etag {T}, last_modified {T}, last_polled {T},
        last_success {T}, last_error {T}, last_error_at {T}, failures integer default 0,
        backoff_until {T}, items integer default 0, stories integer default 0,
        retired integer);
    create table stories (
        rowid bigserial unique, id {T} primary key, source_id {T}, outlet {T}, title {T},
        url {T}, guid {T}, published {T}, fetched {T}, summary {T}, text {T},
        text_origin {T}, text_note {T}, cluster_id {T}, signature bytea, extracted_at {T},
        extract_error {T}, conflicts {T},
        search tsvector generated always as (to_tsvector('simple', sitrep_unaccent(
            coalesce(title, '') || ' ' || coalesce(text, '')))) stored);
    create index stories_published on stories (published);
    create index stories_cluster on stories (cluster_id);
    create index stories_source_published on stories (source_id, published);
    create index stories_unclassified on stories (id) where conflicts is null;
    create index stories_search on stories using gin (search);
    create table story_keys (key {T}, story_id {T}, primary key (key, story_id));
    create index story_keys_story on story_keys (story_id);
    create table story_bands (band {T}, story_id {T}, primary key (band, story_id));
    create index story_bands_story on story_bands (story_id);
    create table story_conflicts (story_id {T}, conflict {T}, published {T},
        primary key (story_id, conflict));
    create index story_conflicts_conflict on story_conflicts (conflict, published);
    create table figures (
        id bigserial primary key, story_id {T} references stories (id),
        value double precision, low double precision, high double precision,
        approx {T}, what {T}, kind {T}, place {T}, place_key {T}, claimant {T},
        claimant_key {T}, sentence {T}, words {T}, published {T}, whose {T}, scope {T},
        earlier integer, series_key {T}, quantity_key {T});
    create index figures_story on figures (story_id);
    create index figures_place on figures (place_key, published);
    create index figures_kind on figures (kind, published);
    create index figures_published on figures (published);
    create index figures_claimant on figures (claimant_key, published);
    create index figures_series on figures (series_key, published);
    create index figures_quantity on figures (quantity_key, published);
    create table quotes (
        id bigserial primary key, story_id {T} references stories (id), text {T},
        speaker {T}, speaker_key {T}, cue {T}, sentence {T}, published {T});
    create index quotes_story on quotes (story_id);
    create index quotes_speaker on quotes (speaker_key, published);
    create index quotes_published on quotes (published);
    create table channels (
        channel {T} primary key, digest_enabled integer default 0, digest_time {T},
        digest_tz {T}, updated {T}, last_error {T}, last_error_at {T});
    create table subscriptions (channel {T}, topic {T}, topic_key {T}, created {T},
        primary key (channel, topic_key));
    create index subscriptions_topic on subscriptions (topic_key);
    create table deliveries (
        rowid bigserial unique, key {T} primary key, kind {T}, channel {T}, slot {T},
        topic_key {T}, topic {T}, day {T}, window_start {T}, window_end {T}, text {T},
        blocks {T}, state {T}, created {T}, attempted {T}, posted {T}, ts {T},
        thread_ts {T}, error {T}, attempts integer default 0, story_mark bigint,
        owner {T}, lease_until {T});
    create index deliveries_state on deliveries (state);
    create index deliveries_window on deliveries (channel, kind, window_end);
    create index deliveries_thread on deliveries (channel, topic_key, day);
    create table alert_cursors (channel {T}, topic_key {T}, scanned_until {T},
        story_mark bigint, primary key (channel, topic_key));
    create table meta (key {T} primary key, value {T})
    """.split(";"):
        conn.execute(statement)


def _p002_installations(conn: Any) -> None:
    from briefings.store._installations import INSTALLATION_TABLES

    for statement in INSTALLATION_TABLES:
        conn.execute(statement)


MIGRATIONS: tuple[tuple[str, Callable[[Any], None]], ...] = (
    ("p001_schema", _p001_schema),
    ("p002_installations", _p002_installations),
)


def migrate(db: PostgresDatabase) -> list[str]:
    """Apply the migrations this database lacks, in order; the names applied."""
    applied: list[str] = []
    with db.pool.connection() as conn:
        conn.execute("select pg_advisory_lock(%s)", [MIGRATION_LOCK])
        try:
            conn.execute("create table if not exists sitrep_migrations "
                         f"(name {T} primary key, applied {T})")
            done = {row[0] for row in conn.execute("select name from sitrep_migrations")}
            for name, step in MIGRATIONS:
                if name in done:
                    continue
                with conn.transaction():
                    step(conn)
                    conn.execute("insert into sitrep_migrations (name, applied) values (%s, %s)",
                                 [name, datetime.now(UTC).isoformat(timespec="seconds")])
                applied.append(name)
        finally:
            conn.execute("select pg_advisory_unlock(%s)", [MIGRATION_LOCK])
    return applied


def version(db: PostgresDatabase) -> str:
    row = db.execute("select name from sitrep_migrations order by name desc limit 1").fetchone()
    return row[0] if row else "none"
