"""The worker in-process with a fake clock and the fake Slack Web API: slots, catch-up, 429,
errors, reconciliation, alerts and their threads."""

from __future__ import annotations

import logging

from briefings.store import FAILED, POSTED, POSTING, SKIPPED
from tests.worker.support import add_story, at, killed, quote

DAY_BEFORE = at("2024-03-09T12:00:00+00:00")


def _channels(store):
    store.set_digest("C1", DAY_BEFORE, enabled=True, time="08:00", tz="UTC")
    store.set_digest("C2", DAY_BEFORE, enabled=True, time="17:00", tz="Asia/Tokyo")  # 08:00 UTC
    store.set_digest("C3", DAY_BEFORE, enabled=False, time="08:00", tz="UTC")


def test_one_briefing_per_channel_per_slot(worker, store, slack, clock):
    _channels(store)
    add_story(store, "s1", "Mariupol toll rises", fetched=at("2024-03-10T06:00:00+00:00"),
              figures=[killed(2187, "Mariupol city council")])
    for now in ("2024-03-10T07:59:00+00:00", "2024-03-10T08:00:00+00:00",
                "2024-03-10T08:01:00+00:00", "2024-03-10T09:30:00+00:00"):
        clock.set(now)
        worker.tick()
    assert sorted(c.params["channel"] for c in slack.posts()) == ["C1", "C2"]
    post = slack.posts("C1")[0]
    key = post.params["metadata"]["event_payload"]["key"]
    assert key == "briefing:C1:2024-03-10T08:00:00+00:00"
    assert "2,187 civilians killed in Mariupol" in str(post.params["blocks"])

    clock.set("2024-03-11T08:00:30+00:00")
    worker.tick()
    worker.tick()
    assert len(slack.posts("C1")) == 2 and len(slack.posts("C2")) == 2
    assert len(slack.posts("C3")) == 0


def test_a_time_change_from_the_web_process_applies_without_restart(worker, store, slack,
                                                                     clock):
    store.set_digest("C1", DAY_BEFORE, enabled=True, time="08:00", tz="UTC")
    clock.set("2024-03-10T07:00:00+00:00")
    worker.tick()
    store.set_digest("C1", clock(), enabled=True, time="07:30", tz="UTC")  # another process
    clock.set("2024-03-10T07:30:00+00:00")
    worker.tick()
    clock.set("2024-03-10T08:00:00+00:00")
    worker.tick()
    keys = [c.params["metadata"]["event_payload"]["key"] for c in slack.posts("C1")]
    assert keys == ["briefing:C1:2024-03-10T07:30:00+00:00"]


def test_missed_slot_inside_grace_is_caught_up(worker, store, slack, clock):
    _channels(store)
    clock.set("2024-03-10T10:59:00+00:00")  # the worker was down from 07:00 until now
    worker.tick()
    assert sorted(c.params["channel"] for c in slack.posts()) == ["C1", "C2"]


def test_missed_slot_outside_grace_is_skipped_with_a_reason(worker, store, slack, clock, caplog):
    _channels(store)
    clock.set("2024-03-10T11:30:00+00:00")
    with caplog.at_level(logging.WARNING):
        worker.tick()
        worker.tick()
    assert slack.posts() == []
    skipped = store.deliveries("C1", "briefing")
    assert [d.state for d in skipped] == [SKIPPED]
    assert "missed by 210 min, beyond the 180 min grace window" in skipped[0].error
    reasons = [r.getMessage() for r in caplog.records if "skipped the" in r.getMessage()]
    assert len(reasons) == 2  # one per channel, logged once, not every minute
    assert "2024-03-10 17:00 JST" in " ".join(reasons)


def test_rate_limit_on_first_post_still_yields_exactly_one(worker, store, slack, clock, sleeps):
    store.set_digest("C1", DAY_BEFORE, enabled=True, time="08:00", tz="UTC")
    slack.fail_next("chat.postMessage", status=429, retry_after=7, times=2)
    clock.set("2024-03-10T08:00:00+00:00")
    worker.tick()
    worker.tick()
    assert sleeps == [7.0, 7.0]  # Retry-After honoured
    assert len(slack.calls_to("chat.postMessage")) == 3
    assert len(slack.messages) == 1
    assert [d.state for d in store.deliveries("C1")] == [POSTED]


