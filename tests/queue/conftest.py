"""A PostgreSQL server for the whole run (skipped, with the reason, only when none can start),
a fresh database per test, the fake Slack and the corpus' feeds served locally."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.fake_slack import FakeSlack
from tests.support.postgres import PostgresServer, PostgresUnavailable


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    server = PostgresServer()
    try:
        server.start()
    except PostgresUnavailable as exc:
        server.stop()
        pytest.skip(str(exc))
    yield server
    server.stop()


@pytest.fixture
def queue_db(postgres: PostgresServer) -> str:
    """A new, empty database on the session's server."""
    return postgres.url()


@pytest.fixture
def slack() -> Iterator[FakeSlack]:
    with FakeSlack() as fake:
        yield fake
