"""What a line says, decided once for Slack and the terminal; each medium only formats it.

Phrases are raw text. A `Medium` shows feed text: `SLACK` escapes and cuts it for mrkdwn and links
stored http(s) URLs; `TERMINAL` prints it as it is. Slack's own limits are in `bot.render.mrkdwn`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.render.mrkdwn import escape, link, plain, truncate

if TYPE_CHECKING:
    from briefings.compose import Development, FigureLine, QuoteLine
    from briefings.models import Figure, SourceHealth
    from briefings.queries import ChannelSubscriptions

# How much of a feed's text one line shows (Sitrep's choice; Slack's limits are larger).
MAX_TITLE = 250
MAX_NAME = 120  # a speaker, claimant, outlet or topic
MAX_PHRASE = 300  # a figure's phrase
MAX_QUOTE = 300  # a quote in a briefing or an alert

EXTRACT_REMEDY = "retry with `sitrep reextract`"


# --- media ----------------------------------------------------------------------------------

class Medium:
    """The terminal: feed text shown as it is, uncut, links as their label."""

    bullet = "  - "

    def text(self, text: str, limit: int | None = None) -> str:
        return text

    def strong(self, text: str, limit: int | None = None) -> str:
        return text

    def link(self, url: str | None, label: str, limit: int | None = None) -> str:
        return label


class Mrkdwn(Medium):
    """Slack: feed text cut to `limit`, escaped; names in bold; links to stored http(s) URLs."""

    bullet = "• "

    def text(self, text: str, limit: int | None = None) -> str:
        return escape(_cut(text, limit))

    def strong(self, text: str, limit: int | None = None) -> str:
        return f"*{plain(_cut(text, limit))}*"

    def link(self, url: str | None, label: str, limit: int | None = None) -> str:
        return link(url, _cut(label, limit))


def _cut(text: str, limit: int | None) -> str:
    return text if limit is None else truncate(text, limit)


TERMINAL = Medium()
SLACK = Mrkdwn()


# --- time, numbers, figures -------------------------------------------------------------------

def local(when: datetime, tz: str) -> datetime:
    try:
        return when.astimezone(ZoneInfo(tz))
    except (ZoneInfoNotFoundError, ValueError):
        return when


def ago(when: datetime | None, now: datetime) -> str:
    """'5m ago', '3d ago', 'never'."""
    if when is None:
        return "never"
    seconds = int((now - when).total_seconds())
    if seconds < 0:
        return "just now"
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            return f"{seconds // size}{unit} ago"
    return f"{seconds}s ago"


def number(value: float) -> str:
    """1582.0 -> '1,582'; 2500000 -> '2.5 million'."""
    for size, word in ((1_000_000_000, "billion"), (1_000_000, "million")):
        if abs(value) >= size and (value / size * 100) == int(value / size * 100):
            return f"{value / size:g} {word}"
    if value == int(value):
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def amount(figure: Figure) -> str:
    """The amount as written ('at least 1,582', 'dozens'), else the number, else '?'."""
    return figure.words or (number(figure.value) if figure.value is not None else "?")


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


def change_phrase(figure: Figure, before: Figure, on: str, medium: Medium = TERMINAL, *,
                  limit: int | None = None) -> str:
    """'was 1,582 on 11 Mar (+605)': `before`'s amount (cut to `limit`), `on` already shown;
    'up from 1,582 (+605)' when `before` is a past count the same article restates (its own
    date unknown)."""
    if before.earlier:
        text = f"up from {medium.text(amount(before), limit)}"
    else:
        text = f"was {medium.text(amount(before), limit)} on {on}"
    if figure.value is not None and before.value is not None and figure.value != before.value:
        delta = figure.value - before.value
        text += f" ({'+' if delta > 0 else '−'}{number(abs(delta))})"
    return text


def kind_label(kind: str) -> str:
    return (kind or "other").replace("_", " ").capitalize()


def quoted(text: str, speaker: str | None, medium: Medium, *, limit: int = MAX_QUOTE,
           strong: bool = True) -> str:
    """'“text” — speaker' (the speaker in bold when `strong`)."""
    who = speaker or "unattributed"
    who = medium.strong(who, MAX_NAME) if strong else medium.text(who, MAX_NAME)
    return f"“{medium.text(text, limit)}” — {who}"


# --- the briefing's lines -----------------------------------------------------------------------

def development_line(d: Development, medium: Medium) -> str:
    """'• Title — Outlet (also: Other, Another)'."""
    also = f" (also: {medium.text(', '.join(d.also))})" if d.also else ""
    return (f"{medium.bullet}{medium.link(d.story.url, d.story.title, MAX_TITLE)} — "
            f"{medium.text(d.story.outlet)}{also}")


def figure_line(line: FigureLine, tz: str, medium: Medium) -> str:
    """'• 2,187 civilians killed in Mariupol — council, 14 Mar; was 1,582 on 11 Mar (+605)'."""
    figure = line.figure
    day = f"{local(line.published, tz):%-d %b}"
    text = (f"{medium.bullet}{medium.text(figure_phrase(figure), MAX_PHRASE)} — "
            f"{medium.text(figure.claimant or 'unattributed', MAX_NAME)}, "
            f"{medium.link(line.story.url if line.story else None, day)}")
    if line.previous is None or line.previous_published is None:
        return text
    on = f"{local(line.previous_published, tz):%-d %b}"
    return f"{text}; {change_phrase(figure, line.previous, on, medium)}"


def quote_line(line: QuoteLine, tz: str, medium: Medium) -> str:
    """'• “text” — Speaker, Outlet, 14 Mar'."""
    outlet = f", {medium.text(line.story.outlet, MAX_NAME)}" if line.story else ""
    return (f"{medium.bullet}{quoted(line.quote.text, line.quote.speaker, medium)}{outlet}, "
            f"{local(line.published, tz):%-d %b}")


# --- sources and channels -----------------------------------------------------------------------

class SourceStatus(NamedTuple):
    """What Sitrep says about one feed's health, whatever the medium."""

    failures: int  # polls failed in a row; 0 when the feed is ok
    last_success: str  # '5m ago', 'never'
    error: str  # the last polling error ('' when none)
    error_ago: str
    extract_failed: int  # stories whose extraction failed (`EXTRACT_REMEDY` retries them)
    extract_error: str  # the latest such failure
    backoff_until: datetime | None  # while polling is backing off

    def state(self, times: str = "×") -> str:
        """'ok' or 'failing (3×)'."""
        return f"failing ({self.failures}{times})" if self.failures else "ok"


def source_status(source: SourceHealth, now: datetime) -> SourceStatus:
    backoff = source.backoff_until
    return SourceStatus(
        failures=source.failures, last_success=ago(source.last_success, now),
        error=source.last_error or "", error_ago=ago(source.last_error_at, now),
        extract_failed=source.extract_failed, extract_error=source.extract_error or "",
        backoff_until=backoff if backoff and backoff > now else None,
    )


def feeds_summary(health: Sequence[SourceHealth]) -> str:
    """'12 feeds, 1 failing'."""
    return f"{len(health)} feeds, {sum(1 for s in health if s.failures)} failing"


def briefing_time(subs: ChannelSubscriptions, default_tz: str) -> str | None:
    """'08:00 Europe/Kyiv', or None when the channel has no daily briefing."""
    if subs.digest_enabled and subs.digest_time:
        return f"{subs.digest_time} {subs.digest_tz or default_tz}"
    return None
