"""Template profiles: which tables a kind of report must contain and how to read them.

A profile is a TOML file in this folder (or in a folder named by the environment
variable GONGKAI_PROFILES, several separated by os.pathsep). Adding a region means
adding a file; see docs/profiles.md for the format.
"""

from __future__ import annotations

import os
import zlib
from functools import lru_cache
from pathlib import Path

from ..records import record

_HERE = Path(__file__).parent
LAYOUTS = {"coded", "two_sided", "economic_blocks", "economic_named", "single_row", "labeled"}


@record(frozen=True)
class ColumnSpec:
    id: str
    label: str
    aliases: tuple[str, ...] = ()
    total_of: tuple[str, ...] = ()

    def label_for(self, year: int | None) -> str:
        return _with_year(self.label, year)

    def all_labels(self, year: int | None) -> list[str]:
        return [_with_year(x, year) for x in (self.label, *self.aliases)]


@record(frozen=True)
class RowSpec:
    id: str
    labels: tuple[str, ...]
    line_no: int | None = None
    total: bool = False
    unit: str | None = None
    column: str | None = None  # economic_blocks: the column a total row's value belongs to


@record(frozen=True)
class IdentitySpec:
    """total = Σ parts between rows of one table (per column); "@items" = the ordinary rows."""

    total: str
    parts: tuple[str, ...]
    side: str | None = None


@record(frozen=True)
class SideSpec:
    name: str
    keys: tuple[str, ...]
    columns: tuple[ColumnSpec, ...]
    rows: tuple[RowSpec, ...] = ()
    class_rows: bool = False


@record(frozen=True)
class TableSpec:
    id: str
    role: str
    ordinal: int
    title: str
    layout: str
    aliases: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    columns: tuple[ColumnSpec, ...] = ()
    rows: tuple[RowSpec, ...] = ()
    keys: tuple[str, ...] = ("label",)
    left: SideSpec | None = None
    right: SideSpec | None = None
    blocks: tuple[str, ...] = ()
    sections: tuple[str, ...] = ()
    first_row_total: bool = False
    identities: tuple[IdentitySpec, ...] = ()
    codes: str = ""  # the classification the table's codes belong to: functional | economic | revenue | ""

    @property
    def titles(self) -> tuple[str, ...]:
        return (self.title, *self.aliases)

    def all_columns(self) -> tuple[ColumnSpec, ...]:
        if self.layout == "two_sided" and self.left and self.right:
            return self.left.columns + self.right.columns
        return self.columns


@record(frozen=True)
class Profile:
    id: str
    name: str
    kind: str
    region: str
    amount_unit: str
    detect_keywords: tuple[str, ...]
    tables: tuple[TableSpec, ...]
    path: str = ""

    def table(self, table_id: str) -> TableSpec | None:
        return next((t for t in self.tables if t.id == table_id), None)

    def table_by_role(self, role: str) -> TableSpec | None:
        return next((t for t in self.tables if t.role == role), None)

    @property
    def roles(self) -> set[str]:
        return {t.role for t in self.tables}


class ProfileError(ValueError):
    pass


CODE_CLASSIFICATIONS = ("functional", "economic", "revenue", "")
# Tables keyed by code use the 支出功能分类 unless the profile says otherwise (e.g. a
# revenue table coded by 收入分类, which the built-in catalogue does not hold).
_DEFAULT_CODES = {"coded": "functional", "economic_blocks": "economic"}


def _with_year(text: str, year: int | None) -> str:
    return text.replace("{year}", str(year) if year else "本")


def _columns(raw: list[dict], where: str) -> tuple[ColumnSpec, ...]:
    out = []
    for c in raw:
        try:
            out.append(ColumnSpec(c["id"], c["label"], tuple(c.get("aliases", ())), tuple(c.get("total_of", ()))))
        except KeyError as exc:
            raise ProfileError(f"{where}: column without {exc}") from None
    return tuple(out)


def _rows(raw: list[dict], where: str) -> tuple[RowSpec, ...]:
    out = []
    for r in raw:
        try:
            out.append(RowSpec(r["id"], tuple(r["labels"]), r.get("line_no"), bool(r.get("total", False)), r.get("unit"), r.get("column")))
        except KeyError as exc:
            raise ProfileError(f"{where}: row without {exc}") from None
    return tuple(out)


