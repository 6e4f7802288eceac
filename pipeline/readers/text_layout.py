"""Recovers headings, paragraphs, list items and tables from the lines of a text file.

Plain-text plans come from web pages and PDFs, so their structure survives
only as line conventions:

* a tab-separated run of lines is a table (cells may still hold ``<p>``
  markup from the CMS, one paragraph per ``<p>``);
* "•", "-", "1)" lines are list items; an en dash opens a quotation in
  Finnish news, so a lone "– ..." line stays a paragraph;
* "3.1 Title" is a numbered heading, its level the depth of its number;
* a short line with no closing punctuation, standing before content, is a
  heading; headings directly above another heading are its parents;
* a long line without closing punctuation followed by a line starting in
  lower case was wrapped by a PDF export and is joined back;
* a "Label:" line (Yhteyshenkilö:) introduces field lines, never headings.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from pipeline.boilerplate import is_language_menu, is_residue_line
from pipeline.normalise import normalise_inline


@dataclass
class TextBlock:
    """A block recovered from lines; ``rows`` holds a table's cells as paragraph lists."""

    kind: str
    text: str = ""
    level: int = 0
    rows: list[list[list[str]]] = field(default_factory=list)
    header_rows: int = 0
    marker: str | None = None


@dataclass(frozen=True)
class _Line:
    text: str
    kind: str  # blank | row | tabbed | bullet | number | quote | plain
    body: str = ""
    number: tuple[int, ...] = ()
    paren: bool = False


@lru_cache(maxsize=1)
def _conventions() -> dict:
    raw = json.loads(resources.files("pipeline.data").joinpath("text_layout.json").read_text("utf-8"))
    raw["field_labels"] = frozenset(raw["field_labels"])
    return raw


_NUMBER = re.compile(r"^(\d{1,2}(?:\.\d{1,2})*)(\.|\))?\s+(\S.*)$")
_LETTER = re.compile(r"^([a-zåäö])\)\s+(\S.*)$")
_CLOSING = ".,;:"
_SENTENCE_END = ".!?:;"
_PARAGRAPH_TAG = re.compile(r"</?p\b[^>]*>", re.IGNORECASE)
_ANY_TAG = re.compile(r"<[^>]+>")
_INLINE_BULLET = re.compile(r"\s[•●▪]\s")


def layout_blocks(text: str) -> list[TextBlock]:
    """The blocks of a plain text, in reading order.

    1. Classify each line (blank, table row, bullet, number, quote, plain).
    2. Group lines into raw blocks, joining wrapped lines.
    3. Drop website residue (language menus, skip links, pixels).
    4. Decide which short lines are headings and give them levels.
    """
    lines = _drop_page_furniture([_classify(line) for line in text.splitlines()])
    blocks = _drop_residue(list(_group(lines)))
    return _assign_headings(blocks)


# -- 1. lines ---------------------------------------------------------------


def _classify(raw: str) -> _Line:
    filled = sum(1 for cell in raw.split("\t") if cell.strip()) if "\t" in raw else 0
    if filled >= 2:
        return _Line(raw, "row")
    text = normalise_inline(raw)
    if filled == 1:
        # One filled cell: a row of a table only if a table is already open.
        return _Line(raw, "tabbed", text)
    if not text:
        return _Line("", "blank")
    marker, _, rest = text.partition(" ")
    if rest and marker in _conventions()["bullets"]:
        return _Line(text, "bullet", rest)
    if rest and marker in _conventions()["quote_dashes"]:
        return _Line(text, "quote", rest)
    numbered = _NUMBER.match(text)
    # "3.1 Title", "1. Title", "2) item", and "2 Energia" (a chapter number without a dot).
    if numbered and (numbered.group(2) or "." in numbered.group(1) or numbered.group(3)[:1].isupper()):
        number = tuple(int(n) for n in numbered.group(1).split("."))
        return _Line(text, "number", numbered.group(3), number, numbered.group(2) == ")")
    lettered = _LETTER.match(text)
    if lettered:
        return _Line(text, "bullet", lettered.group(2))
    return _Line(text, "plain", text)


_PAGE_NUMBER = re.compile(r"\d+\s*\(\d+\)\s*$|\bsivu\s+\d+|^\d+\s*$|\d+\s*/\s*\d+\s*$", re.IGNORECASE)


