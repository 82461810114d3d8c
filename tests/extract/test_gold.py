"""Scoring over the developer gold set: every figure with its claimant, every quote in the right
mouth, nothing from the negative lists. The per-article table is printed (run with -s) and is part
of every failure message."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefings.articles import article_text
from briefings.extract import Extractor
from tests.extract.scoring import Score, gold_files, load_gold, score, table

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "corpus"


@pytest.fixture(scope="module")
def scores(extractor: Extractor) -> list[Score]:
    golds = [load_gold(path) for path in gold_files()]
    texts = [article_text((CORPUS / g["article"]).read_text(encoding="utf-8")) for g in golds]
    assert all(texts), "article_text found no text in a corpus page"
    results = extractor.extract_many(texts)
    scored = [score(g, r) for g, r in zip(golds, results, strict=True)]
    print("\n" + table(scored))
    return scored


def test_all_nine_gold_files_are_scored(scores: list[Score]) -> None:
    assert len(scores) == 9


def test_quotes_attributed(scores: list[Score]) -> None:
    right = sum(s.quotes_right for s in scores)
    total = sum(s.quotes for s in scores)
    wrong = [m for s in scores for m in s.misattributed]
    assert not wrong, table(scores)
    assert right >= 0.95 * total, table(scores)


def test_figures_found_with_claimant(scores: list[Score]) -> None:
    right = sum(s.figures_right for s in scores)
    total = sum(s.figures for s in scores)
    assert right >= 0.90 * total, table(scores)


def test_no_negative_extracted(scores: list[Score]) -> None:
    assert not [n for s in scores for n in s.negatives], table(scores)
