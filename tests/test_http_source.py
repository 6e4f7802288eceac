"""Fetching documents over HTTP against a real server on the loopback interface, and URL-list files."""

from __future__ import annotations

import socket
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from pipeline.errors import ReadError, ReadFailure
from pipeline.http_source import (
    RETRY_AFTER_CAP,
    Fetched,
    NotModified,
    declared_media_type,
    fetch_url,
    is_url,
    read_url_list,
    retry_wait,
    user_agent,
)
from pipeline.settings import Settings
from pipeline.source import HTML, PDF, TEXT

PLAN_TEXT = "Hankesuunnitelma 2024–2026\nKunnanhallitus päätti hankkeen rahoituksesta.\n".encode()
PLAN_ETAG = '"plan-v1"'
PLAN_LAST_MODIFIED = "Wed, 01 May 2024 10:00:00 GMT"
HUGE_BODY_BYTES = 64 * 1024 * 1024
HUGE_CHUNK = b"a" * (64 * 1024)
BODIES = {
    "html": b"<!doctype html><html><body><p>Kaavoitus</p></body></html>",
    "words": PLAN_TEXT,
    "pdf": b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n",
}


class PlanServer(ThreadingHTTPServer):
    """A local site that remembers every request it was sent."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), PlanHandler)
        self.lock = threading.Lock()
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.huge_bytes_sent: int | None = None
        self.huge_done = threading.Event()

    def record(self, path: str, headers: dict[str, str]) -> int:
        """Remembers a request; returns how many requests this exact path has had, this one included."""
        with self.lock:
            self.requests.append((path, headers))
            return sum(1 for seen, _ in self.requests if seen == path)

    def handle_error(self, request: object, client_address: object) -> None:
        # Clients hanging up mid-answer (timeouts, refused bodies) are what
        # several tests provoke; the tracebacks would only be noise.
        pass


class PlanHandler(BaseHTTPRequestHandler):
    server: PlanServer

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        count = self.server.record(self.path, {k.lower(): v for k, v in self.headers.items()})
        parts = urlsplit(self.path)
        query = {key: values[0] for key, values in parse_qs(parts.query).items()}
        route = parts.path.split("/")[1]
        getattr(self, "_" + route.replace("-", "_").replace(".", "_"))(query, count)

    def _plan_txt(self, query: dict[str, str], count: int) -> None:
        unchanged = self.headers.get("If-None-Match") == PLAN_ETAG
        if unchanged or self.headers.get("If-Modified-Since") == PLAN_LAST_MODIFIED:
            self.send_response(304)
            self.send_header("ETag", PLAN_ETAG)
            self.end_headers()
            return
        self._send(PLAN_TEXT, "text/plain; charset=utf-8", ETag=PLAN_ETAG, **{"Last-Modified": PLAN_LAST_MODIFIED})

    def _flaky(self, query: dict[str, str], count: int) -> None:
        if count <= int(query["failures"]):
            self.send_error(503)
        else:
            self._send(PLAN_TEXT, "text/plain")

    def _throttled(self, query: dict[str, str], count: int) -> None:
        if count == 1:
            self.send_response(429)
            self.send_header("Retry-After", query["retry_after"])
            self.send_header("Content-Length", "0")
            self.end_headers()
        else:
            self._send(PLAN_TEXT, "text/plain")

    def _status(self, query: dict[str, str], count: int) -> None:
        self.send_error(int(query["code"]))

    def _slow(self, query: dict[str, str], count: int) -> None:
        time.sleep(1.0)
        self._send(PLAN_TEXT, "text/plain")

    def _moved(self, query: dict[str, str], count: int) -> None:
        self.send_response(302)
        self.send_header("Location", query["to"])
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _typed(self, query: dict[str, str], count: int) -> None:
        self._send(BODIES[query["body"]], query["type"])

    def _empty(self, query: dict[str, str], count: int) -> None:
        self._send(b"", "text/plain")

    def _announced_huge(self, query: dict[str, str], count: int) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(10**12))
        self.end_headers()
        self.wfile.write(PLAN_TEXT)

    def _huge(self, query: dict[str, str], count: int) -> None:
        # No Content-Length: the client can only find out by reading.
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        sent = 0
        try:
            while sent < HUGE_BODY_BYTES:
                self.wfile.write(HUGE_CHUNK)
                sent += len(HUGE_CHUNK)
        except OSError:  # the client hung up
            pass
        finally:
            self.server.huge_bytes_sent = sent
            self.server.huge_done.set()

    def _send(self, body: bytes, content_type: str, **headers: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)


@dataclass(frozen=True)
class LocalSite:
    server: PlanServer
    base: str

    def url(self, path: str) -> str:
        return self.base + path

    def requests_to(self, path: str) -> list[dict[str, str]]:
        with self.server.lock:
            return [headers for seen, headers in self.server.requests if seen == path]


@pytest.fixture(scope="module")
def site() -> Iterator[LocalSite]:
    server = PlanServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield LocalSite(server, f"http://127.0.0.1:{server.server_address[1]}")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def settings(**changes: object) -> Settings:
    base = {"http_timeout": 5.0, "http_retries": 2, "http_backoff": 0.25}
    return Settings(**{**base, **changes})


def unique(path: str) -> str:
    """``path`` with a fresh key, so that per-path request counts start at zero."""
    return f"{path}{'&' if '?' in path else '?'}key={uuid.uuid4().hex}"


# --- is_url and URL lists ---------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("https://www.hel.fi/kaavoitus/plan.pdf", True),
        ("http://127.0.0.1:8000/a?b=c", True),
        ("HTTPS://example.fi", True),
        ("ftp://example.fi/plan.pdf", False),
        ("file:///srv/plan.pdf", False),
        ("www.example.fi/plan.pdf", False),
        ("https://", False),
        ("https://example.fi/a b", False),
        (" https://example.fi", False),
        ("http://[::1", False),
        ("", False),
    ],
)
def test_is_url_accepts_only_absolute_http_urls(text: str, expected: bool) -> None:
    assert is_url(text) is expected


def test_a_url_list_gives_its_urls_in_order_without_repeats(tmp_path: Path) -> None:
    listing = tmp_path / "sources.txt"
    listing.write_text(
        "\ufeff# Kuntien suunnitelmat\n"
        "https://www.example.fi/b.pdf\n"
        "\n"
        "   http://kunta.example/a.html  \n"
        "  # comments may be indented\n"
        "https://www.example.fi/b.pdf\n",
        encoding="utf-8",
    )
    assert read_url_list(listing) == ["https://www.example.fi/b.pdf", "http://kunta.example/a.html"]


def test_a_finnish_paragraph_mentioning_a_url_is_not_a_list(tmp_path: Path) -> None:
    document = tmp_path / "hanke.txt"
    document.write_text(
        "Hankkeen tavoitteena on parantaa pyöräilyn olosuhteita keskustassa.\n"
        "https://www.example.fi/hankkeet/pyoraily\n"
        "Lisätietoja antaa liikenneinsinööri Päivi Mäkinen, puh. 040 123 4567.\n",
        encoding="utf-8",
    )
    assert read_url_list(document) is None


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"# only a comment\n\n",
        b"https://example.fi/a.pdf Kaavoitusohjelma\n",
        b"www.example.fi/a.pdf\n",
        b"ftp://example.fi/a.pdf\n",
        b"https://example.fi/\xe4\xf6.pdf\n",  # Latin-1, not UTF-8
        b"%PDF-1.7\n\x00\x01\x02\xff\n",
        b"https://example.fi/" + b"a" * 70_000,
    ],
    ids=["empty", "comments-only", "url-and-words", "no-scheme", "ftp", "not-utf8", "binary", "endless-line"],
)
def test_other_files_are_not_lists(tmp_path: Path, content: bytes) -> None:
    candidate = tmp_path / "candidate.txt"
    candidate.write_bytes(content)
    assert read_url_list(candidate) is None


def test_a_missing_file_is_not_a_list(tmp_path: Path) -> None:
    assert read_url_list(tmp_path / "nowhere.txt") is None


# --- fetching ---------------------------------------------------------------


def test_a_document_comes_with_its_validators_and_the_url_as_source(site: LocalSite) -> None:
    fetched = fetch_url(site.url("/plan.txt"), settings())

    assert isinstance(fetched, Fetched)
    assert fetched.raw.source == site.url("/plan.txt")
    assert fetched.raw.data == PLAN_TEXT
    assert fetched.raw.media_type == TEXT
    assert (fetched.etag, fetched.last_modified) == (PLAN_ETAG, PLAN_LAST_MODIFIED)


def test_a_request_names_plansift_as_its_user_agent(site: LocalSite) -> None:
    path = unique("/plan.txt")
    fetch_url(site.url(path), settings())
    assert site.requests_to(path)[0]["user-agent"] == user_agent()
    assert user_agent().startswith("plansift/")


def test_an_unchanged_document_is_not_modified(site: LocalSite) -> None:
    path = unique("/plan.txt")

    answer = fetch_url(site.url(path), settings(), etag=PLAN_ETAG, last_modified=PLAN_LAST_MODIFIED)

    assert answer == NotModified(site.url(path), PLAN_ETAG, PLAN_LAST_MODIFIED)
    [headers] = site.requests_to(path)
    assert headers["if-none-match"] == PLAN_ETAG
    assert headers["if-modified-since"] == PLAN_LAST_MODIFIED


def test_a_date_alone_makes_the_request_conditional(site: LocalSite) -> None:
    path = unique("/plan.txt")

    answer = fetch_url(site.url(path), settings(), last_modified=PLAN_LAST_MODIFIED)

    assert isinstance(answer, NotModified)
    [headers] = site.requests_to(path)
    assert headers["if-modified-since"] == PLAN_LAST_MODIFIED
    assert "if-none-match" not in headers


def test_a_changed_document_is_fetched_again(site: LocalSite) -> None:
    path = unique("/plan.txt")

    answer = fetch_url(site.url(path), settings(), etag='"plan-v0"')

    assert isinstance(answer, Fetched)
    assert answer.etag == PLAN_ETAG
    [headers] = site.requests_to(path)
    assert headers["if-none-match"] == '"plan-v0"'
    assert "if-modified-since" not in headers


def test_an_unconditional_request_sends_no_validators(site: LocalSite) -> None:
    path = unique("/plan.txt")
    fetch_url(site.url(path), settings())
    [headers] = site.requests_to(path)
    assert "if-none-match" not in headers and "if-modified-since" not in headers


def test_a_failing_server_is_retried_with_doubling_waits(site: LocalSite) -> None:
    path = unique("/flaky?failures=2")
    waits: list[float] = []

    fetched = fetch_url(site.url(path), settings(http_retries=3, http_backoff=0.25), sleep=waits.append)

    assert isinstance(fetched, Fetched)
    assert fetched.raw.data == PLAN_TEXT
    assert waits == [0.25, 0.5]
    assert len(site.requests_to(path)) == 3


def test_a_server_that_keeps_failing_is_given_up_on(site: LocalSite) -> None:
    path = unique("/flaky?failures=99")
    waits: list[float] = []

    with pytest.raises(ReadError) as caught:
        fetch_url(site.url(path), settings(http_retries=2, http_backoff=1.0), sleep=waits.append)

    assert caught.value.reason is ReadFailure.HTTP_ERROR
    assert str(caught.value).startswith(site.url(path) + ": ")
    assert "503 Service Unavailable" in caught.value.detail
    assert "gave up after 3 attempts" in caught.value.detail
    assert waits == [1.0, 2.0]
    assert len(site.requests_to(path)) == 3


@pytest.mark.parametrize(("retry_after", "expected_wait"), [("7", 7.0), ("100000", RETRY_AFTER_CAP)])
def test_a_throttled_request_waits_as_long_as_the_server_asks_within_a_cap(
    site: LocalSite, retry_after: str, expected_wait: float
) -> None:
    path = unique(f"/throttled?retry_after={retry_after}")
    waits: list[float] = []

    fetched = fetch_url(site.url(path), settings(http_backoff=0.5), sleep=waits.append)

    assert isinstance(fetched, Fetched)
    assert waits == [expected_wait]


def test_retry_waits_double_and_a_retry_after_only_lengthens_them() -> None:
    assert [retry_wait(0.5, n) for n in range(4)] == [0.5, 1.0, 2.0, 4.0]
    assert retry_wait(4.0, 0, retry_after=1.0) == 4.0
    assert retry_wait(0.0, 0, retry_after=1.0e9) == RETRY_AFTER_CAP


@pytest.mark.parametrize(
    ("code", "reason", "status_line"),
    [(404, ReadFailure.NOT_FOUND, "404 Not Found"), (403, ReadFailure.HTTP_ERROR, "403 Forbidden")],
)
def test_a_client_error_fails_at_once(site: LocalSite, code: int, reason: ReadFailure, status_line: str) -> None:
    path = unique(f"/status?code={code}")
    waits: list[float] = []

    with pytest.raises(ReadError) as caught:
        fetch_url(site.url(path), settings(), sleep=waits.append)

    assert caught.value.reason is reason
    assert str(caught.value) == f"{site.url(path)}: the server answered {status_line}"
    assert waits == []
    assert len(site.requests_to(path)) == 1


def test_a_server_slower_than_the_timeout_times_out_after_the_retries(site: LocalSite) -> None:
    path = unique("/slow")
    waits: list[float] = []

    with pytest.raises(ReadError) as caught:
        fetch_url(site.url(path), settings(http_timeout=0.3, http_retries=1, http_backoff=0.0), sleep=waits.append)

    assert caught.value.reason is ReadFailure.TIMEOUT
    assert "no response within 0.3 s" in caught.value.detail
    assert "gave up after 2 attempts" in caught.value.detail
    assert waits == [0.0]
    assert len(site.requests_to(path)) == 2


def test_a_refused_connection_is_retried_then_reported_unreachable() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{closed_port}/plan.txt"
    waits: list[float] = []

    with pytest.raises(ReadError) as caught:
        fetch_url(url, settings(http_retries=2, http_backoff=0.5), sleep=waits.append)

    assert caught.value.reason is ReadFailure.UNREACHABLE
    assert caught.value.source == url
    assert "gave up after 3 attempts" in caught.value.detail
    assert waits == [0.5, 1.0]


def test_a_redirect_is_followed_and_the_source_stays_the_url_asked_for(site: LocalSite) -> None:
    path = unique("/moved?to=/plan.txt")

    fetched = fetch_url(site.url(path), settings())

    assert isinstance(fetched, Fetched)
    assert fetched.raw.source == site.url(path)
    assert fetched.raw.data == PLAN_TEXT
    assert fetched.etag == PLAN_ETAG


def test_a_redirect_to_a_missing_page_names_where_it_led(site: LocalSite) -> None:
    path = unique("/moved?to=/status?code=404")

    with pytest.raises(ReadError) as caught:
        fetch_url(site.url(path), settings())

    assert caught.value.reason is ReadFailure.NOT_FOUND
    assert caught.value.detail == f"the server answered 404 Not Found for {site.url('/status?code=404')}"


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/typed?type=text/html;%20charset=utf-8&body=html", HTML),
        ("/typed?type=text/html;%20charset=iso-8859-1&body=words", HTML),
        ("/typed?type=text/html;%20charset=utf-8&body=pdf", PDF),
        ("/typed/plan.txt?type=application/octet-stream&body=words", TEXT),
        ("/typed/plan.txt?type=text/plain;%20charset=utf-8&body=html", HTML),
    ],
    ids=["html-declared-and-sniffed", "html-declared-only", "content-beats-header", "octet-stream-uses-name", "sniff"],
)
def test_the_media_type_comes_from_the_content_then_the_header(site: LocalSite, path: str, expected: str) -> None:
    fetched = fetch_url(site.url(path), settings())
    assert isinstance(fetched, Fetched)
    assert fetched.raw.media_type == expected


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("text/html; charset=ISO-8859-1", HTML),
        ("Application/PDF", PDF),
        ("application/xhtml+xml", HTML),
        ("application/octet-stream", None),
        ("", None),
        (None, None),
    ],
)
def test_the_declared_media_type_drops_parameters(header: str | None, expected: str | None) -> None:
    assert declared_media_type(header) == expected


def test_an_empty_body_is_an_empty_document(site: LocalSite) -> None:
    with pytest.raises(ReadError) as caught:
        fetch_url(site.url(unique("/empty")), settings())
    assert caught.value.reason is ReadFailure.EMPTY


def test_an_announced_oversized_body_is_refused_before_reading(site: LocalSite) -> None:
    with pytest.raises(ReadError) as caught:
        fetch_url(site.url(unique("/announced-huge")), settings(max_bytes=1024))
    assert caught.value.reason is ReadFailure.TOO_LARGE
    assert "1,000,000,000,000 bytes" in caught.value.detail


def test_an_oversized_body_is_refused_while_streaming(site: LocalSite) -> None:
    site.server.huge_done.clear()

    with pytest.raises(ReadError) as caught:
        fetch_url(site.url(unique("/huge")), settings(max_bytes=1024 * 1024))

    assert caught.value.reason is ReadFailure.TOO_LARGE
    assert "over the limit of 1,048,576 bytes" in caught.value.detail
    # The client hung up: the server could not send the whole body.
    assert site.server.huge_done.wait(timeout=10)
    assert site.server.huge_bytes_sent is not None
    assert site.server.huge_bytes_sent < HUGE_BODY_BYTES


def test_a_non_http_url_is_refused_without_a_request() -> None:
    with pytest.raises(ReadError) as caught:
        fetch_url("ftp://example.fi/plan.pdf", settings())
    assert caught.value.reason is ReadFailure.UNSUPPORTED
