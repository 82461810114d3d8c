"""The one Block Kit builder: whatever it is given, the message holds Slack's limits."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.render.blocks import MessageBuilder
from bot.render.mrkdwn import (
    MAX_BLOCKS,
    MAX_FIELDS,
    MAX_HEADER_TEXT,
    MAX_SECTION_TEXT,
)
from bot.render.phrases import SLACK, TERMINAL, quoted, source_status
from briefings.models import SourceHealth
from tests.bot.support import check_limits

NOW = datetime(2022, 3, 16, 12, 0, tzinfo=UTC)


def texts(blocks: list[dict]) -> list[str]:
    return [b["text"]["text"] for b in blocks if "text" in b]


def test_sixty_sections_end_in_and_n_more():
    builder = MessageBuilder()
    for n in range(60):
        builder.section(f"Section {n}")
    message = builder.build("sixty")
    check_limits(message.text, message.blocks)
    assert len(message.blocks) <= MAX_BLOCKS - 1  # one left for the "Post to channel" button
    assert texts(message.blocks)[-1] == "_and 12 more sections not shown_"
    assert texts(message.blocks)[-2] == "Section 47"


def test_briefings_and_alerts_may_use_every_block():
    builder = MessageBuilder()
    for n in range(60):
        builder.section(f"Section {n}")
    message = builder.build("sixty", room_for_button=False)
    assert len(message.blocks) == MAX_BLOCKS
    assert texts(message.blocks)[-1] == "_and 11 more sections not shown_"


def test_a_huge_section_is_cut_within_the_limit():
    builder = MessageBuilder()
    builder.section("x" * 10_000)
    builder.section("&amp;" * 2_000)  # never cut inside an escape
    message = builder.build("y" * 10_000)
    check_limits(message.text, message.blocks)
    first, second = texts(message.blocks)
    assert len(first) <= MAX_SECTION_TEXT and first.endswith("…")
    assert len(second) <= MAX_SECTION_TEXT and second.endswith("&amp;…")
    assert len(message.text) <= MAX_SECTION_TEXT


def test_a_header_is_cut_and_shown_verbatim():
    builder = MessageBuilder()
    builder.header("Latest: " + "<!channel> & " * 40)
    builder.header("Sitrep briefing — 16 Mar 2022", emoji_flag=False)
    long_header, briefing = builder.build("h").blocks
    assert len(long_header["text"]["text"]) <= MAX_HEADER_TEXT
    assert not set("<>&") & set(long_header["text"]["text"])
    assert long_header["text"]["emoji"] is True
    assert briefing["text"] == {"type": "plain_text", "text": "Sitrep briefing — 16 Mar 2022"}


def test_fields_at_most_ten():
    builder = MessageBuilder()
    builder.fields([f"column {n}" for n in range(25)], more_label="more claimants")
    builder.fields(["a", "b"])
    message = builder.build("fields")
    check_limits(message.text, message.blocks)
    many, few = (b["fields"] for b in message.blocks)
    assert len(many) == MAX_FIELDS and many[-1]["text"] == "_and 16 more claimants_"
    assert [f["text"] for f in few] == ["a", "b"]


def test_a_long_list_fills_sections_and_ends_in_and_n_more():
    builder = MessageBuilder()
    builder.lines("*Stories*", [f"• story {n} " + "w" * 2_000 for n in range(500)], hidden=7,
                  noun="more stories")
    message = builder.build("stories")
    check_limits(message.text, message.blocks)
    shown = sum(text.count("• story") for text in texts(message.blocks))
    assert 40 < shown < 500
    assert texts(message.blocks)[-1].endswith(f"\n_and {500 - shown + 7} more stories_")


def test_a_listing_is_one_section_with_and_n_more():
    builder = MessageBuilder()
    builder.listing("*Top developments*", [f"• story {n}" for n in range(20)], shown=8,
                    hidden=5)
    builder.listing("*Key figures*", ["• " + "w" * 1_000] * 5, noun="more figures")
    builder.listing("*Kyiv*", ["• one", "• two"])
    message = builder.build("b", room_for_button=False)
    check_limits(message.text, message.blocks)
    top, figures, kyiv = texts(message.blocks)
    assert top.splitlines()[1:] == [f"• story {n}" for n in range(8)] + ["_and 17 more_"]
    assert figures.endswith("\n_and 3 more figures_")
    assert kyiv == "*Kyiv*\n• one\n• two"


def test_a_source_is_described_once_for_every_medium():
    failing = SourceHealth("a", "Frontline", "http://f.test/", "F", NOW - timedelta(hours=2),
                           "HTTP 500 <!channel>", NOW - timedelta(minutes=5), 4, 9, 3,
                           NOW + timedelta(hours=1), 2, "timeout")
    status = source_status(failing, NOW)
    assert (status.state(), status.state("x")) == ("failing (3×)", "failing (3x)")
    assert (status.last_success, status.error_ago) == ("2h ago", "5m ago")
    assert status.backoff_until == NOW + timedelta(hours=1)
    ok = source_status(SourceHealth("b", "Tokyo", "http://t.test/", "T", None, None, None, 0, 0,
                                    0, NOW - timedelta(hours=1)), NOW)
    assert (ok.state(), ok.last_success, ok.error, ok.backoff_until) == ("ok", "never", "", None)


def test_a_quote_is_one_phrase_in_every_medium():
    assert quoted("We <will> hold", "Mayor_X", TERMINAL) == "“We <will> hold” — Mayor_X"
    assert quoted("We <will> hold", "Mayor_X", SLACK) == "“We &lt;will&gt; hold” — *Mayorˍ" \
                                                          "X*"
    assert quoted("x" * 500, None, SLACK, strong=False).endswith("…” — unattributed")
