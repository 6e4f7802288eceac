"""One name per source: the same file or page reached by different spellings is one document.

A folder given once as ``corpus/`` and once as ``/home/x/corpus/`` used to
load every document twice. The warehouse therefore keys documents by a
canonical name: the absolute path with symbolic links and ``..`` resolved,
or the URL with its case-insensitive parts lower-cased, the default port
and the fragment dropped.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

_DEFAULT_PORTS = {"http": 80, "https": 443}


def canonical_source(source: str | Path) -> str:
    """The name the warehouse knows ``source`` by: a resolved absolute path, or a normalised URL."""
    text = str(source)
    if text.lower().startswith(("http://", "https://")):
        return canonical_url(text)
    return str(Path(os.path.expanduser(text)).resolve())


def canonical_url(url: str) -> str:
    """``url`` with scheme and host lower-cased, no default port, no fragment, and "/" for an empty path."""
    parts = urlsplit(url.strip())
    try:
        port = parts.port
    except ValueError:  # not a port number: the fetch will say so; the name stays as given
        return url.strip()
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if ":" in host:  # an IPv6 address keeps its brackets
        host = f"[{host}]"
    netloc = host if port in (None, _DEFAULT_PORTS.get(scheme)) else f"{host}:{port}"
    if parts.username:
        credentials = parts.username + (f":{parts.password}" if parts.password else "")
        netloc = f"{credentials}@{netloc}"
    return urlunsplit((scheme, netloc, parts.path or "/", parts.query, ""))


def is_local(source: str) -> bool:
    """Whether ``source`` names a local path rather than a URL."""
    return not source.lower().startswith(("http://", "https://"))
