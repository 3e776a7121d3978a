"""`@record`: a slotted dataclass whose `__repr__`, `__eq__` and `__hash__` are shared.

On Python 3.11 the dataclasses module writes each class's methods as source text and
compiles it, about 0.1 ms per method; the model, profiles and rules define some sixty
classes, so a one-file check spent a sixth of its time there. `@record` lets
`dataclasses` generate only `__init__` (and a frozen class's `__setattr__` and
`__delattr__`) and gives every class the same three functions below, which behave as
the generated ones do: the repr lists the fields with repr=True, equality compares the
fields with compare=True between objects of the same class, and only a frozen class is
hashable (by those fields).
"""

from __future__ import annotations

import dataclasses
import reprlib
from operator import attrgetter
from typing import Any, Callable

_COMPARED: dict[type, Callable[[Any], Any]] = {}
_SHOWN: dict[type, tuple[str, ...]] = {}


def record(cls: type | None = None, /, *, frozen: bool = False, eq: bool = True):
    """Use as `@record`, `@record(frozen=True)` or `@record(eq=False)` (identity equality)."""

    def wrap(c: type) -> type:
        if c.__doc__ is None:  # else dataclasses writes one from inspect.signature, which is slow
            c.__doc__ = f"{c.__name__}({', '.join(c.__dict__.get('__annotations__', ()))})"
        made = dataclasses.dataclass(c, repr=False, eq=False, frozen=frozen, slots=True)
        made.__repr__ = _repr
        if eq:
            made.__eq__ = _eq
            made.__hash__ = _hash if frozen else None
        return made

    return wrap if cls is None else wrap(cls)


def _compared(cls: type) -> Callable[[Any], Any]:
    getter = _COMPARED.get(cls)
    if getter is None:
        names = [f.name for f in dataclasses.fields(cls) if f.compare]
        getter = _COMPARED[cls] = attrgetter(*names) if len(names) > 1 else (
            (lambda obj, name=names[0]: (getattr(obj, name),)) if names else (lambda obj: ())
        )
    return getter


def _eq(self, other):
    if other.__class__ is self.__class__:
        key = _compared(self.__class__)
        return key(self) == key(other)
    return NotImplemented


def _hash(self) -> int:
    return hash(_compared(self.__class__)(self))


@reprlib.recursive_repr()
def _repr(self) -> str:
    cls = self.__class__
    names = _SHOWN.get(cls)
    if names is None:
        names = _SHOWN[cls] = tuple(f.name for f in dataclasses.fields(cls) if f.repr)
    return f"{cls.__qualname__}({', '.join(f'{n}={getattr(self, n)!r}' for n in names)})"
