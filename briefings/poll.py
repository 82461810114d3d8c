"""Polling: fetch every due feed, turn new items into stories (page text, identity, clusters),
extract figures and quotes, and record each source's health. One feed's failure costs only it.
"""

from __future__ import annotations

import asyncio
import codecs
import email.message
import hashlib
import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Protocol

import charset_normalizer
import httpx
from charset_normalizer.constant import IANA_SUPPORTED
from charset_normalizer.utils import iana_name

from briefings.articles import article_text
from briefings.errors import FeedError, FetchError, SitrepError
from briefings.feeds import parse_feed
from briefings.fetch import FetchLimits, Resolver, fetch, make_client, system_resolver
from briefings.identity import canonical_url, minhash, text_key
from briefings.models import Extraction, FeedItem, FeedResult, FeedSpec, PollSummary, Story
from briefings.settings import Settings, declared_default
from briefings.store import Store, source_id
from briefings.topics import fold

logger = logging.getLogger(__name__)

SAME_STORY = 0.9  # MinHash likeness above which one outlet's two items are one story


class Extracts(Protocol):
    def extract_many(self, texts: Sequence[str]) -> list[Extraction]: ...


@dataclass(frozen=True, slots=True)
class PollConfig:
    feed_limits: FetchLimits
    page_limits: FetchLimits
    concurrency: int = declared_default("poll.concurrency")
    max_backoff_minutes: int = declared_default("poll.max_backoff_minutes")
    force: bool = False  # poll feeds that are backing off too
    fetch_pages: bool = True


def item_keys(item: FeedItem, sid: str, outlet: str, *, keep_fragment: bool = False) -> list[str]:
    """Identity keys of a feed item, strongest first."""
    keys = []
    if item.link:
        keys.append("url:" + canonical_url(item.link, keep_fragment=keep_fragment))
    content = text_key(item.summary or item.content)
    if content:
        keys.append(f"text:{fold(outlet)}:{content}")
    if item.guid:
        keys.append(f"guid:{sid}:{item.guid}")
    if not item.link and not item.guid:
        stamp = item.published.isoformat() if item.published else ""
        keys.append(f"title:{sid}:{hashlib.sha1(fold(item.title + stamp).encode()).hexdigest()}")
    return keys


async def poll_feeds(
    feeds: Sequence[FeedSpec],
    store: Store,
    client: httpx.AsyncClient,
    config: PollConfig,
    *,
    clock: Callable[[], datetime],
    extractor: Extracts | None = None,
    on_result: Callable[[FeedResult], None] | None = None,
    resolver: Resolver = system_resolver,
) -> PollSummary:
    """Poll `feeds` once (skipping those backing off unless forced) and store what is new."""
    store.register_sources(feeds)
    feed_slots = asyncio.Semaphore(config.concurrency)
    page_slots = asyncio.Semaphore(config.concurrency)
    new_by_source: dict[str, list[str]] = {}

    async def one(feed: FeedSpec) -> FeedResult:
        async with feed_slots:
            result = await _poll_one(
                feed, store, client, config, clock, page_slots, new_by_source, resolver
            )
        if extractor is None and on_result:
            on_result(result)
        return result

    results = list(await asyncio.gather(*(one(feed) for feed in feeds)))
    if extractor is not None:
        counts = extract_stories(
            store, extractor, [sid for ids in new_by_source.values() for sid in ids], clock()
        )
        for index, result in enumerate(results):
            mine = [counts[i] for i in new_by_source.get(result.source_id, []) if i in counts]
            results[index] = replace(
                result,
                figures=sum(c.figures for c in mine),
                quotes=sum(c.quotes for c in mine),
                extract_failed=sum(1 for c in mine if c.error),
            )
            if on_result:
                on_result(results[index])
    return PollSummary(tuple(results))


@dataclass(frozen=True, slots=True)
class Extracted:
    """What extracting one story stored: counts, or the error that left it to be retried."""

    figures: int = 0
    quotes: int = 0
    error: str | None = None


