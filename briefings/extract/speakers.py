"""Who a noun phrase names: the fullest name the article gives, with pronouns ("he said", "it
said"), descriptions ("the ministry", "the regional governor") and appositions resolved.

The resolver is deliberately cautious: when no candidate agrees it answers None, because a wrong
speaker is worse than a missing one.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Span, Token

from briefings.extract.article import Article, Pos, describes_person
from briefings.extract.rules import (
    ATTACK_NOUNS,
    CLAIM_VERBS,
    ENT_AGENTS,
    ENT_PERSON,
    EPITHET_NOUNS,
    GENDER_WORDS,
    GENERIC_INSTITUTIONS,
    INSTITUTION_NOUNS,
    LOCAL_INSTITUTIONS,
    PERSON_NOUNS,
    PERSON_PRONOUNS,
    PLACE_NOUNS,
    PLURAL_PRONOUNS,
    ROLE_NOUNS,
    ROLE_SYNONYMS,
    SPEECH_VERBS,
    THING_PRONOUNS,
    TITLE_WORDS,
)
from briefings.topics import fold

_RELATIVES = frozenset({"who", "which", "that", "whom", "whose"})
_NP_DROP = frozenset({"relcl", "appos", "acl", "advcl", "punct", "cc", "conj", "parataxis"})
_DETERMINERS = frozenset({"the", "a", "an", "this", "that", "these", "those"})
# Paths from a name up to a description that still name the described person:
# "a man who gave only his first name, Ostap", "a neighbour who gave her name as Hanka".
_NAMING_DEPS = frozenset({"appos", "relcl", "dobj", "pobj", "prep"})
_NATIONS = frozenset({"NORP", "GPE"})
_PARTITIVES = frozenset({"one", "some", "many", "several", "few", "most", "another", "each", "two"})


def _set_off(token: Token) -> bool:
    """An apposition between commas: "A nurse at the hospital, Kadir Selvan, said"."""
    words = list(token.subtree)
    doc = token.doc
    first, last = words[0].i, words[-1].i
    return first > 0 and doc[first - 1].text == "," and last + 1 < len(doc) and doc[
        last + 1
    ].text in (",", ".")


def _title_case(token: Token) -> bool:
    """A capitalised phrase inside a sentence: a name the model did not tag."""
    if token.i == token.sent.start or not token.text[:1].isupper():
        return False
    words = [t for t in token.subtree if t.is_alpha and t.dep_ != "appos" or t == token]
    return all(t.text[:1].isupper() or t.lower_ in ("of", "for", "without", "and", "the", "on")
               for t in words)


def _tail_subject(verb: Token) -> Token | None:
    """The noun phrase between a comma and a speech verb the parse left without a subject."""
    doc = verb.doc
    i = verb.i - 1
    if i < 0 or doc[i].pos_ not in ("NOUN", "PROPN"):
        return None
    node = doc[i]
    start = i
    while start > verb.sent.start and doc[start - 1].text != ",":
        start -= 1
    if start == verb.sent.start:
        return None
    while node.head.i < verb.i and node.head.i >= start and node.head != node:
        node = node.head
    return node if node.pos_ in ("NOUN", "PROPN") and node.i >= start else None


def _reporting_verb(verb: Token) -> Token | None:
    """The speech verb whose reported clause `verb` heads ("said [they were …]")."""
    if verb.dep_ == "ccomp" and verb.head.lemma_.lower() in SPEECH_VERBS:
        return verb.head
    return None


def _governing_verb(node: Token) -> Token:
    """Where the subject of a verb without one is looked for next: the verb above it, or the
    speech verb that reports the clause a joined or "-ing" speech verb hangs in."""
    reporting = _reporting_verb(node.head)
    if node.dep_ == "conj" and node.lemma_.lower() in SPEECH_VERBS and reporting:
        # "X said aid groups were overwhelmed and appealed for …": a speech verb joined
        # to a reported clause belongs to the one who reports it
        return reporting
    if node.tag_ == "VBG" and node.dep_ == "advcl":
        # "…, adding": the parse may hang it inside the reported clause; it belongs to
        # the reporting verb above that clause
        reporting = next(
            (a for a in node.ancestors if a.lemma_.lower() in SPEECH_VERBS
             and a.pos_ == "VERB"),
            None,
        )
        return reporting if reporting is not None else node.head
    return node.head


def _whole_name(ent: Span) -> str:
    """An organisation's name with the capitalised phrase the model cut off: "the Joint Office"
    + "for Flood Relief and Recovery", "the Border Force" + "in Kestria"."""
    doc = ent.doc
    end = ent.end
    start = ent.start
    while start > 0 and doc[start - 1].pos_ == "PROPN" and doc[start - 1].text[:1].isupper() and (
        doc[start - 1].head.i in range(ent.start, ent.end) and not doc[start - 1].ent_type_
    ):
        start -= 1  # "the local Street Relief Committee": the model left "Street" out
    while (
        end + 1 < len(doc)
        and doc[end].lower_ in ("for", "of", "in", "on")
        and ent.start <= doc[end].head.i < end
    ):
        k = end + 1
        if k < len(doc) and doc[k].lower_ == "the":
            k += 1
        stop = k
        while stop < len(doc) and (
            doc[stop].text[:1].isupper() and doc[stop].pos_ == "PROPN"
            or doc[stop].lower_ in ("of", "and", "for", "the") and stop + 1 < len(doc)
            and doc[stop + 1].text[:1].isupper()
        ):
            stop += 1
        if stop == k:
            break
        end = stop
    return doc[start:end].text


def _partitive(head: Token) -> bool:
    """ "one of them", "one of the men", "some of the residents": a member nobody named."""
    return head.lemma_.lower() in _PARTITIVES and any(
        c.dep_ == "prep" and c.lower_ == "of" for c in head.children
    )


def _definite(head: Token, role: bool) -> bool:
    """ "the governor", and "the region's governor": a possessor makes a description definite
    too, though a proper-noun, place or organisation possessor only a role's."""
    return any(
        t.lower_ in ("the", "this", "that")
        or t.dep_ == "poss"
        and (role or t.pos_ != "PROPN" and t.ent_type_ not in ("GPE", "ORG"))
        for t in head.lefts
    )


