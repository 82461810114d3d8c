"""Article text: the body of a story's page without the page chrome around it.

trafilatura does the heavy lifting; its `None` on failure becomes ours (callers fall back to the
feed's own content and record why).
"""

from __future__ import annotations

import html as html_lib
import logging
import re
from dataclasses import dataclass
from pathlib import Path

import lxml.html
import trafilatura
from lxml_html_clean import Cleaner

from briefings.errors import ArticleError

logger = logging.getLogger(__name__)

MAX_TEXT_CHARS = 200_000
# Feed fragments lose scripts, styles, comments and forms (with their fields and buttons), each
# with its content; so do the kill list's tags, whose text the Cleaner would otherwise keep.
# Only text is read afterwards, so the passes that edit attributes are off: javascript (on*
# handlers, javascript: links; the <script> elements go with scripts=True), safe_attrs_only and
# remove_unknown_tags (which keeps the text anyway). They would triple the cleaning time.
_CLEANER = Cleaner(
    scripts=True, comments=True, style=True, forms=True,
    kill_tags=("noscript", "iframe", "object", "embed", "form", "svg", "template"),
    javascript=False, safe_attrs_only=False, remove_unknown_tags=False,
)
# Elements whose text is a paragraph (or line) of its own.
_BLOCKS = ("p", "div", "li", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "br", "tr",
           "section")
_SPACE = re.compile(r"[ \t\u00a0\u200b]+")
_BOILERPLATE_LINE = re.compile(
    r"^(read more|related|advertisement|share this|most popular|sign up|subscribe)\b", re.I
)


def article_text(page: str) -> str | None:
    """The article body of an HTML page as paragraphs separated by newlines, or None."""
    if not page or not page.strip():
        return None
    try:
        text = trafilatura.extract(
            page,
            include_comments=False,
            include_tables=False,
            include_images=False,
            favor_precision=True,
            deduplicate=False,
        )
    except Exception as exc:  # noqa: BLE001 - trafilatura raises anything on hostile markup
        logger.info("trafilatura failed: %s", exc)
        return None
    if not text:
        return None
    return _tidy(text)


def html_fragment_text(fragment: str) -> str:
    """Plain text of an HTML fragment from a feed (summary or content), paragraphs kept.

    Scripts and styles are dropped with their content; tags are removed; entities decoded.
    """
    if not fragment or not fragment.strip():
        return ""
    if "<" not in fragment:
        return _tidy(html_lib.unescape(fragment))
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        return _tidy(re.sub(r"<[^>]*>", " ", fragment))
    _CLEANER(root)
    # lxml's text_content() runs paragraphs together: a line break around each block keeps them.
    for block in root.iter(*_BLOCKS):
        block.text = "\n" + (block.text or "")
        block.tail = "\n" + (block.tail or "")
    return _tidy(root.text_content())


def _tidy(text: str) -> str:
    lines = []
    for raw in text.splitlines():
        line = _SPACE.sub(" ", raw).strip()
        if line and not _BOILERPLATE_LINE.match(line):
            lines.append(line)
    return "\n".join(lines)[:MAX_TEXT_CHARS]


@dataclass(frozen=True, slots=True)
class ArticleFile:
    """An article read from disk, with what the reader should know about it."""

    text: str
    notes: tuple[str, ...] = ()


# Words that make up a large share of any English news text.
_ENGLISH = frozenset(
    {"the", "and", "of", "to", "in", "a", "said", "on", "for", "was", "were", "is", "that",
     "with", "by", "at", "from", "have", "has", "had", "it", "he", "she", "they"}
)
_WORDS = re.compile(r"[^\W\d_]+", re.UNICODE)


def _binary(raw: bytes) -> bool:
    if b"\x00" in raw[:8192]:
        return True
    sample = raw[:8192].decode("utf-8", errors="replace")
    bad = sum(1 for ch in sample if ch == "\ufffd" or (ord(ch) < 32 and ch not in "\n\r\t"))
    return bool(sample) and bad / len(sample) > 0.1


def english_share(text: str) -> float:
    """The share of words that are common English words (news English is above 0.25)."""
    words = [w.lower() for w in _WORDS.findall(text[:20_000])]
    return sum(1 for w in words if w in _ENGLISH) / len(words) if words else 0.0


def read_article_file(path: Path) -> ArticleFile:
    """An article from disk: HTML pages go through `article_text`, plain text is kept as is.
    Empty and binary files are refused; a text cut to size or not in English says so."""
    size = path.stat().st_size
    raw = path.read_bytes()[: 20 * MAX_TEXT_CHARS]
    if not raw.strip():
        raise ArticleError(f"{path} is empty — give an article as plain text or an HTML page")
    if _binary(raw):
        raise ArticleError(f"{path} is not text (binary data) — give an article as plain text "
                           "or an HTML page")
    text = raw.decode("utf-8", errors="replace")
    head = text[:2048].lower()
    if "<html" in head or "<!doctype html" in head or "<article" in text.lower():
        extracted = article_text(text)
        if extracted is None:
            raise ArticleError(f"{path}: no article text found in this HTML page")
        body = extracted
    else:
        body = _tidy(text)
    if not body.strip():
        raise ArticleError(f"{path} has no readable text")
    notes = []
    if size > len(raw) or len(body) >= MAX_TEXT_CHARS:
        notes.append(f"the file is {size:,} bytes; only its first {MAX_TEXT_CHARS:,} characters "
                     "of text were read")
    if english_share(body) < 0.12:
        notes.append("this does not look like English; Sitrep's extraction rules are for "
                     "English copy, so expect few figures and no speakers")
    return ArticleFile(body, tuple(notes))
