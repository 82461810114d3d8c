"""Safe HTTP fetching: timeouts, a streamed size cap, a redirect cap, http(s) only, no private
addresses (checked after DNS resolution, on every redirect hop), conditional GET.

The `httpx.AsyncClient` is passed in, so tests and benchmarks choose the transport.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx

from briefings.errors import FetchError, UnsafeURLError
from briefings.settings import declared_default

logger = logging.getLogger(__name__)

Resolver = Callable[[str, int], Awaitable[list[str]]]


@dataclass(frozen=True, slots=True)
class FetchLimits:
    # Defaults are the declared settings' (`poll_config` passes the effective ones).
    connect_timeout: float = declared_default("fetch.connect_timeout")
    read_timeout: float = declared_default("fetch.read_timeout")
    max_bytes: int = declared_default("fetch.max_feed_bytes")
    max_redirects: int = declared_default("fetch.max_redirects")
    allow_private: bool = declared_default("SITREP_ALLOW_PRIVATE_ADDRESSES")
    user_agent: str = declared_default("fetch.user_agent")

    @property
    def total_timeout(self) -> float:
        # A server trickling one byte per read_timeout must not hold a slot forever.
        return self.connect_timeout + 2 * self.read_timeout


@dataclass(frozen=True, slots=True)
class Fetched:
    url: str  # after redirects
    status: int  # 200 or 304
    body: bytes
    content_type: str
    etag: str | None
    last_modified: str | None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


async def system_resolver(host: str, port: int) -> list[str]:
    loop = asyncio.get_running_loop()
    infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [info[4][0] for info in infos]


def is_public_address(address: str) -> bool:
    """Whether an IP address is globally routable (not private, loopback, link-local, ...)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        mapped = ip.ipv4_mapped or ip.sixtofour
        if mapped is not None:
            ip = mapped
        elif ip.teredo is not None:
            ip = ip.teredo[1]
    return ip.is_global and not ip.is_multicast


def check_url_syntax(url: str) -> tuple[str, int]:
    """Reject anything but absolute http(s) URLs with a host; return (host, port)."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise UnsafeURLError(f"malformed URL {url!r}: {exc}") from exc
    if parts.scheme not in ("http", "https"):
        scheme = parts.scheme or "none"
        raise UnsafeURLError(f"only http and https URLs are fetched, not {scheme!r}")
    if not parts.hostname:
        raise UnsafeURLError(f"URL has no host: {url!r}")
    if parts.username or parts.password:
        raise UnsafeURLError("URLs with credentials are not fetched")
    return parts.hostname, port or (443 if parts.scheme == "https" else 80)


async def check_url(
    url: str, *, allow_private: bool, resolver: Resolver = system_resolver
) -> str | None:
    """Raise UnsafeURLError unless `url` is http(s) and every address it resolves to is public;
    return the checked address to connect to (None when private addresses are allowed)."""
    host, port = check_url_syntax(url)
    if allow_private:
        return None
    try:
        addresses = [str(ipaddress.ip_address(host.strip("[]")))]
    except ValueError:
        try:
            addresses = await resolver(host, port)
        except OSError as exc:
            raise FetchError(f"cannot resolve {host}: {exc}") from exc
    if not addresses:
        raise FetchError(f"cannot resolve {host}")
    for address in addresses:
        if not is_public_address(address):
            raise UnsafeURLError(
                f"{host} resolves to a private address ({address}); set "
                "SITREP_ALLOW_PRIVATE_ADDRESSES=1 to fetch from your own network"
            )
    return addresses[0]


def pinned_request(url: str, address: str | None) -> tuple[str, dict[str, str], dict]:
    """The URL, extra headers and extensions that connect to the address that was checked,
    keeping the Host header and the TLS server name of the original host, so a name that
    answers differently the second time (DNS rebinding) is never asked again."""
    if address is None:
        return url, {}, {}
    parts = urlsplit(url)
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    literal = f"[{ip}]" if ip.version == 6 else str(ip)
    netloc = literal if parts.port is None else f"{literal}:{parts.port}"
    host = parts.hostname or ""
    host_header = host if parts.port is None else f"{host}:{parts.port}"
    extensions = {"sni_hostname": host} if parts.scheme == "https" else {}
    return urlunsplit(parts._replace(netloc=netloc)), {"Host": host_header}, extensions


async def fetch(
    client: httpx.AsyncClient,
    url: str,
    limits: FetchLimits,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    resolver: Resolver = system_resolver,
) -> Fetched:
    """GET `url` within `limits`, following redirects by hand so each hop is checked."""
    try:
        return await asyncio.wait_for(
            _fetch(client, url, limits, etag, last_modified, resolver), limits.total_timeout
        )
    except TimeoutError as exc:
        raise FetchError(f"timed out after {limits.total_timeout:.0f} s") from exc


async def _fetch(
    client: httpx.AsyncClient,
    url: str,
    limits: FetchLimits,
    etag: str | None,
    last_modified: str | None,
    resolver: Resolver,
) -> Fetched:
    headers = {"User-Agent": limits.user_agent, "Accept-Encoding": "gzip, deflate"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    timeout = httpx.Timeout(limits.read_timeout, connect=limits.connect_timeout)
    current = url
    for _hop in range(limits.max_redirects + 1):
        address = await check_url(current, allow_private=limits.allow_private, resolver=resolver)
        target, host_headers, extensions = pinned_request(current, address)
        try:
            async with client.stream(
                "GET", target, headers={**headers, **host_headers}, timeout=timeout,
                follow_redirects=False, extensions=extensions,
            ) as response:
                if response.status_code == 304:
                    return Fetched(current, 304, b"", "", etag, last_modified)
                if response.status_code in (301, 302, 303, 307, 308):
                    location = response.headers.get("location")
                    if not location:
                        raise FetchError(f"HTTP {response.status_code} redirect without Location")
                    current = urljoin(current, location)
                    continue
                if response.status_code >= 400:
                    raise FetchError(f"HTTP {response.status_code} {response.reason_phrase}")
                body = await _read_capped(response, limits.max_bytes)
                return Fetched(
                    url=current,
                    status=response.status_code,
                    body=body,
                    content_type=response.headers.get("content-type", ""),
                    etag=response.headers.get("etag"),
                    last_modified=response.headers.get("last-modified"),
                )
        except httpx.TimeoutException as exc:
            raise FetchError(f"timed out ({type(exc).__name__})") from exc
        except httpx.HTTPError as exc:
            raise FetchError(f"{type(exc).__name__}: {exc}") from exc
    raise FetchError(f"more than {limits.max_redirects} redirects")


async def _read_capped(response: httpx.Response, max_bytes: int) -> bytes:
    declared = response.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise FetchError(f"body too large ({int(declared):,} bytes, limit {max_bytes:,})")
    chunks: list[bytes] = []
    total = 0
    async for chunk in response.aiter_bytes():
        total += len(chunk)
        if total > max_bytes:
            raise FetchError(f"body too large (over {max_bytes:,} bytes)")
        chunks.append(chunk)
    return b"".join(chunks)


def make_client(concurrency: int = 16) -> httpx.AsyncClient:
    """The shared HTTP client: bounded connections, no automatic redirects, no env proxies."""
    return httpx.AsyncClient(
        follow_redirects=False,
        trust_env=False,
        limits=httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency),
    )
