"""Settings are checked when they are read: a bad value is refused with the key, the value and
what is allowed, from the operator's side (`sitrep poll` on a config with the mistake)."""

from __future__ import annotations

import inspect
import shutil
import tomllib
from dataclasses import fields
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from bot.cli import main
from briefings.errors import ConfigError
from briefings.settings import (
    ENVIRONMENT,
    SETTINGS,
    Settings,
    _out_of_range,
    declared_default,
    load_settings,
)

ROOT = Path(__file__).resolve().parents[2]


def config_with(tmp_path: Path, section: str, line: str) -> Path:
    config = tmp_path / "config"
    shutil.copytree(ROOT / "config", config)
    settings = config / "settings.toml"
    text = settings.read_text(encoding="utf-8")
    key = line.split("=")[0].strip()
    lines = [ln for ln in text.splitlines() if not ln.strip().startswith(f"{key} ")]
    at = lines.index(f"[{section}]") + 1
    lines.insert(at, line)
    settings.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return config


@pytest.mark.parametrize(
    ("section", "line", "message"),
    [
        ("poll", "concurrency = 0", "poll.concurrency = 0 — allowed: 1 to 256"),
        ("poll", "concurrency = -3", "poll.concurrency = -3 — allowed: 1 to 256"),
        ("fetch", "read_timeout = -1", "fetch.read_timeout = -1.0 — allowed: 0.1 to 600"),
        ("fetch", "max_redirects = -1", "fetch.max_redirects = -1 — allowed: 0 to 20"),
        ("briefing", 'timezone = "Mars/Olympus"', "an IANA time zone"),
        ("briefing", 'time = "25:00"', "HH:MM on a 24-hour clock"),
        ("poll", 'concurrency = "many"', "poll.concurrency = 'many' — it must be a whole number"),
    ],
)
def test_bad_settings_are_refused_when_read(tmp_path, section, line, message):
    config = config_with(tmp_path, section, line)
    with pytest.raises(ConfigError) as caught:
        load_settings({"SITREP_CONFIG_DIR": str(config)})
    assert message in str(caught.value)
    result = CliRunner().invoke(main, ["sources"], env={"SITREP_CONFIG_DIR": str(config),
                                                         "SITREP_DB": str(tmp_path / "x.db")})
    assert result.exit_code == 1
    assert message in result.output and "Traceback" not in result.output


def test_the_shipped_settings_are_valid():
    load_settings({}, ROOT / "config")


# The shipped settings.toml is the operator's file, written by hand, never generated. Its values
# are the declared defaults except these, each marked "differs from the default" in the file.
DIFFERS_FROM_DEFAULT = {"fetch.user_agent"}


def test_the_shipped_settings_hold_only_declared_keys_at_their_defaults():
    path = ROOT / "config" / "settings.toml"
    text = path.read_text(encoding="utf-8")
    table = tomllib.loads(text)
    declared = {s.key: s for s in SETTINGS}
    shipped = {f"{section}.{key}": value
               for section, keys in table.items() for key, value in keys.items()}
    assert not set(shipped) - set(declared), "unknown keys in config/settings.toml"
    differs = {key for key, value in shipped.items() if value != declared[key].default}
    assert differs == DIFFERS_FROM_DEFAULT
    lines = text.splitlines()
    for key in differs:
        name = key.split(".")[1]
        at = next(i for i, line in enumerate(lines) if line.startswith(f"{name} "))
        assert "differs from the default" in lines[at - 1] + lines[at], key
    loaded = load_settings({}, ROOT / "config")
    for key in shipped:
        assert loaded.sources[declared[key].attribute] == str(path)


def test_every_setting_is_declared_with_help():
    assert SETTINGS and ENVIRONMENT
    for setting in SETTINGS:
        assert setting.help.strip(), setting.key
        assert isinstance(setting.default, setting.value_type)
        assert _out_of_range(setting.key, setting.default) is None, setting.key
    for variable in ENVIRONMENT:
        assert variable.help.strip(), variable.variable
    attributes = {s.attribute for s in SETTINGS} | {e.attribute for e in ENVIRONMENT}
    assert attributes == {f.name for f in fields(Settings)} - {"sources"}


def test_classes_built_from_settings_default_to_the_declaration():
    from briefings.extract.pipeline import Extractor
    from briefings.fetch import FetchLimits
    from briefings.poll import PollConfig, poll_config

    bare = FetchLimits()
    assert (bare.connect_timeout, bare.read_timeout, bare.max_bytes, bare.max_redirects,
            bare.allow_private, bare.user_agent) == (
        declared_default("fetch.connect_timeout"), declared_default("fetch.read_timeout"),
        declared_default("fetch.max_feed_bytes"), declared_default("fetch.max_redirects"),
        False, declared_default("fetch.user_agent"))
    config = PollConfig(feed_limits=bare, page_limits=bare)
    assert config.concurrency == declared_default("poll.concurrency") == 16
    assert config.max_backoff_minutes == declared_default("poll.max_backoff_minutes")
    signature = inspect.signature(Extractor.__init__).parameters
    assert signature["model"].default == declared_default("extract.model")
    assert signature["batch_size"].default == declared_default("extract.batch_size")
    # With nothing configured, poll_config gives what the bare classes give.
    empty = load_settings({"SITREP_CONFIG_DIR": "/nonexistent-sitrep-config"})
    built = poll_config(empty)
    assert built.feed_limits == bare
    assert (built.concurrency, built.max_backoff_minutes) == (
        config.concurrency, config.max_backoff_minutes)


def test_each_value_records_where_it_came_from(tmp_path):
    config = tmp_path / "config"
    config.mkdir()
    (config / "settings.toml").write_text("[poll]\nconcurrency = 4\n", encoding="utf-8")
    settings = load_settings({"SITREP_CONFIG_DIR": str(config), "SITREP_DB": "x.db",
                              "SLACK_BOT_TOKEN": "xoxb-secret"})
    assert settings.poll_concurrency == 4
    assert settings.sources["poll_concurrency"] == str(config / "settings.toml")
    assert settings.sources["poll_interval_minutes"] == "default"
    assert settings.sources["db_path"] == "SITREP_DB"
    assert settings.sources["config_dir"] == "SITREP_CONFIG_DIR"
    assert settings.sources["feeds_path"] == "default"
    assert settings.feeds_path == config / "feeds.toml"
    changed = settings.replace(poll_concurrency=2)
    assert changed.sources["poll_concurrency"] == "set in code"
    assert changed.sources["db_path"] == "SITREP_DB"


@pytest.mark.parametrize(
    ("section", "line", "message"),
    [
        ("poll", "concurency = 4", "unknown setting poll.concurency — did you mean "
         "poll.concurrency? [poll] takes interval_minutes, concurrency, max_backoff_minutes; "
         "remove or rename it (`sitrep settings` then lists every key with its help)"),
        ("polling", "concurrency = 4", "unknown setting polling.concurrency — did you mean "
         "poll.concurrency? the sections are [poll], [fetch], [extract], [briefing]; "),
    ],
)
def test_an_unknown_key_names_the_known_ones(tmp_path, section, line, message):
    config = tmp_path / "config"
    config.mkdir()
    (config / "settings.toml").write_text(f"[{section}]\n{line}\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_settings({"SITREP_CONFIG_DIR": str(config)})
    assert message in str(caught.value)
    assert main.get_command(click.Context(main), "settings") is not None
