from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.build import build_site

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's sample archive, built once into a temporary folder."""
    out = tmp_path_factory.mktemp("sample") / "site"
    build_site(REPO, out)
    return out


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        pytest.fail("Debian's chromium is needed for browser tests: apt-get install -y chromium")
    return path
