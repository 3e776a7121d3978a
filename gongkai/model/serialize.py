"""Model → plain JSON-ready data (Decimals become strings, never floats)."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from enum import Enum
from typing import Any


def to_jsonable(obj: Any) -> Any:
    if obj is None or isinstance(obj, (bool, int, str)):
        return obj
    if isinstance(obj, Decimal):
        return format_decimal(obj)
    if isinstance(obj, Enum):
        return obj.value
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        out = {}
        for f in dataclasses.fields(obj):
            if f.metadata.get("serialize") is False:
                continue
            value = getattr(obj, f.name)
            if f.name == "prov" or f.name == "end":
                value = _prov(value)
                if value is None:
                    continue
            out[f.name] = to_jsonable(value)
        return out
    if isinstance(obj, dict):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [to_jsonable(v) for v in obj]
    if isinstance(obj, float):  # only bounding boxes are floats
        return round(obj, 2)
    raise TypeError(f"cannot serialise {type(obj).__name__}")


def format_decimal(value: Decimal) -> str:
    """Plain notation, never exponent form: Decimal('1E+3') → '1000'."""
    text = format(value, "f")
    return text


def _prov(prov) -> dict | None:
    if prov is None or (prov.line is None and prov.page is None):
        return None
    out: dict[str, Any] = {}
    if prov.line is not None:
        out["line"] = prov.line
    if prov.page is not None:
        out["page"] = prov.page
    if prov.bbox is not None:
        out["bbox"] = [round(v, 2) for v in prov.bbox]
    return out
