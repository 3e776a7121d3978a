"""Built-in profiles are read from their parsed copy only while it matches the TOML."""

from __future__ import annotations

import tomllib

from gongkai import profiles
from gongkai.profiles import snapshot
from gongkai.profiles.parsed import PARSED


def test_the_parsed_copy_is_current():
    """Fails after a built-in profile is edited: run `python -m gongkai.profiles.snapshot`."""
    assert snapshot.TARGET.read_text(encoding="utf-8") == snapshot.render()


def test_a_built_in_profile_is_the_same_read_either_way():
    for path in sorted(profiles._HERE.glob("*.toml")):
        assert profiles._read_toml(path) is PARSED[path.name][2]
        assert profiles._read_toml(path) == tomllib.loads(path.read_text(encoding="utf-8"))


def test_an_edited_profile_is_parsed_not_taken_from_the_copy(tmp_path, monkeypatch):
    here = tmp_path / "profiles"
    here.mkdir()
    name = sorted(PARSED)[0]
    text = (profiles._HERE / name).read_text(encoding="utf-8").replace('name = "', 'name = "edited ', 1)
    (here / name).write_text(text, encoding="utf-8")
    monkeypatch.setattr(profiles, "_HERE", here)
    monkeypatch.setitem(PARSED, name, (*PARSED[name][:2], {"id": "stale copy"}))
    assert profiles.load_profile(here / name).name.startswith("edited ")
