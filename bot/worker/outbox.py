"""Posting recorded briefings and alerts to Slack, exactly once.

How exactly-once holds (the outbox rows are kept by `briefings.store`):

1. The message is composed, rendered and recorded as `pending` under a unique key
   (`briefing:<channel>:<slot>`), in one SQLite transaction, before anything is posted. A slot
   can be recorded only once, by any process, so two workers or a restart cannot both own it.
2. A worker claims the row before touching it: a compare-and-set in SQLite that succeeds only
   when nobody else holds an unexpired claim (`briefing.claim_lease_seconds`). Two workers, or
   the old and the new one of a rolling deploy, never both own it. Just before the HTTP call the
   row becomes `posting` — again only while the claim holds — and the message carries its key in
   Slack message metadata (`event_type` `sitrep_delivery`). A SIGTERMed worker finishes what it
   holds and claims nothing new; a killed worker's claim lapses and the next worker reconciles.
3. After Slack answers, the row becomes `posted` (with its `ts`).

After a crash, a `pending` row was certainly not posted and is simply posted. A `posting` row may
or may not have reached Slack, so it is reconciled first: the channel's history (or the alert
thread's replies) since the row was recorded is searched for a message carrying its key; found,
the row is marked posted; not found, it is posted. The same path covers a timeout whose outcome
is unknown. Slack's 429 means "not posted", so it is waited out (Retry-After) and retried in place;
the client's own retry handlers are off, so nothing is ever re-sent blindly. Other Slack errors
(archived channel, bot not in channel) fail the row and are recorded on the channel, once.

Each delivery is posted with the bot token of its channel's workspace: the Deliverer asks a
client provider for the workspace of the delivery's channel address (briefings/workspaces.py).
With one workspace that is always the SLACK_BOT_TOKEN client. In OAuth mode it is the
workspace's installation (`WorkspaceClients`); a workspace with none (uninstalled, or its token
revoked) gets no client, and its deliveries fail with that reason, nothing posted.
"""

from __future__ import annotations

import logging
import os
import socket
import time
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from briefings.settings import Settings
from briefings.store import FAILED, OPEN_STATES, POSTED, POSTING, Delivery, Store
from briefings.workspaces import split_address

__all__ = ["METADATA_EVENT", "AddressedClient", "ClientFor", "Deliverer", "WorkspaceClients",
           "slack_client"]

# A workspace's Web API client (None: the bare channel ids of one workspace), or None when
# Sitrep is not installed there.
ClientFor = Callable[[str | None], WebClient | None]

logger = logging.getLogger(__name__)

METADATA_EVENT = "sitrep_delivery"
# Errors after which trying again later may work; any other error is the channel's problem.
TRANSIENT_ERRORS = {"ratelimited", "internal_error", "fatal_error", "service_unavailable",
                    "request_timeout", "team_added_to_org"}
ALERT_LIFETIME = timedelta(hours=24)  # an alert Slack keeps refusing is dropped after this
HISTORY_PAGES = 5
HISTORY_SLACK = timedelta(minutes=1)  # clock skew between us and Slack
# How long a worker's claim on a delivery holds. Longer than one post with its rate-limit
# waits, so a live worker keeps it; a dead worker's claim lapses and the next one reconciles
# through the channel's history, by when the dead worker's last post is visible there.
CLAIM_LEASE = timedelta(minutes=5)


def slack_client(settings: Settings, token: str | None = None) -> WebClient:
    """A Web API client (with `token`, else SLACK_BOT_TOKEN) with no automatic retries: a
    blind retry could post twice."""
    kwargs: dict[str, Any] = {"token": token or settings.slack_bot_token, "timeout": 15,
                              "retry_handlers": []}
    if settings.slack_api_url:
        kwargs["base_url"] = settings.slack_api_url
    return WebClient(**kwargs)


