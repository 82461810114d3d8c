"""Building Block Kit messages that always hold Slack's limits, and reading them back as text.

Callers pass mrkdwn that is already escaped (see `bot.render.mrkdwn`, which also declares the
limits); this module only enforces sizes: blocks, section, field and header text, and a `text`
fallback on every message. Long lists end in "and N more".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import NamedTuple

from bot.render.mrkdwn import (
    MAX_BLOCKS,
    MAX_CONTEXT_ELEMENTS,
    MAX_FALLBACK_TEXT,
    MAX_FIELD_TEXT,
    MAX_FIELDS,
    MAX_HEADER_TEXT,
    MAX_SECTION_TEXT,
    plain_text,
    truncate,
    unescape,
)

MAX_LINE = 1200  # one list line; keeps one hostile item from filling a section

# What "and N more" says: a fixed noun ("more", "more claimants") or a function of N that says
# it all, plural included (`lambda n: plural(n, "more story")` gives "1 more story").
More = str | Callable[[int], str]


def more_text(count: int, noun: More) -> str:
    """'_and 3 more stories_' (mrkdwn, italic)."""
    said = noun(count) if callable(noun) else f"{count:,} {noun}"
    return f"_and {said}_"


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

    def header(self, text: str, *, emoji_flag: bool = True) -> None:
        """A header of raw text: cut, then `<`, `>` and `&` dropped (it is shown verbatim).

        `emoji_flag=False` leaves Slack's `emoji` flag out (no message of Sitrep's does now).
        """
        shown = " ".join(plain_text(truncate(text, MAX_HEADER_TEXT)).split()) or " "
        title = {"type": "plain_text", "text": shown}
        if emoji_flag:
            title["emoji"] = True
        self.blocks.append({"type": "header", "text": title})

    def section(self, text: str) -> None:
        self.blocks.append({"type": "section", "text": _mrkdwn(text, MAX_SECTION_TEXT)})

    def context(self, *texts: str) -> None:
        elements = [_mrkdwn(t, MAX_SECTION_TEXT) for t in texts[:MAX_CONTEXT_ELEMENTS] if t]
        if elements:
            self.blocks.append({"type": "context", "elements": elements})

    def divider(self) -> None:
        self.blocks.append({"type": "divider"})

    def fields(self, texts: Sequence[str], *, more_label: More = "more") -> None:
        """Side-by-side columns (at most `MAX_FIELDS`; the last says how many did not fit)."""
        shown = list(texts)
        if len(shown) > MAX_FIELDS:
            hidden = len(shown) - (MAX_FIELDS - 1)
            shown = shown[: MAX_FIELDS - 1] + [more_text(hidden, more_label)]
        if shown:
            self.blocks.append({"type": "section",
                                "fields": [_mrkdwn(t, MAX_FIELD_TEXT) for t in shown]})

    def listing(self, title: str, lines: Sequence[str], *, shown: int | None = None,
                hidden: int = 0, noun: More = "more") -> None:
        """A titled list in one section: the first `shown` lines that fit, then "and N more".

        `hidden` counts items that never became lines (cut earlier, by the composer).
        """
        text, used = title, 0
        for line in lines[:shown]:
            if len(text) + 1 + len(line) > MAX_SECTION_TEXT - 40:  # room for "and N more"
                break
            text += "\n" + line
            used += 1
        more = len(lines) - used + max(hidden, 0)
        if more > 0:
            text += "\n" + more_text(more, noun)
        self.section(text)

    def lines(self, title: str, lines: Sequence[str], *, hidden: int = 0,
              noun: More = "more") -> None:
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
            text += ("\n" if text else "") + more_text(hidden, noun)
        if text:
            self.section(text)

    def build(self, text: str, *, room_for_button: bool = True) -> Message:
        """The message: fallback `text` on one line; one block left for the "Post to channel"
        button unless `room_for_button` is False (a briefing or alert is never shared)."""
        room = MAX_BLOCKS - 1 if room_for_button else MAX_BLOCKS
        blocks = list(self.blocks)
        if len(blocks) > room:
            hidden = len(blocks) - (room - 1)
            said = f"{hidden} more section{'' if hidden == 1 else 's'} not shown"
            blocks = blocks[: room - 1] + [{"type": "section", "text": _mrkdwn(
                f"_and {said}_", MAX_SECTION_TEXT)}]
        fallback = truncate(" ".join(text.split()), MAX_FALLBACK_TEXT) or "Sitrep"
        return Message(fallback, blocks)


_LINK = re.compile(r"<(https?://[^|>\s]+)\|([^>]*)>")
_DATE = re.compile(r"<!date\^\d+\^[^|>]*\|([^>]*)>")


def mrkdwn_to_text(text: str) -> str:
    """Terminal form of our mrkdwn: links as `label (url)`, Slack date tokens as their fallback,
    entities decoded, emphasis dropped."""
    text = _DATE.sub(lambda m: m.group(1), text)
    text = _LINK.sub(lambda m: f"{m.group(2)} ({m.group(1)})", text)
    text = re.sub(r"(?<![\w*])[*_](\S(?:.*?\S)?)[*_](?![\w*])", r"\1", text)
    return unescape(text)


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
