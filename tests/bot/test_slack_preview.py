"""The HTML preview of Block Kit messages (tests.support.slack_preview): no Chromium needed."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from bot.render.blocks import Message
from tests.support import pictures
from tests.support.slack_preview import mrkdwn_to_html, to_html
from tests.worker.support import add_story, at, killed, quote

HOSTILE = ('<script>alert(1)</script> "><img src=x onerror=alert(2)> <!channel> '
           "<javascript:alert(3)|click> ' onmouseover='alert(4) \ue0000\ue001")


class Tags(HTMLParser):
    """Every element and attribute of a page, and its text."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.feed(page)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)

    @property
    def names(self) -> set[str]:
        return {tag for tag, _ in self.tags}

    @property
    def body_text(self) -> str:
        return "".join(self.text)


def assert_inert(page: str) -> None:
    tags = Tags(page)
    assert tags.names <= {"html", "head", "meta", "title", "style", "body", "div", "span",
                          "b", "i", "s", "code", "pre", "a", "br", "hr", "blockquote"}
    for tag, attrs in tags.tags:
        assert not [a for a in attrs if a.startswith("on")], (tag, attrs)
        assert set(attrs) <= {"class", "href", "rel", "charset", "http-equiv", "content",
                              "lang"}, (tag, attrs)
        if tag == "a":
            assert attrs["href"].startswith(("http://", "https://", "mailto:"))
    assert "script-src 'none'" in page  # the page's own policy forbids scripts anyway


