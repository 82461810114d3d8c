"""What the queue's jobs claim in the store, on SQLite and on PostgreSQL: a feed's poll once per
interval, and the mark below which every story is extracted; `sitrep migrate` and the queue's
health line."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.worker.queue import apply_queue_schema, queue_health
from briefings.models import Extraction
from briefings.store import Store
from tests.worker.support import WAR_LEDE, add_story, at, make_settings

T0 = at("2024-03-10T08:00:00+00:00")
INTERVAL = timedelta(minutes=15)


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, tmp_path):
    location = (tmp_path / "sitrep.db" if request.param == "sqlite"
                else request.getfixturevalue("queue_db"))
    store = Store(location)
    yield store
    store.close()


def test_one_poll_per_feed_per_interval(store):
    assert store.polls_due(["a", "b"], T0, INTERVAL) == ["a", "b"]
    assert store.claim_poll("a", T0, INTERVAL)
    assert not store.claim_poll("a", T0, INTERVAL)  # another worker, or this job retried
    assert not store.claim_poll("a", T0 + timedelta(minutes=14), INTERVAL)
    assert store.polls_due(["a", "b"], T0 + timedelta(minutes=14), INTERVAL) == ["b"]
    assert store.claim_poll("a", T0 + INTERVAL, INTERVAL)
    assert store.poll_claimed("a") == T0 + INTERVAL
    assert store.claim_poll("b", T0 + timedelta(minutes=1), INTERVAL)


def _pending(store: Store, story_id: str, fetched) -> None:
    from briefings.models import Story

    store.add_story(Story(
        id=story_id, source_id="src", outlet="Tokyo Today", title=story_id, url=None,
        guid=None, published=fetched, fetched=fetched, summary="", text=WAR_LEDE,
        text_origin="feed", cluster_id=story_id,
    ), [f"url:{story_id}"], None)


def test_alert_windows_end_below_the_first_story_still_extracting(store):
    add_story(store, "done", "Extracted", fetched=T0)
    mark_done = store.story_mark()
    _pending(store, "pending", T0 + timedelta(minutes=1))
    add_story(store, "after", "Extracted after", fetched=T0 + timedelta(minutes=2))
    since = T0 - timedelta(hours=1)
    assert store.stories_pending_extraction(since) == ["pending"]
    assert store.settled_mark(since) == mark_done
    store.save_extraction("pending", Extraction((), (), error="boom"), T0)  # failed: settled
    assert store.settled_mark(since) == store.story_mark()
    _pending(store, "lost", T0 + timedelta(minutes=3))
    # a story unextracted since before the horizon no longer holds alerts back
    assert store.settled_mark(T0 + timedelta(minutes=4)) == store.story_mark()


def test_migrate_sets_up_the_queue_once_and_health_says_so(queue_db, tmp_path):
    settings = make_settings(tmp_path / "x.db").replace(db_path=queue_db)
    assert queue_health(settings).startswith("not set up")
    assert apply_queue_schema(queue_db) is True
    assert apply_queue_schema(queue_db) is False
    assert queue_health(settings) == "no worker: 0 workers, 0 jobs waiting"
    unreachable = settings.replace(db_path="postgresql://nobody@127.0.0.1:1/none")
    assert queue_health(unreachable, timeout=1).startswith("unreachable: ")
    assert queue_health(make_settings(tmp_path / "x.db")).startswith("not used")
