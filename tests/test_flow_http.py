"""The ingest flow over HTTP: a URL list served on 127.0.0.1, conditional requests on the next run."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from pipeline.settings import Settings
from warehouse.connection import open_engine
from warehouse.models import DocumentRow

pytestmark = pytest.mark.usefixtures("prefect_harness")


class Site(ThreadingHTTPServer):
    """Documents by path, with ETags; counts full answers and 304s."""

    def __init__(self, documents: dict[str, bytes]) -> None:
        super().__init__(("127.0.0.1", 0), Page)
        self.documents = documents
        self.full: list[str] = []
        self.not_modified: list[str] = []


class Page(BaseHTTPRequestHandler):
    server: Site

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        body = self.server.documents.get(self.path)
        if body is None:
            self.send_error(404)
            return
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        if self.headers.get("If-None-Match") == etag:
            self.server.not_modified.append(self.path)
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            return
        self.server.full.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("ETag", etag)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def site(seed_paths: list[Path]) -> Iterator[Site]:
    server = Site({f"/plans/{p.name}": p.read_bytes() for p in seed_paths[:2]})
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_a_url_list_is_fetched_then_asked_again_only_if_changed(site: Site, tmp_path: Path) -> None:
    from flows.ingest import ingest_flow

    base = f"http://127.0.0.1:{site.server_address[1]}"
    urls = [f"{base}{path}" for path in site.documents] + [f"{base}/plans/gone.txt"]
    listing = tmp_path / "urls.txt"
    listing.write_text("# plans to follow\n" + "\n".join(urls) + "\n", "utf-8")
    settings = Settings(db_url=f"sqlite:///{tmp_path / 'w.db'}", http_retries=0)

    first = ingest_flow([str(listing)], settings)

    assert first.count("new") == 2
    assert [(source, reason) for source, reason, _ in first.failures] == [(urls[2], "not_found")]
    with Session(open_engine(settings.db_url)) as session:
        etags = session.scalars(select(DocumentRow.etag).order_by(DocumentRow.source)).all()
    assert len(etags) == 2 and all(etags)

    second = ingest_flow([str(listing)], settings)

    assert second.count("unchanged") == 2 and second.count("new") == 0
    assert sorted(site.not_modified) == sorted(site.documents)
    assert len(site.full) == 2  # only the first run's answers carried a body


def test_a_new_extractor_version_fetches_whole_and_re_extracts_an_unchanged_url(
    site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import flows.ingest
    from flows.ingest import ingest_flow

    url = f"http://127.0.0.1:{site.server_address[1]}{next(iter(site.documents))}"
    settings = Settings(db_url=f"sqlite:///{tmp_path / 'w.db'}", http_retries=0)
    assert ingest_flow([url], settings).count("new") == 1
    monkeypatch.setattr(flows.ingest, "ruleset_version", lambda: "9.9.9+rules-changed")

    again = ingest_flow([url], settings)

    assert again.count("changed") == 1
    assert site.not_modified == []  # no validators sent: this version has never read it