def extract_stories(
    store: Store, extractor: Extracts, story_ids: Sequence[str], now: datetime
) -> dict[str, Extracted]:
    """Extract and store figures and quotes for stories. A story whose extraction fails keeps
    its error on record and stays due for extraction (`sitrep reextract`)."""
    counts: dict[str, Extracted] = {}
    stories = [s for s in (store.get_story(i) for i in story_ids) if s is not None]
    if not stories:
        return counts
    extractions = extractor.extract_many([s.text for s in stories])
    for story, extraction in zip(stories, extractions, strict=True):
        store.save_extraction(story.id, extraction, now)
        if extraction.error is not None:
            logger.warning("extraction failed for story %s: %s", story.id, extraction.error)
        counts[story.id] = Extracted(
            len(extraction.figures), len(extraction.quotes), extraction.error
        )
    return counts


async def _poll_one(
    feed: FeedSpec,
    store: Store,
    client: httpx.AsyncClient,
    config: PollConfig,
    clock: Callable[[], datetime],
    page_slots: asyncio.Semaphore,
    new_by_source: dict[str, list[str]],
    resolver: Resolver,
) -> FeedResult:
    sid = source_id(feed)
    state = store.source_state(sid)
    now = clock()
    backoff = state.get("backoff_until")
    if backoff and not config.force and datetime.fromisoformat(backoff) > now:
        return FeedResult(sid, feed.name, ok=False, skipped=True,
                          error=f"backing off until {backoff}")
    try:
        fetched = await fetch(
            client, feed.url, config.feed_limits, etag=state.get("etag"),
            last_modified=state.get("last_modified"), resolver=resolver,
        )
        if fetched.not_modified:
            store.record_not_modified(sid, clock())
            return FeedResult(sid, feed.name, ok=True, not_modified=True)
        parsed = parse_feed(
            fetched.body, now=now, content_type=fetched.content_type, base_url=fetched.url
        )
        new_ids = await _ingest(feed, sid, parsed.items, store, client, config, clock,
                                page_slots, resolver)
    except (FetchError, FeedError) as exc:
        return _failed(store, feed, sid, clock(), str(exc), config)
    except Exception as exc:  # noqa: BLE001 - one feed's bug must not stop the others
        logger.exception("unexpected failure polling %s", feed.name)
        return _failed(store, feed, sid, clock(), f"internal error: {type(exc).__name__}: {exc}",
                       config)
    new_by_source[sid] = new_ids
    if parsed.warning:
        # Its items are kept, but the feed failed: no validators stored (so the next poll
        # reports it again) and the back-off keeps growing while it stays broken.
        store.record_failure(sid, clock(), parsed.warning, base_minutes=feed.interval_minutes,
                             max_minutes=config.max_backoff_minutes, items=len(parsed.items),
                             new_stories=len(new_ids))
        return FeedResult(sid, feed.name, ok=False, items=len(parsed.items),
                          new_stories=len(new_ids), error=parsed.warning)
    store.record_success(
        sid, clock(), items=len(parsed.items), new_stories=len(new_ids), etag=fetched.etag,
        last_modified=fetched.last_modified, title=parsed.title,
    )
    return FeedResult(sid, feed.name, ok=True, items=len(parsed.items), new_stories=len(new_ids))


def _failed(
    store: Store, feed: FeedSpec, sid: str, now: datetime, error: str, config: PollConfig
) -> FeedResult:
    until = store.record_failure(sid, now, error, base_minutes=feed.interval_minutes,
                                 max_minutes=config.max_backoff_minutes)
    logger.warning("feed %s failed: %s (retry after %s)", feed.name, error, until.isoformat())
    return FeedResult(sid, feed.name, ok=False, error=error)


