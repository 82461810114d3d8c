"""Plain-text views for the terminal: sources, the briefing, one article's extraction.

What each line says is decided in `bot.render.phrases`, shared with the Slack views
(`bot/render/replies.py`, `bot/render/briefing.py`, `bot/slack/home.py`); this only formats it.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import datetime

from bot.render.phrases import (
    EXTRACT_REMEDY,
    TERMINAL,
    development_line,
    figure_line,
    kind_label,
    local,
    quote_line,
    source_status,
)
from briefings.compose import Briefing
from briefings.models import Extraction, SourceHealth, Story

SHOWN = 10


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
            lines.append(f"  extraction failed for {status.extract_failed} stories "
                         f"(latest: {status.extract_error}); {EXTRACT_REMEDY}")
        if status.backoff_until:
            lines.append(f"  backing off until {status.backoff_until:%Y-%m-%d %H:%M} UTC")
    return "\n".join(lines)


def story_line(story: Story, also: list[str]) -> str:
    line = f"- {story.title} — {story.outlet}, {story.published:%d %b %Y %H:%M} UTC"
    if also:
        line += f" (also: {', '.join(also)})"
    return line


# --- the briefing ---------------------------------------------------------------------------

def briefing_text(briefing: Briefing, tz: str = "UTC") -> str:
    """A readable terminal rendering of every section of the briefing."""
    day = local(briefing.until, tz)
    out = [f"Sitrep briefing — {day:%-d %b %Y}" + (f" — {briefing.channel}"
                                                      if briefing.channel else "")]
    if briefing.empty:
        out.append("Nothing new since the last briefing.")
    if briefing.developments:
        out.append("\nTop developments")
        out += [development_line(d, TERMINAL) for d in briefing.developments[:SHOWN]]
        out += _more(briefing.developments_total, SHOWN)
    if briefing.figure_groups:
        out.append("\nKey figures")
        shown = 0
        for group in briefing.figure_groups:
            if shown >= SHOWN * 2:
                break
            out.append(f"  {kind_label(group.kind)}")
            for line in group.lines[: SHOWN * 2 - shown]:
                out.append(figure_line(line, tz, TERMINAL))
                shown += 1
        out += _more(briefing.figures_total, shown)
    if briefing.quotes:
        out.append("\nNotable quotes")
        out += [quote_line(q, tz, TERMINAL) for q in briefing.quotes[:SHOWN]]
        out += _more(briefing.quotes_total, SHOWN)
    for section in briefing.topics:
        out.append(f"\nTopic: {section.topic}")
        lines = [development_line(d, TERMINAL) for d in section.developments]
        lines += [figure_line(line, tz, TERMINAL) for line in section.figures]
        lines += [quote_line(q, tz, TERMINAL) for q in section.quotes]
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


# --- one article's extraction (`sitrep extract`) -------------------------------------------

def _number(value: float | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


def extraction_dict(extraction: Extraction) -> dict:
    """The SPEC's JSON shape (plus `kind` and `words`, which the spec allows us to add)."""
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
