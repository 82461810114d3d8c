"""OAuth mode from the user's side: a workspace admin opens /slack/install, approves in Slack and
comes back to /slack/oauth_redirect; the workspace's bot token is then in our database. A forged,
expired or replayed redirect gets a clear page and stores nothing.

`sitrep serve`'s ASGI app runs in-process (httpx's ASGITransport) against a fake Slack, with a
clock the test moves; Bolt's OAuth flow calls the fake through SLACK_API_URL.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest
import yaml

from bot.context import Context
from bot.slack.http import build_asgi
from briefings.settings import DEFAULT_BOT_SCOPES
from briefings.store import Store
from tests.bot.support import ROOT, signed_headers, sitrep_env
from tests.support.fake_slack import FakeSlack

CLIENT_ID = "1111.2222"
CLIENT_SECRET = "oauth-client-secret-5d2c"
STATE_COOKIE = "slack-app-oauth-state"


class Clock:
    """A clock the test moves."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


class Sitrep:
    """`sitrep serve` in OAuth mode, in-process, talking to `fake`."""

    def __init__(self, fake: FakeSlack, db: Path, clock: Clock) -> None:
        env = sitrep_env(fake.api_url, db, SLACK_CLIENT_ID=CLIENT_ID,
                         SLACK_CLIENT_SECRET=CLIENT_SECRET)
        del env["SLACK_BOT_TOKEN"]  # OAuth mode needs none
        self.fake, self.db, self.clock = fake, db, clock
        self.context = Context(env, clock=clock)
        self.asgi = build_asgi(self.context)

    def request(self, method: str, path: str, *, body: str = "",
                headers: dict[str, str] | None = None) -> httpx.Response:
        async def go() -> httpx.Response:
            transport = httpx.ASGITransport(app=self.asgi)
            async with httpx.AsyncClient(transport=transport, base_url="https://sitrep.test",
                                         follow_redirects=False) as client:
                return await client.request(method, path, content=body.encode(),
                                            headers=headers or {})
        return asyncio.run(go())

    # --- the install, as a browser does it -----------------------------------------------------

    def start_install(self) -> tuple[str, str]:
        """GET /slack/install: (the state Slack is sent, the cookie set)."""
        response = self.request("GET", "/slack/install")
        assert response.status_code == 302, response.text
        target = urlsplit(response.headers["location"])
        assert (target.hostname, target.path) == ("slack.com", "/oauth/v2/authorize")
        query = parse_qs(target.query)
        assert query["client_id"] == [CLIENT_ID]
        assert query["scope"] == [DEFAULT_BOT_SCOPES]
        cookie = response.cookies.get(STATE_COOKIE)
        assert cookie, response.headers
        return query["state"][0], cookie

    def finish_install(self, code: str, state: str, cookie: str | None) -> httpx.Response:
        """Slack sends the browser back to GET /slack/oauth_redirect."""
        headers = {"Cookie": f"{STATE_COOKIE}={cookie}"} if cookie else {}
        return self.request("GET", "/slack/oauth_redirect?" + urlencode(
            {"code": code, "state": state}), headers=headers)

    def install(self, code: str, team: str, name: str) -> str:
        """Install Sitrep in workspace `team` through the whole flow; its bot token."""
        self.fake.workspace_for(code, team, name=name)
        state, cookie = self.start_install()
        page = self.finish_install(code, state, cookie)
        assert page.status_code == 200, page.text
        assert f"Sitrep is installed in {name}" in page.text
        with self.store() as store:
            installed = store.installation(team)
        assert installed is not None
        return installed.bot_token

    # --- Slack's signed requests -----------------------------------------------------------------

    def command(self, team: str, channel: str, text: str, *, user: str = "U0ANA") -> str:
        """`/conflict <text>` typed in `team`'s `channel`; the text of the ephemeral reply."""
        path = f"response/{uuid.uuid4().hex}"
        body = urlencode({
            "token": "legacy", "team_id": team, "team_domain": team.lower(),
            "channel_id": channel, "channel_name": "war-desk", "user_id": user,
            "user_name": "ana", "command": "/conflict", "text": text, "api_app_id": "A1",
            "is_enterprise_install": "false", "response_url": self.fake.url + path,
            "trigger_id": "1.2.3",
        })
        response = self.request("POST", "/slack/events", body=body, headers=signed_headers(body))
        assert response.status_code == 200, response.text
        deadline = time.time() + 10
        while time.time() < deadline:
            replies = [c.params for c in self.fake.calls_to("response_url")
                       if c.path == "/" + path and "text" in c.params]
            if replies:
                return json.dumps(replies[0])
            time.sleep(0.02)
        raise AssertionError(f"no reply to {text!r} from {team}")

    def event(self, team: str, event: dict) -> httpx.Response:
        """A signed Events API callback from `team`."""
        body = json.dumps({
            "token": "legacy", "team_id": team, "api_app_id": "A1", "type": "event_callback",
            "event": event, "event_id": f"Ev{uuid.uuid4().hex[:8]}",
            "event_time": int(time.time()), "is_enterprise_install": False,
            "authorizations": [{"team_id": team, "user_id": f"UB{team}", "is_bot": True,
                                "is_enterprise_install": False}],
        })
        return self.request("POST", "/slack/events", body=body,
                            headers=signed_headers(body, content_type="application/json"))

    def store(self) -> _Opened:
        return _Opened(self.db)


