"""Where a value came from: a source line (text) or a page and box (PDF)."""

from __future__ import annotations

from functools import lru_cache

from ..records import record

BBox = tuple[float, float, float, float]
"""(x0, top, x1, bottom) in PDF points, origin at the top-left of the page."""


@record(frozen=True)
class Provenance:
    line: int | None = None
    page: int | None = None
    bbox: BBox | None = None

    def describe(self) -> str:
        """Human locator such as "第12行" or "第3页"."""
        parts = []
        if self.page is not None:
            parts.append(f"第{self.page}页")
        if self.line is not None:
            parts.append(f"第{self.line}行")
        return "".join(parts) or "位置未知"

    def merge(self, other: "Provenance") -> "Provenance":
        """The smaller of two locations; boxes on the same page are united."""
        if other.line is None and other.page is None:
            return self
        if self.line is None and self.page is None:
            return other
        line = min(x for x in (self.line, other.line) if x is not None) if (self.line or other.line) else None
        page = self.page if self.page is not None else other.page
        bbox = self.bbox
        if self.bbox and other.bbox and self.page == other.page:
            a, b = self.bbox, other.bbox
            bbox = (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))
        return Provenance(line=line, page=page, bbox=bbox or other.bbox)


NOWHERE = Provenance()


@lru_cache(maxsize=1 << 17)
def at_line(line: int) -> Provenance:
    """The provenance of a source line. Provenance is immutable, so one instance per line
    number is shared (by every block of a document and across the documents of a batch)."""
    return Provenance(line)
