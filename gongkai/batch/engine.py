"""Worker processes managed one by one: see the package docstring for the API."""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
import time
import unicodedata
from dataclasses import field
from multiprocessing.connection import wait
from typing import Any, Callable, Iterable

from ..records import record

DEFAULT_TIMEOUT = 60.0  # seconds per file
DEFAULT_MEMORY_MB = 1024  # per file, on top of a worker's start-up footprint
DEFAULT_TASKS_PER_WORKER = 1000
_TICK = 0.25  # longest sleep of the parent loop: how fast timeouts and Ctrl-C are noticed


@record(frozen=True)
class Limits:
    timeout: float | None = DEFAULT_TIMEOUT  # None or 0: no time limit
    memory_mb: int | None = DEFAULT_MEMORY_MB  # None or 0: no memory limit
    tasks_per_worker: int = DEFAULT_TASKS_PER_WORKER


@record
class Task:
    path: str  # as the file system knows it (undecodable bytes kept as surrogate escapes)
    key: str = ""  # printable identity of the file in rows; display_path(path) when empty
    size: int | None = None
    mtime_ns: int | None = None
    extra: dict = field(default_factory=dict)  # anything the caller's `work` needs

    def __post_init__(self):
        if not self.key:
            self.key = display_path(self.path)


@record
class Outcome:
    counts: dict[str, int] = field(default_factory=dict)
    interrupted: bool = False

    @property
    def total(self) -> int:
        return sum(self.counts.values())


# --------------------------------------------------------------------------- names
_ESCAPE_CATEGORIES = {"Cc", "Cf", "Cs", "Zl", "Zp", "Co", "Cn"}


def display_path(path: str | bytes) -> str:
    """A printable, UTF-8-encodable form of a file name: undecodable bytes as \\xNN,
    control, format (bidi) and separator characters as \\xNN / \\uNNNN."""
    if isinstance(path, bytes):
        text = path.decode("utf-8", "surrogateescape")
    else:
        text = path
    if text.isprintable():
        return text
    out = []
    for ch in text:
        cp = ord(ch)
        if 0xDC80 <= cp <= 0xDCFF:  # an undecodable byte (surrogateescape)
            out.append(f"\\x{cp - 0xDC00:02x}")
        elif unicodedata.category(ch) in _ESCAPE_CATEGORIES:
            out.append(f"\\x{cp:02x}" if cp < 0x100 else f"\\u{cp:04x}")
        else:
            out.append(ch)
    return "".join(out)


# --------------------------------------------------------------------------- worker side
def _die_with_parent(parent: int) -> None:
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
        except Exception:  # noqa: BLE001 — the pid check below still applies
            pass
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)

    def watch() -> None:
        while True:
            time.sleep(1.0)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def _vm_bytes() -> tuple[int, int] | None:
    """(virtual size, resident size) of this process in bytes, or None off Linux."""
    try:
        with open("/proc/self/statm", "rb") as fh:
            vsz, rss = fh.read().split()[:2]
        page = os.sysconf("SC_PAGE_SIZE")
        return int(vsz) * page, int(rss) * page
    except (OSError, ValueError):
        return None


