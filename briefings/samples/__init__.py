"""Bundled sample feeds and article pages (a copy of the developer corpus) for `sitrep demo`."""

from pathlib import Path

SAMPLES_DIR = Path(__file__).resolve().parent
PLACEHOLDER = "http://feeds.test/"
SAMPLE_FEEDS = (
    ("Tokyo Today — World", "feeds/tokyotoday-world.xml", "Tokyo Today"),
    ("Pacific Wire — World", "feeds/pacificwire-world.xml", "Pacific Wire"),
    ("Harbour Herald — World", "feeds/harbourherald-world.xml", "Harbour Herald"),
)