def _has_own_name(head: Token) -> bool:
    """Whether a noun phrase names its referent itself ("Kestria's defence ministry", "the ICA
    refugee agency") rather than describing it ("the Valdorian leader", "the Kestrian
    president")."""
    lemma = head.lemma_.lower()
    role = lemma in ROLE_NOUNS or describes_person(head)
    generic = lemma in GENERIC_INSTITUTIONS
    words = [t for t in np_tokens(head) if t != head and not t.is_punct and t.dep_ != "det"]
    if role:
        # "the head of the Sarnek region", "the Valdorian leader": an office, never a name
        return any(t.ent_type_ == "PERSON" for t in words)
    if generic:
        # "the ICA agency" describes; "the ICA refugee agency", "the civil protection agency" name
        return any(
            t.pos_ in ("NOUN", "PROPN") and t.dep_ == "compound" and not t.ent_type_
            for t in words
        )
    for token in words:
        if token.ent_type_ in ("PERSON", "ORG") or (
            token.pos_ == "PROPN" and token.ent_type_ not in ("NORP", "GPE")
        ):
            return True
        if token.ent_type_ in ("GPE", "NORP"):
            return True
    return False


@dataclass(frozen=True, slots=True)
class Entity:
    """What a noun phrase refers to."""

    name: str | None
    kind: str  # person, org, place, thing
    gender: str | None = None
    plural: bool = False


@dataclass(frozen=True, slots=True)
class Mention:
    pos: Pos
    entity: Entity
    claim: bool  # subject of a claim or speech verb
    level: int = 1  # 2 main-clause subject of a claim verb, 1 main-clause subject, 0 other
    sentence: int = 0  # start token of its sentence
    verb: int = -1  # the verb it is the subject of


# Clauses whose subjects are less salient than the main clause's: reported speech, relative
# and adverbial clauses ("An analyst, X, said the minister's request …").
_EMBEDDING = frozenset({"ccomp", "advcl", "relcl", "acl", "xcomp", "csubj", "pcomp", "pobj"})


def _level(subject: Token, claim: bool) -> int:
    if subject.dep_ not in ("nsubj", "nsubjpass"):
        return 0
    node = subject.head
    while node.head != node:
        if node.dep_ in _EMBEDDING:
            return 0
        node = node.head
    return 2 if claim else 1


def _most_salient(candidates: list[Mention]) -> Mention | None:
    """The one candidate of a sentence a pronoun refers to, or None when two tie."""
    rank = max(m.level for m in candidates)
    top = [m for m in candidates if m.level == rank]
    names = {m.entity.name for m in top}
    if len(names) == 1:
        return top[-1]
    if rank == 2:
        # "A said …; B said …. “…,” he said": the later report, unless both share one verb
        last, before = top[-1], [m for m in top if m.entity.name != top[-1].entity.name][-1]
        if last.verb != before.verb:
            return last
    return None


_NOBODY = Entity(None, "thing")


def np_tokens(head: Token) -> list[Token]:
    """A noun phrase's tokens in order, without relative clauses, appositions and the like."""
    keep: list[Token] = []
    stack = [head]
    while stack:
        token = stack.pop()
        keep.append(token)
        stack.extend(c for c in token.children if c.dep_ not in _NP_DROP)
    kept = {t.i for t in keep}
    doc = head.doc
    # hyphens inside words of the phrase ("Sable-run", "ARC-T")
    gaps = [i + 1 for i in kept if i + 1 not in kept and i + 2 in kept]
    keep += [doc[i] for i in gaps if _joiner(doc[i])]
    keep.sort(key=lambda t: t.i)
    return keep


