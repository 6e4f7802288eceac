"""The gold-corpus gate: extraction quality on corpus/gold may not fall below the pinned floors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from extractors.evaluation import evaluate, floor_failures, gold_set
from extractors.scoring import score_documents, score_report
from pipeline.settings import Settings
from tests.conftest import GOLD, INBOX, REPO

FLOORS = json.loads((REPO / "corpus" / "floors.json").read_text("utf-8"))
REFEREE = REPO / "tests" / "fixtures" / "referee" / "score_extraction.py"


@pytest.fixture(scope="module")
def evaluation():
    gold = gold_set(GOLD, INBOX)
    assert not gold.missing, f"gold answers without their document: {gold.missing}"
    score, predictions = evaluate(gold, Settings())
    return gold, score, predictions


def test_every_record_type_stays_above_its_floor(evaluation) -> None:
    _, score, _ = evaluation
    assert floor_failures(score, FLOORS["floors"]) == [], score_report(score)


def test_the_sample_documents_stay_above_their_floors(evaluation) -> None:
    gold, _, predictions = evaluation
    seeds = {stem: answer for stem, answer in gold.answers.items() if stem.startswith("00")}
    score = score_documents(seeds, predictions)
    assert len(seeds) == 5
    assert floor_failures(score, FLOORS["seed_floors"]) == [], score_report(score)


def test_the_gate_fails_when_a_record_type_regresses(evaluation) -> None:
    gold, _, predictions = evaluation
    without_goals = {stem: {**p, "goals": []} for stem, p in predictions.items()}
    failures = floor_failures(score_documents(gold.answers, without_goals), FLOORS["floors"])
    assert any(f.startswith("goals: F1 0.000 is below its floor") for f in failures)
    assert any(f.startswith("overall:") for f in failures)


def test_own_scorer_agrees_with_the_referee(evaluation, tmp_path: Path) -> None:
    gold, score, predictions = evaluation
    for stem, data in predictions.items():
        (tmp_path / f"{stem}.json").write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    result = subprocess.run(
        [sys.executable, str(REFEREE), str(GOLD), str(tmp_path), "--json"], capture_output=True, text=True, check=True
    )
    referee = json.loads(result.stdout)
    assert referee["overall"]["f1"] == pytest.approx(score.overall.f1, abs=1e-9)
    for kind, tally in score.types.items():
        assert referee["types"][kind]["f1"] == pytest.approx(tally.f1, abs=1e-9), kind
        for name, sub in score.fields[kind].items():
            assert referee["types"][kind]["fields"][name]["f1"] == pytest.approx(sub.f1, abs=1e-9), (kind, name)


def test_the_vendored_referee_is_the_published_one() -> None:
    published = REPO.parent / "shared" / "score_extraction.py"
    if not published.exists():
        pytest.skip("the published referee is not beside this checkout")
    assert REFEREE.read_bytes() == published.read_bytes()


# -- the real corpus: documents nobody here wrote ------------------------------------------------

REAL = REPO / "corpus" / "real"


def _real_score(split: str, *, learned: bool = True):
    from extractors.project_classifier import rules_only

    gold = gold_set(REAL / split / "gold", REAL / split / "docs")
    assert not gold.missing
    if learned:
        return evaluate(gold, Settings())[0]
    with rules_only():
        return evaluate(gold, Settings())[0]


@pytest.fixture(scope="module")
def real_test_scores():
    return _real_score("test"), _real_score("test", learned=False)


def test_real_development_documents_stay_above_their_floors() -> None:
    score = _real_score("dev")
    assert floor_failures(score, FLOORS["real_dev_floors"]) == [], score_report(score)


def _numbers(score) -> str:
    # The frozen test split is read as a number only: its misses are never printed.
    return ", ".join(f"{kind} {tally.f1:.3f}" for kind, tally in score.types.items()) + f", overall {score.overall.f1:.3f}"


def test_real_test_documents_stay_above_their_floors(real_test_scores) -> None:
    score, _ = real_test_scores
    assert floor_failures(score, FLOORS["real_test_floors"]) == [], _numbers(score)


def test_the_learned_components_do_not_lose_to_rules_alone_on_the_test_split(real_test_scores) -> None:
    learned, rules = real_test_scores
    assert learned.types["projects"].f1 >= rules.types["projects"].f1, (_numbers(learned), _numbers(rules))
    assert learned.overall.f1 >= rules.overall.f1, (_numbers(learned), _numbers(rules))
