"""Read services behind `/conflict` and `sitrep ask`: a topic in, small frozen results out.

One function per read command (`latest`, `figures`, `quotes`, `sources`, `subscriptions`). Topics
match through their alias group, case- and accent-insensitively, over story titles and text (FTS5),
figure places and claimants, and quote speakers and text. Nothing here knows about Slack.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from briefings.history import chains, claim_key, compared, exact_over, kind_rank, linked
from briefings.models import Figure, Quote, SourceHealth
from briefings.schedule import channel_zone
from briefings.store import Found, Store, StoryRef
from briefings.topics import TopicMatch, Topics, fold

__all__ = [
    "MAX_TOPIC_CHARS", "ChannelSubscriptions", "FigureClaim", "FigureGroup", "FigureHistory",
    "FigureSeries", "Headline", "Latest", "QuoteHit", "QuoteList", "channel_timezone",
    "figures", "fts_query", "latest", "quotes", "sources", "subscriptions",
]

MAX_TOPIC_CHARS = 200
CANDIDATES = 200  # newest matching stories looked at per query
LATEST_DETAIL = 60  # of those, the newest whose figures and quotes `latest` reads
HISTORY_CANDIDATES = 500
PER_KEY = 200  # newest figures or quotes read per place, claimant or speaker name
RIVALS = 10  # newest figures read per quantity for its counter-claims
_MAX_PHRASE_WORDS = 16
_WORDS = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True, slots=True)
class Headline:
    """One story, standing for every syndicated copy of it."""

    story: StoryRef
    also: tuple[str, ...] = ()  # other outlets carrying the same story


@dataclass(frozen=True, slots=True)
class FigureClaim:
    figure: Figure
    story: StoryRef
    also: tuple[str, ...] = ()
    previous: FigureClaim | None = None  # the claimant's last different figure of this kind


@dataclass(frozen=True, slots=True)
class FigureSeries:
    """One claimant's figures of one quantity, newest first."""

    kind: str
    claimant: str | None
    claims: tuple[FigureClaim, ...]
    compare: str = ""  # the quantity (briefings.history.compare_key): competing claims share it
    party: str | None = None  # the side the claimant speaks for, when config/conflicts.toml says


@dataclass(frozen=True, slots=True)
class FigureGroup:
    """Every claimant's figures of one kind, side by side (never merged)."""

    kind: str
    series: tuple[FigureSeries, ...]


@dataclass(frozen=True, slots=True)
class QuoteHit:
    quote: Quote
    story: StoryRef
    also: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Latest:
    topic: str
    names: tuple[str, ...]
    headlines: tuple[Headline, ...] = ()
    more_headlines: int = 0
    figures: tuple[FigureClaim, ...] = ()
    more_figures: int = 0
    quotes: tuple[QuoteHit, ...] = ()
    searchable: bool = True  # False when the topic has no words to search for


@dataclass(frozen=True, slots=True)
class FigureHistory:
    topic: str
    names: tuple[str, ...]
    groups: tuple[FigureGroup, ...] = ()
    searchable: bool = True


@dataclass(frozen=True, slots=True)
class QuoteList:
    topic: str
    names: tuple[str, ...]
    by_speaker: bool = False  # True: quotes by the topic; False: quotes about it
    quotes: tuple[QuoteHit, ...] = ()
    more: int = 0
    searchable: bool = True


@dataclass(frozen=True, slots=True)
class ChannelSubscriptions:
    channel: str
    topics: tuple[str, ...]
    digest_enabled: bool = False
    digest_time: str | None = None
    digest_tz: str | None = None
    error: str | None = None  # the last Slack error posting there, with its remedy


class _Topic(TopicMatch):
    """A typed topic: its alias group (`keys` are folded, as stored in place_key, claimant_key
    and speaker_key) and a safe FTS5 expression (`match`, None when nothing is searchable)."""

    def __init__(self, topics: Topics, text: str) -> None:
        self.text = " ".join(text.split())[:MAX_TOPIC_CHARS]
        super().__init__(topics, self.text)
        self.match = fts_query(self.names)


