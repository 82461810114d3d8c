"""Quotation marks paired per paragraph, on plain strings.

An opening mark with no close runs to the end of its paragraph and, when the next paragraph opens
with a mark, continues there (the news convention for quotes over several paragraphs). Odd marks
never stop the rest of the article from being read.
"""

from __future__ import annotations

from dataclasses import dataclass

OPENING = frozenset("“„«")
CLOSING = frozenset("”»")
STRAIGHT = '"'


@dataclass(frozen=True, slots=True)
class MarkedSpan:
    """Characters between a pair of marks in one paragraph (marks excluded)."""

    start: int
    end: int
    closed: bool  # a closing mark ends it (False: it runs to the end of the paragraph)


def pair_marks(paragraph: str) -> list[MarkedSpan]:
    """The quoted spans of one paragraph, outermost only (nested single quotes stay inside)."""
    spans: list[MarkedSpan] = []
    open_at: int | None = None
    for i, char in enumerate(paragraph):
        if char in OPENING or (char == STRAIGHT and open_at is None):
            if open_at is not None:  # a new opening before a close: the old one ends here
                spans.append(MarkedSpan(open_at + 1, i, False))
            open_at = i
        elif char in CLOSING or char == STRAIGHT:
            if open_at is not None:
                spans.append(MarkedSpan(open_at + 1, i, True))
                open_at = None
    if open_at is not None:
        spans.append(MarkedSpan(open_at + 1, len(paragraph), False))
    return [s for s in spans if paragraph[s.start : s.end].strip()]


def runs_on(spans: list[MarkedSpan], paragraph: str) -> bool:
    """Whether the paragraph ends inside a quote."""
    return bool(spans) and not spans[-1].closed and spans[-1].end == len(paragraph)
