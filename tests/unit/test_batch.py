"""The batch engine and `gongkai check FOLDER`: nothing lost, nothing overwritten."""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from gongkai.batch import Limits, Task, run
from tests.support import EXAMPLE, ROOT
from tests.unit.test_cli import gk

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="worker limits are tested on Linux")


def _work(task: Task, options) -> dict:
    """A stand-in for checking a report, misbehaving on request."""
    if task.path == "kill":
        os.kill(os.getpid(), signal.SIGKILL)
    if task.path == "hang":
        time.sleep(30)
    if task.path == "bloat":
        hog = bytearray(300 * 1048576)
        hog[::4096] = b"x" * len(hog[::4096])
    if task.path == "bug":
        raise ValueError("a bug")
    return {"status": "checked", "pid": os.getpid()}


def _run(paths, **limits):
    rows = []
    outcome = run((Task(p) for p in paths), _work, None, jobs=2, limits=Limits(**limits), on_row=rows.append)
    return outcome, {r["path"]: r for r in rows}


def test_every_failure_is_one_row_and_the_batch_goes_on():
    paths = ["a", "kill", "b", "hang", "bloat", "bug"] + [f"f{i}" for i in range(30)]
    start = time.monotonic()
    outcome, rows = _run(paths, timeout=1.0, memory_mb=100)
    assert time.monotonic() - start < 15
    assert set(rows) == set(paths) and outcome.total == len(paths) and not outcome.interrupted
    assert rows["kill"]["status"] == "crashed" and "SIGKILL" in rows["kill"]["reason"]
    assert rows["hang"]["status"] == "timeout" and "1 s" in rows["hang"]["reason"]
    assert rows["bloat"]["status"] == "memory" and "100 MB" in rows["bloat"]["reason"]
    assert rows["bug"]["status"] == "crashed" and "ValueError: a bug" in rows["bug"]["reason"]
    assert all(rows[p]["status"] == "checked" for p in paths if p.startswith("f") or p in "ab")


def test_workers_are_recycled():
    _, rows = _run([f"f{i}" for i in range(12)], tasks_per_worker=3)
    assert len({r["pid"] for r in rows.values()}) >= 4


def test_tasks_are_taken_lazily():
    taken = []

    def tasks():
        for i in range(50):
            taken.append(i)
            yield Task(f"f{i}")

    seen = []

    def on_row(row):
        seen.append(len(taken))  # tasks taken when this row arrived

    run(tasks(), _work, None, jobs=2, on_row=on_row)
    assert seen[0] <= 3  # not all 50 submitted up front


# --------------------------------------------------------------------------- the check command
def _folder(tmp_path: Path, names: list[str]) -> Path:
    folder = tmp_path / "in"
    text = EXAMPLE.read_bytes()
    for name in names:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text)
    return folder


def _summary(out: Path) -> list[dict]:
    with open(out / "summary.csv", encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def _state(out: Path) -> str:
    return json.loads((out / "summary.json").read_text(encoding="utf-8"))["state"]


def test_names_never_collide(tmp_path):
    folder = _folder(tmp_path, ["a.txt", "a-2.txt", "sub/a.txt", "A.TXT"])
    (folder / "a.pdf").write_bytes(b"%PDF-1.4 broken")
    out = tmp_path / "out"
    r = gk("check", str(folder), "--format", "json", "-o", str(out), "-j", "2")
    assert r.returncode == 1, r.stderr
    rows = _summary(out)
    assert sorted(row["report"] for row in rows) == ["A.TXT.json", "a-2.txt.json", "a.pdf.json", "a.txt.json", "sub/a.txt.json"]
    assert {row["status"] for row in rows if row["report"] != "a.pdf.json"} == {"checked"}
    assert all((out / row["report"]).is_file() for row in rows if row["status"] == "checked")
    assert _state(out) == "complete" and str(out) in r.stderr


def test_reports_of_several_inputs_go_under_their_folder_names(tmp_path):
    one, two = _folder(tmp_path / "x", ["a.txt"]), _folder(tmp_path / "y", ["a.txt"])
    loose = tmp_path / "a.txt"
    loose.write_bytes(EXAMPLE.read_bytes())
    out = tmp_path / "out"
    gk("check", str(one), str(two), str(loose), str(one / "a.txt"), "--format", "json", "-o", str(out))
    assert sorted(row["report"] for row in _summary(out)) == ["a.txt.2.json", "a.txt.json", "in-2/a.txt.json", "in/a.txt.json"]


def test_output_folder_in_the_input_is_skipped_and_never_overwrites(tmp_path):
    folder = _folder(tmp_path, ["a.txt", "a.txt.txt"])
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    r = gk("check", str(folder), "--format", "text", "-o", str(folder))
    assert r.returncode == 2 and "would hold the input" in r.stderr and r.stderr.count("\n") == 1
    out = folder / "reports"
    for _ in range(2):  # the second run must not read the first run's reports
        r = gk("check", str(folder), "--format", "text", "-o", str(out))
        assert r.returncode == 1, r.stderr
        assert sorted(row["report"] for row in _summary(out)) == ["a.txt.txt", "a.txt.txt.txt"]
    # nor does a run with a different output folder read the earlier one (it holds the marker)
    r = gk("check", str(folder), "--format", "text", "-o", str(tmp_path / "elsewhere"))
    assert len(_summary(tmp_path / "elsewhere")) == 2
    assert {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()} == before


def test_refuses_unsafe_output_folders(tmp_path):
    folder = _folder(tmp_path, ["a.txt"])
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "notes.txt").write_text("mine")
    afile = tmp_path / "file.txt"
    afile.write_text("x")
    link = tmp_path / "link"
    link.symlink_to(busy)
    for out, words in ((busy, "not written by gongkai"), (afile, "is a file"), (link, "symbolic link"), (tmp_path, "would hold the input")):
        r = gk("check", str(folder), "-o", str(out))
        assert r.returncode == 2 and words in r.stderr and "Traceback" not in r.stderr, r.stderr
    assert (busy / "notes.txt").read_text() == "mine"