def fts_query(names: Iterable[str]) -> str | None:
    """An FTS5 expression matching any of `names` as a phrase, immune to FTS syntax.

    Each name becomes its words inside double quotes, so `"`, `*`, `-`, NEAR, OR, AND, NOT and
    parentheses in user input are plain words (or dropped) rather than operators.
    """
    phrases: dict[str, None] = {}
    for name in names:
        for words in (fold(name).split(), _WORDS.findall(unicodedata.normalize("NFC",
                                                                                 name.casefold()))):
            words = [w.replace('"', "") for w in words[:_MAX_PHRASE_WORDS] if w.strip("_")]
            if words:
                phrases['"' + " ".join(words) + '"'] = None
    return " OR ".join(phrases) if phrases else None


def _topic(topics: Topics, text: str) -> _Topic:
    return _Topic(topics, text)


def latest(
    store: Store, topics: Topics, topic: str, *, now: datetime | None = None, stories: int = 5,
    figures: int = 5, quotes: int = 3,
) -> Latest:
    """The newest stories, key figures and quotes on a topic.

    With `now`, a story dated in the future (a feed's bad clock) ranks as if published now.
    """
    query = _topic(topics, topic)
    if query.match is None:
        return Latest(query.text, query.names, searchable=False)
    refs = [r for r in store.search_stories(query.match, limit=CANDIDATES) if store.followed(r)]
    refs.sort(key=lambda r: (query.hits(r.title), min(r.published, now or r.published), r.id),
              reverse=True)  # about the topic (named in the title) first, then the newest
    headlines, more = _headlines(store, refs, stories)
    detail = refs[:LATEST_DETAIL]
    found = _topic_figures(store, query, detail, per_key=50)
    # counter-claims of the quantities the reply will show, not of every quantity found
    shown = {claim.figure.series for claim in _headline_figures(_series(found))}
    found = _with_rivals(store, found, (compared(s) for s in shown if s))
    newest = _headline_figures(_series(found))
    hits = _topic_quotes(store, query, detail, per_key=20)
    return Latest(
        query.text, query.names, headlines=tuple(headlines), more_headlines=more,
        figures=tuple(newest[:figures]), more_figures=max(0, len(newest) - figures),
        quotes=tuple(hits[:quotes]),
    )


def figures(store: Store, topics: Topics, topic: str) -> FigureHistory:
    """Every key figure on a topic, grouped by kind, one series per claimant."""
    query = _topic(topics, topic)
    if query.match is None:
        return FigureHistory(query.text, query.names, searchable=False)
    refs = [r for r in store.search_stories(query.match, limit=HISTORY_CANDIDATES)
            if store.followed(r)]
    found = _topic_figures(store, query, refs, per_key=PER_KEY)
    found = _with_rivals(store, found, (compared(f.item.series) for f in found if f.item.series))
    series = _with_parties(store, _series(found))
    by_kind: dict[str, list[FigureSeries]] = {}
    for one in sorted(series, key=lambda s: _claim_order(s.claims[0]), reverse=True):
        by_kind.setdefault(one.kind, []).append(one)
    groups = tuple(FigureGroup(kind, tuple(by_kind[kind]))
                   for kind in sorted(by_kind, key=kind_rank))
    return FigureHistory(query.text, query.names, groups=groups)


def quotes(store: Store, topics: Topics, who: str, *, limit: int = 10) -> QuoteList:
    """The latest quotes by a speaker or, when nobody by that name is quoted, about a topic."""
    query = _topic(topics, who)
    if query.match is None:
        return QuoteList(query.text, query.names, searchable=False)
    by_speaker = [q for q in store.quotes_by_speakers(query.keys, limit=PER_KEY)
                  if store.followed(q.story)]
    refs = [r for r in store.search_stories(query.match, limit=CANDIDATES) if store.followed(r)]
    in_stories = store.quotes_of_stories(r.id for r in refs)
    by_speaker += [q for q in in_stories if _names_speaker(query, q.item.speaker)]
    if by_speaker:
        hits = _quote_hits(store, by_speaker)
        return QuoteList(query.text, query.names, by_speaker=True, quotes=tuple(hits[:limit]),
                         more=max(0, len(hits) - limit))
    hits = _topic_quotes(store, query, refs, per_key=0, in_stories=in_stories)
    return QuoteList(query.text, query.names, quotes=tuple(hits[:limit]),
                     more=max(0, len(hits) - limit))


