"""One spaCy model per test session, shared by the extraction tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefings.extract import Extractor
from briefings.topics import load_topics

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def extractor() -> Extractor:
    return Extractor(topics=load_topics(ROOT / "config" / "topics.toml"))
