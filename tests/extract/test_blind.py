"""The blind set (`tests/extract/blind/`): articles written before the attribution rules were
redesigned and never used to tune them. Run with -s to see the table; the numbers are reported,
not asserted, so that nobody is tempted to tune to them. What is asserted is what must hold on
any text: every article extracts without an error."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefings.extract import Extractor
from tests.extract.scoring import Score, load_gold, score, table

BLIND = Path(__file__).resolve().parent / "blind"
GOLDS = sorted(BLIND.glob("*.json"))


@pytest.fixture(scope="module")
def results(extractor: Extractor):
    texts = [path.with_suffix(".txt").read_text(encoding="utf-8") for path in GOLDS]
    return extractor.extract_many(texts)


def test_blind_set_is_there() -> None:
    assert len(GOLDS) >= 15
    assert all(path.with_suffix(".txt").exists() for path in GOLDS)


def test_blind_articles_extract_without_error(results) -> None:
    assert [r.error for r in results if r.error] == []
    scored: list[Score] = [score(load_gold(p), r) for p, r in zip(GOLDS, results, strict=True)]
    print("\nBLIND SET\n" + table(scored))
