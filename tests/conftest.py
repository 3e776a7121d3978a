"""Shared fixtures (helpers live in tests/support.py)."""

import pytest

from tests.support import SEED_FILES, seed


@pytest.fixture(params=SEED_FILES)
def seed_name(request) -> str:
    seed(request.param)
    return request.param
