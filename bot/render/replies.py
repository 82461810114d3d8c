"""Replies to `/conflict` as Block Kit: pure functions from query results to `Message`.

Every string that came from a feed (or from the user) is escaped through `bot.render.mrkdwn`,
links are made only from stored http(s) URLs, and `bot.render.blocks` holds Slack's limits. What a
line says is `bot.render.phrases`' (shared with the terminal). Dates are in the channel's zone,
with the year whenever it is not this year; a story's age is shown only within the week.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.render.blocks import Message, MessageBuilder
from bot.render.mrkdwn import MAX_BLOCKS, MAX_BUTTON_VALUE, escape, link, plain, truncate
from bot.render.phrases import (
    MAX_NAME,
    MAX_PHRASE,
    MAX_TITLE,
    SLACK,
    also_phrase,
    amount,
    briefing_time,
    change_phrase,
    cite,
    command_phrase,
    date_phrase,
    feeds_summary,
    figure_phrase,
    figure_source,
    kind_label,
    plural,
    quantity_label,
    quoted,
    rival_phrase,
    source_status,
    story_date,
)
from briefings.history import compared
from briefings.models import SourceHealth
from briefings.queries import (
    ChannelSubscriptions,
    FigureClaim,
    FigureHistory,
    FigureSeries,
    Headline,
    Latest,
    QuoteHit,
    QuoteList,
)
from briefings.topics import fold

__all__ = [
    "SHARE_ACTION", "figures_message", "latest_message", "notice_message", "quotes_message",
    "sources_message", "subscriptions_message", "usage_message", "with_share_button",
]

SHARE_ACTION = "share_reply"
MAX_QUOTE = 400  # a reply shows more of a quote than a briefing does
MAX_AMOUNT = 60  # an earlier figure's amount, as written
CLAIMS_PER_SERIES = 4
RIVALS = 6  # competing claims on one line
FIGURE_GROUPS = 12
SHOWN_SOURCES = 60
HELP = (
    ("latest Mariupol", "newest stories, key figures and quotes on a topic"),
    ("figures Mariupol", "every claim of each key figure, competing claims side by side"),
    ("quotes Zelensky", "the latest quotes by someone, or about a topic"),
    ("subscribe Kharkiv", "alerts as news arrives, and a section in the daily briefing"),
    ("unsubscribe Kharkiv", "stop following a topic"),
    ("subscriptions", "the topics this channel follows, and its briefing time"),
    ("digest at 08:00 Europe/Kyiv", "a daily briefing here at that time"),
    ("digest off", "stop the daily briefing"),
    ("digest", "preview the briefing now"),
    ("sources", "the feeds followed and their health"),
)
USAGE = "*Sitrep* follows war news. Commands:\n" + "\n".join(
    f"• `/conflict {command}` — {what}" for command, what in HELP)


def _topic_name(names: Sequence[str], typed: str) -> str:
    return names[0] if names else typed


def _headline(h: Headline, tz: str, now: datetime) -> str:
    story = h.story
    title = SLACK.link(story.url, story.title or "(untitled)", MAX_TITLE)
    return (f"{SLACK.bullet}{title} — {SLACK.text(story.outlet, MAX_NAME)}, "
            f"{story_date(story.published, tz, now)}{also_phrase(h.also, SLACK)}")


def _change(claim: FigureClaim, tz: str, now: datetime) -> str:
    """'; was 1,582 on 11 Mar 2022 (+605)' (the date linked to that story), or ''."""
    before = claim.previous
    if before is None:
        return ""
    on = link(before.story.url, date_phrase(before.story.published, tz, now))
    return f"; {change_phrase(claim.figure, before.figure, on, SLACK, limit=MAX_AMOUNT)}"


def _source(claim: FigureClaim, tz: str, now: datetime) -> str:
    """'Tokyo Today, 16 Mar 2022' (the outlet linked to the story)."""
    story = claim.story
    return cite(SLACK, story.url, story.outlet, story.published, tz, now)


def _claim(claim: FigureClaim, tz: str, now: datetime) -> str:
    """'• *2,187 civilians killed in Mariupol* — city council, Tokyo Today, 13 Mar; was …'."""
    figure = claim.figure
    return (f"{SLACK.bullet}{SLACK.strong(figure_phrase(figure), MAX_PHRASE)} — "
            f"{SLACK.text(figure_source(figure), MAX_NAME)}, {_source(claim, tz, now)}"
            f"{_change(claim, tz, now)}")


def _rivals(claims: Sequence[FigureClaim], tz: str, now: datetime) -> str:
    """Competing claims of one quantity on one line: 'Russian troops killed: *1,351* — Russia,
    25 Mar · *about 16,000* — Ukraine's general staff, 25 Mar' (each date linked to its story)."""
    if len(claims) == 1:
        return _claim(claims[0], tz, now)
    parts = [f"{SLACK.strong(rival_phrase(c.figure), MAX_PHRASE)} — "
             f"{SLACK.text(figure_source(c.figure), MAX_NAME)}, "
             f"{link(c.story.url, date_phrase(c.story.published, tz, now))}"
             f"{_change(c, tz, now)}" for c in claims[:RIVALS]]
    more = len(claims) - RIVALS
    if more > 0:
        parts.append(f"_and {plural(more, 'more claimant')}_")
    label = SLACK.strong(quantity_label(claims[0].figure), MAX_PHRASE)
    return f"{SLACK.bullet}{label}: " + " · ".join(parts)


def _rival_key(compare: str, claimant: str | None) -> str:
    """The quantity a claim competes on, or '' when it competes with nothing: claims nobody
    makes, and quantities named by their kind alone ('killed', no side, no place), which would
    set a city's toll against a country's."""
    if not compare or not claimant or not any(compare.split("|")[1:3]):
        return ""
    return compare


def _compare(claim: FigureClaim) -> str:
    series = claim.figure.series
    return _rival_key(compared(series) if series else "", claim.figure.claimant)


def _side_by_side(claims: Sequence[FigureClaim], tz: str, now: datetime) -> list[str]:
    """Claims in order, those of one quantity (next to each other) on one line."""
    lines: list[str] = []
    run: list[FigureClaim] = []
    for claim in claims:
        if run and not (_compare(claim) and _compare(claim) == _compare(run[0])):
            lines.append(_rivals(run, tz, now))
            run = []
        run.append(claim)
    if run:
        lines.append(_rivals(run, tz, now))
    return lines


def _quote(hit: QuoteHit, tz: str, now: datetime, *, who: bool = True) -> str:
    """'• “text” — *Speaker*, Tokyo Today, 16 Mar 2022 (also: …)' (the outlet linked)."""
    story = hit.story
    said = quoted(hit.quote.text, hit.quote.speaker, SLACK, limit=MAX_QUOTE, who=who)
    source = cite(SLACK, story.url, story.outlet, story.published, tz, now)
    return f"{SLACK.bullet}{said}{', ' if who else ' — '}{source}{also_phrase(hit.also, SLACK)}"


def _nothing_to_search(builder: MessageBuilder, typed: str) -> Message:
    builder.section(f"“{escape(truncate(typed, 200))}” has no words to search for. "
                    "Try a place, person or organisation, e.g. `/conflict latest Mariupol`.")
    return builder.build("Nothing to search for")


def latest_message(result: Latest, *, tz: str, now: datetime) -> Message:
    """`/conflict latest <topic>`: stories (copies folded), latest figures, latest quotes."""
    name = _topic_name(result.names, result.topic)
    builder = MessageBuilder()
    builder.header(f"Latest: {name}")
    if not result.searchable:
        return _nothing_to_search(builder, result.topic)
    topic = escape(truncate(name, 200))
    if not (result.headlines or result.figures or result.quotes):
        builder.section(f"Nothing stored about *{plain(truncate(name, 200))}* yet. "
                        "See `/conflict sources` for the feeds followed.")
        return builder.build(f"Nothing stored about {topic} yet")
    if result.headlines:
        builder.lines("*Stories*", [_headline(h, tz, now) for h in result.headlines],
                      hidden=result.more_headlines, noun=lambda n: plural(n, "more story"))
    if result.figures:
        command = command_phrase("figures", name)
        builder.lines("*Key figures*", _side_by_side(result.figures, tz, now),
                      hidden=result.more_figures,
                      noun=lambda n: f"{plural(n, 'more figure')} — {command}")
    if result.quotes:
        builder.lines("*Quotes*", [_quote(q, tz, now) for q in result.quotes])
    aliases = [n for n in result.names[1:6]]
    if aliases:
        builder.context(f"Also matching: {escape(', '.join(aliases))}")
    first = result.headlines[0].story.title if result.headlines else ""
    fallback = f"Latest on {name}: {truncate(first, 200)}" if first else f"Latest on {name}"
    return builder.build(escape(fallback))


def _history(series: FigureSeries, tz: str, now: datetime, *, named: bool) -> list[str]:
    """The series' claims before the one its line compares with: '   earlier: 1,200 (Tokyo
    Today, 9 Mar 2022) · …', then 'and N earlier'."""
    older = series.claims[2:CLAIMS_PER_SERIES]
    hidden = len(series.claims) - max(len(series.claims[:CLAIMS_PER_SERIES]), 2)
    if not older and hidden <= 0:
        return []
    who = f" ({SLACK.text(series.claimant or 'unattributed', MAX_NAME)})" if named else ""
    said = " · ".join(f"{SLACK.text(amount(c.figure), MAX_AMOUNT)} ({_source(c, tz, now)})"
                      for c in older)
    if hidden > 0:
        said += f"{' · ' if said else ''}_and {hidden:,} earlier_"
    return [f"      earlier{who}: {said}"]


