"""`sitrep migrate`: bring the database up to date before the processes start."""

from __future__ import annotations

import time

import click

from bot.context import Context


@click.command()
@click.pass_obj
def migrate(context: Context) -> None:
    """Upgrade the database: apply its migrations, recompute figures' series and classify
    stories by conflict when the rules, aliases or conflicts changed. Run it once after an
    upgrade, before `serve` and `worker`, so neither pays for it when it starts."""
    started = time.perf_counter()
    store = context.store
    took = time.perf_counter() - started
    click.echo(f"{context.settings.db_path}: schema {store.schema_version()}; "
               f"{store.refreshed['series']} figures' series recomputed, "
               f"{store.refreshed['stories']} stories classified again ({took:.1f} s)")
