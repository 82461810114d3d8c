"""Polling from the user's side: feeds served locally, polled into a real SQLite file."""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import PurePosixPath
from urllib.parse import urlsplit

import pytest

from briefings.fileserver import FileServer
from briefings.models import Extraction, FeedSpec
from briefings.poll import extract_stories, poll_once
from briefings.settings import Settings
from briefings.store import Store, source_id
from tests.conftest import CORPUS, good_feeds, hostile_feeds
from tests.extract.fakes import AlwaysOne

NOW = datetime(2022, 5, 1, 12, 0, tzinfo=UTC)
# Every item of the good feeds links to one of these pages, and every page is linked once.
ARTICLES = sorted(p.name for p in (CORPUS / "articles").glob("*.html"))


def clock() -> datetime:
    return NOW


def poll(settings: Settings, store: Store, feeds: list[FeedSpec], **kwargs):
    return asyncio.run(poll_once(settings, feeds, store, clock=clock, **kwargs))


def titles(store: Store) -> list[str]:
    return [s.title for s in store.stories(limit=1000)]


def article_pages(store: Store) -> list[str]:
    """The corpus page behind each stored story, sorted: ARTICLES when each is stored once."""
    return sorted(PurePosixPath(urlsplit(s.url).path).name
                  for s in store.stories(limit=1000) if s.url)


def test_good_feeds_store_every_story_once(settings, store, corpus_server):
    feeds = good_feeds(corpus_server)
    summary = poll(settings, store, feeds)
    assert (summary.ok, summary.failed) == (len(feeds), 0)
    assert summary.new_stories == len(ARTICLES)
    assert article_pages(store) == ARTICLES  # every linked page stored, none twice
    stories = store.stories(limit=100)
    assert all(s.text_origin == "page" for s in stories), [(s.title, s.text_note) for s in stories]
    again = poll(settings, store, feeds, force=True)
    assert again.new_stories == 0
    assert store.story_count() == len(ARTICLES)


def test_second_poll_uses_conditional_get(settings, store, corpus_server):
    poll(settings, store, good_feeds(corpus_server))
    summary = poll(settings, store, good_feeds(corpus_server), force=True)
    assert all(r.not_modified for r in summary.results)
    for path in ("/feeds/tokyotoday-world.xml", "/feeds/pacificwire-world.xml"):
        assert corpus_server.log.statuses(path) == [200, 304]


def test_syndicated_copy_is_kept_in_one_cluster(settings, store, corpus_server):
    poll(settings, store, good_feeds(corpus_server))
    by_outlet = {s.outlet: s for s in store.stories(limit=100) if "1,351" in s.title}
    tokyo, harbour = by_outlet["Tokyo Today"], by_outlet["Harbour Herald"]
    assert tokyo.id != harbour.id
    assert tokyo.cluster_id == harbour.cluster_id
    sizes = Counter(s.cluster_id for s in store.stories(limit=100))
    assert sizes.pop(tokyo.cluster_id) == 2
    assert set(sizes.values()) == {1}  # no other story was pulled into a cluster


@pytest.mark.parametrize(
    ("page", "present", "absent"),
    [
        ("01-mariupol-siege-toll", "at least 1,582 of its civilians had been killed",
         ["We use cookies", "Most Popular", "8,541 new coronavirus cases", "Share This News"]),
        ("02-yavoriv-base-strike", "killing at least 35 people and wounding 134",
         ["Brent crude", "READ MORE", "USD/JPY"]),
        ("05s-russia-troop-losses-harbour", "1,351 of its soldiers had been killed",
         ["cookie", "Subscribe"]),
    ],
)
def test_article_text_without_page_chrome(settings, store, corpus_server, page, present, absent):
    poll(settings, store, good_feeds(corpus_server))
    story = next(s for s in store.stories(limit=100) if s.url and page in s.url)
    assert present in story.text
    for chrome in absent:
        assert chrome.lower() not in story.text.lower()


def test_hostile_feeds_cost_only_themselves(settings, store, corpus_server):
    feeds = good_feeds(corpus_server) + hostile_feeds(corpus_server)
    summary = poll(settings, store, feeds)
    by_name = {r.name: r for r in summary.results}
    for feed in good_feeds(corpus_server):
        assert by_name[feed.name].ok
    errors = {r.name.removeprefix("Hostile "): r.error for r in summary.results if not r.ok}
    assert set(errors) == {"billion-laughs.xml", "html-not-feed.xml", "malformed-unclosed.xml"}
    assert "entit" in errors["billion-laughs.xml"]
    assert "not a feed" in errors["html-not-feed.xml"]
    assert "malformed" in errors["malformed-unclosed.xml"]
    health = {h.name.removeprefix("Hostile "): h for h in store.source_health()}
    for name in errors:
        assert health[name].last_error and health[name].failures == 1
        assert health[name].backoff_until > NOW
    assert health["empty-channel.xml"].last_error is None
    assert health["empty-channel.xml"].items == 0
    # Backing-off feeds are skipped on the next scheduled poll, the others are polled.
    later = poll(settings, store, feeds)
    assert {r.name for r in later.results if r.skipped} == {f"Hostile {n}" for n in errors}


