"""Alert recording benchmark: S subscriptions over C channels against N new stories.

Builds a fresh database of N stories (article-length texts, ~3 figures and ~2 quotes each) and S
subscriptions to topics drawn from the shipped alias file and the generator's places and people,
then times `Worker.record_alerts` once (the scan the worker runs after every poll).
Last line: `alerts S subscriptions x N stories in X s (K alerts)`.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from latest import PEOPLE, PLACES, START, generate  # noqa: E402  (bench/ is the script's dir)

from briefings.settings import load_settings  # noqa: E402
from briefings.store import Store  # noqa: E402
from briefings.topics import load_topics  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
ARTICLE_PARAGRAPHS = 12  # a wire story is 3-6k characters; the generator writes ~400


def build(path: Path, stories: int, subscriptions: int, channels: int) -> Store:
    store = Store(path, load_topics(ROOT / "config" / "topics.toml"))
    rng = random.Random(5)
    topics = [place for place, _ in PLACES] + PEOPLE + ["Gaza", "Khartoum", "Kiev", "Odessa"]
    made = 0
    while made < subscriptions:
        channel = f"C{rng.randrange(channels):06d}"
        if store.subscribe(channel, rng.choice(topics), START - timedelta(days=1)):
            made += 1
    for batch, figures, quotes in generate(stories):
        longer = [replace(s, text="\n".join([s.text] * ARTICLE_PARAGRAPHS))
                  for s in batch]
        store.bulk_add(longer, figures, quotes)
    return store


def main() -> None:
    from bot.worker.jobs import Worker

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--stories", type=int, default=300)
    parser.add_argument("--subscriptions", type=int, default=446)
    parser.add_argument("--channels", type=int, default=150)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = build(Path(tmp) / "alerts.db", args.stories, args.subscriptions, args.channels)
        settings = load_settings({}, ROOT / "config")
        topics = load_topics(ROOT / "config" / "topics.toml")
        worker = Worker(settings, store, topics, deliverer=None,  # type: ignore[arg-type]
                        clock=lambda: START + timedelta(days=1200))
        started = time.perf_counter()
        recorded = worker.record_alerts(START + timedelta(days=1200))
        elapsed = time.perf_counter() - started
        store.close()
    print(f"alerts {args.subscriptions} subscriptions x {args.stories} stories in {elapsed:.2f} s "
          f"({recorded} alerts)")


if __name__ == "__main__":
    main()
