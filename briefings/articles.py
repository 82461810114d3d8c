"""Article text: the body of a story's page without the page chrome around it.

trafilatura does the heavy lifting; its `None` on failure becomes ours (callers fall back to the
feed's own content and record why).
"""

from __future__ import annotations

import html as html_lib
import logging
import re
from pathlib import Path

import lxml.html
import trafilatura

from briefings.errors import ArticleError

logger = logging.getLogger(__name__)

MAX_TEXT_CHARS = 200_000
_BLOCKS = {"p", "div", "li", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "br", "tr",
           "section"}
_DROP = {"script", "style", "noscript", "iframe", "object", "embed", "form", "svg", "template"}
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
    parts: list[str] = []
    _walk(root, parts)
    return _tidy("".join(parts))


def _walk(element: lxml.html.HtmlElement, parts: list[str]) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag in _DROP:
        if element.tail:
            parts.append(element.tail)
        return
    block = tag in _BLOCKS
    if block:
        parts.append("\n")
    if element.text and isinstance(element.tag, str):
        parts.append(element.text)
    for child in element:
        _walk(child, parts)
    if block:
        parts.append("\n")
    if element.tail:
        parts.append(element.tail)


def _tidy(text: str) -> str:
    lines = []
    for raw in text.splitlines():
        line = _SPACE.sub(" ", raw).strip()
        if line and not _BOILERPLATE_LINE.match(line):
            lines.append(line)
    return "\n".join(lines)[:MAX_TEXT_CHARS]


def read_article_file(path: Path) -> str:
    """An article from disk: HTML pages go through `article_text`, plain text is kept as is."""
    raw = path.read_bytes()[: 20 * MAX_TEXT_CHARS]
    text = raw.decode("utf-8", errors="replace")
    head = text[:2048].lower()
    if "<html" in head or "<!doctype html" in head or "<article" in text.lower():
        extracted = article_text(text)
        if extracted is None:
            raise ArticleError(f"{path}: no article text found in this HTML page")
        return extracted
    return _tidy(text)
