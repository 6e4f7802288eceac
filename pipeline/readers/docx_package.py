"""A Word file's zip checked before anything in it is inflated: sizes and compression ratio.

python-docx inflates every part it uses whole into memory, and lxml's
tree of an XML part takes about ten times the part's size. A part of a
few megabytes can inflate to gigabytes (a zip bomb). The zip's directory
declares each member's compressed and inflated size, so the sums and
ratios are checked first, and nothing is inflated when they are too big.
The directory can lie, and zipfile inflates a member whole before it cuts
it to the declared size; so each member is inflated once, a piece at a
time and nothing kept, and one that would inflate past its declared size
is refused before python-docx reads it.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

from pipeline.errors import ReadError, ReadFailure
from pipeline.source import SourceBytes

# Word XML compresses five to twenty times, and some 230 times when every
# paragraph is the same; deflate's ceiling, about 1,000 times, is what a
# zip bomb reaches for. A bomb under this ratio still meets the size limits.
MAX_COMPRESSION_RATIO = 500
# Below this, a high ratio costs no memory worth refusing a file for.
_RATIO_CHECKED_FROM = 1024 * 1024
# The XML parts may inflate to this share of --max-bytes: parsed, they
# take about ten times their size in memory (100 MB of XML took 1.3 GB).
_XML_SHARE_OF_MAX_BYTES = 4
_XML_SUFFIXES = (".xml", ".rels")
_INFLATE_STEP = 1024 * 1024
# A member's local header: signature, five 16-bit and three 32-bit fields,
# then the lengths of its name and extra field, which the data follows.
_LOCAL_HEADER = struct.Struct("<4s5H3I2H")
_LOCAL_SIGNATURE = b"PK\x03\x04"


def check_package_sizes(raw: SourceBytes, max_bytes: int) -> None:
    """Raises TOO_LARGE when the package inflates past the limits; a file that is no zip is left to the reader."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw.data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError):
        return
    for member in members:
        _check_ratio(raw.source, member)
        _check_declared_size(raw, member)
    total = sum(member.file_size for member in members)
    if total > max_bytes:
        raise ReadError(
            raw.source,
            ReadFailure.TOO_LARGE,
            f"the Word file inflates to {total:,} bytes ({_largest(members)}), over the limit of {max_bytes:,}; "
            "raise --max-bytes to read it",
        )
    xml = [member for member in members if member.filename.lower().endswith(_XML_SUFFIXES)]
    xml_total = sum(member.file_size for member in xml)
    xml_limit = max_bytes // _XML_SHARE_OF_MAX_BYTES
    if xml_total > xml_limit:
        raise ReadError(
            raw.source,
            ReadFailure.TOO_LARGE,
            f"the Word file's XML inflates to {xml_total:,} bytes ({_largest(xml)}), over the limit of "
            f"{xml_limit:,} (a quarter of --max-bytes, as parsed XML takes many times its size); "
            "raise --max-bytes to read it",
        )


def _check_ratio(source: str, member: zipfile.ZipInfo) -> None:
    if member.file_size < _RATIO_CHECKED_FROM:
        return
    ratio = member.file_size / max(member.compress_size, 1)
    if ratio > MAX_COMPRESSION_RATIO:
        raise ReadError(
            source,
            ReadFailure.TOO_LARGE,
            f"{member.filename} inflates from {member.compress_size:,} to {member.file_size:,} bytes "
            f"({ratio:,.0f} times, over {MAX_COMPRESSION_RATIO}): a zip bomb or a damaged file; "
            "open and re-save it in Word",
        )


def _check_declared_size(raw: SourceBytes, member: zipfile.ZipInfo) -> None:
    """Refuses a member whose data inflates to more than its declared size (a lying directory)."""
    if member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise ReadError(
            raw.source,
            ReadFailure.UNSUPPORTED,
            f"{member.filename} is compressed with method {member.compress_type}, which Word does not use; "
            "open and re-save it in Word",
        )
    data = _member_data(raw.data, member)
    if data is None:
        return  # no member where the directory points: python-docx says the file is damaged
    if member.compress_type == zipfile.ZIP_STORED:
        inflated_more = len(data) > member.file_size
    else:
        inflated_more = _inflates_past(data, member.file_size)
    if inflated_more:
        raise ReadError(
            raw.source,
            ReadFailure.CORRUPT,
            f"{member.filename} inflates to more than the {member.file_size:,} bytes the zip declares: "
            "a zip bomb or a damaged file; open and re-save it in Word",
        )


def _member_data(data: bytes, member: zipfile.ZipInfo) -> memoryview | None:
    try:
        header = _LOCAL_HEADER.unpack_from(data, member.header_offset)
    except struct.error:
        return None
    if header[0] != _LOCAL_SIGNATURE:
        return None
    start = member.header_offset + _LOCAL_HEADER.size + header[-2] + header[-1]
    return memoryview(data)[start : start + member.compress_size]


def _inflates_past(compressed: memoryview, declared: int) -> bool:
    """Whether a raw deflate stream yields more than ``declared`` bytes; memory stays at one step."""
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    produced = 0
    try:
        for start in range(0, len(compressed), _INFLATE_STEP):
            pending: bytes | memoryview = compressed[start : start + _INFLATE_STEP]
            while pending and not inflater.eof:
                produced += len(inflater.decompress(pending, _INFLATE_STEP))
                if produced > declared:
                    return True
                pending = inflater.unconsumed_tail
            if inflater.eof:
                break
        produced += len(inflater.flush())
    except zlib.error:
        return False  # damaged data: python-docx says so when it reads the member
    return produced > declared


def _largest(members: list[zipfile.ZipInfo]) -> str:
    largest = max(members, key=lambda member: member.file_size)
    return f"{largest.filename} alone {largest.file_size:,}"
