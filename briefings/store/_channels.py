"""Channels: topic subscriptions and daily-briefing settings."""

from __future__ import annotations

from datetime import datetime

from briefings.store._db import Database, insert, transaction, upsert
from briefings.store._time import from_db, to_db
from briefings.store.values import ChannelSettings
from briefings.topics import fold


class ChannelsMixin:
    db: Database

    def subscribe(self, channel: str, topic: str, now: datetime) -> bool:
        """Subscribe a channel to a topic; False when it already was."""
        key = fold(topic)
        with transaction(self.db):
            added = insert(self.db, "subscriptions", {"channel": channel, "topic": topic,
                                                      "topic_key": key, "created": to_db(now)},
                           on_conflict="channel, topic_key")
        return added > 0

    def unsubscribe(self, channel: str, topic: str) -> bool:
        with transaction(self.db):
            cursor = self.db.execute(
                "delete from subscriptions where channel = ? and topic_key = ?",
                [channel, fold(topic)],
            )
        return cursor.rowcount > 0

    def subscriptions(self, channel: str | None = None) -> list[tuple[str, str]]:
        """(channel, topic) pairs, for one channel or all."""
        if channel is None:
            rows = self.db.execute(
                "select channel, topic from subscriptions order by channel, topic"
            )
        else:
            rows = self.db.execute(
                "select channel, topic from subscriptions where channel = ? order by topic",
                [channel],
            )
        return [(c, t) for c, t in rows.fetchall()]

    def set_digest(
        self, channel: str, now: datetime, *, enabled: bool, time: str | None = None,
        tz: str | None = None,
    ) -> None:
        update = {"channel": channel, "digest_enabled": int(enabled), "updated": to_db(now)}
        if time is not None:
            update["digest_time"] = time
        if tz is not None:
            update["digest_tz"] = tz
        with transaction(self.db):
            upsert(self.db, "channels", update, "channel")

    def channels(self) -> list[ChannelSettings]:
        """Every channel with settings of its own, by id."""
        return [_channel(row) for row in self.db.query("select * from channels order by channel")]

    def channel(self, channel: str) -> ChannelSettings | None:
        """One channel's settings, or None when it has none of its own."""
        rows = list(self.db.query("select * from channels where channel = ?", [channel]))
        return _channel(rows[0]) if rows else None


def _channel(row: dict) -> ChannelSettings:
    return ChannelSettings(
        channel=row["channel"], digest_enabled=bool(row["digest_enabled"]),
        digest_time=row["digest_time"], digest_tz=row["digest_tz"],
        updated=from_db(row["updated"]), last_error=row["last_error"],
        last_error_at=from_db(row["last_error_at"]),
    )
