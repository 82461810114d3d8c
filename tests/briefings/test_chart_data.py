"""What a chart shows, from tables of claims: panels, lines per claimant, points, ranges, labels,
and the alt text that states every figure (briefings/chart_data.py; nothing is drawn here)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from briefings.chart_data import (
    ALT_TEXT_LIMIT,
    UNCLAIMED,
    ClaimSeries,
    alt_text,
    amount_label,
    build_chart,
    chart_from_history,
)
from briefings.models import Figure
from briefings.queries import FigureClaim, FigureGroup, FigureHistory, FigureSeries
from briefings.store import StoryRef


def fig(value=None, *, kind="killed", where="Mariupol", whose=None, claimant=None,
        low=None, high=None, approx="exact", scope=None, earlier=False, series=None) -> Figure:
    family = (claimant or "unattributed").casefold()
    key = series or (f"{kind}|{(whose or '').casefold()}|{(where or '').casefold()}|{family}"
                     + ("|incident" if scope == "incident" else ""))
    return Figure(value=value, low=low, high=high, approx=approx, what=f"people {kind}",
                  kind=kind, where=where, claimant=claimant, sentence="", whose=whose,
                  scope=scope, earlier=earlier, series=key)


def day(n: int, hour: int = 12) -> datetime:
    return datetime(2024, 3, n, hour, tzinfo=UTC)


def series(claimant, party, *claims) -> ClaimSeries:
    return ClaimSeries(claimant, party, tuple(claims))


COUNCIL = "Mariupol city council"


def test_one_line_per_claimant_oldest_point_first_with_its_party():
    chart = build_chart("Mariupol", [
        series(COUNCIL, "Ukraine",
               (fig(2187, claimant=COUNCIL), day(13)), (fig(1582, claimant=COUNCIL), day(11))),
        series("Denis Pushilin", "Russia", (fig(900, claimant="Denis Pushilin"), day(12))),
    ], "UTC")
    assert [p.title for p in chart.panels] == ["Killed · Mariupol"]
    lines = chart.panels[0].lines
    assert [(line.claimant, line.party, line.joined) for line in lines] == [
        ("Denis Pushilin", "Russia", True), (COUNCIL, "Ukraine", True)]
    assert [(p.when.day, p.value, p.label) for p in lines[1].points] == [
        (11, 1582, "1,582"), (13, 2187, "2,187")]
    assert chart.parties == ("Russia", "Ukraine")


@pytest.mark.parametrize(
    ("figure", "value", "low", "high", "label"),
    [
        (fig(2187), 2187, None, None, "2,187"),
        (fig(1582, approx="at least"), 1582, None, None, "≥1,582"),
        (fig(7000, low=7000, high=15000, approx="between"), 11000, 7000, 15000, "7,000–15,000"),
        (fig(None, low=30000, high=40000, approx="between"), 35000, 30000, 40000,
         "30,000–40,000"),
        (fig(4_200_000, approx="more than"), 4_200_000, None, None, ">4.2M"),
        (fig(5_000_000, approx="about"), 5_000_000, None, None, "~5M"),
        (fig(50, approx="up to"), 50, None, None, "≤50"),
        (fig(12.5), 12.5, None, None, "12.5"),
    ],
)
def test_points_ranges_and_labels(figure, value, low, high, label):
    chart = build_chart("t", [series("UN", None, (figure, day(1)))], "UTC")
    (point,) = chart.panels[0].lines[0].points
    assert (point.value, point.low, point.high, point.label) == (value, low, high, label)
    assert amount_label(figure) == label


def test_vague_amounts_are_not_drawn():
    chart = build_chart("t", [series("UN", None, (fig(None, approx="dozens"), day(1)))], "UTC")
    assert chart.empty and chart.panels == ()
    assert "No figure with an amount to draw." in alt_text(chart)


def test_quantities_are_panels_rival_claims_side_by_side():
    """Kind, side and place make a quantity; claimants of one quantity share its panel."""
    chart = build_chart("Ukraine", [
        series("Russia", "Russia", (fig(1351, kind="troops_killed", whose="Russian",
                                        where=None, claimant="Russia"), day(25))),
        series("Ukraine's general staff", "Ukraine",
               (fig(16000, kind="troops_killed", whose="Russian", where=None,
                    claimant="Ukraine's general staff"), day(25))),
        series("UNHCR", None, (fig(3_000_000, kind="fled", where="Ukraine", claimant="UNHCR"),
                               day(15)),
               (fig(4_000_000, kind="fled", where="Ukraine", claimant="UNHCR"), day(30))),
    ], "UTC")
    assert [(p.title, [line.claimant for line in p.lines]) for p in chart.panels] == [
        ("Troops killed (Russian)", ["Russia", "Ukraine's general staff"]),
        ("Fled · Ukraine", ["UNHCR"]),
    ]


def test_single_incidents_and_unclaimed_figures_are_separate_points_never_a_line():
    chart = build_chart("Mariupol", [
        series(COUNCIL, "Ukraine", (fig(1582, claimant=COUNCIL), day(11)),
               (fig(2187, claimant=COUNCIL), day(13))),
        series("Local officials", None,
               (fig(300, claimant="Local officials", scope="incident"), day(12))),
        series("Local officials", None,
               (fig(80, claimant="Local officials", scope="incident"), day(14))),
        series(None, None, (fig(2000), day(12))),
        series(None, None, (fig(2100), day(14))),
    ], "UTC")
    (panel,) = chart.panels
    drawn = {line.claimant: (line.joined, line.incident, [p.value for p in line.points])
             for line in panel.lines}
    assert drawn == {
        COUNCIL: (True, False, [1582, 2187]),
        "Local officials": (False, True, [300, 80]),
        UNCLAIMED: (False, False, [2000, 2100]),
    }
    assert "Local officials, single incidents 300 on 12 Mar, 80 on 14 Mar" in alt_text(chart)


def test_a_restated_past_count_is_marked_and_said():
    chart = build_chart("Mariupol", [series(COUNCIL, "Ukraine",
                                            (fig(2187, claimant=COUNCIL), day(13)),
                                            (fig(1582, claimant=COUNCIL, earlier=True), day(13)))],
                        "UTC")
    points = chart.panels[0].lines[0].points
    assert [(p.value, p.restated) for p in points] == [(1582, True), (2187, False)]
    assert ("Mariupol city council (Ukraine) 1,582 (earlier count, restated 13 Mar), "
            "2,187 on 13 Mar") in alt_text(chart)


def test_dates_are_in_the_charts_zone():
    late = datetime(2024, 3, 13, 22, 30, tzinfo=UTC)  # already 14 Mar in Kyiv
    chart = build_chart("Kyiv", [series("UN", None, (fig(10, claimant="UN"), late))],
                        "Europe/Kyiv")
    (point,) = chart.panels[0].lines[0].points
    assert (point.when.day, point.when.utcoffset().total_seconds()) == (14, 7200)
    assert "on 14 Mar" in alt_text(chart) and "dates in Europe/Kyiv" in alt_text(chart)


def test_quantities_with_something_to_compare_come_first_and_at_most_four():
    single = [series(f"Claimant {k}", None, (fig(10 + n, kind=k, claimant=f"Claimant {k}"),
                                              day(2)))
              for n, k in enumerate(("wounded", "aid", "displaced", "vehicles", "evacuated"))]
    growing = series("UN", None, (fig(5, kind="distance", claimant="UN"), day(1)),
                     (fig(9, kind="distance", claimant="UN"), day(3)))
    chart = build_chart("t", [*single, growing], "UTC")
    assert [p.kind for p in chart.panels] == ["distance"]  # one figure only: not drawn
    assert chart.omitted == 5
    alone = build_chart("t", single, "UTC")  # when nothing has more, single figures are drawn
    assert [p.kind for p in alone.panels] == ["wounded", "displaced", "evacuated", "aid"]
    assert alone.omitted == 1 and "1 more quantity not drawn." in alt_text(alone)


def test_alt_text_states_every_figure_and_fits_slacks_limit():
    chart = build_chart("Mariupol", [
        series(COUNCIL, "Ukraine", (fig(1582, claimant=COUNCIL), day(11)),
               (fig(2187, claimant=COUNCIL), day(13))),
        series("NATO", None, (fig(7000, low=7000, high=15000, approx="between",
                                  claimant="NATO"), day(13))),
    ], "UTC")
    assert alt_text(chart) == (
        "Chart of key figures on Mariupol over time (dates in UTC). Killed · Mariupol: "
        "Mariupol city council (Ukraine) 1,582 on 11 Mar, 2,187 on 13 Mar; "
        "NATO 7,000–15,000 on 13 Mar.")
    many = build_chart("t", [series(f"Claimant number {n}", None,
                                    (fig(n, claimant=f"Claimant number {n}"), day(1 + n % 20)))
                             for n in range(200)], "UTC")
    text = alt_text(many)
    assert len(text) <= ALT_TEXT_LIMIT and text.endswith("…")


def test_chart_from_a_figure_history():
    story = StoryRef("s1", "src", "Pacific Wire", "Toll rises", None, day(13), "s1",
                     ("russia-ukraine",))
    older = FigureClaim(fig(1582, claimant=COUNCIL), story)
    newer = FigureClaim(fig(2187, claimant=COUNCIL), story, previous=older)
    history = FigureHistory("Mariupol", ("Mariupol",), groups=(FigureGroup("killed", (
        FigureSeries("killed", COUNCIL, (newer, older), "killed||mariupol", "Ukraine"),)),))
    chart = chart_from_history(history, "UTC")
    (line,) = chart.panels[0].lines
    assert (line.claimant, line.party, [p.label for p in line.points]) == (
        COUNCIL, "Ukraine", ["1,582", "2,187"])