def _side(raw: dict | None, where: str) -> SideSpec | None:
    if raw is None:
        return None
    return SideSpec(
        raw.get("name", ""),
        tuple(raw.get("keys", ("label",))),
        _columns(raw.get("columns", []), where),
        _rows(raw.get("rows", []), where),
        bool(raw.get("class_rows", False)),
    )


def load_profile(path: str | os.PathLike) -> Profile:
    path = Path(path)
    return _profile_from(_read_toml(path), path)


def _read_toml(path: Path) -> dict:
    """The profile's TOML, parsed; a built-in profile comes from the parsed copy in
    `parsed.py` when the file is unchanged since that copy was written (TOML parsing is
    pure Python and costs more than a one-file check's own work)."""
    raw = path.read_bytes()
    if path.parent == _HERE:
        from .parsed import PARSED

        snapshot = PARSED.get(path.name)
        if snapshot is not None and snapshot[0] == zlib.crc32(raw) and snapshot[1] == len(raw):
            return snapshot[2]
    import tomllib

    return tomllib.loads(raw.decode("utf-8"))


def _profile_from(data: dict, path: Path) -> Profile:
    tables = []
    for t in data.get("tables", []):
        where = f"{path.name}: table {t.get('id')}"
        layout = t.get("layout")
        if layout not in LAYOUTS:
            raise ProfileError(f"{where}: unknown layout {layout!r}")
        spec = TableSpec(
            id=t["id"],
            role=t["role"],
            ordinal=int(t["ordinal"]),
            title=t["title"],
            layout=layout,
            aliases=tuple(t.get("aliases", ())),
            labels=tuple(t.get("labels", ())),
            columns=_columns(t.get("columns", []), where),
            rows=_rows(t.get("rows", []), where),
            keys=tuple(t.get("keys", ("label",))),
            left=_side(t.get("left"), where + " left"),
            right=_side(t.get("right"), where + " right"),
            blocks=tuple(t.get("blocks", ())),
            sections=tuple(t.get("sections", ())),
            first_row_total=bool(t.get("first_row_total", False)),
            identities=tuple(
                IdentitySpec(i["total"], tuple(i["parts"]), i.get("side")) for i in t.get("identities", [])
            ),
            codes=t.get("codes", _DEFAULT_CODES.get(layout, "")),
        )
        if spec.codes not in CODE_CLASSIFICATIONS:
            raise ProfileError(f"{where}: unknown codes {spec.codes!r} (one of {', '.join(c for c in CODE_CLASSIFICATIONS if c)})")
        if layout == "two_sided" and not (spec.left and spec.right):
            raise ProfileError(f"{where}: two_sided tables need [tables.left] and [tables.right]")
        tables.append(spec)
    return Profile(
        id=data["id"],
        name=data.get("name", data["id"]),
        kind=data.get("kind", ""),
        region=data.get("region", ""),
        amount_unit=data.get("amount_unit", "万元"),
        detect_keywords=tuple(data.get("detect_keywords", ())),
        tables=tuple(tables),
        path=str(path),
    )


def profile_dirs(extra: str) -> list[Path]:
    """The built-in profiles, then the folders listed in `extra` (GONGKAI_PROFILES)."""
    dirs = [_HERE]
    if extra:
        dirs.extend(Path(p) for p in extra.split(os.pathsep) if p)
    return dirs


def _load_all(dirs: tuple[str, ...]) -> tuple[Profile, ...]:
    profiles = []
    seen = set()
    for d in dirs:
        for path in sorted(Path(d).glob("*.toml")):
            profile = load_profile(path)
            if profile.id in seen:
                raise ProfileError(f"{path}: duplicate profile id {profile.id!r}")
            seen.add(profile.id)
            profiles.append(profile)
    return tuple(profiles)


def all_profiles() -> tuple[Profile, ...]:
    return _profiles_for(os.environ.get("GONGKAI_PROFILES", ""))


@lru_cache(maxsize=4)
def _profiles_for(extra: str) -> tuple[Profile, ...]:
    return _load_all(tuple(str(d) for d in profile_dirs(extra)))


def get_profile(profile_id: str) -> Profile | None:
    return next((p for p in all_profiles() if p.id == profile_id), None)
