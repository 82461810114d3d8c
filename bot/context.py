"""What every entry point builds first: settings from env + .env + TOML, the store, the topics
and the conflicts."""

from __future__ import annotations

import functools
import logging
import os
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path

from dotenv import dotenv_values

from briefings.conflicts import Conflicts, load_conflicts
from briefings.settings import Settings, load_settings
from briefings.store import Store
from briefings.topics import Topics, load_topics


def read_environment(env_file: Path = Path(".env")) -> dict[str, str]:
    """os.environ over the .env file (the real environment wins). Only entry points call this."""
    values = {k: v for k, v in dotenv_values(env_file).items() if v is not None}
    values.update(os.environ)
    return values


def utc_now() -> datetime:
    return datetime.now(UTC)


class Context:
    """Settings, topics, conflicts and the store, each read on first use: `sitrep <command>
    --help` works even when a settings file is broken, and a command that needs no store opens
    none."""

    def __init__(self, env: Mapping[str, str] | None = None, *,
                 clock: Callable[[], datetime] = utc_now) -> None:
        self._env = env
        self.clock = clock  # every command reads the time here

    @functools.cached_property
    def settings(self) -> Settings:
        return load_settings(self._env if self._env is not None else read_environment())

    @functools.cached_property
    def topics(self) -> Topics:
        return load_topics(self.settings.topics_path)

    @functools.cached_property
    def conflicts(self) -> Conflicts:
        return load_conflicts(self.settings.conflicts_path)

    @functools.cached_property
    def store(self) -> Store:
        return Store(self.settings.db_path, self.topics, self.conflicts)

    def extractor(self):  # -> briefings.extract.Extractor; imported lazily: spaCy is heavy
        from briefings.extract import Extractor

        return Extractor(
            self.settings.extract_model, topics=self.topics,
            batch_size=self.settings.extract_batch_size,
        )


def build_context(env: Mapping[str, str] | None = None) -> Context:
    """The context of an entry point: from `env`, or the environment over `.env`."""
    return Context(env)


def configure_logging(verbose: bool = False) -> None:
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
