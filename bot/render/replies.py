"""Replies to `/conflict` as Block Kit: pure functions from query results to `Message`.

Every string that came from a feed (or from the user) is escaped through `bot.render.mrkdwn`,
links are made only from stored http(s) URLs, and `bot.render.blocks` holds Slack's limits. What a
line says is `bot.render.phrases`' (shared with the terminal). Dates are in the channel's zone.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.render.blocks import Message, MessageBuilder
from bot.render.mrkdwn import (
    MAX_BLOCKS,
    MAX_BUTTON_VALUE,
    MAX_FIELDS,
    escape,
    link,
    plain,
    truncate,
)
from bot.render.phrases import (
    MAX_NAME,
    MAX_PHRASE,
    MAX_TITLE,
    SLACK,
    ago,
    briefing_time,
    change_phrase,
    feeds_summary,
    figure_phrase,
    kind_label,
    local,
    quoted,
    source_status,
)
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

__all__ = [
    "SHARE_ACTION", "figures_message", "latest_message", "notice_message", "quotes_message",
    "sources_message", "subscriptions_message", "usage_message", "with_share_button",
]

SHARE_ACTION = "share_reply"
MAX_QUOTE = 400  # a reply shows more of a quote than a briefing does
MAX_AMOUNT = 60  # an earlier figure's amount, as written
CLAIMS_PER_SERIES = 4
SERIES_PER_GROUP = MAX_FIELDS  # one column per claimant
FIGURE_GROUPS = 12
SHOWN_SOURCES = 60
USAGE = (
    "*Sitrep* follows war news. Try:\n"
    "• `/conflict latest Mariupol` — newest stories, key figures and quotes on a topic\n"
    "• `/conflict figures Mariupol` — the history of key figures, claim by claim\n"
    "• `/conflict quotes Zelensky` — latest quotes by someone, or about a topic\n"
    "• `/conflict subscribe Kharkiv` · `unsubscribe Kharkiv` · `subscriptions`\n"
    "• `/conflict digest` (preview) · `digest at 08:00 Europe/Kyiv` · `digest off`\n"
    "• `/conflict sources` — the feeds followed and their health"
)


def _topic_name(names: Sequence[str], typed: str) -> str:
    return names[0] if names else typed


def _when(when: datetime, tz: str, now: datetime, *, time: bool = False) -> str:
    shown = local(when, tz)
    year = "" if shown.year == local(now, tz).year else f" {shown.year}"
    stamp = f"{shown:%-d %b}{year}"
    return f"{stamp} {shown:%H:%M}" if time else stamp


def _outlets(also: Sequence[str]) -> str:
    if not also:
        return ""
    names = ", ".join(truncate(o, MAX_NAME) for o in also[:5])
    extra = f" and {len(also) - 5} more" if len(also) > 5 else ""
    return f" · also: {escape(names)}{extra}"


def _headline(h: Headline, tz: str, now: datetime) -> str:
    story = h.story
    title = SLACK.link(story.url, story.title or "(untitled)", MAX_TITLE)
    return (f"{SLACK.bullet}{title} — {SLACK.text(story.outlet, MAX_NAME)}, "
            f"{_when(story.published, tz, now, time=True)} ({ago(story.published, now)})"
            f"{_outlets(h.also)}")


def _claim(claim: FigureClaim, tz: str, now: datetime, *, claimant: bool = True) -> str:
    figure, story = claim.figure, claim.story
    text = SLACK.strong(figure_phrase(figure), MAX_PHRASE)
    if claimant:
        text += f" — {SLACK.text(figure.claimant or 'unattributed', MAX_NAME)}"
    text += f", {link(story.url, _when(story.published, tz, now))}"
    if claim.previous is not None:
        before = claim.previous
        on = link(before.story.url, _when(before.story.published, tz, now))
        text += f"; {change_phrase(figure, before.figure, on, SLACK, limit=MAX_AMOUNT)}"
    return text


def _quote(hit: QuoteHit, tz: str, now: datetime) -> str:
    quote, story = hit.quote, hit.story
    text = quote.text.strip().rstrip(",").strip("\"“”")
    return (f"{SLACK.bullet}{quoted(text, quote.speaker, SLACK, limit=MAX_QUOTE)}, "
            f"{link(story.url, _when(story.published, tz, now))} "
            f"({SLACK.text(story.outlet, MAX_NAME)}){_outlets(hit.also)}")


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
                      hidden=result.more_headlines, noun="more stories")
    if result.figures:
        builder.lines("*Key figures*", [f"• {_claim(c, tz, now)}" for c in result.figures],
                      hidden=result.more_figures,
                      noun=f"more — `/conflict figures {plain(truncate(name, 100))}`")
    if result.quotes:
        builder.lines("*Quotes*", [_quote(q, tz, now) for q in result.quotes])
    aliases = [n for n in result.names[1:6]]
    if aliases:
        builder.context(f"Also matching: {escape(', '.join(aliases))}")
    first = result.headlines[0].story.title if result.headlines else ""
    fallback = f"Latest on {name}: {truncate(first, 200)}" if first else f"Latest on {name}"
    return builder.build(escape(fallback))


def _series_text(series: FigureSeries, tz: str, now: datetime, *, titled: bool) -> str:
    claims = series.claims[:CLAIMS_PER_SERIES]
    lines = []
    if titled:
        lines.append(f"*{plain(truncate(series.claimant or 'Unattributed', MAX_NAME))}*")
    lines += [f"• {_claim(c, tz, now, claimant=not titled)}" for c in claims[:1]]
    lines += [f"   earlier: {_claim(c, tz, now, claimant=False)}" for c in claims[1:]]
    hidden = len(series.claims) - len(claims)
    if hidden > 0:
        lines.append(f"_and {hidden} earlier_")
    return "\n".join(lines)


def figures_message(result: FigureHistory, *, tz: str, now: datetime) -> Message:
    """`/conflict figures <topic>`: per kind, each claimant's series side by side."""
    name = _topic_name(result.names, result.topic)
    builder = MessageBuilder()
    builder.header(f"Key figures: {name}")
    if not result.searchable:
        return _nothing_to_search(builder, result.topic)
    if not result.groups:
        builder.section(f"No key figures stored about *{plain(truncate(name, 200))}* yet.")
        return builder.build(escape(f"No key figures about {name} yet"))
    for group in result.groups[:FIGURE_GROUPS]:
        builder.section(f"*{plain(kind_label(group.kind))}*")
        if len(group.series) == 1:
            builder.section(_series_text(group.series[0], tz, now, titled=False))
        else:  # conflicting claims: one column per claimant, never merged
            builder.fields([_series_text(s, tz, now, titled=True)
                            for s in group.series[:SERIES_PER_GROUP]],
                           more_label="more claimants")
            if len(group.series) > SERIES_PER_GROUP:
                builder.context(f"_and {len(group.series) - SERIES_PER_GROUP} more claimants_")
    if len(result.groups) > FIGURE_GROUPS:
        builder.section(f"_and {len(result.groups) - FIGURE_GROUPS} more kinds of figures_")
    total = sum(len(s.claims) for g in result.groups for s in g.series)
    return builder.build(escape(f"Key figures on {name}: {total} claims"))


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
    builder.lines("", [_quote(q, tz, now) for q in result.quotes], hidden=result.more,
                  noun="more quotes")
    return builder.build(escape(f"{label}: {len(result.quotes) + result.more} quotes"))