class _Opened:
    """A Store on the same file, closed after use."""

    def __init__(self, db: Path) -> None:
        self.db = db

    def __enter__(self) -> Store:
        self.opened = Store(self.db)
        return self.opened

    def __exit__(self, *exc: object) -> None:
        self.opened.close()


@pytest.fixture
def fake() -> FakeSlack:
    with FakeSlack() as fake:
        yield fake


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2024, 3, 10, 7, 0, tzinfo=UTC))


@pytest.fixture
def sitrep(fake: FakeSlack, tmp_path: Path, clock: Clock) -> Sitrep:
    return Sitrep(fake, tmp_path / "sitrep.db", clock)


def test_two_workspaces_install_through_slack(sitrep, fake):
    alpha = sitrep.install("code-alpha", "TALPHA", "Alpha News")
    beta = sitrep.install("code-beta", "TBETA", "Beta Desk")
    assert alpha.startswith("xoxb-") and beta.startswith("xoxb-") and alpha != beta
    exchanges = fake.calls_to("oauth.v2.access")
    assert [c.params["code"] for c in exchanges] == ["code-alpha", "code-beta"]
    # Bolt authenticates with the app's credentials, never sends them in the clear as params
    assert all(c.headers.get("Authorization", "").startswith("Basic ") for c in exchanges)
    assert all(CLIENT_SECRET not in json.dumps(c.params) for c in exchanges)
    with sitrep.store() as store:
        assert store.installed_workspaces() == ["TALPHA", "TBETA"]
        installed = store.installation("TBETA")
    assert (installed.bot_token, installed.bot_user_id, installed.team_id) == (
        beta, "UBTBETA", "TBETA")
    assert "chat:write" in installed.bot_scopes.split(",")


def test_a_reinstall_replaces_the_workspace_token(sitrep):
    first = sitrep.install("code-1", "TALPHA", "Alpha News")
    second = sitrep.install("code-2", "TALPHA", "Alpha News")
    assert first != second
    with sitrep.store() as store:
        assert store.installed_workspaces() == ["TALPHA"]
        assert store.installation("TALPHA").bot_token == second


def test_healthz_says_oauth(sitrep):
    response = sitrep.request("GET", "/healthz")
    health = response.json()
    assert health["ok"] is True and health["slack"] == "oauth" and health["database"] == "ok"


@pytest.mark.parametrize("forgery", ["unknown state", "no cookie", "cookie of another install",
                                     "expired", "replayed"])
