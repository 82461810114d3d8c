"""`sitrep settings`: every effective setting, where it came from, and what it means."""

from __future__ import annotations

import json

import click

from bot.context import Context


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print the settings as a JSON list.")
@click.pass_obj
def settings(context: Context, as_json: bool) -> None:
    """Print every setting: its value, where it came from (default, settings.toml or an
    environment variable) and its help. Secrets are shown only as set / not set."""
    from briefings.settings import effective_settings

    shown = effective_settings(context.settings)
    if as_json:
        click.echo(json.dumps([
            {"key": s.key, "value": s.value, "source": s.source, "help": s.help,
             "allowed": s.allowed} for s in shown
        ], indent=2, ensure_ascii=False))
        return
    width = max(len(s.key) for s in shown)
    for s in shown:
        click.echo(f"{s.key:<{width}}  {_shown(s.key, s.value)}  ({s.source})")
        click.echo(f"{'':<{width}}  {s.help}" + (f"; allowed: {s.allowed}" if s.allowed else ""))


def _shown(key: str, value: object) -> str:
    """A settings.toml value as it is written there; an environment value as is."""
    from briefings.settings import toml_literal

    if "." in key:
        return toml_literal(value)
    if isinstance(value, bool):
        return "on" if value else "off"
    return "not set" if value is None else str(value)
