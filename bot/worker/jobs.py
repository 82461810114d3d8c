"""The worker: polls feeds, records and posts topic alerts, and posts each channel's briefing.

The schedule lives in SQLite (`channels`), read afresh every minute, so `/conflict digest at …`
from the web process applies without a restart. All jobs share one thread, so a briefing never
reads the store halfway through a poll. APScheduler only decides *when* jobs run; *what* is due
comes from the injected clock.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta

from bot.render.briefing import alert_message, briefing_message, local
from bot.worker.charts import BriefingCharts
from bot.worker.outbox import Deliverer
from briefings.compose import Briefing, compose_alerts, compose_briefing
from briefings.errors import ConfigError
from briefings.models import FeedSpec, PollSummary
from briefings.poll import Extracts, poll_once
from briefings.schedule import channel_zone, due_slot
from briefings.settings import Settings
from briefings.store import PENDING, SKIPPED, ChannelSettings, Delivery, Store, Subscription
from briefings.topics import Topics

__all__ = ["Worker", "record_briefing"]

logger = logging.getLogger(__name__)


def record_briefing(
    store: Store, briefing: Briefing, *, channel: str, tz: str, key: str, now: datetime,
    slot: datetime | None = None,
) -> bool:
    """Render and record a composed briefing under `key`; False if the key was there already."""
    text, blocks = briefing_message(briefing, tz)
    return store.record_delivery(Delivery(
        key=key, kind="briefing", channel=channel, text=text, blocks=blocks, state=PENDING,
        created=now, slot=slot, window_start=briefing.since, window_end=briefing.until,
        story_mark=briefing.story_mark,
    ))


class Worker:
    """The worker's jobs, each a plain method so tests can call them with a fake clock."""

    def __init__(
        self, settings: Settings, store: Store, topics: Topics, deliverer: Deliverer, *,
        clock: Callable[[], datetime], feeds: Sequence[FeedSpec] = (),
        extractor: Extracts | None = None,
    ) -> None:
        self.settings = settings
        self.store = store
        self.topics = topics
        self.deliverer = deliverer
        self.clock = clock
        self.feeds = tuple(feeds)
        self.extractor = extractor
        # the chart of each briefing this worker records, posted in its thread once it is
        # posted (bot/worker/charts.py: at most once, never in the briefing's way)
        self.charts = BriefingCharts(store, deliverer)

    # --- jobs ----------------------------------------------------------------------------------

    def poll(self) -> PollSummary:
        """Poll the feeds (extracting as it goes), then record and post alerts."""
        summary = asyncio.run(poll_once(
            self.settings, self.feeds, self.store, clock=self.clock, extractor=self.extractor
        ))
        logger.info("polled: ok %d, failed %d; new stories %d, figures %d, quotes %d, "
                    "extraction failed %d", summary.ok, summary.failed, summary.new_stories,
                    summary.figures, summary.quotes, summary.extract_failed)
        self.alerts()
        return summary

    def alerts(self) -> int:
        """Record an alert per subscription with news since its last scan, then post them."""
        recorded = self.record_alerts(self.clock())
        self.deliver()
        return recorded

    def tick(self) -> None:
        """Every minute: record the briefings that are due, then post whatever is open."""
        self.record_due_briefings(self.clock())
        self.deliver()

    def deliver(self) -> dict[str, str]:
        """Post (or reconcile) every open delivery, then the charts of briefings now posted."""
        results = self.deliverer.deliver_open()
        self.charts.post_ready()
        return results

    # --- recording -----------------------------------------------------------------------------

    def channel_tz(self, channel: ChannelSettings | None) -> str:
        return channel_zone(channel, self.settings.briefing_timezone)

    def record_due_briefings(
        self, now: datetime, *, hold: timedelta = timedelta(0)
    ) -> list[str]:
        """Record each due slot's briefing (or a skip, with its reason); the keys recorded.
        A briefing less than `hold` past its slot is left for a later call (the job queue
        holds briefings while stories already fetched are still being extracted)."""
        recorded = []
        grace = timedelta(minutes=self.settings.briefing_grace_minutes)
        for settings in self.store.channels():
            if not settings.digest_enabled:
                continue
            channel = settings.channel
            hhmm = settings.digest_time or self.settings.briefing_time
            tz = self.channel_tz(settings)
            try:
                decision = due_slot(now, hhmm, tz, grace=grace, not_before=settings.updated)
            except ConfigError as exc:
                logger.warning("channel %s has an unusable schedule: %s", channel, exc)
                continue
            if decision.slot is None:
                continue
            key = f"briefing:{channel}:{_stamp(decision.slot)}"
            if self.store.delivery(key) is not None:
                continue
            if decision.due and now < decision.slot + hold:
                continue
            if not decision.due:
                skipped = self.store.record_delivery(Delivery(
                    key=key, kind="briefing", channel=channel, text="", blocks=[],
                    state=SKIPPED, created=now, slot=decision.slot, error=decision.reason,
                ))
                if skipped:
                    logger.warning("skipped the %s briefing for %s: %s",
                                   local(decision.slot, tz).strftime("%Y-%m-%d %H:%M %Z"),
                                   channel, decision.reason)
                continue
            briefing = compose_briefing(self.store, self.topics, channel=channel, now=now,
                                        since=None)
            if record_briefing(self.store, briefing, channel=channel, tz=tz, key=key, now=now,
                               slot=decision.slot):
                logger.info("briefing %s recorded for %s", key, channel)
                recorded.append(key)
                self.charts.keep(key, self.store, briefing, tz)
        return recorded

    def record_alerts(self, now: datetime, upto: int | None = None) -> int:
        """One alert per subscription whose topic has stories stored since its last scan, up
        to story mark `upto` (the newest story when None; the job queue passes the mark below
        which every story is extracted, so no alert is composed from a story being extracted).

        Subscriptions are grouped by their window of new stories (mostly one shared window);
        each window's stories, figures and quotes are loaded once, and each topic in it is
        matched once however many channels follow it.
        """
        settings = {one.channel: one for one in self.store.channels()}
        upto = self.store.story_mark() if upto is None else upto
        windows: dict[tuple[datetime, int], list[Subscription]] = {}
        for sub in self.store.alert_subscriptions():
            cursor = self.store.alert_cursor(sub.channel, sub.topic_key)
            start, after = cursor if cursor else (sub.created, 0)
            if after < upto:
                windows.setdefault((start, after), []).append(sub)
        recorded = 0
        for (start, after), subs in windows.items():
            stories = [story for story in self.store.stories_fetched(start, after=after, upto=upto)
                       if self.store.followed(story)]  # no alert for a story of no conflict
            ids = [story.id for story in stories]
            figures: dict[str, list] = {}
            quotes: dict[str, list] = {}
            for found in self.store.figures_of_stories(ids):
                figures.setdefault(found.item.story_id, []).append(found.item)
            for found in self.store.quotes_of_stories(ids):
                quotes.setdefault(found.item.story_id, []).append(found.item)
            alerts = compose_alerts(self.topics, (s.topic for s in subs), stories, figures,
                                    quotes)
            for sub in subs:
                channel, topic_key = sub.channel, sub.topic_key
                alert = alerts.get(topic_key)
                if alert is None:
                    self.store.advance_alert_cursor(channel, topic_key, now, upto)
                    continue
                tz = self.channel_tz(settings.get(channel))
                text, blocks = alert_message(alert, tz, now)
                self.store.record_alert(Delivery(
                    key=f"alert:{channel}:{topic_key}:{_stamp(now)}", kind="alert",
                    channel=channel, text=text, blocks=blocks, state=PENDING, created=now,
                    topic_key=topic_key, day=local(now, tz).date().isoformat(),
                    window_start=start, window_end=now, story_mark=upto,
                ))
                logger.info("alert recorded for %s on %s", channel, topic_key)
                recorded += 1
        return recorded


def _stamp(when: datetime) -> str:
    """A moment as it appears in delivery keys: UTC, whole seconds."""
    return when.astimezone(UTC).isoformat(timespec="seconds")
