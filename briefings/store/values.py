"""The typed values the store hands out: nothing outside `briefings/store/` sees a row."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, NamedTuple

from briefings.models import Figure, Quote

__all__ = [
    "FAILED", "OPEN_STATES", "PENDING", "POSTED", "POSTING", "SKIPPED", "ChannelSettings",
    "DatedFigure", "DatedQuote", "Delivery", "DeliveryState", "Found", "StoryRef", "Subscription",
]


class DeliveryState(StrEnum):
    """Where a recorded message stands; `pending` and `posting` are still open."""

    PENDING = "pending"  # recorded, certainly not posted
    POSTING = "posting"  # the post may have reached Slack: reconcile before posting again
    POSTED = "posted"
    FAILED = "failed"
    SKIPPED = "skipped"  # a briefing slot deliberately not posted (with its reason)


PENDING, POSTING, POSTED, FAILED, SKIPPED = DeliveryState
OPEN_STATES = (PENDING, POSTING)


@dataclass(frozen=True, slots=True)
class Delivery:
    """One recorded message: a briefing for a slot or an alert for a topic."""

    key: str
    kind: str  # "briefing" or "alert"
    channel: str
    text: str
    blocks: list
    state: DeliveryState
    created: datetime
    slot: datetime | None = None
    topic_key: str | None = None
    day: str | None = None
    window_start: datetime | None = None
    window_end: datetime | None = None
    story_mark: int = 0  # the last story (rowid) the message covers
    ts: str | None = None
    thread_ts: str | None = None
    error: str | None = None
    attempts: int = 0


@dataclass(frozen=True, slots=True)
class ChannelSettings:
    """A channel's daily briefing and its last posting error (with the remedy, in words)."""

    channel: str
    digest_enabled: bool = False
    digest_time: str | None = None  # HH:MM; None means the configured default
    digest_tz: str | None = None  # an IANA zone; None means the configured default
    updated: datetime | None = None
    last_error: str | None = None
    last_error_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Subscription:
    channel: str
    topic: str  # as the channel typed it
    topic_key: str  # folded: what matching and alert cursors use
    created: datetime


@dataclass(frozen=True, slots=True)
class DatedFigure:
    figure: Figure
    published: datetime


@dataclass(frozen=True, slots=True)
class DatedQuote:
    quote: Quote
    published: datetime


@dataclass(frozen=True, slots=True)
class StoryRef:
    """What a reply shows of a story: no text, so looking up hundreds stays cheap."""

    id: str
    source_id: str
    outlet: str
    title: str
    url: str | None
    published: datetime
    cluster_id: str
    conflicts: tuple[str, ...] = ()  # the conflicts the story is about (briefings.conflicts)


class Found(NamedTuple):
    """A figure or quote, the story it came from, and its order of extraction (row id)."""

    item: Any
    story: StoryRef
    seq: int
