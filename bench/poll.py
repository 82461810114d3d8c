"""Polling benchmark: N feeds served locally; a first poll ingests them, a second finds nothing
changed (ETag → 304). Last line: `poll N unchanged feeds X s (first poll Y s, Z stories/s)`.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from briefings.fileserver import FileServer  # noqa: E402
from briefings.models import FeedSpec  # noqa: E402
from briefings.poll import make_client, poll_config, poll_feeds  # noqa: E402
from briefings.settings import load_settings  # noqa: E402
from briefings.store import Store  # noqa: E402

ITEMS_PER_FEED = 10
PLACES = ["Kyiv", "Mariupol", "Kharkiv", "Odesa", "Lviv", "Chernihiv", "Mykolaiv", "Dnipro"]


def write_feeds(root: Path, count: int) -> None:
    (root / "feeds").mkdir(parents=True)
    start = datetime(2022, 3, 1, tzinfo=UTC)
    for n in range(count):
        items = []
        for i in range(ITEMS_PER_FEED):
            when = start + timedelta(minutes=n * 7 + i * 61)
            place = PLACES[(n + i) % len(PLACES)]
            items.append(
                f"<item><title>Feed {n} story {i}: shelling reported in {place}</title>"
                f"<link>https://outlet{n}.example/world/{n}/{i}</link>"
                f"<guid isPermaLink='false'>feed{n}-item{i}</guid>"
                f"<pubDate>{when:%a, %d %b %Y %H:%M:%S +0000}</pubDate>"
                f"<description>Officials in {place} said {i + n} civilians were evacuated on "
                f"day {i} of the offensive, according to outlet {n}.</description></item>"
            )
        body = (
            "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel>"
            f"<title>Outlet {n}</title>{''.join(items)}</channel></rss>"
        )
        (root / "feeds" / f"feed{n}.xml").write_text(body, encoding="utf-8")


async def run(feed_count: int) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "site"
        write_feeds(root, feed_count)
        settings = load_settings({"SITREP_DB": str(Path(tmp) / "bench.db"),
                                  "SITREP_ALLOW_PRIVATE_ADDRESSES": "1"})
        store = Store(settings.db_path)
        config = replace(poll_config(settings, force=True), fetch_pages=False)
        with FileServer(root) as server:
            feeds = [FeedSpec(f"Outlet {n}", f"{server.url}feeds/feed{n}.xml", f"Outlet {n}")
                     for n in range(feed_count)]
            async with make_client(settings.poll_concurrency) as client:
                started = time.perf_counter()
                first = await poll_feeds(feeds, store, client, config,
                                         clock=lambda: datetime.now(UTC))
                first_s = time.perf_counter() - started
                started = time.perf_counter()
                second = await poll_feeds(feeds, store, client, config,
                                          clock=lambda: datetime.now(UTC))
                second_s = time.perf_counter() - started
        unchanged = sum(1 for r in second.results if r.not_modified)
        if first.failed or unchanged != feed_count:
            raise SystemExit(f"unexpected: first failed {first.failed}, 304s {unchanged}")
        rate = first.new_stories / first_s if first_s else 0.0
        print(f"first poll: {first.new_stories} stories from {feed_count} feeds")
        return (f"poll {feed_count} unchanged feeds {second_s:.2f} s "
                f"(first poll {first_s:.2f} s, {rate:.0f} stories/s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--feeds", type=int, default=500)
    args = parser.parse_args()
    print(asyncio.run(run(args.feeds)))


if __name__ == "__main__":
    main()
