"""Rendering the briefing: escaped, within Block Kit limits whatever the volume."""

from __future__ import annotations

import json

from bot.render.briefing import alert_message, briefing_message, figure_phrase, number
from bot.render.mrkdwn import MAX_BLOCKS, MAX_HEADER_TEXT, MAX_SECTION_TEXT
from briefings.compose import compose_alerts, compose_briefing
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
    body = json.dumps(blocks)
    assert "more topics" in body
    assert "_and 292 more_" in body  # 300 developments, 8 shown
    assert "more figures" in body
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
    assert blocks[-1]["type"] == "context"
    assert "0 stories from 0 of 0 sources" in blocks[-1]["elements"][0]["text"]


def test_alert_within_limits(store, topics):
    stories = [add_story(store, f"s{i}", f"Mariupol {i} <!channel>",
                         fetched=at("2024-03-10T02:00:00+00:00")) for i in range(40)]
    alert = compose_alerts(topics, ["Mariupol", "mariupol"], stories, {}, {})["mariupol"]
    assert alert.topic == "Mariupol"
    text, blocks = alert_message(alert, "UTC")
    _check_limits(blocks)
    assert "and 30 more stories" in json.dumps(blocks)
    assert "<!channel>" not in json.dumps(blocks) + text


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