def test_a_forged_redirect_gets_a_clear_page_and_stores_nothing(sitrep, fake, clock, forgery):
    if forgery == "replayed":
        sitrep.fake.workspace_for("code-ok", "TALPHA", name="Alpha News")
    state, cookie = sitrep.start_install()
    expected = "expired or was already used"
    if forgery == "unknown state":
        state = cookie = "made-up-state"
    elif forgery == "no cookie":
        cookie, expected = None, "not opened in the browser that started the install"
    elif forgery == "cookie of another install":
        cookie, expected = sitrep.start_install()[1], "not opened in the browser"
    elif forgery == "expired":
        clock.now += timedelta(minutes=11)
    elif forgery == "replayed":
        assert sitrep.finish_install("code-ok", state, cookie).status_code == 200
    exchanged = len(fake.calls_to("oauth.v2.access"))
    page = sitrep.finish_install("code-evil", state, cookie)
    assert page.status_code in (400, 401, 403), page.text
    assert "Sitrep was not installed" in page.text and expected in page.text
    assert "Nothing was saved" in page.text and 'href="/slack/install"' in page.text
    assert len(fake.calls_to("oauth.v2.access")) == exchanged  # Slack never asked
    with sitrep.store() as store:
        assert store.installed_workspaces() == (["TALPHA"] if forgery == "replayed" else [])
        assert store.installation("TCODEEVIL") is None


def test_a_refused_code_or_a_cancelled_install_stores_nothing(sitrep):
    state, cookie = sitrep.start_install()
    page = sitrep.finish_install("bad", state, cookie)
    assert page.status_code >= 400 and "did not accept the authorisation code" in page.text
    state, cookie = sitrep.start_install()
    page = sitrep.request("GET", "/slack/oauth_redirect?" + urlencode(
        {"error": "access_denied", "state": state}),
        headers={"Cookie": f"{STATE_COOKIE}={cookie}"})
    assert "The install was cancelled in Slack." in page.text
    with sitrep.store() as store:
        assert store.installed_workspaces() == []


def test_the_install_path_needs_no_slack_signature_but_events_still_do(sitrep):
    body = "command=%2Fconflict&text=help&team_id=TALPHA"
    assert sitrep.request("POST", "/slack/events", body=body).status_code == 401
    assert sitrep.request("POST", "/slack/install").status_code == 405


def test_default_scopes_are_the_manifests():
    with (ROOT / "config" / "slack-manifest.yml").open(encoding="utf-8") as file:
        manifest = yaml.safe_load(file)
    assert DEFAULT_BOT_SCOPES.split(",") == manifest["oauth_config"]["scopes"]["bot"]
    assert manifest["oauth_config"]["redirect_urls"][0].endswith("/slack/oauth_redirect")


def test_the_installation_store_keeps_one_bot_per_workspace(tmp_path):
    from slack_sdk.oauth.installation_store import Installation

    from bot.slack.oauth import StoreInstallations

    store = Store(tmp_path / "sitrep.db")
    installations = StoreInstallations(store)
    installations.save(Installation(user_id="U1", team_id="T1", bot_token="xoxb-t1",
                                    bot_id="B1", bot_user_id="UB1", bot_scopes="chat:write"))
    installations.save(Installation(user_id="U2", team_id=None, enterprise_id="E1",
                                    is_enterprise_install=True, bot_token="xoxb-e1",
                                    bot_id="B2", bot_user_id="UB2", bot_scopes="chat:write"))
    found = installations.find_installation(enterprise_id=None, team_id="T1")
    assert (found.bot_token, found.user_id, found.bot_scopes) == ("xoxb-t1", "U1", ["chat:write"])
    # a team of the org that installed Sitrep org-wide: the org's installation
    org = installations.find_bot(enterprise_id="E1", team_id="T9", is_enterprise_install=True)
    assert org.bot_token == "xoxb-e1"
    assert installations.find_bot(enterprise_id="E1", team_id="T9") is None  # not installed
    assert installations.find_installation(enterprise_id=None, team_id="T1", user_id="U9") is None
    installations.delete_installation(enterprise_id=None, team_id="T1", user_id="U1")
    assert installations.find_bot(enterprise_id=None, team_id="T1") is not None  # no user tokens
    installations.delete_bot(enterprise_id=None, team_id="T1")
    assert installations.find_bot(enterprise_id=None, team_id="T1") is None
    installations.delete_all(enterprise_id="E1", team_id=None)
    assert store.installed_workspaces() == []
    store.close()
