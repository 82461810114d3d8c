"""What the job queue's tasks claim in the store (bot/worker/queue.py): a feed's poll per
interval, and the mark up to which stories are extracted.

Portable SQL only (SQLite and PostgreSQL): a poll claim is a row of `meta` keyed
`poll_claim:<source id>`, taken by an upsert that only overwrites a claim at least one interval
old — a compare-and-set in one statement, so of several workers (or a retried job) exactly one
polls a feed in an interval.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from briefings.store._db import Database, transaction
from briefings.store._time import from_db, to_db

_CLAIM = "poll_claim:"


class QueueMixin:
    db: Database

    def claim_poll(self, source_id: str, at: datetime, interval: timedelta) -> bool:
        """Take feed `source_id`'s poll for the interval starting `at`: True only when nobody
        claimed it less than `interval` before `at` (its previous poll, another worker, or this
        very job before a crash and its retry)."""
        with transaction(self.db):
            cursor = self.db.execute(
                "insert into meta (key, value) values (?, ?) on conflict (key) do update "
                "set value = excluded.value where meta.value <= ?",
                [_CLAIM + source_id, to_db(at), to_db(at - interval)],
            )
        return cursor.rowcount > 0

    def poll_claimed(self, source_id: str) -> datetime | None:
        """When the feed's poll was last claimed (None: never)."""
        row = self.db.execute("select value from meta where key = ?",
                              [_CLAIM + source_id]).fetchone()
        return from_db(row[0]) if row else None

    def polls_due(
        self, source_ids: Sequence[str], at: datetime, interval: timedelta
    ) -> list[str]:
        """The feeds among `source_ids` whose poll nobody claimed within `interval` of `at`
        (a hint for deferring poll jobs; `claim_poll` decides)."""
        if not source_ids:
            return []
        marks = ",".join("?" * len(source_ids))
        claimed = {
            key[len(_CLAIM):]: value for key, value in self.db.execute(
                f"select key, value from meta where key in ({marks})",
                [_CLAIM + sid for sid in source_ids],
            ).fetchall()
        }
        last = to_db(at - interval)
        return [sid for sid in source_ids if sid not in claimed or claimed[sid] <= last]

    def stories_pending_extraction(self, since: datetime, limit: int = 1000) -> list[str]:
        """Ids of stories fetched since `since` that are neither extracted nor failed, oldest
        first."""
        rows = self.db.execute(
            "select id from stories where extracted_at is null and extract_error is null "
            "and fetched >= ? order by rowid limit ?", [to_db(since), limit],
        ).fetchall()
        return [row[0] for row in rows]

    def settled_mark(self, since: datetime) -> int:
        """The highest story mark below which every story is extracted or failed: where a window
        of stories for alerts may end. Stories fetched before `since` and still not extracted
        count as settled (their extraction was lost or is switched off), so one lost job
        cannot hold alerts back for ever."""
        row = self.db.execute(
            "select min(rowid) from stories where extracted_at is null "
            "and extract_error is null and fetched >= ?", [to_db(since)],
        ).fetchone()
        if row and row[0] is not None:
            return int(row[0]) - 1
        row = self.db.execute("select max(rowid) from stories").fetchone()
        return int(row[0] or 0)
