"""The HTML reader: main content only, structure kept, spans exact, encodings honoured."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from lxml.html import document_fromstring

from pipeline.builder import DocumentBuilder
from pipeline.document import Document
from pipeline.errors import ReadError, ReadFailure
from pipeline.readers import html as html_reader
from pipeline.readers.html import read_html
from pipeline.readers.html_boilerplate import remove_boilerplate
from pipeline.readers.text import read_text
from pipeline.settings import Settings
from pipeline.source import HTML, load_source, source_from_bytes
from tests.fixtures.document_shape import document_shape, span_mismatches
from tests.fixtures.render_html import BOILERPLATE_TEXTS, render_html
from tests.strategies import FINNISH_ALPHABET, spaces

FIXTURES = Path(__file__).parent / "fixtures" / "html"
CORPUS = Path(__file__).parent.parent / "corpus" / "inbox"
GOAL_HEADER = ["Toiminnalliset tavoitteet 2024–2026", "Toimenpiteet 2024", "Mittarit"]


def project_page() -> Document:
    """A small project list: headings, paragraphs, a nested list and a goal table."""
    b = DocumentBuilder()
    b.heading("Hankkeet", level=1)
    b.paragraph("Kaupunki kehittää palveluja hankkeilla, joihin saadaan myös ulkopuolista rahoitusta.")
    b.heading("Elinvoimainen asumiskaupunki", level=2)
    b.paragraph("Hankkeet jaotellaan kaupunkistrategian mukaisesti hankkeisiin, jotka edistävät")
    b.list_item("elinvoimaista asumiskaupunkia", level=1)
    b.list_item("kestävää liikkumista & <palveluverkkoa>", level=2)
    b.list_item("hyvinvointia ja resurssiviisautta", level=1)
    b.heading("Teemme yhdessä! (1.2.2020–31.1.2022)", level=3)
    b.paragraph("Hankkeen budjetti on 1 234 567,50 € ja ESR-rahoitus 75 %; åkerö-hanke päättyi.")
    b.table(
        [
            GOAL_HEADER,
            ["Tiedonhallintamallin päivittäminen", ["Päivitetään mallia.", "Koulutetaan henkilöstö."], "Tehty."],
            ["Sähköinen arkistointi", "Otetaan käyttöön.", ["Käytössä.", "Ohje julkaistu."]],
        ],
        header_rows=1,
    )
    b.paragraph("Yhteyshenkilö: projektipäällikkö Hilkka Esimerkki, hilkka.esimerkki(at)kaupunki.fi")
    return b.build(source="hankkeet.txt", sha256="0" * 64, media_type="text/plain", title="Hankkeet")


def read_page(path: Path) -> Document:
    return read_html(source_from_bytes(str(path), path.read_bytes()), Settings())


def read_markup(markup: str | bytes, tmp_path: Path, name: str = "sivu.html") -> Document:
    data = markup.encode("utf-8") if isinstance(markup, str) else markup
    path = tmp_path / name
    path.write_bytes(data)
    return read_page(path)


def texts(doc: Document) -> list[tuple[str, int, str]]:
    return [(b.kind, b.level, b.text) for _, b in doc.blocks() if b.table is None]


def only_table(doc: Document) -> list[list[list[str]]]:
    (table,) = list(doc.tables())
    return [[[p.text for p in cell.paragraphs] for cell in row] for row in table.rows]


# -- round trips ----------------------------------------------------------


@pytest.mark.parametrize("boilerplate", [True, False])
@pytest.mark.parametrize("cell_paragraphs_as_p", [True, False])
def test_round_trip_keeps_every_block(tmp_path: Path, boilerplate: bool, cell_paragraphs_as_p: bool) -> None:
    original = project_page()
    page = render_html(
        original, tmp_path / "hankkeet.html", boilerplate=boilerplate, cell_paragraphs_as_p=cell_paragraphs_as_p
    )
    read = read_page(page)
    assert document_shape(read) == document_shape(original)
    assert read.title == "Hankkeet"
    assert read.media_type == HTML
    assert read.warnings == []


def test_goal_table_comes_back_with_header_and_cell_paragraphs(tmp_path: Path) -> None:
    read = read_page(render_html(project_page(), tmp_path / "hankkeet.html"))
    (table,) = list(read.tables())
    assert [cell.text for cell in table.header] == GOAL_HEADER
    assert all(cell.is_header for cell in table.header)
    assert [p.text for p in table.rows[1][1].paragraphs] == ["Päivitetään mallia.", "Koulutetaan henkilöstö."]
    assert not any(cell.is_header for row in table.body for cell in row)


@pytest.mark.parametrize("seed", sorted(CORPUS.glob("*.txt")), ids=lambda p: p.stem)
def test_round_trip_of_documents_read_from_the_corpus(tmp_path: Path, seed: Path) -> None:
    original = read_text(load_source(seed, max_bytes=10**8), Settings())
    read = read_page(render_html(original, tmp_path / f"{seed.stem}.html"))
    assert document_shape(read) == document_shape(original)
    assert [t for t in BOILERPLATE_TEXTS if t in read.text and t not in original.text] == []


# Random words of four characters or more do not, in practice, spell a
# residue line ("Jaa") or a language menu ("fi"), which the readers drop
# by design; "<", ">" and "&" check that text survives markup escaping.
_WORD = st.text(alphabet=FINNISH_ALPHABET + "<>&", min_size=4, max_size=12)
_TEXT = st.lists(st.tuples(_WORD, spaces), min_size=2, max_size=6).map(lambda pairs: "".join(w + s for w, s in pairs))


@st.composite
def documents(draw: st.DrawFn) -> Document:
    """Random documents: headings, paragraphs, lists up to three deep, tables with multi-paragraph cells."""
    b = DocumentBuilder()
    b.heading(draw(_TEXT), level=1)
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["heading", "paragraph", "list", "table"]))
        if kind == "heading":
            b.heading(draw(_TEXT), level=draw(st.integers(2, 6)))
        elif kind == "paragraph":
            b.paragraph(draw(_TEXT))
        elif kind == "list":
            level = 1
            for _ in range(draw(st.integers(1, 4))):
                b.list_item(draw(_TEXT), level=level)
                level = draw(st.integers(1, min(level + 1, 3)))
        else:
            width = draw(st.integers(1, 3))
            cell = st.lists(_TEXT, min_size=1, max_size=2)
            rows = draw(st.lists(st.lists(cell, min_size=width, max_size=width), min_size=2, max_size=3))
            b.table(rows, header_rows=1)
    return b.build(source="x.txt", sha256="0" * 64, media_type="text/plain")


@hypothesis_settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(original=documents())
def test_round_trip_of_random_documents(tmp_path: Path, original: Document) -> None:
    read = read_page(render_html(original, tmp_path / "random.html"))
    assert document_shape(read) == document_shape(original)
    assert span_mismatches(read) == []


# -- what is not content ----------------------------------------------------


def test_site_furniture_never_comes_back(tmp_path: Path) -> None:
    read = read_page(render_html(project_page(), tmp_path / "hankkeet.html"))
    leaked = [text for text in BOILERPLATE_TEXTS if text in read.text]
    assert leaked == []
    assert "fbpx" not in read.text


def test_furniture_removal_alone_leaves_content_and_drops_the_rest(tmp_path: Path) -> None:
    page = render_html(project_page(), tmp_path / "hankkeet.html")
    root = document_fromstring(page.read_bytes())
    remove_boilerplate(root)
    body_text = root.find("body").text_content()
    assert [text for text in BOILERPLATE_TEXTS if text in body_text] == ["fbpx"]  # the lone text node goes later
    assert "Tiedonhallintamallin päivittäminen" in body_text


def test_without_main_content_the_body_minus_furniture_is_read(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(html_reader, "locate_main_content", lambda root: None)
    read = read_page(render_html(project_page(), tmp_path / "hankkeet.html"))
    assert [w.code for w in read.warnings] == ["main_content_not_found"]
    assert document_shape(read) == document_shape(project_page())


def test_stray_picks_outside_the_content_do_not_widen_it_to_the_page(tmp_path: Path) -> None:
    # The notice bar and the footer address are prose the content judge
    # takes too; their regions hold other text as well and are written off.
    read = read_markup(
        """<html><body>
        <div id="ilmoituspalkki"><p>Kunnantalo on suljettu 24.–26.12. Palvelemme jälleen 27.12. alkaen.</p>
        <a href="#">Sulje ilmoitus</a></div>
        <div id="sivu"><div id="ylaosa"><ul><li><a href="/">Etusivu</a></li><li><a href="/kunta">Kunta</a></li></ul></div>
        <div id="sisalto"><h1>Kylätoimikunnat saivat avustukset</h1>
        <p>Kunnanhallitus myönsi kokouksessaan 3.2.2025 kylätoimikunnille avustuksia yhteensä 24 000 euroa.
        Avustuksilla tuetaan kylätalojen kunnostusta ja kylätapahtumia.</p>
        <p>Suurimman avustuksen, 6 000 euroa, sai Alakylän kylätoimikunta kylätalon katon korjaukseen.</p>
        <h2>Seuraava haku</h2><p>Seuraava avustushaku avataan syksyllä 2025. Hakuohjeet julkaistaan elokuussa.</p></div>
        <div id="alaosa"><p>Esimerkkilän kunta, Kunnantie 1, 99999 Esimerkkilä</p>
        <p><a href="/saavutettavuus">Saavutettavuusseloste</a></p></div></div>
        </body></html>""",
        tmp_path,
    )
    assert [t[:2] for t in texts(read)] == [("heading", 1), ("paragraph", 0), ("paragraph", 0), ("heading", 2), ("paragraph", 0)]
    assert not any(word in read.text for word in ("suljettu", "Etusivu", "Kunnantie", "Saavutettavuusseloste"))


def test_widget_names_match_whole_words_and_finnish_compounds() -> None:
    root = document_fromstring(
        """<html><body><div id="evasteilmoitus">Sivusto käyttää evästeitä.</div>
        <div class="cmplz-cookiebanner banner">Hyväksy evästeet</div>
        <nav class="breadcrumb">Etusivu</nav><div class="fortunecookies">Onnenkeksit</div>
        <div class="artikkeli">Kunnan tiedote.</div></body></html>"""
    )
    remove_boilerplate(root)
    assert " ".join(root.find("body").text_content().split()) == "Onnenkeksit Kunnan tiedote."


def test_language_menu_of_links_and_share_widget_are_dropped(tmp_path: Path) -> None:
    read = read_markup(
        """<html><body><main>
        <div class="kielet">
          <a href="/fi">Suomeksi</a> | <a href="/sv">På svenska</a> | <a href="/en">In English</a>
        </div>
        <h1>Kaavoitus</h1><p>Kunnan kaavoituskatsaus kertoo vireillä olevista kaavoista ja niiden aikataulusta.</p>
        <div class="some-share"><a href="#">Facebook</a> <a href="#">LinkedIn</a></div>
        </main></body></html>""",
        tmp_path,
    )
    assert texts(read) == [
        ("heading", 1, "Kaavoitus"),
        ("paragraph", 0, "Kunnan kaavoituskatsaus kertoo vireillä olevista kaavoista ja niiden aikataulusta."),
    ]


def test_a_list_of_languages_inside_a_sentence_is_content(tmp_path: Path) -> None:
    read = read_markup(
        "<html><body><main><h1>Asiointi</h1>"
        "<p>Palvelemme kielillä Suomi ja Svenska sekä English.</p></main></body></html>",
        tmp_path,
    )
    assert ("paragraph", 0, "Palvelemme kielillä Suomi ja Svenska sekä English.") in texts(read)


def test_collapsed_accordion_is_content_but_icon_ligatures_are_not(tmp_path: Path) -> None:
    read = read_markup(
        """<html><body><main><h1>Hankkeet</h1>
        <h2><button aria-expanded="false">Päättyneet hankkeet</button></h2>
        <div class="accordion-panel" hidden><p>Kylätiet kuntoon -hanke päättyi vuonna 2023.</p></div>
        <div class="panel" aria-hidden="true" style="display: none"><p>Lukion digiloikka päättyi 2022.</p></div>
        <p><a href="/lisaa">Lue lisää <span class="material-icons" aria-hidden="true">arrow_forward</span></a></p>
        </main></body></html>""",
        tmp_path,
    )
    assert texts(read) == [
        ("heading", 1, "Hankkeet"),
        ("heading", 2, "Päättyneet hankkeet"),
        ("paragraph", 0, "Kylätiet kuntoon -hanke päättyi vuonna 2023."),
        ("paragraph", 0, "Lukion digiloikka päättyi 2022."),
        ("paragraph", 0, "Lue lisää"),
    ]


def test_article_header_with_the_page_heading_is_kept(tmp_path: Path) -> None:
    read = read_markup(
        """<html><body><header><nav><a href="/">Etusivu</a></nav></header>
        <main><article><header><h1>Tiedote</h1><p>Julkaistu 3.4.2024</p></header>
        <p>Kunnanhallitus hyväksyi hankkeen rahoitussuunnitelman kokouksessaan.</p></article></main>
        <footer>Kunnantie 1</footer></body></html>""",
        tmp_path,
    )
    assert texts(read)[:2] == [("heading", 1, "Tiedote"), ("paragraph", 0, "Julkaistu 3.4.2024")]
    assert "Etusivu" not in read.text and "Kunnantie" not in read.text


def test_heading_in_a_banner_above_the_article_is_put_first(tmp_path: Path) -> None:
    read = read_markup(
        """<html><body><div class="hero"><h1>Liikenne 2030</h1></div>
        <div class="content"><p>Liikennejärjestelmäsuunnitelma ohjaa kunnan liikenteen kehittämistä vuosina 2024–2030
        ja sen toimenpiteitä toteutetaan yhteistyössä naapurikuntien kanssa.</p>
        <h2>Tavoitteet</h2><p>Kestävien kulkutapojen osuutta kasvatetaan koko kunnan alueella vuoteen 2030 mennessä.</p>
        </div></body></html>""",
        tmp_path,
    )
    assert [t[:2] for t in texts(read)] == [("heading", 1), ("paragraph", 0), ("heading", 2), ("paragraph", 0)]
    assert read.title == "Liikenne 2030"


# -- structure ------------------------------------------------------------------


def test_line_breaks_split_paragraphs_but_not_list_items_or_headings(tmp_path: Path) -> None:
    read = read_markup(
        """<html><body><main><h2>Lisätietoja<br>ja yhteystiedot</h2>
        <p>Projektipäällikkö Maija Esimerkki<br/>puh. 040 123 4567<br><br>maija.esimerkki@kunta.fi</p>
        <ul><li>Ensimmäinen rivi<br>jatkuu tässä</li></ul></main></body></html>""",
        tmp_path,
    )
    assert texts(read) == [
        ("heading", 2, "Lisätietoja ja yhteystiedot"),
        ("paragraph", 0, "Projektipäällikkö Maija Esimerkki"),
        ("paragraph", 0, "puh. 040 123 4567"),
        ("paragraph", 0, "maija.esimerkki@kunta.fi"),
        ("list_item", 1, "Ensimmäinen rivi jatkuu tässä"),
    ]


def test_div_text_and_inline_markup_read_as_paragraphs(tmp_path: Path) -> None:
    read = read_markup(
        """<html><body><main><div>Johdanto <b>lihavoituna</b> ja <a href="/x">linkkinä</a>.
        <div>Sisempi lohko.</div>Loppuosa.</div></main></body></html>""",
        tmp_path,
    )
    assert texts(read) == [
        ("paragraph", 0, "Johdanto lihavoituna ja linkkinä."),
        ("paragraph", 0, "Sisempi lohko."),
        ("paragraph", 0, "Loppuosa."),
    ]


def test_colspan_and_rowspan_keep_columns_aligned_without_repeating_values(tmp_path: Path) -> None:
    read = read_markup(
        """<html><body><main><table>
        <thead><tr><th>Hanke</th><th>Vuosi</th><th>Summa</th></tr></thead>
        <tbody><tr><td rowspan="2">Iso hanke</td><td>2024</td><td>10 000 €</td></tr>
        <tr><td>2025</td><td>20 000 €</td></tr>
        <tr><td colspan="2">Yhteensä</td><td>30 000 €</td></tr></tbody>
        </table></main></body></html>""",
        tmp_path,
    )
    assert only_table(read) == [
        [["Hanke"], ["Vuosi"], ["Summa"]],
        [["Iso hanke"], ["2024"], ["10 000 €"]],
        [[], ["2025"], ["20 000 €"]],
        [["Yhteensä"], [], ["30 000 €"]],
    ]
    assert span_mismatches(read) == []


def test_bold_first_row_is_a_header_and_th_in_body_rows_stays_a_row_header(tmp_path: Path) -> None:
    read = read_markup(
        """<html><body><main><table>
        <tr><td><strong>Tavoite</strong></td><td><b>Mittari</b></td></tr>
        <tr><th>Pyöräily</th><td>Osuus 15 %</td></tr></table></main></body></html>""",
        tmp_path,
    )
    (table,) = list(read.tables())
    assert [c.text for c in table.header] == ["Tavoite", "Mittari"]
    assert [c.is_header for c in table.rows[1]] == [True, False]


def test_layout_table_is_read_as_blocks(tmp_path: Path) -> None:
    read = read_markup(
        """<html><body><table role="presentation"><tr><td>
        <h1>Kunnan strategia</h1><p>Strategia ohjaa kunnan toimintaa valtuustokauden ajan.</p>
        </td></tr></table></body></html>""",
        tmp_path,
    )
    assert list(read.tables()) == []
    assert texts(read) == [
        ("heading", 1, "Kunnan strategia"),
        ("paragraph", 0, "Strategia ohjaa kunnan toimintaa valtuustokauden ajan."),
    ]


def test_nested_lists_keep_levels_and_markers(tmp_path: Path) -> None:
    read = read_markup(
        """<html><body><main><ol start="3"><li><p>Kolmas</p></li>
        <li>Neljäs<ul><li>Alakohta<ol><li>Syvin</li></ol></li></ul></li><li>Viides</li></ol></main></body></html>""",
        tmp_path,
    )
    items = [(b.level, b.marker, b.text) for _, b in read.blocks()]
    assert items == [
        (1, "3.", "Kolmas"),
        (1, "4.", "Neljäs"),
        (2, "•", "Alakohta"),
        (3, "1.", "Syvin"),
        (1, "5.", "Viides"),
    ]


def test_aria_headings_and_table_captions(tmp_path: Path) -> None:
    read = read_markup(
        """<html><body><main><div role="heading" aria-level="2">Talousarvio</div>
        <table><caption>Taulukko 1. Menot</caption><tr><th>Vuosi</th><th>Menot</th></tr>
        <tr><td>2024</td><td>1,2 milj. €</td></tr></table></main></body></html>""",
        tmp_path,
    )
    assert texts(read) == [("heading", 2, "Talousarvio"), ("paragraph", 0, "Taulukko 1. Menot")]
    assert only_table(read) == [[["Vuosi"], ["Menot"]], [["2024"], ["1,2 milj. €"]]]


def test_page_wide_form_is_a_wrapper_not_furniture(tmp_path: Path) -> None:
    # ASP.NET WebForms pages wrap everything in one <form>.
    read = read_markup(
        """<html><body><form id="aspnetForm" action="/sivu.aspx"><div id="sisalto">
        <h1>Päätökset</h1><p>Kunnanhallitus päätti myöntää avustukset kylätoimikunnille.</p>
        </div><div role="search"><p>Hae sivustolta</p></div></form></body></html>""",
        tmp_path,
    )
    assert texts(read) == [
        ("heading", 1, "Päätökset"),
        ("paragraph", 0, "Kunnanhallitus päätti myöntää avustukset kylätoimikunnille."),
    ]


def test_spans_are_exact_for_blocks_cells_and_cell_paragraphs(tmp_path: Path) -> None:
    read = read_page(render_html(project_page(), tmp_path / "hankkeet.html"))
    assert span_mismatches(read) == []
    assert len(list(read.tables())) == 1


# -- encodings ------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["windows-1252", "iso-8859-15"])
def test_single_byte_page_decodes_finnish_letters_euro_and_dash(tmp_path: Path, encoding: str) -> None:
    page = render_html(project_page(), tmp_path / "hankkeet.html", encoding=encoding)
    assert "€ ja".encode(encoding) in page.read_bytes()  # really a single-byte page
    read = read_page(page)
    assert document_shape(read) == document_shape(project_page())
    assert "1 234 567,50 € ja ESR-rahoitus 75 %; åkerö-hanke" in read.text
    assert "(1.2.2020–31.1.2022)" in read.text


def test_latin_1_label_is_read_as_windows_1252(tmp_path: Path) -> None:
    # WHATWG: a page labelled ISO-8859-1 is decoded as windows-1252.
    markup = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1"></head>'
        "<body><main><p>Hinta 5 000 € – päätös tehtiin Äänekoskella.</p></main></body></html>"
    )
    read = read_markup(markup.encode("cp1252"), tmp_path)
    assert texts(read) == [("paragraph", 0, "Hinta 5 000 € – päätös tehtiin Äänekoskella.")]
    assert read.warnings == []


def test_undeclared_single_byte_page_is_read_and_warned_about(tmp_path: Path) -> None:
    markup = "<html><body><main><p>Määräraha on 2 500 € vuodessa.</p></main></body></html>"
    read = read_markup(markup.encode("cp1252"), tmp_path)
    assert "Määräraha on 2 500 € vuodessa." in read.text
    assert [w.code for w in read.warnings] == ["encoding"]


def test_stale_declaration_on_utf8_bytes_is_overruled(tmp_path: Path) -> None:
    markup = (
        '<html><head><meta charset="windows-1252"></head>'
        "<body><main><p>Ympäristö ja vesihuolto</p></main></body></html>"
    )
    read = read_markup(markup, tmp_path)
    assert "Ympäristö ja vesihuolto" in read.text
    assert [w.code for w in read.warnings] == ["encoding"]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16"])
def test_byte_order_mark_decides(tmp_path: Path, encoding: str) -> None:
    markup = (
        '<html><head><meta charset="windows-1252"></head>'
        "<body><main><p>Sähköinen asiointi</p></main></body></html>"
    )
    read = read_markup(markup.encode(encoding), tmp_path)
    assert texts(read) == [("paragraph", 0, "Sähköinen asiointi")]


# -- title -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("head", "body", "title"),
    [
        ("<title>Hankkeet | Esimerkkilä</title>", "<h1>Hankkeet</h1>", "Hankkeet"),
        (
            '<title>Ajankohtaista - Esimerkkilä</title><meta property="og:site_name" content="Esimerkkilä">',
            "<h1>Uutiset</h1>",
            "Ajankohtaista",
        ),
        ("<title>Esimerkkilä – Kaavoitus</title>", "<h1>Kaavoituskatsaus</h1>", "Kaavoitus"),
        ("<title>Liikenne 2030 – toimintaohjelma</title>", "<h1>Ohjelma</h1>", "Liikenne 2030 – toimintaohjelma"),
        ('<meta property="og:title" content="Vesihuolto">', "<h1>Vesi</h1>", "Vesihuolto"),
        ("", "<h1>Vesihuollon kehittämissuunnitelma</h1>", "Vesihuollon kehittämissuunnitelma"),
    ],
)
def test_title_drops_the_site_name(tmp_path: Path, head: str, body: str, title: str) -> None:
    markup = (
        f"<html><head>{head}</head><body><header><img src='/logo.png' alt='Esimerkkilä'></header>"
        f"<main>{body}<p>Sivun sisältö kertoo kunnan suunnitelmista.</p></main></body></html>"
    )
    assert read_markup(markup, tmp_path).title == title


# -- failures --------------------------------------------------------------------------


def test_binary_garbage_that_sniffs_as_html_is_refused_naming_the_file(tmp_path: Path) -> None:
    noise = random.Random(7).randbytes(6000)
    with pytest.raises(ReadError) as caught:
        read_markup(b"<html><body>" + noise, tmp_path, name="rikki.html")
    assert caught.value.reason is ReadFailure.CORRUPT
    assert "rikki.html" in str(caught.value)


def test_page_without_text_is_refused_naming_the_file(tmp_path: Path) -> None:
    markup = (
        "<html><head><script>var a = 1;</script></head>"
        "<body><nav><a href='/'>Etusivu</a></nav><div></div></body></html>"
    )
    with pytest.raises(ReadError) as caught:
        read_markup(markup, tmp_path, name="tyhja.html")
    assert caught.value.reason is ReadFailure.NO_TEXT
    assert "tyhja.html" in str(caught.value)


# -- golden page ----------------------------------------------------------------------


def test_municipal_project_page_matches_its_golden_blocks() -> None:
    """A hand-written old-style municipal page (Windows-1252, layout by divs, side menu, cookie notice)."""
    expected = json.loads((FIXTURES / "municipal_project_page.expected.json").read_text("utf-8"))
    read = read_page(FIXTURES / "municipal_project_page.html")
    assert read.title == expected["title"]
    assert document_shape(read) == expected["blocks"]
    assert span_mismatches(read) == []


# -- pages that are too big, too deep or too wide -------------------------------------------

SENTENCE = "Hankkeen nimi on Testi ja sen rahoitus 5 000 euroa."


def test_text_nested_ten_thousand_levels_deep_comes_through(tmp_path: Path) -> None:
    doc = read_markup("<div>" * 10000 + SENTENCE + "</div>" * 10000, tmp_path, "syva.html")
    assert SENTENCE in doc.text
    assert [w.code for w in doc.warnings] == ["deep_nesting"]
    assert str(tmp_path / "syva.html") in doc.warnings[0].message


def test_a_deep_page_keeps_what_comes_after_the_deep_part_and_its_shallow_structure(tmp_path: Path) -> None:
    deep = "<section>" * 3000 + "<p>Syvällä oleva kappale.</p>" + "</section>" * 3000
    markup = (
        "<html><body><main><h1>Hankkeet</h1><p>Ensimmäinen kappale.</p>"
        f"{deep}<h2>Rahoitus</h2><ul><li>ESR 5 000 euroa</li><li>EAKR 7 000 euroa</li></ul></main></body></html>"
    )
    doc = read_markup(markup, tmp_path)
    assert texts(doc) == [
        ("heading", 1, "Hankkeet"),
        ("paragraph", 0, "Ensimmäinen kappale."),
        ("paragraph", 0, "Syvällä oleva kappale."),
        ("heading", 2, "Rahoitus"),
        ("list_item", 1, "ESR 5 000 euroa"),
        ("list_item", 1, "EAKR 7 000 euroa"),
    ]


def test_pages_of_ordinary_depth_are_not_flattened(tmp_path: Path) -> None:
    markup = "<html><body><main>" + "<div>" * 60 + f"<p>{SENTENCE}</p>" + "</div>" * 60 + "</main></body></html>"
    doc = read_markup(markup, tmp_path)
    assert SENTENCE in doc.text and doc.warnings == []


@pytest.mark.parametrize("rows", [1, 2])
def test_a_table_of_thousands_of_columns_keeps_its_first_columns_with_a_warning(tmp_path: Path, rows: int) -> None:
    cells = [f"<td>{n} euroa</td>" for n in range(1, 5001)]
    body = "".join(f"<tr>{''.join(cells)}</tr>" for _ in range(rows))
    doc = read_markup(f"<html><body><table>{body}</table></body></html>", tmp_path, "levea.html")
    table = only_table(doc)
    assert [len(row) for row in table] == [200] * rows
    assert table[0][199] == ["200 euroa"] and "201 euroa" not in doc.text
    assert [w.code for w in doc.warnings] == ["wide_table"]
    assert doc.warnings[0].message == (
        f"{tmp_path / 'levea.html'}: a table of 5,000 columns; only its first 200 columns were read, "
        "columns 201–5,000 were left out"
    )


def test_a_page_over_the_text_limit_is_refused_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "iso.html"
    path.write_text("<html><body>" + f"<p>{SENTENCE}</p>" * 100 + "</body></html>", encoding="utf-8")
    with pytest.raises(ReadError) as caught:
        read_html(load_source(path, max_bytes=10_000_000), Settings(max_text_chars=2000))
    assert caught.value.reason is ReadFailure.TOO_LARGE
    assert caught.value.detail.endswith("over the limit of 2,000; raise --max-text to read it")


def test_a_page_of_very_many_elements_is_read_whole_without_judging_its_main_content(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(html_reader, "MAX_JUDGED_ELEMENTS", 50)
    monkeypatch.setattr(html_reader, "locate_main_content", lambda root: pytest.fail("judged a page too big to judge"))
    paragraphs = "".join(f"<p>Kappale {n}: {SENTENCE}</p>" for n in range(60))
    doc = read_markup(f"<html><body><nav><a href='/'>Etusivu</a></nav>{paragraphs}</body></html>", tmp_path)
    assert [w.code for w in doc.warnings] == ["main_content_not_judged"]
    assert texts(doc)[0] == ("paragraph", 0, f"Kappale 0: {SENTENCE}") and len(texts(doc)) == 60
    assert "Etusivu" not in doc.text


def test_colspan_attributes_cannot_ask_for_millions_of_slots(tmp_path: Path) -> None:
    row = '<td colspan="1000">x</td>' * 10_000
    doc = read_markup(f"<html><body><table><tr>{row}</tr><tr><td>a</td><td>b</td></tr></table></body></html>", tmp_path)
    table = only_table(doc)
    assert [len(r) for r in table] == [200, 200]
    assert table[0][0] == ["x"] and table[1][:2] == [["a"], ["b"]]
    assert [w.code for w in doc.warnings] == ["wide_table"]
    assert "a table of 10,000,000 columns; only its first 200 columns were read" in doc.warnings[0].message


def test_rowspan_to_the_end_on_every_row_is_cut_to_the_cell_budget(tmp_path: Path) -> None:
    rows = '<tr><td rowspan="0">x</td><td>y</td></tr>' * 20_000
    doc = read_markup(f"<html><body><h1>Taulukko</h1><table>{rows}</table></body></html>", tmp_path, "rivit.html")
    (table,) = list(doc.tables())
    assert len(table.rows) * len(table.rows[0]) <= 200_000
    assert [w.code for w in doc.warnings if w.code.endswith("_table")] == ["wide_table", "long_table"]
    long_table = next(w for w in doc.warnings if w.code == "long_table")
    assert long_table.message.startswith(f"{tmp_path / 'rivit.html'}: a table of 20,000 rows")
    assert long_table.message.endswith("rows 1,001–20,000 were left out")
