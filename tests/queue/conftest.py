"""A fresh database per test on the run's PostgreSQL server (tests/conftest.py `postgres`),
the fake Slack and the corpus' feeds served locally."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.fake_slack import FakeSlack
from tests.support.postgres import PostgresServer


@pytest.fixture
def queue_db(postgres: PostgresServer) -> str:
    """A new, empty database on the session's server."""
    return postgres.url()


@pytest.fixture
def slack() -> Iterator[FakeSlack]:
    with FakeSlack() as fake:
        yield fake
