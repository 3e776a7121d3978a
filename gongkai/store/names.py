"""Department names: the region prefix, a normalised key, and how two names match.

Reports print the same department in several ways: 上海市普陀区人民政府办公室,
普陀区政府办公室, 区府办 … The key removes the region prefix and the usual variants so
that reports of one department across years and kinds meet; `match` explains why two
names were taken to be the same department (every finding across reports quotes it).
"""

from __future__ import annotations

import hashlib
import unicodedata

from ..patterns import lazy_compile

# Region segments: a province / city / district / county name of 2–7 characters.
_SEGMENT = lazy_compile(r"^([\u4e00-\u9fff]{2,7}?(?:特别行政区|自治区|自治州|自治县|省|市|地区|盟|区|县|旗))")
_SPACES = lazy_compile(r"[\s\u3000]+")
_TAIL_YEAR = lazy_compile(r"(?:19|20)\d{2}年?度?.*$")
# Department nouns that look like a region suffix but are not (…管理区 etc. kept whole).
_NOT_REGION = ("开发区", "管理区", "示范区", "新区", "园区", "社区", "风景区", "保护区", "校区", "城区管理")


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "")
    return _SPACES.sub("", text).replace("(", "（").replace(")", "）")


def split_region(name: str | None) -> tuple[str, str]:
    """(region prefix, the rest): 上海市普陀区万里街道办事处 → (上海市普陀区, 万里街道办事处)."""
    text = _norm(name or "")
    text = _TAIL_YEAR.sub("", text) or text
    region = ""
    while True:
        m = _SEGMENT.match(text)
        if not m:
            break
        seg = m.group(1)
        rest = text[len(seg):]
        if len(rest) < 2 or any(seg.endswith(x) for x in _NOT_REGION):
            break
        region += seg
        text = rest
    return region, text


def department_key(name: str | None) -> str:
    """The normalised department name without its region."""
    _, rest = split_region(name)
    key = rest.replace("人民政府", "政府").replace("办公室", "办")
    if key.startswith("政府") and ("街道" in key or "镇" in key or "乡" in key):
        key = key[2:]  # 人民政府万里街道办事处: the street office, not the government
    if "街道" in key:
        key = key.replace("办事处", "")
    key = key.removesuffix("（本级）").removesuffix("本级")
    return key


def region_of(name: str | None) -> str:
    return split_region(name)[0]


def regions_compatible(a: str | None, b: str | None) -> bool:
    a, b = a or "", b or ""
    return not a or not b or a.endswith(b) or b.endswith(a)


def match(name_a: str | None, region_a: str | None, name_b: str | None, region_b: str | None, aliases: dict[str, str] | None = None) -> str | None:
    """Why two department names are the same department, or None when they are not."""
    if not regions_compatible(region_a, region_b):
        return None
    aliases = aliases or {}
    ka, kb = department_key(name_a), department_key(name_b)
    ca, cb = aliases.get(ka, ka), aliases.get(kb, kb)
    if not ka or not kb:
        return None
    if _norm(name_a) == _norm(name_b):
        return f"部门名称相同（{_norm(name_a)}）"
    if ka == kb:
        return f"部门名称规范化后相同：“{_norm(name_a)}”与“{_norm(name_b)}”均为“{ka}”（去掉地区前缀{('“' + (region_a or region_b) + '”') if (region_a or region_b) else ''}，人民政府→政府，办公室→办）"
    if ca == cb:
        return f"按别名表视为同一部门：“{_norm(name_a)}”与“{_norm(name_b)}”（{ca}）"
    return None


def report_id(region: str | None, department: str | None, year: int | None, kind: str | None, scope: str | None, fallback: str = "") -> str:
    """Stable id of a report across versions. A report without a department or year is its
    own report (keyed by the fallback, its content hash)."""
    key = department_key(department)
    if not key or not year:
        parts = ["?", fallback]
    else:
        parts = [region or "", key, str(year), kind or "", scope or ""]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]
