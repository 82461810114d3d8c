"""The bundled samples read as an analyst would: the briefing, `latest` and `figures` on the
sample feeds polled with extraction (a Japan Today-shaped world feed with war and non-war
stories)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from briefings.compose import compose_alerts, compose_briefing
from briefings.conflicts import load_conflicts
from briefings.queries import figures, latest
from briefings.store import Store
from tests.bot.conftest import ROOT

NOT_WAR = ("quake", "stocks", "election", "world cup", "mitoma")  # the samples' non-war items


@pytest.fixture(scope="module")
def store(corpus_db: Path, topics):
    store = Store(corpus_db, topics, load_conflicts(ROOT / "config" / "conflicts.toml"))
    yield store
    store.close()


@pytest.fixture(scope="module")
def briefing(store, topics):
    store.subscribe("C0SAMPLES", "Mariupol", datetime(2000, 1, 1, tzinfo=UTC))
    return compose_briefing(store, topics, channel="C0SAMPLES", now=datetime.now(UTC),
                            since=datetime(2000, 1, 1, tzinfo=UTC))


def _titles(briefing) -> list[str]:
    titles = [d.story.title for d in briefing.developments]
    titles += [d.story.title for section in briefing.topics for d in section.developments]
    lines = [line for group in briefing.figure_groups for line in group.lines]
    titles += [line.story.title for line in lines if line.story]
    titles += [q.story.title for q in briefing.quotes if q.story]
    return titles


def test_no_non_war_story_leads_anything(store, topics, briefing):
    assert store.story_count() > len(briefing.developments)  # the non-war items were stored
    for title in _titles(briefing):
        assert not any(word in title.casefold() for word in NOT_WAR), title
    for topic in ("Japan", "Fukushima", "Tokyo", "Seoul"):
        for headline in latest(store, topics, topic).headlines:
            assert not any(w in headline.story.title.casefold() for w in NOT_WAR), headline
    stories = store.stories_fetched(None, upto=store.story_mark())
    followed = [s for s in stories if store.followed(s)]
    for alert in compose_alerts(topics, ["Japan", "Fukushima"], followed, {}, {}).values():
        for item in alert.items:
            assert not any(w in item.story.title.casefold() for w in NOT_WAR), item.story.title


def test_the_briefing_spans_kinds_and_stories(briefing):
    kinds = {group.kind for group in briefing.figure_groups}
    assert len(kinds) >= 4, kinds
    assert len({q.quote.story_id for q in briefing.quotes}) >= 3
    assert briefing.conflicts and "Ukraine" in briefing.conflicts[0]


def test_no_change_crosses_two_series_and_no_restated_count_is_new(store, topics, briefing):
    lines = [line for group in briefing.figure_groups for line in group.lines]
    for line in lines:
        assert not line.figure.earlier, line.figure
        if line.previous is not None:
            assert line.previous.series == line.figure.series, (line.figure, line.previous)
    for group in figures(store, topics, "Ukraine").groups:
        for series in group.series:
            assert not series.claims[0].figure.earlier
            for claim in series.claims:
                if claim.previous is not None:
                    assert claim.previous.figure.series == claim.figure.series


def test_russia_and_ukraine_counts_of_russian_losses_side_by_side(store, topics):
    history = figures(store, topics, "Russia")
    losses = [s for g in history.groups for s in g.series if g.kind == "troops_killed"]
    (own,) = [s for s in losses if s.claims[0].figure.value == 1351]  # Russia's own count
    russian = [s for s in losses if s.compare == own.compare]
    parties = {s.party for s in russian}
    assert {"Russia", "Ukraine"} <= parties, [(s.claimant, s.party) for s in russian]
    assert len({s.compare for s in russian}) == 1
