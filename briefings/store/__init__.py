"""Storage: the only place that knows table names and SQL.

`Store` is assembled from one mixin per concern (sources, stories, windows of new stories,
channels, search, the outbox); each takes and returns model objects or the typed values of
`briefings/store/values.py`. The schema
is `briefings/store/schema.py`, one migration set applied on open.
"""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path

from briefings.conflicts import Conflicts
from briefings.history import SERIES_RULE, compared, series_key
from briefings.models import Story
from briefings.store._channels import ChannelsMixin
from briefings.store._db import open_database, transaction, upsert
from briefings.store._installations import InstallationsMixin
from briefings.store._outbox import OutboxMixin
from briefings.store._queue import QueueMixin
from briefings.store._search import SearchMixin
from briefings.store._sources import SourcesMixin, source_id
from briefings.store._stories import StoriesMixin, figure_from_row, split_conflicts
from briefings.store._windows import WindowsMixin
from briefings.store.values import (  # noqa: E402  (the facade's public values)
    FAILED,
    OPEN_STATES,
    PENDING,
    POSTED,
    POSTING,
    SKIPPED,
    ChannelSettings,
    DatedFigure,
    DatedQuote,
    Delivery,
    DeliveryState,
    Found,
    StoryRef,
    Subscription,
)
from briefings.topics import Topics

__all__ = [
    "FAILED", "OPEN_STATES", "PENDING", "POSTED", "POSTING", "SKIPPED", "ChannelSettings",
    "DatedFigure", "DatedQuote", "Delivery", "DeliveryState", "Found", "Store", "StoryRef",
    "Subscription", "source_id",
]

logger = logging.getLogger(__name__)


class Store(SourcesMixin, StoriesMixin, WindowsMixin, ChannelsMixin, SearchMixin, OutboxMixin,
            InstallationsMixin, QueueMixin):
    """A Sitrep database — a SQLite file, or PostgreSQL at a `postgresql://` URL — migrated
    on open (briefings/store/_db.py).

    `topics` are the alias groups figures' series keys are computed with (briefings.history);
    opened with other aliases, or a newer series rule, than the stored keys were made with, the
    keys are recomputed.
    `conflicts` classify each story stored (briefings.conflicts); opened with other conflicts
    (or a newer rule) than the stored stories were classified with, every story is classified
    again, and stories stored by a store opened without conflicts are classified. Without
    conflicts, a story keeps the ids it carries.
    """

    def __init__(self, path: Path | str, topics: Topics | None = None,
                 conflicts: Conflicts | None = None) -> None:
        self.path = path
        self.db = open_database(path)
        self.topics = topics or Topics()
        self.conflicts = conflicts
        # what opening the file had to bring up to date: figures whose series were recomputed,
        # stories classified again (`sitrep migrate` reports it)
        stories = self._refresh_conflicts(conflicts) if conflicts else 0
        self.refreshed = {"series": self._refresh_series(self.topics), "stories": stories}

    @property
    def classifies(self) -> bool:
        """Whether stories are classified by conflict: then a story of no conflict is not news
        for a briefing, an alert or a reply."""
        return bool(self.conflicts)

    def followed(self, story: Story | StoryRef) -> bool:
        """Whether `story` is about a followed conflict (every story is, when none are set)."""
        return not self.classifies or bool(story.conflicts)

    def conflict_name(self, conflict_id: str) -> str:
        return self.conflicts.name(conflict_id) if self.conflicts else conflict_id

    def close(self) -> None:
        self.db.close()

    @property
    def backend(self) -> str:
        """"sqlite" or "postgresql"."""
        return self.db.dialect

    @property
    def location(self) -> str:
        """Where the database is, fit to show (a URL without its password)."""
        return self.db.location

    def schema_version(self) -> str:
        """The newest migration applied to the database."""
        return self.db.schema_version()

    def health(self) -> str:
        """"ok" when the database answers a query, else why not (for /healthz)."""
        try:
            self.db.ping()
        except Exception as exc:  # noqa: BLE001 - any failure is the answer
            return f"unreachable: {type(exc).__name__}"
        return "ok"

    def _refresh_series(self, topics: Topics) -> int:
        """Recompute figures' series keys when the rule, the aliases or the conflicts (whose
        parties name the sides counted) changed since they were computed."""
        parties = self.conflicts.fingerprint if self.conflicts else ""
        fingerprint = hashlib.sha1(
            json.dumps([SERIES_RULE, topics.groups, parties]).encode()).hexdigest()

        def current() -> bool:
            row = self.db.execute("select value from meta where key = 'series_topics'").fetchone()
            return bool(row) and row[0] == fingerprint

        if current():
            return 0
        updates = []
        with transaction(self.db):
            self.db.exclusive("series")  # processes starting together: one recomputes
            if current():
                return 0
            for row in self.db.query("select f.*, s.conflicts as story_conflicts "
                                     "from figures f join stories s on s.id = f.story_id"):
                figure = figure_from_row(row)
                side = self.party_of(split_conflicts(row["story_conflicts"]), figure.whose)
                key = series_key(topics, figure, side)
                if key != row["series_key"] or row["quantity_key"] is None:
                    updates.append((key, compared(key), row["id"]))
            self.db.executemany("update figures set series_key = ?, quantity_key = ? "
                                "where id = ?", updates)
            upsert(self.db, "meta", {"key": "series_topics", "value": fingerprint}, "key")
        count = len(updates)
        logger.info("topic aliases changed: %d figures' series recomputed", count)
        return count

    def _refresh_conflicts(self, conflicts: Conflicts, batch: int = 500) -> int:
        """Classify again the stories classified with other conflicts (every story, when the
        fingerprint in `meta` differs) and those never classified, `batch` stories per
        transaction; the fingerprint is recorded once all are done."""
        fingerprint = conflicts.fingerprint
        row = self.db.execute("select value from meta where key = 'story_conflicts'").fetchone()
        every = not row or row[0] != fingerprint
        where = "" if every else "conflicts is null and"
        last, changed, seen = "", 0, 0
        while True:
            rows = self.db.execute(
                f"select id, title, text, summary, published, conflicts from stories "
                f"where {where} id > ? order by id limit ?", [last, batch],
            ).fetchall()
            if not rows:
                break
            last, seen = rows[-1][0], seen + len(rows)
            updates = []
            for story_id, title, text, summary, published, stored in rows:
                ids = conflicts.classify(title or "", text or summary or "")
                if stored is None or split_conflicts(stored) != ids:
                    updates.append((story_id, published, ids))
            if not updates:
                continue
            changed += len(updates)
            with transaction(self.db):
                self.db.executemany("update stories set conflicts = ? where id = ?",
                                         [("|".join(ids), sid) for sid, _, ids in updates])
                self.db.executemany("delete from story_conflicts where story_id = ?",
                                         [(sid,) for sid, _, _ in updates])
                self.db.executemany(
                    "insert into story_conflicts (story_id, conflict, published) "
                    "values (?, ?, ?)",
                    [(sid, c, published) for sid, published, ids in updates for c in ids],
                )
        if every:
            with transaction(self.db):
                upsert(self.db, "meta", {"key": "story_conflicts", "value": fingerprint}, "key")
        if changed:
            logger.info("conflicts %s: %d of %d stories classified again",
                        "changed" if every else "unchanged", changed, seen)
        return changed