def _drop_page_furniture(lines: list[_Line]) -> list[_Line]:
    """Running headers and footers of a PDF's text export: lines that repeat with another page number.

    A line counts when, digits aside, it stands two or more times and holds a
    page number ("Janakkalan kunta | Ohjelma 2024–2026 3 (5)", "Sivu 2"), or
    is a "Publisher | Document" line whose trailing number changes.
    """
    def key(line: _Line) -> str:
        return re.sub(r"\d+", "#", line.text)

    counts: dict[str, int] = {}
    for line in lines:
        if line.kind == "plain":
            counts[key(line)] = counts.get(key(line), 0) + 1
    def furniture(line: _Line) -> bool:
        if line.kind != "plain" or counts[key(line)] < 2:
            return False
        return bool(_PAGE_NUMBER.search(line.text) or (" | " in line.text and re.search(r"\s\d{1,3}$", line.text)))

    return [_Line("", "blank") if furniture(line) else line for line in lines]


# -- 2. grouping --------------------------------------------------------------


def _group(lines: list[_Line]) -> Iterator[TextBlock]:
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.kind == "blank":
            i += 1
        elif line.kind == "row":
            end = _table_end(lines, i)
            yield _table_block([lines[j].text for j in range(i, end) if lines[j].kind in ("row", "tabbed")])
            i = end
        else:
            block, i = _text_block(lines, i)
            yield block


def _table_end(lines: list[_Line], start: int) -> int:
    """One past the last row of the table starting at ``start``.

    A table may continue after blank lines (a page or paragraph break in
    the export) when the next row has as many columns.
    """
    width = _width(lines[start].text)
    end = start + 1
    while end < len(lines):
        if lines[end].kind in ("row", "tabbed"):
            end += 1
            continue
        nxt = _next_content(lines, end)
        if nxt is not None and lines[nxt].kind == "row" and _width(lines[nxt].text) == width:
            end = nxt
            continue
        break
    return end


def _width(row: str) -> int:
    return len(row.rstrip("\r\n").split("\t"))


def _next_content(lines: list[_Line], start: int) -> int | None:
    for j in range(start, len(lines)):
        if lines[j].kind != "blank":
            return j
    return None


def _table_block(rows: list[str]) -> TextBlock:
    cells = [[_cell_paragraphs(cell) for cell in row.rstrip("\r\n").split("\t")] for row in rows]
    width = max(len(r) for r in cells)
    cells = [r + [[] for _ in range(width - len(r))] for r in cells]
    if len(cells) < 2:
        flat = " ".join(p for cell in cells[0] for p in cell)
        return TextBlock("paragraph", flat)
    return TextBlock("table", rows=cells, header_rows=1 if _looks_like_header(rows[0]) else 0)


def _cell_paragraphs(cell: str) -> list[str]:
    parts = _PARAGRAPH_TAG.split(cell) if _PARAGRAPH_TAG.search(cell) else [cell]
    paragraphs = []
    for part in parts:
        text = html.unescape(_ANY_TAG.sub(" ", part))
        paragraphs.extend(normalise_inline(p) for p in _INLINE_BULLET.split(f" {text} "))
    return [p.lstrip("•●▪ ") for p in paragraphs if p.strip("•●▪ ")]


def _looks_like_header(row: str) -> bool:
    cells = [c.strip() for c in row.split("\t") if c.strip()]
    return all(len(c) <= 80 and not c.endswith(".") and "<p" not in c.lower() for c in cells)


def _text_block(lines: list[_Line], start: int) -> tuple[TextBlock, int]:
    line = lines[start]
    kind = {"bullet": "list_item", "number": "list_item"}.get(line.kind, "paragraph")
    if line.kind == "tabbed":
        line = _Line(line.body, "plain", line.body)
    text = line.body if kind == "list_item" else line.text
    if line.kind == "number" and not line.paren:
        kind, text = "numbered", line.text
    end = start + 1
    while (nxt := _continuation(lines, end, text)) is not None:
        text = f"{text} {lines[nxt].text}"
        end = nxt + 1
    level = len(line.number) if line.number else 1
    return TextBlock(kind, text, level, marker=_marker(line)), end


def _marker(line: _Line) -> str | None:
    if line.kind == "bullet":
        return line.text.split(" ", 1)[0]
    if line.kind == "number":
        return "1)" if line.paren else "1."
    return None


def _continuation(lines: list[_Line], start: int, text: str) -> int | None:
    """Index of the line continuing ``text`` (a wrapped line), or None."""
    nxt = _next_content(lines, start)
    if nxt is None or nxt - start > 2 or lines[nxt].kind != "plain":
        return None
    following = lines[nxt].text
    wrapped = len(text) >= _conventions()["wrapped_line_min_chars"] and text[-1] not in _SENTENCE_END
    starts_lower = following.lstrip("(\"")[:1].islower()
    # A contact line ends with its address; the next person's title starts lower case.
    ends_entry = _ENDS_WITH_ADDRESS.search(text) is not None
    return nxt if wrapped and starts_lower and not ends_entry and "@" not in following else None


