"""Timestamps are stored as ISO-8601 UTC strings so they sort as text."""

from __future__ import annotations

from datetime import UTC, datetime


def to_db(when: datetime | None) -> str | None:
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")


def from_db(value: str | None) -> datetime | None:
    if not value:
        return None
    return datetime.fromisoformat(value)
