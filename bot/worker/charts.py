"""The chart of a briefing's key figures, posted in the briefing's thread after the briefing.

The chart is an extra, outside the outbox's exactly-once machinery, and can neither fail nor
double the briefing: its data is kept in memory by the worker that recorded the briefing, and
that worker posts it once, as a reply in the briefing's thread, right after it sees the briefing
posted. So it is posted at most once (a worker that stops in between loses it; another worker
that posts the briefing never had it), any failure is logged and dropped, and the briefing's
row is never touched.
"""

from __future__ import annotations

import logging

from bot.slack.files import UploadFailed, post_chart
from briefings.chart_data import ChartData, ClaimSeries, build_chart
from briefings.compose import Briefing
from briefings.history import chains, linked
from briefings.store import OPEN_STATES, POSTED, Store

__all__ = ["BriefingCharts", "briefing_chart"]

logger = logging.getLogger(__name__)

MAX_PENDING = 200  # charts waiting for their briefing; the oldest are dropped beyond this


def briefing_chart(store: Store, briefing: Briefing, tz: str) -> ChartData:
    """Each key figure of the briefing with the earlier figures of its series that it
    continues (briefings.history), one panel per quantity."""
    series = []
    for group in briefing.figure_groups:
        for line in group.lines:
            figure = line.figure
            claims = [(figure, line.published)]
            if figure.series and linked(figure.series):
                earlier = store.series_before(figure.series, line.published, figure.story_id)
                dated = [(d.figure, d.published) for d in earlier] + claims
                for chain in chains([f for f, _ in dated]):
                    if chain[-1] == len(dated) - 1:
                        claims = [dated[i] for i in chain]
            conflicts = line.story.conflicts if line.story else ()
            series.append(ClaimSeries(figure.claimant, store.party_of(conflicts,
                                                                      figure.claimant),
                                      tuple(claims)))
    return build_chart(_title(briefing, tz), series, tz)


def _title(briefing: Briefing, tz: str) -> str:
    from zoneinfo import ZoneInfo

    day = briefing.until.astimezone(ZoneInfo(tz))
    what = ", ".join(briefing.conflicts[:2]) or "the briefing"
    return f"{what}, {day.day} {day:%b %Y}"


class BriefingCharts:
    """Charts of recorded briefings, each posted in its briefing's thread once it is posted."""

    def __init__(self, store: Store, deliverer) -> None:  # bot.worker.outbox.Deliverer
        self.store = store
        self.deliverer = deliverer  # whose Web API client posts the charts
        self.pending: dict[str, ChartData] = {}  # delivery key -> its chart

    def keep(self, key: str, store: Store, briefing: Briefing, tz: str) -> None:
        """Remember the chart of the briefing recorded under `key` (never raises)."""
        try:
            chart = briefing_chart(store, briefing, tz)
        except Exception:  # noqa: BLE001 - the briefing matters, its chart does not
            logger.exception("could not compose the chart of %s", key)
            return
        if chart.empty:
            return
        self.pending[key] = chart
        while len(self.pending) > MAX_PENDING:
            self.pending.pop(next(iter(self.pending)))

    def post_ready(self) -> list[str]:
        """Post the chart of each briefing now posted; drop those whose briefing will never
        be. The keys whose chart was posted."""
        posted = []
        for key in list(self.pending):
            delivery = self.store.delivery(key)
            if delivery is None or delivery.state not in (*OPEN_STATES, POSTED):
                self.pending.pop(key)
                continue
            if delivery.state != POSTED or not delivery.ts:
                continue
            chart = self.pending.pop(key)  # whatever happens next, it is tried once
            try:
                post_chart(self.deliverer.client, chart, channel=delivery.channel,
                           thread_ts=delivery.ts, comment="Key figures over time")
            except UploadFailed as exc:
                logger.warning("the chart of %s was not posted: %s", key, exc)
                continue
            except Exception:  # noqa: BLE001 - never let a chart stop the worker
                logger.exception("the chart of %s could not be drawn", key)
                continue
            logger.info("posted the chart of %s in its thread", key)
            posted.append(key)
        return posted
