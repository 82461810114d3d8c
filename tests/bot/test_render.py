"""The renderers, without Slack: golden files for each reply, and oversized, hostile inputs."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

import pytest
from slack_sdk.models.blocks import Block

from bot.render.blocks import Message, as_text
from bot.render.briefing import alert_message, briefing_message
from bot.render.phrases import date_phrase, plural, quote_text
from bot.render.replies import (
    figures_message,
    latest_message,
    quotes_message,
    sources_message,
    subscriptions_message,
    usage_message,
    with_share_button,
)
from bot.render.terminal import briefing_text
from bot.slack.home import home_view
from briefings.compose import (
    Alert,
    AlertItem,
    Briefing,
    Development,
    FigureLine,
    QuoteLine,
    TopicSection,
)
from briefings.compose import FigureGroup as KeyFigures
from briefings.models import Figure, Quote, SourceHealth, Story
from briefings.queries import (
    ChannelSubscriptions,
    FigureClaim,
    FigureGroup,
    FigureHistory,
    FigureSeries,
    Headline,
    Latest,
    QuoteHit,
    QuoteList,
)
from briefings.store import StoryRef
from tests.bot.support import all_text, check_limits

GOLDEN = Path(__file__).parent / "golden"
NOW = datetime(2022, 3, 16, 12, 0, tzinfo=UTC)
HOSTILE = "<!channel> <!here> <@U012AB3CD> <!subteam^S012ABCDEF> <https://evil.example|click me>"


def ref(n: int, title: str, outlet: str = "Tokyo Today", *, days: float = 0,
        url: str | None = None) -> StoryRef:
    return StoryRef(id=f"s{n}", source_id="src", outlet=outlet, title=title,
                    url=url if url is not None else f"https://news.example/{n}",
                    published=NOW - timedelta(days=days), cluster_id=f"c{n}")


def toll(value: float, claimant: str | None, *, kind: str = "killed",
         what: str = "civilians killed", words: str = "", approx: str = "exact") -> Figure:
    return Figure(value=value, low=None, high=None, approx=approx, what=what, kind=kind,
                  where="Mariupol", claimant=claimant, sentence="", words=words)


def mariupol_claims() -> tuple[FigureClaim, FigureClaim]:
    first = FigureClaim(toll(1582, "Mariupol city council", words="1,582", approx="at least"),
                        ref(1, "Mariupol says 1,582 killed", days=4.5))
    second = FigureClaim(toll(2187, "Mariupol city council", words="2,187"),
                         ref(2, "Russian missiles kill 35", "Pacific Wire", days=3), (),
                         previous=first)
    return first, second


UPDATE_HINT = ("run `.venv/bin/python -m pytest tests/bot/test_render.py --update-goldens`, "
               "review what it wrote (`git status`, `git diff`) and commit it")


def check_golden(name: str, message: Message | dict, *, update: bool) -> None:
    """Compare a reply with tests/bot/golden/<name>.json.

    A missing or different golden file fails the test. Golden files are (re)written only when
    pytest runs with `--update-goldens` (the option is declared in tests/conftest.py), so a
    renderer change can never pass by quietly writing its own expectation."""
    data = message._asdict() if isinstance(message, Message) else message
    if isinstance(message, Message):
        check_limits(message.text, message.blocks)
    path = GOLDEN / f"{name}.json"
    rendered = json.dumps(data, indent=1, ensure_ascii=False, sort_keys=True) + "\n"
    if update:
        path.write_text(rendered, encoding="utf-8")
    if not path.exists():
        pytest.fail(f"golden file {path} is missing; to create it, {UPDATE_HINT}", pytrace=False)
    expected = path.read_text(encoding="utf-8")
    assert rendered == expected, (
        f"{path} differs from the reply; if the change is intended, {UPDATE_HINT}")


@pytest.fixture
def golden(update_goldens: bool) -> Callable[[str, Message | dict], None]:
    """`golden(name, message)`: check_golden with the --update-goldens flag of this run."""
    return partial(check_golden, update=update_goldens)


def test_a_missing_golden_fails_and_writes_nothing():
    path = GOLDEN / "no-such-reply.json"
    with pytest.raises(pytest.fail.Exception, match="missing; to create it, run .*--update-golden"):
        check_golden("no-such-reply", usage_message(), update=False)
    assert not path.exists()

def test_latest_golden(golden):
    _, claim = mariupol_claims()
    quote = QuoteHit(Quote("We will never forgive this crime against humanity", "Mariupol city "
                           "council", "said", ""), ref(1, "t", days=4.5))
    result = Latest(
        "mariupol", ("Mariupol", "Mariupil"),
        headlines=(Headline(ref(5, "Russia says 1,351 troops killed", days=0.1),
                            ("Harbour Herald",)),
                   Headline(ref(3, f"{HOSTILE} Convoy leaves", "Frontline Wire", days=1))),
        more_headlines=3, figures=(claim,), quotes=(quote,),
    )
    message = with_share_button(latest_message(result, tz="Asia/Tokyo", now=NOW),
                                "latest Mariupol")
    golden("latest", message)
    text = all_text(message.blocks)
    assert "*2,187 civilians killed in Mariupol* — Mariupol city council" in text
    assert "; was at least 1,582 on" not in text and "; was 1,582 on" in text
    assert "also: Harbour Herald" in text and "and 3 more stories" in text


def test_figures_golden_puts_competing_claims_on_one_line(golden):
    _, claim = mariupol_claims()
    older = FigureClaim(toll(1200, "Mariupol city council", words="1,200"),
                        ref(7, "Mariupol toll", days=400))
    first = FigureClaim(claim.previous.figure, claim.previous.story, previous=older)
    claim = FigureClaim(claim.figure, claim.story, previous=first)

    def troops(value: float, claimant: str, what: str, **extra) -> FigureSeries:
        figure = Figure(value=value, low=None, high=None, kind="troops_killed", what=what,
                        where=None, whose="Russian", claimant=claimant, sentence="",
                        **{"approx": "exact", **extra})
        return FigureSeries("troops_killed", claimant, (FigureClaim(figure, ref(5, "t",
                                                                                days=0.1)),),
                            compare="troops_killed|russian|")
    moscow = troops(1351, "Russia's defence ministry", "soldiers killed")
    kyiv = troops(16000, "Ukraine's general staff", "Russian dead", approx="about",
                  words="about 16,000")
    nato = troops(7000, "NATO", "Russian soldiers killed", approx="between",
                  words="between 7,000 and 15,000")
    mercenaries = FigureSeries("troops_killed", "Igor Konashenkov", (FigureClaim(
        toll(180, "Igor Konashenkov", kind="troops_killed", what="foreign mercenaries killed",
             words="up to 180", approx="up to"), ref(6, "t", days=40)),), compare="x")
    result = FigureHistory("Mariupol", ("Mariupol",), groups=(
        FigureGroup("killed", (FigureSeries("killed", "Mariupol city council",
                                            (claim, claim.previous, older),
                                            compare="killed||mariupol"),)),
        FigureGroup("troops_killed", (moscow, kyiv, nato, mercenaries)),
    ))
    message = figures_message(result, tz="UTC", now=NOW)
    golden("figures", message)
    lines = all_text(message.blocks).splitlines()
    rivals = next(line for line in lines if "Russian troops killed" in line)
    assert rivals == ("• *Russian troops killed*: *1,351* — Russia's defence ministry, "
                      "<https://news.example/5|16 Mar> · *about 16,000* — Ukraine's general "
                      "staff, <https://news.example/5|16 Mar> · *between 7,000 and 15,000* — "
                      "NATO, <https://news.example/5|16 Mar>")
    assert any(line.startswith("• *up to 180 foreign mercenaries killed in Mariupol* — Igor ")
               for line in lines)  # not a rival: another quantity
    # the kinds are headed and divided; a series' history under its line, with the year
    assert [b["type"] for b in message.blocks] == ["header", "section", "divider", "section"]
    assert message.blocks[1]["text"]["text"].startswith("*Killed*\n• *2,187 civilians killed")
    assert "; was 1,582 on <https://news.example/1|12 Mar> (+605)" in rivals.join(lines)
    assert "      earlier: 1,200 (<https://news.example/7|Tokyo Today>, 9 Feb 2021)" in lines


def test_quotes_sources_subscriptions_usage_home_golden(golden):
    hits = tuple(QuoteHit(Quote(f"Quote number {n}, with “marks” & <b>tags</b>", "Volodymyr "
                                "Zelensky", "said", ""), ref(n, "t", days=n)) for n in range(3))
    hits += (QuoteHit(Quote("Zelensky asked for planes,", "Andriy Yermak", "said", ""),
                      ref(4, "t", "Pacific Wire", days=9), ("Harbour Herald",)),)
    quotes = quotes_message(QuoteList("zelenskyy", ("Volodymyr Zelensky", "Zelensky"), True,
                                      hits, more=7), tz="Europe/Kyiv", now=NOW)
    golden("quotes", quotes)
    lines = quotes.blocks[1]["text"]["text"].splitlines()
    # the header names the speaker: the lines do not repeat him, but do name anyone else
    assert lines[0] == ("• “Quote number 0, with “marks” &amp; &lt;b&gt;tags&lt;/b&gt;” — "
                        "<https://news.example/0|Tokyo Today>, 16 Mar")
    assert lines[3] == ("• “Zelensky asked for planes” — *Andriy Yermak*, "
                        "<https://news.example/4|Pacific Wire>, 7 Mar (also: Harbour Herald)")
    health = (SourceHealth("a", f"Frontline {HOSTILE}", "http://f.test/", "F", NOW, "HTTP 500 "
                           "<!channel>", NOW, 4, 9, 2, NOW + timedelta(hours=1)),
              SourceHealth("b", "Tokyo Today", "http://t.test/", "T", NOW, None, None, 4, 4, 0,
                           None))
    golden("sources", sources_message(health, now=NOW, channel_error=(
        "the bot is not in the channel: invite it with /invite @sitrep (not_in_channel)")))
    subs = ChannelSubscriptions("C0TEST", ("Kyiv", "Mariupol"), True, "08:00", "Asia/Tokyo")
    golden("subscriptions", subscriptions_message(subs))
    golden("usage", usage_message("I don't know `frobnicate`."))
    golden("help", usage_message())
    archived = ChannelSubscriptions("C0ARCHIVE", ("Odesa",), error="the channel is archived "
                                    "(is_archived)")
    golden("home", home_view([subs, archived, ChannelSubscriptions("<!channel>", ())], health,
                             now=NOW, default_tz="UTC"))


def test_nothing_to_search_and_nothing_found():
    empty = latest_message(Latest("🔥", (), searchable=False), tz="UTC", now=NOW)
    assert "no words to search for" in all_text(empty.blocks)
    none = latest_message(Latest("Atlantis", ("Atlantis",)), tz="UTC", now=NOW)
    assert "Nothing stored about *Atlantis*" in all_text(none.blocks)


def test_oversized_inputs_stay_within_limits():
    giant = "W" * 10_000 + HOSTILE
    headlines = tuple(Headline(ref(n, giant, giant, url=f"https://x.example/{'a' * 3000}"),
                               tuple(giant for _ in range(50))) for n in range(500))
    claims = [FigureClaim(toll(n, giant, what=giant, words=giant), ref(n, giant, giant))
              for n in range(500)]
    quotes = tuple(QuoteHit(Quote(giant, giant, "said", giant), ref(n, giant), (giant,))
                   for n in range(500))
    series = tuple(FigureSeries(f"kind{n}", giant, tuple(claims[:20])) for n in range(30))
    messages = [
        latest_message(Latest(giant, (giant,) * 20, headlines, 10_000, tuple(claims), 5, quotes),
                       tz="UTC", now=NOW),
        figures_message(FigureHistory(giant, (giant,), tuple(
            FigureGroup(f"kind{n}", series) for n in range(60))), tz="UTC", now=NOW),
        quotes_message(QuoteList(giant, (giant,), False, quotes, 10_000), tz="UTC", now=NOW),
        sources_message([SourceHealth(str(n), giant, giant, giant, NOW, giant, NOW, 1, 1, 1, NOW)
                         for n in range(500)], now=NOW),
        subscriptions_message(ChannelSubscriptions("C1", (giant,) * 500, True, giant, giant)),
    ]
    for message in messages:
        message = with_share_button(message, giant)
        check_limits(message.text, message.blocks)
        seen = all_text(message.blocks) + message.text
        assert "<!channel>" not in seen and "<@U012AB3CD>" not in seen
        assert "<https://evil.example" not in seen
    view = home_view([ChannelSubscriptions(f"C{n}", (giant,) * 50) for n in range(500)],
                     [], now=NOW, default_tz="UTC")
    check_limits("home", view["blocks"])


def test_as_text_reads_like_the_reply():
    _, claim = mariupol_claims()
    text = as_text(latest_message(Latest("Mariupol", ("Mariupol",), figures=(claim,)),
                                  tz="UTC", now=NOW))
    assert "2,187 civilians killed in Mariupol — Mariupol city council" in text
    assert "(https://news.example/2)" in text and "&amp;" not in text


@pytest.mark.parametrize("tz, shown", [("UTC", "13 Mar 12:00"), ("Asia/Tokyo", "13 Mar 21:00"),
                                       ("America/New_York", "13 Mar 08:00")])
def test_dates_in_the_channel_zone(tz, shown):
    result = Latest("x", ("x",), headlines=(Headline(ref(1, "T", days=3)),))
    assert shown in all_text(latest_message(result, tz=tz, now=NOW).blocks)


def test_sources_show_this_channels_posting_error_with_its_remedy():
    message = sources_message((), now=NOW, channel_error=(
        "the bot is not in the channel: invite it with /invite @sitrep (not_in_channel) <!here>"))
    text = json.dumps(message.blocks)
    assert "Posting to this channel failed" in text
    assert "invite it with /invite @sitrep" in text
    assert "<!here>" not in text  # escaped like everything else


def test_replies_date_old_stories_and_age_only_this_week():
    result = Latest("Mariupol", ("Mariupol",), headlines=(
        Headline(ref(1, "Old siege story", days=400)), Headline(ref(2, "Fresh", days=2 / 24)),
        Headline(ref(3, "Last month", days=30))), more_headlines=1)
    text = all_text(latest_message(result, tz="UTC", now=NOW).blocks)
    assert "Old siege story> — Tokyo Today, 9 Feb 2021\n" in text  # the year: not this year's
    assert "Fresh> — Tokyo Today, 16 Mar 10:00 (2h ago)\n" in text
    assert "Last month> — Tokyo Today, 14 Feb\n" in text
    assert "d ago" not in text and "_and 1 more story_" in text


def test_help_and_sources_read_as_english(golden):
    help_blocks = usage_message().blocks
    assert help_blocks[0] == {"type": "header", "text": {
        "type": "plain_text", "text": "How to use /conflict", "emoji": True}}
    commands = [line for line in all_text(help_blocks).splitlines() if line.startswith("• ")]
    assert commands and all(line.startswith("• `/conflict ") for line in commands)
    one = SourceHealth("b", "Tokyo Today", "http://t.test/", "T", NOW, None, None, 1, 1, 0, None)
    text = all_text(sources_message((one,), now=NOW).blocks)
    assert "1 feed, all ok" in text and "1 item in feed, 1 story stored" in text


def test_phrases_count_date_and_quote_once():
    assert [plural(n, "story") for n in (0, 1, 2, 1500)] == [
        "0 stories", "1 story", "2 stories", "1,500 stories"]
    assert plural(1, "more figure") == "1 more figure" and plural(3, "source") == "3 sources"
    assert date_phrase(NOW, "UTC", NOW) == "16 Mar"
    assert date_phrase(NOW - timedelta(days=365), "UTC", NOW) == "16 Mar 2021"
    assert date_phrase(NOW, "Asia/Tokyo", NOW, time=True) == "16 Mar 21:00"
    assert quote_text("The metro. A door slams, ") == "The metro. A door slams"
    assert quote_text("“a field ... ... a decision ...”") == "a field … a decision …"


# --- the briefing and alerts, built by hand ---------------------------------------------------

def story(n: int, title: str, outlet: str = "Tokyo Today", *, days: float = 0) -> Story:
    published = NOW - timedelta(days=days)
    return Story(id=f"s{n}", source_id=outlet, outlet=outlet, title=title,
                 url=f"https://news.example/{n}", guid=None, published=published,
                 fetched=published, summary="", text="", text_origin="feed", cluster_id=f"c{n}")


def figure(value: float | None, what: str, kind: str, claimant: str | None, **extra) -> Figure:
    return Figure(value=value, low=None, high=None, what=what, kind=kind, claimant=claimant,
                  sentence="", **{"approx": "exact", "where": None, **extra})


def sample_briefing() -> Briefing:
    siege = story(1, "Mariupol says 2,187 civilians killed as aid convoy stalls", days=0.3)
    troops = story(2, "Russia says 1,351 troops killed; Kyiv puts toll far higher", days=0.2)
    exodus = story(3, "Refugee exodus passes 5 million", "Pacific Wire", days=0.5)
    hostile = story(4, f"{HOSTILE} Convoy leaves", "Frontline <!here>", days=0.6)
    developments = (Development(troops, ("Harbour Herald",), 2, troops.published),
                    Development(siege, (), 1, siege.published),
                    Development(exodus, (), 1, exodus.published),
                    Development(hostile, (), 1, hostile.published),
                    *(Development(story(10 + n, f"Story {n}", days=0.7), (), 1, NOW)
                      for n in range(4)))
    council = FigureLine(
        figure(2187, "civilians killed", "killed", "Mariupol city council", where="Mariupol",
               words="2,187"), siege.published, siege,
        figure(1582, "civilians killed", "killed", "Mariupol city council", where="Mariupol",
               words="At least 1,582", approx="at least"), NOW - timedelta(days=5))
    un = FigureLine(figure(691, "civilians killed", "killed", "UN human rights office",
                           words="691"), exodus.published, exodus)
    fled = FigureLine(
        figure(5e6, "people fled", "fled", "UN refugee agency", where="Ukraine",
               words="More than 5 million", approx="more than"), exodus.published, exodus,
        figure(4.2e6, "people fled", "fled", "UN refugee agency", where="Ukraine",
               words="More than 4.2 million", approx="more than"),
        NOW - timedelta(days=90))  # last year's count: its date says so
    sheltering = FigureLine(figure(None, "people sheltering", "sheltering", None,
                                   words="Hundreds"), siege.published, siege)
    distance = FigureLine(figure(60, "kilometres", "distance", None, words="about 60",
                                 approx="about"), troops.published, troops)
    quotes = (
        QuoteLine(Quote("We slept in the metro. My daughter still jumps when a door slams,",
                        "Olena", "said", ""), siege.published, siege),
        QuoteLine(Quote("the talks have moved into a practical field ... ... a decision has "
                        "been made", "Alexander Fomin", "said", ""), troops.published, troops),
        QuoteLine(Quote("<!channel> come *now*", "<@U999>", "said", ""), hostile.published,
                  hostile),
    )
    return Briefing(
        channel="C0SITREP1", since=NOW - timedelta(days=1), until=NOW,
        developments=developments, developments_total=len(developments),
        figure_groups=(KeyFigures("killed", (council, un)), KeyFigures("fled", (fled,)),
                       KeyFigures("sheltering", (sheltering,)),
                       KeyFigures("distance", (distance,))),
        figures_total=12, quotes=quotes, quotes_total=4,
        topics=(TopicSection("Mariupol", (developments[1],), (council,), quotes[:1]),),
        stories=9, sources=3, sources_followed=3, conflicts=("Russia–Ukraine war",),
    )


def check_block_kit(blocks: list[dict]) -> None:
    """Blocks the Slack SDK parses back unchanged and validates."""
    for block in blocks:
        parsed = Block.parse(block)
        assert parsed is not None and type(parsed) is not Block, block
        parsed.validate_json()
        assert parsed.to_dict() == block


def test_briefing_golden(golden):
    message = briefing_message(sample_briefing(), "Europe/Kyiv")
    golden("briefing", message)
    blocks = message.blocks
    check_block_kit(blocks)
    assert blocks[0]["text"] == {"type": "plain_text", "text": "Sitrep briefing — 16 Mar 2022",
                                 "emoji": True}
    context = blocks[1]["elements"][0]["text"]
    assert context == (
        "<!date^1647345600^{date_short_pretty} {time}|15 Mar 14:00 EET> – "
        "<!date^1647432000^{date_short_pretty} {time}|16 Mar 14:00 EET> · Russia–Ukraine war · "
        "9 stories from 3 of 3 sources")
    kinds = [b["type"] for b in blocks]
    assert kinds == ["header", "context"] + ["divider", "section"] * 4
    top, figures, quotes, mariupol = (b["text"]["text"] for b in blocks if b["type"] == "section")
    assert top.startswith("*Top developments*\n• <https://news.example/2|Russia says 1,351 "
                          "troops killed; Kyiv puts toll far higher> — Tokyo Today, 16 Mar "
                          "(also: Harbour Herald)\n")
    assert top.endswith("\n_and 3 more developments — `/conflict latest Mariupol`_")
    assert figures.splitlines() == [
        "*Key figures*",
        "_Killed_",
        "• *2,187 civilians killed in Mariupol* — Mariupol city council, "
        "<https://news.example/1|Tokyo Today>, 16 Mar; was at least 1,582 on 11 Mar (+605)",
        "• *691 civilians killed* — UN human rights office, "
        "<https://news.example/3|Pacific Wire>, 16 Mar",
        "",
        "• *more than 5 million people fled from Ukraine* — UN refugee agency, "
        "<https://news.example/3|Pacific Wire>, 16 Mar; was more than 4.2 million on 16 Dec "
        "2021 (+800,000)",
        "• *hundreds of people sheltering* — unattributed, "
        "<https://news.example/1|Tokyo Today>, 16 Mar",
        "• *about 60 km* — no place or source given, <https://news.example/2|Tokyo Today>, "
        "16 Mar",
        "_and 7 more figures — `/conflict figures Mariupol`_",
    ]
    assert quotes.splitlines()[1:3] == [
        "• “We slept in the metro. My daughter still jumps when a door slams” — *Olena*, "
        "<https://news.example/1|Tokyo Today>, 16 Mar",
        "• “the talks have moved into a practical field … a decision has been made” — "
        "*Alexander Fomin*, <https://news.example/2|Tokyo Today>, 16 Mar",
    ]
    assert quotes.endswith("\n_and 1 more quote_")
    assert mariupol.startswith("*Mariupol*\n• <https://news.example/1|Mariupol says")
    # the notification says what happened
    assert message.text == ("Sitrep briefing 16 Mar: Russia says 1,351 troops killed; Kyiv puts "
                            "toll far higher; 2,187 civilians killed in Mariupol (Mariupol city "
                            "council)")
    seen = all_text(blocks) + message.text
    assert "<!channel>" not in seen and "<@U999>" not in seen and "<!here>" not in seen


def test_alert_golden(golden):
    siege = story(1, "Mariupol says 2,187 civilians killed", days=0.3)
    old = story(2, "Mariupol siege: a year on", "Pacific Wire", days=370)
    alert = Alert("Mariupol", (
        AlertItem(siege, (
            figure(2187, "residents killed", "killed", "Mariupol city council",
                   where="Mariupol", words="2,187"),
            figure(1582, "residents killed", "killed", "Mariupol city council",
                   where="Mariupol", words="1,582", earlier=True),
            figure(260, "kilometres", "distance", None, words="more than 260",
                   approx="more than")),
            (Quote("It is known that 2,000 cars have left Mariupol,", "Mariupol city council",
                   "said", ""),)),
        AlertItem(old, (), ()),
    ))
    message = alert_message(alert, "UTC", NOW)
    golden("alert", message)
    check_block_kit(message.blocks)
    assert [b["type"] for b in message.blocks] == ["section", "divider", "section", "divider",
                                                   "section"]
    first = message.blocks[2]["text"]["text"].splitlines()
    assert first == [
        "<https://news.example/1|Mariupol says 2,187 civilians killed> — Tokyo Today, 16 Mar "
        "04:48",
        "• *2,187 residents killed in Mariupol* — Mariupol city council; up from 1,582 (+605)",
        "• *more than 260 km* — no place or source given",
        "• “It is known that 2,000 cars have left Mariupol” — *Mariupol city council*",
    ]
    assert message.blocks[4]["text"]["text"].endswith("— Pacific Wire, 11 Mar 2021 12:00")
    assert message.text == ("New on Mariupol: Mariupol says 2,187 civilians killed "
                            "(and 1 more story)")


def test_the_terminal_briefing_says_what_slack_says():
    briefing = sample_briefing()
    text = briefing_text(briefing, "Europe/Kyiv").splitlines()
    assert text[:2] == ["Sitrep briefing — 16 Mar 2022 — C0SITREP1",
                        "15 Mar 14:00 EET – 16 Mar 14:00 EET · Russia–Ukraine war · 9 stories "
                        "from 3 of 3 sources"]
    assert "  … and 3 more developments — /conflict latest Mariupol" in text
    assert ("  - more than 5 million people fled from Ukraine — UN refugee agency, Pacific Wire, "
            "16 Mar; was more than 4.2 million on 16 Dec 2021 (+800,000)") in text
    assert "  - about 60 km — no place or source given, Tokyo Today, 16 Mar" in text
    assert "  … and 7 more figures — /conflict figures Mariupol" in text
    assert "  … and 1 more quote" in text and "Topic: Mariupol" in text
    # the Slack message read as text shows the date tokens' fallbacks
    shown = as_text(briefing_message(briefing, "Europe/Kyiv"))
    assert "15 Mar 14:00 EET – 16 Mar 14:00 EET · Russia–Ukraine war" in shown
