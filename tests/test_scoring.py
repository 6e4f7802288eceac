"""The scorer on small hand-made cases whose numbers can be worked out by hand."""

from __future__ import annotations

from extractors.scoring import match_score, score_documents, similar, slots


def doc(**records):
    return {"document": {"id": "x.txt"}, **records}


def test_a_perfect_prediction_scores_one() -> None:
    gold = {"x": doc(contacts=[{"name": "Maija Virtanen", "email": "maija.virtanen@forssa.fi", "title": "projektipäällikkö"}])}
    score = score_documents(gold, gold)
    assert score.overall.f1 == 1.0
    assert score.types["contacts"].right == 4  # existence + name + email + title


def test_slots_count_one_per_record_field_and_list_item() -> None:
    project = {"name": "Kävelyhanke", "start_date": "2021", "partners": ["A", "B"], "funders": [], "status": None}
    assert slots("projects", project) == 1 + 1 + 1 + 2


def test_optional_gold_costs_nothing_either_way() -> None:
    gold = {"x": doc(goals=[{"objective": "Saavutettavuus", "optional": True}])}
    assert score_documents(gold, {"x": doc(goals=[])}).overall.f1 == 1.0
    assert score_documents(gold, {"x": doc(goals=[{"objective": "Saavutettavuus"}])}).overall.f1 == 1.0


def test_a_wrong_field_and_an_extra_record_lower_precision() -> None:
    gold = {"x": doc(fundings=[{"project": "Kurob", "funder": "Valtiovarainministeriö", "amount_eur": 507300, "qualifier": "max"}])}
    predicted = {
        "x": doc(
            fundings=[
                {"project": "Kurob", "funder": "Opetushallitus", "amount_eur": 507300, "qualifier": "max"},
                {"project": "Muu", "amount_eur": 1000, "qualifier": "exact"},
            ]
        )
    }
    score = score_documents(gold, predicted)
    tally = score.types["fundings"]
    assert (tally.right, tally.predicted, tally.gold) == (4, 5 + 4, 5)
    assert ("x", "fundings", "extra", "muu | 1000.00") in score.misses


def test_projects_match_on_leading_words_and_text_fuzzily() -> None:
    assert match_score("projects", {"name": "Teemme yhdessä!"}, {"name": "Teemme yhdessä! Työllisyyden kehittämishanke"}) == 0.95
    assert similar("Päijät-Häme – Suomen liikkuvien maakunta", "päijät-häme - suomen liikkuvien maakunta")
    assert not similar("Hattulan kunta", "Janakkalan kunta")


def test_a_document_without_prediction_is_all_missed() -> None:
    gold = {"x": doc(goals=[{"objective": "Saavutettavuus", "actions": ["a"]}])}
    score = score_documents(gold, {})
    assert score.unpredicted == ["x"]
    assert score.overall.recall == 0.0
