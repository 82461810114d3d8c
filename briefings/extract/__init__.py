"""Extraction engine: key figures and quotes from article text, with spaCy kept inside."""

from briefings.extract.numbers import Amount, parse_amount
from briefings.extract.pipeline import Extractor, load_model

__all__ = ["Amount", "Extractor", "load_model", "parse_amount"]
