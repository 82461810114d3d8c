"""Cue patterns (`briefings/extract/cues.py`), each on a hand-built Doc: no model needed."""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc

from briefings.extract.cues import CUE_PATTERNS, find_cues

VOCAB = spacy.blank("en").vocab  # lexical attributes (LOWER) without a trained model


def doc(words, *, pos=None, lemmas=None, ents=None, starts=None) -> Doc:
    built = Doc(VOCAB, words=words, pos=pos, lemmas=lemmas, ents=ents,
                sent_starts=starts or [True] + [False] * (len(words) - 1))
    return built


def test_every_pattern_is_data_with_a_name() -> None:
    assert set(CUE_PATTERNS) == {"speech", "colon", "according"}
    assert all(isinstance(p, list) and p for p in CUE_PATTERNS.values())


@pytest.mark.parametrize(
    ("words", "pos", "lemmas", "cue"),
    [
        (["Kuleba", "tweeted", "on", "Sunday"], ["PROPN", "VERB", "ADP", "PROPN"],
         ["Kuleba", "tweet", "on", "Sunday"], 1),
        (["the", "ministry", "said"], ["DET", "NOUN", "VERB"], ["the", "ministry", "say"], 2),
        (["he", "was", "quoted", "as", "saying"], ["PRON", "AUX", "VERB", "ADP", "VERB"],
         ["he", "be", "quote", "as", "say"], 4),
        (["she", "warned"], ["PRON", "VERB"], ["she", "warn"], 1),
    ],
)
def test_speech_verbs(words, pos, lemmas, cue) -> None:
    assert cue in find_cues(doc(words, pos=pos, lemmas=lemmas)).speech


def test_a_noun_sharing_a_speech_lemma_is_not_a_cue() -> None:
    built = doc(["a", "call", "for", "calm"], pos=["DET", "NOUN", "ADP", "NOUN"],
                lemmas=["a", "call", "for", "calm"])
    assert find_cues(built).speech == set()


def test_colon_cue_after_a_name_that_opens_the_sentence() -> None:
    words = ["Ngoma", ":", "“", "We", "held", "our", "ground", "”"]
    built = doc(words, pos=["PROPN", "PUNCT", "PUNCT", "PRON", "VERB", "PRON", "NOUN", "PUNCT"],
                ents=["B-PERSON"] + ["O"] * 7)
    cues = find_cues(built)
    assert cues.colon[1].text == "Ngoma"


def test_colon_inside_a_sentence_is_not_a_cue() -> None:
    words = ["The", "toll", "rose", "in", "Kharkiv", ":", "twelve", "dead"]
    built = doc(words, pos=["DET", "NOUN", "VERB", "ADP", "PROPN", "PUNCT", "NUM", "NOUN"],
                ents=["O", "O", "O", "O", "B-GPE", "O", "O", "O"])
    assert find_cues(built).colon == {}


def test_according_to() -> None:
    built = doc(["according", "to", "the", "ministry"], pos=["VERB", "ADP", "DET", "NOUN"],
                lemmas=["accord", "to", "the", "ministry"])
    assert find_cues(built).according == {0}
