"""Conflicts and parties (briefings/conflicts.py, config/conflicts.toml): what a story is about,
who a claimant speaks for, the file's errors, the hand-labelled accuracy, and the store keeping
each story's conflicts (classified when stored, again when the conflicts change)."""

from __future__ import annotations

import asyncio
import time
import tomllib
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.context import Context
from briefings.conflicts import Conflicts, load_conflicts
from briefings.errors import ConfigError
from briefings.models import Story
from briefings.poll import poll_once
from briefings.samples import PLACEHOLDER
from briefings.store import Store
from tests.conftest import FIXTURES, good_feeds, hostile_feeds

ROOT = Path(__file__).resolve().parents[2]
CONFLICTS_FILE = ROOT / "config" / "conflicts.toml"
DEV = ROOT / "tests" / "extract" / "dev"
LABELS = tomllib.loads((FIXTURES / "conflict_labels.toml").read_text(encoding="utf-8"))
ACCURACY_FLOOR = 0.95  # measured 60/61 when the labels and the rule were written
NOW = datetime(2022, 5, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def conflicts() -> Conflicts:
    return load_conflicts(CONFLICTS_FILE)


# --- what a story is about -----------------------------------------------------------------------

WAR = (
    "Russian missiles hit Kharkiv apartment blocks, killing five",
    "KHARKIV, Ukraine (AFP) - Russian missiles struck two apartment blocks in Kharkiv overnight, "
    "killing five people and wounding 23, regional governor Oleh Syniehubov said on Friday.\n"
    "Rescuers were still searching the rubble in the Saltivka district, close to the front line.",
)
REFUGEES_ABROAD = (
    "In Krakow, a Ukrainian family starts over",
    "KRAKOW, Poland (AFP) - Oksana Melnyk keeps the keys to her flat in Kharkiv on a hook by the "
    "door of the two-room apartment in Krakow where she has lived since March.\n"
    "She fled the war with her two sons after Russian shelling cut the power and water to their "
    "street. Her husband stayed behind.\n"
    "\"The boys go to a Polish school now. They dream in two languages,\" she said, adding that "
    "the family would go home when the fighting stopped. Poland has taken in more than a million "
    "Ukrainians since the invasion.",
)
EARTHQUAKE = (
    "Magnitude 5.1 quake jolts Ibaraki",
    "TOKYO (AFP) - A magnitude 5.1 earthquake shook Ibaraki Prefecture north-east of Tokyo on "
    "Tuesday morning, the Japan Meteorological Agency said. No tsunami warning was issued.\n"
    "A landslide set off by the quake killed one man in the town of Daigo, police said, and "
    "several trains were halted while tracks were checked. East Japan Railway said services "
    "had resumed by noon.",
)
FOOTBALL_IN_KYIV = (
    "Dynamo Kyiv beat Shakhtar Donetsk to go top",
    "KYIV (AFP) - Dynamo Kyiv beat Shakhtar Donetsk 2-1 at the Olympic Stadium in Kyiv on "
    "Sunday to go top of the Ukrainian Premier League.\n"
    "Vitaliy Buyalskyi opened the scoring with a fierce strike from 20 metres after Dynamo's "
    "attack caught Shakhtar's defence square. Shakhtar equalised when Georgiy Sudakov fired a "
    "low shot into the corner, but Vladyslav Vanat headed the winner with ten minutes left.\n"
    "\"It was a battle for every ball,\" said the Dynamo coach, whose side shot to the top of "
    "the table.",
)
OIL_MARKETS = (
    "Oil climbs as traders weigh tighter supply",
    "SINGAPORE (AFP) - Oil prices rose on Wednesday as traders weighed tighter supply from "
    "producers and signs of stronger demand in China.\n"
    "Brent crude, the international benchmark, gained 1.2 percent to $84.30 a barrel in Asian "
    "trade, while West Texas Intermediate added 1.1 percent.\n"
    "Analysts said exports of Russian oil had dipped after fresh sanctions on Moscow's shadow "
    "fleet of tankers. Prices have been volatile since Russia invaded Ukraine in 2022.\n"
    "Investors are also waiting for US inflation data due later in the week.",
)
ELECTION = (
    "Babis's ANO wins Czech election",
    "PRAGUE (AFP) - The populist ANO movement of billionaire Andrej Babis won the Czech "
    "parliamentary election, results showed on Saturday, taking about 35 percent of the vote "
    "and putting him on course to return as prime minister.\n"
    "The outgoing centre-right coalition of Prime Minister Petr Fiala came second.\n"
    "Babis campaigned on the cost of living and has said he would end the Czech-led "
    "initiative that buys artillery shells for Ukraine abroad.\n"
    "Turnout was the highest in more than two decades.",
)
TWO_CONFLICTS = (
    "Israeli strikes kill 20 in Gaza as Hezbollah fires rockets at northern Israel",
    "JERUSALEM (AFP) - Israeli strikes killed at least 20 people across the Gaza Strip on "
    "Monday, the civil defence agency in the Hamas-run territory said, as Hezbollah fired a "
    "barrage of rockets from Lebanon at the northern town of Kiryat Shmona.\n"
    "The Israeli military said it had struck Hamas positions in Khan Yunis and Rafah, and "
    "later hit Hezbollah launch sites near Nabatieh in south Lebanon.\n"
    "Lebanon's health ministry said two people were killed in the strikes near Nabatieh.",
)


@pytest.mark.parametrize(
    ("story", "expected"),
    [
        (WAR, ("russia-ukraine",)),
        (REFUGEES_ABROAD, ("russia-ukraine",)),
        (EARTHQUAKE, ()),
        (FOOTBALL_IN_KYIV, ()),
        (OIL_MARKETS, ()),
        (ELECTION, ()),
        (TWO_CONFLICTS, ("israel-gaza", "israel-lebanon")),
    ],
    ids=["war", "refugees-abroad", "earthquake", "football-in-kyiv", "oil-markets", "election",
         "two-conflicts"],
)
def test_classify(conflicts, story, expected):
    title, text = story
    assert conflicts.classify(title, text) == expected, conflicts.scores(title, text)


def test_names_match_whole_words_and_without_case_or_accents(conflicts):
    text = "Russian shelling killed three people in the city overnight, officials said."
    assert conflicts.classify("KYIV under fire again", text) == ("russia-ukraine",)
    assert conflicts.classify("Kyivstar outage hits mobile users", text) == ()  # not "Kyiv"
    assert conflicts.classify("Maríupol under fire again",  # an accent the name does not have
                              "Russian shelling killed three people in Zaporizhzhia.") == (
        "russia-ukraine",)


def test_the_longest_name_wins_where_names_overlap(conflicts):
    text = ("Fighting killed at least 40 people near the capital, the army said. Troops and "
            "rebels clashed again on Monday near the border town.")
    assert conflicts.classify("South Sudan: clashes near Juba", text) == ()  # not Sudan
    assert conflicts.classify("Sudan: clashes near Khartoum", text) == ("sudan",)


def test_names_shared_by_conflicts_need_names_of_their_own(conflicts):
    # Israel belongs to Gaza, Lebanon, Yemen and Syria: a Houthi missile at Tel Aviv that
    # mentions the Gaza war once is a Yemen story only
    title, text = ("Houthi missile hits near Tel Aviv",
                   "A ballistic missile fired by Yemen's Houthi rebels struck near Tel Aviv on "
                   "Sunday, wounding eight people, the Israeli military said. The Houthis have "
                   "fired missiles at Israel since the Gaza war began.")
    assert conflicts.classify(title, text) == ("yemen-red-sea",)


def test_a_war_word_away_from_the_names_is_not_evidence(conflicts):
    title = "Kyiv and Odesa named Europe's cities of culture"
    assert conflicts.classify(title, "Judges praised the festivals of Kyiv and Odesa.") == ()
    assert conflicts.classify(title, "Judges praised the festivals. Elsewhere a soldier was "
                                     "killed in an accident in Portugal.") == ()
    assert conflicts.classify(title, "Judges praised the festivals held in Kyiv and Odesa "
                                     "despite the war.") == ("russia-ukraine",)


def test_empty_story_and_empty_conflicts(conflicts):
    assert conflicts.classify("", "") == ()
    assert Conflicts().classify(*WAR) == ()
    assert not Conflicts() and conflicts


# --- who speaks for whom ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("conflict", "claimant", "party"),
    [
        ("russia-ukraine", "Mariupol city council", "Ukraine"),
        ("russia-ukraine", "the city council of Mariupol", "Ukraine"),
        ("russia-ukraine", "Russia's defence ministry", "Russia"),
        ("russia-ukraine", "Kremlin spokesman Dmitry Peskov", "Russia"),
        ("russia-ukraine", "Ukraine's general staff", "Ukraine"),
        ("russia-ukraine", "Volodymyr Zelenskyy", "Ukraine"),
        ("russia-ukraine", "Kharkiv regional governor Oleh Syniehubov", "Ukraine"),
        ("russia-ukraine", "head of the Donetsk region Vadym Filashkin", "Ukraine"),
        ("russia-ukraine", "Russian-installed authorities in Donetsk", "Russia"),
        ("russia-ukraine", "Kursk region acting governor Alexei Smirnov", "Russia"),
        ("russia-ukraine", "Komsomolskaya Pravda", "Russia"),
        ("russia-ukraine", "NATO", None),
        ("russia-ukraine", "UN human rights office", None),
        ("russia-ukraine", "Britain's defence ministry", None),
        ("russia-ukraine", "", None),
        ("russia-ukraine", None, None),
        ("israel-gaza", "the health ministry in Hamas-run Gaza", "Hamas"),
        ("israel-gaza", "Gaza's civil defence agency", "Hamas"),
        ("israel-gaza", "Israeli military", "Israel"),
        ("israel-gaza", "IDF", "Israel"),
        ("israel-gaza", "Gaza Humanitarian Foundation", None),
        ("israel-lebanon", "Lebanon's health ministry", "Lebanon"),
        ("israel-lebanon", "a source close to Hezbollah", "Hezbollah"),
        ("israel-lebanon", "Israeli army Arabic-language spokesman Avichay Adraee", "Israel"),
        ("sudan", "Sudan's paramilitary Rapid Support Forces", "Rapid Support Forces (RSF)"),
        ("sudan", "Sudan's army-aligned health ministry", "Sudanese army (SAF)"),
        ("sudan", "Darfur governor Minni Minawi", "Sudanese army (SAF)"),
        ("sudan", "Sudan Doctors Network", None),
        ("sudan", "South Sudan's government", None),
        ("yemen-red-sea", "the Houthi rebels' health ministry", "Houthis"),
        ("yemen-red-sea", "US Central Command", "United States"),
        ("dr-congo", "M23 spokesman Lawrence Kanyuka", "M23/AFC"),
        ("dr-congo", "Congo's health ministry", "DR Congo government"),
        ("dr-congo", "Rwandan government spokeswoman Yolande Makolo", "Rwanda"),
        ("myanmar", "junta spokesman Zaw Min Tun", "Military junta"),
        ("myanmar", "the Arakan Army (AA)", "Resistance and ethnic armed groups"),
        ("syria", "Syrian Observatory for Human Rights", None),
        ("syria", "Druze spiritual leader Sheikh Hikmat al-Hijri", "Druze"),
        ("syria", "Syria's health ministry", "Syrian government"),
        ("ethiopia", "Fano spokesman Asres Mare Damte", "Fano"),
        ("no-such-conflict", "Russia's defence ministry", None),
    ],
)
def test_party_of(conflicts, conflict, claimant, party):
    assert conflicts.party_of(conflict, claimant) == party


