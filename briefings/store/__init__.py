"""Storage: the only place that knows table names and SQL.

`Store` is assembled from one mixin per concern; each takes and returns model objects.
"""

from __future__ import annotations

from pathlib import Path

from briefings.store._channels import ChannelsMixin
from briefings.store._db import migrations as core_migrations
from briefings.store._db import open_database
from briefings.store._delivery import DeliveryMixin
from briefings.store._delivery import migrations as delivery_migrations
from briefings.store._queries import QueriesMixin, StoryRef
from briefings.store._queries import migrations as queries_migrations
from briefings.store._sources import SourcesMixin, source_id
from briefings.store._stories import StoriesMixin

__all__ = ["Store", "StoryRef", "source_id"]

# Each concern may keep its own named migration set; all are applied on open, in this order.
MIGRATION_SETS = [core_migrations, queries_migrations, delivery_migrations]


class Store(SourcesMixin, StoriesMixin, ChannelsMixin, QueriesMixin, DeliveryMixin):
    """A Sitrep database file (WAL mode, busy timeout, migrated on open)."""

    def __init__(self, path: Path | str) -> None:
        self.path = path
        self.db = open_database(path, MIGRATION_SETS)

    def close(self) -> None:
        self.db.conn.close()