class WorkspaceClients:
    """OAuth mode's client provider: each workspace's client, with the bot token of its
    installation as the store has it now (a reinstall's new token is used at once, an
    uninstalled workspace has none). Bare channel ids, from before OAuth mode, get the
    SLACK_BOT_TOKEN client when that is set."""

    def __init__(self, store: Store, settings: Settings) -> None:
        self.store = store
        self.settings = settings
        self._clients: dict[str, WebClient] = {}  # by token

    def __call__(self, workspace: str | None) -> WebClient | None:
        if workspace is None:
            token = self.settings.slack_bot_token
        else:
            installed = self.store.installation(workspace)
            token = installed.bot_token if installed is not None else None
        if not token:
            return None
        if token not in self._clients:
            self._clients[token] = slack_client(self.settings, token)
        return self._clients[token]


class AddressedClient:
    """A Web API client for channel addresses: each call's `channel` (an address) is posted to
    in its workspace, with that workspace's client. What the Deliverer lends to code that posts
    beside a delivery (a briefing's chart) in OAuth mode."""

    def __init__(self, clients: ClientFor) -> None:
        self.clients = clients

    def __getattr__(self, method: str) -> Callable[..., Any]:
        def call(*, channel: str, **kwargs: Any) -> Any:
            workspace, slack_channel = split_address(channel)
            client = self.clients(workspace)
            if client is None:
                raise SlackClientError(_not_installed(workspace))
            return getattr(client, method)(channel=slack_channel, **kwargs)

        return call


def _not_installed(workspace: str | None) -> str:
    where = f"workspace {workspace}" if workspace else "this workspace"
    return (f"Sitrep is not installed in {where} (uninstalled, or its bot token was revoked): "
            "not posted")


class _Transient(Exception):
    """Slack could not be reached or asked us to come back later; the outcome is unknown."""


class _Held(Exception):
    """Whether an earlier attempt arrived cannot be checked; posting again could double it."""


