"""A world feed is not a war feed: stories of no followed conflict never lead a briefing, an
alert or a reply; they are still stored and counted."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from briefings.compose import compose_alerts, compose_briefing
from briefings.conflicts import load_conflicts
from briefings.models import Extraction, Figure, Quote, Story
from briefings.queries import figures, latest, quotes
from briefings.store import Store
from briefings.topics import load_topics

CONFIG = Path(__file__).resolve().parents[2] / "config"
TOPICS = load_topics(CONFIG / "topics.toml")
NOW = datetime(2024, 3, 10, 9, 0, tzinfo=UTC)

WAR = ("Russian shelling kills 12 in Kharkiv",
       "Russian shelling killed 12 civilians in Kharkiv overnight, the regional governor Oleh "
       "Synehubov said. Ukrainian troops repelled an assault near Kupiansk, the army said.")
QUAKE = ("Strong quake off Fukushima kills two, derails bullet train",
         "A magnitude 7.3 earthquake struck off Fukushima on Wednesday night, killing two people "
         "in Kharkiv prefecture's sister city, officials said. Trains were halted.")
MATCH = ("Japan beat Ukraine 2-0 in Kyiv friendly",
         "Japan beat Ukraine 2-0 in a friendly in Kyiv on Tuesday, with two late goals. "
         "The coach said his attack had been sharp.")


def _store(tmp_path: Path) -> Store:
    return Store(tmp_path / "s.db", TOPICS, load_conflicts(CONFIG / "conflicts.toml"))


def _add(store: Store, story_id: str, title: str, text: str, minutes: int) -> Story:
    when = NOW - timedelta(minutes=minutes)
    story = Story(id=story_id, source_id="src", outlet="Tokyo Today", title=title,
                  url=f"https://example.test/{story_id}", guid=None, published=when,
                  fetched=when, summary="", text=text, text_origin="page", cluster_id=story_id)
    store.add_story(story, [f"url:{story_id}"], None)
    figure = Figure(value=12 if story_id == "war" else 2, low=None, high=None, approx="exact",
                    what="people killed", kind="killed", where="Kharkiv",
                    claimant="Oleh Synehubov", sentence=text.split(". ")[0])
    quote = Quote(text=f"We are counting the dead in Kharkiv after {story_id}",
                  speaker="Oleh Synehubov", cue="said", sentence="")
    store.save_extraction(story_id, Extraction((figure,), (quote,)), when)
    return store.get_story(story_id)


def test_only_war_stories_lead_briefings_alerts_and_replies(tmp_path):
    store = _store(tmp_path)
    war = _add(store, "war", *WAR, minutes=30)
    quake = _add(store, "quake", *QUAKE, minutes=20)
    match = _add(store, "match", *MATCH, minutes=10)
    assert war.conflicts == ("russia-ukraine",)
    assert quake.conflicts == () and match.conflicts == ()

    briefing = compose_briefing(store, TOPICS, channel=None, now=NOW, since=None)
    assert [d.story.id for d in briefing.developments] == ["war"]
    lines = [line for group in briefing.figure_groups for line in group.lines]
    assert [line.figure.story_id for line in lines] == ["war"]
    assert {q.quote.story_id for q in briefing.quotes} == {"war"}
    assert briefing.stories == 3  # still counted in the footer
    assert briefing.conflicts and "Ukraine" in briefing.conflicts[0]

    answer = latest(store, TOPICS, "Kharkiv", now=NOW)
    assert [h.story.id for h in answer.headlines] == ["war"]
    history = figures(store, TOPICS, "Kharkiv")
    assert {c.figure.story_id for g in history.groups for s in g.series for c in s.claims} == {
        "war"}
    said = quotes(store, TOPICS, "Synehubov")
    assert {q.story.id for q in said.quotes} == {"war"}
    assert [s.id for s in store.stories_fetched(None, upto=store.story_mark())
            if store.followed(s)] == ["war"]


def test_alerts_skip_what_the_worker_filters_out(tmp_path):
    store = _store(tmp_path)
    stories = [_add(store, *row, minutes=m) for row, m in
               ((("war", *WAR), 30), (("quake", *QUAKE), 20))]
    followed = [s for s in stories if store.followed(s)]
    alerts = compose_alerts(TOPICS, ["Kharkiv"], followed, {}, {})
    assert [item.story.id for item in alerts["kharkiv"].items] == ["war"]


def test_without_conflicts_every_story_is_news(tmp_path):
    store = Store(tmp_path / "plain.db", TOPICS)
    _add(store, "quake", *QUAKE, minutes=20)
    briefing = compose_briefing(store, TOPICS, channel=None, now=NOW, since=None)
    assert [d.story.id for d in briefing.developments] == ["quake"]


def test_counter_claims_of_one_quantity_come_together_with_their_parties(tmp_path):
    """`figures Russia` shows Russia's count of its dead and Ukraine's counter-claim beside it,
    each with the side its claimant speaks for."""
    store = _store(tmp_path)
    rows = [("ru", "Russia says 1,351 soldiers killed in Ukraine",
             "Russia's defence ministry said 1,351 Russian soldiers had been killed in Ukraine.",
             Figure(value=1351, low=None, high=None, approx="exact", what="soldiers killed",
                    kind="troops_killed", where=None, claimant="Russia's defence ministry",
                    sentence="", whose="Russian")),
            ("ua", "Kyiv says about 16,000 Russian troops killed",
             "Ukraine's general staff said about 16,000 Russian troops had been killed in the war.",
             Figure(value=16000, low=None, high=None, approx="about", what="Russian dead",
                    kind="troops_killed", where=None, claimant="Ukraine's general staff",
                    sentence="", whose="Russian"))]
    for minutes, (story_id, title, text, figure) in enumerate(rows):
        when = NOW - timedelta(hours=minutes)
        store.add_story(Story(id=story_id, source_id="src", outlet="Wire", title=title,
                              url=f"https://example.test/{story_id}", guid=None, published=when,
                              fetched=when, summary="", text=text, text_origin="page",
                              cluster_id=story_id), [f"url:{story_id}"], None)
        store.save_extraction(story_id, Extraction((figure,), ()), when)
    history = figures(store, TOPICS, "Russia")
    series = [s for g in history.groups for s in g.series]
    by_value = {s.claims[0].figure.value: s for s in series}
    assert by_value[1351].compare == by_value[16000].compare
    assert (by_value[1351].party, by_value[16000].party) == ("Russia", "Ukraine")
    answer = latest(store, TOPICS, "Russia", now=NOW)
    values = [claim.figure.value for claim in answer.figures]
    assert 1351 in values and 16000 in values


def test_the_side_counted_is_the_party_however_the_article_names_it(tmp_path):
    """"Russian soldiers", "Moscow's soldiers" (whose = Moscow) and "Russians" are Russia's dead
    in a Russia–Ukraine story: one quantity, so the claims about it stand side by side."""
    store = _store(tmp_path)
    text = ("Russia's defence ministry said Russian soldiers had been killed in Ukraine, while "
            "Ukraine's general staff gave a far higher toll for the Russian army.")
    when = NOW - timedelta(hours=1)
    store.add_story(Story(id="s", source_id="src", outlet="Wire", title="Russia and Ukraine "
                          "trade claims of Russian losses", url="https://example.test/s",
                          guid=None, published=when, fetched=when, summary="", text=text,
                          text_origin="page", cluster_id="s"), ["url:s"], None)
    rows = [(1351, "Russia's defence ministry", "Russian"), (498, "Moscow", "Moscow"),
            (16000, "Ukraine's general staff", "Russians")]
    store.save_extraction("s", Extraction(tuple(
        Figure(value=value, low=None, high=None, approx="exact", what="soldiers killed",
               kind="troops_killed", where=None, claimant=claimant, sentence="", whose=whose)
        for value, claimant, whose in rows), ()), when)
    series = {s.claims[0].figure.value: s for g in figures(store, TOPICS, "Russia").groups
              for s in g.series}
    assert series[1351].compare == series[498].compare == series[16000].compare
    assert (series[1351].party, series[16000].party) == ("Russia", "Ukraine")
