"""The Bolt app: `/conflict`, the "Post to channel" button, the Home tab, and clear failures.

Listeners ack at once and do the work in a lazy listener, so Slack gets its 200 within
milliseconds. Replies are ephemeral through `respond`; the button re-answers the same command and
posts it to the channel. After the reply, `figures` posts a chart of the figures and `export` a
CSV of the claims to the channel (bot/slack/files.py), in the same lazy listener: a chart that
fails to draw or post is logged and said in one line, and the reply has already gone out. The
Web API base URL comes from settings (tests point it at a fake).

With SLACK_CLIENT_ID and SLACK_CLIENT_SECRET the app serves every workspace that installs it
(bot/slack/oauth.py): Bolt finds each request's bot token in the installation store, and every
listener keys the store by the channel's address in its workspace (briefings/workspaces.py),
so one workspace never sees another's subscriptions, briefings, errors or Home tab.
`app_uninstalled` and `tokens_revoked` forget the workspace: its tokens, its channels'
subscriptions and briefings, and its deliveries not yet posted (they fail).
"""

from __future__ import annotations

import logging
import re
import threading
import time
import uuid
from collections.abc import Callable
from datetime import datetime

from slack_bolt import App, BoltContext
from slack_bolt.error import BoltError
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
)

from bot.commands import Command, Reply, answer, parse
from bot.context import utc_now
from bot.render.blocks import Message
from bot.render.mrkdwn import MAX_BLOCKS, escape
from bot.render.replies import SHARE_ACTION, with_share_button
from bot.slack.home import home_view
from briefings import queries
from briefings.errors import ConfigError, SitrepError
from briefings.settings import MISSING_BOT_TOKEN, Settings
from briefings.store import Store
from briefings.topics import Topics
from briefings.workspaces import address, in_workspace, split_address, workspace_id

__all__ = ["SLASH_COMMAND", "create_app", "install_secret_filter"]

logger = logging.getLogger(__name__)

SLASH_COMMAND = "/conflict"
DEFAULT_API_URL = "https://slack.com/api/"
SHAREABLE = ("latest", "figures", "quotes")  # news worth posting; help and health are not
NOT_POSTABLE = {"not_in_channel", "channel_not_found", "is_archived", "restricted_action"}


def create_app(
    settings: Settings, store: Store, topics: Topics, *, socket_mode: bool = False,
    clock: Callable[[], datetime] = utc_now,
) -> App:
    """A Bolt App answering `/conflict` from `store`. Nothing here reaches Slack: the token is
    checked in the background (`SlackCheck`), so a network blip at start never stops the app.
    With `settings.oauth`, any workspace installs it (`app.oauth_flow`) and no token is set."""
    if not settings.oauth and not settings.slack_bot_token:
        raise ConfigError(MISSING_BOT_TOKEN)
    if not socket_mode and not settings.slack_signing_secret:
        raise ConfigError("SLACK_SIGNING_SECRET is not set — set it to the Signing Secret on your "
                          "Slack app's Basic Information page (it verifies Slack's requests)")
    install_secret_filter(settings)
    listeners = _Listeners(settings, store, topics, clock)
    oauth_flow = None
    if settings.oauth:
        from bot.slack.oauth import build_oauth_flow

        oauth_flow = build_oauth_flow(settings, store, _api_url(settings), lock=listeners.lock,
                                      clock=clock)
    client = WebClient(
        token=None if settings.oauth else settings.slack_bot_token, base_url=_api_url(settings),
        retry_handlers=[ConnectionErrorRetryHandler(),
                        RateLimitErrorRetryHandler(max_retry_count=3)],
    )
    try:
        app = App(
            client=client, signing_secret=settings.slack_signing_secret or "",
            request_verification_enabled=not socket_mode, process_before_response=True,
            logger=logging.getLogger("bot.bolt"), token_verification_enabled=False,
            oauth_flow=oauth_flow,
        )
    except BoltError as exc:
        raise ConfigError(f"Slack refused the bot token ({_slack_reason(exc)}) — check "
                          "SLACK_BOT_TOKEN") from exc
    listeners.register(app)
    return app


