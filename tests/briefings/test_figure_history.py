"""Figure histories: running tallies per claimant, one local authority, sides never merged."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from briefings.models import Figure, Story
from briefings.queries import figures
from briefings.store import Store
from briefings.topics import load_topics

TOPICS = load_topics(Path(__file__).parents[2] / "config" / "topics.toml")
DAY = datetime(2022, 3, 11, tzinfo=UTC)


def story(n: int, outlet: str = "Wire") -> Story:
    when = DAY + timedelta(days=n)
    return Story(id=f"s{n}", source_id="src", outlet=outlet, title=f"Mariupol update {n}",
                 url=f"https://wire.example/{n}", guid=None, published=when, fetched=when,
                 summary="", text="Mariupol", text_origin="page", cluster_id=f"s{n}")


def toll(n: int, value: float, claimant: str, kind: str = "killed") -> Figure:
    return Figure(value=value, low=None, high=None, approx="exact", what="civilians killed",
                  kind=kind, where="Mariupol", claimant=claimant, sentence="", story_id=f"s{n}")


def history(rows: list[Figure], days: int) -> list[list[tuple[float, str | None, float | None]]]:
    store = Store(":memory:")
    store.bulk_add([story(n) for n in range(days)], rows, [])
    result = figures(store, TOPICS, "Mariupol")
    return [
        [(c.figure.value, c.figure.claimant, c.previous.figure.value if c.previous else None)
         for c in series.claims]
        for group in result.groups for series in group.series
    ]


def test_a_place_and_its_council_are_one_claimant_with_a_running_tally():
    rows = [toll(0, 1582, "Mariupol"), toll(2, 2187, "Mariupol city council"),
            toll(4, 2300, "the city council")]
    assert history(rows, 5) == [[(2300, "the city council", 2187),
                                 (2187, "Mariupol city council", 1582),
                                 (1582, "Mariupol", None)]]


def test_a_smaller_figure_is_another_quantity_not_a_fall():
    rows = [toll(0, 1582, "Mariupol city council"), toll(1, 2187, "Mariupol city council"),
            toll(2, 300, "Mariupol city council")]
    series = history(rows, 3)
    assert [(2187, "Mariupol city council", 1582),
            (1582, "Mariupol city council", None)] in series
    assert [(300, "Mariupol city council", None)] in series


def test_different_sides_are_never_merged():
    rows = [toll(0, 1351, "Russia", "troops_killed"),
            toll(1, 16000, "Ukraine's general staff", "troops_killed"),
            toll(2, 7000, "NATO", "troops_killed")]
    series = history(rows, 3)
    assert sorted(series) == sorted([[(1351, "Russia", None)],
                                     [(16000, "Ukraine's general staff", None)],
                                     [(7000, "NATO", None)]])