def test_malformed_feed_keeps_backing_off_while_it_stays_broken(settings, store, corpus_server):
    feeds = hostile_feeds(corpus_server)
    malformed = [f for f in feeds if f.name == "Hostile malformed-unclosed.xml"]
    for _ in range(3):
        poll(settings, store, malformed, force=True)
    health = next(h for h in store.source_health() if h.name == malformed[0].name)
    assert health.failures == 3
    assert health.backoff_until - NOW == timedelta(minutes=60)
    assert health.items == 1 and health.stories == 1  # its readable item is kept, once


def test_hostile_items_kept_and_decoded(settings, store, corpus_server):
    poll(settings, store, good_feeds(corpus_server) + hostile_feeds(corpus_server))
    all_titles = titles(store)
    assert "Маріуполь: міська рада повідомила про 2187 загиблих мешканців" in all_titles
    assert "Запоріжжя прийняло майже 300 евакуйованих з Маріуполя" in all_titles
    assert "Air raid sirens sound across southern Ukraine" in all_titles  # no link, no guid
    # One guid reused for three stories that point at three pages: three stories, not one.
    for page in ("01-mariupol", "02-yavoriv", "07-bucha"):
        assert len([s for s in store.stories(limit=100) if s.url and page in s.url]) == 1
    # An absurd or unparseable date falls back to the fetch time.
    assert all(s.published <= NOW for s in store.stories(limit=100))
    # Re-polling everything stores nothing new.
    count = store.story_count()
    poll(settings, store, good_feeds(corpus_server) + hostile_feeds(corpus_server), force=True)
    assert store.story_count() == count


def _reissued_feed(server: FileServer, body: bytes) -> bytes:
    return (
        body.replace(b"tt-2022-03-12-mariupol-siege-toll", b"tt-REISSUED-0001")
        .replace(b"01-mariupol-siege-toll.html",
                 b"01-mariupol-siege-toll.html?utm_source=rss&amp;utm_medium=feed")
        .replace(b"Sat, 12 Mar 2022 06:55:00 +0900", b"Sun, 13 Mar 2022 10:00:00 +0900")
        .replace(b"Mariupol says 1,582 civilians killed",
                 b"UPDATED: Mariupol says 1,582 civilians killed")
    )


def test_reissued_item_with_new_guid_date_tracking_link_and_title_is_not_duplicated(
    settings, store, corpus_server
):
    feeds = good_feeds(corpus_server)
    poll(settings, store, feeds)
    path = "/feeds/tokyotoday-world.xml"
    corpus_server.overrides[path] = _reissued_feed(corpus_server, corpus_server.body(path))
    summary = poll(settings, store, feeds, force=True)
    assert summary.new_stories == 0
    assert article_pages(store) == ARTICLES  # the reissued page is still stored once


def test_same_link_from_another_feed_is_the_same_story(settings, store, corpus_server):
    poll(settings, store, good_feeds(corpus_server))
    edited = poll(settings, store, hostile_feeds(corpus_server)[:1])  # bad-dates: edited titles
    assert edited.results[0].name == "Hostile bad-dates.xml"
    assert edited.new_stories == 0


def test_empty_feed_does_not_delete_stories(settings, store, corpus_server):
    feeds = good_feeds(corpus_server)
    poll(settings, store, feeds)
    corpus_server.overrides["/feeds/tokyotoday-world.xml"] = (
        corpus_server.body("/feeds/hostile/empty-channel.xml")
    )
    summary = poll(settings, store, feeds, force=True)
    assert summary.failed == 0
    assert article_pages(store) == ARTICLES


def test_page_failure_falls_back_to_feed_text_and_says_why(settings, store, corpus_server):
    corpus_server.overrides["/articles/08-odesa-missile-strike.html"] = b""
    poll(settings, store, good_feeds(corpus_server))
    story = next(s for s in store.stories(limit=100) if s.url and "08-odesa" in s.url)
    assert story.text_origin == "feed"  # Atom carries the full text
    assert "page not used" in story.text_note
    assert "three-month-old" in story.text


def test_private_addresses_refused_unless_allowed(settings, store, corpus_server):
    strict = settings.replace(allow_private_addresses=False)
    feeds = good_feeds(corpus_server)
    summary = poll(strict, store, feeds)
    assert (summary.ok, summary.failed) == (0, len(feeds))
    assert all("private address" in r.error for r in summary.results)