class SlackCheck:
    """Checks the bot token against Slack in the background, retrying with back-off until
    Slack answers; `status()` says how it stands (for `/healthz` and the log)."""

    def __init__(self, client: WebClient, *, sleep: Callable[[float], None] = time.sleep,
                 max_wait: float = 300.0) -> None:
        self.client = client
        self.sleep = sleep
        self.max_wait = max_wait
        self._status = "checking"
        self._lock = threading.Lock()

    def status(self) -> str:
        with self._lock:
            return self._status

    def _set(self, status: str) -> None:
        with self._lock:
            self._status = status

    def run(self) -> None:
        wait = 1.0
        while True:
            try:
                self.client.auth_test()
            except SlackApiError as exc:
                reason = _slack_reason(exc)
                self._set(f"token refused: {reason}")
                logger.error("Slack refused the bot token (%s) — check SLACK_BOT_TOKEN", reason)
                return
            except Exception as exc:  # noqa: BLE001 - any transport failure: try again later
                self._set(f"unreachable: {type(exc).__name__}")
                logger.warning("Slack's API is unreachable (%s); retrying in %.0f s — check "
                               "SLACK_API_URL and the network", exc, wait)
                self.sleep(wait)
                wait = min(wait * 2, self.max_wait)
                continue
            self._set("ok")
            logger.info("Slack accepted the bot token")
            return

    def start(self) -> SlackCheck:
        threading.Thread(target=self.run, name="slack-check", daemon=True).start()
        return self


def _api_url(settings: Settings) -> str:
    url = settings.slack_api_url or DEFAULT_API_URL
    return url if url.endswith("/") else url + "/"


def _slack_reason(exc: Exception) -> str:
    text = str(exc)
    match = re.search(r"'error': '([a-z_]+)'", text)
    return match.group(1) if match else type(exc).__name__


