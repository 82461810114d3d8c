"""The export: every promised column, spreadsheet-safe cells, and a CSV that round-trips through
`csv` (briefings/export.py)."""

from __future__ import annotations

import csv
import io
import json

import pytest

from briefings.conflicts import load_conflicts
from briefings.export import COLUMNS, PROMISED, export_rows, neutralise, to_csv, to_json
from briefings.store import Store
from briefings.topics import load_topics
from tests.bot.support import ROOT
from tests.support.claims_db import FORMULAS, write_claims_db

LIVE = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


@pytest.fixture(scope="module")
def rows(tmp_path_factory):
    path = write_claims_db(tmp_path_factory.mktemp("export") / "claims.db")
    store = Store(path, load_topics(ROOT / "config" / "topics.toml"),
                  load_conflicts(ROOT / "config" / "conflicts.toml"))
    yield export_rows(store, store.topics, "Mariupol")
    store.close()


@pytest.mark.parametrize(
    ("cell", "safe"),
    [
        ("=1+2", "'=1+2"),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1+2", "'\t=1+2"),
        ("\r=1+2", "'\r=1+2"),
        ("  =1+2", "'  =1+2"),
        ("＝1+2", "'＝1+2"),
        ("Mariupol city council", "Mariupol city council"),
        ("1,582 killed", "1,582 killed"),
        ("", ""),
        (1582, 1582),
        (-3, -3),  # numbers stay numbers
        (None, None),
    ],
)
def test_neutralise(cell, safe):
    assert neutralise(cell) == safe


def test_rows_have_every_promised_column_in_order(rows):
    assert COLUMNS[:len(PROMISED)] == PROMISED == (
        "value", "low", "high", "approx", "kind", "whose", "what", "where", "scope", "series",
        "claimant", "party", "speaker", "date", "outlet", "link")
    assert rows and all(tuple(row) == COLUMNS for row in rows)
    assert {row["record"] for row in rows} == {"figure", "quote"}


def test_figures_carry_claimant_party_series_and_story(rows):
    council = [row for row in rows if row["claimant"] == "Mariupol city council"]
    assert [row["value"] for row in council] == [1210, 1640, 2050]
    assert {row["party"] for row in council} == {"Ukraine"}
    assert {row["series"] for row in council} == {"killed||mariupol|mariupol local authority"}
    first = council[0]
    assert (first["date"], first["outlet"], first["link"], first["kind"], first["where"]) == (
        "2024-05-06T09:00:00+00:00", "Steppe Wire", "https://steppe-wire.example/0", "killed",
        "Mariupol")
    ranged = next(row for row in rows if row["approx"] == "between")
    assert (ranged["value"], ranged["low"], ranged["high"], ranged["party"]) == (
        1000, 1000, 1300, "Russia")
    assert any(row["scope"] == "incident" for row in rows)


def test_csv_round_trips_and_has_no_live_formula(rows):
    text = to_csv(rows)
    read = list(csv.DictReader(io.StringIO(text, newline="")))
    assert len(read) == len(rows) and tuple(read[0]) == COLUMNS
    for got, row in zip(read, rows, strict=True):
        assert got == {key: "" if value is None else str(value) for key, value in row.items()}
    cells = [cell for line in csv.reader(io.StringIO(text, newline="")) for cell in line]
    assert not [cell for cell in cells if cell.startswith(LIVE)]
    # the hostile text is all there, neutralised, not dropped
    for formula in FORMULAS:
        assert any(cell.startswith("'" + formula) for cell in cells), formula


def test_json_is_the_same_rows_with_numbers_as_numbers(rows):
    data = json.loads(to_json(rows))
    assert data == rows
    assert isinstance(data[0]["date"], str)
    assert any(isinstance(row["value"], int) for row in data)
    strings = [v for row in data for v in row.values() if isinstance(v, str)]
    assert not [s for s in strings if s.startswith(LIVE)]


def test_csv_neutralises_rows_built_by_hand():
    text = to_csv([{"value": 3, "claimant": "=cmd|' /C calc'!A0", "quote": "-1"}])
    assert list(csv.reader(io.StringIO(text)))[1][:1] == ["3"]
    assert "'=cmd|' /C calc'!A0" in text and ",'-1," in text
