"""The database schema: one migration set, applied in order when a file is opened.

Databases written before the sets were merged recorded some migrations under the old set names
("sitrep-queries", "sitrep-delivery"); `adopt_old_records` renames those records once, so nothing
runs twice.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("sitrep")

_OLD_RECORDS = {
    ("sitrep-queries", "m001_claimant_index"): "m006_claimant_index",
    ("sitrep-delivery", "m001_deliveries"): "m007_deliveries",
    ("sitrep-delivery", "m002_delivery_claims"): "m008_delivery_claims",
}


def adopt_old_records(db: Database) -> None:
    if not db[Migrations.migrations_table].exists():
        return
    for (old_set, old_name), name in _OLD_RECORDS.items():
        db.execute(
            f"update {Migrations.migrations_table} set migration_set = ?, name = ? "
            "where migration_set = ? and name = ?", ["sitrep", name, old_set, old_name],
        )


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


@migrations()
def m006_claimant_index(db: Database) -> None:
    db["figures"].create_index(["claimant_key", "published"], if_not_exists=True)


@migrations()
def m007_deliveries(db: Database) -> None:
    db["deliveries"].create(
        {
            "key": str, "kind": str, "channel": str, "slot": str, "topic_key": str,
            "topic": str, "day": str, "window_start": str, "window_end": str,
            "text": str, "blocks": str, "state": str, "created": str, "attempted": str,
            "posted": str, "ts": str, "thread_ts": str, "error": str, "attempts": int,
            "story_mark": int,
        },
        pk="key",
        defaults={"attempts": 0},
    )
    db["deliveries"].create_index(["state"])
    db["deliveries"].create_index(["channel", "kind", "window_end"])
    db["deliveries"].create_index(["channel", "topic_key", "day"])
    db["alert_cursors"].create(
        {"channel": str, "topic_key": str, "scanned_until": str, "story_mark": int},
        pk=("channel", "topic_key"),
    )


@migrations()
def m008_delivery_claims(db: Database) -> None:
    # one owner per delivery: a worker claims it (compare-and-set) for a lease that expires,
    # so a dead worker's claim is taken over and two live ones never both post it
    db["deliveries"].add_column("owner", str)
    db["deliveries"].add_column("lease_until", str)


@migrations()
def m009_figure_series(db: Database) -> None:
    """Each figure's series key (briefings.history), filled in by `Store._refresh_series` when
    the store opens: with no fingerprint in `meta` yet, it computes every figure's key."""
    db["figures"].add_column("series_key", str)
    db["figures"].create_index(["series_key", "published"])
    db["meta"].create({"key": str, "value": str}, pk="key")


@migrations()
def m010_story_conflicts(db: Database) -> None:
    """Each story's conflicts (briefings.conflicts): the ids "|"-joined in stories.conflicts
    ("" for none, NULL until a store opened with the operator's conflicts classifies it), and
    one story_conflicts row per (story, conflict), indexed so a conflict's stories are an
    indexed read."""
    db["stories"].add_column("conflicts", str)
    db.execute("create index stories_unclassified on stories (id) where conflicts is null")
    db["story_conflicts"].create(
        {"story_id": str, "conflict": str, "published": str}, pk=("story_id", "conflict")
    )
    db["story_conflicts"].create_index(["conflict", "published"])


@migrations()
def m011_figure_quantity(db: Database) -> None:
    """Each figure's quantity (briefings.history.compare_key), indexed with its date so the
    counter-claims of a quantity are one indexed read; filled in by `Store._refresh_series`."""
    db["figures"].add_column("quantity_key", str)
    db["figures"].create_index(["quantity_key", "published"])


@migrations()
def m012_installations(db: Database) -> None:
    """Slack installations and OAuth states (OAuth mode: many workspaces), from the portable
    DDL the store module keeps for SQLite and PostgreSQL alike."""
    from briefings.store._installations import INSTALLATION_TABLES

    for statement in INSTALLATION_TABLES:
        db.execute(statement)