def _kind_lines(series: Sequence[FigureSeries], tz: str, now: datetime) -> list[str]:
    """A kind's series: one line per quantity, competing claimants side by side on it."""
    quantities: dict[str, list[FigureSeries]] = {}
    for index, one in enumerate(series):
        quantities.setdefault(_rival_key(one.compare, one.claimant) or f"#{index}", []).append(one)
    lines = []
    for rivals in quantities.values():
        lines.append(_rivals([s.claims[0] for s in rivals], tz, now))
        for one in rivals[:RIVALS]:
            lines += _history(one, tz, now, named=len(rivals) > 1)
    return lines


def figures_message(result: FigureHistory, *, tz: str, now: datetime) -> Message:
    """`/conflict figures <topic>`: per kind, each quantity on a line, its competing claims side
    by side (never merged), each claimant's earlier figures below."""
    name = _topic_name(result.names, result.topic)
    builder = MessageBuilder()
    builder.header(f"Key figures: {name}")
    if not result.searchable:
        return _nothing_to_search(builder, result.topic)
    if not result.groups:
        builder.section(f"No key figures stored about *{plain(truncate(name, 200))}* yet.")
        return builder.build(escape(f"No key figures about {name} yet"))
    shown = 0
    for group in result.groups[:FIGURE_GROUPS]:
        if len(builder.blocks) >= MAX_BLOCKS - 6:
            break
        if shown:
            builder.divider()
        builder.lines(f"*{plain(kind_label(group.kind))}*",
                      _kind_lines(group.series, tz, now))
        shown += 1
    if len(result.groups) > shown:
        builder.divider()
        builder.section(f"_and {plural(len(result.groups) - shown, 'more kind')} of figures_")
    total = sum(len(s.claims) for g in result.groups for s in g.series)
    return builder.build(escape(f"Key figures on {name}: {plural(total, 'claim')}"))


