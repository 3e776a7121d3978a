"""Finding the reports of a batch and naming their report files.

Folders are walked lazily (os.scandir, no list of all files), symbolic links to folders
are not followed, and the output folder and any folder gongkai wrote before (it holds
the marker file) are skipped, so a second run never reads its own reports.

Report names are unique by construction: the input's path relative to its folder with
the format's suffix added ("sub/a.txt" → "sub/a.txt.json"), so a.txt, a.pdf and a-2.txt
give a.txt.json, a.pdf.json and a-2.txt.json. A name that is not valid UTF-8 or holds
control characters is shown escaped and gets a short hash of its bytes
("\\xb2\\xe2.txt.3f2a19c0.json"), which no input's name can equal (inputs end in a report
suffix). With several inputs on the command line, each folder's reports go under the
folder's name. With more than SPREAD_AT files, reports are spread over 256 subfolders
("sub/7f/a.txt.json") so no folder holds more than a few hundred files.
"""

from __future__ import annotations

import hashlib
import os
from typing import Iterator

from .engine import Task, display_path
from .output import MARKER
from ..records import record

REPORT_SUFFIXES = (".txt", ".md", ".markdown", ".text", ".pdf", ".html", ".htm")
SPREAD_AT = 2000


@record
class Root:
    arg: str  # as given on the command line
    is_dir: bool
    prefix: str  # "" or "name/" under which its reports go


def is_report(name: str) -> bool:
    return name.lower().endswith(REPORT_SUFFIXES)


def _safe_component(name: str) -> str:
    shown = display_path(name).replace("/", "\\x2f")
    if shown != name:
        digest = hashlib.sha1(os.fsencode(name)).hexdigest()[:8]
        shown = f"{shown}.{digest}"
    return shown


def roots_of(args: list[str]) -> list[Root]:
    """The inputs as given; folders get a prefix when there is more than one input."""
    roots = []
    used: set[str] = set()
    single = len(args) == 1
    for arg in args:
        is_dir = os.path.isdir(arg)
        prefix = ""
        if is_dir and not single:
            base = _safe_component(os.path.basename(os.path.realpath(arg)) or "root")
            name, n = base, 1
            while name in used:
                n += 1
                name = f"{base}-{n}"
            used.add(name)
            prefix = name + "/"
        roots.append(Root(arg, is_dir, prefix))
    return roots


def walk(root: str, skip: set[tuple[int, int]]) -> Iterator[tuple[str, list[str]]]:
    """(path, relative parts) of every report file below root, lazily."""
    stack = [(root, [])]
    while stack:
        folder, rel = stack.pop()
        if os.path.exists(os.path.join(folder, MARKER)):
            continue
        subdirs = []
        try:
            with os.scandir(folder) as it:
                for entry in it:
                    try:
                        if entry.is_dir(follow_symlinks=False):
                            st = entry.stat(follow_symlinks=False)
                            if (st.st_dev, st.st_ino) not in skip:
                                subdirs.append(entry.name)
                        elif is_report(entry.name) and entry.is_file():
                            yield entry.path, rel + [entry.name]
                    except OSError:
                        continue
        except OSError:
            continue
        for name in sorted(subdirs, reverse=True):
            stack.append((os.path.join(folder, name), rel + [name]))


def count(roots: list[Root], skip: set[tuple[int, int]]) -> int:
    n = 0
    for root in roots:
        n += sum(1 for _ in walk(root.arg, skip)) if root.is_dir else 1
    return n


def tasks(roots: list[Root], suffix: str, skip: set[tuple[int, int]], spread: bool) -> Iterator[Task]:
    """One Task per report file, its report name in task.extra["report"]."""
    loose: dict[str, int] = {}
    for root in roots:
        if not root.is_dir:
            base = _safe_component(os.path.basename(root.arg) or "report")
            n = loose[base] = loose.get(base, 0) + 1
            name = f"{base}.{suffix}" if n == 1 else f"{base}.{n}.{suffix}"
            yield _task(root.arg, name)
            continue
        for path, rel in walk(root.arg, skip):
            parts = [_safe_component(p) for p in rel]
            if spread:
                parts.insert(-1, hashlib.sha1(os.fsencode(rel[-1])).hexdigest()[:2])
            yield _task(path, root.prefix + "/".join(parts) + "." + suffix)


def _task(path: str, report: str) -> Task:
    try:
        st = os.stat(path)
        size, mtime = st.st_size, st.st_mtime_ns
    except OSError:
        size = mtime = None
    return Task(path, size=size, mtime_ns=mtime, extra={"report": report})
