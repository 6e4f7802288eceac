"""Finding the files of a batch and reading each one without stopping the others."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.document import Document
from pipeline.errors import ReadError, ReadFailure
from pipeline.http_source import is_url, read_url_list
from pipeline.readers import READABLE_SUFFIXES, read_source
from pipeline.settings import Settings
from pipeline.source import SourceBytes, load_source, special_file_kind


@dataclass(frozen=True)
class Failure:
    """A document that could not be processed, with a typed reason and a message naming it."""

    source: str
    reason: str
    detail: str

    @property
    def message(self) -> str:
        return f"{self.source}: {self.detail}"


@dataclass(frozen=True)
class Skipped:
    """A path in a folder the batch passed over on purpose, and why: not a readable type, not a
    regular file, a symbolic link it does not follow, or a second name of a file read already."""

    source: str
    detail: str


FileIdentity = tuple[int, int]  # (st_dev, st_ino): one file, whatever names it has


def discover_sources(paths: Iterable[Path | str]) -> Iterator[Path | str | Skipped]:
    """What ``paths`` name, in order: files under folders (recursively, sorted; unreadable types as
    Skipped), named files, URLs, and the URLs of a URL-list file (one http(s) URL per line).

    A named path that is not there, or is not a regular file (a named pipe,
    a device), is yielded as it is: reading it fails with the reason, and
    the rest of the batch goes on.
    """
    for raw in paths:
        if isinstance(raw, str) and is_url(raw):
            yield raw
            continue
        path = Path(raw)
        if path.is_dir():
            yield from _folder(path)
            continue
        # A named file is read whatever its suffix: the reader sniffs its content.
        # Only a regular file is opened to see whether it lists URLs: opening a named pipe blocks.
        urls = read_url_list(path) if path.is_file() else None
        yield from urls if urls else [path]


@dataclass
class _FolderWalk:
    """What a walk of one folder found: regular files by name, links to files inside it, and what it passed over."""

    root: Path
    real_root: Path
    files: list[tuple[Path, FileIdentity]] = field(default_factory=list)
    links: list[tuple[Path, FileIdentity, str]] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)

    def skip(self, path: Path, detail: str) -> None:
        self.skipped.append(Skipped(str(path), detail))


def _folder(root: Path) -> Iterator[Path | Skipped]:
    """The files under ``root`` (hidden ones aside) in sorted order, each file once.

    Folders are entered, symbolic links to folders never (a link cannot
    make the walk loop or leave the folder). A link to a file inside the
    folder is read under the link's name unless the file is read under
    another name already; a link out of the folder, a broken link, and
    anything that is not a regular file is listed as Skipped with why.
    """
    walk = _FolderWalk(root, root.resolve())
    _walk_folder(walk)
    found: dict[Path, Path | Skipped] = {Path(s.source): s for s in walk.skipped}
    first_name: dict[FileIdentity, Path] = {}
    for path, identity in sorted(walk.files):
        first = first_name.setdefault(identity, path)
        found[path] = path if first == path else Skipped(str(path), f"the same file as {first} (a hard link)")
    for path, identity, target in sorted(walk.links):
        first = first_name.setdefault(identity, path)
        found[path] = path if first == path else Skipped(
            str(path), f"symbolic link to {target}, a file read already as {first}"
        )
    for path in sorted(found):
        yield found[path]


def _walk_folder(walk: _FolderWalk) -> None:
    pending = [walk.root]
    while pending:
        folder = pending.pop()
        try:
            with os.scandir(folder) as listing:
                entries = [entry for entry in listing if not entry.name.startswith(".")]
        except OSError as error:
            walk.skip(folder, f"cannot list the folder: {error.strerror or error}")
            continue
        for entry in entries:
            path = folder / entry.name
            try:
                if entry.is_symlink():
                    _symbolic_link(walk, path)
                elif entry.is_dir(follow_symlinks=False):
                    pending.append(path)
                else:
                    _plain_entry(walk, path, entry.stat(follow_symlinks=False))
            except OSError as error:  # gone or made unreadable while the walk was under way
                walk.skip(path, f"cannot look at it: {error.strerror or error}")


def _plain_entry(walk: _FolderWalk, path: Path, status: os.stat_result) -> None:
    kind = special_file_kind(status.st_mode)
    if kind is not None:
        walk.skip(path, f"not a regular file: {kind}")
    elif path.suffix.lower() not in READABLE_SUFFIXES:
        walk.skip(path, _unreadable_type(path))
    else:
        walk.files.append((path, (status.st_dev, status.st_ino)))


def _symbolic_link(walk: _FolderWalk, path: Path) -> None:
    target = os.readlink(path)
    try:
        real = Path(os.path.realpath(path, strict=True))
    except OSError as error:
        loop = error.errno == errno.ELOOP
        walk.skip(path, f"symbolic link loop: {target}" if loop else f"broken symbolic link: {target} does not exist")
        return
    if not real.is_relative_to(walk.real_root):
        walk.skip(path, f"symbolic link to outside the folder: {real}")
        return
    status = real.stat()
    kind = special_file_kind(status.st_mode)
    if stat.S_ISDIR(status.st_mode):
        walk.skip(path, f"symbolic link to a folder inside the folder: {target}; its files are read there")
    elif kind is not None:
        walk.skip(path, f"symbolic link to {target}, which is not a regular file: {kind}")
    elif path.suffix.lower() not in READABLE_SUFFIXES:
        walk.skip(path, _unreadable_type(path))
    else:
        walk.links.append((path, (status.st_dev, status.st_ino), target))


def _unreadable_type(path: Path) -> str:
    return f"not a readable type ({path.suffix or 'no suffix'})"


def read_or_fail(path: Path | str, settings: Settings) -> Document | Failure:
    """The Document, or a Failure saying why not; a reader bug is a failure too, not a crash."""
    try:
        raw = load_source(Path(path), max_bytes=settings.max_bytes)
    except ReadError as error:
        return Failure(error.source, error.reason.value, error.detail)
    return parse_or_fail(raw, settings)


def parse_or_fail(raw: SourceBytes, settings: Settings) -> Document | Failure:
    """The Document read from ``raw``, or a Failure; a reader bug is a failure too, not a crash."""
    try:
        return read_source(raw, settings)
    except ReadError as error:
        return Failure(error.source, error.reason.value, error.detail)
    except Exception as error:  # noqa: BLE001 - recorded as data, never dropped
        return Failure(raw.source, "reader_error", f"reader failed: {type(error).__name__}: {error}")


__all__ = ["Failure", "Skipped", "ReadFailure", "discover_sources", "parse_or_fail", "read_or_fail"]
