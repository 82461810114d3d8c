"""Quotes: cue verbs, speaker before or after, split and continued quotes, titles and scare
quotes. Parsed with the real model (one per session)."""

from __future__ import annotations

import pytest

from briefings.extract import Extractor


def only_quote(extractor: Extractor, text: str):
    quotes = extractor.extract(text).quotes
    assert len(quotes) == 1, quotes
    return quotes[0]


@pytest.mark.parametrize(
    ("text", "speaker", "cue"),
    [
        (
            '"We will rebuild every house in this city," Mayor Ivan Petrenko said on Monday.',
            "Ivan Petrenko",
            "said",
        ),
        (
            "“The shelling did not stop for a single hour,” Olena Bondar told AFP.",
            "Olena Bondar",
            "told AFP",
        ),
        (
            "“Our troops are holding the line near the river,” Oleksiy Danilov tweeted.",
            "Oleksiy Danilov",
            "tweeted",
        ),
        (
            "“The city is without power again tonight,” Mayor Ihor Kolykhaiev wrote on Telegram.",
            "Ihor Kolykhaiev",
            "wrote on Telegram",
        ),
        (
            "“We have evacuated everyone we could reach,” said Pavlo Kyrylenko, the governor.",
            "Pavlo Kyrylenko",
            "said",
        ),
        (
            "Foreign Minister Dmytro Kuleba tweeted: “The only aim of these strikes is terror.”",
            "Dmytro Kuleba",
            "tweeted",
        ),
        (
            "Governor Oleh Synehubov said the region was calm, adding: "
            '"We are ready for anything."',
            "Oleh Synehubov",
            "adding",
        ),
        (
            'The mayor, Vitali Klitschko, warned that "the capital will defend itself to the end".',
            "Vitali Klitschko",
            "warned",
        ),
    ],
)
def test_cue_verbs_and_speakers(extractor: Extractor, text: str, speaker: str, cue: str) -> None:
    quote = only_quote(extractor, text)
    assert quote.speaker == speaker
    assert quote.cue is not None and quote.cue.startswith(cue)


def test_split_quote_and_continuation(extractor: Extractor) -> None:
    text = (
        "“This could be a long and difficult battle,” Joe Biden said, “but the American people "
        "will be steadfast.” “We will not waver in our support for them.”"
    )
    quotes = extractor.extract(text).quotes
    assert [q.speaker for q in quotes] == ["Joe Biden"] * 3


def test_quote_continues_into_next_paragraph(extractor: Extractor) -> None:
    text = (
        "“Among those killed was a baby girl,” Volodymyr Zelensky told reporters. “It seems that "
        "killing children is their new idea.\n“They are just bastards, there are no other words.”"
    )
    quotes = extractor.extract(text).quotes
    assert [q.speaker for q in quotes] == ["Volodymyr Zelensky"] * 3
    assert quotes[-1].text.startswith("They are just bastards")


def test_quote_after_attributing_sentence(extractor: Extractor) -> None:
    text = (
        "Prosecutor Iryna Venediktova said the bodies had been recovered, and witnesses were "
        "struggling to talk, she said. “People today are so stressed that they cannot speak.”"
    )
    assert only_quote(extractor, text).speaker == "Iryna Venediktova"


@pytest.mark.parametrize(
    "text",
    [
        "He became famous in the television series “Servant of the People” years ago.",
        "Putin published an essay under the title “On the Unity of Our Two Great Peoples”.",
        "The word “children” was painted outside the theatre in huge letters.",
        "Officials described the situation as a “humanitarian catastrophe” on Friday.",
    ],
)
def test_titles_and_scare_quotes_are_not_quotes(extractor: Extractor, text: str) -> None:
    assert extractor.extract(text).quotes == ()


def test_unsure_speaker_is_none(extractor: Extractor) -> None:
    text = "“We could not sleep at all last night because of the sirens.”"
    assert only_quote(extractor, text).speaker is None


def test_words_someone_called_something_are_their_quote(extractor: Extractor) -> None:
    text = (
        "Dozens of families were shot in their homes, in what monitor chief Omar Haddad called "
        "“one of the worst massacres of the war”."
    )
    assert only_quote(extractor, text).speaker == "Omar Haddad"
