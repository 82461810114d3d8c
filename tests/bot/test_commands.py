"""Parsing `/conflict` text, and every hostile input answered usefully against a real store."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from slack_sdk.models.blocks import Block

from bot.commands import Command, Reply, answer, parse
from bot.render.blocks import Message
from briefings.models import Extraction, Figure, Quote, Story
from briefings.queries import fts_query, latest
from briefings.settings import load_settings
from briefings.store import Store
from tests.bot.support import ROOT, all_text, check_limits

NOW = datetime(2022, 3, 20, tzinfo=UTC)

HOSTILE = [
    '"', '""', '"Mariupol', "Mariupol\"", "*", "Mari*", "NEAR(Kyiv Mariupol)", "Kyiv OR Lviv",
    "Kyiv AND", "NOT Kyiv", "-Kyiv", "Kyiv -Lviv", "(Kyiv", "Kyiv)", "^Kyiv", "title:Kyiv",
    "{title text}: Kyiv", "'; DROP TABLE stories; --", "1=1; select * from figures", "🔥💥🚀",
    "Київ", "Kyïv", "KYIV", "kiev", "x" * 10_000, "Mariupol " * 1500, "\x00Kyiv", "a\u200bb",
    "<!channel>", "<@U012AB3CD>", "<https://evil.example|click me>", "&amp;", "%s %d {0}",
    "\\", "Kyiv\nMariupol", "“Kyiv”", "’", "NEAR", "OR", "AND", "-", ":", "()", "\"\"\"\"\"",
    "<!here>", "<!subteam^S012ABCDEF>", "<#C012AB3CD|general>", "Kyiv <!channel> <@U012AB3CD>",
    "&lt;!channel&gt;", "<http://evil.example>",
]
# Slack reads `<...>` in mrkdwn (and in the fallback text) as a mention or a link. The only ones
# a reply may hold are links to the stored stories, whose URLs are all https://w.example/<n>.
SLACK_SEQUENCE = re.compile(r"<[^<>]*>")
STORY_LINK = re.compile(r"<https://w\.example/\d+\|[^<>|]*>")
# In mrkdwn a bare & starts an entity; the input's own & must arrive as &amp;.
BARE_AMPERSAND = re.compile(r"&(?!(?:amp|lt|gt);)")


@pytest.mark.parametrize(("text", "expected"), [
    ("latest Mariupol", Command("latest", "Mariupol")),
    ("  LATEST   kyiv  region ", Command("latest", "kyiv region")),
    ('figures "Mariupol"', Command("figures", "Mariupol")),
    ("quotes Zelenskyy", Command("quotes", "Zelenskyy")),
    ("subscribe Kharkiv", Command("subscribe", "Kharkiv")),
    ("unsubscribe Kharkiv", Command("unsubscribe", "Kharkiv")),
    ("subscriptions", Command("subscriptions")),
    ("sources", Command("sources")),
    ("digest", Command("digest")),
    ("digest off", Command("digest_off")),
    ("digest at 08:00 Asia/Tokyo", Command("digest_at", time="08:00", tz="Asia/Tokyo")),
    ("digest at 08:00 JST", Command("digest_at", time="08:00", tz="Asia/Tokyo")),
    ("digest at 09:30 cet", Command("digest_at", time="09:30", tz="Europe/Paris")),
    ("digest at 07:00 EET", Command("digest_at", time="07:00", tz="Europe/Kyiv")),
    ("digest at 7:05", Command("digest_at", time="07:05")),
    ("digest 23:59 UTC", Command("digest_at", time="23:59", tz="UTC")),
    ("", Command("help")),
    ("help", Command("help")),
])
def test_parse(text, expected):
    assert parse(text) == expected


@pytest.mark.parametrize("text", [
    "latest", "figures   ", "frobnicate", "digest at 24:00", "digest at 08:00 Mars/Base",
    "digest at 08:00 ../../etc/passwd", "digest at noon", "latest 🔥", "latest " + "x" * 10_000,
    "digest at 08:00 Asia/Tokyo extra",
])
def test_unusable_input_becomes_help_with_the_reason(text):
    command = parse(text)
    assert command.action == "help" and command.problem


@pytest.fixture(scope="module")
def reply(tmp_path_factory) -> Reply:
    path: Path = tmp_path_factory.mktemp("cmd") / "sitrep.db"
    store = Store(path)
    for n, (title, text) in enumerate([("Kyiv under curfew", "Strikes on Kyiv overnight."),
                                       ("Mariupol toll rises", "Mariupol city council said.")]):
        story = Story(id=f"s{n}", source_id="src", outlet="Wire", title=title,
                      url=f"https://w.example/{n}", guid=None, published=NOW, fetched=NOW,
                      summary="", text=text, text_origin="feed", cluster_id=f"s{n}")
        store.add_story(story, [f"url:{n}"], None)
        store.save_extraction(story.id, Extraction(
            (Figure(2187.0, None, None, "exact", "residents killed", "killed", "Mariupol",
                    "Mariupol city council", "2,187 residents killed", "2,187"),),
            (Quote("We will never forgive this crime", "Vadym Boychenko", "said", ""),)), NOW)
    settings = load_settings({"SITREP_DB": str(path)}, config_dir=ROOT / "config")
    from briefings.topics import load_topics

    return Reply(store, load_topics(ROOT / "config" / "topics.toml"), settings, NOW, "C0TEST",
                 "U0TEST")


def mrkdwn_texts(message: Message) -> list[str]:
    """What Slack parses for mentions, links and entities: the fallback and every mrkdwn text."""
    found = [message.text]

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if node.get("type") == "mrkdwn":
                found.append(node["text"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(message.blocks)
    return found


def check_block_kit(message: Message) -> None:
    """Within Slack's limits (check_limits), and blocks the Slack SDK parses back unchanged and
    validates: known block types, required fields present, no misspelt keys."""
    assert message.blocks, "an empty reply"
    check_limits(message.text, message.blocks)
    for block in message.blocks:
        parsed = Block.parse(block)
        assert parsed is not None and type(parsed) is not Block, f"unknown block {block}"
        parsed.validate_json()
        assert parsed.to_dict() == block


def check_no_slack_syntax_from_input(message: Message) -> None:
    """No mention (<!channel>, <!here>, <@U…>, <#C…>, <!subteam^…>) and no link but the stored
    stories' in the reply; every & in mrkdwn is an entity."""
    for text in [*mrkdwn_texts(message), all_text(message.blocks)]:
        for sequence in SLACK_SEQUENCE.findall(text):
            assert STORY_LINK.fullmatch(sequence), f"{sequence!r} reaches Slack unescaped"
    for text in mrkdwn_texts(message):
        assert not BARE_AMPERSAND.search(STORY_LINK.sub("", text)), text


def names_the_problem(problem: str, verb: str, topic: str) -> bool:
    """The reason a topic was refused names what was wrong with it: no topic at all, its length,
    or the topic itself (which had no words)."""
    return (f"`{verb}` needs a topic" in problem
            or f"That topic is {len(' '.join(topic.split())):,} characters long" in problem
            or f"“{topic}” has no words to search for" in problem)


@pytest.mark.parametrize("verb", ["latest", "figures", "quotes", "subscribe"])
@pytest.mark.parametrize("topic", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_input_gets_a_useful_reply(reply, verb, topic):
    command = parse(f"{verb} {topic}")
    message = answer(command, reply)
    check_block_kit(message)
    check_no_slack_syntax_from_input(message)
    if command.action == "help":
        # refused: the reason first (also as the notification text), then how to use /conflict
        assert command.problem and names_the_problem(command.problem, verb, topic), command
        assert message.text == command.problem
        assert message.blocks[0]["text"]["text"] == command.problem
        assert f"`/conflict {verb} " in all_text(message.blocks[1:])
    else:
        assert command.action == verb and command.topic.strip()


@pytest.mark.parametrize(("topic", "shown"), [
    ("<!channel>", "*&lt;!channel&gt;*"),
    ("<!here>", "*&lt;!here&gt;*"),
    ("<@U012AB3CD>", "*&lt;@U012AB3CD&gt;*"),
    ("<https://evil.example|click me>", "*&lt;https://evil.example|click me&gt;*"),
    ("&lt;!channel&gt;", "*&amp;lt;!channel&amp;gt;*"),
])
@pytest.mark.parametrize("verb", ["latest", "figures", "quotes", "subscribe"])
def test_a_mention_typed_as_the_topic_is_shown_as_typed(reply, verb, topic, shown):
    """Nothing is stored about these: the reply says so, naming the topic escaped, so Slack
    shows the characters that were typed and neither pings anyone nor makes a link."""
    message = answer(parse(f"{verb} {topic}"), reply)
    assert shown in all_text(message.blocks)
    assert topic not in all_text(message.blocks) + message.text


@pytest.mark.parametrize("name", HOSTILE)
def test_fts_query_is_only_quoted_phrases(name):
    expression = fts_query([name])
    if expression is not None:
        for phrase in expression.split(" OR "):
            assert phrase.startswith('"') and phrase.endswith('"') and '"' not in phrase[1:-1]


def test_aliases_and_accents_match(reply):
    for typed in ("Kiev", "KYIV", "Kyïv", "Київ"):
        titles = [h.story.title for h in latest(reply.store, reply.topics, typed).headlines]
        assert titles == ["Kyiv under curfew"], typed
    mariupol = latest(reply.store, reply.topics, "mariupil")
    assert mariupol.figures[0].figure.claimant == "Mariupol city council"
