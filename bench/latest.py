"""`/conflict latest <topic>` benchmark on a realistic database of N stories (default 1,000,000).

Builds (or reuses, cached by N and schema version) a database of N stories across 500 outlets over
three years, ~3 figures and ~2 quotes per story, ~10% syndicated copies; then runs the `latest`
service function (the one the slash command calls) 1,000 times over a mix of frequent, rare,
aliased, accented, odd and unmatched topics.
Last line: `latest p50 X ms p99 Y ms on N stories`.

`--postgres URL` runs it on PostgreSQL instead (an empty database: it is filled first, then
queried); `--postgres auto` starts a throwaway server (tests/support/postgres.py) for the run.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from stats import percentile  # noqa: E402  (bench/ is the script's dir)

from briefings.models import Figure, Quote, Story  # noqa: E402
from briefings.store import Store  # noqa: E402
from briefings.store.schema import migrations  # noqa: E402
from briefings.topics import load_topics  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "bench" / ".cache"
START = datetime(2023, 1, 1, tzinfo=UTC)
SPAN = timedelta(days=3 * 365)
OUTLETS = [f"Outlet {n:03d}" for n in range(500)]
# (place, weight): frequent places dominate, a few are rare.
PLACES = [("Ukraine", 30), ("Kyiv", 20), ("Kharkiv", 8), ("Odesa", 6), ("Mariupol", 5),
          ("Lviv", 5), ("Dnipro", 4), ("Zaporizhzhia", 4), ("Kherson", 4), ("Mykolaiv", 3),
          ("Chernihiv", 2), ("Bakhmut", 3), ("Donetsk", 3), ("Luhansk", 2), ("Sumy", 2),
          ("Bucha", 1), ("Irpin", 1), ("Kramatorsk", 0.3), ("Izium", 0.5), ("Avdiivka", 1)]
PEOPLE = ["Volodymyr Zelensky", "Vladimir Putin", "Dmytro Kuleba", "Sergei Lavrov",
          "Dmitry Peskov", "Vitali Klitschko", "Antonio Guterres", "Jens Stoltenberg",
          "Oleh Synehubov", "Vadym Boychenko", "Sergei Rudskoi", "Andriy Yermak"]
CLAIMANTS = ["the city council", "the regional governor", "Ukraine's general staff",
             "Russia's defence ministry", "the United Nations", "UNHCR", "the mayor"]
KINDS = [("killed", "civilians killed"), ("wounded", "people wounded"),
         ("evacuated", "people evacuated"), ("fled", "refugees fled"),
         ("troops_killed", "Russian troops killed"), ("displaced", "people displaced"),
         ("aid_money", "in military aid"), ("distance", "kilometres from the front")]
TITLES = ["{n} killed as Russian strikes hit {place}", "{person} says {place} will not fall",
          "Evacuations resume from {place} as shelling eases", "Aid convoy reaches {place}",
          "{place} braces for new offensive, officials say", "Talks stall over {place} corridor"]
SENTENCES = [
    "Officials in {place} said {n} people had been killed in overnight shelling.",
    "{person} said the situation around {place} remained extremely difficult.",
    "Rescue workers searched the rubble of a residential block in {place} on {day}.",
    "The United Nations said more than {m} people had fled the region since the invasion.",
    "\"We will rebuild every street of {place},\" {person} told reporters.",
    "Russia's defence ministry claimed its forces had repelled attacks near {place}.",
]
QUOTES = ["We will rebuild every street of {place}", "The situation in {place} is critical",
          "Nobody will be forgotten and nobody will be forgiven", "We need air defence now"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
QUERY_MIX = (["Ukraine"] * 20 + ["Kyiv"] * 15 + ["Kharkiv", "Odesa", "Mariupol"] * 5
             + ["Kramatorsk"] * 10 + ["Kiev"] * 8 + ["Zelenskyy"] * 8 + ["odessa", "KHARKOV"] * 3
             + ["Zaporizhzhia", "Zaporozhye", "Kyïv", "Dnipró"] * 2
             + ["Atlantis", "Gondor", "\"unbalanced", "Kyiv OR *", "NEAR(a b)", "-Kyiv",
                "'; drop table stories; --", "🇺🇦 Kyiv", "x" * 10_000])


def schema_version() -> str:
    names = ",".join(m.name for m in migrations._migrations)
    return hashlib.sha1(names.encode()).hexdigest()[:10]


def generate(count: int, seed: int = 7):
    """Yield batches of (stories, figures, quotes)."""
    rng = random.Random(seed)
    places, weights = zip(*PLACES, strict=True)
    recent: list[tuple[str, str]] = []
    batch_stories, batch_figures, batch_quotes = [], [], []
    step = SPAN / count
    for i in range(count):
        published = START + step * i
        place = rng.choices(places, weights)[0]
        person = rng.choice(PEOPLE)
        n = rng.randint(2, 3000)
        story_id = f"s{i:08d}"
        outlet = rng.choice(OUTLETS)
        cluster_id = story_id
        if recent and rng.random() < 0.1:
            cluster_id, place = rng.choice(recent[-50:])
        recent.append((cluster_id, place))
        if len(recent) > 200:
            del recent[:100]
        fill = {"place": place, "person": person, "n": n, "m": f"{rng.randint(2, 8)} million",
                "day": rng.choice(DAYS)}
        title = rng.choice(TITLES).format(**fill)
        text = "\n".join(s.format(**fill) for s in rng.sample(SENTENCES, 4))
        batch_stories.append(Story(
            id=story_id, source_id=f"src{OUTLETS.index(outlet)}", outlet=outlet, title=title,
            url=f"https://{outlet.lower().replace(' ', '')}.example/world/{i}", guid=story_id,
            published=published, fetched=published, summary=text.split("\n")[0], text=text,
            text_origin="page", cluster_id=cluster_id,
        ))
        for _ in range(3):
            kind, what = rng.choice(KINDS)
            value = float(rng.randint(2, 20000))
            batch_figures.append(Figure(
                value=value, low=None, high=None, approx=rng.choice(["exact", "at least"]),
                what=what, kind=kind, where=place, claimant=rng.choice(CLAIMANTS + PEOPLE),
                sentence=f"{int(value):,} {what} in {place}.", words=f"{int(value):,}",
                story_id=story_id,
            ))
        for _ in range(2):
            batch_quotes.append(Quote(
                text=rng.choice(QUOTES).format(place=place), speaker=rng.choice(PEOPLE),
                cue="said", sentence="", story_id=story_id,
            ))
        if len(batch_stories) == 20_000:
            yield batch_stories, batch_figures, batch_quotes
            batch_stories, batch_figures, batch_quotes = [], [], []
    if batch_stories:
        yield batch_stories, batch_figures, batch_quotes


def build(count: int, cache: Path = CACHE) -> tuple[Path, float]:
    cache.mkdir(parents=True, exist_ok=True)
    path = cache / f"latest-{count}-{schema_version()}.db"
    if path.exists():
        return path, 0.0
    partial = path.with_suffix(".partial")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{partial}{suffix}").unlink(missing_ok=True)
    started = time.perf_counter()
    store = Store(partial)
    for stories, figures, quotes in generate(count):
        store.bulk_add(stories, figures, quotes)
    store.db.execute("analyze")
    store.db.execute("pragma wal_checkpoint(truncate)")
    store.close()
    os.replace(partial, path)
    return path, time.perf_counter() - started


def build_postgres(url: str, count: int) -> float:
    started = time.perf_counter()
    store = Store(url)
    if store.story_count() < count:
        for stories, figures, quotes in generate(count):
            store.bulk_add(stories, figures, quotes)
        store.db.execute("analyze")
    store.close()
    return time.perf_counter() - started


def run_queries(path: Path | str, rounds: int) -> list[float]:
    from briefings.queries import latest

    store = Store(path)
    topics = load_topics(ROOT / "config" / "topics.toml")
    now = START + SPAN
    rng = random.Random(11)
    timings = []
    for _ in range(rounds):
        topic = rng.choice(QUERY_MIX)
        started = time.perf_counter()
        latest(store, topics, topic, now=now)
        timings.append((time.perf_counter() - started) * 1000)
    store.close()
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--stories", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=1000)
    parser.add_argument("--cache", type=Path, default=CACHE, help="where databases are kept")
    parser.add_argument("--postgres", metavar="URL",
                        help="a PostgreSQL database to fill and query, or `auto`")
    args = parser.parse_args()
    if args.postgres:
        return run_postgres(args)
    path, build_s = build(args.stories, args.cache)
    size_mb = path.stat().st_size / 1e6
    print(f"database {path.name}: {size_mb:.0f} MB, "
          + (f"built in {build_s:.0f} s" if build_s else "reused from cache"))
    report(run_queries(path, args.rounds), args.stories, "SQLite")


def run_postgres(args: argparse.Namespace) -> None:
    server = None
    url = args.postgres
    if url == "auto":
        from tests.support.postgres import PostgresServer

        server = PostgresServer().start()
        url = server.url("bench_latest")
    try:
        build_s = build_postgres(url, args.stories)
        print(f"PostgreSQL database filled in {build_s:.0f} s")
        report(run_queries(url, args.rounds), args.stories, "PostgreSQL")
    finally:
        if server is not None:
            server.stop()


def report(timings: list[float], count: int, backend: str) -> None:
    print(f"latest p50 {percentile(timings, 50):.1f} ms p99 {percentile(timings, 99):.1f} ms "
          f"on {count:,} stories ({backend})")


if __name__ == "__main__":
    main()
