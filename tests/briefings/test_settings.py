"""Settings are checked when they are read: a bad value is refused with the key, the value and
what is allowed, from the operator's side (`sitrep poll` on a config with the mistake)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import main
from briefings.errors import ConfigError
from briefings.settings import load_settings

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
