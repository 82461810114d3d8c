"""Composing a channel's briefing (and a topic alert) from what the store holds: pure, no Slack.

"New since last time" means fetched by Sitrep since the channel's last briefing, not published
since then: a story published yesterday that Sitrep first saw this morning is news to the channel.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from briefings.history import chains, claim_key, exact_over, kind_rank, linked, previous_of
from briefings.models import Figure, Quote, Story
from briefings.store.values import DatedFigure, DatedQuote
from briefings.topics import Folded, TopicMatch, Topics, fold

__all__ = [
    "Alert", "AlertItem", "Briefing", "Development", "FigureGroup", "FigureLine", "QuoteLine",
    "TopicSection", "compose_alerts", "compose_briefing", "story_about",
]

DEFAULT_WINDOW = timedelta(hours=24)  # a channel's first briefing looks back this far
MAX_ITEMS = 50  # per list; renderers show fewer and say "and N more"
QUOTES_PER_SPEAKER = 2
KEY_FIGURES = 12  # series lines in the briefing; `/conflict figures <topic>` has the rest
KIND_QUOTA = {"killed": 3, "wounded": 2, "troops_killed": 2}  # lines a kind gets first
TOPIC_ITEMS = 5


class BriefingStore(Protocol):
    """What composing needs from `briefings.store.Store`."""

    def last_briefing(self, channel: str) -> tuple[datetime, int] | None: ...
    def story_mark(self) -> int: ...
    def stories_fetched(
        self, since: datetime | None, *, after: int = 0, upto: int
    ) -> list[Story]: ...
    def cluster_members(self, cluster_id: str) -> list[Story]: ...
    def figures_fetched(
        self, since: datetime | None, *, after: int = 0, upto: int
    ) -> list[DatedFigure]: ...
    def quotes_fetched(
        self, since: datetime | None, *, after: int = 0, upto: int
    ) -> list[DatedQuote]: ...
    def claim_reported_before(
        self, figure: Figure, since: datetime | None, *, after: int = 0
    ) -> bool: ...
    def series_before(
        self, series: str, published: datetime, story_id: str | None = None
    ) -> list[DatedFigure]: ...
    def get_story(self, story_id: str) -> Story | None: ...
    def subscriptions(self, channel: str | None = None) -> list[tuple[str, str]]: ...
    def source_count(self) -> int: ...
    def followed(self, story: Story) -> bool: ...
    def conflict_name(self, conflict_id: str) -> str: ...


@dataclass(frozen=True, slots=True)
class Development:
    """A story cluster: its first report, and who else carries it."""

    story: Story
    also: tuple[str, ...]  # other outlets
    outlets: int
    latest: datetime


@dataclass(frozen=True, slots=True)
class FigureLine:
    figure: Figure
    published: datetime
    story: Story | None
    previous: Figure | None = None  # the earlier figure this one updates (briefings.history)
    previous_published: datetime | None = None

    @property
    def change(self) -> float | None:
        if self.previous is None or self.previous.value is None or self.figure.value is None:
            return None
        return self.figure.value - self.previous.value


@dataclass(frozen=True, slots=True)
class FigureGroup:
    kind: str
    lines: tuple[FigureLine, ...]


@dataclass(frozen=True, slots=True)
class QuoteLine:
    quote: Quote
    published: datetime
    story: Story | None


@dataclass(frozen=True, slots=True)
class TopicSection:
    topic: str
    developments: tuple[Development, ...]
    figures: tuple[FigureLine, ...]
    quotes: tuple[QuoteLine, ...]


@dataclass(frozen=True, slots=True)
class Briefing:
    channel: str | None
    since: datetime
    until: datetime
    developments: tuple[Development, ...]
    developments_total: int
    figure_groups: tuple[FigureGroup, ...]
    figures_total: int
    quotes: tuple[QuoteLine, ...]
    quotes_total: int
    topics: tuple[TopicSection, ...]
    stories: int  # stories in the window
    sources: int  # sources those stories came from
    sources_followed: int
    story_mark: int = 0  # the newest story covered: where the next briefing starts
    conflicts: tuple[str, ...] = ()  # the conflicts its stories are about, by name

    @property
    def empty(self) -> bool:
        return not (self.developments or self.figure_groups or self.quotes)


def compose_briefing(
    store: BriefingStore, topics: Topics, *, channel: str | None, now: datetime,
    since: datetime | None,
) -> Briefing:
    """The briefing for `channel` (None: no topic sections) of what Sitrep stored until `now`.

    `since` None means since the channel's last briefing (exactly the stories stored after it),
    or the last 24 hours; a `since` given means stories fetched since then.
    """
    upto = store.story_mark()
    after = 0
    if since is None:
        last = store.last_briefing(channel) if channel else None
        since, after = last if last else (now - DEFAULT_WINDOW, 0)
    window = {"after": after, "upto": upto}
    stories = store.stories_fetched(since, **window)
    # A story of no followed conflict (a quake, a match, a markets report on a world feed) is
    # counted in the footer but never leads: none of its items is shown.
    news = [story for story in stories if store.followed(story)]
    by_id = {story.id: story for story in news}
    figures = _new_figures(store, since, window, by_id)
    developments = _developments(store, news, figures)
    quotes = _quotes(store.quotes_fetched(since, **window), store, by_id)
    sections = []
    folded = Folded()
    if channel:
        for _channel, topic in store.subscriptions(channel):
            sections.append(_topic_section(topics, topic, developments, figures, quotes, folded))
    return Briefing(
        channel=channel, since=since, until=now,
        developments=tuple(developments[:MAX_ITEMS]), developments_total=len(developments),
        figure_groups=_grouped(_key_figures(figures)), figures_total=len(figures),
        quotes=tuple(quotes[:MAX_ITEMS]), quotes_total=len(quotes),
        topics=tuple(sections), stories=len(stories),
        sources=len({story.source_id for story in stories}),
        sources_followed=store.source_count(), story_mark=upto,
        conflicts=_conflicts(store, news),
    )


def _conflicts(store: BriefingStore, stories: list[Story]) -> tuple[str, ...]:
    """The conflicts the stories are about, by name, the most covered first."""
    counts: dict[str, int] = {}
    for story in stories:
        for conflict in story.conflicts:
            counts[conflict] = counts.get(conflict, 0) + 1
    ranked = sorted(counts, key=lambda c: (-counts[c], c))
    return tuple(store.conflict_name(c) for c in ranked)


@dataclass(frozen=True, slots=True)
class AlertItem:
    story: Story
    figures: tuple[Figure, ...]
    quotes: tuple[Quote, ...]


@dataclass(frozen=True, slots=True)
class Alert:
    topic: str
    items: tuple[AlertItem, ...]


def compose_alerts(
    topics: Topics, wanted: Iterable[str], stories: Sequence[Story],
    figures_of: dict[str, list[Figure]], quotes_of: dict[str, list[Quote]],
) -> dict[str, Alert]:
    """What is new on each of the `wanted` topics among `stories`, keyed by the folded topic.

    Every text is folded once for all topics, and a topic asked for by many channels is matched
    once: the cost grows with topics x items, not subscriptions x items.
    """
    folded = Folded()
    alerts: dict[str, Alert] = {}
    stories = _one_per_cluster(stories)
    for topic in {fold(name): name for name in wanted}.values():
        about = _Matcher(topics, topic, folded)
        items = []
        for story in stories:
            figures = [f for f in figures_of.get(story.id, []) if about.figure(f)]
            quotes = [q for q in quotes_of.get(story.id, []) if about.quote(q)]
            if figures or quotes or about.story(story):
                items.append(AlertItem(story, tuple(figures), tuple(quotes)))
        if items:
            alerts[fold(topic)] = Alert(topics.canonical(topic), tuple(items))
    return alerts


def _one_per_cluster(stories: Sequence[Story]) -> list[Story]:
    """A syndicated copy is not news again: one story per cluster, and none for a copy whose
    original was stored before (and alerted then)."""
    here = {story.id for story in stories}
    seen: set[str] = set()
    kept = []
    for story in sorted(stories, key=lambda s: (s.published, s.id)):
        if story.cluster_id in seen or (story.cluster_id != story.id
                                        and story.cluster_id not in here):
            continue
        seen.add(story.cluster_id)
        kept.append(story)
    return sorted(kept, key=lambda s: (s.published, s.id), reverse=True)


def story_about(topics: Topics, story: Story, topic: str) -> bool:
    return _Matcher(topics, topic).story(story)


class _Matcher(TopicMatch):
    """A topic matched against a story, a figure or a quote."""

    def story(self, story: Story) -> bool:
        return self.hits(story.title) or self.hits(story.summary) or self.hits(story.text)

    def figure(self, figure: Figure) -> bool:
        return self.hits(figure.where) or self.hits(figure.claimant) or self.hits(figure.sentence)

    def quote(self, quote: Quote) -> bool:
        return self.hits(quote.speaker) or self.hits(quote.text) or self.hits(quote.sentence)

    # What a briefing's topic section shows is *about* the topic, not merely mentioning it in
    # passing: the headline or summary names it, the figure is counted there or claimed by it,
    # the quote's words or speaker name it.
    def headline(self, story: Story) -> bool:
        return self.hits(story.title) or self.hits(story.summary)

    def counted(self, figure: Figure) -> bool:
        return self.hits(figure.where) or self.hits(figure.claimant)

    def said(self, quote: Quote) -> bool:
        return self.hits(quote.speaker) or self.hits(quote.text)


def _developments(
    store: BriefingStore, stories: list[Story], figures: list[FigureLine]
) -> list[Development]:
    """Story clusters, ranked by the outlets carrying them, then the new key figures they bring,
    then recency."""
    brings: dict[str, int] = {}
    for line in figures:
        if line.story is not None:
            brings[line.story.cluster_id] = brings.get(line.story.cluster_id, 0) + 1
    clusters: dict[str, list[Story]] = {}
    for story in stories:
        clusters.setdefault(story.cluster_id, []).append(story)
    developments = []
    for cluster_id, fresh in clusters.items():
        members = store.cluster_members(cluster_id) or fresh
        first = min(members, key=lambda s: s.published)
        outlets = list(dict.fromkeys(s.outlet for s in sorted(members, key=lambda s: s.published)))
        also = tuple(o for o in outlets if o != first.outlet)
        latest = max(s.published for s in members)
        developments.append(Development(first, also, len(outlets), latest))
    developments.sort(key=lambda d: (-d.outlets, -brings.get(d.story.cluster_id, 0),
                                     -d.latest.timestamp(), d.story.title))
    return developments


def _new_figures(
    store: BriefingStore, since: datetime, window: dict[str, int], by_id: dict[str, Story]
) -> list[FigureLine]:
    """Figures that arrived in the window, one line per claim, newest first.

    A claim (series and amount) already carried by an earlier window is not new, so a
    syndicated copy or a later article repeating a toll does not come back in the next briefing.
    What a figure updates ("was 1,582") is the history rule `/conflict figures` shows too.
    """
    seen: set[tuple] = set()
    per_series: dict[str, list[DatedFigure]] = {}  # each series' new figures, oldest first
    for dated in store.figures_fetched(since, **window):  # oldest first
        figure = dated.figure
        if figure.earlier or figure.story_id not in by_id:
            continue  # "up from 1,582" restates a past count; other stories are not news
        key = claim_key(figure.series or "", figure)
        if key in seen or store.claim_reported_before(figure, since, after=window["after"]):
            seen.add(key)
            continue
        seen.add(key)
        series = figure.series or f"{figure.kind}|{id(figure)}"
        members = per_series.setdefault(series, [])
        same_story = [m for m in members if m.figure.story_id == figure.story_id]
        if same_story:  # one story, one figure per series
            if not exact_over(same_story[-1].figure, figure):
                continue
            members.remove(same_story[-1])
        members.append(dated)
    lines = []
    for series, members in per_series.items():
        # one line per running tally: its newest figure (a smaller figure is another quantity)
        runs = (chains([m.figure for m in members]) if linked(series)
                else [[i] for i in range(len(members))])
        for run in runs:
            dated = members[run[-1]]
            previous = _previous(store, dated)
            lines.append(FigureLine(
                dated.figure, dated.published, _story_of(store, dated.figure.story_id, by_id),
                previous.figure if previous else None,
                previous.published if previous else None,
            ))
    lines.sort(key=lambda line: line.published, reverse=True)
    return lines


def _key_figures(lines: list[FigureLine], limit: int = KEY_FIGURES) -> list[FigureLine]:
    """At most `limit` lines spread over the kinds, casualties first: the first pass gives each
    kind its quota (`KIND_QUOTA`, else one), so fled, displaced and aid are not crowded out by a
    dozen tolls; later passes fill what is left. Within a kind, claimed and larger counts first."""
    by_kind: dict[str, list[FigureLine]] = {}
    for line in sorted(lines, key=_weight):
        by_kind.setdefault(line.figure.kind or "other", []).append(line)
    kinds = sorted(by_kind, key=kind_rank)
    chosen = [line for kind in kinds for line in by_kind[kind][:KIND_QUOTA.get(kind, 1)]]
    depth = 1
    while len(chosen) < limit and any(len(by_kind[k]) > max(depth, KIND_QUOTA.get(k, 1))
                                      for k in kinds):
        chosen += [by_kind[k][depth] for k in kinds
                   if len(by_kind[k]) > depth >= KIND_QUOTA.get(k, 1)]
        depth += 1
    return chosen[:limit]


def _weight(line: FigureLine) -> tuple:
    figure = line.figure
    amount = figure.value if figure.value is not None else (figure.low or 0)
    return (figure.claimant is None, -amount, -line.published.timestamp())


def _previous(store: BriefingStore, dated: DatedFigure) -> DatedFigure | None:
    series = dated.figure.series
    if not series or not linked(series):
        return None
    earlier = store.series_before(series, dated.published, dated.figure.story_id)
    previous = previous_of(dated.figure, [d.figure for d in earlier])
    return next((d for d in earlier if d.figure is previous), None)


def _grouped(lines: list[FigureLine]) -> tuple[FigureGroup, ...]:
    groups: dict[str, list[FigureLine]] = {}
    for line in lines:
        groups.setdefault(line.figure.kind or "other", []).append(line)
    return tuple(FigureGroup(kind, tuple(groups[kind])) for kind in sorted(groups, key=kind_rank))


def _quotes(
    dated: list[DatedQuote], store: BriefingStore, by_id: dict[str, Story]
) -> list[QuoteLine]:
    """Quotes with a speaker, each text once, spread over stories and speakers: first the newest
    quote of each story by a speaker not yet heard, then the rest (a few per speaker)."""
    seen: set[str] = set()
    per_speaker: dict[str, int] = {}
    stories: set[str | None] = set()
    first, rest = [], []
    for item in dated:  # newest first
        quote = item.quote
        text_key = fold(quote.text)
        speaker_key = fold(quote.speaker or "")
        if not speaker_key or not text_key or text_key in seen or quote.story_id not in by_id:
            continue
        if per_speaker.get(speaker_key, 0) >= QUOTES_PER_SPEAKER:
            continue
        line = QuoteLine(quote, item.published, _story_of(store, quote.story_id, by_id))
        fresh = quote.story_id not in stories and speaker_key not in per_speaker
        (first if fresh else rest).append(line)
        seen.add(text_key)
        stories.add(quote.story_id)
        per_speaker[speaker_key] = per_speaker.get(speaker_key, 0) + 1
    return first + rest


def _topic_section(
    topics: Topics, topic: str, developments: list[Development], figures: list[FigureLine],
    quotes: list[QuoteLine], folded: Folded,
) -> TopicSection:
    about = _Matcher(topics, topic, folded)
    return TopicSection(
        topic=topics.canonical(topic),
        developments=tuple(d for d in developments if about.headline(d.story))[:TOPIC_ITEMS],
        figures=tuple(_key_figures([line for line in figures if about.counted(line.figure)],
                                   limit=TOPIC_ITEMS)),
        quotes=tuple(q for q in quotes if about.said(q.quote))[:TOPIC_ITEMS],
    )


def _story_of(store: BriefingStore, story_id: str | None, by_id: dict[str, Story]) -> Story | None:
    if not story_id:
        return None
    return by_id.get(story_id) or store.get_story(story_id)
