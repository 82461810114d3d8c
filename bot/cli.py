"""The `sitrep` command line: thin commands over the services in `briefings/` and `bot/`."""

from __future__ import annotations

import asyncio
import importlib
import sys
from pathlib import Path

import click

from bot.context import Context, build_context, configure_logging, utc_now
from briefings.errors import SitrepError

# Commands defined in other modules, imported only when used, so `sitrep serve` does not load
# the poller, trafilatura and the scheduler it never runs.
LAZY_COMMANDS = {
    "ask": "bot.cli_slack:ask",
    "digest": "bot.cli_worker:digest",
    "run": "bot.cli_slack:run",
    "serve": "bot.cli_slack:serve",
    "worker": "bot.cli_worker:worker",
}


class SitrepGroup(click.Group):
    """Turns Sitrep's own errors into one clear line and exit code 1, never a trace."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *LAZY_COMMANDS})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in LAZY_COMMANDS:
            module, attribute = LAZY_COMMANDS[name].split(":")
            return getattr(importlib.import_module(module), attribute)
        return super().get_command(ctx, name)

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except SitrepError as exc:
            click.echo(f"sitrep: {exc}", err=True)
            sys.exit(1)

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        """Click's own errors in Sitrep's one style: `sitrep: <what> — <remedy>`, exit 2 for a
        usage error (1 for others), instead of click's usage banner."""
        try:
            code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.UsageError as exc:
            what = exc.format_message().rstrip(".")
            if " — " not in what:
                where = exc.ctx.command_path if exc.ctx else "sitrep"
                what += f" — `{where} --help` shows the usage"
            click.echo(f"sitrep: {what}", err=True)
            sys.exit(exc.exit_code)
        except click.ClickException as exc:
            click.echo(f"sitrep: {exc.format_message()}", err=True)
            sys.exit(exc.exit_code)
        except click.Abort:
            click.echo("sitrep: interrupted", err=True)
            sys.exit(1)
        if not standalone_mode:
            return code
        sys.exit(code if isinstance(code, int) else 0)


@click.group(cls=SitrepGroup)
@click.option("-v", "--verbose", is_flag=True, help="Log debug messages to stderr.")
@click.pass_context
def main(ctx: click.Context, verbose: bool) -> None:
    """Sitrep: follow a war or crisis through the news, in Slack."""
    configure_logging(verbose)
    ctx.obj = build_context()


@main.command()
@click.option("--once", is_flag=True, help="Poll every feed now, even those backing off.")
@click.option("--feeds", "feeds_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Feeds file to poll instead of the configured one.")
@click.option("--no-extract", is_flag=True, help="Store stories without extracting figures.")
@click.pass_obj
def poll(context: Context, once: bool, feeds_file: Path | None, no_extract: bool) -> None:
    """Poll the feeds now and print a summary line."""
    from bot.progress import PollProgress
    from briefings.feeds import load_feeds
    from briefings.poll import poll_once

    feeds = load_feeds(feeds_file or context.settings.feeds_path)
    for problem in feeds.problems:
        click.echo(f"skipped {problem}", err=True)
    extractor = None if no_extract else context.extractor()
    with PollProgress(len(feeds.feeds)) as progress:
        summary = asyncio.run(
            poll_once(context.settings, feeds.feeds, context.store, clock=utc_now,
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


@main.command()
@click.pass_obj
def sources(context: Context) -> None:
    """Print each feed's health: last success, last error, items, back-off."""
    from bot.textviews import sources_table

    click.echo(sources_table(context.store.source_health(), now=utc_now()))


@main.command()
@click.option("--db", "db_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the demo database (default: a fresh temporary file).")
@click.pass_obj
def demo(context: Context, db_path: Path | None) -> None:
    """Offline demo: serve the bundled sample feeds locally, ingest them, print the results."""
    from bot.demo import run_demo

    run_demo(context, db_path)


@main.command()
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object (see SPEC.md).")
@click.pass_obj
def extract(context: Context, path: Path, as_json: bool) -> None:
    """Extract key figures and quotes from one article (plain text or HTML)."""
    from dataclasses import replace

    from bot.extract_view import extraction_json, extraction_text
    from briefings.articles import read_article_file
    from briefings.errors import ExtractionError

    article = read_article_file(path)
    for note in article.notes:
        click.echo(f"sitrep: note: {note}", err=True)
    extraction = context.extractor().extract(article.text)
    if extraction.error is not None:
        raise ExtractionError(f"{path}: extraction failed ({extraction.error})")
    extraction = replace(extraction, notes=(*article.notes, *extraction.notes))
    click.echo(extraction_json(extraction) if as_json else extraction_text(extraction))


@main.command()
@click.pass_obj
def reextract(context: Context) -> None:
    """Re-run extraction over every stored story, replacing its figures and quotes."""
    from briefings.poll import extract_stories

    extractor = context.extractor()
    store = context.store
    total = figures = quotes = failed = 0
    for batch in store.stories_to_extract(only_new=False):
        counts = extract_stories(store, extractor, [story_id for story_id, _ in batch], utc_now())
        total += len(counts)
        figures += sum(c.figures for c in counts.values())
        quotes += sum(c.quotes for c in counts.values())
        failed += sum(1 for c in counts.values() if c.error)
    click.echo(f"re-extracted {total} stories: {figures} figures, {quotes} quotes"
               + (f"; extraction failed for {failed} (see `sitrep sources`)" if failed else ""))