class _Listeners:
    """The handlers, sharing one store. SQLite calls are serialised across Bolt's threads."""

    def __init__(self, settings: Settings, store: Store, topics: Topics,
                 clock: Callable[[], datetime]) -> None:
        self.settings, self.store, self.topics, self.clock = settings, store, topics, clock
        self.lock = threading.Lock()

    def register(self, app: App) -> None:
        app.command(SLASH_COMMAND)(ack=_ack, lazy=[self.reply])
        app.action(SHARE_ACTION)(ack=_ack, lazy=[self.share])
        app.event("app_home_opened")(ack=_ack, lazy=[self.publish_home])
        # done before the 200, so no briefing of the workspace is posted once Slack is told
        app.event("app_uninstalled")(self.uninstalled)
        app.event("tokens_revoked")(self.tokens_revoked)
        app.error(_on_error)

    def workspace(self, context: BoltContext) -> str | None:
        """The request's workspace in OAuth mode; None (bare channel ids) with one workspace."""
        if not self.settings.oauth:
            return None
        return workspace_id(context.team_id, context.enterprise_id,
                            bool(context.is_enterprise_install))

    def address(self, context: BoltContext, channel: str | None) -> str | None:
        """The key the store knows the request's channel by (briefings.workspaces)."""
        return address(self.workspace(context), channel) if channel else None

    def _answer(self, text: str, channel: str | None, user: str | None
                ) -> tuple[Command, Message]:
        command = parse(text)
        with self.lock:
            reply = Reply(self.store, self.topics, self.settings, self.clock(), channel, user)
            return command, answer(command, reply)

    def reply(self, command: dict, respond, client: WebClient, context: BoltContext) -> None:
        """Answer a slash command, ephemerally, with a "Post to channel" button; then the
        chart of `figures` or the CSV of `export`, as a file in the channel."""
        where = self.address(context, command.get("channel_id"))
        try:
            asked, message = self._answer(command.get("text", ""), where, command.get("user_id"))
            if asked.action in SHAREABLE:
                message = with_share_button(message, asked.text)
            respond(text=message.text, blocks=message.blocks, response_type="ephemeral",
                    replace_original=False, unfurl_links=False, unfurl_media=False)
        except Exception as exc:  # noqa: BLE001 - the top of this lazy listener: reply clearly
            _report(exc, respond)
            return
        if asked.action in ("figures", "export") and where:
            self._attach(asked, where, command.get("user_id"), client, respond)

    def _attach(self, asked: Command, where: str, user: str | None, client: WebClient,
                respond) -> None:
        """Post the file that goes with a reply; a failure is logged and said, never raised."""
        from bot.slack.files import UploadFailed  # imported on the first file, not at start

        what = "chart" if asked.action == "figures" else "CSV"
        asker = f" for <@{user}>" if user and _SLACK_ID.match(user) else ""
        channel = split_address(where)[1]
        try:
            if asked.action == "figures":
                self._post_chart(asked.topic, where, asker, client)
            else:
                self._post_export(asked.topic, channel, asker, client)
        except UploadFailed as exc:
            logger.warning("could not post the %s of %r in %s: %s", what, asked.topic, channel,
                           exc)
            _say(respond, f"I could not post the {what} here: {exc}.")
        except Exception:  # noqa: BLE001 - the reply went out; the file is extra
            ref = uuid.uuid4().hex[:8]
            logger.exception("could not make the %s of %r (ref %s)", what, asked.topic, ref)
            _say(respond, f"I could not make the {what}; it is logged as {ref}.")

    def _post_chart(self, topic: str, where: str, asker: str, client: WebClient) -> None:
        from bot.slack.files import post_chart
        from briefings.chart_data import chart_from_history

        with self.lock:
            history = queries.figures(self.store, self.topics, topic)
            tz = queries.channel_timezone(self.store, where, self.settings.briefing_timezone)
        chart = chart_from_history(history, tz)
        post_chart(client, chart, channel=split_address(where)[1],
                   comment=f"Key figures on *{escape(history.topic)}* over time{asker}")

    def _post_export(self, topic: str, channel: str, asker: str, client: WebClient) -> None:
        from bot.commands import export_filename
        from bot.slack.files import post_csv
        from briefings.export import export_rows, to_csv

        with self.lock:
            rows = export_rows(self.store, self.topics, topic)
            shown = self.topics.canonical(topic)
        if not rows:
            return
        post_csv(client, to_csv(rows), channel=channel, filename=export_filename(topic),
                 title=f"Figures and quotes: {shown}",
                 comment=f"Figures and quotes on *{escape(shown)}*, as CSV{asker}")

    def share(self, body: dict, respond, client: WebClient, context: BoltContext) -> None:
        """Post the answer behind a "Post to channel" button to the channel, for everyone."""
        try:
            action = body["actions"][0]
            channel = (body.get("channel") or {}).get("id") or body["container"]["channel_id"]
            user = (body.get("user") or {}).get("id")
            _, message = self._answer(action.get("value", ""), self.address(context, channel),
                                      user)
            blocks = message.blocks + ([{"type": "context", "elements": [
                {"type": "mrkdwn", "text": f"Shared by <@{user}>"}]}]
                if user and _SLACK_ID.match(user) and len(message.blocks) < MAX_BLOCKS else [])
            try:
                client.chat_postMessage(channel=channel, text=message.text, blocks=blocks,
                                        unfurl_links=False, unfurl_media=False)
            except SlackApiError as exc:
                if exc.response.get("error") not in NOT_POSTABLE:
                    raise
                # Not a member of that channel: post through the response URL instead.
                respond(text=message.text, blocks=blocks, response_type="in_channel",
                        replace_original=False, unfurl_links=False, unfurl_media=False)
            respond(delete_original=True)
        except Exception as exc:  # noqa: BLE001 - the top of this lazy listener: reply clearly
            _report(exc, respond)

    def publish_home(self, event: dict, client: WebClient, context: BoltContext) -> None:
        """Publish the Home tab: the workspace's channels' subscriptions and briefing times,
        sources' health."""
        if event.get("tab", "home") != "home" or not event.get("user"):
            return
        workspace = self.workspace(context)
        try:
            with self.lock:
                channels = [queries.subscriptions(self.store, c) for c in _channels(self.store)
                            if in_workspace(c, workspace)]
                health = queries.sources(self.store)
            # another private channel's settings are not the viewer's to see
            channels = [c for c in channels
                        if _visible(client, split_address(c.channel)[1], event["user"])]
            view = home_view(channels, health, now=self.clock(),
                             default_tz=self.settings.briefing_timezone)
            client.views_publish(user_id=event["user"], view=view)
        except Exception:  # noqa: BLE001 - nobody to reply to: log with the cause
            logger.exception("could not publish the Home tab")

    def uninstalled(self, context: BoltContext) -> None:
        """`app_uninstalled`: forget the workspace (see `forget`)."""
        self.forget(context, "Sitrep was uninstalled from this workspace")

    def tokens_revoked(self, event: dict, context: BoltContext) -> None:
        """`tokens_revoked`: when the bot's token is among them, forget the workspace. Sitrep
        keeps no user tokens, so a user's revoked token changes nothing."""
        if (event.get("tokens") or {}).get("bot"):
            self.forget(context, "the workspace revoked Sitrep's bot token")

    def forget(self, context: BoltContext, reason: str) -> None:
        """Delete the workspace's tokens, its channels' subscriptions, alert cursors and
        briefing settings, and fail its deliveries not yet posted (`reason`), in one
        transaction. With one workspace (SLACK_BOT_TOKEN) only the log says it."""
        workspace = self.workspace(context)
        if workspace is None:
            logger.error("%s — SLACK_BOT_TOKEN no longer works; nothing can be posted until "
                         "the app is installed again and the new token set", reason)
            return
        with self.lock:
            failed = self.store.forget_workspace(workspace, self.clock(),
                                                 f"not posted: {reason}")
        logger.warning("%s (%s): its tokens, subscriptions and briefings are deleted; %d "
                       "deliveries not yet posted failed", reason, workspace, failed)


