"""`sitrep chart`, `sitrep export` and `sitrep browse`: the stored claims in an analyst's tools."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from bot.context import Context
from briefings.database_url import is_server_url
from briefings.errors import ConfigError, SitrepError


def _zone(context: Context, tz: str | None) -> str:
    from briefings.schedule import is_zone

    zone = tz or context.settings.briefing_timezone
    if not is_zone(zone):
        raise click.BadParameter(f"{zone!r} is not a time zone (try Europe/Kyiv or UTC)",
                                 param_hint="--tz")
    return zone


@click.command()
@click.argument("topic")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the PNG (default: <topic>.png in this directory).")
@click.option("--tz", help="Show dates in this zone (default: briefing.timezone).")
@click.pass_obj
def chart(context: Context, topic: str, output: Path | None, tz: str | None) -> None:
    """Draw a topic's key figures over time as a PNG, e.g. sitrep chart Mariupol -o m.png.

    One panel per quantity (a kind of figure, of one side, in one place), one line per claimant
    coloured by the party it speaks for, ranges as bands, dates in the zone. The alt text (what
    the chart shows, in words) is printed, and stored in the PNG's Description.
    """
    from bot.render.chart import chart_filename, render_chart
    from briefings import queries
    from briefings.chart_data import chart_from_history

    zone = _zone(context, tz)
    history = queries.figures(context.store, context.topics, topic)
    data = chart_from_history(history, zone)
    if data.empty:
        raise SitrepError(f"no figure with an amount on {history.topic or topic!r} to chart — "
                          "try another topic, or `sitrep poll` for news first")
    rendered = render_chart(data)
    path = output or Path(chart_filename(history.topic or topic))
    try:
        path.write_bytes(rendered.png)
    except OSError as exc:
        raise SitrepError(f"cannot write {path} ({exc.strerror}) — choose another -o path") \
            from exc
    click.echo(f"wrote {path} ({len(rendered.png):,} bytes)", err=True)
    click.echo(rendered.alt)


@click.command()
@click.argument("topic")
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default="csv",
              show_default=True, help="CSV (spreadsheet-safe) or a JSON list of objects.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file instead of standard output.")
@click.pass_obj
def export(context: Context, topic: str, fmt: str, output: Path | None) -> None:
    """Print a topic's figures and quotes as CSV or JSON, one row per claim or quote.

    Columns: value, low, high, approx, kind, whose, what, where, scope, series, claimant,
    party, speaker, date, outlet, link, then record (figure or quote), quote, title, also.
    A text cell a spreadsheet would run as a formula (=, +, -, @) starts with ' instead.
    """
    from briefings.export import export_rows, to_csv, to_json

    rows = export_rows(context.store, context.topics, topic)
    text = to_csv(rows) if fmt == "csv" else to_json(rows)
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        try:
            output.write_text(text, encoding="utf-8", newline="")
        except OSError as exc:
            raise SitrepError(f"cannot write {output} ({exc.strerror}) — choose another -o "
                              "path") from exc
    click.echo(f"{len(rows)} rows on {topic}", err=True)


@click.command()
@click.option("--port", type=click.IntRange(1, 65535), default=8001, show_default=True,
              help="Port to listen on.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to bind (the ledger has no login: keep it on localhost).")
@click.option("--open", "open_browser", is_flag=True, help="Open it in a web browser.")
@click.pass_obj
def browse(context: Context, port: int, host: str, open_browser: bool) -> None:
    """Browse the claims ledger in Datasette, read-only (pip install 'sitrep[browse]').

    Serves SITREP_DB as /sitrep with canned queries: the newest value of every series by
    party, conflicting claims, quotes by speaker, who is quoted how often; full-text search on
    stories; titles and descriptions of every table and column (config/datasette.yml).
    """
    from bot.ledger import browse as serve_ledger

    def ready(url: str) -> None:
        click.echo(f"sitrep browse: {url} (read-only; Ctrl-C to stop)", err=True)
        if open_browser:
            import webbrowser

            webbrowser.open(url)

    settings = context.settings
    if is_server_url(settings.db_path):
        raise ConfigError("sitrep browse serves a SQLite file (Datasette reads no PostgreSQL) — "
                          "on PostgreSQL, `sitrep export` writes the claims as CSV, or point "
                          "SITREP_DB at a SQLite copy")
    serve_ledger(Path(settings.db_path), context.conflicts, settings.config_dir, host=host,
                 port=port, ready=ready)
