"""Composing the briefing: ranking, new figures and their changes, quotes, topics, footer."""

from __future__ import annotations

from briefings.compose import compose_briefing
from tests.worker.support import add_story, at, killed, quote

T0 = at("2024-03-10T00:00:00+00:00")
NOW = at("2024-03-10T08:00:00+00:00")


def test_developments_ranked_by_outlets_then_recency(store, topics):
    add_story(store, "a", "Lone older story", fetched=at("2024-03-10T01:00:00+00:00"),
              published=at("2024-03-09T20:00:00+00:00"))
    add_story(store, "b", "Lone newer story", fetched=at("2024-03-10T02:00:00+00:00"),
              published=at("2024-03-10T01:00:00+00:00"))
    add_story(store, "c1", "Syndicated story", fetched=at("2024-03-10T03:00:00+00:00"),
              published=at("2024-03-09T10:00:00+00:00"), outlet="Tokyo Today")
    add_story(store, "c2", "Syndicated story, reworded", cluster_id="c1",
              fetched=at("2024-03-10T03:00:00+00:00"),
              published=at("2024-03-09T10:25:00+00:00"), outlet="Harbour Herald")
    add_story(store, "old", "Before the window", fetched=at("2024-03-09T23:00:00+00:00"))

    briefing = compose_briefing(store, topics, channel=None, now=NOW, since=T0)

    assert [d.story.id for d in briefing.developments] == ["c1", "b", "a"]
    assert briefing.developments[0].also == ("Harbour Herald",)
    assert briefing.developments[0].outlets == 2
    assert briefing.stories == 4
    assert briefing.sources == 2
    assert briefing.since == T0 and briefing.until == NOW


def test_figures_grouped_by_kind_with_change_against_same_claimant(store, topics):
    add_story(store, "s1", "Mariupol toll", fetched=at("2024-03-09T12:00:00+00:00"),
              published=at("2024-03-09T11:00:00+00:00"),
              figures=[killed(1582, "Mariupol city council"), killed(900, "Russia")])
    add_story(store, "s2", "Mariupol toll rises", fetched=at("2024-03-10T02:00:00+00:00"),
              published=at("2024-03-10T01:00:00+00:00"),
              figures=[killed(2187, "Mariupol city council"), killed(950, "Kremlin"),
                       killed(35, "Lviv governor", where="Yavoriv"),
                       killed(120, "Mariupol city council", kind="wounded", what="wounded")])

    briefing = compose_briefing(store, topics, channel=None, now=NOW, since=T0)

    kinds = [group.kind for group in briefing.figure_groups]
    assert kinds == ["killed", "wounded"]
    lines = {(line.figure.claimant, line.figure.value): line
             for line in briefing.figure_groups[0].lines}
    council = lines[("Mariupol city council", 2187)]
    assert council.previous.value == 1582 and council.change == 605
    assert council.previous_published == at("2024-03-09T11:00:00+00:00")
    # Another claimant's earlier figure is never "the previous one": claims stay side by side.
    assert lines[("Kremlin", 950)].previous is None
    assert lines[("Lviv governor", 35)].previous is None
    assert briefing.figures_total == 4


def test_repeated_and_syndicated_figures_are_not_new(store, topics):
    add_story(store, "s1", "Toll", fetched=at("2024-03-09T12:00:00+00:00"),
              figures=[killed(1582, "Mariupol city council")])
    # Today a syndicated copy repeats yesterday's claim twice and adds one new claim.
    add_story(store, "s2", "Copy", fetched=at("2024-03-10T02:00:00+00:00"),
              figures=[killed(1582, "Mariupol city council"), killed(300, "UN")])
    add_story(store, "s3", "Copy 2", outlet="Harbour Herald",
              fetched=at("2024-03-10T03:00:00+00:00"), figures=[killed(300, "UN")])

    briefing = compose_briefing(store, topics, channel=None, now=NOW, since=T0)

    values = [(line.figure.claimant, line.figure.value)
              for group in briefing.figure_groups for line in group.lines]
    assert values == [("UN", 300)]


def test_quotes_need_a_speaker_and_appear_once(store, topics):
    add_story(store, "s1", "Quotes", fetched=at("2024-03-10T02:00:00+00:00"), quotes=[
        quote("We will never forgive this crime", "Mariupol city council"),
        quote("An unattributed remark of some length", None),
        quote("We will never forgive this crime", "Mariupol city council"),
        quote("One", "Zelensky"), quote("Two", "Zelensky"), quote("Three", "Zelensky"),
    ])

    briefing = compose_briefing(store, topics, channel=None, now=NOW, since=T0)

    texts = [(q.quote.speaker, q.quote.text) for q in briefing.quotes]
    assert ("Mariupol city council", "We will never forgive this crime") in texts
    assert all(speaker for speaker, _ in texts)
    assert len([t for t in texts if t[1] == "We will never forgive this crime"]) == 1
    assert len([t for t in texts if t[0] == "Zelensky"]) == 2  # a few per speaker


def test_one_section_per_subscribed_topic_with_aliases(store, topics):
    store.subscribe("C1", "Kiev", T0)
    store.subscribe("C1", "Odesa", T0)
    store.subscribe("C2", "Mariupol", T0)
    add_story(store, "k", "Curfew in Kyiv", fetched=at("2024-03-10T02:00:00+00:00"),
              figures=[killed(4, "Kyiv mayor", where="Kyiv")],
              quotes=[quote("Kyiv will stand for as long as it takes", "Vitali Klitschko")])
    add_story(store, "m", "Mariupol convoy", fetched=at("2024-03-10T02:00:00+00:00"))

    briefing = compose_briefing(store, topics, channel="C1", now=NOW, since=T0)

    assert [s.topic for s in briefing.topics] == ["Kyiv", "Odesa"]
    kyiv, odesa = briefing.topics
    assert [d.story.id for d in kyiv.developments] == ["k"]
    assert [line.figure.value for line in kyiv.figures] == [4]
    assert [q.quote.speaker for q in kyiv.quotes] == ["Vitali Klitschko"]
    assert not (odesa.developments or odesa.figures or odesa.quotes)


def test_window_starts_at_last_briefing_or_a_day_back(store, topics):
    briefing = compose_briefing(store, topics, channel="C1", now=NOW, since=None)
    assert briefing.since == at("2024-03-09T08:00:00+00:00")
    assert briefing.empty


def test_a_restated_earlier_count_is_not_a_new_figure_in_the_briefing(store):
    from dataclasses import replace
    from datetime import timedelta

    from briefings.topics import Topics

    fetched = at("2024-03-13T10:00:00+00:00")
    now_toll = killed(2187, "Mariupol city council")
    restated = replace(killed(1582, "Mariupol city council"), earlier=True)
    add_story(store, "s1", "Mariupol toll rises", fetched=fetched, figures=[now_toll, restated])
    briefing = compose_briefing(store, Topics(), channel="C1", now=fetched + timedelta(hours=1),
                                since=fetched - timedelta(hours=1))
    values = [line.figure.value for group in briefing.figure_groups for line in group.lines]
    assert values == [2187]
