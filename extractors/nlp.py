"""The Finnish spaCy pipeline, loaded once per process, and analysis of a Document's blocks.

Only what the extractors use is run: tagger, morphologizer and lemmatizer
(Voikko) for base forms and case, NER for names; the dependency parser is
left out because no rule reads it and it costs a third of the time.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Token

from pipeline.document import Block, Document

MODEL = "spacy_fi_experimental_web_md"
EXCLUDED = ["parser"]

# "HAMKin", "TEM:n", "ELY:ltä": Voikko does not know abbreviations, so the
# case ending is cut here (Kielitoimisto: a colon before the ending of an
# abbreviation read letter by letter, none when read as a word).
_ABBREVIATION_ENDING = re.compile(
    r"^(?P<base>[A-ZÅÄÖ][A-ZÅÄÖ0-9&]+(?:-[A-Za-zÅÄÖåäö]+)?)"
    r":?(?:n|in|ssa|ssä|sta|stä|lla|llä|lta|ltä|lle|ksi|na|nä|hin|iin|aan|ään|ta|tä|a|ä|ia|iä"
    r"|issa|issä|ista|istä|illa|illä|ilta|iltä|ille|iksi|ina|inä)$"
)


@dataclass(frozen=True)
class AnalysedBlock:
    """A block with its spaCy analysis; ``offset`` maps token offsets to Document.text."""

    block: Block
    doc: Doc
    offset: int


def _base(token: Token) -> str:
    lemma = token.lemma_ or token.text
    match = _ABBREVIATION_ENDING.match(token.text)
    if match and lemma == token.text:
        return match["base"].casefold()
    if "-" in token.text and lemma == token.text:
        # "ELY-keskukselle": the model leaves some hyphenated compounds
        # inflected; Voikko gives the base form of the last part.
        head, _, tail = token.text.rpartition("-")
        return f"{head}-{voikko_base(tail)}".casefold()
    return lemma.casefold()


@lru_cache(maxsize=4096)
def voikko_base(word: str) -> str:
    """The base form Voikko gives for ``word``, or the word itself."""
    analyses = _voikko().analyze(word) if word else []
    return analyses[0].get("BASEFORM", word) if analyses else word


@lru_cache(maxsize=1)
def _voikko():  # type: ignore[no-untyped-def]
    import libvoikko

    return libvoikko.Voikko("fi")


@lru_cache(maxsize=1)
def load_nlp() -> Language:
    """The Finnish pipeline, once per process (worker processes each load their own)."""
    if not Token.has_extension("base"):
        Token.set_extension("base", getter=_base)
    try:
        return spacy.load(MODEL, exclude=EXCLUDED)
    except OSError as error:
        raise RuntimeError(
            f"the Finnish spaCy model {MODEL} is not installed or cannot load ({error}); "
            "install the package spacy-fi-experimental-web-md and the Debian packages libvoikko1 voikko-fi"
        ) from None


def model_version() -> str:
    nlp = load_nlp()
    return f"{nlp.meta.get('name', MODEL)}-{nlp.meta.get('version', '?')}"


def text_blocks(document: Document) -> Iterator[tuple[Block, str, int]]:
    """Every piece of running text: block texts, and each table cell paragraph on its own."""
    for _, block in document.blocks():
        if block.table is None:
            yield block, block.text, block.start
            continue
        for cell in block.table.cells():
            for paragraph in cell.paragraphs:
                yield block, paragraph.text, paragraph.start


def analyse(document: Document) -> list[AnalysedBlock]:
    """spaCy docs for every text piece of ``document``, in reading order."""
    pieces = list(text_blocks(document))
    docs = load_nlp().pipe((text for _, text, _ in pieces), batch_size=64)
    return [AnalysedBlock(block, doc, offset) for (block, _, offset), doc in zip(pieces, docs)]


def finite_verb_offsets(analysed: list[AnalysedBlock]) -> frozenset[int]:
    """Where a finite verb starts in Document.text: a span holding one is a clause, not a name."""
    return frozenset(
        piece.offset + token.idx for piece in analysed for token in piece.doc if "Fin" in token.morph.get("VerbForm")
    )
