"""Scores interchange objects against gold ones: slot precision, recall and F1 per record type and field.

The rules are those of the format description: records are matched by a
normalised key (project: name, or one name being the other's leading
words; contact: e-mail, else name; funding: project + amount; goal:
objective); text compares case-folded and fuzzy (ratio >= 0.9), lists as
sets. Every record is one slot for existing plus one per non-empty field
(one per list item); optional gold records cost nothing either way.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

FIELDS: dict[str, dict[str, str]] = {
    "projects": {"name": "text", "start_date": "exact", "end_date": "exact", "status": "exact", "theme": "text",
                 "coordinator": "text", "partners": "set", "funders": "set", "contacts": "set"},
    "fundings": {"project": "text", "funder": "text", "amount_eur": "number", "qualifier": "exact", "instrument": "text"},
    "contacts": {"name": "text", "title": "text", "email": "exact", "phone": "exact", "organization": "text",
                 "project": "text"},
    "goals": {"section": "text", "period": "text", "objective": "text", "actions": "set", "indicators": "set"},
}
SIMILARITY = 0.9


@dataclass
class Tally:
    """Right, predicted and gold slot counts."""

    right: int = 0
    predicted: int = 0
    gold: int = 0

    def add(self, right: int, predicted: int, gold: int) -> None:
        self.right += right
        self.predicted += predicted
        self.gold += gold

    @property
    def precision(self) -> float:
        return self.right / self.predicted if self.predicted else (1.0 if not self.gold else 0.0)

    @property
    def recall(self) -> float:
        return self.right / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Score:
    """Totals per record type and per field, and the list of misses."""

    types: dict[str, Tally] = field(default_factory=dict)
    fields: dict[str, dict[str, Tally]] = field(default_factory=dict)
    misses: list[tuple[str, str, str, str]] = field(default_factory=list)
    documents: int = 0
    unpredicted: list[str] = field(default_factory=list)

    @property
    def overall(self) -> Tally:
        total = Tally()
        for tally in self.types.values():
            total.add(tally.right, tally.predicted, tally.gold)
        return total

    def tallies(self) -> dict[str, Tally]:
        """Each record type's tally, then "overall"."""
        return {**self.types, "overall": self.overall}

    def f1_by_type(self) -> dict[str, float]:
        """F1 per record type and "overall", to four decimals (as runs store them)."""
        return {kind: round(tally.f1, 4) for kind, tally in self.tallies().items()}


