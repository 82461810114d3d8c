"""`sitrep serve`: the Bolt app over HTTP on uvicorn (`POST /slack/events`, `GET /healthz`, and
in OAuth mode `GET /slack/install` and `GET /slack/oauth_redirect`, bot/slack/oauth.py).

A small ASGI front instead of Bolt's own ASGI adapter, because that one runs `App.dispatch` on the
event loop: one slow request would stall every other. Here dispatch runs in a worker thread.
Nothing in this process imports spaCy (nor the poller): it only reads the store.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import re
import time
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt import App, BoltResponse
from slack_bolt.request import BoltRequest
from slack_sdk.signature import SignatureVerifier

from bot.context import Context
from bot.slack.oauth import INSTALL_PATH, REDIRECT_PATH

__all__ = ["EVENTS_PATH", "HEALTH_PATH", "asgi_app", "build_asgi", "serve"]

logger = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
OAUTH_PATHS = (INSTALL_PATH, REDIRECT_PATH)
MAX_BODY = 1_000_000  # Slack's payloads are a few kB; anything this large is not from Slack
MAX_AGE_SECONDS = 5 * 60  # Slack's own replay window
_TIMESTAMP = re.compile(r"\d{1,12}")

Receive = Callable[[], Awaitable[dict]]
Send = Callable[[dict], Awaitable[None]]


def verified(body: bytes, headers: dict[str, str], signing_secret: str, now: float) -> bool:
    """Whether a request is Slack's, judged on the raw bytes and headers alone: a timestamp
    that is a number within five minutes of `now`, and a signature over exactly these bytes.
    Nothing parses the body before this holds."""
    timestamp = headers.get("x-slack-request-timestamp", "")
    signature = headers.get("x-slack-signature", "")
    if not signing_secret or not _TIMESTAMP.fullmatch(timestamp) or not signature:
        return False
    if abs(now - int(timestamp)) > MAX_AGE_SECONDS:
        return False  # too old (a replay) or from the future
    expected = SignatureVerifier(signing_secret).generate_signature(
        timestamp=timestamp, body=body
    )
    return expected is not None and hmac.compare_digest(expected, signature)


def asgi_app(
    bolt: App, *, signing_secret: str | None = None, clock: Callable[[], float] = time.time,
    slack_status: Callable[[], str] | None = None,
    checks: dict[str, Callable[[], str]] | None = None,
) -> Callable[[dict, Receive, Send], Awaitable[None]]:
    """An ASGI application routing Slack's requests to `bolt` and answering health checks.

    `/healthz` says how Slack (`slack_status`) and each of `checks` stand ("database",
    "queue": each a line starting "ok" when well); a database that is not "ok" makes it 503,
    since then no command can be answered. The checks run off the event loop.

    With `signing_secret`, every request to the events path is verified on its raw bytes first;
    one that fails gets 401 and nothing else happens (no parsing, no reply, no call out)."""

    async def application(scope: dict, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await _lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        method, path = scope["method"], scope["path"]
        if path == HEALTH_PATH and method in ("GET", "HEAD"):
            health: dict[str, Any] = {"ok": True}
            if slack_status is not None:
                health["slack"] = slack_status()  # "ok", "checking", "unreachable: …"
            for name, check in (checks or {}).items():
                health[name] = await asyncio.to_thread(check)
            health["ok"] = health.get("database", "ok").startswith("ok")
            await _send(send, 200 if health["ok"] else 503, json.dumps(health).encode(),
                        "application/json")
        elif path == EVENTS_PATH and method == "POST":
            body = await _body(receive)
            if body is None:
                await _send(send, 413, b"Request body too large", "text/plain")
                return
            headers = {k.decode("latin-1").lower(): v.decode("latin-1")
                       for k, v in scope["headers"]}
            if signing_secret is not None and not verified(body, headers, signing_secret,
                                                           clock()):
                logger.warning("refused a request to %s without a valid Slack signature",
                               EVENTS_PATH)
                await _send(send, 401, b"Invalid request signature", "text/plain")
                return
            request = BoltRequest(
                body=body.decode("utf-8", errors="replace"),
                query=scope.get("query_string", b"").decode("latin-1"),
                headers={k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]},
            )
            response = await asyncio.to_thread(bolt.dispatch, request)
            await _send_bolt(send, response)
        elif bolt.oauth_flow is not None and path in OAUTH_PATHS and method == "GET":
            # a browser installing the app: not signed by Slack; the OAuth state guards it
            await _send_bolt(send, await asyncio.to_thread(_oauth, bolt, scope))
        elif path in (EVENTS_PATH, HEALTH_PATH) or (bolt.oauth_flow is not None
                                                    and path in OAUTH_PATHS):
            await _send(send, 405, b"Method Not Allowed", "text/plain")
        else:
            await _send(send, 404, b"Not Found", "text/plain")

    return application


def _oauth(bolt: App, scope: dict) -> BoltResponse:
    """The install page (a redirect to Slack) or Slack's redirect back, by Bolt's OAuthFlow."""
    flow = bolt.oauth_flow
    request = BoltRequest(
        body="", query=scope.get("query_string", b"").decode("latin-1"),
        headers={k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]},
    )
    if scope["path"] == OAUTH_PATHS[0]:
        return flow.handle_installation(request)
    return flow.handle_callback(request)


async def _send_bolt(send: Send, response: BoltResponse) -> None:
    headers = [(k.encode(), v.encode()) for k, values in response.headers.items()
               for v in values if k.lower() != "content-length"]
    await _send(send, response.status, (response.body or "").encode(), None, headers)


async def _body(receive: Receive) -> bytes | None:
    chunks = bytearray()
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return bytes(chunks)
        chunks.extend(message.get("body", b""))
        if len(chunks) > MAX_BODY:
            return None
        if not message.get("more_body"):
            return bytes(chunks)


async def _send(send: Send, status: int, body: bytes, content_type: str | None,
                headers: list[tuple[bytes, bytes]] | None = None) -> None:
    headers = list(headers or [])
    if content_type:
        headers.append((b"content-type", content_type.encode()))
    headers.append((b"content-length", str(len(body)).encode()))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def _lifespan(receive: Receive, send: Send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


def build_asgi(context: Context) -> Any:
    """The ASGI app for the context's settings and store; Slack's `auth.test` runs in the
    background and its outcome is shown at `/healthz` (in OAuth mode each workspace's token
    is Bolt's to check, per request, and `/healthz` says `"slack": "oauth"`)."""
    from bot.slack.app import SlackCheck, create_app

    app = create_app(context.settings, context.store, context.topics, clock=context.clock)
    status = (lambda: "oauth") if context.settings.oauth else SlackCheck(app.client).start().status
    from bot.worker.queue import queue_health

    return asgi_app(app, signing_secret=context.settings.slack_signing_secret or "",
                    slack_status=status,
                    checks={"database": context.store.health,
                            "queue": lambda: queue_health(context.settings)})


def serve(application: Any, *, host: str, port: int) -> None:
    """Run an ASGI app (see `build_asgi`) on uvicorn until interrupted."""
    import uvicorn

    config = uvicorn.Config(application, host=host, port=port, log_level="warning",
                            access_log=False, lifespan="on", server_header=False)
    uvicorn.Server(config).run()
