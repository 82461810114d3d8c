"""Figure histories: running tallies per claimant, one local authority, sides never merged."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from briefings.compose import compose_briefing
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
                  kind=kind, where="Mariupol", claimant=claimant,
                  sentence="The toll was reported from Mariupol.", story_id=f"s{n}")


def history(rows: list[Figure], days: int) -> list[list[tuple[float, str | None, float | None]]]:
    store = Store(":memory:", TOPICS)
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


def ranged(n: int, low: float, high: float, claimant: str) -> Figure:
    return Figure(value=None, low=low, high=high, approx="between", what="civilians killed",
                  kind="killed", where="Mariupol", claimant=claimant, sentence="",
                  story_id=f"s{n}")


@pytest.mark.parametrize(("rows", "previous"), [
    # one local authority, however the article names it
    ([toll(0, 1582, "the city council"), toll(1, 2187, "Mariupol city council")], 1582),
    # a range is a figure of the series like any other
    ([ranged(0, 1500, 1600, "Mariupol city council"), toll(1, 2000, "the city council")],
     (1500, 1600)),
    # below the running tally's latest figure: another quantity, not an update
    ([toll(0, 100, "Mariupol city council"), toll(1, 1500, "Mariupol city council"),
      toll(2, 3000, "Mariupol city council"), toll(3, 2000, "Mariupol city council")], None),
    # nobody claims them: unknown claimants are not one claimant
    ([toll(0, 1582, None), toll(1, 2187, None)], None),
    # another side is another series
    ([toll(0, 1582, "Russia's defence ministry"), toll(1, 2187, "Mariupol city council")], None),
    # one incident's toll is not the next incident's: never a change
    ([replace(toll(0, 180, "Russia's defence ministry"), scope="incident", where="Ukraine"),
      replace(toll(1, 200, "Russia's defence ministry"), scope="incident", where="Ukraine")],
     None),
    # another place is another quantity
    ([replace(toll(0, 100, "the regional governor"), where="Lviv"),
      replace(toll(1, 200, "the regional governor"), where="Kharkiv")], None),
    # the same claimant counting another side's dead: another series
    ([replace(toll(0, 1351, "Russia", "troops_killed"), whose="Russian"),
      replace(toll(1, 14000, "Russia", "troops_killed"), whose="Ukrainian")], None),
    # a past count the story itself restates ("up from 1,582") is what it updates
    ([toll(1, 2187, "Mariupol city council"),
      replace(toll(1, 1582, "Mariupol city council"), earlier=True)], 1582),
])
def test_the_briefing_and_figures_agree_on_what_a_figure_updates(rows, previous):
    """One history rule: the briefing's "was X" and `/conflict figures` link the same figures."""
    days = 1 + max(int(row.story_id[1:]) for row in rows)
    store = Store(":memory:", TOPICS)
    store.bulk_add([story(n) for n in range(days)], rows, [])
    newest = next(row for row in reversed(rows) if not row.earlier)
    topic = newest.where or "Mariupol"
    in_figures = [series.claims[0] for group in figures(store, TOPICS, topic).groups
                  for series in group.series
                  if series.claims[0].figure.story_id == newest.story_id]
    briefing = compose_briefing(store, TOPICS, channel=None, since=None,
                                now=DAY + timedelta(days=days - 1, hours=1))
    (line,) = [line for group in briefing.figure_groups for line in group.lines]
    (claim,) = in_figures

    def amount(figure: Figure | None):
        if figure is None:
            return None
        return figure.value if figure.value is not None else (figure.low, figure.high)

    assert amount(line.previous) == amount(claim.previous.figure if claim.previous else None)
    assert amount(line.previous) == previous


def test_a_story_shows_its_exact_figure_not_its_rounding():
    rows = [replace(toll(0, 2200, "Mariupol city council"), approx="nearly"),
            toll(0, 2187, "Mariupol city council")]
    assert history(rows, 1) == [[(2187, "Mariupol city council", None)]]


def test_a_restated_count_is_history_never_the_latest():
    rows = [replace(toll(0, 1582, "Mariupol city council"), earlier=True)]
    assert history(rows, 1) == []


def test_competing_claims_of_one_quantity_share_a_compare_key():
    store = Store(":memory:", TOPICS)
    rows = [replace(toll(0, 1351, "Russia", "troops_killed"), whose="Russian", where=None),
            replace(toll(1, 16000, "Ukraine's general staff", "troops_killed"), whose="Russian",
                    where=None),
            replace(toll(2, 14000, "Russia", "troops_killed"), whose="Ukrainian", where=None)]
    store.bulk_add([story(n) for n in range(3)], rows, [])
    series = [s for g in figures(store, TOPICS, "Mariupol").groups for s in g.series]
    by_claim = {(s.claims[0].figure.value, s.claimant): s.compare for s in series}
    assert by_claim[(1351, "Russia")] == by_claim[(16000, "Ukraine's general staff")]
    assert by_claim[(14000, "Russia")] != by_claim[(1351, "Russia")]


def test_processes_opening_together_after_an_alias_change_recompute_once(database):
    """Web and workers start at once after the aliases changed: one recomputes the series, the
    others find them current (on PostgreSQL under an advisory lock, on SQLite under the write
    lock), and every key is the new one."""
    import threading

    from briefings.topics import Topics

    store = Store(database, TOPICS)
    store.bulk_add([story(n) for n in range(3)],
                   [toll(n, 100.0 + n, "the city council") for n in range(3)], [])
    store.close()
    changed = Topics((("Mariupolis", "Mariupol"),))  # Mariupol now shown as Mariupolis
    counts: list[int] = []
    errors: list[BaseException] = []

    def start() -> None:
        try:
            opened = Store(database, changed)
            counts.append(opened.refreshed["series"])
            opened.close()
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=start) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors and sorted(counts) == [0, 0, 3]
    store = Store(database, changed)
    assert store.refreshed["series"] == 0
    store.close()
