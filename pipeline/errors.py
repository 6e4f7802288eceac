"""Why a file could not be read, as data a batch can report."""

from __future__ import annotations

from enum import Enum


class ReadFailure(str, Enum):
    """Typed reasons a reader gives up on a file."""

    EMPTY = "empty"
    CORRUPT = "corrupt"
    ENCRYPTED = "encrypted"
    UNSUPPORTED = "unsupported"
    NO_TEXT = "no_text"
    TOO_LARGE = "too_large"
    TIMEOUT = "timeout"
    NOT_FOUND = "not_found"
    HTTP_ERROR = "http_error"
    UNREACHABLE = "unreachable"
    UNREADABLE = "unreadable"
    # A FIFO, socket, device or folder where a file was expected: reading
    # one would block or never end.
    NOT_A_FILE = "not_a_file"


class ReadError(Exception):
    """A file that cannot be read; the message names the file, the reason and the fix."""

    def __init__(self, source: str, reason: ReadFailure, detail: str) -> None:
        self.source = source
        self.reason = reason
        self.detail = detail
        super().__init__(f"{source}: {detail}")
