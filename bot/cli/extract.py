"""`sitrep extract`: one article's key figures and quotes, as text or JSON."""

from __future__ import annotations

from pathlib import Path

import click

from bot.context import Context


@click.command()
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True,
              help="Print one JSON object (its shape is in the README).")
@click.pass_obj
def extract(context: Context, path: Path, as_json: bool) -> None:
    """Extract key figures and quotes from one article (plain text or HTML)."""
    from dataclasses import replace

    from bot.render.terminal import extraction_json, extraction_text
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
