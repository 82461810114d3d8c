"""Feeds: the feeds file, and turning a fetched document into FeedItems (feedparser adapter)."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import feedparser

from briefings.articles import html_fragment_text
from briefings.errors import ConfigError, FeedError
from briefings.fetch import UnsafeURLError, check_url_syntax
from briefings.models import FeedItem, FeedSpec
from briefings.tomlfile import read_toml

FEED_KEYS = {"name", "url", "outlet", "interval_minutes"}
MAX_ITEMS = 500
MAX_TITLE = 500
MAX_SUMMARY = 5_000
_EARLIEST = datetime(1990, 1, 1, tzinfo=UTC)
_FUTURE_SLACK = timedelta(days=1)
_ENTITY_DECL = re.compile(rb"<!ENTITY", re.I)


@dataclass(frozen=True, slots=True)
class FeedsFile:
    feeds: tuple[FeedSpec, ...]
    problems: tuple[str, ...]  # one line per feed that could not be loaded, naming the feed


def load_feeds(path: Path) -> FeedsFile:
    """Read `[[feeds]]` tables; a bad entry is reported by name and the others still load."""
    data = read_toml(path, missing=f"feeds file not found: {path} — create it (config/feeds.toml "
                                   "shows the form) or point SITREP_FEEDS at yours")
    entries = data.get("feeds")
    if entries is None:
        others = ", ".join(f"[[{key}]]" if isinstance(value, list) else key
                           for key, value in data.items())
        found = f" (found {others})" if others else " (the file is empty)"
        raise ConfigError(f"{path}: no [[feeds]] tables{found} — each feed is a [[feeds]] table "
                          "with name and url")
    if not isinstance(entries, list):
        raise ConfigError(f"{path}: `feeds` is not a list of tables — write each feed as a "
                          "[[feeds]] table with name and url")
    feeds: list[FeedSpec] = []
    problems: list[str] = []
    seen: set[str] = set()
    for index, entry in enumerate(entries, start=1):
        label = f"feed {index}"
        if not isinstance(entry, dict):
            problems.append(f"{label}: not a table")
            continue
        name = entry.get("name")
        if isinstance(name, str) and name.strip():
            label = f"feed {name.strip()!r}"
        errors = _feed_entry_errors(entry)
        if not errors and name.strip() in seen:
            errors.append("duplicate name")
        if errors:
            problems.append(f"{label}: " + "; ".join(errors))
            continue
        seen.add(name.strip())
        feeds.append(
            FeedSpec(
                name=name.strip(),
                url=entry["url"].strip(),
                outlet=(entry.get("outlet") or name).strip(),
                interval_minutes=int(entry.get("interval_minutes", 15)),
            )
        )
    if not feeds:
        raise ConfigError(f"{path}: none of its {len(entries)} [[feeds]] entries can be used: "
                          + "; ".join(problems))
    return FeedsFile(tuple(feeds), tuple(problems))


def _feed_entry_errors(entry: dict) -> list[str]:
    errors = []
    unknown = sorted(set(entry) - FEED_KEYS)
    if unknown:
        errors.append("unknown key" + ("s " if len(unknown) > 1 else " ") + ", ".join(unknown))
    if not isinstance(entry.get("name"), str) or not entry["name"].strip():
        errors.append("`name` is required")
    url = entry.get("url")
    if not isinstance(url, str) or not url.strip():
        errors.append("`url` is required")
    else:
        try:
            check_url_syntax(url.strip())
        except UnsafeURLError as exc:
            errors.append(f"bad url: {exc}")
    if "outlet" in entry and (not isinstance(entry["outlet"], str) or not entry["outlet"].strip()):
        errors.append("`outlet` must be a non-empty string")
    interval = entry.get("interval_minutes", 15)
    if not isinstance(interval, int) or isinstance(interval, bool) or not 1 <= interval <= 10080:
        errors.append("`interval_minutes` must be a whole number of minutes from 1 to 10080")
    return errors


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    title: str
    items: tuple[FeedItem, ...]
    warning: str | None  # the document was malformed but items could be read


def parse_feed(
    body: bytes, *, now: datetime, content_type: str = "", base_url: str | None = None
) -> ParsedFeed:
    """Parse RSS/Atom bytes into FeedItems; raise FeedError when it is not a usable feed."""
    if not body.strip():
        raise FeedError("empty response, not a feed")
    if _ENTITY_DECL.search(body[:65536]):
        # Feeds have no use for entity declarations; they are how expansion bombs work.
        raise FeedError("refused: the document declares XML entities (entity-expansion bomb?)")
    headers = {"content-type": content_type or "application/xml",
               "content-location": base_url or ""}
    parsed = feedparser.parse(body, response_headers=headers)
    problem = _describe_bozo(parsed)
    if not parsed.get("version"):
        head = body[:2048].lower()
        if b"<html" in head or b"<!doctype html" in head:
            raise FeedError("not a feed: the server sent an HTML page")
        raise FeedError(f"not a feed{': ' + problem if problem else ''}")
    items = [
        item
        for entry in parsed.entries[:MAX_ITEMS]
        if (item := _item(entry, now)) is not None
    ]
    warning = None
    if problem:
        if not items:
            raise FeedError(f"malformed feed: {problem}")
        warning = f"malformed feed: {problem}; {len(items)} item(s) read anyway"
    title = _text(parsed.feed, "title", MAX_TITLE)
    return ParsedFeed(title=title, items=tuple(items), warning=warning)


def _describe_bozo(parsed: feedparser.FeedParserDict) -> str | None:
    if not parsed.get("bozo"):
        return None
    exc = parsed.get("bozo_exception")
    if isinstance(exc, feedparser.CharacterEncodingOverride | feedparser.NonXMLContentType):
        return None  # a mislabelled encoding or content type that feedparser worked around
    message = str(exc) or type(exc).__name__
    line = getattr(exc, "getLineNumber", None)
    if callable(line) and f":{line()}:" not in message:
        return f"{message} at line {line()}"
    return message


def _item(entry: feedparser.FeedParserDict, now: datetime) -> FeedItem | None:
    title = _text(entry, "title", MAX_TITLE)
    summary = html_fragment_text(entry.get("summary", ""))[:MAX_SUMMARY]
    content = ""
    for block in entry.get("content", []) or []:
        value = block.get("value", "")
        if value and len(value) > len(content):
            content = value
    content_text = html_fragment_text(content) if content else ""
    link = (entry.get("link") or "").strip() or None
    if link:
        try:
            check_url_syntax(link)
        except UnsafeURLError:
            link = None
    guid = (entry.get("id") or "").strip()[:500] or None
    if not title and not summary and not content_text:
        return None
    if not title:
        title = (summary or content_text)[:120]
    categories = tuple(
        _clean(tag.get("term", ""), 100) for tag in entry.get("tags", []) or [] if tag.get("term")
    )
    return FeedItem(
        title=title,
        link=link,
        guid=guid,
        published=item_date(entry, now),
        summary=summary,
        content=content_text,
        categories=categories[:20],
    )


def item_date(entry: feedparser.FeedParserDict, now: datetime) -> datetime | None:
    """The item's date in UTC, or None when it is missing, unparseable or implausible."""
    for key in ("published", "updated", "created"):
        # Only ask for *_parsed when the raw field exists: feedparser warns on aliases.
        value = entry.get(f"{key}_parsed") if key in entry else None
        if not value:
            continue
        try:
            when = datetime.fromtimestamp(calendar.timegm(value), tz=UTC)
        except (OverflowError, ValueError, OSError):
            continue
        if _EARLIEST <= when <= now + _FUTURE_SLACK:
            return when
    return None


def _text(entry: feedparser.FeedParserDict, key: str, limit: int) -> str:
    """A one-line text field; HTML is stripped only when the feed says the field is HTML."""
    value = entry.get(key, "") or ""
    detail = entry.get(f"{key}_detail") or {}
    if "html" in (detail.get("type") or ""):
        value = html_fragment_text(value)
    return " ".join(value.split())[:limit]


def _clean(text: str, limit: int) -> str:
    return " ".join(html_fragment_text(text).split())[:limit]
