"""A web page's title without the site name that templates append to it."""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from pipeline.normalise import normalise_inline

# Templates join page and site name with a spaced separator:
# "Hankkeet | Hämeenlinna", "Hankkeet - Hämeen liitto", "Etusivu » Kunta".
_SEPARATOR = re.compile(r"\s+[|–—•·»«:/-]{1,2}\s+")
_TITLE_META = ("og:title", "twitter:title", "dc.title")
_SITE_NAME_META = ("og:site_name", "application-name")
# Where the site names itself on every page: logo, masthead, footer.
_SITE_FURNITURE = (
    "(//header | //footer | //*[@role='banner'] | //*[@role='contentinfo'])"
    "[not(ancestor::article or ancestor::main)]"
)


def page_title(root: HtmlElement) -> str | None:
    """The page's own title, or None when it declares none.

    1. The first of og:title, twitter:title, DC.title and <title> that is set.
    2. When that title joins parts with a separator, the part that equals
       the page's single <h1> wins; otherwise parts naming the site (its
       og:site_name, or text also found in the masthead or footer) are
       dropped. What remains is the title.
    """
    title = _declared_title(root)
    if title is None:
        return None
    parts = _SEPARATOR.split(title)
    if len(parts) == 1:
        return title
    heading = _single_h1(root)
    if heading in parts:
        return heading
    kept = [p for p in parts if not _names_site(p, root)]
    return " – ".join(kept) if kept and len(kept) < len(parts) else title


def _declared_title(root: HtmlElement) -> str | None:
    for name in _TITLE_META:
        if value := _meta_content(root, name):
            return value
    element = root.find(".//title")
    text = normalise_inline(element.text_content()) if element is not None else ""
    return text or None


def _meta_content(root: HtmlElement, name: str) -> str | None:
    for meta in root.iter("meta"):
        key = (meta.get("property") or meta.get("name") or "").casefold()
        if key == name:
            return normalise_inline(meta.get("content") or "") or None
    return None


def _single_h1(root: HtmlElement) -> str | None:
    headings = root.findall(".//h1")
    return normalise_inline(headings[0].text_content()) if len(headings) == 1 else None


def _names_site(part: str, root: HtmlElement) -> bool:
    folded = part.casefold()
    if any(folded == (_meta_content(root, name) or "").casefold() for name in _SITE_NAME_META):
        return True
    return any(folded in _furniture_text(element) for element in root.xpath(_SITE_FURNITURE))


def _furniture_text(element: HtmlElement) -> str:
    alts = " ".join(img.get("alt") or "" for img in element.iter("img"))
    return normalise_inline(f"{element.text_content()} {alts}").casefold()
