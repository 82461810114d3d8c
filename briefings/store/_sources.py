"""Feed sources and their health."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from briefings.models import FeedSpec, SourceHealth
from briefings.store._db import Database, transaction, update, upsert
from briefings.store._time import from_db, to_db


def source_id(feed: FeedSpec) -> str:
    """Stable id of a feed: its URL's hash, so renaming a feed keeps its history."""
    return hashlib.sha1(feed.url.strip().encode()).hexdigest()[:16]


class SourcesMixin:
    db: Database

    def register_sources(self, feeds: list[FeedSpec] | tuple[FeedSpec, ...]) -> None:
        """Create or update the source row of each configured feed; sources no longer in the
        feeds file are retired (kept for their stories' history, hidden from health and
        footers)."""
        ids = [source_id(feed) for feed in feeds]
        with transaction(self.db):
            for feed in feeds:
                upsert(self.db, "sources", {
                    "id": source_id(feed), "name": feed.name, "url": feed.url,
                    "outlet": feed.outlet, "interval_minutes": feed.interval_minutes,
                    "retired": 0,
                }, "id")
            if ids:
                marks = ",".join("?" * len(ids))
                self.db.execute(f"update sources set retired = 1 where id not in ({marks})", ids)

    def source_state(self, sid: str) -> dict:
        rows = list(self.db.query("select * from sources where id = ?", [sid]))
        return rows[0] if rows else {}

    def record_success(
        self,
        sid: str,
        now: datetime,
        *,
        items: int,
        new_stories: int,
        etag: str | None,
        last_modified: str | None,
        title: str | None = None,
    ) -> None:
        state = self.source_state(sid)
        changes = {
            "last_polled": to_db(now), "last_success": to_db(now), "failures": 0,
            "backoff_until": None, "items": items, "last_error": None, "last_error_at": None,
            "stories": (state.get("stories") or 0) + new_stories,
            "etag": etag, "last_modified": last_modified,
        }
        if title:
            changes["title"] = title
        with transaction(self.db):
            update(self.db, "sources", ("id", sid), changes)

    def record_not_modified(self, sid: str, now: datetime) -> None:
        with transaction(self.db):
            update(self.db, "sources", ("id", sid),
                   {"last_polled": to_db(now), "last_success": to_db(now), "failures": 0,
                    "backoff_until": None, "last_error": None, "last_error_at": None})

    def record_failure(
        self, sid: str, now: datetime, error: str, *, base_minutes: int, max_minutes: int,
        items: int | None = None, new_stories: int = 0,
    ) -> datetime:
        """Record a failed poll and back off exponentially; return when to try again.

        `items`/`new_stories` count what a malformed but partly readable feed still gave.
        """
        state = self.source_state(sid)
        failures = (state.get("failures") or 0) + 1
        delay = min(base_minutes * 2 ** (failures - 1), max_minutes)
        until = now + timedelta(minutes=delay)
        changes = {"last_polled": to_db(now), "last_error": error[:500],
                   "last_error_at": to_db(now), "failures": failures,
                   "backoff_until": to_db(until)}
        if items is not None:
            changes["items"] = items
            changes["stories"] = (state.get("stories") or 0) + new_stories
        with transaction(self.db):
            update(self.db, "sources", ("id", sid), changes)
        return until

    def source_health(self) -> list[SourceHealth]:
        rows = self.db.query(
            "select * from sources where coalesce(retired, 0) = 0 order by name"
        )
        failed: dict[str, tuple[int, str]] = {
            sid: (count, error)
            for sid, count, error in self.db.execute(
                "select source_id, count(*), max(extract_error) from stories "
                "where extract_error is not null group by source_id"
            ).fetchall()
        }
        return [
            SourceHealth(
                id=row["id"], name=row["name"], url=row["url"], outlet=row["outlet"] or "",
                last_success=from_db(row["last_success"]), last_error=row["last_error"],
                last_error_at=from_db(row["last_error_at"]), items=row["items"] or 0,
                stories=row["stories"] or 0, failures=row["failures"] or 0,
                backoff_until=from_db(row["backoff_until"]),
                extract_failed=failed.get(row["id"], (0, None))[0],
                extract_error=failed.get(row["id"], (0, None))[1],
            )
            for row in rows
        ]
