"""`sitrep extract` from the user's side: an HTML page in, the SPEC's JSON shape out."""

from __future__ import annotations

import json

from click.testing import CliRunner

from bot.cli import main
from tests.conftest import CORPUS

FIGURE_KEYS = {"value", "low", "high", "approx", "what", "where", "claimant", "sentence"}
QUOTE_KEYS = {"text", "speaker", "cue", "sentence"}


def test_extract_json_has_the_spec_shape(tmp_path):
    page = CORPUS / "articles" / "01-mariupol-siege-toll.html"
    result = CliRunner().invoke(main, ["extract", str(page), "--json"],
                                env={"SITREP_DB": str(tmp_path / "x.db")})
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data) == {"figures", "quotes"}
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
