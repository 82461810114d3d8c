"""`sitrep serve` as a real process: signed slash commands in, what reached the fake Slack out."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
import urllib.request
import uuid
from datetime import UTC, datetime

import pytest

from briefings.store import Store
from tests.bot.support import (
    ROOT,
    ServeProcess,
    action_body,
    all_text,
    check_limits,
    post,
    signed_headers,
    sitrep_env,
    slash_body,
)


def ask(process: ServeProcess, fake, text: str, **kwargs) -> dict:
    """Send `/conflict <text>` signed; return the JSON the bot posted to the response URL."""
    path = f"/response/{uuid.uuid4().hex}"  # this request's own: a late reply to another is not it
    body = slash_body(text, fake.url + path.lstrip("/"), **kwargs)
    charts = len(fake.calls_to("files.completeUploadExternal"))
    status, answer = post(process.url + "/slack/events", body, signed_headers(body))
    assert status == 200, answer
    deadline = time.time() + 10
    while time.time() < deadline:
        posted = replies(fake, path)
        if posted:
            reply = posted[0]
            check_limits(reply["text"], reply.get("blocks", []))
            if text.startswith("figures") and "No key figures" not in reply["text"]:
                # its chart follows the reply: let it land before the next test counts calls
                fake.wait_for("files.completeUploadExternal", charts + 1, timeout=30)
            return reply
        time.sleep(0.02)
    raise AssertionError(f"no reply to {text!r}")


def replies(fake, path: str | None = None) -> list[dict]:
    """Replies posted to response URLs (not the deletions of ephemeral messages); to `path`'s
    only when given."""
    return [c.params for c in fake.calls_to("response_url")
            if "text" in c.params and (path is None or c.path == path)]


def test_healthz_answers(serve_corpus):
    with urllib.request.urlopen(serve_corpus.url + "/healthz", timeout=5) as response:
        assert response.status == 200
        health = json.loads(response.read())
        assert health["ok"] is True and health["slack"] in ("ok", "checking")
        assert health["database"] == "ok"
        # no worker runs here: on SQLite the queue is not used, on PostgreSQL it says so
        assert health["queue"].startswith(("not used", "not set up", "no worker")), health
    assert serve_corpus.ready_after < 10


def test_healthz_is_503_when_the_database_does_not_answer():
    import asyncio

    from bot.slack.http import asgi_app

    def gone() -> str:
        return "unreachable: OperationalError"

    sent: list[dict] = []

    async def receive() -> dict:
        return {"type": "http.request", "body": b""}

    async def send(message: dict) -> None:
        sent.append(message)

    app = asgi_app(object(), checks={"database": gone, "queue": lambda: "ok: 1 worker"})
    asyncio.run(app({"type": "http", "method": "GET", "path": "/healthz", "headers": []},
                    receive, send))
    assert sent[0]["status"] == 503
    health = json.loads(sent[1]["body"])
    assert health == {"ok": False, "database": "unreachable: OperationalError",
                      "queue": "ok: 1 worker"}


def test_latest_mariupol_shows_the_toll_with_its_claimant(serve_corpus, fake_slack, corpus_db):
    store = Store(corpus_db)
    found = store.figures_of_stories(s.id for s in store.stories(limit=50))
    tolls = {f"{f.value:,.0f}": f.claimant for f in (one.item for one in found)
             if f.kind == "killed" and f.where == "Mariupol" and f.value and f.claimant}
    store.close()
    assert "2,187" in tolls, "extraction should find 2,187 in Mariupol and who claims it"
    reply = ask(serve_corpus, fake_slack, "latest Mariupol")
    assert reply["response_type"] == "ephemeral"
    line = next(line for line in all_text(reply["blocks"]).splitlines()
                if "killed in Mariupol" in line)
    value = next(v for v in tolls if v in line)
    assert f"— {tolls[value]}" in line
    assert "also: Harbour Herald" in all_text(reply["blocks"])
    button = reply["blocks"][-1]["elements"][0]
    assert button["text"]["text"] == "Post to channel" and button["value"] == "latest Mariupol"


def test_feed_text_reaches_slack_escaped(serve_corpus, fake_slack):
    reply = ask(serve_corpus, fake_slack, "latest mariupol")
    seen = all_text(reply["blocks"]) + reply["text"]
    assert "evacuation corridor" in seen  # the hostile story is shown...
    for raw in ("<!channel>", "<!here>", "<@U012AB3CD>", "<https://evil.example|click me>",
                "<!subteam^", "javascript:"):
        assert raw not in seen  # ...but nothing in it pings or links
    assert "&lt;!channel&gt;" in seen and "&lt;@U012AB3CD&gt;" in seen


def test_post_to_channel_posts_the_same_blocks(serve_corpus, fake_slack):
    reply = ask(serve_corpus, fake_slack, "figures Mariupol")
    value = reply["blocks"][-1]["elements"][0]["value"]
    hook = fake_slack.url + f"response/{uuid.uuid4().hex}"
    body = action_body(value, hook)
    before = len(fake_slack.calls_to("chat.postMessage"))
    status, _ = post(serve_corpus.url + "/slack/events", body, signed_headers(body))
    assert status == 200
    posted = fake_slack.wait_for("chat.postMessage", before + 1)[-1].params
    assert posted["channel"] == "C0TEST"
    shared = [b for b in posted["blocks"] if b["type"] != "context" or
              "Shared by" not in all_text([b])]
    assert shared == reply["blocks"][:-1]  # the same reply, without the button
    check_limits(posted["text"], posted["blocks"])


@pytest.mark.parametrize("text", ["", "help", "frobnicate Kyiv", "latest", "digest at 25:00",
                                  "digest at 08:00 Mars/Olympus", "quotes 🔥🔥🔥"])
def test_usage_and_problems_get_a_clear_reply(serve_corpus, fake_slack, text):
    reply = ask(serve_corpus, fake_slack, text)
    assert "/conflict latest" in all_text(reply["blocks"])
    assert "Traceback" not in all_text(reply["blocks"])


def test_subscribe_and_digest_are_stored(serve_corpus, fake_slack, corpus_db):
    assert "now follows *Kyiv*" in all_text(ask(serve_corpus, fake_slack, "subscribe kiev",
                                                channel="C0SUBS")["blocks"])
    ask(serve_corpus, fake_slack, "digest at 7:30 Asia/Tokyo", channel="C0SUBS")
    listed = all_text(ask(serve_corpus, fake_slack, "subscriptions", channel="C0SUBS")["blocks"])
    assert "Kyiv" in listed and "07:30 Asia/Tokyo" in listed
    store = Store(corpus_db)
    assert store.subscriptions("C0SUBS") == [("C0SUBS", "Kyiv")]
    assert store.channel("C0SUBS").digest_tz == "Asia/Tokyo"
    store.close()
    ask(serve_corpus, fake_slack, "digest off", channel="C0SUBS")
    ask(serve_corpus, fake_slack, "unsubscribe Kyiv", channel="C0SUBS")


def test_sources_and_digest_preview(serve_corpus, fake_slack):
    assert "Frontline Wire" in all_text(ask(serve_corpus, fake_slack, "sources")["blocks"])
    preview = ask(serve_corpus, fake_slack, "digest")
    assert preview["response_type"] == "ephemeral" and preview["blocks"]


def test_unsigned_and_replayed_requests_are_refused(serve_corpus, fake_slack):
    body = slash_body("latest Mariupol", fake_slack.url + "response/refused")
    url = serve_corpus.url + "/slack/events"
    assert post(url, body, {"Content-Type": "application/x-www-form-urlencoded"})[0] == 401
    assert post(url, body, signed_headers(body, secret="not-the-secret"))[0] == 401
    old = int(time.time()) - 6 * 60
    assert post(url, body, signed_headers(body, timestamp=old))[0] == 401
    tampered = body.replace("Mariupol", "Kyiv")
    assert post(url, tampered, signed_headers(body))[0] == 401
    time.sleep(0.3)
    assert not [c for c in fake_slack.calls_to("response_url") if "refused" in str(c.params)]


@pytest.mark.parametrize(
    ("body", "headers"),
    [
        # a timestamp that is not a number: refused before any parsing, never answered
        ("{response_url}", {"X-Slack-Request-Timestamp": "soon", "X-Slack-Signature": "v0=00",
                            "Content-Type": "application/x-www-form-urlencoded"}),
        # a malformed interactive payload and malformed JSON, unsigned
        ("payload=%7B%22response_url%22%3A%22{url}%22%2C", {
            "Content-Type": "application/x-www-form-urlencoded"}),
        ('{{"type": "event_callback", "response_url": "{url}"', {
            "Content-Type": "application/json"}),
        # a future timestamp
        ("{response_url}", {"X-Slack-Request-Timestamp": "99999999999", "X-Slack-Signature": "v0=0",
                            "Content-Type": "application/x-www-form-urlencoded"}),
    ],
)
def test_forged_requests_get_401_and_nothing_else(serve_corpus, fake_slack, body, headers):
    target = fake_slack.url + "response/attacker"
    text = body.format(url=target, response_url=slash_body("help", target))
    before = len(fake_slack.calls)
    status, answer = post(serve_corpus.url + "/slack/events", text, headers)
    assert status == 401
    assert "Traceback" not in answer
    time.sleep(0.3)
    # no reply and no call out of any kind (the background token check aside, and a late
    # reply to an earlier test's own response URL)
    out = [c for c in fake_slack.calls[before:]
           if c.method != "auth.test" and not (c.method == "response_url"
                                                and c.path != "/response/attacker")]
    assert out == []


def test_limits_hold_with_500_stories_on_one_topic(serve_big, fake_slack):
    for command in ("latest Mariupol", "figures Mariupol", "quotes Mariupol", "quotes Speaker 3"):
        reply = ask(serve_big, fake_slack, command)  # ask() checks the limits
        seen = all_text(reply["blocks"])
        assert re.search(r"and [\d,]+ (more|earlier)", seen), command
        assert "<!here>" not in seen and "<!channel>" not in seen and "<!subteam" not in seen


def test_serve_never_imports_spacy():
    code = ("import sys; from bot.slack.http import build_asgi, asgi_app; "
            "import bot.slack.app, bot.cli; "
            "assert not [m for m in sys.modules if m == 'spacy' or m.startswith('spacy.')], "
            "sorted(m for m in sys.modules if 'spacy' in m)")
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, timeout=60)


def test_serve_never_imports_matplotlib():
    """Charts are drawn in the lazy listener when one is asked for: the web process starts
    without matplotlib (and without Datasette)."""
    code = ("import sys; from bot.slack.http import build_asgi, asgi_app; "
            "import bot.slack.app, bot.cli; "
            "assert not [m for m in sys.modules if m.split('.')[0] in "
            "('matplotlib', 'datasette', 'PIL') or m in ('bot.slack.files', "
            "'briefings.chart_data', 'briefings.export', 'bot.render.chart')], "
            "sorted(m for m in sys.modules if m.startswith(('matplotlib', 'datasette', 'PIL')))")
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, timeout=60)


def test_tokens_are_never_logged(fake_slack, corpus_db):
    env = sitrep_env(fake_slack.api_url, corpus_db)
    with ServeProcess(env, "--verbose") as process:
        ask(process, fake_slack, "latest Kyiv")
        err = process.stop()
    assert "auth.test" in err or "Sending a request" in err  # verbose logging was on
    assert env["SLACK_BOT_TOKEN"] not in err and env["SLACK_SIGNING_SECRET"] not in err


@pytest.mark.parametrize(
    ("timestamp", "secret", "tamper", "ok"),
    [
        ("1700000000", "s3cret", False, True),
        ("1700000000", "other", False, False),
        ("1699999000", "s3cret", False, False),  # 1,000 s old: a replay
        ("1700000400", "s3cret", False, False),  # from the future
        ("17e8", "s3cret", False, False),
        ("", "s3cret", False, False),
        ("1700000000", "s3cret", True, False),
    ],
)
def test_verified_judges_raw_bytes_only(timestamp, secret, tamper, ok):
    from slack_sdk.signature import SignatureVerifier

    from bot.slack.http import verified

    body = b"command=%2Fconflict&text=help"
    signature = SignatureVerifier(secret).generate_signature(timestamp=timestamp,
                                                             body=body.decode())
    sent = body + b"x" if tamper else body
    headers = {"x-slack-request-timestamp": timestamp, "x-slack-signature": signature}
    assert verified(sent, headers, "s3cret", now=1_700_000_000) is ok


def test_serve_starts_and_answers_healthz_while_slack_is_unreachable(corpus_db):
    import socket

    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{closed.getsockname()[1]}/api/"
    with ServeProcess(sitrep_env(dead, corpus_db)) as process:
        deadline = time.time() + 10
        while True:
            with urllib.request.urlopen(process.url + "/healthz", timeout=5) as response:
                health = json.loads(response.read())
            if health["slack"] != "checking" or time.time() > deadline:
                break
            time.sleep(0.1)
        assert response.status == 200
        assert health["slack"].startswith("unreachable")


def test_app_home_shows_public_channels_and_the_viewers_own_only(fake_slack, tmp_path):
    db = tmp_path / "home.db"
    store = Store(db)
    now = datetime(2024, 3, 10, 9, 0, tzinfo=UTC)
    for channel in ("CPUBLIC1", "GPRIVATE1", "GPRIVATE2"):
        store.subscribe(channel, f"Topic of {channel}", now)
    store.record_channel_error("CPUBLIC1", "the bot is not in the channel: invite it with "
                               "/invite @sitrep (not_in_channel)", now)
    store.close()
    fake_slack.channels.update({
        "CPUBLIC1": {"is_private": False},
        "GPRIVATE1": {"is_private": True, "members": ["UVIEWER1", "UOTHER01"]},
        "GPRIVATE2": {"is_private": True, "members": ["UOTHER01"]},
    })
    event = {"token": "t", "team_id": "T1", "api_app_id": "A1", "type": "event_callback",
             "event_id": "Ev1", "event_time": 1,
             "event": {"type": "app_home_opened", "user": "UVIEWER1", "channel": "D1",
                       "tab": "home", "event_ts": "1.2"}}
    body = json.dumps(event)
    before = len(fake_slack.calls_to("views.publish"))
    with ServeProcess(sitrep_env(fake_slack.api_url, db)) as process:
        status, _ = post(process.url + "/slack/events", body,
                         signed_headers(body, content_type="application/json"))
        assert status == 200
        published = fake_slack.wait_for("views.publish", before + 1, timeout=20)[before]
    view = json.dumps(published.params["view"])
    assert "Topic of CPUBLIC1" in view and "Topic of GPRIVATE1" in view
    assert "Topic of GPRIVATE2" not in view  # another private channel's settings
    assert "invite it with /invite @sitrep" in view
