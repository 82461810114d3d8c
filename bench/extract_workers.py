"""Extraction throughput of the job queue: stories extracted per second by 1, 2 and 4 `sitrep
worker` processes on one PostgreSQL database (each process loads the spaCy model once, then
takes one `extract_story` job at a time). Last line:
`extraction workers 1: A stories/s, 2: B (xR), 4: C (xS)`.

`--postgres URL` uses that server (a database is created per run); `--postgres auto` (the
default) starts a throwaway one (tests/support/postgres.py).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extract import corpus_texts  # noqa: E402  (bench/ is the script's dir)

from bot.worker.queue import apply_queue_schema  # noqa: E402
from briefings.models import Story  # noqa: E402
from briefings.store import Store  # noqa: E402


def fill(url: str, count: int) -> list[str]:
    """`count` unextracted stories (the corpus' pages, repeated)."""
    store = Store(url)
    now = datetime.now(UTC)
    ids = []
    for index, text in enumerate(corpus_texts(count)):
        story_id = f"bench{index:05d}"
        store.add_story(Story(
            id=story_id, source_id="bench", outlet="Bench", title=f"Story {index}", url=None,
            guid=None, published=now, fetched=now, summary="", text=text, text_origin="page",
            cluster_id=story_id,
        ), [f"bench:{story_id}"], None)
        ids.append(story_id)
    store.close()
    return ids


async def defer_extractions(url: str, ids: list[str]) -> None:
    from bot.worker.tasks import _extraction, build_app, defer

    app = build_app(url)
    async with app.open_async():
        await defer(app, [_extraction(story_id) for story_id in ids])


def pending(url: str) -> int:
    import psycopg

    with psycopg.connect(url) as conn:
        return conn.execute("select count(*) from stories where extracted_at is null "
                            "and extract_error is null").fetchone()[0]


def run(url: str, workers: int, count: int, scratch: Path) -> float:
    """Stories per second with `workers` processes, from the moment all have loaded spaCy."""
    apply_queue_schema(url)
    ids = fill(url, count)
    feeds = scratch / "feeds.toml"
    # one feed nobody serves: its one poll fails at once (a worker needs a feed to start)
    feeds.write_text('[[feeds]]\nname = "None"\nurl = "http://127.0.0.1:9/feed.xml"\n'
                     'outlet = "None"\n', encoding="utf-8")
    env = {**os.environ, "SITREP_DB": url, "SITREP_FEEDS": str(feeds),
           "SLACK_BOT_TOKEN": "xoxb-bench", "SLACK_API_URL": "http://127.0.0.1:9/api/",
           "PYTHONPATH": str(ROOT)}
    logs = [scratch / f"worker{workers}-{i}.log" for i in range(workers)]
    processes = [subprocess.Popen([sys.executable, "-m", "bot", "worker"], cwd=ROOT, env=env,
                                  stdout=log.open("w"), stderr=subprocess.STDOUT,
                                  start_new_session=True) for log in logs]
    try:
        deadline = time.monotonic() + 300
        while not all("on the job queue" in log.read_text() for log in logs):
            if time.monotonic() > deadline or any(p.poll() is not None for p in processes):
                raise SystemExit(f"a worker did not start: {logs[0].read_text()[-2000:]}")
            time.sleep(0.2)
        started = time.perf_counter()
        asyncio.run(defer_extractions(url, ids))
        while pending(url):
            time.sleep(0.1)
        took = time.perf_counter() - started
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(60)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
    return count / took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--stories", type=int, default=200)
    parser.add_argument("--workers", default="1,2,4")
    parser.add_argument("--postgres", default="auto", metavar="URL")
    args = parser.parse_args()
    server = None
    if args.postgres == "auto":
        from tests.support.postgres import PostgresServer

        server = PostgresServer().start()
    try:
        rates = {}
        with tempfile.TemporaryDirectory(prefix="sitrep-bench-") as scratch:
            for workers in (int(w) for w in args.workers.split(",")):
                url = server.url() if server else args.postgres
                rates[workers] = run(url, workers, args.stories, Path(scratch))
                print(f"{workers} worker{'s' if workers > 1 else ''}: "
                      f"{rates[workers]:.1f} stories/s", flush=True)
    finally:
        if server:
            server.stop()
    base = rates[min(rates)]
    print(f"{'workers':>8} {'stories/s':>10} {'ratio':>6}")
    for workers, rate in rates.items():
        print(f"{workers:>8} {rate:>10.1f} {rate / base:>6.2f}")
    print("extraction workers " + ", ".join(
        f"{w}: {r:.1f} stories/s" + (f" (x{r / base:.2f})" if w != min(rates) else "")
        for w, r in rates.items()))


if __name__ == "__main__":
    main()
