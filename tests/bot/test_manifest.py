"""The Slack app manifest and Procfile declare what the code serves, and the manifest asks for
exactly the bot scopes the Web API calls in bot/ need."""

from __future__ import annotations

import ast
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from slack_sdk import WebClient

from bot.commands import parse
from bot.slack.app import SLASH_COMMAND
from bot.slack.http import EVENTS_PATH
from tests.bot.support import ROOT

BOT = ROOT / "bot"

# The bot scopes each Web API method needs for the conversations Sitrep works in (public and
# private channels; it declares no im/mpim scopes). From the methods' pages on api.slack.com.
# A method called in bot/ that is missing here fails test_every_called_method_has_known_scopes:
# add it with its scopes, then the manifest.
METHOD_SCOPES: dict[str, frozenset[str]] = {
    "auth.test": frozenset(),
    # chat:write.public: the "Post to channel" button posts in public channels it has not joined
    "chat.postMessage": frozenset({"chat:write", "chat:write.public"}),
    "conversations.join": frozenset({"channels:join"}),
    "conversations.history": frozenset({"channels:history", "groups:history"}),
    "conversations.replies": frozenset({"channels:history", "groups:history"}),
    "conversations.info": frozenset({"channels:read", "groups:read"}),
    "conversations.members": frozenset({"channels:read", "groups:read"}),
    "views.publish": frozenset(),
    # slack_sdk's files_upload_v2 (the scan reads it as "files.upload.v2") calls
    # files.getUploadURLExternal and files.completeUploadExternal, both files:write
    "files.upload.v2": frozenset({"files:write"}),
    "files.getUploadURLExternal": frozenset({"files:write"}),
    "files.completeUploadExternal": frozenset({"files:write"}),
}
SLASH_COMMAND_SCOPE = "commands"


@pytest.fixture(scope="module")
def manifest() -> dict:
    with (ROOT / "config" / "slack-manifest.yml").open(encoding="utf-8") as file:
        return yaml.safe_load(file)


def _trees() -> list[tuple[Path, ast.Module]]:
    return [(path, ast.parse(path.read_text(encoding="utf-8"), str(path)))
            for path in sorted(BOT.rglob("*.py"))]


def called_api_methods() -> set[str]:
    """Web API methods named in bot/ (`client.chat_postMessage(...)`, or passed as
    `self.client.conversations_join`), as Slack spells them: `chat.postMessage`."""
    api = {name for name in vars(WebClient) if not name.startswith("_")}
    found = set()
    for _, tree in _trees():
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr in api:
                found.add(node.attr.replace("_", "."))
    return found


def registrations(kind: str) -> list[ast.expr]:
    """What Bolt listeners are registered for: the first argument of every `app.<kind>(...)`
    in bot/ (kind: "event", "action", "command")."""
    found = []
    for _, tree in _trees():
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and isinstance(node.func.value, ast.Name) and node.func.value.id == "app"
                    and node.func.attr == kind and node.args):
                found.append(node.args[0])
    return found


def subscribed_events() -> set[str]:
    """The events a listener is registered for: `app.event("name")` anywhere in bot/."""
    names = {node.value for node in registrations("event") if isinstance(node, ast.Constant)}
    assert len(names) == len(registrations("event")), "an event name that is not a literal"
    return names


def test_the_scan_finds_the_calls_it_is_meant_to_find():
    # guards the AST scan itself: if it found nothing, the scope test would check nothing
    assert {"chat.postMessage", "views.publish", "conversations.history"} <= called_api_methods()
    assert "app_home_opened" in subscribed_events()
    assert [ast.unparse(a) for a in registrations("command")] == ["SLASH_COMMAND"]


def test_every_called_method_has_known_scopes():
    unknown = called_api_methods() - METHOD_SCOPES.keys()
    assert not unknown, f"add the bot scopes of {sorted(unknown)} to METHOD_SCOPES"


def test_bot_scopes_are_exactly_what_the_code_calls(manifest):
    needed = {SLASH_COMMAND_SCOPE}.union(*(METHOD_SCOPES[m] for m in called_api_methods()))
    declared = manifest["oauth_config"]["scopes"]["bot"]
    assert len(declared) == len(set(declared)), "a scope is listed twice"
    assert set(declared) >= needed, f"missing: {sorted(needed - set(declared))}"
    assert set(declared) <= needed, f"not used by the code: {sorted(set(declared) - needed)}"
    assert "user" not in manifest["oauth_config"]["scopes"]  # no user token is ever used


def test_slash_command_is_the_one_the_app_answers(manifest):
    commands = manifest["features"]["slash_commands"]
    assert [c["command"] for c in commands] == [SLASH_COMMAND]
    command = commands[0]
    url = urlsplit(command["url"])
    assert url.scheme == "https" and url.hostname and url.path == EVENTS_PATH
    assert command["description"].strip()
    # The parser expects Slack's raw text (<@U…> stays as typed, escaped on the way out).
    assert command["should_escape"] is False


def test_every_usage_hint_example_is_a_command_the_parser_accepts(manifest):
    examples = [e.strip() for e in manifest["features"]["slash_commands"][0]["usage_hint"]
                .split("·")]
    assert len(examples) > 1
    for example in examples:
        command = parse(example)
        assert command.problem is None, (example, command.problem)
        assert command.action != "help" or example == "help", example


def test_events_and_interactivity_reach_the_app(manifest):
    settings = manifest["settings"]
    events = settings["event_subscriptions"]
    assert set(events["bot_events"]) == subscribed_events()
    assert "user_events" not in events
    interactivity = settings["interactivity"]
    # the "Post to channel" button: its action has a listener, so Slack must send actions
    assert [ast.unparse(a) for a in registrations("action")] == ["SHARE_ACTION"]
    assert interactivity["is_enabled"] is True
    command_url = manifest["features"]["slash_commands"][0]["url"]
    # HTTP mode serves everything at one path: the same URL for commands, events and actions.
    assert events["request_url"] == interactivity["request_url"] == command_url


def test_home_tab_bot_user_and_socket_mode_settings(manifest):
    features = manifest["features"]
    assert features["app_home"]["home_tab_enabled"] is True  # views.publish on app_home_opened
    assert features["app_home"]["messages_tab_enabled"] is False  # no message listener
    assert features["bot_user"]["display_name"] == manifest["display_information"]["name"]
    settings = manifest["settings"]
    # `sitrep run` (Socket Mode) works with the manifest as pasted; the header says how to
    # switch to HTTP mode.
    assert settings["socket_mode_enabled"] is True
    assert settings["org_deploy_enabled"] is False
    assert settings["token_rotation_enabled"] is False  # SLACK_BOT_TOKEN is a fixed xoxb token


def test_procfile_runs_web_and_worker():
    lines = (ROOT / "Procfile").read_text(encoding="utf-8").splitlines()
    assert "web: sitrep serve --port $PORT" in lines and "worker: sitrep worker" in lines
