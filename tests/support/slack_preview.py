"""A Block Kit message as a small self-contained HTML page that looks roughly like Slack.

For looking at what Sitrep posts (`python -m tests.support.pictures`), not for Slack itself.
Everything from the message is escaped: message text is hostile feed text, and the page also
forbids scripts, remote loads and forms through its Content-Security-Policy.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from typing import Any

__all__ = ["CSP", "mrkdwn_to_html", "to_html"]

CSP = ("default-src 'none'; script-src 'none'; style-src 'unsafe-inline'; img-src data:; "
       "form-action 'none'; base-uri 'none'")
EMOJI = {
    "warning": "⚠️", "white_check_mark": "✅", "x": "❌", "newspaper": "📰", "bell": "🔔",
    "rotating_light": "🚨", "chart_with_upwards_trend": "📈", "speech_balloon": "💬",
    "information_source": "ℹ️", "mag": "🔍", "calendar": "📅", "clock8": "🕗",
}
_PLACEHOLDER = re.compile("\ue000(\\d+)\ue001")
_TOKEN = re.compile(r"`[^`\n]+`|<[^<>\n]*>")
_EMPHASIS = [
    (re.compile(rf"(?<![\w{re.escape(mark)}])"
                rf"{re.escape(mark)}(?=\S)(.+?)(?<=\S){re.escape(mark)}"
                rf"(?![\w{re.escape(mark)}])"), tag)
    for mark, tag in (("*", "b"), ("_", "i"), ("~", "s"))
]
_EMOJI = re.compile(r":([a-z0-9_+-]+):")
_SAFE_URL = re.compile(r"^(https?://|mailto:)[^\s\"'<>`]+$", re.IGNORECASE)
_SPECIAL = {"here": "@here", "channel": "@channel", "everyone": "@everyone"}

STYLE = """
* { box-sizing: border-box; }
body { margin: 0; background: #fff; color: #1d1c1d; font-size: 15px; line-height: 1.46668;
  font-family: Lato, "Slack-Lato", "Helvetica Neue", Helvetica, Arial, "Noto Color Emoji",
  sans-serif; -webkit-font-smoothing: antialiased; }
