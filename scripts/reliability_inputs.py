"""The bad inputs of the reliability script: each case writes its files and says what a batch must make of them.

A case's ``build`` gets an empty folder and the good document, writes its
inputs there and returns the ``plansift ingest`` arguments (the good
document among them, so that "the batch goes on" is checked every time),
the paths or URLs the output must name, the files ``plansift parse`` is
tried on, and what the warehouse must hold afterwards.

What a case expects of the bad input:

- ``refused``: not loaded; the output names it and says why (a failure or a
  skipped file);
- ``loaded``: a real document, loaded like any other (its text checked where
  ``texts`` says so);
- ``either``: loaded, or refused with a reason; both are fine as long as it
  ends in time and in memory;
- ``ignored``: nothing of it in the warehouse, no naming asked for (a
  repeated folder, a folder loop).

Nothing here runs the product; the script does.
"""

from __future__ import annotations

import os
import random
import shutil
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# A small plan in the words of real documents, so that a file which is
# read at all has text the extractors take as a document.
PLAN_TEXT = (
    "Hämeenlinnan elinvoimaohjelma 2024–2026\n\n"
    "Ohjelma kokoaa yhteen kaupungin elinkeino-, työllisyys- ja vetovoimatyön vuosille 2024–2026.\n\n"
    "Hankkeen nimi on Testi ja sen rahoitus 5 000 euroa. Hanke toteutetaan vuosina 2024–2025 "
    "yhdessä Hämeen liiton kanssa.\n\n"
    "Lisätietoja antaa projektipäällikkö Aino Mäkelä, aino.makela@hameenlinna.fi, puh. 040 123 4567.\n"
)
PLAN_SENTENCE = "Hankkeen nimi on Testi ja sen rahoitus 5 000 euroa."
# Characters Latin-1 and Windows-1252 encode differently from UTF-8, and € and ” that only 1252 has.
LATIN1_SENTENCE = "Päätös: yritysten neuvontaan myönnetään 12 000 euroa vuodelle 2025."
CP1252_SENTENCE = "Kehittämisrahaa on ”Yrityshämeen” kautta 8 000 € vuodessa – haku päättyy 31.5.2025."
APOSTROPHE_EMAIL = "o'karkkainen@hameenlinna.fi"
UNREACHABLE_URL = "http://127.0.0.1:9/x.html"
MIB = 1024 * 1024


@dataclass(frozen=True)
class Inputs:
    """What one case hands the product, and what to look for afterwards."""

    sources: list[str]
    bad: list[str]
    parse: list[str] = field(default_factory=list)
    cwd: Path | None = None
    # A second `plansift ingest` call with these sources, after the first one.
    second_call: list[str] | None = None
    # Counts of documents the warehouse may hold afterwards, the good one included.
    documents: tuple[int, ...] = (1,)
    # The whole export must equal the clean reference run's (a repeated corpus).
    equals_reference: bool = False
    # Document name -> a sentence its stored text must contain.
    texts: dict[str, str] = field(default_factory=dict)
    # E-mail addresses the contacts table must hold, whole.
    emails: list[str] = field(default_factory=list)
    # Strings `plansift ingest` and `plansift parse` must print literally, not take as console markup.
    literal: list[str] = field(default_factory=list)
    parse_literal: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Corpus:
    """The clean corpus: its documents, the first of which is the good document of every case."""

    documents: list[Path]

    @property
    def good(self) -> Path:
        return self.documents[0]


@dataclass(frozen=True)
class Case:
    """One kind of bad input."""

    name: str
    what: str
    build: Callable[[Path, Corpus], Inputs]
    expect: str  # refused, loaded, either or ignored
    # Whether the warehouse could make a difference (something of the file is stored):
    # such a case runs on every backend asked for, the others on the first one only.
    warehouse_matters: bool = False
    needs_non_root: bool = False
    # What `plansift parse` must make of the files when it differs from ``expect``.
    parse_expect: str | None = None

    @property
    def parse_expectation(self) -> str:
        return self.parse_expect or self.expect


# -- writing the files -------------------------------------------------------------


def good_copy(folder: Path, corpus: Corpus) -> Path:
    """The good document, copied into ``folder`` under its own name."""
    folder.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copy(corpus.good, folder / corpus.good.name))


def plan_file(path: Path, extra: str = "") -> Path:
    path.write_text(PLAN_TEXT + extra, "utf-8")
    return path


