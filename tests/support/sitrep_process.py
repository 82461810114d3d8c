"""A test entry point for real `sitrep` processes: the product's own command line, started with
a clock of the test's choosing and, on request, a SIGKILL at one point of its first delivery.

    python -m tests.support.sitrep_process --now 2024-03-10T08:00:05+00:00@<epoch> \\
        [--crash after-record|before-post|after-post] -- worker --no-extract

`--now ISO[@EPOCH]`: the clock reads ISO at real Unix time EPOCH (default: now) and runs at real
speed, so several processes started one after another share one clock. The crash points:
"after-record" (row pending), "before-post" (row posting, nothing sent), "after-post" (sent, row
still posting). Nothing here is part of the product; the product reads no test variable.
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--now", required=True, help="ISO datetime with offset, optionally @EPOCH")
    parser.add_argument("--crash", choices=CRASH_POINTS)
    parser.add_argument("args", nargs=argparse.REMAINDER, help="-- then sitrep's arguments")
    options = parser.parse_args()
    args = options.args[1:] if options.args[:1] == ["--"] else options.args

    import bot.cli.deliver
    from bot.cli import main as sitrep
    from bot.context import build_context

    if options.crash:
        bot.cli.deliver.Deliverer = crashing_deliverer(options.crash)
    context = build_context()
    context.clock = anchored_clock(options.now)
    sitrep(args, obj=context, prog_name="sitrep")


if __name__ == "__main__":
    main()