_SLACK_ID = re.compile(r"^[UWBCGD][A-Z0-9]{2,20}$")


def _visible(client: WebClient, channel: str, user: str) -> bool:
    """A public channel, or a private one the viewer is in; when Slack cannot say, hidden."""
    try:
        info = client.conversations_info(channel=channel)["channel"]
        if not (info.get("is_private") or info.get("is_im") or info.get("is_mpim")):
            return True
        members = client.conversations_members(channel=channel, limit=1000)
        return user in (members.get("members") or [])
    except (SlackApiError, KeyError, TypeError) as exc:
        logger.info("not showing %s on the Home tab: %s", channel, exc)
        return False


def _channels(store: Store) -> list[str]:
    names = {c for c, _ in store.subscriptions()}
    names |= {one.channel for one in store.channels()}
    return sorted(names)


def _ack(ack) -> None:
    ack()


def _report(exc: Exception, respond) -> None:
    ref = uuid.uuid4().hex[:8]
    if isinstance(exc, SitrepError):
        logger.error("could not answer (ref %s): %s", ref, exc)
        text = f"Sorry, I could not answer that: {exc}. (ref {ref})"
    else:
        logger.exception("failed to answer a Slack request (ref %s)", ref)
        text = f"Sorry, something went wrong on my side answering that. It is logged as {ref}."
    if respond is not None:
        try:
            respond(text=escape(text), response_type="ephemeral", replace_original=False)
        except Exception:  # noqa: BLE001 - the reply itself failed; the log has the cause
            logger.exception("could not send the error reply (ref %s)", ref)


def _say(respond, text: str) -> None:
    """One ephemeral line, when a reply's file could not follow it."""
    try:
        respond(text=escape(text), response_type="ephemeral", replace_original=False)
    except Exception:  # noqa: BLE001 - nobody else to tell: the log has it
        logger.exception("could not say %r", text)


def _on_error(error: Exception, body: dict, respond, logger: logging.Logger) -> None:
    """Bolt's last resort (a failure outside our lazy listeners): log it and say so."""
    _report(error, respond if (body or {}).get("response_url") else None)


class _RedactSecrets(logging.Filter):
    """Keeps tokens and the signing secret out of every log line, whoever logs them."""

    PATTERN = re.compile(r"\b(xox[abposre]-[A-Za-z0-9-]+|xapp-[A-Za-z0-9-]+)")

    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self.secrets = [s for s in secrets if s and len(s) >= 6]

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = self.PATTERN.sub("[redacted]", message)
        for secret in self.secrets:
            cleaned = cleaned.replace(secret, "[redacted]")
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True


def install_secret_filter(settings: Settings) -> None:
    """Add the redacting filter to every handler of the root logger (idempotent)."""
    secret_filter = _RedactSecrets([settings.slack_bot_token or "",
                                    settings.slack_signing_secret or "",
                                    settings.slack_app_token or "",
                                    settings.slack_client_secret or ""])
    for handler in logging.getLogger().handlers:
        handler.filters = [f for f in handler.filters if not isinstance(f, _RedactSecrets)]
        handler.addFilter(secret_filter)
