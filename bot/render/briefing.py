"""Block Kit for the daily briefing and topic alerts: pure, escaped, within Slack's limits.

Every string that came from a feed goes through `bot.render.mrkdwn`; long lists end in "and N more";
the message never exceeds 50 blocks or 3,000 characters per section, whatever the volume.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.render.mrkdwn import (
    MAX_BLOCKS,
    MAX_FALLBACK_TEXT,
    MAX_HEADER_TEXT,
    MAX_SECTION_TEXT,
    escape,
    link,
    plain,
    truncate,
)
from briefings.compose import Alert, Briefing, Development, FigureLine, QuoteLine
from briefings.models import Figure

__all__ = ["alert_message", "briefing_message", "change_phrase", "figure_phrase", "kind_label",
           "local", "number"]

SHOWN_DEVELOPMENTS = 8
SHOWN_FIGURES = 15
SHOWN_QUOTES = 5
SHOWN_ALERT_ITEMS = 10
MAX_QUOTE_CHARS = 300
MAX_TITLE_CHARS = 250
MAX_PHRASE_CHARS = 300
MAX_NAME_CHARS = 120


# --- phrases shared with the terminal renderer (raw text: callers escape) ---------------------

def local(when: datetime, tz: str) -> datetime:
    try:
        return when.astimezone(ZoneInfo(tz))
    except (ZoneInfoNotFoundError, ValueError):
        return when


def number(value: float) -> str:
    """1582.0 -> '1,582'; 2500000 -> '2.5 million'."""
    for size, word in ((1_000_000_000, "billion"), (1_000_000, "million")):
        if abs(value) >= size and (value / size * 100) == int(value / size * 100):
            return f"{value / size:g} {word}"
    if value == int(value):
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def figure_phrase(figure: Figure) -> str:
    """'at least 1,582 civilians killed in Mariupol'."""
    amount = figure.words or (number(figure.value) if figure.value is not None else "")
    if figure.approx and figure.approx != "exact" and not amount.lower().startswith(
        figure.approx.lower()
    ):
        amount = f"{figure.approx} {amount}"
    if figure.value is None and amount.split()[-1:] and amount.split()[-1].lower() in (
        "dozens", "scores", "hundreds", "thousands", "millions", "tens"
    ) and not figure.what.startswith("of "):
        amount += " of"  # "hundreds of people sheltering", never "hundreds people sheltering"
    phrase = " ".join(part for part in (amount, figure.what) if part)
    if figure.where and figure.where.casefold() not in phrase.casefold():
        phrase += f" in {figure.where}"
    return phrase


def change_phrase(line: FigureLine, tz: str) -> str:
    """'was 1,582 on 11 Mar (+605)', or '' when there is nothing earlier to compare with."""
    if line.previous is None or line.previous_published is None:
        return ""
    before = line.previous.words or (
        number(line.previous.value) if line.previous.value is not None else "?"
    )
    text = f"was {before} on {local(line.previous_published, tz):%-d %b}"
    if line.change:
        text += f" ({'+' if line.change > 0 else '−'}{number(abs(line.change))})"
    return text


def kind_label(kind: str) -> str:
    return (kind or "other").replace("_", " ").capitalize()


# --- Block Kit ----------------------------------------------------------------------------------

def briefing_message(briefing: Briefing, tz: str) -> tuple[str, list[dict]]:
    """(fallback text, blocks) for a briefing, dates shown in zone `tz`."""
    day = local(briefing.until, tz)
    blocks: list[dict] = [_header(f"Sitrep briefing — {day:%-d %b %Y}")]
    if briefing.empty:
        blocks.append(_section("Nothing new since the last briefing."))
    if briefing.developments:
        blocks.append(_section(_fit(
            "*Top developments*", [_development(d) for d in briefing.developments],
            SHOWN_DEVELOPMENTS, hidden=briefing.developments_total - len(briefing.developments),
        )))
    if briefing.figure_groups:
        lines = []
        for group in briefing.figure_groups:
            label = f"_{kind_label(group.kind)}_\n"
            lines.extend((label if i == 0 else "") + _figure(line, tz)
                         for i, line in enumerate(group.lines))
        blocks.append(_section(_fit(
            "*Key figures*", lines, SHOWN_FIGURES, hidden=briefing.figures_total - len(lines),
            noun="figures",
        )))
    if briefing.quotes:
        blocks.append(_section(_fit(
            "*Notable quotes*", [_quote(q, tz) for q in briefing.quotes],
            SHOWN_QUOTES, hidden=briefing.quotes_total - len(briefing.quotes),
        )))
    room = MAX_BLOCKS - len(blocks) - 3  # divider, footer, "and N more topics"
    topics = briefing.topics
    if topics:
        blocks.append({"type": "divider"})
    for section in topics[:room]:
        lines = [_development(d) for d in section.developments]
        lines += [_figure(line, tz) for line in section.figures]
        lines += [_quote(q, tz) for q in section.quotes]
        if not lines:
            lines = ["_Nothing new since the last briefing._"]
        blocks.append(_section(_fit(f"*{plain(section.topic)}*", lines, len(lines))))
    if len(topics) > room:
        blocks.append(_section(f"_and {len(topics) - room} more topics_"))
    blocks.append(_footer(briefing, tz))
    return _fallback(briefing, day), blocks


def alert_message(alert: Alert, tz: str) -> tuple[str, list[dict]]:
    """(fallback text, blocks) for new stories, figures and quotes on one topic."""
    blocks: list[dict] = [_section(f"*New on {plain(alert.topic)}*")]
    for item in alert.items[:SHOWN_ALERT_ITEMS]:
        story = item.story
        lines = [f"{link(story.url, truncate(story.title, MAX_TITLE_CHARS))} — "
                 f"{escape(story.outlet)}, "
                 f"{local(story.published, tz):%-d %b %H:%M}"]
        for figure in item.figures:
            claimant = (f" — {escape(truncate(figure.claimant, MAX_NAME_CHARS))}"
                        if figure.claimant else "")
            lines.append(f"• {escape(truncate(figure_phrase(figure), MAX_PHRASE_CHARS))}{claimant}")
        for quote in item.quotes:
            lines.append(f"• “{escape(truncate(quote.text, MAX_QUOTE_CHARS))}” — "
                         f"{escape(truncate(quote.speaker or 'unattributed', MAX_NAME_CHARS))}")
        blocks.append(_section(_fit(lines[0], lines[1:], 12)))
    if len(alert.items) > SHOWN_ALERT_ITEMS:
        blocks.append(_section(f"_and {len(alert.items) - SHOWN_ALERT_ITEMS} more stories_"))
    first = alert.items[0].story.title if alert.items else ""
    text = truncate(f"New on {alert.topic}: {first}", MAX_FALLBACK_TEXT)
    return escape(text), blocks[:MAX_BLOCKS]


def _development(d: Development) -> str:
    line = f"• {link(d.story.url, truncate(d.story.title, MAX_TITLE_CHARS))} — "
    line += escape(d.story.outlet)
    if d.also:
        line += f" (also: {escape(', '.join(d.also))})"
    return line


def _figure(line: FigureLine, tz: str) -> str:
    figure = line.figure
    parts = [escape(truncate(figure_phrase(figure), MAX_PHRASE_CHARS))]
    source = escape(truncate(figure.claimant or "unattributed", MAX_NAME_CHARS))
    if line.story and line.story.url:
        source = f"{source}, {link(line.story.url, f'{local(line.published, tz):%-d %b}')}"
    else:
        source = f"{source}, {local(line.published, tz):%-d %b}"
    parts.append(f" — {source}")
    change = change_phrase(line, tz)
    if change:
        parts.append(f"; {escape(change)}")
    return "• " + "".join(parts)


def _quote(line: QuoteLine, tz: str) -> str:
    text = escape(truncate(line.quote.text, MAX_QUOTE_CHARS))
    outlet = f", {escape(truncate(line.story.outlet, MAX_NAME_CHARS))}" if line.story else ""
    speaker = plain(truncate(line.quote.speaker or "", MAX_NAME_CHARS))
    return f"• “{text}” — *{speaker}*{outlet}, {local(line.published, tz):%-d %b}"


def _fit(head: str, lines: Sequence[str], shown: int, *, hidden: int = 0, noun: str = "") -> str:
    """`head` and as many of `lines` (at most `shown`) as fit a section, then "and N more".

    `hidden` counts items that never became lines (cut earlier, by the composer).
    """
    text = head
    used = 0
    for line in lines[:shown]:
        if len(text) + 1 + len(line) > MAX_SECTION_TEXT - 40:  # room for "and N more"
            break
        text += "\n" + line
        used += 1
    more = len(lines) - used + max(hidden, 0)
    if more > 0:
        text += f"\n_and {more} more{' ' + noun if noun else ''}_"
    return text


def _header(text: str) -> dict:
    return {"type": "header",
            "text": {"type": "plain_text", "text": truncate(text, MAX_HEADER_TEXT)}}


def _section(text: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": truncate(text, MAX_SECTION_TEXT)}}


def _footer(briefing: Briefing, tz: str) -> dict:
    since, until = local(briefing.since, tz), local(briefing.until, tz)
    text = (f"{since:%-d %b %H:%M} – {until:%-d %b %H:%M} ({escape(tz)}) · "
            f"{briefing.stories} stories from {briefing.sources} of "
            f"{briefing.sources_followed} sources")
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text}]}


def _fallback(briefing: Briefing, day: datetime) -> str:
    return (f"Sitrep briefing for {day:%-d %b %Y}: {briefing.developments_total} developments, "
            f"{briefing.figures_total} new figures, {briefing.quotes_total} quotes")
