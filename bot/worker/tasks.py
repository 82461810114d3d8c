"""The worker's jobs as Procrastinate tasks, for any number of workers on one PostgreSQL database.

Jobs, and what keeps each guarantee:

- `tick`, periodic every minute (deferred once per minute however many workers run: the
  periodic deferrer's unique (task, periodic id, timestamp)). It records the briefings that are
  due and defers one `deliver` job per open delivery, one `poll_feed` job per feed due, an
  `extract_story` job per story whose extraction job was lost, and an `alerts` job.
- `poll_feed(source_id, at)`: the queueing lock `poll:<source>` keeps one waiting per feed, and
  `Store.claim_poll` (a compare-and-set) lets exactly one job poll the feed per interval, even
  a retried or duplicated one. The new stories are stored unextracted, one `extract_story` job
  each: extraction scales with the number of workers.
- `extract_story(story_id)`, then `alerts`: alert windows end at `Store.settled_mark`, below
  which every story is extracted or failed, so an alert never reads a story still pending.
  `alerts` jobs hold the lock `alerts` (never two at once: one window, one alert) and the
  queueing lock `alerts` (one waiting).
- `deliver(key)`: queueing lock the delivery key, lock the channel (a channel's messages in
  order: an alert thread's parent first). The outbox's claims (bot/worker/outbox.py) stay the
  guard against a double post; a delivery held by a dead worker is retried when its lease ends.
- `retry_stalled`, periodic: the `doing` jobs of workers whose heartbeat stopped (SIGKILL, a
  lost machine) go back to `todo` for another worker.

A SIGTERM stops fetching jobs; the running one finishes (`QueueTiming.graceful_seconds`), then
the worker unregisters. A job aborted by the shutdown is retried at once by another worker.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from procrastinate import App, JobContext, PsycopgConnector, RetryDecision
from procrastinate.exceptions import AlreadyEnqueued, JobAborted, UniqueViolation
from procrastinate.jobs import Job, Status
from procrastinate.retry import BaseRetryStrategy

from bot.worker.jobs import Worker
from bot.worker.queue import DEFAULT_TIMING, QueueTiming
from briefings.models import FeedSpec
from briefings.poll import Extracts, extract_stories, poll_feed
from briefings.store import OPEN_STATES, source_id

__all__ = ["QUEUE", "Held", "QueueRuntime", "build_app", "run_queue_worker"]

logger = logging.getLogger(__name__)

QUEUE = "sitrep"
TICK, POLL, EXTRACT, ALERTS, DELIVER, RETRY_STALLED = (
    "sitrep.tick", "sitrep.poll_feed", "sitrep.extract_story", "sitrep.alerts",
    "sitrep.deliver", "sitrep.retry_stalled",
)
# Higher runs first: stalled jobs and posts before the minute's bookkeeping, polls before
# the extraction backlog they create.
PRIORITY = {RETRY_STALLED: 30, DELIVER: 20, TICK: 10, ALERTS: 10, POLL: 0, EXTRACT: -10}
MAX_ATTEMPTS = 5  # a job failing with an error is tried this many times in all


class Held(Exception):
    """Another worker holds the delivery's claim until `seconds` from now: try again then."""

    def __init__(self, key: str, seconds: float) -> None:
        super().__init__(f"delivery {key} is held by another worker for {seconds:.0f} s")
        self.seconds = seconds


class _Retry(BaseRetryStrategy):
    """A held delivery when its claim lapses; a job cut short by a worker's shutdown at once
    (by another worker); any other error a few times, a little later each time."""

    def get_retry_decision(self, *, exception: BaseException, job: Job) -> RetryDecision | None:
        if isinstance(exception, Held):
            return RetryDecision(retry_in={"seconds": max(exception.seconds, 0) + 1})
        if isinstance(exception, (JobAborted, asyncio.CancelledError)):
            return RetryDecision(retry_in={"seconds": 0})
        if job.attempts + 1 >= MAX_ATTEMPTS:
            return None
        return RetryDecision(retry_in={"seconds": 5 * (job.attempts + 1)})


@dataclass(frozen=True, slots=True)
class Deferral:
    """A job to defer: the task's name, its arguments and its locks."""

    task: str
    kwargs: dict[str, Any] = field(default_factory=dict)
    queueing_lock: str | None = None
    lock: str | None = None


def _alerts() -> Deferral:
    return Deferral(ALERTS, queueing_lock="alerts", lock="alerts")


def _delivery(key: str, channel: str) -> Deferral:
    return Deferral(DELIVER, {"key": key}, queueing_lock=f"deliver:{key}",
                    lock=f"channel:{channel}")


