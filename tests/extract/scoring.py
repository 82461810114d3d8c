"""Scoring of extractions against the corpus gold files, by the rules of the corpus README."""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from pathlib import Path

from briefings.models import Extraction
from briefings.topics import fold

GOLD = Path(__file__).resolve().parents[1] / "fixtures" / "gold"
_MARKS = str.maketrans({"“": '"', "”": '"', "’": "'", "‘": "'", "\u00a0": " "})


def gold_files() -> list[Path]:
    return sorted(GOLD.glob("*.json"))


def load_gold(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def alias_match(aliases: list[str] | None, extracted: str | None) -> bool:
    """One alias occurs, ignoring case and punctuation, inside the extracted string."""
    if aliases is None:
        return extracted is None
    if not extracted:
        return False
    haystack = f" {fold(extracted)} "
    return any(f" {fold(alias)} " in haystack for alias in aliases)


def _plain(text: str) -> str:
    return " ".join(html.unescape(text).translate(_MARKS).split())


def _same(a: float | None, b: float) -> bool:
    return a is not None and abs(a - b) <= 1e-6 * max(1.0, abs(b))


@dataclass
class Score:
    article: str
    figures: int = 0
    figures_right: int = 0
    figures_wrong_claimant: list[str] = field(default_factory=list)
    figures_missed: list[str] = field(default_factory=list)
    places_right: int = 0
    places_wrong: list[str] = field(default_factory=list)
    places_missing: list[str] = field(default_factory=list)
    attributes: int = 0  # whose / scope / earlier given in gold, on matched figures
    attributes_right: int = 0
    attributes_wrong: list[str] = field(default_factory=list)
    quotes: int = 0
    quotes_right: int = 0
    misattributed: list[str] = field(default_factory=list)
    quotes_unattributed: list[str] = field(default_factory=list)
    quotes_missed: list[str] = field(default_factory=list)
    negatives: list[str] = field(default_factory=list)
    extracted_figures: int = 0

    def row(self) -> str:
        return (
            f"{self.article:<40} figures {self.figures_right:>3}/{self.figures:<3}"
            f" where {self.places_right:>3}/{self.figures_right:<3}"
            f" wrong {len(self.places_wrong):>2} missing {len(self.places_missing):>2}"
            f" attrs {self.attributes_right:>3}/{self.attributes:<3}"
            f" quotes {self.quotes_right:>3}/{self.quotes:<3}"
            f" misattributed {len(self.misattributed)}"
            f" unattributed {len(self.quotes_unattributed)} missed {len(self.quotes_missed)}"
            f" negatives {len(self.negatives)}"
        )

    def add(self, other: Score) -> None:
        for name in self.__dataclass_fields__:
            if name == "article":
                continue
            setattr(self, name, getattr(self, name) + getattr(other, name))


def _match_figures(gold: list[dict], found: list) -> list[int | None]:
    """Maximum one-to-one matching of gold figures to extracted ones (value and claimant)."""
    edges = [
        [
            j
            for j, f in enumerate(found)
            if _same(f.value, g["value"]) and alias_match(g["claimant"], f.claimant)
        ]
        for g in gold
    ]
    owner: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:
        for j in edges[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in owner or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    for i in range(len(gold)):
        augment(i, set())
    matched: list[int | None] = [None] * len(gold)
    for j, i in owner.items():
        matched[i] = j
    return matched


def _score_attributes(result: Score, g: dict, figure) -> None:
    label = f"{g['value']:g} {g['what']}"
    if "whose" in g:
        result.attributes += 1
        if alias_match(g["whose"], figure.whose):
            result.attributes_right += 1
        else:
            result.attributes_wrong.append(f"{label}: whose {figure.whose!r} (gold {g['whose']})")
    for name in ("scope", "earlier"):
        if name not in g:
            continue
        result.attributes += 1
        wanted = g[name] if name == "scope" else bool(g[name])
        if getattr(figure, name) == wanted:
            result.attributes_right += 1
        else:
            result.attributes_wrong.append(
                f"{label}: {name} {getattr(figure, name)!r} (gold {wanted!r})"
            )


def score(gold: dict, extraction: Extraction) -> Score:
    result = Score(Path(gold["article"]).stem)
    figures = list(extraction.figures)
    result.extracted_figures = len(figures)
    _score_figures(result, gold, figures)
    _score_quotes(result, gold, extraction)
    _score_negatives(result, gold, figures, extraction)
    return result


def _score_figures(result: Score, gold: dict, figures: list) -> None:
    """Each gold figure: matched (then its place and attributes are scored), found with
    another claimant, or missed."""
    result.figures = len(gold["figures"])
    for g, j in zip(gold["figures"], _match_figures(gold["figures"], figures), strict=True):
        if j is not None:
            result.figures_right += 1
            _score_place(result, g, figures[j])
            _score_attributes(result, g, figures[j])
            continue
        same = [f for f in figures if _same(f.value, g["value"])]
        label = f"{g['value']:g} {g['what']} (claimant {g['claimant']})"
        if same:
            claimants = sorted({str(f.claimant) for f in same})
            result.figures_wrong_claimant.append(f"{label}: got {claimants}")
        else:
            result.figures_missed.append(label)


def _score_place(result: Score, g: dict, found) -> None:
    """The `where` of a matched figure: right, missing or wrong."""
    where = f"{g['value']:g} {g['what']}: got {found.where!r} (gold {g['where']})"
    if alias_match(g["where"], found.where):
        result.places_right += 1
    elif found.where is None:
        result.places_missing.append(where)
    else:
        result.places_wrong.append(where)


def _score_quotes(result: Score, gold: dict, extraction: Extraction) -> None:
    """Each gold quote: in the right mouth, in a wrong one, unattributed, or not found."""
    result.quotes = len(gold["quotes"])
    for g in gold["quotes"]:
        has = _plain(g["has"])
        candidates = [q for q in extraction.quotes if has in _plain(q.text)]
        if any(alias_match(g["speaker"], q.speaker) for q in candidates):
            result.quotes_right += 1
        elif any(q.speaker for q in candidates):
            wrong = sorted({q.speaker for q in candidates if q.speaker})
            result.misattributed.append(f"{g['has']!r}: {wrong} (gold {g['speaker']})")
        elif candidates:
            result.quotes_unattributed.append(f"{g['has']!r}: no speaker (gold {g['speaker']})")
        else:
            result.quotes_missed.append(f"{g['has']!r}: not found")


def _score_negatives(result: Score, gold: dict, figures: list, extraction: Extraction) -> None:
    """Figures and quotes the gold says must not be extracted."""
    for number in gold["negative_figures"]:
        for f in figures:
            if _same(f.value, number):
                result.negatives.append(f"figure {number:g} in {f.sentence[:80]!r}")
    for text in gold["negative_quotes"]:
        for q in extraction.quotes:
            if _plain(q.text).strip(" .,") == _plain(text):
                result.negatives.append(f"quote {text!r}")


def total(scores: list[Score]) -> Score:
    result = Score("TOTAL")
    for s in scores:
        result.add(s)
    return result


def table(scores: list[Score]) -> str:
    lines = [s.row() for s in scores]
    whole = total(scores)
    lines.append(whole.row())
    for s in scores:
        for label, items in (
            ("figure, wrong claimant", s.figures_wrong_claimant),
            ("figure, missed", s.figures_missed),
            ("figure, where WRONG", s.places_wrong),
            ("figure, where missing", s.places_missing),
            ("figure, attribute", s.attributes_wrong),
            ("quote, MISATTRIBUTED", s.misattributed),
            ("quote, unattributed", s.quotes_unattributed),
            ("quote, missed", s.quotes_missed),
            ("NEGATIVE extracted", s.negatives),
        ):
            lines.extend(f"  {s.article}: {label}: {item}" for item in items)
    return "\n".join(lines)
