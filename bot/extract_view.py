"""Terminal views of one article's extraction (`sitrep extract`)."""

from __future__ import annotations

import json

from briefings.models import Extraction


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
