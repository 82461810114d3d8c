"""SITREP_DB as given: a SQLite file, or a PostgreSQL URL (kept whole, shown without its
password)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

SERVER_SCHEMES = ("postgresql://", "postgres://")


def is_server_url(location: Path | str) -> bool:
    return isinstance(location, str) and location.strip().lower().startswith(SERVER_SCHEMES)


def database_location(value: str) -> Path | str:
    """A PostgreSQL URL stays a string; anything else is a SQLite file's path."""
    return value.strip() if is_server_url(value) else Path(value)


def without_password(url: str) -> str:
    """A database URL fit to show: its password (if any) replaced by ***."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))
