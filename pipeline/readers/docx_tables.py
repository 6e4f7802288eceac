"""A Word table as rows of cells, merged cells kept once."""

from __future__ import annotations

from collections.abc import Callable

from docx.oxml.ns import qn
from lxml import etree

from pipeline.builder import RawCell

CellReader = Callable[[etree._Element], RawCell]

_NAMESPACES = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}
# Rows and cells may sit inside content controls or custom XML wrappers.
_ROWS = etree.XPath("./w:tr | ./w:sdt/w:sdtContent/w:tr | ./w:customXml/w:tr", namespaces=_NAMESPACES)
_CELLS = etree.XPath("./w:tc | ./w:sdt/w:sdtContent/w:tc | ./w:customXml/w:tc", namespaces=_NAMESPACES)
# Word tables have at most 63 columns; a larger span is a damaged file.
_MAX_SPAN = 63
# tblLook's legacy hex bitmask: 0x0020 applies the style's first-row format.
_LOOK_FIRST_ROW = 0x0020


def table_rows(table: etree._Element, read_cell: CellReader) -> list[list[RawCell]]:
    """The table's rows, each cell in its grid column.

    1. Skipped grid columns before a row (gridBefore) become empty cells,
       which keeps columns aligned.
    2. A cell spanning columns (gridSpan) is read once; the columns it
       covers beyond the first hold empty cells.
    3. A cell continuing a vertical merge (vMerge without "restart") is
       empty: Word keeps the text in the first cell of the merge.
    4. Header rows: rows marked to repeat as header (tblHeader); without
       any, the first row when the table's look formats it as a header.
    """
    rows = _ROWS(table)
    result: list[list[RawCell]] = []
    for row in rows:
        cells = [RawCell([]) for _ in range(_row_property_int(row, "w:gridBefore"))]
        for cell in _CELLS(row):
            properties = cell.find(qn("w:tcPr"))
            cells.append(RawCell([]) if _continues_merge(properties) else read_cell(cell))
            cells.extend(RawCell([]) for _ in range(_cell_span(properties) - 1))
        result.append(cells)
    for index in _header_rows(table, rows):
        for cell in result[index]:
            cell.is_header = True
    return result


def _header_rows(table: etree._Element, rows: list[etree._Element]) -> list[int]:
    marked = []
    for index, row in enumerate(rows):
        if not _row_flag(row, "w:tblHeader"):
            break
        marked.append(index)
    if marked:
        return marked
    return [0] if len(rows) > 1 and _look_formats_first_row(table) else []


def _look_formats_first_row(table: etree._Element) -> bool:
    look = table.find(f"{qn('w:tblPr')}/{qn('w:tblLook')}")
    if look is None:
        return False
    flag = look.get(qn("w:firstRow"))
    if flag is not None:
        return flag in ("1", "true", "on")
    try:
        return bool(int(look.get(qn("w:val"), "0"), 16) & _LOOK_FIRST_ROW)
    except ValueError:
        return False


def _continues_merge(properties: etree._Element | None) -> bool:
    merge = properties.find(qn("w:vMerge")) if properties is not None else None
    return merge is not None and merge.get(qn("w:val"), "continue") == "continue"


def _cell_span(properties: etree._Element | None) -> int:
    span = properties.find(qn("w:gridSpan")) if properties is not None else None
    value = span.get(qn("w:val"), "1") if span is not None else "1"
    return min(max(int(value), 1), _MAX_SPAN) if value.isdigit() else 1


def _row_property(row: etree._Element, tag: str) -> etree._Element | None:
    properties = row.find(qn("w:trPr"))
    return properties.find(qn(tag)) if properties is not None else None


def _row_property_int(row: etree._Element, tag: str) -> int:
    element = _row_property(row, tag)
    value = element.get(qn("w:val"), "0") if element is not None else "0"
    return min(int(value), _MAX_SPAN) if value.isdigit() else 0


def _row_flag(row: etree._Element, tag: str) -> bool:
    element = _row_property(row, tag)
    return element is not None and element.get(qn("w:val"), "true") not in ("0", "false", "off")
