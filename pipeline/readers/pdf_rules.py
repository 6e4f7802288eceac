"""Ruled tables: PDFium reads the ruling lines, pdfplumber's grid finder makes cells of them.

pdfplumber's "lines" strategy is the reference way to read a ruled table,
but its own page parser costs about a tenth of a second a page; here the
ruling lines come from PDFium's path objects, and pdfplumber's edge
merging, intersection and cell-grouping functions turn them into tables,
just as its table finder would.
"""

from __future__ import annotations

import ctypes
from collections.abc import Iterator

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from pdfplumber.table import Table, cells_to_tables, edges_to_intersections, intersections_to_cells, merge_edges

from pipeline.readers.pdf_tables import Box

# pdfplumber's default table settings: snap, join and intersection
# tolerances of 3 pt, edges shorter than 3 pt ignored.
TOLERANCE = 3.0
MIN_EDGE_LENGTH = 3.0
# A path this thin (points) across its short side is a rule, not a shape.
RULE_THICKNESS = 2.5
_PATH = pdfium_c.FPDF_PAGEOBJ_PATH

Point = tuple[float, float]
Edge = dict[str, object]


def ruled_grids(page: pdfium.PdfPage) -> list[list[list[Box | None]]]:
    """Cell boxes, row by row, of each ruled table on the page (top-left coordinates)."""
    height = page.get_height()
    edges = [e for a, b in _page_segments(page) if (e := _edge(a, b, height)) is not None]
    if len(edges) < 4:
        return []
    merged = merge_edges(edges, TOLERANCE, TOLERANCE, TOLERANCE, TOLERANCE)
    merged = [e for e in merged if e["width" if e["orientation"] == "h" else "height"] >= MIN_EDGE_LENGTH]
    cells = intersections_to_cells(edges_to_intersections(merged, TOLERANCE, TOLERANCE))
    return [[list(row.cells) for row in Table(None, group).rows] for group in cells_to_tables(cells)]


def _page_segments(page: pdfium.PdfPage) -> Iterator[tuple[Point, Point]]:
    # Only top-level paths: a path inside a form XObject has its points in
    # the form's space, which PDFium does not map to the page here.
    for obj in page.get_objects(filter=(_PATH,), max_depth=1):
        left, bottom, right, top = obj.get_bounds()
        if min(right - left, top - bottom) <= RULE_THICKNESS:
            # A thin shape is one rule, whatever way it was drawn.
            middle = (bottom + top) / 2 if right - left >= top - bottom else None
            if middle is not None:
                yield (left, middle), (right, middle)
            else:
                yield ((left + right) / 2, bottom), ((left + right) / 2, top)
            continue
        yield from _path_segments(obj)


def _path_segments(obj: pdfium.PdfObject) -> Iterator[tuple[Point, Point]]:
    matrix = obj.get_matrix()
    x, y = ctypes.c_float(), ctypes.c_float()
    start = previous = None
    for index in range(pdfium_c.FPDFPath_CountSegments(obj.raw)):
        segment = pdfium_c.FPDFPath_GetPathSegment(obj.raw, index)
        pdfium_c.FPDFPathSegment_GetPoint(segment, x, y)
        point = matrix.on_point(x.value, y.value)
        kind = pdfium_c.FPDFPathSegment_GetType(segment)
        if kind == pdfium_c.FPDF_SEGMENT_MOVETO:
            start = point
        elif kind == pdfium_c.FPDF_SEGMENT_LINETO and previous is not None:
            yield previous, point
        if pdfium_c.FPDFPathSegment_GetClose(segment) and start is not None:
            yield point, start
        previous = point


def _edge(a: Point, b: Point, height: float) -> Edge | None:
    """A pdfplumber edge for an axis-parallel segment; None for a slanted or tiny one."""
    (xa, ya), (xb, yb) = a, b
    x0, x1 = sorted((xa, xb))
    top, bottom = sorted((height - ya, height - yb))
    if bottom - top <= 1.0 and x1 - x0 >= MIN_EDGE_LENGTH:
        y = (top + bottom) / 2
        return {"x0": x0, "x1": x1, "top": y, "bottom": y, "width": x1 - x0, "height": 0.0, "orientation": "h", "object_type": "line"}
    if x1 - x0 <= 1.0 and bottom - top >= MIN_EDGE_LENGTH:
        x = (x0 + x1) / 2
        return {"x0": x, "x1": x, "top": top, "bottom": bottom, "width": 0.0, "height": bottom - top, "orientation": "v", "object_type": "line"}
    return None


def cell_boxes(table: list[list[Box | None]]) -> list[Box]:
    return [box for row in table for box in row if box]
