"""Where a character offset stands in a Document's section tree: its section and ancestors."""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.document import Block, Document, Section


@dataclass(frozen=True)
class SectionNode:
    """A section with its parent chain and the character range it covers (subsections included)."""

    section: Section
    parent: SectionNode | None
    start: int
    end: int

    @property
    def heading(self) -> Block | None:
        return self.section.heading

    @property
    def title(self) -> str | None:
        return self.section.title

    def ancestors(self) -> list[SectionNode]:
        """Parent first, up to (not including) the root."""
        chain, node = [], self.parent
        while node is not None and node.heading is not None:
            chain.append(node)
            node = node.parent
        return chain

    def own_blocks(self) -> list[Block]:
        return list(self.section.blocks)


def section_nodes(document: Document) -> list[SectionNode]:
    """Every section with a heading, in reading order, with parents and ranges."""
    nodes: list[SectionNode] = []
    _walk(document.root, None, len(document.text), nodes)
    return [n for n in nodes if n.heading is not None]


def _walk(section: Section, parent: SectionNode | None, text_end: int, out: list[SectionNode]) -> int:
    start = section.heading.start if section.heading else 0
    node = SectionNode(section, parent, start, _last_end(section) if section.heading else text_end)
    out.append(node)
    for sub in section.subsections:
        _walk(sub, node, text_end, out)
    return node.end


def _last_end(section: Section) -> int:
    ends = [section.heading.end] if section.heading else [0]
    ends += [b.end for b in section.blocks]
    ends += [_last_end(s) for s in section.subsections]
    return max(ends)


def innermost_section(nodes: list[SectionNode], offset: int) -> SectionNode | None:
    """The deepest section whose range holds ``offset``."""
    holding = [n for n in nodes if n.start <= offset <= n.end]
    return max(holding, key=lambda n: n.start) if holding else None
