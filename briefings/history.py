"""Figures over time: the one rule for which figures form a series and what each one updates.

A *series* is one claimant family's count of one quantity: the same kind, of the same side
(`whose`: Russian soldiers, Palestinians), in the same place, by the same claimant family. A
claimant family is the claimant's name folded through the topic aliases, with a place's own local
authority counted once however an article names it ("the city council" and "Mariupol city
council" reporting on Mariupol). The key is computed when a figure is stored (`series_key`), so
the briefing, `latest`, `figures` and alerts read the same series. Figures of one quantity by
different claimants (Russia's and Ukraine's counts of Russian losses) share a `compare_key`: they
are shown side by side, never as changes of one another.

Inside a series, tallies of the dead, the displaced or aid only grow: a figure continues the chain
whose latest figure is the highest not above it ("2,187; was 1,582"), a repeat of the same amount is
the same claim, and a smaller figure is another quantity (one strike inside a city's toll) that
starts a chain of its own rather than reading as a fall. A restated past count ("up from
1,582") fills the history before its story's own figure. Two kinds of figures never link: those
nobody claims (unknown claimants are not one claimant) and one incident's toll (a strike on one
base is not the next day's strikes across the country), which is a series of its own.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

from briefings.models import Figure
from briefings.topics import Topics, fold

__all__ = [
    "KIND_ORDER", "SERIES_RULE", "chains", "claim_key", "claimant_family", "compare_key",
    "compared", "exact_over", "kind_rank", "linked", "previous_of", "series_key",
]

SERIES_RULE = "4"  # bumped whenever series_key changes: stored keys are then recomputed

# Kinds people look for first; the rest follow alphabetically.
KIND_ORDER = ("killed", "wounded", "troops_killed", "displaced", "fled", "evacuated", "trapped",
              "sheltering", "distance", "aid")

# A place's own local authority, however an article names it: "Mariupol", "the city council",
# "Mariupol city council" reporting on Mariupol are one claimant.
LOCAL_AUTHORITY = ("city council", "town council", "city hall", "city administration",
                   "municipal authorities", "local authorities", "municipality", "council",
                   "mayor s office", "authorities")
_UNCLAIMED = "unattributed"
_INCIDENT = "incident"


def kind_rank(kind: str) -> tuple[int, str]:
    """Where a kind of figure comes in a list: casualties first, the rest alphabetically."""
    return (KIND_ORDER.index(kind) if kind in KIND_ORDER else len(KIND_ORDER), kind)


def claimant_family(topics: Topics, claimant: str | None, where: str | None = None) -> str:
    """The claimant as one key for every way articles name it ("" when nobody claims it)."""
    if not claimant:
        return ""
    key = fold(claimant).removeprefix("the ")
    aliases = _alias_index(topics)
    key = aliases.get(key, key)
    if where:
        place = fold(topics.canonical(where))
        rest = key
        for words in LOCAL_AUTHORITY:
            if rest.endswith(words):
                rest = rest[: -len(words)].strip()
                break
        if rest in ("", place) or aliases.get(rest) == place:
            return f"{place} local authority"
    return key


def compare_key(topics: Topics, figure: Figure, side: str | None = None) -> str:
    """`kind|whose|where`: the quantity counted, whoever claims it. `side` is the party the
    counted people belong to when the conflicts file names it ("Russian", "Moscow's" soldiers
    are Russia's), else `whose` as the article says it."""
    where = fold(topics.canonical(figure.where)) if figure.where else ""
    return f"{figure.kind}|{fold(side or figure.whose or '')}|{where}"


def series_key(topics: Topics, figure: Figure, side: str | None = None) -> str:
    """`kind|whose|where|claimant family`, and `|incident` for one incident's toll."""
    family = claimant_family(topics, figure.claimant, figure.where) or _UNCLAIMED
    incident = f"|{_INCIDENT}" if figure.scope == _INCIDENT else ""
    return f"{compare_key(topics, figure, side)}|{family}{incident}"


def compared(series: str) -> str:
    """The compare key a series key starts with."""
    return "|".join(series.split("|")[:3])


def linked(series: str) -> bool:
    """Whether figures of this series may be read as updates of one another."""
    parts = series.split("|")
    return parts[3:4] != [_UNCLAIMED] and parts[-1] != _INCIDENT


def claim_key(series: str, figure: Figure) -> tuple:
    """One claim however many articles repeat it: its series and its amount."""
    return (series, figure.value, figure.low, figure.high)


def exact_over(shown: Figure, figure: Figure) -> bool:
    """Whether `figure` stands for `shown`, the figure one story already gave of the same series:
    its exact count over a rounding ("2,187" over "nearly 2,200"); otherwise the first stays."""
    return figure.approx == "exact" and shown.approx != "exact"


def chains(figures: Sequence[Figure]) -> list[list[int]]:
    """Split one series' figures (oldest first) into running tallies of indexes, oldest first.

    A later figure of the same amount replaces the chain's latest (the same claim reported
    again); each other figure continues the chain whose latest amount is the highest not above
    its own, or starts a new chain.
    """
    result: list[list[int]] = []
    for index, figure in enumerate(figures):
        same = next((c for c in result if _same_amount(figures[c[-1]], figure)), None)
        if same is not None:
            same[-1] = index
            continue
        amount = _amount(figure)
        fits = [c for c in result if amount is not None
                and _amount(figures[c[-1]]) is not None and _amount(figures[c[-1]]) <= amount]
        if fits:
            max(fits, key=lambda c: _amount(figures[c[-1]]) or 0).append(index)
        else:
            result.append([index])
    return result


def previous_of(figure: Figure, earlier: Sequence[Figure]) -> Figure | None:
    """The earlier figure of its series (oldest first) that `figure` updates, or None."""
    figures = [*earlier, figure]
    for chain in chains(figures):
        if chain[-1] == len(earlier):
            return figures[chain[-2]] if len(chain) > 1 else None
    return None


def _amount(figure: Figure) -> float | None:
    return figure.value if figure.value is not None else figure.low


def _same_amount(a: Figure, b: Figure) -> bool:
    return (a.value, a.low, a.high) == (b.value, b.low, b.high)


@functools.lru_cache(maxsize=8)
def _alias_index(topics: Topics) -> dict[str, str]:
    """Folded alias → folded display name, so naming a claimant is one lookup, not a scan."""
    return {fold(alias): fold(group[0]) for group in reversed(topics.groups) for alias in group}