def _names_speaker(query: _Topic, speaker: str | None) -> bool:
    """Whether the topic names this speaker: the whole name or its last words ("Zelensky" for
    Volodymyr Zelensky), not a place inside an institution's name ("Mariupol city council")."""
    folded = f" {fold(speaker or '')}"
    return any(folded.endswith(f" {key}") for key in query.keys)


def _headline_figures(series: list[FigureSeries], per_kind: int = 2,
                      rivals: int = 3) -> list[FigureClaim]:
    """The newest claims, casualties first, at most `per_kind` quantities per kind; each with the
    competing claims of the same quantity beside it (up to `rivals` claimants in all)."""
    ranked = sorted(series, key=lambda s: (kind_rank(s.kind), _neg(_claim_order(s.claims[0]))))
    by_quantity: dict[str, list[FigureSeries]] = {}
    for one in ranked:
        by_quantity.setdefault(one.compare or str(id(one)), []).append(one)
    taken: dict[str, int] = {}
    heads = []
    for group in by_quantity.values():
        kind = group[0].kind
        if taken.get(kind, 0) < per_kind:
            taken[kind] = taken.get(kind, 0) + 1
            heads += [one.claims[0] for one in group[:rivals]]
    return heads


def _neg(order: tuple[datetime, str]) -> tuple[float, str]:
    return -order[0].timestamp(), order[1]


def channel_error(store: Store, channel: str | None) -> str | None:
    """The last Slack error posting to `channel`, in words with its remedy, or None."""
    if not channel:
        return None
    settings = store.channel(channel)
    return (settings.last_error or None) if settings else None


def sources(store: Store) -> tuple[SourceHealth, ...]:
    """Every followed feed and its health."""
    return tuple(store.source_health())


def subscriptions(store: Store, channel: str) -> ChannelSubscriptions:
    """A channel's topics and daily-briefing setting."""
    topics = tuple(topic for _, topic in store.subscriptions(channel))
    settings = store.channel(channel)
    if settings is None:
        return ChannelSubscriptions(channel, topics)
    return ChannelSubscriptions(
        channel, topics, digest_enabled=settings.digest_enabled,
        digest_time=settings.digest_time, digest_tz=settings.digest_tz,
        error=settings.last_error or None,
    )


def channel_timezone(store: Store, channel: str | None, default: str) -> str:
    """The zone a channel chose for its briefing, in which its replies show dates."""
    return channel_zone(store.channel(channel) if channel else None, default)


def _headlines(store: Store, refs: Sequence[StoryRef], limit: int) -> tuple[list[Headline], int]:
    """Newest clusters first; each shown as its first-published copy, the others as "also"."""
    newest: dict[str, StoryRef] = {}
    for ref in refs:
        newest.setdefault(ref.cluster_id, ref)
    shown = list(newest.values())[:limit]
    members: dict[str, list[StoryRef]] = {}
    for ref in store.cluster_stories(r.cluster_id for r in shown):
        members.setdefault(ref.cluster_id, []).append(ref)
    headlines = []
    for ref in shown:
        copies = members.get(ref.cluster_id) or [ref]
        headlines.append(Headline(copies[0], _also((c.outlet for c in copies), copies[0].outlet)))
    return headlines, max(0, len(newest) - limit)


def _cluster_outlets(store: Store, cluster_ids: Iterable[str]) -> dict[str, list[str]]:
    outlets: dict[str, list[str]] = {}
    for ref in store.cluster_stories(cluster_ids):
        outlets.setdefault(ref.cluster_id, []).append(ref.outlet)
    return outlets


def _also(outlets: Iterable[str], own: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(o for o in outlets if o and o != own))


def _topic_figures(
    store: Store, query: _Topic, refs: Sequence[StoryRef], *, per_key: int
) -> list[Found]:
    found = store.figures_where("place_key", query.keys, limit=per_key)
    found += store.figures_where("claimant_key", query.keys, limit=per_key)
    in_stories = store.figures_of_stories(r.id for r in refs)
    found += [
        f for f in in_stories
        if query.hits(f.item.where) or query.hits(f.item.claimant) or query.hits(f.item.sentence)
    ]
    return [f for f in found if store.followed(f.story)]


