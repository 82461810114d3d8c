"""A throwaway PostgreSQL server for the test run: its own cluster in a temporary directory,
listening on a free loopback port, stopped (and its files removed) when the run ends.

Debian's `postgresql` package provides the binaries (`.ci/run` installs it where it is missing).
PostgreSQL refuses to run as root, so under root the cluster is made and run as the `postgres`
system user. `PostgresServer.start()` raises `PostgresUnavailable` with the reason when no server
can be started here; tests that need one are then skipped with that reason.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

__all__ = ["BACKENDS", "PostgresServer", "PostgresUnavailable", "find_bindir"]

BACKENDS = ("sqlite", "postgresql")  # what store tests run on (tests/conftest.py `database`)


class PostgresUnavailable(RuntimeError):
    """No PostgreSQL server could be started on this machine (the message says why)."""


def find_bindir() -> Path | None:
    """The directory holding initdb and pg_ctl: $SITREP_PG_BINDIR, Debian's newest, or PATH."""
    if os.environ.get("SITREP_PG_BINDIR"):
        return Path(os.environ["SITREP_PG_BINDIR"])
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin"),
                      key=lambda p: int(Path(p).parent.name) if Path(p).parent.name.isdigit()
                      else 0)
    if versions:
        return Path(versions[-1])
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PostgresServer:
    """One PostgreSQL cluster for tests; `url()` gives a fresh database on it."""

    def __init__(self) -> None:
        self.dir: Path | None = None
        self.port = 0
        self._run_as: list[str] = []

    def start(self) -> PostgresServer:
        bindir = find_bindir()
        if bindir is None or not (bindir / "initdb").exists():
            raise PostgresUnavailable("PostgreSQL is not installed (apt-get install postgresql, "
                                      "or set SITREP_PG_BINDIR)")
        self.dir = Path(tempfile.mkdtemp(prefix="sitrep-pg-"))
        if os.geteuid() == 0:
            try:
                user = pwd.getpwnam("postgres")
            except KeyError as exc:
                raise PostgresUnavailable("running as root without a `postgres` user") from exc
            os.chown(self.dir, user.pw_uid, user.pw_gid)
            self._run_as = ["runuser", "-u", "postgres", "--"]
        data = self.dir / "data"
        self._run([str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust",
                   "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"])
        self.port = _free_port()
        options = (f"-c listen_addresses=127.0.0.1 -c port={self.port} "
                   f"-c unix_socket_directories={self.dir} -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off -c max_connections=500")
        self._run([str(bindir / "pg_ctl"), "-D", str(data), "-l", str(self.dir / "log"),
                   "-o", options, "-w", "-t", "60", "start"])
        self._bindir = bindir
        self._wait()
        return self

    def _run(self, command: list[str]) -> None:
        try:
            subprocess.run(self._run_as + command, check=True, capture_output=True, timeout=120)
        except (OSError, subprocess.SubprocessError) as exc:
            detail = getattr(exc, "stderr", b"") or b""
            raise PostgresUnavailable(
                f"{Path(command[0]).name} failed: {exc} {detail.decode(errors='replace')[-500:]}"
            ) from exc

    def _wait(self, timeout: float = 30.0) -> None:
        import psycopg

        deadline = time.monotonic() + timeout
        while True:
            try:
                with psycopg.connect(self.admin_url(), connect_timeout=2):
                    return
            except psycopg.OperationalError as exc:
                if time.monotonic() > deadline:
                    raise PostgresUnavailable(f"the server did not answer: {exc}") from exc
                time.sleep(0.1)

    def admin_url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def url(self, name: str | None = None) -> str:
        """A new, empty database on the server (named `name` or at random)."""
        import psycopg

        name = name or f"t_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self.admin_url(), autocommit=True) as conn:
            conn.execute(f'create database "{name}"')
        return f"postgresql://postgres@127.0.0.1:{self.port}/{name}"

    def stop(self) -> None:
        if self.dir is None:
            return
        data = self.dir / "data"
        if data.exists():
            try:
                self._run([str(self._bindir / "pg_ctl"), "-D", str(data), "-m", "immediate",
                           "-w", "stop"])
            except PostgresUnavailable:
                pass
        shutil.rmtree(self.dir, ignore_errors=True)
        self.dir = None
