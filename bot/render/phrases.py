"""What a line says, decided once for Slack and the terminal; each medium only formats it.

Phrases are raw text. A `Medium` shows feed text: `SLACK` escapes and cuts it for mrkdwn and links
stored http(s) URLs; `TERMINAL` prints it as it is. Slack's own limits are in `bot.render.mrkdwn`.
Counting words (`plural`) and dates (`date_phrase`: the year whenever it is not the reader's
year) are decided here only.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.render.mrkdwn import escape, link, plain, truncate

if TYPE_CHECKING:
    from briefings.compose import Development, FigureLine, QuoteLine
    from briefings.models import Figure, SourceHealth
    from briefings.queries import ChannelSubscriptions

# How much of a feed's text one line shows (Sitrep's choice; Slack's limits are larger).
MAX_TITLE = 250
MAX_NAME = 120  # a speaker, claimant, outlet or topic
MAX_PHRASE = 300  # a figure's phrase
MAX_QUOTE = 300  # a quote in a briefing or an alert
RECENT = timedelta(days=7)  # younger than this, a story's age is shown ("3h ago")

EXTRACT_REMEDY = "retry with `sitrep reextract`"


# --- media ----------------------------------------------------------------------------------

class Medium:
    """The terminal: feed text shown as it is, uncut, links as their label."""

    bullet = "  - "

    def text(self, text: str, limit: int | None = None) -> str:
        return text

    def strong(self, text: str, limit: int | None = None) -> str:
        return text

    def link(self, url: str | None, label: str, limit: int | None = None) -> str:
        return label

    def moment(self, when: datetime, tz: str, now: datetime | None = None) -> str:
        """A time every reader should see in their own zone; here, in `tz` with its
        abbreviation ('29 Nov 10:02 EET')."""
        return moment_text(when, tz, now)


class Mrkdwn(Medium):
    """Slack: feed text cut to `limit`, escaped; names in bold; links to stored http(s) URLs."""

    bullet = "• "

    def text(self, text: str, limit: int | None = None) -> str:
        return escape(_cut(text, limit))

    def strong(self, text: str, limit: int | None = None) -> str:
        return f"*{plain(_cut(text, limit))}*"

    def link(self, url: str | None, label: str, limit: int | None = None) -> str:
        return link(url, _cut(label, limit))

    def moment(self, when: datetime, tz: str, now: datetime | None = None) -> str:
        """Slack's date token: each reader sees the time in their own zone; clients that cannot
        show it fall back to the time in `tz`."""
        return (f"<!date^{int(when.timestamp())}^{{date_short_pretty}} {{time}}|"
                f"{escape(moment_text(when, tz, now))}>")


def _cut(text: str, limit: int | None) -> str:
    return text if limit is None else truncate(text, limit)


TERMINAL = Medium()
SLACK = Mrkdwn()


# --- counting -------------------------------------------------------------------------------

def plural(count: int, noun: str, many: str | None = None) -> str:
    """'1 story', '2 stories', '1,204 more figures': the noun's last word takes the plural
    unless `count` is 1 (`many` for an irregular plural)."""
    if count != 1:
        noun = many or _plural(noun)
    return f"{count:,} {noun}"


def _plural(noun: str) -> str:
    head, _, last = noun.rpartition(" ")
    if last.endswith("y") and last[-2:-1] not in ("a", "e", "i", "o", "u"):
        last = last[:-1] + "ies"
    elif last.endswith(("s", "x", "ch", "sh")):
        last += "es"
    else:
        last += "s"
    return f"{head} {last}" if head else last


# --- time -----------------------------------------------------------------------------------

def local(when: datetime, tz: str) -> datetime:
    try:
        return when.astimezone(ZoneInfo(tz))
    except (ZoneInfoNotFoundError, ValueError):
        return when


def date_phrase(when: datetime, tz: str, now: datetime | None = None, *,
                time: bool = False) -> str:
    """'24 Apr' in the year of `now`, '24 Apr 2022' in any other (or when `now` is None);
    with `time`, '24 Apr 12:15'. In zone `tz`. Every date Sitrep shows is this one."""
    shown = local(when, tz)
    text = f"{shown.day} {shown:%b}"
    if now is None or local(now, tz).year != shown.year:
        text += f" {shown.year}"
    return f"{text} {shown:%H:%M}" if time else text


def zone_abbreviation(tz: str, when: datetime) -> str:
    """'EET', 'JST', 'UTC'; 'UTC+04' where the zone has no letters; else the zone's name."""
    name = local(when, tz).tzname() or tz
    return f"UTC{name}" if name[:1] in "+-" else name


def moment_text(when: datetime, tz: str, now: datetime | None = None) -> str:
    """'29 Nov 10:02 EET': the time in `tz`, with the zone's abbreviation."""
    return f"{date_phrase(when, tz, now, time=True)} {zone_abbreviation(tz, when)}"


