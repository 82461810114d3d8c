"""Scoring over articles written after the engine was built (`tests/extract/unseen/`), with the
same conventions as the developer gold set, to check that the rules generalise. The table is
printed (run with -s); thresholds are lower than the developer set's, except that nothing may be
misattributed and no negative may be extracted."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from briefings.extract import Extractor
from tests.extract.scoring import Score, score, table

UNSEEN = Path(__file__).resolve().parent / "unseen"
GOLDS = sorted(UNSEEN.glob("*.json"))


@pytest.fixture(scope="module")
def scores(extractor: Extractor) -> list[Score]:
    golds = [json.loads(path.read_text(encoding="utf-8")) for path in GOLDS]
    texts = [path.with_suffix(".txt").read_text(encoding="utf-8") for path in GOLDS]
    results = extractor.extract_many(texts)
    scored = [score(g, r) for g, r in zip(golds, results, strict=True)]
    print("\nUNSEEN\n" + table(scored))
    return scored


def test_every_unseen_article_has_gold() -> None:
    assert len(GOLDS) >= 6
    assert all(path.with_suffix(".txt").exists() for path in GOLDS)


def test_unseen_no_misattributed_quote(scores: list[Score]) -> None:
    assert not [m for s in scores for m in s.misattributed], table(scores)


def test_unseen_no_negative(scores: list[Score]) -> None:
    assert not [n for s in scores for n in s.negatives], table(scores)


def test_unseen_quotes_attributed(scores: list[Score]) -> None:
    right = sum(s.quotes_right for s in scores)
    assert right >= 0.85 * sum(s.quotes for s in scores), table(scores)


def test_unseen_figures_found_with_claimant(scores: list[Score]) -> None:
    right = sum(s.figures_right for s in scores)
    assert right >= 0.75 * sum(s.figures for s in scores), table(scores)