class Deliverer:
    """Posts the store's open deliveries; safe to run again at any time, in any process.

    `client` is one workspace's Web API client (every channel address is a bare channel id),
    or a provider of each workspace's client (`ClientFor`, OAuth mode)."""

    def __init__(
        self, store: Store, client: WebClient | ClientFor, *, clock: Callable[[], datetime],
        grace: timedelta, sleep: Callable[[float], None] = time.sleep, max_rate_waits: int = 5,
        lease: timedelta = CLAIM_LEASE,
    ) -> None:
        self.store = store
        if isinstance(client, WebClient) or client is None:
            single = client
            self.clients: ClientFor = lambda workspace: single if workspace is None else None
            self.client: Any = client  # what posts beside a delivery (bot/worker/charts.py)
        else:
            self.clients = client
            self.client = AddressedClient(client)
        self.clock = clock
        self.grace = grace
        self.sleep = sleep
        self.max_rate_waits = max_rate_waits
        # who this process is, for delivery claims: two workers never both own one delivery
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.lease = lease
        self.stopping = False  # set on SIGTERM: finish what is held, claim nothing new
        self._joined: set[str] = set()

    def deliver_open(self) -> dict[str, str]:
        """Post (or reconcile) every open delivery, oldest first; {key: resulting state}.

        A delivery another worker holds is left to it; when that claim lapses within one lease
        (its worker died), this pass waits for it and takes the delivery over."""
        results = {}
        held: dict[str, datetime] = {}
        for delivery in self.store.open_deliveries():
            if self.stopping:
                break
            results[delivery.key] = self.deliver(delivery)
            until = self.store.claimed_until(delivery.key)
            if results[delivery.key] in OPEN_STATES and until is not None:
                held[delivery.key] = until
        if held and not self.stopping:
            wait = (max(held.values()) - self.clock()).total_seconds()
            if wait <= self.lease.total_seconds():
                self.sleep(max(wait, 0) + 1)  # stored times have whole seconds
                for key in held:
                    current = self.store.delivery(key)
                    if current is not None and not self.stopping:
                        results[key] = self.deliver(current)
        return results

    def deliver(self, delivery: Delivery) -> str:
        """Bring one recorded delivery to `posted` or `failed`; an unknown outcome stays open.
        Only the worker holding the delivery's claim touches it."""
        now = self.clock()
        if not self.store.claim_delivery(delivery.key, self.owner, now, self.lease):
            current = self.store.delivery(delivery.key)
            logger.info("delivery %s is held by another worker until %s (now %s); leaving it",
                        delivery.key, self.store.claimed_until(delivery.key), now)
            return current.state if current is not None else delivery.state
        try:
            return self._deliver(self.store.delivery(delivery.key) or delivery)
        finally:
            self.store.release_delivery(delivery.key, self.owner)

    def _deliver(self, delivery: Delivery) -> str:
        if delivery.state not in OPEN_STATES:
            return delivery.state
        now = self.clock()
        workspace = split_address(delivery.channel)[0]
        if self.clients(workspace) is None:
            reason = _not_installed(workspace)
            logger.warning("delivery %s failed: %s", delivery.key, reason)
            self.store.mark_failed(delivery.key, now, reason)
            return FAILED
        thread_ts = None
        if delivery.kind == "alert":
            parent = self.store.thread_parent(delivery.channel, delivery.topic_key or "",
                                              delivery.day or "")
            if parent is not None and parent.key != delivery.key:
                if parent.state != POSTED:
                    return delivery.state  # the thread's first message goes first
                thread_ts = parent.ts
        try:
            if delivery.state == POSTING:
                ts = self._find_posted(delivery, thread_ts)
                if ts:
                    logger.info("delivery %s had reached Slack (ts %s)", delivery.key, ts)
                    self.store.mark_posted(delivery.key, now, ts, thread_ts)
                    return POSTED
            if self._expired(delivery, now):
                reason = f"not posted in time: {delivery.error or 'Slack unreachable'}"
                logger.warning("giving up on %s: %s", delivery.key, reason)
                self.store.mark_failed(delivery.key, now, reason)
                return FAILED
            if not self.store.mark_posting(delivery.key, now, self.owner, self.lease):
                return POSTING  # another worker took it over (our lease ran out)
            ts = self._post(delivery, thread_ts)
        except _Transient as exc:
            logger.warning("delivery %s postponed: %s", delivery.key, exc)
            self.store.note_retry(delivery.key, str(exc))
            return POSTING
        except _Held as exc:
            logger.warning("delivery %s held: %s", delivery.key, exc)
            self.store.note_retry(delivery.key, str(exc))
            self.store.record_channel_error(delivery.channel, f"a message is held: {exc}", now)
            return POSTING
        except SlackApiError as exc:
            error = _error_code(exc)
            logger.warning("delivery %s to %s failed: %s", delivery.key, delivery.channel, error)
            self.store.mark_failed(delivery.key, now, error)
            self.store.record_channel_error(delivery.channel, _describe(error), now)
            return FAILED
        self.store.mark_posted(delivery.key, self.clock(), ts, thread_ts)
        logger.info("posted %s %s to %s (ts %s)", delivery.kind, delivery.key, delivery.channel,
                    ts)
        self.store.clear_channel_error(delivery.channel)
        return POSTED

    def _route(self, where: str) -> tuple[WebClient, str]:
        """The client of a channel address's workspace, and the Slack channel id."""
        workspace, channel = split_address(where)
        client = self.clients(workspace)
        if client is None:
            raise _Transient(_not_installed(workspace))  # just now uninstalled: next pass fails it
        return client, channel

    def _post(self, delivery: Delivery, thread_ts: str | None) -> str:
        self._join(delivery.channel)
        client, channel = self._route(delivery.channel)
        response = self._call(
            client.chat_postMessage, claim=delivery.key, channel=channel,
            text=delivery.text,
            blocks=delivery.blocks or None, thread_ts=thread_ts, unfurl_links=False,
            unfurl_media=False,
            metadata={"event_type": METADATA_EVENT, "event_payload": {"key": delivery.key}},
        )
        return str(response["ts"])

    def _join(self, where: str) -> None:
        """Join a public channel before posting to it, so its history can be read after a
        crash. Private channels need an invitation; their refusal is not an error here."""
        if where in self._joined:
            return
        client, channel = self._route(where)
        try:
            self._call(client.conversations_join, channel=channel)
        except SlackApiError as exc:
            logger.debug("not joining %s: %s", where, _error_code(exc))
        self._joined.add(where)

    def _find_posted(self, delivery: Delivery, thread_ts: str | None) -> str | None:
        """The ts of a message carrying the delivery's key, posted since it was recorded."""
        oldest = f"{(delivery.created - HISTORY_SLACK).timestamp():.6f}"
        client, channel = self._route(delivery.channel)
        cursor = None
        for _page in range(HISTORY_PAGES):
            try:
                if thread_ts:
                    response = self._call(
                        client.conversations_replies, channel=channel, ts=thread_ts,
                        oldest=oldest, include_all_metadata=True, limit=200, cursor=cursor,
                    )
                else:
                    response = self._call(
                        client.conversations_history, channel=channel,
                        oldest=oldest, include_all_metadata=True, limit=200, cursor=cursor,
                    )
            except SlackApiError as exc:
                # Without history we cannot tell whether it arrived: hold it (shown on the
                # channel as needing attention) rather than risk posting it twice.
                error = _error_code(exc)
                raise _Held(f"cannot read the channel's history to check for an earlier post "
                            f"({error}): {_ERROR_WORDS.get(error, 'Slack refused')}") from exc
            for message in response.get("messages") or []:
                payload = (message.get("metadata") or {}).get("event_payload") or {}
                if payload.get("key") == delivery.key:
                    return str(message["ts"])
            cursor = (response.get("response_metadata") or {}).get("next_cursor")
            if not cursor:
                return None
        return None

    def _call(self, method: Callable[..., Any], *, claim: str | None = None, **kwargs: Any) -> Any:
        """Call a Web API method, waiting out 429s (and keeping the delivery `claim` meanwhile);
        transport failures become _Transient."""
        for _attempt in range(self.max_rate_waits + 1):
            try:
                return method(**kwargs)
            except SlackApiError as exc:
                status = getattr(exc.response, "status_code", None)
                if status == 429:
                    wait = _retry_after(exc)
                    logger.info("Slack rate limit; waiting %.0f s", wait)
                    self.sleep(wait)
                    if claim is not None and not self.store.claim_delivery(
                        claim, self.owner, self.clock(), self.lease
                    ):
                        raise _Transient("claim lost while waiting out a rate limit") from exc
                    continue
                if _error_code(exc) in TRANSIENT_ERRORS or (status or 0) >= 500:
                    raise _Transient(_error_code(exc)) from exc
                raise
            except (SlackClientError, OSError) as exc:
                raise _Transient(f"{type(exc).__name__}: {exc}") from exc
        raise _Transient("still rate limited")

    def _expired(self, delivery: Delivery, now: datetime) -> bool:
        if delivery.kind == "briefing" and delivery.slot is not None:
            return now - delivery.slot > self.grace
        return now - delivery.created > ALERT_LIFETIME


