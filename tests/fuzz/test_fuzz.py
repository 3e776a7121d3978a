"""Property tests over malformed, hostile and oddly named inputs (tests/fuzz/generators.py).

For every input and command: no traceback, exit code 0, 1 or 2 only, exit 2 comes with
exactly one line on stderr, and no rule fails (E01). Examples are derandomised so CI is
repeatable; bench/fuzz.py runs thousands of fresh ones.
"""

from __future__ import annotations

import json
import os
import tempfile
import traceback
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.cli import main
from tests.fuzz.generators import CATEGORIES

COMMANDS = [
    ["check", "--format", "json"],
    ["check", "--format", "text"],
    ["parse", "--format", "summary"],
    ["facts", "--format", "csv"],
    ["check", "--format", "xlsx", "-o", "{out}/r.xlsx"],
    ["check", "--format", "html", "-o", "{out}/r.html"],
]
OUTPUTS = [None, "{out}", "{out}/missing/dir/r.json", "/dev/full", "/proc/version/x"]

FUZZ = settings(
    max_examples=int(os.environ.get("GONGKAI_FUZZ_EXAMPLES", "20")), deadline=None, derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def run_cli(args: list[str]):
    result = CliRunner().invoke(main, args, env={"GONGKAI_DEBUG": None}, prog_name="gongkai")
    tb = None
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        tb = "".join(traceback.format_exception(*result.exc_info))
    return result, tb


def check_properties(name: bytes, data: bytes, command: list[str], output: str | None = None) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(os.fsencode(tmp), name or b"unnamed")
        Path(os.fsdecode(path)).write_bytes(data)
        args = [a.replace("{out}", tmp) for a in command] + [os.fsdecode(path)]
        if output is not None and "-o" not in command:
            args += ["-o", output.replace("{out}", tmp)]
        result, tb = run_cli(args)
    assert tb is None, tb
    assert result.exit_code in (0, 1, 2), (result.exit_code, result.stderr)
    assert "Traceback" not in result.stderr
    if result.exit_code == 2:
        assert result.stderr.count("\n") == 1 and result.stderr.startswith("gongkai: "), result.stderr
    if result.exit_code in (0, 1) and command[:3] == ["check", "--format", "json"] and output is None:
        failed = [f["message"] for f in json.loads(result.stdout)["findings"] if f["rule"] == "E01"]
        assert not failed, failed


@pytest.mark.parametrize("category", sorted(CATEGORIES))
@FUZZ
@given(rng=st.randoms(use_true_random=False), command=st.sampled_from(COMMANDS))
def test_no_traceback_and_one_line_errors(category, rng, command):
    name, data = CATEGORIES[category](rng)
    check_properties(name, data, command)


@FUZZ
@given(rng=st.randoms(use_true_random=False), output=st.sampled_from(OUTPUTS), command=st.sampled_from(COMMANDS[:4]))
def test_any_output_path(rng, output, command):
    name, data = CATEGORIES["text_mutation"](rng)
    check_properties(name, data, command, output)
