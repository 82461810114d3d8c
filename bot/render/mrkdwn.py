"""Slack's Block Kit limits, and mrkdwn safety: every string from a feed goes through here.

The limits are declared here only; `bot.render.blocks.MessageBuilder` holds every message to them.
"""

from __future__ import annotations

from urllib.parse import urlsplit

MAX_BLOCKS = 50
MAX_SECTION_TEXT = 3000
MAX_FIELDS = 10  # per section
MAX_FIELD_TEXT = 2000
MAX_HEADER_TEXT = 150
MAX_BUTTON_TEXT = 75
MAX_BUTTON_VALUE = 2000
MAX_FALLBACK_TEXT = 3000
MAX_CONTEXT_ELEMENTS = 10

_ESCAPES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"))  # "&" first: it starts the others


def escape(text: str | None) -> str:
    """Escape &, < and > so feed text can never ping (<!channel>, <@U…>) or make a link."""
    if not text:
        return ""
    for char, entity in _ESCAPES:
        text = text.replace(char, entity)
    return text


def unescape(text: str) -> str:
    """The text `escape` was given (for the terminal)."""
    for char, entity in reversed(_ESCAPES):
        text = text.replace(entity, char)
    return text


def plain(text: str | None) -> str:
    """Neutralise mrkdwn formatting characters as well, for text shown inside bold/italic."""
    return escape(text).replace("*", "∗").replace("_", "ˍ").replace("~", "∼").replace("`", "ˋ")


def plain_text(text: str) -> str:
    """Text for a `plain_text` object (a header): shown verbatim, so entities would show as
    "&lt;"; `<`, `>` and `&` are dropped instead."""
    return "".join(ch for ch in text if ch not in "<>&")


def safe_url(url: str | None) -> str | None:
    """A URL we may link to: stored http(s) only, with no characters that break <url|text>."""
    if not url:
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    if any(ch in url for ch in "<>| \n\r\t"):
        return None
    return url


def link(url: str | None, text: str) -> str:
    """`<url|text>` with the text escaped, or just the escaped text when the URL is unsafe."""
    target = safe_url(url)
    label = escape(text).replace("|", "¦")
    return f"<{target}|{label}>" if target else label


def truncate(text: str, limit: int) -> str:
    """Cut to `limit` characters with an ellipsis, never splitting an escape like &amp;."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    amp = cut.rfind("&")
    if amp != -1 and ";" not in cut[amp:]:
        cut = cut[:amp]
    return cut.rstrip() + "…"
