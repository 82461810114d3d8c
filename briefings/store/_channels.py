"""Channels: topic subscriptions and daily-briefing settings."""

from __future__ import annotations

from datetime import datetime

from sqlite_utils import Database

from briefings.store._db import transaction
from briefings.store._time import to_db
from briefings.topics import fold


class ChannelsMixin:
    db: Database

    def subscribe(self, channel: str, topic: str, now: datetime) -> bool:
        """Subscribe a channel to a topic; False when it already was."""
        key = fold(topic)
        with transaction(self.db):
            cursor = self.db.execute(
                "insert or ignore into subscriptions (channel, topic, topic_key, created) "
                "values (?, ?, ?, ?)",
                [channel, topic, key, to_db(now)],
            )
        return cursor.rowcount > 0

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
            self.db["channels"].upsert(update, pk="channel")

    def channel_settings(self, channel: str | None = None) -> list[dict]:
        if channel is None:
            return list(self.db.query("select * from channels order by channel"))
        return list(self.db.query("select * from channels where channel = ?", [channel]))