.bar { padding: 10px 20px; border-bottom: 1px solid #ddd; font-weight: 900; font-size: 18px; }
.bar small { font-weight: 400; color: #616061; font-size: 13px; margin-left: 8px; }
.msg { display: flex; padding: 8px 20px 12px; }
.msg:hover { background: #f8f8f8; }
.avatar { flex: none; width: 36px; height: 36px; border-radius: 6px; margin: 4px 8px 0 0;
  background: #4a154b; color: #fff; font-weight: 900; font-size: 20px; text-align: center;
  line-height: 36px; }
.body { flex: 1; min-width: 0; }
.meta { line-height: 1.3; margin-bottom: 2px; }
.name { font-weight: 900; }
.app { background: #e8e8e8; color: #616061; font-size: 10px; font-weight: 700;
  padding: 1px 3px; border-radius: 2px; margin-left: 4px; vertical-align: 2px; }
.time { color: #616061; font-size: 12px; margin-left: 6px; }
.eph { color: #616061; font-size: 13px; margin-bottom: 2px; }
.home { padding: 16px 20px; }
.block { margin: 4px 0; overflow-wrap: anywhere; }
.header { font-size: 18px; font-weight: 900; line-height: 1.33; margin: 6px 0 4px; }
.section { display: flex; gap: 12px; align-items: flex-start; }
.section .text { flex: 1; min-width: 0; }
.fields { display: grid; grid-template-columns: 1fr 1fr; gap: 8px 16px; margin-top: 4px; }
.context { color: #616061; font-size: 12px; line-height: 1.5; display: flex; flex-wrap: wrap;
  gap: 2px 8px; align-items: center; }
hr { border: 0; border-top: 1px solid #dddddd; margin: 12px 0; }
.actions { display: flex; gap: 8px; flex-wrap: wrap; margin: 8px 0 4px; }
.button { display: inline-block; font-weight: 700; font-size: 15px; height: 28px;
  line-height: 26px; padding: 0 12px; border-radius: 4px; border: 1px solid #bbbabb;
  background: #fff; color: #1d1c1d; white-space: nowrap; }
.button.primary { background: #007a5a; border-color: #007a5a; color: #fff; }
.button.danger { background: #e01e5a; border-color: #e01e5a; color: #fff; }
.unsupported { color: #b00020; font-family: monospace; font-size: 13px; background: #fff4f4;
  border: 1px dashed #e01e5a; padding: 2px 6px; display: inline-block; }
a { color: #1264a3; text-decoration: none; }
code { font-family: Monaco, Menlo, Consolas, "Courier New", monospace; font-size: 12px;
  color: #e01e5a; background: #f6f6f6; border: 1px solid #e2e2e2; border-radius: 3px;
  padding: 1px 3px; }
pre { font-family: Monaco, Menlo, Consolas, "Courier New", monospace; font-size: 12px;
  background: #f8f8f8; border: 1px solid #e2e2e2; border-radius: 4px; padding: 8px;
  margin: 4px 0; white-space: pre-wrap; }
blockquote { margin: 2px 0; padding-left: 12px; border-left: 4px solid #dddddd; }
.mention { background: #e8f5fa; color: #1264a3; border-radius: 3px; padding: 0 2px; }
.mention.loud { background: #fef1c7; color: #7a5b00; }
.fallback { margin: 16px 20px 12px; padding-top: 8px; border-top: 1px dashed #ccc;
  color: #8a8a8a; font-size: 12px; }
"""


def _text(value: Any) -> str:
    """Any value as escaped HTML text (private-use placeholders removed first)."""
    return html.escape(_clean(str(value)), quote=True)


def _clean(text: str) -> str:
    return text.replace("\ue000", "\ufffd").replace("\ue001", "\ufffd")


def _slack_unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _emoji(escaped: str) -> str:
    return _EMOJI.sub(lambda m: EMOJI.get(m.group(1), m.group(0)), escaped)


def _angle(token: str, channels: Mapping[str, str]) -> str:
    """One `<…>` control sequence of mrkdwn as HTML."""
    inner = token[1:-1]
    target, _, label = inner.partition("|")
    if target.startswith("#"):
        name = label or channels.get(target[1:], target[1:])
        return f'<span class="mention">#{_text(_slack_unescape(name))}</span>'
    if target.startswith("@"):
        return f'<span class="mention">@{_text(_slack_unescape(label or target[1:]))}</span>'
    if target.startswith("!date^"):
        return _text(_slack_unescape(label or target))
    if target.startswith("!subteam^"):
        return f'<span class="mention">{_text(_slack_unescape(label or "@group"))}</span>'
    if target[1:] in _SPECIAL and target.startswith("!"):
        return f'<span class="mention loud">{_SPECIAL[target[1:]]}</span>'
    url = _slack_unescape(target)
    if _SAFE_URL.match(url):
        shown = _text(_slack_unescape(label) if label else url)
        return f'<a href="{_text(url)}" rel="noreferrer">{shown}</a>'
    return _text(_slack_unescape(token))  # not a control sequence Slack knows: shown as typed


def _inline(line: str, channels: Mapping[str, str]) -> str:
    """One line of mrkdwn (no ``` blocks) as HTML."""
    pieces: list[str] = []

    def keep(match: re.Match[str]) -> str:
        token = match.group(0)
        if token.startswith("`"):
            pieces.append(f"<code>{_text(_slack_unescape(token[1:-1]))}</code>")
        else:
            pieces.append(_angle(token, channels))
        return f"\ue000{len(pieces) - 1}\ue001"

    shown = _emoji(html.escape(_slack_unescape(_TOKEN.sub(keep, line)), quote=True))
    for pattern, tag in _EMPHASIS:
        shown = pattern.sub(lambda m, tag=tag: f"<{tag}>{m.group(1)}</{tag}>", shown)
    return _PLACEHOLDER.sub(lambda m: pieces[int(m.group(1))], shown)


def mrkdwn_to_html(text: str, channels: Mapping[str, str] | None = None) -> str:
    """Slack mrkdwn (with Slack's &amp; &lt; &gt; escapes) as HTML."""
    channels = channels or {}
    out: list[str] = []
    for index, chunk in enumerate(_clean(text).split("```")):
        if index % 2:  # inside ``` … ```
            out.append(f"<pre>{_text(_slack_unescape(chunk.strip(chr(10))))}</pre>")
            continue
        lines: list[str] = []
        quote: list[str] = []
        for line in chunk.split("\n"):
            marker = re.match(r"^(?:>|&gt;) ?", line)
            if marker:
                quote.append(_inline(line[marker.end():], channels))
                continue
            if quote:
                lines.append(f"<blockquote>{'<br>'.join(quote)}</blockquote>")
                quote = []
            lines.append(_inline(line, channels) + "<br>")
        if quote:
            lines.append(f"<blockquote>{'<br>'.join(quote)}</blockquote>")
        joined = "".join(lines)
        if joined.endswith("<br>"):
            joined = joined[:-4]
        out.append(joined)
    return "".join(out)


def _text_object(obj: Any, channels: Mapping[str, str]) -> str:
    if not isinstance(obj, dict):
        return _unsupported("text object")
    if obj.get("type") == "mrkdwn":
        return mrkdwn_to_html(str(obj.get("text", "")), channels)
    shown = _text(obj.get("text", ""))
    return _emoji(shown) if obj.get("emoji", True) else shown


def _unsupported(kind: Any, what: str = "block") -> str:
    return f'<span class="unsupported">[unsupported {what}: {_text(kind)}]</span>'


def _element(element: Any, channels: Mapping[str, str]) -> str:
    """A button, or an image/text element of a context block."""
    if not isinstance(element, dict):
        return _unsupported(type(element).__name__, "element")
    kind = element.get("type")
    if kind == "button":
        style = element.get("style")
        css = f"button {style}" if style in ("primary", "danger") else "button"
        return f'<span class="{css}">{_text_object(element.get("text"), channels)}</span>'
    if kind in ("mrkdwn", "plain_text"):
        return f"<span>{_text_object(element, channels)}</span>"
    if kind == "image":
        return f'<span class="button">[image: {_text(element.get("alt_text", ""))}]</span>'
    return _unsupported(kind, "element")


def _block(block: Any, channels: Mapping[str, str]) -> str:
    if not isinstance(block, dict):
        return f'<div class="block">{_unsupported(type(block).__name__)}</div>'
    kind = block.get("type")
    if kind == "header":
        return f'<div class="block header">{_text_object(block.get("text"), channels)}</div>'
    if kind == "divider":
        return "<hr>"
    if kind == "section":
        inner = ""
        if "text" in block:
            inner += f"<div>{_text_object(block['text'], channels)}</div>"
        if block.get("fields"):
            cells = "".join(f"<div>{_text_object(f, channels)}</div>" for f in block["fields"])
            inner += f'<div class="fields">{cells}</div>'
        accessory = ""
        if "accessory" in block:
            accessory = f"<div>{_element(block['accessory'], channels)}</div>"
        return (f'<div class="block section"><div class="text">{inner}</div>'
                f"{accessory}</div>")
    if kind == "context":
        cells = "".join(_element(e, channels) for e in block.get("elements", []))
        return f'<div class="block context">{cells}</div>'
    if kind == "actions":
        cells = "".join(_element(e, channels) for e in block.get("elements", []))
        return f'<div class="block actions">{cells}</div>'
    if kind == "image":
        return (f'<div class="block"><span class="button">[image: '
                f'{_text(block.get("alt_text", ""))}]</span></div>')
    return f'<div class="block">{_unsupported(kind)}</div>'


def _parts(message: Any) -> tuple[str, list, bool]:
    """(fallback text, blocks, is an App Home view) of a Message, a message dict or a view."""
    if isinstance(message, Mapping):
        home = message.get("type") in ("home", "modal")
        return str(message.get("text", "")), list(message.get("blocks") or []), home
    return str(getattr(message, "text", "")), list(getattr(message, "blocks", []) or []), False


def to_html(message: Any, *, title: str, ephemeral: bool = False, when: str = "8:02 AM",
            channels: Mapping[str, str] | None = None, show_fallback: bool = True) -> str:
    """A self-contained HTML page showing `message` (a `bot.render.blocks.Message`, a message
    dict with "blocks" or a view dict) about as Slack would.

    `ephemeral` adds Slack's "Only visible to you"; `channels` maps channel ids to the names
    `<#C…>` mentions show; `show_fallback` prints the notification text below the message.
    """
    channels = channels or {}
    fallback, blocks, home = _parts(message)
    if blocks:
        body = "\n".join(_block(b, channels) for b in blocks)
    else:  # Slack shows the text when there are no blocks
        body = f'<div class="block">{mrkdwn_to_html(fallback, channels)}</div>'
    if home:
        page = (f'<div class="bar">Sitrep<small>Home · Messages · About</small></div>\n'
                f'<div class="home">{body}</div>')
    else:
        note = '<div class="eph">👁 Only visible to you</div>' if ephemeral else ""
        page = (f'<div class="msg"><div class="avatar">S</div><div class="body">{note}'
                f'<div class="meta"><span class="name">Sitrep</span><span class="app">APP'
                f'</span><span class="time">{_text(when)}</span></div>\n{body}</div></div>')
    if show_fallback and fallback and blocks:
        page += (f'\n<div class="fallback">Notification text: {_text(fallback)}</div>')
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">\n'
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
            f"<title>{_text(title)}</title>\n<style>{STYLE}</style></head>\n"
            f"<body>\n{page}\n</body></html>\n")
