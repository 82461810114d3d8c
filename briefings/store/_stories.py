"""Stories, their identity keys and clusters, and the figures and quotes extracted from them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from briefings.conflicts import Conflicts
from briefings.history import compared, series_key
from briefings.identity import SIMILAR, band_keys, pack_signature, similarity, unpack_signature
from briefings.models import Extraction, Figure, Quote, Story
from briefings.store._db import Database, insert, insert_many, transaction, update
from briefings.store._time import from_db, to_db
from briefings.topics import Topics, fold

CLUSTER_WINDOW = timedelta(days=3)


class StoriesMixin:
    db: Database
    topics: Topics  # the aliases series keys are computed with
    conflicts: Conflicts | None  # what stories are classified with; None: keep their own

    def find_story_by_keys(self, keys: Iterable[str]) -> str | None:
        """The id of a stored story holding any of `keys` (checked in order), or None."""
        for key in keys:
            row = self.db.execute(
                "select story_id from story_keys where key = ? limit 1", [key]
            ).fetchone()
            if row:
                return row[0]
        return None

    def add_keys(self, story_id: str, keys: Iterable[str]) -> None:
        with transaction(self.db):
            insert_many(self.db, "story_keys", ({"key": k, "story_id": story_id} for k in keys),
                        on_conflict="key, story_id")

    def similar_story(
        self, signature: tuple[int, ...], published: datetime
    ) -> tuple[str, str, float] | None:
        """The closest stored story sharing an LSH band within a few days: (id, cluster, sim)."""
        bands = band_keys(signature)
        marks = ",".join("?" * len(bands))
        rows = self.db.execute(
            f"""select distinct s.id, s.cluster_id, s.signature from story_bands b
                join stories s on s.id = b.story_id
                where b.band in ({marks}) and s.published between ? and ?
                limit 200""",
            [*bands, to_db(published - CLUSTER_WINDOW), to_db(published + CLUSTER_WINDOW)],
        ).fetchall()
        best = None
        for story_id, cluster_id, blob in rows:
            score = similarity(signature, unpack_signature(blob))
            if score >= SIMILAR and (best is None or score > best[2]):
                best = (story_id, cluster_id, score)
        return best

    def add_story(
        self, story: Story, keys: Iterable[str], signature: tuple[int, ...] | None
    ) -> bool:
        """Store a new story with its identity keys; False when another poller stored it
        first (two pollers may race on one item: the loser adds nothing and fails nothing)."""
        conflicts = self._conflicts_of(story)
        with transaction(self.db):
            self.db.exclusive("stories")
            stored = insert(self.db, "stories", {
                    "id": story.id, "source_id": story.source_id, "outlet": story.outlet,
                    "title": story.title, "url": story.url, "guid": story.guid,
                    "published": to_db(story.published), "fetched": to_db(story.fetched),
                    "summary": story.summary, "text": story.text,
                    "text_origin": story.text_origin, "text_note": story.text_note,
                    "cluster_id": story.cluster_id,
                    "signature": pack_signature(signature) if signature else None,
                    "conflicts": _joined(conflicts),
                }, on_conflict="id")
            if not stored:
                return False
            insert_many(self.db, "story_conflicts",
                        ({"story_id": story.id, "conflict": c,
                          "published": to_db(story.published)} for c in conflicts or ()),
                        on_conflict="story_id, conflict")
            insert_many(self.db, "story_keys", ({"key": k, "story_id": story.id} for k in keys),
                        on_conflict="key, story_id")
            if signature:
                insert_many(self.db, "story_bands",
                            ({"band": b, "story_id": story.id} for b in band_keys(signature)),
                            on_conflict="band, story_id")
        return True

    def bulk_add(
        self, stories: Sequence[Story], figures: Sequence[Figure], quotes: Sequence[Quote]
    ) -> None:
        """Insert many new stories with their figures and quotes in one transaction.

        For loading archives and benchmark databases: no identity keys or clustering are
        computed (the stories carry their cluster ids), and figures/quotes need `story_id`.
        """
        published = {s.id: to_db(s.published) for s in stories}
        conflicts = {s.id: self._conflicts_of(s) for s in stories}
        with transaction(self.db):
            self.db.exclusive("stories")
            self.db.load("stories", [
                {"id": s.id, "source_id": s.source_id, "outlet": s.outlet, "title": s.title,
                 "url": s.url, "guid": s.guid, "published": published[s.id],
                 "fetched": to_db(s.fetched), "summary": s.summary, "text": s.text,
                 "text_origin": s.text_origin, "text_note": s.text_note,
                 "cluster_id": s.cluster_id, "extracted_at": published[s.id],
                 "conflicts": _joined(conflicts[s.id])}
                for s in stories
            ])
            self.db.load("story_conflicts", [
                {"story_id": sid, "conflict": c, "published": published[sid]}
                for sid, ids in conflicts.items() for c in ids or ()
            ])
            self.db.load("story_keys", [{"key": f"url:{s.url}", "story_id": s.id}
                                        for s in stories if s.url])
            self.db.load("figures", [
                _figure_row(f, f.story_id, published[f.story_id], self.topics,
                            self.party_of(conflicts.get(f.story_id), f.whose))
                for f in figures
            ])
            self.db.load("quotes", [_quote_row(q, q.story_id, published[q.story_id])
                                    for q in quotes])

    def party_of(self, conflicts: tuple[str, ...] | None, name: str | None) -> str | None:
        """The party `name` stands for in one of `conflicts`, when the conflicts file says: a
        claimant's side, or the side counted ("Russian", "Moscow" soldiers → Russia)."""
        if not self.conflicts or not name:
            return None
        for conflict in conflicts or ():
            party = self.conflicts.party_of(conflict, name)
            if party:
                return party
        return None

    def _conflicts_of(self, story: Story) -> tuple[str, ...] | None:
        """What a story being stored is about: classified with the store's conflicts, or, in a
        store opened without them, what the story carries (None, stored as NULL, when nothing:
        the next store opened with conflicts classifies it)."""
        if self.conflicts is not None:
            return self.conflicts.classify(story.title, story.text or story.summary)
        return story.conflicts or None

    def get_story(self, story_id: str) -> Story | None:
        rows = list(self.db.query("select * from stories where id = ?", [story_id]))
        return _story(rows[0]) if rows else None

    def stories(self, *, limit: int = 100, since: datetime | None = None) -> list[Story]:
        rows = self.db.query(
            "select * from stories where published >= ? order by published desc limit ?",
            [to_db(since) or "", limit],
        )
        return [_story(row) for row in rows]

    def cluster_members(self, cluster_id: str) -> list[Story]:
        rows = self.db.query(
            "select * from stories where cluster_id = ? order by published", [cluster_id]
        )
        return [_story(row) for row in rows]

    def story_count(self) -> int:
        return self.db.execute("select count(*) from stories").fetchone()[0]

    def stories_to_extract(self, *, only_new: bool = True, batch: int = 500):
        """Yield batches of (id, text) for stories not yet extracted (or all of them)."""
        where = "where extracted_at is null" if only_new else ""
        last = ""
        while True:
            rows = self.db.execute(
                f"select id, coalesce(text, '') from stories {where} "
                f"{'and' if where else 'where'} id > ? order by id limit ?",
                [last, batch],
            ).fetchall()
            if not rows:
                return
            yield rows
            last = rows[-1][0]

    def save_extraction(self, story_id: str, extraction: Extraction, now: datetime) -> None:
        """Replace a story's figures and quotes with `extraction`. A failed extraction keeps
        what the story had, records the error and leaves the story to be extracted again."""
        row = self.db.execute("select published, conflicts from stories where id = ?",
                              [story_id]).fetchone()
        if row is None:
            return
        published, story_conflicts = row[0], split_conflicts(row[1])
        if extraction.error is not None:
            with transaction(self.db):
                update(self.db, "stories", ("id", story_id),
                       {"extract_error": extraction.error, "extracted_at": None})
            return
        with transaction(self.db):
            self.db.execute("delete from figures where story_id = ?", [story_id])
            self.db.execute("delete from quotes where story_id = ?", [story_id])
            insert_many(self.db, "figures",
                        (_figure_row(f, story_id, published, self.topics,
                                     self.party_of(story_conflicts, f.whose))
                         for f in extraction.figures))
            insert_many(self.db, "quotes",
                        (_quote_row(q, story_id, published) for q in extraction.quotes))
            update(self.db, "stories", ("id", story_id),
                   {"extracted_at": to_db(now), "extract_error": None})


