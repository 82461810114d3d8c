"""`/conflict` text → a `Command`, and a `Command` → its reply. Shared by Slack and `sitrep ask`.

Parsing never raises: anything it cannot use becomes `help` with the reason, so every input —
FTS operators, quotes, emoji, SQL, 10,000 characters — gets a useful reply.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.render.blocks import Message
from bot.render.mrkdwn import escape, truncate
from bot.render.phrases import MAX_NAME, SLACK
from bot.render.replies import (
    figures_message,
    latest_message,
    notice_message,
    quotes_message,
    sources_message,
    subscriptions_message,
    usage_message,
)
from briefings import queries
from briefings.schedule import clock_time, is_zone, zone_name
from briefings.settings import Settings
from briefings.store import Store
from briefings.topics import Topics, fold

__all__ = ["Command", "Reply", "answer", "parse"]

TOPIC_ACTIONS = ("latest", "figures", "quotes", "subscribe", "unsubscribe", "export")
ALIASES = {
    "news": "latest", "figure": "figures", "numbers": "figures", "quote": "quotes",
    "sub": "subscribe", "follow": "subscribe", "unsub": "unsubscribe", "unfollow": "unsubscribe",
    "subs": "subscriptions", "topics": "subscriptions", "source": "sources", "feeds": "sources",
    "briefing": "digest", "usage": "help", "?": "help", "csv": "export", "download": "export",
}
_QUOTES = "\"'“”‘’«»`"


@dataclass(frozen=True, slots=True)
class Command:
    """One parsed `/conflict` request."""

    action: str  # latest, figures, quotes, subscribe, unsubscribe, export, subscriptions,
    #              digest, digest_at, digest_off, sources, help
    topic: str = ""
    time: str | None = None  # "08:00" for digest_at
    tz: str | None = None  # zone name for digest_at; None keeps the channel's (or the default)
    problem: str | None = None  # why `help` was the answer (escaped mrkdwn)

    @property
    def text(self) -> str:
        """The command as a user would type it (the "Post to channel" button carries it)."""
        return " ".join(p for p in (self.action, self.topic) if p)


@dataclass(frozen=True, slots=True)
class Reply:
    """Where a reply goes and what it may use: the channel, the clock, the data."""

    store: Store
    topics: Topics
    settings: Settings
    now: datetime
    channel: str | None = None
    user: str | None = None


def _help(problem: str) -> Command:
    return Command("help", problem=problem)


def parse(text: str | None) -> Command:
    """Parse the text after `/conflict`."""
    words = (text or "").split(None, 1)
    if not words:
        return Command("help")
    verb = ALIASES.get(words[0].casefold(), words[0].casefold())
    rest = " ".join(words[1].split()) if len(words) > 1 else ""
    if verb in TOPIC_ACTIONS:
        return _topic_command(verb, rest)
    if verb == "digest":
        return _digest(rest)
    if verb in ("subscriptions", "sources", "help"):
        return Command(verb)
    shown = escape(truncate(words[0], 40))
    return _help(f"I don't know `{shown}`.")


def _topic_command(verb: str, rest: str) -> Command:
    topic = rest.strip(_QUOTES + " ")
    if not topic:
        return _help(f"`{verb}` needs a topic, e.g. `/conflict {verb} Mariupol`.")
    if len(topic) > queries.MAX_TOPIC_CHARS:
        return _help(f"That topic is {len(topic):,} characters long; topics are at most "
                     f"{queries.MAX_TOPIC_CHARS}. Try a place, person or organisation.")
    if not fold(topic):
        return _help(f"“{escape(topic)}” has no words to search for. "
                     "Try a place, person or organisation.")
    return Command(verb, topic)


def _digest(rest: str) -> Command:
    parts = rest.split()
    if not parts:
        return Command("digest")
    if [p.casefold() for p in parts] in (["off"], ["stop"], ["none"]):
        return Command("digest_off")
    if parts[0].casefold() == "at":
        parts = parts[1:]
    example = "e.g. `/conflict digest at 08:00 Europe/Kyiv`"
    if not parts or len(parts) > 2:
        return _help(f"Say when: {example}.")
    time = clock_time(parts[0])
    if time is None:
        return _help(f"`{escape(truncate(parts[0], 40))}` is not a time like 08:00; {example}.")
    zone = zone_name(parts[1]) if len(parts) == 2 else None
    if zone is not None and not is_zone(zone):
        return _help(f"`{escape(truncate(zone, 40))}` is not a time zone I know; use a name "
                     f"like `Asia/Tokyo`, `Europe/Kyiv` or `UTC`.")
    return Command("digest_at", time=time, tz=zone)


def answer(command: Command, reply: Reply) -> Message:
    """The reply to `command`, rendered for Slack (`bot.blocks.as_text` for a terminal)."""
    tz = queries.channel_timezone(reply.store, reply.channel, reply.settings.briefing_timezone)
    if command.action == "latest":
        result = queries.latest(reply.store, reply.topics, command.topic, now=reply.now)
        return latest_message(result, tz=tz, now=reply.now)
    if command.action == "figures":
        history = queries.figures(reply.store, reply.topics, command.topic)
        return figures_message(history, tz=tz, now=reply.now)
    if command.action == "quotes":
        found = queries.quotes(reply.store, reply.topics, command.topic)
        return quotes_message(found, tz=tz, now=reply.now)
    if command.action == "export":
        return _export_notice(command.topic, reply)
    if command.action == "sources":
        return sources_message(queries.sources(reply.store), now=reply.now,
                               channel_error=queries.channel_error(reply.store, reply.channel))
    if command.action in ("subscribe", "unsubscribe", "subscriptions", "digest_at",
                          "digest_off"):
        if not reply.channel:
            return notice_message("That works in a Slack channel only.")
        return _channel_change(command, reply)
    if command.action == "digest":
        return _digest_preview(reply, tz)
    return usage_message(command.problem)


def export_filename(topic: str) -> str:
    """'mariupol-claims.csv': the name `/conflict export Mariupol` gives its file."""
    slug = "-".join("".join(c if c.isalnum() else " " for c in topic.casefold()).split())
    return f"{slug[:60] or 'topic'}-claims.csv"


def _export_notice(topic: str, reply: Reply) -> Message:
    """What `/conflict export` says; in Slack the CSV itself follows as a file."""
    from briefings.export import export_rows

    rows = export_rows(reply.store, reply.topics, topic)
    shown = SLACK.strong(reply.topics.canonical(topic), MAX_NAME)
    if not rows:
        return notice_message(f"Nothing stored about {shown} to export yet.")
    figures = sum(1 for row in rows if row["record"] == "figure")
    quotes = len(rows) - figures
    counts = (f"{figures:,} figure{'' if figures == 1 else 's'} and {quotes:,} "
              f"quote{'' if quotes == 1 else 's'} on {shown}")
    if reply.channel:
        return notice_message(f"{counts}: the CSV follows in this channel as "
                              f"`{export_filename(topic)}`.")
    return notice_message(f"{counts}; `sitrep export` writes them as CSV or JSON.")


def _channel_change(command: Command, reply: Reply) -> Message:
    store, channel = reply.store, reply.channel or ""
    if command.action == "subscriptions":
        return subscriptions_message(queries.subscriptions(store, channel))
    if command.action in ("subscribe", "unsubscribe"):
        topic = reply.topics.canonical(command.topic)
        shown = SLACK.strong(topic, MAX_NAME)
        if command.action == "subscribe":
            added = store.subscribe(channel, topic, reply.now)
            return notice_message(
                f"This channel now follows {shown}: alerts as news arrives, and a section "
                "in its daily briefing." if added else f"This channel already follows {shown}.")
        removed = store.unsubscribe(channel, topic)
        return notice_message(f"This channel no longer follows {shown}." if removed
                              else f"This channel was not following {shown}.")
    if command.action == "digest_off":
        store.set_digest(channel, reply.now, enabled=False)
        return notice_message("Daily briefing stopped for this channel.")
    current = queries.subscriptions(store, channel)
    tz = command.tz or current.digest_tz or reply.settings.briefing_timezone
    store.set_digest(channel, reply.now, enabled=True, time=command.time, tz=tz)
    return notice_message(f"Daily briefing set for {command.time} {escape(tz)} in this channel.")


def _digest_preview(reply: Reply, tz: str) -> Message:
    try:
        from bot.render.briefing import briefing_message
        from briefings.compose import compose_briefing
    except ImportError:  # the briefing half may not be installed in this build
        return notice_message("Briefing previews are not available in this version.")
    briefing = compose_briefing(reply.store, reply.topics, channel=reply.channel, now=reply.now,
                                since=None)
    return briefing_message(briefing, tz)
