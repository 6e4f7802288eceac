"""Finding a batch's files: missing paths, pipes, devices and symbolic links are reported, never followed blindly.

A path named on the command line that is not there, or is not a regular
file, goes on to reading and fails there with its reason; the rest of the
batch is read. In a folder, links out of it, broken links, link loops,
pipes, sockets and devices are listed as Skipped with why, and a file
reached by two names is read once.
"""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from pipeline.batch import Failure, Skipped, discover_sources, read_or_fail
from pipeline.document import Document
from pipeline.errors import ReadFailure
from pipeline.settings import Settings

PLAN = "Hankkeen nimi on Testi ja sen rahoitus on 5 000 euroa.\n"
# Reading a named pipe used to block for ever; these calls must return,
# and a generous bound keeps a regression from hanging the suite.
HANG_BOUND_SECONDS = 60


def _within_bound(call: Callable[[], object]) -> object:
    """``call()``'s result; fails the test when it has not returned within the bound."""
    outcome: list[object] = []
    worker = threading.Thread(target=lambda: outcome.append(call()), daemon=True)
    worker.start()
    worker.join(HANG_BOUND_SECONDS)
    assert not worker.is_alive(), f"still running after {HANG_BOUND_SECONDS} s"
    return outcome[0]


def _write(path: Path, text: str = PLAN) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def unix_socket(tmp_path: Path) -> Iterator[Callable[[Path], Path]]:
    bound: list[socket.socket] = []

    def make(path: Path) -> Path:
        server = socket.socket(socket.AF_UNIX)
        server.bind(str(path))
        bound.append(server)
        return path

    yield make
    for server in bound:
        server.close()


def _skipped(items: list[object]) -> dict[str, str]:
    return {Path(item.source).name: item.detail for item in items if isinstance(item, Skipped)}


def _paths(items: list[object]) -> list[str]:
    return [Path(item).name for item in items if isinstance(item, Path)]


# -- paths named directly ----------------------------------------------------------------


def test_a_missing_path_is_a_not_found_failure_and_the_rest_of_the_batch_is_read(tmp_path: Path) -> None:
    good = _write(tmp_path / "hanke.txt")
    missing = tmp_path / "poistettu" / "urls.txt"

    found = list(discover_sources([str(missing), str(good)]))
    outcomes = [read_or_fail(item, Settings()) for item in found]

    assert found == [missing, good]
    failure, document = outcomes
    assert failure == Failure(str(missing), ReadFailure.NOT_FOUND.value, "no such file or folder")
    assert failure.message == f"{missing}: no such file or folder"
    assert isinstance(document, Document) and "5 000 euroa" in document.text


def test_a_missing_path_is_never_taken_for_a_url_or_a_url_list(tmp_path: Path) -> None:
    # Path() folds "https://" to "https:/": what was not a URL must not become one.
    missing = [tmp_path / "lista.txt", "https:/example.fi/suunnitelma.pdf", "kansio/https://example.fi"]
    found = list(discover_sources(missing))
    assert found == [Path(name) for name in missing]
    assert all(read_or_fail(item, Settings()).reason == ReadFailure.NOT_FOUND.value for item in found)


def test_a_broken_link_named_directly_says_where_it_points(tmp_path: Path) -> None:
    link = tmp_path / "linkki.txt"
    link.symlink_to(tmp_path / "ei-ole.txt")
    (found,) = discover_sources([link])
    failure = read_or_fail(found, Settings())
    assert failure.reason == ReadFailure.NOT_FOUND.value
    assert failure.detail == f"symbolic link to {tmp_path / 'ei-ole.txt'}, which does not exist"


def test_a_named_pipe_named_directly_fails_at_once_without_being_opened(tmp_path: Path) -> None:
    pipe = tmp_path / "putki.txt"
    os.mkfifo(pipe)
    found = _within_bound(lambda: list(discover_sources([pipe])))
    assert found == [pipe]
    failure = _within_bound(lambda: read_or_fail(pipe, Settings()))
    assert failure == Failure(str(pipe), ReadFailure.NOT_A_FILE.value, "not a regular file: a named pipe")


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom", "/dev/null"])
def test_a_device_named_directly_is_not_read(device: str) -> None:
    (found,) = discover_sources([device])
    failure = _within_bound(lambda: read_or_fail(found, Settings()))
    assert failure == Failure(device, ReadFailure.NOT_A_FILE.value, "not a regular file: a character device")


def test_a_link_to_a_device_is_not_read_either(tmp_path: Path) -> None:
    link = tmp_path / "nollat.txt"
    link.symlink_to("/dev/zero")
    failure = _within_bound(lambda: read_or_fail(link, Settings()))
    assert (failure.reason, failure.detail) == (ReadFailure.NOT_A_FILE.value, "not a regular file: a character device")