def test_names(conflicts):
    assert conflicts.name("russia-ukraine") == "Russia–Ukraine war"
    assert conflicts.name("retired-conflict") == "retired-conflict"  # no longer configured
    assert {"russia-ukraine", "israel-gaza", "israel-lebanon", "sudan", "myanmar", "dr-congo",
            "yemen-red-sea", "syria"} <= set(conflicts.ids)


def test_conflicts_are_frozen_and_hashable(conflicts):
    again = load_conflicts(CONFLICTS_FILE)
    assert again == conflicts and hash(again) == hash(conflicts)
    assert again.fingerprint == conflicts.fingerprint
    assert len({conflicts, again}) == 1
    with pytest.raises(AttributeError):
        conflicts.conflicts = ()  # type: ignore[misc]
    fewer = Conflicts(conflicts.conflicts[1:], conflicts.war_words)
    assert fewer != conflicts and fewer.fingerprint != conflicts.fingerprint


# --- the file ------------------------------------------------------------------------------------

GOOD = """
[[conflicts]]
id = "test-war"
name = "Test war"
places = ["Northtown|North Town", "Southville"]
terms = ["Blue Brigade"]

[[conflicts.parties]]
name = "North"
speakers = ["Northern army", "General Alpha"]
places = ["Northtown|North Town"]
"""


