"""Shared fixtures: the corpus served by a local HTTP server, settings, a real store on each
backend (a SQLite file, and a fresh database on a throwaway PostgreSQL server)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from briefings.fileserver import FileServer
from briefings.models import FeedSpec
from briefings.samples import SAMPLES_DIR
from briefings.settings import Settings, load_settings
from briefings.store import Store
from tests.support.postgres import BACKENDS, PostgresServer, PostgresUnavailable

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


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """One PostgreSQL server for the whole run, started on first use."""
    server = PostgresServer()
    try:
        server.start()
    except PostgresUnavailable as exc:
        server.stop()
        pytest.skip(f"no PostgreSQL server could be started here: {exc}")
    yield server
    server.stop()


@pytest.fixture(params=BACKENDS)
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Path | str:
    """Where a test's store lives, once per backend: a SQLite file, or a fresh PostgreSQL
    database. A test of one backend's own behaviour overrides it with
    `@pytest.mark.parametrize("database", ["sqlite"], indirect=True)`."""
    if request.param == "sqlite":
        return tmp_path / "sitrep.db"
    return request.getfixturevalue("postgres").url()


@pytest.fixture
def settings(database: Path | str) -> Settings:
    return load_settings(
        {"SITREP_DB": str(database), "SITREP_ALLOW_PRIVATE_ADDRESSES": "1"},
        config_dir=Path(__file__).parent.parent / "config",
    )


@pytest.fixture
def store(settings: Settings) -> Iterator[Store]:
    db = Store(settings.db_path)
    yield db
    db.close()