def normalise(text: Any) -> str:
    text = unicodedata.normalize("NFC", str(text)).casefold()
    text = re.sub(r"[\u2010-\u2015]", "-", text)
    text = re.sub(r"[^\w\s-]", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def similar(a: Any, b: Any) -> bool:
    a, b = normalise(a), normalise(b)
    if a == b:
        return True
    return bool(a and b) and SequenceMatcher(None, a, b, autojunk=False).ratio() >= SIMILARITY


def record_key(kind: str, record: dict[str, Any]) -> str:
    if kind == "projects":
        return normalise(record.get("name") or "")
    if kind == "contacts":
        return (record.get("email") or "").strip().lower() or normalise(record.get("name") or "")
    if kind == "fundings":
        amount = record.get("amount_eur")
        tail = (
            f"{float(amount):.2f}"
            if amount is not None
            else f"{normalise(record.get('funder') or '')} | {normalise(record.get('instrument') or '')}"
        )
        return f"{normalise(record.get('project') or '')} | {tail}"
    return normalise(record.get("objective") or "")


def match_score(kind: str, gold: dict[str, Any], predicted: dict[str, Any]) -> float | None:
    """How well two records match as the same one (higher is better), or None."""
    if kind == "contacts" and gold.get("email") and predicted.get("email"):
        return 2.0 if gold["email"].strip().lower() == predicted["email"].strip().lower() else None
    if kind == "fundings":
        ga, pa = gold.get("amount_eur"), predicted.get("amount_eur")
        if ga is not None or pa is not None:
            if ga is None or pa is None or abs(float(ga) - float(pa)) > 0.5:
                return None
            gp, pp = normalise(gold.get("project") or ""), normalise(predicted.get("project") or "")
            return 1.0 + (SequenceMatcher(None, gp, pp, autojunk=False).ratio() if gp and pp else 0.0)
    a, b = record_key(kind, gold), record_key(kind, predicted)
    if a == b:
        return 2.0
    if kind == "projects" and min(len(a), len(b)) >= 5:
        short, long_ = sorted((a, b), key=len)
        if long_.startswith(short + " ") or long_.startswith(short + "-"):
            return 0.95
    ratio = SequenceMatcher(None, a, b, autojunk=False).ratio() if a and b else 0.0
    return ratio if ratio >= SIMILARITY else None


def pair_records(kind: str, golds: list[dict[str, Any]], preds: list[dict[str, Any]]) -> dict[int, int]:
    """Which gold record each predicted one is (prediction index -> gold index), best matches first.

    Greedy on ``match_score``: a record pairs at most once, so of two
    near-identical candidates the closer one wins.
    """
    pairs = sorted(
        ((s, gi, pi) for pi, p in enumerate(preds) for gi, g in enumerate(golds) if (s := match_score(kind, g, p)) is not None),
        reverse=True,
    )
    used: set[int] = set()
    matched: dict[int, int] = {}
    for _, gi, pi in pairs:
        if gi not in used and pi not in matched:
            used.add(gi)
            matched[pi] = gi
    return matched


def slots(kind: str, record: dict[str, Any]) -> int:
    count = 1
    for name, how in FIELDS[kind].items():
        value = record.get(name)
        if how == "set":
            count += len(value or [])
        elif value not in (None, ""):
            count += 1
    return count


def field_hits(kind: str, gold: dict[str, Any], predicted: dict[str, Any]) -> tuple[int, dict[str, tuple[int, int, int]]]:
    """Right slots of a matched pair (its existence included) and (hit, predicted, gold) per field."""
    right, detail = 1, {}
    for name, how in FIELDS[kind].items():
        g, p = gold.get(name), predicted.get(name)
        if how == "set":
            left = list(g or [])
            hit = 0
            for item in p or []:
                index = next((i for i, candidate in enumerate(left) if similar(item, candidate)), None)
                if index is not None:
                    hit += 1
                    del left[index]
            right += hit
            detail[name] = (hit, len(p or []), len(g or []))
            continue
        if p in (None, "") and g in (None, ""):
            continue
        if p in (None, "") or g in (None, ""):
            ok = False
        elif how == "exact":
            ok = str(g).strip().lower() == str(p).strip().lower()
        elif how == "number":
            ok = abs(float(g) - float(p)) <= 0.5
        else:
            ok = similar(g, p)
        right += ok
        detail[name] = (int(ok), int(p not in (None, "")), int(g not in (None, "")))
    return right, detail


def score_documents(gold: dict[str, dict[str, Any]], predicted: dict[str, dict[str, Any]]) -> Score:
    """Scores every gold document against its prediction (keyed by document id stem)."""
    score = Score(documents=len(gold), unpredicted=sorted(set(gold) - set(predicted)))
    for doc_id, gold_doc in gold.items():
        _score_document(doc_id, gold_doc, predicted.get(doc_id, {}), score)
    return score


def _score_document(doc_id: str, gold_doc: dict[str, Any], predicted_doc: dict[str, Any], score: Score) -> None:
    for kind in FIELDS:
        golds = list(gold_doc.get(kind) or [])
        preds = list(predicted_doc.get(kind) or [])
        tally = score.types.setdefault(kind, Tally())
        per_field = score.fields.setdefault(kind, {})
        matched = pair_records(kind, golds, preds)
        used = set(matched.values())
        for pi, p in enumerate(preds):
            if pi not in matched:
                tally.add(0, slots(kind, p), 0)
                score.misses.append((doc_id, kind, "extra", record_key(kind, p)))
                continue
            g = golds[matched[pi]]
            if g.get("optional"):
                continue
            right, detail = field_hits(kind, g, p)
            tally.add(right, slots(kind, p), slots(kind, g))
            for name, (hit, n_pred, n_gold) in detail.items():
                per_field.setdefault(name, Tally()).add(hit, n_pred, n_gold)
                if hit < max(n_pred, n_gold):
                    score.misses.append(
                        (doc_id, kind, f"wrong {name}", f"{record_key(kind, g)}: gold={g.get(name)!r} got={p.get(name)!r}")
                    )
        for gi, g in enumerate(golds):
            if gi not in used and not g.get("optional"):
                tally.add(0, 0, slots(kind, g))
                score.misses.append((doc_id, kind, "missed", record_key(kind, g)))


def score_report(score: Score) -> str:
    """The score as text, one line per record type and field, then the overall line."""
    lines = []
    for kind, tally in score.types.items():
        lines.append(f"{kind:9s} P {tally.precision:.3f}  R {tally.recall:.3f}  F1 {tally.f1:.3f}")
        for name, sub in score.fields.get(kind, {}).items():
            lines.append(f"    {name:13s} P {sub.precision:.3f}  R {sub.recall:.3f}  F1 {sub.f1:.3f}")
    if score.unpredicted:
        lines.append("no prediction for: " + ", ".join(score.unpredicted))
    o = score.overall
    lines.append(
        f"overall slot F1 {o.f1:.3f} (P {o.precision:.3f}, R {o.recall:.3f}) over {score.documents} documents"
    )
    return "\n".join(lines)