def test_a_missing_file_means_no_conflicts(tmp_path):
    assert load_conflicts(tmp_path / "conflicts.toml") == Conflicts()


def test_a_small_file_loads(tmp_path):
    path = tmp_path / "conflicts.toml"
    path.write_text(GOOD, encoding="utf-8")
    loaded = load_conflicts(path)
    assert loaded.ids == ("test-war",)
    assert loaded.party_of("test-war", "north town council") == "North"
    assert loaded.classify("Shelling hits Northtown",
                           "Artillery of the Blue Brigade shelled Southville.") == ("test-war",)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[[conflicts]\nid = 1", "fix the TOML syntax"),
        ("[[conflict]]\nid = \"x\"", "unknown key 'conflict'"),
        ("title = \"wars\"", "unknown key 'title'"),
        ("# nothing yet\n", "no [[conflicts]] tables"),
        ("[[conflicts]]\nname = \"No id\"\nplaces = [\"A\"]", "has no usable id"),
        ("[[conflicts]]\nid = \"Big War\"\nname = \"x\"\nplaces = [\"A\"]", "has no usable id"),
        ("[[conflicts]]\nid = \"a\"\nplaces = [\"A\"]", "has no name"),
        ("[[conflicts]]\nid = \"a\"\nname = \"A\"\nplace = [\"A\"]", "unknown key 'place'"),
        ("[[conflicts]]\nid = \"a\"\nname = \"A\"\nplaces = \"Kyiv\"",
         "places must be a list of non-empty strings"),
        ("[[conflicts]]\nid = \"a\"\nname = \"A\"\nplaces = [\"A\", \"\"]",
         "places must be a list of non-empty strings"),
        ("[[conflicts]]\nid = \"a\"\nname = \"A\"\nplaces = [\"|\"]",
         "places must be a list of non-empty strings"),
        ("[[conflicts]]\nid = \"a\"\nname = \"A\"", "has no places, terms or party names"),
        ("[[conflicts]]\nid = \"a\"\nname = \"A\"\nplaces = [\"X\"]\n"
         "[[conflicts]]\nid = \"a\"\nname = \"B\"\nplaces = [\"Y\"]", "'a' is used twice"),
        ("[[conflicts]]\nid = \"a\"\nname = \"A\"\nplaces = [\"X\"]\n"
         "[[conflicts.parties]]\nspeakers = [\"Y\"]", "party 1 has no name"),
        ("[[conflicts]]\nid = \"a\"\nname = \"A\"\nplaces = [\"X\"]\n"
         "[[conflicts.parties]]\nname = \"P\"", "'P' has no speakers"),
        ("[[conflicts]]\nid = \"a\"\nname = \"A\"\nplaces = [\"X\"]\n"
         "[[conflicts.parties]]\nname = \"P\"\nspeakers = [\"Y\"]\noutside = \"yes\"",
         "outside must be true or false"),
        ("[[conflicts]]\nid = \"a\"\nname = \"A\"\nplaces = [\"X\"]\n"
         "[[conflicts.parties]]\nname = \"P\"\nspeakers = [\"Y\"]\nvoices = [\"Z\"]",
         "unknown key 'voices'"),
        ("[[conflicts]]\nid = \"a\"\nname = \"A\"\nplaces = [\"X\"]\n"
         "[[conflicts.parties]]\nname = \"P\"\nspeakers = [\"Capital|Town\"]\n"
         "[[conflicts.parties]]\nname = \"Q\"\nspeakers = [\"town\"]",
         "'town' speaks for both 'P' and 'Q'"),
        ("war_words = []\n[[conflicts]]\nid = \"a\"\nname = \"A\"\nplaces = [\"X\"]",
         "war_words is empty"),
    ],
)
def test_a_bad_file_says_where_and_what_to_do(tmp_path, text, message):
    path = tmp_path / "conflicts.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_conflicts(path)
    said = str(caught.value)
    assert said.startswith(f"{path}: ") and " — " in said, said
    assert message in said, said


