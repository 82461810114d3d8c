"""What series a figure belongs to, as the sentence says it: whose people are counted, whether the
count is a running toll or one incident, and whether the number is a past count restated.

- whose: the side named on the counted noun ("Kestrian soldiers", "Sable Front fighters", "K17
  rebels"), or, for "its soldiers", the side of the one who reports them. None when the article
  does not say.
- scope: "running" when the count runs from some start ("since the fighting began", "so far", "in
  total"); "incident" when it belongs to one attack or one day ("in Sunday's strike", "overnight",
  "over the last 24 hours"); None otherwise.
- earlier: a count given as the past value of the one before it ("up from 1,370", "had earlier put
  the toll at 26", "the previous toll of 173").
"""

from __future__ import annotations

from spacy.tokens import Token

from briefings.extract.rules import (
    ATTACK_NOUNS,
    CLAIM_VERBS,
    EARLIER_WORDS,
    INCIDENT_WORDS,
    RUNNING_PHRASES,
    RUNNING_WORDS,
)
from briefings.topics import fold

_DAY_NAMES = frozenset(
    {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
)


def whose(noun: Token | None, side: str | None, owner: str | None) -> str | None:
    """The side the counted people belong to."""
    if side:
        return side
    if noun is None:
        return None
    if noun.ent_type_ == "NORP" and noun.pos_ in ("PROPN", "NOUN"):
        return noun.text  # "48,210 Valdorians"
    for child in noun.lefts:
        if child.dep_ == "compound" and child.pos_ == "PROPN" and not child.ent_type_ and (
            child.text.isupper() and len(child.text) > 1
        ):
            return child.text  # "VLF fighters", "K17 rebels": an armed group's acronym
        if child.dep_ in ("amod", "compound", "nmod") and child.ent_type_ in ("NORP", "ORG"):
            if child.ent_type_ == "ORG" or child.pos_ in ("ADJ", "PROPN"):
                words = [t for t in child.subtree if t.ent_type_ == child.ent_type_]
                return " ".join(t.text for t in words) or child.text
    if owner and any(c.dep_ == "poss" and c.lower_ in ("its", "their") for c in noun.children):
        return owner  # "Kestria said 1,120 of its soldiers …"
    sent = noun.sent
    opening = list(sent)[:5]
    if [t.lower_ for t in opening[:2]] == ["on", "the"] and len(opening) > 3:
        side = opening[2]
        if side.ent_type_ == "NORP" and opening[3].lower_ == "side":
            return side.text  # "On the Kestrian side, more than 40 soldiers …"
    return None


def demonym(place: str, doc_words: set[str]) -> str:
    """ "Kestria" → "Kestrian" when the article uses that adjective, else the name itself."""
    key = fold(place)
    stem = key[:5] if len(key) >= 5 else key
    for word in sorted(doc_words):
        if fold(word).startswith(stem) and fold(word) != key:
            return word
    return place


def _short_since(since: Token) -> bool:
    """ "since dawn", "since Sunday": a count over part of one day."""
    objects = [c for c in since.subtree if c.dep_ == "pobj" or c.dep_ == "npadvmod"]
    return any(
        o.lower_ in ("dawn", "morning", "midnight", "daybreak", "noon") or o.lower_ in _DAY_NAMES
        for o in objects
    )


def _clause(head: Token) -> list[Token]:
    """The tokens of the clause that reports the counted event (up to the reporting verb)."""
    node = head
    while node.head != node:
        parent = node.head
        if parent.pos_ == "VERB" and parent.lemma_.lower() in CLAIM_VERBS and parent != head:
            break
        node = parent
    return list(node.subtree)


def scope(head: Token) -> str | None:
    tokens = _clause(head)
    lowers = [t.lower_ for t in tokens]
    text = " " + " ".join(lowers) + " "
    since = [t for t in tokens if t.lower_ == "since"]
    if any(_short_since(t) for t in since):
        return "incident"  # "since dawn", "since Sunday morning"
    if since or any(t.lower_ in RUNNING_WORDS for t in tokens) or any(
        f" {phrase} " in text for phrase in RUNNING_PHRASES
    ):
        return "running"
    for token in tokens:
        lemma = token.lemma_.lower()
        if lemma in ATTACK_NOUNS and token.dep_ in ("pobj", "nsubj") and lemma not in (
            "war", "campaign", "offensive", "operation", "troop", "force", "soldier", "army",
            "military",
        ):
            return "incident"
        if lemma in INCIDENT_WORDS or token.lower_ in _DAY_NAMES and token.ent_type_ == "DATE":
            return "incident"
    if " 24 hours " in text or " past day " in text:
        return "incident"
    return None


def earlier(head: Token) -> bool:
    """Whether the number is a past count restated next to the current one."""
    if head.dep_ == "pobj" and head.head.lower_ == "from":
        prep = head.head
        if prep.head.lower_ in ("up", "down") or any(
            c.lower_ in ("up", "down") for c in prep.children
        ):
            return True
    node = head
    for _ in range(4):
        if node.head == node:
            break
        node = node.head
        if any(c.lower_ in EARLIER_WORDS and c.dep_ in ("advmod", "amod") for c in node.children):
            return True
        if node.pos_ == "VERB":
            break
    return False
