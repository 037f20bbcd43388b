"""Shared pytest fixtures.

``fake_provider``: one local fake LLM provider (see ``tests/fake_provider.py``) for the whole
test session. Its interface: ``.url`` (``http://127.0.0.1:<port>``), ``.requests`` (list of
recorded requests: ``.method``, ``.path``, ``.headers``, ``.body`` bytes, ``.json``),
``.clear()`` and ``.last(path_contains=...)``. Call ``.clear()`` at the start of a test that
asserts on requests, because the server is shared.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

# litellm fetches its model price map from GitHub at import time (with retries) unless told
# not to; the tests run offline, so use the copy bundled with litellm. Set before any test
# module imports litellm.
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
os.environ.setdefault("LITELLM_TELEMETRY", "False")

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fake_provider import FakeProvider


@pytest.fixture(scope="session")
def fake_provider() -> Iterator[FakeProvider]:
    """A running fake provider shared by the whole session (127.0.0.1, free port)."""
    with FakeProvider() as fake:
        yield fake


def pytest_configure(config: pytest.Config) -> None:
    # Tests that start a real LiteLLM proxy process: run by default, deselect with -m "not proxy".
    config.addinivalue_line("markers", "proxy: starts a real LiteLLM proxy process (deselect with -m 'not proxy')")
