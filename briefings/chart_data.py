"""What a chart of key figures shows, decided without drawing anything (no matplotlib here).

A chart has one panel per quantity: one kind of figure, of one side, in one place
(`briefings.history.compare_key`). Each panel has one line per claimant series, oldest point
first, so one side's claims sit beside the other's; the renderer (`bot/render/chart.py`)
colours each line by the party its claimant speaks for, draws ranges as bands and labels every
point. A running tally is a line; one incident's toll and a figure nobody claims are claims of
their own (briefings.history never links them), drawn as separate points and said so.
Quantities with something to compare (a change over time, or rival claimants) are drawn first;
a quantity with one figure only is drawn when no quantity has more.

The same data gives the chart's alt text, which states every figure drawn.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from briefings.history import compared, kind_rank, linked
from briefings.models import Figure

__all__ = [
    "ALT_TEXT_LIMIT", "MAX_PANELS", "ChartData", "ChartLine", "ChartPanel", "ChartPoint",
    "ClaimSeries", "alt_text", "amount_label", "build_chart", "chart_from_history",
    "kind_title", "line_name",
]

MAX_PANELS = 4  # more panels than this are unreadable in a Slack preview
ALT_TEXT_LIMIT = 1000  # Slack refuses longer alt text (alt_txt_too_large)
UNCLAIMED = "no source given"
KIND_TITLES = {"troops_killed": "Troops killed", "troops_wounded": "Troops wounded",
               "aid": "Aid", "distance": "Distance"}
_APPROX_MARKS = {
    "at least": "≥", "more than": ">", "over": ">", "nearly": "~", "almost": "~",
    "about": "~", "around": "~", "some": "~", "roughly": "~", "approximately": "~",
    "up to": "≤", "at most": "≤", "fewer than": "<", "less than": "<", "under": "<",
}


@dataclass(frozen=True, slots=True)
class ChartPoint:
    when: datetime  # the story's date, in the chart's zone
    value: float  # where the point is drawn: the amount, or the middle of a range
    low: float | None = None  # a range's ends, drawn as a band
    high: float | None = None
    label: str = ""  # "2,187", "≥1,582", "7,000–15,000", "~4.2M"
    restated: bool = False  # a past count an article restates ("up from 1,582")


@dataclass(frozen=True, slots=True)
class ChartLine:
    claimant: str  # as the newest article names it; UNCLAIMED when nobody claims it
    party: str | None  # the side the claimant speaks for (config/conflicts.toml), if known
    points: tuple[ChartPoint, ...]  # oldest first
    joined: bool = True  # False: separate claims (nobody's, or one incident each), not a line
    incident: bool = False  # one incident's toll each, not a running tally


@dataclass(frozen=True, slots=True)
class ChartPanel:
    title: str  # "Killed · Mariupol", "Troops killed (Russian)"
    kind: str
    quantity: str  # the compare key the panel's lines share
    lines: tuple[ChartLine, ...]

    @property
    def points(self) -> int:
        return sum(len(line.points) for line in self.lines)


@dataclass(frozen=True, slots=True)
class ChartData:
    topic: str
    tz: str
    panels: tuple[ChartPanel, ...] = ()
    omitted: int = 0  # quantities with figures that did not fit

    @property
    def empty(self) -> bool:
        return not self.panels

    @property
    def parties(self) -> tuple[str, ...]:
        """Every party on the chart, in the order colours are given (alphabetical)."""
        return tuple(sorted({line.party for panel in self.panels for line in panel.lines
                             if line.party}))


@dataclass(frozen=True, slots=True)
class ClaimSeries:
    """One claimant's figures of one series, each with the date its story was published."""

    claimant: str | None
    party: str | None
    claims: tuple[tuple[Figure, datetime], ...]  # any order


def chart_from_history(history, tz: str) -> ChartData:
    """The chart of a `briefings.queries.FigureHistory` (what `/conflict figures` shows)."""
    series = [
        ClaimSeries(one.claimant, one.party,
                    tuple((claim.figure, claim.story.published) for claim in one.claims))
        for group in history.groups for one in group.series
    ]
    return build_chart(history.topic, series, tz)


def build_chart(topic: str, series: Iterable[ClaimSeries], tz: str,
                max_panels: int = MAX_PANELS) -> ChartData:
    """Panels of the quantities with the most to show, casualties before other kinds, at most
    `max_panels`: those with more than one figure (a change over time, or rival claimants);
    quantities with one figure only when no quantity has more."""
    zone = ZoneInfo(tz)
    panels: dict[str, list[tuple[ClaimSeries, ChartLine]]] = {}
    for one in series:
        line = _line(one, zone)
        if line is not None:
            panels.setdefault(compared(one.claims[0][0].series or ""), []).append((one, line))
    built = [_panel(quantity, members) for quantity, members in panels.items()]
    comparing = [panel for panel in built if panel.points > 1]
    chosen = sorted(comparing or built, key=_interest)[:max_panels]
    chosen.sort(key=lambda p: (kind_rank(p.kind), -p.points, p.title))
    return ChartData(topic, tz, tuple(chosen), omitted=len(built) - len(chosen))


