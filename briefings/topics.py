"""Topic alias groups (Kyiv/Kiev, Zelensky/Zelenskyy, ...) and accent-insensitive matching."""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from briefings.errors import ConfigError

_WORD = re.compile(r"\w+", re.UNICODE)


def fold(text: str) -> str:
    """Lower-case, strip accents and collapse punctuation to spaces: the form topics match in."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_WORD.findall(stripped))


@dataclass(frozen=True, slots=True)
class Topics:
    """Alias groups; the first name of a group is its display name."""

    groups: tuple[tuple[str, ...], ...] = ()

    def group_of(self, name: str) -> tuple[str, ...]:
        """Every name in `name`'s alias group (just `name` when it has none)."""
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
        haystack = f" {fold(text)} "
        return any(f" {fold(alias)} " in haystack for alias in self.group_of(name) if fold(alias))


def load_topics(path: Path) -> Topics:
    """Read `[[topics]] names = [...]` groups from a TOML file; a missing file means no aliases."""
    if not path.exists():
        return Topics()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: {exc} — fix the TOML syntax") from exc
    groups = []
    for index, entry in enumerate(data.get("topics", []), start=1):
        names = entry.get("names") if isinstance(entry, dict) else None
        if not names or not all(isinstance(n, str) and n.strip() for n in names):
            raise ConfigError(f"{path}: topic group {index} has no usable names — give it "
                              "names = [\"Kyiv\", \"Kiev\"], a list of non-empty strings")
        groups.append(tuple(n.strip() for n in names))
    return Topics(tuple(groups))
