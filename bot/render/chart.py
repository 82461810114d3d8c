"""A chart of key figures as a PNG: matplotlib's Agg canvas, imported only when a chart is drawn.

The data (panels, lines, points, alt text) is decided in `briefings/chart_data.py`; this module
only draws it: one panel per quantity, one above the other on a shared time axis; one line per
claimant coloured by the party it speaks for (claimants of no known party in grey, claimants of
one party told apart by their markers), ranges as bands, every point labelled, dates in the
chart's zone. Claims of one day by several claimants are spread a little apart so none hides
another, and labels that would overlap are moved apart. The alt text travels inside the PNG
too (its `Description` text chunk).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from briefings.chart_data import ChartData, ChartLine, ChartPanel, alt_text, line_name

__all__ = ["RenderedChart", "chart_filename", "render_chart"]

# Colour-blind-safe (Okabe–Ito), given to parties alphabetically; grey is for no known party.
PARTY_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
NO_PARTY = "#7a7a7a"
MARKERS = ("o", "s", "^", "D", "v", "P", "X")
WIDTH_INCHES = 11.0
PANEL_HEIGHT_INCHES = 2.9
DPI = 110
DODGE = 0.012  # of the time axis: how far apart one day's claims by different claimants sit
LABEL_GAP = 0.075  # of the value axis: the least distance between two labels one above the other


@dataclass(frozen=True, slots=True)
class RenderedChart:
    png: bytes
    alt: str
    filename: str


def chart_filename(topic: str, suffix: str = ".png") -> str:
    """'mariupol.png' for Mariupol: letters, digits and dashes only."""
    slug = "".join(c if c.isalnum() else "-" for c in topic.casefold())
    return ("-".join(filter(None, slug.split("-"))) or "figures")[:60] + suffix


def render_chart(chart: ChartData) -> RenderedChart:
    """Draw `chart` (not empty) as a PNG with its alt text."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    rows = len(chart.panels)
    figure = Figure(figsize=(WIDTH_INCHES, PANEL_HEIGHT_INCHES * rows + 0.8), dpi=DPI,
                    layout="constrained")
    FigureCanvasAgg(figure)
    figure.suptitle(f"Key figures: {chart.topic}", fontsize=15, fontweight="bold", x=0.02,
                    ha="left")
    axes = figure.subplots(rows, 1, squeeze=False, sharex=True).ravel()
    colours = {party: PARTY_COLOURS[i % len(PARTY_COLOURS)]
               for i, party in enumerate(chart.parties)}
    start, end = _time_range(chart)
    for ax, panel in zip(axes, chart.panels, strict=True):
        _draw_panel(ax, panel, colours, start, end)
    _date_axis(axes, chart, start, end)
    alt = alt_text(chart)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Title": f"Key figures: {chart.topic}",
                                                   "Description": alt, "Software": "Sitrep"})
    return RenderedChart(buffer.getvalue(), alt, chart_filename(chart.topic))


def _time_range(chart: ChartData) -> tuple[float, float]:
    """The time axis as matplotlib date numbers (days), padded on both sides."""
    import matplotlib.dates as mdates

    whens = [p.when for panel in chart.panels for line in panel.lines for p in line.points]
    first, last = mdates.date2num(min(whens)), mdates.date2num(max(whens))
    pad = max(last - first, 2.0) * 0.1
    return first - pad, last + pad


def _draw_panel(ax, panel: ChartPanel, colours: dict[str, str], start: float,
                end: float) -> None:
    shifts = _dodges(panel, (end - start) * DODGE)
    used: dict[str, int] = {}
    labels: list[tuple[float, float, str, str]] = []
    for index, line in enumerate(panel.lines):
        colour = colours.get(line.party or "", NO_PARTY)
        marker = MARKERS[used.get(colour, 0) % len(MARKERS)]
        used[colour] = used.get(colour, 0) + 1
        xs = [_x(p.when) + shifts.get((index, i), 0.0) for i, p in enumerate(line.points)]
        _draw_line(ax, line, xs, colour, marker)
        labels += [(x, p.value, p.label + (" (earlier count)" if p.restated else ""), colour)
                   for x, p in zip(xs, line.points, strict=True)]
    top = _top(panel)
    ax.set_ylim(bottom=0, top=top)
    _place_labels(ax, labels, (end - start) * 0.05, top * LABEL_GAP)
    ax.set_title(panel.title, loc="left", fontsize=12, fontweight="bold")
    ax.yaxis.set_major_formatter(_count_formatter())
    ax.grid(axis="y", color="#e4e4e4", linewidth=0.8)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=9, frameon=False,
              borderaxespad=0.0)


