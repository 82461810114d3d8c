"""Amounts as written in news copy: "at least 1,370", "4.5 million", "three", "$650 million",
"between 6,000 and 11,000", "200-300", "hundreds of thousands".

Pure functions over strings, so the hard cases are tested without a language model.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from briefings.extract.rules import CURRENCIES, NUMBER_WORDS, QUALIFIERS, SCALES, VAGUE_WORDS

_TOKEN = re.compile(r"us\$|[$€£]|\d[\d,]*(?:\.\d+)?|[a-z]+(?:[-'][a-z]+)*|[-–—]")
_DIGITS = re.compile(r"\d[\d,]*(?:\.\d+)?$")
_GROUPED = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
_RANGE_WORDS = {"to", "-", "–", "—", "and", "or"}


@dataclass(frozen=True, slots=True)
class Amount:
    """A parsed amount; `value` is None for vague amounts ("dozens"), the low end for ranges."""

    value: float | None
    low: float | None = None
    high: float | None = None
    approx: str = "exact"
    currency: str | None = None
    words: str = ""


def qualifier(text: str) -> tuple[str, str]:
    """Split a leading qualifier off: ("at least 43") -> ("at least", "43")."""
    lowered = " ".join(text.lower().split())
    for written, normal in QUALIFIERS:
        if lowered == written or lowered.startswith(written + " "):
            return normal, lowered[len(written) :].strip()
    return "exact", lowered


def parse_number(words: list[str]) -> float | None:
    """A single number from its words: ["4.5", "million"] -> 4500000, ["three"] -> 3."""
    if not words:
        return None
    total = 0.0
    current: float | None = None
    for word in words:
        word = word.lower()
        if _DIGITS.match(word):
            if current is not None:
                return None
            if "," in word and not _GROUPED.match(word):
                return None
            current = float(word.replace(",", ""))
        elif word in NUMBER_WORDS:
            small = NUMBER_WORDS[word]
            if current is not None and current % 100 >= 20 and small < 10:
                current += small  # "twenty five"
            elif current is not None and word not in ("a", "an"):
                return None
            else:
                current = float(small) if current is None else current
        elif "-" in word and all(part in NUMBER_WORDS for part in word.split("-")):
            current = float(sum(NUMBER_WORDS[part] for part in word.split("-")))
        elif word in SCALES:
            scale = SCALES[word]
            current = (current if current is not None else 1.0) * scale
            if scale >= 1000:
                total += current
                current = None
        elif word in ("and", "a"):
            continue
        else:
            return None
    value = total + (current or 0.0)
    return value if (total or current is not None) else None


def _vague(words: list[str]) -> bool:
    return (
        bool(words)
        and words[0] in VAGUE_WORDS
        and all(w in VAGUE_WORDS or w in ("of", "more") for w in words)
    )


def _split_range(words: list[str]) -> tuple[list[str], list[str]] | None:
    if words and words[0] in ("between", "from"):
        words = words[1:]
    for i, word in enumerate(words):
        if word in _RANGE_WORDS and 0 < i < len(words) - 1:
            return words[:i], words[i + 1 :]
    return None


def _scale_of(words: list[str]) -> float:
    return next((SCALES[w] for w in reversed(words) if w in SCALES and SCALES[w] >= 1000), 1.0)


_HYPHENATED_SCALE = re.compile(r"(\d)-(?=(?:thousand|million|billion|trillion)\b)", re.I)


def parse_amount(text: str) -> Amount | None:
    """Parse one written amount; None when the text holds no amount."""
    approx, rest = qualifier(_HYPHENATED_SCALE.sub(r"\1 ", text))
    words = _TOKEN.findall(rest)
    currency = None
    if words and words[0] in CURRENCIES:
        currency = CURRENCIES[words.pop(0)]
    if words and words[-1] in CURRENCIES:
        currency = CURRENCIES[words.pop()]
    if not words:
        return None
    if _vague(words):
        return Amount(None, approx=approx, currency=currency, words=text.strip())
    parts = _split_range(words)
    if parts:
        low_words, high_words = parts
        if low_words and low_words[0] in CURRENCIES:
            currency = CURRENCIES[low_words.pop(0)]
        if high_words and high_words[0] in CURRENCIES:
            high_words.pop(0)
        low, high = parse_number(low_words), parse_number(high_words)
        if low is not None and high is not None:
            if not any(w in SCALES for w in low_words):
                low *= _scale_of(high_words)  # "2-3 million": the scale belongs to both
            if low < high:
                label = approx if approx != "exact" else "between"
                return Amount(low, low, high, label, currency, text.strip())
    if words[0] in ("between", "from"):
        return None
    value = parse_number(words)
    if value is None:
        return None
    return Amount(value, approx=approx, currency=currency, words=text.strip())
