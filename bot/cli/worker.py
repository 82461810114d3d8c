"""`sitrep worker` and `sitrep digest`: thin commands over bot/worker/jobs.py and
bot/worker/outbox.py. Both read the time from the context's clock."""

from __future__ import annotations

import json
import logging
import signal

import click

from bot.cli.deliver import build_deliverer
from bot.context import Context
from bot.render.briefing import briefing_message
from bot.render.terminal import briefing_text
from bot.worker import queue
from bot.worker.jobs import Worker, record_briefing
from bot.worker.outbox import Deliverer
from bot.worker.scheduler import build_scheduler
from briefings.compose import compose_briefing
from briefings.database_url import without_password
from briefings.errors import ExtractionError, SitrepError
from briefings.feeds import load_feeds
from briefings.poll import Extracts
from briefings.schedule import channel_zone
from briefings.store import POSTED

logger = logging.getLogger(__name__)


@click.command()
@click.option("--no-extract", is_flag=True, help="Store stories without extracting figures.")
@click.pass_obj
def worker(context: Context, no_extract: bool) -> None:
    """Run the worker: polling, extraction, alerts and daily briefings. On SQLite it runs its
    own scheduler; on PostgreSQL it works the shared job queue, beside any number of others."""
    settings = context.settings
    # the worker reports what it does: a line per poll, per briefing and per alert
    level = min(logging.getLogger().level or logging.INFO, logging.INFO)  # DEBUG stays DEBUG
    for name in ("bot", "briefings"):
        logging.getLogger(name).setLevel(level)
    url = queue.queue_url(settings)  # looked up on the module: the test entry point sets it
    deliverer = build_deliverer(context)
    feeds = load_feeds(settings.feeds_path)
    for problem in feeds.problems:
        click.echo(f"skipped {problem}", err=True)
    extractor = None
    if not no_extract:
        try:
            extractor = context.extractor()
        except (ImportError, ExtractionError) as exc:
            # Stories are still stored; `sitrep reextract` fills in their figures later.
            logger.error("extraction unavailable, polling without it: %s", exc)
    job = Worker(settings, context.store, context.topics, deliverer, clock=context.clock,
                 feeds=feeds.feeds, extractor=extractor)
    if url is not None:
        _work_the_queue(url, job, deliverer, extractor)
        return
    scheduler = build_scheduler(job)

    def stop(*_: object) -> None:
        # a rolling deploy's SIGTERM: what is held is finished (the job thread completes its
        # post and releases its claim), nothing new is claimed
        deliverer.stopping = True
        scheduler.shutdown(wait=False)

    signal.signal(signal.SIGTERM, stop)
    click.echo(f"sitrep worker: {len(feeds.feeds)} feeds every {settings.poll_interval_minutes} "
               f"min; briefings checked every minute (Ctrl-C to stop)", err=True)
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        scheduler.shutdown(wait=False)


def _work_the_queue(url: str, job: Worker, deliverer: Deliverer,
                    extractor: Extracts | None) -> None:
    """`sitrep worker` on PostgreSQL: one Procrastinate worker on the shared job queue."""
    import asyncio

    import psycopg

    from bot.worker.tasks import QueueRuntime, run_queue_worker

    try:
        if "not set up" in queue.queue_health(job.settings, url=url):
            raise SitrepError("the job queue is not set up in this database — run "
                              "`sitrep migrate` first")
        if extractor is not None:
            extractor.extract_many(["Warm-up."])  # load the model before taking jobs
        job.store.register_sources(job.feeds)
        runtime = QueueRuntime(job, extractor=extractor, timing=queue.DEFAULT_TIMING)

        def stopping() -> None:
            deliverer.stopping = True

        click.echo(f"sitrep worker: on the job queue at {without_password(url)}; "
                   f"{len(job.feeds)} feeds every {job.settings.poll_interval_minutes} min "
                   f"(SIGTERM or Ctrl-C to stop)", err=True)
        asyncio.run(run_queue_worker(url, runtime, name=deliverer.owner, on_stop=stopping))
    except psycopg.OperationalError as exc:
        raise SitrepError(f"cannot reach the job queue's database: {exc}") from exc
    click.echo("sitrep worker: stopped", err=True)


@click.command()
@click.option("--channel", help="Channel ID whose briefing to build (with its topics).")
@click.option("--dry-run", is_flag=True, help="Print the briefing instead of posting it.")
@click.option("--json", "as_json", is_flag=True,
              help='Print the Slack message that is (or would be) posted: {"text", "blocks"}.')
@click.pass_obj
def digest(context: Context, channel: str | None, dry_run: bool, as_json: bool) -> None:
    """Build the briefing now and, unless --dry-run, post it to --channel."""
    store, settings = context.store, context.settings
    now = context.clock()
    tz = channel_zone(store.channel(channel) if channel else None, settings.briefing_timezone)
    if not dry_run and not channel:
        raise click.UsageError("--channel is needed to post the briefing (or use --dry-run)")
    briefing = compose_briefing(store, context.topics, channel=channel, now=now, since=None)
    if as_json:
        message = briefing_message(briefing, tz)
        click.echo(json.dumps({"text": message.text, "blocks": message.blocks}, indent=2,
                              ensure_ascii=False))
    elif dry_run:
        click.echo(briefing_text(briefing, tz))
    if dry_run:
        return
    deliverer = build_deliverer(context)
    key = f"briefing:{channel}:manual:{now.isoformat()}"
    record_briefing(store, briefing, channel=channel, tz=tz, key=key, now=now)
    delivery = store.delivery(key)
    state = deliverer.deliver(delivery) if delivery else "missing"
    if state != POSTED:
        delivery = store.delivery(key)
        error = delivery.error if delivery else state
        raise SitrepError(f"the briefing was not posted to {channel}: {error} — "
                          "`sitrep sources` shows the channel's state")
    if not as_json:
        click.echo(f"posted the briefing to {channel}")
