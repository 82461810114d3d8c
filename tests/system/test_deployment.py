"""The deployment promise, from the user's side: `sitrep serve` and three `sitrep worker`
processes on one PostgreSQL database, in OAuth mode, two workspaces installed through Slack's
OAuth flow and set up with signed slash commands (one Slack Connect channel id in both). Workers
are SIGKILLed and restarted, and SIGTERMed, while their posts are in flight, and all of them
are SIGKILLed while a feed's poll is in flight; still every briefing slot and alert is posted
exactly once, with its own workspace's token, to the right channel; no feed is fetched twice in
its interval; and neither workspace sees the other's topics or briefing time.

Every process is real (`python -m tests.support.sitrep_process`, each in its own process group):
`sitrep migrate`, then `sitrep serve` with a clock reading the day before, then the workers with
a clock reading 08:00:05 on the day of the briefings, all talking to the fake Slack and to the
sample corpus served locally. The workers run with --no-extract: extraction has its own tests
(tests/queue, bench/extract_workers.py), and each of eight workers would load spaCy first.
"""

from __future__ import annotations

import json
import re
import signal
import subprocess
import threading
import time
import uuid
from collections import Counter
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest

from briefings.fileserver import FileServer
from briefings.samples import SAMPLE_FEEDS
from briefings.store import POSTED, Store
from tests.bot.support import SECRET, free_port, signed_headers
from tests.queue.support import NOW, Process, environment, feed_paths, wait_until
from tests.support.fake_slack import FakeSlack
from tests.worker.support import CORPUS

CLIENT_ID = "1111.2222"
CLIENT_SECRET = "oauth-client-secret-5d2c"
STATE_COOKIE = "slack-app-oauth-state"
DAY_BEFORE = "2024-03-09T12:00:00+00:00"  # when the desks set Sitrep up
SLOT = "2024-03-10T08:00:00+00:00"  # every channel's briefing is due then (08:00 UTC)

ALPHA, BETA = "TALPHA", "TBETA"
SHARED = "C0SHARED"  # a Slack Connect channel: the same id in both workspaces
CHANNELS = {ALPHA: ("C0ALPHA", SHARED), BETA: ("C0BETA", SHARED)}
# (workspace, channel, command): what each desk types, the day before
SETUP = [
    (ALPHA, SHARED, "subscribe Mariupol"),
    (ALPHA, SHARED, "digest at 17:00 Asia/Tokyo"),
    (ALPHA, "C0ALPHA", "subscribe Kyiv"),
    (ALPHA, "C0ALPHA", "digest at 08:00 UTC"),
    (BETA, SHARED, "subscribe Odesa"),
    (BETA, SHARED, "digest at 09:00 Europe/Paris"),
    (BETA, "C0BETA", "subscribe Odesa"),
    (BETA, "C0BETA", "digest at 08:00 UTC"),
]
TOPICS = {ALPHA: ("Mariupol", "Kyiv"), BETA: ("Odesa",)}
SHARED_ZONES = {ALPHA: "Asia/Tokyo", BETA: "Europe/Paris"}  # each one's briefing in SHARED
HELD_FEED = "/feeds/harbourherald-world.xml"  # its story is in no alert of these topics
OTHER_FEEDS = [name for name, path, _ in SAMPLE_FEEDS if "/" + path != HELD_FEED]
POST_DELAY = 1.0  # seconds a post is in flight at the fake Slack: time to signal its worker


class HeldFeedServer(FileServer):
    """The corpus' feeds, one of which answers only when the test says so: a poll in flight,
    long enough to kill the workers during it."""

    def __init__(self, root: Path, held: str) -> None:
        super().__init__(root)
        self.held = held
        self.arrived = threading.Event()
        self.release = threading.Event()

    def body(self, path: str) -> bytes | None:
        if path == self.held:
            self.arrived.set()
            self.release.wait(60)
        return super().body(path)