async def _ingest(
    feed: FeedSpec,
    sid: str,
    items: Sequence[FeedItem],
    store: Store,
    client: httpx.AsyncClient,
    config: PollConfig,
    clock: Callable[[], datetime],
    page_slots: asyncio.Semaphore,
    resolver: Resolver,
) -> list[str]:
    shared_links: dict[str, int] = {}
    for item in items:
        if item.link:
            key = canonical_url(item.link)
            shared_links[key] = shared_links.get(key, 0) + 1
    candidates: list[tuple[FeedItem, list[str]]] = []
    for item in items:
        # Two items of one document sharing a link are two stories (e.g. page.html#part-2).
        distinct = bool(item.link) and shared_links[canonical_url(item.link)] > 1
        keys = item_keys(item, sid, feed.outlet, keep_fragment=distinct)
        if distinct and item.guid:
            keys[0] = f"{keys[0]}#guid={item.guid}" if "#" not in keys[0] else keys[0]
        existing = _match(store, item, keys)
        if existing:
            store.add_keys(existing, keys[:1] if item.link else [])
            continue
        candidates.append((item, keys))

    async def build(item: FeedItem, keys: list[str]) -> tuple[Story, list[str]]:
        async with page_slots:
            text, origin, note = await _story_text(item, client, config, resolver)
        now = clock()
        story_id = hashlib.sha1(keys[0].encode()).hexdigest()[:16]
        story = Story(
            id=story_id, source_id=sid, outlet=feed.outlet, title=item.title, url=item.link,
            guid=item.guid, published=item.published or now, fetched=now,
            summary=item.summary, text=text, text_origin=origin, cluster_id=story_id,
            text_note=note,
        )
        return story, keys

    built = await asyncio.gather(*(build(item, keys) for item, keys in candidates))
    new_ids = []
    for story, keys in built:
        # Re-check: another feed of this poll may have stored the same story meanwhile.
        existing = store.find_story_by_keys(keys[:1])
        if existing:
            continue
        signature = minhash(story.text)
        if signature:
            similar = store.similar_story(signature, story.published)
            if similar:
                other_id, cluster_id, score = similar
                other = store.get_story(other_id)
                if other and _reissued(other, story, score):
                    store.add_keys(other_id, keys)  # the same outlet re-issued it
                    continue
                story = replace(story, cluster_id=cluster_id)
        if store.add_story(story, keys, signature):
            new_ids.append(story.id)
    return new_ids


def _reissued(old: Story, new: Story, score: float) -> bool:
    """One outlet publishing the same text under a new link and guid, with its title or summary."""
    return (
        old.outlet == new.outlet
        and score >= SAME_STORY
        and (fold(old.title) == fold(new.title) or fold(old.summary) == fold(new.summary))
    )


def _match(store: Store, item: FeedItem, keys: list[str]) -> str | None:
    for key in keys:
        existing = store.find_story_by_keys([key])
        if existing is None:
            continue
        if key.startswith("guid:") and item.link:
            # A guid is trusted only when the link agrees: broken CMSs reuse one guid for all.
            story = store.get_story(existing)
            if story and story.url and canonical_url(story.url) != canonical_url(item.link):
                if fold(story.title) != fold(item.title):
                    continue
        return existing
    return None


async def _story_text(
    item: FeedItem, client: httpx.AsyncClient, config: PollConfig, resolver: Resolver
) -> tuple[str, str, str]:
    """The story's text, where it came from, and why the page was not used (if it was not)."""
    fallback = (item.content, "feed") if item.content else (item.summary, "summary")
    if not item.link or not config.fetch_pages:
        return fallback[0], fallback[1], "no link" if not item.link else ""
    try:
        page = await fetch(client, item.link, config.page_limits, resolver=resolver)
        html = _decode(page.body, page.content_type)
        text = await asyncio.to_thread(article_text, html)
    except SitrepError as exc:
        return fallback[0], fallback[1], f"page not used: {exc}"
    if not text:
        return fallback[0], fallback[1], "page not used: no article text found"
    return text, "page", ""


