"""The `sitrep` command line: thin commands over the services in `briefings/` and `bot/`."""

from __future__ import annotations

import importlib
import sys

import click

from bot.context import build_context, configure_logging
from briefings.errors import SitrepError

# Every command lives in its own module, imported only when used, so `sitrep serve` does not load
# the poller, trafilatura and the scheduler it never runs.
LAZY_COMMANDS = {
    "ask": "bot.cli.slack:ask",
    "browse": "bot.cli.data:browse",
    "chart": "bot.cli.data:chart",
    "demo": "bot.cli.demo:demo",
    "digest": "bot.cli.worker:digest",
    "export": "bot.cli.data:export",
    "extract": "bot.cli.extract:extract",
    "migrate": "bot.cli.migrate:migrate",
    "poll": "bot.cli.poll:poll",
    "reextract": "bot.cli.poll:reextract",
    "run": "bot.cli.slack:run",
    "serve": "bot.cli.slack:serve",
    "settings": "bot.cli.settings:settings",
    "sources": "bot.cli.poll:sources",
    "worker": "bot.cli.worker:worker",
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
    if ctx.obj is None:  # a caller (a test's entry point) may bring its own context and clock
        ctx.obj = build_context()
