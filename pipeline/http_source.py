"""Documents fetched over HTTP(S): telling URLs and URL-list files apart, and conditional GETs with retries.

``fetch_url`` answers with the same :class:`pipeline.source.SourceBytes` a
local file gives, so the readers never know where bytes came from; every
failure is a :class:`pipeline.errors.ReadError` with a typed reason.
"""

from __future__ import annotations

import importlib.metadata
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from http import HTTPStatus
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlsplit

import httpx

from pipeline.errors import ReadError, ReadFailure
from pipeline.settings import Settings
from pipeline.source import HTML, SourceBytes, source_from_bytes

URL_SCHEMES = frozenset({"http", "https"})
# A server asking for a longer pause than this is waited for this long only;
# the attempt count still bounds the whole fetch.
RETRY_AFTER_CAP = 60.0
# A line this long is no URL, and stopping here keeps a binary file without
# newlines from being read whole just to learn it is not a list.
_MAX_LIST_LINE_BYTES = 64 * 1024
# Servers label files they know nothing about as octet streams; such a label
# must not outrank the name in the URL (``plan.txt``) when content sniffing fails.
_UNINFORMATIVE_TYPES = frozenset({"application/octet-stream", "binary/octet-stream", "application/force-download"})
_TYPE_ALIASES = {"application/xhtml+xml": HTML}
_GONE_STATUSES = frozenset({HTTPStatus.NOT_FOUND, HTTPStatus.GONE})
_GIVE_UP_HINTS = {
    ReadFailure.TIMEOUT: "raise --http-timeout if the server is slow",
    ReadFailure.UNREACHABLE: "check the address and the network",
    ReadFailure.HTTP_ERROR: "the server is failing or throttling; try again later",
}

Sleep = Callable[[float], None]


@dataclass(frozen=True)
class Fetched:
    """A document fetched in full, with the validators to ask for it conditionally next time."""

    raw: SourceBytes
    etag: str | None
    last_modified: str | None


@dataclass(frozen=True)
class NotModified:
    """The server's answer that the document is unchanged since the validators were issued."""

    url: str
    etag: str | None
    last_modified: str | None


class _TransientFailure(Exception):
    """A failed attempt worth repeating: no answer, or a server that is busy or failing."""

    def __init__(self, reason: ReadFailure, detail: str, retry_after: float | None = None) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail
        self.retry_after = retry_after


def is_url(text: str) -> bool:
    """True for an absolute http(s) URL with a host and no white space."""
    if not text or any(character.isspace() for character in text):
        return False
    try:
        parts = urlsplit(text)
        return parts.scheme.lower() in URL_SCHEMES and bool(parts.hostname)
    except ValueError:  # malformed IPv6 literal or port
        return False


def read_url_list(path: Path) -> list[str] | None:
    """The URLs a list file names, in order and without repeats; None if the file is not such a list.

    A list is a UTF-8 text file whose every line is blank, a ``#`` comment
    or an http(s) URL, with at least one URL. One line of anything else
    (prose that merely mentions a URL) makes it an ordinary document.
    """
    urls: list[str] = []
    try:
        with path.open("rb") as stream:
            for line in _stripped_lines(stream):
                if not line or line.startswith("#"):
                    continue
                if not is_url(line):
                    return None
                urls.append(line)
    except (OSError, ValueError):  # unreadable, not UTF-8, or a line no URL could be
        return None
    return list(dict.fromkeys(urls)) or None


def _stripped_lines(stream: BinaryIO) -> Iterator[str]:
    while line := stream.readline(_MAX_LIST_LINE_BYTES + 1):
        if len(line) > _MAX_LIST_LINE_BYTES:
            raise ValueError("line too long for a URL")
        yield line.decode("utf-8").removeprefix("\ufeff").strip()


def fetch_url(
    url: str,
    settings: Settings,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    sleep: Sleep = time.sleep,
) -> Fetched | NotModified:
    """Fetches ``url``, conditionally when validators are given, retrying transient failures.

    Connection failures, timeouts, 429 and 5xx answers are retried up to
    ``settings.http_retries`` times, waiting ``http_backoff * 2**n`` seconds
    before retry ``n`` (longer if the server asks, up to RETRY_AFTER_CAP).
    Other 4xx answers fail at once. The body is read in chunks and refused
    as soon as it passes ``settings.max_bytes``.
    """
    if not is_url(url):
        raise ReadError(url, ReadFailure.UNSUPPORTED, "not an http(s) URL; give a URL or a local path")
    attempts = settings.http_retries + 1
    with _open_client(settings) as client:
        for attempt in range(attempts):
            try:
                return _fetch_once(client, url, _conditional_headers(etag, last_modified), settings)
            except _TransientFailure as failure:
                last_failure = failure
                if attempt + 1 < attempts:
                    sleep(retry_wait(settings.http_backoff, attempt, failure.retry_after))
    raise _gave_up(url, last_failure, attempts)


def retry_wait(backoff: float, retry_number: int, retry_after: float | None = None) -> float:
    """Seconds to wait before retry ``retry_number`` (0 for the first), honouring a capped Retry-After."""
    wait = backoff * 2**retry_number
    if retry_after is None:
        return wait
    return max(wait, min(retry_after, RETRY_AFTER_CAP))


