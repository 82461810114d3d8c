"""Block Kit for the daily briefing and topic alerts: pure, escaped, within Slack's limits.

Lines are `bot.render.phrases`' (the terminal shows the same ones); `MessageBuilder` holds the
message to Slack's limits, whatever the volume, and long lists end in "and N more".
"""

from __future__ import annotations

from bot.render.blocks import Message, MessageBuilder
from bot.render.mrkdwn import MAX_BLOCKS, MAX_FALLBACK_TEXT, escape, plain, truncate
from bot.render.phrases import (
    MAX_NAME,
    MAX_PHRASE,
    MAX_TITLE,
    SLACK,
    change_phrase,
    development_line,
    figure_line,
    figure_phrase,
    kind_label,
    local,
    number,
    quote_line,
    quoted,
)
from briefings.compose import Alert, Briefing

# The phrases are re-exported for the worker and the tests.
__all__ = ["alert_message", "briefing_message", "change_phrase", "figure_phrase", "kind_label",
           "local", "number"]

SHOWN_DEVELOPMENTS = 8
SHOWN_FIGURES = 15
SHOWN_QUOTES = 5
SHOWN_ALERT_ITEMS = 10
SHOWN_ALERT_LINES = 12


def briefing_message(briefing: Briefing, tz: str) -> Message:
    """(fallback text, blocks) for a briefing, dates shown in zone `tz`."""
    day = local(briefing.until, tz)
    builder = MessageBuilder()
    builder.header(f"Sitrep briefing — {day:%-d %b %Y}", emoji_flag=False)
    if briefing.empty:
        builder.section("Nothing new since the last briefing.")
    if briefing.developments:
        builder.listing("*Top developments*",
                        [development_line(d, SLACK) for d in briefing.developments],
                        shown=SHOWN_DEVELOPMENTS,
                        hidden=briefing.developments_total - len(briefing.developments))
    if briefing.figure_groups:
        lines = []
        for group in briefing.figure_groups:
            label = f"_{kind_label(group.kind)}_\n"
            lines.extend((label if i == 0 else "") + figure_line(line, tz, SLACK)
                         for i, line in enumerate(group.lines))
        builder.listing("*Key figures*", lines, shown=SHOWN_FIGURES,
                        hidden=briefing.figures_total - len(lines), noun="more figures")
    if briefing.quotes:
        builder.listing("*Notable quotes*", [quote_line(q, tz, SLACK) for q in briefing.quotes],
                        shown=SHOWN_QUOTES, hidden=briefing.quotes_total - len(briefing.quotes))
    room = MAX_BLOCKS - len(builder.blocks) - 3  # divider, footer, "and N more topics"
    topics = briefing.topics
    if topics:
        builder.divider()
    for section in topics[:room]:
        lines = [development_line(d, SLACK) for d in section.developments]
        lines += [figure_line(line, tz, SLACK) for line in section.figures]
        lines += [quote_line(q, tz, SLACK) for q in section.quotes]
        builder.listing(f"*{plain(section.topic)}*",
                        lines or ["_Nothing new since the last briefing._"])
    if len(topics) > room:
        builder.section(f"_and {len(topics) - room} more topics_")
    since, until = local(briefing.since, tz), local(briefing.until, tz)
    builder.context(f"{since:%-d %b %H:%M} – {until:%-d %b %H:%M} ({escape(tz)}) · "
                    f"{briefing.stories} stories from {briefing.sources} of "
                    f"{briefing.sources_followed} sources")
    return builder.build(
        f"Sitrep briefing for {day:%-d %b %Y}: {briefing.developments_total} developments, "
        f"{briefing.figures_total} new figures, {briefing.quotes_total} quotes",
        room_for_button=False)


def alert_message(alert: Alert, tz: str) -> Message:
    """(fallback text, blocks) for new stories, figures and quotes on one topic."""
    builder = MessageBuilder()
    builder.section(f"*New on {plain(alert.topic)}*")
    for item in alert.items[:SHOWN_ALERT_ITEMS]:
        story = item.story
        lines = []
        for figure in item.figures:
            claimant = f" — {SLACK.text(figure.claimant, MAX_NAME)}" if figure.claimant else ""
            lines.append(f"{SLACK.bullet}{SLACK.text(figure_phrase(figure), MAX_PHRASE)}"
                         f"{claimant}")
        lines += [f"{SLACK.bullet}{quoted(q.text, q.speaker, SLACK, strong=False)}"
                  for q in item.quotes]
        builder.listing(f"{SLACK.link(story.url, story.title, MAX_TITLE)} — "
                        f"{SLACK.text(story.outlet)}, {local(story.published, tz):%-d %b %H:%M}",
                        lines, shown=SHOWN_ALERT_LINES)
    if len(alert.items) > SHOWN_ALERT_ITEMS:
        builder.section(f"_and {len(alert.items) - SHOWN_ALERT_ITEMS} more stories_")
    first = alert.items[0].story.title if alert.items else ""
    # Not build()'s fallback: the alert's keeps a title's line breaks, and is escaped after
    # the cut.
    text = escape(truncate(f"New on {alert.topic}: {first}", MAX_FALLBACK_TEXT))
    return Message(text, builder.build(text, room_for_button=False).blocks)
