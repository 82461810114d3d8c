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

from briefings.history import SERIES_RULE, series_key
from briefings.store._channels import ChannelsMixin
from briefings.store._db import open_database, transaction
from briefings.store._outbox import OutboxMixin
from briefings.store._search import SearchMixin
from briefings.store._sources import SourcesMixin, source_id
from briefings.store._stories import StoriesMixin, figure_from_row
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


class Store(SourcesMixin, StoriesMixin, WindowsMixin, ChannelsMixin, SearchMixin, OutboxMixin):
    """A Sitrep database file (WAL mode, busy timeout, migrated on open).

    `topics` are the alias groups figures' series keys are computed with (briefings.history);
    opened with other aliases, or a newer series rule, than the stored keys were made with, the
    keys are recomputed.
    """

    def __init__(self, path: Path | str, topics: Topics | None = None) -> None:
        self.path = path
        self.db = open_database(path)
        self.topics = topics or Topics()
        self._refresh_series(self.topics)

    def close(self) -> None:
        self.db.conn.close()

    def _refresh_series(self, topics: Topics) -> None:
        fingerprint = hashlib.sha1(json.dumps([SERIES_RULE, topics.groups]).encode()).hexdigest()
        row = self.db.execute("select value from meta where key = 'series_topics'").fetchone()
        if row and row[0] == fingerprint:
            return
        count = 0
        with transaction(self.db):
            for row in list(self.db.query("select * from figures")):
                key = series_key(topics, figure_from_row(row))
                if key != row["series_key"]:
                    self.db.execute("update figures set series_key = ? where id = ?",
                                    [key, row["id"]])
                    count += 1
            self.db.execute("insert or replace into meta (key, value) values "
                            "('series_topics', ?)", [fingerprint])
        logger.info("topic aliases changed: %d figures' series recomputed", count)
