"""Where a figure is: the place where the counted people are or the event happened.

A place qualifies only from the figure's own event clause (and the clauses it hangs from, up to
the verb that reports it). Places that play another role are never the answer: the attacker or
donor ("Kestria shelled …", "Lunmark aid"), the claimant and its seat ("the Lunmark embassy in
Ostrovel said"), a destination people fled to, a distance's reference point ("20 km from
Ostrovel"), and the country whose border is a landmark ("near the Kestrian border"). No place is
better than a wrong one.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from briefings.extract.article import Article
from briefings.extract.rules import (
    ATTACK_NOUNS,
    BOUNDARY_NOUNS,
    CLAIM_VERBS,
    DESTINATION_PREPS,
    DISTANCE_UNITS,
    ENT_PLACES,
    FEATURE_NOUNS,
    INSTITUTION_NOUNS,
    LOCAL_AUTHORITIES,
    LOCATIVE_PREPS,
    MOVEMENT_KINDS,
    PLACE_NOUNS,
)
from briefings.topics import Topics

# Clauses below the event clause that describe something else ("…, while 2.4 million remained …").
_OTHER_CLAUSES = frozenset({"advcl", "ccomp", "parataxis", "csubj", "relcl", "conj"})
# Clauses that carry the event of the clause they hang from ("…, killing 35", "a strike that
# killed 12"): their parent's places are the event's places too.
_CARRIED_BY_PARENT = frozenset({"advcl", "acl", "relcl", "xcomp", "pcomp"})


class PlaceFinder:
    """`where` for the figures of one article."""

    def __init__(self, article: Article, topics: Topics) -> None:
        self.article = article
        self.topics = topics
        # "the port city of Verkhnia", "Sarnek region": place nouns with the names they had
        self.named_nouns: dict[str, list[tuple[tuple[int, int], str]]] = {}
        for para, doc in enumerate(article.docs):
            for token in doc:
                if token.pos_ != "NOUN" or token.lemma_.lower() not in PLACE_NOUNS:
                    continue
                if not any(c.pos_ == "PROPN" or c.dep_ == "prep" for c in token.children):
                    continue
                place = self._named_place(token, para) or self._compound_place(token, para)
                if place is not None:
                    self.named_nouns.setdefault(token.lemma_.lower(), []).append(
                        ((para, token.i), self.place_name(place))
                    )

    def where(self, para: int, head: Token, kind: str, excluded: set[int]) -> str | None:
        """The place of the figure whose number is `head`; `excluded` holds the claimant's
        tokens (its name and seat never place a figure)."""
        if kind == "distance":
            return self._located(para, head)
        for clause, allowed in self._clauses(head):
            allowed = allowed - _subsets(head)
            places = [
                ent
                for ent in head.sent.ents
                if ent.root.i in allowed
                and ent.root.i not in excluded
                and self.is_place(ent, para, head)
                and not _other_role(ent, kind)
            ]
            named_nouns = {
                t.i: p
                for t in allowed_nouns(clause, allowed)
                if (p := self._named_place(t, para) or self._compound_place(t, para)) is not None
                and p.root.i not in excluded
                and not _other_role(p, kind)
                and not _other_role(t.doc[t.i : t.i + 1], kind)  # "to the town of Dalmir"
            }
            if not places and not named_nouns:
                for noun in allowed_nouns(clause, allowed):
                    if noun.i not in excluded and not _other_role(noun.doc[noun.i:noun.i + 1],
                                                                  kind):
                        name = self._definite_place(noun, para)
                        if name is not None:
                            return name
            named = list(named_nouns.values())
            # "the Grey Sea port of Verkhnia": the port's own name wins over its modifier
            modifiers = set(named_nouns)
            places = [p for p in places if not (p.root.dep_ == "compound"
                                                and p.root.head.i in modifiers)]
            places += [p for p in named if p.root.i not in {e.root.i for e in places}]
            # "in Kestria's city of Tolvany", "Valdoria's Sarnek region": the country holds
            # the place; the place itself is the answer
            specific = [p for p in places if not _container(p)]
            if not specific and any(_holds_unnamed(p) for p in places):
                return None  # "in Valdoria's Sarnek region" with "Sarnek" untagged: not a guess
            places = specific or places
            if places:
                return self.place_name(min(places, key=lambda e: _distance(e.root, head)))
        if kind.startswith("aid"):
            return None  # aid is placed only by its recipient ("… for Valdoria")
        return self._scene(para, head, excluded) or self._jurisdiction(para, head, kind, excluded)

    def _jurisdiction(self, para: int, head: Token, kind: str, excluded: set[int]) -> str | None:
        """A local authority reports on its own ground: "the Verkhnia city council said", "the
        governor of the Sarnek region said", "the city said 1,370 of its civilians …". Never
        a ministry, an embassy or a country speaking of its troops."""
        if kind.startswith("troops") or kind == "distance":
            return None
        doc = head.doc
        named = [
            Span(doc, t.i, t.i + 1, label="GPE")
            for t in head.sent
            if t.i in excluded and t.pos_ == "PROPN" and t.dep_ == "compound" and not t.ent_type_
            and t.text.isalpha() and t.text[:1].isupper()
        ]  # "the Ostrovel city council", the name untagged
        for ent in [*head.sent.ents, *named]:
            if ent.root.i not in excluded or not (
                self.is_place(ent, para, head) or ent.label_ == "GPE"
            ):
                continue
            if ent.root.dep_ in ("compound", "poss", "pobj") and _governed_by_local(ent.root):
                return self.place_name(ent)
        noun = head.head if head.dep_ in ("nummod", "quantmod") else None
        for child in (head.children if noun is None else noun.children):
            if child.dep_ == "prep" and child.lower_ == "of":
                for obj in child.children:
                    noun = obj
        if noun is not None and any(c.dep_ == "poss" and c.lower_ == "its" for c in noun.children):
            # "the port city of Verkhnia said 1,370 of its civilians …"
            for token in doc[head.sent.start : head.i]:
                if token.i in excluded and token.dep_ == "nsubj":
                    place = self._named_place(token, para)
                    if place is not None:
                        return self.place_name(place)
        return None

    # ---- clauses ---------------------------------------------------------------------------

    @staticmethod
    def _clauses(head: Token) -> list[tuple[Token, set[int]]]:
        """The event clause of `head` and the clauses that carry it, each with the tokens that
        belong to it and not to a clause below it."""
        node = head
        while node.head != node and not (node.pos_ in ("VERB", "AUX") and node != head):
            node = node.head
        clauses: list[tuple[Token, set[int]]] = []
        below: Token | None = None
        while True:
            if node.pos_ in ("VERB", "AUX") and node.lemma_.lower() in CLAIM_VERBS:
                break  # the reporting verb: its subject is the claimant, not a place
            allowed = {t.i for t in node.subtree}
            for token in node.subtree:
                if token != node and token.dep_ in _OTHER_CLAUSES | {"appos"} and token != below:
                    inner = {t.i for t in token.subtree}
                    if head.i not in inner and (below is None or below.i not in inner):
                        allowed -= inner
            clauses.append((node, allowed))
            shared = node.dep_ == "conj" and not any(
                c.dep_ in ("nsubj", "nsubjpass") for c in node.children
            )  # "…, killing eight and wounding 18": one event, one scene
            carried = (node.dep_ in _CARRIED_BY_PARENT or shared) and not any(
                c.dep_ == "mark" for c in node.children
            )
            if not carried or node.head == node:
                break
            below, node = node, node.head
            while node.head != node and node.pos_ not in ("VERB", "AUX", "NOUN", "PROPN"):
                node = node.head
        return clauses

    def _scene(self, para: int, head: Token, excluded: set[int]) -> str | None:
        """A sentence that opens "In Verkhnia, …" sets the scene for what it reports."""
        sent = head.sent
        for ent in sent.ents:
            lead = ent.start - sent.start <= 6 and ent.start > 0
            if lead and ent.doc[ent.start - 1].lower_ == "in" and ent.root.i not in excluded:
                if ent.doc[sent.start].lower_ == "in" and self.is_place(ent, para, head):
                    return self.place_name(ent)
        return None

    def _located(self, para: int, head: Token) -> str | None:
        """For a distance, the place that lies at it ("Dalmir, 30 km from the border"), never
        the reference point after "from"."""
        for node in list(head.ancestors)[:5]:
            if node.lower_ in ("from", "to", "of") and node.dep_ == "prep":
                continue
            ent = self.article.ent_of(node, para)
            if ent is not None and self.is_place(ent, para, head):
                return self.place_name(ent)
            named = self._named_place(node, para)
            if named is not None:
                return self.place_name(named)
        return None

    def _named_place(self, noun: Token, para: int) -> Span | None:
        """ "the northern city of Korvan": a place noun named by its "of" phrase (a proper
        name there is a place whatever the model tagged it)."""
        if noun.lemma_.lower() not in PLACE_NOUNS or noun.pos_ != "NOUN":
            return None
        for prep in noun.children:
            if prep.dep_ == "prep" and prep.lower_ == "of":
                for obj in prep.children:
                    if obj.dep_ != "pobj" or obj.pos_ != "PROPN" or not obj.text[:1].isupper():
                        continue
                    ent = self.article.ent_of(obj, para)
                    if ent is not None and ent.label_ not in ("DATE", "TIME", "NORP"):
                        return ent
                    return _name_ending_at(obj)
        return None

    def _compound_place(self, noun: Token, para: int) -> Span | None:
        """ "Sarnek region", "the Hadra displacement camp": a place name before its noun."""
        if noun.lemma_.lower() not in PLACE_NOUNS:
            return None
        for child in noun.lefts:
            if child.dep_ != "compound" or child.pos_ != "PROPN" or not child.text.isalpha():
                continue
            if not child.text[:1].isupper():
                continue
            ent = self.article.ent_of(child, para)
            if ent is not None and ent.label_ in ENT_PLACES:
                return ent
            if ent is None or ent.label_ in ("PERSON", "ORG"):
                return _name_ending_at(child)
        return None

    def _definite_place(self, noun: Token, para: int) -> str | None:
        """ "the city", "the enclave": the one place the article has named with that noun
        before; None when it named none or several."""
        if noun.lemma_.lower() not in PLACE_NOUNS or noun.tag_ == "NNS":
            return None
        if not any(c.lower_ == "the" for c in noun.children) or any(
            c.dep_ in ("compound", "amod") and c.pos_ == "PROPN" for c in noun.children
        ):
            return None
        here = (para, noun.i)
        names = {name for pos, name in self.named_nouns.get(noun.lemma_.lower(), ()) if pos < here}
        return names.pop() if len(names) == 1 else None

    # ---- what counts as a place ------------------------------------------------------------

    def is_place(self, ent: Span, para: int, head: Token) -> bool:
        if ent.root.pos_ != "PROPN" or not ent.text[:1].isupper():
            return False
        if any(ch.isdigit() for ch in ent.text):
            return False  # "K17" is an armed group, not a place
        after = ent.doc[ent.end] if ent.end < len(ent.doc) else None
        if after is not None and after.text == "-" and not ent[-1].whitespace_:
            return False  # "Valdorian-held"
        if self.article.quoted(ent.root, para) and not self.article.quoted(head, para):
            return False
        if ent.label_ in ENT_PLACES:
            return True
        # The small model sometimes tags a city as an organisation: trust "in X" / "of X".
        before = ent.doc[ent.start - 1].lower_ if ent.start > 0 else ""
        if ent.label_ == "ORG" and before in ("in", "of") and self.topics.known(ent.text):
            return True
        # ... or a town as a person: "strikes on Ostrovel", "near Tolvany"
        return (
            ent.label_ == "PERSON"
            and ent.root.dep_ == "pobj"
            and ent.root.head.lower_ in LOCATIVE_PREPS
            and (self.topics.known(ent.text) or ent.root.head.lower_ != "on")
        )

    def place_name(self, ent: Span) -> str:
        name = ent.text.removeprefix("the ").removeprefix("The ").strip()
        name = name.removesuffix("'s").removesuffix("’s")
        after = ent.doc[ent.end] if ent.end < len(ent.doc) else None
        if after is not None and after.lower_ in FEATURE_NOUNS:
            return f"{name} {after.lower_}"  # "the Ostrovel river" is not the city of Ostrovel
        return self.topics.canonical(name)


def _name_ending_at(token: Token) -> Span:
    """A place name the model did not tag: the proper nouns compounded onto `token`."""
    doc = token.doc
    start = token.i
    while start > 0 and doc[start - 1].dep_ == "compound" and doc[start - 1].pos_ == "PROPN":
        start -= 1
    return Span(doc, start, token.i + 1, label="GPE")


def _governed_by_local(place: Token) -> bool:
    """ "the Ostrovel city council", "the city council of the port of Verkhnia": the
    place names the ground of a local authority."""
    node = place
    for _ in range(6):
        if node.head == node:
            return False
        if node.dep_ in ("compound", "poss") or node.dep_ == "pobj" and node.head.lower_ == "of":
            node = node.head if node.dep_ != "pobj" else node.head.head
        elif node.lemma_.lower() in PLACE_NOUNS and node.dep_ in ("pobj", "compound", "appos"):
            node = node.head if node.dep_ != "pobj" else node.head
            continue
        else:
            return False
        if node.lemma_.lower() in LOCAL_AUTHORITIES:
            return True
    return False


def _subsets(head: Token) -> set[int]:
    """Tokens of "including 7 in a raid near Nova Bresk" when the figure is the whole count:
    the part's place is not the whole's."""
    out: set[int] = set()
    for token in head.sent:
        if token.lower_ in ("including", "among") and token.dep_ == "prep":
            inner = {t.i for t in token.subtree}
            if head.i not in inner:
                out |= inner
    return out


def _holds_unnamed(ent: Span) -> bool:
    """A container whose place noun carries another name the model did not tag as a place."""
    noun = ent.root.head
    return _container(ent) and any(
        c.dep_ in ("compound", "amod", "nmod") and c.pos_ == "PROPN" and c.i not in
        range(ent.start, ent.end)
        for c in noun.children
    )


def _container(ent: Span) -> bool:
    """A place named as the owner of another ("Kestria's city of …", "Kestria's Grey Sea coast")."""
    root = ent.root
    return root.dep_ in ("poss", "compound") and root.head.pos_ in ("NOUN", "PROPN") and (
        root.head.lemma_.lower() in PLACE_NOUNS
        or root.head.ent_type_ in ("GPE", "LOC", "FAC")
        or root.dep_ == "poss"
    )


def allowed_nouns(clause: Token, allowed: set[int]) -> list[Token]:
    return [t for t in clause.subtree if t.i in allowed and t.pos_ == "NOUN"]


def _distance(a: Token, b: Token) -> int:
    """Tree distance between two tokens of one sentence."""
    up_a = [a, *a.ancestors]
    up_b = {t.i: n for n, t in enumerate([b, *b.ancestors])}
    for n, t in enumerate(up_a):
        if t.i in up_b:
            return n + up_b[t.i]
    return len(up_a) + len(up_b)


def _other_role(ent: Span, kind: str) -> bool:
    """A place that plays another part in the sentence than the figure's location."""
    root = ent.root
    if root.dep_ == "pobj" and root.head.lower_ == "of" and root.head.head.lemma_.lower() in (
        PLACE_NOUNS
    ):
        noun = root.head.head  # "to the town of Dalmir": the town's part is the place's
        return _other_role(noun.doc[noun.i : noun.i + 1], kind)
    head = root.head
    if root.dep_ in ("poss", "compound", "amod", "nmod"):
        lemma = head.lemma_.lower()
        # "Kestria's strikes", "Lunmark aid", "Lunmark's border", "Kestria's army"
        if lemma in ATTACK_NOUNS or lemma in BOUNDARY_NOUNS or lemma in INSTITUTION_NOUNS:
            return True
        if kind.startswith("aid"):
            return True
    if root.dep_ == "pobj":
        prep = head.lower_
        if prep == "by":
            return True  # the agent: "strikes by Kestria"
        if prep == "with" and head.head.lemma_.lower() in BOUNDARY_NOUNS:
            return True  # "the border with Lunmark"
        if prep == "from" and head.head.lemma_.lower() in DISTANCE_UNITS:
            return True  # "20 km from Ostrovel": the reference point
        if prep in DESTINATION_PREPS and kind in MOVEMENT_KINDS:
            return True  # "fled to Lunmark": where they went, not where they were
        if kind.startswith("aid") and prep not in ("to", "for"):
            return True  # "pledged at a conference in Brenholt"
    if root.dep_ in ("nsubj", "nsubjpass") and head.pos_ in ("VERB", "AUX"):
        if root.dep_ == "nsubj" and head.lemma_ != "be":
            return True  # "Kestria shelled …", "Lunmark pledged …"
    return False