def test_rate_limit_waits_for_real(db, store, slack, clock, topics):
    import time
    from datetime import timedelta

    from bot.worker.jobs import Worker
    from bot.worker.outbox import Deliverer, slack_client
    from tests.worker.support import make_settings

    settings = make_settings(db, slack_api_url=slack.api_url)
    deliverer = Deliverer(store, slack_client(settings), clock=clock, grace=timedelta(hours=3))
    worker = Worker(settings, store, topics, deliverer, clock=clock)
    store.set_digest("C1", DAY_BEFORE, enabled=True, time="08:00", tz="UTC")
    slack.fail_next("chat.postMessage", status=429, retry_after=1)
    clock.set("2024-03-10T08:00:00+00:00")
    started = time.monotonic()
    worker.tick()
    assert time.monotonic() - started >= 1.0
    assert len(slack.messages) == 1


def test_channel_errors_are_recorded_and_not_retried(worker, store, slack, clock):
    store.set_digest("C1", DAY_BEFORE, enabled=True, time="08:00", tz="UTC")
    slack.fail_next("chat.postMessage", error="not_in_channel")
    clock.set("2024-03-10T08:00:00+00:00")
    for _ in range(3):
        worker.tick()
        clock.advance(minutes=1)
    assert len(slack.calls_to("chat.postMessage")) == 1
    assert [d.state for d in store.deliveries("C1")] == [FAILED]
    channel = store.channel("C1")
    assert "not in the channel" in channel.last_error
    # The next day's briefing is tried once more, and a success clears the error.
    clock.set("2024-03-11T08:00:00+00:00")
    worker.tick()
    assert len(slack.messages) == 1
    assert store.channel("C1").last_error is None


def test_posting_row_found_in_history_is_not_posted_again(worker, store, slack, clock):
    """The crash point between Slack's answer and our commit, in-process."""
    store.set_digest("C1", DAY_BEFORE, enabled=True, time="08:00", tz="UTC")
    clock.set("2024-03-10T08:00:00+00:00")
    worker.record_due_briefings(clock())
    key = "briefing:C1:2024-03-10T08:00:00+00:00"
    delivery = store.delivery(key)
    store.mark_posting(key, clock())
    worker.deliverer._post(delivery, None)  # reached Slack; then the process died
    assert store.delivery(key).state == POSTING
    worker.tick()
    assert len(slack.messages) == 1
    assert store.delivery(key).state == POSTED
    assert store.delivery(key).ts == slack.messages[0]["ts"]
    assert slack.calls_to("conversations.history")


def test_posting_row_not_in_history_is_posted(worker, store, slack, clock):
    """The crash point after marking `posting` but before the HTTP call."""
    store.set_digest("C1", DAY_BEFORE, enabled=True, time="08:00", tz="UTC")
    clock.set("2024-03-10T08:00:00+00:00")
    worker.record_due_briefings(clock())
    key = "briefing:C1:2024-03-10T08:00:00+00:00"
    store.mark_posting(key, clock())
    worker.tick()
    worker.tick()
    assert len(slack.messages) == 1
    assert store.delivery(key).state == POSTED


def test_alert_then_later_ones_in_its_thread(worker, store, slack, clock):
    clock.set("2024-03-10T09:00:00+00:00")
    store.subscribe("C1", "Mariupol", clock())
    store.subscribe("C2", "Odessa", clock())
    add_story(store, "before", "Mariupol before subscribing",
              fetched=at("2024-03-10T08:00:00+00:00"))
    add_story(store, "a", "Siege update", fetched=clock.advance(minutes=10),
              text="The siege goes on.", figures=[killed(1582, "Mariupol city council")])
    assert worker.alerts() == 1
    first = slack.posts("C1")
    assert len(first) == 1 and "thread_ts" not in first[0].params
    assert "1,582 civilians killed in Mariupol" in str(first[0].params["blocks"])
    assert "before subscribing" not in str(first[0].params["blocks"])

    assert worker.alerts() == 0  # nothing new: nothing posted
    add_story(store, "b", "Convoy leaves", fetched=clock.advance(minutes=30),
              text="Cars left the city.", figures=[killed(2187, "Mariupol city council")],
              quotes=[quote("People are leaving Mariupol on foot", "Petro Andryushchenko")])
    add_story(store, "c", "Unrelated Kharkiv shelling", fetched=clock())
    worker.alerts()
    posts = slack.posts("C1")
    assert len(posts) == 2
    assert posts[1].params["thread_ts"] == slack.messages[0]["ts"]
    assert "Kharkiv" not in str(posts[1].params["blocks"])
    assert slack.posts("C2") == []

    add_story(store, "d", "Mariupol next day", fetched=clock.set("2024-03-11T09:00:00+00:00"))
    worker.alerts()
    assert "thread_ts" not in slack.posts("C1")[2].params  # a new day, a new thread