class Sitrep:
    """`sitrep serve` as a real process, and what a browser and Slack send it."""

    def __init__(self, tmp_path: Path, env: dict[str, str], fake: FakeSlack) -> None:
        self.fake = fake
        port = free_port()
        self.url = f"http://127.0.0.1:{port}"
        self.process = Process(tmp_path, env, f"{DAY_BEFORE}@{time.time()}",
                               ["serve", "--host", "127.0.0.1", "--port", str(port)],
                               name="serve")
        self.http = httpx.Client(base_url=self.url, follow_redirects=False, timeout=10)
        wait_until(self._healthy, 30, "sitrep serve answering /healthz")

    def _healthy(self) -> bool:
        if self.process.popen.poll() is not None:
            raise AssertionError(f"sitrep serve exited:\n{self.process.log}")
        try:
            return self.http.get("/healthz").status_code == 200
        except httpx.TransportError:
            return False

    def close(self) -> None:
        self.http.close()
        try:
            self.process.terminate(timeout=10)
        except subprocess.TimeoutExpired:
            pass  # killed below
        self.process.kill()

    def install(self, code: str, team: str, name: str) -> str:
        """An admin of `team` installs Sitrep: /slack/install, Slack's approval, and back to
        /slack/oauth_redirect with the state cookie. The bot token Slack gave the workspace."""
        self.fake.workspace_for(code, team, name=name)
        start = self.http.get("/slack/install")
        assert start.status_code == 302, start.text
        target = urlsplit(start.headers["location"])
        assert (target.hostname, target.path) == ("slack.com", "/oauth/v2/authorize")
        state = parse_qs(target.query)["state"][0]
        cookie = start.cookies.get(STATE_COOKIE)
        assert cookie, start.headers
        page = self.http.get("/slack/oauth_redirect?" + urlencode({"code": code, "state": state}),
                             headers={"Cookie": f"{STATE_COOKIE}={cookie}"})
        assert page.status_code == 200, page.text
        assert f"Sitrep is installed in {name}" in page.text
        return next(token for token, installed in self.fake.tokens.items()
                    if installed["team_id"] == team)

    def command(self, team: str, channel: str, text: str) -> str:
        """`/conflict <text>` typed in `team`'s `channel`, signed; the reply, as JSON text."""
        path = f"response/{uuid.uuid4().hex}"
        body = urlencode({
            "token": "legacy", "team_id": team, "team_domain": team.lower(),
            "channel_id": channel, "channel_name": "war-desk", "user_id": f"U{team}",
            "user_name": "ana", "command": "/conflict", "text": text, "api_app_id": "A1",
            "is_enterprise_install": "false", "response_url": self.fake.url + path,
            "trigger_id": "1.2.3",
        })
        response = self.http.post("/slack/events", content=body.encode(),
                                  headers=signed_headers(body))
        assert response.status_code == 200, response.text
        replies: list[dict] = []

        def replied() -> bool:
            replies[:] = [c.params for c in self.fake.calls_to("response_url")
                          if c.path == "/" + path and "text" in c.params]
            return bool(replies)

        wait_until(replied, 15, f"a reply to /conflict {text} in {team}/{channel}")
        return json.dumps(replies[0])


@pytest.fixture
def fake() -> FakeSlack:
    with FakeSlack() as fake:
        for channel in ("C0ALPHA", "C0BETA", SHARED):
            fake.channels[channel] = {"is_private": False}
        yield fake


@pytest.fixture
def feeds() -> HeldFeedServer:
    with HeldFeedServer(CORPUS, HELD_FEED) as server:
        try:
            yield server
        finally:
            server.release.set()


@pytest.fixture
def env(tmp_path, postgres, fake, feeds) -> dict[str, str]:
    """Every process's environment: OAuth mode (no SLACK_BOT_TOKEN), one PostgreSQL database
    for the store and the job queue, the fake Slack, the corpus' feeds, a 2-second claim."""
    env = environment(tmp_path, postgres.url(), feeds.url, fake.api_url)
    del env["SLACK_BOT_TOKEN"]
    env.update(SLACK_CLIENT_ID=CLIENT_ID, SLACK_CLIENT_SECRET=CLIENT_SECRET,
               SLACK_SIGNING_SECRET=SECRET, PYTHONUNBUFFERED="1")
    return env


@pytest.fixture
def sitrep(tmp_path, env, fake):
    migrate = Process(tmp_path, env, f"{DAY_BEFORE}@{time.time()}", ["migrate"], name="migrate")
    try:
        assert migrate.wait(60) == 0, migrate.log
    finally:
        migrate.kill()
    assert "job queue set up" in migrate.log
    server = Sitrep(tmp_path, env, fake)
    try:
        yield server
    finally:
        server.close()


