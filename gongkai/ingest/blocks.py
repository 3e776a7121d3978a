"""The block stream every reader produces: headings, text lines and table grids.

Readers (text, PDF) only decide *where* text is; what it means is decided later
by gongkai.extract. Every block and every grid cell keeps its provenance.
"""

from __future__ import annotations

from dataclasses import field

from ..model.provenance import NOWHERE, Provenance
from ..records import record


@record
class GridRow:
    cells: list[str]
    prov: Provenance = NOWHERE
    cell_provs: list[Provenance] | None = None  # per cell, when the reader knows (PDF boxes)

    def cell_prov(self, index: int) -> Provenance:
        if self.cell_provs and index < len(self.cell_provs):
            return self.cell_provs[index]
        return self.prov


@record
class Block:
    kind: str  # "heading" | "text" | "grid" | "page-image-only" | "page-blank" (an unread PDF page: no text)
    text: str = ""  # heading / text content (grids: empty)
    level: int = 0  # markdown heading level (0 = not a markdown heading)
    rows: list[GridRow] = field(default_factory=list)
    prov: Provenance = NOWHERE
    gap_before: bool = False  # a blank line / page break separates it from the previous block
    list_item: bool = False  # printed as a list item ("- …"): never the continuation of the line before

    @property
    def is_grid(self) -> bool:
        return self.kind == "grid"