def test_symlink_in_output_folder_is_not_followed(tmp_path):
    folder = _folder(tmp_path, ["a.txt", "b.txt", "sub/c.txt"])
    out = tmp_path / "out"
    assert gk("check", str(folder), "--format", "json", "-o", str(out)).returncode == 1
    victim = tmp_path / "victim"
    victim.write_text("precious")
    (out / "a.txt.json").unlink()
    (out / "a.txt.json").symlink_to(victim)
    (out / "summary.csv").unlink()
    (out / "summary.csv").symlink_to(victim)
    shutil.rmtree(out / "sub")
    (out / "sub").symlink_to(tmp_path)  # a planted folder link
    assert gk("check", str(folder), "--format", "json", "-o", str(out), "--no-resume").returncode == 1
    assert victim.read_text() == "precious" and not (tmp_path / "c.txt.json").exists()
    assert {row["report"]: row["status"] for row in _summary(out)}["sub/c.txt.json"] == "unwritable"
    assert not (out / "a.txt.json").is_symlink() and json.loads((out / "a.txt.json").read_text())["summary"]["errors"] >= 1


def test_undecodable_file_names(tmp_path):
    folder = _folder(tmp_path, ["ok.txt"])
    gbk = os.path.join(os.fsencode(folder), "财政局".encode("gbk") + b".txt")
    with open(gbk, "wb") as fh:
        fh.write(EXAMPLE.read_bytes())
    ctl = folder / "bell\x07\x1b[31m.txt"
    ctl.write_bytes(EXAMPLE.read_bytes())
    out = tmp_path / "out"
    r = gk("check", str(folder), "--format", "json", "-o", str(out))
    assert r.returncode == 1 and "Traceback" not in r.stderr and "\x1b" not in r.stdout + r.stderr
    rows = _summary(out)
    assert [row["status"] for row in rows] == ["checked"] * 3
    odd = [row for row in rows if "\\x" in row["path"]]
    assert len(odd) == 2 and all((out / row["report"]).is_file() for row in odd)
    assert any("\\xb2\\xc6" in row["path"] for row in odd)


def test_exit_2_only_when_nothing_was_checked(tmp_path):
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "x.txt").write_bytes(b"")
    assert gk("check", str(folder), "-o", str(tmp_path / "o1")).returncode == 2
    (folder / "y.txt").write_bytes(EXAMPLE.read_bytes())
    assert gk("check", str(folder), "-o", str(tmp_path / "o2")).returncode == 1


def _rows_without_timing(out: Path) -> list[tuple]:
    return sorted(tuple((k, v) for k, v in row.items() if k != "seconds") for row in _summary(out))


def _children(pid: int) -> list[int]:
    try:
        return [int(x) for x in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL])
def test_interrupted_batch_resumes_to_the_same_summary(tmp_path, sig):
    folder = _folder(tmp_path, [f"r{i:02}.txt" for i in range(24)])
    reference = tmp_path / "reference"
    assert gk("check", str(folder), "--format", "json", "-o", str(reference), "-j", "1").returncode == 1
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "gongkai", "check", str(folder), "--format", "json", "-o", str(out), "-j", "1"]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:  # wait for a few rows, then interrupt
        rows = (out / "summary.jsonl").read_text(encoding="utf-8").count("\n") if (out / "summary.jsonl").exists() else 0
        if rows >= 3:
            break
        time.sleep(0.05)
    workers = _children(proc.pid)
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=20)
    deadline = time.monotonic() + 5
    while any(_alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert workers and not any(_alive(w) for w in workers), "workers outlived their parent"
    done = len(_summary(out))
    if sig == signal.SIGINT:
        assert proc.returncode == 130 and "interrupted" in err.decode() and "Traceback" not in err.decode()
        assert _state(out) == "interrupted"
    else:
        assert _state(out) == "running"
    assert 3 <= done < 24
    r = gk("check", str(folder), "--format", "json", "-o", str(out), "-j", "2")
    assert r.returncode == 1 and _state(out) == "complete"
    assert _rows_without_timing(out) == _rows_without_timing(reference)


def test_many_reports_are_spread_over_subfolders(tmp_path, monkeypatch):
    from gongkai.batch import inputs

    monkeypatch.setattr(inputs, "SPREAD_AT", 3)
    folder = _folder(tmp_path, ["a.txt", "b.txt", "c.txt", "sub/d.txt"])
    out = tmp_path / "out"
    assert gk("check", str(folder), "--format", "json", "-o", str(out)).returncode == 1
    reports = sorted(row["report"] for row in _summary(out))
    assert len(reports) == 4 and all(re.fullmatch(r"(sub/)?[0-9a-f]{2}/[a-d]\.txt\.json", r) for r in reports), reports
    assert all((out / r).is_file() for r in reports)
    monkeypatch.setattr(inputs, "SPREAD_AT", 100)  # a resumed run keeps its layout
    assert gk("check", str(folder), "--format", "json", "-o", str(out)).returncode == 1
    assert sorted(row["report"] for row in _summary(out)) == reports
