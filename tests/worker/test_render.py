"""Rendering the briefing: escaped, within Block Kit limits whatever the volume."""

from __future__ import annotations

import json
import re
from dataclasses import replace

from bot.render.briefing import alert_message, briefing_message, figure_phrase, number
from bot.render.mrkdwn import MAX_BLOCKS, MAX_HEADER_TEXT, MAX_SECTION_TEXT
from bot.render.phrases import figure_source
from briefings.compose import compose_alerts, compose_briefing
from briefings.models import Figure
from tests.worker.support import add_story, at, killed, quote

T0 = at("2024-03-10T00:00:00+00:00")
NOW = at("2024-03-10T08:00:00+00:00")


def _check_limits(blocks: list[dict]) -> None:
    assert len(blocks) <= MAX_BLOCKS
    for block in blocks:
        if block["type"] == "header":
            assert len(block["text"]["text"]) <= MAX_HEADER_TEXT
        if block["type"] == "section":
            assert len(block["text"]["text"]) <= MAX_SECTION_TEXT


def test_huge_briefing_stays_within_limits(store, topics):
    for i in range(300):
        add_story(store, f"s{i}", f"Story {i} " + "very long title " * 80,
                  fetched=at("2024-03-10T02:00:00+00:00"),
                  figures=[killed(i + 1, f"Claimant {i} " * 30, what="people killed " * 40)],
                  quotes=[quote("word " * 400, f"Speaker {i}")])
    for i in range(80):
        store.subscribe("C1", f"Topic {i}", T0)

    briefing = compose_briefing(store, topics, channel="C1", now=NOW, since=T0)
    text, blocks = briefing_message(briefing, "Asia/Tokyo")

    _check_limits(blocks)
    body = json.dumps(blocks, ensure_ascii=False)
    assert "more topics" in body
    # 300 developments, 5 shown, and the command that shows more
    assert re.search(r"_and 295 more developments — `/conflict latest Topic \d+`_", body)
    assert "more figures — `/conflict figures Topic" in body
    assert len(text) <= 3000


def test_feed_text_cannot_ping_or_link(store, topics):
    add_story(store, "evil", "<!channel> <@U123> <https://evil.test|click> & co",
              fetched=at("2024-03-10T02:00:00+00:00"), url="javascript:alert(1)",
              figures=[killed(3, "<!here> council", where="<@U1>")],
              quotes=[quote("<!everyone> come *now*", "<@U999>")])

    briefing = compose_briefing(store, topics, channel=None, now=NOW, since=T0)
    _text, blocks = briefing_message(briefing, "UTC")
    body = " ".join(b["text"]["text"] for b in blocks if b["type"] == "section")

    for raw in ("<!channel>", "<@U123>", "<https://evil.test", "<!here>", "<@U1>",
                "<!everyone>", "<@U999>", "javascript:"):
        assert raw not in body
    assert "&lt;!channel&gt;" in body and "&amp; co" in body


def test_empty_briefing_says_so(store, topics):
    briefing = compose_briefing(store, topics, channel=None, now=NOW, since=T0)
    text, blocks = briefing_message(briefing, "UTC")
    assert "Nothing new" in json.dumps(blocks)
    assert [b["type"] for b in blocks[:2]] == ["header", "context"]  # the window, under the title
    assert "0 stories from 0 of 0 sources" in blocks[1]["elements"][0]["text"]
    assert text == "Sitrep briefing 10 Mar: nothing new since the last briefing"


def test_alert_within_limits(store, topics):
    stories = [add_story(store, f"s{i}", f"Mariupol {i} <!channel>",
                         fetched=at("2024-03-10T02:00:00+00:00")) for i in range(40)]
    alert = compose_alerts(topics, ["Mariupol", "mariupol"], stories, {}, {})["mariupol"]
    assert alert.topic == "Mariupol"
    text, blocks = alert_message(alert, "UTC", NOW)
    _check_limits(blocks)
    assert "and 30 more stories — `/conflict latest Mariupol`" in json.dumps(blocks,
                                                                           ensure_ascii=False)
    assert "<!channel>" not in json.dumps(blocks) + text
    first = alert.items[0].story.title.replace("<", "&lt;").replace(">", "&gt;")
    assert text == f"New on Mariupol: {first} (and 39 more stories)"  # the topic, the first story
    assert [b["type"] for b in blocks].count("divider") == 11  # one per story, one before "and"


def test_figure_phrases():
    assert number(1582) == "1,582"
    assert number(2_500_000) == "2.5 million"
    assert number(800_000_000) == "800 million"
    assert number(1_351.5) == "1,351.5"
    figure = killed(1582, "council")
    assert figure_phrase(figure) == "1,582 civilians killed in Mariupol"
    at_least = killed(1582, "council").__class__(
        **{**{s: getattr(figure, s) for s in figure.__slots__}, "approx": "at least"})
    assert figure_phrase(at_least) == "at least 1,582 civilians killed in Mariupol"


def _figure(**changes) -> Figure:
    base = Figure(value=None, low=None, high=None, approx="exact", what="people killed",
                  kind="killed", where=None, claimant=None, sentence="")
    return replace(base, **changes)


def test_figure_phrases_read_as_english():
    # a qualifier that started the article's sentence does not start ours with a capital
    fled = _figure(value=5e6, words="More than 5 million", approx="more than", what="people fled",
                   kind="fled", where="Ukraine")
    assert figure_phrase(fled) == "more than 5 million people fled from Ukraine"
    assert figure_phrase(replace(fled, what="Ukrainians")) \
        == "more than 5 million Ukrainians in Ukraine"  # "from" only for those who fled
    assert figure_phrase(_figure(value=7.7e6, words="A further 7.7 million",
                                 what="people displaced", kind="displaced")) \
        == "a further 7.7 million people displaced"
    # vague amounts take "of"
    assert figure_phrase(_figure(words="Hundreds", what="people sheltering", kind="sheltering")) \
        == "hundreds of people sheltering"
    assert figure_phrase(_figure(words="hundreds of thousands", what="people", kind="trapped")) \
        == "hundreds of thousands of people trapped"
    assert figure_phrase(_figure(words="dozens", what="of them", kind="wounded")) \
        == "dozens of them"
    # a range says "between" once
    assert figure_phrase(_figure(value=3e4, words="30,000 to 40,000", approx="between",
                                 what="Russian soldiers killed", kind="troops_killed")) \
        == "30,000 to 40,000 Russian soldiers killed"
    assert figure_phrase(_figure(value=7e3, words="7,000", approx="between")) \
        == "between 7,000 people killed"
    # a distance from nowhere, claimed by nobody, says so
    distance = _figure(value=60, words="about 60", approx="about", what="kilometres",
                       kind="distance")
    assert (figure_phrase(distance), figure_source(distance)) == ("about 60 km",
                                                                  "no place or source given")
    placed = replace(distance, what="kilometres from Kyiv")
    assert (figure_phrase(placed), figure_source(placed)) == ("about 60 km from Kyiv",
                                                              "unattributed")