def ago(when: datetime | None, now: datetime) -> str:
    """'5m ago', '3d ago', 'never'."""
    if when is None:
        return "never"
    seconds = int((now - when).total_seconds())
    if seconds < 0:
        return "just now"
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            return f"{seconds // size}{unit} ago"
    return f"{seconds}s ago"


def story_date(when: datetime, tz: str, now: datetime) -> str:
    """When a story came out: '29 Nov 14:10 (3h ago)' within the week, else '16 Mar 2022'."""
    if timedelta(0) <= now - when < RECENT:
        return f"{date_phrase(when, tz, now, time=True)} ({ago(when, now)})"
    return date_phrase(when, tz, now)


# --- numbers and figures --------------------------------------------------------------------

_VAGUE = ("dozens", "scores", "hundreds", "thousands", "millions", "billions", "tens")
_RANGE = re.compile(r"\b(?:to|and)\b|[–-]\s*\d")
_FLED = re.compile(r"\b(?:fled|flee|fleeing)\b", re.IGNORECASE)
_KILOMETRES = re.compile(r"^(?:kilometres|kilometers|kilometre|kilometer|kms?)\b",
                         re.IGNORECASE)
_SOMEWHERE = re.compile(r"\b(?:from|of|to|away|off|inside|outside|near|north|south|east|west"
                        r"|beyond|behind|within)\b", re.IGNORECASE)


def number(value: float) -> str:
    """1582.0 -> '1,582'; 2500000 -> '2.5 million'."""
    for size, word in ((1_000_000_000, "billion"), (1_000_000, "million")):
        if abs(value) >= size and (value / size * 100) == int(value / size * 100):
            return f"{value / size:g} {word}"
    if value == int(value):
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def _lower_first(text: str) -> str:
    """'More than 4.2 million' -> 'more than 4.2 million' (the article's sentence started with
    it; ours does not). Only a capitalised plain word is lowered."""
    first, _, rest = text.partition(" ")
    if first.isalpha() and first[:1].isupper() and (first[1:].islower() or len(first) == 1):
        first = first.lower()
    return f"{first} {rest}" if rest else first


def amount(figure: Figure) -> str:
    """The amount as written ('1,582', 'more than 4.2 million', 'dozens'), else the number,
    else '?'."""
    if figure.words:
        return _lower_first(" ".join(figure.words.split()))
    return number(figure.value) if figure.value is not None else "?"


def _qualified(figure: Figure) -> str:
    """The amount with its qualifier ('at least 1,582', '30,000 to 40,000', 'hundreds of')."""
    text = amount(figure) if (figure.words or figure.value is not None) else ""
    approx = (figure.approx or "").lower()
    if approx == "between" and figure.words and _RANGE.search(text):
        approx = ""  # '30,000 to 40,000' says it already
    if approx and approx != "exact" and not text.lower().startswith(approx):
        text = f"{approx} {text}".strip()
    if text.split()[-1:] and text.split()[-1].lower() in _VAGUE and figure.what and not (
            figure.what.lower().startswith("of ")):
        text += " of"  # 'hundreds of people sheltering', never 'hundreds people sheltering'
    return text


_GENERIC = ("people", "civilians", "residents", "persons", "children", "soldiers", "troops")


def _what(figure: Figure) -> str:
    """What is counted; a bare 'people' gets its kind's verb ('people trapped')."""
    what = " ".join((figure.what or "").split())
    if figure.kind == "distance":
        what = _KILOMETRES.sub("km", what)
    kind = (figure.kind or "").removeprefix("troops_")
    if what.lower() in _GENERIC and kind in _PEOPLE_KINDS:
        what = f"{what} {kind}"
    return what


_PLAIN_WORDS = {"people", "persons", "soldiers", "troops", "servicemen", "dead", "killed",
                "wounded", "injured", "fled", "displaced", "evacuated", "trapped", "sheltering"}


def rival_phrase(figure: Figure) -> str:
    """One claim among competing claims of a quantity already named ('Russian troops killed'):
    the amount alone ('about 16,000') when what it counts adds nothing ('Russian dead',
    'soldiers killed'), else the amount and what it counts ('135 children killed')."""
    words = set((figure.what or "").lower().split())
    side = set((figure.whose or "").lower().split())
    kind = set((figure.kind or "").lower().split("_"))
    if words <= _PLAIN_WORDS | side | kind:
        return _qualified(figure).removesuffix(" of")
    return figure_phrase(figure, place=False)


def placed(figure: Figure) -> bool:
    """Whether the figure says where (its place, or a distance's reference point)."""
    return bool(figure.where) or bool(_SOMEWHERE.search(figure.what or ""))


