"""Fetch safety: URL rules, DNS results in private space, redirects, size cap, conditional GET."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from briefings.errors import FetchError, UnsafeURLError
from briefings.fetch import FetchLimits, check_url, fetch, is_public_address

LIMITS = FetchLimits(max_bytes=1000, max_redirects=3)


def resolver_for(table: dict[str, list[str]]):
    async def resolve(host: str, port: int) -> list[str]:
        if host not in table:
            raise OSError("name does not resolve")
        return table[host]

    return resolve


DNS = resolver_for({
    "news.example": ["93.184.216.34"],
    "internal.example": ["10.0.0.7"],
    "sneaky.example": ["93.184.216.34", "127.0.0.1"],
    "v6local.example": ["::1"],
    "mapped.example": ["::ffff:192.168.1.1"],
    "metadata.example": ["169.254.169.254"],
    "v6public.example": ["2606:4700:4700::1111"],
})


@pytest.mark.parametrize(
    ("url", "safe"),
    [
        ("https://news.example/feed", True),
        ("http://news.example:8080/feed", True),
        ("https://v6public.example/", True),
        ("https://internal.example/feed", False),
        ("https://sneaky.example/feed", False),
        ("https://v6local.example/", False),
        ("https://mapped.example/", False),
        ("https://metadata.example/latest/meta-data", False),
        ("http://127.0.0.1/feed", False),
        ("http://[::1]/feed", False),
        ("http://[fe80::1]/feed", False),
        ("http://10.1.2.3/feed", False),
        ("http://172.16.0.1/feed", False),
        ("http://192.168.0.1/feed", False),
        ("http://100.64.0.1/feed", False),
        ("http://0.0.0.0/feed", False),
        ("file:///etc/passwd", False),
        ("ftp://news.example/feed", False),
        ("javascript:alert(1)", False),
        ("gopher://news.example/", False),
        ("https://user:pw@news.example/", False),
        ("https:///nohost", False),
    ],
)
def test_url_safety(url, safe):
    run = check_url(url, allow_private=False, resolver=DNS)
    if safe:
        asyncio.run(run)
    else:
        with pytest.raises(UnsafeURLError):
            asyncio.run(run)


def test_private_addresses_allowed_when_configured():
    asyncio.run(check_url("http://127.0.0.1:8000/feed", allow_private=True, resolver=DNS))
    with pytest.raises(UnsafeURLError):
        asyncio.run(check_url("file:///etc/passwd", allow_private=True, resolver=DNS))


@pytest.mark.parametrize(
    ("address", "public"),
    [("8.8.8.8", True), ("10.0.0.1", False), ("::ffff:10.0.0.1", False),
     ("2002:0a00:0001::", False), ("fd00::1", False), ("224.0.0.1", False)],
)
def test_public_addresses(address, public):
    assert is_public_address(address) is public


def get(handler, url="https://news.example/feed", limits=LIMITS, **kwargs):
    async def go():
        async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as client:
            return await fetch(client, url, limits, resolver=DNS, **kwargs)

    return asyncio.run(go())


def test_redirect_into_private_space_is_refused():
    def handler(request):
        if request.headers["host"] == "news.example":
            return httpx.Response(302, headers={"Location": "http://internal.example/admin"})
        return httpx.Response(200, text="secret")

    with pytest.raises(UnsafeURLError, match="private"):
        get(handler)


def test_redirect_loop_is_capped():
    def handler(request):
        return httpx.Response(301, headers={"Location": "/again"})

    with pytest.raises(FetchError, match="more than 3 redirects"):
        get(handler)


def test_redirect_to_file_scheme_refused():
    def handler(request):
        return httpx.Response(302, headers={"Location": "file:///etc/passwd"})

    with pytest.raises(UnsafeURLError):
        get(handler)


def test_body_over_the_cap_is_refused_while_streaming():
    async def chunks():
        yield b"x" * 600
        yield b"x" * 600

    def handler(request):
        return httpx.Response(200, content=chunks())

    with pytest.raises(FetchError, match="too large"):
        get(handler)


def test_declared_length_over_the_cap_is_refused():
    def handler(request):
        return httpx.Response(200, content=b"x" * 2000)

    with pytest.raises(FetchError, match="too large"):
        get(handler)


def test_conditional_get_sends_validators_and_understands_304():
    seen = {}

    def handler(request):
        seen.update(request.headers)
        return httpx.Response(304)

    result = get(handler, etag='"abc"', last_modified="Sat, 12 Mar 2022 00:00:00 GMT")
    assert result.not_modified
    assert seen["if-none-match"] == '"abc"'
    assert seen["if-modified-since"] == "Sat, 12 Mar 2022 00:00:00 GMT"
    assert seen["user-agent"].startswith("Sitrep")


def test_http_errors_are_reported_in_words():
    with pytest.raises(FetchError, match="HTTP 503"):
        get(lambda request: httpx.Response(503))


def test_slow_server_times_out():
    async def handler(request):
        await asyncio.sleep(5)
        return httpx.Response(200)

    quick = FetchLimits(connect_timeout=0.1, read_timeout=0.1)
    with pytest.raises(FetchError, match="timed out"):
        get(handler, limits=quick)


def test_the_connection_goes_to_the_address_that_was_checked():
    """DNS rebinding: a name that answers a public address to the check and 127.0.0.1 to the
    connection. The fetch connects to the checked address and never asks the name again."""
    answers = iter([["93.184.216.34"], ["127.0.0.1"]])
    asked = []

    async def rebinding(host: str, port: int) -> list[str]:
        asked.append(host)
        return next(answers)

    seen = []

    def handler(request):
        seen.append((request.url.host, request.headers["host"],
                     request.extensions.get("sni_hostname")))
        return httpx.Response(200, text="<rss/>")

    client = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    limits = FetchLimits(allow_private=False, max_redirects=3)
    fetched = asyncio.run(fetch(client, "https://rebind.example/feed", limits, resolver=rebinding))
    assert fetched.status == 200
    assert asked == ["rebind.example"]  # resolved once, for the check
    assert seen == [("93.184.216.34", "rebind.example", "rebind.example")]


@pytest.mark.parametrize(
    ("url", "address", "target", "host"),
    [
        ("https://news.example/feed?x=1", "93.184.216.34", "https://93.184.216.34/feed?x=1",
         "news.example"),
        ("http://news.example:8080/a", "93.184.216.34", "http://93.184.216.34:8080/a",
         "news.example:8080"),
        ("https://v6.example/", "2606:4700:4700::1111", "https://[2606:4700:4700::1111]/",
         "v6.example"),
    ],
)
def test_pinned_request(url, address, target, host):
    from briefings.fetch import pinned_request

    pinned, headers, _ = pinned_request(url, address)
    assert (pinned, headers["Host"]) == (target, host)
