"""Conflicts and their parties (config/conflicts.toml): which wars a story is about, and which
side a claimant speaks for.

A world feed is not a war feed: it carries earthquakes, elections, markets and football next to
the war. `Conflicts.classify(title, text)` names the conflicts a story is about, by this rule:

1. **Mentions.** The title and each sentence of the text are folded (`briefings.topics.fold`:
   case, accents and punctuation ignored) and searched for the conflict's names as whole words:
   its places, its terms (armed groups, operations, monitors) and its parties' speakers and
   places. A mention is distinct: one place ("Kyiv|Kiev" is one), one term, or one party (all
   of a party's speakers: "Russia", "Moscow", "the Kremlin" and "Putin" are one mention of
   Russia), however often it occurs. Where names overlap, the longest wins ("South Sudan" is not
   "Sudan", "Syrian Observatory for Human Rights" is not the Syrian government). An outside
   party (`outside = true`: the United States in Yemen) attributes claims but is no evidence of
   what a story is about.
2. **Score.** Each distinct mention scores once, by the most prominent place it occurs in: 3 in
   the title, 2 in the lede (sentences starting in the first 500 characters of the text), 1
   further down. A conflict needs a score of at least `MIN_SCORE` (5), and at least `MIN_OWN`
   (3) from names no other conflict shares ("Israel" belongs to Gaza, Lebanon, Yemen and Syria;
   "Hamas" only to Gaza).
3. **War.** At least one sentence (or the title) must hold both one of the conflict's names and a
   word of armed conflict (killed, shelling, troops, ceasefire, war, militia...; `WAR_WORDS`).
   Ambiguous words are left out on purpose: "attack", "shot", "strike" and "fighting" are
   football, "tanks" and "mines" are oil and coal, "displaced" and "evacuated" are earthquakes.

So a quake in Japan (no names), a football match in Kyiv (names, no war word next to them) and a
markets report that mentions Russian oil and the invasion once, deep in the text (score 2), are
about no conflict; a Ukrainian family rebuilding its life in Poland after fleeing the war is about
Russia–Ukraine. A story may be about several conflicts (a Gaza and Lebanon round-up); the ids
come best score first. The names are indexed once per `Conflicts` (a dictionary look-up per
word); classify() costs about a millisecond for a wire story, most of it folding the text
(tests/briefings/test_conflicts.py measures it).

`Conflicts.party_of(conflict_id, claimant)` reads a claimant the same way and returns the party
of the most specific (longest, then first) name in it that speaks for one: "Mariupol city
council" → Ukraine, "Russia's defence ministry" → Russia, "Sudan's paramilitary Rapid Support
Forces" → RSF (not the army, whose names include "Sudan"), "the health ministry in Hamas-run
Gaza" → Hamas, "UN human rights office" → None.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from briefings.errors import ConfigError
from briefings.tomlfile import read_toml
from briefings.topics import fold

MIN_SCORE = 5  # a title mention and a lede mention, or five mentions further down
MIN_OWN = 3  # of which names no other conflict shares: one in the title, or three lower down
LEDE_CHARS = 500
TITLE, LEDE, BODY = 3, 2, 1
RULE_VERSION = 2  # part of the fingerprint: stored stories are reclassified when the rule changes

# Words of armed conflict, matched folded and whole ("air strike" as a phrase). Left out because
# they are just as common in sport, business or disasters: attack, shot, fired, strike, struck,
# battle, fighting (alone), defence, tanks, mines, displaced, evacuated, injured, dead, toll.
WAR_WORDS: tuple[str, ...] = (
    "war", "wars", "wartime", "warplane", "warplanes", "warship", "warships", "warlord",
    "troops", "troop", "soldier", "soldiers", "servicemen", "army", "armies", "military",
    "militia", "militias", "militiamen", "paramilitary", "paramilitaries", "rebel", "rebels",
    "insurgent", "insurgents", "insurgency", "jihadist", "jihadists", "militant", "militants",
    "gunmen", "fighters", "combatants", "mercenaries", "armed group", "armed groups",
    "armed forces", "security forces", "air force", "junta",
    "killed", "killing", "killings", "kill", "kills", "casualties", "wounded", "massacre",
    "massacres", "atrocities", "war crime", "war crimes", "genocide", "ethnic cleansing",
    "bloodshed", "hostage", "hostages", "captives", "prisoners of war", "shot dead", "gunfire",
    "strikes", "airstrike", "airstrikes", "air strike", "air strikes", "drone strike",
    "missile strike", "shelling", "shelled", "artillery", "mortar", "mortars", "bombardment",
    "bombarded", "bombing", "bombings", "bombed", "bomb", "bombs", "missile", "missiles",
    "rocket", "rockets", "drone", "drones", "air raid", "air raids", "air defence",
    "air defences", "air defense", "explosives", "ammunition", "munitions", "weapons",
    "howitzers", "grenades", "landmines", "cluster munitions",
    "ceasefire", "ceasefires", "cease fire", "truce", "armistice", "frontline", "front line",
    "front lines", "offensive", "counteroffensive", "counter offensive", "invasion", "invaded",
    "invading", "invade", "occupation", "occupied", "occupying", "annexed", "annexation",
    "siege", "besieged", "blockade", "encircled", "combat", "clashes", "clashed",
    "heavy fighting", "fierce fighting", "street fighting", "fighting between", "ambush",
    "ambushed", "raid", "raids", "incursion", "peace talks", "peace deal", "peace agreement",
    "peace plan", "mobilisation", "mobilization", "conscription", "conscripts", "deserters",
    "martial law", "prisoner exchange", "prisoner swap", "refugee", "refugees",
    "humanitarian corridor", "no fly zone", "terrorist", "terrorists",
    # Ukrainian and Russian (feeds from the region): war, shelling, killed, missiles, occupiers
    "війна", "війни", "війну", "війні", "обстріл", "обстріли", "обстрілів", "обстрілу",
    "загиблих", "загинули", "загинув", "ракети", "ракетний", "окупанти", "окупантів",
    "война", "войны", "обстрел", "обстрелы", "погибли", "погибших", "ракеты",
)

_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_SENTENCE = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+|\n+")
_CONFLICT_KEYS = {"id", "name", "places", "terms", "unrelated", "parties"}
_PARTY_KEYS = {"name", "speakers", "places", "outside"}
_TOP_KEYS = {"conflicts", "war_words"}


@dataclass(frozen=True, slots=True)
class Party:
    """One side of a conflict: the people and institutions that speak for it (`speakers`) and
    the places it holds, whose councils, mayors and governors speak for it too. Each entry is an
    alias group: "Zelensky|Zelenskyy|Zelenskiy"."""

    name: str
    speakers: tuple[tuple[str, ...], ...] = ()
    places: tuple[tuple[str, ...], ...] = ()
    outside: bool = False  # an outside power: names who claims, is no evidence of the conflict

    @property
    def names(self) -> tuple[tuple[str, ...], ...]:
        return self.speakers + self.places


@dataclass(frozen=True, slots=True)
class Conflict:
    id: str
    name: str
    places: tuple[tuple[str, ...], ...] = ()  # contested or neutral places (no side's voice)
    terms: tuple[tuple[str, ...], ...] = ()  # armed groups, operations, monitors, words
    parties: tuple[Party, ...] = ()
    unrelated: tuple[str, ...] = ()  # phrases holding a name that mean something else


@dataclass(frozen=True, slots=True)
class _Name:
    """What one folded name means: per conflict index, (group id, party index or -1, counted)."""

    meanings: tuple[tuple[int, int, int, bool], ...]


@dataclass(frozen=True)
class Conflicts:
    """The followed conflicts, matched as the module docstring says. Frozen and hashable."""

    conflicts: tuple[Conflict, ...] = ()
    war_words: tuple[str, ...] = WAR_WORDS
    _compiled: Any = field(default=None, init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_compiled", _Compiled(self))

    def __bool__(self) -> bool:
        return bool(self.conflicts)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.conflicts)

    @property
    def fingerprint(self) -> str:
        """Changes when the conflicts, the war words or the rule change."""
        data = [RULE_VERSION, MIN_SCORE, MIN_OWN, LEDE_CHARS, list(self.war_words),
                [_as_data(c) for c in self.conflicts]]
        return hashlib.sha1(json.dumps(data, ensure_ascii=False).encode()).hexdigest()

    def get(self, conflict_id: str) -> Conflict | None:
        return next((c for c in self.conflicts if c.id == conflict_id), None)

    def name(self, conflict_id: str) -> str:
        """The display name of a conflict; an id no longer configured is shown as itself."""
        conflict = self.get(conflict_id)
        return conflict.name if conflict else conflict_id

    def classify(self, title: str, text: str) -> tuple[str, ...]:
        """The ids of the conflicts a story is about, best first; () when none."""
        return self._compiled.classify(title or "", text or "")

    def scores(self, title: str, text: str) -> dict[str, tuple[int, int, bool]]:
        """Per conflict with any mention: (score, own score, war evidence) — for diagnosis."""
        return self._compiled.scores(title or "", text or "")

    def party_of(self, conflict_id: str, claimant: str | None) -> str | None:
        """The party `claimant` speaks for in that conflict, or None (unknown conflict too)."""
        if not claimant or not claimant.strip():
            return None
        return self._compiled.party_of(conflict_id, claimant)


def _as_data(conflict: Conflict) -> list:
    return [conflict.id, conflict.name, conflict.places, conflict.terms, conflict.unrelated,
            [[p.name, p.speakers, p.places, p.outside] for p in conflict.parties]]


class _Compiled:
    """The matchers of one Conflicts, built once: every name of every conflict in one word index
    (the longest name wins where names overlap), the war words in another."""

    def __init__(self, conflicts: Conflicts) -> None:
        self.conflicts = conflicts.conflicts
        self.index = {c.id: i for i, c in enumerate(self.conflicts)}
        meanings: dict[str, list[tuple[int, int, int, bool]]] = {}
        group = 0
        for ci, conflict in enumerate(self.conflicts):
            for party_index, party in enumerate(conflict.parties):
                # a party's speakers are one mention ("Moscow", "the Kremlin" and "Putin" all
                # say Russia); each of its places is a mention of its own
                group += 1
                for names in party.speakers:
                    for key in _keys(names):
                        meanings.setdefault(key, []).append(
                            (ci, group, party_index, not party.outside))
                for names in party.places:
                    group += 1
                    for key in _keys(names):
                        meanings.setdefault(key, []).append(
                            (ci, group, party_index, not party.outside))
            for names in conflict.places + conflict.terms:
                group += 1
                for key in _keys(names):
                    meanings.setdefault(key, []).append((ci, group, -1, True))
            for phrase in conflict.unrelated:
                for key in _keys((phrase,)):
                    meanings.setdefault(key, [])
        self.names = {k: _Name(tuple(dict.fromkeys(v))) for k, v in meanings.items()}
        # a name is a conflict's own when no other conflict counts it
        counted_by: dict[str, set[int]] = {
            k: {ci for ci, _, _, counted in v.meanings if counted} for k, v in self.names.items()
        }
        self.own = {k for k, cis in counted_by.items() if len(cis) == 1}
        self.matcher = _Phrases(self.names)
        self.war = _Phrases(k for w in conflicts.war_words for k in _keys((w,)))

    def _segments(self, title: str, text: str):
        """(weight, folded words) for the title and each sentence of the text."""
        if title.strip():
            yield TITLE, fold(title).split()
        offset = 0
        for piece in _SENTENCE.split(text):
            if piece and piece.strip():
                yield (LEDE if offset < LEDE_CHARS else BODY), fold(piece).split()
            offset += len(piece) + 1

    def _tally(self, title: str, text: str):
        best: list[dict[int, int]] = [{} for _ in self.conflicts]  # group -> best weight
        own: list[dict[int, int]] = [{} for _ in self.conflicts]
        evidence = [False] * len(self.conflicts)
        for weight, words in self._segments(title, text):
            found: set[int] = set()
            for _, key in self.matcher.find(words):
                for ci, group, _, counted in self.names[key].meanings:
                    if not counted:
                        continue
                    found.add(ci)
                    if best[ci].get(group, 0) < weight:
                        best[ci][group] = weight
                    if key in self.own and own[ci].get(group, 0) < weight:
                        own[ci][group] = weight
            if found and self.war.find(words, first=True):
                for ci in found:
                    evidence[ci] = True
        return best, own, evidence

    def scores(self, title: str, text: str) -> dict[str, tuple[int, int, bool]]:
        best, own, evidence = self._tally(title, text)
        return {
            c.id: (sum(best[i].values()), sum(own[i].values()), evidence[i])
            for i, c in enumerate(self.conflicts) if best[i]
        }

    def classify(self, title: str, text: str) -> tuple[str, ...]:
        best, own, evidence = self._tally(title, text)
        chosen = []
        for i, conflict in enumerate(self.conflicts):
            score, own_score = sum(best[i].values()), sum(own[i].values())
            if evidence[i] and score >= MIN_SCORE and own_score >= MIN_OWN:
                chosen.append((-score, i, conflict.id))
        return tuple(cid for _, _, cid in sorted(chosen))

    def party_of(self, conflict_id: str, claimant: str) -> str | None:
        ci = self.index.get(conflict_id)
        if ci is None:
            return None
        best: tuple[int, int] | None = None  # (-length, position) of the best name so far
        party = None
        for position, key in self.matcher.find(fold(claimant).split()):
            for mci, _, party_index, _ in self.names[key].meanings:
                rank = (-len(key), position)
                if mci == ci and party_index >= 0 and (best is None or rank < best):
                    best, party = rank, self.conflicts[ci].parties[party_index].name
        return party


class _Phrases:
    """Folded phrases found as whole words in folded text, leftmost first, the longest phrase
    at a position winning and matches never overlapping (what a longest-first regex alternation
    would find, at a dictionary look-up per word instead of a pattern per position)."""

    def __init__(self, keys) -> None:
        by_first: dict[str, list[tuple[int, tuple[str, ...], str]]] = {}
        for key in dict.fromkeys(keys):
            words = tuple(key.split())
            by_first.setdefault(words[0], []).append((len(words), words, key))
        self.by_first = {w: sorted(c, key=lambda c: -c[0]) for w, c in by_first.items()}

    def find(self, words: list[str], *, first: bool = False) -> list[tuple[int, str]]:
        """(word position, phrase) of each match; with `first`, stop at the first one."""
        found = []
        i, end = 0, len(words)
        while i < end:
            candidates = self.by_first.get(words[i])
            if candidates:
                for length, phrase, key in candidates:
                    if length == 1 or tuple(words[i:i + length]) == phrase:
                        found.append((i, key))
                        if first:
                            return found
                        i += length
                        break
                else:
                    i += 1
            else:
                i += 1
        return found


def _keys(names: tuple[str, ...]) -> list[str]:
    return [k for k in dict.fromkeys(fold(n) for n in names) if k]


# --- loading -----------------------------------------------------------------------------------


def load_conflicts(path: Path) -> Conflicts:
    """Read config/conflicts.toml; a missing file means no conflicts (nothing is classified)."""
    data = read_toml(path)
    if data is None:
        return Conflicts()
    unknown = sorted(set(data) - _TOP_KEYS)
    if unknown:
        raise ConfigError(f"{path}: unknown key {unknown[0]!r} — the file holds [[conflicts]] "
                          "tables and, optionally, war_words = [...]")
    entries = data.get("conflicts")
    if not isinstance(entries, list) or not entries:
        raise ConfigError(f"{path}: no [[conflicts]] tables — add one per conflict with id, name, "
                          "places, terms and [[conflicts.parties]] (or delete the file to follow "
                          "no conflicts)")
    war_words = WAR_WORDS
    if "war_words" in data:
        war_words = _strings(data["war_words"], f"{path}: war_words")
        if not war_words:
            raise ConfigError(f"{path}: war_words is empty — list words of armed conflict or "
                              "leave the key out to use the built-in list")
    conflicts: list[Conflict] = []
    for number, entry in enumerate(entries, start=1):
        conflicts.append(_conflict(path, number, entry))
    ids = [c.id for c in conflicts]
    duplicate = next((i for i in ids if ids.count(i) > 1), None)
    if duplicate:
        raise ConfigError(f"{path}: conflict id {duplicate!r} is used twice — give each "
                          "conflict its own id")
    return Conflicts(tuple(conflicts), war_words)


def _conflict(path: Path, number: int, entry: Any) -> Conflict:
    where = f"{path}: conflict {number}"
    if not isinstance(entry, dict):
        raise ConfigError(f"{where} is not a table — write it as [[conflicts]]")
    cid = entry.get("id")
    if not isinstance(cid, str) or not _ID.match(cid):
        raise ConfigError(f"{where} has no usable id ({cid!r}) — give it id = \"sudan\": "
                          "lower-case letters, digits and dashes")
    where = f"{path}: conflict {cid!r}"
    unknown = sorted(set(entry) - _CONFLICT_KEYS)
    if unknown:
        raise ConfigError(f"{where}: unknown key {unknown[0]!r} — known keys: "
                          f"{', '.join(sorted(_CONFLICT_KEYS))}")
    name = entry.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ConfigError(f"{where} has no name — give it name = \"...\", how briefings show it")
    places = _groups(entry.get("places", []), f"{where}: places")
    terms = _groups(entry.get("terms", []), f"{where}: terms")
    unrelated = _strings(entry.get("unrelated", []), f"{where}: unrelated")
    raw_parties = entry.get("parties", [])
    if not isinstance(raw_parties, list):
        raise ConfigError(f"{where}: parties must be [[conflicts.parties]] tables")
    parties = tuple(_party(where, n, p) for n, p in enumerate(raw_parties, start=1))
    if not places and not terms and not any(p.names for p in parties):
        raise ConfigError(f"{where} has no places, terms or party names — nothing could match "
                          "it; list at least its places")
    seen: dict[str, str] = {}
    for party in parties:
        for names in party.names:
            for key in _keys(names):
                if seen.setdefault(key, party.name) != party.name:
                    raise ConfigError(f"{where}: {key!r} speaks for both {seen[key]!r} and "
                                      f"{party.name!r} — keep it under one party")
    return Conflict(cid, name.strip(), places, terms, parties, unrelated)


def _party(where: str, number: int, entry: Any) -> Party:
    if not isinstance(entry, dict):
        raise ConfigError(f"{where}: party {number} is not a table — write it as "
                          "[[conflicts.parties]]")
    name = entry.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ConfigError(f"{where}: party {number} has no name — give it name = \"...\"")
    where = f"{where}: party {name.strip()!r}"
    unknown = sorted(set(entry) - _PARTY_KEYS)
    if unknown:
        raise ConfigError(f"{where}: unknown key {unknown[0]!r} — known keys: "
                          f"{', '.join(sorted(_PARTY_KEYS))}")
    speakers = _groups(entry.get("speakers", []), f"{where}: speakers")
    places = _groups(entry.get("places", []), f"{where}: places")
    if not speakers and not places:
        raise ConfigError(f"{where} has no speakers — list the people and institutions that "
                          "speak for it")
    outside = entry.get("outside", False)
    if not isinstance(outside, bool):
        raise ConfigError(f"{where}: outside must be true or false — write outside = true for "
                          "an outside power, or leave it out")
    return Party(name.strip(), speakers, places, outside)


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and fold(v) for v in value):
        raise ConfigError(f"{where} must be a list of non-empty strings — for example "
                          "[\"Kyiv|Kiev\", \"Kharkiv\"]")
    return tuple(v.strip() for v in value)


def _groups(value: Any, where: str) -> tuple[tuple[str, ...], ...]:
    """Alias groups written "Kyiv|Kiev": one mention however many of its names occur."""
    return tuple(tuple(n.strip() for n in entry.split("|") if fold(n))
                 for entry in _strings(value, where))
