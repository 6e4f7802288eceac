"""Training the project classifier from an annotated corpus, and comparing it with rules alone."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from extractors.project_classifier import ProjectClassifier
from extractors.training import _best_threshold, crossvalidated_scores, document_examples, train_classifier
from pipeline.settings import Settings
from plansift.cli import app
from tests.conftest import REPO

DEV = REPO / "corpus" / "real" / "dev"
# Development documents that list projects by name, and some that list none.
SAMPLE = (
    "b29_uudenmaanliitto_akke_selvityshankkeet",
    "b32_varsinaissuomi_maakuntahallitus_akke_korona",
    "c08_uef_spatia_hankkeet",
    "a25_satakuntaliitto_hyvaksytyt_eakr_2023",
    "d25_lausuntopalvelu_kainuu-ohjelma_painopisteet",
    "d18_jakobstad_stadsstyrelsen_2015",
)


@pytest.fixture(scope="module")
def small_corpus(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("corpus")
    for folder in ("docs", "gold"):
        (root / folder).mkdir()
    for stem in SAMPLE:
        shutil.copy(DEV / "docs" / f"{stem}.txt", root / "docs")
        shutil.copy(DEV / "gold" / f"{stem}.json", root / "gold")
    return root


def test_every_candidate_is_labelled_by_whether_the_scorer_pairs_it_with_a_gold_project(small_corpus: Path) -> None:
    examples = document_examples(small_corpus, Settings())
    assert set(examples) == set(SAMPLE)
    positives = {stem: sum(label for _, label in rows) for stem, rows in examples.items()}
    assert positives["c08_uef_spatia_hankkeet"] >= 10  # a page of project names, one a heading
    assert positives["d18_jakobstad_stadsstyrelsen_2015"] == 0  # minutes naming no project


def test_the_threshold_is_the_one_that_judged_held_out_candidates_best() -> None:
    judged = [(0.9, 1), (0.8, 1), (0.7, 0), (0.6, 1), (0.3, 0), (0.2, 0), (0.1, 1)]
    # Precision weighs double: taking only the two surest beats taking four with one wrong.
    assert _best_threshold(judged) == (0.75, 1.0, 0.5)


def test_training_writes_a_small_model_that_the_cli_reports(small_corpus: Path, tmp_path: Path) -> None:
    output = tmp_path / "model.json"
    result = CliRunner().invoke(app, ["train", str(small_corpus), "--output", str(output)])
    assert result.exit_code == 0, result.output
    assert "held-out candidates" in result.output
    model = ProjectClassifier.from_dict(json.loads(output.read_text("utf-8")))
    assert model.trained_on["documents"] == len(SAMPLE)
    assert 0.0 < model.threshold < 1.0 and model.weights
    assert output.stat().st_size < 50_000


def test_train_names_the_folders_it_needs(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["train", str(tmp_path)])
    assert result.exit_code == 2
    assert "needs the folders docs/ and gold/" in result.output


def test_crossvalidated_scores_compare_rules_alone_with_each_use(small_corpus: Path) -> None:
    examples = document_examples(small_corpus, Settings())
    classifier, _ = train_classifier(examples, folds=3)
    scores = crossvalidated_scores(small_corpus, examples, Settings(), folds=3)
    assert set(scores) == {"rules", "drop", "add", "both"}
    assert all(score.documents == len(SAMPLE) for score in scores.values())
    # On lists of bare names the rules find few projects; the classifier adds them.
    assert scores["add"].types["projects"].f1 > scores["rules"].types["projects"].f1
    assert classifier.use == {"drop_rule_projects": True, "add_candidates": True}
