"""Block Kit for the daily briefing and topic alerts: pure, escaped, within Slack's limits.

Lines are `bot.render.phrases`' (the terminal shows the same ones, `bot.render.terminal`);
`MessageBuilder` holds the message to Slack's limits, whatever the volume, and long lists end in
"and N more".
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from bot.render.blocks import Message, MessageBuilder
from bot.render.mrkdwn import MAX_BLOCKS, escape, plain, truncate
from bot.render.phrases import (
    MAX_NAME,
    MAX_PHRASE,
    MAX_TITLE,
    SLACK,
    Medium,
    change_phrase,
    command_phrase,
    date_phrase,
    development_line,
    figure_line,
    figure_phrase,
    figure_source,
    kind_label,
    local,
    number,
    plural,
    quote_line,
    quoted,
)
from briefings.compose import Alert, AlertItem, Briefing, FigureGroup
from briefings.models import Figure

# The phrases are re-exported for the worker and the tests.
__all__ = ["alert_message", "briefing_message", "briefing_parts", "change_phrase",
           "context_line", "figure_phrase", "kind_label", "local", "number"]

SHOWN_DEVELOPMENTS = 5
SHOWN_QUOTES = 5
SHOWN_ALERT_ITEMS = 10
SHOWN_ALERT_LINES = 12
NOTIFICATION = 240  # the fallback a notification shows: what happened, in a line


def first_topic(briefing: Briefing) -> str | None:
    """The channel's first subscribed topic: what "see more" commands are about."""
    return briefing.topics[0].topic if briefing.topics else None


def context_line(briefing: Briefing, tz: str, medium: Medium) -> str:
    """'29 Nov 10:02 EET – 30 Nov 10:02 EET · Russia–Ukraine war · 14 stories from 3 of 3
    sources' (in Slack, each time a date token every reader sees in their own zone)."""
    now = briefing.until
    parts = [f"{medium.moment(briefing.since, tz, now)} – {medium.moment(briefing.until, tz, now)}"]
    if briefing.conflicts:
        parts.append(medium.text(", ".join(briefing.conflicts), 200))
    parts.append(f"{plural(briefing.stories, 'story')} from {briefing.sources:,} of "
                 f"{plural(briefing.sources_followed, 'source')}")
    return " · ".join(parts)


def key_figure_lines(groups: Sequence[FigureGroup], render: Callable[..., str],
                     label: Callable[[str], str]) -> list[str]:
    """One entry per figure line: a kind with two lines or more is labelled once (`label`) above
    its lines; kinds with one line, whose phrase says what they count, follow after a blank
    line, unlabelled."""
    entries = []
    grouped = [g for g in groups if len(g.lines) > 1]
    for group in grouped:
        entries += [(f"{label(kind_label(group.kind))}\n" if i == 0 else "") + render(line)
                    for i, line in enumerate(group.lines)]
    singles = [g.lines[0] for g in groups if len(g.lines) == 1]
    entries += [("\n" if i == 0 and grouped else "") + render(line)
                for i, line in enumerate(singles)]
    return entries


def briefing_parts(briefing: Briefing, tz: str, medium: Medium) -> dict[str, list[str]]:
    """Each section's lines, shared by Slack and the terminal."""
    now = briefing.until
    return {
        "developments": [development_line(d, medium, tz, now) for d in briefing.developments],
        "quotes": [quote_line(q, tz, medium, now) for q in briefing.quotes],
    }


def _more(noun: str, many: str | None = None, command: str = "") -> Callable[[int], str]:
    """'3 more stories — `/conflict latest Mariupol`'."""
    return lambda n: plural(n, noun, many) + (f" — {command}" if command else "")


def _fallback(briefing: Briefing, tz: str) -> str:
    """What the notification says: the day, the top development and the top figure."""
    day = local(briefing.until, tz)
    said = []
    if briefing.developments:
        said.append(truncate(" ".join(briefing.developments[0].story.title.split()), 140))
    if briefing.figure_groups and briefing.figure_groups[0].lines:
        figure = briefing.figure_groups[0].lines[0].figure
        said.append(f"{truncate(figure_phrase(figure), 100)} "
                    f"({truncate(figure_source(figure), 60)})")
    what = "; ".join(said) or "nothing new since the last briefing"
    return escape(truncate(f"Sitrep briefing {day.day} {day:%b}: {what}", NOTIFICATION))