def _x(when: datetime) -> float:
    import matplotlib.dates as mdates

    return float(mdates.date2num(when))


def _dodges(panel: ChartPanel, step: float) -> dict[tuple[int, int], float]:
    """(line, point) -> shift in days, for points of different lines on one day."""
    by_day: dict[str, list[tuple[int, int]]] = {}
    for index, line in enumerate(panel.lines):
        for i, point in enumerate(line.points):
            by_day.setdefault(point.when.strftime("%Y-%m-%d"), []).append((index, i))
    shifts = {}
    for members in by_day.values():
        lines = sorted({index for index, _ in members})
        if len(lines) < 2:
            continue
        for index, i in members:
            shifts[(index, i)] = (lines.index(index) - (len(lines) - 1) / 2) * step
    return shifts


def _draw_line(ax, line: ChartLine, xs: list[float], colour: str, marker: str) -> None:
    values = [p.value for p in line.points]
    style = "-" if line.joined else "none"
    ax.plot(xs, values, linestyle=style, marker=marker, color=colour, linewidth=2,
            markersize=7, label=line_name(line), zorder=2)
    # the markers again, above the labels (which sit above the lines, on a white ground)
    ax.plot(xs, values, linestyle="none", marker=marker, color=colour, markersize=7, zorder=4)
    ranged = [(x, p) for x, p in zip(xs, line.points, strict=True)
              if p.low is not None and p.high is not None]
    if line.joined and len(ranged) > 1:
        lows = [p.low if p.low is not None else p.value for p in line.points]
        highs = [p.high if p.high is not None else p.value for p in line.points]
        ax.fill_between(xs, lows, highs, color=colour, alpha=0.15, linewidth=0)
    for x, point in ranged:  # each range as a bar too: a band needs two dates to show
        ax.vlines(x, point.low, point.high, color=colour, alpha=0.3, linewidth=8, zorder=1.5)
    for x, point in zip(xs, line.points, strict=True):
        if point.restated:  # a past count restated by a later article: hollow
            ax.plot([x], [point.value], marker=marker, markersize=7, color="white",
                    markeredgecolor=colour, markeredgewidth=1.5, zorder=4.5)


def _place_labels(ax, labels: list[tuple[float, float, str, str]], near: float,
                  gap: float) -> None:
    """Each label right of its point; labels of nearby points stacked at least `gap` apart."""
    bottom, top = ax.get_ylim()
    height = ax.get_window_extent().height * 72 / ax.figure.dpi  # in points
    placed: list[tuple[float, float]] = []
    for x, y, text, colour in sorted(labels, key=lambda item: (item[1], item[0])):
        at = y
        for other_x, other_y in placed:
            if abs(other_x - x) < near and at - other_y < gap:
                at = other_y + gap
        placed.append((x, at))
        rise = (at - y) / (top - bottom) * height
        ax.annotate(text, (x, y), xytext=(8, rise), textcoords="offset points", fontsize=8.5,
                    color=colour, zorder=3, va="center", ha="left",
                    bbox={"boxstyle": "square,pad=0.1", "facecolor": "white", "alpha": 0.75,
                          "linewidth": 0})


def _top(panel: ChartPanel) -> float:
    highest = max(max(p.high or p.value, p.value) for line in panel.lines for p in line.points)
    return highest * 1.3 if highest > 0 else 1.0


def _count_formatter():
    from matplotlib.ticker import FuncFormatter

    def count(value: float, _position: int) -> str:
        if value >= 1_000_000:
            return f"{value / 1_000_000:g}M"
        return f"{value:,.0f}"

    return FuncFormatter(count)


def _date_axis(axes, chart: ChartData, start: float, end: float) -> None:
    import matplotlib.dates as mdates

    zone = ZoneInfo(chart.tz)
    days = end - start
    if days < 8:
        locator = mdates.DayLocator(tz=zone)
    else:
        locator = mdates.AutoDateLocator(tz=zone, minticks=3, maxticks=9)
    formatter = mdates.DateFormatter("%-d %b" if days < 300 else "%b %Y", tz=zone)
    years = sorted({mdates.num2date(start, tz=zone).year, mdates.num2date(end, tz=zone).year})
    for ax in axes:
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(formatter)
        ax.set_xlim(start, end)
    axes[-1].set_xlabel(f"published in {'–'.join(map(str, years))}; dates in {chart.tz}",
                        fontsize=9)
