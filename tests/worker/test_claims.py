"""One owner per delivery: workers claim a delivery with a compare-and-set and a lease, so two
workers, or an old and a new one during a rolling deploy, never post one slot twice."""

from __future__ import annotations

import threading
from datetime import timedelta

from bot.worker.outbox import Deliverer, slack_client
from briefings.store import PENDING, POSTED, POSTING, Delivery, Store
from tests.worker.support import Clock, at, make_settings

SLOT = at("2024-03-10T08:00:00+00:00")


def _record(store: Store, channels: list[str]) -> list[str]:
    keys = []
    for channel in channels:
        key = f"briefing:{channel}:{SLOT.isoformat()}"
        store.record_delivery(Delivery(key=key, kind="briefing", channel=channel,
                                       text=f"briefing for {channel}", blocks=[],
                                       state=PENDING, created=SLOT, slot=SLOT))
        keys.append(key)
    return keys


def _deliverer(db, slack, clock, **kwargs) -> Deliverer:
    settings = make_settings(db, slack_api_url=slack.api_url)
    return Deliverer(Store(db), slack_client(settings), clock=clock,
                     grace=timedelta(hours=3), sleep=lambda _: None, **kwargs)


def test_claims_are_compare_and_set_with_a_lease(db, store):
    (key,) = _record(store, ["C1"])
    now = SLOT
    lease = timedelta(seconds=60)
    assert store.claim_delivery(key, "old", now, lease)
    assert not store.claim_delivery(key, "new", now + timedelta(seconds=30), lease)
    assert store.claim_delivery(key, "old", now + timedelta(seconds=30), lease)  # renewed
    assert not store.mark_posting(key, now, owner="new")  # only the owner may post
    assert store.claim_delivery(key, "new", now + timedelta(seconds=91), lease)  # lapsed
    store.mark_posted(key, now, "1.0001")
    assert not store.claim_delivery(key, "old", now + timedelta(hours=1), lease)  # done


def test_two_workers_at_once_post_every_slot_exactly_once(db, store, slack):
    keys = _record(store, [f"C{n}" for n in range(8)])
    slack.post_delay = 0.05  # each post is in flight while the other worker runs
    clock = Clock(SLOT + timedelta(seconds=5))
    workers = [_deliverer(db, slack, clock) for _ in range(2)]
    threads = [threading.Thread(target=w.deliver_open) for w in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(m["channel"] for m in slack.messages) == sorted(f"C{n}" for n in range(8))
    assert {store.delivery(k).state for k in keys} == {POSTED}


def test_a_dead_workers_claim_is_taken_over_through_history(db, store, slack):
    """The old worker of a rolling deploy posted and died before recording it: the new one
    waits out the claim, then finds the message in the channel instead of posting again."""
    (key,) = _record(store, ["C1"])
    clock = Clock(SLOT + timedelta(seconds=5))
    old = _deliverer(db, slack, clock, lease=timedelta(seconds=60))
    new = _deliverer(db, slack, clock, lease=timedelta(seconds=60))
    assert store.claim_delivery(key, old.owner, clock(), old.lease)
    assert store.mark_posting(key, clock(), old.owner, old.lease)
    old._post(store.delivery(key), None)  # reached Slack; then SIGKILL
    assert new.deliver(store.delivery(key)) == POSTING  # held: left alone
    assert len(slack.messages) == 1
    clock.advance(seconds=61)
    assert new.deliver(store.delivery(key)) == POSTED
    assert len(slack.messages) == 1
    assert store.delivery(key).ts == slack.messages[0]["ts"]


def test_a_stopping_worker_claims_nothing_new(db, store, slack):
    _record(store, ["C1", "C2"])
    worker = _deliverer(db, slack, Clock(SLOT))
    worker.stopping = True  # SIGTERM arrived
    assert worker.deliver_open() == {}
    assert slack.messages == []
