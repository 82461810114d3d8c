"""The briefing as plain text for the terminal (`sitrep demo`, `sitrep digest --dry-run`)."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import datetime

from bot.render_briefing import change_phrase, figure_phrase, kind_label, local
from briefings.compose import Briefing, Development, FigureLine, QuoteLine, compose_briefing
from briefings.store import Store
from briefings.topics import Topics

__all__ = ["briefing_json", "briefing_text", "demo_briefing"]

SHOWN = 10
DEMO_CHANNEL = "#demo"
DEMO_TOPICS = ("Mariupol",)


def demo_briefing(store: Store, topics: Topics, now: datetime, tz: str = "UTC") -> str:
    """The briefing a channel following Mariupol would get now (for `sitrep demo`)."""
    for topic in DEMO_TOPICS:
        store.subscribe(DEMO_CHANNEL, topic, now)
    briefing = compose_briefing(store, topics, channel=DEMO_CHANNEL, now=now, since=None)
    return briefing_text(briefing, tz)


def briefing_text(briefing: Briefing, tz: str = "UTC") -> str:
    """A readable terminal rendering of every section of the briefing."""
    day = local(briefing.until, tz)
    out = [f"Sitrep briefing — {day:%-d %b %Y}" + (f" — {briefing.channel}"
                                                      if briefing.channel else "")]
    if briefing.empty:
        out.append("Nothing new since the last briefing.")
    if briefing.developments:
        out.append("\nTop developments")
        out += [_development(d) for d in briefing.developments[:SHOWN]]
        out += _more(briefing.developments_total, SHOWN)
    if briefing.figure_groups:
        out.append("\nKey figures")
        shown = 0
        for group in briefing.figure_groups:
            if shown >= SHOWN * 2:
                break
            out.append(f"  {kind_label(group.kind)}")
            for line in group.lines[: SHOWN * 2 - shown]:
                out.append(_figure(line, tz))
                shown += 1
        out += _more(briefing.figures_total, shown)
    if briefing.quotes:
        out.append("\nNotable quotes")
        out += [_quote(q, tz) for q in briefing.quotes[:SHOWN]]
        out += _more(briefing.quotes_total, SHOWN)
    for section in briefing.topics:
        out.append(f"\nTopic: {section.topic}")
        lines = [_development(d) for d in section.developments]
        lines += [_figure(line, tz) for line in section.figures]
        lines += [_quote(q, tz) for q in section.quotes]
        out += lines or ["  nothing new since the last briefing"]
    since, until = local(briefing.since, tz), local(briefing.until, tz)
    out.append(f"\n{since:%-d %b %H:%M} – {until:%-d %b %H:%M} ({tz}) · {briefing.stories} "
               f"stories from {briefing.sources} of {briefing.sources_followed} sources")
    return "\n".join(out)


def briefing_json(briefing: Briefing) -> str:
    """The briefing as JSON (stories without their full text)."""
    def clean(value: object) -> object:
        if isinstance(value, dict):
            story = "cluster_id" in value  # a Story: its full text would swamp the output
            return {k: clean(v) for k, v in value.items()
                    if not (story and k in ("text", "summary"))}
        if isinstance(value, list | tuple):
            return [clean(v) for v in value]
        if isinstance(value, datetime):
            return value.isoformat()
        return value

    return json.dumps(clean(asdict(briefing)), indent=2, ensure_ascii=False)


def _more(total: int, shown: int) -> list[str]:
    return [f"  … and {total - shown} more"] if total > shown else []


def _development(d: Development) -> str:
    also = f" (also: {', '.join(d.also)})" if d.also else ""
    return f"  - {d.story.title} — {d.story.outlet}{also}"


def _figure(line: FigureLine, tz: str) -> str:
    claimant = line.figure.claimant or "unattributed"
    text = f"  - {figure_phrase(line.figure)} — {claimant}, {local(line.published, tz):%-d %b}"
    change = change_phrase(line, tz)
    return f"{text}; {change}" if change else text


def _quote(line: QuoteLine, tz: str) -> str:
    outlet = f", {line.story.outlet}" if line.story else ""
    return f"  - “{line.quote.text}” — {line.quote.speaker}{outlet}, " \
           f"{local(line.published, tz):%-d %b}"
