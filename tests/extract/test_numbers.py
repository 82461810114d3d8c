"""Amounts as written: numbers in words, scales, qualifiers, ranges, money, vague amounts."""

from __future__ import annotations

import pytest

from briefings.extract.numbers import parse_amount, qualifier


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("three", 3),
        ("eight", 8),
        ("twenty-five", 25),
        ("a dozen", 12),
        ("two dozen", 24),
        ("three million", 3_000_000),
        ("four million", 4_000_000),
        ("five hundred thousand", 500_000),
        ("1,582", 1582),
        ("2.5 million", 2_500_000),
        ("1.85 million", 1_850_000),
        ("7.7 million", 7_700_000),
        ("20 million", 20_000_000),
        ("4m", 4_000_000),
    ],
)
def test_numbers_in_words_and_digits(text: str, value: float) -> None:
    amount = parse_amount(text)
    assert amount is not None and amount.value == value


@pytest.mark.parametrize(
    ("text", "approx", "value"),
    [
        ("at least 1,582", "at least", 1582),
        ("more than 18,000", "more than", 18000),
        ("nearly 300", "nearly", 300),
        ("about 25", "about", 25),
        ("up to 180", "up to", 180),
        ("over 1.5 million", "over", 1_500_000),
        ("some 80", "some", 80),
        ("almost 40", "almost", 40),
        ("approaching 20,000", "approaching", 20000),
        ("around 16,000", "around", 16000),
        ("roughly 290,000", "about", 290000),
        ("as many as 50", "up to", 50),
        ("2,187", "exact", 2187),
    ],
)
def test_qualifiers(text: str, approx: str, value: float) -> None:
    amount = parse_amount(text)
    assert amount is not None
    assert (amount.approx, amount.value) == (approx, value)


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("between 7,000 and 15,000", 7000, 15000),
        ("30,000 to 40,000", 30000, 40000),
        ("200-300", 200, 300),
        ("between 200 and 300", 200, 300),
        ("2-3 million", 2_000_000, 3_000_000),
        ("between 120,000 and 130,000", 120000, 130000),
    ],
)
def test_ranges_keep_both_ends_and_value_is_low(text: str, low: float, high: float) -> None:
    amount = parse_amount(text)
    assert amount is not None
    assert (amount.value, amount.low, amount.high) == (low, low, high)


@pytest.mark.parametrize(
    ("text", "value", "currency"),
    [
        ("$800 million", 800_000_000, "USD"),
        ("$1 billion", 1_000_000_000, "USD"),
        ("$1.5bn", 1_500_000_000, "USD"),
        ("€500 million", 500_000_000, "EUR"),
        ("£25m", 25_000_000, "GBP"),
    ],
)
def test_money(text: str, value: float, currency: str) -> None:
    amount = parse_amount(text)
    assert amount is not None
    assert (amount.value, amount.currency) == (value, currency)


@pytest.mark.parametrize(
    "text", ["dozens", "hundreds", "hundreds of thousands", "tens of thousands", "thousands"]
)
def test_vague_amounts_keep_words_and_no_value(text: str) -> None:
    amount = parse_amount(text)
    assert amount is not None
    assert amount.value is None and amount.words == text


@pytest.mark.parametrize("text", ["the", "", "between", "from 1,582"])
def test_not_amounts(text: str) -> None:
    assert parse_amount(text) is None


def test_qualifier_split() -> None:
    assert qualifier("At least  35") == ("at least", "35")
    assert qualifier("35") == ("exact", "35")
