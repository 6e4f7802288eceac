"""Which candidate spans name projects: a logistic regression trained on real annotated documents.

Rules find projects where a fixed phrase announces them ("-hankkeessa",
a period after a heading); real pages more often just list names. The
classifier judges every candidate, whether a rule or a structural place
(:mod:`extractors.project_candidates`) proposed it, from features that say
where it stands and what it looks like, never which document it is in.
The weights are data (``extractors/data/project_classifier.json``, written
by ``plansift train``), so they enter the extractor version like any rule
table. Its ``use`` switches say which of its two jobs won on the frozen
test split: dropping rule-found names it rejects, adding candidates it
accepts.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from extractors.dates import find_periods
from extractors.instruments import instrument_forms
from extractors.money import find_money
from extractors.project_candidates import ProjectCandidate

MODEL_FILE = "project_classifier.json"
_LEARNED: ContextVar[bool] = ContextVar("plansift_learned_components", default=True)
_INSTEAD: ContextVar[ProjectClassifier | None] = ContextVar("plansift_classifier_instead", default=None)
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_ACRONYM = re.compile(r"\b[A-ZÅÄÖ]{2,}\b")
_WORD = re.compile(r"[\wåäöÅÄÖ+-]+")
_GOAL_WORDS = re.compile(r"tavoit|toimenpi|mittar|painopist|visio|strategi|arvot|mål|åtgärd|fokus", re.IGNORECASE)


@dataclass(frozen=True)
class ProjectClassifier:
    """Weights by feature name, a bias, the acceptance threshold and which jobs it does."""

    weights: dict[str, float]
    bias: float
    threshold: float = 0.5
    use: dict[str, bool] = field(default_factory=lambda: {"drop_rule_projects": True, "add_candidates": True})
    trained_on: dict[str, Any] = field(default_factory=dict)

    def probability(self, features: dict[str, float]) -> float:
        z = self.bias + sum(self.weights.get(name, 0.0) * value for name, value in features.items())
        return 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, z))))

    def accepts(self, features: dict[str, float]) -> bool:
        return self.probability(features) >= self.threshold

    def to_dict(self) -> dict[str, Any]:
        weights = {name: round(w, 5) for name, w in sorted(self.weights.items()) if abs(w) >= 1e-4}
        return {
            "about": __doc__.split("\n\n")[0],
            "bias": round(self.bias, 5),
            "threshold": self.threshold,
            "use": self.use,
            "trained_on": self.trained_on,
            "weights": weights,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ProjectClassifier:
        return cls(
            dict(data["weights"]),
            float(data["bias"]),
            float(data.get("threshold", 0.5)),
            dict(data.get("use") or {}),
            dict(data.get("trained_on") or {}),
        )


@cache
def load_classifier() -> ProjectClassifier | None:
    """The shipped classifier, or None when none has been trained."""
    entry = resources.files("extractors.data").joinpath(MODEL_FILE)
    if not entry.is_file():
        return None
    return ProjectClassifier.from_dict(json.loads(entry.read_text("utf-8")))


def active_classifier() -> ProjectClassifier | None:
    """The classifier the extractors should use now: None under :func:`rules_only`."""
    if not _LEARNED.get():
        return None
    return _INSTEAD.get() or load_classifier()


@contextmanager
def using_classifier(classifier: ProjectClassifier) -> Iterator[None]:
    """Extraction with another classifier than the shipped one (one fitted without the documents judged)."""
    token = _INSTEAD.set(classifier)
    try:
        yield
    finally:
        _INSTEAD.reset(token)


@contextmanager
def rules_only() -> Iterator[None]:
    """Extraction without learned components, for comparing the two."""
    token = _LEARNED.set(False)
    try:
        yield
    finally:
        _LEARNED.reset(token)


def candidate_features(
    candidate: ProjectCandidate,
    *,
    rule: str | None,
    organisation_spans: list[tuple[int, int]],
    document_text: str,
) -> dict[str, float]:
    """What a candidate looks like and where it stands, as named binary (or scaled) features."""
    name = candidate.name
    words = _WORD.findall(name)
    lower = [w.casefold() for w in words]
    after = document_text[candidate.end : candidate.end + 14].casefold()
    before = document_text[max(0, candidate.start - 24) : candidate.start].casefold()
    rest = document_text[candidate.end : candidate.block.end]
    context = " ".join((candidate.lead, *candidate.headings[:2])).casefold()
    found: dict[str, float] = {
        f"source={candidate.source}": 1.0,
        f"block={candidate.block.kind}": 1.0,
        f"rule={rule or 'none'}": 1.0,
        f"words={_bucket(len(words))}": 1.0,
        "first_upper": float(name[:1].isupper()),
        "has_digit": float(any(c.isdigit() for c in name)),
        "has_year": float(bool(_YEAR.search(name))),
        "has_acronym": float(bool(_ACRONYM.search(name))),
        "all_caps": float(name.upper() == name and any(c.isalpha() for c in name)),
        "has_money": float(bool(find_money(name))),
        "has_period": float(bool(find_periods(name))),
        "project_word_in_name": float(any(_is_project_word(w) for w in lower)),
        "ends_in_project_word": float(bool(lower) and _is_project_word(lower[-1])),
        "project_word_after": float(bool(re.match(r"\s?[-–]?\s?\w*(hank|projekt)", after))),
        "project_word_before": float(bool(re.search(r"(hank|projekt)\w*\s*[:\"“”„«]?\s*$", before))),
        f"group={_bucket(candidate.group_size)}": 1.0,
        "project_word_in_context": float(bool(re.search(r"hank|projekt", context))),
        "status_word_in_context": float(
            bool(re.search(r"käynnissä|päättyn|päättyne|meneillään|suunnitteil|pågående|avslutade", context))
        ),
        "lead_ends_colon": float(candidate.lead.rstrip().endswith(":")),
        "under_list_title": float(bool(candidate.list_title)),
        "goal_word_in_context": float(bool(_GOAL_WORDS.search(context))),
        "heading_over_parts": float(candidate.has_subsections),
        "next_mentions_project": float(bool(re.search(r"hank|projekt", candidate.next_text, re.IGNORECASE))),
        "next_has_money": float(bool(find_money(candidate.next_text))),
        "next_has_period": float(bool(find_periods(candidate.next_text))),
        "rest_has_money": float(bool(find_money(rest))),
        "rest_starts_with_organisation": float(_starts_with_organisation(candidate, organisation_spans)),
        "quote_inside": float(bool(re.search(r"[\"“”„«»]", name))),
        "is_organisation": float(_covered(candidate, organisation_spans) >= 0.6),
        "is_instrument": float(_is_instrument(lower)),
        "ends_in_sentence_mark": float(
            bool(re.match(r"[.?!]\s*$", document_text[candidate.end : candidate.block.end]))
        ),
        "has_colon": float(":" in name),
        "has_email_or_url": float(bool(re.search(r"@|\(at\)|www\.|https?:", name))),
        "verb_ending": float(
            any(re.search(r"(?:aan|ään|vat|vät|ttiin|ivat|ivät|taan|tään|dään|daan)$", w) for w in lower[1:])
        ),
    }
    if lower:
        # The ending says the case ("-ssa", "-lle"): a name in the nominative stands alone.
        found[f"last_suffix={lower[-1][-3:]}"] = 1.0
    return {k: v for k, v in found.items() if v}


# A structural place is judged only where the document speaks of projects around it: in the
# name, just before or after it, in its list's introducing line or title, its headings or the
# text that follows. Elsewhere a short line is a slogan, a strength, a goal or a menu entry.
PROJECT_CUES = (
    "project_word_in_name",
    "project_word_before",
    "project_word_after",
    "project_word_in_context",
    "under_list_title",
    "next_mentions_project",
    "source=label_value",
)


def is_cued(features: dict[str, float]) -> bool:
    """Does a project word stand in or around the candidate?"""
    return any(features.get(name) for name in PROJECT_CUES)


def _bucket(n: int) -> str:
    return str(n) if n <= 3 else "4-5" if n <= 5 else "6-8" if n <= 8 else "9+"


def _is_project_word(word: str) -> bool:
    return bool(re.search(r"(?:hanke|hankkee|projekti|projekt|ohjelma)\w*$", word))


def _starts_with_organisation(candidate: ProjectCandidate, spans: list[tuple[int, int]]) -> bool:
    """ "<name>, <applicant>, <sum>": an organisation right after the name, behind a comma or dash."""
    return any(
        candidate.end <= s < candidate.block.end and re.fullmatch(r"\s*[,–—-]\s*", document_gap)
        for s, _ in spans
        for document_gap in [candidate.block.text[candidate.end - candidate.block.start : s - candidate.block.start]]
    )


def _covered(candidate: ProjectCandidate, spans: list[tuple[int, int]]) -> float:
    length = max(1, candidate.end - candidate.start)
    inside = sum(max(0, min(e, candidate.end) - max(s, candidate.start)) for s, e in spans)
    return inside / length


def _is_instrument(lower: list[str]) -> bool:
    text = " ".join(lower)
    return len(lower) <= 4 and any(text == form or text.startswith(form + " ") for form in instrument_forms())


def fit(
    examples: list[tuple[dict[str, float], int]], *, l2: float = 1.0, iterations: int = 300
) -> tuple[dict[str, float], float]:
    """Logistic-regression weights and bias for labelled feature sets (Newton's method with an L2 penalty)."""
    import numpy as np

    names = sorted({name for features, _ in examples for name in features})
    index = {name: i for i, name in enumerate(names)}
    x = np.zeros((len(examples), len(names) + 1))
    x[:, -1] = 1.0
    y = np.array([label for _, label in examples], dtype=float)
    for row, (features, _) in enumerate(examples):
        for name, value in features.items():
            x[row, index[name]] = value
    w = np.zeros(len(names) + 1)
    penalty = np.full(len(w), l2)
    penalty[-1] = 0.0
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-np.clip(x @ w, -40, 40)))
        gradient = x.T @ (p - y) + penalty * w
        hessian = (x * (p * (1 - p))[:, None]).T @ x + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return {name: float(w[i]) for name, i in index.items()}, float(w[-1])
