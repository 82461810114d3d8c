"""The App Home tab: channels' subscriptions and briefing times, and the sources' health."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime

from bot.render.blocks import MessageBuilder
from bot.render.mrkdwn import escape, plain, truncate
from bot.render.phrases import SLACK, briefing_time, feeds_summary, plural, source_status
from briefings.models import SourceHealth
from briefings.queries import ChannelSubscriptions
from briefings.workspaces import split_address

__all__ = ["home_view"]

_CHANNEL_ID = re.compile(r"^[CGD][A-Z0-9]{2,20}$")
SHOWN_CHANNELS = 20
SHOWN_SOURCES = 40
SHOWN_TOPICS = 30
OK, PROBLEM = "✅", "⚠️"


def _channel(where: str) -> str:
    # Only the Slack channel of its address is shown (never the workspace). Channel ids come
    # from Slack's own payloads; still, only a well-formed id becomes a mention.
    channel = split_address(where)[1]
    return f"<#{channel}>" if _CHANNEL_ID.match(channel) else escape(channel)


def _channel_line(subs: ChannelSubscriptions, default_tz: str, now: datetime) -> str:
    """'✅ #war-desk — *Mariupol*, *Kyiv*; daily briefing at 08:00 Europe/Kyiv (EET)'."""
    topics = ", ".join(f"*{plain(truncate(t, 80))}*" for t in subs.topics[:SHOWN_TOPICS])
    if len(subs.topics) > SHOWN_TOPICS:
        topics += f" and {plural(len(subs.topics) - SHOWN_TOPICS, 'more topic')}"
    when = briefing_time(subs, default_tz, now)
    briefing = f"daily briefing at {escape(when)}" if when else "no daily briefing"
    line = (f"{PROBLEM if subs.error else OK} {_channel(subs.channel)} — "
            f"{topics or '_no topics_'}; {briefing}")
    if subs.error:
        line += f"\n      posting failed: {escape(truncate(subs.error, 300))}"
    return line


def _source_line(source: SourceHealth, now: datetime) -> str:
    """'✅ *Tokyo Today* — last success 5m ago, 8 items in feed'."""
    status = source_status(source, now)
    state = f" {status.state()}" if status.failures else ""
    line = (f"{PROBLEM if status.failures else OK} {SLACK.strong(source.name, 100)}{state} — "
            f"last success {status.last_success}, {plural(source.items, 'item')} in feed")
    if status.error:
        line += f"\n      last error ({status.error_ago}): {SLACK.text(status.error, 200)}"
    return line


def home_view(
    channels: Sequence[ChannelSubscriptions], sources: Sequence[SourceHealth], *,
    now: datetime, default_tz: str,
) -> dict:
    """The `views.publish` view for the Home tab."""
    builder = MessageBuilder()
    builder.header("Sitrep")
    builder.context("Follows war news: `/conflict latest &lt;topic&gt;`, `/conflict help`.")
    builder.lines("*Channels*",
                  [_channel_line(c, default_tz, now) for c in channels[:SHOWN_CHANNELS]]
                  or ["_No channel has subscribed or set a briefing yet._"],
                  hidden=max(0, len(channels) - SHOWN_CHANNELS),
                  noun=lambda n: plural(n, "more channel"))
    builder.divider()
    builder.lines(f"*Sources* — {feeds_summary(sources)}",
                  [_source_line(s, now) for s in sources[:SHOWN_SOURCES]],
                  hidden=max(0, len(sources) - SHOWN_SOURCES),
                  noun=lambda n: plural(n, "more feed"))
    message = builder.build("Sitrep")
    return {"type": "home", "blocks": message.blocks}