def test_alerts_match_each_topic_once_across_channels_and_windows(worker, store, slack, clock):
    """Many channels on one topic (under different aliases) and channels whose windows differ:
    each gets exactly the stories of its own window, matched through the alias group."""
    clock.set("2024-03-10T09:00:00+00:00")
    for channel in ("C1", "C2", "C3"):
        store.subscribe(channel, ("Kyiv", "kiev", "KYIV")[int(channel[1]) - 1], clock())
    store.subscribe("C4", "Odessa", clock())
    add_story(store, "a", "Strikes on Kiev overnight", fetched=clock.advance(minutes=5))
    assert worker.alerts() == 3
    store.subscribe("C5", "Kyiv", clock.advance(minutes=1))  # a later window
    add_story(store, "b", "Odesa port hit", fetched=clock.advance(minutes=5),
              figures=[killed(4, "the regional governor")])
    add_story(store, "c", "Kyiv metro shelters fill", fetched=clock())
    assert worker.alerts() == 5
    for channel in ("C1", "C2", "C3"):
        posts = [str(p.params["blocks"]) for p in slack.posts(channel)]
        assert len(posts) == 2 and "Strikes on Kiev" in posts[0]
        assert "metro shelters" in posts[1] and "Odesa" not in posts[1]
    (only,) = [str(p.params["blocks"]) for p in slack.posts("C5")]
    assert "metro shelters" in only and "Strikes on Kiev" not in only
    (odesa,) = [str(p.params["blocks"]) for p in slack.posts("C4")]
    assert "Odesa port hit" in odesa and "Kyiv" not in odesa


def test_alerts_wait_for_their_thread_parent(worker, store, slack, clock):
    clock.set("2024-03-10T09:00:00+00:00")
    store.subscribe("C1", "Mariupol", clock())
    slack.fail_next("chat.postMessage", error="internal_error")  # transient: stays open
    add_story(store, "a", "Mariupol one", fetched=clock.advance(minutes=1))
    worker.alerts()
    add_story(store, "b", "Mariupol two", fetched=clock.advance(minutes=1))
    worker.alerts()
    posts = slack.posts("C1")
    assert len(slack.messages) == 2
    assert "thread_ts" not in posts[1].params
    assert posts[2].params["thread_ts"] == slack.messages[0]["ts"]


def test_a_posting_row_whose_history_cannot_be_read_is_held_not_doubled(worker, store, slack,
                                                                         clock):
    """After a crash mid-post, a channel whose history the bot cannot read (not in it) is not
    posted to blindly: the message is held and the channel shows what to do."""
    store.set_digest("C1", DAY_BEFORE, enabled=True, time="08:00", tz="UTC")
    clock.set("2024-03-10T08:00:00+00:00")
    worker.record_due_briefings(clock())
    key = "briefing:C1:2024-03-10T08:00:00+00:00"
    store.mark_posting(key, clock())
    worker.deliverer._post(store.delivery(key), None)  # it reached Slack; then the crash
    slack.fail_next("conversations.history", error="not_in_channel")
    worker.tick()
    assert len(slack.messages) == 1  # not posted a second time
    assert store.delivery(key).state == POSTING
    error = store.channel("C1").last_error
    assert "held" in error and "invite it with /invite @sitrep" in error


def test_a_syndicated_copy_is_one_alert_not_two(worker, store, slack, clock):
    """The copy arriving in the same scan folds into its original; a copy arriving later, after
    the original was alerted, is not news again."""
    clock.set("2024-03-10T09:00:00+00:00")
    store.subscribe("C1", "Mariupol", clock())
    add_story(store, "orig", "Mariupol convoy leaves", fetched=clock.advance(minutes=5))
    add_story(store, "copy1", "Mariupol convoy leaves city", fetched=clock(),
              outlet="Harbour Herald", cluster_id="orig")
    assert worker.alerts() == 1
    (first,) = slack.posts("C1")
    assert str(first.params["blocks"]).count("Mariupol convoy leaves") == 1
    add_story(store, "copy2", "Convoy leaves Mariupol", fetched=clock.advance(minutes=30),
              outlet="Pacific Wire", cluster_id="orig")
    assert worker.alerts() == 0
    assert len(slack.posts("C1")) == 1
