"""What every entry point builds first: settings from env + .env + TOML, the store, the topics."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from dotenv import dotenv_values

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


@dataclass
class Context:
    settings: Settings
    topics: Topics
    _store: Store | None = None
    clock: Callable[[], datetime] = utc_now  # every command reads the time here

    @property
    def store(self) -> Store:
        if self._store is None:
            self._store = Store(self.settings.db_path, self.topics)
        return self._store

    def extractor(self):  # -> briefings.extract.Extractor; imported lazily: spaCy is heavy
        from briefings.extract import Extractor

        return Extractor(
            self.settings.extract_model, topics=self.topics,
            batch_size=self.settings.extract_batch_size,
        )


def build_context(env: dict[str, str] | None = None) -> Context:
    settings = load_settings(env if env is not None else read_environment())
    return Context(settings=settings, topics=load_topics(settings.topics_path))


def configure_logging(verbose: bool = False) -> None:
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
