"""OAuth mode: any workspace installs Sitrep at `GET /slack/install`; Slack sends the browser
back to `GET /slack/oauth_redirect`, and the workspace's bot token is kept in our database.

slack_sdk's installation store and OAuth state store interfaces are implemented over the Store
facade (`briefings/store/_installations.py` holds the SQL): one installation per workspace (the
team, or the enterprise of an org-wide install; `briefings.workspaces.workspace_id`), and state
values that are used once and expire. Bolt's OAuthFlow runs the flow, calling Slack through
SLACK_API_URL; the pages it answers with say in words what happened.
"""

from __future__ import annotations

import html
import json
import logging
import secrets
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from slack_bolt import BoltResponse
from slack_bolt.oauth import OAuthFlow
from slack_bolt.oauth.callback_options import CallbackOptions, FailureArgs, SuccessArgs
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk import WebClient
from slack_sdk.oauth.installation_store import Bot, InstallationStore
from slack_sdk.oauth.installation_store import Installation as SlackInstallation
from slack_sdk.oauth.state_store import OAuthStateStore

from briefings.settings import Settings
from briefings.store import Store
from briefings.workspaces import Installation, workspace_id

__all__ = ["INSTALL_PATH", "REDIRECT_PATH", "StoreInstallations", "StoreStates",
           "build_oauth_flow"]

logger = logging.getLogger(__name__)

INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"
STATE_LIFETIME = timedelta(minutes=10)
_DETAILS = ("app_id", "team_name", "enterprise_name", "enterprise_url", "token_type")


