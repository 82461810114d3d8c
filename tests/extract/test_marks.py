"""Quotation marks paired per paragraph, curly or straight, with run-on quotes."""

from __future__ import annotations

import pytest

from briefings.extract.marks import pair_marks, runs_on


def quoted(paragraph: str) -> list[str]:
    return [paragraph[s.start : s.end] for s in pair_marks(paragraph)]


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        ('"We will win," he said.', ["We will win,"]),
        (
            "“This could be long,” he said, “but we stand.”",
            ["This could be long,", "but we stand."],
        ),
        (
            "\"Four days ago, an 'optimistic' scenario,\" he said.",
            ["Four days ago, an 'optimistic' scenario,"],
        ),
        ("No quotes at all, and it’s fine.", []),
        (
            "“Among those killed. How?” he said. “It seems that",
            ["Among those killed. How?", "It seems that"],
        ),
    ],
)
def test_pairs(paragraph: str, expected: list[str]) -> None:
    assert quoted(paragraph) == expected


def test_unclosed_quote_runs_on() -> None:
    paragraph = "“It seems that killing children is a new idea."
    spans = pair_marks(paragraph)
    assert not spans[-1].closed and runs_on(spans, paragraph)
    assert not runs_on(pair_marks("“Closed,” she said."), "“Closed,” she said.")


def test_an_opening_before_a_close_ends_the_previous_quote() -> None:
    assert quoted("“First part “Second part” end") == ["First part ", "Second part"]


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        ("‘We will win,’ he said. ‘Gaza’s people are tired.’",
         ["We will win,", "Gaza’s people are tired."]),
        ("It had hit ‘dozens of targets’ and said the soldiers’ families were safe.",
         ["dozens of targets"]),
        ("‘We saw the soldiers’ bodies,’ he said.", ["We saw the soldiers’ bodies,"]),
        ("‘It never ends", ["It never ends"]),
        ("An “inner” quote with a ‘single’ inside", ["inner"]),
    ],
)
def test_curly_single_marks_as_primary_quotes(paragraph: str, expected: list[str]) -> None:
    assert quoted(paragraph) == expected
