"""The language-knowledge files of extractors/data, read once each."""

from __future__ import annotations

import csv
import json
from functools import cache
from importlib import resources
from typing import Any


@cache
def conventions(name: str) -> dict[str, Any]:
    """The JSON data file ``name`` of extractors/data."""
    return json.loads(resources.files("extractors.data").joinpath(name).read_text("utf-8"))


@cache
def csv_rows(name: str) -> tuple[dict[str, str], ...]:
    """The rows of the CSV data file ``name`` of extractors/data."""
    text = resources.files("extractors.data").joinpath(name).read_text("utf-8")
    return tuple(csv.DictReader(text.splitlines()))
