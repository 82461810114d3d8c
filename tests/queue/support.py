"""Real `sitrep worker` processes on the job queue, each in its own process group."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from briefings.samples import SAMPLE_FEEDS
from tests.worker.support import ROOT, short_lease_config, write_feeds

NOW = "2024-03-10T08:00:05+00:00"


def feed_paths() -> list[str]:
    return ["/" + feed_path for _name, feed_path, _outlet in SAMPLE_FEEDS]


def environment(tmp_path: Path, db: Path | str, feeds_url: str, slack_api_url: str
                ) -> dict[str, str]:
    """The workers' environment: the store at `db`, the corpus' feeds, the fake Slack."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SITREP_", "SLACK_"))}
    env.update(
        SITREP_DB=str(db), SITREP_FEEDS=str(write_feeds(tmp_path / "feeds.toml", feeds_url)),
        SITREP_CONFIG_DIR=str(short_lease_config(tmp_path)),
        SITREP_ALLOW_PRIVATE_ADDRESSES="1", SLACK_BOT_TOKEN="xoxb-test",
        SLACK_API_URL=slack_api_url, PYTHONPATH=str(ROOT),
    )
    return env


class Process:
    """A `sitrep …` process through the test entry point, logging to a file."""

    def __init__(self, tmp_path: Path, env: dict[str, str], now: str, args: list[str], *,
                 queue_db: str | None = None, options: list[str] = (),
                 name: str = "worker") -> None:
        self.log_path = tmp_path / f"{name}.log"
        queue = ["--queue-db", queue_db] if queue_db else []
        with self.log_path.open("w") as log:
            self.popen = subprocess.Popen(
                [sys.executable, "-m", "tests.support.sitrep_process", "--now", now,
                 "--fast-queue", *queue, *options, "--", *args],
                cwd=tmp_path, env=env, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    @property
    def pid(self) -> int:
        return self.popen.pid

    @property
    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def wait(self, timeout: float = 60) -> int:
        return self.popen.wait(timeout=timeout)

    def terminate(self, timeout: float = 40) -> int:
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGTERM)
        return self.wait(timeout)

    def kill(self) -> None:
        if self.popen.poll() is None:
            os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait(10)


def wait_until(condition: Callable[[], object], timeout: float = 60.0, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what or condition}")