def _interest(panel: ChartPanel) -> tuple:
    return (kind_rank(panel.kind), -len(panel.lines), -panel.points, panel.title)


def _line(one: ClaimSeries, zone: ZoneInfo) -> ChartLine | None:
    points = []
    for figure, published in one.claims:
        point = _point(figure, published.astimezone(zone))
        if point is not None:
            points.append(point)
    if not points:
        return None  # vague amounts only ("dozens"): nothing to draw
    points.sort(key=lambda p: (p.when, not p.restated, p.value))
    series = one.claims[0][0].series or ""
    return ChartLine(one.claimant or UNCLAIMED, one.party, tuple(points),
                     joined=bool(series) and linked(series),
                     incident=series.endswith("|incident"))


def _point(figure: Figure, when: datetime) -> ChartPoint | None:
    if figure.low is not None and figure.high is not None and figure.high > figure.low:
        return ChartPoint(when, (figure.low + figure.high) / 2, figure.low, figure.high,
                          amount_label(figure), figure.earlier)
    amount = figure.value if figure.value is not None else figure.low
    if amount is None:
        return None
    return ChartPoint(when, amount, label=amount_label(figure), restated=figure.earlier)


def _panel(quantity: str, members: Sequence[tuple[ClaimSeries, ChartLine]]) -> ChartPanel:
    newest = max((claim for one, _ in members for claim in one.claims), key=lambda c: c[1])[0]
    title = kind_title(newest.kind) + (f" ({newest.whose})" if newest.whose else "")
    if newest.where:
        title += f" · {newest.where}"
    lines = _merged([line for _, line in members])
    lines.sort(key=lambda line: (not line.joined, line.party is None, line.party or "",
                                 -line.points[-1].value, line.claimant))
    return ChartPanel(title, newest.kind, quantity, tuple(lines))


def _merged(lines: list[ChartLine]) -> list[ChartLine]:
    """Separate claims by one claimant (single incidents, or nobody's) as one set of points."""
    joined = [line for line in lines if line.joined]
    loose: dict[tuple[str, str | None, bool], list[ChartPoint]] = {}
    for line in lines:
        if not line.joined:
            loose.setdefault((line.claimant, line.party, line.incident), []).extend(line.points)
    for (claimant, party, incident), points in loose.items():
        points.sort(key=lambda p: (p.when, p.value))
        joined.append(ChartLine(claimant, party, tuple(points), joined=False,
                                incident=incident))
    return joined


def kind_title(kind: str) -> str:
    """'Troops killed' for troops_killed, 'Fled' for fled."""
    return KIND_TITLES.get(kind) or (kind or "other").replace("_", " ").capitalize()


def amount_label(figure: Figure) -> str:
    """The figure as a point's label: '2,187', '≥1,582', '7,000–15,000', '~4.2M'."""
    if figure.low is not None and figure.high is not None and figure.high > figure.low:
        return f"{_number(figure.low)}–{_number(figure.high)}"
    amount = figure.value if figure.value is not None else figure.low
    if amount is None:
        return figure.words or "?"
    return _APPROX_MARKS.get((figure.approx or "").casefold(), "") + _number(amount)


def _number(amount: float) -> str:
    if amount >= 1_000_000:
        return f"{amount / 1_000_000:.1f}".removesuffix(".0") + "M"
    if amount == int(amount):
        return f"{int(amount):,}"
    return f"{amount:,.1f}"


def alt_text(chart: ChartData, limit: int = ALT_TEXT_LIMIT) -> str:
    """What the chart shows, in words: every figure drawn, with its claimant and date."""
    parts = [f"Chart of key figures on {chart.topic} over time (dates in {chart.tz})."]
    for panel in chart.panels:
        claims = "; ".join(_line_words(line) for line in panel.lines)
        parts.append(f"{panel.title}: {claims}.")
    if chart.omitted:
        parts.append(f"{chart.omitted} more {_plural(chart.omitted, 'quantity', 'quantities')} "
                     "not drawn.")
    if chart.empty:
        parts.append("No figure with an amount to draw.")
    text = " ".join(parts)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def line_name(line: ChartLine) -> str:
    """The line as its legend names it: 'Mariupol city council (Ukraine)', 'Local officials,
    single incident'."""
    name = f"{line.claimant} ({line.party})" if line.party else line.claimant
    if line.incident:
        return name + (", single incident" if len(line.points) == 1 else ", single incidents")
    return name


def _line_words(line: ChartLine) -> str:
    who = line_name(line)
    said = []
    for point in line.points:
        day = f"{point.when.day} {point.when:%b}"
        said.append(f"{point.label} (earlier count, restated {day})" if point.restated
                    else f"{point.label} on {day}")
    return f"{who} {', '.join(said)}"


def _plural(count: int, one: str, many: str) -> str:
    return one if count == 1 else many