_ENDS_WITH_ADDRESS = re.compile(r"(?:@|\(at\)|\[at\])\S+$", re.IGNORECASE)


# -- 3. residue -----------------------------------------------------------------


def _drop_residue(blocks: list[TextBlock]) -> list[TextBlock]:
    kept: list[TextBlock] = []
    i = 0
    while i < len(blocks):
        end = i
        while end < len(blocks) and blocks[end].kind != "table" and is_language_menu([blocks[end].text] * 2):
            end += 1
        if end - i >= 2:
            i = end
            continue
        if blocks[i].kind == "table" or not is_residue_line(blocks[i].text):
            kept.append(blocks[i])
        i += 1
    return kept


# -- 4. headings --------------------------------------------------------------


def _assign_headings(blocks: list[TextBlock]) -> list[TextBlock]:
    candidates = [_heading_candidate(blocks, i) for i in range(len(blocks))]
    chains = _chains(candidates, blocks)
    numbered_doc = any(b.kind == "numbered" and c for b, c in zip(blocks, candidates))
    lone_level = 3 if any(len(c) >= 2 and c[0] > 0 for c in chains) else 2
    out: list[TextBlock] = []
    depth = 0
    for i, block in enumerate(blocks):
        level = _chain_level(chains, i, lone_level)
        if block.kind == "numbered":
            if candidates[i] and level:
                depth = level = len(_NUMBER.match(block.text).group(1).split("."))
                out.append(TextBlock("heading", block.text, level))
            else:
                match = _NUMBER.match(block.text)
                out.append(TextBlock("list_item", match.group(3), 1, marker="1."))
        elif level:
            out.append(TextBlock("heading", block.text, depth + 1 if numbered_doc and i > 0 else level))
        else:
            out.append(block)
    return out


def _chain_level(chains: list[list[int]], index: int, lone_level: int) -> int:
    """The heading level of block ``index``, or 0 if it is not a heading."""
    for chain in chains:
        if index in chain:
            position = chain.index(index)
            if chain[0] == 0:
                return 1 + position
            return lone_level if len(chain) == 1 else 2 + position
    return 0


def _chains(candidates: list[bool], blocks: list[TextBlock]) -> list[list[int]]:
    """Runs of heading candidates that are followed by content (not by the end)."""
    chains, run = [], []
    for i, is_candidate in enumerate(candidates):
        if is_candidate:
            run.append(i)
            continue
        if run:
            chains.append(run)
            run = []
    # A run that reaches the end of the text has no content under it: links
    # and captions, not headings.
    return chains


def _heading_candidate(blocks: list[TextBlock], i: int) -> bool:
    block = blocks[i]
    if block.kind not in ("paragraph", "numbered"):
        return False
    if block.kind == "numbered":
        if _in_numbered_run(blocks, i):
            return False
        text = _NUMBER.match(block.text).group(3)
    else:
        text = block.text
    if i > 0 and blocks[i - 1].kind == "paragraph" and _is_label(blocks[i - 1].text):
        return False
    if i + 1 < len(blocks) and blocks[i + 1].kind == "list_item" and blocks[i + 1].text[:1].islower():
        return False  # a lead-in sentence that the list completes
    return _reads_as_heading(text)


def _reads_as_heading(text: str) -> bool:
    conventions = _conventions()
    if len(text) > conventions["heading_max_chars"] or len(text.split()) > conventions["heading_max_words"]:
        return False
    if text[-1] in _CLOSING or ": " in text or ". " in text or "@" in text or "://" in text:
        return False
    first = text.lstrip("\"'«»”“(")[:1]
    return first.isupper() and not _is_label(text)


def _is_label(text: str) -> bool:
    key = text.rstrip(": ").casefold()
    return text.endswith(":") or key in _conventions()["field_labels"]


def _in_numbered_run(blocks: list[TextBlock], i: int) -> bool:
    number = _number_of(blocks[i])
    for j in (i - 1, i + 1):
        if 0 <= j < len(blocks):
            other = _number_of(blocks[j])
            if other and len(other) == len(number) and abs(other[-1] - number[-1]) == 1 and other[:-1] == number[:-1]:
                return True
    return False


def _number_of(block: TextBlock) -> tuple[int, ...]:
    match = _NUMBER.match(block.text) if block.kind in ("numbered", "list_item") else None
    return tuple(int(n) for n in match.group(1).split(".")) if match else ()