def text_pdf(path: Path, lines: list[str], pages: int = 3) -> Path:
    """A PDF with a text layer: ``lines`` on each of ``pages`` pages."""
    from reportlab.pdfgen import canvas

    drawing = canvas.Canvas(str(path))
    for page in range(pages):
        for row, line in enumerate(lines):
            drawing.drawString(60, 780 - 18 * row, f"{line}" if page == 0 else f"{line} (sivu {page + 1})")
        drawing.showPage()
    drawing.save()
    return path


def blank_pdf(path: Path, pages: int) -> Path:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument.new()
    for _ in range(pages):
        document.new_page(595, 842)
    document.save(str(path))
    document.close()
    return path


def zip_bomb_docx(path: Path, inflated_bytes: int) -> Path:
    """A Word file whose word/document.xml inflates to ``inflated_bytes`` of spaces inside one paragraph."""
    head = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        b'<w:body><w:p><w:r><w:t xml:space="preserve">'
    )
    tail = b"</w:t></w:r></w:p></w:body></w:document>"
    chunk = b" " * (16 * MIB)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        _docx_package_parts(archive)
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            member.write(head)
            for _ in range(inflated_bytes // len(chunk)):
                member.write(chunk)
            member.write(tail)
    return path


def _docx_package_parts(archive: zipfile.ZipFile) -> None:
    archive.writestr(
        "[Content_Types].xml",
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName='
        '"/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.'
        'document.main+xml"/></Types>',
    )
    archive.writestr(
        "_rels/.rels",
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
        '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
        '2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
    )


def big_text(path: Path, size: int) -> Path:
    """``size`` bytes of plan text, in lines, written a block at a time."""
    block = (PLAN_TEXT.replace("\n\n", "\n") * 200).encode()
    with path.open("wb") as out:
        written = 0
        while written + len(block) <= size:
            out.write(block)
            written += len(block)
        out.write(block[: size - written])
    return path


# -- the cases -----------------------------------------------------------------------


def _named_with_good(
    make: Callable[[Path], Path], expect_documents: tuple[int, ...] = (1,)
) -> Callable[[Path, Corpus], Inputs]:
    """A case whose bad file, made by ``make`` in the folder, is named beside the good document."""

    def build(folder: Path, corpus: Corpus) -> Inputs:
        good = good_copy(folder / "good", corpus)
        bad = make(folder)
        return Inputs(sources=[str(good), str(bad)], bad=[str(bad)], parse=[str(bad)], documents=expect_documents)

    return build


def _loaded_with_good(make: Callable[[Path], tuple[Path, str]]) -> Callable[[Path, Corpus], Inputs]:
    """A case whose file is a real document that must load with ``sentence`` in its text."""

    def build(folder: Path, corpus: Corpus) -> Inputs:
        good = good_copy(folder / "good", corpus)
        bad, sentence = make(folder)
        return Inputs(
            sources=[str(good), str(bad)],
            bad=[str(bad)],
            parse=[str(bad)],
            documents=(2,),
            texts={bad.name: sentence} if sentence else {},
        )

    return build


def _in_folder(make: Callable[[Path], list[Path]], parse: bool = True) -> Callable[[Path, Corpus], Inputs]:
    """A case whose bad entries, made by ``make`` in a folder beside the good document, come from that folder."""

    def build(folder: Path, corpus: Corpus) -> Inputs:
        inbox = folder / "inbox"
        good_copy(inbox, corpus)
        bad = make(inbox)
        return Inputs(sources=[str(inbox)], bad=[str(p) for p in bad], parse=[str(p) for p in bad] if parse else [])

    return build


def _write(name: str, data: bytes) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(data)
        return path

    return make


def _missing(folder: Path) -> Path:
    return folder / "poistettu.txt"


def _fifo(name: str) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = folder / name
        os.mkfifo(path)
        return path

    return make


def _dev_zero(_: Path) -> Path:
    return Path("/dev/zero")


def _truncated_pdf(folder: Path) -> Path:
    whole = text_pdf(folder / "kokonainen.pdf", PLAN_TEXT.splitlines())
    data = whole.read_bytes()
    whole.unlink()
    path = folder / "katkennut.pdf"
    path.write_bytes(data[: len(data) // 2])
    return path


def _encrypted_pdf(folder: Path) -> Path:
    from reportlab.pdfgen import canvas

    path = folder / "salattu.pdf"
    drawing = canvas.Canvas(str(path), encrypt="salasana")
    for row, line in enumerate(PLAN_TEXT.splitlines()):
        drawing.drawString(60, 780 - 18 * row, line)
    drawing.showPage()
    drawing.save()
    return path


def _text_200mb(folder: Path) -> Path:
    return big_text(folder / "iso.txt", 200_000_000)


def _html_wide_table(folder: Path) -> Path:
    cells = "".join(f"<td>sarake {i}</td>" for i in range(5000))
    heads = "".join(f"<th>S{i}</th>" for i in range(5000))
    path = folder / "leveä_taulukko.html"
    path.write_text(
        f"<!DOCTYPE html><html lang='fi'><head><title>Taulukko</title></head><body><h1>Talousarvio</h1>"
        f"<p>{PLAN_SENTENCE}</p><table><tr>{heads}</tr><tr>{cells}</tr></table></body></html>",
        "utf-8",
    )
    return path


def _tsv_wide_table(folder: Path) -> Path:
    path = folder / "leveä_taulukko.tsv"
    header = "\t".join(f"S{i}" for i in range(5000))
    row = "\t".join(str(1000 + i) for i in range(5000))
    path.write_text(f"{header}\n{row}\n", "utf-8")
    return path


def _zip_bomb(folder: Path) -> Path:
    return zip_bomb_docx(folder / "pommi.docx", 2 * 1024 * MIB)


def _docx_without_body(folder: Path) -> Path:
    path = folder / "ilman_runkoa.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        _docx_package_parts(archive)
        archive.writestr("docProps/app.xml", "<Properties/>")
    return path


def _nested_html(folder: Path) -> tuple[Path, str]:
    path = folder / "syva.html"
    body = "<div>" * 10000 + PLAN_SENTENCE + "</div>" * 10000
    path.write_text(
        f"<!DOCTYPE html><html lang='fi'><head><title>Syvä</title></head><body>{body}</body></html>", "utf-8"
    )
    return path, PLAN_SENTENCE


def _encoded(name: str, encoding: str, sentence: str = PLAN_SENTENCE) -> Callable[[Path], tuple[Path, str]]:
    def make(folder: Path) -> tuple[Path, str]:
        path = folder / name
        # Latin-1 has no dash of its own; the plan's ranges are written the way such files write them.
        text = PLAN_TEXT.replace("–", "-") if encoding == "latin-1" else PLAN_TEXT
        path.write_bytes((text + "\n" + sentence + "\n").encode(encoding))
        return path, sentence

    return make


def _plan_named(name: str) -> Callable[[Path, Corpus], Inputs]:
    """A real plan under an awkward path ending in ``name``: loaded, and named in the output as it is.

    A slash cannot be part of a file name; ``[/]`` is made of a folder ``[``
    and a file ``].txt``, so the path a user sees holds it all the same.
    """

    def build(folder: Path, corpus: Corpus) -> Inputs:
        good = good_copy(folder / "good", corpus)
        bad = folder / name
        bad.parent.mkdir(parents=True, exist_ok=True)
        plan_file(bad, f"\nTiedoston nimi: {name.encode('unicode_escape').decode()}\n")
        literal = [name] if "\x1b" not in name else []
        return Inputs(
            sources=[str(good), str(bad)],
            bad=[str(bad)],
            parse=[str(bad)],
            documents=(2,),
            texts={bad.name: PLAN_SENTENCE},
            literal=literal,
            parse_literal=literal,
        )

    return build


def _escapes_in_text(folder: Path, corpus: Corpus) -> Inputs:
    good = good_copy(folder / "good", corpus)
    bad = folder / "ohjaimet.txt"
    bad.write_text(
        PLAN_TEXT + "\nHanke \x1b[31mPunainen\x1b[0m ja [red]markup[/red] \x1b]0;otsikko\x07 jatkuu.\n", "utf-8"
    )
    return Inputs(
        sources=[str(good), str(bad)],
        bad=[str(bad)],
        parse=[str(bad)],
        documents=(2,),
        texts={bad.name: "[red]markup[/red]"},
        parse_literal=["[red]markup[/red]"],
    )


def _apostrophe_email(folder: Path, corpus: Corpus) -> Inputs:
    good = good_copy(folder / "good", corpus)
    bad = folder / "yhteystiedot.txt"
    bad.write_text(
        PLAN_TEXT + f"\nYhteyshenkilö: hankekoordinaattori Olli O'Kärkkäinen, {APOSTROPHE_EMAIL}, puh. 050 765 4321.\n",
        "utf-8",
    )
    return Inputs(
        sources=[str(good), str(bad)], bad=[str(bad)], parse=[str(bad)], documents=(2,), emails=[APOSTROPHE_EMAIL]
    )


def _outside_link(inbox: Path) -> list[Path]:
    outside = inbox.parent / "outside"
    outside.mkdir()
    target = plan_file(outside / "salainen.txt", "\nTämä tiedosto on kansion ulkopuolella.\n")
    link = inbox / "linkki.txt"
    link.symlink_to(target)
    return [link]


def _link_loop(inbox: Path) -> list[Path]:
    (inbox / "a.txt").symlink_to(inbox / "b.txt")
    (inbox / "b.txt").symlink_to(inbox / "a.txt")
    return [inbox / "a.txt", inbox / "b.txt"]


def _dangling_link(inbox: Path) -> list[Path]:
    link = inbox / "kadonnut.txt"
    link.symlink_to(inbox / "ei_ole.txt")
    return [link]


def _directory_loop(inbox: Path) -> list[Path]:
    sub = inbox / "alakansio"
    sub.mkdir()
    (sub / "takaisin").symlink_to(inbox, target_is_directory=True)
    return [sub / "takaisin"]


def _fifo_in_folder(inbox: Path) -> list[Path]:
    return [_fifo("putki.txt")(inbox)]


def _locked_directory(inbox: Path) -> list[Path]:
    locked = inbox / "lukittu"
    locked.mkdir()
    plan_file(locked / "sisalla.txt")
    locked.chmod(0)
    return [locked]


def _locked_file(folder: Path) -> Path:
    path = plan_file(folder / "lukittu.txt")
    path.chmod(0)
    return path


def _long_line(folder: Path) -> Path:
    path = folder / "pitka_rivi.txt"
    words = ("hanke rahoitus kehittäminen elinvoima " * 300_000).encode()
    path.write_bytes(words[: 10 * MIB])
    return path


def _tiny_paragraphs(folder: Path) -> Path:
    path = folder / "kappaleet.txt"
    path.write_text(PLAN_TEXT + "".join(f"\nKohta {i}.\n" for i in range(100_000)), "utf-8")
    return path


def _pdf_named_txt(folder: Path) -> tuple[Path, str]:
    path = text_pdf(folder / "oikeasti_pdf.txt", [PLAN_SENTENCE, "Hanke toteutetaan vuosina 2024-2025."], pages=1)
    return path, PLAN_SENTENCE


def _url_list(folder: Path, corpus: Corpus) -> Inputs:
    good = good_copy(folder / "good", corpus)
    listing = folder / "osoitteet.txt"
    listing.write_text(f"# hankesivut\n{UNREACHABLE_URL}\n", "utf-8")
    return Inputs(sources=[str(good), str(listing)], bad=[UNREACHABLE_URL], parse=[])


def _corpus_copy(folder: Path, corpus: Corpus) -> Path:
    copy = folder / "aineisto"
    copy.mkdir()
    for path in corpus.documents:
        shutil.copy(path, copy / path.name)
    return copy


def _folder_twice_one_call(folder: Path, corpus: Corpus) -> Inputs:
    copy = _corpus_copy(folder, corpus)
    return Inputs(
        sources=[str(copy), copy.name], bad=[], cwd=folder, documents=(len(corpus.documents),), equals_reference=True
    )


def _folder_twice_two_calls(folder: Path, corpus: Corpus) -> Inputs:
    copy = _corpus_copy(folder, corpus)
    return Inputs(
        sources=[str(copy)],
        second_call=[copy.name],
        bad=[],
        cwd=folder,
        documents=(len(corpus.documents),),
        equals_reference=True,
    )


def _same_bytes(folder: Path, corpus: Corpus) -> Inputs:
    good = good_copy(folder / "good", corpus)
    twin = Path(shutil.copy(good, folder / f"kopio_{good.name}"))
    return Inputs(sources=[str(good), str(twin)], bad=[str(twin)], parse=[], documents=(2,))


def _random_bytes(size: int, seed: int) -> bytes:
    # Seeded: every run tries the same bytes.
    return random.Random(seed).randbytes(size)


def _either_named(make: Callable[[Path], Path]) -> Callable[[Path, Corpus], Inputs]:
    return _named_with_good(make, expect_documents=(1, 2))


def _refused(name: str, what: str, build: Callable[[Path, Corpus], Inputs], **options: Any) -> Case:
    return Case(name, what, build, "refused", **options)


def _stored(name: str, what: str, build: Callable[[Path, Corpus], Inputs], expect: str) -> Case:
    return Case(name, what, build, expect, warehouse_matters=True)


CASES: tuple[Case, ...] = (
    _refused("missing_path", "a path that does not exist", _named_with_good(_missing)),
    _refused("fifo", "a named pipe given as a source", _named_with_good(_fifo("putki.txt"))),
    _refused("dev_zero", "/dev/zero given as a source", _named_with_good(_dev_zero)),
    _refused("empty_file", "an empty .txt", _named_with_good(_write("tyhja.txt", b""))),
    _refused(
        "whitespace_only", "a .txt of spaces and newlines", _named_with_good(_write("tyhjaa.txt", b"  \n\t\n \r\n  "))
    ),
    _refused(
        "binary_garbage",
        "8 KB of random bytes named .txt",
        _named_with_good(_write("sotkua.txt", _random_bytes(8000, 2))),
    ),
    _stored("pdf_truncated", "the first half of a 3-page PDF", _either_named(_truncated_pdf), "either"),
    _refused("pdf_encrypted", "a PDF with a user password", _named_with_good(_encrypted_pdf)),
    _refused(
        "pdf_no_text", "a one-page PDF without text", _named_with_good(lambda f: blank_pdf(f / "ei_tekstia.pdf", 1))
    ),
    _refused(
        "pdf_5000_blank_pages",
        "a 5,000-page blank PDF",
        _named_with_good(lambda f: blank_pdf(f / "tyhjat_sivut.pdf", 5000)),
    ),
    _stored("text_200mb", "a 200,000,000-byte plain-text file", _either_named(_text_200mb), "either"),
    _stored("html_5000_columns", "an HTML table of 5,000 columns", _either_named(_html_wide_table), "either"),
    _stored("tsv_5000_columns", "a TSV of 5,000 columns", _either_named(_tsv_wide_table), "either"),
    _refused("docx_zip_bomb", "a .docx whose document.xml inflates to 2 GiB", _named_with_good(_zip_bomb)),
    _refused(
        "docx_without_document_xml", "a .docx zip without word/document.xml", _named_with_good(_docx_without_body)
    ),
    _stored("html_nested_10000", "text inside 10,000 nested <div>s", _loaded_with_good(_nested_html), "loaded"),
    _stored(
        "utf16le_no_bom",
        "UTF-16 LE text without BOM",
        _loaded_with_good(_encoded("utf16le.txt", "utf-16-le")),
        "loaded",
    ),
    _stored(
        "utf16be_no_bom",
        "UTF-16 BE text without BOM",
        _loaded_with_good(_encoded("utf16be.txt", "utf-16-be")),
        "loaded",
    ),
    _stored("utf16_bom", "UTF-16 text with BOM", _loaded_with_good(_encoded("utf16bom.txt", "utf-16")), "loaded"),
    _stored(
        "latin1_text", "Latin-1 text", _loaded_with_good(_encoded("latin1.txt", "latin-1", LATIN1_SENTENCE)), "loaded"
    ),
    _stored(
        "cp1252_text",
        "Windows-1252 text with € and ”",
        _loaded_with_good(_encoded("cp1252.txt", "cp1252", CP1252_SENTENCE)),
        "loaded",
    ),
    _stored("name_rich_markup", "file name [bold]x[/bold].txt", _plan_named("[bold]x[/bold].txt"), "loaded"),
    _stored("name_closing_markup", "a path holding [/]: folder [ and file ].txt", _plan_named("[/].txt"), "loaded"),
    _stored("name_escape_sequence", "file name \\x1b[31mred.txt", _plan_named("\x1b[31mred.txt"), "loaded"),
    _stored("text_escapes_and_markup", "text with ESC sequences and [red]markup[/red]", _escapes_in_text, "loaded"),
    _stored("email_apostrophe", f"a contact e-mail {APOSTROPHE_EMAIL}", _apostrophe_email, "loaded"),
    _refused(
        "symlink_outside",
        "a symlink in the folder to a file outside it",
        _in_folder(_outside_link),
        parse_expect="either",
    ),
    _refused("symlink_loop", "two symlinks pointing at each other", _in_folder(_link_loop)),
    _refused("symlink_dangling", "a symlink to nothing", _in_folder(_dangling_link)),
    Case(
        "symlink_directory_loop",
        "a symlinked directory pointing back up",
        _in_folder(_directory_loop, parse=False),
        "ignored",
    ),
    _refused("fifo_in_folder", "a named pipe inside a folder", _in_folder(_fifo_in_folder)),
    _refused(
        "directory_no_permission",
        "a folder with mode 000 inside the folder",
        _in_folder(_locked_directory, parse=False),
        needs_non_root=True,
    ),
    _refused("file_no_permission", "a file with mode 000", _named_with_good(_locked_file), needs_non_root=True),
    _stored("long_line_10mb", "10 MB of text without a newline", _either_named(_long_line), "either"),
    _stored("paragraphs_100k", "100,000 tiny paragraphs", _either_named(_tiny_paragraphs), "either"),
    _stored("txt_really_pdf", "a PDF named .txt", _loaded_with_good(_pdf_named_txt), "loaded"),
    _refused("url_list_unreachable", f"a URL-list file naming {UNREACHABLE_URL}", _url_list),
    _stored(
        "same_folder_one_call",
        "the corpus folder given absolute and relative in one call",
        _folder_twice_one_call,
        "ignored",
    ),
    _stored(
        "same_folder_two_calls",
        "the corpus folder absolute, then relative in a second call",
        _folder_twice_two_calls,
        "ignored",
    ),
    _stored("same_bytes_two_names", "the good document twice under two names", _same_bytes, "loaded"),
)


# -- statements `plansift query` must refuse ------------------------------------------


@dataclass(frozen=True)
class WriteAttempt:
    """A statement that would change the warehouse or reach past it, for ``plansift query``.

    ``sql`` may name ``{file}`` (a path that must not exist afterwards) and
    ``{pid}`` (a server process of another connection that must survive).
    """

    name: str
    sql: str
    backend: str = "any"  # any, sqlite or postgresql
    creates_file: bool = False
    terminates: bool = False


WRITE_ATTEMPTS: tuple[WriteAttempt, ...] = (
    WriteAttempt(
        "write_insert",
        "INSERT INTO documents (source, name, first_seen, last_seen) "
        "VALUES ('x', 'x', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
    ),
    WriteAttempt("write_update", "UPDATE documents SET name = 'muutettu'"),
    WriteAttempt("write_delete", "DELETE FROM documents"),
    WriteAttempt("write_drop_table", "DROP TABLE contact_mentions"),
    WriteAttempt("write_drop_view", "DROP VIEW project_overview"),
    WriteAttempt("write_create_table", "CREATE TABLE lisatty (a integer)"),
    WriteAttempt("write_alter_table", "ALTER TABLE documents ADD COLUMN lisatty integer"),
    WriteAttempt("write_stacked_delete", "SELECT 1; DELETE FROM documents"),
    WriteAttempt("write_commented_delete", "/* vain luku */ DELETE FROM documents"),
    WriteAttempt("write_with_delete", "WITH x AS (SELECT 1) DELETE FROM documents"),
    WriteAttempt("write_cte_delete", "WITH d AS (DELETE FROM documents RETURNING id) SELECT count(*) FROM d"),
    WriteAttempt("write_attach", "ATTACH DATABASE '{file}' AS lisa", backend="sqlite", creates_file=True),
    WriteAttempt("write_writable_schema", "PRAGMA writable_schema = ON", backend="sqlite"),
    WriteAttempt("write_vacuum_into", "VACUUM INTO '{file}'", backend="sqlite", creates_file=True),
    WriteAttempt("write_analyze", "ANALYZE", backend="sqlite"),
    WriteAttempt("write_pg_read_file", "SELECT pg_read_file('/etc/passwd')", backend="postgresql"),
    WriteAttempt("write_pg_ls_dir", "SELECT pg_ls_dir('/')", backend="postgresql"),
    WriteAttempt(
        "write_pg_terminate_backend", "SELECT pg_terminate_backend({pid})", backend="postgresql", terminates=True
    ),
    WriteAttempt("write_pg_reload_conf", "SELECT pg_reload_conf()", backend="postgresql"),
    WriteAttempt("write_lo_import", "SELECT lo_import('/etc/hostname')", backend="postgresql"),
    WriteAttempt("write_copy_to_file", "COPY documents TO '{file}'", backend="postgresql", creates_file=True),
    WriteAttempt("write_nextval", "SELECT nextval('documents_id_seq')", backend="postgresql"),
)
