"""Who hears about documents finishing: the command line's progress bar, for one.

Kept apart from the flow module on purpose: a flow's function is pickled
by value for process and Dask workers, and a listener (a terminal progress
bar with its locks) must not travel with it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

ProgressListener = Callable[[int, int, str], None]
_listeners: list[ProgressListener] = []


def notify_progress(done: int, total: int, source: str) -> None:
    """Tells every listener that ``done`` of ``total`` documents are finished, the last being ``source``."""
    for listener in _listeners:
        listener(done, total, source)


@contextmanager
def listening(listener: ProgressListener) -> Iterator[None]:
    """``listener`` hears about progress inside the block."""
    _listeners.append(listener)
    try:
        yield
    finally:
        _listeners.remove(listener)
