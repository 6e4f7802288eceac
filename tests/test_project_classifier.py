"""The project classifier: features, fitting, the shipped weights and switching it off."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from extractors.project_candidates import structural_candidates
from extractors.project_classifier import (
    MODEL_FILE,
    ProjectClassifier,
    active_classifier,
    candidate_features,
    fit,
    load_classifier,
    rules_only,
)
from tests.extraction_fixtures import build_document


def _features(blocks, name: str) -> dict[str, float]:
    document = build_document(blocks)
    candidate = next(c for c in structural_candidates(document) if c.name == name)
    return candidate_features(candidate, rule=None, organisation_spans=[], document_text=document.text)


def test_features_say_where_a_candidate_stands() -> None:
    features = _features([("paragraph", "Päättyneet hankkeet:"), ("list_item", "Kylät kuntoon", "•")], "Kylät kuntoon")
    assert features["source=list_item"] == 1.0
    assert features["lead_ends_colon"] == 1.0
    assert features["status_word_in_context"] == 1.0
    assert features["project_word_in_context"] == 1.0
    assert "has_digit" not in features


def test_a_fund_abbreviation_is_marked_as_an_instrument() -> None:
    features = _features([("paragraph", "Rahoitus:"), ("list_item", "EAKR", "•")], "EAKR")
    assert features["is_instrument"] == 1.0
    assert features["all_caps"] == 1.0


def test_fit_separates_what_the_features_separate() -> None:
    examples = [({"a": 1.0}, 1)] * 20 + [({"b": 1.0}, 0)] * 20 + [({"a": 1.0, "b": 1.0}, 1)] * 3
    weights, bias = fit(examples)
    model = ProjectClassifier(weights, bias)
    assert model.accepts({"a": 1.0})
    assert not model.accepts({"b": 1.0})
    assert weights["a"] > 0 > weights["b"]


def test_round_trip_of_the_weights() -> None:
    model = ProjectClassifier({"a": 1.5, "b": -2.0}, 0.25, 0.6, {"drop_rule_projects": False, "add_candidates": True})
    again = ProjectClassifier.from_dict(json.loads(json.dumps(model.to_dict())))
    assert again == model


def test_the_shipped_model_is_loaded_and_rules_only_switches_it_off() -> None:
    entry = resources.files("extractors.data").joinpath(MODEL_FILE)
    if not entry.is_file():
        pytest.fail("the trained project classifier belongs in extractors/data (plansift train)")
    assert load_classifier() is not None
    assert active_classifier() is load_classifier()
    with rules_only():
        assert active_classifier() is None
    assert active_classifier() is load_classifier()