# Where a page says what its charset is: an XML declaration at the very start, or a <meta> tag
# (`charset=` or `http-equiv` content) in the head. Scanned in the first 8 KB only.
_XML_ENCODING = re.compile(rb"""^\s*<\?xml\s[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._:-]+)""")
_META_CHARSET = re.compile(rb"""<meta\s[^>]*?\bcharset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)
_DECLARATION_BYTES = 8192
# Detection reads a bounded window: charset_normalizer test-decodes the whole payload once per
# candidate charset, 20-45 ms per MB of undeclared windows-1251 (more on a process's first page)
# and on the event loop, against ~2 ms for this window. The window starts at the first byte
# that is not plain ASCII (a page may open with 100 KB of inline script) and ends on a line or
# tag boundary: a multi-byte character cut in two makes charset_normalizer reject the charset.
_DETECT_BYTES = 64 * 1024
_NOT_ASCII = re.compile(rb"[\x00\x1b\x80-\xff]")  # NUL: UTF-16/32; ESC: ISO-2022


def _decode(body: bytes, content_type: str) -> str:
    """A fetched page as text: a byte-order mark, else the charset the Content-Type header
    declares, else the one the document declares, else charset_normalizer's guess; UTF-8 with
    replacement characters when all of those fail."""
    if body.startswith(codecs.BOM_UTF8):
        return body[3:].decode("utf-8", errors="replace")
    if body.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return body.decode("utf-16", errors="replace")
    header = email.message.Message()
    header["content-type"] = content_type
    charset = _charset(header.get_content_charset() or "")
    if charset is None:
        head = body[:_DECLARATION_BYTES]
        declared = _XML_ENCODING.match(head) or _META_CHARSET.search(head)
        charset = _charset(declared.group(1).decode("ascii")) if declared else None
        if charset and charset.startswith(("utf_16", "utf_32")):
            charset = "utf_8"  # declared in ASCII bytes, so not UTF-16 (as browsers reason)
    if charset is None:
        first = _NOT_ASCII.search(body)
        if first is None:
            return body.decode("ascii")  # the same text in every charset that could be meant
        start = first.start() & ~3  # all bytes before are ASCII: a character boundary
        window = body[start : start + _DETECT_BYTES]
        if start + _DETECT_BYTES < len(body):
            cut = window.rfind(b"\n")
            if cut < len(window) // 2:
                cut = window.rfind(b"<")
            if cut > 0:
                window = window[:cut]
        best = charset_normalizer.from_bytes(window).best()
        charset = best.encoding if best else "utf_8"
    return body.decode(charset, errors="replace")


def _charset(label: str) -> str | None:
    """Python's codec for a charset label, if it names a text charset charset_normalizer knows
    (not `foo`, nor Python-only codecs such as base64 or rot13). ISO-8859-1 and ASCII labels
    mean windows-1252, as in browsers (the WHATWG Encoding Standard): pages so labelled use its
    curly quotes and dashes in 0x80-0x9F, which ISO-8859-1 would turn into control characters."""
    try:
        name = iana_name(codecs.lookup(label.strip()).name, strict=False)
    except (LookupError, ValueError):
        return None
    if name not in IANA_SUPPORTED:
        return None
    return "cp1252" if name in ("latin_1", "ascii") else name


def poll_config(settings: Settings, *, force: bool = False) -> PollConfig:
    """PollConfig from Settings."""
    common = {
        "connect_timeout": settings.fetch_connect_timeout,
        "read_timeout": settings.fetch_read_timeout,
        "max_redirects": settings.fetch_max_redirects,
        "allow_private": settings.allow_private_addresses,
        "user_agent": settings.fetch_user_agent,
    }
    return PollConfig(
        feed_limits=FetchLimits(max_bytes=settings.fetch_max_feed_bytes, **common),
        page_limits=FetchLimits(max_bytes=settings.fetch_max_page_bytes, **common),
        concurrency=settings.poll_concurrency,
        max_backoff_minutes=settings.poll_max_backoff_minutes,
        force=force,
    )


@dataclass(frozen=True, slots=True)
class FeedPoll:
    """One feed's poll: its result, and the ids of the new stories it stored (unextracted)."""

    result: FeedResult
    new_story_ids: tuple[str, ...]


async def poll_feed(
    settings: Settings,
    feed: FeedSpec,
    store: Store,
    *,
    clock: Callable[[], datetime],
    force: bool = False,
) -> FeedPoll:
    """Poll one feed and store its new stories without extracting them (the job queue extracts
    each in its own job). The feed's source must be registered (`Store.register_sources`)."""
    config = poll_config(settings, force=force)
    new_by_source: dict[str, list[str]] = {}
    async with make_client(settings.poll_concurrency) as client:
        result = await _poll_one(feed, store, client, config, clock,
                                 asyncio.Semaphore(config.concurrency), new_by_source,
                                 system_resolver)
    return FeedPoll(result, tuple(new_by_source.get(result.source_id, ())))


async def poll_once(
    settings: Settings,
    feeds: Sequence[FeedSpec],
    store: Store,
    *,
    clock: Callable[[], datetime],
    extractor: Extracts | None = None,
    force: bool = False,
    on_result: Callable[[FeedResult], None] | None = None,
) -> PollSummary:
    """One poll of `feeds` with the settings' limits and a fresh HTTP client."""
    async with make_client(settings.poll_concurrency) as client:
        return await poll_feeds(
            feeds, store, client, poll_config(settings, force=force), clock=clock,
            extractor=extractor, on_result=on_result,
        )
