"""What arrived in a window of stored stories, and a figure's earlier history: the reads that
briefings and alerts are composed from."""

from __future__ import annotations

from datetime import datetime

from briefings.models import Figure, Story
from briefings.store._db import Database
from briefings.store._stories import _story, figure_from_row, quote_from_row
from briefings.store._time import from_db, to_db
from briefings.store.values import DatedFigure, DatedQuote


class WindowsMixin:
    db: Database

    # A window is the stories stored after one mark (a rowid) up to another: exact, whatever
    # the clocks say, so consecutive briefings neither repeat nor drop a story. Without an
    # earlier mark (a channel's first briefing), `since` bounds it by fetch time instead.

    def story_mark(self) -> int:
        """The newest story's mark: everything stored so far is at or below it."""
        row = self.db.execute("select max(rowid) from stories").fetchone()
        return row[0] or 0

    def stories_fetched(
        self, since: datetime | None, *, after: int = 0, upto: int, limit: int = 1000
    ) -> list[Story]:
        """Stories stored in the window, newest published first."""
        rows = self.db.query(
            f"select * from stories where {_WINDOW} order by published desc limit ?",
            [*_window(since, after, upto), limit],
        )
        return [_story(row) for row in rows]

    def figures_fetched(
        self, since: datetime | None, *, after: int = 0, upto: int
    ) -> list[DatedFigure]:
        rows = self.db.query(
            "select f.* from figures f join stories on stories.id = f.story_id "
            f"where {_WINDOW} order by f.published, f.id", _window(since, after, upto),
        )
        return [DatedFigure(figure_from_row(r), from_db(r["published"])) for r in rows]

    def quotes_fetched(
        self, since: datetime | None, *, after: int = 0, upto: int
    ) -> list[DatedQuote]:
        rows = self.db.query(
            "select q.* from quotes q join stories on stories.id = q.story_id "
            f"where {_WINDOW} order by q.published desc, q.id", _window(since, after, upto),
        )
        return [DatedQuote(quote_from_row(r), from_db(r["published"])) for r in rows]

    def claim_reported_before(
        self, figure: Figure, since: datetime | None, *, after: int = 0
    ) -> bool:
        """Whether the same claim (series and amount) arrived before the window."""
        row = self.db.execute(
            "select 1 from figures f join stories s on s.id = f.story_id "
            "where f.series_key = ? and f.value is not distinct from ? "
            "and f.low is not distinct from ? and f.high is not distinct from ? "
            "and (s.rowid <= ? or s.fetched < ?) limit 1",
            [figure.series, figure.value, figure.low, figure.high, after,
             to_db(since) if after == 0 and since else ""],
        ).fetchone()
        return row is not None

    def series_before(self, series: str, published: datetime, story_id: str | None = None, *,
                      limit: int = 500) -> list[DatedFigure]:
        """The newest `limit` figures of a series published before `published`, and the past
        counts story `story_id` restates ("up from 1,582"), oldest first."""
        rows = list(self.db.query(
            "select * from figures where series_key = ? "
            "and (published < ? or (story_id = ? and earlier = 1)) "
            "order by published desc, id desc limit ?",
            [series, to_db(published), story_id, limit],
        ))
        return [DatedFigure(figure_from_row(r), from_db(r["published"])) for r in reversed(rows)]


_WINDOW = "stories.rowid > ? and stories.rowid <= ? and stories.fetched >= ?"


def _window(since: datetime | None, after: int, upto: int) -> list:
    # With an earlier mark, fetch times are not consulted: a story may be stamped a moment
    # before the last briefing yet stored after it, and it must still come next time.
    return [after, upto, to_db(since) if since is not None and after == 0 else ""]