def _rss_of(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/statm", "rb") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


def _memory_capper(memory_mb: int | None) -> Callable[[], None]:
    """A function that, before each file, sets the soft address-space limit to what the
    worker has now plus memory_mb (the soft limit only: it can be raised again)."""
    try:
        import resource
    except ImportError:  # pragma: no cover — not on Windows
        return lambda: None
    if not memory_mb or _vm_bytes() is None:
        return lambda: None
    hard = resource.getrlimit(resource.RLIMIT_AS)[1]

    def cap() -> None:
        vm = _vm_bytes()
        if vm is None:
            return
        soft = vm[0] + memory_mb * 1048576
        if hard != resource.RLIM_INFINITY:
            soft = min(soft, hard)
        try:
            resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
        except (ValueError, OSError):
            pass

    return cap


def _worker(conn, work, options, limits: Limits, parent: int, close_fds: list[int]) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    for fd in close_fds:  # other workers' pipes, inherited by fork
        try:
            os.close(fd)
        except OSError:
            pass
    _die_with_parent(parent)
    cap_memory = _memory_capper(limits.memory_mb)
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        cap_memory()
        start = time.perf_counter()
        recycle = False
        try:
            row = dict(work(task, options))
        except MemoryError:
            row, recycle = {"status": "memory", "reason": f"over the memory limit ({limits.memory_mb} MB)"}, True
        except BaseException as exc:  # noqa: BLE001 — a bug in `work` costs one row
            row = {"status": "crashed", "reason": f"{exc.__class__.__name__}: {exc}"}
        row.setdefault("status", "checked")
        row["seconds"] = round(time.perf_counter() - start, 3)
        try:
            conn.send((row, recycle))
        except MemoryError:
            conn.send(({"status": "memory", "reason": "over the memory limit", "seconds": row["seconds"]}, True))
            return
        except Exception as exc:  # noqa: BLE001 — e.g. a row that cannot be pickled
            conn.send(({"status": "crashed", "reason": f"result not sendable: {exc}", "seconds": row["seconds"]}, False))
        if recycle:
            return


# --------------------------------------------------------------------------- parent side
class _Slot:
    __slots__ = ("proc", "conn", "task", "started", "done", "rss0", "checked_at")

    def __init__(self, proc, conn):
        self.proc = proc
        self.conn = conn
        self.task: Task | None = None
        self.started = 0.0
        self.done = 0
        self.rss0: int | None = None
        self.checked_at = 0.0


def _context():
    methods = multiprocessing.get_all_start_methods()
    # fork starts a worker in milliseconds with the parent's imports; elsewhere spawn.
    return multiprocessing.get_context("fork" if "fork" in methods and sys.platform.startswith("linux") else "spawn")


class _Stop(Exception):
    pass


def _signal_name(code: int | None) -> str:
    if code is None:
        return "no exit status"
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        hint = " (out of memory? the kernel's OOM killer sends SIGKILL)" if -code == signal.SIGKILL else ""
        return f"killed by {name}{hint}"
    return f"exited with status {code}"


def run(
    tasks: Iterable[Task],
    work: Callable[[Task, Any], dict],
    options: Any = None,
    *,
    jobs: int = 0,
    limits: Limits = Limits(),
    on_row: Callable[[dict], None] | None = None,
) -> Outcome:
    """Run `work` over `tasks` in worker processes; see the package docstring."""
    jobs = jobs if jobs and jobs > 0 else (os.cpu_count() or 1)
    ctx = _context()
    me = os.getpid()
    slots: list[_Slot] = []
    outcome = Outcome()
    pending = iter(tasks)
    exhausted = False
    stop = {"flag": False}

    def emit(task: Task, row: dict) -> None:
        row = {"path": task.key, **row}
        row.setdefault("reason", "")
        outcome.counts[row["status"]] = outcome.counts.get(row["status"], 0) + 1
        if on_row is not None:
            on_row(row)

    def start_worker() -> _Slot:
        parent_end, child_end = ctx.Pipe(duplex=True)
        close = [s.conn.fileno() for s in slots]
        proc = ctx.Process(target=_worker, args=(child_end, work, options, limits, me, close), daemon=True)
        proc.start()
        child_end.close()
        slot = _Slot(proc, parent_end)
        slots.append(slot)
        return slot

    def retire(slot: _Slot, kill: bool) -> None:
        if kill and slot.proc.is_alive():
            slot.proc.kill()
        try:
            slot.conn.close()
        except OSError:
            pass
        slot.proc.join(timeout=5)
        if slot.proc.is_alive():  # asked to stop but did not: no worker is left behind
            slot.proc.kill()
            slot.proc.join(timeout=5)
        if slot in slots:
            slots.remove(slot)

    def fill() -> None:
        nonlocal exhausted
        while not exhausted and not stop["flag"]:
            idle = next((s for s in slots if s.task is None), None)
            if idle is None:
                if len(slots) >= jobs:
                    return
            try:
                task = next(pending)
            except StopIteration:
                exhausted = True
                return
            slot = idle or start_worker()
            slot.task, slot.started, slot.rss0, slot.checked_at = task, time.monotonic(), None, 0.0
            try:
                slot.conn.send(task)
            except (OSError, EOFError):  # died while idle: give the task to a fresh worker
                retire(slot, kill=True)
                slot = start_worker()
                slot.task, slot.started = task, time.monotonic()
                slot.conn.send(task)

    def dead(slot: _Slot) -> None:
        slot.proc.join(timeout=5)
        task = slot.task
        code = slot.proc.exitcode
        retire(slot, kill=True)
        if task is not None:
            emit(task, {"status": "crashed", "reason": f"worker {_signal_name(code)}", "seconds": round(time.monotonic() - slot.started, 3)})

    def watchdog(now: float) -> None:
        for slot in list(slots):
            if slot.task is None:
                continue
            if limits.timeout and now - slot.started > limits.timeout:
                task = slot.task
                retire(slot, kill=True)
                emit(task, {"status": "timeout", "reason": f"over the time limit ({limits.timeout:g} s)", "seconds": round(now - slot.started, 3)})
                continue
            if limits.memory_mb and now - slot.checked_at >= 0.5:
                slot.checked_at = now
                rss = _rss_of(slot.proc.pid)
                if rss is None:
                    continue
                if slot.rss0 is None:
                    slot.rss0 = rss
                elif rss - slot.rss0 > limits.memory_mb * 1048576:
                    task = slot.task
                    retire(slot, kill=True)
                    emit(task, {"status": "memory", "reason": f"over the memory limit ({limits.memory_mb} MB)", "seconds": round(now - slot.started, 3)})

    def on_signal(signum, frame):  # noqa: ARG001
        if stop["flag"]:  # a second Ctrl-C: stop at once
            raise KeyboardInterrupt
        stop["flag"] = True

    handlers = {}
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGINT, signal.SIGTERM):
            handlers[sig] = signal.signal(sig, on_signal)
    try:
        fill()
        while slots and not stop["flag"]:
            busy = [s for s in slots if s.task is not None]
            if not busy:
                break
            now = time.monotonic()
            wait_for = _TICK
            if limits.timeout:
                wait_for = max(0.0, min(wait_for, min(s.started + limits.timeout for s in busy) - now))
            by_obj = {}
            for s in busy:
                by_obj[s.conn] = s
                by_obj[s.proc.sentinel] = s
            ready = wait(list(by_obj), timeout=wait_for)
            handled = set()
            for obj in ready:
                slot = by_obj[obj]
                if id(slot) in handled or slot not in slots:
                    continue
                handled.add(id(slot))
                if obj is slot.conn or slot.conn.poll():
                    try:
                        row, recycle = slot.conn.recv()
                    except (EOFError, OSError):
                        dead(slot)
                        continue
                    task, slot.task = slot.task, None
                    slot.done += 1
                    emit(task, row)
                    if recycle or slot.done >= limits.tasks_per_worker:
                        _ask_to_stop(slot)
                        retire(slot, kill=False)
                else:
                    dead(slot)
            watchdog(time.monotonic())
            fill()
        outcome.interrupted = stop["flag"]
    except KeyboardInterrupt:
        outcome.interrupted = True
    finally:
        for sig, old in handlers.items():
            signal.signal(sig, old)
        for slot in list(slots):
            if slot.task is None:
                _ask_to_stop(slot)
            retire(slot, kill=slot.task is not None or outcome.interrupted)
    return outcome


def _ask_to_stop(slot: _Slot) -> None:
    try:
        slot.conn.send(None)
    except (OSError, EOFError, ValueError):
        pass
