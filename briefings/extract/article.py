"""One article as parsed paragraphs, with its quoted regions mapped onto tokens."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from briefings.extract.cues import Cues, find_cues
from briefings.extract.marks import pair_marks, runs_on
from briefings.extract.rules import (
    EPITHET_NOUNS,
    PERSON_NOUNS,
    ROLE_NOUNS,
    SPEECH_VERBS,
    TITLE_WORDS,
)

Pos = tuple[int, int]  # (paragraph, token index): document order


@dataclass(slots=True)
class Region:
    """Quoted tokens [start, end) of one paragraph; `continues` when an earlier paragraph's
    quote runs on into it."""

    para: int
    start: int
    end: int
    text: str
    closed: bool
    continues: bool
    index: int = 0


_DESCRIBES_PERSON = PERSON_NOUNS | ROLE_NOUNS | EPITHET_NOUNS


def describes_person(noun: Token) -> bool:
    """A description that only fits a person: "the spokesman", "a teacher who lives ..."."""
    if noun.lemma_.lower() in _DESCRIBES_PERSON:
        return True
    return any(
        c.dep_ == "relcl" and any(g.lower_ == "who" for g in c.children) for c in noun.children
    )


def _name_word(token: Token) -> bool:
    return (
        token.pos_ == "PROPN"
        and token.text[:1].isupper()
        and token.text.isalpha()
        and token.lower_ not in TITLE_WORDS
        and token.lower_ not in ROLE_NOUNS
        and not token.ent_type_
    )


def _says_of_self(name: Token) -> bool:
    """ "Tarek Samoud said he counted …": a name that reports about "he"/"she" is a person."""
    verb = name.head
    if name.dep_ != "nsubj" or verb.lemma_.lower() not in SPEECH_VERBS:
        return False
    return any(
        c.dep_ == "ccomp"
        and any(g.dep_ == "nsubj" and g.lower_ in ("he", "she") for g in c.children)
        for c in verb.children
    )


_LOCATING = frozenset({"in", "near", "outside", "around", "across", "into", "towards", "toward"})


def _located(ent: Span) -> bool:
    """A "person" that something happens in is a place the model mistook."""
    root = ent.root
    doc = ent.doc
    set_off = ent.start > 0 and doc[ent.start - 1].text == ","  # "in Korvan, Paul-Henri Dakoro,"
    return (
        root.dep_ == "pobj"
        and root.head.lower_ in _LOCATING
        and root.head.i == ent.start - 1
        and not set_off
        and not any(c.dep_ == "case" for c in root.children)
    )


def _aged(doc: Doc, end: int) -> bool:
    """ "Anna Moroz, 47, said": a name followed by an age in commas is a person."""
    window = doc[end : end + 3]
    return (
        len(window) == 3
        and window[0].text == ","
        and window[1].text.isdigit()
        and 0 < int(window[1].text) < 120
        and window[2].text == ","
    )


def _people_by_age(doc: Doc) -> list[Span]:
    """The document's entities with names carrying an age relabelled as people (the small
    model often tags an unfamiliar name as a place), joined to an adjacent name part."""
    ents = list(doc.ents)
    out: list[Span] = []
    for ent in ents:
        if ent.label_ not in ("PERSON", "DATE", "CARDINAL") and _aged(doc, ent.end) and all(
            t.pos_ == "PROPN" for t in ent
        ):
            start = ent.start
            if out and out[-1].end == start and all(t.pos_ == "PROPN" for t in out[-1]):
                start = out.pop().start
            out.append(Span(doc, start, ent.end, label="PERSON"))
            continue
        out.append(ent)
    return out


def repair_ents(doc: Doc) -> None:
    """Fix the small model's commonest entity slips on names: a name split in two ("Stefan"
    "Hlibenko") and a person's name tagged as an organisation when the parse says it is a person
    ("The spokesman, Stepan Lavrenko," / "Vira, a 47-year-old teacher who ...")."""
    ents: list[Span] = []
    changed = False
    taken = {t.i for e in doc.ents for t in e}  # tokens some entity already holds
    for ent in _people_by_age(doc):
        label = ent.label_
        if label == "ORG" and all(t.pos_ == "PROPN" for t in ent):
            root = ent.root
            described = [c for c in root.children if c.dep_ == "appos" and c.pos_ == "NOUN"]
            if root.dep_ == "appos" and root.head.pos_ == "NOUN":
                described.append(root.head)
            if any(describes_person(d) for d in described) or _says_of_self(root):
                label, changed = "PERSON", True
        if ents and label == "PERSON" and ents[-1].label_ == "PERSON" and ents[-1].end == ent.start:
            ents[-1] = Span(doc, ents[-1].start, ent.end, label="PERSON")
            changed = True
            continue
        start, end = ent.start, ent.end
        if label == "PERSON" and _located(ent):
            label, changed = "GPE", True  # "In Nova Bresk in the south, …"
        if label == "PERSON":
            # "Naw Dah" + "Paw": a capitalised name word the model left untagged
            while end < len(doc) and _name_word(doc[end]) and end not in taken:
                end += 1
            while start > 0 and _name_word(doc[start - 1]) and start - 1 not in taken and (
                doc[start - 1].dep_ == "compound"
            ):
                start -= 1  # "Luka" + "Dorin"
            changed = changed or end != ent.end or start != ent.start
        if ents and start < ents[-1].end:
            start = ents[-1].end
        same = (label, start, end) == (ent.label_, ent.start, ent.end)
        ents.append(ent if same else Span(doc, start, end, label=label))
    if changed or len(ents) != len(doc.ents) or any(
        (a.start, a.end, a.label_) != (b.start, b.end, b.label_)
        for a, b in zip(ents, doc.ents, strict=False)
    ):
        doc.ents = ents


class Article:
    """Paragraph docs plus lookups that every extraction step needs."""

    def __init__(self, docs: list[Doc]) -> None:
        self.docs = docs
        self.regions: list[Region] = []
        self._region_at: list[list[int]] = []
        self._ents: list[dict[int, Span]] = []
        self._by_para: list[list[Region]] = [[] for _ in docs]
        self.cues: list[Cues] = []
        previous_runs_on = False
        for p, doc in enumerate(docs):
            repair_ents(doc)
            self.cues.append(find_cues(doc))
            text = doc.text
            spans = pair_marks(text)
            at = [-1] * len(doc)
            for k, span in enumerate(spans):
                chars = doc.char_span(span.start, span.end, alignment_mode="expand")
                if chars is None or not len(chars):
                    continue
                first = text[: span.start - 1].strip() == ""
                region = Region(
                    para=p,
                    start=chars.start,
                    end=chars.end,
                    text=text[span.start : span.end].strip(),
                    closed=span.closed,
                    continues=previous_runs_on and k == 0 and first,
                    index=len(self.regions),
                )
                self.regions.append(region)
                self._by_para[p].append(region)
                for i in range(max(chars.start - 1, 0), min(chars.end + 1, len(doc))):
                    if i >= chars.start and i < chars.end or doc[i].is_quote:
                        at[i] = region.index
            previous_runs_on = runs_on(spans, text)
            self._region_at.append(at)
            self._ents.append({t.i: ent for ent in doc.ents for t in ent})

    def region_of(self, token: Token, para: int) -> Region | None:
        index = self._region_at[para][token.i]
        return self.regions[index] if index >= 0 else None

    def quoted(self, token: Token, para: int) -> bool:
        return self._region_at[para][token.i] >= 0

    def ent_of(self, token: Token, para: int) -> Span | None:
        return self._ents[para].get(token.i)

    def paragraph_regions(self, para: int) -> list[Region]:
        return self._by_para[para]
