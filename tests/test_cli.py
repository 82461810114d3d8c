"""The command line from a user's terminal: help everywhere, poll and sources on local feeds."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from bot.cli import main
from tests.conftest import GOOD_FEEDS, HOSTILE_FEEDS

ROOT = Path(__file__).resolve().parents[1]


def all_commands(group: click.Group, prefix: str = ""):
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        yield f"{prefix}{name}", command
        if isinstance(command, click.Group):
            yield from all_commands(command, f"{prefix}{name} ")


@pytest.mark.parametrize(("name", "command"), list(all_commands(main)))
def test_every_command_has_help(name, command):
    assert command.help and command.help.strip(), f"`sitrep {name}` has no help text"
    result = CliRunner().invoke(main, [*name.split(), "--help"])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    "name",
    ["poll", "sources", "demo", "extract", "reextract", "serve", "run", "worker", "ask", "digest"],
)
def test_issue_commands_exist(name):
    assert main.get_command(click.Context(main), name) is not None


def write_feeds(tmp_path: Path, server, hostile: bool = True) -> Path:
    lines = []
    for name, path, outlet in GOOD_FEEDS:
        lines += ["[[feeds]]", f'name = "{name}"', f'url = "{server.url}{path}"',
                  f'outlet = "{outlet}"', ""]
    if hostile:
        for name in HOSTILE_FEEDS:
            lines += ["[[feeds]]", f'name = "Hostile {name}"',
                      f'url = "{server.url}feeds/hostile/{name}"', ""]
    lines += ["[[feeds]]", 'name = "Broken entry"', 'url = "ftp://nowhere.example/feed"', ""]
    path = tmp_path / "feeds.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def cli_env(tmp_path: Path) -> dict[str, str]:
    return {"SITREP_DB": str(tmp_path / "cli.db"), "SITREP_ALLOW_PRIVATE_ADDRESSES": "1"}


def test_poll_and_sources(tmp_path, corpus_server):
    feeds = write_feeds(tmp_path, corpus_server)
    runner = CliRunner()
    result = runner.invoke(main, ["poll", "--once", "--no-extract", "--feeds", str(feeds)],
                           env=cli_env(tmp_path))
    assert result.exit_code == 0, result.output
    summary = result.output.strip().splitlines()[-1]
    assert summary.startswith("feeds ok 9, failed 3, backing off 0; new stories ")
    assert "skipped feed 'Broken entry': bad url" in result.output
    assert "Hostile billion-laughs.xml: FAILED" in result.output
    sources = runner.invoke(main, ["sources"], env=cli_env(tmp_path))
    assert sources.exit_code == 0, sources.output
    assert "Tokyo Today — World [ok]" in sources.output
    assert "Hostile html-not-feed.xml [failing (1x)]" in sources.output
    assert "not a feed: the server sent an HTML page" in sources.output
    assert "backing off until" in sources.output


def test_missing_feeds_file_is_one_clear_line(tmp_path):
    result = CliRunner().invoke(main, ["poll", "--feeds", str(tmp_path / "nope.toml")],
                                env=cli_env(tmp_path))
    assert result.exit_code == 1
    assert "feeds file not found" in result.output
    assert "Traceback" not in result.output


def test_python_dash_m_bot_runs():
    result = subprocess.run([sys.executable, "-m", "bot", "--help"], capture_output=True,
                            text=True, cwd=ROOT, timeout=60)
    assert result.returncode == 0
    assert "poll" in result.stdout


def test_briefings_never_imports_slack():
    code = (
        "import sys, pkgutil, importlib, briefings\n"
        "for m in pkgutil.walk_packages(briefings.__path__, 'briefings.'):\n"
        "    importlib.import_module(m.name)\n"
        "bad = [m for m in sys.modules if m.startswith(('slack_bolt', 'slack_sdk'))]\n"
        "assert not bad, bad\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr


def test_poll_exits_non_zero_when_every_feed_failed(tmp_path):
    import socket

    with socket.socket() as closed:  # a port nobody listens on
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    feeds = tmp_path / "feeds.toml"
    feeds.write_text(f'[[feeds]]\nname = "Down"\nurl = "http://127.0.0.1:{port}/feed.xml"\n')
    result = CliRunner().invoke(main, ["poll", "--once", "--no-extract", "--feeds", str(feeds)],
                                env=cli_env(tmp_path))
    assert result.exit_code == 1
    assert "sitrep: every feed failed (1)" in result.output


def test_a_private_address_refusal_names_the_setting(tmp_path, corpus_server):
    feeds = tmp_path / "feeds.toml"
    feeds.write_text(f'[[feeds]]\nname = "Local"\nurl = "{corpus_server.url}feeds/x.xml"\n')
    runner = CliRunner()
    result = runner.invoke(main, ["poll", "--once", "--no-extract", "--feeds", str(feeds)],
                           env={"SITREP_DB": str(tmp_path / "cli.db")})
    assert result.exit_code == 1
    sources = runner.invoke(main, ["sources"], env={"SITREP_DB": str(tmp_path / "cli.db")})
    assert "SITREP_ALLOW_PRIVATE_ADDRESSES=1" in sources.output


@pytest.mark.parametrize("case", ["directory", "missing directory", "not a database",
                                  "read-only"])
def test_an_unusable_database_path_is_one_line_naming_sitrep_db(tmp_path, case):
    import os

    if case == "directory":
        db = tmp_path
    elif case == "missing directory":
        db = tmp_path / "tpyo" / "sitrep.db"
    elif case == "not a database":
        db = tmp_path / "notes.db"
        db.write_bytes(b"this is not sqlite" * 100)
    else:
        if os.geteuid() == 0:
            pytest.skip("root ignores file permissions")
        db = tmp_path / "ro" / "sitrep.db"
        db.parent.mkdir()
        CliRunner().invoke(main, ["sources"], env={"SITREP_DB": str(db)})
        db.chmod(0o444)
        db.parent.chmod(0o555)
    result = CliRunner().invoke(main, ["sources"], env={"SITREP_DB": str(db)})
    assert result.exit_code == 1, result.output
    assert f"SITREP_DB={db}" in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert not (tmp_path / "tpyo").exists()  # nothing created that nobody asked for


def _config_dir(tmp_path: Path, settings: str) -> Path:
    config = tmp_path / "config"
    config.mkdir(exist_ok=True)
    (config / "settings.toml").write_text(settings, encoding="utf-8")
    return config


ERROR_CASES = [
    # (arguments, extra environment or settings.toml text, exit code, words the line must hold)
    (["nosuch"], {}, 2, "No such command 'nosuch' — `sitrep --help`"),
    (["poll", "--bogus"], {}, 2, "No such option '--bogus' — `sitrep poll --help`"),
    (["extract", "missing.txt"], {}, 2, "does not exist — `sitrep extract --help`"),
    (["digest"], {}, 2, "--channel is needed"),
    (["digest", "--channel", "C1"], {}, 1, "SLACK_BOT_TOKEN is not set — set it to the Bot"),
    (["serve"], {"SLACK_BOT_TOKEN": "xoxb-1"}, 1, "SLACK_SIGNING_SECRET is not set — set it"),
    (["run"], {"SLACK_BOT_TOKEN": "xoxb-1"}, 1, "SLACK_APP_TOKEN is not set — Socket Mode"),
    (["poll", "--feeds", "nope.toml"], {}, 1, "feeds file not found: nope.toml — create it"),
    (["sources"], '[briefing]\ntimezone = "Mars/Olympus"\n', 1, "'Mars/Olympus' — "),
    (["sources"], '[poll]\nconcurency = 4\n', 1, "unknown setting poll.concurency — "),
    (["sources"], "[poll\n", 1, "fix the TOML syntax"),
    (["sources"], '[fetch]\nread_timeout = -1\n', 1, "fetch.read_timeout = -1.0 — "),
    (["sources"], {"SITREP_DB": "postgresql://sitrep:hunter2@127.0.0.1:1/sitrep"}, 1,
     "SITREP_DB=postgresql://sitrep:***@127.0.0.1:1/sitrep: cannot connect (Connection refused)"),
]


@pytest.mark.parametrize(("args", "extra", "code", "words"), ERROR_CASES,
                         ids=[" ".join(c[0]) + f" {i}" for i, c in enumerate(ERROR_CASES)])
def test_every_mistake_is_one_line_in_one_style(tmp_path, args, extra, code, words):
    """A real process: one line on stderr, `sitrep: <what> — <remedy>`, exit 1 (2 for usage)."""
    import os

    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "PYTHONPATH": str(ROOT),
           "SITREP_DB": str(tmp_path / "cli.db")}
    if isinstance(extra, str):
        env["SITREP_CONFIG_DIR"] = str(_config_dir(tmp_path, extra))
    else:
        env.update(extra)
    result = subprocess.run([sys.executable, "-m", "bot", *args], capture_output=True,
                            text=True, cwd=tmp_path, env=env, timeout=120)
    lines = result.stderr.strip().splitlines()
    assert result.returncode == code, result.stderr
    assert len(lines) == 1 and lines[0].startswith("sitrep: ") and " — " in lines[0], lines
    assert words in lines[0]


def test_a_missing_postgresql_database_is_one_line(tmp_path, postgres):
    import os

    url = postgres.url().rsplit("/", 1)[0] + "/no_such_database"
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "PYTHONPATH": str(ROOT),
           "SITREP_DB": url}
    result = subprocess.run([sys.executable, "-m", "bot", "sources"], capture_output=True,
                            text=True, cwd=tmp_path, env=env, timeout=120)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"sitrep: SITREP_DB={url}: cannot connect (database \"no_such_database\" does not "
        "exist) — check that the PostgreSQL server is up, the database exists and the user and "
        "password are right"]


def test_migrate_brings_an_old_database_up_to_date(tmp_path):
    from briefings.models import Extraction, Figure, Story
    from briefings.store import Store

    db = tmp_path / "old.db"
    store = Store(db)
    when = datetime(2024, 3, 10, tzinfo=UTC)
    store.add_story(Story(id="s1", source_id="src", outlet="Wire", title="Kharkiv shelling",
                          url="https://example.test/s1", guid=None, published=when, fetched=when,
                          summary="", text="Russian shelling killed 4 in Kharkiv, officials said.",
                          text_origin="page", cluster_id="s1"), ["url:s1"], None)
    store.save_extraction("s1", Extraction((Figure(
        value=4, low=None, high=None, approx="exact", what="people killed", kind="killed",
        where="Kharkiv", claimant="the regional governor", sentence=""),), ()), when)
    # as an older series rule left it: another key, recorded under another fingerprint
    store.db.execute("update meta set value = 'an older rule' where key = 'series_topics'")
    store.db.execute("update figures set series_key = 'killed|older', quantity_key = null")
    store.db.execute("update stories set conflicts = null")  # stored before conflicts existed
    store.close()
    env = {"SITREP_DB": str(db), "SITREP_CONFIG_DIR": str(ROOT / "config")}
    first = CliRunner().invoke(main, ["migrate"], env=env)
    assert first.exit_code == 0, first.output
    assert "schema m0" in first.output
    assert "1 figures' series recomputed, 1 stories classified again" in first.output
    again = CliRunner().invoke(main, ["migrate"], env=env)
    assert "0 figures' series recomputed, 0 stories classified again" in again.output
