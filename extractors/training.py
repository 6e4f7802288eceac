"""Training the learned components from annotated real documents (``plansift train``).

Every candidate span of every document that has a gold answer becomes one
example; it is positive when the scorer would pair it with a gold project.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

from extractors.evaluation import gold_set
from extractors.extraction import extract
from extractors.interchange import interchange_of
from extractors.nlp import analyse
from extractors.organisations import find_organisations
from extractors.project_classifier import (
    ProjectClassifier,
    candidate_features,
    fit,
    is_cued,
    rules_only,
    using_classifier,
)
from extractors.projects import project_candidates
from extractors.scoring import Score, match_score, score_documents
from pipeline.readers import read_file
from pipeline.settings import Settings

Example = tuple[dict[str, float], int]


@dataclass(frozen=True)
class TrainingReport:
    """What a training run saw and how well held-out documents were judged."""

    documents: int
    examples: int
    positives: int
    folds: int
    precision: float
    recall: float
    threshold: float

    def lines(self) -> list[str]:
        return [
            f"documents {self.documents}, candidates {self.examples}, of which projects {self.positives}",
            f"held-out candidates ({self.folds} folds by document), threshold {self.threshold:.2f}: "
            f"precision {self.precision:.3f}, recall {self.recall:.3f}",
        ]


def document_examples(corpus: Path, settings: Settings) -> dict[str, list[Example]]:
    """Labelled candidate features per document of ``corpus`` (a folder with docs/ and gold/)."""
    gold = gold_set(corpus / "gold", corpus / "docs")
    found: dict[str, list[Example]] = {}
    for stem, path in sorted(gold.documents.items()):
        names = [p.get("name") or "" for p in gold.answers[stem].get("projects") or []]
        document = read_file(path, settings)
        organisations = find_organisations(analyse(document))
        spans = [(m.start, m.end) for m in organisations]
        found[stem] = []
        for candidate, rule in project_candidates(document, organisations):
            features = candidate_features(candidate, rule=rule, organisation_spans=spans, document_text=document.text)
            if rule is None and not is_cued(features):
                continue  # never added, so never an example
            label = any(match_score("projects", {"name": n}, {"name": candidate.name}) is not None for n in names)
            found[stem].append((features, int(label)))
    return found


def train_classifier(
    examples: dict[str, list[Example]], *, folds: int = 5, seed: int = 13, keep_use: dict[str, bool] | None = None
) -> tuple[ProjectClassifier, TrainingReport]:
    """A classifier fitted on every example, with the threshold that judged held-out documents best.

    Each fold's model judges the documents it was not fitted on; the threshold
    with the best F1 over those judgements is kept, so it is chosen on
    documents the weights never saw.
    """
    stems = sorted(examples)
    random.Random(seed).shuffle(stems)
    held_out: list[tuple[float, int]] = []
    for fold in range(folds):
        held = set(stems[fold::folds])
        train = [e for s in stems if s not in held for e in examples[s]]
        if not train:
            continue
        model = ProjectClassifier(*fit(train))
        held_out += [(model.probability(f), label) for s in held for f, label in examples[s]]
    threshold, precision, recall = _best_threshold(held_out)
    everything = [e for s in stems for e in examples[s]]
    weights, bias = fit(everything)
    positives = sum(label for _, label in everything)
    classifier = ProjectClassifier(
        weights,
        bias,
        threshold,
        use=keep_use or {"drop_rule_projects": True, "add_candidates": True},
        trained_on={"documents": len(stems), "examples": len(everything), "positives": positives},
    )
    return classifier, TrainingReport(len(stems), len(everything), positives, folds, precision, recall, threshold)


# Precision weighs double: a name taken for a project wrongly costs all the fields it brings.
BETA = 0.5


def _best_threshold(judged: list[tuple[float, int]]) -> tuple[float, float, float]:
    """The threshold (of 0.05, 0.10, ... 0.90) with the best F-beta, and its precision and recall."""
    best = (0.5, 0.0, 0.0, -1.0)
    actual = sum(label for _, label in judged)
    for step in range(1, 19):
        threshold = step / 20
        guesses = [label for p, label in judged if p >= threshold]
        right = sum(guesses)
        precision = right / len(guesses) if guesses else 0.0
        recall = right / actual if actual else 0.0
        b2 = BETA * BETA
        f = (1 + b2) * precision * recall / (b2 * precision + recall) if precision + recall else 0.0
        if f > best[3]:
            best = (threshold, precision, recall, f)
    return best[0], best[1], best[2]


def crossvalidated_scores(
    corpus: Path, examples: dict[str, list[Example]], settings: Settings, *, folds: int = 5, seed: int = 13
) -> dict[str, Score]:
    """End-to-end scores on ``corpus`` with each document judged by a classifier fitted without it.

    Keys: "rules" (no learned component), "drop" (only dropping rule-found
    names), "add" (only adding candidates), "both".
    """
    gold = gold_set(corpus / "gold", corpus / "docs")
    stems = sorted(examples)
    random.Random(seed).shuffle(stems)
    documents = {s: read_file(gold.documents[s], settings) for s in stems}

    def predict(stem: str) -> dict:
        return interchange_of(documents[stem].name, extract(documents[stem]))

    variants = {"drop": (True, False), "add": (False, True), "both": (True, True)}
    predicted: dict[str, dict[str, dict]] = {name: {} for name in ("rules", *variants)}
    with rules_only():
        predicted["rules"] = {s: predict(s) for s in stems}
    for fold in range(folds):
        held = stems[fold::folds]
        train = [e for s in stems if s not in held for e in examples[s]]
        if not train:
            continue
        weights, bias = fit(train)
        for name, (drop, add) in variants.items():
            model = ProjectClassifier(
                weights, bias, _threshold_of(examples, stems, held), {"drop_rule_projects": drop, "add_candidates": add}
            )
            with using_classifier(model):
                predicted[name].update({s: predict(s) for s in held})
    answers = {s: gold.answers[s] for s in stems}
    return {name: score_documents(answers, found) for name, found in predicted.items()}


def _threshold_of(examples: dict[str, list[Example]], stems: list[str], held: list[str]) -> float:
    # The threshold is itself chosen without the held-out documents.
    rest = {s: examples[s] for s in stems if s not in held}
    return train_classifier(rest, folds=4)[0].threshold if len(rest) >= 8 else 0.5
