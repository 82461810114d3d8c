"""Fixtures for the Slack tests: a fake Slack, polled databases, a running `sitrep serve`."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from briefings.conflicts import load_conflicts
from briefings.fileserver import FileServer
from briefings.models import Extraction, FeedSpec, Figure, Quote, Story
from briefings.poll import poll_once
from briefings.samples import SAMPLES_DIR
from briefings.settings import load_settings
from briefings.store import Store
from briefings.topics import load_topics
from tests.bot.support import ROOT, ServeProcess, sitrep_env
from tests.support.fake_slack import FakeSlack
from tests.support.postgres import BACKENDS

CORPUS = SAMPLES_DIR
FEEDS = (
    ("Tokyo Today — World", "feeds/tokyotoday-world.xml", "Tokyo Today"),
    ("Pacific Wire — World", "feeds/pacificwire-world.xml", "Pacific Wire"),
    ("Harbour Herald — World", "feeds/harbourherald-world.xml", "Harbour Herald"),
    ("Frontline Wire <!here>", "feeds/hostile/slack-injection.xml", "Frontline Wire <!channel>"),
)
BIG_TOPIC_STORIES = 500


@pytest.fixture(scope="session")
def topics():
    return load_topics(ROOT / "config" / "topics.toml")


@pytest.fixture(scope="session", params=BACKENDS)
def corpus_db(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
              topics) -> Path | str:
    """The corpus feeds (and the Slack-injection feed) polled with extraction into a store, on
    each backend: a SQLite file, and a PostgreSQL database."""
    try:
        from briefings.extract import Extractor
    except ImportError as exc:  # the extraction half is built separately
        pytest.skip(f"briefings.extract is not importable: {exc}")
    path = (tmp_path_factory.mktemp("corpus") / "sitrep.db" if request.param == "sqlite"
            else request.getfixturevalue("postgres").url())
    settings = load_settings({"SITREP_DB": str(path), "SITREP_ALLOW_PRIVATE_ADDRESSES": "1"},
                             config_dir=ROOT / "config")
    store = Store(path, topics, load_conflicts(ROOT / "config" / "conflicts.toml"))
    extractor = Extractor(settings.extract_model, topics=topics,
                          batch_size=settings.extract_batch_size)
    with FileServer(CORPUS) as server:
        feeds = [FeedSpec(name, server.url + p, outlet) for name, p, outlet in FEEDS]
        summary = asyncio.run(poll_once(settings, feeds, store, clock=lambda: datetime.now(UTC),
                                        extractor=extractor))
    assert summary.ok == len(FEEDS) and summary.figures > 0
    store.close()
    return path


def _big_story(n: int, base: datetime) -> Story:
    published = base + timedelta(minutes=n)
    hostile = "<!channel> <@U012AB3CD> <https://evil.example|click me> " if n % 7 == 0 else ""
    title = f"{hostile}Mariupol update {n}: shelling continues " + ("x" * 4000 if n % 50 == 0
                                                                      else "")
    return Story(
        id=f"big{n:04d}", source_id=f"src{n % 40}", outlet=f"Outlet {n % 40} <!here>",
        title=title, url=f"https://news.example/{n}", guid=None, published=published,
        fetched=published, summary="",
        text=f"Russian shelling hit Mariupol on day {n}, Ukrainian officials said. " * 20,
        text_origin="feed", cluster_id=f"big{n - n % 3:04d}",
    )


@pytest.fixture(scope="session")
def big_db(tmp_path_factory: pytest.TempPathFactory, topics) -> Path:
    """500 stories on Mariupol, each with figures and a quote, some hostile, some huge."""
    path = tmp_path_factory.mktemp("big") / "sitrep.db"
    store = Store(path, topics, load_conflicts(ROOT / "config" / "conflicts.toml"))
    base = datetime(2024, 5, 1, tzinfo=UTC)
    claimants = ["Mariupol city council", "Russia's defence ministry", "UN human rights office",
                 "<!subteam^S012ABCDEF> ministry"]
    for n in range(BIG_TOPIC_STORIES):
        story = _big_story(n, base)
        store.add_story(story, [f"url:{story.url}"], None)
        figures = tuple(
            Figure(value=1000 + n * 3 + k, low=None, high=None, approx="exact",
                   what=f"{kind.replace('_', ' ')} {'y' * (3000 if n % 100 == 0 else 3)}",
                   kind=kind, where="Mariupol", claimant=claimants[(n + k) % len(claimants)],
                   sentence=f"In Mariupol {1000 + n} people ... <!channel>")
            for k, kind in enumerate(("killed", "wounded", "evacuated", f"kind_{n % 30}"))
        )
        quotes = (Quote(text=f"We will hold Mariupol <!here> {n} " + "z" * (n % 5) * 500,
                        speaker=f"Speaker {n % 12}", cue="said", sentence="Mariupol"),)
        store.save_extraction(story.id, Extraction(figures, quotes), base)
    store.close()
    return path


@pytest.fixture(scope="module")
def fake_slack() -> Iterator[FakeSlack]:
    with FakeSlack() as fake:
        yield fake


@pytest.fixture(scope="module")
def serve_corpus(fake_slack: FakeSlack, corpus_db: Path) -> Iterator[ServeProcess]:
    with ServeProcess(sitrep_env(fake_slack.api_url, corpus_db)) as process:
        yield process


@pytest.fixture(scope="module")
def serve_big(fake_slack: FakeSlack, big_db: Path) -> Iterator[ServeProcess]:
    with ServeProcess(sitrep_env(fake_slack.api_url, big_db)) as process:
        yield process