def _joiner(token: Token) -> bool:
    """A hyphen inside a word ("Sable-run", "ARC-T")."""
    doc = token.doc
    return (
        token.text == "-"
        and token.i > 0
        and not doc[token.i - 1].whitespace_
        and not token.whitespace_
    )


def np_text(head: Token) -> str:
    """The words of a noun phrase without determiners, relative clauses and appositions."""
    keep = np_tokens(head)
    while keep and (keep[0].lower_ in _DETERMINERS or keep[0].is_punct):
        keep.pop(0)
    while keep and (keep[-1].is_punct or keep[-1].tag_ == "POS"):
        keep.pop()
    words = "".join(t.text_with_ws for t in keep).strip()
    return words.strip(" ,;:“”\"'")


def institution_name(head: Token) -> str:
    """ "the city council of the port of Verkhnia" → "Verkhnia city council", so one
    institution has one name across articles; other phrases as `np_text` gives them."""
    text = np_text(head)
    of = next((c for c in head.rights if c.dep_ == "prep" and c.lower_ == "of"), None)
    if of is None:
        return text
    # The small model often tags a city as ORG here, so any proper name at the end will do.
    places = [t for t in of.subtree if t.ent_type_ in ("GPE", "LOC", "ORG") or (
        t.pos_ == "PROPN" and t.text[:1].isupper())]
    if not places:
        return text
    place = places[-1]
    start = place.i
    while start > 0 and place.doc[start - 1].ent_iob_ == "I":
        start -= 1
    place_name = place.doc[start : place.i + 1].text
    before = [t for t in np_tokens(head) if t.i < of.i and t.lower_ not in _DETERMINERS]
    if not before or any(t.text[:1].isupper() or t.tag_ == "POS" for t in before):
        return text
    words = " ".join(t.text for t in before)
    if head.lemma_.lower() in LOCAL_INSTITUTIONS:
        return f"{place_name} {words}"
    return f"{place_name}'s {words}"


def person_name(words: list[Token]) -> str | None:
    """A person's name from an entity's tokens, without titles or possessive endings."""
    tokens = [t for t in words if t.tag_ != "POS" and not (t.is_punct and t.text != "-")]
    while tokens and (
        tokens[0].lower_.rstrip(".") in TITLE_WORDS
        or tokens[0].pos_ != "PROPN" and not tokens[0].text[:1].isupper()
        or tokens[0].text == "-"
    ):
        tokens.pop(0)
    while tokens and tokens[-1].text == "-":
        tokens.pop()
    if not tokens:
        return None
    # as written: "Yusuf al-Hadrawi", not "Yusuf al - Hadrawi"
    text = "".join(t.text_with_ws for t in tokens[:-1]) + tokens[-1].text
    return " ".join(text.split())


def gender_of(head: Token) -> str | None:
    """Gender a phrase shows: "woman", "Mr", or "her" in "who gave her first name"."""
    for token in head.subtree:
        gender = GENDER_WORDS.get(token.lower_)
        if gender and (token.head == head or token.i <= head.i or token.dep_ == "poss"):
            return gender
    return None


def _mods_fit(mods: frozenset[str], words: frozenset[str]) -> bool:
    """Every modifier of a role is in the named description, allowing derived forms: "the
    regional governor" fits "the governor of the Sarnek region"."""
    return all(
        mod in words or len(mod) >= 5 and any(w[:5] == mod[:5] and len(w) >= 5 for w in words)
        for mod in mods
    )