# --- accuracy against the hand labels ------------------------------------------------------------


def dev_stories() -> dict[str, tuple[str, str]]:
    """tests/extract/dev/*.txt as (title, text): the first line is the title."""
    stories = {}
    for path in sorted(DEV.glob("*.txt")):
        title, _, text = path.read_text(encoding="utf-8").partition("\n")
        stories[path.stem] = (title, text)
    return stories


def sample_key(story: Story, server_url: str) -> str:
    """The label key of a stored sample story: its page, or "<feed> | <title>" without a link."""
    if story.url:
        return story.url.replace(server_url, "")
    feed = {"Hostile no-link-no-guid.xml": "feeds/hostile/no-link-no-guid.xml",
            "Hostile malformed-unclosed.xml": "feeds/hostile/malformed-unclosed.xml"}
    return f"{feed.get(story.outlet, story.outlet)} | {story.title}"


@pytest.fixture(scope="module")
def polled_samples(tmp_path_factory, conflicts):
    """Every sample feed polled (no extraction) into a store that classifies what it stores."""
    from briefings.fileserver import FileServer
    from briefings.settings import load_settings
    from tests.conftest import CORPUS

    path = tmp_path_factory.mktemp("conflicts") / "sitrep.db"
    settings = load_settings({"SITREP_DB": str(path), "SITREP_ALLOW_PRIVATE_ADDRESSES": "1"},
                             config_dir=ROOT / "config")
    store = Store(path, conflicts=conflicts)
    with FileServer(CORPUS) as server:
        feeds = good_feeds(server) + hostile_feeds(server)
        asyncio.run(poll_once(settings, feeds, store, clock=lambda: NOW))
        stories = {sample_key(s, server.url): s for s in store.stories(limit=1000)}
    store.close()
    return stories


