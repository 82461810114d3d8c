"""The App Home tab: channels' subscriptions and briefing times, and the sources' health."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime

from bot.render.blocks import MessageBuilder
from bot.render.mrkdwn import escape, plain, truncate
from bot.render.phrases import SLACK, briefing_time, feeds_summary, source_status
from briefings.models import SourceHealth
from briefings.queries import ChannelSubscriptions

__all__ = ["home_view"]

_CHANNEL_ID = re.compile(r"^[CGD][A-Z0-9]{2,20}$")
SHOWN_CHANNELS = 20
SHOWN_SOURCES = 40


def _channel(channel: str) -> str:
    # Channel ids come from Slack's own payloads; still, only a well-formed id becomes a mention.
    return f"<#{channel}>" if _CHANNEL_ID.match(channel) else escape(channel)


def _channel_line(subs: ChannelSubscriptions, default_tz: str) -> str:
    topics = ", ".join(plain(truncate(t, 80)) for t in subs.topics[:30]) or "_no topics_"
    if len(subs.topics) > 30:
        topics += f" and {len(subs.topics) - 30} more"
    when = briefing_time(subs, default_tz)
    briefing = f"briefing at {escape(when)}" if when else "no daily briefing"
    line = f"• {_channel(subs.channel)} — {topics}; {briefing}"
    if subs.error:
        line += f"\n   :warning: posting failed: {escape(truncate(subs.error, 300))}"
    return line


def _source_line(source: SourceHealth, now: datetime) -> str:
    status = source_status(source, now)
    mark = "⚠️" if status.failures else "✅"
    line = (f"{mark} {SLACK.strong(source.name, 100)} — last success {status.last_success}, "
            f"{source.items} items")
    if status.error:
        line += f"; last error: {SLACK.text(status.error, 200)}"
    return line


def home_view(
    channels: Sequence[ChannelSubscriptions], sources: Sequence[SourceHealth], *,
    now: datetime, default_tz: str,
) -> dict:
    """The `views.publish` view for the Home tab."""
    builder = MessageBuilder()
    builder.header("Sitrep")
    builder.context("Follows war news: `/conflict latest <topic>`, `/conflict help`.")
    builder.lines("*Channels*", [_channel_line(c, default_tz) for c in channels[:SHOWN_CHANNELS]]
                  or ["_No channel has subscribed or set a briefing yet._"],
                  hidden=max(0, len(channels) - SHOWN_CHANNELS), noun="more channels")
    builder.divider()
    builder.lines(f"*Sources* — {feeds_summary(sources)}",
                  [_source_line(s, now) for s in sources[:SHOWN_SOURCES]],
                  hidden=max(0, len(sources) - SHOWN_SOURCES), noun="more feeds")
    message = builder.build("Sitrep")
    return {"type": "home", "blocks": message.blocks}
