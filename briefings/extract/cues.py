"""Cues as data: the words that introduce a quote or a claim, written as spaCy `Matcher`
patterns and matched once per paragraph.

- `speech`: a speech verb ("said", "told", "tweeted", "wrote", "warned", "added", "was quoted as
  saying"); who says it comes from the parse (`speakers.Resolver.subject`).
- `colon`: a name and a colon before a quote ("Okello: “We held the bridge …”").
- `according`: "according to X" before or after a claim.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.matcher import Matcher
from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

from briefings.extract.rules import SPEECH_VERBS

CUE_PATTERNS: dict[str, list[list[dict]]] = {
    "speech": [[{"LEMMA": {"IN": sorted(SPEECH_VERBS)}, "POS": "VERB"}]],
    "colon": [
        [{"ENT_TYPE": {"IN": ["PERSON", "ORG"]}, "OP": "+"}, {"ORTH": ":"}],
        [{"POS": "PROPN", "OP": "+"}, {"ORTH": ":"}],
    ],
    "according": [[{"LOWER": "according"}, {"LOWER": "to"}]],
}

_MATCHERS: dict[int, Matcher] = {}


def cue_matcher(vocab: Vocab) -> Matcher:
    """One matcher per vocabulary, built from `CUE_PATTERNS`."""
    matcher = _MATCHERS.get(id(vocab))
    if matcher is None:
        matcher = Matcher(vocab)
        for name, patterns in CUE_PATTERNS.items():
            matcher.add(name, patterns)
        _MATCHERS[id(vocab)] = matcher
    return matcher


@dataclass(slots=True)
class Cues:
    """The cues of one paragraph."""

    speech: set[int] = field(default_factory=set)  # token indices of speech verbs
    colon: dict[int, Span] = field(default_factory=dict)  # colon index -> the name before it
    according: set[int] = field(default_factory=set)  # token indices of "according"


def find_cues(doc: Doc) -> Cues:
    cues = Cues()
    strings = doc.vocab.strings
    for match_id, start, end in cue_matcher(doc.vocab)(doc):
        name = strings[match_id]
        if name == "speech":
            cues.speech.add(start)
        elif name == "according":
            cues.according.add(start)
        elif name == "colon":
            colon = end - 1
            # the longest name that opens its sentence ("K17 spokesman Jonas Okello:")
            if start == doc[start].sent.start or doc[start - 1].is_punct:
                known = cues.colon.get(colon)
                if known is None or start < known.start:
                    cues.colon[colon] = doc[start:colon]
    return cues
