"""Story identity and likeness: canonical URLs, content keys, and MinHash for syndicated copies.

Identity never rests on the guid alone (publishers reuse and re-issue guids); it comes from the
canonical URL and the content. Syndicated copies (same wire story, another outlet, reworded lede)
are found with MinHash over word shingles and banded LSH keys, so lookups stay indexed at scale.
"""

from __future__ import annotations

import hashlib
import re
import struct
import zlib
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from courlan.clean import TRACKERS_RE

from briefings.topics import fold

# Tracking parameters courlan's list misses that news feeds add: portal and wire syndication
# (ocid: MSN, ncid/taid/guccounter: Yahoo), campaign codes (CMP: the Guardian; cmpid), and
# the feed marking its own links (rss, feed, src).
MORE_TRACKERS = frozenset({"cmpid", "cmp", "ncid", "ocid", "taid", "guccounter", "rss", "feed",
                           "src"})
# Bare names courlan counts as trackers (campaign, email, user id) that some sites use as the
# article's id (`news.php?cid=123`). Kept: stripping one merges two stories into one and loses
# the second, while keeping a tracker costs at most a copy that the text keys then catch.
NOT_TRACKERS = frozenset({"cid", "eid", "uid"})
SHINGLE_WORDS = 3
NUM_HASHES = 64
BANDS = 16
ROWS = NUM_HASHES // BANDS
SIMILAR = 0.5  # estimated Jaccard above which two stories are the same wire copy
_MERSENNE = (1 << 61) - 1
_PARAMS = [
    (
        int.from_bytes(hashlib.blake2b(f"a{i}".encode(), digest_size=8).digest()) % _MERSENNE | 1,
        int.from_bytes(hashlib.blake2b(f"b{i}".encode(), digest_size=8).digest()) % _MERSENNE,
    )
    for i in range(NUM_HASHES)
]


def canonical_url(url: str, *, keep_fragment: bool = False) -> str:
    """Lower-cased scheme and host, default port and tracking parameters removed, sorted query."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    if host.startswith("www."):
        host = host[4:]
    port = parts.port
    netloc = host if port in (None, 80 if scheme == "http" else 443) else f"{host}:{port}"
    path = re.sub(r"/{2,}", "/", parts.path or "/")
    if len(path) > 1:
        path = path.rstrip("/")
    query = urlencode(
        sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
               if not is_tracking_param(k))
    )
    fragment = parts.fragment if keep_fragment else ""
    # http and https copies of one page are one story.
    return urlunsplit(("https" if scheme in ("http", "https") else scheme, netloc, path, query,
                       fragment))


def is_tracking_param(name: str) -> bool:
    """Whether a query parameter only tracks the click: courlan's trackers (but NOT_TRACKERS),
    or MORE_TRACKERS.

    courlan's patterns are word starts (`ga`, `gl`, `ref`, `aff`, `session`...); here one counts
    only as a whole word of the name (`ref`, `ref_src`, `_ga`, `utm_`...), so names such as
    `gallery`, `global` or `refresh`, which can tell two stories apart, are kept."""
    name = name.lower()
    if name in MORE_TRACKERS:
        return True
    if name in NOT_TRACKERS:
        return False
    for match in TRACKERS_RE.finditer(name):
        end = match.end()
        if match.group().endswith("_") or end == len(name) or not name[end].isalpha():
            return True
    return False


def text_key(text: str) -> str | None:
    """A key for exact re-issues: the folded text's hash, when there is enough text to trust."""
    folded = fold(text)
    if len(folded) < 60:
        return None
    return hashlib.sha1(folded.encode()).hexdigest()


def minhash(text: str) -> tuple[int, ...] | None:
    """MinHash signature of the text's word shingles, or None for too little text."""
    words = fold(text).split()
    if len(words) < 20:
        return None
    shingles = {
        zlib.crc32(" ".join(words[i : i + SHINGLE_WORDS]).encode())
        for i in range(len(words) - SHINGLE_WORDS + 1)
    }
    return tuple(min((a * s + b) % _MERSENNE for s in shingles) for a, b in _PARAMS)


def band_keys(signature: tuple[int, ...]) -> list[str]:
    """LSH band keys: two signatures sharing one are candidates for a closer look."""
    keys = []
    for band in range(BANDS):
        rows = signature[band * ROWS : (band + 1) * ROWS]
        digest = hashlib.blake2b(struct.pack(f"{ROWS}Q", *rows), digest_size=8).hexdigest()
        keys.append(f"{band}:{digest}")
    return keys


def similarity(a: tuple[int, ...], b: tuple[int, ...]) -> float:
    """Estimated Jaccard similarity of two MinHash signatures."""
    return sum(1 for x, y in zip(a, b, strict=True) if x == y) / len(a)


def pack_signature(signature: tuple[int, ...]) -> bytes:
    return struct.pack(f"{len(signature)}Q", *signature)


def unpack_signature(blob: bytes) -> tuple[int, ...]:
    return struct.unpack(f"{len(blob) // 8}Q", blob)
