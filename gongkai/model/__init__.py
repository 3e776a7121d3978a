"""The canonical model every stage of gongkai shares.

    Document
      ├── SourceInfo, Metadata
      ├── tables: Table → Row → Cell (Decimal in 万元, raw text, Provenance)
      ├── missing_tables (expected by the profile, absent from the document)
      ├── toc, sections (narrative heading tree → Paragraph)
      ├── performance_forms, target_forms, overall_target_forms
      ├── grids (other appendix tables, generic)
      └── warnings (what could not be placed or read)
"""

from .document import Document, ExtractionWarning, Metadata, MissingTable, SourceInfo
from .forms import (
    Amount,
    Form,
    FundLine,
    Indicator,
    OverallTargetForm,
    PerformanceForm,
    TargetForm,
    TextField,
)
from .narrative import Paragraph, Section, TocEntry
from .provenance import NOWHERE, BBox, Provenance
from .serialize import to_jsonable
from .table import Cell, CellStatus, Column, Grid, Note, Row, Table

__all__ = [
    "Amount",
    "BBox",
    "Cell",
    "CellStatus",
    "Column",
    "Document",
    "ExtractionWarning",
    "Form",
    "FundLine",
    "Grid",
    "Indicator",
    "Metadata",
    "MissingTable",
    "NOWHERE",
    "Note",
    "OverallTargetForm",
    "Paragraph",
    "PerformanceForm",
    "Provenance",
    "Row",
    "Section",
    "SourceInfo",
    "Table",
    "TargetForm",
    "TextField",
    "TocEntry",
    "to_jsonable",
]
