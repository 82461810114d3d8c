"""The renderers, without Slack: golden files for each reply, and oversized, hostile inputs."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

import pytest

from bot.render.blocks import Message, as_text
from bot.render.replies import (
    figures_message,
    latest_message,
    quotes_message,
    sources_message,
    subscriptions_message,
    usage_message,
    with_share_button,
)
from bot.slack.home import home_view
from briefings.models import Figure, Quote, SourceHealth
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


def test_figures_golden_keeps_claimants_side_by_side(golden):
    _, claim = mariupol_claims()
    moscow = FigureSeries("troops_killed", "Russia's defence ministry", (FigureClaim(
        toll(1351, "Russia's defence ministry", kind="troops_killed", what="soldiers killed"),
        ref(5, "t", days=0.1)),))
    kyiv = FigureSeries("troops_killed", "Ukraine", (FigureClaim(
        toll(16000, "Ukraine", kind="troops_killed", what="Russian soldiers killed",
             approx="about"), ref(5, "t", days=0.1)),))
    result = FigureHistory("Mariupol", ("Mariupol",), groups=(
        FigureGroup("killed", (FigureSeries("killed", "Mariupol city council",
                                            (claim, claim.previous)),)),
        FigureGroup("troops_killed", (moscow, kyiv)),
    ))
    message = figures_message(result, tz="UTC", now=NOW)
    golden("figures", message)
    columns = [b for b in message.blocks if "fields" in b][0]["fields"]
    assert len(columns) == 2 and "1,351" in columns[0]["text"] and "16,000" in columns[1]["text"]


def test_quotes_sources_subscriptions_usage_home_golden(golden):
    hits = tuple(QuoteHit(Quote(f"Quote number {n}, with “marks” & <b>tags</b>", "Volodymyr "
                                "Zelensky", "said", ""), ref(n, "t", days=n)) for n in range(3))
    golden("quotes", quotes_message(QuoteList("zelenskyy", ("Volodymyr Zelensky",), True, hits,
                                              more=7), tz="Europe/Kyiv", now=NOW))
    health = (SourceHealth("a", f"Frontline {HOSTILE}", "http://f.test/", "F", NOW, "HTTP 500 "
                           "<!channel>", NOW, 4, 9, 2, NOW + timedelta(hours=1)),
              SourceHealth("b", "Tokyo Today", "http://t.test/", "T", NOW, None, None, 4, 4, 0,
                           None))
    golden("sources", sources_message(health, now=NOW, channel_error=(
        "the bot is not in the channel: invite it with /invite @sitrep (not_in_channel)")))
    subs = ChannelSubscriptions("C0TEST", ("Kyiv", "Mariupol"), True, "08:00", "Asia/Tokyo")
    golden("subscriptions", subscriptions_message(subs))
    golden("usage", usage_message("I don't know `frobnicate`."))
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
