"""`sitrep migrate`: bring the database up to date before the processes start."""

from __future__ import annotations

import time

import click

from bot.context import Context
from bot.worker import queue


@click.command()
@click.pass_obj
def migrate(context: Context) -> None:
    """Upgrade the database: apply its migrations, recompute figures' series and classify
    stories by conflict when the rules, aliases or conflicts changed; on PostgreSQL, also set up
    the workers' job queue (once). Run it once after an upgrade, before `serve` and `worker`,
    so neither pays for it when it starts."""
    started = time.perf_counter()
    url = queue.queue_url(context.settings)  # looked up on the module: tests may set it
    queue_line = None
    if url is not None:
        import psycopg

        try:
            created = queue.apply_queue_schema(url)
        except psycopg.Error as exc:
            raise click.ClickException(f"cannot set up the job queue: {exc}") from exc
        queue_line = "job queue set up" if created else "job queue already set up"
    store = context.store
    took = time.perf_counter() - started
    click.echo(f"{store.location}: schema {store.schema_version()}; "
               f"{store.refreshed['series']} figures' series recomputed, "
               f"{store.refreshed['stories']} stories classified again ({took:.1f} s)")
    if queue_line:
        click.echo(queue_line)
