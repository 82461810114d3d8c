"""Direct quotes: which quoted regions are quotes, their cue ("said", "told Nordpress") and
speaker.

The cue is looked for where news copy puts it: right after a quote that opens its sentence
(`"…," she told Nordpress`), before a quote inside a sentence (`tweeted: "…"`, `warned that
"…"`), or up the parse from an embedded quote. A quote with no cue of its own continues the
previous quote, or follows an attributing sentence (`…, she said. "…"`). Quoted words with no cue
inside a sentence are scare quotes or painted words, and quoted titles are titles: neither is a
quote.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from briefings.extract.article import Article, Region
from briefings.extract.rules import ADDRESSEES, CUE_CHANNELS, TITLE_CUES
from briefings.extract.speakers import Entity, Resolver

MIN_WORDS = 4
_WORD = re.compile(r"[\w’'-]+")
_SMALL_WORDS = frozenset({"of", "the", "and", "a", "an", "in", "on", "for", "to", "at", "with"})
_OPEN_ENDINGS = (",", "?", "!", "—", "–", "-", "…", "...", ":")
_SENTENCE_END = frozenset({".", "!", "?"})
_AFTER_WINDOW = 12  # tokens after a quote in which its cue may stand
AGENTS = frozenset({"person", "org", "place"})  # who can speak; never a thing or an event


@dataclass(frozen=True, slots=True)
class FoundQuote:
    region: Region
    speaker: Entity
    cue: str | None
    sentence: str


def word_count(text: str) -> int:
    return len(_WORD.findall(text))


def looks_like_title(text: str) -> bool:
    """Headline-style capitals with no closing punctuation: "Voice of the Valley"."""
    words = _WORD.findall(text)
    if len(words) < 2 or text.rstrip()[-1:] in ".!?,":
        return False
    content = [w for w in words if w.lower() not in _SMALL_WORDS]
    return bool(content) and all(w[0].isupper() for w in content)




def cue_text(verb: Token) -> str:
    """The cue as written: "said", "told Nordpress", "wrote on his blog", "said in a statement"."""
    parts = [verb.text]
    for child in verb.rights:
        if child.dep_ == "prt":
            parts.append(child.text)
        elif child.dep_ in ("dobj", "dative") and (
            child.pos_ == "PROPN" or child.lemma_ in ADDRESSEES
        ):
            parts.append(" ".join(t.text for t in child.subtree))
        elif child.dep_ == "prep" and child.lower_ in ("on", "in", "to"):
            objects = [c for c in child.children if c.dep_ == "pobj"]
            if objects and objects[0].lemma_.lower() in CUE_CHANNELS:
                words = list(child.subtree)
                if len(words) <= 7:
                    parts.append(" ".join(t.text for t in words))
    return " ".join(parts)


class QuoteFinder:
    """Attributes the quoted regions of an article, paragraph by paragraph."""

    def __init__(self, article: Article, resolver: Resolver) -> None:
        self.article = article
        self.resolver = resolver
        self.found: list[FoundQuote] = []
        self.speaker_of: dict[int, Entity] = {}  # region index -> speaker, for figures

    def paragraph(self, para: int) -> None:
        doc = self.article.docs[para]
        previous: Entity | None = None
        previous_end = 0
        for region in self.article.paragraph_regions(para):
            result = self._attribute(doc, para, region, previous, previous_end)
            previous_end = region.end + 1
            if result is None:
                continue
            speaker, cue = result
            self.speaker_of[region.index] = speaker
            previous = speaker
            self.resolver.note_speaker((para, region.start), speaker)
            if word_count(region.text) >= MIN_WORDS:
                sentence = self._sentence(doc, region, cue)
                cue_words = cue_text(cue) if cue is not None else None
                self.found.append(FoundQuote(region, speaker, cue_words, sentence))

    # ---- one region ------------------------------------------------------------------------

    def _is_cue(self, token: Token, para: int) -> bool:
        return token.i in self.article.cues[para].speech

    def _colon_cue(self, doc: Doc, para: int, region: Region) -> Entity | None:
        """ "Okello: “…”": the name before a colon that opens the quote's sentence."""
        name = self.article.cues[para].colon.get(region.start - 2)
        if name is None or self.article.quoted(name.root, para):
            return None
        speaker = self.resolver.entity(name.root, para)
        return speaker if speaker.name and speaker.kind in AGENTS else None

    def _attribute(
        self, doc: Doc, para: int, region: Region, previous: Entity | None, previous_end: int
    ) -> tuple[Entity, Token | None] | None:
        if self._is_label(doc, region):
            return None
        colon = self._colon_cue(doc, para, region)
        if colon is not None:
            return colon, None
        initial = region.continues or self._opens_sentence(doc, para, region)
        open_ending = region.text.endswith(_OPEN_ENDINGS)
        after = self._after_cue(doc, para, region) if open_ending or not region.closed else None
        chain = self._chain_cue(doc, para, region)
        if initial:
            cues = [c for c in (after, chain) if c is not None]
        else:
            cues = [c for c in (chain, *self._before_cues(doc, para, region), after) if c]
            root = doc[region.start].sent.root
            if (
                chain is not None
                and chain.dep_ in ("acl", "relcl")
                and root.i >= region.end
                and self._is_cue(root, para)
                and not self.article.quoted(root, para)
            ):
                # "Lunmark, calling for “…”, its spokeswoman X told reporters": the sentence
                # reports what X said; the modifier describes Lunmark
                cues.insert(0, root)
        # The nearest cue whose subject names someone; a cue naming nobody still marks a quote.
        for cue in cues:
            speaker = self.resolver.speaker(cue, para)
            if speaker.name and speaker.kind in AGENTS:
                return speaker, cue
        if cues:
            return Entity(None, "thing"), cues[0]
        if not initial:
            return None  # quoted words inside a sentence with no cue: scare quotes
        cue = self._last_cue(doc, para, previous_end, region.start - 1)
        if cue is not None:
            return self.resolver.speaker(cue, para), None
        if previous is not None:
            return previous, None
        last = self.resolver.speaker_before((para, region.start))
        if last is not None and last[0][0] == para - 1 and (
            region.continues or self._only_quotes(doc, para)
        ):
            # a quote running on into this paragraph, or a paragraph that is nothing but a
            # quote right after one attributed: the same speaker (the wire's convention)
            return last[1], None
        return Entity(None, "thing"), None

    def _only_quotes(self, doc: Doc, para: int) -> bool:
        return all(
            self.article.quoted(t, para) or t.is_punct or t.is_space for t in doc
        ) and self._ends_with_quote(para - 1)

    def _ends_with_quote(self, para: int) -> bool:
        regions = self.article.paragraph_regions(para)
        if not regions:
            return False
        doc = self.article.docs[para]
        tail = [t for t in doc[regions[-1].end :] if not t.is_punct]
        return len(tail) <= 8  # "“…,” he said." ends the paragraph

    def _is_label(self, doc: Doc, region: Region) -> bool:
        if looks_like_title(region.text):
            return True
        before = list(doc[max(region.start - 6, 0) : max(region.start - 1, 0)])
        if before and before[-1].lower_ in TITLE_CUES:
            # "an operation dubbed “…”" labels; "what X called “…”" quotes X
            return not any(c.dep_ == "nsubj" for c in before[-1].children)
        return False

    def _opens_sentence(self, doc: Doc, para: int, region: Region) -> bool:
        i = region.start - 2  # the token before the opening mark
        while i >= 0:
            token = doc[i]
            if token.is_space:
                i -= 1
                continue
            if token.text in _SENTENCE_END:
                return True
            if token.is_quote and self.article.quoted(token, para):
                inner = self.article.region_of(token, para)
                return inner is not None and inner.text.endswith(tuple(_SENTENCE_END))
            return False
        return True

    def _after_cue(self, doc: Doc, para: int, region: Region) -> Token | None:
        quoted = self.article.quoted
        for token in doc[region.end : region.end + _AFTER_WINDOW]:
            if quoted(token, para) and not token.is_quote:
                return None
            if token.text in _SENTENCE_END:
                return None
            if self._is_cue(token, para) and not quoted(token, para):
                return token
        return None

    def _chain_cue(self, doc: Doc, para: int, region: Region) -> Token | None:
        best: Token | None = None
        for token in doc[region.start : region.end]:
            node = token.head
            if region.start <= node.i < region.end:
                continue
            for _ in range(8):
                if self.article.quoted(node, para) and not node.is_quote:
                    # a verb inside another quote is never the cue, but what it hangs from may
                    # be ("said “…” and that … “…”")
                    if node.head == node:
                        break
                    node = node.head
                    continue
                if self._is_cue(node, para):
                    if best is None or abs(node.i - region.start) < abs(best.i - region.start):
                        best = node
                    break
                if node.head == node:
                    break
                node = node.head
        return best

    def _before_cues(self, doc: Doc, para: int, region: Region) -> list[Token]:
        start = region.start - 1
        i = start - 1
        while i >= 0 and doc[i].text not in _SENTENCE_END:
            i -= 1
        window = [t for t in doc[i + 1 : start] if not self.article.quoted(t, para)]
        if not window:
            return []
        tail = window[-1]
        if tail.text not in (":", ",") and tail.lower_ != "that" and not self._is_cue(tail, para):
            return []
        return [t for t in reversed(window) if self._is_cue(t, para)]

    def _last_cue(self, doc: Doc, para: int, start: int, end: int) -> Token | None:
        cues = [
            t
            for t in doc[start : max(end, start)]
            if self._is_cue(t, para) and not self.article.quoted(t, para)
        ]
        return cues[-1] if cues else None

    def _sentence(self, doc: Doc, region: Region, cue: Token | None) -> str:
        first = doc[max(region.start - 1, 0)].sent.start
        last = doc[min(region.end, len(doc) - 1)].sent.end
        if cue is not None:
            first = min(first, cue.sent.start)
            last = max(last, cue.sent.end)
        return doc[first:last].text.strip()