def preposition(figure: Figure) -> str:
    """'from' for people who fled a place, 'in' for everything else."""
    return "from" if figure.kind == "fled" and _FLED.search(figure.what or "") else "in"


def figure_phrase(figure: Figure, *, place: bool = True) -> str:
    """'at least 1,582 civilians killed in Mariupol', 'more than 5 million people fled from
    Ukraine', 'hundreds of people sheltering', 'about 60 km'."""
    phrase = " ".join(part for part in (_qualified(figure), _what(figure)) if part)
    if place and figure.where and figure.where.casefold() not in phrase.casefold():
        phrase += f" {preposition(figure)} {figure.where}"
    return phrase


def figure_source(figure: Figure) -> str:
    """Who claims the figure; said plainly when nobody does (and a distance from nowhere)."""
    if figure.claimant:
        return figure.claimant
    if figure.kind == "distance" and not placed(figure):
        return "no place or source given"
    return "unattributed"


def change_phrase(figure: Figure, before: Figure, on: str, medium: Medium = TERMINAL, *,
                  limit: int | None = None) -> str:
    """'was 1,582 on 11 Mar (+605)': `before`'s amount (cut to `limit`), `on` already shown;
    'up from 1,582 (+605)' when `before` is a past count the same article restates (its own
    date unknown)."""
    if before.earlier or not on:
        text = f"up from {medium.text(amount(before), limit)}"
    else:
        text = f"was {medium.text(amount(before), limit)} on {on}"
    if figure.value is not None and before.value is not None and figure.value != before.value:
        delta = figure.value - before.value
        text += f" ({'+' if delta > 0 else '−'}{number(abs(delta))})"
    return text


def kind_label(kind: str) -> str:
    """'Troops killed' for troops_killed."""
    return (kind or "other").replace("_", " ").capitalize()


_PEOPLE_KINDS = ("killed", "wounded", "displaced", "fled", "evacuated", "trapped", "sheltering",
                 "arrived", "remaining", "affected", "detained", "released", "missing",
                 "injured")


def _side(whose: str, *, troops: bool) -> str:
    """'Russian' -> 'Russian troops' / 'Russians'; 'RSF fighters' stays; a place is no side."""
    if not whose:
        return "troops" if troops else "people"
    word = whose.lower()
    if troops:
        adjective = " " not in whose and word.endswith(("an", "i", "ese", "ish", "ch"))
        return f"{whose} troops" if adjective else "troops"
    if word.endswith(("s", "ese")):
        return whose
    if " " not in whose and word.endswith(("an", "i")):
        return f"{whose}s"
    return "people"


def quantity_label(figure: Figure) -> str:
    """What competing claims count, whoever claims it: 'Russian troops killed', 'People killed
    in Mariupol', 'People fled from Ukraine'; the kind's label for other quantities."""
    kind = figure.kind or "other"
    whose = (figure.whose or "").strip()
    if figure.where and whose.casefold() == figure.where.casefold():
        whose = ""
    if kind.startswith("troops_"):
        label = f"{_side(whose, troops=True)} {kind.removeprefix('troops_')}"
    elif kind in _PEOPLE_KINDS:
        label = f"{_side(whose, troops=False)} {kind}"
    else:
        label = kind_label(kind).lower()
    if figure.where:
        label += f" {'from' if kind == 'fled' else 'in'} {figure.where}"
    label = label.replace("_", " ")
    return label[:1].upper() + label[1:]


# --- quotes ---------------------------------------------------------------------------------

_ELLIPSIS = re.compile(r"\.{3,}|…")
_ELLIPSES = re.compile(r"…(?:\s*…)+")


def quote_text(text: str) -> str:
    """The words inside the marks: no marks or trailing comma left over from the sentence
    ('…slams,”' → '…slams'), ellipsis runs collapsed ('... ...' → '…')."""
    text = " ".join(text.split()).strip("\"“”„ ")
    text = _ELLIPSES.sub("…", _ELLIPSIS.sub("…", text))
    return text.rstrip(" ,;:—–-").strip() or text


def quoted(text: str, speaker: str | None, medium: Medium, *, limit: int = MAX_QUOTE,
           strong: bool = True, who: bool = True) -> str:
    """'“text” — speaker' (the speaker in bold when `strong`; left out when not `who`)."""
    shown = f"“{medium.text(quote_text(text), limit)}”"
    if not who:
        return shown
    name = speaker or "unattributed"
    name = medium.strong(name, MAX_NAME) if strong else medium.text(name, MAX_NAME)
    return f"{shown} — {name}"


# --- where a line comes from ----------------------------------------------------------------

def cite(medium: Medium, url: str | None, outlet: str | None, when: datetime, tz: str,
         now: datetime | None, *, date: str | None = None) -> str:
    """'Tokyo Today, 24 Apr 2022': the outlet linked to the story (the date when no outlet)."""
    day = date or date_phrase(when, tz, now)
    if outlet:
        return f"{medium.link(url, outlet, MAX_NAME)}, {day}"
    return medium.link(url, day)


