"""Fixtures of the PDF reader tests: the corpus PDFs (skipped when absent) and synthetic reports."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support import CORPUS

PUTUO = CORPUS / "pdf" / "shanghai_putuo_finance_bureau_2024_final.pdf"
TEMPLATE = CORPUS / "pdf" / "shanghai_district_final_accounts_template_2024.pdf"


def _corpus_file(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"corpus PDF not available at {path}")
    return path


@pytest.fixture(scope="session")
def putuo_path() -> Path:
    return _corpus_file(PUTUO)


@pytest.fixture(scope="session")
def template_path() -> Path:
    return _corpus_file(TEMPLATE)


@pytest.fixture(scope="session")
def putuo_doc(putuo_path):
    from gongkai.api import parse

    return parse(putuo_path)


@pytest.fixture(scope="session")
def putuo_blocks(putuo_path):
    from gongkai.ingest.pdf_reader import read_pdf_blocks

    blocks, *_ = read_pdf_blocks(putuo_path.read_bytes(), str(putuo_path))
    return blocks


@pytest.fixture(scope="session")
def template_doc(template_path):
    from gongkai.api import parse

    return parse(template_path)


@pytest.fixture(scope="session")
def synth_pdf() -> bytes:
    from tests.pdf import synth

    return synth.report()


@pytest.fixture(scope="session")
def synth_blocks(synth_pdf):
    from gongkai.ingest.pdf_reader import read_pdf_blocks

    blocks, pages, _ = read_pdf_blocks(synth_pdf, "synth.pdf")
    assert pages == 9
    return blocks


@pytest.fixture(scope="session")
def synth_doc(synth_pdf):
    from gongkai.api import parse_bytes

    return parse_bytes(synth_pdf, "synth.pdf")
