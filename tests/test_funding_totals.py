"""Stated totals: which sums of a document add up its other sums, and which are money of their own."""

from __future__ import annotations

from typing import Any

from extractors.funding_totals import mark_totals
from extractors.records import FundingRecord, Provenance
from tests.extraction_fixtures import build_document, extract


def totals_of(*paragraphs: str) -> list[tuple[float | None, bool]]:
    blocks: list[tuple[Any, ...]] = [("heading", 1, "Tiedote"), *(("paragraph", p) for p in paragraphs)]
    return _totals(blocks)


def _totals(blocks: list[tuple[Any, ...]]) -> list[tuple[float | None, bool]]:
    records: list[FundingRecord] = extract(blocks)["fundings"]
    return [(r.amount_eur, r.is_total) for r in sorted(records, key=lambda r: r.provenance.start)]


# -- arithmetic -----------------------------------------------------------------------------


def test_a_total_after_its_parts_is_a_total() -> None:
    assert totals_of("EU:n osuus on 60 000 euroa ja valtion osuus 40 000 euroa, yhteensä 100 000 euroa.") == [
        (60000, False),
        (40000, False),
        (100000, True),
    ]


def test_parts_that_add_up_to_within_half_a_percent_make_a_total() -> None:
    assert totals_of(
        "Hankkeiden rahoitus on 1,2 milj. euroa. Kylät verkkoon -hanke saa 700 000 euroa ja "
        "Matkailun uusi nousu -hanke 496 000 euroa."
    ) == [(1200000, True), (700000, False), (496000, False)]


def test_grants_of_three_projects_that_happen_to_add_up_are_no_total() -> None:
    assert totals_of(
        "Hämeen liitto myönsi Kylät verkkoon -hankkeelle 30 000 euroa, Matkailun uusi nousu -hankkeelle "
        "20 000 euroa ja Kylätalot kuntoon -hankkeelle 50 000 euroa."
    ) == [(30000, False), (20000, False), (50000, False)]


def test_a_half_of_a_budget_is_no_total_of_the_other_half() -> None:
    # Real wording (Mäntyharju): the half of the costs the grant pays equals the own funding and
    # talkoot of the other half; only the budget adds them up.
    assert totals_of(
        "Hankkeen kustannusarvio on 34 537,00 euroa, josta puolet eli 17 268,50 euroa koostuu "
        "EU:n Maaseuturahaston hanketuesta ja puolet seuran omarahoitusosuudesta 3 453,70 euroa + "
        "13 814,80 euron talkootyöosuudesta.",
        "Haettava laina on 17 268,50 euroa.",
    ) == [(34537, True), (17268.5, False), (3453.7, False), (13814.8, False), (17268.5, False)]


def test_a_news_leads_total_adds_up_the_projects_listed_under_headings_of_their_own() -> None:
    assert _totals(
        [
            ("heading", 1, "ELY-keskus rahoittaa kahta uutta hanketta"),
            (
                "paragraph",
                "Hämeen ELY-keskus on myöntänyt ESR+-rahoitusta kahdelle hankkeelle yhteensä 581 150 euroa.",
            ),
            # The largest grant told once in the lead and again in the list counts once.
            (
                "paragraph",
                "Suurimman tuen sai Hämeenlinnan kaupunki, joka sai Hämeen ELY-keskukselta 312 750 euroa "
                "Kotoutumisen kiihdyttämö -hankkeelle.",
            ),
            ("heading", 1, "Kotoutumisen kiihdyttämö"),
            ("paragraph", "Toteuttaja: Hämeenlinnan kaupunki"),
            ("paragraph", "Myönnetty tuki: 312 750 euroa"),
            ("heading", 1, "Nuoret osaajat Riihimäen seudulla"),
            ("paragraph", "Toteuttaja: Riihimäen kaupunki"),
            ("paragraph", "Myönnetty tuki: 268 400 euroa"),
        ]
    ) == [(581150, True), (312750, False), (312750, False), (268400, False)]


# -- wording --------------------------------------------------------------------------------


def test_total_costs_stated_after_the_grant_are_a_total() -> None:
    # Real wording (Forssa): the grant, then the project's total budget.
    assert totals_of(
        "Hämeen liitto on myöntänyt hankkeelle EAKR-rahoitusta 340 340 euroa. "
        "Hankkeen kokonaisbudjetti on 486 200 euroa."
    ) == [(340340, False), (486200, True)]


def test_a_total_budget_on_a_form_line_above_the_grant_is_a_total() -> None:
    assert totals_of("Kokonaisbudjetti: 742 800 €", "Myönnetty tuki: 594 240 € (80 %)") == [
        (742800, True),
        (594240, False),
    ]


