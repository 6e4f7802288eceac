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


def test_a_folder_where_a_file_was_expected_is_not_a_file(tmp_path: Path) -> None:
    folder = tmp_path / "not-a-file.txt"
    folder.mkdir()
    with pytest.raises(ReadError) as raised:
        load_source(folder, max_bytes=10_000_000)
    assert raised.value.reason is ReadFailure.NOT_A_FILE
    assert str(raised.value) == f"{folder}: not a regular file: a folder"


def test_a_link_loop_is_a_read_error_naming_it(tmp_path: Path) -> None:
    loop = tmp_path / "silmukka.txt"
    loop.symlink_to(loop)
    with pytest.raises(ReadError) as raised:
        load_source(loop, max_bytes=10_000_000)
    assert raised.value.reason is ReadFailure.UNREADABLE
    assert str(raised.value) == f"{loop}: symbolic link loop: the link leads back to itself"


def test_a_missing_file_is_not_found(tmp_path: Path) -> None:
    with pytest.raises(ReadError) as raised:
        load_source(tmp_path / "poistettu.txt", max_bytes=10_000_000)
    assert raised.value.reason is ReadFailure.NOT_FOUND
    assert raised.value.detail == "no such file or folder"


@pytest.mark.skipif(not Path("/proc/self/status").is_file(), reason="needs Linux /proc")
def test_a_file_longer_than_its_size_said_is_read_no_further_than_the_limit() -> None:
    # /proc files are regular files that report size 0 and yield as much as
    # they hold: what a file growing while it is read looks like.
    status = Path("/proc/self/status")
    assert status.stat().st_size == 0 and len(status.read_bytes()) > 200
    with pytest.raises(ReadError) as raised:
        load_source(status, max_bytes=100)
    assert raised.value.reason is ReadFailure.TOO_LARGE
    assert raised.value.detail == "file grew past the limit of 100 bytes while being read; raise --max-bytes to read it"


def test_a_file_is_read_whole_when_it_is_within_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "plan.txt"
    data = b"Hankkeen rahoitus on 5 000 euroa.\n" * 100_000
    path.write_bytes(data)
    raw = load_source(path, max_bytes=len(data))
    assert raw.data == data and raw.media_type == TEXT


@pytest.mark.parametrize("data", [b"", b" \t\r\n\x0b\x0c"])
def test_white_space_alone_is_an_empty_file(data: bytes) -> None:
    with pytest.raises(ReadError) as raised:
        source_from_bytes("tyhja.txt", data)
    assert raised.value.reason is ReadFailure.EMPTY
