"""Several real `sitrep worker` processes on one job queue, with the fake Slack and the corpus
served locally: workers SIGKILLed and SIGTERMed mid-post, and still every briefing slot and
alert posted exactly once per channel, and no feed polled twice in one interval."""

from __future__ import annotations

import signal
import time
from collections import Counter

import pytest

from briefings.fileserver import FileServer
from briefings.store import POSTED, Store
from tests.queue.support import NOW, Process, environment, feed_paths, wait_until
from tests.worker.support import CORPUS, at

DAY_BEFORE = at("2024-03-09T12:00:00+00:00")
BRIEFINGS = ["briefing:C1:2024-03-10T08:00:00+00:00", "briefing:C2:2024-03-10T08:00:00+00:00"]


@pytest.fixture
def feeds():
    with FileServer(CORPUS) as server:
        yield server


@pytest.fixture
def db(queue_db):
    """The store, in the queue's PostgreSQL database: channels with a briefing due at 08:00
    UTC, and C1 following Mariupol."""
    store = Store(queue_db)
    store.set_digest("C1", DAY_BEFORE, enabled=True, time="08:00", tz="UTC")
    store.set_digest("C2", DAY_BEFORE, enabled=True, time="17:00", tz="Asia/Tokyo")
    store.subscribe("C1", "Mariupol", DAY_BEFORE)
    store.close()
    return queue_db


def _migrate(tmp_path, env, now) -> None:
    process = Process(tmp_path, env, now, ["migrate"], name="migrate")
    assert process.wait() == 0, process.log
    assert "job queue set up" in process.log


def _all_posted(store: Store, feeds: FileServer) -> bool:
    if not all(feeds.log.statuses(path) for path in feed_paths()):
        return False
    deliveries = store.deliveries()
    briefings = sorted(d.key for d in deliveries if d.kind == "briefing")
    return (briefings == BRIEFINGS and any(d.kind == "alert" for d in deliveries)
            and all(d.state == POSTED for d in deliveries))


def _assert_exactly_once(store: Store, slack, feeds: FileServer) -> None:
    wait_until(lambda: _all_posted(store, feeds), 90, "every delivery posted")
    time.sleep(1.5)  # room for the last poll's alert, and for a wrong second post, to show up
    wait_until(lambda: _all_posted(store, feeds), 30, "every delivery posted")
    keys = Counter(m["metadata"]["event_payload"]["key"] for m in slack.messages)
    assert all(count == 1 for count in keys.values()), keys
    recorded = {d.key: d for d in store.deliveries()}
    assert set(keys) == set(recorded)
    assert all(d.state == POSTED for d in recorded.values())
    for message in slack.messages:  # each in the channel it was recorded for
        assert message["channel"] == recorded[message["metadata"]["event_payload"]["key"]].channel
    assert sorted(k for k in keys if k.startswith("briefing:")) == BRIEFINGS
    assert any(k.startswith("alert:C1:") for k in keys)
    # every feed fetched once: one poll per feed in the interval, however many workers
    for path in feed_paths():
        assert len(feeds.log.statuses(path)) == 1, (path, feeds.log.entries)


def test_two_workers_one_sigkilled_mid_post(tmp_path, slack, feeds, db):
    env = environment(tmp_path, db, feeds.url, slack.api_url)
    now = f"{NOW}@{time.time()}"
    _migrate(tmp_path, env, now)
    slack.post_delay = 0.5
    killed = Process(tmp_path, env, now, ["worker", "--no-extract"],
                     options=["--crash", "after-post"], name="killed")
    survivor = Process(tmp_path, env, now, ["worker", "--no-extract"],
                       name="survivor")
    store = Store(db)
    try:
        assert killed.wait(60) == -signal.SIGKILL, killed.log
        _assert_exactly_once(store, slack, feeds)
        assert survivor.terminate() == 0, survivor.log
    finally:
        killed.kill()
        survivor.kill()
    # the killed worker's job (its post reached Slack) was retried by the survivor, which
    # found the post in the channel's history instead of posting again
    assert "of a worker that stopped answering" in survivor.log, survivor.log
    assert "had reached Slack" in survivor.log
    store.close()


def test_three_workers_one_sigkilled_one_sigtermed_mid_post(tmp_path, slack, feeds, db):
    env = environment(tmp_path, db, feeds.url, slack.api_url)
    now = f"{NOW}@{time.time()}"
    _migrate(tmp_path, env, now)
    slack.post_delay = 2.0  # a post in flight long enough to signal its worker
    posts = tmp_path / "posts"
    posts.mkdir()
    store = Store(db)
    workers: list[Process] = []
    try:
        killed = Process(tmp_path, env, now, ["worker", "--no-extract"],
                         options=["--crash", "after-post"], name="killed")
        workers.append(killed)
        assert killed.wait(60) == -signal.SIGKILL, killed.log
        assert len(slack.messages) == 1

        termed = Process(tmp_path, env, now, ["worker", "--no-extract"],
                         options=["--announce-posts", str(posts)], name="termed")
        workers.append(termed)
        announced = posts / str(termed.pid)
        wait_until(announced.exists, 60, "the second worker's first post")
        key = announced.read_text(encoding="utf-8")
        assert termed.terminate() == 0, termed.log  # it finished its post, then stopped
        assert store.delivery(key).state == POSTED
        assert [m["metadata"]["event_payload"]["key"] for m in slack.messages].count(key) == 1

        last = Process(tmp_path, env, now, ["worker", "--no-extract"],
                       name="last")
        workers.append(last)
        _assert_exactly_once(store, slack, feeds)
        assert last.terminate() == 0, last.log
    finally:
        for worker in workers:
            worker.kill()
    assert "Stop requested" in termed.log or "stopping" in termed.log
    store.close()
