"""Delivery: the outbox of briefings and alerts, so each is posted exactly once, and the
"what is new since the last delivery" reads that briefings and alerts are built from.

Every message is recorded here (with its rendered payload) *before* it is posted, as `pending`;
`posting` is set just before the HTTP call, so after a crash a `posting` row is reconciled against
Slack (did the message arrive?) while a `pending` one is simply posted. A briefing's key includes
its channel and slot, so a slot can be recorded only once, by any process.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from briefings.store._db import Database, transaction, upsert
from briefings.store._time import from_db, to_db
from briefings.store.values import (
    FAILED,
    OPEN_STATES,
    PENDING,
    POSTED,
    POSTING,
    Delivery,
    DeliveryState,
    Subscription,
)


class OutboxMixin:
    db: Database

    # --- recording and state -------------------------------------------------------------

    def record_delivery(self, delivery: Delivery) -> bool:
        """Record a message to post; False (and nothing written) when its key exists already."""
        with transaction(self.db):
            cursor = self.db.execute(
                "insert into deliveries (key, kind, channel, slot, topic_key, day, "
                "window_start, window_end, story_mark, text, blocks, state, created, error) "
                "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (key) do nothing",
                [delivery.key, delivery.kind, delivery.channel, to_db(delivery.slot),
                 delivery.topic_key, delivery.day, to_db(delivery.window_start),
                 to_db(delivery.window_end), delivery.story_mark, delivery.text,
                 json.dumps(delivery.blocks), delivery.state, to_db(delivery.created),
                 delivery.error],
            )
        return cursor.rowcount > 0

    def record_alert(self, delivery: Delivery) -> None:
        """Record an alert and move its subscription's cursor past it, in one transaction."""
        with transaction(self.db):
            self.db.execute(
                "insert into deliveries (key, kind, channel, topic_key, day, "
                "window_start, window_end, story_mark, text, blocks, state, created) "
                "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (key) do nothing",
                [delivery.key, delivery.kind, delivery.channel, delivery.topic_key,
                 delivery.day, to_db(delivery.window_start), to_db(delivery.window_end),
                 delivery.story_mark, delivery.text, json.dumps(delivery.blocks), PENDING,
                 to_db(delivery.created)],
            )
            self._set_cursor(delivery.channel, delivery.topic_key or "",
                             delivery.window_end, delivery.story_mark)

    def delivery(self, key: str) -> Delivery | None:
        rows = list(self.db.query("select * from deliveries where key = ?", [key]))
        return _delivery(rows[0]) if rows else None

    def open_deliveries(self) -> list[Delivery]:
        """Recorded but not known to be posted, oldest first (alert parents before replies)."""
        rows = self.db.query(
            "select * from deliveries where state in (?, ?) order by created, rowid", OPEN_STATES
        )
        return [_delivery(row) for row in rows]

    def deliveries(self, channel: str | None = None, kind: str | None = None) -> list[Delivery]:
        where = [(column, value) for column, value in (("channel", channel), ("kind", kind))
                 if value is not None]
        rows = self.db.query(
            "select * from deliveries"
            + (" where " + " and ".join(f"{column} = ?" for column, _ in where) if where else "")
            + " order by created, rowid", [value for _, value in where],
        )
        return [_delivery(row) for row in rows]

    def claim_delivery(self, key: str, owner: str, now: datetime, lease: timedelta) -> bool:
        """Take an open delivery for `owner` until `now + lease` — only if nobody else holds
        an unexpired claim. A compare-and-set in one statement: of two workers racing, one
        wins."""
        with transaction(self.db):
            cursor = self.db.execute(
                "update deliveries set owner = ?, lease_until = ? where key = ? "
                "and state in (?, ?) and (owner is null or owner = ? or lease_until <= ?)",
                [owner, to_db(now + lease), key, *OPEN_STATES, owner, to_db(now)],
            )
        return cursor.rowcount > 0

    def claimed_until(self, key: str) -> datetime | None:
        """When the current claim on a delivery lapses (None when nobody holds it)."""
        row = self.db.execute(
            "select lease_until from deliveries where key = ? and owner is not null", [key]
        ).fetchone()
        return from_db(row[0]) if row and row[0] else None

    def release_delivery(self, key: str, owner: str) -> None:
        """Give up a claim (the outcome is left for whoever claims next)."""
        with transaction(self.db):
            self.db.execute(
                "update deliveries set owner = null, lease_until = null where key = ? "
                "and owner = ?", [key, owner],
            )

    def mark_posting(
        self, key: str, now: datetime, owner: str | None = None, lease: timedelta | None = None
    ) -> bool:
        """About to post. With `owner`, only while its claim still holds (checked again right
        before the post, and renewed for `lease`); False means another worker took it over."""
        lease_until = to_db(now + lease) if lease is not None else None
        with transaction(self.db):
            cursor = self.db.execute(
                "update deliveries set state = ?, attempted = ?, attempts = attempts + 1, "
                "lease_until = coalesce(?, lease_until) "
                "where key = ? and state in (?, ?) and (owner = ? or ? = '')",
                [POSTING, to_db(now), lease_until, key, *OPEN_STATES, owner or "",
                 owner or ""],
            )
        return cursor.rowcount > 0

    def mark_posted(
        self, key: str, now: datetime, ts: str, thread_ts: str | None = None
    ) -> None:
        with transaction(self.db):
            self.db.execute(
                "update deliveries set state = ?, posted = ?, ts = ?, thread_ts = ?, error = null, "
                "owner = null, lease_until = null where key = ?",
                [POSTED, to_db(now), ts, thread_ts, key],
            )

    def mark_failed(self, key: str, now: datetime, error: str) -> None:
        with transaction(self.db):
            self.db.execute(
                "update deliveries set state = ?, error = ?, attempted = ?, owner = null, "
                "lease_until = null where key = ?",
                [FAILED, error[:500], to_db(now), key],
            )

    def note_retry(self, key: str, error: str) -> None:
        """A transient failure: keep the delivery open (still `posting`: it may have arrived)."""
        with transaction(self.db):
            self.db.execute("update deliveries set error = ? where key = ?", [error[:500], key])

    def thread_parent(self, channel: str, topic_key: str, day: str) -> Delivery | None:
        """The day's first alert for a channel's topic, whose thread later alerts go into."""
        rows = list(self.db.query(
            "select * from deliveries where kind = 'alert' and channel = ? and topic_key = ? "
            "and day = ? and state != ? order by created, rowid limit 1",
            [channel, topic_key, day, FAILED],
        ))
        return _delivery(rows[0]) if rows else None

    def last_briefing(self, channel: str) -> tuple[datetime, int] | None:
        """(window end, story mark) of the channel's last briefing, posted or on its way."""
        row = self.db.execute(
            "select window_end, story_mark from deliveries where kind = 'briefing' "
            "and channel = ? and state in (?, ?, ?) order by story_mark desc, window_end desc "
            "limit 1", [channel, PENDING, POSTING, POSTED],
        ).fetchone()
        return (from_db(row[0]), row[1] or 0) if row else None

    # --- channel errors --------------------------------------------------------------------

    def record_channel_error(self, channel: str, error: str, now: datetime) -> None:
        """Remember a Slack error for the channel, for `/conflict sources` and App Home."""
        with transaction(self.db):
            upsert(self.db, "channels", {"channel": channel, "last_error": error[:500],
                                         "last_error_at": to_db(now)}, "channel")

    def clear_channel_error(self, channel: str) -> None:
        with transaction(self.db):
            self.db.execute(
                "update channels set last_error = null, last_error_at = null where channel = ?",
                [channel],
            )

    # --- alert cursors ---------------------------------------------------------------------

    def alert_cursor(self, channel: str, topic_key: str) -> tuple[datetime, int] | None:
        """(when, story mark) of the subscription's last scan for alerts."""
        row = self.db.execute(
            "select scanned_until, story_mark from alert_cursors "
            "where channel = ? and topic_key = ?", [channel, topic_key],
        ).fetchone()
        return (from_db(row[0]), row[1] or 0) if row else None

    def advance_alert_cursor(
        self, channel: str, topic_key: str, until: datetime | None, mark: int
    ) -> None:
        with transaction(self.db):
            self._set_cursor(channel, topic_key, until, mark)

    def _set_cursor(
        self, channel: str, topic_key: str, until: datetime | None, mark: int
    ) -> None:
        self.db.execute(
            "insert into alert_cursors (channel, topic_key, scanned_until, story_mark) "
            "values (?, ?, ?, ?) on conflict (channel, topic_key) do update set "
            "scanned_until = excluded.scanned_until, story_mark = excluded.story_mark",
            [channel, topic_key, to_db(until), mark],
        )

    def alert_subscriptions(self) -> list[Subscription]:
        """Every subscription with its creation time: where alert scanning starts."""
        rows = self.db.query(
            "select channel, topic, topic_key, created from subscriptions order by channel, topic"
        )
        return [Subscription(r["channel"], r["topic"], r["topic_key"], from_db(r["created"]))
                for r in rows]

    def source_count(self) -> int:
        """Sources followed now (retired ones excluded)."""
        return self.db.execute(
            "select count(*) from sources where coalesce(retired, 0) = 0"
        ).fetchone()[0]


def _delivery(row: dict) -> Delivery:
    return Delivery(
        key=row["key"], kind=row["kind"], channel=row["channel"], text=row["text"] or "",
        blocks=json.loads(row["blocks"] or "[]"), state=DeliveryState(row["state"]),
        created=from_db(row["created"]), slot=from_db(row["slot"]), topic_key=row["topic_key"],
        day=row["day"], window_start=from_db(row["window_start"]),
        window_end=from_db(row["window_end"]), story_mark=row["story_mark"] or 0,
        ts=row["ts"], thread_ts=row["thread_ts"],
        error=row["error"], attempts=row["attempts"] or 0,
    )
