"""`@record` behaves as a slotted dataclass; a lazy pattern as the compiled pattern."""

from __future__ import annotations

import copy
import dataclasses
import pickle
import re

import pytest

from gongkai.patterns import LazyPattern, lazy_compile
from gongkai.records import record


@record
class Point:
    x: int
    y: int = 0
    note: str = dataclasses.field(default="", repr=False, compare=False)


@record(frozen=True)
class Key:
    a: str
    b: tuple[int, ...] = ()


@record(eq=False)
class Node:
    name: str
    children: list = dataclasses.field(default_factory=list)


@dataclasses.dataclass(slots=True)
class PointDC:
    x: int
    y: int = 0
    note: str = dataclasses.field(default="", repr=False, compare=False)


def test_record_is_a_slotted_dataclass():
    assert dataclasses.is_dataclass(Point) and "__slots__" in Point.__dict__
    assert [f.name for f in dataclasses.fields(Point)] == ["x", "y", "note"]
    assert dataclasses.replace(Point(1, 2), y=5) == Point(1, 5)
    assert dataclasses.asdict(Point(1, 2, "n")) == {"x": 1, "y": 2, "note": "n"}
    with pytest.raises(AttributeError):
        Point(1).z = 3


def test_repr_and_equality_are_those_of_a_dataclass():
    assert repr(Point(1, 2, "hidden")) == repr(PointDC(1, 2, "hidden")).replace("PointDC", "Point")
    assert Point(1, 2, "a") == Point(1, 2, "b")  # compare=False fields are ignored
    assert Point(1, 2) != Point(2, 1) and Point(1) != PointDC(1) and Point(1) != (1, 0)
    with pytest.raises(TypeError):
        hash(Point(1))  # mutable: unhashable, as with eq=True


def test_a_frozen_record_is_hashable_by_value_and_immutable():
    assert hash(Key("a", (1,))) == hash(Key("a", (1,))) and {Key("a"): 1}[Key("a")] == 1
    with pytest.raises(dataclasses.FrozenInstanceError):
        Key("a").a = "b"
    assert pickle.loads(pickle.dumps(Key("a", (1, 2)))) == Key("a", (1, 2))
    assert copy.deepcopy(Key("a")) == Key("a")


def test_eq_false_means_identity():
    n = Node("a")
    assert n != Node("a") and n == n and {n: 1}[n] == 1


def test_a_recursive_record_has_a_finite_repr():
    n = Node("root")
    n.children.append(n)
    assert repr(n) == "Node(name='root', children=[...])"


def test_a_lazy_pattern_compiles_on_first_use_and_then_matches_as_compiled():
    source = r"(\d+)\s*万元"
    lazy = lazy_compile(source, re.I)
    assert isinstance(lazy, LazyPattern) and "_compiled" not in lazy.__dict__
    assert lazy.pattern == source  # readable without compiling, e.g. to build larger patterns
    assert "_compiled" not in lazy.__dict__
    assert lazy.search("共12 万元").group(1) == "12"
    assert lazy.__dict__["_compiled"] is lazy.compiled()  # compiled once, kept
    assert [m.group() for m in lazy.finditer("1万元 2万元")] == ["1万元", "2万元"]
    assert lazy.sub("#", "3万元") == "#" and lazy.flags == re.compile(source, re.I).flags
    assert copy.copy(lazy).search("4万元") and pickle.loads(pickle.dumps(lazy)).search("5万元")
