"""Sentence boundaries in Finnish text: abbreviations with a dot do not end a sentence."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extractors.sentences import sentence_spans, split_sentences


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Hankkeessa kehitetään mm. kylätaloja ja teitä. Toinen vaihe alkaa keväällä.",
            ["Hankkeessa kehitetään mm. kylätaloja ja teitä.", "Toinen vaihe alkaa keväällä."],
        ),
        (
            "Kokeillaan esim. Lopen kirjastossa. Kokemukset kootaan syksyllä.",
            ["Kokeillaan esim. Lopen kirjastossa.", "Kokemukset kootaan syksyllä."],
        ),
        (
            "Esim. Lopen kirjasto on mukana. Muut kirjastot seuraavat.",
            ["Esim. Lopen kirjasto on mukana.", "Muut kirjastot seuraavat."],
        ),
        (
            "Kustannukset ovat n. 5000 euroa. Rahoitus haetaan keväällä.",
            ["Kustannukset ovat n. 5000 euroa.", "Rahoitus haetaan keväällä."],
        ),
        (
            "Hanketta vetää vs. kehittämisjohtaja Pekka Mäkelä. Hän aloitti keväällä.",
            ["Hanketta vetää vs. kehittämisjohtaja Pekka Mäkelä.", "Hän aloitti keväällä."],
        ),
        (
            "Vs. rehtori Liisa Nieminen aloitti. Hän jatkaa syksyyn.",
            ["Vs. rehtori Liisa Nieminen aloitti.", "Hän jatkaa syksyyn."],
        ),
        (
            "Osa toimijoista, mm. Hattulan kunta, on mukana. Muut harkitsevat.",
            ["Osa toimijoista, mm. Hattulan kunta, on mukana.", "Muut harkitsevat."],
        ),
        (
            "Lisätietoja antaa Maija Virtanen, puh. 040 123 4567. Hän vastaa viesteihin.",
            ["Lisätietoja antaa Maija Virtanen, puh. 040 123 4567.", "Hän vastaa viesteihin."],
        ),
    ],
)
def test_abbreviations_do_not_end_a_sentence(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hanke alkoi 1.1.2024. Se päättyy 2025.", ["Hanke alkoi 1.1.2024.", "Se päättyy 2025."]),
        ("Onko tämä kysymys? Kyllä on! Hyvä.", ["Onko tämä kysymys?", "Kyllä on!", "Hyvä."]),
        ("Väkiluku on 20 000. 500 heistä on lapsia.", ["Väkiluku on 20 000.", "500 heistä on lapsia."]),
        # A lower-case word after a dot continues the sentence.
        ("Hanke on vaiheessa 2. seuraavaksi tulee arviointi.", ["Hanke on vaiheessa 2. seuraavaksi tulee arviointi."]),
        ("", []),
        ("   ", []),
    ],
)
def test_sentence_ends(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


def test_spans_leave_out_the_spaces_between_sentences() -> None:
    text = "Ensimmäinen lause.  Toinen lause. "
    assert list(sentence_spans(text)) == [(0, 18), (20, 33)]
    assert [text[s:e] for s, e in sentence_spans(text)] == ["Ensimmäinen lause.", "Toinen lause."]


@given(st.text(max_size=200))
def test_spans_are_ordered_and_inside_the_text(text: str) -> None:
    previous_end = 0
    for start, end in sentence_spans(text):
        assert previous_end <= start <= end <= len(text)
        previous_end = end
