"""Identifying what bytes are, whatever their name says."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from pipeline.errors import ReadError, ReadFailure
from pipeline.source import DOCX, HTML, PDF, TEXT, load_source, sniff_media_type, source_from_bytes


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"%PDF-1.7\n...", PDF),
        (b"\xef\xbb\xbf<!DOCTYPE html><html><body>x</body></html>", HTML),
        (b"  <html lang='fi'><p>Hei</p>", HTML),
        (b"Hankkeet\n<p>solu</p>\tsolu", None),
        (b"PK\x03\x04not really a zip", None),
        (b"plain words", None),
    ],
)
def test_sniffing_reads_the_first_bytes(data: bytes, expected: str | None) -> None:
    assert sniff_media_type(data) == expected


def test_sniffing_recognises_a_word_document() -> None:
    assert sniff_media_type(docx_bytes()) == DOCX


def test_content_beats_the_file_name() -> None:
    raw = source_from_bytes("report.pdf", b"<!doctype html><html><body><p>Hei</p></body></html>")
    assert raw.media_type == HTML
    assert raw.suffix == ".pdf"


def test_unknown_bytes_fall_back_to_the_name_then_to_text() -> None:
    assert source_from_bytes("a.pdf", b"garbage").media_type == PDF
    assert source_from_bytes("a.weird", b"words").media_type == TEXT


def test_the_sha256_identifies_the_bytes() -> None:
    assert source_from_bytes("a.txt", b"abc").sha256 == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"


def test_an_oversized_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(b"x" * 2000)
    with pytest.raises(ReadError) as caught:
        load_source(path, max_bytes=1000)
    assert caught.value.reason is ReadFailure.TOO_LARGE
    assert str(caught.value) == f"{path}: file is 2,000 bytes, over the limit of 1,000; raise --max-bytes to read it"


def test_a_path_that_cannot_be_read_is_a_read_error_naming_it(tmp_path: Path) -> None:
    folder = tmp_path / "not-a-file.txt"
    folder.mkdir()
    with pytest.raises(ReadError) as raised:
        load_source(folder, max_bytes=10_000_000)
    assert raised.value.reason is ReadFailure.UNREADABLE
    assert str(folder) in str(raised.value)