class Workers:
    """`sitrep worker` processes on the job queue; each writes posts/<pid> before a post."""

    def __init__(self, tmp_path: Path, env: dict[str, str]) -> None:
        self.tmp_path, self.env = tmp_path, env
        self.now = f"{NOW}@{time.time()}"  # one clock for all, restarted ones included
        self.posts = tmp_path / "posts"
        self.posts.mkdir()
        self.all: list[Process] = []

    def start(self) -> Process:
        worker = Process(self.tmp_path, self.env, self.now, ["worker", "--no-extract"],
                         options=["--announce-posts", str(self.posts)],
                         name=f"worker-{len(self.all) + 1}")
        self.all.append(worker)
        return worker

    def running(self) -> list[Process]:
        return [w for w in self.all if w.popen.poll() is None]

    def posting(self, timeout: float = 60) -> tuple[Process, str]:
        """Wait for a running worker to be inside a post; (that worker, the delivery's key).
        An announcement younger than the fake's POST_DELAY means the post is still in flight."""
        found: list[tuple[Process, str]] = []

        def announced() -> bool:
            found[:] = []
            for worker in self.running():
                path = self.posts / str(worker.pid)
                try:
                    key = path.read_text(encoding="utf-8")  # "" while being written
                    if key and time.time() - path.stat().st_mtime < POST_DELAY * 0.7:
                        found.append((worker, key))
                except FileNotFoundError:
                    continue
            return bool(found)

        wait_until(announced, timeout, "a worker posting")
        return found[0]

    def forget_announcements(self) -> None:
        for path in self.posts.iterdir():
            path.unlink()

    def logs(self, tail: int | None = 3000) -> str:
        return "\n".join(f"--- {w.log_path.name}\n{w.log if tail is None else w.log[-tail:]}"
                         for w in self.all)

    def stop(self) -> None:
        for worker in self.all:
            worker.kill()


def expected_briefings() -> list[str]:
    return sorted(f"briefing:{team}/{channel}:{SLOT}"
                  for team, channels in CHANNELS.items() for channel in channels)


def _settled(store: Store, feeds: HeldFeedServer) -> bool:
    """Every feed polled, every channel's briefing and alert recorded, all of them posted."""
    if not all(feeds.log.statuses(path) for path in feed_paths()):
        return False
    deliveries = store.deliveries()
    briefings = sorted(d.key for d in deliveries if d.kind == "briefing")
    alerted = {d.channel for d in deliveries if d.kind == "alert"}
    channels = {f"{team}/{channel}" for team, cs in CHANNELS.items() for channel in cs}
    return (briefings == expected_briefings() and alerted == channels
            and all(d.state == POSTED for d in deliveries))


def posted_keys(fake: FakeSlack) -> list[str]:
    """The delivery key of each message Slack took (in its metadata), in order."""
    with fake.lock:
        return [m["metadata"]["event_payload"]["key"] for m in fake.messages]


def _key(params: dict) -> str:
    """The delivery key a chat.postMessage carries in its metadata."""
    metadata = params["metadata"]
    if isinstance(metadata, str):
        metadata = json.loads(metadata)
    return metadata["event_payload"]["key"]


def _workspace_of(token: str, tokens: dict[str, str]) -> str:
    return next(team for team, known in tokens.items() if known == token)


def assert_posted_exactly_once(store: Store, fake: FakeSlack, tokens: dict[str, str]) -> None:
    """Each recorded delivery posted once, with its workspace's token, to its Slack channel."""
    keys = Counter(posted_keys(fake))
    assert all(count == 1 for count in keys.values()), keys
    recorded = {d.key: d for d in store.deliveries()}
    assert set(keys) == set(recorded)
    assert sorted(k for k in keys if k.startswith("briefing:")) == expected_briefings()
    for post in fake.posts():
        delivery = recorded[_key(post.params)]
        team, _, channel = delivery.channel.partition("/")
        assert post.params["channel"] == channel, (post.params, delivery.key)
        assert post.token == tokens[team], (post.token, delivery.key)
    for delivery in recorded.values():
        if delivery.kind == "alert":  # each workspace's alerts are about its own topics
            team = delivery.channel.partition("/")[0]
            topic = delivery.key.split(":")[2]
            assert topic in {t.lower() for t in TOPICS[team]}, delivery.key


def assert_each_story_alerted_once(fake: FakeSlack) -> None:
    """No story in two alerts of one channel; a follow-up alert threads under its own
    channel's earlier one."""
    alerted: Counter[tuple[str, str]] = Counter()
    for post in fake.posts():
        key = _key(post.params)
        address = key.split(":")[1]
        if not key.startswith("alert:"):
            continue
        for url in set(re.findall(r"<(http[^|>]+)\|", json.dumps(post.params["blocks"]))):
            alerted[address, url] += 1
    assert alerted and all(n == 1 for n in alerted.values()), alerted
    by_ts = {m["ts"]: m["metadata"]["event_payload"]["key"].split(":")[1]
             for m in fake.messages}
    for message in fake.messages:
        if message["thread_ts"]:
            address = message["metadata"]["event_payload"]["key"].split(":")[1]
            assert by_ts[message["thread_ts"]] == address, message


