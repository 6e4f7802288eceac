"""Strips a parsed page of everything that is not content, in place."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from functools import lru_cache
from importlib import resources

from lxml import etree
from lxml.html import HtmlElement

from pipeline.boilerplate import is_language_menu
from pipeline.normalise import normalise_inline
from pipeline.readers.html_blocks import BLOCK_TAGS, heading_level

# Elements that never hold readable text, or hold only widgets.
_NON_TEXT_TAGS = (
    "script", "style", "noscript", "template", "svg", "math", "iframe", "object", "embed",
    "canvas", "video", "audio", "map", "button", "select", "input", "textarea", "dialog",
)
# Landmarks (HTML sectioning and ARIA roles) that are site furniture.
_FURNITURE_TAGS = frozenset({"nav", "header", "footer", "aside"})
_FURNITURE_ROLES = frozenset(
    {"navigation", "banner", "contentinfo", "search", "complementary", "menu", "menubar", "dialog", "alertdialog"}
)
# A <header>, <footer> or <aside> inside an article belongs to that article
# (its title block, byline or fact box), not to the site (HTML, "sectioning
# content"); <main> and <section> scope headers and footers the same way.
_SCOPING_TAGS = {
    "header": frozenset({"article", "main", "section"}),
    "footer": frozenset({"article", "main", "section"}),
    "aside": frozenset({"article"}),
}
_ROLE_TAGS = {"banner": "header", "contentinfo": "footer", "complementary": "aside"}
# Class names and forms are weak signals: "layout-with-sidebar" and
# ASP.NET's page-wide <form> wrap the whole page. Such an element holding
# more than this share of the page's text is a wrapper, not furniture.
_WRAPPER_SHARE = 0.5
_NAME_WORDS = re.compile(r"[^a-z0-9]+")
_MENU_CONTAINERS = frozenset({"ul", "ol", "div", "p", "span", "section", "li"})


def remove_boilerplate(root: HtmlElement) -> None:
    """Drops site furniture from the page.

    1. Elements that never carry readable text (scripts, styles, controls).
    2. Page-level landmarks (navigation, masthead, footer, sidebars),
       decorative inline text, and, unless they wrap the page, forms and
       widgets whose class or id names them (cookie banners, breadcrumbs,
       share buttons).
    3. Language menus: elements whose entries are all language names.

    Residue lines (a lone "fbpx", "Siirry sisältöön") are dropped later,
    line by line, where it is known that they stand alone.
    """
    _unwrap_heading_buttons(root)
    etree.strip_elements(root, *_NON_TEXT_TAGS, with_tail=False)
    page_chars = len(_text_of(root))
    for element in list(_pruned_walk(root, lambda e: _is_furniture(e, page_chars))):
        element.drop_tree()
    for element in list(_pruned_walk(root, _is_language_menu)):
        element.drop_tree()


def _unwrap_heading_buttons(root: HtmlElement) -> None:
    """Keeps the label of a button inside a heading, dropping only the button.

    The ARIA accordion pattern titles each collapsible section with
    <h3><button>Title</button></h3>; elsewhere a button's label is a
    command ("Hyväksy", "Näytä lisää"), not text.
    """
    for button in list(root.iter("button")):
        if any(heading_level(a) is not None for a in button.iterancestors()):
            button.drop_tag()


def _pruned_walk(root: HtmlElement, matches: Callable[[HtmlElement], bool]) -> Iterator[HtmlElement]:
    """Elements that match, outermost only: a match's subtree is not searched."""
    stack = [root]
    while stack:
        element = stack.pop()
        if not isinstance(element.tag, str):
            continue
        if element is not root and matches(element):
            yield element
            continue
        stack.extend(reversed(element))


def _is_furniture(element: HtmlElement, page_chars: int) -> bool:
    if _is_landmark(element) or _is_decoration(element):
        return True
    if not (_names_widget(element) or element.tag == "form"):
        return False
    return len(_text_of(element)) <= _WRAPPER_SHARE * page_chars


def _is_decoration(element: HtmlElement) -> bool:
    """Inline text hidden from assistive technology: icon-font ligatures ("arrow_forward").

    Hidden *blocks* stay: collapsed accordion panels and tabs hide content
    (with hidden, aria-hidden or display:none) until a click reveals it.
    """
    if element.get("aria-hidden") != "true":
        return False
    return not any(isinstance(e.tag, str) and e.tag in BLOCK_TAGS for e in element.iter())


def _is_landmark(element: HtmlElement) -> bool:
    role = (element.get("role") or "").strip().casefold()
    tag = _ROLE_TAGS.get(role, element.tag)
    if tag not in _FURNITURE_TAGS and role not in _FURNITURE_ROLES:
        return False
    scopes = _SCOPING_TAGS.get(tag)
    return not (scopes and any(a.tag in scopes for a in element.iterancestors()))


def _names_widget(element: HtmlElement) -> bool:
    # "cookie-banner" and "cmplz_cookie" both become words joined by "-",
    # so markers match whole words of the class and id, never parts of
    # words; prefixes match the start of a word ("evasteilmoitus").
    names = " ".join(element.get(name) or "" for name in ("class", "id")).lower()
    words = [w for w in _NAME_WORDS.split(names) if w]
    markers, prefixes = _widget_names()
    joined = f"-{'-'.join(words)}-"
    return any(f"-{m}-" in joined for m in markers) or any(w.startswith(prefixes) for w in words)


def _is_language_menu(element: HtmlElement) -> bool:
    """Two or more entries that all name languages, and no other words.

    List items are the entries where there are any (the current language
    is often plain text among links), else the links.
    """
    if element.tag not in _MENU_CONTAINERS:
        return False
    entries = [_text_of(e) for e in element.iter("li")] or [_text_of(e) for e in element.iter("a")]
    if not is_language_menu(entries):
        return False
    leftover = _text_of(element)
    for entry in entries:
        leftover = leftover.replace(entry, "", 1)
    return not any(ch.isalpha() for ch in leftover)


def _text_of(element: HtmlElement) -> str:
    return normalise_inline(element.text_content())


@lru_cache(maxsize=1)
def _widget_names() -> tuple[tuple[str, ...], tuple[str, ...]]:
    raw = json.loads(resources.files("pipeline.data").joinpath("html_boilerplate.json").read_text("utf-8"))
    return tuple(raw["widget_markers"]["words"]), tuple(raw["widget_prefixes"]["prefixes"])
