"""Pictures of what Sitrep posts, as a reader sees them in Slack (a developer tool).

    .venv/bin/python -m tests.support.pictures [--out docs/pictures]

Builds a fresh SQLite store from the bundled samples the way `sitrep demo` does, renders the
daily briefing, a topic alert, the `/conflict` replies and the App Home view, writes each as HTML
(`tests.support.slack_preview`) and screenshots it with headless Chromium. Needs `chromium`
(`apt-get install -y chromium`); exits 1 without it. The render functions are imported when used:
their names may move while the render code changes.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import hashlib
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.support.slack_preview import to_html

CHANNEL = "C0SITREP1"  # a well-formed id, so the App Home shows it as a channel mention
CHANNEL_NAME = "ukraine-watch"
WIDTH = 900
MEASURE = ("document.body.setAttribute('data-height', "
           "Math.ceil(document.documentElement.getBoundingClientRect().height));")
COMMANDS = (("latest", "latest Mariupol"), ("figures", "figures Mariupol"),
            ("quotes", "quotes Zelensky"), ("sources", "sources"), ("help", "help"))


def chromium() -> str | None:
    return next(filter(None, map(shutil.which, ("chromium", "chromium-browser",
                                                "google-chrome"))), None)


def sample_store(workdir: Path):
    """(context, settings, store): the samples polled with extraction, as `sitrep demo` does."""
    from bot.context import Context
    from briefings.fileserver import FileServer
    from briefings.models import FeedSpec
    from briefings.poll import poll_once
    from briefings.samples import PLACEHOLDER, SAMPLE_FEEDS, SAMPLES_DIR
    from briefings.store import Store

    context = Context()
    db_path = workdir / "pictures.db"
    settings = context.settings.replace(db_path=db_path, allow_private_addresses=True)
    store = Store(db_path, context.topics, context.conflicts)
    with FileServer(SAMPLES_DIR, PLACEHOLDER) as server:
        feeds = [FeedSpec(name, server.url + path, outlet) for name, path, outlet in SAMPLE_FEEDS]
        summary = asyncio.run(poll_once(settings, feeds, store, clock=context.clock,
                                        extractor=context.extractor()))
    print(f"feeds ok {summary.ok}, failed {summary.failed}; new stories {summary.new_stories}, "
          f"figures {summary.figures}, quotes {summary.quotes}")
    return context, settings, store


def messages(context, settings, store) -> dict[str, tuple[object, bool]]:
    """Each thing Sitrep posts: name → (message or view, shown only to the asker)."""
    from bot.commands import Reply, answer, parse
    from bot.render.briefing import alert_message, briefing_message
    from bot.render.replies import with_share_button
    from bot.slack.home import home_view
    from briefings import queries
    from briefings.compose import compose_alerts, compose_briefing

    now, topics = context.clock(), context.topics
    store.subscribe(CHANNEL, "Mariupol", now)
    store.set_digest(CHANNEL, now, enabled=True, time="08:00", tz="Europe/Kyiv")
    tz = queries.channel_timezone(store, CHANNEL, settings.briefing_timezone)
    shown: dict[str, tuple[object, bool]] = {}
    briefing = compose_briefing(store, topics, channel=CHANNEL, now=now, since=None)
    shown["briefing"] = (briefing_message(briefing, tz), False)
    stories = [s for s in store.stories_fetched(None, upto=store.story_mark()) if store.followed(s)]
    ids = [story.id for story in stories]
    figures: dict[str, list] = {}
    quotes: dict[str, list] = {}
    for found in store.figures_of_stories(ids):
        figures.setdefault(found.item.story_id, []).append(found.item)
    for found in store.quotes_of_stories(ids):
        quotes.setdefault(found.item.story_id, []).append(found.item)
    alert = compose_alerts(topics, ["Mariupol"], stories, figures, quotes)["mariupol"]
    shown["alert"] = (alert_message(alert, tz), False)
    reply = Reply(store, topics, settings, now, channel=CHANNEL)
    from bot.slack.app import SHAREABLE

    for name, text in COMMANDS:
        command = parse(text)
        message = answer(command, reply)
        if command.action in SHAREABLE:  # as the app adds it
            message = with_share_button(message, text)
        shown[name] = (message, True)
    channels = [queries.subscriptions(store, CHANNEL)]
    shown["home"] = (home_view(channels, queries.sources(store), now=now,
                               default_tz=settings.briefing_timezone), False)
    return shown


def page_height(browser: str, page: Path, html: str) -> int:
    """The page's height, measured by Chromium running one script of ours (allowed by hash)."""
    digest = base64.b64encode(hashlib.sha256(MEASURE.encode()).digest()).decode()
    measured = html.replace("script-src 'none'", f"script-src 'sha256-{digest}'").replace(
        "</body>", f"<script>{MEASURE}</script></body>")
    probe = page.with_suffix(".measure.html")
    probe.write_text(measured, encoding="utf-8")
    try:
        dom = subprocess.run(
            [browser, "--headless", "--disable-gpu", "--no-sandbox", "--hide-scrollbars",
             f"--window-size={WIDTH},800", "--dump-dom", probe.as_uri()],
            capture_output=True, text=True, timeout=120, check=False).stdout
    finally:
        probe.unlink(missing_ok=True)
    found = re.search(r'data-height="(\d+)"', dom)
    return int(found.group(1)) + 8 if found else 2400


def screenshot(browser: str, page: Path, height: int) -> Path:
    png = page.with_suffix(".png")
    subprocess.run(
        [browser, "--headless", "--disable-gpu", "--no-sandbox", "--hide-scrollbars",
         f"--window-size={WIDTH},{height}", f"--screenshot={png}", page.as_uri()],
        capture_output=True, timeout=120, check=True)
    return png


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=Path("docs/pictures"),
                        help="folder for the PNGs (default: docs/pictures)")
    parser.add_argument("--keep-html", action="store_true", help="keep the HTML pages too")
    args = parser.parse_args(argv)
    browser = chromium()
    if browser is None:
        print("pictures: Chromium is missing (apt-get install -y chromium); no pictures made.",
              file=sys.stderr)
        return 1
    args.out = args.out.resolve()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="sitrep-pictures-") as tmp:
        context, settings, store = sample_store(Path(tmp))
        try:
            shown = messages(context, settings, store)
        finally:
            store.close()
        for name, (message, ephemeral) in shown.items():
            html = to_html(message, title=f"Sitrep — {name}", ephemeral=ephemeral,
                           channels={CHANNEL: CHANNEL_NAME})
            page = (args.out if args.keep_html else Path(tmp)) / f"{name}.html"
            page.write_text(html, encoding="utf-8")
            png = screenshot(browser, page, page_height(browser, page, html))
            if not args.keep_html:
                png = Path(shutil.move(png, args.out / png.name))
            print(png.relative_to(Path.cwd()) if png.is_relative_to(Path.cwd()) else png)
    return 0


if __name__ == "__main__":
    sys.exit(main())
