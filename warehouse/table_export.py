"""Whole tables and views written out for analysts: CSV, Parquet, or one Excel workbook."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from sqlalchemy import Engine

from warehouse.reading import QueryRefused, read_view, relation_names

FORMATS = ("csv", "parquet", "xlsx")
WORKBOOK = "plansift.xlsx"
# Excel refuses longer sheet names and longer cells.
_SHEET_NAME_LIMIT = 31
_CELL_LIMIT = 32767


def export_tables(engine: Engine, out_dir: Path, format: str, names: list[str] | None = None) -> list[Path]:
    """Writes each table or view in ``names`` (default: all) to ``out_dir``; returns the files written."""
    if format not in FORMATS:
        raise ValueError(f"unknown format {format!r}; use one of {', '.join(FORMATS)}")
    available = relation_names(engine)
    unknown = [n for n in names or () if n not in available]
    if unknown:
        raise QueryRefused(f"no table or view {', '.join(unknown)}; there are: {', '.join(available)}")
    frames = {name: read_view(engine, name) for name in names or available}
    if format == "xlsx":
        return [_write_workbook(frames, out_dir / WORKBOOK)]
    return [_write_file(frame, out_dir / f"{name}.{format}", format) for name, frame in frames.items()]


def _write_file(frame: pd.DataFrame, path: Path, format: str) -> Path:
    if format == "csv":
        frame.to_csv(path, index=False)
    else:
        frame.to_parquet(path, index=False)
    return path


def _write_workbook(frames: dict[str, pd.DataFrame], path: Path) -> Path:
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        for name, frame in frames.items():
            _excel_safe(frame).to_excel(writer, sheet_name=name[:_SHEET_NAME_LIMIT], index=False)
    return path


def _excel_safe(frame: pd.DataFrame) -> pd.DataFrame:
    # Excel has no time zones and caps cell text; evidence can be long.
    frame = frame.copy()
    for column in frame.columns:
        if isinstance(frame[column].dtype, pd.DatetimeTZDtype):
            frame[column] = frame[column].dt.tz_localize(None)
        elif frame[column].dtype == object:
            frame[column] = frame[column].map(lambda v: v[:_CELL_LIMIT] if isinstance(v, str) else v)
    return frame
