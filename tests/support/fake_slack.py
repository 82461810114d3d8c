"""A local fake of Slack's Web API (stdlib only): records every call, answers like Slack.

Point slack_sdk at it with `SLACK_API_URL=<fake.url>api/`. Failures are chosen per test:
`fake.fail_next("chat.postMessage", status=429, retry_after=1)` or
`fake.fail_next("chat.postMessage", error="channel_not_found")`; the token `xoxb-ratelimited`
always gets 429. `response_url` posts go to `<fake.url>response/<anything>`. Messages it accepted
(metadata included) are kept in `messages` and answered by conversations.history/replies, which
is what reconciliation after a crash reads.

Files arrive as Slack's external upload does it (slack_sdk's `files_upload_v2`):
files.getUploadURLExternal (filename, length, alt_txt of at most 1,000 characters) answers an
`upload_url` on this server and a `file_id`; the bytes are POSTed there (recorded as an "upload"
call; `fail_next("upload", status=500)` fails one); files.completeUploadExternal shares the
uploaded files in `channel_id` (and `thread_ts`). Each file is kept in `files` by id, with its
bytes in `data` and where it was shared.

OAuth: oauth.v2.access answers each `code` with an installation of its own workspace (team
`T` + the code's letters and digits, upper-cased, unless `fake.workspace_for(code, ...)` chose
one; the code `bad` is refused) and a new bot token `xoxb-<team>-<n>`; auth.test then answers
each token with its own team. `fake.revoke(token)` makes every later call with that token fail
with `token_revoked`, as Slack does after an uninstall. Every call records its `token`.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl


@dataclass
class Call:
    method: str  # "chat.postMessage", or "response_url" for response_url posts
    params: dict[str, Any]
    headers: dict[str, str]
    at: float = field(default_factory=time.time)
    path: str = ""  # for response_url posts, which response URL
    token: str = ""  # the bearer token it came with ("" for none)


@dataclass
class _Failure:
    status: int = 200
    error: str | None = None
    retry_after: int = 1


class FakeSlack:
    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.post_delay = 0.0  # seconds chat.postMessage holds its answer (a post in flight)
        # channel id -> {"is_private": bool, "members": [user ids]} for conversations.info
        self.channels: dict[str, dict[str, Any]] = {}
        self.lock = threading.Lock()
        self._failures: dict[str, list[_Failure]] = {}
        self._ts = 1_700_000_000
        self.messages: list[dict[str, Any]] = []
        self.socket_mode_url: str | None = None
        self.files: dict[str, dict[str, Any]] = {}  # file id -> what was uploaded and shared
        # OAuth: code -> the workspace it installs into; token -> that installation
        self.workspaces: dict[str, dict[str, Any]] = {}
        self.tokens: dict[str, dict[str, Any]] = {}
        self.revoked: set[str] = set()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        # Stop within 50 ms instead of serve_forever's default half-second poll.
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/"

    @property
    def api_url(self) -> str:
        return self.url + "api/"

    def start(self) -> FakeSlack:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> FakeSlack:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def fail_next(
        self, method: str, *, status: int = 200, error: str | None = None, retry_after: int = 1,
        times: int = 1,
    ) -> None:
        with self.lock:
            self._failures.setdefault(method, []).extend(
                _Failure(status, error, retry_after) for _ in range(times)
            )

    def workspace_for(self, code: str, team_id: str, *, name: str | None = None,
                      enterprise_id: str | None = None, org_wide: bool = False) -> None:
        """The workspace that oauth.v2.access installs Sitrep into for `code`."""
        with self.lock:
            self.workspaces[code] = {"team_id": team_id, "name": name or team_id,
                                     "enterprise_id": enterprise_id, "org_wide": org_wide}

    def revoke(self, token: str) -> None:
        """Refuse `token` from now on (`token_revoked`), as Slack does after an uninstall."""
        with self.lock:
            self.revoked.add(token)

    def calls_to(self, method: str) -> list[Call]:
        with self.lock:
            return [c for c in self.calls if c.method == method]

    def posts(self, channel: str | None = None) -> list[Call]:
        return [c for c in self.calls_to("chat.postMessage")
                if channel is None or c.params.get("channel") == channel]

    def wait_for(self, method: str, count: int = 1, timeout: float = 10.0) -> list[Call]:
        deadline = time.time() + timeout
        while time.time() < deadline:
            calls = self.calls_to(method)
            if len(calls) >= count:
                return calls
            time.sleep(0.02)
        raise AssertionError(f"expected {count} call(s) to {method}, got {self.calls_to(method)}")

    def _next_ts(self) -> str:
        with self.lock:
            self._ts += 1
            return f"{self._ts}.000100"

    def _answer(self, method: str, params: dict[str, Any], token: str) -> tuple[int, dict, dict]:
        with self.lock:
            queue = self._failures.get(method) or []
            failure = queue.pop(0) if queue else None
        if token == "xoxb-ratelimited":
            failure = _Failure(429, None, 1)
        if token in self.revoked:
            return 200, {"ok": False, "error": "token_revoked"}, {}
        if method == "oauth.v2.access":
            return self._oauth_access(params)
        if failure and failure.status == 429:
            headers = {"Retry-After": str(failure.retry_after)}
            return 429, {"ok": False, "error": "ratelimited"}, headers
        if failure and failure.error:
            return 200, {"ok": False, "error": failure.error}, {}
        if method in ("conversations.history", "conversations.replies"):
            return 200, {"ok": True, "messages": self._history(method, params),
                         "has_more": False}, {}
        if method in ("conversations.info", "conversations.members"):
            return self._channel_info(method, params)
        if method == "auth.test":
            return self._auth_test(token)
        if method in ("chat.postMessage", "chat.update"):
            ts = params.get("ts") or self._next_ts()
            if method == "chat.postMessage":
                self._remember(params, ts)
                time.sleep(self.post_delay)  # posted, the answer still on its way
            return 200, {"ok": True, "channel": params.get("channel"), "ts": ts,
                         "message": {"text": params.get("text"), "ts": ts}}, {}
        if method == "chat.postEphemeral":
            return 200, {"ok": True, "message_ts": self._next_ts()}, {}
        if method.startswith("files."):
            return self._files(method, params)
        if method == "apps.connections.open":
            return 200, {"ok": True, "url": self.socket_mode_url or "ws://127.0.0.1:9/"}, {}
        return 200, {"ok": True}, {}

    def _channel_info(self, method: str, params: dict[str, Any]) -> tuple[int, dict, dict]:
        info = self.channels.get(params.get("channel"))
        if method == "conversations.members":
            return 200, {"ok": True, "members": (info or {}).get("members", [])}, {}
        if info is None:
            return 200, {"ok": False, "error": "channel_not_found"}, {}
        return 200, {"ok": True, "channel": {"id": params.get("channel"),
                                              "is_private": info.get("is_private", False)}}, {}

    def _auth_test(self, token: str) -> tuple[int, dict, dict]:
        """auth.test: an installed token's own team; any other token is team T1's."""
        installed = self.tokens.get(token)
        if installed is not None:
            return 200, {"ok": True, "user_id": installed["bot_user_id"],
                         "bot_id": installed["bot_id"], "team_id": installed["team_id"],
                         "team": installed["name"], "user": "sitrep",
                         "enterprise_id": installed["enterprise_id"],
                         "url": f"https://{installed['team_id'].lower()}.slack.com/"}, {}
        return 200, {"ok": True, "user_id": "UBOT", "bot_id": "BBOT", "team_id": "T1",
                     "team": "Test", "user": "sitrep", "url": "https://test.slack.com/"}, {}

    def _oauth_access(self, params: dict[str, Any]) -> tuple[int, dict, dict]:
        """oauth.v2.access: a code for an installation of the app's bot in a workspace."""
        code = str(params.get("code") or "")
        if not code or code == "bad":
            return 200, {"ok": False, "error": "invalid_code"}, {}
        with self.lock:
            chosen = self.workspaces.get(code) or {
                "team_id": "T" + "".join(c for c in code.upper() if c.isalnum())[:10],
                "enterprise_id": None, "org_wide": False}
            team_id = chosen["team_id"]
            token = f"xoxb-{team_id}-{len(self.tokens) + 1}"
            installed = {"team_id": team_id, "name": chosen.get("name") or f"Team {team_id}",
                         "enterprise_id": chosen.get("enterprise_id"),
                         "bot_user_id": f"UB{team_id}", "bot_id": f"BB{team_id}"}
            self.tokens[token] = installed
        enterprise = ({"id": installed["enterprise_id"], "name": "Org"}
                      if installed["enterprise_id"] else None)
        return 200, {
            "ok": True, "app_id": "A1", "authed_user": {"id": f"UI{team_id}"},
            "scope": str(params.get("scope") or "commands,chat:write"), "token_type": "bot",
            "access_token": token, "bot_user_id": installed["bot_user_id"],
            "team": None if chosen.get("org_wide") else {"id": team_id, "name": installed["name"]},
            "enterprise": enterprise, "is_enterprise_install": bool(chosen.get("org_wide")),
        }, {}

    def _files(self, method: str, params: dict[str, Any]) -> tuple[int, dict, dict]:
        if method == "files.getUploadURLExternal":
            length = str(params.get("length") or "")
            if not params.get("filename") or not length.isdigit() or int(length) == 0:
                return 200, {"ok": False, "error": "missing_argument"}, {}
            if len(params.get("alt_txt") or "") > 1000:
                return 200, {"ok": False, "error": "alt_txt_too_large"}, {}
            with self.lock:
                file_id = f"F{len(self.files) + 1:08d}"
                self.files[file_id] = {"id": file_id, "filename": params["filename"],
                                       "length": int(length), "alt_txt": params.get("alt_txt"),
                                       "data": None, "shared": None}
            return 200, {"ok": True, "upload_url": f"{self.url}upload/{file_id}",
                         "file_id": file_id}, {}
        if method == "files.completeUploadExternal":
            try:
                wanted = json.loads(params.get("files") or "[]")
            except ValueError:
                return 200, {"ok": False, "error": "invalid_arguments"}, {}
            done = []
            with self.lock:
                for item in wanted:
                    file = self.files.get(item.get("id"))
                    if file is None or file["data"] is None:
                        return 200, {"ok": False, "error": "file_not_found"}, {}
                    file["title"] = item.get("title")
                    file["shared"] = {"channel": params.get("channel_id"),
                                      "thread_ts": params.get("thread_ts"),
                                      "initial_comment": params.get("initial_comment")}
                    done.append({"id": file["id"], "name": file["filename"],
                                 "title": file["title"], "alt_txt": file["alt_txt"]})
            return 200, {"ok": True, "files": done}, {}
        return 200, {"ok": True}, {}

    def _receive_upload(self, handler: BaseHTTPRequestHandler, path: str) -> None:
        """The POST of a file's bytes to the URL files.getUploadURLExternal gave."""
        file_id = path.removeprefix("/upload/")
        length = int(handler.headers.get("Content-Length") or 0)
        data = handler.rfile.read(length) if length else b""
        with self.lock:
            self.calls.append(Call("upload", {"file_id": file_id, "bytes": len(data)},
                                   dict(handler.headers), path=path))
            queue = self._failures.get("upload") or []
            failure = queue.pop(0) if queue else None
            file = self.files.get(file_id)
            if failure is None and file is not None and file["length"] == len(data):
                file["data"] = data
                status, body = 200, f"OK - {len(data)}".encode()
            else:
                status, body = (failure.status if failure else 400), b"upload refused"
        handler.send_response(status)
        handler.send_header("Content-Type", "text/plain")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    def shared_files(self, channel: str | None = None) -> list[dict[str, Any]]:
        """Files shared by files.completeUploadExternal (in `channel` only, when given)."""
        with self.lock:
            return [f for f in self.files.values() if f["shared"] is not None
                    and (channel is None or f["shared"]["channel"] == channel)]

    def _remember(self, params: dict[str, Any], ts: str) -> None:
        metadata = params.get("metadata")
        if isinstance(metadata, str):
            metadata = json.loads(metadata)
        with self.lock:
            self.messages.append({"channel": params.get("channel"), "ts": ts,
                                  "thread_ts": params.get("thread_ts"), "metadata": metadata,
                                  "text": params.get("text")})

    def _history(self, method: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        with self.lock:
            found = [m for m in self.messages if m["channel"] == params.get("channel")]
        # `oldest` is not applied: this fake's ts are not real times, tests' clocks are fake.
        if method == "conversations.history":
            return [m for m in found if not m.get("thread_ts")]
        return [m for m in found if m.get("thread_ts") == params.get("ts")]

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                path, _, query = self.path.partition("?")
                if path.startswith("/upload/"):  # a file's bytes, not a Web API call
                    fake._receive_upload(self, path)
                    return
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode("utf-8") if length else ""
                if "json" in (self.headers.get("Content-Type") or ""):
                    params = {**dict(parse_qsl(query)), **json.loads(raw or "{}")}
                else:
                    params = dict(parse_qsl(query))
                    params.update(parse_qsl(raw))
                    for key in ("blocks", "attachments", "view"):
                        if isinstance(params.get(key), str):
                            try:
                                params[key] = json.loads(params[key])
                            except ValueError:
                                pass
                auth = self.headers.get("Authorization") or ""
                token = ("" if auth.startswith("Basic ") else
                         auth.removeprefix("Bearer ").strip() or params.get("token", ""))
                if path.startswith("/response/"):
                    method = "response_url"
                else:
                    method = path.removeprefix("/api/")
                with fake.lock:
                    fake.calls.append(Call(method, params, dict(self.headers), path=path,
                                           token=token))
                status, body, headers = fake._answer(method, params, token)
                payload = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST  # noqa: N815

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                pass

        return Handler
