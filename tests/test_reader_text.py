"""The plain-text reader: encodings, recovered structure, residue, bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.errors import ReadError, ReadFailure
from pipeline.readers import read_file
from pipeline.settings import Settings


def read_text_bytes(tmp_path: Path, data: bytes, name: str = "doc.txt"):
    path = tmp_path / name
    path.write_bytes(data)
    return read_file(path, Settings())


def kinds_and_texts(document) -> list[tuple[str, str]]:
    return [(block.kind, block.text) for _, block in document.blocks() if block.kind != "table"]


FINNISH = "Hämeenlinnan kaupunki – 68 850 € ÅÄÖ åäö\n\nHanke päättyi vuonna 2021 ja sen budjetti oli 68 850 €.\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "utf-16"])
def test_finnish_letters_euro_and_dashes_survive_every_encoding(tmp_path: Path, encoding: str) -> None:
    document = read_text_bytes(tmp_path, FINNISH.encode(encoding))
    assert "Hämeenlinnan kaupunki – 68 850 € ÅÄÖ åäö" in document.text
    assert not document.text.startswith("\ufeff")


def test_a_non_utf8_file_is_read_with_a_warning(tmp_path: Path) -> None:
    document = read_text_bytes(tmp_path, FINNISH.encode("cp1252"))
    assert [w.code for w in document.warnings] == ["encoding"]
    assert "cp1252" in document.warnings[0].message


def test_binary_garbage_named_txt_is_refused_with_the_file_name(tmp_path: Path) -> None:
    garbage = bytes(range(256)) * 40
    with pytest.raises(ReadError) as caught:
        read_text_bytes(tmp_path, garbage, "garbage.txt")
    assert caught.value.reason is ReadFailure.UNSUPPORTED
    assert "garbage.txt" in str(caught.value) and "binary" in str(caught.value)


@pytest.mark.parametrize("data", [b"", b"   \n\t\n"])
def test_an_empty_file_is_refused(tmp_path: Path, data: bytes) -> None:
    with pytest.raises(ReadError) as caught:
        read_text_bytes(tmp_path, data, "empty.txt")
    assert caught.value.reason is ReadFailure.EMPTY
    assert str(caught.value) == f"{tmp_path / 'empty.txt'}: file is empty"


def test_a_file_of_only_site_residue_is_refused_as_empty(tmp_path: Path) -> None:
    with pytest.raises(ReadError) as caught:
        read_text_bytes(tmp_path, "fbpx\n\n • Suomi\n • English\n • Svenska\n".encode())
    assert caught.value.reason is ReadFailure.EMPTY


def test_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ReadError) as caught:
        read_file(tmp_path / "nope.txt")
    assert caught.value.reason is ReadFailure.NOT_FOUND


PROJECT_LIST = """\
 • Suomi
 • English
 • Svenska
