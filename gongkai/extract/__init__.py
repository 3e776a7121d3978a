"""Extract: block stream → the canonical Document (tables, narrative, forms, metadata)."""

from __future__ import annotations

import re

from typing import TYPE_CHECKING

from ..errors import InputError
from ..model.document import Document, MissingTable, SourceInfo
from ..model.provenance import Provenance
from ..profiles import all_profiles
from .textnorm import compact
from ..patterns import lazy_compile

if TYPE_CHECKING:
    from ..ingest.blocks import Block

_KIND_HINT = lazy_compile(r"(决算|预算)")
_DISCLOSURE_TERMS = lazy_compile(
    r"(?:部门|单位)(?:预算|决算)|财政拨款|一般公共预算|政府性基金|基本支出|项目支出|三公|机关运行经费|政府采购"
    r"|名词解释|收支总表|收入总表|支出总表|主要职能|机构设置|国有资产|绩效"
)
_COVER_TITLE = lazy_compile(r"(?:19|20)\d{2}年度?(?:部门|单位)(?:预算|决算)")


def build_document(source: SourceInfo, blocks: list[Block], shown: str | None = None, profiles=None) -> Document:
    """`profiles`: the template profiles to match (default: all installed; () = recognise every table)."""
    # The stages are imported here, not at the top: importing gongkai.extract.textnorm
    # (as the rule catalogue does) must not load the whole reader. The profiles are light
    # and are looked up through this module, so a caller can substitute them.
    from .forms import extract_forms
    from .locate import locate
    from .metadata import cover_blocks, extract_metadata
    from .narrative import build_sections
    from .tables import build_table
    from .unread import mark_unreadable, unread_pages, warn_cut_tables, warn_unread
    from .units import confirm_scales

    from .captions import lift_captions

    blocks = lift_captions(blocks)
    doc = Document(source=source, meta=None)  # type: ignore[arg-type]
    warn_doc = doc.warn

    def warn(code, message, where, table=None):
        prov = where if hasattr(where, "line") else blocks[where.start].prov
        warn_doc(code, message, prov, table)

    from .textnorm import without_fund_names

    kind = None
    for b in blocks[:30]:
        m = _KIND_HINT.search(without_fund_names(b.text))
        if m:
            kind = m.group(1)
            break
    structure = locate(blocks, all_profiles() if profiles is None else tuple(profiles), kind, warn)
    cover_year = None
    for b in blocks[:12]:
        m = re.search(r"((?:19|20)\d{2})\s*年", b.text)
        if m:
            cover_year = int(m.group(1))
            break
    table_blocks: set[int] = set()
    profile_specs = {id(t) for t in structure.profile.tables} if structure.profile is not None else set()
    for span in structure.spans:
        table = build_table(span, blocks, cover_year, warn)
        if id(span.spec) not in profile_specs:
            table.inferred = True
            table.identities = span.spec.identities
        doc.tables.append(table)
        table_blocks.update(range(span.start, span.end + 1))
        if span.anchor.title_index is not None:
            table_blocks.add(span.anchor.title_index)
    doc.tables.sort(key=lambda t: t.ordinal or 0)
    confirm_scales(doc)
    if structure.profile is not None:
        present = {t.id for t in doc.tables}
        # a table printed under a title the profile does not know is recognised by its role: not missing
        recognised = {t.role for t in doc.tables if t.inferred and t.role}
        doc.missing_tables = [MissingTable(t.id, t.title) for t in structure.profile.tables if t.id not in present and t.role not in recognised]
    if source.script == "traditional":
        warn_doc("traditional-script", "报告以繁体字印制，已转换为简体字后读取；问题清单引用的文字为转换后的简体", Provenance(page=1) if source.format == "pdf" else Provenance(line=1))
    for page in source.ocr_pages:
        warn_doc("page-ocr", f"第{page}页是扫描图像，文字由 OCR 识别得到，数字请对照原文核对", Provenance(page=page))
    unread = unread_pages(blocks)
    if unread:
        warn_unread(doc, unread)
        if structure.profile is not None:
            mark_unreadable(doc, unread, [t.id for t in structure.profile.tables])
        warn_cut_tables(doc, unread)
    toc_blocks = set(range(*structure.toc_range)) if structure.toc_range else set()
    forms = extract_forms(blocks, table_blocks | toc_blocks, warn_doc)
    doc.performance_forms, doc.target_forms, doc.overall_target_forms, doc.grids, form_blocks = forms
    start = min(structure.parts.values()) if structure.parts else (structure.toc_range[1] if structure.toc_range else len(cover_blocks(blocks, None, {})))
    doc.sections = build_sections(blocks, table_blocks | toc_blocks | form_blocks, start, structure.toc)
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
        if "决算" not in text and "预算" not in text:
            raise InputError("not a budget/final-account disclosure report (no 决算/预算 content found)", shown or source.name)
        if len(set(_DISCLOSURE_TERMS.findall(text))) < 2 and not _COVER_TITLE.search(text):
            # mentioning 预算 is not enough: a disclosure speaks of its funds, spending and parts
            raise InputError("not a budget/final-account disclosure report: no table, no cover title (20XX年部门预算 …) and too few disclosure terms (财政拨款, 基本支出, 三公 …)", shown or source.name)
        # a disclosure whose tables could not be found is still read (narrative, metadata), and says so
        warn_doc("no-tables", "未找到任何统计表（既无模板表名，也无可识别的表格）", blocks[0].prov)
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
