"""Canonical URLs: one key per story whatever the tracking parameters, scheme, host case, port,
slashes or parameter order of the link (courlan's tracker list, plus a few news feeds add)."""

from __future__ import annotations

import pytest

from briefings.identity import canonical_url, is_tracking_param

S = "https://example.com/news/story"


@pytest.mark.parametrize(("url", "canonical"), [
    # scheme, host, port, slashes
    ("HTTP://WWW.Example.com:80//news//story/", S),
    ("https://example.com.:443/news/story", S),
    ("https://example.com:8443/news/story", "https://example.com:8443/news/story"),
    ("https://example.com", "https://example.com/"),
    ("ftp://Example.com/news/story", "ftp://example.com/news/story"),
    # the query: sorted, blank values and repeated names kept
    (f"{S}?b=2&a=1", f"{S}?a=1&b=2"),
    (f"{S}?id=7&a=&a=1", f"{S}?a=&a=1&id=7"),
    (f"{S}?q=caf%C3%A9", f"{S}?q=caf%C3%A9"),
    # fragments dropped (kept on request, below)
    (f"{S}#comments", S),
    # trackers of the old list, in any case
    (f"{S}?utm_source=rss&UTM_Medium=feed&utm_campaign=x&utm_content=y&utm_term=z", S),
    (f"{S}?fbclid=1&gclid=2&dclid=3&msclkid=4&yclid=5&igshid=6", S),
    (f"{S}?mc_cid=1&mc_eid=2&_ga=3&ref=4&ref_src=5&at_medium=6&at_campaign=7", S),
    # ... that courlan's list lacks and this module adds (wire and portal syndication, feeds)
    (f"{S}?ocid=msn&ncid=yahoo&taid=1&guccounter=1&cmpid=2&CMP=3&rss=1&feed=2&src=rss", S),
    # ... and courlan's others
    (f"{S}?gbraid=1&wbraid=2&twclid=3&xtor=RSS-1&mkt_tok=4&ns_source=5&campaign=6", S),
    # content survives: ids, pages, and names courlan's prefixes would catch
    (f"{S}?id=7&p=2&page=3&v=x&storyid=9", f"{S}?id=7&p=2&page=3&storyid=9&v=x"),
    (f"{S}?gallery=2&game=1&global=1&refresh=1&reference=1",
     f"{S}?gallery=2&game=1&global=1&reference=1&refresh=1"),
    (f"{S}?cid=123&eid=4&uid=5&utm_source=x", f"{S}?cid=123&eid=4&uid=5"),
])
def test_canonical_url(url: str, canonical: str) -> None:
    assert canonical_url(url) == canonical


def test_fragment_kept_on_request() -> None:
    assert canonical_url(f"{S}?utm_source=x#part-2", keep_fragment=True) == f"{S}#part-2"


@pytest.mark.parametrize("name", ["utm_source", "utm_", "fbclid", "_ga", "ref", "ref_src",
                                  "gclid", "msclkid", "mc_eid", "igshid", "at_campaign"])
def test_courlan_still_lists_the_common_trackers(name: str) -> None:
    # Guards a courlan upgrade: these come from its list, not from MORE_TRACKERS.
    assert is_tracking_param(name)