fbpx
Hankkeet
Kaupunki kehittää palveluja hankkeiden avulla, joihin saadaan ulkopuolista rahoitusta.
Kehittämishankkeet jaotellaan hankkeisiin, jotka edistävät
- elinvoimaa
- hyvinvointia
Elinvoimainen kaupunki
Kävelyn edistäminen (2020-2022)
Hankkeessa kehitetään kävelyreittejä yhdessä asukkaiden kanssa.
Yhteyshenkilö:
Maija Meikäläinen
maija.meikalainen@example.fi
Pyöräilyn edistäminen (1.1.2021–31.12.2021)
Hankkeessa parannetaan pyöräteitä.
Hyvinvoiva kaupunki
Kerhotoiminta (2021)
Hankkeessa järjestetään kerhoja.
"""


def test_a_project_list_becomes_nested_sections(tmp_path: Path) -> None:
    document = read_text_bytes(tmp_path, PROJECT_LIST.encode())
    top = document.root.subsections
    assert [s.title for s in top] == ["Hankkeet"]
    themes = top[0].subsections
    assert [s.title for s in themes] == ["Elinvoimainen kaupunki", "Hyvinvoiva kaupunki"]
    assert [s.title for s in themes[0].subsections] == [
        "Kävelyn edistäminen (2020-2022)",
        "Pyöräilyn edistäminen (1.1.2021–31.12.2021)",
    ]
    assert [s.title for s in themes[1].subsections] == ["Kerhotoiminta (2021)"]


def test_residue_is_dropped_and_labels_and_lead_ins_stay_paragraphs(tmp_path: Path) -> None:
    document = read_text_bytes(tmp_path, PROJECT_LIST.encode())
    blocks = kinds_and_texts(document)
    texts = [t for _, t in blocks]
    assert "Suomi" not in texts and "fbpx" not in texts and "English" not in texts
    assert ("paragraph", "Kehittämishankkeet jaotellaan hankkeisiin, jotka edistävät") in blocks
    assert ("list_item", "elinvoimaa") in blocks
    assert ("paragraph", "Yhteyshenkilö:") in blocks
    assert ("paragraph", "Maija Meikäläinen") in blocks  # a field under a label, not a heading


NUMBERED = """\
 1. Ohjelman tarkoitus 

Ohjelma on osa kunnan strategiaprosessia ja se luo pohjan operatiivisen johtamisen 

ja hankkeiden määrittelylle. 

3. Elinvoimatekijät 
3.1 Yrittäjyys ja liiketoiminta 
Toimenpiteet: 
- Yrittäjien tukeminen 
• Mittarit: CRM-järjestelmän avulla rekisteröitävän yhteistyön, tapahtumien, 

toimenpiteiden määrä 
PALVELUT YRITYKSILLE 
• Toimitilaneuvonta 
Prosessissa valikoitui osa-alueita:
 1. Innovaatiot
 2. Saavutettavuus
"""


def test_numbered_headings_take_their_depth_and_wrapped_lines_are_joined(tmp_path: Path) -> None:
    document = read_text_bytes(tmp_path, NUMBERED.encode())
    headings = [(b.level, b.text) for _, b in document.blocks() if b.kind == "heading"]
    assert headings == [
        (1, "1. Ohjelman tarkoitus"),
        (1, "3. Elinvoimatekijät"),
        (2, "3.1 Yrittäjyys ja liiketoiminta"),
        (3, "PALVELUT YRITYKSILLE"),
    ]
    blocks = kinds_and_texts(document)
    assert (
        "paragraph",
        "Ohjelma on osa kunnan strategiaprosessia ja se luo pohjan operatiivisen johtamisen ja hankkeiden määrittelylle.",
    ) in blocks
    assert ("list_item", "Mittarit: CRM-järjestelmän avulla rekisteröitävän yhteistyön, tapahtumien, toimenpiteiden määrä") in blocks
    assert ("list_item", "Innovaatiot") in blocks and ("list_item", "Saavutettavuus") in blocks


GOAL_TABLE = (
    "Aluesuunnittelu\n\nLiitto laatii maakuntakaavaa.\n\n"
    "Toiminnalliset tavoitteet 2024–2026\tToimenpiteet 2024\tMittarit\n"
    "Kokonaismaakuntakaava\tKaavan laatiminen\tKaava on kuulutettu.\n"
    "<p>Rahoituksen valmistelu.</p>\t<p>EAKR-päätökset.</p> <p>AKKE-rahoitus sidottu.</p>\t<p>Tehty.</p>\n"
    "\n"
    "<p>Viestintä</p>\t<p>Sivusto uudistetaan.</p>\t<p>Tehty.</p>\n"
    "\t\tVain yksi solu\n"
    "\nLopuksi kappale tekstiä, joka ei ole taulukkoa.\n"
)


def test_tab_separated_lines_are_a_table_with_one_paragraph_per_p(tmp_path: Path) -> None:
    document = read_text_bytes(tmp_path, GOAL_TABLE.encode())
    tables = list(document.tables())
    assert len(tables) == 1
    table = tables[0]
    assert [c.text for c in table.header] == ["Toiminnalliset tavoitteet 2024–2026", "Toimenpiteet 2024", "Mittarit"]
    assert [p.text for p in table.rows[2][1].paragraphs] == ["EAKR-päätökset.", "AKKE-rahoitus sidottu."]
    # The row after the blank line continues the same table (same width).
    assert table.rows[3][0].text == "Viestintä"
    assert [c.text for c in table.rows[4]] == ["", "", "Vain yksi solu"]
    assert "<p>" not in document.text
    paragraphs = [t for k, t in kinds_and_texts(document) if k == "paragraph"]
    assert "Kaavan laatiminen" not in " ".join(paragraphs)


def test_seed_004_goal_tables_are_found(seed_paths) -> None:
    document = read_file(seed_paths[4])
    goal_tables = [t for t in document.tables() if t.header and t.header[-1].text == "Mittarit"]
    assert len(goal_tables) >= 4
    assert all(len(row) == 3 for t in goal_tables for row in t.rows)


PDF_EXPORT = """\
Kunnan ohjelma | Ilmasto 2024–2030 1