def assert_no_call_crosses_workspaces(fake: FakeSlack, tokens: dict[str, str]) -> None:
    """Every Web API call names a channel of the workspace whose token it carries."""
    known = set(tokens.values())
    for call in fake.calls:
        if call.method in ("response_url", "oauth.v2.access"):
            continue
        assert call.token in known, (call.method, call.token)
        channel = call.params.get("channel") or call.params.get("channel_id")
        if channel:
            assert channel in CHANNELS[_workspace_of(call.token, tokens)], (
                call.method, channel, call.token)


def assert_each_workspace_sees_its_own_topics(sitrep: Sitrep) -> None:
    for team, channels in CHANNELS.items():
        others = [topic for other, topics in TOPICS.items() if other != team for topic in topics]
        for channel in channels:
            seen = sitrep.command(team, channel, "subscriptions")
            assert not [topic for topic in others if topic in seen], (team, channel, seen)
    assert "Mariupol" in sitrep.command(ALPHA, SHARED, "subscriptions")
    assert "Odesa" in sitrep.command(BETA, SHARED, "subscriptions")
    for team, other in ((ALPHA, BETA), (BETA, ALPHA)):  # the briefing time, in the shared id
        seen = sitrep.command(team, SHARED, "subscriptions")
        assert SHARED_ZONES[team] in seen and SHARED_ZONES[other] not in seen, (team, seen)


def test_workers_killed_and_stopped_mid_post_keep_every_promise(tmp_path, sitrep, fake, feeds,
                                                                 env):
    tokens = {ALPHA: sitrep.install("code-alpha", ALPHA, "Alpha News"),
              BETA: sitrep.install("code-beta", BETA, "Beta Desk")}
    assert tokens[ALPHA] != tokens[BETA]
    for team, channel, text in SETUP:
        confirmed = "now follows" if text.startswith("subscribe") else "Daily briefing set for"
        assert confirmed in sitrep.command(team, channel, text), (team, channel, text)
    assert_each_workspace_sees_its_own_topics(sitrep)

    fake.post_delay = POST_DELAY
    workers = Workers(tmp_path, env)
    store = Store(env["SITREP_DB"])
    try:
        for _ in range(3):
            workers.start()
        # SIGKILL a worker whose post Slack has taken but not yet answered, and start another
        # in its place: the post is found in the channel's history, not posted again
        killed, killed_key = workers.posting()
        wait_until(lambda: killed_key in posted_keys(fake), 10, f"{killed_key} reaching Slack")
        workers.forget_announcements()
        killed.kill()
        assert killed.popen.returncode == -signal.SIGKILL
        workers.start()
        # SIGTERM another while its post is in flight: it finishes that post, then stops
        termed, key = workers.posting()
        assert termed.terminate(timeout=40) == 0, termed.log
        assert store.delivery(key).state == POSTED, key
        workers.start()
        # SIGKILL every worker while one polls the held feed (a lost data centre), and start
        # three more: the poll's job is retried, and skipped, for the feed was claimed in this
        # interval. (The other feeds' polls are done first: a killed poll loses its interval.)
        assert feeds.arrived.wait(60), "the held feed was never polled"
        wait_until(lambda: all(f"polled {name}: ok" in workers.logs(tail=None)
                               for name in OTHER_FEEDS), 60, "the other feeds polled")
        for worker in workers.running():
            worker.kill()
        feeds.release.set()
        for _ in range(3):
            workers.start()

        try:
            wait_until(lambda: _settled(store, feeds), 90, "every delivery posted")
        except AssertionError as exc:
            raise AssertionError(f"{exc}\n{workers.logs()}") from None
        time.sleep(1.5)  # room for a wrong second post, or a second poll, to show up
        assert _settled(store, feeds), workers.logs()
        assert_posted_exactly_once(store, fake, tokens)
        assert_no_call_crosses_workspaces(fake, tokens)
        assert_each_story_alerted_once(fake)
        for path in feed_paths():  # one poll per feed in the interval, however many workers
            assert len(feeds.log.statuses(path)) == 1, (path, feeds.log.entries)
        assert_each_workspace_sees_its_own_topics(sitrep)
        for worker in workers.running():
            assert worker.terminate(timeout=40) == 0, worker.log
    finally:
        workers.stop()
        store.close()
    assert any(f"delivery {killed_key} had reached Slack" in w.log for w in workers.all)
    assert "stopping" in termed.log, termed.log
