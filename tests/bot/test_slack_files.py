"""`/conflict figures` posts a chart and `/conflict export` a CSV, after the reply, from a real
`sitrep serve` process talking to the fake Slack; the ack never waits for either."""

from __future__ import annotations

import csv
import io
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from briefings.export import PROMISED
from tests.bot.support import ServeProcess, post, signed_headers, sitrep_env, slash_body
from tests.support.claims_db import write_claims_db
from tests.support.fake_slack import FakeSlack


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as slack:
        yield slack


@pytest.fixture(scope="module")
def claims_db(tmp_path_factory) -> Path:
    return write_claims_db(tmp_path_factory.mktemp("files") / "claims.db")


@pytest.fixture(scope="module")
def serve(fake, claims_db) -> Iterator[ServeProcess]:
    with ServeProcess(sitrep_env(fake.api_url, claims_db)) as process:
        yield process


def slash(process: ServeProcess, fake: FakeSlack, text: str, channel: str
          ) -> tuple[float, str]:
    """Send `/conflict <text>` from `channel`; (seconds until Slack got its 200, reply path)."""
    path = f"/response/{uuid.uuid4().hex}"
    body = slash_body(text, fake.url + path.lstrip("/"), channel=channel)
    started = time.perf_counter()
    status, _ = post(process.url + "/slack/events", body, signed_headers(body))
    acked = time.perf_counter() - started
    assert status == 200
    return acked, path


def replies(fake: FakeSlack, path: str, timeout: float = 20.0, count: int = 1) -> list[dict]:
    deadline = time.time() + timeout
    while time.time() < deadline:
        found = [c.params for c in fake.calls_to("response_url") if c.path == path]
        if len(found) >= count:
            return found
        time.sleep(0.02)
    raise AssertionError(f"expected {count} replies at {path}")


def shared(fake: FakeSlack, channel: str, timeout: float = 30.0) -> dict:
    deadline = time.time() + timeout
    while time.time() < deadline:
        files = fake.shared_files(channel)
        if files:
            return files[0]
        time.sleep(0.05)
    raise AssertionError(f"no file shared in {channel}")


def test_figures_replies_then_posts_the_chart_without_delaying_the_ack(serve, fake):
    acked, path = slash(serve, fake, "figures Mariupol", "C0CHART")
    assert acked < 1.0  # the chart (matplotlib's import alone takes longer) is not drawn here
    (reply,) = replies(fake, path)
    assert reply["response_type"] == "ephemeral" and "Mariupol" in reply["text"]
    file = shared(fake, "C0CHART")
    assert file["filename"] == "mariupol.png" and file["data"].startswith(b"\x89PNG\r\n\x1a\n")
    assert len(file["data"]) > 10_000
    assert file["alt_txt"].startswith("Chart of key figures on Mariupol over time")
    assert "Mariupol city council (Ukraine) 1,210 on 6 May, 1,640 on 9 May, 2,050 on 12 May" \
        in file["alt_txt"]
    assert file["shared"]["initial_comment"] == ("Key figures on *Mariupol* over time for "
                                                 "<@U0TEST>")
    upload_url = fake.calls_to("files.getUploadURLExternal")
    assert upload_url and fake.calls_to("upload")


def test_export_posts_a_csv_of_claims_with_no_live_formula(serve, fake):
    _, path = slash(serve, fake, "export Mariupol", "C0EXPORT")
    (reply,) = replies(fake, path)
    assert "the CSV follows in this channel as `mariupol-claims.csv`" in reply["text"]
    file = shared(fake, "C0EXPORT")
    assert file["filename"] == "mariupol-claims.csv"
    rows = list(csv.DictReader(io.StringIO(file["data"].decode("utf-8-sig"), newline="")))
    assert rows and set(PROMISED) <= set(rows[0])
    cells = [cell for row in rows for cell in row.values()]
    assert not [c for c in cells if c.startswith(("=", "+", "-", "@"))]
    assert any(c.startswith("'=HYPERLINK(") for c in cells)


def test_a_chart_that_cannot_be_posted_leaves_the_reply_and_says_why(serve, fake):
    fake.fail_next("files.completeUploadExternal", error="not_in_channel")
    _, path = slash(serve, fake, "figures Mariupol", "C0NOTIN")
    first, second = replies(fake, path, count=2)
    assert "Mariupol" in first["text"] and first.get("blocks")  # the reply itself, whole
    assert second["text"] == ("I could not post the chart here: I am not in this channel — "
                              "invite me with /invite @Sitrep (not_in_channel).")
    assert fake.shared_files("C0NOTIN") == []


def test_nothing_to_chart_posts_no_file(serve, fake):
    _, path = slash(serve, fake, "figures Atlantis", "C0EMPTY")
    replies(fake, path)
    time.sleep(0.5)
    assert fake.shared_files("C0EMPTY") == []
    assert not [c for c in fake.calls_to("files.getUploadURLExternal")
                if "atlantis" in str(c.params.get("filename"))]
