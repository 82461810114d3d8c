"""Helpers for the worker tests: a fake Slack that remembers messages, stories made by hand."""

from __future__ import annotations

import re
import shutil
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from briefings.models import Extraction, Figure, Quote, Story
from briefings.samples import SAMPLE_FEEDS, SAMPLES_DIR
from briefings.settings import Settings, load_settings
from briefings.store import Store

ROOT = Path(__file__).resolve().parents[2]
CORPUS = SAMPLES_DIR


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


# What makes a test story war news when a store classifies by conflict (briefings.conflicts).
WAR_LEDE = "Russian shelling went on across Ukraine, Ukrainian officials said."


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
        text=text or f"{title}. {WAR_LEDE}", text_origin="feed",
        cluster_id=cluster_id or story_id,
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


def write_feeds(path: Path, base_url: str) -> Path:
    lines = []
    for name, feed_path, outlet in SAMPLE_FEEDS:
        lines += ["[[feeds]]", f'name = "{name}"', f'url = "{base_url}{feed_path}"',
                  f'outlet = "{outlet}"', ""]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def short_lease_config(tmp_path: Path) -> Path:
    """The shipped config with a 2-second delivery claim, so a killed worker's claim lapses
    within the test."""
    config = tmp_path / "config"
    shutil.copytree(ROOT / "config", config)
    settings = config / "settings.toml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(re.sub(r"claim_lease_seconds = \d+", "claim_lease_seconds = 2", text),
                        encoding="utf-8")
    return config
