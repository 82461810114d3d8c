"""Figures from sentences: kinds, distances, money, ranges, claimants, and the numbers that must
never become figures."""

from __future__ import annotations

import pytest

from briefings.extract import Extractor


def figures(extractor: Extractor, text: str):
    return extractor.extract(text).figures


@pytest.mark.parametrize(
    ("text", "value", "kind", "claimant"),
    [
        (
            "At least 35 people were killed in the strike, regional governor Maksym Kozytskyy "
            "said.",
            35,
            "killed",
            "Maksym Kozytskyy",
        ),
        ("Police said 12 people had been wounded by shrapnel.", 12, "wounded", "Police"),
        (
            "More than 2.5 million people have fled abroad, the International Organization for "
            "Migration said.",
            2_500_000,
            "fled",
            "International Organization for Migration",
        ),
        (
            "About 1,000 civilians are sheltering in the plant, according to Ukrainian officials.",
            1000,
            "sheltering",
            "Ukrainian officials",
        ),
        (
            "Moscow says it has evacuated some 420,000 people to Russia.",
            420_000,
            "evacuated",
            "Moscow",
        ),
        (
            "Rudskoi claimed that 14,000 Ukrainian troops had been killed.",
            14_000,
            "troops_killed",
            "Rudskoi",
        ),
        ("The city, which lies some 80 kilometres from the border, is calm.", 80, "distance", None),
        (
            "President Joe Biden announced an additional $800 million in security assistance.",
            800_000_000,
            "aid_money",
            "Joe Biden",
        ),
        ("He said it would deliver 9,000 anti-armour systems to Ukraine.", 9000, "aid_items", None),
        (
            "A senior official said three people were killed in the city.",
            3,
            "killed",
            "senior official",
        ),
    ],
)
def test_figure(
    extractor: Extractor, text: str, value: float, kind: str, claimant: str | None
) -> None:
    found = [f for f in figures(extractor, text) if f.value == value]
    assert len(found) == 1, figures(extractor, text)
    assert found[0].kind == kind
    assert found[0].claimant == claimant


def test_range_and_qualifier(extractor: Extractor) -> None:
    text = "NATO believes between 7,000 and 15,000 Russian soldiers have been killed."
    (figure,) = figures(extractor, text)
    assert (figure.value, figure.low, figure.high) == (7000, 7000, 15000)
    assert figure.kind == "troops_killed" and figure.claimant == "NATO"


def test_vague_amount_has_no_value(extractor: Extractor) -> None:
    text = "Officials said dozens of wounded had been brought to the hospital."
    (figure,) = figures(extractor, text)
    assert figure.value is None and figure.words == "dozens"


def test_figure_inside_quote_is_claimed_by_speaker(extractor: Extractor) -> None:
    text = "“Today, Russian forces shot and killed 10 people in Chernihiv,” Olena Ivanova said."
    (figure,) = figures(extractor, text)
    assert figure.value == 10 and figure.claimant == "Olena Ivanova"


def test_same_number_two_meanings_stay_two_figures(extractor: Extractor) -> None:
    text = (
        "Rudskoi claimed that some 14,000 Ukrainian troops had been killed and around 16,000 "
        "wounded.\nKyiv says the Russian toll is higher, with Ukraine's general staff putting "
        "it at about 16,000 dead."
    )
    found = [f for f in figures(extractor, text) if f.value == 16000]
    assert {(f.kind, f.claimant) for f in found} == {
        ("troops_wounded", "Rudskoi"),
        ("troops_killed", "Ukraine's general staff"),
    }


@pytest.mark.parametrize(
    ("text", "value", "kind", "what"),
    [
        ("Kyiv says the true Russian toll is higher, with Ukraine's general staff putting it "
         "at about 16,000 dead.", 16000, "troops_killed", "Russian dead"),
        ("The tabloid briefly published a figure of nearly 10,000 Russian dead, citing the "
         "defence ministry.", 10000, "troops_killed", "Russian dead"),
        ("Officials said 12 civilians had been killed in the shelling.", 12, "killed",
         "civilians killed"),
    ],
)
def test_one_sides_dead_are_that_sides_losses(
    extractor: Extractor, text: str, value: int, kind: str, what: str
) -> None:
    found = [f for f in figures(extractor, text) if f.value == value]
    assert [(f.kind, f.what) for f in found] == [(kind, what)]


@pytest.mark.parametrize(
    "text",
    [
        "Russia invaded on February 24, 2022, officials said.",
        "A 38-year-old woman said she had not heard from her parents for nine days.",
        "A curfew runs from 8:00 pm until 7:00 am, the mayor said.",
        "Flames engulfed a 15-storey apartment block, officials said.",
        "Negotiators held a fourth round of talks on Tuesday.",
        "The central bank raised its key rate to 20 percent.",
        "Residents can call the hotline on 0800750525.",
        "The court ruled by 13 votes to two.",
        "He met paratroopers of the 82nd Airborne Division.",
        "Around 600 residential buildings and some 50 schools had been destroyed, he said.",
        "Kyiv says it has retaken more than 30 towns and villages.",
        "Neutrality was discussed with guarantees similar to NATO Article 5.",
        "A neighbour who gave her name as Halyna, 61, said the blast shattered the windows.",
        "Only 120,000 of its roughly 290,000 pre-war residents remained, the mayor said.",
    ],
)
def test_never_figures(extractor: Extractor, text: str) -> None:
    values = {f.value for f in figures(extractor, text)}
    assert values <= {120_000}, values
