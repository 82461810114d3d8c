"""The Slack app manifest and Procfile declare what the code serves."""

from tests.bot.support import ROOT


def test_manifest_declares_command_home_interactivity_and_socket_mode():
    manifest = (ROOT / "config" / "slack-manifest.yml").read_text(encoding="utf-8")
    for needed in ("command: /conflict", "home_tab_enabled: true", "app_home_opened",
                   "interactivity:", "is_enabled: true", "socket_mode_enabled:", "- commands",
                   "- chat:write", "/slack/events"):
        assert needed in manifest


def test_procfile_runs_web_and_worker():
    lines = (ROOT / "Procfile").read_text(encoding="utf-8").splitlines()
    assert "web: sitrep serve --port $PORT" in lines and "worker: sitrep worker" in lines
