"""A small local HTTP server for a folder of feeds and pages, as a publisher would serve them.

Used by `sitrep demo` (bundled samples) and by tests and benchmarks: it rewrites the corpus'
placeholder host to its own address, answers conditional GETs with 304, and logs each request.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

# No charset on XML: the document declares its own encoding (windows-1251 feeds do).
CONTENT_TYPES = {".xml": "application/rss+xml", ".html": "text/html"}
_STARTED = formatdate(usegmt=True)


@dataclass
class RequestLog:
    entries: list[tuple[str, int]] = field(default_factory=list)  # (path, status)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, path: str, status: int) -> None:
        with self.lock:
            self.entries.append((path, status))

    def statuses(self, path: str) -> list[int]:
        with self.lock:
            return [status for p, status in self.entries if p == path]


class FileServer:
    """Serve `root` on 127.0.0.1:<free port>; `placeholder` in files becomes the server's URL."""

    def __init__(self, root: Path, placeholder: str = "http://feeds.test/") -> None:
        self.root = root.resolve()
        self.placeholder = placeholder.encode()
        self.log = RequestLog()
        self.overrides: dict[str, bytes] = {}
        handler = self._handler()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/"

    def __enter__(self) -> FileServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def body(self, path: str) -> bytes | None:
        if path in self.overrides:
            return self.overrides[path]
        target = (self.root / path.lstrip("/")).resolve()
        if not target.is_relative_to(self.root) or not target.is_file():
            return None
        data = target.read_bytes()
        return data.replace(self.placeholder, self.url.encode())

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                path = unquote(urlsplit(self.path).path)
                body = server.body(path)
                if body is None:
                    self._reply(path, 404, b"not found", "text/plain")
                    return
                etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
                if self.headers.get("If-None-Match") == etag:
                    self._reply(path, 304, b"", None, etag)
                    return
                suffix = Path(path).suffix
                self._reply(path, 200, body, CONTENT_TYPES.get(suffix, "application/octet-stream"),
                            etag)

            def _reply(
                self, path: str, status: int, body: bytes, content_type: str | None,
                etag: str | None = None,
            ) -> None:
                server.log.add(path, status)
                self.send_response(status)
                if content_type:
                    self.send_header("Content-Type", content_type)
                if etag:
                    self.send_header("ETag", etag)
                    self.send_header("Last-Modified", _STARTED)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if body:
                    self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                pass

        return Handler
