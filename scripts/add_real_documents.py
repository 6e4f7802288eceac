"""Adds collected real documents to corpus/real, each to its split, and lists them in sources.tsv.

Usage: python scripts/add_real_documents.py FOLDER... [--split by-host|dev|fresh]

Each FOLDER holds retrieved documents, stored exactly as retrieved, and a
sources.tsv without header: file, URL, retrieval date, kind, language.
With --split by-host (the first collection) a document's split follows its
publisher's host, so that no publisher is in both dev and test; later
collections are scored as "fresh" before they join dev. A URL already in
the corpus, or a later document of a publisher in the test split, is skipped.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import shutil
import sys
from pathlib import Path
from urllib.parse import urlsplit

REAL = Path(__file__).resolve().parent.parent / "corpus" / "real"
COLUMNS = ("file", "url", "retrieved", "kind", "language", "host", "split")
# About two documents in five go to the frozen test split.
TEST_SHARE = 40


def host_of(url: str) -> str:
    host = (urlsplit(url).hostname or "").casefold()
    return host.removeprefix("www.")


def split_by_host(host: str) -> str:
    """The split of every document of this host: a fixed function of the host's name."""
    bucket = int(hashlib.sha256(host.encode()).hexdigest()[:8], 16) % 100
    return "test" if bucket < TEST_SHARE else "dev"


def read_sources(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def collected(folder: Path) -> list[dict[str, str]]:
    rows = []
    for line in (folder / "sources.tsv").read_text("utf-8").splitlines():
        if line.strip():
            file, url, retrieved, kind, language = line.split("\t")[:5]
            rows.append(
                {
                    "file": file.strip(),
                    "url": url.strip(),
                    "retrieved": retrieved.strip(),
                    "kind": kind.strip(),
                    "language": language.strip(),
                    "folder": str(folder),
                }
            )
    return rows


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("--split", choices=("by-host", "dev", "fresh"), default="fresh")
    args = parser.parse_args(argv)
    sources_path = REAL / "sources.tsv"
    rows = read_sources(sources_path)
    known_urls = {r["url"] for r in rows}
    test_hosts = {r["host"] for r in rows if r["split"] == "test"}
    added = 0
    for folder in args.folders:
        for row in collected(folder):
            source = Path(row.pop("folder")) / row["file"]
            if row["url"] in known_urls or not source.is_file():
                print(f"skipped {row['file']}: {'already in the corpus' if source.is_file() else 'no such file'}")
                continue
            row["host"] = host_of(row["url"])
            if args.split != "by-host" and row["host"] in test_hosts:
                # Its publisher's other documents are in the frozen test split; no publisher is in both.
                print(f"skipped {row['file']}: {row['host']} belongs to the test split")
                continue
            row["split"] = split_by_host(row["host"]) if args.split == "by-host" else args.split
            target = REAL / row["split"] / "docs" / row["file"]
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
            rows.append(row)
            known_urls.add(row["url"])
            added += 1
    with sources_path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, COLUMNS, delimiter="\t", lineterminator="\n")
        writer.writeheader()
        writer.writerows(sorted(rows, key=lambda r: r["file"]))
    print(f"added {added} documents; the corpus lists {len(rows)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
