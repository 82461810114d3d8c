"""Resolution of who speaks, as tables of short sentences written for these tests: salience
over proximity, the name over the description, institutions kept whole, abstention on ties."""

from __future__ import annotations

import pytest

from briefings.extract import Extractor


def last_speaker(extractor: Extractor, text: str) -> str | None:
    quotes = extractor.extract(text).quotes
    assert quotes, text
    return quotes[-1].speaker


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        # the subject of the previous main clause, not a name inside its reported speech
        (
            "An analyst at the Centre for Eastern Studies, Marta Nowak, said the minister's "
            "plan could backfire. “Doing so would hand the initiative to the other side,” she "
            "wrote on X.",
            "Marta Nowak",
        ),
        (
            "Pavel Orlov, a military blogger, said Sergei Ivanov had ordered the retreat. "
            "“Nobody at the front believes the official story,” he wrote.",
            "Pavel Orlov",
        ),
        # the later of two reports joined in one sentence
        (
            "Amir Haddad said the shelling began at dawn; Karim Saleh said he saw two tanks. "
            "“They fired at anything that moved,” he said.",
            "Karim Saleh",
        ),
        # a description resolved to the one person the article gives that office
        (
            "Ukrainian President Volodymyr Zelensky met US President Donald Trump in Rome. "
            "“We need air defence before winter,” the Ukrainian leader said.",
            "Volodymyr Zelensky",
        ),
        (
            "President Vladimir Putin met Ukrainian President Volodymyr Zelensky's envoy. "
            "“There will be no ceasefire this month,” the Russian president said.",
            "Vladimir Putin",
        ),
        # the name in the apposition, wherever the parse hangs it
        (
            "A community leader in Bunia, Jean-Pierre Lokana, said the camps were full. “We "
            "cannot feed another family here,” he told AFP.",
            "Jean-Pierre Lokana",
        ),
        (
            "“We buried nine people before noon,” said a gravedigger who asked to be identified "
            "only by his first name, Musa.",
            "Musa",
        ),
        # an institution's whole name
        (
            "“Access to the north remains blocked,” said the UN Office for the Coordination of "
            "Humanitarian Affairs.",
            "UN Office for the Coordination of Humanitarian Affairs",
        ),
        # "was quoted as saying"
        (
            "A nurse, Lina Farah, was quoted by local radio as saying: “The wards are full and "
            "the generators are failing.”",
            "Lina Farah",
        ),
        # colon cue
        (
            "Spokesman Ali Nasser: “The road to the hospital is cut and we cannot reach it.”",
            "Ali Nasser",
        ),
    ],
)
def test_resolved(extractor: Extractor, text: str, speaker: str) -> None:
    assert last_speaker(extractor, text) == speaker


@pytest.mark.parametrize(
    "text",
    [
        # one of two, and the article does not say which
        "Two brothers, Omar and Yusuf Darwish, stood by the ruins. “We lost everything in one "
        "night,” one of them said.",
        # a description nobody in the article is given
        "“The convoy will leave at dawn if the road is open,” the governor said.",
        # an event never speaks
        "“Everything was shaking and the windows blew in,” the air strike on the shelter said.",
        # "the US president" when two presidents of no stated country are named
        "President Emmanuel Macron spoke with President Cyril Ramaphosa. “We will not accept "
        "this,” the US president said.",
    ],
)
def test_abstains(extractor: Extractor, text: str) -> None:
    assert last_speaker(extractor, text) is None
