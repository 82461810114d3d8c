"""`sitrep run`: the Bolt app over Socket Mode (an outbound websocket, no public URL needed)."""

from __future__ import annotations

import logging
import threading
import time

from slack_bolt.adapter.socket_mode import SocketModeHandler

from bot.context import Context
from bot.slack.app import create_app
from briefings.errors import ConfigError
from briefings.store import Store

__all__ = ["connect_socket_mode"]

logger = logging.getLogger(__name__)


def connect_socket_mode(context: Context) -> SocketModeHandler:
    """Open the Socket Mode connection and return its handler; listeners run on its threads.

    The app gets its own SQLite connection, so the scheduler (on `context.store`) and the
    listeners never share one connection across threads.
    """
    settings = context.settings
    if not settings.slack_app_token:
        raise ConfigError("SLACK_APP_TOKEN is not set — Socket Mode needs an app-level token "
                          "(xapp-…) with the connections:write scope, from your Slack app's "
                          "Basic Information page")
    app = create_app(settings, Store(settings.db_path, context.topics, context.conflicts),
                     context.topics,
                     socket_mode=True)
    handler = SocketModeHandler(app, app_token=settings.slack_app_token)
    threading.Thread(target=_connect, args=(handler,), name="socket-mode-connect",
                     daemon=True).start()
    return handler


def _connect(handler: SocketModeHandler, *, max_wait: float = 60.0) -> None:
    """Connect, and say so only once connected; retry with back-off while Slack is away."""
    wait = 1.0
    while True:
        try:
            handler.connect()
            connected = handler.client.is_connected()
        except Exception as exc:  # noqa: BLE001 - any failure to connect: log it, try again
            logger.warning("Socket Mode connection failed: %s", exc)
            connected = False
        if connected:
            logger.warning("sitrep run: connected to Slack over Socket Mode")
            return
        logger.warning("not connected to Slack over Socket Mode; retrying in %.0f s — check "
                       "SLACK_APP_TOKEN and the network", wait)
        time.sleep(wait)
        wait = min(wait * 2, max_wait)