1 Johdanto

Ohjelma ohjaa kunnan ilmastotyötä.

Kunnan ohjelma | Ilmasto 2024–2030 2

2 Energia

Energiankulutus vähenee.

Sivu 3

Sivu 4
"""


def test_running_headers_and_page_numbers_of_a_pdf_export_are_dropped(tmp_path: Path) -> None:
    document = read_text_bytes(tmp_path, PDF_EXPORT.encode())
    headings = [(b.level, b.text) for _, b in document.blocks() if b.kind == "heading"]
    assert headings == [(1, "1 Johdanto"), (1, "2 Energia")]
    assert "Kunnan ohjelma" not in document.text and "Sivu" not in document.text


def test_numbered_lines_that_repeat_are_content_not_page_furniture(tmp_path: Path) -> None:
    document = read_text_bytes(tmp_path, "Tavoitteet\n\nTavoite 1\n\nLisätään asukkaita.\n\nTavoite 2\n\nLisätään yrityksiä.\n".encode())
    assert "Tavoite 1" in document.text and "Tavoite 2" in document.text


def test_a_contact_line_ending_in_an_address_is_not_joined_to_the_next_title(tmp_path: Path) -> None:
    path = tmp_path / "yhteystiedot.txt"
    path.write_text(
        "Lisätietoja:\n"
        "rehtori Kimmo Peltoniemi, Järvenpään lukio, puh. +358 50 312 7781, kimmo.peltoniemi@jarvenpaa.fi\n"
        "kansainvälisyyskoordinaattori Elsa Nurmi, elsa.nurmi at jarvenpaa.fi\n",
        "utf-8",
    )
    texts = [block.text for _, block in read_file(path).blocks()]
    assert texts[-2].endswith("kimmo.peltoniemi@jarvenpaa.fi")
    assert texts[-1].startswith("kansainvälisyyskoordinaattori Elsa Nurmi")


# -- UTF-16 without a byte-order mark ---------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_is_read_not_refused_as_binary(tmp_path: Path, encoding: str) -> None:
    document = read_text_bytes(tmp_path, FINNISH.encode(encoding))
    assert "Hämeenlinnan kaupunki – 68 850 € ÅÄÖ åäö" in document.text
    assert "Hanke päättyi vuonna 2021 ja sen budjetti oli 68 850 €." in document.text
    assert [w.message for w in document.warnings] == [f"{tmp_path / 'doc.txt'}: not UTF-8; decoded as {encoding}"]


def test_utf16_cut_after_an_odd_byte_keeps_its_whole_characters(tmp_path: Path) -> None:
    document = read_text_bytes(tmp_path, FINNISH.encode("utf-16-le") + b"\x41")
    assert "Hanke päättyi vuonna 2021" in document.text


def test_sixteen_bit_numbers_are_still_binary_not_utf16(tmp_path: Path) -> None:
    # Every other byte NUL, as in UTF-16, but the others are control codes.
    numbers = bytes(b for value in range(2000) for b in (value % 31, 0))
    with pytest.raises(ReadError) as caught:
        read_text_bytes(tmp_path, numbers, "mittaukset.txt")
    assert caught.value.reason is ReadFailure.UNSUPPORTED


# -- size limits -------------------------------------------------------------------------


def test_text_over_the_character_limit_is_refused_naming_the_option(tmp_path: Path) -> None:
    path = tmp_path / "pitka.txt"
    path.write_text("Hankkeen rahoitus on 5 000 euroa.\n" * 100, encoding="utf-8")
    with pytest.raises(ReadError) as caught:
        read_file(path, Settings(max_text_chars=1000))
    assert caught.value.reason is ReadFailure.TOO_LARGE
    assert str(caught.value) == (
        f"{path}: the text is 3,400 characters, over the limit of 1,000; raise --max-text to read it"
    )


def test_bytes_that_cannot_decode_under_the_limit_are_refused_before_decoding(tmp_path: Path) -> None:
    path = tmp_path / "valtava.txt"
    path.write_bytes(b"x" * 5000)
    with pytest.raises(ReadError) as caught:
        read_file(path, Settings(max_text_chars=1000))
    assert caught.value.reason is ReadFailure.TOO_LARGE
    assert caught.value.detail == (
        "the file is 5,000 bytes of text, at least 1,250 characters, over the limit of 1,000; "
        "raise --max-text to read it"
    )


def test_text_within_the_limit_is_read(tmp_path: Path) -> None:
    path = tmp_path / "raja.txt"
    path.write_text("Hankkeen rahoitus on 5 000 euroa.\n" * 100, encoding="utf-8")
    document = read_file(path, Settings(max_text_chars=4000))
    assert document.text.count("5 000 euroa") == 100


def test_the_default_limit_is_far_above_the_longest_real_document(seed_paths: list[Path]) -> None:
    longest = max(len(read_file(path).text) for path in seed_paths)
    assert longest * 100 < Settings().max_text_chars


# -- wide tables -------------------------------------------------------------------------


def test_a_table_of_thousands_of_columns_keeps_its_first_columns_with_a_warning(tmp_path: Path) -> None:
    header = "\t".join(f"Sarake {n}" for n in range(1, 5001))
    values = "\t".join(f"{n} euroa" for n in range(1, 5001))
    document = read_text_bytes(tmp_path, f"Taulukko\n{header}\n{values}\n".encode(), "leveä.tsv")
    (table,) = [block.table for _, block in document.blocks() if block.table is not None]
    assert [len(row) for row in table.rows] == [200, 200]
    assert table.rows[1][199].text == "200 euroa"
    assert "201 euroa" not in document.text
    (warning,) = [w for w in document.warnings if w.code == "wide_table"]
    assert warning.message == (
        f"{tmp_path / 'leveä.tsv'}: a table of 5,000 columns; only its first 200 columns were read, "
        "columns 201–5,000 were left out"
    )


def test_a_table_of_more_cells_than_the_budget_keeps_its_first_rows_with_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pipeline.readers import wide_tables

    monkeypatch.setattr(wide_tables, "MAX_TABLE_CELLS", 100)
    lines = "\n".join(f"Hanke {n}\t{n} euroa" for n in range(1, 201))
    document = read_text_bytes(tmp_path, f"Hankkeet\n{lines}\n".encode(), "pitka.tsv")
    (table,) = [block.table for _, block in document.blocks() if block.table is not None]
    assert len(table.rows) == 50 and table.rows[-1][1].text == "50 euroa"
    (warning,) = [w for w in document.warnings if w.code == "long_table"]
    assert warning.message == (
        f"{tmp_path / 'pitka.tsv'}: a table of 200 rows and 2 columns; only its first 50 rows were read "
        "(a table may have 100 cells), rows 51–200 were left out"
    )