def user_agent() -> str:
    """How plansift names itself to servers: product and version."""
    return f"plansift/{_plansift_version()}"


@cache
def _plansift_version() -> str:
    try:
        return importlib.metadata.version("plansift")
    except importlib.metadata.PackageNotFoundError:  # running from a source tree
        return "dev"


def _open_client(settings: Settings) -> httpx.Client:
    return httpx.Client(
        timeout=settings.http_timeout,
        follow_redirects=True,
        headers={"User-Agent": user_agent()},
    )


def _conditional_headers(etag: str | None, last_modified: str | None) -> dict[str, str]:
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    return headers


def _fetch_once(client: httpx.Client, url: str, headers: dict[str, str], settings: Settings) -> Fetched | NotModified:
    """One attempt; raises _TransientFailure for what a retry may cure and ReadError for the rest."""
    try:
        with client.stream("GET", url, headers=headers) as response:
            return _answer(url, response, headers, settings.max_bytes)
    except httpx.TimeoutException as error:
        raise _TransientFailure(
            ReadFailure.TIMEOUT, f"no response within {settings.http_timeout:g} s ({type(error).__name__})"
        ) from None
    except httpx.TransportError as error:
        raise _TransientFailure(
            ReadFailure.UNREACHABLE, f"the connection failed ({type(error).__name__}: {error})"
        ) from None
    except httpx.TooManyRedirects:
        raise ReadError(url, ReadFailure.HTTP_ERROR, "too many redirects (a redirect loop?)") from None
    except httpx.DecodingError as error:
        raise ReadError(url, ReadFailure.CORRUPT, f"the response body cannot be decoded ({error})") from None
    except httpx.InvalidURL as error:
        raise ReadError(url, ReadFailure.UNSUPPORTED, f"not a valid URL ({error})") from None


def _answer(url: str, response: httpx.Response, headers: dict[str, str], max_bytes: int) -> Fetched | NotModified:
    """What one response means: the document, 'unchanged', or a failure."""
    status = response.status_code
    if status == HTTPStatus.NOT_MODIFIED:
        return NotModified(
            url,
            response.headers.get("ETag", headers.get("If-None-Match")),
            response.headers.get("Last-Modified", headers.get("If-Modified-Since")),
        )
    if status == HTTPStatus.TOO_MANY_REQUESTS or status >= 500:
        raise _TransientFailure(
            ReadFailure.HTTP_ERROR, _status_detail(response), _retry_after(response.headers.get("Retry-After"))
        )
    if not 200 <= status < 300:
        reason = ReadFailure.NOT_FOUND if status in _GONE_STATUSES else ReadFailure.HTTP_ERROR
        raise ReadError(url, reason, _status_detail(response))
    data = _read_body(url, response, max_bytes)
    return Fetched(
        raw=source_from_bytes(url, data, declared_type=declared_media_type(response.headers.get("Content-Type"))),
        etag=response.headers.get("ETag"),
        last_modified=response.headers.get("Last-Modified"),
    )


def declared_media_type(content_type: str | None) -> str | None:
    """The media type a Content-Type header names, without parameters; None when it says nothing useful."""
    if not content_type:
        return None
    media_type = content_type.split(";", 1)[0].strip().lower()
    if not media_type or media_type in _UNINFORMATIVE_TYPES:
        return None
    return _TYPE_ALIASES.get(media_type, media_type)


def _read_body(url: str, response: httpx.Response, max_bytes: int) -> bytes:
    announced = _content_length(response)
    if announced is not None and announced > max_bytes:
        raise _too_large(url, f"the server announces {announced:,} bytes", max_bytes)
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > max_bytes:
            raise _too_large(url, "the response", max_bytes)
        chunks.append(chunk)
    return b"".join(chunks)


def _content_length(response: httpx.Response) -> int | None:
    try:
        return int(response.headers["Content-Length"])
    except (KeyError, ValueError):
        return None


def _too_large(url: str, what: str, max_bytes: int) -> ReadError:
    return ReadError(
        url, ReadFailure.TOO_LARGE, f"{what} is over the limit of {max_bytes:,} bytes; raise --max-bytes to read it"
    )


def _status_detail(response: httpx.Response) -> str:
    detail = f"the server answered {_status_line(response)}"
    # After a redirect the URL asked for is not the one that failed; name both.
    return f"{detail} for {response.url}" if response.history else detail


def _status_line(response: httpx.Response) -> str:
    phrase = response.reason_phrase
    if not phrase:  # HTTP/2 carries no reason phrase
        try:
            phrase = HTTPStatus(response.status_code).phrase
        except ValueError:
            phrase = ""
    return f"{response.status_code} {phrase}".strip()


def _retry_after(value: str | None) -> float | None:
    """Seconds from a numeric Retry-After; the HTTP-date form is left to the backoff."""
    if value is None or not value.strip().isdigit():
        return None
    return float(value.strip())


def _gave_up(url: str, failure: _TransientFailure, attempts: int) -> ReadError:
    tries = f"{attempts} attempt" if attempts == 1 else f"{attempts} attempts"
    return ReadError(url, failure.reason, f"{failure.detail}; gave up after {tries} ({_GIVE_UP_HINTS[failure.reason]})")
