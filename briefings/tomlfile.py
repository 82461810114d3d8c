"""Reading Sitrep's TOML files: one error style for every file a user edits."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from briefings.errors import ConfigError


def read_toml(path: Path, *, missing: str | None = None) -> dict[str, Any] | None:
    """The table in `path`; when the file is missing, None, or a ConfigError saying `missing`
    when one is given. A file that is not TOML is a ConfigError."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        if missing is None:
            return None
        raise ConfigError(missing) from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: {exc} — fix the TOML syntax") from exc