def test_feed_larger_than_the_cap_is_refused(settings, store, corpus_server):
    small = settings.replace(fetch_max_feed_bytes=1000)
    feeds = good_feeds(corpus_server)
    summary = poll(small, store, feeds)
    assert (summary.ok, summary.failed) == (0, len(feeds))
    assert all("too large" in r.error for r in summary.results)


def test_source_health_is_recorded(settings, store, corpus_server):
    feeds = good_feeds(corpus_server)
    poll(settings, store, feeds)
    health = {h.id: h for h in store.source_health()}
    tokyo = health[source_id(feeds[0])]
    assert tokyo.last_success == NOW
    items = (CORPUS / "feeds" / "tokyotoday-world.xml").read_text(encoding="utf-8").count("<item>")
    stored = [s for s in store.stories(limit=100) if s.source_id == tokyo.id]
    assert (tokyo.items, tokyo.stories, tokyo.failures) == (items, len(stored), 0)
    assert len(stored) == items  # every item of the feed became a story


def test_backoff_grows_and_is_capped(settings, store, corpus_server):
    feed = FeedSpec("Missing", corpus_server.url + "feeds/missing.xml", "Missing", 15)
    store.register_sources([feed])
    delays = []
    for _ in range(8):
        until = store.record_failure(source_id(feed), NOW, "HTTP 404", base_minutes=15,
                                     max_minutes=360)
        delays.append(until - NOW)
    assert delays[:3] == [timedelta(minutes=15), timedelta(minutes=30), timedelta(minutes=60)]
    assert delays[-1] == timedelta(minutes=360)


class _FailsOnTroopStories(AlwaysOne):
    """An extractor whose rules break on one kind of article (as a real parse surprise would)."""

    def extract_many(self, texts):
        failed = Extraction(error="IndexError: list index out of range")
        found = super().extract_many(texts)
        return [failed if "1,351" in text else ok for text, ok in zip(texts, found, strict=True)]


def test_failed_extraction_is_recorded_shown_and_retried(settings, store, corpus_server):
    summary = poll(settings, store, good_feeds(corpus_server), extractor=_FailsOnTroopStories())
    stories = store.stories(limit=100)
    failing = sorted(s.id for s in stories if "1,351" in s.text)  # 05 and its syndicated copy
    assert 0 < len(failing) < len(stories)
    assert summary.extract_failed == len(failing)
    assert summary.figures == len(stories) - len(failing)  # one per story that was extracted
    health = {h.name: h for h in store.source_health()}
    assert sum(h.extract_failed for h in health.values()) == len(failing)
    assert any("IndexError" in (h.extract_error or "") for h in health.values())
    due = [story_id for batch in store.stories_to_extract() for story_id, _ in batch]
    assert sorted(due) == failing  # never stored as "extracted, nothing found"

    counts = extract_stories(store, AlwaysOne(), due, NOW)
    assert all(c.error is None for c in counts.values())
    assert not [s for batch in store.stories_to_extract() for s in batch]
    assert sum(h.extract_failed for h in store.source_health()) == 0


def test_a_second_poller_that_stored_a_story_first_fails_nothing(settings, tmp_path,
                                                                  corpus_server):
    """Two pollers race on one new item: the one that loses stores nothing twice and its feed
    is still healthy."""
    first = Store(tmp_path / "first.db")
    poll(settings, first, good_feeds(corpus_server))
    story = first.stories(limit=1)[0]
    racing = Store(tmp_path / "racing.db")
    assert racing.add_story(story, [], None) is True  # the other poller's insert, no keys yet
    assert racing.add_story(story, [], None) is False  # and again: ignored, no error
    summary = poll(settings, racing, good_feeds(corpus_server))
    assert summary.failed == 0 and summary.ok == len(good_feeds(corpus_server))
    assert article_pages(racing) == ARTICLES
    first.close()
    racing.close()


def test_a_feed_back_to_health_no_longer_shows_its_old_error(settings, store, corpus_server):
    feeds = good_feeds(corpus_server)
    store.register_sources(feeds)
    sid = source_id(feeds[0])
    store.record_failure(sid, NOW - timedelta(hours=1), "timed out after 15 s",
                         base_minutes=15, max_minutes=60)
    summary = poll(settings, store, feeds, force=True)
    assert summary.failed == 0
    health = {h.id: h for h in store.source_health()}
    assert health[sid].last_error is None and health[sid].failures == 0


def test_sources_no_longer_in_the_feeds_file_are_retired(settings, store, corpus_server):
    feeds = good_feeds(corpus_server)
    poll(settings, store, feeds)
    renamed = [replace(feeds[0], url=feeds[0].url + "?v=2", name="Renamed")]
    poll(settings, store, renamed, force=True)
    health = store.source_health()
    assert [h.name for h in health] == ["Renamed"]  # no ghosts of the old three
    assert store.source_count() == 1
    assert article_pages(store) == ARTICLES  # their stories stay
