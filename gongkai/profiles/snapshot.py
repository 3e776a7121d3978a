"""Write `parsed.py`: the built-in profiles' TOML, parsed, so start-up need not parse it.

    python -m gongkai.profiles.snapshot

Run it after editing a built-in profile (a test fails until it has been run). A profile
whose file no longer matches its parsed copy is read from the TOML instead, so a stale
copy costs time, never correctness.
"""

from __future__ import annotations

import ast
import pprint
import tomllib
import zlib
from pathlib import Path

HERE = Path(__file__).parent
TARGET = HERE / "parsed.py"

_HEADER = '''"""The built-in profiles' TOML files, parsed: {file name: (CRC-32, size, data)}.

Written by `python -m gongkai.profiles.snapshot`; do not edit. The TOML files are the
source: a file that no longer matches its CRC-32 and size here is parsed instead.
"""

'''


def render() -> str:
    entries = {}
    for path in sorted(HERE.glob("*.toml")):
        raw = path.read_bytes()
        data = tomllib.loads(raw.decode("utf-8"))
        if ast.literal_eval(repr(data)) != data:  # only plain literals can be written back as code
            raise ValueError(f"{path.name}: holds values (dates, times) that cannot be stored as literals")
        entries[path.name] = (zlib.crc32(raw), len(raw), data)
    return _HEADER + "PARSED = " + pprint.pformat(entries, width=120, sort_dicts=False) + "\n"


def main() -> None:
    TARGET.write_text(render(), encoding="utf-8")
    print(f"wrote {TARGET.name}")


if __name__ == "__main__":
    main()