def _speaker_named(speaker: str | None, names: Sequence[str]) -> bool:
    """Whether the header's name already says who spoke ('Zelensky' under 'Volodymyr
    Zelensky')."""
    if not speaker:
        return False
    said = f" {fold(speaker)}"
    return any(said.endswith(f" {fold(n)}") or f" {fold(n)}".endswith(said)
               for n in names if fold(n))


def quotes_message(result: QuoteList, *, tz: str, now: datetime) -> Message:
    """`/conflict quotes <speaker or topic>`."""
    name = _topic_name(result.names, result.topic)
    label = f"Quotes by {name}" if result.by_speaker else f"Quotes about {name}"
    builder = MessageBuilder()
    builder.header(label)
    if not result.searchable:
        return _nothing_to_search(builder, result.topic)
    if not result.quotes:
        builder.section(f"No quotes by or about *{plain(truncate(name, 200))}* stored yet.")
        return builder.build(escape(f"No quotes by or about {name} yet"))
    names = result.names or (name,)
    lines = [_quote(q, tz, now, who=not (result.by_speaker
                                         and _speaker_named(q.quote.speaker, names)))
             for q in result.quotes]
    builder.lines("", lines, hidden=result.more, noun=lambda n: plural(n, "more quote"))
    total = len(result.quotes) + result.more
    return builder.build(escape(f"{label}: {plural(total, 'quote')}"))


