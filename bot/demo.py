"""`sitrep demo`: the real fetch path against the bundled samples, served on 127.0.0.1."""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

import click

from bot.context import Context, utc_now
from bot.textviews import sources_table, story_line
from briefings.fileserver import FileServer
from briefings.models import FeedSpec
from briefings.poll import poll_once
from briefings.samples import PLACEHOLDER, SAMPLE_FEEDS, SAMPLES_DIR
from briefings.store import Store


def run_demo(context: Context, db_path: Path | None) -> None:
    if db_path is None:
        db_path = Path(tempfile.mkdtemp(prefix="sitrep-demo-")) / "demo.db"
    elif db_path.exists():
        raise click.UsageError(f"{db_path} exists — the demo writes a fresh database: give a new "
                               "path or leave out --db")
    settings = context.settings.replace(db_path=db_path, allow_private_addresses=True)
    store = Store(db_path)
    with FileServer(SAMPLES_DIR, PLACEHOLDER) as server:
        feeds = [FeedSpec(name, server.url + path, outlet) for name, path, outlet in SAMPLE_FEEDS]
        click.echo(f"Serving {len(feeds)} sample feeds at {server.url}; database {db_path}")
        summary = asyncio.run(
            poll_once(settings, feeds, store, clock=utc_now, extractor=context.extractor())
        )
    click.echo(f"feeds ok {summary.ok}, failed {summary.failed}; new stories "
               f"{summary.new_stories}, figures {summary.figures}, quotes {summary.quotes}\n")
    click.echo(sources_table(store.source_health(), now=utc_now()))
    click.echo("\nStored stories about Mariupol:")
    for story in store.stories(limit=50):
        if "mariupol" not in (story.title + story.text).lower():
            continue
        also = [s.outlet for s in store.cluster_members(story.cluster_id) if s.id != story.id]
        click.echo(story_line(story, also))
    from bot.briefing_text import demo_briefing

    click.echo("\n" + demo_briefing(store, context.topics, utc_now()))
    from bot.blocks import as_text
    from bot.commands import Reply, answer, parse

    reply = Reply(store, context.topics, settings, utc_now())
    click.echo("\n$ /conflict latest Mariupol\n" + as_text(answer(parse("latest Mariupol"), reply)))
