"""`sitrep demo`: the real fetch path against the bundled samples, served on 127.0.0.1."""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

import click

from bot.commands import Reply, answer, parse
from bot.context import Context
from bot.render.blocks import as_text
from bot.render.terminal import briefing_text, sources_table, story_line
from briefings.compose import compose_briefing, story_about
from briefings.fileserver import FileServer
from briefings.models import FeedSpec
from briefings.poll import poll_once
from briefings.samples import PLACEHOLDER, SAMPLE_FEEDS, SAMPLES_DIR
from briefings.store import Store

DEMO_CHANNEL = "#demo"
DEMO_TOPIC = "Mariupol"


def run_demo(context: Context, db_path: Path | None) -> None:
    fresh = db_path is None  # the chart goes to this directory, else next to --db
    if db_path is None:
        db_path = Path(tempfile.mkdtemp(prefix="sitrep-demo-")) / "demo.db"
    elif db_path.exists():
        raise click.UsageError(f"{db_path} exists — the demo writes a fresh database: give a new "
                               "path or leave out --db")
    settings = context.settings.replace(db_path=db_path, allow_private_addresses=True)
    store = Store(db_path, context.topics, context.conflicts)
    with FileServer(SAMPLES_DIR, PLACEHOLDER) as server:
        feeds = [FeedSpec(name, server.url + path, outlet) for name, path, outlet in SAMPLE_FEEDS]
        click.echo(f"Serving {len(feeds)} sample feeds at {server.url}; database {db_path}")
        summary = asyncio.run(
            poll_once(settings, feeds, store, clock=context.clock, extractor=context.extractor())
        )
    click.echo(f"feeds ok {summary.ok}, failed {summary.failed}; new stories "
               f"{summary.new_stories}, figures {summary.figures}, quotes {summary.quotes}\n")
    click.echo(sources_table(store.source_health(), now=context.clock()))
    click.echo(f"\nStored stories about {DEMO_TOPIC}:")
    for story in store.stories(limit=50):
        if not story_about(context.topics, story, DEMO_TOPIC):
            continue
        also = [s.outlet for s in store.cluster_members(story.cluster_id) if s.id != story.id]
        click.echo(story_line(story, also))
    # The briefing a channel following the demo topic would get now.
    store.subscribe(DEMO_CHANNEL, DEMO_TOPIC, context.clock())
    briefing = compose_briefing(store, context.topics, channel=DEMO_CHANNEL, now=context.clock(),
                                since=None)
    click.echo("\n" + briefing_text(briefing))
    reply = Reply(store, context.topics, settings, context.clock())
    latest = answer(parse(f"latest {DEMO_TOPIC}"), reply)
    click.echo(f"\n$ /conflict latest {DEMO_TOPIC}\n" + as_text(latest))
    write_demo_chart(context, store, Path("." if fresh else db_path.parent))


def write_demo_chart(context: Context, store: Store, folder: Path) -> Path:
    """The chart `/conflict figures Mariupol` posts, as mariupol.png in `folder`."""
    from bot.render.chart import chart_filename, render_chart
    from briefings.chart_data import chart_from_history
    from briefings.queries import figures

    history = figures(store, context.topics, DEMO_TOPIC)
    chart = chart_from_history(history, context.settings.briefing_timezone)
    path = folder / chart_filename(DEMO_TOPIC)
    if chart.empty:
        click.echo(f"\nNo figures on {DEMO_TOPIC} to chart.")
        return path
    path.write_bytes(render_chart(chart).png)
    click.echo(f"\nChart of the {DEMO_TOPIC} figures (what `/conflict figures {DEMO_TOPIC}` "
               f"posts): {path.resolve()}")
    return path


@click.command()
@click.option("--db", "db_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the demo database (default: a fresh temporary file).")
@click.pass_obj
def demo(context: Context, db_path: Path | None) -> None:
    """Offline demo: serve the bundled sample feeds locally, ingest them, print the results."""
    run_demo(context, db_path)