def test_every_sample_story_is_labelled(polled_samples):
    assert set(polled_samples) == set(LABELS["samples"])
    assert PLACEHOLDER  # label keys are paths under the placeholder host
    assert set(dev_stories()) == set(LABELS["dev"])


def test_accuracy_on_the_hand_labelled_stories(polled_samples, conflicts):
    results = []  # (key, expected, got)
    for key, story in polled_samples.items():
        results.append((key, tuple(LABELS["samples"][key]), story.conflicts))
    for key, (title, text) in dev_stories().items():
        results.append((key, tuple(LABELS["dev"][key]), conflicts.classify(title, text)))
    misses = [(k, want, got) for k, want, got in results if set(want) != set(got)]
    right = len(results) - len(misses)
    print(f"\nconflict labels: {right}/{len(results)} right "
          f"({right / len(results):.1%}); misses: {misses}")
    assert right >= ACCURACY_FLOOR * len(results), misses


def test_classify_is_fast(polled_samples, conflicts):
    stories = [(s.title, s.text or s.summary) for s in polled_samples.values()]
    stories += list(dev_stories().values())
    started = time.perf_counter()
    rounds = 5
    for _ in range(rounds):
        for title, text in stories:
            conflicts.classify(title, text)
    per_story = (time.perf_counter() - started) / (rounds * len(stories))
    print(f"\nclassify(): {per_story * 1000:.2f} ms per story over {len(stories)} stories")
    assert per_story < 0.010  # a poll of 500 stories spends well under five seconds on it


# --- the store -----------------------------------------------------------------------------------


def story(n: int, title: str, text: str, **changes) -> Story:
    published = datetime(2024, 5, 1, 8, n, tzinfo=UTC)
    values = dict(id=f"s{n}", source_id="src", outlet="Wire", title=title, url=None,
                  guid=None, published=published, fetched=published, summary="", text=text,
                  text_origin="feed", cluster_id=f"s{n}")
    values.update(changes)
    return Story(**values)


def linked(store: Store, conflict: str) -> list[str]:
    rows = store.db.execute(
        "select story_id from story_conflicts where conflict = ? order by published", [conflict]
    ).fetchall()
    return [r[0] for r in rows]


