"""Quotation marks paired per paragraph, on plain strings.

An opening mark with no close runs to the end of its paragraph and, when the next paragraph opens
with a mark, continues there (the news convention for quotes over several paragraphs). Odd marks
never stop the rest of the article from being read.

Some house styles quote with curly single marks (‘…’). A paragraph with no double marks is read
that way; its closing ’ is told from an apostrophe by what surrounds it ("Verkhnia’s" is a word,
"…tonight,’ he said" closes).
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


SINGLE_OPENING = "‘"
SINGLE_CLOSING = "’"
_CLOSING_AFTER = frozenset(",.!?…—–")


def _single_closes(paragraph: str, start: int, stop: int) -> int | None:
    """Where the single-quoted span opened before `start` closes, looking before `stop`."""
    candidates = [
        i
        for i in range(start, stop)
        if paragraph[i] == SINGLE_CLOSING
        and (i + 1 == len(paragraph) or not paragraph[i + 1].isalnum())
    ]
    after_punctuation = [i for i in candidates if paragraph[i - 1] in _CLOSING_AFTER]
    if after_punctuation:
        return after_punctuation[0]
    return candidates[0] if candidates else None


def _pair_singles(paragraph: str) -> list[MarkedSpan]:
    spans: list[MarkedSpan] = []
    opens = [
        i
        for i, char in enumerate(paragraph)
        if char == SINGLE_OPENING and (i == 0 or not paragraph[i - 1].isalnum())
    ]
    cursor = 0
    for n, at in enumerate(opens):
        if at < cursor:
            continue
        stop = opens[n + 1] if n + 1 < len(opens) else len(paragraph)
        close = _single_closes(paragraph, at + 1, stop)
        if close is None:
            spans.append(MarkedSpan(at + 1, stop, False))
            cursor = stop
        else:
            spans.append(MarkedSpan(at + 1, close, True))
            cursor = close + 1
    return [s for s in spans if paragraph[s.start : s.end].strip()]


def pair_marks(paragraph: str) -> list[MarkedSpan]:
    """The quoted spans of one paragraph, outermost only (nested single quotes stay inside)."""
    if SINGLE_OPENING in paragraph and not any(
        char in OPENING or char in CLOSING or char == STRAIGHT for char in paragraph
    ):
        return _pair_singles(paragraph)
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
