"""Plain-text views for the terminal (the Slack views are in bot/render.py)."""

from __future__ import annotations

from datetime import datetime

from briefings.models import SourceHealth, Story


def ago(when: datetime | None, now: datetime) -> str:
    if when is None:
        return "never"
    seconds = int((now - when).total_seconds())
    if seconds < 0:
        return "just now"
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            return f"{seconds // size}{unit} ago"
    return f"{seconds}s ago"


def sources_table(health: list[SourceHealth], *, now: datetime) -> str:
    if not health:
        return "No sources yet: run `sitrep poll`."
    lines = []
    for source in health:
        state = "ok" if not source.failures else f"failing ({source.failures}x)"
        lines.append(f"{source.name} [{state}]  {source.url}")
        lines.append(f"  last success: {ago(source.last_success, now)}; items in feed: "
                     f"{source.items}; stories stored: {source.stories}")
        if source.last_error:
            lines.append(f"  last error ({ago(source.last_error_at, now)}): {source.last_error}")
        if source.extract_failed:
            lines.append(f"  extraction failed for {source.extract_failed} stories "
                         f"(latest: {source.extract_error}); retry with `sitrep reextract`")
        if source.backoff_until and source.backoff_until > now:
            lines.append(f"  backing off until {source.backoff_until:%Y-%m-%d %H:%M} UTC")
    return "\n".join(lines)


def story_line(story: Story, also: list[str]) -> str:
    line = f"- {story.title} — {story.outlet}, {story.published:%d %b %Y %H:%M} UTC"
    if also:
        line += f" (also: {', '.join(also)})"
    return line