def _source_line(source: SourceHealth, now: datetime) -> str:
    status = source_status(source, now)
    state = f"⚠️ {SLACK.strong(source.name, MAX_NAME)} {status.state()}" if status.failures \
        else f"✅ {SLACK.strong(source.name, MAX_NAME)}"
    line = (f"{state} — last success {status.last_success}; "
            f"{plural(source.items, 'item')} in feed, {plural(source.stories, 'story')} stored")
    if status.error:
        line += f"\n      last error ({status.error_ago}): {SLACK.text(status.error, 300)}"
    if status.extract_failed:
        line += (f"\n      extraction failed for {plural(status.extract_failed, 'story')}: "
                 f"{SLACK.text(status.extract_error, 200)}")
    if status.backoff_until:
        line += f"\n      backing off until {status.backoff_until:%-d %b %H:%M} UTC"
    return line


def sources_message(
    health: Sequence[SourceHealth], *, now: datetime, channel_error: str | None = None
) -> Message:
    """`/conflict sources`: each feed's health, and what went wrong posting to this channel."""
    builder = MessageBuilder()
    builder.header("Sources")
    if channel_error:
        builder.section(f":warning: Posting to this channel failed: "
                        f"{escape(truncate(channel_error, 400))}")
    if not health:
        builder.section("No feeds polled yet.")
        return builder.build("No feeds polled yet")
    summary = feeds_summary(health)
    builder.lines(summary, [_source_line(s, now) for s in health[:SHOWN_SOURCES]],
                  hidden=max(0, len(health) - SHOWN_SOURCES),
                  noun=lambda n: plural(n, "more feed"))
    return builder.build(summary)


def _and(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def subscriptions_message(subs: ChannelSubscriptions) -> Message:
    """`/conflict subscriptions`: this channel's topics and briefing time."""
    builder = MessageBuilder()
    if subs.topics:
        topics = [f"*{plain(truncate(t, MAX_NAME))}*" for t in subs.topics[:100]]
        if len(subs.topics) > 100:
            topics.append(plural(len(subs.topics) - 100, "more topic"))
        builder.section(f"This channel follows {_and(topics)}.")
    else:
        builder.section("This channel follows no topics yet: `/conflict subscribe Mariupol`.")
    builder.context(digest_phrase(subs))
    return builder.build(f"{plural(len(subs.topics), 'topic')} followed")


def digest_phrase(subs: ChannelSubscriptions) -> str:
    when = briefing_time(subs, "UTC")
    if when:
        return f"Daily briefing at {escape(when)}."
    return "No daily briefing: `/conflict digest at 08:00 Europe/Kyiv` sets one."


def notice_message(text: str) -> Message:
    """A one-line answer (subscribed, digest set, ...); `text` is mrkdwn already escaped."""
    builder = MessageBuilder()
    builder.section(text)
    return builder.build(text)


def usage_message(problem: str | None = None) -> Message:
    """The commands, under a header; after the problem (escaped mrkdwn) when there was one,
    which then comes first, as the notification says."""
    builder = MessageBuilder()
    if problem:
        builder.section(problem)
    else:
        builder.header("How to use /conflict")
    builder.section(USAGE)
    return builder.build(problem or "How to use /conflict")


def with_share_button(message: Message, command: str) -> Message:
    """The same message with a "Post to channel" button that re-posts it for everyone."""
    blocks = [b for b in message.blocks if b.get("type") != "actions"]
    if len(blocks) >= MAX_BLOCKS:
        blocks = blocks[: MAX_BLOCKS - 1]
    blocks.append({"type": "actions", "elements": [{
        "type": "button", "action_id": SHARE_ACTION, "style": "primary",
        "text": {"type": "plain_text", "text": "Post to channel"},
        "value": command[:MAX_BUTTON_VALUE],
    }]})
    return Message(message.text, blocks)
