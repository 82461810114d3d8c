"""`sitrep extract` from the user's side: an HTML page in, the README's JSON shape out."""

from __future__ import annotations

import json

from click.testing import CliRunner

from bot.cli import main
from tests.conftest import CORPUS

FIGURE_KEYS = {"value", "low", "high", "approx", "kind", "what", "whose", "where", "scope",
               "earlier", "claimant", "sentence"}
QUOTE_KEYS = {"text", "speaker", "cue", "sentence"}


def test_extract_json_has_the_spec_shape(tmp_path):
    page = CORPUS / "articles" / "01-mariupol-siege-toll.html"
    result = CliRunner().invoke(main, ["extract", str(page), "--json"],
                                env={"SITREP_DB": str(tmp_path / "x.db")})
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data) == {"figures", "quotes", "notes"}
    assert all(FIGURE_KEYS <= set(f) for f in data["figures"])
    assert all(QUOTE_KEYS <= set(q) for q in data["quotes"])
    toll = next(f for f in data["figures"] if f["value"] == 1582)
    assert toll["approx"] == "at least"
    assert toll["claimant"] in ("Mariupol", "Mariupol city council", "the city council")
    refugees = next(f for f in data["figures"] if f["value"] == 2_500_000)
    assert isinstance(refugees["value"], int)
    assert any(q["speaker"] and "Zelensky" in q["speaker"] for q in data["quotes"])
    assert not any("Operation Ganga" == q["text"] for q in data["quotes"])
    # Nothing from the page chrome.
    assert not any(f["value"] == 143 or f["value"] == 8541 for f in data["figures"])


def test_extract_plain_text_and_text_view(tmp_path):
    article = tmp_path / "article.txt"
    article.write_text(
        'Officials in Kharkiv said at least 12 people had been killed.\n'
        '"We will not leave the city," the mayor, Ihor Terekhov, told reporters.\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["extract", str(article)],
                                env={"SITREP_DB": str(tmp_path / "x.db")})
    assert result.exit_code == 0, result.output
    assert "at least 12" in result.output
    assert "Ihor Terekhov" in result.output


def test_extract_missing_file_is_a_clear_error(tmp_path):
    result = CliRunner().invoke(main, ["extract", str(tmp_path / "nope.html")])
    assert result.exit_code == 2
    assert "does not exist" in result.output


def test_extract_reads_past_page_chrome_and_drops_what_the_text_cuts_off(tmp_path):
    article = tmp_path / "copied.txt"
    article.write_text(
        "Home > World > Europe\n"
        "Strikes kill 4 in Kharkiv\n"
        "Mar 3, 2026 | 08:10 am JST\n"
        "Firefighters work at the site of a strike in Kharkiv. Image: AFP/Staff\n"
        "Share 88 | 21 Comments\n"
        "KHARKIV, Ukraine (AFP) - Russian strikes killed four people in Kharkiv on Monday, "
        "regional governor Oleh Synegubov said.\n"
        "\"We are clearing the rubble,\" Synegubov said. \"The city will not be broken.\"\n"
        "Rescuers said 16 people had been wounded, and that another 30 were\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["extract", str(article), "--json"],
                                env={"SITREP_DB": str(tmp_path / "x.db")})
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    values = sorted(f["value"] for f in data["figures"])
    assert values == [4, 16]  # 88 shares, 21 comments and the cut-off "30 were" are not figures
    four = next(f for f in data["figures"] if f["value"] == 4)
    assert four["claimant"] == "Oleh Synegubov"
    assert four["where"] == "Kharkiv"
    assert [q["speaker"] for q in data["quotes"]] == ["Oleh Synegubov"] * 2
    assert data["notes"] == ["the text ends mid-sentence; its last sentence was not read"]


def _extract(tmp_path, content: bytes, *args: str):
    article = tmp_path / "input"
    article.write_bytes(content)
    return CliRunner().invoke(main, ["extract", str(article), *args],
                              env={"SITREP_DB": str(tmp_path / "x.db")})


def test_extract_refuses_empty_and_binary_input_in_one_line(tmp_path):
    empty = _extract(tmp_path, b"  \n\n ")
    assert empty.exit_code == 1
    assert "is empty" in empty.output and "Traceback" not in empty.output
    binary = _extract(tmp_path, bytes(range(256)) * 40)
    assert binary.exit_code == 1
    assert "not text" in binary.output and "Traceback" not in binary.output


def test_extract_says_when_the_text_is_not_english_or_was_cut(tmp_path):
    ukrainian = "Російські війська обстріляли місто, загинули дванадцять людей, повідомила влада.\n"
    result = _extract(tmp_path, ukrainian.encode() * 3, "--json")
    assert result.exit_code == 0
    assert "does not look like English" in result.output
    long = ("Shelling killed 12 people in Kharkiv, the governor said. " * 8 + "\n") * 2_000
    result = _extract(tmp_path, long.encode(), "--json")
    assert result.exit_code == 0
    assert "only its first 200,000 characters" in result.output
