"""Helpers for the worker tests: a fake Slack that remembers messages, stories made by hand."""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

from briefings.models import Extraction, Figure, Quote, Story
from briefings.settings import Settings, load_settings
from briefings.store import Store
from tests.support.fake_slack import Call, FakeSlack

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "fixtures" / "corpus"


class HistorySlack(FakeSlack):
    """FakeSlack that also answers conversations.history/replies (GET, with query parameters)
    from the messages it accepted, metadata included: what reconciliation after a crash reads."""

    def __init__(self) -> None:
        super().__init__()
        self.messages: list[dict[str, Any]] = []
        # Stop within 50 ms instead of serve_forever's default half-second poll.
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def posts(self, channel: str | None = None) -> list[Call]:
        return [c for c in self.calls_to("chat.postMessage")
                if channel is None or c.params.get("channel") == channel]

    def _answer(self, method: str, params: dict[str, Any], token: str) -> tuple[int, dict, dict]:
        if method in ("conversations.history", "conversations.replies"):
            with self.lock:
                queue = self._failures.get(method) or []
                failure = queue.pop(0) if queue else None
                messages = list(self.messages)
            if failure and failure.status == 429:
                return 429, {"ok": False, "error": "ratelimited"}, {
                    "Retry-After": str(failure.retry_after)}
            if failure and failure.error:
                return 200, {"ok": False, "error": failure.error}, {}
            # `oldest` is not applied: this fake's ts are not real times, tests' clocks are fake.
            found = [m for m in messages if m["channel"] == params.get("channel")]
            if method == "conversations.history":
                found = [m for m in found if not m.get("thread_ts")]
            else:
                found = [m for m in found if m.get("thread_ts") == params.get("ts")]
            return 200, {"ok": True, "messages": found, "has_more": False}, {}
        status, body, headers = super()._answer(method, params, token)
        if method == "chat.postMessage" and body.get("ok"):
            metadata = params.get("metadata")
            if isinstance(metadata, str):
                metadata = json.loads(metadata)
            with self.lock:
                self.messages.append({"channel": params.get("channel"), "ts": body["ts"],
                                      "thread_ts": params.get("thread_ts"), "metadata": metadata,
                                      "text": params.get("text")})
        return status, body, headers

    def _handler(self):  # noqa: ANN202 - the base handler reads no query string on GET
        base = super()._handler()
        fake = self

        class Handler(base):
            def do_GET(self) -> None:  # noqa: N802
                path, _, query = self.path.partition("?")
                params = dict(parse_qsl(query))
                method = path.removeprefix("/api/")
                token = (self.headers.get("Authorization") or "").removeprefix("Bearer ").strip()
                with fake.lock:
                    fake.calls.append(Call(method, params, dict(self.headers)))
                status, body, headers = fake._answer(method, params, token)
                payload = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        return Handler


class Clock:
    """A settable clock: tests move time instead of sleeping."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def set(self, text: str) -> datetime:
        self.now = datetime.fromisoformat(text)
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def make_settings(db: Path, **changes: Any) -> Settings:
    settings = load_settings({"SITREP_DB": str(db)}, ROOT / "config")
    return settings.replace(
        slack_bot_token="xoxb-test", briefing_time="08:00", briefing_timezone="UTC",
        briefing_grace_minutes=180, **changes,
    )


def add_story(
    store: Store, story_id: str, title: str, *, fetched: datetime,
    published: datetime | None = None, outlet: str = "Tokyo Today", text: str = "",
    cluster_id: str | None = None, figures: Sequence[Figure] = (), quotes: Sequence[Quote] = (),
    url: str | None = None,
) -> Story:
    story = Story(
        id=story_id, source_id=f"src-{outlet}", outlet=outlet, title=title,
        url=url or f"https://example.test/{story_id}", guid=None,
        published=published or fetched - timedelta(hours=1), fetched=fetched, summary="",
        text=text or title, text_origin="feed", cluster_id=cluster_id or story_id,
    )
    store.add_story(story, [f"url:{story_id}"], None)
    store.save_extraction(story_id, Extraction(tuple(figures), tuple(quotes)), fetched)
    return story


def killed(value: float, claimant: str | None, where: str | None = "Mariupol",
           kind: str = "killed", what: str = "civilians killed") -> Figure:
    return Figure(value=value, low=None, high=None, approx="exact", what=what, kind=kind,
                  where=where, claimant=claimant, sentence=f"{value} {what} in {where}.")


def quote(text: str, speaker: str | None) -> Quote:
    return Quote(text=text, speaker=speaker, cue="said", sentence=f'"{text}," {speaker} said.')