def test_a_yhteensa_row_that_does_not_add_up_is_still_a_total() -> None:
    # One row's sum is not yet decided, so the rows cannot add up; the row label says total.
    assert _totals(
        [
            ("heading", 1, "Myönnetyt tuet"),
            ("paragraph", "Hämeen liitto on myöntänyt rahoitusta seuraaville hankkeille."),
            (
                "table",
                [
                    ["Hanke", "Hakija", "Myönnetty tuki"],
                    ["Kylät verkkoon", "Hattulan kunta", "45 000 €"],
                    ["Matkailun uusi nousu", "HAMK", "120 500 €"],
                    ["Kylätalot kuntoon", "Lopen kunta", "päätös tammikuussa"],
                    ["Yht.", "", "190 500 €"],
                ],
                1,
            ),
        ]
    ) == [(45000, False), (120500, False), (190500, True)]


def test_a_projects_total_costs_are_no_total_of_the_next_paragraphs_grant() -> None:
    # Real wording (Etelä-Savo): one project's costs, then another project's grant.
    assert totals_of(
        "EU-hankkeet parantavat bioenergiatoimijoiden vientiosaamista (toteuttaja Miktech, "
        "kokonaiskustannukset vajaat 320 000 euroa) ja uudistavat maakunnan teollisuutta.",
        "Maakuntahallitus myönsi Etelä-Savon kauppakamarin vetämälle KasvuOpen-hankkeelle reilut 14 000 euroa.",
    ) == [(320000, False), (14000, False)]


def test_a_part_of_a_total_is_no_total_of_its_fellow_parts() -> None:
    # Real wording (Varsinais-Suomi): "yhteensä" also names the largest part of the total.
    assert totals_of(
        "ELY-keskus rahoitti maaseudun kehittämistä rahoituskaudella 2014–2022 yhteensä 175 miljoonalla eurolla.",
        "Eniten rahoitusta maksettiin maatalouden investointeihin, yhteensä 99 miljoonaa euroa. Maaseudun "
        "yritysten hankkeita rahoitettiin 34 miljoonalla ja maaseudun kehittämishankkeita 30 miljoonalla. "
        "Nuoren viljelijän aloitustukia maksettiin 8 miljoonaa ja maatilojen neuvontakorvauksia lähes 4 miljoonaa.",
    ) == [(175e6, True), (99e6, False), (34e6, False), (30e6, False), (8e6, False), (4e6, False)]


def test_a_share_named_after_josta_makes_no_total_without_total_wording() -> None:
    assert totals_of(
        "Hämeen liitto myönsi Kylät verkkoon -hankkeelle 100 000 euroa, josta 20 000 euroa käytetään investointeihin."
    ) == [(100000, False), (20000, False)]


def test_a_total_whose_parts_are_not_stated_is_no_total() -> None:
    # The only smaller sum is a bound of a range, not a grant of its own.
    assert totals_of(
        "Yhteensä rahoituspotti on 362 839 euroa. Myönnetyn tuen määrä hanketta kohti on 20 000–50 000 euroa."
    ) == [(362839, False), (50000, False)]


def test_money_in_addition_is_no_part_of_the_total_before_it() -> None:
    assert totals_of(
        "Yhdistysten hankkeille myönnettiin tukea yhteensä noin 1,48 miljoonaa euroa. Lisäksi Leader-tukea "
        "myönnettiin mikroyrityksille noin 182 000 euroa."
    ) == [(1480000, False), (182000, False)]


def test_a_sum_of_sums_heading_a_list_of_smaller_sums_is_a_total() -> None:
    # Real wording (Tuusula): the area's sum, then the municipality's two sums.
    assert totals_of(
        "Leader-yhdistys myönsi toiminta-alueelleen Leader-hankerahoitusta kaikkiaan n. 3,6 miljoonaa euroa.",
        "Tuusulaan rahoitettiin yleishyödyllisiä hankkeita, joiden yhteissumma 539 921,50 € sekä "
        "yrityshankkeita, joiden yhteissumma 531 289,56 €.",
    ) == [(3600000, True), (539921.5, False), (531289.56, False)]


def test_the_same_sum_stated_again_is_no_part_of_a_yhteensa_sum() -> None:
    assert totals_of(
        "Ministeriö myönsi maakunnalle vuodelle 2018 yhteensä 3,4 miljoonaa euroa.",
        "Maakuntahallitus jakoi rahoituksesta 3,4 miljoonaa euroa hankkeille.",
    ) == [(3400000, False), (3400000, False)]


# -- the function itself -------------------------------------------------------------------


def test_records_without_a_sum_keep_their_place_and_stay_no_total() -> None:
    document = build_document([("paragraph", "Hämeen liitto rahoittaa hanketta. Tuki on 40 000 euroa.")])
    at = document.text.index("40 000")
    without_sum = FundingRecord(provenance=_evidence(document, 0, 12), funder="Hämeen liitto")
    with_sum = FundingRecord(provenance=_evidence(document, at, at + 12), amount_eur=40000, qualifier="exact")
    assert mark_totals(document, [without_sum, with_sum]) == [without_sum, with_sum]


def _evidence(document: Any, start: int, end: int) -> Provenance:
    return Provenance.of_span(document, start, end, extractor="t", version="1", rule="t", confidence=0.5)
