"""Workers on several machines: when SITREP_DB is a PostgreSQL URL, `sitrep worker` runs a
Procrastinate worker on the same database, and any number of them share the work.

This module is what the rest of Sitrep needs of the queue without importing Procrastinate: the
queue's URL, its timing, `sitrep migrate`'s schema step, and `queue_health` for /healthz. The
tasks themselves are in bot/worker/tasks.py.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from briefings.database_url import is_server_url, without_password
from briefings.settings import Settings

__all__ = ["DEFAULT_TIMING", "QueueTiming", "apply_queue_schema", "queue_health", "queue_url"]

logger = logging.getLogger(__name__)

# Only one `sitrep migrate` applies the schema at a time (any number may run at once).
_SCHEMA_LOCK = 0x5175_6575  # an arbitrary key for pg_advisory_xact_lock


@dataclass(frozen=True, slots=True)
class QueueTiming:
    """How fast the queue notices things. A killed worker's job is retried once its heartbeat
    is `stalled_after_seconds` old, by the stalled-job check that runs on `stalled_check_cron`."""

    tick_cron: str = "* * * * *"  # the tick: briefings due, polls due, open deliveries
    heartbeat_seconds: float = 10.0
    stalled_after_seconds: float = 30.0
    stalled_check_cron: str = "* * * * *"  # five fields; a sixth one counts seconds
    graceful_seconds: float = 120.0  # how long a SIGTERMed worker lets its job finish
    fetch_polling_seconds: float = 5.0  # LISTEN/NOTIFY wakes workers sooner
    # A story still unextracted this long after it was fetched no longer holds alerts back
    # (its job was lost; the minute tick also defers it again after `extraction_lost`).
    extraction_horizon: timedelta = timedelta(hours=1)
    extraction_lost: timedelta = timedelta(minutes=2)
    # How long past its slot a briefing waits for the extraction of stories already fetched.
    briefing_waits: timedelta = timedelta(minutes=5)


DEFAULT_TIMING = QueueTiming()


def queue_url(settings: Settings) -> str | None:
    """The PostgreSQL database the job queue lives in (the store's), or None on SQLite."""
    location = settings.db_path
    return location if is_server_url(location) and isinstance(location, str) else None


def _has_queue(conn) -> bool:  # conn: psycopg.Connection
    row = conn.execute("select to_regclass('procrastinate_jobs')").fetchone()
    return row is not None and row[0] is not None


def apply_queue_schema(url: str) -> bool:
    """Create Procrastinate's tables, functions and types in the database unless they are
    there; True when it created them."""
    import psycopg
    from procrastinate.schema import SchemaManager

    with psycopg.connect(url) as conn, conn.transaction():
        conn.execute("select pg_advisory_xact_lock(%s)", [_SCHEMA_LOCK])
        if _has_queue(conn):
            return False
        conn.execute(SchemaManager.get_schema())  # no parameters: one multi-statement script
    logger.info("job queue schema applied to %s", without_password(url))
    return True


def queue_health(settings: Settings, *, url: str | None = None,
                 timing: QueueTiming | None = None, timeout: float = 3.0) -> str:
    """The job queue in one line for /healthz: "ok: 3 workers, 12 jobs waiting", "no worker:
    …", "not set up: …", "unreachable: …", or "not used: …" on SQLite."""
    import psycopg

    url = url or queue_url(settings)
    if url is None:
        return "not used: on SQLite `sitrep worker` runs its own scheduler"
    alive = (timing or DEFAULT_TIMING).stalled_after_seconds
    try:
        with psycopg.connect(url, connect_timeout=max(int(timeout), 1), autocommit=True) as conn:
            if not _has_queue(conn):
                return "not set up: run `sitrep migrate`"
            workers = conn.execute(
                "select count(*) from procrastinate_workers "
                "where last_heartbeat > now() - make_interval(secs => %s)", [alive],
            ).fetchone()[0]
            waiting = conn.execute(
                "select count(*) from procrastinate_jobs where status = 'todo' "
                "and (scheduled_at is null or scheduled_at <= now())"
            ).fetchone()[0]
    except psycopg.Error as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return f"unreachable: {reason}"
    counts = f"{_plural(workers, 'worker')}, {_plural(waiting, 'job')} waiting"
    return f"ok: {counts}" if workers else f"no worker: {counts}"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"