class Resolver:
    """Names for subjects and speakers across one article, built paragraph by paragraph."""

    def __init__(self, article: Article) -> None:
        self.article = article
        self.mentions: list[list[Mention]] = [[] for _ in article.docs]
        self._mention_at: dict[Pos, Mention] = {}
        self.people: dict[str, set[str]] = {}
        # (role noun, words describing it, person, the nationality words among them)
        self.roles: list[tuple[str, frozenset[str], Entity, frozenset[str]]] = []
        self.named_nps: dict[str, list[tuple[Pos, frozenset[str], Entity]]] = {}
        # indefinite descriptions of sources: "a hospital source told Nordpress" … "the source said"
        self.described: dict[str, list[tuple[Pos, Entity]]] = {}
        self.genders: dict[str, str] = {}
        self.speakers: list[tuple[Pos, Entity]] = []  # who spoke each quote, in order
        for para, doc in enumerate(article.docs):
            self._index(para, doc)

    # ---- article-wide indexes -------------------------------------------------------------

    def _index(self, para: int, doc) -> None:
        quoted = self.article.quoted
        for ent in doc.ents:
            if ent.label_ == ENT_PERSON and not quoted(ent.root, para):
                name = person_name(list(ent))
                if name:
                    self.people.setdefault(fold(name).split()[-1], set()).add(name)
        for token in doc:
            if quoted(token, para):
                continue
            if token.pos_ == "PROPN" and self._is_person(token, para):
                self._index_roles(token, para)
            if token.pos_ in ("NOUN", "PROPN") and token.dep_ not in ("compound", "amod", "poss"):
                self._index_named_np(token, para)
            if (
                token.pos_ == "NOUN"
                and token.dep_ == "nsubj"
                and token.head.lemma_.lower() in CLAIM_VERBS
                and any(c.lower_ in ("a", "an") for c in token.lefts)
                and not _has_own_name(token)
            ):
                entity = Entity(np_text(token), self._noun_kind(token), gender_of(token))
                self.described.setdefault(token.lemma_.lower(), []).append(
                    ((para, token.i), entity)
                )

    def _is_person(self, token: Token, para: int) -> bool:
        ent = self.article.ent_of(token, para)
        return ent is not None and ent.label_ == ENT_PERSON and ent.root == token

    def _index_roles(self, name_head: Token, para: int) -> None:
        person = self._person(name_head, para)
        title = [
            t
            for c in name_head.lefts
            if c.dep_ in ("compound", "amod", "nmod", "poss")
            for t in c.subtree
            if not self._is_name_part(t, para)
        ]
        descriptions = [(t, t.subtree) for t in [*title[-1:]] if t.pos_ in ("NOUN", "PROPN")]
        descriptions += [(c, c.subtree) for c in name_head.children if c.dep_ == "appos"]
        if name_head.dep_ == "appos" and name_head.head.pos_ == "NOUN":
            descriptions.append((name_head.head, name_head.head.subtree))
        for head, subtree in descriptions:
            tokens = [t for t in subtree if not t.is_punct and not self._is_name_part(t, para)]
            if title and head is title[-1]:
                tokens = title
            words = frozenset(t.lemma_.lower() for t in tokens)
            nations = frozenset(t.lemma_.lower() for t in tokens if t.ent_type_ in _NATIONS)
            self.roles.append((head.lemma_.lower(), words, person, nations))

    def _is_name_part(self, token: Token, para: int) -> bool:
        ent = self.article.ent_of(token, para)
        return ent is not None and ent.label_ == ENT_PERSON

    def _index_named_np(self, head: Token, para: int) -> None:
        if not any(t.pos_ == "PROPN" or t.ent_type_ in ENT_AGENTS for t in head.subtree
                   if t != head):
            return  # no name anywhere below it: nothing to index (the common case, and cheap)
        words = np_tokens(head)
        if any(t.ent_type_ == ENT_PERSON for t in words if t == head or t.head == head):
            return
        if not any(t.pos_ == "PROPN" or t.ent_type_ in ENT_AGENTS for t in words if t != head):
            return
        entity = Entity(np_text(head), self._noun_kind(head), None, head.tag_ == "NNS")
        lemmas = frozenset(t.lemma_.lower() for t in head.subtree)
        self.named_nps.setdefault(head.lemma_.lower(), []).append(((para, head.i), lemmas, entity))

    # ---- naming ---------------------------------------------------------------------------

    def fullest(self, name: str) -> str:
        """The longest form of a person's name in the article ("Moravec" -> "Tomas ...")."""
        parts = fold(name).split()
        if not parts:
            return name
        longer = {
            full
            for full in self.people.get(parts[-1], ())
            if fold(full).split()[-len(parts) :] == parts and len(full) > len(name)
        }
        longest = max(longer, key=len, default=None)
        if longest and all(fold(longest).endswith(fold(other)) for other in longer):
            return longest
        return name

    def _known_surname(self, text: str) -> bool:
        words = fold(text).split()
        return len(text.split()) == 1 and bool(words) and words[-1] in self.people

    def _person(self, token: Token, para: int) -> Entity:
        ent = self.article.ent_of(token, para)
        if ent is not None:
            words = list(ent)
        else:
            # the proper-noun run that ends at the token ("Street Relief Committee")
            start = token.i
            while start > 0 and token.doc[start - 1].pos_ == "PROPN" and token.doc[
                start - 1
            ].text[:1].isupper():
                start -= 1
            words = list(token.doc[start : token.i + 1])
        name = person_name(words)
        if name is None:
            return _NOBODY
        name = self.fullest(name)
        gender = self.genders.get(name) or gender_of(token)
        return Entity(name, "person", gender, False)

    def _noun_kind(self, head: Token) -> str:
        lemma = head.lemma_.lower()
        if lemma in PERSON_NOUNS or lemma in ROLE_NOUNS or lemma in EPITHET_NOUNS:
            return "person"
        if lemma in ATTACK_NOUNS and lemma not in INSTITUTION_NOUNS:
            return "thing"  # "an air strike on a shelter" never speaks
        if lemma in INSTITUTION_NOUNS or any(
            t.ent_type_ == "ORG" for t in head.lefts if t.dep_ in ("compound", "poss")
        ):
            return "org"
        if lemma in PLACE_NOUNS:
            return "place"
        return "thing"

    def entity(self, token: Token, para: int) -> Entity:
        """What `token` (the head of a noun phrase) refers to."""
        lower = token.lower_
        if lower in _RELATIVES and token.head.dep_ == "relcl":
            return self.entity(token.head.head, para)
        if token.pos_ == "PRON":
            mention = self._mention_at.get((para, token.i))
            if mention is not None:
                return mention.entity
            return self._pronoun(lower, (para, token.i))
        ent = self.article.ent_of(token, para)
        if ent is not None and ent.label_ == ENT_PERSON:
            return self._person(ent.root, para)
        if token.pos_ == "PROPN" and token.text[:1].isupper():
            return self._proper_entity(token, ent, para)
        if _partitive(token):
            return _NOBODY  # "one of them said": the article does not say which
        named = self._apposed_name(token, para)
        if named is not None:
            return named
        return self._common_entity(token, para)

    def _proper_entity(self, token: Token, ent: Span | None, para: int) -> Entity:
        """A capitalised proper noun (not tagged as a person): the organisation or place its
        entity names, else a person."""
        if ent is not None and ent.label_ == "ORG" and self._known_surname(ent.text):
            return self._person(token, para)  # "Al-Hadrawi said", tagged as an organisation
        if ent is not None and ent.label_ != "PERSON":
            kind = "place" if ent.label_ in ("GPE", "LOC", "FAC") else "org"
            name = _whole_name(ent).removeprefix("the ").removeprefix("The ")
            name = name.removesuffix("'s").removesuffix("’s")
            owners = [c for c in token.children if c.dep_ == "poss" and c.i < ent.start]
            if owners:  # "Kestria's defence ministry"
                name = f"{np_text(owners[0])}'s {name}"
            return Entity(name, kind, None, False)
        return self._person(token, para)

    def _common_entity(self, token: Token, para: int) -> Entity:
        """A common noun with no name of its own: the place it names, the one holder of its
        role, what a definite description resolves to, or the phrase itself."""
        lemma = token.lemma_.lower()
        if lemma in PLACE_NOUNS:
            place = self._place_named(token, para)
            if place is not None:
                return place
        definite = _definite(token, lemma in ROLE_NOUNS)
        if not definite and lemma in ROLE_NOUNS and not _has_own_name(token):
            holder = self._sole_role_holder(token, lemma)
            if holder is not None:
                return holder
        if definite and not _has_own_name(token):
            # "the ministry", "the Valdorian leader", "the Kestrian president", "the source"
            return self._description(token, para)
        gender = gender_of(token)
        name = institution_name(token) if lemma in INSTITUTION_NOUNS else np_text(token)
        return Entity(name, self._noun_kind(token), gender, token.tag_ == "NNS")

    def _place_named(self, token: Token, para: int) -> Entity | None:
        """ "the city of Korvan": a place noun named by the entity after its "of"."""
        for t in token.subtree:
            if t.ent_type_ in ("GPE", "ORG", "LOC") and t.head.lower_ == "of":
                ent = self.article.ent_of(t, para)
                return Entity(ent.text if ent is not None else t.text, "place")
        return None

    def _sole_role_holder(self, token: Token, lemma: str) -> Entity | None:
        """An indefinite role ("a spokeswoman for an armed group told Nordpress") is the one
        person the article gives that role (later "The spokeswoman, Mya Thiri Lwin, said")."""
        described = frozenset(
            t.lemma_.lower()
            for t in token.subtree
            if t.pos_ in ("NOUN", "PROPN", "ADJ") and t != token and not t.ent_type_ == "DATE"
        )
        people = {
            e.name: e
            for h, words, e, _ in self.roles
            if h == lemma and described and _mods_fit(described, words)
        }
        if len(people) == 1:
            return next(iter(people.values()))
        return None

    def _apposed_name(self, head: Token, para: int) -> Entity | None:
        """The name an apposition gives a description: "the mayor, Ilko Dobrev",
        "a nurse at St Brenna Hospital, Omar Abu Darra", "a man who gave his name as Ostap"."""
        named = self._appos_child_name(head, para)
        if named is not None:
            return named
        named = self._named_inside(head, para)
        if named is not None or not describes_person(head):
            return named
        named = self._given_name(head, para)
        if named is not None:
            return named
        named = self._set_off_name(head, para)
        if named is not None:
            return named
        return self._apposed_person(head, para)

    def _appos_child_name(self, head: Token, para: int) -> Entity | None:
        """A name in apposition directly to the description: a proper noun, or a title-case
        phrase the model did not tag."""
        for child in head.children:
            if child.dep_ == "appos" and child.pos_ == "PROPN":
                named = self.entity(child, para)
                if named.name:
                    return named
            if child.dep_ == "appos" and _title_case(child):
                # "the medical charity Healers Across Frontiers (HAF)"
                words = [t for t in child.subtree if t.dep_ != "appos" or t == child]
                words = [t for t in words if not t.is_punct and t.i < child.i + 8]
                name = " ".join(t.text for t in words if t.head.dep_ != "appos" or t == child
                                or t.head == child or t.head.head == child)
                kind = "person" if describes_person(head) else "org"
                return Entity(name, kind, gender_of(head), False)
        return None

    def _given_name(self, head: Token, para: int) -> Entity | None:
        """The one name the sentence says a described person gave: "…, asking to be identified
        only by his first name, Bekele", "gave his name as …"."""
        given = [
            t
            for t in head.sent
            if t.i > head.i
            and t.pos_ == "PROPN"
            and not self.article.quoted(t, para)
            and (
                t.dep_ in ("appos", "attr", "oprd") and t.head.lemma_ == "name"
                or t.dep_ == "pobj" and t.head.lower_ == "as"
                and t.head.head.lemma_ in ("name", "give", "identify")
            )
        ]
        if len(given) == 1:
            # "said a shopkeeper …, asking to be identified only by his first name, Bekele"
            person = self._person(given[0], para)
            if person.name:
                return person
        return None

    def _set_off_name(self, head: Token, para: int) -> Entity | None:
        """ "A community leader in Korvan, Paul-Henri Dakoro, said": a person's name between
        commas inside the description, wherever the parse hung it (but not in a clause)."""
        doc = head.doc
        for ent in doc.ents:
            if (
                ent.label_ == ENT_PERSON
                and ent.root.i in {t.i for t in head.subtree}
                and ent.start > 0
                and doc[ent.start - 1].text == ","
                and (ent.end == len(doc) or doc[ent.end].text == ",")
                and not any(a.dep_ in ("relcl", "acl") for a in ent.root.ancestors
                            if head.i < a.i <= ent.root.i or a == head)
            ):
                person = self._person(ent.root, para)
                if person.name:
                    return person
        return None

    def _apposed_person(self, head: Token, para: int) -> Entity | None:
        """A person's name in apposition anywhere in the description, reached from it through
        prepositions, compounds, adjectives and appositions only."""
        for token in head.subtree:
            if token.dep_ != "appos" or not (
                self._is_person(token, para)
                or token.pos_ == "PROPN" and token.ent_type_ not in ("GPE", "LOC", "NORP", "FAC")
                and (self.article.ent_of(token, para) is not None or _set_off(token))
            ):
                continue
            node = token.head
            while node != head and node.dep_ in ("pobj", "prep", "compound", "amod", "appos"):
                node = node.head
            if node == head:
                person = self._person(token, para)
                if person.name:
                    return person
        return None

    def _named_inside(self, head: Token, para: int) -> Entity | None:
        for token in head.subtree:
            if token == head or token.pos_ != "PROPN" or token.dep_ == "compound":
                continue
            node, named = token, False
            while node != head and node.dep_ in _NAMING_DEPS:
                if node.dep_ == "prep" and node.lower_ != "as":
                    break
                named = named or node.lemma_ == "name" or node.lower_ == "as"
                node = node.head
            if node == head and (named or self._is_person(token, para)):
                person = self._person(token, para)
                if person.name is None:
                    continue
                gender = person.gender or gender_of(head)
                return Entity(person.name, "person", gender, False)
        return None

    def _description(self, head: Token, para: int) -> Entity:
        """Resolve "the ministry", "the regional governor", "the Valdorian leader", "the
        source" to the one entity the article gave that description; nobody when it gave none
        or several."""
        lemma = head.lemma_.lower()
        modifiers = [c for c in head.lefts if c.dep_ in ("amod", "compound", "nmod", "poss")]
        mods = frozenset(c.lemma_.lower() for c in modifiers)
        nations = frozenset(c.lemma_.lower() for c in modifiers if c.ent_type_ in _NATIONS)
        here = (para, head.i)
        plural = head.tag_ == "NNS"
        if lemma in ROLE_NOUNS:
            heads = ROLE_SYNONYMS.get(lemma, frozenset({lemma}))
            people = {
                e.name: e
                for h, words, e, known in self.roles
                if (h in heads or "prime" in heads and "prime" in words)
                # "the Kestrian president" fits "President Viktor Arland", whose nationality
                # the article left unsaid, but never "Lunmark President Lev Sorensen"
                and (_mods_fit(mods, words) or not known and _mods_fit(mods - nations, words))
            }
            if len(people) == 1:
                return next(iter(people.values()))
            if people:
                return _NOBODY
            anonymous = self._anonymous(lemma, here)  # "a local administrator told Nordpress" …
            if anonymous.name:
                return anonymous
            return self._named_next(para)
        named = {
            e.name: e
            for pos, words, e in self.named_nps.get(lemma, ())
            if mods <= words and pos < here and e.plural == plural
        }
        if len(named) == 1:
            return next(iter(named.values()))
        if named:
            return _NOBODY
        if lemma in EPITHET_NOUNS or "former" in mods:
            return self._pronoun("", here)
        if lemma in INSTITUTION_NOUNS and lemma not in GENERIC_INSTITUTIONS:
            return Entity(institution_name(head), "org", None, plural)
        if self.described.get(lemma) or plural:
            return self._anonymous(lemma, here)
        if lemma in PERSON_NOUNS:
            # "the soldier told Nordpress" after "a mortar operator …, Shpak, said": the person the
            # passage is about, by the same rules as "he"
            pronoun = {"m": "he", "f": "she"}.get(gender_of(head) or "", "")
            return self._pronoun(pronoun, here)
        if lemma in GENERIC_INSTITUTIONS:
            # "a CDTO official said the alliance believed …", "… at KIMO's headquarters, the
            # mission said": the one organisation the sentence named before
            own = {t.i for t in head.subtree}
            orgs = {
                e.text
                for e in head.sent.ents
                if e.label_ == "ORG"
                and e.end <= head.i
                and e.root.i not in own
                and not self.article.quoted(e.root, para)
                and not self._known_surname(e.text)
                and not (e.root.dep_ == "appos" and e.root.head.ent_type_ == "ORG")  # acronym
                and (
                    e.root.dep_ in ("compound", "poss", "nmod") and describes_person(e.root.head)
                    or e.root.dep_ == "pobj" and e.root.head.lower_ == "of"
                )
            }
            if len(orgs) == 1:
                ent = next(e for e in head.sent.ents if e.text in orgs)
                return Entity(_whole_name(ent), "org", None, False)
            found = self._pronoun("it", here)  # "the agency", "the ICA agency"
            words = {fold(w) for w in (found.name or "").split()}
            if found.name and all(fold(m) in words for m in mods):
                return found
        return _NOBODY

    def _named_next(self, para: int) -> Entity:
        """ "…, the province's acting governor said." then "Luka Dorin told …": a role the
        article never ties to a name, named as the next paragraph's reporting subject. Only a
        bare name with no role or description of its own qualifies."""
        if para + 1 >= len(self.article.docs):
            return _NOBODY
        doc = self.article.docs[para + 1]
        first = next(iter(doc.sents), None)
        if first is None:
            return _NOBODY
        root = first.root
        if root.lemma_.lower() not in CLAIM_VERBS:
            return _NOBODY
        subjects = [c for c in root.children if c.dep_ == "nsubj" and self._is_person(c, para + 1)]
        if len(subjects) != 1:
            return _NOBODY
        name = subjects[0]
        ent = self.article.ent_of(name, para + 1)
        described = any(
            c.dep_ in ("appos", "compound", "amod", "nmod", "poss")
            and (ent is None or c.i not in range(ent.start, ent.end))
            for c in name.children
        )
        if described:
            return _NOBODY
        person = self._person(name, para + 1)
        if person.name is None or any(e.name == person.name for _, _, e, _ in self.roles):
            return _NOBODY
        return person

    def _anonymous(self, lemma: str, here: Pos) -> Entity:
        """The one unnamed source described earlier with this noun ("a hospital source")."""
        described = {e.name: e for pos, e in self.described.get(lemma, ()) if pos < here}
        return next(iter(described.values())) if len(described) == 1 else _NOBODY

    # ---- pronouns ------------------------------------------------------------------------

    def _agrees(self, pronoun: str, mention: Mention) -> bool:
        entity = mention.entity
        if entity.name is None:
            return False
        if pronoun in PERSON_PRONOUNS or pronoun == "":
            wanted = PERSON_PRONOUNS.get(pronoun)
            gender = entity.gender or self.genders.get(entity.name)
            return (
                entity.kind == "person"
                and not entity.plural
                and (wanted is None or gender in (None, wanted))
            )
        if pronoun in THING_PRONOUNS:
            return entity.kind in ("org", "place") and not entity.plural
        if pronoun in PLURAL_PRONOUNS:
            return entity.plural and mention.level > 0 and entity.kind in ("person", "org")
        return False

    def _pronoun(self, pronoun: str, pos: Pos) -> Entity:
        """The antecedent of a pronoun by salience: the most recent sentence with an agreeing
        candidate decides; in it a main-clause subject outranks a name inside reported speech
        or a relative clause. Two candidates of equal rank: nobody."""
        if (
            pronoun not in PERSON_PRONOUNS
            and pronoun not in THING_PRONOUNS
            and pronoun not in (PLURAL_PRONOUNS | {""})
        ):
            return _NOBODY
        para = pos[0]
        # this paragraph's sentences, the last quote's speaker, then the previous paragraph
        sentences = self._sentences_before(para, pos)
        last_speaker = self.speaker_before(pos)
        if last_speaker is not None and last_speaker[0][0] >= para - 1:
            sentences.append([Mention((last_speaker[0][0], -1), last_speaker[1], True, 2, -1)])
        if para > 0:
            sentences += self._sentences_before(para - 1, pos)
        for sentence in sentences:
            agreeing = [m for m in sentence if self._agrees(pronoun, m)]
            if not agreeing:
                continue
            chosen = _most_salient(agreeing)
            if chosen is None:
                return _NOBODY
            entity = chosen.entity
            wanted = PERSON_PRONOUNS.get(pronoun)
            if wanted and entity.kind == "person" and entity.name:
                self.genders.setdefault(entity.name, wanted)
                return Entity(entity.name, entity.kind, wanted, False)
            return entity
        return _NOBODY

    def _sentences_before(self, para: int, pos: Pos) -> list[list[Mention]]:
        """Paragraph `para`'s mentions before `pos`, grouped by sentence, most recent first."""
        by_sentence: dict[int, list[Mention]] = {}
        for mention in self.mentions[para]:
            if mention.pos < pos:
                by_sentence.setdefault(mention.sentence, []).append(mention)
        return [by_sentence[k] for k in sorted(by_sentence, reverse=True)]

    # ---- subjects and mentions -------------------------------------------------------------

    def subject(self, verb: Token, para: int) -> Token | None:
        """The subject of a speech or claim verb: its own, the passive one of "was quoted as
        saying", the noun a reduced relative modifies ("Lunmark, calling for …"), or the one
        borrowed from the verb that governs "…, adding" and "… and promised"."""
        quoted = self.article.quoted
        node = verb
        for _ in range(6):
            inside = quoted(node, para) and node != verb
            found = self._own_subject(node, inside, para)
            if found is not None:
                return found
            if node.head == node:
                break
            if node.dep_ == "acl" and node.head.pos_ in ("NOUN", "PROPN"):
                return node.head
            if node.dep_ == "pcomp" and node.head.lower_ == "as":
                node = node.head.head  # "was quoted … as saying"
                continue
            if node.dep_ == "conj" and node == verb:
                tail = _tail_subject(verb)
                if tail is not None:
                    return tail  # "… killed 8 civilians, a spokeswoman for X told Nordpress"
            if not (inside or node.dep_ in ("advcl", "conj", "xcomp", "pcomp")):
                break
            if node.head.pos_ not in ("VERB", "AUX"):
                break
            node = _governing_verb(node)
        return self._subject_before(verb, para)

    def _own_subject(self, node: Token, inside: bool, para: int) -> Token | None:
        """The unquoted subject of `node` nearest to it (a passive one only for "quote"); none
        once the climb from the speech verb has entered a quote (`inside`)."""
        quoted = self.article.quoted
        subjects = [
            c
            for c in node.children
            if not inside
            and not quoted(c, para)
            and (c.dep_ == "nsubj" or c.dep_ == "nsubjpass" and node.lemma_ == "quote")
        ]
        if subjects:
            return min(subjects, key=lambda c: abs(c.i - node.i))
        return None

    def _subject_before(self, verb: Token, para: int) -> Token | None:
        """A parse that left the speech verb without a subject: the phrase or name before it."""
        quoted = self.article.quoted
        tail = _tail_subject(verb)
        if tail is not None and not quoted(tail, para):
            return tail
        i = verb.i - 1
        doc = verb.doc
        while i >= verb.sent.start and doc[i].is_punct and not quoted(doc[i], para):
            i -= 1
        if i >= verb.sent.start and not quoted(doc[i], para):
            ent = self.article.ent_of(doc[i], para)
            if (
                ent is not None
                and ent.label_ == ENT_PERSON
                and ent.root.dep_ not in ("pobj", "dobj", "poss")
            ):
                return ent.root
        return None

    def add_mentions(self, para: int) -> None:
        """Record the subjects and named people of paragraph `para` in order, with their rank,
        resolving pronouns as they come."""
        doc = self.article.docs[para]
        quoted = self.article.quoted
        found: dict[int, tuple[Token, bool]] = {}
        for token in doc:
            if quoted(token, para):
                continue
            if token.dep_ in ("nsubj", "nsubjpass") and token.lower_ not in _RELATIVES | {
                "there",
                "what",
            }:
                claim = token.dep_ == "nsubj" and token.head.lemma_.lower() in CLAIM_VERBS
                found.setdefault(token.i, (token, claim))
            elif token.lemma_.lower() in CLAIM_VERBS and token.pos_ == "VERB":
                subject = self.subject(token, para)
                if subject is not None and subject.i < token.i:
                    found[subject.i] = (subject, True)
        for ent in doc.ents:
            if ent.label_ == ENT_PERSON and not quoted(ent.root, para):
                found.setdefault(ent.root.i, (ent.root, False))
        for i in sorted(found):
            token, claim = found[i]
            if token.pos_ not in ("NOUN", "PROPN", "PRON"):
                continue
            level = _level(token, claim)
            mention = Mention(
                (para, token.i), self.entity(token, para), claim, level, token.sent.start,
                token.head.i,
            )
            self.mentions[para].append(mention)
            self._mention_at[mention.pos] = mention

    def speaker(self, verb: Token, para: int) -> Entity:
        """Who the speech verb's subject names (the empty entity when unsure)."""
        subject = self.subject(verb, para)
        if subject is None:
            return _NOBODY
        return self.entity(subject, para)

    def note_speaker(self, pos: Pos, entity: Entity) -> None:
        if entity.name:
            self.speakers.append((pos, entity))

    def speaker_before(self, pos: Pos) -> tuple[Pos, Entity] | None:
        """The speaker of the last quote before `pos`."""
        earlier = [s for s in self.speakers if s[0] < pos]
        return earlier[-1] if earlier else None
