"""The Extractor's public face: loading by name, batching, order, plain model objects out."""

from __future__ import annotations

import dataclasses

import pytest

from briefings.errors import ExtractionError
from briefings.extract import Extractor, load_model
from briefings.extract.pipeline import paragraphs
from briefings.models import Extraction, Figure, Quote
from briefings.topics import Topics


def test_official_model_name_loads() -> None:
    nlp = load_model("en_core_web_sm")
    assert "parser" in nlp.pipe_names


def test_missing_model_is_a_clear_error() -> None:
    with pytest.raises(ExtractionError, match="not installed"):
        Extractor("xx_no_such_model")


def test_extract_many_keeps_order_and_empty_texts(extractor: Extractor) -> None:
    texts = [
        "At least 35 people were killed, the governor said.",
        "",
        "“We need help right now for everyone,” Mayor Andriy Sadovyi said.",
    ]
    results = extractor.extract_many(texts)
    assert len(results) == len(texts)
    assert [f.value for f in results[0].figures] == [35]
    assert results[1] == Extraction()
    assert [q.speaker for q in results[2].quotes] == ["Andriy Sadovyi"]


def test_only_plain_values_leave_the_package(extractor: Extractor) -> None:
    text = "“Today, Russian forces shot and killed 10 people in Chernihiv,” the US embassy said."
    result = extractor.extract(text)
    items: list[Figure | Quote] = [*result.figures, *result.quotes]
    assert items
    for item in items:
        assert item.story_id is None
        for value in dataclasses.asdict(item).values():
            assert value is None or isinstance(value, str | int | float)


@pytest.mark.parametrize(
    ("first_line", "kept"),
    [
        ("KHARKIV, Ukraine — Shelling killed seven.", "Shelling killed seven."),
        ("MOSCOW (AFP) - Russia said on Friday.", "Russia said on Friday."),
        ("Ukraine — a country at war.", "Ukraine — a country at war."),
    ],
)
def test_dateline_is_dropped(first_line: str, kept: str) -> None:
    assert paragraphs(f"{first_line}\n\nSecond paragraph.") == [kept, "Second paragraph."]


def test_dateline_is_not_the_claimant(extractor: Extractor) -> None:
    text = (
        "KHARKIV, Ukraine — Russian shelling killed at least seven civilians and wounded 34 "
        "others overnight, regional governor Oleh Synehubov said on Thursday."
    )
    claimed = {(f.value, f.claimant) for f in extractor.extract(text).figures}
    assert claimed == {(7, "Oleh Synehubov"), (34, "Oleh Synehubov")}


class _BrokenTopics(Topics):
    def canonical(self, name: str) -> str:
        raise IndexError("a parse the rules did not foresee")


def test_a_failing_article_is_an_error_not_an_empty_result(extractor: Extractor) -> None:
    broken = Extractor(topics=_BrokenTopics())
    broken.nlp = extractor.nlp
    texts = ["Strikes killed 12 people in Kharkiv, the governor said.", "Nothing to see here."]
    failed, fine = broken.extract_many(texts)
    assert failed.error and "IndexError" in failed.error
    assert not failed.figures
    assert fine.error is None


@pytest.mark.parametrize("text", [
    "The ministry delivered aid packages among 300 families, officials said.",
    "Donors sent food parcels among the 4,000 displaced people in the camp, the agency said.",
])
def test_aid_distributed_among_people_is_read_not_a_failure(extractor: Extractor, text: str):
    """'among' does not list a package's items the way 'including' does."""
    result = extractor.extract(text)
    assert result.error is None