def test_a_stored_story_gets_its_conflicts(tmp_path, conflicts):
    store = Store(tmp_path / "s.db", conflicts=conflicts)
    assert store.add_story(story(1, *WAR), ["k1"], None)
    assert store.add_story(story(2, *EARTHQUAKE), ["k2"], None)
    store.bulk_add([story(3, *TWO_CONFLICTS, conflicts=("sudan",))], [], [])
    assert store.get_story("s1").conflicts == ("russia-ukraine",)
    assert store.get_story("s2").conflicts == ()
    assert store.get_story("s3").conflicts == ("israel-gaza", "israel-lebanon")  # not its own
    assert linked(store, "russia-ukraine") == ["s1"]
    assert linked(store, "israel-lebanon") == ["s3"]
    assert [s.conflicts for s in store.stories(limit=10)] == [
        ("israel-gaza", "israel-lebanon"), (), ("russia-ukraine",)]
    plan = store.db.execute("explain query plan select story_id from story_conflicts "
                            "where conflict = ? order by published", ["x"]).fetchall()
    assert "using index" in str(plan).lower() or "covering index" in str(plan).lower()
    store.close()


def test_changing_the_conflicts_file_classifies_the_stored_stories_again(tmp_path):
    path = tmp_path / "conflicts.toml"
    path.write_text(GOOD, encoding="utf-8")
    db = tmp_path / "s.db"
    store = Store(db, conflicts=load_conflicts(path))
    store.add_story(story(1, "Shelling hits Northtown", "Artillery shelled Southville."),
                    ["k1"], None)
    store.add_story(story(2, "Blue Brigade shells Eastport",
                          "Artillery of the Blue Brigade shelled Eastport overnight."),
                    ["k2"], None)
    assert [store.get_story(f"s{n}").conflicts for n in (1, 2)] == [("test-war",), ()]
    store.close()

    # Eastport joins the conflict's places: the next store opened classifies both again
    path.write_text(GOOD.replace('"Southville"]', '"Southville", "Eastport"]'),
                    encoding="utf-8")
    store = Store(db, conflicts=load_conflicts(path))
    assert [store.get_story(f"s{n}").conflicts for n in (1, 2)] == [("test-war",), ("test-war",)]
    assert linked(store, "test-war") == ["s1", "s2"]
    store.close()

    # the conflict is dropped: nothing is about it any more, its links go too
    path.write_text(GOOD.replace('id = "test-war"', 'id = "other-war"'), encoding="utf-8")
    store = Store(db, conflicts=load_conflicts(path))
    assert [store.get_story(f"s{n}").conflicts for n in (1, 2)] == [("other-war",), ()]
    assert linked(store, "test-war") == []
    store.close()


def test_unchanged_conflicts_classify_only_stories_stored_without_them(tmp_path, conflicts):
    db = tmp_path / "s.db"
    Store(db, conflicts=conflicts).close()
    plain = Store(db)  # a store opened without conflicts keeps what a story carries
    plain.add_story(story(1, *WAR), ["k1"], None)
    plain.add_story(story(2, *EARTHQUAKE, conflicts=("sudan",)), ["k2"], None)
    assert plain.get_story("s1").conflicts == ()
    assert plain.get_story("s2").conflicts == ("sudan",)
    plain.close()
    store = Store(db, conflicts=conflicts)
    assert store.get_story("s1").conflicts == ("russia-ukraine",)  # never classified: now it is
    assert store.get_story("s2").conflicts == ("sudan",)  # classified already, same fingerprint
    store.close()


def test_many_stories_are_classified_again_in_batches(tmp_path, conflicts):
    db = tmp_path / "s.db"
    plain = Store(db)
    plain.bulk_add([replace(story(n % 60, *(WAR if n % 2 else OIL_MARKETS)), id=f"b{n:04d}")
                    for n in range(1200)], [], [])
    plain.close()
    store = Store(db, conflicts=conflicts)
    about = [s.conflicts for s in store.stories(limit=2000)]
    assert about.count(("russia-ukraine",)) == 600 and about.count(()) == 600
    assert len(linked(store, "russia-ukraine")) == 600
    store.close()


def test_the_context_reads_the_conflicts_next_to_the_topics(tmp_path):
    config = tmp_path / "config"
    config.mkdir()
    (config / "conflicts.toml").write_text(GOOD, encoding="utf-8")
    context = Context({"SITREP_DB": str(tmp_path / "c.db"), "SITREP_CONFIG_DIR": str(config)})
    assert context.settings.conflicts_path == config / "conflicts.toml"
    assert context.conflicts.ids == ("test-war",)
    assert context.store.conflicts == context.conflicts
    context.store.close()