def _extraction(story_id: str) -> Deferral:
    return Deferral(EXTRACT, {"story_id": story_id}, queueing_lock=f"extract:{story_id}")


class QueueRuntime:
    """What this worker process's jobs run with: one `Worker` (settings, store, deliverer,
    clock), its feeds, and its extractor, loaded once per process. Every method touches the
    store from one job at a time (the worker runs one job at a time)."""

    def __init__(self, worker: Worker, *, extractor: Extracts | None,
                 timing: QueueTiming = DEFAULT_TIMING) -> None:
        self.worker = worker
        self.store = worker.store
        self.clock = worker.clock
        self.extractor = extractor
        self.timing = timing
        self.feeds: dict[str, FeedSpec] = {source_id(feed): feed for feed in worker.feeds}
        self.interval = timedelta(minutes=max(worker.settings.poll_interval_minutes, 1))

    # --- each job's blocking part, run in a thread -------------------------------------------

    def tick(self) -> list[Deferral]:
        """The minute's work: due briefings recorded; polls, lost extractions, alerts and open
        deliveries to defer."""
        now = self.clock()
        at = now.replace(second=0, microsecond=0)
        pending = self.extractor is not None and bool(
            self.store.stories_pending_extraction(now - self.timing.briefing_waits, limit=1))
        self.worker.record_due_briefings(
            now, hold=self.timing.briefing_waits if pending else timedelta(0))
        self.worker.charts.post_ready()
        deferrals = [Deferral(POLL, {"source_id": sid, "at": at.isoformat()},
                              queueing_lock=f"poll:{sid}")
                     for sid in self.store.polls_due(list(self.feeds), at, self.interval)]
        if self.extractor is not None:
            since = now - self.timing.extraction_horizon
            lost = now - self.timing.extraction_lost
            deferrals += [_extraction(sid) for sid in self.store.stories_pending_extraction(since)
                          if self._fetched_before(sid, lost)]
        if self.store.alert_subscriptions():
            deferrals.append(_alerts())
        return deferrals + self.open_deliveries()

    def _fetched_before(self, story_id: str, when: datetime) -> bool:
        story = self.store.get_story(story_id)
        return story is not None and story.fetched < when

    def open_deliveries(self) -> list[Deferral]:
        return [_delivery(d.key, d.channel) for d in self.store.open_deliveries()]

    def claim_poll(self, sid: str, at: datetime) -> FeedSpec | None:
        """The feed to poll now, or None when it is unknown here or polled in this interval."""
        feed = self.feeds.get(sid)
        if feed is None:
            logger.warning("poll of source %s skipped: not in this worker's feeds file", sid)
            return None
        if not self.store.claim_poll(sid, at, self.interval):
            logger.info("poll of %s skipped: already polled in the interval from %s",
                        feed.name, at.isoformat())
            return None
        return feed

    def extract(self, story_id: str) -> list[Deferral]:
        if self.extractor is None:
            return [_alerts()]
        counts = extract_stories(self.store, self.extractor, [story_id], self.clock())
        if story_id in counts:
            found = counts[story_id]
            logger.info("extracted story %s: figures %d, quotes %d%s", story_id, found.figures,
                        found.quotes, f", failed: {found.error}" if found.error else "")
        return [_alerts()]

    def alerts(self) -> list[Deferral]:
        now = self.clock()
        upto = (self.store.settled_mark(now - self.timing.extraction_horizon)
                if self.extractor is not None else None)
        self.worker.record_alerts(now, upto)
        return self.open_deliveries()

    def deliver(self, key: str) -> None:
        """Post one open delivery; raise Held when another worker holds its claim."""
        delivery = self.store.delivery(key)
        if delivery is None or delivery.state not in OPEN_STATES:
            return
        state = self.worker.deliverer.deliver(delivery)
        if state in OPEN_STATES:
            until = self.store.claimed_until(key)
            now = self.clock()
            if until is not None and until > now:
                raise Held(key, (until - now).total_seconds())
        self.worker.charts.post_ready()


def _runtime(context: JobContext) -> QueueRuntime:
    return context.additional_context["sitrep"]


async def defer(app: App, deferrals: Iterable[Deferral]) -> int:
    """Defer jobs, skipping those already waiting under their queueing lock; how many were."""
    count = 0
    for job in deferrals:
        options: dict[str, Any] = {"priority": PRIORITY[job.task]}
        if job.queueing_lock:
            options["queueing_lock"] = job.queueing_lock
        if job.lock:
            options["lock"] = job.lock
        try:
            await app.configure_task(job.task, **options).defer_async(**job.kwargs)
        except AlreadyEnqueued:
            continue
        count += 1
    return count


# --- the tasks ------------------------------------------------------------------------------