def also_phrase(also: Sequence[str], medium: Medium, shown: int = 5) -> str:
    """' (also: Harbour Herald, Pacific Wire and 2 more)', or ''."""
    if not also:
        return ""
    names = ", ".join(truncate(o, MAX_NAME) for o in also[:shown])
    extra = f" and {len(also) - shown} more" if len(also) > shown else ""
    return f" (also: {medium.text(names)}{extra})"


# --- the briefing's lines -------------------------------------------------------------------

def development_line(d: Development, medium: Medium, tz: str = "UTC",
                     now: datetime | None = None) -> str:
    """'• Title — Outlet, 24 Apr (also: Other, Another)'."""
    story = d.story
    return (f"{medium.bullet}{medium.link(story.url, story.title or '(untitled)', MAX_TITLE)} — "
            f"{medium.text(story.outlet, MAX_NAME)}, {date_phrase(story.published, tz, now)}"
            f"{also_phrase(d.also, medium)}")


def figure_line(line: FigureLine, tz: str, medium: Medium, now: datetime | None = None) -> str:
    """'• *2,187 civilians killed in Mariupol* — city council, Tokyo Today, 14 Mar; was 1,582
    on 11 Mar (+605)' (the outlet linked to the story)."""
    figure, story = line.figure, line.story
    source = cite(medium, story.url if story else None, story.outlet if story else None,
                  line.published, tz, now)
    text = (f"{medium.bullet}{medium.strong(figure_phrase(figure), MAX_PHRASE)} — "
            f"{medium.text(figure_source(figure), MAX_NAME)}, {source}")
    if line.previous is None:
        return text
    on = (date_phrase(line.previous_published, tz, now)
          if line.previous_published is not None else "")
    return f"{text}; {change_phrase(figure, line.previous, on, medium)}"


def quote_line(line: QuoteLine, tz: str, medium: Medium, now: datetime | None = None) -> str:
    """'• “text” — *Speaker*, Outlet, 14 Mar' (the outlet linked to the story)."""
    story = line.story
    source = cite(medium, story.url if story else None, story.outlet if story else None,
                  line.published, tz, now)
    return f"{medium.bullet}{quoted(line.quote.text, line.quote.speaker, medium)}, {source}"


# --- sources and channels -------------------------------------------------------------------

class SourceStatus(NamedTuple):
    """What Sitrep says about one feed's health, whatever the medium."""

    failures: int  # polls failed in a row; 0 when the feed is ok
    last_success: str  # '5m ago', 'never'
    error: str  # the last polling error ('' when none)
    error_ago: str
    extract_failed: int  # stories whose extraction failed (`EXTRACT_REMEDY` retries them)
    extract_error: str  # the latest such failure
    backoff_until: datetime | None  # while polling is backing off

    def state(self, times: str = "×") -> str:
        """'ok' or 'failing (3×)'."""
        return f"failing ({self.failures}{times})" if self.failures else "ok"


def source_status(source: SourceHealth, now: datetime) -> SourceStatus:
    backoff = source.backoff_until
    return SourceStatus(
        failures=source.failures, last_success=ago(source.last_success, now),
        error=source.last_error or "", error_ago=ago(source.last_error_at, now),
        extract_failed=source.extract_failed, extract_error=source.extract_error or "",
        backoff_until=backoff if backoff and backoff > now else None,
    )


def feeds_summary(health: Sequence[SourceHealth]) -> str:
    """'12 feeds, 1 failing', '3 feeds, all ok'."""
    failing = sum(1 for s in health if s.failures)
    return f"{plural(len(health), 'feed')}, {f'{failing:,} failing' if failing else 'all ok'}"


def briefing_time(subs: ChannelSubscriptions, default_tz: str,
                  now: datetime | None = None) -> str | None:
    """'08:00 Europe/Kyiv', with the zone's abbreviation on `now` when given ('08:00
    Europe/Kyiv (EET)'); None when the channel has no daily briefing."""
    if not (subs.digest_enabled and subs.digest_time):
        return None
    tz = subs.digest_tz or default_tz
    text = f"{subs.digest_time} {tz}"
    if now is not None:
        abbreviation = zone_abbreviation(tz, now)
        if abbreviation != tz:
            text += f" ({abbreviation})"
    return text


def command_phrase(verb: str, topic: str | None = None) -> str:
    """'`/conflict latest Mariupol`' (mrkdwn: the topic escaped, backticks kept out), or with
    a placeholder when there is no topic."""
    shown = escape(truncate(" ".join(topic.split()), 100)).replace("`", "'") if topic else ""
    return f"`/conflict {verb} {shown or '&lt;topic&gt;'}`"