def _source_line(source: SourceHealth, now: datetime) -> str:
    status = source_status(source, now)
    line = (f"{SLACK.bullet}{SLACK.strong(source.name, MAX_NAME)} [{status.state()}] — last "
            f"success {status.last_success}; {source.items} items in feed, "
            f"{source.stories} stories stored")
    if status.error:
        line += f"\n   last error ({status.error_ago}): {SLACK.text(status.error, 300)}"
    if status.extract_failed:
        line += (f"\n   extraction failed for {status.extract_failed} stories: "
                 f"{SLACK.text(status.extract_error, 200)}")
    if status.backoff_until:
        line += f"\n   backing off until {status.backoff_until:%-d %b %H:%M} UTC"
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
                  hidden=max(0, len(health) - SHOWN_SOURCES), noun="more feeds")
    return builder.build(summary)


def subscriptions_message(subs: ChannelSubscriptions) -> Message:
    """`/conflict subscriptions`: this channel's topics and briefing time."""
    builder = MessageBuilder()
    if subs.topics:
        topics = ", ".join(f"*{plain(truncate(t, MAX_NAME))}*" for t in subs.topics[:100])
        more = f" and {len(subs.topics) - 100} more" if len(subs.topics) > 100 else ""
        builder.section(f"This channel follows {topics}{more}.")
    else:
        builder.section("This channel follows no topics yet: `/conflict subscribe Mariupol`.")
    builder.context(digest_phrase(subs))
    return builder.build(f"{len(subs.topics)} topics followed")


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
    """Short usage, after the problem (escaped mrkdwn) when there was one."""
    builder = MessageBuilder()
    if problem:
        builder.section(problem)
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