def _figure_row(figure: Figure, story_id: str, published: str, topics: Topics,
                side: str | None = None) -> dict:
    return {
        "story_id": story_id, "value": figure.value, "low": figure.low, "high": figure.high,
        "approx": figure.approx, "what": figure.what, "kind": figure.kind,
        "place": figure.where, "place_key": fold(figure.where) if figure.where else None,
        "claimant": figure.claimant,
        "claimant_key": fold(figure.claimant) if figure.claimant else None,
        "sentence": figure.sentence, "words": figure.words, "published": published,
        "whose": figure.whose, "scope": figure.scope, "earlier": int(figure.earlier),
        "series_key": (key := series_key(topics, figure, side)), "quantity_key": compared(key),
    }


def _quote_row(quote: Quote, story_id: str, published: str) -> dict:
    return {
        "story_id": story_id, "text": quote.text, "speaker": quote.speaker,
        "speaker_key": fold(quote.speaker) if quote.speaker else None, "cue": quote.cue,
        "sentence": quote.sentence, "published": published,
    }


def figure_from_row(row: dict) -> Figure:
    return Figure(
        value=row["value"], low=row["low"], high=row["high"], approx=row["approx"] or "exact",
        what=row["what"] or "", kind=row["kind"] or "", where=row["place"],
        claimant=row["claimant"], sentence=row["sentence"] or "", words=row["words"] or "",
        story_id=row["story_id"], whose=row.get("whose"), scope=row.get("scope"),
        earlier=bool(row.get("earlier")), series=row.get("series_key"),
    )


def quote_from_row(row: dict) -> Quote:
    return Quote(
        text=row["text"], speaker=row["speaker"], cue=row["cue"],
        sentence=row["sentence"] or "", story_id=row["story_id"],
    )


def _story(row: dict) -> Story:
    return Story(
        id=row["id"], source_id=row["source_id"], outlet=row["outlet"] or "",
        title=row["title"] or "", url=row["url"], guid=row["guid"],
        published=from_db(row["published"]), fetched=from_db(row["fetched"]),
        summary=row["summary"] or "", text=row["text"] or "",
        text_origin=row["text_origin"] or "", cluster_id=row["cluster_id"],
        text_note=row["text_note"] or "", conflicts=split_conflicts(row.get("conflicts")),
    )


def _joined(conflicts: tuple[str, ...] | None) -> str | None:
    return None if conflicts is None else "|".join(conflicts)


def split_conflicts(value: str | None) -> tuple[str, ...]:
    """stories.conflicts as ids: "|"-joined, "" for none, NULL (not classified yet) as none."""
    return tuple(c for c in (value or "").split("|") if c)
