"""Shared fixtures: the corpus served by a local HTTP server, settings, a real SQLite store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from briefings.fileserver import FileServer
from briefings.models import FeedSpec
from briefings.samples import SAMPLES_DIR
from briefings.settings import Settings, load_settings
from briefings.store import Store

FIXTURES = Path(__file__).parent / "fixtures"
CORPUS = SAMPLES_DIR  # the one corpus: the demo serves it too
GOOD_FEEDS = (
    ("Tokyo Today — World", "feeds/tokyotoday-world.xml", "Tokyo Today"),
    ("Pacific Wire — World", "feeds/pacificwire-world.xml", "Pacific Wire"),
    ("Harbour Herald — World", "feeds/harbourherald-world.xml", "Harbour Herald"),
)
HOSTILE_FEEDS = tuple(sorted(p.name for p in (CORPUS / "feeds" / "hostile").glob("*.xml")))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens", action="store_true", default=False,
        help="rewrite golden files (tests/bot/golden/) from the current output instead of "
             "comparing against them; review the diff before committing",
    )


@pytest.fixture
def update_goldens(request: pytest.FixtureRequest) -> bool:
    """True when pytest ran with --update-goldens: golden files are rewritten, not compared."""
    return bool(request.config.getoption("--update-goldens"))


@pytest.fixture
def corpus_server() -> Iterator[FileServer]:
    with FileServer(CORPUS) as server:
        yield server


def good_feeds(server: FileServer) -> list[FeedSpec]:
    return [FeedSpec(name, server.url + path, outlet) for name, path, outlet in GOOD_FEEDS]


def hostile_feeds(server: FileServer) -> list[FeedSpec]:
    return [
        FeedSpec(f"Hostile {name}", f"{server.url}feeds/hostile/{name}", f"Hostile {name}")
        for name in HOSTILE_FEEDS
    ]


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return load_settings(
        {"SITREP_DB": str(tmp_path / "sitrep.db"), "SITREP_ALLOW_PRIVATE_ADDRESSES": "1"},
        config_dir=Path(__file__).parent.parent / "config",
    )


@pytest.fixture
def store(settings: Settings) -> Iterator[Store]:
    db = Store(settings.db_path)
    yield db
    db.close()
