"""The data model that flows from fetch to render: small frozen dataclasses, no behaviour."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True, slots=True)
class FeedSpec:
    """One feed from the feeds file."""

    name: str
    url: str
    outlet: str
    interval_minutes: int = 15


@dataclass(frozen=True, slots=True)
class FeedItem:
    """One item of a parsed feed, before it becomes a story."""

    title: str
    link: str | None
    guid: str | None
    published: datetime | None
    summary: str
    content: str  # full text carried by the feed itself (Atom <content>), plain text
    categories: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Story:
    id: str
    source_id: str
    outlet: str
    title: str
    url: str | None
    guid: str | None
    published: datetime
    fetched: datetime
    summary: str
    text: str
    text_origin: str  # "page", "feed" or "summary": where `text` came from
    cluster_id: str
    text_note: str = ""  # why the page was not used, when it was not
    conflicts: tuple[str, ...] = ()  # ids of the conflicts it is about (briefings.conflicts)


@dataclass(frozen=True, slots=True)
class Figure:
    """A key figure: a number, what it counts, where, and who claims it."""

    value: float | None  # None for vague amounts ("dozens")
    low: float | None
    high: float | None
    approx: str  # "exact", "at least", "more than", "nearly", "about", "up to", ...
    what: str
    kind: str  # killed, wounded, displaced, fled, evacuated, trapped, troops_killed, ...
    where: str | None
    claimant: str | None
    sentence: str
    words: str = ""  # the number as written ("2.7 million", "dozens")
    story_id: str | None = None
    whose: str | None = None  # the side the counted people belong to ("Russian", "Palestinian")
    scope: str | None = None  # "running" (a toll since some start), "incident", or None
    earlier: bool = False  # a past count the article restates ("up from 1,582")
    series: str | None = None  # set by the store when it saves the figure (briefings.history)


@dataclass(frozen=True, slots=True)
class Quote:
    """A direct quote and who said it."""

    text: str
    speaker: str | None
    cue: str | None
    sentence: str
    story_id: str | None = None


@dataclass(frozen=True, slots=True)
class Extraction:
    figures: tuple[Figure, ...] = ()
    quotes: tuple[Quote, ...] = ()
    error: str | None = None  # why extraction failed; a failed extraction is never "nothing found"
    notes: tuple[str, ...] = ()  # what the reader should know (text cut, not English, ...)


@dataclass(frozen=True, slots=True)
class SourceHealth:
    id: str
    name: str
    url: str
    outlet: str
    last_success: datetime | None
    last_error: str | None
    last_error_at: datetime | None
    items: int
    stories: int
    failures: int
    backoff_until: datetime | None
    extract_failed: int = 0  # stories of this source whose extraction failed
    extract_error: str | None = None  # the latest such failure, in words


@dataclass(frozen=True, slots=True)
class FeedResult:
    """What polling one feed did."""

    source_id: str
    name: str
    ok: bool
    not_modified: bool = False
    items: int = 0
    new_stories: int = 0
    figures: int = 0
    quotes: int = 0
    error: str | None = None
    skipped: bool = False  # backing off
    extract_failed: int = 0  # new stories whose extraction failed (retried by `sitrep reextract`)


@dataclass(frozen=True, slots=True)
class PollSummary:
    results: tuple[FeedResult, ...] = field(default_factory=tuple)

    @property
    def ok(self) -> int:
        return sum(1 for r in self.results if r.ok)

    @property
    def failed(self) -> int:
        return sum(1 for r in self.results if not r.ok and not r.skipped)

    @property
    def skipped(self) -> int:
        return sum(1 for r in self.results if r.skipped)

    @property
    def new_stories(self) -> int:
        return sum(r.new_stories for r in self.results)

    @property
    def figures(self) -> int:
        return sum(r.figures for r in self.results)

    @property
    def quotes(self) -> int:
        return sum(r.quotes for r in self.results)

    @property
    def extract_failed(self) -> int:
        return sum(r.extract_failed for r in self.results)