def section(text: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def test_every_block_type_renders():
    blocks = [
        {"type": "header", "text": {"type": "plain_text", "text": "Latest: Mariupol"}},
        section("Stories"),
        {"type": "section", "fields": [{"type": "mrkdwn", "text": "*city council*"},
                                       {"type": "mrkdwn", "text": "*UN*"}]},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": "9 stories from 3"}]},
        {"type": "divider"},
        {"type": "actions", "elements": [{"type": "button", "style": "primary",
                                          "text": {"type": "plain_text",
                                                   "text": "Post to channel"}}]},
        {"type": "section", "text": {"type": "mrkdwn", "text": "with a button"},
         "accessory": {"type": "button", "text": {"type": "plain_text", "text": "Open"}}},
        {"type": "rich_text", "elements": []},
    ]
    page = to_html(Message("fallback", blocks), title="All blocks")
    assert '<div class="block header">Latest: Mariupol</div>' in page
    assert '<div class="fields"><div><b>city council</b></div><div><b>UN</b></div></div>' in page
    assert '<div class="block context"><span>9 stories from 3</span></div>' in page
    assert "<hr>" in page
    assert '<span class="button primary">Post to channel</span>' in page
    assert '<span class="button">Open</span>' in page
    assert "[unsupported block: rich_text]" in page
    assert "<title>All blocks</title>" in page and "Sitrep" in page
    assert "Notification text: fallback" in page
    assert_inert(page)


def test_dicts_views_and_ephemeral_replies():
    view = {"type": "home", "blocks": [section("*Channels*")]}
    assert "Home · Messages" in to_html(view, title="Home")
    assert "Only visible to you" in to_html({"blocks": [section("hi")]}, title="t",
                                            ephemeral=True)
    assert "Only visible to you" not in to_html({"blocks": [section("hi")]}, title="t")
    text_only = to_html({"text": "*no blocks*"}, title="t")  # Slack shows the text then
    assert "<b>no blocks</b>" in text_only


@pytest.mark.parametrize(("mrkdwn", "shown"), [
    ("*bold* _italic_ ~gone~", "<b>bold</b> <i>italic</i> <s>gone</s>"),
    ("snake_case_name and 2*3*4", "snake_case_name and 2*3*4"),
    ("run `sitrep poll`", "run <code>sitrep poll</code>"),
    ("```a <b>\n*not bold*```", "<pre>a &lt;b&gt;\n*not bold*</pre>"),
    ("&gt; quoted\n&gt; twice\nafter", "<blockquote>quoted<br>twice</blockquote>after"),
    ("> quoted", "<blockquote>quoted</blockquote>"),
    ("<https://example.test/a?b=1&amp;c=2|the story>",
     '<a href="https://example.test/a?b=1&amp;c=2" rel="noreferrer">the story</a>'),
    ("<https://example.test/x>",
     '<a href="https://example.test/x" rel="noreferrer">https://example.test/x</a>'),
    ("*<https://example.test/x|linked>*",
     '<b><a href="https://example.test/x" rel="noreferrer">linked</a></b>'),
    ("<!date^1647388800^{date_short}|16 Mar 2022>", "16 Mar 2022"),
    ("<#C0123|ukraine-watch>", '<span class="mention">#ukraine-watch</span>'),
    ("<@U123>", '<span class="mention">@U123</span>'),
    ("<!here>", '<span class="mention loud">@here</span>'),
    ("&lt;!channel&gt; &amp; co", "&lt;!channel&gt; &amp; co"),
    (":warning: posting failed", "⚠️ posting failed"),
    ("line one\nline two", "line one<br>line two"),
])
def test_mrkdwn(mrkdwn, shown):
    assert mrkdwn_to_html(mrkdwn) == shown


def test_channel_names_come_from_the_caller():
    assert mrkdwn_to_html("<#C0123>", {"C0123": "news"}) == '<span class="mention">#news</span>'
    assert mrkdwn_to_html("<#C0123>") == '<span class="mention">#C0123</span>'


@pytest.mark.parametrize("where", ["header", "section", "field", "context", "button", "type",
                                   "fallback", "title"])
def test_hostile_text_is_inert(where):
    text = {"type": "plain_text" if where in ("header", "button") else "mrkdwn",
            "text": HOSTILE}
    blocks = {
        "header": [{"type": "header", "text": text}],
        "section": [{"type": "section", "text": text}],
        "field": [{"type": "section", "fields": [text]}],
        "context": [{"type": "context", "elements": [text]}],
        "button": [{"type": "actions", "elements": [{"type": "button", "text": text,
                                                      "style": HOSTILE}]}],
        "type": [{"type": HOSTILE}],
        "fallback": [],
        "title": [section("ok")],
    }[where]
    page = to_html(Message(HOSTILE, blocks), title=HOSTILE if where == "title" else "t")
    assert_inert(page)
    assert "<script>alert" not in page and "<img" not in page and 'href="javascript' not in page


def test_hostile_text_shows_as_text():
    page = to_html(Message("f", [section(HOSTILE)]), title="t")
    shown = Tags(page).body_text
    assert "<script>alert(1)</script>" in shown  # shown as typed, never run
    assert '"><img src=x onerror=alert(2)>' in shown
    assert "@channel" in shown  # a raw <!channel> would ping: the preview makes it visible
    # The way the renderers escape feed text, it is shown as typed and pings nobody.
    escaped = mrkdwn_to_html("&lt;!channel&gt; &lt;script&gt;")
    assert escaped == "&lt;!channel&gt; &lt;script&gt;"


def test_real_briefing_renders_every_block(tmp_path, topics):
    from bot.render.briefing import briefing_message
    from briefings.compose import compose_briefing
    from briefings.store import Store

    store = Store(tmp_path / "sitrep.db", topics)
    try:
        add_story(store, "s1", "Mariupol <script>alert(1)</script> siege",
                  fetched=at("2024-03-10T02:00:00+00:00"),
                  figures=[killed(1582, "city council")],
                  quotes=[quote('"><img src=x onerror=alert(2)>', "<!channel>")])
        store.subscribe("C1", "Mariupol", at("2024-03-10T00:00:00+00:00"))
        briefing = compose_briefing(store, topics, channel="C1",
                                    now=at("2024-03-10T08:00:00+00:00"),
                                    since=at("2024-03-10T00:00:00+00:00"))
        message = briefing_message(briefing, "UTC")
    finally:
        store.close()
    page = to_html(message, title="Briefing")
    assert "[unsupported" not in page
    assert "Sitrep briefing" in page and "1,582" in page
    assert_inert(page)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_pictures_without_chromium_says_so(monkeypatch, capsys, tmp_path):
    monkeypatch.setattr(pictures.shutil, "which", lambda name: None)
    assert pictures.main(["--out", str(tmp_path / "pictures")]) == 1
    assert "Chromium is missing" in capsys.readouterr().err
    assert not (tmp_path / "pictures").exists()
