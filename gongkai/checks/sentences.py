"""The report's prose as a reviewer reads it: paragraphs with their source lines.

A unit is the model's
paragraph; for text sources it is re-read from the source lines so that each character
is traceable to its line (a converter wraps paragraphs and breaks them at page ends with
blank lines; those breaks are not paragraph ends). For PDFs a unit is located by page.

Also here: what the wording rules share — headings, years, 文号, quote and bracket pairs.
"""

from __future__ import annotations

import bisect
from dataclasses import field

from ..ingest.text_reader import clean_cell
from ..model.document import Document
from ..model.narrative import Section
from ..model.provenance import Provenance, at_line
from ..patterns import lazy_compile
from ..records import record

# parts whose prose is checked: the overview, the 情况说明, the 名词解释 (and untitled text);
# the tables (第二部分) and the annexed forms (第五部分) are read by their own rules
_PROSE_PARTS = {None, "第一部分", "第三部分", "第四部分", "第六部分"}
_HEADING_MARK = lazy_compile(r"^\s*#{1,6}\s*")
_BULLET = lazy_compile(r"^\s*[-*+•]\s+")

SENTENCE_END = "。；;！？!?"
CLOSERS = "）)”’」』】〕》"


@record
class TextUnit:
    """A paragraph as printed (or a heading), with where each of its lines starts."""

    text: str
    prov: Provenance
    section: Section | None
    kind: str = "paragraph"  # "paragraph" | "heading" | "toc" (a 目录 entry) | "note" | "form"
    offsets: list[int] = field(default_factory=list)  # start offset of each source line in text
    lines: list[int] = field(default_factory=list)  # the source line numbers
    last_on_page: bool = False  # PDF: the paragraph may continue on the next page
    first_on_page: bool = False  # PDF: the paragraph may continue one from the page before
    label: str | None = None  # where a note or form text sits, for findings (no section)
    breaks: list[int] = field(default_factory=list)  # offsets where a blank line broke the text

    def prov_at(self, offset: int) -> Provenance:
        """The source position of the character at `offset`."""
        if not self.lines:
            return self.prov
        i = max(0, bisect.bisect_right(self.offsets, offset) - 1)
        return at_line(self.lines[i])

    def excerpt(self, start: int, end: int, width: int = 24) -> str:
        a, b = max(0, start - width), min(len(self.text), end + width)
        return ("…" if a else "") + self.text[a:b] + ("…" if b < len(self.text) else "")

    @property
    def title(self) -> str | None:
        if self.label:
            return self.label
        return self.section.title if self.section is not None and self.section.title else None


def _clean(raw: str) -> str:
    text = _HEADING_MARK.sub("", raw)
    text = _BULLET.sub("", text)
    return clean_cell(text)


def _starts(doc: Document) -> set[int]:
    """Source lines where something other than a continuation begins."""
    starts: set[int] = set()
    for s in doc.walk_sections():
        if s.prov.line:
            starts.add(s.prov.line)
        for p in s.paragraphs:
            if p.prov.line:
                starts.add(p.prov.line)
    for t in doc.tables:
        if t.prov.line:
            starts.add(t.prov.line)
    return starts


def _text_units(doc: Document, section: Section, paragraph, starts: set[int]) -> list[TextUnit]:
    """The printed paragraphs behind one model paragraph (text sources)."""
    lines = doc.source_lines
    first = paragraph.prov.line
    want = paragraph.text
    unit = TextUnit("", at_line(first), section)
    i = first
    while i <= len(lines) and len(unit.text) < len(want):
        raw = lines[i - 1]
        if (i != first and i in starts) or "\t" in raw:
            break
        if raw.strip():
            content = _clean(raw)
            if not content or content not in want:
                break
            if unit.lines and unit.lines[-1] < i - 1:
                unit.breaks.append(len(unit.text))
            unit.offsets.append(len(unit.text))
            unit.lines.append(i)
            unit.text += content
        i += 1
    return [unit] if unit.text else []


def prose_units(doc: Document, shared: dict | None = None) -> list[TextUnit]:
    """Every paragraph of the report's prose (overview, 情况说明, 名词解释), in order."""
    if shared is not None and "prose_units" in shared:
        return shared["prose_units"]
    units: list[TextUnit] = []
    is_text = bool(doc.source_lines)
    starts = _starts(doc) if is_text else set()
    for section in doc.walk_sections():
        if section.part not in _PROSE_PARTS:
            continue
        paragraphs = section.paragraphs
        for k, p in enumerate(paragraphs):
            if not p.text:
                continue
            if is_text and p.prov.line:
                units.extend(_text_units(doc, section, p, starts))
            else:
                nxt = paragraphs[k + 1] if k + 1 < len(paragraphs) else None
                unit = TextUnit(p.text, p.prov, section)
                prev = paragraphs[k - 1] if k else None
                unit.last_on_page = nxt is None or (nxt.prov.page or 0) != (p.prov.page or 0)
                unit.first_on_page = prev is None or (prev.prov.page or 0) != (p.prov.page or 0)
                units.append(unit)
    if shared is not None:
        shared["prose_units"] = units
    return units


_PART_TITLE = lazy_compile(r"^第[一二三四五六七八九十]部分")


def heading_units(doc: Document) -> list[TextUnit]:
    """The report's title, the part titles its 目录 lists, and every heading of the body.
    Units without a section are the title and 目录 entries (both name whole parts)."""
    out: list[TextUnit] = []
    if doc.meta.title:
        out.append(TextUnit(doc.meta.title, doc.meta.prov, None, kind="heading"))
    for entry in doc.toc:
        if _PART_TITLE.match(entry.text):
            out.append(TextUnit(entry.text, entry.prov, None, kind="toc"))
    for section in doc.walk_sections():
        if section.title:
            text = (section.number + " " if section.number and section.level == 0 else "") + section.title
            out.append(TextUnit(text, section.prov, section, kind="heading"))
    return out


def other_units(doc: Document, shared: dict | None = None) -> list[TextUnit]:
    """Text outside the prose: table notes and the performance forms' analysis fields.
    Read for leftovers and typing errors only (their sentences need not end with 。)."""
    if shared is not None and "other_units" in shared:
        return shared["other_units"]
    units: list[TextUnit] = []
    for table in doc.tables:
        for note in table.notes:
            if note.text:
                units.append(TextUnit(note.text, note.prov, None, kind="note", label=f"{table.id}“{table.title}”表注"))
    for form in doc.performance_forms:
        if not form.readable:
            continue
        for f in form.analysis:
            if f.text:
                units.append(TextUnit(f.text, f.prov, None, kind="form", label=f"绩效自评表“{form.project or form.title or ''}”{f.label}"))
    if shared is not None:
        shared["other_units"] = units
    return units


# --------------------------------------------------------------------------- shared patterns
YEAR = lazy_compile(r"(?<!\d)((?:19|20)\d{2})\s*年")
# a document number: issuer, year in brackets, number (财预〔2020〕10号, 晋财综[2021]63号)
DOC_NUMBER = lazy_compile(r"([\u4e00-\u9fff]{1,10}?)\s*([〔\[［【(（])\s*((?:19|20)\d{2})\s*([〕\]］】)）])\s*第?\s*(\d{1,4})\s*号")
PAIRS = (("“", "”", "引号"), ("《", "》", "书名号"), ("（(", "）)", "括号"), ("【", "】", "方括号"))
