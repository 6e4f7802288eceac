"""What reaches the terminal: text from documents and the warehouse printed as text, never as markup or control codes.

File names and stored values can hold "[bold]", "[/]" or ESC sequences.
Rich would read the first as markup (and crash on a stray closing tag),
and a terminal obeys the second. The console here interprets no markup,
and every value from outside goes through ``plain`` first.
"""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

from warehouse.diff_text import printable

console = Console(markup=False, highlight=False, emoji=False)


def plain(value: object, *, lines: bool = False) -> str:
    """``value`` as text with control characters shown as escapes; with ``lines`` its line breaks are kept."""
    text = "" if value is None else str(value)
    if lines:
        return "\n".join(printable(line) for line in text.splitlines())
    return printable(text)


def styled(value: object, style: str) -> Text:
    """``value`` as plain text in ``style`` (a colour, bold...)."""
    return Text(plain(value), style=style)
