"""Extract: block stream → the canonical Document (tables, narrative, forms, metadata)."""

from __future__ import annotations

import re

from typing import TYPE_CHECKING

from ..errors import InputError
from ..model.document import Document, MissingTable, SourceInfo
from .textnorm import compact

if TYPE_CHECKING:
    from ..ingest.blocks import Block

_KIND_HINT = re.compile(r"(决算|预算)")


def build_document(source: SourceInfo, blocks: list[Block], shown: str | None = None) -> Document:
    # The stages are imported here, not at the top: importing gongkai.extract.textnorm
    # (as the rule catalogue does) must not load the whole reader.
    from ..profiles import all_profiles
    from .forms import extract_forms
    from .locate import locate
    from .metadata import cover_blocks, extract_metadata
    from .narrative import build_sections
    from .tables import build_table

    doc = Document(source=source, meta=None)  # type: ignore[arg-type]
    warn_doc = doc.warn

    def warn(code, message, where, table=None):
        prov = where if hasattr(where, "line") else blocks[where.start].prov
        warn_doc(code, message, prov, table)

    kind = None
    for b in blocks[:30]:
        m = _KIND_HINT.search(b.text)
        if m:
            kind = m.group(1)
            break
    structure = locate(blocks, all_profiles(), kind, warn)
    cover_year = None
    for b in blocks[:12]:
        m = re.search(r"((?:19|20)\d{2})\s*年", b.text)
        if m:
            cover_year = int(m.group(1))
            break
    table_blocks: set[int] = set()
    for span in structure.spans:
        table = build_table(span, blocks, cover_year, warn)
        doc.tables.append(table)
        table_blocks.update(range(span.start, span.end + 1))
        if span.anchor.title_index is not None:
            table_blocks.add(span.anchor.title_index)
    doc.tables.sort(key=lambda t: t.ordinal or 0)
    if structure.profile is not None:
        present = {t.id for t in doc.tables}
        doc.missing_tables = [MissingTable(t.id, t.title) for t in structure.profile.tables if t.id not in present]
    toc_blocks = set(range(*structure.toc_range)) if structure.toc_range else set()
    forms = extract_forms(blocks, table_blocks | toc_blocks, warn_doc)
    doc.performance_forms, doc.target_forms, doc.overall_target_forms, doc.grids, form_blocks = forms
    start = min(structure.parts.values()) if structure.parts else (structure.toc_range[1] if structure.toc_range else len(cover_blocks(blocks, None, {})))
    doc.sections = build_sections(blocks, table_blocks | toc_blocks | form_blocks, start)
    doc.toc = structure.toc
    doc.meta = extract_metadata(blocks, structure.toc_range, structure.parts, doc.tables)
    if structure.profile is not None:
        doc.meta.profile = structure.profile.id
        doc.meta.profile_name = structure.profile.name
        if doc.meta.kind is None:
            doc.meta.kind = structure.profile.kind
    doc.meta.unit_code = _unit_code(doc)
    if not doc.tables and not doc.performance_forms and not doc.target_forms:
        text = "".join(compact(b.text) for b in blocks[:400])
        raise InputError(
            "not a budget/final-account disclosure report: no standard table (收入支出决算总表, 预算收支总表 …) was found"
            if ("决算" in text or "预算" in text)
            else "not a budget/final-account disclosure report (no 决算/预算 content found)",
            shown or source.name,
        )
    return doc


def _unit_code(doc: Document) -> str | None:
    from collections import Counter

    codes = Counter()
    for f in doc.performance_forms:
        for field in (f.unit, f.department):
            m = re.match(r"^\s*(\d{3,9})\s*[-—－]", field or "")
            if m:
                codes[m.group(1)] += 1
                break
    for f in [*doc.target_forms, *doc.overall_target_forms]:
        m = re.match(r"^\s*(\d{3,9})\s*[-—－]", f.department or "")
        if m:
            codes[m.group(1)] += 1
    return codes.most_common(1)[0][0] if codes else None
