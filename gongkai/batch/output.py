"""The batch output folder: claimed with a marker, written without following symlinks,
every file replaced atomically, never an input.

Rules (see docs/batch.md):
- the output folder is new, empty, or one gongkai wrote before (it holds MARKER);
- it is not an input, does not contain an input, and is not a symbolic link;
- an input folder that contains it, or any folder holding MARKER, is skipped when reading;
- every file is written to a temporary name in its folder and renamed over the target
  (a reader never sees half a report; a symlink planted at the target is replaced,
  not followed); folders below the output folder are opened with O_NOFOLLOW;
- one run at a time: the marker is locked for the duration of a run.
"""

from __future__ import annotations

import errno
import os
import secrets
from pathlib import Path

MARKER = ".gongkai-output"
_MARKER_TEXT = "This folder holds reports written by gongkai; gongkai never reads reports from it.\n"
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


class OutputError(Exception):
    """The output folder cannot be used; the message says why (one line)."""


def _inside(child: str, parent: str) -> bool:
    return child == parent or child.startswith(parent.rstrip(os.sep) + os.sep)


def claim(out: str, inputs: list[str]) -> tuple[str, int]:
    """Check and claim the output folder; return (its real path, the locked marker's fd)."""
    shown = out
    if os.path.islink(out):
        raise OutputError(f"{shown}: the output folder is a symbolic link; give a real folder")
    if os.path.exists(out) and not os.path.isdir(out):
        raise OutputError(f"{shown}: the output must be a folder when checking several reports, and this is a file")
    real = os.path.realpath(out)
    for p in inputs:
        rp = os.path.realpath(p)
        if _inside(rp, real):
            raise OutputError(f"{shown}: the output folder would hold the input {p}; give another output folder")
    existed = os.path.isdir(real)
    if existed and not os.path.exists(os.path.join(real, MARKER)):
        with os.scandir(real) as it:
            if next(it, None) is not None:
                raise OutputError(f"{shown}: this folder already holds files not written by gongkai; give a new or empty folder")
    try:
        os.makedirs(real, exist_ok=True)
        fd = os.open(os.path.join(real, MARKER), os.O_RDWR | os.O_CREAT | _NOFOLLOW | _CLOEXEC, 0o644)
    except OSError as exc:
        raise OutputError(f"{shown}: cannot write the output folder ({exc.strerror or exc})") from None
    try:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except ImportError:  # pragma: no cover — not on Windows
        pass
    except OSError:
        os.close(fd)
        raise OutputError(f"{shown}: another gongkai run is writing this folder") from None
    if os.fstat(fd).st_size == 0:
        os.write(fd, _MARKER_TEXT.encode())
    return real, fd


def release(fd: int) -> None:
    try:
        os.close(fd)
    except OSError:
        pass


def _open_dir(root: str, parts: list[str], create: bool) -> int:
    fd = os.open(root, os.O_RDONLY | _DIRECTORY | _CLOEXEC)
    try:
        for part in parts:
            if part in ("", ".", ".."):
                raise OSError(errno.EINVAL, f"bad path component {part!r}")
            if create:
                try:
                    os.mkdir(part, 0o755, dir_fd=fd)
                except FileExistsError:
                    pass
            nfd = os.open(part, os.O_RDONLY | _DIRECTORY | _NOFOLLOW | _CLOEXEC, dir_fd=fd)
            os.close(fd)
            fd = nfd
    except BaseException:
        os.close(fd)
        raise
    return fd


def write_atomic(root: str, rel: str, data: str | bytes) -> None:
    """Write root/rel (rel: "/"-separated, below root) via a temporary file and a rename."""
    *dirs, name = rel.split("/")
    if name in ("", ".", ".."):
        raise OSError(errno.EINVAL, f"bad file name {name!r}")
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogateescape")
    dfd = _open_dir(root, dirs, create=True)
    tmp = f".{name[:80]}.{secrets.token_hex(4)}.tmp"
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC, 0o644, dir_fd=dfd)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
        finally:
            os.close(fd)
        os.replace(tmp, name, src_dir_fd=dfd, dst_dir_fd=dfd)
    except BaseException:
        try:
            os.unlink(tmp, dir_fd=dfd)
        except OSError:
            pass
        raise
    finally:
        os.close(dfd)


def open_append(root: str, name: str, truncate: bool = False):
    """A text file directly in root, opened for appending (symlinks not followed)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | _NOFOLLOW | _CLOEXEC | (os.O_TRUNC if truncate else 0)
    fd = os.open(os.path.join(root, name), flags, 0o644)
    return open(fd, "w", encoding="utf-8", newline="")


def remove(root: str, name: str) -> None:
    try:
        os.unlink(os.path.join(root, name))
    except FileNotFoundError:
        pass


def same_file_id(path: str) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


def is_output_folder(path: str | Path) -> bool:
    return os.path.exists(os.path.join(path, MARKER))
