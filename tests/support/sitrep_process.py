"""A test entry point for real `sitrep` processes: the product's own command line, started with
a clock of the test's choosing and, on request, a SIGKILL at one point of its first delivery.

    python -m tests.support.sitrep_process --now 2024-03-10T08:00:05+00:00@<epoch> \\
        [--crash after-record|before-post|after-post] -- worker --no-extract

`--now ISO[@EPOCH]`: the clock reads ISO at real Unix time EPOCH (default: now) and runs at real
speed, so several processes started one after another share one clock. The crash points:
"after-record" (row pending), "before-post" (row posting, nothing sent), "after-post" (sent, row
still posting). Nothing here is part of the product; the product reads no test variable.

For workers on the job queue (bot/worker/queue.py): `--queue-db URL` puts the queue in that
PostgreSQL database whatever SITREP_DB is (the store may stay on SQLite); `--fast-queue` makes
its clocks test-sized (a tick every 2 s, heartbeats every 0.5 s, a worker silent for 2 s is
dead, stalled jobs checked every second); `--announce-posts DIR` writes `DIR/<pid>` just before
each chat.postMessage, so a test can signal a worker while its post is in flight.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import time
from collections.abc import Callable
from datetime import datetime, timedelta

CRASH_POINTS = ("after-record", "before-post", "after-post")


def anchored_clock(spec: str) -> Callable[[], datetime]:
    """`ISO[@EPOCH]` → a clock that read ISO at EPOCH and ticks in real time."""
    start, _, anchor = spec.partition("@")
    origin = datetime.fromisoformat(start)
    if origin.tzinfo is None:
        raise SystemExit("--now needs a UTC offset")
    began = float(anchor) if anchor else time.time()
    return lambda: origin + timedelta(seconds=time.time() - began)


def crashing_deliverer(point: str):
    """A Deliverer that SIGKILLs its own process at `point` of the first delivery it posts."""
    from bot.worker.outbox import Deliverer
    from briefings.store import OPEN_STATES

    def die() -> None:
        logging.getLogger(__name__).warning("test entry point: crashing at %s", point)
        os.kill(os.getpid(), signal.SIGKILL)

    class CrashingDeliverer(Deliverer):
        def _deliver(self, delivery):
            if point == "after-record" and delivery.state in OPEN_STATES:
                die()
            return super()._deliver(delivery)

        def _post(self, delivery, thread_ts):
            if point == "before-post":
                die()
            ts = super()._post(delivery, thread_ts)
            if point == "after-post":
                die()
            return ts

    return CrashingDeliverer


def announcing_deliverer(directory: str, base=None):
    """A Deliverer that writes `<directory>/<pid>` (the delivery's key) before each post."""
    from pathlib import Path

    from bot.worker.outbox import Deliverer

    class AnnouncingDeliverer(base or Deliverer):
        def _post(self, delivery, thread_ts):
            Path(directory, str(os.getpid())).write_text(delivery.key, encoding="utf-8")
            return super()._post(delivery, thread_ts)

    return AnnouncingDeliverer


def configure_queue(url: str | None, *, fast: bool) -> None:
    """Point the job queue at `url` (when given); with `fast`, shrink its clocks to test size."""
    from datetime import timedelta

    import bot.worker.queue as queue

    if url:
        queue.queue_url = lambda settings: url
    if not fast:
        return
    queue.DEFAULT_TIMING = queue.QueueTiming(
        tick_cron="* * * * * */2", heartbeat_seconds=0.5, stalled_after_seconds=2.0,
        stalled_check_cron="* * * * * *", graceful_seconds=30.0, fetch_polling_seconds=0.5,
        briefing_waits=timedelta(minutes=5),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--now", required=True, help="ISO datetime with offset, optionally @EPOCH")
    parser.add_argument("--crash", choices=CRASH_POINTS)
    parser.add_argument("--queue-db", help="PostgreSQL URL of the job queue")
    parser.add_argument("--fast-queue", action="store_true", help="test-sized queue clocks")
    parser.add_argument("--announce-posts", metavar="DIR")
    parser.add_argument("args", nargs=argparse.REMAINDER, help="-- then sitrep's arguments")
    options = parser.parse_args()
    args = options.args[1:] if options.args[:1] == ["--"] else options.args

    import bot.cli.deliver
    from bot.cli import main as sitrep
    from bot.context import build_context

    if options.crash:
        bot.cli.deliver.Deliverer = crashing_deliverer(options.crash)
    if options.announce_posts:
        bot.cli.deliver.Deliverer = announcing_deliverer(
            options.announce_posts, bot.cli.deliver.Deliverer)
    if options.queue_db or options.fast_queue:
        configure_queue(options.queue_db, fast=options.fast_queue)
    context = build_context()
    context.clock = anchored_clock(options.now)
    sitrep(args, obj=context, prog_name="sitrep")


if __name__ == "__main__":
    main()