def briefing_message(briefing: Briefing, tz: str) -> Message:
    """(fallback text, blocks) for a briefing, dates shown in zone `tz`."""
    now = briefing.until
    day = local(now, tz)
    topic = first_topic(briefing)
    parts = briefing_parts(briefing, tz, SLACK)
    builder = MessageBuilder()
    builder.header(f"Sitrep briefing — {day.day} {day:%b %Y}")
    builder.context(context_line(briefing, tz, SLACK))
    if briefing.empty:
        builder.section("Nothing new since the last briefing.")
    if briefing.developments:
        builder.divider()
        builder.listing("*Top developments*", parts["developments"], shown=SHOWN_DEVELOPMENTS,
                        hidden=briefing.developments_total - len(briefing.developments),
                        noun=_more("more development", command=command_phrase("latest", topic)))
    if briefing.figure_groups:
        entries = key_figure_lines(briefing.figure_groups,
                                   lambda line: figure_line(line, tz, SLACK, now),
                                   lambda label: f"_{plain(label)}_")
        builder.divider()
        builder.listing("*Key figures*", entries,
                        hidden=briefing.figures_total - len(entries),
                        noun=_more("more figure", command=command_phrase("figures", topic)))
    if briefing.quotes:
        builder.divider()
        builder.listing("*Notable quotes*", parts["quotes"], shown=SHOWN_QUOTES,
                        hidden=briefing.quotes_total - len(briefing.quotes),
                        noun=_more("more quote"))
    topics = briefing.topics
    room = (MAX_BLOCKS - len(builder.blocks) - 1) // 2  # a divider and a section each; "and N more"
    for section in topics[:room]:
        lines = [development_line(d, SLACK, tz, now) for d in section.developments]
        lines += [figure_line(line, tz, SLACK, now) for line in section.figures]
        lines += [quote_line(q, tz, SLACK, now) for q in section.quotes]
        builder.divider()
        builder.listing(f"*{plain(truncate(section.topic, MAX_NAME))}*",
                        lines or ["_Nothing new since the last briefing._"])
    if len(topics) > room:
        builder.section(f"_and {plural(len(topics) - room, 'more topic')}_")
    return builder.build(_fallback(briefing, tz), room_for_button=False)


# --- alerts ---------------------------------------------------------------------------------

def _same_quantity(a: Figure, b: Figure) -> bool:
    if a.series and b.series:
        return a.series == b.series
    return (a.kind, a.where, a.claimant, a.whose) == (b.kind, b.where, b.claimant, b.whose)


def alert_lines(item: AlertItem, medium: Medium) -> list[str]:
    """A story's figures ('…; up from 1,582 (+605)' when the story restates the earlier count)
    and quotes."""
    figures = item.figures
    restated = [f for f in figures if f.earlier]
    lines, used = [], set()
    for figure in (f for f in figures if not f.earlier):
        line = (f"{medium.bullet}{medium.strong(figure_phrase(figure), MAX_PHRASE)} — "
                f"{medium.text(figure_source(figure), MAX_NAME)}")
        before = next((r for r in restated if _same_quantity(r, figure) and id(r) not in used
                       and (r.value or 0) <= (figure.value or 0)), None)
        if before is not None:
            used.add(id(before))
            line += f"; {change_phrase(figure, before, '', medium)}"
        lines.append(line)
    lines += [f"{medium.bullet}{medium.strong(figure_phrase(f), MAX_PHRASE)} — "
              f"{medium.text(figure_source(f), MAX_NAME)} (an earlier count, restated)"
              for f in restated if id(f) not in used]
    lines += [f"{medium.bullet}{quoted(q.text, q.speaker, medium)}" for q in item.quotes]
    return lines


def alert_message(alert: Alert, tz: str, now: datetime | None = None) -> Message:
    """(fallback text, blocks) for new stories, figures and quotes on one topic: one story
    (cluster) after another, each under a divider."""
    now = now or datetime.now(UTC)
    items = alert.items
    builder = MessageBuilder()
    builder.section(f"*New on {plain(truncate(alert.topic, MAX_NAME))}* — "
                    f"{plural(len(items), 'story')}")
    for item in items[:SHOWN_ALERT_ITEMS]:
        story = item.story
        builder.divider()
        builder.listing(f"{SLACK.link(story.url, story.title or '(untitled)', MAX_TITLE)} — "
                        f"{SLACK.text(story.outlet, MAX_NAME)}, "
                        f"{date_phrase(story.published, tz, now, time=True)}",
                        alert_lines(item, SLACK), shown=SHOWN_ALERT_LINES,
                        noun=_more("more figure or quote", "more figures and quotes"))
    if len(items) > SHOWN_ALERT_ITEMS:
        builder.divider()
        hidden = len(items) - SHOWN_ALERT_ITEMS
        builder.section(f"_and {plural(hidden, 'more story')} — "
                        f"{command_phrase('latest', alert.topic)}_")
    first = " ".join(items[0].story.title.split()) if items else ""
    more = f" (and {plural(len(items) - 1, 'more story')})" if len(items) > 1 else ""
    text = escape(truncate(f"New on {alert.topic}: {truncate(first, 200)}{more}",
                           NOTIFICATION))
    return builder.build(text, room_for_button=False)
