"""Query results as the formats analysts take away: CSV, JSON records, Parquet."""

from __future__ import annotations

import io
import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pandas as pd

OUTPUT_FORMATS = ("table", "csv", "json", "parquet")


def render_frame(frame: pd.DataFrame, format: str) -> str | bytes:
    """``frame`` as CSV or JSON text, or Parquet bytes."""
    if format in ("csv", "table"):
        return frame.to_csv(index=False)
    if format == "json":
        return json.dumps(_records(frame), ensure_ascii=False, indent=2, default=_jsonable) + "\n"
    if format == "parquet":
        buffer = io.BytesIO()
        frame.to_parquet(buffer, index=False)
        return buffer.getvalue()
    raise ValueError(f"unknown format {format!r}; use one of {', '.join(OUTPUT_FORMATS)}")


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    # NaN is not JSON; a missing value is null.
    return frame.astype(object).where(frame.notna(), None).to_dict(orient="records")


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date | pd.Timestamp):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return str(value)