async def tick(context: JobContext, timestamp: int) -> None:
    runtime = _runtime(context)
    await defer(context.app, await asyncio.to_thread(runtime.tick))


async def poll_one(context: JobContext, source_id: str, at: str) -> None:
    runtime = _runtime(context)
    feed = await asyncio.to_thread(runtime.claim_poll, source_id, datetime.fromisoformat(at))
    if feed is None:
        return
    # on this loop, as `sitrep poll` does: the store is used by this one job meanwhile
    polled = await poll_feed(runtime.worker.settings, feed, runtime.store, clock=runtime.clock)
    result = polled.result
    logger.info("polled %s: %s; new stories %d", feed.name,
                "ok" if result.ok else f"failed ({result.error})", len(polled.new_story_ids))
    if not polled.new_story_ids:
        return
    if runtime.extractor is None:
        await defer(context.app, [_alerts()])
    else:
        await defer(context.app, [_extraction(sid) for sid in polled.new_story_ids])


async def extract_story(context: JobContext, story_id: str) -> None:
    runtime = _runtime(context)
    await defer(context.app, await asyncio.to_thread(runtime.extract, story_id))


async def alerts(context: JobContext) -> None:
    runtime = _runtime(context)
    await defer(context.app, await asyncio.to_thread(runtime.alerts))


async def deliver(context: JobContext, key: str) -> None:
    await asyncio.to_thread(_runtime(context).deliver, key)


async def retry_stalled(context: JobContext, timestamp: int) -> None:
    """Give the jobs of workers whose heartbeat stopped to the others."""
    runtime = _runtime(context)
    manager = context.app.job_manager
    stalled = await manager.get_stalled_jobs(
        seconds_since_heartbeat=runtime.timing.stalled_after_seconds)
    for job in stalled:
        try:
            await manager.retry_job(job)
        except UniqueViolation:
            # the same work is already waiting under the job's queueing lock (the tick deferred
            # it again): end this copy, which also frees its lock for the waiting one
            logger.warning("job %s (%s) of a worker that stopped answering is already waiting "
                           "again; this copy is dropped", job.id, job.call_string)
            await manager.finish_job(job, status=Status.FAILED, delete_job=False)
            continue
        logger.warning("retrying job %s (%s) of a worker that stopped answering", job.id,
                       job.call_string)


def build_app(url: str, timing: QueueTiming = DEFAULT_TIMING) -> App:
    """The Procrastinate app on database `url`, with Sitrep's tasks and periodic jobs."""
    app = App(connector=PsycopgConnector(conninfo=url, min_size=1, max_size=4))
    retry = _Retry()
    for name, func in ((TICK, tick), (POLL, poll_one), (EXTRACT, extract_story),
                       (ALERTS, alerts), (DELIVER, deliver), (RETRY_STALLED, retry_stalled)):
        task = app.task(name=name, queue=QUEUE, pass_context=True, retry=retry,
                        priority=PRIORITY[name])(func)
        if name == TICK:
            app.periodic(cron=timing.tick_cron, periodic_id="tick")(task)
        elif name == RETRY_STALLED:
            app.periodic(cron=timing.stalled_check_cron, periodic_id="stalled")(task)
    return app


async def run_queue_worker(
    url: str, runtime: QueueRuntime, *, name: str = "sitrep",
    on_stop: Callable[[], None] | None = None,
    signals: Sequence[signal.Signals] = (signal.SIGTERM, signal.SIGINT),
) -> None:
    """Work the queue until SIGTERM/SIGINT: the running job finishes (or, past the graceful
    timeout, is aborted and retried elsewhere), then the worker unregisters."""
    timing = runtime.timing
    app = build_app(url, timing)
    loop = asyncio.get_running_loop()
    async with app.open_async():
        work = asyncio.create_task(app.run_worker_async(
            queues=[QUEUE], name=name, concurrency=1, install_signal_handlers=False,
            additional_context={"sitrep": runtime},
            update_heartbeat_interval=timing.heartbeat_seconds,
            stalled_worker_timeout=timing.stalled_after_seconds,
            shutdown_graceful_timeout=timing.graceful_seconds,
            fetch_job_polling_interval=timing.fetch_polling_seconds,
            abort_job_polling_interval=timing.fetch_polling_seconds,
        ))

        def stop() -> None:
            logger.info("stopping: finishing the running job, taking no new one")
            if on_stop is not None:
                on_stop()
            work.cancel()

        for signum in signals:
            loop.add_signal_handler(signum, stop)
        try:
            await work
        except asyncio.CancelledError:
            if not work.cancelled() and not work.done():
                raise
        finally:
            for signum in signals:
                loop.remove_signal_handler(signum)