def test_a_socket_named_directly_is_not_a_file(tmp_path: Path, unix_socket: Callable[[Path], Path]) -> None:
    path = unix_socket(tmp_path / "pistoke.txt")
    failure = read_or_fail(path, Settings())
    assert (failure.reason, failure.detail) == (ReadFailure.NOT_A_FILE.value, "not a regular file: a socket")


# -- inside a folder ---------------------------------------------------------------------


def test_special_files_in_a_folder_are_listed_as_skipped_with_what_they_are(
    tmp_path: Path, unix_socket: Callable[[Path], Path]
) -> None:
    folder = tmp_path / "kansio"
    _write(folder / "hanke.txt")
    os.mkfifo(folder / "putki.txt")
    unix_socket(folder / "pistoke.html")

    found = _within_bound(lambda: list(discover_sources([folder])))

    assert _paths(found) == ["hanke.txt"]
    assert _skipped(found) == {
        "putki.txt": "not a regular file: a named pipe",
        "pistoke.html": "not a regular file: a socket",
    }


def test_a_link_out_of_the_folder_is_not_followed(tmp_path: Path) -> None:
    outside = _write(tmp_path / "muualla" / "salainen.txt")
    folder = tmp_path / "kansio"
    _write(folder / "hanke.txt")
    (folder / "ulos.txt").symlink_to(outside)
    (folder / "ulos-kansio").symlink_to(outside.parent)
    (folder / "nollat.txt").symlink_to("/dev/zero")

    found = list(discover_sources([folder]))

    assert _paths(found) == ["hanke.txt"]
    assert _skipped(found) == {
        "ulos.txt": f"symbolic link to outside the folder: {outside.resolve()}",
        "ulos-kansio": f"symbolic link to outside the folder: {outside.parent.resolve()}",
        "nollat.txt": "symbolic link to outside the folder: /dev/zero",
    }


def test_broken_links_and_link_loops_are_skipped_with_the_reason(tmp_path: Path) -> None:
    folder = tmp_path / "kansio"
    _write(folder / "hanke.txt")
    (folder / "puuttuu.txt").symlink_to("poistettu.txt")
    (folder / "a.txt").symlink_to("b.txt")
    (folder / "b.txt").symlink_to("a.txt")

    found = list(discover_sources([folder]))

    assert _paths(found) == ["hanke.txt"]
    assert _skipped(found) == {
        "puuttuu.txt": "broken symbolic link: poistettu.txt does not exist",
        "a.txt": "symbolic link loop: b.txt",
        "b.txt": "symbolic link loop: a.txt",
    }


def test_a_folder_linked_into_itself_is_not_walked_round_and_round(tmp_path: Path) -> None:
    folder = tmp_path / "kansio"
    _write(folder / "ala" / "hanke.txt")
    (folder / "ala" / "ylos").symlink_to("..")
    (folder / "silmukka").symlink_to(folder)

    found = _within_bound(lambda: list(discover_sources([folder])))

    assert [item for item in found if isinstance(item, Path)] == [folder / "ala" / "hanke.txt"]
    assert _skipped(found) == {
        "ylos": "symbolic link to a folder inside the folder: ..; its files are read there",
        "silmukka": f"symbolic link to a folder inside the folder: {folder}; its files are read there",
    }


def test_a_file_with_two_names_in_the_folder_is_read_once(tmp_path: Path) -> None:
    folder = tmp_path / "kansio"
    original = _write(folder / "b-hanke.txt")
    (folder / "a-linkki.txt").symlink_to("b-hanke.txt")
    os.link(original, folder / "c-kopio.txt")

    found = list(discover_sources([folder]))

    assert _paths(found) == ["b-hanke.txt"]
    assert _skipped(found) == {
        "a-linkki.txt": f"symbolic link to b-hanke.txt, a file read already as {original}",
        "c-kopio.txt": f"the same file as {original} (a hard link)",
    }


def test_a_link_inside_the_folder_to_a_file_not_read_otherwise_is_followed(tmp_path: Path) -> None:
    folder = tmp_path / "kansio"
    _write(folder / ".versiot" / "hanke-v2.txt")
    (folder / "hanke.txt").symlink_to(".versiot/hanke-v2.txt")

    (found,) = discover_sources([folder])

    assert found == folder / "hanke.txt"
    document = read_or_fail(found, Settings())
    assert isinstance(document, Document) and document.source == str(folder / "hanke.txt")


def test_the_order_and_the_unreadable_types_stay_as_they_were(tmp_path: Path) -> None:
    folder = tmp_path / "kansio"
    for name in ["b.txt", "a/c.txt", "a-b.txt", "kuva.png", ".piilo/d.txt", "a/.e.txt"]:
        _write(folder / name)

    found = list(discover_sources([folder]))

    assert found == [
        folder / "a" / "c.txt",
        folder / "a-b.txt",
        folder / "b.txt",
        Skipped(str(folder / "kuva.png"), "not a readable type (.png)"),
    ]
