"""Key figures: counted people, troop losses, distances and aid, with what is counted, where and
who claims it.

A number becomes a figure only when the parse ties it to something counted (a kind trigger such as
"killed" or "fled", a distance unit, aid); dates, times, ages, shares, ranks, labels, totals and
damage counts are dropped on the way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from briefings.extract import series
from briefings.extract.article import Article
from briefings.extract.numbers import Amount, parse_amount
from briefings.extract.places import PlaceFinder
from briefings.extract.quotes import QuoteFinder
from briefings.extract.rules import (
    ADDING_WORDS,
    ADDRESSEES,
    AID_ITEM_NOUNS,
    AID_NOUNS,
    CLAIM_VERBS,
    CURRENCIES,
    CURRENCY_NOUNS,
    DISTANCE_UNITS,
    ENT_NOT_FIGURES,
    EQUIPMENT_NOUNS,
    EXCLUDED_UNITS,
    GROUP_VERBS,
    KIND_TRIGGERS,
    KIND_WORDS,
    LOSS_NOUNS,
    OBJECT_TRIGGERS,
    PERSON_NOUNS,
    PERSON_ONLY_TRIGGERS,
    QUALIFIERS,
    SCALES,
    SPEECH_VERBS,
    SUBSET_PREPS,
    TOLL_NOUNS,
    TOLL_VERBS,
    TROOP_NOUNS,
    VAGUE_WORDS,
    VEHICLE_NOUNS,
)
from briefings.extract.speakers import Resolver, np_tokens
from briefings.models import Figure
from briefings.topics import Topics

_PHONE = re.compile(r"0\d{5,}$|\d{7,}$")
_YEAR = re.compile(r"(1[89]|20)\d\d$")
_QUALIFIER_WORDS = sorted(
    ((tuple(written.split()), normal) for written, normal in QUALIFIERS), key=lambda q: -len(q[0])
)
_NOUN_MODIFIERS = frozenset({"amod", "compound", "nmod", "npadvmod"})


@dataclass(slots=True)
class _Count:
    """What a number counts, as the parse shows it."""

    kind: str
    noun: Token | None
    trigger: Token | None
    side: str | None = None  # "Kestrian" in "6,500 Kestrian dead", "the Kestrian toll ... 12,000"


def _numeric(token: Token) -> bool:
    if token.lower_ in VAGUE_WORDS:
        return True
    if not token.like_num:
        return False
    return token.text[0].isdigit() or token.pos_ == "NUM" or token.tag_ == "CD"


def number_spans(doc: Doc) -> list[Span]:
    """Maximal written amounts: qualifier, currency, number, scale, range."""
    spans: list[Span] = []
    i, n = 0, len(doc)
    while i < n:
        if not _numeric(doc[i]):
            i += 1
            continue
        start, end = i, i + 1
        while end < n:
            token = doc[end]
            nxt = doc[end + 1] if end + 1 < n else None
            if _numeric(token) or token.lower_ in SCALES:
                end += 1
            elif token.lower_ == "of" and nxt is not None and nxt.lower_ in VAGUE_WORDS:
                end += 2
            elif nxt is not None and _numeric(nxt) and _range_joint(doc, start, token):
                end += 2
            elif token.text in CURRENCIES and token.i > start:
                end += 1
            elif (
                token.text == "-"
                and not doc[end - 1].whitespace_
                and nxt is not None
                and nxt.lower_ in SCALES
            ):
                end += 2  # "a 2.4-billion-euro package"
            else:
                break
        ranged = any(t.lower_ in ("and", "to", "or", "-", "–", "—") for t in doc[start:end])
        if ranged and start > 0 and doc[start - 1].lower_ in ("between", "from"):
            start -= 1
        if start > 0 and doc[start - 1].text in CURRENCIES:
            start -= 1
        for words, _ in _QUALIFIER_WORDS:
            k = len(words)
            if start >= k and tuple(t.lower_ for t in doc[start - k : start]) == words:
                start -= k
                break
        spans.append(doc[start:end])
        i = end
    return spans


def _range_joint(doc: Doc, start: int, joint: Token) -> bool:
    before = doc[start - 1].lower_ if start > 0 else ""
    if joint.text in ("-", "–", "—"):
        return True
    if joint.lower_ == "and":
        return before == "between"
    if joint.lower_ in ("to", "or"):
        return before != "from"
    return False


def _number_head(span: Span) -> Token:
    """The token that attaches the amount to the sentence."""
    for token in span:
        if not (span.start <= token.head.i < span.end) or token.head == token:
            if token.like_num or token.lower_ in SCALES or token.lower_ in VAGUE_WORDS:
                return token
    numbers = [t for t in span if _numeric(t) or t.lower_ in SCALES]
    return numbers[-1] if numbers else span[-1]


def excluded(span: Span, head: Token) -> bool:
    """Years, dates, times, ages, shares, ranks, labels, phone numbers, totals, hyphenated
    compounds ("47-year-old", "12-storey")."""
    doc = span.doc
    digits = [t for t in span if t.like_num]
    if any(t.ent_type_ in ENT_NOT_FIGURES and _looks_temporal(t) for t in digits):
        return True
    for token in digits:
        text = token.text
        if ":" in text or _PHONE.match(text.replace(",", "")) and "," not in text:
            return True
        if _YEAR.match(text) and len(span) == 1:
            return True
    after = doc[span.end] if span.end < len(doc) else None
    if after is not None:
        if after.text in ("-", "–") and not span[-1].whitespace_ and not _hyphen_currency(span):
            return True
        if after.lemma_.lower() in EXCLUDED_UNITS or after.lower_ in EXCLUDED_UNITS:
            return True
    before = doc[span.start - 1] if span.start > 0 else None
    if before is not None and before.pos_ in ("PROPN", "NOUN") and head.head == before:
        return True  # "Article 14", "Gate 9"
    if head.dep_ == "appos" and head.head.ent_type_ == "PERSON":
        return True  # "Vira, 63"
    if head.dep_ == "pobj" and head.head.lower_ == "of" and head.head.head.like_num:
        return True  # "40,000 of its roughly 95,000 residents": a total
    k = span.start - 1
    if k >= 0 and doc[k].tag_ == "PRP$" or k >= 0 and doc[k].lower_ == "the":
        k -= 1
    if k >= 1 and doc[k].lower_ == "of" and _numeric(doc[k - 1]):
        return True  # the same, when the parse lost the "of"
    return False


class FigureFinder:
    """Finds the key figures of an article once its quotes are attributed."""

    def __init__(
        self, article: Article, resolver: Resolver, quotes: QuoteFinder, topics: Topics
    ) -> None:
        self.article = article
        self.resolver = resolver
        self.quotes = quotes
        self.topics = topics
        self.places = PlaceFinder(article, topics)
        # the nationality words the article uses ("Kestrian"), for the side of "its soldiers"
        self._reporting: dict[tuple[int, int], tuple[set[int], list[set[int]]]] = {}
        self._nationalities = {
            ent.text for doc in article.docs for ent in doc.ents if ent.label_ == "NORP"
        }

    def find(self) -> list[Figure]:
        return [figure for figure, _ in self.find_with_positions()]

    def find_with_positions(self) -> list[tuple[Figure, tuple[int, int]]]:
        """Figures with where their number starts (paragraph, token)."""
        figures: list[tuple[Figure, tuple[int, int]]] = []
        seen: set[tuple] = set()
        for para, doc in enumerate(self.article.docs):
            previous: dict[int, tuple[_Count, Token]] = {}
            for span in number_spans(doc):
                figure = self._figure(para, doc, span, previous)
                if figure is None:
                    continue
                key = (figure.value, figure.low, figure.high, figure.kind, figure.what,
                       figure.claimant)
                if figure.value is not None and key in seen:
                    continue
                seen.add(key)
                figures.append((figure, (para, span.start)))
        return figures

    def _figure(
        self, para: int, doc: Doc, span: Span, previous: dict[int, tuple[_Count, Token]]
    ) -> Figure | None:
        head = _number_head(span)
        if excluded(span, head):
            return None
        amount = parse_amount(span.text)
        if amount is None:
            return None
        noun = self._counted_noun(head)
        count = self._count(head, noun, amount, previous.get(head.sent.start))
        if count is None:
            return None
        previous[head.sent.start] = (count, head)
        claimant = None if count.kind == "distance" else self._claimant(para, head)
        return Figure(
            value=amount.value,
            low=amount.low,
            high=amount.high,
            approx=amount.approx,
            what=self._what(count, amount),
            kind=count.kind,
            where=self.places.where(para, head, count.kind, self._reporters(para, head)),
            claimant=claimant,
            sentence=head.sent.text.strip(),
            words=span.text,
            whose=self._whose(count, claimant),
            scope=None if count.kind in ("distance", "aid_money", "aid_items") else series.scope(
                head
            ),
            earlier=series.earlier(head),
        )

    def _whose(self, count: _Count, claimant: str | None) -> str | None:
        if count.kind in ("distance", "aid_money", "aid_items"):
            return None
        owner = None
        if claimant:
            owner = series.demonym(claimant.split("'")[0].split("’")[0], self._nationalities)
        return series.whose(count.noun, count.side, owner)

    # ---- what is counted -------------------------------------------------------------------

    @staticmethod
    def _counted_noun(head: Token) -> Token | None:
        if head.dep_ in ("nummod", "quantmod", "amod", "compound") and head.head.pos_ in (
            "NOUN",
            "PROPN",
        ):
            return head.head
        for child in head.children:
            if child.dep_ == "prep" and child.lower_ == "of":
                objects = [c for c in child.children if c.dep_ == "pobj"]
                if objects and (
                    objects[0].pos_ in ("NOUN", "PROPN")
                    or objects[0].lemma_.lower() in KIND_TRIGGERS  # "scores of injured"
                ):
                    return objects[0]
                return None
        if head.pos_ == "NOUN" and head.lower_ not in VAGUE_WORDS and not head.like_num:
            return head
        return None

    def _count(
        self,
        head: Token,
        noun: Token | None,
        amount: Amount,
        earlier: tuple[_Count, Token] | None,
    ) -> _Count | None:
        """What the number at `head` counts: aid money, a distance, what its trigger says, or
        (with no trigger) what the count before it in the sentence counts."""
        lemma = noun.lemma_.lower() if noun is not None else ""
        if amount.currency or lemma in CURRENCY_NOUNS or _hyphen_currency(head.doc[
                head.i : head.i + 1]):
            return _money_count(head, noun)
        if lemma in DISTANCE_UNITS:
            return _Count("distance", noun, None)
        trigger = self._trigger(head, noun)
        if _part_of_total(head, noun):
            return None  # "40,000 of its roughly 95,000 residents": a total
        if trigger is None:
            return self._carried_count(head, noun, amount, earlier)
        return _triggered_count(head, noun, trigger, earlier)

    def _carried_count(
        self,
        head: Token,
        noun: Token | None,
        amount: Amount,
        earlier: tuple[_Count, Token] | None,
    ) -> _Count | None:
        """A number with no trigger and no noun of its own counts what the count before it
        counts, when it is a share, a part or a past value of that count; otherwise nothing."""
        # "..., over 2.1 million of them to Lunmark": a share of the figure before it
        elided = noun is None or noun.pos_ == "PRON"
        verb = next((a for a in head.ancestors if a.pos_ == "VERB"), None)
        bare = verb is None or verb.lemma_.lower() in CLAIM_VERBS
        if elided and bare and earlier and self._of_them(head) and amount.value != 1:
            return _Count(earlier[0].kind, earlier[0].noun, earlier[0].trigger)
        # "…, including 212 since the truce", "up from 870 a day earlier": a part or
        # a past value of the count before it
        if elided and earlier and (_subset(head) or series.earlier(head)):
            return _Count(earlier[0].kind, earlier[0].noun, earlier[0].trigger,
                          earlier[0].side)
        return None

    @staticmethod
    def _of_them(head: Token) -> bool:
        return any(
            c.dep_ == "prep" and c.lower_ == "of" and any(g.pos_ == "PRON" for g in c.children)
            for c in head.children
        )

    @classmethod
    def _trigger(cls, head: Token, noun: Token | None) -> Token | None:
        """The kind trigger that says what the number counts, from the most specific reading of
        the parse to the loosest; None when nothing does."""
        found = _package_trigger(noun)
        if found is not None:
            return found
        found = cls._including_trigger(noun)
        if found is not None:
            return found
        top = noun if noun is not None else head
        found = _group_trigger(top) or cls._parse_trigger(head, noun)
        if found is not None:
            return found
        # Misparsed attachments: "<noun> had been killed", "the death toll ... rose to 21".
        found = _next_verb_trigger(top)
        if found is not None:
            return found
        return _toll_trigger(head)

    @classmethod
    def _including_trigger(cls, noun: Token | None) -> Token | None:
        """ "14 people, including three children": the part is counted as the group is."""
        if (
            noun is not None
            and noun.dep_ == "pobj"
            and noun.head.lower_ in SUBSET_PREPS
            and noun.head.head.pos_ in ("NOUN", "PROPN")
        ):
            group = noun.head.head
            return cls._parse_trigger(group, group)
        return None

    @staticmethod
    def _parse_trigger(head: Token, noun: Token | None) -> Token | None:
        """The trigger the parse ties to the number: a modifier of the number or its noun, the
        noun itself, the word the counted phrase hangs on by "of", or one up to the verb."""
        found = _modifier_trigger(head, noun)
        if found is not None:
            return found
        if _hit(noun):
            return noun
        top = noun if noun is not None and noun.i != head.i else head
        if top.head.lower_ == "of" and _hit(top.head.head):
            return top.head.head
        return _clause_trigger(top)

    def _what(self, count: _Count, amount: Amount) -> str:
        noun = count.noun
        if count.kind == "distance" and noun is not None:
            return " ".join(t.text for t in noun.subtree if t.i >= noun.i)
        if count.kind == "aid_money":
            return "aid" if noun is None else _money_phrase(noun)
        if count.side and (noun is None or noun.lemma_.lower() in TOLL_NOUNS):
            return f"{count.side} {'wounded' if count.kind.endswith('wounded') else 'dead'}"
        words = _phrase(noun, skip_numbers=True) if noun is not None else "people"
        if count.kind.startswith("aid"):
            return words
        inside = noun is not None and count.trigger is not None and count.trigger.head == noun
        if count.trigger is not None and count.trigger != noun and not inside:
            base = count.kind.removeprefix("troops_")
            words = f"{words} {KIND_WORDS.get(base, count.trigger.text)}"
        return words.strip()

    # ---- where and who ---------------------------------------------------------------------

    def _claimant(self, para: int, head: Token) -> str | None:
        region = self.article.region_of(head, para)
        if region is not None:
            speaker = self.quotes.speaker_of.get(region.index)
            return speaker.name if speaker is not None else None
        agent = self._reported_by(head, para)
        if agent is not None:
            return agent
        node = head
        while True:
            for child in node.children:
                name = self._according_to(child, para)
                if name:
                    return name
            tails = [
                c
                for c in node.children
                if c.dep_ == "parataxis"
                or c.dep_ == "conj"
                and c.i > head.i
                and c.lemma_.lower() in SPEECH_VERBS
                and self._attribution_tail(c)
            ]
            for verb in (node, *tails):
                if verb.lemma_.lower() in CLAIM_VERBS and verb.pos_ == "VERB":
                    entity = self.resolver.speaker(verb, para)
                    if entity.name:
                        return entity.name
            if node.head == node:
                break
            node = node.head
        for token in head.sent:
            name = self._according_to(token, para)
            if name:
                return name
        return self._closing_tail(head, para)

    def _closing_tail(self, head: Token, para: int) -> str | None:
        """ "…, the rebels' Ridge Radio reported.": the sentence ends with who
        reports it, whatever the parse hung that clause on."""
        sent = head.sent
        verbs = [
            t
            for t in sent
            if t.pos_ == "VERB"
            and t.lemma_.lower() in CLAIM_VERBS
            and t.i > head.i
            and not self.article.quoted(t, para)
        ]
        if not verbs:
            return None
        verb = verbs[-1]
        after = [t for t in sent[verb.i - sent.start + 1 :] if not t.is_punct]
        if len(after) > 6 or any(t.pos_ == "VERB" for t in after):
            return None  # not the sentence's closing attribution
        subject = self.resolver.subject(verb, para)
        if subject is None or subject.i < head.i:
            return None
        first = min(t.i for t in subject.subtree)
        if first == 0 or sent.doc[first - 1].text != ",":
            return None
        entity = self.resolver.entity(subject, para)
        return entity.name if entity.kind in ("person", "org", "place") else None

    def _reported_by(self, head: Token, para: int) -> str | None:
        """ "up from 23 reported by local media": a count with its own reporter."""
        for verb in head.children:
            if verb.dep_ in ("acl", "relcl") and verb.lemma_.lower() in CLAIM_VERBS:
                for prep in verb.children:
                    if prep.dep_ == "agent" or prep.dep_ == "prep" and prep.lower_ == "by":
                        for obj in prep.children:
                            if obj.dep_ == "pobj":
                                return self.resolver.entity(obj, para).name
        return None

    def _reporters(self, para: int, head: Token) -> set[int]:
        """Tokens of the sentence that name who reports (subjects of claim verbs, "according
        to …"), with their seats ("the Lunmark embassy in Ostrovel")."""
        key = (para, head.sent.start)
        if key not in self._reporting:  # once per sentence, however many figures it holds
            according: set[int] = set()
            subjects: list[set[int]] = []
            for token in head.sent:
                if token.lower_ == "according" and not self.article.quoted(token, para):
                    according |= {t.i for t in token.subtree}
                elif token.pos_ == "VERB" and token.lemma_.lower() in CLAIM_VERBS:
                    subject = self.resolver.subject(token, para)
                    if subject is not None:
                        subjects.append({t.i for t in subject.subtree})
            self._reporting[key] = (according, subjects)
        according, subjects = self._reporting[key]
        tokens = set(according)
        for subject in subjects:
            if head.i not in subject:
                tokens |= subject
        return tokens

    @staticmethod
    def _attribution_tail(verb: Token) -> bool:
        """A speech verb the parse joined to the clause before it, but which attributes it:
        "… killed seven people …, the governor said in an interview".
        """
        subjects = [c for c in verb.children if c.dep_ == "nsubj"]
        if not subjects:
            return False
        first = min(t.i for t in max(subjects, key=lambda c: c.i).subtree)
        doc = verb.doc
        return (
            first > 0
            and doc[first - 1].text == ","
            and not any(
                c.dep_ == "ccomp" or c.dep_ == "dobj" and not _addressee(c)
                for c in verb.children
            )
        )

    def _according_to(self, token: Token, para: int) -> str | None:
        if token.lower_ != "according" or self.article.quoted(token, para):
            return None
        for prep in token.children:
            for obj in prep.children:
                if obj.dep_ == "pobj":
                    return self.resolver.entity(obj, para).name
        return None


PERSONAL_POSSESSIVES = frozenset({"his", "her", "my", "our", "your"})


def _actors(counted: Token, trigger: Token) -> bool:
    """Whether the counted people are who did the act rather than who suffered it."""
    objects = [c for c in trigger.children if c.dep_ == "dobj"]
    subject = counted.dep_ == "nsubj" and counted.head == trigger or (
        trigger.dep_ == "relcl"
        and trigger.head == counted
        and any(c.dep_ == "nsubj" and c.lower_ in ("who", "that") for c in trigger.children)
    )
    return (
        trigger.lemma_.lower() in OBJECT_TRIGGERS
        and trigger.pos_ == "VERB"
        and subject
        # "three men who lost relatives", never "140 wounded" or "9 lost their lives"
        and any(o.lemma_.lower() not in ("life", "live") for o in objects)
    )


_MONTHS = frozenset(
    {"january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
     "sept", "oct", "nov", "dec"}
)


def _looks_temporal(number: Token) -> bool:
    """Whether a number the model tagged as a date or time reads as one ("May 9", "six
    weeks", "16:00", "2019"), not a count the tagger swept into a date ("at 615 earlier in the
    week")."""
    if number.ent_type_ in ("PERCENT", "ORDINAL"):
        return True
    doc = number.doc
    neighbours = [doc[i] for i in (number.i - 1, number.i + 1) if 0 <= i < len(doc)]
    if _YEAR.match(number.text):
        return True
    return any(
        t.lower_ in _MONTHS or t.lemma_.lower() in EXCLUDED_UNITS or t.lower_ in EXCLUDED_UNITS
        or t.text == "-"
        for t in neighbours
    )


def _hyphen_currency(span: Span) -> bool:
    """ "2.4-billion-euro": an amount joined by hyphens to its currency."""
    doc = span.doc
    i = span.end
    while i + 1 < len(doc) and doc[i].text == "-" and not doc[i - 1].whitespace_:
        if doc[i + 1].lemma_.lower() in CURRENCY_NOUNS or doc[i + 1].lower_ in CURRENCIES:
            return True
        i += 2
    return False


def _subset(head: Token) -> bool:
    """ "…, including 212 since the truce": a part of the count before it."""
    return head.dep_ == "pobj" and head.head.lower_ in SUBSET_PREPS


# ---- what a number counts: helpers of FigureFinder._count ------------------------------------


def _money_count(head: Token, noun: Token | None) -> _Count | None:
    """An amount of money is a figure only as aid: in a sentence that speaks of aid."""
    sentence = {t.lemma_.lower() for t in head.sent}
    aid = sentence & (AID_NOUNS | AID_ITEM_NOUNS) or any(
        KIND_TRIGGERS.get(word) == "aid" for word in sentence
    )
    return _Count("aid_money", noun, None) if aid else None


def _part_of_total(head: Token, noun: Token | None) -> bool:
    """ "40,000 of its roughly 95,000 residents": the counted noun hangs on another number, the
    total this one is part of."""
    owner = noun.head.head if noun is not None and noun.dep_ == "pobj" else None
    return owner is not None and owner.like_num and owner != head and owner.head != head


def _triggered_count(
    head: Token, noun: Token | None, trigger: Token, earlier: tuple[_Count, Token] | None
) -> _Count | None:
    """The count a trigger makes, unless the counted are the actors, a family or a deployment.
    A number with no noun of its own (and not an object) counts the noun of the count before."""
    if _actors(noun or head, trigger):
        return None
    if noun is not None and any(
        c.dep_ == "poss" and c.lower_ in PERSONAL_POSSESSIVES for c in noun.children
    ):
        return None  # "fled with her six children": a family, not a toll
    lemma = noun.lemma_.lower() if noun is not None else ""
    kind = KIND_TRIGGERS[trigger.lemma_.lower()]
    if kind in ("remaining", "arrived", "waiting") and lemma in TROOP_NOUNS:
        return None  # "the mission's 6,000 troops would remain": a deployment
    if noun is None and earlier is not None and head.dep_ != "dobj":
        noun = earlier[0].noun
        lemma = noun.lemma_.lower() if noun is not None else ""
    return _count_of_kind(head, noun, lemma, kind, trigger)


def _count_of_kind(
    head: Token, noun: Token | None, lemma: str, kind: str, trigger: Token
) -> _Count | None:
    """Aid items, things (equipment, vehicles) or people, by what the counted noun is."""
    person = lemma in PERSON_NOUNS or (noun is not None and noun.ent_type_ == "NORP")
    if kind == "aid":
        return _Count("aid_items", noun, trigger) if lemma in AID_ITEM_NOUNS else None
    if noun is not None and not person and noun != trigger:
        return _thing_count(noun, lemma, kind, trigger)
    return _people_count(head, noun, lemma, kind, trigger, person)


def _thing_count(noun: Token, lemma: str, kind: str, trigger: Token) -> _Count | None:
    """A counted noun that is no person: destroyed equipment or vehicles, else no figure."""
    if kind == "killed" and lemma in EQUIPMENT_NOUNS:
        return _Count("equipment_destroyed", noun, trigger)
    if lemma in VEHICLE_NOUNS and kind in ("fled", "evacuated", "waiting", "arrived"):
        return _Count("vehicles", noun, trigger)  # "900 cars left": not people
    return None


def _people_count(
    head: Token, noun: Token | None, lemma: str, kind: str, trigger: Token, person: bool
) -> _Count | None:
    """A count of people; the dead and wounded of one side (or troops) are troop losses."""
    if trigger.lemma_.lower() in PERSON_ONLY_TRIGGERS and not person:
        return None
    side = None
    if kind in ("killed", "wounded") and (noun is None or lemma in TOLL_NOUNS):
        # No counted noun of its own: the dead of one side are that side's losses.
        side = _side(head, noun)
    if (lemma in TROOP_NOUNS or side) and kind in ("killed", "wounded"):
        kind = f"troops_{kind}"
    return _Count(kind, noun, trigger, side)


# ---- triggers: helpers of FigureFinder._trigger and _parse_trigger ---------------------------


def _package_trigger(noun: Token | None) -> Token | None:
    """ "announced a package …, including three mobile radars": the items of an aid package,
    triggered by the "including" that lists them."""
    member = noun
    while member is not None and member.dep_ == "conj" and member.head != member:
        member = member.head  # "including three batteries and 250,000 shells"
    if (member is not None and member.dep_ == "pobj" and member.head.lower_ in SUBSET_PREPS
            and member.head.lemma_.lower() in KIND_TRIGGERS):  # "including" lists; "among" not
        owner = member.head.head
        packages = [owner, *(c for c in owner.children if c.dep_ == "dobj")]
        if any(p.lemma_.lower() in AID_NOUNS for p in packages):
            return member.head
    return None


def _next_verb_trigger(top: Token) -> Token | None:
    """ "<noun> had been killed" misparsed: a trigger verb right after the counted phrase, past
    auxiliaries, adverbs and particles (but not "to")."""
    doc = top.doc
    i = top.i + 1
    while i < len(doc) and doc[i].pos_ in ("AUX", "ADV", "PART") and doc[i].lower_ != "to":
        i += 1
    if i < len(doc) and doc[i].pos_ == "VERB" and _hit(doc[i]):
        return doc[i]
    return None


def _toll_verb(head: Token) -> Token:
    """The verb the number hangs on, or a toll verb ("rose", "brought") just above it."""
    verb = head.head.head if head.dep_ == "pobj" else head.head
    if verb.lemma_.lower() not in TOLL_VERBS:
        # "bringing the number of deaths since the fighting began to 417": the parse may hang
        # the amount on a clause inside the toll's phrase
        verb = next((a for a in list(verb.ancestors)[:3] if a.lemma_.lower() in TOLL_VERBS),
                    verb)
    return verb


def _toll_trigger(head: Token) -> Token | None:
    """ "the death toll ... rose to 21": with a toll verb, the toll noun before it in the
    sentence, else the trigger inside the verb's object."""
    verb = _toll_verb(head)
    if verb.lemma_.lower() not in TOLL_VERBS:
        return None
    for token in head.doc[head.sent.start : verb.i]:
        if token.lemma_.lower() in TOLL_NOUNS:
            return token
    return _toll_object_trigger(head, verb)


def _toll_object_trigger(head: Token, verb: Token) -> Token | None:
    """ "bringing the number of cold-related deaths to 417", "put the toll at 26": a toll noun,
    person noun, or verb or adjective trigger in the toll verb's object."""
    for obj in verb.children:
        if obj.dep_ == "dobj":
            for token in obj.subtree:
                if token.i != head.i and token.lemma_.lower() in KIND_TRIGGERS and (
                    token.lemma_.lower() in TOLL_NOUNS
                    or token.lemma_.lower() in PERSON_NOUNS
                    or token.pos_ in ("VERB", "ADJ")
                ):
                    return token
    return None


def _modifier_trigger(head: Token, noun: Token | None) -> Token | None:
    """A trigger that modifies the number or its noun (adjective, clause, adverb, apposition)."""
    own = [c for t in (head, noun) if t is not None for c in t.children]
    for child in own:
        if child.dep_ in ("amod", "acl", "relcl", "advmod", "appos") and _hit(child):
            return child
    return None


def _clause_trigger(top: Token) -> Token | None:
    """A trigger up to five steps above the counted phrase; the first verb ends the search."""
    node = top
    for _ in range(5):
        if node.head == node:
            break
        node = node.head
        if node.pos_ in ("VERB", "AUX"):
            found = _complement_trigger(node)
            if found is not None:
                return found
        if _hit(node):
            return node
        if node.pos_ in ("VERB", "AUX"):
            return _subject_trigger(node, top)
    return None


def _complement_trigger(verb: Token) -> Token | None:
    """ "stayed displaced", "were listed as refugees", "brought in with burns": a trigger in
    the verb's complement, its "as" object or the injuries it came "with"."""
    for child in verb.children:
        if child.dep_ == "prep" and child.lower_ == "with":
            for obj in child.children:
                if obj.dep_ == "pobj" and obj.lemma_.lower() in (
                    "wound", "injury", "burn"
                ):
                    return obj
        if child.dep_ in ("xcomp", "acomp", "oprd") and _hit(child):
            return child
        if child.dep_ == "prep" and child.lower_ == "as":
            for obj in child.children:
                if _hit(obj):
                    return obj  # "recorded as missing", "counted as refugees"
    return None


def _subject_trigger(verb: Token, top: Token) -> Token | None:
    """A trigger noun in the subject of the verb above the counted phrase (when the subject is
    not that phrase); never with a claim verb, whose subject is who claims."""
    if verb.lemma_.lower() in CLAIM_VERBS:
        return None
    for child in verb.children:
        if child.dep_ in ("nsubj", "nsubjpass") and child != top:
            for t in np_tokens(child):
                if t.pos_ == "NOUN" and _hit(t):
                    return t
    return None


def _group_trigger(top: Token) -> Token | None:
    """A count that is part of a counted group: "the dead included 63 fighters", "38 children
    were among the dead", "112 members … and 140 fighters killed" (the trigger of a conjunct)."""
    while top.dep_ == "conj" and top.head != top:
        top = top.head  # "… included 63 fighters and 41 civilians": as its first conjunct
    verb = top.head
    if top.dep_ in ("dobj", "attr") and verb.lemma_.lower() in GROUP_VERBS:
        for subject in verb.children:
            if subject.dep_ in ("nsubj", "nsubjpass"):
                found = _hit(subject) or next(
                    (c for c in subject.children if c.dep_ in ("amod", "acl") and _hit(c)), None
                )
                if found is not None and found.lemma_.lower() not in PERSON_ONLY_TRIGGERS:
                    return found
    if top.dep_ in ("nsubj", "nsubjpass"):
        for prep in verb.children:
            if prep.dep_ == "prep" and prep.lower_ in SUBSET_PREPS:
                for obj in prep.children:
                    if obj.dep_ == "pobj" and _hit(obj):
                        return obj
    for conj in (*top.conjuncts,):
        for child in conj.children:
            if child.dep_ in ("acl", "amod") and _hit(child) and child.i > top.i:
                return child
    return None


def _addressee(token: Token) -> bool:
    """Who was told: "told Nordpress", "told reporters" (part of the cue, not what was said)."""
    return token.pos_ == "PROPN" or token.lemma_.lower() in ADDRESSEES


def _hit(token: Token | None) -> Token | None:
    if token is not None and token.lemma_.lower() in KIND_TRIGGERS and token.dep_ != "prep":
        return token  # "including" as a preposition counts nothing
    return None


def _money_phrase(noun: Token) -> str:
    """What money is for: "dollars in humanitarian aid", "new weapons package"."""
    words = [
        t
        for c in noun.lefts
        if c.dep_ in _NOUN_MODIFIERS and c.lower_ not in ADDING_WORDS
        for t in c.subtree
        if not (t.like_num or t.lower_ in SCALES or t.is_punct or t.text in CURRENCIES
                or t.lemma_.lower() in CURRENCY_NOUNS)
    ]
    if noun.lemma_.lower() in CURRENCY_NOUNS and noun.head.pos_ == "NOUN" and any(
        t.text == "-" for t in noun.doc[max(noun.i - 1, 0) : noun.i]
    ):
        return _money_phrase(noun.head)  # "a 2.4-billion-euro military aid package"
    words.append(noun)
    if noun.lemma_.lower() in CURRENCY_NOUNS or noun.lower_ == "worth":
        for child in noun.rights:
            if child.dep_ == "prep" and child.lower_ in ("in", "of", "for"):
                tail = list(child.subtree)
                if len(tail) <= 5:
                    words.extend(tail)
                break
    text = "".join(t.text_with_ws for t in sorted(words, key=lambda t: t.i)).strip()
    return text or "aid"


def _side(head: Token, noun: Token | None) -> str | None:
    """The nationality whose losses a bare count of dead is: "Kestrian dead", or a "Kestrian
    toll/losses" the sentence is about."""
    for token in (noun, head):
        if token is None:
            continue
        for child in token.children:
            if child.dep_ == "amod" and child.ent_type_ == "NORP":
                return child.text
    for token in head.sent:
        if token.lemma_.lower() in LOSS_NOUNS and token != noun:
            for child in token.children:
                if child.dep_ in ("amod", "compound") and child.ent_type_ == "NORP":
                    return child.text
    return None


def _phrase(noun: Token, *, skip_numbers: bool) -> str:
    words = [
        t
        for c in noun.lefts
        if c.dep_ in _NOUN_MODIFIERS
        for t in c.subtree
        if not (skip_numbers and (t.like_num or t.lower_ in SCALES or t.is_punct))
        or t.text == "-" and not t.whitespace_ and t.i > 0 and not t.doc[t.i - 1].whitespace_
        and not t.doc[t.i - 1].like_num
    ]
    words.append(noun)
    for child in noun.rights:
        if child.dep_ == "prep" and child.lower_ == "of" and len(list(child.subtree)) <= 3:
            words.extend(child.subtree)
    return "".join(t.text_with_ws for t in sorted(words, key=lambda t: t.i)).strip()
