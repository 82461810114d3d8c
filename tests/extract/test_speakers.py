"""Pronoun and role resolution: "he said", "it said", "the ministry said", "the regional
governor said", appositions and first names given by unnamed witnesses."""

from __future__ import annotations

import pytest

from briefings.extract import Extractor


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        # he / she after a named person
        (
            "Mayor Andriy Sadovyi said the city was full. “We need mobile facilities for refugees "
            "right now,” he said.",
            "Andriy Sadovyi",
        ),
        (
            "Prosecutor Iryna Venediktova visited the town. “These are war crimes and we will "
            "prove it,” she said.",
            "Iryna Venediktova",
        ),
        # it / the ministry for an institution
        (
            "Britain's defence ministry said Russia would struggle. “Russia is likely looking to "
            "mobilise its reservists,” it said.",
            "Britain's defence ministry",
        ),
        (
            "Russia's defence ministry denied the reports. “Not a single resident has suffered "
            "from any violence,” the ministry said.",
            "Russia's defence ministry",
        ),
        # a role resolved to the name the article gives elsewhere
        (
            "“Rescue crews are still searching the rubble,” the regional governor said.\nThe toll "
            "was given by Lviv regional governor Maksym Kozytskyy.",
            "Maksym Kozytskyy",
        ),
        # appositions and first names
        (
            "Russia's deputy defence minister, Alexander Fomin, spoke in Istanbul. “We will cut "
            "back our operations in the north,” he told reporters.",
            "Alexander Fomin",
        ),
        (
            "A 45-year-old resident who gave only her first name, Tetiana, spoke to us. “They shot "
            "at anyone who went out for water,” she told AFP.",
            "Tetiana",
        ),
        # the previous paragraph's speaker
        (
            "“These are war crimes,” Volodymyr Zelensky told reporters in Bucha.\n“It is very "
            "difficult to negotiate when you see this,” he added.",
            "Volodymyr Zelensky",
        ),
    ],
)
def test_resolved_speaker(extractor: Extractor, text: str, speaker: str) -> None:
    quotes = extractor.extract(text).quotes
    assert quotes and quotes[-1].speaker == speaker


@pytest.mark.parametrize(
    "text",
    [
        # nobody named the governor: a gap, never a guess
        "“We are working through the night to clear the roads,” the regional governor said.",
        # "she" with only a man mentioned
        "A man who gave his name as Oleksandr left the town. “We have nothing left here at "
        "all,” she said.",
    ],
)
def test_unresolvable_speaker_is_none(extractor: Extractor, text: str) -> None:
    quotes = extractor.extract(text).quotes
    assert quotes and quotes[-1].speaker is None


def test_short_name_becomes_fullest_name(extractor: Extractor) -> None:
    text = (
        "Regional governor Vitaliy Kim spoke on Wednesday.\n"
        "“They destroyed half of the building, hit my office,” Kim said."
    )
    assert extractor.extract(text).quotes[-1].speaker == "Vitaliy Kim"
