"""The chart as a PNG (bot/render/chart.py) and its upload to Slack (bot/slack/files.py) through
the fake Web API's files.getUploadURLExternal → upload → files.completeUploadExternal."""

from __future__ import annotations

import io
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta

import pytest
from PIL import Image
from slack_sdk import WebClient

from bot.render.chart import chart_filename, render_chart
from bot.slack.files import UploadFailed, post_chart, post_csv, upload
from briefings.chart_data import ChartData, ClaimSeries, build_chart
from briefings.models import Figure
from tests.bot.support import BOT_TOKEN, ROOT
from tests.support.fake_slack import FakeSlack

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _figure(value, claimant, kind="killed", **extra) -> Figure:
    series = f"{kind}||mariupol|{claimant.casefold()}" + (
        "|incident" if extra.get("scope") == "incident" else "")
    return Figure(value=value, low=extra.pop("low", None), high=extra.pop("high", None),
                  approx=extra.pop("approx", "exact"), what="people killed", kind=kind,
                  where="Mariupol", claimant=claimant, sentence="", series=series, **extra)


def sample_chart() -> ChartData:
    day = datetime(2024, 5, 6, 9, tzinfo=UTC)
    return build_chart("Mariupol", [
        ClaimSeries("Mariupol city council", "Ukraine", tuple(
            (_figure(v, "Mariupol city council"), day + timedelta(days=d))
            for d, v in ((0, 1210), (3, 1640), (6, 2050)))),
        ClaimSeries("Denis Pushilin", "Russia", (
            (_figure(900, "Denis Pushilin"), day),
            (_figure(1000, "Denis Pushilin", low=1000, high=1300, approx="between"),
             day + timedelta(days=3)))),
        ClaimSeries("Local officials", None, (
            (_figure(40, "Local officials", scope="incident"), day + timedelta(days=3)),)),
    ], "Europe/Kyiv")


@pytest.fixture(scope="module")
def rendered():
    return render_chart(sample_chart())


def test_the_png_is_a_real_image_of_a_sensible_size(rendered):
    assert rendered.png.startswith(PNG_SIGNATURE)
    assert 10_000 < len(rendered.png) < 400_000
    image = Image.open(io.BytesIO(rendered.png))
    image.load()
    assert image.format == "PNG" and 1000 <= image.width <= 1400 and 300 <= image.height <= 1200
    colours = image.convert("RGB").getcolors(maxcolors=1_000_000)
    assert len(colours) > 20  # lines, labels and bands drawn, not a blank canvas


def test_the_alt_text_states_the_figures_and_travels_in_the_png(rendered):
    assert rendered.alt.startswith("Chart of key figures on Mariupol over time (dates in "
                                   "Europe/Kyiv).")
    for said in ("Mariupol city council (Ukraine) 1,210 on 6 May, 1,640 on 9 May, 2,050 on "
                 "12 May", "Denis Pushilin (Russia) 900 on 6 May, 1,000–1,300 on 9 May",
                 "Local officials, single incident 40 on 9 May"):
        assert said in rendered.alt
    image = Image.open(io.BytesIO(rendered.png))
    assert image.text["Description"] == rendered.alt
    assert image.text["Title"] == "Key figures: Mariupol"
    assert rendered.filename == "mariupol.png"


@pytest.mark.parametrize(("topic", "name"), [("Mariupol", "mariupol.png"),
                                             ("Gaza City", "gaza-city.png"),
                                             ("../../etc/passwd", "etc-passwd.png"),
                                             ("«»", "figures.png")])
def test_chart_filename_is_safe(topic, name):
    assert chart_filename(topic) == name


def test_matplotlib_is_imported_only_when_a_chart_is_drawn():
    code = ("import sys, bot.render.chart, bot.slack.files, briefings.chart_data; "
            "assert 'matplotlib' not in sys.modules; "
            "from tests.bot.test_chart import sample_chart; "
            "bot.render.chart.render_chart(sample_chart()); "
            "assert 'matplotlib' in sys.modules and "
            "sys.modules['matplotlib'].get_backend().lower() == 'agg', "
            "sys.modules['matplotlib'].get_backend()")
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, timeout=120)


def test_render_time_is_well_under_a_second_once_loaded():
    render_chart(sample_chart())
    started = time.perf_counter()
    render_chart(sample_chart())
    assert time.perf_counter() - started < 3.0  # about 0.3 s on the test machine


@pytest.fixture
def slack():
    with FakeSlack() as fake:
        yield fake


@pytest.fixture
def client(slack):
    return WebClient(token=BOT_TOKEN, base_url=slack.api_url)


def test_post_chart_goes_through_the_external_upload_in_order(slack, client, rendered):
    file_id = post_chart(client, sample_chart(), channel="C0DESK", comment="Key figures",
                         thread_ts="1700000001.000100")
    methods = [c.method for c in slack.calls]
    assert methods == ["files.getUploadURLExternal", "upload", "files.completeUploadExternal"]
    asked = slack.calls_to("files.getUploadURLExternal")[0].params
    assert asked["filename"] == "mariupol.png" and asked["alt_txt"] == rendered.alt
    (shared,) = slack.shared_files("C0DESK")
    assert shared["id"] == file_id
    assert shared["data"] == rendered.png and int(asked["length"]) == len(rendered.png)
    assert shared["title"] == "Key figures: Mariupol"
    assert shared["shared"] == {"channel": "C0DESK", "thread_ts": "1700000001.000100",
                                "initial_comment": "Key figures"}


def test_an_empty_chart_posts_nothing(slack, client):
    assert post_chart(client, ChartData("Nowhere", "UTC"), channel="C0DESK") is None
    assert slack.calls == []


def test_post_csv_adds_a_byte_order_mark_for_spreadsheets(slack, client):
    post_csv(client, "value,claimant\r\n1210,Mariupol city council\r\n", channel="C0DESK",
             filename="mariupol-claims.csv", title="Figures and quotes: Mariupol")
    (shared,) = slack.shared_files("C0DESK")
    assert shared["data"].startswith("\ufeffvalue,claimant".encode())
    assert shared["filename"] == "mariupol-claims.csv"


@pytest.mark.parametrize(("method", "failure", "words"), [
    ("files.completeUploadExternal", {"error": "not_in_channel"},
     "I am not in this channel — invite me with /invite @Sitrep (not_in_channel)"),
    ("files.getUploadURLExternal", {"error": "missing_scope"},
     "the app lacks the files:write scope — reinstall it from config/slack-manifest.yml "
     "(missing_scope)"),
    ("upload", {"status": 500}, None),
])
def test_a_refused_upload_says_why(slack, client, method, failure, words):
    slack.fail_next(method, **failure)
    with pytest.raises(UploadFailed) as caught:
        upload(client, channel="C0DESK", data=b"\x89PNG", filename="x.png", title="x")
    if words:
        assert str(caught.value) == words
    assert slack.shared_files() == []


def test_alt_text_over_slacks_limit_is_refused_by_the_fake(slack, client):
    with pytest.raises(UploadFailed, match="alt_txt_too_large"):
        upload(client, channel="C0DESK", data=b"x", filename="x.png", title="x",
               alt="x" * 1001)