class StoreInstallations(InstallationStore):
    """slack_sdk's InstallationStore over the Store: the newest bot installation per workspace.

    Sitrep asks for no user scopes, so it keeps no user tokens: deleting one user's
    installation leaves the workspace's bot token alone."""

    def __init__(self, store: Store, lock: threading.Lock | None = None, *,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self.store = store
        self.lock = lock or threading.Lock()
        self.clock = clock

    @property
    def logger(self) -> logging.Logger:
        return logger

    def save(self, installation: SlackInstallation) -> None:
        if not installation.bot_token:
            raise ValueError("an installation without a bot token")  # no user-only installs
        workspace = workspace_id(installation.team_id, installation.enterprise_id,
                                 bool(installation.is_enterprise_install))
        if workspace is None:
            raise ValueError("an installation with neither a team nor an enterprise")
        details = {name: getattr(installation, name, None) for name in _DETAILS}
        record = Installation(
            workspace=workspace, team_id=installation.team_id,
            enterprise_id=installation.enterprise_id,
            is_enterprise_install=bool(installation.is_enterprise_install),
            bot_token=installation.bot_token, bot_id=installation.bot_id,
            bot_user_id=installation.bot_user_id,
            bot_scopes=",".join(installation.bot_scopes or []), user_id=installation.user_id,
            installed_at=self.clock(), details=json.dumps(details),
        )
        with self.lock:
            self.store.save_installation(record)
        logger.warning("Sitrep installed in workspace %s", workspace)

    def save_bot(self, bot: Bot) -> None:
        pass  # save() keeps the bot with its installation

    def _find(self, enterprise_id: str | None, team_id: str | None,
              is_enterprise_install: bool | None) -> Installation | None:
        workspace = workspace_id(team_id, enterprise_id, bool(is_enterprise_install))
        if workspace is None:
            return None
        with self.lock:
            return self.store.installation(workspace)

    def find_installation(
        self, *, enterprise_id: str | None, team_id: str | None, user_id: str | None = None,
        is_enterprise_install: bool | None = False,
    ) -> SlackInstallation | None:
        found = self._find(enterprise_id, team_id, is_enterprise_install)
        if found is None or (user_id is not None and user_id != found.user_id):
            return None
        details = json.loads(found.details or "{}")
        return SlackInstallation(
            user_id=found.user_id or "", team_id=found.team_id,
            enterprise_id=found.enterprise_id, is_enterprise_install=found.is_enterprise_install,
            bot_token=found.bot_token, bot_id=found.bot_id, bot_user_id=found.bot_user_id,
            bot_scopes=found.bot_scopes, installed_at=found.installed_at.timestamp(),
            **{name: details.get(name) for name in _DETAILS},
        )

    def find_bot(
        self, *, enterprise_id: str | None, team_id: str | None,
        is_enterprise_install: bool | None = False,
    ) -> Bot | None:
        found = self._find(enterprise_id, team_id, is_enterprise_install)
        if found is None:
            return None
        return Bot(
            app_id=json.loads(found.details or "{}").get("app_id"),
            enterprise_id=found.enterprise_id, team_id=found.team_id,
            bot_token=found.bot_token, bot_id=found.bot_id or "",
            bot_user_id=found.bot_user_id or "", bot_scopes=found.bot_scopes,
            is_enterprise_install=found.is_enterprise_install,
            installed_at=found.installed_at.timestamp(),
        )

    def delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        self._delete(enterprise_id, team_id)

    def delete_installation(self, *, enterprise_id: str | None, team_id: str | None,
                            user_id: str | None = None) -> None:
        if user_id is None:  # a user's own token: Sitrep keeps none
            self._delete(enterprise_id, team_id)

    def delete_all(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        self._delete(enterprise_id, team_id)

    def _delete(self, enterprise_id: str | None, team_id: str | None) -> None:
        # a team of an org is its own workspace unless the org installed Sitrep (no team then)
        workspace = workspace_id(team_id, enterprise_id)
        if workspace is not None:
            with self.lock:
                self.store.delete_installation(workspace)


class StoreStates(OAuthStateStore):
    """slack_sdk's OAuthStateStore over the Store: a random state per install started, valid
    once and for `lifetime`."""

    def __init__(self, store: Store, lock: threading.Lock | None = None, *,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC),
                 lifetime: timedelta = STATE_LIFETIME) -> None:
        self.store = store
        self.lock = lock or threading.Lock()
        self.clock = clock
        self.lifetime = lifetime

    @property
    def logger(self) -> logging.Logger:
        return logger

    def issue(self, *args: object, **kwargs: object) -> str:
        state = secrets.token_urlsafe(24)
        now = self.clock()
        with self.lock:
            self.store.issue_oauth_state(state, now + self.lifetime, now)
        return state

    def consume(self, state: str) -> bool:
        if not state:
            return False
        with self.lock:
            return self.store.consume_oauth_state(state, self.clock())


def build_oauth_flow(settings: Settings, store: Store, api_url: str, *,
                     lock: threading.Lock | None = None,
                     clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> OAuthFlow:
    """Bolt's OAuth flow with our stores, calling Slack's Web API at `api_url`."""
    lock = lock or threading.Lock()
    scopes = [s.strip() for s in settings.slack_scopes.split(",") if s.strip()]
    oauth_settings = OAuthSettings(
        client_id=settings.slack_client_id, client_secret=settings.slack_client_secret,
        scopes=scopes, user_scopes=[], redirect_uri=settings.slack_redirect_uri,
        install_path=INSTALL_PATH, redirect_uri_path=REDIRECT_PATH,
        install_page_rendering_enabled=False,  # straight to Slack's authorize page
        installation_store=StoreInstallations(store, lock, clock=clock),
        state_store=StoreStates(store, lock, clock=clock),
        state_expiration_seconds=int(STATE_LIFETIME.total_seconds()),
        callback_options=CallbackOptions(success=_installed, failure=_refused),
        logger=logging.getLogger("bot.bolt.oauth"),
    )
    return OAuthFlow(client=WebClient(base_url=api_url), settings=oauth_settings)


# Why an install did not complete, in words, by Bolt's reason.
_REFUSALS = {
    "access_denied": "The install was cancelled in Slack.",
    "invalid_browser": "This link was not opened in the browser that started the install, or "
                       "its cookie is gone.",
    "invalid_state": "This install link has expired or was already used.",
    "missing_code": "Slack did not send an authorisation code.",
    "invalid_code": "Slack did not accept the authorisation code.",
    "storage_error": "Sitrep could not save the installation; the server log has the cause.",
}


def _installed(args: SuccessArgs) -> BoltResponse:
    where = args.installation.team_name or args.installation.enterprise_name or "your workspace"
    return _page(200, "Sitrep is installed",
                 f"Sitrep is installed in {html.escape(where)}. Invite it to a channel and type "
                 "<code>/conflict help</code>.", args.settings)


def _refused(args: FailureArgs) -> BoltResponse:
    logger.warning("an install did not complete: %s (%s)", args.reason, args.error or "")
    words = _REFUSALS.get(args.reason, f"Slack answered “{args.reason}”.")
    return _page(args.suggested_status_code, "Sitrep was not installed",
                 f"{html.escape(words)} Nothing was saved. "
                 f"<a href=\"{INSTALL_PATH}\">Start the install again</a>.", args.settings)


def _page(status: int, title: str, body: str, settings: OAuthSettings) -> BoltResponse:
    """A small HTML page; the state cookie is spent either way."""
    page = (f"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{title}</title></head>"
            f"<body><h1>{title}</h1><p>{body}</p></body></html>")
    return BoltResponse(status=status, body=page, headers={
        "Content-Type": "text/html; charset=utf-8",
        "Set-Cookie": settings.state_utils.build_set_cookie_for_deletion(),
    })
