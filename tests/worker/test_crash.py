"""A real worker process, SIGKILLed at each point of a delivery, then restarted: exactly one
briefing per channel per slot. Feeds come from the fixture corpus served on 127.0.0.1."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from briefings.fileserver import FileServer
from briefings.store import POSTED, POSTING, Store
from tests.worker.support import CORPUS, ROOT, at, short_lease_config, write_feeds

NOW = "2024-03-10T08:00:05+00:00"
DAY_BEFORE = at("2024-03-09T12:00:00+00:00")


def _worker(tmp_path: Path, env: dict[str, str], now: str, crash: str | None = None
            ) -> subprocess.Popen:
    """The real `sitrep worker`, through the test entry point that sets its clock and crash."""
    crashing = ["--crash", crash] if crash else []
    return subprocess.Popen(
        [sys.executable, "-m", "tests.support.sitrep_process", "--now", now, *crashing, "--",
         "worker", "--no-extract"], cwd=tmp_path, env={**env, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def _wait_until(condition, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError("timed out")


@pytest.mark.parametrize(("crash_at", "posted_before_restart"), [
    ("after-record", 0), ("before-post", 0), ("after-post", 1),
])
def test_sigkill_then_restart_posts_exactly_once(tmp_path, slack, crash_at,
                                                 posted_before_restart):
    db = tmp_path / "sitrep.db"
    store = Store(db)
    store.set_digest("C1", DAY_BEFORE, enabled=True, time="08:00", tz="UTC")
    store.set_digest("C2", DAY_BEFORE, enabled=True, time="17:00", tz="Asia/Tokyo")
    with FileServer(CORPUS) as server:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("SITREP_", "SLACK_"))}
        env.update(
            SITREP_DB=str(db), SITREP_FEEDS=str(write_feeds(tmp_path / "feeds.toml", server.url)),
            SITREP_CONFIG_DIR=str(short_lease_config(tmp_path)),
            SITREP_ALLOW_PRIVATE_ADDRESSES="1",
            SLACK_BOT_TOKEN="xoxb-test", SLACK_API_URL=slack.api_url,
        )
        now = f"{NOW}@{time.time()}"  # one clock for both processes
        crashing = _worker(tmp_path, env, now, crash_at)
        _out, err = crashing.communicate(timeout=60)
        assert crashing.returncode == -signal.SIGKILL, err
        assert len(slack.messages) == posted_before_restart
        states = {d.channel: d.state for d in store.deliveries(kind="briefing")}
        assert set(states) == {"C1", "C2"}  # both slots were recorded before the crash
        assert POSTING in states.values() or crash_at == "after-record"
        assert store.story_count() > 0  # it had polled the feeds first

        restarted = _worker(tmp_path, env, now)
        try:
            _wait_until(lambda: all(d.state == POSTED for d in store.deliveries(kind="briefing")))
            time.sleep(0.3)  # room for a wrong second post to show up
        finally:
            restarted.send_signal(signal.SIGTERM)
            _out, log = restarted.communicate(timeout=20)

    assert sorted(m["channel"] for m in slack.messages) == ["C1", "C2"]
    keys = [m["metadata"]["event_payload"]["key"] for m in slack.messages]
    assert sorted(keys) == ["briefing:C1:2024-03-10T08:00:00+00:00",
                            "briefing:C2:2024-03-10T08:00:00+00:00"]
    # the briefing covers the stories the crashed worker polled
    assert f"{store.story_count()} stories from 3 of 3 sources" in str(slack.posts()[-1].params)
    # the worker says what it did at its default log level
    assert "INFO bot.worker.jobs: polled: ok 3, failed 0" in log
    assert "INFO bot.worker.outbox: posted briefing briefing:C1:" in log or crash_at == "after-post"
    store.close()
