"""Read queries behind the slash commands: every one bounded (LIMIT) and served by an index.

Topic search goes through each backend's full text engine (FTS5, or a `tsvector` on PostgreSQL),
newest stored first (briefings/store/_db.py `Database.search`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from briefings.store._db import Database
from briefings.store._stories import figure_from_row, quote_from_row, split_conflicts
from briefings.store._time import from_db
from briefings.store.values import Found, StoryRef

_REF_FIELDS = ("id", "source_id", "outlet", "title", "url", "published", "cluster_id",
               "conflicts")
_REF_COLUMNS = ", ".join(f"s.{name}" for name in _REF_FIELDS)
# Joined with figures or quotes, the story's columns are renamed so they cannot collide.
_REF_ALIASED = ", ".join(f"s.{name} as s_{name}" for name in _REF_FIELDS)


def _ref(row: Sequence) -> StoryRef:
    return StoryRef(
        id=row[0], source_id=row[1], outlet=row[2] or "", title=row[3] or "", url=row[4],
        published=from_db(row[5]), cluster_id=row[6] or row[0],
        conflicts=split_conflicts(row[7]),
    )


_KEYS_PER_STATEMENT = 50  # far below SQLite's 500 terms of one compound select


def _marks(values: Sequence) -> str:
    return ",".join("?" * len(values))


class SearchMixin:
    db: Database

    def search_stories(self, match: str, *, limit: int) -> list[StoryRef]:
        """The `limit` most recently stored stories matching a search expression, newest first.

        `match` must already be a safe expression of quoted phrases (see briefings.queries).
        """
        marks = self.db.search(match, limit)
        if not marks:
            return []
        rows = self.db.execute(
            f"select {_REF_COLUMNS} from stories s where s.rowid in ({_marks(marks)})", marks,
        ).fetchall()
        return sorted((_ref(r) for r in rows), key=lambda s: (s.published, s.id), reverse=True)

    def cluster_stories(self, cluster_ids: Iterable[str], *, limit: int = 500) -> list[StoryRef]:
        """Every story of the given clusters (syndicated copies), oldest first."""
        ids = sorted(set(cluster_ids))
        if not ids:
            return []
        rows = self.db.execute(
            f"select {_REF_COLUMNS} from stories s where s.cluster_id in ({_marks(ids)}) "
            "order by s.published limit ?",
            [*ids, limit],
        ).fetchall()
        return [_ref(r) for r in rows]

    def figures_where(self, column: str, keys: Iterable[str], *, limit: int
                      ) -> list[Found]:
        """Newest figures whose place or claimant key is one of `keys` (`limit` per key)."""
        if column not in ("place_key", "claimant_key"):
            raise ValueError(column)
        return self._found_each("figures", column, keys, limit)

    def figures_of_quantities(self, quantities: Iterable[str], *, limit: int) -> list[Found]:
        """Newest figures of each quantity (a series key's `kind|whose|where` prefix, see
        briefings.history.compare_key), whoever claims them (`limit` per quantity)."""
        return self._found_each("figures", "quantity_key", quantities, limit)

    def figures_of_stories(self, story_ids: Iterable[str]) -> list[Found]:
        ids = list(dict.fromkeys(story_ids))
        return self._found("figures", f"f.story_id in ({_marks(ids)})", ids) if ids else []

    def quotes_by_speakers(self, keys: Iterable[str], *, limit: int) -> list[Found]:
        return self._found_each("quotes", "speaker_key", keys, limit)

    def quotes_of_stories(self, story_ids: Iterable[str]) -> list[Found]:
        ids = list(dict.fromkeys(story_ids))
        return self._found("quotes", f"f.story_id in ({_marks(ids)})", ids) if ids else []

    def _found_each(self, table: str, column: str, keys: Iterable[str], limit: int
                    ) -> list[Found]:
        """The newest `limit` figures or quotes of each key in `column`, key by key: one
        indexed read per key, sent as one statement (a round trip each would cost more than
        the reads on a database server)."""
        keys = list(dict.fromkeys(keys))
        found: list[Found] = []
        for start in range(0, len(keys), _KEYS_PER_STATEMENT):
            chunk = keys[start:start + _KEYS_PER_STATEMENT]
            reads = [f"select * from ({_read(table, f'f.{column} = ?', rank)} limit ?) k{rank}"
                     for rank in range(len(chunk))]
            rows = self.db.query(" union all ".join(reads)
                                 + " order by key_rank, published desc, id",
                                 [value for key in chunk for value in (key, limit)])
            found += self._found_rows(table, rows)
        return found

    def _found(self, table: str, where: str, params: list, limit: int | None = None
               ) -> list[Found]:
        """Figures or quotes (`f`) matching `where`, with their stories, newest first."""
        rows = self.db.query(
            _read(table, where) + (" limit ?" if limit is not None else ""),
            [*params, limit] if limit is not None else params,
        )
        return self._found_rows(table, rows)

    @staticmethod
    def _found_rows(table: str, rows: Iterable[dict]) -> list[Found]:
        from_row = figure_from_row if table == "figures" else quote_from_row
        return [Found(from_row(r), _ref_from_dict(r), r["id"]) for r in rows]


def _read(table: str, where: str, rank: int | None = None) -> str:
    """Figures or quotes (`f`) matching `where` with their stories, newest first (with `rank`,
    each row carries it as `key_rank`)."""
    ranked = "" if rank is None else f"{rank} as key_rank, "
    return (f"select {ranked}f.*, {_REF_ALIASED} from {table} f "
            f"join stories s on s.id = f.story_id where {where} order by f.published desc, f.id")


def _ref_from_dict(row: dict) -> StoryRef:
    return _ref([row[f"s_{name}"] for name in _REF_FIELDS])
