"""When the worker's jobs run: APScheduler with one thread, so jobs never overlap."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.interval import IntervalTrigger

from bot.worker.jobs import Worker

__all__ = ["build_scheduler"]


def build_scheduler(
    worker: Worker, *, blocking: bool = True, start: datetime | None = None
) -> BaseScheduler:
    """APScheduler with the poll job on the interval and the briefing tick every minute.

    One worker thread: jobs never overlap. A poll starts at once, the first tick right after it.
    """
    scheduler_class = BlockingScheduler if blocking else BackgroundScheduler
    scheduler = scheduler_class(
        executors={"default": ThreadPoolExecutor(max_workers=1)},
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 600},
        timezone=UTC,
    )
    first = start or datetime.now(UTC)
    interval = max(worker.settings.poll_interval_minutes, 1)
    if worker.feeds:
        scheduler.add_job(worker.poll, IntervalTrigger(minutes=interval), id="poll",
                          name="poll feeds", next_run_time=first)
    scheduler.add_job(worker.tick, IntervalTrigger(minutes=1), id="briefings",
                      name="briefings and open deliveries",
                      next_run_time=first + timedelta(milliseconds=200))
    return scheduler
