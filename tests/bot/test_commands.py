"""Parsing `/conflict` text, and every hostile input answered usefully against a real store."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.commands import Command, Reply, answer, parse
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
]


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


@pytest.mark.parametrize("verb", ["latest", "figures", "quotes", "subscribe"])
@pytest.mark.parametrize("topic", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_input_gets_a_useful_reply(reply, verb, topic):
    message = answer(parse(f"{verb} {topic}"), reply)
    check_limits(message.text, message.blocks)
    seen = all_text(message.blocks) + message.text
    assert "Traceback" not in seen and "<!channel>" not in seen and "<@U" not in seen
    assert "<https://evil" not in seen


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
