"""`sitrep serve`, `sitrep run` and `sitrep ask`: the Slack faces, as thin click commands."""

from __future__ import annotations

import threading

import click

from bot.context import Context


@click.command()
@click.option("--port", type=click.IntRange(1, 65535), default=3000, show_default=True,
              envvar="PORT", help="Port to listen on (also read from $PORT).")
@click.option("--host", default="0.0.0.0", show_default=True, help="Address to bind.")
@click.pass_obj
def serve(context: Context, port: int, host: str) -> None:
    """HTTP mode: Bolt at POST /slack/events and GET /healthz, on uvicorn."""
    from bot.slack.http import build_asgi
    from bot.slack.http import serve as run_server

    application = build_asgi(context)
    click.echo(f"sitrep serve: http://{host}:{port}/slack/events (Ctrl-C to stop)", err=True)
    run_server(application, host=host, port=port)


@click.command()
@click.option("--no-worker", is_flag=True,
              help="Answer Slack only: no polling, alerts or briefings in this process.")
@click.option("--no-extract", is_flag=True, help="Poll without extracting figures and quotes.")
@click.pass_context
def run(ctx: click.Context, no_worker: bool, no_extract: bool) -> None:
    """Socket Mode bot and the scheduler in one process (needs SLACK_APP_TOKEN)."""
    from bot.slack.socket_mode import connect_socket_mode

    handler = connect_socket_mode(ctx.obj)
    click.echo("sitrep run: connecting to Slack over Socket Mode (Ctrl-C to stop)", err=True)
    try:
        if no_worker:
            threading.Event().wait()
        else:
            from bot.cli.worker import worker

            ctx.invoke(worker, no_extract=no_extract)
    except KeyboardInterrupt:
        pass
    finally:
        handler.close()


@click.command()
@click.argument("text", nargs=-1, required=True)
@click.option("--channel", help="Answer as in this channel (its time zone, its topics); in "
              "OAuth mode its address, workspace/channel: T0123/C0456.")
@click.pass_obj
def ask(context: Context, text: tuple[str, ...], channel: str | None) -> None:
    """Print the reply a slash command would give, e.g. sitrep ask "latest Mariupol"."""
    from bot.commands import Reply, answer, parse
    from bot.render.blocks import as_text

    reply = Reply(context.store, context.topics, context.settings, context.clock(), channel)
    click.echo(as_text(answer(parse(" ".join(text)), reply)))
