"""Plain-text views for the terminal: sources, the briefing, one article's extraction.

What each line says is decided in `bot.render.phrases`, shared with the Slack views
(`bot/render/replies.py`, `bot/render/briefing.py`, `bot/slack/home.py`); this only formats it.
"""

from __future__ import annotations

import json
from datetime import datetime

from bot.render.briefing import (
    SHOWN_DEVELOPMENTS,
    SHOWN_QUOTES,
    briefing_parts,
    context_line,
    first_topic,
    key_figure_lines,
)
from bot.render.phrases import (
    EXTRACT_REMEDY,
    TERMINAL,
    date_phrase,
    development_line,
    figure_line,
    local,
    plural,
    quote_line,
    source_status,
)
from briefings.compose import Briefing
from briefings.models import Extraction, SourceHealth, Story


def sources_table(health: list[SourceHealth], *, now: datetime) -> str:
    if not health:
        return "No sources yet: run `sitrep poll`."
    lines = []
    for source in health:
        status = source_status(source, now)
        lines.append(f"{source.name} [{status.state('x')}]  {source.url}")
        lines.append(f"  last success: {status.last_success}; items in feed: "
                     f"{source.items}; stories stored: {source.stories}")
        if status.error:
            lines.append(f"  last error ({status.error_ago}): {status.error}")
        if status.extract_failed:
            lines.append(f"  extraction failed for {plural(status.extract_failed, 'story')} "
                         f"(latest: {status.extract_error}); {EXTRACT_REMEDY}")
        if status.backoff_until:
            lines.append(f"  backing off until {status.backoff_until:%Y-%m-%d %H:%M} UTC")
    return "\n".join(lines)


def story_line(story: Story, also: list[str], now: datetime | None = None) -> str:
    when = date_phrase(story.published, "UTC", now, time=True)
    line = f"- {story.title} — {story.outlet}, {when} UTC"
    if also:
        line += f" (also: {', '.join(also)})"
    return line


# --- the briefing ---------------------------------------------------------------------------

def _command(verb: str, topic: str | None) -> str:
    return f"/conflict {verb} {' '.join(topic.split()) if topic else '<topic>'}"


def _more(hidden: int, noun: str, command: str = "") -> list[str]:
    if hidden <= 0:
        return []
    return [f"  … and {plural(hidden, noun)}" + (f" — {command}" if command else "")]


def briefing_text(briefing: Briefing, tz: str = "UTC") -> str:
    """The briefing as terminal text: what the Slack message says, section by section."""
    now = briefing.until
    day = local(now, tz)
    topic = first_topic(briefing)
    parts = briefing_parts(briefing, tz, TERMINAL)
    title = f"Sitrep briefing — {day.day} {day:%b %Y}"
    if briefing.channel:
        title += f" — {briefing.channel}"
    out = [title, context_line(briefing, tz, TERMINAL)]
    if briefing.empty:
        out.append("\nNothing new since the last briefing.")
    if briefing.developments:
        out.append("\nTop developments")
        shown = parts["developments"][:SHOWN_DEVELOPMENTS]
        out += shown
        out += _more(briefing.developments_total - len(shown), "more development",
                     _command("latest", topic))
    if briefing.figure_groups:
        out.append("\nKey figures")
        entries = key_figure_lines(briefing.figure_groups,
                                   lambda line: figure_line(line, tz, TERMINAL, now),
                                   lambda label: f"  {label}")
        out += entries
        out += _more(briefing.figures_total - len(entries), "more figure",
                     _command("figures", topic))
    if briefing.quotes:
        out.append("\nNotable quotes")
        shown = parts["quotes"][:SHOWN_QUOTES]
        out += shown
        out += _more(briefing.quotes_total - len(shown), "more quote")
    for section in briefing.topics:
        out.append(f"\nTopic: {section.topic}")
        lines = [development_line(d, TERMINAL, tz, now) for d in section.developments]
        lines += [figure_line(line, tz, TERMINAL, now) for line in section.figures]
        lines += [quote_line(q, tz, TERMINAL, now) for q in section.quotes]
        out += lines or ["  nothing new since the last briefing"]
    return "\n".join(out)


# --- one article's extraction (`sitrep extract`) -------------------------------------------

def _number(value: float | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


def extraction_dict(extraction: Extraction) -> dict:
    """The `sitrep extract --json` shape the README documents (`kind` and `words` are extras)."""
    return {
        "figures": [
            {
                "value": _number(f.value), "low": _number(f.low), "high": _number(f.high),
                "approx": f.approx, "what": f.what, "kind": f.kind, "whose": f.whose,
                "where": f.where, "scope": f.scope, "earlier": f.earlier,
                "claimant": f.claimant, "sentence": f.sentence, "words": f.words,
            }
            for f in extraction.figures
        ],
        "quotes": [
            {"text": q.text, "speaker": q.speaker, "cue": q.cue, "sentence": q.sentence}
            for q in extraction.quotes
        ],
        "notes": list(extraction.notes),
    }


def extraction_json(extraction: Extraction) -> str:
    return json.dumps(extraction_dict(extraction), ensure_ascii=False, indent=2)


def extraction_text(extraction: Extraction) -> str:
    lines = [f"Figures ({len(extraction.figures)}):"]
    for f in extraction.figures:
        # `words` is the amount as written, qualifier included ("at least 1,582", "dozens").
        amount = f.words or (f"{_number(f.value):,}" if f.value is not None else "?")
        value = "" if f.value is None else f" = {_number(f.value):,}"
        if f.low is not None and f.high is not None:
            value = f" = {_number(f.low):,}–{_number(f.high):,}"
        where = f" in {f.where}" if f.where else ""
        series = ", ".join(
            part for part in (f.whose, f.scope, "earlier count" if f.earlier else None) if part
        )
        series = f"; {series}" if series else ""
        lines.append(f"  {amount} {f.what}{where} [{f.kind}{value}{series}] — "
                     f"{f.claimant or 'no claimant'}")
    lines.append(f"Quotes ({len(extraction.quotes)}):")
    for q in extraction.quotes:
        lines.append(f"  “{q.text}” — {q.speaker or 'unattributed'} ({q.cue or 'no cue'})")
    lines.extend(f"Note: {note}" for note in extraction.notes)
    return "\n".join(lines)