def _retry_after(exc: SlackApiError) -> float:
    headers = getattr(exc.response, "headers", None) or {}
    value = headers.get("Retry-After") or headers.get("retry-after") or "1"
    try:
        return max(float(value), 0.0)
    except (TypeError, ValueError):
        return 1.0


def _error_code(exc: SlackApiError) -> str:
    try:
        return str(exc.response.get("error") or exc.response.status_code)
    except AttributeError:
        return str(exc)


_ERROR_WORDS = {
    "channel_not_found": "the channel was not found (deleted, or private without the bot)",
    "not_in_channel": "the bot is not in the channel: invite it with /invite @sitrep",
    "missing_scope": "the app lacks a scope: reinstall it from config/slack-manifest.yml",
    "is_archived": "the channel is archived",
    "invalid_auth": "the bot token is invalid",
    "token_revoked": "the bot token was revoked",
    "account_inactive": "the bot's account is inactive",
    "restricted_action": "the workspace does not allow the bot to post here",
    "msg_too_long": "the message was too long",
    "invalid_blocks": "Slack refused the message layout",
}


def _describe(error: str) -> str:
    """A Slack error code in words, for `/conflict sources` and App Home."""
    return f"{_ERROR_WORDS.get(error, 'Slack refused the post')} ({error})"
