"""Topic alias groups (Kyiv/Kiev, Zelensky/Zelenskyy, ...) and accent-insensitive matching."""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from briefings.errors import ConfigError
from briefings.tomlfile import read_toml

_WORD = re.compile(r"\w+", re.UNICODE)

# Titles are not part of a name: "President Zelensky" is Zelensky, "Mayor Ilko Dobrev" Ilko Dobrev.
TITLE_WORDS = frozenset(
    {
        "mr", "mrs", "ms", "miss", "dr", "prof", "mayor", "president", "governor", "minister",
        "prime", "deputy", "foreign", "defence", "defense", "spokesman", "spokeswoman", "general",
        "colonel", "lieutenant", "major", "captain", "admiral", "marshal", "sir", "lord", "lady",
        "secretary", "chancellor", "premier", "senator", "rep", "sen", "gen", "col", "lt", "capt",
        "adm", "sgt", "sergeant", "pope", "king", "queen", "prince", "princess", "commissioner",
        "ambassador", "chief", "adviser", "advisor", "presidential", "head", "speaker", "judge",
        "justice", "director", "commander", "mp", "high",
    }
)


def without_titles(name: str) -> str:
    """`name` without the title words it starts with, when a name (a word of letters) remains."""
    words = name.split()
    start = 0
    while start < len(words) - 1 and words[start].casefold().rstrip(".") in TITLE_WORDS:
        start += 1
    rest = words[start:]
    return " ".join(rest) if any(word.isalpha() for word in rest) else name.strip()


_SHORT = 300  # names, titles and claimants recur across queries; article texts do not


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_WORD.findall(stripped))


_fold_short = functools.lru_cache(maxsize=32768)(_fold)


def fold(text: str) -> str:
    """Lower-case, strip accents and collapse punctuation to spaces: the form topics match in.
    Short texts are remembered; a whole article is not kept in memory for it."""
    return _fold_short(text) if len(text) <= _SHORT else _fold(text)


@dataclass(frozen=True, slots=True)
class Topics:
    """Alias groups; the first name of a group is its display name."""

    groups: tuple[tuple[str, ...], ...] = ()

    def group_of(self, name: str) -> tuple[str, ...]:
        """Every name in `name`'s alias group (just `name` when it has none); titles typed
        before a name are dropped."""
        name = without_titles(name)
        key = fold(name)
        for group in self.groups:
            if any(fold(alias) == key for alias in group):
                return group
        return (name.strip(),)

    def canonical(self, name: str) -> str:
        """The display name of `name`'s group, or `name` itself."""
        return self.group_of(name)[0]

    def known(self, name: str) -> bool:
        key = fold(name)
        return any(fold(alias) == key for group in self.groups for alias in group)

    def mentions(self, text: str, name: str) -> bool:
        """Whether `text` mentions `name` or one of its aliases as whole words."""
        return TopicMatch(self, name).hits(text)


class Folded:
    """Texts folded once and remembered, shared by every matcher of one pass.

    Keyed by identity: the texts belong to objects that live as long as the pass.
    """

    def __init__(self) -> None:
        self.cache: dict[int, str] = {}

    def __call__(self, text: str) -> str:
        haystack = self.cache.get(id(text))
        if haystack is None:
            haystack = self.cache[id(text)] = f" {fold(text)} "
        return haystack


class TopicMatch:
    """The one topic matcher: a name's alias group, folded once, found as whole words."""

    def __init__(self, topics: Topics, name: str, folded: Folded | None = None) -> None:
        self.names = topics.group_of(name) if name.strip() else ()
        self.keys = tuple(dict.fromkeys(k for k in (fold(n) for n in self.names) if k))
        self._padded = tuple(f" {key} " for key in self.keys)
        self.folded = folded  # shared by the matchers of one pass, whose texts outlive it

    def hits(self, text: str | None) -> bool:
        if not text:
            return False
        haystack = self.folded(text) if self.folded else f" {fold(text)} "
        return any(key in haystack for key in self._padded)


def load_topics(path: Path) -> Topics:
    """Read `[[topics]] names = [...]` groups from a TOML file; a missing file means no aliases."""
    data = read_toml(path)
    if data is None:
        return Topics()
    groups = []
    for index, entry in enumerate(data.get("topics", []), start=1):
        names = entry.get("names") if isinstance(entry, dict) else None
        if not names or not all(isinstance(n, str) and n.strip() for n in names):
            raise ConfigError(f"{path}: topic group {index} has no usable names — give it "
                              "names = [\"Kyiv\", \"Kiev\"], a list of non-empty strings")
        groups.append(tuple(n.strip() for n in names))
    return Topics(tuple(groups))
