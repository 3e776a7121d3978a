"""The narrative (情况说明 and other prose): a heading tree of paragraphs."""

from __future__ import annotations

from dataclasses import field

from .provenance import NOWHERE, Provenance
from ..records import record


@record
class Paragraph:
    text: str
    prov: Provenance = NOWHERE


@record
class Section:
    title: str  # heading text without its ordinal
    number: str | None = None  # the ordinal as printed: "一", "（三）", "1"
    level: int = 1  # 0 = part (第三部分), 1 = 一、, 2 = （一）, 3 = 1、
    part: str | None = None  # the 第N部分 this section belongs to
    prov: Provenance = NOWHERE
    paragraphs: list[Paragraph] = field(default_factory=list)
    children: list["Section"] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(p.text for p in self.paragraphs)

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


@record
class TocEntry:
    text: str
    page: int | None
    prov: Provenance = NOWHERE
