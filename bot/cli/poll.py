"""`sitrep poll`, `sitrep sources` and `sitrep reextract`: feeds and stored stories."""

from __future__ import annotations

import asyncio
from pathlib import Path

import click

from bot.context import Context
from briefings.errors import SitrepError


@click.command()
@click.option("--once", is_flag=True, help="Poll every feed now, even those backing off.")
@click.option("--feeds", "feeds_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Feeds file to poll instead of the configured one.")
@click.option("--no-extract", is_flag=True, help="Store stories without extracting figures.")
@click.pass_obj
def poll(context: Context, once: bool, feeds_file: Path | None, no_extract: bool) -> None:
    """Poll the feeds now and print a summary line."""
    from bot.cli.progress import PollProgress
    from briefings.feeds import load_feeds
    from briefings.poll import poll_once

    feeds = load_feeds(feeds_file or context.settings.feeds_path)
    for problem in feeds.problems:
        click.echo(f"skipped {problem}", err=True)
    extractor = None if no_extract else context.extractor()
    with PollProgress(len(feeds.feeds)) as progress:
        summary = asyncio.run(
            poll_once(context.settings, feeds.feeds, context.store, clock=context.clock,
                      extractor=extractor, force=once, on_result=progress.advance)
        )
    click.echo(
        f"feeds ok {summary.ok}, failed {summary.failed}, backing off {summary.skipped}; "
        f"new stories {summary.new_stories}, figures {summary.figures}, quotes {summary.quotes}"
        + (f"; extraction failed {summary.extract_failed} (retry with `sitrep reextract`)"
           if summary.extract_failed else "")
    )
    if summary.results and summary.ok == 0 and summary.failed:
        raise SitrepError(f"every feed failed ({summary.failed}) — `sitrep sources` shows why")
    if summary.results and summary.ok == 0 and summary.skipped and not once:
        click.echo("sitrep: every feed is backing off — `sitrep poll --once` polls them now",
                   err=True)


@click.command()
@click.pass_obj
def sources(context: Context) -> None:
    """Print each feed's health: last success, last error, items, back-off."""
    from bot.render.terminal import sources_table

    click.echo(sources_table(context.store.source_health(), now=context.clock()))


@click.command()
@click.pass_obj
def reextract(context: Context) -> None:
    """Re-run extraction over every stored story, replacing its figures and quotes."""
    from briefings.poll import extract_stories

    extractor = context.extractor()
    store = context.store
    total = figures = quotes = failed = 0
    for batch in store.stories_to_extract(only_new=False):
        counts = extract_stories(store, extractor, [story_id for story_id, _ in batch],
                                context.clock())
        total += len(counts)
        figures += sum(c.figures for c in counts.values())
        quotes += sum(c.quotes for c in counts.values())
        failed += sum(1 for c in counts.values() if c.error)
    click.echo(f"re-extracted {total} stories: {figures} figures, {quotes} quotes"
               + (f"; extraction failed for {failed} (see `sitrep sources`)" if failed else ""))
