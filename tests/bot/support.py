"""Helpers for the Slack tests: signed requests, a `sitrep serve` process, Block Kit limits."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

from slack_sdk.signature import SignatureVerifier

ROOT = Path(__file__).resolve().parents[2]
SECRET = "test-signing-secret-8f1e"
BOT_TOKEN = "xoxb-test-token-1234567890"
APP_TOKEN = "xapp-1-test-app-token-0987654321"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def sitrep_env(fake_api_url: str, db_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "SITREP_"))}
    env.update({
        "SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": fake_api_url, "SITREP_DB": str(db_path),
        "SITREP_CONFIG_DIR": str(ROOT / "config"), "PYTHONUNBUFFERED": "1",
    })
    env.update(extra)
    return env


class ServeProcess:
    """`python -m bot serve` on a free port, stopped on exit."""

    def __init__(self, env: dict[str, str], *args: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bot", *args, "serve", "--host", "127.0.0.1",
             "--port", str(self.port)],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        self.ready_after = self._wait_ready()

    def _wait_ready(self, timeout: float = 20.0) -> float:
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"sitrep serve exited: {self.proc.stderr.read()}")
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=1) as response:
                    if response.status == 200:
                        return time.perf_counter() - self.started
            except OSError:
                time.sleep(0.02)
        raise AssertionError("sitrep serve did not answer /healthz in time")

    def stop(self) -> str:
        self.proc.terminate()
        try:
            _, err = self.proc.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            _, err = self.proc.communicate()
        return err

    def __enter__(self) -> ServeProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def signed_headers(body: str, *, secret: str = SECRET, timestamp: int | None = None,
                   content_type: str = "application/x-www-form-urlencoded") -> dict[str, str]:
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    signature = SignatureVerifier(secret).generate_signature(timestamp=stamp, body=body)
    return {"X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": signature,
            "Content-Type": content_type}


def post(url: str, body: str, headers: dict[str, str]) -> tuple[int, str]:
    request = urllib.request.Request(url, data=body.encode(), headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def slash_body(text: str, response_url: str, *, channel: str = "C0TEST", user: str = "U0TEST"
               ) -> str:
    return urlencode({
        "token": "legacy-verification-token", "team_id": "T1", "team_domain": "test",
        "channel_id": channel, "channel_name": "war-desk", "user_id": user, "user_name": "ana",
        "command": "/conflict", "text": text, "api_app_id": "A1", "is_enterprise_install": "false",
        "response_url": response_url, "trigger_id": "1.2.3",
    })


def action_body(value: str, response_url: str, *, channel: str = "C0TEST",
                user: str = "U0TEST") -> str:
    payload = {
        "type": "block_actions", "team": {"id": "T1"}, "user": {"id": user},
        "api_app_id": "A1", "container": {"type": "message", "is_ephemeral": True,
                                          "channel_id": channel},
        "channel": {"id": channel, "name": "war-desk"}, "response_url": response_url,
        "trigger_id": "1.2.3",
        "actions": [{"type": "button", "action_id": "share_reply", "block_id": "b",
                     "value": value, "action_ts": "1.2"}],
    }
    return urlencode({"payload": json.dumps(payload)})


def check_limits(text: str, blocks: list[dict]) -> None:
    """Slack's Block Kit limits, as asserted on every message we send."""
    assert text and len(text) <= 3000
    assert len(blocks) <= 50
    for block in blocks:
        kind = block["type"]
        if kind == "header":
            assert len(block["text"]["text"]) <= 150
            assert block["text"]["type"] == "plain_text"
        elif kind == "section":
            if "text" in block:
                assert 0 < len(block["text"]["text"]) <= 3000
            fields = block.get("fields", [])
            assert len(fields) <= 10
            assert all(0 < len(f["text"]) <= 2000 for f in fields)
        elif kind == "context":
            assert 1 <= len(block["elements"]) <= 10
        elif kind == "actions":
            for element in block["elements"]:
                assert len(element["text"]["text"]) <= 75
                assert len(element.get("value", "")) <= 2000


def all_text(blocks: list[dict]) -> str:
    """Every string inside the blocks, joined (what a user could see)."""
    out: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
        elif isinstance(node, str):
            out.append(node)

    walk(blocks)
    return "\n".join(out)
