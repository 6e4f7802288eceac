"""Hypothesis strategies for Finnish plan text, shared by the property tests."""

from __future__ import annotations

from hypothesis import strategies as st

# Letters and marks that Finnish plans really contain, including the spaces
# and dashes that word processors and CMSs substitute.
FINNISH_ALPHABET = "abcdefghijklmnopqrstuvwxyzåäöABCDEFGHIJKLMNOPQRSTUVWXYZÅÄÖšž0123456789.,:;!?()-–—€%/@"
SPACES = [" ", "\u00a0", "\u202f", "\u2009", "\t"]

finnish_words = st.text(alphabet=FINNISH_ALPHABET, min_size=1, max_size=14)
spaces = st.sampled_from(SPACES)


@st.composite
def finnish_lines(draw: st.DrawFn, max_words: int = 12) -> str:
    words = draw(st.lists(finnish_words, min_size=1, max_size=max_words))
    out = words[0]
    for word in words[1:]:
        out += draw(spaces) + word
    return out


money_amounts = st.builds(
    lambda euros, cents, sep, sign: f"{euros:,}".replace(",", sep) + (f",{cents:02d}" if cents else "") + sign,
    st.integers(min_value=0, max_value=50_000_000),
    st.integers(min_value=0, max_value=99),
    st.sampled_from([" ", "\u00a0", "\u202f", ""]),
    st.sampled_from([" €", "€", " euroa", " e"]),
)

any_text = st.text(max_size=300)
