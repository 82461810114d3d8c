from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from bot.worker.jobs import Worker
from bot.worker.outbox import Deliverer, slack_client
from briefings.store import Store
from briefings.topics import load_topics
from tests.support.fake_slack import FakeSlack
from tests.worker.support import ROOT, Clock, at, make_settings


@pytest.fixture
def slack() -> Iterator[FakeSlack]:
    with FakeSlack() as fake:
        yield fake


@pytest.fixture
def db(database: Path | str) -> Path | str:
    """The worker's database, on each backend (tests/conftest.py `database`)."""
    return database


@pytest.fixture
def store(db: Path, topics) -> Iterator[Store]:
    store = Store(db, topics)
    yield store
    store.close()


@pytest.fixture
def clock() -> Clock:
    return Clock(at("2024-03-10T07:00:00+00:00"))


@pytest.fixture
def topics():
    return load_topics(ROOT / "config" / "topics.toml")


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def worker(db, store, clock, slack, topics, sleeps) -> Worker:
    settings = make_settings(db, slack_api_url=slack.api_url)
    deliverer = Deliverer(store, slack_client(settings), clock=clock,
                          grace=timedelta(minutes=settings.briefing_grace_minutes),
                          sleep=sleeps.append)
    return Worker(settings, store, topics, deliverer, clock=clock)
