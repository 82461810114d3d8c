"""A topic's figures and quotes as rows for an analyst's own tools: CSV or JSON.

One row per claim (a figure as its first story reported it, syndicated copies folded) and per
quote, oldest first. The columns are `COLUMNS`: the promised ones first, then `record`
("figure" or "quote"), `quote` (a quote's words), `title` and `also` (other outlets carrying the
story). Text cells come from feeds anyone can write, so a cell that a spreadsheet would read as a
formula (starting with `=`, `+`, `-`, `@`, a tab or a carriage return, or their full-width
forms) is neutralised with a leading `'`, in CSV and JSON alike: JSON often ends up in a
spreadsheet too. Numbers stay numbers.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from briefings import queries
from briefings.store import Store
from briefings.topics import Topics

__all__ = ["COLUMNS", "FORMATS", "PROMISED", "export_rows", "neutralise", "to_csv", "to_json"]

PROMISED = ("value", "low", "high", "approx", "kind", "whose", "what", "where", "scope",
            "series", "claimant", "party", "speaker", "date", "outlet", "link")
COLUMNS = (*PROMISED, "record", "quote", "title", "also")
FORMATS = ("csv", "json")
MAX_QUOTES = 5000
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")


def neutralise(cell: Any) -> Any:
    """A text cell no spreadsheet runs: `'=1+1` for `=1+1`; other values unchanged."""
    if isinstance(cell, str) and cell.lstrip(" \u00a0").startswith(_FORMULA_STARTS):
        return "'" + cell
    return cell


def export_rows(store: Store, topics: Topics, topic: str) -> list[dict[str, Any]]:
    """Every figure and quote `/conflict figures` and `/conflict quotes` find on `topic`."""
    history = queries.figures(store, topics, topic)
    rows = []
    for group in history.groups:
        for series in group.series:
            rows += [_figure_row(store, claim) for claim in series.claims]
    found = queries.quotes(store, topics, topic, limit=MAX_QUOTES)
    rows += [_quote_row(hit) for hit in found.quotes]
    rows.sort(key=lambda row: (row["date"], row["record"], row["kind"] or "", row["series"] or ""))
    return [{key: neutralise(value) for key, value in row.items()} for row in rows]


def _figure_row(store: Store, claim: queries.FigureClaim) -> dict[str, Any]:
    figure, story = claim.figure, claim.story
    return _row(
        record="figure", value=_number(figure.value), low=_number(figure.low),
        high=_number(figure.high), approx=figure.approx, kind=figure.kind, whose=figure.whose,
        what=figure.what, where=figure.where, scope=figure.scope, series=figure.series,
        claimant=figure.claimant, party=store.party_of(story.conflicts, figure.claimant),
        date=_date(story.published), outlet=story.outlet, link=story.url, title=story.title,
        also="; ".join(claim.also) or None,
    )


def _quote_row(hit: queries.QuoteHit) -> dict[str, Any]:
    story = hit.story
    return _row(record="quote", speaker=hit.quote.speaker, quote=hit.quote.text,
                date=_date(story.published), outlet=story.outlet, link=story.url,
                title=story.title, also="; ".join(hit.also) or None)


def _row(**values: Any) -> dict[str, Any]:
    return {column: values.get(column) for column in COLUMNS}


def _number(value: float | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


def _date(when: datetime) -> str:
    return when.astimezone(UTC).isoformat(timespec="seconds")


def to_csv(rows: Iterable[dict[str, Any]], columns: Sequence[str] = COLUMNS) -> str:
    """RFC 4180 CSV with a header row; empty cells for missing values."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), lineterminator="\r\n",
                            extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({key: neutralise("" if value is None else value)
                         for key, value in row.items()})
    return buffer.getvalue()


def to_json(rows: Iterable[dict[str, Any]]) -> str:
    """A JSON list of row objects (null for missing values)."""
    return json.dumps([{key: neutralise(value) for key, value in row.items()} for row in rows],
                      ensure_ascii=False, indent=1) + "\n"
