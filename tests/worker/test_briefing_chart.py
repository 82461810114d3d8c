"""The chart of a briefing's key figures: posted once, in the briefing's thread, after the
briefing; its failures never fail, delay or double the briefing (bot/worker/charts.py)."""

from __future__ import annotations

import io

from PIL import Image

from bot.worker.charts import briefing_chart
from briefings.compose import compose_briefing
from briefings.store import FAILED, POSTED
from tests.worker.support import add_story, at, killed

DAY_BEFORE = at("2024-03-09T12:00:00+00:00")
SLOT = "2024-03-10T08:00:00+00:00"
KEY = "briefing:C1:2024-03-10T06:00:00+00:00"  # 08:00 in Kyiv


def _news(store) -> None:
    store.set_digest("C1", DAY_BEFORE, enabled=True, time="08:00", tz="Europe/Kyiv")
    add_story(store, "old", "Mariupol counts its dead", fetched=at("2024-03-07T06:00:00+00:00"),
              figures=[killed(1582, "Mariupol city council")])
    add_story(store, "new", "Mariupol toll rises", fetched=at("2024-03-10T06:00:00+00:00"),
              figures=[killed(2187, "Mariupol city council"),
                       killed(900, "Denis Pushilin", what="people killed")])


def _at_slot(clock) -> None:
    clock.set("2024-03-10T06:00:00+00:00")  # 08:00 in Kyiv


def test_briefing_chart_reads_each_key_figure_with_the_history_it_continues(store, topics,
                                                                           clock):
    _news(store)
    _at_slot(clock)
    briefing = compose_briefing(store, topics, channel="C1", now=clock(), since=None)
    chart = briefing_chart(store, briefing, "Europe/Kyiv")
    (panel,) = chart.panels
    assert {line.claimant: [p.label for p in line.points] for line in panel.lines} == {
        "Mariupol city council": ["1,582", "2,187"], "Denis Pushilin": ["900"]}


def test_the_chart_follows_the_briefing_in_its_thread_once(worker, store, slack, clock):
    _news(store)
    _at_slot(clock)
    worker.tick()
    assert store.delivery(KEY).state == POSTED
    (briefing,) = slack.posts("C1")
    (file,) = slack.shared_files("C1")
    assert file["shared"]["thread_ts"] == store.delivery(KEY).ts
    assert file["shared"]["initial_comment"] == "Key figures over time"
    image = Image.open(io.BytesIO(file["data"]))
    assert image.format == "PNG"
    assert "Mariupol city council 1,582 on 7 Mar, 2,187 on 10 Mar" in file["alt_txt"]
    assert file["alt_txt"] == image.text["Description"]
    # the briefing's message posts before any of the upload's calls
    methods = [c.method for c in slack.calls if not c.method.startswith("conversations.")]
    assert methods == ["chat.postMessage", "files.getUploadURLExternal", "upload",
                       "files.completeUploadExternal"]
    for _ in range(3):
        clock.advance(minutes=1)
        worker.tick()
    assert len(slack.posts("C1")) == 1 and len(slack.shared_files()) == 1


def test_a_chart_slack_refuses_is_dropped_and_the_briefing_stands(worker, store, slack, clock):
    _news(store)
    _at_slot(clock)
    slack.fail_next("files.completeUploadExternal", error="not_in_channel")
    worker.tick()
    clock.advance(minutes=1)
    worker.tick()
    assert store.delivery(KEY).state == POSTED and len(slack.posts("C1")) == 1
    assert slack.shared_files() == []
    assert len(slack.calls_to("files.completeUploadExternal")) == 1  # tried once, not again
    assert store.channel("C1").last_error is None  # a chart is not the channel's problem


def test_a_chart_that_cannot_be_drawn_never_stops_the_worker(worker, store, slack, clock,
                                                              monkeypatch):
    import bot.render.chart

    def broken(chart):
        raise RuntimeError("no fonts")

    monkeypatch.setattr(bot.render.chart, "render_chart", broken)
    _news(store)
    _at_slot(clock)
    worker.tick()
    assert store.delivery(KEY).state == POSTED and len(slack.posts("C1")) == 1
    assert slack.calls_to("files.getUploadURLExternal") == []
    assert worker.charts.pending == {}


def test_no_chart_when_the_briefing_is_not_posted(worker, store, slack, clock):
    _news(store)
    _at_slot(clock)
    slack.fail_next("chat.postMessage", error="channel_not_found")
    worker.tick()
    assert store.delivery(KEY).state == FAILED
    assert slack.calls_to("files.getUploadURLExternal") == []
    assert worker.charts.pending == {}


def test_a_briefing_without_figures_has_no_chart(worker, store, slack, clock):
    store.set_digest("C1", DAY_BEFORE, enabled=True, time="08:00", tz="UTC")
    add_story(store, "s1", "Mariupol shelling goes on", fetched=at("2024-03-10T06:00:00+00:00"))
    clock.set(SLOT)
    worker.tick()
    assert len(slack.posts("C1")) == 1
    assert slack.calls_to("files.getUploadURLExternal") == []
