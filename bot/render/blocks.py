"""Building Block Kit messages that always hold Slack's limits, and reading them back as text.

Callers pass mrkdwn that is already escaped (see `bot.render.mrkdwn`); this module only enforces
sizes: ≤ 50 blocks, section text ≤ 3,000, fields ≤ 10 × 2,000, header ≤ 150, and a
`text` fallback on every message.
One block is left free for the "Post to channel" button. Long lists end in "and N more".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

from bot.render.mrkdwn import (
    MAX_BLOCKS,
    MAX_CONTEXT_ELEMENTS,
    MAX_FALLBACK_TEXT,
    MAX_HEADER_TEXT,
    MAX_SECTION_TEXT,
    truncate,
)

MAX_FIELDS = 10
MAX_FIELD_TEXT = 2000
MAX_LINE = 1200  # one list line; keeps one hostile item from filling a section


class Message(NamedTuple):
    """A Slack message: mrkdwn fallback `text` and Block Kit `blocks`."""

    text: str
    blocks: list[dict]


def _mrkdwn(text: str, limit: int) -> dict:
    return {"type": "mrkdwn", "text": truncate(text, limit) or " "}


class MessageBuilder:
    """Collects blocks; `build()` cuts them to Slack's limits."""

    def __init__(self) -> None:
        self.blocks: list[dict] = []

    def header(self, text: str) -> None:
        """A header; `text` is plain (shown verbatim), so callers strip `<`, `>` and `&`."""
        plain = " ".join(text.split()) or " "
        self.blocks.append({"type": "header", "text": {
            "type": "plain_text", "text": truncate(plain, MAX_HEADER_TEXT), "emoji": True}})

    def section(self, text: str) -> None:
        self.blocks.append({"type": "section", "text": _mrkdwn(text, MAX_SECTION_TEXT)})

    def context(self, *texts: str) -> None:
        elements = [_mrkdwn(t, MAX_SECTION_TEXT) for t in texts[:MAX_CONTEXT_ELEMENTS] if t]
        if elements:
            self.blocks.append({"type": "context", "elements": elements})

    def divider(self) -> None:
        self.blocks.append({"type": "divider"})

    def fields(self, texts: Sequence[str], *, more_label: str = "more") -> None:
        """Side-by-side columns (at most ten; the tenth says how many did not fit)."""
        shown = list(texts)
        if len(shown) > MAX_FIELDS:
            hidden = len(shown) - (MAX_FIELDS - 1)
            shown = shown[: MAX_FIELDS - 1] + [f"_and {hidden} {more_label}_"]
        if shown:
            self.blocks.append({"type": "section",
                                "fields": [_mrkdwn(t, MAX_FIELD_TEXT) for t in shown]})

    def lines(self, title: str, lines: Sequence[str], *, hidden: int = 0,
              noun: str = "more") -> None:
        """A titled list packed into as few sections as fit; cut lines end in "and N more"."""
        text = title
        for index, line in enumerate(lines):
            line = truncate(line, MAX_LINE)
            if len(text) + 1 + len(line) > MAX_SECTION_TEXT - 60:
                if len(self.blocks) >= MAX_BLOCKS - 6:  # no room for another section
                    hidden += len(lines) - index
                    break
                self.section(text)
                text = line
            else:
                text = f"{text}\n{line}" if text else line
        if hidden > 0:
            text += f"\n_and {hidden:,} {noun}_"
        if text:
            self.section(text)

    def build(self, text: str) -> Message:
        room = MAX_BLOCKS - 1  # one left for the "Post to channel" button
        blocks = list(self.blocks)
        if len(blocks) > room:
            hidden = len(blocks) - (room - 1)
            blocks = blocks[: room - 1] + [{"type": "section", "text": _mrkdwn(
                f"_and {hidden} more sections not shown_", MAX_SECTION_TEXT)}]
        fallback = truncate(" ".join(text.split()), MAX_FALLBACK_TEXT) or "Sitrep"
        return Message(fallback, blocks)


_LINK = re.compile(r"<(https?://[^|>\s]+)\|([^>]*)>")
_ENTITIES = (("&lt;", "<"), ("&gt;", ">"), ("&amp;", "&"))


def mrkdwn_to_text(text: str) -> str:
    """Terminal form of our mrkdwn: links as `label (url)`, entities decoded, emphasis dropped."""
    text = _LINK.sub(lambda m: f"{m.group(2)} ({m.group(1)})", text)
    text = re.sub(r"(?<![\w*])[*_](\S(?:.*?\S)?)[*_](?![\w*])", r"\1", text)
    for entity, char in _ENTITIES:
        text = text.replace(entity, char)
    return text


def as_text(message: Message) -> str:
    """A message as terminal text, block by block (buttons left out)."""
    out: list[str] = []
    for block in message.blocks:
        kind = block.get("type")
        if kind == "header":
            title = block["text"]["text"]
            out += ["", title, "=" * min(len(title), 78)]
        elif kind == "section":
            if "text" in block:
                out.append(mrkdwn_to_text(block["text"]["text"]))
            for field in block.get("fields", []):
                out.append(mrkdwn_to_text(field["text"]))
        elif kind == "context":
            out.append("  ".join(mrkdwn_to_text(e.get("text", "")) for e in block["elements"]))
        elif kind == "divider":
            out.append("-" * 40)
    return "\n".join(out).strip("\n")
