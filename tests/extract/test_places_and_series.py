"""`where`, `whose`, `scope` and `earlier` as tables of sentences written for these tests."""

from __future__ import annotations

import pytest

from briefings.extract import Extractor


def figure(extractor: Extractor, text: str, value: float):
    found = [f for f in extractor.extract(text).figures if f.value == value]
    assert found, (text, extractor.extract(text).figures)
    return found[0]


@pytest.mark.parametrize(
    ("text", "value", "where"),
    [
        # the place struck, never the attacker
        ("Israeli strikes on the town of Nabatieh killed seven people, the health ministry said.",
         7, "Nabatieh"),
        ("Russia shelled the city of Kherson overnight, killing four civilians, officials said.",
         4, "Kherson"),
        # never the claimant's seat
        ("Russian forces killed 10 people queueing for bread in Chernihiv, the US embassy in "
         "Kyiv said.", 10, "Chernihiv"),
        ("Nine people were killed in Sumy, the foreign ministry in Kyiv said.", 9, "Sumy"),
        # never a neighbouring country named by its border, nor a distance's reference point
        ("A strike on a base near the Polish border killed 35 people, the governor said.", 35,
         None),
        ("Shelling killed three people in a village 20 kilometres from Kharkiv, police said.", 3,
         None),
        # where people fled from, not where they went
        ("More than 60,000 people have fled Uvira for Burundi since Monday, the UN said.", 60000,
         "Uvira"),
        # the specific place before the country that holds it
        ("A drone strike on a hospital in Sudan's city of El Fasher killed 30 people, a medic "
         "said.", 30, "El Fasher"),
        # the part's place is not the whole's
        ("Strikes across Gaza killed 40 people, including 12 in a raid near Khan Yunis, the civil "
         "defence agency said.", 40, "Gaza"),
        # a country whose troops died is not where they died
        ("Moscow said 1,200 Russian soldiers had been killed.", 1200, None),
        # a local authority reports on its own ground
        ("The Kharkiv city council said 14 residents had been killed.", 14, "Kharkiv"),
    ],
)
def test_where(extractor: Extractor, text: str, value: float, where: str | None) -> None:
    assert figure(extractor, text, value).where == where


@pytest.mark.parametrize(
    ("text", "value", "whose", "scope", "earlier"),
    [
        ("Kyiv said 900 Russian soldiers were killed since the start of the month.", 900,
         "Russian", "running", False),
        ("The ministry said 41,000 Palestinians have been killed in the war so far.", 41000,
         "Palestinians", "running", False),
        ("The toll rose to 61, up from 48 a day earlier, the ministry said.", 48, None, None,
         True),
        ("Sunday's strike on the market killed 12 civilians, the governor said.", 12, None,
         "incident", False),
        ("The army said it killed 40 RSF fighters in Sunday's clashes.", 40, "RSF", "incident",
         False),
    ],
)
def test_series(extractor, text, value, whose, scope, earlier) -> None:
    found = figure(extractor, text, value)
    assert (found.whose, found.scope, found.earlier) == (whose, scope, earlier)