def _with_rivals(store: Store, found: list[Found], quantities: Iterable[str]) -> list[Found]:
    """`found` and the counter-claims of its `quantities`: the other claimants' counts of the
    same quantity ("Russia says 1,351 of its soldiers died"; Ukraine's general staff says
    16,000), wherever they were reported. A quantity with neither side nor place is too vague to
    pair."""
    paired = [q for q in dict.fromkeys(quantities) if q.split("|", 1)[1] != "|"]
    rivals = store.figures_of_quantities(paired, limit=RIVALS)
    return found + [f for f in rivals if store.followed(f.story)]


def _topic_quotes(
    store: Store, query: _Topic, refs: Sequence[StoryRef], *, per_key: int,
    in_stories: list[Found] | None = None,
) -> list[QuoteHit]:
    found = store.quotes_by_speakers(query.keys, limit=per_key) if per_key else []
    if in_stories is None:
        in_stories = store.quotes_of_stories(r.id for r in refs)
    found += [
        q for q in in_stories
        if query.hits(q.item.speaker) or query.hits(q.item.text) or query.hits(q.item.sentence)
        or query.hits(q.story.title)
    ]
    return _quote_hits(store, found)


def _in_order(found: Iterable[Found]) -> list[Found]:
    """Oldest story first, each story's items in the order they were extracted; no repeats."""
    unique = {f.seq: f for f in found}
    return sorted(unique.values(), key=lambda f: (f.story.published, f.story.id, f.seq))


def _quote_hits(store: Store, found: list[Found]) -> list[QuoteHit]:
    """Syndicated copies of one quote fold into its first appearance; newest first."""
    first: dict[tuple[str, str], Found] = {}
    for one in _in_order(found):
        first.setdefault((one.story.cluster_id, fold(one.item.text)[:120]), one)
    outlets = _cluster_outlets(store, {f.story.cluster_id for f in first.values()})
    hits = [QuoteHit(f.item, f.story, _also(outlets.get(f.story.cluster_id, ()), f.story.outlet))
            for f in first.values()]
    return sorted(hits, key=lambda h: (h.story.published, h.story.id), reverse=True)


def _series(found: list[Found]) -> list[FigureSeries]:
    """Fold copies, group by series (briefings.history) and link each figure to the one it
    updates.

    A story counts once per series: its exact figure if it gives one ("2,187" beside "nearly
    2,200"), else its first. Past counts it restates ("up from 1,582") fill the history before it.
    """
    first: dict[tuple, tuple[Figure, StoryRef, list[str]]] = {}
    shown: dict[tuple[str, str], tuple] = {}  # (story, series) -> key of the figure it shows
    for one in sorted(_in_order(found), key=lambda f: (f.story.published, f.story.id,
                                                       not f.item.earlier, f.seq)):
        figure, story = one.item, one.story
        series = figure.series or ""
        key = (story.cluster_id, *claim_key(series, figure))
        if key in first:
            kept = first[key]
            if story.outlet != kept[1].outlet and story.outlet not in kept[2]:
                kept[2].append(story.outlet)
            continue
        if not figure.earlier:
            own = shown.get((story.id, series))
            if own is not None:
                if not exact_over(first[own][0], figure):
                    continue
                del first[own]  # the story's exact figure stands for its rounded one
            shown[(story.id, series)] = key
        first[key] = (figure, story, [])
    grouped: dict[str, list[tuple[Figure, StoryRef, list[str]]]] = {}
    for figure, story, also in first.values():
        grouped.setdefault(figure.series or "", []).append((figure, story, also))
    result = []
    for series, members in grouped.items():
        runs = (chains([m[0] for m in members]) if linked(series)
                else [[i] for i in range(len(members))])
        for run in runs:
            claim = None
            for index in run:
                figure, story, also = members[index]
                claim = FigureClaim(figure, story, tuple(also), claim)
            newest = []
            while claim is not None:
                newest.append(claim)
                claim = claim.previous
            if newest[0].figure.earlier:
                continue  # a restated count with nothing newer: history, never the latest
            result.append(FigureSeries(newest[0].figure.kind, newest[0].figure.claimant,
                                       tuple(newest), compared(series)))
    return result


def _with_parties(store: Store, series: list[FigureSeries]) -> list[FigureSeries]:
    return [replace(one, party=store.party_of(one.claims[0].story.conflicts, one.claimant))
            for one in series]


def _claim_order(claim: FigureClaim) -> tuple[datetime, str]:
    return claim.story.published, claim.story.id
