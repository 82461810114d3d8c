"""Feeds file loading, parsing rules for dates and identity keys, canonical URLs."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from briefings.errors import ConfigError, FeedError
from briefings.feeds import load_feeds, parse_feed
from briefings.identity import canonical_url
from briefings.models import FeedItem
from briefings.poll import item_keys
from tests.conftest import CORPUS

NOW = datetime(2022, 5, 1, tzinfo=UTC)


def rss(items: str) -> bytes:
    return f"""<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>
    {items}</channel></rss>""".encode()


@pytest.mark.parametrize(
    ("pub_date", "expected"),
    [
        ("Sat, 12 Mar 2022 06:55:00 +0900", datetime(2022, 3, 11, 21, 55, tzinfo=UTC)),
        ("Fri, 25 Mar 2099 21:40:00 +0000", None),  # the future: implausible
        ("sometime on Tuesday evening", None),
        ("Wed, 32 Mar 2022 25:61:00 +0300", None),
        ("Mon, 01 Jan 1900 00:00:00 +0000", None),
        ("", None),
    ],
)
def test_item_dates(pub_date, expected):
    body = rss(f"<item><title>A story</title><link>https://a.example/1</link>"
               f"<pubDate>{pub_date}</pubDate></item>")
    assert parse_feed(body, now=NOW).items[0].published == expected


def item(**kw) -> FeedItem:
    base = dict(title="Title", link=None, guid=None, published=None, summary="", content="")
    base.update(kw)
    return FeedItem(**base)


@pytest.mark.parametrize(
    ("kwargs", "first_key_prefix"),
    [
        ({"link": "https://a.example/x?utm_source=rss", "guid": "g1"}, "url:https://a.example/x"),
        ({"guid": "g1"}, "guid:src:g1"),
        ({}, "title:src:"),
        ({"summary": "A long enough summary of the story that it can identify it alone."},
         "text:outlet:"),
    ],
)
def test_identity_key_fallbacks(kwargs, first_key_prefix):
    keys = item_keys(item(**kwargs), "src", "Outlet")
    assert keys[0].startswith(first_key_prefix)


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("HTTP://WWW.Example.com:80//a/b/?utm_source=x&b=2&a=1#frag",
         "https://example.com/a/b?a=1&b=2"),
        ("https://example.com/a?fbclid=1&gclid=2", "https://example.com/a"),
        ("https://example.com:8443/a", "https://example.com:8443/a"),
        ("https://example.com/", "https://example.com/"),
    ],
)
def test_canonical_url(url, canonical):
    assert canonical_url(url) == canonical


def test_not_a_feed_and_bomb_are_refused():
    with pytest.raises(FeedError, match="not a feed"):
        parse_feed((CORPUS / "feeds/hostile/html-not-feed.xml").read_bytes(), now=NOW)
    with pytest.raises(FeedError, match="entities"):
        parse_feed((CORPUS / "feeds/hostile/billion-laughs.xml").read_bytes(), now=NOW)
    with pytest.raises(FeedError, match="empty"):
        parse_feed(b"   ", now=NOW)


def test_feeds_file_reports_bad_entries_by_name(tmp_path: Path):
    path = tmp_path / "feeds.toml"
    path.write_text("""
[[feeds]]
name = "Good"
url = "https://good.example/feed"

[[feeds]]
name = "Typo"
url = "https://typo.example/feed"
intervall = 5

[[feeds]]
name = "Local file"
url = "file:///etc/passwd"

[[feeds]]
url = "https://nameless.example/feed"
""")
    loaded = load_feeds(path)
    assert [f.name for f in loaded.feeds] == ["Good"]
    assert loaded.feeds[0].outlet == "Good"
    problems = "\n".join(loaded.problems)
    assert "'Typo': unknown key intervall" in problems
    assert "'Local file': bad url" in problems
    assert "feed 4: `name` is required" in problems


def test_feeds_file_errors_are_clear(tmp_path: Path):
    with pytest.raises(ConfigError, match="not found"):
        load_feeds(tmp_path / "missing.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("[[feeds]\nname=")
    with pytest.raises(ConfigError, match="bad.toml"):
        load_feeds(bad)


def test_shipped_feeds_file_loads_cleanly():
    loaded = load_feeds(Path(__file__).parents[2] / "config" / "feeds.toml")
    assert loaded.problems == ()
    assert loaded.feeds[0].url == "https://japantoday.com/category/world/feed"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[[feed]]\nname = "A"\nurl = "https://a.example/feed"\n',
         r"no \[\[feeds\]\] tables \(found \[\[feed\]\]\)"),
        ("", r"no \[\[feeds\]\] tables \(the file is empty\)"),
        ('[[feeds]]\nname = "A"\nurl = "ftp://a.example/feed"\n', "none of its 1 .* can be used"),
    ],
)
def test_a_feeds_file_that_follows_nothing_is_an_error(tmp_path: Path, text: str, message: str):
    path = tmp_path / "feeds.toml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=message):
        load_feeds(path)
