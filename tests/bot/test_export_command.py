"""`/conflict export <topic>`: parsed like the other topic commands; its reply says what the CSV
holds (in Slack the file follows; `sitrep ask` points to `sitrep export`)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.commands import Command, Reply, answer, export_filename, parse
from briefings.conflicts import load_conflicts
from briefings.settings import load_settings
from briefings.store import Store
from briefings.topics import load_topics
from tests.bot.support import ROOT
from tests.support.claims_db import write_claims_db


@pytest.mark.parametrize(("text", "command"), [
    ("export Mariupol", Command("export", "Mariupol")),
    ("csv  “Mariupol” ", Command("export", "Mariupol")),
    ("download Gaza City", Command("export", "Gaza City")),
])
def test_export_parses_like_a_topic_command(text, command):
    assert parse(text) == command


def test_export_without_a_topic_is_help_with_an_example():
    command = parse("export")
    assert command.action == "help"
    assert command.problem == "`export` needs a topic, e.g. `/conflict export Mariupol`."


@pytest.mark.parametrize(("topic", "name"), [("Mariupol", "mariupol-claims.csv"),
                                             ("Gaza City", "gaza-city-claims.csv"),
                                             ("../x", "x-claims.csv"), ("«»", "topic-claims.csv")])
def test_export_filename(topic, name):
    assert export_filename(topic) == name


@pytest.fixture(scope="module")
def reply_in(tmp_path_factory):
    db = write_claims_db(tmp_path_factory.mktemp("export-command") / "claims.db")
    store = Store(db, load_topics(ROOT / "config" / "topics.toml"),
                  load_conflicts(ROOT / "config" / "conflicts.toml"))
    settings = load_settings({"SITREP_DB": str(db)}, ROOT / "config")

    def reply(channel: str | None) -> Reply:
        return Reply(store, store.topics, settings, datetime(2024, 5, 13, tzinfo=UTC), channel)

    yield reply
    store.close()


def test_in_slack_the_reply_announces_the_file(reply_in):
    message = answer(parse("export Mariupol"), reply_in("C0DESK"))
    assert message.text == ("7 figures and 4 quotes on *Mariupol*: the CSV follows in this "
                            "channel as `mariupol-claims.csv`.")


def test_in_a_terminal_the_reply_points_to_sitrep_export(reply_in):
    message = answer(parse("export Mariupol"), reply_in(None))
    assert message.text.endswith("; `sitrep export` writes them as CSV or JSON.")


def test_nothing_to_export(reply_in):
    assert answer(parse("export Atlantis"), reply_in("C0DESK")).text == (
        "Nothing stored about *Atlantis* to export yet.")
